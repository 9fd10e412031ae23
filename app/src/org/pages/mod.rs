//! The organisation's pages.

mod directory;
mod home;
mod import;
mod tree;
mod unit;

pub use directory::DirectoryPage;
pub use home::HomePage;
pub use import::{ImportPage, IMPORT_ENDPOINT, TEMPLATE_ENDPOINT};
pub use tree::TreePage;
pub use unit::UnitPage;

use crate::i18n::Lang;
use crate::org::{SchoolLevel, UnitKind, UnitSummary};

/// "THCS", "Tiểu học, THCS" …
pub(crate) fn levels_label(levels: &[SchoolLevel], lang: Lang) -> String {
    levels
        .iter()
        .map(|l| lang.level(*l))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a unit is, in a few words: "Xã", "THPT · Công lập", "Phòng thuộc Sở".
pub(crate) fn unit_kind_label(unit: &UnitSummary, lang: Lang) -> String {
    match (unit.kind, unit.area_type) {
        (UnitKind::Area, Some(area_type)) => lang.area_type(area_type).to_string(),
        (UnitKind::School, _) => {
            let mut parts = vec![levels_label(&unit.levels, lang)];
            if let Some(ownership) = unit.ownership {
                parts.push(lang.ownership(ownership).to_string());
            }
            parts.join(" · ")
        }
        (kind, _) => lang.unit_kind(kind).to_string(),
    }
}
