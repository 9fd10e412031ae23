use super::*;
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn run(started_on: NaiveDate, places: i64) -> NewRun {
    NewRun {
        model: 1,
        unit: 7,
        started_on,
        places,
        note: String::new(),
    }
}

#[test]
fn a_registration_starts_by_today_at_a_sensible_number_of_places() {
    let today = day(2026, 11, 23);
    assert!(run(today, 1).problems(today).is_empty());
    assert!(run(day(2022, 3, 15), MAX_PLACES).problems(today).is_empty());
    assert_eq!(
        run(day(2026, 11, 24), 1).problems(today),
        ["Ngày bắt đầu không được sau hôm nay."]
    );
    assert_eq!(run(today, 0).problems(today).len(), 1);
    assert_eq!(run(today, MAX_PLACES + 1).problems(today).len(), 1);
    let mut long = run(today, 2);
    long.note = "x".repeat(MAX_NOTE_CHARS + 1);
    assert_eq!(long.problems(today), ["Ghi chú tối đa 2.000 ký tự."]);
}

#[test]
fn the_catalogue_refuses_a_name_it_has_whatever_the_accents() {
    let catalogue = vec![SafetyModel {
        id: 1,
        name: "Xếp hàng đón con".into(),
        description: String::new(),
    }];
    assert!(catalogue_problems("Cổng trường an toàn", "", &catalogue).is_empty());
    assert_eq!(
        catalogue_problems("  xep hang  don con ", "", &catalogue),
        ["Danh mục đã có mô hình “xep hang  don con”."]
    );
    assert_eq!(catalogue_problems("ab", "", &catalogue).len(), 1);
}

#[test]
fn totals_add_up_the_areas_of_each_model_and_list_every_model() {
    let model = |id: i64| SafetyModel {
        id,
        name: format!("M{id}"),
        description: String::new(),
    };
    let count = |model: i64, schools: i64, places: i64, good: i64, replicate: i64| ModelCount {
        model,
        area: None,
        schools,
        places,
        good,
        replicate,
    };
    let overview = ModelsOverview {
        year: 2026,
        current_year: 2026,
        catalogue: vec![model(1), model(2), model(3)],
        by_area: vec![
            count(1, 3, 5, 1, 0),
            count(1, 2, 2, 2, 1),
            count(3, 1, 1, 0, 0),
        ],
        runs: Vec::new(),
        own_schools: Vec::new(),
        areas: Vec::new(),
        area: None,
        may_review: false,
        may_manage: false,
    };
    let totals: Vec<(i64, i64, i64, i64, i64)> = overview
        .totals()
        .into_iter()
        .map(|(m, t)| (m.id, t.schools, t.places, t.good, t.replicate))
        .collect();
    assert_eq!(totals, [(1, 5, 7, 3, 1), (2, 0, 0, 0, 0), (3, 1, 1, 0, 0)]);
}
