//! Models over HTTP: a school registers a model it runs with evidence (a forged file refused,
//! a second registration of the same model refused), a reviewer rates it and marks it for
//! replication (heard live by an open dashboard), the counts by model agree with direct SQL
//! for this year and the last, and the catalogue grows only from the department.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::safety_models::{Evidence, ModelsOverview, Rating};
use chrono::Datelike;
use common::live::{next_message, open_live};
use common::reports::{own_unit, today, PDF};
use common::TestApp;
use serde_json::{json, Value};
use std::time::Duration;

async fn overview(app: &TestApp, client: &reqwest::Client, year: i32) -> ModelsOverview {
    app.call_with(
        client,
        "models/overview",
        json!({ "year": year, "area": null }),
    )
    .await
    .unwrap()
}

fn registration(model: i64, unit: i64, started_on: &str, places: i64) -> Value {
    json!({ "run": {
        "model": model, "unit": unit, "started_on": started_on, "places": places, "note": "",
    } })
}

/// (model, schools, places, rated good, marked for replication) over the whole province, as
/// plain SQL counts them: runs started by the day counted, of schools open that day.
async fn direct_counts(app: &TestApp, year: i32) -> Vec<(i64, i64, i64, i64, i64)> {
    let day = app::store::safety_models::counted_on(year, today());
    let day = app::store::iso(day);
    sqlx::query_as(
        "SELECT m.id, COUNT(r.id), CAST(COALESCE(SUM(r.places), 0) AS BIGINT),
                COALESCE(SUM(CASE WHEN v.rating = 'good' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN v.replicate = 1 THEN 1 ELSE 0 END), 0)
         FROM safety_models m
         LEFT JOIN model_runs r ON r.model_id = m.id AND r.started_on <= $1
              AND r.unit_id IN (SELECT id FROM units WHERE kind = 'school'
                                AND established_on <= $1
                                AND (closed_on IS NULL OR closed_on > $1))
         LEFT JOIN model_reviews v ON v.run_id = r.id AND v.year = $2
         GROUP BY m.id ORDER BY m.id",
    )
    .bind(day)
    .bind(i64::from(year))
    .fetch_all(app.db.pool())
    .await
    .unwrap()
}

fn totals(o: &ModelsOverview) -> Vec<(i64, i64, i64, i64, i64)> {
    o.totals()
        .into_iter()
        .map(|(m, t)| (m.id, t.schools, t.places, t.good, t.replicate))
        .collect()
}

#[tokio::test]
async fn a_school_registers_a_model_with_evidence_and_a_reviewer_marks_it_for_replication() {
    let app = TestApp::demo(120).await;
    let school = app.client_as("truong").await;
    let area_officer = app.client_as("khuvuc").await;
    let leader = app.client_as("lanhdao").await;
    let unit = own_unit(&app, &school).await;
    let year = today().year();

    // The demo leaves the school's own models for the visitor.
    let mine = overview(&app, &school, year).await;
    assert_eq!(
        mine.own_schools.iter().map(|s| s.id).collect::<Vec<_>>(),
        [unit]
    );
    assert!(mine.runs.is_empty());
    let queue = mine
        .catalogue
        .iter()
        .find(|m| m.name == "Xếp hàng đón con")
        .expect("the seeds' model in the catalogue")
        .id;

    // Bad input changes nothing; another school's registration is not the school's to make.
    for (started_on, places) in [("2999-01-01", 1), ("2025-09-05", 0)] {
        let err = app
            .call_with::<i64>(
                &school,
                "models/register",
                registration(queue, unit, started_on, places),
            )
            .await
            .unwrap_err();
        assert_eq!(err.0, 422, "{}", err.1);
    }
    let (elsewhere,): (i64,) = sqlx::query_as(
        "SELECT id FROM units WHERE kind = 'school' AND id <> $1 ORDER BY id LIMIT 1",
    )
    .bind(unit)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let err = app
        .call_with::<i64>(
            &school,
            "models/register",
            registration(queue, elsewhere, "2025-09-05", 1),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    let (runs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM model_runs WHERE unit_id = $1")
        .bind(unit)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(runs, 0);

    let run: i64 = app
        .call_with(
            &school,
            "models/register",
            registration(queue, unit, "2025-09-05", 2),
        )
        .await
        .unwrap();
    let twice = app
        .call_with::<i64>(
            &school,
            "models/register",
            registration(queue, unit, "2025-09-05", 2),
        )
        .await
        .unwrap_err();
    assert_eq!(twice.0, 422, "{}", twice.1);

    // Evidence: a PDF named as a Word file is refused; the PDF is kept and read back.
    let upload = |name: &'static str| {
        let school = school.clone();
        let url = app.url(&format!("/models/runs/{run}/evidence?name={name}"));
        async move {
            let r = school.post(url).body(PDF.to_vec()).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, body) = upload("bien-ban.docx").await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = upload("xep-hang.pdf").await;
    assert_eq!(status, 200, "{body}");
    let evidence: Evidence = serde_json::from_str(&body).unwrap();
    assert_eq!(evidence.file_name, "xep-hang.pdf");
    let read = leader
        .get(app.url(&format!("/models/runs/{run}/evidence")))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    assert_eq!(read.bytes().await.unwrap().as_ref(), PDF);

    // The school cannot rate itself; the area officer rates it, and the leader's open
    // dashboard hears of it.
    let review = |rating: Rating, year: i32| json!({ "run": run, "year": year, "rating": rating, "replicate": true, "note": "Hiệu quả" });
    let err = app
        .call_with::<()>(&school, "models/review", review(Rating::Good, year))
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    let err = app
        .call_with::<()>(&area_officer, "models/review", review(Rating::Good, 1990))
        .await
        .unwrap_err();
    assert_eq!(err.0, 422);
    let mut live = open_live(&app, &app.base, &leader).await;
    app.call_with::<()>(&area_officer, "models/review", review(Rating::Good, year))
        .await
        .unwrap();
    let message = next_message(&mut live, Duration::from_secs(1))
        .await
        .expect("a live message within a second");
    assert!(message.contains("models"), "{message}");

    let area_view = overview(&app, &area_officer, year).await;
    let seen = area_view
        .runs
        .iter()
        .find(|r| r.id == run)
        .expect("the school's run in its area");
    let seen_review = seen.review.as_ref().expect("reviewed");
    assert_eq!(seen_review.rating, Rating::Good);
    assert!(seen_review.replicate);
    assert_eq!(seen.places, 2);
    assert_eq!(seen.evidence.as_ref().unwrap().file_name, "xep-hang.pdf");

    // The counts over the province agree with plain SQL, this year and the last.
    for year in [year, year - 1] {
        let province = overview(&app, &leader, year).await;
        assert_eq!(totals(&province), direct_counts(&app, year).await, "{year}");
    }
    // The area officer's counts stay within the area.
    let area = own_unit(&app, &area_officer).await;
    assert!(area_view
        .by_area
        .iter()
        .all(|c| c.area.as_ref().map(|a| a.id) == Some(area)));
}

#[tokio::test]
async fn the_catalogue_grows_from_the_department_only() {
    let app = TestApp::demo(30).await;
    let specialist = app.client_as("chuyenvien").await;
    let school = app.client_as("truong").await;
    let add = |name: &str| json!({ "name": name, "description": "Camera giám sát cổng trường." });
    let err = app
        .call_with::<i64>(&school, "models/add", add("Camera an ninh"))
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    let id: i64 = app
        .call_with(&specialist, "models/add", add("Camera an ninh"))
        .await
        .unwrap();
    let err = app
        .call_with::<i64>(&specialist, "models/add", add("camera AN NINH"))
        .await
        .unwrap_err();
    assert_eq!(err.0, 422, "{}", err.1);
    let o = overview(&app, &school, today().year()).await;
    assert!(o
        .catalogue
        .iter()
        .any(|m| m.id == id && m.name == "Camera an ninh"));
    assert!(!o.may_manage);
}

#[tokio::test]
async fn a_school_registers_a_model_with_its_evidence_and_the_area_rates_it_through_plain_forms() {
    let app = TestApp::demo(60).await;
    let school = common::client_without_redirects();
    app.sign_in(&school, "truong", app::authz::DEMO_PASSWORD)
        .await
        .unwrap();
    let unit = own_unit(&app, &school).await;
    let year = today().year();
    let o = overview(&app, &school, year).await;
    let model = o
        .catalogue
        .iter()
        .find(|m| {
            !o.runs
                .iter()
                .any(|r| r.unit.id == unit && r.model.id == m.id)
        })
        .expect("a model the school does not run yet")
        .id;
    let page = format!("/models?year={year}");
    let (unit_text, model_text) = (unit.to_string(), model.to_string());
    let register = |places: &'static str| {
        vec![
            ("form", "register"),
            ("unit", unit_text.as_str()),
            ("model", model_text.as_str()),
            ("started_on", "2026-09-05"),
            ("places", places),
            ("note", "Cổng trường và nhà xe"),
        ]
    };
    let post = |client: reqwest::Client,
                fields: Vec<(&'static str, String)>,
                file: Option<&'static [u8]>| {
        let (app, page) = (&app, page.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let files: Vec<(&str, &str, &[u8])> = file
                .map(|b| vec![("evidence", "bien-ban.pdf", b)])
                .unwrap_or_default();
            common::reports::post_page_form(app, &client, &page, &fields, &files).await
        }
    };
    let owned = |fields: Vec<(&'static str, &str)>| -> Vec<(&'static str, String)> {
        fields
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect()
    };

    // Too many places: the page again, what was typed kept, nothing registered.
    let (status, _, body) = post(school.clone(), owned(register("500")), None).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Cổng trường và nhà xe"), "{body}");
    assert!(body.contains("value=\"500\""), "{body}");
    let runs = |o: &ModelsOverview| {
        o.runs
            .iter()
            .find(|r| r.unit.id == unit && r.model.id == model)
            .cloned()
    };
    assert!(runs(&overview(&app, &school, year).await).is_none());

    let (status, location, body) = post(school.clone(), owned(register("2")), None).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location.as_deref(),
        Some(format!("{page}&done=register").as_str())
    );
    let run = runs(&overview(&app, &school, year).await).expect("registered");
    assert_eq!(run.places, 2);

    // Its evidence through the file field: a forged file refused, a real one kept.
    let run_text = run.id.to_string();
    let evidence = owned(vec![("form", "evidence"), ("run", &run_text)]);
    let (status, _, body) = post(school.clone(), evidence.clone(), Some(b"MZ not a pdf")).await;
    assert_eq!(status, 422, "{body}");
    let (status, _, body) = post(school.clone(), evidence, Some(PDF)).await;
    assert_eq!(status, 303, "{body}");
    let run = runs(&overview(&app, &school, year).await).unwrap();
    assert_eq!(
        run.evidence.map(|e| e.file_name).as_deref(),
        Some("bien-ban.pdf")
    );

    // The school cannot rate its own model; the area officer rates it and marks it.
    let year_text = year.to_string();
    let review = owned(vec![
        ("form", "review"),
        ("run", &run_text),
        ("year", &year_text),
        ("rating", "good"),
        ("replicate", "1"),
    ]);
    let (status, _, body) = post(school.clone(), review.clone(), None).await;
    assert_eq!(status, 403, "{body}");
    let area = common::client_without_redirects();
    app.sign_in(&area, "khuvuc", app::authz::DEMO_PASSWORD)
        .await
        .unwrap();
    let (status, _, body) = post(area, review, None).await;
    assert_eq!(status, 303, "{body}");
    let run = runs(&overview(&app, &school, year).await).unwrap();
    let rated = run.review.expect("rated");
    assert_eq!(rated.rating, Rating::Good);
    assert!(rated.replicate);
}
