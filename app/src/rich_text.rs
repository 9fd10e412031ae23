//! The little formatting official documents use, typed as plain text so that it survives any
//! keyboard: a blank line separates paragraphs, a line starting with "- " is a list item,
//! `**bold**` and `*italic*`. The print view and the DOCX both read it through `parse`.

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// A paragraph, or one item of a bulleted list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Span>),
    Bullet(Vec<Span>),
}

/// Splits `text` into blocks. Each non-blank line is a block of its own (documents of this
/// kind indent every paragraph), so a single line break is kept as one.
pub fn parse(text: &str) -> Vec<Block> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let trimmed = line.trim_start();
            match trimmed
                .strip_prefix("- ")
                .or_else(|| trimmed.strip_prefix("+ "))
                .or_else(|| trimmed.strip_prefix("• "))
            {
                Some(rest) => Block::Bullet(spans(rest)),
                None => Block::Paragraph(spans(trimmed)),
            }
        })
        .collect()
}

/// Reads `**bold**` and `*italic*` marks in one line. An unmatched mark is kept as text.
pub fn spans(line: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let (mut bold, mut italic) = (false, false);
    let mut current = String::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let closes = |from: usize, mark: &str| -> bool {
        let rest: String = chars[from..].iter().collect();
        rest.contains(mark)
    };
    while i < chars.len() {
        let double = chars[i] == '*' && chars.get(i + 1) == Some(&'*');
        if double && (bold || closes(i + 2, "**")) {
            flush(&mut out, &mut current, bold, italic);
            bold = !bold;
            i += 2;
        } else if chars[i] == '*' && !double && (italic || closes(i + 1, "*")) {
            flush(&mut out, &mut current, bold, italic);
            italic = !italic;
            i += 1;
        } else {
            current.push(chars[i]);
            i += 1;
        }
    }
    flush(&mut out, &mut current, bold, italic);
    out
}

fn flush(out: &mut Vec<Span>, current: &mut String, bold: bool, italic: bool) {
    if !current.is_empty() {
        out.push(Span {
            text: std::mem::take(current),
            bold,
            italic,
        });
    }
}

/// The text without marks, for search and for plain-text views.
pub fn plain(text: &str) -> String {
    parse(text)
        .into_iter()
        .map(|b| {
            let (prefix, spans) = match b {
                Block::Paragraph(s) => ("", s),
                Block::Bullet(s) => ("- ", s),
            };
            let body: String = spans.into_iter().map(|s| s.text).collect();
            format!("{prefix}{body}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str, bold: bool, italic: bool) -> Span {
        Span {
            text: text.into(),
            bold,
            italic,
        }
    }

    #[test]
    fn paragraphs_lists_and_emphasis() {
        let blocks =
            parse("Tổ chức **hội nghị** triển khai.\n\n- Tuyên truyền *thường xuyên*\n- Báo cáo");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![
                    s("Tổ chức ", false, false),
                    s("hội nghị", true, false),
                    s(" triển khai.", false, false)
                ]),
                Block::Bullet(vec![
                    s("Tuyên truyền ", false, false),
                    s("thường xuyên", false, true)
                ]),
                Block::Bullet(vec![s("Báo cáo", false, false)]),
            ]
        );
    }

    #[test]
    fn unmatched_marks_stay_text() {
        assert_eq!(spans("5 * 3 = 15"), vec![s("5 * 3 = 15", false, false)]);
        assert_eq!(spans("**a"), vec![s("**a", false, false)]);
        assert_eq!(plain("- **Mục** một"), "- Mục một");
    }
}
