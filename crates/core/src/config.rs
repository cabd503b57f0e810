//! `gonggu.toml`: region name and official order, aliases, the document's header and
//! footer, as-of date, monitoring line, indicator selection, targets, fonts, check settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::catalog::ReportKind;
use crate::error::{Error, Result};

pub mod run;

/// The commented configuration written by `gonggu init`.
pub const TEMPLATE: &str = include_str!("../templates/gonggu.toml");

/// The commented-out `[check] key` line of [`TEMPLATE`], which `gonggu init` replaces.
const KEY_LINE: &str = "# key = \"（请填写随机密钥，gonggu init 会自动生成）\"";

/// [`TEMPLATE`] with `[check] key` set to `key` (`gonggu init` passes a random one).
///
/// # Examples
/// ```
/// use gonggu_core::config::{template_with_key, Config};
/// let text = template_with_key("K7Q2");
/// let c = Config::parse(&text, "gonggu.toml").unwrap();
/// assert_eq!(c.check.key.as_deref(), Some("K7Q2"));
/// ```
pub fn template_with_key(key: &str) -> String {
    TEMPLATE.replacen(KEY_LINE, &format!("key = \"{key}\""), 1)
}

/// The whole configuration. Every field is optional; flags override it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// 统计截止日期 (`2021-11-30`, `2021年11月30日` …).
    pub as_of: Option<String>,
    /// 监测收入线 (元).
    pub monitoring_line: Option<Decimal>,
    /// 村级集体经济收入达标线 (万元).
    pub collective_income_line: Option<Decimal>,
    /// Indicator catalog file replacing the built-in one.
    pub catalog: Option<PathBuf>,
    /// Directory whose templates override the built-in ones.
    pub templates: Option<PathBuf>,
    /// `[region]`.
    #[serde(default)]
    pub region: RegionConfig,
    /// `[region_aliases]`: variant → official name.
    #[serde(default)]
    pub region_aliases: BTreeMap<String, String>,
    /// `[region_codes]`: 县 names the division table (GB/T 2260) lacks, such as functional
    /// zones (`"示范区" = "411400"`) → the code of their county, or of the prefecture they lie
    /// in. Used to place 务工所在地 addresses (SPEC §3.1).
    #[serde(default)]
    pub region_codes: BTreeMap<String, String>,
    /// `[document]`.
    #[serde(default)]
    pub document: DocumentConfig,
    /// `[reports]`.
    #[serde(default)]
    pub reports: ReportsConfig,
    /// `[targets]`: indicator id → threshold overriding the catalog.
    #[serde(default)]
    pub targets: BTreeMap<String, Decimal>,
    /// `[warning]`.
    #[serde(default)]
    pub warning: WarningConfig,
    /// `[aliases]`: canonical column → more aliases.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// `[fonts]`.
    #[serde(default)]
    pub fonts: FontsConfig,
    /// `[check]`.
    #[serde(default)]
    pub check: CheckConfig,
    /// `[run]`: the month's inputs and documents for `gonggu run`.
    #[serde(default)]
    pub run: run::RunConfig,
}

/// `[region]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionConfig {
    /// Name of the parent region (total row, `{地区}`).
    pub name: Option<String>,
    /// Official order of the ranked units.
    #[serde(default)]
    pub order: Vec<String>,
    /// Division code of the region (`411400`), when its name alone is ambiguous or not in
    /// the division table.
    pub code: Option<String>,
}

/// `[document]`: the official-document parts of the notice.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentConfig {
    /// 发文机关标志.
    pub issuing_office: Option<String>,
    /// 发文字号.
    pub document_number: Option<String>,
    /// 主送机关.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// 落款.
    pub signature: Option<String>,
    /// 成文日期.
    pub issue_date: Option<String>,
    /// 抄送.
    #[serde(default)]
    pub cc: Vec<String>,
    /// 印发机关.
    pub printer: Option<String>,
    /// Title of the ranking table, `{地区}` replaced.
    pub title: Option<String>,
}

/// `[reports]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportsConfig {
    /// Indicators of `compute`.
    pub compute: Option<Vec<String>>,
    /// Indicators of `notice`.
    pub notice: Option<Vec<String>>,
    /// Indicators of `brief`.
    pub brief: Option<Vec<String>>,
    /// Indicators of `evaluate`.
    pub evaluate: Option<Vec<String>>,
    /// The headline counts of the 基本情况 part of the documents.
    pub basics: Option<Vec<String>>,
    /// Indicators per block of the ranking table.
    pub block_size: Option<usize>,
}

/// Whether a configured text is a placeholder of `gonggu init` (`（请填写本级地区名称）`) or
/// empty: such a value counts as not set and never reaches a document.
///
/// # Examples
/// ```
/// use gonggu_core::config::is_placeholder;
/// assert!(is_placeholder("（请填写发文机关）"));
/// assert!(is_placeholder("  "));
/// assert!(!is_placeholder("夏邑县"));
/// ```
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t.starts_with("（请填写") || t.starts_with("(请填写")
}

impl Config {
    /// Placeholders and empty texts count as not set.
    fn drop_placeholders(&mut self) {
        let unset = |v: &mut Option<String>| {
            if v.as_deref().is_some_and(is_placeholder) {
                *v = None;
            }
        };
        unset(&mut self.region.name);
        unset(&mut self.region.code);
        let d = &mut self.document;
        for v in [
            &mut d.issuing_office,
            &mut d.document_number,
            &mut d.signature,
            &mut d.issue_date,
            &mut d.printer,
            &mut d.title,
        ] {
            unset(v);
        }
        unset(&mut self.as_of);
        unset(&mut self.check.key);
        for list in [
            &mut self.region.order,
            &mut self.document.recipients,
            &mut self.document.cc,
        ] {
            list.retain(|v| !is_placeholder(v));
        }
    }
}

/// Indicators per block of the ranking table when `[reports] block_size` is not set (the
/// 商丘 notice shows three).
pub const DEFAULT_BLOCK_SIZE: usize = 3;

impl ReportsConfig {
    /// The configured indicator list of a report, if any.
    pub fn selection(&self, kind: ReportKind) -> Option<&Vec<String>> {
        match kind {
            ReportKind::Compute => self.compute.as_ref(),
            ReportKind::Notice => self.notice.as_ref(),
            ReportKind::Brief => self.brief.as_ref(),
            ReportKind::Evaluate => self.evaluate.as_ref(),
            ReportKind::Basics => self.basics.as_ref(),
        }
    }

    /// Indicators per block of the ranking table: configured, else [`DEFAULT_BLOCK_SIZE`].
    pub fn block_size(&self) -> usize {
        self.block_size.unwrap_or(DEFAULT_BLOCK_SIZE)
    }
}

/// `[warning]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningConfig {
    /// Yellow when a target is met by less than this many percentage points.
    pub yellow_margin_points: Option<Decimal>,
}

/// `[fonts]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontsConfig {
    /// Extra font directories.
    #[serde(default)]
    pub dirs: Vec<PathBuf>,
    /// Title font family fallback list.
    pub title: Option<Vec<String>>,
    /// Body font family fallback list.
    pub body: Option<Vec<String>>,
    /// Heading font family fallback list.
    pub heading: Option<Vec<String>>,
    /// Kai font family fallback list.
    pub kai: Option<Vec<String>>,
}

/// `[check]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Rule codes switched off.
    #[serde(default)]
    pub disabled: Vec<String>,
    /// Minimum months between identification and elimination.
    pub min_months_before_elimination: Option<u32>,
    /// Lowest plausible 务工月收入 (元).
    pub wage_min: Option<Decimal>,
    /// Highest plausible 务工月收入 (元).
    pub wage_max: Option<Decimal>,
    /// A county's own rule file (`[check] rules = "本县规则.toml"`), relative to gonggu.toml.
    pub rules: Option<std::path::PathBuf>,
    /// Rule parameters (`[check.params]`): any `[params]` name of the rule files.
    #[serde(default)]
    pub params: std::collections::BTreeMap<String, toml::Value>,
    /// The bureau's secret for the 核查编号 of the check list (`[check] key`): a keyed hash
    /// of rule, household and person, so that the numbers stay the same month to month
    /// and cannot be worked out from an ID number by whoever lacks the key. `gonggu init`
    /// writes a random one.
    pub key: Option<String>,
    /// The rule file as read by [`Config::load`]: (path as shown, text).
    #[serde(skip)]
    pub rules_text: Option<(String, String)>,
}

impl Config {
    /// Parses a configuration text; `origin` names it in errors.
    ///
    /// # Errors
    /// [`Error::Config`] naming the file, line and what is wrong (unknown keys included), or
    /// a `[region] code` / `[region_codes]` code that is not in the division table.
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::config::Config;
    /// let c = Config::parse("[region]\nname = \"商丘市\"\n", "gonggu.toml").unwrap();
    /// assert_eq!(c.region.name.as_deref(), Some("商丘市"));
    /// assert!(Config::parse("[region]\nnmae = 1\n", "gonggu.toml").is_err());
    /// let zones = Config::parse("[region_codes]\n\"示范区\" = \"411400\"\n", "gonggu.toml").unwrap();
    /// assert_eq!(zones.region_codes["示范区"], "411400");
    /// assert!(Config::parse("[region_codes]\n\"示范区\" = \"411499\"\n", "gonggu.toml").is_err());
    /// ```
    pub fn parse(text: &str, origin: &str) -> Result<Config> {
        let mut config: Config =
            toml::from_str(text).map_err(|e| Error::Config(format!("{origin}：{e}")))?;
        config.drop_placeholders();
        if let Some(d) = &config.as_of {
            parse_date_setting(d, origin, "as_of")?;
        }
        if let Some(d) = &config.document.issue_date {
            parse_date_setting(d, origin, "document.issue_date")?;
        }
        // Unknown codes are refused here, where the file can be named.
        crate::division::Places::new(
            config.region.name.as_deref(),
            config.region.code.as_deref(),
            &config.region_codes,
        )
        .map_err(|e| match e {
            Error::Config(m) => Error::Config(format!("{origin}：{m}")),
            other => other,
        })?;
        Ok(config)
    }

    /// Reads and parses a configuration file.
    ///
    /// # Errors
    /// [`Error::Io`] when unreadable, [`Error::Config`] when invalid.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Config::parse(&text, &path.display().to_string())?;
        if let Some(rules) = &config.check.rules {
            let file = path.parent().unwrap_or(Path::new("")).join(rules);
            let text = std::fs::read_to_string(&file).map_err(|source| Error::Io {
                path: file.clone(),
                source,
            })?;
            config.check.rules_text = Some((file.display().to_string(), text));
        }
        Ok(config)
    }

    /// The configured as-of date.
    pub fn as_of_date(&self) -> Option<NaiveDate> {
        self.as_of
            .as_deref()
            .and_then(|d| crate::ingest::value::parse_date_text(d).ok().flatten())
    }

    /// The configured issue date (成文日期).
    pub fn issue_date(&self) -> Option<NaiveDate> {
        self.document
            .issue_date
            .as_deref()
            .and_then(|d| crate::ingest::value::parse_date_text(d).ok().flatten())
    }
}

/// Parses a date setting, naming the key in the error.
///
/// # Errors
/// [`Error::Config`] when the text is not a date.
pub fn parse_date_setting(text: &str, origin: &str, key: &str) -> Result<NaiveDate> {
    match crate::ingest::value::parse_date_text(text) {
        Ok(Some(d)) => Ok(d),
        _ => Err(Error::Config(format!(
            "{origin}：{key} 的值「{text}」不是有效日期（例：2021-11-30）"
        ))),
    }
}

#[cfg(test)]
mod tests;
