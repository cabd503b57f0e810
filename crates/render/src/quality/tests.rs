//! Tests of `quality`.

use std::io::Cursor;
use std::path::PathBuf;

use calamine::{Reader, Xlsx};
use chrono::NaiveDate;

use super::*;
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::validate::{CheckParams, run_checks};

fn id(n: u32) -> String {
    let first17 = format!("41010119800101{:03}", n % 1000);
    let c = gonggu_core::validate::idcard::check_char(&first17).unwrap();
    format!("{first17}{c}")
}

fn read(files: &[(&str, String)]) -> Dataset {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, text)| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    read_inputs(&paths, &ReadOptions::default()).unwrap()
}

fn check(ds: &Dataset) -> CheckReport {
    let params = CheckParams::defaults(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()).unwrap();
    run_checks(ds, &params).unwrap()
}

/// Every sheet of a workbook: (name, rows of cell texts).
fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            (n, rows)
        })
        .collect()
}

const HEAD: &str = "县,乡,村,户编号,证件号码,姓名,户类型,与户主关系,人数,户联系电话,是否参加城乡居民基本医疗保险\n";

#[test]
fn sheet_names_are_unique_short_and_valid() {
    let long = "某某镇[试点]/街道:名字特别长一二三四五六七八九十甲乙丙丁戊己庚辛壬癸";
    let mut roster = String::from(HEAD);
    for (i, (county, town)) in [
        ("夏邑县", "城关镇"),
        ("虞城县", "城关镇"),
        ("夏邑县", "汇总"),
        ("夏邑县", &format!("{long}子")),
        ("夏邑县", &format!("{long}丑")),
    ]
    .iter()
    .enumerate()
    {
        roster.push_str(&format!(
            "{county},{town},一村,H{i},,张三,脱贫户,户主,1,,是\n"
        ));
    }
    let projects = "项目编号,县,是否纳入年度实施计划,衔接资金（万元）,已支出衔接资金（万元）\nP1,夏邑县,是,10,20\n";
    let ds = read(&[("人员.csv", roster), ("项目.csv", projects.to_string())]);
    let report = check(&ds);
    let books = quality_workbooks(&ds, &report, Pii::Masked).unwrap();
    assert_eq!(books.len(), 1);
    let names: Vec<String> = sheets(&books[0].1).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names[0], "汇总");
    for want in [
        "夏邑县城关镇",
        "虞城县城关镇",
        "汇总（2）",
        "夏邑县（县级）",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    let mut seen = HashSet::new();
    for n in &names {
        assert!(n.chars().count() <= 31, "{n}");
        assert!(!n.contains(['[', ']', ':', '*', '?', '/', '\\']), "{n}");
        assert!(seen.insert(n.clone()), "duplicate sheet {n}");
    }
    let long_ones: Vec<&String> = names.iter().filter(|n| n.starts_with("某某镇")).collect();
    assert_eq!(long_ones.len(), 2, "{names:?}");
    assert!(long_ones[1].ends_with("（2）"), "{names:?}");
}

#[test]
fn sheet_name_claims() {
    let mut s = SheetNames::default();
    assert_eq!(s.claim("汇总"), "汇总");
    assert_eq!(s.claim("汇总"), "汇总（2）");
    assert_eq!(s.claim("'History'"), "History（2）");
    assert_eq!(s.claim(""), "工作表");
    let long = "一".repeat(40);
    assert_eq!(s.claim(&long), "一".repeat(31));
    assert_eq!(s.claim(&long), format!("{}（2）", "一".repeat(28)));
    assert_eq!(s.claim(&long), format!("{}（3）", "一".repeat(28)));
}

fn pii_dataset() -> (Dataset, Vec<String>) {
    let mut roster = String::from(HEAD);
    let people = [
        ("H1", "张三丰", "户主", "13812345678"),
        ("H1", "欧阳修文", "之子", "13812345678"),
        ("H2", "李四", "户主", "13987654321"),
    ];
    let mut secrets = Vec::new();
    for (i, (hh, name, rel, phone)) in people.iter().enumerate() {
        let idn = id(i as u32 + 1);
        // 人数 3 is wrong for both households; 医保 否 on every row.
        roster.push_str(&format!(
            "夏邑县,城关镇,东关村,{hh},{idn},{name},脱贫户,{rel},3,{phone},否\n"
        ));
        secrets.extend([idn, name.to_string(), phone.to_string()]);
    }
    (read(&[("人员.csv", roster)]), secrets)
}

#[test]
fn personal_data_is_masked_in_every_cell_unless_revealed() {
    let (ds, secrets) = pii_dataset();
    let report = check(&ds);
    assert_eq!((report.count("HH02"), report.count("IN01")), (2, 3));
    let all_text = |pii: Pii| -> String {
        let books = quality_workbooks(&ds, &report, pii).unwrap();
        let mut text = String::new();
        for (_, bytes) in &books {
            for (name, rows) in sheets(bytes) {
                text.push_str(&name);
                for r in rows {
                    text.push('\n');
                    text.push_str(&r.join("\t"));
                }
            }
        }
        text
    };
    let masked = all_text(Pii::Masked);
    for s in &secrets {
        assert!(!masked.contains(s.as_str()), "{s} appears unmasked");
    }
    // Not even the birth-date digits of an ID number.
    assert!(!masked.contains("19800101"));
    for shown in [
        gonggu_core::mask::mask_id(&secrets[0]),
        "张*".into(),
        "欧阳*".into(),
        "138****5678".into(),
    ] {
        assert!(masked.contains(&shown), "{shown} missing");
    }
    let revealed = all_text(Pii::Revealed);
    for s in &secrets {
        assert!(
            revealed.contains(s.as_str()),
            "{s} not shown with Pii::Revealed"
        );
    }
    assert!(revealed.contains("未脱敏"));
}

#[test]
fn town_sheet_lists_findings_for_the_clerk_and_summary_counts_them() {
    let (ds, _) = pii_dataset();
    let report = check(&ds);
    let books = quality_workbooks(&ds, &report, Pii::Masked).unwrap();
    let sheets = sheets(&books[0].1);
    let (name, rows) = &sheets[1];
    assert_eq!(name, "城关镇");
    assert!(
        rows[0][0].starts_with("城关镇数据质量核查清单（截至2024年6月30日，共 5 条）"),
        "{:?}",
        rows[0]
    );
    assert_eq!(rows[1], COLUMNS.map(String::from).to_vec());
    let codes: Vec<(&str, &str)> = rows[2..]
        .iter()
        .map(|r| (r[6].as_str(), r[0].as_str()))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("H1", "HH02"),
            ("H1", "IN01"),
            ("H1", "IN01"),
            ("H2", "HH02"),
            ("H2", "IN01")
        ]
    );
    let first = &rows[2];
    assert_eq!(&first[2..6], &["警告", "夏邑县", "城关镇", "东关村"]);
    assert_eq!(first[10], "人数：3；成员行数：2");
    assert!(first[11].ends_with("人员.csv，第 2 行"), "{}", first[11]);

    let (_, summary) = &sheets[0];
    let header = summary
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "规则代码"))
        .unwrap();
    assert_eq!(
        &header[..5],
        &["规则代码", "规则名称", "严重程度", "合计", "城关镇"]
    );
    let hh02 = summary
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "HH02"))
        .unwrap();
    assert_eq!((hh02[3].as_str(), hh02[4].as_str()), ("2", "2"));
    let total = summary
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "合计"))
        .unwrap();
    assert_eq!(total[3], "5");
    assert!(summary.iter().any(|r| {
        r.first()
            .is_some_and(|c| c == "未执行的规则（输入中缺少所需的列或表）")
    }));
    assert!(summary.iter().any(
        |r| r.first().is_some_and(|c| c == "MN03") && r[3] == "识别监测时间、消除监测时间"
    ));
}

#[test]
fn same_input_same_bytes() {
    let (ds, _) = pii_dataset();
    let report = check(&ds);
    let a = quality_workbooks(&ds, &report, Pii::Masked).unwrap();
    let b = quality_workbooks(&ds, &report, Pii::Masked).unwrap();
    assert_eq!(a, b);
    // And the as-of date, not the clock, dates the file.
    let mut later = report.clone();
    later.params.as_of = NaiveDate::from_ymd_opt(2024, 7, 31).unwrap();
    assert_ne!(
        quality_workbooks(&ds, &later, Pii::Masked).unwrap()[0].1,
        a[0].1
    );
}

#[test]
fn above_200_towns_one_workbook_per_county() {
    let mut roster = String::from(HEAD);
    for t in 0..201u32 {
        let county = if t < 150 { "甲县" } else { "乙县" };
        roster.push_str(&format!(
            "{county},镇{t},一村,H{t},{},张三,脱贫户,户主,2,,是\n",
            id(t)
        ));
    }
    let ds = read(&[("人员.csv", roster)]);
    let report = check(&ds);
    assert_eq!(report.count("HH02"), 201);
    let books = quality_workbooks(&ds, &report, Pii::Masked).unwrap();
    let names: Vec<&str> = books.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["甲县", "乙县"]);
    let second = sheets(&books[1].1);
    assert_eq!(second.len(), 1 + 51);
    assert_eq!(second[1].0, "镇150");
    let header = second[0]
        .1
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "规则代码"))
        .unwrap();
    assert_eq!(header.len(), 4 + 51);
    assert!(second[0].1[0][0].starts_with("乙县数据质量核查汇总"));
}
