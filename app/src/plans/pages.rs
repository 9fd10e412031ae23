//! Pages of plans: the list, one plan (the editor while it is a draft one may edit, the
//! document with its lifecycle, coverage and history otherwise), the print view, a unit's
//! deployment checklists and the notifications.

use super::api::{
    compare_revisions, correct_plan, create_plan, get_plan, list_plans, mark_notifications_read,
    notifications, plan_coverage, plan_revisions, plan_step,
};
use super::deployment::PilotPanel;
use super::diff::{changes_only, Change};
use super::editor::PlanEditor;
use super::layout::{parts, place_and_date, roman, target_text};
use super::{Coverage, DeployStep, PlanContent, PlanStatus, PlanView, TextItem, Transition};
use crate::accounts::pages::use_session;
use crate::accounts::Action as Permission;
use crate::components::{load_page, ErrorNotice, Loading, PageTitle};
use crate::error::AppError;
use crate::i18n::{use_i18n, I18n, Lang};
use crate::nav::{use_params_map, use_query_map};
use crate::rich_text::{self, Block, Span};
use chrono::NaiveDate;
use leptos::prelude::*;

pub fn status_name(status: PlanStatus, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::Vi, PlanStatus::Draft) => "Dự thảo",
        (Lang::Vi, PlanStatus::Submitted) => "Chờ duyệt",
        (Lang::Vi, PlanStatus::Issued) => "Ban hành",
        (Lang::Vi, PlanStatus::Ended) => "Kết thúc",
        (Lang::En, PlanStatus::Draft) => "Draft",
        (Lang::En, PlanStatus::Submitted) => "Awaiting approval",
        (Lang::En, PlanStatus::Issued) => "Issued",
        (Lang::En, PlanStatus::Ended) => "Ended",
    }
}

pub fn step_name(step: DeployStep, lang: Lang) -> &'static str {
    match (lang, step) {
        (Lang::Vi, DeployStep::Received) => "Đã tiếp nhận",
        (Lang::Vi, DeployStep::OwnPlan) => "Xây dựng kế hoạch của đơn vị",
        (Lang::Vi, DeployStep::Conference) => "Tổ chức hội nghị triển khai",
        (Lang::Vi, DeployStep::Emulation) => "Đăng ký thi đua",
        (Lang::Vi, DeployStep::Day198) => "Hưởng ứng Ngày hội toàn dân bảo vệ ANTQ (19/8)",
        (Lang::En, DeployStep::Received) => "Received",
        (Lang::En, DeployStep::OwnPlan) => "Unit's own plan written",
        (Lang::En, DeployStep::Conference) => "Deployment conference held",
        (Lang::En, DeployStep::Emulation) => "Emulation registered",
        (Lang::En, DeployStep::Day198) => "Took part in the 19/8 national security day",
    }
}

fn event_name(event: &str, lang: Lang) -> &'static str {
    match (lang, event) {
        (Lang::Vi, "create") => "Tạo mới",
        (Lang::Vi, "save") => "Lưu",
        (Lang::Vi, "submit") => "Trình duyệt",
        (Lang::Vi, "return") => "Trả lại",
        (Lang::Vi, "issue") => "Ban hành",
        (Lang::Vi, "end") => "Kết thúc",
        (Lang::Vi, "superseded") => "Được thay thế",
        (Lang::En, "create") => "Created",
        (Lang::En, "save") => "Saved",
        (Lang::En, "submit") => "Submitted",
        (Lang::En, "return") => "Returned",
        (Lang::En, "issue") => "Issued",
        (Lang::En, "end") => "Ended",
        (Lang::En, "superseded") => "Superseded",
        _ => "—",
    }
}

pub(super) fn status_badge(status: PlanStatus, i: I18n) -> impl IntoView {
    view! {
        <span class=format!("status status-{}", status.code())>
            {status_name(status, i.lang())}
        </span>
    }
}

/// "2026-01-22T08:30:00Z" → "22/01/2026 15:30" (Vietnam time).
pub fn local_time(utc: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(utc)
        .map(|t| {
            (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(7))
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| utc.to_string())
}

#[component]
pub fn PlansPage() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let year = move || query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    let status = move || query.with(|q| q.get("status").and_then(|s| PlanStatus::from_code(&s)));
    let plans = Resource::new(move || (year(), status()), |(y, s)| list_plans(y, s));
    let this_year = chrono::Utc::now()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(2026);
    view! {
        <PageTitle text=i.pick("Kế hoạch", "Plans") />
        <h1>{i.pick("Kế hoạch", "Plans")}</h1>
        <p class="lead">
            {i.pick(
                "Kế hoạch của Sở về phong trào toàn dân bảo vệ an ninh Tổ quốc: soạn thảo, trình duyệt, ban hành và theo dõi triển khai.",
                "The department's plans for the movement: drafting, approval, issue and deployment.",
            )}
        </p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let may_write = session.0.await.ok().flatten().is_some_and(|u| u.may(Permission::EditPlans));
                may_write.then(|| view! { <NewPlanButton year=this_year /> })
            })}
        </Transition>
        <form class="filters inline-form" method="get" action="/plans">
            <label>
                {i.pick("Năm", "Year")}
                <select name="year">
                    <option value="" selected=move || year().is_none()>{i.pick("Tất cả", "All")}</option>
                    {(2022..=this_year + 1).rev().map(|y| view! {
                        <option value=y.to_string() selected=move || year() == Some(y)>{y}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {i.pick("Trạng thái", "Status")}
                <select name="status">
                    <option value="" selected=move || status().is_none()>{i.pick("Tất cả", "All")}</option>
                    {PlanStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || status() == Some(s)>{status_name(s, i.lang())}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="button-secondary button">{i.pick("Lọc", "Filter")}</button>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match plans.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="empty-state">
                            <h2>{i.pick("Chưa có kế hoạch nào", "No plans yet")}</h2>
                            <p>{i.pick("Chưa có kế hoạch nào khớp bộ lọc này.", "No plan matches these filters.")}</p>
                        </section>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="plan-list">
                            {list.into_iter().map(|p| view! {
                                <li class="plan-card">
                                    <a class="plan-title" href=format!("/plans/{}", p.id)>{p.title.clone()}</a>
                                    <div class="unit-meta">
                                        {status_badge(p.status, i)}
                                        <span>{p.year}</span>
                                        {(!p.number.is_empty()).then(|| view! { <span>{format!("Số {}", p.number)}</span> })}
                                        {(p.recipients > 0).then(|| view! {
                                            <span>{format!("{} {}", p.recipients, i.pick("đơn vị nhận", "recipient units"))}</span>
                                        })}
                                        <span>{local_time(&p.updated_at)}</span>
                                    </div>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Starts a new draft plan of `year` and opens it.
#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
fn NewPlanButton(year: i32) -> impl IntoView {
    let i = use_i18n();
    let create = Action::new(|year: &i32| create_plan(*year));
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            load_page(&format!("/plans/{id}"));
        }
    });
    view! {
        <p>
            <button type="button" class="button" on:click=move |_| { create.dispatch(year); }
                disabled=move || create.pending().get()>
                {i.pick("+ Kế hoạch mới", "+ New plan")}
            </button>
        </p>
        {move || create.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
    }
}

#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let plan = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_plan(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match plan.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(view) if view.may_edit => view! { <PlanEditor plan=view /> }.into_any(),
                    Ok(view) => view! { <PlanReader plan=view /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An issued, submitted or ended plan (or a draft one may not edit): the document, what the
/// reader may do with it, its coverage and its history.
#[component]
fn PlanReader(plan: PlanView) -> impl IntoView {
    let i = use_i18n();
    let id = plan.id;
    let title = plan.content.title.clone();
    let status = plan.status;
    view! {
        <PageTitle text=title.clone() />
        <nav class="breadcrumb" aria-label=i.pick("Vị trí", "Breadcrumb")>
            <a href="/plans">{i.pick("Kế hoạch", "Plans")}</a>
        </nav>
        <h1>{title}</h1>
        <div class="unit-meta">
            {status_badge(status, i)}
            <span>{let at = local_time(&plan.updated_at); move || format!("{} {at}", i.pick("Cập nhật", "Updated"))}</span>
            <span>{plan.updated_by.clone()}</span>
        </div>
        {plan.return_comment.clone().filter(|c| !c.is_empty() && status == PlanStatus::Draft).map(|c| view! {
            <div class="notice notice-warn" role="status">
                <p class="notice-title">{i.pick("Lãnh đạo trả lại với ý kiến:", "Returned by leadership with this comment:")}</p>
                <p>{c}</p>
            </div>
        })}
        {plan.corrects.map(|old| view! {
            <p class="notice">{i.pick("Bản sửa đổi của ", "Correction of ")}<a href=format!("/plans/{old}")>{i.pick("kế hoạch đã ban hành", "the issued plan")}</a></p>
        })}
        {plan.corrected_by.map(|new| view! {
            <p class="notice notice-warn">{i.pick("Kế hoạch này có ", "This plan has ")}<a href=format!("/plans/{new}")>{i.pick("bản sửa đổi", "a correction")}</a></p>
        })}
        {(plan.may_approve || plan.may_end || plan.may_correct).then(|| view! { <Lifecycle plan=plan.clone() /> })}
        <p class="plan-links">
            <a class="button button-secondary" href=format!("/plans/{id}/document.docx") download>
                {i.pick("Tải tệp Word (DOCX)", "Download Word file (DOCX)")}
            </a>
            <a class="button button-secondary" href=format!("/plans/{id}/print")>
                {i.pick("Bản in", "Print view")}
            </a>
        </p>
        {matches!(status, PlanStatus::Issued | PlanStatus::Ended).then(|| view! { <CoveragePanel plan=id /> })}
        {(matches!(status, PlanStatus::Issued | PlanStatus::Ended) && plan.content.audience.pilot_sites)
            .then(|| view! { <PilotPanel plan=id /> })}
        <details class="panel" open>
            <summary>{i.pick("Nội dung kế hoạch", "The plan")}</summary>
            <PlanDocument content=plan.content.clone() />
        </details>
        {plan.may_see_history.then(|| view! { <History plan=id /> })}
    }
}

/// The buttons of the lifecycle the reader may use: approve (issue) or return, end, correct.
#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
fn Lifecycle(plan: PlanView) -> impl IntoView {
    let i = use_i18n();
    let id = plan.id;
    let comment = RwSignal::new(String::new());
    let number = RwSignal::new(plan.content.number.clone());
    let date = RwSignal::new(
        plan.content
            .date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    );
    let step = Action::new(move |t: &Transition| {
        let t = *t;
        let number = number.get_untracked();
        let date = NaiveDate::parse_from_str(&date.get_untracked(), "%Y-%m-%d").ok();
        let comment = comment.get_untracked();
        async move { plan_step(id, t, comment, Some(number), date).await }
    });
    let correct = Action::new(move |_: &()| correct_plan(id));
    Effect::new(move |_| {
        if let Some(Ok(_)) = step.value().get() {
            load_page(&format!("/plans/{id}"));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(new_id)) = correct.value().get() {
            load_page(&format!("/plans/{new_id}"));
        }
    });
    let confirm_end = RwSignal::new(false);
    view! {
        {plan.may_approve.then(|| view! {
            <section class="panel approval" aria-labelledby="approval-title">
                <h2 id="approval-title">{i.pick("Duyệt kế hoạch", "Approve the plan")}</h2>
                <p>{format!("{} {}", i.pick("Số đơn vị sẽ nhận khi ban hành:", "Units that will receive it:"), "")}<AudienceCount plan=plan.clone() /></p>
                <div class="filter-grid">
                    <div class="field">
                        <label for="issue-number">{i.pick("Số, ký hiệu", "Number and symbol")}</label>
                        <input id="issue-number" type="text" maxlength="60" placeholder="125/KH-SGDĐT"
                            prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="issue-date">{i.pick("Ngày ban hành", "Date of issue")}</label>
                        <input id="issue-date" type="date" prop:value=move || date.get()
                            on:input=move |ev| date.set(event_target_value(&ev)) />
                    </div>
                </div>
                <div class="field">
                    <label for="return-comment">{i.pick("Ý kiến (bắt buộc khi trả lại)", "Comment (required to return)")}</label>
                    <textarea id="return-comment" rows="3" maxlength="4000"
                        prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                <div class="filter-actions">
                    <button type="button" class="button" disabled=move || step.pending().get()
                        on:click=move |_| { step.dispatch(Transition::Issue); }>
                        {i.pick("Duyệt và ban hành", "Approve and issue")}
                    </button>
                    <button type="button" class="button button-secondary" disabled=move || step.pending().get()
                        on:click=move |_| { step.dispatch(Transition::Return); }>
                        {i.pick("Trả lại", "Return")}
                    </button>
                </div>
            </section>
        })}
        {(plan.may_end || plan.may_correct).then(|| view! {
            <div class="filter-actions">
                {plan.may_correct.then(|| view! {
                    <button type="button" class="button button-secondary" disabled=move || correct.pending().get()
                        on:click=move |_| { correct.dispatch(()); }>
                        {i.pick("Soạn bản sửa đổi", "Write a correction")}
                    </button>
                })}
                {plan.may_end.then(|| view! {
                    <button type="button" class="button button-secondary" on:click=move |_| confirm_end.set(true)>
                        {i.pick("Kết thúc kế hoạch", "End the plan")}
                    </button>
                })}
            </div>
            <Show when=move || confirm_end.get()>
                <div class="notice notice-warn" role="alertdialog" aria-labelledby="end-q">
                    <p id="end-q">{i.pick(
                        "Kết thúc kế hoạch? Các đơn vị sẽ không ghi nhận thêm bước triển khai.",
                        "End the plan? Units will no longer record deployment steps.",
                    )}</p>
                    <button type="button" class="button" on:click=move |_| { step.dispatch(Transition::End); }>
                        {i.pick("Kết thúc", "End it")}
                    </button>
                    " "
                    <button type="button" class="button button-secondary" on:click=move |_| confirm_end.set(false)>
                        {i.pick("Không", "Cancel")}
                    </button>
                </div>
            </Show>
        })}
        {move || step.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
        {move || correct.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
    }
}

#[component]
fn AudienceCount(plan: PlanView) -> impl IntoView {
    let audience = plan.content.audience.clone();
    let count = Resource::new(|| (), move |_| super::api::audience_size(audience.clone()));
    view! {
        <Suspense fallback=|| "…">
            {move || Suspend::new(async move {
                let n = count.await.map(|n| n.to_string()).unwrap_or_else(|_| "?".to_string());
                view! { <strong>{n}</strong> }
            })}
        </Suspense>
    }
}

fn percent(row: &super::CoverageRow, k: usize) -> String {
    format!("{:.0}%", row.percent(k))
}

/// Coverage of an issued plan: each step's share, overall and by area, level and ownership.
#[component]
fn CoveragePanel(plan: i64) -> impl IntoView {
    let i = use_i18n();
    let coverage = Resource::new(|| (), move |_| plan_coverage(plan));
    view! {
        <section class="coverage" aria-labelledby="coverage-title">
            <h2 id="coverage-title">{i.pick("Mức độ triển khai", "Deployment coverage")}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match coverage.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(c) => view! { <CoverageView coverage=c /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CoverageView(coverage: Coverage) -> impl IntoView {
    let i = use_i18n();
    let overall = coverage.overall.clone();
    let table = move |caption: &'static str,
                      caption_en: &'static str,
                      rows: Vec<super::CoverageRow>| {
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=i.pick(caption, caption_en)>
                <table class="data-table coverage-table">
                    <caption>{i.pick(caption, caption_en)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{i.pick("Nhóm", "Group")}</th>
                            <th scope="col">{i.pick("Số đơn vị", "Units")}</th>
                            {DeployStep::ALL.into_iter().map(|s| view! { <th scope="col">{step_name(s, i.lang())}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row">{r.label.clone()}</th>
                                <td>{r.total}</td>
                                {(0..DeployStep::ALL.len()).map(|k| view! {
                                    <td>{format!("{} ({})", r.done[k], percent(&r, k))}</td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    view! {
        <p class="as-of">{format!("{} {} — {} {}", overall.total, i.pick("đơn vị nhận", "recipient units"), i.pick("số liệu lúc", "as of"), local_time(&coverage.as_of))}</p>
        <ul class="coverage-bars">
            {DeployStep::ALL.into_iter().enumerate().map(|(k, s)| {
                let row = coverage.overall.clone();
                view! {
                    <li>
                        <span class="bar-label">{step_name(s, i.lang())}</span>
                        <meter class="bar" min="0" max=row.total.max(1) value=row.done[k]
                            aria-label=move || step_name(s, i.lang())></meter>
                        <span class="bar-value" data-step=s.code()>{format!("{}/{} ({})", row.done[k], row.total, percent(&row, k))}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <details class="panel">
            <summary>{i.pick("Theo khu vực", "By area")}</summary>
            {table("Theo khu vực", "By area", coverage.by_area.clone())}
        </details>
        {table("Theo cấp học", "By level", coverage.by_level.clone())}
        {table("Theo loại hình", "By ownership", coverage.by_ownership.clone())}
    }
}

/// The version history, each entry with what changed.
#[component]
fn History(plan: i64) -> impl IntoView {
    let i = use_i18n();
    let list = Resource::new(|| (), move |_| plan_revisions(plan));
    let shown = RwSignal::new(None::<i64>);
    let changes = Resource::new(
        move || shown.get(),
        move |v| async move {
            match v {
                Some(v) => compare_revisions(plan, v).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <details class="panel">
            <summary>{i.pick("Lịch sử phiên bản", "Version history")}</summary>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(rows) => view! {
                            <ol class="timeline">
                                {rows.into_iter().map(|r| {
                                    let v = r.version;
                                    view! {
                                        <li>
                                            <span class="timeline-when">{local_time(&r.saved_at)}</span>
                                            <span class="timeline-what">
                                                {event_name(&r.event, i.lang())}
                                                {format!(" — {} (v{})", r.saved_by, r.version)}
                                                {(!r.comment.is_empty()).then(|| view! { <q>{r.comment.clone()}</q> })}
                                            </span>
                                            <button type="button" class="tool" on:click=move |_| shown.set(Some(v))
                                                aria-pressed=move || (shown.get() == Some(v)).to_string()>
                                                {i.pick("Xem thay đổi", "Show changes")}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match changes.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(None) => ().into_any(),
                        Ok(Some(list)) => view! { <DiffView changes=list /> }.into_any(),
                    }
                })}
            </Transition>
        </details>
    }
}

/// Changed lines with a little context; removed lines struck through, added ones marked.
#[component]
pub fn DiffView(changes: Vec<Change>) -> impl IntoView {
    let i = use_i18n();
    let shown = changes_only(&changes, 1);
    if shown.is_empty() {
        return view! { <p class="notice">{i.pick("Không có thay đổi về nội dung.", "No change in the text.")}</p> }.into_any();
    }
    view! {
        <ul class="diff">
            {shown.into_iter().map(|c| match c {
                None => view! { <li class="diff-gap" aria-hidden="true">"…"</li> }.into_any(),
                Some(Change::Same(t)) => view! { <li class="diff-same">{t}</li> }.into_any(),
                Some(Change::Removed(t)) => view! {
                    <li class="diff-removed"><span class="visually-hidden">{i.pick("Bỏ: ", "Removed: ")}</span><del>{t}</del></li>
                }.into_any(),
                Some(Change::Added(t)) => view! {
                    <li class="diff-added"><span class="visually-hidden">{i.pick("Thêm: ", "Added: ")}</span><ins>{t}</ins></li>
                }.into_any(),
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn spans_view(spans: Vec<Span>) -> impl IntoView {
    spans
        .into_iter()
        .map(|s| match (s.bold, s.italic) {
            (true, true) => view! { <strong><em>{s.text}</em></strong> }.into_any(),
            (true, false) => view! { <strong>{s.text}</strong> }.into_any(),
            (false, true) => view! { <em>{s.text}</em> }.into_any(),
            (false, false) => s.text.into_any(),
        })
        .collect_view()
}

/// Formatted text as HTML: paragraphs, and runs of "- " lines as lists.
pub fn rich_view(text: &str) -> impl IntoView {
    let mut out: Vec<AnyView> = Vec::new();
    let mut bullets: Vec<Vec<Span>> = Vec::new();
    let flush = |bullets: &mut Vec<Vec<Span>>, out: &mut Vec<AnyView>| {
        if !bullets.is_empty() {
            let items = std::mem::take(bullets);
            out.push(view! { <ul class="doc-list">{items.into_iter().map(|s| view! { <li>{spans_view(s)}</li> }).collect_view()}</ul> }.into_any());
        }
    };
    for block in rich_text::parse(text) {
        match block {
            Block::Bullet(s) => bullets.push(s),
            Block::Paragraph(s) => {
                flush(&mut bullets, &mut out);
                out.push(view! { <p>{spans_view(s)}</p> }.into_any());
            }
        }
    }
    flush(&mut bullets, &mut out);
    out
}

fn numbered(items: &[TextItem]) -> impl IntoView {
    items
        .iter()
        .filter(|i| !i.text.trim().is_empty())
        .enumerate()
        .map(|(n, item)| view! { <div class="doc-item"><span class="doc-num">{format!("{}.", n + 1)}</span>{rich_view(&item.text)}</div> })
        .collect_view()
}

/// The plan laid out as the printed document: the same blocks as the DOCX.
#[component]
pub fn PlanDocument(content: PlanContent) -> impl IntoView {
    let c = content;
    let parts_view = parts(&c)
        .into_iter()
        .enumerate()
        .map(|(n, part)| {
            let heading = format!("{}. {part}", roman(n + 1));
            let body = match part {
                "MỤC ĐÍCH, YÊU CẦU" => numbered(&c.purposes).into_any(),
                "NỘI DUNG, NHIỆM VỤ" => c
                    .tasks
                    .iter()
                    .enumerate()
                    .map(|(k, t)| {
                        let mut who = Vec::new();
                        if !t.responsible.trim().is_empty() {
                            who.push(format!("Đơn vị thực hiện: {}", t.responsible.trim()));
                        }
                        if let Some(d) = t.deadline {
                            who.push(format!("thời hạn: {}", d.format("%d/%m/%Y")));
                        }
                        view! {
                            <h4>{format!("{}. {}", k + 1, t.title)}</h4>
                            {rich_view(&t.body)}
                            {(!t.points.is_empty()).then(|| view! {
                                <ul class="doc-list">{t.points.iter().map(|p| view! { <li>{rich_view(&p.text)}</li> }).collect_view()}</ul>
                            })}
                            {(!who.is_empty()).then(|| view! { <p><em>{format!("{}.", who.join("; "))}</em></p> })}
                        }
                    })
                    .collect_view()
                    .into_any(),
                "CHỈ TIÊU" => c
                    .targets
                    .iter()
                    .enumerate()
                    .map(|(k, t)| view! { <p>{format!("{}. {}.", k + 1, target_text(t.value, t.measure, t.text.trim()).trim_end_matches('.'))}</p> })
                    .collect_view()
                    .into_any(),
                "TIÊU CHÍ THI ĐUA" => view! {
                    {(!c.criteria_collective.is_empty()).then(|| view! { <h4>"Đối với tập thể"</h4>{numbered(&c.criteria_collective)} })}
                    {(!c.criteria_individual.is_empty()).then(|| view! { <h4>"Đối với cá nhân"</h4>{numbered(&c.criteria_individual)} })}
                }
                .into_any(),
                "GIẢI PHÁP" => numbered(&c.solutions).into_any(),
                "TỔ CHỨC THỰC HIỆN" => c
                    .organisation
                    .iter()
                    .enumerate()
                    .map(|(k, d)| view! { <h4>{format!("{}. {}", k + 1, d.who)}</h4>{rich_view(&d.duties)} })
                    .collect_view()
                    .into_any(),
                "CHẾ ĐỘ BÁO CÁO" => view! {
                    <ul class="doc-list">
                        {c.reporting.iter().map(|r| {
                            let due = r.due.map(|d| format!(", gửi trước ngày {}", d.format("%d/%m/%Y"))).unwrap_or_default();
                            let to = if r.to.trim().is_empty() { String::new() } else { format!(" về {}", r.to.trim()) };
                            let form = if r.form.trim().is_empty() { String::new() } else { format!(" ({})", r.form.trim()) };
                            view! { <li>{format!("{}{due}{to}{form}.", r.what.trim())}</li> }
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
                _ => ().into_any(),
            };
            view! { <section class="doc-part"><h3>{heading}</h3>{body}</section> }
        })
        .collect_view();
    let number = if c.number.is_empty() {
        "      /KH-".to_string()
    } else {
        c.number.clone()
    };
    view! {
        <article class="document" lang="vi">
            <div class="doc-header">
                <div class="doc-issuer">
                    <p>{c.parent_issuer.to_uppercase()}</p>
                    <p class="doc-strong">{c.issuer.to_uppercase()}</p>
                    <p class="doc-rule" aria-hidden="true"></p>
                    <p>{format!("Số: {number}")}</p>
                </div>
                <div class="doc-motto">
                    <p class="doc-strong doc-small">"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"</p>
                    <p class="doc-strong">"Độc lập - Tự do - Hạnh phúc"</p>
                    <p class="doc-rule" aria-hidden="true"></p>
                    <p><em>{place_and_date(&c)}</em></p>
                </div>
            </div>
            <h2 class="doc-title">"KẾ HOẠCH"<br />{c.title.clone()}</h2>
            {c.legal_bases.iter().filter(|b| !b.text.trim().is_empty()).map(|b| {
                let t = b.text.trim();
                let t = if t.starts_with("Căn cứ") { t.to_string() } else { format!("Căn cứ {t}") };
                view! { <p><em>{format!("{};", t.trim_end_matches([';', '.']))}</em></p> }
            }).collect_view()}
            {parts_view}
            <div class="doc-footer">
                <div class="doc-recipients">
                    <p><strong><em>"Nơi nhận:"</em></strong></p>
                    <ul>{c.recipients.iter().filter(|r| !r.text.trim().is_empty()).map(|r| view! { <li>{format!("- {}", r.text.trim())}</li> }).collect_view()}</ul>
                </div>
                <div class="doc-signature">
                    {c.signer_title.lines().map(|l| view! { <p class="doc-strong">{l.to_uppercase()}</p> }).collect_view()}
                    <p class="doc-sign-space" aria-hidden="true"></p>
                    <p class="doc-strong">{c.signer_name.clone()}</p>
                </div>
            </div>
        </article>
    }
}

#[component]
pub fn PlanPrintPage() -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let plan = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_plan(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match plan.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(p) => view! {
                        <PageTitle text=p.content.title.clone() />
                        <p class="no-print">
                            <a href=format!("/plans/{}", p.id)>{i.pick("← Về kế hoạch", "← Back to the plan")}</a>
                            " "
                            <PrintButton />
                        </p>
                        <h1 class="visually-hidden">{p.content.title.clone()}</h1>
                        <PlanDocument content=p.content />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Opens the browser's print dialog (the browser's own menu does the same without the bundle).
#[island]
fn PrintButton() -> impl IntoView {
    let i = use_i18n();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().print();
        }
    };
    view! { <button type="button" class="button" on:click=print>{i.pick("In", "Print")}</button> }
}

/// Marks the notifications `ids` read and shows the list again.
#[island]
fn MarkAllRead(ids: Vec<i64>) -> impl IntoView {
    let i = use_i18n();
    let read = Action::new(|ids: &Vec<i64>| mark_notifications_read(ids.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = read.value().get() {
            load_page("/notifications");
        }
    });
    view! {
        <p><button type="button" class="button button-secondary" on:click=move |_| { read.dispatch(ids.clone()); }>
            {i.pick("Đánh dấu tất cả đã đọc", "Mark all read")}
        </button></p>
        {move || read.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
    }
}

/// The user's notifications, newest first.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i = use_i18n();
    let list = Resource::new(|| (), |_| notifications());
    view! {
        <PageTitle text=i.pick("Thông báo", "Notifications") />
        <h1>{i.pick("Thông báo", "Notifications")}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(items) if items.is_empty() => view! {
                        <section class="empty-state"><h2>{i.pick("Không có thông báo", "No notifications")}</h2></section>
                    }.into_any(),
                    Ok(items) => {
                        let unread: Vec<i64> = items.iter().filter(|n| !n.read).map(|n| n.id).collect();
                        view! {
                            {(!unread.is_empty()).then(|| view! { <MarkAllRead ids=unread.clone() /> })}
                            <ul class="notice-list">
                                {items.into_iter().map(|n| view! {
                                    <li class:unread=!n.read>
                                        <a href=n.link.clone()>{n.title.clone()}</a>
                                        <span class="as-of">{local_time(&n.at)}</span>
                                        {(!n.read).then(|| view! { <span class="badge">{i.pick("Mới", "New")}</span> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The header's link to notifications, with the number of unread ones.
#[component]
pub fn NotificationBell() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let list = Resource::new(|| (), |_| notifications());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let signed_in = matches!(session.0.await, Ok(Some(_)));
                list.await.ok().filter(|_| signed_in).map(|l| {
                    let unread = l.iter().filter(|n| !n.read).count();
                    view! {
                        <a href="/notifications" class="bell">
                            {i.pick("Thông báo", "Notifications")}
                            {(unread > 0).then(|| view! {
                                <span class="badge">{unread}<span class="visually-hidden">{i.pick(" chưa đọc", " unread")}</span></span>
                            })}
                        </a>
                    }
                })
            })}
        </Transition>
    }
}
