//! 证件号码 checks: GB 11643 citizen ID numbers and 残疾人证 numbers built on them.

use chrono::{Datelike, NaiveDate};

/// Why a 证件号码 is invalid (see [`id_number_problem`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdProblem {
    /// Blank.
    Empty,
    /// Not 18, 20 or 22 characters long (the length found).
    Length(usize),
    /// Starts with `999999`: the export's placeholder for "no ID".
    Placeholder,
    /// A character other than a digit (or a final `X`).
    Characters,
    /// The birth date inside the number does not exist or lies after the as-of date.
    BirthDate,
    /// The GB 11643 check character does not match.
    CheckDigit,
}

impl IdProblem {
    /// Chinese explanation, without any digit of the number (the number itself is personal
    /// data and is shown masked elsewhere).
    pub fn message(self) -> String {
        match self {
            IdProblem::Empty => "证件号码为空".to_string(),
            IdProblem::Length(n) => {
                format!("证件号码为 {n} 位（身份证号应为18位，残疾人证号为20或22位）")
            }
            IdProblem::Placeholder => "证件号码以999999开头（表示无证件号码）".to_string(),
            IdProblem::Characters => "证件号码含有数字和末位X以外的字符".to_string(),
            IdProblem::BirthDate => "证件号码中的出生日期不存在".to_string(),
            IdProblem::CheckDigit => "证件号码校验位不符（GB 11643）".to_string(),
        }
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [u8; 11] = *b"10X98765432";

/// The GB 11643 check character of the first 17 digits; `None` when they are not 17 ASCII
/// digits.
///
/// # Examples
/// ```
/// use gonggu_core::validate::idcard::check_char;
/// assert_eq!(check_char("11010519491231002"), Some('X'));
/// assert_eq!(check_char("1101051949123100"), None);
/// ```
pub fn check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK.get((sum % 11) as usize).map(|&c| char::from(c))
}

/// Checks a 证件号码 as written: an 18-character citizen ID number (GB 11643: 17 digits, a
/// valid birth date at positions 7–14 not after `as_of`, and the check character), or a 20/22
/// character 残疾人证 number (a valid ID number followed by digits). A lower-case `x` is
/// accepted as the check character.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::validate::idcard::{id_number_problem, IdProblem};
/// let on = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
/// assert_eq!(id_number_problem("11010519491231002X", on), None);
/// assert_eq!(id_number_problem("11010519491231002X63", on), None);
/// assert_eq!(id_number_problem("110105194912310021", on), Some(IdProblem::CheckDigit));
/// assert_eq!(id_number_problem("41010119900101123", on), Some(IdProblem::Length(17)));
/// ```
pub fn id_number_problem(text: &str, as_of: NaiveDate) -> Option<IdProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Some(IdProblem::Empty);
    }
    if t.starts_with("999999") {
        return Some(IdProblem::Placeholder);
    }
    let n = t.chars().count();
    if !matches!(n, 18 | 20 | 22) {
        return Some(IdProblem::Length(n));
    }
    // All characters are ASCII from here on (checked below), so byte slicing is safe; a
    // non-ASCII character makes the byte length differ from the char count.
    if t.len() != n {
        return Some(IdProblem::Characters);
    }
    let (id, rest) = t.split_at(18);
    let (first17, last) = id.split_at(17);
    let last_ok = last
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'X' || b == b'x');
    if !first17.bytes().all(|b| b.is_ascii_digit())
        || !last_ok
        || !rest.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(IdProblem::Characters);
    }
    let birth = first17.get(6..14).and_then(|d| {
        let y = d.get(0..4)?.parse::<i32>().ok()?;
        let m = d.get(4..6)?.parse::<u32>().ok()?;
        let day = d.get(6..8)?.parse::<u32>().ok()?;
        NaiveDate::from_ymd_opt(y, m, day)
    });
    match birth {
        Some(b) if b.year() >= 1880 && b <= as_of => {}
        _ => return Some(IdProblem::BirthDate),
    }
    match check_char(first17) {
        Some(want) if last.eq_ignore_ascii_case(want.encode_utf8(&mut [0u8; 4])) => None,
        Some(_) => Some(IdProblem::CheckDigit),
        None => Some(IdProblem::Characters),
    }
}

/// The birth date and sex an ID number carries (positions 7–14 and 17: odd = 男), when it
/// is a valid GB 11643 number (or a 残疾人证 number built on one). Used when a roster has no
/// 出生日期 or 性别 column.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::model::Sex;
/// use gonggu_core::validate::idcard::birth_and_sex;
/// assert_eq!(
///     birth_and_sex("11010519491231002X"),
///     Some((NaiveDate::from_ymd_opt(1949, 12, 31).unwrap(), Sex::Female))
/// );
/// assert_eq!(birth_and_sex("110105194912310021"), None); // check digit
/// ```
pub fn birth_and_sex(text: &str) -> Option<(NaiveDate, crate::model::Sex)> {
    let t = text.trim();
    if id_number_problem(t, NaiveDate::MAX).is_some() {
        return None;
    }
    let d = |r: std::ops::Range<usize>| t.get(r)?.parse::<u32>().ok();
    let birth = NaiveDate::from_ymd_opt(i32::try_from(d(6..10)?).ok()?, d(10..12)?, d(12..14)?)?;
    let sex = if d(16..17)? % 2 == 1 {
        crate::model::Sex::Male
    } else {
        crate::model::Sex::Female
    };
    Some((birth, sex))
}
