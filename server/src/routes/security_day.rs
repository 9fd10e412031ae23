//! The 19/8 page's plain forms: a school records the day it held, with a photo, and adds
//! photos; with or without the bundle.

use super::error_response;
use super::form::{self, number, text, Fields};
use app::error::AppError;
use app::security_day::api::guard;
use app::security_day::{ActivityForm, NewDayRecord, MAX_PHOTO_BYTES, PAGE_FORM_ENDPOINT};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::response::Response;

/// The 19/8 page's plain forms (POST `/day-19-8?…`, multipart, `form` naming which): `day`
/// saves the school's record (each activity form ticked is an `activity`) and then adds the
/// photo chosen in `photo`, if any; `photo` adds the photo; `remove` removes the photo
/// `photo_id`. Each goes through the same guard as its server function or upload. Taken: 303 back to the page. Not taken: the page again,
/// with what was typed and the reason at the form, at the error's status.
pub async fn page_post(State(state): State<AppState>, request: Request) -> Response {
    let (user, address) = match form::page_user(&state, &request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (parts, body) = request.into_parts();
    let limits = form::Limits {
        max_file: MAX_PHOTO_BYTES,
        max_text_chars: 2000,
    };
    let mut fields = Fields::new();
    let mut activities = Vec::new();
    let mut photo = None;
    match form::read(form::content_type(&parts), body, &limits).await {
        Ok(read) => {
            for part in read {
                match part.name.as_str() {
                    "photo" if part.chosen() => {
                        photo = Some((part.clean_file_name(), part.bytes));
                    }
                    "photo" => {}
                    "activity" => {
                        let code = part.text().unwrap_or_default();
                        if let Some(activity) = ActivityForm::from_code(code) {
                            activities.push(activity);
                        }
                        // Kept for the page, should it come back.
                        let listed = fields.entry("activity".to_string()).or_default();
                        listed.push_str(code);
                        listed.push(' ');
                    }
                    name => {
                        if let Ok(text) = part.text() {
                            fields.insert(name.to_string(), text.replace("\r\n", "\n"));
                        }
                    }
                }
            }
        }
        Err(err) => return error_response(err),
    }
    let which = text(&fields, "form");
    let outcome: Result<(), AppError> = async {
        let (unit, year): (i64, i32) = (number(&fields, "unit")?, number(&fields, "year")?);
        match which.as_str() {
            "day" => {
                let record = NewDayRecord {
                    unit,
                    year,
                    held_on: text(&fields, "held_on"),
                    participants: text(&fields, "participants")
                        .trim()
                        .replace(['.', ' '], "")
                        .parse()
                        .unwrap_or(0),
                    forms: activities,
                    note: text(&fields, "note"),
                };
                guard::save(&state, &user, &address, &record).await?;
            }
            "photo" if photo.is_none() => {
                return Err(AppError::Invalid("Hãy chọn ảnh để gửi.".into()));
            }
            "photo" => {}
            "remove" => {
                let photo = number(&fields, "photo_id")?;
                return guard::remove_photo(&state, &user, &address, photo).await;
            }
            _ => return Err(form::unreadable()),
        }
        if let Some((name, bytes)) = &photo {
            guard::add_photo(&state, &user, &address, (unit, year), name, bytes).await?;
        }
        Ok(())
    }
    .await;
    form::page_answer(&state, parts, PAGE_FORM_ENDPOINT, "unit", fields, outcome).await
}
