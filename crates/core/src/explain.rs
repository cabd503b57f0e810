//! The records behind one figure (`gonggu explain`): for an indicator and a region, the
//! households, persons, projects, loans, work spells or villages its numerator and
//! denominator count, each with where it is in the inputs, the fields that decide whether it
//! counts, and — when it is in the denominator but not in the numerator — why, in Chinese.
//!
//! Membership comes from [`crate::measures::records`], the rules [`crate::measures::tally_with`]
//! counts with, so the list always adds up to the figure: the rows in the denominator are
//! its count (or their amounts its sum), the rows in the numerator likewise. The figure
//! itself is taken from the report [`crate::pipeline::build`] makes, as `gonggu compute` does.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::catalog::{Catalog, Indicator};
use crate::error::{Error, Result};
use crate::mask::Pii;
use crate::measures::records::{self, RecordKind, Records, Rule, Subject, Test, Verdict};
use crate::measures::{self, MeasureSource, TallyParams};
use crate::model::{Dataset, Household, Person, RowRef, TableKind, WorkPlace};
use crate::pipeline::{self, Settings};
use crate::region::{Level, RegionId};
use crate::text::normalize_header;

/// Which figure: a unit of the region tree, or the parent total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A county, town or village: its figure in the report of its own level.
    Unit(RegionId),
    /// The total row (the configured region, or `合计`).
    Total,
}

/// What to explain, as the user wrote it.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// An indicator id (`loan_household_rate`) or Chinese name (`总贷款余额户贷率`); any
    /// measure id or name is a count indicator too.
    pub indicator: String,
    /// A unit name (`永城市`), its label (`夏邑县城关镇`), a path for repeated names
    /// (`夏邑县/城关镇`), or the parent region's name (the total).
    pub region: String,
    /// The level, when given: names are looked up among the units of that level (the
    /// total is then that level's report total).
    pub level: Option<Level>,
    /// `[region_aliases]`: variant → official name.
    pub region_aliases: BTreeMap<String, String>,
}

/// A value in a list cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Text.
    Text(String),
    /// A number (an amount, a row number).
    Number(Decimal),
    /// Nothing recorded.
    Empty,
}

impl Value {
    /// The value as text (numbers without trailing zeros; empty as "").
    pub fn text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Number(n) => n.normalize().to_string(),
            Value::Empty => String::new(),
        }
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        match v {
            Some(t) if !t.is_empty() => Value::Text(t),
            _ => Value::Empty,
        }
    }
}

/// The numerator or the denominator of the figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// Measure id.
    pub measure: String,
    /// Its Chinese name (`贷款余额户数`).
    pub name: String,
    /// Its unit (`户`, `个`, `万元` …).
    pub unit: String,
    /// The value in the report (`None`: not available).
    pub value: Option<Decimal>,
    /// The records it counts, when it is counted from records (`None`: it comes from a
    /// 目标 table).
    pub kind: Option<RecordKind>,
    /// Whether it is a sum of amounts rather than a count of records.
    pub sum: bool,
    /// What the listed rows add up to in it: their number, or the sum of their amounts.
    pub listed: Decimal,
}

/// The list of one explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The indicator.
    pub indicator: Indicator,
    /// The as-of date of the figure.
    pub as_of: NaiveDate,
    /// The level of the report the figure comes from.
    pub level: Level,
    /// The region as the report names it (`永城市`, `夏邑县城关镇`, `商丘市`).
    pub region: String,
    /// Its full path (`夏邑县/城关镇`), or the parent's name for the total.
    pub region_path: String,
    /// Whether the figure is the total row.
    pub total: bool,
    /// The figure as displayed (`24.41%`, `—` without a value).
    pub display: String,
    /// The figure's value (rounded, as stored).
    pub value: Option<Decimal>,
    /// The numerator.
    pub numerator: Side,
    /// The denominator (none for a count).
    pub denominator: Option<Side>,
    /// Column heads of [`ExplainRow::cells`].
    pub columns: Vec<String>,
    /// Which columns hold the amounts a sum adds (the numerator's or denominator's column
    /// of a sum): their total is the figure's part.
    pub amount_columns: Vec<bool>,
    /// The records, in input order.
    pub rows: Vec<ExplainRow>,
    /// The reasons rows of the denominator are not in the numerator, with their counts,
    /// most frequent first.
    pub reasons: Vec<(String, usize)>,
    /// Notes for the user (Chinese).
    pub notes: Vec<String>,
    /// Whether personal data in the rows is masked.
    pub masked: bool,
    /// The notes of the report the figure comes from (rows left out of a table, merged
    /// persons …), as `gonggu compute` prints them.
    pub report_notes: Vec<String>,
}

impl Explanation {
    /// The title of the list (`永城市总贷款余额户贷率名单`).
    pub fn title(&self) -> String {
        format!("{}{}名单", self.region, self.indicator.name)
    }

    /// The lines that say what the list is, before it: the indicator and its formula, the
    /// region, the as-of date, the figure as numerator ÷ denominator, what a row is and how
    /// many are in each part (with the reasons others are not), masking, notes.
    pub fn header_lines(&self) -> Vec<String> {
        let ind = &self.indicator;
        let formula = match &self.denominator {
            Some(d) => format!("＝ {} ÷ {}", self.numerator.name, d.name),
            None => format!("（{}）", ind.kind.label()),
        };
        let place = if self.total {
            format!("{}（合计）", self.region)
        } else if self.region_path != self.region {
            format!(
                "{}（{}，{}）",
                self.region,
                self.region_path,
                self.level.unit_word()
            )
        } else {
            format!("{}（{}）", self.region, self.level.unit_word())
        };
        let figure = match &self.denominator {
            Some(d) => format!(
                "数值：{} ＝ {} ÷ {}",
                self.display,
                quantity(&self.numerator),
                quantity(d)
            ),
            None => format!("数值：{}", quantity(&self.numerator)),
        };
        let mut lines = vec![
            format!("指标：{}（{}）{formula}", ind.name, ind.id),
            format!("地区：{place}"),
            format!("统计截止日期：{}", crate::text::date_zh(self.as_of)),
            figure,
        ];
        let kind = self
            .denominator
            .as_ref()
            .and_then(|d| d.kind)
            .or(self.numerator.kind);
        let row_word = kind.map_or("一条记录", row_word);
        let count = |n: usize| match kind {
            Some(k) => format!("{n} {}", k.unit()),
            None => n.to_string(),
        };
        let mut list = format!("名单：每行{row_word}，共 {} 行", self.rows.len());
        if self.numerator.sum {
            list.push_str(&format!("；「{}」列之和为分子", self.numerator.name));
        }
        match &self.denominator {
            Some(d) if d.sum => list.push_str(&format!("，「{}」列之和为分母", d.name)),
            Some(d) if d.kind.is_some() => {
                let in_den = self.rows.iter().filter(|r| r.in_denominator).count();
                if in_den != self.rows.len() {
                    list.push_str(&format!("；计入分母 {}", count(in_den)));
                }
            }
            _ => {}
        }
        if self.denominator.is_some() && !self.numerator.sum {
            let in_num = self.rows.iter().filter(|r| r.in_numerator).count();
            list.push_str(&format!("；计入分子 {}", count(in_num)));
            let out: usize = self.reasons.iter().map(|(_, n)| n).sum();
            if out > 0 {
                let why: Vec<String> = self
                    .reasons
                    .iter()
                    .map(|(r, n)| format!("{r} {}", count(*n)))
                    .collect();
                list.push_str(&format!("，未计入 {}（{}）", count(out), why.join("；")));
            }
        }
        list.push('。');
        lines.push(list);
        let personal = ["姓名", "户主姓名", "证件号码", "户主证件号码", "联系电话"];
        if self.masked && self.columns.iter().any(|c| personal.contains(&c.as_str())) {
            lines.push(
                "证件号码、姓名、电话已脱敏；需要完整信息时加 --reveal-pii（注意保护个人信息）。"
                    .into(),
            );
        }
        lines.extend(self.notes.iter().map(|n| format!("说明：{n}")));
        lines
    }
}

/// `贷款余额户数 2441 户`, `衔接资金（万元） 2938`: a measure's name and value (`—` when
/// missing), with its unit unless the name carries it.
fn quantity(s: &Side) -> String {
    let value = s.value.map_or_else(
        || crate::compute::DASH.to_string(),
        |v| v.normalize().to_string(),
    );
    if s.unit.is_empty() || s.name.contains(&format!("（{}）", s.unit)) {
        format!("{} {value}", s.name)
    } else {
        format!("{} {value} {}", s.name, s.unit)
    }
}

/// What one row of a list is (`一户`, `一个项目` …).
fn row_word(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Household => "一户",
        RecordKind::Person => "一人",
        RecordKind::LoanHousehold => "一个贷款户（户编号）",
        RecordKind::Loan => "一笔贷款",
        RecordKind::Project => "一个项目",
        RecordKind::WorkSpell => "一人（当月的务工记录）",
        RecordKind::PlannedWorker => "一人（计划外出务工）",
        RecordKind::Village => "一个行政村",
    }
}

/// One record of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainRow {
    /// What the record is.
    pub kind: RecordKind,
    /// Where it is: the file's base name, the sheet and the Excel row.
    pub file: String,
    /// The sheet (`None` for CSV).
    pub sheet: Option<String>,
    /// Excel row number (1-based).
    pub row: u32,
    /// Whether it counts in the numerator.
    pub in_numerator: bool,
    /// Whether it counts in the denominator (true for a count indicator).
    pub in_denominator: bool,
    /// Why it does not count where it does not (empty when it counts in both).
    pub reason: String,
    /// The cells under [`Explanation::columns`].
    pub cells: Vec<Value>,
}

/// Finds an indicator by id or Chinese name (full-width/half-width brackets and spaces
/// ignored).
///
/// # Errors
/// [`Error::Explain`] naming the closest indicators when none matches.
///
/// # Examples
/// ```
/// use gonggu_core::catalog::Catalog;
/// use gonggu_core::explain::find_indicator;
/// let c = Catalog::builtin().unwrap();
/// assert_eq!(find_indicator(&c, "总贷款余额户贷率").unwrap().id, "loan_household_rate");
/// assert_eq!(find_indicator(&c, "monitored_households").unwrap().name, "监测户数");
/// let e = find_indicator(&c, "户贷率").unwrap_err().to_string();
/// assert!(e.contains("总贷款余额户贷率（loan_household_rate）"), "{e}");
/// ```
pub fn find_indicator<'c>(catalog: &'c Catalog, text: &str) -> Result<&'c Indicator> {
    let wanted = normalize_header(text);
    if let Some(i) = catalog
        .indicators
        .iter()
        .find(|i| i.id == text.trim() || normalize_header(&i.name) == wanted)
    {
        return Ok(i);
    }
    let names: Vec<(String, String)> = catalog
        .indicators
        .iter()
        .map(|i| (i.id.clone(), normalize_header(&i.name)))
        .collect();
    let close = closest(&wanted, names.iter().flat_map(|(id, n)| [id, n]), 8);
    let list: Vec<String> = close
        .iter()
        .filter_map(|c| {
            catalog
                .indicators
                .iter()
                .find(|i| i.id == **c || normalize_header(&i.name) == **c)
        })
        .map(|i| format!("{}（{}）", i.name, i.id))
        .fold(Vec::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        });
    let hint = if list.is_empty() {
        String::new()
    } else {
        format!("相近的有：{}。", list.join("、"))
    };
    Err(Error::Explain(format!(
        "指标目录中没有「{}」。{hint}可写指标编号或中文名称，运行 gonggu indicators --all 可查看全部。",
        text.trim()
    )))
}

/// Finds the region a figure belongs to: a unit by name, label (`夏邑县城关镇`) or path
/// (`夏邑县/城关镇`, also the tail of one: `城关镇/东关村`), among the units of `level` when
/// given; the configured region name or `合计` is the total.
///
/// # Errors
/// [`Error::Explain`] when nothing matches (naming the closest regions) or when the name is
/// shared by several units (naming their paths).
///
/// # Examples
/// ```
/// use gonggu_core::explain::{find_region, Scope};
/// use gonggu_core::model::Dataset;
/// use gonggu_core::region::Level;
/// let mut ds = Dataset::default();
/// let a = ds.regions.intern(None, Level::County, "夏邑县");
/// let t = ds.regions.intern(Some(a), Level::Town, "城关镇");
/// let b = ds.regions.intern(None, Level::County, "虞城县");
/// ds.regions.intern(Some(b), Level::Town, "城关镇");
/// let none = Default::default();
/// assert_eq!(find_region(&ds, "夏邑县/城关镇", None, Some("商丘市"), &none).unwrap(), Scope::Unit(t));
/// assert_eq!(find_region(&ds, "商丘市", None, Some("商丘市"), &none).unwrap(), Scope::Total);
/// let e = find_region(&ds, "城关镇", None, None, &none).unwrap_err().to_string();
/// assert!(e.contains("夏邑县/城关镇") && e.contains("虞城县/城关镇"), "{e}");
/// ```
pub fn find_region(
    ds: &Dataset,
    text: &str,
    level: Option<Level>,
    parent: Option<&str>,
    aliases: &BTreeMap<String, String>,
) -> Result<Scope> {
    let text = text.trim().replace(['／', '\\'], "/");
    let text = aliases.get(&text).cloned().unwrap_or(text);
    let parent = parent.filter(|p| !p.trim().is_empty());
    if parent == Some(text.as_str()) || ["合计", "总计"].contains(&text.as_str()) {
        return Ok(Scope::Total);
    }
    let regions = &ds.regions;
    let at_level = |id: RegionId| level.is_none_or(|l| regions.node(id).level == l);
    let matches: Vec<RegionId> = regions
        .ids()
        .filter(|&id| at_level(id))
        .filter(|&id| {
            let path = regions.path(id);
            regions.name(id) == text
                || regions.label(id) == text
                || path == text
                || (text.contains('/') && path.ends_with(&format!("/{text}")))
                || path.replace('/', "") == text
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(Scope::Unit(*one)),
        [] => {
            let paths: Vec<String> = regions
                .ids()
                .filter(|&id| at_level(id))
                .map(|id| regions.path(id))
                .collect();
            let mut close = closest(&text, paths.iter(), 8);
            if let Some(p) = parent {
                close.push(p);
            }
            let level_word = level.map_or(String::new(), |l| format!("（{}）", l.unit_word()));
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!("相近的有：{}。", close.join("、"))
            };
            let total = parent.unwrap_or("合计");
            Err(Error::Explain(format!(
                "输入中没有地区「{text}」{level_word}。{hint}地区可写名称（如 {}）、重名时写路径（如 县/乡镇），合计写 {total}。",
                paths
                    .first()
                    .map_or("永城市", |p| p.rsplit('/').next().unwrap_or(p))
            )))
        }
        many => Err(Error::Explain(format!(
            "地区「{text}」有 {} 处：{}，请写明是哪一处（如 --region {}）。",
            many.len(),
            many.iter()
                .map(|id| regions.path(*id))
                .collect::<Vec<_>>()
                .join("、"),
            many.first().map(|id| regions.path(*id)).unwrap_or_default()
        ))),
    }
}

/// Up to `n` of `candidates` closest to `wanted`: those containing it or contained in it
/// first, then by edit distance (only those sharing a character with it).
fn closest<'a, S: AsRef<str> + 'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a S>,
    n: usize,
) -> Vec<&'a str> {
    let wanted_chars: Vec<char> = wanted.chars().collect();
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .map(AsRef::as_ref)
        .filter(|c| c.chars().any(|ch| wanted_chars.contains(&ch)))
        .map(|c| {
            let tail = c.rsplit('/').next().unwrap_or(c);
            let contains = c.contains(wanted) || wanted.contains(tail);
            (usize::from(!contains), edit_distance(wanted, tail), c)
        })
        .collect();
    scored.sort();
    let limit = wanted_chars.len().max(2);
    let mut out: Vec<&str> = Vec::new();
    for (not_contained, distance, c) in scored {
        if (not_contained == 0 || distance <= limit) && !out.contains(&c) {
            out.push(c);
        }
        if out.len() == n {
            break;
        }
    }
    out
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let value = (prev + usize::from(ca != *cb)).min(above + 1).min(left + 1);
            prev = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// The input that gives the records of a measure table, for messages.
fn records_from(source: MeasureSource) -> &'static str {
    match source {
        MeasureSource::Roster => {
            "人员表（防返贫监测信息系统导出的监测对象信息或脱贫人口信息，逐人一行）"
        }
        MeasureSource::Loans => "小额信贷台账（逐笔贷款，含户编号、贷款余额）和人员表",
        MeasureSource::Projects => "衔接资金项目台账（逐个项目）",
        MeasureSource::WorkSpells => "（务工月监测）已外出务工信息（逐条务工记录）和人员表",
        MeasureSource::PlannedWork => "计划外出务工信息（逐人一行）",
        MeasureSource::Villages => "（自定义）行政村信息（逐村一行）",
        MeasureSource::Targets => "目标表",
    }
}

/// Lists the records behind one figure: `query.indicator` of `query.region`, on the as-of
/// date and lines of `settings` (its level is used for the total; a unit is explained at
/// its own level). Personal data in the list is masked unless `pii` reveals it.
///
/// # Errors
/// - [`Error::Explain`] for an unknown indicator or region (with the closest names), for a
///   figure whose numerator is not counted from records (a 汇总 or 目标 only: the message
///   names the inputs that would give the records);
/// - the errors of [`pipeline::build`] (no data, the indicator cannot be computed from the
///   inputs, with the reasons).
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::catalog::{Catalog, ReportKind};
/// use gonggu_core::config::Config;
/// use gonggu_core::explain::{explain, Query};
/// use gonggu_core::ingest::{read_inputs, ReadOptions};
/// use gonggu_core::mask::Pii;
/// use gonggu_core::pipeline::Settings;
/// use gonggu_core::region::Level;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("监测对象信息.csv");
/// std::fs::write(&path, "县,乡,村,户编号,证件号码,户类型,监测对象类别,产业帮扶\n\
///     夏邑县,城关镇,东关村,H1,411426199001010011,普通农户,边缘易致贫户,是\n\
///     夏邑县,城关镇,东关村,H2,411426198501010033,普通农户,突发严重困难户,\n").unwrap();
/// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
/// let catalog = Catalog::builtin().unwrap();
/// let as_of = NaiveDate::from_ymd_opt(2021, 11, 30).unwrap();
/// let settings = Settings::new(Level::County, as_of, &Config::default(), &catalog, ReportKind::Compute, &[]).unwrap();
/// let query = Query { indicator: "assisted_share".into(), region: "夏邑县".into(), ..Default::default() };
/// let e = explain(&ds, &catalog, &settings, &query, Pii::Masked).unwrap();
/// assert_eq!(e.display, "50.0%");
/// assert_eq!(e.rows.len(), 2);
/// assert_eq!(e.rows[1].reason, "未享受帮扶政策（帮扶列和帮扶措施均为空或否/无）");
/// ```
pub fn explain(
    ds: &Dataset,
    catalog: &Catalog,
    settings: &Settings,
    query: &Query,
    pii: Pii,
) -> Result<Explanation> {
    pipeline::require_data(ds)?;
    let indicator = find_indicator(catalog, &query.indicator)?.clone();
    let scope = find_region(
        ds,
        &query.region,
        query.level,
        settings.region_name.as_deref(),
        &query.region_aliases,
    )?;
    let level = match scope {
        Scope::Unit(u) => ds.regions.node(u).level,
        Scope::Total => query.level.unwrap_or(settings.level),
    };
    let settings = Settings {
        level,
        selection: vec![indicator.id.clone()],
        ..settings.clone()
    };
    let params = TallyParams {
        as_of: settings.as_of,
        monitoring_line: settings.monitoring_line,
        collective_income_line: settings.collective_income_line,
    };
    // Which measures the records give (a column may be missing, a table absent).
    let from_records = measures::tally_with(ds, level, &params).total;
    let kind_of = |measure: &str| {
        records::rule(measure)
            .filter(|_| from_records.get(measure).is_some())
            .map(|r| r.kind)
    };
    let num_kind = kind_of(&indicator.numerator);
    if num_kind.is_none() {
        return Err(no_records(ds, &indicator, &indicator.numerator));
    }
    let den_kind = indicator.denominator.as_deref().and_then(kind_of);
    if let Some(d) = &indicator.denominator
        && den_kind.is_none()
        && measures::by_id(d).is_some_and(|m| m.source != MeasureSource::Targets)
    {
        return Err(no_records(ds, &indicator, d));
    }

    let report = pipeline::build(ds, catalog, &settings, None)?;
    let row = match scope {
        Scope::Total => &report.total,
        Scope::Unit(u) => {
            let key = ds.regions.path(u);
            report
                .rows
                .iter()
                .find(|r| r.key == key)
                .ok_or_else(|| Error::Explain(format!("地区「{key}」在本级报表中没有数据。")))?
        }
    };
    let cell = row.cell(&indicator.id);
    let records = Records::new(ds, &params);
    let mut list = Lister::new(&records, scope, level, pii);
    let num_rule = records::rule(&indicator.numerator).filter(|_| num_kind.is_some());
    let den_rule = indicator
        .denominator
        .as_deref()
        .and_then(records::rule)
        .filter(|_| den_kind.is_some());
    let items = list.items(num_rule, den_rule);
    let side = |measure: &str, value: Option<Decimal>, rule: Option<&Rule>, listed| {
        let def = measures::by_id(measure);
        Side {
            measure: measure.to_string(),
            name: def.map_or_else(|| measure.to_string(), |m| m.name.to_string()),
            unit: def.map_or_else(String::new, |m| m.unit.to_string()),
            value,
            kind: rule.map(|r| r.kind),
            sum: rule.is_some_and(|r| r.amount.is_some()),
            listed,
        }
    };
    let listed = |pick: fn(&Item) -> &Member| {
        items
            .iter()
            .map(pick)
            .filter(|m| m.verdict.is_in())
            .map(|m| m.amount.unwrap_or(Decimal::ONE))
            .sum::<Decimal>()
    };
    let numerator = side(
        &indicator.numerator,
        cell.and_then(|c| c.numerator),
        num_rule,
        listed(|i| &i.numerator),
    );
    let denominator = indicator.denominator.as_deref().map(|d| {
        side(
            d,
            cell.and_then(|c| c.denominator),
            den_rule,
            den_rule.map_or(Decimal::ZERO, |_| listed(|i| &i.denominator)),
        )
    });
    let mut notes = Vec::new();
    for s in std::iter::once(&numerator).chain(denominator.as_ref()) {
        match (s.kind, s.value) {
            (None, _) => notes.push(format!(
                "「{}」来自{}，没有逐条记录，名单中不列出。",
                s.name,
                measures::by_id(&s.measure)
                    .map_or("目标表", |m| crate::catalog::source_table(m.source))
            )),
            (Some(_), Some(v)) if v != s.listed => notes.push(format!(
                "名单在「{}」中合计 {}，与指标中的 {} 不一致，请把输入文件和命令发给维护者。",
                s.name,
                s.listed.normalize(),
                v.normalize()
            )),
            _ => {}
        }
    }
    let (columns, amount_columns, rows) = list.rows(&items, num_rule, den_rule);
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for item in &items {
        if let (Verdict::Out(why), true) =
            (item.numerator.verdict, item.denominator.verdict.is_in())
        {
            match reasons.iter_mut().find(|(r, _)| r == why) {
                Some((_, n)) => *n += 1,
                None => reasons.push((why.to_string(), 1)),
            }
        }
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
    let (region, region_path) = match scope {
        Scope::Total => (report.parent.clone(), report.parent.clone()),
        Scope::Unit(u) => (row.region.clone(), ds.regions.path(u)),
    };
    Ok(Explanation {
        as_of: settings.as_of,
        level,
        region,
        region_path,
        total: scope == Scope::Total,
        display: cell.map_or_else(|| crate::compute::DASH.to_string(), |c| c.display.clone()),
        value: cell.and_then(|c| c.value),
        numerator,
        denominator,
        columns,
        amount_columns,
        rows,
        reasons,
        notes,
        masked: pii == Pii::Masked,
        report_notes: report.notes.clone(),
        indicator,
    })
}

/// The error for a measure that no record table of the inputs gives.
fn no_records(ds: &Dataset, indicator: &Indicator, measure: &str) -> Error {
    let Some(m) = measures::by_id(measure) else {
        return Error::Explain(format!(
            "「{}」的「{measure}」不是 gonggu 从明细记录统计的度量，无法列出名单。",
            indicator.name
        ));
    };
    let need = records_from(m.source);
    let summary = ds.has(TableKind::Summary)
        && ds
            .summary
            .iter()
            .any(|r| r.values.iter().any(|(id, _)| id == measure));
    let what = if m.source == MeasureSource::Targets {
        format!("「{}」来自目标表，没有逐条记录", m.name)
    } else if summary {
        let files: Vec<String> = ds
            .sources
            .iter()
            .filter(|s| s.kind == TableKind::Summary)
            .map(|s| crate::text::base_name(&s.file))
            .fold(Vec::new(), |mut v, f| {
                if !v.contains(&f) {
                    v.push(f);
                }
                v
            });
        format!(
            "「{}」来自汇总表（{}），汇总表只有各地区的数字，没有逐户、逐人或逐个项目的记录",
            m.name,
            files.join("、")
        )
    } else {
        format!("输入中没有可统计「{}」的明细表", m.name)
    };
    Error::Explain(format!(
        "无法列出「{}」的名单：{what}。要列出名单，请提供{need}。",
        indicator.name
    ))
}

/// Whether one record counts in one side of the figure, and what it adds there.
#[derive(Debug, Clone, Copy)]
struct Member {
    verdict: Verdict,
    amount: Option<Decimal>,
}

impl Member {
    const NONE: Member = Member {
        verdict: Verdict::Out(""),
        amount: None,
    };
}

/// One row of the list before formatting: the record (and the loans of its household when
/// a household row also stands for its 户编号 in the loan ledger).
#[derive(Debug, Clone, Copy)]
struct Item {
    kind: RecordKind,
    index: usize,
    loans: Option<usize>,
    numerator: Member,
    denominator: Member,
}

/// A column of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    HouseholdId,
    HeadName,
    HeadId,
    Phone,
    Name,
    IdNumber,
    ProjectId,
    ProjectName,
    HouseholdType,
    Category,
    Eliminated,
    Identified,
    Assistance,
    Income,
    Labor,
    Certified,
    Work,
    WelfarePost,
    LoanBalance,
    LoanStatus,
    LoanRows,
    Planned,
    Year,
    Status,
    StartedOn,
    CompletedOn,
    ProjectType,
    SpellPlace,
    SpellStart,
    SpellEnd,
    Wage,
    Plans,
    Exited,
    CollectiveIncome,
}

/// The fields that decide a test, shown beside each record.
fn fields_of(test: Test) -> &'static [Field] {
    use Field as F;
    match test {
        Test::Tuopin | Test::Covered | Test::CoveredBorrower => &[F::HouseholdType, F::Category],
        Test::Monitored | Test::Unstable | Test::Marginal | Test::Sudden | Test::NotMonitored => {
            &[F::Category]
        }
        Test::Eliminated => &[F::Category, F::Eliminated],
        Test::NewThisYear => &[F::Category, F::Identified],
        Test::Assisted => &[F::Category, F::Assistance],
        Test::BelowLine | Test::HasIncome => &[F::Income],
        Test::Labor => &[F::Labor],
        Test::Certified => &[F::Certified],
        Test::Working
        | Test::InCounty
        | Test::InProvince
        | Test::OutProvince
        | Test::UnknownDestination => &[F::Work],
        Test::WelfarePost => &[F::WelfarePost],
        Test::HasBalance => &[F::LoanBalance, F::LoanRows],
        Test::Overdue => &[F::LoanStatus, F::LoanRows],
        Test::Planned => &[F::Planned, F::Year],
        Test::Started => &[F::Status, F::StartedOn, F::CompletedOn],
        Test::Completed => &[F::Status, F::CompletedOn],
        Test::Industry => &[F::ProjectType],
        Test::HasWage => &[F::Wage],
        Test::Exited => &[F::Exited],
        Test::HasCollectiveIncome | Test::OverLine => &[F::CollectiveIncome],
    }
}

/// The fields that say which record it is.
fn identity_of(kind: RecordKind) -> &'static [Field] {
    use Field as F;
    match kind {
        RecordKind::Household => &[F::HouseholdId, F::HeadName, F::HeadId, F::Phone],
        RecordKind::Person => &[F::HouseholdId, F::Name, F::IdNumber],
        RecordKind::LoanHousehold => &[F::HouseholdId, F::LoanBalance, F::LoanRows],
        RecordKind::Loan => &[F::HouseholdId, F::LoanBalance, F::LoanStatus],
        RecordKind::Project => &[F::ProjectId, F::ProjectName],
        RecordKind::WorkSpell => &[
            F::HouseholdId,
            F::Name,
            F::IdNumber,
            F::SpellPlace,
            F::SpellStart,
            F::SpellEnd,
        ],
        RecordKind::PlannedWorker => &[F::IdNumber, F::Plans],
        RecordKind::Village => &[],
    }
}

/// Builds the list of one figure.
struct Lister<'r, 'a> {
    records: &'r Records<'a>,
    scope: Scope,
    level: Level,
    pii: Pii,
    /// The 户主 (else first) person of each household, when households are listed.
    heads: Vec<Option<u32>>,
}

impl<'r, 'a> Lister<'r, 'a> {
    fn new(records: &'r Records<'a>, scope: Scope, level: Level, pii: Pii) -> Self {
        Lister {
            records,
            scope,
            level,
            pii,
            heads: Vec::new(),
        }
    }

    fn ds(&self) -> &'a Dataset {
        self.records.dataset()
    }

    /// Whether a record's region lies in the figure's region.
    fn in_scope(&self, region: RegionId) -> bool {
        match self.scope {
            Scope::Total => true,
            Scope::Unit(u) => self.ds().regions.ancestor_at(region, self.level) == Some(u),
        }
    }

    /// Whether record `i` of `kind` counts in the measure of `rule` for this region.
    fn member(&self, kind: RecordKind, i: usize, rule: Option<&Rule>) -> Member {
        let Some(rule) = rule.filter(|r| r.kind == kind) else {
            return Member::NONE;
        };
        let Some(s) = self.records.subject(kind, i) else {
            return Member::NONE;
        };
        if !self.in_scope(self.records.region(s, rule)) {
            return Member {
                verdict: Verdict::Out("不在本地区"),
                amount: None,
            };
        }
        let verdict = self.records.membership(s, rule);
        Member {
            verdict,
            amount: rule
                .amount
                .filter(|_| verdict.is_in())
                .map(|a| self.records.amount(s, a)),
        }
    }

    /// The records in the numerator or the denominator, in input order: the
    /// denominator's kind first; a household also stands for its 户编号 of the loan
    /// ledger when the other side counts loan households.
    fn items(&mut self, num: Option<&Rule>, den: Option<&Rule>) -> Vec<Item> {
        let primary = den.or(num).map(|r| r.kind);
        let secondary = num.map(|r| r.kind).filter(|k| Some(*k) != primary);
        // Loan households by the roster household they belong to.
        let loans_of: Option<rustc_hash::FxHashMap<u32, usize>> = (primary
            == Some(RecordKind::Household)
            && secondary == Some(RecordKind::LoanHousehold))
        .then(|| {
            self.records
                .loan_households()
                .iter()
                .enumerate()
                .filter_map(|(i, g)| g.household.map(|h| (h, i)))
                .collect()
        });
        let mut items = Vec::new();
        if let Some(kind) = primary {
            for i in 0..self.records.len(kind) {
                let loans = loans_of.as_ref().and_then(|m| m.get(&(i as u32)).copied());
                let side = |rule: Option<&Rule>| match (rule, loans) {
                    (Some(r), Some(g)) if r.kind == RecordKind::LoanHousehold => {
                        self.member(RecordKind::LoanHousehold, g, Some(r))
                    }
                    (Some(r), None)
                        if r.kind == RecordKind::LoanHousehold && loans_of.is_some() =>
                    {
                        Member {
                            verdict: Verdict::Out("无贷款余额（台账中无此户）"),
                            amount: None,
                        }
                    }
                    _ => self.member(kind, i, rule),
                };
                let (n, d) = (side(num), side(den));
                if n.verdict.is_in() || d.verdict.is_in() {
                    items.push(Item {
                        kind,
                        index: i,
                        loans,
                        numerator: n,
                        denominator: d,
                    });
                }
            }
        }
        if let Some(kind) = secondary {
            let listed: rustc_hash::FxHashSet<usize> =
                items.iter().filter_map(|i| i.loans).collect();
            for i in 0..self.records.len(kind) {
                if loans_of.is_some() && listed.contains(&i) {
                    continue;
                }
                let n = self.member(kind, i, num);
                if n.verdict.is_in() {
                    items.push(Item {
                        kind,
                        index: i,
                        loans: None,
                        numerator: n,
                        denominator: Member::NONE,
                    });
                }
            }
        }
        if items.iter().any(|i| i.kind == RecordKind::Household) {
            self.heads = self.ds().roster.heads();
        }
        items
    }

    /// The columns and the formatted rows.
    fn rows(
        &self,
        items: &[Item],
        num: Option<&Rule>,
        den: Option<&Rule>,
    ) -> (Vec<String>, Vec<bool>, Vec<ExplainRow>) {
        let mut fields: Vec<Field> = Vec::new();
        let mut push = |f: Field| {
            if !fields.contains(&f) {
                fields.push(f);
            }
        };
        let mut kinds: Vec<RecordKind> = Vec::new();
        for i in items {
            if !kinds.contains(&i.kind) {
                kinds.push(i.kind);
            }
        }
        if kinds.is_empty() {
            kinds.extend(den.or(num).map(|r| r.kind));
        }
        for k in &kinds {
            identity_of(*k).iter().copied().for_each(&mut push);
        }
        // A field a part already shows as its amount is not repeated.
        let shown: Vec<Field> = num
            .into_iter()
            .chain(den)
            .filter_map(|r| match r.amount {
                Some(records::Amount::HouseholdIncome) => Some(Field::Income),
                Some(records::Amount::Wage) => Some(Field::Wage),
                Some(records::Amount::CollectiveIncome) => Some(Field::CollectiveIncome),
                _ => None,
            })
            .collect();
        for rule in num.into_iter().chain(den) {
            for t in rule.tests {
                fields_of(*t)
                    .iter()
                    .copied()
                    .filter(|f| !shown.contains(f))
                    .for_each(&mut push);
            }
        }
        if items.iter().any(|i| i.loans.is_some()) {
            [Field::LoanBalance, Field::LoanRows]
                .into_iter()
                .for_each(&mut push);
        }
        let has_village = kinds.contains(&RecordKind::Village);
        let mut columns: Vec<String> = ["序号", "来源文件", "工作表", "行号", "地区"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut amounts = vec![false; columns.len()];
        if has_village {
            columns.push("行政村".into());
            amounts.push(false);
        }
        for f in &fields {
            columns.push(self.field_name(*f).into());
            amounts.push(false);
        }
        let side_column = |rule: Option<&Rule>, word: &str| match rule {
            Some(r) if r.amount.is_some() => (
                measures::by_id(r.measure)
                    .map_or(r.measure, |m| m.name)
                    .to_string(),
                true,
            ),
            _ => (format!("计入{word}"), false),
        };
        let num_col = side_column(num, "分子");
        let den_col = den.map(|_| side_column(den, "分母"));
        for (name, amount) in std::iter::once(&num_col).chain(den_col.as_ref()) {
            columns.push(name.clone());
            amounts.push(*amount);
        }
        columns.push("未计入原因".into());
        amounts.push(false);

        let rows = items
            .iter()
            .enumerate()
            .map(|(n, item)| {
                let at = self.row_ref(item);
                let source = self.ds().sources.get(at.source as usize);
                let mut cells = vec![
                    Value::Number(Decimal::from(n + 1)),
                    Value::Text(
                        source.map_or_else(String::new, |s| crate::text::base_name(&s.file)),
                    ),
                    source.and_then(|s| s.sheet.clone()).into(),
                    Value::Number(Decimal::from(at.row)),
                    Value::Text(self.region_of(item)),
                ];
                if has_village {
                    cells.push(self.village_name(item));
                }
                for f in &fields {
                    cells.push(self.field(*f, item));
                }
                let side_cell = |m: &Member, amount: bool| {
                    if amount {
                        m.amount.map_or(Value::Empty, Value::Number)
                    } else {
                        Value::Text(if m.verdict.is_in() { "是" } else { "否" }.into())
                    }
                };
                cells.push(side_cell(&item.numerator, num_col.1));
                if let Some((_, amount)) = &den_col {
                    cells.push(side_cell(&item.denominator, *amount));
                }
                let in_denominator = den.is_none() || item.denominator.verdict.is_in();
                let reason = match (item.numerator.verdict, item.denominator.verdict) {
                    (Verdict::Out(why), _) if in_denominator => why.to_string(),
                    (_, Verdict::Out(why)) if !in_denominator && !why.is_empty() => {
                        format!("不计入分母：{why}")
                    }
                    (_, Verdict::Out(_)) if !in_denominator => format!(
                        "不计入分母：分母统计的是{}",
                        den.map_or("", |r| r.kind.label())
                    ),
                    _ => String::new(),
                };
                cells.push(Value::Text(reason.clone()));
                ExplainRow {
                    kind: item.kind,
                    file: source.map_or_else(String::new, |s| crate::text::base_name(&s.file)),
                    sheet: source.and_then(|s| s.sheet.clone()),
                    row: at.row,
                    in_numerator: item.numerator.verdict.is_in(),
                    in_denominator,
                    reason,
                    cells,
                }
            })
            .collect();
        (columns, amounts, rows)
    }

    /// Where the record is in the inputs: a household's 户主 row, a loan household's first
    /// loan.
    fn row_ref(&self, item: &Item) -> RowRef {
        match self.records.subject(item.kind, item.index) {
            Some(Subject::Household(h)) => h.at,
            Some(Subject::Person { facts, .. }) => facts.at,
            Some(Subject::LoanHousehold(g, _)) => self
                .records
                .loans_of(g)
                .first()
                .and_then(|&l| self.ds().loans.get(l as usize))
                .map_or_else(RowRef::default, |l| l.at),
            Some(Subject::Loan(l, _)) => l.at,
            Some(Subject::Project(p)) => p.at,
            Some(Subject::Spell(s)) => s.at,
            Some(Subject::Planned(r)) => r.at,
            Some(Subject::Village(v)) => v.at,
            None => RowRef::default(),
        }
    }

    fn region_of(&self, item: &Item) -> String {
        let Some(s) = self.records.subject(item.kind, item.index) else {
            return String::new();
        };
        self.ds().regions.path(self.records.region(s, &NO_RULE))
    }

    fn village_name(&self, item: &Item) -> Value {
        match self.records.subject(item.kind, item.index) {
            Some(Subject::Village(v)) => Value::Text(self.ds().regions.name(v.region).to_string()),
            _ => Value::Empty,
        }
    }

    fn field_name(&self, f: Field) -> &'static str {
        match f {
            Field::HouseholdId => "户编号",
            Field::HeadName => "户主姓名",
            Field::HeadId => "户主证件号码",
            Field::Phone => "联系电话",
            Field::Name => "姓名",
            Field::IdNumber => "证件号码",
            Field::ProjectId => "项目编号",
            Field::ProjectName => "项目名称",
            Field::HouseholdType => "户类型",
            Field::Category => "监测对象类别",
            Field::Eliminated => "风险是否消除",
            Field::Identified => "识别监测时间",
            Field::Assistance => "已落实的帮扶措施",
            Field::Income => "人均纯收入（元）",
            Field::Labor => "劳动技能",
            Field::Certified => "是否持证",
            Field::Work if self.records.current_spells().is_some() => "当月务工所在县",
            Field::Work => "务工所在地",
            Field::WelfarePost => "公益性岗位",
            Field::LoanBalance => "贷款余额（元）",
            Field::LoanStatus => "贷款状态",
            Field::LoanRows => "小额信贷台账行号",
            Field::Planned => "是否纳入年度实施计划",
            Field::Year => "项目年度",
            Field::Status => "项目状态",
            Field::StartedOn => "开工日期",
            Field::CompletedOn => "完工日期",
            Field::ProjectType => "项目类型",
            Field::SpellPlace => "务工所在县",
            Field::SpellStart => "开始时间",
            Field::SpellEnd => "结束时间",
            Field::Wage => "务工月收入（元）",
            Field::Plans => "是否计划务工",
            Field::Exited => "是否出列",
            Field::CollectiveIncome => "村级集体经济收入（万元）",
        }
    }

    /// The value of one field for one record.
    fn field(&self, f: Field, item: &Item) -> Value {
        let Some(s) = self.records.subject(item.kind, item.index) else {
            return Value::Empty;
        };
        let ds = self.ds();
        let household: Option<&Household> = match s {
            Subject::Household(h) | Subject::Person { household: h, .. } => Some(h),
            Subject::LoanHousehold(_, h) => h,
            Subject::Loan(_, h) => h,
            _ => None,
        };
        let person_ix: Option<u32> = match s {
            Subject::Person { index, .. } => Some(index),
            Subject::Household(_) => self.heads.get(item.index).copied().flatten(),
            Subject::Spell(w) => self.records.person_of(w.id),
            Subject::Planned(r) => self.records.person_of(r.id),
            _ => None,
        };
        let person: Option<&Person> = person_ix.and_then(|p| ds.roster.persons.get(p as usize));
        let loans = match s {
            Subject::LoanHousehold(g, _) => Some(g),
            _ => item
                .loans
                .and_then(|g| self.records.loan_households().get(g)),
        };
        let text = |t: &str| Value::Text(t.to_string());
        let yes_no =
            |b: Option<bool>| b.map_or(Value::Empty, |b| text(if b { "是" } else { "否" }));
        let date = |d: Option<NaiveDate>| {
            d.map_or(Value::Empty, |d| {
                Value::Text(d.format("%Y-%m-%d").to_string())
            })
        };
        let month = |d: Option<NaiveDate>| {
            d.map_or(Value::Empty, |d| {
                Value::Text(d.format("%Y年%m月").to_string())
            })
        };
        let project = match s {
            Subject::Project(p) => Some(p),
            _ => None,
        };
        let spell = match s {
            Subject::Spell(w) => Some(w),
            Subject::Person { spell, .. } => spell,
            _ => None,
        };
        match f {
            Field::HouseholdId => match s {
                Subject::LoanHousehold(g, _) => text(self.records.loan_household_id(g)),
                Subject::Loan(l, _) => text(&l.household_id),
                Subject::Spell(w) => text(&w.household_id),
                _ => household.map_or(Value::Empty, |h| text(&h.id)),
            },
            Field::HeadName | Field::Name => person
                .and_then(|p| p.name.as_deref())
                .map_or(Value::Empty, |n| Value::Text(self.pii.name(n))),
            Field::HeadId | Field::IdNumber => {
                let id = match s {
                    Subject::Spell(w) => w.id,
                    Subject::Planned(r) => r.id,
                    _ => person_ix.and_then(|p| ds.roster.ids.get(p as usize)),
                };
                id.map_or(Value::Empty, |id| Value::Text(self.pii.id(id.as_str())))
            }
            Field::Phone => person
                .and_then(|p| p.phone.as_deref())
                .map_or(Value::Empty, |n| Value::Text(self.pii.phone(n))),
            Field::ProjectId => project.map_or(Value::Empty, |p| text(&p.id)),
            Field::ProjectName => project
                .and_then(|p| p.name.as_deref())
                .map_or(Value::Empty, text),
            Field::HouseholdType => household.map_or(Value::Empty, |h| match h.kind {
                Some(crate::model::HouseholdType::Tuopin) => text("脱贫户"),
                Some(crate::model::HouseholdType::General) => text("普通农户"),
                None => Value::Empty,
            }),
            Field::Category => household.map_or(Value::Empty, |h| match h.category {
                Some(crate::model::MonitorCategory::Unstable) => text("脱贫不稳定户"),
                Some(crate::model::MonitorCategory::Marginal) => text("边缘易致贫户"),
                Some(crate::model::MonitorCategory::Sudden) => text("突发严重困难户"),
                Some(crate::model::MonitorCategory::Other) => {
                    h.category_text.as_deref().map_or(Value::Empty, text)
                }
                None => Value::Empty,
            }),
            Field::Eliminated => household.map_or(Value::Empty, |h| yes_no(h.eliminated)),
            Field::Identified => household.map_or(Value::Empty, |h| date(h.identified)),
            Field::Assistance => household.map_or(Value::Empty, |h| {
                let mut in_place: Vec<&str> = crate::model::Assistance::ALL
                    .iter()
                    .filter(|a| h.assistance.contains(**a))
                    .map(|a| a.label())
                    .collect();
                if h.assistance_text {
                    in_place.push("帮扶措施已填写");
                }
                Value::from(Some(in_place.join("、")))
            }),
            Field::Income => household
                .and_then(|h| h.income)
                .map_or(Value::Empty, Value::Number),
            Field::Labor => match s {
                Subject::Person { facts, .. } => facts.labor.map_or(Value::Empty, |l| {
                    text(match l {
                        crate::model::LaborSkill::Ordinary => "普通劳动力",
                        crate::model::LaborSkill::Skilled => "技能劳动力",
                        crate::model::LaborSkill::Weak => "弱劳动力或半劳动力",
                        crate::model::LaborSkill::Lost => "丧失劳动力",
                        crate::model::LaborSkill::NoLabor => "无劳动力",
                        crate::model::LaborSkill::Other => "其他",
                    })
                }),
                _ => Value::Empty,
            },
            Field::Certified => match s {
                Subject::Person { facts, .. } => yes_no(facts.certified),
                _ => Value::Empty,
            },
            Field::Work => match s {
                Subject::Person { work, .. } => {
                    let written = match spell {
                        Some(w) => w
                            .place_entry
                            .and_then(|e| ds.spell_places.get(e as usize))
                            .map(|e| e.text.to_string()),
                        None => person
                            .and_then(|p| ds.roster.work_place_of(p))
                            .map(|e| e.text.to_string()),
                    };
                    match (written, work) {
                        (_, WorkPlace::NotWorking) => Value::Empty,
                        (Some(w), work) => Value::Text(format!("{w}（{}）", work.label())),
                        (None, work) => text(work.label()),
                    }
                }
                _ => Value::Empty,
            },
            Field::WelfarePost => match s {
                Subject::Person { facts, .. } => yes_no(Some(facts.welfare_post)),
                _ => Value::Empty,
            },
            Field::LoanBalance => match s {
                Subject::Loan(l, _) => l.balance.map_or(Value::Empty, Value::Number),
                _ => loans.map_or(Value::Empty, |g| Value::Number(g.balance)),
            },
            Field::LoanStatus => {
                let status = |l: &crate::model::Loan| {
                    l.status.map(|s| match s {
                        crate::model::LoanStatus::Normal => "正常",
                        crate::model::LoanStatus::Overdue => "逾期",
                        crate::model::LoanStatus::Extended => "展期",
                        crate::model::LoanStatus::Renewed => "续贷",
                        crate::model::LoanStatus::Settled => "已结清",
                    })
                };
                match s {
                    Subject::Loan(l, _) => status(l).map_or(Value::Empty, text),
                    _ => loans.map_or(Value::Empty, |g| {
                        let all: Vec<&str> = self
                            .records
                            .loans_of(g)
                            .iter()
                            .filter_map(|&l| ds.loans.get(l as usize))
                            .filter_map(status)
                            .collect();
                        Value::from(Some(all.join("、")))
                    }),
                }
            }
            Field::LoanRows => loans.map_or(Value::Empty, |g| {
                let rows: Vec<String> = self
                    .records
                    .loans_of(g)
                    .iter()
                    .filter_map(|&l| ds.loans.get(l as usize))
                    .map(|l| l.at.row.to_string())
                    .collect();
                Value::from(Some(rows.join("、")))
            }),
            Field::Planned => project.map_or(Value::Empty, |p| yes_no(Some(p.planned))),
            Field::Year => project
                .and_then(|p| p.year)
                .map_or(Value::Empty, |y| Value::Number(Decimal::from(y))),
            Field::Status => project.and_then(|p| p.status).map_or(Value::Empty, |st| {
                text(match st {
                    crate::model::ProjectStatus::NotStarted => "未开工",
                    crate::model::ProjectStatus::Started => "已开工",
                    crate::model::ProjectStatus::Completed => "已完工",
                })
            }),
            Field::StartedOn => date(project.and_then(|p| p.started_on)),
            Field::CompletedOn => date(project.and_then(|p| p.completed_on)),
            Field::ProjectType => project.and_then(|p| p.kind).map_or(Value::Empty, |k| {
                text(match k {
                    crate::model::ProjectType::Industry => "产业发展",
                    crate::model::ProjectType::Infrastructure => "基础设施",
                    crate::model::ProjectType::Employment => "就业帮扶",
                    crate::model::ProjectType::RuralConstruction => "乡村建设",
                    crate::model::ProjectType::Other => "其他",
                })
            }),
            Field::SpellPlace => spell.map_or(Value::Empty, |w| {
                let written = w
                    .place_entry
                    .and_then(|e| ds.spell_places.get(e as usize))
                    .map(|e| e.text.to_string())
                    .unwrap_or_default();
                Value::Text(format!("{written}（{}）", w.place.label()))
            }),
            Field::SpellStart => month(spell.and_then(|w| w.start)),
            Field::SpellEnd => month(spell.and_then(|w| w.end)),
            Field::Wage => spell
                .and_then(|w| w.monthly_wage)
                .map_or(Value::Empty, Value::Number),
            Field::Plans => match s {
                Subject::Planned(r) => yes_no(r.plans),
                _ => Value::Empty,
            },
            Field::Exited => match s {
                Subject::Village(v) => yes_no(v.exited),
                _ => Value::Empty,
            },
            Field::CollectiveIncome => match s {
                Subject::Village(v) => v.collective_income.map_or(Value::Empty, Value::Number),
                _ => Value::Empty,
            },
        }
    }
}

/// A rule with no tests, to ask where a record is regardless of any measure (a 户编号 of the
/// loan ledger: where its first loan is).
const NO_RULE: Rule = Rule {
    measure: "",
    kind: RecordKind::Household,
    tests: &[],
    amount: None,
};

#[cfg(test)]
mod tests;
