//! The plan editor. Every part of the document is a form section; list items can be added,
//! removed (with undo) and moved, by button or by Alt+↑/↓. Nothing typed is lost: each
//! change is written to the device at once, and to the server every few seconds; a save
//! names the version it started from, so a concurrent save by someone else opens the
//! conflict view instead of overwriting.

use super::api::{plan_step, save_plan, search_documents};
use super::audience::AudiencePicker;
use super::diff::diff;
use super::pages::{local_time, DiffView, PlanDocument};
use super::{
    Audience, Duty, LegalBasis, Measure, PlanContent, PlanView, ReportDuty, Revision, SaveOutcome,
    Target, Task, TextItem, Transition,
};
use crate::components::{ErrorNotice, PageTitle};
use crate::error::AppError;
use crate::i18n::{use_i18n, I18n};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How often a changed draft is sent to the server.
pub const AUTOSAVE_SECONDS: u64 = 3;

/// What the device keeps of a draft until the server has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalDraft {
    /// The server version the edits started from.
    pub version: i64,
    pub content: PlanContent,
}

/// Where the device keeps a plan's draft not yet saved, for one account.
pub fn storage_key(reader: i64, plan: i64) -> String {
    format!("antq.plan-draft.{reader}.{plan}")
}

/// Where the draft stands, as the status line tells it.
#[derive(Debug, Clone, PartialEq)]
enum SaveState {
    Saved(String),
    Unsaved,
    Saving,
    /// The server could not be reached; the text is on the device.
    Offline,
    Conflict(Box<Revision>),
    Failed(AppError),
}

/// The editor's shared state; `Copy`, so every field's closures can hold it.
#[derive(Clone, Copy)]
struct Ed {
    /// The account editing (what the device keeps is kept under it; only the browser keeps
    /// anything).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    reader: i64,
    plan: i64,
    content: RwSignal<PlanContent>,
    version: RwSignal<i64>,
    /// Counts edits; the draft is dirty while it differs from `saved_edits`.
    edits: RwSignal<u64>,
    saved_edits: RwSignal<u64>,
    state: RwSignal<SaveState>,
    /// The content before the last removal, for undo.
    undo: RwSignal<Option<PlanContent>>,
}

impl Ed {
    fn change(self, f: impl FnOnce(&mut PlanContent)) {
        self.content.update(f);
        self.edits.update(|n| *n += 1);
        if !matches!(
            self.state.get_untracked(),
            SaveState::Conflict(_) | SaveState::Offline
        ) {
            self.state.set(SaveState::Unsaved);
        }
        self.keep_on_device();
    }

    fn dirty(self) -> bool {
        self.edits.get_untracked() != self.saved_edits.get_untracked()
    }

    fn keep_on_device(self) {
        #[cfg(feature = "hydrate")]
        {
            use gloo_storage::{LocalStorage, Storage};
            let draft = LocalDraft {
                version: self.version.get_untracked(),
                content: self.content.get_untracked(),
            };
            let _ = LocalStorage::set(storage_key(self.reader, self.plan), &draft);
        }
    }

    fn forget_on_device(self) {
        #[cfg(feature = "hydrate")]
        {
            use gloo_storage::{LocalStorage, Storage};
            LocalStorage::delete(storage_key(self.reader, self.plan));
        }
    }

    /// Sends the draft if it changed; returns false when it could not be saved.
    async fn save(self) -> bool {
        if !self.dirty() {
            return true;
        }
        if matches!(
            self.state.get_untracked(),
            SaveState::Saving | SaveState::Conflict(_)
        ) {
            return false;
        }
        let sent_at = self.edits.get_untracked();
        let content = self.content.get_untracked();
        self.state.set(SaveState::Saving);
        match save_plan(self.plan, self.version.get_untracked(), content).await {
            Ok(SaveOutcome::Saved { version, saved_at }) => {
                self.version.set(version);
                self.saved_edits.set(sent_at);
                if self.dirty() {
                    // Typed during the round trip: the device copy stays, with the new base.
                    self.keep_on_device();
                    self.state.set(SaveState::Unsaved);
                } else {
                    self.forget_on_device();
                    self.state.set(SaveState::Saved(saved_at));
                }
                true
            }
            Ok(SaveOutcome::Conflict { theirs }) => {
                self.state.set(SaveState::Conflict(theirs));
                false
            }
            Err(AppError::Transport(_)) | Err(AppError::Unavailable) => {
                self.state.set(SaveState::Offline);
                false
            }
            Err(e) => {
                self.state.set(SaveState::Failed(e));
                false
            }
        }
    }

    fn remove<T: Clone>(
        self,
        list: fn(&mut PlanContent) -> &mut Vec<T>,
        id_of: fn(&T) -> u32,
        id: u32,
    ) {
        self.undo.set(Some(self.content.get_untracked()));
        self.change(|c| list(c).retain(|x| id_of(x) != id));
    }

    fn shift<T: Clone>(
        self,
        list: fn(&mut PlanContent) -> &mut Vec<T>,
        id_of: fn(&T) -> u32,
        id: u32,
        up: bool,
    ) {
        self.change(|c| {
            let items = list(c);
            if let Some(k) = items.iter().position(|x| id_of(x) == id) {
                let to = if up {
                    k.checked_sub(1)
                } else {
                    Some(k + 1).filter(|n| *n < items.len())
                };
                if let Some(to) = to {
                    items.swap(k, to);
                }
            }
        });
    }
}

#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
pub fn PlanEditor(plan: PlanView) -> impl IntoView {
    let i = use_i18n();
    let ed = Ed {
        reader: plan.reader,
        plan: plan.id,
        content: RwSignal::new(plan.content.clone()),
        version: RwSignal::new(plan.version),
        edits: RwSignal::new(0),
        saved_edits: RwSignal::new(0),
        state: RwSignal::new(SaveState::Saved(plan.updated_at.clone())),
        undo: RwSignal::new(None),
    };
    let restored = RwSignal::new(false);
    // In the browser: bring back what the device kept, then save every few seconds.
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        let server_version = plan.version;
        let server_content = plan.content.clone();
        Effect::new(move |first: Option<()>| {
            if first.is_some() {
                return;
            }
            if let Ok(local) = LocalStorage::get::<LocalDraft>(storage_key(ed.reader, ed.plan)) {
                if local.content != server_content {
                    if local.version == server_version {
                        ed.content.set(local.content);
                        ed.edits.set(1);
                        ed.state.set(SaveState::Unsaved);
                        restored.set(true);
                    } else {
                        // The server moved on since: show both, let the writer choose.
                        ed.content.set(local.content);
                        ed.edits.set(1);
                        let updated_by = plan.updated_by.clone();
                        ed.state.set(SaveState::Conflict(Box::new(Revision {
                            version: server_version,
                            content: server_content.clone(),
                            saved_at: plan.updated_at.clone(),
                            saved_by: updated_by,
                            event: "save".into(),
                            comment: String::new(),
                        })));
                    }
                } else {
                    ed.forget_on_device();
                }
            }
        });
        let handle = set_interval_with_handle(
            move || {
                if ed.dirty() {
                    leptos::task::spawn_local(async move {
                        ed.save().await;
                    });
                }
            },
            std::time::Duration::from_secs(AUTOSAVE_SECONDS),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = restored;

    let submit = Action::new_local(move |_: &()| async move {
        let missing = ed.content.get_untracked().missing_for_submit();
        if !missing.is_empty() {
            return Err(AppError::Invalid(missing.join(" ")));
        }
        if !ed.save().await {
            return Err(AppError::Invalid(
                "Chưa lưu được bản mới nhất lên máy chủ; hãy thử lại khi có kết nối.".into(),
            ));
        }
        plan_step(ed.plan, Transition::Submit, String::new(), None, None).await
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = submit.value().get() {
            ed.forget_on_device();
            crate::components::load_page(&format!("/plans/{}", ed.plan));
        }
    });
    let save_now = move |_| {
        leptos::task::spawn_local(async move {
            ed.save().await;
        });
    };
    let preview = RwSignal::new(false);
    let title = move || {
        let t = ed.content.with(|c| c.title.clone());
        if t.trim().is_empty() {
            i.pick("Kế hoạch chưa đặt tên", "Untitled plan").to_string()
        } else {
            t
        }
    };

    view! {
        // Fixed as the page is rendered: the server writes the head after the island is done.
        <PageTitle text=title() />
        <nav class="breadcrumb" aria-label=i.pick("Vị trí", "Breadcrumb")>
            <a href="/plans">{i.pick("Kế hoạch", "Plans")}</a>
        </nav>
        <h1>{title}</h1>
        {plan.return_comment.clone().filter(|c| !c.is_empty()).map(|c| view! {
            <div class="notice notice-warn" role="status">
                <p class="notice-title">{i.pick("Lãnh đạo trả lại với ý kiến:", "Returned by leadership with this comment:")}</p>
                <p class="return-comment">{c}</p>
            </div>
        })}
        <Show when=move || restored.get()>
            <p class="notice notice-ok" role="status">{i.pick(
                "Đã khôi phục phần soạn chưa kịp lưu lên máy chủ từ thiết bị này.",
                "Restored the text this device kept that had not reached the server.",
            )}</p>
        </Show>
        <div class="save-bar" role="status" aria-live="polite">
            <SaveStatus ed=ed />
            <button type="button" class="tool" on:click=save_now>{i.pick("Lưu ngay", "Save now")}</button>
            <button type="button" class="tool" aria-pressed=move || preview.get().to_string()
                on:click=move |_| preview.update(|p| *p = !*p)>
                {i.pick("Xem bản in", "Preview")}
            </button>
        </div>
        <ConflictView ed=ed />
        <Show when=move || preview.get()>
            {move || view! { <PlanDocument content=ed.content.get() /> }}
        </Show>
        <Show when=move || ed.undo.with(Option::is_some)>
            <p class="notice" role="status">
                {i.pick("Đã xóa một mục. ", "An item was removed. ")}
                <button type="button" class="tool" on:click=move |_| {
                    if let Some(before) = ed.undo.get_untracked() {
                        ed.undo.set(None);
                        ed.change(|c| *c = before);
                    }
                }>{i.pick("Hoàn tác", "Undo")}</button>
            </p>
        </Show>
        <form class="plan-form" on:submit=|ev| ev.prevent_default()>
            <HeaderSection ed=ed />
            <LegalBases ed=ed />
            <TextSection ed=ed key="purposes" heading=("Mục đích, yêu cầu", "Purposes and requirements")
                add=("+ Thêm mục đích", "+ Add a purpose") list=|c| &c.purposes list_mut=|c| &mut c.purposes />
            <Tasks ed=ed />
            <Targets ed=ed />
            <TextSection ed=ed key="criteria-collective" heading=("Tiêu chí thi đua đối với tập thể", "Emulation criteria: collectives")
                add=("+ Thêm tiêu chí", "+ Add a criterion") list=|c| &c.criteria_collective list_mut=|c| &mut c.criteria_collective />
            <TextSection ed=ed key="criteria-individual" heading=("Tiêu chí thi đua đối với cá nhân", "Emulation criteria: individuals")
                add=("+ Thêm tiêu chí", "+ Add a criterion") list=|c| &c.criteria_individual list_mut=|c| &mut c.criteria_individual />
            <TextSection ed=ed key="solutions" heading=("Giải pháp", "Solutions")
                add=("+ Thêm giải pháp", "+ Add a solution") list=|c| &c.solutions list_mut=|c| &mut c.solutions />
            <Duties ed=ed />
            <Reporting ed=ed />
            <Recipients ed=ed />
            <AudienceSection ed=ed />
            <Signature ed=ed />
        </form>
        <section class="panel submit-panel" aria-labelledby="submit-title">
            <h2 id="submit-title">{i.pick("Trình lãnh đạo duyệt", "Submit for approval")}</h2>
            {move || {
                let missing = ed.content.with(PlanContent::missing_for_submit);
                (!missing.is_empty()).then(|| view! {
                    <div class="notice notice-warn">
                        <p class="notice-title">{i.pick("Còn thiếu:", "Still missing:")}</p>
                        <ul>{missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            <button type="button" class="button" disabled=move || submit.pending().get()
                on:click=move |_| { submit.dispatch(()); }>
                {i.pick("Trình duyệt", "Submit")}
            </button>
            {move || submit.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
        </section>
    }
}

#[component]
fn SaveStatus(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    move || {
        match ed.state.get() {
        SaveState::Saved(at) => view! {
            <span class="save-state save-ok" data-state="saved">{format!("{} {}", i.pick("Đã lưu lúc", "Saved at"), local_time(&at))}</span>
        }.into_any(),
        SaveState::Unsaved => view! {
            <span class="save-state" data-state="unsaved">{i.pick("Có thay đổi chưa lưu lên máy chủ (đã giữ trên thiết bị)", "Changes not yet on the server (kept on this device)")}</span>
        }.into_any(),
        SaveState::Saving => view! {
            <span class="save-state" data-state="saving">{i.pick("Đang lưu…", "Saving…")}</span>
        }.into_any(),
        SaveState::Offline => view! {
            <span class="save-state save-warn" data-state="offline">{i.pick(
                "Mất kết nối — bản soạn được giữ trên thiết bị và sẽ lưu khi có mạng",
                "Offline — the draft is kept on this device and will be saved when the connection returns",
            )}</span>
        }.into_any(),
        SaveState::Conflict(_) => view! {
            <span class="save-state save-warn" data-state="conflict">{i.pick("Có người khác vừa lưu kế hoạch này", "Someone else saved this plan meanwhile")}</span>
        }.into_any(),
        SaveState::Failed(e) => view! {
            <span class="save-state save-warn" data-state="failed">{i.t().error(&e)}</span>
        }.into_any(),
    }
    }
}

/// Both versions side by side, as a diff, with the two ways out.
#[component]
fn ConflictView(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    move || {
        let SaveState::Conflict(theirs) = ed.state.get() else {
            return ().into_any();
        };
        let mine = ed.content.get_untracked();
        let changes = diff(&theirs.content.lines(), &mine.lines());
        let theirs_version = theirs.version;
        let theirs_content = theirs.content.clone();
        view! {
            <section class="conflict notice notice-warn" role="alert" aria-labelledby="conflict-title">
                <h2 id="conflict-title">{i.pick("Hai người cùng sửa kế hoạch này", "Two people edited this plan")}</h2>
                <p>{format!(
                    "{} {} ({}). {}",
                    i.pick("Bản đã lưu trên máy chủ là của", "The version on the server was saved by"),
                    theirs.saved_by,
                    local_time(&theirs.saved_at),
                    i.pick(
                        "Dưới đây là khác biệt giữa bản đó (dòng gạch) và bản của bạn (dòng thêm). Chưa có gì bị ghi đè.",
                        "Below, what differs between it (struck lines) and yours (added lines). Nothing was overwritten.",
                    )
                )}</p>
                <DiffView changes=changes />
                <div class="filter-actions">
                    <button type="button" class="button" on:click=move |_| {
                        // Keep mine: save it over their version, knowingly.
                        ed.version.set(theirs_version);
                        ed.state.set(SaveState::Unsaved);
                        ed.keep_on_device();
                        leptos::task::spawn_local(async move { ed.save().await; });
                    }>{i.pick("Giữ bản của tôi", "Keep my version")}</button>
                    <button type="button" class="button button-secondary" on:click=move |_| {
                        ed.content.set(theirs_content.clone());
                        ed.version.set(theirs_version);
                        ed.saved_edits.set(ed.edits.get_untracked());
                        ed.forget_on_device();
                        ed.state.set(SaveState::Saved(String::new()));
                    }>{i.pick("Dùng bản trên máy chủ", "Use the server's version")}</button>
                </div>
            </section>
        }
        .into_any()
    }
}

// Field helpers: each reads its value from the content and writes through `Ed::change`.

fn text_field(
    ed: Ed,
    id: String,
    label: (&'static str, &'static str),
    get: impl Fn(&PlanContent) -> String + Send + Sync + Copy + 'static,
    set: impl Fn(&mut PlanContent, String) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="field">
            <label for=id.clone()>{i.pick(label.0, label.1)}</label>
            <input type="text" id=id maxlength="2000" prop:value=move || ed.content.with(get)
                on:input=move |ev| { let v = event_target_value(&ev); ed.change(|c| set(c, v)); } />
        </div>
    }
}

fn date_field(
    ed: Ed,
    id: String,
    label: (&'static str, &'static str),
    get: impl Fn(&PlanContent) -> Option<NaiveDate> + Send + Sync + Copy + 'static,
    set: impl Fn(&mut PlanContent, Option<NaiveDate>) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="field">
            <label for=id.clone()>{i.pick(label.0, label.1)}</label>
            <input type="date" id=id
                prop:value=move || ed.content.with(get).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
                on:input=move |ev| {
                    let v = NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok();
                    ed.change(|c| set(c, v));
                } />
        </div>
    }
}

/// A text area for formatted text, with bold, italic and list buttons that mark the
/// selection.
fn rich_field(
    ed: Ed,
    id: String,
    label: (&'static str, &'static str),
    get: impl Fn(&PlanContent) -> String + Send + Sync + Copy + 'static,
    set: impl Fn(&mut PlanContent, String) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i = use_i18n();
    let area_id = id.clone();
    let mark = move |kind: &'static str| {
        let area_id = area_id.clone();
        move |_| {
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                let Some(area) = document()
                    .get_element_by_id(&area_id)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                else {
                    return;
                };
                let value = area.value();
                let chars: Vec<char> = value.chars().collect();
                // The selection is counted in UTF-16 units; Vietnamese text stays in the BMP.
                let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
                let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
                let (start, end) = (
                    start.min(chars.len()),
                    end.min(chars.len()).max(start.min(chars.len())),
                );
                let before: String = chars[..start].iter().collect();
                let selected: String = chars[start..end].iter().collect();
                let after: String = chars[end..].iter().collect();
                let new = match kind {
                    "bold" => format!("{before}**{selected}**{after}"),
                    "italic" => format!("{before}*{selected}*{after}"),
                    _ => {
                        let line_start = before.rfind('\n').map_or(0, |p| p + 1);
                        format!(
                            "{}- {}{selected}{after}",
                            &before[..line_start],
                            &before[line_start..]
                        )
                    }
                };
                area.set_value(&new);
                ed.change(|c| set(c, new));
                let _ = area.focus();
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (kind, &area_id);
        }
    };
    view! {
        <div class="field rich-field">
            <label for=id.clone()>{i.pick(label.0, label.1)}</label>
            <div class="rich-tools" role="toolbar" aria-label=i.pick("Định dạng", "Formatting")>
                <button type="button" class="tool" on:click=mark("bold") title=i.pick("Đậm", "Bold")>
                    <strong aria-hidden="true">"B"</strong><span class="visually-hidden">{i.pick("Đậm", "Bold")}</span>
                </button>
                <button type="button" class="tool" on:click=mark("italic") title=i.pick("Nghiêng", "Italic")>
                    <em aria-hidden="true">"I"</em><span class="visually-hidden">{i.pick("Nghiêng", "Italic")}</span>
                </button>
                <button type="button" class="tool" on:click=mark("list") title=i.pick("Gạch đầu dòng", "List item")>
                    <span aria-hidden="true">"•"</span><span class="visually-hidden">{i.pick("Gạch đầu dòng", "List item")}</span>
                </button>
            </div>
            <textarea id=id rows="3" maxlength="20000" prop:value=move || ed.content.with(get)
                on:input=move |ev| { let v = event_target_value(&ev); ed.change(|c| set(c, v)); }></textarea>
        </div>
    }
}

/// The controls of one list item: its number, move up and down, remove.
#[allow(clippy::too_many_arguments)]
fn item_controls<T: Clone + 'static>(
    ed: Ed,
    noun: (&'static str, &'static str),
    list: fn(&PlanContent) -> &Vec<T>,
    list_mut: fn(&mut PlanContent) -> &mut Vec<T>,
    id_of: fn(&T) -> u32,
    id: u32,
) -> impl IntoView {
    let i = use_i18n();
    let position = move || {
        ed.content.with(|c| {
            list(c)
                .iter()
                .position(|x| id_of(x) == id)
                .map_or(0, |p| p + 1)
        })
    };
    let count = move || ed.content.with(|c| list(c).len());

    view! {
        <div class="item-bar">
            <span class="item-number">{move || format!("{} {}", i.pick(noun.0, noun.1), position())}</span>
            <button type="button" class="tool" disabled=move || { position() <= 1 }
                aria-label=move || format!("{} {} {}", i.pick("Chuyển", "Move"), position(), i.pick("lên", "up"))
                on:click=move |_| ed.shift(list_mut, id_of, id, true)>"↑"</button>
            <button type="button" class="tool" disabled=move || { position() >= count() }
                aria-label=move || format!("{} {} {}", i.pick("Chuyển", "Move"), position(), i.pick("xuống", "down"))
                on:click=move |_| ed.shift(list_mut, id_of, id, false)>"↓"</button>
            <button type="button" class="tool tool-danger"
                aria-label=move || format!("{} {} {}", i.pick("Xóa", "Remove"), i.pick(noun.0, noun.1), position())
                on:click=move |_| ed.remove(list_mut, id_of, id)>"✕"</button>
        </div>
    }
}

/// Alt+↑ / Alt+↓ inside an item moves it.
fn move_keys<T: Clone + 'static>(
    ed: Ed,
    list_mut: fn(&mut PlanContent) -> &mut Vec<T>,
    id_of: fn(&T) -> u32,
    id: u32,
) -> impl Fn(leptos::ev::KeyboardEvent) + Clone + 'static {
    move |ev: leptos::ev::KeyboardEvent| {
        if ev.alt_key() && (ev.key() == "ArrowUp" || ev.key() == "ArrowDown") {
            ev.prevent_default();
            ed.shift(list_mut, id_of, id, ev.key() == "ArrowUp");
        }
    }
}

fn section_heading(
    i: I18n,
    key: &'static str,
    heading: (&'static str, &'static str),
) -> impl IntoView {
    view! { <legend id=format!("sec-{key}")>{i.pick(heading.0, heading.1)}</legend> }
}

fn ids<T>(list: &[T], id_of: fn(&T) -> u32) -> Vec<u32> {
    list.iter().map(id_of).collect()
}

#[component]
fn HeaderSection(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    view! {
        <fieldset class="plan-section">
            {section_heading(i, "header", ("Thông tin chung", "Header"))}
            <div class="filter-grid">
                {text_field(ed, "h-parent".into(), ("Cơ quan chủ quản", "Parent body"), |c| c.parent_issuer.clone(), |c, v| c.parent_issuer = v)}
                {text_field(ed, "h-issuer".into(), ("Cơ quan ban hành", "Issuer"), |c| c.issuer.clone(), |c, v| c.issuer = v)}
                {text_field(ed, "h-number".into(), ("Số, ký hiệu (ghi khi ban hành)", "Number and symbol (given at issue)"), |c| c.number.clone(), |c, v| c.number = v)}
                {text_field(ed, "h-place".into(), ("Địa danh", "Place"), |c| c.place.clone(), |c, v| c.place = v)}
                {date_field(ed, "h-date".into(), ("Ngày ban hành", "Date"), |c| c.date, |c, v| c.date = v)}
                <div class="field">
                    <label for="h-year">{i.pick("Năm", "Year")}</label>
                    <input type="number" id="h-year" min="2000" max="2100" prop:value=move || ed.content.with(|c| c.year.to_string())
                        on:input=move |ev| { if let Ok(y) = event_target_value(&ev).parse::<i32>() { ed.change(|c| c.year = y); } } />
                </div>
            </div>
            {text_field(ed, "h-title".into(), ("Tên kế hoạch (trích yếu)", "Title"), |c| c.title.clone(), |c, v| c.title = v)}
        </fieldset>
    }
}

#[component]
fn LegalBases(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    let list: fn(&PlanContent) -> &Vec<LegalBasis> = |c| &c.legal_bases;
    let list_mut: fn(&mut PlanContent) -> &mut Vec<LegalBasis> = |c| &mut c.legal_bases;
    let id_of: fn(&LegalBasis) -> u32 = |b| b.id;
    view! {
        <fieldset class="plan-section" data-section="bases">
            {section_heading(i, "bases", ("Căn cứ", "Legal bases"))}
            <p class="hint">{i.pick(
                "Gõ số hoặc tên văn bản để chọn trong sổ văn bản; văn bản chưa có thì ghi đầy đủ.",
                "Type a document's number or subject to pick it from the registry, or write it in full.",
            )}</p>
            <ol class="items">
                <For each=move || ed.content.with(|c| ids(list(c), id_of)) key=|id| *id let:id>
                    <li on:keydown=move_keys(ed, list_mut, id_of, id)>
                        {item_controls(ed, ("Căn cứ", "Basis"), list, list_mut, id_of, id)}
                        <BasisInput ed=ed id=id />
                    </li>
                </For>
            </ol>
            <button type="button" class="button button-secondary" on:click=move |_| ed.change(|c| {
                let id = c.take_id();
                c.legal_bases.push(LegalBasis { id, ..Default::default() });
            })>{i.pick("+ Thêm căn cứ", "+ Add a basis")}</button>
        </fieldset>
    }
}

/// A legal basis with suggestions from the registry (a native datalist, so the keyboard and
/// screen readers work as with any input).
#[component]
fn BasisInput(ed: Ed, id: u32) -> impl IntoView {
    let i = use_i18n();
    let query = RwSignal::new(String::new());
    let found = crate::components::browser_resource(
        move || query.get(),
        |q| async move {
            if q.chars().count() < 2 {
                Ok(Vec::new())
            } else {
                search_documents(q).await
            }
        },
    );
    let input_id = format!("basis-{id}");
    let list_id = format!("basis-list-{id}");
    let get = move |c: &PlanContent| {
        c.legal_bases
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.text.clone())
            .unwrap_or_default()
    };
    view! {
           <div class="field">
               <label for=input_id.clone()>{i.pick("Văn bản căn cứ", "Cited document")}</label>
               <input type="text" id=input_id list=list_id.clone() maxlength="2000" autocomplete="off"
                   prop:value=move || ed.content.with(get)
                   on:input=move |ev| {
                       let v = event_target_value(&ev);
                       query.set(v.clone());
                       let picked = found.get_untracked().and_then(Result::ok).and_then(|docs| docs.into_iter().find(|d| d.citation() == v));
                       ed.change(|c| {
                           if let Some(b) = c.legal_bases.iter_mut().find(|b| b.id == id) {
                               b.document = picked.map(|d| d.id);
                               b.text = v;
                           }
                       });
                   } />
               <datalist id=list_id>
                   {move || {match crate::components::loaded(found) {
    None => ().into_any(),
    Some(value) => {
                           value.unwrap_or_default().into_iter().map(|d| view! { <option value=d.citation()></option> }).collect_view()
                       }.into_any(),
    }}}
               </datalist>
           </div>
       }
}

/// A section of formatted text items: purposes, criteria, solutions.
#[component]
fn TextSection(
    ed: Ed,
    key: &'static str,
    heading: (&'static str, &'static str),
    add: (&'static str, &'static str),
    list: fn(&PlanContent) -> &Vec<TextItem>,
    list_mut: fn(&mut PlanContent) -> &mut Vec<TextItem>,
) -> impl IntoView {
    let i = use_i18n();
    let id_of: fn(&TextItem) -> u32 = |t| t.id;
    view! {
        <fieldset class="plan-section" data-section=key>
            {section_heading(i, key, heading)}
            <ol class="items">
                <For each=move || ed.content.with(|c| ids(list(c), id_of)) key=|id| *id let:id>
                    <li on:keydown=move_keys(ed, list_mut, id_of, id)>
                        {item_controls(ed, ("Mục", "Item"), list, list_mut, id_of, id)}
                        {rich_field(ed, format!("{key}-{id}"), ("Nội dung", "Text"),
                            move |c| list(c).iter().find(|t| t.id == id).map(|t| t.text.clone()).unwrap_or_default(),
                            move |c, v| if let Some(t) = list_mut(c).iter_mut().find(|t| t.id == id) { t.text = v; })}
                    </li>
                </For>
            </ol>
            <button type="button" class="button button-secondary" on:click=move |_| ed.change(|c| {
                let id = c.take_id();
                list_mut(c).push(TextItem { id, text: String::new() });
            })>{i.pick(add.0, add.1)}</button>
        </fieldset>
    }
}

#[component]
fn Tasks(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    let list: fn(&PlanContent) -> &Vec<Task> = |c| &c.tasks;
    let list_mut: fn(&mut PlanContent) -> &mut Vec<Task> = |c| &mut c.tasks;
    let id_of: fn(&Task) -> u32 = |t| t.id;
    fn task(c: &PlanContent, id: u32) -> Option<&Task> {
        c.tasks.iter().find(|t| t.id == id)
    }
    fn task_mut(c: &mut PlanContent, id: u32) -> Option<&mut Task> {
        c.tasks.iter_mut().find(|t| t.id == id)
    }
    view! {
        <fieldset class="plan-section" data-section="tasks">
            {section_heading(i, "tasks", ("Nội dung, nhiệm vụ", "Tasks"))}
            <ol class="items">
                <For each=move || ed.content.with(|c| ids(list(c), id_of)) key=|id| *id let:id>
                    <li on:keydown=move_keys(ed, list_mut, id_of, id)>
                        {item_controls(ed, ("Nhiệm vụ", "Task"), list, list_mut, id_of, id)}
                        {text_field(ed, format!("task-title-{id}"), ("Tên nhiệm vụ", "Task"),
                            move |c| task(c, id).map(|t| t.title.clone()).unwrap_or_default(),
                            move |c, v| if let Some(t) = task_mut(c, id) { t.title = v; })}
                        {rich_field(ed, format!("task-body-{id}"), ("Nội dung", "Details"),
                            move |c| task(c, id).map(|t| t.body.clone()).unwrap_or_default(),
                            move |c, v| if let Some(t) = task_mut(c, id) { t.body = v; })}
                        <div class="field">
                            <label for=format!("task-points-{id}")>{i.pick("Các ý (mỗi dòng một ý)", "Sub-points (one per line)")}</label>
                            <textarea id=format!("task-points-{id}") rows="2" maxlength="20000"
                                prop:value=move || ed.content.with(|c| task(c, id).map(|t| t.points.iter().map(|p| p.text.clone()).collect::<Vec<_>>().join("\n")).unwrap_or_default())
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    ed.change(|c| {
                                        let lines: Vec<String> = v.split('\n').map(str::to_string).collect();
                                        let mut next = c.next_id;
                                        if let Some(t) = task_mut(c, id) {
                                            let mut points = Vec::with_capacity(lines.len());
                                            for (k, line) in lines.into_iter().enumerate() {
                                                let pid = t.points.get(k).map(|p| p.id).unwrap_or_else(|| { next += 1; next });
                                                points.push(TextItem { id: pid, text: line });
                                            }
                                            t.points = points;
                                        }
                                        c.next_id = next;
                                    });
                                }></textarea>
                        </div>
                        <div class="filter-grid">
                            {text_field(ed, format!("task-who-{id}"), ("Đơn vị thực hiện", "Responsible units"),
                                move |c| task(c, id).map(|t| t.responsible.clone()).unwrap_or_default(),
                                move |c, v| if let Some(t) = task_mut(c, id) { t.responsible = v; })}
                            {date_field(ed, format!("task-deadline-{id}"), ("Thời hạn (không bắt buộc)", "Deadline (optional)"),
                                move |c| task(c, id).and_then(|t| t.deadline),
                                move |c, v| if let Some(t) = task_mut(c, id) { t.deadline = v; })}
                        </div>
                    </li>
                </For>
            </ol>
            <button type="button" class="button button-secondary" on:click=move |_| ed.change(|c| {
                let id = c.take_id();
                c.tasks.push(Task { id, ..Default::default() });
            })>{i.pick("+ Thêm nhiệm vụ", "+ Add a task")}</button>
        </fieldset>
    }
}

#[component]
fn Targets(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    let list: fn(&PlanContent) -> &Vec<Target> = |c| &c.targets;
    let list_mut: fn(&mut PlanContent) -> &mut Vec<Target> = |c| &mut c.targets;
    let id_of: fn(&Target) -> u32 = |t| t.id;
    fn target(c: &PlanContent, id: u32) -> Option<&Target> {
        c.targets.iter().find(|t| t.id == id)
    }
    fn target_mut(c: &mut PlanContent, id: u32) -> Option<&mut Target> {
        c.targets.iter_mut().find(|t| t.id == id)
    }
    view! {
        <fieldset class="plan-section" data-section="targets">
            {section_heading(i, "targets", ("Chỉ tiêu", "Targets"))}
            <ol class="items">
                <For each=move || ed.content.with(|c| ids(list(c), id_of)) key=|id| *id let:id>
                    <li on:keydown=move_keys(ed, list_mut, id_of, id)>
                        {item_controls(ed, ("Chỉ tiêu", "Target"), list, list_mut, id_of, id)}
                        <div class="filter-grid">
                            <div class="field">
                                <label for=format!("target-value-{id}")>{i.pick("Mức", "Value")}</label>
                                <input type="number" id=format!("target-value-{id}") min="0" step="any"
                                    prop:value=move || ed.content.with(|c| target(c, id).and_then(|t| t.value).map(|v| v.to_string()).unwrap_or_default())
                                    on:input=move |ev| {
                                        let v = event_target_value(&ev).replace(',', ".").parse::<f64>().ok();
                                        ed.change(|c| if let Some(t) = target_mut(c, id) { t.value = v; });
                                    } />
                            </div>
                            <div class="field">
                                <label for=format!("target-measure-{id}")>{i.pick("Đơn vị", "Measure")}</label>
                                <select id=format!("target-measure-{id}")
                                    on:change=move |ev| {
                                        let m = if event_target_value(&ev) == "count" { Measure::Count } else { Measure::Percent };
                                        ed.change(|c| if let Some(t) = target_mut(c, id) { t.measure = m; });
                                    }>
                                    <option value="percent" selected=move || ed.content.with(|c| target(c, id).map(|t| t.measure) == Some(Measure::Percent))>"%"</option>
                                    <option value="count" selected=move || ed.content.with(|c| target(c, id).map(|t| t.measure) == Some(Measure::Count))>{i.pick("số lượng", "count")}</option>
                                </select>
                            </div>
                        </div>
                        {text_field(ed, format!("target-text-{id}"), ("Nội dung chỉ tiêu", "What is measured"),
                            move |c| target(c, id).map(|t| t.text.clone()).unwrap_or_default(),
                            move |c, v| if let Some(t) = target_mut(c, id) { t.text = v; })}
                        {text_field(ed, format!("target-indicator-{id}"), ("Chỉ số báo cáo đo chỉ tiêu (khi có mẫu báo cáo)", "Report indicator that measures it (once reports exist)"),
                            move |c| target(c, id).map(|t| t.indicator.clone()).unwrap_or_default(),
                            move |c, v| if let Some(t) = target_mut(c, id) { t.indicator = v; })}
                    </li>
                </For>
            </ol>
            <button type="button" class="button button-secondary" on:click=move |_| ed.change(|c| {
                let id = c.take_id();
                c.targets.push(Target { id, ..Default::default() });
            })>{i.pick("+ Thêm chỉ tiêu", "+ Add a target")}</button>
        </fieldset>
    }
}

#[component]
fn Duties(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    let list: fn(&PlanContent) -> &Vec<Duty> = |c| &c.organisation;
    let list_mut: fn(&mut PlanContent) -> &mut Vec<Duty> = |c| &mut c.organisation;
    let id_of: fn(&Duty) -> u32 = |d| d.id;
    fn duty(c: &PlanContent, id: u32) -> Option<&Duty> {
        c.organisation.iter().find(|d| d.id == id)
    }
    fn duty_mut(c: &mut PlanContent, id: u32) -> Option<&mut Duty> {
        c.organisation.iter_mut().find(|d| d.id == id)
    }
    view! {
        <fieldset class="plan-section" data-section="organisation">
            {section_heading(i, "organisation", ("Tổ chức thực hiện", "Organisation"))}
            <ol class="items">
                <For each=move || ed.content.with(|c| ids(list(c), id_of)) key=|id| *id let:id>
                    <li on:keydown=move_keys(ed, list_mut, id_of, id)>
                        {item_controls(ed, ("Đơn vị", "Unit"), list, list_mut, id_of, id)}
                        {text_field(ed, format!("duty-who-{id}"), ("Phòng, khu vực hoặc nhóm đơn vị", "Division, area or group of units"),
                            move |c| duty(c, id).map(|d| d.who.clone()).unwrap_or_default(),
                            move |c, v| if let Some(d) = duty_mut(c, id) { d.who = v; })}
                        {rich_field(ed, format!("duty-text-{id}"), ("Nhiệm vụ", "Duties"),
                            move |c| duty(c, id).map(|d| d.duties.clone()).unwrap_or_default(),
                            move |c, v| if let Some(d) = duty_mut(c, id) { d.duties = v; })}
                    </li>
                </For>
            </ol>
            <button type="button" class="button button-secondary" on:click=move |_| ed.change(|c| {
                let id = c.take_id();
                c.organisation.push(Duty { id, ..Default::default() });
            })>{i.pick("+ Thêm đơn vị thực hiện", "+ Add a unit")}</button>
        </fieldset>
    }
}

#[component]
fn Reporting(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    let list: fn(&PlanContent) -> &Vec<ReportDuty> = |c| &c.reporting;
    let list_mut: fn(&mut PlanContent) -> &mut Vec<ReportDuty> = |c| &mut c.reporting;
    let id_of: fn(&ReportDuty) -> u32 = |r| r.id;
    fn duty(c: &PlanContent, id: u32) -> Option<&ReportDuty> {
        c.reporting.iter().find(|d| d.id == id)
    }
    fn duty_mut(c: &mut PlanContent, id: u32) -> Option<&mut ReportDuty> {
        c.reporting.iter_mut().find(|d| d.id == id)
    }
    view! {
        <fieldset class="plan-section" data-section="reporting">
            {section_heading(i, "reporting", ("Chế độ báo cáo", "Reporting duty"))}
            <ol class="items">
                <For each=move || ed.content.with(|c| ids(list(c), id_of)) key=|id| *id let:id>
                    <li on:keydown=move_keys(ed, list_mut, id_of, id)>
                        {item_controls(ed, ("Báo cáo", "Report"), list, list_mut, id_of, id)}
                        {text_field(ed, format!("report-what-{id}"), ("Báo cáo gì", "What"),
                            move |c| duty(c, id).map(|d| d.what.clone()).unwrap_or_default(),
                            move |c, v| if let Some(d) = duty_mut(c, id) { d.what = v; })}
                        <div class="filter-grid">
                            {date_field(ed, format!("report-due-{id}"), ("Hạn gửi", "Due"),
                                move |c| duty(c, id).and_then(|d| d.due),
                                move |c, v| if let Some(d) = duty_mut(c, id) { d.due = v; })}
                            {text_field(ed, format!("report-to-{id}"), ("Gửi về", "To"),
                                move |c| duty(c, id).map(|d| d.to.clone()).unwrap_or_default(),
                                move |c, v| if let Some(d) = duty_mut(c, id) { d.to = v; })}
                        </div>
                        {text_field(ed, format!("report-form-{id}"), ("Hình thức", "Form"),
                            move |c| duty(c, id).map(|d| d.form.clone()).unwrap_or_default(),
                            move |c, v| if let Some(d) = duty_mut(c, id) { d.form = v; })}
                    </li>
                </For>
            </ol>
            <button type="button" class="button button-secondary" on:click=move |_| ed.change(|c| {
                let id = c.take_id();
                c.reporting.push(ReportDuty { id, ..Default::default() });
            })>{i.pick("+ Thêm yêu cầu báo cáo", "+ Add a report")}</button>
        </fieldset>
    }
}

#[component]
fn Recipients(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    let list: fn(&PlanContent) -> &Vec<TextItem> = |c| &c.recipients;
    let list_mut: fn(&mut PlanContent) -> &mut Vec<TextItem> = |c| &mut c.recipients;
    let id_of: fn(&TextItem) -> u32 = |t| t.id;
    view! {
        <fieldset class="plan-section" data-section="recipients">
            {section_heading(i, "recipients", ("Nơi nhận", "Recipients"))}
            <ol class="items">
                <For each=move || ed.content.with(|c| ids(list(c), id_of)) key=|id| *id let:id>
                    <li on:keydown=move_keys(ed, list_mut, id_of, id)>
                        {item_controls(ed, ("Nơi nhận", "Recipient"), list, list_mut, id_of, id)}
                        {text_field(ed, format!("recipient-{id}"), ("Nơi nhận", "Recipient"),
                            move |c| c.recipients.iter().find(|t| t.id == id).map(|t| t.text.clone()).unwrap_or_default(),
                            move |c, v| if let Some(t) = c.recipients.iter_mut().find(|t| t.id == id) { t.text = v; })}
                    </li>
                </For>
            </ol>
            <button type="button" class="button button-secondary" on:click=move |_| ed.change(|c| {
                let id = c.take_id();
                c.recipients.push(TextItem { id, text: String::new() });
            })>{i.pick("+ Thêm nơi nhận", "+ Add a recipient")}</button>
        </fieldset>
    }
}

/// Which units receive the plan: areas, levels, ownership; and whether pilot sites for the
/// 19/8 day are required. The number of schools it reaches today is shown as it changes.
#[component]
fn AudienceSection(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    let audience = Signal::derive(move || ed.content.with(|c| c.audience.clone()));
    view! {
        <fieldset class="plan-section" data-section="audience">
            {section_heading(i, "audience", ("Đơn vị nhận kế hoạch", "Units that receive the plan"))}
            <AudiencePicker
                id="aud"
                audience=audience
                on_change=Callback::new(move |a: Audience| ed.change(|c| c.audience = a))
                counted=("trường sẽ nhận kế hoạch khi ban hành", "schools will receive it when issued")
            />
            <label class="choice" for="aud-pilot">
                <input type="checkbox" id="aud-pilot" prop:checked=move || audience.with(|a| a.pilot_sites)
                    on:change=move |ev| { let on = event_target_checked(&ev); ed.change(|c| c.audience.pilot_sites = on); } />
                {i.pick(
                    "Yêu cầu chọn điểm hưởng ứng Ngày hội 19/8 (một THCS và một tiểu học mỗi khu vực)",
                    "Require pilot sites for the 19/8 day (one THCS and one primary school per area)",
                )}
            </label>
        </fieldset>
    }
}

#[component]
fn Signature(ed: Ed) -> impl IntoView {
    let i = use_i18n();
    view! {
        <fieldset class="plan-section" data-section="signature">
            {section_heading(i, "signature", ("Người ký", "Signature"))}
            <div class="field">
                <label for="sign-title">{i.pick("Quyền hạn, chức vụ (mỗi dòng một dòng in)", "Authority and title (one printed line each)")}</label>
                <textarea id="sign-title" rows="2" maxlength="200" prop:value=move || ed.content.with(|c| c.signer_title.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); ed.change(|c| c.signer_title = v); }></textarea>
            </div>
            {text_field(ed, "sign-name".into(), ("Họ tên người ký", "Signer's name"), |c| c.signer_name.clone(), |c, v| c.signer_name = v)}
        </fieldset>
    }
}
