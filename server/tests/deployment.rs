//! How units carry out an issued plan, over HTTP: evidence files on their steps (who may
//! attach, replace, remove and download them, and what is refused), the pilot sites of the
//! 19/8 day (who chooses which, and the tracking of the day), and saved groups of units as
//! the audience of a plan.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::accounts::CurrentUser;
use app::authz::DEMO_PASSWORD;
use app::org::{DirectoryFilter, DirectoryPage, UnitKind, UnitRef};
use app::plans::{
    Audience, GroupRef, PilotBoard, PlanContent, PlanStatus, PlanView, SaveOutcome, StepMark,
    UnitGroup,
};
use common::{new_client, TestApp};
use serde_json::json;

/// A plan written by the specialist with `audience` and issued by leadership: its id.
async fn issued_plan(app: &TestApp, audience: Option<Audience>) -> i64 {
    let writer = app.client_as("chuyenvien").await;
    let leader = app.client_as("lanhdao").await;
    let id: i64 = app
        .call_with(&writer, "plans/create", json!({ "year": 2026 }))
        .await
        .unwrap();
    let view: PlanView = app
        .call_with(&writer, "plans/get", json!({ "id": id }))
        .await
        .unwrap();
    let mut content: PlanContent = app::plans::demo::sample(2026, true);
    if let Some(audience) = audience {
        content.audience = audience;
    }
    let saved: SaveOutcome = app
        .call_with(
            &writer,
            "plans/save",
            json!({ "id": id, "version": view.version, "content": content }),
        )
        .await
        .unwrap();
    assert!(matches!(saved, SaveOutcome::Saved { .. }));
    let status: PlanStatus = app
        .call_with(
            &writer,
            "plans/step",
            json!({ "id": id, "step": "Submit", "comment": "", "number": null, "date": null }),
        )
        .await
        .unwrap();
    assert_eq!(status, PlanStatus::Submitted);
    let status: PlanStatus = app
        .call_with(
            &leader,
            "plans/step",
            json!({ "id": id, "step": "Issue", "comment": "", "number": format!("{id}/KH-SGDĐT"), "date": null }),
        )
        .await
        .unwrap();
    assert_eq!(status, PlanStatus::Issued);
    id
}

async fn home_unit(app: &TestApp, username: &str) -> i64 {
    let user: CurrentUser = app
        .sign_in(&new_client(), username, DEMO_PASSWORD)
        .await
        .unwrap();
    user.grants[0].unit.id
}

async fn schools(app: &TestApp) -> DirectoryPage {
    let admin = app.client_as("quantri").await;
    app.call_with(
        &admin,
        "org/search",
        json!({ "filter": DirectoryFilter { kind: Some(UnitKind::School), ..Default::default() } }),
    )
    .await
    .unwrap()
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    plan: i64,
    unit: i64,
    step: &str,
    name: &str,
    body: Vec<u8>,
) -> (u16, String) {
    let url = app.url(&format!(
        "/plans/{plan}/units/{unit}/evidence/{step}?name={}",
        app::text::percent_encode(name)
    ));
    let response = client.post(url).body(body).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_school_attaches_replaces_and_removes_evidence_and_only_its_overseers_read_it() {
    let app = TestApp::demo(60).await;
    let plan = issued_plan(&app, None).await;
    let school = app.client_as("truong").await;
    let area = app.client_as("khuvuc").await;
    let leader = app.client_as("lanhdao").await;
    let own_school = home_unit(&app, "truong").await;
    let own_area = home_unit(&app, "khuvuc").await;
    let page = schools(&app).await;
    let elsewhere = page
        .items
        .iter()
        .find(|s| s.area.as_ref().is_some_and(|a| a.id != own_area))
        .unwrap();

    let minutes = b"%PDF-1.4 bien ban hoi nghi".to_vec();
    let (status, body) = upload(
        &app,
        &school,
        plan,
        own_school,
        "conference",
        "Biên bản hội nghị.pdf",
        minutes.clone(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let marks: Vec<StepMark> = serde_json::from_str(&body).unwrap();
    let file = marks
        .iter()
        .find(|m| m.step == app::plans::DeployStep::Conference)
        .and_then(|m| m.evidence.clone())
        .expect("the evidence is listed");
    assert_eq!(file.file_name, "Biên bản hội nghị.pdf");
    assert_eq!(file.size, minutes.len() as i64);

    // The school, its area and the department read it; a school elsewhere does not learn of it.
    for (who, client) in [("school", &school), ("area", &area), ("leader", &leader)] {
        let response = client
            .get(app.url(&format!("/evidence/{}", file.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{who}");
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "application/pdf"
        );
        assert!(response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"));
        assert_eq!(response.bytes().await.unwrap().to_vec(), minutes, "{who}");
    }
    let stranger = new_client();
    assert_eq!(
        stranger
            .get(app.url(&format!("/evidence/{}", file.id)))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );

    // What is refused, and changes nothing.
    for (name, body, expected) in [
        ("virus.exe", b"MZ".to_vec(), "Chỉ nhận tệp"),
        // A web page named as a PDF, a ZIP named as a workbook: the content decides.
        (
            "bien-ban.pdf",
            b"<html><meta http-equiv=refresh content=0;url=https://example.com>".to_vec(),
            "Chỉ nhận tệp",
        ),
        (
            "bang.xlsx",
            b"PK\x03\x04word/document.xml".to_vec(),
            "Chỉ nhận tệp",
        ),
        ("trong.pdf", Vec::new(), "trống"),
        ("", b"%PDF".to_vec(), "Thiếu tên tệp"),
        (
            "lon.pdf",
            vec![b'x'; app::plans::MAX_EVIDENCE_BYTES + 10],
            "10 MB",
        ),
    ] {
        let (status, text) =
            upload(&app, &school, plan, own_school, "conference", name, body).await;
        assert_eq!(status, 422, "{name}: {text}");
        assert!(text.contains(expected), "{name}: {text}");
    }
    let (status, _) = upload(
        &app,
        &school,
        plan,
        elsewhere.id,
        "conference",
        "a.pdf",
        b"%PDF".to_vec(),
    )
    .await;
    assert_eq!(status, 403, "another school's checklist");
    let (status, _) = upload(
        &app,
        &leader,
        plan,
        own_school,
        "conference",
        "a.pdf",
        b"%PDF".to_vec(),
    )
    .await;
    assert_eq!(status, 403, "leadership does not deploy for a school");
    let (status, _) = upload(
        &app,
        &school,
        plan,
        own_school,
        "no_such_step",
        "a.pdf",
        b"%PDF".to_vec(),
    )
    .await;
    assert_eq!(status, 404);

    // A new upload replaces the file; removal takes it away.
    let (status, body) = upload(
        &app,
        &school,
        plan,
        own_school,
        "conference",
        "anh-hoi-nghi.jpg",
        vec![0xff, 0xd8, 0xff, 0xe0],
    )
    .await;
    assert_eq!(status, 200);
    let marks: Vec<StepMark> = serde_json::from_str(&body).unwrap();
    let replaced = marks
        .iter()
        .find_map(|m| m.evidence.clone())
        .expect("one file");
    assert_eq!(replaced.file_name, "anh-hoi-nghi.jpg");
    assert_eq!(
        marks.iter().filter(|m| m.evidence.is_some()).count(),
        1,
        "replaced, not added"
    );
    let served = school
        .get(app.url(&format!("/evidence/{}", replaced.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        served.headers()["content-type"].to_str().unwrap(),
        "image/jpeg"
    );
    assert_eq!(
        served.bytes().await.unwrap().to_vec(),
        vec![0xff, 0xd8, 0xff, 0xe0]
    );
    let marks: Vec<StepMark> = app
        .call_with(
            &school,
            "plans/evidence-delete",
            json!({ "plan": plan, "unit": own_school, "step": "Conference" }),
        )
        .await
        .unwrap();
    assert!(marks.iter().all(|m| m.evidence.is_none()));
    // Removing it again (from another device) answers with the checklist as it is.
    let again: Vec<StepMark> = app
        .call_with(
            &school,
            "plans/evidence-delete",
            json!({ "plan": plan, "unit": own_school, "step": "Conference" }),
        )
        .await
        .unwrap();
    assert_eq!(again, marks);
}

/// An area officer (a new account) of the first commune with both THCS and primary schools.
async fn officer_of_a_commune_with_thcs_and_primary(app: &TestApp) -> (i64, reqwest::Client) {
    let today = app::store::iso(app::clock::today());
    let (area,): (i64,) = sqlx::query_as(
        "SELECT a.id FROM units a
         JOIN unit_links l ON l.parent_id = a.id AND l.relation = 'managed_by'
              AND l.valid_from <= $1 AND (l.valid_until IS NULL OR l.valid_until > $1)
         JOIN units s ON s.id = l.unit_id AND s.kind = 'school'
         WHERE a.kind = 'area'
         GROUP BY a.id, a.code
         HAVING SUM(CASE WHEN s.levels LIKE '%,THCS,%' THEN 1 ELSE 0 END) > 0
            AND SUM(CASE WHEN s.levels LIKE '%,TH,%' THEN 1 ELSE 0 END) > 0
         ORDER BY a.code LIMIT 1",
    )
    .bind(&today)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let password = "mat-khau-can-bo-xa";
    let hash = app::store::accounts::hash_password(password).unwrap();
    let mut conn = app.db.pool().acquire().await.unwrap();
    app::store::accounts::create_user(
        &mut conn,
        &app::store::accounts::NewUser {
            username: "canbo-xa",
            email: None,
            full_name: "Cán bộ xã",
            password,
            password_hash: Some(&hash),
            must_change_password: false,
            demo: false,
            grants: vec![(app::accounts::Role::AreaOfficer, area)],
        },
    )
    .await
    .unwrap();
    let client = new_client();
    app.sign_in(&client, "canbo-xa", password).await.unwrap();
    (area, client)
}

#[tokio::test]
async fn areas_choose_their_thcs_and_primary_pilots_the_department_its_thpt() {
    // Enough schools that every commune has THCS and primary ones.
    let app = TestApp::demo(300).await;
    let plan = issued_plan(&app, None).await;
    let (own_area, area) = officer_of_a_commune_with_thcs_and_primary(&app).await;
    let writer = app.client_as("chuyenvien").await;
    let school = app.client_as("truong").await;

    let board: PilotBoard = app
        .call_with(&area, "plans/pilots", json!({ "id": plan }))
        .await
        .unwrap();
    assert!(board.required);
    assert_eq!(board.areas.len(), 1, "an area officer sees their own area");
    assert_eq!(board.areas[0].area.id, own_area);
    assert!(board.areas[0].may_choose);
    assert!(!board.may_choose_thpt);
    assert!(!board.areas[0].complete());

    let thcs: Vec<UnitRef> = app
        .call_with(
            &area,
            "plans/pilot-choices",
            json!({ "id": plan, "area": own_area, "kind": "LowerSecondary" }),
        )
        .await
        .unwrap();
    let primary: Vec<UnitRef> = app
        .call_with(
            &area,
            "plans/pilot-choices",
            json!({ "id": plan, "area": own_area, "kind": "Primary" }),
        )
        .await
        .unwrap();
    assert!(
        !thcs.is_empty() && !primary.is_empty(),
        "THCS {thcs:?}, primary {primary:?}"
    );
    // The department's THPT is not the area's to choose.
    let err = app
        .call_with::<Vec<UnitRef>>(
            &area,
            "plans/pilot-choices",
            json!({ "id": plan, "area": null, "kind": "UpperSecondary" }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    let thpt: Vec<UnitRef> = app
        .call_with(
            &writer,
            "plans/pilot-choices",
            json!({ "id": plan, "area": null, "kind": "UpperSecondary" }),
        )
        .await
        .unwrap();
    assert!(!thpt.is_empty());
    let err = app
        .call_form::<()>(
            &area,
            "plans/pilot",
            json!({ "id": plan, "unit": thpt[0].id, "pilot": true }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    // Schools do not choose themselves.
    let err = app
        .call_form::<()>(
            &school,
            "plans/pilot",
            json!({ "id": plan, "unit": thcs[0].id, "pilot": true }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);

    for unit in [thcs[0].id, primary[0].id] {
        app.call_form::<()>(
            &area,
            "plans/pilot",
            json!({ "id": plan, "unit": unit, "pilot": true }),
        )
        .await
        .unwrap();
    }
    app.call_form::<()>(
        &writer,
        "plans/pilot",
        json!({ "id": plan, "unit": thpt[0].id, "pilot": true }),
    )
    .await
    .unwrap();

    let board: PilotBoard = app
        .call_with(&writer, "plans/pilots", json!({ "id": plan }))
        .await
        .unwrap();
    assert!(board.may_choose_thpt);
    assert_eq!(board.thpt.len(), 1);
    assert_eq!(board.thpt[0].unit.id, thpt[0].id);
    let mine = board.areas.iter().find(|a| a.area.id == own_area).unwrap();
    assert!(mine.complete());
    assert!(board.areas.len() > 1, "the department sees every area");
    assert!(board.areas.iter().filter(|a| a.complete()).count() >= 1);
    assert!(mine.thcs.iter().all(|s| s.day_held.is_none()));

    // The pilot holds the day: the board shows it.
    let admin = app.client_as("quantri").await;
    let _: Vec<StepMark> = app
        .call_with(
            &admin,
            "plans/mark-step",
            json!({ "plan": plan, "unit": thcs[0].id, "step": "Day198", "done": true, "done_on": null, "note": "" }),
        )
        .await
        .unwrap();
    let board: PilotBoard = app
        .call_with(&area, "plans/pilots", json!({ "id": plan }))
        .await
        .unwrap();
    let site = board.areas[0]
        .thcs
        .iter()
        .find(|s| s.unit.id == thcs[0].id)
        .unwrap();
    assert!(site.day_held.is_some());

    // Dropping a pilot opens the gap again.
    app.call_form::<()>(
        &area,
        "plans/pilot",
        json!({ "id": plan, "unit": primary[0].id, "pilot": false }),
    )
    .await
    .unwrap();
    let board: PilotBoard = app
        .call_with(&area, "plans/pilots", json!({ "id": plan }))
        .await
        .unwrap();
    assert!(!board.areas[0].complete());
}

#[tokio::test]
async fn a_saved_group_is_an_audience_and_a_deleted_one_stops_the_issue() {
    let app = TestApp::demo(60).await;
    let writer = app.client_as("chuyenvien").await;
    let area = app.client_as("khuvuc").await;
    let page = schools(&app).await;
    let members: Vec<i64> = page.items.iter().take(3).map(|s| s.id).collect();

    // Refused with a reason, and nothing saved.
    for (args, expected) in [
        (json!({ "name": "  ", "units": members }), "tên"),
        (json!({ "name": "Nhóm rỗng", "units": [] }), "ít nhất một"),
        (
            json!({ "name": "Nhóm lạ", "units": [987654] }),
            "không còn tồn tại",
        ),
    ] {
        let err = app
            .call_with::<i64>(&writer, "groups/create", args)
            .await
            .unwrap_err();
        assert_eq!(err.0, 422);
        assert!(err.1.contains(expected), "{}", err.1);
    }
    let err = app
        .call_with::<i64>(
            &area,
            "groups/create",
            json!({ "name": "Của khu vực", "units": members }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    let none: Vec<UnitGroup> = app
        .call_with(&writer, "groups/list", json!({}))
        .await
        .unwrap();
    assert!(none.is_empty());

    let id: i64 = app
        .call_with(
            &writer,
            "groups/create",
            json!({ "name": "Trường  điểm   ven biển", "units": members }),
        )
        .await
        .unwrap();
    let err = app
        .call_with::<i64>(
            &writer,
            "groups/create",
            json!({ "name": "Trường điểm ven biển", "units": members }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 422, "the name is taken");
    let groups: Vec<UnitGroup> = app
        .call_with(&writer, "groups/list", json!({}))
        .await
        .unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, "Trường điểm ven biển");
    assert_eq!(groups[0].members.len(), 3);

    let audience = Audience {
        groups: vec![GroupRef {
            id,
            name: groups[0].name.clone(),
        }],
        ..Audience::default()
    };
    let size: i64 = app
        .call_with(
            &writer,
            "plans/audience-size",
            json!({ "audience": audience }),
        )
        .await
        .unwrap();
    assert_eq!(size, 3);
    let plan = issued_plan(&app, Some(audience.clone())).await;
    let view: PlanView = app
        .call_with(&writer, "plans/get", json!({ "id": plan }))
        .await
        .unwrap();
    assert_eq!(view.recipients, 3);

    // A plan waiting for approval whose group is deleted cannot be issued until fixed.
    let leader = app.client_as("lanhdao").await;
    let draft: i64 = app
        .call_with(&writer, "plans/create", json!({ "year": 2026 }))
        .await
        .unwrap();
    let start: PlanView = app
        .call_with(&writer, "plans/get", json!({ "id": draft }))
        .await
        .unwrap();
    let mut content = app::plans::demo::sample(2026, false);
    content.audience = audience;
    let _: SaveOutcome = app
        .call_with(
            &writer,
            "plans/save",
            json!({ "id": draft, "version": start.version, "content": content }),
        )
        .await
        .unwrap();
    let _: PlanStatus = app
        .call_with(
            &writer,
            "plans/step",
            json!({ "id": draft, "step": "Submit", "comment": "", "number": null, "date": null }),
        )
        .await
        .unwrap();
    app.call_with::<()>(&writer, "groups/delete", json!({ "id": id }))
        .await
        .unwrap();
    let err = app
        .call_with::<PlanStatus>(
            &leader,
            "plans/step",
            json!({ "id": draft, "step": "Issue", "comment": "", "number": "9/KH", "date": null }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 422);
    assert!(err.1.contains("Trường điểm ven biển"), "{}", err.1);
    // The plan issued to the group keeps its recipients.
    let view: PlanView = app
        .call_with(&writer, "plans/get", json!({ "id": plan }))
        .await
        .unwrap();
    assert_eq!(view.recipients, 3);
}
