//! Formats, number formats and width estimates shared by every sheet.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, FormatPattern};

use gonggu_core::catalog::Indicator;
use gonggu_core::compute::Warning;

/// Body font of every table (Chinese Excel's default).
pub(super) const BODY_FONT: &str = "宋体";
/// Title font of official documents; Excel and LibreOffice substitute where it is missing.
pub(super) const TITLE_FONT: &str = "方正小标宋简体";
/// GB2312 charset, so Excel picks a Chinese font for the name.
const CHARSET_GB2312: u8 = 134;
/// Light red fill (Excel's "浅红色填充"): target not met.
const RED_FILL: u32 = 0xFFC7CE;
/// Light yellow fill: met, but close to the line.
const YELLOW_FILL: u32 = 0xFFEB9C;

/// Row heights in points.
pub(crate) const TITLE_HEIGHT: f64 = 32.0;
/// The date line under the title.
pub(super) const DATE_HEIGHT: f64 = 20.0;
/// A table body row.
pub(crate) const ROW_HEIGHT: f64 = 20.0;
/// One text line inside a wrapped header cell.
pub(crate) const LINE_HEIGHT: f64 = 14.5;

/// The workbook's default format: 宋体 11, as Chinese Excel starts.
pub(crate) fn default_format() -> Format {
    Format::new()
        .set_font_name(BODY_FONT)
        .set_font_charset(CHARSET_GB2312)
        .set_font_size(11)
}

fn body() -> Format {
    default_format()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

/// Merged title: 方正小标宋简体 18 pt bold, centred.
pub(crate) fn title() -> Format {
    Format::new()
        .set_font_name(TITLE_FONT)
        .set_font_charset(CHARSET_GB2312)
        .set_font_size(18)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// The date line: right-aligned, no border.
pub(super) fn date_line() -> Format {
    default_format()
        .set_align(FormatAlign::Right)
        .set_align(FormatAlign::VerticalCenter)
}

/// A header cell: bold, centred, wrapped, bordered.
pub(crate) fn head() -> Format {
    body()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_text_wrap()
}

/// A heading line above a table (a block title in 达标情况): bold, left, no border.
pub(crate) fn caption() -> Format {
    default_format()
        .set_bold()
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter)
}

/// A text cell (region, labels), centred; bold in the total row.
pub(crate) fn text(bold: bool) -> Format {
    let f = body().set_align(FormatAlign::Center);
    if bold { f.set_bold() } else { f }
}

/// A left-aligned, wrapped text cell (definitions, formulas).
pub(crate) fn text_left() -> Format {
    body().set_align(FormatAlign::Left).set_text_wrap()
}

/// A number cell with a number format, optionally bold and highlighted.
pub(super) fn number(num_format: &str, bold: bool, warning: Option<Warning>) -> Format {
    let f = body()
        .set_align(FormatAlign::Center)
        .set_num_format(num_format);
    let f = if bold { f.set_bold() } else { f };
    with_warning(f, warning)
}

/// Adds the warning fill (红 = light red, 黄 = light yellow).
pub(super) fn with_warning(f: Format, warning: Option<Warning>) -> Format {
    match warning {
        Some(Warning::Red) => f
            .set_pattern(FormatPattern::Solid)
            .set_background_color(Color::RGB(RED_FILL)),
        Some(Warning::Yellow) => f
            .set_pattern(FormatPattern::Solid)
            .set_background_color(Color::RGB(YELLOW_FILL)),
        None => f,
    }
}

/// A footnote line: 10 pt, left, wrapped, no border.
pub(crate) fn note() -> Format {
    default_format()
        .set_font_size(10)
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

fn zeros(n: u32) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(".{}", "0".repeat(n as usize))
    }
}

/// The Excel number format of an indicator's values: `0.00%` for a ratio with 2 decimals,
/// `0` for a count, `0.00` for 万元 with 2 decimals. What Excel shows equals the display text.
pub(crate) fn value_format(ind: &Indicator) -> String {
    if ind.kind.is_percent() {
        format!("0{}%", zeros(ind.decimals))
    } else {
        format!("0{}", zeros(ind.decimals))
    }
}

/// The number format of a change (`+1.25`, `-3`, `0.00`), in the indicator's unit
/// (percentage points for percentages).
pub(super) fn change_format(ind: &Indicator) -> String {
    let z = zeros(ind.decimals);
    format!("+0{z};-0{z};0{z}")
}

/// The number format of a raw measure value (numerator or denominator): integers as `0`,
/// money with its decimals (at most 4).
pub(super) fn measure_format(v: Decimal) -> String {
    let scale = v.normalize().scale().min(4);
    format!("0{}", zeros(scale))
}

/// A decimal as the nearest `f64` (via its text, which is correctly rounded).
pub(crate) fn to_f64(d: Decimal) -> f64 {
    d.normalize().to_string().parse::<f64>().unwrap_or(0.0)
}

/// Width of a text in Excel column units: CJK and other wide characters count 2, the rest 1.
pub(crate) fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if is_wide(c) { 2.0 } else { 1.0 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x2014 | 0x2190..=0x2193
        | 0x20000..=0x3FFFD)
}

/// Column width in points for a width in Excel units (宋体 11: 8 px per unit + 5 px padding).
pub(super) fn width_points(units: f64) -> f64 {
    (units * 8.0 + 5.0) * 0.75
}

/// Lines a text needs in a wrapped cell of `units` width.
pub(crate) fn lines_in(text: &str, units: f64) -> usize {
    let usable = (units - 1.0).max(2.0);
    text.split('\n')
        .map(|part| (text_width(part) / usable).ceil().max(1.0) as usize)
        .sum()
}

#[cfg(test)]
mod tests;
