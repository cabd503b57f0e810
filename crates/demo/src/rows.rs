//! Rendering records into the cells that are written: the single place that decides how
//! every column looks, used by the writers, the manifest and the audit alike.

use super::detail::{self, HouseholdDetail};
use super::work;
use super::{
    DemoCell, DemoData, DemoHousehold, DemoPerson, DibaoStatus, Post, Relation, Work, YearMonth,
};
use gonggu_core::model::{
    Assistance, EliminationMethod, Health, HouseholdType, LaborSkill, LoanStatus, MonitorCategory,
    ProjectStatus, ProjectType, Sex,
};

pub(crate) use super::layout::{Field, LAYOUT, ROSTER_HEADER, col};

/// Header of `衔接资金项目.xlsx` (row 2).
pub const PROJECT_HEADER: [&str; 12] = [
    "项目编号",
    "项目名称",
    "县(市、区、旗)",
    "乡(镇)",
    "项目类型",
    "项目年度",
    "是否纳入年度实施计划",
    "衔接资金（万元）",
    "已支出衔接资金（万元）",
    "开工日期",
    "完工日期",
    "项目状态",
];

/// Column indexes of the project ledger.
#[allow(dead_code)]
pub(crate) mod pcol {
    pub const ID: usize = 0;
    pub const YEAR: usize = 5;
    pub const PLANNED: usize = 6;
    pub const FUNDS: usize = 7;
    pub const SPENT: usize = 8;
    pub const STARTED: usize = 9;
    pub const COMPLETED: usize = 10;
    pub const STATUS: usize = 11;
}

/// Header of `小额信贷.xlsx` (row 2).
pub const LOAN_HEADER: [&str; 8] = [
    "户编号",
    "县(市、区、旗)",
    "乡(镇)",
    "放款日期",
    "到期日期",
    "贷款金额（元）",
    "贷款余额（元）",
    "贷款状态",
];

/// Column indexes of the loan ledger.
#[allow(dead_code)]
pub(crate) mod lcol {
    pub const HOUSEHOLD_ID: usize = 0;
    pub const ISSUED: usize = 3;
    pub const DUE: usize = 4;
    pub const AMOUNT: usize = 5;
    pub const BALANCE: usize = 6;
    pub const STATUS: usize = 7;
}

/// Header of `目标.xlsx` (row 1).
pub const TARGET_HEADER: [&str; 2] = ["县(市、区)", "务工就业目标人数"];

/// A number as text, the way Excel's General format shows it: integers in full up to 15
/// digits, larger ones as `4.11426E+17`.
pub(crate) fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else if v.abs() >= 1e15 {
        let exp = v.abs().log10().floor() as i32;
        let mantissa = v / 10f64.powi(exp);
        let m = format!("{mantissa:.5}");
        let m = m.trim_end_matches('0').trim_end_matches('.');
        format!("{m}E+{exp}")
    } else {
        format!("{v}")
    }
}

pub(crate) fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

pub(crate) fn kind_label(k: HouseholdType) -> &'static str {
    match k {
        HouseholdType::Tuopin => "脱贫户",
        HouseholdType::General => "普通农户",
    }
}

pub(crate) fn category_label(c: MonitorCategory) -> &'static str {
    match c {
        MonitorCategory::Unstable => "脱贫不稳定户",
        MonitorCategory::Marginal => "边缘易致贫户",
        MonitorCategory::Sudden => "突发严重困难户",
        MonitorCategory::Other => "其他",
    }
}

pub(crate) fn health_label(h: Health) -> &'static str {
    match h {
        Health::Healthy | Health::Other => "健康",
        Health::Disabled => "残疾",
        // EXPORTS.md §2 confirms only 健康, 残疾, 长期慢性病; the serious-illness value is
        // unconfirmed, so serious illness is written as a long-term illness (RK07 accepts
        // either).
        Health::Chronic | Health::Serious => "长期慢性病",
    }
}

pub(crate) fn labor_label(l: LaborSkill) -> &'static str {
    match l {
        LaborSkill::Ordinary => "普通劳动力",
        LaborSkill::Skilled => "技能劳动力",
        LaborSkill::Weak => "弱劳动力或半劳动力",
        LaborSkill::Lost => "丧失劳动力",
        LaborSkill::NoLabor | LaborSkill::Other => "无劳动力",
    }
}

pub(crate) fn method_label(m: EliminationMethod) -> &'static str {
    match m {
        EliminationMethod::Assisted => "帮扶消除",
        EliminationMethod::Natural | EliminationMethod::Other => "自然消除",
    }
}

pub(crate) fn project_type_label(t: ProjectType) -> &'static str {
    match t {
        ProjectType::Industry => "产业发展",
        ProjectType::Infrastructure => "基础设施",
        ProjectType::Employment => "就业帮扶",
        ProjectType::RuralConstruction => "乡村建设",
        ProjectType::Other => "其他",
    }
}

pub(crate) fn project_status_label(s: ProjectStatus) -> &'static str {
    match s {
        ProjectStatus::NotStarted => "未开工",
        ProjectStatus::Started => "已开工",
        ProjectStatus::Completed => "已完工",
    }
}

pub(crate) fn loan_status_label(s: LoanStatus) -> &'static str {
    match s {
        LoanStatus::Normal => "正常",
        LoanStatus::Overdue => "逾期",
        LoanStatus::Extended => "展期",
        LoanStatus::Renewed => "续贷",
        LoanStatus::Settled => "已结清",
    }
}

/// Content text of a measure when not written as `是` (就业帮扶 and 综合保障 depend on the
/// household: [`measure_text`]).
pub(crate) fn measure_content(m: Assistance) -> &'static str {
    match m {
        Assistance::Industry => "产业奖补",
        Assistance::Employment => "技能培训",
        Assistance::WelfarePost => "公益性岗位安置",
        Assistance::Health => "城乡居民基本医疗保险个人缴费补贴",
        Assistance::Education => "助学补助",
        Assistance::CompulsoryEducation => "两免一补",
        Assistance::Housing => "危房改造",
        Assistance::Water => "饮水工程",
        Assistance::SocialSecurity => "纳入低保或特困供养",
        Assistance::Social => "社会救助",
        Assistance::Finance => "小额信贷",
        Assistance::Relocation => "易地搬迁",
        Assistance::LivingConditions => "改厨改厕",
        Assistance::Infrastructure => "道路硬化",
    }
}

/// Money in 1/100 units as `12.34` (or `12` without cents when `drop_zero_cents`).
pub(crate) fn hundredths(v: i64, drop_zero_cents: bool) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    if drop_zero_cents && a.is_multiple_of(100) {
        format!("{sign}{}", a / 100)
    } else {
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }
}

/// Everything the cells of one household's rows are rendered from.
struct Ctx<'a> {
    data: &'a DemoData,
    h: usize,
    hh: &'a DemoHousehold,
    members: &'a [DemoPerson],
    detail: &'a HouseholdDetail,
    hid: &'a str,
}

fn flag(f: Option<bool>, out: &mut String) {
    if let Some(b) = f {
        out.push_str(yes_no(b));
    }
}

fn month(m: Option<YearMonth>, out: &mut String) {
    use std::fmt::Write as _;
    if let Some(m) = m {
        let _ = write!(out, "{:04}{:02}", m.year, m.month);
    }
}

/// Tenths as a decimal (`13` → `1.3`, `20` → `2`).
fn tenths(v: u32) -> String {
    if v.is_multiple_of(10) {
        format!("{}", v / 10)
    } else {
        format!("{}.{}", v / 10, v % 10)
    }
}

/// The cell of a measure column: blank unless in place; else its content or `是`. 综合保障
/// names the benefit (特困供养, 低保, 残疾人补贴) and 就业帮扶 the subsidy a household with a
/// worker outside the county gets (外出务工补贴), as the national system writes them.
fn measure_cell(cx: &Ctx<'_>, m: Assistance) -> &'static str {
    let hh = cx.hh;
    if !hh.assistance.contains(m) {
        return "";
    }
    match m {
        Assistance::SocialSecurity => {
            if hh.tekun {
                "特困供养"
            } else if hh.dibao != DibaoStatus::None {
                "低保"
            } else if cx.members.iter().any(|p| p.health == Health::Disabled) {
                "残疾人补贴"
            } else {
                "临时救助"
            }
        }
        Assistance::Employment if hh.measure_text.contains(m) => {
            let outside = cx
                .members
                .iter()
                .any(|p| cx.data.work_in_view(p).outside_county());
            if outside {
                "外出务工补贴"
            } else {
                "技能培训"
            }
        }
        m if hh.measure_text.contains(m) => measure_content(m),
        _ => "是",
    }
}

/// The 13 风险消除后 cells (FI–FU) of an eliminated household.
fn after_elimination(cx: &Ctx<'_>, i: u8, out: &mut String) {
    let d = cx.detail;
    let money = |v: i64, out: &mut String| out.push_str(&hundredths(v, true));
    match i {
        0 | 1 | 3 => out.push('否'),
        2 => out.push_str(yes_no(uninsured(cx))),
        4 => money(cx.hh.wage_income * 100, out),
        5 => money(d.property, out),
        6 => money(d.transfer, out),
        7 => money(d.production + d.production_expense, out),
        8 => money(d.production_expense, out),
        9 => money(d.total, out),
        10 => money(cx.hh.income_fen, out),
        11 => out.push('0'),
        _ => money(d.self_pay, out),
    }
}

/// 是否有家庭成员未参加城乡居民（职工）基本医疗保险.
fn uninsured(cx: &Ctx<'_>) -> bool {
    cx.members.iter().any(|p| p.basic_medical == Some(false))
}

/// Appends the text of one roster column of member `p` (row `person` of the roster) to
/// `out`; blank cells append nothing.
#[allow(clippy::too_many_lines)]
fn push_text(cx: &Ctx<'_>, p: &DemoPerson, person: usize, field: Field, out: &mut String) {
    use std::fmt::Write as _;
    let (data, hh, d) = (cx.data, cx.hh, cx.detail);
    let age = data.age(p);
    let working = || data.work_in_view(p);
    // Writing to a String cannot fail.
    match field {
        Field::Blank | Field::OutOfSchool => {}
        Field::Serial => {
            let _ = write!(out, "{}", person + 1);
        }
        Field::County => out.push_str(data.region_path(p.household).0),
        Field::Town => out.push_str(data.region_path(p.household).1),
        Field::Village => out.push_str(data.region_path(p.household).2),
        Field::HouseholdId => out.push_str(cx.hid),
        Field::NaturalVillage => out.push_str(&d.natural_village),
        Field::Kind => out.push_str(kind_label(hh.kind)),
        Field::HeadName => {
            if let Some(head) = d.head.and_then(|i| cx.members.get(i)) {
                out.push_str(&head.name());
            }
        }
        Field::HeadId => {
            if let Some((i, head)) = d.head.and_then(|i| Some((i, cx.members.get(i)?))) {
                // The 户主's number as the roster writes it (a planted wrong one too).
                match data.roster_overrides.get(&(cx.h, i, col::ID)) {
                    Some(DemoCell::Text(s)) => out.push_str(s),
                    _ => out.push_str(head.id_text()),
                }
            }
        }
        Field::Phone => {
            let _ = write!(out, "{}", hh.phone);
        }
        Field::Standard => {
            if hh.kind == HouseholdType::Tuopin {
                out.push_str("国家标准");
            }
        }
        Field::FirstIdentified => month(d.first_identified, out),
        Field::Category => out.push_str(hh.category.map_or("", category_label)),
        Field::PersonId => {
            let _ = write!(out, "{}{:02}", cx.hid, p.member);
        }
        Field::Name => out.push_str(&p.name()),
        Field::IdKind => out.push_str("居民身份证"),
        Field::Id => out.push_str(p.id_text()),
        Field::Sex => out.push_str(match p.sex {
            Sex::Male => "1",
            Sex::Female => "2",
        }),
        Field::Birth => {
            let _ = write!(out, "{}", p.birth.format("%Y%m%d"));
        }
        Field::Relation => out.push_str(p.relation.label()),
        Field::Ethnicity => out.push_str(if p.hui { "回族" } else { "汉族" }),
        Field::Politics => out.push_str(detail::politics(data, p)),
        Field::MemberPhone => {
            if let Some(phone) = detail::member_phone(data, hh, p) {
                let _ = write!(out, "{phone}");
            }
        }
        Field::PersonIdentified => {
            if hh.is_monitored() {
                month(hh.identified, out);
            } else if hh.kind == HouseholdType::Tuopin {
                month(d.first_identified, out);
            }
        }
        Field::Mandarin => out.push_str(yes_no(detail::mandarin(data, p))),
        Field::Education => out.push_str(p.education.label()),
        Field::School => out.push_str(&p.school.label()),
        Field::Labor => out.push_str(labor_label(p.labor)),
        Field::Health => out.push_str(health_label(p.health)),
        Field::DisabilityKind => {
            if let Some((kind, _)) = detail::disability(data, p) {
                out.push_str(kind);
            }
        }
        Field::DisabilityYear => {
            if let Some((_, year)) = detail::disability(data, p) {
                let _ = write!(out, "{year}");
            }
        }
        Field::Work => {
            let (county, town, _) = data.region_path(p.household);
            out.push_str(&working().text(county, town));
        }
        Field::Dibao => out.push_str(hh.dibao.label()),
        Field::Employer => {
            if working() != Work::None {
                out.push_str(&work::current_employer(data, p).0);
            }
        }
        Field::WorkMonths => {
            if working() != Work::None && p.work_months > 0 {
                let _ = write!(out, "{}", p.work_months);
            }
        }
        Field::Abroad => {
            let w = working();
            if w != Work::None {
                let abroad = matches!(w, Work::OutAddress(i)
                    if super::OUT_ADDRESSES.get(usize::from(i)) == Some(&"国外"));
                out.push_str(yes_no(abroad));
            }
        }
        Field::RelocationChannel => {
            let w = working();
            if w != Work::None && hh.assistance.contains(Assistance::Relocation) {
                out.push_str(if w.outside_county() {
                    "劳务输出"
                } else {
                    "帮扶车间"
                });
            }
        }
        Field::Post => out.push_str(p.welfare_post.label()),
        Field::PostMonths => {
            if let Some(m) = detail::post_months(data, p) {
                let _ = write!(out, "{m}");
            }
        }
        Field::Medical => flag(p.basic_medical, out),
        Field::WorkerMedical => out.push('否'),
        Field::Serious => flag(p.serious_illness_insurance, out),
        Field::CommercialInsurance => out.push_str(yes_no(d.insured)),
        Field::Pension => {
            if age >= 16 {
                out.push_str(yes_no(!p.school.in_school()));
            }
        }
        Field::WorkerPension => {
            if age >= 16 {
                out.push('否');
            }
        }
        Field::Tekun => out.push_str(if hh.tekun {
            "农村特困"
        } else {
            "不享受"
        }),
        Field::MedicalAid => out.push_str(yes_no(detail::health_aid(hh, p).0)),
        Field::SeriousAid => out.push_str(yes_no(detail::health_aid(hh, p).1)),
        Field::OtherHealthAid => out.push_str(yes_no(detail::health_aid(hh, p).2)),
        Field::Income => out.push_str(&hundredths(hh.income_fen, true)),
        Field::WageIncome => {
            let _ = write!(out, "{}", hh.wage_income);
        }
        Field::Production => out.push_str(&hundredths(d.production, true)),
        Field::Property => out.push_str(&hundredths(d.property, true)),
        Field::Transfer => out.push_str(&hundredths(d.transfer, true)),
        Field::SelfPay => out.push_str(&hundredths(d.self_pay, true)),
        Field::TekunAllowance => out.push_str(&hundredths(d.tekun_allowance, true)),
        Field::SafetyNet => out.push_str(yes_no(detail::safety_net(hh))),
        Field::Farmland => out.push_str(&tenths(d.farmland)),
        Field::Forest => out.push_str(&tenths(d.forest)),
        Field::ReturnedForest => out.push_str(&tenths(d.returned_forest)),
        Field::Orchard => out.push_str(&tenths(d.orchard)),
        Field::Grassland | Field::WaterSurface => out.push('0'),
        Field::IndustryClass => out.push_str(d.industry_class),
        Field::RoadDistance => out.push_str(&tenths(d.road_distance)),
        Field::RoadHardened => out.push_str(yes_no(d.road_hardened)),
        Field::HouseArea => {
            let _ = write!(out, "{}", d.house_area);
        }
        Field::UnsafeHousing => out.push_str(yes_no(hh.unsafe_housing)),
        Field::SafeWater => out.push_str(yes_no(hh.safe_water)),
        Field::Electricity => out.push('是'),
        Field::NoLaborSafetyNet => {
            out.push_str(yes_no(HouseholdDetail::no_labor_safety_net(data, hh)));
        }
        Field::Toilet => out.push_str(yes_no(d.toilet)),
        Field::ToiletUsable => {
            if d.toilet {
                out.push_str(yes_no(d.toilet_usable));
            }
        }
        Field::Dropout => out.push('否'),
        Field::Uninsured => out.push_str(yes_no(uninsured(cx))),
        Field::Risk(i) => {
            let risk = match i {
                0 => hh.risk1,
                1 => hh.risk2,
                _ => None,
            };
            out.push_str(risk.map_or("", |r| r.label()));
        }
        Field::Eliminated => flag(hh.eliminated, out),
        Field::Identified => month(hh.identified, out),
        Field::EliminatedOn => month(hh.eliminated_on, out),
        Field::Method => out.push_str(hh.elimination_method.map_or("", method_label)),
        Field::Measure(m) => out.push_str(measure_cell(cx, m)),
        Field::PostRemark => out.push_str(d.post_remark),
        Field::Developmental => {
            if hh.is_monitored() {
                let developing = [
                    Assistance::Industry,
                    Assistance::Employment,
                    Assistance::WelfarePost,
                    Assistance::Finance,
                ]
                .into_iter()
                .any(|m| hh.assistance.contains(m));
                out.push_str(if developing { "是" } else { "尚未实施" });
            }
        }
        Field::Collector => out.push_str(&d.collector),
        Field::CollectorPhone => {
            let _ = write!(out, "{}", d.collector_phone);
        }
        Field::DataDate => {
            let _ = write!(out, "{}", data.options.as_of.format("%Y%m%d"));
        }
        Field::After(i) => {
            if hh.eliminated == Some(true) {
                after_elimination(cx, i, out);
            }
        }
        Field::Size => {
            let _ = write!(out, "{}", hh.size_recorded);
        }
        Field::Certified => flag(p.certified, out),
        Field::Wage => {
            if working() != Work::None && p.monthly_wage > 0 {
                let _ = write!(out, "{}", p.monthly_wage);
            }
        }
    }
}

/// Reusable text buffers for the rows of one household (the writers render millions of
/// rows; reusing the strings avoids an allocation per cell).
#[derive(Debug, Default)]
pub(crate) struct RosterBuf {
    base: Vec<String>,
    /// One text per column per member row; blank = empty string.
    pub rows: Vec<Vec<String>>,
    /// Number of member rows filled.
    pub len: usize,
    /// Cells written as numbers (row, column, value): the planted ID03 numbers.
    pub numbers: Vec<(usize, usize, f64)>,
    hid: String,
}

impl RosterBuf {
    /// Renders every row of household `h` (typed values, then planted overrides).
    pub(crate) fn fill(&mut self, data: &DemoData, h: usize) {
        use std::fmt::Write as _;
        self.len = 0;
        self.numbers.clear();
        let Some(hh) = data.households.get(h) else {
            return;
        };
        let Some(members) = data.persons.get(hh.person_range()) else {
            return;
        };
        let Some(first) = members.first() else { return };
        self.hid.clear();
        if let Some(v) = data.villages.get(hh.village) {
            let _ = write!(self.hid, "{}{:05}", v.code, hh.number);
        }
        let detail = HouseholdDetail::new(data, h);
        let cx = Ctx {
            data,
            h,
            hh,
            members,
            detail: &detail,
            hid: &self.hid,
        };
        let n = LAYOUT.len();
        self.base.resize_with(n, String::new);
        for (s, (_, field)) in self.base.iter_mut().zip(LAYOUT) {
            s.clear();
            if !field.per_person() {
                push_text(&cx, first, hh.first_person, field, s);
            }
        }
        while self.rows.len() < members.len() {
            self.rows.push(vec![String::new(); n]);
        }
        for (position, p) in members.iter().enumerate() {
            let Some(row) = self.rows.get_mut(position) else {
                continue;
            };
            for ((s, (_, field)), b) in row.iter_mut().zip(LAYOUT).zip(&self.base) {
                s.clear();
                if field.per_person() {
                    push_text(&cx, p, hh.first_person + position, field, s);
                } else {
                    s.push_str(b);
                }
            }
        }
        self.len = members.len();
        if data.roster_overrides.is_empty() {
            return;
        }
        for ((_, pos, c), cell) in data
            .roster_overrides
            .range((h, 0, 0)..=(h, usize::MAX, usize::MAX))
        {
            for r in 0..self.len {
                if *pos != usize::MAX && *pos != r {
                    continue;
                }
                if let Some(s) = self.rows.get_mut(r).and_then(|row| row.get_mut(*c)) {
                    s.clear();
                    s.push_str(&cell.text());
                }
                if let DemoCell::Number(v) = cell {
                    self.numbers.push((r, *c, *v));
                }
            }
        }
    }

    /// The filled rows as cells.
    pub(crate) fn cells(&self) -> Vec<Vec<DemoCell>> {
        (0..self.len)
            .map(|r| {
                let row = self.rows.get(r).map_or(&[][..], Vec::as_slice);
                row.iter()
                    .enumerate()
                    .map(|(c, s)| {
                        if let Some(&(_, _, v)) =
                            self.numbers.iter().find(|(nr, nc, _)| *nr == r && *nc == c)
                        {
                            DemoCell::Number(v)
                        } else if s.is_empty() {
                            DemoCell::Empty
                        } else {
                            DemoCell::Text(s.clone())
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// Every row of one household as written.
pub(crate) fn household_rows(data: &DemoData, household: usize) -> Vec<Vec<DemoCell>> {
    let mut buf = RosterBuf::default();
    buf.fill(data, household);
    buf.cells()
}

/// Every cell of a roster row as written (typed values, then planted overrides).
pub(crate) fn roster_row(data: &DemoData, person: usize) -> Vec<DemoCell> {
    let Some(p) = data.persons.get(person) else {
        return vec![DemoCell::Empty; ROSTER_HEADER.len()];
    };
    let position = data
        .households
        .get(p.household)
        .map_or(0, |h| person.saturating_sub(h.first_person));
    household_rows(data, p.household)
        .into_iter()
        .nth(position)
        .unwrap_or_else(|| vec![DemoCell::Empty; ROSTER_HEADER.len()])
}

/// A date cell in a project row: text `2021/5/6` or an Excel date.
fn project_date(d: Option<chrono::NaiveDate>, as_text: bool) -> DemoCell {
    use chrono::Datelike;
    match d {
        None => DemoCell::Empty,
        Some(d) if as_text => DemoCell::Text(format!("{}/{}/{}", d.year(), d.month(), d.day())),
        Some(d) => DemoCell::Date(d),
    }
}

/// Every cell of a project row as written.
pub(crate) fn project_row(data: &DemoData, i: usize) -> Vec<DemoCell> {
    let Some(p) = data.projects.get(i) else {
        return vec![DemoCell::Empty; PROJECT_HEADER.len()];
    };
    let county = data.counties.get(p.county).map_or("", |c| c.name.as_str());
    let town = p
        .town
        .and_then(|t| data.towns.get(t))
        .map_or(DemoCell::Empty, |t| DemoCell::Text(t.name.clone()));
    let mut row = vec![
        DemoCell::Text(p.id.clone()),
        DemoCell::Text(p.name.clone()),
        DemoCell::Text(county.to_string()),
        town,
        DemoCell::Text(project_type_label(p.kind).to_string()),
        DemoCell::Number(f64::from(p.year)),
        DemoCell::Text(yes_no(p.planned).to_string()),
        DemoCell::Number(p.funds as f64 / 100.0),
        DemoCell::Number(p.spent as f64 / 100.0),
        project_date(p.started_on, p.dates_as_text),
        project_date(p.completed_on, p.dates_as_text),
        DemoCell::Text(project_status_label(p.status).to_string()),
    ];
    for ((_, c), cell) in data.project_overrides.range((i, 0)..=(i, usize::MAX)) {
        if let Some(slot) = row.get_mut(*c) {
            *slot = cell.clone();
        }
    }
    row
}

/// Every cell of a loan row as written.
pub(crate) fn loan_row(data: &DemoData, i: usize) -> Vec<DemoCell> {
    let Some(l) = data.loans.get(i) else {
        return vec![DemoCell::Empty; LOAN_HEADER.len()];
    };
    let mut row = vec![
        DemoCell::Text(l.household_id.clone()),
        DemoCell::Text(
            data.counties
                .get(l.county)
                .map_or(String::new(), |c| c.name.clone()),
        ),
        DemoCell::Text(
            data.towns
                .get(l.town)
                .map_or(String::new(), |t| t.name.clone()),
        ),
        DemoCell::Date(l.issued_on),
        DemoCell::Date(l.due_on),
        DemoCell::Number(l.amount as f64),
        DemoCell::Number(l.balance as f64),
        DemoCell::Text(loan_status_label(l.status).to_string()),
    ];
    for ((_, c), cell) in data.loan_overrides.range((i, 0)..=(i, usize::MAX)) {
        if let Some(slot) = row.get_mut(*c) {
            *slot = cell.clone();
        }
    }
    row
}

/// Relation and post helpers used by the audit.
pub(crate) fn is_head_label(s: &str) -> bool {
    s == Relation::Head.label()
}

/// Whether a 公益性岗位 cell means a post is held.
pub(crate) fn post_held(s: &str) -> bool {
    let s = s.trim();
    !(s.is_empty() || s == "否" || s == "无" || s == Post::None.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(number_text(411426.0), "411426");
        assert_eq!(number_text(411_426_198_702_150_012.0), "4.11426E+17");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(hundredths(-1250, false), "-12.50");
        assert_eq!(hundredths(1_152_300, true), "11523");
        assert_eq!(hundredths(1_152_347, true), "11523.47");
    }
}
