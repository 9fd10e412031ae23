//! Emulation and awards: registrations of titles and their approval, award forms,
//! nominations and the decisions that award them.

use super::org::Scope;
use super::{iso, now_text, parse_date, Db};
use crate::emulation::{
    AwardDecisionRef, AwardForm, AwardRecord, NewAwardDecision, NewNomination, NewRegistration,
    Nomination, NomineeKind, Registration, RegistrationStatus,
};
use crate::error::AppError;
use crate::org::UnitRef;
use chrono::NaiveDate;

pub async fn forms(db: &Db) -> Result<Vec<AwardForm>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM award_forms ORDER BY id")
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| AwardForm { id, name })
        .collect())
}

fn duplicate(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Enters a registration as a draft.
pub async fn register(db: &Db, r: &NewRegistration, user: i64) -> Result<i64, AppError> {
    let inserted = sqlx::query_as::<_, (i64,)>(
        "INSERT INTO emulation_registrations (unit_id, year, kind, nominee, position, title,
             status, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8) RETURNING id",
    )
    .bind(r.unit)
    .bind(i64::from(r.year))
    .bind(r.kind.code())
    .bind(r.nominee.trim())
    .bind(r.position.trim())
    .bind(&r.title)
    .bind(user)
    .bind(now_text())
    .fetch_one(db.pool())
    .await;
    match inserted {
        Ok((id,)) => Ok(id),
        Err(e) if duplicate(&e) => Err(AppError::Invalid(format!(
            "“{}” đã đăng ký danh hiệu “{}” năm {}.",
            r.nominee.trim(),
            r.title,
            r.year
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The unit, year and status of a registration.
pub async fn registration_key(
    db: &Db,
    id: i64,
) -> Result<(i64, i32, RegistrationStatus), AppError> {
    let (unit, year, status): (i64, i64, String) =
        sqlx::query_as("SELECT unit_id, year, status FROM emulation_registrations WHERE id = $1")
            .bind(id)
            .fetch_one(db.pool())
            .await?;
    let status = RegistrationStatus::from_code(&status).ok_or(AppError::Internal)?;
    Ok((unit, year as i32, status))
}

/// Moves a registration from one of `from` to `to`, with a reason; refused when it has moved
/// meanwhile.
pub async fn set_status(
    db: &Db,
    id: i64,
    from: &[RegistrationStatus],
    to: RegistrationStatus,
    reason: &str,
    user: i64,
) -> Result<(), AppError> {
    let allowed = from
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut tx = db.pool().begin().await?;
    let done: Option<(i64, String, String)> = sqlx::query_as(&format!(
        "UPDATE emulation_registrations SET status = $1, reason = $2, updated_by = $3,
             updated_at = $4
         WHERE id = $5 AND status IN ({allowed})
         RETURNING unit_id, nominee, title"
    ))
    .bind(to.code())
    .bind(reason)
    .bind(user)
    .bind(now_text())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((unit, nominee, title)) = done else {
        return Err(AppError::Invalid(
            "Đăng ký vừa được người khác xử lý; hãy tải lại trang.".into(),
        ));
    };
    // The unit hears of the department's answer.
    let answer = match to {
        RegistrationStatus::Approved => Some("đã được duyệt".to_string()),
        RegistrationStatus::Rejected => Some(format!("bị từ chối: {reason}")),
        _ => None,
    };
    if let Some(answer) = answer {
        let message = format!("Đăng ký danh hiệu “{title}” của {nominee} {answer}");
        super::reports::notify_unit(&mut tx, unit, "emulation", &message, "/emulation").await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Enters a nomination.
pub async fn nominate(db: &Db, n: &NewNomination, user: i64) -> Result<i64, AppError> {
    let inserted = sqlx::query_as::<_, (i64,)>(
        "INSERT INTO nominations (unit_id, year, kind, nominee, position, form_id, achievements,
             created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(n.unit)
    .bind(i64::from(n.year))
    .bind(n.kind.code())
    .bind(n.nominee.trim())
    .bind(n.position.trim())
    .bind(n.form)
    .bind(n.achievements.trim())
    .bind(user)
    .bind(now_text())
    .fetch_one(db.pool())
    .await;
    match inserted {
        Ok((id,)) => Ok(id),
        Err(e) if duplicate(&e) => Err(AppError::Invalid(format!(
            "“{}” đã được đề nghị hình thức khen thưởng này năm {}.",
            n.nominee.trim(),
            n.year
        ))),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Err(AppError::Invalid(
            "Không có hình thức khen thưởng này.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Records a decision over nominations of its form and year not yet awarded; any other in
/// the list refuses the whole decision.
pub async fn decide(db: &Db, d: &NewAwardDecision, user: i64) -> Result<i64, AppError> {
    let mut tx = db.pool().begin().await?;
    let inserted = sqlx::query_as::<_, (i64,)>(
        "INSERT INTO award_decisions (year, form_id, number, signed_on, signer, created_by,
             created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(i64::from(d.year))
    .bind(d.form)
    .bind(d.number.trim())
    .bind(iso(d.signed_on))
    .bind(d.signer.trim())
    .bind(user)
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok((id,)) => id,
        Err(e) if duplicate(&e) => {
            return Err(AppError::Invalid(format!(
                "Năm {} đã có quyết định số {}.",
                d.year,
                d.number.trim()
            )))
        }
        Err(e) => return Err(e.into()),
    };
    let mut awarded = 0;
    for nomination in &d.nominations {
        awarded += sqlx::query(
            "UPDATE nominations SET decision_id = $1
             WHERE id = $2 AND year = $3 AND form_id = $4 AND decision_id IS NULL",
        )
        .bind(id)
        .bind(nomination)
        .bind(i64::from(d.year))
        .bind(d.form)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    if awarded as usize != d.nominations.len() {
        tx.rollback().await?;
        return Err(AppError::Invalid(
            "Có đề nghị không thuộc hình thức, năm này hoặc đã được khen thưởng; hãy tải lại trang."
                .into(),
        ));
    }
    tx.commit().await?;
    Ok(id)
}

fn decision_ref(
    id: Option<i64>,
    number: Option<String>,
    signed_on: Option<String>,
    signer: Option<String>,
) -> Option<AwardDecisionRef> {
    Some(AwardDecisionRef {
        id: id?,
        number: number?,
        signed_on: parse_date(&signed_on?).ok()?,
        signer: signer?,
    })
}

/// The year's registrations and nominations within `scope`, by school name.
pub async fn year(
    db: &Db,
    year: i32,
    scope: &Scope,
    today: NaiveDate,
) -> Result<(Vec<Registration>, Vec<Nomination>), AppError> {
    let scope = scope.sql("u", today);
    type RegistrationRow = (i64, i64, String, String, String, String, String, String);
    let rows: Vec<RegistrationRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.unit_id, r.kind, r.nominee, r.position, r.title, r.status, r.reason
             FROM emulation_registrations r JOIN units u ON u.id = r.unit_id
             WHERE r.year = $1 AND {scope}
             ORDER BY r.id"
    ))
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    type NominationRow = (
        i64,
        i64,
        String,
        String,
        String,
        i64,
        String,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let nominated: Vec<NominationRow> = sqlx::query_as(&format!(
        "SELECT n.id, n.unit_id, n.kind, n.nominee, n.position, n.form_id, f.name,
                n.achievements, d.id, d.number, d.signed_on, d.signer
         FROM nominations n JOIN units u ON u.id = n.unit_id
         JOIN award_forms f ON f.id = n.form_id
         LEFT JOIN award_decisions d ON d.id = n.decision_id
         WHERE n.year = $1 AND {scope}
         ORDER BY n.id"
    ))
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    let mut ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
    ids.extend(nominated.iter().map(|n| n.1));
    ids.sort_unstable();
    ids.dedup();
    let refs = super::plans::unit_refs(db, &ids).await?;
    let unit = |id: i64| -> Option<UnitRef> { refs.get(&id).cloned() };
    let mut registrations: Vec<Registration> = rows
        .into_iter()
        .filter_map(|(id, u, kind, nominee, position, title, status, reason)| {
            Some(Registration {
                id,
                unit: unit(u)?,
                year,
                kind: NomineeKind::from_code(&kind)?,
                nominee,
                position,
                title,
                status: RegistrationStatus::from_code(&status)?,
                reason,
            })
        })
        .collect();
    let mut nominations: Vec<Nomination> = nominated
        .into_iter()
        .filter_map(
            |(id, u, kind, nominee, position, form, form_name, achievements, d, n, on, by)| {
                Some(Nomination {
                    id,
                    unit: unit(u)?,
                    year,
                    kind: NomineeKind::from_code(&kind)?,
                    nominee,
                    position,
                    form: AwardForm {
                        id: form,
                        name: form_name,
                    },
                    achievements,
                    decision: decision_ref(d, n, on, by),
                })
            },
        )
        .collect();
    // By school name; within a school, in the order entered.
    registrations.sort_by(|a, b| a.unit.name.cmp(&b.unit.name));
    nominations.sort_by(|a, b| a.unit.name.cmp(&b.unit.name));
    Ok((registrations, nominations))
}

/// The awards a unit received, newest first.
pub async fn awards_of(db: &Db, unit: i64) -> Result<Vec<AwardRecord>, AppError> {
    type AwardRow = (i64, String, String, String, i64, String, String, String);
    let rows: Vec<AwardRow> = sqlx::query_as(
        "SELECT n.year, n.kind, n.nominee, f.name, d.id, d.number, d.signed_on, d.signer
         FROM nominations n JOIN award_forms f ON f.id = n.form_id
         JOIN award_decisions d ON d.id = n.decision_id
         WHERE n.unit_id = $1
         ORDER BY n.year DESC, d.signed_on DESC, n.id",
    )
    .bind(unit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(year, kind, nominee, form, id, number, signed_on, signer)| {
                Some(AwardRecord {
                    year: year as i32,
                    kind: NomineeKind::from_code(&kind)?,
                    nominee,
                    form,
                    decision: decision_ref(Some(id), Some(number), Some(signed_on), Some(signer))?,
                })
            },
        )
        .collect())
}
