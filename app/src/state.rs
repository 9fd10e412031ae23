//! What the server hands to every request: options, the database and settings.

use crate::error::AppError;
use crate::store::Db;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Demo mode: the database was filled by the demo generator and the demo accounts
    /// (one per role) may sign in.
    pub demo: bool,
    /// The largest report attachment accepted (`ANTQ_MAX_ATTACHMENT_MB`, 20 MB by default).
    pub max_attachment_bytes: usize,
    /// The reverse proxies whose forwarding headers name the client (`ANTQ_TRUSTED_PROXIES`,
    /// none by default): see [`crate::authz::client_address`].
    pub trusted_proxies: Vec<crate::authz::Network>,
}

impl Settings {
    /// The settings of a server, from the environment; an error names a setting that cannot
    /// be read.
    pub fn from_env(demo: bool) -> Result<Settings, String> {
        let max_attachment_bytes = std::env::var("ANTQ_MAX_ATTACHMENT_MB")
            .ok()
            .and_then(|mb| mb.trim().parse::<usize>().ok())
            .filter(|mb| (1..=200).contains(mb))
            .map_or(crate::reports::DEFAULT_MAX_ATTACHMENT_BYTES, |mb| {
                mb * 1024 * 1024
            });
        let trusted_proxies = crate::authz::Network::parse_list(
            &std::env::var("ANTQ_TRUSTED_PROXIES").unwrap_or_default(),
        )
        .map_err(|e| format!("ANTQ_TRUSTED_PROXIES: {e}"))?;
        Ok(Settings {
            demo,
            max_attachment_bytes,
            trusted_proxies,
        })
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("server function called without application state");
        AppError::Internal
    })
}
