//! Backups taken while the app is in use, and restoring one into an empty database.
//!
//! - SQLite: `VACUUM INTO` writes a copy of the database as one read transaction sees it,
//!   so writers carry on and the copy is consistent; restoring checks the copy's integrity,
//!   puts it in place of the empty database and applies newer migrations.
//! - PostgreSQL: `pg_dump` in its custom format (one consistent snapshot), and `pg_restore`
//!   into a database that holds no data yet; both must be on the PATH.

use anyhow::{bail, Context};
use app::store::{Backend, Db};
use sqlx::Connection;
use std::path::Path;

/// Writes a backup of the database at `url` (served by `db`) to `file`, which must not
/// exist yet.
pub async fn backup(db: &Db, url: &str, file: &Path) -> anyhow::Result<()> {
    if file.exists() {
        bail!("{} already exists; choose a new file name", file.display());
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    match db.backend() {
        Backend::Sqlite => {
            let path = file
                .to_str()
                .context("the backup file's path must be valid UTF-8")?;
            sqlx::query("VACUUM INTO $1")
                .bind(path)
                .execute(db.pool())
                .await
                .context("writing the SQLite backup")?;
        }
        Backend::Postgres => {
            run(
                "pg_dump",
                &[
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    &file.to_string_lossy(),
                    url,
                ],
            )
            .await?
        }
    }
    Ok(())
}

/// Restores `file` (a backup made by `backup`) into the database at `url`, which must hold
/// no data: no units and no users. Newer migrations are applied afterwards.
pub async fn restore(url: &str, file: &Path) -> anyhow::Result<()> {
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let target = Db::connect(url).await?;
    if holds_data(&target).await? {
        target.close().await;
        bail!("the database already holds data; restore only into an empty database");
    }
    let backend = target.backend();
    target.close().await;
    match backend {
        Backend::Sqlite => {
            // One plain read-only connection: the pool's settings would switch the
            // copy's journal mode, which a read-only file refuses.
            let mut copy =
                sqlx::AnyConnection::connect(&format!("sqlite:{}?mode=ro", file.display()))
                    .await
                    .context("opening the backup")?;
            let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
                .fetch_one(&mut copy)
                .await
                .context("reading the backup")?;
            copy.close().await?;
            if check != "ok" {
                bail!("the backup is damaged: {check}");
            }
            let path = sqlite_path(url);
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
            std::fs::copy(file, &path).with_context(|| format!("copying into {path}"))?;
        }
        Backend::Postgres => {
            // Tables an earlier `migrate` made are empty (checked above): they go first.
            run(
                "pg_restore",
                &[
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--exit-on-error",
                    "--dbname",
                    url,
                    &file.to_string_lossy(),
                ],
            )
            .await?
        }
    }
    let db = Db::connect(url).await?;
    db.migrate().await?;
    db.close().await;
    Ok(())
}

/// Whether the database has units or users (a database without the tables has neither).
async fn holds_data(db: &Db) -> anyhow::Result<bool> {
    for table in ["units", "users"] {
        if let Ok((n,)) = sqlx::query_as::<_, (i64,)>(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(db.pool())
            .await
        {
            if n > 0 {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The file of a `sqlite:` URL.
fn sqlite_path(url: &str) -> String {
    let rest = url.strip_prefix("sqlite:").unwrap_or(url);
    let rest = rest.trim_start_matches("//");
    rest.split('?').next().unwrap_or(rest).to_string()
}

async fn run(program: &str, args: &[&str]) -> anyhow::Result<()> {
    let mut command = std::process::Command::new(program);
    command.args(args);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await?
        .with_context(|| format!("running {program} (is it installed and on the PATH?)"))?;
    if !output.status.success() {
        bail!(
            "{program} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_path("sqlite:./data/antq.db"), "./data/antq.db");
        assert_eq!(
            sqlite_path("sqlite:///srv/antq.db?mode=rwc"),
            "/srv/antq.db"
        );
    }
}
