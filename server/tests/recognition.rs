//! Recognition over HTTP: a model school from selection to the year-end decision (filing
//! refused while a dossier document is missing, a forged file refused, the decision's DOCX
//! listing the school, the school's history showing it), criteria versions that leave past
//! assessments on theirs, the safety standard refused to primary schools, and the yearly
//! evaluation's reporting item counted from report timeliness.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::recognition::api::{AssessmentView, Move};
use app::recognition::{
    Answer, Answers, AssessmentFile, CriteriaSet, CriterionKind, DossierDocument, Programme,
    RecognitionHistory, Stage, YearOverview,
};
use app::store::org::Scope;
use common::live::{next_message, open_live};
use common::reports::{own_unit, today, PDF};
use common::TestApp;
use serde_json::json;
use std::time::Duration;

async fn view(app: &TestApp, client: &reqwest::Client, id: i64) -> AssessmentView {
    app.call_with(client, "recognition/get", json!({ "id": id }))
        .await
        .unwrap()
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    slot: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, String) {
    let r = client
        .post(app.url(&format!("/recognition/{id}/files?slot={slot}&name={name}")))
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn move_to(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    to: Move,
    note: &str,
) -> Result<Stage, (u16, String)> {
    app.call_with(
        client,
        "recognition/move",
        json!({ "id": id, "to": to, "note": note }),
    )
    .await
}

/// Full marks on every criterion a person answers.
fn full_marks(set: &CriteriaSet) -> Answers {
    set.body
        .criteria()
        .filter(|c| c.source.is_none())
        .map(|c| {
            let a = match &c.kind {
                CriterionKind::Points { max } => Answer::Points(*max),
                CriterionKind::PassFail { .. } => Answer::Pass(true),
                CriterionKind::Threshold { min, .. } => Answer::Number(*min + 1.0),
            };
            (c.key.clone(), a)
        })
        .collect()
}

fn document_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    xml
}

#[tokio::test]
async fn a_model_school_goes_from_selection_to_the_year_end_decision() {
    let app = TestApp::demo(120).await;
    let area_officer = app.client_as("khuvuc").await;
    let school = app.client_as("truong").await;
    let leader = app.client_as("lanhdao").await;
    let unit = own_unit(&app, &school).await;
    let area = own_unit(&app, &area_officer).await;
    let year = app::store::recognition::current_year(today());

    // The demo leaves the school's own area without a model school this year.
    let overview: YearOverview = app
        .call_with(
            &area_officer,
            "recognition/overview",
            json!({ "year": year }),
        )
        .await
        .unwrap();
    assert!(overview.areas_without.iter().any(|a| a.id == area));
    let candidates: Vec<app::org::UnitRef> = app
        .call_with(
            &area_officer,
            "recognition/candidates",
            json!({ "year": year, "area": area }),
        )
        .await
        .unwrap();
    assert!(candidates.iter().any(|c| c.id == unit));
    // The page offers the same list with the area, whatever area is asked for; a school
    // chooses nowhere.
    let choosing: Option<app::recognition::Choosing> = app
        .call_with(
            &area_officer,
            "recognition/choosing",
            json!({ "year": year, "area": unit }),
        )
        .await
        .unwrap();
    let choosing = choosing.expect("the area officer chooses");
    assert_eq!(choosing.area, area);
    assert_eq!(choosing.schools, candidates);
    let none: Option<app::recognition::Choosing> = app
        .call_with(
            &school,
            "recognition/choosing",
            json!({ "year": year, "area": area }),
        )
        .await
        .unwrap();
    assert!(none.is_none());

    // A school cannot choose itself; the area officer chooses it, once, and the leader's
    // open dashboard hears of it.
    let mut live = open_live(&app, &app.base, &leader).await;
    let refused = app
        .call_form::<i64>(
            &school,
            "recognition/select",
            json!({ "year": year, "unit": unit }),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.0, 403);
    let id: i64 = app
        .call_form(
            &area_officer,
            "recognition/select",
            json!({ "year": year, "unit": unit }),
        )
        .await
        .unwrap();
    let message = next_message(&mut live, Duration::from_secs(1))
        .await
        .expect("a live message within a second");
    assert!(message.contains("recognition"), "{message}");
    let twice = app
        .call_form::<i64>(
            &area_officer,
            "recognition/select",
            json!({ "year": year, "unit": unit }),
        )
        .await
        .unwrap_err();
    assert_eq!(twice.0, 422, "{}", twice.1);

    let v = view(&app, &school, id).await;
    assert_eq!(v.assessment.stage, Stage::Selected);
    assert!(v.may_assess && !v.may_review);
    assert!(
        v.assessment.set.body.caveat.is_some(),
        "the draft set says so"
    );
    move_to(&app, &school, id, Move::StartBuilding, "")
        .await
        .unwrap();

    // Self-assessment: answers out of bounds are refused, then full marks are kept.
    let set = v.assessment.set.clone();
    let mut bad = full_marks(&set);
    bad.insert("1.2".into(), Answer::Points(99));
    let refused = app
        .call_with::<i64>(
            &school,
            "recognition/save",
            json!({ "id": id, "review": false, "answers": bad, "version": v.version + 1 }),
        )
        .await
        .unwrap_err();
    assert!(refused.1.contains("tối đa 10 điểm"), "{}", refused.1);
    let version = view(&app, &school, id).await.version;
    app.call_with::<i64>(
        &school,
        "recognition/save",
        json!({ "id": id, "review": false, "answers": full_marks(&set), "version": version }),
    )
    .await
    .unwrap();

    // The save is audited with the answers it changed.
    let (saves,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'assessment_self_save'
           AND entity_id = $1 AND after_json LIKE '%1.2%'",
    )
    .bind(id.to_string())
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(saves, 1);

    // Finishing needs the evidence the set requires.
    let (status, body) = move_to(&app, &school, id, Move::FinishSelfAssessment, "")
        .await
        .unwrap_err();
    assert_eq!(status, 422);
    assert!(body.contains("minh chứng"), "{body}");
    for c in set.body.criteria().filter(|c| c.evidence_required) {
        let (status, body) = upload(
            &app,
            &school,
            id,
            &format!("item:{}", c.key),
            "minh-chung.pdf",
            PDF,
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    // The administrator finishes it for the school (he may act as any school)…
    let admin = app.client_as("quantri").await;
    assert_eq!(
        move_to(&app, &admin, id, Move::FinishSelfAssessment, "")
            .await
            .unwrap(),
        Stage::SelfAssessed
    );

    // Filing is refused while a document of the dossier is missing.
    let (status, body) = move_to(&app, &school, id, Move::File, "")
        .await
        .unwrap_err();
    assert_eq!(status, 422);
    assert!(body.contains("Tờ trình"), "{body}");
    // A file whose content is not what its name says is refused.
    let (status, body) = upload(
        &app,
        &school,
        id,
        "dossier:to_trinh",
        "to-trinh.pdf",
        b"MZ\x90\x00 not a pdf",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = upload(&app, &school, id, "dossier:to_trinh", "to-trinh.pdf", PDF).await;
    assert_eq!(status, 200);
    app.call_with::<()>(&school, "recognition/generate-report", json!({ "id": id }))
        .await
        .unwrap();
    let (status, body) = move_to(&app, &school, id, Move::File, "")
        .await
        .unwrap_err();
    assert_eq!(status, 422);
    assert!(body.contains("Biên bản"), "{body}");
    assert!(!body.contains("Báo cáo kết quả"), "{body}");
    let (status, body) = upload(
        &app,
        &school,
        id,
        "dossier:bien_ban_hop_xet",
        "bien-ban.pdf",
        PDF,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let files: Vec<AssessmentFile> = serde_json::from_str(&body).unwrap();
    // The generated results report is a Word file naming the school and its total.
    let report = files
        .iter()
        .find(|f| f.slot == format!("dossier:{}", DossierDocument::ResultsReport.code()))
        .unwrap();
    let bytes = school
        .get(app.url(&format!("/recognition-files/{}", report.id)))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = document_text(&bytes);
    assert!(text.contains("BÁO CÁO"), "results report");
    assert!(text.contains("100/100"), "the self-assessed total");
    assert_eq!(
        move_to(&app, &school, id, Move::File, "").await.unwrap(),
        Stage::Filed
    );
    // Filed: the school changes nothing more.
    let version = view(&app, &school, id).await.version;
    let refused = app
        .call_with::<i64>(
            &school,
            "recognition/save",
            json!({ "id": id, "review": false, "answers": Answers::new(), "version": version }),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.0, 422);

    // …so he may not review it: another reviewer does.
    let (status, body) = move_to(&app, &admin, id, Move::StartReview, "")
        .await
        .unwrap_err();
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("không xét được"), "{body}");

    // The area officer reviews and scores it; the leader recognises it by decision.
    move_to(&app, &area_officer, id, Move::StartReview, "")
        .await
        .unwrap();
    // Not yet scored: no decision may recognise it.
    let refused = app
        .call_with::<i64>(
            &leader,
            "recognition/decide",
            json!({ "decision": { "year": year, "number": "320/QĐ-SGDĐT", "signed_on": format!("{year}-12-20"),
                                  "signer": "Nguyễn Văn A", "assessments": [id] } }),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.0, 422, "{}", refused.1);
    assert!(refused.1.contains("mức công nhận"), "{}", refused.1);
    let v = view(&app, &area_officer, id).await;
    assert!(v.may_review);
    let mut scores = full_marks(&set);
    scores.insert("4.2".into(), Answer::Points(5));
    app.call_with::<i64>(
        &area_officer,
        "recognition/save",
        json!({ "id": id, "review": true, "answers": scores, "version": v.version }),
    )
    .await
    .unwrap();
    let v = view(&app, &leader, id).await;
    let review = v.assessment.review_outcome.clone().unwrap();
    assert_eq!(review.total, 95);
    assert_eq!(review.band.as_deref(), Some("Đạt điển hình"));
    assert!(v.may_decide);

    let refused = app
        .call_with::<i64>(
            &area_officer,
            "recognition/decide",
            json!({ "decision": { "year": year, "number": "1/QĐ-SGDĐT", "signed_on": format!("{year}-12-20"),
                                  "signer": "Nguyễn Văn A", "assessments": [id] } }),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.0, 403);
    let decision: i64 = app
        .call_with(
            &leader,
            "recognition/decide",
            json!({ "decision": { "year": year, "number": "321/QĐ-SGDĐT", "signed_on": format!("{year}-12-20"),
                                  "signer": "Nguyễn Văn A", "assessments": [id] } }),
        )
        .await
        .unwrap();
    let v = view(&app, &school, id).await;
    assert_eq!(v.assessment.stage, Stage::Recognised);
    assert_eq!(v.assessment.decision.as_ref().unwrap().id, decision);

    let docx = leader
        .get(app.url(&format!("/recognition/decisions/{decision}/document.docx")))
        .send()
        .await
        .unwrap();
    assert_eq!(docx.status(), 200);
    let text = document_text(&docx.bytes().await.unwrap());
    assert!(text.contains("QUYẾT ĐỊNH"));
    assert!(text.contains("321/QĐ-SGDĐT"));
    assert!(
        text.contains(&v.assessment.unit.name),
        "the decision lists the school"
    );
    // The school reads its own line; another school, whose area is elsewhere, nothing.
    let own = school
        .get(app.url(&format!("/recognition/decisions/{decision}/document.docx")))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    assert!(document_text(&own.bytes().await.unwrap()).contains(&v.assessment.unit.name));
    let other = app.client_as("truongthcs").await;
    let refused = other
        .get(app.url(&format!("/recognition/decisions/{decision}/document.docx")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
    let body = refused.bytes().await.unwrap();
    assert!(!body.starts_with(b"PK"));
    assert!(!String::from_utf8_lossy(&body).contains(&v.assessment.unit.name));

    let history: Vec<RecognitionHistory> = app
        .call_with(&school, "recognition/history", json!({ "unit": unit }))
        .await
        .unwrap();
    let this_year = history
        .iter()
        .find(|h| h.year == year && h.programme == Programme::ModelSchool)
        .unwrap();
    assert_eq!(this_year.stage, Stage::Recognised);
    assert_eq!(this_year.decision.as_ref().unwrap().number, "321/QĐ-SGDĐT");

    // The school was told at each step that concerned it.
    let (notices,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM notifications WHERE unit_id = $1 AND kind LIKE 'model_school%'",
    )
    .bind(unit)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(notices, 2, "selected, then recognised");
}

#[tokio::test]
async fn an_edited_criteria_set_becomes_a_new_version_and_past_assessments_keep_theirs() {
    let app = TestApp::demo(60).await;
    let specialist = app.client_as("chuyenvien").await;
    let versions: Vec<CriteriaSet> = app
        .call_with(
            &specialist,
            "recognition/criteria",
            json!({ "programme": Programme::ModelSchool }),
        )
        .await
        .unwrap();
    assert_eq!(versions.len(), 1);
    let first = versions[0].clone();
    assert!(first.used_by > 0, "the demo's past model schools use it");

    // A broken set is refused and changes nothing.
    let mut broken = first.body.clone();
    broken.bands[0].min_score = 500;
    let refused = app
        .call_with::<CriteriaSet>(
            &specialist,
            "recognition/criteria-save",
            json!({ "programme": Programme::ModelSchool, "body": broken }),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.0, 422, "{}", refused.1);

    let mut edited = first.body.clone();
    edited.caveat = None;
    edited.bands[0].min_score = 85;
    let saved: CriteriaSet = app
        .call_with(
            &specialist,
            "recognition/criteria-save",
            json!({ "programme": Programme::ModelSchool, "body": edited }),
        )
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    // A second edit before anyone uses version 2 changes it in place.
    let mut again = saved.body.clone();
    again.bands[0].min_score = 90;
    let saved_again: CriteriaSet = app
        .call_with(
            &specialist,
            "recognition/criteria-save",
            json!({ "programme": Programme::ModelSchool, "body": again }),
        )
        .await
        .unwrap();
    assert_eq!((saved_again.id, saved_again.version), (saved.id, 2));

    // Last year's model schools are still scored against version 1.
    let (past,): (i64,) = sqlx::query_as(
        "SELECT MIN(id) FROM assessments WHERE programme = 'model_school' AND year = 2025",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let v = view(&app, &specialist, past).await;
    assert_eq!(v.assessment.set.version, 1);
    assert_eq!(v.assessment.set.body.bands[0].min_score, 80);

    // A school chosen now is assessed against version 2.
    let area_officer = app.client_as("khuvuc").await;
    let area = own_unit(&app, &area_officer).await;
    let year = app::store::recognition::current_year(today());
    let candidates: Vec<app::org::UnitRef> = app
        .call_with(
            &area_officer,
            "recognition/candidates",
            json!({ "year": year, "area": area }),
        )
        .await
        .unwrap();
    let id: i64 = app
        .call_form(
            &area_officer,
            "recognition/select",
            json!({ "year": year, "unit": candidates[0].id }),
        )
        .await
        .unwrap();
    assert_eq!(
        view(&app, &area_officer, id).await.assessment.set.version,
        2
    );
    // Only the department's specialists and administrators edit criteria.
    let refused = app
        .call_with::<CriteriaSet>(
            &area_officer,
            "recognition/criteria-save",
            json!({ "programme": Programme::ModelSchool, "body": first.body }),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.0, 403);
}

#[tokio::test]
async fn the_safety_standard_is_not_offered_to_preschools_or_primary_schools() {
    let app = TestApp::demo_admin(120).await;
    let year = app::store::recognition::current_year(today());
    let free = |levels: &'static str| {
        let db = app.db.clone();
        async move {
            let (id,): (i64,) = sqlx::query_as(&format!(
                "SELECT MIN(u.id) FROM units u WHERE u.kind = 'school' AND u.closed_on IS NULL
                   AND u.levels = '{levels}' AND NOT EXISTS (SELECT 1 FROM assessments a
                   WHERE a.unit_id = u.id AND a.programme = 'safety_standard' AND a.year = {year})"
            ))
            .fetch_one(db.pool())
            .await
            .unwrap();
            id
        }
    };
    for levels in [",MN,", ",TH,"] {
        let unit = free(levels).await;
        let refused = app
            .call_form::<i64>(
                &app.client,
                "recognition/open-own",
                json!({ "programme": "safety_standard", "year": year, "unit": unit }),
            )
            .await
            .unwrap_err();
        assert_eq!(refused.0, 422);
        assert!(refused.1.contains("không áp dụng"), "{}", refused.1);
    }
    let unit = free(",THCS,").await;
    let id: i64 = app
        .call_form(
            &app.client,
            "recognition/open-own",
            json!({ "programme": "safety_standard", "year": year, "unit": unit }),
        )
        .await
        .unwrap();
    let v = view(&app, &app.client, id).await;
    assert_eq!(v.assessment.programme, Programme::SafetyStandard);
    assert!(
        v.assessment.set.body.bands[0].must_pass.len() == v.assessment.set.body.criteria().count()
    );
}

#[tokio::test]
async fn the_yearly_evaluation_counts_its_reporting_item_from_report_timeliness() {
    let app = TestApp::demo(80).await;
    let now = today();
    let year = 2025;
    let timeliness = app::store::recognition::timeliness(&app.db, year, &Scope::All, now)
        .await
        .unwrap();
    // Direct SQL: each school's reports of the year's cycles due by today, and those in by
    // the on-time cutoff.
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT u.id,
                (SELECT COUNT(*) FROM report_cycles c WHERE c.year = {year} AND c.due_on <= $1
                   AND u.established_on <= c.due_on
                   AND (u.closed_on IS NULL OR u.closed_on > c.due_on)),
                (SELECT COUNT(*) FROM report_submissions s JOIN report_cycles c ON c.id = s.cycle_id
                   WHERE s.unit_id = u.id AND c.year = {year} AND c.due_on <= $1
                     AND s.status IN ('submitted', 'accepted')
                     AND s.first_submitted_on <= c.on_time_until)
         FROM units u WHERE u.kind = 'school' ORDER BY u.id"
    ))
    .bind(app::store::iso(now))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let mut compared = 0;
    let mut partial = 0;
    for (unit, expected, on_time) in rows {
        if expected == 0 {
            continue;
        }
        let t = timeliness.get(&unit).copied().unwrap_or_default();
        assert_eq!(
            (i64::from(t.expected), i64::from(t.on_time)),
            (expected, on_time),
            "school {unit}"
        );
        compared += 1;
        partial += usize::from(on_time < expected);
    }
    assert!(compared > 50, "{compared} schools compared");
    assert!(partial > 0, "some schools were late or missing");

    // The evaluation puts those counts into the reporting item: a school's total is its
    // stored answers plus 20 × on time / due.
    let set = app::store::recognition::current_set(&app.db, Programme::YearlyEvaluation)
        .await
        .unwrap();
    let results = app::store::recognition::yearly_evaluation(&app.db, year, &Scope::All, now)
        .await
        .unwrap();
    let mut checked = 0;
    for (unit, outcome) in results.iter().take(40) {
        let (stored,): (String,) = sqlx::query_as(
            "SELECT self_answers FROM assessments WHERE unit_id = $1
               AND programme = 'yearly_evaluation' AND year = $2",
        )
        .bind(*unit)
        .bind(i64::from(year))
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        let stored: Answers = serde_json::from_str(&stored).unwrap();
        let without = set.body.score(&stored).total;
        let t = timeliness.get(unit).copied().unwrap_or_default();
        let item = (20 * t.on_time).checked_div(t.expected).unwrap_or(20);
        assert_eq!(outcome.total, without + item, "school {unit}");
        checked += 1;
    }
    assert_eq!(checked, 40);
}

#[tokio::test]
async fn a_school_opens_and_finishes_its_own_yearly_evaluation() {
    let app = TestApp::demo(60).await;
    let school = app.client_as("truong").await;
    let unit = own_unit(&app, &school).await;
    let now = today();
    let year = app::store::recognition::current_year(now);
    let start = |year: i32, unit: i64| json!({ "programme": "yearly_evaluation", "year": year, "unit": unit });

    // Only this year, and only the caller's own school.
    let past = app
        .call_form::<i64>(&school, "recognition/open-own", start(year - 1, unit))
        .await
        .unwrap_err();
    assert_eq!(past.0, 422, "{}", past.1);
    let (elsewhere,): (i64,) = sqlx::query_as(
        "SELECT MIN(id) FROM units WHERE kind = 'school' AND closed_on IS NULL AND id <> $1",
    )
    .bind(unit)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let foreign = app
        .call_form::<i64>(&school, "recognition/open-own", start(year, elsewhere))
        .await
        .unwrap_err();
    assert_eq!(foreign.0, 403);

    let id: i64 = app
        .call_form(&school, "recognition/open-own", start(year, unit))
        .await
        .unwrap();
    let twice = app
        .call_form::<i64>(&school, "recognition/open-own", start(year, unit))
        .await
        .unwrap_err();
    assert_eq!(twice.0, 422, "{}", twice.1);

    // The page shows the reporting item already counted from the school's reports.
    let v = view(&app, &school, id).await;
    assert_eq!(v.assessment.programme, Programme::YearlyEvaluation);
    assert!(v.may_assess);
    let t = app::store::recognition::timeliness(&app.db, year, &Scope::Within(vec![unit]), now)
        .await
        .unwrap()
        .get(&unit)
        .copied()
        .unwrap_or_default();
    let reporting = (20 * t.on_time).checked_div(t.expected).unwrap_or(20);
    assert_eq!(
        v.assessment.self_answers.get("3.1"),
        Some(&Answer::Points(reporting))
    );

    // Finishing needs every typed item answered.
    let early = app
        .call_with::<Stage>(
            &school,
            "recognition/move",
            json!({ "id": id, "to": "FinishSelfAssessment", "note": "" }),
        )
        .await
        .unwrap_err();
    assert_eq!(early.0, 422, "{}", early.1);
    let answers = full_marks(&v.assessment.set);
    let _: i64 = app
        .call_with(
            &school,
            "recognition/save",
            json!({ "id": id, "review": false, "answers": answers, "version": v.version }),
        )
        .await
        .unwrap();
    let stage: Stage = app
        .call_with(
            &school,
            "recognition/move",
            json!({ "id": id, "to": "FinishSelfAssessment", "note": "" }),
        )
        .await
        .unwrap();
    assert_eq!(stage, Stage::SelfAssessed);
    // There is nothing to file: the result stands as soon as it is assessed.
    let file = app
        .call_with::<Stage>(
            &school,
            "recognition/move",
            json!({ "id": id, "to": "File", "note": "" }),
        )
        .await
        .unwrap_err();
    assert_eq!(file.0, 422, "{}", file.1);

    // The year's evaluation counts the school at its full typed marks plus its reporting item.
    let set = &v.assessment.set.body;
    let typed: u32 = set
        .criteria()
        .filter(|c| c.source.is_none())
        .map(|c| c.kind.max_points())
        .sum();
    let results =
        app::store::recognition::yearly_evaluation(&app.db, year, &Scope::Within(vec![unit]), now)
            .await
            .unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].1.total, typed + reporting);
}

#[tokio::test]
async fn the_safety_standard_goes_from_registration_to_a_decision_of_its_own() {
    let app = TestApp::demo_admin(120).await;
    let leader = app.client_as("chuyenvien").await;
    let year = app::store::recognition::current_year(today());
    let (unit,): (i64,) = sqlx::query_as(&format!(
        "SELECT MIN(u.id) FROM units u WHERE u.kind = 'school' AND u.closed_on IS NULL
           AND u.levels = ',THCS,' AND NOT EXISTS (SELECT 1 FROM assessments a
           WHERE a.unit_id = u.id AND a.programme = 'safety_standard' AND a.year = {year})"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    // The administrator acts for the school: registers, answers, adds the evidence, files.
    let id: i64 = app
        .call_form(
            &app.client,
            "recognition/open-own",
            json!({ "programme": "safety_standard", "year": year, "unit": unit }),
        )
        .await
        .unwrap();
    let v = view(&app, &app.client, id).await;
    let _: i64 = app
        .call(
            "recognition/save",
            json!({ "id": id, "review": false, "answers": full_marks(&v.assessment.set), "version": v.version }),
        )
        .await
        .unwrap();
    for c in v
        .assessment
        .set
        .body
        .criteria()
        .filter(|c| c.evidence_required)
    {
        let (status, body) = upload(
            &app,
            &app.client,
            id,
            &format!("item:{}", c.key),
            "minh-chung.pdf",
            PDF,
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    for to in [Move::FinishSelfAssessment, Move::File] {
        move_to(&app, &app.client, id, to, "").await.unwrap();
    }
    move_to(&app, &leader, id, Move::StartReview, "")
        .await
        .unwrap();
    let v = view(&app, &leader, id).await;
    let _: i64 = app
        .call_with(
            &leader,
            "recognition/save",
            json!({ "id": id, "review": true, "answers": full_marks(&v.assessment.set), "version": v.version }),
        )
        .await
        .unwrap();

    // The year's list of the standard holds it, recognisable; the model-school list does not.
    let standard: YearOverview = app
        .call_with(
            &leader,
            "recognition/overview",
            json!({ "year": year, "programme": "SafetyStandard" }),
        )
        .await
        .unwrap();
    assert!(standard.rows.iter().any(|r| r.id == id && r.recognisable));
    assert!(standard.areas_without.is_empty());
    let models: YearOverview = app
        .call_with(&leader, "recognition/overview", json!({ "year": year }))
        .await
        .unwrap();
    assert!(models.rows.iter().all(|r| r.id != id));

    // A model-school decision cannot take it; a decision of the standard does.
    let decision = |programme: &str, number: &str| {
        json!({ "decision": { "programme": programme, "year": year, "number": number,
            "signed_on": format!("{year}-12-20"), "signer": "Nguyễn Văn A", "assessments": [id] } })
    };
    let refused = app
        .call_with::<i64>(
            &leader,
            "recognition/decide",
            decision("ModelSchool", "410/QĐ-SGDĐT"),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.0, 422, "{}", refused.1);
    let decided: i64 = app
        .call_with(
            &leader,
            "recognition/decide",
            decision("SafetyStandard", "411/QĐ-SGDĐT"),
        )
        .await
        .unwrap();
    let v = view(&app, &leader, id).await;
    assert_eq!(v.assessment.stage, Stage::Recognised);
    let docx = leader
        .get(app.url(&format!("/recognition/decisions/{decided}/document.docx")))
        .send()
        .await
        .unwrap();
    assert_eq!(docx.status(), 200);
    let text = document_text(&docx.bytes().await.unwrap());
    assert!(
        text.contains("An toàn về an ninh, trật tự"),
        "the standard's title"
    );
    assert!(text.contains("124/2021/TT-BCA"), "the standard's basis");
    assert!(text.contains(&v.assessment.unit.name));
}

/// The fields of the assessment form for `answers`, as the page names them.
fn answer_fields(set: &CriteriaSet, answers: &Answers) -> Vec<(String, String)> {
    set.body
        .criteria()
        .filter(|c| c.source.is_none())
        .map(|c| {
            (
                app::recognition::answer_field(&c.key),
                c.answer_text(answers.get(&c.key)),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_assessment_is_answered_filed_and_returned_through_its_plain_form() {
    let app = TestApp::demo(60).await;
    let school = common::client_without_redirects();
    app.sign_in(&school, "quantri", app::authz::DEMO_PASSWORD)
        .await
        .unwrap();
    let reviewer = common::client_without_redirects();
    app.sign_in(&reviewer, "chuyenvien", app::authz::DEMO_PASSWORD)
        .await
        .unwrap();
    let outsider = app.client_as("truong").await;
    let own = own_unit(&app, &outsider).await;
    let year = app::store::recognition::current_year(today());
    let (unit,): (i64,) = sqlx::query_as(&format!(
        "SELECT u.id FROM units u WHERE u.kind = 'school' AND u.closed_on IS NULL
           AND u.levels = ',THCS,' AND u.id <> {own} AND NOT EXISTS (SELECT 1 FROM assessments a
           WHERE a.unit_id = u.id AND a.programme = 'safety_standard' AND a.year = {year})
         ORDER BY u.id LIMIT 1"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let id: i64 = app
        .call_form(
            &school,
            "recognition/open-own",
            json!({ "programme": "safety_standard", "year": year, "unit": unit }),
        )
        .await
        .unwrap();
    let page = format!("/recognition/{id}");
    let v = view(&app, &school, id).await;
    let set = v.assessment.set.clone();
    let name = v.assessment.unit.name.clone();
    let full = full_marks(&set);
    let points = set
        .body
        .criteria()
        .find(|c| c.source.is_none())
        .expect("a criterion answered by a person")
        .key
        .clone();
    let post = |client: &reqwest::Client,
                fields: Vec<(String, String)>,
                files: Vec<(String, &'static [u8])>| {
        let (app, page) = (&app, page.clone());
        let client = client.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let files: Vec<(&str, &str, &[u8])> = files
                .iter()
                .map(|(k, b)| (k.as_str(), "minh-chung.pdf", *b))
                .collect();
            common::reports::post_page_form(app, &client, &page, &fields, &files).await
        }
    };
    let with = |intent: &str, version: i64, answers: Vec<(String, String)>| {
        let mut fields = vec![
            ("do".to_string(), intent.to_string()),
            ("version".to_string(), version.to_string()),
        ];
        fields.extend(answers);
        fields
    };

    // An answer that does not read: the page again, what was typed kept and the problem
    // beside its field; nothing saved.
    let mut typed = answer_fields(&set, &full);
    for (field, text) in &mut typed {
        if *field == app::recognition::answer_field(&points) {
            *text = "mười lăm".into();
        }
    }
    let (status, _, body) = post(&school, with("save", v.version, typed), vec![]).await;
    assert_eq!(status, 422, "{body}");
    // The other answers are kept as they were chosen.
    assert!(body.contains("<option value=\"yes\" selected"), "{body}");
    assert!(body.contains(&format!("Tiêu chí {points}: ")), "{body}");
    assert!(body.contains("aria-invalid=\"true\""), "{body}");
    assert!(view(&app, &school, id)
        .await
        .assessment
        .self_answers
        .is_empty());

    // Answers, evidence and finishing in one press: kept, attached, moved on.
    let evidence: Vec<(String, &'static [u8])> = set
        .body
        .criteria()
        .filter(|c| c.evidence_required)
        .map(|c| (format!("file:item:{}", c.key), PDF))
        .collect();
    assert!(!evidence.is_empty());
    let (status, location, body) = post(
        &school,
        with("finish", v.version, answer_fields(&set, &full)),
        evidence.clone(),
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location.as_deref(),
        Some(format!("{page}?done=finish").as_str())
    );
    let v = view(&app, &school, id).await;
    assert_eq!(v.assessment.stage, Stage::SelfAssessed);
    assert_eq!(v.assessment.self_answers, full);
    assert_eq!(v.assessment.files.len(), evidence.len());
    let (status, _, body) = post(&school, with("file", v.version, vec![]), vec![]).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(view(&app, &school, id).await.assessment.stage, Stage::Filed);

    // Another school's officer: refused, and the page says nothing of this school.
    let (status, _, body) = post(&outsider, with("save", 0, vec![]), vec![]).await;
    assert!(status == 403 || status == 404, "{status} {body}");
    assert!(!body.contains(&name), "{body}");
    assert!(!body.contains("minh-chung.pdf"), "{body}");

    // The reviewer takes it up; returning needs a reason, which the school then reads.
    let (status, _, body) = post(&reviewer, with("start-review", 0, vec![]), vec![]).await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = post(&reviewer, with("return", 0, vec![]), vec![]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Hãy ghi lý do"), "{body}");
    assert_eq!(
        view(&app, &school, id).await.assessment.stage,
        Stage::UnderReview
    );
    let mut fields = with("return", 0, vec![]);
    fields.push(("note".into(), "Bổ sung biên bản họp phụ huynh.".into()));
    let (status, _, body) = post(&reviewer, fields, vec![]).await;
    assert_eq!(status, 303, "{body}");
    let v = view(&app, &school, id).await;
    assert_eq!(v.assessment.stage, Stage::Building);
    assert!(v
        .assessment
        .history
        .iter()
        .any(|e| e.note == "Bổ sung biên bản họp phụ huynh."));
}
