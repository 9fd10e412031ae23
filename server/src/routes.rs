//! Plain HTTP endpoints beside the server functions: health and the school import.

use app::error::AppError;
use app::org::import::{import_schools, template_csv, MAX_FILE_BYTES};
use app::org::pages::{IMPORT_ENDPOINT, TEMPLATE_ENDPOINT};
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use std::time::Duration;

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route(TEMPLATE_ENDPOINT, get(import_template))
        .route(
            IMPORT_ENDPOINT,
            post(import).layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 1024)),
        )
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

async fn import_template() -> Response {
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
    let status = match err {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (status, Json(err)).into_response()
}

async fn import(State(state): State<AppState>, body: Bytes) -> Response {
    if !state.settings.import_enabled {
        return error_response(AppError::Forbidden);
    }
    if body.is_empty() {
        return error_response(AppError::Invalid("Tệp tải lên trống.".into()));
    }
    match import_schools(&state.db, &body, app::clock::today()).await {
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
