//! Emulation and awards over HTTP: a school registers a title and sends it; the department
//! rejects it with a reason (the school is told), approves it once sent again; a nomination
//! is awarded by a decision that refuses anything not of its form or already awarded; the
//! school's page shows the award.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::emulation::{EmulationOverview, RegistrationStatus};
use app::recognition::api::MySchool;
use chrono::Datelike;
use common::reports::{own_unit, today};
use common::TestApp;
use serde_json::{json, Value};

async fn overview(app: &TestApp, client: &reqwest::Client, year: i32) -> EmulationOverview {
    app.call_with(client, "emulation/overview", json!({ "year": year }))
        .await
        .unwrap()
}

async fn count(app: &TestApp, sql: &str, unit: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(unit)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    n
}

fn nomination(unit: i64, year: i32, form: i64, achievements: &str) -> Value {
    json!({ "nomination": {
        "unit": unit, "year": year, "kind": "Individual", "nominee": "Nguyễn Thị Mai",
        "position": "Phó hiệu trưởng", "form": form, "achievements": achievements,
    } })
}

#[tokio::test]
async fn a_registration_is_sent_rejected_with_a_reason_and_approved() {
    let app = TestApp::demo(60).await;
    let school = app.client_as("truong").await;
    let specialist = app.client_as("chuyenvien").await;
    let leader = app.client_as("lanhdao").await;
    let unit = own_unit(&app, &school).await;
    let year = today().year();
    let register = |title: &str| {
        json!({ "registration": {
            "unit": unit, "year": year, "kind": "Collective", "nominee": "Tập thể giáo viên",
            "position": "", "title": title,
        } })
    };
    let err = app
        .call_with::<i64>(
            &school,
            "emulation/register",
            register("Chiến sĩ thi đua cơ sở"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 422, "{}", err.1);
    let id: i64 = app
        .call_with(
            &school,
            "emulation/register",
            register("Tập thể lao động xuất sắc"),
        )
        .await
        .unwrap();
    let twice = app
        .call_with::<i64>(
            &school,
            "emulation/register",
            register("Tập thể lao động xuất sắc"),
        )
        .await
        .unwrap_err();
    assert_eq!(twice.0, 422);

    let status =
        |o: &EmulationOverview| o.registrations.iter().find(|r| r.id == id).unwrap().status;
    assert_eq!(
        status(&overview(&app, &school, year).await),
        RegistrationStatus::Draft
    );
    app.call_with::<()>(&school, "emulation/send", json!({ "id": id }))
        .await
        .unwrap();
    let again = app
        .call_with::<()>(&school, "emulation/send", json!({ "id": id }))
        .await
        .unwrap_err();
    assert_eq!(again.0, 422);

    // Only the department judges, and a rejection says why; the school hears of it.
    let judge =
        |approve: bool, reason: &str| json!({ "id": id, "approve": approve, "reason": reason });
    let err = app
        .call_with::<()>(&school, "emulation/judge", judge(true, ""))
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    let err = app
        .call_with::<()>(&specialist, "emulation/judge", judge(false, " "))
        .await
        .unwrap_err();
    assert_eq!(err.0, 422);
    let told = "SELECT COUNT(*) FROM notifications WHERE unit_id = $1 AND kind = 'emulation'";
    let before = count(&app, told, unit).await;
    app.call_with::<()>(
        &specialist,
        "emulation/judge",
        judge(false, "Thiếu biên bản họp"),
    )
    .await
    .unwrap();
    assert_eq!(count(&app, told, unit).await, before + 1);
    let mine = overview(&app, &school, year).await;
    let r = mine.registrations.iter().find(|r| r.id == id).unwrap();
    assert_eq!(r.status, RegistrationStatus::Rejected);
    assert_eq!(r.reason, "Thiếu biên bản họp");

    app.call_with::<()>(&school, "emulation/send", json!({ "id": id }))
        .await
        .unwrap();
    app.call_with::<()>(&leader, "emulation/judge", judge(true, ""))
        .await
        .unwrap();
    assert_eq!(
        status(&overview(&app, &leader, year).await),
        RegistrationStatus::Approved
    );
    // Judged once: a second answer is refused.
    let err = app
        .call_with::<()>(&leader, "emulation/judge", judge(false, "Đổi ý"))
        .await
        .unwrap_err();
    assert_eq!(err.0, 422);

    // The province's list is every registration of the year, as plain SQL counts them.
    let (all,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM emulation_registrations WHERE year = $1")
            .bind(i64::from(year))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        overview(&app, &leader, year).await.registrations.len() as i64,
        all
    );
}

#[tokio::test]
async fn a_decision_awards_its_nominations_once_and_the_school_page_shows_it() {
    let app = TestApp::demo(60).await;
    let school = app.client_as("truong").await;
    let specialist = app.client_as("chuyenvien").await;
    let unit = own_unit(&app, &school).await;
    let year = today().year();
    let forms = overview(&app, &school, year).await.forms;
    let (first, second) = (forms[0].id, forms[1].id);

    let err = app
        .call_with::<i64>(
            &school,
            "emulation/nominate",
            nomination(unit, year, first, "Tốt"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 422);
    let achievements = "Phụ trách tổ an ninh trường học, tổ chức 12 buổi tuyên truyền pháp luật.";
    let nominated: i64 = app
        .call_with(
            &school,
            "emulation/nominate",
            nomination(unit, year, first, achievements),
        )
        .await
        .unwrap();
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
            "emulation/nominate",
            nomination(elsewhere, year, first, achievements),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);

    let decide = |form: i64, number: &str| {
        json!({ "decision": {
            "year": year, "form": form, "number": number, "signed_on": today(),
            "signer": "Nguyễn Văn Hùng", "nominations": [nominated],
        } })
    };
    let decisions = "SELECT COUNT(*) FROM award_decisions WHERE form_id > $1";
    let before = count(&app, decisions, 0).await;
    // The nomination is not of the second form: the whole decision is refused.
    let err = app
        .call_with::<i64>(
            &specialist,
            "emulation/decide",
            decide(second, "9001/QĐ-SGDĐT"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 422, "{}", err.1);
    assert_eq!(count(&app, decisions, 0).await, before);
    let err = app
        .call_with::<i64>(&school, "emulation/decide", decide(first, "9002/QĐ-SGDĐT"))
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    app.call_with::<i64>(
        &specialist,
        "emulation/decide",
        decide(first, "9003/QĐ-SGDĐT"),
    )
    .await
    .unwrap();
    let err = app
        .call_with::<i64>(
            &specialist,
            "emulation/decide",
            decide(first, "9004/QĐ-SGDĐT"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 422, "awarded once: {}", err.1);
    assert_eq!(count(&app, decisions, 0).await, before + 1);

    let mine: Vec<MySchool> = app
        .call_with(&school, "recognition/mine", json!({}))
        .await
        .unwrap();
    let award = mine[0]
        .awards
        .iter()
        .find(|a| a.decision.number == "9003/QĐ-SGDĐT")
        .expect("the award on the school's page");
    assert_eq!(award.nominee, "Nguyễn Thị Mai");
    assert_eq!(award.form, forms[0].name);
}

/// Posts a form of the emulation page as a browser without the bundle does: the status, the
/// `Location` and the body.
async fn post_page(
    app: &TestApp,
    client: &reqwest::Client,
    year: i32,
    fields: &[(&str, &str)],
) -> (u16, Option<String>, String) {
    let r = client
        .post(app.url(&format!("/emulation?year={year}")))
        .header("accept", "text/html")
        .form(fields)
        .send()
        .await
        .unwrap();
    common::reports::page_answer(r).await
}

#[tokio::test]
async fn a_school_registers_sends_and_nominates_through_the_pages_plain_forms() {
    let app = TestApp::demo(60).await;
    let school = common::client_without_redirects();
    app.sign_in(&school, "truong", app::authz::DEMO_PASSWORD)
        .await
        .unwrap();
    let unit = own_unit(&app, &school).await;
    let unit_text = unit.to_string();
    let year = today().year();
    let year_text = year.to_string();
    let registrations = "SELECT COUNT(*) FROM emulation_registrations WHERE unit_id = $1";
    let before = count(&app, registrations, unit).await;

    // A title not for a collective: the page again with what was typed and the reason.
    let (status, _, body) = post_page(
        &app,
        &school,
        year,
        &[
            ("form", "register"),
            ("unit", &unit_text),
            ("year", &year_text),
            ("kind", "collective"),
            ("nominee", "Tổ Văn phòng nhà trường"),
            ("title", "Chiến sĩ thi đua cơ sở"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("value=\"Tổ Văn phòng nhà trường\""), "{body}");
    assert!(body.contains("không dành cho tập thể"), "{body}");
    assert_eq!(count(&app, registrations, unit).await, before);

    // Taken: back to the page of the year, which says so.
    let (status, location, body) = post_page(
        &app,
        &school,
        year,
        &[
            ("form", "register"),
            ("unit", &unit_text),
            ("year", &year_text),
            ("kind", "collective"),
            ("nominee", "Tổ Văn phòng nhà trường"),
            ("title", "Tập thể lao động tiên tiến"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location.as_deref(),
        Some(format!("/emulation?year={year}&done=register").as_str())
    );
    let o = overview(&app, &school, year).await;
    let registration = o
        .registrations
        .iter()
        .find(|r| r.unit.id == unit && r.nominee == "Tổ Văn phòng nhà trường")
        .unwrap();
    let id = registration.id.to_string();
    let (status, _, body) = post_page(&app, &school, year, &[("form", "send"), ("id", &id)]).await;
    assert_eq!(status, 303, "{body}");
    let o = overview(&app, &school, year).await;
    assert_eq!(
        o.registrations
            .iter()
            .find(|r| r.id == registration.id)
            .unwrap()
            .status,
        RegistrationStatus::Pending
    );
    // Sent once; sending again is refused at its registration.
    let (status, _, body) = post_page(&app, &school, year, &[("form", "send"), ("id", &id)]).await;
    assert_eq!(status, 422, "{body}");

    // A nomination, then another school's: refused, and nothing of it is shown.
    let form = o.forms[0].id.to_string();
    let nominate = |unit: &str| {
        vec![
            ("form", "nominate".to_string()),
            ("unit", unit.to_string()),
            ("year", year_text.clone()),
            ("kind", "individual".to_string()),
            ("nominee", "Nguyễn Thị Mai".to_string()),
            ("position", "Phó hiệu trưởng".to_string()),
            ("award", form.clone()),
            (
                "achievements",
                "Tổ chức tốt Ngày hội toàn dân bảo vệ ANTQ và các buổi tuyên truyền.".to_string(),
            ),
        ]
    };
    let fields = nominate(&unit_text);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, body) = post_page(&app, &school, year, &fields).await;
    assert_eq!(status, 303, "{body}");
    let (other,): (i64,) = sqlx::query_as(
        "SELECT MIN(id) FROM units WHERE kind = 'school' AND closed_on IS NULL AND id <> $1",
    )
    .bind(unit)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let nominations = "SELECT COUNT(*) FROM nominations WHERE unit_id = $1";
    let others = count(&app, nominations, other).await;
    let fields = nominate(&other.to_string());
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, body) = post_page(&app, &school, year, &fields).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(count(&app, nominations, other).await, others);
}
