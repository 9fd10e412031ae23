//! The browser bundle (wasm, JavaScript, stylesheet, assets) compiled into the binary when it
//! is built with `ANTQ_EMBED_SITE` pointing at the built site, so that one file is a whole
//! deployment. Without it, the files are read from `LEPTOS_SITE_ROOT`.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

// `FILES`: (URL path, content, ETag), written by build.rs.
include!(concat!(env!("OUT_DIR"), "/site.rs"));

/// Whether this binary carries the site.
pub fn is_embedded() -> bool {
    !FILES.is_empty()
}

/// The embedded file at `path`, as a response (304 when the browser's copy is current), or
/// `None` when the binary has no such file.
pub fn response(path: &str, headers: &HeaderMap) -> Option<Response> {
    let (_, bytes, etag) = FILES.iter().find(|(url, _, _)| *url == path)?;
    // Names in pkg/ do not change between versions: browsers ask again every time and get a
    // 304 while the content is the same.
    let cache = [
        (header::ETAG, HeaderValue::from_static(etag)),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == *etag));
    if fresh {
        return Some((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Some(
        (
            cache,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(path)),
            )],
            Body::from(*bytes),
        )
            .into_response(),
    )
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "wasm" => "application/wasm",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" | "webmanifest" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::content_type;

    #[test]
    fn the_bundle_gets_the_types_browsers_require() {
        // Browsers refuse to stream-compile wasm or run a module served with another type.
        assert_eq!(content_type("/pkg/antq_bg.wasm"), "application/wasm");
        assert!(content_type("/pkg/antq.js").starts_with("text/javascript"));
        assert!(content_type("/pkg/antq.css").starts_with("text/css"));
    }
}
