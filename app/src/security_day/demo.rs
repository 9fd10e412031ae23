//! Demo records of the 19/8 day, 2022 to this year (once the day has passed): three schools
//! in four held it, every pilot site among them, with 60 to 1,500 taking part in two or
//! three forms. The demo school's own account is left without one for this year, for the
//! visitor to record. Derived from ids, so it is repeatable.

use super::ActivityForm;
use crate::error::AppError;
use crate::reports::demo::DemoUsers;
use crate::store::{iso, now_text, Db};
use chrono::{Datelike, NaiveDate};

pub async fn generate(db: &Db, today: NaiveDate) -> Result<(), AppError> {
    let users = DemoUsers::find(db).await?;
    let now = now_text();
    // Two or three forms a school, chosen by its id.
    let combos = [
        [ActivityForm::Ceremony, ActivityForm::Propaganda].as_slice(),
        &[
            ActivityForm::Ceremony,
            ActivityForm::Culture,
            ActivityForm::Pledge,
        ],
        &[ActivityForm::Sports, ActivityForm::Contest],
        &[
            ActivityForm::Ceremony,
            ActivityForm::Seminar,
            ActivityForm::Commendation,
        ],
        &[
            ActivityForm::Propaganda,
            ActivityForm::Pledge,
            ActivityForm::Culture,
        ],
    ];
    let forms = combos
        .iter()
        .enumerate()
        .map(|(i, c)| format!("WHEN {i} THEN '{}'", ActivityForm::encode(c)))
        .collect::<Vec<_>>()
        .join(" ");
    let this_year = today.year();
    let mut tx = db.pool().begin().await?;
    for year in 2022..=today.year() {
        let Some(day) = NaiveDate::from_ymd_opt(year, 8, 19).filter(|d| *d <= today) else {
            continue;
        };
        sqlx::query(&format!(
            "INSERT INTO security_days
                 (unit_id, year, held_on, participants, forms, note, saved_by, saved_at)
             SELECT u.id, $1, $2, 60 + ((u.id * 37 + $1) % 1441),
                    CASE ((u.id + $1) % 5) {forms} END, '', $3, $5
             FROM units u
             WHERE u.kind = 'school' AND u.established_on <= $2
               AND (u.closed_on IS NULL OR u.closed_on > $2)
               AND (u.id <> $4 OR $1 < {this_year})
               AND ((u.id + $1) % 4 <> 0 OR EXISTS (
                   SELECT 1 FROM plan_units pu JOIN plans p ON p.id = pu.plan_id
                   WHERE pu.unit_id = u.id AND pu.pilot = 1 AND p.year = $1))"
        ))
        .bind(i64::from(year))
        .bind(iso(day))
        .bind(users.school_user)
        .bind(users.left_alone)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
