//! `[run]` of gonggu.toml (SPEC §7): the month's inputs as patterns, the level, the
//! documents and where they go, for `gonggu run`. A pattern names files relative to the
//! folder of gonggu.toml; `{年}` is the year (`2021`), `{月}` the month zero-padded (`03`),
//! `{上月}` last month as `2021-02`; `*` and `?` match within one path component.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::error::{Error, Result};

/// `[run]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// `county` or `town` (default `county`).
    pub level: Option<String>,
    /// This month's inputs (default `数据/{年}-{月}/*.xlsx`, `数据/{年}-{月}/*.csv`).
    #[serde(default)]
    pub inputs: Vec<String>,
    /// Last month's inputs for the comparison; when given and present they win over the
    /// history.
    #[serde(default)]
    pub previous: Vec<String>,
    /// Output folder (default `输出/{年}年{月}月`).
    pub out: Option<String>,
    /// Documents to make (default all: `check`, `notice`, `brief`, `evaluate`, `json`,
    /// `changes`).
    #[serde(default)]
    pub documents: Vec<String>,
    /// Forms of the editable documents: `pdf`, `docx` (default both).
    #[serde(default)]
    pub formats: Vec<String>,
}

/// Default input patterns of `[run]`.
pub const DEFAULT_INPUTS: [&str; 2] = ["数据/{年}-{月}/*.xlsx", "数据/{年}-{月}/*.csv"];
/// Default output folder of `[run]`.
pub const DEFAULT_OUT: &str = "输出/{年}年{月}月";
/// Every document `gonggu run` can make, in the order it makes them.
pub const DOCUMENTS: [&str; 6] = ["check", "notice", "brief", "evaluate", "json", "changes"];

impl RunConfig {
    /// The input patterns: configured, else [`DEFAULT_INPUTS`].
    pub fn input_patterns(&self) -> Vec<String> {
        if self.inputs.is_empty() {
            DEFAULT_INPUTS.iter().map(|s| s.to_string()).collect()
        } else {
            self.inputs.clone()
        }
    }

    /// The output folder pattern: configured, else [`DEFAULT_OUT`].
    pub fn out_pattern(&self) -> &str {
        self.out.as_deref().unwrap_or(DEFAULT_OUT)
    }

    /// The documents to make, in [`DOCUMENTS`] order.
    ///
    /// # Errors
    /// [`Error::Config`] naming an unknown document.
    pub fn documents(&self) -> Result<Vec<&'static str>> {
        for d in &self.documents {
            if !DOCUMENTS.contains(&d.as_str()) {
                return Err(Error::Config(format!(
                    "[run] documents 中的「{d}」不是可生成的文稿（可写：{}）",
                    DOCUMENTS.join("、")
                )));
            }
        }
        Ok(DOCUMENTS
            .into_iter()
            .filter(|d| self.documents.is_empty() || self.documents.iter().any(|c| c == d))
            .collect())
    }
}

impl RunConfig {
    /// The forms of the editable documents as (pdf, docx): configured, else both.
    ///
    /// # Errors
    /// [`Error::Config`] naming an unknown form.
    pub fn formats(&self) -> Result<(bool, bool)> {
        if self.formats.is_empty() {
            return Ok((true, true));
        }
        for f in &self.formats {
            if f != "pdf" && f != "docx" {
                return Err(Error::Config(format!(
                    "[run] formats 中的「{f}」不是文稿格式（可写：pdf、docx）"
                )));
            }
        }
        Ok((
            self.formats.iter().any(|f| f == "pdf"),
            self.formats.iter().any(|f| f == "docx"),
        ))
    }
}

/// A calendar month (`2021-11`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
}

impl Month {
    /// Parses `2021-11`, `2021-1`, `202111`, `2021年11月`, `2021.11` or `2021/11`.
    ///
    /// # Errors
    /// [`Error::Config`] saying how to write a month.
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::config::run::Month;
    /// assert_eq!(Month::parse("2021-03").unwrap(), Month { year: 2021, month: 3 });
    /// assert_eq!(Month::parse("2021年11月").unwrap().to_string(), "2021-11");
    /// assert!(Month::parse("2021-13").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Month> {
        let t = text.trim();
        let bad = || {
            Error::Config(format!(
                "「{text}」不是月份：请写成 2021-11（年-月）或 2021年11月"
            ))
        };
        let (y, m) = if let Some(rest) = t.strip_suffix('月') {
            rest.split_once('年').ok_or_else(bad)?
        } else if let Some(pair) = t.split_once(['-', '.', '/']) {
            pair
        } else if t.len() == 6 && t.is_ascii() {
            t.split_at(4)
        } else {
            return Err(bad());
        };
        let year: i32 = y.trim().parse().map_err(|_| bad())?;
        let month: u32 = m.trim().parse().map_err(|_| bad())?;
        if !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    /// The month of a date.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// `2021年9月`.
    pub fn label(self) -> String {
        crate::text::month_zh(self.last_day())
    }

    /// The last day: the as-of date of a monthly run.
    pub fn last_day(self) -> NaiveDate {
        crate::text::last_day_of_month(self.year, self.month).unwrap_or_default()
    }

    /// The month before.
    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Whether a date lies in this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        Month::of(date) == self
    }

    /// The pattern with `{年}`, `{月}` and `{上月}` replaced.
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::config::run::Month;
    /// let m = Month { year: 2021, month: 1 };
    /// assert_eq!(m.expand("数据/{年}-{月}/*.xlsx"), "数据/2021-01/*.xlsx");
    /// assert_eq!(m.expand("数据/{上月}/*.xlsx"), "数据/2020-12/*.xlsx");
    /// ```
    pub fn expand(self, pattern: &str) -> String {
        pattern
            .replace("{年}", &self.year.to_string())
            .replace("{月}", &format!("{:02}", self.month))
            .replace("{上月}", &self.previous().to_string())
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

/// One piece of a pattern component.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Text(char),
    Any,
    One,
    Year,
    Month,
}

fn tokens(component: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = component;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("{年}") {
            out.push(Token::Year);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("{月}") {
            out.push(Token::Month);
            rest = r;
        } else {
            out.push(match c {
                '*' => Token::Any,
                '?' => Token::One,
                c => Token::Text(c),
            });
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Matches a name against tokens, filling the year and month met on the way.
fn matches(tokens: &[Token], name: &[char], found: &mut (Option<i32>, Option<u32>)) -> bool {
    let digits = |n: usize| -> Option<u32> {
        let d: String = name.get(..n)?.iter().collect();
        if d.chars().all(|c| c.is_ascii_digit()) {
            d.parse().ok()
        } else {
            None
        }
    };
    match tokens.split_first() {
        None => name.is_empty(),
        Some((Token::Text(c), rest)) => name.first() == Some(c) && matches(rest, &name[1..], found),
        Some((Token::One, rest)) => !name.is_empty() && matches(rest, &name[1..], found),
        Some((Token::Any, rest)) => (0..=name.len()).any(|i| matches(rest, &name[i..], found)),
        Some((Token::Year, rest)) => match digits(4) {
            Some(y) if found.0.is_none_or(|f| f == y as i32) => {
                let before = found.0;
                found.0 = Some(y as i32);
                matches(rest, &name[4..], found) || {
                    found.0 = before;
                    false
                }
            }
            _ => false,
        },
        Some((Token::Month, rest)) => match digits(2) {
            Some(m) if (1..=12).contains(&m) && found.1.is_none_or(|f| f == m) => {
                let before = found.1;
                found.1 = Some(m);
                matches(rest, &name[2..], found) || {
                    found.1 = before;
                    false
                }
            }
            _ => false,
        },
    }
}

/// Whether a file name matches one pattern component (`*.xlsx`, `监测对象*.csv`).
///
/// # Examples
/// ```
/// use gonggu_core::config::run::name_matches;
/// assert!(name_matches("*.xlsx", "监测对象信息.xlsx"));
/// assert!(!name_matches("*.xlsx", "监测对象信息.csv"));
/// assert!(name_matches("2021-1?", "2021-11"));
/// ```
pub fn name_matches(component: &str, name: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    matches(&tokens(component), &name, &mut (None, None))
}

/// Files matching the patterns (already expanded for a month, or with `{年}`/`{月}` left in
/// to find any month), relative to `base`; each with the month its `{年}`/`{月}` matched.
/// Hidden files (`.…`) and Office lock files (`~$…`) are skipped. Sorted, no duplicates.
///
/// # Errors
/// [`Error::Io`] when a folder that exists cannot be listed.
pub fn find(base: &Path, patterns: &[String]) -> Result<Vec<(PathBuf, Option<Month>)>> {
    let mut out = Vec::new();
    for pattern in patterns {
        let parts: Vec<&str> = pattern
            .split(['/', '\\'])
            .filter(|p| !p.is_empty())
            .collect();
        let start = if Path::new(pattern).is_absolute() {
            PathBuf::from(if pattern.starts_with('/') { "/" } else { "" })
        } else {
            base.to_path_buf()
        };
        walk(&start, &parts, (None, None), &mut out)?;
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(
    dir: &Path,
    parts: &[&str],
    found: (Option<i32>, Option<u32>),
    out: &mut Vec<(PathBuf, Option<Month>)>,
) -> Result<()> {
    let Some((part, rest)) = parts.split_first() else {
        return Ok(());
    };
    let toks = tokens(part);
    let literal = toks.iter().all(|t| matches!(t, Token::Text(_)));
    let last = rest.is_empty();
    let mut visit = |path: PathBuf, name: &str| -> Result<()> {
        let mut f = found;
        if !matches(&toks, &name.chars().collect::<Vec<_>>(), &mut f) {
            return Ok(());
        }
        if last {
            if path.is_file() && !name.starts_with('.') && !name.starts_with("~$") {
                let month = match f {
                    (Some(year), Some(month)) => Some(Month { year, month }),
                    _ => None,
                };
                out.push((path, month));
            }
        } else if path.is_dir() {
            walk(&path, rest, f, out)?;
        }
        Ok(())
    };
    if literal {
        // No listing needed (and the folder may not be listable, only enterable).
        return visit(dir.join(part), part);
    }
    // A relative base of "" (gonggu.toml in the current folder) lists "." but keeps the
    // paths short (`数据/2021-11/…`, not `./数据/…`).
    let listing = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let entries = match std::fs::read_dir(listing) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut names: Vec<(PathBuf, String)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            Some((dir.join(&name), name))
        })
        .collect();
    names.sort();
    for (path, name) in names {
        visit(path, &name)?;
    }
    Ok(())
}

/// The latest month that has input files: the patterns with `{年}`/`{月}` matched against
/// the folders and names found.
///
/// # Errors
/// As [`find`].
pub fn latest_month(base: &Path, patterns: &[String]) -> Result<Option<Month>> {
    Ok(find(base, patterns)?
        .into_iter()
        .filter_map(|(_, m)| m)
        .max())
}

#[cfg(test)]
mod tests;
