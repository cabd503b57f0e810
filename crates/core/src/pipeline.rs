//! From a dataset to a report: measures from records and 汇总 (records win, SPEC §3.6),
//! targets from 目标, official order, the parent's name, then [`compute::build_report`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::catalog::{Catalog, Comparison, ReportKind, TargetSpec, Threshold};
use crate::compute::{self, Report, ReportInput, UnitInput, WarningConfig};
use crate::config::Config;
use crate::error::Result;
use crate::measures::{self, Tally};
use crate::model::Dataset;
use crate::region::{Level, RegionId};
use crate::text::normalize_header;

/// Everything a report needs besides the data, resolved from flags and `gonggu.toml`.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Level of the ranked units.
    pub level: Level,
    /// 统计截止日期.
    pub as_of: NaiveDate,
    /// Name of the parent region (`[region] name`).
    pub region_name: Option<String>,
    /// Official order of the units (`[region] order`).
    pub order: Vec<String>,
    /// Monitoring income line (元).
    pub monitoring_line: Decimal,
    /// 村级集体经济收入达标线 (万元).
    pub collective_income_line: Decimal,
    /// Indicator ids to report, in order ([`crate::catalog::ALL`]: every indicator and
    /// every measure the inputs support).
    pub selection: Vec<String>,
    /// The headline counts of the 基本情况 part ([`Report::basics`]); empty for none.
    pub basics: Vec<String>,
    /// Warning thresholds.
    pub warning: WarningConfig,
    /// `[targets]`: indicator id → threshold replacing the catalog's.
    pub target_overrides: BTreeMap<String, Decimal>,
}

impl Settings {
    /// The settings of one report, from `gonggu.toml` and the catalog in use: the
    /// indicators are `explicit` when given, else the configured list of `kind`, else the
    /// catalog's; the monitoring line is `monitoring_line` of the config, else the
    /// catalog's parameter, else the built-in catalog's.
    ///
    /// # Errors
    /// [`crate::Error::Catalog`] when no catalog declares `monitoring_line`.
    ///
    /// # Examples
    /// ```
    /// use chrono::NaiveDate;
    /// use gonggu_core::catalog::{Catalog, ReportKind};
    /// use gonggu_core::config::Config;
    /// use gonggu_core::pipeline::Settings;
    /// use gonggu_core::region::Level;
    /// let config = Config::parse("monitoring_line = 7300", "gonggu.toml").unwrap();
    /// let catalog = Catalog::builtin().unwrap();
    /// let as_of = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
    /// let s = Settings::new(Level::Town, as_of, &config, &catalog, ReportKind::Notice, &[]).unwrap();
    /// assert_eq!(s.monitoring_line, 7300.into());
    /// assert_eq!(s.selection, catalog.selection(ReportKind::Notice));
    /// ```
    pub fn new(
        level: Level,
        as_of: NaiveDate,
        config: &Config,
        catalog: &Catalog,
        kind: ReportKind,
        explicit: &[String],
    ) -> Result<Settings> {
        let selection = if explicit.is_empty() {
            config
                .reports
                .selection(kind)
                .cloned()
                .unwrap_or_else(|| catalog.selection(kind))
        } else {
            explicit.to_vec()
        };
        let monitoring_line = match config.monitoring_line {
            Some(line) => line,
            None => match catalog.param(MONITORING_LINE) {
                Some(line) => line,
                None => Catalog::builtin()?.param(MONITORING_LINE).ok_or_else(|| {
                    crate::Error::Catalog(format!(
                        "指标目录 {} 没有声明参数「{MONITORING_LINE}」（防返贫监测收入标准）",
                        catalog.origin
                    ))
                })?,
            },
        };
        let basics = match kind {
            ReportKind::Notice | ReportKind::Brief | ReportKind::Evaluate => config
                .reports
                .selection(ReportKind::Basics)
                .cloned()
                .unwrap_or_else(|| catalog.selection(ReportKind::Basics)),
            ReportKind::Compute | ReportKind::Basics => Vec::new(),
        };
        let collective_income_line = config
            .collective_income_line
            .or_else(|| catalog.param(COLLECTIVE_INCOME_LINE))
            .unwrap_or(measures::DEFAULT_COLLECTIVE_INCOME_LINE);
        let mut warning = WarningConfig::default();
        if let Some(points) = config.warning.yellow_margin_points {
            warning.yellow_points = points;
        }
        Ok(Settings {
            level,
            as_of,
            region_name: config.region.name.clone(),
            order: config.region.order.clone(),
            monitoring_line,
            collective_income_line,
            selection,
            basics,
            warning,
            target_overrides: config.targets.clone(),
        })
    }

    /// The same settings for another period (the previous month's as-of date).
    pub fn at(&self, as_of: NaiveDate) -> Settings {
        Settings {
            as_of,
            ..self.clone()
        }
    }
}

/// The catalog parameter of the monitoring income line.
const MONITORING_LINE: &str = "monitoring_line";

/// The catalog parameter of the 村级集体经济收入 line.
const COLLECTIVE_INCOME_LINE: &str = "collective_income_line";

/// Refuses a dataset without a data row (a roster, ledger or 汇总 row): only headers,
/// total rows, a 目标 table, or rows of other counties than the configured one.
///
/// # Errors
/// [`crate::Error::NoData`], saying what each input held.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::{read_inputs, ReadOptions};
/// use gonggu_core::pipeline::require_data;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("名单.csv");
/// std::fs::write(&path, "县,乡,村,户编号,证件号码,户类型\n").unwrap();
/// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
/// let e = require_data(&ds).unwrap_err().to_string();
/// assert!(e.contains("名单.csv：人员表只有表头"), "{e}");
/// ```
pub fn require_data(ds: &Dataset) -> Result<()> {
    let rows = ds.roster.facts.len()
        + ds.projects.len()
        + ds.loans.len()
        + ds.summary.len()
        + ds.work_spells.len()
        + ds.planned_work.len()
        + ds.villages.len()
        + ds.household_info.len();
    if rows > 0 {
        return Ok(());
    }
    let mut parts: Vec<String> = ds
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let sheet = s
                .sheet
                .as_ref()
                .map(|n| format!("，工作表「{n}」"))
                .unwrap_or_default();
            let totals = ds
                .total_rows
                .iter()
                .filter(|r| r.source as usize == i)
                .count();
            let what = match s.kind {
                crate::model::TableKind::Targets => "目标表只提供目标值，不是统计数据".to_string(),
                _ if ds.out_of_scope.iter().any(|(k, _)| *k == s.kind) => {
                    format!("{}中没有本级地区的数据行", s.kind.label())
                }
                _ if totals > 0 => {
                    format!("{}只有 {totals} 行合计，没有数据行", s.kind.label())
                }
                _ => format!("{}只有表头，没有数据行", s.kind.label()),
            };
            format!("文件 {}{sheet}：{what}", s.file)
        })
        .collect();
    let left_out: u64 = ds.out_of_scope.iter().map(|(_, n)| n).sum();
    if left_out > 0 {
        parts.push(format!(
            "另有 {left_out} 行属于配置的地区（gonggu.toml 的 [region] name）以外的县(市、区)，未计入"
        ));
    }
    Err(crate::Error::NoData(format!(
        "{}。请确认导出的文件含有数据。",
        parts.join("；")
    )))
}

/// Why measures without column reasons are unavailable (all of one source table): a 目标
/// table or a 汇总 that lacks their columns, else their table was not given. `None` for a
/// measure gonggu does not know.
fn table_reason(ds: &Dataset, ids: &[&str]) -> Option<String> {
    use crate::model::TableKind;
    let defs: Vec<&measures::MeasureDef> = ids
        .iter()
        .map(|id| measures::by_id(id))
        .collect::<Option<_>>()?;
    let m = defs.first()?;
    let table = crate::catalog::source_table(m.source);
    let targets = m.source == measures::MeasureSource::Targets;
    let columns = defs
        .iter()
        .map(|d| format!("「{}」", d.name))
        .collect::<Vec<_>>()
        .join("");
    Some(if targets && ds.has(TableKind::Targets) {
        format!("目标表中没有{columns}列")
    } else if ds.has(TableKind::Summary) {
        format!("汇总表中没有{columns}列，也未提供{table}")
    } else if targets {
        format!("未提供目标表（需有{columns}列）")
    } else {
        format!("未提供{table}")
    })
}

/// Explains the measures an indicator lacks: the columns not recognised, merged per table
/// (持证率 lacks 持证人数 and 劳动力人数: one sentence naming 劳动技能 and 是否持证), then a
/// 目标 or 汇总 without the column, then the tables not given. `None` when a measure is
/// not one gonggu knows (a catalog's own).
fn explain(
    ds: &Dataset,
    columns: &BTreeMap<String, measures::MissingColumns>,
    missing: &[&str],
) -> Option<String> {
    let mut all_of: Vec<(&str, Vec<&'static str>)> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !others.contains(&s) {
            others.push(s);
        }
    };
    // Measures without column reasons, by source table: one sentence per table.
    let mut by_table: Vec<(measures::MeasureSource, Vec<&str>)> = Vec::new();
    for id in missing {
        match columns.get(*id) {
            Some(m) if !m.any => {
                let at = match all_of.iter().position(|(t, _)| *t == m.table) {
                    Some(at) => at,
                    None => {
                        all_of.push((m.table, Vec::new()));
                        all_of.len() - 1
                    }
                };
                if let Some((_, cols)) = all_of.get_mut(at) {
                    for c in &m.columns {
                        if !cols.contains(c) {
                            cols.push(c);
                        }
                    }
                }
            }
            Some(m) => push(m.sentence()),
            None => {
                let source = measures::by_id(id)?.source;
                match by_table.iter_mut().find(|(s, _)| *s == source) {
                    Some((_, ids)) => ids.push(id),
                    None => by_table.push((source, vec![id])),
                }
            }
        }
    }
    for (_, ids) in &by_table {
        push(table_reason(ds, ids)?);
    }
    let mut sentences: Vec<String> = all_of
        .iter()
        .map(|(t, cols)| measures::missing_columns(t, cols, false))
        .collect();
    sentences.extend(others);
    Some(sentences.join("；"))
}

/// Builds the report of one period.
///
/// # Errors
/// - [`crate::Error::NoData`] when the inputs hold no data row (see [`require_data`]);
/// - [`crate::Error::NoIndicators`] when no selected indicator can be computed, with the
///   reasons;
/// - catalog errors (unknown indicator ids in the selection or the overrides).
pub fn build(
    ds: &Dataset,
    catalog: &Catalog,
    s: &Settings,
    previous: Option<&Report>,
) -> Result<Report> {
    require_data(ds)?;
    let catalog = with_overrides(catalog, &s.target_overrides)?;
    let mut notes: Vec<String> = ds.notes.clone();
    let tallies = measures::tally_with(
        ds,
        s.level,
        &measures::TallyParams {
            as_of: s.as_of,
            monitoring_line: s.monitoring_line,
            collective_income_line: s.collective_income_line,
        },
    );
    notes.extend(tallies.notes.iter().cloned());
    let mut units: Vec<(RegionId, Tally)> = tallies.units;
    let mut total = tallies.total;

    merge_summary(ds, s.level, &mut units, &mut total, &mut notes);
    let unit_targets = merge_targets(ds, &catalog, s.level, &mut units, &mut total, &mut notes);

    let ordered = order_units(ds, s, units, unit_targets, &mut notes);
    let parent = parent_name(ds, s, &ordered);
    if parent == "合计" {
        notes.push(
            "未配置本级地区名称（gonggu.toml 的 [region] name），也无法从数据推断：合计行记为“合计”，文件名和标题中不写地区，通报不写发文机关标志和署名。请在 gonggu.toml 的 [region] name 中填写本级地区名称（[document] issuing_office 可另写发文机关）。"
                .into(),
        );
    }
    let mut params = catalog.param_defaults();
    params.insert(MONITORING_LINE.into(), s.monitoring_line);
    params.insert(COLLECTIVE_INCOME_LINE.into(), s.collective_income_line);
    let why = |missing: &[&str]| explain(ds, &tallies.missing, missing);
    let basics = (!s.basics.is_empty())
        .then(|| {
            let selection = supported(&catalog, &s.basics, &total, true);
            compute::build_report(ReportInput {
                catalog: &catalog,
                selection,
                level: s.level,
                parent: parent.clone(),
                as_of: s.as_of,
                units: ordered.clone(),
                total: total.clone(),
                params: params.clone(),
                warning: s.warning.clone(),
                previous: previous.and_then(|p| p.basics.as_deref()),
            })
            .ok()
            .filter(|b| !b.indicators.is_empty())
            .map(Box::new)
        })
        .flatten();
    let mut report = compute::build_report_explained(
        ReportInput {
            catalog: &catalog,
            selection: supported(&catalog, &s.selection, &total, false),
            level: s.level,
            parent,
            as_of: s.as_of,
            units: ordered,
            total,
            params,
            warning: s.warning.clone(),
            previous,
        },
        &why,
    )?;
    report.basics = basics;
    if report.indicators.is_empty() {
        let why = if report.left_out.is_empty() {
            "没有选择任何指标".to_string()
        } else {
            report.left_out.join("；")
        };
        return Err(crate::Error::NoIndicators(format!(
            "{why}。请补充相应的表或列（列名的其他写法可在 gonggu.toml 的 [aliases] 中添加）。"
        )));
    }
    notes.append(&mut report.notes);
    report.notes = notes;
    Ok(report)
}

/// The indicator ids of a selection to compute: [`crate::catalog::ALL`] stands for every
/// indicator the catalog defines and every measure the inputs support (a measure the inputs
/// lack is no news: it is left out silently, while a defined indicator left out is noted);
/// with `only_supported`, every id whose measures are unavailable is dropped silently.
fn supported(
    catalog: &Catalog,
    selection: &[String],
    total: &Tally,
    only_supported: bool,
) -> Vec<String> {
    let available =
        |ind: &crate::catalog::Indicator| ind.measures().iter().all(|m| total.get(m).is_some());
    let mut out: Vec<String> = Vec::new();
    for id in selection {
        if id == crate::catalog::ALL {
            out.extend(
                catalog
                    .indicators
                    .iter()
                    .filter(|i| !(i.generated || only_supported) || available(i))
                    .map(|i| i.id.clone()),
            );
        } else if !only_supported || catalog.get(id).is_none_or(available) {
            out.push(id.clone());
        }
    }
    out
}

/// Applies `[targets]` overrides to a copy of the catalog.
fn with_overrides(catalog: &Catalog, overrides: &BTreeMap<String, Decimal>) -> Result<Catalog> {
    let mut catalog = catalog.clone();
    for (id, v) in overrides {
        let Some(ind) = catalog.indicators.iter_mut().find(|i| &i.id == id) else {
            return Err(crate::Error::Config(format!(
                "[targets] 中的指标「{id}」不在指标目录中（可用 gonggu indicators 查看）"
            )));
        };
        let comparison = Comparison::default_for(ind);
        ind.target = Some(TargetSpec {
            comparison,
            threshold: Threshold::Fixed(*v),
        });
    }
    Ok(catalog)
}

fn unit_slot(units: &mut Vec<(RegionId, Tally)>, id: RegionId) -> &mut Tally {
    let i = match units.iter().position(|(u, _)| *u == id) {
        Some(i) => i,
        None => {
            units.push((id, Tally::default()));
            units.len() - 1
        }
    };
    &mut units[i].1
}

/// 汇总 rows supply the measures no record table supplies; the others are cross-checked.
fn merge_summary(
    ds: &Dataset,
    level: Level,
    units: &mut Vec<(RegionId, Tally)>,
    total: &mut Tally,
    notes: &mut Vec<String>,
) {
    if ds.summary.is_empty() {
        return;
    }
    let from_records: Vec<String> = total.0.keys().cloned().collect();
    let mut supplied = Tally::default();
    let mut mismatches = Vec::new();
    let mut skipped_rows = 0;
    for row in &ds.summary {
        let Some(unit) = ds
            .regions
            .ancestor_at(row.region, level)
            .filter(|u| *u == row.region)
        else {
            skipped_rows += 1;
            continue;
        };
        for (id, v) in &row.values {
            if from_records.contains(id) {
                let counted = units
                    .iter()
                    .find(|(u, _)| *u == unit)
                    .and_then(|(_, t)| t.get(id))
                    .unwrap_or_default();
                if counted != *v {
                    mismatches.push(format!(
                        "{} 的「{}」汇总表为 {v}，按明细计算为 {counted}",
                        ds.regions.label(unit),
                        measures::by_id(id).map(|m| m.name).unwrap_or(id)
                    ));
                }
            } else {
                unit_slot(units, unit).add(id, *v);
                supplied.add(id, *v);
            }
        }
    }
    total.absorb(&supplied);
    if skipped_rows > 0 {
        notes.push(format!(
            "汇总表中有 {skipped_rows} 行不是本级（{}）单位，未使用。",
            level.unit_word()
        ));
    }
    if !mismatches.is_empty() {
        notes.push(format!(
            "汇总表与明细不一致（以明细为准）：{}",
            mismatches.join("；")
        ));
    }
    // The 合计 row of a 汇总 is checked against the recomputed total.
    for (_, values) in &ds.summary_totals {
        for (id, v) in values {
            if let Some(t) = total.get(id)
                && t != *v
            {
                notes.push(format!(
                    "汇总表合计行的「{}」为 {v}，重新计算的合计为 {t}（以重新计算为准）。",
                    measures::by_id(id).map(|m| m.name).unwrap_or(id)
                ));
            }
        }
    }
}

/// 目标 rows: a column named after a measure supplies it (e.g. 务工就业目标人数); a column
/// named after an indicator sets that unit's threshold.
fn merge_targets(
    ds: &Dataset,
    catalog: &Catalog,
    level: Level,
    units: &mut Vec<(RegionId, Tally)>,
    total: &mut Tally,
    notes: &mut Vec<String>,
) -> BTreeMap<RegionId, BTreeMap<String, Decimal>> {
    let mut thresholds: BTreeMap<RegionId, BTreeMap<String, Decimal>> = BTreeMap::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut other_level = 0usize;
    for row in &ds.targets {
        let Some(unit) = ds
            .regions
            .ancestor_at(row.region, level)
            .filter(|u| *u == row.region)
        else {
            other_level += 1;
            continue;
        };
        for (col, v) in &row.values {
            if let Some(m) = measures::by_name(col) {
                unit_slot(units, unit).add(m.id, *v);
                total.add(m.id, *v);
            } else if let Some(ind) = catalog
                .indicators
                .iter()
                .find(|i| normalize_header(&i.name) == *col || i.id == *col)
            {
                let v = if ind.kind.is_percent() && *v > Decimal::from(2) {
                    *v / Decimal::ONE_HUNDRED
                } else {
                    *v
                };
                thresholds
                    .entry(unit)
                    .or_default()
                    .insert(ind.id.clone(), v);
            } else if !unknown.contains(col) {
                unknown.push(col.clone());
            }
        }
    }
    if other_level > 0 {
        notes.push(format!(
            "目标表中有 {other_level} 行不是本级（{}）单位，其目标不用于本次排名。",
            level.unit_word()
        ));
    }
    if !unknown.is_empty() {
        notes.push(format!(
            "目标表中的列「{}」既不是指标分量也不是指标名称，已忽略。",
            unknown.join("」「")
        ));
    }
    thresholds
}

fn order_units(
    ds: &Dataset,
    s: &Settings,
    units: Vec<(RegionId, Tally)>,
    mut thresholds: BTreeMap<RegionId, BTreeMap<String, Decimal>>,
    notes: &mut Vec<String>,
) -> Vec<UnitInput> {
    let regions = &ds.regions;
    let make = |id: RegionId, tally: Tally, targets| UnitInput {
        key: regions.path(id),
        label: regions.label(id),
        tally,
        targets,
        has_data: true,
    };
    let names_match =
        |id: RegionId, name: &str| regions.name(id) == name || regions.label(id) == name;
    let order_applies = s
        .order
        .iter()
        .any(|name| units.iter().any(|(id, _)| names_match(*id, name)));
    let mut rest: Vec<Option<(RegionId, Tally)>> = units.into_iter().map(Some).collect();
    let mut out = Vec::new();
    if order_applies {
        for name in &s.order {
            let found = rest
                .iter_mut()
                .find(|u| u.as_ref().is_some_and(|(id, _)| names_match(*id, name)))
                .and_then(Option::take);
            match found {
                Some((id, tally)) => {
                    let t = thresholds.remove(&id).unwrap_or_default();
                    out.push(make(id, tally, t));
                }
                None => out.push(UnitInput {
                    key: name.clone(),
                    label: name.clone(),
                    tally: Tally::default(),
                    targets: BTreeMap::new(),
                    has_data: false,
                }),
            }
        }
    }
    let mut unlisted = Vec::new();
    for (id, tally) in rest.into_iter().flatten() {
        if order_applies {
            unlisted.push(regions.label(id));
        }
        let t = thresholds.remove(&id).unwrap_or_default();
        out.push(make(id, tally, t));
    }
    if !unlisted.is_empty() {
        notes.push(format!(
            "以下单位不在配置的官方顺序中，按出现顺序排在后面：{}。",
            unlisted.join("、")
        ));
    }
    out
}

/// The parent: configured name; else the single region enclosing every unit; else 合计.
fn parent_name(ds: &Dataset, s: &Settings, units: &[UnitInput]) -> String {
    if let Some(n) = s.region_name.as_deref().filter(|n| !n.is_empty()) {
        return n.to_string();
    }
    if let Some(up) = match s.level {
        Level::County => None,
        Level::Town => Some(Level::County),
        Level::Village => Some(Level::Town),
    } {
        let mut parents = ds
            .regions
            .ids()
            .filter(|id| ds.regions.node(*id).level == s.level)
            .filter(|id| units.iter().any(|u| u.key == ds.regions.path(*id)))
            .filter_map(|id| ds.regions.ancestor_at(id, up))
            .collect::<Vec<_>>();
        parents.dedup();
        parents.sort();
        parents.dedup();
        if let [only] = parents.as_slice() {
            return ds.regions.label(*only);
        }
    }
    "合计".to_string()
}

#[cfg(test)]
mod tests;
