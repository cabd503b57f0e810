//! Tests of `[run]`: month parsing, pattern expansion and matching.

use super::*;

#[test]
fn months_parse_in_the_ways_staff_write_them() {
    let nov = Month {
        year: 2021,
        month: 11,
    };
    for text in [
        "2021-11",
        "2021年11月",
        "202111",
        "2021.11",
        "2021/11",
        " 2021-11 ",
    ] {
        assert_eq!(Month::parse(text).unwrap(), nov, "{text}");
    }
    assert_eq!(Month::parse("2021-3").unwrap().to_string(), "2021-03");
    for bad in [
        "2021-00",
        "2021-13",
        "21-11",
        "十一月",
        "2021",
        "2021年11",
        "",
    ] {
        let e = Month::parse(bad).unwrap_err().to_string();
        assert!(e.contains("不是月份"), "{bad}: {e}");
    }
}

#[test]
fn month_ends_and_previous_months() {
    let feb = Month::parse("2024-02").unwrap();
    assert_eq!(
        feb.last_day(),
        NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
    );
    assert_eq!(feb.previous().to_string(), "2024-01");
    let jan = Month::parse("2021-01").unwrap();
    assert_eq!(jan.previous().to_string(), "2020-12");
    assert_eq!(
        jan.last_day(),
        NaiveDate::from_ymd_opt(2021, 1, 31).unwrap()
    );
    assert!(jan.contains(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap()));
    assert!(!jan.contains(NaiveDate::from_ymd_opt(2021, 2, 1).unwrap()));
}

#[test]
fn placeholders_expand_zero_padded() {
    let m = Month::parse("2021-03").unwrap();
    assert_eq!(
        m.expand("数据/{年}-{月}/监测{年}{月}.xlsx"),
        "数据/2021-03/监测202103.xlsx"
    );
    assert_eq!(m.expand("输出/{年}年{月}月"), "输出/2021年03月");
    assert_eq!(m.expand("上月/{上月}/*.csv"), "上月/2021-02/*.csv");
}

#[test]
fn names_match_stars_questions_and_months() {
    assert!(name_matches("*", "任意.xlsx"));
    assert!(name_matches("监测*信息.xlsx", "监测对象信息.xlsx"));
    assert!(!name_matches("监测*信息.xlsx", "监测对象信息.xlsx.bak"));
    assert!(name_matches("{年}-{月}", "2021-11"));
    assert!(!name_matches("{年}-{月}", "2021-13"));
    assert!(!name_matches("{年}-{月}", "21-11"));
}

fn touch(dir: &Path, rel: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, b"x").unwrap();
}

#[test]
fn finds_the_files_of_a_month_and_the_latest_month() {
    let dir = tempfile::tempdir().unwrap();
    for rel in [
        "数据/2021-09/监测对象信息.xlsx",
        "数据/2021-10/监测对象信息.xlsx",
        "数据/2021-10/小额信贷.csv",
        "数据/2021-10/~$监测对象信息.xlsx",
        "数据/2021-10/说明.txt",
        "数据/2021-11/说明.txt",
        "数据/旧/监测对象信息.xlsx",
    ] {
        touch(dir.path(), rel);
    }
    let patterns: Vec<String> = DEFAULT_INPUTS.iter().map(|s| s.to_string()).collect();
    let oct = Month::parse("2021-10").unwrap();
    let expanded: Vec<String> = patterns.iter().map(|p| oct.expand(p)).collect();
    let files = find(dir.path(), &expanded).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|(p, _)| p.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "数据/2021-10/小额信贷.csv",
            "数据/2021-10/监测对象信息.xlsx"
        ]
    );
    // 2021-11 has no table, only a note: the latest month with inputs is October.
    assert_eq!(latest_month(dir.path(), &patterns).unwrap(), Some(oct));
    assert_eq!(
        latest_month(&dir.path().join("无"), &patterns).unwrap(),
        None
    );
}

#[test]
fn documents_default_to_all_and_refuse_unknown_ones() {
    let all = RunConfig::default();
    assert_eq!(all.documents().unwrap(), DOCUMENTS);
    let some = RunConfig {
        documents: vec!["json".into(), "check".into()],
        ..RunConfig::default()
    };
    assert_eq!(some.documents().unwrap(), ["check", "json"]);
    let bad = RunConfig {
        documents: vec!["通报".into()],
        ..RunConfig::default()
    };
    assert!(
        bad.documents()
            .unwrap_err()
            .to_string()
            .contains("「通报」")
    );
}

#[test]
fn run_section_parses_from_gonggu_toml() {
    let c = crate::config::Config::parse(
        "[run]\nlevel = \"town\"\ninputs = [\"数据/{年}-{月}/*.xlsx\"]\nout = \"输出/{年}年{月}月\"\ndocuments = [\"notice\"]\n",
        "gonggu.toml",
    )
    .unwrap();
    assert_eq!(c.run.level.as_deref(), Some("town"));
    assert_eq!(c.run.input_patterns(), ["数据/{年}-{月}/*.xlsx"]);
    assert!(crate::config::Config::parse("[run]\ninput = []\n", "gonggu.toml").is_err());
}
