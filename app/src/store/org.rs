//! SQL for the organisation. A unit's names and parents are spans of days
//! `[valid_from, valid_until)`; "the tree as of D" keeps the spans that contain D.

use super::{iso, now_text, parse_date, parse_opt_date, Db};
use crate::error::AppError;
use crate::org::{
    decode_levels, encode_levels, AreaType, DirectoryFilter, DirectoryPage, EventKind, LinkSpan,
    NameSpan, OrgEvent, OrgOverview, Ownership, Relation, SchoolLevel, TreeNode, UnitDetail,
    UnitKind, UnitRef, UnitSummary,
};
use crate::text::search_key;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// `alias` was in force on the date bound to parameter `param`.
pub(super) fn valid_at(alias: &str, param: &str) -> String {
    format!(
        "{alias}.valid_from <= {param} AND ({alias}.valid_until IS NULL OR {alias}.valid_until > {param})"
    )
}

/// `alias` (a unit) existed on the date bound to `param`.
pub(super) fn exists_at(alias: &str, param: &str) -> String {
    format!(
        "{alias}.established_on <= {param} AND ({alias}.closed_on IS NULL OR {alias}.closed_on > {param})"
    )
}

pub(super) const KIND_ORDER: &str = "CASE u.kind WHEN 'department' THEN 0 WHEN 'division' THEN 1 \
                          WHEN 'area' THEN 2 ELSE 3 END";

/// The part of the tree a reader may see: everything, or the subtrees (today) of some units.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    All,
    Within(Vec<i64>),
}

impl Scope {
    /// SQL true for `alias` rows inside the scope.
    pub fn sql(&self, alias: &str, today: NaiveDate) -> String {
        match self {
            Scope::All => "1 = 1".to_string(),
            Scope::Within(roots) => super::accounts::within_sql(alias, roots, today),
        }
    }
}

/// A unit to create, already validated.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub area_type: Option<AreaType>,
    pub levels: Vec<SchoolLevel>,
    pub ownership: Option<Ownership>,
    pub staff_count: Option<i64>,
    pub student_count: Option<i64>,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub established_on: NaiveDate,
}

pub async fn insert_unit(conn: &mut AnyConnection, unit: &NewUnit) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO units (code, kind, area_type, levels, ownership, staff_count, student_count,
                            address, latitude, longitude, established_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(&unit.code)
    .bind(unit.kind.code())
    .bind(unit.area_type.map(AreaType::code))
    .bind(encode_levels(&unit.levels))
    .bind(unit.ownership.map(Ownership::code))
    .bind(unit.staff_count)
    .bind(unit.student_count)
    .bind(&unit.address)
    .bind(unit.latitude)
    .bind(unit.longitude)
    .bind(iso(unit.established_on))
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO unit_names (unit_id, name, search_key, valid_from) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(&unit.name)
    .bind(name_key(&unit.code, &unit.name))
    .bind(iso(unit.established_on))
    .execute(&mut *conn)
    .await?;
    record_event(
        conn,
        id,
        EventKind::Established,
        unit.established_on,
        None,
        "",
    )
    .await?;
    Ok(id)
}

/// The text a search matches against: the name and the code, folded.
fn name_key(code: &str, name: &str) -> String {
    format!("{} {}", search_key(name), search_key(code))
}

/// Hangs `unit` under `parent` from `from` on.
pub async fn link(
    conn: &mut AnyConnection,
    unit: i64,
    parent: i64,
    relation: Relation,
    from: NaiveDate,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO unit_links (unit_id, parent_id, relation, valid_from) VALUES ($1, $2, $3, $4)",
    )
    .bind(unit)
    .bind(parent)
    .bind(relation.code())
    .bind(iso(from))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn record_event(
    conn: &mut AnyConnection,
    unit: i64,
    kind: EventKind,
    on: NaiveDate,
    related: Option<i64>,
    note: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO org_events (unit_id, kind, effective_on, related_unit_id, note, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(unit)
    .bind(kind.code())
    .bind(iso(on))
    .bind(related)
    .bind(note)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Refuses an operation dated before a unit's latest change, which would rewrite history.
async fn ensure_open_on(
    conn: &mut AnyConnection,
    unit: i64,
    on: NaiveDate,
) -> Result<(), AppError> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT established_on, closed_on FROM units WHERE id = $1")
            .bind(unit)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((established, closed)) = row else {
        return Err(AppError::NotFound);
    };
    if parse_date(&established)? > on {
        return Err(AppError::Invalid(format!(
            "Ngày hiệu lực {} trước ngày thành lập đơn vị.",
            on.format("%d/%m/%Y")
        )));
    }
    if closed.is_some() {
        return Err(AppError::Invalid(
            "Đơn vị đã ngừng hoạt động hoặc đã sáp nhập, không thể thay đổi thêm.".into(),
        ));
    }
    Ok(())
}

pub async fn rename(
    conn: &mut AnyConnection,
    unit: i64,
    new_name: &str,
    on: NaiveDate,
) -> Result<(), AppError> {
    ensure_open_on(conn, unit, on).await?;
    let (code, old_name): (String, String) = sqlx::query_as(
        "SELECT u.code, n.name FROM units u JOIN unit_names n ON n.unit_id = u.id
         WHERE u.id = $1 AND n.valid_until IS NULL",
    )
    .bind(unit)
    .fetch_one(&mut *conn)
    .await?;
    if old_name == new_name {
        return Ok(());
    }
    // A rename on the day the current name began replaces it rather than leaving an empty span.
    sqlx::query(
        "DELETE FROM unit_names WHERE unit_id = $1 AND valid_until IS NULL AND valid_from = $2",
    )
    .bind(unit)
    .bind(iso(on))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE unit_names SET valid_until = $1 WHERE unit_id = $2 AND valid_until IS NULL",
    )
    .bind(iso(on))
    .bind(unit)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO unit_names (unit_id, name, search_key, valid_from) VALUES ($1, $2, $3, $4)",
    )
    .bind(unit)
    .bind(new_name)
    .bind(name_key(&code, new_name))
    .bind(iso(on))
    .execute(&mut *conn)
    .await?;
    record_event(
        conn,
        unit,
        EventKind::Renamed,
        on,
        None,
        &format!("{old_name} → {new_name}"),
    )
    .await
}

/// Ends the unit's current `relation` link on `on` and starts one under `new_parent`.
pub async fn move_unit(
    conn: &mut AnyConnection,
    unit: i64,
    relation: Relation,
    new_parent: i64,
    on: NaiveDate,
) -> Result<(), AppError> {
    ensure_open_on(conn, unit, on).await?;
    end_links_of_child(conn, unit, Some(relation), on).await?;
    link(conn, unit, new_parent, relation, on).await?;
    record_event(
        conn,
        unit,
        EventKind::Moved,
        on,
        Some(new_parent),
        relation.code(),
    )
    .await
}

async fn end_links_of_child(
    conn: &mut AnyConnection,
    unit: i64,
    relation: Option<Relation>,
    on: NaiveDate,
) -> Result<(), AppError> {
    let relation = relation.map(Relation::code).unwrap_or("");
    sqlx::query(
        "DELETE FROM unit_links WHERE unit_id = $1 AND valid_until IS NULL AND valid_from = $2
           AND ($3 = '' OR relation = $3)",
    )
    .bind(unit)
    .bind(iso(on))
    .bind(relation)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE unit_links SET valid_until = $1
         WHERE unit_id = $2 AND valid_until IS NULL AND ($3 = '' OR relation = $3)",
    )
    .bind(iso(on))
    .bind(unit)
    .bind(relation)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Merges `sources` into `target` on `on`: everything hanging under a source hangs under
/// the target from that day; each source is closed but keeps its names, links and events.
pub async fn merge(
    conn: &mut AnyConnection,
    sources: &[i64],
    target: i64,
    on: NaiveDate,
) -> Result<(), AppError> {
    if sources.is_empty() || sources.contains(&target) {
        return Err(AppError::Invalid(
            "Cần ít nhất một đơn vị bị sáp nhập, khác với đơn vị tiếp nhận.".into(),
        ));
    }
    ensure_open_on(conn, target, on).await?;
    for &source in sources {
        ensure_open_on(conn, source, on).await?;
        sqlx::query(
            "INSERT INTO unit_links (unit_id, parent_id, relation, valid_from)
             SELECT unit_id, $1, relation, $2 FROM unit_links
             WHERE parent_id = $3 AND valid_until IS NULL",
        )
        .bind(target)
        .bind(iso(on))
        .bind(source)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE unit_links SET valid_until = $1 WHERE parent_id = $2 AND valid_until IS NULL",
        )
        .bind(iso(on))
        .bind(source)
        .execute(&mut *conn)
        .await?;
        close_unit_row(conn, source, on, Some(target)).await?;
        record_event(conn, source, EventKind::MergedInto, on, Some(target), "").await?;
        record_event(conn, target, EventKind::Absorbed, on, Some(source), "").await?;
    }
    Ok(())
}

/// Closes a unit that no longer has anything under it.
pub async fn close(conn: &mut AnyConnection, unit: i64, on: NaiveDate) -> Result<(), AppError> {
    ensure_open_on(conn, unit, on).await?;
    let (children,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM unit_links WHERE parent_id = $1 AND valid_until IS NULL",
    )
    .bind(unit)
    .fetch_one(&mut *conn)
    .await?;
    if children > 0 {
        return Err(AppError::Invalid(format!(
            "Đơn vị còn {children} đơn vị trực thuộc; hãy chuyển hoặc sáp nhập trước khi đóng."
        )));
    }
    close_unit_row(conn, unit, on, None).await?;
    record_event(conn, unit, EventKind::Closed, on, None, "").await
}

async fn close_unit_row(
    conn: &mut AnyConnection,
    unit: i64,
    on: NaiveDate,
    merged_into: Option<i64>,
) -> Result<(), AppError> {
    end_links_of_child(conn, unit, None, on).await?;
    sqlx::query(
        "UPDATE unit_names SET valid_until = $1 WHERE unit_id = $2 AND valid_until IS NULL",
    )
    .bind(iso(on))
    .bind(unit)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE units SET closed_on = $1, merged_into = $2 WHERE id = $3")
        .bind(iso(on))
        .bind(merged_into)
        .bind(unit)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The school's fields an import may change.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolFields {
    pub levels: Vec<SchoolLevel>,
    pub ownership: Option<Ownership>,
    pub staff_count: Option<i64>,
    pub student_count: Option<i64>,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A school as an import compares it: current name, area, manager and fields.
#[derive(Debug, Clone)]
pub struct ExistingSchool {
    pub id: i64,
    pub name: String,
    pub area: Option<i64>,
    pub manager: Option<i64>,
    pub fields: SchoolFields,
}

pub async fn school_by_code(
    conn: &mut AnyConnection,
    code: &str,
    today: NaiveDate,
) -> Result<Option<ExistingSchool>, AppError> {
    let sql = format!(
        "SELECT u.id, u.kind, n.name, u.levels, u.ownership, u.staff_count, u.student_count,
                u.address, u.latitude, u.longitude,
                (SELECT l.parent_id FROM unit_links l WHERE l.unit_id = u.id
                   AND l.relation = 'located_in' AND {la}) AS area_id,
                (SELECT m.parent_id FROM unit_links m WHERE m.unit_id = u.id
                   AND m.relation = 'managed_by' AND {ma}) AS manager_id
         FROM units u JOIN unit_names n ON n.unit_id = u.id AND {na}
         WHERE u.code = $2",
        la = valid_at("l", "$1"),
        ma = valid_at("m", "$1"),
        na = valid_at("n", "$1"),
    );
    let row = sqlx::query(&sql)
        .bind(iso(today))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let kind: String = row.try_get("kind")?;
    if kind != UnitKind::School.code() {
        return Err(AppError::Invalid(format!(
            "Mã {code} đã được dùng cho một đơn vị không phải trường."
        )));
    }
    Ok(Some(ExistingSchool {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        area: row.try_get("area_id")?,
        manager: row.try_get("manager_id")?,
        fields: SchoolFields {
            levels: decode_levels(&row.try_get::<String, _>("levels")?),
            ownership: row
                .try_get::<Option<String>, _>("ownership")?
                .as_deref()
                .and_then(Ownership::from_code),
            staff_count: row.try_get("staff_count")?,
            student_count: row.try_get("student_count")?,
            address: row.try_get("address")?,
            latitude: row.try_get("latitude")?,
            longitude: row.try_get("longitude")?,
        },
    }))
}

pub async fn update_school_fields(
    conn: &mut AnyConnection,
    unit: i64,
    fields: &SchoolFields,
    on: NaiveDate,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE units SET levels = $1, ownership = $2, staff_count = $3, student_count = $4,
                          address = $5, latitude = $6, longitude = $7
         WHERE id = $8",
    )
    .bind(encode_levels(&fields.levels))
    .bind(fields.ownership.map(Ownership::code))
    .bind(fields.staff_count)
    .bind(fields.student_count)
    .bind(&fields.address)
    .bind(fields.latitude)
    .bind(fields.longitude)
    .bind(unit)
    .execute(&mut *conn)
    .await?;
    record_event(conn, unit, EventKind::Updated, on, None, "").await
}

/// Areas (and the department) open on `on`, by code, for resolving an import's area column.
pub async fn open_unit_by_code(
    conn: &mut AnyConnection,
    code: &str,
    on: NaiveDate,
) -> Result<Option<(i64, UnitKind)>, AppError> {
    let sql = format!(
        "SELECT u.id, u.kind FROM units u WHERE u.code = $1 AND {}",
        exists_at("u", "$2")
    );
    let row: Option<(i64, String)> = sqlx::query_as(&sql)
        .bind(code)
        .bind(iso(on))
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.and_then(|(id, kind)| UnitKind::from_code(&kind).map(|k| (id, k))))
}

/// What a unit is, if it exists.
pub async fn kind_of(db: &Db, unit: i64) -> Result<Option<UnitKind>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT kind FROM units WHERE id = $1")
        .bind(unit)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.and_then(|(kind,)| UnitKind::from_code(&kind)))
}

pub async fn department_id(conn: &mut AnyConnection) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM units WHERE kind = 'department' ORDER BY id LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn count_units(db: &Db) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM units")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

const SUMMARY_COLUMNS: &str = "u.id, u.code, u.kind, u.area_type, u.levels, u.ownership,
    u.staff_count, u.student_count, n.name, a.id AS area_id, a.code AS area_code,
    an.name AS area_name";

/// Joins that give a unit its name and its area as of parameter `$1`.
fn summary_joins() -> String {
    format!(
        "JOIN unit_names n ON n.unit_id = u.id AND {n}
         LEFT JOIN unit_links l ON l.unit_id = u.id AND l.relation = 'located_in' AND {l}
         LEFT JOIN units a ON a.id = l.parent_id
         LEFT JOIN unit_names an ON an.unit_id = a.id AND {an}",
        n = valid_at("n", "$1"),
        l = valid_at("l", "$1"),
        an = valid_at("an", "$1"),
    )
}

fn summary_from_row(row: &AnyRow) -> Result<UnitSummary, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let area_id: Option<i64> = row.try_get("area_id")?;
    let area = match area_id {
        Some(id) => Some(UnitRef {
            id,
            code: row
                .try_get::<Option<String>, _>("area_code")?
                .unwrap_or_default(),
            name: row
                .try_get::<Option<String>, _>("area_name")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(UnitSummary {
        id: row.try_get("id")?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        kind: UnitKind::from_code(&kind)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown unit kind {kind}").into()))?,
        area_type: row
            .try_get::<Option<String>, _>("area_type")?
            .as_deref()
            .and_then(AreaType::from_code),
        levels: decode_levels(&row.try_get::<String, _>("levels")?),
        ownership: row
            .try_get::<Option<String>, _>("ownership")?
            .as_deref()
            .and_then(Ownership::from_code),
        area,
        staff_count: row.try_get("staff_count")?,
        student_count: row.try_get("student_count")?,
    })
}

/// The directory: units that existed on the filter's date, matching every word of the
/// query (diacritics and case ignored) and the filters, a page at a time.
pub async fn search(
    db: &Db,
    filter: &DirectoryFilter,
    today: NaiveDate,
    scope: &Scope,
) -> Result<DirectoryPage, AppError> {
    let as_of = filter.as_of.unwrap_or(today);
    let index = super::directory::index(db, as_of).await?;
    let within = super::directory::scope_ids(db, scope, today).await?;
    let (ids, total) = index.search(filter, within.as_ref());
    let items = if ids.is_empty() {
        Vec::new()
    } else {
        // The ids come from the database, never from the request.
        let id_list = ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM units u {} WHERE u.id IN ({id_list})",
            summary_joins()
        ))
        .bind(iso(as_of))
        .fetch_all(db.pool())
        .await?;
        let mut found = rows
            .iter()
            .map(summary_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        found.sort_by_key(|u| ids.iter().position(|id| *id == u.id));
        found
    };
    Ok(DirectoryPage {
        items,
        total,
        page: filter.page,
        as_of,
    })
}

/// The units managed by `parent` on `as_of` (the department when `parent` is `None`).
pub async fn children(
    db: &Db,
    parent: Option<i64>,
    as_of: NaiveDate,
    scope: &Scope,
) -> Result<Vec<TreeNode>, AppError> {
    let child_count = format!(
        "(SELECT COUNT(*) FROM unit_links c WHERE c.parent_id = u.id AND c.relation = 'managed_by' AND {})",
        valid_at("c", "$1")
    );
    let sql = match parent {
        Some(_) => format!(
            "SELECT u.id, n.name, u.kind, u.area_type, u.levels, {child_count} AS child_count
             FROM unit_links p JOIN units u ON u.id = p.unit_id
             JOIN unit_names n ON n.unit_id = u.id AND {n}
             WHERE p.parent_id = $2 AND p.relation = 'managed_by' AND {p}
             ORDER BY {KIND_ORDER}, n.search_key",
            n = valid_at("n", "$1"),
            p = valid_at("p", "$1"),
        ),
        None => format!(
            "SELECT u.id, n.name, u.kind, u.area_type, u.levels, {child_count} AS child_count
             FROM units u JOIN unit_names n ON n.unit_id = u.id AND {n}
             WHERE {roots} AND {e} AND $2 = 0
             ORDER BY {KIND_ORDER}, n.search_key",
            n = valid_at("n", "$1"),
            e = exists_at("u", "$1"),
            // The tree starts at the department, or at the units a reader's grants name.
            roots = match scope {
                Scope::All => "u.kind = 'department'".to_string(),
                Scope::Within(ids) if ids.is_empty() => "1 = 0".to_string(),
                Scope::Within(ids) => format!(
                    "u.id IN ({})",
                    ids.iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            },
        ),
    };
    let rows = sqlx::query(&sql)
        .bind(iso(as_of))
        .bind(parent.unwrap_or(0))
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            Ok(TreeNode {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                kind: UnitKind::from_code(&kind).unwrap_or(UnitKind::School),
                area_type: row
                    .try_get::<Option<String>, _>("area_type")?
                    .as_deref()
                    .and_then(AreaType::from_code),
                levels: decode_levels(&row.try_get::<String, _>("levels")?),
                child_count: row.try_get("child_count")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(AppError::from)
}

/// Areas that existed on `as_of`, for the area filter.
pub async fn areas(
    db: &Db,
    as_of: NaiveDate,
    today: NaiveDate,
    scope: &Scope,
) -> Result<Vec<UnitRef>, AppError> {
    let sql = format!(
        "SELECT u.id, u.code, n.name FROM units u JOIN unit_names n ON n.unit_id = u.id AND {n}
         WHERE u.kind = 'area' AND {e} AND {s} ORDER BY n.search_key",
        n = valid_at("n", "$1"),
        e = exists_at("u", "$1"),
        s = scope.sql("u", today),
    );
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&sql)
        .bind(iso(as_of))
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name)| UnitRef { id, code, name })
        .collect())
}

pub(crate) async fn unit_ref_latest(db: &Db, id: i64) -> Result<UnitRef, AppError> {
    let (code, name): (String, String) = sqlx::query_as(
        "SELECT u.code, n.name FROM units u JOIN unit_names n ON n.unit_id = u.id
         WHERE u.id = $1 ORDER BY n.valid_from DESC LIMIT 1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    Ok(UnitRef { id, code, name })
}

/// The unit page: the unit as of today (or its last day), with its whole history.
pub async fn detail(db: &Db, id: i64, today: NaiveDate) -> Result<UnitDetail, AppError> {
    // established_on, closed_on, address, latitude, longitude, merged_into
    type Base = (
        String,
        Option<String>,
        String,
        Option<f64>,
        Option<f64>,
        Option<i64>,
    );
    let base: Option<Base> = sqlx::query_as(
        "SELECT established_on, closed_on, address, latitude, longitude, merged_into
             FROM units WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some((established, closed, address, latitude, longitude, merged_into)) = base else {
        return Err(AppError::NotFound);
    };
    let established_on = parse_date(&established)?;
    let closed_on = parse_opt_date(closed)?;
    // A closed unit is shown as it stood on its last day.
    let as_of = closed_on
        .and_then(|d| d.pred_opt())
        .unwrap_or(today)
        .max(established_on);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM units u {} WHERE u.id = $2",
        summary_joins()
    );
    let row = sqlx::query(&sql)
        .bind(iso(as_of))
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    let summary = summary_from_row(&row)?;

    let names = sqlx::query_as::<_, (String, String, Option<String>)>(
        "SELECT name, valid_from, valid_until FROM unit_names WHERE unit_id = $1 ORDER BY valid_from",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|(name, from, until)| {
        Ok(NameSpan {
            name,
            valid_from: parse_date(&from)?,
            valid_until: parse_opt_date(until)?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;

    // Parents are named as they were called at the start of the link.
    let link_rows = sqlx::query(
        "SELECT l.relation, l.valid_from, l.valid_until, p.id, p.code,
                (SELECT pn.name FROM unit_names pn WHERE pn.unit_id = p.id AND pn.valid_from <= l.valid_from
                 ORDER BY pn.valid_from DESC LIMIT 1) AS parent_name
         FROM unit_links l JOIN units p ON p.id = l.parent_id
         WHERE l.unit_id = $1 ORDER BY l.valid_from, l.relation",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut links = Vec::with_capacity(link_rows.len());
    for row in &link_rows {
        let relation: String = row.try_get("relation")?;
        links.push(LinkSpan {
            relation: Relation::from_code(&relation).unwrap_or(Relation::ManagedBy),
            parent: UnitRef {
                id: row.try_get("id")?,
                code: row.try_get("code")?,
                name: row
                    .try_get::<Option<String>, _>("parent_name")?
                    .unwrap_or_default(),
            },
            valid_from: parse_date(&row.try_get::<String, _>("valid_from")?)?,
            valid_until: parse_opt_date(row.try_get("valid_until")?)?,
        });
    }

    let event_rows: Vec<(String, String, Option<i64>, String)> = sqlx::query_as(
        "SELECT kind, effective_on, related_unit_id, note FROM org_events
         WHERE unit_id = $1 ORDER BY effective_on, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut events = Vec::with_capacity(event_rows.len());
    for (kind, on, related, note) in event_rows {
        let related = match related {
            Some(rid) => Some(unit_ref_latest(db, rid).await?),
            None => None,
        };
        events.push(OrgEvent {
            kind: EventKind::from_code(&kind).unwrap_or(EventKind::Updated),
            effective_on: parse_date(&on)?,
            related,
            note,
        });
    }

    let merged_into = match merged_into {
        Some(target) => Some(unit_ref_latest(db, target).await?),
        None => None,
    };
    let merged_from_ids: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM units WHERE merged_into = $1 ORDER BY id")
            .bind(id)
            .fetch_all(db.pool())
            .await?;
    let mut merged_from = Vec::with_capacity(merged_from_ids.len());
    for (source,) in merged_from_ids {
        merged_from.push(unit_ref_latest(db, source).await?);
    }

    let child_sql = format!(
        "SELECT COUNT(*) FROM unit_links c WHERE c.parent_id = $2 AND {}",
        valid_at("c", "$1")
    );
    let (child_count,): (i64,) = sqlx::query_as(&child_sql)
        .bind(iso(as_of))
        .bind(id)
        .fetch_one(db.pool())
        .await?;

    Ok(UnitDetail {
        summary,
        address,
        latitude,
        longitude,
        established_on,
        closed_on,
        merged_into,
        merged_from,
        names,
        links,
        events,
        child_count,
    })
}

/// Headline counts for the home page.
pub async fn overview(db: &Db, as_of: NaiveDate, scope: &Scope) -> Result<OrgOverview, AppError> {
    let in_scope = scope.sql("u", as_of);
    let department = if *scope != Scope::All {
        None
    } else {
        let mut conn = db.pool().acquire().await?;
        match department_id(&mut conn).await? {
            Some(id) => Some(unit_ref_latest(db, id).await?),
            None => None,
        }
    };
    let count_sql = format!(
        "SELECT COUNT(*) FROM units u WHERE u.kind = $2 AND {} AND {in_scope}",
        exists_at("u", "$1")
    );
    let count = |kind: UnitKind| {
        let sql = count_sql.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(&sql)
                .bind(iso(as_of))
                .bind(kind.code())
                .fetch_one(db.pool())
                .await?;
            Ok::<i64, AppError>(n)
        }
    };
    let areas = count(UnitKind::Area).await?;
    let schools = count(UnitKind::School).await?;
    let by_level_sql = format!(
        "SELECT COUNT(*) FROM units u WHERE u.kind = 'school' AND u.levels LIKE $2 AND {}
         AND {in_scope}",
        exists_at("u", "$1")
    );
    let mut schools_by_level = Vec::new();
    for &level in SchoolLevel::ALL {
        let (n,): (i64,) = sqlx::query_as(&by_level_sql)
            .bind(iso(as_of))
            .bind(format!("%,{},%", level.code()))
            .fetch_one(db.pool())
            .await?;
        schools_by_level.push((level, n));
    }
    let students_sql = format!(
        "SELECT CAST(COALESCE(SUM(u.student_count), 0) AS BIGINT) FROM units u
         WHERE u.kind = 'school' AND {} AND {in_scope}",
        exists_at("u", "$1")
    );
    let (students,): (i64,) = sqlx::query_as(&students_sql)
        .bind(iso(as_of))
        .fetch_one(db.pool())
        .await?;
    Ok(OrgOverview {
        department,
        areas,
        schools,
        schools_by_level,
        students,
        as_of,
    })
}
