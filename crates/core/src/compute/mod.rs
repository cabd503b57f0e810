//! From measures to the report of SPEC §7: indicator values, recomputed totals, 四舍五入,
//! competition ranking, targets and warnings, and changes against the previous period.
//!
//! The rules (SPEC §4.3), each tested below:
//! - a value is numerator ÷ denominator in exact decimals, rounded half away from zero to the
//!   displayed decimals; a zero denominator gives no value (`—`), not 0%;
//! - the total row is Σ numerators ÷ Σ denominators of the parent's tally, never a mean of
//!   unit rates;
//! - ranks are standard competition ranks ("1224") on the rounded value; rows keep the
//!   official order;
//! - an indicator whose measure is unavailable in the total is left out with a note;
//! - targets and warnings (红 / 黄) use the rounded value.

// `crate::Error` is larger than clippy's 128-byte limit for `Err` variants; shrinking it
// (boxing `Place`) belongs in error.rs, not in every caller.
#![allow(clippy::result_large_err)]

mod output;
mod rank;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::catalog::{Catalog, Comparison, Indicator, source_table};
use crate::error::{Error, Result};
use crate::measures::{self, Tally};
use crate::region::Level;

pub use output::{DASH, format_change, format_value, to_csv, to_json};
pub use rank::competition_ranks;

/// Warning levels (SPEC §4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningConfig {
    /// 黄 when a percentage target is met by less than this many percentage points
    /// (default 2).
    pub yellow_points: Decimal,
}

impl Default for WarningConfig {
    fn default() -> Self {
        WarningConfig {
            yellow_points: Decimal::from(2),
        }
    }
}

/// A cell's warning level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Warning {
    /// 红: target not met.
    Red,
    /// 黄: met, but by less than the yellow margin.
    Yellow,
}

impl Warning {
    /// `红` or `黄`.
    pub fn label(self) -> &'static str {
        match self {
            Warning::Red => "红",
            Warning::Yellow => "黄",
        }
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// One indicator of one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// Rounded value (a fraction for percentages: 24.41% → 0.2441).
    #[serde(serialize_with = "output::ser_opt_num")]
    pub value: Option<Decimal>,
    /// Numerator measure (for a count, the count).
    #[serde(serialize_with = "output::ser_opt_num")]
    pub numerator: Option<Decimal>,
    /// Denominator measure (none for a count).
    #[serde(serialize_with = "output::ser_opt_num")]
    pub denominator: Option<Decimal>,
    /// Display text (`24.41%`, `7232`, `—`).
    pub display: String,
    /// Competition rank among the units (none for the total, not-ranked indicators and
    /// missing values).
    pub rank: Option<u32>,
    /// Threshold that applies (a fraction for percentages), rounded like the value.
    #[serde(serialize_with = "output::ser_opt_num")]
    pub target: Option<Decimal>,
    /// Whether the rounded value meets the target.
    pub target_met: Option<bool>,
    /// 红 / 黄.
    pub warning: Option<Warning>,
    /// Value minus the previous period's value in the indicator's unit (percentage points
    /// for percentages: 0.0125 → 1.25).
    #[serde(serialize_with = "output::ser_opt_num")]
    pub change: Option<Decimal>,
    /// Rank in the previous period.
    pub previous_rank: Option<u32>,
    /// `↑2` (rank improved by 2), `↓1` or `持平`.
    pub rank_move: Option<String>,
    /// Value minus the value at the start of the year ([`Report::year_start`]), in the
    /// unit of `change` (较年初); not in the JSON of SPEC §7.
    #[serde(skip)]
    pub change_year: Option<Decimal>,
}

/// Where a cell stands against its target: the one reading every renderer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetStatus {
    /// The rounded value meets the target (达标).
    Met,
    /// The rounded value misses the target (未达标).
    NotMet,
    /// A target applies but there is no value to judge (无数据: a zero denominator).
    NoValue,
    /// No target applies (—).
    NoTarget,
}

impl Default for Cell {
    fn default() -> Cell {
        Cell::empty()
    }
}

impl TargetStatus {
    /// `达标` / `未达标` / `无数据` / `—`.
    pub fn label(self) -> &'static str {
        match self {
            TargetStatus::Met => "达标",
            TargetStatus::NotMet => "未达标",
            TargetStatus::NoValue => "无数据",
            TargetStatus::NoTarget => DASH,
        }
    }
}

impl Cell {
    /// The cell against its target.
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::compute::{Cell, TargetStatus};
    /// let mut c = Cell::default();
    /// assert_eq!(c.target_status(), TargetStatus::NoTarget);
    /// c.target = Some(1.into());
    /// assert_eq!(c.target_status(), TargetStatus::NoValue);
    /// c.target_met = Some(false);
    /// assert_eq!(c.target_status().label(), "未达标");
    /// ```
    pub fn target_status(&self) -> TargetStatus {
        match (self.target_met, self.target) {
            (Some(true), _) => TargetStatus::Met,
            (Some(false), _) => TargetStatus::NotMet,
            (None, Some(_)) => TargetStatus::NoValue,
            (None, None) => TargetStatus::NoTarget,
        }
    }

    /// A cell without any value (`—`).
    pub fn empty() -> Cell {
        Cell {
            value: None,
            numerator: None,
            denominator: None,
            display: DASH.to_string(),
            rank: None,
            target: None,
            target_met: None,
            warning: None,
            change: None,
            change_year: None,
            previous_rank: None,
            rank_move: None,
        }
    }
}

/// One region of the report (or the total).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Stable identity (the unit's key; the parent's name for the total).
    #[serde(skip)]
    pub key: String,
    /// Display name.
    pub region: String,
    /// Cells by indicator id.
    pub values: BTreeMap<String, Cell>,
    /// False for a region listed in the official order without any data.
    #[serde(skip)]
    pub has_data: bool,
}

impl Row {
    /// The cell of an indicator.
    pub fn cell(&self, id: &str) -> Option<&Cell> {
        self.values.get(id)
    }
}

/// A computed report: serializes to exactly the JSON of SPEC §7; `notes`,
/// `previous_as_of` and `params` are for renderers and not serialized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// As-of date (统计截止日).
    #[serde(serialize_with = "output::ser_date")]
    pub as_of: NaiveDate,
    /// Level of the ranked units.
    pub level: Level,
    /// The parent's name (total row label, `{地区}` of titles).
    pub parent: String,
    /// The indicators shown, in display order (full definitions; JSON has id, name, kind,
    /// decimals).
    #[serde(serialize_with = "output::ser_heads")]
    pub indicators: Vec<Indicator>,
    /// Units in official order.
    pub rows: Vec<Row>,
    /// The parent's row: recomputed from Σ numerators / Σ denominators, never ranked.
    pub total: Row,
    /// Notes for the reader, in Chinese (indicators left out, regions without data …).
    #[serde(skip)]
    pub notes: Vec<String>,
    /// The notes (also in [`notes`](Self::notes)) that say which indicators were left out
    /// and why.
    #[serde(skip)]
    pub left_out: Vec<String>,
    /// As-of date of the period compared with, if any.
    #[serde(skip)]
    pub previous_as_of: Option<NaiveDate>,
    /// The month the 较年初 changes are taken against (`2020年12月`: the last recorded month
    /// of the previous year), when [`compare_year_start`] filled them.
    #[serde(skip)]
    pub year_start: Option<String>,
    /// Parameter values used (`monitoring_line`).
    #[serde(skip)]
    pub params: BTreeMap<String, Decimal>,
    /// The parameters' Chinese names, from the catalog in use (`monitoring_line` →
    /// `防返贫监测收入标准`), so targets are described in the user's words.
    #[serde(skip)]
    pub param_names: BTreeMap<String, String>,
    /// The headline counts of the same units (脱贫户, 监测对象 by category, 务工 by
    /// destination …) for the 基本情况 part of the documents, with their own previous
    /// period; `None` when not asked for or when the inputs support none of them.
    #[serde(skip)]
    pub basics: Option<Box<Report>>,
    /// The headline indicators' course over the recorded months (`gonggu run` fills it from
    /// the history; `None` otherwise), for the brief's trend chart.
    #[serde(skip)]
    pub trend: Option<Trend>,
}

/// Indicators over the recorded months: the total and the units furthest from target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trend {
    /// Month labels, oldest first (`2021年9月`); the last is the report's own month.
    pub months: Vec<String>,
    /// One series per headline indicator.
    pub series: Vec<TrendSeries>,
}

/// One indicator's lines in a [`Trend`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendSeries {
    /// The indicator's id (its definition is in [`Report::indicators`]).
    pub indicator: String,
    /// The total first, then the units.
    pub lines: Vec<TrendLine>,
}

/// One line of a [`TrendSeries`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendLine {
    /// The region's name.
    pub label: String,
    /// Whether this is the parent's total.
    pub total: bool,
    /// Value per month (stored values: fractions for percentages); `None` where not recorded.
    pub values: Vec<Option<Decimal>>,
    /// Display per month (`24.41%`), `—` where not recorded.
    pub displays: Vec<String>,
}

impl Report {
    /// The indicator shown under this id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The county of each row when the units are towns of more than one county (a city's
    /// town ranking): readers need it to know where a town lies. `None` otherwise.
    pub fn unit_counties(&self) -> Option<Vec<String>> {
        if self.level != Level::Town {
            return None;
        }
        let counties: Vec<String> = self
            .rows
            .iter()
            .map(|r| r.key.split('/').next().unwrap_or("").to_string())
            .collect();
        let first = counties.first()?;
        counties.iter().any(|c| c != first).then_some(counties)
    }

    /// The rows ordered by an indicator's rank (best first; unranked rows last, in official
    /// order) — the "sort by indicator" option. Rows keep official order for an unknown id.
    pub fn rows_by_rank(&self, id: &str) -> Vec<&Row> {
        let mut rows: Vec<&Row> = self.rows.iter().collect();
        rows.sort_by_key(|r| r.cell(id).and_then(|c| c.rank).unwrap_or(u32::MAX));
        rows
    }
}

/// One ranked unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitInput {
    /// Stable identity (region path, e.g. `夏邑县/城关镇`); matches the previous period.
    pub key: String,
    /// Display name.
    pub label: String,
    /// The unit's measures.
    pub tally: Tally,
    /// Per-region thresholds from a 目标 table: indicator id → threshold (a fraction for
    /// percentages). They replace the catalog's threshold for this unit.
    pub targets: BTreeMap<String, Decimal>,
    /// False: listed in the official order but without data; every value is `—`.
    pub has_data: bool,
}

/// Everything [`build_report`] needs.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// Indicator definitions.
    pub catalog: &'a Catalog,
    /// Indicator ids in display order.
    pub selection: Vec<String>,
    /// Level of the units.
    pub level: Level,
    /// The parent's name.
    pub parent: String,
    /// As-of date (decides date-scheduled targets).
    pub as_of: NaiveDate,
    /// Units, already in official order.
    pub units: Vec<UnitInput>,
    /// The parent's measures (Σ over all records, including those without a unit).
    pub total: Tally,
    /// Run-time parameters (`monitoring_line`); the catalog's defaults fill the rest.
    pub params: BTreeMap<String, Decimal>,
    /// Warning levels.
    pub warning: WarningConfig,
    /// The previous period's report, for changes and rank moves.
    pub previous: Option<&'a Report>,
}

/// Numerator, denominator and rounded value of one indicator from one tally.
fn evaluate(ind: &Indicator, tally: &Tally) -> (Option<Decimal>, Option<Decimal>, Option<Decimal>) {
    let num = tally.get(&ind.numerator);
    let den = ind.denominator.as_ref().and_then(|d| tally.get(d));
    let value = match (num, ind.denominator.is_some()) {
        (Some(n), false) => ind.value_of(n, None),
        (Some(n), true) => den.and_then(|d| ind.value_of(n, Some(d))),
        (None, _) => None,
    };
    (num, den, value)
}

/// Fills a cell's target status.
fn judge(
    cell: &mut Cell,
    ind: &Indicator,
    threshold: Option<Decimal>,
    cmp: Comparison,
    warning: &WarningConfig,
) {
    cell.target = threshold.map(|t| ind.round(t));
    let (Some(v), Some(t)) = (cell.value, cell.target) else {
        return;
    };
    let met = cmp.holds(v, t);
    cell.target_met = Some(met);
    cell.warning = if !met {
        Some(Warning::Red)
    } else if ind.kind.is_percent() && near_line(v, t, cmp, warning) {
        Some(Warning::Yellow)
    } else {
        None
    };
}

/// Met by less than the yellow margin. A value of 100% or more against a "≥" target is
/// complete and never 黄 (otherwise every county at 100% of a 100% target would be flagged).
fn near_line(v: Decimal, t: Decimal, cmp: Comparison, warning: &WarningConfig) -> bool {
    let upward = matches!(cmp, Comparison::AtLeast | Comparison::Above);
    if upward && v >= Decimal::ONE {
        return false;
    }
    let margin = warning.yellow_points / Decimal::ONE_HUNDRED;
    cmp.margin(v, t) < margin
}

/// Value minus an earlier value in the indicator's unit (percentage points for
/// percentages), rounded like the indicator; `None` when either is missing.
fn difference(ind: &Indicator, now: Option<Decimal>, before: Option<Decimal>) -> Option<Decimal> {
    let (v, pv) = (now?, before?);
    let diff = if ind.kind.is_percent() {
        (v - pv) * Decimal::ONE_HUNDRED
    } else {
        v - pv
    };
    let diff = diff.round_dp_with_strategy(
        ind.decimals,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    Some(if diff.is_zero() { Decimal::ZERO } else { diff })
}

/// Fills the 较年初 changes of a report against `base`, the report of the last recorded
/// month of the previous year (`label`, `2020年12月`): each unit's cell against the same
/// unit's (by key, else by name), the total against the total.
pub fn compare_year_start(report: &mut Report, base: &Report, label: &str) {
    let indicators = report.indicators.clone();
    for row in &mut report.rows {
        let before = previous_row(Some(base), &row.key, &row.region);
        for ind in &indicators {
            if let Some(cell) = row.values.get_mut(&ind.id) {
                let then = before.and_then(|b| b.cell(&ind.id)).and_then(|c| c.value);
                cell.change_year = difference(ind, cell.value, then);
            }
        }
    }
    for ind in &indicators {
        if let Some(cell) = report.total.values.get_mut(&ind.id) {
            let then = base.total.cell(&ind.id).and_then(|c| c.value);
            cell.change_year = difference(ind, cell.value, then);
        }
    }
    report.year_start = Some(label.to_string());
}

/// Fills a cell's change and rank move against the previous period's cell.
fn compare(cell: &mut Cell, ind: &Indicator, prev: Option<&Cell>) {
    let Some(prev) = prev else {
        return;
    };
    cell.change = difference(ind, cell.value, prev.value);
    cell.previous_rank = prev.rank;
    if let (Some(now), Some(before)) = (cell.rank, prev.rank) {
        cell.rank_move = Some(match before.cmp(&now) {
            std::cmp::Ordering::Greater => format!("↑{}", before - now),
            std::cmp::Ordering::Less => format!("↓{}", now - before),
            std::cmp::Ordering::Equal => "持平".to_string(),
        });
    }
}

/// The previous period's row of a unit: by key, else by display name.
fn previous_row<'r>(previous: Option<&'r Report>, key: &str, label: &str) -> Option<&'r Row> {
    let p = previous?;
    p.rows
        .iter()
        .find(|r| !key.is_empty() && r.key == key)
        .or_else(|| p.rows.iter().find(|r| r.region == label))
}

/// Builds the report of SPEC §7 from the units' measures.
///
/// # Errors
/// [`Error::Catalog`] when the selection names an indicator the catalog does not have.
///
/// # Examples
/// ```
/// use std::collections::BTreeMap;
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// use gonggu_core::catalog::Catalog;
/// use gonggu_core::compute::{build_report, to_json, ReportInput, UnitInput, WarningConfig};
/// use gonggu_core::measures::Tally;
/// use gonggu_core::region::Level;
///
/// let tally = |loans: i64, covered: i64| {
///     let mut t = Tally::default();
///     t.add("loan_balance_households", Decimal::from(loans));
///     t.add("covered_households", Decimal::from(covered));
///     t
/// };
/// let unit = |name: &str, t: Tally| UnitInput {
///     key: name.into(), label: name.into(), tally: t, targets: BTreeMap::new(), has_data: true,
/// };
/// let catalog = Catalog::builtin().unwrap();
/// let report = build_report(ReportInput {
///     catalog: &catalog,
///     selection: vec!["loan_household_rate".into()],
///     level: Level::County,
///     parent: "商丘市".into(),
///     as_of: NaiveDate::from_ymd_opt(2021, 12, 11).unwrap(),
///     units: vec![unit("永城市", tally(2441, 10000)), unit("夏邑县", tally(300, 1000))],
///     total: tally(2741, 11000),
///     params: BTreeMap::new(),
///     warning: WarningConfig::default(),
///     previous: None,
/// })
/// .unwrap();
/// let cell = report.rows[0].cell("loan_household_rate").unwrap();
/// assert_eq!((cell.display.as_str(), cell.rank), ("24.41%", Some(2)));
/// assert_eq!(report.total.cell("loan_household_rate").unwrap().display, "24.92%");
/// assert!(to_json(&report).contains("\"value\": 0.2441"));
/// ```
pub fn build_report(input: ReportInput<'_>) -> Result<Report> {
    build_report_explained(input, &|_| None)
}

/// [`build_report`], with an explanation of why measures are unavailable: `explain` gets the
/// measures an indicator lacks and returns a phrase naming what the user must supply (e.g.
/// `人员表中没有可识别的「是否持证」列（…）`), or `None`, and the indicator is explained by
/// the source table of its first missing measure (`未提供项目表（缺少：已开工项目数）`).
///
/// # Errors
/// As [`build_report`].
///
/// # Examples
/// ```
/// use std::collections::BTreeMap;
/// use chrono::NaiveDate;
/// use gonggu_core::catalog::Catalog;
/// use gonggu_core::compute::{build_report_explained, ReportInput, WarningConfig};
/// use gonggu_core::measures::Tally;
/// use gonggu_core::region::Level;
/// let catalog = Catalog::builtin().unwrap();
/// let mut total = Tally::default();
/// total.add("labor_persons", 10.into());
/// let why = |missing: &[&str]| {
///     (missing == ["certified_persons"]).then(|| "人员表中没有可识别的「是否持证」列".to_string())
/// };
/// let report = build_report_explained(
///     ReportInput {
///         catalog: &catalog,
///         selection: vec!["certificate_rate".into()],
///         level: Level::Town,
///         parent: "夏邑县".into(),
///         as_of: NaiveDate::from_ymd_opt(2021, 11, 30).unwrap(),
///         units: vec![],
///         total,
///         params: BTreeMap::new(),
///         warning: WarningConfig::default(),
///         previous: None,
///     },
///     &why,
/// )
/// .unwrap();
/// assert!(report.indicators.is_empty());
/// assert_eq!(report.left_out, ["人员表中没有可识别的「是否持证」列，略去指标：持证率"]);
/// ```
pub fn build_report_explained(
    input: ReportInput<'_>,
    explain: &dyn Fn(&[&str]) -> Option<String>,
) -> Result<Report> {
    let ReportInput {
        catalog,
        selection,
        level,
        parent,
        as_of,
        units,
        total,
        params: run_params,
        warning,
        previous,
    } = input;
    let mut params = catalog.param_defaults();
    params.extend(run_params);
    let mut notes = Vec::new();

    // Which indicators can be shown: every measure they need must be available.
    let mut shown: Vec<Indicator> = Vec::new();
    // (reason, missing measure names when the reason is only a table, indicator names left
    // out), in first-seen order.
    let mut left_out: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for id in &selection {
        if seen.contains(&id.as_str()) {
            continue;
        }
        seen.push(id);
        let ind = catalog.get(id).ok_or_else(|| {
            Error::Catalog(format!(
                "{}：所选指标「{id}」不在指标目录中（运行 gonggu indicators 可查看全部指标）",
                catalog.origin
            ))
        })?;
        let missing: Vec<&str> = ind
            .measures()
            .into_iter()
            .filter(|m| total.get(m).is_none())
            .collect();
        if missing.is_empty() {
            shown.push(ind.clone());
            continue;
        }
        let (key, unexplained) = match explain(&missing) {
            Some(reason) => (reason, Vec::new()),
            None => (
                format!(
                    "未提供{}",
                    measures::by_id(missing[0]).map_or("相关数据", |m| source_table(m.source))
                ),
                missing.clone(),
            ),
        };
        let at = match left_out.iter().position(|g| g.0 == key) {
            Some(at) => at,
            None => {
                left_out.push((key, Vec::new(), Vec::new()));
                left_out.len() - 1
            }
        };
        let Some(group) = left_out.get_mut(at) else {
            continue;
        };
        for m in &unexplained {
            let name = measures::by_id(m).map_or((*m).to_string(), |d| d.name.to_string());
            if !group.1.contains(&name) {
                group.1.push(name);
            }
        }
        group.2.push(ind.name.clone());
    }
    let left_out: Vec<String> = left_out
        .iter()
        .map(|(reason, missing, names)| {
            let listed = if missing.is_empty() {
                String::new()
            } else {
                format!("（缺少：{}）", missing.join("、"))
            };
            format!("{reason}{listed}，略去指标：{}", names.join("、"))
        })
        .collect();
    notes.extend(left_out.iter().cloned());

    // Unit cells, then ranks per indicator.
    let mut rows: Vec<Row> = units
        .iter()
        .map(|u| Row {
            key: u.key.clone(),
            region: u.label.clone(),
            values: BTreeMap::new(),
            has_data: u.has_data,
        })
        .collect();
    let prev_row = |key: &str, label: &str| previous_row(previous, key, label);
    for ind in &shown {
        let cmp = Comparison::default_for(ind);
        let base_threshold = ind.target.as_ref().and_then(|t| t.resolve(as_of, &params));
        let mut cells: Vec<Cell> = units
            .iter()
            .map(|u| {
                let mut cell = Cell::empty();
                if u.has_data {
                    let (num, den, value) = evaluate(ind, &u.tally);
                    cell.numerator = num;
                    cell.denominator = den;
                    cell.value = value;
                    cell.display = format_value(ind, value);
                }
                let threshold = u.targets.get(&ind.id).copied().or(base_threshold);
                judge(&mut cell, ind, threshold, cmp, &warning);
                cell
            })
            .collect();
        let values: Vec<Option<Decimal>> = cells.iter().map(|c| c.value).collect();
        for (cell, rank) in cells
            .iter_mut()
            .zip(competition_ranks(&values, ind.direction))
        {
            cell.rank = rank;
        }
        for ((row, unit), mut cell) in rows.iter_mut().zip(&units).zip(cells) {
            let prev = prev_row(&unit.key, &unit.label).and_then(|r| r.cell(&ind.id));
            compare(&mut cell, ind, prev);
            row.values.insert(ind.id.clone(), cell);
        }
    }

    // The total: recomputed from the parent's own sums, never averaged.
    let mut total_row = Row {
        key: parent.clone(),
        region: parent.clone(),
        values: BTreeMap::new(),
        has_data: true,
    };
    for ind in &shown {
        let mut cell = Cell::empty();
        let (num, den, value) = evaluate(ind, &total);
        cell.numerator = num;
        cell.denominator = den;
        cell.value = value;
        cell.display = format_value(ind, value);
        let threshold = ind.target.as_ref().and_then(|t| t.resolve(as_of, &params));
        judge(
            &mut cell,
            ind,
            threshold,
            Comparison::default_for(ind),
            &warning,
        );
        compare(&mut cell, ind, previous.and_then(|p| p.total.cell(&ind.id)));
        total_row.values.insert(ind.id.clone(), cell);
    }

    let without_data: Vec<&str> = units
        .iter()
        .filter(|u| !u.has_data)
        .map(|u| u.label.as_str())
        .collect();
    if !without_data.is_empty() {
        notes.push(format!(
            "以下{}没有数据，显示为“—”：{}",
            level.unit_word(),
            without_data.join("、")
        ));
    }
    if let [only] = units.as_slice() {
        let hint = match level.child() {
            Some(child) => format!("，可改按{}统计排名", child.unit_word()),
            None => String::new(),
        };
        notes.push(format!(
            "本级只有一个{}（{}）{hint}。",
            level.unit_word(),
            only.label
        ));
    }
    if let Some(p) = previous {
        let unmatched: Vec<&str> = units
            .iter()
            .filter(|u| u.has_data && prev_row(&u.key, &u.label).is_none())
            .map(|u| u.label.as_str())
            .collect();
        if !unmatched.is_empty() {
            notes.push(format!(
                "上期（{}）数据中没有：{}，不计算变化。",
                p.as_of.format("%Y-%m-%d"),
                unmatched.join("、")
            ));
        }
    }

    Ok(Report {
        as_of,
        level,
        parent,
        indicators: shown,
        rows,
        total: total_row,
        notes,
        previous_as_of: previous.map(|p| p.as_of),
        year_start: None,
        left_out,
        params,
        param_names: catalog
            .params
            .iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect(),
        basics: None,
        trend: None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
