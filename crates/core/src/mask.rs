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

    /// A cell value quoted back to the user (a finding, a warning, an error), unless
    /// revealed: masked as an ID number, a name or a phone number when its column holds
    /// such data, or when it looks like an ID or a phone number whatever its column (an ID
    /// typed into 出生日期). A value is never masked for looking like a name: `一般农户`
    /// stays readable.
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::mask::Pii;
    /// let p = Pii::Masked;
    /// assert_eq!(p.quote("出生日期", "410123199001011234"), "410***********1234");
    /// assert_eq!(p.quote("户类型", "一般农户"), "一般农户");
    /// assert_eq!(p.quote("姓名", "张三丰"), "张*");
    /// assert_eq!(p.quote("风险消除时间", "13812341234"), "138****1234");
    /// assert_eq!(Pii::Revealed.quote("证件号码", "410123199001011234"), "410123199001011234");
    /// ```
    pub fn quote(self, column: &str, value: &str) -> String {
        if self == Pii::Revealed {
            return value.to_string();
        }
        if column.contains("证件号") || column.contains("身份证") || looks_like_id(value) {
            mask_id(value)
        } else if column.contains("电话") || column.contains("手机") || looks_like_phone(value)
        {
            mask_phone(value)
        } else if column.contains("姓名") {
            mask_name(value)
        } else {
            value.to_string()
        }
    }
}

/// Whether a text looks like personal data by its shape alone: an ID number or a phone
/// number.
pub fn looks_personal(value: &str) -> bool {
    looks_like_id(value) || looks_like_phone(value)
}

/// Whether a text looks like a resident ID number: 15 or 18 characters, digits but for a
/// final `X`, or a long number Excel turned into `4.10123E+17`.
fn looks_like_id(value: &str) -> bool {
    let v = value.trim();
    let n = v.chars().count();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let id_shape = (n == 15 || n == 18)
        && (digits == n || (digits == n - 1 && (v.ends_with('X') || v.ends_with('x'))));
    let scientific = v.contains("E+") && digits >= 6;
    id_shape || scientific || (n >= 15 && digits == n)
}

/// Whether a text looks like a phone number: 11 digits starting with 1 (mobile), or a
/// landline with its area code (`0371-12345678`).
fn looks_like_phone(value: &str) -> bool {
    let v = value.trim();
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let only_phone_chars = v
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    only_phone_chars
        && ((digits.len() == 11 && digits.starts_with('1'))
            || (v.starts_with('0') && (10..=12).contains(&digits.len())))
}
