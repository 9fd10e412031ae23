//! Demo emulation, 2022–2026: one school in six registers its collective for a title each
//! year (approved in past years; this year in every state), one in twelve its principal too;
//! one in fifteen is nominated for the department director's certificate, awarded by a
//! decision at each past year's end and awaiting one this year. The demo school's own
//! account is left with none. Derived from ids, so it is repeatable.

use crate::error::AppError;
use crate::reports::demo::DemoUsers;
use crate::store::{now_text, Db};
use chrono::{Datelike, NaiveDate};

pub async fn generate(db: &Db, today: NaiveDate) -> Result<(), AppError> {
    let users = DemoUsers::find(db).await?;
    let now = now_text();
    let this_year = today.year();
    let (form,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM award_forms")
        .fetch_one(db.pool())
        .await?;
    let mut tx = db.pool().begin().await?;
    for year in 2022..=this_year {
        let status = if year == this_year {
            "CASE (u.id / 6) % 4 WHEN 0 THEN 'draft' WHEN 1 THEN 'pending'
                 WHEN 2 THEN 'rejected' ELSE 'approved' END"
        } else {
            "'approved'"
        };
        let reason = "CASE WHEN (u.id / 6) % 4 = 2 AND $1 = $5
                  THEN 'Chưa đủ thời gian công tác tại đơn vị.' ELSE '' END";
        sqlx::query(&format!(
            "INSERT INTO emulation_registrations (unit_id, year, kind, nominee, position, title,
                 status, reason, updated_by, updated_at)
             SELECT u.id, $1, 'collective', (SELECT n.name FROM unit_names n WHERE n.unit_id = u.id
                                           ORDER BY n.valid_from DESC LIMIT 1), '', 'Tập thể lao động tiên tiến', {status},
                    {reason}, $2, $3
             FROM units u WHERE u.kind = 'school' AND u.closed_on IS NULL AND u.id % 6 = 0
               AND u.id <> $4"
        ))
        .bind(i64::from(year))
        .bind(users.school_user)
        .bind(&now)
        .bind(users.left_alone)
        .bind(i64::from(this_year))
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO emulation_registrations (unit_id, year, kind, nominee, position, title,
                 status, reason, updated_by, updated_at)
             SELECT u.id, $1, 'individual',
                    CASE (u.id / 12) % 4 WHEN 0 THEN 'Nguyễn Thị Lan' WHEN 1 THEN 'Trần Văn Minh'
                         WHEN 2 THEN 'Lê Thị Hồng' ELSE 'Phạm Quốc Bảo' END,
                    'Hiệu trưởng', 'Chiến sĩ thi đua cơ sở', {status}, {reason}, $2, $3
             FROM units u WHERE u.kind = 'school' AND u.closed_on IS NULL AND u.id % 12 = 0
               AND u.id <> $4"
        ))
        .bind(i64::from(year))
        .bind(users.school_user)
        .bind(&now)
        .bind(users.left_alone)
        .bind(i64::from(this_year))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO nominations (unit_id, year, kind, nominee, position, form_id,
                 achievements, created_by, created_at)
             SELECT u.id, $1, 'collective', (SELECT n.name FROM unit_names n WHERE n.unit_id = u.id
                                           ORDER BY n.valid_from DESC LIMIT 1), '', $2,
                    'Hoàn thành xuất sắc nhiệm vụ xây dựng phong trào toàn dân bảo vệ ANTQ; không có học sinh vi phạm pháp luật; duy trì mô hình “Cổng trường an toàn giao thông”.',
                    $3, $4
             FROM units u WHERE u.kind = 'school' AND u.closed_on IS NULL AND u.id % 15 = 0
               AND u.id <> $5",
        )
        .bind(i64::from(year))
        .bind(form)
        .bind(users.school_user)
        .bind(&now)
        .bind(users.left_alone)
        .execute(&mut *tx)
        .await?;
        if year < this_year {
            let (decision,): (i64,) = sqlx::query_as(
                "INSERT INTO award_decisions (year, form_id, number, signed_on, signer,
                     created_by, created_at)
                 VALUES ($1, $2, $3, $4, 'Nguyễn Văn Hùng', $5, $6) RETURNING id",
            )
            .bind(i64::from(year))
            .bind(form)
            .bind(format!("{}/QĐ-SGDĐT", 1500 + year - 2022))
            .bind(format!("{year}-12-22"))
            .bind(users.specialist)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE nominations SET decision_id = $1 WHERE year = $2 AND form_id = $3")
                .bind(decision)
                .bind(i64::from(year))
                .bind(form)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
