//! The dashboard page: headline figures, the report cycles of the year with the pressing
//! one's curve and missing units, plan deployment, the breakdown by area (or by school once
//! drilled in) as bars, a map and a table; all of it kept live.

use super::api::{dashboard_figures, remind_late, upload_boundaries};
use super::charts::{AreaMap, Bar, BarChart, CurveChart};
use super::live::{use_live, LiveBadge};
use super::{
    format_points, format_rate, Dashboard, DashboardQuery, FeaturedCycle, Grouping,
    DASHBOARD_XLSX_ENDPOINT,
};
use crate::accounts::pages::{provide_session, use_session};
use crate::accounts::Action as Permission;
use crate::components::{format_count, href_with_query, ErrorNotice, Loading, PageTitle};
use crate::i18n::{use_i18n, I18n, Lang};
use crate::nav::use_query_map;
use crate::org::{Ownership, SchoolLevel};
use crate::plans::pages::{local_time, step_name};
use crate::plans::DeployStep;
use crate::reports::form::status_label;
use crate::reports::CompletenessRow;
use leptos::prelude::*;

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The dashboard is one island: its figures follow the live stream of changes.
#[cfg_attr(feature = "dashboard", island)]
#[cfg_attr(not(feature = "dashboard"), component)]
pub fn DashboardPage() -> impl IntoView {
    let i = use_i18n();
    let params = use_query_map();
    let query =
        Memo::new(move |_| params.with(|p| DashboardQuery::from_pairs(|name| p.get_str(name))));
    let changes = RwSignal::new(0u64);
    let live = use_live(changes);
    // Made as the island starts, so that their data travel with the page.
    provide_session();
    let mine = Resource::new(|| (), |_| crate::reports::api::my_reports());
    let figures = Resource::new(
        move || (query.get(), changes.get()),
        |(query, _)| dashboard_figures(query),
    );
    view! {
        <PageTitle text=i.pick("Bảng điều hành", "Dashboard") />
        <div class="dash-head">
            <h1>{i.pick("Bảng điều hành phong trào", "Movement dashboard")}</h1>
            <LiveBadge state=live />
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match figures.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(d) => dashboard_view(d, mine, i).into_any(),
                }
            })}
        </Transition>
    }
}

fn dashboard_view(
    d: Dashboard,
    mine: Resource<Result<Vec<crate::reports::MyReport>, crate::error::AppError>>,
    i: I18n,
) -> impl IntoView {
    let computed = local_time(&d.computed_at);
    let as_of = day(d.as_of);
    let scope = d.scope_name.clone();
    let year = d.year;
    let query = d.query.clone();
    let trail = d.area.clone().map(|area| {
        let up = query.with_area(None).href();
        view! {
            <nav class="breadcrumb" aria-label=i.pick("Vị trí", "Breadcrumb")>
                <a href=up>{scope.clone()}</a>
                <span aria-current="page">{area.name}</span>
            </nav>
        }
    });
    let scope_name = d.scope_name.clone();
    view! {
        {trail}
        <p class="as-of" data-testid="as-of">
            {format!(
                "{} {scope_name}, {} {year}, {} {as_of} · {} {computed}",
                i.pick("Phạm vi:", "Scope:"),
                i.pick("năm", "year"),
                i.pick("tính đến hết ngày", "as of the end of"),
                i.pick("cập nhật lúc", "counted at"),
            )}
        </p>
        {filters(&d, i)}
        <crate::reports::pages::MyReports mine />
        {headline(&d, i)}
        {reports_section(&d, i)}
        {plans_section(&d, i)}
        {breakdown_section(&d, i)}
        {recognition_section(&d, i)}
        {export_bar(&d, i)}
        <BoundariesUpload />
    }
}

/// The department replaces the areas' outlines with a GeoJSON file.
#[component]
fn BoundariesUpload() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let upload = Action::new_local(move |text: &String| upload_boundaries(text.clone()));
    let problem = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let file = file_input
            .get()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            problem.set(Some(
                i.pick("Hãy chọn tệp GeoJSON.", "Choose a GeoJSON file.")
                    .into(),
            ));
            return;
        };
        read_and_send(file, upload, problem);
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let may = session.0.await.ok().flatten().is_some_and(|u| u.may(Permission::EditOrganisation));
                may.then(|| view! {
                    <details class="panel no-print">
                        <summary>{i.pick("Ranh giới khu vực trên bản đồ", "Area outlines on the map")}</summary>
                        <p class="as-of">{i.pick(
                            "Tải lên tệp GeoJSON (FeatureCollection), mỗi khu vực một Feature dạng Polygon hoặc MultiPolygon, mã khu vực ở properties.code. Tệp có lỗi thì không khu vực nào bị thay.",
                            "Upload a GeoJSON FeatureCollection, one Polygon or MultiPolygon Feature per area with its code in properties.code. A file with an error replaces nothing.",
                        )}</p>
                        <form class="inline-form" on:submit=on_submit>
                            <label for="boundaries-file">{i.pick("Tệp GeoJSON", "GeoJSON file")}</label>
                            <input id="boundaries-file" type="file" accept=".geojson,.json,application/geo+json,application/json" node_ref=file_input />
                            <button type="submit" class="button" disabled=move || upload.pending().get()>
                                {i.pick("Tải lên", "Upload")}
                            </button>
                        </form>
                        <p role="status">
                            {move || match (problem.get(), upload.value().get()) {
                                (Some(p), _) => p,
                                (None, Some(Ok(n))) => format!("{} {n} {}", i.pick("Đã lưu ranh giới của", "Saved the outlines of"), i.pick("khu vực.", "areas.")),
                                (None, Some(Err(e))) => e.to_string(),
                                (None, None) => String::new(),
                            }}
                        </p>
                    </details>
                })
            })}
        </Suspense>
    }
}

#[cfg(feature = "hydrate")]
fn read_and_send(
    file: leptos::web_sys::File,
    upload: Action<String, Result<usize, crate::error::AppError>>,
    problem: RwSignal<Option<String>>,
) {
    if file.size() > super::MAX_BOUNDARIES_BYTES as f64 {
        problem.set(Some("Tệp ranh giới quá lớn (tối đa 5 MB).".into()));
        return;
    }
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(text) => {
                upload.dispatch_local(text.as_string().unwrap_or_default());
            }
            Err(_) => problem.set(Some("Không đọc được tệp.".into())),
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn read_and_send(
    _file: leptos::web_sys::File,
    _upload: Action<String, Result<usize, crate::error::AppError>>,
    _problem: RwSignal<Option<String>>,
) {
}

/// A school's own reports come before the province's figures (nothing for those who owe
/// none).
fn filters(d: &Dashboard, i: I18n) -> impl IntoView {
    let q = d.query.clone();
    let years = d.years.clone();
    let areas = d.areas.clone();
    let as_of = q
        .as_of
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let cycle = q.cycle.map(|c| c.to_string()).unwrap_or_default();
    view! {
        <form method="get" action=super::DASHBOARD_PATH class="filters dash-filters" aria-label=i.pick("Bộ lọc", "Filters")>
            <input type="hidden" name="cycle" value=cycle />
            <label>
                {i.pick("Năm", "Year")}
                <select name="year">
                    {years.into_iter().map(|y| view! {
                        <option value=y.to_string() selected=q.year == Some(y)>{y}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {i.pick("Khu vực", "Area")}
                <select name="area">
                    <option value="" selected=q.area.is_none()>{i.pick("Tất cả", "All")}</option>
                    {areas.into_iter().map(|a| view! {
                        <option value=a.id.to_string() selected=q.area == Some(a.id)>{a.name}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {i.pick("Cấp học", "Level")}
                <select name="level">
                    <option value="" selected=q.level.is_none()>{i.pick("Tất cả", "All")}</option>
                    {SchoolLevel::ALL.iter().map(|l| view! {
                        <option value=l.code() selected=q.level == Some(*l)>{i.lang().level(*l)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {i.pick("Loại hình", "Ownership")}
                <select name="ownership">
                    <option value="" selected=q.ownership.is_none()>{i.pick("Tất cả", "All")}</option>
                    {Ownership::ALL.iter().map(|o| view! {
                        <option value=o.code() selected=q.ownership == Some(*o)>{i.lang().ownership(*o)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {i.pick("Tính đến ngày", "As of")}
                <input type="date" name="as_of" value=as_of />
            </label>
            <label>
                {i.pick("Nhóm theo", "Group by")}
                <select name="grouping">
                    <option value="current" selected=q.grouping == Grouping::Current>{i.pick("Xã, phường hiện nay", "Today's communes")}</option>
                    <option value="district" selected=q.grouping == Grouping::BeforeReform>{i.pick("Huyện cũ (trước 01/07/2025)", "Former districts (before 01/07/2025)")}</option>
                </select>
            </label>
            <button type="submit" class="button">{i.pick("Xem", "Show")}</button>
        </form>
    }
}

fn change_text(points: Option<f64>, i: I18n) -> Option<String> {
    points.map(|p| {
        format!(
            "{} {}",
            format_points(p),
            i.pick("điểm so với kỳ trước", "points on the previous cycle")
        )
    })
}

fn headline(d: &Dashboard, i: I18n) -> impl IntoView {
    let lang = i.lang();
    let schools = format_count(d.schools, lang);
    let featured = d.featured.clone();
    let (recipients, done) = d.plan_totals();
    let received = done.first().copied().unwrap_or(0);
    let own_plan = done.get(1).copied().unwrap_or(0);
    view! {
        <ul class="stats dash-stats" aria-label=i.pick("Số liệu chính", "Headline figures")>
            <li class="stat">
                <span class="stat-value">{schools}</span>
                <span class="stat-label">{i.pick("trường trong phạm vi", "schools in view")}</span>
            </li>
            {featured.map(|f| {
                let c = f.figure.counts.clone();
                let change = change_text(f.figure.change(), i);
                let title = f.figure.title.clone();
                view! {
                    <li class="stat" data-testid="stat-submitted">
                        <span class="stat-value">{format_rate(c.completeness())}</span>
                        <span class="stat-label">
                            {format!("{} {}/{} · {}", i.pick("đã nộp", "in"), c.submitted, c.expected, title)}
                        </span>
                        {change.map(|t| view! { <span class="stat-change">{t}</span> })}
                    </li>
                    <li class="stat">
                        <span class="stat-value">{format_rate(f.figure.counts.timeliness())}</span>
                        <span class="stat-label">
                            {format!("{} {}/{}", i.pick("nộp đúng hạn", "on time"), f.figure.counts.on_time, f.figure.counts.expected)}
                        </span>
                    </li>
                }
            })}
            {(recipients > 0).then(|| view! {
                <li class="stat">
                    <span class="stat-value">{format_rate(CompletenessRow::rate(received, recipients))}</span>
                    <span class="stat-label">{format!("{} {received}/{recipients}", i.pick("lượt đơn vị đã tiếp nhận kế hoạch", "plan receipts confirmed"))}</span>
                </li>
                <li class="stat">
                    <span class="stat-value">{format_rate(CompletenessRow::rate(own_plan, recipients))}</span>
                    <span class="stat-label">{format!("{} {own_plan}/{recipients}", i.pick("đã xây dựng kế hoạch của đơn vị", "own plans written"))}</span>
                </li>
            })}
        </ul>
    }
}

fn reports_section(d: &Dashboard, i: I18n) -> impl IntoView {
    let query = d.query.clone();
    let featured_id = d.featured.as_ref().map(|f| f.figure.id);
    let cycles = d.cycles.clone();
    let featured = d.featured.clone();
    let empty = cycles.is_empty();
    view! {
        <section aria-labelledby="reports-title">
            <h2 id="reports-title">{i.pick("Báo cáo định kỳ", "Periodic reports")}</h2>
            {empty.then(|| view! {
                <p class="empty-state">{i.pick("Năm này chưa có kỳ báo cáo nào.", "No report cycles in this year.")}</p>
            })}
            {(!empty).then(|| view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="cycles-table">
                        <caption class="visually-hidden">{i.pick("Các kỳ báo cáo trong năm", "Report cycles of the year")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{i.pick("Kỳ báo cáo", "Cycle")}</th>
                                <th scope="col">{i.pick("Hạn nộp", "Due")}</th>
                                <th scope="col" class="num">{i.pick("Đã nộp", "In")}</th>
                                <th scope="col" class="num">{i.pick("Đúng hạn", "On time")}</th>
                                <th scope="col" class="num">{i.pick("Cần bổ sung", "Returned")}</th>
                                <th scope="col" class="num">{i.pick("So với kỳ trước", "Change")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {cycles.into_iter().map(|c| {
                                let href = DashboardQuery { cycle: Some(c.id), ..query.clone() }.href();
                                let current = (Some(c.id) == featured_id).then_some("true");
                                let change = c.change().map(format_points).unwrap_or_else(|| "—".into());
                                view! {
                                    <tr>
                                        <th scope="row"><a href=href attr:aria-current=current>{c.title.clone()}</a></th>
                                        <td>{day(c.due)}</td>
                                        <td class="num">{format!("{}/{} ({})", c.counts.submitted, c.counts.expected, format_rate(c.counts.completeness()))}</td>
                                        <td class="num">{format_rate(c.counts.timeliness())}</td>
                                        <td class="num">{c.counts.returned}</td>
                                        <td class="num">{change}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {featured.map(|f| featured_view(f, query.clone(), i))}
        </section>
    }
}

fn featured_view(f: FeaturedCycle, query: DashboardQuery, i: I18n) -> impl IntoView {
    let title = match i.lang() {
        Lang::Vi => format!("Số báo cáo đã nộp theo ngày: {}", f.figure.title),
        Lang::En => format!("Reports in by day: {}", f.figure.title),
    };
    let last = f.curve.last().map_or(0, |p| p.submitted);
    let description = match i.lang() {
        Lang::Vi => format!(
            "Đường cộng dồn số báo cáo đã nộp từ {} đến {}; đạt {} trên {} đơn vị phải nộp. Hạn nộp {}.",
            f.curve.first().map(|p| day(p.day)).unwrap_or_default(),
            f.curve.last().map(|p| day(p.day)).unwrap_or_default(),
            last,
            f.figure.counts.expected,
            day(f.figure.due)
        ),
        Lang::En => format!(
            "Cumulative reports in from {} to {}; {} of {} expected units. Due {}.",
            f.curve.first().map(|p| day(p.day)).unwrap_or_default(),
            f.curve.last().map(|p| day(p.day)).unwrap_or_default(),
            last,
            f.figure.counts.expected,
            day(f.figure.due)
        ),
    };
    let cycle = f.figure.id;
    let total = f.late_total;
    let shown = f.late.len() as i64;
    view! {
        <CurveChart
            id="curve".to_string()
            title=title
            description=description
            points=f.curve.clone()
            expected=f.figure.counts.expected
            due=f.figure.due
            on_time_until=f.figure.on_time_until
        />
        <h3 id="late-title">{format!("{} ({total})", i.pick("Đơn vị chưa nộp", "Units not in"))}</h3>
        {(total == 0).then(|| view! {
            <p class="empty-state">{i.pick("Mọi đơn vị đã nộp.", "Every unit is in.")}</p>
        })}
        {(total > 0).then(|| view! {
            <RemindButton cycle=cycle query=query.clone() count=total />
            <ul class="late-list" aria-labelledby="late-title">
                {f.late.into_iter().map(|u| {
                    let href = format!("/reports/{cycle}/units/{}", u.unit.id);
                    let status = u.status;
                    view! {
                        <li>
                            <a href=href>{u.unit.name}</a>
                            <span class="late-area">{u.area}</span>
                            <span class=format!("status report-{}", status.code())>{status_label(status, i.lang())}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(total > shown).then(|| view! {
                <p class="as-of">
                    {format!("{} {shown}/{total}. ", i.pick("Đang hiện", "Showing"))}
                    <a href=format!("/reports/{cycle}?status=missing")>{i.pick("Xem đầy đủ ở trang kỳ báo cáo", "See them all on the cycle's page")}</a>
                </p>
            })}
        })}
    }
}

/// One action to remind every unit of the view that is not in, after a confirmation.
#[component]
fn RemindButton(cycle: i64, query: DashboardQuery, count: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let asking = RwSignal::new(false);
    let remind = Action::new(move |q: &DashboardQuery| remind_late(cycle, q.clone()));
    let query = StoredValue::new(query);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let may = session.0.await.ok().flatten().is_some_and(|u| u.may(Permission::ReviewReports));
                may.then(|| view! {
                    <div class="remind">
                        <Show when=move || !asking.get()>
                            <button type="button" class="button button-secondary" on:click=move |_| asking.set(true)>
                                {format!("{} ({count})", i.pick("Nhắc các đơn vị chưa nộp", "Remind the units not in"))}
                            </button>
                        </Show>
                        <Show when=move || asking.get()>
                            <div class="confirm" role="group" aria-label=i.pick("Xác nhận gửi nhắc nhở", "Confirm the reminder")>
                                <p>{format!("{} {count} {}", i.pick("Gửi thông báo nhắc nộp đến", "Send a reminder to"), i.pick("đơn vị?", "units?"))}</p>
                                <button type="button" class="button" on:click=move |_| {
                                    asking.set(false);
                                    remind.dispatch(query.get_value());
                                }>{i.pick("Gửi nhắc nhở", "Send")}</button>
                                <button type="button" class="button button-secondary" on:click=move |_| asking.set(false)>
                                    {i.pick("Huỷ", "Cancel")}
                                </button>
                            </div>
                        </Show>
                        <p role="status" class="remind-result">
                            {move || match remind.value().get() {
                                Some(Ok(0)) => i.pick(
                                    "Các đơn vị này đã được nhắc trong ngày; không gửi lại.",
                                    "These units were reminded within the day; nothing sent again.",
                                ).to_string(),
                                Some(Ok(n)) => format!("{} {n} {}", i.pick("Đã nhắc", "Reminded"), i.pick("đơn vị.", "units.")),
                                Some(Err(e)) => e.to_string(),
                                None if remind.pending().get() => i.pick("Đang gửi…", "Sending…").to_string(),
                                None => String::new(),
                            }}
                        </p>
                    </div>
                })
            })}
        </Suspense>
    }
}

fn plans_section(d: &Dashboard, i: I18n) -> impl IntoView {
    let plans = d.plans.clone();
    let empty = plans.is_empty();
    view! {
        <section aria-labelledby="plans-title">
            <h2 id="plans-title">{i.pick("Triển khai kế hoạch", "Plan deployment")}</h2>
            {empty.then(|| view! {
                <p class="empty-state">{i.pick("Năm này chưa có kế hoạch nào được ban hành.", "No plan issued in this year.")}</p>
            })}
            {plans.into_iter().map(|p| {
                let lang = i.lang();
                let bars: Vec<Bar> = DeployStep::ALL.iter().zip(&p.done).map(|(step, done)| Bar {
                    label: step_name(*step, lang).to_string(),
                    part: *done,
                    value: *done,
                    whole: p.recipients,
                    href: None,
                }).collect();
                let title = if p.number.is_empty() { p.title.clone() } else { format!("{} ({})", p.title, p.number) };
                let description = match lang {
                    Lang::Vi => format!("Số đơn vị đã thực hiện từng bước trên {} đơn vị nhận kế hoạch; {} bước được đánh dấu trong 7 ngày qua.", p.recipients, p.marked_this_week),
                    Lang::En => format!("Units that have done each step, of {} recipients; {} steps marked in the last 7 days.", p.recipients, p.marked_this_week),
                };
                let id = format!("plan-{}", p.id);
                let week = p.marked_this_week;
                view! {
                    <BarChart
                        id=id
                        title=title
                        description=description
                        headers=match lang {
                            Lang::Vi => ["Bước", "Đã thực hiện", "Số đơn vị", "Tỉ lệ"],
                            Lang::En => ["Step", "Done", "Units", "Share"],
                        }
                        bars=bars
                    />
                    <p class="as-of">{format!("{} {week}", i.pick("Bước được đánh dấu trong 7 ngày qua:", "Steps marked in the last 7 days:"))}</p>
                }
            }).collect_view()}
        </section>
    }
}

/// The model-school funnel of the year and the safety standard, within the view.
fn recognition_section(d: &Dashboard, i: I18n) -> impl IntoView {
    let lang = i.lang();
    let r = d.recognition.clone();
    let m = d.models.clone();
    let e = d.emulation.clone();
    let year = d.year;
    let chosen = r.funnel.first().map_or(0, |(_, n)| *n);
    let bars: Vec<Bar> = r
        .funnel
        .iter()
        .map(|(stage, n)| Bar {
            label: stage.label().to_string(),
            part: *n,
            value: *n,
            whole: chosen,
            href: None,
        })
        .collect();
    let description = match lang {
        Lang::Vi => format!(
            "Trong {chosen} trường được chọn năm {year}: số trường đã qua từng bước, đến được công nhận; {} trường chưa đạt.",
            r.not_recognised
        ),
        Lang::En => format!(
            "Of the {chosen} schools chosen in {year}: how many passed each stage, up to recognition; {} did not reach it.",
            r.not_recognised
        ),
    };
    let (registered, recognised, not_recognised) = (
        r.standard_registered,
        r.standard_recognised,
        r.not_recognised,
    );
    view! {
        <section aria-labelledby="recognition-title">
            <h2 id="recognition-title">{i.pick("Điển hình, tiêu chuẩn ANTT, mô hình và khen thưởng", "Model schools, the ANTT standard, safety models and awards")}</h2>
            {if chosen == 0 {
                view! { <p class="empty-state">{i.pick("Năm này chưa chọn trường điển hình nào trong phạm vi đang xem.", "No model school chosen this year in this view.")}</p> }.into_any()
            } else {
                view! {
                    <BarChart
                        id="model-funnel".to_string()
                        title=match lang {
                            Lang::Vi => format!("Cơ sở giáo dục điển hình năm {year}"),
                            Lang::En => format!("Model schools of {year}"),
                        }
                        description=description
                        headers=match lang {
                            Lang::Vi => ["Bước", "Số trường", "Số trường", "Tỉ lệ"],
                            Lang::En => ["Stage", "Schools", "Schools", "Share"],
                        }
                        bars=bars
                    />
                    <p class="as-of">{format!("{} {not_recognised}", i.pick("Kết luận chưa đạt:", "Concluded not reached:"))}</p>
                }.into_any()
            }}
            <ul class="stats">
                <li class="stat">
                    <span class="stat-value">{registered}</span>
                    <span class="stat-label">{i.pick("trường đăng ký tiêu chuẩn “An toàn về an ninh, trật tự”", "schools registered for the safety standard")}</span>
                </li>
                <li class="stat">
                    <span class="stat-value">{recognised}</span>
                    <span class="stat-label">{i.pick("trường được công nhận đạt tiêu chuẩn", "schools recognised as meeting it")}</span>
                </li>
            </ul>
            <p><a href=format!("/recognition?year={year}")>{i.pick("Xem danh sách trường điển hình, đánh giá phân loại năm", "Model schools and the yearly evaluation")}</a></p>
            <h3>{i.pick("Mô hình bảo đảm an ninh, trật tự", "Safety models")}</h3>
            <ul class="stats">
                <li class="stat">
                    <span class="stat-value">{m.schools}</span>
                    <span class="stat-label">{i.pick("trường đang triển khai mô hình", "schools running a model")}</span>
                </li>
                <li class="stat">
                    <span class="stat-value">{m.runs}</span>
                    <span class="stat-label">{i.pick("mô hình đang chạy ở các trường", "models run across the schools")}</span>
                </li>
                <li class="stat">
                    <span class="stat-value">{m.good}</span>
                    <span class="stat-label">{format!("{} {} {}", i.pick("xếp loại tốt trong", "rated good of"), m.reviewed, i.pick("mô hình đã đánh giá năm nay", "reviewed this year"))}</span>
                </li>
                <li class="stat">
                    <span class="stat-value">{m.replicate}</span>
                    <span class="stat-label">{i.pick("mô hình được chọn nhân rộng", "marked for replication")}</span>
                </li>
            </ul>
            <p><a href=format!("/models?year={year}")>{i.pick("Xem mô hình theo khu vực", "Models by area")}</a></p>
            <h3>{i.pick("Thi đua, khen thưởng", "Emulation and awards")}</h3>
            <ul class="stats">
                <li class="stat">
                    <span class="stat-value">{e.approved}</span>
                    <span class="stat-label">{format!("{} {} {}", i.pick("danh hiệu được duyệt trong", "titles approved of"), e.registered, i.pick("đăng ký thi đua", "registered"))}</span>
                </li>
                <li class="stat">
                    <span class="stat-value">{e.awarded}</span>
                    <span class="stat-label">{format!("{} {} {}", i.pick("được khen thưởng trong", "awarded of"), e.nominated, i.pick("đề nghị", "nominations"))}</span>
                </li>
            </ul>
            <p><a href=format!("/emulation?year={year}")>{i.pick("Xem thi đua, khen thưởng", "Emulation and awards")}</a></p>
        </section>
    }
}

fn breakdown_section(d: &Dashboard, i: I18n) -> impl IntoView {
    let lang = i.lang();
    let query = d.query.clone();
    let by_school = d.area.is_some();
    let mut rows = d.rows.clone();
    let featured = d
        .featured
        .as_ref()
        .map(|f| f.figure.title.clone())
        .unwrap_or_default();
    let heading = if by_school {
        i.pick("Theo trường", "By school")
    } else {
        i.pick("Theo khu vực", "By area")
    };
    let rates: Vec<(i64, Option<f64>, String)> = rows
        .iter()
        .map(|r| {
            let rate = (r.report.expected > 0).then(|| r.report.completeness());
            (r.unit.id, rate, query.with_area(Some(r.unit.id)).href())
        })
        .collect();
    let map = d.map.clone().filter(|_| !by_school).map(|shape| {
        let title = match lang {
            Lang::Vi => format!("Bản đồ tỉ lệ nộp báo cáo theo khu vực: {featured}"),
            Lang::En => format!("Map of the share of reports in by area: {featured}"),
        };
        let description = match lang {
            Lang::Vi => "Mỗi khu vực được tô màu theo tỉ lệ đơn vị đã nộp; chạm vào một khu vực để xem các trường của khu vực đó. Số liệu đầy đủ ở bảng bên dưới.".to_string(),
            Lang::En => "Each area is coloured by the share of its units that are in; tap one to see its schools. The table below has every figure.".to_string(),
        };
        view! { <AreaMap title=title description=description shape=shape rates=rates.clone() /> }
    });
    // The bars show the areas furthest behind; the table has them all.
    let mut worst: Vec<_> = rows
        .iter()
        .filter(|r| r.report.expected > 0)
        .cloned()
        .collect();
    worst.sort_by(|a, b| a.report.completeness().total_cmp(&b.report.completeness()));
    worst.truncate(15);
    let bars: Vec<Bar> = worst
        .into_iter()
        .map(|r| Bar {
            href: (!r.is_school).then(|| query.with_area(Some(r.unit.id)).href()),
            label: r.unit.name,
            part: r.report.on_time,
            value: r.report.submitted,
            whole: r.report.expected,
        })
        .collect();
    let bars_title = match lang {
        Lang::Vi => format!("Tỉ lệ nộp báo cáo, thấp nhất trước: {featured}"),
        Lang::En => format!("Share of reports in, lowest first: {featured}"),
    };
    let bars_description = match lang {
        Lang::Vi => "Mỗi thanh là tỉ lệ đơn vị đã nộp; phần đậm là phần nộp đúng hạn. Tối đa 15 dòng thấp nhất.".to_string(),
        Lang::En => "Each bar is the share of units in; the darker part came in on time. At most the 15 lowest.".to_string(),
    };
    rows.sort_by(|a, b| a.unit.name.cmp(&b.unit.name));
    let empty = rows.is_empty();
    view! {
        <section aria-labelledby="breakdown-title">
            <h2 id="breakdown-title">{heading}</h2>
            {empty.then(|| view! {
                <p class="empty-state">{i.pick("Không có đơn vị nào trong phạm vi đã chọn.", "No unit matches the view.")}</p>
            })}
            {map}
            {(!bars.is_empty() && !by_school).then(|| view! {
                <BarChart
                    id="area-bars".to_string()
                    title=bars_title
                    description=bars_description
                    headers=match lang {
                        Lang::Vi => ["Khu vực", "Đã nộp", "Đúng hạn", "Tỉ lệ"],
                        Lang::En => ["Area", "In", "On time", "Share"],
                    }
                    bars=bars
                />
            })}
            {(!empty).then(|| view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="breakdown-table">
                        <caption class="visually-hidden">{heading}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{if by_school { i.pick("Trường", "School") } else { i.pick("Khu vực", "Area") }}</th>
                                <th scope="col" class="num">{i.pick("Đã nộp", "In")}</th>
                                <th scope="col" class="num">{i.pick("Đúng hạn", "On time")}</th>
                                <th scope="col" class="num">{i.pick("Đã xây dựng KH", "Own plan")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let link = if r.is_school {
                                    format!("/units/{}", r.unit.id)
                                } else {
                                    query.with_area(Some(r.unit.id)).href()
                                };
                                let submitted = match r.status {
                                    Some(status) => view! {
                                        <span class=format!("status report-{}", status.code())>{status_label(status, i.lang())}</span>
                                    }.into_any(),
                                    None if r.report.expected == 0 => "—".into_any(),
                                    None => format!("{}/{} ({})", r.report.submitted, r.report.expected, format_rate(r.report.completeness())).into_any(),
                                };
                                let on_time = if r.is_school {
                                    match r.report.on_time { 1 => "✓".to_string(), _ => "—".to_string() }
                                } else {
                                    format_rate(r.report.timeliness())
                                };
                                let plans = if r.plan_recipients == 0 { "—".to_string() } else { format!("{}/{}", r.plan_received, r.plan_recipients) };
                                view! {
                                    <tr data-unit=r.unit.id>
                                        <th scope="row"><a href=link>{r.unit.name}</a></th>
                                        <td class="num">{submitted}</td>
                                        <td class="num">{on_time}</td>
                                        <td class="num">{plans}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

fn export_bar(d: &Dashboard, i: I18n) -> impl IntoView {
    let xlsx = href_with_query(DASHBOARD_XLSX_ENDPOINT, &d.query.pairs());
    view! {
        <div class="export-bar no-print">
            <a class="button button-secondary" href=xlsx download="">
                {i.pick("Tải số liệu (XLSX)", "Download the figures (XLSX)")}
            </a>
            <button type="button" class="button button-secondary" on:click=move |_| {
                #[cfg(feature = "hydrate")]
                let _ = window().print();
            }>
                {i.pick("In trang này", "Print this page")}
            </button>
        </div>
    }
}
