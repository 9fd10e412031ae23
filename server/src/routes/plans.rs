//! The plain form of a step of a unit's checklist, for a browser without the bundle.

use super::{error_response, form};
use app::error::AppError;
use app::plans::api::guard;
use app::plans::{DeployStep, StepPosted, MAX_EVIDENCE_BYTES};
use app::state::AppState;
use app::store::plans as store;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};

/// What a step's form sends: whether the step is done, a file to attach, and whether to
/// remove the file there is.
#[derive(Default)]
struct StepPost {
    done: bool,
    remove: bool,
    file: Option<(String, Vec<u8>)>,
}

async fn read_step_post(
    content_type: Option<&str>,
    body: axum::body::Body,
) -> Result<StepPost, AppError> {
    let limits = form::Limits {
        max_file: MAX_EVIDENCE_BYTES,
        max_text_chars: 16,
    };
    let mut post = StepPost::default();
    for part in form::read(content_type, body, &limits).await? {
        match part.name.as_str() {
            "done" => post.done = true,
            "remove" => post.remove = true,
            "evidence" if part.chosen() => {
                post.file = Some((part.clean_file_name(), part.bytes));
            }
            _ => {}
        }
    }
    Ok(post)
}

/// A step's plain form ([`app::plans::STEP_FORM_ENDPOINT`]): removes the evidence when asked,
/// attaches the file chosen, then marks the step done (today) or not when that changed. Each
/// goes through the same checks as its server function. Taken: 303 back to the step on the
/// deployments page. Not taken: that page again, with the reason at the step, at the error's
/// status.
pub async fn step_post(
    State(state): State<AppState>,
    Path((plan, unit, step)): Path<(i64, i64, String)>,
    request: Request,
) -> Response {
    let (user, address) = match form::page_user(&state, &request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Some(step) = DeployStep::from_code(&step) else {
        return error_response(AppError::NotFound);
    };
    let (parts, body) = request.into_parts();
    let post = read_step_post(form::content_type(&parts), body).await;
    let done = post.as_ref().is_ok_and(|p| p.done);
    let at = guard::StepAt { plan, unit, step };
    let outcome: Result<(), AppError> = async {
        let post = post?;
        guard::deployable(&state, &user, plan, unit).await?;
        if post.remove {
            guard::remove_evidence(&state, &user, &address, at).await?;
        }
        if let Some((name, bytes)) = &post.file {
            guard::attach_evidence(&state, &user, &address, at, name, bytes).await?;
        }
        let marks = store::step_marks(&state.db, plan, unit).await?;
        let was_done = marks.iter().any(|m| m.step == step && m.done_on.is_some());
        if was_done != post.done {
            guard::mark(&state, &user, &address, at, post.done, None, "").await?;
        }
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => Redirect::to(&format!(
            "/deployments#step-{plan}-{unit}-{}-item",
            step.code()
        ))
        .into_response(),
        Err(error) => {
            let status = app::authz::status_of(&error);
            let posted = StepPosted {
                plan,
                unit,
                step,
                done,
                error,
            };
            crate::render_page_with(&state, parts, "/deployments", status, posted).await
        }
    }
}
