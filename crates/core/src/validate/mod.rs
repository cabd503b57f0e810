//! Data-quality rules (`gonggu check`, SPEC §6), as data.
//!
//! Every rule — code, severity, Chinese title and definition, the table it reads, its
//! condition in a small expression language, the message and values of a finding, and the
//! thresholds as named parameters — is in `crates/core/templates/rules.toml`, embedded at
//! build time; a county's own file (`[check] rules = "本县规则.toml"`) adds rules or replaces
//! built-in ones by code. Only primitives are Rust: typed fields over the records
//! ([`fields`]), ID-number validation, ages, address resolution, cross-table lookups.
//!
//! A run parses and type-checks each condition once ([`lang`], `compile`), compiles it into
//! closures over the typed records, and walks the dataset once per table ([`run_checks`]):
//! household rules read per-household accumulators filled during the person pass, so no copy
//! of the roster is kept. Findings carry personal data unmasked (for the masked outputs
//! to mask with [`crate::mask::Pii`]); their messages and values never contain it.

pub mod fields;
pub mod idcard;

#[cfg(test)]
mod cases_more;
mod compile;
mod engine;
mod lang;
mod rules;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::model::{Dataset, RowRef, TableKind};
use crate::region::{Level, RegionId};

pub use compile::Param;
pub use fields::RuleTable;
pub use rules::{Case, RuleInfo};

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
    /// One row of 行政村信息.
    Village,
    /// One row of 已外出务工信息.
    Spell,
}

impl Scope {
    /// The key used in rule files (`person`, `household`, `value`…).
    pub fn key(self) -> &'static str {
        match self {
            Scope::Person => "person",
            Scope::Household => "household",
            Scope::Value => "value",
            Scope::Project => "project",
            Scope::Loan => "loan",
            Scope::Village => "village",
            Scope::Spell => "spell",
        }
    }

    fn parse(text: &str) -> Option<Scope> {
        match text {
            "person" => Some(Scope::Person),
            "household" => Some(Scope::Household),
            "value" => Some(Scope::Value),
            "project" => Some(Scope::Project),
            "loan" => Some(Scope::Loan),
            "village" => Some(Scope::Village),
            "spell" => Some(Scope::Spell),
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
            Scope::Village => "行政村",
            Scope::Spell => "务工记录",
        }
    }
}

/// A county's own rule file, as read with the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRules {
    /// The file as shown in messages.
    pub origin: String,
    /// Its text.
    pub text: String,
}

/// Parameters and switches of a check run. Defaults come from `[params]` of the rule files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckParams {
    /// Parameter values set by the configuration; the rule files' `[params]` fill the rest.
    pub params: BTreeMap<String, Param>,
    /// Rule codes switched off (`[check] disabled`).
    pub disabled: Vec<String>,
    /// The as-of date: ages are whole years on it; the workbook is dated with it.
    pub as_of: NaiveDate,
    /// A county's own rule file (`[check] rules`).
    pub user_rules: Option<UserRules>,
}

impl CheckParams {
    /// The built-in defaults with the given as-of date.
    ///
    /// # Errors
    /// [`Error::Config`] if the embedded rule file is invalid (a build defect).
    ///
    /// # Examples
    /// ```
    /// use chrono::NaiveDate;
    /// use gonggu_core::validate::CheckParams;
    /// let p = CheckParams::defaults(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()).unwrap();
    /// assert_eq!(p.number("monitoring_line"), Some(7500.into()));
    /// assert_eq!(p.number("min_months_before_elimination"), Some(6.into()));
    /// ```
    pub fn defaults(as_of: NaiveDate) -> Result<CheckParams> {
        Ok(CheckParams {
            params: builtin()?.params.clone(),
            disabled: Vec::new(),
            as_of,
            user_rules: None,
        })
    }

    /// Applies `gonggu.toml`: `monitoring_line`, `[check] disabled`, the legacy keys
    /// `min_months_before_elimination`, `wage_min`, `wage_max`, every `[check.params]` value
    /// and the county's rule file (`[check] rules`, read by [`crate::config::Config::load`]).
    ///
    /// # Examples
    /// ```
    /// use chrono::NaiveDate;
    /// use gonggu_core::config::Config;
    /// use gonggu_core::validate::CheckParams;
    /// let c = Config::parse("monitoring_line = 7300\n[check]\ndisabled = [\"IN02\"]\n[check.params]\nwage_max = 20000\n", "g.toml").unwrap();
    /// let p = CheckParams::defaults(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()).unwrap().with_config(&c);
    /// assert_eq!(p.number("monitoring_line"), Some(7300.into()));
    /// assert_eq!(p.number("wage_max"), Some(20000.into()));
    /// assert_eq!(p.disabled, ["IN02"]);
    /// ```
    pub fn with_config(mut self, config: &crate::config::Config) -> CheckParams {
        let mut set = |k: &str, v: Option<Decimal>| {
            if let Some(v) = v {
                self.params.insert(k.to_string(), Param::Num(v));
            }
        };
        set("monitoring_line", config.monitoring_line);
        set(
            "min_months_before_elimination",
            config
                .check
                .min_months_before_elimination
                .map(Decimal::from),
        );
        set("wage_min", config.check.wage_min);
        set("wage_max", config.check.wage_max);
        for (k, v) in &config.check.params {
            if let Some(p) = rules::param_value(v) {
                self.params.insert(k.clone(), p);
            }
        }
        if let Some((origin, text)) = &config.check.rules_text {
            self.user_rules = Some(UserRules {
                origin: origin.clone(),
                text: text.clone(),
            });
        }
        self.disabled.extend(config.check.disabled.iter().cloned());
        self
    }

    /// A numeric parameter.
    pub fn number(&self, name: &str) -> Option<Decimal> {
        match self.params.get(name) {
            Some(Param::Num(n)) => Some(*n),
            _ => None,
        }
    }
}

/// One suspicious record, cell, project or loan.
///
/// Personal data (`id_number`, `name`, `phone`) is kept raw here and masked only at output
/// (see [`crate::mask::Pii`]); `values` and `message` never contain personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule code (`ID01`).
    pub code: Arc<str>,
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
    /// The parameters the rules ran with (defaults and configuration merged).
    pub params: CheckParams,
}

impl CheckReport {
    /// The definition of a rule.
    pub fn rule(&self, code: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.code == code)
    }

    /// Number of findings of a rule.
    pub fn count(&self, code: &str) -> usize {
        self.findings.iter().filter(|f| &*f.code == code).count()
    }

    /// Whether a rule ran (neither skipped nor disabled).
    pub fn ran(&self, code: &str) -> bool {
        self.rule(code).is_some()
            && !self.disabled.iter().any(|c| c == code)
            && !self.skipped.iter().any(|(c, _)| c == code)
    }
}

fn builtin() -> Result<&'static rules::RuleFile> {
    static FILE: std::sync::OnceLock<std::result::Result<rules::RuleFile, String>> =
        std::sync::OnceLock::new();
    let file = FILE.get_or_init(|| {
        let message = |e: Error| match e {
            Error::Config(m) => m,
            other => other.to_string(),
        };
        let f = rules::parse(RULES_TOML, "rules.toml（内置）", false).map_err(message)?;
        rules::check_compiles(&f, &f.params).map_err(message)?;
        Ok(f)
    });
    file.as_ref().map_err(|m| Error::Config(m.clone()))
}

/// The rules in force: the built-in ones, with a county's own file's rules replacing those
/// of the same code (in place) or added at the end; and the parameters (built-in defaults,
/// the county file's `[params]`, then the configuration's values).
///
/// # Errors
/// [`Error::Config`] naming the file, the rule and the position in the expression when a
/// rule does not parse or type-check, or when a configured parameter is unknown.
fn rules_in_force(params: &CheckParams) -> Result<(Vec<RuleInfo>, BTreeMap<String, Param>)> {
    let base = builtin()?;
    let mut rules = base.rules.clone();
    let mut values = base.params.clone();
    if let Some(user) = &params.user_rules {
        let file = rules::parse(&user.text, &user.origin, true)?;
        for (k, v) in &file.params {
            values.insert(k.clone(), v.clone());
        }
        for r in file.rules {
            match rules.iter_mut().find(|b| b.code == r.code) {
                Some(slot) => *slot = r,
                None => rules.push(r),
            }
        }
    }
    for (k, v) in &params.params {
        if !values.contains_key(k) {
            return Err(Error::Config(format!(
                "[check.params] 中的参数「{k}」不存在（规则文件的 [params] 有：{}）",
                values.keys().cloned().collect::<Vec<_>>().join("、")
            )));
        }
        values.insert(k.clone(), v.clone());
    }
    let file = rules::RuleFile {
        params: values,
        rules,
    };
    rules::check_compiles(&file, &file.params)?;
    Ok((file.rules, file.params))
}

/// Every built-in rule, in the order of the rule list.
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
    Ok(builtin()?.rules.clone())
}

/// The rules in force for these parameters (the built-in ones and the county's own file):
/// what `gonggu rules` lists.
///
/// # Errors
/// [`Error::Config`] when the county's file is invalid.
pub fn rules_for(params: &CheckParams) -> Result<Vec<RuleInfo>> {
    Ok(rules_in_force(params)?.0)
}

/// The fields rule conditions can read, by table: (table, name, type, description).
pub fn field_list() -> Vec<(RuleTable, &'static str, &'static str, &'static str)> {
    fields::all()
        .iter()
        .map(|f| (f.table, f.name, f.ty.name(), f.doc))
        .collect()
}

/// Runs every rule that is not disabled and whose columns are present.
///
/// Each condition is compiled once into closures; the roster is read in one pass over
/// persons and one over households, other tables once each.
///
/// # Errors
/// [`Error::Config`] when `params.disabled` names an unknown rule code, or a rule file is
/// invalid.
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
    // The rules read the persons' details, which a read that only counts does not keep:
    // checking such a roster would find nothing about its persons, in silence.
    if ds.roster.persons.len() != ds.roster.facts.len() {
        return Err(Error::Config(
            "内部错误：人员表是按只计数的方式读取的（没有保留核查所需的列），不能用于核查".into(),
        ));
    }
    let (rules, values) = rules_in_force(params)?;
    if let Some(c) = params
        .disabled
        .iter()
        .find(|c| !rules.iter().any(|r| &r.code == *c))
    {
        return Err(Error::Config(format!(
            "[check] disabled 中的规则代码「{c}」不存在（可用 gonggu rules 查看）"
        )));
    }
    let mut skipped = Vec::new();
    let mut disabled = Vec::new();
    let mut slots = Vec::new();
    let mut cases = Vec::new();
    let mut lookups = Vec::new();
    for r in &rules {
        if params.disabled.iter().any(|c| c == &r.code) {
            disabled.push(r.code.clone());
            continue;
        }
        // A case runs when its table and columns are present; the rule is skipped (and
        // says what its first case lacks) when none can run.
        let mut compiled = Vec::new();
        let mut first_missing = None;
        for case in &r.cases {
            let mut fields = Vec::new();
            let mut ctx = compile::Ctx {
                table: case.table,
                params: &values,
                as_of: params.as_of,
                slots: &mut slots,
                fields: &mut fields,
                ds: Some(ds),
            };
            let c = rules::compile_case(r, case, &mut ctx)?;
            let missing = missing_inputs(ds, r, case.table, &fields);
            if missing.is_empty() {
                lookups.extend(fields.iter().filter_map(|f| f.lookup));
                compiled.push(c);
            } else if first_missing.is_none() {
                first_missing = Some(missing);
            }
        }
        if compiled.is_empty() {
            skipped.push((r.code.clone(), first_missing.unwrap_or_default()));
            continue;
        }
        let code: Arc<str> = Arc::from(r.code.as_str());
        cases.extend(compiled.into_iter().map(|c| (code.clone(), c)));
    }
    lookups.dedup();
    let env = fields::Env::new(ds, params.as_of, &lookups);
    let program = engine::Program { cases, slots };
    let findings = program.run(ds, &env);
    let mut params = params.clone();
    params.params = values;
    Ok(CheckReport {
        findings: sort_findings(ds, &rules, findings),
        skipped,
        disabled,
        rules,
        params,
    })
}

/// What one case of a rule lacks in this dataset: its table, further tables, columns. The
/// columns are the rule's `needs`/`needs_any` when given, else those of the fields it reads.
fn missing_inputs(
    ds: &Dataset,
    rule: &RuleInfo,
    table: RuleTable,
    fields: &[&'static fields::Field],
) -> Vec<String> {
    let present = |kind: TableKind| {
        ds.has(kind)
            || match kind {
                TableKind::Roster => !ds.roster.facts.is_empty(),
                TableKind::Projects => !ds.projects.is_empty(),
                TableKind::Loans => !ds.loans.is_empty(),
                _ => false,
            }
    };
    let mut missing = Vec::new();
    if let Some(kind) = table.kind()
        && !present(kind)
    {
        missing.push(kind.label().to_string());
        return missing;
    }
    for t in &rule.needs_tables {
        if let Some(kind) = rules::TABLES.iter().find(|k| k.label() == t.as_str())
            && !present(*kind)
        {
            missing.push(t.clone());
        }
    }
    let kind = table.kind().unwrap_or(TableKind::Roster);
    let has = |c: &str| ds.has_column(kind, c);
    let explicit = !rule.needs.is_empty() || !rule.needs_any.is_empty();
    if explicit {
        for c in &rule.needs {
            if !has(c) {
                missing.push(c.clone());
            }
        }
        if let Some(group) = rule.needs_any_text()
            && !rule.needs_any.iter().any(|c| has(c))
        {
            missing.push(group);
        }
    } else {
        for f in fields {
            let kind = f.table.kind().unwrap_or(kind);
            for c in &f.needs {
                if !ds.has_column(kind, c) && !missing.iter().any(|m| m == c) {
                    missing.push((*c).to_string());
                }
            }
            if !f.needs_any.is_empty() && !f.needs_any.iter().any(|c| ds.has_column(kind, c)) {
                let label = f.needs_any.join("或");
                if !missing.contains(&label) {
                    missing.push(label);
                }
            }
        }
    }
    missing
}

/// Sorts findings by county, town, village (first-appearance order; unplaced last), 户编号,
/// source row and rule order.
fn sort_findings(ds: &Dataset, rules: &[RuleInfo], findings: Vec<Finding>) -> Vec<Finding> {
    let order: std::collections::HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.as_str(), i))
        .collect();
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
            let rank = order.get(&*f.code).copied().unwrap_or(usize::MAX);
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
            if let Some(r) = report.rule(&f.code)
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
        if let Some(i) = report.rules.iter().position(|r| *r.code == *f.code)
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
