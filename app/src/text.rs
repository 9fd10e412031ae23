//! Text helpers shared by the browser and the server.

/// Text made safe to place in HTML or XML: `&`, `<`, `>` and `"` as entities, and the control
/// characters XML 1.0 does not allow dropped.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds Vietnamese text to a search key: lower case, no diacritics, `đ` → `d`,
/// runs of whitespace collapsed. "Trường THCS Nguyễn Thị Thập" → "truong thcs nguyen thi thap".
pub fn search_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for folded in text.chars().filter_map(fold_char) {
        if folded.is_whitespace() || folded == '-' || folded == ',' || folded == '.' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.extend(folded.to_lowercase());
            last_space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Maps one character to its base Latin letter. Vietnamese uses precomposed characters
/// (NFC) in practice; the combining marks of decomposed input (NFD) are dropped.
fn fold_char(ch: char) -> Option<char> {
    const GROUPS: [(&str, char); 14] = [
        ("àáạảãâầấậẩẫăằắặẳẵ", 'a'),
        ("ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴ", 'a'),
        ("èéẹẻẽêềếệểễ", 'e'),
        ("ÈÉẸẺẼÊỀẾỆỂỄ", 'e'),
        ("ìíịỉĩ", 'i'),
        ("ÌÍỊỈĨ", 'i'),
        ("òóọỏõôồốộổỗơờớợởỡ", 'o'),
        ("ÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠ", 'o'),
        ("ùúụủũưừứựửữ", 'u'),
        ("ÙÚỤỦŨƯỪỨỰỬỮ", 'u'),
        ("ỳýỵỷỹ", 'y'),
        ("ỲÝỴỶỸ", 'y'),
        ("đ", 'd'),
        ("Đ", 'd'),
    ];
    if ch.is_ascii() {
        return Some(ch);
    }
    if ('\u{0300}'..='\u{036F}').contains(&ch) {
        return None;
    }
    Some(
        GROUPS
            .iter()
            .find(|(set, _)| set.contains(ch))
            .map_or(ch, |&(_, base)| base),
    )
}

/// Percent-encodes every byte but the unreserved ones of RFC 3986: for a file name in a query
/// string or in a `filename*` header (RFC 8187).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (as UTF-8; a malformed escape stays as it is).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| bytes.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                at += 3;
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{percent_decode, percent_encode, search_key};

    #[test]
    fn percent_decoding_undoes_encoding() {
        let text = "Trường 19/8 & co %";
        assert_eq!(percent_decode(&percent_encode(text)), text);
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn folds_diacritics_and_case() {
        assert_eq!(
            search_key("Trường THCS Nguyễn Thị Thập"),
            "truong thcs nguyen thi thap"
        );
        assert_eq!(search_key("  ĐẮK   Lắk "), "dak lak");
    }

    #[test]
    fn folded_query_matches_folded_name() {
        let name = search_key("Trường THCS Nguyễn Thị Thập");
        assert!(name.contains(&search_key("truong thcs nguyen thi thap")));
        assert!(name.contains(&search_key("THCS Nguyễn Thị Thập")));
    }

    #[test]
    fn decomposed_marks_are_dropped() {
        // "Việt" written with combining marks (NFD).
        let nfd = "Vie\u{0323}\u{0302}t";
        assert_eq!(search_key(nfd), "viet");
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved_bytes() {
        assert_eq!(
            percent_encode("Biên bản 19-8.pdf"),
            "Bi%C3%AAn%20b%E1%BA%A3n%2019-8.pdf"
        );
    }
}
