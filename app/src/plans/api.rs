//! Server functions of plans. Each passes the authorization layer: writing needs
//! `EditPlans` and approving `ApprovePlans` on the issuing unit; reading needs `ViewPlans`,
//! over every plan for department staff and over the issued plans sent to one's units
//! otherwise; marking a step needs `DeployPlans` on the recipient unit.

use super::diff::Change;
use super::{
    Audience, Coverage, DeployStep, Deployment, LegalDocument, PilotBoard, PilotKind, PlanContent,
    PlanStatus, PlanSummary, PlanView, Revision, RevisionSummary, SaveOutcome, StepMark,
    Transition, UnitGroup,
};
use crate::error::AppError;
use crate::org::UnitRef;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// A notification as the bell and its page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub id: i64,
    pub title: String,
    pub link: String,
    pub at: String,
    pub read: bool,
}

#[cfg(feature = "ssr")]
pub mod guard {
    use crate::accounts::Action;
    use crate::authz::{fail, SessionUser};
    use crate::error::AppError;
    use crate::plans::{DeployStep, PlanStatus, StepMark};
    use crate::state::AppState;
    use crate::store::org::Scope;
    use crate::store::plans::{self as store, PlanRow};
    use chrono::NaiveDate;

    /// The plan, if the user may read it: department staff read every plan, others the
    /// issued plans sent to a unit in their subtree. Anything else is a 404, so that the
    /// existence of drafts does not leak.
    pub async fn readable(
        state: &AppState,
        user: &SessionUser,
        id: i64,
    ) -> Result<(PlanRow, Scope), AppError> {
        let scope = user.scope_for(&state.db, Action::ViewPlans).await?;
        let plan = match store::plan(&state.db, id).await {
            Ok(plan) => plan,
            Err(e) => return fail(e),
        };
        let visible = match &scope {
            Scope::All => true,
            Scope::Within(roots) => {
                matches!(plan.status, PlanStatus::Issued | PlanStatus::Ended)
                    && store::issued_within(&state.db, id, roots, crate::clock::today()).await?
            }
        };
        if !visible {
            return fail(AppError::NotFound);
        }
        Ok((plan, scope))
    }

    /// Whether the reader may see how the plan was written: its versions, their differences
    /// and the leaders' return comments. The department's own people may; a unit the plan
    /// was sent to reads the issued text only.
    pub fn sees_history(scope: &Scope) -> bool {
        matches!(scope, Scope::All)
    }

    /// The plan, if the user may read it and its history (a 403 otherwise).
    pub async fn history_readable(
        state: &AppState,
        user: &SessionUser,
        id: i64,
    ) -> Result<PlanRow, AppError> {
        let (plan, scope) = readable(state, user, id).await?;
        if !sees_history(&scope) {
            return fail(AppError::Forbidden);
        }
        Ok(plan)
    }

    /// Whether the user may take `action` on the plan's issuing unit.
    pub async fn may(
        state: &AppState,
        user: &SessionUser,
        action: Action,
        plan: &PlanRow,
    ) -> Result<bool, AppError> {
        Ok(crate::authz::check(
            &state.db,
            user,
            action,
            plan.issuer_unit,
            crate::clock::today(),
        )
        .await
        .is_ok())
    }

    /// The department: plans are issued there and saved groups belong to it.
    pub async fn department(state: &AppState) -> Result<i64, AppError> {
        let mut conn = state.db.pool().acquire().await?;
        match crate::store::org::department_id(&mut conn).await? {
            Some(id) => Ok(id),
            None => fail(AppError::NotFound),
        }
    }

    /// The department's letterhead for the documents it issues.
    pub async fn letterhead(state: &AppState) -> Result<crate::docx::Letterhead, AppError> {
        let department = department(state).await?;
        let unit = crate::store::org::unit_ref_latest(&state.db, department).await?;
        Ok(crate::docx::Letterhead::of_department(&unit.name))
    }

    pub async fn audit(
        state: &AppState,
        user: i64,
        address: &str,
        action: &str,
        plan: i64,
        after: serde_json::Value,
    ) -> Result<(), AppError> {
        crate::authz::record_write(state, user, address, action, "plan", plan, after).await
    }

    /// One step of a unit's checklist of a plan.
    #[derive(Debug, Clone, Copy)]
    pub struct StepAt {
        pub plan: i64,
        pub unit: i64,
        pub step: DeployStep,
    }

    /// Whether `user` may change `unit`'s checklist of `plan`: the unit is his to deploy plans
    /// for, the plan was sent to it and is still in force.
    pub async fn deployable(
        state: &AppState,
        user: &SessionUser,
        plan: i64,
        unit: i64,
    ) -> Result<(), AppError> {
        deployable_or(
            state,
            user,
            plan,
            unit,
            "Kế hoạch đã kết thúc, không ghi nhận thêm được.",
        )
        .await
    }

    /// [`deployable`], refused with `ended` when the plan has ended.
    async fn deployable_or(
        state: &AppState,
        user: &SessionUser,
        plan: i64,
        unit: i64,
        ended: &str,
    ) -> Result<(), AppError> {
        let today = crate::clock::today();
        crate::authz::check(&state.db, user, Action::DeployPlans, unit, today).await?;
        if !store::is_recipient(&state.db, plan, unit).await? {
            return fail(AppError::NotFound);
        }
        if store::plan(&state.db, plan).await?.status != PlanStatus::Issued {
            return fail(AppError::Invalid(ended.into()));
        }
        Ok(())
    }

    /// Marks one step of a unit's checklist done on `done_on` (today when not given) or not
    /// done. Answers with the checklist.
    pub async fn mark(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        at: StepAt,
        done: bool,
        done_on: Option<NaiveDate>,
        note: &str,
    ) -> Result<Vec<StepMark>, AppError> {
        let StepAt { plan, unit, step } = at;
        deployable(state, user, plan, unit).await?;
        let today = crate::clock::today();
        let day = done_on.unwrap_or(today);
        if day > today {
            return fail(AppError::Invalid(
                "Ngày thực hiện không được sau hôm nay.".into(),
            ));
        }
        if note.chars().count() > 1000 {
            return fail(AppError::Invalid("Ghi chú tối đa 1.000 ký tự.".into()));
        }
        store::mark_step(
            &state.db,
            plan,
            unit,
            step,
            done.then_some(day),
            note.trim(),
            user.id,
        )
        .await?;
        audit(
            state,
            user.id,
            address,
            "plan_step",
            plan,
            serde_json::json!({ "unit": unit, "step": step.code(), "done": done, "on": day }),
        )
        .await?;
        store::step_marks(&state.db, plan, unit).await
    }

    /// Attaches `content` as the evidence of one step, replacing the one there was. Answers
    /// with the checklist.
    pub async fn attach_evidence(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        at: StepAt,
        file_name: &str,
        content: &[u8],
    ) -> Result<Vec<StepMark>, AppError> {
        let StepAt { plan, unit, step } = at;
        deployable_or(
            state,
            user,
            plan,
            unit,
            "Kế hoạch đã kết thúc, không nhận thêm minh chứng.",
        )
        .await?;
        if file_name.is_empty() {
            return fail(AppError::Invalid("Thiếu tên tệp.".into()));
        }
        if content.len() > crate::plans::MAX_EVIDENCE_BYTES {
            return fail(AppError::Invalid("Tệp lớn hơn 10 MB.".into()));
        }
        if content.is_empty() {
            return fail(AppError::Invalid("Tệp tải lên trống.".into()));
        }
        let Some(content_type) = crate::plans::evidence_content_type(file_name, content) else {
            return fail(AppError::Invalid(
                "Chỉ nhận tệp PDF, ảnh (JPG, PNG, WEBP, HEIC), Word, Excel hoặc ODT, có nội \
                 dung đúng với đuôi tên tệp. (Only PDF, images, Word, Excel or ODT files whose \
                 content matches their name.)"
                    .into(),
            ));
        };
        let file = store::NewEvidence {
            plan,
            unit,
            step,
            file_name,
            content_type,
            content,
            user: user.id,
        };
        let id = store::put_evidence(&state.db, &file).await?;
        audit(
            state,
            user.id,
            address,
            "plan_evidence",
            plan,
            serde_json::json!({
                "unit": unit, "step": step.code(), "file": id, "name": file_name,
                "size": content.len(),
            }),
        )
        .await?;
        store::step_marks(&state.db, plan, unit).await
    }

    /// Removes the evidence file of one step. Answers with the checklist.
    pub async fn remove_evidence(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        at: StepAt,
    ) -> Result<Vec<StepMark>, AppError> {
        let StepAt { plan, unit, step } = at;
        deployable_or(
            state,
            user,
            plan,
            unit,
            "Kế hoạch đã kết thúc, không sửa minh chứng được.",
        )
        .await?;
        // Already gone (removed from another device) is as good as removed.
        if store::delete_evidence(&state.db, plan, unit, step).await? {
            audit(
                state,
                user.id,
                address,
                "plan_evidence_delete",
                plan,
                serde_json::json!({ "unit": unit, "step": step.code() }),
            )
            .await?;
        }
        store::step_marks(&state.db, plan, unit).await
    }
}

#[server(endpoint = "plans/list", input = Json)]
pub async fn list_plans(
    year: Option<i32>,
    status: Option<PlanStatus>,
) -> Result<Vec<PlanSummary>, AppError> {
    use crate::accounts::Action;
    use crate::store::org::Scope;
    use crate::store::plans::{self as store, PlanVisibility};
    let (state, _, user) = crate::authz::require_any(Action::ViewPlans).await?;
    let visibility = match user.scope_for(&state.db, Action::ViewPlans).await? {
        Scope::All => PlanVisibility::All,
        Scope::Within(roots) => PlanVisibility::IssuedWithin(roots),
    };
    store::list_plans(&state.db, year, status, &visibility, crate::clock::today()).await
}

#[server(endpoint = "plans/get", input = Json)]
pub async fn get_plan(id: i64) -> Result<PlanView, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewPlans).await?;
    let (plan, scope) = guard::readable(&state, &user, id).await?;
    let edit = guard::may(&state, &user, Action::EditPlans, &plan).await?;
    let approve = guard::may(&state, &user, Action::ApprovePlans, &plan).await?;
    let history = guard::sees_history(&scope);
    Ok(PlanView {
        id: plan.id,
        status: plan.status,
        version: plan.version,
        updated_at: plan.updated_at,
        updated_by: plan.updated_by,
        return_comment: plan.return_comment.filter(|_| history),
        may_see_history: history,
        corrects: plan.corrects,
        corrected_by: plan.corrected_by,
        recipients: plan.recipients,
        may_edit: edit && plan.status == PlanStatus::Draft,
        may_submit: edit && plan.status == PlanStatus::Draft,
        may_approve: approve && plan.status == PlanStatus::Submitted,
        may_end: (approve || edit) && plan.status == PlanStatus::Issued,
        may_correct: edit && plan.status == PlanStatus::Issued && plan.corrected_by.is_none(),
        content: plan.content,
        reader: user.id,
    })
}

/// Starts a new plan of the department for `year`, with the header filled in.
#[server(endpoint = "plans/create", input = Json)]
pub async fn create_plan(year: i32) -> Result<i64, AppError> {
    use crate::accounts::Action;
    let department = guard::department(&crate::state::app_state()?).await?;
    let (state, caller, user) = crate::authz::require(Action::EditPlans, department).await?;
    if !(2000..=2100).contains(&year) {
        return crate::authz::fail(AppError::Invalid("Năm không hợp lệ.".into()));
    }
    let unit = crate::store::org::unit_ref_latest(&state.db, department).await?;
    let head = crate::docx::Letterhead::of_department(&unit.name);
    let content = PlanContent::new(year, &head.parent_issuer, &head.issuer, &head.place);
    let mut conn = state.db.pool().acquire().await?;
    let id =
        crate::store::plans::create_plan(&mut conn, department, user.id, &content, None).await?;
    drop(conn);
    guard::audit(
        &state,
        user.id,
        &caller.address,
        "plan_create",
        id,
        serde_json::json!({ "year": year }),
    )
    .await?;
    Ok(id)
}

/// Saves a draft that was loaded at `version`. When someone saved in between, nothing is
/// written and the answer carries their version for the conflict view.
#[server(endpoint = "plans/save", input = Json)]
pub async fn save_plan(
    id: i64,
    version: i64,
    content: PlanContent,
) -> Result<SaveOutcome, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewPlans).await?;
    let (plan, _) = guard::readable(&state, &user, id).await?;
    if !guard::may(&state, &user, Action::EditPlans, &plan).await? {
        return crate::authz::fail(AppError::Forbidden);
    }
    if let Err(message) = content.check_sizes() {
        return crate::authz::fail(AppError::Invalid(message));
    }
    match crate::store::plans::save_draft(&state.db, id, version, &content, user.id).await {
        Ok(outcome) => Ok(outcome),
        Err(e) => crate::authz::fail(e),
    }
}

/// One step of the lifecycle. `comment` is required to return a plan; `number` and `date`
/// may be given at issue.
#[server(endpoint = "plans/step", input = Json)]
pub async fn plan_step(
    id: i64,
    step: Transition,
    comment: String,
    number: Option<String>,
    date: Option<NaiveDate>,
) -> Result<PlanStatus, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let (state, caller, user) = crate::authz::require_any(Action::ViewPlans).await?;
    let (plan, _) = guard::readable(&state, &user, id).await?;
    let allowed = match step {
        Transition::Submit => guard::may(&state, &user, Action::EditPlans, &plan).await?,
        Transition::Return | Transition::Issue => {
            guard::may(&state, &user, Action::ApprovePlans, &plan).await?
        }
        Transition::End => {
            guard::may(&state, &user, Action::ApprovePlans, &plan).await?
                || guard::may(&state, &user, Action::EditPlans, &plan).await?
        }
    };
    if !allowed {
        return fail(AppError::Forbidden);
    }
    let comment = comment.trim().to_string();
    if comment.chars().count() > 4000 {
        return fail(AppError::Invalid("Ý kiến tối đa 4.000 ký tự.".into()));
    }
    match step {
        Transition::Submit => {
            let missing = plan.content.missing_for_submit();
            if !missing.is_empty() {
                return fail(AppError::Invalid(format!(
                    "Chưa trình được: {}",
                    missing.join(" ")
                )));
            }
        }
        Transition::Issue => {
            let gone =
                crate::store::plans::missing_groups(&state.db, &plan.content.audience).await?;
            if !gone.is_empty() {
                let names: Vec<String> = gone.into_iter().map(|g| g.name).collect();
                return fail(AppError::Invalid(format!(
                    "Nhóm đơn vị đã bị xoá: {}. Hãy trả lại để chọn lại đơn vị nhận.",
                    names.join(", ")
                )));
            }
        }
        Transition::Return if comment.is_empty() => {
            return fail(AppError::Invalid(
                "Hãy ghi ý kiến để chuyên viên biết cần sửa gì.".into(),
            ));
        }
        _ => {}
    }
    if number.as_ref().is_some_and(|n| n.chars().count() > 60) {
        return fail(AppError::Invalid("Số, ký hiệu tối đa 60 ký tự.".into()));
    }
    let input = crate::store::plans::StepInput {
        comment: comment.clone(),
        number: number.filter(|n| !n.trim().is_empty()),
        date,
    };
    let status = match crate::store::plans::transition(
        &state.db,
        id,
        step,
        &input,
        user.id,
        crate::clock::today(),
    )
    .await
    {
        Ok(status) => status,
        Err(e) => return fail(e),
    };
    guard::audit(
        &state,
        user.id,
        &caller.address,
        &format!("plan_{}", step.code()),
        id,
        serde_json::json!({ "status": status.code(), "comment": comment }),
    )
    .await?;
    Ok(status)
}

/// Starts the correction of an issued plan (or opens the one already started).
#[server(endpoint = "plans/correct", input = Json)]
pub async fn correct_plan(id: i64) -> Result<i64, AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::ViewPlans).await?;
    let (plan, _) = guard::readable(&state, &user, id).await?;
    if !guard::may(&state, &user, Action::EditPlans, &plan).await? {
        return crate::authz::fail(AppError::Forbidden);
    }
    let new_id = match crate::store::plans::start_correction(&state.db, id, user.id).await {
        Ok(new_id) => new_id,
        Err(e) => return crate::authz::fail(e),
    };
    guard::audit(
        &state,
        user.id,
        &caller.address,
        "plan_correct",
        id,
        serde_json::json!({ "correction": new_id }),
    )
    .await?;
    Ok(new_id)
}

#[server(endpoint = "plans/revisions", input = Json)]
pub async fn plan_revisions(id: i64) -> Result<Vec<RevisionSummary>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewPlans).await?;
    guard::history_readable(&state, &user, id).await?;
    crate::store::plans::revisions(&state.db, id).await
}

/// One saved version, whole.
#[server(endpoint = "plans/revision", input = Json)]
pub async fn plan_revision(id: i64, version: i64) -> Result<Revision, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewPlans).await?;
    guard::history_readable(&state, &user, id).await?;
    crate::store::plans::revision(&state.db, id, version).await
}

/// What changed from the version before `version` to `version`.
#[server(endpoint = "plans/compare", input = Json)]
pub async fn compare_revisions(id: i64, version: i64) -> Result<Vec<Change>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewPlans).await?;
    guard::history_readable(&state, &user, id).await?;
    let new = crate::store::plans::revision(&state.db, id, version).await?;
    let old = if new.version > 1 {
        crate::store::plans::revision(&state.db, id, new.version - 1)
            .await?
            .content
            .lines()
    } else {
        Vec::new()
    };
    Ok(super::diff::diff(&old, &new.content.lines()))
}

/// How many schools an audience covers today.
#[server(endpoint = "plans/audience-size", input = Json)]
pub async fn audience_size(audience: Audience) -> Result<i64, AppError> {
    use crate::accounts::Action;
    crate::authz::require_any(Action::EditPlans).await?;
    let state = crate::state::app_state()?;
    crate::store::plans::audience_size(&state.db, &audience, crate::clock::today()).await
}

/// Documents of the registry matching `q`, for the legal bases' autocomplete.
#[server(endpoint = "documents/search", input = Json)]
pub async fn search_documents(q: String) -> Result<Vec<LegalDocument>, AppError> {
    use crate::accounts::Action;
    let (state, _, _) = crate::authz::require_any(Action::ViewPlans).await?;
    if q.chars().count() > 200 {
        return crate::authz::fail(AppError::Invalid("Từ khóa quá dài.".into()));
    }
    crate::store::plans::search_documents(&state.db, &q, 10).await
}

/// How far a plan is deployed, over the part of the tree the caller sees.
#[server(endpoint = "plans/coverage", input = Json)]
pub async fn plan_coverage(id: i64) -> Result<Coverage, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewPlans).await?;
    let (_, scope) = guard::readable(&state, &user, id).await?;
    crate::store::plans::coverage(&state.db, id, &scope, crate::clock::today()).await
}

/// The checklists of the units the caller deploys plans for (their own school).
#[server(endpoint = "plans/deployments", input = Json)]
pub async fn my_deployments() -> Result<Vec<Deployment>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewPlans).await?;
    let units: Vec<i64> = user.roots_for(Action::DeployPlans);
    crate::store::plans::deployments(&state.db, &units).await
}

/// Marks a deployment step done on `done_on` (today when not given), or clears it.
#[server(endpoint = "plans/mark-step", input = Json)]
pub async fn mark_step(
    plan: i64,
    unit: i64,
    step: DeployStep,
    done: bool,
    done_on: Option<NaiveDate>,
    note: String,
) -> Result<Vec<StepMark>, AppError> {
    let (state, caller, user) =
        crate::authz::require(crate::accounts::Action::DeployPlans, unit).await?;
    let at = guard::StepAt { plan, unit, step };
    guard::mark(&state, &user, &caller.address, at, done, done_on, &note).await
}

/// The caller's notifications; none for a visitor who is not signed in (the header asks
/// on every page, and a sign-in page must not answer 401).
#[server(endpoint = "notifications/list", input = Json)]
pub async fn notifications() -> Result<Vec<Notice>, AppError> {
    let (state, caller) = crate::authz::caller().await?;
    let Some(user) = caller.user else {
        return Ok(Vec::new());
    };
    let units: Vec<i64> = user.grants.iter().map(|g| g.unit.id).collect();
    let rows = crate::store::plans::notifications(&state.db, user.id, &units, 50).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, link, at, read)| Notice {
            id,
            title,
            link,
            at,
            read,
        })
        .collect())
}

#[server(endpoint = "notifications/read", input = Json)]
pub async fn mark_notifications_read(ids: Vec<i64>) -> Result<(), AppError> {
    let (state, _, user) = crate::authz::signed_in().await?;
    if ids.len() > 1000 {
        return crate::authz::fail(AppError::Invalid("Quá nhiều thông báo.".into()));
    }
    let units: Vec<i64> = user.grants.iter().map(|g| g.unit.id).collect();
    crate::store::plans::mark_read(&state.db, user.id, &units, &ids).await
}

/// Removes the evidence file of one step of a unit's checklist.
#[server(endpoint = "plans/evidence-delete", input = Json)]
pub async fn delete_evidence(
    plan: i64,
    unit: i64,
    step: DeployStep,
) -> Result<Vec<StepMark>, AppError> {
    let (state, caller, user) =
        crate::authz::require(crate::accounts::Action::DeployPlans, unit).await?;
    let at = guard::StepAt { plan, unit, step };
    guard::remove_evidence(&state, &user, &caller.address, at).await
}

/// The saved groups of units a plan can be sent to.
#[server(endpoint = "groups/list", input = Json)]
pub async fn unit_groups() -> Result<Vec<UnitGroup>, AppError> {
    use crate::accounts::Action;
    let (state, _, _) = crate::authz::require_any(Action::EditPlans).await?;
    crate::store::plans::groups(&state.db).await
}

/// Saves a new group of units under a name of its own.
#[server(endpoint = "groups/create", input = Json)]
pub async fn create_unit_group(name: String, units: Vec<i64>) -> Result<i64, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let department = guard::department(&crate::state::app_state()?).await?;
    let (state, caller, user) = crate::authz::require(Action::EditPlans, department).await?;
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return fail(AppError::Invalid("Hãy đặt tên cho nhóm.".into()));
    }
    if name.chars().count() > 120 {
        return fail(AppError::Invalid("Tên nhóm tối đa 120 ký tự.".into()));
    }
    let mut units = units;
    units.sort_unstable();
    units.dedup();
    if units.is_empty() {
        return fail(AppError::Invalid(
            "Hãy thêm ít nhất một đơn vị vào nhóm.".into(),
        ));
    }
    if units.len() > 5000 {
        return fail(AppError::Invalid("Một nhóm có tối đa 5.000 đơn vị.".into()));
    }
    let id = match crate::store::plans::create_group(&state.db, &name, &units, user.id).await {
        Ok(id) => id,
        Err(e) => return fail(e),
    };
    crate::authz::record_write(
        &state,
        user.id,
        &caller.address,
        "group_create",
        "unit_group",
        id,
        serde_json::json!({ "name": name, "units": units }),
    )
    .await?;
    Ok(id)
}

/// Deletes a saved group (plans already issued keep their recipients).
#[server(endpoint = "groups/delete", input = Json)]
pub async fn delete_unit_group(id: i64) -> Result<(), AppError> {
    use crate::accounts::Action;
    let department = guard::department(&crate::state::app_state()?).await?;
    let (state, caller, user) = crate::authz::require(Action::EditPlans, department).await?;
    let name = match crate::store::plans::delete_group(&state.db, id).await {
        Ok(name) => name,
        Err(e) => return crate::authz::fail(e),
    };
    crate::authz::record_write(
        &state,
        user.id,
        &caller.address,
        "group_delete",
        "unit_group",
        id,
        serde_json::json!({ "name": name }),
    )
    .await
}

/// The pilot sites of a plan over the caller's part of the tree, and what they may choose.
#[server(endpoint = "plans/pilots", input = Json)]
pub async fn plan_pilots(id: i64) -> Result<PilotBoard, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewPlans).await?;
    let (plan, scope) = guard::readable(&state, &user, id).await?;
    let today = crate::clock::today();
    let mut board = crate::store::plans::pilot_board(
        &state.db,
        id,
        plan.content.audience.pilot_sites,
        &scope,
        today,
    )
    .await?;
    let open = plan.status == PlanStatus::Issued && board.required;
    board.may_choose_thpt = open && guard::may(&state, &user, Action::ChoosePilots, &plan).await?;
    for area in &mut board.areas {
        area.may_choose = open
            && crate::authz::check(&state.db, &user, Action::ChoosePilots, area.area.id, today)
                .await
                .is_ok();
    }
    Ok(board)
}

/// The recipients that could become a pilot of `kind` (in `area`, or province-wide for THPT).
#[server(endpoint = "plans/pilot-choices", input = Json)]
pub async fn pilot_choices(
    id: i64,
    area: Option<i64>,
    kind: PilotKind,
) -> Result<Vec<UnitRef>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ChoosePilots).await?;
    let (plan, _) = guard::readable(&state, &user, id).await?;
    let today = crate::clock::today();
    let allowed = match (kind, area) {
        (PilotKind::UpperSecondary, _) => {
            guard::may(&state, &user, Action::ChoosePilots, &plan).await?
        }
        (_, Some(area)) => crate::authz::check(&state.db, &user, Action::ChoosePilots, area, today)
            .await
            .is_ok(),
        (_, None) => false,
    };
    if !allowed {
        return crate::authz::fail(AppError::Forbidden);
    }
    let area = if kind == PilotKind::UpperSecondary {
        None
    } else {
        area
    };
    crate::store::plans::pilot_choices(&state.db, id, area, kind, today).await
}

/// Chooses a recipient as a pilot site of the 19/8 day, or drops it. An area chooses its
/// THCS and primary schools; a THPT is the department's choice.
/// Sent as a plain form too: taken or refused, the browser goes back to the plan's page,
/// which says whether it was refused.
#[server(endpoint = "plans/pilot")]
pub async fn set_pilot(id: i64, unit: i64, pilot: bool) -> Result<(), AppError> {
    let result = choose_pilot(id, unit, pilot).await;
    #[cfg(feature = "ssr")]
    crate::authz::after_plain_form(
        &result,
        |_| format!("/plans/{id}#pilots-title"),
        |_| format!("/plans/{id}?{PILOT_REFUSED}#pilots-title"),
    );
    result
}

/// The query of a plan's page after a plain form choosing a pilot site was refused.
pub const PILOT_REFUSED: &str = "pilot=refused";

#[cfg(feature = "ssr")]
async fn choose_pilot(id: i64, unit: i64, pilot: bool) -> Result<(), AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    use crate::org::SchoolLevel;
    use crate::store::plans as store;
    let (state, caller, user) = crate::authz::require(Action::ChoosePilots, unit).await?;
    let (plan, _) = guard::readable(&state, &user, id).await?;
    let Some(levels) = store::recipient_levels(&state.db, id, unit).await? else {
        return fail(AppError::NotFound);
    };
    if plan.status != PlanStatus::Issued {
        return fail(AppError::Invalid(
            "Chỉ chọn điểm được khi kế hoạch đang ban hành.".into(),
        ));
    }
    if !plan.content.audience.pilot_sites {
        return fail(AppError::Invalid(
            "Kế hoạch này không yêu cầu chọn điểm tổ chức Ngày hội.".into(),
        ));
    }
    if levels.contains(&SchoolLevel::UpperSecondary)
        && !guard::may(&state, &user, Action::ChoosePilots, &plan).await?
    {
        return fail(AppError::Forbidden);
    }
    let eligible = [
        SchoolLevel::UpperSecondary,
        SchoolLevel::LowerSecondary,
        SchoolLevel::Primary,
    ];
    if pilot && !levels.iter().any(|l| eligible.contains(l)) {
        return fail(AppError::Invalid(
            "Điểm tổ chức là trường THPT, THCS hoặc tiểu học.".into(),
        ));
    }
    store::set_pilot(&state.db, id, unit, pilot).await?;
    guard::audit(
        &state,
        user.id,
        &caller.address,
        if pilot {
            "plan_pilot_set"
        } else {
            "plan_pilot_unset"
        },
        id,
        serde_json::json!({ "unit": unit }),
    )
    .await
}
