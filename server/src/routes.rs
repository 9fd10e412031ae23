//! Plain HTTP endpoints beside the server functions: health, the school import, files.

mod dashboard;
mod emulation;
mod form;
mod models;
mod plans;
mod recognition;
mod reports;
mod security_day;

use app::accounts::Action;
use app::authz::{self, SessionUser};
use app::dashboard::{DASHBOARD_XLSX_ENDPOINT, LIVE_ENDPOINT};
use app::error::AppError;
use app::i18n::{lang_cookie, Lang, LANGUAGE_ENDPOINT};
use app::org::import::{import_schools, template_csv, Importer, MAX_FILE_BYTES};
use app::org::pages::{IMPORT_ENDPOINT, TEMPLATE_ENDPOINT};
use app::plans::{
    DeployStep, EVIDENCE_ENDPOINT, EVIDENCE_UPLOAD_ENDPOINT, MAX_EVIDENCE_BYTES, STEP_FORM_ENDPOINT,
};
use app::recognition::{
    ASSESSMENT_FORM_ENDPOINT, DECISION_DOCX_ENDPOINT, FILE_ENDPOINT as RECOGNITION_FILE_ENDPOINT,
    FILE_UPLOAD_ENDPOINT as RECOGNITION_UPLOAD_ENDPOINT, MAX_FILE_BYTES as MAX_RECOGNITION_BYTES,
};
use app::reports::export::EXPORT_ENDPOINT;
use app::reports::{
    ATTACHMENT_ENDPOINT, ATTACHMENT_UPLOAD_ENDPOINT, CYCLE_XLSX_ENDPOINT, REPORT_FORM_ENDPOINT,
};
use app::safety_models::{
    EVIDENCE_ENDPOINT as MODEL_EVIDENCE_ENDPOINT, MAX_EVIDENCE_BYTES as MAX_MODEL_EVIDENCE_BYTES,
};
use app::security_day::{
    MAX_PHOTO_BYTES, PHOTO_ENDPOINT as DAY_PHOTO_ENDPOINT,
    PHOTO_UPLOAD_ENDPOINT as DAY_PHOTO_UPLOAD_ENDPOINT,
};
use app::state::AppState;
use app::store::plans as plan_store;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use std::time::Duration;

/// The plain HTTP endpoints (beside the server functions); each has a rule in `authz::RULES`.
pub const PLAIN_ENDPOINTS: [&str; 28] = [
    "/healthz",
    "/livez",
    "/readyz",
    "/metrics",
    TEMPLATE_ENDPOINT,
    IMPORT_ENDPOINT,
    PLAN_DOCX_ENDPOINT,
    EVIDENCE_UPLOAD_ENDPOINT,
    EVIDENCE_ENDPOINT,
    STEP_FORM_ENDPOINT,
    ATTACHMENT_UPLOAD_ENDPOINT,
    ATTACHMENT_ENDPOINT,
    REPORT_FORM_ENDPOINT,
    LANGUAGE_ENDPOINT,
    CYCLE_XLSX_ENDPOINT,
    EXPORT_ENDPOINT,
    LIVE_ENDPOINT,
    DASHBOARD_XLSX_ENDPOINT,
    RECOGNITION_UPLOAD_ENDPOINT,
    RECOGNITION_FILE_ENDPOINT,
    ASSESSMENT_FORM_ENDPOINT,
    DECISION_DOCX_ENDPOINT,
    MODEL_EVIDENCE_ENDPOINT,
    DAY_PHOTO_UPLOAD_ENDPOINT,
    DAY_PHOTO_ENDPOINT,
    app::emulation::PAGE_FORM_ENDPOINT,
    app::safety_models::PAGE_FORM_ENDPOINT,
    app::security_day::PAGE_FORM_ENDPOINT,
];

/// The printed plan as a Word file.
pub const PLAN_DOCX_ENDPOINT: &str = "/plans/{id}/document.docx";

pub fn api(max_attachment_bytes: usize) -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route(LANGUAGE_ENDPOINT, post(choose_language))
        .route(TEMPLATE_ENDPOINT, get(import_template))
        .route(
            IMPORT_ENDPOINT,
            post(import).layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 1024)),
        )
        .route(PLAN_DOCX_ENDPOINT, get(plan_docx))
        .route(
            EVIDENCE_UPLOAD_ENDPOINT,
            post(upload_evidence).layer(DefaultBodyLimit::max(MAX_EVIDENCE_BYTES + 1024)),
        )
        .route(EVIDENCE_ENDPOINT, get(evidence))
        .route(
            STEP_FORM_ENDPOINT,
            post(plans::step_post).layer(DefaultBodyLimit::max(MAX_EVIDENCE_BYTES + 64 * 1024)),
        )
        .route(
            ATTACHMENT_UPLOAD_ENDPOINT,
            post(reports::upload).layer(DefaultBodyLimit::max(max_attachment_bytes + 1024)),
        )
        .route(ATTACHMENT_ENDPOINT, get(reports::attachment))
        // The report page's plain forms post to the page's own address (its GET is the page).
        .route(REPORT_FORM_ENDPOINT, post(reports::page_post))
        .route(CYCLE_XLSX_ENDPOINT, get(reports::workbook))
        .route(EXPORT_ENDPOINT, get(reports::export_file))
        .route(LIVE_ENDPOINT, get(dashboard::live))
        .route(DASHBOARD_XLSX_ENDPOINT, get(dashboard::workbook))
        .route(
            RECOGNITION_UPLOAD_ENDPOINT,
            post(recognition::upload).layer(DefaultBodyLimit::max(MAX_RECOGNITION_BYTES + 1024)),
        )
        .route(RECOGNITION_FILE_ENDPOINT, get(recognition::file))
        // An assessment page's plain form posts to the page's own address.
        .route(
            ASSESSMENT_FORM_ENDPOINT,
            post(recognition::assessment_post)
                .layer(DefaultBodyLimit::max(MAX_RECOGNITION_BYTES + 64 * 1024)),
        )
        .route(DECISION_DOCX_ENDPOINT, get(recognition::decision_docx))
        .route(
            MODEL_EVIDENCE_ENDPOINT,
            get(recognition::model_evidence)
                .post(recognition::upload_model_evidence)
                .layer(DefaultBodyLimit::max(MAX_MODEL_EVIDENCE_BYTES + 1024)),
        )
        .route(
            DAY_PHOTO_UPLOAD_ENDPOINT,
            post(recognition::upload_day_photo)
                .layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES + 1024)),
        )
        .route(DAY_PHOTO_ENDPOINT, get(recognition::day_photo))
        // The emulation page's plain forms post to the page's own address.
        .route(
            app::emulation::PAGE_FORM_ENDPOINT,
            post(emulation::page_post),
        )
        // So do the models page's, the evidence file among them.
        .route(
            app::safety_models::PAGE_FORM_ENDPOINT,
            post(models::page_post)
                .layer(DefaultBodyLimit::max(MAX_MODEL_EVIDENCE_BYTES + 64 * 1024)),
        )
        // And the 19/8 page's, with a photo.
        .route(
            app::security_day::PAGE_FORM_ENDPOINT,
            post(security_day::page_post).layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES + 64 * 1024)),
        )
}

/// The DOCX of a plan, for whoever may read the plan.
async fn plan_docx(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let user = match signed_in_user(&state, &request).await {
        Ok((user, _)) => user,
        Err(err) => return error_response(err),
    };
    if let Err(err) = authz::check_any(&user, Action::ViewPlans) {
        return error_response(err);
    }
    let plan = match app::plans::api::guard::readable(&state, &user, id).await {
        Ok((plan, _)) => plan,
        Err(err) => return error_response(err),
    };
    let bytes = match app::plans::docx::render(&plan.content) {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(error = %err, "writing a DOCX");
            return error_response(AppError::Internal);
        }
    };
    let name = app::plans::docx::file_name(&plan.content, id);
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// 200 with the database kind when a query goes through; 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    let database = state.db.backend().name();
    let version = env!("CARGO_PKG_VERSION");
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => {
            Json(json!({"status": "ok", "database": database, "version": version})).into_response()
        }
        outcome => {
            tracing::warn!(?outcome, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "database": database, "version": version})),
            )
                .into_response()
        }
    }
}

/// The signed-in caller of a plain endpoint, and their address; refused while they must
/// change the password they were given, as server functions refuse them.
pub(crate) fn signed_in_user<'a>(
    state: &'a AppState,
    request: &Request,
) -> impl std::future::Future<Output = Result<(SessionUser, String), AppError>> + Send + 'a {
    // Taken out of the request first: a `&Request` cannot be held across an await.
    let address = authz::request_address(request.extensions());
    let headers = request.headers().clone();
    async move {
        let caller = authz::identify(&state.db, &headers, address, state.settings.demo).await?;
        let user = authz::ready(caller.user.ok_or(AppError::Unauthenticated)?)?;
        Ok((user, caller.address))
    }
}

/// The caller of a plain endpoint, allowed to take `action` over the whole department.
fn department_user<'a>(
    state: &'a AppState,
    request: &Request,
    action: Action,
) -> impl std::future::Future<Output = Result<(SessionUser, String), AppError>> + Send + 'a {
    let user = signed_in_user(state, request);
    async move {
        let (user, address) = user.await?;
        let mut conn = state.db.pool().acquire().await?;
        let department = app::store::org::department_id(&mut conn)
            .await?
            .ok_or(AppError::Forbidden)?;
        drop(conn);
        authz::check(&state.db, &user, action, department, app::clock::today()).await?;
        Ok((user, address))
    }
}

async fn import_template(State(state): State<AppState>, request: Request) -> Response {
    if let Err(err) = department_user(&state, &request, Action::EditOrganisation).await {
        return error_response(err);
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mau-danh-sach-truong.csv\"",
            ),
        ],
        // A BOM so that Excel opens the Vietnamese headers as UTF-8.
        format!("\u{feff}{}", template_csv()),
    )
        .into_response()
}

/// The language switch's plain form: `to` (vi or en) and `back`, a path of this site.
#[derive(serde::Deserialize)]
struct LanguageChoice {
    to: String,
    #[serde(default)]
    back: String,
}

/// Keeps the chosen language in its cookie and sends the browser back to the page it was on
/// (only a path of this site; anything else goes home).
async fn choose_language(axum::Form(choice): axum::Form<LanguageChoice>) -> Response {
    let lang = match choice.to.as_str() {
        "vi" => Lang::Vi,
        "en" => Lang::En,
        _ => {
            return error_response(AppError::Invalid(
                "Ngôn ngữ không có trong ứng dụng. / No such language.".into(),
            ))
        }
    };
    let back = choice.back;
    let local = back.starts_with('/') && !back.starts_with("//") && !back.contains('\\');
    let to = match axum::http::HeaderValue::from_str(&back) {
        Ok(value) if local => value,
        _ => axum::http::HeaderValue::from_static("/"),
    };
    let cookie = match axum::http::HeaderValue::from_str(&lang_cookie(lang)) {
        Ok(cookie) => cookie,
        Err(_) => return error_response(AppError::Internal),
    };
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, to), (header::SET_COOKIE, cookie)],
    )
        .into_response()
}

pub(crate) fn error_response(err: AppError) -> Response {
    (authz::status_of(&err), Json(err)).into_response()
}

async fn import(State(state): State<AppState>, request: Request) -> Response {
    let (user, address) = match department_user(&state, &request, Action::EditOrganisation).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    let body = match axum::body::to_bytes(request.into_body(), MAX_FILE_BYTES + 1024).await {
        Ok(body) => body,
        Err(_) => return error_response(AppError::Invalid("Tệp lớn hơn 5 MB.".into())),
    };
    if body.is_empty() {
        return error_response(AppError::Invalid("Tệp tải lên trống.".into()));
    }
    let importer = Importer {
        user: user.id,
        address: &address,
    };
    match import_schools(&state.db, &body, app::clock::today(), &importer).await {
        Ok(report) => {
            tracing::info!(
                rows = report.rows,
                created = report.created,
                updated = report.updated,
                rejected = report.errors.len(),
                "school import"
            );
            let status = if report.committed {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (status, Json(report)).into_response()
        }
        Err(err) => error_response(err),
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct UploadName {
    #[serde(default)]
    name: String,
}

impl UploadName {
    /// The file's own name ([`clean_file_name`]).
    pub(crate) fn clean(&self) -> String {
        clean_file_name(&self.name)
    }
}

/// A file's own name as a browser sent it: browsers send a bare name, older ones a whole path.
pub(crate) fn clean_file_name(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect()
}

/// Attaches a file (the request body, its name in `?name=`) as the evidence of one step of a
/// unit's checklist, replacing the one there was. Answers with the checklist.
async fn upload_evidence(
    State(state): State<AppState>,
    Path((plan, unit, step)): Path<(i64, i64, String)>,
    Query(upload): Query<UploadName>,
    request: Request,
) -> Response {
    let (user, address) = match signed_in_user(&state, &request).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    let Some(step) = DeployStep::from_code(&step) else {
        return error_response(AppError::NotFound);
    };
    let body = match axum::body::to_bytes(request.into_body(), MAX_EVIDENCE_BYTES).await {
        Ok(body) => body,
        Err(_) => return error_response(AppError::Invalid("Tệp lớn hơn 10 MB.".into())),
    };
    let name = upload.clean();
    let at = app::plans::api::guard::StepAt { plan, unit, step };
    let attached =
        app::plans::api::guard::attach_evidence(&state, &user, &address, at, &name, &body);
    match attached.await {
        Ok(marks) => Json(marks).into_response(),
        Err(err) => error_response(err),
    }
}

/// An evidence file, for whoever sees the unit that attached it.
async fn evidence(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let user = match signed_in_user(&state, &request).await {
        Ok((user, _)) => user,
        Err(err) => return error_response(err),
    };
    let file = match plan_store::evidence_file(&state.db, id).await {
        Ok(file) => file,
        Err(err) => return error_response(err),
    };
    let today = app::clock::today();
    // Someone else's file is as good as absent: its existence is not theirs to learn.
    if authz::check(&state.db, &user, Action::ViewPlans, file.unit, today)
        .await
        .is_err()
    {
        return error_response(AppError::NotFound);
    }
    tracing::debug!(plan = file.plan, unit = file.unit, id, "evidence download");
    download(&file.file_name, file.content_type, file.content)
}

/// A stored file sent back as an attachment under its own (Vietnamese) name.
pub(crate) fn download(file_name: &str, content_type: String, content: Vec<u8>) -> Response {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    app::text::percent_encode(file_name)
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        content,
    )
        .into_response()
}
