//! gonggu-demo: a synthetic city modelled on 商丘市, written exactly as the national
//! monitoring system (全国防返贫监测信息系统) and county ledgers export it, with its own oracle.
//!
//! The pipeline of this crate: [`generate`] draws households, persons, projects and loans;
//! the planting step puts a known number of defects per data-quality rule into them; an
//! independent audit (a literal reading of the rules over the cells as written, never the
//! checker it tests) lists every finding in the [`Manifest`]; [`write_inputs`] renders the
//! export files, and [`summary::summary_workbook`] the 汇总 a county would report upward.
//!
//! [`generate`] builds the data deterministically from [`DemoOptions`] (same options → same
//! data, byte for byte); [`write_inputs`] renders the input files and `manifest.json` as bytes,
//! and the caller writes them: the national system's exports in the chosen format
//! (`监测对象信息`, `已外出务工信息`, `计划外出务工信息`, `行政村信息`, `.xlsx` or `.csv`, in the
//! layouts of EXPORTS.md: the roster's known columns at their letters, work spells per person
//! with one covering the as-of month for everyone meant to work), and `衔接资金项目.xlsx`,
//! `小额信贷.xlsx`, `目标.xlsx`. The data are clean with respect to every rule of `crates/core/templates/rules.toml`
//! except for a small number of deliberately planted defects per rule, each listed in the
//! [`Manifest`] with its file, row and 户编号 so that `gonggu check` can be tested against it.
//!
//! # Examples
//! ```
//! use gonggu_demo::{generate, write_inputs, DemoFormat, DemoOptions};
//! let opts = DemoOptions { households: 300, ..DemoOptions::default() };
//! let data = generate(&opts);
//! assert_eq!(data.counties.len(), 10);
//! let files = write_inputs(&data, DemoFormat::Csv).unwrap();
//! assert!(files.iter().any(|f| f.name == "监测对象信息.csv"));
//! assert!(files.iter().any(|f| f.name == "已外出务工信息.csv"));
//! assert!(files.iter().any(|f| f.name == "manifest.json"));
//! ```

#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use gonggu_core::model::{
    AssistanceSet, EliminationMethod, HouseholdType, LaborSkill, LoanStatus, MonitorCategory,
    ProjectStatus, ProjectType, Risk, Sex,
};

mod audit;
mod detail;
pub mod error;
mod layout;
mod ledgers;
mod months;
mod names;
mod people;
mod plant;
mod previous;
mod rng;
mod rows;
pub mod summary;
mod villages;
mod work;
mod write;

#[cfg(test)]
mod tests;

/// The `gonggu.toml` the demo's reports use: the city's name and official order, the
/// issuing office and document number of its notice (synthetic, no real office).
pub const CONFIG: &str = include_str!("../templates/gonggu.toml");

pub use layout::{EXTRA_COLUMNS, ROSTER_COLUMNS, ROSTER_HEADER};
pub use months::{month_folder, months_config};
pub use rows::{LOAN_HEADER, PROJECT_HEADER, TARGET_HEADER};
pub use villages::{COLLECTIVE_LINE, VILLAGE_HEADER};
pub use work::{
    ELSEWHERE_COUNTIES, HENAN_COUNTIES, OUT_COUNTIES, PLAN_HEADER, PROVINCE_COUNTIES, SPELL_HEADER,
    UNPLACED_COUNTIES,
};
pub use write::{write_inputs, write_roster_csv};

/// Which format the system's exports (roster, work spells, work plans, villages) are written
/// in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemoFormat {
    /// `监测对象信息.xlsx`: two title rows, header on row 3, every cell text (as the national
    /// system exports it). Above 1,048,573 persons the roster continues on further sheets.
    #[default]
    Xlsx,
    /// `监测对象信息.csv`: UTF-8 with BOM, header on line 1 (for province-scale data); the
    /// other exports likewise.
    Csv,
}

impl DemoFormat {
    /// File extension of the roster (`xlsx` / `csv`).
    pub fn extension(self) -> &'static str {
        match self {
            DemoFormat::Xlsx => "xlsx",
            DemoFormat::Csv => "csv",
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Number of households (default 20 000); the roster has exactly this many.
    pub households: usize,
    /// Seed of the generator; the same seed and options give identical data.
    pub seed: u64,
    /// The as-of date (数据截至), default 2021-11-30. Ages, monitoring months and project dates
    /// are relative to it.
    pub as_of: NaiveDate,
    /// Roster format (row numbers in the manifest depend on it).
    pub format: DemoFormat,
    /// Plant the documented defects (default `true`). Without them the data trigger no rule.
    pub plant_defects: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            households: 20_000,
            seed: 20211130,
            as_of: NaiveDate::from_ymd_opt(2021, 11, 30).unwrap_or_default(),
            format: DemoFormat::Xlsx,
            plant_defects: true,
        }
    }
}

/// One rendered file: the caller writes `bytes` to `name` in its output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFile {
    /// File name (Chinese, with extension).
    pub name: String,
    /// File content.
    pub bytes: Vec<u8>,
}

/// One cell exactly as written to a file.
#[derive(Debug, Clone, PartialEq)]
pub enum DemoCell {
    /// Blank.
    Empty,
    /// A text cell (the national system exports every cell as text).
    Text(String),
    /// A numeric cell (ledgers; and the planted ID03 证件号码 stored as a number).
    Number(f64),
    /// A date cell (an Excel date serial with a date format in XLSX; `YYYY-MM-DD` in CSV).
    Date(NaiveDate),
}

impl DemoCell {
    /// The cell as text: what a reader that reads everything as text would see (numbers in
    /// shortest form, 证件号码-sized numbers as Excel shows them: `4.11426E+17`).
    pub fn text(&self) -> String {
        match self {
            DemoCell::Empty => String::new(),
            DemoCell::Text(s) => s.clone(),
            DemoCell::Number(v) => rows::number_text(*v),
            DemoCell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }
}

/// A month as the national system exports it (`YYYYMM`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct YearMonth {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
}

impl YearMonth {
    /// The month of a date.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Months since year 0 (for differences).
    pub fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// The month with the given [`YearMonth::index`].
    pub fn from_index(index: i64) -> YearMonth {
        YearMonth {
            year: index.div_euclid(12) as i32,
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// `YYYYMM`.
    pub fn text(self) -> String {
        format!("{:04}{:02}", self.year, self.month)
    }
}

/// A county-level unit (县/市/区/示范区).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoCounty {
    /// Name (`夏邑县`).
    pub name: String,
    /// 6-digit administrative code (`411426`).
    pub code: String,
}

/// A town (乡镇).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoTown {
    /// Index into [`DemoData::counties`].
    pub county: usize,
    /// Name (`城关镇`: repeats across counties).
    pub name: String,
    /// 9-digit code (county code + 3 digits).
    pub code: String,
}

/// An administrative village (行政村).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoVillage {
    /// Index into [`DemoData::towns`].
    pub town: usize,
    /// Name (`前王庄村`).
    pub name: String,
    /// 12-digit code (town code + 3 digits); prefix of the 户编号 of its households.
    pub code: String,
}

/// 与户主关系.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Relation {
    /// 户主.
    Head,
    /// 配偶.
    Spouse,
    /// 之子.
    Son,
    /// 之女.
    Daughter,
    /// 之儿媳.
    DaughterInLaw,
    /// 之女婿.
    SonInLaw,
    /// 之孙子.
    Grandson,
    /// 之孙女.
    Granddaughter,
    /// 之父.
    Father,
    /// 之母.
    Mother,
    /// 之兄弟姐妹.
    Sibling,
    /// 其他.
    Other,
    /// Blank (a planted HH01 defect: the household has no 户主).
    Unrecorded,
}

impl Relation {
    /// Label as exported.
    pub fn label(self) -> &'static str {
        match self {
            Relation::Head => "户主",
            Relation::Spouse => "配偶",
            Relation::Son => "之子",
            Relation::Daughter => "之女",
            Relation::DaughterInLaw => "之儿媳",
            Relation::SonInLaw => "之女婿",
            Relation::Grandson => "之孙子",
            Relation::Granddaughter => "之孙女",
            Relation::Father => "之父",
            Relation::Mother => "之母",
            Relation::Sibling => "之兄弟姐妹",
            Relation::Other => "其他",
            Relation::Unrecorded => "",
        }
    }
}

/// 文化程度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Education {
    /// Blank (children, students).
    Blank,
    /// 文盲或半文盲.
    Illiterate,
    /// 小学.
    Primary,
    /// 初中.
    Junior,
    /// 高中.
    Senior,
    /// 大专.
    College,
    /// 本科及以上.
    Bachelor,
}

impl Education {
    /// Label as exported.
    pub fn label(self) -> &'static str {
        match self {
            Education::Blank => "",
            Education::Illiterate => "文盲或半文盲",
            Education::Primary => "小学",
            Education::Junior => "初中",
            Education::Senior => "高中",
            Education::College => "大专",
            Education::Bachelor => "本科及以上",
        }
    }
}

/// 在校生状况 (blank for persons not in school). The number is the grade within the stage
/// (七年级 = `Junior(7)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum School {
    /// Blank: not in school.
    None,
    /// 学龄前儿童.
    PreschoolChild,
    /// 学前教育.
    Preschool,
    /// 小学 (the grade is not written: EXPORTS.md §2 lists the stage only).
    Primary(u8),
    /// 七年级 … 九年级.
    Junior(u8),
    /// 普通高中一年级 … 三年级.
    Senior(u8),
    /// 中职一年级 … 三年级.
    Vocational(u8),
    /// 高职高专一年级 … 三年级.
    College(u8),
    /// 本科一年级 … 四年级.
    Undergraduate(u8),
    /// 硕士研究生及以上.
    Graduate,
}

impl School {
    /// Label as exported.
    pub fn label(self) -> String {
        const N: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        let n = |g: u8| N.get(usize::from(g)).copied().unwrap_or("");
        match self {
            School::None => String::new(),
            School::PreschoolChild => "学龄前儿童".into(),
            School::Preschool => "学前教育".into(),
            School::Primary(_) => "小学".into(),
            School::Junior(g) => format!("{}年级", n(g)),
            School::Senior(g) => format!("普通高中{}年级", n(g)),
            School::Vocational(g) => format!("中职{}年级", n(g)),
            School::College(g) => format!("高职高专{}年级", n(g)),
            School::Undergraduate(g) => format!("本科{}年级", n(g)),
            School::Graduate => "硕士研究生及以上".into(),
        }
    }

    /// Whether the person is a student (学前教育 and above).
    pub fn in_school(self) -> bool {
        !matches!(self, School::None | School::PreschoolChild)
    }
}

/// 务工所在地 as the generator means it: where the person works (its class is what the
/// manifest and the tests expect, never what gonggu's resolver reads) and how it is written.
/// Most workers get an address, as real exports write it; a few keep a category word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Work {
    /// Blank: not working.
    None,
    /// 乡镇内务工.
    Township,
    /// 乡外县内务工.
    OutsideTownship,
    /// 县内务工.
    InCounty,
    /// 省内县外务工.
    InProvince,
    /// 县外省内务工 (same class, other wording).
    InProvinceAlt,
    /// 省外务工.
    OutProvince,
    /// 省外 (same class, short wording).
    OutProvinceShort,
    /// An address in the household's own county and town, in one of three wordings
    /// (`夏邑县会亭镇`, `河南省商丘市夏邑县会亭镇`, `商丘夏邑会亭镇`).
    HomeAddress(u8),
    /// An address in another county of the city: index into the city's counties
    /// (`商丘市永城市`, never the household's own county nor the functional zone).
    CityAddress(u8),
    /// An address elsewhere in 河南: index into [`PROVINCE_ADDRESSES`].
    ProvinceAddress(u8),
    /// An address in another province or abroad: index into [`OUT_ADDRESSES`].
    OutAddress(u8),
    /// A value nobody can place (planted for WK02): index into [`UNPLACED`].
    Unplaced(u8),
}

/// Addresses in 河南 outside 商丘市 (省内县外 for every county of the city).
pub const PROVINCE_ADDRESSES: &[&str] = &[
    "河南省郑州市金水区经三路",
    "郑州市管城回族区",
    "河南省洛阳市涧西区",
    "河南省开封市鼓楼区",
    "河南省济源市",
    "新乡市红旗区",
    "河南省许昌市禹州市",
    "南阳市卧龙区",
    "周口市川汇区",
];

/// Addresses in other provinces and abroad (省外).
pub const OUT_ADDRESSES: &[&str] = &[
    "江苏省苏州市昆山市玉山镇",
    "浙江省宁波市北仑区",
    "上海市浦东新区张江镇",
    "广东省深圳市龙岗区",
    "北京市大兴区",
    "新疆维吾尔自治区乌鲁木齐市",
    "新疆",
    "广西南宁市",
    "江苏省南京市鼓楼区",
    "浙江义乌",
    "福建省泉州市晋江市",
    "天津市滨海新区",
    "山东省青岛市黄岛区",
    "国外",
];

/// Values that name no destination: a district name four cities share, words that are no
/// place, and only the own province (WK02; 务工去向不明).
pub const UNPLACED: &[&str] = &["鼓楼区", "外出务工", "本地打零工", "河南省"];

/// The name of the city's functional zone, which GB/T 2260 lacks: the demo's `gonggu.toml`
/// maps it to the city's code in `[region_codes]` ([`REGION_CODES`]).
pub const ZONE: &str = "示范区";

/// `[region_codes]` of the demo's `gonggu.toml`: 示范区 is a county-level unit of its own
/// inside 商丘市.
pub const REGION_CODES: &[(&str, &str)] = &[(ZONE, "411400")];

/// The options the demo's `gonggu.toml` gives the reader (region 商丘市, [`REGION_CODES`]):
/// what tests reading the demo files back must use, or 示范区's addresses in 河南 are
/// 去向不明.
pub fn read_options() -> gonggu_core::ingest::ReadOptions {
    gonggu_core::ingest::ReadOptions {
        region_name: Some("商丘市".into()),
        region_codes: REGION_CODES
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_string()))
            .collect(),
        ..Default::default()
    }
}

impl Work {
    /// 务工所在地 as written for a household in `county` (name) and `town`.
    pub fn text(self, county: &str, town: &str) -> String {
        let list = |l: &[&str], i: u8| l.get(usize::from(i)).copied().unwrap_or("").to_string();
        match self {
            Work::None => String::new(),
            Work::Township => "乡镇内务工".into(),
            Work::OutsideTownship => "乡外县内务工".into(),
            Work::InCounty => "县内务工".into(),
            Work::InProvince => "省内县外务工".into(),
            Work::InProvinceAlt => "县外省内务工".into(),
            Work::OutProvince => "省外务工".into(),
            Work::OutProvinceShort => "省外".into(),
            Work::HomeAddress(k) => match k % 3 {
                0 if county == ZONE => format!("商丘市{county}{town}"),
                0 => format!("{county}{town}"),
                1 => format!("河南省商丘市{county}{town}"),
                _ => format!("商丘{}{town}", short_county(county)),
            },
            Work::CityAddress(i) => {
                let other = names::COUNTIES.get(usize::from(i)).map_or("", |c| c.name);
                if i % 2 == 0 {
                    format!("河南省商丘市{other}")
                } else {
                    format!("商丘市{other}")
                }
            }
            Work::ProvinceAddress(i) => list(PROVINCE_ADDRESSES, i),
            Work::OutAddress(i) => list(OUT_ADDRESSES, i),
            Work::Unplaced(i) => list(UNPLACED, i),
        }
    }

    /// The destination the generator means (SPEC §3.1).
    pub fn class(self) -> gonggu_core::model::WorkPlace {
        use gonggu_core::model::WorkPlace as W;
        match self {
            Work::None => W::NotWorking,
            Work::Township | Work::OutsideTownship | Work::InCounty | Work::HomeAddress(_) => {
                W::InCounty
            }
            Work::InProvince
            | Work::InProvinceAlt
            | Work::CityAddress(_)
            | Work::ProvinceAddress(_) => W::InProvince,
            Work::OutProvince | Work::OutProvinceShort | Work::OutAddress(_) => W::OutProvince,
            Work::Unplaced(_) => W::Unknown,
        }
    }

    /// Whether the person works outside the county (省内县外 or 省外).
    pub fn outside_county(self) -> bool {
        matches!(
            self.class(),
            gonggu_core::model::WorkPlace::InProvince | gonggu_core::model::WorkPlace::OutProvince
        )
    }

    /// Every value the generator can write for a household of county `county` (index),
    /// for the audit's reading of the written cells.
    pub(crate) fn all_for(county: usize) -> Vec<Work> {
        let mut all = vec![
            Work::Township,
            Work::OutsideTownship,
            Work::InCounty,
            Work::InProvince,
            Work::InProvinceAlt,
            Work::OutProvince,
            Work::OutProvinceShort,
        ];
        all.extend((0..3).map(Work::HomeAddress));
        all.extend(city_destinations(county).into_iter().map(Work::CityAddress));
        all.extend((0..PROVINCE_ADDRESSES.len() as u8).map(Work::ProvinceAddress));
        all.extend((0..OUT_ADDRESSES.len() as u8).map(Work::OutAddress));
        all.extend((0..UNPLACED.len() as u8).map(Work::Unplaced));
        all
    }
}

/// The counties of the city a household of `county` may work in (not its own, not the
/// functional zone), as indexes into the city's counties.
pub(crate) fn city_destinations(county: usize) -> Vec<u8> {
    (0..names::COUNTIES.len())
        .filter(|&i| i != county && names::COUNTIES.get(i).is_some_and(|c| c.name != ZONE))
        .filter_map(|i| u8::try_from(i).ok())
        .collect()
}

/// A county's name without 县/区/市 when two characters remain (`夏邑`; `睢县` stays).
fn short_county(county: &str) -> &str {
    match county.char_indices().last() {
        Some((i, '县' | '区' | '市')) if county.chars().count() >= 3 && county != ZONE => {
            county.get(..i).unwrap_or(county)
        }
        _ => county,
    }
}

/// 公益性岗位 held by a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Post {
    /// Blank: none.
    None,
    /// 村级.
    Village,
    /// 乡级.
    Township,
    /// 县级.
    County,
}

impl Post {
    /// Label as exported.
    pub fn label(self) -> &'static str {
        match self {
            Post::None => "",
            Post::Village => "村级",
            Post::Township => "乡级",
            Post::County => "县级",
        }
    }
}

/// 享受低保政策情况 of a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DibaoStatus {
    /// 未享受.
    None,
    /// 农村低保.
    Rural,
    /// 城市低保.
    Urban,
}

impl DibaoStatus {
    /// Label as exported.
    pub fn label(self) -> &'static str {
        match self {
            DibaoStatus::None => "未享受",
            DibaoStatus::Rural => "农村低保",
            DibaoStatus::Urban => "城市低保",
        }
    }
}

/// One household: the fields repeated on every member's row.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoHousehold {
    /// Index into [`DemoData::villages`].
    pub village: usize,
    /// Number within the village (last 5 digits of the 户编号).
    pub number: u32,
    /// Index of the first member in [`DemoData::persons`] (members are contiguous).
    pub first_person: usize,
    /// Number of member rows.
    pub members: usize,
    /// 人数 as written (equals `members` except for planted HH02 defects).
    pub size_recorded: u32,
    /// 户类型.
    pub kind: HouseholdType,
    /// 监测对象类别 (`None` = not monitored).
    pub category: Option<MonitorCategory>,
    /// 识别监测时间.
    pub identified: Option<YearMonth>,
    /// 风险是否已消除 (`None` for households not monitored: written blank).
    pub eliminated: Option<bool>,
    /// 消除监测时间.
    pub eliminated_on: Option<YearMonth>,
    /// 风险消除方式.
    pub elimination_method: Option<EliminationMethod>,
    /// 致贫/返贫风险1.
    pub risk1: Option<Risk>,
    /// 致贫/返贫风险2.
    pub risk2: Option<Risk>,
    /// 人均纯收入（元） in fen (1/100 元).
    pub income_fen: i64,
    /// 工资性收入 (元 per year, household).
    pub wage_income: i64,
    /// 户联系电话 (11 digits).
    pub phone: u64,
    /// Assistance columns in place.
    pub assistance: AssistanceSet,
    /// Measures written as content text (`家庭医生签约`) rather than `是`.
    pub measure_text: AssistanceSet,
    /// 享受低保政策情况.
    pub dibao: DibaoStatus,
    /// 享受特困供养政策情况 = 农村特困.
    pub tekun: bool,
    /// 是否危房户 = 是.
    pub unsafe_housing: bool,
    /// 是否解决安全饮用水 = 是.
    pub safe_water: bool,
}

impl DemoHousehold {
    /// Whether monitored (监测对象类别 non-empty).
    pub fn is_monitored(&self) -> bool {
        self.category.is_some()
    }

    /// 脱贫户 in the sense of SPEC §3.1 (脱贫不稳定户 always counts).
    pub fn is_tuopin(&self) -> bool {
        self.kind == HouseholdType::Tuopin || self.category == Some(MonitorCategory::Unstable)
    }

    /// Covered = 脱贫户 or monitored.
    pub fn is_covered(&self) -> bool {
        self.is_tuopin() || self.is_monitored()
    }

    /// The member rows as an index range into [`DemoData::persons`].
    pub fn person_range(&self) -> Range<usize> {
        self.first_person..self.first_person + self.members
    }
}

/// One person (one roster row).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoPerson {
    /// Index into [`DemoData::households`].
    pub household: usize,
    /// Member number (last two digits of the 人编号).
    pub member: u32,
    /// 证件号码 (18 ASCII characters).
    pub id_number: [u8; 18],
    /// Index into the surname table.
    pub surname: u8,
    /// Indexes into the given-name character table of the person's sex (`u8::MAX` = none).
    pub given: [u8; 2],
    /// 与户主关系.
    pub relation: Relation,
    /// 性别 (written `1` / `2`).
    pub sex: Sex,
    /// 民族 is 回族 (else 汉族).
    pub hui: bool,
    /// 出生日期.
    pub birth: NaiveDate,
    /// 文化程度.
    pub education: Education,
    /// 在校生状况.
    pub school: School,
    /// 健康状况.
    pub health: gonggu_core::model::Health,
    /// 劳动技能.
    pub labor: LaborSkill,
    /// 务工所在地.
    pub work: Work,
    /// 务工月收入 (元; 0 = blank).
    pub monthly_wage: u32,
    /// 务工时间（月）: months worked in the year (0 = blank).
    pub work_months: u8,
    /// 是否持证 (`None` = blank, for children).
    pub certified: Option<bool>,
    /// 公益性岗位.
    pub welfare_post: Post,
    /// 是否参加城乡居民基本医疗保险 (`None` = blank).
    pub basic_medical: Option<bool>,
    /// 是否参加大病保险 (`None` = blank).
    pub serious_illness_insurance: Option<bool>,
}

impl DemoPerson {
    /// 证件号码 as text.
    pub fn id_text(&self) -> &str {
        std::str::from_utf8(&self.id_number).unwrap_or("")
    }

    /// 姓名.
    pub fn name(&self) -> String {
        people::person_name(self)
    }

    /// Age in whole years on `date`.
    pub fn age_on(&self, date: NaiveDate) -> i32 {
        people::age_on(self.birth, date)
    }
}

/// One 衔接资金 project.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoProject {
    /// 项目编号.
    pub id: String,
    /// 项目名称.
    pub name: String,
    /// Index into [`DemoData::counties`].
    pub county: usize,
    /// Index into [`DemoData::towns`]; `None` for a county-level project (乡(镇) blank).
    pub town: Option<usize>,
    /// 项目类型.
    pub kind: ProjectType,
    /// 项目年度.
    pub year: i32,
    /// 是否纳入年度实施计划.
    pub planned: bool,
    /// 衔接资金 in units of 0.01 万元 (100 元).
    pub funds: i64,
    /// 已支出衔接资金 in units of 0.01 万元.
    pub spent: i64,
    /// 开工日期.
    pub started_on: Option<NaiveDate>,
    /// 完工日期.
    pub completed_on: Option<NaiveDate>,
    /// 项目状态.
    pub status: ProjectStatus,
    /// Dates written as text `2021/5/6` rather than as Excel dates.
    pub dates_as_text: bool,
}

/// One microcredit loan.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoLoan {
    /// 户编号 as written.
    pub household_id: String,
    /// The household in the roster (`None` for a planted LN02 loan).
    pub household: Option<usize>,
    /// Index into [`DemoData::counties`].
    pub county: usize,
    /// Index into [`DemoData::towns`].
    pub town: usize,
    /// 放款日期.
    pub issued_on: NaiveDate,
    /// 到期日期.
    pub due_on: NaiveDate,
    /// 贷款金额（元）.
    pub amount: i64,
    /// 贷款余额（元）.
    pub balance: i64,
    /// 贷款状态.
    pub status: LoanStatus,
}

/// One row of `目标.xlsx`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoTarget {
    /// Index into [`DemoData::counties`].
    pub county: usize,
    /// 务工就业目标人数.
    pub employment_target: u64,
    /// The county's generated 脱贫人口务工就业人数 (not written; for tests).
    pub tuopin_employed: u64,
}

/// Everything [`generate`] produced.
#[derive(Debug, Clone)]
pub struct DemoData {
    /// The options it was generated with.
    pub options: DemoOptions,
    /// Counties in official order.
    pub counties: Vec<DemoCounty>,
    /// Towns, grouped by county in order.
    pub towns: Vec<DemoTown>,
    /// Villages, grouped by town in order.
    pub villages: Vec<DemoVillage>,
    /// Households in roster order.
    pub households: Vec<DemoHousehold>,
    /// Persons in roster order (members of a household are contiguous).
    pub persons: Vec<DemoPerson>,
    /// Projects in ledger order.
    pub projects: Vec<DemoProject>,
    /// Loans in ledger order.
    pub loans: Vec<DemoLoan>,
    /// Targets, one per county.
    pub targets: Vec<DemoTarget>,
    /// What was planted, and overall counts.
    pub manifest: Manifest,
    /// Cells written differently from the typed fields (planted defects): roster cells by
    /// (household, member position or `usize::MAX` for every row, column).
    pub(crate) roster_overrides: BTreeMap<(usize, usize, usize), DemoCell>,
    /// Project cells written differently from the typed fields: (project, column).
    pub(crate) project_overrides: BTreeMap<(usize, usize), DemoCell>,
    /// Loan cells written differently from the typed fields: (loan, column).
    pub(crate) loan_overrides: BTreeMap<(usize, usize), DemoCell>,
    /// Cells of 已外出务工信息 written differently from the drawn spells: (household, member
    /// number, spell index among the person's spells, column).
    pub(crate) spell_overrides: BTreeMap<(usize, u32, usize, usize), DemoCell>,
    /// Cells of 行政村信息 written differently from the drawn rows: (village, column).
    pub(crate) village_overrides: BTreeMap<(usize, usize), DemoCell>,
    /// The planted defects (to rebuild the manifest for another roster format).
    pub(crate) planted: plant::Planted,
    /// The as-of date the data were generated for: work spells are drawn relative to it and
    /// viewed at [`DemoOptions::as_of`] (earlier for [`DemoData::previous_month`]).
    pub(crate) base_as_of: NaiveDate,
    /// Persons (household, member number) without work spells: the planted ID02 copies of a
    /// person of another household.
    pub(crate) no_spells: BTreeSet<(usize, u32)>,
}

impl DemoData {
    /// 户编号 of a household.
    pub fn household_id(&self, household: usize) -> String {
        match (
            self.households.get(household),
            self.households
                .get(household)
                .and_then(|h| self.villages.get(h.village)),
        ) {
            (Some(h), Some(v)) => format!("{}{:05}", v.code, h.number),
            _ => String::new(),
        }
    }

    /// 人编号 of a person.
    pub fn person_id(&self, person: usize) -> String {
        match self.persons.get(person) {
            Some(p) => format!("{}{:02}", self.household_id(p.household), p.member),
            None => String::new(),
        }
    }

    /// (县, 乡, 村) names of a household.
    pub fn region_path(&self, household: usize) -> (&str, &str, &str) {
        let v = self
            .households
            .get(household)
            .and_then(|h| self.villages.get(h.village));
        let t = v.and_then(|v| self.towns.get(v.town));
        let c = t.and_then(|t| self.counties.get(t.county));
        (
            c.map_or("", |c| c.name.as_str()),
            t.map_or("", |t| t.name.as_str()),
            v.map_or("", |v| v.name.as_str()),
        )
    }

    /// Age of a person in whole years on the as-of date.
    pub(crate) fn age(&self, p: &DemoPerson) -> i32 {
        p.age_on(self.options.as_of)
    }

    /// Index of the county of a household.
    pub fn county_of(&self, household: usize) -> usize {
        self.households
            .get(household)
            .and_then(|h| self.villages.get(h.village))
            .and_then(|v| self.towns.get(v.town))
            .map_or(0, |t| t.county)
    }

    /// The manifest with row numbers for the roster written in `format` (the stored
    /// [`DemoData::manifest`] is for `options.format`).
    pub fn manifest_for(&self, format: DemoFormat) -> Manifest {
        if format == self.options.format {
            return self.manifest.clone();
        }
        plant::build_manifest(self, &self.planted, format)
    }

    /// Every cell of one roster row (person index), exactly as written, in
    /// [`ROSTER_HEADER`] order.
    pub fn roster_row(&self, person: usize) -> Vec<DemoCell> {
        rows::roster_row(self, person)
    }

    /// Every cell of one project row, in [`PROJECT_HEADER`] order.
    pub fn project_row(&self, project: usize) -> Vec<DemoCell> {
        rows::project_row(self, project)
    }

    /// Every cell of one loan row, in [`LOAN_HEADER`] order.
    pub fn loan_row(&self, loan: usize) -> Vec<DemoCell> {
        rows::loan_row(self, loan)
    }

    /// Where a roster person is written in the given format: the sheet (`None` for CSV) and
    /// the spreadsheet row (1-based, as the user sees it). XLSX data start on row 4 of each
    /// sheet (two title rows and the header), CSV data on line 2.
    pub fn roster_location(&self, person: usize, format: DemoFormat) -> (Option<String>, u64) {
        match format {
            DemoFormat::Xlsx if self.persons.len() <= write::ROSTER_ROWS_PER_SHEET => {
                (Some(write::roster_sheet_name(0)), person as u64 + 4)
            }
            DemoFormat::Xlsx => {
                let sheets = write::roster_sheets(self, write::ROSTER_ROWS_PER_SHEET);
                for (i, range) in sheets.iter().enumerate() {
                    if range.contains(&person) {
                        return (
                            Some(write::roster_sheet_name(i)),
                            (person - range.start) as u64 + 4,
                        );
                    }
                }
                (Some(write::roster_sheet_name(0)), person as u64 + 4)
            }
            DemoFormat::Csv => (None, person as u64 + 2),
        }
    }
}

/// Per-rule list of the planted defects and overall counts (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    /// What this file is.
    pub description: String,
    /// Generator seed.
    pub seed: u64,
    /// As-of date (`YYYY-MM-DD`); ages are counted on it.
    pub as_of: String,
    /// Roster format the row numbers refer to.
    pub format: DemoFormat,
    /// Whether defects were planted.
    pub plant_defects: bool,
    /// Monitoring line (元) the data respect (MN05, MN09).
    pub monitoring_line: u32,
    /// Overall counts.
    pub counts: ManifestCounts,
    /// Per-county counts, in official order.
    pub counties: Vec<CountyCounts>,
    /// The files written.
    pub files: Vec<String>,
    /// How findings are counted, per rule scope.
    pub count_semantics: BTreeMap<String, String>,
    /// Remarks on how particular planted defects are meant to be reported.
    pub notes: Vec<String>,
    /// Per rule code (every code of `rules.toml`): the planted defects.
    pub rules: BTreeMap<String, RulePlan>,
}

/// Overall counts of the generated data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestCounts {
    /// Counties.
    pub counties: usize,
    /// Towns.
    pub towns: usize,
    /// Villages (including those without households).
    pub villages: usize,
    /// Households (distinct 户编号 in the roster).
    pub households: usize,
    /// Persons (roster rows).
    pub persons: usize,
    /// Monitored households.
    pub monitored_households: usize,
    /// Projects (ledger rows).
    pub projects: usize,
    /// Loans (ledger rows).
    pub loans: usize,
}

/// Counts of one county.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountyCounts {
    /// County name.
    pub name: String,
    /// Households.
    pub households: usize,
    /// Persons.
    pub persons: usize,
    /// Monitored households.
    pub monitored_households: usize,
    /// Projects.
    pub projects: usize,
    /// Loans.
    pub loans: usize,
    /// Workers of 脱贫户 and monitored households by the destination the generator meant
    /// (measures `employed_*`).
    pub employment: Destinations,
    /// The same over 脱贫户 (`tuopin_employed_*`).
    pub tuopin_employment: Destinations,
    /// The same over monitored households (`monitored_employed_*`).
    pub monitored_employment: Destinations,
    /// Persons with a 是否已务工 是 spell covering the as-of month in 已外出务工信息 (measure
    /// `outbound_workers`; equals `employment.employed`).
    pub outbound_workers: usize,
    /// Those of them whose covering spell has a 务工月收入 (`outbound_income_persons`).
    pub outbound_income_persons: usize,
    /// Sum of those 务工月收入, whole 元 (`outbound_income_sum`).
    pub outbound_income_sum: u64,
    /// Persons with 是否计划务工 是 in 计划外出务工信息 (`planned_outbound_workers`).
    pub planned_outbound_workers: usize,
    /// Rows of 行政村信息: every village of the county (`villages`).
    pub villages: usize,
    /// Villages with 是否出列 是 (`exited_villages`).
    pub exited_villages: usize,
    /// Sum of 村级集体经济收入, 万元 with two decimals (`collective_income_sum`).
    pub collective_income_sum: String,
    /// Villages whose 村级集体经济收入 is at least [`COLLECTIVE_LINE`] 万元
    /// (`villages_over_collective_line`).
    pub villages_over_collective_line: usize,
}

/// Workers by destination: the four destinations add up to `employed`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Destinations {
    /// 务工就业人数.
    pub employed: usize,
    /// 县内.
    pub in_county: usize,
    /// 省内县外.
    pub in_province: usize,
    /// 省外 (other provinces and abroad).
    pub out_province: usize,
    /// 去向不明 (planted WK02 values).
    pub unknown: usize,
}

impl Destinations {
    /// Counts one worker meant to work at `place`.
    pub fn add(&mut self, place: gonggu_core::model::WorkPlace) {
        use gonggu_core::model::WorkPlace as W;
        let slot = match place {
            W::NotWorking => return,
            W::InCounty => &mut self.in_county,
            W::InProvince => &mut self.in_province,
            W::OutProvince => &mut self.out_province,
            W::Unknown => &mut self.unknown,
        };
        *slot += 1;
        self.employed += 1;
    }

    /// `[employed, 县内, 省内县外, 省外, 去向不明]`, in the order of
    /// [`gonggu_core::measures::EMPLOYMENT`].
    pub fn as_array(&self) -> [usize; 5] {
        [
            self.employed,
            self.in_county,
            self.in_province,
            self.out_province,
            self.unknown,
        ]
    }
}

/// The planted defects of one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulePlan {
    /// Scope of one finding: `person`, `household`, `project`, `loan` or `value`.
    pub scope: String,
    /// Number of findings `gonggu check` must report for this rule: always `defects.len()`
    /// (each entry is exactly one finding).
    pub count: usize,
    /// Why fewer than planned (or none) were planted, if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// One entry per expected finding.
    pub defects: Vec<PlantedDefect>,
}

/// One expected finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantedDefect {
    /// Chinese description of what was planted.
    pub description: String,
    /// File the finding is in.
    pub file: String,
    /// Sheet (`None` for CSV).
    pub sheet: Option<String>,
    /// Spreadsheet row (1-based, as the user sees it) of the finding: the person's row, the
    /// household's first row, the project's or loan's row.
    pub row: u64,
    /// Column of a value-scope finding (as the header is written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The cell's text for a value-scope finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// 户编号 (roster and loan findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub household_id: Option<String>,
    /// 人编号 (person findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// 项目编号 (project findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// Other rows involved (the first occurrence of a duplicate 证件号码, the other household
    /// sharing a phone number).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_rows: Vec<u64>,
}

/// Generates the demo city.
///
/// Deterministic: the same options give the same data (and [`write_inputs`] the same bytes).
/// Households are spread over the ten counties by size; each county has 5–12 towns and each
/// town 8–20 villages. With `plant_defects`, 2–6 defects per rule of `rules.toml` are planted
/// in distinct households and listed in [`DemoData::manifest`]; very small datasets may lack
/// suitable households for some rules, which the manifest then says.
///
/// # Examples
/// ```
/// use gonggu_demo::{generate, DemoOptions};
/// let a = generate(&DemoOptions { households: 200, ..DemoOptions::default() });
/// let b = generate(&DemoOptions { households: 200, ..DemoOptions::default() });
/// assert_eq!(a.persons, b.persons);
/// assert_eq!(a.counties[0].name, "永城市");
/// ```
pub fn generate(opts: &DemoOptions) -> DemoData {
    let mut data = people::generate_people(opts);
    ledgers::generate_ledgers(&mut data);
    let planted = if opts.plant_defects {
        plant::plant_all(&mut data)
    } else {
        plant::Planted::default()
    };
    ledgers::generate_targets(&mut data);
    data.manifest = plant::build_manifest(&data, &planted, opts.format);
    data.planted = planted;
    data
}

/// GB 11643 check character of the first 17 characters of an 18-character 证件号码 (`None`
/// when they are not all digits).
///
/// # Examples
/// ```
/// use gonggu_demo::gb11643_check_digit;
/// assert_eq!(gb11643_check_digit("11010519491231002"), Some('X'));
/// assert_eq!(gb11643_check_digit("1101051949123100"), None);
/// ```
pub fn gb11643_check_digit(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    CHECK.get((sum % 11) as usize).copied()
}
