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
    in_flight: Arc<InFlight>,
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

/// Reads in progress that others may share: a request for what is already being computed
/// under the same key waits for that result instead of computing it again. The key must
/// name everything the result depends on, including how fresh it must be.
#[derive(Default)]
pub(crate) struct InFlight {
    cells: Mutex<std::collections::HashMap<String, Arc<dyn Any + Send + Sync>>>,
}

impl std::fmt::Debug for InFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InFlight")
    }
}

impl InFlight {
    pub(crate) async fn share<T, F>(&self, key: String, compute: F) -> T
    where
        T: Clone + Send + Sync + 'static,
        F: std::future::Future<Output = T>,
    {
        type Cell<T> = tokio::sync::OnceCell<T>;
        let cell: Arc<Cell<T>> = {
            let Ok(mut cells) = self.cells.lock() else {
                return compute.await;
            };
            match cells
                .get(&key)
                .and_then(|c| c.clone().downcast::<Cell<T>>().ok())
            {
                Some(cell) => cell,
                None => {
                    let cell = Arc::new(Cell::new());
                    cells.insert(key.clone(), cell.clone());
                    cell
                }
            }
        };
        // Should the computing request go away, a waiting one computes in its place.
        let value = cell.get_or_init(|| compute).await.clone();
        if let Ok(mut cells) = self.cells.lock() {
            let same = cells.get(&key).is_some_and(|c| {
                std::ptr::eq(Arc::as_ptr(c) as *const (), Arc::as_ptr(&cell) as *const ())
            });
            if same {
                cells.remove(&key);
            }
        }
        value
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
            in_flight: Arc::default(),
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

    pub(crate) fn in_flight(&self) -> &InFlight {
        &self.in_flight
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

/// Ids as an SQL list for `IN (…)`: numbers only, so nothing a user typed reaches the SQL.
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
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

/// The entries of two JSON objects that differ: (before, after), each holding only those keys
/// (one missing on a side is `null` there). For audit entries of answers.
pub fn changed_entries(
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> (serde_json::Value, serde_json::Value) {
    let empty = serde_json::Map::new();
    let was = before.as_object().unwrap_or(&empty);
    let now = after.as_object().unwrap_or(&empty);
    let mut old = serde_json::Map::new();
    let mut new = serde_json::Map::new();
    for key in was.keys().chain(now.keys()) {
        let (a, b) = (was.get(key), now.get(key));
        if a != b && !old.contains_key(key) {
            old.insert(key.clone(), a.cloned().unwrap_or(serde_json::Value::Null));
            new.insert(key.clone(), b.cloned().unwrap_or(serde_json::Value::Null));
        }
    }
    (
        serde_json::Value::Object(old),
        serde_json::Value::Object(new),
    )
}

pub fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::InFlight;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    async fn counted(runs: Arc<AtomicUsize>, value: u32) -> u32 {
        runs.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        value
    }

    #[tokio::test]
    async fn concurrent_requests_for_one_key_share_one_computation() {
        let shared = InFlight::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let (a, b, c) = tokio::join!(
            shared.share("k".into(), counted(runs.clone(), 1)),
            shared.share("k".into(), counted(runs.clone(), 2)),
            shared.share("other".into(), counted(runs.clone(), 3)),
        );
        assert_eq!((a, b, c), (1, 1, 3));
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        // Once done, the next request computes afresh.
        assert_eq!(shared.share("k".into(), counted(runs.clone(), 4)).await, 4);
        assert_eq!(runs.load(Ordering::SeqCst), 3);
    }
}
