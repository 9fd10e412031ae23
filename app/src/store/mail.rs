//! SQL for the e-mail copies of in-app notices. A notice is addressed to a unit (everyone
//! granted a role on it) or to one person; its e-mail goes to each of them that is active
//! and has an address. Deliveries are recorded per notice and person, so a notice is mailed
//! at most once to each, and a failed one is tried again up to `MAX_ATTEMPTS` times.

use super::{now_text, Db};
use crate::error::AppError;

/// Tries per notice and person before the mailer gives up on it.
pub const MAX_ATTEMPTS: i64 = 5;

/// A notice still to be mailed to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub notification: i64,
    pub user: i64,
    pub address: String,
    pub full_name: String,
    pub title: String,
    pub link: String,
}

/// Notices created at or after `since` (RFC 3339 text, as stored) not yet mailed to their
/// recipients, oldest first, at most `limit`.
pub async fn pending(db: &Db, since: &str, limit: i64) -> Result<Vec<Outgoing>, AppError> {
    let rows: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT DISTINCT n.id, u.id, u.email, u.full_name, n.title, n.link
         FROM notifications n
         JOIN users u ON u.id = n.user_id
              OR u.id IN (SELECT g.user_id FROM user_grants g WHERE g.unit_id = n.unit_id)
         LEFT JOIN mail_deliveries d ON d.notification_id = n.id AND d.user_id = u.id
         WHERE n.created_at >= $1 AND u.active = 1
           AND u.email IS NOT NULL AND u.email <> ''
           AND (d.notification_id IS NULL OR (d.sent_at IS NULL AND d.attempts < $2))
         ORDER BY n.id, u.id
         LIMIT $3",
    )
    .bind(since)
    .bind(MAX_ATTEMPTS)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(notification, user, address, full_name, title, link)| Outgoing {
                notification,
                user,
                address,
                full_name,
                title,
                link,
            },
        )
        .collect())
}

/// Records one try: sent, or the error the mail server gave.
pub async fn record(db: &Db, mail: &Outgoing, outcome: Result<(), String>) -> Result<(), AppError> {
    let now = now_text();
    let (sent_at, error) = match outcome {
        Ok(()) => (Some(now.clone()), String::new()),
        Err(error) => (None, error),
    };
    sqlx::query(
        "INSERT INTO mail_deliveries
             (notification_id, user_id, address, sent_at, attempts, last_error, updated_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6)
         ON CONFLICT (notification_id, user_id) DO UPDATE
         SET address = excluded.address, sent_at = excluded.sent_at,
             attempts = mail_deliveries.attempts + 1, last_error = excluded.last_error,
             updated_at = excluded.updated_at",
    )
    .bind(mail.notification)
    .bind(mail.user)
    .bind(&mail.address)
    .bind(sent_at)
    .bind(error)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}
