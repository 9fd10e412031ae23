//! Demo plans for the demo province: the documents they cite, and one plan of the movement
//! for each year 2022–2026 in every state of the lifecycle, with deployment progress. The
//! text is written for the demo; it follows the structure of real plans, not their words.

use super::{
    Audience, Duty, LegalBasis, Measure, PlanContent, ReportDuty, Target, Task, TextItem,
    Transition,
};
use crate::error::AppError;
use crate::org::SchoolLevel;
use crate::store::plans::{self as store, NewDocument, StepInput};
use crate::store::Db;
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A document of the registry: kind, number, date (y, m, d), issuer, subject.
type RegistryEntry = (
    &'static str,
    &'static str,
    (i32, u32, u32),
    &'static str,
    &'static str,
);

/// Documents plans commonly cite.
const REGISTRY: [RegistryEntry; 8] = [
    ("Nghị quyết", "51-NQ/TW", (2019, 9, 5), "Bộ Chính trị", "về Chiến lược bảo vệ an ninh quốc gia"),
    ("Chỉ thị", "09-CT/TW", (2011, 12, 1), "Ban Bí thư", "về tăng cường sự lãnh đạo của Đảng đối với phong trào toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới"),
    ("Thông tư", "124/2021/TT-BCA", (2021, 12, 28), "Bộ Công an", "quy định về tiêu chuẩn “An toàn về an ninh, trật tự”"),
    ("Nghị định", "30/2020/NĐ-CP", (2020, 3, 5), "Chính phủ", "về công tác văn thư"),
    ("Quyết định", "9745/QĐ-BCA-V05", (2023, 11, 30), "Bộ Công an", "về tiêu chí cơ sở giáo dục điển hình trong phong trào toàn dân bảo vệ an ninh Tổ quốc"),
    ("Quyết định", "510/QĐ-BCA-V05", (2024, 1, 24), "Bộ Công an", "về đánh giá, phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc"),
    ("Luật", "72/2025/QH15", (2025, 6, 16), "Quốc hội", "sửa đổi, bổ sung một số điều của Luật Tổ chức chính quyền địa phương"),
    ("Kế hoạch", "18/KH-BCĐ", (2025, 1, 10), "Ban Chỉ đạo phòng, chống tội phạm tỉnh", "về công tác phòng, chống tội phạm năm 2025"),
];

/// One plan of the movement for `year`, addressed to the areas of its time.
pub fn sample(year: i32, after_reform: bool) -> PlanContent {
    let mut c = PlanContent::new(year, "UBND TỈNH SƠN HÀ", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sơn Hà");
    c.title = format!("Triển khai phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}");
    let text = |c: &mut PlanContent, s: &str| TextItem {
        id: c.take_id(),
        text: s.to_string(),
    };
    c.legal_bases = vec![
        LegalBasis {
            id: c.take_id(),
            document: None,
            text: "Nghị quyết số 51-NQ/TW ngày 05/9/2019 của Bộ Chính trị về Chiến lược bảo vệ an ninh quốc gia".into(),
        },
        LegalBasis {
            id: c.take_id(),
            document: None,
            text: format!(
                "kết quả thực hiện phong trào năm {} và phương hướng năm {year} của Ban Chỉ đạo tỉnh",
                year - 1
            ),
        },
    ];
    c.purposes = vec![
        text(&mut c, "Giúp cán bộ, giáo viên, nhân viên và học sinh hiểu rõ trách nhiệm của mình trong việc giữ gìn an ninh, trật tự nơi **trường học** và khu dân cư."),
        text(&mut c, "Việc triển khai phải thiết thực, gắn với nhiệm vụ năm học, tránh hình thức; kịp thời biểu dương tập thể và cá nhân làm tốt."),
    ];
    let area = if after_reform {
        "UBND các xã, phường, đặc khu"
    } else {
        "Phòng GDĐT các huyện, thị xã, thành phố"
    };
    c.tasks = vec![
        Task {
            id: c.take_id(),
            title: "Tuyên truyền, phổ biến giáo dục pháp luật".into(),
            body: "Lồng ghép nội dung phòng, chống tội phạm và tệ nạn xã hội vào hoạt động ngoại khóa, sinh hoạt dưới cờ.".into(),
            points: vec![
                text(&mut c, "Tổ chức ít nhất một buổi tuyên truyền mỗi học kỳ."),
                text(&mut c, "Giới thiệu gương người tốt, việc tốt trên trang thông tin của trường."),
            ],
            responsible: format!("Các trường học; {area}"),
            deadline: Some(day(year, 5, 31)),
        },
        Task {
            id: c.take_id(),
            title: "Xây dựng trường học an toàn về an ninh, trật tự".into(),
            body: "Rà soát nội quy, phân công trực bảo vệ, phối hợp với công an cơ sở giải quyết sớm vụ việc phát sinh.".into(),
            points: vec![text(&mut c, "Đăng ký đạt tiêu chuẩn “An toàn về an ninh, trật tự” với cơ quan công an.")],
            responsible: "Thủ trưởng các đơn vị".into(),
            deadline: None,
        },
        Task {
            id: c.take_id(),
            title: "Hưởng ứng Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8)".into(),
            body: "Mỗi khu vực chọn một trường THCS và một trường tiểu học làm điểm; Sở chọn một trường THPT.".into(),
            points: vec![],
            responsible: "Văn phòng Sở; các trường được chọn làm điểm".into(),
            deadline: Some(day(year, 8, 19)),
        },
    ];
    c.targets = vec![
        Target {
            id: c.take_id(),
            text: "đơn vị tổ chức hội nghị triển khai kế hoạch".into(),
            value: Some(100.0),
            measure: Measure::Percent,
            indicator: "Số đơn vị đã tổ chức hội nghị triển khai".into(),
        },
        Target {
            id: c.take_id(),
            text: "trường được công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự”".into(),
            value: Some(90.0),
            measure: Measure::Percent,
            indicator: String::new(),
        },
    ];
    c.criteria_collective = vec![text(&mut c, "Không để xảy ra vụ việc phức tạp về an ninh, trật tự trong trường.\n- Có mô hình tự quản hoạt động hiệu quả")];
    c.criteria_individual = vec![text(
        &mut c,
        "Chấp hành tốt pháp luật; tích cực tham gia phát hiện, tố giác tội phạm.",
    )];
    c.solutions = vec![
        text(
            &mut c,
            "Phối hợp chặt chẽ với công an địa phương trong trao đổi thông tin.",
        ),
        text(
            &mut c,
            "Đưa kết quả thực hiện phong trào vào tiêu chí thi đua cuối năm.",
        ),
    ];
    c.organisation = vec![
        Duty {
            id: c.take_id(),
            who: "Văn phòng Sở".into(),
            duties: "Theo dõi, đôn đốc; tổng hợp kết quả báo cáo Ban Giám đốc.".into(),
        },
        Duty {
            id: c.take_id(),
            who: area.into(),
            duties: "Chỉ đạo các trường mầm non, tiểu học, THCS trên địa bàn triển khai kế hoạch."
                .into(),
        },
        Duty {
            id: c.take_id(),
            who: "Các trường THPT, trung tâm GDNN-GDTX".into(),
            duties: "Xây dựng kế hoạch của đơn vị và tổ chức thực hiện.".into(),
        },
    ];
    c.reporting = vec![ReportDuty {
        id: c.take_id(),
        what: format!("Báo cáo kết quả thực hiện phong trào năm {year}"),
        due: Some(day(year, 11, 5)),
        to: "Sở GDĐT (qua Văn phòng Sở)".into(),
        form: "bản ký, đóng dấu gửi trên hệ thống kèm tệp Word".into(),
    }];
    c.recipients = vec![
        text(&mut c, "Ban Chỉ đạo tỉnh (để báo cáo)"),
        text(&mut c, "Công an tỉnh (để phối hợp)"),
        text(&mut c, "Các đơn vị trực thuộc"),
        text(&mut c, "Lưu: VT, VP"),
    ];
    c.signer_title = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC".into();
    c.signer_name = "Nguyễn Văn Minh".into();
    c.audience = Audience {
        pilot_sites: true,
        ..Audience::default()
    };
    c
}

/// Demo plans: 2022–2024 issued and ended, 2025 issued before the reform and one issued
/// after it, a 2026 plan issued with progress, one waiting for approval (with a correction
/// history) and one draft; the issued ones with most of their pilot sites chosen. Needs the
/// demo accounts.
pub async fn generate(db: &Db) -> Result<(), AppError> {
    let mut conn = db.pool().acquire().await?;
    for (kind, number, (y, m, d), issuer, subject) in REGISTRY {
        store::insert_document(
            &mut conn,
            &NewDocument {
                kind,
                number,
                issued_on: Some(day(y, m, d)),
                issuer,
                subject,
                plan: None,
            },
        )
        .await?;
    }
    let department = crate::store::org::department_id(&mut conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = |name: &'static str| async move {
        sqlx::query_as::<_, (i64,)>("SELECT id FROM users WHERE username = $1")
            .bind(name)
            .fetch_one(db.pool())
            .await
            .map(|r| r.0)
    };
    let writer = user("chuyenvien").await?;
    let leader = user("lanhdao").await?;
    drop(conn);

    struct Spec {
        year: i32,
        issued: Option<(NaiveDate, &'static str)>,
        ended: bool,
        submitted: bool,
        title: Option<&'static str>,
        levels: Vec<SchoolLevel>,
    }
    let specs = [
        Spec { year: 2022, issued: Some((day(2022, 2, 18), "45/KH-SGDĐT")), ended: true, submitted: true, title: None, levels: vec![] },
        Spec { year: 2023, issued: Some((day(2023, 2, 20), "52/KH-SGDĐT")), ended: true, submitted: true, title: None, levels: vec![] },
        Spec { year: 2024, issued: Some((day(2024, 2, 26), "61/KH-SGDĐT")), ended: true, submitted: true, title: None, levels: vec![] },
        Spec { year: 2025, issued: Some((day(2025, 2, 14), "38/KH-SGDĐT")), ended: false, submitted: true, title: None, levels: vec![] },
        Spec {
            year: 2025,
            issued: Some((day(2025, 11, 12), "412/KH-SGDĐT")),
            ended: false,
            submitted: true,
            title: Some("Hưởng ứng phong trào thi đua bảo vệ an ninh Tổ quốc trong trường mầm non, tiểu học và THCS sau sắp xếp đơn vị hành chính"),
            levels: vec![SchoolLevel::Preschool, SchoolLevel::Primary, SchoolLevel::LowerSecondary],
        },
        Spec { year: 2026, issued: Some((day(2026, 1, 22), "27/KH-SGDĐT")), ended: false, submitted: true, title: None, levels: vec![] },
        Spec {
            year: 2026,
            issued: None,
            ended: false,
            submitted: true,
            title: Some("Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2026 trong ngành Giáo dục"),
            levels: vec![],
        },
        Spec {
            year: 2026,
            issued: None,
            ended: false,
            submitted: false,
            title: Some("Sơ kết 5 năm xây dựng mô hình “Trường học an toàn về an ninh, trật tự”"),
            levels: vec![SchoolLevel::UpperSecondary],
        },
    ];
    for spec in specs {
        let after_reform = spec
            .issued
            .is_none_or(|(d, _)| d >= crate::org::reform_date());
        let mut content = sample(spec.year, after_reform);
        if let Some(title) = spec.title {
            content.title = title.to_string();
        }
        content.audience.levels = spec.levels.clone();
        let mut conn = db.pool().acquire().await?;
        let id = store::create_plan(&mut conn, department, writer, &content, None).await?;
        drop(conn);
        if spec.submitted {
            store::transition(
                db,
                id,
                Transition::Submit,
                &StepInput::default(),
                writer,
                crate::clock::today(),
            )
            .await?;
        }
        if let Some((on, number)) = spec.issued {
            let input = StepInput {
                comment: String::new(),
                number: Some(number.to_string()),
                date: Some(on),
            };
            store::transition(db, id, Transition::Issue, &input, leader, on).await?;
            mark_progress(db, id, on, writer, spec.ended).await?;
            choose_pilots(db, id, on).await?;
            if spec.ended {
                store::transition(db, id, Transition::End, &StepInput::default(), leader, on)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Pilot sites of the 19/8 day, as chosen when the plan was issued: the department's first
/// THPT recipient, and in three areas of four their first THCS and first primary school (the
/// rest still have to choose).
async fn choose_pilots(db: &Db, plan: i64, issued: NaiveDate) -> Result<(), AppError> {
    let in_area = |levels: &str| {
        format!(
            "SELECT MIN(u.id) FROM plan_units pu JOIN units u ON u.id = pu.unit_id
             JOIN unit_links l ON l.unit_id = u.id AND l.relation = 'managed_by'
                  AND l.valid_from <= $2 AND (l.valid_until IS NULL OR l.valid_until > $2)
             JOIN units a ON a.id = l.parent_id AND a.kind = 'area'
             WHERE pu.plan_id = $1 AND u.levels = '{levels}' AND a.id % 4 <> 0
             GROUP BY a.id"
        )
    };
    sqlx::query(&format!(
        "UPDATE plan_units SET pilot = 1 WHERE plan_id = $1 AND unit_id IN (
             SELECT MIN(u.id) FROM plan_units pu JOIN units u ON u.id = pu.unit_id
             WHERE pu.plan_id = $1 AND u.levels = ',THPT,'
             UNION {} UNION {})",
        in_area(",THCS,"),
        in_area(",TH,"),
    ))
    .bind(plan)
    .bind(crate::store::iso(issued))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Deterministic progress: most units received the plan, fewer held the conference, and so
/// on down the checklist; ended plans are further along.
async fn mark_progress(
    db: &Db,
    plan: i64,
    issued: NaiveDate,
    user: i64,
    ended: bool,
) -> Result<(), AppError> {
    let shares: [i64; 5] = if ended {
        [10, 10, 9, 8, 7]
    } else {
        [8, 6, 5, 3, 0]
    };
    for (k, step) in super::DeployStep::ALL.iter().enumerate() {
        let on = issued + chrono::Duration::days(5 + 10 * k as i64);
        sqlx::query(
            "INSERT INTO plan_steps (plan_id, unit_id, step, done_on, note, marked_by, marked_at)
             SELECT plan_id, unit_id, $1, $2, '', $3, $4 FROM plan_units
             WHERE plan_id = $5 AND unit_id % 10 < $6",
        )
        .bind(step.code())
        .bind(crate::store::iso(on.min(crate::clock::today())))
        .bind(user)
        .bind(crate::store::now_text())
        .bind(plan)
        .bind(shares[k])
        .execute(db.pool())
        .await?;
    }
    Ok(())
}
