use crate::accounts::pages::use_session;
use crate::components::{format_count, href_with_query, ErrorNotice, Loading, PageTitle};
use crate::i18n::use_i18n;
use crate::org::api::get_overview;
use leptos::prelude::*;
use leptos_router::components::Form;

#[component]
pub fn HomePage() -> impl IntoView {
    let i = use_i18n();
    let overview = Resource::new(|| (), |_| get_overview());
    let session = use_session();
    view! {
        <PageTitle text=move || format!("{} · {}", i.t().home_title, i.t().app_name) />
        // Each user starts from their own unit: a school officer sees their school first.
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                session.0.await.ok().flatten().map(|user| {
                    let lang = i.lang();
                    view! {
                        <section class="greeting" aria-labelledby="greeting-title">
                            <h2 id="greeting-title">{i.t().hello} ", " {user.full_name}</h2>
                            <ul class="plain-list">
                                {user.grants.into_iter().map(|g| view! {
                                    <li>
                                        <span class="role-badge">{lang.role(g.role)}</span>
                                        " "
                                        <a href=format!("/units/{}", g.unit.id)>{g.unit.name}</a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                })
            })}
        </Suspense>
        <h1>{i.t().home_title}</h1>
        <p class="lead">{i.t().home_intro}</p>
        <Form method="GET" action="/directory" attr:class="search-bar" attr:role="search">
            <label for="home-q" class="visually-hidden">
                {i.t().search_label}
            </label>
            <input
                id="home-q"
                name="q"
                type="search"
                autocomplete="off"
                placeholder=i.t().search_placeholder
            />
            <button type="submit">{i.t().search_button}</button>
        </Form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => {
                        let lang = i.lang();
                        view! {
                            {o.department.map(|d| view! {
                                <p class="department">
                                    <a href=format!("/units/{}", d.id)>{d.name}</a>
                                </p>
                            })}
                            <ul class="stats" aria-label=i.t().home_title>
                                <li class="stat">
                                    <span class="stat-value">{format_count(o.schools, lang)}</span>
                                    <span class="stat-label">{i.t().home_schools}</span>
                                </li>
                                <li class="stat">
                                    <span class="stat-value">{format_count(o.areas, lang)}</span>
                                    <span class="stat-label">{i.t().home_areas}</span>
                                </li>
                                <li class="stat">
                                    <span class="stat-value">{format_count(o.students, lang)}</span>
                                    <span class="stat-label">{i.t().home_students}</span>
                                </li>
                            </ul>
                            <h2>{i.t().home_by_level}</h2>
                            <ul class="level-list">
                                {o.schools_by_level
                                    .into_iter()
                                    .map(|(level, n)| {
                                        let href = href_with_query(
                                            "/directory",
                                            &[("kind", "school".into()), ("level", level.code().into())],
                                        );
                                        view! {
                                            <li>
                                                <a href=href>
                                                    <span>{i.lang().level(level)}</span>
                                                    " "
                                                    <span class="count">{format_count(n, lang)}</span>
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            <p class="as-of">
                                {i.t().as_of}
                                " "
                                {lang.date(o.as_of)}
                            </p>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
