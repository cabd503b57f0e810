//! The national system's other exports (EXPORTS.md §1.3–1.5) read beside the roster:
//! employment from the work spells of （务工月监测）已外出务工信息, the planned workers of
//! 计划外出务工信息, the villages of （自定义）行政村信息, and the roster's 务工所在地 checked
//! against the spells (WK04).

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::measures::{TallyParams, tally_with};
use gonggu_core::model::{Dataset, TableKind};
use gonggu_core::region::Level;
use gonggu_core::validate::{CheckParams, run_checks};

const ROSTER: &str = "\
县,乡,村,户编号,证件号码,户类型,监测对象类别,与户主关系,劳动技能,务工所在地
夏邑县,城关镇,东关村,H1,411426199001010011,脱贫户,,户主,普通劳动力,河南省商丘市夏邑县城关镇
夏邑县,城关镇,东关村,H1,411426199201010022,脱贫户,,配偶,普通劳动力,江苏省苏州市昆山市
夏邑县,会亭镇,张庄村,H2,411426198501010033,普通农户,边缘易致贫户,户主,普通劳动力,
夏邑县,会亭镇,张庄村,H2,411426198701010044,普通农户,边缘易致贫户,配偶,普通劳动力,省外务工
夏邑县,会亭镇,张庄村,H3,411426198001010055,普通农户,,户主,普通劳动力,
";

/// Two title rows above the header, as the system exports it; 开始时间/结束时间 as
/// `YYYY年MM月`. The person ending in 0022 has an ended spell in 昆山市 and a current one in
/// 郑州市金水区; 0033's spell begins after the as-of month; 0044's covering row says 否;
/// 0055 is not covered (普通农户, not monitored) and ends work in the as-of month (it
/// still counts); 0066 is not in the roster.
const SPELLS: &str = "\
（务工月监测）已外出务工信息
数据截至2021年11月30日
县,乡,行政村,户编号,证件号码,户类型,监测对象类别,是否已务工,务工所在县,就业渠道,开始时间,结束时间,务工月收入,务工企业名称
夏邑县,城关镇,东关村,H1,411426199001010011,脱贫户,,是,夏邑县,帮扶车间,2021年03月,,3000,某某服装厂
夏邑县,城关镇,东关村,H1,411426199201010022,脱贫户,,是,昆山市,劳务输出,2020年03月,2021年08月,5000,某某电子厂
夏邑县,城关镇,东关村,H1,411426199201010022,脱贫户,,是,郑州市金水区,劳务输出,2021年09月,,4500,某某物流公司
夏邑县,会亭镇,张庄村,H2,411426198501010033,普通农户,边缘易致贫户,是,昆山市,劳务输出,2021年12月,,5200,某某电子厂
夏邑县,会亭镇,张庄村,H2,411426198701010044,普通农户,边缘易致贫户,否,昆山市,劳务输出,2021年01月,,,
夏邑县,会亭镇,张庄村,H3,411426198001010055,普通农户,,是,昆山市,劳务输出,2021年05月,2021年11月,6000,某某电子厂
虞城县,利民镇,李庄村,H9,411425199001010066,脱贫户,,是,昆山市,劳务输出,2021年05月,,4000,某某电子厂
";

const PLANNED: &str = "\
县,乡,行政村,户编号,证件号码,户类型,是否计划务工,就业服务需求,计划务工所在县
夏邑县,会亭镇,张庄村,H2,411426198501010033,普通农户,是,职业介绍,昆山市
夏邑县,会亭镇,张庄村,H2,411426198501010033,普通农户,是,职业介绍,昆山市
夏邑县,会亭镇,张庄村,H2,411426198701010044,普通农户,否,,
";

const VILLAGES: &str = "\
县,乡,村,是否出列,总户数,总人口数,村级集体经济收入（万元）
夏邑县,城关镇,东关村,是,420,1630,6.5
夏邑县,城关镇,西关村,否,380,1410,3
夏邑县,会亭镇,张庄村,是,300,1200,5
夏邑县,城关镇,东关村,是,420,1630,6.5
虞城县,利民镇,李庄村,否,250,990,
";

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 11, 30).unwrap()
}

fn read(files: &[(&str, &str)]) -> Dataset {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, text)| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    let opts = |skip_texts| ReadOptions {
        region_name: Some("商丘市".into()),
        skip_texts,
        ..Default::default()
    };
    let full = read_inputs(&paths, &opts(false)).unwrap();
    // As `compute` reads (only the columns counted): the same households and persons.
    let lean = read_inputs(&paths, &opts(true)).unwrap();
    let counted = |ds: &Dataset| {
        let ids: Vec<_> = (0..ds.roster.ids.len())
            .map(|i| ds.roster.ids.get(i).map(|id| id.as_str().to_string()))
            .collect();
        format!(
            "{:?}",
            (&ds.roster.facts, ids, &ds.roster.households, &ds.notes)
        )
    };
    assert_eq!(counted(&full), counted(&lean));
    full
}

fn all() -> Dataset {
    read(&[
        ("监测对象信息.csv", ROSTER),
        ("已外出务工信息.csv", SPELLS),
        ("计划外出务工信息.csv", PLANNED),
        ("行政村信息.csv", VILLAGES),
    ])
}

/// Measures by id.
type Figures = Vec<(String, Decimal)>;

/// The measures of the county named, and of the whole.
fn figures(ds: &Dataset, county: &str) -> (Figures, Figures) {
    let t = tally_with(
        ds,
        Level::County,
        &TallyParams {
            as_of: as_of(),
            monitoring_line: 7500.into(),
            collective_income_line: 5.into(),
        },
    );
    let unit = t
        .units
        .iter()
        .find(|(id, _)| ds.regions.name(*id) == county)
        .map(|(_, t)| t.0.clone().into_iter().collect())
        .unwrap_or_default();
    (unit, t.total.0.into_iter().collect())
}

fn get(figures: &Figures, id: &str) -> Option<Decimal> {
    figures.iter().find(|(k, _)| k == id).map(|(_, v)| *v)
}

#[test]
fn the_exports_are_recognised_by_their_columns() {
    let ds = all();
    for kind in [
        TableKind::Roster,
        TableKind::WorkSpells,
        TableKind::PlannedWork,
        TableKind::Villages,
    ] {
        assert!(ds.has(kind), "{kind:?}: {:?}", ds.sources);
    }
    assert_eq!(ds.work_spells.len(), 7);
    assert_eq!(ds.planned_work.len(), 3);
    assert_eq!(ds.villages.len(), 5);
    // Header on row 3 under two title rows.
    let spells = ds
        .sources
        .iter()
        .find(|s| s.kind == TableKind::WorkSpells)
        .unwrap();
    assert_eq!(spells.header_row, 3);
    assert!(ds.bad_values.is_empty(), "{:?}", ds.bad_values);
}

#[test]
fn employment_comes_from_the_spell_covering_the_month() {
    let ds = all();
    let (xiayi, _) = figures(&ds, "夏邑县");
    let n = |id: &str| get(&xiayi, id).unwrap_or_else(|| panic!("{id} unavailable"));
    // 0011 (县内) and 0022 (current spell 郑州市金水区: 省内县外; the ended 昆山 spell does
    // not count); 0033 starts in December, 0044's row says 否, 0055 is not covered.
    assert_eq!(n("employed_persons"), 2.into());
    assert_eq!(n("employed_in_county"), 1.into());
    assert_eq!(n("employed_in_province"), 1.into());
    assert_eq!(n("employed_out_province"), 0.into());
    assert_eq!(n("employed_unknown_destination"), 0.into());
    assert_eq!(n("tuopin_employed_persons"), 2.into());
    assert_eq!(n("monitored_employed_persons"), 0.into());
}

#[test]
fn outbound_workers_count_each_person_once_with_the_current_wage() {
    let ds = all();
    let (xiayi, total) = figures(&ds, "夏邑县");
    // 0011, 0022 (two spells, one ended: once), 0055 (not covered, still in the export).
    assert_eq!(get(&xiayi, "outbound_workers"), Some(3.into()));
    assert_eq!(get(&xiayi, "outbound_income_persons"), Some(3.into()));
    assert_eq!(get(&xiayi, "outbound_income_sum"), Some(13500.into()));
    // 0066 is not in the roster: counted where its row says (虞城县).
    assert_eq!(get(&total, "outbound_workers"), Some(4.into()));
    assert_eq!(get(&total, "outbound_income_sum"), Some(17500.into()));
    assert_eq!(get(&xiayi, "planned_outbound_workers"), Some(1.into()));
}

#[test]
fn villages_exited_and_collective_income() {
    let ds = all();
    let (xiayi, total) = figures(&ds, "夏邑县");
    // The repeated 东关村 row counts once.
    assert_eq!(get(&xiayi, "villages"), Some(3.into()));
    assert_eq!(get(&xiayi, "exited_villages"), Some(2.into()));
    assert_eq!(
        get(&xiayi, "collective_income_sum"),
        Some(Decimal::new(145, 1))
    );
    // 6.5 and exactly 5 reach the line; 3 does not.
    assert_eq!(get(&xiayi, "villages_over_collective_line"), Some(2.into()));
    // 李庄村 has no income: a village, not over the line.
    assert_eq!(get(&total, "villages"), Some(4.into()));
    assert_eq!(get(&total, "villages_over_collective_line"), Some(2.into()));
}

#[test]
fn without_the_exports_their_measures_are_unavailable_not_zero() {
    let ds = read(&[("监测对象信息.csv", ROSTER)]);
    let (xiayi, _) = figures(&ds, "夏邑县");
    for id in [
        "outbound_workers",
        "planned_outbound_workers",
        "villages",
        "collective_income_sum",
    ] {
        assert_eq!(get(&xiayi, id), None, "{id}");
    }
    // Without spells, the roster's 务工所在地 decides: 0011 县内, 0022 省外, 0044 省外.
    assert_eq!(get(&xiayi, "employed_persons"), Some(3.into()));
    assert_eq!(get(&xiayi, "employed_out_province"), Some(2.into()));
}

#[test]
fn a_village_table_without_income_leaves_the_income_measures_out() {
    let villages = "县,乡,村,是否出列\n夏邑县,城关镇,东关村,是\n";
    let ds = read(&[("行政村信息.csv", villages)]);
    let (xiayi, _) = figures(&ds, "夏邑县");
    assert_eq!(get(&xiayi, "villages"), Some(1.into()));
    assert_eq!(get(&xiayi, "exited_villages"), Some(1.into()));
    assert_eq!(get(&xiayi, "collective_income_sum"), None);
    assert_eq!(get(&xiayi, "villages_over_collective_line"), None);
}

#[test]
fn roster_and_spell_disagreements_are_findings() {
    let ds = all();
    let params = CheckParams::defaults(as_of()).unwrap();
    let report = run_checks(&ds, &params).unwrap();
    let wk04: Vec<_> = report
        .findings
        .iter()
        .filter(|f| &*f.code == "WK04")
        .collect();
    // 0022: roster 昆山 (省外), spell 郑州市金水区 (省内县外); 0044: roster 省外务工, no
    // work this month. 0011 agrees; 0033 agrees (blank, spell not begun); 0055 is not covered.
    let ids: Vec<&str> = wk04
        .iter()
        .map(|f| f.id_number.as_deref().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["411426199201010022", "411426198701010044"],
        "{wk04:#?}"
    );
    assert!(wk04[0].message.contains("省外"), "{}", wk04[0].message);
    assert!(
        wk04[0].message.contains("郑州市金水区"),
        "{}",
        wk04[0].message
    );
    assert!(
        wk04[1].message.contains("没有在务工"),
        "{}",
        wk04[1].message
    );

    // Without the spells export the rule does not run, and says why.
    let ds = read(&[("监测对象信息.csv", ROSTER)]);
    let report = run_checks(&ds, &params).unwrap();
    let (_, why) = report
        .skipped
        .iter()
        .find(|(code, _)| code == "WK04")
        .unwrap();
    assert_eq!(why, &["已外出务工信息表"]);
}

#[test]
fn a_spells_export_without_its_required_columns_is_named() {
    let spells = "县,证件号码,是否已务工,务工所在县\n夏邑县,411426199001010011,是,夏邑县\n";
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("已外出务工信息.csv");
    std::fs::write(&p, spells).unwrap();
    let e = read_inputs(&[p], &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("已外出务工信息表"), "{e}");
    assert!(e.contains("开始时间"), "{e}");
}

#[test]
fn household_info_is_told_from_a_roster_by_its_own_columns() {
    // （乡村建设）户信息 names its region columns as the 户信息 export does.
    let info = "县(市、区、旗),乡(镇),行政村,户编号,证件号码,户类型,卫生厕所是否能正常使用\n\
                夏邑县,城关镇,东关村,H1,411426199001010011,脱贫户,是\n\
                夏邑县,会亭镇,张庄村,H2,411426198501010033,普通农户,否\n";
    let ds = read(&[("监测对象信息.csv", ROSTER), ("户信息.csv", info)]);
    assert!(ds.has(TableKind::HouseholdInfo), "{:?}", ds.sources);
    assert_eq!(ds.household_info.len(), 2);
    assert_eq!(&*ds.household_info[1].household_id, "H2");
    // Its rows are no persons of the roster.
    assert_eq!(ds.roster.persons.len(), 5);
    // The same six columns without a 户信息 column are a roster.
    let minimal = "县(市、区、旗),乡(镇),行政村,户编号,证件号码,户类型\n\
                   夏邑县,城关镇,东关村,H1,411426199001010011,脱贫户\n";
    let ds = read(&[("名单.csv", minimal)]);
    assert!(ds.has(TableKind::Roster) && !ds.has(TableKind::HouseholdInfo));
}
