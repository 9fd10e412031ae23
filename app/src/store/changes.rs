//! Changes that open screens care about: a report submitted, reviewed or reopened, a
//! deployment step marked, a plan issued.
//!
//! A write that changes something counted announces it as it commits
//! ([`Db::commit_announcing`]). On SQLite, where one process owns the database, the change
//! goes straight to this process's subscribers after the commit. On PostgreSQL it is sent
//! with `pg_notify` inside the transaction, so it is delivered only if, and when, the
//! transaction commits, and to every instance listening on the database ([`listen`]), this
//! one included. Subscribers are the live connections of dashboards (`/api/live`); each
//! forwards only the changes inside its user's part of the organisation.

use super::{iso, Backend, Db};
use crate::dashboard::Topic;
use serde::{Deserialize, Serialize};
use sqlx::{Any, AnyConnection, Transaction};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use tokio::sync::{broadcast, watch};

/// The PostgreSQL channel changes travel on.
const CHANNEL: &str = "antq_changes";

/// One change: what moved, the units it concerns (the unit and every unit above it on the
/// day it happened) and the cycle or plan it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub topic: Topic,
    pub units: Vec<i64>,
    #[serde(default)]
    pub cycle: Option<i64>,
    #[serde(default)]
    pub plan: Option<i64>,
}

impl Change {
    /// A change of `unit`, with the units above it found now.
    pub async fn of_unit(
        conn: &mut AnyConnection,
        topic: Topic,
        unit: i64,
        today: chrono::NaiveDate,
    ) -> Result<Change, sqlx::Error> {
        Ok(Change {
            topic,
            units: above(conn, unit, today).await?,
            cycle: None,
            plan: None,
        })
    }

    pub fn in_cycle(mut self, cycle: i64) -> Change {
        self.cycle = Some(cycle);
        self
    }

    pub fn in_plan(mut self, plan: i64) -> Change {
        self.plan = Some(plan);
        self
    }

    /// Everything may have changed (a listener reconnected, a subscriber fell behind):
    /// screens fetch their figures again.
    pub fn everything() -> Change {
        Change {
            topic: Topic::Resync,
            units: Vec::new(),
            cycle: None,
            plan: None,
        }
    }

    /// Whether a user whose scope is `roots` (`None`: the whole department) sees it.
    pub fn visible_to(&self, roots: Option<&[i64]>) -> bool {
        match roots {
            None => true,
            Some(_) if self.topic == Topic::Resync => true,
            Some(roots) => self.units.iter().any(|u| roots.contains(u)),
        }
    }
}

/// `unit` and the units it hangs under (managed by or located in) on `day`, in one query.
async fn above(
    conn: &mut AnyConnection,
    unit: i64,
    day: chrono::NaiveDate,
) -> Result<Vec<i64>, sqlx::Error> {
    // The tree is shallow (school, area, department); the depth bound guards against a loop.
    let rows: Vec<(i64,)> = sqlx::query_as(
        "WITH RECURSIVE up (id, depth) AS (
             SELECT CAST($1 AS BIGINT), 0
             UNION
             SELECT l.parent_id, up.depth + 1 FROM unit_links l JOIN up ON l.unit_id = up.id
             WHERE l.valid_from <= $2 AND (l.valid_until IS NULL OR l.valid_until > $2)
               AND up.depth < 6
         )
         SELECT DISTINCT id FROM up",
    )
    .bind(unit)
    .bind(iso(day))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// This process's side of the changes: its subscribers, and whether it listens on
/// PostgreSQL.
pub struct Changes {
    sender: broadcast::Sender<Arc<Change>>,
    closing: watch::Sender<bool>,
    listening: AtomicBool,
    clients: AtomicI64,
    /// Moves before each change reaches the subscribers: a read begun at a generation has
    /// seen every change delivered before it.
    generation: std::sync::atomic::AtomicU64,
    /// Where to listen (PostgreSQL only); kept out of `Debug`.
    url: Option<String>,
}

impl std::fmt::Debug for Changes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Changes")
            .field("subscribers", &self.sender.receiver_count())
            .field("clients", &self.clients.load(Ordering::Relaxed))
            .finish()
    }
}

impl Changes {
    pub(super) fn new(url: Option<String>) -> Changes {
        // A slow subscriber that falls this far behind is told to fetch everything again.
        let (sender, _) = broadcast::channel(1024);
        let (closing, _) = watch::channel(false);
        Changes {
            sender,
            closing,
            listening: AtomicBool::new(false),
            clients: AtomicI64::new(0),
            generation: std::sync::atomic::AtomicU64::new(0),
            url,
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Change>> {
        self.sender.subscribe()
    }

    /// Becomes true when the server begins to stop: live connections end.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// A live client connected; it counts until the guard is dropped.
    pub fn client(self: &Arc<Self>) -> ClientGuard {
        self.clients.fetch_add(1, Ordering::Relaxed);
        ClientGuard(self.clone())
    }

    /// Live clients connected now.
    pub fn clients(&self) -> i64 {
        self.clients.load(Ordering::Relaxed)
    }

    /// How many changes this process has heard of.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn deliver(&self, change: Change) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        // No subscriber is not an error: nobody is watching.
        let _ = self.sender.send(Arc::new(change));
    }
}

/// Counts one live client while it is held.
pub struct ClientGuard(Arc<Changes>);

impl Drop for ClientGuard {
    fn drop(&mut self) {
        self.0.clients.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Db {
    pub fn changes(&self) -> &Arc<Changes> {
        &self.changes
    }

    /// Commits `tx` and announces `change`: on PostgreSQL within the transaction (delivered
    /// to every instance at the commit), on SQLite to this process after it.
    pub async fn commit_announcing(
        &self,
        mut tx: Transaction<'static, Any>,
        change: Change,
    ) -> Result<(), sqlx::Error> {
        match self.backend {
            Backend::Postgres => {
                let payload = serde_json::to_string(&change).unwrap_or_default();
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(payload)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await
            }
            Backend::Sqlite => {
                tx.commit().await?;
                self.changes.deliver(change);
                Ok(())
            }
        }
    }
}

/// On PostgreSQL, starts (once per process) the task that listens for changes made by any
/// instance and hands them to this one's subscribers. After a lost connection it reconnects
/// and tells the subscribers to fetch everything again, since changes in between were not
/// heard. Does nothing on SQLite.
pub fn listen(db: &Db) {
    let changes = db.changes.clone();
    let Some(url) = changes.url.clone() else {
        return;
    };
    if changes.listening.swap(true, Ordering::SeqCst) {
        return;
    }
    tokio::spawn(async move {
        let mut closing = changes.closing();
        loop {
            if *closing.borrow() {
                return;
            }
            let mut listener = match sqlx::postgres::PgListener::connect(&url).await {
                Ok(listener) => listener,
                Err(err) => {
                    tracing::warn!(%err, "listening for changes: cannot connect; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
            };
            if let Err(err) = listener.listen(CHANNEL).await {
                tracing::warn!(%err, "listening for changes failed; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
            tracing::debug!("listening for changes on PostgreSQL");
            changes.deliver(Change::everything());
            loop {
                let next = tokio::select! {
                    next = listener.try_recv() => next,
                    _ = closing.changed() => return,
                };
                match next {
                    Ok(Some(notification)) => {
                        match serde_json::from_str::<Change>(notification.payload()) {
                            Ok(change) => changes.deliver(change),
                            Err(err) => tracing::warn!(%err, "an unreadable change"),
                        }
                    }
                    // The connection dropped; the next call reconnects. What was sent in
                    // between is lost, so subscribers catch up from the database.
                    Ok(None) => changes.deliver(Change::everything()),
                    Err(err) => {
                        tracing::warn!(%err, "listening for changes stopped; reconnecting");
                        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                        break;
                    }
                }
            }
        }
    });
}
