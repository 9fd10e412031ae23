//! What an IT officer sees of the running server: a request id on every request (taken from
//! the proxy's `X-Request-Id` or made here, logged and sent back), Prometheus metrics at
//! `/metrics` for the configured addresses only, and liveness (`/livez`: the process
//! answers) apart from readiness (`/readyz`: the database answers and the server is not
//! shutting down).

use app::state::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Requests of one route, method and status.
#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    /// Requests at or under each bound of `BUCKETS`.
    buckets: [u64; BUCKETS.len()],
}

/// The figures `/metrics` prints, kept by the request layer and the server's loops.
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), Series>>,
    in_flight: AtomicU64,
    started: Instant,
    /// Set when shutdown begins: `/readyz` answers 503 so a balancer stops sending.
    pub stopping: AtomicBool,
    /// Who may read `/metrics`.
    allowed: Vec<IpAddr>,
}

impl Metrics {
    /// With the addresses of `ANTQ_METRICS_ALLOW` (comma-separated; loopback by default).
    pub fn from_env() -> Arc<Metrics> {
        let allowed = std::env::var("ANTQ_METRICS_ALLOW")
            .unwrap_or_else(|_| "127.0.0.1,::1".into())
            .split(',')
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        Arc::new(Metrics {
            requests: Mutex::new(BTreeMap::new()),
            in_flight: AtomicU64::new(0),
            started: Instant::now(),
            stopping: AtomicBool::new(false),
            allowed,
        })
    }

    fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut requests) = self.requests.lock() {
            let series = requests
                .entry((method.to_string(), route.to_string(), status))
                .or_default();
            series.count += 1;
            series.sum += seconds;
            for (n, bound) in BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    series.buckets[n] += 1;
                }
            }
        }
    }

    /// The Prometheus text of the request figures.
    fn render_requests(&self, out: &mut String) {
        let Ok(requests) = self.requests.lock() else {
            return;
        };
        out.push_str("# HELP antq_http_requests_total HTTP requests answered, by route, method and status.\n");
        out.push_str("# TYPE antq_http_requests_total counter\n");
        for ((method, route, status), s) in requests.iter() {
            let _ = writeln!(
                out,
                "antq_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                s.count
            );
        }
        out.push_str(
            "# HELP antq_http_request_duration_seconds Time to answer, by route and method.\n",
        );
        out.push_str("# TYPE antq_http_request_duration_seconds histogram\n");
        // The histogram is per route and method, all statuses together.
        let mut merged: BTreeMap<(&str, &str), Series> = BTreeMap::new();
        for ((method, route, _), s) in requests.iter() {
            let m = merged.entry((method, route)).or_default();
            m.count += s.count;
            m.sum += s.sum;
            for (n, b) in s.buckets.iter().enumerate() {
                m.buckets[n] += b;
            }
        }
        for ((method, route), s) in merged {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            for (n, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "antq_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                    s.buckets[n]
                );
            }
            let _ = writeln!(
                out,
                "antq_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "antq_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum
            );
            let _ = writeln!(
                out,
                "antq_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
    }
}

/// A label value as the text format wants it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// A request id the proxy sent, if it is one we can log safely.
fn usable_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    (!text.is_empty()
        && text.len() <= 64
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| text.to_string())
}

/// A new request id: this process (its id and start) and a running number, in hex.
fn new_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static PROCESS: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let process = *PROCESS.get_or_init(|| {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos() ^ d.as_secs() as u32);
        std::process::id().rotate_left(16) ^ since
    });
    format!("{process:08x}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The outermost layer: gives the request its id, times it and counts it by route.
pub async fn track(
    State(metrics): State<Arc<Metrics>>,
    mut request: Request,
    next: Next,
) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(usable_id)
        .unwrap_or_else(new_id);
    if let Ok(value) = HeaderValue::from_str(&id) {
        request.headers_mut().insert("x-request-id", value);
    }
    // Routes by their pattern, so ids in paths do not make a series each; files and
    // unknown paths together.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| {
            if request.uri().path().starts_with("/pkg/") {
                "/pkg/*".to_string()
            } else {
                "other".to_string()
            }
        });
    let method = request.method().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %method,
        path = %request.uri().path(),
    );
    let started = Instant::now();
    metrics.in_flight.fetch_add(1, Ordering::Relaxed);
    let mut response = {
        use tracing::Instrument;
        next.run(request).instrument(span.clone()).await
    };
    metrics.in_flight.fetch_sub(1, Ordering::Relaxed);
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    metrics.record(&method, &route, status, seconds);
    span.in_scope(|| {
        tracing::info!(
            status,
            ms = format_args!("{:.1}", seconds * 1000.0),
            "answered"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// `/livez`: the process is up and answering.
pub async fn livez() -> Response {
    (
        StatusCode::OK,
        axum::Json(serde_json::json!({ "status": "ok" })),
    )
        .into_response()
}

/// `/readyz`: the database answers and the server is not shutting down.
pub async fn readyz(
    State(state): State<AppState>,
    Extension(metrics): Extension<Arc<Metrics>>,
) -> Response {
    if metrics.stopping.load(Ordering::Relaxed) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "status": "stopping" })),
        )
            .into_response();
    }
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "status": "ready" })),
        )
            .into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "status": "database unreachable" })),
        )
            .into_response(),
    }
}

/// `/metrics` in the Prometheus text format, for the configured addresses only (a request
/// through a trusted proxy is judged by the client address the proxy forwards).
pub async fn metrics(
    State(state): State<AppState>,
    Extension(metrics): Extension<Arc<Metrics>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    // The client as found behind the trusted proxies (`ANTQ_TRUSTED_PROXIES`), never what a
    // request says of itself.
    let client = request
        .extensions()
        .get::<app::authz::ClientAddress>()
        .map_or(peer.ip().to_canonical(), |c| c.0);
    if !metrics.allowed.contains(&client) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut out = String::new();
    metrics.render_requests(&mut out);
    let _ = writeln!(
        out,
        "# HELP antq_http_requests_in_flight Requests being answered now.\n# TYPE antq_http_requests_in_flight gauge\nantq_http_requests_in_flight {}",
        metrics.in_flight.load(Ordering::Relaxed)
    );
    let pool = state.db.pool();
    let _ = writeln!(
        out,
        "# HELP antq_db_pool_connections Database connections open, by state.\n# TYPE antq_db_pool_connections gauge\nantq_db_pool_connections{{state=\"idle\"}} {}\nantq_db_pool_connections{{state=\"busy\"}} {}",
        pool.num_idle(),
        (pool.size() as usize).saturating_sub(pool.num_idle())
    );
    let _ = writeln!(
        out,
        "# HELP antq_live_clients Dashboards connected to the live stream of changes.\n# TYPE antq_live_clients gauge\nantq_live_clients {}",
        state.db.changes().clients()
    );
    let _ = writeln!(
        out,
        "# HELP antq_db_up Whether the database answered this scrape.\n# TYPE antq_db_up gauge\nantq_db_up {}",
        u8::from(state.db.ping().await.is_ok())
    );
    if let Ok(jobs) = app::store::exports::running(&state.db).await {
        let _ = writeln!(
            out,
            "# HELP antq_background_jobs Export jobs, by status.\n# TYPE antq_background_jobs gauge\nantq_background_jobs{{kind=\"export\",status=\"running\"}} {jobs}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP antq_uptime_seconds Seconds since the server started.\n# TYPE antq_uptime_seconds gauge\nantq_uptime_seconds {:.0}",
        metrics.started.elapsed().as_secs_f64()
    );
    if let Some((resident, peak)) = process_memory() {
        let _ = writeln!(
            out,
            "# HELP process_resident_memory_bytes Resident memory of the server process.\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {resident}\n# HELP antq_process_peak_resident_memory_bytes The most resident memory the process has used.\n# TYPE antq_process_peak_resident_memory_bytes gauge\nantq_process_peak_resident_memory_bytes {peak}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP antq_build_info The running version.\n# TYPE antq_build_info gauge\nantq_build_info{{version=\"{}\",revision=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION"),
        crate::REVISION
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}

/// Resident and peak resident memory in bytes, from Linux's /proc (elsewhere, none).
fn process_memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kb| kb * 1024)
    };
    Some((kb("VmRSS:")?, kb("VmHWM:")?))
}
