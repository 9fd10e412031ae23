//! The organisation: the department, its divisions, areas and schools, and how they change.

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod import;
pub mod pages;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The day the two-tier local government took effect: districts were abolished and
/// communes took over preschool, primary and lower-secondary schools.
pub fn reform_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

/// The last day of the district grouping, used to roll up older reports by old district.
pub fn pre_reform_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default()
}

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database and used in URLs.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

code_enum!(
    /// What a unit is in the organisation.
    UnitKind {
        Department => "department",
        Division => "division",
        Area => "area",
        School => "school",
    }
);

code_enum!(
    /// The administrative type of an area: districts before 01/07/2025, communes after.
    AreaType {
        District => "district",
        UrbanDistrict => "urban_district",
        Town => "town",
        City => "city",
        Commune => "commune",
        Ward => "ward",
        SpecialZone => "special_zone",
    }
);

code_enum!(
    /// An education level a school teaches. A school with several is "liên cấp".
    SchoolLevel {
        Preschool => "MN",
        Primary => "TH",
        LowerSecondary => "THCS",
        UpperSecondary => "THPT",
        ContinuingEducation => "GDNN-GDTX",
        College => "CD-DH",
    }
);

code_enum!(
    /// Public (công lập) or non-public (ngoài công lập).
    Ownership {
        Public => "CL",
        NonPublic => "NCL",
    }
);

code_enum!(
    /// The two ways a unit hangs in the tree.
    Relation {
        ManagedBy => "managed_by",
        LocatedIn => "located_in",
    }
);

code_enum!(
    /// What happened to a unit on a given day.
    EventKind {
        Established => "established",
        Renamed => "renamed",
        Moved => "moved",
        MergedInto => "merged_into",
        Absorbed => "absorbed",
        Closed => "closed",
        Updated => "updated",
    }
);

impl AreaType {
    /// District-level types, abolished on 01/07/2025.
    pub fn is_pre_reform(self) -> bool {
        matches!(
            self,
            AreaType::District | AreaType::UrbanDistrict | AreaType::Town | AreaType::City
        )
    }
}

impl SchoolLevel {
    /// Levels managed by communes since the reform (by districts before it).
    pub fn is_local(self) -> bool {
        matches!(
            self,
            SchoolLevel::Preschool | SchoolLevel::Primary | SchoolLevel::LowerSecondary
        )
    }

    /// Parses the short forms people type in spreadsheets: "MN", "Mầm non", "THCS", "CĐ/ĐH"…
    pub fn parse_loose(text: &str) -> Option<Self> {
        let key = crate::text::search_key(text).replace([' ', '/', '-', '_'], "");
        match key.as_str() {
            "mn" | "mamnon" | "nhatre" | "maugiao" => Some(SchoolLevel::Preschool),
            "th" | "tieuhoc" => Some(SchoolLevel::Primary),
            "thcs" | "trunghoccoso" => Some(SchoolLevel::LowerSecondary),
            "thpt" | "trunghocphothong" => Some(SchoolLevel::UpperSecondary),
            "gdnngdtx" | "ttgdnngdtx" | "gdtx" | "gdnn" => Some(SchoolLevel::ContinuingEducation),
            "cddh" | "caodang" | "daihoc" | "cd" | "dh" => Some(SchoolLevel::College),
            _ => None,
        }
    }
}

/// Encodes a set of levels as stored: ",TH,THCS," so that a level filter is one LIKE.
pub fn encode_levels(levels: &[SchoolLevel]) -> String {
    if levels.is_empty() {
        return String::new();
    }
    let mut out = String::from(",");
    for level in SchoolLevel::ALL.iter().filter(|l| levels.contains(l)) {
        out.push_str(level.code());
        out.push(',');
    }
    out
}

pub fn decode_levels(stored: &str) -> Vec<SchoolLevel> {
    stored
        .split(',')
        .filter_map(SchoolLevel::from_code)
        .collect()
}

/// A level filter: one level, or "liên cấp" (more than one of the general levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LevelFilter {
    Level(SchoolLevel),
    MultiLevel,
}

impl LevelFilter {
    pub fn code(self) -> &'static str {
        match self {
            LevelFilter::Level(level) => level.code(),
            LevelFilter::MultiLevel => "LC",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        if code == "LC" {
            Some(LevelFilter::MultiLevel)
        } else {
            SchoolLevel::from_code(code).map(LevelFilter::Level)
        }
    }
}

/// A short reference to a unit, enough for a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// One row of the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub area_type: Option<AreaType>,
    pub levels: Vec<SchoolLevel>,
    pub ownership: Option<Ownership>,
    pub area: Option<UnitRef>,
    pub staff_count: Option<i64>,
    pub student_count: Option<i64>,
}

/// The directory's filters, as carried in the URL.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DirectoryFilter {
    pub q: String,
    pub kind: Option<UnitKind>,
    pub level: Option<LevelFilter>,
    pub ownership: Option<Ownership>,
    pub area: Option<i64>,
    pub as_of: Option<NaiveDate>,
    pub page: u32,
}

pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryPage {
    pub items: Vec<UnitSummary>,
    pub total: i64,
    pub page: u32,
    pub as_of: NaiveDate,
}

/// A node of the tree as of a date, with how many units it manages then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeNode {
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
    pub area_type: Option<AreaType>,
    pub levels: Vec<SchoolLevel>,
    pub child_count: i64,
}

/// A name a unit carried over a span of days (`valid_until` exclusive, `None` = still).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameSpan {
    pub name: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

/// A parent a unit hung under over a span of days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkSpan {
    pub relation: Relation,
    pub parent: UnitRef,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgEvent {
    pub kind: EventKind,
    pub effective_on: NaiveDate,
    pub related: Option<UnitRef>,
    pub note: String,
}

/// Everything the unit page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitDetail {
    pub summary: UnitSummary,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub established_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub merged_into: Option<UnitRef>,
    pub merged_from: Vec<UnitRef>,
    pub names: Vec<NameSpan>,
    pub links: Vec<LinkSpan>,
    pub events: Vec<OrgEvent>,
    pub child_count: i64,
}

/// A row that an import refused, with its row number in the file (header = row 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
    /// False when any row was bad: then nothing was written.
    pub committed: bool,
}

/// Headline counts for the home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgOverview {
    pub department: Option<UnitRef>,
    pub areas: i64,
    pub schools: i64,
    pub schools_by_level: Vec<(SchoolLevel, i64)>,
    pub students: i64,
    pub as_of: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_in_canonical_order() {
        let stored = encode_levels(&[SchoolLevel::LowerSecondary, SchoolLevel::Primary]);
        assert_eq!(stored, ",TH,THCS,");
        assert_eq!(
            decode_levels(&stored),
            vec![SchoolLevel::Primary, SchoolLevel::LowerSecondary]
        );
        assert_eq!(encode_levels(&[]), "");
    }

    #[test]
    fn loose_level_names_parse() {
        assert_eq!(
            SchoolLevel::parse_loose("Mầm non"),
            Some(SchoolLevel::Preschool)
        );
        assert_eq!(
            SchoolLevel::parse_loose("thcs"),
            Some(SchoolLevel::LowerSecondary)
        );
        assert_eq!(
            SchoolLevel::parse_loose("CĐ/ĐH"),
            Some(SchoolLevel::College)
        );
        assert_eq!(
            SchoolLevel::parse_loose("GDNN-GDTX"),
            Some(SchoolLevel::ContinuingEducation)
        );
        assert_eq!(SchoolLevel::parse_loose("đại học bách khoa"), None);
    }
}
