//! The security baseline around every response: a cross-origin check on state-changing
//! requests (with SameSite=Lax cookies, the CSRF defence) and protective headers (HSTS when
//! the request came over HTTPS).

use app::error::AppError;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The policy of responses that are not pages (pages get one with a nonce from the shell).
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Whether the request comes from another site: its Origin names another host than the
/// one it was sent to, or the browser says so.
fn cross_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let origin_host = origin
            .split_once("://")
            .map(|(_, rest)| rest.trim_end_matches('/'))
            .unwrap_or("");
        return origin == "null" || Some(origin_host) != host;
    }
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site")
}

pub async fn guard(request: Request, next: Next) -> Response {
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state && cross_origin(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-origin request refused");
        return (StatusCode::FORBIDDEN, Json(AppError::Forbidden)).into_response();
    }
    let https = app::authz::over_https(request.extensions());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // Served over HTTPS (through a trusted proxy): browsers keep to HTTPS for a year.
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CSP),
        );
    }
    // Pages, data and downloads are the user's: a shared computer's browser keeps no copy
    // (only the site's own files say how they may be cached).
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn same_origin_and_plain_clients_pass_other_sites_do_not() {
        assert!(!cross_origin(&headers(&[
            ("host", "antq.sgd.vn"),
            ("origin", "https://antq.sgd.vn")
        ])));
        assert!(!cross_origin(&headers(&[("host", "127.0.0.1:3000")])));
        assert!(cross_origin(&headers(&[
            ("host", "antq.sgd.vn"),
            ("origin", "https://evil.example")
        ])));
        assert!(cross_origin(&headers(&[
            ("host", "antq.sgd.vn"),
            ("origin", "null")
        ])));
        assert!(cross_origin(&headers(&[
            ("host", "antq.sgd.vn"),
            ("sec-fetch-site", "cross-site")
        ])));
    }
}
