//! What a cycle's completeness and roll-up are counted from, kept in memory between calls.
//!
//! - Who was expected, each with the group it counts in (area, levels, ownership): it changes
//!   only with the organisation, so it is kept under the organisation's revision.
//! - Each unit's report (status, first submission day, numbers): every insert or status
//!   change stamps the report with the cycle's next revision (triggers, migrations 0008 and
//!   0009), so the copy in memory is brought up to date by reading only the reports stamped
//!   after it, one or two rows after a submission instead of the whole cycle.
//!
//! Counting is then a walk over the expected units in memory.

use super::org::Scope;
use super::{iso, organisation_revision, Db};
use crate::error::AppError;
use crate::org::UnitRef;
use crate::reports::ReportStatus;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;

/// The group a unit counts in: its area (none when the department manages it directly),
/// its levels as stored, and its ownership.
pub(super) type Group = (Option<i64>, String, Option<String>);

/// The expected units of a cycle within a scope, with their groups, and the names of the
/// areas those groups name.
pub(super) struct Expected {
    pub units: HashMap<i64, Arc<Group>>,
    pub areas: HashMap<i64, UnitRef>,
}

/// One unit's report as the counts see it.
#[derive(Clone)]
pub(super) struct Report {
    pub status: ReportStatus,
    pub first_submitted_on: Option<String>,
    /// The numbers of the last submission, by the position of their key in
    /// `Reports::fields`.
    pub values: Vec<Option<f64>>,
}

impl Report {
    /// Whether it counts as in: submitted or accepted.
    pub fn counted(&self) -> bool {
        matches!(
            self.status,
            ReportStatus::Submitted | ReportStatus::Accepted
        )
    }
}

/// Every report of a cycle, by unit, as of a revision of the cycle.
#[derive(Clone, Default)]
pub(super) struct Reports {
    revision: i64,
    /// The field keys seen in the cycle's numbers, in the order `Report::values` uses.
    fields: Vec<String>,
    pub by_unit: HashMap<i64, Report>,
}

impl Reports {
    /// The cycle's revision these reports are as of.
    pub fn revision(&self) -> i64 {
        self.revision
    }

    /// Where each of `keys` is in the reports' values (`None`: no report gave it).
    pub fn positions(&self, keys: &[&str]) -> Vec<Option<usize>> {
        keys.iter()
            .map(|k| self.fields.iter().position(|f| f == k))
            .collect()
    }
}

/// The units `cycle` expects within `scope`, from the memo while the organisation is
/// unchanged.
pub(super) async fn expected(
    db: &Db,
    cycle: &super::reports::CycleRow,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Arc<Expected>, AppError> {
    let day = cycle.reference_day(today);
    let key = format!(
        "expected/{}/{}/{day}/{today}/{scope:?}/{:?}",
        cycle.id,
        organisation_revision(db).await?,
        cycle.audience
    );
    if let Some(expected) = db.memo().get::<Expected>(&key) {
        return Ok(expected);
    }

    let sql = format!(
        "SELECT u.id, {area}, u.levels, u.ownership FROM units u {join}
         WHERE {expected} AND {scope}",
        area = super::reports::AREA_OF,
        join = super::reports::area_join("u", "$1"),
        expected = super::reports::expected_sql("u", cycle, today),
        scope = scope.sql("u", today),
    );
    type Row = (i64, Option<i64>, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(iso(day))
        .fetch_all(db.pool())
        .await?;
    // Units of one group share it.
    let mut groups: HashMap<Group, Arc<Group>> = HashMap::new();
    let mut units = HashMap::with_capacity(rows.len());
    for (unit, area, levels, ownership) in rows {
        let group = (area, levels.unwrap_or_default(), ownership);
        let shared = groups
            .entry(group.clone())
            .or_insert_with(|| Arc::new(group))
            .clone();
        units.insert(unit, shared);
    }
    let mut area_ids: Vec<i64> = groups.keys().filter_map(|g| g.0).collect();
    area_ids.sort_unstable();
    area_ids.dedup();
    let areas = super::plans::unit_refs(db, &area_ids).await?;
    let size = units.len() * 48 + groups.len() * 64 + areas.len() * 128;
    let expected = Arc::new(Expected { units, areas });
    db.memo().put_sized(key, expected.clone(), size);
    Ok(expected)
}

/// Every report of `cycle` with its numbers, brought up to date from the reports stamped
/// since the copy in the memo.
pub(super) async fn reports(db: &Db, cycle: i64) -> Result<Arc<Reports>, AppError> {
    let (revision,): (i64,) = sqlx::query_as("SELECT revision FROM report_cycles WHERE id = $1")
        .bind(cycle)
        .fetch_one(db.pool())
        .await?;
    let key = format!("reports/{cycle}");
    let held = db.memo().get::<Reports>(&key);
    if let Some(held) = held.as_ref().filter(|r| r.revision >= revision) {
        return Ok(held.clone());
    }
    let mut reports = held.map(|r| (*r).clone()).unwrap_or_else(|| Reports {
        revision: -1,
        ..Reports::default()
    });
    let since = reports.revision;
    let changed: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT unit_id, status, first_submitted_on FROM report_submissions
         WHERE cycle_id = $1 AND revision > $2",
    )
    .bind(cycle)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    let numbers: Vec<(i64, String, f64)> = sqlx::query_as(
        "SELECT s.unit_id, n.field_key, n.value
         FROM report_submissions s JOIN report_numbers n ON n.submission_id = s.id
         WHERE s.cycle_id = $1 AND s.revision > $2",
    )
    .bind(cycle)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    for (unit, status, first_submitted_on) in changed {
        let Some(status) = ReportStatus::from_code(&status) else {
            continue;
        };
        reports.by_unit.insert(
            unit,
            Report {
                status,
                first_submitted_on,
                values: Vec::new(),
            },
        );
    }
    for (unit, field, value) in numbers {
        let at = match reports.fields.iter().position(|f| *f == field) {
            Some(at) => at,
            None => {
                reports.fields.push(field);
                reports.fields.len() - 1
            }
        };
        if let Some(report) = reports.by_unit.get_mut(&unit) {
            if report.values.len() <= at {
                report.values.resize(at + 1, None);
            }
            report.values[at] = Some(value);
        }
    }
    // Whatever was read past `revision` is read again next time, which changes nothing.
    reports.revision = revision;
    let size: usize = reports
        .by_unit
        .values()
        .map(|r| 96 + r.values.len() * 16)
        .sum();
    let reports = Arc::new(reports);
    db.memo().put_sized(key, reports.clone(), size);
    Ok(reports)
}
