//! Server functions of the dashboard. Figures are read with `ViewReports` over the caller's
//! part of the organisation; reminding late units takes `ReviewReports` and reaches only
//! units inside the reviewer's scope; area outlines are uploaded with `EditOrganisation` on
//! the department.

use super::{Dashboard, DashboardQuery};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

/// The dashboard's figures for `query` over the caller's part of the organisation.
#[server(endpoint = "dashboard/figures", input = Json)]
pub async fn dashboard_figures(query: DashboardQuery) -> Result<Dashboard, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let (state, _, user) = crate::authz::require_any(Action::ViewReports).await?;
    let scope = user.scope_for(&state.db, Action::ViewReports).await?;
    let name = scope_name(&state, &scope).await?;
    match crate::store::dashboard::dashboard(&state.db, &query, &scope, name, crate::clock::today())
        .await
    {
        Ok(d) => Ok(d),
        Err(e) => fail(e),
    }
}

/// "Toàn tỉnh", or the names of the units a user's scope starts from.
#[cfg(feature = "ssr")]
pub async fn scope_name(
    state: &crate::state::AppState,
    scope: &crate::store::org::Scope,
) -> Result<String, AppError> {
    use crate::store::org::Scope;
    Ok(match scope {
        Scope::All => "Toàn tỉnh".to_string(),
        Scope::Within(roots) => {
            let refs = crate::store::plans::unit_refs(&state.db, roots).await?;
            let mut names: Vec<String> = refs.into_values().map(|r| r.name).collect();
            names.sort();
            names.join(", ")
        }
    })
}

/// Sends an in-app reminder (and its e-mail copy, when mail is set up) to every unit of the
/// view whose report of `cycle` is not in. Answers how many were reminded.
#[server(endpoint = "dashboard/remind", input = Json)]
pub async fn remind_late(cycle: i64, query: DashboardQuery) -> Result<usize, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let (state, caller, user) = crate::authz::require_any(Action::ReviewReports).await?;
    let scope = user.scope_for(&state.db, Action::ReviewReports).await?;
    let today = crate::clock::today();
    let cycle = match crate::store::reports::cycle(&state.db, cycle).await {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    if today >= cycle.dates.locks_on {
        return fail(AppError::Invalid(format!(
            "Kỳ báo cáo đã khóa sổ từ ngày {}; không nhắc được nữa.",
            cycle.dates.locks_on.format("%d/%m/%Y")
        )));
    }
    let query = DashboardQuery {
        as_of: None,
        ..query
    };
    let units =
        match crate::store::dashboard::late_units(&state.db, &cycle, &query, &scope, today).await {
            Ok(u) => u,
            Err(e) => return fail(e),
        };
    let reminded = crate::store::reports::remind(&state.db, &cycle, &units).await?;
    crate::reports::api::guard::audit(
        &state,
        user.id,
        &caller.address,
        "report_remind",
        cycle.id,
        serde_json::json!({ "units": reminded }),
    )
    .await?;
    Ok(reminded)
}

/// Stores the outlines of areas from a GeoJSON FeatureCollection whose features carry the
/// area's code in `properties.code` (or `ma`). Either every feature is stored or none.
#[server(endpoint = "dashboard/boundaries", input = Json)]
pub async fn upload_boundaries(geojson: String) -> Result<usize, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let department = crate::plans::api::guard::department(&crate::state::app_state()?).await?;
    let (state, caller, user) = crate::authz::require(Action::EditOrganisation, department).await?;
    if geojson.len() > super::MAX_BOUNDARIES_BYTES {
        return fail(AppError::Invalid(
            "Tệp ranh giới quá lớn (tối đa 5 MB); hãy đơn giản hoá đường bao trước khi tải lên."
                .into(),
        ));
    }
    let stored =
        match crate::store::dashboard::put_boundaries(&state.db, &geojson, crate::clock::today())
            .await
        {
            Ok(n) => n,
            Err(e) => return fail(e),
        };
    let mut conn = state.db.pool().acquire().await?;
    crate::store::accounts::record_audit(
        &mut conn,
        &crate::store::accounts::AuditEntry {
            user: Some(user.id),
            address: &caller.address,
            action: "boundaries_upload",
            entity: "area_boundaries",
            entity_id: String::new(),
            before: None,
            after: Some(serde_json::json!({ "areas": stored })),
        },
    )
    .await?;
    Ok(stored)
}
