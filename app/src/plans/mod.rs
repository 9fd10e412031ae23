//! Plans (kế hoạch): the structured document a specialist writes, its lifecycle from draft
//! to issue, the units it is sent to and how far each has deployed it. The types here travel
//! to the browser; SQL sits in `store::plans`, the printed document in `docx`.

pub mod api;
pub mod audience;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod deployment;
pub mod diff;
#[cfg(feature = "ssr")]
pub mod docx;
pub mod editor;
pub mod groups;
pub mod layout;
pub mod pages;

use crate::org::{Ownership, SchoolLevel, UnitRef};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a plan stands: dự thảo → chờ duyệt → ban hành → kết thúc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlanStatus {
    Draft,
    Submitted,
    Issued,
    Ended,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 4] = [
        PlanStatus::Draft,
        PlanStatus::Submitted,
        PlanStatus::Issued,
        PlanStatus::Ended,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Issued => "issued",
            PlanStatus::Ended => "ended",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A step of the lifecycle, as asked for by a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transition {
    /// Specialist: dự thảo → chờ duyệt.
    Submit,
    /// Leadership: chờ duyệt → dự thảo, with a comment.
    Return,
    /// Leadership: chờ duyệt → ban hành; the plan goes to its units.
    Issue,
    /// Leadership or specialist: ban hành → kết thúc.
    End,
}

impl Transition {
    pub fn code(self) -> &'static str {
        match self {
            Transition::Submit => "submit",
            Transition::Return => "return",
            Transition::Issue => "issue",
            Transition::End => "end",
        }
    }

    /// The status a plan must have for this step, and the one it gets.
    pub fn from_to(self) -> (PlanStatus, PlanStatus) {
        match self {
            Transition::Submit => (PlanStatus::Draft, PlanStatus::Submitted),
            Transition::Return => (PlanStatus::Submitted, PlanStatus::Draft),
            Transition::Issue => (PlanStatus::Submitted, PlanStatus::Issued),
            Transition::End => (PlanStatus::Issued, PlanStatus::Ended),
        }
    }
}

/// A legal basis (căn cứ): a document of the registry, or free text for one not in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LegalBasis {
    pub id: u32,
    pub document: Option<i64>,
    pub text: String,
}

/// A block of formatted text (see `rich_text`): a purpose, a criterion, a solution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextItem {
    pub id: u32,
    pub text: String,
}

/// A numbered task (nhiệm vụ) with its sub-points, who carries it out and by when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: u32,
    pub title: String,
    pub body: String,
    pub points: Vec<TextItem>,
    pub responsible: String,
    pub deadline: Option<NaiveDate>,
}

/// How a target is measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    #[default]
    Percent,
    Count,
}

/// A measurable target (chỉ tiêu): "100% of schools hold the conference".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub id: u32,
    pub text: String,
    pub value: Option<f64>,
    pub measure: Measure,
    /// The report indicator that will measure it, once report templates exist.
    pub indicator: String,
}

/// Who does what in the organisation section (tổ chức thực hiện).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Duty {
    pub id: u32,
    pub who: String,
    pub duties: String,
}

/// The reporting duty (chế độ báo cáo): what, by when, to whom, in which form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportDuty {
    pub id: u32,
    pub what: String,
    pub due: Option<NaiveDate>,
    pub to: String,
    pub form: String,
}

/// Which units receive the plan when it is issued: schools open on the day of issue under
/// the chosen units (all when none), teaching one of the levels and of the ownership chosen
/// (any when none).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Audience {
    pub units: Vec<UnitRef>,
    /// Saved groups of units; their members (and what lies under them) receive the plan too.
    #[serde(default)]
    pub groups: Vec<GroupRef>,
    pub levels: Vec<SchoolLevel>,
    pub ownership: Vec<Ownership>,
    /// The plan requires pilot sites for the 19/8 day: one THPT chosen by the department,
    /// one THCS and one primary school in each area.
    pub pilot_sites: bool,
}

/// Everything a plan says, in the order of the printed document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanContent {
    /// The body above the issuer (cơ quan chủ quản): "UBND TỈNH SƠN HÀ".
    pub parent_issuer: String,
    /// The issuer: "SỞ GIÁO DỤC VÀ ĐÀO TẠO".
    pub issuer: String,
    /// Number and symbol (số, ký hiệu): "125/KH-SGDĐT"; given at issue at the latest.
    pub number: String,
    pub place: String,
    pub date: Option<NaiveDate>,
    pub title: String,
    pub year: i32,
    pub legal_bases: Vec<LegalBasis>,
    pub purposes: Vec<TextItem>,
    pub tasks: Vec<Task>,
    pub targets: Vec<Target>,
    pub criteria_collective: Vec<TextItem>,
    pub criteria_individual: Vec<TextItem>,
    pub solutions: Vec<TextItem>,
    pub organisation: Vec<Duty>,
    pub reporting: Vec<ReportDuty>,
    pub recipients: Vec<TextItem>,
    /// "KT. GIÁM ĐỐC" and "PHÓ GIÁM ĐỐC", one line each.
    pub signer_title: String,
    pub signer_name: String,
    pub audience: Audience,
    /// The next item id; items keep theirs through reordering.
    pub next_id: u32,
}

/// Longest text accepted in one field, and most items in one section.
pub const MAX_TEXT: usize = 20_000;
pub const MAX_ITEMS: usize = 200;

impl PlanContent {
    /// A new plan of the department for `year`, with the header filled in.
    pub fn new(year: i32, parent_issuer: &str, issuer: &str, place: &str) -> PlanContent {
        PlanContent {
            parent_issuer: parent_issuer.to_string(),
            issuer: issuer.to_string(),
            place: place.to_string(),
            year,
            signer_title: "GIÁM ĐỐC".to_string(),
            ..Default::default()
        }
    }

    pub fn take_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// Problems that stop saving at all: sizes only, so that a half-written draft saves.
    pub fn check_sizes(&self) -> Result<(), String> {
        let lists = [
            self.legal_bases.len(),
            self.purposes.len(),
            self.tasks.len(),
            self.targets.len(),
            self.criteria_collective.len(),
            self.criteria_individual.len(),
            self.solutions.len(),
            self.organisation.len(),
            self.reporting.len(),
            self.recipients.len(),
        ];
        if lists.iter().any(|n| *n > MAX_ITEMS)
            || self.tasks.iter().any(|t| t.points.len() > MAX_ITEMS)
        {
            return Err(format!("Mỗi phần có tối đa {MAX_ITEMS} mục."));
        }
        if self.lines().iter().any(|l| l.len() > MAX_TEXT) {
            return Err(format!("Mỗi ô có tối đa {MAX_TEXT} ký tự."));
        }
        Ok(())
    }

    /// What a plan needs before it goes to leadership, as messages in Vietnamese.
    pub fn missing_for_submit(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push("Chưa có tên kế hoạch (trích yếu).".to_string());
        }
        if self.issuer.trim().is_empty() {
            out.push("Chưa có tên cơ quan ban hành.".to_string());
        }
        if !(2000..=2100).contains(&self.year) {
            out.push("Năm của kế hoạch không hợp lệ.".to_string());
        }
        if self.legal_bases.iter().all(|b| b.text.trim().is_empty()) {
            out.push("Cần ít nhất một căn cứ.".to_string());
        }
        if self.purposes.iter().all(|p| p.text.trim().is_empty()) {
            out.push("Cần ít nhất một mục đích, yêu cầu.".to_string());
        }
        if self.tasks.iter().all(|t| t.title.trim().is_empty()) {
            out.push("Cần ít nhất một nhiệm vụ.".to_string());
        }
        for (n, task) in self.tasks.iter().enumerate() {
            if task.title.trim().is_empty() && !task.body.trim().is_empty() {
                out.push(format!("Nhiệm vụ {} chưa có tên.", n + 1));
            }
        }
        for (n, target) in self.targets.iter().enumerate() {
            if let Some(v) = target.value {
                if v < 0.0 || (target.measure == Measure::Percent && v > 100.0) {
                    out.push(format!("Chỉ tiêu {}: tỉ lệ phải từ 0 đến 100%.", n + 1));
                }
            }
        }
        if self.recipients.iter().all(|r| r.text.trim().is_empty()) {
            out.push("Chưa có nơi nhận.".to_string());
        }
        if self.signer_title.trim().is_empty() || self.signer_name.trim().is_empty() {
            out.push("Chưa có chức vụ và họ tên người ký.".to_string());
        }
        out
    }

    /// The plan as lines of text, section by section: what the version history and the
    /// conflict view compare.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![
            format!("Cơ quan chủ quản: {}", self.parent_issuer),
            format!("Cơ quan ban hành: {}", self.issuer),
            format!("Số, ký hiệu: {}", self.number),
            format!(
                "Địa danh, ngày: {}, {}",
                self.place,
                self.date
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default()
            ),
            format!("Tên kế hoạch: {}", self.title),
            format!("Năm: {}", self.year),
        ];
        let mut push_items = |heading: &str, items: &[TextItem]| {
            for (n, item) in items.iter().enumerate() {
                for line in item.text.lines() {
                    out.push(format!("{heading} {}: {line}", n + 1));
                }
            }
        };
        push_items("Mục đích", &self.purposes);
        push_items("Tiêu chí tập thể", &self.criteria_collective);
        push_items("Tiêu chí cá nhân", &self.criteria_individual);
        push_items("Giải pháp", &self.solutions);
        push_items("Nơi nhận", &self.recipients);
        for (n, b) in self.legal_bases.iter().enumerate() {
            out.push(format!("Căn cứ {}: {}", n + 1, b.text));
        }
        for (n, t) in self.tasks.iter().enumerate() {
            out.push(format!("Nhiệm vụ {}: {}", n + 1, t.title));
            for line in t.body.lines() {
                out.push(format!("Nhiệm vụ {} — nội dung: {line}", n + 1));
            }
            for (k, p) in t.points.iter().enumerate() {
                out.push(format!("Nhiệm vụ {}.{}: {}", n + 1, k + 1, p.text));
            }
            out.push(format!("Nhiệm vụ {} — thực hiện: {}", n + 1, t.responsible));
            if let Some(d) = t.deadline {
                out.push(format!(
                    "Nhiệm vụ {} — thời hạn: {}",
                    n + 1,
                    d.format("%d/%m/%Y")
                ));
            }
        }
        for (n, t) in self.targets.iter().enumerate() {
            let value = t
                .value
                .map(|v| match t.measure {
                    Measure::Percent => format!("{v}%"),
                    Measure::Count => format!("{v}"),
                })
                .unwrap_or_default();
            out.push(format!(
                "Chỉ tiêu {}: {} {value} {}",
                n + 1,
                t.text,
                t.indicator
            ));
        }
        for (n, d) in self.organisation.iter().enumerate() {
            out.push(format!(
                "Tổ chức thực hiện {}: {} — {}",
                n + 1,
                d.who,
                d.duties
            ));
        }
        for (n, r) in self.reporting.iter().enumerate() {
            out.push(format!(
                "Báo cáo {}: {} — hạn {} — gửi {} — hình thức {}",
                n + 1,
                r.what,
                r.due
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
                r.to,
                r.form
            ));
        }
        out.push(format!(
            "Người ký: {} — {}",
            self.signer_title, self.signer_name
        ));
        out
    }
}

/// A plan as the editor and the reading page see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub id: i64,
    pub status: PlanStatus,
    pub version: i64,
    pub content: PlanContent,
    pub updated_at: String,
    pub updated_by: String,
    pub return_comment: Option<String>,
    /// The issued plan this one corrects, if any.
    pub corrects: Option<i64>,
    /// The correction that replaced this one, if any.
    pub corrected_by: Option<i64>,
    pub recipients: i64,
    /// What the caller may do with it now.
    pub may_edit: bool,
    pub may_submit: bool,
    pub may_approve: bool,
    pub may_end: bool,
    pub may_correct: bool,
    /// The reader may see the versions and the return comments (the department's people).
    pub may_see_history: bool,
    /// The account reading it: a draft the device keeps is kept under this account.
    #[serde(default)]
    pub reader: i64,
}

/// A line of the plans list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub number: String,
    pub status: PlanStatus,
    pub updated_at: String,
    pub recipients: i64,
}

/// What a save gives back: the new version, or the version someone else saved first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved { version: i64, saved_at: String },
    Conflict { theirs: Box<Revision> },
}

/// One saved version of a plan, with who saved it and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub version: i64,
    pub content: PlanContent,
    pub saved_at: String,
    pub saved_by: String,
    pub event: String,
    pub comment: String,
}

/// A line of the version history (without the content).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionSummary {
    pub version: i64,
    pub saved_at: String,
    pub saved_by: String,
    pub event: String,
    pub comment: String,
}

/// A document of the registry (văn bản): what plans cite, and issued plans themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalDocument {
    pub id: i64,
    pub kind: String,
    pub number: String,
    pub issued_on: Option<NaiveDate>,
    pub issuer: String,
    pub subject: String,
    pub plan: Option<i64>,
}

impl LegalDocument {
    /// How a legal basis cites it: "Chỉ thị số 09/CT-BCA-V28 ngày 19/8/2014 của Bộ Công an về …".
    pub fn citation(&self) -> String {
        let mut out = format!("{} số {}", self.kind, self.number);
        if let Some(d) = self.issued_on {
            out.push_str(&format!(" ngày {}", d.format("%d/%m/%Y")));
        }
        if !self.issuer.is_empty() {
            out.push_str(&format!(" của {}", self.issuer));
        }
        if !self.subject.is_empty() {
            out.push_str(&format!(" {}", self.subject));
        }
        out
    }
}

/// The deployment checklist every recipient unit works through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeployStep {
    Received,
    OwnPlan,
    Conference,
    Emulation,
    Day198,
}

impl DeployStep {
    pub const ALL: [DeployStep; 5] = [
        DeployStep::Received,
        DeployStep::OwnPlan,
        DeployStep::Conference,
        DeployStep::Emulation,
        DeployStep::Day198,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DeployStep::Received => "received",
            DeployStep::OwnPlan => "own_plan",
            DeployStep::Conference => "conference",
            DeployStep::Emulation => "emulation",
            DeployStep::Day198 => "day_19_8",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One unit's checklist for one plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    pub plan: PlanSummary,
    pub unit: UnitRef,
    pub steps: Vec<StepMark>,
    pub may_mark: bool,
    pub pilot: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepMark {
    pub step: DeployStep,
    pub done_on: Option<NaiveDate>,
    pub note: String,
    /// The file the unit attached as evidence (minutes, photos, its own plan).
    pub evidence: Option<Evidence>,
}

/// An evidence file, without its bytes (download it from [`evidence_url`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: i64,
    pub file_name: String,
    pub size: i64,
}

/// Where an evidence file is uploaded (the file's name in `?name=`) and downloaded.
pub const EVIDENCE_UPLOAD_ENDPOINT: &str = "/plans/{plan}/units/{unit}/evidence/{step}";
pub const EVIDENCE_ENDPOINT: &str = "/evidence/{id}";
/// Phone photos and scanned minutes fit; videos do not belong here.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

pub fn evidence_upload_url(plan: i64, unit: i64, step: DeployStep) -> String {
    format!("/plans/{plan}/units/{unit}/evidence/{}", step.code())
}

/// Where a step of a unit's checklist posts as a plain form (`done`, an `evidence` file,
/// `remove`), for a browser without the bundle.
pub const STEP_FORM_ENDPOINT: &str = "/deployments/{plan}/{unit}/steps/{step}";

pub fn step_form_url(plan: i64, unit: i64, step: DeployStep) -> String {
    format!("/deployments/{plan}/{unit}/steps/{}", step.code())
}

/// A step's plain form the server did not take: which step, the state asked for, and why.
/// The deployments page is rendered again with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepPosted {
    pub plan: i64,
    pub unit: i64,
    pub step: DeployStep,
    pub done: bool,
    pub error: crate::error::AppError,
}

pub fn evidence_url(id: i64) -> String {
    format!("/evidence/{id}")
}

/// The content type stored for an evidence file: the kind its extension names, when its
/// content is of that kind (its first bytes, or a ZIP archive's entries); `None` for a kind
/// not accepted or a content that does not match its name (a web page named `.pdf`).
pub fn evidence_content_type(file_name: &str, bytes: &[u8]) -> Option<&'static str> {
    use crate::reports::zip_holds;
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let at = |from: usize, what: &[u8]| bytes.get(from..from + what.len()) == Some(what);
    let (content_type, is) = match ext.as_str() {
        "pdf" => ("application/pdf", bytes.starts_with(b"%PDF-")),
        "jpg" | "jpeg" => ("image/jpeg", bytes.starts_with(&[0xFF, 0xD8, 0xFF])),
        "png" => ("image/png", bytes.starts_with(b"\x89PNG\r\n\x1a\n")),
        "webp" => ("image/webp", at(0, b"RIFF") && at(8, b"WEBP")),
        "heic" => (
            "image/heic",
            at(4, b"ftyp")
                && [&b"heic"[..], b"heix", b"mif1", b"msf1"]
                    .iter()
                    .any(|b| at(8, b)),
        ),
        "doc" => ("application/msword", bytes.starts_with(OLE)),
        "xls" => ("application/vnd.ms-excel", bytes.starts_with(OLE)),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            zip && zip_holds(bytes, "word/document.xml"),
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            zip && zip_holds(bytes, "xl/workbook.xml"),
        ),
        "odt" => (
            "application/vnd.oasis.opendocument.text",
            zip && at(30, b"mimetypeapplication/vnd.oasis.opendocument.text"),
        ),
        _ => return None,
    };
    is.then_some(content_type)
}

/// A saved group of units a plan can be sent to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitGroup {
    pub id: i64,
    pub name: String,
    pub members: Vec<UnitRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRef {
    pub id: i64,
    pub name: String,
}

/// The pilot sites of the 19/8 day for one plan: the THPT the department chose, and in each
/// area the THCS and primary schools chosen there, with whether each held the day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PilotBoard {
    pub required: bool,
    pub thpt: Vec<PilotSite>,
    pub may_choose_thpt: bool,
    pub areas: Vec<AreaPilots>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PilotSite {
    pub unit: UnitRef,
    pub levels: Vec<crate::org::SchoolLevel>,
    /// The day the school marked the 19/8 step done.
    pub day_held: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaPilots {
    pub area: UnitRef,
    pub thcs: Vec<PilotSite>,
    pub primary: Vec<PilotSite>,
    pub may_choose: bool,
}

impl PilotBoard {
    /// Whether the reader may choose or drop any pilot site on it.
    pub fn may_choose(&self) -> bool {
        self.may_choose_thpt || self.areas.iter().any(|a| a.may_choose)
    }
}

impl AreaPilots {
    /// One THCS and one primary school chosen.
    pub fn complete(&self) -> bool {
        !self.thcs.is_empty() && !self.primary.is_empty()
    }
}

/// Which kind of pilot site is being chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PilotKind {
    /// The department's THPT.
    UpperSecondary,
    LowerSecondary,
    Primary,
}

impl PilotKind {
    pub fn level(self) -> crate::org::SchoolLevel {
        use crate::org::SchoolLevel;
        match self {
            PilotKind::UpperSecondary => SchoolLevel::UpperSecondary,
            PilotKind::LowerSecondary => SchoolLevel::LowerSecondary,
            PilotKind::Primary => SchoolLevel::Primary,
        }
    }
}

/// Done out of total for one group of recipients, per step (in `DeployStep::ALL` order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageRow {
    pub label: String,
    pub total: i64,
    pub done: Vec<i64>,
}

/// How far a plan has been deployed, by area, level and ownership.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub plan: i64,
    pub overall: CoverageRow,
    pub by_area: Vec<CoverageRow>,
    pub by_level: Vec<CoverageRow>,
    pub by_ownership: Vec<CoverageRow>,
    pub as_of: String,
}

impl CoverageRow {
    pub fn percent(&self, step: usize) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 * self.done.get(step).copied().unwrap_or(0) as f64 / self.total as f64
        }
    }
}
