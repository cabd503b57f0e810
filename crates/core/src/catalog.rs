//! The indicator catalog (SPEC §4.2): indicator definitions as data.
//!
//! Indicators are formulas over measures ([`crate::measures`]). Their definitions — Chinese
//! name, kind, numerator and denominator, decimals, ranking direction, target — live in
//! `crates/core/templates/indicators.toml`, which is built into the binary and can be replaced or
//! extended by a user's file, so that names, formulas and targets change without
//! recompiling. Every measure is also a count indicator of the same id.
//!
//! Target syntax (`target = …` in an `[[indicator]]` entry):
//!
//! | TOML | meaning |
//! |---|---|
//! | `{ min = 0.6 }` or `{ min = "60%" }` | value ≥ 60% |
//! | `{ above = 7500 }` / `{ max = … }` / `{ below = … }` | value > / ≤ / < the number |
//! | `{ above_param = "monitoring_line" }` | value > a run-time parameter (`[params]`); also `min_param`, `max_param`, `below_param` |
//! | `{ schedule = [{ from = "06-30", min = 0.5 }, …], before = "elapsed_months" }` | by as-of date: the last step whose `from` (月-日) is on or before the as-of date; before the first step `elapsed_months` (as-of month ÷ 12), a number, or nothing |

// `crate::Error` is larger than clippy's 128-byte limit for `Err` variants; shrinking it
// (boxing `Place`) belongs in error.rs, not in every caller.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use toml::{Table, Value};

use crate::error::{Error, Result};
use crate::measures::{self, MeasureSource};

/// The built-in catalog text.
const BUILTIN: &str = include_str!("../templates/indicators.toml");

/// Largest number of decimals an indicator may show.
const MAX_DECIMALS: u32 = 6;

/// What an indicator is, which decides how it is computed and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A measure as it is (`7232`).
    Count,
    /// Numerator ÷ denominator, shown as a percentage (`24.41%`).
    Ratio,
    /// Numerator ÷ denominator, shown as a number in the indicator's unit (`10409`).
    PerCapita,
    /// Numerator ÷ denominator of a progress (money spent), shown as a percentage.
    Progress,
}

impl Kind {
    /// The id used in TOML and JSON (`count`, `ratio`, `per_capita`, `progress`).
    pub fn id(self) -> &'static str {
        match self {
            Kind::Count => "count",
            Kind::Ratio => "ratio",
            Kind::PerCapita => "per_capita",
            Kind::Progress => "progress",
        }
    }

    /// Chinese label (`计数`, `比率`, `人均`, `进度`).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Count => "计数",
            Kind::Ratio => "比率",
            Kind::PerCapita => "人均",
            Kind::Progress => "进度",
        }
    }

    /// Parses an id or Chinese label.
    pub fn parse(text: &str) -> Option<Kind> {
        match text.trim() {
            "count" | "计数" => Some(Kind::Count),
            "ratio" | "比率" => Some(Kind::Ratio),
            "per_capita" | "per-capita" | "人均" => Some(Kind::PerCapita),
            "progress" | "进度" => Some(Kind::Progress),
            _ => None,
        }
    }

    /// Whether values are fractions shown as percentages (ratio and progress).
    pub fn is_percent(self) -> bool {
        matches!(self, Kind::Ratio | Kind::Progress)
    }
}

/// Ranking direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Larger values rank first.
    HigherBetter,
    /// Smaller values rank first.
    LowerBetter,
    /// Not ranked (rank is null).
    NotRanked,
}

impl Direction {
    /// Parses `higher` / `lower` / `none` (also `higher_better`, `lower_better`,
    /// `not_ranked` and the Chinese labels).
    pub fn parse(text: &str) -> Option<Direction> {
        match text.trim() {
            "higher" | "higher_better" | "越高越好" => Some(Direction::HigherBetter),
            "lower" | "lower_better" | "越低越好" => Some(Direction::LowerBetter),
            "none" | "not_ranked" | "不排名" => Some(Direction::NotRanked),
            _ => None,
        }
    }

    /// Chinese label (`越高越好`, `越低越好`, `不排名`).
    pub fn label(self) -> &'static str {
        match self {
            Direction::HigherBetter => "越高越好",
            Direction::LowerBetter => "越低越好",
            Direction::NotRanked => "不排名",
        }
    }
}

/// How a value is compared with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// value ≥ threshold (`min`).
    AtLeast,
    /// value > threshold (`above`).
    Above,
    /// value ≤ threshold (`max`).
    AtMost,
    /// value < threshold (`below`).
    Below,
}

impl Comparison {
    /// Whether `value` meets `threshold`.
    pub fn holds(self, value: Decimal, threshold: Decimal) -> bool {
        match self {
            Comparison::AtLeast => value >= threshold,
            Comparison::Above => value > threshold,
            Comparison::AtMost => value <= threshold,
            Comparison::Below => value < threshold,
        }
    }

    /// How far `value` is on the good side of `threshold` (negative when not met).
    pub fn margin(self, value: Decimal, threshold: Decimal) -> Decimal {
        match self {
            Comparison::AtLeast | Comparison::Above => value - threshold,
            Comparison::AtMost | Comparison::Below => threshold - value,
        }
    }

    /// The sign shown in descriptions (`≥`, `>`, `≤`, `<`).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => "≥",
            Comparison::Above => ">",
            Comparison::AtMost => "≤",
            Comparison::Below => "<",
        }
    }

    /// The comparison a bare threshold (a region's 目标 cell) means for an indicator:
    /// the catalog's own comparison if it has a target, else `≤` for lower-is-better
    /// indicators and `≥` for the rest.
    pub fn default_for(ind: &Indicator) -> Comparison {
        match (&ind.target, ind.direction) {
            (Some(t), _) => t.comparison,
            (None, Direction::LowerBetter) => Comparison::AtMost,
            (None, _) => Comparison::AtLeast,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Comparison::AtLeast => "min",
            Comparison::Above => "above",
            Comparison::AtMost => "max",
            Comparison::Below => "below",
        }
    }

    const ALL: [Comparison; 4] = [
        Comparison::AtLeast,
        Comparison::Above,
        Comparison::AtMost,
        Comparison::Below,
    ];
}

/// One step of a date schedule: from this 月-日 of the as-of year on, the threshold applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleStep {
    /// Month (1–12).
    pub month: u32,
    /// Day of month.
    pub day: u32,
    /// The threshold from that day on (fraction for percentages).
    pub threshold: Decimal,
}

/// The threshold of a schedule before its first step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Before {
    /// No target before the first step.
    Nothing,
    /// Time-elapsed share: as-of month ÷ 12 (时序进度).
    ElapsedMonths,
    /// A fixed threshold.
    Fixed(Decimal),
}

/// Where a target's threshold comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Threshold {
    /// A number (fraction for percentages).
    Fixed(Decimal),
    /// A run-time parameter by id (`monitoring_line`).
    Param(String),
    /// Depends on the as-of date.
    Schedule {
        /// Steps in date order.
        steps: Vec<ScheduleStep>,
        /// What applies before the first step.
        before: Before,
    },
}

/// A target of an indicator: a comparison and where its threshold comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetSpec {
    /// How the value is compared.
    pub comparison: Comparison,
    /// The threshold.
    pub threshold: Threshold,
}

impl TargetSpec {
    /// The threshold that applies on `as_of`, unrounded; `None` when the target does not
    /// apply yet (a schedule without `before`) or names a parameter absent from `params`.
    ///
    /// # Examples
    /// ```
    /// use std::collections::BTreeMap;
    /// use chrono::NaiveDate;
    /// use gonggu_core::catalog::Catalog;
    /// let catalog = Catalog::builtin().unwrap();
    /// let spec = catalog.get("fund_spend_progress").unwrap().target.clone().unwrap();
    /// let d = |m, d| NaiveDate::from_ymd_opt(2023, m, d).unwrap();
    /// let t = |date| spec.resolve(date, &BTreeMap::new()).unwrap().to_string();
    /// assert_eq!(t(d(6, 30)), "0.5");
    /// assert_eq!(t(d(12, 31)), "1");
    /// ```
    pub fn resolve(&self, as_of: NaiveDate, params: &BTreeMap<String, Decimal>) -> Option<Decimal> {
        match &self.threshold {
            Threshold::Fixed(v) => Some(*v),
            Threshold::Param(p) => params.get(p).copied(),
            Threshold::Schedule { steps, before } => {
                let today = (as_of.month(), as_of.day());
                let step = steps.iter().rev().find(|s| (s.month, s.day) <= today);
                match (step, before) {
                    (Some(s), _) => Some(s.threshold),
                    (None, Before::Nothing) => None,
                    (None, Before::ElapsedMonths) => {
                        Decimal::from(as_of.month()).checked_div(Decimal::from(12))
                    }
                    (None, Before::Fixed(v)) => Some(*v),
                }
            }
        }
    }

    /// The target in words for the `指标说明` sheet (`≥60.0%`, `>防返贫监测收入标准（7500元）`,
    /// `6月30日起≥50.00%；…`).
    pub fn describe(&self, ind: &Indicator, params: &[Param]) -> String {
        let sym = self.comparison.symbol();
        let num = |v: Decimal| describe_number(ind, v);
        match &self.threshold {
            Threshold::Fixed(v) => format!("{sym}{}", num(*v)),
            Threshold::Param(p) => match params.iter().find(|x| &x.id == p) {
                Some(x) => format!("{sym}{}（默认{}{}）", x.name, num(x.default), ind.unit),
                None => format!("{sym}{p}"),
            },
            Threshold::Schedule { steps, before } => {
                let mut parts = Vec::new();
                match before {
                    Before::Nothing => {}
                    Before::ElapsedMonths => parts.push(format!("{sym}时序进度（截止月份÷12）")),
                    Before::Fixed(v) => parts.push(format!("{sym}{}", num(*v))),
                }
                for s in steps {
                    parts.push(format!(
                        "{}月{}日起{sym}{}",
                        s.month,
                        s.day,
                        num(s.threshold)
                    ));
                }
                parts.join("；")
            }
        }
    }
}

fn describe_number(ind: &Indicator, v: Decimal) -> String {
    if ind.kind.is_percent() {
        let pct = (v * Decimal::ONE_HUNDRED).normalize();
        format!("{pct}%")
    } else {
        v.normalize().to_string()
    }
}

/// A run-time parameter that targets may refer to (`monitoring_line`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Id used in `above_param = "…"` and in the configuration.
    pub id: String,
    /// Chinese name for descriptions.
    pub name: String,
    /// Value used when the run does not supply one.
    pub default: Decimal,
}

/// One indicator definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// Stable id (`loan_household_rate`).
    pub id: String,
    /// Chinese name, the column head (`总贷款余额户贷率`).
    pub name: String,
    /// Kind.
    pub kind: Kind,
    /// Numerator measure id (for a count, the measure itself).
    pub numerator: String,
    /// Denominator measure id (none for a count).
    pub denominator: Option<String>,
    /// Unit (`%` for ratios and progress; `元`, `户`, `人`, `万元` …).
    pub unit: String,
    /// Decimals shown; for percentages the decimals of the percentage (2 → `24.41%`).
    pub decimals: u32,
    /// Ranking direction.
    pub direction: Direction,
    /// Default target, if any.
    pub target: Option<TargetSpec>,
    /// Formula in words (Chinese).
    pub formula: String,
    /// Data source (数据来源, Chinese).
    pub source: String,
    /// Whether this entry was generated from a measure rather than written in the TOML.
    pub generated: bool,
}

impl Indicator {
    /// The measure ids this indicator needs (numerator, then denominator).
    pub fn measures(&self) -> Vec<&str> {
        let mut out = vec![self.numerator.as_str()];
        if let Some(d) = &self.denominator {
            out.push(d.as_str());
        }
        out
    }

    /// Decimals of the stored value: a percentage with 2 decimals is a fraction with 4.
    pub fn value_scale(&self) -> u32 {
        if self.kind.is_percent() {
            self.decimals + 2
        } else {
            self.decimals
        }
    }

    /// Rounds a value 四舍五入 (half away from zero) to what is displayed.
    ///
    /// # Examples
    /// ```
    /// use rust_decimal::Decimal;
    /// use gonggu_core::catalog::Catalog;
    /// let catalog = Catalog::builtin().unwrap();
    /// let rate = catalog.get("project_start_rate").unwrap();
    /// assert_eq!(rate.round(Decimal::new(98805, 5)).to_string(), "0.9881");
    /// ```
    pub fn round(&self, v: Decimal) -> Decimal {
        v.round_dp_with_strategy(self.value_scale(), RoundingStrategy::MidpointAwayFromZero)
    }

    /// The value from a numerator and a denominator (or the numerator alone for a count),
    /// rounded; `None` for a zero denominator.
    pub fn value_of(&self, numerator: Decimal, denominator: Option<Decimal>) -> Option<Decimal> {
        match (self.kind, denominator) {
            (Kind::Count, _) => Some(self.round(numerator)),
            (_, Some(d)) if !d.is_zero() => numerator.checked_div(d).map(|q| self.round(q)),
            _ => None,
        }
    }
}

/// The reports a catalog's `[selection]` chooses indicators for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    /// `gonggu compute`.
    Compute,
    /// `gonggu notice` (通报).
    Notice,
    /// `gonggu brief` (简报).
    Brief,
    /// `gonggu evaluate` (后评估).
    Evaluate,
}

impl ReportKind {
    /// The key in `[selection]` and `[reports]` (`compute`, `notice`, `brief`, `evaluate`).
    pub fn id(self) -> &'static str {
        match self {
            ReportKind::Compute => "compute",
            ReportKind::Notice => "notice",
            ReportKind::Brief => "brief",
            ReportKind::Evaluate => "evaluate",
        }
    }
}

/// The indicator catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// Indicators: the TOML entries in file order, then one count per measure not defined
    /// there.
    pub indicators: Vec<Indicator>,
    /// Default indicator ids per report (`compute`, `notice`, `brief`, `evaluate`).
    pub selections: BTreeMap<String, Vec<String>>,
    /// Run-time parameters with their defaults.
    pub params: Vec<Param>,
    /// Where the catalog came from (`内置指标目录` or a file name), for messages.
    pub origin: String,
}

/// One file's content before the cross-checks of [`Catalog::assemble`].
struct Parsed {
    indicators: Vec<Indicator>,
    selections: BTreeMap<String, Vec<String>>,
    params: Vec<Param>,
}

impl Catalog {
    /// The built-in catalog (`crates/core/templates/indicators.toml`).
    ///
    /// # Errors
    /// Only if the built-in file is broken, which a test rules out.
    pub fn builtin() -> Result<Catalog> {
        Catalog::from_toml(BUILTIN, "内置指标目录")
    }

    /// The text of the built-in catalog, for users who want to copy and edit it.
    pub fn builtin_toml() -> &'static str {
        BUILTIN
    }

    /// Reads a complete catalog from TOML text; `origin` names it in messages (a file name).
    ///
    /// # Errors
    /// [`Error::Catalog`] with a Chinese message naming `origin` and the entry for: invalid
    /// TOML, unknown fields, an unknown measure id, a duplicate indicator id, a bad `kind`,
    /// `direction` or `target`, a ratio without denominator, a selection naming an unknown
    /// indicator, a target naming an undeclared parameter.
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::catalog::{Catalog, Kind};
    /// let text = r#"
    /// [[indicator]]
    /// id = "overdue_rate"
    /// name = "逾期率"
    /// kind = "ratio"
    /// numerator = "overdue_households"
    /// denominator = "loan_balance_households"
    /// decimals = 2
    /// direction = "lower"
    /// target = { max = "1%" }
    /// "#;
    /// let c = Catalog::from_toml(text, "my.toml").unwrap();
    /// assert_eq!(c.get("overdue_rate").unwrap().kind, Kind::Ratio);
    /// assert!(c.get("tuopin_households").is_some()); // every measure is a count
    ///
    /// let bad = text.replace("overdue_households", "overdue_hh");
    /// let err = Catalog::from_toml(&bad, "my.toml").unwrap_err().to_string();
    /// assert!(err.contains("my.toml") && err.contains("overdue_hh"));
    /// ```
    pub fn from_toml(text: &str, origin: &str) -> Result<Catalog> {
        let parsed = parse(text, origin)?;
        assemble(parsed, origin)
    }

    /// This catalog with the entries of another file laid over it: an indicator with an
    /// existing id replaces it, a new one is appended; `[selection]` lists and `[params]`
    /// replace those of the same name.
    ///
    /// # Errors
    /// As [`Catalog::from_toml`].
    pub fn overlay_toml(&self, text: &str, origin: &str) -> Result<Catalog> {
        let extra = parse(text, origin)?;
        let mut indicators: Vec<Indicator> = self
            .indicators
            .iter()
            .filter(|i| !i.generated)
            .cloned()
            .collect();
        for ind in extra.indicators {
            match indicators.iter_mut().find(|i| i.id == ind.id) {
                Some(slot) => *slot = ind,
                None => indicators.push(ind),
            }
        }
        let mut selections = self.selections.clone();
        selections.extend(extra.selections);
        let mut params = self.params.clone();
        for p in extra.params {
            match params.iter_mut().find(|x| x.id == p.id) {
                Some(slot) => *slot = p,
                None => params.push(p),
            }
        }
        let origin = format!("{}＋{origin}", self.origin);
        assemble(
            Parsed {
                indicators,
                selections,
                params,
            },
            &origin,
        )
    }

    /// The indicator with this id.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// Default indicator ids of a report. A report without its own list uses the `compute`
    /// list, else every indicator written in the TOML.
    pub fn selection(&self, report: ReportKind) -> Vec<String> {
        if let Some(list) = self
            .selections
            .get(report.id())
            .or_else(|| self.selections.get(ReportKind::Compute.id()))
        {
            return list.clone();
        }
        self.indicators
            .iter()
            .filter(|i| !i.generated)
            .map(|i| i.id.clone())
            .collect()
    }

    /// The default of one parameter (`monitoring_line`).
    pub fn param(&self, id: &str) -> Option<Decimal> {
        self.params.iter().find(|p| p.id == id).map(|p| p.default)
    }

    /// Parameter defaults by id.
    pub fn param_defaults(&self) -> BTreeMap<String, Decimal> {
        self.params
            .iter()
            .map(|p| (p.id.clone(), p.default))
            .collect()
    }
}

/// Chinese name of a measure source table, as used in notes.
pub fn source_table(source: MeasureSource) -> &'static str {
    match source {
        MeasureSource::Roster => "人员表",
        MeasureSource::Projects => "项目表",
        MeasureSource::Loans => "小额信贷台账",
        MeasureSource::Targets => "目标表",
        MeasureSource::WorkSpells => "已外出务工信息表",
        MeasureSource::PlannedWork => "计划外出务工信息表",
        MeasureSource::Villages => "行政村信息表",
    }
}

fn catalog_err(origin: &str, msg: impl std::fmt::Display) -> Error {
    Error::Catalog(format!("{origin}：{msg}"))
}

const INDICATOR_KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "numerator",
    "denominator",
    "unit",
    "decimals",
    "direction",
    "target",
    "formula",
    "source",
];

fn parse(text: &str, origin: &str) -> Result<Parsed> {
    let table = Table::from_str(text)
        .map_err(|e| catalog_err(origin, format!("不是有效的 TOML 文件：{e}")))?;
    let mut parsed = Parsed {
        indicators: Vec::new(),
        selections: BTreeMap::new(),
        params: Vec::new(),
    };
    for (key, value) in &table {
        match key.as_str() {
            "indicator" => {
                let Value::Array(entries) = value else {
                    return Err(catalog_err(
                        origin,
                        "「indicator」应写成 [[indicator]] 表数组",
                    ));
                };
                for (i, entry) in entries.iter().enumerate() {
                    let Value::Table(t) = entry else {
                        return Err(catalog_err(
                            origin,
                            format!("第 {} 个 [[indicator]] 不是表", i + 1),
                        ));
                    };
                    let ind = parse_indicator(t, origin, i + 1)?;
                    if parsed.indicators.iter().any(|x| x.id == ind.id) {
                        return Err(catalog_err(
                            origin,
                            format!(
                                "指标编号「{}」重复定义（第 {} 个 [[indicator]]）",
                                ind.id,
                                i + 1
                            ),
                        ));
                    }
                    parsed.indicators.push(ind);
                }
            }
            "selection" => {
                let Value::Table(t) = value else {
                    return Err(catalog_err(origin, "[selection] 应为表"));
                };
                for (report, list) in t {
                    let ids = string_list(list).ok_or_else(|| {
                        catalog_err(
                            origin,
                            format!("[selection] 中「{report}」应为指标编号的列表，如 [\"assisted_share\"]"),
                        )
                    })?;
                    parsed.selections.insert(report.clone(), ids);
                }
            }
            "params" => {
                let Value::Table(t) = value else {
                    return Err(catalog_err(origin, "[params] 应为表"));
                };
                for (id, v) in t {
                    parsed.params.push(parse_param(id, v, origin)?);
                }
            }
            other => {
                return Err(catalog_err(
                    origin,
                    format!(
                        "未知的顶层项「{other}」（可用：[[indicator]]、[selection]、[params]）"
                    ),
                ));
            }
        }
    }
    Ok(parsed)
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    let Value::Array(items) = v else {
        return None;
    };
    items
        .iter()
        .map(|x| x.as_str().map(|s| s.trim().to_string()))
        .collect()
}

fn parse_param(id: &str, v: &Value, origin: &str) -> Result<Param> {
    let bad = || {
        catalog_err(
            origin,
            format!("参数「{id}」应写成数值，或 {{ default = 数值, name = \"中文名\" }}"),
        )
    };
    match v {
        Value::Table(t) => {
            if let Some(k) = t
                .keys()
                .find(|k| k.as_str() != "default" && k.as_str() != "name")
            {
                return Err(catalog_err(
                    origin,
                    format!("参数「{id}」中有未知的字段「{k}」"),
                ));
            }
            let default = t.get("default").and_then(decimal_of).ok_or_else(bad)?;
            let name = match t.get("name") {
                Some(n) => n.as_str().ok_or_else(bad)?.to_string(),
                None => id.to_string(),
            };
            Ok(Param {
                id: id.to_string(),
                name,
                default,
            })
        }
        other => Ok(Param {
            id: id.to_string(),
            name: id.to_string(),
            default: decimal_of(other).ok_or_else(bad)?,
        }),
    }
}

/// A number from TOML: integer, float (via its shortest decimal text, so `0.6` is exactly
/// 0.6), or a string such as `"60%"` or `"7500"`.
fn decimal_of(v: &Value) -> Option<Decimal> {
    match v {
        Value::Integer(i) => Some(Decimal::from(*i)),
        Value::Float(f) if f.is_finite() => Decimal::from_str(&f.to_string()).ok(),
        Value::String(s) => {
            let s = s.trim();
            match s.strip_suffix('%').or_else(|| s.strip_suffix('％')) {
                Some(p) => Decimal::from_str(p.trim())
                    .ok()
                    .and_then(|d| d.checked_div(Decimal::ONE_HUNDRED)),
                None => Decimal::from_str(s).ok(),
            }
        }
        _ => None,
    }
}

/// Resolves a measure reference: an id, or a Chinese measure name.
fn measure_ref(text: &str) -> Option<&'static measures::MeasureDef> {
    measures::by_id(text.trim()).or_else(|| measures::by_name(text))
}

fn parse_indicator(t: &Table, origin: &str, pos: usize) -> Result<Indicator> {
    let id = match t.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => {
            return Err(catalog_err(
                origin,
                format!("第 {pos} 个 [[indicator]] 缺少指标编号 id（文字）"),
            ));
        }
    };
    let err = |msg: String| {
        catalog_err(
            origin,
            format!("指标「{id}」（第 {pos} 个 [[indicator]]）：{msg}"),
        )
    };
    if let Some(k) = t.keys().find(|k| !INDICATOR_KEYS.contains(&k.as_str())) {
        return Err(err(format!(
            "未知的字段「{k}」（可用字段：{}）",
            INDICATOR_KEYS.join("、")
        )));
    }
    let text = |key: &str| -> Result<Option<String>> {
        match t.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(_) => Err(err(format!("「{key}」应为文字（用英文引号括起）"))),
        }
    };
    let own_measure = measures::by_id(&id);
    let numerator = match text("numerator")? {
        Some(n) => n,
        None => match own_measure {
            Some(m) => m.id.to_string(),
            None => return Err(err("缺少分子 numerator（度量编号）".to_string())),
        },
    };
    let unknown_measure = |role: &str, m: &str| {
        err(format!(
            "{role}「{m}」不是已知的度量编号或度量名称（运行 gonggu indicators 可查看全部度量）"
        ))
    };
    let num_def = measure_ref(&numerator).ok_or_else(|| unknown_measure("分子", &numerator))?;
    let den_def = match text("denominator")? {
        Some(d) => Some(measure_ref(&d).ok_or_else(|| unknown_measure("分母", &d))?),
        None => None,
    };
    let kind = match text("kind")? {
        Some(k) => Kind::parse(&k).ok_or_else(|| {
            err(format!(
                "类型 kind「{k}」无效，应为 count（计数）、ratio（比率）、per_capita（人均）或 progress（进度）"
            ))
        })?,
        None if den_def.is_some() => Kind::Ratio,
        None => Kind::Count,
    };
    match (kind, den_def) {
        (Kind::Count, Some(_)) => {
            return Err(err("计数指标（count）不应有分母 denominator".to_string()));
        }
        (Kind::Count, None) => {}
        (k, None) => {
            return Err(err(format!(
                "{}指标（{}）必须有分母 denominator",
                k.label(),
                k.id()
            )));
        }
        _ => {}
    }
    let direction = match text("direction")? {
        Some(d) => Direction::parse(&d).ok_or_else(|| {
            err(format!(
                "排名方向 direction「{d}」无效，应为 higher（越高越好）、lower（越低越好）或 none（不排名）"
            ))
        })?,
        None if kind == Kind::Count => Direction::NotRanked,
        None => Direction::HigherBetter,
    };
    let decimals = match t.get("decimals") {
        None => default_decimals(kind, num_def.unit),
        Some(Value::Integer(n)) if (0..=i64::from(MAX_DECIMALS)).contains(n) => *n as u32,
        Some(_) => {
            return Err(err(format!(
                "小数位 decimals 应为 0 到 {MAX_DECIMALS} 之间的整数"
            )));
        }
    };
    let unit = match text("unit")? {
        Some(u) => u,
        None if kind.is_percent() => "%".to_string(),
        None => num_def.unit.to_string(),
    };
    let target = match t.get("target") {
        None => None,
        Some(v) => Some(parse_target(v).map_err(|m| err(format!("目标 target 无效：{m}")))?),
    };
    let name = match text("name")? {
        Some(n) if !n.is_empty() => n,
        _ => match own_measure {
            Some(m) => m.name.to_string(),
            None => return Err(err("缺少中文名 name".to_string())),
        },
    };
    let formula = match text("formula")? {
        Some(f) => f,
        None => match den_def {
            Some(d) if kind.is_percent() => format!("{} ÷ {} × 100%", num_def.name, d.name),
            Some(d) => format!("{} ÷ {}", num_def.name, d.name),
            None => num_def.definition.to_string(),
        },
    };
    let source = match text("source")? {
        Some(s) => s,
        None => {
            let mut tables = vec![source_table(num_def.source)];
            if let Some(d) = den_def {
                let s = source_table(d.source);
                if !tables.contains(&s) {
                    tables.push(s);
                }
            }
            tables.join("、")
        }
    };
    Ok(Indicator {
        id,
        name,
        kind,
        numerator: num_def.id.to_string(),
        denominator: den_def.map(|d| d.id.to_string()),
        unit,
        decimals,
        direction,
        target,
        formula,
        source,
        generated: false,
    })
}

fn default_decimals(kind: Kind, unit: &str) -> u32 {
    match kind {
        Kind::Count if unit == "万元" => 2,
        Kind::Ratio | Kind::Progress => 1,
        _ => 0,
    }
}

/// Parses `target = …`; the error is the reason, without place.
fn parse_target(v: &Value) -> std::result::Result<TargetSpec, String> {
    let Value::Table(t) = v else {
        return Err("应写成 { min = 0.6 } 之类的表".to_string());
    };
    if let Some(steps) = t.get("schedule") {
        if let Some(k) = t
            .keys()
            .find(|k| k.as_str() != "schedule" && k.as_str() != "before")
        {
            return Err(format!(
                "分段目标中有未知的字段「{k}」（可用：schedule、before）"
            ));
        }
        return parse_schedule(steps, t.get("before"));
    }
    if t.len() != 1 {
        return Err(
            "应只有一项：min、above、max、below（数值）或 min_param、above_param、max_param、below_param（参数名）或 schedule"
                .to_string(),
        );
    }
    let Some((key, value)) = t.iter().next() else {
        return Err("目标为空".to_string());
    };
    for cmp in Comparison::ALL {
        if key == cmp.key() {
            let n = decimal_of(value)
                .ok_or_else(|| format!("「{key}」应为数值或百分数（如 0.6 或 \"60%\"）"))?;
            return Ok(TargetSpec {
                comparison: cmp,
                threshold: Threshold::Fixed(n),
            });
        }
        if key.strip_suffix("_param") == Some(cmp.key()) {
            let p = value
                .as_str()
                .ok_or_else(|| format!("「{key}」应为参数名（文字），如 \"monitoring_line\""))?;
            return Ok(TargetSpec {
                comparison: cmp,
                threshold: Threshold::Param(p.trim().to_string()),
            });
        }
    }
    Err(format!(
        "未知的目标写法「{key}」（可用：min、above、max、below、min_param、above_param、max_param、below_param、schedule）"
    ))
}

fn parse_schedule(
    steps: &Value,
    before: Option<&Value>,
) -> std::result::Result<TargetSpec, String> {
    let Value::Array(items) = steps else {
        return Err("schedule 应为列表，如 [{ from = \"06-30\", min = 0.5 }]".to_string());
    };
    if items.is_empty() {
        return Err("schedule 不能为空".to_string());
    }
    let mut comparison = None;
    let mut out: Vec<ScheduleStep> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        let Value::Table(st) = item else {
            return Err(format!(
                "schedule 第 {n} 段应为表，如 {{ from = \"06-30\", min = 0.5 }}"
            ));
        };
        let from = st
            .get("from")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("schedule 第 {n} 段缺少起始月日 from（如 \"06-30\"）"))?;
        let (month, day) = parse_month_day(from).ok_or_else(|| {
            format!("schedule 第 {n} 段的 from「{from}」不是有效的月-日（如 \"06-30\"）")
        })?;
        let mut found = None;
        for (k, v) in st {
            if k == "from" {
                continue;
            }
            let cmp = Comparison::ALL
                .into_iter()
                .find(|c| c.key() == k)
                .ok_or_else(|| format!("schedule 第 {n} 段中有未知的字段「{k}」（可用：from、min、above、max、below）"))?;
            if found.is_some() {
                return Err(format!("schedule 第 {n} 段只能有一个比较项"));
            }
            let th = decimal_of(v).ok_or_else(|| format!("schedule 第 {n} 段的「{k}」应为数值"))?;
            found = Some((cmp, th));
        }
        let (cmp, threshold) =
            found.ok_or_else(|| format!("schedule 第 {n} 段缺少 min、above、max 或 below"))?;
        match comparison {
            None => comparison = Some(cmp),
            Some(c) if c != cmp => {
                return Err("schedule 各段应使用同一种比较（都用 min，或都用 max …）".to_string());
            }
            Some(_) => {}
        }
        if out.iter().any(|s| (s.month, s.day) == (month, day)) {
            return Err(format!("schedule 中起始月日「{from}」重复"));
        }
        out.push(ScheduleStep {
            month,
            day,
            threshold,
        });
    }
    out.sort_by_key(|s| (s.month, s.day));
    let before = match before {
        None => Before::Nothing,
        Some(Value::String(s)) if s.trim() == "elapsed_months" => Before::ElapsedMonths,
        Some(v) => Before::Fixed(
            decimal_of(v)
                .ok_or_else(|| "before 应为 \"elapsed_months\"（时序进度）或数值".to_string())?,
        ),
    };
    Ok(TargetSpec {
        comparison: comparison.unwrap_or(Comparison::AtLeast),
        threshold: Threshold::Schedule { steps: out, before },
    })
}

/// `"06-30"` → (6, 30); checked against a leap year so `"02-29"` is allowed.
fn parse_month_day(text: &str) -> Option<(u32, u32)> {
    let (m, d) = text.trim().split_once('-')?;
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}

/// Cross-checks and completes a parsed catalog: generated measure counts, selections and
/// parameter references.
fn assemble(parsed: Parsed, origin: &str) -> Result<Catalog> {
    let Parsed {
        mut indicators,
        selections,
        params,
    } = parsed;
    for ind in &indicators {
        if let Some(TargetSpec {
            threshold: Threshold::Param(p),
            ..
        }) = &ind.target
            && !params.iter().any(|x| &x.id == p)
        {
            return Err(catalog_err(
                origin,
                format!(
                    "指标「{}」的目标引用了未声明的参数「{p}」，请在 [params] 中写明，如 {p} = {{ default = 7500, name = \"中文名\" }}",
                    ind.id
                ),
            ));
        }
    }
    for m in measures::MEASURES {
        if indicators.iter().any(|i| i.id == m.id) {
            continue;
        }
        indicators.push(Indicator {
            id: m.id.to_string(),
            name: m.name.to_string(),
            kind: Kind::Count,
            numerator: m.id.to_string(),
            denominator: None,
            unit: m.unit.to_string(),
            decimals: default_decimals(Kind::Count, m.unit),
            direction: Direction::NotRanked,
            target: None,
            formula: m.definition.to_string(),
            source: source_table(m.source).to_string(),
            generated: true,
        });
    }
    for (report, ids) in &selections {
        for id in ids {
            if !indicators.iter().any(|i| &i.id == id) {
                return Err(catalog_err(
                    origin,
                    format!("[selection] 的「{report}」中的指标「{id}」不在指标目录中"),
                ));
            }
        }
    }
    Ok(Catalog {
        indicators,
        selections,
        params,
        origin: origin.to_string(),
    })
}

#[cfg(test)]
mod tests;
