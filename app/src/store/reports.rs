//! SQL for periodic reports. Who must report in a cycle is never stored: it is the cycle's
//! audience resolved on the day that matters (the deadline, or today before it), so a school
//! opened, closed or merged during the period counts as it stood, and completeness only
//! counts reports of units that were expected, which keeps it at or below 100%.

use super::changes::Change;
use super::org::Scope;
use super::plans::{audience_sql, unit_refs};
use super::{iso, now_text, parse_date, Db};
use crate::dashboard::Topic;
use crate::error::AppError;
use crate::org::{decode_levels, Ownership, SchoolLevel, UnitRef};
use crate::plans::Audience;
use crate::reports::{
    number_of, Aggregate, Answers, Completeness, CompletenessRow, CycleDates, CycleSummary, Field,
    FileInfo, MyReport, NewCycle, Period, QueueItem, ReportEvent, ReportSave, ReportStatus, Review,
    Rollup, RollupColumn, RollupRow, Template, UnitStatus,
};
use chrono::{Duration, NaiveDate};
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, HashMap};

fn json_error(e: serde_json::Error) -> AppError {
    tracing::error!(error = %e, "stored report JSON unreadable");
    AppError::Internal
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(json_error)
}

pub(super) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(json_error)
}

// Templates

/// Saves a template as the next version of `code` (version 1 for a new code).
pub async fn insert_template(
    conn: &mut AnyConnection,
    code: &str,
    name: &str,
    fields: &[Field],
) -> Result<Template, AppError> {
    let (latest,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM report_templates WHERE code = $1")
            .bind(code)
            .fetch_one(&mut *conn)
            .await?;
    let version = latest.unwrap_or(0) + 1;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO report_templates (code, version, name, fields, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(code)
    .bind(version)
    .bind(name)
    .bind(to_json(&fields)?)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Template {
        id,
        code: code.to_string(),
        version,
        name: name.to_string(),
        fields: fields.to_vec(),
    })
}

type TemplateTuple = (i64, String, i64, String, String);

fn template_from(t: TemplateTuple) -> Result<Template, AppError> {
    Ok(Template {
        id: t.0,
        code: t.1,
        version: t.2,
        name: t.3,
        fields: from_json(&t.4)?,
    })
}

pub async fn template(db: &Db, id: i64) -> Result<Template, AppError> {
    let row: TemplateTuple = sqlx::query_as(
        "SELECT id, code, version, name, fields FROM report_templates WHERE id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    template_from(row)
}

/// The newest version of every template, by name.
pub async fn templates(db: &Db) -> Result<Vec<Template>, AppError> {
    let rows: Vec<TemplateTuple> = sqlx::query_as(
        "SELECT t.id, t.code, t.version, t.name, t.fields FROM report_templates t
         WHERE t.version = (SELECT MAX(v.version) FROM report_templates v WHERE v.code = t.code)
         ORDER BY t.name",
    )
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(template_from).collect()
}

// Cycles

/// A cycle as stored.
#[derive(Debug, Clone)]
pub struct CycleRow {
    pub id: i64,
    pub template: i64,
    pub title: String,
    pub period: Period,
    pub dates: CycleDates,
    pub audience: Audience,
    pub plan: Option<i64>,
    pub reminder_days: Vec<i64>,
}

impl CycleRow {
    /// The day whose tree says who must report: the deadline, or today while it is ahead.
    pub fn reference_day(&self, today: NaiveDate) -> NaiveDate {
        today.min(self.dates.due)
    }

    /// Whether a unit can no longer change its report by itself.
    pub fn locked(&self, today: NaiveDate, reopened_until: Option<NaiveDate>) -> bool {
        today >= self.dates.locks_on && reopened_until.is_none_or(|d| today > d)
    }
}

const CYCLE_COLUMNS: &str = "c.id, c.template_id, c.title, c.period, c.due_on, c.on_time_until,
     c.locks_on, c.audience, c.plan_id, c.reminder_days";

type CycleTuple = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
);

fn cycle_from(t: CycleTuple) -> Result<CycleRow, AppError> {
    Ok(CycleRow {
        id: t.0,
        template: t.1,
        title: t.2,
        period: from_json(&t.3)?,
        dates: CycleDates {
            due: parse_date(&t.4)?,
            on_time_until: parse_date(&t.5)?,
            locks_on: parse_date(&t.6)?,
        },
        audience: from_json(&t.7)?,
        plan: t.8,
        reminder_days: t
            .9
            .split(',')
            .filter_map(|d| d.trim().parse().ok())
            .collect(),
    })
}

pub async fn create_cycle(
    conn: &mut AnyConnection,
    cycle: &NewCycle,
    dates: CycleDates,
    user: i64,
) -> Result<i64, AppError> {
    let days: Vec<String> = cycle.reminder_days.iter().map(i64::to_string).collect();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO report_cycles (template_id, title, period, year, due_on, on_time_until,
             locks_on, audience, plan_id, reminder_days, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(cycle.template)
    .bind(cycle.title.trim())
    .bind(to_json(&cycle.period)?)
    .bind(i64::from(cycle.period.year()))
    .bind(iso(dates.due))
    .bind(iso(dates.on_time_until))
    .bind(iso(dates.locks_on))
    .bind(to_json(&cycle.audience)?)
    .bind(cycle.plan)
    .bind(days.join(","))
    .bind(user)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn cycle(db: &Db, id: i64) -> Result<CycleRow, AppError> {
    let sql = format!("SELECT {CYCLE_COLUMNS} FROM report_cycles c WHERE c.id = $1");
    let row: CycleTuple = sqlx::query_as(&sql).bind(id).fetch_one(db.pool()).await?;
    cycle_from(row)
}

pub async fn cycles(db: &Db) -> Result<Vec<CycleRow>, AppError> {
    let sql =
        format!("SELECT {CYCLE_COLUMNS} FROM report_cycles c ORDER BY c.due_on DESC, c.id DESC");
    let rows: Vec<CycleTuple> = sqlx::query_as(&sql).fetch_all(db.pool()).await?;
    rows.into_iter().map(cycle_from).collect()
}

/// SQL true for units `alias` expected to report in the cycle, as of its reference day.
pub(super) fn expected_sql(alias: &str, cycle: &CycleRow, today: NaiveDate) -> String {
    audience_sql(alias, &cycle.audience, cycle.reference_day(today))
}

/// The cycles with how many of the expected units within `scope` have reported.
pub async fn list_cycles(
    db: &Db,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Vec<CycleSummary>, AppError> {
    let names: HashMap<i64, String> =
        sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM report_templates")
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .collect();
    let mut out = Vec::new();
    for cycle in cycles(db).await? {
        let sql = format!(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN s.status IN ('submitted', 'accepted')
                                            THEN 1 ELSE 0 END), 0)
             FROM units u LEFT JOIN report_submissions s ON s.unit_id = u.id AND s.cycle_id = $1
             WHERE {} AND {}",
            expected_sql("u", &cycle, today),
            scope.sql("u", today)
        );
        let (expected, submitted): (i64, i64) = sqlx::query_as(&sql)
            .bind(cycle.id)
            .fetch_one(db.pool())
            .await?;
        if expected == 0 && *scope != Scope::All {
            continue;
        }
        out.push(CycleSummary {
            id: cycle.id,
            template: names.get(&cycle.template).cloned().unwrap_or_default(),
            title: cycle.title,
            period: cycle.period,
            dates: cycle.dates,
            expected,
            submitted,
        });
    }
    Ok(out)
}

/// Whether `unit` must report in the cycle.
pub async fn is_expected(
    db: &Db,
    cycle: &CycleRow,
    unit: i64,
    today: NaiveDate,
) -> Result<bool, AppError> {
    let sql = format!(
        "SELECT COUNT(*) FROM units u WHERE u.id = $1 AND {}",
        expected_sql("u", cycle, today)
    );
    let (n,): (i64,) = sqlx::query_as(&sql).bind(unit).fetch_one(db.pool()).await?;
    Ok(n > 0)
}

/// The reports `units` owe, newest deadline first.
pub async fn my_reports(
    db: &Db,
    units: &[i64],
    today: NaiveDate,
) -> Result<Vec<MyReport>, AppError> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = units.iter().map(i64::to_string).collect();
    let mut out = Vec::new();
    for cycle in cycles(db).await? {
        let sql = format!(
            "SELECT u.id, s.status, s.first_submitted_on, s.reopened_until FROM units u
             LEFT JOIN report_submissions s ON s.unit_id = u.id AND s.cycle_id = $1
             WHERE u.id IN ({}) AND {}",
            ids.join(", "),
            expected_sql("u", &cycle, today)
        );
        type Row = (i64, Option<String>, Option<String>, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(&sql)
            .bind(cycle.id)
            .fetch_all(db.pool())
            .await?;
        let refs = unit_refs(db, &rows.iter().map(|r| r.0).collect::<Vec<_>>()).await?;
        for (unit, status, first, reopened) in rows {
            let reopened = reopened.as_deref().map(parse_date).transpose()?;
            let status = status
                .as_deref()
                .and_then(ReportStatus::from_code)
                .unwrap_or(ReportStatus::Missing);
            out.push(MyReport {
                cycle: cycle.id,
                title: cycle.title.clone(),
                dates: cycle.dates,
                unit: refs.get(&unit).cloned().unwrap_or(UnitRef {
                    id: unit,
                    code: String::new(),
                    name: String::new(),
                }),
                status,
                on_time: on_time(&cycle, first.as_deref())?,
                locked: cycle.locked(today, reopened),
                days_left: (cycle.dates.due - today).num_days(),
            });
        }
    }
    Ok(out)
}

fn on_time(cycle: &CycleRow, first_submitted: Option<&str>) -> Result<Option<bool>, AppError> {
    Ok(match first_submitted {
        Some(day) => Some(parse_date(day)? <= cycle.dates.on_time_until),
        None => None,
    })
}

// Submissions

/// A unit's submission as stored.
#[derive(Debug, Clone)]
pub struct SubmissionRow {
    pub id: i64,
    pub status: ReportStatus,
    pub version: i64,
    pub answers: Answers,
    pub submit_key: Option<String>,
    pub first_submitted_on: Option<String>,
    pub review_comment: String,
    pub reopened_until: Option<NaiveDate>,
    pub updated_at: String,
}

type SubmissionTuple = (
    i64,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
);

pub async fn submission(
    conn: &mut AnyConnection,
    cycle: i64,
    unit: i64,
) -> Result<Option<SubmissionRow>, AppError> {
    let row: Option<SubmissionTuple> = sqlx::query_as(
        "SELECT id, status, version, answers, submit_key, first_submitted_on, review_comment,
                reopened_until, updated_at
         FROM report_submissions WHERE cycle_id = $1 AND unit_id = $2",
    )
    .bind(cycle)
    .bind(unit)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|t| {
        Ok(SubmissionRow {
            id: t.0,
            status: ReportStatus::from_code(&t.1).ok_or(AppError::Internal)?,
            version: t.2,
            answers: from_json(&t.3)?,
            submit_key: t.4,
            first_submitted_on: t.5,
            review_comment: t.6,
            reopened_until: t.7.as_deref().map(parse_date).transpose()?,
            updated_at: t.8,
        })
    })
    .transpose()
}

pub async fn submission_of(
    db: &Db,
    cycle: i64,
    unit: i64,
) -> Result<Option<SubmissionRow>, AppError> {
    let mut conn = db.pool().acquire().await?;
    submission(&mut conn, cycle, unit).await
}

async fn add_event(
    conn: &mut AnyConnection,
    submission: i64,
    event: &str,
    comment: &str,
    user: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO report_events (submission_id, event, comment, user_id, at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(submission)
    .bind(event)
    .bind(comment)
    .bind(user)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The row of a unit's report, created as an empty draft when there is none yet.
async fn ensure_submission(
    conn: &mut AnyConnection,
    cycle: i64,
    unit: i64,
    user: i64,
) -> Result<SubmissionRow, AppError> {
    if let Some(row) = submission(conn, cycle, unit).await? {
        return Ok(row);
    }
    // Two devices may start the same report at once: the second insert does nothing.
    sqlx::query(
        "INSERT INTO report_submissions (cycle_id, unit_id, status, version, answers,
             updated_by, updated_at)
         VALUES ($1, $2, 'draft', 0, '{}', $3, $4) ON CONFLICT (cycle_id, unit_id) DO NOTHING",
    )
    .bind(cycle)
    .bind(unit)
    .bind(user)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    submission(conn, cycle, unit)
        .await?
        .ok_or(AppError::Internal)
}

fn not_editable(status: ReportStatus) -> AppError {
    AppError::Invalid(match status {
        ReportStatus::Accepted => "Báo cáo đã được duyệt và khóa; không sửa được nữa.".into(),
        _ => "Báo cáo đã nộp, đang chờ duyệt; không sửa được nữa.".into(),
    })
}

/// Saves the answers of a draft that was loaded at `version` (0: nothing saved yet).
/// Who makes a write, for its audit entry.
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub user: i64,
    pub address: &'a str,
}

/// Saves a draft's answers over `version`, with its audit entry (the answers that changed,
/// before and after) in the same transaction.
pub async fn save_answers(
    db: &Db,
    cycle: i64,
    unit: i64,
    version: i64,
    answers: &Answers,
    by: By<'_>,
) -> Result<ReportSave, AppError> {
    let user = by.user;
    let mut conn = db.pool().acquire().await?;
    let row = ensure_submission(&mut conn, cycle, unit, user).await?;
    if !matches!(row.status, ReportStatus::Draft | ReportStatus::Returned) {
        return Err(not_editable(row.status));
    }
    if row.version != version {
        return Ok(ReportSave::Conflict {
            version: row.version,
            answers: row.answers,
            saved_at: row.updated_at,
        });
    }
    let now = now_text();
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let done = sqlx::query(
        "UPDATE report_submissions SET answers = $1, version = version + 1, updated_by = $2,
             updated_at = $3
         WHERE id = $4 AND version = $5 AND status IN ('draft', 'returned')",
    )
    .bind(to_json(answers)?)
    .bind(user)
    .bind(&now)
    .bind(row.id)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done > 0 {
        let (before, after) = super::changed_entries(
            &serde_json::to_value(&row.answers).unwrap_or_default(),
            &serde_json::to_value(answers).unwrap_or_default(),
        );
        super::accounts::record_audit(
            &mut tx,
            &super::accounts::AuditEntry {
                user: Some(user),
                address: by.address,
                action: "report_save",
                entity: "report_submission",
                entity_id: row.id.to_string(),
                before: Some(before),
                after: Some(after),
            },
        )
        .await?;
    }
    tx.commit().await?;
    if done == 0 {
        // Saved or submitted from elsewhere between the read and the write.
        let row = submission(&mut conn, cycle, unit)
            .await?
            .ok_or(AppError::Internal)?;
        if !matches!(row.status, ReportStatus::Draft | ReportStatus::Returned) {
            return Err(not_editable(row.status));
        }
        return Ok(ReportSave::Conflict {
            version: row.version,
            answers: row.answers,
            saved_at: row.updated_at,
        });
    }
    Ok(ReportSave::Saved {
        version: version + 1,
        saved_at: now,
    })
}

/// What a submit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    Submitted,
    /// The same submit (same key) had already gone through: nothing changed.
    AlreadyDone,
}

/// One submit of a report, as the server function checked it.
pub struct SubmitRequest<'a> {
    pub cycle: &'a CycleRow,
    pub template: &'a Template,
    pub unit: i64,
    /// The version of the answers the form was showing.
    pub version: i64,
    pub answers: &'a Answers,
    /// Names this submit, so that a retry of it is recognised.
    pub key: &'a str,
    pub user: i64,
    /// Where the request came from, for the audit trail.
    pub address: &'a str,
    pub today: NaiveDate,
}

/// Submits a report: answers, version and status change together, the numbers are kept
/// for roll-ups, and the history and the audit trail get one entry each, all in one
/// transaction (one write for SQLite to queue, not two). A retry of the same submit (same
/// `key`) changes nothing and succeeds, so a double tap or a resend makes one submission.
pub async fn submit(db: &Db, request: SubmitRequest<'_>) -> Result<SubmitOutcome, AppError> {
    let SubmitRequest {
        cycle,
        template,
        unit,
        version,
        answers,
        key,
        user,
        address,
        today,
    } = request;
    // Reads first, outside the transaction: the transaction then starts with its write, so
    // that SQLite queues concurrent submits instead of failing one of them.
    let mut conn = db.pool().acquire().await?;
    let row = ensure_submission(&mut conn, cycle.id, unit, user).await?;
    let retried =
        |row: &SubmissionRow| row.status.is_in() && row.submit_key.as_deref() == Some(key);
    if retried(&row) {
        return Ok(SubmitOutcome::AlreadyDone);
    }
    if !matches!(row.status, ReportStatus::Draft | ReportStatus::Returned) {
        return Err(not_editable(row.status));
    }
    if row.version != version {
        return Err(AppError::Invalid(
            "Báo cáo vừa được lưu từ thiết bị khác; hãy tải lại trang để xem bản mới nhất \
             trước khi nộp."
                .into(),
        ));
    }
    let change = Change::of_unit(&mut conn, Topic::Report, unit, today)
        .await?
        .in_cycle(cycle.id);
    drop(conn);
    // The numbers and the history entry go first and the status change last: on PostgreSQL
    // the status change stamps the cycle's revision, which locks the cycle's row until the
    // commit, so every other submit of the cycle waits only for this commit. A submit that
    // lost the race rolls all of it back.
    let mut tx = db.pool().begin().await?;
    // The report's own row first: a second submit of the same report (a double tap) waits
    // here for the first to commit, then finds it done, instead of colliding on its numbers.
    sqlx::query("UPDATE report_submissions SET version = version WHERE id = $1")
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM report_numbers WHERE submission_id = $1")
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    // The numbers in one statement: inside the write, every statement is a turn that other
    // submits wait for.
    let numbers: Vec<(&str, f64)> = template
        .numeric()
        .filter_map(|field| {
            answers
                .get(&field.key)
                .and_then(|a| number_of(field, a.trim()))
                .map(|value| (field.key.as_str(), value))
        })
        .collect();
    if !numbers.is_empty() {
        let rows: Vec<String> = (0..numbers.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO report_numbers (submission_id, field_key, value) VALUES {}",
            rows.join(", ")
        );
        let mut insert = sqlx::query(&sql);
        for (key, value) in &numbers {
            insert = insert.bind(row.id).bind(*key).bind(*value);
        }
        insert.execute(&mut *tx).await?;
    }
    add_event(&mut tx, row.id, "submit", "", user).await?;
    let done = sqlx::query(
        "UPDATE report_submissions SET status = 'submitted', answers = $1, version = version + 1,
             submit_key = $2, submitted_at = $3, first_submitted_on = COALESCE(first_submitted_on, $4),
             updated_by = $5, updated_at = $3
         WHERE id = $6 AND version = $7 AND status IN ('draft', 'returned')",
    )
    .bind(to_json(answers)?)
    .bind(key)
    .bind(now_text())
    .bind(iso(today))
    .bind(user)
    .bind(row.id)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        tx.rollback().await?;
        let mut conn = db.pool().acquire().await?;
        let row = submission(&mut conn, cycle.id, unit)
            .await?
            .ok_or(AppError::Internal)?;
        return if retried(&row) {
            Ok(SubmitOutcome::AlreadyDone)
        } else {
            Err(not_editable(row.status))
        };
    }
    crate::store::accounts::record_audit(
        &mut tx,
        &crate::store::accounts::AuditEntry {
            user: Some(user),
            address,
            action: "report_submit",
            entity: "report_cycle",
            entity_id: cycle.id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "unit": unit })),
        },
    )
    .await?;
    db.commit_announcing(tx, change).await?;
    Ok(SubmitOutcome::Submitted)
}

pub(super) async fn notify_unit(
    conn: &mut AnyConnection,
    unit: i64,
    kind: &str,
    title: &str,
    link: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO notifications (unit_id, kind, title, link, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(unit)
    .bind(kind)
    .bind(title)
    .bind(link)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub fn report_link(cycle: i64, unit: i64) -> String {
    format!("/reports/{cycle}/units/{unit}")
}

/// A reviewer returns a submitted report with a comment, or accepts it (which locks it).
/// The unit is notified either way.
pub async fn review(
    db: &Db,
    cycle: &CycleRow,
    unit: i64,
    decision: Review,
    comment: &str,
    user: i64,
) -> Result<ReportStatus, AppError> {
    let Some(row) = submission_of(db, cycle.id, unit).await? else {
        return Err(AppError::Invalid("Đơn vị chưa nộp báo cáo này.".into()));
    };
    let not_waiting = |status: ReportStatus| {
        AppError::Invalid(format!(
            "Chỉ duyệt hoặc trả lại được báo cáo đang chờ duyệt (hiện: {}).",
            status.label_vi()
        ))
    };
    if row.status != ReportStatus::Submitted {
        return Err(not_waiting(row.status));
    }
    // Separation of duties: whoever sent the report in does not review it.
    let submitter: Option<(i64,)> = sqlx::query_as(
        "SELECT user_id FROM report_events WHERE submission_id = $1 AND event = 'submit'
         ORDER BY id DESC LIMIT 1",
    )
    .bind(row.id)
    .fetch_optional(db.pool())
    .await?;
    if submitter.is_some_and(|(by,)| by == user) {
        return Err(AppError::Invalid(
            "Bạn đã nộp báo cáo này nên không tự duyệt hay trả lại được: một người khác của đơn vị \
             quản lý sẽ duyệt. (You submitted this report, so another reviewer decides on it.)"
                .into(),
        ));
    }
    let (status, event, title) = match decision {
        Review::Return => (
            ReportStatus::Returned,
            "return",
            format!("Báo cáo cần bổ sung: {}", cycle.title),
        ),
        Review::Accept => (
            ReportStatus::Accepted,
            "accept",
            format!("Báo cáo đã được duyệt: {}", cycle.title),
        ),
    };
    let change = {
        let mut conn = db.pool().acquire().await?;
        Change::of_unit(&mut conn, Topic::Report, unit, crate::clock::today())
            .await?
            .in_cycle(cycle.id)
    };
    let mut tx = db.pool().begin().await?;
    let done = sqlx::query(
        "UPDATE report_submissions SET status = $1, review_comment = $2, updated_by = $3,
             updated_at = $4 WHERE id = $5 AND status = 'submitted'",
    )
    .bind(status.code())
    .bind(comment)
    .bind(user)
    .bind(now_text())
    .bind(row.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        // Another reviewer decided first.
        tx.rollback().await?;
        let now = submission_of(db, cycle.id, unit)
            .await?
            .map_or(row.status, |r| r.status);
        return Err(not_waiting(now));
    }
    add_event(&mut tx, row.id, event, comment, user).await?;
    notify_unit(&mut tx, unit, event, &title, &report_link(cycle.id, unit)).await?;
    db.commit_announcing(tx, change).await?;
    Ok(status)
}

/// Reopens a report: an accepted one goes back to the unit with the reason; one locked by
/// date opens for the unit until `until`.
pub async fn reopen(
    db: &Db,
    cycle: &CycleRow,
    unit: i64,
    reason: &str,
    user: i64,
    until: NaiveDate,
) -> Result<ReportStatus, AppError> {
    let (row, change) = {
        let mut conn = db.pool().acquire().await?;
        let row = ensure_submission(&mut conn, cycle.id, unit, user).await?;
        let change = Change::of_unit(&mut conn, Topic::Report, unit, crate::clock::today())
            .await?
            .in_cycle(cycle.id);
        (row, change)
    };
    let now = now_text();
    let mut tx = db.pool().begin().await?;
    let status = if row.status == ReportStatus::Accepted {
        sqlx::query(
            "UPDATE report_submissions SET status = 'returned', review_comment = $1,
                 reopened_until = $2, updated_by = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(reason)
        .bind(iso(until))
        .bind(user)
        .bind(&now)
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
        add_event(&mut tx, row.id, "reopen", reason, user).await?;
        ReportStatus::Returned
    } else {
        sqlx::query(
            "UPDATE report_submissions SET reopened_until = $1, updated_by = $2, updated_at = $3
             WHERE id = $4",
        )
        .bind(iso(until))
        .bind(user)
        .bind(&now)
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
        add_event(&mut tx, row.id, "unlock", reason, user).await?;
        if row.version == 0 {
            ReportStatus::Missing
        } else {
            row.status
        }
    };
    notify_unit(
        &mut tx,
        unit,
        "reopen",
        &format!(
            "Báo cáo được mở lại đến {}: {}",
            until.format("%d/%m/%Y"),
            cycle.title
        ),
        &report_link(cycle.id, unit),
    )
    .await?;
    db.commit_announcing(tx, change).await?;
    Ok(status)
}

pub async fn history(db: &Db, submission: i64) -> Result<Vec<ReportEvent>, AppError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT e.event, e.comment, u.full_name, e.at FROM report_events e
         JOIN users u ON u.id = e.user_id WHERE e.submission_id = $1 ORDER BY e.id",
    )
    .bind(submission)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(event, comment, by, at)| ReportEvent {
            event,
            comment,
            by,
            at,
        })
        .collect())
}

// Attachments

/// The SHA-256 of a file, in hex: kept with it, shown to reviewers, checked by tests.
pub fn checksum(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub struct NewFile<'a> {
    pub cycle: i64,
    pub unit: i64,
    pub field: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    pub sha256: &'a str,
    pub user: i64,
}

/// Stores (or replaces) the file of one field of a draft or returned report.
pub async fn put_file(db: &Db, file: &NewFile<'_>) -> Result<i64, AppError> {
    let row = {
        let mut conn = db.pool().acquire().await?;
        ensure_submission(&mut conn, file.cycle, file.unit, file.user).await?
    };
    if !matches!(row.status, ReportStatus::Draft | ReportStatus::Returned) {
        return Err(not_editable(row.status));
    }
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM report_files WHERE submission_id = $1 AND field_key = $2")
        .bind(row.id)
        .bind(file.field)
        .execute(&mut *tx)
        .await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO report_files (submission_id, field_key, file_name, content_type, size,
             sha256, content, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(row.id)
    .bind(file.field)
    .bind(file.file_name)
    .bind(file.content_type)
    .bind(file.bytes.len() as i64)
    .bind(file.sha256)
    .bind(file.bytes)
    .bind(file.user)
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a field's file from a draft or returned report; false when there was none.
pub async fn delete_file(db: &Db, cycle: i64, unit: i64, field: &str) -> Result<bool, AppError> {
    let mut conn = db.pool().acquire().await?;
    let Some(row) = submission(&mut conn, cycle, unit).await? else {
        return Ok(false);
    };
    if !matches!(row.status, ReportStatus::Draft | ReportStatus::Returned) {
        return Err(not_editable(row.status));
    }
    Ok(
        sqlx::query("DELETE FROM report_files WHERE submission_id = $1 AND field_key = $2")
            .bind(row.id)
            .bind(field)
            .execute(&mut *conn)
            .await?
            .rows_affected()
            > 0,
    )
}

pub async fn files(db: &Db, submission: i64) -> Result<Vec<FileInfo>, AppError> {
    let rows: Vec<(i64, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT id, field_key, file_name, size, sha256, uploaded_at FROM report_files
         WHERE submission_id = $1 ORDER BY field_key",
    )
    .bind(submission)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, field, file_name, size, sha256, uploaded_at)| FileInfo {
                id,
                field,
                file_name,
                size,
                sha256,
                uploaded_at,
            },
        )
        .collect())
}

/// A stored attachment with the report it belongs to.
pub struct StoredFile {
    pub cycle: i64,
    pub unit: i64,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

pub async fn file(db: &Db, id: i64) -> Result<StoredFile, AppError> {
    let row = sqlx::query(
        "SELECT s.cycle_id, s.unit_id, f.file_name, f.content_type, f.content
         FROM report_files f JOIN report_submissions s ON s.id = f.submission_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    Ok(StoredFile {
        cycle: row.try_get(0)?,
        unit: row.try_get(1)?,
        file_name: row.try_get(2)?,
        content_type: row.try_get(3)?,
        content: row.try_get(4)?,
    })
}

// Review queue, status table, completeness, roll-up

/// Joins the managing unit `pk` of `alias` on the day bound to `param`; `AREA_OF` then
/// selects it when it is an area.
pub(super) fn area_join(alias: &str, param: &str) -> String {
    format!(
        "LEFT JOIN unit_links l ON l.unit_id = {alias}.id AND l.relation = 'managed_by'
              AND l.valid_from <= {param} AND (l.valid_until IS NULL OR l.valid_until > {param})
         LEFT JOIN units pk ON pk.id = l.parent_id"
    )
}

pub(super) const AREA_OF: &str = "CASE WHEN pk.kind = 'area' THEN l.parent_id END";

fn area_name(areas: &HashMap<i64, UnitRef>, area: Option<i64>) -> String {
    match area.and_then(|a| areas.get(&a)) {
        Some(area) => area.name.clone(),
        None => "Trực thuộc Sở".to_string(),
    }
}

/// Reports waiting for review within `scope`, oldest first.
pub async fn queue(db: &Db, scope: &Scope, today: NaiveDate) -> Result<Vec<QueueItem>, AppError> {
    let sql = format!(
        "SELECT s.cycle_id, c.title, u.id, {AREA_OF}, s.submitted_at, s.first_submitted_on,
                c.on_time_until
         FROM report_submissions s JOIN report_cycles c ON c.id = s.cycle_id
         JOIN units u ON u.id = s.unit_id
         {join}
         WHERE s.status = 'submitted' AND {scope}
         ORDER BY s.submitted_at LIMIT 500",
        join = area_join("u", "$1"),
        scope = scope.sql("u", today)
    );
    type Row = (i64, String, i64, Option<i64>, String, String, String);
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(iso(today))
        .fetch_all(db.pool())
        .await?;
    let mut ids: Vec<i64> = rows.iter().map(|r| r.2).collect();
    ids.extend(rows.iter().filter_map(|r| r.3));
    let refs = unit_refs(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|(cycle, title, unit, area, at, first, until)| QueueItem {
            cycle,
            cycle_title: title,
            unit: refs.get(&unit).cloned().unwrap_or(UnitRef {
                id: unit,
                code: String::new(),
                name: String::new(),
            }),
            area: area_name(&refs, area),
            submitted_at: at,
            on_time: first <= until,
        })
        .collect())
}

/// The expected units within `scope` with where their report stands, optionally only
/// those in one status; at most `limit`, late ones (missing) first.
pub async fn unit_statuses(
    db: &Db,
    cycle: &CycleRow,
    scope: &Scope,
    status: Option<ReportStatus>,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<UnitStatus>, AppError> {
    let day = cycle.reference_day(today);
    let filter = match status {
        None => String::new(),
        Some(ReportStatus::Missing) => " AND s.id IS NULL".to_string(),
        // A draft of nothing saved yet is still missing.
        Some(ReportStatus::Draft) => " AND s.status = 'draft'".to_string(),
        Some(other) => format!(" AND s.status = '{}'", other.code()),
    };
    let sql = format!(
        "SELECT u.id, {AREA_OF}, s.status, s.first_submitted_on, s.version
         FROM units u
         LEFT JOIN report_submissions s ON s.unit_id = u.id AND s.cycle_id = $1
         {join}
         WHERE {expected} AND {scope}{filter}
         ORDER BY CASE WHEN s.status IS NULL THEN 0 ELSE 1 END, u.code LIMIT {limit}",
        join = area_join("u", "$2"),
        expected = expected_sql("u", cycle, today),
        scope = scope.sql("u", today),
    );
    type Row = (
        i64,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<i64>,
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(cycle.id)
        .bind(iso(day))
        .fetch_all(db.pool())
        .await?;
    let mut ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    ids.extend(rows.iter().filter_map(|r| r.1));
    let refs = unit_refs(db, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (unit, area, status, first, version) in rows {
        let status = match status.as_deref().and_then(ReportStatus::from_code) {
            Some(ReportStatus::Draft) if version == Some(0) => ReportStatus::Missing,
            Some(s) => s,
            None => ReportStatus::Missing,
        };
        out.push(UnitStatus {
            unit: refs.get(&unit).cloned().unwrap_or(UnitRef {
                id: unit,
                code: String::new(),
                name: String::new(),
            }),
            area: area_name(&refs, area),
            status,
            on_time: on_time(cycle, first.as_deref())?,
        });
    }
    Ok(out)
}

/// Adds each expected unit into its group with `add`, giving one row per group.
fn group_by<T: Default>(
    expected: &super::cycle_counts::Expected,
    mut add: impl FnMut(i64, &mut T),
) -> Vec<(Option<i64>, String, Option<String>, T)> {
    let mut groups: HashMap<&super::cycle_counts::Group, T> = HashMap::new();
    for (unit, group) in &expected.units {
        add(*unit, groups.entry(group.as_ref()).or_default());
    }
    groups
        .into_iter()
        .map(|((area, levels, ownership), t)| (*area, levels.clone(), ownership.clone(), t))
        .collect()
}

/// Groups of expected units by (area, levels, ownership), the level at which completeness
/// and roll-ups are counted; they are added up into rows here.
struct Groups<T> {
    rows: Vec<(Option<i64>, String, Option<String>, T)>,
    areas: HashMap<i64, UnitRef>,
}

impl<T> Groups<T> {
    /// Adds the groups up overall, by area, by level and by ownership.
    fn fold<R: Clone>(
        &self,
        empty: impl Fn(&str) -> R,
        add: impl Fn(&mut R, &T),
    ) -> (R, Vec<R>, Vec<R>, Vec<R>) {
        let mut overall = empty("Toàn tỉnh");
        let mut by_area: BTreeMap<String, R> = BTreeMap::new();
        let mut by_level: BTreeMap<usize, R> = BTreeMap::new();
        let mut by_ownership: BTreeMap<String, R> = BTreeMap::new();
        for (area, levels, ownership, value) in &self.rows {
            add(&mut overall, value);
            let area = area_name(&self.areas, *area);
            add(
                by_area.entry(area.clone()).or_insert_with(|| empty(&area)),
                value,
            );
            for level in decode_levels(levels) {
                let k = SchoolLevel::ALL
                    .iter()
                    .position(|l| *l == level)
                    .unwrap_or(0);
                add(
                    by_level.entry(k).or_insert_with(|| empty(level.code())),
                    value,
                );
            }
            let own = ownership
                .as_deref()
                .and_then(Ownership::from_code)
                .map_or("—", Ownership::code)
                .to_string();
            add(
                by_ownership
                    .entry(own.clone())
                    .or_insert_with(|| empty(&own)),
                value,
            );
        }
        (
            overall,
            by_area.into_values().collect(),
            by_level.into_values().collect(),
            by_ownership.into_values().collect(),
        )
    }
}

/// Completeness and timeliness of a cycle over `scope`.
pub async fn completeness(
    db: &Db,
    cycle: &CycleRow,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Completeness, AppError> {
    let day = cycle.reference_day(today);
    let expected = super::cycle_counts::expected(db, cycle, scope, today).await?;
    let reports = super::cycle_counts::reports(db, cycle.id).await?;
    let on_time_until = iso(cycle.dates.on_time_until);
    let rows = group_by(&expected, |unit, n: &mut [i64; 5]| {
        n[0] += 1;
        if let Some(r) = reports.by_unit.get(&unit) {
            if r.counted() {
                n[1] += 1;
                if r.first_submitted_on
                    .as_ref()
                    .is_some_and(|d| *d <= on_time_until)
                {
                    n[2] += 1;
                }
            }
            n[3] += i64::from(r.status == ReportStatus::Returned);
            n[4] += i64::from(r.status == ReportStatus::Accepted);
        }
    });
    let groups = Groups {
        rows,
        areas: expected.areas.clone(),
    };
    let (overall, by_area, by_level, by_ownership) = groups.fold(
        |label| CompletenessRow {
            label: label.to_string(),
            ..CompletenessRow::default()
        },
        |row, n| {
            row.expected += n[0];
            row.submitted += n[1];
            row.on_time += n[2];
            row.returned += n[3];
            row.accepted += n[4];
        },
    );
    Ok(Completeness {
        cycle: cycle.id,
        as_of: day,
        overall,
        by_area,
        by_level,
        by_ownership,
    })
}

/// The reports, and per numeric field of the template (in its order) the sum and how many
/// reports gave it.
#[derive(Clone, Default)]
struct Tally {
    reports: i64,
    fields: Vec<(f64, i64)>,
}

impl Tally {
    fn add(&mut self, field: usize, sum: f64, n: i64) {
        if self.fields.len() <= field {
            self.fields.resize(field + 1, (0.0, 0));
        }
        self.fields[field].0 += sum;
        self.fields[field].1 += n;
    }
}

/// The roll-up of a cycle's indicators over `scope`: reports in from expected units only.
pub async fn rollup(
    db: &Db,
    cycle: &CycleRow,
    template: &Template,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Rollup, AppError> {
    let expected = super::cycle_counts::expected(db, cycle, scope, today).await?;
    let reports = super::cycle_counts::reports(db, cycle.id).await?;
    let keys: Vec<&str> = template.numeric().map(|f| f.key.as_str()).collect();
    let positions = reports.positions(&keys);
    // Reports in from expected units: how many, and per numeric field the sum and how many
    // gave it.
    let rows = group_by(&expected, |unit, t: &mut Tally| {
        let Some(report) = reports.by_unit.get(&unit).filter(|r| r.counted()) else {
            return;
        };
        t.reports += 1;
        for (k, at) in positions.iter().enumerate() {
            if let Some(value) = at.and_then(|at| report.values.get(at).copied().flatten()) {
                t.add(k, value, 1);
            }
        }
    });
    let groups = Groups {
        rows,
        areas: expected.areas.clone(),
    };
    let (province, by_area, by_level, by_ownership) = groups.fold(
        |label| (label.to_string(), Tally::default()),
        |(_, acc), t| {
            acc.reports += t.reports;
            for (k, (sum, n)) in t.fields.iter().enumerate() {
                acc.add(k, *sum, *n);
            }
        },
    );
    let columns: Vec<RollupColumn> = template
        .numeric()
        .filter_map(|f| {
            Aggregate::of(&f.kind).map(|aggregate| RollupColumn {
                key: f.key.clone(),
                label: f.label.clone(),
                unit: match &f.kind {
                    crate::reports::FieldKind::Count { unit, .. } => unit.clone(),
                    _ => "%".into(),
                },
                aggregate,
            })
        })
        .collect();
    let row = |(label, t): (String, Tally)| RollupRow {
        label,
        reports: t.reports,
        values: columns
            .iter()
            .map(|c| {
                let (sum, n) = keys
                    .iter()
                    .position(|k| *k == c.key)
                    .and_then(|k| t.fields.get(k).copied())
                    .filter(|(_, n)| *n > 0)?;
                Some(match c.aggregate {
                    Aggregate::Sum => sum,
                    Aggregate::Mean => sum / n as f64,
                    Aggregate::ShareYes => sum * 100.0 / n as f64,
                })
            })
            .collect(),
    };
    let province = row(province);
    let targets = match cycle.plan {
        Some(plan) => targets_against(db, plan, template, &columns, &province).await?,
        None => Vec::new(),
    };
    Ok(Rollup {
        cycle: cycle.id,
        province,
        by_area: by_area.into_iter().map(row).collect(),
        by_level: by_level.into_iter().map(row).collect(),
        by_ownership: by_ownership.into_iter().map(row).collect(),
        columns,
        targets,
    })
}

/// The plan's targets whose indicator names a numeric field of the template (by key or by
/// label, whatever the case and diacritics), with the province figure beside them.
async fn targets_against(
    db: &Db,
    plan: i64,
    template: &Template,
    columns: &[RollupColumn],
    province: &RollupRow,
) -> Result<Vec<crate::reports::TargetActual>, AppError> {
    use crate::text::search_key;
    let plan = match super::plans::plan(db, plan).await {
        Ok(plan) => plan,
        Err(AppError::NotFound) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for target in &plan.content.targets {
        let wanted = search_key(&target.indicator);
        if wanted.is_empty() {
            continue;
        }
        let Some(field) = template
            .numeric()
            .find(|f| f.key == target.indicator.trim() || search_key(&f.label) == wanted)
        else {
            continue;
        };
        let k = columns.iter().position(|c| c.key == field.key);
        out.push(crate::reports::TargetActual {
            target: target.text.clone(),
            field: field.label.clone(),
            planned: target.value,
            actual: k.and_then(|k| province.values[k]),
            percent: target.measure == crate::plans::Measure::Percent,
        });
    }
    Ok(out)
}

// Reminders

/// What one run of the reminders sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderRun {
    /// Units reminded, per cycle.
    pub reminded: Vec<(i64, Vec<i64>)>,
    /// Digests: (area or department id, how many late units it was told about).
    pub digests: Vec<(i64, i64)>,
}

/// Sends the reminders due today: for each cycle whose deadline plus one of its offsets is
/// today (or was in the last two days, for a server that was down), every expected unit
/// that has not submitted gets one in-app notice per offset. After the deadline, each
/// area and the department get a digest naming how many of theirs are late.
pub async fn send_reminders(db: &Db, today: NaiveDate) -> Result<ReminderRun, AppError> {
    let mut run = ReminderRun::default();
    let department = {
        let mut conn = db.pool().acquire().await?;
        super::org::department_id(&mut conn).await?
    };
    for cycle in cycles(db).await? {
        if today >= cycle.dates.locks_on {
            continue;
        }
        for offset in &cycle.reminder_days {
            let on = cycle.dates.due + Duration::days(*offset);
            if on > today || on < today - Duration::days(2) {
                continue;
            }
            let day = cycle.reference_day(today);
            let pending = format!(
                "SELECT u.id, {AREA_OF} FROM units u
                 LEFT JOIN report_submissions s ON s.unit_id = u.id AND s.cycle_id = $1
                 {join}
                 WHERE {expected}
                   AND (s.id IS NULL OR s.status IN ('draft', 'returned'))
                   AND NOT EXISTS (SELECT 1 FROM report_reminders r WHERE r.cycle_id = $1
                                   AND r.unit_id = u.id AND r.offset_days = $3)",
                join = area_join("u", "$2"),
                expected = expected_sql("u", &cycle, today),
            );
            let units: Vec<(i64, Option<i64>)> = sqlx::query_as(&pending)
                .bind(cycle.id)
                .bind(iso(day))
                .bind(*offset)
                .fetch_all(db.pool())
                .await?;
            if units.is_empty() {
                continue;
            }
            let mut tx = db.pool().begin().await?;
            let title = if *offset < 0 {
                format!(
                    "Nhắc nộp báo cáo (hạn {}): {}",
                    cycle.dates.due.format("%d/%m/%Y"),
                    cycle.title
                )
            } else {
                format!(
                    "Báo cáo chưa nộp, đã đến hạn {}: {}",
                    cycle.dates.due.format("%d/%m/%Y"),
                    cycle.title
                )
            };
            for (unit, _) in &units {
                sqlx::query(
                    "INSERT INTO report_reminders (cycle_id, unit_id, offset_days, sent_on)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(cycle.id)
                .bind(unit)
                .bind(*offset)
                .bind(iso(today))
                .execute(&mut *tx)
                .await?;
                notify_unit(
                    &mut tx,
                    *unit,
                    "reminder",
                    &title,
                    &report_link(cycle.id, *unit),
                )
                .await?;
            }
            if *offset >= 0 {
                let mut by_area: BTreeMap<i64, i64> = BTreeMap::new();
                for (_, area) in &units {
                    if let Some(area) = area {
                        *by_area.entry(*area).or_default() += 1;
                    }
                }
                if let Some(department) = department {
                    by_area.insert(department, units.len() as i64);
                }
                for (to, late) in &by_area {
                    notify_unit(
                        &mut tx,
                        *to,
                        "late_digest",
                        &format!("{late} đơn vị chưa nộp: {}", cycle.title),
                        &format!("/reports/{}?status=missing", cycle.id),
                    )
                    .await?;
                    run.digests.push((*to, *late));
                }
            }
            tx.commit().await?;
            run.reminded
                .push((cycle.id, units.into_iter().map(|(u, _)| u).collect()));
        }
    }
    Ok(run)
}

/// Reminds `units` now (a reviewer asked for it): each gets an in-app notice, copied by
/// e-mail when mail is set up. Answers how many were reminded.
pub async fn remind(db: &Db, cycle: &CycleRow, units: &[i64]) -> Result<usize, AppError> {
    if units.is_empty() {
        return Ok(0);
    }
    let title = format!(
        "Nhắc nộp báo cáo (hạn {}): {}",
        cycle.dates.due.format("%d/%m/%Y"),
        cycle.title
    );
    // A unit reminded of this report within the last day is not reminded again: pressing
    // "remind" twice (or after the scheduled reminder) sends nothing twice.
    let since = (chrono::Utc::now() - chrono::Duration::hours(REMIND_AGAIN_AFTER_HOURS))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let mut tx = db.pool().begin().await?;
    let mut reminded = 0;
    for unit in units {
        let link = report_link(cycle.id, *unit);
        let recent: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM notifications WHERE unit_id = $1 AND kind = 'reminder'
               AND link = $2 AND created_at > $3 LIMIT 1",
        )
        .bind(*unit)
        .bind(&link)
        .bind(&since)
        .fetch_optional(&mut *tx)
        .await?;
        if recent.is_none() {
            notify_unit(&mut tx, *unit, "reminder", &title, &link).await?;
            reminded += 1;
        }
    }
    tx.commit().await?;
    Ok(reminded)
}

/// How long after a reminder a unit may be reminded of the same report again.
pub const REMIND_AGAIN_AFTER_HOURS: i64 = 20;
