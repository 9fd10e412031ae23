//! Server functions of accounts: sign in and out, the current user, password change.

use super::{AuditEntryView, CurrentUser};
use crate::error::AppError;
use leptos::prelude::*;

/// How many failures, within the window, stop sign-in for an account or an address.
#[cfg(feature = "ssr")]
const ACCOUNT_FAILURES: i64 = 5;
#[cfg(feature = "ssr")]
const ADDRESS_FAILURES: i64 = 20;
#[cfg(feature = "ssr")]
const THROTTLE_MINUTES: u32 = 15;

/// The cookie that lets a browser that signed in to an account before keep its own allowance
/// of wrong passwords (it is no credential: it only counts failures apart).
#[cfg(feature = "ssr")]
const DEVICE_COOKIE: &str = "antq_device";
#[cfg(feature = "ssr")]
const DEVICE_DAYS: i64 = 400;

/// A cookie of the site ([`crate::authz::site_cookie`]): `__Host-` and `Secure` when the
/// request came over HTTPS.
#[cfg(feature = "ssr")]
fn cookie_text(name: &str, value: &str, max_age_secs: i64) -> String {
    let https = use_context::<axum::http::request::Parts>()
        .is_some_and(|p| crate::authz::over_https(&p.extensions));
    let (prefix, secure) = if https {
        ("__Host-", "; Secure")
    } else {
        ("", "")
    };
    format!(
        "{prefix}{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    )
}

#[cfg(feature = "ssr")]
fn session_cookie(value: &str, max_age_secs: i64) -> String {
    cookie_text(crate::authz::SESSION_COOKIE, value, max_age_secs)
}

/// Asks the browser to forget what the site stored on this device: answers kept for an unsent
/// report, the service worker and the pages it kept. A shared computer then holds nothing of
/// the user who signed out.
#[cfg(feature = "ssr")]
fn clear_site_storage() {
    use axum::http::HeaderValue;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(
            axum::http::HeaderName::from_static("clear-site-data"),
            HeaderValue::from_static("\"storage\""),
        );
    }
}

#[cfg(feature = "ssr")]
fn set_cookie(cookie: String) {
    use axum::http::{header, HeaderValue};
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

#[cfg(feature = "ssr")]
async fn audit(
    state: &crate::state::AppState,
    user: Option<i64>,
    address: &str,
    action: &str,
    entity_id: i64,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    crate::store::accounts::record_audit(
        &mut conn,
        &crate::store::accounts::AuditEntry {
            user,
            address,
            action,
            entity: "user",
            entity_id: entity_id.to_string(),
            before: None,
            after,
        },
    )
    .await
}

/// The signed-in user, or `None`.
#[server(endpoint = "accounts/me")]
pub async fn get_session() -> Result<Option<CurrentUser>, AppError> {
    let (_, caller) = crate::authz::caller().await?;
    Ok(caller.user.map(|u| u.to_current()))
}

/// Signs in. Sent by the plain form (before or without the bundle), it answers with a
/// redirect: to the user's home, or back to the sign-in page with the refusal's code and the
/// name typed.
#[server(endpoint = "accounts/sign-in")]
pub async fn sign_in(login: String, password: String) -> Result<CurrentUser, AppError> {
    let result = sign_in_checked(&login, password).await;
    crate::authz::after_plain_form(
        &result,
        |user| home_of(user).to_string(),
        |err| {
            format!(
                "/sign-in?error={}&login={}",
                super::Refusal::of(err).code(),
                crate::text::percent_encode(login.trim())
            )
        },
    );
    result
}

/// Where a user goes once signed in.
pub fn home_of(user: &CurrentUser) -> &'static str {
    if user.must_change_password {
        "/account"
    } else {
        "/"
    }
}

#[cfg(feature = "ssr")]
async fn sign_in_checked(login: &str, password: String) -> Result<CurrentUser, AppError> {
    use super::Refusal;
    use crate::authz::{fail, IDLE_LIMIT};
    use crate::i18n::Lang;
    use crate::store::accounts as store;
    let (state, caller) = crate::authz::caller().await?;
    let login = login.trim().to_lowercase();
    if login.is_empty() || password.is_empty() {
        return fail(AppError::Invalid(Refusal::Missing.message(Lang::Vi)));
    }
    if login.len() > 200 || password.len() > 1000 {
        return fail(AppError::Invalid(Refusal::Credentials.message(Lang::Vi)));
    }
    let now = chrono::Utc::now();
    let since = now - chrono::Duration::minutes(i64::from(THROTTLE_MINUTES));
    let user = store::user_by_login(&state.db, &login).await?;
    // A browser that signed in to this account before has its own allowance: failures sent
    // from elsewhere (or from its own address, shared by a whole school) do not keep it out.
    let headers = use_context::<axum::http::request::Parts>().map(|p| p.headers);
    let device = headers
        .as_ref()
        .and_then(|h| crate::authz::site_cookie(h, DEVICE_COOKIE))
        .map(store::token_hash);
    let known = match (&user, &device) {
        (Some(user), Some(device)) => store::device_user(&state.db, device).await? == Some(user.id),
        _ => false,
    };
    let keys: Vec<(String, i64)> = match &device {
        Some(device) if known => vec![(format!("device:{device}"), ACCOUNT_FAILURES)],
        _ => vec![
            (format!("acct:{login}"), ACCOUNT_FAILURES),
            (format!("addr:{}", caller.address), ADDRESS_FAILURES),
        ],
    };
    let names: Vec<&str> = keys.iter().map(|(key, _)| key.as_str()).collect();
    let (reserved, counts) = store::reserve_attempt(&state.db, &names, now, since).await?;
    if counts.iter().zip(&keys).any(|(n, (_, limit))| n > limit) {
        tracing::warn!(address = %caller.address, "sign-in throttled");
        return fail(AppError::TooManyAttempts(THROTTLE_MINUTES));
    }
    let hash = user
        .as_ref()
        .map_or(store::decoy_hash(), |u| u.password_hash.as_str())
        .to_string();
    let password_ok = store::check_password(password, hash).await;
    let user = match user {
        Some(user) if password_ok && user.active && (!user.demo || state.settings.demo) => user,
        _ => {
            // The reservations stay, as this attempt's failures.
            tracing::info!(address = %caller.address, "sign-in refused");
            return fail(AppError::Invalid(Refusal::Credentials.message(Lang::Vi)));
        }
    };
    store::release_attempt(&state.db, &reserved).await?;
    store::clear_failures(&state.db, names[0]).await?;
    let device_token = match headers
        .as_ref()
        .and_then(|h| crate::authz::site_cookie(h, DEVICE_COOKIE))
        .filter(|_| known)
    {
        Some(token) => token.to_string(),
        None => store::new_token().0,
    };
    store::remember_device(&state.db, &store::token_hash(&device_token), user.id, now).await?;
    set_cookie(cookie_text(
        DEVICE_COOKIE,
        &device_token,
        DEVICE_DAYS * 24 * 3600,
    ));
    let (token, token_hash) = store::new_token();
    let user_agent = use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(axum::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_default();
    store::create_session(
        &state.db,
        &store::NewSession {
            token_hash: &token_hash,
            user: user.id,
            now,
            expires: now + IDLE_LIMIT,
            address: &caller.address,
            user_agent: &user_agent,
        },
    )
    .await?;
    audit(
        &state,
        Some(user.id),
        &caller.address,
        "sign_in",
        user.id,
        None,
    )
    .await?;
    set_cookie(session_cookie(
        &token,
        crate::authz::ABSOLUTE_LIMIT.num_seconds(),
    ));
    let grants = store::grants(&state.db, user.id)
        .await?
        .into_iter()
        .map(|(role, unit)| super::Grant { role, unit })
        .collect();
    Ok(CurrentUser {
        id: user.id,
        username: user.username,
        full_name: user.full_name,
        must_change_password: user.must_change_password,
        grants,
    })
}

/// Signs out; the plain form goes on to the sign-in page.
#[server(endpoint = "accounts/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    let result = sign_out_here().await;
    crate::authz::after_plain_form(&result, |_| "/sign-in".into(), |_| "/sign-in".into());
    result
}

#[cfg(feature = "ssr")]
async fn sign_out_here() -> Result<(), AppError> {
    let (state, caller, user) = crate::authz::signed_in().await?;
    if let Some(hash) = &caller.token_hash {
        crate::store::accounts::delete_session(&state.db, hash).await?;
    }
    audit(
        &state,
        Some(user.id),
        &caller.address,
        "sign_out",
        user.id,
        None,
    )
    .await?;
    set_cookie(session_cookie("", 0));
    clear_site_storage();
    Ok(())
}

/// Ends every session of the signed-in user, on every device.
#[server(endpoint = "accounts/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<u64, AppError> {
    let (state, caller, user) = crate::authz::signed_in().await?;
    let ended = crate::store::accounts::delete_user_sessions(&state.db, user.id).await?;
    audit(
        &state,
        Some(user.id),
        &caller.address,
        "sign_out_everywhere",
        user.id,
        Some(serde_json::json!({ "sessions_ended": ended })),
    )
    .await?;
    set_cookie(session_cookie("", 0));
    clear_site_storage();
    Ok(ended)
}

/// Changes the signed-in user's password. The plain form goes back to the account page, told
/// that it was changed or why not.
#[server(endpoint = "accounts/change-password")]
pub async fn change_password(
    current: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    let result = change_own_password(current, new_password, confirm).await;
    crate::authz::after_plain_form(
        &result,
        |_| "/account?changed=1".into(),
        |err| format!("/account?error={}", super::Refusal::of(err).code()),
    );
    result
}

#[cfg(feature = "ssr")]
async fn change_own_password(
    current: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    use super::Refusal;
    use crate::authz::fail;
    use crate::i18n::Lang;
    use crate::store::accounts as store;
    let (state, caller, user) = crate::authz::signed_in().await?;
    let row = store::user_by_id(&state.db, user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let hash = row.password_hash.clone();
    let same = new_password == current;
    // Guessing the current password from a session left open is throttled like sign-in.
    let now = chrono::Utc::now();
    let since = now - chrono::Duration::minutes(i64::from(THROTTLE_MINUTES));
    let key = format!("change:{}", user.id);
    let (reserved, counts) = store::reserve_attempt(&state.db, &[&key], now, since).await?;
    if counts.iter().any(|n| *n > ACCOUNT_FAILURES) {
        return fail(AppError::TooManyAttempts(THROTTLE_MINUTES));
    }
    if !store::check_password(current, hash).await {
        return fail(AppError::Invalid(Refusal::CurrentWrong.message(Lang::Vi)));
    }
    store::release_attempt(&state.db, &reserved).await?;
    if new_password != confirm {
        return fail(AppError::Invalid(Refusal::Mismatch.message(Lang::Vi)));
    }
    if same {
        return fail(AppError::Invalid(Refusal::Same.message(Lang::Vi)));
    }
    if let Err(message) = super::check_new_password(&new_password, &row.username) {
        return fail(AppError::Invalid(message));
    }
    store::set_password(&state.db, user.id, &new_password, false).await?;
    // Whoever else held a session of this account (the old password's) holds none now.
    let ended = match &caller.token_hash {
        Some(own) => store::end_other_sessions(&state.db, user.id, own).await?,
        None => store::delete_user_sessions(&state.db, user.id).await?,
    };
    audit(
        &state,
        Some(user.id),
        &caller.address,
        "change_password",
        user.id,
        Some(serde_json::json!({ "must_change_password": false, "other_sessions_ended": ended })),
    )
    .await
}

/// The newest entries of the audit trail, optionally of one action (admins only).
#[server(endpoint = "audit/entries", input = server_fn::codec::Json)]
pub async fn audit_entries(action: String) -> Result<Vec<AuditEntryView>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewAudit).await?;
    // The trail covers the whole province: only a grant on the department reads it.
    let mut conn = state.db.pool().acquire().await?;
    let department = crate::store::org::department_id(&mut conn)
        .await?
        .unwrap_or_default();
    drop(conn);
    if let Err(err) = crate::authz::check(
        &state.db,
        &user,
        Action::ViewAudit,
        department,
        crate::clock::today(),
    )
    .await
    {
        return crate::authz::fail(err);
    }
    let action = action.trim().chars().take(50).collect::<String>();
    let rows = crate::store::accounts::audit_entries(&state.db, &action, "", 200).await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntryView {
            id: r.id,
            at: r.at,
            username: r.username,
            address: r.address,
            action: r.action,
            entity: format!("{} #{}", r.entity, r.entity_id),
            before: r.before,
            after: r.after,
        })
        .collect())
}
