//! What each measure counts, record by record: the one definition behind
//! [`super::tally_with`] (which adds records up per unit) and [`crate::explain`] (which lists
//! them and says why each is in a measure or not).
//!
//! A measure counts the records of one [`RecordKind`] that pass every [`Test`] of its
//! [`Rule`]; a sum adds each such record's [`Amount`]. Whether a record passes a test, and
//! if not why, is decided in one place: [`Records::verdict`].

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use super::TallyParams;
use crate::model::{
    Dataset, Household, HouseholdType, IdIndex, IdNumber, LaborSkill, Loan, LoanStatus,
    MonitorCategory, PersonFacts, PlannedWorker, Project, ProjectStatus, ProjectType, TableKind,
    VillageInfo, WorkPlace, WorkSpell,
};
use crate::region::RegionId;

/// The kinds of record the measures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// A household of the roster.
    Household,
    /// A person of the roster.
    Person,
    /// A 户编号 of the 小额信贷 ledger, with all its loans (matched to the roster household
    /// of that 户编号 when there is one).
    LoanHousehold,
    /// One loan of the 小额信贷 ledger.
    Loan,
    /// One project of the 项目 ledger.
    Project,
    /// A person's work spell of 已外出务工信息 that covers the as-of month (one per person).
    WorkSpell,
    /// A person of 计划外出务工信息 who plans to work away (first row per person).
    PlannedWorker,
    /// A village of 行政村信息 (first row per village).
    Village,
}

impl RecordKind {
    /// What one record is, in Chinese (`户`, `人`, `项目` …).
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Household => "户",
            RecordKind::Person => "人",
            RecordKind::LoanHousehold => "贷款户",
            RecordKind::Loan => "笔贷款",
            RecordKind::Project => "个项目",
            RecordKind::WorkSpell => "人（务工记录）",
            RecordKind::PlannedWorker => "人（计划务工）",
            RecordKind::Village => "个村",
        }
    }

    /// The measure word used with a count (`12 户`, `3 个`, `5 人`).
    pub fn unit(self) -> &'static str {
        match self {
            RecordKind::Household | RecordKind::LoanHousehold => "户",
            RecordKind::Person | RecordKind::WorkSpell | RecordKind::PlannedWorker => "人",
            RecordKind::Loan => "笔",
            RecordKind::Project | RecordKind::Village => "个",
        }
    }
}

/// One condition a record must meet to count in a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Test {
    /// 脱贫户, including 脱贫不稳定户 ([`Household::is_tuopin`]).
    Tuopin = 0,
    /// Monitored: 监测对象类别 non-empty.
    Monitored,
    /// 监测对象类别 = 脱贫不稳定户.
    Unstable,
    /// 监测对象类别 = 边缘易致贫户.
    Marginal,
    /// 监测对象类别 = 突发严重困难户.
    Sudden,
    /// 风险是否消除 = 是.
    Eliminated,
    /// 识别监测时间 from 1 January of the as-of year to the as-of date.
    NewThisYear,
    /// Assistance in place ([`Household::has_assistance`]).
    Assisted,
    /// 脱贫户 or monitored.
    Covered,
    /// 人均纯收入 recorded and below the monitoring line.
    BelowLine,
    /// Not monitored.
    NotMonitored,
    /// The household's 人均纯收入 is recorded.
    HasIncome,
    /// 劳动技能 is 普通, 技能 or 弱/半劳动力.
    Labor,
    /// 是否持证 = 是.
    Certified,
    /// Working in the as-of month (务工所在地, or a current work spell).
    Working,
    /// Working in the county.
    InCounty,
    /// Working in the province, outside the county.
    InProvince,
    /// Working outside the province.
    OutProvince,
    /// Working, destination unknown.
    UnknownDestination,
    /// Holds a 公益性岗位.
    WelfarePost,
    /// A loan of the household has 贷款余额 > 0.
    HasBalance,
    /// The borrower counts: a 脱贫户 or monitored household of the roster (any 户编号 when
    /// no roster is given).
    CoveredBorrower,
    /// A loan of the household is 逾期.
    Overdue,
    /// 是否纳入年度实施计划 = 是, and 项目年度 (when given) is the as-of year.
    Planned,
    /// Started by the as-of date (项目状态, else 开工/完工日期).
    Started,
    /// Completed by the as-of date (项目状态, else 完工日期).
    Completed,
    /// 项目类型 = 产业发展.
    Industry,
    /// 务工月收入 recorded (> 0).
    HasWage,
    /// 是否出列 = 是.
    Exited,
    /// 村级集体经济收入 recorded.
    HasCollectiveIncome,
    /// 村级集体经济收入 at or above the line.
    OverLine,
}

impl Test {
    /// Every test, by its bit.
    pub const ALL: [Test; 31] = [
        Test::Tuopin,
        Test::Monitored,
        Test::Unstable,
        Test::Marginal,
        Test::Sudden,
        Test::Eliminated,
        Test::NewThisYear,
        Test::Assisted,
        Test::Covered,
        Test::BelowLine,
        Test::NotMonitored,
        Test::HasIncome,
        Test::Labor,
        Test::Certified,
        Test::Working,
        Test::InCounty,
        Test::InProvince,
        Test::OutProvince,
        Test::UnknownDestination,
        Test::WelfarePost,
        Test::HasBalance,
        Test::CoveredBorrower,
        Test::Overdue,
        Test::Planned,
        Test::Started,
        Test::Completed,
        Test::Industry,
        Test::HasWage,
        Test::Exited,
        Test::HasCollectiveIncome,
        Test::OverLine,
    ];

    /// The bit of this test in a set of tests.
    pub fn bit(self) -> u64 {
        1 << (self as u8)
    }
}

/// The tests decided by a household's own fields alone.
const HOUSEHOLD_TESTS: u64 = (1 << (Test::HasIncome as u8 + 1)) - 1;

/// What a sum adds for each record it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Amount {
    /// The household's 人均纯收入 (元), counted once per person.
    HouseholdIncome,
    /// 贷款余额 in 万元.
    LoanBalance,
    /// 衔接资金（万元）.
    Funds,
    /// 已支出衔接资金（万元）.
    Spent,
    /// 务工月收入 (元) of the current spell.
    Wage,
    /// 村级集体经济收入（万元）.
    CollectiveIncome,
}

/// How one measure is counted from records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The measure id.
    pub measure: &'static str,
    /// The records it counts.
    pub kind: RecordKind,
    /// The tests a record must pass, in the order a failing one is reported.
    pub tests: &'static [Test],
    /// For a sum, what each record adds; `None` for a count (each record adds 1).
    pub amount: Option<Amount>,
}

impl Rule {
    /// The tests as a bit set.
    pub fn mask(&self) -> u64 {
        self.tests.iter().fold(0, |m, t| m | t.bit())
    }
}

macro_rules! rules {
    ($( $id:literal, $kind:ident, [$($t:ident),*] $(, $amount:ident)?; )*) => {
        /// How every measure counted from records is counted (the 目标 measure has none).
        pub const RULES: &[Rule] = &[
            $( Rule {
                measure: $id,
                kind: RecordKind::$kind,
                tests: &[$(Test::$t),*],
                amount: rules!(@amount $($amount)?),
            }, )*
        ];
    };
    (@amount) => { None };
    (@amount $a:ident) => { Some(Amount::$a) };
}

rules! {
    "tuopin_households", Household, [Tuopin];
    "monitored_households", Household, [Monitored];
    "unstable_households", Household, [Unstable];
    "marginal_households", Household, [Marginal];
    "sudden_households", Household, [Sudden];
    "eliminated_households", Household, [Monitored, Eliminated];
    "new_monitored_households", Household, [Monitored, NewThisYear];
    "assisted_monitored_households", Household, [Monitored, Assisted];
    "covered_households", Household, [Covered];
    "below_line_unmonitored_households", Household, [BelowLine, NotMonitored];
    "tuopin_persons", Person, [Tuopin];
    "monitored_persons", Person, [Monitored];
    "unstable_persons", Person, [Unstable];
    "marginal_persons", Person, [Marginal];
    "sudden_persons", Person, [Sudden];
    "eliminated_persons", Person, [Monitored, Eliminated];
    "covered_persons", Person, [Covered];
    "labor_persons", Person, [Covered, Labor];
    "certified_persons", Person, [Covered, Labor, Certified];
    "employed_persons", Person, [Covered, Working];
    "employed_in_county", Person, [Covered, Working, InCounty];
    "employed_in_province", Person, [Covered, Working, InProvince];
    "employed_out_province", Person, [Covered, Working, OutProvince];
    "employed_unknown_destination", Person, [Covered, Working, UnknownDestination];
    "tuopin_employed_persons", Person, [Tuopin, Working];
    "tuopin_employed_in_county", Person, [Tuopin, Working, InCounty];
    "tuopin_employed_in_province", Person, [Tuopin, Working, InProvince];
    "tuopin_employed_out_province", Person, [Tuopin, Working, OutProvince];
    "tuopin_employed_unknown", Person, [Tuopin, Working, UnknownDestination];
    "monitored_employed_persons", Person, [Monitored, Working];
    "monitored_employed_in_county", Person, [Monitored, Working, InCounty];
    "monitored_employed_in_province", Person, [Monitored, Working, InProvince];
    "monitored_employed_out_province", Person, [Monitored, Working, OutProvince];
    "monitored_employed_unknown", Person, [Monitored, Working, UnknownDestination];
    "welfare_post_persons", Person, [WelfarePost];
    "tuopin_welfare_post_persons", Person, [Tuopin, WelfarePost];
    "monitored_welfare_post_persons", Person, [Monitored, WelfarePost];
    "income_persons", Person, [Tuopin, HasIncome];
    "income_persons_sum", Person, [Tuopin, HasIncome], HouseholdIncome;
    "outbound_workers", WorkSpell, [];
    "outbound_income_persons", WorkSpell, [HasWage];
    "outbound_income_sum", WorkSpell, [HasWage], Wage;
    "planned_outbound_workers", PlannedWorker, [];
    "villages", Village, [];
    "exited_villages", Village, [Exited];
    "collective_income_sum", Village, [HasCollectiveIncome], CollectiveIncome;
    "villages_over_collective_line", Village, [OverLine];
    "loan_balance_amount", Loan, [], LoanBalance;
    "loan_balance_households", LoanHousehold, [HasBalance, CoveredBorrower];
    "overdue_households", LoanHousehold, [Overdue];
    "planned_projects", Project, [Planned];
    "started_projects", Project, [Planned, Started];
    "completed_projects", Project, [Planned, Completed];
    "funds_allocated", Project, [Planned], Funds;
    "funds_spent", Project, [Planned], Spent;
    "funds_industry", Project, [Planned, Industry], Funds;
}

/// The rule of a measure; `None` for a measure not counted from records
/// (`employment_target_persons`, from 目标 only) or not known.
pub fn rule(measure: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.measure == measure)
}

/// Whether a record passes a test, or the reason it does not (Chinese, for the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Passes.
    In,
    /// Fails, with the reason (`无贷款余额`, `未开工` …).
    Out(&'static str),
}

impl Verdict {
    /// Whether the record passes.
    pub fn is_in(self) -> bool {
        self == Verdict::In
    }

    fn of(passes: bool, reason: &'static str) -> Verdict {
        if passes {
            Verdict::In
        } else {
            Verdict::Out(reason)
        }
    }
}

/// The loans of one 户编号 of the 小额信贷 ledger.
#[derive(Debug, Clone)]
pub struct LoanHousehold {
    /// 户编号 (the first loan's, which all its loans share).
    first: u32,
    /// The roster household of that 户编号 (the last one of that number, when several
    /// villages use it), if any.
    pub household: Option<u32>,
    /// Its loans: a range of [`Records::loans_of`]'s order.
    loans: std::ops::Range<u32>,
    /// Σ 贷款余额（元） of its loans.
    pub balance: Decimal,
    /// Where it counts in `loan_balance_households`: the region of its last loan with a
    /// balance (`None` without one).
    balance_region: Option<RegionId>,
    /// Where it counts in `overdue_households`: the region of its last overdue loan.
    overdue_region: Option<RegionId>,
    /// The region of its first loan.
    region: RegionId,
}

impl LoanHousehold {
    /// Whether a loan of it has 贷款余额 > 0.
    pub fn has_balance(&self) -> bool {
        self.balance_region.is_some()
    }

    /// Whether a loan of it is 逾期.
    pub fn is_overdue(&self) -> bool {
        self.overdue_region.is_some()
    }
}

/// One record as the tests see it.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A roster household.
    Household(&'a Household),
    /// A roster person, with the household and the work that counts in the as-of month.
    Person {
        /// The person's index in the roster.
        index: u32,
        /// What counting needs of the person.
        facts: &'a PersonFacts,
        /// The household.
        household: &'a Household,
        /// 务工所在地 (or the current spell's 务工所在县), classified.
        work: WorkPlace,
        /// The current work spell when 已外出务工信息 is given.
        spell: Option<&'a WorkSpell>,
    },
    /// A 户编号 of the loan ledger, with its roster household.
    LoanHousehold(&'a LoanHousehold, Option<&'a Household>),
    /// A loan, with the roster household of its 户编号.
    Loan(&'a Loan, Option<&'a Household>),
    /// A project.
    Project(&'a Project),
    /// A current work spell.
    Spell(&'a WorkSpell),
    /// A person planning to work away.
    Planned(&'a PlannedWorker),
    /// A village.
    Village(&'a VillageInfo),
}

/// The records of a dataset as the measures count them, with what the tests need: the
/// as-of date and lines, each person's current work spell, the loans grouped by 户编号,
/// the rows of the other exports that count (one per person or village).
pub struct Records<'a> {
    ds: &'a Dataset,
    params: TallyParams,
    year_start: Option<NaiveDate>,
    has_roster: bool,
    /// Each person's work spell covering the as-of month, when 已外出务工信息 is given.
    current: Option<FxHashMap<IdNumber, u32>>,
    /// Roster persons by [`IdNumber::person_key`], when a table joins them by it.
    persons_by_key: IdIndex,
    /// The roster household each loan belongs to (by 户编号).
    loan_owner: Vec<Option<u32>>,
    loan_households: Vec<LoanHousehold>,
    /// Loan indices ordered by 户编号 (stable): [`LoanHousehold`] ranges into it.
    loan_order: Vec<u32>,
    /// Current spells, in ledger order.
    spells: Vec<u32>,
    /// Rows of 计划外出务工信息 that count: 是否计划务工 = 是, first row per person.
    planned: Vec<u32>,
    /// Rows of 行政村信息 that count: first row per village.
    villages: Vec<u32>,
}

impl<'a> Records<'a> {
    /// Prepares the records of `ds` for counting on the as-of date and lines of `params`.
    pub fn new(ds: &'a Dataset, params: &TallyParams) -> Records<'a> {
        let has_roster = ds.has(TableKind::Roster);
        let spells_given = ds.has(TableKind::WorkSpells);
        let current = spells_given.then(|| ds.current_spells(params.as_of));
        let persons_by_key = if has_roster && (spells_given || ds.has(TableKind::PlannedWork)) {
            IdIndex::of_all(&ds.roster.ids, true)
        } else {
            IdIndex::new(true)
        };
        let mut spells: Vec<u32> = current
            .as_ref()
            .map(|c| c.values().copied().collect())
            .unwrap_or_default();
        spells.sort_unstable();
        let mut seen: FxHashSet<IdNumber> = Default::default();
        let planned = ds
            .planned_work
            .iter()
            .enumerate()
            .filter(|(_, r)| r.plans == Some(true))
            .filter_map(|(i, r)| r.id.map(|id| (i, id)))
            .filter(|(_, id)| seen.insert(id.person_key()))
            .map(|(i, _)| i as u32)
            .collect();
        let mut seen: FxHashSet<RegionId> = Default::default();
        let villages = ds
            .villages
            .iter()
            .enumerate()
            .filter(|(_, v)| seen.insert(v.region))
            .map(|(i, _)| i as u32)
            .collect();
        let mut records = Records {
            ds,
            params: *params,
            year_start: NaiveDate::from_ymd_opt(params.as_of.year(), 1, 1),
            has_roster,
            current,
            persons_by_key,
            loan_owner: Vec::new(),
            loan_households: Vec::new(),
            loan_order: Vec::new(),
            spells,
            planned,
            villages,
        };
        records.group_loans();
        records
    }

    /// Matches each loan to the roster household of its 户编号 and groups the loans by
    /// 户编号 (in 户编号 order).
    fn group_loans(&mut self) {
        let ds = self.ds;
        if ds.loans.is_empty() {
            return;
        }
        // Of two households with one 户编号, the later one gets the loans.
        let mut by_id: FxHashMap<&str, u32> = Default::default();
        for (i, h) in ds.roster.households.iter().enumerate() {
            by_id.insert(&h.id, i as u32);
        }
        self.loan_owner = ds
            .loans
            .iter()
            .map(|l| by_id.get(&*l.household_id).copied())
            .collect();
        let id_of = |i: u32| ds.loans.get(i as usize).map_or("", |l| &*l.household_id);
        let mut order: Vec<u32> = (0..ds.loans.len() as u32).collect();
        // Stable: a household's loans stay in ledger order.
        order.sort_by(|a, b| id_of(*a).cmp(id_of(*b)));
        let mut groups: Vec<LoanHousehold> = Vec::new();
        for (k, &i) in order.iter().enumerate() {
            let Some(loan) = ds.loans.get(i as usize) else {
                continue;
            };
            let region = self.loan_region(i as usize);
            let k = k as u32;
            let same = groups
                .last()
                .is_some_and(|g| id_of(g.first) == &*loan.household_id);
            if !same {
                groups.push(LoanHousehold {
                    first: i,
                    household: self.loan_owner.get(i as usize).copied().flatten(),
                    loans: k..k,
                    balance: Decimal::ZERO,
                    balance_region: None,
                    overdue_region: None,
                    region,
                });
            }
            let Some(g) = groups.last_mut() else {
                continue;
            };
            g.loans.end = k + 1;
            let balance = loan.balance.unwrap_or_default();
            g.balance += balance;
            if balance > Decimal::ZERO {
                g.balance_region = Some(region);
            }
            if loan.status == Some(LoanStatus::Overdue) {
                g.overdue_region = Some(region);
            }
        }
        self.loan_order = order;
        self.loan_households = groups;
    }

    /// The 户编号 of a loan group.
    pub fn loan_household_id(&self, g: &LoanHousehold) -> &'a str {
        self.ds
            .loans
            .get(g.first as usize)
            .map_or("", |l| &l.household_id)
    }

    /// The loans of a 户编号 group (indices into [`Dataset::loans`]), in ledger order.
    pub fn loans_of(&self, g: &LoanHousehold) -> &[u32] {
        self.loan_order
            .get(g.loans.start as usize..g.loans.end as usize)
            .unwrap_or(&[])
    }

    /// The dataset.
    pub fn dataset(&self) -> &'a Dataset {
        self.ds
    }

    /// Each person's work spell covering the as-of month (by [`IdNumber::person_key`]),
    /// when 已外出务工信息 is given.
    pub fn current_spells(&self) -> Option<&FxHashMap<IdNumber, u32>> {
        self.current.as_ref()
    }

    /// The 户编号 groups of the loan ledger.
    pub fn loan_households(&self) -> &[LoanHousehold] {
        &self.loan_households
    }

    /// The roster household a loan belongs to (by 户编号), if any.
    pub fn loan_owner(&self, loan: usize) -> Option<&'a Household> {
        let h = self.loan_owner.get(loan).copied().flatten()?;
        self.ds.roster.households.get(h as usize)
    }

    /// Where a loan counts: its household's village, else the ledger row's own region.
    fn loan_region(&self, loan: usize) -> RegionId {
        match self.loan_owner(loan) {
            Some(h) => h.village,
            None => self.ds.loans.get(loan).map_or(RegionId(0), |l| l.region),
        }
    }

    /// The village of the roster household of the person with this 证件号码.
    pub fn home_of(&self, id: Option<IdNumber>) -> Option<RegionId> {
        let roster = &self.ds.roster;
        let p = self.person_of(id)?;
        let person = roster.facts.get(p as usize)?;
        roster
            .households
            .get(person.household as usize)
            .map(|h| h.village)
    }

    /// The index of the roster person with this 证件号码 (known when 已外出务工信息 or
    /// 计划外出务工信息 is read with a roster).
    pub fn person_of(&self, id: Option<IdNumber>) -> Option<u32> {
        let index = &self.persons_by_key;
        index.find(&self.ds.roster.ids, index.key_of(&id?))
    }

    /// Number of records of a kind (some may be skipped by [`Records::subject`]).
    pub fn len(&self, kind: RecordKind) -> usize {
        let ds = self.ds;
        match kind {
            RecordKind::Household => ds.roster.households.len(),
            RecordKind::Person => ds.roster.facts.len(),
            RecordKind::LoanHousehold => self.loan_households.len(),
            RecordKind::Loan => ds.loans.len(),
            RecordKind::Project => ds.projects.len(),
            RecordKind::WorkSpell => self.spells.len(),
            RecordKind::PlannedWorker => self.planned.len(),
            RecordKind::Village => self.villages.len(),
        }
    }

    /// Record `i` of a kind; `None` past the end (or for a person whose household is
    /// missing, which reading never produces).
    pub fn subject(&self, kind: RecordKind, i: usize) -> Option<Subject<'_>> {
        let ds = self.ds;
        let at = |list: &Vec<u32>| list.get(i).map(|&j| j as usize);
        Some(match kind {
            RecordKind::Household => Subject::Household(ds.roster.households.get(i)?),
            RecordKind::Person => {
                let facts = ds.roster.facts.get(i)?;
                let household = ds.roster.households.get(facts.household as usize)?;
                let (work, spell) = match &self.current {
                    Some(current) => {
                        let spell = ds
                            .roster
                            .ids
                            .get(i)
                            .and_then(|id| current.get(&id.person_key()))
                            .and_then(|&s| ds.work_spells.get(s as usize));
                        (spell.map_or(WorkPlace::NotWorking, |s| s.place), spell)
                    }
                    None => (facts.work, None),
                };
                Subject::Person {
                    index: i as u32,
                    facts,
                    household,
                    work,
                    spell,
                }
            }
            RecordKind::LoanHousehold => {
                let g = self.loan_households.get(i)?;
                let h = g
                    .household
                    .and_then(|h| ds.roster.households.get(h as usize));
                Subject::LoanHousehold(g, h)
            }
            RecordKind::Loan => Subject::Loan(ds.loans.get(i)?, self.loan_owner(i)),
            RecordKind::Project => Subject::Project(ds.projects.get(i)?),
            RecordKind::WorkSpell => Subject::Spell(ds.work_spells.get(at(&self.spells)?)?),
            RecordKind::PlannedWorker => Subject::Planned(ds.planned_work.get(at(&self.planned)?)?),
            RecordKind::Village => Subject::Village(ds.villages.get(at(&self.villages)?)?),
        })
    }

    /// The region (as deep as known) where a record counts in a measure of `rule`: a
    /// household's or person's village, a loan's household village (else the ledger row's
    /// region), a project's town (else county), a worker's roster village (else the row's
    /// own region), a village. A 户编号 of the loan ledger counts where its last loan that
    /// makes it count is.
    pub fn region(&self, s: Subject<'_>, rule: &Rule) -> RegionId {
        match s {
            Subject::Household(h) => h.village,
            Subject::Person { household, .. } => household.village,
            Subject::LoanHousehold(g, _) => {
                if rule.tests.contains(&Test::Overdue) {
                    g.overdue_region.unwrap_or(g.region)
                } else if rule.tests.contains(&Test::HasBalance) {
                    g.balance_region.unwrap_or(g.region)
                } else {
                    g.region
                }
            }
            Subject::Loan(l, owner) => owner.map_or(l.region, |h| h.village),
            Subject::Project(p) => p.region,
            Subject::Spell(s) => self.home_of(s.id).unwrap_or(s.region),
            Subject::Planned(r) => self.home_of(r.id).unwrap_or(r.region),
            Subject::Village(v) => v.region,
        }
    }

    /// Whether a record passes a test, and if not why. The one place each test is decided.
    pub fn verdict(&self, s: Subject<'_>, test: Test) -> Verdict {
        let household = match s {
            Subject::Household(h) | Subject::Person { household: h, .. } => Some(h),
            Subject::LoanHousehold(_, h) => h,
            _ => None,
        };
        match (test, household) {
            (Test::Tuopin, Some(h)) => Verdict::of(
                h.is_tuopin(),
                match h.kind {
                    Some(HouseholdType::General) => "户类型不是脱贫户",
                    _ => "户类型为空或无法识别",
                },
            ),
            (Test::Monitored, Some(h)) => {
                Verdict::of(h.is_monitored(), "未纳入监测（监测对象类别为空）")
            }
            (Test::Unstable, Some(h)) => Verdict::of(
                h.category == Some(MonitorCategory::Unstable),
                "监测对象类别不是脱贫不稳定户",
            ),
            (Test::Marginal, Some(h)) => Verdict::of(
                h.category == Some(MonitorCategory::Marginal),
                "监测对象类别不是边缘易致贫户",
            ),
            (Test::Sudden, Some(h)) => Verdict::of(
                h.category == Some(MonitorCategory::Sudden),
                "监测对象类别不是突发严重困难户",
            ),
            (Test::Eliminated, Some(h)) => Verdict::of(h.is_eliminated(), "风险未消除"),
            (Test::NewThisYear, Some(h)) => match (h.identified, self.year_start) {
                (Some(d), Some(start)) if d >= start && d <= self.params.as_of => Verdict::In,
                (None, _) => Verdict::Out("识别监测时间为空"),
                (Some(d), _) if d > self.params.as_of => Verdict::Out("识别监测时间晚于统计截止日"),
                _ => Verdict::Out("识别监测时间早于统计年度"),
            },
            (Test::Assisted, Some(h)) => Verdict::of(
                h.has_assistance(),
                "未享受帮扶政策（帮扶列和帮扶措施均为空或否/无）",
            ),
            (Test::Covered, Some(h)) => Verdict::of(h.is_covered(), "既不是脱贫户也不是监测户"),
            (Test::BelowLine, Some(h)) => match h.income {
                Some(income) if income < self.params.monitoring_line => Verdict::In,
                Some(_) => Verdict::Out("人均纯收入不低于监测线"),
                None => Verdict::Out("人均纯收入为空"),
            },
            (Test::NotMonitored, Some(h)) => Verdict::of(!h.is_monitored(), "已纳入监测"),
            (Test::HasIncome, Some(h)) => Verdict::of(h.income.is_some(), "所在户人均纯收入为空"),
            (Test::CoveredBorrower, _) if !self.has_roster => Verdict::In,
            (Test::CoveredBorrower, None) => Verdict::Out("户编号不在人员表中"),
            (Test::CoveredBorrower, Some(h)) => {
                Verdict::of(h.is_covered(), "既不是脱贫户也不是监测户")
            }
            _ => self.record_verdict(s, test),
        }
    }

    /// The tests of persons, loans, projects and the other exports.
    fn record_verdict(&self, s: Subject<'_>, test: Test) -> Verdict {
        let as_of = self.params.as_of;
        match (test, s) {
            (Test::Labor, Subject::Person { facts, .. }) => match facts.labor {
                Some(l) if l.is_labor() => Verdict::In,
                Some(LaborSkill::Lost) => Verdict::Out("劳动技能为丧失劳动力，不是劳动力"),
                Some(LaborSkill::NoLabor) => Verdict::Out("劳动技能为无劳动力，不是劳动力"),
                Some(_) => Verdict::Out("劳动技能不是劳动力"),
                None => Verdict::Out("劳动技能为空"),
            },
            (Test::Certified, Subject::Person { facts, .. }) => match facts.certified {
                Some(true) => Verdict::In,
                Some(false) => Verdict::Out("未持证"),
                None => Verdict::Out("是否持证为空"),
            },
            (Test::Working, Subject::Person { work, .. }) => Verdict::of(
                work.is_working(),
                if self.current.is_some() {
                    "当月无务工记录（已外出务工信息）"
                } else {
                    "未务工（务工所在地为空或否/无）"
                },
            ),
            (Test::InCounty, Subject::Person { work, .. }) => {
                Verdict::of(work == WorkPlace::InCounty, "务工地不在县内")
            }
            (Test::InProvince, Subject::Person { work, .. }) => {
                Verdict::of(work == WorkPlace::InProvince, "务工地不在省内县外")
            }
            (Test::OutProvince, Subject::Person { work, .. }) => {
                Verdict::of(work == WorkPlace::OutProvince, "务工地不在省外")
            }
            (Test::UnknownDestination, Subject::Person { work, .. }) => {
                Verdict::of(work == WorkPlace::Unknown, "务工去向已明确")
            }
            (Test::WelfarePost, Subject::Person { facts, .. }) => {
                Verdict::of(facts.welfare_post, "无公益性岗位")
            }
            (Test::HasBalance, Subject::LoanHousehold(g, _)) => {
                Verdict::of(g.has_balance(), "无贷款余额")
            }
            (Test::Overdue, Subject::LoanHousehold(g, _)) => {
                Verdict::of(g.is_overdue(), "无逾期贷款")
            }
            (Test::Planned, Subject::Project(p)) => {
                if !p.planned {
                    Verdict::Out("未纳入年度实施计划")
                } else if p.year.is_some_and(|y| y != as_of.year()) {
                    Verdict::Out("项目年度不是统计年度")
                } else {
                    Verdict::In
                }
            }
            (Test::Started, Subject::Project(p)) => match p.status {
                Some(s) => Verdict::of(
                    matches!(s, ProjectStatus::Started | ProjectStatus::Completed),
                    "未开工",
                ),
                None => Verdict::of(
                    p.started_on.is_some_and(|d| d <= as_of)
                        || p.completed_on.is_some_and(|d| d <= as_of),
                    "未开工（开工日期为空或晚于统计截止日）",
                ),
            },
            (Test::Completed, Subject::Project(p)) => match p.status {
                Some(s) => Verdict::of(s == ProjectStatus::Completed, "未完工"),
                None => Verdict::of(
                    p.completed_on.is_some_and(|d| d <= as_of),
                    "未完工（完工日期为空或晚于统计截止日）",
                ),
            },
            (Test::Industry, Subject::Project(p)) => Verdict::of(
                p.kind == Some(ProjectType::Industry),
                "项目类型不是产业发展",
            ),
            (Test::HasWage, Subject::Spell(s)) => Verdict::of(
                s.monthly_wage.is_some_and(|w| w > Decimal::ZERO),
                "未填务工月收入",
            ),
            (Test::Exited, Subject::Village(v)) => Verdict::of(v.exited == Some(true), "未出列"),
            (Test::HasCollectiveIncome, Subject::Village(v)) => {
                Verdict::of(v.collective_income.is_some(), "未填村级集体经济收入")
            }
            (Test::OverLine, Subject::Village(v)) => match v.collective_income {
                Some(income) if income >= self.params.collective_income_line => Verdict::In,
                Some(_) => Verdict::Out("村级集体经济收入低于达标线"),
                None => Verdict::Out("未填村级集体经济收入"),
            },
            // A test that does not apply to this kind of record (a rule never asks it).
            _ => Verdict::Out("不适用"),
        }
    }

    /// Whether a record counts in a measure: [`Verdict::In`], or the first test of the rule
    /// it fails.
    pub fn membership(&self, s: Subject<'_>, rule: &Rule) -> Verdict {
        rule.tests
            .iter()
            .map(|t| self.verdict(s, *t))
            .find(|v| !v.is_in())
            .unwrap_or(Verdict::In)
    }

    /// The tests among `tests` (a bit set) a record passes.
    fn passed(&self, s: Subject<'_>, tests: u64) -> u64 {
        let mut passed = 0;
        let mut rest = tests;
        while rest != 0 {
            let bit = rest & rest.wrapping_neg();
            rest &= rest - 1;
            if let Some(t) = Test::ALL.get(bit.trailing_zeros() as usize)
                && self.verdict(s, *t).is_in()
            {
                passed |= bit;
            }
        }
        passed
    }

    /// What a record adds to a sum (0 when the value is not recorded).
    pub fn amount(&self, s: Subject<'_>, amount: Amount) -> Decimal {
        let v = match (amount, s) {
            (Amount::HouseholdIncome, Subject::Person { household, .. }) => household.income,
            (Amount::LoanBalance, Subject::Loan(l, _)) => {
                Some(l.balance.unwrap_or_default() / Decimal::from(10_000))
            }
            (Amount::Funds, Subject::Project(p)) => p.funds,
            (Amount::Spent, Subject::Project(p)) => p.spent,
            (Amount::Wage, Subject::Spell(s)) => s.monthly_wage,
            (Amount::CollectiveIncome, Subject::Village(v)) => v.collective_income,
            _ => None,
        };
        v.unwrap_or_default()
    }

    /// Counts every record of `kind` into the measures of its rules: `place(region)` says
    /// which unit a record's region belongs to (`None`: the total only); `sink(unit, rule,
    /// n, amount)` adds `n` (`amount` `None`) or an amount to the measure of `RULES[rule]`.
    pub(super) fn count_into(
        &self,
        kind: RecordKind,
        mut place: impl FnMut(RegionId) -> Option<RegionId>,
        mut sink: impl FnMut(Option<RegionId>, usize, i64, Option<Decimal>),
    ) {
        let rules: Vec<(usize, &Rule, u64)> = RULES
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == kind)
            .map(|(i, r)| (i, r, r.mask()))
            .collect();
        let Some((_, first, _)) = rules.first() else {
            return;
        };
        let tests = rules.iter().fold(0, |m, (_, _, mask)| m | mask);
        // A 户编号 of the loan ledger counts where its rule says: one by one.
        if kind == RecordKind::LoanHousehold {
            for i in 0..self.len(kind) {
                let Some(s) = self.subject(kind, i) else {
                    continue;
                };
                let passed = self.passed(s, tests);
                for (at, rule, mask) in &rules {
                    if passed & mask == *mask {
                        let unit = place(self.region(s, rule));
                        sink(unit, *at, 1, rule.amount.map(|a| self.amount(s, a)));
                    }
                }
            }
            return;
        }
        // What the sums of this kind add (a project: 衔接资金 and 已支出).
        let mut amounts: Vec<Amount> = Vec::new();
        for a in rules.iter().filter_map(|(_, r, _)| r.amount) {
            if !amounts.contains(&a) {
                amounts.push(a);
            }
        }
        // Records of one region passing the same tests count alike: they are grouped (a
        // province roster: 6 M persons, a few thousand groups), on every core for a large
        // table, and each group goes to the sink once per rule.
        let n = self.len(kind);
        let shards = crate::shards::shard_count(n, 200_000);
        let step = n.div_ceil(shards).max(1);
        let ranges: Vec<std::ops::Range<usize>> = (0..n)
            .step_by(step)
            .map(|lo| lo..(lo + step).min(n))
            .collect();
        let grouped = crate::shards::each_on_a_thread(ranges, |r| {
            self.group(kind, r, tests, first, &amounts)
        });
        // Merged in record order, so units are met in the order of their first record.
        let mut all = Groups::default();
        for part in grouped {
            for (region, passed, count, sums) in part.list {
                all.add(region, passed, count, &sums);
            }
        }
        for (region, passed, count, sums) in all.list {
            let unit = place(region);
            for (at, rule, mask) in &rules {
                if passed & mask != *mask {
                    continue;
                }
                let amount = rule.amount.map(|a| {
                    amounts
                        .iter()
                        .position(|x| *x == a)
                        .and_then(|k| sums.get(k))
                        .copied()
                        .unwrap_or_default()
                });
                sink(unit, *at, count, amount);
            }
        }
    }

    /// The records `range` of `kind` grouped by region and the tests among `tests` they
    /// pass, with the `amounts` they add.
    fn group(
        &self,
        kind: RecordKind,
        range: std::ops::Range<usize>,
        tests: u64,
        rule: &Rule,
        amounts: &[Amount],
    ) -> Groups {
        let mut groups = Groups::default();
        let mut adds = vec![Decimal::ZERO; amounts.len()];
        // A person's household tests are those of the previous person of the household
        // (members are listed together): decided once per household.
        let (household_tests, own_tests) = (tests & HOUSEHOLD_TESTS, tests & !HOUSEHOLD_TESTS);
        let mut last: Option<(u32, u64)> = None;
        for i in range {
            let Some(s) = self.subject(kind, i) else {
                continue;
            };
            let passed = match s {
                Subject::Person { facts, .. } => {
                    let of_household = match last {
                        Some((h, passed)) if h == facts.household => passed,
                        _ => {
                            let passed = self.passed(s, household_tests);
                            last = Some((facts.household, passed));
                            passed
                        }
                    };
                    of_household | self.passed(s, own_tests)
                }
                _ => self.passed(s, tests),
            };
            for (add, a) in adds.iter_mut().zip(amounts) {
                *add = self.amount(s, *a);
            }
            groups.add(self.region(s, rule), passed, 1, &adds);
        }
        groups
    }
}

/// Records grouped by region and the tests they pass: how many, and what they add to each
/// sum; groups in the order of their first record.
#[derive(Default)]
struct Groups {
    list: Vec<(RegionId, u64, i64, Vec<Decimal>)>,
    index: FxHashMap<(RegionId, u64), usize>,
}

impl Groups {
    fn add(&mut self, region: RegionId, passed: u64, count: i64, sums: &[Decimal]) {
        let next = self.list.len();
        let g = *self.index.entry((region, passed)).or_insert(next);
        if g == next {
            self.list
                .push((region, passed, 0, vec![Decimal::ZERO; sums.len()]));
        }
        if let Some((_, _, n, total)) = self.list.get_mut(g) {
            *n += count;
            for (t, v) in total.iter_mut().zip(sums) {
                *t += *v;
            }
        }
    }
}

#[cfg(test)]
mod tests;
