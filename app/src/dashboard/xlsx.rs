//! The dashboard's figures as a workbook: what the page shows, a sheet per part, Vietnamese
//! headers, numbers stored as numbers.

use super::Dashboard;
use crate::plans::DeployStep;
use crate::reports::CompletenessRow;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

pub const SHEETS: [&str; 4] = ["Kỳ báo cáo", "Theo khu vực", "Chưa nộp", "Kế hoạch"];

fn header(sheet: &mut Worksheet, titles: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, title) in titles.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *title, bold)?;
        sheet.set_column_width(c, if c == 0 { 40 } else { 16 })?;
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn counts(
    sheet: &mut Worksheet,
    r: u32,
    from: u16,
    row: &CompletenessRow,
) -> Result<(), XlsxError> {
    for (k, n) in [
        row.expected,
        row.submitted,
        row.on_time,
        row.returned,
        row.accepted,
    ]
    .iter()
    .enumerate()
    {
        sheet.write_number(r, from + k as u16, *n as f64)?;
    }
    sheet.write_number(r, from + 5, round1(row.completeness()))?;
    sheet.write_number(r, from + 6, round1(row.timeliness()))?;
    Ok(())
}

const COUNT_HEADERS: [&str; 7] = [
    "Phải nộp",
    "Đã nộp",
    "Đúng hạn",
    "Yêu cầu bổ sung",
    "Đã duyệt",
    "Tỉ lệ nộp (%)",
    "Tỉ lệ đúng hạn (%)",
];

pub fn workbook(d: &Dashboard) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();

    let sheet = book.add_worksheet();
    sheet.set_name(SHEETS[0])?;
    let mut titles = vec!["Kỳ báo cáo", "Hạn nộp"];
    titles.extend(COUNT_HEADERS);
    header(sheet, &titles, &bold)?;
    for (r, c) in d.cycles.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &c.title)?;
        sheet.write_string(r, 1, c.due.format("%d/%m/%Y").to_string())?;
        counts(sheet, r, 2, &c.counts)?;
    }

    let sheet = book.add_worksheet();
    sheet.set_name(SHEETS[1])?;
    let mut titles = vec![if d.area.is_some() {
        "Trường"
    } else {
        "Khu vực"
    }];
    titles.extend(COUNT_HEADERS);
    titles.extend(["Lượt nhận kế hoạch", "Đã xây dựng kế hoạch"]);
    header(sheet, &titles, &bold)?;
    for (r, row) in d.rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &row.unit.name)?;
        counts(sheet, r, 1, &row.report)?;
        sheet.write_number(r, 8, row.plan_recipients as f64)?;
        sheet.write_number(r, 9, row.plan_received as f64)?;
    }

    let sheet = book.add_worksheet();
    sheet.set_name(SHEETS[2])?;
    header(sheet, &["Đơn vị", "Mã", "Khu vực", "Trạng thái"], &bold)?;
    if let Some(f) = &d.featured {
        for (r, u) in f.late.iter().enumerate() {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, &u.unit.name)?;
            sheet.write_string(r, 1, &u.unit.code)?;
            sheet.write_string(r, 2, &u.area)?;
            sheet.write_string(r, 3, u.status.label_vi())?;
        }
    }

    let sheet = book.add_worksheet();
    sheet.set_name(SHEETS[3])?;
    let mut titles = vec!["Kế hoạch", "Số", "Đơn vị nhận"];
    let steps: Vec<&str> = DeployStep::ALL
        .iter()
        .map(|s| crate::plans::pages::step_name(*s, crate::i18n::Lang::Vi))
        .collect();
    titles.extend(steps);
    header(sheet, &titles, &bold)?;
    for (r, p) in d.plans.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &p.title)?;
        sheet.write_string(r, 1, &p.number)?;
        sheet.write_number(r, 2, p.recipients as f64)?;
        for (k, done) in p.done.iter().enumerate() {
            sheet.write_number(r, 3 + k as u16, *done as f64)?;
        }
    }
    book.save_to_buffer()
}
