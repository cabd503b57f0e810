//! Tests of the history store: round trip, replace on re-run, rollback, migrations, tables.

use super::*;
use crate::catalog::Catalog;

fn cell(value: &str, num: i64, den: i64, display: &str, rank: Option<u32>) -> Cell {
    let mut c = Cell::empty();
    c.value = Some(Decimal::from_str(value).unwrap());
    c.numerator = Some(Decimal::from(num));
    c.denominator = Some(Decimal::from(den));
    c.display = display.into();
    c.rank = rank;
    c
}

fn row(key: &str, c: Cell) -> Row {
    Row {
        key: key.into(),
        region: key.into(),
        values: BTreeMap::from([("loan_household_rate".to_string(), c)]),
        has_data: true,
    }
}

/// Two counties and the city, one indicator: 永城市 2441/10000 = 24.41% (rank 2), 夏邑县
/// 3000/10000 = 30.00% (rank 1), 商丘市 5441/20000 = 27.21% (27.205 rounded half up).
fn report(month: &str, yongcheng: i64) -> Report {
    let catalog = Catalog::builtin().unwrap();
    let ind = catalog
        .indicators
        .iter()
        .find(|i| i.id == "loan_household_rate")
        .unwrap()
        .clone();
    let m = Month::parse(month).unwrap();
    let v = |n: i64, d: i64| {
        (Decimal::from(n) / Decimal::from(d))
            .round_dp(4)
            .to_string()
    };
    let total = 3000 + yongcheng;
    Report {
        as_of: m.last_day(),
        level: Level::County,
        parent: "商丘市".into(),
        indicators: vec![ind],
        rows: vec![
            row(
                "永城市",
                cell(
                    &v(yongcheng, 10000),
                    yongcheng,
                    10000,
                    &format!("{:.2}%", yongcheng as f64 / 100.0),
                    Some(2),
                ),
            ),
            row("夏邑县", cell("0.3", 3000, 10000, "30.00%", Some(1))),
        ],
        total: Row {
            key: "商丘市".into(),
            region: "商丘市".into(),
            ..row(
                "商丘市",
                cell(&v(total, 20000), total, 20000, "27.21%", None),
            )
        },
        notes: vec![],
        left_out: vec![],
        previous_as_of: None,
        year_start: None,
        params: BTreeMap::new(),
        param_names: BTreeMap::new(),
        basics: None,
        trend: None,
    }
}

fn info(month: &str) -> RunInfo {
    RunInfo {
        month: Month::parse(month).unwrap(),
        catalog_fingerprint: fingerprint(b"catalog"),
        inputs: vec![("数据/监测对象信息.xlsx".into(), fingerprint(b"x"))],
        version: "0.1.0".into(),
    }
}

#[test]
fn an_empty_file_is_migrated_to_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let h = History::open(&path).unwrap();
    assert_eq!(h.schema_version().unwrap(), 1);
    assert_eq!(h.counts().unwrap(), [0, 0, 0, 0]);
    assert!(h.months().unwrap().is_empty());
    drop(h);
    // Opening again changes nothing.
    let again = History::open(&path).unwrap();
    assert_eq!(again.schema_version().unwrap(), 1);
}

#[test]
fn a_database_of_a_newer_gonggu_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    drop(History::open(&path).unwrap());
    let c = Connection::open(&path).unwrap();
    c.execute("UPDATE schema_version SET version = 9", [])
        .unwrap();
    drop(c);
    let e = History::open(&path).err().unwrap().to_string();
    assert!(e.contains("更新版本") && e.contains("gonggu.db"), "{e}");
}

#[test]
fn a_file_that_is_no_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    std::fs::write(
        &path,
        "这不是数据库，只是一段足够长的文字，用来冒充历史库文件的内容。".repeat(20),
    )
    .unwrap();
    let e = History::open(&path).err().unwrap().to_string();
    assert!(e.contains("不是有效的 gonggu 历史库"), "{e}");
}

#[test]
fn a_recorded_month_comes_back_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = History::open(&dir.path().join(FILE_NAME)).unwrap();
    h.record(&info("2021-10"), &report("2021-10", 2441))
        .unwrap()
        .commit()
        .unwrap();
    // 1 run, 1 input, 1 indicator, (2 units + total) × 1 indicator = 3 figures.
    assert_eq!(h.counts().unwrap(), [1, 1, 1, 3]);
    let back = h
        .report(Month::parse("2021-10").unwrap(), Level::County)
        .unwrap()
        .unwrap();
    assert_eq!(back.as_of, NaiveDate::from_ymd_opt(2021, 10, 31).unwrap());
    assert_eq!(back.parent, "商丘市");
    let yc = back.rows[0].cell("loan_household_rate").unwrap();
    assert_eq!(back.rows[0].key, "永城市");
    assert_eq!(yc.value, Some(Decimal::from_str("0.2441").unwrap()));
    assert_eq!(yc.numerator, Some(Decimal::from(2441)));
    assert_eq!(yc.denominator, Some(Decimal::from(10000)));
    assert_eq!(yc.display, "24.41%");
    assert_eq!(yc.rank, Some(2));
    let t = back.total.cell("loan_household_rate").unwrap();
    assert_eq!(t.numerator, Some(Decimal::from(5441)));
    assert_eq!(t.rank, None);
    assert!(back.basics.is_some());
    // Another month or level is not recorded.
    assert!(
        h.report(Month::parse("2021-09").unwrap(), Level::County)
            .unwrap()
            .is_none()
    );
    assert!(
        h.report(Month::parse("2021-10").unwrap(), Level::Town)
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_rerun_replaces_its_month_and_a_dropped_record_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = History::open(&dir.path().join(FILE_NAME)).unwrap();
    for (m, n) in [("2021-10", 2441), ("2021-11", 2500)] {
        h.record(&info(m), &report(m, n)).unwrap().commit().unwrap();
    }
    assert_eq!(h.counts().unwrap(), [2, 2, 2, 6]);
    h.record(&info("2021-10"), &report("2021-10", 2600))
        .unwrap()
        .commit()
        .unwrap();
    assert_eq!(h.counts().unwrap(), [2, 2, 2, 6]);
    let oct = Month::parse("2021-10").unwrap();
    let cell = |h: &History| {
        h.report(oct, Level::County).unwrap().unwrap().rows[0]
            .cell("loan_household_rate")
            .unwrap()
            .numerator
    };
    assert_eq!(cell(&h), Some(Decimal::from(2600)));
    // Not committed: rolled back.
    drop(h.record(&info("2021-10"), &report("2021-10", 1)).unwrap());
    assert_eq!(h.counts().unwrap(), [2, 2, 2, 6]);
    assert_eq!(cell(&h), Some(Decimal::from(2600)));
    let months: Vec<String> = h
        .months()
        .unwrap()
        .iter()
        .map(|r| r.month.to_string())
        .collect();
    assert_eq!(months, ["2021-10", "2021-11"]);
    assert_eq!(h.months().unwrap()[0].units, 2);
}

#[test]
fn the_table_has_a_column_per_month_and_the_total_last() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = History::open(&dir.path().join(FILE_NAME)).unwrap();
    for (m, n) in [("2021-09", 2000), ("2021-10", 2441)] {
        h.record(&info(m), &report(m, n)).unwrap().commit().unwrap();
    }
    let by_name = h.table(Level::County, Some("总贷款余额户贷率")).unwrap();
    let by_id = h.table(Level::County, Some("loan_household_rate")).unwrap();
    assert_eq!(by_name, by_id);
    assert_eq!(by_id.months.len(), 2);
    let units: Vec<&str> = by_id.rows.iter().map(|r| r.unit.as_str()).collect();
    assert_eq!(units, ["永城市", "夏邑县", "商丘市"]);
    assert_eq!(
        by_id.rows[0].values,
        [Some("20.00%".to_string()), Some("24.41%".to_string())]
    );
    assert!(by_id.rows[2].total);
    let csv = String::from_utf8(by_id.to_csv()).unwrap();
    assert_eq!(
        csv,
        "\u{feff}地区,2021年9月,2021年10月\n永城市,20.00%,24.41%\n夏邑县,30.00%,30.00%\n商丘市,27.21%,27.21%\n"
    );
    let e = h
        .table(Level::County, Some("没有的指标"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("没有记录过指标「没有的指标」"), "{e}");
    assert!(h.table(Level::Town, None).is_err());
}

#[test]
fn network_shares_are_recognised() {
    let mounts = "sysfs /sys sysfs rw 0 0\n/dev/sda1 / ext4 rw 0 0\nserver:/export /mnt/nfs nfs4 rw 0 0\n/dev/sdb1 /mnt/nfs/local ext4 rw 0 0\n";
    assert!(
        network_share(Path::new("/mnt/nfs/县/gonggu.db"), mounts)
            .unwrap()
            .contains("nfs4")
    );
    // The longest mount point decides: a local disk mounted inside the share.
    assert_eq!(
        network_share(Path::new("/mnt/nfs/local/gonggu.db"), mounts),
        None
    );
    assert_eq!(
        network_share(Path::new("/mnt/nfsx/gonggu.db"), mounts),
        None
    );
    assert!(network_share(Path::new("//nas/共享/gonggu.db"), "").is_some());
}

#[test]
fn the_trend_joins_recorded_months_and_the_report_of_the_month() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = History::open(&dir.path().join(FILE_NAME)).unwrap();
    let nov = Month::parse("2021-11").unwrap();
    // Nothing recorded before November: no trend.
    assert_eq!(h.trend(&report("2021-11", 2500), nov, 12).unwrap(), None);
    for (m, n) in [("2021-09", 2000), ("2021-10", 2441)] {
        h.record(&info(m), &report(m, n)).unwrap().commit().unwrap();
    }
    // A later month recorded already is not part of November's trend.
    h.record(&info("2021-12"), &report("2021-12", 9000))
        .unwrap()
        .commit()
        .unwrap();
    let t = h.trend(&report("2021-11", 2500), nov, 12).unwrap().unwrap();
    assert_eq!(t.months, ["2021年9月", "2021年10月", "2021年11月"]);
    assert_eq!(t.series.len(), 1);
    let s = &t.series[0];
    assert_eq!(s.indicator, "loan_household_rate");
    // No targets: beside the total, the units from the last rank up.
    let labels: Vec<&str> = s.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["商丘市", "永城市", "夏邑县"]);
    assert!(s.lines[0].total && !s.lines[1].total);
    let d = |t: &str| Some(Decimal::from_str(t).unwrap());
    assert_eq!(s.lines[1].values, [d("0.2"), d("0.2441"), d("0.25")]);
    assert_eq!(s.lines[1].displays, ["20.00%", "24.41%", "25.00%"]);
    assert_eq!(s.lines[2].values, [d("0.3"), d("0.3"), d("0.3")]);
    // A span of two: October and November only.
    let short = h.trend(&report("2021-11", 2500), nov, 2).unwrap().unwrap();
    assert_eq!(short.months, ["2021年10月", "2021年11月"]);
}

#[test]
fn a_second_run_waits_for_the_first_and_never_sees_half_a_month() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let mut first = History::open(&path).unwrap();
    first
        .record(&info("2021-10"), &report("2021-10", 2441))
        .unwrap()
        .commit()
        .unwrap();
    // The first run re-records October and has not committed yet.
    let pending = first
        .record(&info("2021-10"), &report("2021-10", 2600))
        .unwrap();
    let short = Duration::from_millis(200);
    let mut second = History::open_waiting(&path, short).unwrap();
    // It reads October as committed, whole.
    let oct = Month::parse("2021-10").unwrap();
    let seen = second.report(oct, Level::County).unwrap().unwrap();
    assert_eq!(
        seen.rows[0].cell("loan_household_rate").unwrap().numerator,
        Some(Decimal::from(2441))
    );
    // Its own write waits, then says who holds the lock.
    let e = second
        .record(&info("2021-11"), &report("2021-11", 2500))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("正被另一次 gonggu 运行使用"), "{e}");
    pending.commit().unwrap();
    second
        .record(&info("2021-11"), &report("2021-11", 2500))
        .unwrap()
        .commit()
        .unwrap();
    assert_eq!(second.counts().unwrap(), [2, 2, 2, 6]);
    let now = second.report(oct, Level::County).unwrap().unwrap();
    assert_eq!(
        now.rows[0].cell("loan_household_rate").unwrap().numerator,
        Some(Decimal::from(2600))
    );
}
