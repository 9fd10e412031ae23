//! Server functions of periodic reports. Each passes the authorization layer: a unit's
//! report is read with `ViewReports` over that unit, written and submitted with
//! `SubmitReports`, reviewed with `ReviewReports`; cycles are created with `ManageReports` on
//! the department; an accepted report is reopened with `ReopenReports`.

use super::{
    Answers, Completeness, CycleSummary, FileInfo, MyReport, NewCycle, QueueItem, ReportSave,
    ReportStatus, ReportView, Review, Rollup, Template, UnitStatus,
};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
pub mod guard {
    use crate::accounts::Action;
    use crate::authz::{fail, SessionUser};
    use crate::error::AppError;
    use crate::reports::{
        Answers, AttachmentKind, FieldKind, FileInfo, ReportSave, ReportStatus, Review,
    };
    use crate::state::AppState;
    use crate::store::reports::{self as store, CycleRow};

    /// The cycle, and that `unit` is one the caller may take `action` on and that owes (or
    /// has) a report in it. Anything else is a 404 or a 403.
    pub async fn unit_report(
        state: &AppState,
        user: &SessionUser,
        action: Action,
        cycle: i64,
        unit: i64,
    ) -> Result<(CycleRow, Option<store::SubmissionRow>), AppError> {
        let today = crate::clock::today();
        if let Err(e) = crate::authz::check(&state.db, user, action, unit, today).await {
            return fail(e);
        }
        let cycle = match store::cycle(&state.db, cycle).await {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
        let row = store::submission_of(&state.db, cycle.id, unit).await?;
        if row.is_none() && !store::is_expected(&state.db, &cycle, unit, today).await? {
            return fail(AppError::NotFound);
        }
        Ok((cycle, row))
    }

    /// The refusal a unit gets once the cycle is locked for it.
    pub fn locked_error(cycle: &CycleRow) -> AppError {
        AppError::Invalid(format!(
            "Kỳ báo cáo đã khóa sổ từ ngày {}; hãy đề nghị cán bộ duyệt mở lại.",
            cycle.dates.locks_on.format("%d/%m/%Y")
        ))
    }

    /// Everything a submit does after sign-in: the unit's scope, the lock, the checks of
    /// the answers and files, the submission itself and its audit entry. A retry of the same
    /// `key` answers as the first did.
    #[allow(clippy::too_many_arguments)]
    pub async fn submit(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        cycle: i64,
        unit: i64,
        version: i64,
        answers: &crate::reports::Answers,
        key: &str,
    ) -> Result<crate::reports::ReportStatus, AppError> {
        let (cycle, row) = unit_report(state, user, Action::SubmitReports, cycle, unit).await?;
        if key.is_empty() || key.len() > 64 {
            return fail(AppError::Invalid("Thiếu mã lần nộp.".into()));
        }
        let today = crate::clock::today();
        if let Some(r) = &row {
            if r.status.is_in() && r.submit_key.as_deref() == Some(key) {
                return Ok(r.status);
            }
        }
        if cycle.locked(today, row.as_ref().and_then(|r| r.reopened_until)) {
            return fail(locked_error(&cycle));
        }
        let template = store::template(&state.db, cycle.template).await?;
        let files: Vec<String> = match &row {
            Some(r) => store::files(&state.db, r.id)
                .await?
                .into_iter()
                .map(|f| f.field)
                .collect(),
            None => Vec::new(),
        };
        let problems = crate::reports::check(&template, answers, &files);
        if !problems.is_empty() {
            let list: Vec<String> = problems.into_iter().map(|p| p.message).collect();
            return fail(AppError::Invalid(format!(
                "Chưa nộp được: {}",
                list.join(" ")
            )));
        }
        let request = store::SubmitRequest {
            cycle: &cycle,
            template: &template,
            unit,
            version,
            answers,
            key,
            user: user.id,
            address,
            today,
        };
        if let Err(e) = store::submit(&state.db, request).await {
            return fail(e);
        }
        Ok(crate::reports::ReportStatus::Submitted)
    }

    /// An autosave (or a plain form's "save"): the unit's scope, the lock, answers that
    /// belong to the template and are not too long.
    pub async fn save(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        cycle: i64,
        unit: i64,
        version: i64,
        answers: &Answers,
    ) -> Result<ReportSave, AppError> {
        let (cycle, row) = unit_report(state, user, Action::SubmitReports, cycle, unit).await?;
        if cycle.locked(crate::clock::today(), row.and_then(|r| r.reopened_until)) {
            return fail(locked_error(&cycle));
        }
        let template = store::template(&state.db, cycle.template).await?;
        if answers.len() > template.fields.len()
            || answers.keys().any(|k| template.field(k).is_none())
        {
            return fail(AppError::Invalid(
                "Báo cáo có mục không thuộc mẫu; hãy tải lại trang.".into(),
            ));
        }
        if answers
            .values()
            .any(|a| a.chars().count() > crate::reports::MAX_NARRATIVE_CHARS)
        {
            return fail(AppError::Invalid("Mỗi mục tối đa 20.000 ký tự.".into()));
        }
        let by = store::By {
            user: user.id,
            address,
        };
        match store::save_answers(&state.db, cycle.id, unit, version, answers, by).await {
            Ok(outcome) => Ok(outcome),
            Err(e) => fail(e),
        }
    }

    /// A reviewer's decision on a submitted report, with its audit entry.
    pub async fn review(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        cycle: i64,
        unit: i64,
        decision: Review,
        comment: &str,
    ) -> Result<ReportStatus, AppError> {
        let (cycle, _) = unit_report(state, user, Action::ReviewReports, cycle, unit).await?;
        let comment = comment.trim().to_string();
        if decision == Review::Return && comment.is_empty() {
            return fail(AppError::Invalid(
                "Hãy ghi rõ cần bổ sung gì để đơn vị sửa.".into(),
            ));
        }
        if comment.chars().count() > 4000 {
            return fail(AppError::Invalid("Ý kiến tối đa 4.000 ký tự.".into()));
        }
        let status = match store::review(&state.db, &cycle, unit, decision, &comment, user.id).await
        {
            Ok(s) => s,
            Err(e) => return fail(e),
        };
        audit(
            state,
            user.id,
            address,
            "report_review",
            cycle.id,
            serde_json::json!({ "unit": unit, "status": status.code(), "comment": comment }),
        )
        .await?;
        Ok(status)
    }

    /// Reopens an accepted report (`ReopenReports`) or one locked by date (`ReviewReports`),
    /// for [`super::REOPEN_DAYS`], with its reason and audit entry.
    pub async fn reopen(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        cycle: i64,
        unit: i64,
        reason: &str,
    ) -> Result<ReportStatus, AppError> {
        let (cycle, row) = unit_report(state, user, Action::ViewReports, cycle, unit).await?;
        let reason = reason.trim().to_string();
        if reason.is_empty() {
            return fail(AppError::Invalid("Hãy ghi lý do mở lại.".into()));
        }
        if reason.chars().count() > 4000 {
            return fail(AppError::Invalid("Lý do tối đa 4.000 ký tự.".into()));
        }
        let today = crate::clock::today();
        let accepted = row
            .as_ref()
            .is_some_and(|r| r.status == ReportStatus::Accepted);
        let needed = if accepted {
            Action::ReopenReports
        } else {
            Action::ReviewReports
        };
        if let Err(e) = crate::authz::check(&state.db, user, needed, unit, today).await {
            return fail(e);
        }
        if !accepted && !cycle.locked(today, row.as_ref().and_then(|r| r.reopened_until)) {
            return fail(AppError::Invalid(
                "Báo cáo chưa bị khóa; đơn vị vẫn sửa và nộp được.".into(),
            ));
        }
        let until = today + chrono::Duration::days(super::REOPEN_DAYS);
        let status = match store::reopen(&state.db, &cycle, unit, &reason, user.id, until).await {
            Ok(s) => s,
            Err(e) => return fail(e),
        };
        audit(
            state,
            user.id,
            address,
            "report_reopen",
            cycle.id,
            serde_json::json!({ "unit": unit, "reason": reason }),
        )
        .await?;
        Ok(status)
    }

    /// Where a file for `field` of a unit's report may go: the unit's scope, the lock, and a
    /// field that takes a file. Answers with the cycle and the kinds of file it accepts.
    pub async fn attachment_target(
        state: &AppState,
        user: &SessionUser,
        cycle: i64,
        unit: i64,
        field: &str,
    ) -> Result<(CycleRow, AttachmentKind), AppError> {
        let (cycle, row) = unit_report(state, user, Action::SubmitReports, cycle, unit).await?;
        if cycle.locked(crate::clock::today(), row.and_then(|r| r.reopened_until)) {
            return fail(locked_error(&cycle));
        }
        let template = store::template(&state.db, cycle.template).await?;
        match template.field(field).map(|f| f.kind.clone()) {
            Some(FieldKind::Attachment { accept }) => Ok((cycle, accept)),
            _ => fail(AppError::NotFound),
        }
    }

    /// Stores `bytes` as the file of `field` (replacing the one there was) once its content
    /// agrees with its name and the field, with its audit entry. Answers with the report's
    /// files.
    #[allow(clippy::too_many_arguments)]
    pub async fn attach(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        (cycle, accept): &(CycleRow, AttachmentKind),
        unit: i64,
        field: &str,
        name: &str,
        bytes: &[u8],
    ) -> Result<Vec<FileInfo>, AppError> {
        if name.is_empty() {
            return fail(AppError::Invalid("Thiếu tên tệp.".into()));
        }
        let max = state.settings.max_attachment_bytes;
        let sniffed = match crate::reports::check_file(*accept, name, bytes, max) {
            Ok(kind) => kind,
            Err(message) => return fail(AppError::Invalid(message)),
        };
        let sha256 = store::checksum(bytes);
        let file = store::NewFile {
            cycle: cycle.id,
            unit,
            field,
            file_name: name,
            content_type: sniffed.content_type(),
            bytes,
            sha256: &sha256,
            user: user.id,
        };
        let id = store::put_file(&state.db, &file).await?;
        audit(
            state,
            user.id,
            address,
            "report_file",
            cycle.id,
            serde_json::json!({ "unit": unit, "field": field, "file": id, "name": name,
                                "size": bytes.len(), "sha256": sha256 }),
        )
        .await?;
        match store::submission_of(&state.db, cycle.id, unit).await? {
            Some(row) => store::files(&state.db, row.id).await,
            None => Ok(Vec::new()),
        }
    }

    pub async fn audit(
        state: &AppState,
        user: i64,
        address: &str,
        action: &str,
        id: i64,
        after: serde_json::Value,
    ) -> Result<(), AppError> {
        crate::authz::record_write(state, user, address, action, "report_cycle", id, after).await
    }
}

/// The newest version of each template (for the cycle form).
#[server(endpoint = "reports/templates", input = Json)]
pub async fn report_templates() -> Result<Vec<Template>, AppError> {
    use crate::accounts::Action;
    let (state, _, _) = crate::authz::require_any(Action::ManageReports).await?;
    crate::store::reports::templates(&state.db).await
}

/// Saves a new template, or the next version of the newest version `based_on`. Cycles
/// already opened keep the version they pinned.
#[server(endpoint = "reports/template-save", input = Json)]
pub async fn save_template(
    based_on: Option<i64>,
    name: String,
    fields: Vec<super::Field>,
) -> Result<Template, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let department = crate::plans::api::guard::department(&crate::state::app_state()?).await?;
    let (state, caller, user) = crate::authz::require(Action::ManageReports, department).await?;
    let name = name.trim().to_string();
    if let Err(m) = super::check_template(&name, &fields) {
        return fail(AppError::Invalid(m));
    }
    let newest = crate::store::reports::templates(&state.db).await?;
    let code = match based_on {
        Some(id) => match newest.iter().find(|t| t.id == id) {
            Some(t) => t.code.clone(),
            None => {
                return fail(AppError::Invalid(
                    "Mẫu này đã có phiên bản mới hơn; hãy mở lại phiên bản mới nhất để sửa.".into(),
                ))
            }
        },
        None => {
            let code = super::template_code(&name);
            if newest.iter().any(|t| t.code == code) {
                return fail(AppError::Invalid(
                    "Đã có mẫu báo cáo tên này; hãy tạo phiên bản mới của mẫu đó.".into(),
                ));
            }
            code
        }
    };
    let mut conn = state.db.pool().acquire().await?;
    let template = crate::store::reports::insert_template(&mut conn, &code, &name, &fields).await?;
    drop(conn);
    guard::audit(
        &state,
        user.id,
        &caller.address,
        "report_template_save",
        template.id,
        serde_json::json!({ "code": template.code, "version": template.version }),
    )
    .await?;
    Ok(template)
}

/// The cycles, with how far the caller's part of the tree has reported.
#[server(endpoint = "reports/cycles", input = Json)]
pub async fn report_cycles() -> Result<Vec<CycleSummary>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewReports).await?;
    let scope = user.scope_for(&state.db, Action::ViewReports).await?;
    crate::store::reports::list_cycles(&state.db, &scope, crate::clock::today()).await
}

/// The reports the caller's own units owe.
#[server(endpoint = "reports/mine", input = Json)]
pub async fn my_reports() -> Result<Vec<MyReport>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewReports).await?;
    let units = user.roots_for(Action::SubmitReports);
    // Department-wide grants file no school's report themselves.
    let mut conn = state.db.pool().acquire().await?;
    let department = crate::store::org::department_id(&mut conn).await?;
    drop(conn);
    let units: Vec<i64> = units
        .into_iter()
        .filter(|u| Some(*u) != department)
        .collect();
    let mut reports =
        crate::store::reports::my_reports(&state.db, &units, crate::clock::today()).await?;
    super::order_for_unit(&mut reports);
    Ok(reports)
}

/// Creates a cycle, or the four cycles of a quarterly series for `series_year`.
#[server(endpoint = "reports/create-cycles", input = Json)]
pub async fn create_cycles(
    cycle: NewCycle,
    series_year: Option<i32>,
) -> Result<Vec<i64>, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let department = crate::plans::api::guard::department(&crate::state::app_state()?).await?;
    let (state, caller, user) = crate::authz::require(Action::ManageReports, department).await?;
    if cycle.title.trim().is_empty() {
        return fail(AppError::Invalid("Hãy đặt tên cho kỳ báo cáo.".into()));
    }
    if cycle.title.chars().count() > 300 {
        return fail(AppError::Invalid("Tên kỳ báo cáo tối đa 300 ký tự.".into()));
    }
    if cycle.reminder_days.len() > 10 || cycle.reminder_days.iter().any(|d| d.abs() > 60) {
        return fail(AppError::Invalid(
            "Ngày nhắc phải trong khoảng 60 ngày quanh hạn nộp.".into(),
        ));
    }
    if let Err(e) = crate::store::reports::template(&state.db, cycle.template).await {
        return fail(match e {
            AppError::NotFound => AppError::Invalid("Hãy chọn mẫu báo cáo.".into()),
            other => other,
        });
    }
    if let Some(plan) = cycle.plan {
        match crate::store::plans::plan(&state.db, plan).await {
            Ok(p) if p.status == crate::plans::PlanStatus::Issued => {}
            Ok(_) | Err(AppError::NotFound) => {
                return fail(AppError::Invalid(
                    "Chỉ gắn được kỳ báo cáo với kế hoạch đã ban hành.".into(),
                ))
            }
            Err(e) => return fail(e),
        }
    }
    let cycles = match series_year {
        Some(year) => super::quarterly_series(&cycle, year),
        None => vec![cycle],
    };
    let mut checked = Vec::with_capacity(cycles.len());
    for c in cycles {
        if let Err(m) = c.period.check() {
            return fail(AppError::Invalid(m));
        }
        match c.dates() {
            Ok(dates) => checked.push((c, dates)),
            Err(m) => return fail(AppError::Invalid(m)),
        }
    }
    let mut tx = state.db.pool().begin().await?;
    let mut ids = Vec::with_capacity(checked.len());
    for (c, dates) in &checked {
        ids.push(crate::store::reports::create_cycle(&mut tx, c, *dates, user.id).await?);
    }
    tx.commit().await?;
    for (id, (c, _)) in ids.iter().zip(&checked) {
        guard::audit(
            &state,
            user.id,
            &caller.address,
            "report_cycle_create",
            *id,
            serde_json::json!({ "title": c.title, "template": c.template }),
        )
        .await?;
    }
    Ok(ids)
}

/// One unit's report in one cycle, with what the caller may do with it.
#[server(endpoint = "reports/get", input = Json)]
pub async fn get_report(cycle: i64, unit: i64) -> Result<ReportView, AppError> {
    use crate::accounts::Action;
    use crate::store::reports as store;
    let (state, _, user) = crate::authz::require_any(Action::ViewReports).await?;
    let (cycle, row) = guard::unit_report(&state, &user, Action::ViewReports, cycle, unit).await?;
    let today = crate::clock::today();
    let template = store::template(&state.db, cycle.template).await?;
    let may = |action| {
        let state = state.clone();
        let user = user.clone();
        async move {
            crate::authz::check(&state.db, &user, action, unit, today)
                .await
                .is_ok()
        }
    };
    let submit = may(Action::SubmitReports).await;
    let review = may(Action::ReviewReports).await;
    let reopen_accepted = may(Action::ReopenReports).await;
    let locked = cycle.locked(today, row.as_ref().and_then(|r| r.reopened_until));
    let status = match &row {
        Some(r) if r.version == 0 && r.status == ReportStatus::Draft => ReportStatus::Missing,
        Some(r) => r.status,
        None => ReportStatus::Missing,
    };
    let (files, history) = match &row {
        Some(r) => (
            store::files(&state.db, r.id).await?,
            store::history(&state.db, r.id).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let editable = matches!(
        status,
        ReportStatus::Missing | ReportStatus::Draft | ReportStatus::Returned
    );
    let unit_ref = crate::store::org::unit_ref_latest(&state.db, unit).await?;
    Ok(ReportView {
        cycle: cycle.id,
        cycle_title: cycle.title.clone(),
        period: cycle.period.clone(),
        dates: cycle.dates,
        template,
        unit: unit_ref,
        status,
        on_time: row
            .as_ref()
            .and_then(|r| r.first_submitted_on.as_deref())
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|d| d <= cycle.dates.on_time_until),
        version: row.as_ref().map_or(0, |r| r.version),
        answers: row.as_ref().map(|r| r.answers.clone()).unwrap_or_default(),
        files,
        review_comment: row
            .as_ref()
            .map(|r| r.review_comment.clone())
            .unwrap_or_default(),
        history,
        may_edit: submit && editable && !locked,
        may_review: review && status == ReportStatus::Submitted,
        may_reopen: (status == ReportStatus::Accepted && reopen_accepted)
            || (locked && editable && review),
        locked,
        updated_at: row.map(|r| r.updated_at).unwrap_or_default(),
        // Set when the page is rendered again after a plain form post it did not take.
        posted: use_context::<super::Posted>(),
        reader: user.id,
    })
}

/// Autosave of a draft loaded at `version`.
#[server(endpoint = "reports/save", input = Json)]
pub async fn save_report(
    cycle: i64,
    unit: i64,
    version: i64,
    answers: Answers,
) -> Result<ReportSave, AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::SubmitReports).await?;
    guard::save(
        &state,
        &user,
        &caller.address,
        cycle,
        unit,
        version,
        &answers,
    )
    .await
}

/// Submits a report. `key` names this submit: sent again (a retry, a double tap), it
/// makes no second submission.
#[server(endpoint = "reports/submit", input = Json)]
pub async fn submit_report(
    cycle: i64,
    unit: i64,
    version: i64,
    answers: Answers,
    key: String,
) -> Result<ReportStatus, AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::SubmitReports).await?;
    guard::submit(
        &state,
        &user,
        &caller.address,
        cycle,
        unit,
        version,
        &answers,
        &key,
    )
    .await
}

/// A reviewer's decision; a comment is required to return a report.
#[server(endpoint = "reports/review", input = Json)]
pub async fn review_report(
    cycle: i64,
    unit: i64,
    decision: Review,
    comment: String,
) -> Result<ReportStatus, AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::ReviewReports).await?;
    guard::review(
        &state,
        &user,
        &caller.address,
        cycle,
        unit,
        decision,
        &comment,
    )
    .await
}

/// How long a reopened report stays open to its unit.
pub const REOPEN_DAYS: i64 = 7;

/// Reopens a report: an accepted one (a level above the reviewers), or one locked by date
/// (a reviewer). A reason is required either way.
#[server(endpoint = "reports/reopen", input = Json)]
pub async fn reopen_report(
    cycle: i64,
    unit: i64,
    reason: String,
) -> Result<ReportStatus, AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::ViewReports).await?;
    guard::reopen(&state, &user, &caller.address, cycle, unit, &reason).await
}

/// Removes the file of one field from a report that can still be changed.
#[server(endpoint = "reports/file-delete", input = Json)]
pub async fn delete_report_file(
    cycle: i64,
    unit: i64,
    field: String,
) -> Result<Vec<FileInfo>, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    use crate::store::reports as store;
    let (state, _, user) = crate::authz::require_any(Action::SubmitReports).await?;
    let (cycle, row) =
        guard::unit_report(&state, &user, Action::SubmitReports, cycle, unit).await?;
    if cycle.locked(
        crate::clock::today(),
        row.as_ref().and_then(|r| r.reopened_until),
    ) {
        return fail(guard::locked_error(&cycle));
    }
    if let Err(e) = store::delete_file(&state.db, cycle.id, unit, &field).await {
        return fail(e);
    }
    match row {
        Some(r) => store::files(&state.db, r.id).await,
        None => Ok(Vec::new()),
    }
}

/// Reports waiting for review in the caller's part of the tree.
#[server(endpoint = "reports/queue", input = Json)]
pub async fn review_queue() -> Result<Vec<QueueItem>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ReviewReports).await?;
    let scope = user.scope_for(&state.db, Action::ReviewReports).await?;
    crate::store::reports::queue(&state.db, &scope, crate::clock::today()).await
}

/// A cycle's completeness over the caller's part of the tree.
#[server(endpoint = "reports/completeness", input = Json)]
pub async fn cycle_completeness(cycle: i64) -> Result<Completeness, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewReports).await?;
    let scope = user.scope_for(&state.db, Action::ViewReports).await?;
    let cycle = match crate::store::reports::cycle(&state.db, cycle).await {
        Ok(c) => c,
        Err(e) => return crate::authz::fail(e),
    };
    crate::store::reports::completeness(&state.db, &cycle, &scope, crate::clock::today()).await
}

/// The expected units of a cycle within the caller's part of the tree, with their status.
#[server(endpoint = "reports/units", input = Json)]
pub async fn cycle_units(
    cycle: i64,
    status: Option<ReportStatus>,
) -> Result<Vec<UnitStatus>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewReports).await?;
    let scope = user.scope_for(&state.db, Action::ViewReports).await?;
    let cycle = match crate::store::reports::cycle(&state.db, cycle).await {
        Ok(c) => c,
        Err(e) => return crate::authz::fail(e),
    };
    crate::store::reports::unit_statuses(
        &state.db,
        &cycle,
        &scope,
        status,
        crate::clock::today(),
        UNIT_LIST_LIMIT,
    )
    .await
}

/// The most units a cycle's status table lists at once.
pub const UNIT_LIST_LIMIT: i64 = 100;

/// The roll-up of a cycle's indicators over the caller's part of the tree.
#[server(endpoint = "reports/rollup", input = Json)]
pub async fn cycle_rollup(cycle: i64) -> Result<Rollup, AppError> {
    use crate::accounts::Action;
    use crate::store::reports as store;
    let (state, _, user) = crate::authz::require_any(Action::ViewReports).await?;
    let scope = user.scope_for(&state.db, Action::ViewReports).await?;
    let cycle = match store::cycle(&state.db, cycle).await {
        Ok(c) => c,
        Err(e) => return crate::authz::fail(e),
    };
    let template = store::template(&state.db, cycle.template).await?;
    store::rollup(&state.db, &cycle, &template, &scope, crate::clock::today()).await
}
