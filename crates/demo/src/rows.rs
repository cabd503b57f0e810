//! Rendering records into the cells that are written: the single place that decides how
//! every column looks, used by the writers, the manifest and the audit alike.

use super::{DemoCell, DemoData, DemoHousehold, DemoPerson, Post, Relation};
use gonggu_core::model::{
    Assistance, EliminationMethod, Health, HouseholdType, LaborSkill, LoanStatus, MonitorCategory,
    ProjectStatus, ProjectType, Sex,
};

/// Header of `监测对象信息` (row 3 of the XLSX, line 1 of the CSV), in column order.
pub const ROSTER_HEADER: [&str; 53] = [
    "县",
    "乡",
    "村",
    "户编号",
    "人编号",
    "姓名",
    "证件号码",
    "证件类型",
    "户类型",
    "监测对象类别",
    "与户主关系",
    "人数",
    "性别",
    "民族",
    "出生日期",
    "文化程度",
    "在校生状况",
    "健康状况",
    "劳动技能",
    "务工所在地",
    "务工月收入",
    "是否持证",
    "公益性岗位",
    "户联系电话",
    "是否参加城乡居民基本医疗保险",
    "是否参加大病保险",
    "享受低保政策情况",
    "享受特困供养政策情况",
    "是否危房户",
    "是否解决安全饮用水",
    "人均纯收入（元）",
    "工资性收入",
    "致贫/返贫风险1",
    "致贫/返贫风险2",
    "识别监测时间",
    "风险是否已消除",
    "消除监测时间",
    "风险消除方式",
    "帮扶措施",
    "产业帮扶",
    "就业帮扶",
    "公益性岗位帮扶",
    "健康帮扶",
    "教育帮扶",
    "义务教育保障",
    "住房安全保障",
    "饮水安全保障",
    "综合保障",
    "社会帮扶",
    "金融帮扶",
    "搬迁",
    "生产生活条件改善",
    "基础设施建设",
];

/// Column indexes of the roster.
#[allow(dead_code)]
pub(crate) mod col {
    pub const COUNTY: usize = 0;
    pub const TOWN: usize = 1;
    pub const VILLAGE: usize = 2;
    pub const HOUSEHOLD_ID: usize = 3;
    pub const PERSON_ID: usize = 4;
    pub const NAME: usize = 5;
    pub const ID: usize = 6;
    pub const ID_KIND: usize = 7;
    pub const KIND: usize = 8;
    pub const CATEGORY: usize = 9;
    pub const RELATION: usize = 10;
    pub const SIZE: usize = 11;
    pub const SEX: usize = 12;
    pub const ETHNICITY: usize = 13;
    pub const BIRTH: usize = 14;
    pub const EDUCATION: usize = 15;
    pub const SCHOOL: usize = 16;
    pub const HEALTH: usize = 17;
    pub const LABOR: usize = 18;
    pub const WORK: usize = 19;
    pub const WAGE: usize = 20;
    pub const CERTIFIED: usize = 21;
    pub const POST: usize = 22;
    pub const PHONE: usize = 23;
    pub const MEDICAL: usize = 24;
    pub const SERIOUS: usize = 25;
    pub const DIBAO: usize = 26;
    pub const TEKUN: usize = 27;
    pub const UNSAFE_HOUSING: usize = 28;
    pub const SAFE_WATER: usize = 29;
    pub const INCOME: usize = 30;
    pub const WAGE_INCOME: usize = 31;
    pub const RISK1: usize = 32;
    pub const RISK2: usize = 33;
    pub const IDENTIFIED: usize = 34;
    pub const ELIMINATED: usize = 35;
    pub const ELIMINATED_ON: usize = 36;
    pub const METHOD: usize = 37;
    pub const MEASURES_TEXT: usize = 38;
    pub const FIRST_MEASURE: usize = 39;
}

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
        Health::Chronic => "长期慢性病",
        Health::Serious => "患大病",
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

/// Content text of a measure when not written as `是`.
pub(crate) fn measure_content(m: Assistance) -> &'static str {
    match m {
        Assistance::Industry => "产业奖补",
        Assistance::Employment => "稳岗就业",
        Assistance::WelfarePost => "公益性岗位安置",
        Assistance::Health => "家庭医生签约服务",
        Assistance::Education => "雨露计划",
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

/// Short name of a measure inside 帮扶措施.
pub(crate) fn measure_name(m: Assistance) -> &'static str {
    match m {
        Assistance::WelfarePost => "公益性岗位帮扶",
        other => other.label(),
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

/// Appends the text of one roster column of person `p` (household `h`, whose 户编号 is
/// `hid`) to `out`; blank cells append nothing.
fn push_text(
    data: &DemoData,
    h: &DemoHousehold,
    hid: &str,
    p: &DemoPerson,
    column: usize,
    out: &mut String,
) {
    use col::*;
    use std::fmt::Write as _;
    let flag = |f: Option<bool>, out: &mut String| {
        if let Some(b) = f {
            out.push_str(yes_no(b));
        }
    };
    // Writing to a String cannot fail.
    match column {
        COUNTY => out.push_str(data.region_path(p.household).0),
        TOWN => out.push_str(data.region_path(p.household).1),
        VILLAGE => out.push_str(data.region_path(p.household).2),
        HOUSEHOLD_ID => out.push_str(hid),
        PERSON_ID => {
            let _ = write!(out, "{hid}{:02}", p.member);
        }
        NAME => {
            out.push_str(&p.name());
        }
        ID => out.push_str(p.id_text()),
        ID_KIND => out.push_str("居民身份证"),
        KIND => out.push_str(kind_label(h.kind)),
        CATEGORY => out.push_str(h.category.map_or("", category_label)),
        RELATION => out.push_str(p.relation.label()),
        SIZE => {
            let _ = write!(out, "{}", h.size_recorded);
        }
        SEX => out.push_str(match p.sex {
            Sex::Male => "1",
            Sex::Female => "2",
        }),
        ETHNICITY => out.push_str(if p.hui { "回族" } else { "汉族" }),
        BIRTH => {
            let _ = write!(out, "{}", p.birth.format("%Y%m%d"));
        }
        EDUCATION => out.push_str(p.education.label()),
        SCHOOL => out.push_str(&p.school.label()),
        HEALTH => out.push_str(health_label(p.health)),
        LABOR => out.push_str(labor_label(p.labor)),
        WORK => {
            let (county, town, _) = data.region_path(p.household);
            out.push_str(&p.work.text(county, town));
        }
        WAGE if p.monthly_wage > 0 => {
            let _ = write!(out, "{}", p.monthly_wage);
        }
        WAGE => {}
        CERTIFIED => flag(p.certified, out),
        POST => out.push_str(p.welfare_post.label()),
        PHONE => {
            let _ = write!(out, "{}", h.phone);
        }
        MEDICAL => flag(p.basic_medical, out),
        SERIOUS => flag(p.serious_illness_insurance, out),
        DIBAO => out.push_str(h.dibao.label()),
        TEKUN => out.push_str(if h.tekun { "农村特困" } else { "未享受" }),
        UNSAFE_HOUSING => out.push_str(yes_no(h.unsafe_housing)),
        SAFE_WATER => out.push_str(yes_no(h.safe_water)),
        INCOME => out.push_str(&hundredths(h.income_fen, true)),
        WAGE_INCOME => {
            let _ = write!(out, "{}", h.wage_income);
        }
        RISK1 => out.push_str(h.risk1.map_or("", |r| r.label())),
        RISK2 => out.push_str(h.risk2.map_or("", |r| r.label())),
        IDENTIFIED => {
            if let Some(m) = h.identified {
                let _ = write!(out, "{:04}{:02}", m.year, m.month);
            }
        }
        ELIMINATED => flag(h.eliminated, out),
        ELIMINATED_ON => {
            if let Some(m) = h.eliminated_on {
                let _ = write!(out, "{:04}{:02}", m.year, m.month);
            }
        }
        METHOD => out.push_str(h.elimination_method.map_or("", method_label)),
        MEASURES_TEXT => {
            let sep = if h.semicolons { ";" } else { "、" };
            let mut first = true;
            for m in Assistance::ALL
                .iter()
                .filter(|m| h.assistance.contains(**m))
            {
                if !first {
                    out.push_str(sep);
                }
                first = false;
                out.push_str(measure_name(*m));
            }
        }
        c if c >= FIRST_MEASURE => {
            if let Some(&m) = Assistance::ALL.get(c - FIRST_MEASURE)
                && h.assistance.contains(m)
            {
                out.push_str(if h.measure_text.contains(m) {
                    measure_content(m)
                } else {
                    "是"
                });
            }
        }
        _ => {}
    }
}

/// Columns that differ between the members of a household.
const PERSON_COLUMNS: [usize; 17] = [
    col::PERSON_ID,
    col::NAME,
    col::ID,
    col::RELATION,
    col::SEX,
    col::ETHNICITY,
    col::BIRTH,
    col::EDUCATION,
    col::SCHOOL,
    col::HEALTH,
    col::LABOR,
    col::WORK,
    col::WAGE,
    col::CERTIFIED,
    col::POST,
    col::MEDICAL,
    col::SERIOUS,
];

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
        let n = ROSTER_HEADER.len();
        self.base.resize_with(n, String::new);
        for (c, s) in self.base.iter_mut().enumerate() {
            s.clear();
            if !PERSON_COLUMNS.contains(&c) {
                push_text(data, hh, &self.hid, first, c, s);
            }
        }
        while self.rows.len() < members.len() {
            self.rows.push(vec![String::new(); n]);
        }
        for (position, p) in members.iter().enumerate() {
            let Some(row) = self.rows.get_mut(position) else {
                continue;
            };
            for (c, s) in row.iter_mut().enumerate() {
                s.clear();
                if PERSON_COLUMNS.contains(&c) {
                    push_text(data, hh, &self.hid, p, c, s);
                } else if let Some(b) = self.base.get(c) {
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
    vec![
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
    ]
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
