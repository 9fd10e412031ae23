//! Small pieces shared by pages.

use crate::error::AppError;
use crate::i18n::{use_i18n, Lang};
use leptos::prelude::*;

/// The page's title. Leptos' `<Title>` writes its text into the server-rendered `<head>` as
/// it is, so a plan or unit named `</title><meta http-equiv="refresh" …>` would become markup
/// there; this escapes it for that HTML. In the browser the text is set as plain text, as is.
#[component]
pub fn PageTitle(#[prop(into)] text: TextProp) -> impl IntoView {
    let text = move || {
        let text = text.get();
        if cfg!(feature = "ssr") {
            crate::text::escape_markup(&text)
        } else {
            text.to_string()
        }
    };
    view! { <leptos_meta::Title text=text /> }
}

#[component]
pub fn Loading() -> impl IntoView {
    let i = use_i18n();
    view! {
        <p class="loading" role="status">
            {i.t().loading}
        </p>
    }
}

/// A failed request, told in the user's language; the cause stays in the server log.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(crate::authz::status_of(&error));
    }
    match error {
        AppError::Unauthenticated => view! {
            <section class="empty-state">
                <h1>{i.t().sign_in_title}</h1>
                <p>{i.t().sign_in_needed}</p>
                <p><a class="button" href="/sign-in">{i.t().nav_sign_in}</a></p>
            </section>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <section class="empty-state" role="alert">
                <h1>{i.t().forbidden_title}</h1>
                <p>{i.t().forbidden_body}</p>
                <p><a class="button" href="/">{i.t().back_home}</a></p>
            </section>
        }
        .into_any(),
        error => view! {
            <div class="notice notice-error" role="alert">
                <p class="notice-title">{i.t().error_title}</p>
                <p>{i.t().error(&error)}</p>
            </div>
        }
        .into_any(),
    }
}

/// Integers as Vietnamese write them: 12.345 (English: 12,345).
pub fn format_count(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let separator = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(ch);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// Percent-encodes a query value (UTF-8, everything but unreserved characters).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Builds `path?k=v&…` from the pairs whose value is not empty.
pub fn href_with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_the_language_separator() {
        assert_eq!(format_count(1234567, Lang::Vi), "1.234.567");
        assert_eq!(format_count(999, Lang::En), "999");
        assert_eq!(format_count(-1000, Lang::En), "-1,000");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            href_with_query(
                "/directory",
                &[("q", "Tân Lập".into()), ("kind", String::new())]
            ),
            "/directory?q=T%C3%A2n+L%E1%BA%ADp"
        );
    }
}

/// A button that picks a file and sends it to `url` (see [`upload_file`]), for evidence and
/// documents. The server's JSON answer goes to `on_uploaded`; a refusal shows under it.
#[component]
pub fn FilePicker(
    /// Where the file goes; `?name=` is added.
    #[prop(into)]
    url: String,
    /// The id of the hidden input, unique on the page.
    #[prop(into)]
    input_id: String,
    /// What the file is for, read to screen readers with the button.
    #[prop(into)]
    label: String,
    /// Whether a file is there already ("Thay tệp" rather than "Tải tệp lên").
    #[prop(into)]
    has_file: Signal<bool>,
    on_uploaded: Callback<serde_json::Value>,
    /// What the picker offers; any document when not given.
    #[prop(optional)]
    kind: Option<crate::reports::AttachmentKind>,
    /// The field of the plain form the picker sits in: until the bundle runs, the browser's
    /// own file input, sent with the form.
    #[prop(optional, into)]
    name: Option<String>,
) -> impl IntoView {
    let i = use_i18n();
    let enhanced = RwSignal::new(name.is_none());
    Effect::new(move |_| enhanced.set(true));
    let accept = kind
        .unwrap_or(crate::reports::AttachmentKind::Document)
        .accept();
    let uploading = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let url = StoredValue::new(url);
    let on_pick = move |ev: leptos::ev::Event| {
        let input: leptos::web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        problem.set(None);
        uploading.set(true);
        leptos::task::spawn_local(async move {
            match upload_file::<serde_json::Value>(file, &url.get_value(), i).await {
                Ok(answer) => on_uploaded.run(answer),
                Err(message) => problem.set(Some(message)),
            }
            uploading.set(false);
        });
    };
    view! {
        <input type="file" id=input_id.clone() name=name
            class=move || if enhanced.get() { "visually-hidden" } else { "file-native" }
            aria-label=(!enhanced.get_untracked()).then(|| label.clone())
            accept=accept disabled=move || uploading.get() on:change=on_pick />
        <label class="button button-secondary file-pick" for=input_id class:busy=move || uploading.get()
            hidden=move || !enhanced.get()>
            {move || if uploading.get() { i.pick("Đang tải lên…", "Uploading…") }
                else if has_file.get() { i.pick("Thay tệp", "Replace file") }
                else { i.pick("Tải tệp lên", "Upload a file") }}
            <span class="visually-hidden">{format!(" — {label}")}</span>
        </label>
        {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
    }
}

/// A file's size as people say it: "840 KB", "2.4 MB".
pub fn file_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// Sends a picked file as the body of a POST to `url` (its name in `?name=`) and reads the
/// JSON answer; the error is a message for the user.
pub async fn upload_file<T: serde::de::DeserializeOwned>(
    file: leptos::web_sys::File,
    url: &str,
    i: crate::i18n::I18n,
) -> Result<T, String> {
    #[cfg(feature = "hydrate")]
    {
        let join = if url.contains('?') { '&' } else { '?' };
        let url = format!(
            "{url}{join}name={}",
            crate::text::percent_encode(&file.name())
        );
        let request = gloo_net::http::Request::post(&url)
            .header("Content-Type", "application/octet-stream")
            .body(wasm_bindgen::JsValue::from(file))
            .map_err(|_| i.t().err_transport.to_string())?;
        let response = request
            .send()
            .await
            .map_err(|_| i.t().err_transport.to_string())?;
        let accepted = response.ok();
        let body = response
            .text()
            .await
            .map_err(|_| i.t().err_transport.to_string())?;
        // A refusal is JSON too: only a success is read as the answer.
        if accepted {
            serde_json::from_str::<T>(&body).map_err(|_| i.t().err_internal.to_string())
        } else {
            Err(serde_json::from_str::<AppError>(&body)
                .map(|e| i.t().error(&e))
                .unwrap_or_else(|_| i.t().err_internal.to_string()))
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (file, url);
        Err(i.t().err_transport.to_string())
    }
}

/// The year a page shows, chosen from 2022 (the first year with records) to `last`, newest
/// first, as a GET form to `action` (with `keep`'s fields, and any other fields given as
/// children, in the same form): "Xem" sends it without the bundle; inside a running island a
/// choice sends it at once.
#[component]
pub fn YearSelect(
    /// The id of the select, unique on the page.
    #[prop(into)]
    id: String,
    year: i32,
    last: i32,
    /// The page the form asks for.
    #[prop(into)]
    action: String,
    /// Other query fields the page keeps while the year changes.
    #[prop(optional)]
    keep: Vec<(&'static str, String)>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <form method="get" action=action class="filters year-form">
            {keep.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            <div class="field year-field">
                <label for=id.clone()>{i.pick("Năm", "Year")}</label>
                <select id=id name="year" on:change=submit_own_form>
                    {(2022..=last).rev().map(|y| view! {
                        <option value=y.to_string() selected=y == year>{y.to_string()}</option>
                    }).collect_view()}
                </select>
            </div>
            {children.map(|c| c())}
            <button type="submit" class="secondary">{i.pick("Xem", "Show")}</button>
        </form>
    }
}

/// Sends the GET form a changed list belongs to (used where an island renders the list).
pub fn submit_own_form(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlSelectElement>().ok())
            .and_then(|s| s.form())
        {
            let _ = form.request_submit();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// A full page load of `path`, the way an island shows what the server now holds (islands
/// have no client-side router).
pub fn load_page(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Placed inside a GET filter form: choosing in a list or a date applies the filters at once
/// (typing still waits for Enter or the button). Without the bundle the button does it.
#[island]
pub fn SubmitOnChange() -> impl IntoView {
    let marker = NodeRef::<leptos::html::Span>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = marker.get().and_then(|m| m.closest("form").ok().flatten()) {
            use leptos::wasm_bindgen::{closure::Closure, JsCast};
            use leptos::web_sys::{Event, HtmlFormElement, HtmlInputElement, HtmlSelectElement};
            let target = form.clone();
            let on_change = Closure::<dyn FnMut(Event)>::new(move |ev: Event| {
                let choice = ev.target().is_some_and(|t| {
                    t.has_type::<HtmlSelectElement>()
                        || t.dyn_ref::<HtmlInputElement>()
                            .is_some_and(|i| i.type_() == "date")
                });
                if let (true, Some(form)) = (choice, target.dyn_ref::<HtmlFormElement>()) {
                    let _ = form.request_submit();
                }
            });
            let _ =
                form.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
            on_change.forget();
        }
    });
    view! { <span node_ref=marker hidden></span> }
}

/// Data an island fetches from the browser once it runs: `fetcher` of `source` (tracked).
/// On the server it stays pending, so the `Suspense` around it renders its fallback. An
/// island's resource created after its first render (inside a `Suspense`, a `Show`, a list)
/// must be one of these: only those created as the island starts travel with the page.
pub fn browser_resource<S, T, Fut>(
    source: impl Fn() -> S + 'static,
    fetcher: impl Fn(S) -> Fut + 'static,
) -> LocalResource<T>
where
    S: 'static,
    T: 'static,
    Fut: std::future::Future<Output = T> + 'static,
{
    LocalResource::new(move || fetcher(source()))
}

/// The value of a [`browser_resource`] once the browser has it. On the server it is never read
/// (a read would leave the page's `Suspense` waiting for it): `None`, as the browser's first
/// render has it too.
pub fn loaded<T: Clone + 'static>(resource: LocalResource<T>) -> Option<T> {
    if cfg!(feature = "ssr") {
        None
    } else {
        resource.get()
    }
}

/// A page's plain form the server did not take: which form of the page (`form`, as the page
/// names it), what was typed in each field, and why. The page is rendered again with it, at
/// the error's status, so that the form shows the values and the reason.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PagePosted {
    pub form: String,
    pub fields: std::collections::BTreeMap<String, String>,
    pub error: AppError,
}

impl PagePosted {
    /// The refused post, when it came from the form named `form`.
    pub fn of(posted: &Option<PagePosted>, form: &str) -> Option<PagePosted> {
        posted.as_ref().filter(|p| p.form == form).cloned()
    }

    /// What was typed in the field `name` (empty when it was not sent).
    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}
