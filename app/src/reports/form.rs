//! A unit's report: the form a school fills on its phone, and the same page read by a
//! reviewer. Nothing typed is lost: every change is kept on the device at once and sent to
//! the server every few seconds; while the server cannot be reached a "chưa gửi" badge says
//! so and what is unsent can be saved as a file. Submit names its version, so a double tap
//! or a retry makes one submission.

use super::api::{delete_report_file, get_report, save_report, submit_report};
use super::{
    attachment_upload_url, check, Answers, Field, FieldKind, FileInfo, Intent, Posted, Problem,
    ReportSave, ReportStatus, ReportView, NO, YES,
};
use crate::components::{file_size, ErrorNotice, Loading, PageTitle};
use crate::error::AppError;
use crate::i18n::{use_i18n, I18n, Lang};
use crate::nav::use_params_map;
use crate::plans::pages::local_time;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How often changed answers are sent to the server.
pub const AUTOSAVE_SECONDS: u64 = 3;

/// How often a submission made without a network is tried again.
#[cfg(feature = "hydrate")]
const RETRY_SECONDS: u64 = 10;

/// What the device keeps of a report it is filling: the answers with the version they were
/// made on, and the files the server last listed. A page kept for use offline may be older
/// than this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalReport {
    pub version: i64,
    pub answers: Answers,
    #[serde(default)]
    pub files: Option<Vec<FileInfo>>,
    /// Whether the answers hold changes the server does not have yet (otherwise they are
    /// what it last saved).
    #[serde(default = "unsent_unless_told")]
    pub unsent: bool,
}

fn unsent_unless_told() -> bool {
    true
}

/// Where the device keeps the answers of a report not yet saved, for one account.
pub fn storage_key(reader: i64, cycle: i64, unit: i64) -> String {
    format!("antq.report-draft.{reader}.{cycle}.{unit}")
}

/// Where the device notes a submission made without a network: the version it submits. It
/// is sent again, with the same key, as soon as the network returns.
#[cfg(feature = "hydrate")]
fn queued_key(reader: i64, cycle: i64, unit: i64) -> String {
    format!("antq.report-submit.{reader}.{cycle}.{unit}")
}

/// The query the page is opened with after a submission the device sent once the network
/// returned: the page then says so.
const SENT_LATER: &str = "sent=later";

pub fn status_label(status: ReportStatus, lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => status.label_vi(),
        Lang::En => status.label_en(),
    }
}

pub fn status_badge(status: ReportStatus, on_time: Option<bool>, i: I18n) -> impl IntoView {
    let timing = move || match (status.is_in(), on_time) {
        (true, Some(true)) => i.pick(" (đúng hạn)", " (on time)"),
        (true, Some(false)) => i.pick(" (trễ hạn)", " (late)"),
        _ => "",
    };
    view! {
        <span class=format!("status report-{}", status.code())>
            {status_label(status, i.lang())}{timing}
        </span>
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let ids = move || {
        params.with(|p| {
            let cycle = p.get("cycle").and_then(|v| v.parse::<i64>().ok());
            let unit = p.get("unit").and_then(|v| v.parse::<i64>().ok());
            cycle.zip(unit)
        })
    };
    let report = Resource::new(ids, |ids| async move {
        match ids {
            Some((cycle, unit)) => get_report(cycle, unit).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(view) => view! { <Report view /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(view: ReportView) -> impl IntoView {
    let i = use_i18n();
    let title = format!("{} — {}", view.cycle_title, view.unit.name);
    let cycle_title = view.cycle_title.clone();
    let crumb = view.cycle_title.clone();
    let due = view.dates.due.format("%d/%m/%Y").to_string();
    let locks = view.dates.locks_on.format("%d/%m/%Y").to_string();
    let status = view.status;
    let comment = view.review_comment.clone();
    view! {
        <PageTitle text=title.clone() />
        <nav class="breadcrumb" aria-label=i.pick("Vị trí", "Breadcrumb")>
            <a href="/reports">{i.pick("Báo cáo", "Reports")}</a>
            " › "
            <a href=format!("/reports/{}", view.cycle)>{crumb}</a>
        </nav>
        <h1>{view.unit.name.clone()}</h1>
        <p class="lead">{cycle_title.clone()}</p>
        <div class="unit-meta">
            {status_badge(status, view.on_time, i)}
            <span>{format!("{} {due}", i.pick("Hạn nộp: trước ngày", "Due before"))}</span>
            <span>{format!("{} {locks}", i.pick("Khóa sổ:", "Locks on"))}</span>
        </div>
        {sent_later().then(|| view! {
            <p class="notice notice-ok" role="status" data-testid="sent-later">{i.pick(
                "Báo cáo đã được nộp khi có mạng trở lại.",
                "The report was submitted when the connection returned.",
            )}</p>
        })}
        {(status == ReportStatus::Returned && !comment.is_empty()).then(|| view! {
            <div class="notice notice-warn" role="status">
                <p class="notice-title">{i.pick("Yêu cầu bổ sung:", "Changes requested:")}</p>
                <p class="review-comment">{comment.clone()}</p>
            </div>
        })}
        {(view.locked && !view.may_edit && !status.is_in()).then(|| view! {
            <p class="notice notice-warn" role="status">{i.pick(
                "Kỳ báo cáo đã khóa sổ. Hãy đề nghị cán bộ duyệt mở lại nếu cần nộp.",
                "This cycle is locked. Ask a reviewer to reopen it if the report must still be filed.",
            )}</p>
        })}
        {if view.may_edit {
            view! { <ReportForm view=view.clone() /> }.into_any()
        } else {
            view! { <ReportReadOnly view=view.clone() /> }.into_any()
        }}
        {view.may_review.then(|| view! {
            <ReviewPanel cycle=view.cycle unit=view.unit.id posted=view.posted.clone() />
        })}
        {view.may_reopen.then(|| view! {
            <ReopenPanel cycle=view.cycle unit=view.unit.id posted=view.posted.clone() />
        })}
        <History view=view.clone() />
    }
}

/// Whether the page was opened after a submission the device sent once the network returned.
fn sent_later() -> bool {
    let (name, value) = SENT_LATER.split_once('=').unwrap_or((SENT_LATER, ""));
    crate::nav::use_query_map().with_untracked(|q| q.get_str(name) == Some(value))
}

/// Where the answers stand, as the status line tells it.
#[derive(Debug, Clone, PartialEq)]
enum SaveState {
    Saved(String),
    Unsaved,
    Saving,
    Offline,
    /// Saved from another device meanwhile: theirs, to choose from.
    Conflict(i64, Answers),
    Failed(AppError),
}

/// The form's shared state; `Copy`, so every field's closures can hold it.
#[derive(Clone, Copy)]
struct Form {
    /// The account filling it in (what the device keeps is kept under it; only the browser
    /// keeps anything).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    reader: i64,
    cycle: i64,
    unit: i64,
    answers: RwSignal<Answers>,
    version: RwSignal<i64>,
    edits: RwSignal<u64>,
    saved_edits: RwSignal<u64>,
    state: RwSignal<SaveState>,
    files: RwSignal<Vec<FileInfo>>,
    /// Set once the user tried to submit: from then on every problem is shown at its field.
    tried: RwSignal<bool>,
}

impl Form {
    fn set(self, key: &str, value: String) {
        self.answers.update(|a| {
            if value.is_empty() {
                a.remove(key);
            } else {
                a.insert(key.to_string(), value);
            }
        });
        self.edits.update(|n| *n += 1);
        if !matches!(
            self.state.get_untracked(),
            SaveState::Conflict(..) | SaveState::Offline
        ) {
            self.state.set(SaveState::Unsaved);
        }
        self.keep_on_device();
    }

    fn get(self, key: &str) -> String {
        self.answers
            .with(|a| a.get(key).cloned().unwrap_or_default())
    }

    fn dirty(self) -> bool {
        self.edits.get() != self.saved_edits.get()
    }

    fn keep_on_device(self) {
        #[cfg(feature = "hydrate")]
        {
            use gloo_storage::{LocalStorage, Storage};
            let local = LocalReport {
                version: self.version.get_untracked(),
                answers: self.answers.get_untracked(),
                files: Some(self.files.get_untracked()),
                unsent: self.edits.get_untracked() != self.saved_edits.get_untracked(),
            };
            let _ = LocalStorage::set(storage_key(self.reader, self.cycle, self.unit), &local);
        }
    }

    fn forget_on_device(self) {
        #[cfg(feature = "hydrate")]
        {
            use gloo_storage::{LocalStorage, Storage};
            LocalStorage::delete(storage_key(self.reader, self.cycle, self.unit));
        }
    }

    async fn save(self) -> bool {
        if !self.dirty() {
            return true;
        }
        if matches!(
            self.state.get_untracked(),
            SaveState::Saving | SaveState::Conflict(..)
        ) {
            return false;
        }
        let sent_at = self.edits.get_untracked();
        self.state.set(SaveState::Saving);
        let answers = self.answers.get_untracked();
        match save_report(self.cycle, self.unit, self.version.get_untracked(), answers).await {
            Ok(ReportSave::Saved { version, saved_at }) => {
                self.version.set(version);
                self.saved_edits.set(sent_at);
                // Kept either way: opened offline, the page may be a copy older than this.
                self.keep_on_device();
                if self.edits.get_untracked() != sent_at {
                    self.state.set(SaveState::Unsaved);
                } else {
                    self.state.set(SaveState::Saved(saved_at));
                }
                true
            }
            Ok(ReportSave::Conflict {
                version, answers, ..
            }) => {
                self.state.set(SaveState::Conflict(version, answers));
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

    fn problems(self, template: &super::Template) -> Vec<Problem> {
        let files: Vec<String> = self
            .files
            .with(|f| f.iter().map(|f| f.field.clone()).collect());
        self.answers.with(|a| check(template, a, &files))
    }
}

/// The page's own address, where its plain forms post.
fn page_path(cycle: i64, unit: i64) -> String {
    format!("/reports/{cycle}/units/{unit}")
}

/// The key that names a submit of `version`: a second tap, a retry or the same form posted
/// again is recognised.
fn submit_key(cycle: i64, unit: i64, version: i64) -> String {
    format!("{cycle}-{unit}-v{version}")
}

/// Notes on the device that the form's current version waits to be submitted.
fn keep_queued(form: Form) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        let _ = LocalStorage::set(
            queued_key(form.reader, form.cycle, form.unit),
            form.version.get_untracked(),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = form;
}

fn forget_queued(form: Form) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        LocalStorage::delete(queued_key(form.reader, form.cycle, form.unit));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = form;
}

/// The report form. It is a plain multipart form: before (or without) the browser bundle,
/// "Lưu nháp" and "Nộp báo cáo" post the answers and the files chosen to the page's address.
/// With the bundle, the same buttons save through the server functions, answers are kept on
/// the device and saved every few seconds, and files upload as soon as they are chosen: the
/// form is an island.
#[cfg_attr(feature = "school", island)]
#[cfg_attr(not(feature = "school"), component)]
fn ReportForm(view: ReportView) -> impl IntoView {
    let i = use_i18n();
    // A plain post the server did not take: its values, its reason, and the version to save
    // over next.
    let posted = view
        .posted
        .clone()
        .filter(|p| matches!(p.intent, Intent::Save | Intent::Submit));
    let initial_answers = posted
        .as_ref()
        .map_or_else(|| view.answers.clone(), |p| p.answers.clone());
    let initial_version = posted.as_ref().map_or(view.version, |p| p.version);
    let form = Form {
        reader: view.reader,
        cycle: view.cycle,
        unit: view.unit.id,
        answers: RwSignal::new(initial_answers.clone()),
        version: RwSignal::new(initial_version),
        edits: RwSignal::new(0),
        saved_edits: RwSignal::new(0),
        state: RwSignal::new(SaveState::Saved(view.updated_at.clone())),
        files: RwSignal::new(view.files.clone()),
        tried: RwSignal::new(posted.as_ref().is_some_and(|p| p.intent == Intent::Submit)),
    };
    let posted_error = posted.map(|p| p.error);
    let restored = RwSignal::new(false);
    // A submission waiting for the network (see `queued_key`).
    let queued = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        let server_version = initial_version;
        let server_answers = initial_answers.clone();
        // What was typed while the bundle was on its way: hydrating would set the fields back
        // to the page's values, so the form takes them first and saves them.
        let typed = typed_before_hydration(
            &view.template,
            &initial_answers,
            &page_path(view.cycle, view.unit.id),
        );
        // Taken once hydrated: the page's markup is what the server sent until then.
        Effect::new(move |first: Option<()>| {
            if first.is_some() {
                return;
            }
            if let Some(typed) = typed.clone() {
                form.answers.set(typed);
                form.edits.set(1);
                form.state.set(SaveState::Unsaved);
                form.keep_on_device();
                return;
            }
            if let Ok(local) =
                LocalStorage::get::<LocalReport>(storage_key(form.reader, form.cycle, form.unit))
            {
                // Without a network the page is the copy kept on the device: the files this
                // device saw last are the better list.
                let offline = !window().navigator().on_line();
                if let Some(files) = local.files.clone().filter(|_| offline) {
                    form.files.set(files);
                }
                if local.version > server_version
                    || (local.version == server_version && !local.unsent)
                {
                    // This device saved after the page was made (a kept copy).
                    form.version.set(local.version);
                    form.answers.set(local.answers);
                    if local.unsent {
                        form.edits.set(1);
                        form.state.set(SaveState::Unsaved);
                        restored.set(true);
                    }
                } else if local.version == server_version {
                    if local.answers != server_answers {
                        form.answers.set(local.answers);
                        form.edits.set(1);
                        form.state.set(SaveState::Unsaved);
                        restored.set(true);
                    }
                } else if local.unsent && local.answers != server_answers {
                    form.answers.set(local.answers);
                    form.edits.set(1);
                    form.state
                        .set(SaveState::Conflict(server_version, server_answers.clone()));
                } else {
                    form.forget_on_device();
                }
            }
            match LocalStorage::get::<i64>(queued_key(form.reader, form.cycle, form.unit)) {
                Ok(version) if version == form.version.get_untracked() => queued.set(true),
                Ok(_) => LocalStorage::delete(queued_key(form.reader, form.cycle, form.unit)),
                Err(_) => {}
            }
        });
        let handle = set_interval_with_handle(
            move || {
                if form.dirty() {
                    leptos::task::spawn_local(async move {
                        form.save().await;
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

    let template = StoredValue::new(view.template.clone());
    let submit = Action::new_local(move |_: &()| async move {
        form.tried.set(true);
        let problems = template.with_value(|t| form.problems(t));
        if !problems.is_empty() {
            return Err(AppError::Invalid(
                problems
                    .into_iter()
                    .map(|p| p.message)
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
        }
        let version = form.version.get_untracked();
        let key = submit_key(form.cycle, form.unit, version);
        submit_report(
            form.cycle,
            form.unit,
            version,
            form.answers.get_untracked(),
            key,
        )
        .await
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(_)) => {
            form.forget_on_device();
            forget_queued(form);
            form.saved_edits.set(form.edits.get_untracked());
            let path = page_path(form.cycle, form.unit);
            if queued.get_untracked() {
                crate::components::load_page(&format!("{path}?{SENT_LATER}"));
            } else {
                crate::components::load_page(&path);
            }
        }
        Some(Err(AppError::Transport(_) | AppError::Unavailable)) => {
            keep_queued(form);
            queued.set(true);
        }
        Some(Err(_)) => {
            forget_queued(form);
            queued.set(false);
        }
        None => {}
    });
    // Sent again when the browser says the network is back, and every few seconds meanwhile
    // (a phone does not always say so).
    #[cfg(feature = "hydrate")]
    {
        let retry = move || {
            let saving = matches!(form.state.get_untracked(), SaveState::Saving);
            if queued.get_untracked() && !saving && !submit.pending().get_untracked() {
                submit.dispatch(());
            }
        };
        let online = window_event_listener(leptos::ev::online, move |_| retry());
        let handle = set_interval_with_handle(retry, std::time::Duration::from_secs(RETRY_SECONDS));
        on_cleanup(move || {
            online.remove();
            if let Ok(h) = handle {
                h.clear();
            }
        });
    }
    let fields = view.template.fields.clone();
    view! {
        <Show when=move || restored.get()>
            <p class="notice notice-ok" role="status">{i.pick(
                "Đã khôi phục phần nhập chưa kịp gửi lên máy chủ từ thiết bị này.",
                "Restored what this device kept that had not reached the server.",
            )}</p>
        </Show>
        <div class="save-bar" role="status" aria-live="polite">
            <SaveLine form />
            <Show when=move || form.dirty()>
                <span class="badge badge-warn unsent">{i.pick("Chưa gửi", "Not sent")}</span>
                <a class="tool" download=format!("bao-cao-chua-gui-{}-{}.json", form.cycle, form.unit)
                    href=move || format!(
                        "data:application/json;charset=utf-8,{}",
                        crate::text::percent_encode(&serde_json::to_string_pretty(&form.answers.get()).unwrap_or_default()),
                    )>
                    {i.pick("Lưu phần chưa gửi ra tệp", "Save unsent answers to a file")}
                </a>
            </Show>
        </div>
        <ConflictChoice form />
        <form class="report-form" method="post" action=page_path(form.cycle, form.unit)
            enctype="multipart/form-data" on:submit=|ev| ev.prevent_default()>
            <input type="hidden" name="version" value=initial_version.to_string()
                prop:value=move || form.version.get().to_string() />
            <input type="hidden" name="key" value=submit_key(form.cycle, form.unit, initial_version)
                prop:value=move || submit_key(form.cycle, form.unit, form.version.get()) />
            {fields.into_iter().map(|field| view! { <FieldInput field form template /> }).collect_view()}
            <section class="panel submit-panel" aria-labelledby="submit-title">
                <h2 id="submit-title">{i.pick("Nộp báo cáo", "Submit the report")}</h2>
                {move || {
                    let problems = template.with_value(|t| form.problems(t));
                    (form.tried.get() && !problems.is_empty()).then(|| view! {
                        <div class="notice notice-warn" role="alert">
                            <p class="notice-title">{i.pick("Chưa nộp được, còn thiếu:", "Cannot submit yet:")}</p>
                            <ul>{problems.into_iter().map(|p| view! {
                                <li><a href=format!("#field-{}", p.field)>{p.message}</a></li>
                            }).collect_view()}</ul>
                        </div>
                    })
                }}
                {posted_error.filter(|_| template.with_value(|t| form.problems(t).is_empty()))
                    .map(|e| view! { <ErrorNotice error=e /> })}
                <div class="actions">
                    // First in the form: Enter in a field saves, it does not submit.
                    <button type="submit" name="intent" value=Intent::Save.code()
                        class="button button-secondary"
                        on:click=move |ev| {
                            ev.prevent_default();
                            leptos::task::spawn_local(async move { form.save().await; });
                        }>
                        {i.pick("Lưu nháp", "Save draft")}
                    </button>
                    <button type="submit" name="intent" value=Intent::Submit.code()
                        class="button button-large" disabled=move || submit.pending().get()
                        on:click=move |ev| { ev.prevent_default(); submit.dispatch(()); }>
                        {move || if submit.pending().get() { i.pick("Đang nộp…", "Submitting…") } else { i.pick("Nộp báo cáo", "Submit") }}
                    </button>
                </div>
                <Show when=move || queued.get()>
                    <p class="notice notice-warn" role="alert" data-testid="submit-queued">{i.pick(
                        "Chưa có mạng: báo cáo chưa đến máy chủ. Phần đã nhập được giữ trên thiết bị này và sẽ tự nộp khi có mạng trở lại; đừng đăng xuất trước khi đó.",
                        "Offline: the report has not reached the server. Your answers are kept on this device and will be submitted by themselves when the connection returns; do not sign out before then.",
                    )}</p>
                </Show>
                {move || submit.value().get().and_then(Result::err).map(|e| match e {
                    AppError::Transport(_) | AppError::Unavailable => ().into_any(),
                    AppError::Invalid(_) if form.tried.get() && template.with_value(|t| !form.problems(t).is_empty()) => ().into_any(),
                    e => view! { <ErrorNotice error=e /> }.into_any(),
                })}
            </section>
        </form>
    }
}

/// The answers in the page's fields when they differ from `answers` (what the page was
/// rendered with): someone typed before the bundle had hydrated the form at `page`.
#[cfg(feature = "hydrate")]
fn typed_before_hydration(
    template: &super::Template,
    answers: &Answers,
    page: &str,
) -> Option<Answers> {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
    let document = document();
    // The server-rendered form of this report, not yet hydrated (or, after a navigation, none).
    document
        .query_selector(&format!("form.report-form[action=\"{page}\"]"))
        .ok()
        .flatten()?;
    let mut typed = Answers::new();
    for field in &template.fields {
        let name = format!("a.{}", field.key);
        // None: the field is not in the page (then nothing is taken from it).
        let value: Option<String> = match field.kind {
            FieldKind::Attachment { .. } => continue,
            FieldKind::YesNo => {
                let present = document
                    .query_selector(&format!("input[name=\"{name}\"]"))
                    .ok()
                    .flatten()
                    .is_some();
                present.then(|| {
                    document
                        .query_selector(&format!("input[name=\"{name}\"]:checked"))
                        .ok()
                        .flatten()
                        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                        .map(|e| e.value())
                        .unwrap_or_default()
                })
            }
            _ => document
                .get_element_by_id(&format!("field-{}", field.key))
                .and_then(|e| {
                    let e = match e.dyn_into::<HtmlInputElement>() {
                        Ok(input) => return Some(input.value()),
                        Err(e) => e,
                    };
                    let e = match e.dyn_into::<HtmlTextAreaElement>() {
                        Ok(text) => return Some(text.value()),
                        Err(e) => e,
                    };
                    e.dyn_into::<HtmlSelectElement>().ok().map(|s| s.value())
                }),
        };
        let value = value?;
        if !value.is_empty() {
            typed.insert(field.key.clone(), value);
        }
    }
    (typed != *answers).then_some(typed)
}

#[component]
fn SaveLine(form: Form) -> impl IntoView {
    let i = use_i18n();
    move || {
        match form.state.get() {
        SaveState::Saved(at) if at.is_empty() => view! {
            <span class="save-state" data-state="saved">{i.pick("Chưa lưu lần nào", "Nothing saved yet")}</span>
        }.into_any(),
        SaveState::Saved(at) => view! {
            <span class="save-state save-ok" data-state="saved">{format!("{} {}", i.pick("Đã lưu lúc", "Saved at"), local_time(&at))}</span>
        }.into_any(),
        SaveState::Unsaved => view! {
            <span class="save-state" data-state="unsaved">{i.pick("Đã giữ trên thiết bị, sắp lưu lên máy chủ", "Kept on this device, saving soon")}</span>
        }.into_any(),
        SaveState::Saving => view! {
            <span class="save-state" data-state="saving">{i.pick("Đang lưu…", "Saving…")}</span>
        }.into_any(),
        SaveState::Offline => view! {
            <span class="save-state save-warn" data-state="offline">{i.pick(
                "Mất kết nối — phần nhập được giữ trên thiết bị và sẽ lưu khi có mạng",
                "Offline — your answers are kept on this device and will be saved when the connection returns",
            )}</span>
        }.into_any(),
        SaveState::Conflict(..) => view! {
            <span class="save-state save-warn" data-state="conflict">{i.pick("Báo cáo vừa được sửa ở thiết bị khác", "The report was changed on another device")}</span>
        }.into_any(),
        SaveState::Failed(e) => view! {
            <span class="save-state save-warn" data-state="failed">{i.t().error(&e)}</span>
        }.into_any(),
    }
    }
}

/// When another device saved meanwhile: keep what is here (over theirs) or take theirs.
#[component]
fn ConflictChoice(form: Form) -> impl IntoView {
    let i = use_i18n();
    move || {
        let SaveState::Conflict(version, theirs) = form.state.get() else {
            return ().into_any();
        };
        let theirs_count = theirs.len();
        view! {
            <div class="notice notice-warn" role="alert">
                <p>{format!("{} ({theirs_count} {})", i.pick(
                    "Báo cáo này vừa được lưu từ thiết bị khác",
                    "This report was saved from another device",
                ), i.pick("mục đã nhập", "answers"))}</p>
                <button type="button" class="tool" on:click=move |_| {
                    form.version.set(version);
                    form.state.set(SaveState::Unsaved);
                    form.keep_on_device();
                    leptos::task::spawn_local(async move { form.save().await; });
                }>{i.pick("Giữ bản trên thiết bị này", "Keep this device's answers")}</button>
                <button type="button" class="tool" on:click={
                    let theirs = theirs.clone();
                    move |_| {
                        form.version.set(version);
                        form.answers.set(theirs.clone());
                        form.saved_edits.set(form.edits.get_untracked());
                        form.forget_on_device();
                        form.state.set(SaveState::Saved(String::new()));
                    }
                }>{i.pick("Dùng bản đã lưu trên máy chủ", "Use the server's answers")}</button>
            </div>
        }
        .into_any()
    }
}

#[component]
fn FieldInput(field: Field, form: Form, template: StoredValue<super::Template>) -> impl IntoView {
    let i = use_i18n();
    let key = field.key.clone();
    let id = format!("field-{}", field.key);
    let error_id = format!("{id}-error");
    let error = {
        let key = key.clone();
        Memo::new(move |_| {
            let show = form.tried.get() || !form.get(&key).trim().is_empty();
            if !show {
                return None;
            }
            template
                .with_value(|t| form.problems(t))
                .into_iter()
                .find(|p| p.field == key)
                .map(|p| p.message)
        })
    };
    let has_error = move || error.with(Option::is_some);
    let required = field.required;
    let label = view! {
        {field.label.clone()}
        {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
    };
    let help =
        (!field.help.is_empty()).then(|| view! { <span class="hint">{field.help.clone()}</span> });
    let error_view = {
        let error_id = error_id.clone();
        move || {
            error
                .get()
                .map(|m| view! { <p class="field-error" id=error_id.clone() role="alert">{m}</p> })
        }
    };
    let described = {
        let error_id = error_id.clone();
        move || has_error().then(|| error_id.clone())
    };
    let on_input = {
        let key = key.clone();
        move |ev: leptos::ev::Event| form.set(&key, event_target_value(&ev))
    };
    let value = {
        let key = key.clone();
        move || form.get(&key)
    };
    // The posted name, and the value the page is rendered with (what a browser without the
    // bundle shows and sends).
    let name = format!("a.{key}");
    let initial = form
        .answers
        .with_untracked(|a| a.get(&key).cloned().unwrap_or_default());
    match field.kind.clone() {
        FieldKind::Count { unit, .. } => view! {
            <div class="field" class:has-error=has_error>
                <label for=id.clone()>{label}</label>
                {help}
                <div class="with-unit">
                    <input id=id.clone() name=name type="text" inputmode="numeric" autocomplete="off" required=required
                        aria-invalid=move || has_error().to_string() aria-describedby=described
                        value=initial prop:value=value on:input=on_input />
                    <span class="unit">{unit}</span>
                </div>
                {error_view}
            </div>
        }.into_any(),
        FieldKind::Percent => view! {
            <div class="field" class:has-error=has_error>
                <label for=id.clone()>{label}</label>
                {help}
                <div class="with-unit">
                    <input id=id.clone() name=name type="text" inputmode="decimal" autocomplete="off" required=required
                        aria-invalid=move || has_error().to_string() aria-describedby=described
                        value=initial prop:value=value on:input=on_input />
                    <span class="unit">"%"</span>
                </div>
                {error_view}
            </div>
        }.into_any(),
        FieldKind::YesNo => {
            let choice = move |v: &'static str, vi: &'static str, en: &'static str| {
                let key = key.clone();
                let name = name.clone();
                view! {
                    <label class="choice">
                        <input type="radio" name=name value=v checked=initial == v
                            prop:checked={let key = key.clone(); move || form.get(&key) == v}
                            on:change=move |_| form.set(&key, v.to_string()) />
                        {i.pick(vi, en)}
                    </label>
                }
            };
            view! {
                <fieldset class="field choices" id=id.clone() class:has-error=has_error
                    aria-describedby=described>
                    <legend>{label}</legend>
                    {help}
                    {choice(YES, "Có", "Yes")}
                    {choice(NO, "Không", "No")}
                    {error_view}
                </fieldset>
            }.into_any()
        }
        FieldKind::Choice { options } => view! {
            <div class="field" class:has-error=has_error>
                <label for=id.clone()>{label}</label>
                {help}
                <select id=id.clone() name=name required=required aria-describedby=described
                    prop:value=value on:change=on_input>
                    <option value="">{i.pick("— Chọn —", "— Choose —")}</option>
                    {options.into_iter().map(|o| view! {
                        <option value=o.clone() selected=initial == o>{o.clone()}</option>
                    }).collect_view()}
                </select>
                {error_view}
            </div>
        }.into_any(),
        FieldKind::Narrative => view! {
            <div class="field" class:has-error=has_error>
                <label for=id.clone()>{label}</label>
                {help}
                <textarea id=id.clone() name=name rows="4" required=required aria-describedby=described
                    prop:value=value on:input=on_input>{initial}</textarea>
                {error_view}
            </div>
        }.into_any(),
        FieldKind::Attachment { accept } => view! {
            <AttachmentInput field=field.clone() accept form has_error=Signal::derive(has_error) error=error.into() />
        }.into_any(),
    }
}

#[component]
fn AttachmentInput(
    field: Field,
    accept: super::AttachmentKind,
    form: Form,
    has_error: Signal<bool>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let key = StoredValue::new(field.key.clone());
    let current = move || {
        form.files.with(|f| {
            f.iter()
                .find(|f| key.with_value(|k| &f.field == k))
                .cloned()
        })
    };
    let uploading = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let confirm = RwSignal::new(false);
    let remove =
        Action::new(move |_: &()| delete_report_file(form.cycle, form.unit, key.get_value()));
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(files)) => {
            confirm.set(false);
            form.files.set(files);
            form.keep_on_device();
        }
        Some(Err(e)) => problem.set(Some(i.t().error(&e))),
        None => {}
    });
    let id = format!("field-{}", field.key);
    let upload = move |input: leptos::web_sys::HtmlInputElement| {
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        problem.set(None);
        uploading.set(true);
        let url = attachment_upload_url(form.cycle, form.unit, &key.get_value());
        leptos::task::spawn_local(async move {
            match crate::components::upload_file::<Vec<FileInfo>>(file, &url, i).await {
                Ok(files) => {
                    form.files.set(files);
                    form.keep_on_device();
                }
                Err(message) => problem.set(Some(message)),
            }
            uploading.set(false);
        });
    };
    let on_pick = move |ev: leptos::ev::Event| upload(event_target(&ev));
    // A file chosen before the bundle arrived is uploaded once it has.
    let picker = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = picker.get() {
            upload(input);
        }
    });
    let label = field.label.clone();
    view! {
        <div class="field attachment" class:has-error=move || has_error.get() && current().is_none()>
            <label class="label" for=id.clone()>
                {label.clone()}
                {field.required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <p class="hint">{move || match i.lang() { Lang::Vi => accept.describe_vi(), Lang::En => accept.describe_en() }}</p>
            {move || current().map(|f| view! {
                <a class="evidence-file" href=format!("/report-files/{}", f.id) download>
                    {f.file_name.clone()}<span class="as-of">{format!(" ({})", file_size(f.size))}</span>
                </a>
            })}
            // A plain file input: without the bundle it is sent with the form, and the browser
            // shows which file was chosen; with it, the file uploads as soon as it is chosen.
            <input type="file" id=id.clone() name=format!("f.{}", field.key) class="file-input"
                accept=accept.accept() disabled=move || uploading.get() on:change=on_pick
                node_ref=picker />
            <Show when=move || uploading.get()>
                <span class="as-of" role="status">{i.pick("Đang tải lên…", "Uploading…")}</span>
            </Show>
            <Show when=move || current().is_some() && !confirm.get()>
                <button type="button" class="tool" on:click=move |_| confirm.set(true)>
                    {i.pick("Xoá tệp", "Remove file")}
                </button>
            </Show>
            <Show when=move || confirm.get()>
                <span class="confirm" role="group" aria-label=i.pick("Xác nhận xoá tệp", "Confirm removal")>
                    <button type="button" class="tool tool-danger" disabled=move || remove.pending().get()
                        on:click=move |_| { remove.dispatch(()); }>
                        {i.pick("Xoá hẳn tệp này", "Remove this file")}
                    </button>
                    <button type="button" class="tool" on:click=move |_| confirm.set(false)>
                        {i.pick("Giữ lại", "Keep it")}
                    </button>
                </span>
            </Show>
            {move || problem.get().or_else(|| error.get().filter(|_| current().is_none()))
                .map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
        </div>
    }
}

/// The answers as submitted, for the unit after submitting and for reviewers.
#[component]
fn ReportReadOnly(view: ReportView) -> impl IntoView {
    let i = use_i18n();
    let rows = view
        .template
        .fields
        .iter()
        .map(|f| {
            let shown = match &f.kind {
                FieldKind::Attachment { .. } => None,
                FieldKind::YesNo => view.answers.get(&f.key).map(|a| {
                    if a == YES { "Có".to_string() } else { "Không".to_string() }
                }),
                FieldKind::Count { unit, .. } => view.answers.get(&f.key).map(|a| format!("{a} {unit}")),
                FieldKind::Percent => view.answers.get(&f.key).map(|a| format!("{a} %")),
                _ => view.answers.get(&f.key).cloned(),
            };
            let file = view.files.iter().find(|x| x.field == f.key).cloned();
            let is_file = matches!(f.kind, FieldKind::Attachment { .. });
            view! {
                <dt>{f.label.clone()}</dt>
                <dd>
                    {if is_file {
                        match file {
                            Some(file) => view! {
                                <a href=format!("/report-files/{}", file.id) download>{file.file_name.clone()}</a>
                                <span class="as-of">{format!(" ({}, SHA-256 {}…)", file_size(file.size), &file.sha256[..12.min(file.sha256.len())])}</span>
                            }.into_any(),
                            None => view! { <span class="as-of">"—"</span> }.into_any(),
                        }
                    } else {
                        view! { <span class="answer">{shown.unwrap_or_else(|| "—".into())}</span> }.into_any()
                    }}
                </dd>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="answers-title">
            <h2 id="answers-title">{i.pick("Nội dung báo cáo", "The report")}</h2>
            <dl class="answers">{rows}</dl>
        </section>
    }
}

/// What a plain post of one of `intents` left to show again: the text typed and the reason it
/// was not taken.
fn posted_for(posted: Option<Posted>, intents: &[Intent]) -> (String, Option<AppError>) {
    match posted.filter(|p| intents.contains(&p.intent)) {
        Some(p) => (p.comment, Some(p.error)),
        None => (String::new(), None),
    }
}

/// Accept, or return with a comment: a plain form to the page's address, which answers with
/// the page again.
#[component]
fn ReviewPanel(cycle: i64, unit: i64, posted: Option<Posted>) -> impl IntoView {
    let i = use_i18n();
    let (typed, posted_error) = posted_for(posted, &[Intent::Accept, Intent::Return]);
    view! {
        <form class="panel" method="post" action=page_path(cycle, unit)
            enctype="multipart/form-data" aria-labelledby="review-title">
            <h2 id="review-title">{i.pick("Duyệt báo cáo", "Review")}</h2>
            <div class="field">
                <label for="review-comment">{i.pick("Ý kiến (bắt buộc khi yêu cầu bổ sung)", "Comment (required to return)")}</label>
                <textarea id="review-comment" name="comment" rows="3">{typed}</textarea>
            </div>
            <div class="actions">
                <button type="submit" name="intent" value=Intent::Return.code()
                    class="button button-secondary">
                    {i.pick("Yêu cầu bổ sung", "Return for changes")}
                </button>
                <button type="submit" name="intent" value=Intent::Accept.code() class="button">
                    {i.pick("Duyệt", "Accept")}
                </button>
            </div>
            {posted_error.map(|e| view! { <ErrorNotice error=e /> })}
        </form>
    }
}

/// Reopen with a reason: a plain form too (see [`ReviewPanel`]).
#[component]
fn ReopenPanel(cycle: i64, unit: i64, posted: Option<Posted>) -> impl IntoView {
    let i = use_i18n();
    let (typed, posted_error) = posted_for(posted, &[Intent::Reopen]);
    view! {
        <form class="panel" method="post" action=page_path(cycle, unit)
            enctype="multipart/form-data" aria-labelledby="reopen-title">
            <h2 id="reopen-title">{i.pick("Mở lại báo cáo", "Reopen the report")}</h2>
            <div class="field">
                <label for="reopen-reason">{i.pick("Lý do mở lại", "Reason")}</label>
                <textarea id="reopen-reason" name="comment" rows="2">{typed}</textarea>
            </div>
            <button type="submit" name="intent" value=Intent::Reopen.code()
                class="button button-secondary">
                {i.pick("Mở lại", "Reopen")}
            </button>
            {posted_error.map(|e| view! { <ErrorNotice error=e /> })}
        </form>
    }
}

#[component]
fn History(view: ReportView) -> impl IntoView {
    let i = use_i18n();
    (!view.history.is_empty()).then(|| view! {
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{i.pick("Lịch sử", "History")}</h2>
            <ol class="history">
                {view.history.into_iter().map(|e| {
                    let at = local_time(&e.at);
                    let label = (e.label_vi(), e.label_en());
                    view! {
                        <li>
                            <strong>{i.pick(label.0, label.1)}</strong>
                            <span class="as-of">{format!(" · {at} · {}", e.by)}</span>
                            {(!e.comment.is_empty()).then(|| view! { <p>{e.comment.clone()}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    })
}
