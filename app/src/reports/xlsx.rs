//! The consolidated workbook of a cycle: a sheet per breakdown, Vietnamese headers, numbers
//! stored as numbers so that the department can go on calculating in Excel.

use super::{Aggregate, Completeness, CompletenessRow, Rollup, RollupRow};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The sheets, in order.
pub const SHEETS: [&str; 5] = [
    "Tiến độ nộp",
    "Toàn tỉnh",
    "Theo khu vực",
    "Theo cấp học",
    "Theo loại hình",
];

fn header(sheet: &mut Worksheet, titles: &[String], bold: &Format) -> Result<(), XlsxError> {
    for (c, title) in titles.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, title, bold)?;
        sheet.set_column_width(c, if c == 0 { 36 } else { 16 })?;
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

fn completeness_sheet(
    sheet: &mut Worksheet,
    c: &Completeness,
    bold: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[0])?;
    let titles: Vec<String> = [
        "Đơn vị / nhóm",
        "Phải nộp",
        "Đã nộp",
        "Đúng hạn",
        "Yêu cầu bổ sung",
        "Đã duyệt",
        "Tỉ lệ nộp (%)",
        "Tỉ lệ đúng hạn (%)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header(sheet, &titles, bold)?;
    let rows: Vec<&CompletenessRow> = std::iter::once(&c.overall)
        .chain(&c.by_area)
        .chain(&c.by_level)
        .chain(&c.by_ownership)
        .collect();
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &row.label)?;
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
            sheet.write_number(r, k as u16 + 1, *n as f64)?;
        }
        sheet.write_number(r, 6, round1(row.completeness()))?;
        sheet.write_number(r, 7, round1(row.timeliness()))?;
    }
    Ok(())
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn rollup_sheet(
    sheet: &mut Worksheet,
    name: &str,
    first: &str,
    rollup: &Rollup,
    rows: &[&RollupRow],
    bold: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let mut titles = vec![first.to_string(), "Số báo cáo".to_string()];
    for col in &rollup.columns {
        titles.push(match col.aggregate {
            Aggregate::Sum => format!("{} ({})", col.label, col.unit),
            Aggregate::Mean => format!("{} (%, bình quân)", col.label),
            Aggregate::ShareYes => format!("{} (% có)", col.label),
        });
    }
    header(sheet, &titles, bold)?;
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &row.label)?;
        sheet.write_number(r, 1, row.reports as f64)?;
        for (k, value) in row.values.iter().enumerate() {
            if let Some(v) = value {
                sheet.write_number(r, k as u16 + 2, round1(*v))?;
            }
        }
    }
    Ok(())
}

/// The workbook's bytes.
pub fn workbook(
    title: &str,
    completeness: &Completeness,
    rollup: &Rollup,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(title)
            .set_author("Sở Giáo dục và Đào tạo"),
    );
    let bold = Format::new().set_bold().set_text_wrap();
    completeness_sheet(book.add_worksheet(), completeness, &bold)?;
    rollup_sheet(
        book.add_worksheet(),
        SHEETS[1],
        "Phạm vi",
        rollup,
        &[&rollup.province],
        &bold,
    )?;
    let breakdowns: [(&str, &str, &Vec<RollupRow>); 3] = [
        (SHEETS[2], "Khu vực", &rollup.by_area),
        (SHEETS[3], "Cấp học", &rollup.by_level),
        (SHEETS[4], "Loại hình", &rollup.by_ownership),
    ];
    for (name, first, rows) in breakdowns {
        let rows: Vec<&RollupRow> = rows.iter().collect();
        rollup_sheet(book.add_worksheet(), name, first, rollup, &rows, &bold)?;
    }
    book.save_to_buffer()
}
