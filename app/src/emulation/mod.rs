//! Emulation and awards (thi đua, khen thưởng): at the start of a year units register the
//! titles their collectives and people aim for (chưa gửi → chờ duyệt → từ chối or đã duyệt);
//! later they nominate collectives and people for an award form with their achievements, and
//! a decision of the department awards the nominations it lists. A school's page shows its
//! awards.

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod pages;
#[cfg(test)]
mod tests;

use crate::org::UnitRef;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Who a title or an award is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NomineeKind {
    Collective,
    Individual,
}

impl NomineeKind {
    pub fn code(self) -> &'static str {
        match self {
            NomineeKind::Collective => "collective",
            NomineeKind::Individual => "individual",
        }
    }

    pub fn from_code(code: &str) -> Option<NomineeKind> {
        [NomineeKind::Collective, NomineeKind::Individual]
            .into_iter()
            .find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            NomineeKind::Collective => "Tập thể",
            NomineeKind::Individual => "Cá nhân",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            NomineeKind::Collective => "Collective",
            NomineeKind::Individual => "Individual",
        }
    }

    /// The emulation titles a nominee of this kind registers for.
    pub fn titles(self) -> &'static [&'static str] {
        match self {
            NomineeKind::Collective => &[
                "Tập thể lao động tiên tiến",
                "Tập thể lao động xuất sắc",
                "Đơn vị tiên tiến phong trào toàn dân bảo vệ ANTQ",
            ],
            NomineeKind::Individual => &[
                "Lao động tiên tiến",
                "Chiến sĩ thi đua cơ sở",
                "Cá nhân tiêu biểu phong trào toàn dân bảo vệ ANTQ",
            ],
        }
    }
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegistrationStatus {
    /// Chưa gửi: the unit may still change it.
    Draft,
    /// Chờ duyệt.
    Pending,
    /// Từ chối, with a reason; the unit may change it and send it again.
    Rejected,
    /// Đã duyệt.
    Approved,
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 4] = [
        RegistrationStatus::Draft,
        RegistrationStatus::Pending,
        RegistrationStatus::Rejected,
        RegistrationStatus::Approved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RegistrationStatus::Draft => "draft",
            RegistrationStatus::Pending => "pending",
            RegistrationStatus::Rejected => "rejected",
            RegistrationStatus::Approved => "approved",
        }
    }

    pub fn from_code(code: &str) -> Option<RegistrationStatus> {
        RegistrationStatus::ALL
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RegistrationStatus::Draft => "Chưa gửi",
            RegistrationStatus::Pending => "Chờ duyệt",
            RegistrationStatus::Rejected => "Từ chối",
            RegistrationStatus::Approved => "Đã duyệt",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            RegistrationStatus::Draft => "Not sent",
            RegistrationStatus::Pending => "Awaiting approval",
            RegistrationStatus::Rejected => "Rejected",
            RegistrationStatus::Approved => "Approved",
        }
    }

    /// Whether the unit may send it (again).
    pub fn sendable(self) -> bool {
        matches!(
            self,
            RegistrationStatus::Draft | RegistrationStatus::Rejected
        )
    }
}

/// A title registered for a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    pub id: i64,
    pub unit: UnitRef,
    pub year: i32,
    pub kind: NomineeKind,
    pub nominee: String,
    pub position: String,
    pub title: String,
    pub status: RegistrationStatus,
    pub reason: String,
}

/// A registration as a unit enters it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRegistration {
    pub unit: i64,
    pub year: i32,
    pub kind: NomineeKind,
    pub nominee: String,
    pub position: String,
    pub title: String,
}

/// A form of award (hình thức khen thưởng).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardForm {
    pub id: i64,
    pub name: String,
}

/// A nomination for an award, and the decision that awarded it if one did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nomination {
    pub id: i64,
    pub unit: UnitRef,
    pub year: i32,
    pub kind: NomineeKind,
    pub nominee: String,
    pub position: String,
    pub form: AwardForm,
    pub achievements: String,
    pub decision: Option<AwardDecisionRef>,
}

/// A nomination as a unit enters it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewNomination {
    pub unit: i64,
    pub year: i32,
    pub kind: NomineeKind,
    pub nominee: String,
    pub position: String,
    pub form: i64,
    pub achievements: String,
}

/// An award decision as it is named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardDecisionRef {
    pub id: i64,
    pub number: String,
    pub signed_on: NaiveDate,
    pub signer: String,
}

/// A decision to record: it awards the listed nominations of one form and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAwardDecision {
    pub year: i32,
    pub form: i64,
    pub number: String,
    pub signed_on: NaiveDate,
    pub signer: String,
    pub nominations: Vec<i64>,
}

/// The emulation page of a year over the caller's part of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmulationOverview {
    pub year: i32,
    pub current_year: i32,
    pub forms: Vec<AwardForm>,
    pub registrations: Vec<Registration>,
    pub nominations: Vec<Nomination>,
    /// Schools the caller registers and nominates for.
    pub own_schools: Vec<UnitRef>,
    /// Whether the caller approves registrations and records award decisions.
    pub may_decide: bool,
}

/// An award a unit received, for its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardRecord {
    pub year: i32,
    pub kind: NomineeKind,
    pub nominee: String,
    pub form: String,
    pub decision: AwardDecisionRef,
}

/// The longest name, position or title.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest achievements text.
pub const MAX_ACHIEVEMENTS_CHARS: usize = 4000;

fn name_problems(kind: NomineeKind, nominee: &str, position: &str, out: &mut Vec<String>) {
    let nominee = nominee.trim();
    if nominee.is_empty() {
        out.push(match kind {
            NomineeKind::Collective => "Hãy nhập tên tập thể.".to_string(),
            NomineeKind::Individual => "Hãy nhập họ và tên.".to_string(),
        });
    }
    if nominee.chars().count() > MAX_NAME_CHARS || position.chars().count() > MAX_NAME_CHARS {
        out.push("Tên và chức vụ tối đa 200 ký tự.".to_string());
    }
    if kind == NomineeKind::Individual && position.trim().is_empty() {
        out.push("Hãy nhập chức vụ của cá nhân.".to_string());
    }
}

impl NewRegistration {
    /// What is wrong with it, in Vietnamese.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        name_problems(self.kind, &self.nominee, &self.position, &mut out);
        if !self.kind.titles().contains(&self.title.as_str()) {
            out.push(format!(
                "Danh hiệu “{}” không dành cho {}.",
                self.title,
                self.kind.label().to_lowercase()
            ));
        }
        out
    }
}

impl NewNomination {
    /// What is wrong with it, in Vietnamese.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        name_problems(self.kind, &self.nominee, &self.position, &mut out);
        let achievements = self.achievements.trim().chars().count();
        if achievements < 20 {
            out.push("Hãy tóm tắt thành tích (ít nhất 20 ký tự).".to_string());
        }
        if achievements > MAX_ACHIEVEMENTS_CHARS {
            out.push("Thành tích tối đa 4.000 ký tự.".to_string());
        }
        out
    }
}

impl NewAwardDecision {
    /// What is wrong with it, in Vietnamese.
    pub fn problems(&self, today: NaiveDate) -> Vec<String> {
        let mut out = Vec::new();
        if self.number.trim().is_empty() {
            out.push("Hãy nhập số quyết định.".to_string());
        }
        if self.signer.trim().is_empty() {
            out.push("Hãy nhập người ký.".to_string());
        }
        if self.signed_on > today {
            out.push("Ngày ký không được sau hôm nay.".to_string());
        }
        if self.nominations.is_empty() {
            out.push("Hãy chọn ít nhất một đề nghị khen thưởng.".to_string());
        }
        out
    }
}

/// The emulation page, whose plain forms post to the page's own address (URL-encoded, `form`
/// naming which: `register`, `send`, `nominate`).
pub const PAGE_FORM_ENDPOINT: &str = "/emulation";

/// The page of a year, where its forms post.
pub fn page_url(year: i32) -> String {
    format!("/emulation?year={year}")
}
