//! The 19/8 day's records and photos, and their figures by area, in SQL.

use super::org::Scope;
use super::reports::{area_join, AREA_OF};
use super::safety_models::counted_on;
use super::{iso, now_text, Db};
use crate::error::AppError;
use crate::org::UnitRef;
use crate::security_day::{
    ActivityForm, AreaDay, DayPhoto, DayRecord, NewDayRecord, PilotDay, MAX_PHOTOS,
};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A school is a pilot site of a year (bound to `year`) when an issued plan of that year
/// names it one.
fn pilot_of(alias: &str, year: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM plan_units pu JOIN plans p ON p.id = pu.plan_id
                 WHERE pu.unit_id = {alias}.id AND pu.pilot = 1 AND p.year = {year}
                   AND p.status IN ('issued', 'ended'))"
    )
}

/// Saves a school's record of a year, replacing the one there was. Answers its id.
pub async fn save(
    db: &Db,
    record: &NewDayRecord,
    held_on: NaiveDate,
    user: i64,
) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO security_days
             (unit_id, year, held_on, participants, forms, note, saved_by, saved_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (unit_id, year) DO UPDATE SET held_on = excluded.held_on,
             participants = excluded.participants, forms = excluded.forms,
             note = excluded.note, saved_by = excluded.saved_by, saved_at = excluded.saved_at
         RETURNING id",
    )
    .bind(record.unit)
    .bind(i64::from(record.year))
    .bind(iso(held_on))
    .bind(i64::from(record.participants))
    .bind(ActivityForm::encode(&record.forms))
    .bind(record.note.trim())
    .bind(user)
    .bind(now_text())
    .fetch_one(db.pool())
    .await?;
    Ok(id)
}

type RecordRow = (i64, i64, i64, String, i64, String, String);

/// The records of these schools for `year`, with their photos, by school.
pub async fn records(
    db: &Db,
    units: &[i64],
    year: i32,
) -> Result<HashMap<i64, DayRecord>, AppError> {
    if units.is_empty() {
        return Ok(HashMap::new());
    }
    let list = super::id_list(units);
    let rows: Vec<RecordRow> = sqlx::query_as(&format!(
        "SELECT id, unit_id, year, held_on, participants, forms, note FROM security_days
         WHERE year = $1 AND unit_id IN ({list})"
    ))
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut photos = photos_of(db, &ids).await?;
    let mut out = HashMap::new();
    for (id, unit, _, held_on, participants, forms, note) in rows {
        out.insert(
            unit,
            DayRecord {
                id,
                held_on: NaiveDate::parse_from_str(&held_on, "%Y-%m-%d")
                    .map_err(|_| AppError::Internal)?,
                participants: u32::try_from(participants).unwrap_or(0),
                forms: ActivityForm::decode(&forms),
                note,
                photos: photos.remove(&id).unwrap_or_default(),
            },
        );
    }
    Ok(out)
}

async fn photos_of(db: &Db, days: &[i64]) -> Result<HashMap<i64, Vec<DayPhoto>>, AppError> {
    if days.is_empty() {
        return Ok(HashMap::new());
    }
    let list = super::id_list(days);
    let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT id, day_id, file_name, size FROM security_day_photos
         WHERE day_id IN ({list}) ORDER BY id"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out: HashMap<i64, Vec<DayPhoto>> = HashMap::new();
    for (id, day, file_name, size) in rows {
        out.entry(day).or_default().push(DayPhoto {
            id,
            file_name,
            size,
        });
    }
    Ok(out)
}

/// The record of a school and year, if it has one.
pub async fn day_of(db: &Db, unit: i64, year: i32) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM security_days WHERE unit_id = $1 AND year = $2")
            .bind(unit)
            .bind(i64::from(year))
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|r| r.0))
}

pub struct NewPhoto<'a> {
    pub day: i64,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    pub user: i64,
}

/// Adds a photo to a record, refused once it has [`MAX_PHOTOS`]. Answers the record's
/// photos.
pub async fn add_photo(db: &Db, photo: &NewPhoto<'_>) -> Result<Vec<DayPhoto>, AppError> {
    let mut tx = db.pool().begin().await?;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM security_day_photos WHERE day_id = $1")
        .bind(photo.day)
        .fetch_one(&mut *tx)
        .await?;
    if n as usize >= MAX_PHOTOS {
        return Err(AppError::Invalid(format!(
            "Mỗi trường gửi tối đa {MAX_PHOTOS} ảnh; hãy xoá bớt ảnh cũ trước."
        )));
    }
    sqlx::query(
        "INSERT INTO security_day_photos
             (day_id, file_name, content_type, size, sha256, bytes, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(photo.day)
    .bind(photo.file_name)
    .bind(photo.content_type)
    .bind(photo.bytes.len() as i64)
    .bind(super::reports::checksum(photo.bytes))
    .bind(photo.bytes)
    .bind(photo.user)
    .bind(now_text())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(photos_of(db, &[photo.day])
        .await?
        .remove(&photo.day)
        .unwrap_or_default())
}

/// The school and year a photo belongs to.
pub async fn photo_owner(db: &Db, photo: i64) -> Result<(i64, i32), AppError> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT d.unit_id, d.year FROM security_day_photos p
         JOIN security_days d ON d.id = p.day_id WHERE p.id = $1",
    )
    .bind(photo)
    .fetch_optional(db.pool())
    .await?;
    row.map(|(unit, year)| (unit, year as i32))
        .ok_or(AppError::NotFound)
}

/// A photo: name, type and content.
pub async fn photo(db: &Db, photo: i64) -> Result<(String, String, Vec<u8>), AppError> {
    let row: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT file_name, content_type, bytes FROM security_day_photos WHERE id = $1",
    )
    .bind(photo)
    .fetch_optional(db.pool())
    .await?;
    row.ok_or(AppError::NotFound)
}

pub async fn delete_photo(db: &Db, photo: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM security_day_photos WHERE id = $1")
        .bind(photo)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Which of these schools are pilot sites of `year`.
pub async fn pilots_among(db: &Db, units: &[i64], year: i32) -> Result<HashSet<i64>, AppError> {
    if units.is_empty() {
        return Ok(HashSet::new());
    }
    let list = super::id_list(units);
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT u.id FROM units u WHERE u.id IN ({list}) AND {pilot}",
        pilot = pilot_of("u", "$1"),
    ))
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The schools open on the day counted within `scope`, by area: how many held the day, how
/// many took part, and the pilot sites.
pub async fn by_area(
    db: &Db,
    year: i32,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Vec<AreaDay>, AppError> {
    let day = counted_on(year, today);
    let pilot = pilot_of("u", "$2");
    let sql = format!(
        "SELECT {AREA_OF} AS area, COUNT(*),
                SUM(CASE WHEN d.id IS NULL THEN 0 ELSE 1 END),
                CAST(COALESCE(SUM(d.participants), 0) AS BIGINT),
                SUM(CASE WHEN {pilot} THEN 1 ELSE 0 END),
                SUM(CASE WHEN d.id IS NOT NULL AND {pilot} THEN 1 ELSE 0 END)
         FROM units u {join}
         LEFT JOIN security_days d ON d.unit_id = u.id AND d.year = $2
         WHERE u.kind = 'school' AND {open} AND {scope}
         GROUP BY {AREA_OF}",
        join = area_join("u", "$1"),
        open = super::org::exists_at("u", "$1"),
        scope = scope.sql("u", day),
    );
    let rows: Vec<(Option<i64>, i64, i64, i64, i64, i64)> = sqlx::query_as(&sql)
        .bind(iso(day))
        .bind(i64::from(year))
        .fetch_all(db.pool())
        .await?;
    let areas: Vec<i64> = rows.iter().filter_map(|r| r.0).collect();
    let refs = super::plans::unit_refs(db, &areas).await?;
    let mut out: Vec<AreaDay> = rows
        .into_iter()
        .map(
            |(area, schools, held, participants, pilots, pilots_held)| AreaDay {
                area: area.and_then(|a| refs.get(&a).cloned()),
                schools,
                held,
                participants,
                pilots,
                pilots_held,
            },
        )
        .collect();
    out.sort_by_key(|a| a.area.as_ref().map(|r| r.name.clone()));
    Ok(out)
}

/// Schools per activity form within `scope` for `year`.
pub async fn forms(
    db: &Db,
    year: i32,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Vec<(ActivityForm, i64)>, AppError> {
    let day = counted_on(year, today);
    let sql = format!(
        "SELECT d.forms, COUNT(*) FROM security_days d JOIN units u ON u.id = d.unit_id
         WHERE d.year = $2 AND {open} AND {scope} GROUP BY d.forms",
        open = super::org::exists_at("u", "$1"),
        scope = scope.sql("u", day),
    );
    let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
        .bind(iso(day))
        .bind(i64::from(year))
        .fetch_all(db.pool())
        .await?;
    let mut counts: BTreeMap<ActivityForm, i64> = BTreeMap::new();
    for (forms, n) in rows {
        for form in ActivityForm::decode(&forms) {
            *counts.entry(form).or_default() += n;
        }
    }
    Ok(ActivityForm::ALL
        .into_iter()
        .map(|f| (f, counts.get(&f).copied().unwrap_or(0)))
        .collect())
}

/// The pilot sites of `year` within `scope`, with what each held.
pub async fn pilots(
    db: &Db,
    year: i32,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Vec<PilotDay>, AppError> {
    let day = counted_on(year, today);
    let sql = format!(
        "SELECT u.id, {AREA_OF}, d.held_on, d.participants, d.id FROM units u {join}
         LEFT JOIN security_days d ON d.unit_id = u.id AND d.year = $2
         WHERE u.kind = 'school' AND {pilot} AND {scope}",
        join = area_join("u", "$1"),
        pilot = pilot_of("u", "$2"),
        scope = scope.sql("u", day),
    );
    // (school, area, day held, participants, record)
    type Row = (i64, Option<i64>, Option<String>, Option<i64>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(iso(day))
        .bind(i64::from(year))
        .fetch_all(db.pool())
        .await?;
    let mut ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    ids.extend(rows.iter().filter_map(|r| r.1));
    let refs: HashMap<i64, UnitRef> = super::plans::unit_refs(db, &ids).await?;
    let days: Vec<i64> = rows.iter().filter_map(|r| r.4).collect();
    let mut photos = photos_of(db, &days).await?;
    let mut out: Vec<PilotDay> = rows
        .into_iter()
        .filter_map(|(unit, area, held_on, participants, day)| {
            Some(PilotDay {
                unit: refs.get(&unit).cloned()?,
                area: area.and_then(|a| refs.get(&a).cloned()),
                held_on: held_on.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                participants: participants.and_then(|p| u32::try_from(p).ok()),
                photos: day.and_then(|d| photos.remove(&d)).unwrap_or_default(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |p: &PilotDay| (p.area.as_ref().map(|a| a.name.clone()), p.unit.name.clone());
        key(a).cmp(&key(b))
    });
    Ok(out)
}
