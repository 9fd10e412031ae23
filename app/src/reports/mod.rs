//! Periodic reports (báo cáo định kỳ): templates of indicators and narrative parts, cycles
//! with their three dates, a submission per unit and cycle with its review history,
//! completeness and timeliness, and the roll-up of indicators.
//!
//! The types and rules here are shared by the server and the browser: the form checks a
//! report with the same `check` the server runs before it accepts a submission.

pub mod api;
pub mod cycles;
#[cfg(feature = "ssr")]
pub mod docx;
pub mod export;
pub mod form;
pub mod pages;
pub mod templates;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod xlsx;

use crate::error::AppError;
use crate::org::UnitRef;
use crate::plans::Audience;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a field of a template asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// A whole number of something ("buổi", "lượt người"), within bounds.
    Count {
        unit: String,
        min: Option<i64>,
        max: Option<i64>,
    },
    /// A percentage, 0 to 100.
    Percent,
    YesNo,
    /// One of the options.
    Choice {
        options: Vec<String>,
    },
    /// A narrative part: kết quả đạt được, tồn tại hạn chế, phương hướng…
    Narrative,
    /// A file the report must carry.
    Attachment {
        accept: AttachmentKind,
    },
}

/// The files a report may carry, recognised by their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// The signed, stamped report scanned: PDF or a photo (JPEG, PNG).
    SignedScan,
    /// The editable Word file (DOCX or the older DOC).
    WordFile,
    /// Any of them: a scan, a photo or a Word file (evidence, dossier documents).
    Document,
    /// A photograph (JPEG or PNG), as phones take them.
    Photo,
}

impl AttachmentKind {
    /// What the file picker offers; the server checks the bytes regardless.
    pub fn accept(self) -> &'static str {
        match self {
            AttachmentKind::SignedScan => {
                ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            }
            AttachmentKind::WordFile => ".docx,.doc",
            AttachmentKind::Document => ".pdf,.jpg,.jpeg,.png,.docx,.doc",
            AttachmentKind::Photo => ".jpg,.jpeg,.png,image/jpeg,image/png",
        }
    }

    pub fn describe_vi(self) -> &'static str {
        match self {
            AttachmentKind::SignedScan => "bản scan có chữ ký, đóng dấu (PDF, JPG hoặc PNG)",
            AttachmentKind::WordFile => "tệp Word (DOCX hoặc DOC)",
            AttachmentKind::Document => "tệp PDF, ảnh (JPG, PNG) hoặc Word (DOCX, DOC)",
            AttachmentKind::Photo => "ảnh chụp (JPG hoặc PNG)",
        }
    }

    pub fn describe_en(self) -> &'static str {
        match self {
            AttachmentKind::SignedScan => "signed, stamped scan (PDF, JPG or PNG)",
            AttachmentKind::WordFile => "Word file (DOCX or DOC)",
            AttachmentKind::Document => "PDF, image (JPG, PNG) or Word file (DOCX, DOC)",
            AttachmentKind::Photo => "photo (JPG or PNG)",
        }
    }
}

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Pdf,
    Jpeg,
    Png,
    Docx,
    Doc,
}

impl Sniffed {
    pub fn content_type(self) -> &'static str {
        match self {
            Sniffed::Pdf => "application/pdf",
            Sniffed::Jpeg => "image/jpeg",
            Sniffed::Png => "image/png",
            Sniffed::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Sniffed::Doc => "application/msword",
        }
    }

    /// The extensions a file of this kind may carry.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Sniffed::Pdf => &["pdf"],
            Sniffed::Jpeg => &["jpg", "jpeg"],
            Sniffed::Png => &["png"],
            Sniffed::Docx => &["docx"],
            Sniffed::Doc => &["doc"],
        }
    }

    pub fn fits(self, kind: AttachmentKind) -> bool {
        match kind {
            AttachmentKind::SignedScan => {
                matches!(self, Sniffed::Pdf | Sniffed::Jpeg | Sniffed::Png)
            }
            AttachmentKind::WordFile => matches!(self, Sniffed::Docx | Sniffed::Doc),
            AttachmentKind::Document => true,
            AttachmentKind::Photo => matches!(self, Sniffed::Jpeg | Sniffed::Png),
        }
    }
}

/// Recognises a file by its content. A DOCX is a ZIP archive holding `word/document.xml`
/// among its entries (found without unpacking it).
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    if bytes.starts_with(b"%PDF-") {
        Some(Sniffed::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Sniffed::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(Sniffed::Png)
    } else if bytes.starts_with(b"PK\x03\x04") {
        zip_holds(bytes, "word/document.xml").then_some(Sniffed::Docx)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Sniffed::Doc)
    } else {
        None
    }
}

/// Whether a ZIP archive (DOCX, XLSX, ODT) holds an entry of this name, read from the
/// archive's directory; anything that is not a readable archive does not. In the browser
/// (a first check before sending) the name is looked for in the bytes.
pub fn zip_holds(bytes: &[u8], entry: &str) -> bool {
    #[cfg(feature = "ssr")]
    {
        zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .is_ok_and(|archive| archive.index_for_name(entry).is_some())
    }
    #[cfg(not(feature = "ssr"))]
    {
        let needle = entry.as_bytes();
        bytes.windows(needle.len()).any(|w| w == needle)
    }
}

/// Checks an uploaded file against what the field accepts: by content, by size, and that
/// the name's extension does not claim another kind. The message is for the user.
pub fn check_file(
    kind: AttachmentKind,
    file_name: &str,
    bytes: &[u8],
    max_bytes: usize,
) -> Result<Sniffed, String> {
    if bytes.is_empty() {
        return Err("Tệp rỗng.".into());
    }
    if bytes.len() > max_bytes {
        return Err(format!(
            "Tệp quá lớn: tối đa {} MB.",
            max_bytes / (1024 * 1024)
        ));
    }
    let Some(sniffed) = sniff(bytes) else {
        return Err(format!(
            "Nội dung tệp không phải {}; tệp có thể đã bị đổi đuôi.",
            kind.describe_vi()
        ));
    };
    if !sniffed.fits(kind) {
        return Err(format!("Mục này cần {}.", kind.describe_vi()));
    }
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !sniffed.extensions().contains(&ext.as_str()) {
        return Err(format!(
            "Tên tệp có đuôi “.{ext}” nhưng nội dung là {}; hãy kiểm tra lại tệp.",
            sniffed.extensions()[0].to_uppercase()
        ));
    }
    Ok(sniffed)
}

/// The default largest attachment; `ANTQ_MAX_ATTACHMENT_MB` changes it.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// The upload address of a report's attachment: `?name=` carries the file name.
pub const ATTACHMENT_UPLOAD_ENDPOINT: &str = "/reports/{cycle}/units/{unit}/files/{field}";
/// The download address of an attachment.
pub const ATTACHMENT_ENDPOINT: &str = "/report-files/{id}";
/// The consolidated workbook of a cycle.
pub const CYCLE_XLSX_ENDPOINT: &str = "/reports/{cycle}/rollup.xlsx";

pub fn attachment_upload_url(cycle: i64, unit: i64, field: &str) -> String {
    format!("/reports/{cycle}/units/{unit}/files/{field}")
}

/// One item of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Stable within the template's versions: answers and roll-ups are keyed by it.
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// A hint under the label.
    #[serde(default)]
    pub help: String,
}

/// A template at one version. Cycles pin the version they use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub id: i64,
    pub code: String,
    pub version: i64,
    pub name: String,
    pub fields: Vec<Field>,
}

impl Template {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The fields that roll up into numbers.
    pub fn numeric(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| {
            matches!(
                f.kind,
                FieldKind::Count { .. } | FieldKind::Percent | FieldKind::YesNo
            )
        })
    }
}

/// Checks a template's own shape before it is saved.
pub fn check_template(name: &str, fields: &[Field]) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("Hãy đặt tên cho mẫu báo cáo.".into());
    }
    if fields.is_empty() {
        return Err("Mẫu báo cáo cần ít nhất một mục.".into());
    }
    if name.chars().count() > 300 {
        return Err("Tên mẫu tối đa 300 ký tự.".into());
    }
    if fields.len() > 100 {
        return Err("Một mẫu có tối đa 100 mục.".into());
    }
    let mut keys = std::collections::BTreeSet::new();
    for f in fields {
        if f.key.is_empty()
            || !f
                .key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(format!(
                "Mã của mục “{}” chỉ gồm chữ thường không dấu, số và dấu gạch dưới.",
                f.label
            ));
        }
        if !keys.insert(f.key.as_str()) {
            return Err(format!("Mã mục “{}” bị trùng.", f.key));
        }
        if f.label.trim().is_empty() {
            return Err(format!("Mục “{}” chưa có tên.", f.key));
        }
        if f.label.chars().count() > 300 || f.help.chars().count() > 500 || f.key.len() > 64 {
            let short: String = f.label.chars().take(40).collect();
            return Err(format!(
                "Mục “{short}…”: tên tối đa 300 ký tự, hướng dẫn 500 ký tự."
            ));
        }
        match &f.kind {
            FieldKind::Choice { options }
                if options.len() > 50 || options.iter().any(|o| o.chars().count() > 200) =>
            {
                return Err(format!(
                    "Mục “{}”: tối đa 50 lựa chọn, mỗi lựa chọn 200 ký tự.",
                    f.label
                ));
            }
            FieldKind::Count { unit, .. } if unit.chars().count() > 50 => {
                return Err(format!("Mục “{}”: đơn vị tính tối đa 50 ký tự.", f.label));
            }
            _ => {}
        }
        if let FieldKind::Choice { options } = &f.kind {
            if options.len() < 2 {
                return Err(format!("Mục “{}” cần ít nhất hai lựa chọn.", f.label));
            }
        }
        if let FieldKind::Count {
            min: Some(min),
            max: Some(max),
            ..
        } = &f.kind
        {
            if min > max {
                return Err(format!(
                    "Mục “{}”: giới hạn dưới lớn hơn giới hạn trên.",
                    f.label
                ));
            }
        }
    }
    Ok(())
}

/// The code of a new template: its name folded, the words joined by `_`.
pub fn template_code(name: &str) -> String {
    crate::text::search_key(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(60)
        .collect()
}

/// What a unit typed, by field key, as typed: a number stays text until it is checked, so
/// that nothing half-typed on a phone is lost or rewritten.
pub type Answers = BTreeMap<String, String>;

/// A reason a report cannot be submitted yet, on one field (or the whole report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// Reads a whole number as Vietnamese write it: "1.234", "1 234" or "1234".
pub fn parse_count(text: &str) -> Option<i64> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Reads a percentage, with a decimal comma or point: "12,5" or "12.5" (a trailing % is
/// allowed).
pub fn parse_percent(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    if t.is_empty() || t.chars().filter(|c| *c == '.').count() > 1 {
        return None;
    }
    if !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    t.parse().ok()
}

pub const YES: &str = "yes";
pub const NO: &str = "no";

/// The number a field's answer contributes to the roll-up (yes is 1, no is 0).
pub fn number_of(field: &Field, answer: &str) -> Option<f64> {
    match &field.kind {
        FieldKind::Count { .. } => parse_count(answer).map(|n| n as f64),
        FieldKind::Percent => parse_percent(answer),
        FieldKind::YesNo => match answer {
            YES => Some(1.0),
            NO => Some(0.0),
            _ => None,
        },
        _ => None,
    }
}

/// Longest narrative answer accepted.
pub const MAX_NARRATIVE_CHARS: usize = 20_000;

/// Everything that stops a report from counting as submitted: each required field empty,
/// each answer that is not what its field asks for, each required file missing. Empty
/// optional fields are fine; a wrong optional answer is not.
pub fn check(template: &Template, answers: &Answers, files: &[String]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |field: &Field, message: String| {
        problems.push(Problem {
            field: field.key.clone(),
            message,
        })
    };
    for field in &template.fields {
        if let FieldKind::Attachment { accept } = field.kind {
            if field.required && !files.contains(&field.key) {
                problem(
                    field,
                    format!("“{}”: chưa đính kèm {}.", field.label, accept.describe_vi()),
                );
            }
            continue;
        }
        let answer = answers.get(&field.key).map(|a| a.trim()).unwrap_or("");
        if answer.is_empty() {
            if field.required {
                problem(field, format!("“{}”: chưa nhập.", field.label));
            }
            continue;
        }
        match &field.kind {
            FieldKind::Count { min, max, .. } => match parse_count(answer) {
                None => problem(
                    field,
                    format!("“{}”: cần một số nguyên, ví dụ 12.", field.label),
                ),
                Some(n) => {
                    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                        let range = match (min, max) {
                            (Some(a), Some(b)) => format!("từ {a} đến {b}"),
                            (Some(a), None) => format!("từ {a} trở lên"),
                            (None, Some(b)) => format!("không quá {b}"),
                            (None, None) => String::new(),
                        };
                        problem(field, format!("“{}”: giá trị phải {range}.", field.label));
                    }
                }
            },
            FieldKind::Percent => match parse_percent(answer) {
                Some(p) if (0.0..=100.0).contains(&p) => {}
                _ => problem(
                    field,
                    format!("“{}”: cần tỉ lệ từ 0 đến 100, ví dụ 95,5.", field.label),
                ),
            },
            FieldKind::YesNo => {
                if answer != YES && answer != NO {
                    problem(field, format!("“{}”: hãy chọn Có hoặc Không.", field.label));
                }
            }
            FieldKind::Choice { options } => {
                if !options.iter().any(|o| o == answer) {
                    problem(
                        field,
                        format!("“{}”: hãy chọn một trong các lựa chọn.", field.label),
                    );
                }
            }
            FieldKind::Narrative => {
                if answer.chars().count() > MAX_NARRATIVE_CHARS {
                    problem(field, format!("“{}”: tối đa 20.000 ký tự.", field.label));
                }
            }
            FieldKind::Attachment { .. } => {}
        }
    }
    // Answers to fields the template does not have are not ours to keep.
    for key in answers.keys() {
        if template.field(key).is_none() {
            problems.push(Problem {
                field: key.clone(),
                message: format!("Mục “{key}” không có trong mẫu báo cáo."),
            });
        }
    }
    problems
}

/// The time a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Period {
    Quarter {
        year: i32,
        quarter: u32,
    },
    Year {
        year: i32,
    },
    /// The school year starting in `start` (2025 is 2025–2026).
    SchoolYear {
        start: i32,
    },
    /// A one-off report, named by its subject.
    AdHoc {
        year: i32,
        label: String,
    },
}

pub const ROMAN_QUARTERS: [&str; 4] = ["I", "II", "III", "IV"];

impl Period {
    pub fn year(&self) -> i32 {
        match self {
            Period::Quarter { year, .. } | Period::Year { year } | Period::AdHoc { year, .. } => {
                *year
            }
            Period::SchoolYear { start } => *start,
        }
    }

    pub fn kind_code(&self) -> &'static str {
        match self {
            Period::Quarter { .. } => "quarter",
            Period::Year { .. } => "year",
            Period::SchoolYear { .. } => "school_year",
            Period::AdHoc { .. } => "ad_hoc",
        }
    }

    /// "Quý I năm 2025", "Năm 2025", "Năm học 2025 - 2026", or the one-off's subject.
    pub fn label_vi(&self) -> String {
        match self {
            Period::Quarter { year, quarter } => format!(
                "Quý {} năm {year}",
                ROMAN_QUARTERS
                    .get(quarter.saturating_sub(1) as usize)
                    .unwrap_or(&"?")
            ),
            Period::Year { year } => format!("Năm {year}"),
            Period::SchoolYear { start } => format!("Năm học {start} - {}", start + 1),
            Period::AdHoc { label, .. } => label.clone(),
        }
    }

    pub fn label_en(&self) -> String {
        match self {
            Period::Quarter { year, quarter } => format!("Q{quarter} {year}"),
            Period::Year { year } => format!("Year {year}"),
            Period::SchoolYear { start } => format!("School year {start}–{}", start + 1),
            Period::AdHoc { label, .. } => label.clone(),
        }
    }

    /// The first day the period covers.
    pub fn starts_on(&self) -> Option<NaiveDate> {
        match self {
            Period::Quarter { year, quarter } => {
                NaiveDate::from_ymd_opt(*year, (quarter - 1) * 3 + 1, 1)
            }
            Period::Year { year } | Period::AdHoc { year, .. } => {
                NaiveDate::from_ymd_opt(*year, 1, 1)
            }
            Period::SchoolYear { start } => NaiveDate::from_ymd_opt(*start, 9, 1),
        }
    }

    pub fn check(&self) -> Result<(), String> {
        if !(2000..=2100).contains(&self.year()) {
            return Err("Năm không hợp lệ.".into());
        }
        match self {
            Period::Quarter { quarter, .. } if !(1..=4).contains(quarter) => {
                Err("Quý phải từ I đến IV.".into())
            }
            Period::AdHoc { label, .. } if label.trim().is_empty() => {
                Err("Hãy ghi nội dung của đợt báo cáo.".into())
            }
            _ => Ok(()),
        }
    }
}

/// How the deadline (hạn nộp) of a cycle follows from its period. Reports are due "before"
/// the day a rule names (trước ngày 05 hằng quý: the 5th of the quarter after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeadlineRule {
    /// Before `day` of the first month of the next quarter (a quarter report).
    DayOfNextQuarter { day: u32 },
    /// Before `day`/`month` of the period's year (trước ngày 01/10 hằng năm); for a school
    /// year, of the year it ends.
    EachYear { day: u32, month: u32 },
    /// Before a fixed date (trước ngày 05/11/2025).
    Fixed { date: NaiveDate },
}

impl DeadlineRule {
    /// The day reports are due before, or why the rule does not fit the period.
    pub fn due(&self, period: &Period) -> Result<NaiveDate, String> {
        let bad = || "Ngày hạn nộp không hợp lệ.".to_string();
        match (self, period) {
            (DeadlineRule::DayOfNextQuarter { day }, Period::Quarter { year, quarter }) => {
                let (y, m) = if *quarter >= 4 {
                    (year + 1, 1)
                } else {
                    (*year, quarter * 3 + 1)
                };
                NaiveDate::from_ymd_opt(y, m, *day).ok_or_else(bad)
            }
            (DeadlineRule::DayOfNextQuarter { .. }, _) => {
                Err("Quy tắc “trước ngày … của quý sau” chỉ dùng cho báo cáo quý.".into())
            }
            (DeadlineRule::EachYear { day, month }, period) => {
                let year = match period {
                    Period::SchoolYear { start } => start + 1,
                    other => other.year(),
                };
                NaiveDate::from_ymd_opt(year, *month, *day).ok_or_else(bad)
            }
            (DeadlineRule::Fixed { date }, _) => Ok(*date),
        }
    }
}

/// The three dates of a cycle: reports are due before `due`; those submitted on or before
/// `on_time_until` count as on time; from `locks_on` a unit can no longer change or submit
/// its report unless a reviewer reopens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleDates {
    pub due: NaiveDate,
    pub on_time_until: NaiveDate,
    pub locks_on: NaiveDate,
}

/// Days after the deadline a cycle stays open for late reports, unless told otherwise.
pub const DEFAULT_LOCK_AFTER_DAYS: i64 = 10;

impl CycleDates {
    /// The usual dates for a deadline: on time until the day before, locked ten days after.
    pub fn for_due(due: NaiveDate) -> CycleDates {
        CycleDates {
            due,
            on_time_until: due - Duration::days(1),
            locks_on: due + Duration::days(DEFAULT_LOCK_AFTER_DAYS),
        }
    }

    pub fn check(&self) -> Result<(), String> {
        if self.on_time_until >= self.locks_on {
            return Err("Hạn tính đúng hạn phải trước ngày khóa sổ.".into());
        }
        if self.due > self.locks_on {
            return Err("Ngày khóa sổ không được trước hạn nộp.".into());
        }
        Ok(())
    }
}

/// A new cycle as the form sends it. Dates left out follow from the rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCycle {
    pub template: i64,
    pub title: String,
    pub period: Period,
    pub rule: DeadlineRule,
    pub on_time_until: Option<NaiveDate>,
    pub locks_on: Option<NaiveDate>,
    pub audience: Audience,
    /// The plan whose targets the reports measure.
    pub plan: Option<i64>,
    /// Days from the deadline on which units that have not submitted are reminded
    /// (negative: before).
    pub reminder_days: Vec<i64>,
}

pub const DEFAULT_REMINDER_DAYS: [i64; 3] = [-3, 0, 3];

impl NewCycle {
    pub fn dates(&self) -> Result<CycleDates, String> {
        let due = self.rule.due(&self.period)?;
        let mut dates = CycleDates::for_due(due);
        if let Some(d) = self.on_time_until {
            dates.on_time_until = d;
        }
        if let Some(d) = self.locks_on {
            dates.locks_on = d;
        }
        dates.check()?;
        Ok(dates)
    }
}

/// The four quarters of a year, each with its cycle, from one form.
pub fn quarterly_series(base: &NewCycle, year: i32) -> Vec<NewCycle> {
    (1..=4)
        .map(|quarter| {
            let period = Period::Quarter { year, quarter };
            NewCycle {
                title: format!("{} - {}", base.title.trim(), period.label_vi()),
                period,
                on_time_until: None,
                locks_on: None,
                ..base.clone()
            }
        })
        .collect()
}

/// Where a unit's report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Chưa nộp: nothing saved yet.
    Missing,
    Draft,
    Submitted,
    /// Yêu cầu bổ sung: sent back with a comment.
    Returned,
    /// Đã duyệt: locked.
    Accepted,
}

impl ReportStatus {
    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Missing => "missing",
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::Accepted => "accepted",
        }
    }

    pub fn from_code(code: &str) -> Option<ReportStatus> {
        [
            ReportStatus::Missing,
            ReportStatus::Draft,
            ReportStatus::Submitted,
            ReportStatus::Returned,
            ReportStatus::Accepted,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ReportStatus::Missing => "Chưa nộp",
            ReportStatus::Draft => "Nháp",
            ReportStatus::Submitted => "Đã nộp",
            ReportStatus::Returned => "Yêu cầu bổ sung",
            ReportStatus::Accepted => "Đã duyệt",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ReportStatus::Missing => "Not submitted",
            ReportStatus::Draft => "Draft",
            ReportStatus::Submitted => "Submitted",
            ReportStatus::Returned => "Returned for changes",
            ReportStatus::Accepted => "Accepted",
        }
    }

    /// Whether the report is in (submitted and not sent back).
    pub fn is_in(self) -> bool {
        matches!(self, ReportStatus::Submitted | ReportStatus::Accepted)
    }
}

/// A cycle as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CycleSummary {
    pub id: i64,
    pub title: String,
    pub period: Period,
    pub template: String,
    pub dates: CycleDates,
    /// Over the units the caller sees.
    pub expected: i64,
    pub submitted: i64,
}

/// A unit's own view of a cycle it must report in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyReport {
    pub cycle: i64,
    pub title: String,
    pub dates: CycleDates,
    pub unit: UnitRef,
    pub status: ReportStatus,
    pub on_time: Option<bool>,
    /// Past its lock date and not reopened: the unit can no longer change it.
    #[serde(default)]
    pub locked: bool,
    /// Days from today to the deadline (negative once it has passed).
    #[serde(default)]
    pub days_left: i64,
}

impl MyReport {
    /// The unit can still fill it in and send it.
    pub fn open(&self) -> bool {
        !self.locked
            && matches!(
                self.status,
                ReportStatus::Missing | ReportStatus::Draft | ReportStatus::Returned
            )
    }
}

/// What a unit's list shows first: what it can still send, soonest deadline first; then the
/// rest, newest first.
pub fn order_for_unit(reports: &mut [MyReport]) {
    reports.sort_by(|a, b| {
        b.open()
            .cmp(&a.open())
            .then_with(|| {
                if a.open() {
                    a.dates.due.cmp(&b.dates.due)
                } else {
                    b.dates.due.cmp(&a.dates.due)
                }
            })
            .then_with(|| a.unit.name.cmp(&b.unit.name))
    });
}

/// An attachment as the form lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileInfo {
    pub id: i64,
    pub field: String,
    pub file_name: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: String,
}

/// One entry of a report's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportEvent {
    pub event: String,
    pub comment: String,
    pub by: String,
    pub at: String,
}

impl ReportEvent {
    pub fn label_vi(&self) -> &'static str {
        match self.event.as_str() {
            "submit" => "Nộp báo cáo",
            "return" => "Yêu cầu bổ sung",
            "accept" => "Duyệt",
            "reopen" => "Mở lại",
            "unlock" => "Gia hạn sau khóa sổ",
            _ => "Lưu nháp",
        }
    }

    pub fn label_en(&self) -> &'static str {
        match self.event.as_str() {
            "submit" => "Submitted",
            "return" => "Returned for changes",
            "accept" => "Accepted",
            "reopen" => "Reopened",
            "unlock" => "Reopened after lock",
            _ => "Draft saved",
        }
    }
}

/// Everything the report page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub cycle: i64,
    pub cycle_title: String,
    pub period: Period,
    pub dates: CycleDates,
    pub template: Template,
    pub unit: UnitRef,
    pub status: ReportStatus,
    pub on_time: Option<bool>,
    pub version: i64,
    pub answers: Answers,
    pub files: Vec<FileInfo>,
    pub review_comment: String,
    pub history: Vec<ReportEvent>,
    /// The unit may change and submit it now.
    pub may_edit: bool,
    pub may_review: bool,
    /// A reviewer may reopen it (locked by date) or, for accepted ones, a higher level.
    pub may_reopen: bool,
    /// Past the lock date and not reopened.
    pub locked: bool,
    pub updated_at: String,
    /// A plain form post the server did not take, shown again with its values.
    #[serde(default)]
    pub posted: Option<Posted>,
    /// The account reading it: what a device keeps of the form is kept under this account,
    /// so the next user of a shared computer is not handed it.
    #[serde(default)]
    pub reader: i64,
}

/// Where the report page's plain forms post (the page's own address): the form, the review and
/// the reopening, told apart by their `intent`. They work before and without the browser
/// bundle, which, once loaded, sends the same things through the server functions instead.
pub const REPORT_FORM_ENDPOINT: &str = "/reports/{cycle}/units/{unit}";

/// The button a plain form was sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Save,
    Submit,
    Accept,
    Return,
    Reopen,
}

impl Intent {
    pub fn code(self) -> &'static str {
        match self {
            Intent::Save => "save",
            Intent::Submit => "submit",
            Intent::Accept => "accept",
            Intent::Return => "return",
            Intent::Reopen => "reopen",
        }
    }

    pub fn from_code(code: &str) -> Option<Intent> {
        [
            Intent::Save,
            Intent::Submit,
            Intent::Accept,
            Intent::Return,
            Intent::Reopen,
        ]
        .into_iter()
        .find(|i| i.code() == code)
    }
}

/// What a plain form post sent that the server did not take, and why: the page is rendered
/// again with it, so nothing typed is lost and the problem is shown beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posted {
    pub intent: Intent,
    /// The answers as typed (the report form).
    pub answers: Answers,
    /// The version to save over next (the server's, after another device saved meanwhile).
    pub version: i64,
    /// The reviewer's comment or the reason for reopening, as typed.
    pub comment: String,
    pub error: AppError,
}

/// The answer to an autosave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReportSave {
    Saved {
        version: i64,
        saved_at: String,
    },
    /// Someone saved from another device in between; theirs is sent back.
    Conflict {
        version: i64,
        answers: Answers,
        saved_at: String,
    },
}

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    Return,
    Accept,
}

/// A report waiting for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub cycle: i64,
    pub cycle_title: String,
    pub unit: UnitRef,
    pub area: String,
    pub submitted_at: String,
    pub on_time: bool,
}

/// One unit's line in a cycle's status table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitStatus {
    pub unit: UnitRef,
    pub area: String,
    pub status: ReportStatus,
    pub on_time: Option<bool>,
}

/// Completeness and timeliness of one group of units.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompletenessRow {
    pub label: String,
    /// Units expected to report.
    pub expected: i64,
    /// Of those, reports in (submitted or accepted).
    pub submitted: i64,
    /// Of those, first submitted on time.
    pub on_time: i64,
    pub returned: i64,
    pub accepted: i64,
}

impl CompletenessRow {
    /// Share in percent, 0 when nothing is expected; never above 100 because only expected
    /// units are counted.
    pub fn rate(part: i64, whole: i64) -> f64 {
        if whole <= 0 {
            0.0
        } else {
            (part as f64 * 100.0 / whole as f64).min(100.0)
        }
    }

    pub fn completeness(&self) -> f64 {
        Self::rate(self.submitted, self.expected)
    }

    pub fn timeliness(&self) -> f64 {
        Self::rate(self.on_time, self.expected)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completeness {
    pub cycle: i64,
    /// The day the expected units were taken from (the deadline, or today before it).
    pub as_of: NaiveDate,
    pub overall: CompletenessRow,
    pub by_area: Vec<CompletenessRow>,
    pub by_level: Vec<CompletenessRow>,
    pub by_ownership: Vec<CompletenessRow>,
}

/// How a numeric field is summed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Counts add up.
    Sum,
    /// Percentages are averaged over the reports that give one.
    Mean,
    /// Yes/no: the share of reports that answer yes, in percent.
    ShareYes,
}

impl Aggregate {
    pub fn of(kind: &FieldKind) -> Option<Aggregate> {
        match kind {
            FieldKind::Count { .. } => Some(Aggregate::Sum),
            FieldKind::Percent => Some(Aggregate::Mean),
            FieldKind::YesNo => Some(Aggregate::ShareYes),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollupColumn {
    pub key: String,
    pub label: String,
    pub unit: String,
    pub aggregate: Aggregate,
}

/// One line of a roll-up: how many reports it covers and a value per column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollupRow {
    pub label: String,
    pub reports: i64,
    pub values: Vec<Option<f64>>,
}

/// A plan's target set against what the reports say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetActual {
    pub target: String,
    pub field: String,
    pub planned: Option<f64>,
    pub actual: Option<f64>,
    pub percent: bool,
}

/// The indicators of the reports in (submitted or accepted) from expected units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rollup {
    pub cycle: i64,
    pub columns: Vec<RollupColumn>,
    pub province: RollupRow,
    pub by_area: Vec<RollupRow>,
    pub by_level: Vec<RollupRow>,
    pub by_ownership: Vec<RollupRow>,
    pub targets: Vec<TargetActual>,
}

/// A figure as Vietnamese write it: 1.234 or 95,5.
pub fn format_number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        crate::components::format_count(value.round() as i64, crate::i18n::Lang::Vi)
    } else {
        format!("{value:.1}").replace('.', ",")
    }
}

/// The quarter a day falls in.
pub fn quarter_of(day: NaiveDate) -> u32 {
    (day.month() - 1) / 3 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn quarter_reports_are_due_before_the_fifth_of_the_next_quarter() {
        let rule = DeadlineRule::DayOfNextQuarter { day: 5 };
        let due = |q| {
            rule.due(&Period::Quarter {
                year: 2025,
                quarter: q,
            })
        };
        assert_eq!(due(1), Ok(date(2025, 4, 5)));
        assert_eq!(due(2), Ok(date(2025, 7, 5)));
        assert_eq!(due(3), Ok(date(2025, 10, 5)));
        assert_eq!(due(4), Ok(date(2026, 1, 5)));
        assert!(rule.due(&Period::Year { year: 2025 }).is_err());
    }

    #[test]
    fn year_reports_are_due_before_the_first_of_october() {
        let rule = DeadlineRule::EachYear { day: 1, month: 10 };
        assert_eq!(
            rule.due(&Period::Year { year: 2024 }),
            Ok(date(2024, 10, 1))
        );
        assert_eq!(
            rule.due(&Period::SchoolYear { start: 2024 }),
            Ok(date(2025, 10, 1))
        );
    }

    #[test]
    fn one_off_reports_keep_their_date() {
        for d in [date(2025, 11, 5), date(2023, 12, 5), date(2024, 5, 9)] {
            let rule = DeadlineRule::Fixed { date: d };
            let period = Period::AdHoc {
                year: d.year(),
                label: "Báo cáo kết quả".into(),
            };
            assert_eq!(rule.due(&period), Ok(d));
        }
    }

    #[test]
    fn default_dates_count_the_day_before_as_on_time_and_lock_ten_days_after() {
        let dates = CycleDates::for_due(date(2025, 4, 5));
        assert_eq!(dates.on_time_until, date(2025, 4, 4));
        assert_eq!(dates.locks_on, date(2025, 4, 15));
        assert!(dates.check().is_ok());
        let bad = CycleDates {
            locks_on: date(2025, 4, 1),
            ..dates
        };
        assert!(bad.check().is_err());
    }

    #[test]
    fn a_quarterly_series_makes_four_cycles_with_their_own_deadlines() {
        let base = NewCycle {
            template: 1,
            title: "Báo cáo ANTQ".into(),
            period: Period::Year { year: 2026 },
            rule: DeadlineRule::DayOfNextQuarter { day: 5 },
            on_time_until: None,
            locks_on: None,
            audience: Audience::default(),
            plan: None,
            reminder_days: DEFAULT_REMINDER_DAYS.to_vec(),
        };
        let series = quarterly_series(&base, 2026);
        let dues: Vec<NaiveDate> = series
            .iter()
            .filter_map(|c| c.dates().ok())
            .map(|d| d.due)
            .collect();
        assert_eq!(
            dues,
            vec![
                date(2026, 4, 5),
                date(2026, 7, 5),
                date(2026, 10, 5),
                date(2027, 1, 5)
            ]
        );
        assert_eq!(series[2].title, "Báo cáo ANTQ - Quý III năm 2026");
    }

    #[test]
    fn numbers_are_read_as_vietnamese_write_them() {
        assert_eq!(parse_count("1.234"), Some(1234));
        assert_eq!(parse_count(" 12 "), Some(12));
        assert_eq!(parse_count("12a"), None);
        assert_eq!(parse_count("-3"), None);
        assert_eq!(parse_percent("95,5"), Some(95.5));
        assert_eq!(parse_percent("100%"), Some(100.0));
        assert_eq!(parse_percent("1,2,3"), None);
    }

    fn template() -> Template {
        Template {
            id: 1,
            code: "q".into(),
            version: 1,
            name: "Báo cáo quý".into(),
            fields: vec![
                Field {
                    key: "sessions".into(),
                    label: "Số buổi tuyên truyền".into(),
                    kind: FieldKind::Count {
                        unit: "buổi".into(),
                        min: Some(0),
                        max: Some(500),
                    },
                    required: true,
                    help: String::new(),
                },
                Field {
                    key: "share".into(),
                    label: "Tỉ lệ học sinh tham gia".into(),
                    kind: FieldKind::Percent,
                    required: false,
                    help: String::new(),
                },
                Field {
                    key: "scan".into(),
                    label: "Bản scan".into(),
                    kind: FieldKind::Attachment {
                        accept: AttachmentKind::SignedScan,
                    },
                    required: true,
                    help: String::new(),
                },
            ],
        }
    }

    #[test]
    fn check_names_each_problem_in_vietnamese() {
        let t = template();
        let mut answers = Answers::new();
        let problems = check(&t, &answers, &[]);
        assert_eq!(problems.len(), 2);
        assert!(problems[0].message.contains("Số buổi tuyên truyền"));
        answers.insert("sessions".into(), "600".into());
        answers.insert("share".into(), "101".into());
        let problems = check(&t, &answers, &["scan".into()]);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["sessions", "share"]);
        answers.insert("sessions".into(), "12".into());
        answers.insert("share".into(), "95,5".into());
        assert!(check(&t, &answers, &["scan".into()]).is_empty());
    }

    #[test]
    fn files_are_known_by_their_content_not_their_name() {
        let pdf = b"%PDF-1.7\n...";
        assert_eq!(
            check_file(AttachmentKind::SignedScan, "bao-cao.pdf", pdf, 1024),
            Ok(Sniffed::Pdf)
        );
        // A text file renamed to .pdf.
        assert!(check_file(AttachmentKind::SignedScan, "bao-cao.pdf", b"hello", 1024).is_err());
        // A PDF named as a picture.
        assert!(check_file(AttachmentKind::SignedScan, "anh.jpg", pdf, 1024).is_err());
        // A PDF where a Word file is asked for.
        assert!(check_file(AttachmentKind::WordFile, "bao-cao.docx", pdf, 1024).is_err());
        // Too large.
        assert!(check_file(AttachmentKind::SignedScan, "bao-cao.pdf", pdf, 4).is_err());
    }

    #[test]
    fn rates_never_exceed_a_hundred() {
        assert_eq!(CompletenessRow::rate(3, 0), 0.0);
        assert_eq!(CompletenessRow::rate(5, 4), 100.0);
        assert_eq!(CompletenessRow::rate(1, 4), 25.0);
    }
}
