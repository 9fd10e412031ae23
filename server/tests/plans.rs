//! Plans over HTTP: the demo plans, the edit conflict, the lifecycle rules of each role,
//! that an issued plan cannot change, fan-out with notifications and deployment steps, the
//! coverage they give, and the DOCX with the blocks Nghị định 30 requires.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::accounts::CurrentUser;
use app::authz::DEMO_PASSWORD;
use app::plans::api::Notice;
use app::plans::{
    Coverage, DeployStep, Deployment, PlanContent, PlanStatus, PlanSummary, PlanView,
    RevisionSummary, SaveOutcome, StepMark,
};
use common::{new_client, TestApp};
use serde_json::json;

async fn get_plan(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
) -> Result<PlanView, (u16, String)> {
    app.call_with(client, "plans/get", json!({ "id": id }))
        .await
}

async fn save(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    version: i64,
    content: &PlanContent,
) -> Result<SaveOutcome, (u16, String)> {
    app.call_with(
        client,
        "plans/save",
        json!({ "id": id, "version": version, "content": content }),
    )
    .await
}

async fn step(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    step: &str,
    comment: &str,
) -> Result<PlanStatus, (u16, String)> {
    app.call_with(
        client,
        "plans/step",
        json!({ "id": id, "step": step, "comment": comment, "number": null, "date": null }),
    )
    .await
}

/// A new plan, written in full by the specialist and saved: (id, version).
async fn written_plan(app: &TestApp, writer: &reqwest::Client) -> (i64, i64) {
    let id: i64 = app
        .call_with(writer, "plans/create", json!({ "year": 2026 }))
        .await
        .unwrap();
    let view = get_plan(app, writer, id).await.unwrap();
    assert_eq!(view.status, PlanStatus::Draft);
    assert_eq!(view.content.issuer, "SỞ GIÁO DỤC VÀ ĐÀO TẠO");
    let mut content = app::plans::demo::sample(2026, true);
    content.title = "Kế hoạch kiểm thử".into();
    match save(app, writer, id, view.version, &content).await.unwrap() {
        SaveOutcome::Saved { version, .. } => (id, version),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn demo_plans_cover_every_state_and_both_sides_of_the_reform() {
    let app = TestApp::demo(60).await;
    let writer = app.client_as("chuyenvien").await;
    let plans: Vec<PlanSummary> = app
        .call_with(
            &writer,
            "plans/list",
            json!({ "year": null, "status": null }),
        )
        .await
        .unwrap();
    for status in PlanStatus::ALL {
        assert!(plans.iter().any(|p| p.status == status), "{status:?}");
    }
    for year in 2022..=2026 {
        assert!(plans.iter().any(|p| p.year == year), "{year}");
    }
    let mut before = false;
    let mut after = false;
    for p in plans.iter().filter(|p| p.status == PlanStatus::Issued) {
        let view = get_plan(&app, &writer, p.id).await.unwrap();
        let date = view.content.date.unwrap();
        before |= date < app::org::reform_date();
        after |= date >= app::org::reform_date();
        assert!(view.recipients > 0);
    }
    assert!(before && after, "issued plans on both sides of 01/07/2025");
    // The school sees only what was issued to it.
    let school = app.client_as("truong").await;
    let seen: Vec<PlanSummary> = app
        .call_with(
            &school,
            "plans/list",
            json!({ "year": null, "status": null }),
        )
        .await
        .unwrap();
    assert!(!seen.is_empty());
    assert!(seen
        .iter()
        .all(|p| matches!(p.status, PlanStatus::Issued | PlanStatus::Ended)));
    let draft = plans
        .iter()
        .find(|p| p.status == PlanStatus::Draft)
        .unwrap();
    assert_eq!(get_plan(&app, &school, draft.id).await.unwrap_err().0, 404);
}

#[tokio::test]
async fn a_later_save_from_an_older_version_gets_the_conflict_not_an_overwrite() {
    let app = TestApp::demo(20).await;
    let first = app.client_as("chuyenvien").await;
    let second = app.client_as("quantri").await;
    let (id, version) = written_plan(&app, &first).await;
    let start = get_plan(&app, &second, id).await.unwrap();
    assert_eq!(start.version, version);

    let mut mine = start.content.clone();
    mine.title = "Bản của người thứ nhất".into();
    let mut theirs = start.content.clone();
    theirs.title = "Bản của người thứ hai".into();
    let saved = save(&app, &first, id, version, &mine).await.unwrap();
    let SaveOutcome::Saved { version: v2, .. } = saved else {
        panic!("first save: {saved:?}")
    };
    assert_eq!(v2, version + 1);
    match save(&app, &second, id, version, &theirs).await.unwrap() {
        SaveOutcome::Conflict { theirs: current } => {
            assert_eq!(current.version, v2);
            assert_eq!(current.content.title, "Bản của người thứ nhất");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Nothing was overwritten.
    assert_eq!(
        get_plan(&app, &first, id).await.unwrap().content.title,
        "Bản của người thứ nhất"
    );
    // Choosing to keep one's own version is a save from the version one has now seen.
    assert!(matches!(
        save(&app, &second, id, v2, &theirs).await.unwrap(),
        SaveOutcome::Saved { .. }
    ));
    assert_eq!(
        get_plan(&app, &first, id).await.unwrap().content.title,
        "Bản của người thứ hai"
    );
}

#[tokio::test]
async fn lifecycle_rules_per_role_with_notifications_steps_and_coverage() {
    let app = TestApp::demo(60).await;
    let writer = app.client_as("chuyenvien").await;
    let leader = app.client_as("lanhdao").await;
    let viewer = app.client_as("nguoixem").await;
    let school = app.client_as("truong").await;
    let area = app.client_as("khuvuc").await;

    // An empty plan cannot be submitted, and says why.
    let empty: i64 = app
        .call_with(&writer, "plans/create", json!({ "year": 2026 }))
        .await
        .unwrap();
    let err = step(&app, &writer, empty, "Submit", "").await.unwrap_err();
    assert_eq!(err.0, 422);
    assert!(err.1.contains("Chưa có tên kế hoạch"), "{}", err.1);
    // Only specialists and admins write plans.
    for (who, client) in [
        ("leader", &leader),
        ("viewer", &viewer),
        ("school", &school),
    ] {
        let err = app
            .call_with::<i64>(client, "plans/create", json!({ "year": 2026 }))
            .await
            .unwrap_err();
        assert_eq!(err.0, 403, "{who} creates");
    }

    let (id, version) = written_plan(&app, &writer).await;
    let content = get_plan(&app, &writer, id).await.unwrap().content;
    assert_eq!(
        save(&app, &leader, id, version, &content)
            .await
            .unwrap_err()
            .0,
        403
    );
    assert_eq!(
        save(&app, &viewer, id, version, &content)
            .await
            .unwrap_err()
            .0,
        403
    );
    assert_eq!(get_plan(&app, &school, id).await.unwrap_err().0, 404);
    // Leadership cannot approve a draft; the writer cannot approve at all.
    assert_eq!(
        step(&app, &leader, id, "Issue", "").await.unwrap_err().0,
        422
    );
    assert_eq!(
        step(&app, &writer, id, "Submit", "").await.unwrap(),
        PlanStatus::Submitted
    );
    assert_eq!(
        step(&app, &writer, id, "Issue", "").await.unwrap_err().0,
        403
    );
    assert_eq!(
        step(&app, &viewer, id, "Return", "x").await.unwrap_err().0,
        403
    );
    // A submitted plan is not edited in place.
    let now = get_plan(&app, &writer, id).await.unwrap();
    assert!(!now.may_edit);
    assert_eq!(
        save(&app, &writer, id, now.version, &content)
            .await
            .unwrap_err()
            .0,
        422
    );

    // Returning needs a comment, which reaches the writer.
    assert_eq!(
        step(&app, &leader, id, "Return", " ").await.unwrap_err().0,
        422
    );
    assert_eq!(
        step(
            &app,
            &leader,
            id,
            "Return",
            "Bổ sung chỉ tiêu về tuyên truyền."
        )
        .await
        .unwrap(),
        PlanStatus::Draft
    );
    let back = get_plan(&app, &writer, id).await.unwrap();
    assert_eq!(
        back.return_comment.as_deref(),
        Some("Bổ sung chỉ tiêu về tuyên truyền.")
    );
    let notices: Vec<Notice> = app
        .call_with(&writer, "notifications/list", json!({}))
        .await
        .unwrap();
    assert!(notices
        .iter()
        .any(|n| n.link == format!("/plans/{id}") && !n.read));

    // Fixed, resubmitted and issued.
    let mut fixed = back.content.clone();
    fixed.targets[0].text = "đơn vị tổ chức tuyên truyền".into();
    let SaveOutcome::Saved { .. } = save(&app, &writer, id, back.version, &fixed).await.unwrap()
    else {
        panic!("save")
    };
    step(&app, &writer, id, "Submit", "").await.unwrap();
    let issued: PlanStatus = app
        .call_with(
            &leader,
            "plans/step",
            json!({ "id": id, "step": "Issue", "comment": "", "number": "301/KH-SGDĐT", "date": null }),
        )
        .await
        .unwrap();
    assert_eq!(issued, PlanStatus::Issued);
    let view = get_plan(&app, &writer, id).await.unwrap();
    assert_eq!(view.content.number, "301/KH-SGDĐT");
    assert!(view.recipients > 0);
    let history: Vec<RevisionSummary> = app
        .call_with(&writer, "plans/revisions", json!({ "id": id }))
        .await
        .unwrap();
    let events: Vec<&str> = history.iter().map(|r| r.event.as_str()).collect();
    for event in ["create", "save", "submit", "return", "issue"] {
        assert!(events.contains(&event), "{event} in {events:?}");
    }
    // The issued plan became a document of the registry.
    let docs: Vec<app::plans::LegalDocument> = app
        .call_with(&writer, "documents/search", json!({ "q": "301/KH" }))
        .await
        .unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].plan, Some(id));

    // The school is told, sees the plan and marks two steps.
    let notices: Vec<Notice> = app
        .call_with(&school, "notifications/list", json!({}))
        .await
        .unwrap();
    assert!(notices
        .iter()
        .any(|n| n.link == format!("/plans/{id}") && !n.read));
    assert!(get_plan(&app, &school, id).await.is_ok());
    let mine: Vec<Deployment> = app
        .call_with(&school, "plans/deployments", json!({}))
        .await
        .unwrap();
    let deployment = mine.iter().find(|d| d.plan.id == id).expect("the new plan");
    let unit = deployment.unit.id;
    let before: Coverage = app
        .call_with(&leader, "plans/coverage", json!({ "id": id }))
        .await
        .unwrap();
    assert_eq!(before.overall.done, vec![0; 5]);
    for s in ["Received", "Conference"] {
        let marks: Vec<StepMark> = app
            .call_with(
                &school,
                "plans/mark-step",
                json!({ "plan": id, "unit": unit, "step": s, "done": true, "done_on": null, "note": "" }),
            )
            .await
            .unwrap();
        assert!(marks
            .iter()
            .any(|m| m.step.code() == DeployStep::Received.code() && m.done_on.is_some()));
    }
    let future = app::clock::today() + chrono::Duration::days(3);
    let err = app
        .call_with::<Vec<StepMark>>(
            &school,
            "plans/mark-step",
            json!({ "plan": id, "unit": unit, "step": "OwnPlan", "done": true, "done_on": future, "note": "" }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 422);
    let after: Coverage = app
        .call_with(&leader, "plans/coverage", json!({ "id": id }))
        .await
        .unwrap();
    assert_eq!(after.overall.total, before.overall.total);
    assert_eq!(after.overall.done, vec![1, 0, 1, 0, 0]);
    let area_rows: i64 = after.by_area.iter().map(|r| r.done[0]).sum();
    assert_eq!(area_rows, 1);

    // Nobody marks steps for a school outside their part of the tree.
    let other = sqlx::query_as::<_, (i64,)>(
        "SELECT unit_id FROM plan_units WHERE plan_id = $1 AND unit_id <> $2 ORDER BY unit_id DESC LIMIT 1",
    )
    .bind(id)
    .bind(unit)
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .0;
    let err = app
        .call_with::<Vec<StepMark>>(
            &school,
            "plans/mark-step",
            json!({ "plan": id, "unit": other, "step": "Received", "done": true, "done_on": null, "note": "" }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    // The area officer's coverage counts the area's schools only.
    let area_user: CurrentUser = app
        .sign_in(&new_client(), "khuvuc", DEMO_PASSWORD)
        .await
        .unwrap();
    let scoped: Coverage = app
        .call_with(&area, "plans/coverage", json!({ "id": id }))
        .await
        .unwrap();
    assert!(scoped.overall.total < after.overall.total);
    assert!(
        scoped.by_area.len() <= 1,
        "{:?} for {}",
        scoped.by_area,
        area_user.grants[0].unit.name
    );
}

#[tokio::test]
async fn an_issued_plan_cannot_change_and_a_correction_is_a_new_record() {
    let app = TestApp::demo(20).await;
    let writer = app.client_as("chuyenvien").await;
    let leader = app.client_as("lanhdao").await;
    let (id, _) = written_plan(&app, &writer).await;
    step(&app, &writer, id, "Submit", "").await.unwrap();
    app.call_with::<PlanStatus>(
        &leader,
        "plans/step",
        json!({ "id": id, "step": "Issue", "comment": "", "number": "77/KH-SGDĐT", "date": "2026-02-01" }),
    )
    .await
    .unwrap();
    let issued = get_plan(&app, &writer, id).await.unwrap();
    assert!(!issued.may_edit && issued.may_correct);
    let mut changed = issued.content.clone();
    changed.title = "Sửa sau ban hành".into();
    let err = save(&app, &writer, id, issued.version, &changed)
        .await
        .unwrap_err();
    assert_eq!(err.0, 422);
    assert_eq!(
        step(&app, &writer, id, "Submit", "").await.unwrap_err().0,
        422
    );
    assert_eq!(
        step(&app, &leader, id, "Return", "x").await.unwrap_err().0,
        422
    );
    let (content,): (String,) = sqlx::query_as("SELECT content FROM plans WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(!content.contains("Sửa sau ban hành"));

    // A correction: a new draft of its own, which ends the old plan when issued.
    let correction: i64 = app
        .call_with(&writer, "plans/correct", json!({ "id": id }))
        .await
        .unwrap();
    assert_ne!(correction, id);
    let draft = get_plan(&app, &writer, correction).await.unwrap();
    assert_eq!(draft.status, PlanStatus::Draft);
    assert_eq!(draft.corrects, Some(id));
    assert!(draft.content.number.is_empty());
    let SaveOutcome::Saved { .. } = save(&app, &writer, correction, draft.version, &changed)
        .await
        .unwrap()
    else {
        panic!("save")
    };
    step(&app, &writer, correction, "Submit", "").await.unwrap();
    app.call_with::<PlanStatus>(
        &leader,
        "plans/step",
        json!({ "id": correction, "step": "Issue", "comment": "", "number": "78/KH-SGDĐT", "date": null }),
    )
    .await
    .unwrap();
    let old = get_plan(&app, &writer, id).await.unwrap();
    assert_eq!(old.status, PlanStatus::Ended);
    assert_eq!(old.corrected_by, Some(correction));
    assert_eq!(old.content.title, "Kế hoạch kiểm thử");
}

/// The text of each paragraph of a WordprocessingML body, read with an XML parser.
fn paragraphs(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Text(t) if in_text => current.push_str(&t.decode().unwrap()),
            Event::End(e) if e.name().as_ref() == b"w:p" => out.push(std::mem::take(&mut current)),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn the_docx_holds_the_blocks_of_the_decree() {
    use std::io::Read;
    let app = TestApp::demo(20).await;
    let writer = app.client_as("chuyenvien").await;
    let plans: Vec<PlanSummary> = app
        .call_with(
            &writer,
            "plans/list",
            json!({ "year": 2026, "status": "Issued" }),
        )
        .await
        .unwrap();
    let plan = &plans[0];
    let response = writer
        .get(app.url(&format!("/plans/{}/document.docx", plan.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("wordprocessingml"));
    let bytes = response.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let document = read("word/document.xml");
    let styles = read("word/styles.xml");
    let texts = paragraphs(&document);
    let has = |s: &str| texts.iter().any(|t| t == s);
    assert!(has("UBND TỈNH SƠN HÀ"), "{texts:?}");
    assert!(has("SỞ GIÁO DỤC VÀ ĐÀO TẠO"));
    assert!(has("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(has("Độc lập - Tự do - Hạnh phúc"));
    assert!(has("Số: 27/KH-SGDĐT"));
    assert!(has("Sơn Hà, ngày 22 tháng 01 năm 2026"));
    assert!(has("KẾ HOẠCH"));
    assert!(has(
        "Triển khai phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026"
    ));
    assert!(texts
        .iter()
        .any(|t| t.starts_with("Căn cứ Nghị quyết số 51-NQ/TW")));
    // Parts numbered in Roman numerals, in order.
    let parts: Vec<&String> = texts
        .iter()
        .filter(|t| {
            ["I. ", "II. ", "III. ", "IV. ", "V. ", "VI. ", "VII. "]
                .iter()
                .any(|p| t.starts_with(p))
        })
        .collect();
    assert_eq!(parts[0], "I. MỤC ĐÍCH, YÊU CẦU");
    assert_eq!(parts.len(), 7, "{parts:?}");
    assert!(has("Nơi nhận:"));
    assert!(has("KT. GIÁM ĐỐC") && has("PHÓ GIÁM ĐỐC") && has("Nguyễn Văn Minh"));
    // A4, the decree's margins, Times New Roman 14 pt.
    assert!(document.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(document.contains("w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\""));
    assert!(styles.contains("w:ascii=\"Times New Roman\""));
    assert!(styles.contains("<w:sz w:val=\"28\"/>"));
    // The signature block is never split across two pages.
    let signature_row = document.rfind("<w:tr>").unwrap();
    assert!(document[signature_row..].starts_with("<w:tr><w:trPr><w:cantSplit/>"));

    // Nobody outside the plan's readers gets the file.
    let anonymous = new_client()
        .get(app.url(&format!("/plans/{}/document.docx", plan.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

/// A title that would close `<title>` and add a refresh to another site, if written into the
/// page's head as it is.
const HOSTILE_TITLE: &str =
    "Kế hoạch</title><meta http-equiv=\"refresh\" content=\"0;url=https://example.invalid/\"><title>x";

#[tokio::test]
async fn a_title_holding_markup_stays_text_in_every_page_that_shows_it() {
    let app = TestApp::demo(20).await;
    let writer = app.client_as("chuyenvien").await;
    let id: i64 = app
        .call_with(&writer, "plans/create", json!({ "year": 2026 }))
        .await
        .unwrap();
    let view = get_plan(&app, &writer, id).await.unwrap();
    let mut content = app::plans::demo::sample(2026, true);
    content.title = HOSTILE_TITLE.into();
    let SaveOutcome::Saved { .. } = save(&app, &writer, id, view.version, &content)
        .await
        .unwrap()
    else {
        panic!("save")
    };
    for path in [format!("/plans/{id}"), format!("/plans/{id}/print")] {
        let response = writer.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let page = response.text().await.unwrap();
        let head = &page[..page.find("</head>").expect("a head")];
        let markup = page.find("<meta http-equiv=\"refresh\"");
        assert!(
            markup.is_none(),
            "{path}: the title became markup: {}",
            &page[markup.unwrap_or(0).saturating_sub(300)
                ..(markup.unwrap_or(0) + 100).min(page.len())]
        );
        assert_eq!(head.matches("<title>").count(), 1, "{path}: {head}");
        assert!(
            head.contains("<title>Kế hoạch&lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot;"),
            "{path}: {head}"
        );
    }
}

#[tokio::test]
async fn a_plans_recipients_read_the_issued_text_not_how_it_was_written() {
    let app = TestApp::demo(20).await;
    let writer = app.client_as("chuyenvien").await;
    let leader = app.client_as("lanhdao").await;
    let school = app.client_as("truong").await;
    let (id, _) = written_plan(&app, &writer).await;
    step(&app, &writer, id, "Submit", "").await.unwrap();
    let secret = "Mục tiêu chưa sát thực tế, xem lại";
    step(&app, &leader, id, "Return", secret).await.unwrap();
    step(&app, &writer, id, "Submit", "").await.unwrap();
    app.call_with::<PlanStatus>(
        &leader,
        "plans/step",
        json!({ "id": id, "step": "Issue", "comment": "", "number": "79/KH-SGDĐT", "date": null }),
    )
    .await
    .unwrap();
    // The department still sees the history with the leader's comment.
    let own = get_plan(&app, &writer, id).await.unwrap();
    assert!(own.may_see_history);
    let history: Vec<RevisionSummary> = app
        .call_with(&writer, "plans/revisions", json!({ "id": id }))
        .await
        .unwrap();
    assert!(history.len() >= 2);
    // A school it was sent to reads the plan, and nothing of how it came to be.
    let received = get_plan(&app, &school, id).await.unwrap();
    assert!(!received.may_see_history);
    assert_eq!(received.return_comment, None);
    for (endpoint, args) in [
        ("plans/revisions", json!({ "id": id })),
        ("plans/revision", json!({ "id": id, "version": 1 })),
        ("plans/compare", json!({ "id": id, "version": 2 })),
    ] {
        let response = school
            .post(app.url(&format!("/api/{endpoint}")))
            .json(&args)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{endpoint}");
        let body = response.text().await.unwrap();
        assert!(!body.contains(secret), "{endpoint}: {body}");
        assert!(!body.contains("Kế hoạch kiểm thử"), "{endpoint}: {body}");
    }
    let page = school
        .get(app.url(&format!("/plans/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Kế hoạch kiểm thử"));
    assert!(!page.contains(secret));
    assert!(!page.contains("Lịch sử phiên bản"));
}
