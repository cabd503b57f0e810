//! Rule files: the built-in `rules.toml` and a county's own file, read into [`RuleInfo`]s
//! and checked (syntax, fields, types, vocabulary words) before any row is read.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::TableKind;

use super::compile::{Ctx, Param, Template};
use super::fields::RuleTable;
use super::lang::{self, SyntaxError};
use super::{Scope, Severity};

/// One rule as defined in a rule file.
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
    /// Canonical columns that must all be present (given, or those of the fields read).
    pub needs: Vec<String>,
    /// Canonical columns of which at least one must be present (empty: no condition).
    pub needs_any: Vec<String>,
    /// How to name `needs_any` when none is present (default: the names joined with 或).
    pub needs_any_label: Option<String>,
    /// Further tables that must be present (`人员表`, `项目表`, `小额信贷表`…).
    pub needs_tables: Vec<String>,
    /// The conditions: one per table or wording.
    pub cases: Vec<Case>,
    /// The rule file it came from, when not built in.
    pub origin: Option<String>,
}

impl RuleInfo {
    /// How the `needs_any` group is named: its label, else the columns joined with 或;
    /// `None` without such a group.
    pub fn needs_any_text(&self) -> Option<String> {
        (!self.needs_any.is_empty()).then(|| {
            self.needs_any_label
                .clone()
                .unwrap_or_else(|| self.needs_any.join("或"))
        })
    }

    /// The tables the rule reads, in case order without repeats.
    pub fn tables(&self) -> Vec<RuleTable> {
        let mut out: Vec<RuleTable> = Vec::new();
        for c in &self.cases {
            if !out.contains(&c.table) {
                out.push(c.table);
            }
        }
        out
    }
}

/// One condition of a rule with the message and values of its findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The table read.
    pub table: RuleTable,
    /// The condition (rule language).
    pub when: String,
    /// The finding's message, with `{expression}` placeholders.
    pub message: String,
    /// The values shown with a finding: (label template, expression, omitted when blank).
    pub values: Vec<(String, String, bool)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileText {
    #[serde(default)]
    params: BTreeMap<String, toml::Value>,
    #[serde(default)]
    rule: Vec<RuleText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleText {
    code: String,
    severity: String,
    scope: String,
    title: String,
    detail: String,
    needs: Option<Vec<String>>,
    #[serde(default)]
    needs_any: Vec<String>,
    needs_any_label: Option<String>,
    #[serde(default)]
    needs_tables: Vec<String>,
    table: Option<String>,
    when: Option<String>,
    message: Option<String>,
    #[serde(default)]
    values: Vec<ValueText>,
    #[serde(default)]
    case: Vec<CaseText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseText {
    table: Option<String>,
    when: String,
    message: String,
    #[serde(default)]
    values: Vec<ValueText>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ValueText {
    /// `"年龄"` (label = expression) or `"可能的地区?"` (omitted when blank).
    Short(String),
    /// `{ label = "{列名}", value = "值" }`.
    Full {
        label: String,
        value: String,
        #[serde(default)]
        optional: bool,
    },
}

/// A parsed rule file.
#[derive(Debug, Clone)]
pub(crate) struct RuleFile {
    pub params: BTreeMap<String, Param>,
    pub rules: Vec<RuleInfo>,
}

/// Reads a `[params]` or `[check.params]` value.
pub(crate) fn param_value(v: &toml::Value) -> Option<Param> {
    match v {
        toml::Value::Integer(i) => Some(Param::Num(Decimal::from(*i))),
        toml::Value::Float(f) => Decimal::try_from(*f).ok().map(Param::Num),
        toml::Value::String(s) => Some(Param::Text(s.clone())),
        toml::Value::Boolean(b) => Some(Param::Bool(*b)),
        _ => None,
    }
}

fn default_table(scope: Scope) -> Option<RuleTable> {
    Some(match scope {
        Scope::Person => RuleTable::Person,
        Scope::Household => RuleTable::Household,
        Scope::Project => RuleTable::Project,
        Scope::Loan => RuleTable::Loan,
        Scope::Village => RuleTable::Village,
        Scope::Spell => RuleTable::Spell,
        Scope::Value => return None,
    })
}

/// Parses a rule file. `origin` names it in errors; `user` marks its rules as not built in.
pub(crate) fn parse(text: &str, origin: &str, user: bool) -> Result<RuleFile> {
    let bad = |m: String| Error::Config(format!("核查规则文件 {origin}：{m}"));
    let file: FileText = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
    let mut params = BTreeMap::new();
    for (k, v) in &file.params {
        let p = param_value(v)
            .ok_or_else(|| bad(format!("参数 {k} 的值应为数字、文字或 true/false")))?;
        params.insert(k.clone(), p);
    }
    let known: BTreeSet<&str> = crate::ingest::schema::Col::ALL
        .iter()
        .map(|c| c.canonical())
        .collect();
    let mut rules = Vec::with_capacity(file.rule.len());
    let mut seen = BTreeSet::new();
    for r in file.rule {
        let code = r.code.trim().to_string();
        if code.is_empty() || code.chars().any(char::is_whitespace) {
            return Err(bad(format!(
                "规则代码「{}」无效（不能为空或含空格）",
                r.code
            )));
        }
        if !seen.insert(code.clone()) {
            return Err(bad(format!("规则代码「{code}」重复")));
        }
        let severity = Severity::parse(&r.severity).ok_or_else(|| {
            bad(format!(
                "规则 {code} 的严重程度「{}」应为错误、警告或提示",
                r.severity
            ))
        })?;
        let scope = Scope::parse(&r.scope).ok_or_else(|| {
            bad(format!(
                "规则 {code} 的 scope「{}」应为 person、household、project、loan、village、spell 或 value",
                r.scope
            ))
        })?;
        if let Some(c) = r
            .needs
            .iter()
            .flatten()
            .chain(&r.needs_any)
            .find(|c| !known.contains(c.as_str()))
        {
            return Err(bad(format!(
                "规则 {code} 需要的列「{c}」不是 gonggu 认识的列名"
            )));
        }
        if let Some(t) = r
            .needs_tables
            .iter()
            .find(|t| !TABLES.iter().any(|k| k.label() == t.as_str()))
        {
            return Err(bad(format!("规则 {code} 需要的表「{t}」无效")));
        }
        let table_of = |t: &Option<String>| -> Result<RuleTable> {
            match t {
                Some(t) => RuleTable::parse(t).ok_or_else(|| {
                    bad(format!(
                        "规则 {code} 的 table「{t}」应为 {}",
                        RuleTable::ALL.map(RuleTable::key).join("、")
                    ))
                }),
                None => {
                    default_table(scope).ok_or_else(|| bad(format!("规则 {code} 需要写明 table")))
                }
            }
        };
        let mut cases = Vec::new();
        match (&r.when, &r.message) {
            (Some(when), Some(message)) => cases.push(Case {
                table: table_of(&r.table)?,
                when: when.clone(),
                message: message.clone(),
                values: values(&r.values),
            }),
            (None, None) => {}
            _ => return Err(bad(format!("规则 {code} 的 when 和 message 须同时给出"))),
        }
        for c in &r.case {
            cases.push(Case {
                table: table_of(if c.table.is_some() {
                    &c.table
                } else {
                    &r.table
                })?,
                when: c.when.clone(),
                message: c.message.clone(),
                values: values(&c.values),
            });
        }
        if cases.is_empty() {
            return Err(bad(format!(
                "规则 {code} 没有条件（when + message，或 [[rule.case]]）"
            )));
        }
        rules.push(RuleInfo {
            code,
            severity,
            scope,
            title: r.title,
            detail: r.detail,
            needs: r.needs.unwrap_or_default(),
            needs_any: r.needs_any,
            needs_any_label: r.needs_any_label,
            needs_tables: r.needs_tables,
            cases,
            origin: user.then(|| origin.to_string()),
        });
    }
    Ok(RuleFile { params, rules })
}

fn values(v: &[ValueText]) -> Vec<(String, String, bool)> {
    v.iter()
        .map(|v| match v {
            ValueText::Short(s) => match s.strip_suffix('?').or_else(|| s.strip_suffix('？')) {
                Some(e) => (e.to_string(), e.to_string(), true),
                None => (s.clone(), s.clone(), false),
            },
            ValueText::Full {
                label,
                value,
                optional,
            } => (label.clone(), value.clone(), *optional),
        })
        .collect()
}

/// The tables a rule may need (`needs_tables`).
pub(crate) const TABLES: [TableKind; 7] = crate::ingest::schema::RECORD_KINDS;

/// Where in a rule an expression is, for error messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part {
    When,
    Message,
    Value,
    Label,
}

impl Part {
    fn label(self) -> &'static str {
        match self {
            Part::When => "条件（when）",
            Part::Message => "提示文字（message）",
            Part::Value => "问题值（values）",
            Part::Label => "问题值的列名（values）",
        }
    }
}

/// A Chinese error naming the file, the rule, the part and the character position.
pub(crate) fn expression_error(
    origin: &str,
    code: &str,
    part: Part,
    text: &str,
    e: &SyntaxError,
) -> Error {
    Error::Config(format!(
        "核查规则文件 {origin}：规则 {code} 的{}第 {} 个字符处：{}\n    {text}",
        part.label(),
        e.at,
        e.message
    ))
}

/// A compiled case.
pub(crate) struct CompiledCase {
    pub table: RuleTable,
    pub when: super::compile::Eval,
    pub message: Template,
    pub values: Vec<(Template, Template, bool)>,
}

/// Compiles one case.
pub(crate) fn compile_case(
    rule: &RuleInfo,
    case: &Case,
    ctx: &mut Ctx<'_>,
) -> Result<CompiledCase> {
    let origin = rule.origin.as_deref().unwrap_or("rules.toml（内置）");
    let fail = |part: Part, text: &str, e: SyntaxError| {
        expression_error(origin, &rule.code, part, text, &e)
    };
    let parsed = lang::parse(&case.when).map_err(|e| fail(Part::When, &case.when, e))?;
    let when = ctx
        .compile(&parsed)
        .map_err(|e| fail(Part::When, &case.when, e))?;
    if when.ty != super::fields::Ty::Bool {
        return Err(fail(
            Part::When,
            &case.when,
            SyntaxError {
                at: 1,
                message: format!("条件应为是/否，这里是{}", when.ty.name()),
            },
        ));
    }
    let message =
        Template::compile(&case.message, ctx).map_err(|e| fail(Part::Message, &case.message, e))?;
    let mut values = Vec::with_capacity(case.values.len());
    for (label, value, optional) in &case.values {
        let l = Template::compile(label, ctx).map_err(|e| fail(Part::Label, label, e))?;
        let braced = format!("{{{value}}}");
        let v = Template::compile(&braced, ctx).map_err(|e| {
            fail(
                Part::Value,
                value,
                SyntaxError {
                    at: e.at.saturating_sub(1).max(1),
                    message: e.message,
                },
            )
        })?;
        values.push((l, v, *optional));
    }
    Ok(CompiledCase {
        table: case.table,
        when: when.eval,
        message,
        values,
    })
}

/// Checks every expression of the rules against the fields, with placeholder parameters
/// and date: errors surface when the file is read, not halfway through a run.
pub(crate) fn check_compiles(file: &RuleFile, params: &BTreeMap<String, Param>) -> Result<()> {
    let mut slots = Vec::new();
    let mut fields = Vec::new();
    let as_of = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    for rule in &file.rules {
        for case in &rule.cases {
            let mut ctx = Ctx {
                table: case.table,
                params,
                as_of,
                slots: &mut slots,
                fields: &mut fields,
                ds: None,
            };
            compile_case(rule, case, &mut ctx)?;
        }
    }
    Ok(())
}
