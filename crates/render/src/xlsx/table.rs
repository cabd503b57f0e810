//! The ranking table (通报表) in the form of the 商丘 notice: region column, then per
//! indicator its value and rank (and, with a previous period, the change and rank move);
//! indicators in blocks of `block_size`, long region lists split into pages.

use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError};

use super::style::{self, ROW_HEIGHT};
use gonggu_core::catalog::{Direction, Indicator};
use gonggu_core::compute::{Cell, DASH, Report, Row};
use gonggu_core::region::Level;

/// One column of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// The rounded value.
    Value,
    /// Its competition rank.
    Rank,
    /// Change against the previous period.
    Change,
    /// Rank movement (`↑2`, `↓1`, `持平`).
    Move,
    /// Change since the start of the year (较年初).
    YearChange,
}

/// Header style of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Heads {
    /// Two header rows: indicator names merged over their columns, then `数值 | 排名 …`.
    Grouped,
    /// One header row with full names (`总贷款余额户贷率排名`), like the CSV output.
    Flat,
}

/// The columns of one indicator.
#[derive(Debug, Clone)]
pub(super) struct Group<'r> {
    pub ind: &'r Indicator,
    pub parts: Vec<Part>,
    /// First column (the region column, and in a city's town ranking the county column
    /// before it, come first: see [`lead`]).
    pub first: ColNum,
}

/// The columns shown for an indicator: a rank only when it is ranked, a change and a rank
/// move only when the report compares with a previous period, a 较年初 change when it has
/// the start of the year.
pub(super) fn parts(ind: &Indicator, compare: Compare) -> Vec<Part> {
    let ranked = ind.direction != Direction::NotRanked;
    let mut out = vec![Part::Value];
    if ranked {
        out.push(Part::Rank);
    }
    if compare.previous {
        out.push(Part::Change);
    }
    if compare.year_start {
        out.push(Part::YearChange);
    }
    if compare.previous && ranked {
        out.push(Part::Move);
    }
    out
}

/// What a report compares with: the previous period, the start of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Compare {
    pub previous: bool,
    pub year_start: bool,
}

impl Compare {
    pub(super) fn of(report: &Report) -> Compare {
        Compare {
            previous: report.previous_as_of.is_some(),
            year_start: report.year_start.is_some(),
        }
    }
}

/// The columns before the indicators: the unit's name, and in a city's ranking of towns
/// the county of each town before it (2 then, else 1).
pub(super) fn lead(report: &Report) -> ColNum {
    if report.unit_counties().is_some() {
        2
    } else {
        1
    }
}

/// Lays out a block of indicators from column `first` on.
pub(super) fn groups<'r>(
    inds: &[&'r Indicator],
    compare: Compare,
    first: ColNum,
) -> Vec<Group<'r>> {
    let mut col: ColNum = first;
    inds.iter()
        .map(|ind| {
            let parts = parts(ind, compare);
            let g = Group {
                ind,
                first: col,
                parts,
            };
            col = col.saturating_add(g.parts.len() as ColNum);
            g
        })
        .collect()
}

fn change_unit(ind: &Indicator) -> &str {
    if ind.kind.is_percent() {
        "个百分点"
    } else {
        ind.unit.as_str()
    }
}

/// The header text of a column.
pub(super) fn label(ind: &Indicator, part: Part, heads: Heads) -> String {
    match (heads, part) {
        (Heads::Grouped, Part::Value) => "数值".to_string(),
        (Heads::Grouped, Part::Rank) => "排名".to_string(),
        (Heads::Grouped, Part::Change) => match change_unit(ind) {
            "" => "较上期".to_string(),
            unit => format!("较上期\n（{unit}）"),
        },
        (Heads::Grouped, Part::Move) => "名次变化".to_string(),
        (Heads::Grouped, Part::YearChange) => match change_unit(ind) {
            "" => "较年初".to_string(),
            unit => format!("较年初\n（{unit}）"),
        },
        (Heads::Flat, Part::Value) => ind.name.clone(),
        (Heads::Flat, Part::Rank) => format!("{}排名", ind.name),
        (Heads::Flat, Part::Change) => match change_unit(ind) {
            "" => format!("{}较上期", ind.name),
            unit => format!("{}较上期（{unit}）", ind.name),
        },
        (Heads::Flat, Part::Move) => format!("{}名次变化", ind.name),
        (Heads::Flat, Part::YearChange) => match change_unit(ind) {
            "" => format!("{}较年初", ind.name),
            unit => format!("{}较年初（{unit}）", ind.name),
        },
    }
}

/// What a cell shows as text (for width estimates).
fn shown(ind: &Indicator, part: Part, cell: Option<&Cell>) -> String {
    let Some(c) = cell else {
        return DASH.to_string();
    };
    match part {
        Part::Value => c.display.clone(),
        Part::Rank => c.rank.map_or_else(|| DASH.to_string(), |r| r.to_string()),
        Part::Change => c.change.map_or_else(
            || DASH.to_string(),
            |v| format!("+{}", v.round_dp(ind.decimals)),
        ),
        Part::YearChange => c.change_year.map_or_else(
            || DASH.to_string(),
            |v| format!("+{}", v.round_dp(ind.decimals)),
        ),
        Part::Move => c.rank_move.clone().unwrap_or_else(|| DASH.to_string()),
    }
}

/// Widest line of a text, in column units.
fn widest_line(text: &str) -> f64 {
    text.split('\n').map(style::text_width).fold(0.0, f64::max)
}

/// Column widths (index = column) for the given blocks: each column fits its values and its
/// header; an indicator's columns together fit its name in at most two lines (grouped heads).
pub(super) fn widths(
    report: &Report,
    blocks: &[Vec<Group<'_>>],
    heads: Heads,
    lead: ColNum,
) -> Vec<f64> {
    let all_rows = || report.rows.iter().chain(std::iter::once(&report.total));
    let region = all_rows()
        .map(|r| style::text_width(&r.region))
        .chain([style::text_width(report.level.unit_word())])
        .fold(6.0, f64::max)
        + 3.0;
    let mut out = vec![region];
    if lead > 1 {
        let county = report
            .rows
            .iter()
            .map(|r| style::text_width(county_of(r)))
            .chain([style::text_width(Level::County.unit_word())])
            .fold(6.0, f64::max)
            + 3.0;
        out.insert(0, county);
    }
    for block in blocks {
        for g in block {
            let mut ws: Vec<f64> = g
                .parts
                .iter()
                .map(|&p| {
                    let values = all_rows()
                        .map(|r| style::text_width(&shown(g.ind, p, r.cell(&g.ind.id))))
                        .fold(0.0, f64::max);
                    let head = match heads {
                        Heads::Grouped => widest_line(&label(g.ind, p, heads)),
                        // A flat header wraps to at most three lines.
                        Heads::Flat => (style::text_width(&label(g.ind, p, heads)) / 3.0).ceil(),
                    };
                    values.max(head).max(4.0) + 3.0
                })
                .collect();
            if heads == Heads::Grouped {
                let need = (style::text_width(&g.ind.name) / 2.0).ceil() + 2.0;
                let have: f64 = ws.iter().sum();
                if let Some(first) = ws.first_mut()
                    && have < need
                {
                    *first += need - have;
                }
            }
            for (i, w) in ws.into_iter().enumerate() {
                let col = usize::from(g.first) + i;
                if out.len() <= col {
                    out.resize(col + 1, 0.0);
                }
                if let Some(slot) = out.get_mut(col) {
                    *slot = slot.max(w);
                }
            }
        }
    }
    out
}

/// Width of an indicator's columns together.
fn group_width(g: &Group<'_>, widths: &[f64]) -> f64 {
    (0..g.parts.len())
        .map(|i| widths.get(usize::from(g.first) + i).copied().unwrap_or(8.0))
        .sum()
}

/// An indicator's name as its merged header shows it: a name too long for one line is
/// broken before its bracketed unit (`脱贫人口人均纯收入\n（元）`), so the bracket never
/// wraps alone.
fn head_name(g: &Group<'_>, widths: &[f64]) -> String {
    let name = g.ind.name.as_str();
    if style::text_width(name) <= group_width(g, widths) - 1.0 {
        return name.to_string();
    }
    match name
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '（' | '('))
    {
        Some((at, _)) if at > 0 => format!("{}\n{}", &name[..at], &name[at..]),
        _ => name.to_string(),
    }
}

/// Heights of the header rows (grouped: names row, labels row; flat: one row).
pub(super) fn head_heights(blocks: &[Vec<Group<'_>>], widths: &[f64], heads: Heads) -> Vec<f64> {
    let col_w = |c: usize| widths.get(c).copied().unwrap_or(8.0);
    let lines = |text: &str, w: f64| style::lines_in(text, w) as f64;
    let mut name_lines: f64 = 1.0;
    let mut label_lines: f64 = 1.0;
    for g in blocks.iter().flatten() {
        let group_w = group_width(g, widths);
        match heads {
            Heads::Grouped => {
                name_lines = name_lines.max(lines(&head_name(g, widths), group_w));
                for (i, &p) in g.parts.iter().enumerate() {
                    let w = col_w(usize::from(g.first) + i);
                    label_lines = label_lines.max(lines(&label(g.ind, p, heads), w));
                }
            }
            Heads::Flat => {
                for (i, &p) in g.parts.iter().enumerate() {
                    let w = col_w(usize::from(g.first) + i);
                    name_lines = name_lines.max(lines(&label(g.ind, p, heads), w));
                }
            }
        }
    }
    let h = |n: f64| (n * style::LINE_HEIGHT + 8.0).max(ROW_HEIGHT);
    match heads {
        Heads::Grouped => vec![h(name_lines), h(label_lines)],
        Heads::Flat => vec![h(name_lines)],
    }
}

/// Writes the header rows of a block at `row`; returns the number of rows written.
pub(super) fn write_head(
    ws: &mut Worksheet,
    row: RowNum,
    report: &Report,
    block: &[Group<'_>],
    heads: Heads,
    widths: &[f64],
    heights: &[f64],
) -> Result<RowNum, XlsxError> {
    let head = style::head();
    let unit = report.level.unit_word();
    // The unit's column, after the county's in a city's ranking of towns.
    let at: ColNum = if lead(report) > 1 && heads == Heads::Grouped {
        ws.merge_range(row, 0, row + 1, 0, Level::County.unit_word(), &head)?;
        1
    } else {
        0
    };
    for (i, h) in heights.iter().enumerate() {
        ws.set_row_height(row + i as RowNum, *h)?;
    }
    match heads {
        Heads::Flat => {
            ws.write_string_with_format(row, 0, unit, &head)?;
            for g in block {
                for (i, &p) in g.parts.iter().enumerate() {
                    let col = g.first + i as ColNum;
                    ws.write_string_with_format(row, col, label(g.ind, p, heads), &head)?;
                }
            }
            Ok(1)
        }
        Heads::Grouped => {
            ws.merge_range(row, at, row + 1, at, unit, &head)?;
            for g in block {
                let last = g.first + g.parts.len() as ColNum - 1;
                let name = head_name(g, widths);
                if g.parts.len() == 1 {
                    ws.merge_range(row, g.first, row + 1, g.first, &name, &head)?;
                    continue;
                }
                ws.merge_range(row, g.first, row, last, &name, &head)?;
                for (i, &p) in g.parts.iter().enumerate() {
                    let col = g.first + i as ColNum;
                    ws.write_string_with_format(row + 1, col, label(g.ind, p, heads), &head)?;
                }
            }
            Ok(2)
        }
    }
}

/// Writes one cell of an indicator column. Values and ranks are numbers with the
/// indicator's format (the rounded value, so Excel shows what was ranked); a missing value
/// is `—`; the total row has no rank.
pub(super) fn write_part(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    ind: &Indicator,
    part: Part,
    cell: Option<&Cell>,
    total: bool,
) -> Result<(), XlsxError> {
    let dash = |ws: &mut Worksheet| {
        ws.write_string_with_format(row, col, DASH, &style::text(total))
            .map(|_| ())
    };
    match part {
        Part::Value => match cell.and_then(|c| c.value) {
            Some(v) => {
                let warning = cell.and_then(|c| c.warning);
                let f = style::number(&style::value_format(ind), total, warning);
                ws.write_number_with_format(row, col, style::to_f64(v), &f)?;
            }
            None => {
                dash(ws)?;
            }
        },
        Part::Rank | Part::Move if total => {
            ws.write_blank(row, col, &style::text(true))?;
        }
        Part::Rank => match cell.and_then(|c| c.rank) {
            Some(r) => {
                ws.write_number_with_format(row, col, r, &style::number("0", false, None))?;
            }
            None => {
                dash(ws)?;
            }
        },
        Part::Change | Part::YearChange => match cell.and_then(|c| {
            if part == Part::Change {
                c.change
            } else {
                c.change_year
            }
        }) {
            Some(v) => {
                let f = style::number(&style::change_format(ind), total, None);
                ws.write_number_with_format(row, col, style::to_f64(v), &f)?;
            }
            None => {
                dash(ws)?;
            }
        },
        Part::Move => match cell.and_then(|c| c.rank_move.as_deref()) {
            Some(m) => {
                ws.write_string_with_format(row, col, m, &style::text(false))?;
            }
            None => {
                dash(ws)?;
            }
        },
    }
    Ok(())
}

/// Writes one region (or the total) across a block.
pub(super) fn write_row(
    ws: &mut Worksheet,
    row: RowNum,
    data: &Row,
    block: &[Group<'_>],
    total: bool,
) -> Result<(), XlsxError> {
    ws.set_row_height(row, ROW_HEIGHT)?;
    let at = match block.first() {
        Some(g) if g.first > 1 => {
            let county = if total { "" } else { county_of(data) };
            ws.write_string_with_format(row, 0, county, &style::text(total))?;
            1
        }
        _ => 0,
    };
    ws.write_string_with_format(row, at, &data.region, &style::text(total))?;
    for g in block {
        let cell = data.cell(&g.ind.id);
        for (i, &p) in g.parts.iter().enumerate() {
            write_part(ws, row, g.first + i as ColNum, g.ind, p, cell, total)?;
        }
    }
    Ok(())
}

/// The county in a row's key (`夏邑县/城关镇` → `夏邑县`).
fn county_of(row: &Row) -> &str {
    row.key.split('/').next().unwrap_or("")
}

/// Printable area of A4 landscape with the margins of [`page_setup`], in points.
const A4_LANDSCAPE: (f64, f64) = (841.89 - 72.0, 595.28 - 86.4);
/// Printable area of A4 portrait.
const A4_PORTRAIT: (f64, f64) = (595.28 - 72.0, 841.89 - 86.4);

/// Print setup shared by every sheet: A4, one page wide, centred, margins 0.5"/0.6",
/// page number `— 1 —` in the footer.
pub(super) fn page_setup(ws: &mut Worksheet, landscape: bool) {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C— &P —");
}

/// Usable page height in unscaled points for a table `width_units` wide: fitting one page
/// wide scales the page down, which makes room for more rows. A 5% reserve absorbs font
/// metrics that differ from the estimate.
pub(super) fn page_height(width_units: f64, landscape: bool) -> f64 {
    let (pw, ph) = if landscape { A4_LANDSCAPE } else { A4_PORTRAIT };
    let width_pt: f64 = style::width_points(width_units);
    let scale = if width_pt > pw {
        ((pw / width_pt) * 100.0).floor() / 100.0
    } else {
        1.0
    };
    ph / scale.max(0.1) * 0.95
}

/// Splits `n` body rows (regions and the total) into pages of at most `per_page`, never
/// leaving the total alone on the last page.
pub(super) fn pages(n: usize, per_page: usize) -> Vec<std::ops::Range<usize>> {
    let per_page = per_page.max(2);
    let mut out = Vec::new();
    let mut start = 0;
    while start < n {
        let end = (start + per_page).min(n);
        out.push(start..end);
        start = end;
    }
    let k = out.len();
    if k > 1 && out.last().is_some_and(|r| r.len() == 1) {
        if let Some(prev) = out.get_mut(k - 2) {
            prev.end -= 1;
        }
        if let Some(last) = out.get_mut(k - 1) {
            last.start -= 1;
        }
    }
    out
}

#[cfg(test)]
mod tests;
