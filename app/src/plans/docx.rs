//! The printed plan as a DOCX file laid out per Nghị định 30/2020/NĐ-CP: A4 with the
//! decree's margins (top and bottom 20 mm, left 30 mm, right 15 mm), Times New Roman, the
//! issuer block beside the national motto block, number and symbol, place and date, the
//! title, parts numbered in Roman numerals, the signature block and the recipients.
//! The pieces of the layout are shared, in `crate::docx`.

use super::layout::{parts, place_and_date, roman, target_text};
use super::{PlanContent, TextItem};
use crate::docx::{
    body, closing, header, heading, lower_first, package, paragraph, rich, run, sentence_case,
    spans, title, Align, Style, INDENT,
};
use crate::rich_text::{self, Block};

/// The DOCX bytes of a plan.
pub fn render(plan: &PlanContent) -> std::io::Result<Vec<u8>> {
    package(&document_body(plan))
}

/// The file name offered for download: "KH-125-KH-SGDDT-2025.docx".
pub fn file_name(plan: &PlanContent, id: i64) -> String {
    let number = crate::text::search_key(&plan.number)
        .replace(['/', ' '], "-")
        .to_uppercase();
    if number.is_empty() {
        format!("ke-hoach-{id}-{}.docx", plan.year)
    } else {
        format!("KH-{number}-{}.docx", plan.year)
    }
}

fn items(list: &[TextItem], numbered: bool, out: &mut String) {
    for (n, item) in list
        .iter()
        .filter(|i| !i.text.trim().is_empty())
        .enumerate()
    {
        if numbered {
            // The number leads the item's first paragraph.
            let mut blocks = rich_text::parse(&item.text).into_iter();
            if let Some(first) = blocks.next() {
                let (Block::Paragraph(s) | Block::Bullet(s)) = first;
                let runs = format!(
                    "{}{}",
                    run(&format!("{}. ", n + 1), Style::default()),
                    spans(&s)
                );
                out.push_str(&paragraph(&runs, Align::Both, INDENT, 120));
            }
            for block in blocks {
                let (prefix, s) = match block {
                    Block::Paragraph(s) => ("", s),
                    Block::Bullet(s) => ("- ", s),
                };
                let runs = format!("{}{}", run(prefix, Style::default()), spans(&s));
                out.push_str(&paragraph(&runs, Align::Both, INDENT, 120));
            }
        } else {
            rich(&item.text, out);
        }
    }
}

fn document_body(plan: &PlanContent) -> String {
    let mut b = header(
        &plan.parent_issuer,
        &plan.issuer,
        if plan.number.is_empty() {
            "      /KH-"
        } else {
            &plan.number
        },
        &place_and_date(plan),
    );
    b.push_str(&title("KẾ HOẠCH", &plan.title));
    // Legal bases, then the sentence that introduces the plan.
    for basis in plan
        .legal_bases
        .iter()
        .filter(|b| !b.text.trim().is_empty())
    {
        let text = basis.text.trim();
        let text = if text.starts_with("Căn cứ") {
            text.to_string()
        } else {
            format!("Căn cứ {text}")
        };
        b.push_str(&paragraph(
            &run(
                &format!("{};", text.trim_end_matches([';', '.'])),
                Style {
                    italic: true,
                    ..Style::default()
                },
            ),
            Align::Both,
            INDENT,
            120,
        ));
    }
    b.push_str(&body(&format!(
        "{} ban hành Kế hoạch {} như sau:",
        sentence_case(&plan.issuer),
        lower_first(&plan.title)
    )));
    for (n, part) in parts(plan).into_iter().enumerate() {
        b.push_str(&heading(&format!("{}. {part}", roman(n + 1))));
        match part {
            "MỤC ĐÍCH, YÊU CẦU" => items(&plan.purposes, true, &mut b),
            "NỘI DUNG, NHIỆM VỤ" => {
                for (k, task) in plan.tasks.iter().enumerate() {
                    b.push_str(&heading(&format!("{}. {}", k + 1, task.title.trim())));
                    rich(&task.body, &mut b);
                    for point in &task.points {
                        rich(
                            &format!("- {}", point.text.trim_start_matches("- ")),
                            &mut b,
                        );
                    }
                    let mut who = String::new();
                    if !task.responsible.trim().is_empty() {
                        who.push_str(&format!("Đơn vị thực hiện: {}", task.responsible.trim()));
                    }
                    if let Some(d) = task.deadline {
                        if !who.is_empty() {
                            who.push_str("; ");
                        }
                        who.push_str(&format!("thời hạn: {}", d.format("%d/%m/%Y")));
                    }
                    if !who.is_empty() {
                        b.push_str(&paragraph(
                            &run(
                                &format!("{who}."),
                                Style {
                                    italic: true,
                                    ..Style::default()
                                },
                            ),
                            Align::Both,
                            INDENT,
                            120,
                        ));
                    }
                }
            }
            "CHỈ TIÊU" => {
                for (k, t) in plan.targets.iter().enumerate() {
                    b.push_str(&body(&format!(
                        "{}. {}.",
                        k + 1,
                        target_text(t.value, t.measure, t.text.trim()).trim_end_matches('.')
                    )));
                }
            }
            "TIÊU CHÍ THI ĐUA" => {
                if !plan.criteria_collective.is_empty() {
                    b.push_str(&heading("1. Đối với tập thể"));
                    items(&plan.criteria_collective, false, &mut b);
                }
                if !plan.criteria_individual.is_empty() {
                    b.push_str(&heading(&format!(
                        "{}. Đối với cá nhân",
                        if plan.criteria_collective.is_empty() {
                            1
                        } else {
                            2
                        }
                    )));
                    items(&plan.criteria_individual, false, &mut b);
                }
            }
            "GIẢI PHÁP" => items(&plan.solutions, true, &mut b),
            "TỔ CHỨC THỰC HIỆN" => {
                for (k, duty) in plan.organisation.iter().enumerate() {
                    b.push_str(&heading(&format!("{}. {}", k + 1, duty.who.trim())));
                    rich(&duty.duties, &mut b);
                }
            }
            "CHẾ ĐỘ BÁO CÁO" => {
                for r in &plan.reporting {
                    let mut line = r.what.trim().to_string();
                    if let Some(d) = r.due {
                        line.push_str(&format!(", gửi trước ngày {}", d.format("%d/%m/%Y")));
                    }
                    if !r.to.trim().is_empty() {
                        line.push_str(&format!(" về {}", r.to.trim()));
                    }
                    if !r.form.trim().is_empty() {
                        line.push_str(&format!(" ({})", r.form.trim()));
                    }
                    b.push_str(&body(&format!("- {line}.")));
                }
            }
            _ => {}
        }
    }
    // Recipients (left) and signature (right).
    let recipients: Vec<&str> = plan
        .recipients
        .iter()
        .map(|r| r.text.as_str())
        .filter(|r| !r.trim().is_empty())
        .collect();
    b.push_str(&closing(&recipients, &plan.signer_title, &plan.signer_name));
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plans::Measure;

    #[test]
    fn roman_numerals_and_targets() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(7), "VII");
        assert_eq!(
            target_text(Some(100.0), Measure::Percent, "trường tổ chức hội nghị"),
            "100% trường tổ chức hội nghị"
        );
        assert_eq!(target_text(Some(2.5), Measure::Count, "x"), "2,5 x");
    }
}
