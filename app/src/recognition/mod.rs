//! Recognition (khen thưởng, công nhận): criteria sets kept as versioned data, the
//! assessments made against them (model schools, the "An toàn về an ninh, trật tự" standard,
//! the yearly evaluation), scoring into bands with the reason for every shortfall, and the
//! model-school pipeline from selection to the year-end decision.
//!
//! Criteria change by decision, so nothing here names a criterion: a set is data (groups,
//! items, bands), and the same `score` serves every set, on the server and in the browser.

pub mod api;
pub mod criteria;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod docx;
pub mod editor;
pub mod pages;

use crate::org::{SchoolLevel, UnitRef};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an assessment is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Programme {
    /// Cơ sở giáo dục điển hình về phong trào toàn dân bảo vệ ANTQ.
    #[default]
    ModelSchool,
    /// Tiêu chuẩn "An toàn về an ninh, trật tự".
    SafetyStandard,
    /// Đánh giá, phân loại phong trào hằng năm.
    YearlyEvaluation,
}

impl Programme {
    pub const ALL: [Programme; 3] = [
        Programme::ModelSchool,
        Programme::SafetyStandard,
        Programme::YearlyEvaluation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Programme::ModelSchool => "model_school",
            Programme::SafetyStandard => "safety_standard",
            Programme::YearlyEvaluation => "yearly_evaluation",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// What a decision of the programme recognises, as its title says it.
    pub fn decision_subject(self) -> &'static str {
        match self {
            Programme::SafetyStandard => {
                "cơ sở giáo dục đạt tiêu chuẩn “An toàn về an ninh, trật tự”"
            }
            _ => "cơ sở giáo dục điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc",
        }
    }

    /// The legal basis a decision of the programme cites.
    pub fn decision_basis(self) -> &'static str {
        match self {
            Programme::SafetyStandard => "Căn cứ Thông tư số 124/2021/TT-BCA ngày 28/12/2021 của Bộ Công an quy định về tiêu chuẩn “An toàn về an ninh, trật tự”;",
            _ => "Căn cứ Quyết định số 9745/QĐ-BCA-V05 ngày 28/12/2022 của Bộ Công an ban hành Bộ tiêu chí tạm thời xây dựng xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc;",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Programme::ModelSchool => "Cơ sở giáo dục điển hình",
            Programme::SafetyStandard => "Tiêu chuẩn “An toàn về an ninh, trật tự”",
            Programme::YearlyEvaluation => "Đánh giá, phân loại hằng năm",
        }
    }
}

/// What one criterion asks for, and the points it carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CriterionKind {
    /// Scored from 0 up to `max` points.
    Points { max: u32 },
    /// Met or not; `points` when met.
    PassFail { points: u32 },
    /// A figure compared with a threshold (at least `min`); `points` when reached.
    Threshold { min: f64, unit: String, points: u32 },
}

impl CriterionKind {
    /// The most this criterion can add to a total.
    pub fn max_points(&self) -> u32 {
        match self {
            CriterionKind::Points { max } => *max,
            CriterionKind::PassFail { points } | CriterionKind::Threshold { points, .. } => *points,
        }
    }
}

/// Where a criterion's answer comes from when nobody types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The share of the school's reports of the year sent on time: `max` points for all of
    /// them, in proportion below that.
    ReportTimeliness,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Short and stable within a set ("1.2"); answers are keyed by it.
    pub key: String,
    pub text: String,
    pub kind: CriterionKind,
    #[serde(default)]
    pub evidence_required: bool,
    #[serde(default)]
    pub source: Option<Source>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriteriaGroup {
    pub title: String,
    pub items: Vec<Criterion>,
}

/// A classification band: reached with at least `min_score` points and every criterion of
/// `must_pass` met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub name: String,
    pub min_score: u32,
    #[serde(default)]
    pub must_pass: Vec<String>,
}

/// The content of a criteria set: what an administrator edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriteriaBody {
    pub title: String,
    /// The decision it comes from ("Quyết định 9745/QĐ-BCA-V05 ngày 28/12/2022").
    pub basis: String,
    /// Shown on every page that uses the set: the text is a draft to be confirmed.
    #[serde(default)]
    pub caveat: Option<String>,
    /// Levels the set is not for; a school teaching only these levels is not offered it.
    #[serde(default)]
    pub excluded_levels: Vec<SchoolLevel>,
    pub groups: Vec<CriteriaGroup>,
    /// Best first.
    pub bands: Vec<Band>,
}

/// A stored version of a set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriteriaSet {
    pub id: i64,
    pub programme: Programme,
    pub version: i32,
    /// Assessments made against this version.
    pub used_by: i64,
    pub body: CriteriaBody,
}

/// One answer to a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Points(u32),
    Pass(bool),
    Number(f64),
}

pub type Answers = BTreeMap<String, Answer>;

/// What a set of answers comes to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub total: u32,
    pub max: u32,
    /// The best band reached, if any.
    pub band: Option<String>,
    /// For each band better than the one reached, why it was missed, in Vietnamese.
    pub shortfalls: Vec<String>,
    /// Criteria not met (pass/fail and thresholds) or scored below their maximum.
    pub unmet: Vec<String>,
}

impl CriteriaBody {
    pub fn criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.groups.iter().flat_map(|g| g.items.iter())
    }

    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        self.criteria().find(|c| c.key == key)
    }

    pub fn max_total(&self) -> u32 {
        self.criteria().map(|c| c.kind.max_points()).sum()
    }

    /// Whether a school teaching `levels` may use this set: it must teach at least one level
    /// the set does not exclude.
    pub fn offered_to(&self, levels: &[SchoolLevel]) -> bool {
        levels.iter().any(|l| !self.excluded_levels.contains(l))
    }

    /// Checks the set itself before it is saved; each message names what is wrong.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push("Bộ tiêu chí cần có tên.".to_string());
        }
        if self.criteria().next().is_none() {
            problems.push("Bộ tiêu chí cần ít nhất một tiêu chí.".to_string());
        }
        let mut seen = std::collections::BTreeSet::new();
        for group in &self.groups {
            if group.title.trim().is_empty() {
                problems.push("Mỗi nhóm tiêu chí cần có tên.".to_string());
            }
            for item in &group.items {
                if item.key.trim().is_empty() {
                    problems.push(format!("Tiêu chí «{}» cần có mã.", item.text));
                } else if !seen.insert(item.key.as_str()) {
                    problems.push(format!("Mã tiêu chí {} bị trùng.", item.key));
                }
                if item.text.trim().is_empty() {
                    problems.push(format!("Tiêu chí {} cần có nội dung.", item.key));
                }
                if let CriterionKind::Points { max: 0 } = item.kind {
                    problems.push(format!(
                        "Tiêu chí {}: điểm tối đa phải lớn hơn 0.",
                        item.key
                    ));
                }
                if item.source.is_some() && !matches!(item.kind, CriterionKind::Points { .. }) {
                    problems.push(format!(
                        "Tiêu chí {}: chỉ tiêu chí chấm điểm mới lấy được từ báo cáo.",
                        item.key
                    ));
                }
            }
        }
        if self.bands.is_empty() {
            problems.push("Cần ít nhất một mức xếp loại.".to_string());
        }
        let max = self.max_total();
        for (i, band) in self.bands.iter().enumerate() {
            if band.name.trim().is_empty() {
                problems.push("Mỗi mức xếp loại cần có tên.".to_string());
            }
            if band.min_score > max {
                problems.push(format!(
                    "Mức «{}» đòi {} điểm, nhiều hơn tổng điểm tối đa {max}.",
                    band.name, band.min_score
                ));
            }
            if i > 0 && band.min_score > self.bands[i - 1].min_score {
                problems.push(format!(
                    "Các mức xếp loại phải xếp từ cao xuống thấp: «{}» đòi nhiều điểm hơn «{}».",
                    band.name,
                    self.bands[i - 1].name
                ));
            }
            for key in &band.must_pass {
                match self.criterion(key) {
                    None => problems.push(format!(
                        "Mức «{}» đòi tiêu chí {key}, nhưng bộ không có tiêu chí này.",
                        band.name
                    )),
                    Some(c) if matches!(c.kind, CriterionKind::Points { .. }) => {
                        problems.push(format!(
                        "Mức «{}»: tiêu chí {key} là tiêu chí chấm điểm, không phải đạt/không đạt.",
                        band.name
                    ))
                    }
                    Some(_) => {}
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Checks answers against the set: each problem is (criterion key, message).
    pub fn check_answers(&self, answers: &Answers) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        for (key, answer) in answers {
            let Some(c) = self.criterion(key) else {
                problems.push((key.clone(), format!("Bộ tiêu chí không có tiêu chí {key}.")));
                continue;
            };
            let fits = match (&c.kind, answer) {
                (CriterionKind::Points { max }, Answer::Points(p)) => {
                    if p > max {
                        problems.push((
                            key.clone(),
                            format!("Tiêu chí {key}: tối đa {max} điểm, đã nhập {p}."),
                        ));
                    }
                    true
                }
                (CriterionKind::PassFail { .. }, Answer::Pass(_)) => true,
                (CriterionKind::Threshold { .. }, Answer::Number(n)) => {
                    if !n.is_finite() || *n < 0.0 {
                        problems.push((
                            key.clone(),
                            format!("Tiêu chí {key}: số liệu phải là số không âm."),
                        ));
                    }
                    true
                }
                _ => false,
            };
            if !fits {
                problems.push((
                    key.clone(),
                    format!("Tiêu chí {key}: câu trả lời không đúng loại."),
                ));
            }
        }
        problems
    }

    /// Criteria still to be answered by a person (those filled from reports are not).
    pub fn unanswered(&self, answers: &Answers) -> Vec<String> {
        self.criteria()
            .filter(|c| c.source.is_none() && !answers.contains_key(&c.key))
            .map(|c| c.key.clone())
            .collect()
    }

    /// Scores answers: the total, the best band reached and why each better one was missed.
    /// A criterion without an answer counts as not met and scores nothing.
    pub fn score(&self, answers: &Answers) -> Outcome {
        let mut total = 0;
        let mut unmet = Vec::new();
        let mut passed = std::collections::BTreeSet::new();
        for c in self.criteria() {
            let answer = answers.get(&c.key);
            let (points, met) = match (&c.kind, answer) {
                (CriterionKind::Points { max }, Some(Answer::Points(p))) => {
                    ((*p).min(*max), *p >= *max)
                }
                (CriterionKind::PassFail { points }, Some(Answer::Pass(true))) => (*points, true),
                (CriterionKind::Threshold { min, points, .. }, Some(Answer::Number(n)))
                    if *n >= *min =>
                {
                    (*points, true)
                }
                _ => (0, false),
            };
            total += points;
            if met {
                passed.insert(c.key.as_str());
            } else {
                unmet.push(c.key.clone());
            }
        }
        let mut shortfalls = Vec::new();
        let mut band = None;
        for b in &self.bands {
            let missing: Vec<&String> = b
                .must_pass
                .iter()
                .filter(|k| !passed.contains(k.as_str()))
                .collect();
            if total >= b.min_score && missing.is_empty() {
                band = Some(b.name.clone());
                break;
            }
            let mut reasons = Vec::new();
            if total < b.min_score {
                reasons.push(format!(
                    "thiếu {} điểm (đạt {total}/{} điểm cần)",
                    b.min_score - total,
                    b.min_score
                ));
            }
            for key in missing {
                let text = self.criterion(key).map(|c| c.text.as_str()).unwrap_or("");
                reasons.push(format!("tiêu chí {key} «{text}» chưa đạt"));
            }
            shortfalls.push(format!(
                "Chưa đạt mức «{}»: {}.",
                b.name,
                reasons.join("; ")
            ));
        }
        Outcome {
            total,
            max: self.max_total(),
            band,
            shortfalls,
            unmet,
        }
    }

    /// Fills the criteria that come from reports: the on-time share of the year's reports.
    pub fn fill_from_reports(&self, answers: &mut Answers, timeliness: Timeliness) {
        for c in self.criteria() {
            if let (Some(Source::ReportTimeliness), CriterionKind::Points { max }) =
                (c.source, &c.kind)
            {
                answers.insert(c.key.clone(), Answer::Points(timeliness.points(*max)));
            }
        }
    }
}

/// A school's reports of a year: how many were due and how many came in on time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Timeliness {
    pub expected: u32,
    pub on_time: u32,
}

impl Timeliness {
    /// `max` for all on time (or nothing due), in proportion below that, rounded down.
    pub fn points(self, max: u32) -> u32 {
        if self.expected == 0 {
            return max;
        }
        let on_time = self.on_time.min(self.expected);
        max * on_time / self.expected
    }
}

/// Where a model school is in its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// Được chọn: chosen by the area or the department.
    Selected,
    /// Đang xây dựng.
    Building,
    /// Tự đánh giá: the school has assessed itself.
    SelfAssessed,
    /// Nộp hồ sơ: the dossier is filed.
    Filed,
    /// Đang xét: a reviewer is scoring it.
    UnderReview,
    /// Được công nhận, by a year-end decision.
    Recognised,
    /// Chưa đạt.
    NotRecognised,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Selected,
        Stage::Building,
        Stage::SelfAssessed,
        Stage::Filed,
        Stage::UnderReview,
        Stage::Recognised,
        Stage::NotRecognised,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Selected => "selected",
            Stage::Building => "building",
            Stage::SelfAssessed => "self_assessed",
            Stage::Filed => "filed",
            Stage::UnderReview => "under_review",
            Stage::Recognised => "recognised",
            Stage::NotRecognised => "not_recognised",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Selected => "Được chọn",
            Stage::Building => "Đang xây dựng",
            Stage::SelfAssessed => "Đã tự đánh giá",
            Stage::Filed => "Đã nộp hồ sơ",
            Stage::UnderReview => "Đang xét",
            Stage::Recognised => "Được công nhận",
            Stage::NotRecognised => "Chưa đạt",
        }
    }

    /// The label as the programme's users know it: a school opens its own standard or
    /// yearly evaluation rather than being chosen.
    pub fn label_in(self, programme: Programme) -> &'static str {
        match (self, programme) {
            (Stage::Selected, Programme::ModelSchool) => self.label(),
            (Stage::Selected, Programme::SafetyStandard) => "Đã đăng ký",
            (Stage::Selected, Programme::YearlyEvaluation) => "Đang tự đánh giá",
            _ => self.label(),
        }
    }

    /// Stages the school moves itself to from this one.
    pub fn school_next(self) -> &'static [Stage] {
        match self {
            Stage::Selected => &[Stage::Building],
            Stage::Building | Stage::SelfAssessed => &[Stage::SelfAssessed],
            _ => &[],
        }
    }
}

/// The three documents of a model school's dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DossierDocument {
    /// (1) Tờ trình: the head's proposal to be recognised.
    Proposal,
    /// (2) Báo cáo kết quả against the criteria (generated from the self-assessment).
    ResultsReport,
    /// (3) Biên bản họp xét: minutes of the review meeting.
    Minutes,
}

impl DossierDocument {
    pub const ALL: [DossierDocument; 3] = [
        DossierDocument::Proposal,
        DossierDocument::ResultsReport,
        DossierDocument::Minutes,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DossierDocument::Proposal => "to_trinh",
            DossierDocument::ResultsReport => "bao_cao_ket_qua",
            DossierDocument::Minutes => "bien_ban_hop_xet",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DossierDocument::Proposal => "Tờ trình đề nghị xét, công nhận",
            DossierDocument::ResultsReport => "Báo cáo kết quả xây dựng điển hình",
            DossierDocument::Minutes => "Biên bản họp xét, đề nghị công nhận",
        }
    }
}

/// A file attached to an assessment: evidence for a criterion or a dossier document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentFile {
    pub id: i64,
    /// "item:<key>" or "dossier:<code>".
    pub slot: String,
    pub file_name: String,
    pub size: i64,
    pub uploaded_at: String,
}

/// One step of a model school's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageEvent {
    pub stage: Stage,
    pub note: String,
    pub by: String,
    pub at: String,
}

/// A school's assessment of a year, as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub id: i64,
    pub programme: Programme,
    pub year: i32,
    pub unit: UnitRef,
    pub area: Option<UnitRef>,
    pub stage: Stage,
    pub set: CriteriaSet,
    pub self_answers: Answers,
    pub review_answers: Answers,
    pub self_outcome: Outcome,
    pub review_outcome: Option<Outcome>,
    pub files: Vec<AssessmentFile>,
    pub history: Vec<StageEvent>,
    pub decision: Option<DecisionRef>,
}

impl Assessment {
    /// The dossier documents still missing before the school may file.
    pub fn missing_documents(&self) -> Vec<DossierDocument> {
        DossierDocument::ALL
            .into_iter()
            .filter(|d| {
                let slot = format!("dossier:{}", d.code());
                !self.files.iter().any(|f| f.slot == slot)
            })
            .collect()
    }

    /// Criteria that require evidence and have none.
    pub fn missing_evidence(&self) -> Vec<String> {
        self.set
            .body
            .criteria()
            .filter(|c| c.evidence_required)
            .filter(|c| {
                let slot = format!("item:{}", c.key);
                !self.files.iter().any(|f| f.slot == slot)
            })
            .map(|c| c.key.clone())
            .collect()
    }
}

/// A row of the year's list of model schools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub id: i64,
    pub unit: UnitRef,
    pub area: Option<UnitRef>,
    pub stage: Stage,
    pub self_total: Option<u32>,
    pub review_total: Option<u32>,
    pub band: Option<String>,
    /// Under review with the reviewer's score in the set's first (recognising) band: a
    /// decision may list it.
    pub recognisable: bool,
}

/// The year's model schools by area, with the areas that have none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearOverview {
    pub year: i32,
    /// The calendar year today, for the choice of years.
    pub current_year: i32,
    pub rows: Vec<AssessmentRow>,
    /// Areas in view without a selected school this year.
    pub areas_without: Vec<UnitRef>,
    pub decisions: Vec<DecisionRef>,
}

/// What choosing a model school offers the caller: the areas they may choose in (those
/// without one first), the one shown, and its schools not chosen yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choosing {
    pub areas: Vec<UnitRef>,
    pub area: i64,
    pub schools: Vec<UnitRef>,
}

impl YearOverview {
    /// The areas a model school may be chosen in: those without one, then those of the rows.
    pub fn choose_areas(&self) -> Vec<UnitRef> {
        let mut areas = self.areas_without.clone();
        for r in &self.rows {
            if let Some(a) = &r.area {
                if !areas.iter().any(|x| x.id == a.id) {
                    areas.push(a.clone());
                }
            }
        }
        areas
    }
}

/// A year-end recognition decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRef {
    pub id: i64,
    pub number: String,
    pub signed_on: String,
    pub signer: String,
    pub schools: i64,
}

/// What a decision needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDecision {
    /// The model schools (when not given) or the safety standard.
    #[serde(default)]
    pub programme: Programme,
    pub year: i32,
    pub number: String,
    pub signed_on: String,
    pub signer: String,
    pub assessments: Vec<i64>,
}

impl NewDecision {
    pub fn check(&self) -> Result<chrono::NaiveDate, String> {
        if self.number.trim().is_empty() {
            return Err("Nhập số quyết định, ví dụ 125/QĐ-SGDĐT.".into());
        }
        if self.signer.trim().is_empty() {
            return Err("Nhập người ký quyết định.".into());
        }
        let day = chrono::NaiveDate::parse_from_str(self.signed_on.trim(), "%Y-%m-%d")
            .map_err(|_| "Ngày ký không hợp lệ.".to_string())?;
        if self.assessments.is_empty() {
            return Err("Chọn ít nhất một trường được công nhận.".into());
        }
        Ok(day)
    }
}

/// A school's recognitions over the years, for its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecognitionHistory {
    pub year: i32,
    pub programme: Programme,
    pub stage: Stage,
    pub band: Option<String>,
    pub decision: Option<DecisionRef>,
    pub assessment: i64,
}

#[cfg(test)]
mod tests;

/// Where a file is attached to an assessment (POST, body = the file, `?slot=&name=`).
pub const FILE_UPLOAD_ENDPOINT: &str = "/recognition/{id}/files";
/// A file of an assessment.
pub const FILE_ENDPOINT: &str = "/recognition-files/{id}";
/// A decision as a Word file.
pub const DECISION_DOCX_ENDPOINT: &str = "/recognition/decisions/{id}/document.docx";
/// The largest evidence or dossier file.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

pub fn file_upload_url(assessment: i64, slot: &str) -> String {
    format!(
        "/recognition/{assessment}/files?slot={}",
        crate::text::percent_encode(slot)
    )
}

/// An assessment's page, whose plain form posts to the page's own address (multipart: the
/// editable side's answers as `answer:<key>`, files as `file:<slot>`, `version`, `note`, and
/// the button pressed as `do`).
pub const ASSESSMENT_FORM_ENDPOINT: &str = "/recognition/{id}";

pub fn assessment_url(id: i64) -> String {
    format!("/recognition/{id}")
}

/// The field of a criterion's answer in the assessment form.
pub fn answer_field(key: &str) -> String {
    format!("answer:{key}")
}

/// The field of a file slot in the assessment form.
pub fn file_field(slot: &str) -> String {
    format!("file:{slot}")
}

/// The buttons of the assessment form: what pressing one asks the server to do after it has
/// kept the answers and files sent with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormIntent {
    /// Keep the school's answers and files.
    Save,
    /// Keep the reviewer's scores.
    SaveReview,
    /// Generate the results report into the dossier.
    Generate,
    Move(api::Move),
}

impl FormIntent {
    pub fn code(self) -> &'static str {
        use api::Move::*;
        match self {
            FormIntent::Save => "save",
            FormIntent::SaveReview => "save-review",
            FormIntent::Generate => "generate",
            FormIntent::Move(StartBuilding) => "start-building",
            FormIntent::Move(FinishSelfAssessment) => "finish",
            FormIntent::Move(File) => "file",
            FormIntent::Move(StartReview) => "start-review",
            FormIntent::Move(ReturnToSchool) => "return",
            FormIntent::Move(NotRecognised) => "not-recognised",
        }
    }

    pub const ALL: [FormIntent; 9] = {
        use api::Move::*;
        [
            FormIntent::Save,
            FormIntent::SaveReview,
            FormIntent::Generate,
            FormIntent::Move(StartBuilding),
            FormIntent::Move(FinishSelfAssessment),
            FormIntent::Move(File),
            FormIntent::Move(StartReview),
            FormIntent::Move(ReturnToSchool),
            FormIntent::Move(NotRecognised),
        ]
    };

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.code() == code)
    }

    /// Whether the reviewer's side sends it (the school's otherwise).
    pub fn by_reviewer(self) -> bool {
        use api::Move::*;
        matches!(
            self,
            FormIntent::SaveReview | FormIntent::Move(StartReview | ReturnToSchool | NotRecognised)
        )
    }
}

/// The assessment form the server did not take: what was typed in each answer field, the
/// note, the problems of single answers (criterion key, message) and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentPosted {
    pub id: i64,
    pub fields: BTreeMap<String, String>,
    pub note: String,
    pub problems: Vec<(String, String)>,
    pub error: crate::error::AppError,
}

impl Criterion {
    /// An answer as its field shows it: whole points, "yes"/"no", a number with a decimal
    /// comma.
    pub fn answer_text(&self, answer: Option<&Answer>) -> String {
        match answer {
            None => String::new(),
            Some(Answer::Points(p)) => p.to_string(),
            Some(Answer::Pass(true)) => "yes".into(),
            Some(Answer::Pass(false)) => "no".into(),
            Some(Answer::Number(n)) if (n - n.round()).abs() < 1e-9 => format!("{}", n.round()),
            Some(Answer::Number(n)) => format!("{n}").replace('.', ","),
        }
    }

    /// What was typed in this criterion's field: nothing, an answer, or why it does not read.
    pub fn read_answer(&self, text: &str) -> Result<Option<Answer>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let key = &self.key;
        match self.kind {
            CriterionKind::Points { .. } => text
                .parse::<u32>()
                .map(|p| Some(Answer::Points(p)))
                .map_err(|_| format!("Tiêu chí {key}: điểm phải là số nguyên không âm.")),
            CriterionKind::PassFail { .. } => match text {
                "yes" => Ok(Some(Answer::Pass(true))),
                "no" => Ok(Some(Answer::Pass(false))),
                _ => Err(format!("Tiêu chí {key}: chọn Đạt hoặc Chưa đạt.")),
            },
            CriterionKind::Threshold { .. } => text
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(|n| Some(Answer::Number(n)))
                .ok_or_else(|| format!("Tiêu chí {key}: số liệu phải là một số.")),
        }
    }
}

impl CriteriaBody {
    /// The answers of a form, read with `field` (the text sent for a field's name, if any):
    /// every criterion a person answers, and the problems (criterion key, message) of those
    /// that do not read or do not fit the set.
    pub fn answers_from_form(
        &self,
        field: impl Fn(&str) -> Option<String>,
    ) -> (Answers, Vec<(String, String)>) {
        let mut answers = Answers::new();
        let mut problems = Vec::new();
        for c in self.criteria().filter(|c| c.source.is_none()) {
            let Some(text) = field(&answer_field(&c.key)) else {
                continue;
            };
            match c.read_answer(&text) {
                Ok(Some(a)) => {
                    answers.insert(c.key.clone(), a);
                }
                Ok(None) => {}
                Err(message) => problems.push((c.key.clone(), message)),
            }
        }
        problems.extend(self.check_answers(&answers));
        (answers, problems)
    }
}
