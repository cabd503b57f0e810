//! The columns of the national system's 监测对象信息 that no rule or measure of gonggu
//! reads, derived from the typed records so that they agree with them: the income parts
//! that add up to 人均纯收入, land and housing, the 户主's name and number, insurance,
//! political status, the 风险消除后 figures of eliminated households, and so on.
//!
//! Each household, person and village draws from its own sub-stream (seed, tag, index),
//! so these columns never change the rest of the data, and the same data render the same
//! cells whichever column is asked for first.

use chrono::Datelike;

use super::names::{FEMALE_CHARS, MALE_CHARS, SURNAMES, VILLAGE_SUFFIX};
use super::rng::Rng;
use super::{DemoData, DemoHousehold, DemoPerson, DibaoStatus, Post, Relation, YearMonth};
use gonggu_core::model::{Assistance, Health, HouseholdType};

/// Stream tags of this module (other modules use 1–9 and 20–22).
const HOUSEHOLD: u64 = 30;
const VILLAGE: u64 = 31;
const PERSON: u64 = 32;

/// Mobile prefixes of the synthetic phone numbers written here.
const PREFIXES: [u64; 12] = [134, 135, 136, 137, 138, 139, 150, 151, 152, 157, 158, 159];

/// Household-level columns of one household.
#[derive(Debug, Clone)]
pub(crate) struct HouseholdDetail {
    /// Position within the household of the first member written as 户主.
    pub head: Option<usize>,
    /// 自然村.
    pub natural_village: String,
    /// 首次识别时间 (脱贫户: when registered as poor; monitored 普通农户: 识别监测时间).
    pub first_identified: Option<YearMonth>,
    /// 生产经营性收入 (net, fen).
    pub production: i64,
    /// 生产经营性支出 (fen; only in the 风险消除后 columns).
    pub production_expense: i64,
    /// 财产性收入 (fen).
    pub property: i64,
    /// 转移性收入 (fen).
    pub transfer: i64,
    /// 合规自付支出 (fen).
    pub self_pay: i64,
    /// 特困人员救助供养金 (fen; part of 转移性收入).
    pub tekun_allowance: i64,
    /// 家庭纯收入 (fen): 人均纯收入 × members.
    pub total: i64,
    /// 耕地、林地、退耕还林、林果 面积 in tenths of a 亩.
    pub farmland: u32,
    pub forest: u32,
    pub returned_forest: u32,
    pub orchard: u32,
    /// 与村主干路距离 in tenths of a km.
    pub road_distance: u32,
    pub road_hardened: bool,
    /// 住房面积 (m²).
    pub house_area: u32,
    pub toilet: bool,
    pub toilet_usable: bool,
    /// 产业分类 (blank without 产业帮扶).
    pub industry_class: &'static str,
    /// 是否参加商业补充医疗保险 for the whole household (防贫保).
    pub insured: bool,
    /// 公益性岗位帮扶其他备注.
    pub post_remark: &'static str,
    /// 信息采集人 and 信息采集人联系电话 (the village's).
    pub collector: String,
    pub collector_phone: u64,
}

impl HouseholdDetail {
    /// The detail of household `h`.
    pub(crate) fn new(data: &DemoData, h: usize) -> HouseholdDetail {
        let seed = data.options.seed;
        let mut rng = Rng::derive(seed, &[HOUSEHOLD, h as u64]);
        let hh = data.households.get(h);
        let members: &[DemoPerson] = hh
            .and_then(|hh| data.persons.get(hh.person_range()))
            .unwrap_or(&[]);
        let n = members.len().max(1) as i64;
        let head = members.iter().position(|p| p.relation == Relation::Head);
        let village = hh.map_or(0, |hh| hh.village);
        let (collector, collector_phone) = collector(data, village);
        let mut d = HouseholdDetail {
            head,
            natural_village: natural_village(data, village, &mut rng),
            first_identified: None,
            production: 0,
            production_expense: 0,
            property: 0,
            transfer: 0,
            self_pay: 0,
            tekun_allowance: 0,
            total: 0,
            farmland: 0,
            forest: 0,
            returned_forest: 0,
            orchard: 0,
            road_distance: 0,
            road_hardened: true,
            house_area: 0,
            toilet: true,
            toilet_usable: true,
            industry_class: "",
            insured: false,
            post_remark: "",
            collector,
            collector_phone,
        };
        let Some(hh) = hh else { return d };
        d.first_identified = match (hh.kind, hh.identified) {
            (HouseholdType::Tuopin, _) => Some(YearMonth {
                year: rng.range(2014, 2018) as i32,
                month: [4, 10, 12][rng.weighted(&[20, 60, 20])],
            }),
            (_, identified) => identified,
        };

        // Income parts that add up to the household's net income (家庭纯收入 =
        // 工资性 + 生产经营性(净) + 财产性 + 转移性 − 合规自付支出).
        d.total = hh.income_fen * n;
        let ill = members
            .iter()
            .any(|p| matches!(p.health, Health::Serious | Health::Chronic));
        let elderly = members.iter().filter(|p| data.age(p) >= 60).count() as i64;
        d.self_pay = if ill {
            rng.range(800, 6000)
        } else {
            rng.range(0, 600)
        } * 100;
        let mut transfer = elderly * 1_236 + rng.range(100, 800);
        if hh.tekun {
            d.tekun_allowance = rng.range(70, 90) * 10_000;
        }
        if hh.dibao != DibaoStatus::None {
            transfer += n * rng.range(2_400, 3_600);
        }
        let mut transfer = transfer * 100 + d.tekun_allowance;
        let property = if rng.chance(0.2) {
            rng.range(1, 12) * 10_000
        } else {
            0
        };
        let mut available = d.total - hh.wage_income * 100 + d.self_pay;
        if available < 0 {
            // A planted income below the wages: medical costs explain it.
            d.self_pay -= available;
            available = 0;
        }
        transfer = transfer.min(available);
        d.tekun_allowance = d.tekun_allowance.min(transfer);
        d.transfer = transfer;
        d.property = property.min(available - transfer);
        d.production = available - d.transfer - d.property;
        // Whole 元: the expense is a share of the gross production income.
        d.production_expense = d.production * rng.range(15, 40) / 10_000 * 100;

        // Land and housing of a 商丘 village: about 1.3 亩 of farmland a person.
        d.farmland = (n as u32) * rng.range(9, 18) as u32;
        d.forest = if rng.chance(0.08) {
            rng.range(2, 20) as u32
        } else {
            0
        };
        d.returned_forest = if rng.chance(0.03) {
            rng.range(5, 15) as u32
        } else {
            0
        };
        d.orchard = if rng.chance(0.1) {
            rng.range(3, 25) as u32
        } else {
            0
        };
        d.road_distance = rng.range(0, 15) as u32;
        d.road_hardened = rng.chance(0.96);
        d.house_area = (60 + 20 * n + rng.range(0, 60)) as u32;
        d.toilet = rng.chance(0.93);
        d.toilet_usable = d.toilet && rng.chance(0.97);
        d.industry_class = if hh.assistance.contains(Assistance::Industry) {
            ["种植业", "养殖业", "农产品加工业", "光伏产业"][rng.weighted(&[50, 30, 12, 8])]
        } else {
            ""
        };
        d.insured = hh.is_covered() && rng.chance(0.35);
        d.post_remark = if hh.assistance.contains(Assistance::WelfarePost) {
            ["保洁员", "护林员", "河道巡查员", "公共设施管护员"][rng.weighted(&[55, 20, 15, 10])]
        } else {
            ""
        };
        d
    }

    /// 整户无劳动能力兜底保障户: no member has labour and the household is under 低保 or
    /// 特困供养.
    pub(crate) fn no_labor_safety_net(data: &DemoData, hh: &DemoHousehold) -> bool {
        let members = data.persons.get(hh.person_range()).unwrap_or(&[]);
        safety_net(hh) && !members.iter().any(|p| p.labor.is_labor())
    }
}

/// 是否兜底保障户: under 低保 or 特困供养.
pub(crate) fn safety_net(hh: &DemoHousehold) -> bool {
    hh.dibao != DibaoStatus::None || hh.tekun
}

/// 自然村 of a household: one of the village's one to four natural villages.
fn natural_village(data: &DemoData, village: usize, rng: &mut Rng) -> String {
    let mut v = Rng::derive(data.options.seed, &[VILLAGE, village as u64, 1]);
    let count = v.range(1, 4) as usize;
    let w: Vec<u32> = SURNAMES.iter().map(|s| s.1).collect();
    let names: Vec<String> = (0..count)
        .map(|_| {
            let s = SURNAMES.get(v.weighted(&w)).map_or("王", |s| s.0);
            format!("{s}{}", v.pick(&VILLAGE_SUFFIX))
        })
        .collect();
    names
        .get(rng.below(count as u64) as usize)
        .cloned()
        .unwrap_or_default()
}

/// 信息采集人 of a village (a synthetic name) and their phone.
fn collector(data: &DemoData, village: usize) -> (String, u64) {
    let mut v = Rng::derive(data.options.seed, &[VILLAGE, village as u64, 2]);
    let w: Vec<u32> = SURNAMES.iter().map(|s| s.1).collect();
    let surname = SURNAMES.get(v.weighted(&w)).map_or("王", |s| s.0);
    let male = v.chance(0.6);
    let table: &[&str] = if male { &MALE_CHARS } else { &FEMALE_CHARS };
    let name = format!("{surname}{}{}", v.pick(table), v.pick(table));
    let phone = v.pick(&PREFIXES) * 100_000_000 + v.below(100_000_000);
    (name, phone)
}

/// A sub-stream of one person for one column.
pub(crate) fn person_rng(data: &DemoData, p: &DemoPerson, column: u64) -> Rng {
    Rng::derive(
        data.options.seed,
        &[PERSON, p.household as u64, u64::from(p.member), column],
    )
}

/// 政治面貌.
pub(crate) fn politics(data: &DemoData, p: &DemoPerson) -> &'static str {
    let mut rng = person_rng(data, p, 1);
    let age = data.age(p);
    let r = rng.below(1000);
    if age >= 18 && r < 60 {
        "中共党员"
    } else if age >= 18 && r < 63 {
        "中共预备党员"
    } else if (14..=28).contains(&age) && r < 300 {
        "共青团员"
    } else {
        "群众"
    }
}

/// 家庭成员联系电话: the 户主's is the household's; most adults of working age have their
/// own; children and many elderly have none.
pub(crate) fn member_phone(data: &DemoData, hh: &DemoHousehold, p: &DemoPerson) -> Option<u64> {
    if p.relation == Relation::Head {
        return Some(hh.phone);
    }
    let mut rng = person_rng(data, p, 2);
    let age = data.age(p);
    let has = match age {
        0..=15 => false,
        16..=65 => rng.chance(0.75),
        _ => rng.chance(0.2),
    };
    has.then(|| rng.pick(&PREFIXES) * 100_000_000 + rng.below(100_000_000))
}

/// 是否会讲普通话.
pub(crate) fn mandarin(data: &DemoData, p: &DemoPerson) -> bool {
    let age = data.age(p);
    age < 3 || age < 70 || person_rng(data, p, 3).chance(0.6)
}

/// 残疾类别 and 残疾证办证年度 of a disabled person.
pub(crate) fn disability(data: &DemoData, p: &DemoPerson) -> Option<(&'static str, i32)> {
    if p.health != Health::Disabled {
        return None;
    }
    let mut rng = person_rng(data, p, 4);
    let kind = [
        "肢体残疾",
        "视力残疾",
        "听力残疾",
        "言语残疾",
        "智力残疾",
        "精神残疾",
        "多重残疾",
    ][rng.weighted(&[45, 15, 12, 4, 10, 8, 6])];
    let last = data.base_as_of.year() - 1;
    let first = (p.birth.year() + 1).clamp(2010, last);
    Some((kind, rng.range(i64::from(first), i64::from(last)) as i32))
}

/// 是否接受医疗救助 / 是否接受大病医疗救助 / 是否接受其他健康扶贫.
pub(crate) fn health_aid(hh: &DemoHousehold, p: &DemoPerson) -> (bool, bool, bool) {
    let assisted = hh.is_covered();
    let medical = assisted
        && (p.health == Health::Serious
            || (p.health == Health::Chronic && (hh.is_monitored() || safety_net(hh))));
    let serious = assisted && p.health == Health::Serious;
    let other = assisted && p.health != Health::Healthy;
    (medical, serious, other)
}

/// 公益性岗位(月数) of a post holder.
pub(crate) fn post_months(data: &DemoData, p: &DemoPerson) -> Option<u32> {
    (p.welfare_post != Post::None)
        .then(|| [12, 12, 12, 10, 9, 6][person_rng(data, p, 5).below(6) as usize])
}
