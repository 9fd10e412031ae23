//! Server functions of emulation and awards. Reading needs `ViewRecognition` (scoped); a
//! school registers, sends and nominates with `AssessSchool` on itself; approving
//! registrations and recording award decisions need `DecideRecognition` on the department.

use super::{EmulationOverview, NewAwardDecision, NewNomination, NewRegistration};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
pub mod guard {
    use crate::accounts::Action;
    use crate::authz::{fail, SessionUser};
    use crate::emulation::{NewNomination, NewRegistration, RegistrationStatus};
    use crate::error::AppError;
    use crate::state::AppState;

    pub async fn audit(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        action: &str,
        id: i64,
        after: serde_json::Value,
    ) -> Result<(), AppError> {
        crate::authz::record_write(state, user.id, address, action, "emulation", id, after).await
    }

    /// Whether the caller may decide for the whole department.
    pub async fn may_decide(state: &AppState, user: &SessionUser) -> Result<bool, AppError> {
        let department = crate::plans::api::guard::department(state).await?;
        let today = crate::clock::today();
        Ok(crate::authz::check(
            &state.db,
            user,
            Action::DecideRecognition,
            department,
            today,
        )
        .await
        .is_ok())
    }

    /// Refuses (403) a caller who may not decide for the whole department.
    pub async fn department_decider(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
        if may_decide(state, user).await? {
            Ok(())
        } else {
            fail(AppError::Forbidden)
        }
    }

    /// A school open today that the caller works for.
    pub async fn own_school(state: &AppState, unit: i64) -> Result<(), AppError> {
        let today = crate::clock::today();
        match crate::store::recognition::school_levels(&state.db, unit, today).await? {
            Some(_) => Ok(()),
            None => fail(AppError::Invalid(
                "Chỉ trường đang hoạt động mới đăng ký, đề nghị được.".into(),
            )),
        }
    }

    /// Refuses a caller who may not act for the school `unit`.
    async fn for_school(state: &AppState, user: &SessionUser, unit: i64) -> Result<(), AppError> {
        let today = crate::clock::today();
        crate::authz::check(&state.db, user, Action::AssessSchool, unit, today).await?;
        own_school(state, unit).await
    }

    /// A school registers a title for this year or the next, as a draft.
    pub async fn register(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        registration: &NewRegistration,
    ) -> Result<i64, AppError> {
        for_school(state, user, registration.unit).await?;
        year_within(
            registration.year,
            0..=1,
            "Chỉ đăng ký thi đua cho năm nay hoặc năm sau.",
        )?;
        crate::authz::refuse_problems(registration.problems())?;
        let id = crate::store::emulation::register(&state.db, registration, user.id).await?;
        audit(
            state,
            user,
            address,
            "emulation_register",
            id,
            serde_json::json!({ "unit": registration.unit, "title": registration.title }),
        )
        .await?;
        Ok(id)
    }

    /// The school sends a draft (or a rejected registration, changed) for approval.
    pub async fn send(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        id: i64,
    ) -> Result<(), AppError> {
        use RegistrationStatus as S;
        let (unit, _, status) = crate::store::emulation::registration_key(&state.db, id).await?;
        let today = crate::clock::today();
        crate::authz::check(&state.db, user, Action::AssessSchool, unit, today).await?;
        if !status.sendable() {
            return Err(AppError::Invalid(format!(
                "Đăng ký đang ở trạng thái «{}»; không gửi lại được.",
                status.label()
            )));
        }
        crate::store::emulation::set_status(
            &state.db,
            id,
            &[S::Draft, S::Rejected],
            S::Pending,
            "",
            user.id,
        )
        .await?;
        audit(
            state,
            user,
            address,
            "emulation_send",
            id,
            serde_json::json!({}),
        )
        .await
    }

    /// A school nominates a collective or a person for an award, for this year or the last.
    pub async fn nominate(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        nomination: &NewNomination,
    ) -> Result<i64, AppError> {
        for_school(state, user, nomination.unit).await?;
        year_within(
            nomination.year,
            -1..=0,
            "Chỉ đề nghị khen thưởng cho năm nay hoặc năm trước.",
        )?;
        crate::authz::refuse_problems(nomination.problems())?;
        let id = crate::store::emulation::nominate(&state.db, nomination, user.id).await?;
        audit(
            state,
            user,
            address,
            "award_nominate",
            id,
            serde_json::json!({ "unit": nomination.unit, "form": nomination.form }),
        )
        .await?;
        Ok(id)
    }

    /// Refuses a year outside `range` (relative to this year) with `message`.
    pub fn year_within(
        year: i32,
        range: std::ops::RangeInclusive<i32>,
        message: &str,
    ) -> Result<(), AppError> {
        let this_year = crate::store::recognition::current_year(crate::clock::today());
        if range.contains(&(year - this_year)) {
            Ok(())
        } else {
            fail(AppError::Invalid(message.to_string()))
        }
    }
}

/// Registrations and nominations of a year within the caller's part of the tree.
#[server(endpoint = "emulation/overview", input = Json)]
pub async fn emulation_of_year(year: Option<i32>) -> Result<EmulationOverview, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewRecognition).await?;
    let today = crate::clock::today();
    let current_year = crate::store::recognition::current_year(today);
    let year = year.unwrap_or(current_year);
    if !(2000..=current_year + 1).contains(&year) {
        return crate::authz::fail(AppError::Invalid("Năm không hợp lệ.".into()));
    }
    let scope = user.scope_for(&state.db, Action::ViewRecognition).await?;
    let (registrations, nominations) =
        crate::store::emulation::year(&state.db, year, &scope, today).await?;
    Ok(EmulationOverview {
        year,
        current_year,
        forms: crate::store::emulation::forms(&state.db).await?,
        registrations,
        nominations,
        own_schools: crate::recognition::api::guard::own_schools(&state, &user).await?,
        may_decide: guard::may_decide(&state, &user).await?,
    })
}

/// A school registers a title for this year or the next, as a draft.
#[server(endpoint = "emulation/register", input = Json)]
pub async fn register_title(registration: NewRegistration) -> Result<i64, AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::AssessSchool).await?;
    guard::register(&state, &user, &caller.address, &registration)
        .await
        .or_else(crate::authz::fail)
}

/// The school sends a draft (or a rejected registration, changed) for approval.
#[server(endpoint = "emulation/send", input = Json)]
pub async fn send_registration(id: i64) -> Result<(), AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::AssessSchool).await?;
    guard::send(&state, &user, &caller.address, id)
        .await
        .or_else(crate::authz::fail)
}

/// The department approves a registration awaiting approval, or rejects it with a reason.
#[server(endpoint = "emulation/judge", input = Json)]
pub async fn judge_registration(id: i64, approve: bool, reason: String) -> Result<(), AppError> {
    use super::RegistrationStatus as S;
    use crate::accounts::Action;
    use crate::authz::fail;
    let (state, caller, user) = crate::authz::require_any(Action::DecideRecognition).await?;
    guard::department_decider(&state, &user).await?;
    let reason = reason.trim().to_string();
    if !approve && reason.is_empty() {
        return fail(AppError::Invalid(
            "Hãy ghi lý do từ chối để đơn vị biết.".into(),
        ));
    }
    if reason.chars().count() > 2000 {
        return fail(AppError::Invalid("Lý do tối đa 2.000 ký tự.".into()));
    }
    let to = if approve { S::Approved } else { S::Rejected };
    if let Err(e) =
        crate::store::emulation::set_status(&state.db, id, &[S::Pending], to, &reason, user.id)
            .await
    {
        return fail(e);
    }
    guard::audit(
        &state,
        &user,
        &caller.address,
        "emulation_judge",
        id,
        serde_json::json!({ "status": to.code(), "reason": reason }),
    )
    .await
}

/// A school nominates a collective or a person for an award, for this year or the last.
#[server(endpoint = "emulation/nominate", input = Json)]
pub async fn nominate(nomination: NewNomination) -> Result<i64, AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::AssessSchool).await?;
    guard::nominate(&state, &user, &caller.address, &nomination)
        .await
        .or_else(crate::authz::fail)
}

/// The department records an award decision over nominations of one form and year.
#[server(endpoint = "emulation/decide", input = Json)]
pub async fn decide_awards(decision: NewAwardDecision) -> Result<i64, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let (state, caller, user) = crate::authz::require_any(Action::DecideRecognition).await?;
    guard::department_decider(&state, &user).await?;
    crate::authz::refuse_problems(decision.problems(crate::clock::today()))?;
    let id = match crate::store::emulation::decide(&state.db, &decision, user.id).await {
        Ok(id) => id,
        Err(e) => return fail(e),
    };
    guard::audit(
        &state,
        &user,
        &caller.address,
        "award_decide",
        id,
        serde_json::json!({ "number": decision.number, "nominations": decision.nominations }),
    )
    .await?;
    Ok(id)
}
