//! The dashboard's figures over a view (year, scope, area, level, ownership, as-of day).
//!
//! Everything is counted in memory from data kept between calls, each piece under the
//! revision that changes it: the units and where they are (the organisation's revision),
//! each cycle's expected units and reports (`cycle_counts`), each plan's recipients and
//! steps (the deployment revision). The counts over a view are kept too: each cycle's totals
//! under its reports' revision, and the plans' coverage under the deployment revision, so a
//! view after a submission reads the one changed report and walks only that cycle's units.

use super::cycle_counts::{self, Expected, Report, Reports};
use super::org::Scope;
use super::reports::CycleRow;
use super::{iso, organisation_revision, parse_date, parse_opt_date, Db};
use crate::dashboard::{
    BreakdownRow, CurvePoint, CycleFigure, Dashboard, DashboardQuery, FeaturedCycle, Grouping,
    LateUnit, MapShape, PlanFigure, LATE_SHOWN,
};
use crate::error::AppError;
use crate::org::{decode_levels, pre_reform_date, UnitRef};
use crate::plans::DeployStep;
use crate::reports::{CompletenessRow, ReportStatus};
use chrono::{Duration, NaiveDate};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What the dashboard needs to know of a unit.
struct UnitFacts {
    is_school: bool,
    levels: String,
    ownership: Option<String>,
    established_on: NaiveDate,
    closed_on: Option<NaiveDate>,
}

impl UnitFacts {
    fn exists_on(&self, day: NaiveDate) -> bool {
        self.established_on <= day && self.closed_on.is_none_or(|c| c > day)
    }
}

/// Every unit's facts, while the organisation is unchanged.
async fn facts(db: &Db) -> Result<Arc<HashMap<i64, UnitFacts>>, AppError> {
    let key = format!("facts/{}", organisation_revision(db).await?);
    if let Some(facts) = db.memo().get(&key) {
        return Ok(facts);
    }
    type Row = (
        i64,
        String,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
    );
    let rows: Vec<Row> =
        sqlx::query_as("SELECT id, kind, levels, ownership, established_on, closed_on FROM units")
            .fetch_all(db.pool())
            .await?;
    let mut facts = HashMap::with_capacity(rows.len());
    for (id, kind, levels, ownership, established, closed) in rows {
        facts.insert(
            id,
            UnitFacts {
                is_school: kind == "school",
                levels: levels.unwrap_or_default(),
                ownership,
                established_on: parse_date(&established)?,
                closed_on: parse_opt_date(closed)?,
            },
        );
    }
    let facts = Arc::new(facts);
    db.memo().put_sized(key, facts.clone(), facts.len() * 96);
    Ok(facts)
}

/// The area each unit was located in on `day`, while the organisation is unchanged.
async fn locations(db: &Db, day: NaiveDate) -> Result<Arc<HashMap<i64, i64>>, AppError> {
    let key = format!("locations/{}/{day}", organisation_revision(db).await?);
    if let Some(found) = db.memo().get(&key) {
        return Ok(found);
    }
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT unit_id, parent_id FROM unit_links WHERE relation = 'located_in'
         AND valid_from <= $1 AND (valid_until IS NULL OR valid_until > $1)",
    )
    .bind(iso(day))
    .fetch_all(db.pool())
    .await?;
    let found: Arc<HashMap<i64, i64>> = Arc::new(rows.into_iter().collect());
    db.memo().put_sized(key, found.clone(), found.len() * 32);
    Ok(found)
}

/// The units within `scope` on `day` (`None` for the whole department).
async fn scope_units(
    db: &Db,
    scope: &Scope,
    day: NaiveDate,
) -> Result<Option<Arc<HashSet<i64>>>, AppError> {
    if *scope == Scope::All {
        return Ok(None);
    }
    let key = format!(
        "scope-units/{}/{day}/{scope:?}",
        organisation_revision(db).await?
    );
    if let Some(found) = db.memo().get(&key) {
        return Ok(Some(found));
    }
    let sql = format!("SELECT u.id FROM units u WHERE {}", scope.sql("u", day));
    let rows: Vec<(i64,)> = sqlx::query_as(&sql).fetch_all(db.pool()).await?;
    let found: Arc<HashSet<i64>> = Arc::new(rows.into_iter().map(|(id,)| id).collect());
    db.memo().put_sized(key, found.clone(), found.len() * 16);
    Ok(Some(found))
}

/// The areas of the view's grouping, while the organisation is unchanged.
async fn areas(
    db: &Db,
    day: NaiveDate,
    today: NaiveDate,
    scope: &Scope,
) -> Result<Vec<UnitRef>, AppError> {
    let key = format!(
        "dashboard-areas/{}/{day}/{today}/{scope:?}",
        organisation_revision(db).await?
    );
    if let Some(found) = db.memo().get::<Vec<UnitRef>>(&key) {
        return Ok((*found).clone());
    }
    let found = super::org::areas(db, day, today, scope).await?;
    let size = found.len() * 128;
    db.memo().put_sized(key, Arc::new(found.clone()), size);
    Ok(found)
}

async fn deployment_revision(db: &Db) -> Result<i64, sqlx::Error> {
    let (revision,): (i64,) =
        sqlx::query_as("SELECT revision FROM data_revisions WHERE topic = 'deployment'")
            .fetch_one(db.pool())
            .await?;
    Ok(revision)
}

/// A plan's recipients, each with the day it did each step of `DeployStep::ALL`.
type Progress = HashMap<i64, [Option<NaiveDate>; 5]>;

async fn progress(db: &Db, plan: i64, revision: i64) -> Result<Arc<Progress>, AppError> {
    let key = format!("progress/{plan}/{revision}");
    if let Some(found) = db.memo().get(&key) {
        return Ok(found);
    }
    let rows: Vec<(i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT pu.unit_id, s.step, s.done_on FROM plan_units pu
         LEFT JOIN plan_steps s ON s.plan_id = pu.plan_id AND s.unit_id = pu.unit_id
         WHERE pu.plan_id = $1",
    )
    .bind(plan)
    .fetch_all(db.pool())
    .await?;
    let mut found: Progress = HashMap::new();
    for (unit, step, done_on) in rows {
        let entry = found.entry(unit).or_default();
        let at = step
            .as_deref()
            .and_then(DeployStep::from_code)
            .and_then(|s| DeployStep::ALL.iter().position(|x| *x == s));
        if let (Some(at), Some(day)) = (at, parse_opt_date(done_on)?) {
            entry[at] = Some(day);
        }
    }
    let found = Arc::new(found);
    db.memo().put_sized(key, found.clone(), found.len() * 96);
    Ok(found)
}

/// The year's issued plans as deployed by the units in a view, and per unit in view: how many
/// of them it received, and how many it received and reported its own plan for.
struct PlanCoverage {
    figures: Vec<PlanFigure>,
    received: HashMap<i64, (i64, i64)>,
}

/// The plans' coverage over the view, kept until a step is marked or a plan issued or ended
/// (the deployment revision): a report's submission does not count it again.
async fn plan_coverage(
    db: &Db,
    year: i32,
    as_of: NaiveDate,
    view: &View<'_>,
    context: &Context,
) -> Result<Arc<PlanCoverage>, AppError> {
    let deployment = deployment_revision(db).await?;
    let key = format!("plan-coverage/{deployment}/{year}/{}", context.key);
    if let Some(found) = db.memo().get(&key) {
        return Ok(found);
    }
    let plan_rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, title, number, issued_at FROM plans
         WHERE year = $1 AND status IN ('issued', 'ended') ORDER BY issued_at, id",
    )
    .bind(year)
    .fetch_all(db.pool())
    .await?;
    let week_start = as_of - Duration::days(7);
    let mut figures = Vec::new();
    let mut received: HashMap<i64, (i64, i64)> = HashMap::new();
    for (id, title, number, issued_at) in plan_rows {
        if issued_at.is_some_and(|at| at.get(..10).is_some_and(|d| d > iso(as_of).as_str())) {
            continue;
        }
        let progress = progress(db, id, deployment).await?;
        let mut fig = PlanFigure {
            id,
            title,
            number,
            recipients: 0,
            done: vec![0; DeployStep::ALL.len()],
            marked_this_week: 0,
        };
        for (unit, steps) in progress.iter() {
            if !view.includes(*unit) {
                continue;
            }
            fig.recipients += 1;
            let done_by = |k: usize| steps[k].is_some_and(|d| d <= as_of);
            for (k, sum) in fig.done.iter_mut().enumerate() {
                *sum += i64::from(done_by(k));
            }
            fig.marked_this_week += steps
                .iter()
                .flatten()
                .filter(|d| **d > week_start && **d <= as_of)
                .count() as i64;
            let entry = received.entry(*unit).or_default();
            entry.0 += 1;
            entry.1 += i64::from(done_by(0) && done_by(1));
        }
        figures.push(fig);
    }
    let size = received.len() * 32 + figures.len() * 256;
    let found = Arc::new(PlanCoverage { figures, received });
    db.memo().put_sized(key, found.clone(), size);
    Ok(found)
}

/// Decides which units are in the view.
struct View<'a> {
    query: &'a DashboardQuery,
    facts: &'a HashMap<i64, UnitFacts>,
    locations: &'a HashMap<i64, i64>,
    scope: Option<&'a HashSet<i64>>,
}

impl View<'_> {
    /// In scope, of the level and ownership asked for, and in the area drilled into.
    fn includes(&self, unit: i64) -> bool {
        if self.scope.is_some_and(|s| !s.contains(&unit)) {
            return false;
        }
        let Some(facts) = self.facts.get(&unit) else {
            return false;
        };
        if let Some(level) = self.query.level {
            if !decode_levels(&facts.levels).contains(&level) {
                return false;
            }
        }
        if let Some(ownership) = self.query.ownership {
            if facts.ownership.as_deref() != Some(ownership.code()) {
                return false;
            }
        }
        match self.query.area {
            Some(area) => self.locations.get(&unit) == Some(&area),
            None => true,
        }
    }

    fn area_of(&self, unit: i64) -> Option<i64> {
        self.locations.get(&unit).copied()
    }
}

/// What a view is decided from, loaded once per request.
struct Context {
    /// Names everything that decides which units are in the view and how they count, for the
    /// counts kept between calls.
    key: String,
    grouping_day: NaiveDate,
    facts: Arc<HashMap<i64, UnitFacts>>,
    locations: Arc<HashMap<i64, i64>>,
    scope: Option<Arc<HashSet<i64>>>,
}

impl Context {
    async fn load(
        db: &Db,
        query: &DashboardQuery,
        scope: &Scope,
        as_of: NaiveDate,
        today: NaiveDate,
    ) -> Result<Context, AppError> {
        let grouping_day = match query.grouping {
            Grouping::Current => as_of,
            Grouping::BeforeReform => as_of.min(pre_reform_date()),
        };
        let key = format!(
            "{}/{scope:?}/{as_of}/{today}/{grouping_day}/{:?}/{:?}/{:?}",
            organisation_revision(db).await?,
            query.level,
            query.ownership,
            query.area,
        );
        Ok(Context {
            key,
            grouping_day,
            facts: facts(db).await?,
            locations: locations(db, grouping_day).await?,
            scope: scope_units(db, scope, as_of).await?,
        })
    }

    fn view<'a>(&'a self, query: &'a DashboardQuery) -> View<'a> {
        View {
            query,
            facts: &self.facts,
            locations: &self.locations,
            scope: self.scope.as_deref(),
        }
    }
}

/// Whether a report counted as in at the end of `as_of`: submitted or accepted now when the
/// view is of today; first submitted by then for a past day.
fn counted(report: &Report, as_of: NaiveDate, today: NaiveDate) -> bool {
    if as_of >= today {
        report.counted()
    } else {
        report
            .first_submitted_on
            .as_deref()
            .is_some_and(|d| on_or_before(d, as_of))
    }
}

/// Whether the stored day `stored` ("YYYY-MM-DD") is on or before `day`, without formatting
/// a string per report: counting walks every expected unit of every cycle in view.
fn on_or_before(stored: &str, day: NaiveDate) -> bool {
    use chrono::Datelike;
    let (y, m, d) = (day.year(), day.month(), day.day());
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let year = y.clamp(0, 9999) as u32;
    let key = [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(d / 10),
        digit(d),
    ];
    stored.as_bytes() <= &key[..]
}

/// Adds one expected unit's report to a tally.
fn tally(
    row: &mut CompletenessRow,
    report: Option<&Report>,
    cycle: &CycleRow,
    as_of: NaiveDate,
    today: NaiveDate,
) {
    row.expected += 1;
    let Some(report) = report else { return };
    if counted(report, as_of, today) {
        row.submitted += 1;
        if report
            .first_submitted_on
            .as_deref()
            .is_some_and(|d| on_or_before(d, cycle.dates.on_time_until))
        {
            row.on_time += 1;
        }
    }
    if as_of >= today {
        row.returned += i64::from(report.status == ReportStatus::Returned);
        row.accepted += i64::from(report.status == ReportStatus::Accepted);
    }
}

/// A cycle's counts over the view, with the expected units in view and the reports.
struct CycleCounts {
    total: CompletenessRow,
    /// Everyone the cycle expects within the scope (the view may narrow it).
    expected: Arc<Expected>,
    /// The expected units in view.
    units: Vec<i64>,
    reports: Arc<Reports>,
}

impl CycleCounts {
    fn report(&self, unit: i64) -> Option<&Report> {
        self.reports.by_unit.get(&unit)
    }
}

async fn cycle_counts(
    db: &Db,
    cycle: &CycleRow,
    view: &View<'_>,
    scope: &Scope,
    as_of: NaiveDate,
    today: NaiveDate,
    reports: Arc<Reports>,
) -> Result<CycleCounts, AppError> {
    let expected = cycle_counts::expected(db, cycle, scope, as_of).await?;
    let mut total = CompletenessRow::default();
    let mut units = Vec::new();
    for unit in expected.units.keys() {
        if !view.includes(*unit) {
            continue;
        }
        tally(&mut total, reports.by_unit.get(unit), cycle, as_of, today);
        units.push(*unit);
    }
    Ok(CycleCounts {
        total,
        expected,
        units,
        reports,
    })
}

/// The cycles' totals over one view, kept between calls under the view's key, each under the
/// cycle as it was counted (its row and its reports' revision): after a submission only the
/// cycle it went to is walked again.
struct CycleTotals<'a> {
    key: String,
    held: Option<Arc<HashMap<String, CompletenessRow>>>,
    used: HashMap<String, CompletenessRow>,
    scope: &'a Scope,
    as_of: NaiveDate,
    today: NaiveDate,
}

impl<'a> CycleTotals<'a> {
    fn load(
        db: &Db,
        context: &Context,
        scope: &'a Scope,
        as_of: NaiveDate,
        today: NaiveDate,
    ) -> CycleTotals<'a> {
        let key = format!("cycle-totals/{}", context.key);
        CycleTotals {
            held: db.memo().get(&key),
            key,
            used: HashMap::new(),
            scope,
            as_of,
            today,
        }
    }

    /// The cycle's totals over the view, counted again only when it changed.
    async fn total(
        &mut self,
        db: &Db,
        cycle: &CycleRow,
        view: &View<'_>,
    ) -> Result<CompletenessRow, AppError> {
        let reports = cycle_counts::reports(db, cycle.id).await?;
        let entry = format!("{}/{cycle:?}", reports.revision());
        if let Some(total) = self.held.as_ref().and_then(|h| h.get(&entry)) {
            self.used.insert(entry, total.clone());
            return Ok(total.clone());
        }
        Ok(self.walk(db, cycle, view, reports, entry).await?.total)
    }

    /// Every count of the cycle over the view, walked afresh (the featured cycle's units are
    /// listed); its totals are kept like the others'.
    async fn counts(
        &mut self,
        db: &Db,
        cycle: &CycleRow,
        view: &View<'_>,
    ) -> Result<CycleCounts, AppError> {
        let reports = cycle_counts::reports(db, cycle.id).await?;
        let entry = format!("{}/{cycle:?}", reports.revision());
        self.walk(db, cycle, view, reports, entry).await
    }

    async fn walk(
        &mut self,
        db: &Db,
        cycle: &CycleRow,
        view: &View<'_>,
        reports: Arc<Reports>,
        entry: String,
    ) -> Result<CycleCounts, AppError> {
        let (scope, as_of, today) = (self.scope, self.as_of, self.today);
        let counts = cycle_counts(db, cycle, view, scope, as_of, today, reports).await?;
        self.used.insert(entry, counts.total.clone());
        Ok(counts)
    }

    /// Keeps the totals used by this view, in place of those held before.
    fn keep(self, db: &Db) {
        let size = self.used.len() * 160;
        db.memo().put_sized(self.key, Arc::new(self.used), size);
    }
}

fn figure(cycle: &CycleRow, counts: CompletenessRow) -> CycleFigure {
    CycleFigure {
        id: cycle.id,
        title: cycle.title.clone(),
        period_vi: cycle.period.label_vi(),
        period_en: cycle.period.label_en(),
        due: cycle.dates.due,
        on_time_until: cycle.dates.on_time_until,
        counts,
        previous: None,
    }
}

/// The cycle a dashboard shows in detail when none is asked for: the open one due soonest,
/// else the one due last.
fn pick_featured(cycles: &[CycleRow], as_of: NaiveDate) -> Option<i64> {
    cycles
        .iter()
        .filter(|c| c.dates.due >= as_of)
        .min_by_key(|c| c.dates.due)
        .or_else(|| cycles.iter().max_by_key(|c| c.dates.due))
        .map(|c| c.id)
}

/// Every figure of the dashboard for `query` over `scope`. Requests for the same view that
/// arrive while it is being computed share that computation, unless a change was heard in
/// between: on a deadline day many open dashboards ask at once after every submission.
pub async fn dashboard(
    db: &Db,
    query: &DashboardQuery,
    scope: &Scope,
    scope_name: String,
    today: NaiveDate,
) -> Result<Dashboard, AppError> {
    let key = format!(
        "dashboard/{}/{scope:?}/{query:?}/{today}/{scope_name}",
        db.changes().generation()
    );
    db.in_flight()
        .share(key, compute(db, query, scope, scope_name.clone(), today))
        .await
}

async fn compute(
    db: &Db,
    query: &DashboardQuery,
    scope: &Scope,
    scope_name: String,
    today: NaiveDate,
) -> Result<Dashboard, AppError> {
    let as_of = query.as_of.unwrap_or(today).min(today);
    let year = query.year.unwrap_or_else(|| {
        use chrono::Datelike;
        as_of.year()
    });
    let context = Context::load(db, query, scope, as_of, today).await?;
    let areas = areas(db, context.grouping_day, today, scope).await?;
    let area = match query.area {
        Some(id) => Some(
            areas
                .iter()
                .find(|a| a.id == id)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let view = context.view(query);
    let facts = &context.facts;
    let schools = facts
        .iter()
        .filter(|(id, f)| f.is_school && f.exists_on(as_of) && view.includes(**id))
        .count() as i64;

    // Report cycles of the year.
    let all_cycles = super::reports::cycles(db).await?;
    let mut year_cycles: Vec<CycleRow> = all_cycles
        .iter()
        .filter(|c| c.period.year() == year && c.dates.due - Duration::days(120) <= as_of)
        .cloned()
        .collect();
    year_cycles.sort_by_key(|c| (c.dates.due, c.id));
    let featured_id = query
        .cycle
        .filter(|id| year_cycles.iter().any(|c| c.id == *id))
        .or_else(|| pick_featured(&year_cycles, as_of));
    let mut cycles = Vec::with_capacity(year_cycles.len());
    let mut featured_units = None;
    let mut totals = CycleTotals::load(db, &context, scope, as_of, today);
    for cycle in &year_cycles {
        let mut fig = if Some(cycle.id) == featured_id {
            let counts = totals.counts(db, cycle, &view).await?;
            let fig = figure(cycle, counts.total.clone());
            featured_units = Some((cycle.clone(), counts));
            fig
        } else {
            let total = totals.total(db, cycle, &view).await?;
            figure(cycle, total)
        };
        let previous = all_cycles
            .iter()
            .filter(|c| {
                c.template == cycle.template
                    && c.period.kind_code() == cycle.period.kind_code()
                    && c.dates.due < cycle.dates.due
            })
            .max_by_key(|c| c.dates.due);
        if let Some(previous) = previous {
            let before = totals.total(db, previous, &view).await?;
            fig.previous = Some(before);
        }
        cycles.push(fig);
    }
    totals.keep(db);

    // Plans issued in the year, as deployed by the units in view.
    let coverage = plan_coverage(db, year, as_of, &view, &context).await?;
    let plans = coverage.figures.clone();
    let received = &coverage.received;

    // The featured cycle: its curve, who is missing, and the breakdown.
    let mut featured = None;
    if let Some((cycle, counts)) = &featured_units {
        let mut firsts: Vec<NaiveDate> = counts
            .units
            .iter()
            .filter_map(|u| counts.report(*u))
            .filter(|r| counted(r, as_of, today))
            .filter_map(|r| r.first_submitted_on.as_deref())
            .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .collect();
        firsts.sort_unstable();
        let curve = curve(&firsts, cycle.dates.due, as_of);
        let mut missing: Vec<(i64, ReportStatus)> = counts
            .units
            .iter()
            .map(|u| (*u, counts.report(*u)))
            .filter(|(_, r)| !r.is_some_and(|r| counted(r, as_of, today)))
            .map(|(u, r)| (u, r.map_or(ReportStatus::Missing, |r| r.status)))
            .collect();
        let late_total = missing.len() as i64;
        missing.sort_unstable_by_key(|(u, _)| (view.area_of(*u), *u));
        missing.truncate(LATE_SHOWN);
        let mut ids: Vec<i64> = missing.iter().map(|(u, _)| *u).collect();
        ids.extend(missing.iter().filter_map(|(u, _)| view.area_of(*u)));
        let refs = super::plans::unit_refs(db, &ids).await?;
        let late = missing
            .into_iter()
            .map(|(unit, status)| LateUnit {
                unit: refs.get(&unit).cloned().unwrap_or_else(|| unknown(unit)),
                area: view
                    .area_of(unit)
                    .and_then(|a| refs.get(&a))
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
                status,
            })
            .collect();
        let fig = cycles
            .iter()
            .find(|c| c.id == cycle.id)
            .cloned()
            .unwrap_or_else(|| figure(cycle, CompletenessRow::default()));
        featured = Some(FeaturedCycle {
            figure: fig,
            curve,
            late,
            late_total,
        });
    }

    // The breakdown: by area, or by school inside the area drilled into.
    let rows = match &area {
        None => {
            let mut rows: Vec<BreakdownRow> = areas
                .iter()
                .map(|a| BreakdownRow {
                    unit: a.clone(),
                    is_school: false,
                    report: CompletenessRow {
                        label: a.name.clone(),
                        ..CompletenessRow::default()
                    },
                    status: None,
                    plan_recipients: 0,
                    plan_received: 0,
                })
                .collect();
            let at: HashMap<i64, usize> =
                areas.iter().enumerate().map(|(k, a)| (a.id, k)).collect();
            if let Some((cycle, counts)) = &featured_units {
                for unit in &counts.units {
                    if let Some(k) = view.area_of(*unit).and_then(|a| at.get(&a)) {
                        let report = counts.report(*unit);
                        tally(&mut rows[*k].report, report, cycle, as_of, today);
                    }
                }
            }
            for (unit, (got, reported)) in received {
                if let Some(k) = view.area_of(*unit).and_then(|a| at.get(&a)) {
                    rows[*k].plan_recipients += got;
                    rows[*k].plan_received += reported;
                }
            }
            rows.retain(|r| r.report.expected > 0 || r.plan_recipients > 0);
            rows
        }
        Some(_) => {
            let mut ids: Vec<i64> = facts
                .iter()
                .filter(|(id, f)| f.is_school && f.exists_on(as_of) && view.includes(**id))
                .map(|(id, _)| *id)
                .collect();
            ids.sort_unstable();
            let refs = super::plans::unit_refs(db, &ids).await?;
            let mut rows: Vec<BreakdownRow> = ids
                .iter()
                .map(|id| {
                    let unit = refs.get(id).cloned().unwrap_or_else(|| unknown(*id));
                    let mut report = CompletenessRow {
                        label: unit.name.clone(),
                        ..CompletenessRow::default()
                    };
                    let mut status = None;
                    let featured = featured_units
                        .as_ref()
                        .filter(|(_, counts)| counts.expected.units.contains_key(id));
                    if let Some((cycle, counts)) = featured {
                        let r = counts.report(*id);
                        tally(&mut report, r, cycle, as_of, today);
                        status = Some(r.map_or(ReportStatus::Missing, |r| {
                            if counted(r, as_of, today) || as_of >= today {
                                r.status
                            } else {
                                ReportStatus::Draft
                            }
                        }));
                    }
                    let (got, reported) = received.get(id).copied().unwrap_or_default();
                    BreakdownRow {
                        unit,
                        is_school: true,
                        report,
                        status,
                        plan_recipients: got,
                        plan_received: reported,
                    }
                })
                .collect();
            rows.sort_by(|a, b| a.unit.name.cmp(&b.unit.name));
            rows
        }
    };

    let map = if area.is_none() {
        map(db, &areas).await?
    } else {
        None
    };
    let mut years: Vec<i32> = all_cycles.iter().map(|c| c.period.year()).collect();
    years.push(year);
    years.sort_unstable();
    years.dedup();
    years.reverse();

    let mut query = query.clone();
    query.year = Some(year);
    // Model schools and the safety standard of the year: a few rows per area.
    let stages: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT unit_id, programme, stage FROM assessments
         WHERE year = $1 AND programme IN ('model_school', 'safety_standard')",
    )
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    let in_view = |programme: &str| -> Vec<crate::recognition::Stage> {
        stages
            .iter()
            .filter(|(unit, p, _)| p == programme && view.includes(*unit))
            .filter_map(|(_, _, stage)| crate::recognition::Stage::from_code(stage))
            .collect()
    };
    let recognition = crate::dashboard::RecognitionFigure::from_stages(
        in_view("model_school"),
        in_view("safety_standard"),
    );

    // Models run in the view by the as-of day, with the year's reviews.
    let runs: Vec<(i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT r.unit_id, v.rating, v.replicate FROM model_runs r
         LEFT JOIN model_reviews v ON v.run_id = r.id AND v.year = $1
         WHERE r.started_on <= $2",
    )
    .bind(i64::from(year))
    .bind(super::iso(as_of))
    .fetch_all(db.pool())
    .await?;
    let mut models = crate::dashboard::ModelsFigure::default();
    let mut running = std::collections::HashSet::new();
    for (unit, rating, replicate) in runs.iter().filter(|r| view.includes(r.0)) {
        running.insert(*unit);
        models.runs += 1;
        models.reviewed += i64::from(rating.is_some());
        models.good += i64::from(rating.as_deref() == Some("good"));
        models.replicate += i64::from(*replicate == Some(1));
    }
    models.schools = running.len() as i64;
    // Emulation and awards of the year.
    let registered: Vec<(i64, String)> =
        sqlx::query_as("SELECT unit_id, status FROM emulation_registrations WHERE year = $1")
            .bind(i64::from(year))
            .fetch_all(db.pool())
            .await?;
    let nominated: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT unit_id, decision_id FROM nominations WHERE year = $1")
            .bind(i64::from(year))
            .fetch_all(db.pool())
            .await?;
    let mut emulation = crate::dashboard::EmulationFigure::default();
    for (_, status) in registered.iter().filter(|r| view.includes(r.0)) {
        emulation.registered += 1;
        emulation.approved += i64::from(status == "approved");
    }
    for (_, decision) in nominated.iter().filter(|n| view.includes(n.0)) {
        emulation.nominated += 1;
        emulation.awarded += i64::from(decision.is_some());
    }

    Ok(Dashboard {
        query,
        year,
        as_of,
        computed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        scope_name,
        area,
        areas,
        years,
        schools,
        cycles,
        featured,
        plans,
        rows,
        map,
        recognition,
        models,
        emulation,
    })
}

fn unknown(id: i64) -> UnitRef {
    UnitRef {
        id,
        code: String::new(),
        name: format!("#{id}"),
    }
}

/// Reports in by each day, from a little before the first submission (or a month before
/// the deadline) to the deadline, or to the as-of day when that is later.
fn curve(firsts: &[NaiveDate], due: NaiveDate, as_of: NaiveDate) -> Vec<CurvePoint> {
    let start = firsts
        .first()
        .copied()
        .unwrap_or(due)
        .min(due - Duration::days(30));
    let last = firsts.last().copied().unwrap_or(due);
    let end = due.max(last).max(as_of.min(due + Duration::days(60)));
    let mut points = Vec::new();
    let mut k = 0;
    let mut day = start;
    while day <= end {
        while k < firsts.len() && firsts[k] <= day {
            k += 1;
        }
        points.push(CurvePoint {
            day,
            submitted: k as i64,
        });
        day += Duration::days(1);
    }
    points
}

// The map

/// The outlines of `areas`, projected into the map's box; `None` when none has one. Kept
/// while the areas and the stored outlines are unchanged.
async fn map(db: &Db, areas: &[UnitRef]) -> Result<Option<MapShape>, AppError> {
    if areas.is_empty() {
        return Ok(None);
    }
    let (stored, last): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MAX(updated_at) FROM area_boundaries")
            .fetch_one(db.pool())
            .await?;
    let list: Vec<String> = areas.iter().map(|a| a.id.to_string()).collect();
    let key = format!("map/{stored}/{last:?}/{}", list.join(","));
    if let Some(found) = db.memo().get::<Option<MapShape>>(&key) {
        return Ok((*found).clone());
    }
    let sql = format!(
        "SELECT unit_id, geometry FROM area_boundaries WHERE unit_id IN ({})",
        list.join(", ")
    );
    let rows: Vec<(i64, String)> = sqlx::query_as(&sql).fetch_all(db.pool()).await?;
    let mut shapes = Vec::new();
    for (id, geometry) in rows {
        let Some(area) = areas.iter().find(|a| a.id == id) else {
            continue;
        };
        match crate::dashboard::charts::rings_of(&geometry) {
            Ok(rings) => shapes.push((area.clone(), rings)),
            Err(err) => tracing::warn!(area = id, %err, "an unreadable area outline"),
        }
    }
    let shape = crate::dashboard::charts::project(shapes);
    let size = shape
        .as_ref()
        .map_or(0, |s| s.areas.iter().map(|a| a.path.len() + 96).sum());
    db.memo().put_sized(key, Arc::new(shape.clone()), size);
    Ok(shape)
}

/// The units of the view whose report of `cycle` is not in today.
pub async fn late_units(
    db: &Db,
    cycle: &CycleRow,
    query: &DashboardQuery,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Vec<i64>, AppError> {
    let context = Context::load(db, query, scope, today, today).await?;
    let view = context.view(query);
    let reports = cycle_counts::reports(db, cycle.id).await?;
    let counts = cycle_counts(db, cycle, &view, scope, today, today, reports).await?;
    let mut units: Vec<i64> = counts
        .units
        .iter()
        .copied()
        .filter(|u| !counts.report(*u).is_some_and(Report::counted))
        .collect();
    units.sort_unstable();
    Ok(units)
}

/// Stores the outlines of a GeoJSON FeatureCollection, each feature naming its area by code
/// in `properties.code` (or `ma`). Nothing is stored unless every feature is right.
pub async fn put_boundaries(db: &Db, geojson: &str, today: NaiveDate) -> Result<usize, AppError> {
    let invalid = |m: String| AppError::Invalid(m);
    let value: serde_json::Value = serde_json::from_str(geojson)
        .map_err(|_| invalid("Tệp không phải GeoJSON hợp lệ.".into()))?;
    let features = match value.get("type").and_then(|t| t.as_str()) {
        Some("FeatureCollection") => value
            .get("features")
            .and_then(|f| f.as_array())
            .ok_or_else(|| invalid("FeatureCollection không có mảng features.".into()))?,
        _ => {
            return Err(invalid(
                "Tệp phải là một FeatureCollection, mỗi Feature là một khu vực.".into(),
            ))
        }
    };
    if features.is_empty() {
        return Err(invalid("Tệp không có khu vực nào.".into()));
    }
    let mut conn = db.pool().acquire().await?;
    let mut found = Vec::with_capacity(features.len());
    for (k, feature) in features.iter().enumerate() {
        let properties = feature.get("properties");
        let code = ["code", "ma", "ma_don_vi"]
            .iter()
            .find_map(|key| properties.and_then(|p| p.get(*key)))
            .and_then(|c| match c {
                serde_json::Value::String(s) => Some(s.trim().to_string()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .ok_or_else(|| {
                invalid(format!(
                    "Khu vực thứ {} không có mã (properties.code).",
                    k + 1
                ))
            })?;
        let geometry = feature
            .get("geometry")
            .ok_or_else(|| invalid(format!("Khu vực mã “{code}” không có geometry.")))?;
        crate::dashboard::charts::rings_of_value(geometry)
            .map_err(|m| invalid(format!("Khu vực mã “{code}”: {m}.")))?;
        let sql = format!(
            "SELECT u.id FROM units u WHERE u.code = $1 AND u.kind = 'area' AND {}",
            super::org::exists_at("u", "$2")
        );
        let id: Option<(i64,)> = sqlx::query_as(&sql)
            .bind(&code)
            .bind(iso(today))
            .fetch_optional(&mut *conn)
            .await?;
        let id = match id {
            Some((id,)) => id,
            // Districts closed on 01/07/2025 keep their outlines for the older grouping.
            None => sqlx::query_as::<_, (i64,)>(
                "SELECT id FROM units WHERE code = $1 AND kind = 'area'",
            )
            .bind(&code)
            .fetch_optional(&mut *conn)
            .await?
            .map(|(id,)| id)
            .ok_or_else(|| invalid(format!("Không có khu vực nào mã “{code}”.")))?,
        };
        found.push((id, geometry.to_string()));
    }
    drop(conn);
    let mut tx = db.pool().begin().await?;
    for (id, geometry) in &found {
        put_boundary(&mut tx, *id, geometry).await?;
    }
    tx.commit().await?;
    Ok(found.len())
}

/// Stores the outline of an area (a GeoJSON geometry, already checked), replacing any.
pub async fn put_boundary(
    conn: &mut sqlx::AnyConnection,
    area: i64,
    geometry: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO area_boundaries (unit_id, geometry, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (unit_id) DO UPDATE SET geometry = $2, updated_at = $3",
    )
    .bind(area)
    .bind(geometry)
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::on_or_before;
    use chrono::NaiveDate;

    #[test]
    fn stored_days_compare_as_days() {
        let day = NaiveDate::from_ymd_opt(2025, 10, 5).unwrap_or_default();
        assert!(on_or_before("2025-10-05", day));
        assert!(on_or_before("2025-09-30", day));
        assert!(!on_or_before("2025-10-06", day));
        assert!(!on_or_before("2026-01-01", day));
    }
}
