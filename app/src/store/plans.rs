//! SQL for plans: the document registry, plans with their versions, the lifecycle, the units
//! an issued plan goes to, their deployment steps and the coverage computed from them.

use super::changes::Change;
use super::{iso, now_text, parse_opt_date, Db};
use crate::dashboard::Topic;
use crate::error::AppError;
use crate::org::{decode_levels, Ownership, SchoolLevel, UnitRef};
use crate::plans::{
    AreaPilots, Audience, Coverage, CoverageRow, DeployStep, Deployment, Evidence, GroupRef,
    LegalDocument, PilotBoard, PilotKind, PilotSite, PlanContent, PlanStatus, PlanSummary,
    Revision, RevisionSummary, SaveOutcome, StepMark, Transition, UnitGroup,
};
use crate::text::search_key;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, HashMap};

/// Autosaves by the same person within this many minutes make one entry of the history.
const COALESCE_MINUTES: i64 = 10;

fn decode_content(text: &str) -> Result<PlanContent, AppError> {
    serde_json::from_str(text).map_err(|e| {
        tracing::error!(error = %e, "a stored plan does not decode");
        AppError::Internal
    })
}

fn encode_content(content: &PlanContent) -> Result<String, AppError> {
    serde_json::to_string(content).map_err(|_| AppError::Internal)
}

// The registry of documents

pub struct NewDocument<'a> {
    pub kind: &'a str,
    pub number: &'a str,
    pub issued_on: Option<NaiveDate>,
    pub issuer: &'a str,
    pub subject: &'a str,
    pub plan: Option<i64>,
}

/// Adds a document, or finds the one already registered under the same kind, number and
/// issuer.
pub async fn insert_document(
    conn: &mut AnyConnection,
    doc: &NewDocument<'_>,
) -> Result<i64, AppError> {
    let existing: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM legal_documents WHERE kind = $1 AND number = $2 AND issuer = $3",
    )
    .bind(doc.kind)
    .bind(doc.number)
    .bind(doc.issuer)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id,)) = existing {
        return Ok(id);
    }
    let key = search_key(&format!(
        "{} {} {} {}",
        doc.kind, doc.number, doc.issuer, doc.subject
    ));
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO legal_documents (kind, number, issued_on, issuer, subject, search_key,
                                      plan_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(doc.kind)
    .bind(doc.number)
    .bind(doc.issued_on.map(iso))
    .bind(doc.issuer)
    .bind(doc.subject)
    .bind(key)
    .bind(doc.plan)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

fn document_from_row(row: &AnyRow) -> Result<LegalDocument, AppError> {
    Ok(LegalDocument {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        number: row.try_get("number")?,
        issued_on: parse_opt_date(row.try_get("issued_on")?)?,
        issuer: row.try_get("issuer")?,
        subject: row.try_get("subject")?,
        plan: row.try_get("plan_id")?,
    })
}

/// Documents whose kind, number, issuer or subject hold every word of `q` (diacritics and
/// case ignored), newest first.
pub async fn search_documents(
    db: &Db,
    q: &str,
    limit: i64,
) -> Result<Vec<LegalDocument>, AppError> {
    let words: Vec<String> = search_key(q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| format!("%{}%", w.replace(['%', '_'], "")))
        .collect();
    let mut sql = String::from(
        "SELECT id, kind, number, issued_on, issuer, subject, plan_id FROM legal_documents WHERE 1 = 1",
    );
    for n in 0..words.len() {
        sql.push_str(&format!(" AND search_key LIKE ${}", n + 1));
    }
    sql.push_str(&format!(
        " ORDER BY issued_on DESC, id DESC LIMIT ${}",
        words.len() + 1
    ));
    let mut query = sqlx::query(&sql);
    for w in &words {
        query = query.bind(w);
    }
    let rows = query.bind(limit).fetch_all(db.pool()).await?;
    rows.iter().map(document_from_row).collect()
}

pub async fn document(db: &Db, id: i64) -> Result<LegalDocument, AppError> {
    let row = sqlx::query(
        "SELECT id, kind, number, issued_on, issuer, subject, plan_id FROM legal_documents
         WHERE id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    document_from_row(&row)
}

// Plans

/// A plan as stored, with the names the pages show.
#[derive(Debug, Clone)]
pub struct PlanRow {
    pub id: i64,
    pub issuer_unit: i64,
    pub status: PlanStatus,
    pub version: i64,
    pub content: PlanContent,
    pub created_by: i64,
    pub updated_at: String,
    pub updated_by: String,
    pub return_comment: Option<String>,
    pub corrects: Option<i64>,
    pub corrected_by: Option<i64>,
    pub recipients: i64,
}

fn status_of(text: &str) -> Result<PlanStatus, AppError> {
    PlanStatus::from_code(text).ok_or(AppError::Internal)
}

pub async fn create_plan(
    conn: &mut AnyConnection,
    issuer_unit: i64,
    user: i64,
    content: &PlanContent,
    corrects: Option<i64>,
) -> Result<i64, AppError> {
    let now = now_text();
    let text = encode_content(content)?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plans (issuer_unit_id, year, title, number, status, version, content,
                            created_by, created_at, updated_by, updated_at, corrects_plan_id)
         VALUES ($1, $2, $3, $4, 'draft', 1, $5, $6, $7, $6, $7, $8) RETURNING id",
    )
    .bind(issuer_unit)
    .bind(i64::from(content.year))
    .bind(&content.title)
    .bind(&content.number)
    .bind(&text)
    .bind(user)
    .bind(&now)
    .bind(corrects)
    .fetch_one(&mut *conn)
    .await?;
    insert_revision(conn, id, 1, &text, "create", "", user, &now).await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn insert_revision(
    conn: &mut AnyConnection,
    plan: i64,
    version: i64,
    content: &str,
    event: &str,
    comment: &str,
    user: i64,
    at: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO plan_revisions (plan_id, version, content, event, comment, saved_by, saved_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(plan)
    .bind(version)
    .bind(content)
    .bind(event)
    .bind(comment)
    .bind(user)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const PLAN_COLUMNS: &str = "p.id, p.issuer_unit_id, p.status, p.version, p.content, p.created_by,
     p.updated_at, u.full_name AS updated_by, p.return_comment, p.corrects_plan_id,
     (SELECT MIN(c.id) FROM plans c WHERE c.corrects_plan_id = p.id) AS corrected_by,
     (SELECT COUNT(*) FROM plan_units pu WHERE pu.plan_id = p.id) AS recipients";

pub async fn plan(db: &Db, id: i64) -> Result<PlanRow, AppError> {
    let sql = format!(
        "SELECT {PLAN_COLUMNS} FROM plans p JOIN users u ON u.id = p.updated_by WHERE p.id = $1"
    );
    let row = sqlx::query(&sql).bind(id).fetch_one(db.pool()).await?;
    Ok(PlanRow {
        id: row.try_get("id")?,
        issuer_unit: row.try_get("issuer_unit_id")?,
        status: status_of(&row.try_get::<String, _>("status")?)?,
        version: row.try_get("version")?,
        content: decode_content(&row.try_get::<String, _>("content")?)?,
        created_by: row.try_get("created_by")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
        return_comment: row.try_get("return_comment")?,
        corrects: row.try_get("corrects_plan_id")?,
        corrected_by: row.try_get("corrected_by")?,
        recipients: row.try_get("recipients")?,
    })
}

/// Which plans a list shows: every plan (department staff), or only those issued to units
/// in some subtrees (areas and schools).
pub enum PlanVisibility {
    All,
    IssuedWithin(Vec<i64>),
}

pub async fn list_plans(
    db: &Db,
    year: Option<i32>,
    status: Option<PlanStatus>,
    visibility: &PlanVisibility,
    today: NaiveDate,
) -> Result<Vec<PlanSummary>, AppError> {
    let mut sql = String::from(
        "SELECT p.id, p.year, p.title, p.number, p.status, p.updated_at,
                (SELECT COUNT(*) FROM plan_units pu WHERE pu.plan_id = p.id) AS recipients
         FROM plans p WHERE 1 = 1",
    );
    let mut n = 0;
    if year.is_some() {
        n += 1;
        sql.push_str(&format!(" AND p.year = ${n}"));
    }
    if status.is_some() {
        n += 1;
        sql.push_str(&format!(" AND p.status = ${n}"));
    }
    if let PlanVisibility::IssuedWithin(roots) = visibility {
        sql.push_str(&format!(
            " AND p.status IN ('issued', 'ended') AND p.id IN (SELECT pu.plan_id FROM plan_units pu
               JOIN units u ON u.id = pu.unit_id WHERE {})",
            super::accounts::within_sql("u", roots, today)
        ));
    }
    sql.push_str(" ORDER BY p.year DESC, p.updated_at DESC, p.id DESC LIMIT 500");
    let mut query = sqlx::query(&sql);
    if let Some(y) = year {
        query = query.bind(i64::from(y));
    }
    if let Some(s) = status {
        query = query.bind(s.code());
    }
    let rows = query.fetch_all(db.pool()).await?;
    rows.iter().map(summary_from_row).collect()
}

fn summary_from_row(row: &AnyRow) -> Result<PlanSummary, AppError> {
    Ok(PlanSummary {
        id: row.try_get("id")?,
        year: i32::try_from(row.try_get::<i64, _>("year")?).unwrap_or_default(),
        title: row.try_get("title")?,
        number: row.try_get("number")?,
        status: status_of(&row.try_get::<String, _>("status")?)?,
        updated_at: row.try_get("updated_at")?,
        recipients: row.try_get("recipients")?,
    })
}

/// Saves a draft if nobody saved since `expected_version`; otherwise answers with what the
/// other person saved. Autosaves of one person close together make one history entry.
pub async fn save_draft(
    db: &Db,
    id: i64,
    expected_version: i64,
    content: &PlanContent,
    user: i64,
) -> Result<SaveOutcome, AppError> {
    let text = encode_content(content)?;
    let now = now_text();
    let mut tx = db.pool().begin().await?;
    let done = sqlx::query(
        "UPDATE plans SET content = $1, title = $2, number = $3, year = $4, version = version + 1,
                          updated_by = $5, updated_at = $6
         WHERE id = $7 AND version = $8 AND status = 'draft'",
    )
    .bind(&text)
    .bind(&content.title)
    .bind(&content.number)
    .bind(i64::from(content.year))
    .bind(user)
    .bind(&now)
    .bind(id)
    .bind(expected_version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        tx.rollback().await?;
        let current = plan(db, id).await?;
        if current.status != PlanStatus::Draft {
            return Err(AppError::Invalid(
                "Kế hoạch không còn ở trạng thái dự thảo nên không sửa được.".into(),
            ));
        }
        let theirs = revision(db, id, current.version).await?;
        return Ok(SaveOutcome::Conflict {
            theirs: Box::new(theirs),
        });
    }
    let version = expected_version + 1;
    // The newest entry of the history, if it is an autosave of this user made lately.
    let since = (chrono::Utc::now() - chrono::Duration::minutes(COALESCE_MINUTES))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let updated = sqlx::query(
        "UPDATE plan_revisions SET version = $1, content = $2, saved_at = $3
         WHERE plan_id = $4 AND version = $5 AND event = 'save' AND saved_by = $6
           AND saved_at >= $7",
    )
    .bind(version)
    .bind(&text)
    .bind(&now)
    .bind(id)
    .bind(expected_version)
    .bind(user)
    .bind(&since)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        insert_revision(&mut tx, id, version, &text, "save", "", user, &now).await?;
    }
    tx.commit().await?;
    Ok(SaveOutcome::Saved {
        version,
        saved_at: now,
    })
}

/// One version of a plan's history: the exact one, or the newest at or before it (saves that
/// were merged into a later entry have none of their own).
pub async fn revision(db: &Db, plan: i64, version: i64) -> Result<Revision, AppError> {
    let row = sqlx::query(
        "SELECT r.version, r.content, r.saved_at, u.full_name, r.event, r.comment
         FROM plan_revisions r JOIN users u ON u.id = r.saved_by
         WHERE r.plan_id = $1 AND r.version <= $2 ORDER BY r.version DESC LIMIT 1",
    )
    .bind(plan)
    .bind(version)
    .fetch_one(db.pool())
    .await?;
    Ok(Revision {
        version: row.try_get("version")?,
        content: decode_content(&row.try_get::<String, _>("content")?)?,
        saved_at: row.try_get("saved_at")?,
        saved_by: row.try_get("full_name")?,
        event: row.try_get("event")?,
        comment: row.try_get("comment")?,
    })
}

pub async fn revisions(db: &Db, plan: i64) -> Result<Vec<RevisionSummary>, AppError> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT r.version, r.saved_at, u.full_name, r.event, r.comment
         FROM plan_revisions r JOIN users u ON u.id = r.saved_by
         WHERE r.plan_id = $1 ORDER BY r.version DESC",
    )
    .bind(plan)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(version, saved_at, saved_by, event, comment)| RevisionSummary {
                version,
                saved_at,
                saved_by,
                event,
                comment,
            },
        )
        .collect())
}

/// What a lifecycle step carries besides the plan: the comment of a return, the number and
/// date given at issue.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub comment: String,
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
}

/// Moves a plan one step of its lifecycle, if it is where the step starts (a second click
/// or a concurrent reviewer finds it moved and gets a clear error). Issuing sends it to its
/// units, registers it as a document and notifies; a correction ends the plan it corrects.
pub async fn transition(
    db: &Db,
    id: i64,
    step: Transition,
    input: &StepInput,
    user: i64,
    today: NaiveDate,
) -> Result<PlanStatus, AppError> {
    let current = plan(db, id).await?;
    let (from, to) = step.from_to();
    if current.status != from {
        return Err(AppError::Invalid(format!(
            "Kế hoạch đang ở trạng thái “{}”, không thể thực hiện bước này.",
            status_name_vi(current.status)
        )));
    }
    let mut content = current.content.clone();
    if step == Transition::Issue {
        if let Some(number) = &input.number {
            content.number = number.trim().to_string();
        }
        content.date = input.date.or(content.date).or(Some(today));
        if content.number.is_empty() {
            return Err(AppError::Invalid(
                "Hãy ghi số, ký hiệu của kế hoạch trước khi ban hành.".into(),
            ));
        }
    }
    let text = encode_content(&content)?;
    let now = now_text();
    let version = current.version + 1;
    let mut tx = db.pool().begin().await?;
    let return_comment = match step {
        Transition::Return => Some(input.comment.clone()),
        Transition::Submit | Transition::Issue => None,
        Transition::End => current.return_comment.clone(),
    };
    let moved = sqlx::query(
        "UPDATE plans SET status = $1, version = $2, content = $3, number = $4,
                          return_comment = $5, updated_by = $6, updated_at = $7,
                          issued_at = CASE WHEN $1 = 'issued' THEN $7 ELSE issued_at END
         WHERE id = $8 AND version = $9 AND status = $10",
    )
    .bind(to.code())
    .bind(version)
    .bind(&text)
    .bind(&content.number)
    .bind(return_comment)
    .bind(user)
    .bind(&now)
    .bind(id)
    .bind(current.version)
    .bind(from.code())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if moved == 0 {
        return Err(AppError::Invalid(
            "Kế hoạch vừa được người khác thay đổi. Hãy tải lại trang.".into(),
        ));
    }
    insert_revision(
        &mut tx,
        id,
        version,
        &text,
        step.code(),
        &input.comment,
        user,
        &now,
    )
    .await?;
    let link = format!("/plans/{id}");
    match step {
        Transition::Submit => {}
        Transition::Return => {
            notify_user(
                &mut tx,
                current.created_by,
                "plan_returned",
                &format!("Kế hoạch được trả lại: {}", content.title),
                &link,
            )
            .await?;
        }
        Transition::Issue => {
            let document = insert_document(
                &mut tx,
                &NewDocument {
                    kind: "Kế hoạch",
                    number: &content.number,
                    issued_on: content.date,
                    issuer: &content.issuer,
                    subject: &content.title,
                    plan: Some(id),
                },
            )
            .await?;
            sqlx::query("UPDATE plans SET document_id = $1 WHERE id = $2")
                .bind(document)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            send_to_units(&mut tx, id, &content.audience, today).await?;
            sqlx::query(
                "INSERT INTO notifications (unit_id, kind, title, link, created_at)
                 SELECT unit_id, 'plan_issued', $1, $2, $3 FROM plan_units WHERE plan_id = $4",
            )
            .bind(format!(
                "Kế hoạch mới: {} ({})",
                content.title, content.number
            ))
            .bind(&link)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if let Some(old) = current.corrects {
                sqlx::query(
                    "UPDATE plans SET status = 'ended', version = version + 1, updated_by = $1,
                                      updated_at = $2
                     WHERE id = $3 AND status = 'issued'",
                )
                .bind(user)
                .bind(&now)
                .bind(old)
                .execute(&mut *tx)
                .await?;
                let (old_version, old_content): (i64, String) =
                    sqlx::query_as("SELECT version, content FROM plans WHERE id = $1")
                        .bind(old)
                        .fetch_one(&mut *tx)
                        .await?;
                insert_revision(
                    &mut tx,
                    old,
                    old_version,
                    &old_content,
                    "superseded",
                    &format!("Thay thế bởi kế hoạch số {}", content.number),
                    user,
                    &now,
                )
                .await?;
            }
        }
        Transition::End => {}
    }
    // Issuing or ending a plan changes what every dashboard counts.
    let change = Change {
        topic: Topic::Plan,
        units: vec![current.issuer_unit],
        cycle: None,
        plan: Some(id),
    };
    db.commit_announcing(tx, change).await?;
    if step == Transition::Issue {
        db.refresh_statistics(&["plan_units"]).await?;
    }
    Ok(to)
}

pub fn status_name_vi(status: PlanStatus) -> &'static str {
    match status {
        PlanStatus::Draft => "Dự thảo",
        PlanStatus::Submitted => "Chờ duyệt",
        PlanStatus::Issued => "Ban hành",
        PlanStatus::Ended => "Kết thúc",
    }
}

/// SQL that is true for schools `alias` the audience covers on `today`. Ids and codes are
/// ours (enums and integers), never user text.
pub(crate) fn audience_sql(alias: &str, audience: &Audience, today: NaiveDate) -> String {
    let day = iso(today);
    let mut sql = format!(
        "{alias}.kind = 'school' AND {alias}.established_on <= '{day}'
         AND ({alias}.closed_on IS NULL OR {alias}.closed_on > '{day}')"
    );
    // The chosen units and the members of the chosen groups, with what lies under them.
    let mut roots: Vec<String> = Vec::new();
    if !audience.units.is_empty() {
        let ids: Vec<String> = audience.units.iter().map(|u| u.id.to_string()).collect();
        roots.push(format!(
            "SELECT id FROM units WHERE id IN ({})",
            ids.join(", ")
        ));
    }
    if !audience.groups.is_empty() {
        let ids: Vec<String> = audience.groups.iter().map(|g| g.id.to_string()).collect();
        roots.push(format!(
            "SELECT unit_id FROM unit_group_members WHERE group_id IN ({})",
            ids.join(", ")
        ));
    }
    if !roots.is_empty() {
        sql.push_str(" AND ");
        sql.push_str(&super::accounts::within_select_sql(
            alias,
            &roots.join(" UNION "),
            today,
        ));
    }
    if !audience.levels.is_empty() {
        let any: Vec<String> = audience
            .levels
            .iter()
            .map(|l| format!("{alias}.levels LIKE '%,{},%'", l.code()))
            .collect();
        sql.push_str(&format!(" AND ({})", any.join(" OR ")));
    }
    if !audience.ownership.is_empty() {
        let codes: Vec<String> = audience
            .ownership
            .iter()
            .map(|o| format!("'{}'", o.code()))
            .collect();
        sql.push_str(&format!(" AND {alias}.ownership IN ({})", codes.join(", ")));
    }
    sql
}

/// How many schools the audience covers today (the editor shows it before issue).
pub async fn audience_size(
    db: &Db,
    audience: &Audience,
    today: NaiveDate,
) -> Result<i64, AppError> {
    let sql = format!(
        "SELECT COUNT(*) FROM units u WHERE {}",
        audience_sql("u", audience, today)
    );
    let (n,): (i64,) = sqlx::query_as(&sql).fetch_one(db.pool()).await?;
    Ok(n)
}

/// Records the recipients of an issued plan in one statement.
async fn send_to_units(
    conn: &mut AnyConnection,
    plan: i64,
    audience: &Audience,
    today: NaiveDate,
) -> Result<u64, AppError> {
    let sql = format!(
        "INSERT INTO plan_units (plan_id, unit_id) SELECT $1, u.id FROM units u WHERE {}",
        audience_sql("u", audience, today)
    );
    Ok(sqlx::query(&sql)
        .bind(plan)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

/// Starts a correction of an issued plan: a new draft with its own record and history.
pub async fn start_correction(db: &Db, id: i64, user: i64) -> Result<i64, AppError> {
    let current = plan(db, id).await?;
    if current.status != PlanStatus::Issued {
        return Err(AppError::Invalid(
            "Chỉ sửa đổi được kế hoạch đang ban hành.".into(),
        ));
    }
    if let Some(existing) = current.corrected_by {
        return Ok(existing);
    }
    let mut content = current.content;
    content.number.clear();
    content.date = None;
    let mut tx = db.pool().begin().await?;
    let new_id = create_plan(&mut tx, current.issuer_unit, user, &content, Some(id)).await?;
    tx.commit().await?;
    Ok(new_id)
}

// Deployment

/// Whether the plan was sent to a unit in the subtree of one of `roots`.
pub async fn issued_within(
    db: &Db,
    plan: i64,
    roots: &[i64],
    today: NaiveDate,
) -> Result<bool, AppError> {
    let sql = format!(
        "SELECT COUNT(*) FROM plan_units pu JOIN units u ON u.id = pu.unit_id
         WHERE pu.plan_id = $1 AND {}",
        super::accounts::within_sql("u", roots, today)
    );
    let (n,): (i64,) = sqlx::query_as(&sql).bind(plan).fetch_one(db.pool()).await?;
    Ok(n > 0)
}

/// Whether `unit` received plan `plan`.
pub async fn is_recipient(db: &Db, plan: i64, unit: i64) -> Result<bool, AppError> {
    let n: Option<(i64,)> =
        sqlx::query_as("SELECT unit_id FROM plan_units WHERE plan_id = $1 AND unit_id = $2")
            .bind(plan)
            .bind(unit)
            .fetch_optional(db.pool())
            .await?;
    Ok(n.is_some())
}

/// The checklists of the given units (a school officer's school), newest plans first.
pub async fn deployments(db: &Db, units: &[i64]) -> Result<Vec<Deployment>, AppError> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = units.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT p.id, p.year, p.title, p.number, p.status, p.updated_at, pu.unit_id, pu.pilot,
                (SELECT COUNT(*) FROM plan_units x WHERE x.plan_id = p.id) AS recipients,
                (SELECT n.name FROM unit_names n WHERE n.unit_id = pu.unit_id
                 ORDER BY n.valid_from DESC LIMIT 1) AS unit_name,
                (SELECT code FROM units WHERE id = pu.unit_id) AS unit_code
         FROM plan_units pu JOIN plans p ON p.id = pu.plan_id
         WHERE pu.unit_id IN ({}) AND p.status IN ('issued', 'ended')
         ORDER BY p.year DESC, p.issued_at DESC, p.id DESC",
        ids.join(", ")
    );
    let rows = sqlx::query(&sql).fetch_all(db.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let plan = summary_from_row(row)?;
        let unit: i64 = row.try_get("unit_id")?;
        let marks = step_marks(db, plan.id, unit).await?;
        out.push(Deployment {
            may_mark: plan.status == PlanStatus::Issued,
            plan,
            unit: UnitRef {
                id: unit,
                code: row.try_get("unit_code")?,
                name: row.try_get("unit_name")?,
            },
            steps: marks,
            pilot: row.try_get::<i64, _>("pilot")? != 0,
        });
    }
    Ok(out)
}

pub async fn step_marks(db: &Db, plan: i64, unit: i64) -> Result<Vec<StepMark>, AppError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT step, done_on, note FROM plan_steps WHERE plan_id = $1 AND unit_id = $2",
    )
    .bind(plan)
    .bind(unit)
    .fetch_all(db.pool())
    .await?;
    let files: Vec<(String, i64, String, i64)> = sqlx::query_as(
        "SELECT step, id, file_name, size FROM plan_evidence WHERE plan_id = $1 AND unit_id = $2",
    )
    .bind(plan)
    .bind(unit)
    .fetch_all(db.pool())
    .await?;
    let mut marks = Vec::new();
    for step in DeployStep::ALL {
        let found = rows.iter().find(|(s, _, _)| s == step.code());
        marks.push(StepMark {
            step,
            done_on: match found {
                Some((_, d, _)) => Some(super::parse_date(d)?),
                None => None,
            },
            note: found.map(|(_, _, n)| n.clone()).unwrap_or_default(),
            evidence: files
                .iter()
                .find(|f| f.0 == step.code())
                .map(|(_, id, file_name, size)| Evidence {
                    id: *id,
                    file_name: file_name.clone(),
                    size: *size,
                }),
        });
    }
    Ok(marks)
}

// Evidence files

pub struct NewEvidence<'a> {
    pub plan: i64,
    pub unit: i64,
    pub step: DeployStep,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
    pub user: i64,
}

/// Stores the evidence of one step, replacing the file there was.
pub async fn put_evidence(db: &Db, file: &NewEvidence<'_>) -> Result<i64, AppError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM plan_evidence WHERE plan_id = $1 AND unit_id = $2 AND step = $3")
        .bind(file.plan)
        .bind(file.unit)
        .bind(file.step.code())
        .execute(&mut *tx)
        .await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plan_evidence
             (plan_id, unit_id, step, file_name, content_type, size, content, uploaded_by,
              uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(file.plan)
    .bind(file.unit)
    .bind(file.step.code())
    .bind(file.file_name)
    .bind(file.content_type)
    .bind(file.content.len() as i64)
    .bind(file.content.to_vec())
    .bind(file.user)
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes the evidence of one step; false when there was none.
pub async fn delete_evidence(
    db: &Db,
    plan: i64,
    unit: i64,
    step: DeployStep,
) -> Result<bool, AppError> {
    let n =
        sqlx::query("DELETE FROM plan_evidence WHERE plan_id = $1 AND unit_id = $2 AND step = $3")
            .bind(plan)
            .bind(unit)
            .bind(step.code())
            .execute(db.pool())
            .await?
            .rows_affected();
    Ok(n > 0)
}

/// One stored evidence file with its bytes.
pub struct EvidenceFile {
    pub plan: i64,
    pub unit: i64,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

pub async fn evidence_file(db: &Db, id: i64) -> Result<EvidenceFile, AppError> {
    let row: Option<(i64, i64, String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT plan_id, unit_id, file_name, content_type, content FROM plan_evidence
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let (plan, unit, file_name, content_type, content) = row.ok_or(AppError::NotFound)?;
    Ok(EvidenceFile {
        plan,
        unit,
        file_name,
        content_type,
        content,
    })
}

/// Marks a step done on a day (or clears it with `None`). Marking again changes the date.
pub async fn mark_step(
    db: &Db,
    plan: i64,
    unit: i64,
    step: DeployStep,
    done_on: Option<NaiveDate>,
    note: &str,
    user: i64,
) -> Result<(), AppError> {
    let change = {
        let mut conn = db.pool().acquire().await?;
        Change::of_unit(&mut conn, Topic::Deployment, unit, crate::clock::today())
            .await?
            .in_plan(plan)
    };
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM plan_steps WHERE plan_id = $1 AND unit_id = $2 AND step = $3")
        .bind(plan)
        .bind(unit)
        .bind(step.code())
        .execute(&mut *tx)
        .await?;
    if let Some(day) = done_on {
        sqlx::query(
            "INSERT INTO plan_steps (plan_id, unit_id, step, done_on, note, marked_by, marked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(plan)
        .bind(unit)
        .bind(step.code())
        .bind(iso(day))
        .bind(note)
        .bind(user)
        .bind(now_text())
        .execute(&mut *tx)
        .await?;
    }
    db.commit_announcing(tx, change).await?;
    Ok(())
}

/// The levels `unit` teaches, if it received plan `plan`.
pub async fn recipient_levels(
    db: &Db,
    plan: i64,
    unit: i64,
) -> Result<Option<Vec<SchoolLevel>>, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT u.levels FROM plan_units pu JOIN units u ON u.id = pu.unit_id
         WHERE pu.plan_id = $1 AND pu.unit_id = $2",
    )
    .bind(plan)
    .bind(unit)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(levels,)| decode_levels(&levels)))
}

/// Marks or unmarks a recipient as a pilot site of the 19/8 day.
pub async fn set_pilot(db: &Db, plan: i64, unit: i64, pilot: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE plan_units SET pilot = $1 WHERE plan_id = $2 AND unit_id = $3")
        .bind(i64::from(pilot))
        .bind(plan)
        .bind(unit)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Coverage of one plan: for each step, how many recipients have done it, overall and by
/// area (today's managing unit), level and ownership. The database counts per group of
/// (area, levels, ownership), a few hundred rows for a province; they are added up here.
pub async fn coverage(
    db: &Db,
    plan_id: i64,
    scope: &super::org::Scope,
    today: NaiveDate,
) -> Result<Coverage, AppError> {
    // One 0/1 column per step of the checklist; the codes are ours.
    let flags: Vec<String> = DeployStep::ALL
        .iter()
        .enumerate()
        .map(|(k, step)| {
            format!(
                "MAX(CASE WHEN step = '{}' THEN 1 ELSE 0 END) AS s{k}",
                step.code()
            )
        })
        .collect();
    let sums: Vec<String> = (0..DeployStep::ALL.len())
        .map(|k| format!("SUM(COALESCE(st.s{k}, 0))"))
        .collect();
    let sql = format!(
        "SELECT CASE WHEN pk.kind = 'area' THEN l.parent_id END AS area, u.levels, u.ownership,
                COUNT(*), {sums}
         FROM plan_units pu JOIN units u ON u.id = pu.unit_id
         LEFT JOIN unit_links l ON l.unit_id = pu.unit_id AND l.relation = 'managed_by'
              AND l.valid_from <= $2 AND (l.valid_until IS NULL OR l.valid_until > $2)
         LEFT JOIN units pk ON pk.id = l.parent_id
         LEFT JOIN (SELECT unit_id, {flags} FROM plan_steps WHERE plan_id = $1 GROUP BY unit_id)
              st ON st.unit_id = pu.unit_id
         WHERE pu.plan_id = $1 AND {scope}
         GROUP BY CASE WHEN pk.kind = 'area' THEN l.parent_id END, u.levels, u.ownership",
        sums = sums.join(", "),
        flags = flags.join(", "),
        scope = scope.sql("u", today)
    );
    let rows = sqlx::query(&sql)
        .bind(plan_id)
        .bind(iso(today))
        .fetch_all(db.pool())
        .await?;
    let mut groups = Vec::with_capacity(rows.len());
    for row in &rows {
        let area: Option<i64> = row.try_get(0)?;
        let levels: String = row.try_get(1)?;
        let ownership: Option<String> = row.try_get(2)?;
        let total: i64 = row.try_get(3)?;
        let mut done = Vec::with_capacity(DeployStep::ALL.len());
        for k in 0..DeployStep::ALL.len() {
            done.push(row.try_get::<i64, _>(4 + k)?);
        }
        groups.push((area, levels, ownership, total, done));
    }
    let mut areas: Vec<i64> = groups.iter().filter_map(|g| g.0).collect();
    areas.sort_unstable();
    areas.dedup();
    let areas = unit_refs(db, &areas).await?;
    let empty = |label: &str| CoverageRow {
        label: label.to_string(),
        total: 0,
        done: vec![0; DeployStep::ALL.len()],
    };
    let add = |row: &mut CoverageRow, total: i64, done: &[i64]| {
        row.total += total;
        for (sum, d) in row.done.iter_mut().zip(done) {
            *sum += d;
        }
    };
    let mut overall = empty("Toàn tỉnh");
    let mut by_area: BTreeMap<String, CoverageRow> = BTreeMap::new();
    let mut by_level: BTreeMap<usize, CoverageRow> = BTreeMap::new();
    let mut by_ownership: BTreeMap<String, CoverageRow> = BTreeMap::new();
    for (area, levels, ownership, total, done) in &groups {
        add(&mut overall, *total, done);
        let area = match area.and_then(|a| areas.get(&a)) {
            Some(area) => area.name.clone(),
            None => "Trực thuộc Sở".to_string(),
        };
        add(
            by_area.entry(area.clone()).or_insert_with(|| empty(&area)),
            *total,
            done,
        );
        for level in decode_levels(levels) {
            let k = SchoolLevel::ALL
                .iter()
                .position(|l| *l == level)
                .unwrap_or(0);
            add(
                by_level.entry(k).or_insert_with(|| empty(level.code())),
                *total,
                done,
            );
        }
        let own = ownership
            .as_deref()
            .and_then(Ownership::from_code)
            .map_or("—", Ownership::code)
            .to_string();
        add(
            by_ownership
                .entry(own.clone())
                .or_insert_with(|| empty(&own)),
            *total,
            done,
        );
    }
    Ok(Coverage {
        plan: plan_id,
        overall,
        by_area: by_area.into_values().collect(),
        by_level: by_level.into_values().collect(),
        by_ownership: by_ownership.into_values().collect(),
        as_of: now_text(),
    })
}

// Saved groups of units

/// Every saved group with its members, by name.
pub async fn groups(db: &Db) -> Result<Vec<UnitGroup>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM unit_groups ORDER BY name")
        .fetch_all(db.pool())
        .await?;
    let members: Vec<(i64, i64)> =
        sqlx::query_as("SELECT group_id, unit_id FROM unit_group_members")
            .fetch_all(db.pool())
            .await?;
    let mut ids: Vec<i64> = members.iter().map(|m| m.1).collect();
    ids.sort_unstable();
    ids.dedup();
    let refs = unit_refs(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| {
            let mut members: Vec<UnitRef> = members
                .iter()
                .filter(|m| m.0 == id)
                .filter_map(|m| refs.get(&m.1).cloned())
                .collect();
            members.sort_by(|a, b| a.name.cmp(&b.name));
            UnitGroup { id, name, members }
        })
        .collect())
}

/// Saves a new group of existing units; its name must be new.
pub async fn create_group(
    db: &Db,
    name: &str,
    members: &[i64],
    user: i64,
) -> Result<i64, AppError> {
    let mut tx = db.pool().begin().await?;
    let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM unit_groups WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::Invalid(format!("Đã có nhóm tên “{name}”.")));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO unit_groups (name, created_by, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name)
    .bind(user)
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await?;
    for unit in members {
        let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM units WHERE id = $1")
            .bind(unit)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Err(AppError::Invalid(
                "Một đơn vị trong nhóm không còn tồn tại.".into(),
            ));
        }
        sqlx::query("INSERT INTO unit_group_members (group_id, unit_id) VALUES ($1, $2)")
            .bind(id)
            .bind(unit)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Deletes a group; plans already issued to it keep their recipients.
pub async fn delete_group(db: &Db, id: i64) -> Result<String, AppError> {
    let mut tx = db.pool().begin().await?;
    let (name,): (String,) = sqlx::query_as("SELECT name FROM unit_groups WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    sqlx::query("DELETE FROM unit_group_members WHERE group_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM unit_groups WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(name)
}

/// The groups of an audience that no longer exist.
pub async fn missing_groups(db: &Db, audience: &Audience) -> Result<Vec<GroupRef>, AppError> {
    let mut missing = Vec::new();
    for group in &audience.groups {
        let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM unit_groups WHERE id = $1")
            .bind(group.id)
            .fetch_optional(db.pool())
            .await?;
        if found.is_none() {
            missing.push(group.clone());
        }
    }
    Ok(missing)
}

/// Code and current name of each unit, in one query.
pub(crate) async fn unit_refs(db: &Db, ids: &[i64]) -> Result<HashMap<i64, UnitRef>, AppError> {
    let mut refs = HashMap::new();
    if ids.is_empty() {
        return Ok(refs);
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT u.id, u.code, n.name FROM units u JOIN unit_names n ON n.unit_id = u.id
         WHERE u.id IN ({}) ORDER BY n.valid_from",
        list.join(", ")
    );
    // Ordered by start, so the name kept is the newest.
    for (id, code, name) in sqlx::query_as::<_, (i64, String, String)>(&sql)
        .fetch_all(db.pool())
        .await?
    {
        refs.insert(id, UnitRef { id, code, name });
    }
    Ok(refs)
}

// Pilot sites of the 19/8 day

/// The recipients within `scope`, with today's managing unit (when it is an area), levels,
/// pilot flag and the day of their 19/8 step.
type PilotRow = (i64, String, Option<i64>, i64, Option<String>);

async fn recipients_with_area(
    db: &Db,
    plan: i64,
    scope: &super::org::Scope,
    today: NaiveDate,
) -> Result<Vec<PilotRow>, AppError> {
    let sql = format!(
        "SELECT pu.unit_id, u.levels,
                CASE WHEN pk.kind = 'area' THEN l.parent_id END,
                pu.pilot,
                (SELECT s.done_on FROM plan_steps s WHERE s.plan_id = pu.plan_id
                   AND s.unit_id = pu.unit_id AND s.step = 'day_19_8')
         FROM plan_units pu JOIN units u ON u.id = pu.unit_id
         LEFT JOIN unit_links l ON l.unit_id = pu.unit_id AND l.relation = 'managed_by'
              AND l.valid_from <= $2 AND (l.valid_until IS NULL OR l.valid_until > $2)
         LEFT JOIN units pk ON pk.id = l.parent_id
         WHERE pu.plan_id = $1 AND {}",
        scope.sql("u", today)
    );
    Ok(sqlx::query_as(&sql)
        .bind(plan)
        .bind(iso(today))
        .fetch_all(db.pool())
        .await?)
}

/// The pilot sites chosen so far, and the areas (within scope) that should have theirs.
/// The `may_*` flags are left false: the caller's rights are the server function's to say.
pub async fn pilot_board(
    db: &Db,
    plan: i64,
    required: bool,
    scope: &super::org::Scope,
    today: NaiveDate,
) -> Result<PilotBoard, AppError> {
    let rows = recipients_with_area(db, plan, scope, today).await?;
    let mut ids: Vec<i64> = rows
        .iter()
        .filter(|r| r.3 != 0)
        .map(|r| r.0)
        .chain(rows.iter().filter_map(|r| r.2))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let refs = unit_refs(db, &ids).await?;
    let mut areas: BTreeMap<i64, AreaPilots> = BTreeMap::new();
    let mut thpt = Vec::new();
    for (unit, levels, area, pilot, day) in &rows {
        if let Some(area) = area.and_then(|a| refs.get(&a)) {
            areas.entry(area.id).or_insert_with(|| AreaPilots {
                area: area.clone(),
                thcs: Vec::new(),
                primary: Vec::new(),
                may_choose: false,
            });
        }
        if *pilot == 0 {
            continue;
        }
        let Some(unit) = refs.get(unit) else { continue };
        let site = PilotSite {
            unit: unit.clone(),
            levels: decode_levels(levels),
            day_held: day.as_deref().map(super::parse_date).transpose()?,
        };
        match area.and_then(|a| areas.get_mut(&a)) {
            Some(entry) if !site.levels.contains(&SchoolLevel::UpperSecondary) => {
                if site.levels.contains(&SchoolLevel::LowerSecondary) {
                    entry.thcs.push(site.clone());
                }
                if site.levels.contains(&SchoolLevel::Primary) {
                    entry.primary.push(site);
                }
            }
            _ => thpt.push(site),
        }
    }
    let mut areas: Vec<AreaPilots> = areas.into_values().collect();
    areas.sort_by(|a, b| a.area.name.cmp(&b.area.name));
    Ok(PilotBoard {
        required,
        thpt,
        may_choose_thpt: false,
        areas,
    })
}

/// Recipients that could be chosen as a pilot of `kind`: in `area` for THCS and primary, in
/// the whole province for THPT.
pub async fn pilot_choices(
    db: &Db,
    plan: i64,
    area: Option<i64>,
    kind: PilotKind,
    today: NaiveDate,
) -> Result<Vec<UnitRef>, AppError> {
    let scope = match area {
        Some(area) => super::org::Scope::Within(vec![area]),
        None => super::org::Scope::All,
    };
    let rows = recipients_with_area(db, plan, &scope, today).await?;
    let ids: Vec<i64> = rows
        .iter()
        .filter(|r| r.3 == 0 && decode_levels(&r.1).contains(&kind.level()))
        .filter(|r| area.is_none() || r.2 == area)
        .map(|r| r.0)
        .collect();
    let refs = unit_refs(db, &ids).await?;
    let mut out: Vec<UnitRef> = refs.into_values().collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

// Notifications

async fn notify_user(
    conn: &mut AnyConnection,
    user: i64,
    kind: &str,
    title: &str,
    link: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, link, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user)
    .bind(kind)
    .bind(title)
    .bind(link)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A notification row: id, title, link, time, read.
pub type NotificationRow = (i64, String, String, String, bool);

/// The newest notifications for a user: their own and those of the units they hold a
/// grant on.
pub async fn notifications(
    db: &Db,
    user: i64,
    units: &[i64],
    limit: i64,
) -> Result<Vec<NotificationRow>, AppError> {
    let ids = if units.is_empty() {
        "NULL".to_string()
    } else {
        units
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sql = format!(
        "SELECT n.id, n.title, n.link, n.created_at,
                CAST(CASE WHEN r.user_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS seen
         FROM notifications n
         LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = $1
         WHERE n.user_id = $1 OR n.unit_id IN ({ids})
         ORDER BY n.created_at DESC, n.id DESC LIMIT $2"
    );
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(&sql)
        .bind(user)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, link, at, seen)| (id, title, link, at, seen != 0))
        .collect())
}

/// Marks notifications read for a user; only those addressed to them or their units.
pub async fn mark_read(db: &Db, user: i64, units: &[i64], ids: &[i64]) -> Result<(), AppError> {
    let visible: Vec<i64> = notifications(db, user, units, 1000)
        .await?
        .into_iter()
        .filter(|(id, _, _, _, seen)| !seen && ids.contains(id))
        .map(|(id, ..)| id)
        .collect();
    let now = now_text();
    for id in visible {
        sqlx::query(
            "INSERT INTO notification_reads (notification_id, user_id, read_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(user)
        .bind(&now)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}
