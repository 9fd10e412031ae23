//! PostgreSQL stopped and started again under a running server: while it is down, requests
//! fail cleanly (503, and pages say so in Vietnamese) and readiness turns 503; once it is
//! back, the same server answers again by itself. This needs control of the cluster, which
//! `scripts/test` gives through `TEST_PG_BIN`, `TEST_PG_DATA` and `TEST_PG_OPTIONS`; it is
//! its own test binary so that no other test runs while the database is down.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use serde_json::json;
use std::process::Command;
use std::time::Duration;

/// The throwaway cluster, run by the `postgres` user.
struct Cluster {
    bin: String,
    data: String,
    options: String,
}

impl Cluster {
    fn from_env() -> Option<Cluster> {
        Some(Cluster {
            bin: std::env::var("TEST_PG_BIN").ok()?,
            data: std::env::var("TEST_PG_DATA").ok()?,
            options: std::env::var("TEST_PG_OPTIONS").ok()?,
        })
    }

    fn pg_ctl(&self, args: &[&str]) -> bool {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(format!("{}/pg_ctl", self.bin))
            .args(["-D", &self.data, "-w"])
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn stop(&self) {
        assert!(self.pg_ctl(&["-m", "fast", "stop"]), "stopping PostgreSQL");
    }

    fn start(&self) {
        let log = format!("{}/../restart.log", self.data);
        // Not asserted: this also runs while a failed check unwinds.
        if !self.pg_ctl(&["-l", &log, "-o", &self.options, "start"]) {
            eprintln!("starting PostgreSQL again failed");
        }
    }
}

#[tokio::test]
async fn requests_fail_cleanly_while_postgresql_is_down_and_recover_by_themselves() {
    let cluster = Cluster::from_env().filter(|_| common::expected_backend() == "postgres");
    let Some(cluster) = cluster else {
        eprintln!(
            "NOT RUN: needs TEST_PG_BIN, TEST_PG_DATA and TEST_PG_OPTIONS (scripts/test sets them)"
        );
        return;
    };
    let app = TestApp::demo(20).await;
    let school = app.client_as("truong").await;
    let mine = |client: reqwest::Client| {
        let url = app.url("/api/reports/mine");
        async move { client.post(url).json(&json!({})).send().await.unwrap() }
    };
    assert_eq!(mine(school.clone()).await.status(), 200);

    {
        cluster.stop();
        let _down = Down(&cluster);
        let response = mine(school.clone()).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_eq!(status, 503, "{body}");
        let error: app::error::AppError = serde_json::from_str(&body).unwrap();
        assert!(
            matches!(error, app::error::AppError::Unavailable),
            "{error:?}"
        );
        let page = school.get(app.url("/reports")).send().await.unwrap();
        assert_eq!(page.status(), 503);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("Máy chủ tạm thời không kết nối được cơ sở dữ liệu"),
            "{html}"
        );
        assert_eq!(app.get("/readyz").await.status(), 503);
    }

    // The same server, nothing restarted: answers again within seconds.
    let mut recovered = false;
    for _ in 0..60 {
        if mine(school.clone()).await.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(
        recovered,
        "the server did not recover after PostgreSQL came back"
    );
    assert_eq!(app.get("/readyz").await.status(), 200);
    // The session survived: it lives in the database.
    let page = school.get(app.url("/reports")).send().await.unwrap();
    assert_eq!(page.status(), 200);
}

/// Starts the cluster again when dropped, also when a check failed while it was down.
struct Down<'a>(&'a Cluster);

impl Drop for Down<'_> {
    fn drop(&mut self) {
        self.0.start();
    }
}
