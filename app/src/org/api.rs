//! Server functions of the organisation: reads for the directory, tree and unit pages.

use crate::error::AppError;
use crate::org::{DirectoryFilter, DirectoryPage, OrgOverview, TreeNode, UnitDetail, UnitRef};
use chrono::NaiveDate;
use leptos::prelude::*;
use server_fn::codec::Json;

#[server(endpoint = "org/overview")]
pub async fn get_overview() -> Result<OrgOverview, AppError> {
    let state = crate::state::app_state()?;
    crate::store::org::overview(&state.db, crate::clock::today()).await
}

#[server(endpoint = "org/search", input = Json)]
pub async fn search_units(filter: DirectoryFilter) -> Result<DirectoryPage, AppError> {
    let state = crate::state::app_state()?;
    if filter.q.chars().count() > 200 {
        return Err(AppError::Invalid(
            "Từ khóa tìm kiếm quá dài (tối đa 200 ký tự).".into(),
        ));
    }
    crate::store::org::search(&state.db, &filter, crate::clock::today()).await
}

#[server(endpoint = "org/areas", input = Json)]
pub async fn list_areas(as_of: Option<NaiveDate>) -> Result<Vec<UnitRef>, AppError> {
    let state = crate::state::app_state()?;
    crate::store::org::areas(&state.db, as_of.unwrap_or_else(crate::clock::today)).await
}

#[server(endpoint = "org/children", input = Json)]
pub async fn tree_children(
    parent: Option<i64>,
    as_of: Option<NaiveDate>,
) -> Result<Vec<TreeNode>, AppError> {
    let state = crate::state::app_state()?;
    crate::store::org::children(&state.db, parent, as_of.unwrap_or_else(crate::clock::today)).await
}

#[server(endpoint = "org/unit", input = Json)]
pub async fn get_unit(id: i64) -> Result<UnitDetail, AppError> {
    let state = crate::state::app_state()?;
    crate::store::org::detail(&state.db, id, crate::clock::today()).await
}
