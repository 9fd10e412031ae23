//! WordprocessingML for documents in the layout of Nghị định 30/2020/NĐ-CP: A4 with the
//! decree's margins (top and bottom 20 mm, left 30 mm, right 15 mm), Times New Roman, the
//! issuer block beside the national motto block, the signature block beside the recipients.
//! Plans and the consolidated report of a report cycle are written with these pieces, by
//! hand: a few hundred lines, no template file.

use crate::rich_text::{self, Block, Span};
use std::fmt::Write as _;
use std::io::Write as _;

/// Sizes in half-points, as WordprocessingML counts them.
pub(crate) const BODY: u32 = 28; // 14 pt
pub(crate) const HEADER: u32 = 26; // 13 pt
pub(crate) const SMALL: u32 = 24; // 12 pt
pub(crate) const RECIPIENTS: u32 = 22; // 11 pt
/// First-line indent of body paragraphs: 1 cm, in twentieths of a point.
pub(crate) const INDENT: u32 = 567;

pub(crate) use crate::text::escape_markup as escape;

#[derive(Clone, Copy, Default)]
pub(crate) struct Style {
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub size: u32,
}

pub(crate) fn run(text: &str, style: Style) -> String {
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
pub(crate) enum Align {
    Left,
    Center,
    Right,
    Both,
}

pub(crate) fn paragraph(runs: &str, align: Align, indent: u32, after: u32) -> String {
    let jc = match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Both => "both",
    };
    format!(
        "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"{after}\" w:line=\"276\" w:lineRule=\"auto\"/>\
         <w:ind w:firstLine=\"{indent}\"/><w:jc w:val=\"{jc}\"/></w:pPr>{runs}</w:p>"
    )
}

/// A body paragraph of plain text.
pub(crate) fn body(text: &str) -> String {
    paragraph(&run(text, Style::default()), Align::Both, INDENT, 120)
}

/// A heading line in bold ("I. MỤC ĐÍCH, YÊU CẦU", "1. Tuyên truyền…").
pub(crate) fn heading(text: &str) -> String {
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

pub(crate) fn spans(spans: &[Span]) -> String {
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
pub(crate) fn rich(text: &str, out: &mut String) {
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

/// A table of two cells without borders, for the header and the signature blocks. Its row
/// never splits across pages: a signature block stays whole.
pub(crate) fn two_columns(left: &str, right: &str, left_width: u32, right_width: u32) -> String {
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

pub(crate) fn centered(text: &str, style: Style) -> String {
    paragraph(&run(text, style), Align::Center, 0, 0)
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

/// The issuing body of a department's documents, as the decree's header writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letterhead {
    /// "UBND TỈNH SƠN HÀ"
    pub parent_issuer: String,
    /// "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    pub issuer: String,
    /// "Sơn Hà", for "Sơn Hà, ngày … tháng … năm …"
    pub place: String,
}

impl Letterhead {
    /// The letterhead of a department named "Sở Giáo dục và Đào tạo tỉnh X" (or "thành phố X").
    pub fn of_department(name: &str) -> Letterhead {
        let (parent, place) = if let Some((_, p)) = name.split_once("thành phố ") {
            ("UBND THÀNH PHỐ", p.trim())
        } else if let Some((_, p)) = name.split_once("tỉnh ") {
            ("UBND TỈNH", p.trim())
        } else {
            ("UBND TỈNH", "")
        };
        Letterhead {
            parent_issuer: format!("{parent} {}", place.to_uppercase())
                .trim()
                .to_string(),
            issuer: "SỞ GIÁO DỤC VÀ ĐÀO TẠO".into(),
            place: place.to_string(),
        }
    }
}

/// The header: the issuer block with the number (left) beside the national motto with the
/// place and date (right).
pub(crate) fn header(
    parent_issuer: &str,
    issuer: &str,
    number: &str,
    place_and_date: &str,
) -> String {
    let bold = |size: u32| Style {
        bold: true,
        size,
        ..Style::default()
    };
    let plain = |size: u32| Style {
        size,
        ..Style::default()
    };
    let left = format!(
        "{}{}{}{}",
        centered(&parent_issuer.to_uppercase(), plain(HEADER)),
        centered(&issuer.to_uppercase(), bold(HEADER)),
        centered("───────", plain(HEADER)),
        centered(&format!("Số: {number}"), plain(HEADER)),
    );
    let right = format!(
        "{}{}{}{}",
        centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold(SMALL)),
        centered("Độc lập - Tự do - Hạnh phúc", bold(HEADER)),
        centered("───────────────", plain(HEADER)),
        centered(
            place_and_date,
            Style {
                italic: true,
                size: BODY,
                ..Style::default()
            }
        ),
    );
    two_columns(&left, &right, 3800, 5700)
}

/// The kind of document and its subject, centred under the header.
pub(crate) fn title(kind: &str, subject: &str) -> String {
    let bold = Style {
        bold: true,
        ..Style::default()
    };
    let mut out = paragraph("", Align::Center, 0, 0);
    out.push_str(&centered(kind, bold));
    out.push_str(&centered(subject, bold));
    out.push_str(&centered("──────", Style::default()));
    out.push_str(&paragraph("", Align::Center, 0, 0));
    out
}

/// The closing: "Nơi nhận:" with its list (left) beside the signer's title, room for the
/// signature and the signer's name (right).
pub(crate) fn closing(recipients: &[&str], signer_title: &str, signer_name: &str) -> String {
    let small = |bold: bool, italic: bool, size: u32| Style {
        bold,
        italic,
        size,
        ..Style::default()
    };
    let mut left = paragraph(
        &run("Nơi nhận:", small(true, true, SMALL)),
        Align::Left,
        0,
        0,
    );
    for (k, r) in recipients.iter().enumerate() {
        let end = if k + 1 == recipients.len() { "." } else { ";" };
        left.push_str(&paragraph(
            &run(
                &format!("- {}{end}", r.trim().trim_end_matches([';', '.'])),
                small(false, false, RECIPIENTS),
            ),
            Align::Left,
            0,
            0,
        ));
    }
    let mut right = String::new();
    for line in signer_title.lines() {
        right.push_str(&centered(&line.to_uppercase(), small(true, false, BODY)));
    }
    for _ in 0..4 {
        right.push_str(&paragraph("", Align::Center, 0, 0));
    }
    right.push_str(&centered(signer_name, small(true, false, BODY)));
    let mut out = paragraph("", Align::Left, 0, 0);
    out.push_str(&two_columns(&left, &right, 4600, 4900));
    out
}

/// A bordered data table in 11 pt: a bold header row repeated on every page, then the rows.
/// Figures are right-aligned, names left-aligned. `widths` are
/// in twentieths of a point and should add up to the text width (9,354).
pub(crate) fn table(widths: &[u32], titles: &[&str], rows: &[Vec<String>]) -> String {
    let border = "<w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>\
                  <w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>\
                  <w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/>";
    let cell = |width: u32, text: &str, bold: bool, first: bool| {
        let numeric = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || ".,%– ".contains(c));
        let align = match (bold, first || !numeric) {
            (true, _) => Align::Center,
            (false, true) => Align::Left,
            (false, false) => Align::Right,
        };
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
            paragraph(
                &run(
                    text,
                    Style {
                        bold,
                        size: RECIPIENTS,
                        ..Style::default()
                    }
                ),
                align,
                0,
                0
            )
        )
    };
    let mut out = format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>\
         <w:tblBorders>{border}</w:tblBorders></w:tblPr><w:tblGrid>",
        widths.iter().sum::<u32>()
    );
    for w in widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
    for (k, title) in titles.iter().enumerate() {
        out.push_str(&cell(widths[k], title, true, k == 0));
    }
    out.push_str("</w:tr>");
    for row in rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (k, text) in row.iter().enumerate() {
            out.push_str(&cell(widths[k], text, false, k == 0));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out.push_str(&paragraph("", Align::Left, 0, 120));
    out
}

/// The DOCX bytes of a document whose body is `body` (paragraphs and tables), on A4 with
/// the decree's margins.
pub(crate) fn package(body: &str) -> std::io::Result<Vec<u8>> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\" \
         w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
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

/// "SỞ GIÁO DỤC VÀ ĐÀO TẠO" → "Sở giáo dục và đào tạo": the decree's documents write the
/// issuer in full in the sentence, so the first letter is enough.
pub(crate) fn sentence_case(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a < b & \"c\"\u{1}"), "a &lt; b &amp; &quot;c&quot;");
    }

    #[test]
    fn letterheads_of_provinces_and_cities() {
        let l = Letterhead::of_department("Sở Giáo dục và Đào tạo tỉnh Sơn Hà");
        assert_eq!(l.parent_issuer, "UBND TỈNH SƠN HÀ");
        assert_eq!(l.place, "Sơn Hà");
        let c = Letterhead::of_department("Sở Giáo dục và Đào tạo thành phố Hải Phòng");
        assert_eq!(c.parent_issuer, "UBND THÀNH PHỐ HẢI PHÒNG");
    }

    #[test]
    fn a_package_is_a_zip_with_the_document() {
        let bytes = package(&paragraph(
            &run("Xin chào", Style::default()),
            Align::Left,
            0,
            0,
        ))
        .unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        assert!(xml.contains("Xin chào"));
    }
}
