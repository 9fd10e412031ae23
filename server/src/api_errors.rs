//! Server functions answer an error with status 500 unless the function set another, and
//! many return their error with `?` before they could (a database gone away while the
//! caller's session is read, say). This layer gives every such answer the status its error
//! means: 503 for an unreachable database, 403, 404, 422 and so on.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Larger bodies are not errors of ours.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn status_from_error(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = app::authz::status_of(&error);
    }
    Response::from_parts(parts, Body::from(bytes))
}
