//! Choosing who a plan or a report cycle is for: school levels, ownership, areas and saved
//! groups of units, with how many schools that makes today.

use super::api::audience_size;
use super::groups::GroupPicker;
use super::{Audience, GroupRef};
use crate::i18n::use_i18n;
use crate::org::{Ownership, SchoolLevel, UnitRef};
use leptos::prelude::*;

/// The choices of an audience; an empty group of choices does not restrict.
#[component]
pub fn AudiencePicker(
    /// Prefix of the element ids, so that two pickers on a page never share one.
    id: &'static str,
    audience: Signal<Audience>,
    on_change: Callback<Audience>,
    /// How the count of schools reads, in Vietnamese and English.
    counted: (&'static str, &'static str),
) -> impl IntoView {
    let i = use_i18n();
    let areas = crate::components::browser_resource(|| (), |_| crate::org::api::list_areas(None));
    let current = Memo::new(move |_| audience.get());
    let size = crate::components::browser_resource(move || current.get(), audience_size);
    let change = move |edit: &dyn Fn(&mut Audience)| {
        let mut next = current.get_untracked();
        edit(&mut next);
        on_change.run(next);
    };
    let toggle_level = move |level: SchoolLevel, on: bool| {
        change(&|a| {
            a.levels.retain(|l| *l != level);
            if on {
                a.levels.push(level);
            }
        })
    };
    let toggle_ownership = move |o: Ownership, on: bool| {
        change(&|a| {
            a.ownership.retain(|x| *x != o);
            if on {
                a.ownership.push(o);
            }
        })
    };
    let toggle_area = move |unit: UnitRef, on: bool| {
        change(&|a| {
            a.units.retain(|u| u.id != unit.id);
            if on {
                a.units.push(unit.clone());
            }
        })
    };
    view! {
           <p class="hint">{i.pick(
               "Để trống một nhóm nghĩa là không giới hạn theo nhóm đó.",
               "Leave a group empty not to restrict by it.",
           )}</p>
           <fieldset class="choice-group">
               <legend>{i.pick("Cấp học", "Levels")}</legend>
               {SchoolLevel::ALL.iter().map(|level| {
                   let level = *level;
                   let box_id = format!("{id}-level-{}", level.code());
                   let for_id = box_id.clone();
                   view! {
                       <label class="choice" for=for_id>
                           <input type="checkbox" id=box_id prop:checked=move || current.with(|a| a.levels.contains(&level))
                               on:change=move |ev| toggle_level(level, event_target_checked(&ev)) />
                           {level.code()}
                       </label>
                   }
               }).collect_view()}
           </fieldset>
           <fieldset class="choice-group">
               <legend>{i.pick("Loại hình", "Ownership")}</legend>
               {Ownership::ALL.iter().map(|o| {
                   let o = *o;
                   let box_id = format!("{id}-own-{}", o.code());
                   let for_id = box_id.clone();
                   view! {
                       <label class="choice" for=for_id>
                           <input type="checkbox" id=box_id prop:checked=move || current.with(|a| a.ownership.contains(&o))
                               on:change=move |ev| toggle_ownership(o, event_target_checked(&ev)) />
                           {move || match o { Ownership::Public => i.pick("Công lập", "Public"), Ownership::NonPublic => i.pick("Ngoài công lập", "Non-public") }}
                       </label>
                   }
               }).collect_view()}
           </fieldset>
           <details class="choice-group">
               <summary>{move || format!("{} ({})", i.pick("Khu vực", "Areas"), current.with(|a| a.units.len()))}</summary>
               {move || {match crate::components::loaded(areas) {
    None => ().into_any(),
    Some(value) => {
                       value.unwrap_or_default().into_iter().map(|area| {
                           let box_id = format!("{id}-area-{}", area.id);
                           let for_id = box_id.clone();
                           let area_id = area.id;
                           let name = area.name.clone();
                           view! {
                               <label class="choice" for=for_id>
                                   <input type="checkbox" id=box_id prop:checked=move || current.with(|a| a.units.iter().any(|u| u.id == area_id))
                                       on:change=move |ev| toggle_area(area.clone(), event_target_checked(&ev)) />
                                   {name}
                               </label>
                           }
                       }).collect_view()
                   }.into_any(),
    }}}
           </details>
           <details class="choice-group">
               <summary>{move || format!("{} ({})", i.pick("Nhóm đơn vị đã lưu", "Saved groups of units"), current.with(|a| a.groups.len()))}</summary>
               <GroupPicker
                   selected=Signal::derive(move || current.with(|a| a.groups.clone()))
                   on_toggle=Callback::new(move |(group, on): (GroupRef, bool)| change(&|a| {
                       a.groups.retain(|g| g.id != group.id);
                       if on {
                           a.groups.push(group.clone());
                       }
                   }))
               />
           </details>
           <p class="as-of" aria-live="polite">
               {move || {match crate::components::loaded(size) {
    None => ().into_any(),
    Some(value) => {
                       value.map(|n| format!("{n} {}", i.pick(counted.0, counted.1))).unwrap_or_default()
                   }.into_any(),
    }}}
           </p>
       }
}
