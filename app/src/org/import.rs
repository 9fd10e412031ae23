//! Import of schools from XLSX or CSV: every row is checked first; one bad row and nothing
//! is written; the same file twice changes nothing (rows are keyed by school code).

use crate::error::AppError;
use crate::org::{ImportReport, Ownership, Relation, RowError, SchoolLevel, UnitKind};
use crate::store::org::{self as store, NewUnit, SchoolFields};
use crate::store::Db;
use crate::text::search_key;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::Cursor;

/// Largest file accepted: a province has a few thousand schools.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Code,
    Name,
    Levels,
    Ownership,
    Area,
    Staff,
    Students,
    Address,
    Latitude,
    Longitude,
}

impl Column {
    const ALL: [Column; 10] = [
        Column::Code,
        Column::Name,
        Column::Levels,
        Column::Ownership,
        Column::Area,
        Column::Staff,
        Column::Students,
        Column::Address,
        Column::Latitude,
        Column::Longitude,
    ];

    /// The header as the template writes it.
    fn header(self) -> &'static str {
        match self {
            Column::Code => "Mã trường",
            Column::Name => "Tên trường",
            Column::Levels => "Cấp học",
            Column::Ownership => "Loại hình",
            Column::Area => "Mã khu vực",
            Column::Staff => "Số CB-GV-NV",
            Column::Students => "Số học sinh",
            Column::Address => "Địa chỉ",
            Column::Latitude => "Vĩ độ",
            Column::Longitude => "Kinh độ",
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            Column::Code | Column::Name | Column::Levels | Column::Ownership | Column::Area
        )
    }

    /// Recognises a header however it was typed: "Ma truong", "MÃ TRƯỜNG", "ma_truong".
    fn from_header(text: &str) -> Option<Column> {
        let key = search_key(&text.replace('_', " "));
        Column::ALL
            .into_iter()
            .find(|c| search_key(c.header()) == key)
            .or(match key.as_str() {
                "ma" | "ma so" => Some(Column::Code),
                "ten" | "ten don vi" => Some(Column::Name),
                "so can bo" | "so cbgvnv" | "can bo" => Some(Column::Staff),
                "so hs" | "hoc sinh" => Some(Column::Students),
                "khu vuc" | "ma xa" | "ma xa phuong" => Some(Column::Area),
                _ => None,
            })
    }
}

/// The CSV template users can download and fill in.
pub fn template_csv() -> String {
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.header()).collect();
    format!(
        "{}\n86999001,Trường Tiểu học Mẫu,TH,CL,25000,35,520,\"Thôn 1, Xã Mẫu\",11.5,106.8\n",
        header.join(",")
    )
}

/// Reads a file into rows of cells. XLSX is recognised by its content (a ZIP archive),
/// anything else must be UTF-8 CSV.
fn read_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

/// The most rows and columns a school workbook may use (a province has a few thousand
/// schools and the template ten columns), and the most its parts may unpack to. A workbook
/// beyond them is refused before its cells are laid out, whatever range it declares.
const XLSX_MAX_ROWS: u32 = 20_000;
const XLSX_MAX_COLUMNS: u32 = 100;
const XLSX_MAX_UNPACKED: u64 = 64 * 1024 * 1024;

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::{Data, Reader, Xlsx};
    let bad = || {
        AppError::Invalid(
            "Không đọc được tệp Excel. Hãy lưu lại dưới dạng .xlsx rồi thử lại.".into(),
        )
    };
    let too_large = || {
        AppError::Invalid(format!(
            "Tệp Excel quá lớn: trang tính đầu tiên được dùng tối đa {XLSX_MAX_ROWS} hàng và \
             {XLSX_MAX_COLUMNS} cột. Hãy xoá các hàng, cột thừa hoặc chép danh sách sang tệp mới."
        ))
    };
    // The sizes the archive declares, before anything is unpacked.
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| bad())?;
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|_| bad())?;
        unpacked = unpacked.saturating_add(part.size());
    }
    if unpacked > XLSX_MAX_UNPACKED {
        return Err(too_large());
    }
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| bad())?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| AppError::Invalid("Tệp Excel không có trang tính nào.".into()))?;
    let mut reader = workbook.worksheet_cells_reader(&first).map_err(|_| bad())?;
    // Cells one at a time, so a cell far away costs nothing until it is refused.
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|_| bad())? {
        let (row, column) = cell.get_position();
        if row >= XLSX_MAX_ROWS || column >= XLSX_MAX_COLUMNS {
            return Err(too_large());
        }
        if cells.len() >= (XLSX_MAX_ROWS * XLSX_MAX_COLUMNS) as usize {
            return Err(too_large());
        }
        let text = match Data::from(cell.get_value().clone()) {
            Data::Empty => continue,
            // Codes typed as numbers come back as floats: 86000123 not 86000123.0.
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            other => other.to_string(),
        };
        cells.push((row, column, text));
    }
    // Rows from the first used one, columns from the first used one, as the sheet shows them.
    let (Some(top), Some(left)) = (
        cells.iter().map(|c| c.0).min(),
        cells.iter().map(|c| c.1).min(),
    ) else {
        return Ok(Vec::new());
    };
    let bottom = cells.iter().map(|c| c.0).max().unwrap_or(top);
    let right = cells.iter().map(|c| c.1).max().unwrap_or(left);
    let mut rows =
        vec![vec![String::new(); (right - left + 1) as usize]; (bottom - top + 1) as usize];
    for (row, column, text) in cells {
        rows[(row - top) as usize][(column - left) as usize] = text;
    }
    Ok(rows)
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        AppError::Invalid(
            "Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: CSV UTF-8).".into(),
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    // Excel in Vietnamese locales writes semicolons.
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            AppError::Invalid(format!("Tệp CSV bị lỗi định dạng ở dòng {line}."))
        })?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

/// A row that passed every check, ready to write.
#[derive(Debug, Clone)]
struct SchoolRow {
    code: String,
    name: String,
    area: i64,
    fields: SchoolFields,
}

fn parse_count(text: &str, what: &str) -> Result<Option<i64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
        .collect();
    match cleaned.parse::<i64>() {
        Ok(n) if (0..=1_000_000).contains(&n) => Ok(Some(n)),
        _ => Err(format!("{what} \"{text}\" phải là số nguyên không âm.")),
    }
}

fn parse_coordinate(
    text: &str,
    what: &str,
    range: std::ops::RangeInclusive<f64>,
) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.replace(',', ".").parse::<f64>() {
        Ok(v) if range.contains(&v) => Ok(Some(v)),
        _ => Err(format!(
            "{what} \"{text}\" không hợp lệ (phải trong khoảng {} đến {}).",
            range.start(),
            range.end()
        )),
    }
}

/// Checks every row; returns the good rows, or every problem found.
async fn validate(
    conn: &mut sqlx::AnyConnection,
    rows: &[Vec<String>],
    today: NaiveDate,
) -> Result<Result<Vec<SchoolRow>, Vec<RowError>>, AppError> {
    let Some(header) = rows.first() else {
        return Ok(Err(vec![RowError {
            row: 1,
            message: "Tệp trống: không có dòng tiêu đề.".into(),
        }]));
    };
    let mut columns: HashMap<Column, usize> = HashMap::new();
    for (i, cell) in header.iter().enumerate() {
        if let Some(column) = Column::from_header(cell) {
            columns.entry(column).or_insert(i);
        }
    }
    let missing: Vec<&str> = Column::ALL
        .iter()
        .filter(|c| c.required() && !columns.contains_key(c))
        .map(|c| c.header())
        .collect();
    if !missing.is_empty() {
        return Ok(Err(vec![RowError {
            row: 1,
            message: format!("Thiếu cột bắt buộc: {}.", missing.join(", ")),
        }]));
    }

    let mut errors = Vec::new();
    let mut good = Vec::new();
    let mut seen_codes: HashMap<String, usize> = HashMap::new();
    let mut area_cache: HashMap<String, Option<(i64, UnitKind)>> = HashMap::new();
    for (index, row) in rows.iter().enumerate().skip(1) {
        let row_number = index + 1;
        let cell = |c: Column| -> String {
            columns
                .get(&c)
                .and_then(|&i| row.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        if Column::ALL.iter().all(|&c| cell(c).is_empty()) {
            continue;
        }
        let mut problems: Vec<String> = Vec::new();
        let code = cell(Column::Code);
        if code.is_empty() {
            problems.push("Thiếu mã trường.".into());
        } else if code.len() > 20
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            problems.push(format!(
                "Mã trường \"{code}\" chỉ được gồm chữ, số, dấu - và _, tối đa 20 ký tự."
            ));
        } else if let Some(first) = seen_codes.get(&code) {
            problems.push(format!("Mã trường {code} bị trùng với dòng {first}."));
        } else {
            seen_codes.insert(code.clone(), row_number);
        }
        let name = cell(Column::Name);
        if name.is_empty() {
            problems.push("Thiếu tên trường.".into());
        } else if name.chars().count() > 200 {
            problems.push("Tên trường dài quá 200 ký tự.".into());
        }
        let levels_text = cell(Column::Levels);
        let mut levels = Vec::new();
        if levels_text.is_empty() {
            problems.push("Thiếu cấp học.".into());
        }
        for part in levels_text
            .split([',', ';', '+'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match SchoolLevel::parse_loose(part) {
                Some(level) if !levels.contains(&level) => levels.push(level),
                Some(_) => {}
                None => problems.push(format!(
                    "Cấp học \"{part}\" không hợp lệ (dùng MN, TH, THCS, THPT, GDNN-GDTX hoặc CĐ-ĐH)."
                )),
            }
        }
        let ownership_text = cell(Column::Ownership);
        let ownership = match search_key(&ownership_text).replace(' ', "").as_str() {
            "cl" | "conglap" => Some(Ownership::Public),
            "ncl" | "ngoaiconglap" | "tuthuc" | "danlap" => Some(Ownership::NonPublic),
            _ => {
                problems.push(if ownership_text.is_empty() {
                    "Thiếu loại hình (CL hoặc NCL).".to_string()
                } else {
                    format!("Loại hình \"{ownership_text}\" không hợp lệ (dùng CL hoặc NCL).")
                });
                None
            }
        };
        let area_code = cell(Column::Area);
        let mut area = None;
        if area_code.is_empty() {
            problems.push("Thiếu mã khu vực.".into());
        } else {
            if !area_cache.contains_key(&area_code) {
                let found = store::open_unit_by_code(conn, &area_code, today).await?;
                area_cache.insert(area_code.clone(), found);
            }
            match area_cache.get(&area_code).copied().flatten() {
                Some((id, UnitKind::Area)) => area = Some(id),
                _ => problems.push(format!(
                    "Không có xã, phường hoặc đặc khu đang hoạt động với mã {area_code}."
                )),
            }
        }
        let staff = parse_count(&cell(Column::Staff), "Số CB-GV-NV").unwrap_or_else(|e| {
            problems.push(e);
            None
        });
        let students = parse_count(&cell(Column::Students), "Số học sinh").unwrap_or_else(|e| {
            problems.push(e);
            None
        });
        let latitude = parse_coordinate(&cell(Column::Latitude), "Vĩ độ", 8.0..=23.5)
            .unwrap_or_else(|e| {
                problems.push(e);
                None
            });
        let longitude = parse_coordinate(&cell(Column::Longitude), "Kinh độ", 102.0..=117.5)
            .unwrap_or_else(|e| {
                problems.push(e);
                None
            });
        match (problems.is_empty(), area, ownership) {
            (true, Some(area), Some(ownership)) => good.push(SchoolRow {
                code,
                name,
                area,
                fields: SchoolFields {
                    levels,
                    ownership: Some(ownership),
                    staff_count: staff,
                    student_count: students,
                    address: cell(Column::Address),
                    latitude,
                    longitude,
                },
            }),
            _ => errors.push(RowError {
                row: row_number,
                message: problems.join(" "),
            }),
        }
    }
    if errors.is_empty() && good.is_empty() {
        errors.push(RowError {
            row: 2,
            message: "Tệp không có dòng dữ liệu nào.".into(),
        });
    }
    Ok(if errors.is_empty() {
        Ok(good)
    } else {
        Err(errors)
    })
}

/// Validates the whole file, then (only if every row is good) writes it in one transaction.
/// Who imports, for the audit trail.
pub struct Importer<'a> {
    pub user: i64,
    pub address: &'a str,
}

fn school_json(
    code: &str,
    name: &str,
    area: i64,
    manager: i64,
    fields: &SchoolFields,
) -> serde_json::Value {
    serde_json::json!({
        "code": code,
        "name": name,
        "area_id": area,
        "managed_by_id": manager,
        "levels": fields.levels.iter().map(|l| l.code()).collect::<Vec<_>>(),
        "ownership": fields.ownership.map(|o| o.code()),
        "staff_count": fields.staff_count,
        "student_count": fields.student_count,
        "address": fields.address,
        "latitude": fields.latitude,
        "longitude": fields.longitude,
    })
}

pub async fn import_schools(
    db: &Db,
    bytes: &[u8],
    today: NaiveDate,
    importer: &Importer<'_>,
) -> Result<ImportReport, AppError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::Invalid("Tệp lớn hơn 5 MB.".into()));
    }
    let rows = read_rows(bytes)?;
    let data_rows = rows
        .iter()
        .skip(1)
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .count();
    let mut tx = db.pool().begin().await?;
    let checked = validate(&mut tx, &rows, today).await?;
    let schools = match checked {
        Ok(schools) => schools,
        Err(errors) => {
            tx.rollback().await?;
            return Ok(ImportReport {
                rows: data_rows,
                errors,
                committed: false,
                ..ImportReport::default()
            });
        }
    };
    let department = store::department_id(&mut tx)
        .await?
        .ok_or_else(|| AppError::Invalid("Chưa có Sở trong hệ thống.".into()))?;
    let mut report = ImportReport {
        rows: data_rows,
        committed: true,
        ..ImportReport::default()
    };
    for school in schools {
        let manager = if school.fields.levels.iter().all(|l| l.is_local()) {
            school.area
        } else {
            department
        };
        match store::school_by_code(&mut tx, &school.code, today).await? {
            None => {
                let id = store::insert_unit(
                    &mut tx,
                    &NewUnit {
                        code: school.code.clone(),
                        name: school.name.clone(),
                        kind: UnitKind::School,
                        area_type: None,
                        levels: school.fields.levels.clone(),
                        ownership: school.fields.ownership,
                        staff_count: school.fields.staff_count,
                        student_count: school.fields.student_count,
                        address: school.fields.address.clone(),
                        latitude: school.fields.latitude,
                        longitude: school.fields.longitude,
                        established_on: today,
                    },
                )
                .await?;
                store::link(&mut tx, id, manager, Relation::ManagedBy, today).await?;
                store::link(&mut tx, id, school.area, Relation::LocatedIn, today).await?;
                let after = school_json(
                    &school.code,
                    &school.name,
                    school.area,
                    manager,
                    &school.fields,
                );
                audit(&mut tx, importer, "import_create", id, None, Some(after)).await?;
                report.created += 1;
            }
            Some(existing) => {
                let mut changed = false;
                if existing.name != school.name {
                    store::rename(&mut tx, existing.id, &school.name, today).await?;
                    changed = true;
                }
                if existing.area != Some(school.area) {
                    store::move_unit(
                        &mut tx,
                        existing.id,
                        Relation::LocatedIn,
                        school.area,
                        today,
                    )
                    .await?;
                    changed = true;
                }
                if existing.manager != Some(manager) {
                    store::move_unit(&mut tx, existing.id, Relation::ManagedBy, manager, today)
                        .await?;
                    changed = true;
                }
                if existing.fields != school.fields {
                    store::update_school_fields(&mut tx, existing.id, &school.fields, today)
                        .await?;
                    changed = true;
                }
                if changed {
                    let before = school_json(
                        &school.code,
                        &existing.name,
                        existing.area.unwrap_or_default(),
                        existing.manager.unwrap_or_default(),
                        &existing.fields,
                    );
                    let after = school_json(
                        &school.code,
                        &school.name,
                        school.area,
                        manager,
                        &school.fields,
                    );
                    audit(
                        &mut tx,
                        importer,
                        "import_update",
                        existing.id,
                        Some(before),
                        Some(after),
                    )
                    .await?;
                    report.updated += 1;
                } else {
                    report.unchanged += 1;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(report)
}

async fn audit(
    conn: &mut sqlx::AnyConnection,
    importer: &Importer<'_>,
    action: &str,
    unit: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    crate::store::accounts::record_audit(
        conn,
        &crate::store::accounts::AuditEntry {
            user: Some(importer.user),
            address: importer.address,
            action,
            entity: "unit",
            entity_id: unit.to_string(),
            before,
            after,
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised_without_diacritics() {
        assert_eq!(Column::from_header("MA TRUONG"), Some(Column::Code));
        assert_eq!(Column::from_header("Mã khu vực"), Some(Column::Area));
        assert_eq!(Column::from_header("so_hoc_sinh"), Some(Column::Students));
        assert_eq!(Column::from_header("Ghi chú"), None);
    }

    #[test]
    fn semicolon_csv_with_bom_is_read() {
        let rows =
            read_csv("\u{feff}Mã trường;Tên trường\n1;Trường A\n".as_bytes()).unwrap_or_default();
        assert_eq!(
            rows,
            vec![vec!["Mã trường", "Tên trường"], vec!["1", "Trường A"]]
        );
    }

    #[test]
    fn non_utf8_csv_is_refused_with_a_reason() {
        let err = read_csv(&[0x4d, 0xe3, 0x20, 0xff]).err();
        assert!(matches!(err, Some(AppError::Invalid(m)) if m.contains("UTF-8")));
    }

    #[test]
    fn counts_accept_thousand_separators_and_refuse_negatives() {
        assert_eq!(parse_count("1.250", "x"), Ok(Some(1250)));
        assert_eq!(parse_count("", "x"), Ok(None));
        assert!(parse_count("-3", "x").is_err());
    }
}
