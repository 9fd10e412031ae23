//! Reading the multipart body a page's plain form posts.

use app::error::AppError;

/// One part of a posted form: its field, the file's name when it is a file input, its content.
pub(crate) struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

impl Part {
    /// Whether a file was chosen: a file input with nothing chosen still sends an empty part
    /// with an empty name.
    pub fn chosen(&self) -> bool {
        self.file_name.as_deref().is_some_and(|n| !n.is_empty()) || !self.bytes.is_empty()
    }

    /// The part as text.
    pub fn text(&self) -> Result<&str, AppError> {
        std::str::from_utf8(&self.bytes).map_err(|_| unreadable())
    }

    /// The chosen file's own name ([`super::clean_file_name`]).
    pub fn clean_file_name(&self) -> String {
        super::clean_file_name(self.file_name.as_deref().unwrap_or_default())
    }
}

/// How much one part may hold.
pub(crate) struct Limits {
    /// Bytes of one file.
    pub max_file: usize,
    /// Characters of one text field.
    pub max_text_chars: usize,
}

/// The form could not be read (not multipart, cut off, not text where text belongs).
pub(crate) fn unreadable() -> AppError {
    AppError::Invalid("Biểu mẫu gửi lên không đọc được; hãy tải lại trang.".into())
}

pub(crate) fn too_large(max: usize) -> AppError {
    AppError::Invalid(format!("Tệp quá lớn: tối đa {} MB.", max / (1024 * 1024)))
}

/// Reads every part of a multipart form body, refusing a file or a text over its limit as
/// soon as it grows past it.
pub(crate) async fn read(
    content_type: Option<&str>,
    body: axum::body::Body,
    limits: &Limits,
) -> Result<Vec<Part>, AppError> {
    let boundary = content_type
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .ok_or_else(unreadable)?;
    let mut multipart = multer::Multipart::new(body.into_data_stream(), boundary);
    let mut parts = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        // A character of Vietnamese text takes at most four bytes.
        let (max, refusal) = if file_name.is_some() {
            (limits.max_file, too_large(limits.max_file))
        } else {
            (
                4 * limits.max_text_chars,
                AppError::Invalid(format!(
                    "Mỗi mục tối đa {} ký tự.",
                    app::components::format_count(
                        limits.max_text_chars as i64,
                        app::i18n::Lang::Vi
                    )
                )),
            )
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
            if bytes.len() + chunk.len() > max {
                return Err(refusal);
            }
            bytes.extend_from_slice(&chunk);
        }
        parts.push(Part {
            name,
            file_name,
            bytes,
        });
    }
    Ok(parts)
}

/// The content type a request declares.
pub(crate) fn content_type(parts: &axum::http::request::Parts) -> Option<&str> {
    parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// The fields of a form as text, by name (the last of a name wins).
pub(crate) type Fields = std::collections::BTreeMap<String, String>;

/// A field read as a number (or a date, or anything parsed from text); a field missing or
/// not of its kind means the form was not one of the page's.
pub(crate) fn number<T: std::str::FromStr>(fields: &Fields, name: &str) -> Result<T, AppError> {
    fields
        .get(name)
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(unreadable)
}

/// A field's text, empty when it was not sent.
pub(crate) fn text(fields: &Fields, name: &str) -> String {
    fields.get(name).cloned().unwrap_or_default()
}

/// The signed-in user of a page's plain form and their address; anyone else is sent to the
/// sign-in page, and a refusal (a password still to change) is the response to send.
pub(crate) fn page_user<'a>(
    state: &'a app::state::AppState,
    request: &axum::extract::Request,
) -> impl std::future::Future<
    Output = Result<(app::authz::SessionUser, String), axum::response::Response>,
> + Send
       + 'a {
    use axum::response::IntoResponse;
    // Taken out of the request first, as `signed_in_user` does.
    let found = super::signed_in_user(state, request);
    async move {
        match found.await {
            Ok(found) => Ok(found),
            Err(AppError::Unauthenticated) => {
                Err(axum::response::Redirect::to("/sign-in").into_response())
            }
            Err(err) => Err(super::error_response(err)),
        }
    }
}

/// What a page's plain form answers, once done: taken, 303 back to the page it was posted to
/// (`path` with the query the form posted to) saying which form it was (`form`); refused, that
/// page again with what was typed and why, for the form named by its kind and the field
/// `key` (`register-12`), at the error's status.
pub(crate) async fn page_answer(
    state: &app::state::AppState,
    parts: axum::http::request::Parts,
    path: &str,
    key: &str,
    fields: Fields,
    outcome: Result<(), AppError>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let which = text(&fields, "form");
    let page = match parts.uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    };
    match outcome {
        Ok(()) => {
            let sep = if page.contains('?') { '&' } else { '?' };
            axum::response::Redirect::to(&format!("{page}{sep}done={which}")).into_response()
        }
        Err(error) => {
            let status = app::authz::status_of(&error);
            let posted = app::components::PagePosted {
                form: format!("{which}-{}", text(&fields, key)),
                fields,
                error,
            };
            crate::render_page_with(state, parts, &page, status, posted).await
        }
    }
}
