//! Plain endpoints of the dashboard: the live stream of changes and the view's workbook.

use super::{download, error_response, signed_in_user};
use app::accounts::Action;
use app::authz;
use app::dashboard::DashboardQuery;
use app::state::AppState;
use app::store::changes::Change;
use app::store::org::Scope;
use axum::extract::{Request, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// How often an open live stream looks at its session again.
pub const SESSION_RECHECK: Duration = Duration::from_secs(20);

/// Server-Sent Events: one message per change inside the caller's part of the organisation
/// (`{"topic": …, "cycle": …, "plan": …}`, no unit names), and `resync` when this
/// connection may have missed some. A comment every 15 s keeps proxies from closing it. The
/// stream ends when the server stops, and within [`SESSION_RECHECK`] of its session ending.
pub async fn live(State(state): State<AppState>, request: Request) -> Response {
    // The session is looked at again while the stream is open: signed out (here or
    // everywhere), expired or its account disabled, the stream ends.
    let session = authz::site_cookie(request.headers(), authz::SESSION_COOKIE)
        .map(app::store::accounts::token_hash)
        .unwrap_or_default();
    let user = match signed_in_user(&state, &request).await {
        Ok((user, _)) => user,
        Err(err) => return error_response(err),
    };
    if let Err(err) = authz::check_any(&user, Action::ViewReports) {
        return error_response(err);
    }
    let roots = match user.scope_for(&state.db, Action::ViewReports).await {
        Ok(Scope::All) => None,
        Ok(Scope::Within(roots)) => Some(roots),
        Err(err) => return error_response(err),
    };
    let changes = state.db.changes().clone();
    let receiver = changes.subscribe();
    let closing = changes.closing();
    let guard = changes.client();
    struct Stream {
        receiver: tokio::sync::broadcast::Receiver<Arc<Change>>,
        closing: tokio::sync::watch::Receiver<bool>,
        roots: Option<Vec<i64>>,
        db: app::store::Db,
        session: String,
        recheck: tokio::time::Interval,
        _guard: app::store::changes::ClientGuard,
    }
    let mut recheck = tokio::time::interval(SESSION_RECHECK);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    recheck.reset();
    let stream = futures_util::stream::unfold(
        Stream {
            receiver,
            closing,
            roots,
            db: state.db.clone(),
            session,
            recheck,
            _guard: guard,
        },
        |mut s| async move {
            loop {
                if *s.closing.borrow() {
                    return None;
                }
                let change = tokio::select! {
                    next = s.receiver.recv() => next,
                    _ = s.closing.changed() => return None,
                    _ = s.recheck.tick() => {
                        let now = chrono::Utc::now();
                        match app::store::accounts::session_user(&s.db, &s.session, now).await {
                            Ok(Some(_)) => continue,
                            // Ended, or the database cannot say: the client reconnects and
                            // is checked afresh.
                            _ => return None,
                        }
                    }
                };
                let change = match change {
                    Ok(change) => change,
                    // Fell behind: everything is to be fetched again.
                    Err(RecvError::Lagged(_)) => Arc::new(Change::everything()),
                    Err(RecvError::Closed) => return None,
                };
                if !change.visible_to(s.roots.as_deref()) {
                    continue;
                }
                let data = serde_json::json!({
                    "topic": change.topic,
                    "cycle": change.cycle,
                    "plan": change.plan,
                });
                let event = Event::default().data(data.to_string());
                return Some((Ok::<Event, Infallible>(event), s));
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// The figures of a dashboard view (its query as on the page) as an XLSX workbook.
pub async fn workbook(
    State(state): State<AppState>,
    axum::extract::Query(params): axum::extract::Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    let user = match signed_in_user(&state, &request).await {
        Ok((user, _)) => user,
        Err(err) => return error_response(err),
    };
    if let Err(err) = authz::check_any(&user, Action::ViewReports) {
        return error_response(err);
    }
    let query = DashboardQuery::from_pairs(|name| params.get(name).map(String::as_str));
    let built = async {
        let scope = user.scope_for(&state.db, Action::ViewReports).await?;
        let name = app::dashboard::api::scope_name(&state, &scope).await?;
        let d =
            app::store::dashboard::dashboard(&state.db, &query, &scope, name, app::clock::today())
                .await?;
        app::dashboard::xlsx::workbook(&d).map_err(|e| {
            tracing::error!(error = %e, "writing the dashboard workbook");
            app::error::AppError::Internal
        })
    };
    match built.await {
        Ok(bytes) => download(
            "bang-dieu-hanh.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            bytes,
        ),
        Err(err) => error_response(err),
    }
}
