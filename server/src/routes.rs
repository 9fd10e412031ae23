//! Plain HTTP endpoints beside the server functions: health and the school import.

use app::accounts::Action;
use app::authz::{self, SessionUser};
use app::error::AppError;
use app::org::import::{import_schools, template_csv, Importer, MAX_FILE_BYTES};
use app::org::pages::{IMPORT_ENDPOINT, TEMPLATE_ENDPOINT};
use app::state::AppState;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;

/// The plain HTTP endpoints (beside the server functions); each has a rule in `authz::RULES`.
pub const PLAIN_ENDPOINTS: [&str; 4] = [
    "/healthz",
    TEMPLATE_ENDPOINT,
    IMPORT_ENDPOINT,
    PLAN_DOCX_ENDPOINT,
];

/// The printed plan as a Word file.
pub const PLAN_DOCX_ENDPOINT: &str = "/plans/{id}/document.docx";

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route(TEMPLATE_ENDPOINT, get(import_template))
        .route(
            IMPORT_ENDPOINT,
            post(import).layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 1024)),
        )
        .route(PLAN_DOCX_ENDPOINT, get(plan_docx))
}

/// The DOCX of a plan, for whoever may read the plan.
async fn plan_docx(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    request: Request,
) -> Response {
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let caller =
        match authz::identify(&state.db, request.headers(), address, state.settings.demo).await {
            Ok(caller) => caller,
            Err(err) => return error_response(err),
        };
    let Some(user) = caller.user else {
        return error_response(AppError::Unauthenticated);
    };
    if let Err(err) = authz::check_any(&user, Action::ViewPlans) {
        return error_response(err);
    }
    let plan = match app::plans::api::guard::readable(&state, &user, id).await {
        Ok((plan, _)) => plan,
        Err(err) => return error_response(err),
    };
    let bytes = match app::plans::docx::render(&plan.content) {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(error = %err, "writing a DOCX");
            return error_response(AppError::Internal);
        }
    };
    let name = app::plans::docx::file_name(&plan.content, id);
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// 200 with the database kind when a query goes through; 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    let database = state.db.backend().name();
    let version = env!("CARGO_PKG_VERSION");
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => {
            Json(json!({"status": "ok", "database": database, "version": version})).into_response()
        }
        outcome => {
            tracing::warn!(?outcome, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "database": database, "version": version})),
            )
                .into_response()
        }
    }
}

/// The caller of a plain endpoint, allowed to take `action` over the whole department.
fn department_user<'a>(
    state: &'a AppState,
    request: &Request,
    action: Action,
) -> impl std::future::Future<Output = Result<(SessionUser, String), AppError>> + Send + 'a {
    // Taken out of the request first: a `&Request` cannot be held across an await.
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let headers = request.headers().clone();
    check_department_user(state, headers, address, action)
}

async fn check_department_user(
    state: &AppState,
    headers: axum::http::HeaderMap,
    address: String,
    action: Action,
) -> Result<(SessionUser, String), AppError> {
    let caller = authz::identify(&state.db, &headers, address, state.settings.demo).await?;
    let user = caller.user.ok_or(AppError::Unauthenticated)?;
    let mut conn = state.db.pool().acquire().await?;
    let department = app::store::org::department_id(&mut conn)
        .await?
        .ok_or(AppError::Forbidden)?;
    drop(conn);
    authz::check(&state.db, &user, action, department, app::clock::today()).await?;
    Ok((user, caller.address))
}

async fn import_template(State(state): State<AppState>, request: Request) -> Response {
    if let Err(err) = department_user(&state, &request, Action::EditOrganisation).await {
        return error_response(err);
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mau-danh-sach-truong.csv\"",
            ),
        ],
        // A BOM so that Excel opens the Vietnamese headers as UTF-8.
        format!("\u{feff}{}", template_csv()),
    )
        .into_response()
}

fn error_response(err: AppError) -> Response {
    (authz::status_of(&err), Json(err)).into_response()
}

async fn import(State(state): State<AppState>, request: Request) -> Response {
    let (user, address) = match department_user(&state, &request, Action::EditOrganisation).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    let body = match axum::body::to_bytes(request.into_body(), MAX_FILE_BYTES + 1024).await {
        Ok(body) => body,
        Err(_) => return error_response(AppError::Invalid("Tệp lớn hơn 5 MB.".into())),
    };
    if body.is_empty() {
        return error_response(AppError::Invalid("Tệp tải lên trống.".into()));
    }
    let importer = Importer {
        user: user.id,
        address: &address,
    };
    match import_schools(&state.db, &body, app::clock::today(), &importer).await {
        Ok(report) => {
            tracing::info!(
                rows = report.rows,
                created = report.created,
                updated = report.updated,
                rejected = report.errors.len(),
                "school import"
            );
            let status = if report.committed {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (status, Json(report)).into_response()
        }
        Err(err) => error_response(err),
    }
}
