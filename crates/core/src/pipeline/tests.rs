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
        collective_income_line: Decimal::from(5),
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

/// A roster whose 务工所在地 holds addresses, as real exports write it: households in 夏邑县
/// (two towns) and in 商丘's functional zone 示范区, which GB/T 2260 lacks.
const ADDRESSES: &str = "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别,劳动技能,务工所在地
夏邑县,城关镇,东关村,H1,410101199001011301,脱贫户,户主,边缘易致贫户,普通劳动力,夏邑县会亭镇
夏邑县,城关镇,东关村,H1,410101199001011302,脱贫户,之子,边缘易致贫户,普通劳动力,江苏省苏州市昆山市玉山镇
夏邑县,城关镇,西关村,H2,410101199001011303,脱贫户,户主,,普通劳动力,河南省商丘市夏邑县城关镇
夏邑县,城关镇,西关村,H2,410101199001011304,脱贫户,配偶,,普通劳动力,上海市浦东新区
夏邑县,会亭镇,北村,H3,410101199001011305,脱贫户,户主,,普通劳动力,商丘夏邑
夏邑县,会亭镇,北村,H3,410101199001011306,脱贫户,之子,,普通劳动力,河南省郑州市金水区
夏邑县,会亭镇,北村,H3,410101199001011307,脱贫户,之女,,普通劳动力,鼓楼区
夏邑县,会亭镇,北村,H4,410101199001011308,一般农户,户主,,普通劳动力,新疆
示范区,平台镇,南村,H5,410101199001011309,一般农户,户主,突发严重困难户,普通劳动力,商丘市示范区平台镇
示范区,平台镇,南村,H5,410101199001011310,一般农户,配偶,突发严重困难户,普通劳动力,河南省济源市
示范区,平台镇,南村,H5,410101199001011311,一般农户,之子,突发严重困难户,普通劳动力,广西南宁
示范区,平台镇,南村,H5,410101199001011312,一般农户,之女,突发严重困难户,普通劳动力,外出务工
示范区,平台镇,南村,H5,410101199001011313,一般农户,之孙子,突发严重困难户,普通劳动力,国外
示范区,平台镇,南村,H5,410101199001011314,一般农户,之孙女,突发严重困难户,普通劳动力,
";

fn address_roster(zone_code: Option<&str>) -> Dataset {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("监测对象信息.csv");
    std::fs::write(&path, ADDRESSES).unwrap();
    let opts = ReadOptions {
        region_name: Some("商丘市".into()),
        region_codes: zone_code
            .map(|c| BTreeMap::from([("示范区".to_string(), c.to_string())]))
            .unwrap_or_default(),
        ..ReadOptions::default()
    };
    read_inputs(&[path], &opts).unwrap()
}

/// (all, 县内, 省内县外, 省外, 去向不明) of one employment group in a tally.
fn destinations(t: &Tally, group: usize) -> [i64; 5] {
    measures::EMPLOYMENT[group].map(|id| {
        let v = t.get(id).unwrap_or_else(|| panic!("{id} unavailable"));
        i64::try_from(v.mantissa()).unwrap()
    })
}

fn assert_buckets_add_up(t: &Tally, what: &str) {
    for group in 0..3 {
        let [all, c, p, o, u] = destinations(t, group);
        assert_eq!(
            all,
            c + p + o + u,
            "{what}, group {group}: {all} ≠ {c}+{p}+{o}+{u}"
        );
    }
}

#[test]
fn employment_by_destination_from_addresses_at_county_and_town_level() {
    let as_of = NaiveDate::from_ymd_opt(2021, 11, 30).unwrap();
    for (zone_code, zone_expected) in [
        (Some("411400"), [5, 1, 1, 2, 1]),
        // Without [region_codes] the zone's in-province addresses are never guessed.
        (None, [5, 0, 0, 2, 3]),
    ] {
        let ds = address_roster(zone_code);
        let by_name = |t: &measures::Tallies, name: &str| {
            t.units
                .iter()
                .find(|(id, _)| ds.regions.name(*id) == name)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| panic!("no unit {name}"))
        };
        let county = measures::tally_records(&ds, Level::County, as_of, Decimal::from(7500));
        // Covered households only: H4 (一般农户, not monitored) is not counted.
        assert_eq!(
            destinations(&by_name(&county, "夏邑县"), 0),
            [7, 3, 1, 2, 1]
        );
        assert_eq!(destinations(&by_name(&county, "示范区"), 0), zone_expected);
        // 脱贫人口: H1–H3; 监测对象: H1 and H5.
        assert_eq!(
            destinations(&by_name(&county, "夏邑县"), 1),
            [7, 3, 1, 2, 1]
        );
        assert_eq!(destinations(&by_name(&county, "示范区"), 1), [0; 5]);
        let [_, zc, zp, zo, zu] = zone_expected;
        assert_eq!(destinations(&county.total, 2), [7, 1 + zc, zp, 1 + zo, zu]);
        let town = measures::tally_records(&ds, Level::Town, as_of, Decimal::from(7500));
        assert_eq!(destinations(&by_name(&town, "城关镇"), 0), [4, 2, 0, 2, 0]);
        assert_eq!(destinations(&by_name(&town, "会亭镇"), 0), [3, 1, 1, 0, 1]);
        assert_eq!(destinations(&by_name(&town, "平台镇"), 0), zone_expected);
        for t in [&county, &town] {
            assert_buckets_add_up(&t.total, "total");
            for (id, u) in &t.units {
                assert_buckets_add_up(u, ds.regions.name(*id));
            }
        }
        // The unplaced zone is said, once, with what to configure.
        let zone_note = ds
            .notes
            .iter()
            .any(|n| n.contains("「示范区」") && n.contains("[region_codes]"));
        assert_eq!(zone_note, zone_code.is_none(), "{:?}", ds.notes);
    }
}

#[test]
fn aggregate_mode_reads_the_unknown_destination_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("汇总.csv");
    std::fs::write(
        &path,
        "县(市、区),务工就业人数,县内务工人数,省内县外务工人数,省外务工人数,务工去向不明人数\n夏邑县,10,4,3,2,1\n虞城县,5,1,1,3,0\n",
    )
    .unwrap();
    let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
    let mut s = settings(Level::County);
    s.selection = vec![
        "employed_persons".into(),
        "employed_unknown_destination".into(),
    ];
    let r = build(&ds, &Catalog::builtin().unwrap(), &s, None).unwrap();
    let total = r.total.cell("employed_unknown_destination").unwrap();
    assert_eq!(total.display, "1");
}

/// The county-level report of every indicator from one roster.
fn county_report(roster: &str) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("roster.csv");
    std::fs::write(&p, roster).unwrap();
    let ds = read_inputs(&[p], &ReadOptions::default()).unwrap();
    build(
        &ds,
        &Catalog::builtin().unwrap(),
        &settings(Level::County),
        None,
    )
    .unwrap()
}

/// A column not recognised leaves its indicators out, with a note naming the column and
/// the names gonggu accepts; never 0.
#[test]
fn an_unrecognised_column_leaves_its_indicators_out() {
    let r = county_report(&ROSTER.replace("风险是否消除", "风险已消除否"));
    assert!(r.indicator("elimination_rate").is_none());
    assert!(r.indicator("eliminated_households").is_none());
    assert!(r.indicator("assisted_share").is_some());
    let note = r
        .notes
        .iter()
        .find(|n| n.contains("风险消除占比"))
        .expect("a note");
    assert!(
        note.contains("人员表中没有可识别的「风险是否消除」列") && note.contains("风险是否已消除"),
        "{note}"
    );
    assert!(
        !r.notes.iter().any(|n| n.contains("未提供人员表")),
        "{:?}",
        r.notes
    );
}

/// No data row, or no indicator left: an error, not a report of zeros.
#[test]
fn no_data_or_no_indicator_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::builtin().unwrap();
    let header_only = dir.path().join("监测对象信息.csv");
    std::fs::write(&header_only, ROSTER.lines().next().unwrap()).unwrap();
    let ds = read_inputs(&[header_only], &ReadOptions::default()).unwrap();
    let e = build(&ds, &catalog, &settings(Level::County), None).unwrap_err();
    assert!(matches!(e, crate::Error::NoData(_)), "{e}");
    assert!(
        e.to_string().contains("监测对象信息.csv：人员表只有表头"),
        "{e}"
    );

    let targets = dir.path().join("目标.csv");
    std::fs::write(&targets, "县(市、区),务工就业目标人数\n夏邑县,100\n").unwrap();
    let ds = read_inputs(&[targets], &ReadOptions::default()).unwrap();
    let e = build(&ds, &catalog, &settings(Level::County), None).unwrap_err();
    assert!(
        e.to_string().contains("目标.csv：目标表只提供目标值"),
        "{e}"
    );

    let ds = read_inputs(&records(dir.path())[..1], &ReadOptions::default()).unwrap();
    let mut s = settings(Level::County);
    s.selection = vec!["project_start_rate".into(), "loan_household_rate".into()];
    let e = build(&ds, &catalog, &s, None).unwrap_err();
    assert!(matches!(e, crate::Error::NoIndicators(_)), "{e}");
    assert!(
        e.to_string().contains("未提供项目表") && e.to_string().contains("未提供小额信贷台账"),
        "{e}"
    );
}

/// A county config whose county is not in the data: the error says the rows were another
/// county's, not that the file was empty.
#[test]
fn no_row_of_the_configured_county_is_an_error_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let opts = ReadOptions {
        region_name: Some("永城市".into()),
        ..ReadOptions::default()
    };
    let ds = read_inputs(&records(dir.path())[..1], &opts).unwrap();
    let e = build(
        &ds,
        &Catalog::builtin().unwrap(),
        &settings(Level::Town),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("人员表中没有本级地区的数据行") && e.contains("另有 5 行"),
        "{e}"
    );
}

/// An indicator lacking several columns of one table is explained in one sentence.
#[test]
fn the_columns_an_indicator_lacks_are_named_together() {
    let r = county_report(
        &ROSTER
            .replace("劳动技能", "劳动力类型")
            .replace("是否持证", "证书"),
    );
    let note = r
        .left_out
        .iter()
        .find(|n| n.contains("持证率"))
        .expect("持证率 left out");
    assert!(
        note.starts_with(
            "人员表中没有可识别的「劳动技能」「是否持证」列（可用列名：劳动技能；是否持证、技能证书），略去指标："
        ),
        "{note}"
    );
}

/// A roster without 务工所在地 and no 目标: 务工就业目标完成率 names both, never
/// "未提供人员表" when a roster was given.
#[test]
fn a_given_table_is_never_said_to_be_missing() {
    let r = county_report(&ROSTER.replace("务工所在地", "务工地点"));
    let note = r
        .left_out
        .iter()
        .find(|n| n.contains("务工就业目标完成率"))
        .expect("left out");
    assert!(
        note.starts_with("人员表中没有可识别的「务工所在地」列")
            && note.contains("未提供目标表（需有「务工就业目标人数」列）"),
        "{note}"
    );
    assert!(
        !r.notes.iter().any(|n| n.contains("未提供人员表")),
        "{:?}",
        r.notes
    );
}
