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
    "employed_persons", "务工就业人数", "人", Roster, "脱贫户和监测户中务工所在地不为空（且不为否/无）的人数";
    "employed_in_county", "县内务工人数", "人", Roster, "脱贫户和监测户中在县内（含乡镇内）务工的人数";
    "employed_in_province", "省内县外务工人数", "人", Roster, "脱贫户和监测户中在省内县外务工的人数";
    "employed_out_province", "省外务工人数", "人", Roster, "脱贫户和监测户中在省外务工的人数";
    "tuopin_employed_persons", "脱贫人口务工就业人数", "人", Roster, "脱贫户中务工就业的人数";
    "tuopin_employed_in_county", "脱贫人口县内务工人数", "人", Roster, "脱贫户中县内务工的人数";
    "tuopin_employed_in_province", "脱贫人口省内县外务工人数", "人", Roster, "脱贫户中省内县外务工的人数";
    "tuopin_employed_out_province", "脱贫人口省外务工人数", "人", Roster, "脱贫户中省外务工的人数";
    "monitored_employed_persons", "监测对象务工就业人数", "人", Roster, "监测户中务工就业的人数";
    "monitored_employed_in_county", "监测对象县内务工人数", "人", Roster, "监测户中县内务工的人数";
    "monitored_employed_in_province", "监测对象省内县外务工人数", "人", Roster, "监测户中省内县外务工的人数";
    "monitored_employed_out_province", "监测对象省外务工人数", "人", Roster, "监测户中省外务工的人数";
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
}

/// Looks a measure up by id.
pub fn by_id(id: &str) -> Option<&'static MeasureDef> {
    MEASURES.iter().find(|m| m.id == id)
}

/// Looks a measure up by its Chinese name (the 汇总 column name), after header
/// normalisation (full-width brackets, spaces).
pub fn by_name(name: &str) -> Option<&'static MeasureDef> {
    let wanted = crate::ingest::normalize_header(name);
    MEASURES
        .iter()
        .find(|m| crate::ingest::normalize_header(m.name) == wanted)
}

/// Measure values of one unit, by measure id. An absent id is unavailable, not zero.
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
