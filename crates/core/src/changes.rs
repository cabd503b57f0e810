//! The month's 变动名单: households newly identified for monitoring in the month, households
//! whose risk was eliminated in the month, and households that left monitoring (monitored in
//! last month's roster, not monitored or gone in this one), each with its place (县, 乡镇,
//! 村), so that every town can check its own. Personal data are masked unless revealed.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::config::run::Month;
use crate::mask::Pii;
use crate::model::{Dataset, EliminationMethod, Household, MonitorCategory};
use crate::region::Level;

/// What happened to a household in the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// 新识别: 识别监测时间 in the month.
    Identified,
    /// 风险消除: 风险是否消除 = 是 and 消除监测时间 in the month.
    Eliminated,
    /// 退出监测: monitored last month, not monitored (or not in the roster) now.
    Left,
}

impl ChangeKind {
    /// All kinds, in the order of the list.
    pub const ALL: [ChangeKind; 3] = [
        ChangeKind::Identified,
        ChangeKind::Eliminated,
        ChangeKind::Left,
    ];

    /// The Chinese label (`新识别监测户` …).
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Identified => "新识别监测户",
            ChangeKind::Eliminated => "风险消除户",
            ChangeKind::Left => "退出监测户",
        }
    }
}

/// One household of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// 县 (empty when the roster has no such column).
    pub county: String,
    /// 乡镇.
    pub town: String,
    /// 村.
    pub village: String,
    /// 户编号.
    pub household: String,
    /// 户主姓名, masked unless revealed.
    pub head: String,
    /// 户主证件号码, masked unless revealed.
    pub head_id: String,
    /// 人数.
    pub members: u32,
    /// 监测对象类别 (this month's; last month's for a household that left).
    pub category: String,
    /// The date of the change (识别 / 消除监测时间), none for a household that left.
    pub date: Option<NaiveDate>,
    /// 风险消除方式.
    pub method: String,
}

/// The 变动名单 of one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthChanges {
    /// The month.
    pub month: Month,
    /// The parent region (title).
    pub parent: String,
    /// The households, by kind, then county, town, village and 户编号.
    pub rows: Vec<Change>,
    /// Whether last month's roster was there to find the households that left.
    pub compared: bool,
    /// The official order of the units (counties or towns): places are listed in it, the
    /// others after them by name.
    pub order: Vec<String>,
}

impl MonthChanges {
    /// Counts per (county, town) and kind, places in the official order.
    pub fn by_town(&self) -> Vec<((String, String), [usize; 3])> {
        let mut counts: BTreeMap<(String, String), [usize; 3]> = BTreeMap::new();
        for r in &self.rows {
            let slot = ChangeKind::ALL
                .iter()
                .position(|k| *k == r.kind)
                .unwrap_or(0);
            counts
                .entry((r.county.clone(), r.town.clone()))
                .or_default()[slot] += 1;
        }
        let mut out: Vec<_> = counts.into_iter().collect();
        out.sort_by_key(|((county, town), _)| self.place_key(county, town));
        out
    }

    /// Sort key of a place: its county's and town's positions in the official order, then
    /// the names.
    fn place_key(&self, county: &str, town: &str) -> (usize, String, usize, String) {
        let pos = |name: &str| {
            self.order
                .iter()
                .position(|o| o == name)
                .unwrap_or(usize::MAX)
        };
        (pos(county), county.to_string(), pos(town), town.to_string())
    }

    /// Number of households of a kind.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.rows.iter().filter(|r| r.kind == kind).count()
    }
}

fn category_label(h: &Household) -> String {
    match h.category {
        Some(MonitorCategory::Unstable) => "脱贫不稳定户".into(),
        Some(MonitorCategory::Marginal) => "边缘易致贫户".into(),
        Some(MonitorCategory::Sudden) => "突发严重困难户".into(),
        Some(MonitorCategory::Other) => h.category_text.as_deref().unwrap_or("").into(),
        None => String::new(),
    }
}

/// A household as a row of the list.
fn row(ds: &Dataset, heads: &[Option<u32>], index: usize, kind: ChangeKind, pii: Pii) -> Change {
    let h = &ds.roster.households[index];
    let place = |level| {
        ds.regions
            .ancestor_at(h.village, level)
            .map(|id| ds.regions.name(id).to_string())
            .unwrap_or_default()
    };
    let head = heads.get(index).copied().flatten().map(|p| p as usize);
    let date = match kind {
        ChangeKind::Identified => h.identified,
        ChangeKind::Eliminated => h.eliminated_on,
        ChangeKind::Left => None,
    };
    Change {
        kind,
        county: place(Level::County),
        town: place(Level::Town),
        village: place(Level::Village),
        household: h.id.to_string(),
        head: head
            .and_then(|p| ds.roster.persons.get(p))
            .and_then(|p| p.name.as_deref())
            .map(|n| pii.name(n))
            .unwrap_or_default(),
        head_id: head
            .and_then(|p| ds.roster.ids.get(p))
            .map(|i| pii.id(i.as_str()))
            .unwrap_or_default(),
        members: h.members,
        category: category_label(h),
        date,
        method: match (kind, h.elimination_method) {
            (ChangeKind::Eliminated, Some(EliminationMethod::Assisted)) => "帮扶消除".into(),
            (ChangeKind::Eliminated, Some(EliminationMethod::Natural)) => "自然消除".into(),
            (ChangeKind::Eliminated, Some(EliminationMethod::Other)) => "其他".into(),
            _ => String::new(),
        },
    }
}

/// The 变动名单 of `month` from this month's data and, when given, last month's (for the
/// households that left monitoring); places in the official `order` of the units.
///
/// # Examples
/// ```
/// use gonggu_core::changes::{month_changes, ChangeKind};
/// use gonggu_core::config::run::Month;
/// use gonggu_core::ingest::{read_inputs, ReadOptions};
/// use gonggu_core::mask::Pii;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("监测对象信息.csv");
/// std::fs::write(&path, "县,乡,村,户编号,证件号码,姓名,与户主关系,户类型,监测对象类别,识别监测时间\n\
///     夏邑县,城关镇,东关村,H1,411426199001010011,张三丰,户主,普通农户,边缘易致贫户,2021-11\n\
///     夏邑县,城关镇,东关村,H2,411426199001010038,李四,户主,普通农户,边缘易致贫户,2021-10\n").unwrap();
/// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
/// let c = month_changes(&ds, None, Month::parse("2021-11").unwrap(), "夏邑县", &[], Pii::Masked);
/// assert_eq!(c.count(ChangeKind::Identified), 1);
/// assert_eq!(c.rows[0].household, "H1");
/// assert_eq!(c.rows[0].head, "张*");
/// ```
pub fn month_changes(
    ds: &Dataset,
    previous: Option<&Dataset>,
    month: Month,
    parent: &str,
    order: &[String],
    pii: Pii,
) -> MonthChanges {
    let in_month = |d: Option<NaiveDate>| d.is_some_and(|d| month.contains(d));
    let this_heads = ds.roster.heads();
    let mut rows = Vec::new();
    for (i, h) in ds.roster.households.iter().enumerate() {
        if h.is_monitored() && in_month(h.identified) {
            rows.push(row(ds, &this_heads, i, ChangeKind::Identified, pii));
        }
        if h.is_monitored() && h.is_eliminated() && in_month(h.eliminated_on) {
            rows.push(row(ds, &this_heads, i, ChangeKind::Eliminated, pii));
        }
    }
    if let Some(prev) = previous {
        let monitored_now: std::collections::HashSet<&str> = ds
            .roster
            .households
            .iter()
            .filter(|h| h.is_monitored())
            .map(|h| &*h.id)
            .collect();
        let prev_heads = prev.roster.heads();
        for (i, h) in prev.roster.households.iter().enumerate() {
            if h.is_monitored() && !monitored_now.contains(&*h.id) {
                rows.push(row(prev, &prev_heads, i, ChangeKind::Left, pii));
            }
        }
    }
    let mut changes = MonthChanges {
        month,
        parent: parent.to_string(),
        rows: Vec::new(),
        compared: previous.is_some(),
        order: order.to_vec(),
    };
    rows.sort_by_cached_key(|r| {
        (
            r.kind,
            changes.place_key(&r.county, &r.town),
            r.village.clone(),
            r.household.clone(),
        )
    });
    changes.rows = rows;
    changes
}

#[cfg(test)]
mod tests;
