//! The other sheets: `计算明细`, `指标说明`, `图表`, and the evaluation sheets `达标情况`,
//! `汇总`, `数据质量`.

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartDataLabelPosition, ChartFont, ChartType, ColNum, RowNum, Worksheet,
    XlsxError,
};

use super::ranking::{as_of_line, footnotes, merged_line};
use super::style::{self, DATE_HEIGHT, ROW_HEIGHT, TITLE_HEIGHT};
use super::table::{self, Part};
use super::targets::{describe_target, params};
use crate::quality::QualityOverview;
use gonggu_core::catalog::{Direction, Indicator};
use gonggu_core::compute::{Cell, DASH, Report, Row, TargetStatus};
use gonggu_core::measures;
use gonggu_core::text::date_zh;

/// Regions in official order, then the total (flagged).
fn all_rows(report: &Report) -> impl Iterator<Item = (&Row, bool)> {
    report
        .rows
        .iter()
        .map(|r| (r, false))
        .chain(std::iter::once((&report.total, true)))
}

/// Chinese name of a measure (its id when unknown).
fn measure_name(id: &str) -> String {
    measures::by_id(id).map_or_else(|| id.to_string(), |m| m.name.to_string())
}

/// `名称：定义` of a measure, for `指标说明`.
fn measure_definition(id: &str) -> String {
    match measures::by_id(id) {
        Some(m) => format!("{}：{}", m.name, m.definition),
        None => id.to_string(),
    }
}

/// `达标` / `未达标` / `无数据` (target set, no value) / `—` (no target).
fn status(cell: Option<&Cell>) -> &'static str {
    cell.map_or(TargetStatus::NoTarget, Cell::target_status)
        .label()
}

/// A number (with a format) or `—`.
fn number_or_dash(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    v: Option<Decimal>,
    num_format: &str,
) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number_with_format(
            row,
            col,
            style::to_f64(v),
            &style::number(num_format, false, None),
        )?,
        None => ws.write_string_with_format(row, col, DASH, &style::text(false))?,
    };
    Ok(())
}

/// A one-row header with widths; returns the next row.
fn header_row(ws: &mut Worksheet, row: RowNum, heads: &[(&str, f64)]) -> Result<RowNum, XlsxError> {
    let f = style::head();
    let mut lines = 1;
    for (c, (text, width)) in heads.iter().enumerate() {
        ws.set_column_width(c as ColNum, *width)?;
        ws.write_string_with_format(row, c as ColNum, *text, &f)?;
        lines = lines.max(style::lines_in(text, *width));
    }
    ws.set_row_height(
        row,
        (lines as f64 * style::LINE_HEIGHT + 8.0).max(ROW_HEIGHT),
    )?;
    Ok(row + 1)
}

/// Sheet `计算明细`: one row per region × indicator (regions in order, then the total) with
/// numerator and denominator by name and value, the value, its display text, rank, target,
/// 达标 status and warning, so every published figure can be checked (有据可依). With a
/// previous period also the change, the previous rank and the rank move.
pub(super) fn write_details(ws: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    let compare = report.previous_as_of.is_some();
    let region_w = all_rows(report)
        .map(|(r, _)| style::text_width(&r.region))
        .fold(6.0, f64::max)
        + 3.0;
    let name_w = report
        .indicators
        .iter()
        .map(|i| style::text_width(&i.name))
        .fold(8.0, f64::max)
        .min(40.0)
        + 2.0;
    let measure_w = report
        .indicators
        .iter()
        .flat_map(|i| i.measures())
        .map(|m| style::text_width(&measure_name(m)))
        .fold(8.0, f64::max)
        .min(36.0)
        + 2.0;
    let mut heads: Vec<(&str, f64)> = vec![
        ("地区", region_w),
        ("指标", name_w),
        ("分子", measure_w),
        ("分子值", 12.0),
        ("分母", measure_w),
        ("分母值", 12.0),
        ("值", 11.0),
        ("显示值", 11.0),
        ("排名", 7.0),
        ("目标", 10.0),
        ("是否达标", 10.0),
        ("预警", 7.0),
    ];
    if compare {
        heads.extend([("较上期", 10.0), ("上期排名", 10.0), ("名次变化", 10.0)]);
    }
    let mut r = header_row(ws, 0, &heads)?;
    let text = style::text(false);
    let left = style::text_left();
    for (row, total) in all_rows(report) {
        for ind in &report.indicators {
            let cell = row.cell(&ind.id);
            let vf = style::value_format(ind);
            ws.set_row_height(r, ROW_HEIGHT)?;
            ws.write_string_with_format(r, 0, &row.region, &style::text(total))?;
            ws.write_string_with_format(r, 1, &ind.name, &left)?;
            ws.write_string_with_format(r, 2, measure_name(&ind.numerator), &left)?;
            let num = cell.and_then(|c| c.numerator);
            number_or_dash(
                ws,
                r,
                3,
                num,
                &num.map(style::measure_format).unwrap_or_default(),
            )?;
            match &ind.denominator {
                Some(d) => {
                    ws.write_string_with_format(r, 4, measure_name(d), &left)?;
                    let den = cell.and_then(|c| c.denominator);
                    let f = den.map(style::measure_format).unwrap_or_default();
                    number_or_dash(ws, r, 5, den, &f)?;
                }
                None => {
                    ws.write_string_with_format(r, 4, DASH, &text)?;
                    ws.write_string_with_format(r, 5, DASH, &text)?;
                }
            }
            table::write_part(ws, r, 6, ind, Part::Value, cell, false)?;
            let display = cell.map_or(DASH, |c| c.display.as_str());
            ws.write_string_with_format(r, 7, display, &text)?;
            if total || ind.direction == Direction::NotRanked {
                ws.write_string_with_format(r, 8, DASH, &text)?;
            } else {
                table::write_part(ws, r, 8, ind, Part::Rank, cell, false)?;
            }
            number_or_dash(ws, r, 9, cell.and_then(|c| c.target), &vf)?;
            ws.write_string_with_format(r, 10, status(cell), &text)?;
            let warning = cell.and_then(|c| c.warning);
            let label = warning.map_or("", |w| w.label());
            ws.write_string_with_format(r, 11, label, &style::with_warning(text.clone(), warning))?;
            if compare {
                table::write_part(ws, r, 12, ind, Part::Change, cell, false)?;
                let prev = cell.and_then(|c| c.previous_rank).map(Decimal::from);
                number_or_dash(ws, r, 13, prev, "0")?;
                if total {
                    ws.write_string_with_format(r, 14, DASH, &text)?;
                } else {
                    table::write_part(ws, r, 14, ind, Part::Move, cell, false)?;
                }
            }
            r += 1;
        }
    }
    let last = (heads.len() - 1) as ColNum;
    ws.autofilter(0, 0, r.saturating_sub(1), last)?;
    let width = heads.iter().map(|(_, w)| w).sum();
    explain_note(ws, report, r + 1, last, width)?;
    ws.set_freeze_panes(1, 2)?;
    table::page_setup(ws, true);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// The line under `计算明细` saying how to list the records behind each figure
/// (`gonggu explain`), with the first region and indicator as the example.
fn explain_note(
    ws: &mut Worksheet,
    report: &Report,
    r: RowNum,
    last: ColNum,
    width: f64,
) -> Result<(), XlsxError> {
    let level = report.level.id();
    let example = match (report.rows.first(), report.indicators.first()) {
        (Some(row), Some(ind)) => format!(
            "，例如 gonggu explain 输入文件… --level {level} --indicator {} --region {}",
            ind.id, row.region
        ),
        _ => String::new(),
    };
    let text = format!(
        "查看名单：每个分子、分母由哪些户、人、项目或贷款构成，可运行 gonggu explain 输入文件… --level {level} --indicator 指标编号或名称 --region 地区{example}（加 --out 名单.xlsx 写出全部名单，未计入的户说明原因）。名单需用明细表（人员表、项目台账、小额信贷台账），汇总表只有数字。"
    );
    ws.merge_range(r, 0, r, last, &text, &style::note())?;
    ws.set_row_height(
        r,
        style::lines_in(&text, width) as f64 * style::LINE_HEIGHT + 6.0,
    )?;
    Ok(())
}

/// Sheet `指标说明`: per indicator its id, name, kind, formula in words, numerator and
/// denominator with their definitions, unit, decimals, ranking direction, target (rule and
/// the threshold that applies on the as-of date), data source and the as-of date.
pub(super) fn write_definitions(ws: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    let heads: [(&str, f64); 13] = [
        ("编号", 18.0),
        ("指标名称", 16.0),
        ("类型", 5.0),
        ("计算公式", 22.0),
        ("分子", 24.0),
        ("分母", 24.0),
        ("单位", 5.0),
        ("小数位", 5.0),
        ("排名方向", 9.0),
        ("目标", 18.0),
        ("本期目标值", 9.0),
        ("数据来源", 16.0),
        ("统计截止日期", 14.0),
    ];
    let mut r = header_row(ws, 0, &heads)?;
    let params = params(report);
    let left = style::text_left();
    let text = style::text(false);
    let as_of = date_zh(report.as_of);
    for ind in &report.indicators {
        let formula = if ind.formula.trim().is_empty() {
            match &ind.denominator {
                Some(d) => format!("{} ÷ {}", measure_name(&ind.numerator), measure_name(d)),
                None => measure_name(&ind.numerator),
            }
        } else {
            ind.formula.clone()
        };
        let cells: [String; 10] = [
            ind.id.clone(),
            ind.name.clone(),
            ind.kind.label().to_string(),
            formula,
            measure_definition(&ind.numerator),
            ind.denominator
                .as_deref()
                .map_or_else(|| DASH.to_string(), measure_definition),
            if ind.unit.is_empty() {
                DASH.to_string()
            } else {
                ind.unit.clone()
            },
            ind.decimals.to_string(),
            ind.direction.label().to_string(),
            describe_target(ind, &params).unwrap_or_else(|| "未设目标".to_string()),
        ];
        let mut lines = 1;
        for (c, value) in cells.iter().enumerate() {
            let width = heads.get(c).map_or(10.0, |h| h.1);
            lines = lines.max(style::lines_in(value, width));
            let f = if matches!(c, 2 | 6 | 7 | 8) {
                &text
            } else {
                &left
            };
            ws.write_string_with_format(r, c as ColNum, value, f)?;
        }
        let threshold = report.total.cell(&ind.id).and_then(|c| c.target);
        number_or_dash(ws, r, 10, threshold, &style::value_format(ind))?;
        let source = if ind.source.trim().is_empty() {
            DASH
        } else {
            ind.source.as_str()
        };
        lines = lines.max(style::lines_in(source, 16.0));
        ws.write_string_with_format(r, 11, source, &left)?;
        ws.write_string_with_format(r, 12, &as_of, &text)?;
        ws.set_row_height(r, (lines as f64 * style::LINE_HEIGHT + 6.0).max(ROW_HEIGHT))?;
        r += 1;
    }
    let mut notes = vec![format!("统计截止日期：{as_of}。")];
    if let Some(prev) = report.previous_as_of {
        notes.push(format!("比较期：{}。", date_zh(prev)));
    }
    notes.push(
        "比例类指标按分子合计 ÷ 分母合计计算，四舍五入到所示小数位；分母为0时不计算（显示“—”）。"
            .to_string(),
    );
    let width: f64 = heads.iter().map(|h| h.1).sum();
    footnotes(ws, r + 1, (heads.len() - 1) as ColNum, width, &notes)?;
    ws.set_freeze_panes(1, 2)?;
    table::page_setup(ws, true);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Charts per row of the 图表 sheet, rows of charts per printed page, and a chart's size.
const CHARTS_PER_ROW: usize = 2;
const CHART_ROWS_PER_PAGE: usize = 2;
const CHART_WIDTH: u32 = 520;
const CHART_HEIGHT: u32 = 300;
/// Sheet rows (20 px each) a row of charts takes, with a gap under it.
const ROWS_PER_CHART: usize = 17;

/// Sheet `图表`: a small data table (regions × ranked indicators), then one native column
/// chart per ranked indicator under it, two to a row, values in the indicator's number
/// format. Printed, the table has the first page and every page after holds whole charts
/// (a page break between their rows); the value axis reaches above the highest bar so
/// that every value label stands clear of the bars and the chart's top.
pub(super) fn write_charts(ws: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    const SHEET: &str = "图表";
    let ranked: Vec<&Indicator> = report
        .indicators
        .iter()
        .filter(|i| i.direction != Direction::NotRanked)
        .collect();
    let mut heads: Vec<(&str, f64)> = vec![(report.level.unit_word(), 12.0)];
    heads.extend(ranked.iter().map(|i| (i.name.as_str(), 14.0)));
    let mut r = header_row(ws, 0, &heads)?;
    for row in &report.rows {
        ws.write_string_with_format(r, 0, &row.region, &style::text(false))?;
        for (i, ind) in ranked.iter().enumerate() {
            let col = (i + 1) as ColNum;
            match row.cell(&ind.id).and_then(|c| c.value) {
                Some(v) => {
                    let f = style::number(&style::value_format(ind), false, None);
                    ws.write_number_with_format(r, col, style::to_f64(v), &f)?;
                }
                None => {
                    ws.write_blank(r, col, &style::text(false))?;
                }
            }
        }
        r += 1;
    }
    if ranked.is_empty() {
        ws.write_string(r + 1, 0, "没有参与排名的指标，未生成图表。")?;
        return Ok(());
    }
    let last_row = r.saturating_sub(1).max(1);
    let first_chart_row = r + 2;
    let mut breaks: Vec<RowNum> = vec![first_chart_row];
    let font = ChartFont::new().set_name(style::BODY_FONT).clone();
    // Value labels a size smaller, so that neighbouring labels do not run into each other.
    let label_font = ChartFont::new()
        .set_name(style::BODY_FONT)
        .set_size(8)
        .clone();
    let title_font = ChartFont::new()
        .set_name(style::BODY_FONT)
        .set_size(12)
        .set_bold()
        .clone();
    for (i, ind) in ranked.iter().enumerate() {
        let col = (i + 1) as ColNum;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name(ind.name.as_str())
            .set_categories((SHEET, 1, 0, last_row, 0))
            .set_values((SHEET, 1, col, last_row, col))
            .set_data_label(
                ChartDataLabel::new()
                    .show_value()
                    .set_position(ChartDataLabelPosition::OutsideEnd)
                    .set_num_format(style::value_format(ind))
                    .set_font(&label_font),
            );
        chart
            .title()
            .set_name(&format!("{}（{}）", ind.name, as_of_line(report)))
            .set_font(&title_font);
        chart.x_axis().set_font(&font);
        chart
            .y_axis()
            .set_num_format(style::value_format(ind))
            .set_min(0)
            .set_font(&font);
        // Room above the highest bar for its label.
        let highest = report
            .rows
            .iter()
            .filter_map(|row| row.cell(&ind.id).and_then(|c| c.value))
            .map(style::to_f64)
            .fold(0.0_f64, f64::max);
        if highest > 0.0 {
            chart.y_axis().set_max(highest * 1.18);
        }
        chart.legend().set_hidden();
        chart.set_width(CHART_WIDTH).set_height(CHART_HEIGHT);
        let chart_row = i / CHARTS_PER_ROW;
        let row = first_chart_row + (chart_row * ROWS_PER_CHART) as RowNum;
        if i.is_multiple_of(CHARTS_PER_ROW)
            && chart_row > 0
            && chart_row.is_multiple_of(CHART_ROWS_PER_PAGE)
        {
            breaks.push(row);
        }
        let x = (i % CHARTS_PER_ROW) as u32 * (CHART_WIDTH + 16);
        ws.insert_chart_with_offset(row, 0, &chart, x, 0)?;
    }
    ws.set_page_breaks(&breaks)?;
    ws.set_freeze_panes(1, 1)?;
    table::page_setup(ws, true);
    Ok(())
}

/// Title and date rows of an evaluation sheet; returns the next row.
fn titled(
    ws: &mut Worksheet,
    report: &Report,
    title: &str,
    last: ColNum,
) -> Result<RowNum, XlsxError> {
    ws.set_row_height(0, TITLE_HEIGHT)?;
    merged_line(ws, 0, last, title, &style::title())?;
    ws.set_row_height(1, DATE_HEIGHT)?;
    merged_line(ws, 1, last, &as_of_line(report), &style::date_line())?;
    Ok(2)
}

fn region_width(report: &Report) -> f64 {
    all_rows(report)
        .map(|(r, _)| style::text_width(&r.region))
        .chain([style::text_width(report.level.unit_word())])
        .fold(6.0, f64::max)
        + 3.0
}

/// Sheet `达标情况`: per indicator a block (caption with the target, then each region's
/// value, rank, target, 达标 status and warning, the total last); a block is kept on one
/// page where it fits.
pub(super) fn write_attainment(
    ws: &mut Worksheet,
    report: &Report,
    title: &str,
) -> Result<(), XlsxError> {
    let heads: [(&str, f64); 6] = [
        (report.level.unit_word(), region_width(report)),
        ("数值", 12.0),
        ("排名", 8.0),
        ("目标值", 12.0),
        ("是否达标", 10.0),
        ("预警", 8.0),
    ];
    let last: ColNum = 5;
    let width: f64 = heads.iter().map(|h| h.1).sum();
    let mut r = titled(ws, report, title, last)?;
    let params = params(report);
    let page = table::page_height(width, false);
    let mut used = TITLE_HEIGHT + DATE_HEIGHT;
    let mut breaks = Vec::new();
    for (n, ind) in report.indicators.iter().enumerate() {
        let block_h = ROW_HEIGHT * (report.rows.len() + 3) as f64 + 24.0;
        if used + block_h > page && n > 0 {
            breaks.push(r);
            used = 0.0;
        }
        used += block_h + ROW_HEIGHT;
        let target = describe_target(ind, &params)
            .map_or_else(|| "未设目标".to_string(), |t| format!("目标{t}"));
        ws.set_row_height(r, 24.0)?;
        merged_line(
            ws,
            r,
            last,
            &format!("{}. {}（{target}）", n + 1, ind.name),
            &style::caption(),
        )?;
        r = header_row(ws, r + 1, &heads)?;
        for (row, total) in all_rows(report) {
            let cell = row.cell(&ind.id);
            let warning = cell.and_then(|c| c.warning);
            ws.set_row_height(r, ROW_HEIGHT)?;
            ws.write_string_with_format(r, 0, &row.region, &style::text(total))?;
            table::write_part(ws, r, 1, ind, Part::Value, cell, total)?;
            if ind.direction == Direction::NotRanked {
                ws.write_string_with_format(r, 2, DASH, &style::text(total))?;
            } else {
                table::write_part(ws, r, 2, ind, Part::Rank, cell, total)?;
            }
            number_or_dash(
                ws,
                r,
                3,
                cell.and_then(|c| c.target),
                &style::value_format(ind),
            )?;
            let st = style::with_warning(style::text(total), warning);
            ws.write_string_with_format(r, 4, status(cell), &st)?;
            ws.write_string_with_format(r, 5, warning.map_or("", |w| w.label()), &st)?;
            r += 1;
        }
        r += 1;
    }
    let notes = vec![
        "目标值为统计截止日适用的目标（按日期分段的目标取当期一段）；“无数据”为设有目标但本期没有数值。".to_string(),
        "预警：红色为未达到目标，黄色为已达标但接近目标线。".to_string(),
    ];
    footnotes(ws, r, last, width, &notes)?;
    ws.set_page_breaks(&breaks[..breaks.len().min(1023)])?;
    table::page_setup(ws, false);
    Ok(())
}

/// Sheet `汇总`: per region the number of indicators with a target, how many are 达标,
/// 未达标 and 无数据, and the names of those not met.
pub(super) fn write_target_overview(ws: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    let heads: [(&str, f64); 6] = [
        (report.level.unit_word(), region_width(report)),
        ("考核指标数", 11.0),
        ("达标", 8.0),
        ("未达标", 8.0),
        ("无数据", 8.0),
        ("未达标指标", 48.0),
    ];
    let last: ColNum = 5;
    let title = format!(
        "{}各{}指标达标情况汇总",
        report.parent,
        report.level.unit_word()
    );
    let r0 = titled(ws, report, &title, last)?;
    let mut r = header_row(ws, r0, &heads)?;
    for (row, total) in all_rows(report) {
        let (mut assessed, mut met, mut missed, mut nodata) = (0u32, 0u32, 0u32, 0u32);
        let mut names = Vec::new();
        for ind in &report.indicators {
            let Some(cell) = row.cell(&ind.id) else {
                continue;
            };
            match cell.target_status() {
                TargetStatus::NoTarget => continue,
                TargetStatus::Met => met += 1,
                TargetStatus::NotMet => {
                    missed += 1;
                    names.push(ind.name.as_str());
                }
                TargetStatus::NoValue => nodata += 1,
            }
            assessed += 1;
        }
        let number = style::number("0", total, None);
        ws.set_row_height(r, ROW_HEIGHT)?;
        ws.write_string_with_format(r, 0, &row.region, &style::text(total))?;
        for (c, v) in [(1, assessed), (2, met), (3, missed), (4, nodata)] {
            let f = if c == 3 && v > 0 {
                style::number("0", total, Some(gonggu_core::compute::Warning::Red))
            } else {
                number.clone()
            };
            ws.write_number_with_format(r, c, v, &f)?;
        }
        let list = if names.is_empty() {
            DASH.to_string()
        } else {
            names.join("、")
        };
        let lines = style::lines_in(&list, 48.0);
        if lines > 1 {
            ws.set_row_height(r, lines as f64 * style::LINE_HEIGHT + 6.0)?;
        }
        ws.write_string_with_format(r, 5, list, &style::text_left())?;
        r += 1;
    }
    let width: f64 = heads.iter().map(|h| h.1).sum();
    let notes = vec![
        "考核指标数为设有目标的指标个数；“无数据”为设有目标但本期没有数值的指标个数。".to_string(),
    ];
    footnotes(ws, r + 1, last, width, &notes)?;
    ws.set_freeze_panes(r0 + 1, 1)?;
    table::page_setup(ws, true);
    ws.set_repeat_rows(r0, r0)?;
    Ok(())
}

/// Sheet `数据质量`: rule code, title, severity and count per rule, a 合计 row, then the
/// rules that were skipped (their columns are absent from the input).
pub(super) fn write_quality(
    ws: &mut Worksheet,
    report: &Report,
    quality: &QualityOverview,
) -> Result<(), XlsxError> {
    let heads: [(&str, f64); 4] = [
        ("规则编号", 12.0),
        ("核查规则", 50.0),
        ("严重程度", 10.0),
        ("问题数", 10.0),
    ];
    let last: ColNum = 3;
    let r0 = titled(ws, report, "数据质量核查情况", last)?;
    let mut r = header_row(ws, r0, &heads)?;
    let text = style::text(false);
    let left = style::text_left();
    let count = style::number("0", false, None);
    for line in &quality.rows {
        let (code, title, severity) = (&line.code, &line.title, &line.severity);
        ws.set_row_height(
            r,
            ROW_HEIGHT.max(style::lines_in(title, 50.0) as f64 * style::LINE_HEIGHT + 6.0),
        )?;
        ws.write_string_with_format(r, 0, code, &text)?;
        ws.write_string_with_format(r, 1, title, &left)?;
        ws.write_string_with_format(r, 2, severity, &text)?;
        ws.write_number_with_format(r, 3, line.count as f64, &count)?;
        r += 1;
    }
    if quality.rows.is_empty() {
        ws.merge_range(r, 0, r, 2, "未发现数据质量问题", &text)?;
        ws.write_number_with_format(r, 3, 0, &count)?;
        r += 1;
    }
    let sum: u64 = quality.rows.iter().map(|x| x.count).sum();
    ws.merge_range(r, 0, r, 2, "合计", &style::text(true))?;
    ws.write_number_with_format(r, 3, sum as f64, &style::number("0", true, None))?;
    r += 2;
    if !quality.skipped.is_empty() {
        ws.set_row_height(r, 22.0)?;
        merged_line(
            ws,
            r,
            last,
            "未运行的规则（输入中缺少所需的列）：",
            &style::caption(),
        )?;
        r += 1;
        for s in &quality.skipped {
            let lines = style::lines_in(s, 82.0);
            ws.set_row_height(r, (lines as f64 * 13.0 + 5.0).max(16.0))?;
            merged_line(ws, r, last, s, &style::note())?;
            r += 1;
        }
    }
    ws.set_freeze_panes(r0 + 1, 0)?;
    table::page_setup(ws, false);
    Ok(())
}
