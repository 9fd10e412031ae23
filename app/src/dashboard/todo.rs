//! The home page. A school officer's is a to-do list for the school: the reports still to send
//! (a returned one with the reviewer's words), the plans whose deployment steps are still
//! open, and the year's 19/8 and model tasks. Everyone else starts from the organisation
//! overview.

use crate::accounts::pages::use_session;
use crate::accounts::{Action, CurrentUser};
use crate::components::{ErrorNotice, Loading, PageTitle};
use crate::i18n::use_i18n;
use crate::org::pages::HomePage;
use crate::plans::api::my_deployments;
use crate::plans::pages::step_name;
use crate::plans::PlanStatus;
use crate::reports::pages::MyReportsList;
use leptos::prelude::*;

/// A user whose work is a school's: files its reports, reviews none.
fn school_officer(user: &CurrentUser) -> bool {
    user.may(Action::SubmitReports) && !user.may(Action::ReviewReports)
}

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match session.0.await.ok().flatten() {
                    Some(user) if school_officer(&user) => view! { <SchoolToDo user /> }.into_any(),
                    _ => view! { <HomePage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SchoolToDo(user: CurrentUser) -> impl IntoView {
    let i = use_i18n();
    let lang = i.lang();
    view! {
        <PageTitle text=format!("{} · {}", i.pick("Việc cần làm", "To do"), i.t().app_name) />
        <h1>{i.pick("Việc cần làm", "To do")}</h1>
        <div class="greeting">
            <p>{format!("{}, {}", i.t().hello, user.full_name)}</p>
            <ul class="plain-list">
                {user.grants.into_iter().map(|g| view! {
                    <li>
                        <span class="role-badge">{lang.role(g.role)}</span>
                        " "
                        <a href=format!("/units/{}", g.unit.id)>{g.unit.name}</a>
                    </li>
                }).collect_view()}
            </ul>
        </div>
        <MyReportsList />
        <OpenDeployments />
        <section aria-labelledby="year-title">
            <h2 id="year-title">{i.pick("Trong năm", "This year")}</h2>
            <ul class="plain-list todo-links">
                <li><a href="/day-19-8">{i.pick(
                    "Ngày hội “Toàn dân bảo vệ an ninh Tổ quốc” 19/8: ghi nhận hoạt động của trường",
                    "19 August, national security day: record the school's activities",
                )}</a></li>
                <li><a href="/models">{i.pick(
                    "Mô hình, điển hình tiên tiến của trường",
                    "The school's models",
                )}</a></li>
                <li><a href="/recognition">{i.pick(
                    "Trường điển hình và tiêu chuẩn an toàn về ANTT",
                    "Model school and the ANTT standard",
                )}</a></li>
            </ul>
        </section>
    }
}

/// The issued plans whose deployment steps the school has not all marked.
#[component]
fn OpenDeployments() -> impl IntoView {
    let i = use_i18n();
    let deployments = Resource::new(|| (), |_| my_deployments());
    view! {
        <section aria-labelledby="deploy-title">
            <h2 id="deploy-title">{i.pick("Kế hoạch cần triển khai", "Plans to carry out")}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match deployments.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(list) => {
                            let open: Vec<_> = list
                                .into_iter()
                                .filter(|d| d.plan.status == PlanStatus::Issued)
                                .filter(|d| d.steps.iter().any(|s| s.done_on.is_none()))
                                .collect();
                            if open.is_empty() {
                                return view! {
                                    <p class="empty-state">{i.pick(
                                        "Các kế hoạch đã nhận đều đã ghi nhận đủ các bước.",
                                        "Every plan received has all its steps recorded.",
                                    )}</p>
                                }.into_any();
                            }
                            view! {
                                <ul class="report-list">
                                    {open.into_iter().map(|d| {
                                        let left: Vec<String> = d.steps.iter()
                                            .filter(|s| s.done_on.is_none())
                                            .map(|s| step_name(s.step, i.lang()).to_string())
                                            .collect();
                                        view! {
                                            <li class="report-card">
                                                <a class="plan-title" href=format!("/plans/{}", d.plan.id)>{d.plan.title.clone()}</a>
                                                <p class="as-of">{format!("{} {}", i.pick("Còn:", "Still to do:"), left.join(", "))}</p>
                                                <a class="button button-secondary" href="/deployments">
                                                    {i.pick("Ghi nhận triển khai", "Record the steps")}
                                                    <span class="visually-hidden">{format!(" — {}", d.plan.title)}</span>
                                                </a>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
