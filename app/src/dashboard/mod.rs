//! The leadership dashboard: how far the movement has reached, for a year, over the part of
//! the province a user sees, drilled down province → area → school, kept live as reports
//! arrive and plans are deployed. The types here travel to the browser; the counting sits
//! in `store::dashboard`, the page in `page`, the SVG charts in `charts`.

pub mod api;
pub mod charts;
pub mod live;
pub mod page;
pub mod todo;
#[cfg(feature = "ssr")]
pub mod xlsx;

use crate::org::{Ownership, SchoolLevel, UnitRef};
use crate::reports::{CompletenessRow, ReportStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a change touched; live screens refresh what depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// A report was submitted, returned, accepted or reopened.
    Report,
    /// A deployment step of a plan was marked or cleared.
    Deployment,
    /// A plan was issued or ended.
    Plan,
    /// A model school or a standard moved a stage, or a decision recognised schools.
    Recognition,
    /// A school registered a model it runs, or a model was reviewed.
    Models,
    /// Anything may have changed: fetch everything again.
    Resync,
}

/// How schools are grouped into areas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// By the commune or ward a school is in on the as-of day.
    #[default]
    Current,
    /// By the district it was in on 30/06/2025, the last day before districts were abolished.
    BeforeReform,
}

impl Grouping {
    pub fn code(self) -> &'static str {
        match self {
            Grouping::Current => "current",
            Grouping::BeforeReform => "district",
        }
    }

    pub fn from_code(code: &str) -> Grouping {
        if code == "district" {
            Grouping::BeforeReform
        } else {
            Grouping::Current
        }
    }
}

/// What the dashboard shows; every field is kept in the page's URL so a link reproduces it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardQuery {
    pub year: Option<i32>,
    /// Drilled down into this area (a commune, or a district with `BeforeReform`).
    pub area: Option<i64>,
    pub level: Option<SchoolLevel>,
    pub ownership: Option<Ownership>,
    /// Counted as things stood at the end of this day (today when absent).
    pub as_of: Option<NaiveDate>,
    pub grouping: Grouping,
    /// The report cycle shown in detail (the most pressing one when absent).
    pub cycle: Option<i64>,
}

impl DashboardQuery {
    /// Reads the query from the URL's parameters; what cannot be read is left out.
    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str>) -> DashboardQuery {
        let int = |name: &str| get(name).and_then(|v| v.trim().parse::<i64>().ok());
        DashboardQuery {
            year: int("year")
                .and_then(|y| i32::try_from(y).ok())
                .filter(|y| (2000..=2100).contains(y)),
            area: int("area"),
            level: get("level").and_then(SchoolLevel::from_code),
            ownership: get("ownership").and_then(Ownership::from_code),
            as_of: get("as_of").and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()),
            grouping: get("grouping").map_or(Grouping::Current, Grouping::from_code),
            cycle: int("cycle"),
        }
    }

    /// The URL parameters of this query, in a fixed order, without the defaults.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(year) = self.year {
            pairs.push(("year", year.to_string()));
        }
        if let Some(area) = self.area {
            pairs.push(("area", area.to_string()));
        }
        if let Some(level) = self.level {
            pairs.push(("level", level.code().to_string()));
        }
        if let Some(ownership) = self.ownership {
            pairs.push(("ownership", ownership.code().to_string()));
        }
        if let Some(day) = self.as_of {
            pairs.push(("as_of", day.format("%Y-%m-%d").to_string()));
        }
        if self.grouping != Grouping::Current {
            pairs.push(("grouping", self.grouping.code().to_string()));
        }
        if let Some(cycle) = self.cycle {
            pairs.push(("cycle", cycle.to_string()));
        }
        pairs
    }

    /// The dashboard's address for this query.
    pub fn href(&self) -> String {
        crate::components::href_with_query(DASHBOARD_PATH, &self.pairs())
    }

    /// The same view, drilled into `area` (or back to the whole scope with `None`).
    pub fn with_area(&self, area: Option<i64>) -> DashboardQuery {
        DashboardQuery {
            area,
            ..self.clone()
        }
    }
}

pub const DASHBOARD_PATH: &str = "/dashboard";
/// The live changes, as Server-Sent Events.
pub const LIVE_ENDPOINT: &str = "/api/live";
/// The figures of a view as an XLSX workbook; the query as on the page.
/// The largest GeoJSON of area outlines accepted.
pub const MAX_BOUNDARIES_BYTES: usize = 5 * 1024 * 1024;
pub const DASHBOARD_XLSX_ENDPOINT: &str = "/dashboard.xlsx";

/// A report cycle's figures over the view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CycleFigure {
    pub id: i64,
    pub title: String,
    pub period_vi: String,
    pub period_en: String,
    pub due: NaiveDate,
    pub on_time_until: NaiveDate,
    pub counts: CompletenessRow,
    /// The cycle before it of the same template and kind of period, as it ended.
    pub previous: Option<CompletenessRow>,
}

impl CycleFigure {
    /// The change of the share of reports in since the previous cycle, in points.
    pub fn change(&self) -> Option<f64> {
        self.previous
            .as_ref()
            .map(|p| self.counts.completeness() - p.completeness())
    }
}

/// One day of the cumulative submissions curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    pub day: NaiveDate,
    /// Reports in (first submissions) up to and including this day.
    pub submitted: i64,
}

/// A unit that has not reported, or reported late.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LateUnit {
    pub unit: UnitRef,
    pub area: String,
    pub status: ReportStatus,
}

/// The cycle shown in detail: its curve and who is missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeaturedCycle {
    pub figure: CycleFigure,
    pub curve: Vec<CurvePoint>,
    /// Units whose report is not in; at most [`LATE_SHOWN`], the total in `late_total`.
    pub late: Vec<LateUnit>,
    pub late_total: i64,
}

pub const LATE_SHOWN: usize = 50;

/// A plan issued in the year: how many of its recipients in view have done each step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanFigure {
    pub id: i64,
    pub title: String,
    pub number: String,
    pub recipients: i64,
    /// Per step of `DeployStep::ALL`.
    pub done: Vec<i64>,
    /// Steps marked in the seven days up to the as-of day.
    pub marked_this_week: i64,
}

/// One line of the breakdown: an area (or a school, once drilled into an area).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakdownRow {
    pub unit: UnitRef,
    pub is_school: bool,
    /// The featured cycle's counts over this line.
    pub report: CompletenessRow,
    /// A school's own report status in the featured cycle.
    pub status: Option<ReportStatus>,
    /// Recipients of the year's plans on this line, and how many have received them and
    /// reported their own plan (the first two steps).
    pub plan_recipients: i64,
    pub plan_received: i64,
}

/// An area's outline on the map, already projected into the map's box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapArea {
    pub area: UnitRef,
    /// SVG path data in a 0..1000 × 0..`MapShape::height` box.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapShape {
    pub height: f64,
    pub areas: Vec<MapArea>,
}

/// Everything the dashboard page draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The query with its defaults filled in (year, as-of day).
    pub query: DashboardQuery,
    pub year: i32,
    pub as_of: NaiveDate,
    /// When the figures were counted (server time, RFC 3339).
    pub computed_at: String,
    /// The user's part of the organisation: "Toàn tỉnh" or their unit.
    pub scope_name: String,
    /// The area drilled into.
    pub area: Option<UnitRef>,
    /// The areas one may drill into, for the filter.
    pub areas: Vec<UnitRef>,
    pub years: Vec<i32>,
    /// Schools in view on the as-of day.
    pub schools: i64,
    pub cycles: Vec<CycleFigure>,
    pub featured: Option<FeaturedCycle>,
    pub plans: Vec<PlanFigure>,
    pub rows: Vec<BreakdownRow>,
    /// The map of the areas, when boundaries are stored and the view is not drilled in.
    pub map: Option<MapShape>,
    pub recognition: RecognitionFigure,
    pub models: ModelsFigure,
    pub emulation: EmulationFigure,
}

/// Emulation and awards of the year within the view.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EmulationFigure {
    /// Titles registered (sent or not), and those approved.
    pub registered: i64,
    pub approved: i64,
    /// Nominations for an award, and those a decision awarded.
    pub nominated: i64,
    pub awarded: i64,
}

/// The models schools run within the view: started by the as-of day, reviewed in the year.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ModelsFigure {
    /// Schools running at least one model.
    pub schools: i64,
    /// Models run, a school's model counted once.
    pub runs: i64,
    /// Reviewed in the year, rated good, marked for replication.
    pub reviewed: i64,
    pub good: i64,
    pub replicate: i64,
}

/// The year's model schools and safety standard within the view.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RecognitionFigure {
    /// Model schools that reached at least each stage, in the pipeline's order (the funnel):
    /// chosen, building, self-assessed, filed, under review, recognised.
    pub funnel: Vec<(crate::recognition::Stage, i64)>,
    /// Model schools concluded as not reaching it.
    pub not_recognised: i64,
    /// Schools registered for the safety standard, and those recognised.
    pub standard_registered: i64,
    pub standard_recognised: i64,
}

impl RecognitionFigure {
    /// Counts the funnel from each school's stage.
    pub fn from_stages(
        model: impl IntoIterator<Item = crate::recognition::Stage>,
        standard: impl IntoIterator<Item = crate::recognition::Stage>,
    ) -> RecognitionFigure {
        use crate::recognition::Stage;
        const FUNNEL: [Stage; 6] = [
            Stage::Selected,
            Stage::Building,
            Stage::SelfAssessed,
            Stage::Filed,
            Stage::UnderReview,
            Stage::Recognised,
        ];
        let mut reached = [0i64; 6];
        let mut not_recognised = 0;
        for stage in model {
            // How far along the funnel: a school not recognised went through review.
            let depth = match stage {
                Stage::NotRecognised => {
                    not_recognised += 1;
                    5
                }
                s => FUNNEL.iter().position(|f| *f == s).map_or(0, |p| p + 1),
            };
            for r in reached.iter_mut().take(depth) {
                *r += 1;
            }
        }
        let (mut registered, mut recognised) = (0, 0);
        for stage in standard {
            registered += 1;
            recognised += i64::from(stage == Stage::Recognised);
        }
        RecognitionFigure {
            funnel: FUNNEL.into_iter().zip(reached).collect(),
            not_recognised,
            standard_registered: registered,
            standard_recognised: recognised,
        }
    }
}

impl Dashboard {
    /// Units of the year's plans in view that have done each step, summed over the plans.
    pub fn plan_totals(&self) -> (i64, Vec<i64>) {
        let steps = crate::plans::DeployStep::ALL.len();
        let mut done = vec![0; steps];
        let mut recipients = 0;
        for plan in &self.plans {
            recipients += plan.recipients;
            for (sum, d) in done.iter_mut().zip(&plan.done) {
                *sum += d;
            }
        }
        (recipients, done)
    }
}

/// The change of a rate in points, signed, for headlines: "+5,2", "−1,0", "0".
pub fn format_points(points: f64) -> String {
    let rounded = (points * 10.0).round() / 10.0;
    if rounded == 0.0 {
        return "0".into();
    }
    let sign = if rounded > 0.0 { "+" } else { "−" };
    format!(
        "{sign}{}",
        format!("{:.1}", rounded.abs()).replace('.', ",")
    )
}

/// A rate as people write it: "82,5%".
pub fn format_rate(rate: f64) -> String {
    format!("{}%", format!("{rate:.1}").replace('.', ","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_survives_its_url() {
        let query = DashboardQuery {
            year: Some(2025),
            area: Some(12),
            level: Some(SchoolLevel::LowerSecondary),
            ownership: Some(Ownership::Public),
            as_of: NaiveDate::from_ymd_opt(2025, 6, 30),
            grouping: Grouping::BeforeReform,
            cycle: Some(7),
        };
        let pairs = query.pairs();
        let read = DashboardQuery::from_pairs(|name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.as_str())
        });
        assert_eq!(read, query);
        assert_eq!(DashboardQuery::default().href(), DASHBOARD_PATH);
    }

    #[test]
    fn unreadable_parameters_are_left_out() {
        let read = DashboardQuery::from_pairs(|name| match name {
            "year" => Some("năm nay"),
            "as_of" => Some("31/02/2025"),
            "level" => Some("XYZ"),
            "grouping" => Some("whatever"),
            _ => None,
        });
        assert_eq!(read, DashboardQuery::default());
    }

    #[test]
    fn points_and_rates_read_the_vietnamese_way() {
        assert_eq!(format_points(5.24), "+5,2");
        assert_eq!(format_points(-1.0), "−1,0");
        assert_eq!(format_points(0.01), "0");
        assert_eq!(format_rate(82.46), "82,5%");
    }
}
