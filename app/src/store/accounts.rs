//! Accounts in the database: users and grants, sessions, sign-in failures, the scope of a
//! grant in the tree, and the audit trail.

use super::{iso, now_text, Db};
use crate::accounts::Role;
use crate::error::AppError;
use crate::org::UnitRef;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// argon2id with 19 MiB and four passes: about 50–100 ms per sign-in on the department's
/// 2-core servers (BENCHMARKS.md), slow for guessing, quick enough for people.
fn hasher() -> Argon2<'static> {
    match Params::new(19 * 1024, 4, 1, None) {
        Ok(params) => Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
        Err(_) => Argon2::default(),
    }
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "hashing a password");
            AppError::Internal
        })
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Password hashing runs off the async workers, at most this many at once (19 MiB each): a
/// burst of sign-ins waits its turn instead of exhausting memory.
fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        tokio::sync::Semaphore::new(cores.clamp(2, 8))
    })
}

/// [`verify_password`] under the bound on concurrent hashing.
pub async fn check_password(password: String, hash: String) -> bool {
    let Ok(_permit) = hashing_permits().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// [`hash_password`] under the bound on concurrent hashing.
pub async fn new_password_hash(password: String) -> Result<String, AppError> {
    let _permit = hashing_permits()
        .acquire()
        .await
        .map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::Internal)?
}

/// A hash to check against when the account does not exist, so that a wrong user name
/// takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never valid").unwrap_or_default())
}

/// A new random session token (sent in the cookie) and its hash (kept in the database).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub active: bool,
    pub demo: bool,
}

type UserTuple = (i64, String, String, String, i64, i64, i64);

fn user_from(t: UserTuple) -> UserRow {
    UserRow {
        id: t.0,
        username: t.1,
        full_name: t.2,
        password_hash: t.3,
        must_change_password: t.4 != 0,
        active: t.5 != 0,
        demo: t.6 != 0,
    }
}

const USER_COLUMNS: &str =
    "id, username, full_name, password_hash, must_change_password, active, demo";

/// The account a sign-in names, by user name or e-mail (case ignored).
pub async fn user_by_login(db: &Db, login: &str) -> Result<Option<UserRow>, AppError> {
    let login = login.trim().to_lowercase();
    let row: Option<UserTuple> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE LOWER(username) = $1 OR LOWER(email) = $1"
    ))
    .bind(login)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(user_from))
}

pub async fn user_by_id(db: &Db, id: i64) -> Result<Option<UserRow>, AppError> {
    let row: Option<UserTuple> =
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(user_from))
}

/// A new account with its grants.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: Option<&'a str>,
    pub full_name: &'a str,
    pub password: &'a str,
    /// The password's hash when already computed (the demo accounts share one password).
    pub password_hash: Option<&'a str>,
    pub must_change_password: bool,
    pub demo: bool,
    pub grants: Vec<(Role, i64)>,
}

pub async fn create_user(conn: &mut AnyConnection, user: &NewUser<'_>) -> Result<i64, AppError> {
    let taken: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM users WHERE LOWER(username) = $1 OR ($2 <> '' AND LOWER(email) = $2)",
    )
    .bind(user.username.to_lowercase())
    .bind(user.email.unwrap_or("").to_lowercase())
    .fetch_optional(&mut *conn)
    .await?;
    if taken.is_some() {
        return Err(AppError::Invalid(format!(
            "Tên đăng nhập hoặc e-mail của “{}” đã có người dùng.",
            user.username
        )));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (username, email, full_name, password_hash, must_change_password,
                            created_at, active, demo)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id",
    )
    .bind(user.username)
    .bind(user.email)
    .bind(user.full_name)
    .bind(match user.password_hash {
        Some(hash) => hash.to_string(),
        None => hash_password(user.password)?,
    })
    .bind(i64::from(user.must_change_password))
    .bind(now_text())
    .bind(i64::from(user.demo))
    .fetch_one(&mut *conn)
    .await?;
    for (role, unit) in &user.grants {
        sqlx::query("INSERT INTO user_grants (user_id, role, unit_id) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(role.code())
            .bind(unit)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

pub async fn set_password(
    db: &Db,
    user: i64,
    password: &str,
    must_change: bool,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3
         WHERE id = $4",
    )
    .bind(new_password_hash(password.to_string()).await?)
    .bind(i64::from(must_change))
    .bind(now_text())
    .bind(user)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The user's grants, each on the unit that carries it today: a grant on a unit that was
/// merged follows it into the unit it was merged into.
pub async fn grants(db: &Db, user: i64) -> Result<Vec<(Role, UnitRef)>, AppError> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT role, unit_id FROM user_grants WHERE user_id = $1 ORDER BY id")
            .bind(user)
            .fetch_all(db.pool())
            .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (role, unit) in rows {
        let Some(role) = Role::from_code(&role) else {
            tracing::warn!(role, user, "unknown role in user_grants, ignored");
            continue;
        };
        let unit = follow_merges(db, unit).await?;
        out.push((role, super::org::unit_ref_latest(db, unit).await?));
    }
    Ok(out)
}

async fn follow_merges(db: &Db, mut unit: i64) -> Result<i64, AppError> {
    // A merger chain is short; the bound only guards against a cycle in bad data.
    for _ in 0..16 {
        let (next,): (Option<i64>,) = sqlx::query_as("SELECT merged_into FROM units WHERE id = $1")
            .bind(unit)
            .fetch_one(db.pool())
            .await?;
        match next {
            Some(next) => unit = next,
            None => break,
        }
    }
    Ok(unit)
}

/// SQL that is true when `alias.id` lies in the subtree (managed-by links, as of `today`)
/// of one of `roots`. The ids and the date are ours, never user text.
pub fn within_sql(alias: &str, roots: &[i64], today: NaiveDate) -> String {
    let ids = if roots.is_empty() {
        "NULL".to_string()
    } else {
        roots
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    within_select_sql(
        alias,
        &format!("SELECT id FROM units WHERE id IN ({ids})"),
        today,
    )
}

/// SQL that is true when unit `alias` lies today in the subtree of a unit `roots` selects
/// (a query of one column of unit ids, built from our own values, never user text).
pub fn within_select_sql(alias: &str, roots: &str, today: NaiveDate) -> String {
    let day = iso(today);
    format!(
        "{alias}.id IN (WITH RECURSIVE scope_units(id) AS (
             {roots}
             UNION
             SELECT l.unit_id FROM unit_links l JOIN scope_units s ON l.parent_id = s.id
             WHERE l.relation = 'managed_by' AND l.valid_from <= '{day}'
               AND (l.valid_until IS NULL OR l.valid_until > '{day}'))
           SELECT id FROM scope_units)"
    )
}

/// Whether `unit` lies in the subtree of one of `roots` today.
pub async fn in_subtree(
    db: &Db,
    roots: &[i64],
    unit: i64,
    today: NaiveDate,
) -> Result<bool, AppError> {
    if roots.contains(&unit) {
        return Ok(true);
    }
    // A grant on the department covers every unit, closed and merged ones included.
    let department_roots = format!(
        "SELECT COUNT(*) FROM units WHERE kind = 'department' AND id IN ({})",
        if roots.is_empty() {
            "NULL".to_string()
        } else {
            roots
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    let (n,): (i64,) = sqlx::query_as(&department_roots)
        .fetch_one(db.pool())
        .await?;
    if n > 0 {
        return Ok(true);
    }
    let sql = format!(
        "SELECT COUNT(*) FROM units u WHERE u.id = $1 AND {}",
        within_sql("u", roots, today)
    );
    let (n,): (i64,) = sqlx::query_as(&sql).bind(unit).fetch_one(db.pool()).await?;
    Ok(n > 0)
}

// Sessions

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user: i64,
    pub now: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub address: &'a str,
    pub user_agent: &'a str,
}

pub async fn create_session(db: &Db, s: &NewSession<'_>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, address,
                               user_agent)
         VALUES ($1, $2, $3, $3, $4, $5, $6)",
    )
    .bind(s.token_hash)
    .bind(s.user)
    .bind(time_text(s.now))
    .bind(time_text(s.expires))
    .bind(s.address)
    .bind(s.user_agent.chars().take(300).collect::<String>())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The user of a live session, and when it was last seen.
pub async fn session_user(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.user_id, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.created_at > $3
           AND u.active = 1",
    )
    .bind(token_hash)
    .bind(time_text(now))
    .bind(time_text(now - crate::authz::ABSOLUTE_LIMIT))
    .fetch_optional(db.pool())
    .await?)
}

/// Slides a session's expiry forward.
pub async fn touch_session(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3")
        .bind(time_text(now))
        .bind(time_text(expires))
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Ends every session of a user; returns how many there were.
pub async fn delete_user_sessions(db: &Db, user: i64) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(db.pool())
        .await?
        .rows_affected())
}

/// Ends every session of `user` but `keep` (the caller's own): what a password change does.
pub async fn end_other_sessions(db: &Db, user: i64, keep: &str) -> Result<u64, AppError> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user)
            .bind(keep)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

/// Makes a session look older than it is (for expiry tests and the benchmark).
pub async fn expire_session(db: &Db, token_hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
        .bind(time_text(DateTime::<Utc>::UNIX_EPOCH))
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

// Throttling

/// Reserves one attempt under each key before a password is checked, and answers, per key, how
/// many attempts it holds since `since`, this one included. Counting after reserving makes the
/// limit hold under parallel attempts: of any number sent at once, no more than the limit see a
/// count within it. A reservation not released stays as a failure.
pub async fn reserve_attempt(
    db: &Db,
    keys: &[&str],
    now: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<(Vec<i64>, Vec<i64>), AppError> {
    let mut ids = Vec::with_capacity(keys.len());
    for key in keys {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO sign_in_failures (throttle_key, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(*key)
        .bind(time_text(now))
        .fetch_one(db.pool())
        .await?;
        ids.push(id);
    }
    let mut counts = Vec::with_capacity(keys.len());
    for key in keys {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM sign_in_failures WHERE throttle_key = $1 AND at > $2",
        )
        .bind(*key)
        .bind(time_text(since))
        .fetch_one(db.pool())
        .await?;
        counts.push(n);
    }
    Ok((ids, counts))
}

/// Takes back reservations of an attempt that succeeded.
pub async fn release_attempt(db: &Db, ids: &[i64]) -> Result<(), AppError> {
    for id in ids {
        sqlx::query("DELETE FROM sign_in_failures WHERE id = $1")
            .bind(*id)
            .execute(db.pool())
            .await?;
    }
    Ok(())
}

pub async fn clear_failures(db: &Db, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE throttle_key = $1")
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}

// Browsers that signed in before

/// The account a device token (its hash) signed in to before, if any.
pub async fn device_user(db: &Db, token_hash: &str) -> Result<Option<i64>, AppError> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT user_id FROM known_devices WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(db.pool())
            .await?;
    Ok(found.map(|(user,)| user))
}

/// Remembers that the device holding the token signed in to `user`, or that it did again.
pub async fn remember_device(
    db: &Db,
    token_hash: &str,
    user: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let now = time_text(now);
    sqlx::query(
        "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at)
         VALUES ($1, $2, $3, $3)
         ON CONFLICT (token_hash) DO UPDATE SET last_used_at = excluded.last_used_at",
    )
    .bind(token_hash)
    .bind(user)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

// Audit trail

/// One write, as the audit trail keeps it.
pub struct AuditEntry<'a> {
    pub user: Option<i64>,
    pub address: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record_audit(conn: &mut AnyConnection, e: &AuditEntry<'_>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, address, action, entity, entity_id, before_json,
                                after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now_text())
    .bind(e.user)
    .bind(e.address)
    .bind(e.action)
    .bind(e.entity)
    .bind(&e.entity_id)
    .bind(e.before.as_ref().map(|v| v.to_string()))
    .bind(e.after.as_ref().map(|v| v.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A row of the audit trail as admins browse it.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub username: Option<String>,
    pub address: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The newest entries first, optionally one action or entity only.
pub async fn audit_entries(
    db: &Db,
    action: &str,
    entity: &str,
    limit: i64,
) -> Result<Vec<AuditRow>, AppError> {
    type Row = (
        i64,
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.at, u.username, a.address, a.action, a.entity, a.entity_id,
                    a.before_json, a.after_json
             FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
             WHERE ($1 = '' OR a.action = $1) AND ($2 = '' OR a.entity = $2)
             ORDER BY a.id DESC LIMIT $3",
    )
    .bind(action)
    .bind(entity)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditRow {
            id: r.0,
            at: r.1,
            username: r.2,
            address: r.3,
            action: r.4,
            entity: r.5,
            entity_id: r.6,
            before: r.7,
            after: r.8,
        })
        .collect())
}

// First run and demo

async fn department(conn: &mut AnyConnection) -> Result<i64, AppError> {
    super::org::department_id(conn).await?.ok_or_else(|| {
        AppError::Invalid(
            "Chưa có Sở trong cơ sở dữ liệu: hãy chạy `server demo` hoặc nhập dữ liệu trước."
                .into(),
        )
    })
}

/// The first administrator, with a grant over the whole department.
pub async fn create_admin(
    db: &Db,
    username: &str,
    email: Option<&str>,
    full_name: &str,
    password: &str,
) -> Result<i64, AppError> {
    if let Err(message) = crate::accounts::check_new_password(password, username) {
        return Err(AppError::Invalid(message));
    }
    let mut tx = db.pool().begin().await?;
    let root = department(&mut tx).await?;
    let id = create_user(
        &mut tx,
        &NewUser {
            username,
            email,
            full_name,
            password,
            password_hash: None,
            must_change_password: false,
            demo: false,
            grants: vec![(Role::Admin, root)],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The demo server's accounts: the department-wide roles on the department, the area officer
/// on the first commune that manages schools, school officers on its first school and on a
/// lower secondary school (of that commune when it has one). They sign in only while the
/// server runs in demo mode.
pub async fn create_demo_accounts(db: &Db, today: NaiveDate) -> Result<(), AppError> {
    use crate::authz::{DemoPlace, DEMO_ACCOUNTS, DEMO_PASSWORD};
    let mut tx = db.pool().begin().await?;
    let root = department(&mut tx).await?;
    let day = iso(today);
    let pair: Option<(i64, i64)> = sqlx::query_as(
        "SELECT a.id, s.id FROM units a
         JOIN unit_links l ON l.parent_id = a.id AND l.relation = 'managed_by'
              AND l.valid_from <= $1 AND (l.valid_until IS NULL OR l.valid_until > $1)
         JOIN units s ON s.id = l.unit_id AND s.kind = 'school'
         WHERE a.kind = 'area' AND a.closed_on IS NULL
         ORDER BY a.code, s.code LIMIT 1",
    )
    .bind(&day)
    .fetch_optional(&mut *tx)
    .await?;
    let (area, school) = pair.unwrap_or((root, root));
    let secondary: Option<(i64,)> = sqlx::query_as(
        "SELECT s.id FROM units s
         WHERE s.kind = 'school' AND s.closed_on IS NULL AND s.id <> $3
           AND s.levels LIKE '%,THCS,%'
         ORDER BY CASE WHEN EXISTS (SELECT 1 FROM unit_links l
                  WHERE l.unit_id = s.id AND l.parent_id = $1 AND l.relation = 'managed_by'
                    AND l.valid_from <= $2 AND (l.valid_until IS NULL OR l.valid_until > $2))
                  THEN 0 ELSE 1 END, s.code
         LIMIT 1",
    )
    .bind(area)
    .bind(&day)
    .bind(school)
    .fetch_optional(&mut *tx)
    .await?;
    let secondary = secondary.map_or(school, |(id,)| id);
    let hash = hash_password(DEMO_PASSWORD)?;
    for (username, role, place) in DEMO_ACCOUNTS {
        let unit = match place {
            DemoPlace::Department => root,
            DemoPlace::Area => area,
            DemoPlace::School => school,
            DemoPlace::SecondarySchool => secondary,
        };
        let full_name = format!("Tài khoản thử ({})", role.code());
        create_user(
            &mut tx,
            &NewUser {
                username,
                email: None,
                full_name: &full_name,
                password: DEMO_PASSWORD,
                password_hash: Some(&hash),
                must_change_password: false,
                demo: true,
                grants: vec![(role, unit)],
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

// Administration of users

/// A user as the administration page lists them.
#[derive(Debug, Clone)]
pub struct UserListRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub active: bool,
    pub must_change_password: bool,
}

/// Users with at least one grant inside `scope`, by user name.
pub async fn users_in_scope(
    db: &Db,
    scope: &super::org::Scope,
    today: NaiveDate,
) -> Result<Vec<UserListRow>, AppError> {
    let sql = format!(
        "SELECT u.id, u.username, u.full_name, u.email, u.active, u.must_change_password
         FROM users u WHERE u.id IN (
             SELECT g.user_id FROM user_grants g JOIN units un ON un.id = g.unit_id WHERE {})
         ORDER BY u.username LIMIT 2000",
        scope.sql("un", today)
    );
    let rows: Vec<(i64, String, String, Option<String>, i64, i64)> =
        sqlx::query_as(&sql).fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|r| UserListRow {
            id: r.0,
            username: r.1,
            full_name: r.2,
            email: r.3,
            active: r.4 != 0,
            must_change_password: r.5 != 0,
        })
        .collect())
}

/// Disables (or enables again) an account, in the caller's transaction; disabling ends its
/// sessions. Answers whether anything changed.
pub async fn set_active(
    conn: &mut AnyConnection,
    user: i64,
    active: bool,
) -> Result<bool, AppError> {
    let changed = sqlx::query("UPDATE users SET active = $1 WHERE id = $2 AND active <> $1")
        .bind(i64::from(active))
        .bind(user)
        .execute(&mut *conn)
        .await?
        .rows_affected()
        > 0;
    if !active {
        end_sessions(conn, user).await?;
    }
    Ok(changed)
}

/// Removes one grant of an account, in the caller's transaction, and ends the account's
/// sessions (it signs in again with what it still holds). Answers whether it had the grant.
pub async fn remove_grant(
    conn: &mut AnyConnection,
    user: i64,
    role: Role,
    unit: i64,
) -> Result<bool, AppError> {
    let removed =
        sqlx::query("DELETE FROM user_grants WHERE user_id = $1 AND role = $2 AND unit_id = $3")
            .bind(user)
            .bind(role.code())
            .bind(unit)
            .execute(&mut *conn)
            .await?
            .rows_affected()
            > 0;
    if removed {
        end_sessions(conn, user).await?;
    }
    Ok(removed)
}

/// Ends every session of an account, in the caller's transaction.
async fn end_sessions(conn: &mut AnyConnection, user: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How many accounts are not demo accounts (demo mode refuses a database holding any).
pub async fn count_real_accounts(db: &Db) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE demo = 0")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// A password to hand over on paper: twelve characters without look-alikes (0/O, 1/l/I).
pub fn initial_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// Schools in `scope` (today) that no account holds a school-officer grant on.
pub async fn schools_without_account(
    db: &Db,
    scope: &super::org::Scope,
    today: NaiveDate,
) -> Result<Vec<(i64, String, String)>, AppError> {
    let day = iso(today);
    let sql = format!(
        "SELECT u.id, u.code, n.name FROM units u
         JOIN unit_names n ON n.unit_id = u.id AND n.valid_from <= $1
              AND (n.valid_until IS NULL OR n.valid_until > $1)
         WHERE u.kind = 'school' AND u.closed_on IS NULL AND {}
           AND NOT EXISTS (SELECT 1 FROM user_grants g WHERE g.unit_id = u.id AND g.role = 'school')
         ORDER BY u.code",
        scope.sql("u", today)
    );
    Ok(sqlx::query_as(&sql).bind(day).fetch_all(db.pool()).await?)
}

/// Deletes expired sessions and sign-in failures older than a day; returns how many rows.
pub async fn purge_stale(db: &Db, now: DateTime<Utc>) -> Result<u64, AppError> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(time_text(now))
        .execute(db.pool())
        .await?
        .rows_affected();
    let failures = sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
        .bind(time_text(now - chrono::Duration::days(1)))
        .execute(db.pool())
        .await?
        .rows_affected();
    Ok(sessions + failures)
}
