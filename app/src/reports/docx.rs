//! The consolidated report of a cycle as a DOCX in the Nghị định 30 layout: the department's
//! header, "BÁO CÁO" and its subject, I. who reported and on time (by area), II. the
//! indicators added up (province, by level, by area) with plan targets set against them,
//! III. the units still missing, then the recipients and the signature block. The
//! department edits it in Word before signing.

use super::{format_number, Completeness, CompletenessRow, Rollup, RollupRow, UnitStatus};
use crate::docx::{body, closing, header, heading, lower_first, package, table, title, Letterhead};
use chrono::NaiveDate;

/// Units named in part III; beyond this the report says how many more there are.
pub const MISSING_LISTED: i64 = 300;

/// Text width of A4 with the decree's margins, in twentieths of a point.
const WIDTH: u32 = 9354;

pub struct Consolidated<'a> {
    pub letterhead: Letterhead,
    pub title: &'a str,
    pub period: String,
    pub due: NaiveDate,
    pub today: NaiveDate,
    pub completeness: &'a Completeness,
    pub rollup: &'a Rollup,
    /// The units that have not reported (nothing, a draft, or a report sent back), at most
    /// `MISSING_LISTED` of them.
    pub missing: &'a [UnitStatus],
    pub missing_total: i64,
}

fn percent(value: f64) -> String {
    format!("{}%", format_number((value * 10.0).round() / 10.0))
}

fn completeness_rows(rows: &[&CompletenessRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                r.label.clone(),
                format_number(r.expected as f64),
                format_number(r.submitted as f64),
                format_number(r.on_time as f64),
                percent(r.completeness()),
                percent(r.timeliness()),
            ]
        })
        .collect()
}

/// A table of the indicators: one row per indicator, a column per group (at most four
/// groups per table, so that it fits the page; more groups make more tables).
fn indicator_tables(rollup: &Rollup, groups: &[&RollupRow], out: &mut String) {
    for chunk in groups.chunks(4) {
        let first = 3000;
        let unit = 900;
        let rest = (WIDTH - first - unit) / chunk.len() as u32;
        let mut widths = vec![first, unit];
        widths.extend(std::iter::repeat_n(rest, chunk.len()));
        let mut titles: Vec<&str> = vec!["Chỉ tiêu", "Đơn vị tính"];
        titles.extend(chunk.iter().map(|g| g.label.as_str()));
        let rows: Vec<Vec<String>> = rollup
            .columns
            .iter()
            .enumerate()
            .map(|(k, column)| {
                let mut row = vec![column.label.clone(), column.unit.clone()];
                row.extend(chunk.iter().map(|g| {
                    g.values
                        .get(k)
                        .copied()
                        .flatten()
                        .map(format_number)
                        .unwrap_or_else(|| "–".into())
                }));
                row
            })
            .collect();
        out.push_str(&table(&widths, &titles, &rows));
    }
}

/// The DOCX bytes of the consolidated report.
pub fn render(report: &Consolidated) -> std::io::Result<Vec<u8>> {
    let c = report.completeness;
    let place_and_date = format!(
        "{}, ngày {}",
        report.letterhead.place,
        report.today.format("%d tháng %m năm %Y")
    );
    let mut b = header(
        &report.letterhead.parent_issuer,
        &report.letterhead.issuer,
        "      /BC-SGDĐT",
        &place_and_date,
    );
    b.push_str(&title(
        "BÁO CÁO",
        &format!("Tổng hợp {}", lower_first(report.title)),
    ));
    b.push_str(&body(&format!(
        "Thực hiện chế độ báo cáo {} (hạn nộp trước ngày {}), Sở Giáo dục và Đào tạo tổng hợp \
         kết quả báo cáo của các đơn vị như sau:",
        lower_first(&report.period),
        report.due.format("%d/%m/%Y")
    )));

    b.push_str(&heading("I. TÌNH HÌNH NỘP BÁO CÁO"));
    b.push_str(&body(&format!(
        "Số đơn vị phải báo cáo (tính đến ngày {}): {}; đã nộp: {} ({}), trong đó đúng hạn: {} \
         ({}); chưa nộp: {}.",
        c.as_of.format("%d/%m/%Y"),
        format_number(c.overall.expected as f64),
        format_number(c.overall.submitted as f64),
        percent(c.overall.completeness()),
        format_number(c.overall.on_time as f64),
        percent(c.overall.timeliness()),
        format_number(report.missing_total as f64),
    )));
    let titles = [
        "Khu vực / nhóm",
        "Phải nộp",
        "Đã nộp",
        "Đúng hạn",
        "Tỉ lệ nộp",
        "Tỉ lệ đúng hạn",
    ];
    let widths = [3354, 1100, 1100, 1100, 1300, 1400];
    let mut rows: Vec<&CompletenessRow> = vec![&c.overall];
    rows.extend(&c.by_area);
    b.push_str(&body("1. Theo khu vực"));
    b.push_str(&table(&widths, &titles, &completeness_rows(&rows)));
    let mut rows: Vec<&CompletenessRow> = c.by_level.iter().collect();
    rows.extend(&c.by_ownership);
    b.push_str(&body("2. Theo cấp học và loại hình"));
    b.push_str(&table(&widths, &titles, &completeness_rows(&rows)));

    b.push_str(&heading("II. KẾT QUẢ CÁC CHỈ TIÊU"));
    let r = report.rollup;
    if r.columns.is_empty() || r.province.reports == 0 {
        b.push_str(&body("Chưa có báo cáo nào được nộp để tổng hợp."));
    } else {
        b.push_str(&body(&format!(
            "Số liệu cộng từ {} báo cáo đã nộp (số lượng cộng dồn, tỉ lệ lấy bình quân).",
            format_number(r.province.reports as f64)
        )));
        b.push_str(&body("1. Toàn tỉnh và theo cấp học"));
        let mut groups: Vec<&RollupRow> = vec![&r.province];
        groups.extend(&r.by_level);
        indicator_tables(r, &groups, &mut b);
        b.push_str(&body("2. Theo khu vực"));
        let groups: Vec<&RollupRow> = r.by_area.iter().collect();
        indicator_tables(r, &groups, &mut b);
        if !r.targets.is_empty() {
            b.push_str(&body("3. So với chỉ tiêu kế hoạch"));
            let rows: Vec<Vec<String>> = r
                .targets
                .iter()
                .map(|t| {
                    let show = |v: Option<f64>| match (v, t.percent) {
                        (Some(v), true) => percent(v),
                        (Some(v), false) => format_number(v),
                        (None, _) => "–".into(),
                    };
                    vec![t.target.clone(), show(t.planned), show(t.actual)]
                })
                .collect();
            b.push_str(&table(
                &[5354, 2000, 2000],
                &["Chỉ tiêu kế hoạch", "Kế hoạch", "Thực hiện"],
                &rows,
            ));
        }
    }

    b.push_str(&heading("III. ĐƠN VỊ CHƯA NỘP BÁO CÁO"));
    if report.missing.is_empty() {
        b.push_str(&body("Tất cả các đơn vị đã nộp báo cáo."));
    } else {
        let listed = report.missing.len().min(MISSING_LISTED as usize);
        let rows: Vec<Vec<String>> = report.missing[..listed]
            .iter()
            .enumerate()
            .map(|(k, u)| vec![(k + 1).to_string(), u.unit.name.clone(), u.area.clone()])
            .collect();
        b.push_str(&table(
            &[800, 5154, 3400],
            &["TT", "Đơn vị", "Khu vực"],
            &rows,
        ));
        if report.missing_total > listed as i64 {
            b.push_str(&body(&format!(
                "Và {} đơn vị khác (danh sách đầy đủ trên hệ thống).",
                format_number((report.missing_total - listed as i64) as f64)
            )));
        }
    }
    b.push_str(&body(
        "Sở Giáo dục và Đào tạo báo cáo để Ban Chỉ đạo biết, chỉ đạo./.",
    ));
    b.push_str(&closing(
        &["Ban Chỉ đạo (để b/c)", "Lãnh đạo Sở", "Lưu: VT"],
        "GIÁM ĐỐC",
        "",
    ));
    package(&b)
}
