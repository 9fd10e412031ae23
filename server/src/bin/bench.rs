//! Benchmark: how long the demo generator takes for a large province, the directory search
//! latency (p50/p95) over it, the authorization layer, plans (issue, coverage) and reports
//! (every school submitting at once, completeness, roll-up, the workbook), through the same
//! data layer and checks the app uses.
//!
//! `cargo run --release -p server --bin bench -- [--schools N] [--rounds R] [--database-url URL]`
//! Without a URL it works on a new SQLite file in a temporary folder. BENCHMARKS.md records
//! the figures and the method.

use anyhow::Context;
use app::org::demo::{self, DemoOptions};
use app::org::{DirectoryFilter, LevelFilter, Ownership, SchoolLevel, UnitKind};
use app::store::org::Scope;
use app::store::Db;
use chrono::NaiveDate;
use std::time::{Duration, Instant};

struct Options {
    schools: usize,
    rounds: usize,
    database_url: Option<String>,
}

fn parse_args() -> anyhow::Result<Options> {
    let mut options = Options {
        schools: 50_000,
        rounds: 40,
        database_url: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--schools" => options.schools = value()?.parse()?,
            "--rounds" => options.rounds = value()?.parse()?,
            "--database-url" => options.database_url = Some(value()?),
            "--help" | "-h" => {
                println!("bench [--schools N (50000)] [--rounds R (40)] [--database-url URL]");
                std::process::exit(0);
            }
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    Ok(options)
}

/// Searches people actually type, with and without filters, today and in the past.
fn workload(area: Option<i64>) -> Vec<(&'static str, DirectoryFilter)> {
    let q = |text: &str| DirectoryFilter {
        q: text.into(),
        ..Default::default()
    };
    vec![
        ("one word", q("nguyen")),
        ("three words", q("thcs le quy don")),
        ("no diacritics, many hits", q("truong tieu hoc")),
        ("with diacritics", q("Mầm non Hoa Sen")),
        ("no match", q("khong co truong nay")),
        (
            "schools, page 20",
            DirectoryFilter {
                kind: Some(UnitKind::School),
                page: 20,
                ..Default::default()
            },
        ),
        (
            "level + ownership",
            DirectoryFilter {
                level: Some(LevelFilter::Level(SchoolLevel::LowerSecondary)),
                ownership: Some(Ownership::NonPublic),
                ..Default::default()
            },
        ),
        (
            "liên cấp",
            DirectoryFilter {
                level: Some(LevelFilter::MultiLevel),
                ..Default::default()
            },
        ),
        (
            "one commune",
            DirectoryFilter {
                area,
                ..Default::default()
            },
        ),
        (
            "word, as of 2020",
            DirectoryFilter {
                q: "long".into(),
                as_of: NaiveDate::from_ymd_opt(2020, 1, 15),
                ..Default::default()
            },
        ),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = parse_args()?;
    let dir = tempfile_dir()?;
    let url = options
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite:{}", dir.join("bench.db").display()));
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    println!("database: {}", db.backend().name());

    let started = Instant::now();
    let summary = demo::generate(
        &db,
        DemoOptions {
            schools: options.schools,
            seed: demo::DEFAULT_SEED,
        },
    )
    .await?;
    let elapsed = started.elapsed();
    db.refresh_statistics(&[]).await?;
    println!(
        "demo --schools {}: {:.1} s ({} communes, {} districts)",
        summary.schools,
        elapsed.as_secs_f64(),
        summary.communes,
        summary.districts
    );

    let today = app::clock::today();
    let areas = app::store::org::areas(&db, today, today, &Scope::All).await?;
    let workload = workload(areas.first().map(|a| a.id));
    // The first search of a day after a change to the organisation builds that day's index;
    // the warm-up pass times it, then the rounds measure searches of an unchanged directory.
    let mut first = Vec::new();
    for (name, filter) in &workload {
        let t = Instant::now();
        app::store::org::search(&db, filter, today, &Scope::All).await?;
        first.push((name, t.elapsed()));
    }
    let slowest = first.iter().max_by_key(|(_, d)| *d);
    if let Some((name, d)) = slowest {
        println!(
            "first search after a change (builds the day's index), slowest: {} ({name})",
            ms(*d)
        );
    }
    let mut all = Vec::new();
    println!("{:<26} {:>10} {:>10} {:>8}", "search", "p50", "p95", "hits");
    for (name, filter) in &workload {
        let mut samples = Vec::with_capacity(options.rounds);
        let mut hits = 0;
        for _ in 0..options.rounds {
            let t = Instant::now();
            let page = app::store::org::search(&db, filter, today, &Scope::All).await?;
            samples.push(t.elapsed());
            hits = page.total;
        }
        samples.sort();
        println!(
            "{:<26} {:>10} {:>10} {:>8}",
            name,
            ms(percentile(&samples, 0.5)),
            ms(percentile(&samples, 0.95)),
            hits
        );
        all.extend(samples);
    }
    all.sort();
    println!(
        "directory search, all {} calls: p50 {}, p95 {} (target p95 < 30 ms)",
        all.len(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.95))
    );
    accounts(&db, options.rounds).await?;
    plans(&db, options.rounds).await?;
    reports(&db, options.rounds).await?;
    recognition(&db, options.rounds).await?;
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The cost of a sign-in (argon2id) and of the authorization layer on each request: finding
/// the session from the cookie and checking a unit against a commune officer's subtree.
async fn accounts(db: &Db, rounds: usize) -> anyhow::Result<()> {
    use app::accounts::Action;
    use app::store::accounts as store;
    let hash = store::hash_password("mot-mat-khau-thu-nghiem")?;
    let mut samples = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        anyhow::ensure!(store::verify_password("mot-mat-khau-thu-nghiem", &hash));
        samples.push(t.elapsed());
    }
    samples.sort();
    println!(
        "sign-in password check (argon2id): p50 {}",
        ms(percentile(&samples, 0.5))
    );

    store::create_demo_accounts(db, app::clock::today()).await?;
    let area_user = store::user_by_login(db, "khuvuc")
        .await?
        .context("demo area account")?;
    let (token, token_hash) = store::new_token();
    let now = chrono::Utc::now();
    store::create_session(
        db,
        &store::NewSession {
            token_hash: &token_hash,
            user: area_user.id,
            now,
            expires: now + chrono::Duration::hours(1),
            address: "127.0.0.1",
            user_agent: "bench",
        },
    )
    .await?;
    let mut headers = axum::http::HeaderMap::new();
    headers.insert(
        axum::http::header::COOKIE,
        format!("{}={token}", app::authz::SESSION_COOKIE).parse()?,
    );
    let today = app::clock::today();
    let caller = app::authz::identify(db, &headers, "127.0.0.1".into(), true).await?;
    let user = caller.user.context("the session is found")?;
    // A school inside the officer's commune: the check walks the subtree.
    let school_user = store::user_by_login(db, "truong")
        .await?
        .context("demo school account")?;
    let school = store::grants(db, school_user.id).await?[0].1.id;
    let mut identify = Vec::new();
    let mut check = Vec::new();
    for _ in 0..rounds * 5 {
        let t = Instant::now();
        app::authz::identify(db, &headers, "127.0.0.1".into(), true).await?;
        identify.push(t.elapsed());
        let t = Instant::now();
        app::authz::check(db, &user, Action::ViewOrganisation, school, today).await?;
        check.push(t.elapsed());
    }
    identify.sort();
    check.sort();
    println!(
        "authorization per request: session lookup p50 {} p95 {}; scope check p50 {} p95 {}",
        ms(percentile(&identify, 0.5)),
        ms(percentile(&identify, 0.95)),
        ms(percentile(&check, 0.5)),
        ms(percentile(&check, 0.95))
    );
    Ok(())
}

/// Issuing a plan to every school (recipients, notifications and the registry entry, in one
/// transaction), and computing its coverage once most schools have marked some steps.
async fn plans(db: &Db, rounds: usize) -> anyhow::Result<()> {
    use app::plans::{DeployStep, Transition};
    use app::store::plans::{self as store, StepInput};
    let department = {
        let mut conn = db.pool().acquire().await?;
        app::store::org::department_id(&mut conn)
            .await?
            .context("a department")?
    };
    let (writer,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = 'chuyenvien'")
        .fetch_one(db.pool())
        .await?;
    let today = app::clock::today();
    let mut issue = Vec::new();
    let mut last = 0;
    let mut recipients = 0;
    for round in 0..rounds.clamp(1, 10) {
        let content = app::plans::demo::sample(2026, true);
        let mut conn = db.pool().acquire().await?;
        let id = store::create_plan(&mut conn, department, writer, &content, None).await?;
        drop(conn);
        store::transition(
            db,
            id,
            Transition::Submit,
            &StepInput::default(),
            writer,
            today,
        )
        .await?;
        let input = StepInput {
            number: Some(format!("{}/KH-BENCH", 900 + round)),
            ..StepInput::default()
        };
        let t = Instant::now();
        store::transition(db, id, Transition::Issue, &input, writer, today).await?;
        issue.push(t.elapsed());
        recipients = store::plan(db, id).await?.recipients;
        last = id;
    }
    issue.sort();
    println!(
        "issue a plan to {recipients} schools: p50 {} max {} (target < 1 s for 3,500)",
        ms(percentile(&issue, 0.5)),
        ms(*issue.last().context("a sample")?)
    );
    // Most schools received it, fewer went further down the checklist.
    for (k, step) in DeployStep::ALL.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_steps (plan_id, unit_id, step, done_on, note, marked_by, marked_at)
             SELECT plan_id, unit_id, $1, $2, '', $3, $4 FROM plan_units
             WHERE plan_id = $5 AND unit_id % 10 < $6",
        )
        .bind(step.code())
        .bind(app::store::iso(today))
        .bind(writer)
        .bind(app::store::now_text())
        .bind(last)
        .bind(9 - 2 * k as i64)
        .execute(db.pool())
        .await?;
    }
    db.refresh_statistics(&["plan_steps"]).await?;
    let mut coverage = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        store::coverage(db, last, &Scope::All, today).await?;
        coverage.push(t.elapsed());
    }
    coverage.sort();
    println!(
        "coverage of that plan (by area, level, ownership): p50 {} p95 {} (target < 50 ms)",
        ms(percentile(&coverage, 0.5)),
        ms(percentile(&coverage, 0.95))
    );
    Ok(())
}

/// The largest resident set of this process so far (Linux), in MB.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Reports: a past quarter filled as the demo fills it, for completeness, the roll-up and
/// the workbook over the province; then an open cycle in which every school, its scan
/// already attached, submits at the same moment through the checks the server function
/// runs (scope, lock, answers, files, the submission and its audit entry).
async fn reports(db: &Db, rounds: usize) -> anyhow::Result<()> {
    use app::plans::Audience;
    use app::reports::demo::{fill, insert_templates, DemoUsers};
    use app::reports::{DeadlineRule, NewCycle, Period};
    use app::store::reports as store;
    let today = app::clock::today();
    let users = DemoUsers::find(db).await?;
    let (quarterly, _) = {
        let mut conn = db.pool().acquire().await?;
        insert_templates(&mut conn).await?
    };
    let new_cycle = |period: Period, rule: DeadlineRule| NewCycle {
        template: quarterly.id,
        title: "Đo hiệu năng".into(),
        period,
        rule,
        on_time_until: None,
        locks_on: None,
        audience: Audience::default(),
        plan: None,
        reminder_days: Vec::new(),
    };
    let create = |cycle: NewCycle| async move {
        let dates = cycle.dates().map_err(anyhow::Error::msg)?;
        let mut conn = db.pool().acquire().await?;
        let id = store::create_cycle(&mut conn, &cycle, dates, users.specialist).await?;
        drop(conn);
        anyhow::Ok(store::cycle(db, id).await?)
    };
    let past = create(new_cycle(
        Period::Quarter {
            year: 2026,
            quarter: 2,
        },
        DeadlineRule::DayOfNextQuarter { day: 5 },
    ))
    .await?;
    let t = Instant::now();
    fill(db, &past, today, &users).await?;
    db.refresh_statistics(&["report_submissions", "report_numbers"])
        .await?;
    println!(
        "reports: one quarter filled for the province in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut completeness = Vec::new();
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut expected = 0;
    for round in 0..rounds {
        let t = Instant::now();
        let c = store::completeness(db, &past, &Scope::All, today).await?;
        completeness.push(t.elapsed());
        expected = c.overall.expected;
        // A reviewer accepts (or reopens) one report: the cycle's revision moves, so the
        // next roll-up is computed afresh; the one after it is served as computed.
        sqlx::query(
            "UPDATE report_submissions SET status = $1
             WHERE id = (SELECT MIN(id) FROM report_submissions
                         WHERE cycle_id = $2 AND status IN ('submitted', 'accepted'))",
        )
        .bind(if round % 2 == 0 {
            "accepted"
        } else {
            "submitted"
        })
        .bind(past.id)
        .execute(db.pool())
        .await?;
        let t = Instant::now();
        store::rollup(db, &past, &quarterly, &Scope::All, today).await?;
        cold.push(t.elapsed());
        let t = Instant::now();
        store::rollup(db, &past, &quarterly, &Scope::All, today).await?;
        warm.push(t.elapsed());
    }
    completeness.sort();
    cold.sort();
    warm.sort();
    println!(
        "completeness of a cycle, {expected} schools: p50 {} p95 {}",
        ms(percentile(&completeness, 0.5)),
        ms(percentile(&completeness, 0.95))
    );
    println!(
        "roll-up of a cycle (province, by area, level, ownership), first after a change: p50 {} p95 {}",
        ms(percentile(&cold, 0.5)),
        ms(percentile(&cold, 0.95))
    );
    println!(
        "roll-up of a cycle, unchanged since the last one: p50 {} p95 {} (target p95 < 20 ms for 3,500; < 250 ms for 50,000 on PostgreSQL)",
        ms(percentile(&warm, 0.5)),
        ms(percentile(&warm, 0.95))
    );
    let t = Instant::now();
    let c = store::completeness(db, &past, &Scope::All, today).await?;
    let r = store::rollup(db, &past, &quarterly, &Scope::All, today).await?;
    let book = app::reports::xlsx::workbook(&past.title, &c, &r)?;
    println!(
        "XLSX export of that cycle: {} ({} KB)",
        ms(t.elapsed()),
        book.len() / 1024
    );

    dashboard(db, &past, rounds).await?;

    // Every school submits at once.
    let open = create(new_cycle(
        Period::AdHoc {
            year: 2026,
            label: "Đo hiệu năng".into(),
        },
        DeadlineRule::Fixed {
            date: today + chrono::Duration::days(20),
        },
    ))
    .await?;
    let day = app::store::iso(open.reference_day(today));
    let schools: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM units WHERE kind = 'school' AND established_on <= $1
         AND (closed_on IS NULL OR closed_on > $1)",
    )
    .bind(&day)
    .fetch_all(db.pool())
    .await?;
    let now = app::store::now_text();
    sqlx::query(
        "INSERT INTO report_submissions (cycle_id, unit_id, status, version, answers, updated_by,
             updated_at)
         SELECT $1, id, 'draft', 1, '{}', $2, $3 FROM units WHERE kind = 'school'
           AND established_on <= $4 AND (closed_on IS NULL OR closed_on > $4)",
    )
    .bind(open.id)
    .bind(users.school_user)
    .bind(&now)
    .bind(&day)
    .execute(db.pool())
    .await?;
    let pdf: &[u8] = b"%PDF-1.4 bench";
    sqlx::query(
        "INSERT INTO report_files (submission_id, field_key, file_name, content_type, size,
             sha256, content, uploaded_by, uploaded_at)
         SELECT id, 'ban_scan', 'bao-cao.pdf', 'application/pdf', $1, $2, $3, $4, $5
         FROM report_submissions WHERE cycle_id = $6",
    )
    .bind(pdf.len() as i64)
    .bind(store::checksum(pdf))
    .bind(pdf)
    .bind(users.school_user)
    .bind(&now)
    .bind(open.id)
    .execute(db.pool())
    .await?;
    db.refresh_statistics(&["report_submissions", "report_files"])
        .await?;
    let admin = app::store::accounts::user_by_login(db, "quantri")
        .await?
        .context("demo administrator")?;
    let user = app::authz::SessionUser {
        id: admin.id,
        username: admin.username.clone(),
        full_name: admin.full_name.clone(),
        must_change_password: false,
        demo: true,
        grants: app::store::accounts::grants(db, admin.id)
            .await?
            .into_iter()
            .map(|(role, unit)| app::accounts::Grant { role, unit })
            .collect(),
    };
    let state = app::state::AppState {
        leptos_options: server::leptos_options("127.0.0.1:0".parse()?),
        db: db.clone(),
        settings: std::sync::Arc::new(
            app::state::Settings::from_env(true).map_err(anyhow::Error::msg)?,
        ),
    };
    let answers: app::reports::Answers = [
        ("tuyen_truyen_buoi", "4"),
        ("tuyen_truyen_luot", "1.250"),
        ("vu_bao_luc", "0"),
        ("vi_pham_phap_luat", "0"),
        ("ty_le_cam_ket", "98,5"),
        ("to_an_ninh", "yes"),
        ("tinh_hinh", "Ổn định"),
        ("ket_qua", "Tổ chức tuyên truyền dưới cờ."),
        ("phuong_huong", "Duy trì mô hình."),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (unit,) in &schools {
        let (state, user, answers, unit, cycle) =
            (state.clone(), user.clone(), answers.clone(), *unit, open.id);
        tasks.spawn(async move {
            let key = format!("bench-{unit}");
            app::reports::api::guard::submit(
                &state,
                &user,
                "127.0.0.1",
                cycle,
                unit,
                1,
                &answers,
                &key,
            )
            .await
        });
    }
    let mut errors = 0;
    let mut first_error = None;
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                errors += 1;
                first_error.get_or_insert(format!("{e:?}"));
            }
            Err(e) => {
                errors += 1;
                first_error.get_or_insert(e.to_string());
            }
        }
    }
    let elapsed = started.elapsed();
    let (submitted,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM report_submissions WHERE cycle_id = $1 AND status = 'submitted'",
    )
    .bind(open.id)
    .fetch_one(db.pool())
    .await?;
    println!(
        "{} schools submitting at once: {:.1} s, {:.0} submissions/s, {errors} errors{}, {submitted} stored (target >= 500/s, 0 errors)",
        schools.len(),
        elapsed.as_secs_f64(),
        schools.len() as f64 / elapsed.as_secs_f64(),
        first_error.map(|e| format!(" (first: {e})")).unwrap_or_default(),
    );
    if let Some(mb) = peak_memory_mb() {
        println!("peak memory of the benchmark process: {mb:.0} MB");
    }
    Ok(())
}

/// The year's evaluation of every school: its entered answers, the reporting item from the
/// year's report timeliness, scored against the criteria set.
async fn recognition(db: &Db, rounds: usize) -> anyhow::Result<()> {
    let today = app::clock::today();
    let year = app::store::recognition::current_year(today);
    let t = Instant::now();
    let first = app::store::recognition::yearly_evaluation(db, year, &Scope::All, today).await?;
    let first_time = t.elapsed();
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        app::store::recognition::yearly_evaluation(db, year, &Scope::All, today).await?;
        samples.push(t.elapsed());
    }
    samples.sort();
    println!(
        "yearly evaluation of {} schools: first {}, then p50 {} p95 {} (target < 200 ms for 3,500)",
        first.len(),
        ms(first_time),
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.95))
    );
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("antq-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The dashboard of the filled quarter over the province: first after a report changed (the
/// changed report is read, the rest is walked in memory), unchanged, and beside it the bare
/// SQL that counts the same quarter by area in one query.
async fn dashboard(
    db: &Db,
    cycle: &app::store::reports::CycleRow,
    rounds: usize,
) -> anyhow::Result<()> {
    use app::dashboard::DashboardQuery;
    let today = app::clock::today();
    let query = DashboardQuery {
        year: Some(cycle.period.year()),
        cycle: Some(cycle.id),
        ..Default::default()
    };
    let figures =
        || app::store::dashboard::dashboard(db, &query, &Scope::All, "Toàn tỉnh".into(), today);
    let t = Instant::now();
    let first = figures().await?;
    println!(
        "dashboard, first of the day (builds what it keeps): {} ({} areas, {} schools)",
        ms(t.elapsed()),
        first.rows.len(),
        first.schools
    );
    let mut changed = Vec::new();
    let mut unchanged = Vec::new();
    let mut bare = Vec::new();
    let by_area = "SELECT l.parent_id, COUNT(*),
                SUM(CASE WHEN s.status IN ('submitted', 'accepted') THEN 1 ELSE 0 END),
                SUM(CASE WHEN s.status IN ('submitted', 'accepted')
                          AND s.first_submitted_on <= $3 THEN 1 ELSE 0 END)
         FROM units u
         LEFT JOIN report_submissions s ON s.unit_id = u.id AND s.cycle_id = $1
         LEFT JOIN unit_links l ON l.unit_id = u.id AND l.relation = 'located_in'
              AND l.valid_from <= $2 AND (l.valid_until IS NULL OR l.valid_until > $2)
         WHERE u.kind = 'school' AND u.established_on <= $4
           AND (u.closed_on IS NULL OR u.closed_on > $4)
         GROUP BY l.parent_id";
    for round in 0..rounds {
        sqlx::query(
            "UPDATE report_submissions SET status = $1
             WHERE id = (SELECT MIN(id) FROM report_submissions
                         WHERE cycle_id = $2 AND status IN ('submitted', 'accepted'))",
        )
        .bind(if round % 2 == 0 {
            "accepted"
        } else {
            "submitted"
        })
        .bind(cycle.id)
        .execute(db.pool())
        .await?;
        let t = Instant::now();
        figures().await?;
        changed.push(t.elapsed());
        let t = Instant::now();
        figures().await?;
        unchanged.push(t.elapsed());
        let t = Instant::now();
        let rows: Vec<(Option<i64>, i64, i64, i64)> = sqlx::query_as(by_area)
            .bind(cycle.id)
            .bind(app::store::iso(today))
            .bind(app::store::iso(cycle.dates.on_time_until))
            .bind(app::store::iso(cycle.reference_day(today)))
            .fetch_all(db.pool())
            .await?;
        bare.push(t.elapsed());
        std::hint::black_box(rows);
    }
    for samples in [&mut changed, &mut unchanged, &mut bare] {
        samples.sort();
    }
    println!(
        "dashboard after a report changed: p50 {} p95 {}; unchanged: p50 {} p95 {} (targets p95 <= 20 ms for a province on SQLite, <= 250 ms for 50,000 schools on PostgreSQL)",
        ms(percentile(&changed, 0.5)),
        ms(percentile(&changed, 0.95)),
        ms(percentile(&unchanged, 0.5)),
        ms(percentile(&unchanged, 0.95)),
    );
    println!(
        "the same quarter counted by area in one bare SQL query: p50 {} p95 {}",
        ms(percentile(&bare, 0.5)),
        ms(percentile(&bare, 0.95)),
    );
    Ok(())
}
