//! Demo reports: the quarterly and yearly templates of the movement, their cycles from 2022
//! to 2026 with the seeds' deadlines, and submissions that look like a real province's:
//! most on time, some late, some missing, a few returned. The figures are derived from the
//! unit and cycle ids in SQL, so a province of thousands of schools fills in a second.

use super::{
    AttachmentKind, DeadlineRule, Field, FieldKind, NewCycle, Period, DEFAULT_REMINDER_DAYS,
};
use crate::error::AppError;
use crate::plans::Audience;
use crate::store::reports as store;
use crate::store::{iso, now_text, Db};
use chrono::{Duration, NaiveDate};

fn count(key: &str, label: &str, unit: &str, max: i64) -> Field {
    Field {
        key: key.into(),
        label: label.into(),
        kind: FieldKind::Count {
            unit: unit.into(),
            min: Some(0),
            max: Some(max),
        },
        required: true,
        help: String::new(),
    }
}

fn field(key: &str, label: &str, kind: FieldKind, required: bool, help: &str) -> Field {
    Field {
        key: key.into(),
        label: label.into(),
        kind,
        required,
        help: help.into(),
    }
}

/// The fields every report of the movement asks for.
fn common_fields(next: &str) -> Vec<Field> {
    vec![
        count(
            "tuyen_truyen_buoi",
            "Số buổi tuyên truyền, phổ biến giáo dục pháp luật",
            "buổi",
            1000,
        ),
        count(
            "tuyen_truyen_luot",
            "Số lượt cán bộ, giáo viên, học sinh tham gia",
            "lượt người",
            200_000,
        ),
        count("vu_bao_luc", "Số vụ bạo lực học đường", "vụ", 500),
        count(
            "vi_pham_phap_luat",
            "Số cán bộ, giáo viên, nhân viên, học sinh vi phạm pháp luật",
            "người",
            1000,
        ),
        field(
            "ty_le_cam_ket",
            "Tỉ lệ học sinh ký cam kết không vi phạm pháp luật",
            FieldKind::Percent,
            true,
            "Ví dụ 98,5",
        ),
        field(
            "to_an_ninh",
            "Đã kiện toàn Ban chỉ đạo, tổ bảo vệ an ninh trường học",
            FieldKind::YesNo,
            true,
            "",
        ),
        field(
            "tinh_hinh",
            "Đánh giá chung tình hình an ninh, trật tự trong trường",
            FieldKind::Choice {
                options: vec![
                    "Ổn định".into(),
                    "Cơ bản ổn định".into(),
                    "Có diễn biến phức tạp".into(),
                ],
            },
            true,
            "",
        ),
        field(
            "ket_qua",
            "Kết quả đạt được",
            FieldKind::Narrative,
            true,
            "",
        ),
        field(
            "ton_tai",
            "Tồn tại, hạn chế và nguyên nhân",
            FieldKind::Narrative,
            false,
            "",
        ),
        field("phuong_huong", next, FieldKind::Narrative, true, ""),
        field(
            "ban_scan",
            "Báo cáo có chữ ký, đóng dấu (bản scan)",
            FieldKind::Attachment {
                accept: AttachmentKind::SignedScan,
            },
            true,
            "PDF hoặc ảnh chụp rõ nét, tối đa 20 MB",
        ),
        field(
            "ban_word",
            "Tệp Word của báo cáo",
            FieldKind::Attachment {
                accept: AttachmentKind::WordFile,
            },
            false,
            "",
        ),
    ]
}

/// The demo figures, as SQL over the unit id `{u}` and the cycle id `$1`: (key, expression,
/// yes/no).
const FIGURES: [(&str, &str, bool); 6] = [
    ("tuyen_truyen_buoi", "(({u} * 7 + $1) % 12 + 2)", false),
    (
        "tuyen_truyen_luot",
        "(({u} * 13 + $1 * 3) % 900 + 150)",
        false,
    ),
    (
        "vu_bao_luc",
        "(CASE WHEN ({u} + $1) % 23 = 0 THEN 1 ELSE 0 END)",
        false,
    ),
    (
        "vi_pham_phap_luat",
        "(CASE WHEN ({u} * 3 + $1) % 97 = 0 THEN 1 ELSE 0 END)",
        false,
    ),
    ("ty_le_cam_ket", "(100 - ({u} + $1) % 6)", false),
    (
        "to_an_ninh",
        "(CASE WHEN ({u} + $1) % 10 = 0 THEN 0 ELSE 1 END)",
        true,
    ),
];

/// The answers of a demo report as a JSON object built by SQL.
fn answers_sql(unit: &str) -> String {
    let mut parts = Vec::new();
    for (key, expr, yes_no) in FIGURES {
        let expr = expr.replace("{u}", unit);
        let value = if yes_no {
            format!("CASE WHEN {expr} = 1 THEN 'yes' ELSE 'no' END")
        } else {
            format!("CAST({expr} AS TEXT)")
        };
        parts.push(format!("'\"{key}\":\"' || {value} || '\"'"));
    }
    parts.push(
        "'\"tinh_hinh\":\"Ổn định\",\"ket_qua\":\"Tổ chức tuyên truyền dưới cờ, ký cam kết \
         đầu năm học; phối hợp công an xã kiểm tra cổng trường giờ tan học.\",\
         \"phuong_huong\":\"Tiếp tục duy trì mô hình Cổng trường an toàn giao thông.\"'"
            .to_string(),
    );
    format!("'{{' || {} || '}}'", parts.join(" || ',' || "))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Fills the demo reports. `today` decides which cycles are past (filled in), current
/// (a few drafts and early submissions) or ahead.
pub async fn generate(db: &Db, today: NaiveDate) -> Result<(), AppError> {
    let users = DemoUsers::find(db).await?;
    let mut conn = db.pool().acquire().await?;
    let (quarterly, yearly) = insert_templates(&mut conn).await?;

    let mut cycles: Vec<NewCycle> = Vec::new();
    let base = |template: i64, title: &str, period: Period, rule: DeadlineRule| NewCycle {
        template,
        title: title.to_string(),
        period,
        rule,
        on_time_until: None,
        locks_on: None,
        audience: Audience::default(),
        plan: None,
        reminder_days: DEFAULT_REMINDER_DAYS.to_vec(),
    };
    for year in 2022..=2026 {
        let q = base(
            quarterly.id,
            "Báo cáo quý phong trào Toàn dân bảo vệ ANTQ",
            Period::Year { year },
            DeadlineRule::DayOfNextQuarter { day: 5 },
        );
        cycles.extend(super::quarterly_series(&q, year));
        cycles.push(base(
            yearly.id,
            &format!("Báo cáo năm {year} phong trào Toàn dân bảo vệ ANTQ"),
            Period::Year { year },
            DeadlineRule::EachYear { day: 1, month: 10 },
        ));
    }
    for (date, label) in [
        (
            day(2023, 12, 5),
            "Báo cáo sơ kết Ngày hội toàn dân bảo vệ ANTQ năm 2023",
        ),
        (
            day(2024, 5, 9),
            "Báo cáo kết quả xây dựng cơ sở giáo dục điển hình năm 2024",
        ),
        (
            day(2025, 11, 5),
            "Báo cáo kết quả triển khai Kế hoạch phong trào thi đua năm 2025",
        ),
    ] {
        cycles.push(base(
            quarterly.id,
            label,
            Period::AdHoc {
                year: chrono::Datelike::year(&date),
                label: label.to_string(),
            },
            DeadlineRule::Fixed { date },
        ));
    }
    let mut tx = db.pool().begin().await?;
    let mut made: Vec<i64> = Vec::new();
    for cycle in cycles {
        let dates = cycle.dates().map_err(AppError::Invalid)?;
        // Cycles further ahead than the next deadline are not opened yet.
        if dates.due > today + Duration::days(120) {
            continue;
        }
        let id = store::create_cycle(&mut tx, &cycle, dates, users.specialist).await?;
        made.push(id);
    }
    tx.commit().await?;
    drop(conn);

    let mut filled = Vec::new();
    for id in made {
        filled.push(store::cycle(db, id).await?);
    }
    // The demo school's own history: every cycle whose deadline has passed was filed, most
    // accepted on time, one late, and the latest returned with a comment (to be fixed while the
    // cycle is still open when there is one); the cycles still to come are the visitor's.
    let mut due: Vec<&store::CycleRow> = filled.iter().filter(|c| c.dates.due < today).collect();
    due.sort_by_key(|c| std::cmp::Reverse(c.dates.due));
    let returned = due
        .iter()
        .find(|c| c.dates.locks_on > today)
        .or(due.first())
        .map(|c| c.id);
    for (index, cycle) in due.iter().enumerate() {
        let turn = if Some(cycle.id) == returned {
            DemoTurn::Returned
        } else if index == 2 {
            DemoTurn::Late
        } else {
            DemoTurn::OnTime
        };
        demo_school_report(db, cycle, turn, &users).await?;
    }
    for cycle in &filled {
        fill(db, cycle, today, &users).await?;
    }
    Ok(())
}

/// How the demo school filed one past cycle.
#[derive(Clone, Copy, PartialEq)]
enum DemoTurn {
    OnTime,
    Late,
    Returned,
}

/// The demo school's report of a past cycle; its figures and history are added with the
/// other units' by [`fill`].
async fn demo_school_report(
    db: &Db,
    cycle: &store::CycleRow,
    turn: DemoTurn,
    users: &DemoUsers,
) -> Result<(), AppError> {
    let answers = answers_sql("x.id");
    let (status, submitted_on, comment) = match turn {
        DemoTurn::OnTime => ("accepted", cycle.dates.due - Duration::days(2), ""),
        DemoTurn::Late => ("accepted", cycle.dates.due + Duration::days(3), ""),
        DemoTurn::Returned => (
            "returned",
            cycle.dates.due - Duration::days(1),
            "Đề nghị bổ sung số liệu tuyên truyền của tháng cuối quý và bản scan có chữ ký, đóng dấu.",
        ),
    };
    sqlx::query(&format!(
        "INSERT INTO report_submissions (cycle_id, unit_id, status, version, answers,
             submit_key, submitted_at, first_submitted_on, review_comment, updated_by,
             updated_at)
         SELECT $1, x.id, $2, 2, {answers}, 'demo', $3, $4, $5, $6, $7
         FROM units x WHERE x.id = $8"
    ))
    .bind(cycle.id)
    .bind(status)
    .bind(format!("{}T08:30:00Z", iso(submitted_on)))
    .bind(iso(submitted_on))
    .bind(comment)
    .bind(users.school_user)
    // Reviewed two days later.
    .bind(format!(
        "{}T10:00:00Z",
        iso(submitted_on + Duration::days(2))
    ))
    .bind(users.left_alone)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The demo accounts reports are filed and reviewed by, and the school left to the visitor.
pub struct DemoUsers {
    pub specialist: i64,
    pub school_user: i64,
    pub reviewer: i64,
    /// The demo school account's own school: left for the visitor to fill in.
    pub left_alone: i64,
    /// The secondary school account's school: left to register for the standard this year.
    pub standard_left_alone: Option<i64>,
}

impl DemoUsers {
    pub async fn find(db: &Db) -> Result<DemoUsers, AppError> {
        let user = |name: &'static str| async move {
            sqlx::query_as::<_, (i64,)>("SELECT id FROM users WHERE username = $1")
                .bind(name)
                .fetch_one(db.pool())
                .await
                .map(|r| r.0)
        };
        // The school a demo school account works for.
        let school_of = |name: &'static str| async move {
            sqlx::query_as::<_, (i64,)>(
                "SELECT g.unit_id FROM user_grants g JOIN users u ON u.id = g.user_id
                 WHERE u.username = $1",
            )
            .bind(name)
            .fetch_optional(db.pool())
            .await
            .map(|r| r.map(|(id,)| id))
        };
        let left_alone = school_of("truong").await?.ok_or(AppError::NotFound)?;
        Ok(DemoUsers {
            specialist: user("chuyenvien").await?,
            school_user: user("truong").await?,
            reviewer: user("khuvuc").await?,
            left_alone,
            standard_left_alone: school_of("truongthcs").await?,
        })
    }
}

/// The quarterly and yearly templates of the movement.
pub async fn insert_templates(
    conn: &mut sqlx::AnyConnection,
) -> Result<(super::Template, super::Template), AppError> {
    let quarterly = store::insert_template(
        conn,
        "antq_quy",
        "Báo cáo quý kết quả thực hiện phong trào Toàn dân bảo vệ ANTQ",
        &common_fields("Phương hướng, nhiệm vụ quý tới"),
    )
    .await?;
    let yearly = store::insert_template(
        conn,
        "antq_nam",
        "Báo cáo năm kết quả thực hiện phong trào Toàn dân bảo vệ ANTQ",
        &common_fields("Phương hướng, nhiệm vụ năm tới"),
    )
    .await?;
    Ok((quarterly, yearly))
}

/// Fills one cycle with the submissions of a real province: most on time, some late, some
/// missing, a few returned; a cycle still open has a few drafts and early submissions.
pub async fn fill(
    db: &Db,
    cycle: &store::CycleRow,
    today: NaiveDate,
    users: &DemoUsers,
) -> Result<(), AppError> {
    let answers = answers_sql("x.id");
    let now = now_text();
    let (id, dates) = (&cycle.id, &cycle.dates);
    let school_user = users.school_user;
    let reviewer = users.reviewer;
    let demo_school = users.left_alone;
    {
        let row = store::cycle(db, *id).await?;
        let expected =
            crate::store::plans::audience_sql("u", &cycle.audience, row.reference_day(today));
        let past = dates.locks_on <= today;
        let on_time_day = iso(dates.due - Duration::days(2));
        let late_day = iso(dates.due + Duration::days(3));
        // r: a stable pseudo-random 0–99 per unit and cycle.
        // Older cycles were reviewed long ago; the last half-year still has some waiting.
        let recent = dates.due > today - Duration::days(180);
        let (status, keep) = if past && recent {
            (
                "CASE WHEN x.r >= 85 THEN 'returned'
                      WHEN x.r % 3 = 0 THEN 'submitted' ELSE 'accepted' END",
                "x.r < 89",
            )
        } else if past {
            ("'accepted'", "x.r < 89")
        } else {
            (
                "CASE WHEN x.r < 15 THEN 'submitted' ELSE 'draft' END",
                "x.r < 35",
            )
        };
        let sql = format!(
            "INSERT INTO report_submissions (cycle_id, unit_id, status, version, answers,
                 submit_key, submitted_at, first_submitted_on, review_comment, updated_by,
                 updated_at)
             SELECT $1, x.id, {status}, 2, {answers},
                    CASE WHEN {status} = 'draft' THEN NULL ELSE 'demo' END,
                    CASE WHEN {status} = 'draft' THEN NULL ELSE $2 END,
                    CASE WHEN {status} = 'draft' THEN NULL
                         WHEN x.r < 72 OR x.r >= 85 THEN $3 ELSE $4 END,
                    CASE WHEN {status} = 'returned'
                         THEN 'Đề nghị bổ sung bản scan có chữ ký, đóng dấu và số liệu tuyên truyền.'
                         ELSE '' END,
                    $5, $2
             FROM (SELECT u.id, (u.id * 31 + $1 * 17) % 100 AS r FROM units u
                   WHERE {expected} AND u.id <> $6) x
             WHERE {keep}"
        );
        sqlx::query(&sql)
            .bind(*id)
            .bind(&now)
            .bind(&on_time_day)
            .bind(&late_day)
            .bind(school_user)
            .bind(demo_school)
            .execute(db.pool())
            .await?;
        for (key, expr, _) in FIGURES {
            let value = expr.replace("{u}", "s.unit_id");
            sqlx::query(&format!(
                "INSERT INTO report_numbers (submission_id, field_key, value)
                 SELECT s.id, $2, {value} FROM report_submissions s
                 WHERE s.cycle_id = $1 AND s.status <> 'draft'"
            ))
            .bind(*id)
            .bind(key)
            .execute(db.pool())
            .await?;
        }
        // Each at the time its submission records (a review: its last change).
        for (event, who, which, comment, at) in [
            (
                "submit",
                school_user,
                "s.status <> 'draft'",
                "''",
                "s.submitted_at",
            ),
            (
                "accept",
                reviewer,
                "s.status = 'accepted'",
                "''",
                "s.updated_at",
            ),
            (
                "return",
                reviewer,
                "s.status = 'returned'",
                "s.review_comment",
                "s.updated_at",
            ),
        ] {
            sqlx::query(&format!(
                "INSERT INTO report_events (submission_id, event, comment, user_id, at)
                 SELECT s.id, $2, {comment}, $3, {at} FROM report_submissions s
                 WHERE s.cycle_id = $1 AND {which}"
            ))
            .bind(*id)
            .bind(event)
            .bind(who)
            .execute(db.pool())
            .await?;
        }
    }
    Ok(())
}
