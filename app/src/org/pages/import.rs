use crate::components::{format_count, PageTitle};
use crate::i18n::use_i18n;
use crate::org::ImportReport;
use leptos::html;
use leptos::prelude::*;

/// Where the browser sends the file (a plain HTTP endpoint: the body is the raw file).
pub const IMPORT_ENDPOINT: &str = "/api/org/import";
pub const TEMPLATE_ENDPOINT: &str = "/api/org/import/template.csv";

#[derive(Clone, PartialEq)]
// `Done` is only reached in the browser, where the upload runs.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum ImportState {
    Idle,
    Busy,
    Done(ImportReport),
    Failed(String),
}

#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
pub fn ImportPage() -> impl IntoView {
    let i = use_i18n();
    let file_input = NodeRef::<html::Input>::new();
    let state = RwSignal::new(ImportState::Idle);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(file) = file_input
            .get()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            state.set(ImportState::Failed(i.t().import_pick_file.to_string()));
            return;
        };
        state.set(ImportState::Busy);
        upload(file, state, i.t());
    };

    view! {
        <PageTitle text=move || format!("{} · {}", i.t().import_title, i.t().app_name) />
        <h1>{i.t().import_title}</h1>
        <p class="lead">{i.t().import_intro}</p>
        <p>{i.t().import_columns}</p>
        <p>
            <a href=TEMPLATE_ENDPOINT download="mau-danh-sach-truong.csv">
                {i.t().import_template}
            </a>
        </p>
        <form class="import-form" on:submit=on_submit>
            <div class="field">
                <label for="import-file">{i.t().import_file}</label>
                <input
                    id="import-file"
                    type="file"
                    accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                    node_ref=file_input
                />
            </div>
            <button type="submit" disabled=move || state.get() == ImportState::Busy>
                {move || if state.get() == ImportState::Busy { i.t().import_busy } else { i.t().import_button }}
            </button>
        </form>
        <div aria-live="polite">
            {move || match state.get() {
                ImportState::Idle | ImportState::Busy => ().into_any(),
                ImportState::Failed(message) => view! {
                    <div class="notice notice-error" role="alert"><p>{message}</p></div>
                }
                    .into_any(),
                ImportState::Done(report) if !report.committed => view! {
                    <div class="notice notice-error" role="alert">
                        <p class="notice-title">{i.t().import_rejected}</p>
                    </div>
                    <table class="errors">
                        <thead>
                            <tr>
                                <th scope="col">{i.t().import_row}</th>
                                <th scope="col">{i.t().import_reason}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {report.errors.into_iter().map(|e| view! {
                                <tr><td>{e.row}</td><td>{e.message}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any(),
                ImportState::Done(report) => {
                    let lang = i.lang();
                    view! {
                        <div class="notice notice-ok" role="status">
                            <p class="notice-title">{i.t().import_done}</p>
                            <ul>
                                <li>{i.t().import_created} ": " {format_count(report.created as i64, lang)}</li>
                                <li>{i.t().import_updated} ": " {format_count(report.updated as i64, lang)}</li>
                                <li>{i.t().import_unchanged} ": " {format_count(report.unchanged as i64, lang)}</li>
                            </ul>
                        </div>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn upload(
    file: leptos::web_sys::File,
    state: RwSignal<ImportState>,
    t: &'static crate::i18n::Strings,
) {
    use crate::error::AppError;
    leptos::task::spawn_local(async move {
        let request = gloo_net::http::Request::post(IMPORT_ENDPOINT)
            .header("Content-Type", "application/octet-stream")
            .body(wasm_bindgen::JsValue::from(file));
        let outcome = match request {
            Ok(request) => match request.send().await {
                // A rejected file comes back as 422 with the report of its bad rows.
                Ok(response) => match response.text().await {
                    Ok(body) => {
                        if let Ok(report) = serde_json::from_str::<ImportReport>(&body) {
                            ImportState::Done(report)
                        } else if let Ok(err) = serde_json::from_str::<AppError>(&body) {
                            ImportState::Failed(t.error(&err))
                        } else {
                            ImportState::Failed(t.err_internal.to_string())
                        }
                    }
                    Err(_) => ImportState::Failed(t.err_transport.to_string()),
                },
                Err(_) => ImportState::Failed(t.err_transport.to_string()),
            },
            Err(_) => ImportState::Failed(t.err_transport.to_string()),
        };
        state.set(outcome);
    });
}

#[cfg(not(feature = "hydrate"))]
fn upload(
    _file: leptos::web_sys::File,
    state: RwSignal<ImportState>,
    t: &'static crate::i18n::Strings,
) {
    state.set(ImportState::Failed(t.err_transport.to_string()));
}
