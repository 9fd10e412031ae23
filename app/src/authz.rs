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
use std::net::{IpAddr, SocketAddr};

pub const SESSION_COOKIE: &str = "antq_session";
/// A session ends after this long without use…
pub const IDLE_LIMIT: Duration = Duration::hours(12);
/// …and this long after sign-in, however much it was used.
pub const ABSOLUTE_LIMIT: Duration = Duration::days(7);

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
    // Sets the language cookie, nothing else.
    ("/language", Rule::Public),
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
        "/api/recognition/choosing",
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
        "/api/recognition/open-own",
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
    ("/api/users/set-active", Rule::Action(Action::ManageUsers)),
    ("/api/users/remove-grant", Rule::Action(Action::ManageUsers)),
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
    (
        "/deployments/{plan}/{unit}/steps/{step}",
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
    // The report page's plain forms: saving and submitting need SubmitReports; accepting,
    // returning and reopening their own actions, checked inside as their server functions do.
    (
        "/reports/{cycle}/units/{unit}",
        Rule::Action(Action::SubmitReports),
    ),
    // An assessment page's plain form: the school's side needs assessing the school, the
    // reviewer's reviewing it, checked inside as their server functions do.
    ("/recognition/{id}", Rule::Action(Action::AssessSchool)),
    // The emulation page's plain forms: a school's registrations and nominations.
    ("/emulation", Rule::Action(Action::AssessSchool)),
    // The models page's plain forms: a school's registrations and evidence (a reviewer's
    // rating is checked inside, as its server function does).
    ("/models", Rule::Action(Action::AssessSchool)),
    // The 19/8 page's plain forms: a school's record of the day and its photos.
    ("/day-19-8", Rule::Action(Action::AssessSchool)),
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

/// The address of the request's client, as the server's first layer found it
/// ([`client_address`]); the socket's peer where that layer did not run.
pub fn peer_address(parts: &Parts) -> String {
    request_address(&parts.extensions)
}

/// The client's address from a request's extensions (see [`peer_address`]).
pub fn request_address(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<ClientAddress>()
        .map(|c| c.0)
        .or_else(|| {
            extensions
                .get::<axum::extract::ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_canonical())
        })
        .map_or_else(|| "unknown".into(), |ip| ip.to_string())
}

/// The client of a request, found once per request by the server's first layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Whether a request reached the site over HTTPS, found with [`ClientAddress`]: a trusted
/// proxy said so in `X-Forwarded-Proto` (the app itself serves plain HTTP behind it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverHttps(pub bool);

/// Whether the proxy that sent the request is trusted and says its client used HTTPS (the
/// last `X-Forwarded-Proto` value is the one that proxy wrote).
pub fn forwarded_https(peer: IpAddr, headers: &HeaderMap, trusted: &[Network]) -> bool {
    trusted.iter().any(|n| n.contains(peer.to_canonical()))
        && headers
            .get_all("x-forwarded-proto")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// Whether the request came over HTTPS ([`OverHttps`]).
pub fn over_https(extensions: &axum::http::Extensions) -> bool {
    extensions.get::<OverHttps>().is_some_and(|h| h.0)
}

/// A cookie of the site: over HTTPS it is set as `__Host-<name>` (only this host, only over
/// HTTPS, for the whole site), which is read first; over plain HTTP as `<name>`.
pub fn site_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    cookie(headers, &format!("__Host-{name}")).or_else(|| cookie(headers, name))
}

/// An address, or a network as `address/prefix`: the proxies trusted to say whom they forward
/// (`ANTQ_TRUSTED_PROXIES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Network, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address
            .parse()
            .map_err(|_| format!("\"{text}\" is not an address or a network such as 10.0.0.0/8"))?;
        let address = address.to_canonical();
        let most = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => most,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= most)
                .ok_or_else(|| format!("\"{text}\": the prefix must be 0 to {most}"))?,
        };
        Ok(Network { address, prefix })
    }
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| -> (u128, u8) {
            match ip.to_canonical() {
                IpAddr::V4(v4) => (u128::from(u32::from(v4)) << 96, 32),
                IpAddr::V6(v6) => (u128::from(v6), 128),
            }
        };
        // Both families as the top bits of 128, so a prefix counts from the left in each.
        let (mine, family) = bits(self.address);
        let (theirs, their_family) = bits(ip);
        let mask = match self.prefix {
            0 => 0,
            p => u128::MAX << (128 - u32::from(p)),
        };
        family == their_family && mine & mask == theirs & mask
    }

    /// A list such as `127.0.0.1, 10.0.0.0/8, ::1`; empty for none.
    pub fn parse_list(text: &str) -> Result<Vec<Network>, String> {
        text.split(',')
            .filter(|part| !part.trim().is_empty())
            .map(str::parse)
            .collect()
    }
}

/// Who sent a request. The socket's peer, unless the peer is a trusted proxy: then the hops it
/// forwards (`Forwarded: for=…`, else `X-Forwarded-For`) are read from the right, past every
/// trusted one, and the first that is not trusted is the client. Hops further left were
/// written by that client and are not believed. A hop that cannot be read ends the walk at the
/// proxy that forwarded it. So nobody outside the trusted proxies can choose the address a
/// sign-in, a session or the audit trail records.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[Network]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    let mut client = peer.to_canonical();
    if !is_trusted(client) {
        return client;
    }
    for hop in forwarded_hops(headers).into_iter().rev() {
        match hop {
            Some(ip) => {
                client = ip.to_canonical();
                if !is_trusted(client) {
                    return client;
                }
            }
            None => return client,
        }
    }
    client
}

/// The hops a request passed through, first client first, from `Forwarded` when present,
/// else from `X-Forwarded-For`; `None` for a hop that is not an address ("unknown", a name).
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().map(str::to_string).unwrap_or_default())
            .collect()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(name, _)| name.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, value)| hop_address(value))
            })
            .collect();
    }
    values("x-forwarded-for")
        .iter()
        .flat_map(|value| value.split(','))
        .map(hop_address)
        .collect()
}

/// One hop: `192.0.2.1`, `"192.0.2.1:4711"`, `2001:db8::1` or `"[2001:db8::1]:4711"`.
fn hop_address(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    if let Ok(ip) = text.parse() {
        return Some(ip);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    text.rsplit_once(':')
        .filter(|(host, _)| !host.contains(':'))
        .and_then(|(host, _)| host.parse().ok())
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
    let Some(token) = site_cookie(headers, SESSION_COOKIE) else {
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
        AppError::BadRequest => StatusCode::BAD_REQUEST,
        AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
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

/// Whether the current server function was sent by a plain HTML form (the browser asks for a
/// page back), not by the bundle.
pub fn plain_form_post() -> bool {
    leptos::prelude::use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// After a server function sent by a plain form: where the browser goes next, `taken(value)`
/// or `refused(error)` (a 302, whatever status the error set). A call from the bundle is
/// left alone.
pub fn after_plain_form<T>(
    result: &Result<T, AppError>,
    taken: impl FnOnce(&T) -> String,
    refused: impl FnOnce(&AppError) -> String,
) {
    if !plain_form_post() {
        return;
    }
    let to = match result {
        Ok(value) => taken(value),
        Err(err) => refused(err),
    };
    leptos_axum::redirect(&to);
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
    match ready(user) {
        Ok(user) => Ok((state, caller, user)),
        Err(err) => fail(err),
    }
}

/// The user, unless they must first change the password they were given: until then they may
/// do nothing else, through a server function or a plain endpoint.
pub fn ready(user: SessionUser) -> Result<SessionUser, AppError> {
    if user.must_change_password {
        return Err(AppError::Invalid(
            "Bạn cần đổi mật khẩu được cấp trước khi tiếp tục.".into(),
        ));
    }
    Ok(user)
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

#[cfg(test)]
mod client_address_tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|_| panic!("{text}"))
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(
                *name,
                HeaderValue::from_str(value).unwrap_or_else(|_| panic!("{value}")),
            );
        }
        headers
    }

    #[test]
    fn networks_hold_their_addresses_only() {
        let lan: Network = "10.1.0.0/16".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(lan.contains(ip("10.1.200.3")));
        assert!(!lan.contains(ip("10.2.0.1")));
        assert!(!lan.contains(ip("::ffff:10.2.0.1")));
        assert!(lan.contains(ip("::ffff:10.1.0.1")));
        let one: Network = "127.0.0.1".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6: Network = "2001:db8::/32".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(v6.contains(ip("2001:db8:1::5")) && !v6.contains(ip("2001:db9::1")));
        assert!(!v6.contains(ip("10.1.0.1")));
        let all: Network = "0.0.0.0/0".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(all.contains(ip("203.0.113.9")) && !all.contains(ip("::1")));
        assert!("10.0.0.0/33".parse::<Network>().is_err());
        assert!("proxy.local".parse::<Network>().is_err());
        assert_eq!(
            Network::parse_list(" 127.0.0.1, ::1 ,").map(|l| l.len()),
            Ok(2)
        );
        assert_eq!(Network::parse_list(""), Ok(Vec::new()));
    }

    #[test]
    fn the_client_is_the_first_hop_from_the_right_that_is_not_a_trusted_proxy() {
        let trusted = Network::parse_list("127.0.0.1, 10.0.0.0/8").unwrap_or_default();
        let proxy = ip("127.0.0.1");
        // Without a proxy in front, what the request says of itself counts for nothing.
        let forged = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(
            client_address(ip("203.0.113.5"), &forged, &trusted),
            ip("203.0.113.5")
        );
        assert_eq!(client_address(proxy, &forged, &[]), proxy);
        // Through the proxy: the address it saw, not what the client wrote before it.
        let through = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.5")]);
        assert_eq!(client_address(proxy, &through, &trusted), ip("203.0.113.5"));
        // Two trusted proxies in a row, and header lines given separately.
        let chain = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.5, 10.0.0.2"),
        ]);
        assert_eq!(client_address(proxy, &chain, &trusted), ip("203.0.113.5"));
        // No header, or only trusted hops: the farthest one known.
        assert_eq!(client_address(proxy, &HeaderMap::new(), &trusted), proxy);
        let inside = headers(&[("x-forwarded-for", "10.0.0.9")]);
        assert_eq!(client_address(proxy, &inside, &trusted), ip("10.0.0.9"));
        // A hop that is not an address stops the walk at the proxy that wrote it.
        let garbled = headers(&[("x-forwarded-for", "203.0.113.5, bogus")]);
        assert_eq!(client_address(proxy, &garbled, &trusted), proxy);
        // The standard header, with ports and IPv6, wins over the older one.
        let standard = headers(&[
            (
                "forwarded",
                "for=1.2.3.4, for=\"[2001:db8::17]:4711\";proto=https",
            ),
            ("x-forwarded-for", "198.51.100.7"),
        ]);
        assert_eq!(
            client_address(proxy, &standard, &trusted),
            ip("2001:db8::17")
        );
        let with_port = headers(&[("forwarded", "for=\"203.0.113.5:8080\"")]);
        assert_eq!(
            client_address(proxy, &with_port, &trusted),
            ip("203.0.113.5")
        );
        // An IPv4 peer seen through an IPv6 socket is the same peer.
        assert_eq!(
            client_address(ip("::ffff:127.0.0.1"), &through, &trusted),
            ip("203.0.113.5")
        );
    }
}
