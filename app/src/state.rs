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
