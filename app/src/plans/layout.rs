//! What the printed plan and the print view share: which parts a plan has and how they are
//! numbered, the place-and-date line and how targets read.

use super::{Measure, PlanContent, TextItem};

/// Roman numerals for the parts: I, II, … (plans have at most a dozen).
pub fn roman(n: usize) -> &'static str {
    const NUMERALS: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    NUMERALS.get(n.saturating_sub(1)).copied().unwrap_or("XII")
}

/// "Sơn Hà, ngày 15 tháng 01 năm 2025"; a plan not yet dated leaves the day blank as
/// drafts do ("ngày    tháng 01 năm 2025").
pub fn place_and_date(plan: &PlanContent) -> String {
    match plan.date {
        Some(d) => format!("{}, ngày {}", plan.place, d.format("%d tháng %m năm %Y")),
        None => format!("{}, ngày    tháng    năm {}", plan.place, plan.year),
    }
}

/// The parts of the plan that have content, each with its heading: the print view and the
/// DOCX number them the same way.
pub fn parts(plan: &PlanContent) -> Vec<&'static str> {
    let mut out = Vec::new();
    let has = |list: &[TextItem]| list.iter().any(|i| !i.text.trim().is_empty());
    if has(&plan.purposes) {
        out.push("MỤC ĐÍCH, YÊU CẦU");
    }
    if !plan.tasks.is_empty() {
        out.push("NỘI DUNG, NHIỆM VỤ");
    }
    if !plan.targets.is_empty() {
        out.push("CHỈ TIÊU");
    }
    if has(&plan.criteria_collective) || has(&plan.criteria_individual) {
        out.push("TIÊU CHÍ THI ĐUA");
    }
    if has(&plan.solutions) {
        out.push("GIẢI PHÁP");
    }
    if !plan.organisation.is_empty() {
        out.push("TỔ CHỨC THỰC HIỆN");
    }
    if !plan.reporting.is_empty() {
        out.push("CHẾ ĐỘ BÁO CÁO");
    }
    out
}

/// A target as one sentence: "100% … (chỉ số: …)".
pub fn target_text(value: Option<f64>, measure: Measure, text: &str) -> String {
    match value {
        Some(v) => {
            let v = if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v}").replace('.', ",")
            };
            match measure {
                Measure::Percent => format!("{v}% {text}"),
                Measure::Count => format!("{v} {text}"),
            }
        }
        None => text.to_string(),
    }
}
