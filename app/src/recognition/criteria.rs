//! The criteria sets the product ships with. They are written to the database once, as
//! version 1 of each programme; from then on an administrator edits them as data.

use super::{Band, CriteriaBody, CriteriaGroup, Criterion, CriterionKind, Programme, Source};
use crate::org::SchoolLevel;

fn points(key: &str, text: &str, max: u32, evidence: bool) -> Criterion {
    Criterion {
        key: key.into(),
        text: text.into(),
        kind: CriterionKind::Points { max },
        evidence_required: evidence,
        source: None,
    }
}

fn pass(key: &str, text: &str, points: u32, evidence: bool) -> Criterion {
    Criterion {
        key: key.into(),
        text: text.into(),
        kind: CriterionKind::PassFail { points },
        evidence_required: evidence,
        source: None,
    }
}

fn threshold(key: &str, text: &str, min: f64, unit: &str, points: u32) -> Criterion {
    Criterion {
        key: key.into(),
        text: text.into(),
        kind: CriterionKind::Threshold {
            min,
            unit: unit.into(),
            points,
        },
        evidence_required: false,
        source: None,
    }
}

fn group(title: &str, items: Vec<Criterion>) -> CriteriaGroup {
    CriteriaGroup {
        title: title.into(),
        items,
    }
}

/// The model-school set. The official text of Quyết định 9745/QĐ-BCA-V05 was not at hand,
/// so this is a draft built from what the seeds say the criteria cover; it says so on
/// every page until an administrator replaces it.
pub fn model_school() -> CriteriaBody {
    CriteriaBody {
        title: "Bộ tiêu chí cơ sở giáo dục điển hình về phong trào toàn dân bảo vệ ANTQ".into(),
        basis: "Quyết định số 9745/QĐ-BCA-V05 ngày 28/12/2022 của Bộ Công an (Bộ tiêu chí tạm thời)"
            .into(),
        caveat: Some(
            "Bản dự thảo để chỉnh sửa: nội dung cần đối chiếu với văn bản chính thức của Quyết định 9745/QĐ-BCA-V05 trước khi dùng để xét công nhận."
                .into(),
        ),
        excluded_levels: Vec::new(),
        groups: vec![
            group(
                "1. Lãnh đạo, chỉ đạo",
                vec![
                    pass(
                        "1.1",
                        "Có kế hoạch xây dựng điển hình được thủ trưởng phê duyệt",
                        10,
                        true,
                    ),
                    points(
                        "1.2",
                        "Tổ chức hội nghị triển khai, phân công cụ thể cho các bộ phận, đoàn thể",
                        10,
                        true,
                    ),
                ],
            ),
            group(
                "2. Tuyên truyền, vận động",
                vec![
                    points(
                        "2.1",
                        "Tuyên truyền, phổ biến pháp luật về ANTT cho cán bộ, giáo viên, học sinh",
                        15,
                        true,
                    ),
                    threshold(
                        "2.2",
                        "Tỉ lệ cán bộ, giáo viên, học sinh ký cam kết không vi phạm pháp luật",
                        95.0,
                        "%",
                        10,
                    ),
                ],
            ),
            group(
                "3. Phòng ngừa, tố giác tội phạm",
                vec![
                    pass(
                        "3.1",
                        "Không có cán bộ, giáo viên, học sinh vi phạm pháp luật phải xử lý hình sự",
                        15,
                        false,
                    ),
                    points(
                        "3.2",
                        "Phối hợp với công an cơ sở giữ gìn ANTT trong và quanh trường",
                        15,
                        true,
                    ),
                ],
            ),
            group(
                "4. Mô hình, cách làm hay",
                vec![
                    points(
                        "4.1",
                        "Duy trì mô hình về ANTT hoạt động hiệu quả, có khả năng nhân rộng",
                        15,
                        true,
                    ),
                    points(
                        "4.2",
                        "Xây dựng lực lượng nòng cốt, tổ an ninh trường học",
                        10,
                        false,
                    ),
                ],
            ),
        ],
        bands: vec![
            Band {
                name: "Đạt điển hình".into(),
                min_score: 80,
                must_pass: vec!["1.1".into(), "3.1".into()],
            },
            Band {
                name: "Chưa đạt".into(),
                min_score: 0,
                must_pass: Vec::new(),
            },
        ],
    }
}

/// The "An toàn về an ninh, trật tự" standard of Thông tư 124/2021/TT-BCA: every criterion
/// must be met; not for preschools (nhà trẻ, mẫu giáo) or primary schools.
pub fn safety_standard() -> CriteriaBody {
    let items = vec![
        pass(
            "1",
            "Có kế hoạch, biện pháp bảo đảm ANTT và phòng cháy, chữa cháy của đơn vị",
            0,
            true,
        ),
        pass(
            "2",
            "Có lực lượng bảo vệ, tổ an ninh được kiện toàn và hoạt động thường xuyên",
            0,
            false,
        ),
        pass(
            "3",
            "Không để xảy ra vụ việc phức tạp về ANTT, tội phạm nghiêm trọng trong đơn vị",
            0,
            false,
        ),
        pass(
            "4",
            "Không có cán bộ, giáo viên, học sinh vi phạm pháp luật bị xử lý hình sự",
            0,
            false,
        ),
        pass(
            "5",
            "Thực hiện đầy đủ quy định về phòng cháy, chữa cháy và cứu nạn, cứu hộ",
            0,
            true,
        ),
    ];
    let must_pass = items.iter().map(|c| c.key.clone()).collect();
    CriteriaBody {
        title: "Tiêu chuẩn “An toàn về an ninh, trật tự”".into(),
        basis: "Thông tư số 124/2021/TT-BCA ngày 28/12/2021 của Bộ Công an".into(),
        caveat: None,
        excluded_levels: vec![SchoolLevel::Preschool, SchoolLevel::Primary],
        groups: vec![group("Tiêu chuẩn", items)],
        bands: vec![Band {
            name: "Đạt tiêu chuẩn".into(),
            min_score: 0,
            must_pass,
        }],
    }
}

/// The yearly evaluation of the movement in a school, in the manner of Quyết định
/// 510/QĐ-BCA-V05: scored items, bands, and the reporting item filled from the school's
/// report timeliness.
pub fn yearly_evaluation() -> CriteriaBody {
    CriteriaBody {
        title: "Đánh giá, phân loại phong trào toàn dân bảo vệ ANTQ hằng năm".into(),
        basis: "Theo Quyết định số 510/QĐ-BCA-V05 của Bộ Công an".into(),
        caveat: None,
        excluded_levels: Vec::new(),
        groups: vec![
            group(
                "1. Công tác chỉ đạo",
                vec![
                    points(
                        "1.1",
                        "Ban hành kế hoạch thực hiện phong trào của đơn vị",
                        15,
                        false,
                    ),
                    points(
                        "1.2",
                        "Kiện toàn ban chỉ đạo, phân công nhiệm vụ",
                        10,
                        false,
                    ),
                ],
            ),
            group(
                "2. Kết quả thực hiện",
                vec![
                    points(
                        "2.1",
                        "Tuyên truyền, giáo dục pháp luật, kỹ năng",
                        20,
                        false,
                    ),
                    pass(
                        "2.2",
                        "Không để xảy ra vụ việc nghiêm trọng về ANTT trong trường",
                        20,
                        false,
                    ),
                    points(
                        "2.3",
                        "Tổ chức Ngày hội toàn dân bảo vệ ANTQ (19/8)",
                        15,
                        false,
                    ),
                ],
            ),
            group(
                "3. Chế độ thông tin, báo cáo",
                vec![Criterion {
                    key: "3.1".into(),
                    text: "Gửi báo cáo định kỳ đầy đủ, đúng hạn (tính từ các kỳ báo cáo trong năm)"
                        .into(),
                    kind: CriterionKind::Points { max: 20 },
                    evidence_required: false,
                    source: Some(Source::ReportTimeliness),
                }],
            ),
        ],
        bands: vec![
            Band {
                name: "Xuất sắc".into(),
                min_score: 90,
                must_pass: vec!["2.2".into()],
            },
            Band {
                name: "Khá".into(),
                min_score: 70,
                must_pass: vec!["2.2".into()],
            },
            Band {
                name: "Trung bình".into(),
                min_score: 50,
                must_pass: Vec::new(),
            },
            Band {
                name: "Yếu".into(),
                min_score: 0,
                must_pass: Vec::new(),
            },
        ],
    }
}

/// Each programme's first version.
pub fn shipped() -> [(Programme, CriteriaBody); 3] {
    [
        (Programme::ModelSchool, model_school()),
        (Programme::SafetyStandard, safety_standard()),
        (Programme::YearlyEvaluation, yearly_evaluation()),
    ]
}
