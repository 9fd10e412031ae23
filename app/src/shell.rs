//! The page frame: document head, header, navigation, routes, 404 and the error boundary.

use crate::accounts::admin::UsersPage;
use crate::accounts::pages::{provide_session, AccountCorner, AccountPage, AuditPage, SignInPage};
use crate::accounts::Action;
use crate::components::{ErrorNotice, PageTitle};
use crate::dashboard::page::DashboardPage;
use crate::dashboard::todo::Home;
use crate::emulation::pages::EmulationPage;
use crate::error::AppError;
use crate::i18n::{initial_lang, use_i18n, I18n, Lang, LANGUAGE_ENDPOINT};
use crate::org::pages::{DirectoryPage, ImportPage, TreePage, UnitPage};
use crate::plans::deployment::DeploymentsPage;
use crate::plans::pages::{
    NotificationBell, NotificationsPage, PlanPage, PlanPrintPage, PlansPage,
};
use crate::recognition::editor::CriteriaPage;
use crate::recognition::pages::{AssessmentPage, RecognitionPage};
use crate::reports::cycles::NewCyclePage;
use crate::reports::form::ReportPage;
use crate::reports::pages::{CyclePage, QueuePage, ReportsPage};
use crate::reports::templates::{TemplateEditorPage, TemplatesPage};
use crate::safety_models::pages::ModelsPage;
use crate::security_day::pages::SecurityDayPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

/// Where a page finds the browser bundles and the stylesheet: their served names (with their
/// content's hash when the server carries the site), provided as context by the server.
/// Without it, the plain names of a site on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bundle {
    /// From the smallest to the one with every island: a page loads the first that holds all
    /// of its islands, or the last.
    pub parts: &'static [BundlePart],
    pub stylesheet: &'static str,
}

/// One browser bundle: its script, its wasm, and the islands it holds (the names the server
/// writes in `data-component`; empty when unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BundlePart {
    pub script: &'static str,
    pub wasm: &'static str,
    pub islands: &'static [&'static str],
}

impl Default for Bundle {
    fn default() -> Self {
        Self {
            parts: &[BundlePart {
                script: "/pkg/antq_office.js",
                wasm: "/pkg/antq_office_bg.wasm",
                islands: &[],
            }],
            stylesheet: "/pkg/antq.css",
        }
    }
}

/// The whole document around [`App`]. leptos_axum hands it the site's options; the bundle's
/// names come from the [`Bundle`] in context.
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    let lang = initial_lang();
    set_content_security_policy();
    // Islands mode: only what is rendered inside an island is hydrated, so only its data is
    // sent along with the page.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let bundle = use_context::<Bundle>().unwrap_or_default();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#a11d21" />
                <link rel="stylesheet" href=bundle.stylesheet />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                {needs_bundle().then(|| view! { <BundleScript bundle /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Pages that work entirely as plain HTML and are sent without the bundle: the sign-in page
/// (its form posts, and the server answers with where to go next). The next page brings the
/// bundle.
const WITHOUT_BUNDLE: [&str; 1] = ["/sign-in"];

fn needs_bundle() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .is_none_or(|parts| !WITHOUT_BUNDLE.contains(&parts.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = WITHOUT_BUNDLE;
        true
    }
}

/// Hydrates the page's islands, when it has any, with the first bundle that holds them all:
/// the school's (its pages' islands), the dashboard's, or the one with every island. Its
/// script and its wasm are fetched together. Each outermost island is hydrated (an island
/// inside another is part of it). A page without islands loads nothing. Once done,
/// `data-hydrated` on the body says so (the end2end tests wait for it). A page of the school
/// bundle then registers the service worker, which keeps that bundle and the report form pages
/// for use without a network, and asks it to keep the page when it was opened before the worker
/// looked after it.
#[component]
fn BundleScript(bundle: Bundle) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let start = format!(
        "const bundles = {};\
         const islands = [...document.querySelectorAll('leptos-island')]\
           .filter((el) => !el.parentElement.closest('leptos-island'));\
         const done = () => {{ document.body.dataset.hydrated = 'true'; }};\
         if (islands.length === 0) done(); else {{\
           const fits = (b) => islands.every((el) => b.islands.includes(el.dataset.component));\
           const chosen = bundles.find(fits) ?? bundles[bundles.length - 1];\
           const wasm = fetch(chosen.wasm);\
           import(chosen.script).then(async (bundle) => {{\
             await bundle.default({{ module_or_path: wasm }});\
             bundle.hydrate();\
             for (const el of islands) {{\
               const island = bundle[el.dataset.component];\
               if (island) await island(el); else console.error('no island ' + el.dataset.component);\
             }}\
             done();\
             if (chosen === bundles[0] && 'serviceWorker' in navigator) {{\
               navigator.serviceWorker.register({SERVICE_WORKER_PATH:?})\
                 .then(() => navigator.serviceWorker.ready)\
                 .then((worker) => {{\
                   if (!navigator.serviceWorker.controller) worker.active.postMessage({{ keep: location.pathname }});\
                 }})\
                 .catch((error) => console.warn('service worker', error));\
             }}\
           }});\
         }}",
        bundles_json(bundle.parts)
    );
    view! { <script type="module" nonce=nonce>{start}</script> }
}

/// Where the server serves the service worker: the site's root, so that it may look after
/// every page.
pub const SERVICE_WORKER_PATH: &str = "/sw.js";

/// The bundles as a script literal. The last one holds every island, so its list is left out.
fn bundles_json(parts: &[BundlePart]) -> String {
    let last = parts.len().saturating_sub(1);
    let items: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(index, part)| {
            let islands: &[&str] = if index == last { &[] } else { part.islands };
            format!(
                "{{script:{:?},wasm:{:?},islands:{:?}}}",
                part.script, part.wasm, islands
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// Pages may run only the app's own script and wasm, plus the inline script that starts it
/// and carries this response's nonce; nothing may frame them.
fn set_content_security_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
            response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The switch to the other language: a plain form (the server sets the cookie and sends the
/// browser back to `back`, the page in the other language). A form with unsaved changes asks
/// before any page load, this one included.
#[component]
fn LanguageSwitch(other: Lang, back: String) -> impl IntoView {
    let i = use_i18n();
    view! {
        <form method="post" action=LANGUAGE_ENDPOINT class="lang-form">
            <input type="hidden" name="to" value=other.code() />
            <input type="hidden" name="back" value=back />
            <button type="submit" class="lang-switch" lang=other.code()>
                {i.t().switch_language}
            </button>
        </form>
    }
}

/// The address of the page being rendered, for forms that send the browser back to it.
fn this_page() -> String {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    match location.search.get_untracked().trim_start_matches('?') {
        "" => path,
        query => format!("{path}?{query}"),
    }
}

/// Whether this server runs in demo mode (`--demo`): every page then says so.
fn demo_server() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::state::AppState>().is_some_and(|s| s.settings.demo)
    }
    #[cfg(not(feature = "ssr"))]
    false
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let session = provide_session();
    let lang = initial_lang();
    let i = I18n(lang);
    provide_context(i);
    let other = match lang {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    };
    view! {
        <PageTitle text=i.t().app_name />
        <Router>
            <a class="skip-link" href="#main">
                {i.t().skip_to_content}
            </a>
            <header class="topbar">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"★"</span>
                    <span class="brand-text">
                        <span class="brand-name">{i.t().app_name}</span>
                        <span class="brand-sub">{i.t().app_subtitle}</span>
                    </span>
                </A>
                <NotificationBell />
                <AccountCorner />
                <LanguageSwitch other back=this_page() />
            </header>
            {demo_server().then(|| view! {
                <aside class="demo-banner" aria-label=i.pick("Máy chủ thử nghiệm", "Demo server")>
                    <p>
                        {i.pick(
                            "Máy chủ thử nghiệm: dữ liệu mẫu, các tài khoản mẫu dùng mật khẩu công khai. Không nhập dữ liệu thật.",
                            "Demo server: sample data; the sample accounts have a published password. Do not enter real data.",
                        )}
                    </p>
                </aside>
            })}
            <nav class="mainnav" aria-label=i.t().nav_label>
                <A href="/" exact=true>
                    {i.t().nav_home}
                </A>
                // Links a user cannot use are not offered; the server checks regardless.
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let user = session.0.await.ok().flatten();
                        let may = |action: Action| user.as_ref().is_some_and(|u| u.may(action));
                        view! {
                            {may(Action::ViewReports).then(|| view! {
                                <A href="/dashboard">{i.pick("Bảng điều hành", "Dashboard")}</A>
                            })}
                            {may(Action::ViewOrganisation).then(|| view! {
                                <A href="/directory">{i.t().nav_directory}</A>
                                <A href="/tree">{i.t().nav_tree}</A>
                            })}
                            {may(Action::ViewPlans).then(|| view! {
                                <A href="/plans">{i.pick("Kế hoạch", "Plans")}</A>
                            })}
                            {may(Action::DeployPlans).then(|| view! {
                                <A href="/deployments">{i.pick("Triển khai", "Deployment")}</A>
                            })}
                            {may(Action::ViewReports).then(|| view! {
                                <A href="/reports">{i.pick("Báo cáo", "Reports")}</A>
                            })}
                            {may(Action::ViewRecognition).then(|| view! {
                                <A href="/recognition">{i.pick("Điển hình", "Model schools")}</A>
                                <A href="/models">{i.pick("Mô hình", "Safety models")}</A>
                                <A href="/emulation">{i.pick("Thi đua", "Awards")}</A>
                                <A href="/day-19-8">{i.pick("Ngày hội 19/8", "19 August")}</A>
                            })}
                            {may(Action::EditOrganisation).then(|| view! {
                                <A href="/import">{i.t().nav_import}</A>
                            })}
                            {may(Action::ManageUsers).then(|| view! {
                                <A href="/users">{i.t().nav_users}</A>
                            })}
                            {may(Action::ViewAudit).then(|| view! {
                                <A href="/audit">{i.t().nav_audit}</A>
                            })}
                        }
                    })}
                </Transition>
            </nav>
            <main id="main" tabindex="-1">
                <ErrorBoundary fallback=|errors| {
                    view! {
                        <ErrorNotice error=errors
                            .get()
                            .into_iter()
                            .next()
                            .and_then(|(_, e)| e.downcast_ref::<AppError>().cloned())
                            .unwrap_or(AppError::Internal) />
                    }
                }>
                    // Pages wait for their data before answering (SsrMode::Async): the first
                    // paint is complete, works without JavaScript, and a missing unit is a 404.
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Home ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/directory") view=DirectoryPage ssr=SsrMode::Async />
                        <Route path=path!("/tree") view=TreePage />
                        <Route path=path!("/units/:id") view=UnitPage ssr=SsrMode::Async />
                        <Route path=path!("/import") view=ImportPage />
                        <Route path=path!("/sign-in") view=SignInPage />
                        <Route path=path!("/account") view=AccountPage />
                        <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                        <Route path=path!("/users") view=UsersPage />
                        <Route path=path!("/plans") view=PlansPage ssr=SsrMode::Async />
                        <Route path=path!("/plans/:id") view=PlanPage ssr=SsrMode::Async />
                        <Route path=path!("/plans/:id/print") view=PlanPrintPage ssr=SsrMode::Async />
                        <Route path=path!("/deployments") view=DeploymentsPage ssr=SsrMode::Async />
                        <Route path=path!("/reports") view=ReportsPage ssr=SsrMode::Async />
                        <Route path=path!("/reports/queue") view=QueuePage ssr=SsrMode::Async />
                        <Route path=path!("/reports/new") view=NewCyclePage />
                        <Route path=path!("/reports/templates") view=TemplatesPage />
                        <Route path=path!("/reports/templates/edit") view=TemplateEditorPage />
                        <Route path=path!("/reports/:cycle") view=CyclePage ssr=SsrMode::Async />
                        <Route path=path!("/reports/:cycle/units/:unit") view=ReportPage ssr=SsrMode::Async />
                        <Route path=path!("/recognition") view=RecognitionPage ssr=SsrMode::Async />
                        <Route path=path!("/recognition/criteria") view=CriteriaPage ssr=SsrMode::Async />
                        <Route path=path!("/recognition/:id") view=AssessmentPage ssr=SsrMode::Async />
                        <Route path=path!("/models") view=ModelsPage ssr=SsrMode::Async />
                        <Route path=path!("/emulation") view=EmulationPage ssr=SsrMode::Async />
                        <Route path=path!("/day-19-8") view=SecurityDayPage ssr=SsrMode::Async />
                        <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                    </Routes>
                </ErrorBoundary>
            </main>
        </Router>
    }
}

/// The 404 page; on the server it also sets the status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i = use_i18n();
    view! {
        <PageTitle text=i.t().not_found_title />
        <section class="empty-state">
            <h1>{i.t().not_found_title}</h1>
            <p>{i.t().not_found_body}</p>
            <p>
                <A href="/" attr:class="button">
                    {i.t().back_home}
                </A>
            </p>
        </section>
    }
}
