//! Report helpers shared by the test files: a cycle of the demo's quarterly template, a
//! unit's filled answers, an attachment upload and a full submit.

use super::TestApp;
use app::accounts::CurrentUser;
use app::plans::Audience;
use app::reports::{Answers, DeadlineRule, NewCycle, Period, ReportStatus, ReportView};
use chrono::NaiveDate;
use serde_json::json;

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

pub fn today() -> NaiveDate {
    app::clock::today()
}

/// A cycle of the demo's quarterly template for every school, due `due`.
pub async fn new_cycle(app: &TestApp, due: NaiveDate, reminder_days: Vec<i64>) -> i64 {
    let specialist = app.client_as("chuyenvien").await;
    let templates: Vec<app::reports::Template> = app
        .call_with(&specialist, "reports/templates", json!({}))
        .await
        .unwrap();
    let template = templates
        .iter()
        .find(|t| t.code == "antq_quy")
        .expect("the demo quarterly template");
    let cycle = NewCycle {
        template: template.id,
        title: "Báo cáo thử".into(),
        period: Period::AdHoc {
            year: 2026,
            label: "Báo cáo thử".into(),
        },
        rule: DeadlineRule::Fixed { date: due },
        on_time_until: None,
        locks_on: None,
        audience: Audience::default(),
        plan: None,
        reminder_days,
    };
    let ids: Vec<i64> = app
        .call_with(
            &specialist,
            "reports/create-cycles",
            json!({ "cycle": cycle, "series_year": null }),
        )
        .await
        .unwrap();
    ids[0]
}

pub async fn own_unit(app: &TestApp, client: &reqwest::Client) -> i64 {
    let me: Option<CurrentUser> = app
        .call_with(client, "accounts/me", json!({}))
        .await
        .unwrap();
    me.unwrap().grants[0].unit.id
}

pub fn answers(sessions: &str) -> Answers {
    [
        ("tuyen_truyen_buoi", sessions),
        ("tuyen_truyen_luot", "1.250"),
        ("vu_bao_luc", "0"),
        ("vi_pham_phap_luat", "0"),
        ("ty_le_cam_ket", "98,5"),
        ("to_an_ninh", "yes"),
        ("tinh_hinh", "Ổn định"),
        ("ket_qua", "Tổ chức 4 buổi tuyên truyền dưới cờ."),
        ("phuong_huong", "Duy trì mô hình cổng trường an toàn."),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

pub async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    cycle: i64,
    unit: i64,
    field: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, String) {
    let r = client
        .post(app.url(&format!(
            "/reports/{cycle}/units/{unit}/files/{field}?name={name}"
        )))
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Fills, attaches and submits a unit's report with `key`.
pub async fn submit(
    app: &TestApp,
    client: &reqwest::Client,
    cycle: i64,
    unit: i64,
    sessions: &str,
) -> ReportStatus {
    let (status, body) = upload(app, client, cycle, unit, "ban_scan", "bao-cao.pdf", PDF).await;
    assert_eq!(status, 200, "{body}");
    let view: ReportView = app
        .call_with(
            client,
            "reports/get",
            json!({ "cycle": cycle, "unit": unit }),
        )
        .await
        .unwrap();
    app.call_with(
        client,
        "reports/submit",
        json!({ "cycle": cycle, "unit": unit, "version": view.version,
                "answers": answers(sessions), "key": format!("k-{unit}-{}", view.version) }),
    )
    .await
    .unwrap()
}

/// A multipart body as a browser sends a plain form: its content type and bytes. Files are
/// (field name, file name, content).
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----antq-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (name, file_name, content) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts a plain form of the report page (as a browser without the bundle does), without
/// following the redirect: the status, the `Location` and the body.
pub async fn post_report_page(
    app: &TestApp,
    client: &reqwest::Client,
    cycle: i64,
    unit: i64,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (u16, Option<String>, String) {
    let path = format!("/reports/{cycle}/units/{unit}");
    post_page_form(app, client, &path, fields, files).await
}

/// Posts a page's plain multipart form to `path` as a browser without the bundle does,
/// without following the redirect: the status, the `Location` and the body.
pub async fn post_page_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (u16, Option<String>, String) {
    let (content_type, body) = multipart(fields, files);
    let response = client
        .post(app.url(path))
        .header("content-type", content_type)
        .header("accept", "text/html")
        .body(body)
        .send()
        .await
        .unwrap();
    page_answer(response).await
}

/// What a page's plain form answered, without following the redirect: the status, the
/// `Location` and the body.
pub async fn page_answer(response: reqwest::Response) -> (u16, Option<String>, String) {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, location, response.text().await.unwrap())
}
