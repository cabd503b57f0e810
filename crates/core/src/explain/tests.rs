//! Tests of `explain`: the list adds up to the figure for every indicator and region, and
//! says why records are left out.

use super::*;
use crate::catalog::ReportKind;
use crate::config::Config;
use crate::ingest::{ReadOptions, read_inputs};

const ROSTER: &str = "\
县,乡,村,户编号,证件号码,姓名,户联系电话,户类型,监测对象类别,与户主关系,劳动技能,是否持证,务工所在地,产业帮扶,风险是否消除,人均纯收入（元）,公益性岗位
夏邑县,城关镇,东关村,H1,411426199001010011,张三丰,13812341234,脱贫户,,户主,普通劳动力,是,河南省商丘市夏邑县城关镇,是,,9000,
夏邑县,城关镇,东关村,H1,411426199201010022,李四,13812341234,脱贫户,,配偶,丧失劳动力,否,江苏省苏州市昆山市,是,,9000,是
夏邑县,会亭镇,张庄村,H2,411426198501010033,王五,,普通农户,边缘易致贫户,户主,普通劳动力,否,,,否,6000,
夏邑县,会亭镇,张庄村,H2,411426198701010044,赵六,,普通农户,边缘易致贫户,配偶,,否,省外务工,,否,6000,
夏邑县,会亭镇,张庄村,H3,411426198001010055,孙七,,普通农户,,户主,普通劳动力,,,,,5000,
虞城县,城关镇,西关村,H4,411425199001010066,周八,,脱贫户,脱贫不稳定户,户主,技能劳动力,是,,,是,8000,
";

const LOANS: &str = "\
户编号,县,乡,放款日期,贷款金额（元）,贷款余额（元）,贷款状态
H1,夏邑县,城关镇,2021-03-01,50000,30000,正常
H2,夏邑县,会亭镇,2021-04-01,50000,0,已结清
H4,虞城县,城关镇,2021-05-01,30000,10000,逾期
H4,虞城县,城关镇,2021-06-01,20000,5000,正常
H9,夏邑县,城关镇,2021-06-01,20000,5000,逾期
";

const PROJECTS: &str = "\
项目编号,项目名称,县,乡,项目类型,项目年度,是否纳入年度实施计划,衔接资金（万元）,已支出衔接资金（万元）,项目状态
P1,东关村大棚,夏邑县,城关镇,产业发展,2021,是,100,80,已完工
P2,张庄村道路,夏邑县,会亭镇,基础设施,2021,是,50,10,未开工
P3,县级培训,夏邑县,,就业帮扶,2021,是,20,20,已开工
P4,旧项目,夏邑县,城关镇,产业发展,2020,是,30,30,已完工
P5,计划外,虞城县,城关镇,产业发展,2021,否,40,0,未开工
";

const SPELLS: &str = "\
县,乡,行政村,户编号,证件号码,是否已务工,务工所在县,开始时间,结束时间,务工月收入
夏邑县,城关镇,东关村,H1,411426199001010011,是,夏邑县,2021年03月,,3000
夏邑县,城关镇,东关村,H1,411426199201010022,是,昆山市,2021年09月,,
夏邑县,会亭镇,张庄村,H2,411426198501010033,是,昆山市,2021年01月,2021年06月,5000
";

const VILLAGES: &str = "\
县,乡,村,是否出列,村级集体经济收入（万元）
夏邑县,城关镇,东关村,是,6.5
夏邑县,会亭镇,张庄村,否,3
虞城县,城关镇,西关村,是,
";

fn dataset(files: &[(&str, &str)]) -> Dataset {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<std::path::PathBuf> = files
        .iter()
        .map(|(name, text)| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    let opts = ReadOptions {
        region_name: Some("商丘市".into()),
        ..Default::default()
    };
    read_inputs(&paths, &opts).unwrap()
}

fn settings(level: Level) -> Settings {
    let config = Config::parse("[region]\nname = \"商丘市\"\n", "gonggu.toml").unwrap();
    let as_of = NaiveDate::from_ymd_opt(2021, 11, 30).unwrap();
    Settings::new(
        level,
        as_of,
        &config,
        &Catalog::builtin().unwrap(),
        ReportKind::Compute,
        &[],
    )
    .unwrap()
}

fn query(indicator: &str, region: &str) -> Query {
    Query {
        indicator: indicator.into(),
        region: region.into(),
        ..Default::default()
    }
}

/// Every indicator the records give, for every unit of every level and the total: the
/// rows in the denominator are the denominator, those in the numerator the numerator (as
/// counts or sums of amounts).
#[test]
fn every_list_adds_up_to_its_figure() {
    let catalog = Catalog::builtin().unwrap();
    for (with_spells, files) in [
        (
            false,
            vec![
                ("人员.csv", ROSTER),
                ("小额信贷.csv", LOANS),
                ("项目.csv", PROJECTS),
                ("行政村信息.csv", VILLAGES),
            ],
        ),
        (
            true,
            vec![("人员.csv", ROSTER), ("已外出务工信息.csv", SPELLS)],
        ),
    ] {
        let ds = dataset(&files);
        let mut checked = 0;
        for level in [Level::County, Level::Town, Level::Village] {
            let s = settings(level);
            let mut regions: Vec<String> = ds
                .regions
                .ids()
                .filter(|id| ds.regions.node(*id).level == level)
                .map(|id| ds.regions.path(id))
                .collect();
            regions.push("商丘市".into());
            for ind in &catalog.indicators {
                for region in &regions {
                    let mut q = query(&ind.id, region);
                    q.level = Some(level);
                    let Ok(e) = explain(&ds, &catalog, &s, &q, Pii::Masked) else {
                        continue;
                    };
                    let what = format!("{} {region} ({with_spells})", ind.id);
                    assert!(
                        e.notes.iter().all(|n| !n.contains("不一致")),
                        "{what}: {:?}",
                        e.notes
                    );
                    for side in std::iter::once(&e.numerator).chain(&e.denominator) {
                        if side.kind.is_some() {
                            assert_eq!(
                                Some(side.listed),
                                side.value.or(Some(Decimal::ZERO)),
                                "{what} {}",
                                side.name
                            );
                        }
                    }
                    let in_den = e.rows.iter().filter(|r| r.in_denominator).count();
                    if let Some(d) = e
                        .denominator
                        .as_ref()
                        .filter(|d| d.kind.is_some() && !d.sum)
                    {
                        assert_eq!(Decimal::from(in_den), d.listed, "{what}");
                    }
                    if !e.numerator.sum {
                        let in_num = e.rows.iter().filter(|r| r.in_numerator).count();
                        assert_eq!(Decimal::from(in_num), e.numerator.listed, "{what}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }
}

/// 户贷率 of 夏邑县: its covered households, each with its balance, the one without a
/// balance said so; the loan of a 户编号 not in the roster is not a row.
#[test]
fn loan_household_rate_lists_covered_households_with_their_balance() {
    let ds = dataset(&[("人员.csv", ROSTER), ("小额信贷.csv", LOANS)]);
    let catalog = Catalog::builtin().unwrap();
    let e = explain(
        &ds,
        &catalog,
        &settings(Level::County),
        &query("总贷款余额户贷率", "夏邑县"),
        Pii::Masked,
    )
    .unwrap();
    assert_eq!(e.display, "50.00%");
    assert_eq!(
        (e.numerator.listed, e.denominator.as_ref().unwrap().listed),
        (1.into(), 2.into())
    );
    let col = |name: &str| e.columns.iter().position(|c| c == name).unwrap();
    let cells = |r: &ExplainRow, name: &str| r.cells[col(name)].text();
    let got: Vec<(String, String, String, String, String)> = e
        .rows
        .iter()
        .map(|r| {
            (
                cells(r, "户编号"),
                cells(r, "户主姓名"),
                cells(r, "贷款余额（元）"),
                cells(r, "计入分子"),
                r.reason.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "H1".into(),
                "张*".into(),
                "30000".into(),
                "是".into(),
                String::new()
            ),
            (
                "H2".into(),
                "王*".into(),
                "0".into(),
                "否".into(),
                "无贷款余额".into()
            ),
        ]
    );
    assert_eq!(cells(&e.rows[0], "户主证件号码"), "411***********0011");
    assert_eq!(cells(&e.rows[0], "联系电话"), "138****1234");
    assert_eq!((e.rows[0].file.as_str(), e.rows[0].row), ("人员.csv", 2));
    assert_eq!(e.reasons, [("无贷款余额".to_string(), 1)]);
    // Revealed on request.
    let e = explain(
        &ds,
        &catalog,
        &settings(Level::County),
        &query("loan_household_rate", "夏邑县"),
        Pii::Revealed,
    )
    .unwrap();
    assert!(e.rows[0].cells.contains(&Value::Text("张三丰".into())));
}

/// 开工率 of 夏邑县 lists its planned projects of the year, the one not started said so; a
/// town's list leaves out the county-level project, the total keeps it.
#[test]
fn project_lists_follow_the_units_of_their_level() {
    let ds = dataset(&[("项目.csv", PROJECTS)]);
    let catalog = Catalog::builtin().unwrap();
    let s = settings(Level::County);
    let e = explain(
        &ds,
        &catalog,
        &s,
        &query("project_start_rate", "夏邑县"),
        Pii::Masked,
    )
    .unwrap();
    let ids: Vec<String> = e.rows.iter().map(|r| r.cells[5].text()).collect();
    assert_eq!(ids, ["P1", "P2", "P3"]);
    assert_eq!(e.rows[1].reason, "未开工");
    assert_eq!(e.display, "66.67%");
    let town = explain(
        &ds,
        &catalog,
        &s,
        &query("project_start_rate", "会亭镇"),
        Pii::Masked,
    )
    .unwrap();
    assert_eq!(town.level, Level::Town);
    assert_eq!(town.rows.len(), 1);
    let total = explain(
        &ds,
        &catalog,
        &s,
        &query("fund_spend_progress", "商丘市"),
        Pii::Masked,
    )
    .unwrap();
    assert!(total.total);
    assert_eq!(total.numerator.listed, Decimal::from(110));
    assert_eq!(total.denominator.unwrap().listed, Decimal::from(170));
}

/// A 汇总 gives numbers, not records: the error names the inputs that would give them.
#[test]
fn a_summary_has_no_records_to_list() {
    let ds = dataset(&[(
        "汇总.csv",
        "县(市、区),贷款余额户数,脱贫户和监测户数\n夏邑县,10,40\n虞城县,5,20\n",
    )]);
    let catalog = Catalog::builtin().unwrap();
    let e = explain(
        &ds,
        &catalog,
        &settings(Level::County),
        &query("loan_household_rate", "夏邑县"),
        Pii::Masked,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("汇总表（汇总.csv）") && e.contains("小额信贷台账") && e.contains("人员表"),
        "{e}"
    );
}

/// Unknown names list the close ones.
#[test]
fn unknown_indicator_or_region_lists_candidates() {
    let ds = dataset(&[("人员.csv", ROSTER)]);
    let catalog = Catalog::builtin().unwrap();
    let s = settings(Level::County);
    let e = explain(&ds, &catalog, &s, &query("监测户", "夏邑县"), Pii::Masked)
        .unwrap_err()
        .to_string();
    assert!(e.contains("监测户数（monitored_households）"), "{e}");
    let e = explain(&ds, &catalog, &s, &query("监测户数", "夏邑"), Pii::Masked)
        .unwrap_err()
        .to_string();
    assert!(e.contains("相近的有：夏邑县"), "{e}");
    let e = explain(&ds, &catalog, &s, &query("监测户数", "城关镇"), Pii::Masked)
        .unwrap_err()
        .to_string();
    assert!(e.contains("夏邑县/城关镇、虞城县/城关镇"), "{e}");
    let ok = explain(
        &ds,
        &catalog,
        &s,
        &query("监测户数", "虞城县/城关镇"),
        Pii::Masked,
    )
    .unwrap();
    assert_eq!(ok.rows.len(), 1);
}

/// 务工就业率: a worker who is no labour force is in the numerator and not in the
/// denominator, and the row says so.
#[test]
fn rows_outside_the_denominator_say_why() {
    let ds = dataset(&[("人员.csv", ROSTER)]);
    let catalog = Catalog::builtin().unwrap();
    let e = explain(
        &ds,
        &catalog,
        &settings(Level::County),
        &query("employment_rate", "夏邑县"),
        Pii::Masked,
    )
    .unwrap();
    let reasons: Vec<&str> = e.rows.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "",
            "不计入分母：劳动技能为丧失劳动力，不是劳动力",
            "未务工（务工所在地为空或否/无）",
            "不计入分母：劳动技能为空"
        ]
    );
}
