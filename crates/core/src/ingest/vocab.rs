//! The closed vocabularies of the national system's exports, read leniently: the wording
//! differs across provinces and years (`乡外县内务工`, `县外省内务工` …).

use super::value::Unparseable;
use crate::model::{
    Dibao, EliminationMethod, Health, HouseholdType, LaborSkill, LoanStatus, MonitorCategory,
    ProjectStatus, ProjectType, Risk, SchoolStage, Sex, WorkPlace,
};

/// Blank, `否`, `无` and friends: "nothing here".
pub fn is_nothing(text: &str) -> bool {
    matches!(
        text.trim(),
        "" | "否" | "无" | "/" | "-" | "—" | "N" | "n" | "0" | "未享受" | "不享受"
    )
}

/// 户类型: `脱贫户`, or a household that is not (`普通农户` as the national system writes
/// it, `一般农户`, `非脱贫户`). `Err(Unparseable)` for an unrecognised non-empty value.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::vocab::household_type;
/// use gonggu_core::model::HouseholdType;
/// assert_eq!(household_type("普通农户"), Ok(Some(HouseholdType::General)));
/// assert_eq!(household_type("脱贫户"), Ok(Some(HouseholdType::Tuopin)));
/// assert!(household_type("贫困户?").is_err());
/// ```
pub fn household_type(text: &str) -> Result<Option<HouseholdType>, Unparseable> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.contains("普通") || t.contains("一般") || t.starts_with('非') {
        Ok(Some(HouseholdType::General))
    } else if t.contains("脱贫") {
        Ok(Some(HouseholdType::Tuopin))
    } else {
        Err(Unparseable)
    }
}

/// 监测对象类别: `None` when blank/否/无; unknown text → [`MonitorCategory::Other`].
pub fn category(text: &str) -> Option<MonitorCategory> {
    let t = text.trim();
    if is_nothing(t) || t == "非监测对象" {
        return None;
    }
    Some(if t.contains("脱贫不稳定") {
        MonitorCategory::Unstable
    } else if t.contains("边缘易致贫") {
        MonitorCategory::Marginal
    } else if t.contains("突发严重困难") {
        MonitorCategory::Sudden
    } else {
        MonitorCategory::Other
    })
}

/// 劳动技能.
pub fn labor(text: &str) -> Option<LaborSkill> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(if t.contains("普通") {
        LaborSkill::Ordinary
    } else if t.contains("技能") {
        LaborSkill::Skilled
    } else if t.contains("弱") || t.contains("半劳动") {
        LaborSkill::Weak
    } else if t.contains("丧失") {
        LaborSkill::Lost
    } else if t.contains("无劳动") {
        LaborSkill::NoLabor
    } else {
        LaborSkill::Other
    })
}

/// 务工所在地 written as a category word rather than an address (SPEC §3.1): `省外务工`,
/// `外省`, `国外`/`境外` → 省外; `省内县外`, `县外省内务工` → 省内县外; `县内`, `乡镇内务工`,
/// `乡外县内务工`, `本县` → 县内. `None` when no category word occurs; addresses are placed by
/// [`crate::division`], which falls back on this.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::vocab::work_category;
/// use gonggu_core::model::WorkPlace;
/// assert_eq!(work_category("县外省内务工"), Some(WorkPlace::InProvince));
/// assert_eq!(work_category("乡外县内务工"), Some(WorkPlace::InCounty));
/// assert_eq!(work_category("出国务工"), Some(WorkPlace::OutProvince));
/// assert_eq!(work_category("在外省打工"), Some(WorkPlace::OutProvince));
/// assert_eq!(work_category("外出打工"), None);
/// ```
pub fn work_category(text: &str) -> Option<WorkPlace> {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["省外", "国外", "境外", "出国", "海外"]) {
        Some(WorkPlace::OutProvince)
    } else if has(&["县外"]) {
        Some(WorkPlace::InProvince)
    } else if has(&["外省"]) {
        // After 县外: `县外省内务工` contains 外省 too.
        Some(WorkPlace::OutProvince)
    } else if has(&[
        "县内",
        "乡镇内",
        "乡内",
        "镇内",
        "本县",
        "本乡",
        "本镇",
        "本村",
    ]) {
        Some(WorkPlace::InCounty)
    } else {
        None
    }
}

/// 健康状况.
pub fn health(text: &str) -> Option<Health> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(if t.contains("残疾") {
        Health::Disabled
    } else if t.contains("大病") {
        Health::Serious
    } else if t.contains("慢性病") {
        Health::Chronic
    } else if t.contains("健康") {
        Health::Healthy
    } else {
        Health::Other
    })
}

/// 在校生状况.
pub fn school(text: &str) -> Option<SchoolStage> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    Some(
        if is_nothing(t) || has(&["非在校", "不在校", "失学", "辍学", "毕业"]) {
            SchoolStage::NotInSchool
        } else if has(&["学龄前"]) {
            SchoolStage::PreschoolChild
        } else if has(&["学前", "幼儿园"]) {
            SchoolStage::Preschool
        } else if has(&["硕士", "博士", "研究生"]) {
            SchoolStage::Graduate
        } else if has(&["高职", "高专", "本科", "大专", "技师", "大学"]) {
            SchoolStage::Higher
        } else if has(&["中职", "中专", "职高", "技工"]) {
            SchoolStage::Vocational
        } else if has(&["高中", "高一", "高二", "高三"]) {
            SchoolStage::Senior
        } else if has(&["初中", "七年级", "八年级", "九年级", "初一", "初二", "初三"])
        {
            SchoolStage::Junior
        } else if has(&[
            "小学",
            "一年级",
            "二年级",
            "三年级",
            "四年级",
            "五年级",
            "六年级",
        ]) {
            SchoolStage::Primary
        } else {
            SchoolStage::OtherInSchool
        },
    )
}

/// 性别: `1/男`, `2/女`.
pub fn sex(text: &str) -> Result<Option<Sex>, Unparseable> {
    match text.trim() {
        "" => Ok(None),
        "1" | "男" => Ok(Some(Sex::Male)),
        "2" | "女" => Ok(Some(Sex::Female)),
        _ => Err(Unparseable),
    }
}

/// 享受低保政策情况.
pub fn dibao(text: &str) -> Option<Dibao> {
    let t = text.trim();
    if t.is_empty() {
        None
    } else if is_nothing(t) || t.contains('未') || t.contains('不') {
        Some(Dibao::No)
    } else {
        Some(Dibao::Yes)
    }
}

/// 享受特困供养政策情况: whether enjoyed.
pub fn tekun(text: &str) -> Option<bool> {
    let t = text.trim();
    if t.is_empty() {
        None
    } else {
        Some(!(is_nothing(t) || t.contains('未') || t.contains('不')))
    }
}

/// 风险消除方式.
pub fn elimination_method(text: &str) -> Option<EliminationMethod> {
    let t = text.trim();
    if t.is_empty() {
        None
    } else if t.contains("帮扶") {
        Some(EliminationMethod::Assisted)
    } else if t.contains("自然") {
        Some(EliminationMethod::Natural)
    } else {
        Some(EliminationMethod::Other)
    }
}

/// 致贫/返贫风险: `None` when blank.
pub fn risk(text: &str) -> Option<Risk> {
    let t = text.trim();
    if is_nothing(t) {
        return None;
    }
    Risk::ALL
        .iter()
        .copied()
        .find(|r| r.label() == t)
        .or_else(|| {
            // Lenient: `因病致贫`, `因安全住房` without 因 …
            let core = |r: Risk| r.label().trim_start_matches('因').to_string();
            Risk::ALL
                .iter()
                .copied()
                .filter(|&r| r != Risk::Other)
                .find(|&r| t.contains(&core(r)))
        })
        .or(Some(Risk::Other))
}

/// 项目类型.
pub fn project_type(text: &str) -> Option<ProjectType> {
    let t = text.trim();
    if t.is_empty() {
        None
    } else if t.contains("产业") {
        Some(ProjectType::Industry)
    } else if t.contains("基础设施") {
        Some(ProjectType::Infrastructure)
    } else if t.contains("就业") {
        Some(ProjectType::Employment)
    } else if t.contains("乡村建设") {
        Some(ProjectType::RuralConstruction)
    } else {
        Some(ProjectType::Other)
    }
}

/// 项目状态. `Err(Unparseable)` for unrecognised text.
pub fn project_status(text: &str) -> Result<Option<ProjectStatus>, Unparseable> {
    let t = text.trim();
    if t.is_empty() {
        Ok(None)
    } else if t.contains("未开工") || t.contains("未实施") {
        Ok(Some(ProjectStatus::NotStarted))
    } else if t.contains("完工") || t.contains("竣工") || t.contains("已验收") {
        Ok(Some(ProjectStatus::Completed))
    } else if t.contains("开工") || t.contains("在建") || t.contains("实施中") {
        Ok(Some(ProjectStatus::Started))
    } else {
        Err(Unparseable)
    }
}

/// 贷款状态. `Err(Unparseable)` for unrecognised text.
pub fn loan_status(text: &str) -> Result<Option<LoanStatus>, Unparseable> {
    let t = text.trim();
    Ok(Some(match t {
        "" => return Ok(None),
        _ if t.contains("结清") => LoanStatus::Settled,
        _ if t.contains("逾期") => LoanStatus::Overdue,
        _ if t.contains("展期") => LoanStatus::Extended,
        _ if t.contains("续贷") => LoanStatus::Renewed,
        _ if t.contains("正常") => LoanStatus::Normal,
        _ => return Err(Unparseable),
    }))
}
