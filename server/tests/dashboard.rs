//! The leadership dashboard over HTTP: its figures checked against direct SQL counts on the
//! demo province (not against the dashboard's own code), filters and drill-down, changes
//! pushed to live connections within their scope (and, on PostgreSQL, across two server
//! processes), reminders to exactly the late units of a view, area outlines, and the workbook.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::dashboard::{Dashboard, DashboardQuery};
use app::org::SchoolLevel;
use app::store::iso;
use calamine::{DataType, Reader};
use chrono::NaiveDate;
use common::live::{next_message, open_live};
use common::reports::{new_cycle, own_unit, submit, today};
use common::TestApp;
use serde_json::json;
use std::time::{Duration, Instant};

async fn figures(app: &TestApp, client: &reqwest::Client, query: &DashboardQuery) -> Dashboard {
    app.call_with(client, "dashboard/figures", json!({ "query": query }))
        .await
        .unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(app.db.pool()).await.unwrap();
    n
}

/// Schools expected by a cycle for every school, on its reference day, in plain SQL.
fn expected_sql(day: NaiveDate, extra: &str) -> String {
    let day = iso(day);
    format!(
        "u.kind = 'school' AND u.established_on <= '{day}'
         AND (u.closed_on IS NULL OR u.closed_on > '{day}') {extra}"
    )
}

#[tokio::test]
async fn the_figures_agree_with_direct_sql_counts_on_the_demo_province() {
    let app = TestApp::demo(150).await;
    let leader = app.client_as("lanhdao").await;
    let now = today();
    // A past year: every cycle in it is over, so the counts are final.
    let year = 2025;
    let d = figures(
        &app,
        &leader,
        &DashboardQuery {
            year: Some(year),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(d.year, year);
    assert!(!d.cycles.is_empty(), "the demo has cycles in {year}");

    let schools = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM units u WHERE {}",
            expected_sql(now, "")
        ),
    )
    .await;
    assert_eq!(d.schools, schools);

    // The model-school funnel and the safety standard of the year.
    let assessed = |programme: &str, stages: &str| {
        format!(
            "SELECT COUNT(*) FROM assessments WHERE programme = '{programme}' AND year = {year}
               AND stage IN ({stages})"
        )
    };
    let all_stages = "'selected', 'building', 'self_assessed', 'filed', 'under_review', \
                      'recognised', 'not_recognised'";
    let r = &d.recognition;
    assert_eq!(
        r.funnel[0].1,
        count(&app, &assessed("model_school", all_stages)).await
    );
    assert!(r.funnel[0].1 > 0, "the demo chose model schools in {year}");
    assert_eq!(
        r.funnel[5].1,
        count(&app, &assessed("model_school", "'recognised'")).await
    );
    assert_eq!(
        r.not_recognised,
        count(&app, &assessed("model_school", "'not_recognised'")).await
    );
    assert_eq!(
        r.standard_registered,
        count(&app, &assessed("safety_standard", all_stages)).await
    );
    assert_eq!(
        r.standard_recognised,
        count(&app, &assessed("safety_standard", "'recognised'")).await
    );

    // The models run by today (the as-of day), with the year's reviews.
    let started = format!("r.started_on <= '{}'", iso(now));
    let m = &d.models;
    assert_eq!(
        m.schools,
        count(
            &app,
            &format!("SELECT COUNT(DISTINCT unit_id) FROM model_runs r WHERE {started}")
        )
        .await
    );
    assert!(m.schools > 0, "the demo runs models");
    assert_eq!(
        m.runs,
        count(
            &app,
            &format!("SELECT COUNT(*) FROM model_runs r WHERE {started}")
        )
        .await
    );
    let reviewed = |extra: &str| {
        format!(
            "SELECT COUNT(*) FROM model_runs r JOIN model_reviews v ON v.run_id = r.id
             WHERE v.year = {year} AND {started} {extra}"
        )
    };
    assert_eq!(m.reviewed, count(&app, &reviewed("")).await);
    assert_eq!(
        m.good,
        count(&app, &reviewed("AND v.rating = 'good'")).await
    );
    assert_eq!(
        m.replicate,
        count(&app, &reviewed("AND v.replicate = 1")).await
    );
    assert!(
        m.replicate > 0,
        "the demo marks models for replication in {year}"
    );
    // Emulation and awards of the year.
    let e = &d.emulation;
    let of_year = |table: &str, extra: &str| {
        format!("SELECT COUNT(*) FROM {table} WHERE year = {year} {extra}")
    };
    assert_eq!(
        e.registered,
        count(&app, &of_year("emulation_registrations", "")).await
    );
    assert_eq!(
        e.approved,
        count(
            &app,
            &of_year("emulation_registrations", "AND status = 'approved'")
        )
        .await
    );
    assert_eq!(e.nominated, count(&app, &of_year("nominations", "")).await);
    assert_eq!(
        e.awarded,
        count(&app, &of_year("nominations", "AND decision_id IS NOT NULL")).await
    );
    assert!(e.awarded > 0, "the demo awarded nominations in {year}");

    for c in &d.cycles {
        let day = iso(c.due.min(now));
        let expected = count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM units u WHERE {}",
                expected_sql(c.due.min(now), "")
            ),
        )
        .await;
        let counted = |status: &str, extra: &str| {
            format!(
                "SELECT COUNT(*) FROM report_submissions s JOIN units u ON u.id = s.unit_id
                 WHERE s.cycle_id = {} AND s.status IN ({status}) AND {} {extra}",
                c.id,
                expected_sql(c.due.min(now), "")
            )
        };
        let submitted = count(&app, &counted("'submitted', 'accepted'", "")).await;
        let on_time = count(
            &app,
            &counted(
                "'submitted', 'accepted'",
                &format!("AND s.first_submitted_on <= '{}'", iso(c.on_time_until)),
            ),
        )
        .await;
        let returned = count(&app, &counted("'returned'", "")).await;
        let accepted = count(&app, &counted("'accepted'", "")).await;
        assert_eq!(c.counts.expected, expected, "{} expected on {day}", c.title);
        assert_eq!(c.counts.submitted, submitted, "{} submitted", c.title);
        assert_eq!(c.counts.on_time, on_time, "{} on time", c.title);
        assert_eq!(c.counts.returned, returned, "{} returned", c.title);
        assert_eq!(c.counts.accepted, accepted, "{} accepted", c.title);
        assert!(c.counts.submitted <= c.counts.expected);
    }

    // The featured cycle, by area: each area's reports in, through the schools located in
    // it on the as-of day.
    let featured = d.featured.as_ref().expect("a featured cycle");
    let cycle = featured.figure.id;
    let ref_day = featured.figure.due.min(now);
    for row in &d.rows {
        let submitted = count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM report_submissions s JOIN units u ON u.id = s.unit_id
                 JOIN unit_links l ON l.unit_id = u.id AND l.relation = 'located_in'
                      AND l.valid_from <= '{now}' AND (l.valid_until IS NULL OR l.valid_until > '{now}')
                 WHERE s.cycle_id = {cycle} AND s.status IN ('submitted', 'accepted')
                   AND l.parent_id = {} AND {}",
                row.unit.id,
                expected_sql(ref_day, ""),
                now = iso(now),
            ),
        )
        .await;
        assert_eq!(row.report.submitted, submitted, "{}", row.unit.name);
    }
    let by_area: i64 = d.rows.iter().map(|r| r.report.expected).sum();
    assert_eq!(
        by_area, featured.figure.counts.expected,
        "every school is in one area"
    );
    assert_eq!(
        featured.late_total,
        featured.figure.counts.expected - featured.figure.counts.submitted
    );
    let last = featured.curve.last().unwrap();
    assert_eq!(last.submitted, featured.figure.counts.submitted);

    // Plans issued in the year: recipients and steps done, straight from the tables.
    for p in &d.plans {
        let recipients = count(
            &app,
            &format!("SELECT COUNT(*) FROM plan_units WHERE plan_id = {}", p.id),
        )
        .await;
        assert_eq!(p.recipients, recipients, "{}", p.title);
        let received = count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM plan_steps WHERE plan_id = {} AND step = 'received'
                 AND done_on <= '{}'",
                p.id,
                iso(now)
            ),
        )
        .await;
        assert_eq!(p.done[0], received, "{}", p.title);
    }

    // A level filter: only the lower-secondary schools count.
    let thcs = figures(
        &app,
        &leader,
        &DashboardQuery {
            year: Some(year),
            level: Some(SchoolLevel::LowerSecondary),
            ..Default::default()
        },
    )
    .await;
    let c = &thcs.cycles[0];
    let expected = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM units u WHERE {}",
            expected_sql(c.due.min(now), "AND u.levels LIKE '%,THCS,%'")
        ),
    )
    .await;
    assert_eq!(c.counts.expected, expected);
    assert!(expected < d.cycles[0].counts.expected);

    // Drilled into an area: its schools, each with its own status.
    let area = d
        .rows
        .iter()
        .find(|r| r.report.expected > 0)
        .unwrap()
        .unit
        .clone();
    let drilled = figures(&app, &leader, &d.query.with_area(Some(area.id))).await;
    assert_eq!(drilled.area.as_ref().map(|a| a.id), Some(area.id));
    assert!(drilled.rows.iter().all(|r| r.is_school));
    let in_area = d.rows.iter().find(|r| r.unit.id == area.id).unwrap();
    assert_eq!(
        drilled.featured.as_ref().unwrap().figure.counts.expected,
        in_area.report.expected
    );
    // An area outside the view is a 404, not an empty page.
    let err = app
        .call_with::<Dashboard>(
            &leader,
            "dashboard/figures",
            json!({ "query": { "area": 999_999 } }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 404);

    // The districts before 01/07/2025: fewer, larger areas with the same schools.
    let old = figures(
        &app,
        &leader,
        &DashboardQuery {
            year: Some(year),
            grouping: app::dashboard::Grouping::BeforeReform,
            ..Default::default()
        },
    )
    .await;
    assert!(old.rows.len() < d.rows.len());
    let by_district: i64 = old.rows.iter().map(|r| r.report.expected).sum();
    assert_eq!(by_district, featured.figure.counts.expected);
    // The demo's areas have outlines, so the province view has a map.
    assert!(d.map.as_ref().is_some_and(|m| !m.areas.is_empty()));
    assert!(old
        .map
        .as_ref()
        .is_some_and(|m| m.areas.len() == old.areas.len()));
}

#[tokio::test]
async fn a_submission_reaches_live_dashboards_in_scope_within_a_second() {
    let app = TestApp::demo(40).await;
    let school = app.client_as("truong").await;
    let leader = app.client_as("lanhdao").await;
    let unit = own_unit(&app, &school).await;
    let cycle = new_cycle(&app, today() + chrono::Duration::days(20), vec![]).await;

    // Another commune's officer: a new area officer over a commune that is not the school's.
    let d = figures(&app, &leader, &DashboardQuery::default()).await;
    let school_area = {
        let (area,): (i64,) = sqlx::query_as(
            "SELECT parent_id FROM unit_links WHERE unit_id = $1 AND relation = 'located_in'
             AND valid_until IS NULL",
        )
        .bind(unit)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        area
    };
    let other_area = d.areas.iter().find(|a| a.id != school_area).unwrap().id;
    let admin = app.client_as("quantri").await;
    let issued: app::accounts::IssuedPassword = app
        .call_form(
            &admin,
            "users/create",
            json!({ "username": "khuvuc-khac", "full_name": "Cán bộ khu vực khác", "email": "",
                    "role": "AreaOfficer", "unit": other_area }),
        )
        .await
        .unwrap();

    let mut leader_live = open_live(&app, &app.base, &leader).await;
    let mut area_live = open_live(&app, &app.base, &app.client_as("khuvuc").await).await;
    let other = common::new_client();
    app.sign_in(&other, "khuvuc-khac", &issued.password)
        .await
        .unwrap();
    // A given password is changed first: until then the account can open nothing else.
    let changed = other
        .post(app.url("/api/accounts/change-password"))
        .form(&[
            ("current", issued.password.as_str()),
            ("new_password", "mat-khau-rieng-2026"),
            ("confirm", "mat-khau-rieng-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let mut other_live = open_live(&app, &app.base, &other).await;

    let started = Instant::now();
    submit(&app, &school, cycle, unit, "6").await;
    let message = next_message(&mut leader_live, Duration::from_secs(1))
        .await
        .expect("the leader's dashboard hears of the submission within a second");
    assert!(
        message.contains("\"report\"") && message.contains(&cycle.to_string()),
        "{message}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(next_message(&mut area_live, Duration::from_secs(1))
        .await
        .is_some());
    // Outside that commune's subtree: nothing.
    assert!(next_message(&mut other_live, Duration::from_millis(500))
        .await
        .is_none());

    // The figures the dashboard fetches on hearing it already count the submission.
    let after = figures(
        &app,
        &leader,
        &DashboardQuery {
            cycle: Some(cycle),
            ..Default::default()
        },
    )
    .await;
    let f = after.featured.unwrap();
    assert_eq!(f.figure.id, cycle);
    assert_eq!(f.figure.counts.submitted, 1);

    // Signed out: no stream.
    let r = reqwest::Client::new()
        .get(app.url("/api/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

/// The dashboard keeps its counts between views (each cycle's totals, the plans' coverage):
/// a submission to a cycle that is not the one shown in detail, and a deployment step, both
/// show in the next view, which agrees with direct SQL.
#[tokio::test]
async fn counts_kept_between_views_follow_submissions_and_deployment_steps() {
    let app = TestApp::demo(40).await;
    let school = app.client_as("truong").await;
    let leader = app.client_as("lanhdao").await;
    let unit = own_unit(&app, &school).await;
    let other = new_cycle(&app, today() + chrono::Duration::days(20), vec![]).await;
    let shown = new_cycle(&app, today() + chrono::Duration::days(40), vec![]).await;
    let query = DashboardQuery {
        cycle: Some(shown),
        ..Default::default()
    };
    let submitted = |d: &Dashboard| {
        d.cycles
            .iter()
            .find(|c| c.id == other)
            .map(|c| c.counts.submitted)
            .expect("the other cycle is in the year")
    };
    let before = figures(&app, &leader, &query).await;
    assert_eq!(before.featured.as_ref().map(|f| f.figure.id), Some(shown));
    assert_eq!(submitted(&before), 0);
    // Unchanged: the same figures again.
    assert_eq!(submitted(&figures(&app, &leader, &query).await), 0);

    submit(&app, &school, other, unit, "6").await;
    let after = figures(&app, &leader, &query).await;
    assert_eq!(submitted(&after), 1);
    assert_eq!(
        submitted(&after),
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM report_submissions WHERE cycle_id = {other}
                 AND status IN ('submitted', 'accepted')"
            )
        )
        .await
    );

    // A plan of the year the school received and has not yet held its conference for.
    let (plan,): (i64,) = sqlx::query_as(
        "SELECT pu.plan_id FROM plan_units pu JOIN plans p ON p.id = pu.plan_id
         WHERE pu.unit_id = $1 AND p.year = $2 AND p.status = 'issued'
           AND NOT EXISTS (SELECT 1 FROM plan_steps s WHERE s.plan_id = pu.plan_id
                           AND s.unit_id = pu.unit_id AND s.step = 'conference')
         ORDER BY pu.plan_id LIMIT 1",
    )
    .bind(unit)
    .bind(i64::from(chrono::Datelike::year(&today())))
    .fetch_one(app.db.pool())
    .await
    .expect("the demo issued this year's plan to the school");
    let at = app::plans::DeployStep::ALL
        .iter()
        .position(|s| *s == app::plans::DeployStep::Conference)
        .unwrap();
    let held = |d: &Dashboard| {
        d.plans
            .iter()
            .find(|p| p.id == plan)
            .map(|p| p.done[at])
            .expect("the plan is on the dashboard")
    };
    let conferences =
        format!("SELECT COUNT(*) FROM plan_steps WHERE plan_id = {plan} AND step = 'conference'");
    assert_eq!(held(&after), count(&app, &conferences).await);
    for step in ["Received", "Conference"] {
        app.call_with::<serde_json::Value>(
            &school,
            "plans/mark-step",
            json!({ "plan": plan, "unit": unit, "step": step, "done": true, "done_on": null, "note": "" }),
        )
        .await
        .unwrap();
    }
    let marked = figures(&app, &leader, &query).await;
    assert_eq!(held(&marked), held(&after) + 1);
    assert_eq!(held(&marked), count(&app, &conferences).await);
}

/// Two server processes on one PostgreSQL database: a submission through one reaches a
/// dashboard connected to the other.
#[tokio::test]
async fn on_postgresql_a_change_through_one_instance_reaches_dashboards_of_another() {
    if common::expected_backend() != "postgres" {
        return;
    }
    let prepared = TestApp::demo(30).await;
    let url = prepared.database_url.clone();
    let first = common::ServerProcess::start(&url).await;
    let second = common::ServerProcess::start(&url).await;
    let through_first = TestApp::over(&first.base, &url).await;
    let through_second = TestApp::over(&second.base, &url).await;
    let school = through_first.client_as("truong").await;
    let leader = through_second.client_as("lanhdao").await;
    let unit = own_unit(&through_first, &school).await;
    let cycle = new_cycle(&through_first, today() + chrono::Duration::days(20), vec![]).await;
    let mut live = open_live(&through_second, &second.base, &leader).await;
    // The second instance's listener may still be starting: its first message is a resync.
    let mut heard = String::new();
    submit(&through_first, &school, cycle, unit, "3").await;
    for _ in 0..3 {
        match next_message(&mut live, Duration::from_secs(1)).await {
            Some(m) if m.contains("\"report\"") => {
                heard = m;
                break;
            }
            Some(_) => continue,
            None => break,
        }
    }
    assert!(heard.contains(&cycle.to_string()), "heard: {heard:?}");
}

#[tokio::test]
async fn reminding_a_view_reaches_exactly_its_late_units() {
    let app = TestApp::demo(60).await;
    let school = app.client_as("truong").await;
    let area = app.client_as("khuvuc").await;
    let unit = own_unit(&app, &school).await;
    let cycle = new_cycle(&app, today() + chrono::Duration::days(10), vec![]).await;
    submit(&app, &school, cycle, unit, "4").await;
    let d = figures(
        &app,
        &area,
        &DashboardQuery {
            cycle: Some(cycle),
            ..Default::default()
        },
    )
    .await;
    let f = d.featured.unwrap();
    assert_eq!(f.figure.counts.submitted, 1);
    let late: Vec<i64> = f.late.iter().map(|u| u.unit.id).collect();
    assert!(!late.contains(&unit));
    assert_eq!(late.len() as i64, f.late_total);

    let reminded: usize = app
        .call_with(
            &area,
            "dashboard/remind",
            json!({ "cycle": cycle, "query": {} }),
        )
        .await
        .unwrap();
    assert_eq!(reminded as i64, f.late_total);
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT unit_id FROM notifications WHERE kind = 'reminder' AND link LIKE $1 ORDER BY unit_id",
    )
    .bind(format!("/reports/{cycle}/units/%"))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let mut notified: Vec<i64> = rows.into_iter().map(|(u,)| u).collect();
    let mut expected = late.clone();
    expected.sort_unstable();
    notified.sort_unstable();
    assert_eq!(notified, expected);
    // Pressed again the same day, it reminds nobody twice.
    let again: usize = app
        .call_with(
            &area,
            "dashboard/remind",
            json!({ "cycle": cycle, "query": {} }),
        )
        .await
        .unwrap();
    assert_eq!(again, 0);
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM notifications WHERE kind = 'reminder' AND link LIKE $1",
    )
    .bind(format!("/reports/{cycle}/units/%"))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(count as usize, expected.len());

    // A school may not remind anyone.
    let err = app
        .call_with::<usize>(
            &school,
            "dashboard/remind",
            json!({ "cycle": cycle, "query": {} }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
}

#[tokio::test]
async fn area_outlines_are_stored_all_or_nothing_and_the_workbook_reads_back() {
    let app = TestApp::demo(30).await;
    let specialist = app.client_as("chuyenvien").await;
    let leader = app.client_as("lanhdao").await;
    let d = figures(
        &app,
        &leader,
        &DashboardQuery {
            year: Some(2025),
            ..Default::default()
        },
    )
    .await;
    let area = &d.areas[0];
    let square = |code: &str| {
        json!({
            "type": "Feature",
            "properties": { "code": code },
            "geometry": { "type": "Polygon", "coordinates": [[[106.3, 11.0], [106.4, 11.0], [106.4, 11.1], [106.3, 11.1], [106.3, 11.0]]] }
        })
    };
    let before: Vec<(String,)> =
        sqlx::query_as("SELECT geometry FROM area_boundaries ORDER BY unit_id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    // One unknown code: nothing is stored, and the message names it.
    let bad = json!({ "type": "FeatureCollection", "features": [square(&area.code), square("KHONG-CO")] });
    let err = app
        .call_with::<usize>(
            &specialist,
            "dashboard/boundaries",
            json!({ "geojson": bad.to_string() }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 422);
    assert!(err.1.contains("KHONG-CO"), "{}", err.1);
    let unchanged: Vec<(String,)> =
        sqlx::query_as("SELECT geometry FROM area_boundaries ORDER BY unit_id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(unchanged, before);
    let good = json!({ "type": "FeatureCollection", "features": [square(&area.code)] });
    let stored: usize = app
        .call_with(
            &specialist,
            "dashboard/boundaries",
            json!({ "geojson": good.to_string() }),
        )
        .await
        .unwrap();
    assert_eq!(stored, 1);
    // The leader may look but not upload.
    let err = app
        .call_with::<usize>(
            &leader,
            "dashboard/boundaries",
            json!({ "geojson": good.to_string() }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);

    // The workbook of the same view holds the same numbers, stored as numbers.
    let r = leader
        .get(app.url("/dashboard.xlsx?year=2025"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Kỳ báo cáo").unwrap();
    for (k, c) in d.cycles.iter().enumerate() {
        let row = k as u32 + 1;
        assert_eq!(
            sheet.get_value((row, 0)).map(|v| v.to_string()),
            Some(c.title.clone())
        );
        assert_eq!(
            sheet.get_value((row, 3)).and_then(|v| v.as_f64()),
            Some(c.counts.submitted as f64)
        );
    }
}

#[tokio::test]
async fn an_open_live_stream_ends_once_its_session_is_ended() {
    let app = TestApp::demo(5).await;
    let leader = app.client_as("lanhdao").await;
    let mut live = open_live(&app, &app.base, &leader).await;
    // Signed out everywhere from another device: the open stream stops within the recheck.
    let other = app.client_as("lanhdao").await;
    app.call_with::<u64>(&other, "accounts/sign-out-everywhere", json!({}))
        .await
        .unwrap();
    // The server looks again every 20 s.
    let limit = Duration::from_secs(30);
    let ended = tokio::time::timeout(limit, async {
        // Keep-alive comments may come first; the end is a chunk of nothing.
        while let Ok(Some(_)) = live.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the stream was still open after {limit:?}");
}
