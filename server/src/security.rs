//! The security baseline around every response: a cross-origin check on state-changing
//! requests (with SameSite=Lax cookies, the CSRF defence) and protective headers.

use app::error::AppError;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The policy of responses that are not pages (pages get one with a nonce from the shell).
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The worker that compiles the wasm bundle (`public/pkg/compile.js`) runs under its own
/// response's policy: it may fetch from this site, load this site's scripts (the bundle's glue,
/// to rehearse hydration) and compile wasm, nothing else.
const COMPILE_WORKER: &str = "/pkg/compile.js";
const COMPILE_WORKER_CSP: &str =
    "default-src 'none'; connect-src 'self'; script-src 'self' 'wasm-unsafe-eval'; base-uri 'none'";

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

/// The policy of a response that does not bring its own (pages bring theirs).
fn policy_for(path: &str) -> &'static str {
    if path == COMPILE_WORKER {
        COMPILE_WORKER_CSP
    } else {
        API_CSP
    }
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
    let policy = policy_for(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
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
            HeaderValue::from_static(policy),
        );
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
    fn the_compile_worker_may_fetch_and_run_the_sites_scripts_and_compile_wasm_and_nothing_else() {
        let worker = policy_for("/pkg/compile.js");
        assert!(worker.starts_with("default-src 'none'"), "{worker}");
        assert!(worker.contains("connect-src 'self'"), "{worker}");
        assert!(
            worker.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{worker}"
        );
        assert!(!worker.contains("unsafe-inline") && !worker.contains("'unsafe-eval'"));
        assert_eq!(policy_for("/pkg/antq.js"), API_CSP);
        assert_eq!(policy_for("/api/accounts/me"), API_CSP);
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
