//! Server functions of the organisation: reads for the directory, tree and unit pages.
//! Each passes the authorization layer and sees only the caller's part of the tree.

use crate::error::AppError;
use crate::org::{DirectoryFilter, DirectoryPage, OrgOverview, TreeNode, UnitDetail, UnitRef};
use chrono::NaiveDate;
use leptos::prelude::*;
use server_fn::codec::Json;

#[server(endpoint = "org/overview")]
pub async fn get_overview() -> Result<OrgOverview, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewOrganisation).await?;
    let scope = user.scope_for(&state.db, Action::ViewOrganisation).await?;
    crate::store::org::overview(&state.db, crate::clock::today(), &scope).await
}

#[server(endpoint = "org/search", input = Json)]
pub async fn search_units(filter: DirectoryFilter) -> Result<DirectoryPage, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewOrganisation).await?;
    if filter.q.chars().count() > 200 {
        return crate::authz::fail(AppError::Invalid(
            "Từ khóa tìm kiếm quá dài (tối đa 200 ký tự).".into(),
        ));
    }
    let scope = user.scope_for(&state.db, Action::ViewOrganisation).await?;
    crate::store::org::search(&state.db, &filter, crate::clock::today(), &scope).await
}

#[server(endpoint = "org/areas", input = Json)]
pub async fn list_areas(as_of: Option<NaiveDate>) -> Result<Vec<UnitRef>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewOrganisation).await?;
    let scope = user.scope_for(&state.db, Action::ViewOrganisation).await?;
    let today = crate::clock::today();
    crate::store::org::areas(&state.db, as_of.unwrap_or(today), today, &scope).await
}

#[server(endpoint = "org/children", input = Json)]
pub async fn tree_children(
    parent: Option<i64>,
    as_of: Option<NaiveDate>,
) -> Result<Vec<TreeNode>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = match parent {
        Some(parent) => crate::authz::require(Action::ViewOrganisation, parent).await?,
        None => crate::authz::require_any(Action::ViewOrganisation).await?,
    };
    let scope = user.scope_for(&state.db, Action::ViewOrganisation).await?;
    let today = crate::clock::today();
    crate::store::org::children(&state.db, parent, as_of.unwrap_or(today), &scope).await
}

#[server(endpoint = "org/unit", input = Json)]
pub async fn get_unit(id: i64) -> Result<UnitDetail, AppError> {
    use crate::accounts::Action;
    let (state, _, _) = crate::authz::require(Action::ViewOrganisation, id).await?;
    crate::store::org::detail(&state.db, id, crate::clock::today()).await
}
