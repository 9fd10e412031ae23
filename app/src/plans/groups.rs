//! Saved groups of units ("Trường THPT ven biển"): chosen as a whole when a plan is sent,
//! created from a search of the directory, deleted after a confirmation.

use super::api::{create_unit_group, delete_unit_group, unit_groups};
use super::GroupRef;
use crate::components::ErrorNotice;
use crate::i18n::use_i18n;
use crate::org::api::search_units;
use crate::org::{DirectoryFilter, UnitKind, UnitRef};
use leptos::prelude::*;

/// The saved groups as checkboxes, and the form that saves a new one.
#[component]
pub fn GroupPicker(
    /// The groups the plan is sent to.
    selected: Signal<Vec<GroupRef>>,
    /// A group was ticked (`true`) or unticked; also called with `false` when it is deleted.
    on_toggle: Callback<(GroupRef, bool)>,
) -> impl IntoView {
    let i = use_i18n();
    let version = RwSignal::new(0u32);
    let groups = crate::components::browser_resource(move || version.get(), |_| unit_groups());
    let confirm = RwSignal::new(None::<i64>);
    let remove = Action::new(|group: &GroupRef| {
        let group = group.clone();
        async move { delete_unit_group(group.id).await.map(|()| group) }
    });
    Effect::new(move |_| {
        if let Some(Ok(group)) = remove.value().get() {
            confirm.set(None);
            on_toggle.run((group, false));
            version.update(|v| *v += 1);
        }
    });
    view! {
           {move || {match crate::components::loaded(groups) {
    None => ().into_any(),
    Some(value) => {
                   match value {
                       Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                       Ok(list) if list.is_empty() => view! {
                           <p class="muted">{i.pick("Chưa có nhóm nào. Tạo nhóm ở dưới.", "No group yet. Create one below.")}</p>
                       }.into_any(),
                       Ok(list) => view! {
                           <ul class="group-list">
                               {list.into_iter().map(|g| {
                                   let group = GroupRef { id: g.id, name: g.name.clone() };
                                   let id = format!("aud-group-{}", g.id);
                                   let for_id = id.clone();
                                   let group_id = g.id;
                                   let count = g.members.len();
                                   let members: Vec<String> = g.members.iter().map(|m| m.name.clone()).collect();
                                   let toggled = group.clone();
                                   let removed = group.clone();
                                   let name = g.name.clone();
                                   view! {
                                       <li>
                                           <label class="choice" for=for_id>
                                               <input type="checkbox" id=id
                                                   prop:checked=move || selected.with(|s| s.iter().any(|x| x.id == group_id))
                                                   on:change=move |ev| on_toggle.run((toggled.clone(), event_target_checked(&ev))) />
                                               {g.name.clone()}
                                               <span class="as-of">{format!(" ({count} {})", i.pick("đơn vị", "units"))}</span>
                                           </label>
                                           <span class="as-of group-members">{members.join(", ")}</span>
                                           <Show when=move || confirm.get() != Some(group_id) fallback={
                                               let removed = removed.clone();
                                               move || {
                                                   let removed = removed.clone();
                                                   view! {
                                                       <span class="confirm" role="group" aria-label=i.pick("Xác nhận xoá nhóm", "Confirm deleting the group")>
                                                           <button type="button" class="tool tool-danger" disabled=move || remove.pending().get()
                                                               on:click=move |_| { remove.dispatch(removed.clone()); }>
                                                               {i.pick("Xoá hẳn nhóm", "Delete the group")}
                                                           </button>
                                                           <button type="button" class="tool" on:click=move |_| confirm.set(None)>
                                                               {i.pick("Giữ lại", "Keep it")}
                                                           </button>
                                                       </span>
                                                   }
                                               }
                                           }>
                                               {
                                                   let name = name.clone();
                                                   view! {
                                                       <button type="button" class="tool" aria-label=move || format!("{} {name}", i.pick("Xoá nhóm", "Delete group"))
                                                           on:click=move |_| confirm.set(Some(group_id))>
                                                           {i.pick("Xoá", "Delete")}
                                                       </button>
                                                   }
                                               }
                                           </Show>
                                       </li>
                                   }
                               }).collect_view()}
                           </ul>
                       }.into_any(),
                   }
               }.into_any(),
    }}}
           {move || remove.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
           <NewGroup on_saved=Callback::new(move |()| version.update(|v| *v += 1)) />
       }
}

/// Names a new group and fills it from a search of the directory.
#[component]
fn NewGroup(on_saved: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let name = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let members = RwSignal::new(Vec::<UnitRef>::new());
    let found = crate::components::browser_resource(
        move || query.get(),
        |q| async move {
            if q.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            let filter = DirectoryFilter {
                q,
                kind: Some(UnitKind::School),
                ..DirectoryFilter::default()
            };
            search_units(filter).await.map(|page| {
                page.items
                    .into_iter()
                    .take(10)
                    .map(|u| UnitRef {
                        id: u.id,
                        code: u.code,
                        name: u.name,
                    })
                    .collect::<Vec<_>>()
            })
        },
    );
    let save = Action::new(move |_: &()| {
        let units: Vec<i64> = members.get_untracked().iter().map(|m| m.id).collect();
        create_unit_group(name.get_untracked(), units)
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            name.set(String::new());
            query.set(String::new());
            members.set(Vec::new());
            on_saved.run(());
        }
    });
    view! {
           <details class="new-group">
               <summary>{i.pick("Tạo nhóm đơn vị mới", "Create a new group")}</summary>
               <div class="field">
                   <label for="group-name">{i.pick("Tên nhóm", "Group name")}</label>
                   <input id="group-name" type="text" maxlength="120" prop:value=move || name.get()
                       on:input=move |ev| name.set(event_target_value(&ev)) />
               </div>
               <div class="field">
                   <label for="group-search">{i.pick("Tìm trường để thêm (tên hoặc mã)", "Find schools to add (name or code)")}</label>
                   <input id="group-search" type="search" autocomplete="off" prop:value=move || query.get()
                       on:input=move |ev| query.set(event_target_value(&ev)) />
               </div>
               {move || {match crate::components::loaded(found) {
    None => ().into_any(),
    Some(value) => {
                       match value {
                           Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                           Ok(list) => view! {
                               <ul class="group-found" aria-live="polite">
                                   {list.into_iter().map(|u| {
                                       let unit = u.clone();
                                       let id = u.id;
                                       view! {
                                           <li>
                                               <span>{u.name.clone()}</span>
                                               <button type="button" class="tool"
                                                   disabled=move || members.with(|m| m.iter().any(|x| x.id == id))
                                                   on:click=move |_| members.update(|m| m.push(unit.clone()))>
                                                   {i.pick("Thêm", "Add")}
                                               </button>
                                           </li>
                                       }
                                   }).collect_view()}
                               </ul>
                           }.into_any(),
                       }
                   }.into_any(),
    }}}
               <p class="as-of">{move || format!("{} {}", members.with(Vec::len), i.pick("đơn vị trong nhóm", "units in the group"))}</p>
               <ul class="group-members-edit">
                   <For each=move || members.get() key=|u| u.id let:u>
                       {
                           let id = u.id;
                           let name = u.name.clone();
                           view! {
                               <li>
                                   <span>{u.name.clone()}</span>
                                   <button type="button" class="tool" aria-label=move || format!("{} {name}", i.pick("Bỏ", "Remove"))
                                       on:click=move |_| members.update(|m| m.retain(|x| x.id != id))>
                                       {i.pick("Bỏ", "Remove")}
                                   </button>
                               </li>
                           }
                       }
                   </For>
               </ul>
               <button type="button" class="button button-secondary" disabled=move || save.pending().get()
                   on:click=move |_| { save.dispatch(()); }>
                   {i.pick("Lưu nhóm", "Save the group")}
               </button>
               {move || save.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
           </details>
       }
}
