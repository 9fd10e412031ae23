//! Models that schools run: the catalogue, registrations with their evidence, yearly reviews,
//! and the counts by model and area.

use super::org::Scope;
use super::reports::{area_join, AREA_OF};
use super::{iso, now_text, Db};
use crate::dashboard::Topic;
use crate::error::AppError;
use crate::org::UnitRef;
use crate::safety_models::{
    Evidence, ModelCount, ModelRun, NewRun, Rating, RunReview, SafetyModel,
};
use chrono::NaiveDate;
use std::collections::HashMap;

pub async fn catalogue(db: &Db) -> Result<Vec<SafetyModel>, AppError> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, description FROM safety_models ORDER BY id")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, description)| SafetyModel {
            id,
            name,
            description,
        })
        .collect())
}

/// Adds a model to the catalogue (checked by the caller).
pub async fn add_model(db: &Db, name: &str, description: &str) -> Result<i64, AppError> {
    let inserted = sqlx::query_as::<_, (i64,)>(
        "INSERT INTO safety_models (name, description, created_at) VALUES ($1, $2, $3)
         RETURNING id",
    )
    .bind(name)
    .bind(description)
    .bind(now_text())
    .fetch_one(db.pool())
    .await;
    match inserted {
        Ok((id,)) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(AppError::Invalid(
            format!("Danh mục đã có mô hình “{name}”."),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Registers a model a school runs. A school registers each model once.
pub async fn register(db: &Db, run: &NewRun, user: i64) -> Result<i64, AppError> {
    let mut tx = db.pool().begin().await?;
    let inserted = sqlx::query_as::<_, (i64,)>(
        "INSERT INTO model_runs (model_id, unit_id, started_on, places, note, created_by,
             created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(run.model)
    .bind(run.unit)
    .bind(iso(run.started_on))
    .bind(run.places)
    .bind(run.note.trim())
    .bind(user)
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok((id,)) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::Invalid(
                "Trường đã đăng ký mô hình này; hãy cập nhật mô hình đã có.".into(),
            ))
        }
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
            return Err(AppError::Invalid(
                "Không có mô hình này trong danh mục.".into(),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let change =
        super::changes::Change::of_unit(&mut tx, Topic::Models, run.unit, run.started_on).await?;
    db.commit_announcing(tx, change).await?;
    Ok(id)
}

/// The school that runs `run`.
pub async fn run_unit(db: &Db, run: i64) -> Result<i64, AppError> {
    let (unit,): (i64,) = sqlx::query_as("SELECT unit_id FROM model_runs WHERE id = $1")
        .bind(run)
        .fetch_one(db.pool())
        .await?;
    Ok(unit)
}

/// Attaches the evidence of a run, replacing the one there was.
pub async fn put_evidence(
    db: &Db,
    run: i64,
    file_name: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE model_runs SET evidence_name = $1, evidence_type = $2, evidence_size = $3,
             evidence_sha256 = $4, evidence = $5 WHERE id = $6",
    )
    .bind(file_name)
    .bind(content_type)
    .bind(bytes.len() as i64)
    .bind(super::reports::checksum(bytes))
    .bind(bytes)
    .bind(run)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The evidence of a run: name, type and content.
pub async fn evidence(db: &Db, run: i64) -> Result<(String, String, Vec<u8>), AppError> {
    let row: (Option<String>, Option<String>, Option<Vec<u8>>) = sqlx::query_as(
        "SELECT evidence_name, evidence_type, evidence FROM model_runs WHERE id = $1",
    )
    .bind(run)
    .fetch_one(db.pool())
    .await?;
    match row {
        (Some(name), Some(kind), Some(bytes)) => Ok((name, kind, bytes)),
        _ => Err(AppError::NotFound),
    }
}

/// Records the review of a run for a year, replacing an earlier one of the same year.
#[allow(clippy::too_many_arguments)]
pub async fn review(
    db: &Db,
    run: i64,
    unit: i64,
    year: i32,
    rating: Rating,
    replicate: bool,
    note: &str,
    user: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM model_reviews WHERE run_id = $1 AND year = $2")
        .bind(run)
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO model_reviews (run_id, year, rating, replicate, note, reviewed_by,
             reviewed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(run)
    .bind(i64::from(year))
    .bind(rating.code())
    .bind(i64::from(replicate))
    .bind(note)
    .bind(user)
    .bind(now_text())
    .execute(&mut *tx)
    .await?;
    let change = super::changes::Change::of_unit(&mut tx, Topic::Models, unit, today).await?;
    db.commit_announcing(tx, change).await?;
    Ok(())
}

/// The last day of `year`, the day on which areas and running models are counted.
pub fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The day a year's figures are taken on: its last day, or today for the current year.
pub fn counted_on(year: i32, today: NaiveDate) -> NaiveDate {
    year_end(year).min(today)
}

/// Schools running each model by area within `scope`, for `year`: runs started on or before
/// the day counted, areas as on that day, and the reviews of that year.
pub async fn counts(
    db: &Db,
    year: i32,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Vec<ModelCount>, AppError> {
    let day = counted_on(year, today);
    let sql = format!(
        "SELECT r.model_id, {AREA_OF} AS area, COUNT(*), CAST(SUM(r.places) AS BIGINT),
                SUM(CASE WHEN v.rating = 'good' THEN 1 ELSE 0 END),
                SUM(CASE WHEN v.replicate = 1 THEN 1 ELSE 0 END)
         FROM model_runs r JOIN units u ON u.id = r.unit_id {join}
         LEFT JOIN model_reviews v ON v.run_id = r.id AND v.year = $2
         WHERE r.started_on <= $1 AND {open} AND {scope}
         GROUP BY r.model_id, {AREA_OF}",
        join = area_join("u", "$1"),
        open = super::org::exists_at("u", "$1"),
        scope = scope.sql("u", day),
    );
    let rows: Vec<(i64, Option<i64>, i64, i64, i64, i64)> = sqlx::query_as(&sql)
        .bind(iso(day))
        .bind(i64::from(year))
        .fetch_all(db.pool())
        .await?;
    let areas: Vec<i64> = rows.iter().filter_map(|r| r.1).collect();
    let refs = super::plans::unit_refs(db, &areas).await?;
    let mut out: Vec<ModelCount> = rows
        .into_iter()
        .map(
            |(model, area, schools, places, good, replicate)| ModelCount {
                model,
                area: area.and_then(|a| refs.get(&a).cloned()),
                schools,
                places,
                good,
                replicate,
            },
        )
        .collect();
    out.sort_by(|a, b| {
        let name = |c: &ModelCount| c.area.as_ref().map(|a| a.name.clone());
        (a.model, name(a)).cmp(&(b.model, name(b)))
    });
    Ok(out)
}

/// Which runs to list.
pub enum RunsOf<'a> {
    /// The runs of these schools.
    Schools(&'a [i64]),
    /// The runs of the schools an area manages on the day counted.
    Area(i64),
}

/// Runs with the review of `year`, by school name then model.
pub async fn runs(
    db: &Db,
    of: RunsOf<'_>,
    year: i32,
    today: NaiveDate,
) -> Result<Vec<ModelRun>, AppError> {
    let day = counted_on(year, today);
    let filter = match &of {
        RunsOf::Schools([]) => return Ok(Vec::new()),
        RunsOf::Schools(ids) => format!(
            "r.unit_id IN ({})",
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        RunsOf::Area(area) => format!("l.parent_id = {area}"),
    };
    let sql = format!(
        "SELECT r.id, r.model_id, m.name, m.description, r.unit_id, {AREA_OF}, r.started_on,
                r.places, r.note, r.evidence_name, r.evidence_size, v.rating, v.replicate,
                v.note, us.full_name
         FROM model_runs r JOIN safety_models m ON m.id = r.model_id
         JOIN units u ON u.id = r.unit_id {join}
         LEFT JOIN model_reviews v ON v.run_id = r.id AND v.year = $2
         LEFT JOIN users us ON us.id = v.reviewed_by
         WHERE {filter}
         ORDER BY r.id",
        join = area_join("u", "$1"),
    );
    type Row = (
        i64,
        i64,
        String,
        String,
        i64,
        Option<i64>,
        String,
        i64,
        String,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(iso(day))
        .bind(i64::from(year))
        .fetch_all(db.pool())
        .await?;
    let mut ids: Vec<i64> = rows.iter().map(|r| r.4).collect();
    ids.extend(rows.iter().filter_map(|r| r.5));
    ids.sort_unstable();
    ids.dedup();
    let refs: HashMap<i64, UnitRef> = super::plans::unit_refs(db, &ids).await?;
    let mut runs: Vec<ModelRun> = rows
        .into_iter()
        .filter_map(
            |(
                id,
                model,
                name,
                description,
                unit,
                area,
                started_on,
                places,
                note,
                evidence_name,
                evidence_size,
                rating,
                replicate,
                review_note,
                reviewer,
            )| {
                let review =
                    rating
                        .as_deref()
                        .and_then(Rating::from_code)
                        .map(|rating| RunReview {
                            year,
                            rating,
                            replicate: replicate == Some(1),
                            note: review_note.unwrap_or_default(),
                            reviewer: reviewer.unwrap_or_default(),
                        });
                Some(ModelRun {
                    id,
                    model: SafetyModel {
                        id: model,
                        name,
                        description,
                    },
                    unit: refs.get(&unit)?.clone(),
                    area: area.and_then(|a| refs.get(&a).cloned()),
                    started_on: super::parse_date(&started_on).ok()?,
                    places,
                    note,
                    evidence: evidence_name.map(|file_name| Evidence {
                        file_name,
                        size: evidence_size.unwrap_or(0),
                    }),
                    review,
                })
            },
        )
        .collect();
    runs.sort_by(|a, b| (&a.unit.name, a.model.id).cmp(&(&b.unit.name, b.model.id)));
    Ok(runs)
}

/// The open areas within `scope` on the day counted, by name.
pub async fn areas(
    db: &Db,
    year: i32,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Vec<UnitRef>, AppError> {
    let day = counted_on(year, today);
    let sql = format!(
        "SELECT u.id FROM units u WHERE u.kind = 'area' AND {open} AND {scope}",
        open = super::org::exists_at("u", "$1"),
        scope = scope.sql("u", day),
    );
    let ids: Vec<(i64,)> = sqlx::query_as(&sql)
        .bind(iso(day))
        .fetch_all(db.pool())
        .await?;
    let ids: Vec<i64> = ids.into_iter().map(|(a,)| a).collect();
    let refs = super::plans::unit_refs(db, &ids).await?;
    let mut out: Vec<UnitRef> = refs.into_values().collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
