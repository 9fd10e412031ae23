//! Demo models, 2022–2026: two schools in five run one model of the catalogue and one in ten
//! a second, started over the years at one to three places, half with evidence; every past
//! year reviewed (tốt, khá or trung bình, some good ones marked for replication) and a few of
//! this year's reviews done. The demo school's own account is left with none, for the
//! visitor to register. Derived from ids, so it is repeatable.

use crate::error::AppError;
use crate::reports::demo::DemoUsers;
use crate::store::{now_text, Db};
use chrono::{Datelike, NaiveDate};

const STARTS: [&str; 5] = [
    "2022-03-15",
    "2023-09-05",
    "2024-02-20",
    "2025-09-08",
    "2026-02-16",
];

pub async fn generate(db: &Db, today: NaiveDate) -> Result<(), AppError> {
    let users = DemoUsers::find(db).await?;
    let now = now_text();
    let starts = STARTS
        .iter()
        .enumerate()
        .map(|(i, d)| format!("WHEN {i} THEN '{d}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut tx = db.pool().begin().await?;
    // (schools whose id modulo 10 is below `share`, offset into the catalogue)
    for (share, offset) in [(4, 0), (1, 2)] {
        sqlx::query(&format!(
            "INSERT INTO model_runs (model_id, unit_id, started_on, places, note, created_by,
                 created_at)
             SELECT (SELECT MIN(id) FROM safety_models) + ((u.id + {offset}) % 5), u.id,
                    CASE (u.id % 5) {starts} END, 1 + (u.id % 3), '', $1, $2
             FROM units u
             WHERE u.kind = 'school' AND u.closed_on IS NULL AND (u.id % 10) < {share}
               AND u.id <> $3"
        ))
        .bind(users.school_user)
        .bind(&now)
        .bind(users.left_alone)
        .execute(&mut *tx)
        .await?;
    }
    // Runs that would start after today (a demo made early in a year) start today.
    sqlx::query("UPDATE model_runs SET started_on = $1 WHERE started_on > $1")
        .bind(crate::store::iso(today))
        .execute(&mut *tx)
        .await?;
    let scan: &[u8] = b"%PDF-1.4\n% demo evidence of a model\n";
    sqlx::query(
        "UPDATE model_runs SET evidence_name = 'minh-chung-mo-hinh.pdf',
             evidence_type = 'application/pdf', evidence_size = $1, evidence_sha256 = $2,
             evidence = $3
         WHERE id % 2 = 0",
    )
    .bind(scan.len() as i64)
    .bind(crate::store::reports::checksum(scan))
    .bind(scan)
    .execute(&mut *tx)
    .await?;
    for year in 2022..=today.year() {
        // Past years reviewed in full; this year, one run in five so far.
        let this_year = if year == today.year() {
            "AND r.id % 5 = 0"
        } else {
            ""
        };
        sqlx::query(&format!(
            "INSERT INTO model_reviews (run_id, year, rating, replicate, note, reviewed_by,
                 reviewed_at)
             SELECT r.id, $1,
                    CASE (r.id + $1) % 3 WHEN 0 THEN 'good' WHEN 1 THEN 'fair' ELSE 'average' END,
                    CASE WHEN (r.id + $1) % 3 = 0 AND r.id % 4 = 0 THEN 1 ELSE 0 END,
                    '', $2, $3
             FROM model_runs r WHERE r.started_on <= $4 {this_year}"
        ))
        .bind(i64::from(year))
        .bind(users.reviewer)
        .bind(&now)
        .bind(format!("{year}-12-31"))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
