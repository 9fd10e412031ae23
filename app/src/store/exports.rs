//! SQL for background exports: a job row with its progress, then its file.

use super::{now_text, Db};
use crate::error::AppError;
use crate::reports::export::{ExportFormat, ExportJob, JobStatus};

type JobTuple = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    i64,
);

fn job_from(t: JobTuple) -> Result<(ExportJob, i64), AppError> {
    let format = ExportFormat::from_code(&t.2).ok_or(AppError::Internal)?;
    let status = JobStatus::from_code(&t.3).ok_or(AppError::Internal)?;
    Ok((
        ExportJob {
            id: t.0,
            cycle: t.1,
            format,
            status,
            progress: t.4,
            stage: t.5,
            file_name: t.6,
            error: t.7,
        },
        t.8,
    ))
}

/// Queues an export of `cycle` for `user`.
pub async fn create(db: &Db, cycle: i64, format: ExportFormat, user: i64) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO export_jobs (format, cycle_id, requested_by, status, stage, created_at)
         VALUES ($1, $2, $3, 'queued', 'Đang chờ', $4) RETURNING id",
    )
    .bind(format.code())
    .bind(cycle)
    .bind(user)
    .bind(now_text())
    .fetch_one(db.pool())
    .await?;
    Ok(id)
}

pub async fn progress(db: &Db, id: i64, percent: i64, stage: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE export_jobs SET status = 'running', progress = $2, stage = $3
         WHERE id = $1 AND status IN ('queued', 'running')",
    )
    .bind(id)
    .bind(percent.clamp(0, 99))
    .bind(stage)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn finish(db: &Db, id: i64, file_name: &str, content: &[u8]) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE export_jobs SET status = 'done', progress = 100, stage = 'Xong',
                file_name = $2, content = $3, finished_at = $4
         WHERE id = $1",
    )
    .bind(id)
    .bind(file_name)
    .bind(content)
    .bind(now_text())
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn fail(db: &Db, id: i64, error: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE export_jobs SET status = 'failed', stage = 'Lỗi', error = $2, finished_at = $3
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(now_text())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The job and who asked for it.
pub async fn job(db: &Db, id: i64) -> Result<(ExportJob, i64), AppError> {
    let row: Option<JobTuple> = sqlx::query_as(
        "SELECT id, cycle_id, format, status, progress, stage, file_name, error, requested_by
         FROM export_jobs WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    job_from(row.ok_or(AppError::NotFound)?)
}

/// The file of a finished job: its name, format and bytes, with who asked for it.
pub async fn file(db: &Db, id: i64) -> Result<(String, ExportFormat, Vec<u8>, i64), AppError> {
    let row: Option<(String, String, Vec<u8>, i64)> = sqlx::query_as(
        "SELECT file_name, format, content, requested_by FROM export_jobs
         WHERE id = $1 AND status = 'done'",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let (name, format, content, user) = row.ok_or(AppError::NotFound)?;
    let format = ExportFormat::from_code(&format).ok_or(AppError::Internal)?;
    Ok((name, format, content, user))
}

/// Jobs left unfinished by a server that stopped: they will not finish, so they say so.
pub async fn abandon_unfinished(db: &Db) -> Result<u64, AppError> {
    let done = sqlx::query(
        "UPDATE export_jobs SET status = 'failed', stage = 'Lỗi',
                error = 'Máy chủ đã khởi động lại khi đang xuất tệp; hãy xuất lại.', finished_at = $1
         WHERE status IN ('queued', 'running')",
    )
    .bind(now_text())
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// Removes jobs and their files created before `before` (RFC 3339 text).
pub async fn purge(db: &Db, before: &str) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM export_jobs WHERE created_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// How many exports are queued or running now.
pub async fn running(db: &Db) -> Result<i64, AppError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM export_jobs WHERE status IN ('queued', 'running')")
            .fetch_one(db.pool())
            .await?;
    Ok(n)
}
