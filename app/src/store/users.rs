//! Accounts as far as the first run needs them: the first administrator.

use super::{now_text, Db};
use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;

/// Hashes a password with argon2id and the crate's default cost.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))
}

pub struct NewAdmin<'a> {
    pub username: &'a str,
    pub email: Option<&'a str>,
    pub full_name: &'a str,
    pub password: &'a str,
}

/// Creates an administrator with a grant over the department (the root of the tree).
pub async fn create_admin(db: &Db, admin: NewAdmin<'_>) -> anyhow::Result<i64> {
    let hash = hash_password(admin.password)?;
    let mut tx = db.pool().begin().await?;
    let root: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM units WHERE kind = 'department' ORDER BY id LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
    let Some((root,)) = root else {
        anyhow::bail!("the database has no department yet: run `server demo` or import one first");
    };
    let (user_id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (username, email, full_name, password_hash, must_change_password, created_at)
         VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    )
    .bind(admin.username)
    .bind(admin.email)
    .bind(admin.full_name)
    .bind(hash)
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO user_grants (user_id, role, unit_id) VALUES ($1, 'admin', $2)")
        .bind(user_id)
        .bind(root)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(user_id)
}
