//! Tests of `pipeline`.

use super::*;
use crate::ingest::{ReadOptions, read_inputs};

const ROSTER: &str = "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别,风险是否消除,劳动技能,务工所在地,是否持证,公益性岗位,产业帮扶,人均纯收入（元）,识别监测时间
夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户,户主,边缘易致贫户,是,普通劳动力,省外务工,是,,是,9000,202103
夏邑县,城关镇,东关村,H1,410101199001011235,脱贫户,之子,边缘易致贫户,是,技能劳动力,乡外县内务工,否,村级,,9000,202103
夏邑县,会亭镇,北村,H2,410101199001011236,脱贫户,户主,,,普通劳动力,县外省内务工,是,,,12000,
虞城县,城关镇,西关村,H3,410101199001011237,一般农户,户主,突发严重困难户,否,弱劳动力或半劳动力,,否,,,6000,202005
虞城县,城关镇,西关村,H4,410101199001011238,脱贫户,户主,,,无劳动力,,,,,15000,
";
const PROJECTS: &str = "项目编号,县(市、区、旗),乡(镇),项目类型,项目年度,是否纳入年度实施计划,衔接资金（万元）,已支出衔接资金（万元）,项目状态
P1,夏邑县,城关镇,产业发展,2021,是,100.5,60.25,已完工
P2,夏邑县,,基础设施,2021,是,50,10,已开工
P3,虞城县,城关镇,产业发展,2021,是,80,0,未开工
P4,虞城县,城关镇,产业发展,2020,是,99,99,已完工
";
const LOANS: &str = "户编号,县(市、区、旗),乡(镇),贷款金额（元）,贷款余额（元）,贷款状态
H1,夏邑县,城关镇,50000,30000,正常
H3,虞城县,城关镇,20000,20000,逾期
H4,虞城县,城关镇,10000,0,已结清
";

fn settings(level: Level) -> Settings {
    Settings {
        level,
        as_of: NaiveDate::from_ymd_opt(2021, 11, 30).unwrap(),
        region_name: Some("商丘市".into()),
        order: vec![],
        monitoring_line: Decimal::from(7500),
        selection: Catalog::builtin().unwrap().selection(ReportKind::Compute),
        warning: WarningConfig::default(),
        target_overrides: BTreeMap::new(),
    }
}

fn records(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let files = [
        ("roster.csv", ROSTER),
        ("projects.csv", PROJECTS),
        ("loans.csv", LOANS),
    ];
    files
        .iter()
        .map(|(n, t)| {
            let p = dir.join(n);
            std::fs::write(&p, t).unwrap();
            p
        })
        .collect()
}

#[test]
fn measures_counted_as_the_spec_defines_them() {
    let dir = tempfile::tempdir().unwrap();
    let ds = read_inputs(&records(dir.path()), &ReadOptions::default()).unwrap();
    let t = measures::tally_records(
        &ds,
        Level::County,
        NaiveDate::from_ymd_opt(2021, 11, 30).unwrap(),
        Decimal::from(7500),
    );
    let d = |v: i64| Some(Decimal::from(v));
    let total = &t.total;
    assert_eq!(total.get("tuopin_households"), d(3));
    assert_eq!(total.get("monitored_households"), d(2));
    assert_eq!(total.get("covered_households"), d(4));
    assert_eq!(total.get("covered_persons"), d(5));
    assert_eq!(total.get("eliminated_households"), d(1));
    assert_eq!(total.get("new_monitored_households"), d(1));
    assert_eq!(total.get("assisted_monitored_households"), d(1));
    assert_eq!(total.get("labor_persons"), d(4));
    assert_eq!(total.get("certified_persons"), d(2));
    assert_eq!(total.get("employed_persons"), d(3));
    assert_eq!(total.get("employed_out_province"), d(1));
    assert_eq!(total.get("employed_in_county"), d(1));
    assert_eq!(total.get("employed_in_province"), d(1));
    assert_eq!(total.get("monitored_employed_persons"), d(2));
    assert_eq!(total.get("welfare_post_persons"), d(1));
    assert_eq!(total.get("below_line_unmonitored_households"), d(0));
    assert_eq!(total.get("income_persons"), d(4));
    assert_eq!(
        total.get("income_persons_sum"),
        d(9000 + 9000 + 12000 + 15000)
    );
    // Only covered households with a balance; H3 is monitored (突发), H4 settled.
    assert_eq!(total.get("loan_balance_households"), d(2));
    assert_eq!(total.get("overdue_households"), d(1));
    assert_eq!(total.get("loan_balance_amount"), Some(Decimal::from(5)));
    // P4 is of 2020 and does not count.
    assert_eq!(total.get("planned_projects"), d(3));
    assert_eq!(total.get("started_projects"), d(2));
    assert_eq!(total.get("completed_projects"), d(1));
    assert_eq!(total.get("funds_allocated"), Some(Decimal::new(2305, 1)));
    assert_eq!(total.get("funds_spent"), Some(Decimal::new(7025, 2)));
    assert_eq!(total.get("funds_industry"), Some(Decimal::new(1805, 1)));
    // The parent total equals the sum over units for every count at county level.
    for (id, v) in &total.0 {
        let sum: Decimal = t.units.iter().filter_map(|(_, u)| u.get(id)).sum();
        assert_eq!(sum, *v, "{id}");
    }
}

#[test]
fn town_level_keeps_county_only_projects_in_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let ds = read_inputs(&records(dir.path()), &ReadOptions::default()).unwrap();
    let mut s = settings(Level::Town);
    s.region_name = None;
    let r = build(&ds, &Catalog::builtin().unwrap(), &s, None).unwrap();
    assert_eq!(r.parent, "合计", "towns of two counties");
    let labels: Vec<&str> = r.rows.iter().map(|r| r.region.as_str()).collect();
    assert_eq!(labels, ["夏邑县城关镇", "会亭镇", "虞城县城关镇"]);
    let start = r.total.cell("project_start_rate").unwrap();
    assert_eq!(start.denominator, Some(Decimal::from(3)));
    assert!(
        r.notes.iter().any(|n| n.contains("只计入合计")),
        "{:?}",
        r.notes
    );
}

#[test]
fn official_order_lists_every_region_and_flags_unlisted() {
    let dir = tempfile::tempdir().unwrap();
    let ds = read_inputs(&records(dir.path()), &ReadOptions::default()).unwrap();
    let mut s = settings(Level::County);
    s.order = vec!["永城市".into(), "虞城县".into()];
    let r = build(&ds, &Catalog::builtin().unwrap(), &s, None).unwrap();
    let labels: Vec<&str> = r.rows.iter().map(|r| r.region.as_str()).collect();
    assert_eq!(labels, ["永城市", "虞城县", "夏邑县"]);
    assert!(!r.rows[0].has_data);
    assert_eq!(r.rows[0].cell("loan_household_rate").unwrap().display, "—");
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("夏邑县") && n.contains("官方顺序"))
    );
}
