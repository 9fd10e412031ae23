//! Demo recognition, 2022–2026: one model school per area each year (recognised by a
//! year-end decision or not in past years; every stage of the pipeline this year, with a few
//! areas still to choose), the safety standard for some secondary schools (recognised by a
//! decision of its own in past years), and the yearly evaluation of every school in past
//! years. Answers derive from ids, so it is repeatable.

use super::{Answer, Answers, CriteriaBody, CriterionKind, DossierDocument, Programme, Stage};
use crate::error::AppError;
use crate::reports::demo::DemoUsers;
use crate::store::recognition as store;
use crate::store::{iso, now_text, Db};
use chrono::{Datelike, NaiveDate};

/// Answers that come to a high score, lowered by `r` (0–9); `fail` fails the first
/// pass/fail criterion.
fn answers_for(body: &CriteriaBody, r: i64, fail: bool) -> Answers {
    let mut failed = false;
    body.criteria()
        .filter(|c| c.source.is_none())
        .map(|c| {
            let answer = match &c.kind {
                CriterionKind::Points { max } => {
                    Answer::Points(max.saturating_sub((r as u32 % 4) * (*max / 10).max(1)))
                }
                CriterionKind::PassFail { .. } => {
                    let pass = !fail || failed;
                    failed |= !pass;
                    Answer::Pass(pass)
                }
                CriterionKind::Threshold { min, .. } => Answer::Number(min + (r % 5) as f64),
            };
            (c.key.clone(), answer)
        })
        .collect()
}

/// The stage a model school of this year's area `r` (0–9) is at.
fn current_stage(r: i64) -> Option<Stage> {
    match r {
        0 | 1 => Some(Stage::Selected),
        2 | 3 => Some(Stage::Building),
        4 | 5 => Some(Stage::SelfAssessed),
        6 => Some(Stage::Filed),
        7 | 8 => Some(Stage::UnderReview),
        _ => None,
    }
}

fn reached(stage: Stage, at_least: Stage) -> bool {
    let order = |s: Stage| Stage::ALL.iter().position(|x| *x == s).unwrap_or(0);
    match stage {
        Stage::Recognised | Stage::NotRecognised => true,
        _ => order(stage) >= order(at_least),
    }
}

pub async fn generate(db: &Db, today: NaiveDate) -> Result<(), AppError> {
    let users = DemoUsers::find(db).await?;
    let model = store::current_set(db, Programme::ModelSchool).await?;
    let standard = store::current_set(db, Programme::SafetyStandard).await?;
    let yearly = store::current_set(db, Programme::YearlyEvaluation).await?;
    // The demo school's own area is left for the visitor to choose this year.
    let own_area: Option<(i64,)> = sqlx::query_as(
        "SELECT parent_id FROM unit_links WHERE unit_id = $1 AND relation = 'managed_by'
           AND valid_until IS NULL",
    )
    .bind(users.left_alone)
    .fetch_optional(db.pool())
    .await?;
    let own_area = own_area.map(|(a,)| a);
    let now = now_text();
    let pdf: &[u8] = b"%PDF-1.4\n% ho so minh hoa\n";
    for year in 2022..=today.year() {
        let day = NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap_or(today)
            .min(today);
        let past = year < today.year();
        // Each area open that day and the schools it managed, lowest id first.
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT a.id, u.id FROM units a
             JOIN unit_links l ON l.parent_id = a.id AND l.relation = 'managed_by'
                  AND l.valid_from <= $1 AND (l.valid_until IS NULL OR l.valid_until > $1)
             JOIN units u ON u.id = l.unit_id AND u.kind = 'school'
                  AND u.established_on <= $1 AND (u.closed_on IS NULL OR u.closed_on > $1)
             WHERE a.kind = 'area' AND a.established_on <= $1
               AND (a.closed_on IS NULL OR a.closed_on > $1)
             ORDER BY a.id, u.id",
        )
        .bind(iso(day))
        .fetch_all(db.pool())
        .await?;
        let mut by_area: Vec<(i64, Vec<i64>)> = Vec::new();
        for (area, unit) in rows {
            match by_area.last_mut() {
                Some((a, units)) if *a == area => units.push(unit),
                _ => by_area.push((area, vec![unit])),
            }
        }
        let mut recognised = Vec::new();
        let mut tx = db.pool().begin().await?;
        for (area, units) in &by_area {
            let r = (area * 13 + i64::from(year)) % 10;
            let stage = if past {
                if r < 8 {
                    Stage::Recognised
                } else {
                    Stage::NotRecognised
                }
            } else if Some(*area) == own_area {
                continue;
            } else {
                match current_stage(r) {
                    Some(s) => s,
                    None => continue,
                }
            };
            let candidates: Vec<i64> = units
                .iter()
                .copied()
                .filter(|u| *u != users.left_alone)
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let unit = candidates[((area + i64::from(year) * 7) as usize) % candidates.len()];
            let self_answers = if reached(stage, Stage::SelfAssessed) {
                answers_for(&model.body, r, stage == Stage::NotRecognised)
            } else if stage == Stage::Building {
                // Half done.
                answers_for(&model.body, r, false)
                    .into_iter()
                    .take(model.body.criteria().count() / 2)
                    .collect()
            } else {
                Answers::new()
            };
            // Last year's were all scored; this year's under review, some of them.
            let review_answers = if past || (stage == Stage::UnderReview && r == 7) {
                Some(answers_for(
                    &model.body,
                    r + 1,
                    stage == Stage::NotRecognised,
                ))
            } else {
                None
            };
            let self_outcome = model.body.score(&self_answers);
            let review_outcome = review_answers.as_ref().map(|a| model.body.score(a));
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO assessments (programme, year, unit_id, set_id, stage, self_answers,
                     review_answers, self_total, review_total, band, updated_at)
                 VALUES ('model_school', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(i64::from(year))
            .bind(unit)
            .bind(model.id)
            .bind(stage.code())
            .bind(serde_json::to_string(&self_answers).unwrap_or_default())
            .bind(
                review_answers
                    .as_ref()
                    .map(|a| serde_json::to_string(a).unwrap_or_default())
                    .unwrap_or_else(|| "{}".into()),
            )
            .bind((!self_answers.is_empty()).then_some(i64::from(self_outcome.total)))
            .bind(review_outcome.as_ref().map(|o| i64::from(o.total)))
            .bind(review_outcome.and_then(|o| o.band))
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            let steps = [
                (Stage::Selected, 3, users.reviewer),
                (Stage::Building, 4, users.school_user),
                (Stage::SelfAssessed, 9, users.school_user),
                (Stage::Filed, 10, users.school_user),
                (Stage::UnderReview, 11, users.reviewer),
                (Stage::NotRecognised, 12, users.reviewer),
            ];
            for (step, month, user) in steps {
                let include = match step {
                    Stage::NotRecognised => stage == Stage::NotRecognised,
                    _ => reached(stage, step),
                };
                if !include {
                    continue;
                }
                let note = if step == Stage::NotRecognised {
                    "Tiêu chí 3.1 chưa đạt: có học sinh vi phạm pháp luật bị xử lý hình sự."
                } else {
                    ""
                };
                sqlx::query(
                    "INSERT INTO assessment_events (assessment_id, stage, note, user_id, at)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(step.code())
                .bind(note)
                .bind(user)
                .bind(format!("{year}-{month:02}-15T08:00:00Z"))
                .execute(&mut *tx)
                .await?;
            }
            if reached(stage, Stage::Filed) {
                for document in DossierDocument::ALL {
                    sqlx::query(
                        "INSERT INTO assessment_files (assessment_id, slot, file_name,
                             content_type, size, sha256, content, uploaded_by, uploaded_at)
                         VALUES ($1, $2, $3, 'application/pdf', $4, $5, $6, $7, $8)",
                    )
                    .bind(id)
                    .bind(format!("dossier:{}", document.code()))
                    .bind(format!("{}.pdf", document.code()))
                    .bind(pdf.len() as i64)
                    .bind(crate::store::reports::checksum(pdf))
                    .bind(pdf)
                    .bind(users.school_user)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            if stage == Stage::Recognised {
                recognised.push(id);
            }
        }
        if !recognised.is_empty() {
            let (decision,): (i64,) = sqlx::query_as(
                "INSERT INTO recognition_decisions (programme, year, number, signed_on, signer,
                     created_by, created_at)
                 VALUES ('model_school', $1, $2, $3, 'Nguyễn Văn Hùng', $4, $5) RETURNING id",
            )
            .bind(i64::from(year))
            .bind(format!("{}/QĐ-SGDĐT", 1200 + (year - 2022) * 37))
            .bind(format!("{year}-12-20"))
            .bind(users.specialist)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            for id in &recognised {
                sqlx::query(
                    "INSERT INTO decision_assessments (decision_id, assessment_id) VALUES ($1, $2)",
                )
                .bind(decision)
                .bind(*id)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO assessment_events (assessment_id, stage, note, user_id, at)
                     VALUES ($1, 'recognised', $2, $3, $4)",
                )
                .bind(*id)
                .bind(format!(
                    "Quyết định số {}/QĐ-SGDĐT",
                    1200 + (year - 2022) * 37
                ))
                .bind(users.specialist)
                .bind(format!("{year}-12-20T08:00:00Z"))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;

        // The safety standard: a fifth of the secondary schools each year.
        let all_pass: Answers = standard
            .body
            .criteria()
            .map(|c| (c.key.clone(), Answer::Pass(true)))
            .collect();
        let outcome = standard.body.score(&all_pass);
        let stage = if past {
            Stage::Recognised
        } else {
            Stage::SelfAssessed
        };
        sqlx::query(
            "INSERT INTO assessments (programme, year, unit_id, set_id, stage, self_answers,
                 review_answers, self_total, review_total, band, updated_at)
             SELECT 'safety_standard', $1, u.id, $2, $3, $4, $11, $5, $6, $7, $8 FROM units u
             WHERE u.kind = 'school' AND u.established_on <= $9
               AND (u.closed_on IS NULL OR u.closed_on > $9)
               AND (u.levels LIKE '%,THCS,%' OR u.levels LIKE '%,THPT,%')
               AND (u.id * 7 + $1) % 5 = 0 AND u.id <> $10
               AND ($1 < $12 OR u.id <> $13)",
        )
        .bind(i64::from(year))
        .bind(standard.id)
        .bind(stage.code())
        .bind(serde_json::to_string(&all_pass).unwrap_or_default())
        .bind(i64::from(outcome.total))
        .bind(past.then_some(i64::from(outcome.total)))
        .bind(if past { outcome.band.clone() } else { None })
        .bind(&now)
        .bind(iso(day))
        .bind(users.left_alone)
        .bind(if past {
            serde_json::to_string(&all_pass).unwrap_or_default()
        } else {
            "{}".to_string()
        })
        .bind(i64::from(today.year()))
        .bind(users.standard_left_alone.unwrap_or(-1))
        .execute(db.pool())
        .await?;
        standard_history(db, &users, year, past).await?;

        // The yearly evaluation of every school, for the years already over.
        if past {
            let json = yearly_answers_sql(&yearly.body);
            let sql = format!(
                "INSERT INTO assessments (programme, year, unit_id, set_id, stage, self_answers,
                     updated_at)
                 SELECT 'yearly_evaluation', $1, u.id, $2, 'self_assessed', {json}, $3
                 FROM units u WHERE u.kind = 'school' AND u.established_on <= $4
                   AND (u.closed_on IS NULL OR u.closed_on > $4)"
            );
            sqlx::query(&sql)
                .bind(i64::from(year))
                .bind(yearly.id)
                .bind(&now)
                .bind(iso(day))
                .execute(db.pool())
                .await?;
        }
    }
    Ok(())
}

/// The steps of the year's standard registrations, and in past years the decision of the
/// standard that recognised them all.
async fn standard_history(
    db: &Db,
    users: &DemoUsers,
    year: i32,
    past: bool,
) -> Result<(), AppError> {
    let mut tx = db.pool().begin().await?;
    let mut steps = vec![
        (Stage::Selected, 2, users.school_user, String::new()),
        (Stage::SelfAssessed, 10, users.school_user, String::new()),
    ];
    let number = format!("{}/QĐ-SGDĐT", 1500 + (year - 2022) * 41);
    if past {
        steps.push((Stage::Filed, 11, users.school_user, String::new()));
        steps.push((Stage::UnderReview, 11, users.reviewer, String::new()));
        steps.push((
            Stage::Recognised,
            12,
            users.specialist,
            format!("Quyết định số {number}"),
        ));
    }
    for (step, month, user, note) in steps {
        sqlx::query(
            "INSERT INTO assessment_events (assessment_id, stage, note, user_id, at)
             SELECT id, $1, $2, $3, $4 FROM assessments
             WHERE programme = 'safety_standard' AND year = $5",
        )
        .bind(step.code())
        .bind(note)
        .bind(user)
        .bind(format!("{year}-{month:02}-{}T08:00:00Z", 10 + month))
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
    }
    if past {
        let (decision,): (i64,) = sqlx::query_as(
            "INSERT INTO recognition_decisions (programme, year, number, signed_on, signer,
                 created_by, created_at)
             VALUES ('safety_standard', $1, $2, $3, 'Nguyễn Văn Hùng', $4, $5) RETURNING id",
        )
        .bind(i64::from(year))
        .bind(&number)
        .bind(format!("{year}-12-22"))
        .bind(users.specialist)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO decision_assessments (decision_id, assessment_id)
             SELECT $1, id FROM assessments
             WHERE programme = 'safety_standard' AND year = $2 AND stage = 'recognised'",
        )
        .bind(decision)
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The JSON of a school's yearly answers, computed in SQL from its id and the year (`$1`):
/// points criteria lose up to a fifth of their maximum, and one school in twelve had a serious
/// incident (the pass/fail criteria fail).
fn yearly_answers_sql(body: &CriteriaBody) -> String {
    let mut parts = Vec::new();
    for c in body.criteria().filter(|c| c.source.is_none()) {
        let value = match &c.kind {
            CriterionKind::Points { max } => format!(
                "'{{\"type\":\"points\",\"value\":' || CAST({max} - ((u.id * 7 + $1 * 3) % ({max} / 5 + 1)) AS TEXT) || '}}'"
            ),
            CriterionKind::PassFail { .. } => "CASE WHEN (u.id + $1) % 12 = 0 \
                 THEN '{\"type\":\"pass\",\"value\":false}' \
                 ELSE '{\"type\":\"pass\",\"value\":true}' END"
                .to_string(),
            CriterionKind::Threshold { min, .. } => {
                format!("'{{\"type\":\"number\",\"value\":{min}}}'")
            }
        };
        parts.push(format!("'\"{}\":' || {value}", c.key));
    }
    format!("'{{' || {} || '}}'", parts.join(" || ',' || "))
}
