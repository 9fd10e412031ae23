use super::{levels_label, unit_kind_label};
use crate::components::{format_count, href_with_query, ErrorNotice, Loading, PageTitle};
use crate::i18n::{use_i18n, Lang};
use crate::nav::use_params_map;
use crate::org::api::get_unit;
use crate::org::{UnitDetail, UnitKind, UnitRef};
use chrono::NaiveDate;
use leptos::prelude::*;

#[component]
pub fn UnitPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_unit(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(unit) => view! { <UnitView unit /> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn span_text(
    lang: Lang,
    from: NaiveDate,
    until: Option<NaiveDate>,
    t: &crate::i18n::Strings,
) -> String {
    // Spans end the day before `until`: a merger on 01/07/2025 ends a link on 30/06/2025.
    let end = until
        .and_then(|d| d.pred_opt())
        .map_or(t.now.to_string(), |d| lang.date(d));
    format!("{} {} {} {}", t.since, lang.date(from), t.until, end)
}

fn unit_link(unit: UnitRef) -> impl IntoView {
    view! { <a href=format!("/units/{}", unit.id)>{unit.name}</a> }
}

#[component]
fn UnitView(unit: UnitDetail) -> impl IntoView {
    let i = use_i18n();
    let lang = i.lang();
    let t = i.t();
    let s = unit.summary.clone();
    let title = s.name.clone();
    let schools_href = (s.kind == UnitKind::Area).then(|| {
        let as_of = unit
            .closed_on
            .and_then(|d| d.pred_opt())
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        href_with_query(
            "/directory",
            &[("area", s.id.to_string()), ("as_of", as_of)],
        )
    });
    view! {
        <PageTitle text=format!("{} · {}", title, t.app_name) />
        <nav class="breadcrumb" aria-label=t.nav_directory>
            <a href="/directory">{t.nav_directory}</a>
            " / "
            <span aria-current="page">{s.code.clone()}</span>
        </nav>
        <h1>{s.name.clone()}</h1>
        <p class="unit-kind">{unit_kind_label(&s, lang)}</p>
        {unit.closed_on.map(|closed| view! {
            <div class="notice notice-warn" role="note">
                <p>
                    {t.unit_closed} " " {lang.date(closed)}
                    {unit.merged_into.clone().map(|target| view! {
                        ". " {t.unit_merged_into} " " {unit_link(target)}
                    })}
                </p>
            </div>
        })}
        {(!unit.merged_from.is_empty()).then(|| view! {
            <p class="merged-from">
                {t.unit_merged_from} ": "
                {unit.merged_from.clone().into_iter().enumerate().map(|(n, source)| view! {
                    {(n > 0).then_some(", ")}
                    {unit_link(source)}
                }).collect_view()}
            </p>
        })}
        <dl class="facts">
            <div><dt>{t.unit_code}</dt><dd>{s.code.clone()}</dd></div>
            {(!s.levels.is_empty()).then(|| view! {
                <div><dt>{t.col_levels}</dt><dd>{levels_label(&s.levels, lang)}</dd></div>
            })}
            {s.ownership.map(|o| view! {
                <div><dt>{t.col_ownership}</dt><dd>{lang.ownership(o)}</dd></div>
            })}
            {s.area.clone().map(|a| view! {
                <div><dt>{t.col_area}</dt><dd>{unit_link(a)}</dd></div>
            })}
            {s.student_count.map(|n| view! {
                <div><dt>{t.col_students}</dt><dd>{format_count(n, lang)}</dd></div>
            })}
            {s.staff_count.map(|n| view! {
                <div><dt>{t.col_staff}</dt><dd>{format_count(n, lang)}</dd></div>
            })}
            {(!unit.address.is_empty()).then(|| view! {
                <div><dt>{t.unit_address}</dt><dd>{unit.address.clone()}</dd></div>
            })}
            {unit.latitude.zip(unit.longitude).map(|(lat, lon)| view! {
                <div><dt>{t.unit_coordinates}</dt><dd>{format!("{lat:.5}, {lon:.5}")}</dd></div>
            })}
            <div><dt>{t.unit_established}</dt><dd>{lang.date(unit.established_on)}</dd></div>
            {(unit.child_count > 0).then(|| view! {
                <div><dt>{if unit.closed_on.is_some() { t.unit_children_last_day } else { t.unit_children }}</dt><dd>{format_count(unit.child_count, lang)}</dd></div>
            })}
        </dl>
        {schools_href.map(|href| view! {
            <p><a href=href class="button">{t.unit_see_schools}</a></p>
        })}
        <section class="history" aria-labelledby="names-h">
            <h2 id="names-h">{t.unit_names_history}</h2>
            <ol class="timeline">
                {unit.names.iter().map(|n| view! {
                    <li>
                        <span class="timeline-when">{span_text(lang, n.valid_from, n.valid_until, t)}</span>
                        <span class="timeline-what">{n.name.clone()}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
        {(!unit.links.is_empty()).then(|| view! {
            <section class="history" aria-labelledby="links-h">
                <h2 id="links-h">{t.unit_parents_history}</h2>
                <ol class="timeline">
                    {unit.links.iter().map(|l| view! {
                        <li>
                            <span class="timeline-when">{span_text(lang, l.valid_from, l.valid_until, t)}</span>
                            <span class="timeline-what">
                                {lang.relation(l.relation)} ": " {unit_link(l.parent.clone())}
                            </span>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}
        <section class="history" aria-labelledby="events-h">
            <h2 id="events-h">{t.unit_events}</h2>
            <ol class="timeline">
                {unit.events.iter().map(|e| view! {
                    <li>
                        <span class="timeline-when">{lang.date(e.effective_on)}</span>
                        <span class="timeline-what">
                            {lang.event(e.kind)}
                            {e.related.clone().map(|r| view! { " " {unit_link(r)} })}
                            {(!e.note.is_empty() && e.kind == crate::org::EventKind::Renamed).then(|| format!(": {}", e.note))}
                        </span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
