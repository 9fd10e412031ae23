//! Plain endpoints of periodic reports: attachments up and down, and the cycle's workbook.

use super::{download, error_response, signed_in_user, UploadName};
use app::accounts::Action;
use app::authz;
use app::error::AppError;
use app::reports::export::{self, ExportFormat, Progress};
use app::reports::{api::guard, check_file, FieldKind};
use app::state::AppState;
use app::store::reports as store;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

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
    let (cycle, row) =
        match guard::unit_report(&state, &user, Action::SubmitReports, cycle, unit).await {
            Ok(found) => found,
            Err(err) => return error_response(err),
        };
    if cycle.locked(app::clock::today(), row.and_then(|r| r.reopened_until)) {
        return error_response(guard::locked_error(&cycle));
    }
    let template = match store::template(&state.db, cycle.template).await {
        Ok(t) => t,
        Err(err) => return error_response(err),
    };
    let Some(FieldKind::Attachment { accept }) = template.field(&field).map(|f| f.kind.clone())
    else {
        return error_response(AppError::NotFound);
    };
    let name = upload.clean();
    if name.is_empty() {
        return error_response(AppError::Invalid("Thiếu tên tệp.".into()));
    }
    let max = state.settings.max_attachment_bytes;
    let body = match axum::body::to_bytes(request.into_body(), max).await {
        Ok(body) => body,
        Err(_) => {
            return error_response(AppError::Invalid(format!(
                "Tệp quá lớn: tối đa {} MB.",
                max / (1024 * 1024)
            )))
        }
    };
    let sniffed = match check_file(accept, &name, &body, max) {
        Ok(kind) => kind,
        Err(message) => return error_response(AppError::Invalid(message)),
    };
    let sha256 = store::checksum(&body);
    let file = store::NewFile {
        cycle: cycle.id,
        unit,
        field: &field,
        file_name: &name,
        content_type: sniffed.content_type(),
        bytes: &body,
        sha256: &sha256,
        user: user.id,
    };
    let id = match store::put_file(&state.db, &file).await {
        Ok(id) => id,
        Err(err) => return error_response(err),
    };
    let audit = guard::audit(
        &state,
        user.id,
        &address,
        "report_file",
        cycle.id,
        json!({ "unit": unit, "field": field, "file": id, "name": name, "size": body.len(),
                "sha256": sha256 }),
    );
    if let Err(err) = audit.await {
        return error_response(err);
    }
    let files = match store::submission_of(&state.db, cycle.id, unit).await {
        Ok(Some(row)) => store::files(&state.db, row.id).await,
        Ok(None) => Ok(Vec::new()),
        Err(err) => Err(err),
    };
    match files {
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
