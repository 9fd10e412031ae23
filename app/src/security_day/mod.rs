//! The day of the movement, 19 August (Ngày hội toàn dân bảo vệ an ninh Tổ quốc): each
//! school records what it held for the day in a year (when, how many took part, in which
//! forms, with photos); areas and the department see which schools held it, how many took
//! part, and whether the pilot sites their plans named held theirs.

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod pages;
#[cfg(test)]
mod tests;

use crate::org::UnitRef;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The forms an activity for the day takes, as the department's plans list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ActivityForm {
    /// Lễ mít tinh, chào cờ.
    Ceremony,
    /// Văn hóa, văn nghệ.
    Culture,
    /// Thể dục, thể thao.
    Sports,
    /// Hội thi tìm hiểu pháp luật, kỹ năng.
    Contest,
    /// Hội thảo, tọa đàm.
    Seminar,
    /// Tuyên truyền pháp luật, phòng chống tội phạm.
    Propaganda,
    /// Ký cam kết giữ gìn an ninh, trật tự.
    Pledge,
    /// Khen thưởng tập thể, cá nhân điển hình.
    Commendation,
}

impl ActivityForm {
    pub const ALL: [ActivityForm; 8] = [
        ActivityForm::Ceremony,
        ActivityForm::Culture,
        ActivityForm::Sports,
        ActivityForm::Contest,
        ActivityForm::Seminar,
        ActivityForm::Propaganda,
        ActivityForm::Pledge,
        ActivityForm::Commendation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActivityForm::Ceremony => "ceremony",
            ActivityForm::Culture => "culture",
            ActivityForm::Sports => "sports",
            ActivityForm::Contest => "contest",
            ActivityForm::Seminar => "seminar",
            ActivityForm::Propaganda => "propaganda",
            ActivityForm::Pledge => "pledge",
            ActivityForm::Commendation => "commendation",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActivityForm::Ceremony => "Lễ mít tinh, chào cờ",
            ActivityForm::Culture => "Văn hóa, văn nghệ",
            ActivityForm::Sports => "Thể dục, thể thao",
            ActivityForm::Contest => "Hội thi tìm hiểu pháp luật",
            ActivityForm::Seminar => "Hội thảo, tọa đàm",
            ActivityForm::Propaganda => "Tuyên truyền phòng chống tội phạm",
            ActivityForm::Pledge => "Ký cam kết giữ gìn ANTT",
            ActivityForm::Commendation => "Khen thưởng điển hình",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ActivityForm::Ceremony => "Ceremony, flag salute",
            ActivityForm::Culture => "Culture, performances",
            ActivityForm::Sports => "Sports",
            ActivityForm::Contest => "Contest on the law",
            ActivityForm::Seminar => "Seminar, talk",
            ActivityForm::Propaganda => "Crime-prevention outreach",
            ActivityForm::Pledge => "Pledges to keep order",
            ActivityForm::Commendation => "Commendations",
        }
    }

    /// Stored as ",ceremony,sports," so that one form is found with LIKE.
    pub fn encode(forms: &[ActivityForm]) -> String {
        let mut sorted = forms.to_vec();
        sorted.sort();
        sorted.dedup();
        let codes: Vec<&str> = sorted.iter().map(|f| f.code()).collect();
        format!(",{},", codes.join(","))
    }

    pub fn decode(stored: &str) -> Vec<ActivityForm> {
        stored.split(',').filter_map(Self::from_code).collect()
    }
}

/// A photo of the day, without its bytes (download it from [`photo_url`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayPhoto {
    pub id: i64,
    pub file_name: String,
    pub size: i64,
}

/// What a school held for the day in a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayRecord {
    pub id: i64,
    pub held_on: NaiveDate,
    pub participants: u32,
    pub forms: Vec<ActivityForm>,
    pub note: String,
    pub photos: Vec<DayPhoto>,
}

/// A school's record as it is typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDayRecord {
    pub unit: i64,
    pub year: i32,
    /// `yyyy-mm-dd`, as a date input gives it.
    pub held_on: String,
    pub participants: u32,
    pub forms: Vec<ActivityForm>,
    pub note: String,
}

/// At most this many photos a school and year; phone photos are a few megabytes each.
pub const MAX_PHOTOS: usize = 6;
pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;
/// Where a school's photos of a year are uploaded (`?name=`); answers with the photos.
pub const PHOTO_UPLOAD_ENDPOINT: &str = "/security-day/{unit}/{year}/photos";
/// Where one photo is read.
pub const PHOTO_ENDPOINT: &str = "/security-day/photos/{id}";

pub fn photo_upload_url(unit: i64, year: i32) -> String {
    format!("/security-day/{unit}/{year}/photos")
}

pub fn photo_url(id: i64) -> String {
    format!("/security-day/photos/{id}")
}

impl NewDayRecord {
    /// Every problem with the record, in Vietnamese; the day held when there is none.
    pub fn check(&self, today: NaiveDate) -> Result<NaiveDate, Vec<String>> {
        let mut problems = Vec::new();
        let held = NaiveDate::parse_from_str(self.held_on.trim(), "%Y-%m-%d").ok();
        match held {
            None => problems.push("Hãy chọn ngày tổ chức.".to_string()),
            Some(day) if day.year() != self.year => {
                problems.push(format!("Ngày tổ chức phải trong năm {}.", self.year))
            }
            Some(day) if day > today => {
                problems.push("Ngày tổ chức không được sau hôm nay.".to_string())
            }
            Some(_) => {}
        }
        if self.participants == 0 {
            problems.push("Số người tham gia phải lớn hơn 0.".to_string());
        } else if self.participants > 100_000 {
            problems.push("Số người tham gia quá lớn (tối đa 100.000).".to_string());
        }
        if self.forms.is_empty() {
            problems.push("Hãy chọn ít nhất một hình thức hoạt động.".to_string());
        }
        if self.note.chars().count() > 2000 {
            problems.push("Ghi chú tối đa 2.000 ký tự.".to_string());
        }
        match held {
            Some(day) if problems.is_empty() => Ok(day),
            _ => Err(problems),
        }
    }
}

/// One school of the caller's own, with its record of the year if it has one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnDay {
    pub unit: UnitRef,
    /// A pilot site (điểm chỉ đạo) named by a plan of the year.
    pub pilot: bool,
    pub record: Option<DayRecord>,
}

/// The day's figures for one area (or the schools directly under the department).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AreaDay {
    pub area: Option<UnitRef>,
    pub schools: i64,
    pub held: i64,
    pub participants: i64,
    pub pilots: i64,
    pub pilots_held: i64,
}

/// A pilot site of the year and whether it held the day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PilotDay {
    pub unit: UnitRef,
    pub area: Option<UnitRef>,
    pub held_on: Option<NaiveDate>,
    pub participants: Option<u32>,
    pub photos: Vec<DayPhoto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayOverview {
    pub year: i32,
    pub current_year: i32,
    /// The server's today, the latest day a record may name.
    pub today: NaiveDate,
    pub own: Vec<OwnDay>,
    pub areas: Vec<AreaDay>,
    /// Schools per activity form, over the caller's part of the tree.
    pub forms: Vec<(ActivityForm, i64)>,
    pub pilots: Vec<PilotDay>,
    /// The caller may record for the schools in `own`.
    pub may_record: bool,
}

impl DayOverview {
    pub fn totals(&self) -> AreaDay {
        self.areas.iter().fold(AreaDay::default(), |t, a| AreaDay {
            area: None,
            schools: t.schools + a.schools,
            held: t.held + a.held,
            participants: t.participants + a.participants,
            pilots: t.pilots + a.pilots,
            pilots_held: t.pilots_held + a.pilots_held,
        })
    }
}

/// The page of the 19/8 day, whose plain forms post to the page's own address (multipart,
/// `form` naming which: `day`, the record with an optional photo; `photo`, a photo).
pub const PAGE_FORM_ENDPOINT: &str = "/day-19-8";
