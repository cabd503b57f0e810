//! This month's findings against the lists the towns sent back (`gonggu check --returned`):
//! which findings were resolved, which are still present (their answers carried over), which
//! are new, and which answers contradict the data (属实已整改 while the finding is still
//! there).

use std::collections::{HashMap, HashSet};

use gonggu_core::ingest::returned::{Answer, Returned, ReturnedRow};
use gonggu_core::model::Dataset;
use gonggu_core::region::{Level, RegionId};
use gonggu_core::validate::CheckReport;

use super::number::{CheckKey, check_numbers};

/// Counts of one town and rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackLine {
    /// The town as its sheet is named (`城关镇`, `夏邑县城关镇` where two counties have one,
    /// `夏邑县（县级）`, `未定位地区`).
    pub town: String,
    /// Rule code.
    pub code: String,
    /// In the returned list, not found now.
    pub resolved: u64,
    /// In the returned list and found again.
    pub still: u64,
    /// Found now, not in the returned list.
    pub new: u64,
    /// Still present although answered 属实已整改.
    pub contradicted: u64,
}

/// A finding still present that the town had answered 属实已整改.
#[derive(Debug, Clone)]
pub struct Contradiction {
    /// Index of the finding in the report.
    pub finding: usize,
    /// The returned row with the answer.
    pub returned: ReturnedRow,
}

/// The comparison of this month's findings with the returned lists.
#[derive(Debug, Clone, Default)]
pub struct Tracking {
    /// Per town and rule, towns in report order (then towns found only in the returned
    /// lists), rules in report order.
    pub lines: Vec<TrackLine>,
    /// Answers contradicting the data, in report order.
    pub contradictions: Vec<Contradiction>,
    /// The returned findings not found any more.
    pub resolved: Vec<ReturnedRow>,
    /// Findings in the returned lists.
    pub returned: u64,
    /// Answers (核实情况 or 说明) carried over to findings still present.
    pub carried_over: u64,
    /// Whether the numbers look made with another key: nothing is still present, yet most
    /// "resolved" findings have the rule and 户编号 of a finding found now.
    pub other_key: bool,
    /// Answer and note per finding index, for findings still present.
    carried: HashMap<usize, (Option<Answer>, String)>,
}

impl Tracking {
    /// Compares `report` with the `returned` lists. Numbers are computed with `key`; with a
    /// key of the bureau's own, numbers of lists made with the built-in key (before the key
    /// was set) are recognised too.
    pub fn new(
        ds: &Dataset,
        report: &CheckReport,
        key: &CheckKey,
        returned: &Returned,
    ) -> Tracking {
        let numbers = check_numbers(ds, report, key);
        let fallback = (!key.is_builtin()).then(|| check_numbers(ds, report, &CheckKey::builtin()));
        let by_number: HashMap<&str, &ReturnedRow> = returned
            .rows
            .iter()
            .map(|r| (r.number.as_str(), r))
            .collect();
        let mut t = Tracking {
            returned: returned.rows.len() as u64,
            ..Tracking::default()
        };
        let mut line_of: HashMap<(String, String), usize> = HashMap::new();
        let mut line = |t: &mut Tracking, town: &str, code: &str| -> usize {
            *line_of
                .entry((town.to_string(), code.to_string()))
                .or_insert_with(|| {
                    t.lines.push(TrackLine {
                        town: town.to_string(),
                        code: code.to_string(),
                        ..TrackLine::default()
                    });
                    t.lines.len() - 1
                })
        };
        let labels = Labels::new(ds);
        let mut matched: HashSet<&str> = HashSet::new();
        let mut known: HashSet<String> = HashSet::new();
        for (i, f) in report.findings.iter().enumerate() {
            let town = labels.of(ds, f.region);
            known.insert(town.clone());
            let l = line(&mut t, &town, &f.code);
            let hit = numbers
                .get(i)
                .and_then(|n| by_number.get(n.as_str()))
                .or_else(|| {
                    fallback
                        .as_ref()
                        .and_then(|fb| fb.get(i))
                        .and_then(|n| by_number.get(n.as_str()))
                });
            let Some(row) = hit.filter(|r| !matched.contains(r.number.as_str())) else {
                if let Some(tl) = t.lines.get_mut(l) {
                    tl.new += 1;
                }
                continue;
            };
            matched.insert(row.number.as_str());
            if let Some(tl) = t.lines.get_mut(l) {
                tl.still += 1;
                if row.answer == Some(Answer::Fixed) {
                    tl.contradicted += 1;
                }
            }
            if row.answer.is_some() || !row.note.is_empty() {
                t.carried.insert(i, (row.answer, row.note.clone()));
                t.carried_over += 1;
            }
            if row.answer == Some(Answer::Fixed) {
                t.contradictions.push(Contradiction {
                    finding: i,
                    returned: (*row).clone(),
                });
            }
        }
        let known: HashSet<&str> = known
            .iter()
            .map(String::as_str)
            .chain(labels.towns.values().map(String::as_str))
            .collect();
        let present: HashSet<(&str, &str)> = report
            .findings
            .iter()
            .filter_map(|f| Some((&*f.code, f.household_id.as_deref()?.trim())))
            .collect();
        let mut look_present = 0usize;
        for row in &returned.rows {
            if !matched.contains(row.number.as_str()) {
                if present.contains(&(row.code.as_str(), row.household.as_str())) {
                    look_present += 1;
                }
                let l = line(&mut t, &labels.of_returned(&known, row), &row.code);
                if let Some(tl) = t.lines.get_mut(l) {
                    tl.resolved += 1;
                }
                t.resolved.push(row.clone());
            }
        }
        t.other_key = matched.is_empty() && look_present * 2 > t.resolved.len();
        t
    }

    /// The answer and note carried over to finding `index` of the report.
    pub fn carried(&self, index: usize) -> Option<(Option<Answer>, &str)> {
        self.carried.get(&index).map(|(a, n)| (*a, n.as_str()))
    }

    /// Totals: (resolved, still present, new, contradicted).
    pub fn totals(&self) -> (u64, u64, u64, u64) {
        self.lines.iter().fold((0, 0, 0, 0), |(r, s, n, c), l| {
            (r + l.resolved, s + l.still, n + l.new, c + l.contradicted)
        })
    }

    /// A short Chinese summary for the terminal.
    pub fn summary_lines(&self) -> Vec<String> {
        let (resolved, still, new, contradicted) = self.totals();
        let mut out = vec![format!(
            "对照上期核查清单（{} 条）：已解决 {resolved} 条，仍存在 {still} 条（带入上期核实情况 {} 条），新增 {new} 条。",
            self.returned, self.carried_over
        )];
        if contradicted > 0 {
            // Per town, most first (then in sheet order), at most five named.
            let mut towns: Vec<(&str, u64)> = Vec::new();
            for l in self.lines.iter().filter(|l| l.contradicted > 0) {
                match towns.iter_mut().find(|(t, _)| *t == l.town) {
                    Some((_, n)) => *n += l.contradicted,
                    None => towns.push((&l.town, l.contradicted)),
                }
            }
            towns.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
            let named: Vec<String> = towns
                .iter()
                .take(5)
                .map(|(t, n)| format!("{t} {n} 条"))
                .collect();
            let more = match towns.len() {
                n if n > 5 => format!("等 {n} 个乡镇"),
                _ => String::new(),
            };
            out.push(format!(
                "其中 {contradicted} 条上期填报“属实已整改”，本期数据中仍有此问题（{}{more}），已列入「整改核对」表，请县级核对。",
                named.join("、")
            ));
        }
        out
    }
}

/// The names of the sheets findings go on: a town's name, prefixed with its county where
/// towns of two counties share it (`夏邑县城关镇`); a county's `（县级）` sheet; 未定位地区.
pub(crate) struct Labels {
    towns: HashMap<RegionId, String>,
}

impl Labels {
    pub(crate) fn new(ds: &Dataset) -> Labels {
        let regions = &ds.regions;
        let towns = regions.at_level(Level::Town);
        let mut count: HashMap<&str, usize> = HashMap::new();
        for &t in &towns {
            *count.entry(regions.name(t)).or_insert(0) += 1;
        }
        let label = |t: RegionId| {
            let name = regions.name(t);
            match regions.node(t).parent {
                Some(p) if count.get(name).copied().unwrap_or(0) > 1 => {
                    format!("{}{}", regions.name(p), name)
                }
                _ => name.to_string(),
            }
        };
        Labels {
            towns: towns.iter().map(|&t| (t, label(t))).collect(),
        }
    }

    /// The label of a town.
    pub(crate) fn town(&self, t: RegionId) -> &str {
        self.towns.get(&t).map_or("", String::as_str)
    }

    /// The sheet of a finding placed at `region`.
    pub(crate) fn of(&self, ds: &Dataset, region: Option<RegionId>) -> String {
        let regions = &ds.regions;
        let Some(r) = region else {
            return UNPLACED.into();
        };
        if let Some(t) = regions.ancestor_at(r, Level::Town) {
            return self.town(t).to_string();
        }
        match regions.ancestor_at(r, Level::County) {
            Some(c) => county_label(regions.name(c)),
            None => UNPLACED.into(),
        }
    }

    /// The town of a returned row: its sheet's name when that names a sheet of this month
    /// (so that two counties' 城关镇 stay apart), else its 乡镇 cell.
    fn of_returned(&self, known: &HashSet<&str>, row: &ReturnedRow) -> String {
        let sheet = row.place.sheet.as_deref().unwrap_or("");
        // A long list continues on `城关镇（续2）`.
        let sheet = sheet.split("（续").next().unwrap_or(sheet);
        if known.contains(sheet) {
            sheet.to_string()
        } else {
            row.town.clone()
        }
    }
}

/// The sheet of rows that could not be placed.
pub(crate) const UNPLACED: &str = "未定位地区";

/// The sheet of a county's findings without a town (projects, loans).
pub(crate) fn county_label(county: &str) -> String {
    format!("{county}（县级）")
}
