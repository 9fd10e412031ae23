//! Pages of recognition: the year's model schools (choosing them, the areas without one,
//! the decisions), a school's own recognitions, and one assessment (self-assessment with
//! evidence, the dossier, the reviewer's scores beside the school's, the history).

use super::api::{
    choosing, decide, evaluation_by_band, get_assessment, model_schools_of_year, my_schools,
    save_answers, AssessmentView, Move, OpenOwnAssessment, SelectSchool, OPEN_REFUSED,
};
use super::{
    assessment_url, file_upload_url, Answer, Answers, Assessment, AssessmentFile, AssessmentPosted,
    Choosing, Criterion, CriterionKind, DossierDocument, FormIntent, NewDecision, Outcome,
    Programme, Stage,
};
use crate::accounts::pages::provide_session;
use crate::accounts::Action as Permission;
use crate::components::{file_size, ErrorNotice, FilePicker, Loading, PageTitle, YearSelect};
use crate::i18n::{use_i18n, I18n};
use crate::nav::{use_navigate, use_params_map, use_query_map};
use crate::plans::pages::local_time;
use leptos::prelude::*;
use std::collections::BTreeMap;

fn stage_badge(stage: Stage, programme: Programme) -> impl IntoView {
    let class = match stage {
        Stage::Recognised => "badge badge-ok",
        Stage::NotRecognised => "badge badge-warn",
        _ => "badge badge-stage",
    };
    view! { <span class=class>{stage.label_in(programme)}</span> }
}

fn total(t: Option<u32>) -> String {
    t.map(|t| t.to_string()).unwrap_or_else(|| "—".into())
}

/// The year's model schools, and for a school its own recognitions.
#[cfg_attr(feature = "movement", island)]
#[cfg_attr(not(feature = "movement"), component)]
pub fn RecognitionPage() -> impl IntoView {
    let i = use_i18n();
    let session = provide_session();
    let query = use_query_map();
    let year = move || query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    let select_area =
        move || query.with_untracked(|q| q.get("select_area").and_then(|a| a.parse::<i64>().ok()));
    let programme = move || {
        query
            .with(|q| q.get("programme").and_then(|p| Programme::from_code(&p)))
            .filter(|p| *p == Programme::SafetyStandard)
            .unwrap_or(Programme::ModelSchool)
    };
    let reload = RwSignal::new(0u32);
    // What the last action did, kept outside the list it reloads.
    let flash = RwSignal::new(query.with_untracked(|q| q.get("selected")).map(|_| {
        (
            "Đã chọn; trường nhận được thông báo.",
            "Chosen; the school has been notified.",
        )
    }));
    let overview = Resource::new(
        move || (year(), programme(), reload.get()),
        |(y, p, _)| model_schools_of_year(y, Some(p)),
    );
    // The schools of the area asked for, read with the page so that choosing needs no bundle.
    let choosing = Resource::new(
        move || (year(), select_area(), reload.get()),
        |(y, a, _)| choosing(y, a),
    );
    let switch = move |p: Programme, vi: &'static str, en: &'static str| {
        view! {
            <a href=format!("/recognition?programme={}", p.code())
                class="switch-option" aria-current=move || (programme() == p).then_some("page")>
                {i.pick(vi, en)}
            </a>
        }
    };
    view! {
        <PageTitle text=i.pick("Điển hình và công nhận", "Recognition") />
        <h1>{i.pick("Điển hình và công nhận", "Recognition")}</h1>
        <p><a href="/recognition/criteria">{i.pick("Bộ tiêu chí (điển hình, tiêu chuẩn ANTT, đánh giá hằng năm)", "Criteria sets (model schools, the safety standard, the yearly evaluation)")}</a></p>
        <MySchools />
        <nav class="switch" aria-label=i.pick("Danh sách của", "List of")>
            {switch(Programme::ModelSchool, "Cơ sở giáo dục điển hình", "Model schools")}
            {switch(Programme::SafetyStandard, "Tiêu chuẩn “An toàn về an ninh, trật tự”", "The safety standard")}
        </nav>
        {move || flash.get().map(|(vi, en)| view! { <p class="notice notice-ok" role="status">{i.pick(vi, en)}</p> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let user = session.0.await.ok().flatten();
                let may = |p| user.as_ref().is_some_and(|u| u.may(p));
                let (select, decide) = (may(Permission::SelectModelSchools), may(Permission::DecideRecognition));
                match overview.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(o) => {
                        let programme = programme();
                        let select = select && programme == Programme::ModelSchool;
                        let choosing = if select { choosing.await.ok().flatten() } else { None };
                        view! { <YearView o programme choosing decide reload flash /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn YearView(
    o: super::YearOverview,
    programme: Programme,
    choosing: Option<Choosing>,
    decide: bool,
    reload: RwSignal<u32>,
    flash: RwSignal<Option<(&'static str, &'static str)>>,
) -> impl IntoView {
    let i = use_i18n();
    let year = o.year;
    let under_review: Vec<super::AssessmentRow> =
        o.rows.iter().filter(|r| r.recognisable).cloned().collect();
    let areas_without = o.areas_without.clone();
    // The standard is met or not: its criteria carry no points.
    let scored = programme != Programme::SafetyStandard;
    view! {
        <YearSelect id="recognition-year" year last=o.current_year + 1 action="/recognition"
            keep=vec![("programme", programme.code().to_string())] />
        {(!areas_without.is_empty()).then(|| {
            let n = areas_without.len();
            let names: Vec<String> = areas_without.iter().take(12).map(|a| a.name.clone()).collect();
            let more = n.saturating_sub(12);
            view! {
                <div class="notice notice-warn" role="status">
                    <p class="notice-title">{format!("{n} {} {year}", i.pick("khu vực chưa chọn cơ sở giáo dục điển hình năm", "areas have no model school for"))}</p>
                    <p>{names.join(", ")}{(more > 0).then(|| format!(" {} {more}", i.pick("và", "and")))}</p>
                </div>
            }
        })}
        {choosing.map(|choosing| view! { <SelectPanel year choosing reload flash /> })}
        <section aria-labelledby="schools-title">
            <h2 id="schools-title">{format!("{} {year}", i.pick("Danh sách trường năm", "Schools of"))}</h2>
            {if o.rows.is_empty() {
                view! { <p class="empty-state">{if programme == Programme::ModelSchool {
                    i.pick("Chưa có trường nào được chọn trong năm này.", "No school has been chosen this year.")
                } else {
                    i.pick("Chưa có trường nào đăng ký tiêu chuẩn trong năm này.", "No school has registered for the standard this year.")
                }}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label=i.pick("Bảng các trường được chọn", "Table of the chosen schools")>
                        <table class="data-table">
                            <thead><tr>
                                <th scope="col">{i.pick("Trường", "School")}</th>
                                <th scope="col">{i.pick("Khu vực", "Area")}</th>
                                <th scope="col">{i.pick("Bước", "Stage")}</th>
                                {scored.then(|| view! {
                                    <th scope="col">{i.pick("Tự chấm", "Self score")}</th>
                                    <th scope="col">{i.pick("Điểm xét", "Review score")}</th>
                                })}
                                <th scope="col">{i.pick("Kết quả", "Result")}</th>
                            </tr></thead>
                            <tbody>
                                {o.rows.iter().map(|r| view! {
                                    <tr>
                                        <td><a href=format!("/recognition/{}", r.id)>{r.unit.name.clone()}</a></td>
                                        <td>{r.area.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "Trực thuộc Sở".into())}</td>
                                        <td>{stage_badge(r.stage, programme)}</td>
                                        {scored.then(|| view! {
                                            <td class="count">{total(r.self_total)}</td>
                                            <td class="count">{total(r.review_total)}</td>
                                        })}
                                        <td>{r.band.clone().unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="decisions-title">
            <h2 id="decisions-title">{i.pick("Quyết định công nhận", "Recognition decisions")}</h2>
            {if o.decisions.is_empty() {
                view! { <p class="muted">{i.pick("Chưa có quyết định công nhận trong năm này.", "No decision this year yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {o.decisions.iter().map(|d| view! {
                            <li>
                                <strong>{format!("Quyết định số {}", d.number)}</strong>
                                <span class="as-of">{format!(" · {} · {} · {} trường ", d.signed_on, d.signer, d.schools)}</span>
                                <a href=format!("/recognition/decisions/{}/document.docx", d.id) download>
                                    {i.pick("Tải DOCX", "Download DOCX")}
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {(decide && !under_review.is_empty()).then(|| view! { <DecisionPanel programme year rows=under_review reload flash /> })}
        <EvaluationPanel year />
    }
}

/// Choosing a school of an area for the year: the area is a GET form (`select_area`, sent
/// as soon as it changes with the bundle) and the school a plain form posting the server
/// function, so both work without the bundle; with it the choice is made in place.
#[component]
fn SelectPanel(
    year: i32,
    choosing: Choosing,
    reload: RwSignal<u32>,
    flash: RwSignal<Option<(&'static str, &'static str)>>,
) -> impl IntoView {
    let i = use_i18n();
    let refused =
        use_query_map().with_untracked(|q| q.get("select").is_some_and(|v| v == "refused"));
    let enhanced = RwSignal::new(false);
    Effect::new(move |_| enhanced.set(true));
    let choose = ServerAction::<SelectSchool>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = choose.value().get() {
            flash.set(Some((
                "Đã chọn; trường nhận được thông báo.",
                "Chosen; the school has been notified.",
            )));
            reload.update(|n| *n += 1);
        }
    });
    let Choosing {
        areas,
        area,
        schools,
    } = choosing;
    view! {
        <section class="panel" aria-labelledby="select-title">
            <h2 id="select-title">{i.pick("Chọn trường xây dựng điển hình", "Choose a model school")}</h2>
            {refused.then(|| view! {
                <p class="notice notice-warn" role="alert">{i.pick(
                    "Chưa chọn được trường: trường có thể đã được chọn, hoặc không còn hoạt động.",
                    "The school was not chosen: it may have been chosen already, or be closed.",
                )}</p>
            })}
            <form method="get" action="/recognition" class="inline-form">
                <input type="hidden" name="year" value=year.to_string() />
                <div class="field">
                    <label for="select-area">{i.pick("Khu vực", "Area")}</label>
                    <select id="select-area" name="select_area" on:change=move |ev| {
                        let select: leptos::web_sys::HtmlSelectElement = event_target(&ev);
                        if let Some(form) = select.form() {
                            let _ = form.submit();
                        }
                    }>
                        {areas.iter().map(|a| view! {
                            <option value=a.id.to_string() selected=a.id == area>{a.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button-secondary" hidden=move || enhanced.get()>
                    {i.pick("Xem các trường", "Show the schools")}
                </button>
            </form>
            {match schools {
                list if list.is_empty() => view! {
                    <p class="muted">{i.pick("Khu vực này không còn trường nào để chọn.", "No school left to choose in this area.")}</p>
                }.into_any(),
                list => view! {
                    <ActionForm action=choose attr:class="stack">
                        <input type="hidden" name="year" value=year.to_string() />
                        <div class="field">
                            <label for="select-school">{i.pick("Trường", "School")}</label>
                            <select id="select-school" name="unit" required>
                                <option value="">{i.pick("— Chọn trường —", "— Choose —")}</option>
                                {list.into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name}</option> }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="button" disabled=move || choose.pending().get()>
                            {i.pick("Chọn trường này", "Choose this school")}
                        </button>
                    </ActionForm>
                }.into_any(),
            }}
            {move || choose.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
        </section>
    }
}

/// The year-end decision over the schools under review.
#[component]
fn DecisionPanel(
    programme: Programme,
    year: i32,
    rows: Vec<super::AssessmentRow>,
    reload: RwSignal<u32>,
    flash: RwSignal<Option<(&'static str, &'static str)>>,
) -> impl IntoView {
    let i = use_i18n();
    let chosen = RwSignal::new(Vec::<i64>::new());
    let number = RwSignal::new(String::new());
    let signed_on = RwSignal::new(format!("{year}-12-20"));
    let signer = RwSignal::new(String::new());
    let act = Action::new(move |_: &()| {
        decide(NewDecision {
            programme,
            year,
            number: number.get_untracked(),
            signed_on: signed_on.get_untracked(),
            signer: signer.get_untracked(),
            assessments: chosen.get_untracked(),
        })
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = act.value().get() {
            chosen.set(Vec::new());
            flash.set(Some((
                "Đã ghi quyết định; các trường nhận được thông báo.",
                "Decision recorded; the schools have been notified.",
            )));
            reload.update(|n| *n += 1);
        }
    });
    view! {
        <section class="panel" aria-labelledby="decide-title">
            <h2 id="decide-title">{i.pick("Ra quyết định công nhận", "Record a recognition decision")}</h2>
            <fieldset class="choice-group">
                <legend>{i.pick("Trường được công nhận", "Schools recognised")}</legend>
                {rows.into_iter().map(|r| {
                    let id = r.id;
                    let band = r.band.clone().unwrap_or_default();
                    let label = if programme == Programme::SafetyStandard {
                        format!("{} — {band}", r.unit.name)
                    } else {
                        format!("{} — {} điểm, {band}", r.unit.name, total(r.review_total))
                    };
                    view! {
                        <label class="choice">
                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                                } />
                            {label}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="decision-number">{i.pick("Số quyết định", "Number")}</label>
                <input id="decision-number" type="text" maxlength="60" placeholder="125/QĐ-SGDĐT"
                    prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="decision-date">{i.pick("Ngày ký", "Signed on")}</label>
                <input id="decision-date" type="date" prop:value=move || signed_on.get()
                    on:input=move |ev| signed_on.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="decision-signer">{i.pick("Người ký", "Signer")}</label>
                <input id="decision-signer" type="text" maxlength="120" prop:value=move || signer.get()
                    on:input=move |ev| signer.set(event_target_value(&ev)) />
            </div>
            <button type="button" class="button" disabled=move || act.pending().get()
                on:click=move |_| { act.dispatch(()); }>
                {i.pick("Ghi quyết định", "Record the decision")}
            </button>
            {move || act.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
        </section>
    }
}

/// The yearly evaluation of the schools in view, by band.
#[component]
fn EvaluationPanel(year: i32) -> impl IntoView {
    let i = use_i18n();
    let summary = crate::components::browser_resource(move || year, evaluation_by_band);
    view! {
           <section aria-labelledby="evaluation-title">
               <h2 id="evaluation-title">{format!("{} {year}", i.pick("Đánh giá, phân loại phong trào năm", "Yearly evaluation"))}</h2>
               {move || {match crate::components::loaded(summary) {
    None => view! { <Loading /> }.into_any(),
    Some(value) => {
                       match value {
                           Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                           Ok(s) if s.assessed == 0 => view! {
                               <p class="muted">{i.pick("Chưa có trường nào tự đánh giá phong trào năm này.", "No school has evaluated itself for this year yet.")}</p>
                           }.into_any(),
                           Ok(s) => view! {
                               <p class="muted">{format!("{} {} {}; {}",
                                   s.schools, i.pick("trường; bộ tiêu chí phiên bản", "schools; criteria version"), s.set_version,
                                   i.pick("tiêu chí chế độ báo cáo lấy từ tỉ lệ báo cáo đúng hạn trong năm.", "the reporting item comes from the year's on-time reports."))}</p>
                               <ul class="stats">
                                   {s.bands.iter().map(|(name, n)| view! {
                                       <li class="stat"><span class="stat-value">{*n}</span><span class="stat-label">{name.clone()}</span></li>
                                   }).collect_view()}
                               </ul>
                           }.into_any(),
                       }
                   }.into_any(),
    }}}
           </section>
       }
}

/// A school's own recognitions and the standard it may register for.
#[component]
fn MySchools() -> impl IntoView {
    let i = use_i18n();
    // Read as the page is made, so that a school sees its list and its forms without the
    // bundle.
    let mine = Resource::new(|| (), |_| my_schools());
    let open = ServerAction::<OpenOwnAssessment>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = open.value().get() {
            navigate(&format!("/recognition/{id}"), Default::default());
        }
    });
    let refused = use_query_map().with_untracked(|q| {
        let (name, value) = OPEN_REFUSED.split_once('=').unwrap_or_default();
        q.get_str(name) == Some(value)
    });
    // One plain form per programme a school opens itself.
    let open_form = move |programme: Programme, year: i32, unit: i64, label: String| {
        view! {
            <ActionForm action=open attr:class="inline-form">
                <input type="hidden" name="programme" value=programme.code() />
                <input type="hidden" name="year" value=year.to_string() />
                <input type="hidden" name="unit" value=unit.to_string() />
                <button type="submit" class="button button-secondary" disabled=move || open.pending().get()>
                    {label}
                </button>
            </ActionForm>
        }
    };
    view! {
        {refused.then(|| view! {
            <p class="notice notice-warn" role="alert">{i.pick(
                "Chưa mở được hồ sơ: trường có thể đã đăng ký, hoặc chương trình không áp dụng cho trường.",
                "The assessment was not opened: the school may have registered already, or the programme does not apply to it.",
            )}</p>
        })}
        {move || open.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
        <Suspense fallback=|| ()>
           {move || Suspend::new(async move {match mine.await {
                       Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                       Ok(list) => list.into_iter().map(|s| {
                           let unit = s.unit.id;
                           let year = s.year;
                           let registered = s.history.iter().any(|h| h.programme == Programme::SafetyStandard && h.year == year);
                           let evaluating = s.history.iter().any(|h| h.programme == Programme::YearlyEvaluation && h.year == year);
                           view! {
                               <section class="panel" aria-labelledby=format!("mine-{unit}")>
                                   <h2 id=format!("mine-{unit}")>{s.unit.name.clone()}</h2>
                                   {if s.history.is_empty() {
                                       view! { <p class="muted">{i.pick("Trường chưa có hồ sơ công nhận nào.", "No recognition yet.")}</p> }.into_any()
                                   } else {
                                       view! {
                                           <ul class="report-list">
                                               {s.history.iter().map(|h| view! {
                                                   <li class="report-card">
                                                       <a class="plan-title" href=format!("/recognition/{}", h.assessment)>
                                                           {format!("{} — {}", h.programme.label(), h.year)}
                                                       </a>
                                                       <div class="unit-meta">
                                                           {stage_badge(h.stage, h.programme)}
                                                           {h.band.clone().map(|b| view! { <span>{b}</span> })}
                                                           {h.decision.clone().map(|d| view! { <span>{format!("QĐ số {} ngày {}", d.number, d.signed_on)}</span> })}
                                                       </div>
                                                   </li>
                                               }).collect_view()}
                                           </ul>
                                       }.into_any()
                                   }}
                                   {(!s.awards.is_empty()).then(|| view! {
                                       <h3>{i.pick("Khen thưởng", "Awards")}</h3>
                                       <ul class="report-list">
                                           {s.awards.iter().map(|a| view! {
                                               <li class="report-card">
                                                   <span class="plan-title">{a.form.clone()}</span>
                                                   <div class="unit-meta">
                                                       <span>{a.nominee.clone()}</span>
                                                       <span>{format!("QĐ số {} ngày {}", a.decision.number, a.decision.signed_on.format("%d/%m/%Y"))}</span>
                                                   </div>
                                               </li>
                                           }).collect_view()}
                                       </ul>
                                   })}
                                   {if !s.standard_offered {
                                       view! { <p class="hint">{i.pick("Tiêu chuẩn “An toàn về an ninh, trật tự” không áp dụng cho trường mầm non, nhà trẻ và tiểu học.", "The safety standard does not apply to preschools and primary schools.")}</p> }.into_any()
                                   } else if registered {
                                       ().into_any()
                                   } else {
                                       open_form(
                                           Programme::SafetyStandard,
                                           year,
                                           unit,
                                           i.pick("Đăng ký tiêu chuẩn “An toàn về an ninh, trật tự”", "Register for the safety standard").to_string(),
                                       ).into_any()
                                   }}
                                   {(!evaluating).then(|| open_form(
                                       Programme::YearlyEvaluation,
                                       year,
                                       unit,
                                       format!("{} {year}", i.pick("Tự đánh giá phong trào năm", "Evaluate the movement for")),
                                   ))}
                               </section>
                           }
                       }).collect_view().into_any(),
           }})}
        </Suspense>
    }
}

/// One assessment, read as the page is made. The criteria, the files and every button are
/// one plain multipart form posting to the page's own address, so a school fills, attaches
/// and files, and a reviewer scores and returns, without the bundle; once hydrated, the score
/// follows the answers as they are typed, a file uploads once picked and "Lưu" saves in place.
#[component]
pub fn AssessmentPage() -> impl IntoView {
    let i = use_i18n();
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let done =
        use_query_map().with_untracked(|q| q.get("done").and_then(|d| FormIntent::from_code(&d)));
    let view_data = Resource::new(
        || (),
        move |_| async move {
            match id {
                Some(id) => get_assessment(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match view_data.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(v) => {
                        let posted = use_context::<AssessmentPosted>()
                            .filter(|p| p.id == v.assessment.id);
                        let done = done.filter(|_| posted.is_none());
                        view! {
                            <PageTitle text=format!("{} — {}", v.assessment.unit.name, v.assessment.programme.label()) />
                            <AssessmentHead a=v.assessment.clone() />
                            {done.map(|d| view! {
                                <p class="notice notice-ok" role="status" data-testid="assessment-done">{done_text(d, i)}</p>
                            })}
                            <AssessmentForm v=v.clone() posted />
                            <AssessmentHistory a=v.assessment />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
        <p><a href="/recognition">{i.pick("← Danh sách điển hình", "← Model schools")}</a></p>
    }
}

/// What the page says after the form was taken.
fn done_text(intent: FormIntent, i: I18n) -> &'static str {
    match intent {
        FormIntent::Save | FormIntent::SaveReview => i.pick("Đã lưu.", "Saved."),
        FormIntent::Generate => i.pick(
            "Đã tạo báo cáo kết quả và đưa vào hồ sơ.",
            "The results report was generated into the dossier.",
        ),
        FormIntent::Move(_) => i.pick(
            "Đã lưu và chuyển hồ sơ sang bước mới.",
            "Saved, and the assessment moved on.",
        ),
    }
}

/// The assessment's name, programme and stages, and its decision.
#[component]
fn AssessmentHead(a: Assessment) -> impl IntoView {
    let i = use_i18n();
    let stage = a.stage;
    let steps: &[Stage] = match a.programme {
        Programme::ModelSchool => &[
            Stage::Selected,
            Stage::Building,
            Stage::SelfAssessed,
            Stage::Filed,
            Stage::UnderReview,
        ],
        Programme::SafetyStandard => &[
            Stage::Selected,
            Stage::SelfAssessed,
            Stage::Filed,
            Stage::UnderReview,
        ],
        Programme::YearlyEvaluation => &[Stage::Selected, Stage::SelfAssessed],
    };
    let position = Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
    view! {
        <h1>{a.unit.name.clone()}</h1>
        <p class="lead">
            {format!("{} · {} {}", a.programme.label(), i.pick("năm", "year"), a.year)}
            {a.area.as_ref().map(|ar| format!(" · {}", ar.name))}
        </p>
        <ol class="pipeline" aria-label=i.pick("Các bước", "Stages")>
            {steps.iter().map(|s| {
                let at = Stage::ALL.iter().position(|x| x == s).unwrap_or(0);
                let state = if *s == stage { "current" } else if at < position { "done" } else { "ahead" };
                view! {
                    <li class=format!("pipeline-step pipeline-{state}") aria-current=(state == "current").then_some("step")>
                        {s.label_in(a.programme)}
                    </li>
                }
            }).collect_view()}
            {matches!(stage, Stage::Recognised | Stage::NotRecognised).then(|| view! {
                <li class="pipeline-step pipeline-current" aria-current="step">{stage.label()}</li>
            })}
        </ol>
        {a.decision.clone().map(|d| view! {
            <p class="notice notice-ok">
                {format!("Được công nhận theo Quyết định số {} ngày {} ({}).", d.number, d.signed_on, d.signer)}
                " "<a href=format!("/recognition/decisions/{}/document.docx", d.id) download>{i.pick("Tải quyết định (DOCX)", "Download the decision (DOCX)")}</a>
            </p>
        })}
        {a.set.body.caveat.clone().map(|c| view! { <p class="notice notice-warn">{c}</p> })}
        <p class="hint">{format!("{} — {} (phiên bản {})", a.set.body.title, a.set.body.basis, a.set.version)}</p>
    }
}

#[component]
fn AssessmentHistory(a: Assessment) -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{i.pick("Lịch sử", "History")}</h2>
            <ol class="history">
                {a.history.iter().map(|e| view! {
                    <li>
                        <strong>{e.stage.label()}</strong>
                        <span class="as-of">{format!(" · {} · {}", local_time(&e.at), e.by)}</span>
                        {(!e.note.is_empty()).then(|| view! { <p>{e.note.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The text of an answer field now: what the page shows in it, read back from the page once
/// the bundle runs (what was typed before it arrived included).
#[cfg(feature = "hydrate")]
fn field_text(id: &str) -> Option<String> {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{HtmlInputElement, HtmlSelectElement};
    let element = document().get_element_by_id(id)?;
    match element.dyn_into::<HtmlInputElement>() {
        Ok(input) => Some(input.value()),
        Err(e) => e.dyn_into::<HtmlSelectElement>().ok().map(|s| s.value()),
    }
}

#[cfg(not(feature = "hydrate"))]
fn field_text(_id: &str) -> Option<String> {
    None
}

/// Whether a file is chosen in the file input `id` and not sent yet.
#[cfg(feature = "hydrate")]
fn file_chosen(id: &str) -> bool {
    use leptos::wasm_bindgen::JsCast;
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        .and_then(|e| e.files())
        .is_some_and(|f| f.length() > 0)
}

#[cfg(not(feature = "hydrate"))]
fn file_chosen(_id: &str) -> bool {
    false
}

/// The id of a file slot's input.
fn file_input_id(slot: &str) -> String {
    format!("file-{}", slot.replace([':', '.'], "-"))
}

/// The form of an assessment: the criteria with the answers of the side that may change them
/// now, the files, the dossier and the buttons.
#[cfg_attr(feature = "movement", island)]
#[cfg_attr(not(feature = "movement"), component)]
fn AssessmentForm(v: AssessmentView, posted: Option<AssessmentPosted>) -> impl IntoView {
    let a = v.assessment.clone();
    let id = a.id;
    let stage = a.stage;
    let school_edits = v.may_assess
        && matches!(
            stage,
            Stage::Selected | Stage::Building | Stage::SelfAssessed
        );
    let reviewing = v.may_review && stage == Stage::UnderReview;
    let files = RwSignal::new(a.files.clone());
    let version = RwSignal::new(v.version);
    let body = StoredValue::new(a.set.body.clone());
    // The side's answers as the page shows them: the server's, or what a refused post sent.
    let fields = posted
        .as_ref()
        .map(|p| p.fields.clone())
        .unwrap_or_default();
    let start = |stored: &Answers, editable: bool| {
        if editable && posted.is_some() {
            body.with_value(|b| b.answers_from_form(|name| fields.get(name).cloned()).0)
        } else {
            stored.clone()
        }
    };
    let self_answers = RwSignal::new(start(&a.self_answers, school_edits));
    let review_answers = RwSignal::new(start(&a.review_answers, reviewing));
    let editing = if reviewing {
        review_answers
    } else {
        self_answers
    };
    let prefix = if reviewing { "review" } else { "self" };
    // Every answer field read back from the page.
    let read_page = move || {
        body.with_value(|b| {
            b.answers_from_form(|name| {
                let key = name.strip_prefix("answer:")?;
                field_text(&format!("{prefix}-{key}"))
            })
            .0
        })
    };
    // Taken once hydrated: what was typed while the bundle was on its way.
    Effect::new(move |first: Option<()>| {
        if first.is_none() && (school_edits || reviewing) {
            editing.set(read_page());
        }
    });
    let save = Action::new(move |review: &bool| {
        save_answers(
            id,
            *review,
            editing.get_untracked(),
            version.get_untracked(),
        )
    });
    Effect::new(move |_| {
        if let Some(Ok(v)) = save.value().get() {
            version.set(v);
        }
    });
    let slots: Vec<String> = a
        .set
        .body
        .criteria()
        .filter(|c| c.source.is_none())
        .map(|c| format!("item:{}", c.key))
        .chain(
            DossierDocument::ALL
                .iter()
                .map(|d| format!("dossier:{}", d.code())),
        )
        .collect();
    // "Lưu" saves in place when nothing but answers is to be sent; files chosen before the
    // bundle arrived, and every other button, go as the plain form.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let intent = ev
            .submitter()
            .and_then(|b| b.get_attribute("value"))
            .and_then(|code| FormIntent::from_code(&code));
        let in_place = matches!(intent, Some(FormIntent::Save | FormIntent::SaveReview));
        if in_place && !slots.iter().any(|s| file_chosen(&file_input_id(s))) {
            ev.prevent_default();
            editing.set(read_page());
            save.dispatch(reviewing);
        }
    };
    let problems = posted
        .as_ref()
        .map(|p| p.problems.clone())
        .unwrap_or_default();
    let note = posted.as_ref().map(|p| p.note.clone()).unwrap_or_default();
    view! {
        <form method="post" action=assessment_url(id) enctype="multipart/form-data"
            class="assessment-form" on:submit=on_submit
            on:input=move |_| if school_edits || reviewing { editing.set(read_page()) }
            on:change=move |_| if school_edits || reviewing { editing.set(read_page()) }>
            <input type="hidden" name="version" value=v.version.to_string() prop:value=move || version.get().to_string() />
            {posted.clone().map(|p| view! { <ErrorNotice error=p.error /> })}
            <Criteria v=v.clone() school_edits reviewing files self_answers review_answers fields problems save />
            {(a.programme == Programme::ModelSchool).then(|| view! { <Dossier v=v.clone() school_edits files /> })}
            <Moves v=v.clone() note />
        </form>
    }
}

fn outcome_view(outcome: &Outcome, i: I18n) -> impl IntoView {
    let band = outcome
        .band
        .clone()
        .unwrap_or_else(|| "chưa đạt mức nào".into());
    view! {
        <p class="outcome">
            <strong>{format!("{}/{} ", outcome.total, outcome.max)}</strong>
            {i.pick("điểm · ", "points · ")}<strong>{band}</strong>
        </p>
        {(!outcome.shortfalls.is_empty()).then(|| view! {
            <ul class="shortfalls">
                {outcome.shortfalls.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}
            </ul>
        })}
    }
}

/// The criteria: the school's answers (editable while it builds), the reviewer's beside
/// them (editable under review), evidence per criterion.
#[component]
#[allow(clippy::too_many_arguments)]
fn Criteria(
    v: AssessmentView,
    school_edits: bool,
    reviewing: bool,
    files: RwSignal<Vec<AssessmentFile>>,
    self_answers: RwSignal<Answers>,
    review_answers: RwSignal<Answers>,
    fields: BTreeMap<String, String>,
    problems: Vec<(String, String)>,
    save: Action<bool, Result<i64, crate::error::AppError>>,
) -> impl IntoView {
    let i = use_i18n();
    let a = v.assessment.clone();
    let id = a.id;
    let show_review = reviewing || a.review_outcome.is_some();
    let body = StoredValue::new(a.set.body.clone());
    let live_self = move || body.with_value(|b| b.score(&self_answers.get()));
    let live_review = move || body.with_value(|b| b.score(&review_answers.get()));
    let sides = Sides {
        school_edits,
        reviewing,
        show_review,
    };
    view! {
        <section class="panel" aria-labelledby="criteria-title">
            <h2 id="criteria-title">{i.pick("Tiêu chí", "Criteria")}</h2>
            {a.set.body.groups.iter().map(|g| view! {
                <h3>{g.title.clone()}</h3>
                {g.items.iter().map(|c| {
                    let typed = fields.get(&super::answer_field(&c.key)).cloned();
                    let problem = problems.iter().find(|(k, _)| *k == c.key).map(|(_, m)| m.clone());
                    view! {
                        <CriterionRow c=c.clone() id self_answers=a.self_answers.clone()
                            review_answers=a.review_answers.clone() sides typed problem files />
                    }
                }).collect_view()}
            }).collect_view()}
            <h3>{i.pick("Tự đánh giá", "Self-assessment")}</h3>
            {move || outcome_view(&live_self(), i)}
            {show_review.then(|| view! {
                <h3>{i.pick("Điểm của người xét", "Reviewer's score")}</h3>
                {move || outcome_view(&live_review(), i)}
            })}
            {(school_edits || reviewing).then(|| {
                let intent = if reviewing { FormIntent::SaveReview } else { FormIntent::Save };
                view! {
                    <div class="actions">
                        <button type="submit" name="do" value=intent.code() class="button" disabled=move || save.pending().get()>
                            {if reviewing { i.pick("Lưu điểm xét", "Save the review scores") } else { i.pick("Lưu tự đánh giá", "Save the self-assessment") }}
                        </button>
                    </div>
                }
            })}
            {move || save.value().get().map(|r| match r {
                Ok(_) => view! { <p class="save-ok" role="status">{i.pick("Đã lưu.", "Saved.")}</p> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
            })}
        </section>
    }
}

/// Which answers a row shows and which it lets the caller change.
#[derive(Clone, Copy)]
struct Sides {
    school_edits: bool,
    reviewing: bool,
    show_review: bool,
}

/// One answer's control. Named (sent with the form) only when the caller may change it;
/// it shows `typed` (what a refused post sent) or the stored answer.
fn answer_input(
    c: &Criterion,
    answer: Option<&Answer>,
    typed: Option<String>,
    editable: bool,
    input_id: String,
    label: String,
    error_id: Option<String>,
) -> AnyView {
    let text = typed.unwrap_or_else(|| c.answer_text(answer));
    let name = editable.then(|| super::answer_field(&c.key));
    let invalid = error_id.is_some().then_some("true");
    match c.kind.clone() {
        CriterionKind::Points { max } => view! {
            <span class="with-unit">
            <input id=input_id type="number" inputmode="numeric" min="0" max=max.to_string() disabled=!editable
                name=name aria-label=label value=text aria-invalid=invalid aria-describedby=error_id />
            <span class="unit">{format!("/ {max}")}</span>
            </span>
        }.into_any(),
        CriterionKind::PassFail { .. } => view! {
            <select id=input_id disabled=!editable aria-label=label name=name aria-invalid=invalid aria-describedby=error_id>
                <option value="" selected=text.is_empty()>"—"</option>
                <option value="yes" selected=text == "yes">"Đạt"</option>
                <option value="no" selected=text == "no">"Chưa đạt"</option>
            </select>
        }.into_any(),
        CriterionKind::Threshold { unit, min, .. } => view! {
            <span class="with-unit">
            <input id=input_id type="text" inputmode="decimal" disabled=!editable aria-label=label
                name=name value=text aria-invalid=invalid aria-describedby=error_id />
            <span class="unit">{format!("{unit} (≥ {})", crate::reports::format_number(min))}</span>
            </span>
        }.into_any(),
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn CriterionRow(
    c: Criterion,
    id: i64,
    self_answers: Answers,
    review_answers: Answers,
    sides: Sides,
    typed: Option<String>,
    problem: Option<String>,
    files: RwSignal<Vec<AssessmentFile>>,
) -> impl IntoView {
    let i = use_i18n();
    let from_reports = c.source.is_some();
    let slot = format!("item:{}", c.key);
    let self_label = format!("Tự đánh giá tiêu chí {}", c.key);
    let review_label = format!("Điểm xét tiêu chí {}", c.key);
    let error_id = problem
        .as_ref()
        .map(|_| format!("answer-error-{}", c.key.replace('.', "-")));
    let (self_typed, review_typed) = if sides.reviewing {
        (None, typed)
    } else {
        (typed, None)
    };
    view! {
        <div class="criterion">
            <p class="criterion-text"><strong>{c.key.clone()}</strong>" "{c.text.clone()}
                {c.evidence_required.then(|| view! { <span class="required">{i.pick(" (cần minh chứng)", " (evidence required)")}</span> })}
            </p>
            {if from_reports {
                view! { <p class="hint">{i.pick("Tự tính từ tỉ lệ báo cáo định kỳ nộp đúng hạn trong năm.", "Computed from the year's on-time reports.")}</p> }.into_any()
            } else {
                view! {
                    <div class="criterion-answers">
                        <div class="field">
                            <label for=format!("self-{}", c.key)>{i.pick("Trường tự chấm", "School")}</label>
                            {answer_input(&c, self_answers.get(&c.key), self_typed, sides.school_edits,
                                format!("self-{}", c.key), self_label, error_id.clone().filter(|_| !sides.reviewing))}
                        </div>
                        {sides.show_review.then(|| view! {
                            <div class="field">
                                <label for=format!("review-{}", c.key)>{i.pick("Người xét chấm", "Reviewer")}</label>
                                {answer_input(&c, review_answers.get(&c.key), review_typed, sides.reviewing,
                                    format!("review-{}", c.key), review_label, error_id.clone().filter(|_| sides.reviewing))}
                            </div>
                        })}
                    </div>
                    {problem.zip(error_id).map(|(p, eid)| view! { <p class="field-error" id=eid>{p}</p> })}
                }.into_any()
            }}
            {(!from_reports).then(|| view! {
                <FileSlot id slot_name=slot label=format!("Minh chứng tiêu chí {}", c.key) editable=sides.school_edits files />
            })}
        </div>
    }
}

/// One file slot: the file there is, and while the school may edit, a picker to replace it
/// (a file field of the form until the bundle uploads on picking).
#[component]
fn FileSlot(
    id: i64,
    slot_name: String,
    label: String,
    editable: bool,
    files: RwSignal<Vec<AssessmentFile>>,
) -> impl IntoView {
    let i = use_i18n();
    let slot = StoredValue::new(slot_name);
    let current = move || {
        files.with(|f| {
            f.iter()
                .find(|f| slot.with_value(|s| &f.slot == s))
                .cloned()
        })
    };
    let input_id = slot.with_value(|s| file_input_id(s));
    let url = file_upload_url(id, &slot.get_value());
    let on_uploaded = Callback::new(move |answer: serde_json::Value| {
        if let Ok(list) = serde_json::from_value::<Vec<AssessmentFile>>(answer) {
            files.set(list);
        }
    });
    view! {
        <div class="file-slot">
            {move || match current() {
                Some(f) => view! {
                    <a class="evidence-file" href=format!("/recognition-files/{}", f.id) download>
                        {f.file_name.clone()}<span class="as-of">{format!(" ({})", file_size(f.size))}</span>
                    </a>
                }.into_any(),
                None => view! { <span class="muted">{i.pick("Chưa có tệp", "No file yet")}</span> }.into_any(),
            }}
            {editable.then(|| view! {
                <FilePicker url input_id label has_file=Signal::derive(move || current().is_some()) on_uploaded
                    name=super::file_field(&slot.get_value()) />
            })}
        </div>
    }
}

/// The dossier's three documents.
#[component]
fn Dossier(
    v: AssessmentView,
    school_edits: bool,
    files: RwSignal<Vec<AssessmentFile>>,
) -> impl IntoView {
    let i = use_i18n();
    let id = v.assessment.id;
    view! {
        <section class="panel" aria-labelledby="dossier-title">
            <h2 id="dossier-title">{i.pick("Hồ sơ đề nghị công nhận", "Dossier")}</h2>
            <p class="hint">{i.pick("Đủ ba văn bản mới nộp được hồ sơ.", "All three documents are needed to file.")}</p>
            <ol class="dossier">
                {DossierDocument::ALL.into_iter().map(|d| view! {
                    <li>
                        <p><strong>{d.label()}</strong></p>
                        {(d == DossierDocument::ResultsReport && school_edits).then(|| view! {
                            <button type="submit" name="do" value=FormIntent::Generate.code() class="button button-secondary">
                                {i.pick("Tạo báo cáo từ bản tự đánh giá (DOCX)", "Generate from the self-assessment (DOCX)")}
                            </button>
                        })}
                        <FileSlot id slot_name=format!("dossier:{}", d.code()) label=d.label().to_string() editable=school_edits files />
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The moves the caller may make from here: buttons of the form, which keeps the answers and
/// files sent with them first.
#[component]
fn Moves(v: AssessmentView, note: String) -> impl IntoView {
    let i = use_i18n();
    let a = &v.assessment;
    let mut moves: Vec<(Move, &'static str, &'static str, bool)> = Vec::new();
    if v.may_assess {
        match a.stage {
            Stage::Selected if a.programme != Programme::ModelSchool => moves.push((
                Move::FinishSelfAssessment,
                "Hoàn thành tự đánh giá",
                "Finish the self-assessment",
                false,
            )),
            Stage::SelfAssessed if a.programme == Programme::YearlyEvaluation => {}
            Stage::Selected => moves.push((
                Move::StartBuilding,
                "Bắt đầu xây dựng",
                "Start building",
                false,
            )),
            Stage::Building => moves.push((
                Move::FinishSelfAssessment,
                "Hoàn thành tự đánh giá",
                "Finish the self-assessment",
                false,
            )),
            Stage::SelfAssessed if a.programme == Programme::ModelSchool => {
                moves.push((Move::File, "Nộp hồ sơ", "File the dossier", false))
            }
            Stage::SelfAssessed => moves.push((
                Move::File,
                "Gửi đề nghị công nhận",
                "Ask for recognition",
                false,
            )),
            _ => {}
        }
    }
    if v.may_review {
        match a.stage {
            Stage::Filed => {
                moves.push((Move::StartReview, "Bắt đầu xét", "Start the review", false));
                moves.push((
                    Move::ReturnToSchool,
                    "Trả lại để bổ sung",
                    "Return for changes",
                    true,
                ));
            }
            Stage::UnderReview => {
                moves.push((
                    Move::ReturnToSchool,
                    "Trả lại để bổ sung",
                    "Return for changes",
                    true,
                ));
                moves.push((
                    Move::NotRecognised,
                    "Kết luận chưa đạt",
                    "Conclude: not reached",
                    true,
                ));
            }
            _ => {}
        }
    }
    let needs_note = moves.iter().any(|m| m.3);
    let under_review_note = (a.stage == Stage::UnderReview && v.may_decide).then(|| view! {
        <p class="hint">{i.pick("Trường đạt: ghi quyết định công nhận ở trang danh sách điển hình.", "To recognise: record the decision on the model-school list.")}</p>
    });
    (!moves.is_empty() || under_review_note.is_some()).then(|| view! {
        <section class="panel" aria-labelledby="moves-title">
            <h2 id="moves-title">{i.pick("Thao tác", "Actions")}</h2>
            {needs_note.then(|| view! {
                <div class="field">
                    <label for="move-note">{i.pick("Ý kiến, lý do (bắt buộc khi trả lại hoặc kết luận chưa đạt)", "Comment (required to return or conclude)")}</label>
                    <textarea id="move-note" name="note" rows="3" maxlength="2000">{note}</textarea>
                </div>
            })}
            <div class="actions">
                {moves.into_iter().map(|(m, vi, en, secondary)| view! {
                    <button type="submit" name="do" value=FormIntent::Move(m).code()
                        class=if secondary { "button button-secondary" } else { "button" }>
                        {i.pick(vi, en)}
                    </button>
                }).collect_view()}
            </div>
            {under_review_note}
        </section>
    })
}
