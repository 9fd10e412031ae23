//! A real server on a free port over a fresh database: SQLite in a temporary folder, or a new
//! PostgreSQL database when `TEST_DATABASE_URL` names a PostgreSQL server.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod reports;

use app::org::demo::{self, DemoOptions};
use app::state::Settings;
use app::store::Db;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

pub struct TestApp {
    pub base: String,
    /// The database's URL.
    pub database_url: String,
    pub db: Db,
    pub client: reqwest::Client,
    _dir: Option<tempfile::TempDir>,
}

static ANNOUNCE: Once = Once::new();
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The backend this run exercises, as `/healthz` must report it.
pub fn expected_backend() -> &'static str {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => "postgres",
        _ => "sqlite",
    }
}

/// A new, empty database: its URL, and the folder that holds it on SQLite.
pub async fn fresh_database() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            let name = format!(
                "antq_test_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let admin = Db::connect(&base)
                .await
                .expect("connect to TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(admin.pool())
                .await
                .expect("create test database");
            admin.close().await;
            let (server, _) = base.rsplit_once('/').expect("URL with a database name");
            (format!("{server}/{name}"), None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("temporary folder");
            let url = format!("sqlite:{}", dir.path().join("test.db").display());
            (url, Some(dir))
        }
    }
}

/// A 200's JSON body, or the status and body of anything else.
async fn decode<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, (u16, String)> {
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    if status == 200 {
        Ok(serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}")))
    } else {
        Err((status, body))
    }
}

/// A client that keeps cookies, as a browser does.
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("HTTP client")
}

/// A client that keeps cookies and does not follow redirects (to read where a form goes).
pub fn client_without_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("HTTP client")
}

impl TestApp {
    /// A demo app whose client is signed in as the demo administrator.
    pub async fn demo_admin(schools: usize) -> TestApp {
        let app = Self::demo(schools).await;
        app.sign_in(&app.client, "quantri", app::authz::DEMO_PASSWORD)
            .await
            .expect("the demo administrator signs in");
        app
    }

    /// Signs `client` in; the error is the status and body.
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        login: &str,
        password: &str,
    ) -> Result<app::accounts::CurrentUser, (u16, String)> {
        let response = client
            .post(self.url("/api/accounts/sign-in"))
            .form(&[("login", login), ("password", password)])
            .send()
            .await
            .expect("POST sign-in");
        decode(response).await
    }

    /// A new client signed in as one of the demo accounts.
    pub async fn client_as(&self, username: &str) -> reqwest::Client {
        let client = new_client();
        self.sign_in(&client, username, app::authz::DEMO_PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("{username} signs in: {e:?}"));
        client
    }

    /// Calls a server function that takes a form (as the app's forms post it).
    pub async fn call_form<T: serde::de::DeserializeOwned>(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: serde_json::Value,
    ) -> Result<T, (u16, String)> {
        let response = client
            .post(self.url(&format!("/api/{endpoint}")))
            .form(&form)
            .send()
            .await
            .expect("POST");
        decode(response).await
    }

    /// Calls a server function with `client`.
    pub async fn call_with<T: serde::de::DeserializeOwned>(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        args: serde_json::Value,
    ) -> Result<T, (u16, String)> {
        let response = client
            .post(self.url(&format!("/api/{endpoint}")))
            .json(&args)
            .send()
            .await
            .expect("POST");
        decode(response).await
    }

    /// An app over an empty, migrated database.
    pub async fn empty() -> TestApp {
        Self::start(None).await
    }

    /// An app over a demo province of `schools` schools (seed 2025).
    pub async fn demo(schools: usize) -> TestApp {
        Self::start(Some(DemoOptions {
            schools,
            seed: demo::DEFAULT_SEED,
        }))
        .await
    }

    /// An app over a demo province behind reverse proxies at `trusted` (as
    /// `ANTQ_TRUSTED_PROXIES` says them).
    pub async fn demo_behind_proxy(schools: usize, trusted: &str) -> TestApp {
        let mut settings = Settings::from_env(true).expect("settings");
        settings.trusted_proxies =
            app::authz::Network::parse_list(trusted).expect("trusted proxies");
        Self::start_with(
            Some(DemoOptions {
                schools,
                seed: demo::DEFAULT_SEED,
            }),
            settings,
        )
        .await
    }

    async fn start(demo_options: Option<DemoOptions>) -> TestApp {
        Self::start_with(demo_options, Settings::from_env(true).expect("settings")).await
    }

    async fn start_with(demo_options: Option<DemoOptions>, settings: Settings) -> TestApp {
        // Written past the test harness's capture, so the run says which database it used.
        ANNOUNCE.call_once(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "integration tests on {}",
                expected_backend()
            );
        });
        let (url, dir) = fresh_database().await;
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        if let Some(options) = demo_options {
            server::load_demo(&db, options)
                .await
                .expect("demo province");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("address");
        let router = server::router(db.clone(), settings, addr);
        tokio::spawn(server::serve(listener, router, std::future::pending()));
        TestApp {
            base: format!("http://{addr}"),
            database_url: url,
            db,
            client: new_client(),
            _dir: dir,
        }
    }

    /// Talks to a server running elsewhere (a process of its own) over `database_url`.
    pub async fn over(base: &str, database_url: &str) -> TestApp {
        TestApp {
            base: base.to_string(),
            database_url: database_url.to_string(),
            db: Db::connect(database_url).await.expect("connect"),
            client: new_client(),
            _dir: None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Calls a server function by its endpoint with JSON arguments.
    pub async fn call<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        args: serde_json::Value,
    ) -> Result<T, (u16, String)> {
        self.call_with(&self.client, endpoint, args).await
    }
}

pub mod live {
    //! Reading the live stream (`/api/live`) as a dashboard does.

    use super::TestApp;
    use std::time::{Duration, Instant};

    /// Reads the live stream until a message arrives or `limit` passes.
    pub async fn next_message(response: &mut reqwest::Response, limit: Duration) -> Option<String> {
        let deadline = Instant::now() + limit;
        let mut text = String::new();
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match tokio::time::timeout(left, response.chunk()).await {
                Ok(Ok(Some(bytes))) => {
                    text.push_str(&String::from_utf8_lossy(&bytes));
                    if let Some(line) = text.lines().find(|l| l.starts_with("data:")) {
                        return Some(line.to_string());
                    }
                }
                _ => return None,
            }
        }
    }

    pub async fn open_live(
        app: &TestApp,
        base: &str,
        client: &reqwest::Client,
    ) -> reqwest::Response {
        let _ = app;
        let response = client.get(format!("{base}/api/live")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        response
    }
}

pub mod smtp {
    //! A local SMTP sink: a real SMTP server on a free loopback port that accepts every
    //! message and keeps it, for tests of what the app mails.

    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    #[derive(Debug, Clone, Default)]
    pub struct Received {
        pub from: String,
        pub to: Vec<String>,
        /// Headers and body as sent, dot-unstuffed.
        pub data: String,
    }

    impl Received {
        /// The body as text, quoted-printable decoded when it was sent so.
        pub fn body(&self) -> String {
            let (headers, body) = self.data.split_once("\n\n").unwrap_or(("", &self.data));
            if !headers.contains("Content-Transfer-Encoding: quoted-printable") {
                return body.to_string();
            }
            let joined = body.replace("=\n", "");
            let mut bytes = Vec::new();
            let mut rest = joined.as_bytes();
            while let Some((&b, tail)) = rest.split_first() {
                match (b, tail) {
                    (b'=', [h, l, more @ ..]) => {
                        let hex = std::str::from_utf8(&[*h, *l]).unwrap().to_string();
                        bytes.push(u8::from_str_radix(&hex, 16).unwrap());
                        rest = more;
                    }
                    _ => {
                        bytes.push(b);
                        rest = tail;
                    }
                }
            }
            String::from_utf8(bytes).unwrap()
        }
    }

    pub struct SmtpSink {
        pub port: u16,
        pub received: Arc<Mutex<Vec<Received>>>,
    }

    impl SmtpSink {
        pub async fn start() -> SmtpSink {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let received = Arc::new(Mutex::new(Vec::new()));
            let store = received.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(session(stream, store.clone()));
                }
            });
            SmtpSink { port, received }
        }

        pub fn url(&self) -> String {
            format!("smtp://127.0.0.1:{}", self.port)
        }

        pub fn messages(&self) -> Vec<Received> {
            self.received.lock().unwrap().clone()
        }
    }

    async fn session(stream: tokio::net::TcpStream, store: Arc<Mutex<Vec<Received>>>) {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut current = Received::default();
        if write.write_all(b"220 sink ESMTP\r\n").await.is_err() {
            return;
        }
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" => b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                "HELO" | "NOOP" => b"250 OK\r\n",
                "RSET" => {
                    current = Received::default();
                    b"250 OK\r\n"
                }
                "MAIL" => {
                    current.from = address(&line);
                    b"250 OK\r\n"
                }
                "RCPT" => {
                    current.to.push(address(&line));
                    b"250 OK\r\n"
                }
                "DATA" => {
                    if write.write_all(b"354 go on\r\n").await.is_err() {
                        return;
                    }
                    while let Ok(Some(data)) = lines.next_line().await {
                        if data == "." {
                            break;
                        }
                        let data = data.strip_prefix('.').unwrap_or(&data);
                        current.data.push_str(data);
                        current.data.push('\n');
                    }
                    store.lock().unwrap().push(std::mem::take(&mut current));
                    b"250 queued\r\n"
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                _ => b"502 not implemented\r\n",
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }

    fn address(line: &str) -> String {
        line.split_once('<')
            .and_then(|(_, rest)| rest.split_once('>'))
            .map(|(a, _)| a.to_string())
            .unwrap_or_default()
    }
}

/// The server binary in a process of its own, as the operating system runs it, over a
/// database prepared beforehand: what a crash test can kill.
pub struct ServerProcess {
    child: std::process::Child,
    pub base: String,
}

impl ServerProcess {
    /// Starts `server serve --demo` on a free port and waits until it is ready.
    pub async fn start(database_url: &str) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["serve", "--demo"])
            .env("DATABASE_URL", database_url)
            .env("ANTQ_ADDR", format!("127.0.0.1:{port}"))
            .env("ANTQ_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start the server binary");
        let process = ServerProcess {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = new_client();
        for _ in 0..600 {
            let ready = client
                .get(format!("{}/readyz", process.base))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ready {
                return process;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the server process was not ready within a minute");
    }

    /// Asks the process to stop, as systemd does (SIGTERM).
    pub fn terminate(&mut self) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
    }

    /// How the process ended, if it did within `limit`.
    pub async fn exited_within(
        &mut self,
        limit: std::time::Duration,
    ) -> Option<std::process::ExitStatus> {
        let until = std::time::Instant::now() + limit;
        while std::time::Instant::now() < until {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        None
    }

    /// Ends the process at once with SIGKILL: no shutdown code runs.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
