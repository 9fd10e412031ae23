use super::criteria::{model_school, safety_standard, shipped, yearly_evaluation};
use super::*;

fn answers(pairs: &[(&str, Answer)]) -> Answers {
    pairs.iter().map(|(k, a)| (k.to_string(), *a)).collect()
}

#[test]
fn the_shipped_sets_are_valid_and_score_out_of_one_hundred() {
    for (programme, body) in shipped() {
        assert_eq!(body.check(), Ok(()), "{programme:?}");
    }
    assert_eq!(model_school().max_total(), 100);
    assert_eq!(yearly_evaluation().max_total(), 100);
    assert!(
        model_school().caveat.is_some(),
        "the draft says it is a draft"
    );
}

#[test]
fn a_band_needs_its_points_and_its_must_pass_criteria() {
    let set = model_school();
    let full = answers(&[
        ("1.1", Answer::Pass(true)),
        ("1.2", Answer::Points(10)),
        ("2.1", Answer::Points(15)),
        ("2.2", Answer::Number(97.5)),
        ("3.1", Answer::Pass(true)),
        ("3.2", Answer::Points(15)),
        ("4.1", Answer::Points(15)),
        ("4.2", Answer::Points(10)),
    ]);
    let outcome = set.score(&full);
    assert_eq!((outcome.total, outcome.max), (100, 100));
    assert_eq!(outcome.band.as_deref(), Some("Đạt điển hình"));
    assert!(outcome.shortfalls.is_empty());

    // Enough points, but a must-pass criterion failed: the band is missed, and says why.
    let mut failed = full.clone();
    failed.insert("3.1".into(), Answer::Pass(false));
    failed.insert("4.2".into(), Answer::Points(10));
    let outcome = set.score(&failed);
    assert_eq!(outcome.total, 85);
    assert_eq!(outcome.band.as_deref(), Some("Chưa đạt"));
    assert_eq!(outcome.shortfalls.len(), 1);
    assert!(
        outcome.shortfalls[0].contains("tiêu chí 3.1"),
        "{outcome:?}"
    );
    assert!(!outcome.shortfalls[0].contains("thiếu"), "{outcome:?}");
    assert!(outcome.unmet.contains(&"3.1".to_string()));

    // Every must-pass met but too few points: the shortfall counts them.
    let mut low = full.clone();
    low.insert("2.1".into(), Answer::Points(0));
    low.insert("4.1".into(), Answer::Points(5));
    low.insert("2.2".into(), Answer::Number(80.0));
    let outcome = set.score(&low);
    assert_eq!(outcome.total, 65);
    assert_eq!(outcome.band.as_deref(), Some("Chưa đạt"));
    assert!(
        outcome.shortfalls[0].contains("thiếu 15 điểm (đạt 65/80 điểm cần)"),
        "{outcome:?}"
    );
}

#[test]
fn the_yearly_bands_fall_through_in_order() {
    let set = yearly_evaluation();
    let mut a = answers(&[
        ("1.1", Answer::Points(15)),
        ("1.2", Answer::Points(10)),
        ("2.1", Answer::Points(20)),
        ("2.2", Answer::Pass(true)),
        ("2.3", Answer::Points(15)),
        ("3.1", Answer::Points(20)),
    ]);
    assert_eq!(set.score(&a).band.as_deref(), Some("Xuất sắc"));
    // A serious incident: 80 points, but both upper bands need 2.2.
    a.insert("2.2".into(), Answer::Pass(false));
    let outcome = set.score(&a);
    assert_eq!(outcome.total, 80);
    assert_eq!(outcome.band.as_deref(), Some("Trung bình"));
    assert_eq!(outcome.shortfalls.len(), 2);
}

#[test]
fn the_reporting_item_follows_report_timeliness() {
    let set = yearly_evaluation();
    let mut a = Answers::new();
    set.fill_from_reports(
        &mut a,
        Timeliness {
            expected: 5,
            on_time: 5,
        },
    );
    assert_eq!(a.get("3.1"), Some(&Answer::Points(20)));
    set.fill_from_reports(
        &mut a,
        Timeliness {
            expected: 5,
            on_time: 3,
        },
    );
    assert_eq!(a.get("3.1"), Some(&Answer::Points(12)));
    set.fill_from_reports(&mut a, Timeliness::default());
    assert_eq!(a.get("3.1"), Some(&Answer::Points(20)), "nothing due");
    assert!(!set.unanswered(&Answers::new()).contains(&"3.1".to_string()));
}

#[test]
fn the_safety_standard_is_all_or_nothing_and_not_for_preschools_or_primary() {
    let set = safety_standard();
    use crate::org::SchoolLevel::*;
    assert!(!set.offered_to(&[Preschool]));
    assert!(!set.offered_to(&[Primary]));
    assert!(!set.offered_to(&[Preschool, Primary]));
    assert!(!set.offered_to(&[]));
    assert!(set.offered_to(&[LowerSecondary]));
    assert!(
        set.offered_to(&[Primary, LowerSecondary]),
        "liên cấp TH-THCS"
    );
    assert!(set.offered_to(&[UpperSecondary]));

    let all: Answers = set
        .criteria()
        .map(|c| (c.key.clone(), Answer::Pass(true)))
        .collect();
    assert_eq!(set.score(&all).band.as_deref(), Some("Đạt tiêu chuẩn"));
    let mut one_short = all.clone();
    one_short.insert("4".into(), Answer::Pass(false));
    let outcome = set.score(&one_short);
    assert_eq!(outcome.band, None);
    assert!(outcome.shortfalls[0].contains("tiêu chí 4"));
}

#[test]
fn a_broken_set_is_refused_with_reasons() {
    let mut set = model_school();
    set.groups[0].items[1].key = "1.1".into();
    set.bands[0].must_pass.push("9.9".into());
    set.bands[0].must_pass.push("1.2".into());
    set.bands[0].min_score = 101;
    let problems = set.check().unwrap_err();
    let text = problems.join("\n");
    assert!(text.contains("Mã tiêu chí 1.1 bị trùng"), "{text}");
    assert!(text.contains("không có tiêu chí này"), "{text}");
    assert!(text.contains("nhiều hơn tổng điểm tối đa"), "{text}");
}

#[test]
fn answers_out_of_bounds_or_of_the_wrong_kind_are_named() {
    let set = model_school();
    let problems = set.check_answers(&answers(&[
        ("1.2", Answer::Points(11)),
        ("1.1", Answer::Points(3)),
        ("7.7", Answer::Pass(true)),
    ]));
    let text: Vec<String> = problems.into_iter().map(|(_, m)| m).collect();
    assert!(text
        .iter()
        .any(|m| m.contains("tối đa 10 điểm, đã nhập 11")));
    assert!(text
        .iter()
        .any(|m| m.contains("1.1: câu trả lời không đúng loại")));
    assert!(text.iter().any(|m| m.contains("không có tiêu chí 7.7")));
}

#[test]
fn a_decision_needs_its_number_signer_date_and_schools() {
    let mut d = NewDecision {
        programme: Programme::ModelSchool,
        year: 2025,
        number: "125/QĐ-SGDĐT".into(),
        signed_on: "2025-12-20".into(),
        signer: "Nguyễn Văn A".into(),
        assessments: vec![1],
    };
    assert!(d.check().is_ok());
    d.signed_on = "20/12/2025".into();
    assert_eq!(d.check().unwrap_err(), "Ngày ký không hợp lệ.");
    d.signed_on = "2025-12-20".into();
    d.assessments.clear();
    assert!(d.check().unwrap_err().contains("ít nhất một trường"));
}
