//! Typed records: what `ingest` produces and everything after it consumes.
//!
//! Persons and households are stored compactly (enums as bytes, dates as [`NaiveDate`],
//! flags as bit sets) because a province roster holds millions of them. Closed vocabularies of
//! the national monitoring system are enums; a value outside the vocabulary is kept as
//! `Other` so that data-quality rules can report it.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::region::{RegionId, Regions};

mod ids;
pub use ids::{IdIndex, IdKey, PersonIds};

/// Where a record came from: the input file, sheet and Excel row (1-based, as Excel shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct RowRef {
    /// Index into [`Dataset::sources`].
    pub source: u32,
    /// Excel-style 1-based row number (for CSV: the line's record number, header = its row).
    pub row: u32,
}

/// One input table as read: file, sheet and the header mapping that was recognised.
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    /// The file name as given on the command line.
    pub file: String,
    /// The sheet name (`None` for CSV).
    pub sheet: Option<String>,
    /// What kind of table the headers were recognised as.
    pub kind: TableKind,
    /// Excel row number of the header row.
    pub header_row: u32,
    /// Original header text of every column, by column index.
    pub headers: Vec<String>,
    /// Data rows read (totals rows and rows of other counties excluded).
    pub rows: u64,
    /// The data date its title rows state (`数据截至：2021年11月30日`), if any.
    pub data_date: Option<DataDate>,
}

/// How a title row states the date of the data, strongest first (SPEC §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum DataDateKind {
    /// `数据截至…`, `数据日期…`, `统计截止日期…`.
    DataAsOf,
    /// `截至…` alone (`小额信贷台账（截至2021年11月30日）`).
    AsOf,
    /// `导出时间…`: when the file was exported.
    Exported,
}

/// A date found in a table's title rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataDate {
    /// The date.
    pub date: NaiveDate,
    /// Which wording stated it.
    pub kind: DataDateKind,
    /// The wording as written (`数据截至`).
    pub label: String,
}

/// The kinds of input table gonggu understands (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// 人员: one row per person (监测对象信息, 脱贫人口).
    Roster,
    /// 项目: 衔接资金项目 ledger.
    Projects,
    /// 小额信贷: microcredit ledger.
    Loans,
    /// 汇总: one row per region, one column per measure.
    Summary,
    /// 目标: per-region targets.
    Targets,
    /// （务工月监测）已外出务工信息: one row per work spell of a person.
    WorkSpells,
    /// 计划外出务工信息: one row per person asked about plans to work away.
    PlannedWork,
    /// （自定义）行政村信息: one row per village.
    Villages,
    /// （乡村建设）户信息: one row per household.
    HouseholdInfo,
}

impl TableKind {
    /// Chinese name used in messages.
    pub fn label(self) -> &'static str {
        match self {
            TableKind::Roster => "人员表",
            TableKind::Projects => "项目表",
            TableKind::Loans => "小额信贷表",
            TableKind::Summary => "汇总表",
            TableKind::Targets => "目标表",
            TableKind::WorkSpells => "已外出务工信息表",
            TableKind::PlannedWork => "计划外出务工信息表",
            TableKind::Villages => "行政村信息表",
            TableKind::HouseholdInfo => "户信息表",
        }
    }
}

/// 户类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum HouseholdType {
    /// 脱贫户.
    Tuopin,
    /// 普通农户 (as the national system writes it) / 一般农户 / 非脱贫户.
    General,
}

/// 监测对象类别 (易返贫致贫户类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum MonitorCategory {
    /// 脱贫不稳定户.
    Unstable,
    /// 边缘易致贫户.
    Marginal,
    /// 突发严重困难户.
    Sudden,
    /// A non-empty value outside the three categories (a data-quality finding; counts as
    /// monitored).
    Other,
}

/// 劳动技能.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum LaborSkill {
    /// 普通劳动力.
    Ordinary,
    /// 技能劳动力.
    Skilled,
    /// 弱劳动力或半劳动力.
    Weak,
    /// 丧失劳动力.
    Lost,
    /// 无劳动力.
    NoLabor,
    /// Anything else.
    Other,
}

impl LaborSkill {
    /// Counts in `labor_persons` (普通, 技能, 弱或半).
    pub fn is_labor(self) -> bool {
        matches!(
            self,
            LaborSkill::Ordinary | LaborSkill::Skilled | LaborSkill::Weak
        )
    }
}

/// 务工所在地, classified by content (SPEC §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum WorkPlace {
    /// Blank, 否, 无: not working.
    #[default]
    NotWorking,
    /// 县内 / 乡镇内.
    InCounty,
    /// 省内县外.
    InProvince,
    /// 省外.
    OutProvince,
    /// Working, destination not recognised (a data-quality finding).
    Unknown,
}

impl WorkPlace {
    /// Whether the person counts as working.
    pub fn is_working(self) -> bool {
        !matches!(self, WorkPlace::NotWorking)
    }

    /// The Chinese word for the class (`县内`, `省内县外`, `省外`, `去向不明`, `未务工`).
    pub fn label(self) -> &'static str {
        match self {
            WorkPlace::NotWorking => "未务工",
            WorkPlace::InCounty => "县内",
            WorkPlace::InProvince => "省内县外",
            WorkPlace::OutProvince => "省外",
            WorkPlace::Unknown => "去向不明",
        }
    }
}

/// One distinct 务工所在地 value as written, classified against one household county
/// (see [`crate::division::Classifier`]). Persons point at it through
/// [`Person::work_entry`], so a roster that repeats a few thousand addresses stores each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkPlaceEntry {
    /// The value as written (trimmed).
    pub text: Box<str>,
    /// Its class.
    pub place: WorkPlace,
    /// Why it could not be placed, when [`WorkPlace::Unknown`].
    pub problem: Option<WorkPlaceProblem>,
}

/// Why a 务工所在地 could not be given a destination (rule WK02 shows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkPlaceProblem {
    /// Neither an administrative division, a foreign place nor a category word.
    NotAPlace,
    /// A name several divisions share, not told apart by the levels written (`鼓楼区`):
    /// the full names of the candidates (`江苏省南京市鼓楼区` …).
    Ambiguous(Vec<String>),
    /// Only a province or city that contains the household's own county (`河南省`,
    /// `商丘市`): whether it is inside the county cannot be told. The place named, in full.
    Coarse(String),
    /// The household's own county (its 县 cell, given here) could not be placed in the
    /// division table, so an address in the same province cannot be classified.
    HomeUnknown(String),
}

impl WorkPlaceProblem {
    /// A Chinese sentence for the user, naming the value.
    pub fn message(&self, text: &str) -> String {
        match self {
            WorkPlaceProblem::NotAPlace => format!(
                "务工所在地「{text}」既不是行政区划名称，也不是县内、省内县外、省外等类别（按务工、去向不明统计）"
            ),
            WorkPlaceProblem::Ambiguous(c) => format!(
                "务工所在地「{text}」有 {} 处同名地区（{}），请写明所在省、市（按务工、去向不明统计）",
                c.len(),
                c.join("、")
            ),
            WorkPlaceProblem::Coarse(place) => format!(
                "务工所在地「{text}」只写到{place}，无法判断是否在本县内，请写到县（市、区）（按务工、去向不明统计）"
            ),
            WorkPlaceProblem::HomeUnknown(county) => format!(
                "本户所在县(市、区)「{county}」在行政区划表中找不到，省内地址「{text}」无法判断是否县外；可在 gonggu.toml 的 [region_codes] 中为它指定代码（按务工、去向不明统计）"
            ),
        }
    }
}

/// 健康状况.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Health {
    /// 健康.
    Healthy,
    /// 残疾.
    Disabled,
    /// 长期慢性病.
    Chronic,
    /// 患大病.
    Serious,
    /// Anything else.
    Other,
}

/// 在校生状况, reduced to the stages the rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SchoolStage {
    /// 非在校生 / blank.
    NotInSchool,
    /// 学龄前儿童 (not yet in any school).
    PreschoolChild,
    /// 学前教育.
    Preschool,
    /// 小学 (一年级…六年级).
    Primary,
    /// 初中 / 七年级…九年级.
    Junior,
    /// 高中 / 普通高中.
    Senior,
    /// 中职.
    Vocational,
    /// 高职高专, 本科, 技师学院.
    Higher,
    /// 硕士生及以上.
    Graduate,
    /// Anything else that is clearly in school.
    OtherInSchool,
}

impl SchoolStage {
    /// Whether the person is a student (学前教育 and above).
    pub fn in_school(self) -> bool {
        !matches!(self, SchoolStage::NotInSchool | SchoolStage::PreschoolChild)
    }
}

/// 性别 (exports use 1 = 男, 2 = 女 or the words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Sex {
    /// 男.
    Male,
    /// 女.
    Female,
}

/// 享受低保政策情况.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Dibao {
    /// 城市低保 / 农村低保.
    Yes,
    /// 未享受.
    No,
}

/// 风险消除方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EliminationMethod {
    /// 帮扶消除.
    Assisted,
    /// 自然消除.
    Natural,
    /// Anything else.
    Other,
}

/// 致贫/返贫风险 types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[repr(u8)]
pub enum Risk {
    /// 因病.
    Illness = 0,
    /// 因残.
    Disability,
    /// 因学.
    Schooling,
    /// 因安全住房.
    Housing,
    /// 因安全饮水.
    Water,
    /// 因自然灾害.
    Disaster,
    /// 因意外事故.
    Accident,
    /// 因产业项目失败.
    IndustryFailure,
    /// 因务工就业不稳.
    UnstableWork,
    /// 缺劳动力.
    LackOfLabor,
    /// 其他.
    Other,
}

impl Risk {
    /// All risk types in catalogue order.
    pub const ALL: [Risk; 11] = [
        Risk::Illness,
        Risk::Disability,
        Risk::Schooling,
        Risk::Housing,
        Risk::Water,
        Risk::Disaster,
        Risk::Accident,
        Risk::IndustryFailure,
        Risk::UnstableWork,
        Risk::LackOfLabor,
        Risk::Other,
    ];

    /// The Chinese label as exported.
    pub fn label(self) -> &'static str {
        match self {
            Risk::Illness => "因病",
            Risk::Disability => "因残",
            Risk::Schooling => "因学",
            Risk::Housing => "因安全住房",
            Risk::Water => "因安全饮水",
            Risk::Disaster => "因自然灾害",
            Risk::Accident => "因意外事故",
            Risk::IndustryFailure => "因产业项目失败",
            Risk::UnstableWork => "因务工就业不稳",
            Risk::LackOfLabor => "缺劳动力",
            Risk::Other => "其他",
        }
    }

    /// Bit of this risk in a [`RiskSet`].
    pub fn bit(self) -> u16 {
        1 << (self as u8)
    }
}

/// A set of risks (bit set over [`Risk`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct RiskSet(pub u16);

impl RiskSet {
    /// Whether `risk` is in the set.
    pub fn contains(self, risk: Risk) -> bool {
        self.0 & risk.bit() != 0
    }
    /// Adds `risk`.
    pub fn insert(&mut self, risk: Risk) {
        self.0 |= risk.bit();
    }
    /// Whether no risk is recorded.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// The household measure columns (SPEC §3.1): any non-empty value other than 否/无 means the
/// measure is in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[repr(u8)]
pub enum Assistance {
    /// 产业帮扶.
    Industry = 0,
    /// 就业帮扶.
    Employment,
    /// 公益岗位帮扶 (= 公益性岗位帮扶).
    WelfarePost,
    /// 健康帮扶.
    Health,
    /// 教育帮扶.
    Education,
    /// 义务教育保障.
    CompulsoryEducation,
    /// 住房安全保障.
    Housing,
    /// 饮水安全保障.
    Water,
    /// 综合保障.
    SocialSecurity,
    /// 社会帮扶.
    Social,
    /// 金融帮扶.
    Finance,
    /// 搬迁.
    Relocation,
    /// 生产生活条件改善.
    LivingConditions,
    /// 基础设施建设.
    Infrastructure,
}

impl Assistance {
    /// All measure columns.
    pub const ALL: [Assistance; 14] = [
        Assistance::Industry,
        Assistance::Employment,
        Assistance::WelfarePost,
        Assistance::Health,
        Assistance::Education,
        Assistance::CompulsoryEducation,
        Assistance::Housing,
        Assistance::Water,
        Assistance::SocialSecurity,
        Assistance::Social,
        Assistance::Finance,
        Assistance::Relocation,
        Assistance::LivingConditions,
        Assistance::Infrastructure,
    ];

    /// Column name as exported.
    pub fn label(self) -> &'static str {
        match self {
            Assistance::Industry => "产业帮扶",
            Assistance::Employment => "就业帮扶",
            Assistance::WelfarePost => "公益岗位帮扶",
            Assistance::Health => "健康帮扶",
            Assistance::Education => "教育帮扶",
            Assistance::CompulsoryEducation => "义务教育保障",
            Assistance::Housing => "住房安全保障",
            Assistance::Water => "饮水安全保障",
            Assistance::SocialSecurity => "综合保障",
            Assistance::Social => "社会帮扶",
            Assistance::Finance => "金融帮扶",
            Assistance::Relocation => "搬迁",
            Assistance::LivingConditions => "生产生活条件改善",
            Assistance::Infrastructure => "基础设施建设",
        }
    }

    /// Bit of this measure in a [`AssistanceSet`].
    pub fn bit(self) -> u16 {
        1 << (self as u8)
    }
}

/// A set of household measures in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct AssistanceSet(pub u16);

impl AssistanceSet {
    /// Whether `m` is in place.
    pub fn contains(self, m: Assistance) -> bool {
        self.0 & m.bit() != 0
    }
    /// Marks `m` as in place.
    pub fn insert(&mut self, m: Assistance) {
        self.0 |= m.bit();
    }
    /// Whether no measure is in place.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// A 证件号码 as read: kept as text (18, 20 or 22 characters, possibly invalid).
///
/// Stored inline up to 22 bytes so that a province roster does not allocate per person.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber {
    len: u8,
    bytes: [u8; 23],
}

impl IdNumber {
    /// Builds from text; `None` when empty or longer than 23 bytes (reported as invalid).
    pub fn new(text: &str) -> Option<IdNumber> {
        let text = text.trim();
        if text.is_empty() || text.len() > 23 {
            return None;
        }
        let mut bytes = [0u8; 23];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Some(IdNumber {
            len: text.len() as u8,
            bytes,
        })
    }

    /// The key that joins one person across exports: the first 18 characters (a 20- or
    /// 22-character number is the 证件号码 followed by a 残疾人证 suffix), with `x` as `X`.
    pub fn person_key(&self) -> IdNumber {
        let mut key = *self;
        if key.len > 18 {
            key.bytes[18..].fill(0);
            key.len = 18;
        }
        key.bytes.make_ascii_uppercase();
        key
    }

    /// A standard 18-character number (17 digits and a check digit or `X`, as written)
    /// packed into 64 bits: equal numbers, and only they, pack equal. `None` for any other
    /// text (lower-case `x`, other lengths, letters).
    pub fn packed(&self) -> Option<u64> {
        if self.len != 18 {
            return None;
        }
        let mut key: u64 = 0;
        for &b in &self.bytes[..17] {
            if !b.is_ascii_digit() {
                return None;
            }
            key = key * 10 + u64::from(b - b'0');
        }
        let check = match self.bytes[17] {
            b @ b'0'..=b'9' => u64::from(b - b'0'),
            b'X' => 10,
            _ => return None,
        };
        // At most (10^17 - 1) * 11 + 10 < 2^63.
        Some(key * 11 + check)
    }

    /// The number of a [`IdNumber::packed`] key.
    pub fn unpack(key: u64) -> IdNumber {
        let mut bytes = [0u8; 23];
        bytes[17] = match key % 11 {
            10 => b'X',
            c => b'0' + c as u8,
        };
        let mut rest = key / 11;
        for b in bytes[..17].iter_mut().rev() {
            *b = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        IdNumber { len: 18, bytes }
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        // Constructed from a &str of exactly this length, so always valid UTF-8.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a full ID number in debug output either.
        write!(f, "IdNumber({})", crate::mask::mask_id(self.as_str()))
    }
}

/// Yes / no / not recorded for the 是/否 columns a rule may need.
pub type Flag = Option<bool>;

/// The details of one person (one roster row after merging by 证件号码) that only the
/// check rules, lists and findings read: kept by a full read, by the person's index. What
/// counting needs is in [`Roster::facts`] and the 证件号码 in [`Roster::ids`], under the
/// same index, for every read.
#[derive(Debug, Clone)]
pub struct Person {
    /// The raw 证件号码 text when Excel stored it as a number (`4.10123E+17`): digits lost.
    pub id_was_number: bool,
    /// 姓名 (masked before any output unless `--reveal-pii`).
    pub name: Option<Box<str>>,
    /// 与户主关系 as written (for the head-of-household rules).
    pub relation_recorded: bool,
    /// 性别.
    pub sex: Option<Sex>,
    /// 出生日期.
    pub birth: Option<NaiveDate>,
    /// 健康状况.
    pub health: Option<Health>,
    /// 在校生状况.
    pub school: Option<SchoolStage>,
    /// The 务工所在地 value as written and classified: an index into
    /// [`Roster::work_places`]; `None` when blank (not working).
    pub work_entry: Option<u32>,
    /// 务工月收入 (元).
    pub monthly_wage: Option<Decimal>,
    /// 是否参加城乡居民基本医疗保险.
    pub basic_medical: Flag,
    /// 是否参加大病保险.
    pub serious_illness_insurance: Flag,
    /// 享受低保政策情况.
    pub dibao: Option<Dibao>,
    /// 享受特困供养政策情况 (享受 = true).
    pub tekun: Flag,
    /// 户联系电话 / 联系电话 (digits as written).
    pub phone: Option<Box<str>>,
}

/// What counting needs of a person: kept for every person (in [`Roster::facts`]), also
/// by a read that only counts and keeps no [`Person`] details. 20 bytes a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonFacts {
    /// Index into [`Roster::households`].
    pub household: u32,
    /// Source row (the row that won the merge).
    pub at: RowRef,
    /// 劳动技能.
    pub labor: Option<LaborSkill>,
    /// 务工所在地, classified.
    pub work: WorkPlace,
    /// 是否持证.
    pub certified: Flag,
    /// 公益性岗位 held.
    pub welfare_post: bool,
    /// 与户主关系 = 户主.
    pub is_head: bool,
}

/// One household (all roster rows with one 户编号 under one village).
#[derive(Debug, Clone)]
pub struct Household {
    /// 户编号.
    pub id: Box<str>,
    /// The village (leaf region) the household belongs to.
    pub village: RegionId,
    /// Row the household attributes were taken from (户主 row, else first row).
    pub at: RowRef,
    /// 户类型 (`None` when blank or unrecognised).
    pub kind: Option<HouseholdType>,
    /// 户类型 as written when not recognised.
    pub kind_unrecognised: bool,
    /// 监测对象类别.
    pub category: Option<MonitorCategory>,
    /// 监测对象类别 as written (kept for the rule that lists unknown categories).
    pub category_text: Option<Box<str>>,
    /// 识别监测时间.
    pub identified: Option<NaiveDate>,
    /// 风险是否消除 (`None` when blank or unreadable).
    pub eliminated: Option<bool>,
    /// 消除监测时间.
    pub eliminated_on: Option<NaiveDate>,
    /// 风险消除方式.
    pub elimination_method: Option<EliminationMethod>,
    /// 致贫/返贫风险1…5.
    pub risks: RiskSet,
    /// 致贫/返贫风险1 is filled.
    pub has_risk1: bool,
    /// 人均纯收入（元）.
    pub income: Option<Decimal>,
    /// 人数 as recorded.
    pub size_recorded: Option<u32>,
    /// Assistance columns in place (any row of the household).
    pub assistance: AssistanceSet,
    /// 帮扶措施 text non-empty (any row).
    pub assistance_text: bool,
    /// 是否危房户 = 是.
    pub unsafe_housing: Flag,
    /// 是否解决安全饮用水 (false = not solved).
    pub safe_water: Flag,
    /// Number of persons (after merge).
    pub members: u32,
    /// Number of rows marked 户主.
    pub heads: u32,
}

impl Household {
    /// Whether the household is monitored (监测对象类别 non-empty).
    pub fn is_monitored(&self) -> bool {
        self.category.is_some()
    }

    /// 风险是否消除 is 是 (a blank is not counted as eliminated).
    pub fn is_eliminated(&self) -> bool {
        self.eliminated == Some(true)
    }

    /// 脱贫户, including 脱贫不稳定户 whatever their 户类型 (SPEC §3.1).
    pub fn is_tuopin(&self) -> bool {
        self.kind == Some(HouseholdType::Tuopin) || self.category == Some(MonitorCategory::Unstable)
    }

    /// Covered = 脱贫户 or monitored.
    pub fn is_covered(&self) -> bool {
        self.is_tuopin() || self.is_monitored()
    }

    /// "Has assistance in place" (已享受帮扶政策): a measure column or 帮扶措施 filled.
    pub fn has_assistance(&self) -> bool {
        !self.assistance.is_empty() || self.assistance_text
    }
}

/// 项目类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ProjectType {
    /// 产业发展.
    Industry,
    /// 基础设施.
    Infrastructure,
    /// 就业帮扶.
    Employment,
    /// 乡村建设.
    RuralConstruction,
    /// 其他.
    Other,
}

/// 项目状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ProjectStatus {
    /// 未开工.
    NotStarted,
    /// 已开工 (在建).
    Started,
    /// 已完工.
    Completed,
}

/// One 衔接资金 project.
#[derive(Debug, Clone)]
pub struct Project {
    /// Source row.
    pub at: RowRef,
    /// 项目编号.
    pub id: Box<str>,
    /// 项目名称.
    pub name: Option<Box<str>>,
    /// County region, or the town when 乡(镇) is given.
    pub region: RegionId,
    /// Whether 乡(镇) was given (else the project counts only at county level).
    pub has_town: bool,
    /// 项目类型.
    pub kind: Option<ProjectType>,
    /// 项目年度.
    pub year: Option<i32>,
    /// 是否纳入年度实施计划.
    pub planned: bool,
    /// 衔接资金（万元）.
    pub funds: Option<Decimal>,
    /// 已支出衔接资金（万元）.
    pub spent: Option<Decimal>,
    /// 开工日期.
    pub started_on: Option<NaiveDate>,
    /// 完工日期.
    pub completed_on: Option<NaiveDate>,
    /// 项目状态.
    pub status: Option<ProjectStatus>,
}

/// 贷款状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum LoanStatus {
    /// 正常.
    Normal,
    /// 逾期.
    Overdue,
    /// 展期.
    Extended,
    /// 续贷.
    Renewed,
    /// 已结清.
    Settled,
}

/// One microcredit loan.
#[derive(Debug, Clone)]
pub struct Loan {
    /// Source row.
    pub at: RowRef,
    /// 户编号 of the borrowing household.
    pub household_id: Box<str>,
    /// County, or town when 乡(镇) is given.
    pub region: RegionId,
    /// 放款日期.
    pub issued_on: Option<NaiveDate>,
    /// 到期日期.
    pub due_on: Option<NaiveDate>,
    /// 贷款金额（元）.
    pub amount: Option<Decimal>,
    /// 贷款余额（元）.
    pub balance: Option<Decimal>,
    /// 贷款状态.
    pub status: Option<LoanStatus>,
}

/// One work spell of （务工月监测）已外出务工信息 (EXPORTS.md §1.3): a person may have several.
#[derive(Debug, Clone)]
pub struct WorkSpell {
    /// Source row.
    pub at: RowRef,
    /// 证件号码 (the join with the roster), `None` when not a valid-looking ID.
    pub id: Option<IdNumber>,
    /// 户编号.
    pub household_id: Box<str>,
    /// The row's own village (or town, county): where the person counts when the roster
    /// does not have them.
    pub region: RegionId,
    /// 是否已务工.
    pub working: Option<bool>,
    /// 开始时间: the month the spell began (its last day).
    pub start: Option<NaiveDate>,
    /// 结束时间: the month it ended (its last day); `None` while it goes on.
    pub end: Option<NaiveDate>,
    /// 务工所在县 classified against the row's 县: its entry in [`Dataset::spell_places`]
    /// (`None` when blank).
    pub place_entry: Option<u32>,
    /// The destination class of 务工所在县 (去向不明 when blank or not placeable).
    pub place: WorkPlace,
    /// 务工月收入 (元).
    pub monthly_wage: Option<Decimal>,
}

impl WorkSpell {
    /// Whether the spell is one of work (是否已务工 = 是) that covers the month of `as_of`:
    /// begun in or before it, and not ended before it.
    pub fn covers(&self, as_of: NaiveDate) -> bool {
        use chrono::Datelike;
        let month = |d: NaiveDate| d.year() * 12 + d.month() as i32;
        let now = month(as_of);
        self.working == Some(true)
            && self.start.is_some_and(|s| month(s) <= now)
            && self.end.is_none_or(|e| month(e) >= now)
    }
}

/// One row of 计划外出务工信息 (EXPORTS.md §1.4).
#[derive(Debug, Clone)]
pub struct PlannedWorker {
    /// Source row.
    pub at: RowRef,
    /// 证件号码.
    pub id: Option<IdNumber>,
    /// The row's own village (or town, county).
    pub region: RegionId,
    /// 是否计划务工.
    pub plans: Option<bool>,
}

/// One row of （自定义）行政村信息 (EXPORTS.md §1.5).
#[derive(Debug, Clone)]
pub struct VillageInfo {
    /// Source row.
    pub at: RowRef,
    /// The village (or its town or county when the row names no village).
    pub region: RegionId,
    /// 是否出列.
    pub exited: Option<bool>,
    /// 村级集体经济收入（万元）.
    pub collective_income: Option<Decimal>,
    /// 总户数.
    pub households: Option<Decimal>,
    /// 总人口数.
    pub population: Option<Decimal>,
}

/// One row of （乡村建设）户信息 (EXPORTS.md §1.2).
#[derive(Debug, Clone)]
pub struct HouseholdInfoRow {
    /// Source row.
    pub at: RowRef,
    /// 户编号.
    pub household_id: Box<str>,
    /// The row's own village (or town, county).
    pub region: RegionId,
    /// 户类型 as read (`None` when blank or not a known type).
    pub kind: Option<HouseholdType>,
}

/// One row of a 汇总 table: a region and the measures it reports, by measure id.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    /// Source row.
    pub at: RowRef,
    /// The region named in the first column.
    pub region: RegionId,
    /// (measure id, value) in column order.
    pub values: Vec<(String, Decimal)>,
}

/// One row of a 目标 table: region + measure values or indicator thresholds.
#[derive(Debug, Clone)]
pub struct TargetRow {
    /// Source row.
    pub at: RowRef,
    /// The region.
    pub region: RegionId,
    /// (column name as normalised, value). Resolved against measures and indicators later.
    pub values: Vec<(String, Decimal)>,
}

/// A value that could not be parsed (SPEC §3 "Bad values").
#[derive(Debug, Clone, Serialize)]
pub struct BadValue {
    /// Index into [`Dataset::sources`].
    pub source: u32,
    /// Excel row.
    pub row: u32,
    /// Column header as written.
    pub column: String,
    /// The text found (personal columns are never recorded here).
    pub value: String,
    /// What was expected (`日期`, `数字`, `是/否` …).
    pub expected: &'static str,
    /// The column's canonical name.
    pub canonical: &'static str,
}

/// The person roster: persons merged by 证件号码 and grouped into households.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    /// Households in first-appearance order.
    pub households: Vec<Household>,
    /// Persons in first-appearance order: the full records, kept unless the read only
    /// counts ([`crate::ingest::ReadOptions::skip_texts`]); then empty, and
    /// [`Roster::facts`] and [`Roster::ids`] are all there is of a person.
    pub persons: Vec<Person>,
    /// What counting needs of each person, by person index (always kept).
    pub facts: Vec<PersonFacts>,
    /// Each person's 证件号码, by person index (always kept).
    pub ids: PersonIds,
    /// Columns that were present in at least one roster table (canonical names).
    pub columns: std::collections::BTreeSet<&'static str>,
    /// Persons found in more than one roster row and merged (SPEC §3.1).
    pub merged_persons: u64,
    /// 证件号码 seen more than once inside one table (not merged; a finding). A read that
    /// only counts does not look for them.
    pub duplicate_ids: Vec<(RowRef, RowRef)>,
    /// Distinct 务工所在地 values (per household county) and how each was classified.
    pub work_places: Vec<WorkPlaceEntry>,
    /// The roster columns kept as text for the check rules (民族, 住房面积…).
    pub texts: TextColumns,
}

/// Roster columns kept as written, for the check rules: one small id per person and column
/// present, indexing the column's own interned texts (0 is blank,
/// [`TextColumns::ABSENT`] a person read from a table without the column); nothing for
/// columns in no table. Ids take one byte while a column has fewer than 255 distinct texts
/// (是/否, a vocabulary), two below 65 535, four beyond: on a province roster some 50
/// columns × 6 M persons.
#[derive(Debug, Clone, Default)]
pub struct TextColumns {
    /// Per column of [`crate::ingest::schema::TEXT_COLS`].
    columns: Vec<TextColumn>,
}

#[derive(Debug, Clone, Default)]
struct TextColumn {
    /// Value ids by person index (empty when the column is in no roster table).
    ids: Ids,
    /// Interned texts; id 0 is the blank text.
    strings: Vec<Box<str>>,
    lookup: rustc_hash::FxHashMap<Box<str>, u32>,
    /// The id last stored: household columns repeat on every member row and most cells
    /// are 是/否, so most texts are found without hashing.
    last: u32,
}

/// Ids as narrow as the column's distinct texts allow; each width's largest value stands
/// for [`TextColumns::ABSENT`].
#[derive(Debug, Clone)]
enum Ids {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for Ids {
    fn default() -> Self {
        Ids::U8(Vec::new())
    }
}

impl Ids {
    fn len(&self) -> usize {
        match self {
            Ids::U8(v) => v.len(),
            Ids::U16(v) => v.len(),
            Ids::U32(v) => v.len(),
        }
    }

    /// A narrow id widened: the narrow width's largest value is [`TextColumns::ABSENT`].
    fn widen(x: u32, max: u32) -> u32 {
        if x == max { TextColumns::ABSENT } else { x }
    }

    fn get(&self, i: usize) -> Option<u32> {
        match self {
            Ids::U8(v) => v
                .get(i)
                .map(|&x| Ids::widen(u32::from(x), u32::from(u8::MAX))),
            Ids::U16(v) => v
                .get(i)
                .map(|&x| Ids::widen(u32::from(x), u32::from(u16::MAX))),
            Ids::U32(v) => v.get(i).copied(),
        }
    }

    /// Grows to `len` entries, the new ones absent.
    fn extend_to(&mut self, len: usize) {
        match self {
            Ids::U8(v) if v.len() < len => v.resize(len, u8::MAX),
            Ids::U16(v) if v.len() < len => v.resize(len, u16::MAX),
            Ids::U32(v) if v.len() < len => v.resize(len, TextColumns::ABSENT),
            _ => {}
        }
    }

    /// Widens until `id` fits (absent entries stay absent).
    fn fit(&mut self, id: u32) {
        loop {
            match self {
                Ids::U8(v) if id >= u32::from(u8::MAX) => {
                    let w = v
                        .iter()
                        .map(|&x| if x == u8::MAX { u16::MAX } else { u16::from(x) })
                        .collect();
                    *self = Ids::U16(w);
                }
                Ids::U16(v) if id >= u32::from(u16::MAX) => {
                    let w = v
                        .iter()
                        .map(|&x| Ids::widen(u32::from(x), u32::from(u16::MAX)))
                        .collect();
                    *self = Ids::U32(w);
                }
                _ => return,
            }
        }
    }

    /// Sets entry `i` (in range; `id` fits, see [`Ids::fit`]).
    fn set(&mut self, i: usize, id: u32) {
        match self {
            Ids::U8(v) => {
                if let (Some(slot), Ok(x)) = (v.get_mut(i), u8::try_from(id)) {
                    *slot = x;
                }
            }
            Ids::U16(v) => {
                if let (Some(slot), Ok(x)) = (v.get_mut(i), u16::try_from(id)) {
                    *slot = x;
                }
            }
            Ids::U32(v) => {
                if let Some(slot) = v.get_mut(i) {
                    *slot = id;
                }
            }
        }
    }
}

impl TextColumns {
    /// The id of a person read from a table without the column.
    pub const ABSENT: u32 = u32::MAX;

    fn id(&self, k: usize, person: u32) -> Option<u32> {
        self.columns.get(k)?.ids.get(person as usize)
    }

    /// The text of column `k` (an index into `TEXT_COLS`) for a person: `None` when the
    /// column is absent or the cell blank.
    pub fn get(&self, k: usize, person: u32) -> Option<&str> {
        let id = self.id(k, person)?;
        if id == 0 || id == Self::ABSENT {
            return None;
        }
        self.columns.get(k)?.strings.get(id as usize).map(|s| &**s)
    }

    /// Whether the person's table had column `k` (so a blank is really blank).
    pub fn has(&self, k: usize, person: u32) -> bool {
        self.id(k, person).is_some_and(|id| id != Self::ABSENT)
    }

    /// Whether column `k` was in a roster table.
    pub fn present(&self, k: usize) -> bool {
        self.columns.get(k).is_some_and(|c| c.ids.len() > 0)
    }

    /// Sets column `k` of a person (the person index may be one past the end: a new person)
    /// to `text`, trimmed as every reader stores cells.
    pub(crate) fn set(&mut self, k: usize, person: u32, persons: usize, text: &str) {
        if self.columns.len() <= k {
            self.columns.resize_with(k + 1, TextColumn::default);
        }
        let Some(col) = self.columns.get_mut(k) else {
            return;
        };
        if col.strings.is_empty() {
            col.strings.push("".into());
        }
        // The readers store cells trimmed.
        let id = if text.is_empty() {
            0
        } else if col
            .strings
            .get(col.last as usize)
            .is_some_and(|s| **s == *text)
        {
            col.last
        } else if let Some(&id) = col.lookup.get(text) {
            id
        } else {
            let id = col.strings.len() as u32;
            col.strings.push(text.into());
            col.lookup.insert(text.into(), id);
            id
        };
        col.last = id;
        col.ids.fit(id);
        col.ids.extend_to(persons.max(person as usize + 1));
        col.ids.set(person as usize, id);
    }
}

impl Roster {
    /// Whether any roster table had this column (canonical name).
    pub fn has_column(&self, canonical: &str) -> bool {
        self.columns.contains(canonical)
    }

    /// Each household's 户主 (by household index): the first member whose 与户主关系 says
    /// 户主, else the member whose row gave the household its attributes, else its first
    /// member; `None` for a household without members. The person every list shows for a
    /// household (变动名单, 指标明细).
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::ingest::{read_inputs, ReadOptions};
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("监测对象信息.csv");
    /// std::fs::write(&path, "县,乡,村,户编号,证件号码,姓名,与户主关系,户类型\n\
    ///     夏邑县,城关镇,东关村,H1,411426201001010014,张小,之子,脱贫户\n\
    ///     夏邑县,城关镇,东关村,H1,411426198001010013,张大,户主,脱贫户\n\
    ///     夏邑县,城关镇,东关村,H2,411426199001010038,李四,配偶,脱贫户\n").unwrap();
    /// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
    /// let name = |p: Option<u32>| ds.roster.persons[p.unwrap() as usize].name.clone();
    /// let heads = ds.roster.heads();
    /// assert_eq!(name(heads[0]).as_deref(), Some("张大"));
    /// assert_eq!(name(heads[1]).as_deref(), Some("李四"));
    /// ```
    pub fn heads(&self) -> Vec<Option<u32>> {
        let mut heads: Vec<Option<(u8, u32)>> = vec![None; self.households.len()];
        for (i, p) in self.facts.iter().enumerate() {
            let Some(h) = self.households.get(p.household as usize) else {
                continue;
            };
            let rank = if p.is_head {
                0
            } else if p.at == h.at {
                1
            } else {
                2
            };
            if let Some(slot) = heads.get_mut(p.household as usize)
                && slot.is_none_or(|(r, _)| rank < r)
            {
                *slot = Some((rank, i as u32));
            }
        }
        heads.into_iter().map(|h| h.map(|(_, i)| i)).collect()
    }

    /// The 务工所在地 of a person as written and classified (`None` when blank).
    pub fn work_place_of(&self, person: &Person) -> Option<&WorkPlaceEntry> {
        person
            .work_entry
            .and_then(|i| self.work_places.get(i as usize))
    }
}

/// Everything read from the inputs of one run.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// One entry per table read (file × sheet).
    pub sources: Vec<SourceInfo>,
    /// The region tree built from every table.
    pub regions: Regions,
    /// Person roster (empty when no roster was given).
    pub roster: Roster,
    /// Project ledger.
    pub projects: Vec<Project>,
    /// Columns present in the project ledger (canonical names).
    pub project_columns: std::collections::BTreeSet<&'static str>,
    /// Microcredit ledger.
    pub loans: Vec<Loan>,
    /// Columns present in the microcredit ledger (canonical names, user aliases applied).
    pub loan_columns: std::collections::BTreeSet<&'static str>,
    /// Work spells of 已外出务工信息.
    pub work_spells: Vec<WorkSpell>,
    /// The distinct 务工所在县 values of the work spells, classified.
    pub spell_places: Vec<WorkPlaceEntry>,
    /// Rows of 计划外出务工信息.
    pub planned_work: Vec<PlannedWorker>,
    /// Rows of 行政村信息.
    pub villages: Vec<VillageInfo>,
    /// Rows of 户信息.
    pub household_info: Vec<HouseholdInfoRow>,
    /// Columns present in the tables of the other exports (已外出务工信息, 计划外出务工信息,
    /// 行政村信息, 户信息), by kind (canonical names).
    pub other_columns:
        std::collections::BTreeMap<TableKind, std::collections::BTreeSet<&'static str>>,
    /// 汇总 rows.
    pub summary: Vec<SummaryRow>,
    /// 目标 rows.
    pub targets: Vec<TargetRow>,
    /// Totals rows of 汇总 tables (合计/全市 …): kept to cross-check recomputed totals.
    pub summary_totals: Vec<(RowRef, Vec<(String, Decimal)>)>,
    /// Values that could not be parsed (treated as missing).
    pub bad_values: Vec<BadValue>,
    /// Totals rows that were skipped, with their place (for cross-checks).
    pub total_rows: Vec<RowRef>,
    /// Rows of other counties left out, per table kind, when the configured region is one
    /// county (SPEC §3.1).
    pub out_of_scope: Vec<(TableKind, u64)>,
    /// Notes for the user (Chinese), e.g. merges and skipped rows.
    pub notes: Vec<String>,
}

impl Dataset {
    /// Whether a table of this kind was read.
    pub fn has(&self, kind: TableKind) -> bool {
        self.sources.iter().any(|s| s.kind == kind)
    }

    /// The work spell of each person (by [`IdNumber::person_key`]) that covers the month of
    /// `as_of` ([`WorkSpell::covers`]); of two, the one begun later (then the later row).
    pub fn current_spells(&self, as_of: NaiveDate) -> rustc_hash::FxHashMap<IdNumber, u32> {
        let mut map: rustc_hash::FxHashMap<IdNumber, u32> = rustc_hash::FxHashMap::default();
        for (i, s) in self.work_spells.iter().enumerate() {
            let Some(id) = s.id.filter(|_| s.covers(as_of)) else {
                continue;
            };
            let slot = map.entry(id.person_key()).or_insert(i as u32);
            let newer = self
                .work_spells
                .get(*slot as usize)
                .is_none_or(|old| old.start <= s.start);
            if newer {
                *slot = i as u32;
            }
        }
        map
    }

    /// Whether a table of `kind` was read with the column `canonical`.
    pub fn has_column(&self, kind: TableKind, canonical: &str) -> bool {
        match kind {
            TableKind::Roster => self.roster.has_column(canonical),
            TableKind::Projects => self.project_columns.contains(canonical),
            TableKind::Loans => self.loan_columns.contains(canonical),
            TableKind::Summary | TableKind::Targets => false,
            other => self
                .other_columns
                .get(&other)
                .is_some_and(|c| c.contains(canonical)),
        }
    }

    /// Describes a row for messages: `文件 a.xlsx，工作表「Sheet1」，第 12 行`.
    pub fn describe(&self, at: RowRef) -> String {
        self.place_of(at, false)
    }

    /// Like [`Dataset::describe`], with the file's base name only (`监测对象信息.xlsx`): for
    /// documents sent to others, which should carry no folder of this computer.
    pub fn describe_short(&self, at: RowRef) -> String {
        self.place_of(at, true)
    }

    fn place_of(&self, at: RowRef, short: bool) -> String {
        match self.sources.get(at.source as usize) {
            Some(s) => crate::error::Place {
                file: if short {
                    crate::text::base_name(&s.file)
                } else {
                    s.file.clone()
                },
                sheet: s.sheet.clone(),
                row: Some(at.row),
                column: None,
            }
            .to_string(),
            None => format!("第 {} 行", at.row),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{IdNumber, TextColumns};

    /// Ids widen from one byte to two and four as a column's distinct texts grow; absent
    /// persons stay absent and blanks blank through each widening.
    #[test]
    fn text_columns_widen_and_keep_absent_and_blank_apart() {
        let mut t = TextColumns::default();
        let n = 70_000u32;
        for p in 0..n {
            // Person 1 is read from a table without column 1; person 2's cell is blank.
            t.set(0, p, p as usize + 1, "是");
            match p {
                1 => {}
                2 => t.set(1, p, p as usize + 1, ""),
                _ => t.set(1, p, p as usize + 1, &format!("{}平方米", p % 69_000)),
            }
        }
        assert_eq!(t.get(0, 5), Some("是"));
        assert_eq!(t.get(1, 0), Some("0平方米"));
        assert_eq!(t.get(1, 300), Some("300平方米"));
        assert_eq!(t.get(1, 69_001), Some("1平方米"));
        assert_eq!(t.get(1, n - 1), Some("999平方米"));
        assert!(!t.has(1, 1) && t.get(1, 1).is_none());
        assert!(t.has(1, 2) && t.get(1, 2).is_none());
        assert!(t.present(1) && !t.present(7));
        assert!(!t.has(1, n + 5));
    }

    #[test]
    fn standard_id_numbers_pack_into_64_bits_one_to_one() {
        let pack = |t: &str| IdNumber::new(t).unwrap().packed();
        let a = pack("11010519491231002X").unwrap();
        let b = pack("110105194912310020").unwrap();
        let c = pack("110105194912310029").unwrap();
        assert!(a != b && b != c && a != c);
        assert_eq!(pack("110105194912310020"), Some(b));
        // The largest number stays below 2^63; digits shifted by one do not collide.
        assert!(pack("99999999999999999X").unwrap() < 1 << 63);
        assert_ne!(pack("011010519491231002"), pack("110105194912310020"));
        for other in [
            "11010519491231002x",
            "1101051949123100",
            "11010519491231002X63",
            "11010519491231002Y",
            "1101051949123100２X",
        ] {
            assert_eq!(
                IdNumber::new(other).and_then(|i| i.packed()),
                None,
                "{other}"
            );
        }
    }
}
