//! How units carry out an issued plan: each unit's checklist with a date and an evidence
//! file per step, and the pilot sites of the 19/8 day chosen by the department and the areas.

use super::api::{
    delete_evidence, mark_step, my_deployments, pilot_choices, plan_pilots, SetPilot, PILOT_REFUSED,
};
use super::pages::{status_badge, step_name};
use super::{
    evidence_upload_url, evidence_url, step_form_url, AreaPilots, DeployStep, Deployment,
    PilotBoard, PilotKind, PilotSite, StepMark, StepPosted, MAX_EVIDENCE_BYTES,
};
use crate::components::{file_size, ErrorNotice, Loading, PageTitle};
use crate::i18n::{use_i18n, I18n};
use leptos::prelude::*;

#[component]
pub fn DeploymentsPage() -> impl IntoView {
    let i = use_i18n();
    let list = Resource::new(|| (), |_| my_deployments());
    view! {
        <PageTitle text=i.pick("Triển khai kế hoạch", "Plan deployment") />
        <h1>{i.pick("Triển khai kế hoạch", "Plan deployment")}</h1>
        <p class="lead">{i.pick(
            "Các kế hoạch đơn vị đã nhận. Đánh dấu từng bước khi hoàn thành và đính kèm minh chứng (biên bản, ảnh, kế hoạch của đơn vị).",
            "Plans your unit received. Mark each step when it is done and attach evidence (minutes, photos, your own plan).",
        )}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(items) if items.is_empty() => view! {
                        <section class="empty-state">
                            <h2>{i.pick("Chưa có kế hoạch nào được gửi đến đơn vị", "No plan has been sent to your unit")}</h2>
                        </section>
                    }.into_any(),
                    Ok(items) => items.into_iter().map(|d| {
                        // A step's plain form the server did not take, shown at its step.
                        let posted = use_context::<StepPosted>()
                            .filter(|p| p.plan == d.plan.id && p.unit == d.unit.id);
                        view! { <Checklist deployment=d posted /> }
                    }).collect_view().into_any(),
                }
            })}
        </Suspense>
    }
}

/// A unit's checklist of one plan. Each step is a plain multipart form (done or not, an
/// evidence file, removing it) with its own "Lưu" button, which works without the bundle;
/// once hydrated, ticking a step or picking a file saves at once and the button is hidden.
#[cfg_attr(feature = "school", island)]
#[cfg_attr(not(feature = "school"), component)]
fn Checklist(deployment: Deployment, posted: Option<StepPosted>) -> impl IntoView {
    let i = use_i18n();
    let marks = RwSignal::new(deployment.steps.clone());
    let plan = deployment.plan.id;
    let unit = deployment.unit.id;
    let may = deployment.may_mark;
    let enhanced = RwSignal::new(false);
    Effect::new(move |_| enhanced.set(true));
    let toggle = Action::new(move |(step, done): &(DeployStep, bool)| {
        mark_step(plan, unit, *step, *done, None, String::new())
    });
    Effect::new(move |_| {
        if let Some(Ok(updated)) = toggle.value().get() {
            marks.set(updated);
        }
    });
    let heading_id = format!("plan-{plan}-{unit}");
    let labelled_by = heading_id.clone();
    view! {
        <section class="checklist" aria-labelledby=labelled_by>
            <h2 id=heading_id>
                <a href=format!("/plans/{plan}")>{deployment.plan.title.clone()}</a>
            </h2>
            <div class="unit-meta">
                {status_badge(deployment.plan.status, i)}
                {(!deployment.plan.number.is_empty()).then(|| view! { <span>{format!("Số {}", deployment.plan.number)}</span> })}
                <span>{deployment.unit.name.clone()}</span>
                {deployment.pilot.then(|| view! {
                    <span class="badge">{i.pick("Điểm tổ chức Ngày hội 19/8", "Pilot site of the 19/8 day")}</span>
                })}
            </div>
            <ul class="steps">
                {DeployStep::ALL.into_iter().map(|s| {
                    let mark = move || marks.with(|m| m.iter().find(|x| x.step == s).cloned());
                    let done_on = move || mark().and_then(|m| m.done_on);
                    let input_id = format!("step-{plan}-{unit}-{}", s.code());
                    let problem = posted.clone().filter(|p| p.step == s);
                    let asked = problem.as_ref().map(|p| p.done);
                    let checked = move || asked.unwrap_or_else(|| done_on().is_some());
                    let item_id = format!("{input_id}-item");
                    view! {
                        <li class="step" class:step-done=move || done_on().is_some() id=item_id>
                            <form method="post" action=step_form_url(plan, unit, s) enctype="multipart/form-data"
                                class="step-form" on:submit=|ev| ev.prevent_default()>
                                <div class="step-line">
                                    <input type="checkbox" id=input_id.clone() name="done" value="1"
                                        disabled=move || !may || toggle.pending().get()
                                        checked=checked prop:checked=checked
                                        on:change=move |ev| { toggle.dispatch((s, event_target_checked(&ev))); } />
                                    <label for=input_id>
                                        <span>{step_name(s, i.lang())}</span>
                                        <span class="step-date">{move || done_on().map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()}</span>
                                    </label>
                                </div>
                                <EvidenceControl plan unit step=s may marks enhanced />
                                {may.then(|| view! {
                                    <button type="submit" class="tool step-save" hidden=move || enhanced.get()>
                                        {i.pick("Lưu", "Save")}
                                        <span class="visually-hidden">{format!(" — {}", step_name(s, i.lang()))}</span>
                                    </button>
                                })}
                            </form>
                            {problem.map(|p| view! { <ErrorNotice error=p.error /> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || toggle.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
        </section>
    }
}

/// The evidence of one step: a link to the file, and for the unit a picker to attach or
/// replace it and a removal. Without the bundle the picker is the browser's own and the
/// removal a box ticked before "Lưu"; with it a file uploads once picked, and removal asks
/// again before it happens.
#[component]
fn EvidenceControl(
    plan: i64,
    unit: i64,
    step: DeployStep,
    may: bool,
    marks: RwSignal<Vec<StepMark>>,
    enhanced: RwSignal<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let evidence = move || {
        marks.with(|m| {
            m.iter()
                .find(|x| x.step == step)
                .and_then(|x| x.evidence.clone())
        })
    };
    let uploading = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let confirm = RwSignal::new(false);
    let remove = Action::new(move |_: &()| delete_evidence(plan, unit, step));
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(updated)) => {
            confirm.set(false);
            marks.set(updated);
        }
        Some(Err(e)) => problem.set(Some(i.t().error(&e))),
        None => {}
    });
    let input_id = format!("evidence-{plan}-{unit}-{}", step.code());
    let remove_id = format!("remove-{plan}-{unit}-{}", step.code());
    let on_pick = move |ev: leptos::ev::Event| {
        let input: leptos::web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        problem.set(None);
        if file.size() > MAX_EVIDENCE_BYTES as f64 {
            problem.set(Some(
                i.pick("Tệp lớn hơn 10 MB.", "The file is larger than 10 MB.")
                    .to_string(),
            ));
            return;
        }
        uploading.set(true);
        upload(
            file,
            evidence_upload_url(plan, unit, step),
            marks,
            uploading,
            problem,
            i,
        );
    };
    let pick_label = move || {
        if uploading.get() {
            i.pick("Đang tải lên…", "Uploading…")
        } else if evidence().is_some() {
            i.pick("Thay tệp", "Replace file")
        } else {
            i.pick("Đính kèm minh chứng", "Attach evidence")
        }
    };
    view! {
        <div class="evidence">
            {move || evidence().map(|e| view! {
                <a class="evidence-file" href=evidence_url(e.id) download>
                    <span class="visually-hidden">{i.pick("Minh chứng: ", "Evidence: ")}</span>
                    {e.file_name.clone()}
                    <span class="as-of">{format!(" ({})", file_size(e.size))}</span>
                </a>
            })}
            {may.then(|| view! {
                <input type="file" id=input_id.clone() name="evidence" class:visually-hidden=move || enhanced.get()
                    aria-label=format!("{} — {}", i.pick("Tệp minh chứng", "Evidence file"), step_name(step, i.lang()))
                    accept=".pdf,.jpg,.jpeg,.png,.webp,.heic,.doc,.docx,.xls,.xlsx,.odt,image/*,application/pdf"
                    disabled=move || uploading.get() on:change=on_pick />
                <label class="tool file-pick" for=input_id.clone() class:busy=move || uploading.get()
                    hidden=move || !enhanced.get()>
                    {pick_label}
                    <span class="visually-hidden">{format!(" — {}", step_name(step, i.lang()))}</span>
                </label>
                <Show when=move || evidence().is_some() && !enhanced.get()>
                    <span class="remove-plain">
                        <input type="checkbox" id=remove_id.clone() name="remove" value="1" />
                        <label for=remove_id.clone()>{i.pick("Xoá tệp này khi lưu", "Remove this file on saving")}</label>
                    </span>
                </Show>
                <Show when=move || evidence().is_some() && enhanced.get() && !confirm.get()>
                    <button type="button" class="tool" on:click=move |_| confirm.set(true)>
                        {i.pick("Xoá tệp", "Remove file")}
                    </button>
                </Show>
                <Show when=move || confirm.get()>
                    <span class="confirm" role="group" aria-label=i.pick("Xác nhận xoá tệp", "Confirm removal")>
                        <button type="button" class="tool tool-danger" disabled=move || remove.pending().get()
                            on:click=move |_| { remove.dispatch(()); }>
                            {i.pick("Xoá hẳn tệp này", "Remove this file")}
                        </button>
                        <button type="button" class="tool" on:click=move |_| confirm.set(false)>
                            {i.pick("Giữ lại", "Keep it")}
                        </button>
                    </span>
                </Show>
            })}
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
        </div>
    }
}

fn upload(
    file: leptos::web_sys::File,
    url: String,
    marks: RwSignal<Vec<StepMark>>,
    uploading: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
    i: I18n,
) {
    leptos::task::spawn_local(async move {
        match crate::components::upload_file::<Vec<StepMark>>(file, &url, i).await {
            Ok(updated) => marks.set(updated),
            Err(message) => problem.set(Some(message)),
        }
        uploading.set(false);
    });
}

/// The pilot sites of a plan that requires them. Those who may choose sites get the choosing
/// island; the others (a school) read the board as the server renders it, with no script.
#[component]
pub fn PilotPanel(plan: i64) -> impl IntoView {
    let i = use_i18n();
    let refused = crate::nav::use_query_map().with_untracked(|q| {
        let (name, value) = PILOT_REFUSED.split_once('=').unwrap_or_default();
        q.get_str(name) == Some(value)
    });
    let asked = StoredValue::new(crate::nav::use_query_map().with_untracked(|q| q.get("choose")));
    let board = Resource::new(|| (), move |_| plan_pilots(plan));
    view! {
        <section class="pilots" aria-labelledby="pilots-title">
            <h2 id="pilots-title">{i.pick("Điểm tổ chức Ngày hội toàn dân bảo vệ ANTQ (19/8)", "Pilot sites of the 19/8 national security day")}</h2>
            <p class="lead">{i.pick(
                "Sở chọn một trường THPT; mỗi khu vực chọn một trường THCS và một trường tiểu học.",
                "The department chooses one THPT; each area chooses one THCS and one primary school.",
            )}</p>
            {refused.then(|| view! {
                <p class="notice notice-warn" role="alert">{i.pick(
                    "Chưa chọn được điểm: trường có thể không còn trong danh sách nhận kế hoạch, hoặc ngoài phạm vi của bạn.",
                    "The pilot site was not set: the school may no longer be a recipient, or be outside your scope.",
                )}</p>
            })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match board.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(b) if b.may_choose() => {
                            // The list a link asked for (without the bundle), read here.
                            let asked = match asked.get_value().and_then(|id| asked_chooser(plan, &b, &id)) {
                                Some((id, area, kind)) => Some(AskedChoices {
                                    id,
                                    choices: pilot_choices(plan, area, kind).await,
                                }),
                                None => None,
                            };
                            view! { <PilotChooser plan board=b asked /> }.into_any()
                        }
                        Ok(b) => view! { <PilotBoardView board=b plan version=RwSignal::new(0) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The id of the chooser of a kind of pilot (in an area, or the THPT).
fn chooser_id(plan: i64, area: Option<i64>, kind: PilotKind) -> String {
    format!("pilot-{plan}-{}-{kind:?}", area.unwrap_or(0))
}

/// The chooser of `board` whose id is `id`: its area and kind.
fn asked_chooser(
    plan: i64,
    board: &PilotBoard,
    id: &str,
) -> Option<(String, Option<i64>, PilotKind)> {
    let thpt = (None, PilotKind::UpperSecondary);
    let areas = board.areas.iter().flat_map(|a| {
        [PilotKind::LowerSecondary, PilotKind::Primary].map(|k| (Some(a.area.id), k))
    });
    std::iter::once(thpt)
        .chain(areas)
        .find(|(area, kind)| chooser_id(plan, *area, *kind) == id)
        .map(|(area, kind)| (id.to_string(), area, kind))
}

/// The eligible recipients of the chooser `id`, read with the page when its link asked.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct AskedChoices {
    id: String,
    choices: Result<Vec<crate::org::UnitRef>, crate::error::AppError>,
}

/// The pilot board for those who choose: each choice or removal reads the board again.
#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
fn PilotChooser(plan: i64, board: PilotBoard, asked: Option<AskedChoices>) -> impl IntoView {
    provide_context(asked);
    let version = RwSignal::new(0u32);
    let current = RwSignal::new(board);
    let problem = RwSignal::new(None::<crate::error::AppError>);
    Effect::new(move |_| {
        if version.get() > 0 {
            leptos::task::spawn_local(async move {
                match plan_pilots(plan).await {
                    Ok(board) => {
                        problem.set(None);
                        current.set(board);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        }
    });
    view! {
        {move || view! { <PilotBoardView board=current.get() plan version /> }}
        {move || problem.get().map(|e| view! { <ErrorNotice error=e /> })}
    }
}

#[component]
fn PilotBoardView(board: PilotBoard, plan: i64, version: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let complete = board.areas.iter().filter(|a| a.complete()).count();
    let total = board.areas.len();
    let held = board
        .thpt
        .iter()
        .chain(
            board
                .areas
                .iter()
                .flat_map(|a| a.thcs.iter().chain(a.primary.iter())),
        )
        .filter(|s| s.day_held.is_some())
        .count();
    let single = total == 1;
    let (lacking, done): (Vec<AreaPilots>, Vec<AreaPilots>) =
        board.areas.into_iter().partition(|a| !a.complete());
    view! {
        <p class="as-of" data-testid="pilot-summary">{format!(
            "{complete}/{total} {} — {held} {}",
            i.pick("khu vực đã đủ điểm", "areas have both pilots"),
            i.pick("điểm đã tổ chức Ngày hội", "pilot sites held the day"),
        )}</p>
        <h3>{i.pick("Trường THPT do Sở chọn", "THPT chosen by the department")}</h3>
        <SiteList sites=board.thpt.clone() plan version may=board.may_choose_thpt />
        {(board.may_choose_thpt && board.thpt.is_empty()).then(|| view! {
            <Chooser plan area=None kind=PilotKind::UpperSecondary version />
        })}
        <h3>{i.pick("Các khu vực", "Areas")}</h3>
        {(total == 0).then(|| view! {
            <p class="empty-state">{i.pick("Không có khu vực nào trong phạm vi của bạn.", "No area within your scope.")}</p>
        })}
        <div class="pilot-areas">
            {lacking.into_iter().chain(done).map(|a| view! { <AreaPilotsView area=a plan version open=single /> }).collect_view()}
        </div>
    }
}

#[component]
fn AreaPilotsView(
    area: AreaPilots,
    plan: i64,
    version: RwSignal<u32>,
    open: bool,
) -> impl IntoView {
    let i = use_i18n();
    let complete = area.complete();
    let lacking: Vec<&'static str> = [
        (area.thcs.is_empty(), "THCS"),
        (area.primary.is_empty(), "TH"),
    ]
    .into_iter()
    .filter(|(gap, _)| *gap)
    .map(|(_, name)| name)
    .collect();
    let lacking = lacking.join(", ");
    let may = area.may_choose;
    let id = area.area.id;
    // Open when the page was asked for with one of its lists open.
    let asked = crate::nav::use_query_map()
        .with_untracked(|q| q.get("choose"))
        .is_some_and(|c| c.starts_with(&format!("pilot-{plan}-{id}-")));
    view! {
        <details class="panel pilot-area" open=open || asked>
            <summary>
                {area.area.name.clone()}
                {if complete {
                    view! { <span class="badge badge-ok">{i.pick("Đủ điểm", "Complete")}</span> }.into_any()
                } else {
                    let lacking = lacking.clone();
                    view! { <span class="badge badge-warn">{format!("{} {lacking}", i.pick("Thiếu", "Lacks"))}</span> }.into_any()
                }}
            </summary>
            <h4>"THCS"</h4>
            <SiteList sites=area.thcs.clone() plan version may />
            {(may && area.thcs.is_empty()).then(|| view! { <Chooser plan area=Some(id) kind=PilotKind::LowerSecondary version /> })}
            <h4>{i.pick("Tiểu học", "Primary")}</h4>
            <SiteList sites=area.primary.clone() plan version may />
            {(may && area.primary.is_empty()).then(|| view! { <Chooser plan area=Some(id) kind=PilotKind::Primary version /> })}
        </details>
    }
}

#[component]
fn SiteList(sites: Vec<PilotSite>, plan: i64, version: RwSignal<u32>, may: bool) -> impl IntoView {
    let i = use_i18n();
    let drop_site = ServerAction::<SetPilot>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = drop_site.value().get() {
            version.update(|v| *v += 1);
        }
    });
    if sites.is_empty() {
        return view! { <p class="muted">{i.pick("Chưa chọn.", "Not chosen yet.")}</p> }.into_any();
    }
    view! {
        <ul class="pilot-sites">
            {sites.into_iter().map(|s| {
                let unit = s.unit.id;
                let name = s.unit.name.clone();
                view! {
                    <li>
                        <span>{s.unit.name.clone()}</span>
                        {match s.day_held {
                            Some(day) => view! { <span class="badge badge-ok">{format!("{} {}", i.pick("Đã tổ chức", "Held on"), day.format("%d/%m/%Y"))}</span> }.into_any(),
                            None => view! { <span class="badge">{i.pick("Chưa tổ chức", "Not held yet")}</span> }.into_any(),
                        }}
                        {may.then(|| view! {
                            <ActionForm action=drop_site attr:class="inline-form">
                                <input type="hidden" name="id" value=plan.to_string() />
                                <input type="hidden" name="unit" value=unit.to_string() />
                                <input type="hidden" name="pilot" value="false" />
                                <button type="submit" class="tool" disabled=move || drop_site.pending().get()
                                    aria-label=format!("{} {name}", i.pick("Bỏ chọn", "Unselect"))>
                                    {i.pick("Bỏ chọn", "Unselect")}
                                </button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || drop_site.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
    }
    .into_any()
}

/// A link that opens the list of eligible recipients (in place with the bundle, as the plan's
/// page again without it, the list then read with the page), then a plain form choosing one.
#[component]
fn Chooser(plan: i64, area: Option<i64>, kind: PilotKind, version: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let select_id = chooser_id(plan, area, kind);
    let preloaded = use_context::<Option<AskedChoices>>()
        .flatten()
        .filter(|a| a.id == select_id)
        .map(|a| a.choices);
    let opened = RwSignal::new(preloaded.is_some());
    let choose = ServerAction::<SetPilot>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = choose.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let label = move || match kind {
        PilotKind::UpperSecondary => i.pick("Chọn trường THPT", "Choose a THPT"),
        PilotKind::LowerSecondary => i.pick("Chọn trường THCS", "Choose a THCS"),
        PilotKind::Primary => i.pick("Chọn trường tiểu học", "Choose a primary school"),
    };
    let open_href = format!("/plans/{plan}?choose={select_id}#{select_id}");
    let form = StoredValue::new(
        move |list: Result<Vec<crate::org::UnitRef>, crate::error::AppError>| {
            let unit_id = format!("{select_id}-unit");
            match list {
            Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
            Ok(list) if list.is_empty() => view! {
                <p class="muted">{i.pick("Không có trường phù hợp trong danh sách nhận kế hoạch.", "No eligible school among the recipients.")}</p>
            }.into_any(),
            Ok(list) => view! {
                <ActionForm action=choose attr:class="pilot-chooser" attr:id=select_id.clone()>
                    <input type="hidden" name="id" value=plan.to_string() />
                    <input type="hidden" name="pilot" value="true" />
                    <label for=unit_id.clone()>{label}</label>
                    <select id=unit_id name="unit" required>
                        <option value="">{i.pick("— Chọn —", "— Choose —")}</option>
                        {list.into_iter().map(|u| view! { <option value=u.id.to_string()>{u.name.clone()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button" disabled=move || choose.pending().get()>
                        {i.pick("Chọn làm điểm", "Make it the pilot")}
                    </button>
                </ActionForm>
            }.into_any(),
        }
        },
    );
    view! {
        <Show when=move || opened.get() fallback=move || view! {
            <a class="button button-secondary" href=open_href.clone()
                on:click=move |ev| { ev.prevent_default(); opened.set(true); }>{label}</a>
        }>
            {match preloaded.clone() {
                Some(list) => form.with_value(|f| f(list)),
                None => {
                    let choices = crate::components::browser_resource(|| (), move |_| pilot_choices(plan, area, kind));
                    view! {
                        {move || match crate::components::loaded(choices) {
                            None => view! { <Loading /> }.into_any(),
                            Some(list) => form.with_value(|f| f(list)),
                        }}
                    }.into_any()
                }
            }}
        </Show>
        {move || choose.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
    }
}
