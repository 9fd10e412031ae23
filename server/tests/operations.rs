//! What the IT officer relies on: liveness and readiness, request ids, `/metrics` in the
//! Prometheus text format for the configured addresses only, and a stop on SIGTERM that ends
//! the dashboards' live connections instead of waiting for them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use std::collections::{BTreeMap, BTreeSet};

/// One sample of the text format: its name, labels and value.
type Sample = (String, BTreeMap<String, String>, f64);

/// Reads the Prometheus text format strictly: every sample line is `name{labels} value`,
/// names and label names are well formed, label values are quoted, and every sample
/// belongs to a family announced by a `# TYPE` line before it.
fn parse_prometheus(text: &str) -> Vec<Sample> {
    let is_name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let mut families = BTreeSet::new();
    let mut samples = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split(' ');
            let name = parts.next().unwrap();
            let kind = parts.next().unwrap();
            assert!(is_name(name), "bad family name in {line:?}");
            assert!(
                ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                "bad type in {line:?}"
            );
            families.insert(name.to_string());
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("name and value");
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v
                .parse()
                .unwrap_or_else(|_| panic!("bad value in {line:?}")),
        };
        let (name, labels) = match series.split_once('{') {
            None => (series, BTreeMap::new()),
            Some((name, rest)) => {
                let body = rest.strip_suffix('}').expect("closing brace");
                let mut labels = BTreeMap::new();
                let mut rest = body;
                while !rest.is_empty() {
                    let (key, after) = rest.split_once("=\"").expect("label=\"value\"");
                    assert!(is_name(key), "bad label name in {line:?}");
                    // The value ends at the first quote not escaped.
                    let mut end = None;
                    let mut escaped = false;
                    for (i, c) in after.char_indices() {
                        match c {
                            '\\' if !escaped => escaped = true,
                            '"' if !escaped => {
                                end = Some(i);
                                break;
                            }
                            _ => escaped = false,
                        }
                    }
                    let end = end.expect("closing quote");
                    labels.insert(key.to_string(), after[..end].to_string());
                    rest = after[end + 1..].trim_start_matches(',');
                }
                (name, labels)
            }
        };
        assert!(is_name(name), "bad metric name in {line:?}");
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|f| families.contains(*f)))
            .unwrap_or(name);
        assert!(families.contains(family), "no # TYPE before {line:?}");
        samples.push((name.to_string(), labels, value));
    }
    samples
}

#[tokio::test]
async fn metrics_are_prometheus_text_and_only_for_allowed_addresses() {
    let app = TestApp::empty().await;
    for _ in 0..3 {
        assert_eq!(app.get("/healthz").await.status(), 200);
    }
    assert_eq!(app.get("/no-such-page").await.status(), 404);

    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let samples = parse_prometheus(&response.text().await.unwrap());
    let find = |name: &str, labels: &[(&str, &str)]| {
        samples
            .iter()
            .filter(|(n, l, _)| {
                n == name
                    && labels
                        .iter()
                        .all(|(k, v)| l.get(*k).map(String::as_str) == Some(v))
            })
            .map(|(_, _, v)| *v)
            .sum::<f64>()
    };
    let health = [("route", "/healthz"), ("method", "GET")];
    assert_eq!(
        find(
            "antq_http_requests_total",
            &[("route", "/healthz"), ("status", "200")]
        ),
        3.0
    );
    assert_eq!(
        find("antq_http_request_duration_seconds_count", &health),
        3.0
    );
    let inf = [("route", "/healthz"), ("method", "GET"), ("le", "+Inf")];
    assert_eq!(find("antq_http_request_duration_seconds_bucket", &inf), 3.0);
    // Unknown paths are counted together, not one series each.
    assert!(
        find(
            "antq_http_requests_total",
            &[("route", "other"), ("status", "404")]
        ) >= 1.0
    );
    assert_eq!(find("antq_db_up", &[]), 1.0);
    assert!(samples
        .iter()
        .any(|(n, _, _)| n == "antq_db_pool_connections"));
    assert!(samples.iter().any(|(n, _, _)| n == "antq_background_jobs"));
    // The process's memory, now and at its peak (Linux).
    let resident = find("process_resident_memory_bytes", &[]);
    assert!(resident > 1e6, "{resident}");
    assert!(find("antq_process_peak_resident_memory_bytes", &[]) >= resident);
    assert!(samples
        .iter()
        .any(|(n, l, _)| n == "antq_build_info" && l.contains_key("revision")));

    // With no trusted proxy configured, a forwarding header is the caller's own word and
    // changes nothing: the socket's peer (here the loopback) decides.
    let claimed = app
        .client
        .get(app.url("/metrics"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(claimed.status(), 200);

    // Behind a trusted proxy, the client it names decides; elsewhere there is nothing there.
    let proxied_app = TestApp::demo_behind_proxy(5, "127.0.0.1").await;
    let status = |forwarded: &'static str| {
        let url = proxied_app.url("/metrics");
        async move {
            reqwest::Client::new()
                .get(url)
                .header("x-forwarded-for", forwarded)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(status("203.0.113.9").await, 404);
    assert_eq!(status("127.0.0.1, 203.0.113.9").await, 404);
    assert_eq!(status("203.0.113.9, 127.0.0.1").await, 404);
    assert_eq!(status("127.0.0.1").await, 200);
}

#[tokio::test]
async fn sigterm_ends_live_connections_and_the_process_exits() {
    let prepared = TestApp::demo(20).await;
    let mut server = common::ServerProcess::start(&prepared.database_url).await;
    let app = TestApp::over(&server.base, &prepared.database_url).await;
    let leader = app.client_as("lanhdao").await;
    let mut streams = Vec::new();
    for _ in 0..2 {
        let response = leader.get(app.url("/api/live")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        streams.push(response);
    }
    let metrics = app.get("/metrics").await.text().await.unwrap();
    let clients = parse_prometheus(&metrics)
        .into_iter()
        .find(|(n, _, _)| n == "antq_live_clients")
        .map(|(_, _, v)| v);
    assert_eq!(clients, Some(2.0));

    server.terminate();
    for mut stream in streams {
        // The stream ends (or the connection closes) instead of hanging on.
        let ended = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            while let Ok(Some(_)) = stream.chunk().await {}
        })
        .await;
        assert!(ended.is_ok(), "a live stream outlived the stop");
    }
    let status = server
        .exited_within(std::time::Duration::from_secs(10))
        .await
        .expect("the server stops within ten seconds of SIGTERM");
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn liveness_readiness_and_request_ids() {
    let app = TestApp::empty().await;
    assert_eq!(app.get("/livez").await.status(), 200);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    // A proxy's request id is kept; without one the server makes one per request.
    let given = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "proxy-1234")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "proxy-1234");
    let a = app.get("/healthz").await.headers()["x-request-id"].clone();
    let b = app.get("/healthz").await.headers()["x-request-id"].clone();
    assert_ne!(a, b);
    // Something that cannot be logged safely is replaced.
    let odd = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "a b\"c")
        .send()
        .await
        .unwrap();
    assert_ne!(odd.headers()["x-request-id"], "a b\"c");

    // With the database gone, the server is alive but not ready.
    app.db.close().await;
    assert_eq!(app.get("/livez").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 503);
}

/// Rows of every table of the application (not the migrations' own), by table.
async fn table_counts(db: &app::store::Db) -> BTreeMap<String, i64> {
    let sql = match db.backend() {
        app::store::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name"
        }
        app::store::Backend::Postgres => {
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'
             AND tablename NOT LIKE '_sqlx%' ORDER BY tablename"
        }
    };
    let tables: Vec<(String,)> = sqlx::query_as(sql).fetch_all(db.pool()).await.unwrap();
    let mut counts = BTreeMap::new();
    for (table,) in tables {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(db.pool())
            .await
            .unwrap();
        counts.insert(table, n);
    }
    counts
}

#[tokio::test]
async fn a_backup_taken_during_writes_restores_to_one_consistent_moment() {
    let app = TestApp::demo(30).await;
    let before = table_counts(&app.db).await;
    // A stream of writes, each its own transaction: numbered rows.
    let writer_db = app.db.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer_stop = stop.clone();
    let writer = tokio::spawn(async move {
        let mut n = 0i64;
        while !writer_stop.load(std::sync::atomic::Ordering::Relaxed) {
            sqlx::query("INSERT INTO data_revisions (topic, revision) VALUES ($1, $2)")
                .bind(format!("backup-test-{n:06}"))
                .bind(n)
                .execute(writer_db.pool())
                .await
                .unwrap();
            n += 1;
            tokio::task::yield_now().await;
        }
        n
    });
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("antq-backup");
    server::backup::backup(&app.db, &app.database_url, &file)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.await.unwrap();
    // A second backup to the same file is refused rather than overwriting it.
    assert!(server::backup::backup(&app.db, &app.database_url, &file)
        .await
        .is_err());

    // Restored into an empty database: the data as of one moment, every table whole.
    let (url, _target_dir) = common::fresh_database().await;
    server::backup::restore(&url, &file).await.unwrap();
    let restored = app::store::Db::connect(&url).await.unwrap();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT topic, revision FROM data_revisions WHERE topic LIKE 'backup-test-%' ORDER BY topic",
    )
    .fetch_all(restored.pool())
    .await
    .unwrap();
    let k = rows.len() as i64;
    assert!(
        k > 0 && k < written,
        "a moment during the writes: {k} of {written}"
    );
    // No gaps: the rows are exactly the first k written.
    assert!(rows.iter().enumerate().all(|(i, (_, n))| *n == i as i64));
    let mut after = table_counts(&restored).await;
    *after.get_mut("data_revisions").unwrap() -= k;
    assert_eq!(after, before, "every other table as it was");
    // The accounts came back with the rest.
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(restored.pool())
        .await
        .unwrap();
    assert!(users > 0);
    restored.close().await;

    // A database that holds data is never overwritten.
    let err = server::backup::restore(&app.database_url, &file)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("empty database"), "{err}");
}
