//! Models (mô hình) that schools run to keep order and safety, such as "Cổng trường an toàn
//! giao thông" or "Xếp hàng đón con": a catalogue, each school's registration of the models it
//! runs (since when, at how many places, with evidence), a yearly review (tốt, khá, trung
//! bình) that may mark a school's model for replication, and the counts by model and area.

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod pages;
#[cfg(test)]
mod tests;

use crate::org::UnitRef;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A model of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SafetyModel {
    pub id: i64,
    pub name: String,
    pub description: String,
}

/// How well a school ran a model in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rating {
    Good,
    Fair,
    Average,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Good, Rating::Fair, Rating::Average];

    pub fn code(self) -> &'static str {
        match self {
            Rating::Good => "good",
            Rating::Fair => "fair",
            Rating::Average => "average",
        }
    }

    pub fn from_code(code: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::Good => "Tốt",
            Rating::Fair => "Khá",
            Rating::Average => "Trung bình",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Rating::Good => "Good",
            Rating::Fair => "Fair",
            Rating::Average => "Average",
        }
    }
}

/// A review of a school's model for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReview {
    pub year: i32,
    pub rating: Rating,
    /// Marked as worth replicating in other schools.
    pub replicate: bool,
    pub note: String,
    pub reviewer: String,
}

/// The evidence a school attached to a model it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub file_name: String,
    pub size: i64,
}

/// A model as one school runs it, with the review of the year shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRun {
    pub id: i64,
    pub model: SafetyModel,
    pub unit: UnitRef,
    pub area: Option<UnitRef>,
    pub started_on: NaiveDate,
    pub places: i64,
    pub note: String,
    pub evidence: Option<Evidence>,
    pub review: Option<RunReview>,
}

/// How far a model has spread in one area (or, with no area, across the caller's part of the
/// tree): schools running it since before the end of the year, their places, and the year's
/// reviews.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelCount {
    pub model: i64,
    pub area: Option<UnitRef>,
    pub schools: i64,
    pub places: i64,
    pub good: i64,
    pub replicate: i64,
}

/// The models page of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelsOverview {
    pub year: i32,
    pub current_year: i32,
    pub catalogue: Vec<SafetyModel>,
    /// One row per model and area, areas by name.
    pub by_area: Vec<ModelCount>,
    /// The caller's own schools' runs (school users), or the runs of the chosen area.
    pub runs: Vec<ModelRun>,
    /// Schools the caller registers models for.
    pub own_schools: Vec<UnitRef>,
    /// Areas whose runs a reviewer can list.
    pub areas: Vec<UnitRef>,
    pub area: Option<i64>,
    pub may_review: bool,
    pub may_manage: bool,
}

impl ModelsOverview {
    /// The totals of each model over every area.
    pub fn totals(&self) -> Vec<(SafetyModel, ModelCount)> {
        self.catalogue
            .iter()
            .map(|m| {
                let total = self.by_area.iter().filter(|c| c.model == m.id).fold(
                    ModelCount {
                        model: m.id,
                        ..ModelCount::default()
                    },
                    |mut t, c| {
                        t.schools += c.schools;
                        t.places += c.places;
                        t.good += c.good;
                        t.replicate += c.replicate;
                        t
                    },
                );
                (m.clone(), total)
            })
            .collect()
    }
}

/// A school's registration of a model it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRun {
    pub model: i64,
    pub unit: i64,
    pub started_on: NaiveDate,
    pub places: i64,
    pub note: String,
}

/// The most places a school registers for one model.
pub const MAX_PLACES: i64 = 50;
/// The longest note of a registration or a review.
pub const MAX_NOTE_CHARS: usize = 2000;

impl NewRun {
    /// What is wrong with the registration, in Vietnamese.
    pub fn problems(&self, today: NaiveDate) -> Vec<String> {
        let mut out = Vec::new();
        if self.started_on > today {
            out.push("Ngày bắt đầu không được sau hôm nay.".to_string());
        }
        if chrono::Datelike::year(&self.started_on) < 2000 {
            out.push("Ngày bắt đầu không hợp lệ.".to_string());
        }
        if !(1..=MAX_PLACES).contains(&self.places) {
            out.push(format!("Số điểm triển khai từ 1 đến {MAX_PLACES}."));
        }
        if self.note.chars().count() > MAX_NOTE_CHARS {
            out.push("Ghi chú tối đa 2.000 ký tự.".to_string());
        }
        out
    }
}

/// What is wrong with a new catalogue entry, in Vietnamese.
pub fn catalogue_problems(name: &str, description: &str, catalogue: &[SafetyModel]) -> Vec<String> {
    let mut out = Vec::new();
    let name = name.trim();
    if name.chars().count() < 3 {
        out.push("Tên mô hình cần ít nhất 3 ký tự.".to_string());
    }
    if name.chars().count() > 200 {
        out.push("Tên mô hình tối đa 200 ký tự.".to_string());
    }
    if description.chars().count() > MAX_NOTE_CHARS {
        out.push("Mô tả tối đa 2.000 ký tự.".to_string());
    }
    let folded = crate::text::search_key(name);
    if catalogue
        .iter()
        .any(|m| crate::text::search_key(&m.name) == folded)
    {
        out.push(format!("Danh mục đã có mô hình “{name}”."));
    }
    out
}

/// Where a school attaches evidence to a model it runs (POST, body = the file, `?name=`), and
/// where it is read back (GET).
pub const EVIDENCE_ENDPOINT: &str = "/models/runs/{id}/evidence";
/// The largest evidence file.
pub const MAX_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;

pub fn evidence_url(run: i64) -> String {
    EVIDENCE_ENDPOINT.replace("{id}", &run.to_string())
}

/// The models page, whose plain forms post to the page's own address (multipart, `form`
/// naming which: `register`, `evidence`, `review`).
pub const PAGE_FORM_ENDPOINT: &str = "/models";
