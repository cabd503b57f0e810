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

static KEY: std::sync::LazyLock<CheckKey> = std::sync::LazyLock::new(|| CheckKey::new("测试密钥"));

fn opts(pii: Pii) -> ListOptions<'static> {
    ListOptions {
        pii,
        ..ListOptions::new(&KEY)
    }
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
    let books = quality_workbooks(&ds, &report, &opts(Pii::Masked)).unwrap();
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
        let books = quality_workbooks(&ds, &report, &opts(pii)).unwrap();
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

/// The row of a sheet whose first cell is `first`.
fn row_starting<'a>(rows: &'a [Vec<String>], first: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r.first().is_some_and(|c| c == first))
        .unwrap_or_else(|| panic!("no row starting with {first}: {rows:#?}"))
}

#[test]
fn town_sheet_lists_findings_for_the_clerk_and_summary_counts_them() {
    let (ds, _) = pii_dataset();
    let report = check(&ds);
    let books = quality_workbooks(&ds, &report, &opts(Pii::Masked)).unwrap();
    let sheets = sheets(&books[0].1);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["汇总", "规则", "城关镇"]);
    let (_, rows) = &sheets[2];
    assert!(
        rows[0][0].starts_with("城关镇数据质量核查清单（截至2024年6月30日，共 5 条）"),
        "{:?}",
        rows[0]
    );
    assert_eq!(rows[1], COLUMNS.map(|(h, _, _)| h.to_string()).to_vec());
    let codes: Vec<(&str, &str)> = rows[2..]
        .iter()
        .map(|r| (r[5].as_str(), r[0].split('-').next().unwrap()))
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
    assert_eq!(&first[2..5], &["警告", "城关镇", "东关村"]);
    assert_eq!(first[9], "人数：3；成员行数：2");
    assert_eq!(first[10], "人员.csv，第 2 行");
    // The towns' columns are there, empty.
    assert_eq!((first[11].as_str(), first[12].as_str()), ("", ""));
    // Every finding of this data has values: none of their cells is empty.
    for r in &rows[2..] {
        assert!(!r[9].is_empty(), "{r:?}");
    }

    // 汇总: towns as rows; 5 warnings, 2 in group HH and 3 in IN.
    let (_, summary) = &sheets[0];
    let header = row_starting(summary, "县");
    assert_eq!(&header[..5], &["县", "乡镇", "错误", "警告", "提示"]);
    assert_eq!(header.last().unwrap(), "合计");
    let col = |h: &str| header.iter().position(|c| c == h).unwrap();
    let town = row_starting(summary, "夏邑县");
    assert_eq!(town[1], "城关镇");
    let got: Vec<&str> = ["错误", "警告", "提示", "HH", "IN", "ID", "合计"]
        .iter()
        .map(|h| town[col(h)].as_str())
        .collect();
    assert_eq!(got, ["0", "5", "0", "2", "3", "0", "5"]);
    assert_eq!(row_starting(summary, "合计")[col("合计")], "5");
    // One row per town: header, 城关镇, 合计 after the two title rows.
    assert_eq!(summary.iter().filter(|r| r[0] == "夏邑县").count(), 1);

    // 规则: per rule, and the rules that did not run.
    let (_, rules) = &sheets[1];
    assert_eq!(
        &row_starting(rules, "规则代码")[..4],
        &["规则代码", "规则名称", "严重程度", "问题数"]
    );
    assert_eq!(row_starting(rules, "HH02")[3], "2");
    assert_eq!(row_starting(rules, "合计")[3], "5");
    assert!(
        rules
            .iter()
            .any(|r| r[0] == "未执行的规则（输入中缺少所需的列或表）")
    );
    assert_eq!(row_starting(rules, "MN03")[3], "识别监测时间、消除监测时间");
}

/// The XML of a workbook part (`xl/worksheets/sheet3.xml`).
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut f = zip.by_name(name).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut f, &mut text).unwrap();
    text
}

#[test]
fn town_sheets_print_on_a4_landscape_one_page_wide_with_titles_and_a_drop_down() {
    let (ds, _) = pii_dataset();
    let report = check(&ds);
    let book = &quality_workbooks(&ds, &report, &opts(Pii::Masked)).unwrap()[0].1;
    // sheet1 汇总, sheet2 规则, sheet3 城关镇.
    for sheet in ["sheet1", "sheet3"] {
        let xml = part(book, &format!("xl/worksheets/{sheet}.xml"));
        assert!(xml.contains(r#"paperSize="9""#), "{sheet}: {xml}");
        assert!(xml.contains(r#"orientation="landscape""#), "{sheet}");
        // Fit to one page wide, any number of pages long.
        assert!(xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{sheet}");
        assert!(xml.contains(r#"fitToHeight="0""#), "{sheet}");
        assert!(
            !xml.contains("fitToWidth="),
            "{sheet}: width is 1 by default"
        );
        assert!(xml.contains("第 &amp;P 页，共 &amp;N 页"), "{sheet}");
    }
    let town = part(book, "xl/worksheets/sheet3.xml");
    assert!(
        town.contains("<oddHeader>&amp;L城关镇数据质量核查清单&amp;R截至2024年6月30日</oddHeader>"),
        "{town}"
    );
    // The drop-down on 核实情况 (column L) over the five findings.
    assert!(
        town.contains(r#"<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1""#)
            && town.contains(r#"sqref="L3:L7""#)
            && town.contains("<formula1>\"属实已整改,属实整改中,不属实\"</formula1>"),
        "{town}"
    );
    // Protected, the towns' columns open: the answer cells use an unlocked format.
    assert!(town.contains("<sheetProtection "), "{town}");
    assert!(part(book, "xl/styles.xml").contains(r#"<protection locked="0"/>"#));
    // Wrapped text: rows with long values are made taller.
    assert!(town.contains(r#"customHeight="1""#), "{town}");
    // The header row repeats on every printed page.
    let workbook = part(book, "xl/workbook.xml");
    assert!(
        workbook.contains(
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="2">城关镇!$2:$2</definedName>"#
        ),
        "{workbook}"
    );
}

#[test]
fn check_numbers_are_stable_distinct_and_reveal_no_id() {
    let (ds, secrets) = pii_dataset();
    let report = check(&ds);
    let a = check_numbers(&ds, &report, &KEY);
    assert_eq!(a.len(), 5);
    // Same run twice, and a fresh key object with the same secret: the same numbers.
    assert_eq!(a, check_numbers(&ds, &report, &CheckKey::new("测试密钥")));
    // Different findings, different numbers.
    let distinct: HashSet<&String> = a.iter().collect();
    assert_eq!(distinct.len(), 5, "{a:?}");
    for n in &a {
        let (code, hash) = n.split_once('-').unwrap();
        assert!(["HH02", "IN01"].contains(&code), "{n}");
        assert_eq!(hash.len(), 10, "{n}");
        assert_eq!(gonggu_core::ingest::returned::number_code(n), Some(code));
        // No run of the ID numbers' digits (birth date, sequence) in it.
        for id in secrets.iter().filter(|s| s.len() == 18) {
            for w in 0..=14 {
                assert!(!n.contains(&id[w..w + 4]), "{n} holds digits of {id}");
            }
        }
    }
    // Another key, other numbers; the built-in key too.
    let other = check_numbers(&ds, &report, &CheckKey::new("另一个密钥"));
    assert!(a.iter().zip(&other).all(|(x, y)| x != y));
    let builtin = check_numbers(&ds, &report, &CheckKey::builtin());
    assert!(a.iter().zip(&builtin).all(|(x, y)| x != y));

    // Next month the rows moved (a new household on top): the same findings keep their
    // numbers, the new one gets its own.
    let mut moved = String::from(HEAD);
    moved.push_str(&format!(
        "夏邑县,城关镇,东关村,H0,{},王五,脱贫户,户主,2,13700000000,否\n",
        id(9)
    ));
    let text = |i: usize| {
        let (hh, name, rel, phone) = [
            ("H1", "张三丰", "户主", "13812345678"),
            ("H1", "欧阳修文", "之子", "13812345678"),
            ("H2", "李四", "户主", "13987654321"),
        ][i];
        format!(
            "夏邑县,城关镇,东关村,{hh},{},{name},脱贫户,{rel},3,{phone},否\n",
            id(i as u32 + 1)
        )
    };
    for i in [2, 0, 1] {
        moved.push_str(&text(i));
    }
    let ds2 = read(&[("人员.csv", moved)]);
    let report2 = check(&ds2);
    let b = check_numbers(&ds2, &report2, &KEY);
    assert_eq!(b.len(), 7, "{b:?}");
    let kept = b.iter().filter(|n| a.contains(n)).count();
    assert_eq!(kept, 5, "{a:?} {b:?}");
}

#[test]
fn tracking_counts_resolved_still_and_new_and_carries_answers() {
    use gonggu_core::error::Place;
    use gonggu_core::ingest::returned::{Answer, Returned, ReturnedRow};
    let (ds, _) = pii_dataset();
    let report = check(&ds);
    let numbers = check_numbers(&ds, &report, &KEY);
    let back = |number: &str, answer: Option<Answer>, note: &str| ReturnedRow {
        place: Place {
            file: "上期/城关镇.xlsx".into(),
            sheet: Some("城关镇".into()),
            row: Some(3),
            column: None,
        },
        number: number.to_string(),
        code: number.split('-').next().unwrap().to_string(),
        town: "城关镇".into(),
        household: String::new(),
        answer,
        note: note.into(),
    };
    // Last month: findings 0 (HH02 H1, answered 已整改 but still there), 1 (IN01, 不属实),
    // and one no longer found (resolved). Findings 2, 3, 4 are new.
    let returned = Returned {
        rows: vec![
            back(&numbers[0], Some(Answer::Fixed), "已更正人数"),
            back(&numbers[1], Some(Answer::NotTrue), "本人确已参保"),
            back("IN01-0000000000", Some(Answer::Fixed), ""),
        ],
        notes: vec![],
    };
    let t = Tracking::new(&ds, &report, &KEY, &returned);
    assert_eq!(t.totals(), (1, 2, 3, 1));
    assert_eq!(t.carried_over, 2);
    assert_eq!(t.carried(0), Some((Some(Answer::Fixed), "已更正人数")));
    assert_eq!(t.carried(1), Some((Some(Answer::NotTrue), "本人确已参保")));
    assert_eq!(t.carried(2), None);
    let lines: Vec<(&str, &str, u64, u64, u64, u64)> = t
        .lines
        .iter()
        .map(|l| {
            (
                l.town.as_str(),
                l.code.as_str(),
                l.resolved,
                l.still,
                l.new,
                l.contradicted,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("城关镇", "HH02", 0, 1, 1, 1),
            ("城关镇", "IN01", 1, 1, 2, 0)
        ]
    );
    assert_eq!(t.contradictions.len(), 1);
    assert_eq!(t.contradictions[0].finding, 0);
    assert!(!t.other_key);

    // In the workbook: answers carried into the town's columns, the two extra sheets.
    let o = ListOptions {
        tracking: Some(&t),
        ..opts(Pii::Masked)
    };
    let book = sheets(&quality_workbooks(&ds, &report, &o).unwrap()[0].1);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["汇总", "规则", "上期对照", "整改核对", "城关镇"]);
    let town = &book[4].1;
    assert_eq!(&town[2][11..13], &["属实已整改", "已更正人数"]);
    assert_eq!(&town[3][11..13], &["不属实", "本人确已参保"]);
    assert_eq!(&town[4][11..13], &["", ""]);
    let track = &book[2].1;
    assert_eq!(&row_starting(track, "合计")[3..7], &["1", "2", "3", "1"]);
    let fix = &book[3].1;
    let line = row_starting(fix, &numbers[0]);
    assert_eq!(line[7], "属实已整改");
    assert!(
        line[9].starts_with("文件 城关镇.xlsx，工作表「城关镇」，第 3 行"),
        "{line:?}"
    );
    // The bureau's sheet is not read back as a town's list: no 核实情况 column.
    assert!(!row_starting(fix, "核查编号").contains(&"核实情况".to_string()));
}

#[test]
fn same_input_same_bytes() {
    let (ds, _) = pii_dataset();
    let report = check(&ds);
    let a = quality_workbooks(&ds, &report, &opts(Pii::Masked)).unwrap();
    let b = quality_workbooks(&ds, &report, &opts(Pii::Masked)).unwrap();
    assert_eq!(a, b);
    // And the as-of date, not the clock, dates the file.
    let mut later = report.clone();
    later.params.as_of = NaiveDate::from_ymd_opt(2024, 7, 31).unwrap();
    assert_ne!(
        quality_workbooks(&ds, &later, &opts(Pii::Masked)).unwrap()[0].1,
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
    let books = quality_workbooks(&ds, &report, &opts(Pii::Masked)).unwrap();
    let names: Vec<&str> = books.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["甲县", "乙县"]);
    let second = sheets(&books[1].1);
    assert_eq!(second.len(), 2 + 51);
    assert_eq!(second[2].0, "镇150");
    // 汇总: one row per town of 乙县, and the total.
    let summary = &second[0].1;
    assert_eq!(summary.iter().filter(|r| r[0] == "乙县").count(), 51);
    assert!(summary[0][0].starts_with("乙县数据质量核查汇总"));
}

#[test]
fn split_by_county_on_request() {
    let mut roster = String::from(HEAD);
    for (t, county) in ["甲县", "乙县", "甲县"].iter().enumerate() {
        roster.push_str(&format!(
            "{county},镇{t},一村,H{t},{},张三,脱贫户,户主,2,,是\n",
            id(t as u32)
        ));
    }
    let ds = read(&[("人员.csv", roster)]);
    let report = check(&ds);
    let one = quality_workbooks(&ds, &report, &opts(Pii::Masked)).unwrap();
    assert_eq!(one.len(), 1);
    let o = ListOptions {
        split: true,
        ..opts(Pii::Masked)
    };
    let books = quality_workbooks(&ds, &report, &o).unwrap();
    let names: Vec<&str> = books.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["甲县", "乙县"]);
    let first: Vec<String> = sheets(&books[0].1).into_iter().map(|(n, _)| n).collect();
    assert_eq!(first, ["汇总", "规则", "镇0", "镇2"]);
}

#[test]
fn tracking_keeps_two_counties_towns_of_one_name_apart() {
    use gonggu_core::error::Place;
    use gonggu_core::ingest::returned::{Returned, ReturnedRow};
    let mut roster = String::from(HEAD);
    for (i, county) in ["夏邑县", "虞城县"].iter().enumerate() {
        // 人数 2 for one member: HH02 in each county's 城关镇.
        roster.push_str(&format!(
            "{county},城关镇,一村,H{i},{},张三,脱贫户,户主,2,1381234567{i},是\n",
            id(i as u32)
        ));
    }
    let ds = read(&[("人员.csv", roster)]);
    let report = check(&ds);
    let numbers = check_numbers(&ds, &report, &KEY);
    assert_eq!(numbers.len(), 2, "{numbers:?}");
    // Back from 虞城县城关镇's sheet: its finding, and one no longer found.
    let back = |number: &str| ReturnedRow {
        place: Place {
            file: "虞城县城关镇.xlsx".into(),
            sheet: Some("虞城县城关镇".into()),
            row: Some(3),
            column: None,
        },
        number: number.to_string(),
        code: "HH02".into(),
        town: "城关镇".into(),
        household: "H1".into(),
        answer: None,
        note: String::new(),
    };
    let returned = Returned {
        rows: vec![back(&numbers[1]), back("HH02-0000000000")],
        notes: vec![],
    };
    let t = Tracking::new(&ds, &report, &KEY, &returned);
    let lines: Vec<(&str, u64, u64, u64)> = t
        .lines
        .iter()
        .map(|l| (l.town.as_str(), l.resolved, l.still, l.new))
        .collect();
    assert_eq!(
        lines,
        [("夏邑县城关镇", 0, 0, 1), ("虞城县城关镇", 1, 1, 0)]
    );
}

#[test]
fn an_id_finding_shows_the_masked_number_as_its_value() {
    // A wrong check character: an ID rule fires and quotes no value of its own.
    let mut bad = id(7);
    let last = if bad.ends_with('0') { "1" } else { "0" };
    bad.replace_range(17.., last);
    let roster = format!("{HEAD}夏邑县,城关镇,东关村,H1,{bad},张三,脱贫户,户主,1,,是\n");
    let ds = read(&[("人员.csv", roster)]);
    let report = check(&ds);
    let books = quality_workbooks(&ds, &report, &opts(Pii::Masked)).unwrap();
    let town = &sheets(&books[0].1)[2].1;
    let row = town[2..]
        .iter()
        .find(|r| r[0].starts_with("ID"))
        .unwrap_or_else(|| panic!("no ID finding: {town:?}"));
    assert_eq!(
        row[9],
        format!("证件号码：{}", gonggu_core::mask::mask_id(&bad))
    );
    assert!(!row.join("|").contains(&bad));
}
