//! Sign-in, the account page (password change, sign out everywhere), the audit trail, and
//! the signed-in user as the rest of the app sees it.

use super::api::{
    audit_entries, get_session, sign_out_everywhere, ChangePassword, SignIn, SignOut,
};
use super::{Action as Permission, CurrentUser, Refusal};
use crate::components::{ErrorNotice, Loading, PageTitle};
use crate::error::AppError;
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The signed-in user (or none), fetched once per page load and shared by every page.
#[derive(Clone, Copy)]
pub struct Session(pub Resource<Result<Option<CurrentUser>, AppError>>);

pub fn provide_session() -> Session {
    let session = Session(Resource::new(|| (), |_| get_session()));
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(provide_session)
}

/// The header's account corner: the user's name and a sign-out button, or a sign-in link.
#[component]
pub fn AccountCorner() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            crate::components::load_page("/sign-in");
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match session.0.await {
                    Ok(Some(user)) => view! {
                        <div class="account-corner">
                            <a href="/account" class="account-name">{user.full_name}</a>
                            <ActionForm action=sign_out attr:class="sign-out-form">
                                <button type="submit" class="button-ghost">{i.t().sign_out}</button>
                            </ActionForm>
                        </div>
                    }
                        .into_any(),
                    _ => view! {
                        <a href="/sign-in" class="button-ghost">{i.t().nav_sign_in}</a>
                    }
                        .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i = use_i18n();
    let action = ServerAction::<SignIn>::new();
    Effect::new(move |_| {
        if let Some(Ok(user)) = action.value().get() {
            crate::components::load_page(super::api::home_of(&user));
        }
    });
    // Sent back here by the plain form: why, and the name that was typed.
    let query = crate::nav::use_query_map();
    let (refused, typed) = query.with_untracked(|q| {
        (
            q.get("error").and_then(|c| Refusal::from_code(&c)),
            q.get("login").unwrap_or_default(),
        )
    });
    view! {
        <PageTitle text=move || format!("{} · {}", i.t().sign_in_title, i.t().app_name) />
        <section class="auth-card">
            <h1>{i.t().sign_in_title}</h1>
            <p class="lead">{i.t().sign_in_intro}</p>
            <ActionForm action=action attr:class="stack-form">
                <div class="field">
                    <label for="login">{i.t().login_label}</label>
                    <input id="login" name="login" autocomplete="username" autocapitalize="none" required
                        value=typed />
                </div>
                <div class="field">
                    <label for="password">{i.t().password_label}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </div>
                {move || {
                    let message = match action.value().get() {
                        Some(Err(err)) => Some(i.t().error(&err)),
                        Some(Ok(_)) => None,
                        None => refused.map(|r| r.message(i.lang())),
                    };
                    message.map(|m| view! { <p class="notice notice-error" role="alert">{m}</p> })
                }}
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { i.t().signing_in } else { i.t().sign_in_button }}
                </button>
            </ActionForm>
        </section>
    }
}

#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
pub fn AccountPage() -> impl IntoView {
    let i = use_i18n();
    let session = provide_session();
    let change = ServerAction::<ChangePassword>::new();
    // Sent back here by the plain form: changed, or why not.
    let query = crate::nav::use_query_map();
    let (changed, refused) = query.with_untracked(|q| {
        (
            q.get("changed").is_some(),
            q.get("error").and_then(|c| Refusal::from_code(&c)),
        )
    });
    let everywhere = Action::new(|_: &()| sign_out_everywhere());
    Effect::new(move |_| {
        if let Some(Ok(_)) = everywhere.value().get() {
            crate::components::load_page("/sign-in");
        }
    });
    let confirm_everywhere = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let ok = window()
                .confirm_with_message(i.t().sign_out_everywhere_confirm)
                .unwrap_or(false);
            if ok {
                everywhere.dispatch(());
            }
        }
    };
    view! {
        <PageTitle text=move || format!("{} · {}", i.t().account_title, i.t().app_name) />
        <h1>{i.t().account_title}</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match session.0.await {
                    Ok(Some(user)) => {
                        let lang = i.lang();
                        view! {
                            {user.must_change_password.then(|| view! {
                                <p class="notice notice-warn" role="alert">{i.t().must_change_password}</p>
                            })}
                            <dl class="facts">
                                <div><dt>{i.t().login_label}</dt><dd>{user.username.clone()}</dd></div>
                                <div>
                                    <dt>{i.t().your_roles}</dt>
                                    <dd>
                                        <ul class="plain-list">
                                            {user.grants.iter().map(|g| view! {
                                                <li>{lang.role(g.role)} " · " {g.unit.name.clone()}</li>
                                            }).collect_view()}
                                        </ul>
                                    </dd>
                                </div>
                            </dl>
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <ErrorNotice error=AppError::Unauthenticated /> }.into_any(),
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Transition>
        <h2>{i.t().change_password_title}</h2>
        <ActionForm action=change attr:class="stack-form">
            <div class="field">
                <label for="current">{i.t().current_password}</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required />
            </div>
            <div class="field">
                <label for="new_password">{i.t().new_password}</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="10" required />
            </div>
            <div class="field">
                <label for="confirm">{i.t().confirm_password}</label>
                <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="10" required />
            </div>
            {move || match change.value().get() {
                Some(Ok(())) => Some(view! { <p class="notice notice-ok" role="status">{i.t().password_changed}</p> }.into_any()),
                Some(Err(err)) => Some(view! { <p class="notice notice-error" role="alert">{i.t().error(&err)}</p> }.into_any()),
                None if changed => Some(view! { <p class="notice notice-ok" role="status">{i.t().password_changed}</p> }.into_any()),
                None => refused.map(|r| view! { <p class="notice notice-error" role="alert">{r.message(i.lang())}</p> }.into_any()),
            }}
            <button type="submit" disabled=move || change.pending().get()>{i.t().save}</button>
        </ActionForm>
        <h2>{i.t().sign_out_everywhere}</h2>
        <p>
            <button type="button" class="button-secondary" on:click=confirm_everywhere>
                {i.t().sign_out_everywhere}
            </button>
        </p>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i = use_i18n();
    let params = crate::nav::use_query_map();
    let action = Memo::new(move |_| params.get().get("action").unwrap_or_default());
    let entries = Resource::new(move || action.get(), audit_entries);
    view! {
        <PageTitle text=move || format!("{} · {}", i.t().audit_title, i.t().app_name) />
        <h1>{i.t().audit_title}</h1>
        <p class="lead">{i.t().audit_intro}</p>
        <leptos_router::components::Form method="GET" action="/audit" attr:class="inline-form">
            <label for="audit-action">{i.t().audit_action}</label>
            <select id="audit-action" name="action">
                <option value="" selected=move || action.get().is_empty()>{i.t().all}</option>
                {super::AUDIT_ACTIONS.into_iter().map(|code| view! {
                    <option value=code selected=move || action.get() == code>
                        {i.lang().audit_action(code)}
                    </option>
                }).collect_view()}
            </select>
            <button type="submit">{i.t().search_button}</button>
        </leptos_router::components::Form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(rows) if rows.is_empty() => view! {
                        <p class="empty-state">{i.t().audit_empty}</p>
                    }
                        .into_any(),
                    Ok(rows) => view! {
                        <div class="table-scroll" role="region" aria-label=i.t().audit_title tabindex="0">
                            <table class="data-table">
                                <thead>
                                    <tr>
                                        <th scope="col">{i.t().audit_when}</th>
                                        <th scope="col">{i.t().audit_who}</th>
                                        <th scope="col">{i.t().audit_action}</th>
                                        <th scope="col">{i.t().audit_entity}</th>
                                        <th scope="col">{i.t().audit_address}</th>
                                        <th scope="col">{i.t().audit_change}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td>{r.at}</td>
                                            <td>{r.username.unwrap_or_default()}</td>
                                            <td>{i.lang().audit_action(&r.action)}</td>
                                            <td>{r.entity}</td>
                                            <td>{r.address}</td>
                                            <td class="change">
                                                {r.before.map(|b| view! { <div><s>{b}</s></div> })}
                                                {r.after.map(|a| view! { <div>{a}</div> })}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any(),
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Whether the signed-in user may take `action` somewhere (to show a link; the server decides).
pub fn may(session: Session, action: Permission) -> bool {
    session
        .0
        .get()
        .and_then(Result::ok)
        .flatten()
        .is_some_and(|u| u.may(action))
}
