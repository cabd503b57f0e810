//! Data-quality rules (`gonggu check`, SPEC §6).
//!
//! The rule list — codes, severities, Chinese titles and definitions, the columns each rule
//! needs and the default thresholds — is data: `crates/core/templates/rules.toml`, embedded at
//! build time. This module implements every rule of that file (and refuses a file that names
//! a rule it does not implement). [`run_checks`] walks the dataset once per record kind and
//! returns a [`CheckReport`]: the findings in a fixed order, the rules skipped because their
//! columns are absent, and the rules switched off. Findings carry personal data unmasked;
//! every output masks it with [`crate::mask::Pii`].

pub mod idcard;

mod checks;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::{Dataset, RowRef, TableKind};
use crate::region::{Level, RegionId};

use checks::Code;

/// The built-in rule list (`crates/core/templates/rules.toml`).
pub const RULES_TOML: &str = include_str!("../../templates/rules.toml");

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// 错误: the record is wrong and must be corrected.
    Error,
    /// 警告: probably wrong; to be verified.
    Warning,
    /// 提示: worth a look.
    Info,
}

impl Severity {
    /// The Chinese word (`错误`, `警告`, `提示`).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }

    fn parse(text: &str) -> Option<Severity> {
        match text {
            "错误" => Some(Severity::Error),
            "警告" => Some(Severity::Warning),
            "提示" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// What one finding of a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// One person row of the roster.
    Person,
    /// One household (reported at the row its attributes came from).
    Household,
    /// One cell of any table.
    Value,
    /// One project of the project ledger.
    Project,
    /// One loan of the microcredit ledger.
    Loan,
}

impl Scope {
    fn parse(text: &str) -> Option<Scope> {
        match text {
            "person" => Some(Scope::Person),
            "household" => Some(Scope::Household),
            "value" => Some(Scope::Value),
            "project" => Some(Scope::Project),
            "loan" => Some(Scope::Loan),
            _ => None,
        }
    }

    /// The Chinese word for one item of this scope (`人`, `户`, `单元格`, `项目`, `贷款`).
    pub fn label(self) -> &'static str {
        match self {
            Scope::Person => "人",
            Scope::Household => "户",
            Scope::Value => "单元格",
            Scope::Project => "项目",
            Scope::Loan => "贷款",
        }
    }

    /// The table the rule reads (`None` for cell rules, which read every table).
    fn table(self) -> Option<TableKind> {
        match self {
            Scope::Person | Scope::Household => Some(TableKind::Roster),
            Scope::Project => Some(TableKind::Projects),
            Scope::Loan => Some(TableKind::Loans),
            Scope::Value => None,
        }
    }
}

/// One rule as defined in `rules.toml` (for `gonggu check --list-rules` and the workbook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable code (`ID01`).
    pub code: String,
    /// Severity.
    pub severity: Severity,
    /// What one finding is about.
    pub scope: Scope,
    /// Short Chinese title (`证件号码无效`).
    pub title: String,
    /// Chinese definition.
    pub detail: String,
    /// Canonical columns that must all be present.
    pub needs: Vec<String>,
    /// Canonical columns of which at least one must be present (empty: no condition).
    pub needs_any: Vec<String>,
    /// How to name `needs_any` when none is present (default: the names joined with 或).
    pub needs_any_label: Option<String>,
    /// Further tables that must be present (`人员表`, `项目表`, `小额信贷表`).
    pub needs_tables: Vec<String>,
}

/// Thresholds and switches of a check run. Defaults come from `[params]` of `rules.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckParams {
    /// 监测线 (元/人·年): income below it and not monitored is 疑似应纳未纳 (MN05, MN09).
    pub monitoring_line: Decimal,
    /// Minimum months between 识别 and 消除 (MN03).
    pub min_months_before_elimination: u32,
    /// Lowest plausible 务工月收入 (WK03).
    pub wage_min: Decimal,
    /// Highest plausible 务工月收入 (WK03).
    pub wage_max: Decimal,
    /// Rule codes switched off (`[check] disabled`).
    pub disabled: Vec<String>,
    /// The as-of date: ages are whole years on it; the workbook is dated with it.
    pub as_of: NaiveDate,
}

impl CheckParams {
    /// The defaults of `rules.toml` with the given as-of date.
    ///
    /// # Errors
    /// [`Error::Config`] if the embedded rule file is invalid (a build defect).
    ///
    /// # Examples
    /// ```
    /// use chrono::NaiveDate;
    /// use gonggu_core::validate::CheckParams;
    /// let p = CheckParams::defaults(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()).unwrap();
    /// assert_eq!(p.monitoring_line, 7500.into());
    /// assert_eq!(p.min_months_before_elimination, 6);
    /// ```
    pub fn defaults(as_of: NaiveDate) -> Result<CheckParams> {
        let file = parse_rules(RULES_TOML)?;
        let p = file.params;
        Ok(CheckParams {
            monitoring_line: p.monitoring_line,
            min_months_before_elimination: p.min_months_before_elimination,
            wage_min: p.wage_min,
            wage_max: p.wage_max,
            disabled: Vec::new(),
            as_of,
        })
    }

    /// Applies `gonggu.toml`: `monitoring_line`, `[check] disabled` and
    /// `[check] min_months_before_elimination` override the defaults.
    ///
    /// # Examples
    /// ```
    /// use chrono::NaiveDate;
    /// use gonggu_core::config::Config;
    /// use gonggu_core::validate::CheckParams;
    /// let c = Config::parse("monitoring_line = 7300\n[check]\ndisabled = [\"IN02\"]\n", "g.toml").unwrap();
    /// let p = CheckParams::defaults(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()).unwrap().with_config(&c);
    /// assert_eq!(p.monitoring_line, 7300.into());
    /// assert_eq!(p.disabled, ["IN02"]);
    /// ```
    pub fn with_config(mut self, config: &crate::config::Config) -> CheckParams {
        if let Some(line) = config.monitoring_line {
            self.monitoring_line = line;
        }
        if let Some(m) = config.check.min_months_before_elimination {
            self.min_months_before_elimination = m;
        }
        if let Some(v) = config.check.wage_min {
            self.wage_min = v;
        }
        if let Some(v) = config.check.wage_max {
            self.wage_max = v;
        }
        self.disabled.extend(config.check.disabled.iter().cloned());
        self
    }
}

/// One suspicious record, cell, project or loan.
///
/// Personal data (`id_number`, `name`, `phone`) is kept raw here and masked only at output
/// (see [`crate::mask::Pii`]); `values` and `message` never contain personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule code (`ID01`).
    pub code: &'static str,
    /// Source row (file, sheet, Excel row via [`Dataset::describe`]).
    pub at: RowRef,
    /// The village of a person or household; the town or county of a project or loan;
    /// `None` when the row could not be placed.
    pub region: Option<RegionId>,
    /// 户编号 (households, persons, loans).
    pub household_id: Option<String>,
    /// 证件号码 of the person (for households: of the head), raw.
    pub id_number: Option<String>,
    /// 姓名, raw.
    pub name: Option<String>,
    /// 户联系电话, raw.
    pub phone: Option<String>,
    /// The offending values: (column, value).
    pub values: Vec<(String, String)>,
    /// Chinese explanation of this finding.
    pub message: String,
}

/// The outcome of [`run_checks`].
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Findings sorted by county, town, village (first-appearance order), 户编号, row and
    /// rule.
    pub findings: Vec<Finding>,
    /// Rules not run because their columns or tables are absent: (code, what is missing).
    pub skipped: Vec<(String, Vec<String>)>,
    /// Rules switched off by the configuration.
    pub disabled: Vec<String>,
    /// Every rule of the rule list, in its order.
    pub rules: Vec<RuleInfo>,
    /// The parameters the rules ran with.
    pub params: CheckParams,
}

impl CheckReport {
    /// The definition of a rule.
    pub fn rule(&self, code: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.code == code)
    }

    /// Number of findings of a rule.
    pub fn count(&self, code: &str) -> usize {
        self.findings.iter().filter(|f| f.code == code).count()
    }

    /// Whether a rule ran (neither skipped nor disabled).
    pub fn ran(&self, code: &str) -> bool {
        self.rule(code).is_some()
            && !self.disabled.iter().any(|c| c == code)
            && !self.skipped.iter().any(|(c, _)| c == code)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    params: ParamsFile,
    rule: Vec<RuleFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamsFile {
    monitoring_line: Decimal,
    min_months_before_elimination: u32,
    wage_min: Decimal,
    wage_max: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    code: String,
    severity: String,
    scope: String,
    title: String,
    detail: String,
    needs: Vec<String>,
    #[serde(default)]
    needs_any: Vec<String>,
    needs_any_label: Option<String>,
    #[serde(default)]
    needs_tables: Vec<String>,
}

#[derive(Debug)]
struct Parsed {
    params: ParamsFile,
    rules: Vec<RuleInfo>,
}

/// The tables a rule may need (`needs_tables`).
const TABLES: [TableKind; 7] = crate::ingest::schema::RECORD_KINDS;

fn parse_rules(text: &str) -> Result<Parsed> {
    let bad = |m: String| Error::Config(format!("核查规则文件 rules.toml：{m}"));
    let file: RulesFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
    let known: BTreeSet<&str> = crate::ingest::schema::Col::ALL
        .iter()
        .map(|c| c.canonical())
        .collect();
    let mut rules = Vec::with_capacity(file.rule.len());
    let mut seen = BTreeSet::new();
    for r in file.rule {
        if Code::parse(&r.code).is_none() {
            return Err(bad(format!("规则「{}」没有实现", r.code)));
        }
        if !seen.insert(r.code.clone()) {
            return Err(bad(format!("规则代码「{}」重复", r.code)));
        }
        let severity = Severity::parse(&r.severity).ok_or_else(|| {
            bad(format!(
                "规则 {} 的严重程度「{}」应为错误、警告或提示",
                r.code, r.severity
            ))
        })?;
        let scope = Scope::parse(&r.scope)
            .ok_or_else(|| bad(format!("规则 {} 的范围「{}」无效", r.code, r.scope)))?;
        if let Some(c) = r
            .needs
            .iter()
            .chain(&r.needs_any)
            .find(|c| !known.contains(c.as_str()))
        {
            return Err(bad(format!(
                "规则 {} 需要的列「{c}」不是 gonggu 认识的列名",
                r.code
            )));
        }
        if let Some(t) = r
            .needs_tables
            .iter()
            .find(|t| !TABLES.iter().any(|k| k.label() == t.as_str()))
        {
            return Err(bad(format!("规则 {} 需要的表「{t}」无效", r.code)));
        }
        rules.push(RuleInfo {
            code: r.code,
            severity,
            scope,
            title: r.title,
            detail: r.detail,
            needs: r.needs,
            needs_any: r.needs_any,
            needs_any_label: r.needs_any_label,
            needs_tables: r.needs_tables,
        });
    }
    if let Some(c) = Code::ALL.iter().find(|c| !seen.contains(c.as_str())) {
        return Err(bad(format!("缺少规则「{}」的定义", c.as_str())));
    }
    Ok(Parsed {
        params: file.params,
        rules,
    })
}

/// Every rule, in the order of the rule list (`gonggu check --list-rules`).
///
/// # Errors
/// [`Error::Config`] if the embedded rule file is invalid (a build defect).
///
/// # Examples
/// ```
/// let rules = gonggu_core::validate::list_rules().unwrap();
/// assert_eq!(rules[0].code, "ID01");
/// assert_eq!(rules[0].severity.label(), "错误");
/// ```
pub fn list_rules() -> Result<Vec<RuleInfo>> {
    Ok(parse_rules(RULES_TOML)?.rules)
}

/// Runs every rule that is not disabled and whose columns are present.
///
/// Rules read the typed records only, in one pass per record kind; the cost is linear in
/// the number of records (duplicate phones and unknown loan households use hash maps).
///
/// # Errors
/// [`Error::Config`] when `params.disabled` names an unknown rule code.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::ingest::{read_inputs, ReadOptions};
/// use gonggu_core::validate::{run_checks, CheckParams};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("名单.csv");
/// std::fs::write(&path, "县,乡,村,户编号,证件号码,户类型,人数\n\
///     夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户,2\n").unwrap();
/// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
/// let params = CheckParams::defaults(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()).unwrap();
/// let report = run_checks(&ds, &params).unwrap();
/// assert_eq!(report.count("HH02"), 1); // 人数 2, one member row
/// assert!(!report.ran("MN03"));        // no 识别监测时间 column
///
/// let mut off = params.clone();
/// off.disabled = vec!["XX99".into()];
/// assert!(run_checks(&ds, &off).is_err());
/// ```
pub fn run_checks(ds: &Dataset, params: &CheckParams) -> Result<CheckReport> {
    let rules = list_rules()?;
    if let Some(c) = params
        .disabled
        .iter()
        .find(|c| !rules.iter().any(|r| &r.code == *c))
    {
        return Err(Error::Config(format!(
            "[check] disabled 中的规则代码「{c}」不存在（可用 gonggu check --list-rules 查看）"
        )));
    }
    let mut on = [false; Code::ALL.len()];
    let mut skipped = Vec::new();
    let mut disabled = Vec::new();
    for r in &rules {
        if params.disabled.iter().any(|c| c == &r.code) {
            disabled.push(r.code.clone());
            continue;
        }
        let missing = missing_inputs(ds, r);
        if !missing.is_empty() {
            skipped.push((r.code.clone(), missing));
            continue;
        }
        if let Some(code) = Code::parse(&r.code) {
            on[code as usize] = true;
        }
    }
    let findings = checks::Checker::new(ds, params, on).run();
    Ok(CheckReport {
        findings: sort_findings(ds, findings),
        skipped,
        disabled,
        rules,
        params: params.clone(),
    })
}

/// What a rule lacks in this dataset: its table, further tables, columns.
fn missing_inputs(ds: &Dataset, rule: &RuleInfo) -> Vec<String> {
    let present = |kind: TableKind| {
        ds.has(kind)
            || match kind {
                TableKind::Roster => !ds.roster.persons.is_empty(),
                TableKind::Projects => !ds.projects.is_empty(),
                TableKind::Loans => !ds.loans.is_empty(),
                _ => false,
            }
    };
    let mut missing = Vec::new();
    if let Some(kind) = rule.scope.table()
        && !present(kind)
    {
        missing.push(kind.label().to_string());
        return missing;
    }
    for t in &rule.needs_tables {
        if let Some(kind) = TABLES.iter().find(|k| k.label() == t.as_str())
            && !present(*kind)
        {
            missing.push(t.clone());
        }
    }
    let cols = match rule.scope {
        Scope::Person | Scope::Household | Scope::Value => &ds.roster.columns,
        Scope::Project => &ds.project_columns,
        Scope::Loan => &ds.loan_columns,
    };
    for c in &rule.needs {
        if !cols.contains(c.as_str()) {
            missing.push(c.clone());
        }
    }
    if !rule.needs_any.is_empty() && !rule.needs_any.iter().any(|c| cols.contains(c.as_str())) {
        missing.push(
            rule.needs_any_label
                .clone()
                .unwrap_or_else(|| rule.needs_any.join("或")),
        );
    }
    missing
}

/// Sorts findings by county, town, village (first-appearance order; unplaced last), 户编号,
/// source row and rule order.
fn sort_findings(ds: &Dataset, findings: Vec<Finding>) -> Vec<Finding> {
    let key = |r: Option<RegionId>, level: Level| {
        r.and_then(|r| ds.regions.ancestor_at(r, level))
            .map_or(u32::MAX, |id| id.0)
    };
    let mut keyed: Vec<((u32, u32, u32), usize, Finding)> = findings
        .into_iter()
        .map(|f| {
            let k = (
                key(f.region, Level::County),
                key(f.region, Level::Town),
                key(f.region, Level::Village),
            );
            let rank = Code::parse(f.code).map_or(usize::MAX, |c| c as usize);
            (k, rank, f)
        })
        .collect();
    keyed.sort_by(|(ka, ra, a), (kb, rb, b)| {
        ka.cmp(kb)
            .then_with(|| a.household_id.cmp(&b.household_id))
            .then_with(|| a.at.cmp(&b.at))
            .then_with(|| ra.cmp(rb))
    });
    keyed.into_iter().map(|(_, _, f)| f).collect()
}

/// Lines for the terminal: a total, one line per rule with findings (code, title, count),
/// then the skipped rules with what they lack and the disabled rules.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::model::Dataset;
/// use gonggu_core::validate::{run_checks, overview_lines, CheckParams};
/// let params = CheckParams::defaults(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()).unwrap();
/// let report = run_checks(&Dataset::default(), &params).unwrap();
/// let lines = overview_lines(&report);
/// assert_eq!(lines[0], "未发现问题。");
/// assert!(lines.iter().any(|l| l.contains("ID01 证件号码无效：缺少人员表")));
/// ```
pub fn overview_lines(report: &CheckReport) -> Vec<String> {
    let mut lines = Vec::new();
    let total = report.findings.len();
    if total == 0 {
        lines.push("未发现问题。".to_string());
    } else {
        let mut by_sev = [0usize; 3];
        for f in &report.findings {
            if let Some(r) = report.rule(f.code)
                && let Some(n) = by_sev.get_mut(r.severity as usize)
            {
                *n += 1;
            }
        }
        lines.push(format!(
            "共发现 {total} 条问题：错误 {} 条，警告 {} 条，提示 {} 条。",
            by_sev[0], by_sev[1], by_sev[2]
        ));
    }
    let mut counts = vec![0usize; report.rules.len()];
    for f in &report.findings {
        if let Some(i) = report.rules.iter().position(|r| r.code == f.code)
            && let Some(n) = counts.get_mut(i)
        {
            *n += 1;
        }
    }
    for (r, n) in report.rules.iter().zip(&counts) {
        if *n > 0 {
            lines.push(format!(
                "  {} {}（{}）：{} 条",
                r.code,
                r.title,
                r.severity.label(),
                n
            ));
        }
    }
    if !report.skipped.is_empty() {
        lines.push(format!(
            "未执行 {} 条规则（输入中缺少所需的列或表）：",
            report.skipped.len()
        ));
        for (code, missing) in &report.skipped {
            let title = report.rule(code).map_or("", |r| r.title.as_str());
            let what: Vec<String> = missing
                .iter()
                .map(|m| {
                    if crate::ingest::schema::Col::ALL
                        .iter()
                        .any(|c| c.canonical() == m)
                    {
                        format!("「{m}」列")
                    } else {
                        m.clone()
                    }
                })
                .collect();
            lines.push(format!("  {code} {title}：缺少{}", what.join("、")));
        }
    }
    if !report.disabled.is_empty() {
        let names: Vec<String> = report
            .disabled
            .iter()
            .map(|c| format!("{c} {}", report.rule(c).map_or("", |r| r.title.as_str())))
            .collect();
        lines.push(format!("已按配置关闭：{}", names.join("、")));
    }
    lines
}
