//! The organisation over HTTP: health, pages, the directory search and filters, the tree and
//! the history of merged units. Runs on SQLite, or PostgreSQL with `TEST_DATABASE_URL`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::org::{
    AreaType, DirectoryFilter, DirectoryPage, LevelFilter, Ownership, SchoolLevel, TreeNode,
    UnitDetail, UnitKind,
};
use chrono::NaiveDate;
use common::{expected_backend, TestApp};
use serde_json::{json, Value};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn search(app: &TestApp, filter: DirectoryFilter) -> DirectoryPage {
    app.call("org/search", json!({ "filter": filter }))
        .await
        .expect("search")
}

async fn children(app: &TestApp, parent: Option<i64>, as_of: NaiveDate) -> Vec<TreeNode> {
    app.call("org/children", json!({ "parent": parent, "as_of": as_of }))
        .await
        .expect("children")
}

async fn unit(app: &TestApp, id: i64) -> UnitDetail {
    app.call("org/unit", json!({ "id": id }))
        .await
        .expect("unit")
}

#[tokio::test]
async fn health_reports_the_database_in_use() {
    let app = TestApp::empty().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], expected_backend());
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn health_is_503_when_the_database_is_gone() {
    let app = TestApp::empty().await;
    app.db.close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
}

#[tokio::test]
async fn pages_render_in_vietnamese_and_unknown_ones_are_404() {
    let app = TestApp::demo_admin(60).await;
    // Twice over, and the tree as of a past date too: a page that never answers fails here.
    let paths = [
        "/",
        "/directory",
        "/directory?q=nguyen&kind=school",
        "/tree",
        "/tree?as_of=2020-01-15",
        "/import",
    ];
    for path in paths.iter().chain(paths.iter()) {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("<html lang=\"vi\""), "{path}: {html}");
        assert!(html.contains("/pkg/antq.css"), "{path}");
    }
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Sở Giáo dục và Đào tạo tỉnh Sơn Hà"));

    let missing = app.get("/khong-co-trang-nay").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Không tìm thấy"));
    let missing_unit = app.get("/units/999999").await;
    assert_eq!(missing_unit.status(), 404);
}

#[tokio::test]
async fn english_is_chosen_by_cookie() {
    let app = TestApp::empty().await;
    let html = app
        .client
        .get(app.url("/"))
        .header("cookie", "antq_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\""));
}

#[tokio::test]
async fn search_ignores_case_and_diacritics() {
    let app = TestApp::demo_admin(200).await;
    for q in [
        "truong thcs nguyen thi thap",
        "THCS Nguyễn Thị Thập",
        "NGUYEN THI THAP",
    ] {
        let page = search(
            &app,
            DirectoryFilter {
                q: q.into(),
                ..Default::default()
            },
        )
        .await;
        assert!(
            page.items
                .iter()
                .any(|u| u.name == "Trường THCS Nguyễn Thị Thập"),
            "{q}: {:?}",
            page.items.iter().map(|u| &u.name).collect::<Vec<_>>()
        );
    }
    let none = search(
        &app,
        DirectoryFilter {
            q: "khong co truong nao ten nhu the nay".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(none.total, 0);
    assert!(none.items.is_empty());
}

#[tokio::test]
async fn filters_narrow_the_directory() {
    let app = TestApp::demo_admin(300).await;
    let all_schools = search(
        &app,
        DirectoryFilter {
            kind: Some(UnitKind::School),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(all_schools.total, 300);
    assert_eq!(all_schools.items.len(), 50);

    let thcs = search(
        &app,
        DirectoryFilter {
            kind: Some(UnitKind::School),
            level: Some(LevelFilter::Level(SchoolLevel::LowerSecondary)),
            ..Default::default()
        },
    )
    .await;
    assert!(thcs.total > 0 && thcs.total < 300);
    assert!(thcs
        .items
        .iter()
        .all(|u| u.levels.contains(&SchoolLevel::LowerSecondary)));

    let multi = search(
        &app,
        DirectoryFilter {
            level: Some(LevelFilter::MultiLevel),
            ..Default::default()
        },
    )
    .await;
    assert!(multi.items.iter().all(|u| u.levels.len() >= 2));

    let private = search(
        &app,
        DirectoryFilter {
            ownership: Some(Ownership::NonPublic),
            ..Default::default()
        },
    )
    .await;
    assert!(private.total > 0);
    assert!(private
        .items
        .iter()
        .all(|u| u.ownership == Some(Ownership::NonPublic)));

    // By area: every school listed hangs under the chosen commune today.
    let first_school = &all_schools.items[0];
    let area = first_school.area.clone().expect("a school has an area");
    let in_area = search(
        &app,
        DirectoryFilter {
            area: Some(area.id),
            ..Default::default()
        },
    )
    .await;
    assert!(in_area.total >= 1);
    assert!(in_area
        .items
        .iter()
        .all(|u| u.area.as_ref().map(|a| a.id) == Some(area.id)));

    // Paging: the second page continues the first.
    let second = search(
        &app,
        DirectoryFilter {
            kind: Some(UnitKind::School),
            page: 1,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(second.items.len(), 50);
    assert!(second
        .items
        .iter()
        .all(|u| !all_schools.items.iter().any(|f| f.id == u.id)));
}

#[tokio::test]
async fn a_too_long_query_is_refused_clearly() {
    let app = TestApp::demo_admin(5).await;
    let err = app
        .call::<DirectoryPage>(
            "org/search",
            json!({ "filter": DirectoryFilter { q: "a".repeat(201), ..Default::default() } }),
        )
        .await
        .expect_err("refused");
    assert!(err.1.contains("quá dài"), "{err:?}");
}

#[tokio::test]
async fn the_reform_moves_schools_from_districts_to_communes() {
    let app = TestApp::demo_admin(120).await;
    let areas_before = search(
        &app,
        DirectoryFilter {
            kind: Some(UnitKind::Area),
            as_of: Some(date(2025, 6, 30)),
            ..Default::default()
        },
    )
    .await;
    let areas_after = search(
        &app,
        DirectoryFilter {
            kind: Some(UnitKind::Area),
            as_of: Some(date(2025, 7, 1)),
            ..Default::default()
        },
    )
    .await;
    // Nine districts (one merged in 2020) before; a hundred communes, wards and a zone after.
    assert_eq!(areas_before.total, 9);
    assert_eq!(areas_after.total, 100);
    assert!(areas_before
        .items
        .iter()
        .all(|a| a.area_type.is_some_and(|t| t.is_pre_reform())));
    assert!(areas_after
        .items
        .iter()
        .any(|a| a.area_type == Some(AreaType::SpecialZone)));

    // A school keeps both of its areas in its history.
    let school = search(
        &app,
        DirectoryFilter {
            kind: Some(UnitKind::School),
            level: Some(LevelFilter::Level(SchoolLevel::Primary)),
            ..Default::default()
        },
    )
    .await
    .items
    .remove(0);
    let detail = unit(&app, school.id).await;
    let managers: Vec<_> = detail
        .links
        .iter()
        .map(|l| (l.parent.name.clone(), l.valid_until))
        .collect();
    assert!(managers.len() >= 2, "{managers:?}");
    assert!(managers
        .iter()
        .any(|(_, until)| *until == Some(date(2025, 7, 1))));
    assert!(managers.iter().any(|(_, until)| until.is_none()));
}

#[tokio::test]
async fn the_demo_merger_keeps_both_histories() {
    let app = TestApp::demo_admin(150).await;
    let find = |name: &'static str, as_of: NaiveDate| {
        let app = &app;
        async move {
            search(
                app,
                DirectoryFilter {
                    q: name.into(),
                    kind: Some(UnitKind::Area),
                    as_of: Some(as_of),
                    ..Default::default()
                },
            )
            .await
        }
    };
    let before = find("Long Phú", date(2020, 1, 31)).await;
    assert_eq!(before.total, 1, "{before:?}");
    let long_phu = before.items[0].clone();
    assert_eq!(long_phu.name, "Thị xã Long Phú");
    assert_eq!(find("Long Phú", date(2020, 2, 1)).await.total, 0);

    let detail = unit(&app, long_phu.id).await;
    assert_eq!(detail.closed_on, Some(date(2020, 2, 1)));
    let target = detail.merged_into.clone().expect("merged into");
    assert_eq!(target.name, "Huyện Long Hưng");
    let target_detail = unit(&app, target.id).await;
    assert!(target_detail
        .merged_from
        .iter()
        .any(|u| u.id == long_phu.id));

    // The tree as it stood before the merger shows the two apart, each with its own schools.
    let before_tree = children(&app, None, date(2020, 1, 31)).await;
    let department = &before_tree[0];
    let districts = children(&app, Some(department.id), date(2020, 1, 31)).await;
    let phu = districts
        .iter()
        .find(|n| n.id == long_phu.id)
        .expect("Long Phú");
    let hung = districts
        .iter()
        .find(|n| n.id == target.id)
        .expect("Long Hưng");
    let after = children(&app, Some(department.id), date(2020, 2, 1)).await;
    assert!(after.iter().all(|n| n.id != long_phu.id));
    let hung_after = after
        .iter()
        .find(|n| n.id == target.id)
        .expect("Long Hưng after");
    assert_eq!(hung_after.child_count, hung.child_count + phu.child_count);
}

#[tokio::test]
async fn a_merger_made_through_the_data_layer_keeps_both_subtrees() {
    use app::org::Relation;
    use app::store::org::{insert_unit, link, merge, NewUnit};
    let app = TestApp::empty().await;
    let mut conn = app.db.pool().acquire().await.unwrap();
    let new_unit = |code: &str, name: &str, kind: UnitKind, area_type: Option<AreaType>| NewUnit {
        code: code.into(),
        name: name.into(),
        kind,
        area_type,
        levels: if kind == UnitKind::School {
            vec![SchoolLevel::Primary]
        } else {
            vec![]
        },
        ownership: (kind == UnitKind::School).then_some(Ownership::Public),
        staff_count: None,
        student_count: None,
        address: String::new(),
        latitude: None,
        longitude: None,
        established_on: date(2000, 1, 1),
    };
    let dept = insert_unit(
        &mut conn,
        &new_unit("S", "Sở Giáo dục và Đào tạo", UnitKind::Department, None),
    )
    .await
    .unwrap();
    let a = insert_unit(
        &mut conn,
        &new_unit("A", "Xã Hòa An", UnitKind::Area, Some(AreaType::Commune)),
    )
    .await
    .unwrap();
    let b = insert_unit(
        &mut conn,
        &new_unit("B", "Xã Hòa Bình", UnitKind::Area, Some(AreaType::Commune)),
    )
    .await
    .unwrap();
    let sa = insert_unit(
        &mut conn,
        &new_unit("SA", "Trường Tiểu học Hòa An", UnitKind::School, None),
    )
    .await
    .unwrap();
    let sb = insert_unit(
        &mut conn,
        &new_unit("SB", "Trường Tiểu học Hòa Bình", UnitKind::School, None),
    )
    .await
    .unwrap();
    for area in [a, b] {
        link(&mut conn, area, dept, Relation::ManagedBy, date(2000, 1, 1))
            .await
            .unwrap();
    }
    link(&mut conn, sa, a, Relation::ManagedBy, date(2000, 1, 1))
        .await
        .unwrap();
    link(&mut conn, sb, b, Relation::ManagedBy, date(2000, 1, 1))
        .await
        .unwrap();
    merge(&mut conn, &[b], a, date(2024, 1, 1)).await.unwrap();

    // Merging into itself or merging a closed unit is refused.
    assert!(merge(&mut conn, &[a], a, date(2024, 2, 1)).await.is_err());
    assert!(merge(&mut conn, &[b], a, date(2024, 2, 1)).await.is_err());
    drop(conn);
    app::store::accounts::create_admin(&app.db, "admin", None, "Quản trị", "mat-khau-du-dai")
        .await
        .unwrap();
    app.sign_in(&app.client, "admin", "mat-khau-du-dai")
        .await
        .unwrap();

    let before: Vec<_> = children(&app, Some(dept), date(2023, 12, 31)).await;
    assert_eq!(before.len(), 2);
    assert!(before.iter().all(|n| n.child_count == 1));
    let under_b = children(&app, Some(b), date(2023, 12, 31)).await;
    assert_eq!(under_b.iter().map(|n| n.id).collect::<Vec<_>>(), vec![sb]);

    let after = children(&app, Some(dept), date(2024, 1, 1)).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].child_count, 2);
    let under_a = children(&app, Some(a), date(2024, 1, 1)).await;
    assert_eq!(under_a.len(), 2);

    let b_detail = unit(&app, b).await;
    assert_eq!(b_detail.merged_into.map(|u| u.id), Some(a));
    assert_eq!(b_detail.names[0].name, "Xã Hòa Bình");
    let sb_detail = unit(&app, sb).await;
    let parents: Vec<_> = sb_detail.links.iter().map(|l| l.parent.id).collect();
    assert!(parents.contains(&a) && parents.contains(&b), "{parents:?}");

    // The directory (kept in memory between searches) follows a rename at once, and still
    // finds the old name on the days it was in force.
    let named = |q: &str, as_of: NaiveDate| DirectoryFilter {
        q: q.into(),
        as_of: Some(as_of),
        ..DirectoryFilter::default()
    };
    let today = app::clock::today();
    assert_eq!(search(&app, named("xa hoa an", today)).await.total, 1);
    let mut conn = app.db.pool().acquire().await.unwrap();
    app::store::org::rename(&mut conn, a, "Xã Bình An Mới", date(2024, 1, 2))
        .await
        .unwrap();
    drop(conn);
    let renamed = search(&app, named("binh an moi", today)).await;
    assert_eq!(
        renamed.items.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![a]
    );
    assert_eq!(search(&app, named("xa hoa an", today)).await.total, 0);
    assert_eq!(
        search(&app, named("xa hoa an", date(2024, 1, 1)))
            .await
            .total,
        1
    );
}

#[tokio::test]
async fn the_demo_province_is_the_same_for_the_same_seed() {
    let first = TestApp::demo_admin(80).await;
    let second = TestApp::demo_admin(80).await;
    let filter = DirectoryFilter {
        kind: Some(UnitKind::School),
        ..Default::default()
    };
    let a = search(&first, filter.clone()).await;
    let b = search(&second, filter).await;
    let names = |p: &DirectoryPage| {
        p.items
            .iter()
            .map(|u| (u.code.clone(), u.name.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), names(&b));
    // Filling a database that already has units is refused.
    let again = app::org::demo::generate(&first.db, Default::default()).await;
    assert!(again.is_err());
}
