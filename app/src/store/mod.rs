//! The data layer: one `sqlx::Any` pool over SQLite or PostgreSQL, chosen by URL.
//! Every query is written once, with `$n` placeholders, which both databases accept.

pub mod accounts;
pub mod changes;
mod cycle_counts;
pub mod dashboard;
mod directory;
pub mod emulation;
pub mod exports;
pub mod mail;
pub mod org;
pub mod plans;
pub mod recognition;
pub mod reports;
pub mod safety_models;
pub mod security_day;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::any::Any;
use std::collections::VecDeque;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    memo: Arc<Memo>,
    changes: Arc<changes::Changes>,
}

/// Results of expensive reads, each kept under a key that names the data revisions it was
/// computed at (see `data_revisions`): a changed revision makes a new key, so an entry is
/// never stale, only unused. The least recently used go when there are too many or they
/// hold too much.
#[derive(Default)]
pub(crate) struct Memo {
    entries: Mutex<VecDeque<MemoEntry>>,
}

struct MemoEntry {
    key: String,
    value: Arc<dyn Any + Send + Sync>,
    size: usize,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Memo {
    const CAPACITY: usize = 256;
    /// What the entries may hold together, roughly: a directory of 50,000 schools is ~8 MB.
    const BUDGET: usize = 96 << 20;

    pub(crate) fn get<T: Any + Send + Sync>(&self, key: &str) -> Option<Arc<T>> {
        let mut entries = self.entries.lock().ok()?;
        let at = entries.iter().position(|e| e.key == key)?;
        // The newest at the back: it is the last to go.
        let entry = entries.remove(at)?;
        let value = entry.value.clone();
        entries.push_back(entry);
        value.downcast::<T>().ok()
    }

    /// Keeps `value`, which holds about `size` bytes.
    pub(crate) fn put_sized<T: Any + Send + Sync>(&self, key: String, value: Arc<T>, size: usize) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|e| e.key != key);
            let mut held: usize = entries.iter().map(|e| e.size).sum();
            while !entries.is_empty()
                && (entries.len() >= Self::CAPACITY || held + size > Self::BUDGET)
            {
                if let Some(gone) = entries.pop_front() {
                    held -= gone.size;
                }
            }
            entries.push_back(MemoEntry { key, value, size });
        }
    }
}

/// The revision of the organisation (units, names, links, groups), moved by triggers.
pub(crate) async fn organisation_revision(db: &Db) -> Result<i64, sqlx::Error> {
    let (revision,): (i64,) =
        sqlx::query_as("SELECT revision FROM data_revisions WHERE topic = 'organisation'")
            .fetch_one(db.pool())
            .await?;
    Ok(revision)
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    /// Connects to `sqlite:PATH` (the file and its folder are created) or `postgres://…`.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or(path);
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating the folder {}", dir.display()))?;
                }
            }
            let url = if url.contains('?') {
                url.to_string()
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            (Backend::Postgres, url.to_string())
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:");
        };
        let options = AnyConnectOptions::from_str(&url).context("parsing DATABASE_URL")?;
        let max = if backend == Backend::Sqlite { 8 } else { 16 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; foreign keys are off in
                        // SQLite unless asked for on every connection. FULL syncs the log
                        // at every commit: what a user was told is saved survives a power
                        // cut, not only a crash of the process.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .context("connecting to the database")?;
        let listen_url = (backend == Backend::Postgres).then(|| url.clone());
        Ok(Db {
            pool,
            backend,
            memo: Arc::default(),
            changes: Arc::new(changes::Changes::new(listen_url)),
        })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        };
        migrator
            .run(&self.pool)
            .await
            .context("applying migrations")?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub(crate) fn memo(&self) -> &Memo {
        &self.memo
    }

    /// After a write of many rows at once (a plan issued to a province, a bulk import), lets
    /// PostgreSQL's planner see the new sizes at once instead of at autovacuum's next pass: a
    /// query planned on the old figures (a plan's coverage right after its issue) can
    /// otherwise loop over what it thinks is a handful of rows. SQLite plans without them.
    /// No tables: every table.
    pub async fn refresh_statistics(&self, tables: &[&str]) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query(&format!("ANALYZE {}", tables.join(", ")))
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Dates are stored as ISO text; this reads them back.
pub(crate) fn parse_date(text: &str) -> Result<chrono::NaiveDate, sqlx::Error> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| sqlx::Error::Decode(format!("bad date {text:?}: {e}").into()))
}

pub(crate) fn parse_opt_date(
    text: Option<String>,
) -> Result<Option<chrono::NaiveDate>, sqlx::Error> {
    text.as_deref().map(parse_date).transpose()
}

pub fn iso(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
