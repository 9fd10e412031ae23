//! The 19/8 day over HTTP: a school records its day (every problem named at once, another
//! school's refused, saved again in place), adds photos only once the day is saved (a
//! forged photo and a seventh refused; removed again), the page's plain forms (the day with a
//! photo, another photo, a removal), photos hidden from users who do not
//! see the school; the figures by area checked against direct SQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::security_day::{ActivityForm, DayOverview, DayPhoto};
use app::store::org::Scope;
use common::reports::{own_unit, today, PDF};
use common::TestApp;
use serde_json::{json, Value};

/// A tiny PNG: the signature and an empty IHDR are enough for the content check.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

fn day(unit: i64, year: i32, held_on: &str, participants: u32, forms: &[ActivityForm]) -> Value {
    json!({ "record": {
        "unit": unit, "year": year, "held_on": held_on, "participants": participants,
        "forms": forms, "note": "Mít tinh, ký cam kết",
    } })
}

async fn overview(app: &TestApp, client: &reqwest::Client, year: i32) -> DayOverview {
    app.call_with(client, "security-day/overview", json!({ "year": year }))
        .await
        .unwrap()
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    unit: i64,
    year: i32,
    name: &str,
    bytes: &[u8],
) -> (u16, String) {
    let url = app.url(&format!("/security-day/{unit}/{year}/photos?name={name}"));
    let r = client.post(url).body(bytes.to_vec()).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_school_records_its_day_with_photos() {
    let app = TestApp::demo(60).await;
    let school = app.client_as("truong").await;
    let specialist = app.client_as("chuyenvien").await;
    let unit = own_unit(&app, &school).await;
    let now = today();
    let year = app::store::recognition::current_year(now);
    let held = format!("{year}-01-02").min(app::store::iso(now));

    // The demo leaves the school's own day of this year to be recorded.
    let before = overview(&app, &school, year).await;
    assert_eq!(before.own.len(), 1);
    assert!(before.own[0].record.is_none());
    assert!(before.may_record);

    // No photo before the day is saved.
    let (status, body) = upload(&app, &school, unit, year, "anh.png", PNG).await;
    assert_eq!(status, 422, "{body}");

    // Every problem at once; nothing saved.
    let err = app
        .call_with::<i64>(&school, "security-day/save", day(unit, year, "", 0, &[]))
        .await
        .unwrap_err();
    assert_eq!(err.0, 422);
    for words in ["ngày tổ chức", "Số người", "hình thức"] {
        assert!(err.1.contains(words), "{words}: {}", err.1);
    }
    let err = app
        .call_with::<i64>(
            &school,
            "security-day/save",
            day(
                unit,
                year - 3,
                &format!("{}-08-19", year - 3),
                10,
                &[ActivityForm::Sports],
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 422, "{}", err.1);
    let (elsewhere,): (i64,) = sqlx::query_as(
        "SELECT MIN(id) FROM units WHERE kind = 'school' AND closed_on IS NULL AND id <> $1",
    )
    .bind(unit)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let err = app
        .call_with::<i64>(
            &school,
            "security-day/save",
            day(elsewhere, year, &held, 10, &[ActivityForm::Sports]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    assert!(overview(&app, &school, year).await.own[0].record.is_none());

    let forms = [ActivityForm::Pledge, ActivityForm::Ceremony];
    let id: i64 = app
        .call_with(
            &school,
            "security-day/save",
            day(unit, year, &held, 420, &forms),
        )
        .await
        .unwrap();
    let again: i64 = app
        .call_with(
            &school,
            "security-day/save",
            day(unit, year, &held, 450, &forms),
        )
        .await
        .unwrap();
    assert_eq!(id, again, "saved again in place");
    let record = overview(&app, &school, year).await.own[0]
        .record
        .clone()
        .unwrap();
    assert_eq!(record.participants, 450);
    assert_eq!(
        record.forms,
        vec![ActivityForm::Ceremony, ActivityForm::Pledge]
    );

    // Photos: a PDF named as a photo is refused; six fit, the seventh does not.
    let (status, body) = upload(&app, &school, unit, year, "anh.jpg", PDF).await;
    assert_eq!(status, 422, "{body}");
    let mut photos: Vec<DayPhoto> = Vec::new();
    for n in 0..app::security_day::MAX_PHOTOS {
        let (status, body) = upload(&app, &school, unit, year, &format!("anh-{n}.png"), PNG).await;
        assert_eq!(status, 200, "{body}");
        photos = serde_json::from_str(&body).unwrap();
    }
    assert_eq!(photos.len(), app::security_day::MAX_PHOTOS);
    let (status, body) = upload(&app, &school, unit, year, "anh-7.png", PNG).await;
    assert_eq!(status, 422, "{body}");

    // The specialist sees the photo; removing one leaves five.
    let read = specialist
        .get(app.url(&format!("/security-day/photos/{}", photos[0].id)))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    assert_eq!(read.bytes().await.unwrap().as_ref(), PNG);
    let err = app
        .call_with::<()>(
            &specialist,
            "security-day/delete-photo",
            json!({ "photo": photos[0].id }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403, "only the school removes its photos");
    let _: () = app
        .call_with(
            &school,
            "security-day/delete-photo",
            json!({ "photo": photos[0].id }),
        )
        .await
        .unwrap();
    let record = overview(&app, &school, year).await.own[0]
        .record
        .clone()
        .unwrap();
    assert_eq!(record.photos.len(), app::security_day::MAX_PHOTOS - 1);
}

#[tokio::test]
async fn photos_are_hidden_from_users_who_do_not_see_the_school() {
    let app = TestApp::demo(60).await;
    let admin = app.client_as("quantri").await;
    let area_officer = app.client_as("khuvuc").await;
    let area = own_unit(&app, &area_officer).await;
    let now = today();
    let year = app::store::recognition::current_year(now);
    let (outside,): (i64,) = sqlx::query_as(
        "SELECT MIN(u.id) FROM units u JOIN unit_links l ON l.unit_id = u.id
           AND l.relation = 'managed_by' AND l.valid_until IS NULL
         WHERE u.kind = 'school' AND u.closed_on IS NULL AND l.parent_id <> $1",
    )
    .bind(area)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let held = format!("{year}-01-02").min(app::store::iso(now));
    let _: i64 = app
        .call_with(
            &admin,
            "security-day/save",
            day(outside, year, &held, 30, &[ActivityForm::Culture]),
        )
        .await
        .unwrap();
    let (status, body) = upload(&app, &admin, outside, year, "anh.png", PNG).await;
    assert_eq!(status, 200, "{body}");
    let photos: Vec<DayPhoto> = serde_json::from_str(&body).unwrap();
    let hidden = area_officer
        .get(app.url(&format!("/security-day/photos/{}", photos[0].id)))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), 404);
    let missing = admin
        .get(app.url("/security-day/photos/999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_figures_by_area_match_direct_sql() {
    let app = TestApp::demo(120).await;
    let now = today();
    let year = 2025;
    let areas = app::store::security_day::by_area(&app.db, year, &Scope::All, now)
        .await
        .unwrap();
    let (schools, held, participants): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(d.id), CAST(COALESCE(SUM(d.participants), 0) AS BIGINT)
         FROM units u LEFT JOIN security_days d ON d.unit_id = u.id AND d.year = $1
         WHERE u.kind = 'school' AND u.established_on <= '2025-12-31'
           AND (u.closed_on IS NULL OR u.closed_on > '2025-12-31')",
    )
    .bind(i64::from(year))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let sum = |f: fn(&app::security_day::AreaDay) -> i64| areas.iter().map(f).sum::<i64>();
    assert_eq!(sum(|a| a.schools), schools);
    assert_eq!(sum(|a| a.held), held);
    assert_eq!(sum(|a| a.participants), participants);
    assert!(held > 0 && held < schools, "{held} of {schools}");

    // Pilot sites: those an issued plan of the year names, and those of them that held it.
    let (pilots, pilots_held): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(d.id) FROM units u
         LEFT JOIN security_days d ON d.unit_id = u.id AND d.year = $1
         WHERE u.kind = 'school' AND u.id IN (
             SELECT pu.unit_id FROM plan_units pu JOIN plans p ON p.id = pu.plan_id
             WHERE pu.pilot = 1 AND p.year = $1 AND p.status IN ('issued', 'ended'))",
    )
    .bind(i64::from(year))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let listed = app::store::security_day::pilots(&app.db, year, &Scope::All, now)
        .await
        .unwrap();
    assert_eq!(listed.len() as i64, pilots);
    assert_eq!(
        listed.iter().filter(|p| p.held_on.is_some()).count() as i64,
        pilots_held
    );
    // The demo's pilots all held the day, each with two photos the leadership can open.
    assert!(
        pilots > 0 && pilots_held == pilots,
        "{pilots_held} of {pilots}"
    );
    assert!(listed.iter().all(|p| p.photos.len() == 2));
    let leader = app.client_as("lanhdao").await;
    let photo = leader
        .get(app.url(&app::security_day::photo_url(listed[0].photos[0].id)))
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()["content-type"], "image/png");
    assert!(photo.bytes().await.unwrap().starts_with(b"\x89PNG"));

    // Forms: each school counted once under every form it chose.
    let forms = app::store::security_day::forms(&app.db, year, &Scope::All, now)
        .await
        .unwrap();
    for (form, n) in forms {
        let (direct,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM security_days d JOIN units u ON u.id = d.unit_id
             WHERE d.year = $1 AND d.forms LIKE $2 AND u.established_on <= '2025-12-31'
               AND (u.closed_on IS NULL OR u.closed_on > '2025-12-31')",
        )
        .bind(i64::from(year))
        .bind(format!("%,{},%", form.code()))
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(n, direct, "{form:?}");
    }
}

#[tokio::test]
async fn a_school_records_its_day_with_a_photo_through_the_pages_plain_form() {
    let app = TestApp::demo(40).await;
    let school = common::client_without_redirects();
    app.sign_in(&school, "truong", app::authz::DEMO_PASSWORD)
        .await
        .unwrap();
    let unit = own_unit(&app, &school).await;
    let year = app::store::recognition::current_year(today());
    let (unit_text, year_text) = (unit.to_string(), year.to_string());
    let page = format!("/day-19-8?year={year}");
    let held_on = chrono::NaiveDate::from_ymd_opt(year, 8, 19)
        .unwrap()
        .min(today())
        .format("%Y-%m-%d")
        .to_string();
    let fields = |participants: &'static str| {
        vec![
            ("form", "day"),
            ("unit", unit_text.as_str()),
            ("year", year_text.as_str()),
            ("held_on", held_on.as_str()),
            ("participants", participants),
            ("activity", "ceremony"),
            ("activity", "pledge"),
            ("note", "Mít tinh, ký cam kết với Công an phường"),
        ]
    };

    // No participants: the page again, what was typed kept (the boxes ticked too).
    let (status, _, body) =
        common::reports::post_page_form(&app, &school, &page, &fields("0"), &[]).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("Mít tinh, ký cam kết với Công an phường"),
        "{body}"
    );
    assert!(body.contains("value=\"pledge\" checked"), "{body}");
    let own = |o: &DayOverview| o.own.iter().find(|d| d.unit.id == unit).cloned().unwrap();
    assert!(own(&overview(&app, &school, year).await).record.is_none());

    // Saved with its first photo in one press.
    let (status, location, body) = common::reports::post_page_form(
        &app,
        &school,
        &page,
        &fields("1.250"),
        &[("photo", "mit-tinh.png", PNG)],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location.as_deref(),
        Some(format!("{page}&done=day").as_str())
    );
    let record = own(&overview(&app, &school, year).await).record.unwrap();
    assert_eq!(record.participants, 1250);
    assert_eq!(
        record.forms,
        vec![ActivityForm::Ceremony, ActivityForm::Pledge]
    );
    assert_eq!(record.photos.len(), 1);

    // Another photo through its own form; a photo form with nothing chosen is refused.
    let photo = [
        ("form", "photo"),
        ("unit", unit_text.as_str()),
        ("year", year_text.as_str()),
    ];
    let (status, _, body) =
        common::reports::post_page_form(&app, &school, &page, &photo, &[]).await;
    assert_eq!(status, 422, "{body}");
    let (status, _, body) = common::reports::post_page_form(
        &app,
        &school,
        &page,
        &photo,
        &[("photo", "ky-cam-ket.png", PNG)],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        own(&overview(&app, &school, year).await)
            .record
            .unwrap()
            .photos
            .len(),
        2
    );

    // Removing a photo: refused to one who may not record the school's day (nothing goes),
    // taken from the school (303, one photo left).
    let photos = own(&overview(&app, &school, year).await)
        .record
        .unwrap()
        .photos;
    let photo_id = photos[1].id.to_string();
    let remove = [
        ("form", "remove"),
        ("unit", unit_text.as_str()),
        ("year", year_text.as_str()),
        ("photo_id", photo_id.as_str()),
    ];
    let area_officer = app.client_as("khuvuc").await;
    let (status, _, body) =
        common::reports::post_page_form(&app, &area_officer, &page, &remove, &[]).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        own(&overview(&app, &school, year).await)
            .record
            .unwrap()
            .photos
            .len(),
        2
    );
    let (status, location, body) =
        common::reports::post_page_form(&app, &school, &page, &remove, &[]).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location.as_deref(),
        Some(format!("{page}&done=remove").as_str())
    );
    let left = own(&overview(&app, &school, year).await)
        .record
        .unwrap()
        .photos;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, photos[0].id);
}
