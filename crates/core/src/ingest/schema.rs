//! Known columns, their aliases, the table kinds they make up, and header-row detection.

use std::collections::{BTreeMap, HashMap};

use crate::model::TableKind;

use super::normalize_header;

macro_rules! columns {
    ($( $(#[$doc:meta])* $var:ident => $canon:literal $([$($alias:literal),*])?; )*) => {
        /// Every column gonggu reads, across all table kinds.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(missing_docs)]
        pub enum Col { $( $(#[$doc])* $var, )* }

        impl Col {
            /// Every column.
            pub const ALL: &'static [Col] = &[ $( Col::$var, )* ];

            /// The canonical (SPEC) header.
            pub fn canonical(self) -> &'static str {
                match self { $( Col::$var => $canon, )* }
            }

            /// Built-in aliases.
            pub fn aliases(self) -> &'static [&'static str] {
                match self { $( Col::$var => &[$($($alias),*)?], )* }
            }
        }
    };
}

columns! {
    County => "县(市、区、旗)" ["县", "县区", "县(市、区)", "县(市区)", "县市区", "县(区)", "县(市、区、旗)名称"];
    Town => "乡(镇)" ["乡", "乡镇", "镇", "乡(镇、街道)", "乡镇(街道)", "乡(镇、办)"];
    Village => "行政村" ["村", "村(社区)", "行政村(社区)", "村名"];
    HouseholdId => "户编号" ["户码"];
    PersonNo => "人编号" ["人口编号"];
    IdNumber => "证件号码" ["身份证号", "身份证号码", "证件号", "公民身份号码"];
    IdType => "证件类型";
    HouseholdType => "户类型";
    Name => "姓名";
    Relation => "与户主关系";
    Size => "人数" ["家庭人口数", "家庭人数", "家庭人口"];
    Category => "监测对象类别" ["易返贫致贫户(监测对象)类型", "监测类型", "监测对象类型", "易返贫致贫户类型"];
    Identified => "识别监测时间" ["风险识别时间", "纳入监测时间"];
    Eliminated => "风险是否消除" ["风险是否已消除"];
    EliminatedOn => "消除监测时间" ["风险消除时间"];
    EliminationMethod => "风险消除方式";
    Risk1 => "致贫/返贫风险1" ["致贫返贫风险1", "主要风险类型", "风险类型", "致贫返贫风险", "致贫原因1", "致贫原因"];
    Risk2 => "致贫/返贫风险2" ["致贫返贫风险2", "致贫原因2"];
    Risk3 => "致贫/返贫风险3" ["致贫返贫风险3", "致贫原因3"];
    Risk4 => "致贫/返贫风险4" ["致贫返贫风险4", "致贫原因4"];
    Risk5 => "致贫/返贫风险5" ["致贫返贫风险5", "致贫原因5"];
    Income => "人均纯收入（元）" ["人均纯收入", "家庭年人均纯收入", "家庭人均纯收入"];
    WageIncome => "工资性收入" ["工资性收入(元)"];
    Labor => "劳动技能";
    WorkPlace => "务工所在地" ["务工区域", "务工地域"];
    MonthlyWage => "务工月收入" ["务工月收入(元)"];
    Certified => "是否持证" ["技能证书"];
    WelfarePost => "公益性岗位" ["公益性岗位类型"];
    MeasuresText => "帮扶措施";
    MIndustry => "产业帮扶";
    MEmployment => "就业帮扶";
    MWelfarePost => "公益岗位帮扶" ["公益性岗位帮扶"];
    MHealth => "健康帮扶";
    MEducation => "教育帮扶";
    MCompulsoryEducation => "义务教育保障";
    MHousing => "住房安全保障";
    MWater => "饮水安全保障";
    MSocialSecurity => "综合保障";
    MSocial => "社会帮扶";
    MFinance => "金融帮扶";
    MRelocation => "搬迁";
    MLivingConditions => "生产生活条件改善";
    MInfrastructure => "基础设施建设";
    BasicMedical => "是否参加城乡居民基本医疗保险" ["是否参加新型农村合作医疗(城乡居民基本医疗保险)", "是否参加新型农村合作医疗"];
    SeriousIllnessInsurance => "是否参加大病保险";
    Sex => "性别";
    Birth => "出生日期";
    Health => "健康状况";
    School => "在校生状况";
    Education => "文化程度";
    Phone => "户联系电话" ["联系电话"];
    /// A member's own phone: recognised (and masked in messages), read by no rule yet.
    MemberPhone => "家庭成员联系电话" ["成员联系电话", "人联系电话"];
    /// Why a child of compulsory-school age is not in school: recognised, read by no rule yet.
    OutOfSchoolReason => "义务教育阶段未上学原因" ["失学或辍学原因"];
    UnsafeHousing => "是否危房户" ["危房户"];
    SafeWater => "是否解决安全饮用水";
    Dibao => "享受低保政策情况" ["是否享受低保"];
    Tekun => "享受特困供养政策情况" ["是否特困供养人员"];
    ProjectId => "项目编号";
    ProjectName => "项目名称";
    ProjectType => "项目类型";
    ProjectYear => "项目年度" ["年度", "实施年度"];
    Planned => "是否纳入年度实施计划" ["是否纳入计划", "纳入年度实施计划", "是否纳入年度计划"];
    Funds => "衔接资金（万元）" ["衔接资金", "衔接资金金额(万元)", "衔接资金规模(万元)"];
    Spent => "已支出衔接资金（万元）" ["已支出衔接资金", "已支出资金(万元)", "已支出资金"];
    StartDate => "开工日期" ["开工时间"];
    EndDate => "完工日期" ["完工时间"];
    ProjectStatus => "项目状态";
    IssueDate => "放款日期" ["放贷日期", "发放日期"];
    DueDate => "到期日期";
    LoanAmount => "贷款金额（元）" ["贷款金额", "放款金额(元)"];
    LoanBalance => "贷款余额（元）" ["贷款余额"];
    LoanStatus => "贷款状态";
    /// 已外出务工信息: whether the spell is one of work.
    Working => "是否已务工";
    /// 已外出务工信息: the county worked in (a name comparable with 县).
    WorkCounty => "务工所在县" ["务工所在县(市、区)", "务工所在县(市、区、旗)"];
    /// 已外出务工信息: how the work was found (recognised; read by no measure yet).
    Channel => "就业渠道";
    SpellStart => "开始时间" ["务工开始时间"];
    SpellEnd => "结束时间" ["务工结束时间"];
    /// 已外出务工信息: the employer (recognised; read by no measure yet).
    Employer => "务工企业名称";
    PlansWork => "是否计划务工" ["是否计划外出务工"];
    /// 计划外出务工信息: services wanted (recognised; read by no measure yet).
    ServiceNeed => "就业服务需求";
    /// 计划外出务工信息: the county planned (recognised; read by no measure yet).
    PlannedCounty => "计划务工所在县";
    Exited => "是否出列" ["是否已出列"];
    /// 行政村信息 (recognised; read by no measure yet).
    VillageHouseholds => "总户数";
    /// 行政村信息 (recognised; read by no measure yet).
    VillagePopulation => "总人口数";
    CollectiveIncome => "村级集体经济收入（万元）" ["村级集体经济收入", "村集体经济收入（万元）", "村集体经济收入"];
    /// 户信息 (乡村建设): recognised (it marks the table), read by no measure yet.
    ToiletUsable => "卫生厕所是否能正常使用" ["卫生厕所能否正常使用"];
    // Roster columns read only by check rules, kept as text (`model::TextColumns`).
    Ethnicity => "民族";
    Politics => "政治面貌";
    DisabilityKind => "残疾类别";
    DisabilityYear => "残疾证办证年度";
    WorkMonths => "务工时间（月）" ["务工时间(月)", "务工时间"];
    PostMonths => "公益性岗位(月数)" ["公益性岗位（月数）", "公益性岗位月数"];
    WorkerMedical => "是否参加城镇职工基本医疗保险";
    ResidentPension => "是否参加城乡居民基本养老保险";
    WorkerPension => "是否参加城镇职工基本养老保险";
    MedicalAid => "是否接受医疗救助";
    ProductionIncome => "生产经营性收入" ["生产经营性收入(元)"];
    PropertyIncome => "财产性收入" ["财产性收入(元)"];
    TransferIncome => "转移性收入" ["转移性收入(元)"];
    SelfPay => "合规自付支出" ["合规自付支出(元)", "合规自付医疗支出"];
    TekunAllowance => "特困人员救助供养金";
    SafetyNet => "是否兜底保障户";
    NoLaborSafetyNet => "整户无劳动能力兜底保障户" ["是否整户无劳动能力兜底保障户"];
    Farmland => "耕地面积（亩）" ["耕地面积"];
    HouseArea => "住房面积" ["住房面积（平方米）", "住房面积(平方米)"];
    RoadHardened => "入户道路是否硬化" ["入户路是否硬化"];
    Electricity => "是否通生活用电";
    Toilet => "是否有卫生厕所";
    Dropout => "是否义务教育阶段适龄儿童少年失学辍学";
    Uninsured => "是否有家庭成员未参加城乡居民（职工）基本医疗保险";
    Developmental => "实施开发式帮扶措施情况";
    AfterDropout => "风险消除后是否义务教育阶段适龄儿童少年失学辍学";
    AfterHousingDamaged => "风险消除后是否住房损毁";
    AfterUninsured => "风险消除后是否有家庭成员未参加城乡居民（职工）基本医疗保险";
    AfterWaterDamaged => "风险消除后是否饮水设施损毁";
    AfterWageIncome => "风险消除后工资性收入";
    AfterPropertyIncome => "风险消除后财产性收入";
    AfterTransferIncome => "风险消除后转移性收入";
    AfterProductionIncome => "风险消除后生产经营性收入";
    AfterProductionCost => "风险消除后生产经营性支出";
    AfterNetIncome => "风险消除后家庭纯收入";
    AfterIncome => "风险消除后家庭人均纯收入";
    AfterClaims => "风险消除后理赔收入";
    AfterSelfPay => "风险消除后合规自付支出";
}

/// Roster columns kept as text for the check rules (`model::TextColumns`): the columns
/// above that have no typed field, and a few recognised ones no measure reads; last, the
/// [`TYPED`] ones that are also read into typed fields.
pub const TEXT_COLS: &[Col] = {
    use Col::*;
    &[
        IdType,
        Education,
        OutOfSchoolReason,
        WageIncome,
        Ethnicity,
        Politics,
        DisabilityKind,
        DisabilityYear,
        WorkMonths,
        PostMonths,
        WorkerMedical,
        ResidentPension,
        WorkerPension,
        MedicalAid,
        ProductionIncome,
        PropertyIncome,
        TransferIncome,
        SelfPay,
        TekunAllowance,
        SafetyNet,
        NoLaborSafetyNet,
        Farmland,
        HouseArea,
        RoadHardened,
        Electricity,
        Toilet,
        Dropout,
        Uninsured,
        Developmental,
        AfterDropout,
        AfterHousingDamaged,
        AfterUninsured,
        AfterWaterDamaged,
        AfterWageIncome,
        AfterPropertyIncome,
        AfterTransferIncome,
        AfterProductionIncome,
        AfterProductionCost,
        AfterNetIncome,
        AfterIncome,
        AfterClaims,
        AfterSelfPay,
        // The typed ones: keep them last, [`TYPED`] of them.
        Relation,
        Dibao,
        Tekun,
        WelfarePost,
        MeasuresText,
        MEmployment,
        MHealth,
        MEducation,
        MSocialSecurity,
    ]
};

/// How many columns at the end of [`TEXT_COLS`] are typed.
const TYPED: usize = 9;

/// The columns of [`TEXT_COLS`] that the reader also reads into typed fields (户主 from
/// 与户主关系, 低保/特困, 公益性岗位, the 帮扶 columns): read even when the texts are not kept.
/// The demo test `counting_reads_build_the_same_records` fails when one is missing here.
pub const TYPED_TEXT_COLS: &[Col] = TEXT_COLS.split_at(TEXT_COLS.len() - TYPED).1;

/// Columns of a table kind and which are required.
pub fn schema(kind: TableKind) -> (&'static [Col], &'static [Col]) {
    use Col::*;
    match kind {
        TableKind::Roster => (
            &[
                County,
                Town,
                Village,
                HouseholdId,
                PersonNo,
                IdNumber,
                IdType,
                HouseholdType,
                Name,
                Relation,
                Size,
                Category,
                Identified,
                Eliminated,
                EliminatedOn,
                EliminationMethod,
                Risk1,
                Risk2,
                Risk3,
                Risk4,
                Risk5,
                Income,
                WageIncome,
                Labor,
                WorkPlace,
                MonthlyWage,
                Certified,
                WelfarePost,
                MeasuresText,
                MIndustry,
                MEmployment,
                MWelfarePost,
                MHealth,
                MEducation,
                MCompulsoryEducation,
                MHousing,
                MWater,
                MSocialSecurity,
                MSocial,
                MFinance,
                MRelocation,
                MLivingConditions,
                MInfrastructure,
                BasicMedical,
                SeriousIllnessInsurance,
                Sex,
                Birth,
                Health,
                School,
                Education,
                Phone,
                MemberPhone,
                OutOfSchoolReason,
                UnsafeHousing,
                SafeWater,
                Dibao,
                Tekun,
            ],
            &[County, Town, Village, HouseholdId, IdNumber, HouseholdType],
        ),
        TableKind::Projects => (
            &[
                ProjectId,
                ProjectName,
                County,
                Town,
                ProjectType,
                ProjectYear,
                Planned,
                Funds,
                Spent,
                StartDate,
                EndDate,
                ProjectStatus,
            ],
            &[ProjectId, County, Planned, Funds],
        ),
        TableKind::Loans => (
            &[
                HouseholdId,
                County,
                Town,
                IssueDate,
                DueDate,
                LoanAmount,
                LoanBalance,
                LoanStatus,
            ],
            &[HouseholdId, County, LoanBalance],
        ),
        TableKind::WorkSpells => (
            &[
                County,
                Town,
                Village,
                HouseholdId,
                IdNumber,
                HouseholdType,
                Category,
                Working,
                WorkCounty,
                Channel,
                SpellStart,
                SpellEnd,
                MonthlyWage,
                Employer,
            ],
            &[County, IdNumber, Working, SpellStart],
        ),
        TableKind::PlannedWork => (
            &[
                County,
                Town,
                Village,
                HouseholdId,
                IdNumber,
                HouseholdType,
                PlansWork,
                ServiceNeed,
                PlannedCounty,
            ],
            &[County, IdNumber, PlansWork],
        ),
        TableKind::Villages => (
            &[
                County,
                Town,
                Village,
                Exited,
                VillageHouseholds,
                VillagePopulation,
                CollectiveIncome,
            ],
            &[County, Town, Village],
        ),
        TableKind::HouseholdInfo => (
            &[
                County,
                Town,
                Village,
                HouseholdId,
                IdNumber,
                HouseholdType,
                ToiletUsable,
            ],
            &[County, HouseholdId, HouseholdType],
        ),
        TableKind::Summary | TableKind::Targets => (&[], &[]),
    }
}

/// The record tables, in the order their headers are tried.
pub const RECORD_KINDS: [TableKind; 7] = [
    TableKind::Roster,
    TableKind::Projects,
    TableKind::Loans,
    TableKind::WorkSpells,
    TableKind::PlannedWork,
    TableKind::Villages,
    TableKind::HouseholdInfo,
];

/// Columns whose presence marks a table kind (a header row must have one of them).
fn signature(kind: TableKind) -> &'static [Col] {
    use Col::*;
    match kind {
        TableKind::Roster => &[IdNumber, HouseholdType, Category],
        TableKind::Projects => &[ProjectId, Planned, Funds],
        TableKind::Loans => &[LoanBalance, LoanAmount, LoanStatus],
        TableKind::WorkSpells => &[Working, WorkCounty, SpellStart],
        TableKind::PlannedWork => &[PlansWork, PlannedCounty],
        TableKind::Villages => &[
            Exited,
            CollectiveIncome,
            VillageHouseholds,
            VillagePopulation,
        ],
        TableKind::HouseholdInfo => &[ToiletUsable],
        TableKind::Summary | TableKind::Targets => &[],
    }
}

/// Header words that name the region column of a 汇总 or 目标 table, with their level.
pub const REGION_HEADERS: &[(&str, crate::region::Level)] = {
    use crate::region::Level::*;
    &[
        ("县(市、区)", County),
        ("县(市、区、旗)", County),
        ("县(市区)", County),
        ("县区", County),
        ("县", County),
        ("地区", County),
        ("单位", County),
        ("乡镇", Town),
        ("乡(镇)", Town),
        ("乡", Town),
        ("行政村", Village),
        ("村", Village),
    ]
};

/// Maps normalised header text to columns, built-in aliases plus configured ones.
#[derive(Debug, Clone)]
pub struct HeaderMatcher {
    map: HashMap<String, Col>,
}

impl HeaderMatcher {
    /// Builds the matcher; `extra` maps a canonical name (or any known name) to more aliases
    /// (`[aliases]` in gonggu.toml).
    ///
    /// # Errors
    /// A message when `extra` names a column gonggu does not know.
    pub fn new(extra: &BTreeMap<String, Vec<String>>) -> Result<Self, String> {
        let mut map = HashMap::new();
        for &col in Col::ALL {
            map.insert(normalize_header(col.canonical()), col);
            for a in col.aliases() {
                map.entry(normalize_header(a)).or_insert(col);
            }
        }
        for (name, aliases) in extra {
            let Some(&col) = map.get(&normalize_header(name)) else {
                return Err(format!("[aliases] 中的列名「{name}」不是 gonggu 认识的列"));
            };
            for a in aliases {
                map.insert(normalize_header(a), col);
            }
        }
        Ok(HeaderMatcher { map })
    }

    /// The column a header names, if known.
    pub fn column(&self, header: &str) -> Option<Col> {
        self.map.get(&normalize_header(header)).copied()
    }
}

/// Column positions of a recognised table.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// Position by `Col as usize`: a plain index, because every cell access of every row
    /// goes through it.
    pos: Vec<Option<usize>>,
}

impl ColumnMap {
    fn from_pairs(pairs: impl Iterator<Item = (Col, usize)>) -> Self {
        let mut pos = vec![None; Col::ALL.len()];
        for (c, i) in pairs {
            if let Some(slot) = pos.get_mut(c as usize) {
                *slot = Some(i);
            }
        }
        ColumnMap { pos }
    }

    /// Position of a column in the row, if present.
    pub fn get(&self, col: Col) -> Option<usize> {
        self.pos.get(col as usize).copied().flatten()
    }

    /// Whether the table has the column.
    pub fn has(&self, col: Col) -> bool {
        self.get(col).is_some()
    }

    /// The positions to read: the mapped columns (without the text-only ones when
    /// `skip_texts`) and every column up to the first mapped one, where a total row writes
    /// its 合计. A row is then read without the columns no command uses.
    pub fn wanted(&self, skip_texts: bool) -> Vec<bool> {
        let used: Vec<usize> = Col::ALL
            .iter()
            .filter(|c| !(skip_texts && TEXT_COLS.contains(c) && !TYPED_TEXT_COLS.contains(c)))
            .filter_map(|c| self.get(*c))
            .collect();
        let first = self.pos.iter().flatten().copied().min().unwrap_or(0);
        let len = used
            .iter()
            .copied()
            .max()
            .map_or(0, |m| m + 1)
            .max(first + 1);
        let mut wanted = vec![false; len];
        for (i, w) in wanted.iter_mut().enumerate() {
            *w = i <= first || used.contains(&i);
        }
        wanted
    }

    /// Columns present, in [`Col::ALL`] order.
    pub fn columns(&self) -> impl Iterator<Item = Col> + '_ {
        Col::ALL.iter().copied().filter(|c| self.has(*c))
    }
}

/// The outcome of looking at one candidate header row.
#[derive(Debug)]
pub struct HeaderGuess {
    /// Table kind.
    pub kind: TableKind,
    /// Column positions.
    pub map: ColumnMap,
    /// Required columns missing.
    pub missing: Vec<Col>,
    /// Number of known columns matched.
    pub score: usize,
    /// Columns of this table that two headers name: (column, first position, second).
    pub duplicates: Vec<(Col, usize, usize)>,
}

/// Tries to read the column names `names` as the header of a record table (roster,
/// projects, loans).
pub fn guess_record_header(names: &[String], matcher: &HeaderMatcher) -> Option<HeaderGuess> {
    let mut found: HashMap<Col, usize> = HashMap::new();
    let mut twice: Vec<(Col, usize, usize)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(col) = matcher.column(name) {
            match found.get(&col) {
                Some(&first) => twice.push((col, first, i)),
                None => {
                    found.insert(col, i);
                }
            }
        }
    }
    let mut best: Option<HeaderGuess> = None;
    for kind in RECORD_KINDS {
        if !signature(kind).iter().any(|c| found.contains_key(c)) {
            continue;
        }
        let (cols, required) = schema(kind);
        // A roster also keeps its text-only columns for the check rules.
        let accepts =
            |c: &Col| cols.contains(c) || (kind == TableKind::Roster && TEXT_COLS.contains(c));
        let pos: HashMap<Col, usize> = found
            .iter()
            .filter(|(c, _)| accepts(c))
            .map(|(c, i)| (*c, *i))
            .collect();
        let missing: Vec<Col> = required
            .iter()
            .copied()
            .filter(|c| !pos.contains_key(c))
            .collect();
        let score = pos.len();
        let better = match &best {
            None => true,
            Some(b) => (missing.is_empty(), score) > (b.missing.is_empty(), b.score),
        };
        if better && score >= 2 {
            best = Some(HeaderGuess {
                kind,
                map: ColumnMap::from_pairs(pos.into_iter()),
                missing,
                score,
                duplicates: twice
                    .iter()
                    .filter(|(c, _, _)| accepts(c))
                    .copied()
                    .collect(),
            });
        }
    }
    best
}

/// The level named by a region header word (`县(市、区)` → county), if it is one.
pub fn region_header_level(text: &str) -> Option<crate::region::Level> {
    let n = normalize_header(text);
    REGION_HEADERS
        .iter()
        .find(|(h, _)| normalize_header(h) == n)
        .map(|(_, l)| *l)
}

/// Sub-headers too generic to stand alone under a group (`脱贫户` over `户数 | 人数`).
const GENERIC_SUBHEADERS: [&str; 16] = [
    "户数",
    "人数",
    "人口数",
    "金额",
    "个数",
    "数量",
    "户",
    "人",
    "个",
    "万元",
    "元",
    "合计",
    "小计",
    "其中",
    "目标",
    "完成",
];

/// Forms of a group header to put before a sub-header: itself and the stems the measure
/// names use (`脱贫户` → `脱贫`, `脱贫人口`; `监测对象` → `监测`, `监测户`).
fn group_stems(group: &str) -> Vec<String> {
    let g = group
        .trim_start_matches("其中")
        .trim_start_matches([':', '：'])
        .trim();
    let mut stems = vec![g.to_string()];
    for (suffix, alternatives) in [
        ("户", &["", "人口", "对象"][..]),
        ("对象", &["", "户"][..]),
        ("人口", &["", "户"][..]),
    ] {
        if let Some(base) = g.strip_suffix(suffix).filter(|b| !b.is_empty()) {
            stems.extend(alternatives.iter().map(|a| format!("{base}{a}")));
        }
    }
    stems
}

/// The name of one column of a two-row header (a merged group cell over sub-headers): the
/// group and sub-header together when they name a known column or measure (`脱贫户` +
/// `户数` → `脱贫户数`, `脱贫户` + `人数` → `脱贫人口数`, `监测对象` + `户数` → `监测户数`,
/// `脱贫人口` + `务工就业人数` → `脱贫人口务工就业人数`); else the sub-header alone when it
/// names one, or is not generic; else the group and sub-header joined.
pub(crate) fn two_row_name(group: &str, sub: &str, known: &dyn Fn(&str) -> bool) -> String {
    let sub = sub.trim();
    let group = group.trim();
    if group.is_empty() || sub.is_empty() {
        return if sub.is_empty() { group } else { sub }.to_string();
    }
    let subs = [sub.to_string(), sub.replace("人数", "人口数")];
    for stem in group_stems(group) {
        for s in &subs {
            let name = format!("{stem}{s}");
            if known(&name) {
                return name;
            }
        }
    }
    if known(sub) || !GENERIC_SUBHEADERS.contains(&normalize_header(sub).as_str()) {
        return sub.to_string();
    }
    format!("{group}{sub}")
}

/// The column names of a two-row header: each group cell (merged across the columns it
/// spans, so only its first cell holds the text) is carried right over the blank cells
/// after it; a column with no sub-header (merged down over both rows) is named by its top
/// cell.
pub(crate) fn combine_header_rows(
    top: &[String],
    sub: &[String],
    known: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let n = top.len().max(sub.len());
    let mut group = String::new();
    (0..n)
        .map(|i| {
            let t = top.get(i).map_or("", |s| s.trim());
            let s = sub.get(i).map_or("", |s| s.trim());
            if !t.is_empty() {
                group = t.to_string();
            }
            if s.is_empty() {
                t.to_string()
            } else {
                two_row_name(&group, s, known)
            }
        })
        .collect()
}
