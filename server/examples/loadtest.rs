//! Load test: a deadline day. Schools open their report's page, autosave three times, attach
//! the signed scan and submit, as many at once as `--concurrency`; leadership keeps the
//! cycle's page, completeness, roll-up and the dashboard's figures open and refreshing. This
//! load phase runs for `--seconds`, or until every school has submitted (it then ends early
//! and says so). It runs only against loopback addresses; `scripts/loadtest` prepares the
//! servers and calls it, and `scripts/test` runs it small as a smoke test.
//!
//! Then the live phase: `--live-clients` dashboards connect to the live stream of the last
//! instance, and `--live-submits` schools, set aside before the load phase began, submit one
//! at a time through the first: the time from each submit to each dashboard hearing of it,
//! and the server's memory with those connections open.
//!
//! ```text
//! loadtest --base http://127.0.0.1:3000 [--base …] --database-url URL
//!          [--seconds 60] [--concurrency 100] [--dashboards 10]
//!          [--live-clients 500] [--live-submits 30]
//! ```
//! Several `--base` spread the clients over several instances of one database. The database
//! is read once, for the schools' ids; everything else goes over HTTP as a browser sends it.
//!
//! Both phases always run and print their figures, then one JSON line with all of them (for
//! comparing runs), then `loadtest: N passed, N failed` over the checks: no request failed in
//! either phase, every live message was heard, every instance still answers. The exit status
//! is non-zero exactly when a check failed, and the lines above it name the fault.

// A poisoned lock means a client task panicked: the run's figures are void, so it stops.
#![allow(clippy::expect_used)]

use anyhow::{bail, Context};
use app::plans::Audience;
use app::reports::{DeadlineRule, NewCycle, Period, ReportSave};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = app::authz::DEMO_PASSWORD;
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
/// How long a live message may take to reach every dashboard before it counts as not heard.
const LIVE_WAIT: Duration = Duration::from_secs(5);

struct Options {
    bases: Vec<String>,
    database_url: String,
    seconds: u64,
    concurrency: usize,
    dashboards: usize,
    live_clients: usize,
    live_submits: usize,
}

fn parse_args() -> anyhow::Result<Options> {
    let mut options = Options {
        bases: Vec::new(),
        database_url: String::new(),
        seconds: 60,
        concurrency: 100,
        dashboards: 10,
        live_clients: 500,
        live_submits: 30,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--base" => options.bases.push(value()?),
            "--database-url" => options.database_url = value()?,
            "--seconds" => options.seconds = value()?.parse()?,
            "--concurrency" => options.concurrency = value()?.parse()?,
            "--dashboards" => options.dashboards = value()?.parse()?,
            "--live-clients" => options.live_clients = value()?.parse()?,
            "--live-submits" => options.live_submits = value()?.parse()?,
            other => bail!("unknown argument {other} (see the top of examples/loadtest.rs)"),
        }
    }
    if options.bases.is_empty() || options.database_url.is_empty() {
        bail!("--base and --database-url are required");
    }
    for base in &options.bases {
        let host = base
            .strip_prefix("http://")
            .and_then(|rest| rest.split([':', '/']).next())
            .unwrap_or("");
        if !matches!(host, "127.0.0.1" | "localhost") {
            bail!("{base}: the load test only runs against http://127.0.0.1");
        }
    }
    Ok(options)
}

/// Latencies and failures by kind of request.
#[derive(Default)]
struct Tally {
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    errors: BTreeMap<&'static str, usize>,
    first_error: Option<String>,
    submitted: usize,
}

type Shared = Arc<Mutex<Tally>>;

/// One client: a cookie jar signed in on one instance.
#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    base: String,
    tally: Shared,
}

impl Client {
    async fn signed_in(base: &str, login: &str, tally: &Shared) -> anyhow::Result<Client> {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(30))
            .build()?;
        let response = http
            .post(format!("{base}/api/accounts/sign-in"))
            .form(&[("login", login), ("password", PASSWORD)])
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("{login} cannot sign in at {base}: {}", response.status());
        }
        Ok(Client {
            http,
            base: base.to_string(),
            tally: tally.clone(),
        })
    }

    /// Sends one request, timing it under `kind`; the body when it succeeded.
    async fn send(&self, kind: &'static str, request: reqwest::RequestBuilder) -> Option<String> {
        let started = Instant::now();
        let outcome = match request.send().await {
            Ok(response) => {
                let status = response.status();
                match response.text().await {
                    Ok(body) if status.is_success() => Ok(body),
                    Ok(body) => Err(format!("{kind}: {status} {}", truncate(&body))),
                    Err(e) => Err(format!("{kind}: {e}")),
                }
            }
            Err(e) => Err(format!("{kind}: {e}")),
        };
        let elapsed = started.elapsed();
        let mut tally = self.tally.lock().expect("tally");
        tally.latencies.entry(kind).or_default().push(elapsed);
        match outcome {
            Ok(body) => Some(body),
            Err(message) => {
                *tally.errors.entry(kind).or_default() += 1;
                tally.first_error.get_or_insert(message);
                None
            }
        }
    }

    async fn call(&self, kind: &'static str, endpoint: &str, args: Value) -> Option<Value> {
        let request = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .json(&args);
        let body = self.send(kind, request).await?;
        serde_json::from_str(&body).ok()
    }

    async fn page(&self, kind: &'static str, path: &str) -> Option<String> {
        self.send(kind, self.http.get(format!("{}{path}", self.base)))
            .await
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(160).collect()
}

fn answers(unit: i64, round: usize) -> Value {
    json!({
        "tuyen_truyen_buoi": (unit % 9 + 1).to_string(),
        "tuyen_truyen_luot": (unit % 700 + 100 + round as i64).to_string(),
        "vu_bao_luc": "0",
        "vi_pham_phap_luat": "0",
        "ty_le_cam_ket": "98,5",
        "to_an_ninh": "yes",
        "tinh_hinh": "Ổn định",
        "ket_qua": "Tổ chức tuyên truyền dưới cờ cho toàn trường.",
        "phuong_huong": "Duy trì mô hình cổng trường an toàn.",
    })
}

/// A school's evening: open the form, autosave three times, attach the scan, submit.
async fn school(client: &Client, cycle: i64, unit: i64) {
    if client
        .page(
            "open the report page",
            &format!("/reports/{cycle}/units/{unit}"),
        )
        .await
        .is_none()
    {
        return;
    }
    let Some(view) = client
        .call(
            "read the report",
            "reports/get",
            json!({ "cycle": cycle, "unit": unit }),
        )
        .await
    else {
        return;
    };
    let mut version = view["version"].as_i64().unwrap_or(0);
    for round in 0..3 {
        let saved = client
            .call(
                "autosave",
                "reports/save",
                json!({ "cycle": cycle, "unit": unit, "version": version,
                        "answers": answers(unit, round) }),
            )
            .await;
        let saved = saved.and_then(|s| serde_json::from_value::<ReportSave>(s).ok());
        match saved {
            Some(ReportSave::Saved { version: v, .. }) => version = v,
            _ => return,
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let upload = client
        .http
        .post(format!(
            "{}/reports/{cycle}/units/{unit}/files/ban_scan?name=bao-cao.pdf",
            client.base
        ))
        .body(PDF.to_vec());
    if client.send("attach the scan", upload).await.is_none() {
        return;
    }
    let submitted = client
        .call(
            "submit",
            "reports/submit",
            json!({ "cycle": cycle, "unit": unit, "version": version,
                    "answers": answers(unit, 3), "key": format!("load-{unit}") }),
        )
        .await;
    if submitted.is_some() {
        client.tally.lock().expect("tally").submitted += 1;
    }
}

/// Leadership's screens, refreshed every few seconds.
async fn dashboard(client: &Client, cycle: i64) {
    client
        .page("cycle page", &format!("/reports/{cycle}"))
        .await;
    client
        .call(
            "completeness",
            "reports/completeness",
            json!({ "cycle": cycle }),
        )
        .await;
    client
        .call("roll-up", "reports/rollup", json!({ "cycle": cycle }))
        .await;
    client
        .call(
            "dashboard figures",
            "dashboard/figures",
            json!({ "query": { "cycle": cycle } }),
        )
        .await;
}

/// A new cycle of the demo's quarterly template for every school, due in ten days.
async fn new_cycle(specialist: &Client) -> anyhow::Result<i64> {
    let templates = specialist
        .call("setup", "reports/templates", json!({}))
        .await
        .context("listing templates")?;
    let template = templates
        .as_array()
        .and_then(|all| all.iter().find(|t| t["code"] == "antq_quy"))
        .and_then(|t| t["id"].as_i64())
        .context("the demo's quarterly template")?;
    let cycle = NewCycle {
        template,
        title: "Báo cáo nhanh ngày cao điểm".into(),
        period: Period::AdHoc {
            year: 2026,
            label: "Ngày cao điểm".into(),
        },
        rule: DeadlineRule::Fixed {
            date: app::clock::today() + chrono::Duration::days(10),
        },
        on_time_until: None,
        locks_on: None,
        audience: Audience::default(),
        plan: None,
        reminder_days: Vec::new(),
    };
    let ids = specialist
        .call(
            "setup",
            "reports/create-cycles",
            json!({ "cycle": cycle, "series_year": null }),
        )
        .await
        .context("creating the cycle")?;
    ids[0].as_i64().context("the new cycle's id")
}

/// The text of an instance's `/metrics`.
async fn metrics(base: &str) -> Option<String> {
    let response = reqwest::Client::new()
        .get(format!("{base}/metrics"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()?;
    response.text().await.ok()
}

/// The value of a gauge without labels in a `/metrics` text.
fn gauge(text: &str, name: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        line.strip_prefix(name)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

/// The server's resident and peak memory from its /metrics, in MB.
async fn memory(base: &str) -> Option<(f64, f64)> {
    let text = metrics(base).await?;
    Some((
        gauge(&text, "process_resident_memory_bytes")? / 1e6,
        gauge(&text, "antq_process_peak_resident_memory_bytes")? / 1e6,
    ))
}

/// The git revision the instance was built from, as its /metrics states it.
async fn revision(base: &str) -> Option<String> {
    let text = metrics(base).await?;
    let line = text
        .lines()
        .find(|line| line.starts_with("antq_build_info{"))?;
    let rest = &line[line.find("revision=\"")? + "revision=\"".len()..];
    Some(rest[..rest.find('"')?].to_string())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", millis(d))
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// The schools of the province, in a fixed spread-out order: those the live phase will use
/// (set aside first, so the load phase cannot use them up), then the rest for the load phase.
async fn schools(options: &Options) -> anyhow::Result<(Vec<i64>, Vec<i64>)> {
    let db = app::store::Db::connect(&options.database_url).await?;
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM units WHERE kind = 'school' AND closed_on IS NULL AND merged_into IS NULL
         ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?;
    db.close().await;
    let mut ids: Vec<i64> = rows.into_iter().map(|(id,)| id).collect();
    ids.sort_by_key(|id| (id.wrapping_mul(2_654_435_761)) % 1_000_003);
    let reserved = options.live_submits.min(ids.len());
    let load = ids.split_off(reserved);
    Ok((ids, load))
}

/// What the load phase measured.
struct LoadFigures {
    elapsed: Duration,
    /// When the last school was taken from the queue, if that happened before the end.
    ran_out: Option<Duration>,
    schools: usize,
    tally: Tally,
}

/// The load phase: `--concurrency` schools at a time through the queue, `--dashboards`
/// leadership clients refreshing, until `--seconds` have passed or every school has gone
/// through (the dashboards then stop too).
async fn load_phase(options: &Options, cycle: i64, units: Vec<i64>) -> anyhow::Result<LoadFigures> {
    let tally = Shared::default();
    let schools = units.len();
    let mut clients = Vec::new();
    for i in 0..options.concurrency + options.dashboards {
        let base = &options.bases[i % options.bases.len()];
        clients.push(Client::signed_in(base, "quantri", &tally).await?);
    }
    tally.lock().expect("tally").latencies.clear();
    let queue = Arc::new(Mutex::new(units.into_iter()));
    let ran_out: Arc<Mutex<Option<Duration>>> = Arc::default();
    let schools_done = Arc::new(AtomicBool::new(false));

    let started = Instant::now();
    let until = started + Duration::from_secs(options.seconds);
    let mut school_tasks = tokio::task::JoinSet::new();
    let mut dashboard_tasks = tokio::task::JoinSet::new();
    for (i, client) in clients.into_iter().enumerate() {
        if i < options.concurrency {
            let queue = queue.clone();
            let ran_out = ran_out.clone();
            school_tasks.spawn(async move {
                while Instant::now() < until {
                    let next = queue.lock().expect("queue").next();
                    let Some(unit) = next else {
                        ran_out
                            .lock()
                            .expect("ran out")
                            .get_or_insert(started.elapsed());
                        break;
                    };
                    school(&client, cycle, unit).await;
                }
            });
        } else {
            let schools_done = schools_done.clone();
            dashboard_tasks.spawn(async move {
                while Instant::now() < until && !schools_done.load(Ordering::Relaxed) {
                    dashboard(&client, cycle).await;
                    let pause = Instant::now() + Duration::from_secs(2);
                    while Instant::now() < pause.min(until) && !schools_done.load(Ordering::Relaxed)
                    {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            });
        }
    }
    while school_tasks.join_next().await.is_some() {}
    schools_done.store(true, Ordering::Relaxed);
    while dashboard_tasks.join_next().await.is_some() {}
    let elapsed = started.elapsed();
    let ran_out = *ran_out.lock().expect("ran out");
    let tally = std::mem::take(&mut *tally.lock().expect("tally"));
    Ok(LoadFigures {
        elapsed,
        ran_out,
        schools,
        tally,
    })
}

/// The figures of one kind of request.
struct Row {
    kind: String,
    count: usize,
    p50: Duration,
    p95: Duration,
    max: Duration,
    errors: usize,
}

/// Each kind of request's figures, and every latency of all of them, sorted.
fn request_table(tally: &Tally) -> (Vec<Row>, Vec<Duration>) {
    let mut rows = Vec::new();
    let mut all = Vec::new();
    for (kind, latencies) in &tally.latencies {
        let mut sorted = latencies.clone();
        sorted.sort();
        all.extend_from_slice(&sorted);
        rows.push(Row {
            kind: kind.to_string(),
            count: sorted.len(),
            p50: percentile(&sorted, 0.5),
            p95: percentile(&sorted, 0.95),
            max: sorted.last().copied().unwrap_or_default(),
            errors: tally.errors.get(kind).copied().unwrap_or(0),
        });
    }
    all.sort();
    (rows, all)
}

fn print_load(figures: &LoadFigures) -> Value {
    let tally = &figures.tally;
    let (rows, all) = request_table(tally);
    let errors: usize = tally.errors.values().sum();
    let seconds = figures.elapsed.as_secs_f64();
    println!(
        "{:<24}{:>9}{:>12}{:>12}{:>12}{:>8}",
        "request", "count", "p50", "p95", "max", "errors"
    );
    let mut requests = serde_json::Map::new();
    for row in &rows {
        println!(
            "{:<24}{:>9}{:>12}{:>12}{:>12}{:>8}",
            row.kind,
            row.count,
            ms(row.p50),
            ms(row.p95),
            ms(row.max),
            row.errors
        );
        requests.insert(
            row.kind.clone(),
            json!({ "count": row.count, "p50_ms": millis(row.p50), "p95_ms": millis(row.p95),
                    "max_ms": millis(row.max), "errors": row.errors }),
        );
    }
    println!(
        "all: {} requests in {seconds:.1} s, {:.0} requests/s, p95 {}, {errors} errors; {} reports submitted ({:.1}/s)",
        all.len(),
        all.len() as f64 / seconds,
        ms(percentile(&all, 0.95)),
        tally.submitted,
        tally.submitted as f64 / seconds
    );
    match figures.ran_out {
        Some(at) => println!(
            "the load phase ran out of schools after {:.1} s: all {} had been taken (the phase ended there, which is not a fault)",
            at.as_secs_f64(),
            figures.schools
        ),
        None => println!(
            "the load phase ran its full time with schools left over ({} submitted of {})",
            tally.submitted, figures.schools
        ),
    }
    if let Some(first) = &tally.first_error {
        println!("first error: {first}");
    }
    json!({
        "seconds": (seconds * 10.0).round() / 10.0,
        "schools_available": figures.schools,
        "ran_out_of_schools_after_s": figures.ran_out.map(|d| (d.as_secs_f64() * 10.0).round() / 10.0),
        "requests": requests,
        "all": { "count": all.len(), "p50_ms": millis(percentile(&all, 0.5)),
                 "p95_ms": millis(percentile(&all, 0.95)), "errors": errors },
        "submitted": tally.submitted,
        "submissions_per_s": (tally.submitted as f64 / seconds * 10.0).round() / 10.0,
        "first_error": tally.first_error,
    })
}

/// What the live phase measured.
struct LiveFigures {
    clients: usize,
    submits: usize,
    /// Every arrival of a message at a client, from the submit that caused it.
    latencies: Vec<Duration>,
    /// Messages caused and not heard by a client within `LIVE_WAIT`.
    missed: usize,
    memory_before: Option<f64>,
    memory_connected: Option<f64>,
    tally: Tally,
}

/// Live dashboards: `--live-clients` connections to the last instance's stream; the schools
/// set aside submit one at a time through the first; each submit is timed until every
/// connection has heard of it.
async fn live_phase(options: &Options, cycle: i64, units: &[i64]) -> anyhow::Result<LiveFigures> {
    if units.is_empty() {
        bail!("the province has no school for the live phase");
    }
    let tally = Shared::default();
    let submitter = Client::signed_in(&options.bases[0], "quantri", &tally).await?;
    let base = options.bases.last().context("a base")?.clone();
    let memory_before = memory(&base).await.map(|(now, _)| now);
    let leader = Client::signed_in(&base, "lanhdao", &tally).await?;
    let heard: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let mut streams = tokio::task::JoinSet::new();
    for _ in 0..options.live_clients {
        let response = leader
            .http
            .get(format!("{base}/api/live"))
            .timeout(Duration::from_secs(3600))
            .send()
            .await
            .context("opening a live stream")?;
        if !response.status().is_success() {
            bail!("the live stream answered {}", response.status());
        }
        let heard = heard.clone();
        streams.spawn(async move {
            let mut response = response;
            while let Ok(Some(chunk)) = response.chunk().await {
                if chunk.windows(5).any(|w| w == b"data:") {
                    heard.lock().expect("heard").push(Instant::now());
                }
            }
        });
    }
    // Every connection is up once the server counts them all.
    let mut counted = false;
    for _ in 0..100 {
        let clients = metrics(&base)
            .await
            .and_then(|text| gauge(&text, "antq_live_clients"));
        if clients >= Some(options.live_clients as f64) {
            counted = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if !counted {
        streams.abort_all();
        bail!(
            "the server did not count {} live clients within 10 s",
            options.live_clients
        );
    }
    let memory_connected = memory(&base).await.map(|(now, _)| now);
    let mut latencies = Vec::new();
    let mut missed = 0;
    let mut submits = 0;
    for &unit in units {
        let Some(view) = submitter
            .call(
                "read the report",
                "reports/get",
                json!({ "cycle": cycle, "unit": unit }),
            )
            .await
        else {
            continue;
        };
        let upload = submitter
            .http
            .post(format!(
                "{}/reports/{cycle}/units/{unit}/files/ban_scan?name=bao-cao.pdf",
                submitter.base
            ))
            .body(PDF.to_vec());
        if submitter.send("attach the scan", upload).await.is_none() {
            continue;
        }
        heard.lock().expect("heard").clear();
        let started = Instant::now();
        let submitted = submitter
            .call(
                "submit",
                "reports/submit",
                json!({ "cycle": cycle, "unit": unit, "version": view["version"],
                        "answers": answers(unit, 0), "key": format!("live-{unit}") }),
            )
            .await;
        if submitted.is_none() {
            continue;
        }
        submits += 1;
        let deadline = started + LIVE_WAIT;
        while heard.lock().expect("heard").len() < options.live_clients && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let arrivals = std::mem::take(&mut *heard.lock().expect("heard"));
        missed += options.live_clients.saturating_sub(arrivals.len());
        latencies.extend(
            arrivals
                .iter()
                .map(|t| t.saturating_duration_since(started)),
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    streams.abort_all();
    latencies.sort();
    let tally = std::mem::take(&mut *tally.lock().expect("tally"));
    Ok(LiveFigures {
        clients: options.live_clients,
        submits,
        latencies,
        missed,
        memory_before,
        memory_connected,
        tally,
    })
}

fn print_live(options: &Options, figures: &LiveFigures) -> Value {
    let latencies = &figures.latencies;
    let errors: usize = figures.tally.errors.values().sum();
    let timing = if latencies.is_empty() {
        "no message heard".to_string()
    } else {
        format!(
            "submit to client p50 {}, p99 {}, max {}",
            ms(percentile(latencies, 0.5)),
            ms(percentile(latencies, 0.99)),
            ms(latencies.last().copied().unwrap_or_default()),
        )
    };
    println!(
        "live: {} clients on {}, {} submits through {}: {timing}; {} not heard within {} s; {errors} request errors",
        figures.clients,
        options.bases.last().map_or("", String::as_str),
        figures.submits,
        options.bases[0],
        figures.missed,
        LIVE_WAIT.as_secs(),
    );
    if let Some(first) = &figures.tally.first_error {
        println!("live: first error: {first}");
    }
    if let (Some(idle), Some(connected)) = (figures.memory_before, figures.memory_connected) {
        println!(
            "live: memory {idle:.0} MB before the connections, {connected:.0} MB with {} open ({:.1} KB each)",
            figures.clients,
            (connected - idle) * 1000.0 / figures.clients.max(1) as f64
        );
    }
    json!({
        "clients": figures.clients,
        "submits": figures.submits,
        "heard": latencies.len(),
        "not_heard": figures.missed,
        "p50_ms": latencies.first().map(|_| millis(percentile(latencies, 0.5))),
        "p99_ms": latencies.first().map(|_| millis(percentile(latencies, 0.99))),
        "max_ms": latencies.last().map(|d| millis(*d)),
        "errors": errors,
        "first_error": figures.tally.first_error,
        "memory_mb_before": figures.memory_before.map(f64::round),
        "memory_mb_connected": figures.memory_connected.map(f64::round),
    })
}

/// Whether an instance still answers `/livez`.
async fn alive(base: &str) -> bool {
    let answer = reqwest::Client::new()
        .get(format!("{base}/livez"))
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    answer.is_ok_and(|response| response.status().is_success())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = parse_args()?;
    let backend = if options.database_url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let setup = Shared::default();
    let specialist = Client::signed_in(&options.bases[0], "chuyenvien", &setup).await?;
    let cycle = new_cycle(&specialist).await?;
    let (live_units, load_units) = schools(&options).await?;
    let total = live_units.len() + load_units.len();
    let instances = options.bases.len();
    println!(
        "load test on {backend}: {} s, {} schools at once over {} schools, {} dashboards, {instances} instance(s), cycle {cycle}; {} schools set aside for the live phase",
        options.seconds,
        options.concurrency,
        load_units.len(),
        options.dashboards,
        live_units.len()
    );

    // Each check: what it is, and the fault when it failed.
    let mut checks: Vec<(&str, Option<String>)> = Vec::new();

    let load = match load_phase(&options, cycle, load_units).await {
        Ok(figures) => {
            let errors: usize = figures.tally.errors.values().sum();
            let fault = (errors > 0).then(|| {
                format!(
                    "{errors} requests of the load phase failed, the first: {}",
                    figures.tally.first_error.as_deref().unwrap_or("?")
                )
            });
            checks.push(("load phase without request errors", fault));
            print_load(&figures)
        }
        Err(e) => {
            println!("the load phase could not run: {e:#}");
            checks.push(("load phase without request errors", Some(format!("{e:#}"))));
            json!({ "error": format!("{e:#}") })
        }
    };
    let mut memory_json = Vec::new();
    for base in &options.bases {
        match memory(base).await {
            Some((now, peak)) => {
                println!("{base}: memory {now:.0} MB now, {peak:.0} MB at most");
                memory_json
                    .push(json!({ "base": base, "now_mb": now.round(), "peak_mb": peak.round() }));
            }
            None => println!("{base}: memory not readable from /metrics"),
        }
    }

    let live = if options.live_clients > 0 && options.live_submits > 0 {
        match live_phase(&options, cycle, &live_units).await {
            Ok(figures) => {
                let errors: usize = figures.tally.errors.values().sum();
                let mut faults = Vec::new();
                if errors > 0 {
                    faults.push(format!(
                        "{errors} requests of the live phase failed, the first: {}",
                        figures.tally.first_error.as_deref().unwrap_or("?")
                    ));
                }
                if figures.submits == 0 {
                    faults.push("no submission of the live phase went through".into());
                }
                if figures.missed > 0 {
                    faults.push(format!(
                        "{} of {} live messages were sent but not heard within {} s",
                        figures.missed,
                        figures.submits * figures.clients,
                        LIVE_WAIT.as_secs()
                    ));
                }
                checks.push((
                    "live phase heard every message it caused",
                    (!faults.is_empty()).then(|| faults.join("; ")),
                ));
                print_live(&options, &figures)
            }
            Err(e) => {
                println!("the live phase failed: {e:#}");
                checks.push((
                    "live phase heard every message it caused",
                    Some(format!("{e:#}")),
                ));
                json!({ "error": format!("{e:#}") })
            }
        }
    } else {
        println!("live phase not asked for (--live-clients or --live-submits is 0)");
        Value::Null
    };

    let mut dead = Vec::new();
    for base in &options.bases {
        if !alive(base).await {
            dead.push(base.as_str());
        }
    }
    checks.push((
        "every instance still answers",
        (!dead.is_empty()).then(|| format!("no answer from {}", dead.join(", "))),
    ));

    let summary = json!({
        "backend": backend,
        "instances": instances,
        "revision": revision(&options.bases[0]).await,
        "cores": std::thread::available_parallelism().map_or(0, usize::from),
        "schools": total,
        "concurrency": options.concurrency,
        "dashboards": options.dashboards,
        "seconds_asked": options.seconds,
        "load": load,
        "memory": memory_json,
        "live": live,
        "faults": checks.iter().filter_map(|(_, fault)| fault.clone()).collect::<Vec<_>>(),
    });
    println!("{summary}");
    let failed: Vec<_> = checks
        .iter()
        .filter_map(|(name, fault)| Some((name, fault.as_ref()?)))
        .collect();
    for (name, fault) in &failed {
        println!("FAILED {name}: {fault}");
    }
    println!(
        "loadtest: {} passed, {} failed",
        checks.len() - failed.len(),
        failed.len()
    );
    if !failed.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
