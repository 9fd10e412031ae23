//! The models page's plain forms: a school registers a model it runs and attaches its
//! evidence; a reviewer rates a school's model for the year; with or without the bundle.

use super::error_response;
use super::form::{self, number, text, Fields};
use app::error::AppError;
use app::safety_models::api::guard;
use app::safety_models::{NewRun, Rating, MAX_EVIDENCE_BYTES, MAX_NOTE_CHARS, PAGE_FORM_ENDPOINT};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::response::Response;

/// The models page's plain forms (POST `/models?…`, multipart, `form` naming which):
/// `register`, `evidence` (the file in `evidence`) and `review`, each through the same guard
/// as its server function or upload. Taken: 303 back to the page as it was. Not taken: the
/// page again, with what was typed and the reason at the form, at the error's status.
pub async fn page_post(State(state): State<AppState>, request: Request) -> Response {
    let (user, address) = match form::page_user(&state, &request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (parts, body) = request.into_parts();
    let limits = form::Limits {
        max_file: MAX_EVIDENCE_BYTES,
        max_text_chars: MAX_NOTE_CHARS,
    };
    let mut fields = Fields::new();
    let mut file = None;
    match form::read(form::content_type(&parts), body, &limits).await {
        Ok(read) => {
            for part in read {
                if part.name == "evidence" {
                    if part.chosen() {
                        file = Some((part.clean_file_name(), part.bytes));
                    }
                } else if let Ok(text) = part.text() {
                    fields.insert(part.name.clone(), text.replace("\r\n", "\n"));
                }
            }
        }
        Err(err) => return error_response(err),
    }
    let which = text(&fields, "form");
    let outcome: Result<(), AppError> = async {
        match which.as_str() {
            "register" => {
                let run = NewRun {
                    model: number(&fields, "model")
                        .map_err(|_| AppError::Invalid("Hãy chọn mô hình.".into()))?,
                    unit: number(&fields, "unit")?,
                    started_on: number(&fields, "started_on")
                        .map_err(|_| AppError::Invalid("Hãy nhập ngày bắt đầu.".into()))?,
                    places: number(&fields, "places")
                        .map_err(|_| AppError::Invalid("Số điểm triển khai là một số.".into()))?,
                    note: text(&fields, "note"),
                };
                guard::register(&state, &user, &address, &run)
                    .await
                    .map(|_| ())
            }
            "evidence" => {
                let run = number(&fields, "run")?;
                let Some((name, bytes)) = &file else {
                    return Err(AppError::Invalid("Hãy chọn tệp minh chứng.".into()));
                };
                guard::attach_evidence(&state, &user, &address, run, name, bytes)
                    .await
                    .map(|_| ())
            }
            "review" => {
                let rating =
                    Rating::from_code(&text(&fields, "rating")).ok_or_else(form::unreadable)?;
                guard::review(
                    &state,
                    &user,
                    &address,
                    number(&fields, "run")?,
                    number(&fields, "year")?,
                    rating,
                    fields.contains_key("replicate"),
                    &text(&fields, "note"),
                )
                .await
            }
            _ => Err(form::unreadable()),
        }
    }
    .await;
    // The form names itself by its school (registering) or its run.
    let key = if which == "register" { "unit" } else { "run" };
    form::page_answer(&state, parts, PAGE_FORM_ENDPOINT, key, fields, outcome).await
}
