//! Recognition in the database: criteria sets and their versions, assessments with their
//! answers, files and history, and the year-end decisions.

use super::changes::Change;
use super::org::Scope;
use super::reports::{from_json, notify_unit, to_json};
use super::{iso, now_text, Db};
use crate::dashboard::Topic;
use crate::error::AppError;
use crate::org::{decode_levels, UnitRef};
use crate::recognition::{
    criteria, Answers, Assessment, AssessmentFile, AssessmentRow, CriteriaBody, CriteriaSet,
    DecisionRef, NewDecision, Outcome, Programme, RecognitionHistory, Stage, StageEvent,
    Timeliness, YearOverview,
};
use chrono::{Datelike, NaiveDate};
use sqlx::AnyConnection;
use std::collections::HashMap;

// Criteria sets

type SetTuple = (i64, String, i64, String, i64);

const SET_COLUMNS: &str = "s.id, s.programme, s.version, s.body,
     (SELECT COUNT(*) FROM assessments a WHERE a.set_id = s.id)";

fn set_from(t: SetTuple) -> Result<CriteriaSet, AppError> {
    Ok(CriteriaSet {
        id: t.0,
        programme: Programme::from_code(&t.1).ok_or(AppError::Internal)?,
        version: t.2 as i32,
        body: from_json(&t.3)?,
        used_by: t.4,
    })
}

/// Writes the shipped version 1 of each programme that has no set yet.
async fn ensure_shipped(db: &Db) -> Result<(), AppError> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM criteria_sets")
        .fetch_one(db.pool())
        .await?;
    if count >= Programme::ALL.len() as i64 {
        return Ok(());
    }
    for (programme, body) in criteria::shipped() {
        sqlx::query(
            "INSERT INTO criteria_sets (programme, version, body, created_by, created_at)
             VALUES ($1, 1, $2, NULL, $3) ON CONFLICT (programme, version) DO NOTHING",
        )
        .bind(programme.code())
        .bind(to_json(&body)?)
        .bind(now_text())
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

/// The newest version of a programme's set.
pub async fn current_set(db: &Db, programme: Programme) -> Result<CriteriaSet, AppError> {
    ensure_shipped(db).await?;
    let sql = format!(
        "SELECT {SET_COLUMNS} FROM criteria_sets s WHERE s.programme = $1
         ORDER BY s.version DESC LIMIT 1"
    );
    let row: SetTuple = sqlx::query_as(&sql)
        .bind(programme.code())
        .fetch_one(db.pool())
        .await?;
    set_from(row)
}

pub async fn set(db: &Db, id: i64) -> Result<CriteriaSet, AppError> {
    let sql = format!("SELECT {SET_COLUMNS} FROM criteria_sets s WHERE s.id = $1");
    set_from(sqlx::query_as(&sql).bind(id).fetch_one(db.pool()).await?)
}

/// Every version of a programme's set, newest first.
pub async fn versions(db: &Db, programme: Programme) -> Result<Vec<CriteriaSet>, AppError> {
    ensure_shipped(db).await?;
    let sql = format!(
        "SELECT {SET_COLUMNS} FROM criteria_sets s WHERE s.programme = $1
         ORDER BY s.version DESC"
    );
    let rows: Vec<SetTuple> = sqlx::query_as(&sql)
        .bind(programme.code())
        .fetch_all(db.pool())
        .await?;
    rows.into_iter().map(set_from).collect()
}

/// Saves an edited set. A version no assessment uses yet is changed in place; one in use
/// stays as it is and the edit becomes the next version, so past assessments keep theirs.
pub async fn save_set(
    db: &Db,
    programme: Programme,
    body: &CriteriaBody,
    user: i64,
) -> Result<CriteriaSet, AppError> {
    let current = current_set(db, programme).await?;
    let mut tx = db.pool().begin().await?;
    // Assessments started meanwhile would otherwise point at a version being rewritten.
    let (used,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM assessments WHERE set_id = (SELECT id FROM criteria_sets
         WHERE id = $1 AND version = $2)",
    )
    .bind(current.id)
    .bind(i64::from(current.version))
    .fetch_one(&mut *tx)
    .await?;
    let id = if used == 0 {
        sqlx::query(
            "UPDATE criteria_sets SET body = $1, created_by = $2, created_at = $3 WHERE id = $4",
        )
        .bind(to_json(body)?)
        .bind(user)
        .bind(now_text())
        .bind(current.id)
        .execute(&mut *tx)
        .await?;
        current.id
    } else {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO criteria_sets (programme, version, body, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(programme.code())
        .bind(i64::from(current.version) + 1)
        .bind(to_json(body)?)
        .bind(user)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await?;
        id
    };
    tx.commit().await?;
    set(db, id).await
}

// Assessments

/// What authorization needs of an assessment.
#[derive(Debug, Clone)]
pub struct AssessmentKey {
    pub id: i64,
    pub programme: Programme,
    pub year: i32,
    pub unit: i64,
    pub stage: Stage,
    pub set: i64,
    pub version: i64,
}

pub async fn key(db: &Db, id: i64) -> Result<AssessmentKey, AppError> {
    let (id, programme, year, unit, stage, set, version): (
        i64,
        String,
        i64,
        i64,
        String,
        i64,
        i64,
    ) = sqlx::query_as(
        "SELECT id, programme, year, unit_id, stage, set_id, version FROM assessments
             WHERE id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    Ok(AssessmentKey {
        id,
        programme: Programme::from_code(&programme).ok_or(AppError::Internal)?,
        year: year as i32,
        unit,
        stage: Stage::from_code(&stage).ok_or(AppError::Internal)?,
        set,
        version,
    })
}

/// The levels a unit teaches and whether it is a school open on `day`.
pub async fn school_levels(
    db: &Db,
    unit: i64,
    day: NaiveDate,
) -> Result<Option<Vec<crate::org::SchoolLevel>>, AppError> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT levels FROM units WHERE id = $1 AND kind = 'school' AND established_on <= $2
           AND (closed_on IS NULL OR closed_on > $2)",
    )
    .bind(unit)
    .bind(iso(day))
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(levels,)| decode_levels(&levels.unwrap_or_default())))
}

async fn record(
    conn: &mut AnyConnection,
    assessment: i64,
    stage: Stage,
    note: &str,
    user: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO assessment_events (assessment_id, stage, note, user_id, at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(assessment)
    .bind(stage.code())
    .bind(note)
    .bind(user)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Starts a school's assessment of a year against the newest version of the programme's
/// set. Refused when the school already has one for that year.
pub async fn start(
    db: &Db,
    programme: Programme,
    year: i32,
    unit: i64,
    user: i64,
) -> Result<i64, AppError> {
    let set = current_set(db, programme).await?;
    let mut tx = db.pool().begin().await?;
    let existing: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM assessments WHERE programme = $1 AND year = $2 AND unit_id = $3",
    )
    .bind(programme.code())
    .bind(i64::from(year))
    .bind(unit)
    .fetch_optional(&mut *tx)
    .await?;
    if existing.is_some() {
        return Err(AppError::Invalid(format!(
            "Trường này đã có hồ sơ «{}» năm {year}.",
            programme.label()
        )));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO assessments (programme, year, unit_id, set_id, stage, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(programme.code())
    .bind(i64::from(year))
    .bind(unit)
    .bind(set.id)
    .bind(Stage::Selected.code())
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await?;
    record(&mut tx, id, Stage::Selected, "", Some(user)).await?;
    let change = Change::of_unit(&mut tx, Topic::Recognition, unit, crate::clock::today()).await?;
    if programme == Programme::ModelSchool {
        notify_unit(
            &mut tx,
            unit,
            "model_school_selected",
            &format!("Trường được chọn xây dựng cơ sở giáo dục điển hình năm {year}"),
            &format!("/recognition/{id}"),
        )
        .await?;
    }
    db.commit_announcing(tx, change).await?;
    Ok(id)
}

/// The open schools an area manages today that have no model-school assessment for `year`,
/// by name.
pub async fn candidates(
    db: &Db,
    year: i32,
    area: i64,
    today: NaiveDate,
) -> Result<Vec<UnitRef>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT u.id FROM units u JOIN unit_links l ON l.unit_id = u.id
           AND l.relation = 'managed_by' AND l.valid_from <= $1
           AND (l.valid_until IS NULL OR l.valid_until > $1)
         WHERE l.parent_id = $2 AND u.kind = 'school' AND u.established_on <= $1
           AND (u.closed_on IS NULL OR u.closed_on > $1)
           AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.unit_id = u.id
                           AND a.programme = 'model_school' AND a.year = $3)",
    )
    .bind(iso(today))
    .bind(area)
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    let ids: Vec<i64> = rows.into_iter().map(|(id,)| id).collect();
    let mut refs: Vec<UnitRef> = super::plans::unit_refs(db, &ids)
        .await?
        .into_values()
        .collect();
    refs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(refs)
}

/// Whose answers are saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    School,
    Reviewer,
}

/// Saves answers with the score they come to. `version` is the one the editor loaded: a
/// save over someone else's newer one is refused rather than lost.
/// Saves one side's answers over `version`, with its audit entry (the answers that changed,
/// before and after) in the same transaction.
pub async fn save_answers(
    db: &Db,
    key: &AssessmentKey,
    side: Side,
    answers: &Answers,
    outcome: &Outcome,
    version: i64,
    by: super::reports::By<'_>,
) -> Result<i64, AppError> {
    let mut tx = db.pool().begin().await?;
    let column = match side {
        Side::School => "self_answers",
        Side::Reviewer => "review_answers",
    };
    let (was,): (Option<String>,) =
        sqlx::query_as(&format!("SELECT {column} FROM assessments WHERE id = $1"))
            .bind(key.id)
            .fetch_one(&mut *tx)
            .await?;
    let sql = match side {
        Side::School => {
            "UPDATE assessments SET self_answers = $1, self_total = $2, version = version + 1,
                 updated_at = $3 WHERE id = $4 AND version = $5"
        }
        Side::Reviewer => {
            "UPDATE assessments SET review_answers = $1, review_total = $2, band = $6,
                 version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5"
        }
    };
    let mut query = sqlx::query(sql)
        .bind(to_json(answers)?)
        .bind(i64::from(outcome.total))
        .bind(now_text())
        .bind(key.id)
        .bind(version);
    if side == Side::Reviewer {
        query = query.bind(outcome.band.clone());
    }
    let done = query.execute(&mut *tx).await?.rows_affected();
    if done == 0 {
        return Err(AppError::Invalid(
            "Bản đánh giá vừa được người khác cập nhật; hãy tải lại trang để xem bản mới nhất."
                .into(),
        ));
    }
    let before = was
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    let (before, after) =
        super::changed_entries(&before, &serde_json::to_value(answers).unwrap_or_default());
    super::accounts::record_audit(
        &mut tx,
        &super::accounts::AuditEntry {
            user: Some(by.user),
            address: by.address,
            action: match side {
                Side::School => "assessment_self_save",
                Side::Reviewer => "assessment_review_save",
            },
            entity: "assessment",
            entity_id: key.id.to_string(),
            before: Some(before),
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(version + 1)
}

/// The accounts that finished a school's self-assessment or filed its dossier: the school's
/// side, who may not review it.
pub async fn school_side(db: &Db, assessment: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT user_id FROM assessment_events
         WHERE assessment_id = $1 AND stage IN ('self_assessed', 'filed') AND user_id IS NOT NULL",
    )
    .bind(assessment)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(user,)| user).collect())
}

/// Moves an assessment from `from` to `to`, with a note in its history. Refused when it is
/// no longer at `from` (someone moved it meanwhile).
pub async fn move_stage(
    db: &Db,
    key: &AssessmentKey,
    from: &[Stage],
    to: Stage,
    note: &str,
    user: i64,
) -> Result<(), AppError> {
    let mut tx = db.pool().begin().await?;
    let codes: Vec<String> = from.iter().map(|s| format!("'{}'", s.code())).collect();
    let sql = format!(
        "UPDATE assessments SET stage = $1, version = version + 1, updated_at = $2
         WHERE id = $3 AND stage IN ({})",
        codes.join(", ")
    );
    let done = sqlx::query(&sql)
        .bind(to.code())
        .bind(now_text())
        .bind(key.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if done == 0 {
        return Err(AppError::Invalid(
            "Hồ sơ đã chuyển sang bước khác; hãy tải lại trang.".into(),
        ));
    }
    record(&mut tx, key.id, to, note, Some(user)).await?;
    let change =
        Change::of_unit(&mut tx, Topic::Recognition, key.unit, crate::clock::today()).await?;
    if key.programme == Programme::ModelSchool
        && matches!(to, Stage::Recognised | Stage::NotRecognised)
    {
        notify_unit(
            &mut tx,
            key.unit,
            "model_school_result",
            &format!(
                "Kết quả xét cơ sở giáo dục điển hình năm {}: {}",
                key.year,
                to.label()
            ),
            &format!("/recognition/{}", key.id),
        )
        .await?;
    }
    db.commit_announcing(tx, change).await?;
    Ok(())
}

/// A file to attach to an assessment, already checked.
pub struct NewAssessmentFile<'a> {
    pub assessment: i64,
    pub slot: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    pub user: i64,
}

/// Stores (or replaces) the file of one slot.
pub async fn put_file(db: &Db, file: &NewAssessmentFile<'_>) -> Result<i64, AppError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM assessment_files WHERE assessment_id = $1 AND slot = $2")
        .bind(file.assessment)
        .bind(file.slot)
        .execute(&mut *tx)
        .await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO assessment_files (assessment_id, slot, file_name, content_type, size,
             sha256, content, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(file.assessment)
    .bind(file.slot)
    .bind(file.file_name)
    .bind(file.content_type)
    .bind(file.bytes.len() as i64)
    .bind(super::reports::checksum(file.bytes))
    .bind(file.bytes)
    .bind(file.user)
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A stored file with the unit whose assessment holds it.
pub struct StoredAssessmentFile {
    pub unit: i64,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

pub async fn file(db: &Db, id: i64) -> Result<StoredAssessmentFile, AppError> {
    let (unit, file_name, content_type, content): (i64, String, String, Vec<u8>) = sqlx::query_as(
        "SELECT a.unit_id, f.file_name, f.content_type, f.content FROM assessment_files f
             JOIN assessments a ON a.id = f.assessment_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    Ok(StoredAssessmentFile {
        unit,
        file_name,
        content_type,
        content,
    })
}

/// The area managing `unit` today, if an area does.
async fn area_of(db: &Db, unit: i64, today: NaiveDate) -> Result<Option<UnitRef>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT l.parent_id FROM unit_links l JOIN units p ON p.id = l.parent_id
         WHERE l.unit_id = $1 AND l.relation = 'managed_by' AND p.kind = 'area'
           AND l.valid_from <= $2 AND (l.valid_until IS NULL OR l.valid_until > $2)",
    )
    .bind(unit)
    .bind(iso(today))
    .fetch_optional(db.pool())
    .await?;
    let Some((area,)) = row else { return Ok(None) };
    Ok(super::plans::unit_refs(db, &[area]).await?.remove(&area))
}

/// Everything a school's assessment page shows.
pub async fn assessment(db: &Db, id: i64, today: NaiveDate) -> Result<Assessment, AppError> {
    let k = key(db, id).await?;
    let (self_json, review_json, review_total): (String, String, Option<i64>) = sqlx::query_as(
        "SELECT self_answers, review_answers, review_total FROM assessments WHERE id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    let set = set(db, k.set).await?;
    let mut self_answers: Answers = from_json(&self_json)?;
    let review_answers: Answers = from_json(&review_json)?;
    if k.programme == Programme::YearlyEvaluation {
        // The reporting item follows the reports as they come in, not as they were when the
        // school last saved.
        let scope = Scope::Within(vec![k.unit]);
        let t = timeliness(db, k.year, &scope, today).await?;
        set.body.fill_from_reports(
            &mut self_answers,
            t.get(&k.unit).copied().unwrap_or_default(),
        );
    }
    let files: Vec<(i64, String, String, i64, String)> = sqlx::query_as(
        "SELECT id, slot, file_name, size, uploaded_at FROM assessment_files
         WHERE assessment_id = $1 ORDER BY slot",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let history: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT e.stage, e.note, u.full_name, e.at FROM assessment_events e
         LEFT JOIN users u ON u.id = e.user_id WHERE e.assessment_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let unit = super::plans::unit_refs(db, &[k.unit])
        .await?
        .remove(&k.unit)
        .ok_or(AppError::NotFound)?;
    let decision = decision_of(db, id).await?;
    Ok(Assessment {
        id,
        programme: k.programme,
        year: k.year,
        unit,
        area: area_of(db, k.unit, today).await?,
        stage: k.stage,
        self_outcome: set.body.score(&self_answers),
        review_outcome: review_total.map(|_| set.body.score(&review_answers)),
        set,
        self_answers,
        review_answers,
        files: files
            .into_iter()
            .map(|(id, slot, file_name, size, uploaded_at)| AssessmentFile {
                id,
                slot,
                file_name,
                size,
                uploaded_at,
            })
            .collect(),
        history: history
            .into_iter()
            .filter_map(|(stage, note, by, at)| {
                Some(StageEvent {
                    stage: Stage::from_code(&stage)?,
                    note,
                    by: by.unwrap_or_default(),
                    at,
                })
            })
            .collect(),
        decision,
    })
}

pub async fn version_of(db: &Db, id: i64) -> Result<i64, AppError> {
    Ok(key(db, id).await?.version)
}

/// The year's assessments of a programme within `scope`, with the areas that have none.
pub async fn year_overview(
    db: &Db,
    programme: Programme,
    year: i32,
    scope: &Scope,
    today: NaiveDate,
) -> Result<YearOverview, AppError> {
    let sql = format!(
        "SELECT a.id, a.unit_id, a.stage, a.self_total, a.review_total, a.band,
                {area}, a.set_id
         FROM assessments a JOIN units u ON u.id = a.unit_id {join}
         WHERE a.programme = $2 AND a.year = $3 AND {scope}
         ORDER BY a.id",
        area = super::reports::AREA_OF,
        join = super::reports::area_join("u", "$1"),
        scope = scope.sql("u", today),
    );
    type Row = (
        i64,
        i64,
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<i64>,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(iso(today))
        .bind(programme.code())
        .bind(i64::from(year))
        .fetch_all(db.pool())
        .await?;
    let areas_sql = format!(
        "SELECT u.id FROM units u WHERE u.kind = 'area' AND {open} AND {scope}",
        open = super::org::exists_at("u", "$1"),
        scope = scope.sql("u", today),
    );
    let area_ids: Vec<(i64,)> = sqlx::query_as(&areas_sql)
        .bind(iso(today))
        .fetch_all(db.pool())
        .await?;
    // Pre-reform districts still exist in the tree as closed units; only today's areas count.
    let mut ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
    ids.extend(rows.iter().filter_map(|r| r.6));
    ids.extend(area_ids.iter().map(|(a,)| *a));
    ids.sort_unstable();
    ids.dedup();
    let refs = super::plans::unit_refs(db, &ids).await?;
    let with: std::collections::HashSet<i64> = rows.iter().filter_map(|r| r.6).collect();
    let mut areas_without: Vec<UnitRef> = area_ids
        .iter()
        .filter(|(a,)| !with.contains(a))
        .filter_map(|(a,)| refs.get(a).cloned())
        .collect();
    areas_without.sort_by(|a, b| a.name.cmp(&b.name));
    // Only model schools are chosen per area.
    if programme != Programme::ModelSchool {
        areas_without.clear();
    }
    let mut first_bands: HashMap<i64, Option<String>> = HashMap::new();
    for set_id in rows.iter().map(|r| r.7) {
        if let std::collections::hash_map::Entry::Vacant(e) = first_bands.entry(set_id) {
            e.insert(recognising_band(db, set_id).await?);
        }
    }
    let rows = rows
        .into_iter()
        .filter_map(
            |(id, unit, stage, self_total, review_total, band, area, set_id)| {
                let stage = Stage::from_code(&stage)?;
                let recognisable = stage == Stage::UnderReview
                    && review_total.is_some()
                    && band.is_some()
                    && first_bands.get(&set_id).cloned().flatten() == band;
                Some(AssessmentRow {
                    id,
                    unit: refs.get(&unit)?.clone(),
                    area: area.and_then(|a| refs.get(&a).cloned()),
                    stage,
                    self_total: self_total.map(|t| t as u32),
                    review_total: review_total.map(|t| t as u32),
                    band,
                    recognisable,
                })
            },
        )
        .collect();
    Ok(YearOverview {
        year,
        current_year: current_year(today),
        rows,
        areas_without,
        decisions: decisions(db, programme, year).await?,
    })
}

/// The name of a set's first band: the one that recognises.
async fn recognising_band(db: &Db, set_id: i64) -> Result<Option<String>, AppError> {
    Ok(set(db, set_id)
        .await?
        .body
        .bands
        .first()
        .map(|b| b.name.clone()))
}

// Decisions

const DECISION_COLUMNS: &str = "d.id, d.number, d.signed_on, d.signer,
     (SELECT COUNT(*) FROM decision_assessments x WHERE x.decision_id = d.id)";

type DecisionTuple = (i64, String, String, String, i64);

fn decision_from(t: DecisionTuple) -> DecisionRef {
    DecisionRef {
        id: t.0,
        number: t.1,
        signed_on: t.2,
        signer: t.3,
        schools: t.4,
    }
}

pub async fn decisions(
    db: &Db,
    programme: Programme,
    year: i32,
) -> Result<Vec<DecisionRef>, AppError> {
    let sql = format!(
        "SELECT {DECISION_COLUMNS} FROM recognition_decisions d
         WHERE d.programme = $1 AND d.year = $2 ORDER BY d.signed_on, d.id"
    );
    let rows: Vec<DecisionTuple> = sqlx::query_as(&sql)
        .bind(programme.code())
        .bind(i64::from(year))
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(decision_from).collect())
}

async fn decision_of(db: &Db, assessment: i64) -> Result<Option<DecisionRef>, AppError> {
    let sql = format!(
        "SELECT {DECISION_COLUMNS} FROM recognition_decisions d
         JOIN decision_assessments x ON x.decision_id = d.id WHERE x.assessment_id = $1"
    );
    let row: Option<DecisionTuple> = sqlx::query_as(&sql)
        .bind(assessment)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(decision_from))
}

/// Records a decision recognising the listed model schools, each of which must be under
/// review with its reviewer's score reaching a band other than the last. All or nothing.
pub async fn create_decision(
    db: &Db,
    decision: &NewDecision,
    signed_on: NaiveDate,
    user: i64,
) -> Result<i64, AppError> {
    // Each school's reviewer score must be in its set's recognising band; the update below
    // checks the band again, so a score changed meanwhile is not recognised unseen.
    let mut bands = Vec::with_capacity(decision.assessments.len());
    for assessment in &decision.assessments {
        let row: Option<(i64, Option<String>)> =
            sqlx::query_as("SELECT set_id, band FROM assessments WHERE id = $1")
                .bind(*assessment)
                .fetch_optional(db.pool())
                .await?;
        match row {
            Some((set_id, Some(band)))
                if recognising_band(db, set_id).await? == Some(band.clone()) =>
            {
                bands.push(band)
            }
            _ => {
                return Err(AppError::Invalid(
                    "Chỉ công nhận được trường mà điểm xét đạt mức công nhận của bộ tiêu chí."
                        .into(),
                ))
            }
        }
    }
    let mut tx = db.pool().begin().await?;
    let (id,): (i64,) = match sqlx::query_as(
        "INSERT INTO recognition_decisions (programme, year, number, signed_on, signer,
             created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(decision.programme.code())
    .bind(i64::from(decision.year))
    .bind(decision.number.trim())
    .bind(iso(signed_on))
    .bind(decision.signer.trim())
    .bind(user)
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await
    {
        Ok(row) => row,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::Invalid(format!(
                "Đã có quyết định số {} năm {}.",
                decision.number.trim(),
                decision.year
            )))
        }
        Err(e) => return Err(e.into()),
    };
    let mut units = Vec::new();
    for (assessment, band) in decision.assessments.iter().zip(&bands) {
        let done = sqlx::query(
            "UPDATE assessments SET stage = 'recognised', version = version + 1, updated_at = $1
             WHERE id = $2 AND programme = $5 AND year = $3
               AND stage = 'under_review' AND band = $4",
        )
        .bind(now_text())
        .bind(*assessment)
        .bind(i64::from(decision.year))
        .bind(band)
        .bind(decision.programme.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Err(AppError::Invalid(
                "Chỉ công nhận được trường đang xét trong năm của quyết định; hãy tải lại danh sách."
                    .into(),
            ));
        }
        sqlx::query(
            "INSERT INTO decision_assessments (decision_id, assessment_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(*assessment)
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            *assessment,
            Stage::Recognised,
            &format!("Quyết định số {}", decision.number.trim()),
            Some(user),
        )
        .await?;
        let (unit,): (i64,) = sqlx::query_as("SELECT unit_id FROM assessments WHERE id = $1")
            .bind(*assessment)
            .fetch_one(&mut *tx)
            .await?;
        let change =
            Change::of_unit(&mut tx, Topic::Recognition, unit, crate::clock::today()).await?;
        units.extend(change.units);
        notify_unit(
            &mut tx,
            unit,
            "model_school_result",
            &format!(
                "Trường được công nhận cơ sở giáo dục điển hình năm {} (QĐ số {})",
                decision.year,
                decision.number.trim()
            ),
            &format!("/recognition/{assessment}"),
        )
        .await?;
    }
    units.sort_unstable();
    units.dedup();
    let change = Change {
        topic: Topic::Recognition,
        units,
        cycle: None,
        plan: None,
    };
    db.commit_announcing(tx, change).await?;
    Ok(id)
}

/// A decision with the schools it recognises, for its document.
pub struct DecisionDocument {
    pub programme: Programme,
    pub decision: DecisionRef,
    pub year: i32,
    /// School name, area name, reviewer's total and band.
    pub schools: Vec<(String, String, Option<i64>, Option<String>)>,
}

/// A decision as its document shows it, listing only the schools inside `scope` (a school
/// sees its own line, not the others' scores).
pub async fn decision_document(
    db: &Db,
    id: i64,
    scope: &super::org::Scope,
    today: NaiveDate,
) -> Result<DecisionDocument, AppError> {
    let sql =
        format!("SELECT {DECISION_COLUMNS}, d.year, d.programme FROM recognition_decisions d WHERE d.id = $1");
    type Row = (i64, String, String, String, i64, i64, String);
    let (did, number, signed_on, signer, count, year, programme): Row =
        sqlx::query_as(&sql).bind(id).fetch_one(db.pool()).await?;
    let rows: Vec<(i64, i64, Option<i64>, Option<String>)> = sqlx::query_as(&format!(
        "SELECT a.id, a.unit_id, a.review_total, a.band FROM decision_assessments x
         JOIN assessments a ON a.id = x.assessment_id
         JOIN units un ON un.id = a.unit_id
         WHERE x.decision_id = $1 AND {} ORDER BY a.id",
        scope.sql("un", today)
    ))
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut schools = Vec::with_capacity(rows.len());
    for (_, unit, total, band) in rows {
        let name = super::plans::unit_refs(db, &[unit])
            .await?
            .remove(&unit)
            .map(|u| u.name)
            .unwrap_or_default();
        let area = area_of(db, unit, today)
            .await?
            .map(|a| a.name)
            .unwrap_or_else(|| "Trực thuộc Sở".into());
        schools.push((name, area, total, band));
    }
    Ok(DecisionDocument {
        programme: Programme::from_code(&programme).unwrap_or_default(),
        decision: decision_from((did, number, signed_on, signer, count)),
        year: year as i32,
        schools,
    })
}

/// A unit's assessments over the years, newest first.
pub async fn history(db: &Db, unit: i64) -> Result<Vec<RecognitionHistory>, AppError> {
    let rows: Vec<(i64, String, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, programme, year, stage, band FROM assessments WHERE unit_id = $1
         ORDER BY year DESC, programme",
    )
    .bind(unit)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, programme, year, stage, band) in rows {
        let (Some(programme), Some(stage)) =
            (Programme::from_code(&programme), Stage::from_code(&stage))
        else {
            continue;
        };
        out.push(RecognitionHistory {
            year: year as i32,
            programme,
            stage,
            band,
            decision: decision_of(db, id).await?,
            assessment: id,
        });
    }
    Ok(out)
}

// The yearly evaluation

/// Each school's reports of `year` that were due by `today`: how many it owed and how many
/// it sent on time, counted from the same memoised counts as completeness.
pub async fn timeliness(
    db: &Db,
    year: i32,
    scope: &Scope,
    today: NaiveDate,
) -> Result<HashMap<i64, Timeliness>, AppError> {
    let mut by_unit: HashMap<i64, Timeliness> = HashMap::new();
    for cycle in super::reports::cycles(db).await? {
        if cycle.period.year() != year || cycle.dates.due > today {
            continue;
        }
        let expected = super::cycle_counts::expected(db, &cycle, scope, today).await?;
        let reports = super::cycle_counts::reports(db, cycle.id).await?;
        let cutoff = iso(cycle.dates.on_time_until);
        for unit in expected.units.keys() {
            let t = by_unit.entry(*unit).or_default();
            t.expected += 1;
            if let Some(r) = reports.by_unit.get(unit) {
                if r.counted()
                    && r.first_submitted_on
                        .as_deref()
                        .is_some_and(|d| d <= cutoff.as_str())
                {
                    t.on_time += 1;
                }
            }
        }
    }
    Ok(by_unit)
}

/// The year's evaluation of every school in `scope` open at the end of the year (or today):
/// each school's entered answers, the reporting item filled from its timeliness, scored
/// against the newest set. Schools that entered nothing score their reporting item only.
pub async fn yearly_evaluation(
    db: &Db,
    year: i32,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Vec<(i64, Outcome)>, AppError> {
    // A school that evaluated itself is scored on the version it answered; the others on
    // the current one (they have only the reporting item).
    let current = current_set(db, Programme::YearlyEvaluation).await?;
    let mut sets = std::collections::HashMap::from([(current.id, current.body)]);
    let current = current.id;
    let day = NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or(today)
        .min(today);
    let timeliness = timeliness(db, year, scope, today).await?;
    let sql = format!(
        "SELECT u.id, a.self_answers, a.set_id FROM units u
         LEFT JOIN assessments a ON a.unit_id = u.id AND a.programme = 'yearly_evaluation'
              AND a.year = $2
         WHERE u.kind = 'school' AND {open} AND {scope} ORDER BY u.id",
        open = super::org::exists_at("u", "$1"),
        scope = scope.sql("u", today),
    );
    let rows: Vec<(i64, Option<String>, Option<i64>)> = sqlx::query_as(&sql)
        .bind(iso(day))
        .bind(i64::from(year))
        .fetch_all(db.pool())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (unit, answers, set_id) in rows {
        let mut answers: Answers = match answers {
            Some(text) => from_json(&text)?,
            None => Answers::new(),
        };
        let set_id = set_id.unwrap_or(current);
        if let std::collections::hash_map::Entry::Vacant(e) = sets.entry(set_id) {
            e.insert(set(db, set_id).await?.body);
        }
        let body = &sets[&set_id];
        body.fill_from_reports(
            &mut answers,
            timeliness.get(&unit).copied().unwrap_or_default(),
        );
        out.push((unit, body.score(&answers)));
    }
    Ok(out)
}

/// How many schools in `scope` have an assessment of `programme` for `year`.
pub async fn assessed_count(
    db: &Db,
    programme: Programme,
    year: i32,
    scope: &Scope,
    today: NaiveDate,
) -> Result<usize, AppError> {
    let sql = format!(
        "SELECT COUNT(*) FROM assessments a JOIN units u ON u.id = a.unit_id
         WHERE a.programme = $1 AND a.year = $2 AND {scope}",
        scope = scope.sql("u", today),
    );
    let (n,): (i64,) = sqlx::query_as(&sql)
        .bind(programme.code())
        .bind(i64::from(year))
        .fetch_one(db.pool())
        .await?;
    Ok(n as usize)
}

/// The current year for recognition: the calendar year of `today`.
pub fn current_year(today: NaiveDate) -> i32 {
    today.year()
}
