//! Plain endpoints of recognition: evidence and dossier files up and down, and a decision
//! as a Word file.

use super::{download, error_response, form, signed_in_user, UploadName};
use app::accounts::Action;
use app::authz;
use app::error::AppError;
use app::recognition::api::guard;
use app::recognition::{
    answer_field, assessment_url, Answers, AssessmentPosted, FormIntent, MAX_FILE_BYTES,
};
use app::state::AppState;
use app::store::recognition as store;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
pub struct Slot {
    #[serde(default)]
    slot: String,
    #[serde(flatten)]
    name: UploadName,
}

/// Attaches a file (the request body) to a slot of an assessment: the evidence of one
/// criterion (`item:<key>`) or one of the dossier's documents (`dossier:<code>`), replacing
/// the one there was. The content decides what the file is. Answers with the files.
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<Slot>,
    request: Request,
) -> Response {
    let (user, address) = match signed_in_user(&state, &request).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    let key = match guard::assessment(&state, &user, Action::AssessSchool, id).await {
        Ok(key) => key,
        Err(err) => return error_response(err),
    };
    // Refused before the file is read.
    if let Err(err) = guard::school_may_edit(key.stage) {
        return error_response(err);
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_FILE_BYTES).await else {
        return error_response(form::too_large(MAX_FILE_BYTES));
    };
    let name = query.name.clean();
    match guard::attach(&state, &user, &address, &key, &query.slot, &name, &body).await {
        Ok(files) => Json(files).into_response(),
        Err(err) => error_response(err),
    }
}

/// What the assessment page's plain form sent.
struct AssessmentPost {
    intent: FormIntent,
    version: i64,
    note: String,
    fields: BTreeMap<String, String>,
    /// (slot, file name, content) of each file chosen.
    files: Vec<(String, String, Vec<u8>)>,
}

async fn read_assessment_post(
    content_type: Option<&str>,
    body: axum::body::Body,
) -> Result<AssessmentPost, AppError> {
    let limits = form::Limits {
        max_file: MAX_FILE_BYTES,
        max_text_chars: 2000,
    };
    let mut intent = None;
    let mut post = AssessmentPost {
        intent: FormIntent::Save,
        version: 0,
        note: String::new(),
        fields: BTreeMap::new(),
        files: Vec::new(),
    };
    for part in form::read(content_type, body, &limits).await? {
        if let Some(slot) = part.name.strip_prefix("file:") {
            if part.chosen() {
                post.files
                    .push((slot.to_string(), part.clean_file_name(), part.bytes));
            }
            continue;
        }
        let text = part.text()?;
        match part.name.as_str() {
            "do" => intent = FormIntent::from_code(text),
            "version" => post.version = text.trim().parse().map_err(|_| form::unreadable())?,
            "note" => post.note = text.replace("\r\n", "\n"),
            name if name.starts_with("answer:") => {
                post.fields.insert(name.to_string(), text.to_string());
            }
            _ => {}
        }
    }
    post.intent = intent.ok_or_else(form::unreadable)?;
    Ok(post)
}

/// The assessment page's plain form ([`app::recognition::ASSESSMENT_FORM_ENDPOINT`]), for a
/// browser without the bundle, and for every button that moves the assessment on: keeps the
/// answers and files sent on the side the button belongs to (when that side may still change
/// them), then does what the button asks. Each step goes through the same checks as its
/// server function. Taken: 303 back to the page. Not taken: the page again, with what was
/// typed, each answer's problem beside it and the reason, at the error's status.
pub async fn assessment_post(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let (user, address) = match form::page_user(&state, &request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (parts, body) = request.into_parts();
    let post = match read_assessment_post(form::content_type(&parts), body).await {
        Ok(post) => post,
        Err(err) => return error_response(err),
    };
    let mut problems = Vec::new();
    let outcome: Result<(), AppError> = async {
        let review = post.intent.by_reviewer();
        let action = if review {
            Action::ReviewRecognition
        } else {
            Action::AssessSchool
        };
        let mut key = guard::assessment(&state, &user, action, id).await?;
        let side_open = if review {
            key.stage == app::recognition::Stage::UnderReview
        } else {
            guard::school_may_edit(key.stage).is_ok()
        };
        if side_open {
            let set = store::set(&state.db, key.set).await?;
            let (answers, found) = set
                .body
                .answers_from_form(|name| post.fields.get(name).cloned());
            if !found.is_empty() {
                problems = found;
                return Err(AppError::Invalid(
                    "Có câu trả lời chưa đúng; xem ghi chú bên cạnh từng tiêu chí.".into(),
                ));
            }
            let today = app::clock::today();
            let stored = store::assessment(&state.db, id, today).await?;
            let before = if review {
                &stored.review_answers
            } else {
                &stored.self_answers
            };
            let typed: Answers = before
                .iter()
                .filter(|(k, _)| set.body.criterion(k).is_some_and(|c| c.source.is_none()))
                .map(|(k, a)| (k.clone(), *a))
                .collect();
            // A field the form did not send keeps its answer.
            let mut merged = typed.clone();
            for c in set.body.criteria() {
                if post.fields.contains_key(&answer_field(&c.key)) {
                    merged.remove(&c.key);
                    if let Some(a) = answers.get(&c.key) {
                        merged.insert(c.key.clone(), *a);
                    }
                }
            }
            if typed != merged {
                guard::save(&state, &user, &address, &key, review, merged, post.version).await?;
            }
            if !review {
                for (slot, name, bytes) in &post.files {
                    guard::attach(&state, &user, &address, &key, slot, name, bytes).await?;
                }
            }
            key = guard::assessment(&state, &user, action, id).await?;
        } else if post.intent == FormIntent::Save || post.intent == FormIntent::SaveReview {
            guard::school_may_edit(key.stage)?;
        }
        match post.intent {
            FormIntent::Save | FormIntent::SaveReview => Ok(()),
            FormIntent::Generate => guard::generate_report(&state, &user, &address, &key).await,
            FormIntent::Move(to) => guard::move_to(&state, &user, &address, &key, to, &post.note)
                .await
                .map(|_| ()),
        }
    }
    .await;
    match outcome {
        Ok(()) => axum::response::Redirect::to(&format!(
            "{}?done={}",
            assessment_url(id),
            post.intent.code()
        ))
        .into_response(),
        Err(error) => {
            let status = authz::status_of(&error);
            let posted = AssessmentPosted {
                id,
                fields: post.fields,
                note: post.note,
                problems,
                error,
            };
            crate::render_page_with(&state, parts, &assessment_url(id), status, posted).await
        }
    }
}

/// A file of an assessment, for whoever sees the school.
pub async fn file(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let user = match signed_in_user(&state, &request).await {
        Ok((user, _)) => user,
        Err(err) => return error_response(err),
    };
    let file = match store::file(&state.db, id).await {
        Ok(file) => file,
        Err(err) => return error_response(err),
    };
    let today = app::clock::today();
    if authz::check(&state.db, &user, Action::ViewRecognition, file.unit, today)
        .await
        .is_err()
    {
        return error_response(AppError::NotFound);
    }
    download(&file.file_name, file.content_type, file.content)
}

/// A decision as a Word file, listing the schools the caller sees: the department's people
/// get the whole decision, a school only its own line; someone with no school in it, nothing
/// (404).
pub async fn decision_docx(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let user = match signed_in_user(&state, &request).await {
        Ok((user, _)) => user,
        Err(err) => return error_response(err),
    };
    let today = app::clock::today();
    if authz::check_any(&user, Action::ViewRecognition).is_err() {
        return error_response(AppError::Forbidden);
    }
    let scope = match user.scope_for(&state.db, Action::ViewRecognition).await {
        Ok(scope) => scope,
        Err(err) => return error_response(err),
    };
    let document = match store::decision_document(&state.db, id, &scope, today).await {
        Ok(d) if d.schools.is_empty() => return error_response(AppError::NotFound),
        Ok(d) => d,
        Err(err) => return error_response(err),
    };
    let head = match app::plans::api::guard::letterhead(&state).await {
        Ok(h) => h,
        Err(err) => return error_response(err),
    };
    match app::recognition::docx::decision(&document, &head) {
        Ok(bytes) => download(
            &format!("quyet-dinh-cong-nhan-{}.docx", document.year),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document".into(),
            bytes,
        ),
        Err(err) => error_response(err),
    }
}

/// Attaches the evidence of a model a school runs (the request body), replacing the one there
/// was. The content decides what the file is. Answers with the file's name and size.
pub async fn upload_model_evidence(
    State(state): State<AppState>,
    Path(run): Path<i64>,
    Query(query): Query<UploadName>,
    request: Request,
) -> Response {
    use app::safety_models::{api::guard as models, MAX_EVIDENCE_BYTES};
    let (user, address) = match signed_in_user(&state, &request).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    // Refused before the file is read.
    if let Err(err) = models::run(&state, &user, Action::AssessSchool, run).await {
        return error_response(err);
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_EVIDENCE_BYTES).await else {
        return error_response(form::too_large(MAX_EVIDENCE_BYTES));
    };
    let name = query.clean();
    match models::attach_evidence(&state, &user, &address, run, &name, &body).await {
        Ok(evidence) => Json(evidence).into_response(),
        Err(err) => error_response(err),
    }
}

/// The evidence of a model a school runs, for whoever sees the school.
pub async fn model_evidence(
    State(state): State<AppState>,
    Path(run): Path<i64>,
    request: Request,
) -> Response {
    use app::safety_models::api::guard as models;
    let user = match signed_in_user(&state, &request).await {
        Ok((user, _)) => user,
        Err(err) => return error_response(err),
    };
    if models::run(&state, &user, Action::ViewRecognition, run)
        .await
        .is_err()
    {
        return error_response(AppError::NotFound);
    }
    match app::store::safety_models::evidence(&state.db, run).await {
        Ok((name, kind, bytes)) => download(&name, kind, bytes),
        Err(err) => error_response(err),
    }
}

/// Adds a photo to a school's record of the 19/8 day (the record must be saved first).
/// Answers with the record's photos.
pub async fn upload_day_photo(
    State(state): State<AppState>,
    Path((unit, year)): Path<(i64, i32)>,
    Query(query): Query<UploadName>,
    request: Request,
) -> Response {
    use app::security_day::{api::guard as days, MAX_PHOTO_BYTES};
    let (user, address) = match signed_in_user(&state, &request).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    // Refused before the photo is read.
    if let Err(err) = days::may_add_photo(&state, &user, unit, year).await {
        return error_response(err);
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_PHOTO_BYTES).await else {
        return error_response(form::too_large(MAX_PHOTO_BYTES));
    };
    let name = query.clean();
    match days::add_photo(&state, &user, &address, (unit, year), &name, &body).await {
        Ok(photos) => Json(photos).into_response(),
        Err(err) => error_response(err),
    }
}

/// A photo of a school's 19/8 day, for whoever sees the school.
pub async fn day_photo(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    use app::store::security_day as days;
    let user = match signed_in_user(&state, &request).await {
        Ok((user, _)) => user,
        Err(err) => return error_response(err),
    };
    let today = app::clock::today();
    let visible = match days::photo_owner(&state.db, id).await {
        Ok((unit, _)) => authz::check(&state.db, &user, Action::ViewRecognition, unit, today)
            .await
            .is_ok(),
        Err(_) => false,
    };
    if !visible {
        return error_response(AppError::NotFound);
    }
    match days::photo(&state.db, id).await {
        Ok((name, kind, bytes)) => download(&name, kind, bytes),
        Err(err) => error_response(err),
    }
}
