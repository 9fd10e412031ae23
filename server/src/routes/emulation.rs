//! The emulation page's plain forms: a school registers a title, sends a registration for
//! approval and nominates for an award, with or without the bundle.

use super::error_response;
use super::form::{self, number, text, Fields};
use app::emulation::api::guard;
use app::emulation::{NewNomination, NewRegistration, NomineeKind, PAGE_FORM_ENDPOINT};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Request, State};
use axum::response::Response;

/// The most a form of the page sends (the achievements are the longest field).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// Who is named: the kind, the name, and a person's position (none for a collective).
fn nominee(fields: &Fields) -> Result<(NomineeKind, String, String), AppError> {
    let kind = NomineeKind::from_code(&text(fields, "kind")).ok_or_else(form::unreadable)?;
    let position = match kind {
        NomineeKind::Individual => text(fields, "position"),
        NomineeKind::Collective => String::new(),
    };
    Ok((kind, text(fields, "nominee"), position))
}

/// The emulation page's plain forms (POST `/emulation?year=`, URL-encoded, `form` naming
/// which): `register`, `send` and `nominate`, each through the same guard as its server
/// function. Taken: 303 back to the page of the year. Not taken: the page again, with what was
/// typed and the reason at the form, at the error's status.
pub async fn page_post(State(state): State<AppState>, request: Request) -> Response {
    let (user, address) = match form::page_user(&state, &request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (parts, body) = request.into_parts();
    let fields: Fields = match axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .ok()
        .and_then(|bytes| serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes).ok())
    {
        Some(pairs) => pairs.into_iter().collect(),
        None => return error_response(form::unreadable()),
    };
    let which = text(&fields, "form");
    let outcome: Result<(), AppError> = async {
        match which.as_str() {
            "register" => {
                let (kind, nominee, position) = nominee(&fields)?;
                let registration = NewRegistration {
                    unit: number(&fields, "unit")?,
                    year: number(&fields, "year")?,
                    kind,
                    nominee,
                    position,
                    title: text(&fields, "title"),
                };
                guard::register(&state, &user, &address, &registration)
                    .await
                    .map(|_| ())
            }
            "send" => guard::send(&state, &user, &address, number(&fields, "id")?).await,
            "nominate" => {
                let (kind, nominee, position) = nominee(&fields)?;
                let nomination = NewNomination {
                    unit: number(&fields, "unit")?,
                    year: number(&fields, "year")?,
                    kind,
                    nominee,
                    position,
                    form: number(&fields, "award")?,
                    achievements: text(&fields, "achievements"),
                };
                guard::nominate(&state, &user, &address, &nomination)
                    .await
                    .map(|_| ())
            }
            _ => Err(form::unreadable()),
        }
    }
    .await;
    // The form names itself by its school (or its registration).
    let key = if which == "send" { "id" } else { "unit" };
    form::page_answer(&state, parts, PAGE_FORM_ENDPOINT, key, fields, outcome).await
}
