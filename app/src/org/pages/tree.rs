use crate::components::{format_count, ErrorNotice, Loading, PageTitle};
use crate::i18n::use_i18n;
use crate::nav::use_query_map;
use crate::org::api::tree_children;
use crate::org::{TreeNode, UnitKind};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::Form;

/// The tree opens its branches in the page, fetching each the first time: an island.
#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
pub fn TreePage() -> impl IntoView {
    let i = use_i18n();
    let params = use_query_map();
    let as_of_text = Memo::new(move |_| params.get().get("as_of").unwrap_or_default());
    let as_of = Memo::new(move |_| NaiveDate::parse_from_str(&as_of_text.get(), "%Y-%m-%d").ok());
    // The roots, each with its children: the page opens every root. The resource is the only
    // one on the page, so what the server rendered and what the browser hydrates agree.
    let roots = Resource::new(
        move || as_of.get(),
        |d| async move {
            let mut opened = Vec::new();
            for root in tree_children(None, d).await? {
                let children = tree_children(Some(root.id), d).await?;
                opened.push((root, children));
            }
            Ok::<_, crate::error::AppError>(opened)
        },
    );
    view! {
        <PageTitle text=move || format!("{} · {}", i.t().tree_title, i.t().app_name) />
        <h1>{i.t().tree_title}</h1>
        <p class="lead">{i.t().tree_intro}</p>
        <Form method="GET" action="/tree" attr:class="inline-form">
            <label for="tree-as-of">{i.t().filter_as_of}</label>
            <input id="tree-as-of" name="as_of" type="date" prop:value=move || as_of_text.get() />
            <button type="submit">{i.t().search_button}</button>
        </Form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match roots.await {
                    Ok(opened) => view! {
                        <ul class="tree" role="list">
                            {opened
                                .into_iter()
                                .map(|(node, children)| {
                                    let as_of = as_of.get_untracked();
                                    view! { <TreeBranch node=node as_of=as_of children=children /> }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One node. Its children are given (an opened root) or fetched the first time it is opened,
/// by a task rather than a resource: a resource created while the tree renders would be
/// numbered differently by the server and the browser, and the hydration would not match.
#[component]
fn TreeBranch(
    node: TreeNode,
    as_of: Option<NaiveDate>,
    #[prop(optional)] children: Option<Vec<TreeNode>>,
) -> AnyView {
    let i = use_i18n();
    let href = format!("/units/{}", node.id);
    let lang_kind = move || {
        let lang = i.lang();
        match node.area_type {
            Some(area_type) => lang.area_type(area_type).to_string(),
            None if node.kind == UnitKind::School => super::levels_label(&node.levels, lang),
            None => lang.unit_kind(node.kind).to_string(),
        }
    };
    if node.child_count == 0 {
        return view! {
            <li class="tree-leaf">
                <a href=href>{node.name}</a>
                <span class="tree-kind">{lang_kind}</span>
            </li>
        }
        .into_any();
    }
    let open = children.is_some();
    let loaded = RwSignal::new(children.map(Ok::<_, crate::error::AppError>));
    let id = node.id;
    let load = move || {
        if loaded.get_untracked().is_none() {
            leptos::task::spawn_local(async move {
                loaded.set(Some(tree_children(Some(id), as_of).await));
            });
        }
    };
    let count = node.child_count;
    view! {
        <li class="tree-branch">
            <details
                open=open
                on:toggle=move |ev| {
                    let details: leptos::web_sys::HtmlDetailsElement = event_target(&ev);
                    if details.open() {
                        load();
                    }
                }
            >
                <summary>
                    <span class="tree-name">{node.name.clone()}</span>
                    <span class="tree-meta">
                        <span class="tree-kind">{lang_kind}</span>
                        " · "
                        <span class="tree-count">
                            {format!("{} {}", format_count(count, i.lang()), i.t().tree_units)}
                        </span>
                    </span>
                </summary>
                <p class="tree-link">
                    <a href=href>{node.name}</a>
                </p>
                {move || match loaded.get() {
                    None => view! { <Loading /> }.into_any(),
                    Some(Ok(nodes)) => view! {
                        <ul class="tree" role="list">
                            {nodes
                                .into_iter()
                                .map(|child| view! { <TreeBranch node=child as_of=as_of /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                }}
            </details>
        </li>
    }
    .into_any()
}
