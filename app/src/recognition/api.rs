//! Server functions of recognition. Each passes the authorization layer on the school the
//! assessment belongs to: reading with `ViewRecognition`, choosing with
//! `SelectModelSchools`, the school's own answers, files and filing with `AssessSchool`,
//! scoring with `ReviewRecognition`; decisions (`DecideRecognition`) and criteria
//! (`ManageCriteria`) on the department.

use super::{
    Answers, Assessment, CriteriaBody, CriteriaSet, NewDecision, Programme, RecognitionHistory,
    Stage, YearOverview,
};
use crate::error::AppError;
use crate::org::UnitRef;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// An assessment with what the caller may do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentView {
    pub assessment: Assessment,
    /// The row version the editors save against.
    pub version: i64,
    pub may_assess: bool,
    pub may_review: bool,
    pub may_decide: bool,
}

/// The stages a user moves an assessment to by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Move {
    /// The school starts building (Được chọn → Đang xây dựng).
    StartBuilding,
    /// The school finishes its self-assessment.
    FinishSelfAssessment,
    /// The school files its dossier.
    File,
    /// A reviewer takes the dossier up.
    StartReview,
    /// A reviewer sends the dossier back to the school with a reason.
    ReturnToSchool,
    /// A reviewer concludes that the school does not reach the model.
    NotRecognised,
}

impl Move {
    /// What the mover must hold on the school.
    pub fn action(self) -> crate::accounts::Action {
        use crate::accounts::Action;
        match self {
            Move::StartBuilding | Move::FinishSelfAssessment | Move::File => Action::AssessSchool,
            Move::StartReview | Move::ReturnToSchool | Move::NotRecognised => {
                Action::ReviewRecognition
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub mod guard {
    use super::Move;
    use crate::accounts::Action;
    use crate::authz::{fail, SessionUser};
    use crate::error::AppError;
    use crate::recognition::{Answers, AssessmentFile, DossierDocument, Programme, Stage};
    use crate::state::AppState;
    use crate::store::recognition::{self as store, AssessmentKey};

    /// The assessment, when the caller may take `action` on its school.
    pub async fn assessment(
        state: &AppState,
        user: &SessionUser,
        action: Action,
        id: i64,
    ) -> Result<AssessmentKey, AppError> {
        let key = match store::key(&state.db, id).await {
            Ok(k) => k,
            Err(e) => return fail(e),
        };
        let today = crate::clock::today();
        if let Err(e) = crate::authz::check(&state.db, user, action, key.unit, today).await {
            return fail(e);
        }
        Ok(key)
    }

    pub async fn audit(
        state: &AppState,
        user: i64,
        address: &str,
        action: &str,
        id: i64,
        after: serde_json::Value,
    ) -> Result<(), AppError> {
        crate::authz::record_write(state, user, address, action, "assessment", id, after).await
    }

    /// The open schools the caller works for: the units of their grants that assess a
    /// school and are one.
    pub async fn own_schools(
        state: &AppState,
        user: &SessionUser,
    ) -> Result<Vec<crate::org::UnitRef>, AppError> {
        let today = crate::clock::today();
        let mut own = Vec::new();
        for unit in user.roots_for(Action::AssessSchool) {
            if store::school_levels(&state.db, unit, today)
                .await?
                .is_some()
            {
                own.push(unit);
            }
        }
        let refs = crate::store::plans::unit_refs(&state.db, &own).await?;
        Ok(own.iter().filter_map(|u| refs.get(u).cloned()).collect())
    }

    /// A school opens an assessment of its own for this year (the standard, the yearly
    /// evaluation): the caller assesses the school, the school is open, and the set is
    /// offered to its levels.
    pub async fn open_own(
        programme: crate::recognition::Programme,
        year: i32,
        unit: i64,
        audit_action: &str,
    ) -> Result<i64, AppError> {
        let (state, caller, user) = crate::authz::require(Action::AssessSchool, unit).await?;
        let today = crate::clock::today();
        let this_year = store::current_year(today);
        if year != this_year {
            return fail(AppError::Invalid(format!(
                "Chỉ mở được hồ sơ cho năm {this_year}."
            )));
        }
        let Some(levels) = store::school_levels(&state.db, unit, today).await? else {
            return fail(AppError::Invalid(
                "Chỉ trường đang hoạt động mới đăng ký được.".into(),
            ));
        };
        let set = store::current_set(&state.db, programme).await?;
        if !set.body.offered_to(&levels) {
            return fail(AppError::Invalid(format!(
                "{} không áp dụng cho trường mầm non, nhà trẻ và tiểu học.",
                programme.label()
            )));
        }
        let id = match store::start(&state.db, programme, year, unit, user.id).await {
            Ok(id) => id,
            Err(e) => return fail(e),
        };
        crate::authz::record_write(
            &state,
            user.id,
            &caller.address,
            audit_action,
            "assessment",
            id,
            serde_json::json!({ "unit": unit, "year": year }),
        )
        .await?;
        Ok(id)
    }

    /// Saves one side's answers (the school's, or the reviewer's when `review`) against the
    /// version the editor loaded; the caller was checked for that side's action on `key`.
    /// Answers the new version.
    pub async fn save(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        key: &AssessmentKey,
        review: bool,
        answers: Answers,
        version: i64,
    ) -> Result<i64, AppError> {
        use store::Side;
        if review {
            if key.stage != Stage::UnderReview {
                return Err(AppError::Invalid(
                    "Chỉ chấm điểm được hồ sơ đang xét.".into(),
                ));
            }
            not_own(state, user, key).await?;
        } else {
            school_may_edit(key.stage)?;
        }
        let set = store::set(&state.db, key.set).await?;
        let problems = set.body.check_answers(&answers);
        if !problems.is_empty() {
            let list: Vec<String> = problems.into_iter().map(|(_, m)| m).collect();
            return Err(AppError::Invalid(list.join(" ")));
        }
        let mut answers = answers;
        // Criteria filled from reports are never typed.
        answers.retain(|k, _| set.body.criterion(k).is_some_and(|c| c.source.is_none()));
        if key.programme == Programme::YearlyEvaluation {
            let today = crate::clock::today();
            let scope = crate::store::org::Scope::Within(vec![key.unit]);
            let t = store::timeliness(&state.db, key.year, &scope, today).await?;
            set.body
                .fill_from_reports(&mut answers, t.get(&key.unit).copied().unwrap_or_default());
        }
        let outcome = set.body.score(&answers);
        let side = if review { Side::Reviewer } else { Side::School };
        let by = crate::store::reports::By {
            user: user.id,
            address,
        };
        store::save_answers(&state.db, key, side, &answers, &outcome, version, by).await
    }

    /// Separation of duties: whoever finished the school's self-assessment or filed its
    /// dossier does not review it.
    async fn not_own(
        state: &AppState,
        user: &SessionUser,
        key: &AssessmentKey,
    ) -> Result<(), AppError> {
        if store::school_side(&state.db, key.id)
            .await?
            .contains(&user.id)
        {
            return Err(AppError::Invalid(
                "Bạn đã tự đánh giá hoặc nộp hồ sơ này nên không xét được: một người khác của \
                 đơn vị xét sẽ làm. (You prepared this dossier, so another reviewer assesses it.)"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Moves an assessment along its pipeline; the caller was checked for the move's action
    /// on `key`. Finishing the self-assessment needs every criterion answered and the evidence
    /// the set requires; filing a model school needs the three dossier documents; returning
    /// and concluding need a reason.
    pub async fn move_to(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        key: &AssessmentKey,
        to: Move,
        note: &str,
    ) -> Result<Stage, AppError> {
        let note = note.trim().to_string();
        if note.chars().count() > 2000 {
            return Err(AppError::Invalid("Ghi chú tối đa 2.000 ký tự.".into()));
        }
        let today = crate::clock::today();
        let (from, stage): (&[Stage], Stage) = match to {
            Move::StartBuilding => (&[Stage::Selected], Stage::Building),
            Move::FinishSelfAssessment => {
                let a = store::assessment(&state.db, key.id, today).await?;
                let unanswered = a.set.body.unanswered(&a.self_answers);
                if !unanswered.is_empty() {
                    return Err(AppError::Invalid(format!(
                        "Còn tiêu chí chưa tự đánh giá: {}.",
                        unanswered.join(", ")
                    )));
                }
                let evidence = a.missing_evidence();
                if !evidence.is_empty() {
                    return Err(AppError::Invalid(format!(
                        "Còn thiếu minh chứng cho tiêu chí: {}.",
                        evidence.join(", ")
                    )));
                }
                (&[Stage::Selected, Stage::Building], Stage::SelfAssessed)
            }
            Move::File => {
                let a = store::assessment(&state.db, key.id, today).await?;
                if a.programme == Programme::YearlyEvaluation {
                    return Err(AppError::Invalid(
                        "Đánh giá hằng năm không gửi xét: kết quả tính ngay từ bản tự đánh giá."
                            .into(),
                    ));
                }
                if a.programme == Programme::ModelSchool {
                    let missing = a.missing_documents();
                    if !missing.is_empty() {
                        let names: Vec<&str> = missing.iter().map(|d| d.label()).collect();
                        return Err(AppError::Invalid(format!(
                            "Chưa nộp được hồ sơ: còn thiếu {}.",
                            names.join("; ")
                        )));
                    }
                }
                (&[Stage::SelfAssessed], Stage::Filed)
            }
            Move::StartReview => (&[Stage::Filed], Stage::UnderReview),
            Move::ReturnToSchool | Move::NotRecognised => {
                if note.is_empty() {
                    return Err(AppError::Invalid(
                        "Hãy ghi lý do để trường biết cần bổ sung gì.".into(),
                    ));
                }
                if to == Move::ReturnToSchool {
                    (&[Stage::Filed, Stage::UnderReview], Stage::Building)
                } else {
                    (&[Stage::UnderReview], Stage::NotRecognised)
                }
            }
        };
        if to.action() == Action::ReviewRecognition {
            not_own(state, user, key).await?;
        }
        store::move_stage(&state.db, key, from, stage, &note, user.id).await?;
        audit(
            state,
            user.id,
            address,
            "assessment_move",
            key.id,
            serde_json::json!({ "to": stage.code(), "note": note }),
        )
        .await?;
        Ok(stage)
    }

    /// Generates the dossier's results report from the self-assessment and files it in the
    /// dossier; the caller was checked for `AssessSchool` on `key`.
    pub async fn generate_report(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        key: &AssessmentKey,
    ) -> Result<(), AppError> {
        school_may_edit(key.stage)?;
        let today = crate::clock::today();
        let a = store::assessment(&state.db, key.id, today).await?;
        let head = crate::plans::api::guard::letterhead(state).await?;
        let bytes = crate::recognition::docx::results_report(&a, &head.place, today)?;
        let name = format!("bao-cao-ket-qua-{}-{}.docx", a.unit.code, a.year);
        let slot = format!("dossier:{}", DossierDocument::ResultsReport.code());
        store::put_file(
            &state.db,
            &store::NewAssessmentFile {
                assessment: key.id,
                slot: &slot,
                file_name: &name,
                content_type:
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                bytes: &bytes,
                user: user.id,
            },
        )
        .await?;
        audit(
            state,
            user.id,
            address,
            "assessment_generate_report",
            key.id,
            serde_json::json!({ "size": bytes.len() }),
        )
        .await
    }

    /// Attaches a file to a slot of an assessment (the evidence of one criterion,
    /// `item:<key>`, or a dossier document, `dossier:<code>`), replacing the one there was; the
    /// caller was checked for `AssessSchool` on `key`. The content decides what the file is.
    /// Answers the assessment's files.
    pub async fn attach(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        key: &AssessmentKey,
        slot: &str,
        name: &str,
        bytes: &[u8],
    ) -> Result<Vec<AssessmentFile>, AppError> {
        school_may_edit(key.stage)?;
        let set = store::set(&state.db, key.set).await?;
        let slot_ok = match slot.split_once(':') {
            Some(("item", k)) => set.body.criterion(k).is_some(),
            Some(("dossier", d)) => DossierDocument::from_code(d).is_some(),
            _ => false,
        };
        if !slot_ok {
            return Err(AppError::NotFound);
        }
        if name.is_empty() {
            return Err(AppError::Invalid("Thiếu tên tệp.".into()));
        }
        let sniffed = crate::reports::check_file(
            crate::reports::AttachmentKind::Document,
            name,
            bytes,
            crate::recognition::MAX_FILE_BYTES,
        )
        .map_err(AppError::Invalid)?;
        let file = store::NewAssessmentFile {
            assessment: key.id,
            slot,
            file_name: name,
            content_type: sniffed.content_type(),
            bytes,
            user: user.id,
        };
        let file_id = store::put_file(&state.db, &file).await?;
        audit(
            state,
            user.id,
            address,
            "assessment_file",
            key.id,
            serde_json::json!({ "slot": slot, "file": file_id, "name": name, "size": bytes.len() }),
        )
        .await?;
        Ok(store::assessment(&state.db, key.id, crate::clock::today())
            .await?
            .files)
    }

    /// Whether the school may still change its answers and files.
    pub fn school_may_edit(stage: crate::recognition::Stage) -> Result<(), AppError> {
        use crate::recognition::Stage::*;
        if matches!(stage, Selected | Building | SelfAssessed) {
            Ok(())
        } else {
            Err(AppError::Invalid(format!(
                "Hồ sơ đang ở bước «{}»; trường không sửa được nữa.",
                stage.label()
            )))
        }
    }
}

/// The year's model schools (or, when asked, the schools seeking the safety standard) within
/// the caller's part of the tree.
#[server(endpoint = "recognition/overview", input = Json)]
pub async fn model_schools_of_year(
    year: Option<i32>,
    programme: Option<Programme>,
) -> Result<YearOverview, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewRecognition).await?;
    let scope = user.scope_for(&state.db, Action::ViewRecognition).await?;
    let today = crate::clock::today();
    let year = year.unwrap_or_else(|| crate::store::recognition::current_year(today));
    if !(2000..=2100).contains(&year) {
        return crate::authz::fail(AppError::Invalid("Năm không hợp lệ.".into()));
    }
    let programme = programme.unwrap_or_default();
    crate::store::recognition::year_overview(&state.db, programme, year, &scope, today).await
}

/// What the caller may choose a model school from in `year`: the areas they may choose in,
/// `area` when it is one of them (the first otherwise) and its schools not chosen yet. None for
/// a caller who chooses nowhere; an area they may not choose in is never shown.
#[server(endpoint = "recognition/choosing", input = Json)]
pub async fn choosing(
    year: Option<i32>,
    area: Option<i64>,
) -> Result<Option<super::Choosing>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewRecognition).await?;
    if crate::authz::check_any(&user, Action::SelectModelSchools).is_err() {
        return Ok(None);
    }
    let scope = user
        .scope_for(&state.db, Action::SelectModelSchools)
        .await?;
    let today = crate::clock::today();
    let year = year.unwrap_or_else(|| crate::store::recognition::current_year(today));
    if !(2000..=2100).contains(&year) {
        return crate::authz::fail(AppError::Invalid("Năm không hợp lệ.".into()));
    }
    let overview = crate::store::recognition::year_overview(
        &state.db,
        Programme::ModelSchool,
        year,
        &scope,
        today,
    )
    .await?;
    let mut areas = Vec::new();
    for a in overview.choose_areas() {
        if crate::authz::check(&state.db, &user, Action::SelectModelSchools, a.id, today)
            .await
            .is_ok()
        {
            areas.push(a);
        }
    }
    let shown = area
        .filter(|a| areas.iter().any(|x| x.id == *a))
        .or(areas.first().map(|a| a.id));
    let Some(area) = shown else {
        return Ok(None);
    };
    let schools = crate::store::recognition::candidates(&state.db, year, area, today).await?;
    Ok(Some(super::Choosing {
        areas,
        area,
        schools,
    }))
}

/// The open schools of an area not yet chosen for the year, for the caller to choose from.
#[server(endpoint = "recognition/candidates", input = Json)]
pub async fn candidates(year: i32, area: i64) -> Result<Vec<UnitRef>, AppError> {
    use crate::accounts::Action;
    let (state, _, _) = crate::authz::require(Action::SelectModelSchools, area).await?;
    crate::store::recognition::candidates(&state.db, year, area, crate::clock::today()).await
}

/// Chooses a school to build the model this year. Sent as a plain form too: taken or refused,
/// the browser goes back to the recognition page of the year, which says which.
#[server(endpoint = "recognition/select")]
pub async fn select_school(year: i32, unit: i64) -> Result<i64, AppError> {
    let result = select(year, unit).await;
    #[cfg(feature = "ssr")]
    crate::authz::after_plain_form(
        &result,
        |_| format!("/recognition?year={year}&selected={unit}"),
        |_| format!("/recognition?year={year}&select=refused"),
    );
    result
}

#[cfg(feature = "ssr")]
async fn select(year: i32, unit: i64) -> Result<i64, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let (state, caller, user) = crate::authz::require(Action::SelectModelSchools, unit).await?;
    let today = crate::clock::today();
    let this_year = crate::store::recognition::current_year(today);
    if !(this_year - 1..=this_year + 1).contains(&year) {
        return fail(AppError::Invalid(
            "Chỉ chọn được trường cho năm nay, năm trước hoặc năm sau.".into(),
        ));
    }
    if crate::store::recognition::school_levels(&state.db, unit, today)
        .await?
        .is_none()
    {
        return fail(AppError::Invalid(
            "Chỉ chọn được trường đang hoạt động.".into(),
        ));
    }
    let id = match crate::store::recognition::start(
        &state.db,
        Programme::ModelSchool,
        year,
        unit,
        user.id,
    )
    .await
    {
        Ok(id) => id,
        Err(e) => return fail(e),
    };
    guard::audit(
        &state,
        user.id,
        &caller.address,
        "model_school_select",
        id,
        serde_json::json!({ "unit": unit, "year": year }),
    )
    .await?;
    Ok(id)
}

/// A school opens an assessment of its own for this year: it registers for the "An toàn về an
/// ninh, trật tự" standard (not offered to preschools or primary schools) or starts its yearly
/// evaluation of the movement. `programme` is the programme's code. Sent as a plain form too:
/// taken, the browser goes to the new assessment; refused, back to the recognition page,
/// which says so.
#[server(endpoint = "recognition/open-own")]
pub async fn open_own_assessment(programme: String, year: i32, unit: i64) -> Result<i64, AppError> {
    let result = match Programme::from_code(&programme) {
        Some(Programme::SafetyStandard) => {
            guard::open_own(
                Programme::SafetyStandard,
                year,
                unit,
                "safety_standard_register",
            )
            .await
        }
        Some(Programme::YearlyEvaluation) => {
            guard::open_own(
                Programme::YearlyEvaluation,
                year,
                unit,
                "yearly_evaluation_start",
            )
            .await
        }
        _ => crate::authz::fail(AppError::Invalid(
            "Chương trình không mở được từ trường.".into(),
        )),
    };
    #[cfg(feature = "ssr")]
    crate::authz::after_plain_form(
        &result,
        |id| format!("/recognition/{id}"),
        |_| format!("/recognition?{OPEN_REFUSED}"),
    );
    result
}

/// The query of the recognition page after a school's plain form to open an assessment was
/// refused.
pub const OPEN_REFUSED: &str = "open=refused";

/// One assessment with what the caller may do with it.
#[server(endpoint = "recognition/get", input = Json)]
pub async fn get_assessment(id: i64) -> Result<AssessmentView, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewRecognition).await?;
    let key = guard::assessment(&state, &user, Action::ViewRecognition, id).await?;
    let today = crate::clock::today();
    let may = |action| {
        let (state, user) = (state.clone(), user.clone());
        async move {
            crate::authz::check(&state.db, &user, action, key.unit, today)
                .await
                .is_ok()
        }
    };
    let may_assess = may(Action::AssessSchool).await;
    let may_review = may(Action::ReviewRecognition).await;
    let department = crate::plans::api::guard::department(&state).await?;
    let may_decide = crate::authz::check(
        &state.db,
        &user,
        Action::DecideRecognition,
        department,
        today,
    )
    .await
    .is_ok();
    Ok(AssessmentView {
        assessment: crate::store::recognition::assessment(&state.db, id, today).await?,
        version: key.version,
        may_assess,
        may_review,
        may_decide,
    })
}

/// Saves answers, the school's (`review` false) or the reviewer's, with the version the
/// editor loaded. Answers the new version.
#[server(endpoint = "recognition/save", input = Json)]
pub async fn save_answers(
    id: i64,
    review: bool,
    answers: Answers,
    version: i64,
) -> Result<i64, AppError> {
    use crate::accounts::Action;
    let action = if review {
        Action::ReviewRecognition
    } else {
        Action::AssessSchool
    };
    let (state, caller, user) = crate::authz::require_any(action).await?;
    let key = guard::assessment(&state, &user, action, id).await?;
    guard::save(
        &state,
        &user,
        &caller.address,
        &key,
        review,
        answers,
        version,
    )
    .await
    .or_else(crate::authz::fail)
}

/// Moves an assessment along its pipeline. Each move checks who may make it and what it
/// needs: finishing the self-assessment needs every criterion answered and the evidence the
/// set requires; filing needs the three dossier documents.
#[server(endpoint = "recognition/move", input = Json)]
pub async fn move_assessment(id: i64, to: Move, note: String) -> Result<Stage, AppError> {
    let action = to.action();
    let (state, caller, user) = crate::authz::require_any(action).await?;
    let key = guard::assessment(&state, &user, action, id).await?;
    guard::move_to(&state, &user, &caller.address, &key, to, &note)
        .await
        .or_else(crate::authz::fail)
}

/// Generates the dossier's results report (báo cáo kết quả) from the self-assessment as a
/// Word file and files it in the dossier; the school may download it, edit it and upload
/// its own version in its place until it files.
#[server(endpoint = "recognition/generate-report", input = Json)]
pub async fn generate_report(id: i64) -> Result<(), AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::AssessSchool).await?;
    let key = guard::assessment(&state, &user, Action::AssessSchool, id).await?;
    guard::generate_report(&state, &user, &caller.address, &key)
        .await
        .or_else(crate::authz::fail)
}

/// Records a year-end decision recognising model schools under review.
#[server(endpoint = "recognition/decide", input = Json)]
pub async fn decide(decision: NewDecision) -> Result<i64, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let department = crate::plans::api::guard::department(&crate::state::app_state()?).await?;
    let (state, caller, user) =
        crate::authz::require(Action::DecideRecognition, department).await?;
    let signed_on = match decision.check() {
        Ok(day) => day,
        Err(m) => return fail(AppError::Invalid(m)),
    };
    if decision.programme == Programme::YearlyEvaluation {
        return fail(AppError::Invalid(
            "Đánh giá hằng năm không ra quyết định công nhận.".into(),
        ));
    }
    if decision.number.chars().count() > 60 || decision.signer.chars().count() > 120 {
        return fail(AppError::Invalid(
            "Số quyết định tối đa 60 ký tự, người ký tối đa 120 ký tự.".into(),
        ));
    }
    let id =
        match crate::store::recognition::create_decision(&state.db, &decision, signed_on, user.id)
            .await
        {
            Ok(id) => id,
            Err(e) => return fail(e),
        };
    guard::audit(
        &state,
        user.id,
        &caller.address,
        "recognition_decision",
        id,
        serde_json::json!({ "number": decision.number, "assessments": decision.assessments }),
    )
    .await?;
    Ok(id)
}

/// Every version of a programme's criteria set, newest first.
#[server(endpoint = "recognition/criteria", input = Json)]
pub async fn criteria_versions(programme: Programme) -> Result<Vec<CriteriaSet>, AppError> {
    use crate::accounts::Action;
    let (state, _, _) = crate::authz::require_any(Action::ViewRecognition).await?;
    crate::store::recognition::versions(&state.db, programme).await
}

/// Saves an edited criteria set; a version already used becomes the next version.
#[server(endpoint = "recognition/criteria-save", input = Json)]
pub async fn save_criteria(
    programme: Programme,
    body: CriteriaBody,
) -> Result<CriteriaSet, AppError> {
    use crate::accounts::Action;
    use crate::authz::fail;
    let department = crate::plans::api::guard::department(&crate::state::app_state()?).await?;
    let (state, caller, user) = crate::authz::require(Action::ManageCriteria, department).await?;
    if let Err(problems) = body.check() {
        return fail(AppError::Invalid(problems.join(" ")));
    }
    let set = crate::store::recognition::save_set(&state.db, programme, &body, user.id).await?;
    guard::audit(
        &state,
        user.id,
        &caller.address,
        "criteria_save",
        set.id,
        serde_json::json!({ "programme": programme.code(), "version": set.version }),
    )
    .await?;
    Ok(set)
}

/// A school's recognitions over the years.
#[server(endpoint = "recognition/history", input = Json)]
pub async fn unit_recognitions(unit: i64) -> Result<Vec<RecognitionHistory>, AppError> {
    use crate::accounts::Action;
    let (state, _, _) = crate::authz::require(Action::ViewRecognition, unit).await?;
    crate::store::recognition::history(&state.db, unit).await
}

/// The schools (in the caller's own units) that may register for the safety standard this
/// year, and the assessments they already have, for a school's recognition page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MySchool {
    pub unit: UnitRef,
    /// The year a registration is for: this one.
    pub year: i32,
    pub standard_offered: bool,
    pub history: Vec<RecognitionHistory>,
    /// Awards to the school or its people, newest first.
    pub awards: Vec<crate::emulation::AwardRecord>,
}

#[server(endpoint = "recognition/mine", input = Json)]
pub async fn my_schools() -> Result<Vec<MySchool>, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewRecognition).await?;
    let today = crate::clock::today();
    let roots = user.roots_for(Action::AssessSchool);
    let set = crate::store::recognition::current_set(&state.db, Programme::SafetyStandard).await?;
    let mut out = Vec::new();
    let refs = crate::store::plans::unit_refs(&state.db, &roots).await?;
    for unit in roots {
        let Some(levels) = crate::store::recognition::school_levels(&state.db, unit, today).await?
        else {
            continue;
        };
        let Some(unit_ref) = refs.get(&unit).cloned() else {
            continue;
        };
        out.push(MySchool {
            unit: unit_ref,
            year: crate::store::recognition::current_year(today),
            standard_offered: set.body.offered_to(&levels),
            history: crate::store::recognition::history(&state.db, unit).await?,
            awards: crate::store::emulation::awards_of(&state.db, unit).await?,
        });
    }
    Ok(out)
}

/// How the year's evaluation comes out over the caller's part of the tree: schools per band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationSummary {
    pub year: i32,
    pub schools: usize,
    /// Schools that entered their own evaluation (the rest score the reporting item only).
    pub assessed: usize,
    pub bands: Vec<(String, usize)>,
    pub set_version: i32,
}

#[server(endpoint = "recognition/evaluation", input = Json)]
pub async fn evaluation_by_band(year: i32) -> Result<EvaluationSummary, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewRecognition).await?;
    let scope = user.scope_for(&state.db, Action::ViewRecognition).await?;
    let today = crate::clock::today();
    let set =
        crate::store::recognition::current_set(&state.db, Programme::YearlyEvaluation).await?;
    let results =
        crate::store::recognition::yearly_evaluation(&state.db, year, &scope, today).await?;
    let bands = set
        .body
        .bands
        .iter()
        .map(|b| {
            let n = results
                .iter()
                .filter(|(_, o)| o.band.as_deref() == Some(b.name.as_str()))
                .count();
            (b.name.clone(), n)
        })
        .collect();
    let assessed = crate::store::recognition::assessed_count(
        &state.db,
        Programme::YearlyEvaluation,
        year,
        &scope,
        today,
    )
    .await?;
    Ok(EvaluationSummary {
        year,
        schools: results.len(),
        assessed,
        bands,
        set_version: set.version,
    })
}
