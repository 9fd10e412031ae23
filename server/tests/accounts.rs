//! Accounts and the authorization layer over HTTP: sign-in and sessions, throttling, the
//! cross-origin refusal, the audit trail, and the matrix of every endpoint × role × scope.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

/// Posts a page's plain multipart form as a browser without the bundle does.
async fn plain_form(
    client: &reqwest::Client,
    url: impl reqwest::IntoUrl,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (content_type, form) = common::reports::multipart(fields, &[]);
    client
        .post(url)
        .header("content-type", content_type)
        .header("accept", "text/html")
        .body(form)
        .send()
        .await
        .unwrap()
}

use app::accounts::{Action, CurrentUser};
use app::authz::{Rule, DEMO_PASSWORD, RULES};
use app::org::{DirectoryFilter, DirectoryPage, UnitKind};
use app::plans::Audience;
use common::{new_client, TestApp};
use serde_json::{json, Value};

async fn me(app: &TestApp, client: &reqwest::Client) -> Option<CurrentUser> {
    app.call_with(client, "accounts/me", json!({}))
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_sign_out_and_wrong_passwords() {
    let app = TestApp::demo(20).await;
    let client = new_client();
    assert!(me(&app, &client).await.is_none());
    // Signed out, the organisation is closed.
    let err = app
        .call_with::<DirectoryPage>(
            &client,
            "org/search",
            json!({ "filter": DirectoryFilter::default() }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 401);

    let wrong = app
        .sign_in(&client, "quantri", "sai-mat-khau")
        .await
        .unwrap_err();
    let unknown = app
        .sign_in(&client, "khong-ton-tai", "sai-mat-khau")
        .await
        .unwrap_err();
    assert_eq!(wrong.0, 422);
    assert!(wrong.1.contains("Tên đăng nhập hoặc mật khẩu không đúng"));
    // An unknown account and a wrong password look the same.
    assert_eq!(wrong, unknown);

    let user = app
        .sign_in(&client, "QuanTri", DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(user.username, "quantri");
    assert_eq!(me(&app, &client).await.unwrap().id, user.id);
    let page: DirectoryPage = app
        .call_with(
            &client,
            "org/search",
            json!({ "filter": DirectoryFilter::default() }),
        )
        .await
        .unwrap();
    assert!(page.total > 20);

    app.call_with::<()>(&client, "accounts/sign-out", json!({}))
        .await
        .unwrap();
    assert!(me(&app, &client).await.is_none());
}

/// The `Set-Cookie` of a response that sets `name`.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = TestApp::demo(5).await;
    let sign_in = |proto: &'static str| {
        reqwest::Client::new()
            .post(app.url("/api/accounts/sign-in"))
            .header("x-forwarded-proto", proto)
            .form(&[("login", "lanhdao"), ("password", DEMO_PASSWORD)])
            .send()
    };
    let response = sign_in("http").await.unwrap();
    let cookie = set_cookie(&response, "antq_session").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    // The cookie lives no longer than the session may (seven days from sign-in).
    assert!(cookie.contains("Max-Age=604800"), "{cookie}");
    assert!(!cookie.contains("Secure"));
    // Without a trusted proxy, a client's word that it used HTTPS changes nothing.
    let claimed = sign_in("https").await.unwrap();
    assert!(set_cookie(&claimed, "antq_session").is_some());
    assert!(!claimed.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn over_https_behind_the_proxy_the_cookie_is_host_only_and_secure() {
    let app = TestApp::demo_behind_proxy(5, "127.0.0.1, ::1").await;
    let response = reqwest::Client::new()
        .post(app.url("/api/accounts/sign-in"))
        .header("x-forwarded-proto", "https")
        .form(&[("login", "lanhdao"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = set_cookie(&response, "__Host-antq_session").unwrap();
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    assert!(set_cookie(&response, "antq_session").is_none());
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    // The prefixed cookie is the session.
    let pair = cookie.split(';').next().unwrap().to_string();
    let me = reqwest::Client::new()
        .post(app.url("/api/accounts/me"))
        .header("cookie", pair)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(me.contains("\"username\":\"lanhdao\""), "{me}");
}

#[tokio::test]
async fn repeated_failures_throttle_the_account() {
    let app = TestApp::demo(5).await;
    let client = new_client();
    for _ in 0..5 {
        assert_eq!(
            app.sign_in(&client, "chuyenvien", "doan-sai")
                .await
                .unwrap_err()
                .0,
            422
        );
    }
    // Even the right password waits now, with a clear message.
    let (status, body) = app
        .sign_in(&client, "chuyenvien", DEMO_PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(status, 429);
    assert!(body.contains("TooManyAttempts"), "{body}");
    // Another account from the same address is not locked by these five.
    assert!(app.sign_in(&client, "lanhdao", DEMO_PASSWORD).await.is_ok());
}

#[tokio::test]
async fn parallel_wrong_passwords_are_checked_at_most_five_times() {
    let app = TestApp::demo(5).await;
    let mut attempts = tokio::task::JoinSet::new();
    for i in 0..40 {
        let url = app.url("/api/accounts/sign-in");
        attempts.spawn(async move {
            new_client()
                .post(url)
                .form(&[
                    ("login", "chuyenvien"),
                    ("password", &format!("doan-sai-{i}")),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses = attempts.join_all().await;
    let checked = statuses.iter().filter(|s| **s == 422).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert!(checked <= 5, "{statuses:?}");
    assert_eq!(checked + throttled, 40, "{statuses:?}");
}

#[tokio::test]
async fn a_browser_that_signed_in_before_gets_in_while_others_fail() {
    let app = TestApp::demo(5).await;
    // The officer's own browser signed in before (and out again).
    let own = new_client();
    app.sign_in(&own, "chuyenvien", DEMO_PASSWORD)
        .await
        .unwrap();
    app.call_with::<()>(&own, "accounts/sign-out", json!({}))
        .await
        .unwrap();
    // Someone else, from the same address (one school's network, or no proxy configured),
    // tries passwords on the account and on others until both are paused.
    for i in 0..25 {
        let login = if i % 2 == 0 { "chuyenvien" } else { "lanhdao" };
        let (status, _) = app
            .sign_in(&new_client(), login, &format!("doan-{i}"))
            .await
            .unwrap_err();
        assert!(status == 422 || status == 429, "{status}");
    }
    let (status, _) = app
        .sign_in(&new_client(), "chuyenvien", DEMO_PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(status, 429);
    // The officer's browser still gets in.
    let user = app
        .sign_in(&own, "chuyenvien", DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(user.username, "chuyenvien");
    app.call_with::<()>(&own, "accounts/sign-out", json!({}))
        .await
        .unwrap();
    // Its own wrong passwords are counted too: five, then it waits like anyone.
    for i in 0..5 {
        let (status, _) = app
            .sign_in(&own, "chuyenvien", &format!("nham-{i}"))
            .await
            .unwrap_err();
        assert_eq!(status, 422);
    }
    let (status, _) = app
        .sign_in(&own, "chuyenvien", DEMO_PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(status, 429);
}

#[tokio::test]
async fn a_session_ends_seven_days_after_sign_in_however_much_it_is_used() {
    let app = TestApp::demo_admin(5).await;
    assert!(me(&app, &app.client).await.is_some());
    let eight_days_ago = (chrono::Utc::now() - chrono::Duration::days(8))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    sqlx::query("UPDATE sessions SET created_at = $1")
        .bind(eight_days_ago)
        .execute(app.db.pool())
        .await
        .unwrap();
    assert!(me(&app, &app.client).await.is_none());
}

#[tokio::test]
async fn an_expired_session_is_no_session() {
    let app = TestApp::demo_admin(5).await;
    assert!(me(&app, &app.client).await.is_some());
    let hashes: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM sessions")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    for (hash,) in hashes {
        app::store::accounts::expire_session(&app.db, &hash)
            .await
            .unwrap();
    }
    assert!(me(&app, &app.client).await.is_none());
    let err = app
        .call::<DirectoryPage>(
            "org/search",
            json!({ "filter": DirectoryFilter::default() }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 401);
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    let app = TestApp::demo(5).await;
    let phone = app.client_as("khuvuc").await;
    let laptop = app.client_as("khuvuc").await;
    let ended: u64 = app
        .call_with(&laptop, "accounts/sign-out-everywhere", json!({}))
        .await
        .unwrap();
    assert_eq!(ended, 2);
    assert!(me(&app, &phone).await.is_none());
    assert!(me(&app, &laptop).await.is_none());
}

#[tokio::test]
async fn a_cross_origin_post_is_refused_and_changes_nothing() {
    let app = TestApp::demo_admin(5).await;
    let response = app
        .client
        .post(app.url("/api/accounts/sign-out"))
        .header("origin", "https://trang-gia-mao.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(me(&app, &app.client).await.is_some(), "still signed in");
    let import = app
        .client
        .post(app.url("/api/org/import"))
        .header("sec-fetch-site", "cross-site")
        .body("Mã trường,Tên trường\n")
        .send()
        .await
        .unwrap();
    assert_eq!(import.status(), 403);
    // The same request from the app's own page goes through.
    let own = app
        .client
        .post(app.url("/api/accounts/me"))
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = TestApp::demo_admin(5).await;
    let page = app.get("/directory").await;
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(
        csp.contains("'wasm-unsafe-eval'") && csp.contains("'nonce-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert!(page.headers().contains_key("referrer-policy"));
    let html = page.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the bundle's loader carries the nonce"
    );
    let api = app.get("/healthz").await;
    assert!(api.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
}

#[tokio::test]
async fn demo_accounts_are_refused_outside_demo_mode() {
    let app = TestApp::demo(5).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = server::router(
        app.db.clone(),
        app::state::Settings::from_env(false).expect("settings"),
        addr,
    );
    tokio::spawn(server::serve(listener, router, std::future::pending()));
    let response = new_client()
        .post(format!("http://{addr}/api/accounts/sign-in"))
        .form(&[("login", "quantri"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    // A demo server says so on every page; a real one does not.
    let banner = "Máy chủ thử nghiệm";
    let page = |base: String| async move {
        new_client()
            .get(format!("{base}/sign-in"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    assert!(page(app.base.clone()).await.contains(banner));
    assert!(!page(format!("http://{addr}")).await.contains(banner));
}

#[tokio::test]
async fn demo_mode_refuses_a_database_holding_real_accounts() {
    let (url, _dir) = common::fresh_database().await;
    let db = app::store::Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    sqlx::query(
        "INSERT INTO users (username, full_name, password_hash, must_change_password, created_at,
                            active, demo)
         VALUES ('quantri-that', 'Quản trị', 'x', 0, '2026-01-01T00:00:00Z', 1, 0)",
    )
    .execute(db.pool())
    .await
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve", "--demo"])
        .env("DATABASE_URL", &url)
        .env("ANTQ_LOG", "warn")
        .env("ANTQ_ADDR", "127.0.0.1:0")
        .output()
        .expect("run the server binary");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "demo mode started on a database with a real account"
    );
    assert!(stderr.contains("--demo refused"), "{stderr}");
    let (demo,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE demo = 1")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(demo, 0, "no demo account was made");
}

#[tokio::test]
async fn changing_the_password_checks_the_old_one_and_the_new_one() {
    let app = TestApp::demo(5).await;
    let client = app.client_as("nguoixem").await;
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let client = client.clone();
        let url = app.url("/api/accounts/change-password");
        async move {
            let r = client
                .post(url)
                .form(&[
                    ("current", current),
                    ("new_password", new),
                    ("confirm", confirm),
                ])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, body) = change("sai", "mot-mat-khau-moi", "mot-mat-khau-moi").await;
    assert_eq!(status, 422);
    assert!(body.contains("Mật khẩu hiện tại không đúng"));
    let (status, body) = change(DEMO_PASSWORD, "ngan", "ngan").await;
    assert_eq!(status, 422);
    assert!(body.contains("ít nhất 10"));
    let (status, body) = change(DEMO_PASSWORD, "mot-mat-khau-moi", "mot-mat-khau-khac").await;
    assert_eq!(status, 422);
    assert!(body.contains("không khớp"));
    let (status, body) = change(DEMO_PASSWORD, DEMO_PASSWORD, DEMO_PASSWORD).await;
    assert_eq!(status, 422);
    assert!(body.contains("phải khác mật khẩu hiện tại"), "{body}");
    // The same account signed in elsewhere, say on a computer left open at school.
    let elsewhere = app.client_as("nguoixem").await;
    assert!(me(&app, &elsewhere).await.is_some());
    let (status, _) = change(DEMO_PASSWORD, "mot-mat-khau-moi", "mot-mat-khau-moi").await;
    assert_eq!(status, 200);
    // The change ends that other session, and keeps the one that made it.
    assert!(me(&app, &elsewhere).await.is_none());
    assert!(me(&app, &client).await.is_some());
    assert!(app
        .sign_in(&new_client(), "nguoixem", "mot-mat-khau-moi")
        .await
        .is_ok());
    assert!(app
        .sign_in(&new_client(), "nguoixem", DEMO_PASSWORD)
        .await
        .is_err());
}

#[tokio::test]
async fn every_write_leaves_an_audit_entry_that_cannot_be_changed() {
    let app = TestApp::demo_admin(20).await;
    let csv = "Mã trường,Tên trường,Cấp học,Loại hình,Mã khu vực\n86997001,Trường Tiểu học Nhật Ký,TH,CL,25000\n";
    let r = app
        .client
        .post(app.url("/api/org/import"))
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .post(app.url("/api/org/import"))
        .body(csv.replace("Nhật Ký", "Nhật Ký Mới"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Accounts: one created and reset by the administrator, a password changed, every
    // session of a user ended.
    let created: app::accounts::IssuedPassword = app
        .call_form(
            &app.client,
            "users/create",
            json!({ "username": "moi.nguoi", "full_name": "Người Mới", "email": "", "role": "Viewer", "unit": 1 }),
        )
        .await
        .unwrap();
    let new_id: (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = 'moi.nguoi'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let _: app::accounts::IssuedPassword = app
        .call("users/reset-password", json!({ "user_id": new_id.0 }))
        .await
        .unwrap();
    assert_ne!(created.password.len(), 0);
    let lead = app.client_as("lanhdao").await;
    let changed = lead
        .post(app.url("/api/accounts/change-password"))
        .form(&[
            ("current", DEMO_PASSWORD),
            ("new_password", "mat-khau-lanh-dao"),
            ("confirm", "mat-khau-lanh-dao"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    app.call_with::<u64>(&lead, "accounts/sign-out-everywhere", json!({}))
        .await
        .unwrap();
    let viewer = app.client_as("nguoixem").await;
    app.call_with::<()>(&viewer, "accounts/sign-out", json!({}))
        .await
        .unwrap();

    let entries: Vec<app::accounts::AuditEntryView> = app
        .call("audit/entries", json!({ "action": "" }))
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for expected in app::accounts::AUDIT_ACTIONS {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    let update = entries
        .iter()
        .find(|e| e.action == "import_update")
        .unwrap();
    assert!(update.before.as_deref().unwrap().contains("Nhật Ký\""));
    assert!(update.after.as_deref().unwrap().contains("Nhật Ký Mới"));
    assert_eq!(update.username.as_deref(), Some("quantri"));
    assert_eq!(update.address, "127.0.0.1");

    // The trail filters by action.
    let only: Vec<app::accounts::AuditEntryView> = app
        .call("audit/entries", json!({ "action": "user_reset_password" }))
        .await
        .unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].entity, format!("user #{}", new_id.0));

    // Append-only, even for a query that bypasses the app.
    assert!(sqlx::query("UPDATE audit_log SET action = 'x'")
        .execute(app.db.pool())
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(app.db.pool())
        .await
        .is_err());
    if common::expected_backend() == "postgres" {
        assert!(sqlx::query("TRUNCATE audit_log")
            .execute(app.db.pool())
            .await
            .is_err());
    }
    // Only administrators read it.
    let err = app
        .call_with::<Value>(&viewer, "audit/entries", json!({ "action": "" }))
        .await
        .unwrap_err();
    assert_eq!(err.0, 401);
    let leader = new_client();
    app.sign_in(&leader, "lanhdao", "mat-khau-lanh-dao")
        .await
        .unwrap();
    let err = app
        .call_with::<Value>(&leader, "audit/entries", json!({ "action": "" }))
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
}

/// Every server function and endpoint has a rule; for each role, a call inside its scope
/// succeeds and one outside is refused with 403 and changes nothing.
#[tokio::test]
async fn authorization_matrix() {
    let app = TestApp::demo(120).await;
    let mut paths: Vec<&str> = server_fn::axum::server_fn_paths().map(|(p, _)| p).collect();
    paths.extend(server::PLAIN_ENDPOINTS);
    paths.sort_unstable();
    paths.dedup();
    for path in &paths {
        assert!(
            RULES.iter().any(|(p, _)| p == path),
            "{path} has no rule in authz::RULES: add one (and a case to this test)"
        );
    }

    // The area officer's commune and school (the demo school officer's), and a school of
    // another commune.
    let admin = app.client_as("quantri").await;
    let area_user: CurrentUser = app
        .sign_in(&new_client(), "khuvuc", DEMO_PASSWORD)
        .await
        .unwrap();
    let school_user: CurrentUser = app
        .sign_in(&new_client(), "truong", DEMO_PASSWORD)
        .await
        .unwrap();
    let own_area = area_user.grants[0].unit.id;
    let own_school = school_user.grants[0].unit.id;
    let schools: DirectoryPage = app
        .call_with(&admin, "org/search", json!({ "filter": DirectoryFilter { kind: Some(UnitKind::School), ..Default::default() } }))
        .await
        .unwrap();
    let other_school = schools
        .items
        .iter()
        .find(|s| s.area.as_ref().is_some_and(|a| a.id != own_area))
        .expect("a school elsewhere");

    // Accounts to reset: one inside the area officer's commune, one in another commune.
    let target = |name: &'static str, unit: i64| {
        let admin = admin.clone();
        let app = &app;
        async move {
            app.call_form::<app::accounts::IssuedPassword>(
                &admin,
                "users/create",
                json!({ "username": name, "full_name": name, "email": "", "role": "SchoolOfficer", "unit": unit }),
            )
            .await
            .unwrap();
            sqlx::query_as::<_, (i64,)>("SELECT id FROM users WHERE username = $1")
                .bind(name)
                .fetch_one(app.db.pool())
                .await
                .unwrap()
                .0
        }
    };
    let target_in = target("dich-trong", own_school).await;
    let target_out = target("dich-ngoai", other_school.id).await;

    // An issued plan sent to the school officer's school, and what it holds.
    let (plan_id, plan_version): (i64, i64) = sqlx::query_as(
        "SELECT p.id, p.version FROM plans p JOIN plan_units u ON u.plan_id = p.id
         WHERE p.status = 'issued' AND u.unit_id = $1 ORDER BY p.id DESC LIMIT 1",
    )
    .bind(own_school)
    .fetch_one(app.db.pool())
    .await
    .expect("an issued plan sent to the school");
    let plan: Value = app
        .call_with(&admin, "plans/get", json!({ "id": plan_id }))
        .await
        .unwrap();
    let plan_content = plan["content"].clone();
    // Evidence of the school's, to download; a group for each role that may delete one.
    let evidence = app::store::plans::put_evidence(
        &app.db,
        &app::store::plans::NewEvidence {
            plan: plan_id,
            unit: own_school,
            step: app::plans::DeployStep::OwnPlan,
            file_name: "ke-hoach.pdf",
            content_type: "application/pdf",
            content: b"%PDF-1.4",
            user: school_user.id,
        },
    )
    .await
    .unwrap();
    // The demo's open report cycle, which the school owes, and a file of the school's in it.
    let (cycle_id,): (i64,) =
        sqlx::query_as("SELECT id FROM report_cycles WHERE locks_on > $1 ORDER BY due_on LIMIT 1")
            .bind(app::store::iso(app::clock::today()))
            .fetch_one(app.db.pool())
            .await
            .expect("an open report cycle");
    let report_file = app::store::reports::put_file(
        &app.db,
        &app::store::reports::NewFile {
            cycle: cycle_id,
            unit: own_school,
            field: "ban_scan",
            file_name: "bao-cao.pdf",
            content_type: "application/pdf",
            bytes: b"%PDF-1.4",
            sha256: &app::store::reports::checksum(b"%PDF-1.4"),
            user: school_user.id,
        },
    )
    .await
    .unwrap();
    let template: Value = serde_json::to_value(
        app::store::reports::template(
            &app.db,
            app::store::reports::cycle(&app.db, cycle_id)
                .await
                .unwrap()
                .template,
        )
        .await
        .unwrap()
        .id,
    )
    .unwrap();
    // A model school assessment of the school's and one of another school's, a file of the
    // school's in it, and one of the demo's decisions.
    use app::recognition::Programme;
    let own_assessment = app::store::recognition::start(
        &app.db,
        Programme::ModelSchool,
        2030,
        own_school,
        school_user.id,
    )
    .await
    .unwrap();
    let other_assessment = app::store::recognition::start(
        &app.db,
        Programme::ModelSchool,
        2030,
        other_school.id,
        school_user.id,
    )
    .await
    .unwrap();
    // A model run by the school and one run by another school.
    let run_of = |unit: i64| {
        let db = app.db.clone();
        async move {
            app::store::safety_models::register(
                &db,
                &app::safety_models::NewRun {
                    model: app::store::safety_models::catalogue(&db).await.unwrap()[4].id,
                    unit,
                    started_on: chrono::NaiveDate::from_ymd_opt(2025, 1, 6).unwrap(),
                    places: 1,
                    note: String::new(),
                },
                school_user.id,
            )
            .await
            .unwrap()
        }
    };
    let own_run = run_of(own_school).await;
    let other_run = run_of(other_school.id).await;
    // A 19/8 day of 1990 (long closed) with a photo, the school's and another school's.
    let day_photo_of = |unit: i64| {
        let db = app.db.clone();
        async move {
            let record = app::security_day::NewDayRecord {
                unit,
                year: 1990,
                held_on: "1990-08-19".into(),
                participants: 10,
                forms: vec![app::security_day::ActivityForm::Ceremony],
                note: String::new(),
            };
            let day = chrono::NaiveDate::from_ymd_opt(1990, 8, 19).unwrap();
            let day = app::store::security_day::save(&db, &record, day, school_user.id)
                .await
                .unwrap();
            let photos = app::store::security_day::add_photo(
                &db,
                &app::store::security_day::NewPhoto {
                    day,
                    file_name: "anh.png",
                    content_type: "image/png",
                    bytes: b"\x89PNG\r\n\x1a\n",
                    user: school_user.id,
                },
            )
            .await
            .unwrap();
            photos[0].id
        }
    };
    let own_photo = day_photo_of(own_school).await;
    let other_photo = day_photo_of(other_school.id).await;
    // An approved emulation registration of the school's and one of another school's.
    let registration_of = |unit: i64| {
        let db = app.db.clone();
        async move {
            use app::emulation::{NewRegistration, NomineeKind, RegistrationStatus as S};
            let id = app::store::emulation::register(
                &db,
                &NewRegistration {
                    unit,
                    year: 2030,
                    kind: NomineeKind::Collective,
                    nominee: "Tập thể nhà trường".into(),
                    position: String::new(),
                    title: "Tập thể lao động tiên tiến".into(),
                },
                school_user.id,
            )
            .await
            .unwrap();
            for (from, to) in [(S::Draft, S::Pending), (S::Pending, S::Approved)] {
                app::store::emulation::set_status(&db, id, &[from], to, "", school_user.id)
                    .await
                    .unwrap();
            }
            id
        }
    };
    let own_registration = registration_of(own_school).await;
    let other_registration = registration_of(other_school.id).await;
    let assessment_file = app::store::recognition::put_file(
        &app.db,
        &app::store::recognition::NewAssessmentFile {
            assessment: own_assessment,
            slot: "dossier:to_trinh",
            file_name: "to-trinh.pdf",
            content_type: "application/pdf",
            bytes: b"%PDF-1.4",
            user: school_user.id,
        },
    )
    .await
    .unwrap();
    let (decision,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM recognition_decisions")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let mut groups = std::collections::HashMap::new();
    for username in ["quantri", "chuyenvien"] {
        let id = app::store::plans::create_group(
            &app.db,
            &format!("xoa-{username}"),
            &[own_school],
            school_user.id,
        )
        .await
        .unwrap();
        groups.insert(username, id);
    }

    let roles = [
        "quantri",
        "lanhdao",
        "chuyenvien",
        "khuvuc",
        "truong",
        "nguoixem",
    ];
    let mut checked = 0;
    for username in roles {
        let client = app.client_as(username).await;
        let user = me(&app, &client).await.unwrap();
        let role = user.grants[0].role;
        // An export of the user's own, finished: its status and file are theirs to read.
        let own_export = app::store::exports::create(
            &app.db,
            cycle_id,
            app::reports::export::ExportFormat::Xlsx,
            user.id,
        )
        .await
        .unwrap();
        app::store::exports::finish(&app.db, own_export, "a.xlsx", b"PK")
            .await
            .unwrap();
        let (inside, outside) = match username {
            "khuvuc" => (own_area, Some(other_school.id)),
            "truong" => (own_school, Some(other_school.id)),
            _ => (user.grants[0].unit.id, None),
        };
        for (path, rule) in RULES {
            let units_before = app::store::org::count_units(&app.db).await.unwrap();
            let call = |body: Value| {
                let client = client.clone();
                let url = app.url(path);
                async move {
                    // The live stream stays open: its status is all there is to read.
                    if *path == "/api/live" {
                        let r = client.get(url).send().await.unwrap();
                        let status = r.status().as_u16();
                        let kind = r
                            .headers()
                            .get("content-type")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string();
                        return (status, kind);
                    }
                    let r = if path.starts_with("/recognition/decisions/") {
                        let url = url.replace("{id}", &decision.to_string());
                        client.get(url).send().await.unwrap()
                    } else if path.starts_with("/recognition-files/") {
                        let url = url.replace("{id}", &assessment_file.to_string());
                        client.get(url).send().await.unwrap()
                    } else if *path == "/security-day/photos/{id}" {
                        let url = url.replace("{id}", &own_photo.to_string());
                        client.get(url).send().await.unwrap()
                    } else if path.starts_with("/security-day/") {
                        // A year long closed: refused (422) after the checks of scope.
                        let url = url
                            .replace("{unit}", &body["unit"].as_i64().unwrap().to_string())
                            .replace("{year}", "1990");
                        client
                            .post(format!("{url}?name=a.png"))
                            .body(b"%PDF-1.4".to_vec())
                            .send()
                            .await
                            .unwrap()
                    } else if path.starts_with("/models/runs/") {
                        // A PDF named as a Word file: refused (422) after the checks of scope.
                        let url = url.replace("{id}", &body["run"].as_i64().unwrap().to_string());
                        client
                            .post(format!("{url}?name=a.docx"))
                            .body(b"%PDF-1.4".to_vec())
                            .send()
                            .await
                            .unwrap()
                    } else if *path == "/day-19-8" {
                        // The 19/8 page's plain form, as a browser without the bundle posts
                        // it: a record of a year long closed, refused (422) after the checks
                        // of scope.
                        let unit = body["unit"].as_i64().unwrap().to_string();
                        plain_form(
                            &client,
                            format!("{url}?year=1990"),
                            &[
                                ("form", "day"),
                                ("unit", unit.as_str()),
                                ("year", "1990"),
                                ("held_on", "1990-08-19"),
                                ("participants", "10"),
                            ],
                        )
                        .await
                    } else if *path == "/models" {
                        // The models page's plain form, as a browser without the bundle posts
                        // it: a registration of no place at all, refused (422) after the
                        // checks of scope.
                        let unit = body["unit"].as_i64().unwrap().to_string();
                        plain_form(
                            &client,
                            format!("{url}?year=2026"),
                            &[
                                ("form", "register"),
                                ("unit", unit.as_str()),
                                ("model", "1"),
                                ("started_on", "2026-01-01"),
                                ("places", "0"),
                            ],
                        )
                        .await
                    } else if *path == "/emulation" {
                        // The emulation page's plain form, as a browser without the bundle
                        // posts it: a registration for a year long past, refused (422) after
                        // the checks of scope.
                        let unit = body["unit"].as_i64().unwrap().to_string();
                        client
                            .post(format!("{url}?year=2026"))
                            .header("accept", "text/html")
                            .form(&[
                                ("form", "register"),
                                ("unit", unit.as_str()),
                                ("year", "1990"),
                                ("kind", "collective"),
                                ("nominee", "Trường"),
                                ("title", "Tập thể lao động tiên tiến"),
                            ])
                            .send()
                            .await
                            .unwrap()
                    } else if *path == "/recognition/{id}" {
                        // An assessment page's plain form, as a browser without the bundle
                        // posts it: filing, refused (422) for what it lacks after the checks
                        // of scope.
                        let url = url.replace("{id}", &body["id"].as_i64().unwrap().to_string());
                        plain_form(&client, url, &[("do", "file"), ("version", "-1")]).await
                    } else if path.starts_with("/recognition/") {
                        // A PDF named as a Word file: refused (422) after the checks of scope.
                        let url = url.replace("{id}", &body["id"].as_i64().unwrap().to_string());
                        client
                            .post(format!("{url}?slot=dossier:to_trinh&name=a.docx"))
                            .body(b"%PDF-1.4".to_vec())
                            .send()
                            .await
                            .unwrap()
                    } else if *path == "/healthz"
                        || path.ends_with(".csv")
                        || *path == "/dashboard.xlsx"
                    {
                        client.get(url).send().await.unwrap()
                    } else if path.ends_with(".docx") {
                        let url = url.replace("{id}", &plan_id.to_string());
                        client.get(url).send().await.unwrap()
                    } else if path.starts_with("/report-files/") {
                        let url = url.replace("{id}", &report_file.to_string());
                        client.get(url).send().await.unwrap()
                    } else if path.starts_with("/exports/") {
                        let url = url.replace("{id}", &own_export.to_string());
                        client.get(url).send().await.unwrap()
                    } else if path.ends_with("rollup.xlsx") {
                        let url = url.replace("{cycle}", &cycle_id.to_string());
                        client.get(url).send().await.unwrap()
                    } else if *path == "/reports/{cycle}/units/{unit}" {
                        // The report page's plain form, as a browser without the bundle posts
                        // it: an empty draft saved (or refused).
                        let url = url.replace("{cycle}", &cycle_id.to_string()).replace(
                            "{unit}",
                            body["unit"].as_i64().unwrap().to_string().as_str(),
                        );
                        plain_form(
                            &client,
                            url,
                            &[("intent", "save"), ("version", "0"), ("key", "matrix")],
                        )
                        .await
                    } else if path.starts_with("/deployments/") {
                        // A step's plain form, as a browser without the bundle posts it:
                        // nothing changed (taken) or refused.
                        let url = url
                            .replace("{plan}", &plan_id.to_string())
                            .replace(
                                "{unit}",
                                body["unit"].as_i64().unwrap().to_string().as_str(),
                            )
                            .replace("{step}", "received");
                        plain_form(&client, url, &[]).await
                    } else if matches!(
                        *path,
                        "/api/recognition/open-own"
                            | "/api/recognition/select"
                            | "/api/plans/pilot"
                    ) {
                        // A server function a plain form posts (URL-encoded).
                        client.post(url).form(&body).send().await.unwrap()
                    } else if path.contains("/files/{field}") {
                        let url = url
                            .replace("{cycle}", &cycle_id.to_string())
                            .replace(
                                "{unit}",
                                body["unit"].as_i64().unwrap().to_string().as_str(),
                            )
                            // The Word field: a PDF there is refused (422) after the
                            // checks of scope, and the school's scan stays for the download.
                            .replace("{field}", "ban_word");
                        client
                            .post(format!("{url}?name=a.pdf"))
                            .body(b"%PDF-1.4".to_vec())
                            .send()
                            .await
                            .unwrap()
                    } else if path.starts_with("/evidence/") {
                        let url = url.replace("{id}", &evidence.to_string());
                        client.get(url).send().await.unwrap()
                    } else if path.contains("/evidence/") {
                        let url = url
                            .replace("{plan}", &plan_id.to_string())
                            .replace(
                                "{unit}",
                                body["unit"].as_i64().unwrap().to_string().as_str(),
                            )
                            .replace("{step}", "received");
                        client
                            .post(format!("{url}?name=a.pdf"))
                            .body(b"%PDF-1.4".to_vec())
                            .send()
                            .await
                            .unwrap()
                    } else if *path == "/api/org/import" {
                        client
                            .post(url)
                            .body(body.as_str().unwrap_or("").to_string())
                            .send()
                            .await
                            .unwrap()
                    } else if path.starts_with("/api/accounts/sign-in")
                        || path.ends_with("change-password")
                        || path.ends_with("users/create")
                        || path.ends_with("bulk-schools")
                        || path.ends_with("set-active")
                        || path.ends_with("remove-grant")
                    {
                        client.post(url).form(&body).send().await.unwrap()
                    } else {
                        client.post(url).json(&body).send().await.unwrap()
                    };
                    let status = r.status().as_u16();
                    (status, r.text().await.unwrap())
                }
            };
            let args = |unit: i64| -> Value {
                match *path {
                    "/api/org/search" => json!({ "filter": DirectoryFilter::default() }),
                    "/api/org/areas" => json!({ "as_of": null }),
                    "/api/org/children" => json!({ "parent": unit, "as_of": null }),
                    "/api/org/unit" => json!({ "id": unit }),
                    "/api/org/import" => {
                        json!("Mã trường,Tên trường,Cấp học,Loại hình,Mã khu vực\n")
                    }
                    "/api/audit/entries" => json!({ "action": "" }),
                    "/api/accounts/sign-in" => json!({ "login": "khong-ai", "password": "x" }),
                    "/api/accounts/change-password" => {
                        json!({ "current": "x", "new_password": "y", "confirm": "y" })
                    }
                    "/api/users/create" => json!({
                        "username": format!("moi-{username}-{unit}"),
                        "full_name": "Người dùng mới",
                        "email": "",
                        "role": "Viewer",
                        "unit": unit,
                    }),
                    "/api/users/reset-password" => {
                        json!({ "user_id": if Some(unit) == outside { target_out } else { target_in } })
                    }
                    // Enabling an enabled account changes nothing; removing a grant the account
                    // does not hold is refused (422) once the caller may.
                    "/api/users/set-active" => json!({
                        "user_id": if Some(unit) == outside { target_out } else { target_in },
                        "active": true,
                    }),
                    "/api/users/remove-grant" => json!({
                        "user_id": if Some(unit) == outside { target_out } else { target_in },
                        "role": "Viewer",
                        "unit": unit,
                    }),
                    // A commune's schools, not the province's: each account costs a hash.
                    "/api/users/bulk-schools" => {
                        json!({ "unit": if Some(unit) == outside { unit } else { own_area } })
                    }
                    "/api/plans/get"
                    | "/api/plans/correct"
                    | "/api/plans/revisions"
                    | "/api/plans/coverage" => json!({ "id": plan_id }),
                    "/api/plans/revision" | "/api/plans/compare" => {
                        json!({ "id": plan_id, "version": plan_version })
                    }
                    "/api/plans/create" => json!({ "year": 2027 }),
                    // An issued plan is read-only: an editor gets 422, anyone else 403.
                    "/api/plans/save" => {
                        json!({ "id": plan_id, "version": plan_version, "content": plan_content })
                    }
                    // Issuing it again: a 422 for leadership, 403 for anyone else.
                    "/api/plans/step" => json!({
                        "id": plan_id, "step": "Issue", "comment": "", "number": null, "date": null,
                    }),
                    "/api/plans/audience-size" => json!({ "audience": Audience::default() }),
                    "/api/plans/mark-step" => json!({
                        "plan": plan_id,
                        "unit": if Some(unit) == outside { unit } else { own_school },
                        "step": "Received",
                        "done": true,
                        "done_on": null,
                        "note": "",
                    }),
                    "/api/documents/search" => json!({ "q": "luật" }),
                    // Unit-bound: the school's own checklist inside, another school's outside.
                    "/plans/{plan}/units/{unit}/evidence/{step}"
                    | "/deployments/{plan}/{unit}/steps/{step}" => json!({
                        "unit": if Some(unit) == outside { unit } else { own_school },
                    }),
                    "/api/plans/evidence-delete" => json!({
                        "plan": plan_id,
                        "unit": if Some(unit) == outside { unit } else { own_school },
                        "step": "Received",
                    }),
                    "/api/plans/pilot" => json!({
                        "id": plan_id,
                        "unit": if Some(unit) == outside { unit } else { own_school },
                        "pilot": false,
                    }),
                    "/api/plans/pilots" => json!({ "id": plan_id }),
                    "/api/plans/pilot-choices" => {
                        json!({ "id": plan_id, "area": unit, "kind": "Primary" })
                    }
                    "/api/groups/create" => json!({
                        "name": format!("Nhóm {username} {unit}"),
                        "units": [own_school],
                    }),
                    "/api/groups/delete" => {
                        json!({ "id": groups.get(username).copied().unwrap_or(0) })
                    }
                    "/api/notifications/read" => json!({ "ids": [] }),
                    // Report endpoints bound to a unit: the school's own report inside.
                    "/api/reports/get"
                    | "/api/reports/reopen"
                    | "/api/reports/review"
                    | "/api/reports/save"
                    | "/api/reports/submit"
                    | "/api/reports/file-delete"
                    | "/reports/{cycle}/units/{unit}"
                    | "/reports/{cycle}/units/{unit}/files/{field}" => json!({
                        "cycle": cycle_id,
                        "unit": if Some(unit) == outside { unit } else { own_school },
                        "version": 0,
                        "answers": {},
                        "key": "matrix",
                        "decision": "accept",
                        "comment": "",
                        "reason": "Kiểm tra",
                        "field": "ban_word",
                    }),
                    "/api/reports/completeness" | "/api/reports/rollup" => {
                        json!({ "cycle": cycle_id })
                    }
                    "/api/reports/units" => json!({ "cycle": cycle_id, "status": null }),
                    "/api/dashboard/figures" => json!({ "query": {} }),
                    // Recognition: bound to the school's assessment inside, another's outside;
                    // each call but the generated report stops at a check (422) before it
                    // changes anything.
                    "/api/recognition/overview" => json!({ "year": null }),
                    "/api/recognition/choosing" => json!({ "year": null, "area": unit }),
                    "/api/recognition/candidates" => json!({ "year": 2026, "area": unit }),
                    "/api/recognition/select" => {
                        json!({ "year": 1990, "unit": if Some(unit) == outside { unit } else { own_school } })
                    }
                    "/api/recognition/open-own" => json!({
                        "programme": "yearly_evaluation",
                        "year": 1990,
                        "unit": if Some(unit) == outside { unit } else { own_school },
                    }),
                    "/api/recognition/history" => {
                        json!({ "unit": if Some(unit) == outside { unit } else { own_school } })
                    }
                    "/api/recognition/get"
                    | "/api/recognition/save"
                    | "/api/recognition/move"
                    | "/api/recognition/generate-report"
                    | "/recognition/{id}/files"
                    | "/recognition/{id}" => json!({
                        "id": if Some(unit) == outside { other_assessment } else { own_assessment },
                        "review": false,
                        "answers": {},
                        "version": -1,
                        "to": "File",
                        "note": "",
                    }),
                    "/api/recognition/decide" => json!({ "decision": {
                        "year": 2026, "number": "", "signed_on": "2026-12-20", "signer": "", "assessments": []
                    } }),
                    "/api/recognition/criteria" => json!({ "programme": "ModelSchool" }),
                    "/api/recognition/criteria-save" => json!({
                        "programme": "ModelSchool",
                        "body": { "title": "", "basis": "", "groups": [], "bands": [] },
                    }),
                    "/api/recognition/evaluation" => json!({ "year": 2025 }),
                    // Models: each call stops at a check (422) before it changes anything.
                    "/api/models/overview" => json!({ "year": null, "area": null }),
                    "/api/models/register" => json!({ "run": {
                        "model": 1,
                        "unit": if Some(unit) == outside { unit } else { own_school },
                        "started_on": "2999-01-01",
                        "places": 1,
                        "note": "",
                    } }),
                    "/api/models/review" | "/models/runs/{id}/evidence" => json!({
                        "run": if Some(unit) == outside { other_run } else { own_run },
                        "year": 1990,
                        "rating": "Good",
                        "replicate": false,
                        "note": "",
                    }),
                    "/api/models/add" => json!({ "name": "", "description": "" }),
                    // The 19/8 day: each call stops at the closed year (422).
                    "/api/security-day/overview" => json!({ "year": null }),
                    "/api/security-day/save" => json!({ "record": {
                        "unit": if Some(unit) == outside { unit } else { own_school },
                        "year": 1990, "held_on": "1990-08-19", "participants": 1,
                        "forms": ["Ceremony"], "note": "",
                    } }),
                    "/api/security-day/delete-photo" => json!({
                        "photo": if Some(unit) == outside { other_photo } else { own_photo },
                    }),
                    "/emulation" | "/models" | "/day-19-8" => json!({
                        "unit": if Some(unit) == outside { unit } else { own_school },
                    }),
                    "/security-day/{unit}/{year}/photos" => json!({
                        "unit": if Some(unit) == outside { unit } else { own_school },
                    }),
                    // Emulation: each call stops at a check (422) before it changes anything.
                    "/api/emulation/overview" => json!({ "year": null }),
                    "/api/emulation/register" => json!({ "registration": {
                        "unit": if Some(unit) == outside { unit } else { own_school },
                        "year": 1990, "kind": "Collective", "nominee": "", "position": "",
                        "title": "",
                    } }),
                    "/api/emulation/send" => json!({
                        "id": if Some(unit) == outside { other_registration } else { own_registration },
                    }),
                    "/api/emulation/nominate" => json!({ "nomination": {
                        "unit": if Some(unit) == outside { unit } else { own_school },
                        "year": 1990, "kind": "Collective", "nominee": "", "position": "",
                        "form": 1, "achievements": "",
                    } }),
                    "/api/emulation/judge" => json!({ "id": 0, "approve": false, "reason": "" }),
                    "/api/emulation/decide" => json!({ "decision": {
                        "year": 2026, "form": 1, "number": "", "signed_on": "2026-01-01",
                        "signer": "", "nominations": [],
                    } }),
                    "/api/dashboard/remind" => json!({ "cycle": cycle_id, "query": {} }),
                    // Not a FeatureCollection: 422 for those who may.
                    "/api/dashboard/boundaries" => json!({ "geojson": "{}" }),
                    // An empty template: 422 for those who may, nothing saved.
                    "/api/reports/template-save" => {
                        json!({ "based_on": null, "name": "", "fields": [] })
                    }
                    "/api/reports/export-start" => json!({ "cycle": cycle_id, "format": "xlsx" }),
                    "/api/reports/export-status" => json!({ "job": own_export }),
                    // A one-off cycle with a date that cannot be: 422 for those who may.
                    "/api/reports/create-cycles" => json!({
                        "cycle": {
                            "template": template,
                            "title": "",
                            "period": { "type": "ad_hoc", "year": 2026, "label": "Thử" },
                            "rule": { "type": "fixed", "date": "2026-12-01" },
                            "on_time_until": null,
                            "locks_on": null,
                            "audience": Audience::default(),
                            "plan": null,
                            "reminder_days": [],
                        },
                        "series_year": null,
                    }),
                    _ => json!({}),
                }
            };
            match rule {
                Rule::Public | Rule::SignedIn => {
                    // Signed-in calls on one's own account: never 401 or 403.
                    if path.ends_with("sign-out") || path.ends_with("sign-out-everywhere") {
                        continue; // would end the session the rest of the matrix uses
                    }
                    let (status, body) = call(args(inside)).await;
                    assert!(
                        status != 401 && status != 403,
                        "{username} {path}: {status} {body}"
                    );
                    checked += 1;
                }
                Rule::Action(action) => {
                    // Plan endpoints check the action on the plan's issuing unit.
                    let allowed = match *path {
                        "/api/plans/step" => Action::ApprovePlans.allows(role),
                        "/api/plans/save" | "/api/plans/correct" => Action::EditPlans.allows(role),
                        // Reopening what is not accepted is a reviewer's.
                        "/api/reports/reopen" => Action::ReviewReports.allows(role),
                        // A school officer's account (reset, or made for every school) is
                        // handled only by who holds everything a school officer may do.
                        "/api/users/reset-password"
                        | "/api/users/bulk-schools"
                        | "/api/users/set-active"
                        | "/api/users/remove-grant" => {
                            action.allows(role)
                                && Action::ALL
                                    .into_iter()
                                    .filter(|a| a.allows(app::accounts::Role::SchoolOfficer))
                                    .all(|a| a.allows(role))
                        }
                        _ => action.allows(role),
                    };
                    let (status, body) = call(args(inside)).await;
                    // Department-wide endpoints (import, audit, a plan's history) need a grant
                    // on the department.
                    let department_wide = path.contains("import")
                        || path.contains("audit")
                        || matches!(
                            *path,
                            "/api/plans/revisions" | "/api/plans/revision" | "/api/plans/compare"
                        );
                    let expect_ok = allowed && (!department_wide || outside.is_none());
                    // A decision lists only the schools its reader sees: one with none of
                    // theirs is not found.
                    let listed_by_scope = *path == "/recognition/decisions/{id}/document.docx";
                    if expect_ok {
                        assert!(
                            status == 200 || status == 422 || (listed_by_scope && status == 404),
                            "{username} {path} inside: {status} {body}"
                        );
                    } else {
                        assert_eq!(status, 403, "{username} {path} inside, not allowed: {body}");
                    }
                    checked += 1;
                    if let Some(outside) = outside {
                        let (status, body) = call(args(outside)).await;
                        let unit_bound = matches!(
                            *path,
                            "/api/org/unit"
                                | "/api/org/children"
                                | "/api/users/create"
                                | "/api/users/reset-password"
                                | "/api/users/bulk-schools"
                                | "/api/users/set-active"
                                | "/api/users/remove-grant"
                                | "/api/plans/mark-step"
                                | "/api/plans/evidence-delete"
                                | "/plans/{plan}/units/{unit}/evidence/{step}"
                                | "/deployments/{plan}/{unit}/steps/{step}"
                                | "/api/plans/pilot"
                                | "/api/plans/pilot-choices"
                                | "/api/reports/get"
                                | "/api/reports/reopen"
                                | "/api/reports/review"
                                | "/api/reports/save"
                                | "/api/reports/submit"
                                | "/api/reports/file-delete"
                                | "/reports/{cycle}/units/{unit}"
                                | "/reports/{cycle}/units/{unit}/files/{field}"
                                | "/api/recognition/candidates"
                                | "/api/recognition/select"
                                | "/api/recognition/open-own"
                                | "/api/recognition/history"
                                | "/api/recognition/get"
                                | "/api/recognition/save"
                                | "/api/recognition/move"
                                | "/api/recognition/generate-report"
                                | "/recognition/{id}/files"
                                | "/recognition/{id}"
                                | "/api/models/register"
                                | "/api/models/review"
                                | "/models/runs/{id}/evidence"
                                | "/api/emulation/register"
                                | "/emulation"
                                | "/models"
                                | "/day-19-8"
                                | "/api/emulation/send"
                                | "/api/emulation/nominate"
                                | "/api/security-day/save"
                                | "/api/security-day/delete-photo"
                                | "/security-day/{unit}/{year}/photos"
                        );
                        if unit_bound || department_wide || !allowed {
                            assert_eq!(status, 403, "{username} {path} outside: {body}");
                            // Refused, whether as an error or as the caller's own page again:
                            // nothing of the other school is in it.
                            assert!(
                                !body.contains(&other_school.name)
                                    && !body
                                        .contains(&format!("\"code\":\"{}\"", other_school.code)),
                                "{username} {path} outside leaks: {body}"
                            );
                        } else {
                            // Lists answer, but only with what lies inside the scope.
                            assert!(
                                status == 200 || (listed_by_scope && status == 404),
                                "{username} {path} outside: {status} {body}"
                            );
                            assert!(
                                !body.contains(&format!("\"code\":\"{}\"", other_school.code)),
                                "{username} {path} leaks"
                            );
                        }
                        checked += 1;
                    }
                }
            }
            assert_eq!(
                app::store::org::count_units(&app.db).await.unwrap(),
                units_before,
                "{username} {path} changed data"
            );
        }
    }
    // The school officer's list holds their school and nothing else.
    let school_client = app.client_as("truong").await;
    let listed: DirectoryPage = app
        .call_with(
            &school_client,
            "org/search",
            json!({ "filter": DirectoryFilter::default() }),
        )
        .await
        .unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].id, own_school);
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "authorization matrix: {checked} (endpoint × role × scope) cases checked"
    );
}

#[tokio::test]
async fn a_school_officer_typing_another_schools_address_sees_no_permission() {
    let app = TestApp::demo(60).await;
    let admin = app.client_as("quantri").await;
    let school = app.client_as("truong").await;
    let own = me(&app, &school).await.unwrap().grants[0].unit.id;
    let all: DirectoryPage = app
        .call_with(&admin, "org/search", json!({ "filter": DirectoryFilter { kind: Some(UnitKind::School), ..Default::default() } }))
        .await
        .unwrap();
    let other = all.items.iter().find(|s| s.id != own).unwrap();
    let page = school
        .get(app.url(&format!("/units/{}", other.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Không có quyền truy cập"));
    let mine = school
        .get(app.url(&format!("/units/{own}")))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), 200);
}

#[tokio::test]
async fn accounts_for_every_school_must_change_their_password_first() {
    let app = TestApp::demo(30).await;
    let area_client = app.client_as("khuvuc").await;
    let admin = app.client_as("quantri").await;
    let area = me(&app, &area_client).await.unwrap().grants[0].unit.id;
    // An area officer cannot make school officers' accounts: they could do what he cannot
    // (a school's self-assessment), and he would then review it.
    let (status, _) = app
        .call_form::<Vec<app::accounts::IssuedPassword>>(
            &area_client,
            "users/bulk-schools",
            json!({ "unit": area }),
        )
        .await
        .unwrap_err();
    assert_eq!(status, 403);
    let issued: Vec<app::accounts::IssuedPassword> = app
        .call_form(&admin, "users/bulk-schools", json!({ "unit": area }))
        .await
        .unwrap();
    // The demo school officer already covers one school of the commune.
    let again: Vec<app::accounts::IssuedPassword> = app
        .call_form(&admin, "users/bulk-schools", json!({ "unit": area }))
        .await
        .unwrap();
    assert!(again.is_empty(), "a second run creates nothing");
    let listed: Vec<app::accounts::UserSummary> = app
        .call_with(&admin, "users/list", json!({}))
        .await
        .unwrap();
    assert!(listed.iter().any(|u| u.username == "truong"));
    for slip in &issued {
        assert!(slip.username.starts_with("truong86"));
        assert_eq!(slip.password.len(), 12);
        let client = new_client();
        let user = app
            .sign_in(&client, &slip.username, &slip.password)
            .await
            .unwrap();
        assert!(user.must_change_password);
        // Nothing but the password change until then.
        let err = app
            .call_with::<DirectoryPage>(
                &client,
                "org/search",
                json!({ "filter": DirectoryFilter::default() }),
            )
            .await
            .unwrap_err();
        assert!(err.1.contains("đổi mật khẩu"), "{err:?}");
        // Nor through the plain endpoints: downloads, the live stream.
        for path in ["/dashboard.xlsx", "/api/live"] {
            let response = client.get(app.url(path)).send().await.unwrap();
            let status = response.status().as_u16();
            let body = response.bytes().await.unwrap();
            assert_eq!(status, 422, "{path}");
            assert!(!body.starts_with(b"PK"), "{path}: a workbook came back");
            assert!(
                String::from_utf8_lossy(&body).contains("đổi mật khẩu"),
                "{path}"
            );
        }
    }

    // The area officer may not reset a school officer's password (he would hold the
    // account); the administrator's reset ends its sessions and forces a change.
    let area_officer = app.client_as("khuvuc").await;
    let school_client = app.client_as("truong").await;
    let truong = me(&app, &school_client).await.unwrap();
    let (status, body) = app
        .call_with::<app::accounts::IssuedPassword>(
            &area_officer,
            "users/reset-password",
            json!({ "user_id": truong.id }),
        )
        .await
        .unwrap_err();
    assert_eq!(status, 403, "{body}");
    assert!(!body.contains("password\""), "{body}");
    assert!(me(&app, &school_client).await.is_some());
    let slip: app::accounts::IssuedPassword = app
        .call_with(
            &admin,
            "users/reset-password",
            json!({ "user_id": truong.id }),
        )
        .await
        .unwrap();
    assert!(me(&app, &school_client).await.is_none());
    let again = app
        .sign_in(&new_client(), "truong", &slip.password)
        .await
        .unwrap();
    assert!(again.must_change_password);
    // An area officer cannot hand out a department role.
    let err = app
        .call_form::<Value>(
            &area_officer,
            "users/create",
            json!({ "username": "lanh-dao-gia", "full_name": "X", "email": "", "role": "Leader", "unit": area }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.0, 403);
}

/// Signs in through a proxy that says the client is `forwarded`: (status, body).
async fn sign_in_from(
    app: &TestApp,
    forwarded: &str,
    login: &str,
    password: &str,
) -> (u16, String) {
    let response = new_client()
        .post(app.url("/api/accounts/sign-in"))
        .header("x-forwarded-for", forwarded)
        .form(&[("login", login), ("password", password)])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The address the newest session was opened from.
async fn newest_session_address(app: &TestApp) -> String {
    let (address,): (String,) =
        sqlx::query_as("SELECT address FROM sessions ORDER BY created_at DESC LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    address
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_counted_by_its_own_address() {
    // The proxy on loopback appends the address it saw to whatever the client sent.
    let app = TestApp::demo_behind_proxy(5, "127.0.0.1, ::1").await;
    let attacker = "198.51.100.66";
    for i in 0..25 {
        let forged = format!("10.9.{i}.1, {attacker}");
        let (status, _) = sign_in_from(&app, &forged, &format!("khong-co-{i}"), "sai").await;
        assert!(status == 422 || status == 429, "{status}");
    }
    // The attacker's own address is paused, whatever it claims to be…
    let (status, _) = sign_in_from(
        &app,
        &format!("203.0.113.10, {attacker}"),
        "lanhdao",
        DEMO_PASSWORD,
    )
    .await;
    assert_eq!(status, 429);
    // …and everyone else signs in, recorded under their own address.
    let (status, body) = sign_in_from(&app, "203.0.113.10", "lanhdao", DEMO_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    let address = newest_session_address(&app).await;
    assert_eq!(address, "203.0.113.10");
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarding_headers_are_ignored() {
    let app = TestApp::demo(5).await;
    let (status, body) = sign_in_from(&app, "203.0.113.10", "lanhdao", DEMO_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    let address = newest_session_address(&app).await;
    assert_eq!(address, "127.0.0.1");
    // Failures under forged addresses all count against the one real address.
    for i in 0..20 {
        sign_in_from(
            &app,
            &format!("10.9.{i}.1"),
            &format!("khong-co-{i}"),
            "sai",
        )
        .await;
    }
    let (status, _) = sign_in_from(&app, "203.0.113.77", "chuyenvien", DEMO_PASSWORD).await;
    assert_eq!(status, 429);
}

/// The language switch without the bundle: the cookie, and back to the page it was on, never to
/// another site.
#[tokio::test]
async fn the_language_switch_works_as_a_plain_form() {
    let app = TestApp::demo(10).await;
    let client = common::client_without_redirects();
    let post = |to: &str, back: &str| {
        client
            .post(app.url("/language"))
            .form(&[("to", to), ("back", back)])
            .send()
    };
    let r = post("en", "/reports?year=2026").await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/reports?year=2026");
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("antq_lang=en;"), "{cookie}");
    for elsewhere in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "",
    ] {
        let r = post("vi", elsewhere).await.unwrap();
        assert_eq!(r.headers()["location"], "/", "{elsewhere}");
    }
    let r = post("fr", "/").await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn nobody_grants_a_role_that_does_more_than_they_can_or_does_not_fit_the_unit() {
    let app = TestApp::demo(10).await;
    let specialist = app.client_as("chuyenvien").await;
    let area_officer = app.client_as("khuvuc").await;
    let department = me(&app, &specialist).await.unwrap().grants[0].unit.id;
    let area = me(&app, &area_officer).await.unwrap().grants[0].unit.id;
    let school = me(&app, &app.client_as("truong").await)
        .await
        .unwrap()
        .grants[0]
        .unit
        .id;
    let create = |client: &reqwest::Client, name: &str, role: &str, unit: i64| {
        let client = client.clone();
        let args = json!({ "username": name, "full_name": "Người Thử", "email": "",
                           "role": role, "unit": unit });
        let app = &app;
        async move {
            app.call_form::<app::accounts::IssuedPassword>(&client, "users/create", args)
                .await
                .map(|issued| issued.username)
        }
    };
    let refused = [
        // A school officer on the department could change every school's reports.
        (&specialist, "truong-gia", "SchoolOfficer", department, 422),
        // On a school: the specialist cannot submit reports or self-assess, so may not
        // hand out who can.
        (&specialist, "truong-that", "SchoolOfficer", school, 403),
        (&specialist, "khuvuc-gia", "AreaOfficer", area, 403),
        // An area officer's school officer could self-assess what he reviews.
        (&area_officer, "truong-xa", "SchoolOfficer", school, 403),
        (&area_officer, "truong-xa2", "SchoolOfficer", area, 422),
        (&area_officer, "khuvuc-2", "AreaOfficer", area, 403),
    ];
    for (client, name, role, unit, status) in refused {
        let err = create(client, name, role, unit).await.unwrap_err();
        assert_eq!(err.0, status, "{name}: {}", err.1);
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE username = $1")
            .bind(name)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(n, 0, "{name} was created");
    }
    // What they hold, they may give: viewers in their scope.
    assert_eq!(
        create(&area_officer, "xem-xa", "Viewer", area)
            .await
            .unwrap(),
        "xem-xa"
    );
    assert_eq!(
        create(&specialist, "xem-so", "Viewer", department)
            .await
            .unwrap(),
        "xem-so"
    );
    // The administrator, who holds everything, makes a school officer on a school, not on an
    // area.
    let admin = app.client_as("quantri").await;
    assert_eq!(
        create(&admin, "truong-moi", "SchoolOfficer", area)
            .await
            .unwrap_err()
            .0,
        422
    );
    assert_eq!(
        create(&admin, "truong-moi", "SchoolOfficer", school)
            .await
            .unwrap(),
        "truong-moi"
    );
}

#[tokio::test]
async fn an_account_disabled_or_stripped_of_a_grant_loses_its_sessions_at_once() {
    let app = TestApp::demo(10).await;
    let admin = app.client_as("quantri").await;
    let school = app.client_as("truong").await;
    let truong = me(&app, &school).await.unwrap();
    let form = |client: &reqwest::Client, path: &str, fields: Vec<(&str, String)>| {
        let request = client.post(app.url(path)).form(&fields);
        async move {
            let r = request.send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // The area officer cannot disable a school officer (he could not have made one).
    let area_officer = app.client_as("khuvuc").await;
    let (status, body) = form(
        &area_officer,
        "/api/users/set-active",
        vec![
            ("user_id", truong.id.to_string()),
            ("active", "false".into()),
        ],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.contains("truong"), "{body}");
    assert!(me(&app, &school).await.is_some());
    // Nor does the administrator disable himself.
    let own = me(&app, &admin).await.unwrap().id;
    let (status, _) = form(
        &admin,
        "/api/users/set-active",
        vec![("user_id", own.to_string()), ("active", "false".into())],
    )
    .await;
    assert_eq!(status, 422);

    // Disabled: the open session ends, the password no longer signs in.
    let (status, body) = form(
        &admin,
        "/api/users/set-active",
        vec![
            ("user_id", truong.id.to_string()),
            ("active", "false".into()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(me(&app, &school).await.is_none());
    assert_eq!(
        app.sign_in(&new_client(), "truong", DEMO_PASSWORD)
            .await
            .unwrap_err()
            .0,
        422
    );
    // Enabled again, it signs in.
    let (status, _) = form(
        &admin,
        "/api/users/set-active",
        vec![
            ("user_id", truong.id.to_string()),
            ("active", "true".into()),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let school = app.client_as("truong").await;

    // A grant removed: the session ends, and what it gave is gone.
    let grant = &truong.grants[0];
    let (status, body) = form(
        &admin,
        "/api/users/remove-grant",
        vec![
            ("user_id", truong.id.to_string()),
            ("role", "SchoolOfficer".into()),
            ("unit", grant.unit.id.to_string()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(me(&app, &school).await.is_none());
    let again = app.client_as("truong").await;
    assert!(me(&app, &again).await.unwrap().grants.is_empty());

    // Each change is in the audit trail, by whom and on whom.
    let actions: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, entity_id FROM audit_log
         WHERE action IN ('user_disable', 'user_enable', 'grant_remove') ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let on = truong.id.to_string();
    assert_eq!(
        actions,
        vec![
            ("user_disable".to_string(), on.clone()),
            ("user_enable".to_string(), on.clone()),
            ("grant_remove".to_string(), on),
        ]
    );
}

#[tokio::test]
async fn the_command_line_disables_enables_and_removes_a_grant() {
    let app = TestApp::demo(5).await;
    let school = app.client_as("truong").await;
    let truong = me(&app, &school).await.unwrap();
    let run = |args: Vec<String>| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(&args)
            .env("DATABASE_URL", &app.database_url)
            .env("ANTQ_LOG", "warn")
            .output()
            .expect("run the server binary");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, out) = run(vec![
        "disable-user".into(),
        "--username".into(),
        "truong".into(),
    ]);
    assert!(ok, "{out}");
    assert!(me(&app, &school).await.is_none());
    assert!(app
        .sign_in(&new_client(), "truong", DEMO_PASSWORD)
        .await
        .is_err());
    let (ok, out) = run(vec![
        "enable-user".into(),
        "--username".into(),
        "truong".into(),
    ]);
    assert!(ok, "{out}");
    let school = app.client_as("truong").await;
    let (ok, out) = run(vec![
        "remove-grant".into(),
        "--username".into(),
        "truong".into(),
        "--role".into(),
        "school".into(),
        "--unit".into(),
        truong.grants[0].unit.id.to_string(),
    ]);
    assert!(ok, "{out}");
    assert!(me(&app, &school).await.is_none());
    let (ok, out) = run(vec![
        "disable-user".into(),
        "--username".into(),
        "khong-co".into(),
    ]);
    assert!(!ok);
    assert!(out.contains("no account named khong-co"), "{out}");
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE address = 'command line' AND entity_id = $1",
    )
    .bind(truong.id.to_string())
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(n, 3);
}

#[tokio::test]
async fn unreadable_or_oversized_requests_answer_400_and_413() {
    let app = TestApp::demo(3).await;
    let client = app.client_as("chuyenvien").await;
    let post = |path: &str, content_type: &str, body: Vec<u8>| {
        let request = client
            .post(app.url(path))
            .header("content-type", content_type)
            .body(body);
        async move {
            let r = request.send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // Not JSON, the wrong fields, a form missing a field: the request cannot be read.
    let (status, body) = post(
        "/api/reports/get",
        "application/json",
        b"{not json".to_vec(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("BadRequest"), "{body}");
    let (status, body) = post(
        "/api/reports/get",
        "application/json",
        br#"{"cycle": "one"}"#.to_vec(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(
        "/api/users/create",
        "application/x-www-form-urlencoded",
        b"username=x".to_vec(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    // Over the server's limit for any request.
    let (status, _) = post(
        "/api/reports/get",
        "application/json",
        vec![b' '; 40 * 1024 * 1024],
    )
    .await;
    assert_eq!(status, 413);
    // The server still answers.
    assert!(me(&app, &client).await.is_some());
}
