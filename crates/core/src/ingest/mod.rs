//! Reading exports: the only code that touches calamine and csv.

/// Normalises a header for matching: full-width brackets and punctuation become half-width,
/// spaces and line breaks inside are removed (`人均纯收入（元）` = `人均纯收入(元)`).
///
/// # Examples
/// ```
/// use gonggu_core::ingest::normalize_header;
/// assert_eq!(normalize_header(" 人均纯收入\n（元）"), "人均纯收入(元)");
/// ```
pub fn normalize_header(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '（' => out.push('('),
            '）' => out.push(')'),
            '，' => out.push(','),
            '／' => out.push('/'),
            '：' => out.push(':'),
            c if c.is_whitespace() || c == '\u{3000}' || c == '*' => {}
            c => out.push(c),
        }
    }
    out
}
