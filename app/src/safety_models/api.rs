//! Server functions of models. Reading needs `ViewRecognition` (scoped to the caller's part
//! of the tree); a school registers its models with `AssessSchool` on itself; reviews need
//! `ReviewRecognition` on the school; the catalogue grows with `ManageCriteria` on the
//! department.

use super::{ModelsOverview, NewRun, Rating};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
pub mod guard {
    use crate::accounts::Action;
    use crate::authz::{fail, SessionUser};
    use crate::error::AppError;
    use crate::safety_models::{Evidence, NewRun, Rating, MAX_EVIDENCE_BYTES, MAX_NOTE_CHARS};
    use crate::state::AppState;

    /// The school running `run`, when the caller may take `action` on it.
    pub async fn run(
        state: &AppState,
        user: &SessionUser,
        action: Action,
        run: i64,
    ) -> Result<i64, AppError> {
        let unit = match crate::store::safety_models::run_unit(&state.db, run).await {
            Ok(unit) => unit,
            Err(e) => return fail(e),
        };
        let today = crate::clock::today();
        if let Err(e) = crate::authz::check(&state.db, user, action, unit, today).await {
            return fail(e);
        }
        Ok(unit)
    }

    pub async fn audit(
        state: &AppState,
        user: i64,
        address: &str,
        action: &str,
        id: i64,
        after: serde_json::Value,
    ) -> Result<(), AppError> {
        crate::authz::record_write(state, user, address, action, "model_run", id, after).await
    }

    /// A school registers a model it runs.
    pub async fn register(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        run: &NewRun,
    ) -> Result<i64, AppError> {
        let today = crate::clock::today();
        crate::authz::check(&state.db, user, Action::AssessSchool, run.unit, today).await?;
        if crate::store::recognition::school_levels(&state.db, run.unit, today)
            .await?
            .is_none()
        {
            return Err(AppError::Invalid(
                "Chỉ trường đang hoạt động mới đăng ký được mô hình.".into(),
            ));
        }
        crate::authz::refuse_problems(run.problems(today))?;
        let id = crate::store::safety_models::register(&state.db, run, user.id).await?;
        audit(
            state,
            user.id,
            address,
            "model_register",
            id,
            serde_json::json!({ "model": run.model, "unit": run.unit, "places": run.places }),
        )
        .await?;
        Ok(id)
    }

    /// Attaches the evidence of a model a school runs, replacing the one there was. The
    /// content decides what the file is.
    pub async fn attach_evidence(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        run_id: i64,
        name: &str,
        bytes: &[u8],
    ) -> Result<Evidence, AppError> {
        run(state, user, Action::AssessSchool, run_id).await?;
        if name.is_empty() {
            return Err(AppError::Invalid("Thiếu tên tệp.".into()));
        }
        let sniffed = crate::reports::check_file(
            crate::reports::AttachmentKind::Document,
            name,
            bytes,
            MAX_EVIDENCE_BYTES,
        )
        .map_err(AppError::Invalid)?;
        crate::store::safety_models::put_evidence(
            &state.db,
            run_id,
            name,
            sniffed.content_type(),
            bytes,
        )
        .await?;
        audit(
            state,
            user.id,
            address,
            "model_evidence",
            run_id,
            serde_json::json!({ "name": name, "size": bytes.len() }),
        )
        .await?;
        Ok(Evidence {
            file_name: name.to_string(),
            size: bytes.len() as i64,
        })
    }

    /// A reviewer rates a school's model for a year (this year or the last) and may mark it
    /// for replication.
    #[allow(clippy::too_many_arguments)]
    pub async fn review(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        run_id: i64,
        year: i32,
        rating: Rating,
        replicate: bool,
        note: &str,
    ) -> Result<(), AppError> {
        let unit = run(state, user, Action::ReviewRecognition, run_id).await?;
        let today = crate::clock::today();
        let this_year = crate::store::recognition::current_year(today);
        if !(this_year - 1..=this_year).contains(&year) {
            return Err(AppError::Invalid(
                "Chỉ đánh giá được mô hình của năm nay hoặc năm trước.".into(),
            ));
        }
        let note = note.trim().to_string();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(AppError::Invalid("Nhận xét tối đa 2.000 ký tự.".into()));
        }
        let runs = crate::store::safety_models::runs(
            &state.db,
            crate::store::safety_models::RunsOf::Schools(&[unit]),
            year,
            today,
        )
        .await?;
        match runs.iter().find(|r| r.id == run_id) {
            Some(r) if r.started_on <= crate::store::safety_models::year_end(year) => {}
            _ => {
                return Err(AppError::Invalid(format!(
                    "Mô hình này chưa được triển khai trong năm {year}."
                )))
            }
        }
        crate::store::safety_models::review(
            &state.db, run_id, unit, year, rating, replicate, &note, user.id, today,
        )
        .await?;
        audit(
            state,
            user.id,
            address,
            "model_review",
            run_id,
            serde_json::json!({ "year": year, "rating": rating.code(), "replicate": replicate }),
        )
        .await
    }

    /// A year the page may show: from the first demo year to next year.
    pub fn year(year: i32, this_year: i32) -> Result<i32, AppError> {
        if (2000..=this_year + 1).contains(&year) {
            Ok(year)
        } else {
            fail(AppError::Invalid("Năm không hợp lệ.".into()))
        }
    }
}

/// The models of a year over the caller's part of the tree: the catalogue, counts by model
/// and area, and the runs of the caller's own schools or of one area.
#[server(endpoint = "models/overview", input = Json)]
pub async fn models_of_year(
    year: Option<i32>,
    area: Option<i64>,
) -> Result<ModelsOverview, AppError> {
    use crate::accounts::Action;
    use crate::store::safety_models::{self as store, RunsOf};
    let (state, _, user) = crate::authz::require_any(Action::ViewRecognition).await?;
    let today = crate::clock::today();
    let current_year = crate::store::recognition::current_year(today);
    let year = guard::year(year.unwrap_or(current_year), current_year)?;
    let scope = user.scope_for(&state.db, Action::ViewRecognition).await?;
    let own_schools = crate::recognition::api::guard::own_schools(&state, &user).await?;
    let own: Vec<i64> = own_schools.iter().map(|s| s.id).collect();
    let areas = store::areas(&state.db, year, &scope, today).await?;
    let area = match area {
        Some(a) if areas.iter().any(|x| x.id == a) => Some(a),
        Some(_) => return crate::authz::fail(AppError::NotFound),
        None if own.is_empty() => areas.first().map(|a| a.id),
        None => None,
    };
    let runs = match area {
        Some(a) => store::runs(&state.db, RunsOf::Area(a), year, today).await?,
        None => store::runs(&state.db, RunsOf::Schools(&own), year, today).await?,
    };
    let department = crate::plans::api::guard::department(&state).await?;
    let may_manage =
        crate::authz::check(&state.db, &user, Action::ManageCriteria, department, today)
            .await
            .is_ok();
    Ok(ModelsOverview {
        year,
        current_year,
        catalogue: store::catalogue(&state.db).await?,
        by_area: store::counts(&state.db, year, &scope, today).await?,
        runs,
        own_schools,
        areas,
        area,
        may_review: crate::authz::check_any(&user, Action::ReviewRecognition).is_ok(),
        may_manage,
    })
}

/// A school registers a model it runs.
#[server(endpoint = "models/register", input = Json)]
pub async fn register_model(run: NewRun) -> Result<i64, AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::AssessSchool).await?;
    guard::register(&state, &user, &caller.address, &run)
        .await
        .or_else(crate::authz::fail)
}

/// A reviewer rates a school's model for a year (this year or the last) and may mark it for
/// replication.
#[server(endpoint = "models/review", input = Json)]
pub async fn review_model(
    run: i64,
    year: i32,
    rating: Rating,
    replicate: bool,
    note: String,
) -> Result<(), AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::ReviewRecognition).await?;
    guard::review(
        &state,
        &user,
        &caller.address,
        run,
        year,
        rating,
        replicate,
        &note,
    )
    .await
    .or_else(crate::authz::fail)
}

/// Adds a model to the catalogue.
#[server(endpoint = "models/add", input = Json)]
pub async fn add_model(name: String, description: String) -> Result<i64, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let (state, _, _) = crate::authz::require_any(Action::ManageCriteria).await?;
    let department = crate::plans::api::guard::department(&state).await?;
    let (state, caller, user) = crate::authz::require(Action::ManageCriteria, department).await?;
    let catalogue = crate::store::safety_models::catalogue(&state.db).await?;
    crate::authz::refuse_problems(super::catalogue_problems(&name, &description, &catalogue))?;
    let (name, description) = (name.trim(), description.trim());
    let id = match crate::store::safety_models::add_model(&state.db, name, description).await {
        Ok(id) => id,
        Err(e) => return fail(e),
    };
    crate::authz::record_write(
        &state,
        user.id,
        &caller.address,
        "model_catalogue_add",
        "safety_model",
        id,
        serde_json::json!({ "name": name }),
    )
    .await?;
    Ok(id)
}
