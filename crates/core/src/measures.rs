//! Measures (SPEC §4.1): counts and sums over records, or read from a 汇总.
//!
//! A [`Tally`] holds the measures of one unit. A measure missing from a tally is
//! *unavailable* (its source table was not given), which is different from zero: indicators
//! built on it are left out of the report, never shown as 0.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

/// Which input table a measure is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeasureSource {
    /// 人员 roster.
    Roster,
    /// 项目 ledger.
    Projects,
    /// 小额信贷 ledger (some measures also need the roster).
    Loans,
    /// 目标 table only.
    Targets,
    /// （务工月监测）已外出务工信息.
    WorkSpells,
    /// 计划外出务工信息.
    PlannedWork,
    /// （自定义）行政村信息.
    Villages,
}

/// Definition of one built-in measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasureDef {
    /// Stable id (`tuopin_households`).
    pub id: &'static str,
    /// Chinese name, also the 汇总 column name (`脱贫户数`).
    pub name: &'static str,
    /// Unit word (`户`, `人`, `个`, `万元`, `元`).
    pub unit: &'static str,
    /// Source table.
    pub source: MeasureSource,
    /// Definition in words, for the `指标说明` sheet.
    pub definition: &'static str,
}

macro_rules! measures {
    ($( $id:literal, $name:literal, $unit:literal, $src:ident, $def:literal; )*) => {
        /// Every built-in measure, in catalogue order.
        pub const MEASURES: &[MeasureDef] = &[
            $( MeasureDef { id: $id, name: $name, unit: $unit, source: MeasureSource::$src, definition: $def }, )*
        ];
    };
}

measures! {
    "tuopin_households", "脱贫户数", "户", Roster, "户类型为脱贫户（含脱贫不稳定户）的户数";
    "tuopin_persons", "脱贫人口数", "人", Roster, "脱贫户的全部成员人数";
    "monitored_households", "监测户数", "户", Roster, "监测对象类别不为空的户数";
    "monitored_persons", "监测对象人数", "人", Roster, "监测户的全部成员人数";
    "unstable_households", "脱贫不稳定户数", "户", Roster, "监测对象类别为脱贫不稳定户的户数";
    "unstable_persons", "脱贫不稳定户人数", "人", Roster, "脱贫不稳定户的全部成员人数";
    "marginal_households", "边缘易致贫户数", "户", Roster, "监测对象类别为边缘易致贫户的户数";
    "marginal_persons", "边缘易致贫户人数", "人", Roster, "边缘易致贫户的全部成员人数";
    "sudden_households", "突发严重困难户数", "户", Roster, "监测对象类别为突发严重困难户的户数";
    "sudden_persons", "突发严重困难户人数", "人", Roster, "突发严重困难户的全部成员人数";
    "eliminated_households", "风险消除户数", "户", Roster, "监测户中风险是否消除为是的户数";
    "eliminated_persons", "风险消除人数", "人", Roster, "风险已消除监测户的全部成员人数";
    "new_monitored_households", "新识别监测户数", "户", Roster, "识别监测时间在统计年度1月1日至统计截止日之间的监测户数";
    "assisted_monitored_households", "已享受帮扶政策监测户数", "户", Roster, "已落实帮扶措施（任一帮扶列或帮扶措施不为空且不为否/无）的监测户数";
    "covered_households", "脱贫户和监测户数", "户", Roster, "脱贫户或监测户的户数";
    "covered_persons", "脱贫人口和监测对象人数", "人", Roster, "脱贫户或监测户的全部成员人数";
    "labor_persons", "劳动力人数", "人", Roster, "脱贫户和监测户中劳动技能为普通劳动力、技能劳动力、弱劳动力或半劳动力的人数";
    "employed_persons", "务工就业人数", "人", Roster, "脱贫户和监测户中务工所在地不为空（且不为否/无）的人数，等于县内、省内县外、省外和去向不明四项之和";
    "employed_in_county", "县内务工人数", "人", Roster, "脱贫户和监测户中在县内（含乡镇内）务工的人数：务工所在地在本户所在县，或写为县内、乡镇内务工";
    "employed_in_province", "省内县外务工人数", "人", Roster, "脱贫户和监测户中在省内县外务工的人数：务工所在地在本省的其他县（市、区），或写为省内县外务工";
    "employed_out_province", "省外务工人数", "人", Roster, "脱贫户和监测户中在省外务工的人数：务工所在地在外省、港澳台或国外，或写为省外务工";
    "employed_unknown_destination", "务工去向不明人数", "人", Roster, "脱贫户和监测户中务工、但务工所在地无法对应到县内、省内县外或省外的人数（无法识别、同名地区未写明省市、只写到本省或本市等）";
    "tuopin_employed_persons", "脱贫人口务工就业人数", "人", Roster, "脱贫户中务工就业的人数";
    "tuopin_employed_in_county", "脱贫人口县内务工人数", "人", Roster, "脱贫户中县内务工的人数";
    "tuopin_employed_in_province", "脱贫人口省内县外务工人数", "人", Roster, "脱贫户中省内县外务工的人数";
    "tuopin_employed_out_province", "脱贫人口省外务工人数", "人", Roster, "脱贫户中省外务工的人数";
    "tuopin_employed_unknown", "脱贫人口务工去向不明人数", "人", Roster, "脱贫户中务工、但去向不明的人数";
    "monitored_employed_persons", "监测对象务工就业人数", "人", Roster, "监测户中务工就业的人数";
    "monitored_employed_in_county", "监测对象县内务工人数", "人", Roster, "监测户中县内务工的人数";
    "monitored_employed_in_province", "监测对象省内县外务工人数", "人", Roster, "监测户中省内县外务工的人数";
    "monitored_employed_out_province", "监测对象省外务工人数", "人", Roster, "监测户中省外务工的人数";
    "monitored_employed_unknown", "监测对象务工去向不明人数", "人", Roster, "监测户中务工、但去向不明的人数";
    "employment_target_persons", "务工就业目标人数", "人", Targets, "目标表中下达的务工就业目标人数";
    "certified_persons", "持证人数", "人", Roster, "劳动力中是否持证为是的人数";
    "welfare_post_persons", "公益性岗位安置人数", "人", Roster, "公益性岗位不为空（且不为否/无）的人数";
    "tuopin_welfare_post_persons", "脱贫人口公益性岗位人数", "人", Roster, "脱贫户中在公益性岗位的人数";
    "monitored_welfare_post_persons", "监测对象公益性岗位人数", "人", Roster, "监测户中在公益性岗位的人数";
    "loan_balance_households", "贷款余额户数", "户", Loans, "小额信贷贷款余额大于0的脱贫户和监测户户数";
    "loan_balance_amount", "贷款余额（万元）", "万元", Loans, "小额信贷贷款余额合计";
    "overdue_households", "逾期户数", "户", Loans, "贷款状态为逾期的户数";
    "planned_projects", "纳入年度实施计划项目数", "个", Projects, "是否纳入年度实施计划为是（且为统计年度）的项目数";
    "started_projects", "已开工项目数", "个", Projects, "纳入计划项目中已开工（含已完工）的项目数";
    "completed_projects", "已完工项目数", "个", Projects, "纳入计划项目中已完工的项目数";
    "funds_allocated", "衔接资金（万元）", "万元", Projects, "纳入计划项目的衔接资金合计";
    "funds_spent", "已支出衔接资金（万元）", "万元", Projects, "纳入计划项目已支出的衔接资金合计";
    "funds_industry", "产业发展资金（万元）", "万元", Projects, "项目类型为产业发展的纳入计划项目衔接资金合计";
    "income_persons", "有收入记录人数", "人", Roster, "所在户有人均纯收入记录的脱贫人口数";
    "income_persons_sum", "人均纯收入合计（元）", "元", Roster, "上述脱贫人口所在户人均纯收入之和（按人计）";
    "below_line_unmonitored_households", "疑似应纳未纳户数", "户", Roster, "人均纯收入低于监测线且未纳入监测的户数（不论户类型）";
    "outbound_workers", "已外出务工人数", "人", WorkSpells, "已外出务工信息中有覆盖统计月份、是否已务工为是的务工记录的人数（一人多条记录只计一次）";
    "outbound_income_persons", "有务工收入记录人数", "人", WorkSpells, "上述人员中当前务工记录填有务工月收入的人数";
    "outbound_income_sum", "务工月收入合计（元）", "元", WorkSpells, "上述人员当前务工记录的务工月收入之和";
    "planned_outbound_workers", "计划外出务工人数", "人", PlannedWork, "计划外出务工信息中是否计划务工为是的人数";
    "villages", "行政村数", "个", Villages, "行政村信息中的行政村个数";
    "exited_villages", "已出列村数", "个", Villages, "行政村信息中是否出列为是的村数";
    "collective_income_sum", "村级集体经济收入合计（万元）", "万元", Villages, "行政村信息中村级集体经济收入之和";
    "villages_over_collective_line", "集体经济收入达标村数", "个", Villages, "村级集体经济收入不低于达标线（参数 collective_income_line，默认5万元）的村数";
}

/// The default 村级集体经济收入 line (万元) of `villages_over_collective_line`: the built-in
/// catalog's parameter `collective_income_line` says the same.
pub const DEFAULT_COLLECTIVE_INCOME_LINE: Decimal = Decimal::from_parts(5, 0, 0, false, 0);

/// What counting depends on besides the data: the as-of date and the lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TallyParams {
    /// The as-of date: the year of new monitoring and of projects, the month of work.
    pub as_of: chrono::NaiveDate,
    /// 监测线 (元): `below_line_unmonitored_households`.
    pub monitoring_line: Decimal,
    /// 村级集体经济收入达标线 (万元): `villages_over_collective_line`.
    pub collective_income_line: Decimal,
}

/// Looks a measure up by id.
pub fn by_id(id: &str) -> Option<&'static MeasureDef> {
    MEASURES.iter().find(|m| m.id == id)
}

/// Looks a measure up by its Chinese name (the 汇总 column name), after header
/// normalisation (full-width brackets, spaces).
pub fn by_name(name: &str) -> Option<&'static MeasureDef> {
    let wanted = crate::text::normalize_header(name);
    MEASURES
        .iter()
        .find(|m| crate::text::normalize_header(m.name) == wanted)
}

/// Assistance values of one unit, by measure id. An absent id is unavailable, not zero.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally(pub BTreeMap<String, Decimal>);

impl Tally {
    /// The value of a measure, `None` when unavailable.
    pub fn get(&self, id: &str) -> Option<Decimal> {
        self.0.get(id).copied()
    }

    /// Adds `v` to a measure (making it available).
    pub fn add(&mut self, id: &str, v: Decimal) {
        *self.0.entry(id.to_string()).or_default() += v;
    }

    /// Marks a measure available with value 0 if it is not yet present.
    pub fn touch(&mut self, id: &str) {
        self.0.entry(id.to_string()).or_default();
    }

    /// Adds every measure of `other` into `self`.
    pub fn absorb(&mut self, other: &Tally) {
        for (k, v) in &other.0 {
            *self.0.entry(k.clone()).or_default() += *v;
        }
    }
}

/// Measures counted for every unit of one level, plus the parent total.
#[derive(Debug, Clone, Default)]
pub struct Tallies {
    /// Units with records, in first-appearance order.
    pub units: Vec<(crate::region::RegionId, Tally)>,
    /// The parent total, counted over every record (including records that belong to no
    /// unit of the level, such as a project without 乡(镇) in a town notice).
    pub total: Tally,
    /// Notes for the user (Chinese).
    pub notes: Vec<String>,
    /// Measures left unavailable although their table was given, by id: the columns that
    /// were not recognised.
    pub missing: BTreeMap<String, MissingColumns>,
}

/// Why a measure is unavailable although its table was given: columns not recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingColumns {
    /// The table (`人员表`).
    pub table: &'static str,
    /// Canonical names of the columns: all needed, or with `any` one of them.
    pub columns: Vec<&'static str>,
    /// One of the columns would do.
    pub any: bool,
    /// How to name a long group of columns (`帮扶列`), if any.
    pub group: Option<&'static str>,
}

impl MissingColumns {
    fn all(table: &'static str, columns: Vec<&'static str>) -> Self {
        MissingColumns {
            table,
            columns,
            any: false,
            group: None,
        }
    }

    /// The reason as a sentence naming the columns and the names gonggu accepts.
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::measures::MissingColumns;
    /// let m = MissingColumns { table: "项目表", columns: vec!["项目状态", "完工日期"], any: true, group: None };
    /// assert!(m.sentence().starts_with("项目表中没有可识别的「项目状态」或「完工日期」列"));
    /// ```
    pub fn sentence(&self) -> String {
        match self.group {
            Some(group) => format!(
                "{}中没有可识别的{group}（「{}」，或{}等 {} 列之一）",
                self.table,
                self.columns.first().copied().unwrap_or_default(),
                self.columns
                    .iter()
                    .skip(1)
                    .take(4)
                    .copied()
                    .collect::<Vec<_>>()
                    .join("、"),
                self.columns.len().saturating_sub(1)
            ),
            None => missing_columns(self.table, &self.columns, self.any),
        }
    }
}

/// Why measures of a table are unavailable: the columns that were not recognised
/// (`any`: one of them would do), each with the names gonggu accepts.
///
/// # Examples
/// ```
/// use gonggu_core::measures::missing_columns;
/// let why = missing_columns("人员表", &["风险是否消除"], false);
/// assert_eq!(why, "人员表中没有可识别的「风险是否消除」列（可用列名：风险是否消除、风险是否已消除）");
/// ```
pub fn missing_columns(table: &str, columns: &[&str], any: bool) -> String {
    let names: Vec<String> = columns
        .iter()
        .map(|c| {
            let accepted: Vec<&str> = crate::ingest::schema::Col::ALL
                .iter()
                .find(|col| col.canonical() == *c)
                .map(|col| {
                    std::iter::once(col.canonical())
                        .chain(col.aliases().iter().copied())
                        .collect()
                })
                .unwrap_or_else(|| vec![*c]);
            accepted.join("、")
        })
        .collect();
    let joined = if any {
        columns.join("」或「")
    } else {
        columns.join("」「")
    };
    format!(
        "{table}中没有可识别的「{joined}」列（可用列名：{}）",
        names.join("；")
    )
}

pub mod records;

/// Index of a measure in [`MEASURES`].
fn ix(id: &str) -> usize {
    MEASURES.iter().position(|m| m.id == id).unwrap_or(0)
}

/// Per-unit accumulators indexed by measure: integer counters for counts and decimal sums
/// for money, so that the loops over millions of persons neither hash nor allocate.
struct UnitSink {
    index: std::collections::HashMap<crate::region::RegionId, usize>,
    units: Vec<crate::region::RegionId>,
    counts: Vec<Vec<i64>>,
    sums: Vec<Vec<Decimal>>,
    total_counts: Vec<i64>,
    total_sums: Vec<Decimal>,
    available: Vec<bool>,
    last: Option<(crate::region::RegionId, usize)>,
    notes: Vec<String>,
}

impl UnitSink {
    fn new() -> Self {
        let n = MEASURES.len();
        UnitSink {
            index: std::collections::HashMap::new(),
            units: Vec::new(),
            counts: Vec::new(),
            sums: Vec::new(),
            total_counts: vec![0; n],
            total_sums: vec![Decimal::ZERO; n],
            available: vec![false; n],
            last: None,
            notes: Vec::new(),
        }
    }

    fn slot(&mut self, u: crate::region::RegionId) -> usize {
        if let Some((lu, li)) = self.last
            && lu == u
        {
            return li;
        }
        let i = match self.index.get(&u) {
            Some(&i) => i,
            None => {
                let n = MEASURES.len();
                self.units.push(u);
                self.counts.push(vec![0; n]);
                self.sums.push(vec![Decimal::ZERO; n]);
                let i = self.units.len() - 1;
                self.index.insert(u, i);
                i
            }
        };
        self.last = Some((u, i));
        i
    }

    /// Counts `n` for measure `m` in the unit (when there is one) and in the total.
    fn count(&mut self, unit: Option<crate::region::RegionId>, m: usize, n: i64) {
        if let Some(u) = unit {
            let i = self.slot(u);
            if let Some(c) = self.counts.get_mut(i).and_then(|c| c.get_mut(m)) {
                *c += n;
            }
        }
        if let Some(c) = self.total_counts.get_mut(m) {
            *c += n;
        }
    }

    /// Adds `v` to measure `m` in the unit (when there is one) and in the total.
    fn add(&mut self, unit: Option<crate::region::RegionId>, m: usize, v: Decimal) {
        if let Some(u) = unit {
            let i = self.slot(u);
            if let Some(c) = self.sums.get_mut(i).and_then(|c| c.get_mut(m)) {
                *c += v;
            }
        }
        if let Some(c) = self.total_sums.get_mut(m) {
            *c += v;
        }
    }

    /// Counts `n` (`amount` `None`) or adds an amount to measure `m`.
    fn record(
        &mut self,
        unit: Option<crate::region::RegionId>,
        m: usize,
        n: i64,
        amount: Option<Decimal>,
    ) {
        match amount {
            Some(v) => self.add(unit, m, v),
            None => self.count(unit, m, n),
        }
    }

    /// Registers a unit without counting anything.
    fn register(&mut self, unit: crate::region::RegionId) {
        self.slot(unit);
    }

    /// Makes measures available (value 0 unless counted).
    fn touch_all(&mut self, ids: &[&str]) {
        for id in ids {
            if let Some(a) = self.available.get_mut(ix(id)) {
                *a = true;
            }
        }
    }

    fn tally(&self, counts: &[i64], sums: &[Decimal]) -> Tally {
        let mut t = Tally::default();
        for (m, def) in MEASURES.iter().enumerate() {
            if self.available.get(m).copied().unwrap_or(false) {
                let c = counts.get(m).copied().unwrap_or(0);
                let s = sums.get(m).copied().unwrap_or(Decimal::ZERO);
                t.0.insert(def.id.to_string(), Decimal::from(c) + s);
            }
        }
        t
    }

    fn finish(self, missing: BTreeMap<String, MissingColumns>) -> Tallies {
        let units = self
            .units
            .iter()
            .zip(self.counts.iter().zip(&self.sums))
            .map(|(u, (c, s))| (*u, self.tally(c, s)))
            .collect();
        Tallies {
            units,
            total: self.tally(&self.total_counts, &self.total_sums),
            notes: self.notes,
            missing,
        }
    }
}

/// Counts the measures of SPEC §4.1 from records, for every unit of `level`.
///
/// `as_of` decides the as-of year (new monitoring, project year) and which projects count as
/// started or completed when no 项目状态 is given; `monitoring_line` decides
/// `below_line_unmonitored_households`. A measure whose source table or column is absent is
/// left unavailable (absent from the tallies), never 0.
pub fn tally_records(
    ds: &crate::model::Dataset,
    level: crate::region::Level,
    as_of: chrono::NaiveDate,
    monitoring_line: Decimal,
) -> Tallies {
    tally_with(
        ds,
        level,
        &TallyParams {
            as_of,
            monitoring_line,
            collective_income_line: DEFAULT_COLLECTIVE_INCOME_LINE,
        },
    )
}

/// Like [`tally_records`], with every parameter given.
pub fn tally_with(
    ds: &crate::model::Dataset,
    level: crate::region::Level,
    params: &TallyParams,
) -> Tallies {
    use crate::model::{TableKind, WorkPlace};
    use chrono::Datelike;
    use records::{RULES, RecordKind, Records, Subject, Test};

    let as_of = params.as_of;
    let mut sink = UnitSink::new();
    let mut missing: BTreeMap<String, MissingColumns> = BTreeMap::new();
    let regions = &ds.regions;
    let roster = &ds.roster;
    let has_roster = ds.has(TableKind::Roster);
    let spell_county = ds.has_column(TableKind::WorkSpells, "务工所在县");
    // What each record counts in: one definition with `gonggu explain`.
    let records = Records::new(ds, params);
    // Each person's work spell covering the as-of month, by 证件号码.
    let current = records.current_spells();
    // The unit of `level` each region lies in (`None` above the level).
    let units: Vec<Option<crate::region::RegionId>> = regions
        .ids()
        .map(|id| regions.ancestor_at(id, level))
        .collect();
    let unit_of_region = |r: crate::region::RegionId| units.get(r.0 as usize).copied().flatten();
    let rule_ix: Vec<usize> = RULES.iter().map(|r| ix(r.measure)).collect();

    if has_roster {
        let col = |c: &str| roster.has_column(c);
        // Each measure with the columns it needs (all of them); a measure whose columns
        // were not recognised is unavailable, with the reason, never 0 (SPEC §3.6).
        let category = "监测对象类别";
        let measure_cols =
            crate::model::Assistance::ALL.iter().any(|m| col(m.label())) || col("帮扶措施");
        let mut needs: Vec<(&str, Vec<&str>)> = vec![
            ("tuopin_households", vec![]),
            ("tuopin_persons", vec![]),
            ("covered_households", vec![]),
            ("covered_persons", vec![]),
        ];
        for id in [
            "monitored_households",
            "monitored_persons",
            "unstable_households",
            "unstable_persons",
            "marginal_households",
            "marginal_persons",
            "sudden_households",
            "sudden_persons",
        ] {
            needs.push((id, vec![category]));
        }
        needs.extend([
            ("eliminated_households", vec![category, "风险是否消除"]),
            ("eliminated_persons", vec![category, "风险是否消除"]),
            ("new_monitored_households", vec![category, "识别监测时间"]),
            ("labor_persons", vec!["劳动技能"]),
            ("certified_persons", vec!["劳动技能", "是否持证"]),
            ("welfare_post_persons", vec!["公益性岗位"]),
            ("tuopin_welfare_post_persons", vec!["公益性岗位"]),
            (
                "monitored_welfare_post_persons",
                vec![category, "公益性岗位"],
            ),
            ("income_persons", vec!["人均纯收入（元）"]),
            ("income_persons_sum", vec!["人均纯收入（元）"]),
            (
                "below_line_unmonitored_households",
                vec!["人均纯收入（元）", category],
            ),
        ]);
        // With 已外出务工信息, work in the as-of month comes from its spells (SPEC §3.1),
        // and the destinations from its 务工所在县.
        for (group, ids) in EMPLOYMENT.iter().enumerate() {
            for (k, id) in ids.iter().enumerate() {
                if current.is_some() && k > 0 && !spell_county {
                    missing.insert(
                        id.to_string(),
                        MissingColumns::all("已外出务工信息表", vec!["务工所在县"]),
                    );
                    continue;
                }
                let mut cols = Vec::new();
                if current.is_none() {
                    cols.push("务工所在地");
                }
                if group == 2 {
                    cols.push(category);
                }
                needs.push((*id, cols));
            }
        }
        let mut available: Vec<&str> = Vec::new();
        for (id, cols) in &needs {
            let absent: Vec<&str> = cols.iter().copied().filter(|c| !col(c)).collect();
            if absent.is_empty() {
                available.push(id);
            } else {
                missing.insert(id.to_string(), MissingColumns::all("人员表", absent));
            }
        }
        if !col(category) {
            missing.insert(
                "assisted_monitored_households".into(),
                MissingColumns::all("人员表", vec![category]),
            );
        } else if measure_cols {
            available.push("assisted_monitored_households");
        } else {
            let mut columns = vec!["帮扶措施"];
            columns.extend(crate::model::Assistance::ALL.iter().map(|m| m.label()));
            missing.insert(
                "assisted_monitored_households".into(),
                MissingColumns {
                    table: "人员表",
                    columns,
                    any: true,
                    group: Some("帮扶列"),
                },
            );
        }
        sink.touch_all(&available);
        // Units in household order, even those that count nothing.
        for h in &roster.households {
            if let Some(u) = unit_of_region(h.village) {
                sink.register(u);
            }
        }
        // Counting into an unavailable measure is harmless: it is left out of the tallies.
        for kind in [RecordKind::Household, RecordKind::Person] {
            records.count_into(kind, unit_of_region, |unit, rule, n, amount| {
                sink.record(unit, rule_ix[rule], n, amount)
            });
        }
    }

    if let Some(current) = current
        && has_roster
    {
        sink.notes.push(format!(
            "务工就业人数按已外出务工信息中覆盖{}年{}月、是否已务工为是的务工记录统计，去向按其务工所在县判断；人员表的务工所在地只作核对（gonggu check 的 WK04 列出不一致）。",
            as_of.year(),
            as_of.month()
        ));
        let unplaced = current
            .values()
            .filter_map(|&s| ds.work_spells.get(s as usize))
            .filter(|s| s.place == WorkPlace::Unknown)
            .count();
        if unplaced > 0 && spell_county {
            sink.notes.push(format!(
                "已外出务工信息中有 {unplaced} 人当前务工记录的务工所在县为空或无法对应到行政区划，计入务工去向不明人数。"
            ));
        }
    }

    if current.is_some() {
        let wage_col = ds.has_column(TableKind::WorkSpells, "务工月收入");
        sink.touch_all(&["outbound_workers"]);
        if wage_col {
            sink.touch_all(&["outbound_income_persons", "outbound_income_sum"]);
        } else {
            for id in ["outbound_income_persons", "outbound_income_sum"] {
                missing.insert(
                    id.into(),
                    MissingColumns::all("已外出务工信息表", vec!["务工月收入"]),
                );
            }
        }
        // In spell order, so that units appear as the export lists them.
        records.count_into(
            RecordKind::WorkSpell,
            unit_of_region,
            |unit, rule, n, amount| sink.record(unit, rule_ix[rule], n, amount),
        );
        let outside_roster = (0..records.len(RecordKind::WorkSpell))
            .filter_map(|i| match records.subject(RecordKind::WorkSpell, i) {
                Some(Subject::Spell(s)) => Some(s),
                _ => None,
            })
            .filter(|s| has_roster && records.home_of(s.id).is_none())
            .count();
        let no_id = ds.work_spells.iter().filter(|s| s.id.is_none()).count();
        if no_id > 0 {
            sink.notes.push(format!(
                "已外出务工信息中有 {no_id} 行没有证件号码，无法对应到人，未计入。"
            ));
        }
        if outside_roster > 0 {
            sink.notes.push(format!(
                "已外出务工信息中有 {outside_roster} 名当前务工人员不在人员表中：计入已外出务工人数（按其所在行的县乡村），不计入务工就业人数。"
            ));
        }
    }

    if ds.has(TableKind::PlannedWork) {
        sink.touch_all(&["planned_outbound_workers"]);
        records.count_into(
            RecordKind::PlannedWorker,
            unit_of_region,
            |unit, rule, n, amount| sink.record(unit, rule_ix[rule], n, amount),
        );
        let no_id = ds
            .planned_work
            .iter()
            .filter(|r| r.plans == Some(true) && r.id.is_none())
            .count();
        if no_id > 0 {
            sink.notes.push(format!(
                "计划外出务工信息中有 {no_id} 行没有证件号码，无法对应到人，未计入。"
            ));
        }
    }

    if ds.has(TableKind::Villages) {
        let exited_col = ds.has_column(TableKind::Villages, "是否出列");
        let income_col = ds.has_column(TableKind::Villages, "村级集体经济收入（万元）");
        let mut available = vec!["villages"];
        for (present, ids, column) in [
            (exited_col, &["exited_villages"][..], "是否出列"),
            (
                income_col,
                &["collective_income_sum", "villages_over_collective_line"][..],
                "村级集体经济收入（万元）",
            ),
        ] {
            if present {
                available.extend(ids);
            } else {
                for id in ids {
                    missing.insert(
                        id.to_string(),
                        MissingColumns::all("行政村信息表", vec![column]),
                    );
                }
            }
        }
        sink.touch_all(&available);
        records.count_into(
            RecordKind::Village,
            unit_of_region,
            |unit, rule, n, amount| sink.record(unit, rule_ix[rule], n, amount),
        );
        let counted = records.len(RecordKind::Village);
        let twice = ds.villages.len() - counted;
        let no_income = (0..counted)
            .filter_map(|i| records.subject(RecordKind::Village, i))
            .filter(|v| !records.verdict(*v, Test::HasCollectiveIncome).is_in())
            .count();
        if twice > 0 {
            sink.notes.push(format!(
                "行政村信息中有 {twice} 行与前面的行是同一个村（县、乡、村名称相同），只计一次。"
            ));
        }
        if income_col && no_income > 0 {
            sink.notes.push(format!(
                "行政村信息中有 {no_income} 个村未填村级集体经济收入，计入行政村数，按未达标统计。"
            ));
        }
    }

    if ds.has(TableKind::Loans) {
        sink.touch_all(&[
            "loan_balance_amount",
            "overdue_households",
            "loan_balance_households",
        ]);
        for kind in [RecordKind::Loan, RecordKind::LoanHousehold] {
            records.count_into(kind, unit_of_region, |unit, rule, n, amount| {
                sink.record(unit, rule_ix[rule], n, amount)
            });
        }
        let unmatched = ds
            .loans
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                has_roster
                    && l.balance.unwrap_or_default() > Decimal::ZERO
                    && records.loan_owner(*i).is_none()
            })
            .count();
        if unmatched > 0 {
            sink.notes.push(format!(
                "小额信贷台账中有 {unmatched} 笔有余额的贷款，其户编号不在人员表中，未计入贷款余额户数。"
            ));
        }
        if !has_roster {
            sink.notes.push(
                "未提供人员表：贷款余额户数按台账中有余额的全部户计算，未核对是否为脱贫户或监测户。"
                    .into(),
            );
        }
    }

    if ds.has(TableKind::Projects) {
        let pcol = |c: &str| ds.project_columns.contains(c);
        let started_col = pcol("项目状态") || pcol("开工日期") || pcol("完工日期");
        let completed_col = pcol("项目状态") || pcol("完工日期");
        let spent_col = pcol("已支出衔接资金（万元）");
        let type_col = pcol("项目类型");
        let mut available = vec!["planned_projects", "funds_allocated"];
        for (present, id, columns) in [
            (
                started_col,
                "started_projects",
                &["项目状态", "开工日期", "完工日期"][..],
            ),
            (
                completed_col,
                "completed_projects",
                &["项目状态", "完工日期"][..],
            ),
            (spent_col, "funds_spent", &["已支出衔接资金（万元）"][..]),
            (type_col, "funds_industry", &["项目类型"][..]),
        ] {
            if present {
                available.push(id);
            } else {
                missing.insert(
                    id.into(),
                    MissingColumns {
                        table: "项目表",
                        columns: columns.to_vec(),
                        any: columns.len() > 1,
                        group: None,
                    },
                );
            }
        }
        sink.touch_all(&available);
        // A project without 乡(镇) lies in its county: at town level it counts in the total
        // only.
        records.count_into(
            RecordKind::Project,
            unit_of_region,
            |unit, rule, n, amount| sink.record(unit, rule_ix[rule], n, amount),
        );
        let county_only = if level == crate::region::Level::County {
            0
        } else {
            ds.projects
                .iter()
                .filter(|p| records.verdict(Subject::Project(p), Test::Planned).is_in())
                .filter(|p| unit_of_region(p.region).is_none())
                .count()
        };
        if county_only > 0 {
            sink.notes.push(format!(
                "有 {county_only} 个项目未填写乡(镇)或不属于本级单位，只计入合计。"
            ));
        }
    }
    sink.finish(missing)
}

/// The employment measures: (all, in county, in province, out of province, destination
/// unknown) for covered, 脱贫 and monitored households. The last four add up to the first.
pub const EMPLOYMENT: [[&str; 5]; 3] = [
    [
        "employed_persons",
        "employed_in_county",
        "employed_in_province",
        "employed_out_province",
        "employed_unknown_destination",
    ],
    [
        "tuopin_employed_persons",
        "tuopin_employed_in_county",
        "tuopin_employed_in_province",
        "tuopin_employed_out_province",
        "tuopin_employed_unknown",
    ],
    [
        "monitored_employed_persons",
        "monitored_employed_in_county",
        "monitored_employed_in_province",
        "monitored_employed_out_province",
        "monitored_employed_unknown",
    ],
];
