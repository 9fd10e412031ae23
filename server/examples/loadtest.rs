//! Load test: a deadline day. Schools open their report's page, autosave three times, attach
//! the signed scan and submit, as many at once as `--concurrency`; leadership keeps the
//! cycle's page, completeness and roll-up open and refreshing. It runs for `--seconds` and
//! only against loopback addresses; `scripts/loadtest` prepares the servers and calls it.
//!
//! Then `--live-clients` dashboards connect to the live stream of the last instance, and
//! schools submit one at a time through the first: the time from each submit to each
//! dashboard hearing of it, and the server's memory with those connections open.
//!
//! ```text
//! loadtest --base http://127.0.0.1:3000 [--base …] --database-url URL
//!          [--seconds 60] [--concurrency 100] [--dashboards 10]
//!          [--live-clients 500] [--live-submits 30]
//! ```
//! Several `--base` spread the clients over several instances of one database. The database
//! is read once, for the schools' ids; everything else goes over HTTP as a browser sends it.

// A poisoned lock means a client task panicked: the run's figures are void, so it stops.
#![allow(clippy::expect_used)]

use anyhow::{bail, Context};
use app::plans::Audience;
use app::reports::{DeadlineRule, NewCycle, Period, ReportSave};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = app::authz::DEMO_PASSWORD;
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

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

/// The server's resident and peak memory from its /metrics, in MB.
async fn memory(base: &str) -> Option<(f64, f64)> {
    let text = reqwest::get(format!("{base}/metrics"))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let gauge = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
            .map(|bytes| bytes / 1e6)
    };
    Some((
        gauge("process_resident_memory_bytes ")?,
        gauge("antq_process_peak_resident_memory_bytes ")?,
    ))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = parse_args()?;
    let tally: Shared = Arc::default();
    let specialist = Client::signed_in(&options.bases[0], "chuyenvien", &tally).await?;
    let cycle = new_cycle(&specialist).await?;

    let db = app::store::Db::connect(&options.database_url).await?;
    let mut schools: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM units WHERE kind = 'school' AND closed_on IS NULL AND merged_into IS NULL
         ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?;
    db.close().await;
    // Schools come in no particular order: spread them, deterministically.
    schools.sort_by_key(|(id,)| (id.wrapping_mul(2_654_435_761)) % 1_000_003);
    let queue = Arc::new(Mutex::new(schools.into_iter().map(|(id,)| id)));
    let total = queue.lock().expect("queue").len();

    let mut clients = Vec::new();
    for i in 0..options.concurrency + options.dashboards {
        let base = &options.bases[i % options.bases.len()];
        clients.push(Client::signed_in(base, "quantri", &tally).await?);
    }
    let instances = options.bases.len();
    println!(
        "load test: {} s, {} schools at once over {total} schools, {} dashboards, {instances} instance(s), cycle {cycle}",
        options.seconds, options.concurrency, options.dashboards
    );
    tally.lock().expect("tally").latencies.clear();

    let started = Instant::now();
    let until = started + Duration::from_secs(options.seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for (i, client) in clients.into_iter().enumerate() {
        let queue = queue.clone();
        if i < options.concurrency {
            tasks.spawn(async move {
                while Instant::now() < until {
                    let next = queue.lock().expect("queue").next();
                    match next {
                        Some(unit) => school(&client, cycle, unit).await,
                        None => break,
                    }
                }
            });
        } else {
            tasks.spawn(async move {
                while Instant::now() < until {
                    dashboard(&client, cycle).await;
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            });
        }
    }
    while tasks.join_next().await.is_some() {}
    let elapsed = started.elapsed();

    let tally = std::mem::take(&mut *tally.lock().expect("tally"));
    let requests: usize = tally.latencies.values().map(Vec::len).sum();
    let errors: usize = tally.errors.values().sum();
    println!(
        "{:<24}{:>9}{:>12}{:>12}{:>12}{:>8}",
        "request", "count", "p50", "p95", "max", "errors"
    );
    let mut all = Vec::new();
    for (kind, latencies) in &tally.latencies {
        let mut sorted = latencies.clone();
        sorted.sort();
        all.extend_from_slice(&sorted);
        println!(
            "{:<24}{:>9}{:>12}{:>12}{:>12}{:>8}",
            kind,
            sorted.len(),
            ms(percentile(&sorted, 0.5)),
            ms(percentile(&sorted, 0.95)),
            ms(*sorted.last().unwrap_or(&Duration::ZERO)),
            tally.errors.get(kind).copied().unwrap_or(0)
        );
    }
    all.sort();
    println!(
        "all: {requests} requests in {:.1} s, {:.0} requests/s, p95 {}, {errors} errors; {} reports submitted ({:.1}/s)",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        ms(percentile(&all, 0.95)),
        tally.submitted,
        tally.submitted as f64 / elapsed.as_secs_f64()
    );
    if let Some(first) = &tally.first_error {
        println!("first error: {first}");
    }
    for base in &options.bases {
        match memory(base).await {
            Some((now, peak)) => println!("{base}: memory {now:.0} MB now, {peak:.0} MB at most"),
            None => println!("{base}: memory not readable from /metrics"),
        }
    }
    if options.live_clients > 0 && options.live_submits > 0 {
        let submitter = Client::signed_in(&options.bases[0], "quantri", &Shared::default()).await?;
        live(&options, &submitter, cycle, &queue).await?;
    }
    Ok(())
}

/// Live dashboards: `--live-clients` connections to the last instance's stream; schools
/// submit one at a time through the first; each submit is timed until every connection has
/// heard of it.
async fn live(
    options: &Options,
    submitter: &Client,
    cycle: i64,
    queue: &Arc<Mutex<impl Iterator<Item = i64>>>,
) -> anyhow::Result<()> {
    let base = options.bases.last().context("a base")?.clone();
    let before = memory(&base).await;
    let leader = Client::signed_in(&base, "lanhdao", &Shared::default()).await?;
    let heard: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let mut streams = tokio::task::JoinSet::new();
    for _ in 0..options.live_clients {
        let response = leader
            .http
            .get(format!("{base}/api/live"))
            .timeout(Duration::from_secs(3600))
            .send()
            .await?;
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
    let counted = async {
        for _ in 0..100 {
            let text = reqwest::get(format!("{base}/metrics"))
                .await
                .ok()?
                .text()
                .await
                .ok()?;
            let clients = text.lines().find_map(|l| {
                l.strip_prefix("antq_live_clients ")?
                    .trim()
                    .parse::<usize>()
                    .ok()
            });
            if clients >= Some(options.live_clients) {
                return Some(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        None
    };
    if counted.await.is_none() {
        bail!(
            "the server did not count {} live clients",
            options.live_clients
        );
    }
    let after = memory(&base).await;
    let mut latencies = Vec::new();
    let mut missed = 0;
    for _ in 0..options.live_submits {
        let Some(unit) = queue.lock().expect("queue").next() else {
            break;
        };
        let view = submitter
            .call(
                "read the report",
                "reports/get",
                json!({ "cycle": cycle, "unit": unit }),
            )
            .await
            .context("reading a report")?;
        let upload = submitter
            .http
            .post(format!(
                "{}/reports/{cycle}/units/{unit}/files/ban_scan?name=bao-cao.pdf",
                submitter.base
            ))
            .body(PDF.to_vec());
        submitter
            .send("attach the scan", upload)
            .await
            .context("attaching")?;
        heard.lock().expect("heard").clear();
        let started = Instant::now();
        submitter
            .call(
                "submit",
                "reports/submit",
                json!({ "cycle": cycle, "unit": unit, "version": view["version"],
                        "answers": answers(unit, 0), "key": format!("live-{unit}") }),
            )
            .await
            .context("submitting")?;
        let deadline = started + Duration::from_secs(5);
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
    latencies.sort();
    if latencies.is_empty() {
        bail!("no live update arrived");
    }
    println!(
        "live: {} clients on {base}, {} submits through {}: submit to client p50 {}, p99 {}, max {}; {missed} not heard within 5 s",
        options.live_clients,
        options.live_submits,
        options.bases[0],
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap_or(&Duration::ZERO)),
    );
    if let (Some((idle, _)), Some((connected, _))) = (before, after) {
        println!(
            "live: memory {idle:.0} MB before the connections, {connected:.0} MB with {} open ({:.1} KB each)",
            options.live_clients,
            (connected - idle) * 1000.0 / options.live_clients as f64
        );
    }
    streams.abort_all();
    Ok(())
}
