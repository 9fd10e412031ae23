//! Periodic reports over HTTP: cycles and their deadlines, a school's report from draft to
//! acceptance (one submission however often submit is sent), files checked by content,
//! completeness that stays within 100% when a school merges mid-period, reminders that reach
//! exactly the units that have not submitted, and the workbook read back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::plans::Audience;
use app::reports::export::{ExportFormat, ExportJob, JobStatus};
use app::reports::{
    Answers, Completeness, CycleSummary, DeadlineRule, FileInfo, MyReport, NewCycle, Period,
    ReportSave, ReportStatus, ReportView, Rollup, UnitStatus,
};
use calamine::Reader;
use chrono::{Duration, NaiveDate};
use common::TestApp;
use serde_json::json;

use common::reports::{answers, new_cycle, own_unit, submit, today, upload, PDF};

/// Two reports in: the school's own with 7 sessions, and one the administrator submits for a
/// school still missing, with 5.
async fn two_reports_in(
    app: &TestApp,
    school: &reqwest::Client,
    admin: &reqwest::Client,
    cycle: i64,
    unit: i64,
) {
    submit(app, school, cycle, unit, "7").await;
    let units: Vec<UnitStatus> = app
        .call_with(
            admin,
            "reports/units",
            json!({ "cycle": cycle, "status": "missing" }),
        )
        .await
        .unwrap();
    submit(app, admin, cycle, units[0].unit.id, "5").await;
}

#[tokio::test]
async fn a_report_goes_from_draft_to_accepted_with_one_submission_per_submit() {
    let app = TestApp::demo(40).await;
    let school = app.client_as("truong").await;
    let reviewer = app.client_as("khuvuc").await;
    let unit = own_unit(&app, &school).await;
    let cycle = new_cycle(&app, today() + Duration::days(20), vec![-3, 0]).await;

    // The school sees what it owes.
    let mine: Vec<MyReport> = app
        .call_with(&school, "reports/mine", json!({}))
        .await
        .unwrap();
    let owed = mine.iter().find(|r| r.cycle == cycle).expect("owed");
    assert_eq!(owed.status, ReportStatus::Missing);

    // Autosave: a draft with half the figures, then a stale version is a conflict.
    let mut partial = Answers::new();
    partial.insert("tuyen_truyen_buoi".into(), "4".into());
    let saved: ReportSave = app
        .call_with(
            &school,
            "reports/save",
            json!({ "cycle": cycle, "unit": unit, "version": 0, "answers": partial }),
        )
        .await
        .unwrap();
    let ReportSave::Saved { version, .. } = saved else {
        panic!("saved: {saved:?}")
    };
    let stale: ReportSave = app
        .call_with(
            &school,
            "reports/save",
            json!({ "cycle": cycle, "unit": unit, "version": 0, "answers": partial }),
        )
        .await
        .unwrap();
    assert!(matches!(stale, ReportSave::Conflict { version: v, .. } if v == version));

    // Submitting without the signed scan says exactly what is missing.
    let refused: Result<ReportStatus, _> = app
        .call_with(
            &school,
            "reports/submit",
            json!({ "cycle": cycle, "unit": unit, "version": version,
                    "answers": answers("4"), "key": "first" }),
        )
        .await;
    let (status, body) = refused.unwrap_err();
    assert_eq!(status, 422);
    assert!(body.contains("Báo cáo có chữ ký, đóng dấu"), "{body}");

    let (status, body) = upload(&app, &school, cycle, unit, "ban_scan", "bao-cao.pdf", PDF).await;
    assert_eq!(status, 200, "{body}");
    let files: Vec<FileInfo> = serde_json::from_str(&body).unwrap();
    assert_eq!(files[0].sha256, app::store::reports::checksum(PDF));

    // The same submit sent twice (a double tap, a retry) makes one submission.
    let args = json!({ "cycle": cycle, "unit": unit, "version": version,
                       "answers": answers("4"), "key": "tap-1" });
    let (a, b) = tokio::join!(
        app.call_with::<ReportStatus>(&school, "reports/submit", args.clone()),
        app.call_with::<ReportStatus>(&school, "reports/submit", args.clone()),
    );
    assert_eq!(a.unwrap(), ReportStatus::Submitted);
    assert_eq!(b.unwrap(), ReportStatus::Submitted);
    let again: ReportStatus = app
        .call_with(&school, "reports/submit", args)
        .await
        .unwrap();
    assert_eq!(again, ReportStatus::Submitted);
    let view: ReportView = app
        .call_with(
            &school,
            "reports/get",
            json!({ "cycle": cycle, "unit": unit }),
        )
        .await
        .unwrap();
    assert_eq!(view.status, ReportStatus::Submitted);
    assert_eq!(view.on_time, Some(true));
    assert!(!view.may_edit);
    assert_eq!(
        view.history.iter().filter(|e| e.event == "submit").count(),
        1,
        "{:?}",
        view.history
    );

    // A reviewer must say what to fix; the school is told.
    let (status, _) = app
        .call_with::<ReportStatus>(
            &reviewer,
            "reports/review",
            json!({ "cycle": cycle, "unit": unit, "decision": "return", "comment": " " }),
        )
        .await
        .unwrap_err();
    assert_eq!(status, 422);
    let returned: ReportStatus = app
        .call_with(
            &reviewer,
            "reports/review",
            json!({ "cycle": cycle, "unit": unit, "decision": "return",
                    "comment": "Bổ sung số lượt học sinh tham gia." }),
        )
        .await
        .unwrap();
    assert_eq!(returned, ReportStatus::Returned);
    let notices: Vec<app::plans::api::Notice> = app
        .call_with(&school, "notifications/list", json!({}))
        .await
        .unwrap();
    assert!(notices
        .iter()
        .any(|n| n.title.contains("cần bổ sung")
            && n.link == format!("/reports/{cycle}/units/{unit}")));

    // Fixed and sent again; accepted, it is locked.
    let view: ReportView = app
        .call_with(
            &school,
            "reports/get",
            json!({ "cycle": cycle, "unit": unit }),
        )
        .await
        .unwrap();
    assert!(view.may_edit);
    assert_eq!(view.review_comment, "Bổ sung số lượt học sinh tham gia.");
    let status: ReportStatus = app
        .call_with(
            &school,
            "reports/submit",
            json!({ "cycle": cycle, "unit": unit, "version": view.version,
                    "answers": answers("5"), "key": "tap-2" }),
        )
        .await
        .unwrap();
    assert_eq!(status, ReportStatus::Submitted);
    let accepted: ReportStatus = app
        .call_with(
            &reviewer,
            "reports/review",
            json!({ "cycle": cycle, "unit": unit, "decision": "accept", "comment": "" }),
        )
        .await
        .unwrap();
    assert_eq!(accepted, ReportStatus::Accepted);
    let (status, body) = app
        .call_with::<ReportSave>(
            &school,
            "reports/save",
            json!({ "cycle": cycle, "unit": unit, "version": view.version + 1, "answers": answers("6") }),
        )
        .await
        .unwrap_err();
    assert_eq!(status, 422, "{body}");
    let (status, _) = upload(&app, &school, cycle, unit, "ban_scan", "b.pdf", PDF).await;
    assert_eq!(status, 422);

    // Reopening an accepted report is for a level above the reviewer, with a reason.
    let (status, _) = app
        .call_with::<ReportStatus>(
            &reviewer,
            "reports/reopen",
            json!({ "cycle": cycle, "unit": unit, "reason": "Sai số liệu" }),
        )
        .await
        .unwrap_err();
    assert_eq!(status, 403);
    let specialist = app.client_as("chuyenvien").await;
    let reopened: ReportStatus = app
        .call_with(
            &specialist,
            "reports/reopen",
            json!({ "cycle": cycle, "unit": unit, "reason": "Sai số liệu tuyên truyền" }),
        )
        .await
        .unwrap();
    assert_eq!(reopened, ReportStatus::Returned);
    let view: ReportView = app
        .call_with(
            &school,
            "reports/get",
            json!({ "cycle": cycle, "unit": unit }),
        )
        .await
        .unwrap();
    let events: Vec<&str> = view.history.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        events,
        vec!["submit", "return", "submit", "accept", "reopen"]
    );
}

#[tokio::test]
async fn files_are_checked_by_content_and_only_their_unit_and_overseers_read_them() {
    let app = TestApp::demo(40).await;
    let school = app.client_as("truong").await;
    let unit = own_unit(&app, &school).await;
    let cycle = new_cycle(&app, today() + Duration::days(20), vec![]).await;

    // A text file renamed to .pdf, a PDF named as a photo, a PDF where Word is asked for.
    for (field, name, bytes, needle) in [
        (
            "ban_scan",
            "bao-cao.pdf",
            &b"not really a pdf"[..],
            "đổi đuôi",
        ),
        ("ban_scan", "anh.jpg", PDF, "nội dung là PDF"),
        ("ban_word", "bao-cao.docx", PDF, "tệp Word"),
    ] {
        let (status, body) = upload(&app, &school, cycle, unit, field, name, bytes).await;
        assert_eq!(status, 422, "{name}: {body}");
        assert!(body.contains(needle), "{name}: {body}");
    }
    let view: ReportView = app
        .call_with(
            &school,
            "reports/get",
            json!({ "cycle": cycle, "unit": unit }),
        )
        .await
        .unwrap();
    assert!(view.files.is_empty(), "nothing refused was kept");
    // A field that is not an attachment is not there to upload to.
    let (status, _) = upload(&app, &school, cycle, unit, "ket_qua", "a.pdf", PDF).await;
    assert_eq!(status, 404);

    let (status, body) = upload(
        &app,
        &school,
        cycle,
        unit,
        "ban_scan",
        "Báo cáo quý.pdf",
        PDF,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let files: Vec<FileInfo> = serde_json::from_str(&body).unwrap();
    let url = app.url(&format!("/report-files/{}", files[0].id));
    let own = school.get(&url).send().await.unwrap();
    assert_eq!(own.status(), 200);
    assert_eq!(own.bytes().await.unwrap().as_ref(), PDF);
    let area = app.client_as("khuvuc").await;
    assert_eq!(area.get(&url).send().await.unwrap().status(), 200);
    // Nobody signed in learns nothing.
    assert_eq!(
        common::new_client()
            .get(&url)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    // Another school's report is not this school's to write.
    let admin = app.client_as("quantri").await;
    let units: Vec<UnitStatus> = app
        .call_with(
            &admin,
            "reports/units",
            json!({ "cycle": cycle, "status": null }),
        )
        .await
        .unwrap();
    let other = units.iter().find(|u| u.unit.id != unit).unwrap().unit.id;
    let (status, _) = upload(&app, &school, cycle, other, "ban_scan", "a.pdf", PDF).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn completeness_counts_only_expected_units_when_a_school_merges_mid_period() {
    let app = TestApp::demo(40).await;
    let school = app.client_as("truong").await;
    let admin = app.client_as("quantri").await;
    let unit = own_unit(&app, &school).await;
    let cycle = new_cycle(&app, today() + Duration::days(20), vec![]).await;
    let before: Completeness = app
        .call_with(&admin, "reports/completeness", json!({ "cycle": cycle }))
        .await
        .unwrap();
    assert_eq!(before.overall.submitted, 0);

    // The school reports, then merges into a neighbour before the deadline.
    assert_eq!(
        submit(&app, &school, cycle, unit, "4").await,
        ReportStatus::Submitted
    );
    let units: Vec<UnitStatus> = app
        .call_with(
            &admin,
            "reports/units",
            json!({ "cycle": cycle, "status": "missing" }),
        )
        .await
        .unwrap();
    let neighbour = units.iter().find(|u| u.unit.id != unit).unwrap().unit.id;
    let reports_in = |rollup: &Rollup| rollup.province.reports;
    let rollup: Rollup = app
        .call_with(&admin, "reports/rollup", json!({ "cycle": cycle }))
        .await
        .unwrap();
    assert_eq!(reports_in(&rollup), 1);
    let mut conn = app.db.pool().acquire().await.unwrap();
    app::store::org::merge(&mut conn, &[unit], neighbour, today())
        .await
        .unwrap();
    drop(conn);
    // A roll-up computed before the merge is not served after it.
    let rollup: Rollup = app
        .call_with(&admin, "reports/rollup", json!({ "cycle": cycle }))
        .await
        .unwrap();
    assert_eq!(reports_in(&rollup), 0, "the merged school's report is out");

    // The neighbour reports too (the administrator files it for them).
    assert_eq!(
        submit(&app, &admin, cycle, neighbour, "6").await,
        ReportStatus::Submitted
    );
    let after: Completeness = app
        .call_with(&admin, "reports/completeness", json!({ "cycle": cycle }))
        .await
        .unwrap();
    assert_eq!(after.overall.expected, before.overall.expected - 1);
    assert_eq!(
        after.overall.submitted, 1,
        "the merged school no longer counts"
    );
    assert!(after.overall.completeness() <= 100.0);
    for row in after
        .by_area
        .iter()
        .chain(&after.by_level)
        .chain(&after.by_ownership)
    {
        assert!(row.submitted <= row.expected, "{row:?}");
    }
    // The roll-up adds up the expected units' figures only.
    let rollup: Rollup = app
        .call_with(&admin, "reports/rollup", json!({ "cycle": cycle }))
        .await
        .unwrap();
    let k = rollup
        .columns
        .iter()
        .position(|c| c.key == "tuyen_truyen_buoi")
        .unwrap();
    assert_eq!(rollup.province.reports, 1);
    assert_eq!(rollup.province.values[k], Some(6.0));
}

#[tokio::test]
async fn reminders_reach_exactly_the_units_that_have_not_submitted() {
    let app = TestApp::demo(40).await;
    let school = app.client_as("truong").await;
    let admin = app.client_as("quantri").await;
    let unit = own_unit(&app, &school).await;
    // Due in three days, reminded three days before: today.
    let cycle = new_cycle(&app, today() + Duration::days(3), vec![-3]).await;
    submit(&app, &school, cycle, unit, "4").await;
    let expected: Vec<UnitStatus> = app
        .call_with(
            &admin,
            "reports/units",
            json!({ "cycle": cycle, "status": "missing" }),
        )
        .await
        .unwrap();
    let mut missing: Vec<i64> = expected.iter().map(|u| u.unit.id).collect();
    missing.sort_unstable();

    let run = app::store::reports::send_reminders(&app.db, today())
        .await
        .unwrap();
    let mut reminded = run
        .reminded
        .iter()
        .find(|(c, _)| *c == cycle)
        .map(|(_, units)| units.clone())
        .unwrap();
    reminded.sort_unstable();
    assert_eq!(reminded, missing);
    assert!(!reminded.contains(&unit));
    let notices: Vec<app::plans::api::Notice> = app
        .call_with(&school, "notifications/list", json!({}))
        .await
        .unwrap();
    assert!(!notices.iter().any(|n| n.title.contains("Nhắc nộp")));

    // A second run the same day sends nothing again.
    let again = app::store::reports::send_reminders(&app.db, today())
        .await
        .unwrap();
    assert!(!again.reminded.iter().any(|(c, _)| *c == cycle));
}

#[tokio::test]
async fn quarterly_series_follow_the_seeds_deadlines_and_bad_dates_are_refused() {
    let app = TestApp::demo(20).await;
    let specialist = app.client_as("chuyenvien").await;
    let templates: Vec<app::reports::Template> = app
        .call_with(&specialist, "reports/templates", json!({}))
        .await
        .unwrap();
    let cycle = NewCycle {
        template: templates[0].id,
        title: "Báo cáo quý".into(),
        period: Period::Year { year: 2027 },
        rule: DeadlineRule::DayOfNextQuarter { day: 5 },
        on_time_until: None,
        locks_on: None,
        audience: Audience::default(),
        plan: None,
        reminder_days: vec![-3, 0, 3],
    };
    let ids: Vec<i64> = app
        .call_with(
            &specialist,
            "reports/create-cycles",
            json!({ "cycle": cycle, "series_year": 2027 }),
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 4);
    let listed: Vec<CycleSummary> = app
        .call_with(&specialist, "reports/cycles", json!({}))
        .await
        .unwrap();
    let mut dues: Vec<String> = listed
        .iter()
        .filter(|c| ids.contains(&c.id))
        .map(|c| c.dates.due.to_string())
        .collect();
    dues.sort();
    assert_eq!(
        dues,
        ["2027-04-05", "2027-07-05", "2027-10-05", "2028-01-05"]
    );

    // A lock date before the on-time cutoff is refused and nothing is created.
    let bad = NewCycle {
        rule: DeadlineRule::Fixed {
            date: NaiveDate::from_ymd_opt(2027, 5, 9).unwrap(),
        },
        period: Period::AdHoc {
            year: 2027,
            label: "Đột xuất".into(),
        },
        locks_on: NaiveDate::from_ymd_opt(2027, 5, 1),
        ..cycle.clone()
    };
    let (status, body) = app
        .call_with::<Vec<i64>>(
            &specialist,
            "reports/create-cycles",
            json!({ "cycle": bad, "series_year": null }),
        )
        .await
        .unwrap_err();
    assert_eq!(status, 422);
    assert!(body.contains("khóa sổ"), "{body}");
    let after: Vec<CycleSummary> = app
        .call_with(&specialist, "reports/cycles", json!({}))
        .await
        .unwrap();
    assert_eq!(after.len(), listed.len());
    // A school cannot create cycles.
    let school = app.client_as("truong").await;
    let (status, _) = app
        .call_with::<Vec<i64>>(
            &school,
            "reports/create-cycles",
            json!({ "cycle": cycle, "series_year": null }),
        )
        .await
        .unwrap_err();
    assert_eq!(status, 403);
}

/// Starts an export, follows it to the end as the page does, and downloads the file.
async fn export(
    app: &TestApp,
    client: &reqwest::Client,
    cycle: i64,
    format: ExportFormat,
) -> (i64, Vec<u8>) {
    let mut job: ExportJob = app
        .call_with(
            client,
            "reports/export-start",
            json!({ "cycle": cycle, "format": format }),
        )
        .await
        .unwrap();
    let mut seen = vec![job.progress];
    for _ in 0..200 {
        if job.status.finished() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        job = app
            .call_with(client, "reports/export-status", json!({ "job": job.id }))
            .await
            .unwrap();
        seen.push(job.progress);
    }
    assert_eq!(job.status, JobStatus::Done, "{job:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "progress only grows");
    assert_eq!(
        job.file_name.as_deref(),
        Some(format.file_name(cycle).as_str())
    );
    let response = client
        .get(app.url(&app::reports::export::export_url(job.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        format.content_type()
    );
    (job.id, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn the_workbook_reads_back_with_the_numbers_of_the_reports() {
    let app = TestApp::demo(40).await;
    let school = app.client_as("truong").await;
    let admin = app.client_as("quantri").await;
    let unit = own_unit(&app, &school).await;
    let cycle = new_cycle(&app, today() + Duration::days(20), vec![]).await;
    two_reports_in(&app, &school, &admin, cycle, unit).await;

    // The direct address answers for scripts; the page exports in the background.
    let response = admin
        .get(app.url(&format!("/reports/{cycle}/rollup.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (_, bytes) = export(&app, &admin, cycle, ExportFormat::Xlsx).await;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), app::reports::xlsx::SHEETS.to_vec());
    let province = book.worksheet_range("Toàn tỉnh").unwrap();
    let headers: Vec<String> = province
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = headers
        .iter()
        .position(|h| h.starts_with("Số buổi tuyên truyền"))
        .unwrap();
    let row = province.rows().nth(1).unwrap();
    assert_eq!(row[1], calamine::Data::Float(2.0), "two reports");
    assert_eq!(row[col], calamine::Data::Float(12.0), "7 + 5 sessions");
    let people = headers
        .iter()
        .position(|h| h.starts_with("Số lượt"))
        .unwrap();
    assert_eq!(
        row[people],
        calamine::Data::Float(2500.0),
        "1.250 read as 1250, twice"
    );
    let progress = book.worksheet_range("Tiến độ nộp").unwrap();
    let overall = progress.rows().nth(1).unwrap();
    assert_eq!(overall[2], calamine::Data::Float(2.0), "submitted");
}

#[tokio::test]
async fn reminders_and_digests_are_mailed_once_each_and_retried_while_smtp_is_down() {
    let app = TestApp::demo(40).await;
    sqlx::query("UPDATE users SET email = username || '@antq.test'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let school = app.client_as("truong").await;
    let unit = own_unit(&app, &school).await;
    // Due today, reminded on the day: every school is late, the areas and the department
    // get their digests.
    let cycle = new_cycle(&app, today(), vec![0]).await;
    app::store::reports::send_reminders(&app.db, today())
        .await
        .unwrap();
    let now = chrono::Utc::now();

    // The mail server is down: every try is recorded as failed, nothing is lost.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_url = format!("smtp://{}", closed.local_addr().unwrap());
    drop(closed);
    let down = server::mail::Mailer::new(&server::mail::MailSettings {
        url: dead_url,
        from: "ANTQ <no-reply@antq.test>".into(),
        public_url: "https://antq.test".into(),
    })
    .unwrap();
    let failed = down.deliver_pending(&app.db, now).await.unwrap();
    assert_eq!(failed.sent, 0);
    assert!(failed.failed > 0);
    let (errors,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM mail_deliveries WHERE sent_at IS NULL AND attempts = 1
         AND last_error <> ''",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(errors, failed.failed as i64);

    // Back up: the same mails go out, each once.
    let sink = common::smtp::SmtpSink::start().await;
    let mailer = server::mail::Mailer::new(&server::mail::MailSettings {
        url: sink.url(),
        from: "ANTQ <no-reply@antq.test>".into(),
        public_url: "https://antq.test/".into(),
    })
    .unwrap();
    let run = mailer.deliver_pending(&app.db, now).await.unwrap();
    assert_eq!(run.failed, 0);
    assert_eq!(run.sent, sink.messages().len());
    let about = |needle: &str| -> Vec<String> {
        let mut to: Vec<String> = sink
            .messages()
            .into_iter()
            .filter(|m| m.body().contains(needle))
            .flat_map(|m| m.to)
            .collect();
        to.sort();
        to
    };
    // The school's reminder, with its link, to the school's account only.
    let link = format!("https://antq.test/reports/{cycle}/units/{unit}");
    assert_eq!(about(&link), vec!["truong@antq.test".to_string()]);
    // The late digests: the area officer for the area, every department account for the
    // province; the school gets none.
    let digest = format!("/reports/{cycle}?status=missing");
    assert_eq!(
        about(&digest),
        vec![
            "chuyenvien@antq.test",
            "khuvuc@antq.test",
            "lanhdao@antq.test",
            "nguoixem@antq.test",
            "quantri@antq.test"
        ]
    );
    let message = sink
        .messages()
        .into_iter()
        .find(|m| m.body().contains(&link))
        .unwrap();
    assert_eq!(message.from, "no-reply@antq.test");
    assert!(message.body().starts_with("Kính gửi Tài khoản thử"));
    assert!(message.data.contains("Subject: [ANTQ]"));

    // Nothing is sent twice.
    let again = mailer.deliver_pending(&app.db, now).await.unwrap();
    assert_eq!(again, server::mail::MailRun::default());
}

#[tokio::test]
async fn the_consolidated_report_is_a_decree_30_document_only_its_requester_downloads() {
    let app = TestApp::demo(40).await;
    let school = app.client_as("truong").await;
    let specialist = app.client_as("chuyenvien").await;
    let unit = own_unit(&app, &school).await;
    let cycle = new_cycle(&app, today() + Duration::days(20), vec![]).await;
    submit(&app, &school, cycle, unit, "7").await;
    let missing: Vec<UnitStatus> = app
        .call_with(
            &specialist,
            "reports/units",
            json!({ "cycle": cycle, "status": "missing" }),
        )
        .await
        .unwrap();

    let (job, bytes) = export(&app, &specialist, cycle, ExportFormat::Docx).await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    // The decree's header and title, the parts, the figures and the units still missing.
    for expected in [
        "UBND TỈNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Tổng hợp báo cáo thử",
        "I. TÌNH HÌNH NỘP BÁO CÁO",
        "II. KẾT QUẢ CÁC CHỈ TIÊU",
        "III. ĐƠN VỊ CHƯA NỘP BÁO CÁO",
        "Nơi nhận:",
        "GIÁM ĐỐC",
    ] {
        assert!(xml.contains(expected), "{expected} missing");
    }
    let expected_total = missing.len() + 1;
    assert!(xml.contains(&format!(
        "Số đơn vị phải báo cáo (tính đến ngày {}): {expected_total}; đã nộp: 1",
        today().format("%d/%m/%Y")
    )));
    assert!(
        xml.contains(&missing[0].unit.name),
        "a missing unit is listed"
    );
    assert!(xml.contains(&format!(
        "<w:t xml:space=\"preserve\">{}</w:t>",
        missing.len()
    )));
    assert!(
        xml.contains("<w:t xml:space=\"preserve\">7</w:t>"),
        "the sessions reported"
    );

    // Someone else neither follows nor downloads it.
    let leader = app.client_as("lanhdao").await;
    let status = leader
        .post(app.url("/api/reports/export-status"))
        .json(&json!({ "job": job }))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 404);
    let download = leader
        .get(app.url(&app::reports::export::export_url(job)))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(download, 404);
}

async fn save_template(
    app: &TestApp,
    client: &reqwest::Client,
    based_on: Option<i64>,
    name: &str,
    fields: Vec<app::reports::Field>,
) -> Result<app::reports::Template, (u16, String)> {
    app.call_with(
        client,
        "reports/template-save",
        json!({ "based_on": based_on, "name": name, "fields": fields }),
    )
    .await
}

#[tokio::test]
async fn a_template_gets_new_versions_and_open_cycles_keep_the_one_they_pinned() {
    let app = TestApp::demo(20).await;
    let specialist = app.client_as("chuyenvien").await;
    let school = app.client_as("truong").await;
    let unit = own_unit(&app, &school).await;
    let newest = |client: reqwest::Client| {
        let app = &app;
        async move {
            app.call_with::<Vec<app::reports::Template>>(&client, "reports/templates", json!({}))
                .await
                .unwrap()
                .into_iter()
                .find(|t| t.code == "antq_quy")
                .unwrap()
        }
    };
    let first = newest(specialist.clone()).await;
    let cycle = new_cycle(&app, today() + Duration::days(20), vec![]).await;

    // A new version with one more count.
    let mut fields = first.fields.clone();
    fields.push(app::reports::Field {
        key: "cuoc_thi".into(),
        label: "Số cuộc thi tìm hiểu pháp luật".into(),
        kind: app::reports::FieldKind::Count {
            unit: "cuộc".into(),
            min: Some(0),
            max: None,
        },
        required: true,
        help: String::new(),
    });
    let second = save_template(
        &app,
        &specialist,
        Some(first.id),
        &first.name,
        fields.clone(),
    )
    .await
    .unwrap();
    assert_eq!(
        (second.code.as_str(), second.version),
        ("antq_quy", first.version + 1)
    );
    assert_eq!(newest(specialist.clone()).await.id, second.id);
    // The open cycle keeps the version it pinned; the school's form does not grow.
    let view: ReportView = app
        .call_with(
            &school,
            "reports/get",
            json!({ "cycle": cycle, "unit": unit }),
        )
        .await
        .unwrap();
    assert_eq!(view.template.id, first.id);
    assert!(view.template.field("cuoc_thi").is_none());

    // Saving from the version that is no longer the newest, bad shapes, and a school.
    let stale = save_template(
        &app,
        &specialist,
        Some(first.id),
        &first.name,
        fields.clone(),
    )
    .await
    .unwrap_err();
    assert_eq!(stale.0, 422, "{}", stale.1);
    assert!(stale.1.contains("phiên bản mới hơn"), "{}", stale.1);
    let mut twice = fields.clone();
    twice.push(fields[0].clone());
    let err = save_template(&app, &specialist, Some(second.id), &first.name, twice)
        .await
        .unwrap_err();
    assert!(err.0 == 422 && err.1.contains("bị trùng"), "{err:?}");
    let err = save_template(&app, &specialist, Some(second.id), "  ", fields.clone())
        .await
        .unwrap_err();
    assert!(err.0 == 422 && err.1.contains("Hãy đặt tên"), "{err:?}");
    let err = save_template(&app, &school, Some(second.id), &first.name, fields.clone())
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
    assert_eq!(
        newest(specialist.clone()).await.id,
        second.id,
        "nothing saved"
    );

    // A new template starts at version 1; its name cannot be taken twice.
    let fresh = save_template(
        &app,
        &specialist,
        None,
        "Báo cáo nhanh Ngày hội 19/8",
        fields[..2].to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(
        (fresh.code.as_str(), fresh.version),
        ("bao_cao_nhanh_ngay_hoi_198", 1)
    );
    let err = save_template(
        &app,
        &specialist,
        None,
        "Báo cáo nhanh ngày hội 19/8",
        fields[..2].to_vec(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.0, 422, "{}", err.1);
}

#[tokio::test]
async fn plan_targets_named_by_an_indicator_are_set_against_the_reports() {
    use app::plans::{Measure, PlanStatus, SaveOutcome, Target};
    let app = TestApp::demo(20).await;
    let writer = app.client_as("chuyenvien").await;
    let leader = app.client_as("lanhdao").await;
    let admin = app.client_as("quantri").await;
    let school = app.client_as("truong").await;

    // A plan whose targets name report fields: one by key, one by label (in capitals, as
    // typed), one by nothing.
    let plan: i64 = app
        .call_with(&writer, "plans/create", json!({ "year": 2026 }))
        .await
        .unwrap();
    let view: app::plans::PlanView = app
        .call_with(&writer, "plans/get", json!({ "id": plan }))
        .await
        .unwrap();
    let mut content = app::plans::demo::sample(2026, true);
    content.targets = vec![
        Target {
            id: 1,
            text: "buổi tuyên truyền".into(),
            value: Some(20.0),
            measure: Measure::Count,
            indicator: "tuyen_truyen_buoi".into(),
        },
        Target {
            id: 2,
            text: "học sinh ký cam kết".into(),
            value: Some(100.0),
            measure: Measure::Percent,
            indicator: "TỈ LỆ HỌC SINH KÝ CAM KẾT KHÔNG VI PHẠM PHÁP LUẬT".into(),
        },
        Target {
            id: 3,
            text: "không đo bằng báo cáo".into(),
            value: Some(1.0),
            measure: Measure::Count,
            indicator: String::new(),
        },
    ];
    let saved: SaveOutcome = app
        .call_with(
            &writer,
            "plans/save",
            json!({ "id": plan, "version": view.version, "content": content }),
        )
        .await
        .unwrap();
    assert!(matches!(saved, SaveOutcome::Saved { .. }), "{saved:?}");
    app.call_with::<PlanStatus>(
        &writer,
        "plans/step",
        json!({ "id": plan, "step": "Submit", "comment": "", "number": null, "date": null }),
    )
    .await
    .unwrap();
    app.call_with::<PlanStatus>(
        &leader,
        "plans/step",
        json!({ "id": plan, "step": "Issue", "comment": "", "number": "90/KH-SGDĐT", "date": "2026-02-01" }),
    )
    .await
    .unwrap();

    // A cycle that measures it, and two reports: 7 and 5 sessions, 98.5% twice.
    let templates: Vec<app::reports::Template> = app
        .call_with(&writer, "reports/templates", json!({}))
        .await
        .unwrap();
    let template = templates.iter().find(|t| t.code == "antq_quy").unwrap();
    let cycle = NewCycle {
        template: template.id,
        title: "Báo cáo đo chỉ tiêu".into(),
        period: Period::AdHoc {
            year: 2026,
            label: "Báo cáo đo chỉ tiêu".into(),
        },
        rule: DeadlineRule::Fixed {
            date: today() + Duration::days(20),
        },
        on_time_until: None,
        locks_on: None,
        audience: Audience::default(),
        plan: Some(plan),
        reminder_days: vec![],
    };
    let ids: Vec<i64> = app
        .call_with(
            &writer,
            "reports/create-cycles",
            json!({ "cycle": cycle, "series_year": null }),
        )
        .await
        .unwrap();
    let cycle = ids[0];
    let unit = own_unit(&app, &school).await;
    two_reports_in(&app, &school, &admin, cycle, unit).await;

    let rollup: Rollup = app
        .call_with(&writer, "reports/rollup", json!({ "cycle": cycle }))
        .await
        .unwrap();
    let lines: Vec<(&str, Option<f64>, Option<f64>, bool)> = rollup
        .targets
        .iter()
        .map(|t| (t.target.as_str(), t.planned, t.actual, t.percent))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("buổi tuyên truyền", Some(20.0), Some(12.0), false),
            ("học sinh ký cam kết", Some(100.0), Some(98.5), true),
        ]
    );
}

/// Status, "submit" history entries and kept numbers of each report of `cycle`, by unit.
async fn stored_reports(db: &app::store::Db, cycle: i64) -> Vec<(i64, String, i64, i64)> {
    sqlx::query_as(
        "SELECT s.unit_id, s.status,
                (SELECT COUNT(*) FROM report_events e WHERE e.submission_id = s.id AND e.event = 'submit'),
                (SELECT COUNT(*) FROM report_numbers n WHERE n.submission_id = s.id)
         FROM report_submissions s WHERE s.cycle_id = $1 ORDER BY s.unit_id",
    )
    .bind(cycle)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn every_acknowledged_submission_survives_a_kill_9_and_none_is_half_written() {
    let (url, _dir) = common::fresh_database().await;
    let db = app::store::Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    server::load_demo(
        &db,
        app::org::demo::DemoOptions {
            schools: 60,
            seed: app::org::demo::DEFAULT_SEED,
        },
    )
    .await
    .unwrap();
    let mut process = common::ServerProcess::start(&url).await;
    let app = TestApp::over(&process.base, &url).await;
    let cycle = new_cycle(&app, today() + Duration::days(20), vec![]).await;
    let admin = app.client_as("quantri").await;

    // Every school of the cycle has its signed scan in and its draft's version known.
    let schools: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM units WHERE kind = 'school' ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap();
    let mut ready = Vec::new();
    for (unit,) in schools {
        let (status, _) = upload(&app, &admin, cycle, unit, "ban_scan", "scan.pdf", PDF).await;
        if status != 200 {
            continue; // not asked to report in this cycle
        }
        let view: ReportView = app
            .call_with(
                &admin,
                "reports/get",
                json!({ "cycle": cycle, "unit": unit }),
            )
            .await
            .unwrap();
        ready.push((unit, view.version));
    }
    assert!(ready.len() >= 30, "{} schools report", ready.len());

    // A burst of submits, each with figures of its own; the server is killed part-way.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut burst = tokio::task::JoinSet::new();
    for (unit, version) in ready.clone() {
        let (base, admin, acknowledged) = (app.base.clone(), admin.clone(), acknowledged.clone());
        burst.spawn(async move {
            let sessions = (unit % 89 + 1).to_string();
            let response = admin
                .post(format!("{base}/api/reports/submit"))
                .json(&json!({ "cycle": cycle, "unit": unit, "version": version,
                               "answers": answers(&sessions), "key": format!("burst-{unit}") }))
                .send()
                .await;
            if let Ok(response) = response {
                if response.status() == 200 && response.text().await.is_ok() {
                    acknowledged.lock().unwrap().push((unit, sessions));
                }
            }
        });
    }
    let started = std::time::Instant::now();
    let enough = ready.len() / 3;
    while acknowledged.lock().unwrap().len() < enough && started.elapsed().as_secs() < 30 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    process.kill();
    while burst.join_next().await.is_some() {}
    let acknowledged = acknowledged.lock().unwrap().clone();
    eprintln!(
        "{} of {} submits acknowledged before the kill",
        acknowledged.len(),
        ready.len()
    );
    assert!(!acknowledged.is_empty());

    // After a restart: every acknowledged report is submitted with its own figures.
    let process = common::ServerProcess::start(&url).await;
    let app = TestApp::over(&process.base, &url).await;
    let admin = app.client_as("quantri").await;
    for (unit, sessions) in &acknowledged {
        let view: ReportView = app
            .call_with(
                &admin,
                "reports/get",
                json!({ "cycle": cycle, "unit": unit }),
            )
            .await
            .unwrap();
        assert_eq!(view.status, ReportStatus::Submitted, "unit {unit}");
        assert_eq!(
            view.answers.get("tuyen_truyen_buoi"),
            Some(sessions),
            "unit {unit}"
        );
    }
    // Nothing half-written: a report is either still a draft with no history or numbers, or
    // submitted with one history entry and all its numbers.
    let stored = stored_reports(&app.db, cycle).await;
    let numbers = stored
        .iter()
        .find(|(_, status, _, _)| status == "submitted")
        .map(|r| r.3)
        .unwrap();
    assert!(numbers > 0);
    for (unit, status, submits, kept) in &stored {
        match status.as_str() {
            "submitted" => assert_eq!((*submits, *kept), (1, numbers), "unit {unit}"),
            "draft" => assert_eq!((*submits, *kept), (0, 0), "unit {unit}"),
            other => panic!("unit {unit} is {other}"),
        }
    }
    // And the ones cut off can simply be submitted again.
    let cut_off: Vec<_> = ready
        .iter()
        .filter(|(unit, _)| {
            stored
                .iter()
                .any(|(u, status, _, _)| u == unit && status == "draft")
        })
        .collect();
    if let Some((unit, version)) = cut_off.first() {
        let status: ReportStatus = app
            .call_with(
                &admin,
                "reports/submit",
                json!({ "cycle": cycle, "unit": unit, "version": version,
                        "answers": answers("7"), "key": "after-restart" }),
            )
            .await
            .unwrap();
        assert_eq!(status, ReportStatus::Submitted);
    }
    db.close().await;
}

/// The report page's forms posted as a browser without the bundle posts them: refused, the
/// page comes back with what was typed (kept as a draft) and the reason; taken, a 303 to the
/// page. The same submit posted twice is one submission; nobody reviews outside their part.
#[tokio::test]
async fn the_report_page_works_as_plain_forms() {
    use common::reports::post_report_page;
    let app = TestApp::demo(40).await;
    let school = common::client_without_redirects();
    app.sign_in(&school, "truong", app::authz::DEMO_PASSWORD)
        .await
        .unwrap();
    let reviewer = common::client_without_redirects();
    app.sign_in(&reviewer, "khuvuc", app::authz::DEMO_PASSWORD)
        .await
        .unwrap();
    let unit = own_unit(&app, &school).await;
    let cycle = new_cycle(&app, today() + Duration::days(20), vec![]).await;
    let page = format!("/reports/{cycle}/units/{unit}");
    let read = |client: &reqwest::Client| {
        let (app, client) = (&app, client.clone());
        async move {
            app.call_with::<ReportView>(
                &client,
                "reports/get",
                json!({ "cycle": cycle, "unit": unit }),
            )
            .await
            .unwrap()
        }
    };
    let typed = answers("4");
    let fields = |intent: &'static str, version: &str, key: &str| -> Vec<(String, String)> {
        let mut fields = vec![
            ("intent".to_string(), intent.to_string()),
            ("version".to_string(), version.to_string()),
            ("key".to_string(), key.to_string()),
        ];
        fields.extend(typed.iter().map(|(k, v)| (format!("a.{k}"), v.clone())));
        fields
    };
    let post = |client: &reqwest::Client,
                f: Vec<(String, String)>,
                files: Vec<(&'static str, &'static str, &'static [u8])>| {
        let app = &app;
        let client = client.clone();
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post_report_page(app, &client, cycle, unit, &f, &files).await
        }
    };

    // Submitted without the signed scan: 422, the page again with the typed answer and the
    // reason at the field; the answers were kept as a draft all the same.
    let (status, _, body) = post(&school, fields("submit", "0", "plain-1"), vec![]).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("Tổ chức 4 buổi tuyên truyền dưới cờ."),
        "typed answer kept"
    );
    assert!(body.contains("Báo cáo có chữ ký, đóng dấu"), "{body}");
    let view = read(&school).await;
    assert_eq!(view.status, ReportStatus::Draft);
    assert_eq!(view.answers, typed);
    let version = view.version.to_string();

    // With the scan in the same post: 303 to the page, submitted with its file.
    let submit_fields = fields("submit", &version, "plain-2");
    let scan = vec![("f.ban_scan", "bao-cao.pdf", PDF)];
    let (status, location, body) = post(&school, submit_fields.clone(), scan.clone()).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location.as_deref(), Some(page.as_str()));
    // Posted again (the back button, a retry): still one submission.
    let (status, _, _) = post(&school, submit_fields, scan).await;
    assert!(status == 303 || status == 422, "{status}");
    let view = read(&school).await;
    assert_eq!(view.status, ReportStatus::Submitted);
    assert_eq!(view.files.len(), 1);
    assert_eq!(
        view.history.iter().filter(|e| e.event == "submit").count(),
        1
    );

    // The school cannot accept its own report: 403, nothing changed, no report in the body.
    let review = |intent: &'static str, comment: &str| {
        vec![
            ("intent".to_string(), intent.to_string()),
            ("comment".to_string(), comment.to_string()),
        ]
    };
    let (status, _, body) = post(&school, review("accept", ""), vec![]).await;
    assert_eq!(status, 403, "{body}");
    // Returning needs a comment; then the area officer accepts.
    let (status, _, body) = post(&reviewer, review("return", " "), vec![]).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Hãy ghi rõ cần bổ sung gì để đơn vị sửa."),
        "{body}"
    );
    let (status, location, _) = post(&reviewer, review("accept", ""), vec![]).await;
    assert_eq!((status, location.as_deref()), (303, Some(page.as_str())));
    let view = read(&school).await;
    assert_eq!(view.status, ReportStatus::Accepted);

    // A body that is not a form, or names no known button: a 4xx that changes nothing.
    let response = school
        .post(app.url(&page))
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let (status, _, _) = post(&school, vec![("intent".into(), "drop".into())], vec![]).await;
    assert_eq!(status, 422);

    // Another school's report: 403, and the page says nothing of that school.
    let admin = app.client_as("quantri").await;
    let units: Vec<UnitStatus> = app
        .call_with(
            &admin,
            "reports/units",
            json!({ "cycle": cycle, "status": "missing" }),
        )
        .await
        .unwrap();
    let other = units
        .iter()
        .find(|u| u.unit.id != unit)
        .expect("another school");
    let mut f: Vec<(&str, &str)> = vec![("intent", "save"), ("version", "0"), ("key", "x")];
    f.push(("a.ket_qua", "ghi đè"));
    let (status, _, body) = post_report_page(&app, &school, cycle, other.unit.id, &f, &[]).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        !body.contains(&other.unit.name),
        "the other school's name leaks"
    );
    let theirs: ReportView = app
        .call_with(
            &admin,
            "reports/get",
            json!({ "cycle": cycle, "unit": other.unit.id }),
        )
        .await
        .unwrap();
    assert!(theirs.answers.is_empty(), "nothing written");

    // Signed out, the form sends the browser to sign in.
    let stranger = common::client_without_redirects();
    let (status, location, body) = post(&stranger, review("accept", ""), vec![]).await;
    assert_eq!((status, location.as_deref()), (303, Some("/sign-in")));
    assert!(!body.contains("Tổ chức 4 buổi"));
}

#[tokio::test]
async fn whoever_submitted_a_report_does_not_review_it() {
    let app = TestApp::demo(20).await;
    let school = app.client_as("truong").await;
    let unit = own_unit(&app, &school).await;
    let cycle = new_cycle(&app, today() + Duration::days(20), vec![]).await;
    // The administrator fills in and sends the school's report for it…
    let admin = app.client_as("quantri").await;
    assert_eq!(
        submit(&app, &admin, cycle, unit, "3").await,
        ReportStatus::Submitted
    );
    // …and may neither accept nor return it.
    for (decision, comment) in [("accept", ""), ("return", "Bổ sung.")] {
        let (status, body) = app
            .call_with::<ReportStatus>(
                &admin,
                "reports/review",
                json!({ "cycle": cycle, "unit": unit, "decision": decision, "comment": comment }),
            )
            .await
            .unwrap_err();
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("không tự duyệt"), "{body}");
    }
    let view: ReportView = app
        .call_with(
            &school,
            "reports/get",
            json!({ "cycle": cycle, "unit": unit }),
        )
        .await
        .unwrap();
    assert_eq!(view.status, ReportStatus::Submitted);
    // Another reviewer of the area decides.
    let reviewer = app.client_as("khuvuc").await;
    let accepted: ReportStatus = app
        .call_with(
            &reviewer,
            "reports/review",
            json!({ "cycle": cycle, "unit": unit, "decision": "accept", "comment": "" }),
        )
        .await
        .unwrap();
    assert_eq!(accepted, ReportStatus::Accepted);
}

#[tokio::test]
async fn every_saved_draft_is_audited_with_the_answers_it_changed() {
    let app = TestApp::demo(10).await;
    let school = app.client_as("truong").await;
    let unit = own_unit(&app, &school).await;
    let cycle = new_cycle(&app, today() + Duration::days(20), vec![]).await;
    let save = |version: i64, answers: Answers| {
        let client = school.clone();
        let app = &app;
        async move {
            app.call_with::<ReportSave>(
                &client,
                "reports/save",
                json!({ "cycle": cycle, "unit": unit, "version": version, "answers": answers }),
            )
            .await
            .unwrap()
        }
    };
    let first = answers("4");
    let ReportSave::Saved { version, .. } = save(0, first.clone()).await else {
        panic!("the first save is taken");
    };
    let mut second = first.clone();
    second.insert("tuyen_truyen_buoi".into(), "6".into());
    save(version, second).await;
    let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT address, before_json, after_json FROM audit_log
         WHERE action = 'report_save' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let (address, before, after) = &rows[1];
    assert_eq!(address, "127.0.0.1");
    assert_eq!(before.as_deref(), Some(r#"{"tuyen_truyen_buoi":"4"}"#));
    assert_eq!(after.as_deref(), Some(r#"{"tuyen_truyen_buoi":"6"}"#));
}
