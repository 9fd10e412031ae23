//! The criteria editor: a programme's set edited as data (groups, items of three kinds,
//! evidence, bands with their must-pass items, the levels it is not for). Saving a version
//! that assessments already use makes the next version; the page says which will happen
//! before anyone saves, and lists every version with how many assessments use it.

use super::api::{criteria_versions, save_criteria};
use super::{Band, CriteriaBody, CriteriaGroup, CriteriaSet, Criterion, CriterionKind, Programme};
use crate::accounts::pages::provide_session;
use crate::accounts::Action as Permission;
use crate::components::{ErrorNotice, Loading, PageTitle};
use crate::i18n::use_i18n;
use crate::nav::{use_navigate, use_query_map};
use crate::org::SchoolLevel;
use leptos::prelude::*;

/// Where the editor lives, for links from other pages.
pub fn editor_url(programme: Programme) -> String {
    format!("/recognition/criteria?programme={}", programme.code())
}

#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
pub fn CriteriaPage() -> impl IntoView {
    let i = use_i18n();
    let session = provide_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let programme = move || {
        query
            .with(|q| q.get("programme").and_then(|p| Programme::from_code(&p)))
            .unwrap_or(Programme::ModelSchool)
    };
    let saved = RwSignal::new(None::<i32>);
    let versions = Resource::new(
        move || (programme(), saved.get()),
        |(p, _)| criteria_versions(p),
    );
    view! {
        <PageTitle text=i.pick("Bộ tiêu chí", "Criteria sets") />
        <h1>{i.pick("Bộ tiêu chí", "Criteria sets")}</h1>
        <p class="lead">{i.pick(
            "Tiêu chí thay đổi theo quyết định: sửa ở đây, không cần sửa phần mềm. Hồ sơ đã chấm giữ phiên bản của mình.",
            "Criteria change by decision: edit them here. Assessments already made keep their version.")}</p>
        <div class="field year-field">
            <label for="criteria-programme">{i.pick("Bộ tiêu chí của", "Set for")}</label>
            <select id="criteria-programme" on:change=move |ev| {
                saved.set(None);
                navigate(&format!("/recognition/criteria?programme={}", event_target_value(&ev)), Default::default());
            }>
                {Programme::ALL.into_iter().map(|p| view! {
                    <option value=p.code() selected=move || programme() == p>{p.label()}</option>
                }).collect_view()}
            </select>
        </div>
        {move || saved.get().map(|v| view! {
            <p class="notice notice-ok" role="status">{format!("{} {v}.", i.pick("Đã lưu phiên bản", "Saved as version"))}</p>
        })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let may = session.0.await.ok().flatten().is_some_and(|u| u.may(Permission::ManageCriteria));
                match versions.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(list) => match list.first().cloned() {
                        None => view! { <p class="empty-state">{i.pick("Chưa có bộ tiêu chí nào.", "No criteria set yet.")}</p> }.into_any(),
                        Some(current) => view! {
                            <Editor set=current programme=programme() may saved />
                            <Versions list />
                        }.into_any(),
                    },
                }
            })}
        </Suspense>
        <p><a href="/recognition">{i.pick("← Điển hình và công nhận", "← Recognition")}</a></p>
    }
}

/// A text box bound to one string of the body.
fn text_field(
    body: RwSignal<CriteriaBody>,
    id: String,
    label: impl IntoView + 'static,
    long: bool,
    enabled: bool,
    get: impl Fn(&CriteriaBody) -> Option<String> + Send + Sync + 'static,
    put: impl Fn(&mut CriteriaBody, String) + Send + Sync + 'static,
) -> impl IntoView {
    let value = move || body.with(|b| get(b).unwrap_or_default());
    let input = move |ev| {
        let text = event_target_value(&ev);
        body.update(|b| put(b, text));
    };
    let control = if long {
        view! { <textarea id=id.clone() rows="2" disabled=!enabled prop:value=value on:input=input></textarea> }.into_any()
    } else {
        view! { <input id=id.clone() type="text" disabled=!enabled prop:value=value on:input=input /> }.into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {control}
        </div>
    }
}

/// A whole-number box bound to one number of the body; anything else leaves it as it was.
fn number_field(
    body: RwSignal<CriteriaBody>,
    id: String,
    label: impl IntoView + 'static,
    enabled: bool,
    get: impl Fn(&CriteriaBody) -> Option<u32> + Send + Sync + 'static,
    put: impl Fn(&mut CriteriaBody, u32) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="field field-narrow">
            <label for=id.clone()>{label}</label>
            <input id=id type="number" inputmode="numeric" min="0" max="1000" disabled=!enabled
                prop:value=move || body.with(|b| get(b).map(|n| n.to_string()).unwrap_or_default())
                on:input=move |ev| {
                    if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                        body.update(|b| put(b, n.min(1000)));
                    }
                } />
        </div>
    }
}

fn item_mut(b: &mut CriteriaBody, g: usize, k: usize) -> Option<&mut Criterion> {
    b.groups.get_mut(g).and_then(|g| g.items.get_mut(k))
}

fn item(b: &CriteriaBody, g: usize, k: usize) -> Option<&Criterion> {
    b.groups.get(g).and_then(|g| g.items.get(k))
}

fn kind_code(kind: &CriterionKind) -> &'static str {
    match kind {
        CriterionKind::Points { .. } => "points",
        CriterionKind::PassFail { .. } => "pass",
        CriterionKind::Threshold { .. } => "threshold",
    }
}

/// The kind named by `code`, carrying over the points of the kind it replaces.
fn kind_from(code: &str, old: &CriterionKind) -> CriterionKind {
    let points = old.max_points();
    match code {
        "pass" => CriterionKind::PassFail { points },
        "threshold" => match old {
            CriterionKind::Threshold { .. } => old.clone(),
            _ => CriterionKind::Threshold {
                min: 100.0,
                unit: "%".into(),
                points,
            },
        },
        _ => CriterionKind::Points { max: points },
    }
}

fn set_points(kind: &mut CriterionKind, n: u32) {
    match kind {
        CriterionKind::Points { max } => *max = n,
        CriterionKind::PassFail { points } | CriterionKind::Threshold { points, .. } => *points = n,
    }
}

/// A new item for group `g` (0-based) holding `n` items, keyed after them.
fn new_item(g: usize, n: usize) -> Criterion {
    Criterion {
        key: format!("{}.{}", g + 1, n + 1),
        text: String::new(),
        kind: CriterionKind::Points { max: 10 },
        evidence_required: false,
        source: None,
    }
}

#[component]
fn Editor(
    set: CriteriaSet,
    programme: Programme,
    may: bool,
    saved: RwSignal<Option<i32>>,
) -> impl IntoView {
    let i = use_i18n();
    let original = StoredValue::new(set.body.clone());
    let body = RwSignal::new(set.body.clone());
    // The shape (how many groups, items and bands) is rendered; values are bound per field,
    // so typing never rebuilds the form under the cursor.
    let shape = Memo::new(move |_| {
        body.with(|b| {
            (
                b.groups.iter().map(|g| g.items.len()).collect::<Vec<_>>(),
                b.bands.len(),
            )
        })
    });
    let problems = Memo::new(move |_| body.with(|b| b.check().err().unwrap_or_default()));
    let changed = Memo::new(move |_| original.with_value(|o| body.with(|b| o != b)));
    let save = Action::new(move |_: &()| save_criteria(programme, body.get_untracked()));
    Effect::new(move |_| {
        if let Some(Ok(set)) = save.value().get() {
            saved.set(Some(set.version));
        }
    });
    let (version, used_by) = (set.version, set.used_by);
    let max_total = move || body.with(|b| b.max_total());
    view! {
        <form class="criteria-editor" on:submit=move |ev| { ev.prevent_default(); if may { save.dispatch(()); } }>
            <section class="panel" aria-labelledby="set-title">
                <h2 id="set-title">{format!("{} {version}", i.pick("Phiên bản đang dùng:", "Current version:"))}</h2>
                <p class="hint">{if used_by > 0 {
                    format!("{} {used_by} {} {}.", i.pick("Phiên bản này đã dùng cho", "This version is used by"),
                        i.pick("hồ sơ: khi lưu, nội dung sửa thành phiên bản", "assessments: saving makes version"), version + 1)
                } else {
                    i.pick("Chưa hồ sơ nào dùng phiên bản này: khi lưu, phiên bản được sửa trực tiếp.",
                        "No assessment uses this version yet: saving changes it in place.").to_string()
                }}</p>
                {text_field(body, "set-name".into(), i.pick("Tên bộ tiêu chí", "Title"), false, may,
                    |b| Some(b.title.clone()), |b, v| b.title = v)}
                {text_field(body, "set-basis".into(), i.pick("Căn cứ (quyết định, thông tư)", "Basis (decision, circular)"), false, may,
                    |b| Some(b.basis.clone()), |b, v| b.basis = v)}
                {text_field(body, "set-caveat".into(), i.pick("Lưu ý hiện trên mọi trang dùng bộ này (để trống nếu không có)", "Caveat shown wherever the set is used (leave empty for none)"), true, may,
                    |b| b.caveat.clone(), |b, v| b.caveat = (!v.trim().is_empty()).then_some(v))}
                <fieldset class="choice-group">
                    <legend>{i.pick("Không áp dụng cho trường chỉ có cấp", "Not for schools teaching only")}</legend>
                    {SchoolLevel::ALL.iter().copied().map(|level| view! {
                        <label class="choice">
                            <input type="checkbox" disabled=!may
                                prop:checked=move || body.with(|b| b.excluded_levels.contains(&level))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    body.update(|b| {
                                        b.excluded_levels.retain(|l| *l != level);
                                        if on { b.excluded_levels.push(level); }
                                    });
                                } />
                            {level.code()}
                        </label>
                    }).collect_view()}
                </fieldset>
            </section>
            {move || shape.get().0.into_iter().enumerate().map(|(g, n)| view! {
                <GroupEditor body g n may />
            }).collect_view()}
            {may.then(|| view! {
                <button type="button" class="button button-secondary" on:click=move |_| body.update(|b| {
                    let g = b.groups.len();
                    b.groups.push(CriteriaGroup { title: format!("{}. ", g + 1), items: vec![new_item(g, 0)] });
                })>{i.pick("+ Thêm nhóm tiêu chí", "+ Add a group")}</button>
            })}
            <section class="panel" aria-labelledby="bands-title">
                <h2 id="bands-title">{i.pick("Mức xếp loại", "Bands")}</h2>
                <p class="hint">{move || format!("{} {}. {}", i.pick("Tổng điểm tối đa:", "Highest total:"), max_total(),
                    i.pick("Xếp từ cao xuống thấp; tiêu chí bắt buộc đạt ghi mã, cách nhau bằng dấu phẩy.",
                        "Best first; must-pass items by key, separated by commas."))}</p>
                {move || (0..shape.get().1).map(|k| view! { <BandEditor body k may /> }).collect_view()}
                {may.then(|| view! {
                    <button type="button" class="button button-secondary" on:click=move |_| body.update(|b| {
                        b.bands.push(Band { name: String::new(), min_score: 0, must_pass: Vec::new() });
                    })>{i.pick("+ Thêm mức", "+ Add a band")}</button>
                })}
            </section>
            {may.then(|| view! {
                <section class="panel" aria-labelledby="save-title">
                    <h2 id="save-title" class="visually-hidden">{i.pick("Lưu", "Save")}</h2>
                    {move || {
                        let list = problems.get();
                        (!list.is_empty()).then(|| view! {
                            <div class="notice notice-warn" role="status">
                                <p class="notice-title">{i.pick("Chưa lưu được:", "Cannot save yet:")}</p>
                                <ul>{list.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                            </div>
                        })
                    }}
                    <div class="actions">
                        <button type="submit" class="button"
                            disabled=move || save.pending().get() || !changed.get() || !problems.get().is_empty()>
                            {i.pick("Lưu bộ tiêu chí", "Save the set")}
                        </button>
                        <button type="button" class="button button-secondary" disabled=move || !changed.get()
                            on:click=move |_| body.set(original.get_value())>
                            {i.pick("Bỏ các thay đổi", "Discard changes")}
                        </button>
                    </div>
                    {move || save.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
                </section>
            })}
        </form>
    }
}

#[component]
fn GroupEditor(body: RwSignal<CriteriaBody>, g: usize, n: usize, may: bool) -> impl IntoView {
    let i = use_i18n();
    let title = move || body.with(|b| b.groups.get(g).map(|x| x.title.clone()).unwrap_or_default());
    view! {
        <section class="panel" aria-label=title>
            {text_field(body, format!("g{g}-title"), move || format!("{} {}", i.pick("Tên nhóm", "Group"), g + 1), false, may,
                move |b| b.groups.get(g).map(|x| x.title.clone()),
                move |b, v| if let Some(x) = b.groups.get_mut(g) { x.title = v })}
            {(0..n).map(|k| view! { <ItemEditor body g k may /> }).collect_view()}
            {may.then(|| view! {
                <div class="actions">
                    <button type="button" class="button button-secondary" on:click=move |_| body.update(|b| {
                        if let Some(x) = b.groups.get_mut(g) { let n = x.items.len(); x.items.push(new_item(g, n)); }
                    })>{i.pick("+ Thêm tiêu chí", "+ Add an item")}</button>
                    <button type="button" class="button button-remove" on:click=move |_| body.update(|b| {
                        if g < b.groups.len() { b.groups.remove(g); }
                    })>{format!("{} {}", i.pick("Xoá nhóm", "Remove group"), g + 1)}</button>
                </div>
            })}
        </section>
    }
}

#[component]
fn ItemEditor(body: RwSignal<CriteriaBody>, g: usize, k: usize, may: bool) -> impl IntoView {
    let i = use_i18n();
    let id = format!("g{g}-i{k}");
    let kind = Memo::new(move |_| body.with(|b| item(b, g, k).map(|c| kind_code(&c.kind))));
    let from_reports = body.with_untracked(|b| item(b, g, k).is_some_and(|c| c.source.is_some()));
    let key = move || body.with(|b| item(b, g, k).map(|c| c.key.clone()).unwrap_or_default());
    view! {
        <div class="criterion item-editor">
            <div class="inline-fields">
                {text_field(body, format!("{id}-key"), i.pick("Mã", "Key"), false, may,
                    move |b| item(b, g, k).map(|c| c.key.clone()),
                    move |b, v| if let Some(c) = item_mut(b, g, k) { c.key = v.trim().to_string() })}
                <div class="field field-narrow">
                    <label for=format!("{id}-kind")>{i.pick("Loại", "Kind")}</label>
                    <select id=format!("{id}-kind") disabled=!may on:change=move |ev| {
                        let code = event_target_value(&ev);
                        body.update(|b| if let Some(c) = item_mut(b, g, k) { c.kind = kind_from(&code, &c.kind) });
                    }>
                        <option value="points" selected=move || kind.get() == Some("points")>{i.pick("Chấm điểm", "Points")}</option>
                        <option value="pass" selected=move || kind.get() == Some("pass")>{i.pick("Đạt / không đạt", "Pass or fail")}</option>
                        <option value="threshold" selected=move || kind.get() == Some("threshold")>{i.pick("Số liệu so với ngưỡng", "Figure against a threshold")}</option>
                    </select>
                </div>
                {number_field(body, format!("{id}-points"), i.pick("Điểm", "Points"), may,
                    move |b| item(b, g, k).map(|c| c.kind.max_points()),
                    move |b, n| if let Some(c) = item_mut(b, g, k) { set_points(&mut c.kind, n) })}
            </div>
            {text_field(body, format!("{id}-text"), move || format!("{} {}", i.pick("Nội dung tiêu chí", "Text of item"), key()), true, may,
                move |b| item(b, g, k).map(|c| c.text.clone()),
                move |b, v| if let Some(c) = item_mut(b, g, k) { c.text = v })}
            {move || (kind.get() == Some("threshold")).then(|| view! {
                <div class="inline-fields">
                    <div class="field field-narrow">
                        <label for=format!("g{g}-i{k}-min")>{i.pick("Ngưỡng (ít nhất)", "Threshold (at least)")}</label>
                        <input id=format!("g{g}-i{k}-min") type="text" inputmode="decimal" disabled=!may
                            prop:value=move || body.with(|b| match item(b, g, k).map(|c| &c.kind) {
                                Some(CriterionKind::Threshold { min, .. }) => crate::reports::format_number(*min),
                                _ => String::new(),
                            })
                            on:change=move |ev| {
                                let text = event_target_value(&ev).replace(',', ".");
                                if let Ok(n) = text.trim().parse::<f64>() {
                                    body.update(|b| if let Some(CriterionKind::Threshold { min, .. }) = item_mut(b, g, k).map(|c| &mut c.kind) {
                                        if n.is_finite() && n >= 0.0 { *min = n; }
                                    });
                                }
                            } />
                    </div>
                    {text_field(body, format!("g{g}-i{k}-unit"), i.pick("Đơn vị", "Unit"), false, may,
                        move |b| match item(b, g, k).map(|c| &c.kind) {
                            Some(CriterionKind::Threshold { unit, .. }) => Some(unit.clone()),
                            _ => None,
                        },
                        move |b, v| if let Some(CriterionKind::Threshold { unit, .. }) = item_mut(b, g, k).map(|c| &mut c.kind) { *unit = v })}
                </div>
            })}
            <div class="inline-fields">
                <label class="check">
                    <input type="checkbox" disabled=!may
                        prop:checked=move || body.with(|b| item(b, g, k).is_some_and(|c| c.evidence_required))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            body.update(|b| if let Some(c) = item_mut(b, g, k) { c.evidence_required = on });
                        } />
                    {i.pick("Cần minh chứng", "Evidence required")}
                </label>
                {may.then(|| view! {
                    <button type="button" class="button button-remove"
                        on:click=move |_| body.update(|b| if let Some(x) = b.groups.get_mut(g) { if k < x.items.len() { x.items.remove(k); } })>
                        {move || format!("{} {}", i.pick("Xoá tiêu chí", "Remove item"), key())}
                    </button>
                })}
            </div>
            {from_reports.then(|| view! {
                <p class="hint">{i.pick("Tiêu chí này tự tính từ tỉ lệ báo cáo đúng hạn; không ai nhập tay.", "Filled from the year's on-time reports; nobody types it.")}</p>
            })}
        </div>
    }
}

#[component]
fn BandEditor(body: RwSignal<CriteriaBody>, k: usize, may: bool) -> impl IntoView {
    let i = use_i18n();
    let name = move || body.with(|b| b.bands.get(k).map(|x| x.name.clone()).unwrap_or_default());
    view! {
        <div class="criterion inline-fields">
            {text_field(body, format!("b{k}-name"), move || format!("{} {}", i.pick("Tên mức", "Band"), k + 1), false, may,
                move |b| b.bands.get(k).map(|x| x.name.clone()),
                move |b, v| if let Some(x) = b.bands.get_mut(k) { x.name = v })}
            {number_field(body, format!("b{k}-min"), i.pick("Điểm tối thiểu", "Lowest total"), may,
                move |b| b.bands.get(k).map(|x| x.min_score),
                move |b, n| if let Some(x) = b.bands.get_mut(k) { x.min_score = n })}
            <div class="field">
                <label for=format!("b{k}-must")>{i.pick("Tiêu chí bắt buộc đạt", "Must-pass items")}</label>
                <input id=format!("b{k}-must") type="text" disabled=!may placeholder="1.1, 3.1"
                    prop:value=move || body.with(|b| b.bands.get(k).map(|x| x.must_pass.join(", ")).unwrap_or_default())
                    on:change=move |ev| {
                        let keys: Vec<String> = event_target_value(&ev).split([',', ';', ' '])
                            .map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
                        body.update(|b| if let Some(x) = b.bands.get_mut(k) { x.must_pass = keys });
                    } />
            </div>
            {may.then(|| view! {
                <button type="button" class="button button-remove"
                    on:click=move |_| body.update(|b| if k < b.bands.len() { b.bands.remove(k); })>
                    {move || format!("{} «{}»", i.pick("Xoá mức", "Remove band"), name())}
                </button>
            })}
        </div>
    }
}

/// Every version of the set, newest first, with how many assessments use each.
#[component]
fn Versions(list: Vec<CriteriaSet>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <section aria-labelledby="versions-title">
            <h2 id="versions-title">{i.pick("Các phiên bản", "Versions")}</h2>
            <ul class="report-list">
                {list.into_iter().map(|s| {
                    let (items, max) = (s.body.criteria().count(), s.body.max_total());
                    view! {
                        <li class="report-card">
                            <span class="plan-title">{format!("{} {}", i.pick("Phiên bản", "Version"), s.version)}</span>
                            <span>{s.body.title.clone()}</span>
                            <div class="unit-meta">
                                <span>{format!("{items} {}", i.pick("tiêu chí", "items"))}</span>
                                <span>{format!("{} {max} {}", i.pick("tối đa", "up to"), i.pick("điểm", "points"))}</span>
                                <span>{format!("{} {} {}", i.pick("dùng cho", "used by"), s.used_by, i.pick("hồ sơ", "assessments"))}</span>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changing_an_items_kind_keeps_its_points() {
        let old = CriterionKind::Points { max: 15 };
        assert_eq!(
            kind_from("pass", &old),
            CriterionKind::PassFail { points: 15 }
        );
        assert_eq!(kind_from("threshold", &old).max_points(), 15);
        let threshold = CriterionKind::Threshold {
            min: 95.0,
            unit: "%".into(),
            points: 10,
        };
        assert_eq!(kind_from("threshold", &threshold), threshold);
        assert_eq!(
            kind_from("points", &threshold),
            CriterionKind::Points { max: 10 }
        );
    }

    #[test]
    fn a_new_item_is_keyed_after_its_group() {
        assert_eq!(new_item(2, 3).key, "3.4");
    }
}
