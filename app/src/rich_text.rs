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
    // A mark opens only if one like it follows: that is, if the last one in the line starts
    // at or after that point. Found once, so the line is read in linear time whatever it holds.
    let last_double = chars.windows(2).rposition(|w| w == ['*', '*']);
    let last_single = chars.iter().rposition(|&c| c == '*');
    let follows = |last: Option<usize>, from: usize| last.is_some_and(|j| j >= from);
    let mut i = 0;
    while i < chars.len() {
        let double = chars[i] == '*' && chars.get(i + 1) == Some(&'*');
        if double && (bold || follows(last_double, i + 2)) {
            flush(&mut out, &mut current, bold, italic);
            bold = !bold;
            i += 2;
        } else if chars[i] == '*' && !double && (italic || follows(last_single, i + 1)) {
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

    /// The marks as first written: a mark opens if the rest of the line holds one like it.
    fn spans_by_searching_the_rest(line: &str) -> Vec<Span> {
        let mut out: Vec<Span> = Vec::new();
        let (mut bold, mut italic) = (false, false);
        let mut current = String::new();
        let chars: Vec<char> = line.chars().collect();
        let closes =
            |from: usize, mark: &str| chars[from..].iter().collect::<String>().contains(mark);
        let mut i = 0;
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

    #[test]
    fn marks_read_as_the_rest_of_the_line_says() {
        // Every line of up to seven characters from '*', 'a' and ' ', and some longer ones.
        let alphabet = ['*', 'a', ' '];
        let mut lines = vec![
            "**Đậm** và *nghiêng* rồi ***cả hai*** còn * lẻ".to_string(),
            "a**b*c**d*e***f".to_string(),
        ];
        for length in 0..=7u32 {
            for n in 0..3usize.pow(length) {
                let mut rest = n;
                let line: String = (0..length)
                    .map(|_| {
                        let c = alphabet[rest % 3];
                        rest /= 3;
                        c
                    })
                    .collect();
                lines.push(line);
            }
        }
        for line in &lines {
            assert_eq!(spans(line), spans_by_searching_the_rest(line), "{line:?}");
        }
    }

    #[test]
    fn long_runs_of_marks_are_read_in_one_pass() {
        // Searched again from every mark, this line would cost some 10^10 character copies.
        let line = format!("{}x{}", "*".repeat(100_001), "* a".repeat(50_000));
        let read = spans(&line);
        let text: usize = read.iter().map(|s| s.text.chars().count()).sum();
        assert!(text > 0 && text < line.chars().count());
    }
}
