//! Formatting of values and changes, and the machine outputs (JSON, CSV) of SPEC §7.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::{Report, Row};
use crate::catalog::Indicator;

/// Shown for a value that does not exist (zero denominator, unavailable measure, no data).
pub const DASH: &str = "—";

/// `d` rounded 四舍五入 to `dp` decimals with trailing zeros kept, never `-0`.
fn fixed(d: Decimal, dp: u32) -> String {
    let mut r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(dp);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.to_string()
}

/// The display text of a value: `24.41%` for ratios and progress (no space, trailing zeros
/// kept: `100.0%`, `98.80%`), `7232` for counts, `10409` per capita, `1234.50` for 万元; `—`
/// for no value.
///
/// # Examples
/// ```
/// use rust_decimal::Decimal;
/// use gonggu_core::catalog::Catalog;
/// use gonggu_core::compute::format_value;
/// let c = Catalog::builtin().unwrap();
/// let rate = c.get("loan_household_rate").unwrap();
/// assert_eq!(format_value(rate, Some(Decimal::new(2441, 4))), "24.41%");
/// assert_eq!(format_value(rate, Some(Decimal::new(988, 3))), "98.80%");
/// assert_eq!(format_value(rate, None), "—");
/// ```
pub fn format_value(ind: &Indicator, v: Option<Decimal>) -> String {
    match v {
        None => DASH.to_string(),
        Some(v) if ind.kind.is_percent() => {
            format!(
                "{}%",
                fixed(ind.round(v) * Decimal::ONE_HUNDRED, ind.decimals)
            )
        }
        Some(v) => fixed(v, ind.decimals),
    }
}

/// A change in words: `提高1.25个百分点` / `下降0.50个百分点` for percentages, `增加12人` /
/// `减少3户` for counts (with the indicator's unit), `持平` for none, `—` when unknown.
/// `change` is in the indicator's unit (percentage points for percentages), as in
/// [`super::Cell::change`].
///
/// # Examples
/// ```
/// use rust_decimal::Decimal;
/// use gonggu_core::catalog::Catalog;
/// use gonggu_core::compute::format_change;
/// let c = Catalog::builtin().unwrap();
/// let rate = c.get("loan_household_rate").unwrap();
/// assert_eq!(format_change(rate, Some(Decimal::new(125, 2))), "提高1.25个百分点");
/// let persons = c.get("employed_persons").unwrap();
/// assert_eq!(format_change(persons, Some(Decimal::from(-12))), "减少12人");
/// ```
pub fn format_change(ind: &Indicator, change: Option<Decimal>) -> String {
    let Some(c) = change else {
        return DASH.to_string();
    };
    let amount = fixed(c.abs(), ind.decimals);
    if amount.chars().all(|ch| ch == '0' || ch == '.') {
        return "持平".to_string();
    }
    let up = c.is_sign_positive();
    if ind.kind.is_percent() {
        format!("{}{amount}个百分点", if up { "提高" } else { "下降" })
    } else {
        format!("{}{amount}{}", if up { "增加" } else { "减少" }, ind.unit)
    }
}

/// A change as a signed number for tables (`1.25`, `-3`).
fn change_number(ind: &Indicator, change: Option<Decimal>) -> String {
    match change {
        None => DASH.to_string(),
        Some(c) => fixed(c, ind.decimals),
    }
}

/// Serializes a decimal as a JSON number: integral values as integers (`2441`), others by
/// their shortest decimal text (`0.2441`).
pub(super) fn ser_num<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    let n = d.normalize();
    if n.scale() == 0 {
        if let Some(i) = n.to_i64() {
            return s.serialize_i64(i);
        }
        if let Some(i) = n.to_i128() {
            return s.serialize_i128(i);
        }
    }
    // The nearest f64 of the decimal text prints back as that text (up to 15 digits).
    let text = n.to_string();
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => s.serialize_f64(f),
        _ => s.serialize_str(&text),
    }
}

/// [`ser_num`] for an optional value (`null` when absent).
pub(super) fn ser_opt_num<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => ser_num(d, s),
        None => s.serialize_none(),
    }
}

/// `2021-12-11`.
pub(super) fn ser_date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

/// The `indicators` list of the JSON: `{"id","name","kind","decimals"}` per indicator.
pub(super) fn ser_heads<S: Serializer>(list: &[Indicator], s: S) -> Result<S::Ok, S::Error> {
    struct Head<'a>(&'a Indicator);
    impl Serialize for Head<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("Indicator", 4)?;
            st.serialize_field("id", &self.0.id)?;
            st.serialize_field("name", &self.0.name)?;
            st.serialize_field("kind", &self.0.kind)?;
            st.serialize_field("decimals", &self.0.decimals)?;
            st.end()
        }
    }
    s.collect_seq(list.iter().map(Head))
}

/// The report as pretty-printed JSON in the shape of SPEC §7.
///
/// # Examples
/// See [`super::build_report`].
pub fn to_json(report: &Report) -> String {
    // Serializing this type cannot fail: every map key is a string and every number is
    // finite, so the fallback is never taken.
    serde_json::to_string_pretty(report).unwrap_or_default()
}

/// One CSV field. A text that a spreadsheet would take for a formula (starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, as spreadsheets expect;
/// numbers (`-1.25`, `+3`) stay numbers.
fn csv_field(out: &mut String, text: &str) {
    let formula_like = text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && text.trim().trim_end_matches('%').parse::<f64>().is_err();
    let owned;
    let text = if formula_like {
        owned = format!("'{text}");
        owned.as_str()
    } else {
        text
    };
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

fn csv_line(out: &mut Vec<u8>, fields: &[String]) {
    let mut line = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        csv_field(&mut line, f);
    }
    line.push_str("\r\n");
    out.extend_from_slice(line.as_bytes());
}

/// The report as CSV for Excel: UTF-8 with BOM, CRLF line ends, one row per region in
/// official order and the total last. Columns `地区,<name>,<name>排名,…`; when the report
/// compares with a previous period, each indicator also gets `<name>较上期（个百分点）` (or
/// its unit) and `<name>名次变化` (`↑2`, `↓1`, `持平`). Missing values are `—`; the total
/// row has empty rank cells.
pub fn to_csv(report: &Report) -> Vec<u8> {
    let compare = report.previous_as_of.is_some();
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut head = vec!["地区".to_string()];
    for ind in &report.indicators {
        head.push(ind.name.clone());
        head.push(format!("{}排名", ind.name));
        if compare {
            let unit = if ind.kind.is_percent() {
                "个百分点"
            } else {
                ind.unit.as_str()
            };
            head.push(format!("{}较上期（{unit}）", ind.name));
            head.push(format!("{}名次变化", ind.name));
        }
    }
    csv_line(&mut out, &head);
    let line = |row: &Row, is_total: bool| {
        let mut f = vec![row.region.clone()];
        for ind in &report.indicators {
            let cell = row.cell(&ind.id);
            f.push(cell.map_or_else(|| DASH.to_string(), |c| c.display.clone()));
            let rank = |r: Option<String>| {
                if is_total {
                    String::new()
                } else {
                    r.unwrap_or_else(|| DASH.to_string())
                }
            };
            f.push(rank(cell.and_then(|c| c.rank).map(|r| r.to_string())));
            if compare {
                f.push(change_number(ind, cell.and_then(|c| c.change)));
                f.push(rank(cell.and_then(|c| c.rank_move.clone())));
            }
        }
        f
    };
    for row in &report.rows {
        csv_line(&mut out, &line(row, false));
    }
    csv_line(&mut out, &line(&report.total, true));
    out
}

#[cfg(test)]
mod tests;
