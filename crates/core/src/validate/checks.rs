//! The rule implementations: one pass over persons, one over households, then cells,
//! projects and loans.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Months};
use rust_decimal::Decimal;

use crate::model::{
    Assistance, Dataset, EliminationMethod, Health, HouseholdType, LaborSkill, MonitorCategory,
    Person, Risk, RowRef, SchoolStage, WorkPlace, WorkPlaceProblem,
};
use crate::region::RegionId;
use crate::text::age_on;

use super::idcard::{IdProblem, id_number_problem};
use super::{CheckParams, Finding};

macro_rules! codes {
    ($($c:ident),* $(,)?) => {
        /// The rules this module implements, in rule-list order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(super) enum Code { $($c),* }

        impl Code {
            pub(super) const ALL: &'static [Code] = &[$(Code::$c),*];

            pub(super) fn as_str(self) -> &'static str {
                match self { $(Code::$c => stringify!($c)),* }
            }

            pub(super) fn parse(text: &str) -> Option<Code> {
                match text { $(stringify!($c) => Some(Code::$c),)* _ => None }
            }
        }
    };
}

codes! {
    ID01, ID02, ID03, HH01, HH02, HH03, MN01, MN02, MN03, MN04, MN05, MN06, MN07, MN08, MN09,
    MN10, HS01, WK01, WK02, WK03, WK04, LB01, LB02, LB03, LB04, WP01, ED01, RK01, RK02, RK03, RK04, RK05,
    RK06, RK07, SB01, IN01, IN02, PH01, PH02, VL01, VL02, PJ01, PJ02, LN01, LN02,
}

const N: usize = Code::ALL.len();

/// Per-household facts gathered from its members in one pass.
#[derive(Clone, Copy)]
struct HhAgg {
    /// Person whose row the household attributes came from (else the head, else the first).
    rep: u32,
    rep_rank: u8,
    /// First member with a phone number.
    first_phone: u32,
    flags: u8,
}

const DISABLED_MEMBER: u8 = 1;
const SICK_MEMBER: u8 = 2;
const DIBAO_OR_TEKUN: u8 = 4;
const NONE: u32 = u32::MAX;

/// Where a row lies, for findings about cells and duplicate rows.
#[derive(Clone, Copy)]
struct Loc<'a> {
    region: Option<RegionId>,
    household: Option<&'a str>,
    person: Option<u32>,
}

pub(super) struct Checker<'a> {
    ds: &'a Dataset,
    p: &'a CheckParams,
    on: [bool; N],
    out: Vec<Finding>,
}

fn s<T: ToString>(col: &str, v: T) -> (String, String) {
    (col.to_string(), v.to_string())
}

fn money(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Whether a phone number is an 11-digit mobile number `1[3-9]` + 9 digits.
fn is_mobile(phone: &str) -> bool {
    let b = phone.as_bytes();
    b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b.first() == Some(&b'1')
        && b.get(1).is_some_and(|d| (b'3'..=b'9').contains(d))
}

impl<'a> Checker<'a> {
    pub(super) fn new(ds: &'a Dataset, p: &'a CheckParams, on: [bool; N]) -> Self {
        Checker {
            ds,
            p,
            on,
            out: Vec::new(),
        }
    }

    fn on(&self, c: Code) -> bool {
        self.on.get(c as usize).copied().unwrap_or(false)
    }

    pub(super) fn run(mut self) -> Vec<Finding> {
        let agg = self.household_aggregates();
        self.persons();
        self.households(&agg);
        self.cells();
        self.projects();
        self.loans();
        self.out
    }

    fn person_finding(
        &mut self,
        code: Code,
        p: &Person,
        message: String,
        values: Vec<(String, String)>,
    ) {
        let hh = self.ds.roster.households.get(p.household as usize);
        self.out.push(Finding {
            code: code.as_str(),
            at: p.at,
            region: hh.map(|h| h.village),
            household_id: hh.map(|h| h.id.to_string()),
            id_number: p.id.map(|i| i.as_str().to_string()),
            name: p.name.as_deref().map(str::to_string),
            phone: p.phone.as_deref().map(str::to_string),
            values,
            message,
        });
    }

    /// WK04: a covered person's 务工所在地 against the work spell covering the as-of month.
    fn work_against_spells(
        &mut self,
        p: &Person,
        current: &rustc_hash::FxHashMap<crate::model::IdNumber, u32>,
    ) {
        let ds = self.ds;
        let covered = ds
            .roster
            .households
            .get(p.household as usize)
            .is_some_and(|h| h.is_covered());
        let Some(id) = p.id.filter(|_| covered) else {
            return;
        };
        let spell = current
            .get(&id.person_key())
            .and_then(|&s| ds.work_spells.get(s as usize));
        let by_spell = spell.map_or(WorkPlace::NotWorking, |s| s.place);
        if p.work == by_spell || p.work == WorkPlace::Unknown || by_spell == WorkPlace::Unknown {
            return;
        }
        let written = ds.roster.work_place_of(p).map_or("", |w| &*w.text);
        let month = format!("{}年{}月", self.p.as_of.year(), self.p.as_of.month());
        let (spell_text, spell_says) = match spell {
            Some(s) => {
                let county = s
                    .place_entry
                    .and_then(|e| ds.spell_places.get(e as usize))
                    .map_or("", |e| &*e.text);
                (
                    format!("务工所在县「{county}」（{}）", ds.describe_short(s.at)),
                    format!("{month}在{county}务工（{}）", by_spell.label()),
                )
            }
            None => (
                format!("无覆盖{month}的务工记录"),
                format!("{month}没有在务工的记录"),
            ),
        };
        let roster_says = if written.is_empty() {
            "务工所在地为空（未务工）".to_string()
        } else {
            format!("务工所在地「{written}」为{}", p.work.label())
        };
        self.person_finding(
            Code::WK04,
            p,
            format!("{roster_says}，已外出务工信息却是{spell_says}"),
            vec![s("务工所在地", written), s("已外出务工信息", spell_text)],
        );
    }

    fn household_aggregates(&self) -> Vec<HhAgg> {
        let roster = &self.ds.roster;
        let mut agg = vec![
            HhAgg {
                rep: NONE,
                rep_rank: 0,
                first_phone: NONE,
                flags: 0,
            };
            roster.households.len()
        ];
        for (i, p) in roster.persons.iter().enumerate() {
            let (Some(a), Some(h)) = (
                agg.get_mut(p.household as usize),
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
            if rank > a.rep_rank {
                a.rep = i;
                a.rep_rank = rank;
            }
            if a.first_phone == NONE && p.phone.as_deref().is_some_and(|t| !t.trim().is_empty()) {
                a.first_phone = i;
            }
            match p.health {
                Some(Health::Disabled) => a.flags |= DISABLED_MEMBER,
                Some(Health::Chronic | Health::Serious) => a.flags |= SICK_MEMBER,
                _ => {}
            }
            if p.dibao == Some(crate::model::Dibao::Yes) || p.tekun == Some(true) {
                a.flags |= DIBAO_OR_TEKUN;
            }
        }
        agg
    }

    fn persons(&mut self) {
        let ds = self.ds;
        let as_of = self.p.as_of;
        let current = (self.on(Code::WK04) && ds.has(crate::model::TableKind::WorkSpells))
            .then(|| ds.current_spells(as_of));
        for p in &ds.roster.persons {
            let age = p.birth.map(|b| age_on(b, as_of));
            if self.on(Code::ID01) && !p.id_was_number {
                let problem = match p.id {
                    Some(id) => id_number_problem(id.as_str(), as_of),
                    None => Some(IdProblem::Empty),
                };
                if let Some(problem) = problem {
                    let msg = if p.id.is_none() {
                        "证件号码为空（或超过23位）".to_string()
                    } else {
                        problem.message()
                    };
                    self.person_finding(Code::ID01, p, msg, Vec::new());
                }
            }
            if self.on(Code::ID03) && p.id_was_number {
                self.person_finding(
                    Code::ID03,
                    p,
                    "证件号码被 Excel 存成了数字，后几位已丢失；请把该列设为文本格式后重新录入"
                        .into(),
                    Vec::new(),
                );
            }
            let work = ds.roster.work_place_of(p);
            let written = work.map_or("", |w| &*w.text);
            if self.on(Code::WK01)
                && p.welfare_post
                && matches!(p.work, WorkPlace::InProvince | WorkPlace::OutProvince)
            {
                let place = p.work.label();
                let msg = if written.starts_with(place) {
                    format!("务工所在地为{place}，同时在公益性岗位")
                } else {
                    format!("务工所在地「{written}」在{place}，同时在公益性岗位")
                };
                self.person_finding(
                    Code::WK01,
                    p,
                    msg,
                    vec![s("务工所在地", written), s("公益性岗位", "是")],
                );
            }
            if self.on(Code::WK02)
                && p.work == WorkPlace::Unknown
                && let Some(w) = work
            {
                // Addresses are not personal data: the value is shown as written.
                let mut values = vec![s("务工所在地", &w.text)];
                let problem = w.problem.clone().unwrap_or(WorkPlaceProblem::NotAPlace);
                if let WorkPlaceProblem::Ambiguous(c) = &problem {
                    values.push(s("可能的地区", c.join("、")));
                }
                self.person_finding(Code::WK02, p, problem.message(&w.text), values);
            }
            if self.on(Code::WK03)
                && let Some(w) = p.monthly_wage
                && (w < self.p.wage_min || w > self.p.wage_max)
                && (!w.is_zero() || p.work.is_working())
            {
                let msg = format!(
                    "务工月收入 {} 元，不在 {}–{} 元之间",
                    money(w),
                    money(self.p.wage_min),
                    money(self.p.wage_max)
                );
                self.person_finding(Code::WK03, p, msg, vec![s("务工月收入", money(w))]);
            }
            if let Some(current) = &current {
                self.work_against_spells(p, current);
            }
            if let (Some(age), Some(labor)) = (age, p.labor) {
                let labor_word = labor_label(labor);
                let in_school = p.school.is_some_and(SchoolStage::in_school);
                if self.on(Code::LB01) && age < 16 && labor != LaborSkill::NoLabor {
                    self.person_finding(
                        Code::LB01,
                        p,
                        format!("{age} 岁，劳动技能为{labor_word}（未满16周岁应为无劳动力）"),
                        vec![s("年龄", age), s("劳动技能", labor_word)],
                    );
                }
                if self.on(Code::LB02) && age >= 16 && in_school && labor != LaborSkill::NoLabor {
                    self.person_finding(
                        Code::LB02,
                        p,
                        format!("{age} 岁在校生，劳动技能为{labor_word}（在校生应为无劳动力）"),
                        vec![s("年龄", age), s("劳动技能", labor_word)],
                    );
                }
                if self.on(Code::LB03)
                    && age >= 60
                    && matches!(labor, LaborSkill::Ordinary | LaborSkill::Skilled)
                {
                    self.person_finding(
                        Code::LB03,
                        p,
                        format!("{age} 岁，劳动技能为{labor_word}"),
                        vec![s("年龄", age), s("劳动技能", labor_word)],
                    );
                }
                if self.on(Code::LB04)
                    && (16..60).contains(&age)
                    && p.health == Some(Health::Healthy)
                    && !in_school
                    && matches!(labor, LaborSkill::Weak | LaborSkill::NoLabor)
                {
                    self.person_finding(
                        Code::LB04,
                        p,
                        format!("{age} 岁、健康、非在校生，劳动技能却为{labor_word}"),
                        vec![
                            s("年龄", age),
                            s("健康状况", "健康"),
                            s("劳动技能", labor_word),
                        ],
                    );
                }
            }
            if self.on(Code::WP01)
                && p.welfare_post
                && let Some(age) = age
                && !(16..70).contains(&age)
            {
                self.person_finding(
                    Code::WP01,
                    p,
                    format!("{age} 岁，在公益性岗位（应为16–69周岁）"),
                    vec![s("年龄", age), s("公益性岗位", "是")],
                );
            }
            if self.on(Code::ED01)
                && let (Some(age), Some(stage)) = (age, p.school)
                && let Some((word, range)) = school_age_range(stage)
                && !range.contains(&age)
            {
                self.person_finding(
                    Code::ED01,
                    p,
                    format!(
                        "{age} 岁，在校生状况为{word}（应为{}）",
                        range_words(&range)
                    ),
                    vec![s("年龄", age), s("在校生状况", word)],
                );
            }
            if self.on(Code::IN01) && p.basic_medical == Some(false) {
                self.person_finding(
                    Code::IN01,
                    p,
                    "未参加城乡居民基本医疗保险".into(),
                    vec![s("是否参加城乡居民基本医疗保险", "否")],
                );
            }
            if self.on(Code::IN02) && p.serious_illness_insurance == Some(false) {
                self.person_finding(
                    Code::IN02,
                    p,
                    "未参加大病保险".into(),
                    vec![s("是否参加大病保险", "否")],
                );
            }
            if self.on(Code::VL02)
                && let Some(w) = p.monthly_wage
                && w.is_sign_negative()
                && !w.is_zero()
            {
                self.person_finding(
                    Code::VL02,
                    p,
                    format!("务工月收入为负数（{} 元）", money(w)),
                    vec![s("务工月收入", money(w))],
                );
            }
        }
        self.duplicate_ids();
    }

    fn duplicate_ids(&mut self) {
        if !self.on(Code::ID02) || self.ds.roster.duplicate_ids.is_empty() {
            return;
        }
        let ds = self.ds;
        let wanted: HashSet<RowRef> = ds.roster.duplicate_ids.iter().map(|(_, d)| *d).collect();
        let locs = self.locate(&wanted);
        for (first, dup) in &ds.roster.duplicate_ids {
            let person = locs
                .get(dup)
                .and_then(|l| l.person)
                .and_then(|i| ds.roster.persons.get(i as usize));
            // Duplicates are found within one table, so the row number is enough.
            let message = if first.source == dup.source {
                format!("证件号码与本表第 {} 行重复", first.row)
            } else {
                format!("证件号码与{}重复", ds.describe(*first))
            };
            match person {
                Some(p) => self.person_finding(Code::ID02, p, message, Vec::new()),
                None => self.out.push(Finding {
                    code: Code::ID02.as_str(),
                    at: *dup,
                    region: None,
                    household_id: None,
                    id_number: None,
                    name: None,
                    phone: None,
                    values: Vec::new(),
                    message,
                }),
            }
        }
    }

    /// Places the rows in `wanted`: one scan of persons, projects and loans.
    fn locate(&self, wanted: &HashSet<RowRef>) -> HashMap<RowRef, Loc<'a>> {
        let ds = self.ds;
        let mut map = HashMap::with_capacity(wanted.len());
        for (i, p) in ds.roster.persons.iter().enumerate() {
            if wanted.contains(&p.at) {
                let hh = ds.roster.households.get(p.household as usize);
                map.insert(
                    p.at,
                    Loc {
                        region: hh.map(|h| h.village),
                        household: hh.map(|h| &*h.id),
                        person: Some(i as u32),
                    },
                );
            }
        }
        for pj in &ds.projects {
            if wanted.contains(&pj.at) {
                map.insert(
                    pj.at,
                    Loc {
                        region: Some(pj.region),
                        household: None,
                        person: None,
                    },
                );
            }
        }
        for l in &ds.loans {
            if wanted.contains(&l.at) {
                map.insert(
                    l.at,
                    Loc {
                        region: Some(l.region),
                        household: Some(&*l.household_id),
                        person: None,
                    },
                );
            }
        }
        map
    }

    fn households(&mut self, agg: &[HhAgg]) {
        let ds = self.ds;
        let p = self.p;
        let line = p.monitoring_line;
        let mut phone_households: HashMap<&str, u32> = HashMap::new();
        let phone_of = |i: usize| -> Option<&'a str> {
            let a = agg.get(i)?;
            let person = |idx: u32| ds.roster.persons.get(idx as usize);
            let rep_phone = person(a.rep)
                .and_then(|p| p.phone.as_deref())
                .map(str::trim)
                .filter(|t| !t.is_empty());
            rep_phone.or_else(|| person(a.first_phone)?.phone.as_deref().map(str::trim))
        };
        if self.on(Code::PH02) {
            for i in 0..ds.roster.households.len() {
                if let Some(ph) = phone_of(i).filter(|ph| is_mobile(ph)) {
                    *phone_households.entry(ph).or_insert(0) += 1;
                }
            }
        }
        for (i, h) in ds.roster.households.iter().enumerate() {
            let a = agg.get(i).copied();
            let rep = a.and_then(|a| ds.roster.persons.get(a.rep as usize));
            let phone = phone_of(i);
            let flags = a.map_or(0, |a| a.flags);
            let mut push = |code: Code, message: String, values: Vec<(String, String)>| {
                self.out.push(Finding {
                    code: code.as_str(),
                    at: h.at,
                    region: Some(h.village),
                    household_id: Some(h.id.to_string()),
                    id_number: rep.and_then(|p| p.id).map(|id| id.as_str().to_string()),
                    name: rep.and_then(|p| p.name.as_deref()).map(str::to_string),
                    phone: phone.map(str::to_string),
                    values,
                    message,
                });
            };
            let on = |c: Code| self.on.get(c as usize).copied().unwrap_or(false);
            let monitored = h.is_monitored();

            if on(Code::HH01) && h.heads != 1 {
                let msg = if h.heads == 0 {
                    "该户没有户主".to_string()
                } else {
                    format!("该户有 {} 个户主", h.heads)
                };
                push(Code::HH01, msg, vec![s("户主人数", h.heads)]);
            }
            if on(Code::HH02)
                && let Some(n) = h.size_recorded
                && n != h.members
            {
                push(
                    Code::HH02,
                    format!("人数填 {n} 人，实有成员 {} 行", h.members),
                    vec![s("人数", n), s("成员行数", h.members)],
                );
            }
            if on(Code::HH03) && h.kind.is_none() {
                let (msg, v) = if h.kind_unrecognised {
                    ("户类型无法识别（应为脱贫户或一般农户）", "无法识别")
                } else {
                    ("户类型为空", "空")
                };
                push(Code::HH03, msg.into(), vec![s("户类型", v)]);
            }
            if on(Code::MN01) && h.category == Some(MonitorCategory::Other) {
                let text = h.category_text.as_deref().unwrap_or("");
                push(
                    Code::MN01,
                    format!(
                        "监测对象类别「{text}」不是脱贫不稳定户、边缘易致贫户、突发严重困难户之一"
                    ),
                    vec![s("监测对象类别", text)],
                );
            }
            if on(Code::MN02) && h.eliminated && h.eliminated_on.is_none() {
                push(
                    Code::MN02,
                    "风险已消除，但消除监测时间为空".into(),
                    vec![s("风险是否消除", "是"), s("消除监测时间", "空")],
                );
            }
            if let (Some(ident), Some(elim)) = (h.identified, h.eliminated_on) {
                let dates = || vec![s("识别监测时间", ident), s("消除监测时间", elim)];
                if on(Code::MN04) && elim < ident {
                    push(
                        Code::MN04,
                        format!("消除监测时间 {elim} 早于识别监测时间 {ident}"),
                        dates(),
                    );
                }
                let months = p.min_months_before_elimination;
                if on(Code::MN03)
                    && elim >= ident
                    && ident
                        .checked_add_months(Months::new(months))
                        .is_some_and(|earliest| elim < earliest)
                {
                    push(
                        Code::MN03,
                        format!("识别 {ident}，消除 {elim}，相隔不足 {months} 个月"),
                        dates(),
                    );
                }
            }
            if on(Code::MN05)
                && let Some(income) = h.income
                && income < line
                && !monitored
            {
                push(
                    Code::MN05,
                    format!(
                        "人均纯收入 {} 元，低于监测线 {} 元，但未纳入监测",
                        money(income),
                        money(line)
                    ),
                    vec![s("人均纯收入（元）", money(income))],
                );
            }
            if on(Code::MN06) && monitored && !h.has_assistance() {
                push(
                    Code::MN06,
                    "监测户的帮扶措施及各项帮扶列均为空".into(),
                    vec![s("监测对象类别", category_label(h.category))],
                );
            }
            if on(Code::MN07) && monitored && !h.has_risk1 {
                push(
                    Code::MN07,
                    "监测户的致贫/返贫风险1为空".into(),
                    vec![s("致贫/返贫风险1", "空")],
                );
            }
            if on(Code::MN08)
                && h.category == Some(MonitorCategory::Unstable)
                && h.kind != Some(HouseholdType::Tuopin)
            {
                let kind = match h.kind {
                    Some(HouseholdType::General) => "一般农户",
                    _ if h.kind_unrecognised => "无法识别",
                    _ => "空",
                };
                push(
                    Code::MN08,
                    format!("监测对象类别为脱贫不稳定户，户类型却为{kind}（按脱贫户统计）"),
                    vec![s("户类型", kind), s("监测对象类别", "脱贫不稳定户")],
                );
            }
            if on(Code::MN09)
                && h.elimination_method == Some(EliminationMethod::Assisted)
                && let Some(income) = h.income
                && income < line
            {
                push(
                    Code::MN09,
                    format!(
                        "帮扶消除，但人均纯收入 {} 元低于监测线 {} 元",
                        money(income),
                        money(line)
                    ),
                    vec![
                        s("风险消除方式", "帮扶消除"),
                        s("人均纯收入（元）", money(income)),
                    ],
                );
            }
            if on(Code::MN10)
                && let Some(ident) = h.identified
                && (ident.year(), ident.month()) > (p.as_of.year(), p.as_of.month())
            {
                push(
                    Code::MN10,
                    format!(
                        "识别监测时间 {}年{}月 晚于统计截止日期 {}",
                        ident.year(),
                        ident.month(),
                        crate::text::date_zh(p.as_of)
                    ),
                    vec![s(
                        "识别监测时间",
                        format!("{}年{}月", ident.year(), ident.month()),
                    )],
                );
            }
            if on(Code::HS01) && !monitored {
                let mut what = Vec::new();
                let mut values = Vec::new();
                if h.unsafe_housing == Some(true) {
                    what.push("是危房户");
                    values.push(s("是否危房户", "是"));
                }
                if h.safe_water == Some(false) {
                    what.push("未解决安全饮用水");
                    values.push(s("是否解决安全饮用水", "否"));
                }
                if !what.is_empty() {
                    push(
                        Code::HS01,
                        format!("{}，但未纳入监测", what.join("且")),
                        values,
                    );
                }
            }
            let risk_rules: [(Code, Risk, &[Assistance]); 5] = [
                (
                    Code::RK01,
                    Risk::Illness,
                    &[Assistance::Health, Assistance::Social],
                ),
                (
                    Code::RK02,
                    Risk::Schooling,
                    &[
                        Assistance::CompulsoryEducation,
                        Assistance::Education,
                        Assistance::Social,
                    ],
                ),
                (
                    Code::RK03,
                    Risk::Disability,
                    &[Assistance::SocialSecurity, Assistance::Social],
                ),
                (
                    Code::RK04,
                    Risk::Housing,
                    &[Assistance::Housing, Assistance::Relocation],
                ),
                (Code::RK05, Risk::Water, &[Assistance::Water]),
            ];
            for (code, risk, measures) in risk_rules {
                if on(code)
                    && h.risks.contains(risk)
                    && !measures.iter().any(|m| h.assistance.contains(*m))
                {
                    let names: Vec<&str> = measures.iter().map(|m| m.label()).collect();
                    push(
                        code,
                        format!("风险含{}，但{}均未落实", risk.label(), names.join("、")),
                        vec![s("致贫/返贫风险", risk.label())],
                    );
                }
            }
            if on(Code::RK06) && h.risks.contains(Risk::Disability) && flags & DISABLED_MEMBER == 0
            {
                push(
                    Code::RK06,
                    "风险含因残，但家庭成员健康状况均不是残疾".into(),
                    vec![s("致贫/返贫风险", "因残")],
                );
            }
            if on(Code::RK07) && h.risks.contains(Risk::Illness) && flags & SICK_MEMBER == 0 {
                push(
                    Code::RK07,
                    "风险含因病，但家庭成员健康状况均不是长期慢性病或患大病".into(),
                    vec![s("致贫/返贫风险", "因病")],
                );
            }
            if on(Code::SB01)
                && flags & DIBAO_OR_TEKUN != 0
                && !h.assistance.contains(Assistance::SocialSecurity)
            {
                push(
                    Code::SB01,
                    "有成员享受低保或特困供养，但综合保障未落实".into(),
                    vec![s("综合保障", "空")],
                );
            }
            if let Some(ph) = phone {
                if on(Code::PH01) && !is_mobile(ph) {
                    push(
                        Code::PH01,
                        format!(
                            "户联系电话为 {} 位，不是11位手机号（1[3-9]开头）",
                            ph.chars().count()
                        ),
                        Vec::new(),
                    );
                }
                if on(Code::PH02)
                    && let Some(&n) = phone_households.get(ph)
                    && n > 1
                {
                    push(
                        Code::PH02,
                        format!("该联系电话共有 {n} 户使用"),
                        vec![s("共用户数", n)],
                    );
                }
            }
            if on(Code::VL02)
                && let Some(income) = h.income
                && income.is_sign_negative()
                && !income.is_zero()
            {
                push(
                    Code::VL02,
                    format!("人均纯收入为负数（{} 元）", money(income)),
                    vec![s("人均纯收入（元）", money(income))],
                );
            }
        }
    }

    fn cells(&mut self) {
        if !self.on(Code::VL01) || self.ds.bad_values.is_empty() {
            return;
        }
        let ds = self.ds;
        let wanted: HashSet<RowRef> = ds
            .bad_values
            .iter()
            .map(|b| RowRef {
                source: b.source,
                row: b.row,
            })
            .collect();
        let locs = self.locate(&wanted);
        for b in &ds.bad_values {
            let at = RowRef {
                source: b.source,
                row: b.row,
            };
            let loc = locs.get(&at).copied();
            let person = loc
                .and_then(|l| l.person)
                .and_then(|i| ds.roster.persons.get(i as usize));
            self.out.push(Finding {
                code: Code::VL01.as_str(),
                at,
                region: loc.and_then(|l| l.region),
                household_id: loc.and_then(|l| l.household).map(str::to_string),
                id_number: person.and_then(|p| p.id).map(|id| id.as_str().to_string()),
                name: person.and_then(|p| p.name.as_deref()).map(str::to_string),
                phone: person.and_then(|p| p.phone.as_deref()).map(str::to_string),
                values: vec![s(&b.column, &b.value)],
                message: format!(
                    "「{}」的值「{}」不是有效的{}，已按缺失处理",
                    b.column, b.value, b.expected
                ),
            });
        }
    }

    fn projects(&mut self) {
        let ds = self.ds;
        for pj in &ds.projects {
            let mut push = |code: Code, message: String, mut values: Vec<(String, String)>| {
                values.insert(0, s("项目编号", &pj.id));
                self.out.push(Finding {
                    code: code.as_str(),
                    at: pj.at,
                    region: Some(pj.region),
                    household_id: None,
                    id_number: None,
                    name: None,
                    phone: None,
                    values,
                    message,
                });
            };
            let on = |c: Code| self.on.get(c as usize).copied().unwrap_or(false);
            let label = match &pj.name {
                Some(n) => format!("项目「{n}」"),
                None => format!("项目 {}", pj.id),
            };
            if on(Code::PJ01)
                && let (Some(funds), Some(spent)) = (pj.funds, pj.spent)
                && spent > funds
            {
                push(
                    Code::PJ01,
                    format!(
                        "{label}已支出 {} 万元，超过衔接资金 {} 万元",
                        money(spent),
                        money(funds)
                    ),
                    vec![
                        s("衔接资金（万元）", money(funds)),
                        s("已支出衔接资金（万元）", money(spent)),
                    ],
                );
            }
            if on(Code::PJ02)
                && let (Some(start), Some(end)) = (pj.started_on, pj.completed_on)
                && end < start
            {
                push(
                    Code::PJ02,
                    format!("{label}完工日期 {end} 早于开工日期 {start}"),
                    vec![s("开工日期", start), s("完工日期", end)],
                );
            }
            if on(Code::VL02) {
                for (col, v) in [
                    ("衔接资金（万元）", pj.funds),
                    ("已支出衔接资金（万元）", pj.spent),
                ] {
                    if let Some(v) = v
                        && v.is_sign_negative()
                        && !v.is_zero()
                    {
                        push(
                            Code::VL02,
                            format!("{label}的{col}为负数（{}）", money(v)),
                            vec![s(col, money(v))],
                        );
                    }
                }
            }
        }
    }

    fn loans(&mut self) {
        let ds = self.ds;
        let check_ln02 = self.on(Code::LN02);
        let households: HashSet<&str> = if check_ln02 {
            ds.roster.households.iter().map(|h| &*h.id).collect()
        } else {
            HashSet::new()
        };
        for l in &ds.loans {
            let mut push = |code: Code, message: String, values: Vec<(String, String)>| {
                self.out.push(Finding {
                    code: code.as_str(),
                    at: l.at,
                    region: Some(l.region),
                    household_id: Some(l.household_id.to_string()),
                    id_number: None,
                    name: None,
                    phone: None,
                    values,
                    message,
                });
            };
            let on = |c: Code| self.on.get(c as usize).copied().unwrap_or(false);
            if on(Code::LN01)
                && let (Some(amount), Some(balance)) = (l.amount, l.balance)
                && balance > amount
            {
                push(
                    Code::LN01,
                    format!(
                        "贷款余额 {} 元大于贷款金额 {} 元",
                        money(balance),
                        money(amount)
                    ),
                    vec![
                        s("贷款金额（元）", money(amount)),
                        s("贷款余额（元）", money(balance)),
                    ],
                );
            }
            if check_ln02 && !households.contains(&*l.household_id) {
                push(
                    Code::LN02,
                    format!("户编号 {} 在人员表中找不到", l.household_id),
                    vec![s("户编号", &l.household_id)],
                );
            }
            if on(Code::VL02) {
                for (col, v) in [("贷款金额（元）", l.amount), ("贷款余额（元）", l.balance)]
                {
                    if let Some(v) = v
                        && v.is_sign_negative()
                        && !v.is_zero()
                    {
                        push(
                            Code::VL02,
                            format!("{col}为负数（{}）", money(v)),
                            vec![s(col, money(v))],
                        );
                    }
                }
            }
        }
    }
}

fn labor_label(l: LaborSkill) -> &'static str {
    match l {
        LaborSkill::Ordinary => "普通劳动力",
        LaborSkill::Skilled => "技能劳动力",
        LaborSkill::Weak => "弱劳动力或半劳动力",
        LaborSkill::Lost => "丧失劳动力",
        LaborSkill::NoLabor => "无劳动力",
        LaborSkill::Other => "其他",
    }
}

fn category_label(c: Option<MonitorCategory>) -> &'static str {
    match c {
        Some(MonitorCategory::Unstable) => "脱贫不稳定户",
        Some(MonitorCategory::Marginal) => "边缘易致贫户",
        Some(MonitorCategory::Sudden) => "突发严重困难户",
        Some(MonitorCategory::Other) => "其他",
        None => "",
    }
}

/// The plausible ages of a school stage (ED01); `None` for stages without a rule.
fn school_age_range(stage: SchoolStage) -> Option<(&'static str, std::ops::RangeInclusive<i32>)> {
    Some(match stage {
        SchoolStage::PreschoolChild => ("学龄前儿童", 0..=6),
        SchoolStage::Preschool => ("学前教育", 0..=6),
        SchoolStage::Primary => ("小学", 6..=14),
        SchoolStage::Junior => ("初中", 12..=17),
        SchoolStage::Senior => ("高中", 15..=20),
        SchoolStage::Vocational => ("中职", 15..=20),
        SchoolStage::Higher => ("高职高专或本科", 18..=i32::MAX),
        SchoolStage::Graduate => ("硕士及以上", 20..=i32::MAX),
        SchoolStage::NotInSchool | SchoolStage::OtherInSchool => return None,
    })
}

fn range_words(r: &std::ops::RangeInclusive<i32>) -> String {
    match (*r.start(), *r.end()) {
        (0, hi) => format!("{}岁以下", hi + 1),
        (lo, i32::MAX) => format!("{lo}岁及以上"),
        (lo, hi) => format!("{lo}–{hi}岁"),
    }
}
