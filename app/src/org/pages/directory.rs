use super::unit_kind_label;
use crate::components::{format_count, href_with_query, ErrorNotice, Loading, PageTitle};
use crate::i18n::use_i18n;
use crate::nav::use_query_map;
use crate::org::api::{list_areas, search_units};
use crate::org::{
    pre_reform_date, DirectoryFilter, LevelFilter, Ownership, SchoolLevel, UnitKind, PAGE_SIZE,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::params::ParamsMap;

const GROUPING_PRE_REFORM: &str = "pre2025";

/// The directory's state, exactly as the URL carries it, so a link reproduces the view.
#[derive(Debug, Clone, Default, PartialEq)]
struct DirectoryQuery {
    q: String,
    kind: String,
    level: String,
    ownership: String,
    area: String,
    as_of: String,
    grouping: String,
    page: u32,
}

impl DirectoryQuery {
    fn from_params(params: &ParamsMap) -> Self {
        let get = |key: &str| params.get(key).unwrap_or_default().trim().to_string();
        DirectoryQuery {
            q: get("q"),
            kind: get("kind"),
            level: get("level"),
            ownership: get("own"),
            area: get("area"),
            as_of: get("as_of"),
            grouping: get("grouping"),
            page: get("page").parse().unwrap_or(0),
        }
    }

    /// The date the view is taken on: the pre-reform grouping pins it before 01/07/2025.
    fn effective_as_of(&self) -> Option<NaiveDate> {
        let chosen = NaiveDate::parse_from_str(&self.as_of, "%Y-%m-%d").ok();
        if self.grouping == GROUPING_PRE_REFORM {
            Some(chosen.map_or(pre_reform_date(), |d| d.min(pre_reform_date())))
        } else {
            chosen
        }
    }

    fn filter(&self) -> DirectoryFilter {
        DirectoryFilter {
            q: self.q.clone(),
            kind: UnitKind::from_code(&self.kind),
            level: LevelFilter::from_code(&self.level),
            ownership: Ownership::from_code(&self.ownership),
            area: self.area.parse().ok(),
            as_of: self.effective_as_of(),
            page: self.page,
        }
    }

    fn href(&self, page: u32) -> String {
        href_with_query(
            "/directory",
            &[
                ("q", self.q.clone()),
                ("kind", self.kind.clone()),
                ("level", self.level.clone()),
                ("own", self.ownership.clone()),
                ("grouping", self.grouping.clone()),
                ("area", self.area.clone()),
                ("as_of", self.as_of.clone()),
                (
                    "page",
                    if page == 0 {
                        String::new()
                    } else {
                        page.to_string()
                    },
                ),
            ],
        )
    }
}

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let i = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| DirectoryQuery::from_params(&params.get()));
    let results = Resource::new(move || query.get().filter(), search_units);
    let areas = Resource::new(move || query.get().effective_as_of(), list_areas);
    let select = move |id: &'static str,
                       name: &'static str,
                       label: Signal<&'static str>,
                       current: Signal<String>,
                       options: Signal<Vec<(String, String)>>| {
        view! {
            <div class="field">
                <label for=id>{move || label.get()}</label>
                <select id=id name=name>
                    <option value="" selected=move || current.get().is_empty() prop:selected=move || current.get().is_empty()>
                        {i.t().all}
                    </option>
                    {move || {
                        options
                            .get()
                            .into_iter()
                            .map(|(value, text)| {
                                let this = value.clone();
                                let selected = move || current.get() == this;
                                view! {
                                    <option value=value selected=selected.clone() prop:selected=selected>
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
        }
    };

    let kind_options = Signal::derive(move || {
        let lang = i.lang();
        UnitKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), lang.unit_kind(*k).to_string()))
            .collect()
    });
    let level_options = Signal::derive(move || {
        let lang = i.lang();
        let mut options: Vec<(String, String)> = SchoolLevel::ALL
            .iter()
            .map(|l| (l.code().to_string(), lang.level(*l).to_string()))
            .collect();
        options.push((
            LevelFilter::MultiLevel.code().to_string(),
            i.t().multi_level.to_string(),
        ));
        options
    });
    let ownership_options = Signal::derive(move || {
        let lang = i.lang();
        Ownership::ALL
            .iter()
            .map(|o| (o.code().to_string(), lang.ownership(*o).to_string()))
            .collect()
    });
    let grouping_options = Signal::derive(move || {
        vec![(
            GROUPING_PRE_REFORM.to_string(),
            i.t().grouping_pre_reform.to_string(),
        )]
    });
    let pending = RwSignal::new(false);
    let current_area = Signal::derive(move || query.get().area);
    let area_label = Signal::derive(move || i.t().filter_area);

    view! {
        <PageTitle text=move || format!("{} · {}", i.t().nav_directory, i.t().app_name) />
        <h1>{i.t().nav_directory}</h1>
        // The form waits for the list of areas on the chosen date (leptos_router's Form does
        // not wait for data inside it); while a new list loads, the old form stays.
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let area_options: Vec<(String, String)> = areas
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .map(|a| (a.id.to_string(), a.name))
                    .collect();
                view! {
                <Form method="GET" action="/directory" attr:class="filters" attr:role="search">
                    <crate::components::SubmitOnChange />
                    <div class="search-bar">
                        <label for="q" class="visually-hidden">
                            {i.t().search_label}
                        </label>
                        <input
                            id="q"
                            name="q"
                            type="search"
                            autocomplete="off"
                            placeholder=i.t().search_placeholder
                            prop:value=move || query.get().q
                        />
                        <button type="submit">{i.t().search_button}</button>
                    </div>
                    <div class="filter-grid">
                        {select("f-kind", "kind", Signal::derive(move || i.t().filter_kind), Signal::derive(move || query.get().kind), kind_options)}
                        {select("f-level", "level", Signal::derive(move || i.t().filter_level), Signal::derive(move || query.get().level), level_options)}
                        {select("f-own", "own", Signal::derive(move || i.t().filter_ownership), Signal::derive(move || query.get().ownership), ownership_options)}
                        <div class="field">
                            <label for="f-grouping">{i.t().filter_grouping}</label>
                            <select id="f-grouping" name="grouping">
                                <option value="" selected=move || query.get().grouping.is_empty() prop:selected=move || query.get().grouping.is_empty()>
                                    {i.t().grouping_current}
                                </option>
                                {move || grouping_options.get().into_iter().map(|(value, text)| {
                                    let this = value.clone();
                                    let selected = move || query.get().grouping == this;
                                    view! { <option value=value selected=selected.clone() prop:selected=selected>{text}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        {select("f-area", "area", area_label, current_area, Signal::stored(area_options))}
                        <div class="field">
                            <label for="f-as-of">{i.t().filter_as_of}</label>
                            <input
                                id="f-as-of"
                                name="as_of"
                                type="date"
                                min="1976-01-01"
                                prop:value=move || query.get().as_of

                            />
                        </div>
                    </div>
                    <p class="filter-actions">
                        <a href="/directory">{i.t().clear_filters}</a>
                    </p>
                </Form>
                }
            })}
        </Transition>
        // While new results load the old ones stay, marked busy for assistive technology.
        <div id="results" aria-busy=move || pending.get().to_string()>
        <Transition fallback=Loading set_pending=pending>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(page) => {
                        let lang = i.lang();
                        let q = query.get_untracked();
                        let pages = ((page.total as u32).div_ceil(PAGE_SIZE)).max(1);
                        let prev = (page.page > 0).then(|| q.href(page.page - 1));
                        let next = (page.page + 1 < pages).then(|| q.href(page.page + 1));
                        view! {
                            <p class="result-count" role="status">
                                <strong>{format_count(page.total, lang)}</strong>
                                " "
                                {i.t().results_count}
                                " · "
                                {i.t().as_of}
                                " "
                                {lang.date(page.as_of)}
                            </p>
                            {if page.items.is_empty() {
                                view! {
                                    <div class="empty-state">
                                        <p><strong>{i.t().no_results}</strong></p>
                                        <p>{i.t().no_results_hint}</p>
                                    </div>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <ul class="unit-list">
                                        {page
                                            .items
                                            .into_iter()
                                            .map(|unit| {
                                                let kind = unit_kind_label(&unit, lang);
                                                view! {
                                                    <li class="unit-card">
                                                        <a href=format!("/units/{}", unit.id) class="unit-name">
                                                            {unit.name.clone()}
                                                        </a>
                                                        <p class="unit-meta">
                                                            <span class="unit-code">{unit.code.clone()}</span>
                                                            <span>{kind}</span>
                                                            {unit.area.map(|a| view! { <span>{a.name}</span> })}
                                                            {unit.student_count.map(|n| view! {
                                                                <span>
                                                                    {format_count(n, lang)} " " {i.t().col_students.to_lowercase()}
                                                                </span>
                                                            })}
                                                        </p>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }}
                            <nav class="pager" aria-label=i.t().page_of>
                                {prev.map(|href| view! { <a href=href rel="prev">{i.t().prev_page}</a> })}
                                <span>{i.t().page_of} " " {page.page + 1} " / " {pages}</span>
                                {next.map(|href| view! { <a href=href rel="next">{i.t().next_page}</a> })}
                            </nav>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_reform_grouping_pins_the_date() {
        let q = DirectoryQuery {
            grouping: GROUPING_PRE_REFORM.into(),
            ..Default::default()
        };
        assert_eq!(q.effective_as_of(), Some(pre_reform_date()));
        let later = DirectoryQuery {
            as_of: "2026-01-01".into(),
            ..q.clone()
        };
        assert_eq!(later.effective_as_of(), Some(pre_reform_date()));
        let earlier = DirectoryQuery {
            as_of: "2019-05-01".into(),
            ..q
        };
        assert_eq!(
            earlier.effective_as_of(),
            NaiveDate::from_ymd_opt(2019, 5, 1)
        );
    }

    #[test]
    fn href_keeps_filters_and_page() {
        let q = DirectoryQuery {
            q: "thcs".into(),
            level: "THCS".into(),
            ..Default::default()
        };
        assert_eq!(q.href(2), "/directory?q=thcs&level=THCS&page=2");
        assert_eq!(q.href(0), "/directory?q=thcs&level=THCS");
    }
}
