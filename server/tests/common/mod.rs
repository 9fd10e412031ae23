//! A real server on a free port over a fresh database: SQLite in a temporary folder, or a new
//! PostgreSQL database when `TEST_DATABASE_URL` names a PostgreSQL server.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use app::org::demo::{self, DemoOptions};
use app::state::Settings;
use app::store::Db;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub client: reqwest::Client,
    _dir: Option<tempfile::TempDir>,
}

static ANNOUNCE: Once = Once::new();
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The backend this run exercises, as `/healthz` must report it.
pub fn expected_backend() -> &'static str {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => "postgres",
        _ => "sqlite",
    }
}

async fn fresh_database() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            let name = format!(
                "antq_test_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let admin = Db::connect(&base)
                .await
                .expect("connect to TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(admin.pool())
                .await
                .expect("create test database");
            admin.close().await;
            let (server, _) = base.rsplit_once('/').expect("URL with a database name");
            (format!("{server}/{name}"), None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("temporary folder");
            let url = format!("sqlite:{}", dir.path().join("test.db").display());
            (url, Some(dir))
        }
    }
}

impl TestApp {
    /// An app over an empty, migrated database.
    pub async fn empty() -> TestApp {
        Self::start(None).await
    }

    /// An app over a demo province of `schools` schools (seed 2025).
    pub async fn demo(schools: usize) -> TestApp {
        Self::start(Some(DemoOptions {
            schools,
            seed: demo::DEFAULT_SEED,
        }))
        .await
    }

    async fn start(demo_options: Option<DemoOptions>) -> TestApp {
        // Written past the test harness's capture, so the run says which database it used.
        ANNOUNCE.call_once(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "integration tests on {}",
                expected_backend()
            );
        });
        let (url, dir) = fresh_database().await;
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        if let Some(options) = demo_options {
            demo::generate(&db, options).await.expect("demo province");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("address");
        let settings = Settings {
            demo: true,
            import_enabled: true,
        };
        let router = server::router(db.clone(), settings, addr);
        tokio::spawn(server::serve(listener, router, std::future::pending()));
        TestApp {
            base: format!("http://{addr}"),
            db,
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(20))
                .build()
                .expect("HTTP client"),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Calls a server function by its endpoint with JSON arguments.
    pub async fn call<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        args: serde_json::Value,
    ) -> Result<T, (u16, String)> {
        let response = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .json(&args)
            .send()
            .await
            .expect("POST");
        let status = response.status().as_u16();
        let body = response.text().await.expect("body");
        if status == 200 {
            Ok(serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}")))
        } else {
            Err((status, body))
        }
    }
}
