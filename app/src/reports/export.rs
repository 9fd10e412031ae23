//! Exports of a cycle, run in the background: the consolidated workbook (XLSX) and the
//! consolidated report (DOCX, Nghị định 30 layout). The page starts one, watches its progress
//! and downloads the file when it is ready; any server instance can answer, as the job and
//! its file live in the database.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// Where a finished export is downloaded.
pub const EXPORT_ENDPOINT: &str = "/exports/{id}";

pub fn export_url(id: i64) -> String {
    EXPORT_ENDPOINT.replace("{id}", &id.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// The workbook: a sheet per breakdown.
    Xlsx,
    /// The consolidated report to sign and send.
    Docx,
}

impl ExportFormat {
    pub fn code(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Docx => "docx",
        }
    }

    pub fn from_code(code: &str) -> Option<ExportFormat> {
        match code {
            "xlsx" => Some(ExportFormat::Xlsx),
            "docx" => Some(ExportFormat::Docx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    /// The file offered for download.
    pub fn file_name(self, cycle: i64) -> String {
        match self {
            ExportFormat::Xlsx => format!("tong-hop-bao-cao-ky-{cycle}.xlsx"),
            ExportFormat::Docx => format!("bao-cao-tong-hop-ky-{cycle}.docx"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobStatus {
    pub fn code(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<JobStatus> {
        match code {
            "queued" => Some(JobStatus::Queued),
            "running" => Some(JobStatus::Running),
            "done" => Some(JobStatus::Done),
            "failed" => Some(JobStatus::Failed),
            _ => None,
        }
    }

    pub fn finished(self) -> bool {
        matches!(self, JobStatus::Done | JobStatus::Failed)
    }
}

/// An export as its page sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportJob {
    pub id: i64,
    pub cycle: i64,
    pub format: ExportFormat,
    pub status: JobStatus,
    /// 0 to 100.
    pub progress: i64,
    /// What it is doing, in Vietnamese ("Đang cộng các chỉ tiêu").
    pub stage: String,
    pub file_name: Option<String>,
    pub error: Option<String>,
}

/// Starts an export of `cycle` over the caller's part of the tree; the answer says where it
/// stands, `export_status` follows it.
#[server(endpoint = "reports/export-start", input = Json)]
pub async fn start_export(cycle: i64, format: ExportFormat) -> Result<ExportJob, AppError> {
    use crate::accounts::Action;
    use crate::store::exports;
    let (state, _, user) = crate::authz::require_any(Action::ViewReports).await?;
    let scope = user.scope_for(&state.db, Action::ViewReports).await?;
    if let Err(e) = crate::store::reports::cycle(&state.db, cycle).await {
        return crate::authz::fail(e);
    }
    let id = exports::create(&state.db, cycle, format, user.id).await?;
    let db = state.db.clone();
    let today = crate::clock::today();
    tokio::spawn(async move {
        let progress = Progress {
            db: &db,
            job: Some(id),
        };
        let outcome = match build(&db, cycle, &scope, today, format, &progress).await {
            Ok(bytes) => exports::finish(&db, id, &format.file_name(cycle), &bytes).await,
            Err(err) => {
                tracing::warn!(job = id, %err, "an export failed");
                exports::fail(&db, id, "Không xuất được tệp; hãy thử lại.").await
            }
        };
        if let Err(err) = outcome {
            tracing::error!(job = id, %err, "recording an export");
        }
    });
    Ok(exports::job(&state.db, id).await?.0)
}

/// Where an export stands; only the person who started it sees it.
#[server(endpoint = "reports/export-status", input = Json)]
pub async fn export_status(job: i64) -> Result<ExportJob, AppError> {
    use crate::accounts::Action;
    let (state, _, user) = crate::authz::require_any(Action::ViewReports).await?;
    match crate::store::exports::job(&state.db, job).await {
        Ok((job, owner)) if owner == user.id => Ok(job),
        Ok(_) => crate::authz::fail(AppError::NotFound),
        Err(e) => crate::authz::fail(e),
    }
}

/// How often the page asks where a running export stands.
const POLL_MILLIS: u64 = 700;

/// Asks where job `id` stands until it is finished.
fn follow(id: i64, job: RwSignal<Option<ExportJob>>, error: RwSignal<Option<AppError>>) {
    leptos::task::spawn_local(async move {
        match export_status(id).await {
            Ok(now) => {
                let finished = now.status.finished();
                job.set(Some(now));
                if !finished {
                    set_timeout(
                        move || follow(id, job, error),
                        std::time::Duration::from_millis(POLL_MILLIS),
                    );
                }
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

/// The export buttons of a cycle's page, the progress of the running export and its
/// download once ready.
#[cfg_attr(feature = "office", island)]
#[cfg_attr(not(feature = "office"), component)]
pub fn ExportPanel(cycle: i64) -> impl IntoView {
    let i = crate::i18n::use_i18n();
    let job = RwSignal::new(None::<ExportJob>);
    let error = RwSignal::new(None::<AppError>);
    let busy = move || job.with(|j| j.as_ref().is_some_and(|j| !j.status.finished()));
    let start = move |format: ExportFormat| {
        error.set(None);
        leptos::task::spawn_local(async move {
            match start_export(cycle, format).await {
                Ok(started) => {
                    let id = started.id;
                    job.set(Some(started));
                    follow(id, job, error);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="export-title" class="export-panel">
            <h2 id="export-title">{i.pick("Xuất tổng hợp", "Export")}</h2>
            <p class="as-of">{i.pick(
                "Báo cáo tổng hợp theo thể thức Nghị định 30 (để chỉnh sửa, ký và gửi) hoặc bảng tính của mọi số liệu; tệp được tạo trên máy chủ, nút tải về hiện ra khi xong.",
                "The consolidated report in the Decree 30 layout (to edit, sign and send) or a workbook of every figure; the file is made on the server and a download appears when it is ready.",
            )}</p>
            <div class="actions">
                <button type="button" class="button" disabled=busy on:click=move |_| start(ExportFormat::Docx)>
                    {i.pick("Báo cáo tổng hợp (DOCX)", "Consolidated report (DOCX)")}
                </button>
                <button type="button" class="button button-secondary" disabled=busy on:click=move |_| start(ExportFormat::Xlsx)>
                    {i.pick("Bảng tổng hợp (XLSX)", "Roll-up workbook (XLSX)")}
                </button>
            </div>
            <div class="export-state" role="status" aria-live="polite">
                {move || job.get().map(|j| match j.status {
                    JobStatus::Done => {
                        let name = j.file_name.clone().unwrap_or_default();
                        view! {
                            <p>
                                <a class="button" href=export_url(j.id) download=name.clone()>
                                    {i.pick("Tải xuống", "Download")}
                                    " "{name.clone()}
                                </a>
                            </p>
                        }.into_any()
                    }
                    JobStatus::Failed => view! {
                        <div class="notice notice-error"><p>{j.error.clone().unwrap_or_default()}</p></div>
                    }.into_any(),
                    JobStatus::Queued | JobStatus::Running => view! {
                        <div class="progress-summary">
                            <label for="export-progress">{j.stage.clone()}" ("{j.progress}"%)"</label>
                            <progress id="export-progress" max="100" value=j.progress.to_string()>
                                {format!("{}%", j.progress)}
                            </progress>
                        </div>
                    }.into_any(),
                })}
                {move || error.get().map(|e| view! { <crate::components::ErrorNotice error=e /> })}
            </div>
        </section>
    }
}

#[cfg(feature = "ssr")]
pub use build::{build, Progress};

#[cfg(feature = "ssr")]
mod build {
    use super::ExportFormat;
    use crate::error::AppError;
    use crate::reports::docx::MISSING_LISTED;
    use crate::reports::ReportStatus;
    use crate::store::org::Scope;
    use crate::store::reports as store;
    use crate::store::Db;
    use chrono::NaiveDate;

    /// Where a running export reports how far it got; nowhere for a direct download.
    pub struct Progress<'a> {
        pub db: &'a Db,
        pub job: Option<i64>,
    }

    impl Progress<'_> {
        async fn step(&self, percent: i64, stage: &str) -> Result<(), AppError> {
            match self.job {
                Some(job) => crate::store::exports::progress(self.db, job, percent, stage).await,
                None => Ok(()),
            }
        }
    }

    /// The bytes of the export of `cycle` as seen within `scope` on `today`.
    pub async fn build(
        db: &Db,
        cycle: i64,
        scope: &Scope,
        today: NaiveDate,
        format: ExportFormat,
        progress: &Progress<'_>,
    ) -> Result<Vec<u8>, AppError> {
        progress.step(5, "Đang đọc kỳ báo cáo").await?;
        let cycle = store::cycle(db, cycle).await?;
        let template = store::template(db, cycle.template).await?;
        progress.step(15, "Đang đếm đơn vị đã nộp").await?;
        let completeness = store::completeness(db, &cycle, scope, today).await?;
        progress.step(40, "Đang cộng các chỉ tiêu").await?;
        let rollup = store::rollup(db, &cycle, &template, scope, today).await?;
        let bytes = match format {
            ExportFormat::Xlsx => {
                progress.step(75, "Đang viết bảng tính").await?;
                crate::reports::xlsx::workbook(&cycle.title, &completeness, &rollup).map_err(
                    |e| {
                        tracing::error!(error = %e, "writing a workbook");
                        AppError::Internal
                    },
                )?
            }
            ExportFormat::Docx => {
                progress
                    .step(60, "Đang lập danh sách đơn vị chưa nộp")
                    .await?;
                // Not in: nothing yet, a draft, or a report sent back for changes.
                let mut missing = Vec::new();
                for status in [
                    ReportStatus::Missing,
                    ReportStatus::Draft,
                    ReportStatus::Returned,
                ] {
                    let left = MISSING_LISTED - missing.len() as i64;
                    if left > 0 {
                        missing.extend(
                            store::unit_statuses(db, &cycle, scope, Some(status), today, left)
                                .await?,
                        );
                    }
                }
                missing.sort_by(|a, b| (&a.area, &a.unit.name).cmp(&(&b.area, &b.unit.name)));
                let missing_total = completeness.overall.expected - completeness.overall.submitted;
                let department = {
                    let mut conn = db.pool().acquire().await?;
                    crate::store::org::department_id(&mut conn).await?
                };
                let department_name = match department {
                    Some(id) => crate::store::org::unit_ref_latest(db, id).await?.name,
                    None => String::new(),
                };
                progress.step(80, "Đang viết báo cáo tổng hợp").await?;
                crate::reports::docx::render(&crate::reports::docx::Consolidated {
                    letterhead: crate::docx::Letterhead::of_department(&department_name),
                    title: &cycle.title,
                    period: cycle.period.label_vi(),
                    due: cycle.dates.due,
                    today,
                    completeness: &completeness,
                    rollup: &rollup,
                    missing: &missing,
                    missing_total,
                })
                .map_err(|e| {
                    tracing::error!(error = %e, "writing a consolidated report");
                    AppError::Internal
                })?
            }
        };
        Ok(bytes)
    }
}
