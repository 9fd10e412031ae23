//! The one authorization layer. Every server function and HTTP endpoint starts here: it
//! finds the caller from the session cookie, then checks (user, action, unit) against the
//! caller's grants, each effective over its unit's subtree as the tree stands today.
//! `RULES` names the check of every endpoint; a test fails for an endpoint not listed.

use crate::accounts::{Action, CurrentUser, Grant, Role};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::accounts as store;
use crate::store::org::Scope;
use crate::store::Db;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use chrono::{Duration, NaiveDate, Utc};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "antq_session";
/// A session ends after this long without use…
pub const IDLE_LIMIT: Duration = Duration::hours(12);

/// What an endpoint requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not (health, sign-in).
    Public,
    /// Any signed-in user, acting on their own account.
    SignedIn,
    /// The action, on the unit the request names (or the caller's scope for lists).
    Action(Action),
}

/// Every server function and plain endpoint, with its rule.
pub const RULES: &[(&str, Rule)] = &[
    ("/healthz", Rule::Public),
    ("/livez", Rule::Public),
    ("/readyz", Rule::Public),
    // Only from the addresses of ANTQ_METRICS_ALLOW (checked by the endpoint).
    ("/metrics", Rule::Public),
    ("/api/accounts/me", Rule::Public),
    ("/api/accounts/sign-in", Rule::Public),
    ("/api/accounts/sign-out", Rule::SignedIn),
    ("/api/accounts/sign-out-everywhere", Rule::SignedIn),
    ("/api/accounts/change-password", Rule::SignedIn),
    ("/api/org/overview", Rule::Action(Action::ViewOrganisation)),
    ("/api/dashboard/figures", Rule::Action(Action::ViewReports)),
    ("/api/dashboard/remind", Rule::Action(Action::ReviewReports)),
    (
        "/api/dashboard/boundaries",
        Rule::Action(Action::EditOrganisation),
    ),
    ("/api/live", Rule::Action(Action::ViewReports)),
    (
        "/api/recognition/overview",
        Rule::Action(Action::ViewRecognition),
    ),
    (
        "/api/recognition/candidates",
        Rule::Action(Action::SelectModelSchools),
    ),
    (
        "/api/recognition/select",
        Rule::Action(Action::SelectModelSchools),
    ),
    (
        "/api/recognition/register-standard",
        Rule::Action(Action::AssessSchool),
    ),
    (
        "/api/recognition/start-evaluation",
        Rule::Action(Action::AssessSchool),
    ),
    (
        "/api/recognition/get",
        Rule::Action(Action::ViewRecognition),
    ),
    // The school's answers with AssessSchool, the reviewer's with ReviewRecognition.
    ("/api/recognition/save", Rule::Action(Action::AssessSchool)),
    // Each move names its own: the school's with AssessSchool, the reviewer's with
    // ReviewRecognition.
    ("/api/recognition/move", Rule::Action(Action::AssessSchool)),
    (
        "/api/recognition/generate-report",
        Rule::Action(Action::AssessSchool),
    ),
    (
        "/api/recognition/decide",
        Rule::Action(Action::DecideRecognition),
    ),
    (
        "/api/recognition/criteria",
        Rule::Action(Action::ViewRecognition),
    ),
    (
        "/api/recognition/criteria-save",
        Rule::Action(Action::ManageCriteria),
    ),
    (
        "/api/recognition/history",
        Rule::Action(Action::ViewRecognition),
    ),
    (
        "/api/recognition/mine",
        Rule::Action(Action::ViewRecognition),
    ),
    (
        "/api/recognition/evaluation",
        Rule::Action(Action::ViewRecognition),
    ),
    (
        "/recognition/{id}/files",
        Rule::Action(Action::AssessSchool),
    ),
    (
        "/recognition-files/{id}",
        Rule::Action(Action::ViewRecognition),
    ),
    (
        "/recognition/decisions/{id}/document.docx",
        Rule::Action(Action::ViewRecognition),
    ),
    (
        "/api/models/overview",
        Rule::Action(Action::ViewRecognition),
    ),
    ("/api/models/register", Rule::Action(Action::AssessSchool)),
    (
        "/api/models/review",
        Rule::Action(Action::ReviewRecognition),
    ),
    ("/api/models/add", Rule::Action(Action::ManageCriteria)),
    // Uploading with AssessSchool; reading (GET) with ViewRecognition, checked by the handler.
    (
        "/models/runs/{id}/evidence",
        Rule::Action(Action::AssessSchool),
    ),
    (
        "/api/security-day/overview",
        Rule::Action(Action::ViewRecognition),
    ),
    ("/api/security-day/save", Rule::Action(Action::AssessSchool)),
    (
        "/api/security-day/delete-photo",
        Rule::Action(Action::AssessSchool),
    ),
    (
        "/security-day/{unit}/{year}/photos",
        Rule::Action(Action::AssessSchool),
    ),
    (
        "/security-day/photos/{id}",
        Rule::Action(Action::ViewRecognition),
    ),
    (
        "/api/emulation/overview",
        Rule::Action(Action::ViewRecognition),
    ),
    (
        "/api/emulation/register",
        Rule::Action(Action::AssessSchool),
    ),
    ("/api/emulation/send", Rule::Action(Action::AssessSchool)),
    (
        "/api/emulation/nominate",
        Rule::Action(Action::AssessSchool),
    ),
    // On the department.
    (
        "/api/emulation/judge",
        Rule::Action(Action::DecideRecognition),
    ),
    (
        "/api/emulation/decide",
        Rule::Action(Action::DecideRecognition),
    ),
    ("/dashboard.xlsx", Rule::Action(Action::ViewReports)),
    ("/api/org/search", Rule::Action(Action::ViewOrganisation)),
    ("/api/org/areas", Rule::Action(Action::ViewOrganisation)),
    ("/api/org/children", Rule::Action(Action::ViewOrganisation)),
    ("/api/org/unit", Rule::Action(Action::ViewOrganisation)),
    ("/api/org/import", Rule::Action(Action::EditOrganisation)),
    (
        "/api/org/import/template.csv",
        Rule::Action(Action::EditOrganisation),
    ),
    ("/api/audit/entries", Rule::Action(Action::ViewAudit)),
    ("/api/users/list", Rule::Action(Action::ManageUsers)),
    ("/api/users/create", Rule::Action(Action::ManageUsers)),
    (
        "/api/users/reset-password",
        Rule::Action(Action::ManageUsers),
    ),
    ("/api/users/bulk-schools", Rule::Action(Action::ManageUsers)),
    ("/api/plans/list", Rule::Action(Action::ViewPlans)),
    ("/api/plans/get", Rule::Action(Action::ViewPlans)),
    ("/api/plans/create", Rule::Action(Action::EditPlans)),
    ("/api/plans/save", Rule::Action(Action::EditPlans)),
    ("/api/plans/step", Rule::Action(Action::ViewPlans)),
    ("/api/plans/correct", Rule::Action(Action::EditPlans)),
    ("/api/plans/revisions", Rule::Action(Action::ViewPlans)),
    ("/api/plans/revision", Rule::Action(Action::ViewPlans)),
    ("/api/plans/compare", Rule::Action(Action::ViewPlans)),
    ("/api/plans/audience-size", Rule::Action(Action::EditPlans)),
    ("/api/plans/coverage", Rule::Action(Action::ViewPlans)),
    ("/api/plans/deployments", Rule::Action(Action::ViewPlans)),
    ("/api/plans/mark-step", Rule::Action(Action::DeployPlans)),
    ("/api/documents/search", Rule::Action(Action::ViewPlans)),
    ("/api/notifications/list", Rule::Public),
    ("/api/notifications/read", Rule::SignedIn),
    ("/plans/{id}/document.docx", Rule::Action(Action::ViewPlans)),
    (
        "/api/plans/evidence-delete",
        Rule::Action(Action::DeployPlans),
    ),
    (
        "/plans/{plan}/units/{unit}/evidence/{step}",
        Rule::Action(Action::DeployPlans),
    ),
    ("/evidence/{id}", Rule::Action(Action::ViewPlans)),
    ("/api/groups/list", Rule::Action(Action::EditPlans)),
    ("/api/groups/create", Rule::Action(Action::EditPlans)),
    ("/api/groups/delete", Rule::Action(Action::EditPlans)),
    ("/api/plans/pilots", Rule::Action(Action::ViewPlans)),
    (
        "/api/plans/pilot-choices",
        Rule::Action(Action::ChoosePilots),
    ),
    ("/api/plans/pilot", Rule::Action(Action::ChoosePilots)),
    (
        "/api/reports/templates",
        Rule::Action(Action::ManageReports),
    ),
    (
        "/api/reports/template-save",
        Rule::Action(Action::ManageReports),
    ),
    ("/api/reports/cycles", Rule::Action(Action::ViewReports)),
    ("/api/reports/mine", Rule::Action(Action::ViewReports)),
    (
        "/api/reports/create-cycles",
        Rule::Action(Action::ManageReports),
    ),
    ("/api/reports/get", Rule::Action(Action::ViewReports)),
    ("/api/reports/save", Rule::Action(Action::SubmitReports)),
    ("/api/reports/submit", Rule::Action(Action::SubmitReports)),
    ("/api/reports/review", Rule::Action(Action::ReviewReports)),
    // Accepted reports need ReopenReports, locked ones ReviewReports: checked inside.
    ("/api/reports/reopen", Rule::Action(Action::ViewReports)),
    (
        "/api/reports/file-delete",
        Rule::Action(Action::SubmitReports),
    ),
    ("/api/reports/queue", Rule::Action(Action::ReviewReports)),
    (
        "/api/reports/completeness",
        Rule::Action(Action::ViewReports),
    ),
    ("/api/reports/units", Rule::Action(Action::ViewReports)),
    ("/api/reports/rollup", Rule::Action(Action::ViewReports)),
    (
        "/reports/{cycle}/units/{unit}/files/{field}",
        Rule::Action(Action::SubmitReports),
    ),
    ("/report-files/{id}", Rule::Action(Action::ViewReports)),
    (
        "/reports/{cycle}/rollup.xlsx",
        Rule::Action(Action::ViewReports),
    ),
    (
        "/api/reports/export-start",
        Rule::Action(Action::ViewReports),
    ),
    (
        "/api/reports/export-status",
        Rule::Action(Action::ViewReports),
    ),
    // Only the person who asked may download: checked inside.
    ("/exports/{id}", Rule::Action(Action::ViewReports)),
];

/// Who is calling: a user (or nobody) and from where.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: Option<SessionUser>,
    pub address: String,
    pub token_hash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub must_change_password: bool,
    pub demo: bool,
    pub grants: Vec<Grant>,
}

impl SessionUser {
    pub fn to_current(&self) -> CurrentUser {
        CurrentUser {
            id: self.id,
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            must_change_password: self.must_change_password,
            grants: self.grants.clone(),
        }
    }

    /// The units under which the user may take `action`.
    pub fn roots_for(&self, action: Action) -> Vec<i64> {
        self.grants
            .iter()
            .filter(|g| action.allows(g.role))
            .map(|g| g.unit.id)
            .collect()
    }

    /// What lists show this user for `action`: everything when a grant is on the
    /// department, otherwise the subtrees of the granted units.
    pub async fn scope_for(&self, db: &Db, action: Action) -> Result<Scope, AppError> {
        let roots = self.roots_for(action);
        let mut conn = db.pool().acquire().await?;
        let department = crate::store::org::department_id(&mut conn).await?;
        Ok(if department.is_some_and(|d| roots.contains(&d)) {
            Scope::All
        } else {
            Scope::Within(roots)
        })
    }
}

/// The address of the request: the socket's peer.
pub fn peer_address(parts: &Parts) -> String {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Finds the caller of a request from its session cookie. An expired or unknown session
/// is no session; a live one slides forward (at most once a minute, to spare writes).
pub async fn identify(
    db: &Db,
    headers: &HeaderMap,
    address: String,
    demo_mode: bool,
) -> Result<Caller, AppError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(Caller {
            user: None,
            address,
            token_hash: None,
        });
    };
    let hash = store::token_hash(token);
    let now = Utc::now();
    let Some((user_id, last_seen)) = store::session_user(db, &hash, now).await? else {
        return Ok(Caller {
            user: None,
            address,
            token_hash: None,
        });
    };
    let Some(row) = store::user_by_id(db, user_id).await? else {
        return Ok(Caller {
            user: None,
            address,
            token_hash: None,
        });
    };
    // Demo accounts work only on a demo server.
    if row.demo && !demo_mode {
        return Ok(Caller {
            user: None,
            address,
            token_hash: None,
        });
    }
    let stale = chrono::DateTime::parse_from_rfc3339(&last_seen)
        .map(|t| now.signed_duration_since(t) > Duration::minutes(1))
        .unwrap_or(true);
    if stale {
        store::touch_session(db, &hash, now, now + IDLE_LIMIT).await?;
    }
    let grants = store::grants(db, user_id)
        .await?
        .into_iter()
        .map(|(role, unit)| Grant { role, unit })
        .collect();
    Ok(Caller {
        user: Some(SessionUser {
            id: row.id,
            username: row.username,
            full_name: row.full_name,
            must_change_password: row.must_change_password,
            demo: row.demo,
            grants,
        }),
        address,
        token_hash: Some(hash),
    })
}

/// Checks that `user` may take `action` on `unit` (today's tree).
pub async fn check(
    db: &Db,
    user: &SessionUser,
    action: Action,
    unit: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    let roots: Vec<i64> = user
        .grants
        .iter()
        .filter(|g| action.allows(g.role))
        .map(|g| g.unit.id)
        .collect();
    if roots.is_empty() || !store::in_subtree(db, &roots, unit, today).await? {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Whether some grant of the user allows `action` at all.
pub fn check_any(user: &SessionUser, action: Action) -> Result<(), AppError> {
    if user.grants.iter().any(|g| action.allows(g.role)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

// Inside server functions.

/// Sets the HTTP status of a failing server function to match its error.
pub fn fail<T>(err: AppError) -> Result<T, AppError> {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status_of(&err));
    }
    Err(err)
}

/// The caller of the current server function (or page render).
pub async fn caller() -> Result<(AppState, Caller), AppError> {
    let state = crate::state::app_state()?;
    let parts = leptos::prelude::use_context::<Parts>().ok_or(AppError::Internal)?;
    let caller = identify(
        &state.db,
        &parts.headers,
        peer_address(&parts),
        state.settings.demo,
    )
    .await?;
    Ok((state, caller))
}

/// The signed-in user, or a 401.
pub async fn signed_in() -> Result<(AppState, Caller, SessionUser), AppError> {
    let (state, caller) = caller().await?;
    match caller.user.clone() {
        Some(user) => Ok((state, caller, user)),
        None => fail(AppError::Unauthenticated),
    }
}

/// A signed-in user who has no pending forced password change.
async fn signed_in_ready() -> Result<(AppState, Caller, SessionUser), AppError> {
    let (state, caller, user) = signed_in().await?;
    if user.must_change_password {
        return fail(AppError::Invalid(
            "Bạn cần đổi mật khẩu được cấp trước khi tiếp tục.".into(),
        ));
    }
    Ok((state, caller, user))
}

/// The signed-in user allowed to take `action` on `unit`, or a 401/403.
pub async fn require(
    action: Action,
    unit: i64,
) -> Result<(AppState, Caller, SessionUser), AppError> {
    let (state, caller, user) = signed_in_ready().await?;
    match check(&state.db, &user, action, unit, crate::clock::today()).await {
        Ok(()) => Ok((state, caller, user)),
        Err(err) => {
            tracing::info!(user = user.id, ?action, unit, "refused");
            fail(err)
        }
    }
}

/// The signed-in user allowed to take `action` somewhere; lists are then scoped with
/// `SessionUser::roots_for`.
pub async fn require_any(action: Action) -> Result<(AppState, Caller, SessionUser), AppError> {
    let (state, caller, user) = signed_in_ready().await?;
    match check_any(&user, action) {
        Ok(()) => Ok((state, caller, user)),
        Err(err) => fail(err),
    }
}

/// Where a demo account's grant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoPlace {
    Department,
    /// The first commune that manages schools.
    Area,
    /// The first school of that commune.
    School,
    /// A lower secondary school, of that commune when it has one: the ANTT standard applies
    /// to it.
    SecondarySchool,
}

/// The demo accounts that exist in demo mode: user name, role and where the grant is.
pub const DEMO_ACCOUNTS: [(&str, Role, DemoPlace); 7] = [
    ("quantri", Role::Admin, DemoPlace::Department),
    ("lanhdao", Role::Leader, DemoPlace::Department),
    ("chuyenvien", Role::Specialist, DemoPlace::Department),
    ("khuvuc", Role::AreaOfficer, DemoPlace::Area),
    ("truong", Role::SchoolOfficer, DemoPlace::School),
    (
        "truongthcs",
        Role::SchoolOfficer,
        DemoPlace::SecondarySchool,
    ),
    ("nguoixem", Role::Viewer, DemoPlace::Department),
];

/// The password of every demo account (demo servers only).
pub const DEMO_PASSWORD: &str = "demo-antq-2025";

/// Records a write in the audit trail: who, from where, which action on which entity, and
/// what it became.
pub async fn record_write(
    state: &AppState,
    user: i64,
    address: &str,
    action: &str,
    entity: &str,
    id: i64,
    after: serde_json::Value,
) -> Result<(), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    store::record_audit(
        &mut conn,
        &store::AuditEntry {
            user: Some(user),
            address,
            action,
            entity,
            entity_id: id.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await
}

/// Refuses (422) input with problems, listing them all in one message.
pub fn refuse_problems(problems: Vec<String>) -> Result<(), AppError> {
    if problems.is_empty() {
        Ok(())
    } else {
        fail(AppError::Invalid(problems.join(" ")))
    }
}
