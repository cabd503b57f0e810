//! Parsing of cell values as the exports write them (SPEC §3 "values").

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::source::{CellKind, RawCell};

/// A cell value that is not of the expected kind (number, date, yes/no, vocabulary word).
/// The caller knows the place and records it as a [`crate::model::BadValue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unparseable;

impl std::fmt::Display for Unparseable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("无法识别的值")
    }
}

impl std::error::Error for Unparseable {}

/// Parses a yes/no cell: `是/否`, `Y/N`, `1/0`, `√/×`, `有/无`, `true/false`.
/// `Ok(None)` for a blank cell, `Err(Unparseable)` for anything else.
///
/// # Errors
/// `Err(Unparseable)` when the text is not a recognised yes/no word.
pub fn parse_bool_text(text: &str) -> Result<Option<bool>, Unparseable> {
    match text.trim() {
        "" => Ok(None),
        "是" | "Y" | "y" | "YES" | "Yes" | "yes" | "1" | "√" | "✓" | "✔" | "有" | "TRUE"
        | "True" | "true" | "已消除" => Ok(Some(true)),
        "否" | "N" | "n" | "NO" | "No" | "no" | "0" | "×" | "✗" | "无" | "FALSE" | "False"
        | "false" | "未消除" => Ok(Some(false)),
        _ => Err(Unparseable),
    }
}

/// Parses a yes/no cell of any kind.
///
/// # Errors
/// `Err(Unparseable)` when the cell is neither blank nor a yes/no value.
pub fn parse_bool(cell: &RawCell) -> Result<Option<bool>, Unparseable> {
    match cell.kind {
        CellKind::Empty => Ok(None),
        CellKind::Bool => Ok(Some(cell.number != 0.0)),
        CellKind::Number if cell.number == 1.0 => Ok(Some(true)),
        CellKind::Number if cell.number == 0.0 => Ok(Some(false)),
        _ => parse_bool_text(&cell.text),
    }
}

/// Parses a number: thousands separators, spaces and a trailing `元` are allowed.
///
/// # Errors
/// `Err(Unparseable)` when the text is not a number.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::value::parse_decimal_text;
/// use rust_decimal::Decimal;
/// assert_eq!(parse_decimal_text("12,345.50元"), Ok(Some(Decimal::new(1234550, 2))));
/// assert_eq!(parse_decimal_text(""), Ok(None));
/// assert!(parse_decimal_text("12.5万").is_err());
/// ```
pub fn parse_decimal_text(text: &str) -> Result<Option<Decimal>, Unparseable> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let t = t.strip_suffix('元').unwrap_or(t).trim_end();
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            ',' | '，' | ' ' | '\u{3000}' => {}
            '０'..='９' => s.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '．' => s.push('.'),
            '－' => s.push('-'),
            c => s.push(c),
        }
    }
    if s.is_empty() || s == "-" {
        return Err(Unparseable);
    }
    if s.contains(['e', 'E']) {
        return Decimal::from_scientific(&s)
            .map(Some)
            .map_err(|_| Unparseable);
    }
    Decimal::from_str(&s).map(Some).map_err(|_| Unparseable)
}

/// Converts a spreadsheet float to a decimal through its shortest round-trip text, so that
/// `0.1` stays `0.1` (Excel keeps 15 significant digits).
pub fn decimal_from_f64(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    let text = format!("{v}");
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

/// Parses a number cell of any kind.
///
/// # Errors
/// `Err(Unparseable)` when the cell is neither blank nor a number.
pub fn parse_decimal(cell: &RawCell) -> Result<Option<Decimal>, Unparseable> {
    match cell.kind {
        CellKind::Empty => Ok(None),
        CellKind::Number => decimal_from_f64(cell.number).map(Some).ok_or(Unparseable),
        CellKind::Bool | CellKind::Date | CellKind::Error => Err(Unparseable),
        CellKind::Text => parse_decimal_text(&cell.text),
    }
}

/// Converts an Excel serial day number (1900 date system) to a date.
pub fn date_from_serial(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Excel's day 60 is the non-existent 1900-02-29; serials after it are offset by one.
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let adjusted = if days < 61 { days + 1 } else { days };
    base.checked_add_signed(chrono::Duration::days(adjusted))
}

fn ymd(year: i64, month: i64, day: Option<i64>) -> Option<NaiveDate> {
    // A two-digit year (`21.3.5`) is in this century: monitoring began in 2020.
    let year = if (0..100).contains(&year) {
        2000 + year
    } else {
        year
    };
    if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let (year, month) = (year as i32, month as u32);
    match day {
        Some(d) => NaiveDate::from_ymd_opt(year, month, u32::try_from(d).ok()?),
        None => crate::text::last_day_of_month(year, month),
    }
}

/// Parses a 6- or 8-digit number as YYYYMM (last day of month) or YYYYMMDD.
fn from_digits(d: &str) -> Option<NaiveDate> {
    let n = |r: std::ops::Range<usize>| d.get(r).and_then(|s| s.parse::<i64>().ok());
    match d.len() {
        6 => ymd(n(0..4)?, n(4..6)?, None),
        8 => ymd(n(0..4)?, n(4..6)?, Some(n(6..8)?)),
        _ => None,
    }
}

/// Parses a date written as text: `2023-06-30`, `2023/6/30`, `2023.6.30`, `2023年6月30日`,
/// `2023年6月30号`, `2023年6月`, `2023-06`, `2023.06`, `202306`, `20230630`, and with a
/// two-digit year (`23.6.30` = 2023-06-30). A month means its last day.
///
/// # Errors
/// `Err(Unparseable)` when the text is not a date.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::value::parse_date_text;
/// use chrono::NaiveDate;
/// let d = |y, m, d| Some(NaiveDate::from_ymd_opt(y, m, d).unwrap());
/// assert_eq!(parse_date_text("2023年6月"), Ok(d(2023, 6, 30)));
/// assert_eq!(parse_date_text("202302"), Ok(d(2023, 2, 28)));
/// assert_eq!(parse_date_text("2023/6/3"), Ok(d(2023, 6, 3)));
/// assert_eq!(parse_date_text("2021年3月5号"), Ok(d(2021, 3, 5)));
/// assert_eq!(parse_date_text("21.3.5"), Ok(d(2021, 3, 5)));
/// assert!(parse_date_text("2023-13-01").is_err());
/// ```
pub fn parse_date_text(text: &str) -> Result<Option<NaiveDate>, Unparseable> {
    let mut t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    // Drop a time part (`2023-06-30 00:00:00`, `2023-06-30T00:00:00`).
    if let Some(i) = t.find([' ', 'T']) {
        t = &t[..i];
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return from_digits(t).map(Some).ok_or(Unparseable);
    }
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日', '号'])
        .filter(|p| !p.is_empty())
        .collect();
    // The year is written in full or with two digits; a day or month never has more than two.
    let year_ok = parts
        .first()
        .is_some_and(|y| matches!(y.trim().len(), 2 | 4));
    if !year_ok || parts.iter().skip(1).any(|p| p.trim().len() > 2) {
        return Err(Unparseable);
    }
    let num = |i: usize| {
        parts
            .get(i)
            .and_then(|p| p.trim().parse::<i64>().ok())
            .ok_or(Unparseable)
    };
    match parts.len() {
        2 => ymd(num(0)?, num(1)?, None).map(Some).ok_or(Unparseable),
        3 => ymd(num(0)?, num(1)?, Some(num(2)?))
            .map(Some)
            .ok_or(Unparseable),
        _ => Err(Unparseable),
    }
}

/// Parses a date cell of any kind. In a date column a 6- or 8-digit number is YYYYMM /
/// YYYYMMDD, not an Excel serial.
///
/// # Errors
/// `Err(Unparseable)` when the cell is neither blank nor a date.
pub fn parse_date(cell: &RawCell) -> Result<Option<NaiveDate>, Unparseable> {
    match cell.kind {
        CellKind::Empty => Ok(None),
        CellKind::Date => date_from_serial(cell.number).map(Some).ok_or(Unparseable),
        CellKind::Number => {
            let v = cell.number;
            if v.fract() == 0.0 && (100_000.0..100_000_000.0).contains(&v) {
                from_digits(&format!("{}", v as i64))
                    .map(Some)
                    .ok_or(Unparseable)
            } else {
                date_from_serial(v).map(Some).ok_or(Unparseable)
            }
        }
        CellKind::Bool | CellKind::Error => Err(Unparseable),
        CellKind::Text => parse_date_text(&cell.text),
    }
}

/// Parses a year (`2021`, `2021年`).
///
/// # Errors
/// `Err(Unparseable)` when the cell is not a plausible year.
pub fn parse_year(cell: &RawCell) -> Result<Option<i32>, Unparseable> {
    let v = match cell.kind {
        CellKind::Empty => return Ok(None),
        CellKind::Number if cell.number.fract() == 0.0 => cell.number as i64,
        CellKind::Text => {
            let t = cell.text.trim();
            if t.is_empty() {
                return Ok(None);
            }
            let t = t.strip_suffix('年').unwrap_or(t).trim();
            t.parse::<i64>().map_err(|_| Unparseable)?
        }
        _ => return Err(Unparseable),
    };
    if (1900..=2200).contains(&v) {
        Ok(Some(v as i32))
    } else {
        Err(Unparseable)
    }
}

#[cfg(test)]
mod tests;
