//! The school import over HTTP: a file with a bad row writes nothing and names the rows; a
//! good file creates schools; the same file again changes nothing. CSV and XLSX.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::org::{DirectoryFilter, DirectoryPage, ImportReport, UnitKind};
use common::TestApp;
use serde_json::json;

const HEADER: &str = "Mã trường,Tên trường,Cấp học,Loại hình,Mã khu vực,Số CB-GV-NV,Số học sinh,Địa chỉ,Vĩ độ,Kinh độ";

async fn upload(app: &TestApp, body: Vec<u8>) -> (u16, ImportReport) {
    let response = app
        .client
        .post(app.url("/api/org/import"))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let report = serde_json::from_str(&text).unwrap_or_else(|_| ImportReport {
        errors: vec![app::org::RowError {
            row: 0,
            message: text,
        }],
        ..Default::default()
    });
    (status, report)
}

async fn schools_named(app: &TestApp, q: &str) -> DirectoryPage {
    app.call(
        "org/search",
        json!({ "filter": DirectoryFilter { q: q.into(), kind: Some(UnitKind::School), ..Default::default() } }),
    )
    .await
    .unwrap()
}

async fn unit_count(app: &TestApp) -> i64 {
    app::store::org::count_units(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_file_with_bad_rows_writes_nothing_and_names_them() {
    let app = TestApp::demo_admin(40).await;
    let before = unit_count(&app).await;
    let csv = format!(
        "{HEADER}\n\
         86990001,Trường Tiểu học Kiểm Thử,TH,CL,25000,30,400,,,\n\
         86990002,Trường THCS Sai Cấp,XYZ,CL,25000,30,400,,,\n\
         86990003,Trường Mầm non Sai Khu,MN,NCL,99999,10,-5,,,\n\
         86990001,Trường Tiểu học Trùng Mã,TH,CL,25007,,,,,\n"
    );
    let (status, report) = upload(&app, csv.into_bytes()).await;
    assert_eq!(status, 422);
    assert!(!report.committed);
    assert_eq!(report.rows, 4);
    let rows: Vec<usize> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, vec![3, 4, 5], "{report:?}");
    assert!(report.errors[0].message.contains("Cấp học \"XYZ\""));
    assert!(report.errors[1].message.contains("99999"));
    assert!(report.errors[1].message.contains("Số học sinh"));
    assert!(report.errors[2].message.contains("trùng với dòng 2"));

    assert_eq!(unit_count(&app).await, before);
    assert_eq!(schools_named(&app, "Kiểm Thử").await.total, 0);
}

#[tokio::test]
async fn a_missing_column_or_an_unreadable_file_is_refused() {
    let app = TestApp::demo_admin(20).await;
    let (status, report) = upload(&app, "Mã trường,Tên trường\n1,A\n".into()).await;
    assert_eq!(status, 422);
    assert!(
        report.errors[0].message.contains("Thiếu cột bắt buộc"),
        "{report:?}"
    );

    let (status, _) = upload(&app, Vec::new()).await;
    assert_eq!(status, 422);

    let mut fake_xlsx = b"PK\x03\x04".to_vec();
    fake_xlsx.extend_from_slice(&[0u8; 64]);
    let (status, report) = upload(&app, fake_xlsx).await;
    assert_eq!(status, 422);
    assert!(report.errors[0].message.contains("Excel"), "{report:?}");
}

#[tokio::test]
async fn a_good_csv_creates_schools_and_the_same_file_again_changes_nothing() {
    let app = TestApp::demo_admin(20).await;
    let csv = format!(
        "\u{feff}{}\n\
         86990101;Trường Tiểu học Hòa Nhập;TH;CL;25000;28;390;Thôn 2;11,5;106,9\n\
         86990102;Trường THCS và THPT Tương Lai;THCS, THPT;NCL;25007;60;900;;;\n",
        HEADER.replace(',', ";")
    );
    // Searched before, so the directory's index exists when the import changes things.
    assert_eq!(schools_named(&app, "hoa nhap").await.total, 0);
    let (status, report) = upload(&app, csv.clone().into_bytes()).await;
    assert_eq!(status, 200, "{report:?}");
    assert!(report.committed);
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (2, 0, 0)
    );

    let found = schools_named(&app, "hoa nhap").await;
    assert_eq!(found.total, 1);
    let school = &found.items[0];
    assert_eq!(school.code, "86990101");
    assert_eq!(school.student_count, Some(390));
    assert_eq!(school.area.as_ref().unwrap().code, "25000");

    let before = unit_count(&app).await;
    let (status, again) = upload(&app, csv.clone().into_bytes()).await;
    assert_eq!(status, 200);
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(unit_count(&app).await, before);

    let changed = csv.replace(";390;", ";410;");
    let (_, third) = upload(&app, changed.into_bytes()).await;
    assert_eq!((third.created, third.updated, third.unchanged), (0, 1, 1));
    assert_eq!(
        schools_named(&app, "hoa nhap").await.items[0].student_count,
        Some(410)
    );
}

#[tokio::test]
async fn an_xlsx_file_is_read_like_a_csv() {
    let app = TestApp::demo_admin(20).await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in HEADER.split(',').enumerate() {
        sheet.write_string(0, col as u16, header).unwrap();
    }
    sheet.write_number(1, 0, 86990201.0).unwrap();
    sheet
        .write_string(1, 1, "Trường Mầm non Sao Mai Mới")
        .unwrap();
    sheet.write_string(1, 2, "Mầm non").unwrap();
    sheet.write_string(1, 3, "Công lập").unwrap();
    sheet.write_number(1, 4, 25014.0).unwrap();
    sheet.write_number(1, 5, 22.0).unwrap();
    sheet.write_number(1, 6, 180.0).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();

    let (status, report) = upload(&app, bytes.clone()).await;
    assert_eq!(status, 200, "{report:?}");
    assert_eq!(report.created, 1);
    let found = schools_named(&app, "sao mai moi").await;
    assert_eq!(found.items[0].code, "86990201");
    assert_eq!(found.items[0].staff_count, Some(22));

    let (_, again) = upload(&app, bytes).await;
    assert_eq!(again.unchanged, 1);
}

#[tokio::test]
async fn the_template_downloads_and_imports_as_is() {
    let app = TestApp::demo_admin(20).await;
    let response = app.get("/api/org/import/template.csv").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let bytes = response.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with("\u{feff}Mã trường".as_bytes()));
    let (status, report) = upload(&app, bytes).await;
    assert_eq!(status, 200, "{report:?}");
    assert_eq!(report.created, 1);
}

#[tokio::test]
async fn a_workbook_reaching_far_cells_is_refused_and_the_server_keeps_serving() {
    let app = TestApp::demo_admin(20).await;
    let before = unit_count(&app).await;
    // Two real cells at the opposite corners of the largest sheet Excel allows: read as one
    // dense range, that is 17 billion cells.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "Mã trường").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    assert!(bytes.len() < 10_000, "{} bytes", bytes.len());
    let (status, report) = upload(&app, bytes).await;
    assert_eq!(status, 422, "{report:?}");
    assert!(report.errors[0].message.contains("quá lớn"), "{report:?}");
    assert!(!report.committed);
    assert_eq!(unit_count(&app).await, before);
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
}
