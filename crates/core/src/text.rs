//! Text and dates as a bureau writes them: header normalisation, Chinese dates and the
//! calendar arithmetic every report shares — one copy of each rule, used by ingest,
//! measures, validation, the renderers and the CLI.

use chrono::{Datelike, NaiveDate};

/// A file's name without its folder (`监测对象信息.xlsx`): what documents sent to others
/// name, since they should carry no folder of this computer.
///
/// # Examples
/// ```
/// use gonggu_core::text::base_name;
/// assert_eq!(base_name("/tmp/输入/监测对象信息.xlsx"), "监测对象信息.xlsx");
/// assert_eq!(base_name("汇总.csv"), "汇总.csv");
/// ```
pub fn base_name(file: &str) -> String {
    std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned())
}

/// `2021年11月30日`: a date as documents write it.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::text::date_zh;
/// assert_eq!(date_zh(NaiveDate::from_ymd_opt(2021, 3, 5).unwrap()), "2021年3月5日");
/// ```
pub fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `2021年3月`: the month of a date, as documents and messages write it.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::text::month_zh;
/// assert_eq!(month_zh(NaiveDate::from_ymd_opt(2021, 3, 5).unwrap()), "2021年3月");
/// ```
pub fn month_zh(d: NaiveDate) -> String {
    format!("{}年{}月", d.year(), d.month())
}

/// The last day of a month; `None` for a month outside 1–12 or a year chrono cannot hold.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::text::last_day_of_month;
/// assert_eq!(last_day_of_month(2024, 2), NaiveDate::from_ymd_opt(2024, 2, 29));
/// assert_eq!(last_day_of_month(2021, 12), NaiveDate::from_ymd_opt(2021, 12, 31));
/// assert_eq!(last_day_of_month(2021, 13), None);
/// ```
pub fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year.checked_add(1)?, 1)
    } else {
        (year, month.checked_add(1)?)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// The last day of the month before the month of `d`: the default as-of date of the
/// previous period.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::text::end_of_previous_month;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(end_of_previous_month(d(2021, 11, 30)), d(2021, 10, 31));
/// assert_eq!(end_of_previous_month(d(2022, 1, 15)), d(2021, 12, 31));
/// ```
pub fn end_of_previous_month(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(d)
}

/// Whole years between `birth` and `on` (the age on that date).
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::text::age_on;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(age_on(d(2005, 12, 1), d(2021, 11, 30)), 15);
/// assert_eq!(age_on(d(2005, 11, 30), d(2021, 11, 30)), 16);
/// ```
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Normalises a header for matching: full-width brackets and punctuation become half-width,
/// spaces, line breaks and `*` (required-field marks) inside are removed
/// (`人均纯收入（元）` = `人均纯收入(元)`).
///
/// # Examples
/// ```
/// use gonggu_core::text::normalize_header;
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
