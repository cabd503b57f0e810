//! The tables, figure cards and charts of the three documents, as the JSON dictionaries
//! the Typst layouts read (table keys as in `official.typ`'s `ranking-table`).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

use super::DocumentMeta;
use super::facts::{IndicatorFacts, ProseContext, is_ranked, short_name, target_text};
use gonggu_core::catalog::Indicator;
use gonggu_core::compute::{Cell, DASH, Report, TargetStatus, format_change};
use gonggu_core::region::Level;
use gonggu_core::text::date_zh;

/// A table with at most this many body rows is kept on one page.
pub(super) const KEEP_TOGETHER_ROWS: usize = 18;

/// Tables wider than this many columns go on landscape pages.
pub(super) const PORTRAIT_MAX_COLUMNS: usize = 9;

/// Most charts in the brief.
pub(crate) const MAX_CHARTS: usize = 6;

/// A cell dictionary.
fn cell(text: impl Into<String>) -> Value {
    json!({ "text": text.into() })
}

fn warning_of(c: Option<&Cell>) -> Value {
    match c.and_then(|c| c.warning) {
        Some(w) => Value::from(w.label()),
        None => Value::Null,
    }
}

/// A value cell, highlighted 红 / 黄.
fn value_cell(c: Option<&Cell>) -> Value {
    json!({
        "text": c.map_or(DASH, |c| c.display.as_str()),
        "warning": warning_of(c),
    })
}

/// A change for a table: `+1.25`, `-0.50`, `0.00`, `—`.
fn signed_change(ind: &Indicator, c: Option<&Cell>) -> String {
    signed(ind, c.and_then(|c| c.change))
}

/// A 较年初 change for a table, written like [`signed_change`].
fn signed_year_change(ind: &Indicator, c: Option<&Cell>) -> String {
    signed(ind, c.and_then(|c| c.change_year))
}

fn signed(ind: &Indicator, d: Option<rust_decimal::Decimal>) -> String {
    let Some(d) = d else {
        return DASH.to_owned();
    };
    let mut r = d.round_dp_with_strategy(ind.decimals, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(ind.decimals);
    if r.is_zero() {
        r.set_sign_positive(true);
        return r.to_string();
    }
    if r.is_sign_positive() {
        format!("+{r}")
    } else {
        r.to_string()
    }
}

fn rank_text(c: Option<&Cell>) -> String {
    c.and_then(|c| c.rank)
        .map_or(String::new(), |r| r.to_string())
}

/// `items` in `ceil(n / size)` blocks of as equal length as possible, longer ones first
/// (7 in blocks of 3 → 3, 2, 2): no last block with a lone indicator stretched over the
/// page.
fn balanced<T>(items: &[T], size: usize) -> Vec<&[T]> {
    let size = size.max(1);
    let count = items.len().div_ceil(size);
    if count == 0 {
        return Vec::new();
    }
    let (base, extra) = (items.len() / count, items.len() % count);
    let mut out = Vec::with_capacity(count);
    let mut rest = items;
    for i in 0..count {
        let (head, tail) = rest.split_at((base + usize::from(i < extra)).min(rest.len()));
        out.push(head);
        rest = tail;
    }
    out
}

/// The columns one indicator takes in the ranking table.
fn ranking_columns(ind: &Indicator, with_previous: bool, with_year: bool) -> Vec<(String, f64)> {
    let mut cols = vec![("数值".to_string(), 1.25)];
    if is_ranked(ind) {
        cols.push(("排名".to_string(), 0.7));
    }
    // The change's unit in the header: percentage points, or the indicator's unit.
    let unit = if ind.kind.is_percent() {
        "个百分点"
    } else {
        ind.unit.as_str()
    };
    let head = |word: &str| {
        if unit.is_empty() {
            word.to_string()
        } else {
            format!("{word}\n（{unit}）")
        }
    };
    if with_previous {
        cols.push((head("较上期"), 1.3));
    }
    if with_year {
        cols.push((head("较年初"), 1.3));
    }
    if with_previous && is_ranked(ind) {
        cols.push(("名次\n变化".to_string(), 0.85));
    }
    cols
}

/// `数据截至2021年11月30日`.
pub(crate) fn as_of_note(report: &Report) -> String {
    format!("数据截至{}", date_zh(report.as_of))
}

/// `数据截至2021年11月30日` (and the period compared with).
pub(crate) fn date_note(report: &Report) -> String {
    match report.previous_as_of {
        Some(p) => format!("数据截至{}（与{}比较）", date_zh(report.as_of), date_zh(p)),
        None => format!("数据截至{}", date_zh(report.as_of)),
    }
}

/// The notes under the ranking table.
fn ranking_footnote(report: &Report) -> String {
    let mut notes = vec![
        "排名按显示值计算，数值相同者名次相同；合计行按各项分子、分母汇总后重新计算，不参与排名。"
            .to_owned(),
        "红色底纹为未达到目标，黄色底纹为达到目标但领先不足预警幅度。".to_owned(),
    ];
    if report.previous_as_of.is_some() {
        notes.push(
            "“较上期”为与上期数值之差，百分比指标单位为百分点；“名次变化”中↑为进位、↓为退位。"
                .to_owned(),
        );
    }
    if let Some(start) = &report.year_start {
        notes.push(format!(
            "“较年初”为与{start}（上年最后记录的月份）数值之差，百分比指标单位为百分点。"
        ));
    }
    notes.extend(
        report
            .notes
            .iter()
            .filter_map(|n| super::facts::for_readers(n)),
    );
    let numbered: Vec<String> = notes
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{}. {n}", i + 1))
        .collect();
    format!("注：{}", numbered.join("\n"))
}

/// The ranking tables of the notice: units in official order, blocks of
/// `meta.block_size` indicators, the total row bold without rank.
pub(crate) fn ranking_tables(report: &Report, meta: &DocumentMeta, caption: &str) -> Vec<Value> {
    let with_previous = report.previous_as_of.is_some();
    let with_year = report.year_start.is_some();
    let grouped = with_previous || with_year;
    let counties = report.unit_counties();
    let chunks = balanced(&report.indicators, super::block_size(meta));
    let count = chunks.len();
    chunks
        .iter()
        .enumerate()
        .map(|(i, inds)| {
            let head_rows = if grouped { 2 } else { 1 };
            let mut widths = vec![1.7];
            let mut head1 = vec![json!({ "text": super::facts::unit_name(report.level), "rowspan": head_rows })];
            // A city's town ranking says which county each town is in.
            if counties.is_some() {
                widths.insert(0, 1.5);
                head1.insert(0, json!({ "text": super::facts::unit_name(Level::County), "rowspan": head_rows }));
            }
            let mut head2 = Vec::new();
            for ind in *inds {
                let cols = ranking_columns(ind, with_previous, with_year);
                if grouped {
                    head1.push(json!({ "text": ind.name, "colspan": cols.len() }));
                    head2.extend(cols.iter().map(|(h, _)| Value::from(h.as_str())));
                } else {
                    head1.push(Value::from(ind.name.as_str()));
                    if is_ranked(ind) {
                        head1.push(Value::from("排名"));
                    }
                }
                widths.extend(cols.iter().map(|(_, w)| *w));
            }
            let row_cells = |row: &gonggu_core::compute::Row, total: bool| -> Vec<Value> {
                let mut cells = vec![cell(row.region.as_str())];
                for ind in *inds {
                    let c = row.cell(&ind.id);
                    cells.push(value_cell(c));
                    if is_ranked(ind) {
                        cells.push(cell(if total { String::new() } else { rank_text(c) }));
                    }
                    if with_previous {
                        cells.push(cell(signed_change(ind, c)));
                    }
                    if with_year {
                        cells.push(cell(signed_year_change(ind, c)));
                    }
                    if with_previous && is_ranked(ind) {
                        let mv = if total {
                            String::new()
                        } else {
                            c.and_then(|c| c.rank_move.clone()).unwrap_or_default()
                        };
                        cells.push(cell(mv));
                    }
                }
                cells
            };
            let rows: Vec<Value> = report
                .rows
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let mut cells = row_cells(r, false);
                    if let Some(c) = &counties {
                        cells.insert(0, cell(c.get(k).map_or("", String::as_str)));
                    }
                    Value::from(cells)
                })
                .collect();
            let mut total = row_cells(&report.total, true);
            if counties.is_some() {
                total.insert(0, cell(""));
            }
            let mut header = vec![Value::from(head1)];
            if with_previous {
                header.push(Value::from(head2));
            }
            let landscape = widths.len() > PORTRAIT_MAX_COLUMNS;
            json!({
                "type": "table",
                "caption": if i == 0 { Value::from(caption) } else { Value::Null },
                "note": if i == 0 { Value::from(date_note(report)) } else { Value::Null },
                "columns": widths,
                "header": header,
                "rows": rows,
                "total": total,
                "footnote": if i + 1 == count { Value::from(ranking_footnote(report)) } else { Value::Null },
                "font_size": 10.5,
                "landscape": landscape,
                "unbreakable": report.rows.len() <= KEEP_TOGETHER_ROWS,
            })
        })
        .collect()
}

/// `达标` / `未达标` / `无数据` / `—` with the cell's warning colour.
fn status_cell(c: Option<&Cell>) -> Value {
    let text = c
        .map_or(TargetStatus::NoTarget, Cell::target_status)
        .label();
    json!({ "text": text, "warning": warning_of(c) })
}

/// Whether units of this indicator have a target at all.
fn has_target(report: &Report, ind: &Indicator) -> bool {
    report
        .rows
        .iter()
        .chain(std::iter::once(&report.total))
        .any(|r| r.cell(&ind.id).is_some_and(|c| c.target.is_some()))
}

/// Evaluation: one row per indicator with target, the parent's value and status, and
/// the units that miss it.
pub(crate) fn evaluation_overview(report: &Report, ctx: &ProseContext) -> Value {
    let rows: Vec<Value> = ctx
        .indicators
        .iter()
        .map(|f| {
            let target = match (&f.target, f.target_varies) {
                (_, true) => "按各地目标".to_owned(),
                (Some(t), false) => t.clone(),
                (None, false) => "未设目标".to_owned(),
            };
            let total_cell = report.total.cell(&f.id);
            let has = f.target.is_some() || f.target_varies;
            let unmet: Vec<&str> = f.red.iter().map(|x| x.region.as_str()).collect();
            json!([
                f.name,
                target,
                value_cell(total_cell),
                if has {
                    status_cell(total_cell)
                } else {
                    cell(DASH)
                },
                if has {
                    format!("{}/{}", f.met_count, f.met_count + f.unmet_count)
                } else {
                    DASH.to_owned()
                },
                if !has {
                    DASH.to_owned()
                } else if unmet.is_empty() {
                    "无".to_owned()
                } else {
                    unmet.join("、")
                },
            ])
        })
        .collect();
    json!({
        "type": "table",
        "caption": Value::Null,
        "columns": [2.5, 1.3, 1.1, 1.0, 1.15, 2.45],
        "header": [["指标", "目标", ctx.parent, "是否达标", "达标/总数", format!("未达标的{}", ctx.unit_name)]],
        "rows": rows,
        "font_size": 10.5,
        "footnote": format!("注：“达标/总数”为达标的{}数和有数值的{}数；目标为截至{}适用的目标值。", ctx.unit_name, ctx.unit_name, ctx.as_of),
    })
}

/// Evaluation: per unit, how many indicators it meets and misses.
pub(crate) fn evaluation_regions(ctx: &ProseContext) -> Value {
    let row = |s: &super::facts::RegionStatus| -> Value {
        json!([
            s.region,
            s.met.to_string(),
            json!({ "text": s.unmet.to_string(), "warning": if s.unmet > 0 { Value::from("红") } else { Value::Null } }),
            if s.unmet_names.is_empty() {
                "无".to_owned()
            } else {
                s.unmet_names.join("、")
            },
        ])
    };
    let rows: Vec<Value> = ctx.regions.iter().map(row).collect();
    json!({
        "type": "table",
        "columns": [1.4, 0.85, 0.85, 5.1],
        "header": [[ctx.unit_name, "达标\n指标数", "未达标\n指标数", "未达标指标"]],
        "total": row(&ctx.total_status),
        "font_size": 10,
        // Kept whole: split, it can leave the total row alone on a page.
        "unbreakable": rows.len() <= KEEP_TOGETHER_ROWS,
        "rows": rows,
    })
}

/// Evaluation: every unit's value and status, blocks of indicators.
pub(crate) fn evaluation_details(
    report: &Report,
    meta: &DocumentMeta,
    ctx: &ProseContext,
) -> Vec<Value> {
    let blocks = balanced(&report.indicators, super::block_size(meta));
    let count = blocks.len();
    blocks
        .into_iter()
        .enumerate()
        .map(|(i, inds)| {
            let facts: Vec<Option<&IndicatorFacts>> = inds
                .iter()
                .map(|ind| ctx.indicators.iter().find(|f| f.id == ind.id))
                .collect();
            let mut widths = vec![1.6];
            let mut head1 = vec![json!({ "text": super::facts::unit_name(report.level), "rowspan": 2 })];
            let mut head2 = Vec::new();
            for (ind, f) in inds.iter().zip(&facts) {
                let target = has_target(report, ind);
                let varies = f.is_some_and(|f| f.target_varies);
                let label = match (f.and_then(|f| f.target.clone()), target, varies) {
                    (_, true, true) => format!("{}\n（按各地目标）", ind.name),
                    (Some(t), true, false) => format!("{}\n（目标{t}）", ind.name),
                    _ => format!("{}\n（未设目标）", ind.name),
                };
                let mut cols: Vec<(&str, f64)> = vec![("数值", 1.2)];
                if target {
                    if varies {
                        cols.push(("目标", 1.1));
                    }
                    cols.push(("达标情况", 1.0));
                }
                head1.push(json!({ "text": label, "colspan": cols.len() }));
                head2.extend(cols.iter().map(|(h, _)| Value::from(*h)));
                widths.extend(cols.iter().map(|(_, w)| *w));
            }
            let row_cells = |row: &gonggu_core::compute::Row| -> Vec<Value> {
                let mut cells = vec![cell(row.region.as_str())];
                for (ind, f) in inds.iter().zip(&facts) {
                    let c = row.cell(&ind.id);
                    cells.push(cell(c.map_or(DASH, |c| c.display.as_str())));
                    if has_target(report, ind) {
                        if f.is_some_and(|f| f.target_varies) {
                            cells.push(cell(
                                c.and_then(|c| c.target)
                                    .map_or_else(|| DASH.to_owned(), |t| target_text(ind, t)),
                            ));
                        }
                        cells.push(status_cell(c));
                    }
                }
                cells
            };
            let rows: Vec<Value> = report.rows.iter().map(|r| Value::from(row_cells(r))).collect();
            json!({
                "type": "table",
                "columns": widths,
                "header": [head1, head2],
                "rows": rows,
                "total": row_cells(&report.total),
                "footnote": if i + 1 == count {
                    Value::from("注：红色底纹为未达到目标，黄色底纹为达到目标但领先不足预警幅度；“—”为无数据或未设目标。")
                } else {
                    Value::Null
                },
                // 10 pt: two blocks of ten units share a page.
                "font_size": 10,
                "landscape": widths.len() > PORTRAIT_MAX_COLUMNS,
                "unbreakable": rows.len() <= KEEP_TOGETHER_ROWS,
            })
        })
        .collect()
}

/// Evaluation: findings per data-quality rule; none when there are none (the prose says so).
pub(crate) fn evaluation_quality(ctx: &ProseContext) -> Option<Value> {
    if ctx.quality.is_empty() {
        return None;
    }
    let rows: Vec<Value> = ctx
        .quality
        .iter()
        .map(|q| json!([q.code, q.title, q.severity, q.count.to_string()]))
        .collect();
    Some(json!({
        "type": "table",
        "columns": [2.4, 4.0, 1.0, 1.0],
        "header": [["规则代码", "核查规则", "严重程度", "问题条数"]],
        "rows": rows,
        "total": ["合计", "", "", ctx.quality_total.to_string()],
        "font_size": 10.5,
    }))
}

/// Brief: one card per indicator with the parent's figure, change and target status.
pub(crate) fn headline(report: &Report, ctx: &ProseContext) -> Value {
    let cards: Vec<Value> = report
        .indicators
        .iter()
        .zip(&ctx.indicators)
        .map(|(ind, f)| {
            let total = report.total.cell(&ind.id);
            let unit = if ind.kind.is_percent() || f.total == DASH {
                String::new()
            } else {
                ind.unit.clone()
            };
            let change = ctx
                .has_previous
                .then(|| format!("较上期{}", format_change(ind, total.and_then(|c| c.change))));
            let status = match f.total_met {
                Some(true) => Some(format!(
                    "目标{}　已达标",
                    f.target.clone().unwrap_or_default()
                )),
                Some(false) => Some(format!(
                    "目标{}　未达标",
                    f.target.clone().unwrap_or_default()
                )),
                None => f.target.as_ref().map(|t| format!("目标{t}")),
            };
            json!({
                "name": f.short_name,
                "value": f.total,
                "unit": unit,
                "change": change,
                "status": status,
                "warning": warning_of(total),
            })
        })
        .collect();
    let n = cards.len();
    let columns = if n <= 3 {
        n.max(1)
    } else if n <= 6 || n == 9 {
        3
    } else {
        4
    };
    json!({ "type": "headline", "columns": columns, "cards": cards })
}

/// `永城市（24.41%）`, `永城市、夏邑县等9个（100.00%）`.
fn names_with_value(names: &[String], value: &str) -> String {
    if names.is_empty() {
        return DASH.to_owned();
    }
    let shown = if names.len() <= 2 {
        names.join("、")
    } else {
        format!(
            "{}等{}个",
            names.iter().take(2).cloned().collect::<Vec<_>>().join("、"),
            names.len()
        )
    };
    format!("{shown}（{value}）")
}

/// Brief: first, last and below-target units per ranked indicator.
/// Characters of an indicator name that fit on one line of the brief's ranking table.
const BRIEF_NAME_CHARS: usize = 11;

/// A name longer than `fits` characters broken into two lines of about equal length
/// (`纳入年度实施` / `计划项目开工率`), never leaving a character or two alone on a line.
fn two_lines(name: &str, fits: usize) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= fits || name.contains('\n') {
        return name.to_owned();
    }
    let half = chars.len().div_ceil(2);
    let (a, b) = chars.split_at(half);
    format!(
        "{}\n{}",
        a.iter().collect::<String>(),
        b.iter().collect::<String>()
    )
}

pub(crate) fn brief_ranking(ctx: &ProseContext) -> Value {
    let rows: Vec<Value> = ctx
        .indicators
        .iter()
        .filter(|f| f.ranked)
        .map(|f| {
            let best = if f.all_tied {
                format!("均为{}", f.best_value)
            } else {
                names_with_value(&f.best, &f.best_value)
            };
            let red: Vec<String> = f.red.iter().map(|x| x.region.clone()).collect();
            let red_text = if f.target.is_none() && !f.target_varies {
                "未设目标".to_owned()
            } else if red.is_empty() {
                "无".to_owned()
            } else {
                red.join("、")
            };
            json!([
                two_lines(&f.short_name, BRIEF_NAME_CHARS),
                f.total_text,
                best,
                names_with_value(&f.last, &f.last_value),
                json!({ "text": red_text, "warning": if red.is_empty() { Value::Null } else { Value::from("红") } }),
            ])
        })
        .collect();
    json!({
        "type": "table",
        "columns": [2.3, 1.0, 2.2, 2.0, 2.2],
        "header": [["指标", ctx.parent, "排名第一", "排名末位", format!("未达目标的{}", ctx.unit_name)]],
        "rows": rows,
        "font_size": 9,
        "unbreakable": true,
    })
}

fn to_f64(d: Option<Decimal>) -> Option<f64> {
    d.and_then(|d| d.to_f64()).filter(|f| f.is_finite())
}

/// Brief: one bar chart per ranked indicator (at most [`MAX_CHARTS`]), bars best first,
/// lengths as fractions of the largest value (or target), the target as a line.
/// Bars per chart in the briefing; beyond it the best and the last half each are shown.
const MAX_BARS: usize = 12;

pub(crate) fn charts(report: &Report, ctx: &ProseContext) -> Value {
    let charts: Vec<Value> = report
        .indicators
        .iter()
        .zip(&ctx.indicators)
        .filter(|(ind, _)| is_ranked(ind))
        .filter(|(ind, _)| {
            report
                .rows
                .iter()
                .any(|r| r.cell(&ind.id).is_some_and(|c| c.value.is_some()))
        })
        .take(MAX_CHARTS)
        .map(|(ind, f)| {
            let target = to_f64(report.total.cell(&ind.id).and_then(|c| c.target)).or_else(|| {
                to_f64(
                    report
                        .rows
                        .iter()
                        .find_map(|r| r.cell(&ind.id).and_then(|c| c.target)),
                )
            });
            let values: Vec<f64> = report
                .rows
                .iter()
                .filter_map(|r| to_f64(r.cell(&ind.id).and_then(|c| c.value)))
                .collect();
            let max = values.iter().copied().chain(target).fold(0.0_f64, f64::max);
            let scale = |v: f64| {
                if max > 0.0 {
                    (v / max).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            };
            // A briefing stays short: with many units, the best and the last few.
            let ranked = report.rows_by_rank(&ind.id);
            let shown: Vec<Option<&gonggu_core::compute::Row>> = if ranked.len() > MAX_BARS {
                let half = MAX_BARS / 2;
                let mut v: Vec<Option<&gonggu_core::compute::Row>> =
                    ranked.iter().take(half).map(|r| Some(*r)).collect();
                v.push(None);
                v.extend(ranked.iter().skip(ranked.len() - half).map(|r| Some(*r)));
                v
            } else {
                ranked.into_iter().map(Some).collect()
            };
            let bars: Vec<Value> = shown
                .into_iter()
                .map(|r| {
                    let Some(r) = r else {
                        return json!({"label": "……", "value": "", "number": null, "fraction": 0.0, "warning": null});
                    };
                    let c = r.cell(&ind.id);
                    json!({
                        "label": r.region,
                        "value": c.map_or(DASH, |c| c.display.as_str()),
                        "number": to_f64(c.and_then(|c| c.value)),
                        "fraction": to_f64(c.and_then(|c| c.value)).map_or(0.0, scale),
                        "warning": warning_of(c),
                    })
                })
                .collect();
            let mut subtitle = format!("{}{}", ctx.scope, f.total_text);
            if let (Some(t), false) = (&f.target, f.target_varies) {
                subtitle.push_str(&format!("　目标{t}"));
            }
            json!({
                "title": short_name(ind),
                "subtitle": subtitle,
                "bars": bars,
                "target": if f.target_varies { None } else { target.map(scale) },
                // For charts drawn from the numbers (the DOCX's native charts): the value
                // format as in the workbooks (`0.00%`) and the target as a number.
                "format": crate::xlsx::style::value_format(ind),
                "target_number": if f.target_varies { None } else { target },
            })
        })
        .collect();
    json!({ "type": "charts", "charts": charts })
}

/// The brief's trend block (`gonggu run` with a history): per headline indicator a small
/// line chart over the recorded months — the total and the units furthest from target —
/// with the top and bottom of its scale and a legend giving each line's latest display.
/// `None` without a trend of at least two months.
pub(crate) fn trend(report: &Report) -> Option<Value> {
    let t = report.trend.as_ref().filter(|t| t.months.len() >= 2)?;
    // `2021年9月` … in one year: `9月`; across years the whole label.
    let year = |m: &str| m.split('年').next().map(str::to_string);
    let one_year = t
        .months
        .iter()
        .map(|m| year(m))
        .collect::<Vec<_>>()
        .windows(2)
        .all(|w| w[0] == w[1]);
    let months: Vec<String> = t
        .months
        .iter()
        .map(|m| {
            if one_year {
                m.split('年').nth(1).unwrap_or(m).to_string()
            } else {
                m.clone()
            }
        })
        .collect();
    let charts: Vec<Value> = t
        .series
        .iter()
        .filter_map(|s| {
            let ind = report.indicator(&s.indicator)?;
            let scale = if ind.kind.is_percent() { 100.0 } else { 1.0 };
            let all: Vec<f64> = s
                .lines
                .iter()
                .flat_map(|l| {
                    l.values
                        .iter()
                        .filter_map(|v| to_f64(*v))
                        .map(|v| v * scale)
                })
                .collect();
            let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !lo.is_finite() || !hi.is_finite() {
                return None;
            }
            // A flat line sits in the middle; otherwise a tenth of the range above and below.
            let pad = if hi - lo < 1e-9 {
                lo.abs().max(1.0) * 0.1
            } else {
                (hi - lo) * 0.1
            };
            let (lo, hi) = (lo - pad, hi + pad);
            let unit = if ind.kind.is_percent() { "%" } else { "" };
            let label = |v: f64| format!("{v:.*}{unit}", ind.decimals as usize);
            let lines: Vec<Value> = s
                .lines
                .iter()
                .map(|l| {
                    let points: Vec<Value> = l
                        .values
                        .iter()
                        .map(|v| match to_f64(*v) {
                            Some(v) => json!(((v * scale - lo) / (hi - lo)).clamp(0.0, 1.0)),
                            None => Value::Null,
                        })
                        .collect();
                    json!({
                        "label": l.label,
                        "total": l.total,
                        "points": points,
                        "last": l.displays.last().cloned().unwrap_or_default(),
                        // The DOCX writes the trend as figures, not drawn lines.
                        "displays": l.displays,
                    })
                })
                .collect();
            Some(json!({
                "title": short_name(ind),
                "top": label(hi),
                "bottom": label(lo),
                "lines": lines,
            }))
        })
        .collect();
    if charts.is_empty() {
        return None;
    }
    Some(json!({
        "type": "trend",
        "title": format!("近{}个月走势", t.months.len()),
        "months": months,
        "charts": charts,
    }))
}
