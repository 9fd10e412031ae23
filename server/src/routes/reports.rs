//! Plain endpoints of periodic reports: attachments up and down, and the cycle's workbook.

use super::{download, error_response, form, signed_in_user, UploadName};
use app::accounts::Action;
use app::authz;
use app::error::AppError;
use app::reports::api::guard;
use app::reports::export::{self, ExportFormat, Progress};
use app::state::AppState;
use app::store::reports as store;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Attaches a file (the request body, its name in `?name=`) to one field of a unit's report,
/// replacing the one there was. The content decides what the file is; the name must agree.
/// Answers with the report's files.
pub async fn upload(
    State(state): State<AppState>,
    Path((cycle, unit, field)): Path<(i64, i64, String)>,
    Query(upload): Query<UploadName>,
    request: Request,
) -> Response {
    let (user, address) = match signed_in_user(&state, &request).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    let target = match guard::attachment_target(&state, &user, cycle, unit, &field).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    let max = state.settings.max_attachment_bytes;
    let body = match axum::body::to_bytes(request.into_body(), max).await {
        Ok(body) => body,
        Err(_) => return error_response(form::too_large(max)),
    };
    let name = upload.clean();
    let attached = guard::attach(&state, &user, &address, &target, unit, &field, &name, &body);
    match attached.await {
        Ok(files) => Json(files).into_response(),
        Err(err) => error_response(err),
    }
}

/// An attachment, for whoever may read the unit's report.
pub async fn attachment(
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
    if authz::check(&state.db, &user, Action::ViewReports, file.unit, today)
        .await
        .is_err()
    {
        return error_response(AppError::NotFound);
    }
    tracing::debug!(
        cycle = file.cycle,
        unit = file.unit,
        id,
        "report file download"
    );
    download(&file.file_name, file.content_type, file.content)
}

/// The consolidated workbook of a cycle over the caller's part of the tree, built while the
/// caller waits (the page exports in the background instead; this address is for scripts).
pub async fn workbook(
    State(state): State<AppState>,
    Path(cycle): Path<i64>,
    request: Request,
) -> Response {
    let user = match signed_in_user(&state, &request).await {
        Ok((user, _)) => user,
        Err(err) => return error_response(err),
    };
    if let Err(err) = authz::check_any(&user, Action::ViewReports) {
        return error_response(err);
    }
    let format = ExportFormat::Xlsx;
    let built = async {
        let scope = user.scope_for(&state.db, Action::ViewReports).await?;
        let progress = Progress {
            db: &state.db,
            job: None,
        };
        export::build(
            &state.db,
            cycle,
            &scope,
            app::clock::today(),
            format,
            &progress,
        )
        .await
    };
    match built.await {
        Ok(bytes) => download(
            &format.file_name(cycle),
            format.content_type().to_string(),
            bytes,
        ),
        Err(err) => error_response(err),
    }
}

/// A finished background export, for the person who asked for it.
pub async fn export_file(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let user = match signed_in_user(&state, &request).await {
        Ok((user, _)) => user,
        Err(err) => return error_response(err),
    };
    match app::store::exports::file(&state.db, id).await {
        Ok((name, format, content, owner)) if owner == user.id => {
            download(&name, format.content_type().to_string(), content)
        }
        Ok(_) => error_response(AppError::NotFound),
        Err(err) => error_response(err),
    }
}

/// What a plain form of the report page sent.
#[derive(Default)]
struct ReportPost {
    intent: Option<String>,
    version: i64,
    key: String,
    comment: String,
    answers: app::reports::Answers,
    /// (field, file name, content) of each file chosen.
    files: Vec<(String, String, Vec<u8>)>,
}

/// Reads the multipart body of a report page form: `intent`, `version`, `key`, `comment`,
/// answers as `a.<field>` and files as `f.<field>`. Empty answers and files not chosen are
/// left out.
async fn read_report_post(
    content_type: Option<&str>,
    body: axum::body::Body,
    max_file: usize,
) -> Result<ReportPost, AppError> {
    let limits = form::Limits {
        max_file,
        max_text_chars: app::reports::MAX_NARRATIVE_CHARS,
    };
    let mut post = ReportPost::default();
    for part in form::read(content_type, body, &limits).await? {
        if let Some(key) = part.name.strip_prefix("f.") {
            if part.chosen() {
                let name = part.file_name.clone().unwrap_or_default();
                post.files.push((key.to_string(), name, part.bytes));
            }
            continue;
        }
        let text = part.text()?;
        match part.name.as_str() {
            "intent" => post.intent = Some(text.to_string()),
            "version" => post.version = text.trim().parse().map_err(|_| form::unreadable())?,
            "key" => post.key = text.to_string(),
            "comment" => post.comment = text.to_string(),
            name => {
                if let Some(key) = name.strip_prefix("a.") {
                    let value = text.replace("\r\n", "\n");
                    if !value.trim().is_empty() {
                        post.answers.insert(key.to_string(), value);
                    }
                }
            }
        }
    }
    Ok(post)
}

/// The report page's plain forms ([`app::reports::REPORT_FORM_ENDPOINT`]), for a browser
/// without the bundle (not loaded yet, or never): save or submit the answers with the files
/// chosen, accept or return, reopen. Each goes through the same checks as its server function.
/// Taken: 303 back to the page. Not taken: the page again, with what was typed and the reason,
/// at the error's status.
pub async fn page_post(
    State(state): State<AppState>,
    Path((cycle, unit)): Path<(i64, i64)>,
    request: Request,
) -> Response {
    use app::reports::{Intent, Posted, Review};
    let (user, address) = match form::page_user(&state, &request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (parts, body) = request.into_parts();
    let max_file = state.settings.max_attachment_bytes;
    let post = match read_report_post(form::content_type(&parts), body, max_file).await {
        Ok(post) => post,
        Err(err) => return error_response(err),
    };
    let Some(intent) = post.intent.as_deref().and_then(Intent::from_code) else {
        return error_response(form::unreadable());
    };
    let outcome: Result<(), AppError> = async {
        match intent {
            Intent::Save | Intent::Submit => {
                for (field, name, bytes) in &post.files {
                    let target =
                        guard::attachment_target(&state, &user, cycle, unit, field).await?;
                    let name = super::clean_file_name(name);
                    guard::attach(&state, &user, &address, &target, unit, field, &name, bytes)
                        .await?;
                }
                // The answers are kept as a draft first: a submit the checks refuse loses
                // nothing.
                let saved = guard::save(
                    &state,
                    &user,
                    &address,
                    cycle,
                    unit,
                    post.version,
                    &post.answers,
                )
                .await?;
                let version = match saved {
                    app::reports::ReportSave::Saved { version, .. } => version,
                    app::reports::ReportSave::Conflict { .. } => {
                        return Err(AppError::Invalid(
                            "Báo cáo vừa được lưu từ thiết bị khác. Phần bạn nhập vẫn ở dưới; \
                             bấm lưu hoặc nộp lần nữa để dùng bản này."
                                .into(),
                        ))
                    }
                };
                if intent == Intent::Submit {
                    guard::submit(
                        &state,
                        &user,
                        &address,
                        cycle,
                        unit,
                        version,
                        &post.answers,
                        &post.key,
                    )
                    .await?;
                }
                Ok(())
            }
            Intent::Accept | Intent::Return => {
                let decision = if intent == Intent::Accept {
                    Review::Accept
                } else {
                    Review::Return
                };
                guard::review(
                    &state,
                    &user,
                    &address,
                    cycle,
                    unit,
                    decision,
                    &post.comment,
                )
                .await
                .map(|_| ())
            }
            Intent::Reopen => guard::reopen(&state, &user, &address, cycle, unit, &post.comment)
                .await
                .map(|_| ()),
        }
    }
    .await;
    let page = format!("/reports/{cycle}/units/{unit}");
    let error = match outcome {
        Ok(()) => return axum::response::Redirect::to(&page).into_response(),
        Err(error) => error,
    };
    // The version to save over next: the server's now.
    let version = match store::submission_of(&state.db, cycle, unit).await {
        Ok(Some(row)) => row.version,
        _ => post.version,
    };
    let status = authz::status_of(&error);
    let posted = Posted {
        intent,
        answers: post.answers,
        version,
        comment: post.comment,
        error,
    };
    crate::render_page_with(&state, parts, &page, status, posted).await
}
