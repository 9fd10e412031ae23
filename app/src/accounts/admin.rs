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
    conn: &mut sqlx::AnyConnection,
    actor: i64,
    address: &str,
    action: &str,
    target: i64,
    after: serde_json::Value,
) -> Result<(), AppError> {
    crate::store::accounts::record_audit(
        conn,
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
            demo: state.settings.demo,
            grants: vec![(role, unit)],
        },
    )
    .await
    {
        Ok(id) => id,
        Err(err) => return crate::authz::fail(err),
    };
    audit_user(
        &mut tx,
        user.id,
        &caller.address,
        "user_create",
        id,
        serde_json::json!({ "username": username, "full_name": full_name, "role": role.code(), "unit_id": unit }),
    )
    .await?;
    tx.commit().await?;
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
    let mut conn = state.db.pool().acquire().await?;
    audit_user(
        &mut conn,
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

/// Disables an account (its sessions end at once) or enables it again, with its audit entry
/// in the same transaction. `actor` is who does it: `None` for the operator at the server's
/// command line, who is not checked.
#[cfg(feature = "ssr")]
pub async fn set_account_active(
    db: &crate::store::Db,
    actor: Option<(&crate::authz::SessionUser, &str)>,
    target: i64,
    active: bool,
) -> Result<bool, AppError> {
    use crate::store::accounts as store;
    if let Some((user, _)) = actor {
        may_handle_account(db, user, target).await?;
    }
    let mut tx = db.pool().begin().await?;
    let changed = store::set_active(&mut tx, target, active).await?;
    store::record_audit(
        &mut tx,
        &store::AuditEntry {
            user: actor.map(|(u, _)| u.id),
            address: actor.map_or("command line", |(_, address)| address),
            action: if active {
                "user_enable"
            } else {
                "user_disable"
            },
            entity: "user",
            entity_id: target.to_string(),
            before: Some(serde_json::json!({ "active": if changed { !active } else { active } })),
            after: Some(serde_json::json!({ "active": active })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(changed)
}

/// Removes one grant of an account (its sessions end at once), with its audit entry in the
/// same transaction; `actor` as for [`set_account_active`].
#[cfg(feature = "ssr")]
pub async fn remove_account_grant(
    db: &crate::store::Db,
    actor: Option<(&crate::authz::SessionUser, &str)>,
    target: i64,
    role: Role,
    unit: i64,
) -> Result<(), AppError> {
    use crate::store::accounts as store;
    if let Some((user, _)) = actor {
        if user.id == target {
            return Err(AppError::Invalid(
                "Không tự bỏ quyền của chính mình. (You cannot remove your own grant.)".into(),
            ));
        }
        may_handle_account(db, user, target).await?;
    }
    let mut tx = db.pool().begin().await?;
    if !store::remove_grant(&mut tx, target, role, unit).await? {
        return Err(AppError::Invalid(
            "Tài khoản không có quyền này. (The account does not hold this grant.)".into(),
        ));
    }
    store::record_audit(
        &mut tx,
        &store::AuditEntry {
            user: actor.map(|(u, _)| u.id),
            address: actor.map_or("command line", |(_, address)| address),
            action: "grant_remove",
            entity: "user",
            entity_id: target.to_string(),
            before: Some(serde_json::json!({ "role": role.code(), "unit_id": unit })),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `user` may handle the account `target` (reset, disable, remove its grants): not
/// their own, and every grant it holds is one they could give.
#[cfg(feature = "ssr")]
async fn may_handle_account(
    db: &crate::store::Db,
    user: &crate::authz::SessionUser,
    target: i64,
) -> Result<(), AppError> {
    use crate::store::accounts as store;
    if user.id == target {
        return Err(AppError::Invalid(
            "Không tự khoá hay thay đổi tài khoản của chính mình ở đây. (Not your own account.)"
                .into(),
        ));
    }
    if store::user_by_id(db, target).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let grants = store::grants(db, target).await?;
    if grants.is_empty() {
        return Err(AppError::Forbidden);
    }
    for (role, unit) in &grants {
        check_may_grant(db, user, *role, unit.id).await?;
    }
    Ok(())
}

/// Where a plain form of the users page goes back to: the page, saying what happened.
#[cfg(feature = "ssr")]
fn back_to_users<T>(result: &Result<T, AppError>) {
    crate::authz::after_plain_form(
        result,
        |_| "/users?done=1".into(),
        |err| {
            let code = match err {
                AppError::Forbidden => "forbidden",
                AppError::NotFound => "missing",
                _ => "invalid",
            };
            format!("/users?refused={code}")
        },
    );
}

/// Disables an account in the caller's scope (`active` false: it can no longer sign in and
/// its sessions end) or enables it again.
#[server(endpoint = "users/set-active")]
pub async fn set_user_active(user_id: i64, active: bool) -> Result<bool, AppError> {
    use super::Action;
    let result = async {
        let (state, caller, user) = crate::authz::require_any(Action::ManageUsers).await?;
        set_account_active(&state.db, Some((&user, &caller.address)), user_id, active)
            .await
            .or_else(crate::authz::fail)
    }
    .await;
    back_to_users(&result);
    result
}

/// Removes one grant of an account in the caller's scope.
#[server(endpoint = "users/remove-grant")]
pub async fn remove_user_grant(user_id: i64, role: Role, unit: i64) -> Result<(), AppError> {
    use super::Action;
    let result = async {
        let (state, caller, user) = crate::authz::require_any(Action::ManageUsers).await?;
        remove_account_grant(
            &state.db,
            Some((&user, &caller.address)),
            user_id,
            role,
            unit,
        )
        .await
        .or_else(crate::authz::fail)
    }
    .await;
    back_to_users(&result);
    result
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
                demo: state.settings.demo,
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
    let set_active = ServerAction::<SetUserActive>::new();
    let remove_grant = ServerAction::<RemoveUserGrant>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                reset.version().get(),
                bulk.version().get(),
                set_active.version().get() + remove_grant.version().get(),
            )
        },
        |_| list_users(),
    );
    // What a plain form (without the bundle) came back saying.
    let query = crate::nav::use_query_map();
    let posted = move || {
        query.with(|q| {
            if q.get("done").is_some() {
                Some(Ok(()))
            } else {
                q.get("refused").map(|code| {
                    Err(match code.as_str() {
                        "forbidden" => AppError::Forbidden,
                        "missing" => AppError::NotFound,
                        _ => AppError::Invalid(
                            i.pick(
                                "Không thực hiện được thay đổi này.",
                                "This change was not made.",
                            )
                            .to_string(),
                        ),
                    })
                })
            }
        })
    };
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
            set_active.value().get().and_then(Result::err),
            remove_grant.value().get().and_then(Result::err),
            posted().and_then(Result::err),
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
        {move || matches!(posted(), Some(Ok(()))).then(|| view! {
            <p class="notice notice-ok" role="status">{i.pick("Đã lưu thay đổi.", "The change was saved.")}</p>
        })}
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
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let user = session.0.await.ok().flatten();
                user.is_some_and(|u| u.may(super::Action::AssessSchool))
                    .then(|| view! { <SchoolAccountsForm bulk home_unit /> })
            })}
        </Suspense>
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
                                            {(!u.active).then(|| view! { " " <span class="badge">{i.pick("Đã khoá", "Disabled")}</span> })}
                                            <p class="unit-meta">
                                                {u.grants.iter().map(|g| view! {
                                                    <span>{lang.role(g.role)} " · " {g.unit.name.clone()}</span>
                                                }).collect_view()}
                                                {u.must_change_password.then(|| view! { <span>{i.t().users_must_change}</span> })}
                                            </p>
                                            <div class="user-tools">
                                                <button type="button" class="button-secondary" on:click={
                                                    let name = name.clone();
                                                    move |_| confirm_reset(id, name.clone())
                                                }>
                                                    {i.t().users_reset}
                                                </button>
                                                // Each change asks first: opening the disclosure
                                                // shows the form that makes it.
                                                <details class="confirm-tool">
                                                    <summary class="button button-secondary">
                                                        {if u.active { i.pick("Khoá tài khoản", "Disable") } else { i.pick("Mở lại tài khoản", "Enable") }}
                                                        <span class="visually-hidden">{format!(" {name}")}</span>
                                                    </summary>
                                                    <ActionForm action=set_active>
                                                        <input type="hidden" name="user_id" value=id.to_string() />
                                                        <input type="hidden" name="active" value=(!u.active).to_string() />
                                                        <button type="submit">
                                                            {if u.active {
                                                                i.pick("Khoá: không đăng nhập được, các phiên kết thúc", "Disable: no sign-in, sessions end")
                                                            } else {
                                                                i.pick("Mở lại tài khoản này", "Enable this account")
                                                            }}
                                                        </button>
                                                    </ActionForm>
                                                </details>
                                                {u.grants.clone().into_iter().map(|g| {
                                                    let label = format!("{} · {}", lang.role(g.role), g.unit.name);
                                                    view! {
                                                        <details class="confirm-tool">
                                                            <summary class="button button-secondary">
                                                                {i.pick("Bỏ quyền", "Remove grant")}
                                                                <span class="visually-hidden">{format!(" {label} — {name}")}</span>
                                                            </summary>
                                                            <ActionForm action=remove_grant>
                                                                <input type="hidden" name="user_id" value=id.to_string() />
                                                                <input type="hidden" name="role" value=format!("{:?}", g.role) />
                                                                <input type="hidden" name="unit" value=g.unit.id.to_string() />
                                                                <button type="submit">{format!("{} {label}", i.pick("Bỏ quyền", "Remove"))}</button>
                                                            </ActionForm>
                                                        </details>
                                                    }
                                                }).collect_view()}
                                            </div>
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
