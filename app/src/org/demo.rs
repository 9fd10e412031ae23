//! The demo province "Sơn Hà": fictional, deterministic by seed, and built by replaying the
//! same operations the app offers (a rename in 2010, a district merger in 2020, the reform of
//! 01/07/2025), so its history looks like a real province's.

use crate::error::AppError;
use crate::org::{reform_date, AreaType, Ownership, Relation, SchoolLevel, UnitKind};
use crate::store::org::{self as store, NewUnit};
use crate::store::Db;
use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::AnyConnection;
use std::collections::HashSet;

pub const DEFAULT_SCHOOLS: usize = 1000;
pub const DEFAULT_SEED: u64 = 2025;

/// Grid of communes over the province box: 10 × 10 cells.
const GRID: usize = 10;
const LAT_MIN: f64 = 10.9;
const LAT_MAX: f64 = 12.1;
const LON_MIN: f64 = 106.2;
const LON_MAX: f64 = 107.4;

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub schools: usize,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            schools: DEFAULT_SCHOOLS,
            seed: DEFAULT_SEED,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub divisions: usize,
    pub districts: usize,
    pub communes: usize,
    pub schools: usize,
}

const DIVISIONS: [(&str, &str); 8] = [
    ("VP", "Văn phòng Sở"),
    ("TCCB", "Phòng Tổ chức cán bộ"),
    ("KHTC", "Phòng Kế hoạch - Tài chính"),
    ("GDMNTH", "Phòng Giáo dục Mầm non - Tiểu học"),
    ("GDTrH", "Phòng Giáo dục Trung học"),
    ("GDTXDH", "Phòng Giáo dục thường xuyên và Đại học"),
    (
        "CTTT",
        "Phòng Chính trị, tư tưởng và Công tác học sinh, sinh viên",
    ),
    ("TTr", "Thanh tra Sở"),
];

/// Pre-2025 districts: (type, name). The city was a town until 2010; the last district
/// merged into the one before it on 01/02/2020.
const DISTRICTS: [(AreaType, &str); 10] = [
    (AreaType::City, "Sơn Hà"),
    (AreaType::Town, "Phú An"),
    (AreaType::District, "Tân Lạc"),
    (AreaType::District, "Đông Triều"),
    (AreaType::District, "Yên Phong"),
    (AreaType::District, "Hòa Thuận"),
    (AreaType::District, "Bình Sơn"),
    (AreaType::District, "Vĩnh Lộc"),
    (AreaType::District, "Long Hưng"),
    (AreaType::Town, "Long Phú"),
];

const FIRST: [&str; 24] = [
    "Tân", "An", "Phú", "Bình", "Hòa", "Long", "Thạnh", "Vĩnh", "Đông", "Tây", "Nam", "Bắc",
    "Hưng", "Phước", "Mỹ", "Thuận", "Quang", "Minh", "Hiệp", "Thắng", "Xuân", "Đức", "Yên",
    "Trung",
];
const SECOND: [&str; 24] = [
    "Lập", "Phú", "Hòa", "Bình", "Thành", "Lợi", "Hưng", "An", "Tiến", "Sơn", "Hải", "Xuân",
    "Phong", "Lộc", "Đức", "Thịnh", "Trung", "Yên", "Khánh", "Nghĩa", "Tâm", "Điền", "Mỹ", "Quới",
];

/// People schools are named after. The first THCS always takes the first name.
const FIGURES: [&str; 56] = [
    "Nguyễn Thị Thập",
    "Lê Quý Đôn",
    "Trần Hưng Đạo",
    "Nguyễn Du",
    "Chu Văn An",
    "Lý Thường Kiệt",
    "Nguyễn Trãi",
    "Võ Thị Sáu",
    "Lê Lợi",
    "Quang Trung",
    "Phan Bội Châu",
    "Phan Chu Trinh",
    "Hai Bà Trưng",
    "Lê Hồng Phong",
    "Trần Phú",
    "Nguyễn Văn Trỗi",
    "Kim Đồng",
    "Lý Tự Trọng",
    "Võ Văn Tần",
    "Nguyễn Đình Chiểu",
    "Huỳnh Thúc Kháng",
    "Trần Quốc Toản",
    "Ngô Quyền",
    "Đinh Tiên Hoàng",
    "Lê Văn Tám",
    "Nguyễn Khuyến",
    "Tô Hiến Thành",
    "Hàm Nghi",
    "Nguyễn Bỉnh Khiêm",
    "Lương Thế Vinh",
    "Trưng Vương",
    "Phạm Ngũ Lão",
    "Yết Kiêu",
    "Bùi Thị Xuân",
    "Nguyễn Thái Học",
    "Hoàng Hoa Thám",
    "Nguyễn Chí Thanh",
    "Tôn Đức Thắng",
    "Nguyễn Viết Xuân",
    "Võ Trường Toản",
    "Trương Định",
    "Cao Bá Quát",
    "Nguyễn Văn Cừ",
    "Hà Huy Tập",
    "Lê Thánh Tông",
    "Mạc Đĩnh Chi",
    "Nguyễn Hiền",
    "Đoàn Thị Điểm",
    "Hồ Xuân Hương",
    "Phan Đình Phùng",
    "Trần Quang Khải",
    "Lê Văn Hưu",
    "Ngô Gia Tự",
    "Nguyễn Công Trứ",
    "Đặng Thai Mai",
    "Trần Quốc Tuấn",
];

const PRESCHOOL_NAMES: [&str; 18] = [
    "Hoa Sen",
    "Hoa Mai",
    "Hoa Hồng",
    "Sơn Ca",
    "Họa Mi",
    "Vành Khuyên",
    "Tuổi Thơ",
    "Măng Non",
    "Hướng Dương",
    "Búp Sen Hồng",
    "Hoa Phượng",
    "Sao Mai",
    "Ánh Dương",
    "Thỏ Ngọc",
    "Bình Minh",
    "Hoa Cúc",
    "Hoa Lan",
    "Mầm Xanh",
];

const HAMLETS: [&str; 4] = ["Thôn", "Ấp", "Khu phố", "Tổ dân phố"];

struct Commune {
    id: i64,
    row: usize,
    col: usize,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn district_of_cell(row: usize, col: usize) -> usize {
    (row / 5) * 5 + col / 2
}

/// Fills an empty database with the demo province. Refuses a database that has units.
pub async fn generate(db: &Db, options: DemoOptions) -> Result<DemoSummary, AppError> {
    if store::count_units(db).await? > 0 {
        return Err(AppError::Invalid(
            "Cơ sở dữ liệu đã có dữ liệu; chỉ tạo tỉnh mẫu trên cơ sở dữ liệu trống.".into(),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut tx = db.pool().begin().await?;
    let conn: &mut AnyConnection = &mut tx;

    let founded = date(1976, 1, 1);
    let department = store::insert_unit(
        conn,
        &NewUnit {
            code: "SGDDT".into(),
            name: "Sở Giáo dục và Đào tạo tỉnh Sơn Hà".into(),
            kind: UnitKind::Department,
            area_type: None,
            levels: vec![],
            ownership: None,
            staff_count: Some(120),
            student_count: None,
            address: "Số 2 Đường Trần Hưng Đạo, Phường Sơn Hà, Tỉnh Sơn Hà".into(),
            latitude: Some((LAT_MIN + LAT_MAX) / 2.0),
            longitude: Some((LON_MIN + LON_MAX) / 2.0),
            established_on: founded,
        },
    )
    .await?;
    for (code, name) in DIVISIONS {
        let id = store::insert_unit(
            conn,
            &plain_unit(
                &format!("SGDDT-{code}"),
                name,
                UnitKind::Division,
                None,
                founded,
            ),
        )
        .await?;
        store::link(conn, id, department, Relation::ManagedBy, founded).await?;
    }

    // Districts as they stood from 1990, each with its Phòng GDĐT managing local schools.
    let district_start = date(1990, 1, 1);
    let mut districts = Vec::with_capacity(DISTRICTS.len());
    for (i, (area_type, name)) in DISTRICTS.iter().enumerate() {
        let first_name = if i == 0 {
            format!("Thị xã {name}")
        } else {
            format!("{} {name}", area_prefix(*area_type))
        };
        let id = store::insert_unit(
            conn,
            &plain_unit(
                &format!("{}", 851 + i),
                &first_name,
                UnitKind::Area,
                Some(*area_type),
                district_start,
            ),
        )
        .await?;
        store::link(conn, id, department, Relation::ManagedBy, district_start).await?;
        districts.push(id);
    }

    // The cells of the grid and their future communes' names, fixed by the seed.
    let mut pairs: Vec<(usize, usize)> = (0..FIRST.len())
        .flat_map(|a| (0..SECOND.len()).map(move |b| (a, b)))
        .filter(|&(a, b)| FIRST[a] != SECOND[b])
        .collect();
    shuffle(&mut pairs, &mut rng);
    let cells: Vec<(usize, usize)> = (0..GRID)
        .flat_map(|r| (0..GRID).map(move |c| (r, c)))
        .collect();

    // Schools, founded between 1990 and 2015 in their district.
    let mut names = HashSet::new();
    let mut school_rows = Vec::with_capacity(options.schools);
    let mut thcs_seen = 0usize;
    for n in 0..options.schools {
        let (row, col) = cells[rng.random_range(0..cells.len())];
        let (a, b) = pairs[row * GRID + col];
        let commune_name = format!("{} {}", FIRST[a], SECOND[b]);
        let levels = pick_levels(&mut rng);
        let ownership = pick_ownership(&mut rng, &levels);
        let base = school_name(
            &mut rng,
            &levels,
            ownership,
            &commune_name,
            &mut thcs_seen,
            district_of_cell(row, col),
        );
        let name = unique_name(&mut names, base);
        let students = student_count(&mut rng, &levels);
        let (lat, lon) = point_in_cell(&mut rng, row, col);
        let established = date(
            rng.random_range(1990..=2015),
            rng.random_range(1..=12),
            rng.random_range(1..=28),
        );
        let id = store::insert_unit(
            conn,
            &NewUnit {
                code: format!("86{:06}", n + 1),
                name,
                kind: UnitKind::School,
                area_type: None,
                staff_count: Some(students / 18 + rng.random_range(8..20)),
                student_count: Some(students),
                address: format!(
                    "{} {}, {}",
                    HAMLETS[rng.random_range(0..HAMLETS.len())],
                    rng.random_range(1..15),
                    commune_name
                ),
                latitude: Some(lat),
                longitude: Some(lon),
                established_on: established,
                levels: levels.clone(),
                ownership: Some(ownership),
            },
        )
        .await?;
        let district = districts[district_of_cell(row, col)];
        let manager = if levels.iter().all(|l| l.is_local()) {
            district
        } else {
            department
        };
        store::link(conn, id, manager, Relation::ManagedBy, established).await?;
        store::link(conn, id, district, Relation::LocatedIn, established).await?;
        school_rows.push((id, row, col, levels));
    }

    // 2010: the town became a city.
    store::rename(conn, districts[0], "Thành phố Sơn Hà", date(2010, 3, 1)).await?;
    // 2020: the smallest town merged into its neighbour.
    store::merge(conn, &[districts[9]], districts[8], date(2020, 2, 1)).await?;

    // 01/07/2025: districts abolished; communes and wards take over local schools.
    let reform = reform_date();
    let mut communes = Vec::with_capacity(cells.len());
    for (i, &(row, col)) in cells.iter().enumerate() {
        let (a, b) = pairs[i];
        let area_type = if i == cells.len() - 1 {
            AreaType::SpecialZone
        } else if district_of_cell(row, col) <= 1 {
            AreaType::Ward
        } else {
            AreaType::Commune
        };
        let name = format!("{} {} {}", area_prefix(area_type), FIRST[a], SECOND[b]);
        let id = store::insert_unit(
            conn,
            &plain_unit(
                &format!("{}", 25000 + i * 7),
                &name,
                UnitKind::Area,
                Some(area_type),
                reform,
            ),
        )
        .await?;
        store::link(conn, id, department, Relation::ManagedBy, reform).await?;
        communes.push(Commune { id, row, col });
    }
    for (school, row, col, levels) in &school_rows {
        let commune = &communes[row * GRID + col];
        debug_assert_eq!((commune.row, commune.col), (*row, *col));
        store::move_unit(conn, *school, Relation::LocatedIn, commune.id, reform).await?;
        if levels.iter().all(|l| l.is_local()) {
            store::move_unit(conn, *school, Relation::ManagedBy, commune.id, reform).await?;
        }
    }
    for &district in districts.iter().take(9) {
        store::close(conn, district, reform).await?;
    }
    // Outlines for the dashboard's map: communes are the cells of the grid, districts its
    // blocks of 5 × 2 cells (the merged town's block joined its neighbour's).
    for commune in &communes {
        let outline = block_outline(commune.row, commune.col, commune.row + 1, commune.col + 1);
        crate::store::dashboard::put_boundary(conn, commune.id, &outline).await?;
    }
    for (i, &district) in districts.iter().enumerate().take(9) {
        let (row, col) = ((i / 5) * 5, (i % 5) * 2);
        let cols = if i == 8 { 4 } else { 2 };
        let outline = block_outline(row, col, row + 5, col + cols);
        crate::store::dashboard::put_boundary(conn, district, &outline).await?;
    }
    tx.commit().await?;
    tracing::info!(
        schools = options.schools,
        seed = options.seed,
        "demo province generated"
    );
    Ok(DemoSummary {
        divisions: DIVISIONS.len(),
        districts: DISTRICTS.len(),
        communes: communes.len(),
        schools: options.schools,
    })
}

fn plain_unit(
    code: &str,
    name: &str,
    kind: UnitKind,
    area_type: Option<AreaType>,
    on: NaiveDate,
) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        kind,
        area_type,
        levels: vec![],
        ownership: None,
        staff_count: None,
        student_count: None,
        address: String::new(),
        latitude: None,
        longitude: None,
        established_on: on,
    }
}

fn area_prefix(area_type: AreaType) -> &'static str {
    match area_type {
        AreaType::District => "Huyện",
        AreaType::UrbanDistrict => "Quận",
        AreaType::Town => "Thị xã",
        AreaType::City => "Thành phố",
        AreaType::Commune => "Xã",
        AreaType::Ward => "Phường",
        AreaType::SpecialZone => "Đặc khu",
    }
}

fn shuffle<T>(items: &mut [T], rng: &mut ChaCha8Rng) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

fn pick_levels(rng: &mut ChaCha8Rng) -> Vec<SchoolLevel> {
    use SchoolLevel::*;
    match rng.random_range(0..1000) {
        0..=359 => vec![Preschool],
        360..=659 => vec![Primary],
        660..=879 => vec![LowerSecondary],
        880..=939 => vec![UpperSecondary],
        940..=954 => vec![Primary, LowerSecondary],
        955..=969 => vec![LowerSecondary, UpperSecondary],
        970..=989 => vec![ContinuingEducation],
        _ => vec![College],
    }
}

fn pick_ownership(rng: &mut ChaCha8Rng, levels: &[SchoolLevel]) -> Ownership {
    let non_public_per_mille = match levels.first() {
        Some(SchoolLevel::Preschool) => 250,
        Some(SchoolLevel::UpperSecondary) | Some(SchoolLevel::College) => 120,
        _ if levels.len() > 1 => 400,
        _ => 40,
    };
    if rng.random_range(0..1000) < non_public_per_mille {
        Ownership::NonPublic
    } else {
        Ownership::Public
    }
}

fn school_name(
    rng: &mut ChaCha8Rng,
    levels: &[SchoolLevel],
    ownership: Ownership,
    commune: &str,
    thcs_seen: &mut usize,
    district: usize,
) -> String {
    use SchoolLevel::*;
    let figure = FIGURES[rng.random_range(0..FIGURES.len())];
    let place = if rng.random_bool(0.5) {
        figure
    } else {
        commune
    };
    match levels {
        [Preschool] if ownership == Ownership::NonPublic => {
            format!(
                "Trường Mầm non tư thục {}",
                PRESCHOOL_NAMES[rng.random_range(0..PRESCHOOL_NAMES.len())]
            )
        }
        [Preschool] => {
            let name = if rng.random_bool(0.5) {
                PRESCHOOL_NAMES[rng.random_range(0..PRESCHOOL_NAMES.len())]
            } else {
                commune
            };
            format!("Trường Mầm non {name}")
        }
        [Primary] => format!("Trường Tiểu học {place}"),
        [LowerSecondary] => {
            let name = if *thcs_seen == 0 { FIGURES[0] } else { place };
            *thcs_seen += 1;
            format!("Trường THCS {name}")
        }
        [UpperSecondary] => format!("Trường THPT {figure}"),
        [Primary, LowerSecondary] => format!("Trường Tiểu học và THCS {commune}"),
        [LowerSecondary, UpperSecondary] => format!("Trường THCS và THPT {figure}"),
        [ContinuingEducation] => format!("Trung tâm GDNN-GDTX {}", DISTRICTS[district].1),
        _ => format!(
            "Trường Cao đẳng {}",
            [
                "Sư phạm Sơn Hà",
                "Kỹ thuật Sơn Hà",
                "Y tế Sơn Hà",
                "Cộng đồng Sơn Hà"
            ][rng.random_range(0..4)]
        ),
    }
}

/// Same-named schools get the suffixes real ones use: A, B, C, then numbers.
fn unique_name(taken: &mut HashSet<String>, base: String) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    for suffix in ["A", "B", "C", "D"] {
        let candidate = format!("{base} {suffix}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base} số {n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

fn student_count(rng: &mut ChaCha8Rng, levels: &[SchoolLevel]) -> i64 {
    use SchoolLevel::*;
    let (low, high) = match levels.last() {
        Some(Preschool) => (120, 420),
        Some(Primary) | Some(LowerSecondary) => (280, 1250),
        Some(UpperSecondary) => (600, 1850),
        Some(ContinuingEducation) => (150, 800),
        _ => (1000, 5000),
    };
    rng.random_range(low..=high)
}

/// A corner of the grid, moved a little (the same way for every cell that shares it) so that
/// the outlines look drawn rather than ruled; the province's own edge stays straight.
fn grid_corner(row: usize, col: usize) -> (f64, f64) {
    let cell_lat = (LAT_MAX - LAT_MIN) / GRID as f64;
    let cell_lon = (LON_MAX - LON_MIN) / GRID as f64;
    let wobble = |salt: usize| {
        let h = (row * 7919 + col * 104_729 + salt * 1_299_709) % 1000;
        (h as f64 / 1000.0 - 0.5) * 0.3
    };
    let inner = row > 0 && row < GRID && col > 0 && col < GRID;
    let (dr, dc) = if inner {
        (wobble(1), wobble(2))
    } else {
        (0.0, 0.0)
    };
    let lat = LAT_MAX - (row as f64 + dr) * cell_lat;
    let lon = LON_MIN + (col as f64 + dc) * cell_lon;
    ((lon * 1e5).round() / 1e5, (lat * 1e5).round() / 1e5)
}

/// The GeoJSON Polygon around the cells from (`row0`, `col0`) to (`row1`, `col1`), through
/// every grid corner on its edge so that neighbours share their borders exactly.
fn block_outline(row0: usize, col0: usize, row1: usize, col1: usize) -> String {
    let mut ring = Vec::new();
    ring.extend((col0..col1).map(|c| grid_corner(row0, c)));
    ring.extend((row0..row1).map(|r| grid_corner(r, col1)));
    ring.extend((col0 + 1..=col1).rev().map(|c| grid_corner(row1, c)));
    ring.extend((row0 + 1..=row1).rev().map(|r| grid_corner(r, col0)));
    ring.push(grid_corner(row0, col0));
    let points: Vec<String> = ring
        .iter()
        .map(|(lon, lat)| format!("[{lon},{lat}]"))
        .collect();
    format!(
        r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
        points.join(",")
    )
}

fn point_in_cell(rng: &mut ChaCha8Rng, row: usize, col: usize) -> (f64, f64) {
    let cell_lat = (LAT_MAX - LAT_MIN) / GRID as f64;
    let cell_lon = (LON_MAX - LON_MIN) / GRID as f64;
    let lat = LAT_MAX - (row as f64 + rng.random_range(0.1..0.9)) * cell_lat;
    let lon = LON_MIN + (col as f64 + rng.random_range(0.1..0.9)) * cell_lon;
    ((lat * 1e5).round() / 1e5, (lon * 1e5).round() / 1e5)
}
