//! The columns of `监测对象信息`, laid out as the national system's （自定义）监测对象信息
//! export (EXPORTS.md §1.1): the columns whose letter is known stand at that letter, the
//! other columns of that export and columns that other exports of the system carry
//! (EXPORTS.md §1.2, §4) fill the positions whose content is unknown, and the columns
//! gonggu needs that the export lacks ([`EXTRA_COLUMNS`]) follow its last known column FU.
//!
//! Sixty positions between A and FU hold columns nobody has documented: they are written
//! with a blank header and blank cells rather than with invented names.

use gonggu_core::model::Assistance;

/// What one roster column holds (how [`super::rows`] renders it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// A position whose column is not documented: blank header, blank cells.
    Blank,
    Serial,
    County,
    Town,
    Village,
    HouseholdId,
    NaturalVillage,
    Kind,
    HeadName,
    HeadId,
    Phone,
    Standard,
    FirstIdentified,
    Category,
    PersonId,
    Name,
    IdKind,
    Id,
    Sex,
    Birth,
    Relation,
    Ethnicity,
    Politics,
    MemberPhone,
    PersonIdentified,
    Mandarin,
    Education,
    School,
    Labor,
    Health,
    DisabilityKind,
    DisabilityYear,
    OutOfSchool,
    Work,
    Dibao,
    Employer,
    WorkMonths,
    Abroad,
    RelocationChannel,
    Post,
    PostMonths,
    Medical,
    WorkerMedical,
    Serious,
    CommercialInsurance,
    Pension,
    WorkerPension,
    Tekun,
    MedicalAid,
    SeriousAid,
    OtherHealthAid,
    Income,
    WageIncome,
    Production,
    Property,
    Transfer,
    SelfPay,
    TekunAllowance,
    SafetyNet,
    Farmland,
    Forest,
    ReturnedForest,
    Orchard,
    Grassland,
    WaterSurface,
    IndustryClass,
    RoadDistance,
    RoadHardened,
    HouseArea,
    UnsafeHousing,
    SafeWater,
    Electricity,
    NoLaborSafetyNet,
    Toilet,
    ToiletUsable,
    Dropout,
    Uninsured,
    /// 致贫/返贫风险1…5 (0-based).
    Risk(u8),
    Eliminated,
    Identified,
    EliminatedOn,
    Method,
    Measure(Assistance),
    PostRemark,
    Developmental,
    Collector,
    CollectorPhone,
    DataDate,
    /// The 13 风险消除后… columns FI–FU (0-based, in their order).
    After(u8),
    Size,
    Certified,
    Wage,
}

impl Field {
    /// Whether the column differs between the members of a household (else it is the
    /// household's, repeated on every member row).
    pub(crate) fn per_person(self) -> bool {
        use Field::*;
        matches!(
            self,
            Serial
                | PersonId
                | Name
                | IdKind
                | Id
                | Sex
                | Birth
                | Relation
                | Ethnicity
                | Politics
                | MemberPhone
                | Mandarin
                | Education
                | School
                | Labor
                | Health
                | DisabilityKind
                | DisabilityYear
                | OutOfSchool
                | Work
                | Employer
                | WorkMonths
                | Abroad
                | RelocationChannel
                | Post
                | PostMonths
                | Medical
                | WorkerMedical
                | Serious
                | Pension
                | WorkerPension
                | MedicalAid
                | SeriousAid
                | OtherHealthAid
                | Certified
                | Wage
        )
    }
}

/// Number of roster columns: A–FU (177) and the three [`EXTRA_COLUMNS`].
pub const ROSTER_COLUMNS: usize = 180;

/// Columns gonggu's rules and measures need that the national system's 监测对象信息
/// export does not document (a 自定义 export may add columns): header and what needs it.
/// They follow FU, the export's last known column.
pub const EXTRA_COLUMNS: [(&str, &str); 3] = [
    ("人数", "规则 HH02（人数与成员行数不一致）"),
    (
        "是否持证",
        "度量 certified_persons（持证人数，指标持证率的分子）",
    ),
    ("务工月收入", "规则 WK03（务工月收入不在 100–30000 元之间）"),
];

/// The named columns: 1-based position (A = 1), header, content.
const PLACED: [(usize, &str, Field); 120] = {
    use Assistance as A;
    use Field::*;
    [
        (1, "序号", Serial),
        (2, "县", County),
        (3, "乡", Town),
        (4, "村", Village),
        (5, "户编号", HouseholdId), // E
        (6, "自然村", NaturalVillage),
        (7, "户类型", Kind),
        (8, "户主姓名", HeadName),
        (9, "户主证件号码", HeadId),
        (10, "户联系电话", Phone),
        (11, "识别标准", Standard),
        (12, "首次识别时间", FirstIdentified),
        (13, "监测对象类别", Category), // M
        (14, "人编号", PersonId),
        (15, "姓名", Name),
        (16, "证件类型", IdKind),
        (17, "证件号码", Id),
        (18, "性别", Sex),
        (19, "出生日期", Birth),
        (20, "与户主关系", Relation),
        (21, "民族", Ethnicity),
        (22, "政治面貌", Politics),
        (23, "家庭成员联系电话", MemberPhone),
        (24, "人员识别时间", PersonIdentified),
        (25, "是否会讲普通话", Mandarin),
        (40, "文化程度", Education),
        (41, "在校生状况", School), // AO
        (42, "劳动技能", Labor),    // AP
        (43, "健康状况", Health),
        (44, "残疾类别", DisabilityKind),
        (45, "残疾证办证年度", DisabilityYear),
        (46, "义务教育阶段未上学原因", OutOfSchool),
        (47, "务工所在地", Work),
        (48, "享受低保政策情况", Dibao), // AV
        (49, "务工企业名称", Employer),
        (50, "务工时间（月）", WorkMonths),
        (51, "是否国外务工", Abroad),
        (52, "就业渠道（易地搬迁后扶使用）", RelocationChannel),
        (53, "公益性岗位", Post),
        (54, "公益性岗位(月数)", PostMonths),
        (55, "是否参加城乡居民基本医疗保险", Medical),
        (56, "是否参加城镇职工基本医疗保险", WorkerMedical),
        (57, "是否参加大病保险", Serious),
        (58, "是否参加商业补充医疗保险", CommercialInsurance),
        (59, "是否参加城乡居民基本养老保险", Pension),
        (60, "是否参加城镇职工基本养老保险", WorkerPension),
        (61, "享受特困供养政策情况", Tekun), // BI
        (62, "是否接受医疗救助", MedicalAid),
        (63, "是否接受大病医疗救助", SeriousAid),
        (64, "是否接受其他健康扶贫", OtherHealthAid),
        (65, "人均纯收入（元）", Income),
        (66, "工资性收入", WageIncome),
        (67, "生产经营性收入", Production),
        (68, "财产性收入", Property),
        (69, "转移性收入", Transfer),
        (70, "合规自付支出", SelfPay),
        (71, "特困人员救助供养金", TekunAllowance),
        (72, "是否兜底保障户", SafetyNet),
        (73, "耕地面积（亩）", Farmland),
        (74, "林地面积（亩）", Forest),
        (75, "退耕还林面积（亩）", ReturnedForest),
        (76, "林果面积（亩）", Orchard),
        (77, "牧草地面积", Grassland),
        (78, "水面面积", WaterSurface),
        (79, "产业分类", IndustryClass),
        (80, "与村主干路距离", RoadDistance),
        (81, "入户道路是否硬化", RoadHardened),
        (82, "住房面积", HouseArea),
        (83, "是否危房户", UnsafeHousing),
        (84, "是否解决安全饮用水", SafeWater),
        (85, "是否通生活用电", Electricity),
        (86, "整户无劳动能力兜底保障户", NoLaborSafetyNet), // CH
        (87, "是否有卫生厕所", Toilet),
        (88, "卫生厕所是否能正常使用", ToiletUsable),
        (89, "是否义务教育阶段适龄儿童少年失学辍学", Dropout),
        (
            90,
            "是否有家庭成员未参加城乡居民（职工）基本医疗保险",
            Uninsured,
        ),
        (91, "致贫/返贫风险1", Risk(0)),
        (92, "致贫/返贫风险2", Risk(1)),
        (93, "致贫/返贫风险3", Risk(2)),
        (94, "致贫/返贫风险4", Risk(3)),
        (95, "致贫/返贫风险5", Risk(4)),
        (109, "风险是否已消除", Eliminated), // DE
        (110, "识别监测时间", Identified),   // DF
        (111, "消除监测时间", EliminatedOn),
        (112, "风险消除方式", Method),
        (146, "产业帮扶", Measure(A::Industry)),
        (147, "就业帮扶", Measure(A::Employment)),
        (148, "公益岗位帮扶", Measure(A::WelfarePost)),
        (149, "公益性岗位帮扶其他备注", PostRemark),
        (150, "健康帮扶", Measure(A::Health)), // ET
        (151, "住房安全保障", Measure(A::Housing)),
        (152, "饮水安全保障", Measure(A::Water)),
        (153, "综合保障", Measure(A::SocialSecurity)),
        (154, "社会帮扶", Measure(A::Social)),
        (155, "义务教育保障", Measure(A::CompulsoryEducation)),
        (156, "教育帮扶", Measure(A::Education)), // EZ
        (157, "金融帮扶", Measure(A::Finance)),
        (158, "搬迁", Measure(A::Relocation)),
        (159, "生产生活条件改善", Measure(A::LivingConditions)),
        (160, "基础设施建设", Measure(A::Infrastructure)),
        (161, "实施开发式帮扶措施情况", Developmental),
        (162, "信息采集人", Collector),
        (163, "信息采集人联系电话", CollectorPhone),
        (164, "数据日期", DataDate),
        (
            165,
            "风险消除后是否义务教育阶段适龄儿童少年失学辍学",
            After(0),
        ), // FI
        (166, "风险消除后是否住房损毁", After(1)),
        (
            167,
            "风险消除后是否有家庭成员未参加城乡居民（职工）基本医疗保险",
            After(2),
        ),
        (168, "风险消除后是否饮水设施损毁", After(3)),
        (169, "风险消除后工资性收入", After(4)),
        (170, "风险消除后财产性收入", After(5)),
        (171, "风险消除后转移性收入", After(6)),
        (172, "风险消除后生产经营性收入", After(7)),
        (173, "风险消除后生产经营性支出", After(8)),
        (174, "风险消除后家庭纯收入", After(9)),
        (175, "风险消除后家庭人均纯收入", After(10)),
        (176, "风险消除后理赔收入", After(11)),
        (177, "风险消除后合规自付支出", After(12)), // FU
        (178, EXTRA_COLUMNS[0].0, Size),
        (179, EXTRA_COLUMNS[1].0, Certified),
        (180, EXTRA_COLUMNS[2].0, Wage),
    ]
};

/// Every column in order: header and content (blank positions hold `("", Blank)`).
pub(crate) const LAYOUT: [(&str, Field); ROSTER_COLUMNS] = {
    let mut out = [("", Field::Blank); ROSTER_COLUMNS];
    let mut i = 0;
    while i < PLACED.len() {
        let (pos, header, field) = PLACED[i];
        assert!(pos >= 1 && pos <= ROSTER_COLUMNS, "position out of range");
        assert!(out[pos - 1].0.is_empty(), "position used twice");
        assert!(!header.is_empty(), "named column without a name");
        out[pos - 1] = (header, field);
        i += 1;
    }
    out
};

/// Header of `监测对象信息` (row 3 of the XLSX, line 1 of the CSV), in column order; blank
/// strings stand at the positions whose column is not documented.
pub const ROSTER_HEADER: [&str; ROSTER_COLUMNS] = {
    let mut out = [""; ROSTER_COLUMNS];
    let mut i = 0;
    while i < ROSTER_COLUMNS {
        out[i] = LAYOUT[i].0;
        i += 1;
    }
    out
};

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Index of the column named `name` (a compile error when there is none).
pub(crate) const fn find(name: &str) -> usize {
    let mut i = 0;
    while i < ROSTER_COLUMNS {
        if same(ROSTER_HEADER[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("not a roster column")
}

/// Column indexes of the roster (0-based), found by header: the audit and the plants
/// address cells through them.
#[allow(dead_code)]
pub(crate) mod col {
    use super::find;

    pub const COUNTY: usize = find("县");
    pub const TOWN: usize = find("乡");
    pub const VILLAGE: usize = find("村");
    pub const HOUSEHOLD_ID: usize = find("户编号");
    pub const PERSON_ID: usize = find("人编号");
    pub const NAME: usize = find("姓名");
    pub const ID: usize = find("证件号码");
    pub const ID_KIND: usize = find("证件类型");
    pub const KIND: usize = find("户类型");
    pub const CATEGORY: usize = find("监测对象类别");
    pub const RELATION: usize = find("与户主关系");
    pub const SIZE: usize = find("人数");
    pub const SEX: usize = find("性别");
    pub const ETHNICITY: usize = find("民族");
    pub const BIRTH: usize = find("出生日期");
    pub const EDUCATION: usize = find("文化程度");
    pub const SCHOOL: usize = find("在校生状况");
    pub const HEALTH: usize = find("健康状况");
    pub const LABOR: usize = find("劳动技能");
    pub const WORK: usize = find("务工所在地");
    pub const WAGE: usize = find("务工月收入");
    /// The columns about the current work besides 务工所在地 and 务工月收入.
    pub const WORK_DETAILS: [usize; 3] = [
        find("务工企业名称"),
        find("务工时间（月）"),
        find("是否国外务工"),
    ];
    pub const CERTIFIED: usize = find("是否持证");
    pub const POST: usize = find("公益性岗位");
    pub const PHONE: usize = find("户联系电话");
    pub const MEDICAL: usize = find("是否参加城乡居民基本医疗保险");
    pub const SERIOUS: usize = find("是否参加大病保险");
    pub const DIBAO: usize = find("享受低保政策情况");
    pub const TEKUN: usize = find("享受特困供养政策情况");
    pub const UNSAFE_HOUSING: usize = find("是否危房户");
    pub const SAFE_WATER: usize = find("是否解决安全饮用水");
    pub const INCOME: usize = find("人均纯收入（元）");
    pub const WAGE_INCOME: usize = find("工资性收入");
    pub const RISK1: usize = find("致贫/返贫风险1");
    pub const RISK2: usize = find("致贫/返贫风险2");
    pub const IDENTIFIED: usize = find("识别监测时间");
    pub const ELIMINATED: usize = find("风险是否已消除");
    pub const ELIMINATED_ON: usize = find("消除监测时间");
    pub const METHOD: usize = find("风险消除方式");
    /// The measure columns, in [`gonggu_core::model::Assistance::ALL`] order.
    pub const MEASURES: [usize; 14] = [
        find("产业帮扶"),
        find("就业帮扶"),
        find("公益岗位帮扶"),
        find("健康帮扶"),
        find("教育帮扶"),
        find("义务教育保障"),
        find("住房安全保障"),
        find("饮水安全保障"),
        find("综合保障"),
        find("社会帮扶"),
        find("金融帮扶"),
        find("搬迁"),
        find("生产生活条件改善"),
        find("基础设施建设"),
    ];
}
