//! Pages of periodic reports: the list (what my units owe, then every cycle), a cycle's
//! completeness, status table and roll-up, and the reviewers' queue.

use super::api::{
    cycle_completeness, cycle_rollup, cycle_units, my_reports, report_cycles, review_queue,
};
use super::form::status_badge;
use super::{
    format_number, Aggregate, Completeness, CompletenessRow, MyReport, ReportStatus, Rollup,
    RollupRow,
};
use crate::accounts::pages::use_session;
use crate::accounts::Action as Permission;
use crate::components::{format_count, ErrorNotice, Loading, PageTitle};
use crate::error::AppError;
use crate::i18n::{use_i18n, I18n};
use crate::nav::{use_params_map, use_query_map};
use crate::plans::pages::local_time;
use leptos::prelude::*;

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn percent(x: f64) -> String {
    format!("{}%", format_number((x * 10.0).round() / 10.0))
}

/// The reports the user's own units owe: first what they can still send, soonest deadline
/// first, each with one large action; then, folded, the rest (sent, or locked past their
/// date, with how to get one reopened). Nothing when they owe none (leadership, specialists).
#[component]
pub fn MyReportsList() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_reports());
    view! { <MyReports mine /> }
}

/// [`MyReportsList`] of a resource made by the caller (an island makes it as it starts).
#[component]
pub fn MyReports(mine: Resource<Result<Vec<MyReport>, AppError>>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match mine.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => {
                        let (open, rest): (Vec<MyReport>, Vec<MyReport>) =
                            list.into_iter().partition(MyReport::open);
                        let rest_count = rest.len();
                        view! {
                            <section aria-labelledby="mine-title">
                                <h2 id="mine-title">{i.pick("Báo cáo cần nộp", "Reports to send")}</h2>
                                {open.is_empty().then(|| view! {
                                    <p class="empty-state">{i.pick(
                                        "Không còn báo cáo nào phải nộp lúc này.",
                                        "Nothing to send right now.",
                                    )}</p>
                                })}
                                <ul class="report-list">
                                    {open.into_iter().map(|r| view! { <OwedReport report=r /> }).collect_view()}
                                </ul>
                                {(rest_count > 0).then(|| view! {
                                    <details class="report-history">
                                        <summary>{format!("{} ({rest_count})", i.pick("Đã nộp và các kỳ đã khóa sổ", "Sent, and cycles now locked"))}</summary>
                                        <ul class="report-list compact">
                                            {rest.into_iter().map(|r| view! { <PastReport report=r /> }).collect_view()}
                                        </ul>
                                    </details>
                                })}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A report the unit can still fill in and send.
#[component]
fn OwedReport(report: MyReport) -> impl IntoView {
    let i = use_i18n();
    let r = report;
    let href = format!("/reports/{}/units/{}", r.cycle, r.unit.id);
    let due = day(r.dates.due);
    let days_left = r.days_left;
    let when = if days_left > 0 {
        format!(
            "{} {due} ({days_left} {})",
            i.pick("Hạn: trước ngày", "Due before"),
            i.pick("ngày nữa", "days left")
        )
    } else {
        format!(
            "{} {due} ({})",
            i.pick("Hạn: trước ngày", "Due before"),
            i.pick("đã quá hạn, vẫn nộp được", "late, still open")
        )
    };
    view! {
        <li class="report-card">
            <a class="plan-title" href=href.clone()>{r.title.clone()}</a>
            <div class="unit-meta">
                {status_badge(r.status, r.on_time, i)}
                <span>{when}</span>
                <span>{r.unit.name.clone()}</span>
            </div>
            <a class="button button-large" href=href>
                {i.pick("Điền báo cáo", "Fill in")}
                <span class="visually-hidden">{format!(" — {}", r.title)}</span>
            </a>
        </li>
    }
}

/// A report sent, or one whose cycle is locked: its state, and a plain link to read it.
#[component]
fn PastReport(report: MyReport) -> impl IntoView {
    let i = use_i18n();
    let r = report;
    let href = format!("/reports/{}/units/{}", r.cycle, r.unit.id);
    let missed = r.locked && !r.status.is_in();
    view! {
        <li class="report-card">
            <a class="plan-title" href=href>{r.title.clone()}</a>
            <div class="unit-meta">
                {status_badge(r.status, r.on_time, i)}
                <span>{r.unit.name.clone()}</span>
            </div>
            {missed.then(|| view! {
                <p class="as-of">{format!(
                    "{} {}. {}",
                    i.pick("Đã khóa sổ từ ngày", "Locked since"),
                    day(r.dates.locks_on),
                    i.pick(
                        "Nếu vẫn cần nộp, hãy đề nghị cán bộ khu vực mở lại.",
                        "If it must still be sent, ask your area officer to reopen it.",
                    ),
                )}</p>
            })}
        </li>
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let cycles = Resource::new(|| (), |_| report_cycles());
    view! {
        <PageTitle text=i.pick("Báo cáo định kỳ", "Periodic reports") />
        <h1>{i.pick("Báo cáo định kỳ", "Periodic reports")}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let user = session.0.await.ok().flatten();
                let review = user.as_ref().is_some_and(|u| u.may(Permission::ReviewReports));
                let manage = user.as_ref().is_some_and(|u| u.may(Permission::ManageReports));
                (review || manage).then(|| view! {
                    <p class="plan-links">
                        {review.then(|| view! {
                            <a href="/reports/queue" class="button button-secondary">{i.pick("Báo cáo chờ duyệt", "Review queue")}</a>
                        })}
                        {manage.then(|| view! {
                            <a href="/reports/templates" class="button button-secondary">{i.pick("Mẫu báo cáo", "Templates")}</a>
                            <a href="/reports/new" class="button">{i.pick("+ Kỳ báo cáo mới", "+ New report cycle")}</a>
                        })}
                    </p>
                })
            })}
        </Transition>
        <MyReportsList />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                // A school's own list is all it needs on its phone.
                let user = session.0.await.ok().flatten();
                let school_only = user.as_ref().is_some_and(|u| {
                    u.may(Permission::SubmitReports) && !u.may(Permission::ReviewReports)
                });
                if school_only {
                    return ().into_any();
                }
                match cycles.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="empty-state">
                            <h2>{i.pick("Chưa có kỳ báo cáo nào", "No report cycles yet")}</h2>
                        </section>
                    }.into_any(),
                    Ok(list) => view! {
                        <section aria-labelledby="cycles-title">
                            <h2 id="cycles-title">{i.pick("Các kỳ báo cáo", "Report cycles")}</h2>
                            <div class="table-wrap" tabindex="0" role="region" aria-label=i.pick("Bảng các kỳ báo cáo", "Table of report cycles")>
                                <table class="data-table">
                                    <thead><tr>
                                        <th scope="col">{i.pick("Kỳ báo cáo", "Cycle")}</th>
                                        <th scope="col">{i.pick("Hạn nộp", "Due")}</th>
                                        <th scope="col" class="num">{i.pick("Đã nộp", "In")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|c| {
                                            let rate = CompletenessRow::rate(c.submitted, c.expected);
                                            view! {
                                                <tr>
                                                    <td><a href=format!("/reports/{}", c.id)>{c.title.clone()}</a></td>
                                                    <td>{day(c.dates.due)}</td>
                                                    <td class="num">{move || format!("{}/{} ({})",
                                                        format_count(c.submitted, i.lang()), format_count(c.expected, i.lang()), percent(rate))}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn completeness_table(
    rows: Vec<CompletenessRow>,
    first: (&'static str, &'static str),
    i: I18n,
) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=move || format!("{} — {}", i.pick("Tiến độ nộp", "Progress"), i.pick(first.0, first.1))>
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{i.pick(first.0, first.1)}</th>
                    <th scope="col" class="num">{i.pick("Phải nộp", "Expected")}</th>
                    <th scope="col" class="num">{i.pick("Đã nộp", "In")}</th>
                    <th scope="col" class="num">{i.pick("Đúng hạn", "On time")}</th>
                    <th scope="col" class="num">{i.pick("Bổ sung", "Returned")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let done = percent(r.completeness());
                        let timely = percent(r.timeliness());
                        view! {
                            <tr>
                                <th scope="row">{r.label.clone()}</th>
                                <td class="num">{format_count(r.expected, i.lang())}</td>
                                <td class="num">{format!("{} ({done})", format_count(r.submitted, i.lang()))}</td>
                                <td class="num">{format!("{} ({timely})", format_count(r.on_time, i.lang()))}</td>
                                <td class="num">{format_count(r.returned, i.lang())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn rollup_table(
    rollup: &Rollup,
    rows: Vec<RollupRow>,
    first: (&'static str, &'static str),
    i: I18n,
) -> impl IntoView {
    let columns = rollup.columns.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=move || format!("{} — {}", i.pick("Tổng hợp", "Roll-up"), i.pick(first.0, first.1))>
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{i.pick(first.0, first.1)}</th>
                    <th scope="col" class="num">{i.pick("Số báo cáo", "Reports")}</th>
                    {columns.iter().map(|c| {
                        let unit = match c.aggregate {
                            Aggregate::Sum => c.unit.clone(),
                            Aggregate::Mean => "% TB".into(),
                            Aggregate::ShareYes => "% có".into(),
                        };
                        view! { <th scope="col" class="num">{c.label.clone()}<span class="as-of">{format!(" ({unit})")}</span></th> }
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.label.clone()}</th>
                            <td class="num">{format_count(r.reports, i.lang())}</td>
                            {r.values.iter().map(|v| view! {
                                <td class="num">{v.map(format_number).unwrap_or_else(|| "—".into())}</td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn CyclePage() -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("cycle").and_then(|v| v.parse::<i64>().ok()));
    let status = move || query.with(|q| q.get("status").and_then(|s| ReportStatus::from_code(&s)));
    let completeness = Resource::new(id, |id| async move {
        match id {
            Some(id) => cycle_completeness(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let units = Resource::new(
        move || (id(), status()),
        |(id, status)| async move {
            match id {
                Some(id) => cycle_units(id, status).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let rollup = Resource::new(id, |id| async move {
        match id {
            Some(id) => cycle_rollup(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let cycles = Resource::new(|| (), |_| report_cycles());
    view! {
        <nav class="breadcrumb" aria-label=i.pick("Vị trí", "Breadcrumb")>
            <a href="/reports">{i.pick("Báo cáo", "Reports")}</a>
        </nav>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let list = cycles.await.unwrap_or_default();
                let Some(cycle) = list.into_iter().find(|c| Some(c.id) == id()) else {
                    return view! { <ErrorNotice error=AppError::NotFound /> }.into_any();
                };
                let title = cycle.title.clone();
                view! {
                    <PageTitle text=title.clone() />
                    <h1>{title}</h1>
                    <div class="unit-meta">
                        <span>{cycle.template.clone()}</span>
                        <span>{format!("{} {}", i.pick("Hạn nộp: trước ngày", "Due before"), day(cycle.dates.due))}</span>
                        <span>{format!("{} {}", i.pick("Đúng hạn đến hết ngày", "On time until"), day(cycle.dates.on_time_until))}</span>
                        <span>{format!("{} {}", i.pick("Khóa sổ:", "Locks on"), day(cycle.dates.locks_on))}</span>
                    </div>
                    <super::export::ExportPanel cycle=cycle.id />
                }.into_any()
            })}
        </Suspense>
        <section aria-labelledby="progress-title">
            <h2 id="progress-title">{i.pick("Tiến độ nộp", "Progress")}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match completeness.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(c) => progress(c, i).into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section aria-labelledby="units-title">
            <h2 id="units-title">{i.pick("Đơn vị và trạng thái", "Units and their status")}</h2>
            <p class="as-of">{i.pick(
                "Đơn vị chưa nộp đứng đầu danh sách; lọc theo trạng thái để xem từng nhóm.",
                "Units that have not submitted come first; filter by status to see each group.",
            )}</p>
            <form class="filters inline-form" method="get">
                <label>
                    {i.pick("Trạng thái", "Status")}
                    <select name="status">
                        <option value="" selected=move || status().is_none()>{i.pick("Tất cả", "All")}</option>
                        {[ReportStatus::Missing, ReportStatus::Draft, ReportStatus::Submitted, ReportStatus::Returned, ReportStatus::Accepted]
                            .into_iter().map(|s| view! {
                                <option value=s.code() selected=move || status() == Some(s)>{super::form::status_label(s, i.lang())}</option>
                            }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="button button-secondary">{i.pick("Lọc", "Filter")}</button>
            </form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match units.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty-state">{i.pick("Không có đơn vị nào ở trạng thái này.", "No unit in this status.")}</p>
                        }.into_any(),
                        Ok(list) => {
                            let cycle = id().unwrap_or_default();
                            let shown = list.len() as i64;
                            view! {
                                {(shown >= super::api::UNIT_LIST_LIMIT).then(|| view! {
                                    <p class="as-of">{format!("{} {shown} {}", i.pick("Hiển thị", "Showing"), i.pick("đơn vị đầu tiên; hãy lọc theo trạng thái.", "first units; filter by status."))}</p>
                                })}
                                <div class="table-wrap" tabindex="0" role="region" aria-label=i.pick("Danh sách đơn vị", "Units")>
                                    <table class="data-table">
                                        <thead><tr>
                                            <th scope="col">{i.pick("Đơn vị", "Unit")}</th>
                                            <th scope="col">{i.pick("Khu vực", "Area")}</th>
                                            <th scope="col">{i.pick("Trạng thái", "Status")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {list.into_iter().map(|u| view! {
                                                <tr>
                                                    <td><a href=format!("/reports/{cycle}/units/{}", u.unit.id)>{u.unit.name.clone()}</a></td>
                                                    <td>{u.area.clone()}</td>
                                                    <td>{status_badge(u.status, u.on_time, i)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
        <section aria-labelledby="rollup-title">
            <h2 id="rollup-title">{i.pick("Tổng hợp số liệu", "Roll-up")}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match rollup.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(r) => {
                            let targets = r.targets.clone();
                            view! {
                                {rollup_table(&r, vec![r.province.clone()], ("Phạm vi", "Scope"), i)}
                                <h3>{i.pick("Theo cấp học", "By level")}</h3>
                                {rollup_table(&r, r.by_level.clone(), ("Cấp học", "Level"), i)}
                                <details class="panel">
                                    <summary>{i.pick("Theo khu vực", "By area")}</summary>
                                    {rollup_table(&r, r.by_area.clone(), ("Khu vực", "Area"), i)}
                                </details>
                                {(!targets.is_empty()).then(|| view! {
                                    <h3>{i.pick("Chỉ tiêu kế hoạch và kết quả", "Plan targets and results")}</h3>
                                    <ul>{targets.into_iter().map(|t| view! {
                                        <li>{format!("{}: {} / {}", t.target,
                                            t.actual.map(format_number).unwrap_or_else(|| "—".into()),
                                            t.planned.map(format_number).unwrap_or_else(|| "—".into()))}</li>
                                    }).collect_view()}</ul>
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

fn progress(c: Completeness, i: I18n) -> impl IntoView {
    let overall = c.overall.clone();
    let done = overall.completeness();
    let as_of = day(c.as_of);
    view! {
        <div class="progress-summary">
            <p class="big-figure">{percent(done)}</p>
            <p>{move || format!("{} {}/{} {}; {} {} ({}).",
                i.pick("Đã nộp", "In:"),
                format_count(overall.submitted, i.lang()), format_count(overall.expected, i.lang()),
                i.pick("đơn vị", "units"),
                i.pick("đúng hạn", "on time"),
                format_count(overall.on_time, i.lang()), percent(overall.timeliness()))}</p>
            <p class="as-of">{format!("{} {as_of}", i.pick("Đơn vị phải nộp tính theo tổ chức ngày", "Expected units as the organisation stood on"))}</p>
            <progress max="100" value=done aria-label=i.pick("Tỉ lệ nộp", "Share in")>{percent(done)}</progress>
        </div>
        <h3>{i.pick("Theo cấp học", "By level")}</h3>
        {completeness_table(c.by_level, ("Cấp học", "Level"), i)}
        <h3>{i.pick("Theo loại hình", "By ownership")}</h3>
        {completeness_table(c.by_ownership, ("Loại hình", "Ownership"), i)}
        {let areas = c.by_area.len(); view! {
            <details class="panel">
                <summary>{format!("{} ({areas})", i.pick("Theo khu vực", "By area"))}</summary>
                {completeness_table(c.by_area, ("Khu vực", "Area"), i)}
            </details>
        }}
    }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let i = use_i18n();
    let queue = Resource::new(|| (), |_| review_queue());
    view! {
        <PageTitle text=i.pick("Báo cáo chờ duyệt", "Review queue") />
        <nav class="breadcrumb" aria-label=i.pick("Vị trí", "Breadcrumb")>
            <a href="/reports">{i.pick("Báo cáo", "Reports")}</a>
        </nav>
        <h1>{i.pick("Báo cáo chờ duyệt", "Review queue")}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="empty-state">
                            <h2>{i.pick("Không có báo cáo nào chờ duyệt", "Nothing waiting for review")}</h2>
                        </section>
                    }.into_any(),
                    Ok(list) => {
                        // By area, oldest first within each.
                        let mut areas: std::collections::BTreeMap<String, Vec<super::QueueItem>> = Default::default();
                        for item in list {
                            areas.entry(item.area.clone()).or_default().push(item);
                        }
                        view! {
                            {areas.into_iter().map(|(area, items)| { let label = area.clone(); view! {
                                <section aria-label=label>
                                    <h2>{area}</h2>
                                    <ul class="report-list">
                                        {items.into_iter().map(|q| {
                                            let at = local_time(&q.submitted_at);
                                            view! {
                                                <li class="report-card">
                                                    <a class="plan-title" href=format!("/reports/{}/units/{}", q.cycle, q.unit.id)>{q.unit.name.clone()}</a>
                                                    <div class="unit-meta">
                                                        <span>{q.cycle_title.clone()}</span>
                                                        <span>{at}</span>
                                                        <span>{if q.on_time { i.pick("Đúng hạn", "On time") } else { i.pick("Trễ hạn", "Late") }}</span>
                                                    </div>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }}).collect_view()}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
