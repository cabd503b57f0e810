//! Masking of personal data (证件号码, names, phone numbers) for every output.
//!
//! One set of functions used by every renderer; `--reveal-pii` is the only way around them.

/// Masks a 证件号码: first 3 and last 4 characters kept (`410***********1234`).
///
/// # Examples
/// ```
/// use gonggu_core::mask::mask_id;
/// assert_eq!(mask_id("410123199001011234"), "410***********1234");
/// assert_eq!(mask_id("12345"), "*****");
/// ```
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let n = chars.len();
    let mut out = String::with_capacity(n + 8);
    out.extend(&chars[..3]);
    out.extend(std::iter::repeat_n('*', n - 7));
    out.extend(&chars[n - 4..]);
    out
}

/// Masks a name to its surname plus `*` (`张三丰` → `张*`; two-character compound surnames
/// such as 欧阳 are kept whole).
///
/// # Examples
/// ```
/// use gonggu_core::mask::mask_name;
/// assert_eq!(mask_name("张三丰"), "张*");
/// assert_eq!(mask_name("欧阳修"), "欧阳*");
/// assert_eq!(mask_name(""), "");
/// ```
pub fn mask_name(name: &str) -> String {
    const COMPOUND: [&str; 12] = [
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙", "夏侯",
        "端木",
    ];
    let name = name.trim();
    if name.is_empty() {
        return String::new();
    }
    let surname: String = match COMPOUND.iter().find(|c| name.starts_with(*c)) {
        Some(c) if name.chars().count() > 2 => (*c).to_string(),
        _ => name.chars().take(1).collect(),
    };
    format!("{surname}*")
}

/// Masks a phone number: `13812341234` → `138****1234`; other lengths keep the first 3 and
/// last 4 characters when long enough.
///
/// # Examples
/// ```
/// use gonggu_core::mask::mask_phone;
/// assert_eq!(mask_phone("13812341234"), "138****1234");
/// ```
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    let n = chars.len();
    if n < 8 {
        return "*".repeat(n);
    }
    let mut out = String::new();
    out.extend(&chars[..3]);
    out.extend(std::iter::repeat_n('*', n - 7));
    out.extend(&chars[n - 4..]);
    out
}

/// Whether personal data is shown in full (`--reveal-pii`) or masked (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pii {
    /// Masked (default).
    #[default]
    Masked,
    /// Shown in full: explicitly asked for with `--reveal-pii`.
    Revealed,
}

impl Pii {
    /// Applies [`mask_id`] unless revealed.
    pub fn id(self, id: &str) -> String {
        match self {
            Pii::Masked => mask_id(id),
            Pii::Revealed => id.to_string(),
        }
    }
    /// Applies [`mask_name`] unless revealed.
    pub fn name(self, name: &str) -> String {
        match self {
            Pii::Masked => mask_name(name),
            Pii::Revealed => name.to_string(),
        }
    }
    /// Applies [`mask_phone`] unless revealed.
    pub fn phone(self, phone: &str) -> String {
        match self {
            Pii::Masked => mask_phone(phone),
            Pii::Revealed => phone.to_string(),
        }
    }
}
