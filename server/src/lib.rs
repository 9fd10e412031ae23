//! The HTTP server: the Leptos app, its server functions and the plain endpoints.
// Leptos view types of the larger pages nest deeper than the default limit.
#![recursion_limit = "256"]

mod api_errors;
pub mod backup;
pub mod mail;
pub mod observe;
mod routes;
pub use routes::PLAIN_ENDPOINTS;
mod security;
pub mod site;

use app::state::{AppState, Settings};
use app::store::Db;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

/// The git revision the binary was built from ("unknown" outside a checkout).
pub const REVISION: &str = env!("ANTQ_REVISION");

/// The version line of `--version`.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("ANTQ_REVISION"), ")");

/// No request needs more than the largest file an endpoint takes (an evidence file, or a
/// report attachment of the configured size) and a little room; each endpoint that takes a
/// file sets its own, lower or equal, limit.
fn max_body_bytes(settings: &Settings) -> usize {
    app::plans::MAX_EVIDENCE_BYTES
        .max(app::recognition::MAX_FILE_BYTES)
        .max(settings.max_attachment_bytes)
        + 64 * 1024
}

/// Where the built site (pkg/antq.js, pkg/antq_bg.wasm, pkg/antq.css, assets) lives.
pub fn site_root() -> String {
    std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into())
}

pub fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(app::OUTPUT_NAME)
        .site_root(site_root())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// Builds the whole application for a database that is already migrated.
pub fn router(db: Db, settings: Settings, addr: SocketAddr) -> Router {
    router_with(db, settings, addr, observe::Metrics::from_env())
}

/// The application, counting into `metrics`.
pub fn router_with(
    db: Db,
    settings: Settings,
    addr: SocketAddr,
    metrics: Arc<observe::Metrics>,
) -> Router {
    let leptos_options = leptos_options(addr);
    let body_limit = max_body_bytes(&settings);
    let max_attachment = settings.max_attachment_bytes;
    let state = AppState {
        leptos_options: leptos_options.clone(),
        db: db.clone(),
        settings: Arc::new(settings),
    };
    // On PostgreSQL, changes made through any instance reach this one's live dashboards.
    app::store::changes::listen(&db);
    let routes = generate_route_list(app::App);
    Router::new()
        .route("/livez", axum::routing::get(observe::livez))
        .route("/readyz", axum::routing::get(observe::readyz))
        .route("/metrics", axum::routing::get(observe::metrics))
        .route(
            app::SERVICE_WORKER_PATH,
            axum::routing::get(site::service_worker_response),
        )
        .merge(routes::api(max_attachment))
        .leptos_routes_with_context(
            &state,
            routes,
            // A fresh nonce per page: the shell puts it in the Content-Security-Policy and on
            // the script that starts the bundle, found under the names this binary serves.
            page_context,
            {
                let options = leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(site_or_not_found)
        .layer(axum::middleware::from_fn(api_errors::status_from_error))
        .layer(axum::middleware::from_fn(security::guard))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            find_client,
        ))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(CompressionLayer::new().compress_when(dynamic_content()))
        .layer(axum::Extension(metrics.clone()))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            observe::track,
        ))
        .with_state(state)
}

/// Pages, data and downloads are compressed per response; the bundle's files are compressed
/// once, when the site is built ([`site`]), and never again.
fn dynamic_content() -> impl tower_http::compression::Predicate {
    use tower_http::compression::predicate::{NotForContentType, Predicate};
    tower_http::compression::DefaultPredicate::new()
        .and(NotForContentType::const_new("application/wasm"))
        .and(NotForContentType::const_new("text/javascript"))
        .and(NotForContentType::const_new("text/css"))
}

/// Finds the request's client once, for sign-in throttling, sessions, the audit trail and
/// `/metrics`: the socket's peer, or behind a trusted proxy the client it names
/// ([`app::authz::client_address`]).
async fn find_client(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(peer) = peer {
        let trusted = &state.settings.trusted_proxies;
        let client = app::authz::client_address(peer, request.headers(), trusted);
        let https = app::authz::forwarded_https(peer, request.headers(), trusted);
        let extensions = request.extensions_mut();
        extensions.insert(app::authz::ClientAddress(client));
        extensions.insert(app::authz::OverHttps(https));
    }
    next.run(request).await
}

/// Anything no route took: a file of the site (from the binary when it carries one, else from
/// `LEPTOS_SITE_ROOT`), or the app's 404 page.
async fn site_or_not_found(
    uri: axum::http::Uri,
    state: axum::extract::State<AppState>,
    request: axum::extract::Request,
) -> axum::response::Response {
    if let Some(response) = site::response(uri.path(), request.headers()) {
        return response;
    }
    leptos_axum::file_and_error_handler_with_context::<AppState, _>(page_context, app::shell)(
        uri, state, request,
    )
    .await
}

/// The page at `path` rendered for the request whose head is `parts` (a plain form post),
/// with `extra` in context (what the page shows again), answered with `status`.
pub(crate) async fn render_page_with<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    mut parts: axum::http::request::Parts,
    path: &str,
    status: axum::http::StatusCode,
    extra: T,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    parts.method = axum::http::Method::GET;
    parts.uri = match path.parse() {
        Ok(uri) => uri,
        Err(_) => return axum::http::StatusCode::BAD_REQUEST.into_response(),
    };
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let request = axum::extract::Request::from_parts(parts, axum::body::Body::empty());
    let options = state.leptos_options.clone();
    let context = {
        let state = state.clone();
        move || {
            leptos::prelude::provide_context(state.clone());
            page_context();
            leptos::prelude::provide_context(extra.clone());
        }
    };
    let render =
        leptos_axum::render_app_async_with_context(context, move || app::shell(options.clone()));
    let mut response = render(request).await.into_response();
    *response.status_mut() = status;
    response
}

/// What every page is rendered with beyond the request: its nonce and the bundle's names.
fn page_context() {
    leptos::nonce::provide_nonce();
    leptos::prelude::provide_context(site::bundle());
}

/// Fills an empty database with the demo province, one demo account per role, demo plans,
/// demo reports and demo recognition.
pub async fn load_demo(
    db: &Db,
    options: app::org::demo::DemoOptions,
) -> anyhow::Result<app::org::demo::DemoSummary> {
    let summary = app::org::demo::generate(db, options)
        .await
        .map_err(|e| anyhow::anyhow!("generating the demo province: {e}"))?;
    app::store::accounts::create_demo_accounts(db, app::clock::today())
        .await
        .map_err(|e| anyhow::anyhow!("creating the demo accounts: {e}"))?;
    app::plans::demo::generate(db)
        .await
        .map_err(|e| anyhow::anyhow!("creating the demo plans: {e}"))?;
    app::reports::demo::generate(db, app::clock::today())
        .await
        .map_err(|e| anyhow::anyhow!("creating the demo reports: {e}"))?;
    app::recognition::demo::generate(db, app::clock::today())
        .await
        .map_err(|e| anyhow::anyhow!("creating the demo recognition: {e}"))?;
    app::safety_models::demo::generate(db, app::clock::today())
        .await
        .map_err(|e| anyhow::anyhow!("creating the demo models: {e}"))?;
    app::emulation::demo::generate(db, app::clock::today())
        .await
        .map_err(|e| anyhow::anyhow!("creating the demo emulation: {e}"))?;
    app::security_day::demo::generate(db, app::clock::today())
        .await
        .map_err(|e| anyhow::anyhow!("creating the demo 19/8 days: {e}"))?;
    db.refresh_statistics(&[]).await?;
    Ok(summary)
}

/// Binds and serves until the future `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
