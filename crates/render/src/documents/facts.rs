//! The facts the prose templates are filled with, read off a [`Report`]: per indicator the
//! total, the first and last regions, regions below target, rank moves; per region its
//! target status. Every figure is a display string made by `compute` (never re-rounded
//! here), so the prose says exactly what the tables show.
//!
//! The structs serialise to the template context; their field names are the keys a
//! template writer uses (`{{ indicators[0].total }}`), listed in
//! `crates/render/templates/prose/README.md`.

use chrono::Datelike;
use serde::Serialize;

use crate::quality::QualityLine;
use gonggu_core::catalog::{Comparison, Direction, Indicator, Threshold};
use gonggu_core::compute::{Cell, DASH, Report, Row, Warning, format_change, format_value};
use gonggu_core::region::Level;
use gonggu_core::text::date_zh;

/// Rank moves of at least this many places are reported as 进位 / 退位.
pub(crate) const NOTABLE_MOVE: u32 = 2;

/// Everything a prose template can use.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProseContext {
    /// The parent region (`商丘市`); empty when none is configured or can be inferred (the
    /// total row is then labelled 合计, and no title names a place).
    pub parent: String,
    /// How the whole is called in running text (`全市`, `全县`, `全区`, `全镇`, else the
    /// parent's name).
    pub scope: String,
    /// `county` / `town` / `village`.
    pub level: &'static str,
    /// Unit word for prose, full-width brackets (`县（市、区）`, `乡镇`, `行政村`).
    pub unit_name: String,
    /// Unit word as the table header writes it (`县（市、区）`).
    pub unit_word: &'static str,
    /// Number of ranked units.
    pub unit_count: usize,
    /// `2021年11月30日`.
    pub as_of: String,
    /// `11月30日`.
    pub as_of_md: String,
    /// The month reported on: `2021年11月`.
    pub period: String,
    /// Year of the as-of date.
    pub year: i32,
    /// Month of the as-of date.
    pub month: u32,
    /// 成文日期: `2021年12月11日`.
    pub issue_date: String,
    /// Issuing office (`商丘市巩固拓展脱贫攻坚成果领导小组办公室`).
    pub issuing_office: String,
    /// Title of the ranking table.
    pub table_title: String,
    /// Whether a previous period was compared.
    pub has_previous: bool,
    /// The previous period's as-of date (`2021年10月31日`), or none.
    pub previous_as_of: Option<String>,
    /// Number of indicators.
    pub indicator_count: usize,
    /// Number of ranked indicators.
    pub ranked_count: usize,
    /// Number of indicators with a target.
    pub target_count: usize,
    /// The indicators in display order.
    pub indicators: Vec<IndicatorFacts>,
    /// Cells below target (红) over all indicators and units.
    pub red_cells: usize,
    /// Cells just above target (黄).
    pub yellow_cells: usize,
    /// Units with at least one 红 cell, most first (then official order).
    pub red_regions: Vec<RegionList>,
    /// Units ranked last in at least one indicator, most first (then official order).
    pub last_regions: Vec<RegionList>,
    /// Rank gains of at least two places, over all indicators (indicator order, then
    /// official order).
    pub moved_up: Vec<Move>,
    /// Rank losses of at least two places.
    pub moved_down: Vec<Move>,
    /// Indicators whose total changed for the better since the previous period.
    pub improved_count: usize,
    /// Indicators whose total changed for the worse.
    pub worsened_count: usize,
    /// Target status per unit (official order).
    pub regions: Vec<RegionStatus>,
    /// Units that meet every target they have a value for (official order).
    pub regions_all_met: Vec<String>,
    /// Units missing at least one target, most missed first (then official order).
    pub regions_unmet: Vec<RegionStatus>,
    /// The parent's own target status.
    pub total_status: RegionStatus,
    /// Notes of the computation (indicators left out, units without data …).
    pub notes: Vec<String>,
    /// Input files and sheets (evaluation only; empty otherwise).
    pub sources: Vec<String>,
    /// Data-quality findings by rule (evaluation only; empty otherwise).
    pub quality: Vec<QualityLine>,
    /// Σ of the quality findings' counts.
    pub quality_total: u64,
    /// The headline counts of the 基本情况 part, when the inputs give any.
    pub basics: Option<super::basics::BasicsFacts>,
}

/// One indicator, as prose talks about it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndicatorFacts {
    /// Catalog id.
    pub id: String,
    /// Full name, as the table head (`脱贫人口人均纯收入（元）`).
    pub name: String,
    /// Name without a trailing unit in brackets (`脱贫人口人均纯收入`).
    pub short_name: String,
    /// Unit (`%`, `元`, `户`).
    pub unit: String,
    /// `count`, `ratio`, `per_capita`, `progress`.
    pub kind: &'static str,
    /// Whether values are percentages.
    pub is_percent: bool,
    /// Whether units are ranked on it.
    pub ranked: bool,
    /// Whether smaller values rank first.
    pub lower_better: bool,
    /// The parent's value as displayed (`21.64%`, `10409`, `—`).
    pub total: String,
    /// The parent's value with its unit for running text (`21.64%`, `10409元`).
    pub total_text: String,
    /// The parent's change since the previous period (`提高0.35个百分点`), or none.
    pub change: Option<String>,
    /// Whether that change is for the better (by the ranking direction; none when
    /// unchanged, unknown or not ranked).
    pub improved: Option<bool>,
    /// The target as it applies on the as-of date (`≥60.0%`, `>7500元`), or none.
    pub target: Option<String>,
    /// The target's full rule when it depends on the date (`6月30日起≥50%；…`), or none.
    pub target_rule: Option<String>,
    /// Whether units have different targets (from a 目标 table).
    pub target_varies: bool,
    /// Whether the parent meets the target (none without a target or value).
    pub total_met: Option<bool>,
    /// Units ranked first (ties listed together, official order).
    pub best: Vec<String>,
    /// Their value with unit.
    pub best_value: String,
    /// Units ranked last (empty when all ranked units tie).
    pub last: Vec<String>,
    /// Their value with unit.
    pub last_value: String,
    /// Whether every ranked unit shares rank 1.
    pub all_tied: bool,
    /// Ranked units, best first.
    pub ranking: Vec<Placing>,
    /// Units below target (红), official order.
    pub red: Vec<Flag>,
    /// Units just above target (黄).
    pub yellow: Vec<Flag>,
    /// Units that meet the target.
    pub met_count: usize,
    /// Units that miss it.
    pub unmet_count: usize,
    /// Units without a value.
    pub no_data: Vec<String>,
    /// Rank gains of at least two places (进位).
    pub up: Vec<Move>,
    /// Rank losses of at least two places (退位).
    pub down: Vec<Move>,
}

/// A unit's place on one indicator.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Placing {
    /// Unit name.
    pub region: String,
    /// Value with unit.
    pub value: String,
    /// Rank.
    pub rank: u32,
    /// Change in words, or none.
    pub change: Option<String>,
    /// `↑2`, `↓1`, `持平`, or none.
    pub rank_move: Option<String>,
}

/// A unit flagged on one indicator.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Flag {
    /// Unit name.
    pub region: String,
    /// Value with unit.
    pub value: String,
    /// Its target with unit (`≥60.0%`).
    pub target: String,
}

/// A rank move.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Move {
    /// Unit name.
    pub region: String,
    /// Indicator name.
    pub indicator: String,
    /// Places moved (always positive).
    pub places: u32,
    /// Previous rank.
    pub from: u32,
    /// Current rank.
    pub to: u32,
}

/// A unit with the indicators it is listed for.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RegionList {
    /// Unit name.
    pub region: String,
    /// How many indicators.
    pub count: usize,
    /// Their names (short names).
    pub indicators: Vec<String>,
}

/// A unit's target status over all indicators with a target.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RegionStatus {
    /// Unit name.
    pub region: String,
    /// Indicators met.
    pub met: usize,
    /// Indicators missed.
    pub unmet: usize,
    /// Indicators with a target but no value.
    pub no_value: usize,
    /// Short names of the indicators missed.
    pub unmet_names: Vec<String>,
}

/// Whether a piece of a note speaks to the person running gonggu (a command, a flag, the
/// configuration file, a rule code) rather than to the document's readers.
fn is_tool_talk(s: &str) -> bool {
    s.contains("gonggu")
        || s.contains("--")
        || s.contains(".toml")
        || s.contains("[region")
        || s.contains("[aliases]")
        || s.contains("[document]")
}

/// A computation note as an official document may print it: the asides meant for the
/// person running gonggu (`（gonggu check 会逐条列出；--strict 可使其报错）`, `；可在 gonggu.toml
/// 中…`) are dropped; `None` when nothing is left.
///
/// ```text
/// 有 5 个值无法识别，已按缺失处理（gonggu check 会逐条列出；--strict 可使其报错）。
///   → 有 5 个值无法识别，已按缺失处理。
/// ```
pub(crate) fn for_readers(note: &str) -> Option<String> {
    // Bracketed asides first (they may hold a ；), then clauses.
    let mut kept = String::new();
    let mut rest = note;
    while let Some(open) = rest.find('（') {
        let Some(len) = rest[open..].find('）') else {
            break;
        };
        let aside = &rest[open..open + len + '）'.len_utf8()];
        kept.push_str(&rest[..open]);
        if !is_tool_talk(aside) {
            kept.push_str(aside);
        }
        rest = &rest[open + aside.len()..];
    }
    kept.push_str(rest);
    let mut out = String::new();
    for sentence in kept.split_inclusive('。') {
        let clauses: Vec<&str> = sentence
            .trim_end_matches('。')
            .split('；')
            .filter(|c| !c.trim().is_empty() && !is_tool_talk(c))
            .collect();
        if !clauses.is_empty() {
            out.push_str(&clauses.join("；"));
            out.push('。');
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The unit word with full-width brackets, for running text.
pub(crate) fn unit_name(level: Level) -> String {
    level.unit_word().to_string()
}

/// `全市` for 商丘市, `全县` for 夏邑县 …; the name itself when its last character is no
/// administrative suffix.
fn scope_of(parent: &str) -> String {
    match parent.chars().last() {
        Some(c @ ('市' | '县' | '区' | '镇' | '乡' | '省' | '州' | '盟' | '旗')) => {
            format!("全{c}")
        }
        _ => parent.to_owned(),
    }
}

/// `脱贫人口人均纯收入（元）` → `脱贫人口人均纯收入` when the bracket holds the unit.
pub(crate) fn short_name(ind: &Indicator) -> String {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(stem) = ind.name.strip_suffix(close)
            && let Some((head, inner)) = stem.rsplit_once(open)
            && !head.is_empty()
            && (inner == ind.unit || inner.contains(&ind.unit) && !ind.unit.is_empty())
        {
            return head.to_owned();
        }
    }
    ind.name.clone()
}

/// A displayed value with its unit for running text: `21.64%`, `10409元`, `—`.
pub(crate) fn with_unit(ind: &Indicator, display: &str) -> String {
    if display == DASH || ind.kind.is_percent() || ind.unit == "%" {
        display.to_owned()
    } else {
        format!("{display}{}", ind.unit)
    }
}

/// A threshold in words: `≥60.0%`, `>7500元`.
pub(crate) fn target_text(ind: &Indicator, target: rust_decimal::Decimal) -> String {
    let sym = Comparison::default_for(ind).symbol();
    format!("{sym}{}", with_unit(ind, &format_value(ind, Some(target))))
}

/// Whether the indicator ranks units.
pub(crate) fn is_ranked(ind: &Indicator) -> bool {
    ind.direction != Direction::NotRanked
}

/// The target that applies to the parent, else the one most units share.
fn common_target(ind: &Indicator, report: &Report) -> (Option<String>, bool) {
    let total = report.total.cell(&ind.id).and_then(|c| c.target);
    let unit_targets: Vec<rust_decimal::Decimal> = report
        .rows
        .iter()
        .filter_map(|r| r.cell(&ind.id).and_then(|c| c.target))
        .collect();
    let varies = unit_targets
        .windows(2)
        .any(|w| matches!(w, [a, b] if a != b))
        || total.is_some_and(|t| unit_targets.iter().any(|u| *u != t));
    let shown = total.or_else(|| unit_targets.first().copied());
    (shown.map(|t| target_text(ind, t)), varies)
}

/// Rank move of a cell: `(places, from, to)` with `places` > 0 for a gain.
fn rank_move(cell: &Cell) -> Option<(i64, u32, u32)> {
    let (now, before) = (cell.rank?, cell.previous_rank?);
    Some((i64::from(before) - i64::from(now), before, now))
}

fn indicator_facts(ind: &Indicator, report: &Report) -> IndicatorFacts {
    let total_cell = report.total.cell(&ind.id);
    let total = total_cell.map_or_else(|| DASH.to_owned(), |c| c.display.clone());
    let cells: Vec<(&Row, &Cell)> = report
        .rows
        .iter()
        .filter_map(|r| r.cell(&ind.id).map(|c| (r, c)))
        .collect();
    let ranked = is_ranked(ind);
    let max_rank = cells.iter().filter_map(|(_, c)| c.rank).max();
    let at_rank = |rank: Option<u32>| -> (Vec<String>, String) {
        let Some(rank) = rank else {
            return (Vec::new(), String::new());
        };
        let hits: Vec<&(&Row, &Cell)> =
            cells.iter().filter(|(_, c)| c.rank == Some(rank)).collect();
        let value = hits
            .first()
            .map(|(_, c)| with_unit(ind, &c.display))
            .unwrap_or_default();
        (hits.iter().map(|(r, _)| r.region.clone()).collect(), value)
    };
    let all_tied =
        ranked && max_rank == Some(1) && cells.iter().filter(|(_, c)| c.rank.is_some()).count() > 1;
    let (best, best_value) = if ranked {
        at_rank(Some(1))
    } else {
        (Vec::new(), String::new())
    };
    let (last, last_value) = if ranked && !all_tied && max_rank.is_some_and(|m| m > 1) {
        at_rank(max_rank)
    } else {
        (Vec::new(), String::new())
    };

    let mut ranking: Vec<Placing> = cells
        .iter()
        .filter_map(|(r, c)| {
            Some(Placing {
                region: r.region.clone(),
                value: with_unit(ind, &c.display),
                rank: c.rank?,
                change: c.change.map(|d| format_change(ind, Some(d))),
                rank_move: c.rank_move.clone(),
            })
        })
        .collect();
    ranking.sort_by_key(|p| p.rank); // stable: ties keep official order

    let flag = |r: &Row, c: &Cell| Flag {
        region: r.region.clone(),
        value: with_unit(ind, &c.display),
        target: c.target.map(|t| target_text(ind, t)).unwrap_or_default(),
    };
    let red: Vec<Flag> = cells
        .iter()
        .filter(|(_, c)| c.warning == Some(Warning::Red))
        .map(|(r, c)| flag(r, c))
        .collect();
    let yellow: Vec<Flag> = cells
        .iter()
        .filter(|(_, c)| c.warning == Some(Warning::Yellow))
        .map(|(r, c)| flag(r, c))
        .collect();
    let met_count = cells
        .iter()
        .filter(|(_, c)| c.target_met == Some(true))
        .count();
    let unmet_count = cells
        .iter()
        .filter(|(_, c)| c.target_met == Some(false))
        .count();
    let no_data = cells
        .iter()
        .filter(|(_, c)| c.value.is_none())
        .map(|(r, _)| r.region.clone())
        .collect();

    let mut up = Vec::new();
    let mut down = Vec::new();
    for (r, c) in &cells {
        let Some((places, from, to)) = rank_move(c) else {
            continue;
        };
        let mv = Move {
            region: r.region.clone(),
            indicator: short_name(ind),
            places: u32::try_from(places.unsigned_abs()).unwrap_or(u32::MAX),
            from,
            to,
        };
        if places >= i64::from(NOTABLE_MOVE) {
            up.push(mv);
        } else if places <= -i64::from(NOTABLE_MOVE) {
            down.push(mv);
        }
    }

    let (target, target_varies) = common_target(ind, report);
    let target_rule = match ind.target.as_ref().map(|t| &t.threshold) {
        Some(Threshold::Schedule { .. }) => ind.target.as_ref().map(|t| t.describe(ind, &[])),
        _ => None,
    };

    IndicatorFacts {
        id: ind.id.clone(),
        name: ind.name.clone(),
        short_name: short_name(ind),
        unit: ind.unit.clone(),
        kind: ind.kind.id(),
        is_percent: ind.kind.is_percent(),
        ranked,
        lower_better: ind.direction == Direction::LowerBetter,
        total_text: with_unit(ind, &total),
        total,
        change: total_cell
            .and_then(|c| c.change)
            .map(|d| format_change(ind, Some(d))),
        improved: total_cell
            .and_then(|c| c.change)
            .filter(|d| !d.is_zero())
            .and_then(|d| match ind.direction {
                Direction::HigherBetter => Some(d.is_sign_positive()),
                Direction::LowerBetter => Some(d.is_sign_negative()),
                Direction::NotRanked => None,
            }),
        target,
        target_rule,
        target_varies,
        total_met: total_cell.and_then(|c| c.target_met),
        best,
        best_value,
        last,
        last_value,
        all_tied,
        ranking,
        red,
        yellow,
        met_count,
        unmet_count,
        no_data,
        up,
        down,
    }
}

fn region_status(row: &Row, report: &Report) -> RegionStatus {
    let mut status = RegionStatus {
        region: row.region.clone(),
        met: 0,
        unmet: 0,
        no_value: 0,
        unmet_names: Vec::new(),
    };
    for ind in &report.indicators {
        let Some(cell) = row.cell(&ind.id) else {
            continue;
        };
        match (cell.target_met, cell.target, cell.value) {
            (Some(true), _, _) => status.met += 1,
            (Some(false), _, _) => {
                status.unmet += 1;
                status.unmet_names.push(short_name(ind));
            }
            (None, Some(_), None) => status.no_value += 1,
            _ => {}
        }
    }
    status
}

/// Units listed per indicator, grouped by unit: most indicators first, then official order.
fn group_by_region(report: &Report, lists: &[(String, Vec<String>)]) -> Vec<RegionList> {
    let mut out: Vec<RegionList> = report
        .rows
        .iter()
        .filter_map(|row| {
            let names: Vec<String> = lists
                .iter()
                .filter(|(_, regions)| regions.contains(&row.region))
                .map(|(name, _)| name.clone())
                .collect();
            (!names.is_empty()).then(|| RegionList {
                region: row.region.clone(),
                count: names.len(),
                indicators: names,
            })
        })
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.count)); // stable: official order within a count
    out
}

/// Context shared by the three documents; `sources` and `quality` only fill the
/// evaluation's.
pub(crate) fn prose_context(
    report: &Report,
    meta: &super::DocumentMeta,
    quality: &[QualityLine],
    sources: &[String],
) -> ProseContext {
    let indicators: Vec<IndicatorFacts> = report
        .indicators
        .iter()
        .map(|ind| indicator_facts(ind, report))
        .collect();
    let red_lists: Vec<(String, Vec<String>)> = indicators
        .iter()
        .map(|f| {
            (
                f.short_name.clone(),
                f.red.iter().map(|x| x.region.clone()).collect(),
            )
        })
        .collect();
    let last_lists: Vec<(String, Vec<String>)> = indicators
        .iter()
        .map(|f| (f.short_name.clone(), f.last.clone()))
        .collect();
    let as_of = report.as_of;
    let regions: Vec<RegionStatus> = report
        .rows
        .iter()
        .map(|r| region_status(r, report))
        .collect();
    let mut regions_unmet: Vec<RegionStatus> =
        regions.iter().filter(|r| r.unmet > 0).cloned().collect();
    regions_unmet.sort_by_key(|r| std::cmp::Reverse(r.unmet)); // stable: official order within
    // The fallback parent `合计` names no place: titles then name none, running text says 总体.
    let parent = crate::package::region_word(&report.parent).to_string();
    ProseContext {
        scope: if parent.is_empty() {
            "总体".to_string()
        } else {
            scope_of(&parent)
        },
        parent,
        level: report.level.id(),
        unit_name: unit_name(report.level),
        unit_word: report.level.unit_word(),
        unit_count: report.rows.len(),
        as_of: date_zh(as_of),
        as_of_md: format!("{}月{}日", as_of.month(), as_of.day()),
        period: gonggu_core::text::month_zh(as_of),
        year: as_of.year(),
        month: as_of.month(),
        issue_date: date_zh(meta.issue_date),
        issuing_office: meta.issuing_office.clone(),
        table_title: super::table_title(report, meta),
        has_previous: report.previous_as_of.is_some(),
        previous_as_of: report.previous_as_of.map(date_zh),
        indicator_count: indicators.len(),
        ranked_count: indicators.iter().filter(|f| f.ranked).count(),
        target_count: indicators.iter().filter(|f| f.target.is_some()).count(),
        red_cells: indicators.iter().map(|f| f.red.len()).sum(),
        yellow_cells: indicators.iter().map(|f| f.yellow.len()).sum(),
        red_regions: group_by_region(report, &red_lists),
        last_regions: group_by_region(report, &last_lists),
        moved_up: indicators.iter().flat_map(|f| f.up.clone()).collect(),
        moved_down: indicators.iter().flat_map(|f| f.down.clone()).collect(),
        improved_count: indicators
            .iter()
            .filter(|f| f.improved == Some(true))
            .count(),
        worsened_count: indicators
            .iter()
            .filter(|f| f.improved == Some(false))
            .count(),
        regions_all_met: regions
            .iter()
            .filter(|r| r.unmet == 0 && r.met > 0)
            .map(|r| r.region.clone())
            .collect(),
        regions_unmet,
        regions,
        total_status: region_status(&report.total, report),
        indicators,
        notes: report.notes.iter().filter_map(|n| for_readers(n)).collect(),
        sources: sources.to_vec(),
        quality: quality.to_vec(),
        quality_total: quality.iter().map(|q| q.count).sum(),
        basics: super::basics::facts(report),
    }
}
