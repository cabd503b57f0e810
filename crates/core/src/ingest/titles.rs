//! The date of the data as an export's title rows state it (`数据截至：2021年11月30日`,
//! `导出时间：2021-12-01 09:30:00`), and the as-of date chosen from several inputs (SPEC §7).

use chrono::NaiveDate;

use super::source::{CellKind, RowBuf};
use super::value;
use crate::model::{DataDate, DataDateKind, Dataset};

/// The wordings that state a date, by strength: what the data are as of, then a plain
/// 截至, then when the file was exported.
const WORDINGS: [(DataDateKind, &[&str]); 3] = [
    (
        DataDateKind::DataAsOf,
        &[
            "数据截至",
            "数据截止",
            "数据日期",
            "统计截至",
            "统计截止",
            "统计日期",
        ],
    ),
    (DataDateKind::AsOf, &["截至", "截止"]),
    (DataDateKind::Exported, &["导出时间", "导出日期"]),
];

/// Reads a date at the start of `text`: `2021年11月30日`, `2021年11月30号`, `2021-11-30`,
/// `2021/11/30`, `2021.11.30`, `20211130`, `2021年11月` (a month: its last day), a time
/// after it ignored.
fn date_at_start(text: &str) -> Option<NaiveDate> {
    let t = text.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '：' | '为' | '是' | '(' | '（')
    });
    let mut out = String::new();
    let mut groups = 0;
    let mut in_digits = false;
    for c in t.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                groups += 1;
                in_digits = true;
            }
            out.push(c);
        } else if in_digits && groups < 3 && matches!(c, '年' | '月' | '-' | '/' | '.') {
            out.push(c);
            in_digits = false;
        } else {
            break;
        }
    }
    let out = out.trim_end_matches(['-', '/', '.']);
    match value::parse_date_text(out) {
        Ok(Some(d)) if groups >= 2 || out.len() == 8 || out.len() == 6 => Some(d),
        _ => None,
    }
}

/// The strongest date stated in title rows: a wording followed by a date in the same cell,
/// or by a date in the next non-empty cell of the row.
pub(crate) fn data_date<'a>(rows: impl Iterator<Item = &'a RowBuf>) -> Option<DataDate> {
    let mut best: Option<DataDate> = None;
    for row in rows {
        let cells = row.cells();
        for (ci, cell) in cells.iter().enumerate() {
            let text = cell.as_text();
            for (kind, words) in WORDINGS {
                if best.as_ref().is_some_and(|b| b.kind <= kind) {
                    break;
                }
                let Some((word, at)) = words
                    .iter()
                    .filter_map(|w| text.find(w).map(|i| (*w, i + w.len())))
                    .min_by_key(|(_, i)| *i)
                else {
                    continue;
                };
                let after = text.get(at..).unwrap_or("");
                let date = date_at_start(after).or_else(|| {
                    if !after.trim_matches([':', '：', ' ']).is_empty() {
                        return None;
                    }
                    let next = cells
                        .iter()
                        .skip(ci + 1)
                        .find(|c| c.kind != CellKind::Empty)?;
                    match next.kind {
                        CellKind::Text => date_at_start(next.as_text()),
                        _ => value::parse_date(next).ok().flatten(),
                    }
                });
                if let Some(date) = date {
                    best = Some(DataDate {
                        date,
                        kind,
                        label: word.to_string(),
                    });
                }
            }
        }
    }
    best
}

/// The as-of date the inputs' title rows state, and notes about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedDate {
    /// The date: the latest of the strongest wording found (数据截至 / 数据日期, then
    /// 截至, then 导出时间).
    pub date: NaiveDate,
    /// Where it was read (`文件 监测对象信息.xlsx，工作表「Sheet1」的标题行「数据截至」`).
    pub from: String,
    /// Other inputs that state another date (Chinese, one sentence), if any.
    pub disagreement: Option<String>,
}

/// Describes where a title date was read.
fn place_of(ds: &Dataset, source: usize, label: &str) -> String {
    match ds.sources.get(source) {
        Some(s) => match &s.sheet {
            Some(sheet) => format!("{} 工作表「{sheet}」标题中的「{label}」", s.file),
            None => format!("{} 标题中的「{label}」", s.file),
        },
        None => format!("标题中的「{label}」"),
    }
}

/// The as-of date stated by the inputs' title rows: the strongest wording wins (数据截至 /
/// 数据日期, then 截至, then 导出时间); among several inputs with that wording, the latest
/// date, with a sentence naming the inputs that state another date.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::{read_inputs, stated_date, ReadOptions};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("名单.csv");
/// std::fs::write(&path, "监测对象信息（数据截至：2021年11月30日）\n\
///     县,乡,村,户编号,证件号码,户类型\n夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户\n").unwrap();
/// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
/// let stated = stated_date(&ds).unwrap();
/// assert_eq!(stated.date.to_string(), "2021-11-30");
/// assert!(stated.disagreement.is_none());
/// ```
pub fn stated_date(ds: &Dataset) -> Option<StatedDate> {
    let dated: Vec<(usize, &DataDate)> = ds
        .sources
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.data_date.as_ref().map(|d| (i, d)))
        .collect();
    let strongest = dated.iter().map(|(_, d)| d.kind).min()?;
    let (at, chosen) = dated
        .iter()
        .filter(|(_, d)| d.kind == strongest)
        .max_by_key(|(i, d)| (d.date, std::cmp::Reverse(*i)))?;
    let others: Vec<String> = dated
        .iter()
        .filter(|(_, d)| d.kind != DataDateKind::Exported && d.date != chosen.date)
        .map(|(i, d)| format!("{}为 {}", place_of(ds, *i, &d.label), d.date))
        .collect();
    Some(StatedDate {
        date: chosen.date,
        from: place_of(ds, *at, &chosen.label),
        disagreement: (!others.is_empty()).then(|| {
            format!(
                "输入文件标题中的数据日期不一致：{}；按 {} 计算。",
                others.join("，"),
                chosen.date
            )
        }),
    })
}

#[cfg(test)]
mod tests;
