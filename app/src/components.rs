//! Small pieces shared by pages.

use crate::error::AppError;
use crate::i18n::{use_i18n, Lang};
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    let i = use_i18n();
    view! {
        <p class="loading" role="status">
            {move || i.t().loading}
        </p>
    }
}

/// A failed request, told in the user's language; the cause stays in the server log.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(crate::authz::status_of(&error));
    }
    match error {
        AppError::Unauthenticated => view! {
            <section class="empty-state">
                <h1>{move || i.t().sign_in_title}</h1>
                <p>{move || i.t().sign_in_needed}</p>
                <p><a class="button" href="/sign-in">{move || i.t().nav_sign_in}</a></p>
            </section>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <section class="empty-state" role="alert">
                <h1>{move || i.t().forbidden_title}</h1>
                <p>{move || i.t().forbidden_body}</p>
                <p><a class="button" href="/">{move || i.t().back_home}</a></p>
            </section>
        }
        .into_any(),
        error => view! {
            <div class="notice notice-error" role="alert">
                <p class="notice-title">{move || i.t().error_title}</p>
                <p>{move || i.t().error(&error)}</p>
            </div>
        }
        .into_any(),
    }
}

/// Integers as Vietnamese write them: 12.345 (English: 12,345).
pub fn format_count(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let separator = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(ch);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// Percent-encodes a query value (UTF-8, everything but unreserved characters).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Builds `path?k=v&…` from the pairs whose value is not empty.
pub fn href_with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_the_language_separator() {
        assert_eq!(format_count(1234567, Lang::Vi), "1.234.567");
        assert_eq!(format_count(999, Lang::En), "999");
        assert_eq!(format_count(-1000, Lang::En), "-1,000");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            href_with_query(
                "/directory",
                &[("q", "Tân Lập".into()), ("kind", String::new())]
            ),
            "/directory?q=T%C3%A2n+L%E1%BA%ADp"
        );
    }
}

/// A file's size as people say it: "840 KB", "2.4 MB".
pub fn file_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// Sends a picked file as the body of a POST to `url` (its name in `?name=`) and reads the
/// JSON answer; the error is a message for the user.
pub async fn upload_file<T: serde::de::DeserializeOwned>(
    file: leptos::web_sys::File,
    url: &str,
    i: crate::i18n::I18n,
) -> Result<T, String> {
    #[cfg(feature = "hydrate")]
    {
        let join = if url.contains('?') { '&' } else { '?' };
        let url = format!(
            "{url}{join}name={}",
            crate::text::percent_encode(&file.name())
        );
        let request = gloo_net::http::Request::post(&url)
            .header("Content-Type", "application/octet-stream")
            .body(wasm_bindgen::JsValue::from(file))
            .map_err(|_| i.t().err_transport.to_string())?;
        let response = request
            .send()
            .await
            .map_err(|_| i.t().err_transport.to_string())?;
        let body = response
            .text()
            .await
            .map_err(|_| i.t().err_transport.to_string())?;
        serde_json::from_str::<T>(&body).map_err(|_| {
            serde_json::from_str::<AppError>(&body)
                .map(|e| i.t().error(&e))
                .unwrap_or_else(|_| i.t().err_internal.to_string())
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (file, url);
        Err(i.t().err_transport.to_string())
    }
}
