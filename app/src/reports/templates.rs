//! Report templates: the list of the newest version of each, and the editor that saves a
//! new version (or a new template). Cycles already opened keep the version they pinned.

use super::api::{report_templates, save_template};
use super::{check_template, template_code, AttachmentKind, Field, FieldKind, Template};
use crate::components::{ErrorNotice, Loading, PageTitle};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::nav::use_query_map;
use leptos::prelude::*;

/// The kinds a field can be, as the editor offers them.
const KINDS: [(&str, &str, &str); 6] = [
    ("count", "Số lượng", "Count"),
    ("percent", "Tỷ lệ %", "Percentage"),
    ("yes_no", "Có / Không", "Yes / no"),
    ("choice", "Chọn một", "Choice"),
    ("narrative", "Nội dung (văn bản)", "Narrative"),
    ("attachment", "Tệp đính kèm", "Attachment"),
];

/// One field as the editor holds it: text as typed, read into a `Field` on save.
#[derive(Clone, Copy)]
struct Row {
    uid: usize,
    /// Kept from the version it came from (answers and roll-ups are keyed by it); a new
    /// field gets one from its label when saved.
    key: RwSignal<String>,
    label: RwSignal<String>,
    kind: RwSignal<String>,
    unit: RwSignal<String>,
    min: RwSignal<String>,
    max: RwSignal<String>,
    options: RwSignal<String>,
    accept: RwSignal<AttachmentKind>,
    required: RwSignal<bool>,
    help: RwSignal<String>,
}

impl Row {
    fn new(uid: usize, field: Option<&Field>) -> Row {
        let (kind, unit, min, max, options, accept) = match field.map(|f| &f.kind) {
            Some(FieldKind::Count { unit, min, max }) => (
                "count",
                unit.clone(),
                min.map(|m| m.to_string()).unwrap_or_default(),
                max.map(|m| m.to_string()).unwrap_or_default(),
                String::new(),
                AttachmentKind::SignedScan,
            ),
            Some(FieldKind::Percent) => ("percent", s(), s(), s(), s(), AttachmentKind::SignedScan),
            Some(FieldKind::YesNo) => ("yes_no", s(), s(), s(), s(), AttachmentKind::SignedScan),
            Some(FieldKind::Choice { options }) => (
                "choice",
                s(),
                s(),
                s(),
                options.join("\n"),
                AttachmentKind::SignedScan,
            ),
            Some(FieldKind::Narrative) => {
                ("narrative", s(), s(), s(), s(), AttachmentKind::SignedScan)
            }
            Some(FieldKind::Attachment { accept }) => ("attachment", s(), s(), s(), s(), *accept),
            None => (
                "count",
                s(),
                "0".into(),
                s(),
                s(),
                AttachmentKind::SignedScan,
            ),
        };
        Row {
            uid,
            key: RwSignal::new(field.map(|f| f.key.clone()).unwrap_or_default()),
            label: RwSignal::new(field.map(|f| f.label.clone()).unwrap_or_default()),
            kind: RwSignal::new(kind.to_string()),
            unit: RwSignal::new(unit),
            min: RwSignal::new(min),
            max: RwSignal::new(max),
            options: RwSignal::new(options),
            accept: RwSignal::new(accept),
            required: RwSignal::new(field.is_none_or(|f| f.required)),
            help: RwSignal::new(field.map(|f| f.help.clone()).unwrap_or_default()),
        }
    }

    /// The field this row describes, or what is wrong with it (`n` is its position).
    fn field(&self, n: usize, taken: &mut Vec<String>) -> Result<Field, String> {
        let label = self.label.get_untracked().trim().to_string();
        if label.is_empty() {
            return Err(format!("Mục số {n} chưa có tên."));
        }
        let bound = |text: String, what: &str| -> Result<Option<i64>, String> {
            let text = text.trim().to_string();
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<i64>()
                .map(Some)
                .map_err(|_| format!("Mục “{label}”: {what} phải là số nguyên."))
        };
        let kind = match self.kind.get_untracked().as_str() {
            "count" => FieldKind::Count {
                unit: self.unit.get_untracked().trim().to_string(),
                min: bound(self.min.get_untracked(), "giới hạn dưới")?,
                max: bound(self.max.get_untracked(), "giới hạn trên")?,
            },
            "percent" => FieldKind::Percent,
            "yes_no" => FieldKind::YesNo,
            "choice" => FieldKind::Choice {
                options: self
                    .options
                    .get_untracked()
                    .lines()
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(str::to_string)
                    .collect(),
            },
            "narrative" => FieldKind::Narrative,
            _ => FieldKind::Attachment {
                accept: self.accept.get_untracked(),
            },
        };
        let mut key = self.key.get_untracked();
        if key.is_empty() {
            key = key_for(&label, taken);
        }
        taken.push(key.clone());
        Ok(Field {
            key,
            label,
            kind,
            required: self.required.get_untracked(),
            help: self.help.get_untracked().trim().to_string(),
        })
    }
}

fn s() -> String {
    String::new()
}

/// A key for a new field from its label (folded like a template's code), made unique.
fn key_for(label: &str, taken: &[String]) -> String {
    let base = template_code(label);
    let base = if base.is_empty() {
        "muc".to_string()
    } else {
        base
    };
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    key
}

/// The template list: the newest version of each, with a way to make the next.
#[component]
pub fn TemplatesPage() -> impl IntoView {
    let i = use_i18n();
    let templates = Resource::new(|| (), |_| report_templates());
    view! {
        <PageTitle text=i.pick("Mẫu báo cáo", "Report templates") />
        <nav class="breadcrumb" aria-label=i.pick("Vị trí", "Breadcrumb")>
            <a href="/reports">{i.pick("Báo cáo", "Reports")}</a>
        </nav>
        <h1>{i.pick("Mẫu báo cáo", "Report templates")}</h1>
        <p class="plan-links">
            <a href="/reports/templates/edit" class="button">{i.pick("+ Mẫu mới", "+ New template")}</a>
        </p>
        <p class="hint">{i.pick(
            "Sửa một mẫu là tạo phiên bản mới: các kỳ báo cáo đã mở vẫn dùng phiên bản của chúng, kỳ mới dùng phiên bản mới nhất.",
            "Editing a template makes a new version: cycles already opened keep theirs, new cycles use the newest.")}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match templates.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty-state">{i.pick("Chưa có mẫu báo cáo nào.", "No templates yet.")}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="report-list">
                            {list.into_iter().map(|t| view! {
                                <li class="report-card">
                                    <h2 class="plan-title">{t.name.clone()}</h2>
                                    <p class="unit-meta">{format!("Phiên bản {} · {} mục", t.version, t.fields.len())}</p>
                                    <a href=format!("/reports/templates/edit?from={}", t.id) class="button button-secondary">
                                        {i.pick("Tạo phiên bản mới", "Make a new version")}
                                        <span class="visually-hidden">{format!(" — {}", t.name)}</span>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The editor: a new template, or the next version of `?from=ID`.
#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
pub fn TemplateEditorPage() -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let from = move || query.read().get("from").and_then(|v| v.parse::<i64>().ok());
    let templates = Resource::new(|| (), |_| report_templates());
    view! {
        <PageTitle text=i.pick("Soạn mẫu báo cáo", "Edit a report template") />
        <nav class="breadcrumb" aria-label=i.pick("Vị trí", "Breadcrumb")>
            <a href="/reports">{i.pick("Báo cáo", "Reports")}</a>
            " › "
            <a href="/reports/templates">{i.pick("Mẫu báo cáo", "Templates")}</a>
        </nav>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match (templates.await, from()) {
                    (Err(e), _) => view! { <ErrorNotice error=e /> }.into_any(),
                    (Ok(list), Some(id)) => match list.into_iter().find(|t| t.id == id) {
                        Some(base) => view! { <Editor base=Some(base) /> }.into_any(),
                        None => view! {
                            <p class="empty-state">{i.pick(
                                "Mẫu này không còn là phiên bản mới nhất hoặc không tồn tại.",
                                "This template is not the newest version or does not exist.")}</p>
                        }.into_any(),
                    },
                    (Ok(_), None) => view! { <Editor base=None /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(base: Option<Template>) -> impl IntoView {
    let i = use_i18n();
    let based_on = base.as_ref().map(|t| t.id);
    let heading = match &base {
        Some(t) => format!("{} — phiên bản {}", t.name, t.version + 1),
        None => "Mẫu báo cáo mới".to_string(),
    };
    let name = RwSignal::new(base.as_ref().map(|t| t.name.clone()).unwrap_or_default());
    let fields = base.map(|t| t.fields).unwrap_or_default();
    let next_uid = StoredValue::new(fields.len().max(1));
    let rows = RwSignal::new(if fields.is_empty() {
        vec![Row::new(0, None)]
    } else {
        fields
            .iter()
            .enumerate()
            .map(|(n, f)| Row::new(n, Some(f)))
            .collect()
    });
    let add = move |_| {
        let uid = next_uid.get_value();
        next_uid.set_value(uid + 1);
        rows.update(|r| r.push(Row::new(uid, None)));
    };
    let position = move |uid: usize| rows.with(|r| r.iter().position(|x| x.uid == uid));
    let shift = move |uid: usize, up: bool| {
        rows.update(|r| {
            if let Some(p) = r.iter().position(|x| x.uid == uid) {
                let q = if up { p.checked_sub(1) } else { Some(p + 1) };
                if let Some(q) = q.filter(|q| *q < r.len()) {
                    r.swap(p, q);
                }
            }
        })
    };
    let built = move || -> Result<(String, Vec<Field>), String> {
        let mut taken: Vec<String> = rows
            .get_untracked()
            .iter()
            .map(|r| r.key.get_untracked())
            .filter(|k| !k.is_empty())
            .collect();
        let fields = rows
            .get_untracked()
            .iter()
            .enumerate()
            .map(|(n, r)| r.field(n + 1, &mut taken))
            .collect::<Result<Vec<_>, _>>()?;
        let name = name.get_untracked().trim().to_string();
        check_template(&name, &fields)?;
        Ok((name, fields))
    };
    let save = Action::new(move |_: &()| {
        let built = built();
        async move {
            match built {
                Ok((name, fields)) => save_template(based_on, name, fields).await,
                Err(message) => Err(AppError::Invalid(message)),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            crate::components::load_page("/reports/templates");
        }
    });
    let kind_options = move |current: RwSignal<String>| {
        KINDS
            .iter()
            .map(|(code, vi, en)| {
                let code = *code;
                view! {
                    <option value=code selected=move || current.get() == code>{i.pick(vi, en)}</option>
                }
            })
            .collect_view()
    };
    let row_view = move |row: Row| {
        let uid = row.uid;
        let id = move |what: &str| format!("tf-{uid}-{what}");
        let number = move || position(row.uid).map(|p| p + 1).unwrap_or(0);
        let is_first = move || number() <= 1;
        let is_last = move || number() >= rows.with(|r| r.len());
        view! {
            <li>
                <fieldset class="template-field">
                    <legend class="item-number">{move || format!("{} {}", i.pick("Mục", "Field"), number())}
                        {move || (!row.key.get().is_empty()).then(|| format!(" · mã {}", row.key.get()))}
                    </legend>
                    <div class="field">
                        <label for=id("label")>{i.pick("Tên mục", "Label")}</label>
                        <input id=id("label") type="text" maxlength="300" prop:value=move || row.label.get()
                            on:input=move |ev| row.label.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for=id("kind")>{i.pick("Loại", "Kind")}</label>
                        <select id=id("kind") on:change=move |ev| row.kind.set(event_target_value(&ev))>
                            {kind_options(row.kind)}
                        </select>
                    </div>
                    <Show when=move || row.kind.get() == "count">
                        <div class="template-bounds">
                            <div class="field">
                                <label for=id("unit")>{i.pick("Đơn vị tính", "Unit")}</label>
                                <input id=id("unit") type="text" maxlength="50" prop:value=move || row.unit.get()
                                    on:input=move |ev| row.unit.set(event_target_value(&ev)) />
                            </div>
                            <div class="field">
                                <label for=id("min")>{i.pick("Nhỏ nhất", "Minimum")}</label>
                                <input id=id("min") type="number" inputmode="numeric" prop:value=move || row.min.get()
                                    on:input=move |ev| row.min.set(event_target_value(&ev)) />
                            </div>
                            <div class="field">
                                <label for=id("max")>{i.pick("Lớn nhất", "Maximum")}</label>
                                <input id=id("max") type="number" inputmode="numeric" prop:value=move || row.max.get()
                                    on:input=move |ev| row.max.set(event_target_value(&ev)) />
                            </div>
                        </div>
                    </Show>
                    <Show when=move || row.kind.get() == "choice">
                        <div class="field">
                            <label for=id("options")>{i.pick("Các lựa chọn (mỗi dòng một lựa chọn)", "Options (one per line)")}</label>
                            <textarea id=id("options") rows="3" prop:value=move || row.options.get()
                                on:input=move |ev| row.options.set(event_target_value(&ev))></textarea>
                        </div>
                    </Show>
                    <Show when=move || row.kind.get() == "attachment">
                        <div class="field">
                            <label for=id("accept")>{i.pick("Loại tệp", "File kind")}</label>
                            <select id=id("accept") on:change=move |ev| row.accept.set(
                                if event_target_value(&ev) == "word" { AttachmentKind::WordFile } else { AttachmentKind::SignedScan })>
                                <option value="scan" selected=move || row.accept.get() == AttachmentKind::SignedScan>
                                    {i.pick("Bản ký, đóng dấu (PDF, ảnh)", "Signed scan (PDF, image)")}
                                </option>
                                <option value="word" selected=move || row.accept.get() == AttachmentKind::WordFile>
                                    {i.pick("Tệp Word", "Word file")}
                                </option>
                            </select>
                        </div>
                    </Show>
                    <div class="field">
                        <label for=id("help")>{i.pick("Hướng dẫn (không bắt buộc)", "Hint (optional)")}</label>
                        <input id=id("help") type="text" maxlength="500" prop:value=move || row.help.get()
                            on:input=move |ev| row.help.set(event_target_value(&ev)) />
                    </div>
                    <label class="choice">
                        <input type="checkbox" prop:checked=move || row.required.get()
                            on:change=move |ev| row.required.set(event_target_checked(&ev)) />
                        {i.pick("Bắt buộc", "Required")}
                    </label>
                    <div class="item-bar">
                        <button type="button" class="tool" disabled=is_first
                            on:click=move |_| shift(row.uid, true)>
                            {i.pick("↑ Lên", "↑ Up")}
                        </button>
                        <button type="button" class="tool" disabled=is_last
                            on:click=move |_| shift(row.uid, false)>
                            {i.pick("↓ Xuống", "↓ Down")}
                        </button>
                        <button type="button" class="tool tool-danger"
                            on:click=move |_| {
                                let label = row.label.get_untracked();
                                let sure = label.trim().is_empty() || confirm(&format!("Bỏ mục “{}” khỏi phiên bản mới?", label.trim()));
                                if sure {
                                    rows.update(|r| r.retain(|x| x.uid != row.uid));
                                }
                            }>
                            {i.pick("Bỏ mục", "Remove")}
                        </button>
                    </div>
                </fieldset>
            </li>
        }
    };
    view! {
        <h1>{heading}</h1>
        <form class="report-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="field">
                <label for="template-name">{i.pick("Tên mẫu", "Name")}</label>
                <input id="template-name" type="text" required maxlength="300" prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev)) />
            </div>
            <ol class="template-fields items">
                <For each=move || rows.get() key=|r| r.uid children=row_view />
            </ol>
            <button type="button" class="button button-secondary" on:click=add>
                {i.pick("+ Thêm mục", "+ Add a field")}
            </button>
            <button type="submit" class="button" disabled=move || save.pending().get()>
                {i.pick("Lưu phiên bản", "Save the version")}
            </button>
            {move || save.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
        </form>
    }
}

/// Asks before something is thrown away (always yes where there is no browser).
fn confirm(message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        window().confirm_with_message(message).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        true
    }
}
