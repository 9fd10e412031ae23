use super::*;

fn record(held_on: &str, participants: u32, forms: Vec<ActivityForm>) -> NewDayRecord {
    NewDayRecord {
        unit: 1,
        year: 2026,
        held_on: held_on.into(),
        participants,
        forms,
        note: String::new(),
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

#[test]
fn a_complete_record_gives_its_day() {
    let r = record("2026-08-19", 450, vec![ActivityForm::Ceremony]);
    assert_eq!(r.check(day(2026, 11, 23)), Ok(day(2026, 8, 19)));
}

#[test]
fn every_problem_is_named_at_once() {
    let r = record("", 0, Vec::new());
    let problems = r.check(day(2026, 11, 23)).unwrap_err();
    assert_eq!(problems.len(), 3, "{problems:?}");
}

#[test]
fn the_day_must_be_in_the_year_and_not_ahead() {
    let today = day(2026, 8, 10);
    assert!(record("2025-08-19", 10, vec![ActivityForm::Sports])
        .check(today)
        .is_err());
    assert!(record("2026-08-19", 10, vec![ActivityForm::Sports])
        .check(today)
        .is_err());
    assert!(record("2026-08-09", 10, vec![ActivityForm::Sports])
        .check(today)
        .is_ok());
}

#[test]
fn forms_are_stored_sorted_once_and_read_back() {
    let stored = ActivityForm::encode(&[
        ActivityForm::Pledge,
        ActivityForm::Ceremony,
        ActivityForm::Pledge,
    ]);
    assert_eq!(stored, ",ceremony,pledge,");
    assert_eq!(
        ActivityForm::decode(&stored),
        vec![ActivityForm::Ceremony, ActivityForm::Pledge]
    );
    assert!(ActivityForm::decode(",unknown,").is_empty());
}

#[test]
fn totals_add_up_the_areas() {
    let area = |held, schools| AreaDay {
        area: None,
        schools,
        held,
        participants: held * 100,
        pilots: 1,
        pilots_held: 1,
    };
    let o = DayOverview {
        year: 2026,
        current_year: 2026,
        today: day(2026, 11, 23),
        own: Vec::new(),
        areas: vec![area(3, 5), area(2, 4)],
        forms: Vec::new(),
        pilots: Vec::new(),
        may_record: false,
    };
    let t = o.totals();
    assert_eq!(
        (t.held, t.schools, t.participants, t.pilots),
        (5, 9, 500, 2)
    );
}
