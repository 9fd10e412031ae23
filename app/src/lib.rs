//! The ANTQ application: shared types, server functions and pages. Everything that touches
//! the database or the file system sits behind the `ssr` feature.
// Leptos view types of the larger pages nest deeper than the default limit.
#![recursion_limit = "512"]

pub mod accounts;
pub mod components;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod docx;
pub mod emulation;
pub mod error;
pub mod i18n;
pub mod nav;
pub mod org;
pub mod plans;
pub mod recognition;
pub mod reports;
pub mod rich_text;
pub mod safety_models;
pub mod security_day;
mod shell;
pub mod text;

#[cfg(feature = "ssr")]
pub mod authz;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;

pub use shell::{shell, App, Bundle, BundlePart, SERVICE_WORKER_PATH};

/// The name of the built browser bundle: `pkg/antq.js`, `pkg/antq_bg.wasm`, `pkg/antq.css`.
pub const OUTPUT_NAME: &str = "antq";

/// Starts the browser side of islands mode: the root every island hydrates under.
#[cfg(feature = "hydrate")]
pub fn hydrate_islands() {
    leptos::mount::hydrate_islands();
}
