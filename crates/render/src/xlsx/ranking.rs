//! The sheet `通报表` (and the flat table of `compute --format xlsx`).

use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError};

use super::WorkbookOptions;
use super::style::{self, DATE_HEIGHT, ROW_HEIGHT, TITLE_HEIGHT};
use super::table::{self, Group, Heads};
use gonggu_core::catalog::Indicator;
use gonggu_core::compute::{Report, Row};
use gonggu_core::text::date_zh;

/// `截至2021年11月30日`.
pub(super) fn as_of_line(report: &Report) -> String {
    format!("截至{}", date_zh(report.as_of))
}

/// Writes a merged line across columns `0..=last` (or a single cell).
pub(super) fn merged_line(
    ws: &mut Worksheet,
    row: RowNum,
    last: ColNum,
    text: &str,
    format: &rust_xlsxwriter::Format,
) -> Result<(), XlsxError> {
    if last == 0 {
        ws.write_string_with_format(row, 0, text, format)?;
    } else {
        ws.merge_range(row, 0, row, last, text, format)?;
    }
    Ok(())
}

/// Footnote lines under a table, each merged across the table and tall enough for its
/// wrapped text. Returns the next free row.
pub(super) fn footnotes(
    ws: &mut Worksheet,
    mut row: RowNum,
    last: ColNum,
    width_units: f64,
    lines: &[String],
) -> Result<RowNum, XlsxError> {
    let f = style::note();
    for (i, text) in lines.iter().enumerate() {
        let text = if lines.len() == 1 {
            format!("注：{text}")
        } else if i == 0 {
            format!("注：{}. {text}", i + 1)
        } else {
            format!("　　{}. {text}", i + 1)
        };
        let n = style::lines_in(&text, width_units * 1.1) as f64;
        ws.set_row_height(row, (n * 13.0 + 5.0).max(16.0))?;
        merged_line(ws, row, last, &text, &f)?;
        row += 1;
    }
    Ok(row)
}

/// The footnotes of the notice: reading aids, the legend of the highlights, targets,
/// changes, data source and the report's and the caller's notes.
fn notice_notes(report: &Report, opts: &WorkbookOptions) -> Vec<String> {
    let mut out = vec![format!(
        "排名按四舍五入后的显示值确定，数值相同者名次并列；{}一行按各项分子合计 ÷ 分母合计重新计算，不是各{}数值的平均数，不参与排名。",
        report.total.region,
        report.level.unit_word()
    )];
    let targets = super::targets::target_descriptions(report);
    if !targets.is_empty() {
        out.push(format!(
            "目标：{}。浅红色底纹为未达到目标，浅黄色底纹为已达标但接近目标线。",
            targets.join("；")
        ));
    }
    if let Some(prev) = report.previous_as_of {
        out.push(format!(
            "“较上期”为与{}数据相比的变化，百分比指标以个百分点计；名次变化中“↑”为名次上升（进位），“↓”为名次下降（退位）。",
            date_zh(prev)
        ));
    }
    if let Some(start) = &report.year_start {
        out.push(format!(
            "“较年初”为与{start}（上年最后记录的月份）数据相比的变化，百分比指标以个百分点计。"
        ));
    }
    let source = opts.source_note.trim();
    if !source.is_empty() {
        if source.starts_with("数据来源") {
            out.push(source.to_string());
        } else {
            out.push(format!("数据来源：{source}"));
        }
    }
    out.extend(report.notes.iter().cloned());
    out.extend(opts.notes.iter().filter(|n| !n.trim().is_empty()).cloned());
    out
}

/// The title: the caller's, else `{地区}巩固拓展脱贫攻坚成果主要指标通报表`.
pub(super) fn title_of(report: &Report, opts: &WorkbookOptions) -> String {
    if opts.title.trim().is_empty() {
        format!("{}巩固拓展脱贫攻坚成果主要指标通报表", report.parent)
    } else {
        opts.title.trim().to_string()
    }
}

/// Body rows: the regions in official order, then the total.
fn body(report: &Report) -> Vec<(&Row, bool)> {
    report
        .rows
        .iter()
        .map(|r| (r, false))
        .chain(std::iter::once((&report.total, true)))
        .collect()
}

/// Writes the sheet `通报表`.
///
/// Layout: merged title, date line, then each block of indicators with its own two header
/// rows (region column repeated), all regions and the total; blocks are separated by a
/// blank row and a page break. With one block the header rows are the print titles
/// (repeated on every page); with several, each page of a block starts with that block's
/// header rows written out, since print titles would repeat the first block's header.
pub(super) fn write_notice(
    ws: &mut Worksheet,
    report: &Report,
    opts: &WorkbookOptions,
) -> Result<(), XlsxError> {
    let compare = table::Compare::of(report);
    let inds: Vec<&Indicator> = report.indicators.iter().collect();
    let blocks: Vec<Vec<Group<'_>>> = if inds.is_empty() {
        vec![Vec::new()]
    } else {
        inds.chunks(opts.block_size.max(1))
            .map(|c| table::groups(c, compare, table::lead(report)))
            .collect()
    };
    let widths = table::widths(report, &blocks, Heads::Grouped, table::lead(report));
    let heights = table::head_heights(&blocks, &widths, Heads::Grouped);
    let last = (widths.len().max(1) - 1) as ColNum;
    let total_units: f64 = widths.iter().sum();

    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as ColNum, *w)?;
    }
    ws.set_row_height(0, TITLE_HEIGHT)?;
    merged_line(ws, 0, last, &title_of(report, opts), &style::title())?;
    ws.set_row_height(1, DATE_HEIGHT)?;
    merged_line(ws, 1, last, &as_of_line(report), &style::date_line())?;

    let head_h: f64 = heights.iter().sum();
    let usable = table::page_height(total_units, true);
    let per_page = ((usable - TITLE_HEIGHT - DATE_HEIGHT - head_h) / ROW_HEIGHT).floor();
    let per_page = per_page.clamp(5.0, 40.0) as usize;
    let multi = blocks.len() > 1;
    let rows = body(report);

    let mut breaks: Vec<RowNum> = Vec::new();
    let mut r: RowNum = 2;
    for (bi, block) in blocks.iter().enumerate() {
        if bi > 0 {
            r += 1; // blank row between blocks
            breaks.push(r);
        }
        for (pi, page) in table::pages(rows.len(), per_page).into_iter().enumerate() {
            if pi > 0 {
                breaks.push(r);
            }
            if pi == 0 || multi {
                r += table::write_head(ws, r, report, block, Heads::Grouped, &widths, &heights)?;
            }
            for (data, total) in rows.get(page).unwrap_or_default() {
                table::write_row(ws, r, data, block, *total)?;
                r += 1;
            }
        }
    }
    footnotes(ws, r + 1, last, total_units, &notice_notes(report, opts))?;

    table::page_setup(ws, true);
    ws.set_page_breaks(&breaks[..breaks.len().min(1023)])?;
    let lead = table::lead(report);
    if multi {
        ws.set_freeze_panes(0, lead)?;
    } else {
        ws.set_repeat_rows(2, 3)?;
        ws.set_freeze_panes(4, lead)?;
    }
    Ok(())
}

/// Writes the flat table of `compute --format xlsx`: one header row (`地区`-word, name,
/// `name排名`, …), one row per region and the total; frozen header and autofilter.
pub(super) fn write_plain(ws: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    let compare = table::Compare::of(report);
    let inds: Vec<&Indicator> = report.indicators.iter().collect();
    let blocks = vec![table::groups(&inds, compare, 1)];
    let widths = table::widths(report, &blocks, Heads::Flat, 1);
    let heights = table::head_heights(&blocks, &widths, Heads::Flat);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as ColNum, *w)?;
    }
    let block = blocks.first().map(Vec::as_slice).unwrap_or_default();
    let mut r = table::write_head(ws, 0, report, block, Heads::Flat, &widths, &heights)?;
    for (data, total) in body(report) {
        table::write_row(ws, r, data, block, total)?;
        r += 1;
    }
    // The filter covers the regions, not the total, so sorting keeps the total last.
    let last = (widths.len().max(1) - 1) as ColNum;
    ws.autofilter(0, 0, r.saturating_sub(2), last)?;
    ws.set_freeze_panes(1, 1)?;
    table::page_setup(ws, true);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}
