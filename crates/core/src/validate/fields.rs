//! The named fields rule conditions read, per table: typed accessors over the records.
//!
//! A field is resolved by name once, when a rule is compiled; rows then call its accessor (a
//! plain function pointer) and get a typed [`Val`]. Vocabulary fields (劳动技能, 健康状况…)
//! are small integers with their words kept here, so `劳动技能 == '无劳动力'` compares codes,
//! and a word that is not in the vocabulary is a compile error, not a rule that never fires.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{
    BadValue, Dataset, Dibao, EliminationMethod, Health, Household, HouseholdType, IdNumber,
    LaborSkill, Loan, LoanStatus, MonitorCategory, Person, PersonFacts, Project, ProjectStatus,
    RowRef, SchoolStage, Sex, VillageInfo, WorkPlace, WorkPlaceProblem, WorkSpell,
};
use crate::text::age_on;

use super::idcard::id_number_problem;
use crate::ingest::schema::TEXT_COLS;

/// What a rule (or one case of it) reads one row at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleTable {
    /// Persons of the roster.
    Person,
    /// Households of the roster (with aggregates over their members).
    Household,
    /// Projects of the project ledger.
    Project,
    /// Loans of the microcredit ledger.
    Loan,
    /// Rows of 行政村信息.
    Village,
    /// Rows of 已外出务工信息.
    Spell,
    /// Cells that could not be read as their column's type.
    Cell,
    /// Rows whose 证件号码 repeats an earlier row.
    Duplicate,
}

impl RuleTable {
    /// Every table, in pass order.
    pub const ALL: [RuleTable; 8] = [
        RuleTable::Person,
        RuleTable::Household,
        RuleTable::Project,
        RuleTable::Loan,
        RuleTable::Village,
        RuleTable::Spell,
        RuleTable::Cell,
        RuleTable::Duplicate,
    ];

    /// The key used in rule files.
    pub fn key(self) -> &'static str {
        match self {
            RuleTable::Person => "person",
            RuleTable::Household => "household",
            RuleTable::Project => "project",
            RuleTable::Loan => "loan",
            RuleTable::Village => "village",
            RuleTable::Spell => "spell",
            RuleTable::Cell => "cell",
            RuleTable::Duplicate => "duplicate",
        }
    }

    /// The Chinese name (`人员`, `户`…).
    pub fn label(self) -> &'static str {
        match self {
            RuleTable::Person => "人员",
            RuleTable::Household => "户",
            RuleTable::Project => "项目",
            RuleTable::Loan => "贷款",
            RuleTable::Village => "行政村",
            RuleTable::Spell => "务工记录",
            RuleTable::Cell => "单元格",
            RuleTable::Duplicate => "重复证件号码",
        }
    }

    /// The export this table is read from (`None` for cells, which come from any).
    pub fn kind(self) -> Option<crate::model::TableKind> {
        use crate::model::TableKind;
        match self {
            RuleTable::Person | RuleTable::Household | RuleTable::Duplicate => {
                Some(TableKind::Roster)
            }
            RuleTable::Project => Some(TableKind::Projects),
            RuleTable::Loan => Some(TableKind::Loans),
            RuleTable::Village => Some(TableKind::Villages),
            RuleTable::Spell => Some(TableKind::WorkSpells),
            RuleTable::Cell => None,
        }
    }

    pub(crate) fn parse(key: &str) -> Option<RuleTable> {
        RuleTable::ALL
            .into_iter()
            .find(|t| t.key() == key || t.label() == key)
    }
}

/// The type of a field or expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Bool,
    Num,
    Text,
    Date,
    /// One word of a vocabulary.
    Enum(&'static [&'static str]),
    /// A set of words of a vocabulary (bit i = word i).
    Set(&'static [&'static str]),
    /// The `null` literal.
    Null,
}

impl Ty {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Ty::Bool => "是/否",
            Ty::Num => "数值",
            Ty::Text => "文本",
            Ty::Date => "日期",
            Ty::Enum(_) => "取值",
            Ty::Set(_) => "多选",
            Ty::Null => "空",
        }
    }
}

/// A value of one row. `Null` is a blank or unreadable cell: comparisons with it are
/// neither true nor false, so a rule never fires on a value it does not have.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val<'r> {
    Null,
    Bool(bool),
    Num(Decimal),
    Text(Cow<'r, str>),
    Date(NaiveDate),
    Enum(u8),
    Set(u32),
}

impl Val<'_> {
    pub(crate) fn is_true(&self) -> bool {
        matches!(self, Val::Bool(true))
    }

    fn flag(f: Option<bool>) -> Val<'static> {
        f.map_or(Val::Null, Val::Bool)
    }

    fn num(n: Option<Decimal>) -> Val<'static> {
        n.map_or(Val::Null, Val::Num)
    }

    fn date(d: Option<NaiveDate>) -> Val<'static> {
        d.map_or(Val::Null, Val::Date)
    }

    fn text(t: Option<&str>) -> Val<'_> {
        t.map_or(Val::Null, |t| Val::Text(Cow::Borrowed(t)))
    }

    fn count(n: impl Into<Decimal>) -> Val<'static> {
        Val::Num(n.into())
    }
}

/// Per-household facts every household rule needs: whose row speaks for it.
#[derive(Clone, Copy)]
pub(crate) struct Rep {
    /// Person whose row the household attributes came from (else the head, else the first).
    pub rep: u32,
    rank: u8,
    /// First member with a phone number.
    pub first_phone: u32,
}

pub(crate) const NONE: u32 = u32::MAX;

/// Lookups built once per run, only when a compiled rule reads a field that needs them.
#[derive(Default)]
pub(crate) struct Env<'a> {
    pub as_of: Option<NaiveDate>,
    pub reps: Vec<Rep>,
    pub phone_households: FxHashMap<&'a str, u32>,
    pub current_spells: FxHashMap<IdNumber, u32>,
    pub roster_households: FxHashSet<&'a str>,
    pub roster_persons: FxHashSet<IdNumber>,
    /// Roster households and persons per village.
    pub village_counts: FxHashMap<crate::region::RegionId, (u32, u32)>,
    /// Cells that are filled but unreadable (row, canonical column): not blank.
    pub bad_cells: FxHashSet<(RowRef, &'static str)>,
}

/// Lookups a field depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    PhoneHouseholds,
    CurrentSpells,
    RosterHouseholds,
    RosterPersons,
    VillageCounts,
}

impl<'a> Env<'a> {
    /// Builds the representatives and the lookups asked for.
    pub(crate) fn new(ds: &'a Dataset, as_of: NaiveDate, lookups: &[Lookup]) -> Env<'a> {
        let mut env = Env {
            as_of: Some(as_of),
            reps: representatives(ds),
            bad_cells: ds
                .bad_values
                .iter()
                .map(|b| {
                    let at = RowRef {
                        source: b.source,
                        row: b.row,
                    };
                    (at, b.canonical)
                })
                .collect(),
            ..Env::default()
        };
        for l in lookups {
            match l {
                Lookup::PhoneHouseholds => {
                    let mut map = FxHashMap::default();
                    for i in 0..ds.roster.households.len() {
                        if let Some(ph) = env.phone_of(ds, i).filter(|p| is_mobile(p)) {
                            *map.entry(ph).or_insert(0) += 1;
                        }
                    }
                    env.phone_households = map;
                }
                Lookup::CurrentSpells => env.current_spells = ds.current_spells(as_of),
                Lookup::RosterHouseholds => {
                    env.roster_households = ds.roster.households.iter().map(|h| &*h.id).collect();
                }
                Lookup::RosterPersons => {
                    let ids = &ds.roster.ids;
                    env.roster_persons = (0..ids.len())
                        .filter_map(|i| ids.get(i).map(|id| id.person_key()))
                        .collect();
                }
                Lookup::VillageCounts => {
                    let mut map: FxHashMap<crate::region::RegionId, (u32, u32)> =
                        FxHashMap::default();
                    for h in &ds.roster.households {
                        let e = map.entry(h.village).or_default();
                        e.0 += 1;
                        e.1 += h.members;
                    }
                    env.village_counts = map;
                }
            }
        }
        env
    }

    /// The household's 户联系电话: its representative's, else its first member's.
    pub(crate) fn phone_of(&self, ds: &'a Dataset, household: usize) -> Option<&'a str> {
        let a = self.reps.get(household)?;
        let person = |idx: u32| ds.roster.persons.get(idx as usize);
        let rep_phone = person(a.rep)
            .and_then(|p| p.phone.as_deref())
            .map(str::trim)
            .filter(|t| !t.is_empty());
        rep_phone.or_else(|| person(a.first_phone)?.phone.as_deref().map(str::trim))
    }
}

/// Whose row speaks for each household in the rules: the row its attributes came from
/// first (the rules check those attributes, so a finding cites that row), else the 户主.
/// The lists name [`crate::model::Roster::heads`] instead: the 户主 first.
fn representatives(ds: &Dataset) -> Vec<Rep> {
    let roster = &ds.roster;
    let mut reps = vec![
        Rep {
            rep: NONE,
            rank: 0,
            first_phone: NONE,
        };
        roster.households.len()
    ];
    for (i, p) in roster.facts.iter().enumerate() {
        let (Some(a), Some(h)) = (
            reps.get_mut(p.household as usize),
            roster.households.get(p.household as usize),
        ) else {
            continue;
        };
        let i = i as u32;
        let rank = if p.at == h.at {
            3
        } else if p.is_head {
            2
        } else {
            1
        };
        if rank > a.rank {
            a.rep = i;
            a.rank = rank;
        }
        let phone = roster
            .persons
            .get(i as usize)
            .and_then(|p| p.phone.as_deref());
        if a.first_phone == NONE && phone.is_some_and(|t| !t.trim().is_empty()) {
            a.first_phone = i;
        }
    }
    reps
}

/// Whether a phone number is an 11-digit mobile number `1[3-9]` + 9 digits.
pub(crate) fn is_mobile(phone: &str) -> bool {
    let b = phone.as_bytes();
    b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b.first() == Some(&b'1')
        && b.get(1).is_some_and(|d| (b'3'..=b'9').contains(d))
}

/// One row as the rules see it.
#[derive(Clone, Copy)]
pub(crate) struct Row<'r> {
    pub ds: &'r Dataset,
    pub env: &'r Env<'r>,
    pub person: Option<&'r Person>,
    pub household: Option<(u32, &'r Household)>,
    pub project: Option<&'r Project>,
    pub loan: Option<&'r Loan>,
    pub village: Option<&'r VillageInfo>,
    pub spell: Option<&'r WorkSpell>,
    pub cell: Option<&'r BadValue>,
    pub duplicate: Option<&'r (RowRef, RowRef)>,
    /// The household's member aggregates (household rules).
    pub acc: &'r [u32],
    /// Index of `person` in the roster; for household rows, of the row that speaks for the
    /// household ([`NONE`] when there is none).
    pub person_ix: u32,
}

impl<'r> Row<'r> {
    pub(crate) fn new(ds: &'r Dataset, env: &'r Env<'r>) -> Row<'r> {
        Row {
            ds,
            env,
            person: None,
            household: None,
            project: None,
            loan: None,
            village: None,
            spell: None,
            cell: None,
            duplicate: None,
            acc: &[],
            person_ix: NONE,
        }
    }

    fn hh(&self) -> Option<&'r Household> {
        self.household.map(|(_, h)| h)
    }

    fn age(&self) -> Option<i32> {
        Some(age_on(self.person?.birth?, self.env.as_of?))
    }

    /// What counting needs of the row's person (at [`Row::person_ix`]).
    fn facts(&self) -> Option<&'r PersonFacts> {
        self.person?;
        self.ds.roster.facts.get(self.person_ix as usize)
    }

    /// The 证件号码 of the row's person.
    fn person_id(&self) -> Option<IdNumber> {
        self.person?;
        self.ds.roster.ids.get(self.person_ix as usize)
    }
}

pub(crate) type Getter = for<'r> fn(&Row<'r>) -> Val<'r>;

/// A named field.
pub(crate) struct Field {
    pub table: RuleTable,
    pub name: &'static str,
    pub ty: Ty,
    pub get: Getter,
    /// Canonical columns that must all be present.
    pub needs: Vec<&'static str>,
    /// Canonical columns of which one must be present.
    pub needs_any: Vec<&'static str>,
    pub lookup: Option<Lookup>,
    /// The field holds personal data: quoted masked in messages.
    pub personal: bool,
    /// One line for `gonggu rules --fields`.
    pub doc: &'static str,
}

pub(crate) const LABOR: &[&str] = &[
    "普通劳动力",
    "技能劳动力",
    "弱劳动力或半劳动力",
    "丧失劳动力",
    "无劳动力",
    "其他",
];
pub(crate) const HEALTH: &[&str] = &["健康", "残疾", "长期慢性病", "患大病", "其他"];
pub(crate) const SCHOOL: &[&str] = &[
    "非在校生",
    "学龄前儿童",
    "学前教育",
    "小学",
    "初中",
    "高中",
    "中职",
    "高职高专或本科",
    "硕士及以上",
    "其他在校生",
];
pub(crate) const SEX: &[&str] = &["男", "女"];
pub(crate) const WORK: &[&str] = &["未务工", "县内", "省内县外", "省外", "去向不明"];
pub(crate) const HOUSEHOLD_TYPE: &[&str] = &["脱贫户", "一般农户", "无法识别"];
pub(crate) const CATEGORY: &[&str] = &["脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "其他"];
pub(crate) const ELIMINATION: &[&str] = &["帮扶消除", "自然消除", "其他"];
pub(crate) const PROJECT_STATUS: &[&str] = &["未开工", "已开工", "已完工"];
pub(crate) const LOAN_STATUS: &[&str] = &["正常", "逾期", "展期", "续贷", "已结清"];

fn risk_words() -> &'static [&'static str] {
    static WORDS: std::sync::LazyLock<Vec<&'static str>> =
        std::sync::LazyLock::new(|| crate::model::Risk::ALL.iter().map(|r| r.label()).collect());
    &WORDS
}

fn assistance_words() -> &'static [&'static str] {
    static WORDS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        crate::model::Assistance::ALL
            .iter()
            .map(|r| r.label())
            .collect()
    });
    &WORDS
}

fn work_code(w: WorkPlace) -> u8 {
    match w {
        WorkPlace::NotWorking => 0,
        WorkPlace::InCounty => 1,
        WorkPlace::InProvince => 2,
        WorkPlace::OutProvince => 3,
        WorkPlace::Unknown => 4,
    }
}

fn labor_code(l: LaborSkill) -> u8 {
    match l {
        LaborSkill::Ordinary => 0,
        LaborSkill::Skilled => 1,
        LaborSkill::Weak => 2,
        LaborSkill::Lost => 3,
        LaborSkill::NoLabor => 4,
        LaborSkill::Other => 5,
    }
}

fn health_code(h: Health) -> u8 {
    match h {
        Health::Healthy => 0,
        Health::Disabled => 1,
        Health::Chronic => 2,
        Health::Serious => 3,
        Health::Other => 4,
    }
}

fn school_code(s: SchoolStage) -> u8 {
    match s {
        SchoolStage::NotInSchool => 0,
        SchoolStage::PreschoolChild => 1,
        SchoolStage::Preschool => 2,
        SchoolStage::Primary => 3,
        SchoolStage::Junior => 4,
        SchoolStage::Senior => 5,
        SchoolStage::Vocational => 6,
        SchoolStage::Higher => 7,
        SchoolStage::Graduate => 8,
        SchoolStage::OtherInSchool => 9,
    }
}

fn enum_val<T: Copy>(v: Option<T>, code: fn(T) -> u8) -> Val<'static> {
    v.map_or(Val::Null, |v| Val::Enum(code(v)))
}

/// The work spell covering the as-of month of a row's person.
fn current_spell<'r>(r: &Row<'r>) -> Option<Option<&'r WorkSpell>> {
    let id = r.person_id()?;
    Some(
        r.env
            .current_spells
            .get(&id.person_key())
            .and_then(|&s| r.ds.work_spells.get(s as usize)),
    )
}

macro_rules! field {
    ($table:ident, $name:literal, $ty:expr, $get:expr, needs = $needs:expr, any = $any:expr, lookup = $lookup:expr, personal = $pii:expr, $doc:literal) => {
        Field {
            table: RuleTable::$table,
            name: $name,
            ty: $ty,
            get: $get,
            needs: $needs.to_vec(),
            needs_any: $any.to_vec(),
            lookup: $lookup,
            personal: $pii,
            doc: $doc,
        }
    };
    ($table:ident, $name:literal, $ty:expr, $get:expr, needs = $needs:expr, $doc:literal) => {
        field!(
            $table,
            $name,
            $ty,
            $get,
            needs = $needs,
            any = &[],
            lookup = None,
            personal = false,
            $doc
        )
    };
}

/// Every field, by table.
pub(crate) fn all() -> &'static [Field] {
    static FIELDS: std::sync::LazyLock<Vec<Field>> = std::sync::LazyLock::new(build);
    &FIELDS
}

/// The field of a table with this name (for text columns, also any alias of the column).
pub(crate) fn find(table: RuleTable, name: &str) -> Option<&'static Field> {
    all()
        .iter()
        .find(|f| f.table == table && f.name == name)
        .or_else(|| {
            let col = TEXT_COLS.iter().find(|c| c.aliases().contains(&name))?;
            all()
                .iter()
                .find(|f| f.table == table && f.name == col.canonical())
        })
}

/// The text column a field reads (an index into `TEXT_COLS`), if it is one.
pub(crate) fn text_column(f: &Field) -> Option<usize> {
    if !matches!(f.table, RuleTable::Person | RuleTable::Household) {
        return None;
    }
    TEXT_COLS.iter().position(|c| c.canonical() == f.name)
}

/// Whether the row's cell of a typed field's column is filled but unreadable (so not blank).
pub(crate) fn unreadable(r: &Row<'_>, f: &Field) -> bool {
    if r.env.bad_cells.is_empty() {
        return false;
    }
    let at = match f.table {
        RuleTable::Person => r.facts().map(|p| p.at),
        RuleTable::Household => r.household.map(|(_, h)| h.at),
        _ => None,
    };
    at.is_some_and(|at| f.needs.iter().any(|c| r.env.bad_cells.contains(&(at, *c))))
}

/// Whether the row's table had the text column `k` (a blank is then really blank).
pub(crate) fn has_text(r: &Row<'_>, k: usize) -> bool {
    r.ds.roster.texts.has(k, r.person_ix)
}

fn text_of<'r, const K: usize>(r: &Row<'r>) -> Val<'r> {
    Val::text(r.ds.roster.texts.get(K, r.person_ix))
}

macro_rules! text_getters {
    ($($k:literal)*) => { [$(text_of::<$k> as Getter),*] };
}

/// One accessor per text column (a `fn` pointer cannot capture the column's index).
const TEXT_GETTERS: [Getter; 64] = text_getters!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
    32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
);
const _: () = assert!(TEXT_COLS.len() <= TEXT_GETTERS.len());

#[allow(clippy::too_many_lines)]
fn build() -> Vec<Field> {
    use Ty::*;
    let risks = risk_words();
    let measures = assistance_words();
    let mut v: Vec<Field> = vec![
        // ---- persons
        field!(
            Person,
            "证件号码",
            Text,
            |r| {
                r.person_id()
                    .map_or(Val::Null, |i| Val::Text(Cow::Owned(i.as_str().to_string())))
            },
            needs = &["证件号码"],
            any = &[],
            lookup = None,
            personal = true,
            "证件号码（原文）"
        ),
        field!(
            Person,
            "姓名",
            Text,
            |r| Val::text(r.person.and_then(|p| p.name.as_deref())),
            needs = &["姓名"],
            any = &[],
            lookup = None,
            personal = true,
            "姓名"
        ),
        field!(
            Person,
            "证件号码问题",
            Text,
            |r| {
                let Some(p) = r.person else { return Val::Null };
                if p.id_was_number {
                    return Val::Null;
                }
                match r.person_id() {
                    None => Val::Text(Cow::Borrowed("证件号码为空（或超过23位）")),
                    Some(id) => match r.env.as_of.and_then(|d| id_number_problem(id.as_str(), d)) {
                        Some(problem) => Val::Text(Cow::Owned(problem.message())),
                        None => Val::Null,
                    },
                }
            },
            needs = &["证件号码"],
            "证件号码的问题（GB 11643 校验、长度、出生日期；有效时为空）"
        ),
        field!(
            Person,
            "证件号码存为数字",
            Bool,
            |r| Val::flag(r.person.map(|p| p.id_was_number)),
            needs = &["证件号码"],
            "Excel 把证件号码存成了数字"
        ),
        field!(
            Person,
            "年龄",
            Num,
            |r| r.age().map_or(Val::Null, Val::count),
            needs = &[],
            any = &["出生日期", "证件号码"],
            lookup = None,
            personal = false,
            "统计截止日的周岁（出生日期，否则证件号码）"
        ),
        field!(
            Person,
            "性别",
            Enum(SEX),
            |r| enum_val(r.person.and_then(|p| p.sex), |s| match s {
                Sex::Male => 0,
                Sex::Female => 1,
            }),
            needs = &["性别"],
            "男、女"
        ),
        field!(
            Person,
            "户主",
            Bool,
            |r| Val::flag(r.facts().map(|p| p.is_head)),
            needs = &["与户主关系"],
            "与户主关系为户主"
        ),
        field!(
            Person,
            "劳动技能",
            Enum(LABOR),
            |r| enum_val(r.facts().and_then(|p| p.labor), labor_code),
            needs = &["劳动技能"],
            "普通劳动力、技能劳动力、弱劳动力或半劳动力、丧失劳动力、无劳动力、其他"
        ),
        field!(
            Person,
            "健康状况",
            Enum(HEALTH),
            |r| enum_val(r.person.and_then(|p| p.health), health_code),
            needs = &["健康状况"],
            "健康、残疾、长期慢性病、患大病、其他"
        ),
        field!(
            Person,
            "在校生状况",
            Enum(SCHOOL),
            |r| enum_val(r.person.and_then(|p| p.school), school_code),
            needs = &["在校生状况"],
            "非在校生、学龄前儿童、学前教育、小学、初中、高中、中职、高职高专或本科、硕士及以上、其他在校生"
        ),
        field!(
            Person,
            "在校",
            Bool,
            |r| Val::flag(
                r.person
                    .map(|p| p.school.is_some_and(SchoolStage::in_school))
            ),
            needs = &["在校生状况"],
            "在校生状况为在校（学前教育及以上）"
        ),
        field!(
            Person,
            "务工所在地",
            Text,
            |r| {
                let Some(p) = r.person else { return Val::Null };
                Val::text(r.ds.roster.work_place_of(p).map(|w| &*w.text))
            },
            needs = &["务工所在地"],
            "务工所在地（原文）"
        ),
        field!(
            Person,
            "务工去向",
            Enum(WORK),
            |r| r
                .facts()
                .map_or(Val::Null, |p| Val::Enum(work_code(p.work))),
            needs = &["务工所在地"],
            "未务工、县内、省内县外、省外、去向不明（由务工所在地判断）"
        ),
        field!(
            Person,
            "务工所在地问题",
            Text,
            |r| {
                let (Some(p), Some(f)) = (r.person, r.facts()) else {
                    return Val::Null;
                };
                match r.ds.roster.work_place_of(p) {
                    Some(w) if f.work == WorkPlace::Unknown => Val::Text(Cow::Owned(
                        w.problem
                            .clone()
                            .unwrap_or(WorkPlaceProblem::NotAPlace)
                            .message(&w.text),
                    )),
                    _ => Val::Null,
                }
            },
            needs = &["务工所在地"],
            "务工所在地无法判断去向的原因（能判断时为空）"
        ),
        field!(
            Person,
            "可能的地区",
            Text,
            |r| {
                let Some(p) = r.person else { return Val::Null };
                match r
                    .ds
                    .roster
                    .work_place_of(p)
                    .and_then(|w| w.problem.as_ref())
                {
                    Some(WorkPlaceProblem::Ambiguous(c)) => Val::Text(Cow::Owned(c.join("、"))),
                    _ => Val::Null,
                }
            },
            needs = &["务工所在地"],
            "务工所在地同名的几个地区"
        ),
        field!(
            Person,
            "务工月收入",
            Num,
            |r| Val::num(r.person.and_then(|p| p.monthly_wage)),
            needs = &["务工月收入"],
            "务工月收入（元）"
        ),
        field!(
            Person,
            "公益性岗位",
            Bool,
            |r| Val::flag(r.facts().map(|p| p.welfare_post)),
            needs = &["公益性岗位"],
            "在公益性岗位"
        ),
        field!(
            Person,
            "是否参加城乡居民基本医疗保险",
            Bool,
            |r| Val::flag(r.person.and_then(|p| p.basic_medical)),
            needs = &["是否参加城乡居民基本医疗保险"],
            "是/否"
        ),
        field!(
            Person,
            "是否参加大病保险",
            Bool,
            |r| Val::flag(r.person.and_then(|p| p.serious_illness_insurance)),
            needs = &["是否参加大病保险"],
            "是/否"
        ),
        field!(
            Person,
            "低保",
            Bool,
            |r| Val::flag(r.person.and_then(|p| p.dibao).map(|d| d == Dibao::Yes)),
            needs = &["享受低保政策情况"],
            "享受低保"
        ),
        field!(
            Person,
            "特困",
            Bool,
            |r| Val::flag(r.person.and_then(|p| p.tekun)),
            needs = &["享受特困供养政策情况"],
            "特困供养"
        ),
        field!(
            Person,
            "纳入统计",
            Bool,
            |r| Val::flag(r.hh().map(Household::is_covered)),
            needs = &[],
            "所在户是脱贫户或监测户"
        ),
        field!(
            Person,
            "当月务工去向",
            Enum(WORK),
            |r| match current_spell(r) {
                None => Val::Null,
                Some(None) => Val::Enum(work_code(WorkPlace::NotWorking)),
                Some(Some(s)) => Val::Enum(work_code(s.place)),
            },
            needs = &[],
            any = &[],
            lookup = Some(Lookup::CurrentSpells),
            personal = false,
            "已外出务工信息中覆盖统计月份的记录的去向（没有记录为未务工）"
        ),
        field!(
            Person,
            "当月务工情况",
            Text,
            |r| {
                let (Some(spell), Some(as_of)) = (current_spell(r), r.env.as_of) else {
                    return Val::Null;
                };
                let month = crate::text::month_zh(as_of);
                Val::Text(Cow::Owned(match spell {
                    Some(s) => {
                        let county = s
                            .place_entry
                            .and_then(|e| r.ds.spell_places.get(e as usize))
                            .map_or("", |e| &*e.text);
                        format!(
                            "{month}在「{county}」务工（{}，{}）",
                            s.place.label(),
                            r.ds.describe_short(s.at)
                        )
                    }
                    None => format!("{month}没有在务工的记录"),
                }))
            },
            needs = &[],
            any = &[],
            lookup = Some(Lookup::CurrentSpells),
            personal = false,
            "已外出务工信息中统计月份的务工情况（文字）"
        ),
        field!(
            Person,
            "出生日期",
            Date,
            |r| Val::date(r.person.and_then(|p| p.birth)),
            needs = &["出生日期"],
            "出生日期"
        ),
        field!(
            Person,
            "证件号码性别",
            Enum(SEX),
            |r| {
                let Some(id) = r.person_id() else {
                    return Val::Null;
                };
                match super::idcard::birth_and_sex(id.as_str()) {
                    Some((_, Sex::Male)) => Val::Enum(0),
                    Some((_, Sex::Female)) => Val::Enum(1),
                    None => Val::Null,
                }
            },
            needs = &["证件号码"],
            "由18位证件号码第17位推出的性别（号码无效时为空）"
        ),
        field!(
            Person,
            "证件号码出生日期",
            Date,
            |r| {
                let Some(id) = r.person_id() else {
                    return Val::Null;
                };
                Val::date(super::idcard::birth_and_sex(id.as_str()).map(|(b, _)| b))
            },
            needs = &["证件号码"],
            "由证件号码推出的出生日期（号码无效时为空）"
        ),
        // ---- households
        field!(
            Household,
            "户编号",
            Text,
            |r| Val::text(r.hh().map(|h| &*h.id)),
            needs = &["户编号"],
            "户编号"
        ),
        field!(
            Household,
            "户主人数",
            Num,
            |r| r.hh().map_or(Val::Null, |h| Val::count(h.heads)),
            needs = &["与户主关系"],
            "与户主关系为户主的成员数"
        ),
        field!(
            Household,
            "人数",
            Num,
            |r| r
                .hh()
                .and_then(|h| h.size_recorded)
                .map_or(Val::Null, Val::count),
            needs = &["人数"],
            "家庭人口数（所填）"
        ),
        field!(
            Household,
            "成员行数",
            Num,
            |r| r.hh().map_or(Val::Null, |h| Val::count(h.members)),
            needs = &[],
            "该户的成员行数"
        ),
        field!(
            Household,
            "户类型",
            Enum(HOUSEHOLD_TYPE),
            |r| match r.hh() {
                None => Val::Null,
                Some(h) => match h.kind {
                    Some(HouseholdType::Tuopin) => Val::Enum(0),
                    Some(HouseholdType::General) => Val::Enum(1),
                    None if h.kind_unrecognised => Val::Enum(2),
                    None => Val::Null,
                },
            },
            needs = &["户类型"],
            "脱贫户、一般农户、无法识别"
        ),
        field!(
            Household,
            "监测对象类别",
            Enum(CATEGORY),
            |r| enum_val(r.hh().and_then(|h| h.category), |c| match c {
                MonitorCategory::Unstable => 0,
                MonitorCategory::Marginal => 1,
                MonitorCategory::Sudden => 2,
                MonitorCategory::Other => 3,
            }),
            needs = &["监测对象类别"],
            "脱贫不稳定户、边缘易致贫户、突发严重困难户、其他"
        ),
        field!(
            Household,
            "监测对象类别原文",
            Text,
            |r| Val::text(r.hh().and_then(|h| h.category_text.as_deref())),
            needs = &["监测对象类别"],
            "监测对象类别（原文）"
        ),
        field!(
            Household,
            "监测户",
            Bool,
            |r| Val::flag(r.hh().map(Household::is_monitored)),
            needs = &[],
            "监测对象类别不为空"
        ),
        field!(
            Household,
            "识别监测时间",
            Date,
            |r| Val::date(r.hh().and_then(|h| h.identified)),
            needs = &["识别监测时间"],
            "日期"
        ),
        field!(
            Household,
            "消除监测时间",
            Date,
            |r| Val::date(r.hh().and_then(|h| h.eliminated_on)),
            needs = &["消除监测时间"],
            "日期"
        ),
        field!(
            Household,
            "风险是否消除",
            Bool,
            |r| Val::flag(r.hh().and_then(|h| h.eliminated)),
            needs = &["风险是否消除"],
            "是/否"
        ),
        field!(
            Household,
            "风险消除方式",
            Enum(ELIMINATION),
            |r| enum_val(r.hh().and_then(|h| h.elimination_method), |m| match m {
                EliminationMethod::Assisted => 0,
                EliminationMethod::Natural => 1,
                EliminationMethod::Other => 2,
            }),
            needs = &["风险消除方式"],
            "帮扶消除、自然消除、其他"
        ),
        field!(
            Household,
            "人均纯收入",
            Num,
            |r| Val::num(r.hh().and_then(|h| h.income)),
            needs = &["人均纯收入（元）"],
            "人均纯收入（元）"
        ),
        field!(
            Household,
            "是否危房户",
            Bool,
            |r| Val::flag(r.hh().and_then(|h| h.unsafe_housing)),
            needs = &["是否危房户"],
            "是/否"
        ),
        field!(
            Household,
            "是否解决安全饮用水",
            Bool,
            |r| Val::flag(r.hh().and_then(|h| h.safe_water)),
            needs = &["是否解决安全饮用水"],
            "是/否"
        ),
        field!(
            Household,
            "有风险1",
            Bool,
            |r| Val::flag(r.hh().map(|h| h.has_risk1)),
            needs = &[],
            "致贫/返贫风险1不为空"
        ),
        field!(
            Household,
            "有帮扶",
            Bool,
            |r| Val::flag(r.hh().map(Household::has_assistance)),
            needs = &[],
            "帮扶措施或任一帮扶列不为空"
        ),
        field!(
            Household,
            "户联系电话",
            Text,
            |r| {
                let Some((i, _)) = r.household else {
                    return Val::Null;
                };
                Val::text(r.env.phone_of(r.ds, i as usize))
            },
            needs = &["户联系电话"],
            any = &[],
            lookup = None,
            personal = true,
            "户联系电话（代表行的，否则第一个有电话的成员的）"
        ),
        field!(
            Household,
            "联系电话共用户数",
            Num,
            |r| {
                let Some((i, _)) = r.household else {
                    return Val::Null;
                };
                match r
                    .env
                    .phone_of(r.ds, i as usize)
                    .and_then(|p| r.env.phone_households.get(p))
                {
                    Some(&n) => Val::count(n),
                    None => Val::Null,
                }
            },
            needs = &["户联系电话"],
            any = &[],
            lookup = Some(Lookup::PhoneHouseholds),
            personal = false,
            "使用同一手机号的户数"
        ),
        // ---- projects
        field!(
            Project,
            "项目编号",
            Text,
            |r| Val::text(r.project.map(|p| &*p.id)),
            needs = &[],
            "项目编号"
        ),
        field!(
            Project,
            "项目",
            Text,
            |r| r
                .project
                .map_or(Val::Null, |p| Val::Text(Cow::Owned(match &p.name {
                    Some(n) => format!("项目「{n}」"),
                    None => format!("项目 {}", p.id),
                }))),
            needs = &[],
            "项目名称（无名称时为项目编号）"
        ),
        field!(
            Project,
            "衔接资金",
            Num,
            |r| Val::num(r.project.and_then(|p| p.funds)),
            needs = &["衔接资金（万元）"],
            "衔接资金（万元）"
        ),
        field!(
            Project,
            "已支出衔接资金",
            Num,
            |r| Val::num(r.project.and_then(|p| p.spent)),
            needs = &["已支出衔接资金（万元）"],
            "已支出衔接资金（万元）"
        ),
        field!(
            Project,
            "开工日期",
            Date,
            |r| Val::date(r.project.and_then(|p| p.started_on)),
            needs = &["开工日期"],
            "日期"
        ),
        field!(
            Project,
            "完工日期",
            Date,
            |r| Val::date(r.project.and_then(|p| p.completed_on)),
            needs = &["完工日期"],
            "日期"
        ),
        // ---- loans
        field!(
            Loan,
            "户编号",
            Text,
            |r| Val::text(r.loan.map(|l| &*l.household_id)),
            needs = &[],
            "户编号"
        ),
        field!(
            Loan,
            "贷款金额",
            Num,
            |r| Val::num(r.loan.and_then(|l| l.amount)),
            needs = &["贷款金额（元）"],
            "贷款金额（元）"
        ),
        field!(
            Loan,
            "贷款余额",
            Num,
            |r| Val::num(r.loan.and_then(|l| l.balance)),
            needs = &["贷款余额（元）"],
            "贷款余额（元）"
        ),
        field!(
            Loan,
            "放款日期",
            Date,
            |r| Val::date(r.loan.and_then(|l| l.issued_on)),
            needs = &[],
            "日期"
        ),
        field!(
            Loan,
            "到期日期",
            Date,
            |r| Val::date(r.loan.and_then(|l| l.due_on)),
            needs = &[],
            "日期"
        ),
        field!(
            Loan,
            "户在人员表",
            Bool,
            |r| Val::flag(
                r.loan
                    .map(|l| r.env.roster_households.contains(&*l.household_id))
            ),
            needs = &[],
            any = &[],
            lookup = Some(Lookup::RosterHouseholds),
            personal = false,
            "人员表中有该户编号"
        ),
        field!(
            Project,
            "项目状态",
            Enum(PROJECT_STATUS),
            |r| enum_val(r.project.and_then(|p| p.status), |s| match s {
                ProjectStatus::NotStarted => 0,
                ProjectStatus::Started => 1,
                ProjectStatus::Completed => 2,
            }),
            needs = &["项目状态"],
            "未开工、已开工、已完工"
        ),
        field!(
            Project,
            "项目年度",
            Num,
            |r| r.project.and_then(|p| p.year).map_or(Val::Null, Val::count),
            needs = &["项目年度"],
            "年份"
        ),
        field!(
            Project,
            "纳入年度实施计划",
            Bool,
            |r| Val::flag(r.project.map(|p| p.planned)),
            needs = &["是否纳入年度实施计划"],
            "是/否"
        ),
        field!(
            Loan,
            "贷款状态",
            Enum(LOAN_STATUS),
            |r| enum_val(r.loan.and_then(|l| l.status), |s| match s {
                LoanStatus::Normal => 0,
                LoanStatus::Overdue => 1,
                LoanStatus::Extended => 2,
                LoanStatus::Renewed => 3,
                LoanStatus::Settled => 4,
            }),
            needs = &["贷款状态"],
            "正常、逾期、展期、续贷、已结清"
        ),
        // ---- villages
        field!(
            Village,
            "是否出列",
            Bool,
            |r| Val::flag(r.village.and_then(|v| v.exited)),
            needs = &[],
            "是/否"
        ),
        field!(
            Village,
            "村级集体经济收入",
            Num,
            |r| Val::num(r.village.and_then(|v| v.collective_income)),
            needs = &[],
            "村级集体经济收入（万元）"
        ),
        field!(
            Village,
            "总户数",
            Num,
            |r| Val::num(r.village.and_then(|v| v.households)),
            needs = &["总户数"],
            "总户数"
        ),
        field!(
            Village,
            "总人口数",
            Num,
            |r| Val::num(r.village.and_then(|v| v.population)),
            needs = &["总人口数"],
            "总人口数"
        ),
        field!(
            Village,
            "人员表户数",
            Num,
            |r| r.village.map_or(Val::Null, |v| {
                Val::count(r.env.village_counts.get(&v.region).map_or(0, |c| c.0))
            }),
            needs = &[],
            any = &[],
            lookup = Some(Lookup::VillageCounts),
            personal = false,
            "人员表中该村的户数"
        ),
        field!(
            Village,
            "人员表人数",
            Num,
            |r| r.village.map_or(Val::Null, |v| {
                Val::count(r.env.village_counts.get(&v.region).map_or(0, |c| c.1))
            }),
            needs = &[],
            any = &[],
            lookup = Some(Lookup::VillageCounts),
            personal = false,
            "人员表中该村的人数"
        ),
        // ---- work spells
        field!(
            Spell,
            "务工所在县",
            Text,
            |r| {
                let Some(s) = r.spell else { return Val::Null };
                Val::text(
                    s.place_entry
                        .and_then(|e| r.ds.spell_places.get(e as usize))
                        .map(|e| &*e.text),
                )
            },
            needs = &[],
            "务工所在县（原文）"
        ),
        field!(
            Spell,
            "人在人员表",
            Bool,
            |r| Val::flag(
                r.spell
                    .and_then(|s| s.id)
                    .map(|id| r.env.roster_persons.contains(&id.person_key()))
            ),
            needs = &[],
            any = &[],
            lookup = Some(Lookup::RosterPersons),
            personal = false,
            "人员表中有该证件号码（号码为空时为空）"
        ),
        field!(
            Spell,
            "是否已务工",
            Bool,
            |r| Val::flag(r.spell.and_then(|s| s.working)),
            needs = &[],
            "是/否"
        ),
        field!(
            Spell,
            "开始时间",
            Date,
            |r| Val::date(r.spell.and_then(|s| s.start)),
            needs = &[],
            "日期"
        ),
        field!(
            Spell,
            "结束时间",
            Date,
            |r| Val::date(r.spell.and_then(|s| s.end)),
            needs = &[],
            "日期"
        ),
        field!(
            Spell,
            "务工去向",
            Enum(WORK),
            |r| r.spell.map_or(Val::Null, |s| Val::Enum(work_code(s.place))),
            needs = &[],
            "县内、省内县外、省外、去向不明（由务工所在县判断）"
        ),
        field!(
            Spell,
            "务工月收入",
            Num,
            |r| Val::num(r.spell.and_then(|s| s.monthly_wage)),
            needs = &[],
            "元"
        ),
        // ---- cells and duplicates
        field!(
            Cell,
            "列名",
            Text,
            |r| Val::text(r.cell.map(|c| c.column.as_str())),
            needs = &[],
            "无法读取的单元格所在列"
        ),
        field!(
            Cell,
            "值",
            Text,
            |r| Val::text(r.cell.map(|c| c.value.as_str())),
            needs = &[],
            "单元格原文"
        ),
        field!(
            Cell,
            "应为",
            Text,
            |r| Val::text(r.cell.map(|c| c.expected)),
            needs = &[],
            "该列应有的类型"
        ),
        field!(
            Duplicate,
            "首次出现",
            Text,
            |r| r
                .duplicate
                .map_or(Val::Null, |(first, dup)| Val::Text(Cow::Owned(
                    if first.source == dup.source {
                        format!("本表第 {} 行", first.row)
                    } else {
                        r.ds.describe(*first)
                    },
                ))),
            needs = &[],
            "同一证件号码第一次出现的位置"
        ),
    ];
    // Vocabulary sets.
    v.push(Field {
        table: RuleTable::Household,
        name: "致贫风险",
        ty: Set(risks),
        get: |r| r.hh().map_or(Val::Null, |h| Val::Set(u32::from(h.risks.0))),
        needs: Vec::new(),
        needs_any: Vec::new(),
        lookup: None,
        personal: false,
        doc: "致贫/返贫风险1–3（多选）",
    });
    v.push(Field {
        table: RuleTable::Household,
        name: "帮扶措施",
        ty: Set(measures),
        get: |r| {
            r.hh()
                .map_or(Val::Null, |h| Val::Set(u32::from(h.assistance.0)))
        },
        needs: Vec::new(),
        needs_any: Vec::new(),
        lookup: None,
        personal: false,
        doc: "已落实的帮扶措施（帮扶措施列及各帮扶列，多选）",
    });
    // The text columns (民族, 住房面积…), as written; household rules read the row that
    // speaks for the household.
    for (k, col) in TEXT_COLS.iter().enumerate() {
        let Some(&get) = TEXT_GETTERS.get(k) else {
            break;
        };
        for table in [RuleTable::Person, RuleTable::Household] {
            if v.iter()
                .any(|f| f.table == table && f.name == col.canonical())
            {
                continue;
            }
            v.push(Field {
                table,
                name: col.canonical(),
                ty: Text,
                get,
                needs: vec![col.canonical()],
                needs_any: Vec::new(),
                lookup: None,
                personal: false,
                doc: "该列原文",
            });
        }
    }
    v
}
