//! The form that opens report cycles: one cycle, or the four quarters of a year at once,
//! with the deadline rule of the seeds and the dates that follow from it.

use super::api::{create_cycles, report_templates};
use super::{CycleDates, DeadlineRule, NewCycle, Period, DEFAULT_REMINDER_DAYS};
use crate::components::{ErrorNotice, Loading, PageTitle};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::plans::audience::AudiencePicker;
use crate::plans::Audience;
use chrono::NaiveDate;
use leptos::prelude::*;

/// What the form opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    QuarterSeries,
    Year,
    OneOff,
}

/// Reads "-3, 0, 3" as days around the deadline.
fn parse_days(text: &str) -> Result<Vec<i64>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.replace('−', "-")
                .parse::<i64>()
                .map_err(|_| format!("“{t}” không phải số ngày."))
        })
        .collect()
}

/// What the form holds.
struct Choices<'a> {
    kind: Kind,
    template: Option<i64>,
    title: &'a str,
    year: i32,
    one_off: Option<NaiveDate>,
    audience: Audience,
    days: &'a str,
    plan: Option<i64>,
}

/// The cycle the form describes, or what is wrong with it.
fn build(choices: Choices<'_>) -> Result<(NewCycle, Option<i32>), String> {
    let Choices {
        kind,
        template,
        title,
        year,
        one_off,
        audience,
        days,
        plan,
    } = choices;
    let template = template.ok_or("Hãy chọn mẫu báo cáo.")?;
    if title.trim().is_empty() {
        return Err("Hãy đặt tên cho kỳ báo cáo.".into());
    }
    let (period, rule, series) = match kind {
        Kind::QuarterSeries => (
            Period::Year { year },
            DeadlineRule::DayOfNextQuarter { day: 5 },
            Some(year),
        ),
        Kind::Year => (
            Period::Year { year },
            DeadlineRule::EachYear { day: 1, month: 10 },
            None,
        ),
        Kind::OneOff => {
            let date = one_off.ok_or("Hãy chọn ngày hạn nộp.")?;
            (
                Period::AdHoc {
                    year: chrono::Datelike::year(&date),
                    label: title.trim().to_string(),
                },
                DeadlineRule::Fixed { date },
                None,
            )
        }
    };
    let cycle = NewCycle {
        template,
        title: title.trim().to_string(),
        period,
        rule,
        on_time_until: None,
        locks_on: None,
        audience,
        plan,
        reminder_days: parse_days(days)?,
    };
    Ok((cycle, series))
}

#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
pub fn NewCyclePage() -> impl IntoView {
    let i = use_i18n();
    let templates = Resource::new(|| (), |_| report_templates());
    let plans = Resource::new(
        || (),
        |_| crate::plans::api::list_plans(None, Some(crate::plans::PlanStatus::Issued)),
    );
    let plan = RwSignal::new(None::<i64>);
    let kind = RwSignal::new(Kind::QuarterSeries);
    let template = RwSignal::new(None::<i64>);
    let title = RwSignal::new(String::new());
    let year = RwSignal::new(2026);
    let one_off = RwSignal::new(None::<NaiveDate>);
    let audience = RwSignal::new(Audience::default());
    let days = RwSignal::new(
        DEFAULT_REMINDER_DAYS
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    );
    let described = move || {
        build(Choices {
            kind: kind.get(),
            template: template.get(),
            title: &title.get(),
            year: year.get(),
            one_off: one_off.get(),
            audience: audience.get(),
            days: &days.get(),
            plan: plan.get(),
        })
    };
    // The dates each cycle will have, shown before anything is created.
    let preview = move || -> Vec<(String, CycleDates)> {
        match described() {
            Ok((cycle, Some(y))) => super::quarterly_series(&cycle, y)
                .into_iter()
                .filter_map(|c| c.dates().ok().map(|d| (c.period.label_vi(), d)))
                .collect(),
            Ok((cycle, None)) => cycle
                .dates()
                .ok()
                .map(|d| vec![(cycle.period.label_vi(), d)])
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    };
    let create = Action::new(move |_: &()| {
        let built = described();
        async move {
            match built {
                Ok((cycle, series)) => create_cycles(cycle, series).await,
                Err(message) => Err(AppError::Invalid(message)),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            crate::components::load_page("/reports");
        }
    });
    let kind_choice = move |k: Kind, vi: &'static str, en: &'static str| {
        view! {
            <label class="choice">
                <input type="radio" name="kind" prop:checked=move || kind.get() == k
                    on:change=move |_| kind.set(k) />
                {i.pick(vi, en)}
            </label>
        }
    };
    view! {
        <PageTitle text=i.pick("Kỳ báo cáo mới", "New report cycle") />
        <nav class="breadcrumb" aria-label=i.pick("Vị trí", "Breadcrumb")>
            <a href="/reports">{i.pick("Báo cáo", "Reports")}</a>
        </nav>
        <h1>{i.pick("Kỳ báo cáo mới", "New report cycle")}</h1>
        <form class="report-form" on:submit=move |ev| { ev.prevent_default(); create.dispatch(()); }>
            <div class="field">
                <label for="cycle-template">{i.pick("Mẫu báo cáo", "Template")}</label>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match templates.await {
                            Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                            Ok(list) => view! {
                                <select id="cycle-template" required
                                    on:change=move |ev| template.set(event_target_value(&ev).parse().ok())>
                                    <option value="">{i.pick("— Chọn —", "— Choose —")}</option>
                                    {list.into_iter().map(|t| view! {
                                        <option value=t.id.to_string()>{format!("{} (phiên bản {})", t.name, t.version)}</option>
                                    }).collect_view()}
                                </select>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
            <div class="field">
                <label for="cycle-title">{i.pick("Tên kỳ báo cáo", "Title")}</label>
                <input id="cycle-title" type="text" required maxlength="300" prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev)) />
            </div>
            <fieldset class="field choices">
                <legend>{i.pick("Loại kỳ và hạn nộp", "Kind and deadline")}</legend>
                {kind_choice(Kind::QuarterSeries, "Bốn quý của năm (trước ngày 05 tháng đầu quý sau)", "The four quarters of a year (before the 5th of the next quarter)")}
                {kind_choice(Kind::Year, "Báo cáo năm (trước ngày 01/10)", "Yearly report (before 1 October)")}
                {kind_choice(Kind::OneOff, "Đột xuất (trước một ngày cụ thể)", "One-off (before a given date)")}
            </fieldset>
            <Show when=move || kind.get() != Kind::OneOff>
                <div class="field">
                    <label for="cycle-year">{i.pick("Năm", "Year")}</label>
                    <input id="cycle-year" type="number" min="2000" max="2100" prop:value=move || year.get().to_string()
                        on:input=move |ev| { if let Ok(y) = event_target_value(&ev).parse() { year.set(y); } } />
                </div>
            </Show>
            <Show when=move || kind.get() == Kind::OneOff>
                <div class="field">
                    <label for="cycle-date">{i.pick("Hạn nộp: trước ngày", "Due before")}</label>
                    <input id="cycle-date" type="date"
                        on:input=move |ev| one_off.set(NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok()) />
                </div>
            </Show>
            <fieldset class="field choices">
                <legend>{i.pick("Đơn vị phải nộp (bỏ trống: tất cả các trường)", "Who reports (none: every school)")}</legend>
                <AudiencePicker
                    id="cycle-aud"
                    audience=audience.into()
                    on_change=Callback::new(move |a: Audience| audience.set(a))
                    counted=("trường phải nộp tính đến hôm nay", "schools must report, as of today")
                />
            </fieldset>
            <div class="field">
                <label for="cycle-plan">{i.pick("Kế hoạch có chỉ tiêu được đo bằng báo cáo này (không bắt buộc)", "Plan whose targets these reports measure (optional)")}</label>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        let list = plans.await.unwrap_or_default();
                        view! {
                            <select id="cycle-plan" on:change=move |ev| plan.set(event_target_value(&ev).parse().ok())>
                                <option value="">{i.pick("— Không gắn kế hoạch —", "— No plan —")}</option>
                                {list.into_iter().map(|p| view! {
                                    <option value=p.id.to_string()>{format!("{} ({})", p.title, p.number)}</option>
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
            </div>
            <div class="field">
                <label for="cycle-days">{i.pick("Nhắc các đơn vị chưa nộp (số ngày so với hạn, cách nhau bởi dấu phẩy)", "Remind units that have not submitted (days from the deadline, comma-separated)")}</label>
                <input id="cycle-days" type="text" inputmode="text" prop:value=move || days.get()
                    on:input=move |ev| days.set(event_target_value(&ev)) />
            </div>
            {move || {
                let rows = preview();
                (!rows.is_empty()).then(|| view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=i.pick("Các ngày của kỳ báo cáo", "The cycle's dates")>
                        <table class="data-table">
                            <caption>{i.pick("Các ngày của kỳ báo cáo", "The cycle's dates")}</caption>
                            <thead><tr>
                                <th scope="col">{i.pick("Kỳ", "Period")}</th>
                                <th scope="col">{i.pick("Hạn nộp (trước ngày)", "Due before")}</th>
                                <th scope="col">{i.pick("Đúng hạn đến hết ngày", "On time until")}</th>
                                <th scope="col">{i.pick("Khóa sổ", "Locks on")}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(label, d)| view! {
                                    <tr>
                                        <td>{label}</td>
                                        <td>{d.due.format("%d/%m/%Y").to_string()}</td>
                                        <td>{d.on_time_until.format("%d/%m/%Y").to_string()}</td>
                                        <td>{d.locks_on.format("%d/%m/%Y").to_string()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })
            }}
            <button type="submit" class="button" disabled=move || create.pending().get()>
                {i.pick("Tạo kỳ báo cáo", "Create")}
            </button>
            {move || create.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
        </form>
    }
}
