//! Recognition documents in the Nghị định 30 layout: a model school's results report
//! (báo cáo kết quả), generated from its self-assessment for the school to edit before it
//! files, and the year-end decision listing the recognised schools.

use super::{Answer, Assessment, CriterionKind};
use crate::docx::{body, closing, header, heading, package, table, title, Letterhead};
use crate::error::AppError;
use crate::store::recognition::DecisionDocument;
use chrono::NaiveDate;

fn io_error(e: std::io::Error) -> AppError {
    tracing::error!(error = %e, "recognition document");
    AppError::Internal
}

fn answer_text(kind: &CriterionKind, answer: Option<&Answer>) -> String {
    match (kind, answer) {
        (CriterionKind::Points { max }, Some(Answer::Points(p))) => format!("{p}/{max} điểm"),
        (CriterionKind::PassFail { .. }, Some(Answer::Pass(true))) => "Đạt".into(),
        (CriterionKind::PassFail { .. }, Some(Answer::Pass(false))) => "Chưa đạt".into(),
        (CriterionKind::Threshold { unit, min, .. }, Some(Answer::Number(n))) => {
            format!(
                "{} {unit} (yêu cầu ≥ {} {unit})",
                crate::reports::format_number(*n),
                crate::reports::format_number(*min)
            )
        }
        _ => "Chưa đánh giá".into(),
    }
}

/// The results report of a model school, from its self-assessment.
pub fn results_report(a: &Assessment, place: &str, today: NaiveDate) -> Result<Vec<u8>, AppError> {
    let parent = match &a.area {
        Some(area) => format!("UBND {}", area.name.to_uppercase()),
        None => "SỞ GIÁO DỤC VÀ ĐÀO TẠO".into(),
    };
    let mut b = header(
        &parent,
        &a.unit.name.to_uppercase(),
        "      /BC-",
        &format!("{place}, ngày {}", today.format("%d tháng %m năm %Y")),
    );
    b.push_str(&title(
        "BÁO CÁO",
        &format!(
            "Kết quả xây dựng cơ sở giáo dục điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc năm {}",
            a.year
        ),
    ));
    b.push_str(&body(&format!(
        "Căn cứ {}, {} báo cáo kết quả tự đánh giá như sau:",
        a.set.body.basis, a.unit.name
    )));
    let outcome = &a.self_outcome;
    b.push_str(&heading("I. KẾT QUẢ TỰ ĐÁNH GIÁ THEO TIÊU CHÍ"));
    for group in &a.set.body.groups {
        b.push_str(&body(&group.title));
        let rows: Vec<Vec<String>> = group
            .items
            .iter()
            .map(|c| {
                let evidence = if a.files.iter().any(|f| f.slot == format!("item:{}", c.key)) {
                    "Có"
                } else if c.evidence_required {
                    "Chưa có"
                } else {
                    "–"
                };
                vec![
                    c.key.clone(),
                    c.text.clone(),
                    answer_text(&c.kind, a.self_answers.get(&c.key)),
                    evidence.into(),
                ]
            })
            .collect();
        b.push_str(&table(
            &[700, 5154, 2300, 1200],
            &["Mã", "Tiêu chí", "Tự đánh giá", "Minh chứng"],
            &rows,
        ));
    }
    b.push_str(&heading("II. TỰ XẾP LOẠI"));
    b.push_str(&body(&format!(
        "Tổng điểm tự đánh giá: {}/{} điểm. Mức đạt: {}.",
        outcome.total,
        outcome.max,
        outcome.band.as_deref().unwrap_or("chưa đạt mức nào")
    )));
    for shortfall in &outcome.shortfalls {
        b.push_str(&body(shortfall));
    }
    b.push_str(&heading("III. ĐỀ XUẤT, KIẾN NGHỊ"));
    b.push_str(&body(
        "Đề nghị Ban Chỉ đạo xem xét, công nhận đơn vị đạt cơ sở giáo dục điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc./.",
    ));
    b.push_str(&closing(
        &["Ban Chỉ đạo (để xét)", "Lưu: VT"],
        "HIỆU TRƯỞNG",
        "",
    ));
    package(&b).map_err(io_error)
}

/// The decision recognising the year's model schools, with its list.
pub fn decision(d: &DecisionDocument, letterhead: &Letterhead) -> Result<Vec<u8>, AppError> {
    let signed = NaiveDate::parse_from_str(&d.decision.signed_on, "%Y-%m-%d").ok();
    let date = signed
        .map(|s| s.format("ngày %d tháng %m năm %Y").to_string())
        .unwrap_or_default();
    let mut b = header(
        &letterhead.parent_issuer,
        &letterhead.issuer,
        &d.decision.number,
        &format!("{}, {date}", letterhead.place),
    );
    b.push_str(&title(
        "QUYẾT ĐỊNH",
        &format!(
            "Về việc công nhận {} năm {}",
            d.programme.decision_subject(),
            d.year
        ),
    ));
    b.push_str(&body(d.programme.decision_basis()));
    b.push_str(&body(
        "Xét hồ sơ đề nghị của các cơ sở giáo dục và kết quả họp xét,",
    ));
    b.push_str(&heading("QUYẾT ĐỊNH:"));
    b.push_str(&body(&format!(
        "Điều 1. Công nhận {} {} năm {} (danh sách kèm theo).",
        d.schools.len(),
        d.programme.decision_subject(),
        d.year
    )));
    let rows: Vec<Vec<String>> = d
        .schools
        .iter()
        .enumerate()
        .map(|(k, (name, area, total, band))| {
            vec![
                (k + 1).to_string(),
                name.clone(),
                area.clone(),
                total.map(|t| t.to_string()).unwrap_or_else(|| "–".into()),
                band.clone().unwrap_or_default(),
            ]
        })
        .collect();
    b.push_str(&table(
        &[700, 3854, 2400, 1000, 1400],
        &["TT", "Cơ sở giáo dục", "Khu vực", "Điểm", "Kết quả"],
        &rows,
    ));
    b.push_str(&body(
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Kết quả công nhận là căn cứ để xét danh hiệu thi đua năm.",
    ));
    b.push_str(&body(
        "Điều 3. Chánh Văn phòng, Trưởng các phòng thuộc Sở và thủ trưởng các cơ sở giáo dục có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
    ));
    b.push_str(&closing(
        &["Như Điều 3", "Ban Chỉ đạo (để b/c)", "Lưu: VT"],
        "GIÁM ĐỐC",
        &d.decision.signer,
    ));
    package(&b).map_err(io_error)
}
