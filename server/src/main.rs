//! `server`: serve the app, migrate, fill a demo province, create the first administrator.

use anyhow::Context;
use app::org::demo::{self, DemoOptions};
use app::state::Settings;
use app::store::Db;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "server",
    version = server::VERSION,
    about = "ANTQ: the movement \"Toàn dân bảo vệ an ninh Tổ quốc\" across a province's schools"
)]
struct Cli {
    #[command(flatten)]
    db: DbArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Args)]
struct DbArgs {
    /// sqlite:PATH or postgres://USER@HOST/DB
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite:./data/antq.db",
        global = true
    )]
    database_url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the app (the default)
    Serve(ServeArgs),
    /// Apply migrations and exit
    Migrate,
    /// Fill an empty database with the demo province, its accounts, plans and reports
    Demo(DemoArgs),
    /// Create an administrator (the password is read from ANTQ_ADMIN_PASSWORD or asked for)
    CreateAdmin(AdminArgs),
    /// Write a consistent backup while the app runs (SQLite: a database file; PostgreSQL:
    /// a pg_dump archive)
    Backup(FileArgs),
    /// Restore a backup into an empty database, then apply newer migrations
    Restore(FileArgs),
    /// Disable an account: it can no longer sign in and its sessions end at once
    DisableUser(UserArgs),
    /// Enable a disabled account again
    EnableUser(UserArgs),
    /// Remove one grant of an account (its sessions end at once)
    RemoveGrant(GrantArgs),
}

#[derive(Args)]
struct UserArgs {
    /// The account's user name
    #[arg(long)]
    username: String,
}

#[derive(Args)]
struct GrantArgs {
    /// The account's user name
    #[arg(long)]
    username: String,
    /// The role: admin, leader, specialist, area, school or viewer
    #[arg(long)]
    role: String,
    /// The id of the unit the grant is on
    #[arg(long)]
    unit: i64,
}

#[derive(Args)]
struct FileArgs {
    /// The backup file (it must not exist yet when backing up)
    file: std::path::PathBuf,
}

#[derive(Args, Default)]
struct ServeArgs {
    /// Address to listen on
    #[arg(long, env = "ANTQ_ADDR", default_value = "127.0.0.1:3000")]
    addr: Option<SocketAddr>,
    /// Demo mode: load the demo province into an empty database and allow the demo accounts
    /// (only on the command line, never from the environment; refused on a database that
    /// holds real accounts)
    #[arg(long)]
    demo: bool,
}

#[derive(Args)]
struct DemoArgs {
    /// Number of schools
    #[arg(long, default_value_t = demo::DEFAULT_SCHOOLS)]
    schools: usize,
    /// Seed: the same seed gives the same province
    #[arg(long, default_value_t = demo::DEFAULT_SEED)]
    seed: u64,
}

#[derive(Args)]
struct AdminArgs {
    #[arg(long)]
    username: String,
    #[arg(long)]
    email: Option<String>,
    #[arg(long, default_value = "Quản trị hệ thống")]
    name: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let filter = EnvFilter::try_from_env("ANTQ_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    if std::env::var("ANTQ_LOG_FORMAT").as_deref() == Ok("json") {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let cli = Cli::parse();
    if let Some(Command::Restore(args)) = &cli.command {
        server::backup::restore(&cli.db.database_url, &args.file).await?;
        println!("restored {}", args.file.display());
        return Ok(());
    }
    let db = Db::connect(&cli.db.database_url).await?;
    db.migrate().await?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve(db, args).await,
        Command::Migrate => {
            tracing::info!(database = db.backend().name(), "migrations applied");
            Ok(())
        }
        Command::Demo(args) => {
            let started = std::time::Instant::now();
            if app::store::org::count_units(&db).await? > 0 {
                anyhow::bail!("the database already holds units; the demo fills an empty one");
            }
            let summary = server::load_demo(
                &db,
                DemoOptions {
                    schools: args.schools,
                    seed: args.seed,
                },
            )
            .await?;
            println!(
                "demo province: {} schools, {} communes and wards, {} former districts, {} divisions in {:.2} s",
                summary.schools,
                summary.communes,
                summary.districts,
                summary.divisions,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Backup(args) => {
            let started = std::time::Instant::now();
            server::backup::backup(&db, &cli.db.database_url, &args.file).await?;
            println!(
                "backup written to {} in {:.1} s",
                args.file.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Restore(_) => Ok(()),
        Command::CreateAdmin(args) => {
            let password = match std::env::var("ANTQ_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => rpassword::prompt_password("Mật khẩu / Password: ")
                    .context("reading the password")?,
            };
            let id = app::store::accounts::create_admin(
                &db,
                &args.username,
                args.email.as_deref(),
                &args.name,
                &password,
            )
            .await
            .map_err(|e| match e {
                app::error::AppError::Invalid(message) => anyhow::anyhow!(message),
                other => anyhow::anyhow!("creating the administrator: {other}"),
            })?;
            println!("administrator {} created (id {id})", args.username);
            Ok(())
        }
        Command::DisableUser(args) => {
            let id = user_id(&db, &args.username).await?;
            app::accounts::admin::set_account_active(&db, None, id, false)
                .await
                .map_err(|e| anyhow::anyhow!("disabling {}: {e}", args.username))?;
            println!("{} disabled; its sessions ended", args.username);
            Ok(())
        }
        Command::EnableUser(args) => {
            let id = user_id(&db, &args.username).await?;
            app::accounts::admin::set_account_active(&db, None, id, true)
                .await
                .map_err(|e| anyhow::anyhow!("enabling {}: {e}", args.username))?;
            println!("{} enabled", args.username);
            Ok(())
        }
        Command::RemoveGrant(args) => {
            let id = user_id(&db, &args.username).await?;
            let role = app::accounts::Role::from_code(&args.role)
                .with_context(|| format!("unknown role {:?}", args.role))?;
            app::accounts::admin::remove_account_grant(&db, None, id, role, args.unit)
                .await
                .map_err(|e| match e {
                    app::error::AppError::Invalid(message) => anyhow::anyhow!(message),
                    other => anyhow::anyhow!("removing the grant: {other}"),
                })?;
            println!(
                "{}: {} on unit {} removed; its sessions ended",
                args.username, args.role, args.unit
            );
            Ok(())
        }
    }
}

/// The id of the account with this user name.
async fn user_id(db: &Db, username: &str) -> anyhow::Result<i64> {
    app::store::accounts::user_by_login(db, &username.trim().to_lowercase())
        .await
        .map_err(|e| anyhow::anyhow!("finding {username}: {e}"))?
        .map(|u| u.id)
        .with_context(|| format!("no account named {username}"))
}

async fn serve(db: Db, args: ServeArgs) -> anyhow::Result<()> {
    let addr = match args.addr {
        Some(addr) => addr,
        None => std::env::var("ANTQ_ADDR")
            .unwrap_or_else(|_| "127.0.0.1:3000".into())
            .parse()
            .context("ANTQ_ADDR must look like 127.0.0.1:3000")?,
    };
    let demo_mode = args.demo;
    if demo_mode {
        let real = app::store::accounts::count_real_accounts(&db).await?;
        if real > 0 {
            anyhow::bail!(
                "--demo refused: this database holds {real} real account(s); demo mode allows \
                 accounts with a published password and is only for a database of its own"
            );
        }
        tracing::warn!("DEMO MODE: the demo accounts' password is published; not for real data");
    }
    if demo_mode && app::store::org::count_units(&db).await? == 0 {
        tracing::info!("empty database: loading the demo province");
        server::load_demo(&db, DemoOptions::default()).await?;
    }
    let settings = Settings::from_env(demo_mode).map_err(anyhow::Error::msg)?;
    // Exports a stopped server was running will not finish: they say so.
    let abandoned = app::store::exports::abandon_unfinished(&db).await?;
    if abandoned > 0 {
        tracing::warn!(abandoned, "unfinished exports marked as failed");
    }
    // Every hour: expired sessions, old sign-in failures and day-old exports go, report
    // reminders go out.
    let purge_db = db.clone();
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match app::store::accounts::purge_stale(&purge_db, chrono::Utc::now()).await {
                Ok(rows) => tracing::debug!(rows, "stale sessions and sign-in failures purged"),
                Err(err) => tracing::warn!(%err, "purging stale sessions failed"),
            }
            let day_ago = (chrono::Utc::now() - chrono::Duration::days(1))
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string();
            if let Err(err) = app::store::exports::purge(&purge_db, &day_ago).await {
                tracing::warn!(%err, "removing old exports failed");
            }
            // Report reminders due today; each goes out once, so running hourly is safe.
            match app::store::reports::send_reminders(&purge_db, app::clock::today()).await {
                Ok(run) => {
                    let units: usize = run.reminded.iter().map(|(_, u)| u.len()).sum();
                    if units > 0 {
                        tracing::info!(units, digests = run.digests.len(), "report reminders sent");
                    }
                }
                Err(err) => tracing::warn!(%err, "sending report reminders failed"),
            }
        }
    });
    // Every minute, when SMTP is configured: e-mail copies of new notices.
    match server::mail::MailSettings::from_env(&format!("http://{addr}")) {
        Some(mail) => {
            let mailer = server::mail::Mailer::new(&mail)?;
            let mail_db = db.clone();
            tracing::info!(from = %mail.from, "e-mail copies of notices are on");
            tokio::spawn(async move {
                let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
                loop {
                    every_minute.tick().await;
                    match mailer.deliver_pending(&mail_db, chrono::Utc::now()).await {
                        Ok(run) if run.sent + run.failed > 0 => {
                            tracing::info!(sent = run.sent, failed = run.failed, "e-mail run");
                        }
                        Ok(_) => {}
                        Err(err) => tracing::warn!(%err, "the e-mail run failed"),
                    }
                }
            });
        }
        None => tracing::info!("ANTQ_SMTP_URL not set: notices are in-app only"),
    }
    let metrics = server::observe::Metrics::from_env();
    let router = server::router_with(db.clone(), settings, addr, metrics.clone());
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    let site = if server::site::is_embedded() {
        "built into the binary".to_string()
    } else {
        let root = server::site_root();
        if !std::path::Path::new(&root).join("pkg").is_dir() {
            tracing::warn!(%root, "no site at LEPTOS_SITE_ROOT: pages will load without their scripts and styles");
        }
        root
    };
    tracing::info!(%addr, database = db.backend().name(), demo = demo_mode, %site, "serving");
    // On SIGTERM: readiness turns 503 at once, live streams end, requests in flight finish,
    // then the pool closes.
    let changes = db.changes().clone();
    let stopping = async move {
        shutdown_signal().await;
        metrics
            .stopping
            .store(true, std::sync::atomic::Ordering::Relaxed);
        changes.close();
    };
    server::serve(listener, router, stopping).await?;
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
