//! The directory's search index. For a day, every unit that existed then, with its name as
//! search sees it, its kind, levels, ownership and where it was located, already in the
//! directory's order. One query builds it; it is kept while the organisation is unchanged
//! (its revision is part of the key), so a search over 50,000 schools filters memory instead
//! of matching every name with `LIKE` and sorting the matches in SQL.

use super::org::Scope;
use super::{iso, organisation_revision, Db};
use crate::error::AppError;
use crate::org::{DirectoryFilter, LevelFilter, Ownership, UnitKind, PAGE_SIZE};
use crate::text::search_key;
use chrono::NaiveDate;
use sqlx::Row;
use std::collections::HashSet;
use std::sync::Arc;

/// One unit as the directory lists it on the index's day.
struct Entry {
    id: i64,
    kind: Box<str>,
    /// The name and code, folded (see `org::name_key`).
    key: Box<str>,
    /// `,TH,THCS,` as stored.
    levels: Box<str>,
    ownership: Option<Box<str>>,
    /// The areas it was located in (one, but the data may say more).
    located_in: Box<[i64]>,
}

impl Entry {
    /// Roughly what an entry holds in memory, for the memo's budget.
    fn size(&self) -> usize {
        std::mem::size_of::<Entry>()
            + self.kind.len()
            + self.key.len()
            + self.levels.len()
            + self.ownership.as_ref().map_or(0, |o| o.len())
            + self.located_in.len() * 8
    }
}

/// Every unit that existed on a day, in the directory's order: department, divisions,
/// areas, schools, then by name.
pub(super) struct Index {
    entries: Vec<Entry>,
}

/// What a search asks of the index, read once from the filter.
struct Wanted<'a> {
    words: Vec<String>,
    kind: Option<&'static str>,
    level: Option<String>,
    multi_level: bool,
    ownership: Option<&'static str>,
    area: Option<i64>,
    within: Option<&'a HashSet<i64>>,
}

impl Wanted<'_> {
    fn matches(&self, e: &Entry) -> bool {
        self.kind.is_none_or(|k| &*e.kind == k)
            && self.ownership.is_none_or(|o| e.ownership.as_deref() == Some(o))
            && self.level.as_ref().is_none_or(|l| e.levels.contains(l.as_str()))
            // At least two levels: ",A,B," has three commas.
            && (!self.multi_level || e.levels.matches(',').count() >= 3)
            && self.area.is_none_or(|a| e.located_in.contains(&a))
            && self.within.is_none_or(|ids| ids.contains(&e.id))
            && self.words.iter().all(|w| e.key.contains(w.as_str()))
    }
}

impl Index {
    /// The ids of page `filter.page` of the units matching `filter`, and how many match.
    pub(super) fn search(
        &self,
        filter: &DirectoryFilter,
        within: Option<&HashSet<i64>>,
    ) -> (Vec<i64>, i64) {
        let wanted = Wanted {
            words: search_key(&filter.q)
                .split(' ')
                .filter(|w| !w.is_empty())
                .take(8)
                .map(str::to_string)
                .collect(),
            kind: filter.kind.map(UnitKind::code),
            level: match filter.level {
                Some(LevelFilter::Level(level)) => Some(format!(",{},", level.code())),
                _ => None,
            },
            multi_level: filter.level == Some(LevelFilter::MultiLevel),
            ownership: filter.ownership.map(Ownership::code),
            area: filter.area,
            within,
        };
        let skip = filter.page as usize * PAGE_SIZE as usize;
        let mut page = Vec::new();
        let mut total = 0usize;
        for entry in self.entries.iter().filter(|e| wanted.matches(e)) {
            if total >= skip && page.len() < PAGE_SIZE as usize {
                page.push(entry.id);
            }
            total += 1;
        }
        (page, total as i64)
    }
}

/// The index for `day`, from the memo while the organisation has not changed.
pub(super) async fn index(db: &Db, day: NaiveDate) -> Result<Arc<Index>, AppError> {
    let key = format!("directory/{}/{day}", organisation_revision(db).await?);
    if let Some(index) = db.memo().get::<Index>(&key) {
        return Ok(index);
    }
    let rows = sqlx::query(&format!(
        "SELECT u.id, u.kind, n.search_key, u.levels, u.ownership, l.parent_id
         FROM units u JOIN unit_names n ON n.unit_id = u.id AND {names}
         LEFT JOIN unit_links l ON l.unit_id = u.id AND l.relation = 'located_in' AND {links}
         WHERE {exists}
         ORDER BY {order}, n.search_key, u.id",
        names = super::org::valid_at("n", "$1"),
        links = super::org::valid_at("l", "$1"),
        exists = super::org::exists_at("u", "$1"),
        order = super::org::KIND_ORDER,
    ))
    .bind(iso(day))
    .fetch_all(db.pool())
    .await?;
    let mut entries: Vec<Entry> = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: i64 = row.try_get(0)?;
        let parent: Option<i64> = row.try_get(5)?;
        // A unit located in two areas at once comes twice, one row after the other.
        if let Some(last) = entries.last_mut().filter(|e| e.id == id) {
            let mut areas = last.located_in.to_vec();
            areas.extend(parent);
            last.located_in = areas.into();
            continue;
        }
        entries.push(Entry {
            id,
            kind: row.try_get::<String, _>(1)?.into(),
            key: row.try_get::<String, _>(2)?.into(),
            levels: row
                .try_get::<Option<String>, _>(3)?
                .unwrap_or_default()
                .into(),
            ownership: row.try_get::<Option<String>, _>(4)?.map(Into::into),
            located_in: parent.into_iter().collect(),
        });
    }
    let size = entries.iter().map(Entry::size).sum();
    let index = Arc::new(Index { entries });
    db.memo().put_sized(key, index.clone(), size);
    Ok(index)
}

/// The ids of the units inside `scope` today, or `None` when it is everything.
pub(super) async fn scope_ids(
    db: &Db,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Option<HashSet<i64>>, AppError> {
    if *scope == Scope::All {
        return Ok(None);
    }
    let ids: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT u.id FROM units u WHERE {}",
        scope.sql("u", today)
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(Some(ids.into_iter().map(|(id,)| id).collect()))
}
