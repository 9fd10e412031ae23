//! The browser bundle (wasm, JavaScript, stylesheet, assets) compiled into the binary when it
//! is built with `ANTQ_EMBED_SITE` pointing at the built site, so that one file is a whole
//! deployment. Without it, the files are read from `LEPTOS_SITE_ROOT`.
//!
//! The bundle's script, wasm and stylesheet are served under names that carry a hash of their
//! content, with `Cache-Control: immutable` for a year: a phone downloads them once per
//! version. Each is compressed when the site is built (brotli and gzip beside it); the response
//! is the form the browser accepts, never compressed again per request.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A file of the site as the binary carries it.
pub struct SiteFile {
    /// Where it is served.
    pub path: &'static str,
    pub bytes: &'static [u8],
    pub etag: &'static str,
    /// Whether `path` carries the content's hash (then it never changes).
    pub immutable: bool,
    pub brotli: Option<&'static [u8]>,
    pub gzip: Option<&'static [u8]>,
}

// `FILES`, `BUNDLES`, `STYLESHEET` and `SITE_VERSION`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/site.rs"));

/// Whether this binary carries the site.
pub fn is_embedded() -> bool {
    !FILES.is_empty()
}

/// Where the pages find the bundles and the stylesheet.
pub fn bundle() -> app::Bundle {
    app::Bundle {
        parts: &BUNDLES,
        stylesheet: STYLESHEET,
    }
}

/// The embedded file at `path`, as a response, or `None` when the binary has no such file.
pub fn response(path: &str, headers: &HeaderMap) -> Option<Response> {
    serve(FILES, path, headers)
}

/// The service worker (`sw.js`), headed by its version and the files it keeps when it
/// installs: the stylesheet, the school bundle and the icon. The version changes with the
/// served names, so a new build installs a new worker, which drops the old files.
pub fn service_worker() -> String {
    let bundle = bundle();
    let mut assets = vec![bundle.stylesheet, "/favicon.svg"];
    if let Some(school) = bundle.parts.first() {
        assets.extend([school.script, school.wasm]);
    }
    format!(
        "const VERSION = {SITE_VERSION:?};\nconst ASSETS = {assets:?};\n\n{}",
        include_str!("sw.js")
    )
}

/// The service worker as a response: asked again on each visit (`no-cache`), so that a new
/// version is found as soon as it is deployed. Its own Content-Security-Policy lets it fetch
/// the site's files and pages, and nothing elsewhere.
pub async fn service_worker_response() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; connect-src 'self'",
            ),
        ],
        service_worker(),
    )
        .into_response()
}

/// A year: what the hashed names may be cached for.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn serve(files: &[SiteFile], path: &str, headers: &HeaderMap) -> Option<Response> {
    let file = files.iter().find(|f| f.path == path)?;
    let mut response = if !file.immutable && fresh(headers, file.etag) {
        // A file with a fixed name (the icon) is asked again each visit: 304 while it is the
        // same.
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (encoding, body) = match encoding(headers, file) {
            Some((name, body)) => (Some(name), body),
            None => (None, file.bytes),
        };
        let mut response = Body::from(body).into_response();
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(path)),
        );
        if let Some(encoding) = encoding {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, HeaderValue::from_static(file.etag));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if file.immutable {
            IMMUTABLE
        } else {
            "no-cache"
        }),
    );
    if file.brotli.is_some() || file.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    Some(response)
}

fn fresh(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag))
}

/// The smallest form of `file` the browser accepts: brotli, then gzip (a `q=0` refuses one).
fn encoding(headers: &HeaderMap, file: &SiteFile) -> Option<(&'static str, &'static [u8])> {
    let accepted = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next()?.to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (!refused).then_some(name)
        })
        .collect::<Vec<_>>();
    let accepts = |name: &str| accepted.iter().any(|a| a == name || a == "*");
    match (file.brotli, file.gzip) {
        (Some(body), _) if accepts("br") => Some(("br", body)),
        (_, Some(body)) if accepts("gzip") => Some(("gzip", body)),
        _ => None,
    }
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
    use super::*;

    const WASM: SiteFile = SiteFile {
        path: "/pkg/antq_bg.0123456789abcdef.wasm",
        bytes: b"raw wasm",
        etag: "\"0123456789abcdef\"",
        immutable: true,
        brotli: Some(b"brotli wasm"),
        gzip: Some(b"gzip wasm"),
    };
    const ICON: SiteFile = SiteFile {
        path: "/favicon.svg",
        bytes: b"<svg/>",
        etag: "\"fedcba9876543210\"",
        immutable: false,
        brotli: None,
        gzip: None,
    };

    fn get(path: &str, accept: Option<&str>) -> Option<Response> {
        let mut headers = HeaderMap::new();
        if let Some(accept) = accept {
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(accept).ok()?);
        }
        serve(&[WASM, ICON], path, &headers)
    }

    async fn body(response: Response) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map(|b| b.to_vec())
            .unwrap_or_default()
    }

    fn header_of(response: &Response, name: header::HeaderName) -> Option<&str> {
        response.headers().get(name).and_then(|v| v.to_str().ok())
    }

    #[tokio::test]
    async fn the_browser_gets_the_smallest_form_it_accepts_built_in_advance() {
        let cases = [
            (Some("gzip, deflate, br, zstd"), Some("br"), "brotli wasm"),
            (Some("gzip, deflate"), Some("gzip"), "gzip wasm"),
            (Some("br;q=0, gzip"), Some("gzip"), "gzip wasm"),
            (Some("identity"), None, "raw wasm"),
            (None, None, "raw wasm"),
        ];
        for (accept, encoding, expected) in cases {
            let Some(response) = get(WASM.path, accept) else {
                panic!("the wasm is served");
            };
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(header_of(&response, header::CONTENT_ENCODING), encoding);
            assert_eq!(
                header_of(&response, header::CACHE_CONTROL),
                Some("public, max-age=31536000, immutable")
            );
            assert_eq!(header_of(&response, header::VARY), Some("accept-encoding"));
            assert_eq!(
                header_of(&response, header::CONTENT_TYPE),
                Some("application/wasm")
            );
            assert_eq!(body(response).await, expected.as_bytes(), "{accept:?}");
        }
    }

    #[tokio::test]
    async fn a_file_with_a_fixed_name_is_revalidated() {
        let Some(response) = get(ICON.path, Some("br")) else {
            panic!("the icon is served");
        };
        assert_eq!(
            header_of(&response, header::CACHE_CONTROL),
            Some("no-cache")
        );
        assert_eq!(header_of(&response, header::CONTENT_ENCODING), None);
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static(ICON.etag));
        let again = serve(&[WASM, ICON], ICON.path, &headers).map(|r| r.status());
        assert_eq!(again, Some(StatusCode::NOT_MODIFIED));
        assert!(
            get("/pkg/antq_bg.wasm", None).is_none(),
            "only the hashed name"
        );
    }

    #[test]
    fn the_bundle_gets_the_types_browsers_require() {
        // Browsers refuse to stream-compile wasm or run a module served with another type.
        assert_eq!(content_type("/pkg/antq_bg.1.wasm"), "application/wasm");
        assert!(content_type("/pkg/antq.1.js").starts_with("text/javascript"));
        assert!(content_type("/pkg/antq.1.css").starts_with("text/css"));
    }
}
