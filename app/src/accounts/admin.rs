//! Administration of users: the list within one's scope, new accounts, password resets and
//! one account per school at once, with initial passwords to print and hand over.

use super::{IssuedPassword, Role, UserSummary};
use crate::components::{ErrorNotice, Loading, PageTitle};
use crate::error::AppError;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use server_fn::codec::Json;

/// Checks that `user` may give `role` over `unit`: a user-managing grant whose role may hand
/// out `role` holds `unit` in its subtree; the role fits the unit's kind (a school officer on
/// a school, an area officer on an area, the department's roles on the department); and the
/// user holds, on `unit`, every action the role allows. So nobody creates
/// (or, by resetting a password, takes over) an account that can do more than they can.
#[cfg(feature = "ssr")]
async fn check_may_grant(
    db: &crate::store::Db,
    user: &crate::authz::SessionUser,
    role: Role,
    unit: i64,
) -> Result<(), AppError> {
    let today = crate::clock::today();
    if !may_manage_in(db, user, role, unit, today).await? {
        return crate::authz::fail(AppError::Forbidden);
    }
    let Some(kind) = crate::store::org::kind_of(db, unit).await? else {
        return crate::authz::fail(AppError::NotFound);
    };
    if !role.fits(kind) {
        return crate::authz::fail(AppError::Invalid(
            "Vai trò này không gán được cho đơn vị loại này: cán bộ trường gán cho một trường, \
             cán bộ khu vực cho một khu vực, lãnh đạo, chuyên viên và quản trị cho Sở. (This \
             role does not fit this kind of unit.)"
                .into(),
        ));
    }
    if !holds_every_action(db, user, role, unit, today).await? {
        return crate::authz::fail(AppError::Forbidden);
    }
    Ok(())
}

/// Whether `user` holds, on `unit`, every action that `role` allows.
#[cfg(feature = "ssr")]
async fn holds_every_action(
    db: &crate::store::Db,
    user: &crate::authz::SessionUser,
    role: Role,
    unit: i64,
    today: chrono::NaiveDate,
) -> Result<bool, AppError> {
    use super::Action;
    for action in Action::ALL.into_iter().filter(|a| a.allows(role)) {
        match crate::authz::check(db, user, action, unit, today).await {
            Ok(()) => {}
            Err(AppError::Forbidden) => return Ok(false),
            Err(err) => return Err(err),
        }
    }
    Ok(true)
}

/// Whether a user-managing grant of `user` whose role may hand out `role` holds `unit` in
/// its subtree.
#[cfg(feature = "ssr")]
async fn may_manage_in(
    db: &crate::store::Db,
    user: &crate::authz::SessionUser,
    role: Role,
    unit: i64,
    today: chrono::NaiveDate,
) -> Result<bool, AppError> {
    use super::Action;
    let roots: Vec<i64> = user
        .grants
        .iter()
        .filter(|g| Action::ManageUsers.allows(g.role) && g.role.may_grant(role))
        .map(|g| g.unit.id)
        .collect();
    Ok(!roots.is_empty() && crate::store::accounts::in_subtree(db, &roots, unit, today).await?)
}

#[cfg(feature = "ssr")]
async fn audit_user(
    db: &crate::store::Db,
    actor: i64,
    address: &str,
    action: &str,
    target: i64,
    after: serde_json::Value,
) -> Result<(), AppError> {
    let mut conn = db.pool().acquire().await?;
    crate::store::accounts::record_audit(
        &mut conn,
        &crate::store::accounts::AuditEntry {
            user: Some(actor),
            address,
            action,
            entity: "user",
            entity_id: target.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await
}

/// The users holding a grant inside the caller's scope.
#[server(endpoint = "users/list", input = Json)]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    use super::{Action, Grant};
    use crate::store::accounts as store;
    let (state, _, user) = crate::authz::require_any(Action::ManageUsers).await?;
    let scope = user.scope_for(&state.db, Action::ManageUsers).await?;
    let rows = store::users_in_scope(&state.db, &scope, crate::clock::today()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let grants = store::grants(&state.db, row.id)
            .await?
            .into_iter()
            .map(|(role, unit)| Grant { role, unit })
            .collect();
        out.push(UserSummary {
            id: row.id,
            username: row.username,
            full_name: row.full_name,
            email: row.email,
            active: row.active,
            must_change_password: row.must_change_password,
            grants,
        });
    }
    Ok(out)
}

/// A new account with one grant; returns its initial password (to change at first sign-in).
#[server(endpoint = "users/create")]
pub async fn create_user(
    username: String,
    full_name: String,
    email: String,
    role: Role,
    unit: i64,
) -> Result<IssuedPassword, AppError> {
    use super::Action;
    use crate::store::accounts as store;
    let (state, caller, user) = crate::authz::require_any(Action::ManageUsers).await?;
    check_may_grant(&state.db, &user, role, unit).await?;
    let username = username.trim().to_lowercase();
    let full_name = full_name.trim().to_string();
    let email = email.trim().to_lowercase();
    if username.len() < 3
        || username.len() > 50
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return crate::authz::fail(AppError::Invalid(
            "Tên đăng nhập gồm 3–50 chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang."
                .into(),
        ));
    }
    if full_name.is_empty() || full_name.chars().count() > 120 {
        return crate::authz::fail(AppError::Invalid(
            "Hãy nhập họ và tên (tối đa 120 ký tự).".into(),
        ));
    }
    if !email.is_empty() && (!email.contains('@') || email.len() > 200) {
        return crate::authz::fail(AppError::Invalid("Địa chỉ e-mail không hợp lệ.".into()));
    }
    let password = store::initial_password();
    let mut tx = state.db.pool().begin().await?;
    let id = match store::create_user(
        &mut tx,
        &store::NewUser {
            username: &username,
            email: (!email.is_empty()).then_some(email.as_str()),
            full_name: &full_name,
            password: &password,
            password_hash: None,
            must_change_password: true,
            demo: false,
            grants: vec![(role, unit)],
        },
    )
    .await
    {
        Ok(id) => id,
        Err(err) => return crate::authz::fail(err),
    };
    tx.commit().await?;
    audit_user(
        &state.db,
        user.id,
        &caller.address,
        "user_create",
        id,
        serde_json::json!({ "username": username, "full_name": full_name, "role": role.code(), "unit_id": unit }),
    )
    .await?;
    let unit_name = crate::store::org::unit_ref_latest(&state.db, unit)
        .await?
        .name;
    Ok(IssuedPassword {
        username,
        full_name,
        unit: unit_name,
        password,
    })
}

/// A new initial password for a user in scope; their sessions end and they must change it.
#[server(endpoint = "users/reset-password", input = Json)]
pub async fn reset_password(user_id: i64) -> Result<IssuedPassword, AppError> {
    use super::Action;
    use crate::store::accounts as store;
    let (state, caller, user) = crate::authz::require_any(Action::ManageUsers).await?;
    let Some(target) = store::user_by_id(&state.db, user_id).await? else {
        return crate::authz::fail(AppError::NotFound);
    };
    let grants = store::grants(&state.db, user_id).await?;
    if grants.is_empty() {
        return crate::authz::fail(AppError::Forbidden);
    }
    for (role, unit) in &grants {
        check_may_grant(&state.db, &user, *role, unit.id).await?;
    }
    let password = store::initial_password();
    store::set_password(&state.db, user_id, &password, true).await?;
    store::delete_user_sessions(&state.db, user_id).await?;
    audit_user(
        &state.db,
        user.id,
        &caller.address,
        "user_reset_password",
        user_id,
        serde_json::json!({ "must_change_password": true }),
    )
    .await?;
    Ok(IssuedPassword {
        username: target.username,
        full_name: target.full_name,
        unit: grants[0].1.name.clone(),
        password,
    })
}

/// One school-officer account for every school under `unit` that has none yet.
#[server(endpoint = "users/bulk-schools")]
pub async fn create_school_accounts(unit: i64) -> Result<Vec<IssuedPassword>, AppError> {
    use super::Action;
    use crate::store::accounts as store;
    use crate::store::org::Scope;
    let (state, caller, user) = crate::authz::require_any(Action::ManageUsers).await?;
    let today = crate::clock::today();
    if !may_manage_in(&state.db, &user, Role::SchoolOfficer, unit, today).await?
        || !holds_every_action(&state.db, &user, Role::SchoolOfficer, unit, today).await?
    {
        return crate::authz::fail(AppError::Forbidden);
    }
    let schools =
        store::schools_without_account(&state.db, &Scope::Within(vec![unit]), today).await?;
    for (school, _, _) in &schools {
        check_may_grant(&state.db, &user, Role::SchoolOfficer, *school).await?;
    }
    let mut issued = Vec::with_capacity(schools.len());
    let mut tx = state.db.pool().begin().await?;
    for (school, code, name) in schools {
        let username = format!("truong{}", code.to_lowercase());
        let password = store::initial_password();
        let full_name = format!("Cán bộ {name}");
        let id = store::create_user(
            &mut tx,
            &store::NewUser {
                username: &username,
                email: None,
                full_name: &full_name,
                password: &password,
                password_hash: None,
                must_change_password: true,
                demo: false,
                grants: vec![(Role::SchoolOfficer, school)],
            },
        )
        .await?;
        store::record_audit(
            &mut tx,
            &store::AuditEntry {
                user: Some(user.id),
                address: &caller.address,
                action: "user_create",
                entity: "user",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "username": username, "role": "school", "unit_id": school })),
            },
        )
        .await?;
        issued.push(IssuedPassword {
            username,
            full_name,
            unit: name,
            password,
        });
    }
    tx.commit().await?;
    Ok(issued)
}

/// Initial passwords, laid out to print and cut into slips.
#[component]
fn PasswordSlips(issued: Vec<IssuedPassword>) -> impl IntoView {
    let i = use_i18n();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().print();
        }
    };
    view! {
        <section class="slips">
            <h2 id="slips-title">{i.t().users_slips_title}</h2>
            <p class="no-print">{i.t().users_slips_hint}</p>
            <p class="no-print">
                <button type="button" class="button-secondary" on:click=print>{i.t().print}</button>
            </p>
            <div class="table-scroll" role="region" aria-labelledby="slips-title" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{i.t().users_unit}</th>
                            <th scope="col">{i.t().users_name}</th>
                            <th scope="col">{i.t().users_username}</th>
                            <th scope="col">{i.t().users_initial_password}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {issued.into_iter().map(|p| view! {
                            <tr>
                                <td>{p.unit}</td>
                                <td>{p.full_name}</td>
                                <td><code>{p.username}</code></td>
                                <td><code class="password">{p.password}</code></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
pub fn UsersPage() -> impl IntoView {
    let i = use_i18n();
    let create = ServerAction::<CreateUser>::new();
    let reset = Action::new(|id: &i64| reset_password(*id));
    let bulk = ServerAction::<CreateSchoolAccounts>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                reset.version().get(),
                bulk.version().get(),
            )
        },
        |_| list_users(),
    );
    let session = super::pages::provide_session();
    let home_unit = Signal::derive(move || {
        session
            .0
            .get()
            .and_then(Result::ok)
            .flatten()
            .and_then(|u| u.home_unit().map(|unit| unit.id))
            .unwrap_or_default()
    });
    let issued = Signal::derive(move || {
        let mut out = Vec::new();
        if let Some(Ok(p)) = create.value().get() {
            out.push(p);
        }
        if let Some(Ok(p)) = reset.value().get() {
            out.push(p);
        }
        if let Some(Ok(list)) = bulk.value().get() {
            out.extend(list);
        }
        out
    });
    let error = Signal::derive(move || {
        [
            create.value().get().and_then(Result::err),
            reset.value().get().and_then(Result::err),
            bulk.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    let confirm_reset = move |id: i64, name: String| {
        #[cfg(feature = "hydrate")]
        {
            let question = i.t().users_reset_confirm.replace("{}", &name);
            if window().confirm_with_message(&question).unwrap_or(false) {
                reset.dispatch(id);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, name, reset);
    };
    view! {
        <PageTitle text=move || format!("{} · {}", i.t().users_title, i.t().app_name) />
        <h1>{i.t().users_title}</h1>
        <p class="lead no-print">{i.t().users_intro}</p>
        {move || error.get().map(|err| view! { <ErrorNotice error=err /> })}
        {move || {
            let list = issued.get();
            (!list.is_empty()).then(|| view! { <PasswordSlips issued=list /> })
        }}
        {move || {
            matches!(bulk.value().get(), Some(Ok(ref list)) if list.is_empty()).then(|| view! {
                <p class="notice notice-ok" role="status">{i.t().users_bulk_none}</p>
            })
        }}
        <NewUserForm create home_unit />
        // Only who holds every school officer's action (an administrator) creates their
        // accounts.
        <Show when=move || session.0.get().and_then(Result::ok).flatten().is_some_and(|u| u.may(super::Action::AssessSchool))>
            <SchoolAccountsForm bulk home_unit />
        </Show>
        <h2 class="no-print">{i.t().users_list}</h2>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty-state">{i.t().users_empty}</p> }.into_any(),
                    Ok(list) => {
                        let lang = i.lang();
                        view! {
                            <ul class="unit-list no-print">
                                {list.into_iter().map(|u| {
                                    let name = u.full_name.clone();
                                    let id = u.id;
                                    view! {
                                        <li class="unit-card">
                                            <strong>{u.full_name.clone()}</strong>
                                            " "
                                            <code>{u.username.clone()}</code>
                                            <p class="unit-meta">
                                                {u.grants.iter().map(|g| view! {
                                                    <span>{lang.role(g.role)} " · " {g.unit.name.clone()}</span>
                                                }).collect_view()}
                                                {u.must_change_password.then(|| view! { <span>{i.t().users_must_change}</span> })}
                                            </p>
                                            <button type="button" class="button-secondary" on:click=move |_| confirm_reset(id, name.clone())>
                                                {i.t().users_reset}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn NewUserForm(create: ServerAction<CreateUser>, home_unit: Signal<i64>) -> AnyView {
    let i = use_i18n();
    view! {
        <details class="panel no-print">
            <summary>{i.t().users_new}</summary>
            <ActionForm action=create attr:class="stack-form">
                <div class="field">
                    <label for="new-username">{i.t().users_username}</label>
                    <input id="new-username" name="username" autocomplete="off" autocapitalize="none" required minlength="3" maxlength="50" />
                </div>
                <div class="field">
                    <label for="new-name">{i.t().users_name}</label>
                    <input id="new-name" name="full_name" autocomplete="off" required maxlength="120" />
                </div>
                <div class="field">
                    <label for="new-email">"E-mail"</label>
                    <input id="new-email" name="email" type="email" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="new-role">{i.t().users_role}</label>
                    <select id="new-role" name="role">
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=format!("{r:?}") selected=r == Role::Viewer>{i.lang().role(r)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="new-unit">{i.t().users_unit_id}</label>
                    <input id="new-unit" name="unit" type="number" min="1" required prop:value=move || home_unit.get().to_string() />
                </div>
                <button type="submit" disabled=move || create.pending().get()>{i.t().users_create}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

#[component]
fn SchoolAccountsForm(bulk: ServerAction<CreateSchoolAccounts>, home_unit: Signal<i64>) -> AnyView {
    let i = use_i18n();
    view! {
        <details class="panel no-print">
            <summary>{i.t().users_bulk}</summary>
            <p>{i.t().users_bulk_hint}</p>
            <ActionForm action=bulk attr:class="stack-form">
                <div class="field">
                    <label for="bulk-unit">{i.t().users_unit_id}</label>
                    <input id="bulk-unit" name="unit" type="number" min="1" required prop:value=move || home_unit.get().to_string() />
                </div>
                <button type="submit" disabled=move || bulk.pending().get()>{i.t().users_bulk_button}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}
