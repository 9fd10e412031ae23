use super::*;
use chrono::NaiveDate;

fn registration(kind: NomineeKind, nominee: &str, position: &str, title: &str) -> NewRegistration {
    NewRegistration {
        unit: 1,
        year: 2026,
        kind,
        nominee: nominee.into(),
        position: position.into(),
        title: title.into(),
    }
}

#[test]
fn a_title_belongs_to_its_kind_and_a_person_needs_a_position() {
    let c = NomineeKind::Collective;
    let p = NomineeKind::Individual;
    assert!(
        registration(c, "Trường THCS Lê Lợi", "", "Tập thể lao động tiên tiến")
            .problems()
            .is_empty()
    );
    assert!(
        registration(p, "Nguyễn Thị Lan", "Hiệu trưởng", "Chiến sĩ thi đua cơ sở")
            .problems()
            .is_empty()
    );
    assert_eq!(
        registration(c, "Trường THCS Lê Lợi", "", "Chiến sĩ thi đua cơ sở").problems(),
        ["Danh hiệu “Chiến sĩ thi đua cơ sở” không dành cho tập thể."]
    );
    assert_eq!(
        registration(p, "Nguyễn Thị Lan", " ", "Lao động tiên tiến").problems(),
        ["Hãy nhập chức vụ của cá nhân."]
    );
    assert_eq!(
        registration(p, "  ", "Giáo viên", "Lao động tiên tiến").problems(),
        ["Hãy nhập họ và tên."]
    );
}

#[test]
fn a_nomination_needs_its_achievements() {
    let mut n = NewNomination {
        unit: 1,
        year: 2026,
        kind: NomineeKind::Collective,
        nominee: "Trường THPT Trần Phú".into(),
        position: String::new(),
        form: 1,
        achievements: "Tốt".into(),
    };
    assert_eq!(n.problems(), ["Hãy tóm tắt thành tích (ít nhất 20 ký tự)."]);
    n.achievements = "Không có học sinh vi phạm pháp luật trong năm học.".into();
    assert!(n.problems().is_empty());
}

#[test]
fn a_decision_is_numbered_signed_dated_by_today_and_lists_someone() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut d = NewAwardDecision {
        year: 2026,
        form: 1,
        number: "1520/QĐ-SGDĐT".into(),
        signed_on: today,
        signer: "Nguyễn Văn Hùng".into(),
        nominations: vec![4],
    };
    assert!(d.problems(today).is_empty());
    d.signed_on = today.succ_opt().unwrap();
    d.nominations.clear();
    d.number = " ".into();
    assert_eq!(d.problems(today).len(), 3);
}

#[test]
fn only_drafts_and_rejected_registrations_are_sent() {
    use RegistrationStatus::*;
    let sendable: Vec<_> = RegistrationStatus::ALL
        .into_iter()
        .filter(|s| s.sendable())
        .collect();
    assert_eq!(sendable, [Draft, Rejected]);
    for s in RegistrationStatus::ALL {
        assert_eq!(RegistrationStatus::from_code(s.code()), Some(s));
    }
}
