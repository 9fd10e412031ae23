//! The printed plan as a DOCX file laid out per Nghị định 30/2020/NĐ-CP: A4 with the
//! decree's margins (top and bottom 20 mm, left 30 mm, right 15 mm), Times New Roman, the
//! issuer block beside the national motto block, number and symbol, place and date, the
//! title, parts numbered in Roman numerals, the signature block and the recipients.
//! Written as WordprocessingML by hand: a few hundred lines, no template file.

use super::layout::{parts, place_and_date, roman, target_text};
use super::{PlanContent, TextItem};
use crate::rich_text::{self, Block, Span};
use std::fmt::Write as _;
use std::io::Write as _;

/// Sizes in half-points, as WordprocessingML counts them.
const BODY: u32 = 28; // 14 pt
const HEADER: u32 = 26; // 13 pt
const SMALL: u32 = 24; // 12 pt
const RECIPIENTS: u32 = 22; // 11 pt
/// First-line indent of body paragraphs: 1 cm, in twentieths of a point.
const INDENT: u32 = 567;

/// The DOCX bytes of a plan.
pub fn render(plan: &PlanContent) -> std::io::Result<Vec<u8>> {
    let document = document_xml(plan);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let files: [(&str, &str); 5] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", STYLES),
        ("word/document.xml", &document),
    ];
    for (name, body) in files {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(body.as_bytes())?;
    }
    let cursor = zip.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
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

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Clone, Copy, Default)]
struct Style {
    bold: bool,
    italic: bool,
    underline: bool,
    size: u32,
}

fn run(text: &str, style: Style) -> String {
    let mut props = String::new();
    if style.bold {
        props.push_str("<w:b/>");
    }
    if style.italic {
        props.push_str("<w:i/>");
    }
    if style.underline {
        props.push_str("<w:u w:val=\"single\"/>");
    }
    let size = if style.size == 0 { BODY } else { style.size };
    let _ = write!(props, "<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>");
    format!(
        "<w:r><w:rPr>{props}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        escape(text)
    )
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Center,
    Both,
}

fn paragraph(runs: &str, align: Align, indent: u32, after: u32) -> String {
    let jc = match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Both => "both",
    };
    format!(
        "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"{after}\" w:line=\"276\" w:lineRule=\"auto\"/>\
         <w:ind w:firstLine=\"{indent}\"/><w:jc w:val=\"{jc}\"/></w:pPr>{runs}</w:p>"
    )
}

/// A body paragraph of plain text.
fn body(text: &str) -> String {
    paragraph(&run(text, Style::default()), Align::Both, INDENT, 120)
}

/// A heading line in bold ("I. MỤC ĐÍCH, YÊU CẦU", "1. Tuyên truyền…").
fn heading(text: &str) -> String {
    paragraph(
        &run(
            text,
            Style {
                bold: true,
                ..Style::default()
            },
        ),
        Align::Both,
        INDENT,
        120,
    )
}

fn spans(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| {
            run(
                &s.text,
                Style {
                    bold: s.bold,
                    italic: s.italic,
                    ..Style::default()
                },
            )
        })
        .collect()
}

/// Formatted text: paragraphs and "- " list items, as the decree's documents write lists.
fn rich(text: &str, out: &mut String) {
    for block in rich_text::parse(text) {
        match block {
            Block::Paragraph(s) => out.push_str(&paragraph(&spans(&s), Align::Both, INDENT, 120)),
            Block::Bullet(s) => {
                let runs = format!("{}{}", run("- ", Style::default()), spans(&s));
                out.push_str(&paragraph(&runs, Align::Both, INDENT, 120));
            }
        }
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

/// A table of two cells without borders, for the header and the signature blocks. Its row
/// never splits across pages: a signature block stays whole.
fn two_columns(left: &str, right: &str, left_width: u32, right_width: u32) -> String {
    let cell = |width: u32, content: &str| {
        format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>{content}</w:tc>")
    };
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>\
         <w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/>\
         <w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders>\
         </w:tblPr><w:tblGrid><w:gridCol w:w=\"{left_width}\"/><w:gridCol w:w=\"{right_width}\"/></w:tblGrid>\
         <w:tr><w:trPr><w:cantSplit/></w:trPr>{}{}</w:tr></w:tbl>",
        left_width + right_width,
        cell(left_width, left),
        cell(right_width, right)
    )
}

fn centered(text: &str, style: Style) -> String {
    paragraph(&run(text, style), Align::Center, 0, 0)
}

fn document_xml(plan: &PlanContent) -> String {
    let mut b = String::new();
    let bold = |size: u32| Style {
        bold: true,
        size,
        ..Style::default()
    };
    let plain = |size: u32| Style {
        size,
        ..Style::default()
    };
    // Header: issuer block (left) and national motto block (right).
    let left = format!(
        "{}{}{}{}",
        centered(&plan.parent_issuer.to_uppercase(), plain(HEADER)),
        centered(&plan.issuer.to_uppercase(), bold(HEADER)),
        centered("───────", plain(HEADER)),
        centered(
            &format!(
                "Số: {}",
                if plan.number.is_empty() {
                    "      /KH-"
                } else {
                    &plan.number
                }
            ),
            plain(HEADER)
        ),
    );
    let right = format!(
        "{}{}{}{}",
        centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold(SMALL)),
        centered("Độc lập - Tự do - Hạnh phúc", bold(HEADER)),
        centered("───────────────", plain(HEADER)),
        centered(
            &place_and_date(plan),
            Style {
                italic: true,
                size: BODY,
                ..Style::default()
            }
        ),
    );
    b.push_str(&two_columns(&left, &right, 3800, 5700));
    // Title.
    b.push_str(&paragraph("", Align::Center, 0, 0));
    b.push_str(&centered("KẾ HOẠCH", bold(BODY)));
    b.push_str(&centered(&plan.title, bold(BODY)));
    b.push_str(&centered("──────", plain(BODY)));
    b.push_str(&paragraph("", Align::Center, 0, 0));
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
    let mut recipients = paragraph(
        &run(
            "Nơi nhận:",
            Style {
                bold: true,
                italic: true,
                size: SMALL,
                ..Style::default()
            },
        ),
        Align::Left,
        0,
        0,
    );
    let list: Vec<&TextItem> = plan
        .recipients
        .iter()
        .filter(|r| !r.text.trim().is_empty())
        .collect();
    for (k, r) in list.iter().enumerate() {
        let end = if k + 1 == list.len() { "." } else { ";" };
        recipients.push_str(&paragraph(
            &run(
                &format!("- {}{end}", r.text.trim().trim_end_matches([';', '.'])),
                plain(RECIPIENTS),
            ),
            Align::Left,
            0,
            0,
        ));
    }
    let mut signature = String::new();
    for line in plan.signer_title.lines() {
        signature.push_str(&centered(&line.to_uppercase(), bold(BODY)));
    }
    for _ in 0..4 {
        signature.push_str(&paragraph("", Align::Center, 0, 0));
    }
    signature.push_str(&centered(&plan.signer_name, bold(BODY)));
    b.push_str(&paragraph("", Align::Left, 0, 0));
    b.push_str(&two_columns(&recipients, &signature, 4600, 4900));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{b}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\" \
         w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
}

/// "SỞ GIÁO DỤC VÀ ĐÀO TẠO" → "Sở Giáo dục và Đào tạo" is beyond simple rules; the decree's
/// documents write the issuer in full in the sentence, so the first letter is enough.
fn sentence_case(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
</Relationships>";

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\" w:eastAsia=\"Times New Roman\"/>\
<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>\
</w:styles>";

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

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a < b & \"c\"\u{1}"), "a &lt; b &amp; &quot;c&quot;");
    }
}
