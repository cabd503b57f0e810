//! 已外出务工信息 (work spells, EXPORTS.md §1.3) and 计划外出务工信息 (work plans, §1.4)
//! of the persons of covered households (脱贫户 and monitored households).
//!
//! Spells and plans are not stored: they are drawn on demand from a sub-stream of each
//! person, in a fixed order, from what the person is meant to do in the month the data were
//! generated for ([`DemoData::base_as_of`]): a person the generator means to be working has
//! exactly one spell covering that month (是否已务工 是, 结束时间 blank), in a county whose
//! class against the household's 县 is the destination of the person's 务工所在地; some also
//! worked before; some persons not working now worked earlier in the year; a few are
//! recorded with 是否已务工 否. Viewed at an earlier as-of date ([`DemoData::previous_month`])
//! the spells that had not begun are absent and those not yet ended have no end.
//!
//! Because the spells follow the person's typed [`Work`], the plants that change where a
//! person works (WK01, WK02) change the spells with it, and the manifest's destinations are
//! what gonggu counts from the spells.

use super::rng::Rng;
use super::{DemoCell, DemoData, DemoPerson, Post, Work, YearMonth};
use gonggu_core::model::{LaborSkill, WorkPlace};

/// Stream tags of this module.
const SPELLS: u64 = 20;
const PLANS: u64 = 21;

/// Header of `已外出务工信息` (row 3 of the XLSX, line 1 of the CSV): the columns of
/// EXPORTS.md §1.3, with 开始时间 in column M as the national system writes it.
pub const SPELL_HEADER: [&str; 17] = [
    "县",
    "乡",
    "行政村",
    "户编号",
    "证件号码",
    "户类型",
    "监测对象类别",
    "是否已务工",
    "务工所在县",
    "就业渠道",
    "务工企业名称",
    "所属行业",
    "开始时间",
    "结束时间",
    "务工月收入",
    "是否点对点输送",
    "年度交通费补助",
];

/// Column indexes of the spells.
#[allow(dead_code)]
pub(crate) mod scol {
    pub const COUNTY: usize = 0;
    pub const HOUSEHOLD_ID: usize = 3;
    pub const ID: usize = 4;
    pub const KIND: usize = 5;
    pub const CATEGORY: usize = 6;
    pub const WORKING: usize = 7;
    pub const PLACE: usize = 8;
    pub const START: usize = 12;
    pub const END: usize = 13;
    pub const WAGE: usize = 14;
}

/// Header of `计划外出务工信息` (EXPORTS.md §1.4).
pub const PLAN_HEADER: [&str; 9] = [
    "县",
    "乡",
    "行政村",
    "户编号",
    "证件号码",
    "户类型",
    "是否计划务工",
    "就业服务需求",
    "计划务工所在县",
];

/// 务工所在县 of the persons whose 务工所在地 is an address in 河南 outside the city: the
/// county of [`super::PROVINCE_ADDRESSES`] at the same index (开封's 鼓楼区 with its city:
/// four cities have one).
pub const PROVINCE_COUNTIES: [&str; 9] = [
    "金水区",
    "管城回族区",
    "涧西区",
    "开封市鼓楼区",
    "济源市",
    "红旗区",
    "禹州市",
    "卧龙区",
    "川汇区",
];

/// 务工所在县 of the persons whose 务工所在地 is an address outside 河南: the county of
/// [`super::OUT_ADDRESSES`] at the same index (a county of the region where the address
/// names only the region; 国外 abroad).
pub const OUT_COUNTIES: [&str; 14] = [
    "昆山市",
    "北仑区",
    "浦东新区",
    "龙岗区",
    "大兴区",
    "天山区",
    "昌吉市",
    "青秀区",
    "南京市鼓楼区",
    "义乌市",
    "晋江市",
    "滨海新区",
    "黄岛区",
    "国外",
];

/// Counties of 河南 outside the city, for workers whose 务工所在地 is a category word
/// (省内县外务工) and for earlier spells and plans.
pub const HENAN_COUNTIES: [&str; 10] = [
    "中牟县",
    "新郑市",
    "巩义市",
    "长垣市",
    "项城市",
    "郸城县",
    "鹿邑县",
    "兰考县",
    "杞县",
    "固始县",
];

/// Counties outside 河南, for workers whose 务工所在地 is a category word (省外务工) and for
/// earlier spells and plans.
pub const ELSEWHERE_COUNTIES: [&str; 12] = [
    "昆山市",
    "义乌市",
    "晋江市",
    "慈溪市",
    "江阴市",
    "常熟市",
    "张家港市",
    "宝安区",
    "萧山区",
    "余杭区",
    "南海区",
    "吴江区",
];

/// 务工所在县 of the planted WK02 persons (whose 务工所在地 nobody can place): bare names
/// several cities share, so that the spell cannot be placed either (务工去向不明).
pub const UNPLACED_COUNTIES: [&str; 4] = ["鼓楼区", "朝阳区", "市中区", "新华区"];

/// Trade names and trades of the synthetic employers (no real company is meant).
const TRADE_NAMES: [&str; 16] = [
    "宏达", "鑫源", "华兴", "恒泰", "瑞丰", "永兴", "金鼎", "天诚", "惠民", "润达", "新亚", "昌盛",
    "嘉禾", "盛隆", "广源", "立信",
];
const TRADES: [(&str, &str); 12] = [
    ("电子科技", "制造业"),
    ("服装", "制造业"),
    ("食品", "制造业"),
    ("建筑劳务", "建筑业"),
    ("物流", "交通运输、仓储和邮政业"),
    ("家具", "制造业"),
    ("机械制造", "制造业"),
    ("纺织", "制造业"),
    ("餐饮管理", "住宿和餐饮业"),
    ("物业管理", "房地产业"),
    ("汽车配件", "制造业"),
    ("商贸", "批发和零售业"),
];

/// One row of `已外出务工信息`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spell {
    /// 是否已务工.
    pub working: bool,
    /// The destination the generator means (never read back from the text).
    pub class: WorkPlace,
    /// 务工所在县 (blank for a 否 row).
    pub county: String,
    /// 开始时间 (none for a 否 row).
    pub start: Option<YearMonth>,
    /// 结束时间 (none while the spell goes on).
    pub end: Option<YearMonth>,
    /// 务工月收入 (元).
    pub wage: Option<u32>,
    /// 就业渠道.
    pub channel: &'static str,
    /// 务工企业名称 and 所属行业.
    pub employer: String,
    pub industry: &'static str,
    /// 是否点对点输送.
    pub point_to_point: bool,
    /// 年度交通费补助 (`None` = blank, `Some(0)` = "0": both mean none).
    pub transport: Option<u32>,
}

/// One row of `计划外出务工信息`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// 是否计划务工.
    pub planned: bool,
    /// 就业服务需求 (comma-joined, as multi-choice cells are).
    pub needs: String,
    /// 计划务工所在县 (blank unless planned).
    pub county: String,
}

impl DemoData {
    /// Whether the person's household is covered by the 务工 exports (脱贫户 or monitored)
    /// and the person is not a planted copy of someone else (ID02), who has no spells.
    pub(crate) fn has_spells(&self, person: &DemoPerson) -> bool {
        self.households
            .get(person.household)
            .is_some_and(|h| h.is_covered())
            && !self.no_spells.contains(&(person.household, person.member))
    }

    /// Where the person works in the month of the as-of date: the typed [`Work`], unless
    /// the person's spell had not begun yet (an earlier view, [`DemoData::previous_month`]).
    pub(crate) fn work_in_view(&self, person: &DemoPerson) -> Work {
        if person.work == Work::None || !self.has_spells(person) {
            return person.work;
        }
        if cover_start(self, person) > YearMonth::of(self.options.as_of).index() {
            Work::None
        } else {
            person.work
        }
    }

    /// Whether the person's covering spell (if the person works) begins in the month the
    /// data were generated for: such a person did not work a month earlier, so the planted
    /// work defects avoid them (they must stay in last month's data).
    pub(crate) fn starts_this_month(&self, person: &DemoPerson) -> bool {
        self.has_spells(person)
            && cover_start(self, person) >= YearMonth::of(self.base_as_of).index()
    }
}

/// Month index of the 16th birthday (nobody's spell begins before it).
fn sixteen(p: &DemoPerson) -> i64 {
    YearMonth::of(p.birth).index() + 16 * 12
}

/// The person's sub-stream; its first draw is the start of the covering spell.
fn spell_rng(data: &DemoData, p: &DemoPerson) -> Rng {
    Rng::derive(
        data.options.seed,
        &[SPELLS, p.household as u64, u64::from(p.member)],
    )
}

/// Offset (months before the base month) of the covering spell's start.
fn draw_offset(rng: &mut Rng) -> i64 {
    match rng.weighted(&[7, 45, 30, 18]) {
        0 => 0,
        1 => rng.range(1, 6),
        2 => rng.range(7, 18),
        _ => rng.range(19, 48),
    }
}

/// Month index at which the covering spell of the person (if working) begins.
fn cover_start(data: &DemoData, p: &DemoPerson) -> i64 {
    let base = YearMonth::of(data.base_as_of).index();
    let mut rng = spell_rng(data, p);
    (base - draw_offset(&mut rng)).max(sixteen(p)).min(base)
}

/// A county of the given class for a household of `county` (name), drawn from `rng`.
fn county_of_class(rng: &mut Rng, class: WorkPlace, county: &str) -> String {
    match class {
        WorkPlace::InCounty => county.to_string(),
        WorkPlace::InProvince => rng.pick(&HENAN_COUNTIES).to_string(),
        _ => rng.pick(&ELSEWHERE_COUNTIES).to_string(),
    }
}

/// 务工所在县 of the covering spell of a person working at `work`.
fn county_of_work(rng: &mut Rng, work: Work, county: &str) -> String {
    let list = |l: &[&str], i: u8| l.get(usize::from(i)).copied().unwrap_or("").to_string();
    match work {
        Work::CityAddress(i) => super::names::COUNTIES
            .get(usize::from(i))
            .map_or(String::new(), |c| c.name.to_string()),
        Work::ProvinceAddress(i) => list(&PROVINCE_COUNTIES, i),
        Work::OutAddress(i) => list(&OUT_COUNTIES, i),
        Work::Unplaced(i) => list(&UNPLACED_COUNTIES, i),
        other => county_of_class(rng, other.class(), county),
    }
}

/// A synthetic employer and its trade.
fn employer(rng: &mut Rng) -> (String, &'static str) {
    let (trade, industry) = rng.pick(&TRADES);
    (
        format!("{}{trade}有限公司", rng.pick(&TRADE_NAMES)),
        industry,
    )
}

/// 务工企业名称 and 所属行业 of the person's current work: the village committee for a
/// welfare post in the county, else a synthetic company.
pub(crate) fn current_employer(data: &DemoData, p: &DemoPerson) -> (String, &'static str) {
    let mut rng = Rng::derive(
        data.options.seed,
        &[SPELLS, p.household as u64, u64::from(p.member), 1],
    );
    if p.welfare_post != Post::None && !p.work.outside_county() {
        let village = data.region_path(p.household).2;
        return (
            format!("{}民委员会", village),
            "公共管理、社会保障和社会组织",
        );
    }
    employer(&mut rng)
}

/// A spell of work at `class` in `county` over the months `(start, end)` (indexes), with
/// its job (employer, trade, whether a welfare post); the channel and subsidies are drawn.
fn spell(
    rng: &mut Rng,
    class: WorkPlace,
    county: String,
    (start, end): (i64, Option<i64>),
    wage: Option<u32>,
    (employer, industry, post): (String, &'static str, bool),
) -> Spell {
    let outside = matches!(class, WorkPlace::InProvince | WorkPlace::OutProvince);
    let channel = if post && !outside {
        "公益性岗位"
    } else if outside {
        ["自主就业", "劳务输出", "企业招聘"][rng.weighted(&[65, 25, 10])]
    } else {
        ["自主就业", "帮扶车间"][rng.weighted(&[75, 25])]
    };
    let point_to_point = outside && rng.chance(0.12);
    let transport = if outside && rng.chance(0.35) {
        Some(rng.range(2, 10) as u32 * 100)
    } else if rng.chance(0.5) {
        Some(0)
    } else {
        None
    };
    Spell {
        working: true,
        class,
        county,
        start: Some(YearMonth::from_index(start)),
        end: end.map(YearMonth::from_index),
        wage,
        channel,
        employer,
        industry,
        point_to_point,
        transport,
    }
}

/// A random destination class (for earlier spells).
fn random_class(rng: &mut Rng) -> WorkPlace {
    [
        WorkPlace::InCounty,
        WorkPlace::InProvince,
        WorkPlace::OutProvince,
    ][rng.weighted(&[40, 25, 35])]
}

/// The spells of one person as the data's as-of date sees them, in order of 开始时间 (a 否
/// row alone). Empty for persons of households the 务工 exports do not cover.
pub(crate) fn person_spells(data: &DemoData, p: &DemoPerson) -> Vec<Spell> {
    if !data.has_spells(p) {
        return Vec::new();
    }
    let base = YearMonth::of(data.base_as_of).index();
    let view = YearMonth::of(data.options.as_of).index();
    let county = data.region_path(p.household).0;
    let mut rng = spell_rng(data, p);
    // The first draw: where the covering spell starts (see `cover_start`).
    let start = (base - draw_offset(&mut rng)).max(sixteen(p)).min(base);
    let age = p.age_on(data.base_as_of);
    let post = p.welfare_post != Post::None;
    let mut out = Vec::new();
    // Earlier spells end at least two months before the base month, so that they cover
    // neither it nor the month before.
    let earlier = |rng: &mut Rng, out: &mut Vec<Spell>, mut before: i64, count: usize| {
        for _ in 0..count {
            let end = before - rng.range(0, 3);
            let start = end - rng.range(2, 9) + 1;
            if start < sixteen(p) || start < base - 72 {
                break;
            }
            let class = random_class(rng);
            let county = county_of_class(rng, class, county);
            let wage = if p.monthly_wage > 0 {
                (p.monthly_wage * rng.range(80, 110) as u32 / 10_000).max(1) * 100
            } else {
                rng.range(20, 50) as u32 * 100
            };
            let (name, industry) = employer(rng);
            out.push(spell(
                rng,
                class,
                county,
                (start, Some(end)),
                Some(wage),
                (name, industry, false),
            ));
            before = start - 2;
        }
    };
    if p.work != Work::None {
        let count = [0, 1, 2, 3][rng.weighted(&[65, 22, 9, 4])];
        earlier(&mut rng, &mut out, start.min(base - 1) - 1, count);
        let place = county_of_work(&mut rng, p.work, county);
        let wage = (!rng.chance(0.04)).then_some(p.monthly_wage);
        let (name, industry) = current_employer(data, p);
        out.push(spell(
            &mut rng,
            p.work.class(),
            place,
            (start, None),
            wage,
            (name, industry, post),
        ));
    } else if p.labor.is_labor() && (16..=64).contains(&age) {
        if rng.chance(0.15) {
            let count = [1, 2][rng.weighted(&[75, 25])];
            let before = base - 2 - rng.range(0, 8);
            earlier(&mut rng, &mut out, before, count);
        } else if rng.chance(0.06) {
            out.push(Spell {
                working: false,
                class: WorkPlace::NotWorking,
                county: String::new(),
                start: None,
                end: None,
                wage: None,
                channel: "",
                employer: String::new(),
                industry: "",
                point_to_point: false,
                transport: None,
            });
        }
    }
    out.sort_by_key(|s| s.start.map(YearMonth::index));
    // An earlier view: what had not begun is absent, what had not ended has no end.
    out.retain(|s| s.start.is_none_or(|m| m.index() <= view));
    for s in &mut out {
        if s.end.is_some_and(|e| e.index() > view) {
            s.end = None;
        }
    }
    out
}

/// Whether a spell covers the month `month` (index): working, begun, not ended before.
pub(crate) fn covers(s: &Spell, month: i64) -> bool {
    s.working
        && s.start.is_some_and(|b| b.index() <= month)
        && s.end.is_none_or(|e| e.index() >= month)
}

/// The person's work plan, if the generator chose the person: covered, of labour age
/// (16–59), with labour, not in school and not working in the as-of month.
pub(crate) fn person_plan(data: &DemoData, p: &DemoPerson) -> Option<Plan> {
    if !data.has_spells(p) || data.work_in_view(p) != Work::None {
        return None;
    }
    let age = p.age_on(data.options.as_of);
    let labor = matches!(
        p.labor,
        LaborSkill::Ordinary | LaborSkill::Skilled | LaborSkill::Weak
    );
    if !labor || !(16..=59).contains(&age) || p.school.in_school() {
        return None;
    }
    let mut rng = Rng::derive(
        data.options.seed,
        &[PLANS, p.household as u64, u64::from(p.member)],
    );
    if !rng.chance(0.4) {
        return None;
    }
    let planned = rng.chance(if p.labor == LaborSkill::Weak {
        0.3
    } else {
        0.6
    });
    let mut needs: Vec<&str> = ["技能培训", "职业介绍", "岗位推荐", "创业服务"]
        .into_iter()
        .filter(|_| rng.chance(0.3))
        .collect();
    if planned && needs.is_empty() {
        needs.push("岗位推荐");
    }
    let county = if planned {
        let class = random_class(&mut rng);
        county_of_class(&mut rng, class, data.region_path(p.household).0)
    } else {
        String::new()
    };
    Some(Plan {
        planned,
        needs: needs.join(","),
        county,
    })
}

/// The cells a spell or plan row starts with: 县, 乡, 行政村, 户编号, 证件号码, 户类型 (and
/// 监测对象类别 for spells), as the roster writes them for the household.
fn person_cells(data: &DemoData, p: &DemoPerson, category: bool) -> Vec<DemoCell> {
    let (c, t, v) = data.region_path(p.household);
    let roster = |column: usize, typed: String| match data.roster_overrides.get(&(
        p.household,
        usize::MAX,
        column,
    )) {
        Some(cell) => cell.text(),
        None => typed,
    };
    let hh = data.households.get(p.household);
    let kind = roster(
        super::layout::col::KIND,
        hh.map_or(String::new(), |h| {
            super::rows::kind_label(h.kind).to_string()
        }),
    );
    let text = |s: String| {
        if s.is_empty() {
            DemoCell::Empty
        } else {
            DemoCell::Text(s)
        }
    };
    let mut out = vec![
        text(c.to_string()),
        text(t.to_string()),
        text(v.to_string()),
        text(data.household_id(p.household)),
        text(p.id_text().to_string()),
        text(kind),
    ];
    if category {
        let cat = roster(
            super::layout::col::CATEGORY,
            hh.and_then(|h| h.category).map_or(String::new(), |c| {
                super::rows::category_label(c).to_string()
            }),
        );
        out.push(text(cat));
    }
    out
}

/// `2021年03月`.
pub(crate) fn month_text(m: YearMonth) -> String {
    format!("{:04}年{:02}月", m.year, m.month)
}

/// Every row of the person's spells, as written.
pub(crate) fn spell_rows(data: &DemoData, p: &DemoPerson) -> Vec<Vec<DemoCell>> {
    let spells = person_spells(data, p);
    if spells.is_empty() {
        return Vec::new();
    }
    let head = person_cells(data, p, true);
    let text = |s: &str| {
        if s.is_empty() {
            DemoCell::Empty
        } else {
            DemoCell::Text(s.to_string())
        }
    };
    spells
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let mut row = head.clone();
            row.extend([
                text(super::rows::yes_no(s.working)),
                text(&s.county),
                text(s.channel),
                text(&s.employer),
                text(s.industry),
                s.start
                    .map_or(DemoCell::Empty, |m| DemoCell::Text(month_text(m))),
                s.end
                    .map_or(DemoCell::Empty, |m| DemoCell::Text(month_text(m))),
                s.wage
                    .map_or(DemoCell::Empty, |w| DemoCell::Text(w.to_string())),
                if s.working {
                    text(super::rows::yes_no(s.point_to_point))
                } else {
                    DemoCell::Empty
                },
                s.transport
                    .map_or(DemoCell::Empty, |t| DemoCell::Text(t.to_string())),
            ]);
            // Planted defects.
            let key = (p.household, p.member, k);
            for ((.., c), cell) in data
                .spell_overrides
                .range((key.0, key.1, key.2, 0)..=(key.0, key.1, key.2, usize::MAX))
            {
                if let Some(slot) = row.get_mut(*c) {
                    *slot = cell.clone();
                }
            }
            row
        })
        .collect()
}

/// The row of the person's plan, as written.
pub(crate) fn plan_row(data: &DemoData, p: &DemoPerson) -> Option<Vec<DemoCell>> {
    let plan = person_plan(data, p)?;
    let mut row = person_cells(data, p, false);
    let text = |s: &str| {
        if s.is_empty() {
            DemoCell::Empty
        } else {
            DemoCell::Text(s.to_string())
        }
    };
    row.extend([
        text(super::rows::yes_no(plan.planned)),
        text(&plan.needs),
        text(&plan.county),
    ]);
    Some(row)
}
