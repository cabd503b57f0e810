//! Reader tests on small workbooks and CSV files written here, laid out like real exports.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::*;
use crate::model::{HouseholdType, MonitorCategory, WorkPlace};

fn write_xlsx(path: &Path, sheet: &str, rows: &[Vec<&str>], title_rows: usize) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for t in 0..title_rows {
        ws.write_string(
            t as u32,
            0,
            format!("全国防返贫监测信息系统 标题行{}", t + 1),
        )
        .unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string((r + title_rows) as u32, c as u16, *v)
                    .unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn read(paths: &[PathBuf]) -> Result<Dataset> {
    read_both_ways(paths, &ReadOptions::default())
}

/// Reads as `check` does (every column) and as `compute` does (`skip_texts`: only the
/// columns counted, the others not even decoded): both must build the same households,
/// persons, notes and bad values, or fail with the same error. The full read is returned.
fn read_both_ways(paths: &[PathBuf], opts: &ReadOptions) -> Result<Dataset> {
    let counting = ReadOptions {
        aliases: opts.aliases.clone(),
        region_aliases: opts.region_aliases.clone(),
        region_name: opts.region_name.clone(),
        region_code: opts.region_code.clone(),
        region_codes: opts.region_codes.clone(),
        strict: opts.strict,
        pii: opts.pii,
        progress: None,
        skip_texts: true,
    };
    let full = read_inputs(paths, opts);
    let lean = read_inputs(paths, &counting);
    match (&full, &lean) {
        (Ok(f), Ok(l)) => {
            assert!(l.roster.persons.is_empty());
            let ids = |ds: &Dataset| -> Vec<Option<String>> {
                (0..ds.roster.ids.len())
                    .map(|i| ds.roster.ids.get(i).map(|id| id.as_str().to_string()))
                    .collect()
            };
            assert_eq!(f.roster.facts, l.roster.facts);
            assert_eq!(ids(f), ids(l));
            assert_eq!(
                format!("{:?}", f.roster.households),
                format!("{:?}", l.roster.households)
            );
            assert_eq!(f.notes, l.notes);
            assert_eq!(f.bad_values.len(), l.bad_values.len());
            let regions = |ds: &Dataset| -> Vec<String> {
                ds.regions.ids().map(|id| ds.regions.path(id)).collect()
            };
            assert_eq!(regions(f), regions(l));
        }
        (Err(f), Err(l)) => assert_eq!(f.to_string(), l.to_string()),
        (f, l) => panic!("full read {f:?}, counting read {l:?}"),
    }
    full
}

const ROSTER_HEAD: [&str; 13] = [
    "县",
    "乡",
    "村",
    "户编号",
    "身份证号码",
    "姓名",
    "户类型",
    "与户主关系",
    "家庭人口数",
    "监测对象类别",
    "风险是否已消除",
    "人均纯收入\n（元）",
    "务工所在地",
];

#[test]
fn xlsx_with_title_rows_alias_headers_and_totals() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("监测对象信息.xlsx");
    let rows = vec![
        ROSTER_HEAD.to_vec(),
        // Household A: head listed second.
        vec![
            "夏邑县",
            "城关镇",
            "东关村",
            "A",
            "410101199001011234",
            "张一",
            "脱贫户",
            "之子",
            "2",
            "",
            "",
            "9000",
            "乡外县内务工",
        ],
        vec![
            "夏邑县",
            "城关镇",
            "东关村",
            "A",
            "410101196001011232",
            "张二",
            "脱贫户",
            "户主",
            "2",
            "边缘易致贫户",
            "否",
            "8000",
            "省外务工",
        ],
        vec![
            "虞城县",
            "城关镇",
            "西关村",
            "B",
            "410101197001011230",
            "李三",
            "一般农户",
            "户主",
            "1",
            "突发严重困难户",
            "是",
            "12,000元",
            "县外省内务工",
        ],
        vec!["合计", "", "", "", "", "", "", "", "3", "", "", "", ""],
    ];
    write_xlsx(&path, "监测对象信息", &rows, 2);
    let ds = read(std::slice::from_ref(&path)).unwrap();
    assert_eq!(ds.sources.len(), 1);
    assert_eq!(ds.sources[0].header_row, 3);
    assert_eq!(ds.sources[0].kind, TableKind::Roster);
    assert_eq!(ds.roster.households.len(), 2);
    assert_eq!(ds.roster.persons.len(), 3);
    assert_eq!(ds.total_rows.len(), 1, "合计 row skipped");
    let a = &ds.roster.households[0];
    // Attributes come from the 户主 row even though it came second.
    assert_eq!(a.category, Some(MonitorCategory::Marginal));
    assert_eq!(a.income, Some(Decimal::new(8000, 0)));
    assert_eq!(a.at.row, 5);
    assert_eq!(a.members, 2);
    assert_eq!(a.heads, 1);
    let b = &ds.roster.households[1];
    assert_eq!(b.kind, Some(HouseholdType::General));
    assert_eq!(b.eliminated, Some(true));
    assert_eq!(b.income, Some(Decimal::new(12000, 0)));
    assert_eq!(ds.roster.facts[0].work, WorkPlace::InCounty);
    assert_eq!(ds.roster.facts[1].work, WorkPlace::OutProvince);
    assert_eq!(ds.roster.facts[2].work, WorkPlace::InProvince);
    // 城关镇 under two counties stays two towns, labelled with their county.
    let towns = ds.regions.at_level(crate::region::Level::Town);
    assert_eq!(towns.len(), 2);
    assert_eq!(ds.regions.label(towns[0]), "夏邑县城关镇");
}

#[test]
fn excel_dates_text_dates_and_month_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let head = [
        "县",
        "乡",
        "村",
        "户编号",
        "证件号码",
        "户类型",
        "与户主关系",
        "监测对象类别",
        "识别监测时间",
        "消除监测时间",
        "出生日期",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let base = ["民权县", "人和镇", "王庄村"];
    let fmt = Format::new().set_num_format("yyyy-mm-dd");
    for r in 1..=3u32 {
        for (c, v) in base.iter().enumerate() {
            ws.write_string(r, c as u16, *v).unwrap();
        }
        ws.write_string(r, 3, format!("H{r}")).unwrap();
        ws.write_string(r, 4, format!("41010119900101{:03}X", r))
            .unwrap();
        ws.write_string(r, 5, "脱贫户").unwrap();
        ws.write_string(r, 6, "户主").unwrap();
        ws.write_string(r, 7, "脱贫不稳定户").unwrap();
    }
    // Row 2: a real Excel date; row 3: YYYYMM as a number; row 4: text.
    let d = ExcelDateTime::from_ymd(2021, 3, 15).unwrap();
    ws.write_datetime_with_format(1, 8, &d, &fmt).unwrap();
    ws.write_number(2, 8, 202104.0).unwrap();
    ws.write_string(3, 8, "2021年5月").unwrap();
    ws.write_number(1, 10, 19900101.0).unwrap();
    ws.write_string(2, 9, "2021.13").unwrap();
    wb.save(&path).unwrap();

    let ds = read(std::slice::from_ref(&path)).unwrap();
    let hh = &ds.roster.households;
    let d = |y, m, d| Some(NaiveDate::from_ymd_opt(y, m, d).unwrap());
    assert_eq!(hh[0].identified, d(2021, 3, 15));
    assert_eq!(hh[1].identified, d(2021, 4, 30));
    assert_eq!(hh[2].identified, d(2021, 5, 31));
    assert_eq!(ds.roster.persons[0].birth, d(1990, 1, 1));
    // The bad date is a warning with its place, and the value is treated as missing.
    assert_eq!(ds.bad_values.len(), 1);
    let bv = &ds.bad_values[0];
    assert_eq!(
        (bv.row, bv.column.as_str(), bv.value.as_str()),
        (3, "消除监测时间", "2021.13")
    );
    assert_eq!(hh[1].eliminated_on, None);

    // --strict makes it fatal, naming file, sheet, row and column.
    let strict = ReadOptions {
        strict: true,
        ..ReadOptions::default()
    };
    let err = read_both_ways(&[path], &strict).unwrap_err().to_string();
    assert!(
        err.contains("roster.xlsx")
            && err.contains("Sheet1")
            && err.contains("第 3 行")
            && err.contains("消除监测时间")
            && err.contains("2021.13"),
        "{err}"
    );
}

#[test]
fn gb18030_and_bom_csv() {
    let dir = tempfile::tempdir().unwrap();
    let text = "县(市、区、旗),乡(镇),行政村,户编号,证件号码,户类型,姓名,人均纯收入（元）\n睢县,白庙乡,刘庄村,H9,410101199001011234,脱贫户,王五,\"10,409\"\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let gb_path = dir.path().join("gb.csv");
    std::fs::write(&gb_path, &gb).unwrap();
    let bom_path = dir.path().join("bom.csv");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    std::fs::write(&bom_path, &bom).unwrap();
    for p in [gb_path, bom_path] {
        let ds = read(std::slice::from_ref(&p)).unwrap();
        let h = &ds.roster.households[0];
        assert_eq!(
            ds.regions.path(h.village),
            "睢县/白庙乡/刘庄村",
            "{}",
            p.display()
        );
        assert_eq!(h.income, Some(Decimal::new(10409, 0)));
        assert_eq!(ds.roster.persons[0].name.as_deref(), Some("王五"));
    }
}

/// Only the columns a command uses are decoded: a stray byte in a column gonggu does not
/// read leaves the figures alone; in a column it reads it is an error naming the row and
/// the column. Counting-only reads keep no names.
#[test]
fn unread_columns_are_not_decoded() {
    // 64 KiB of clean rows first: the file is recognised as UTF-8 text from its start. The
    // odd row comes in the first batches (decoded before the header is known) or long
    // after (decoded with the header's columns only).
    for clean_rows in [1500usize, 30_000] {
        let dir = tempfile::tempdir().unwrap();
        let mut clean = String::from(
            "县(市、区、旗),乡(镇),行政村,户编号,证件号码,户类型,姓名,备注,人均纯收入（元）\n",
        );
        for i in 0..clean_rows {
            clean.push_str(&format!("睢县,白庙乡,刘庄村,G{i},,脱贫户,某某,无,8000\n"));
        }
        let file = |name: &str, row: &[&[u8]]| {
            let mut bytes = clean.as_bytes().to_vec();
            for part in row {
                bytes.extend_from_slice(part);
            }
            let p = dir.path().join(name);
            std::fs::write(&p, &bytes).unwrap();
            p
        };
        let row = "睢县,白庙乡,刘庄村,H9,410101199001011234,脱贫户,王五,".as_bytes();
        let p = file("stray.csv", &[row, &[0xFF, 0xFE], b",9000\n"]);
        let ds = read(std::slice::from_ref(&p)).unwrap();
        let h = ds.roster.households.last().unwrap();
        assert_eq!((&*h.id, h.income), ("H9", Some(Decimal::new(9000, 0))));
        assert_eq!(
            ds.roster.persons.last().unwrap().name.as_deref(),
            Some("王五")
        );
        let counting = ReadOptions {
            skip_texts: true,
            ..ReadOptions::default()
        };
        let ds = read_inputs(std::slice::from_ref(&p), &counting).unwrap();
        // A read that only counts keeps each person's facts and number, no full record.
        assert_eq!(ds.roster.facts.len(), clean_rows + 1);
        assert_eq!(ds.roster.ids.len(), clean_rows + 1);
        assert!(ds.roster.persons.is_empty());

        let row = "睢县,白庙乡,刘庄村,H9,410101199001011234,脱贫户,王".as_bytes();
        let p = file("bad.csv", &[row, &[0xFF], b",,9000\n"]);
        let e = read(std::slice::from_ref(&p)).unwrap_err().to_string();
        let at = format!("第 {} 行第 G 列", clean_rows + 2);
        assert!(e.contains("bad.csv") && e.contains(&at), "{e}");
    }
}

#[test]
fn corrupt_empty_and_unknown_files() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("坏文件.xlsx");
    std::fs::write(&corrupt, b"PK\x03\x04 this is not a zip").unwrap();
    let e = read(&[corrupt]).unwrap_err();
    assert!(matches!(e, Error::Corrupt { .. }), "{e:?}");
    assert!(e.to_string().contains("坏文件.xlsx"));

    let empty = dir.path().join("空.csv");
    std::fs::write(&empty, b"").unwrap();
    let e = read(&[empty]).unwrap_err();
    assert!(matches!(e, Error::Empty { .. }), "{e:?}");

    let blank = dir.path().join("blank.csv");
    std::fs::write(&blank, b",,\n , ,\n").unwrap();
    assert!(matches!(read(&[blank]).unwrap_err(), Error::Empty { .. }));

    let other = dir.path().join("说明.csv");
    std::fs::write(&other, "关于报送数据的说明\n请于每月5日前报送\n").unwrap();
    let e = read(&[other]).unwrap_err();
    assert!(matches!(e, Error::NoHeader { .. }), "{e:?}");

    let missing = dir.path().join("nothere.xlsx");
    assert!(matches!(read(&[missing]).unwrap_err(), Error::Io { .. }));
}

#[test]
fn standard_input_twice_is_refused_before_reading() {
    let stdin = PathBuf::from(STDIN_PATH);
    let e = read(&[stdin.clone(), stdin]).unwrap_err();
    assert!(matches!(e, Error::Input { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains(STDIN_NAME) && text.contains("只能读取一次"),
        "{text}"
    );
}

#[test]
fn missing_required_column_names_table_column_and_headers() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("名单.csv");
    std::fs::write(
        &p,
        "标题\n县,乡,村,户编号,证件号码,姓名\n睢县,白庙乡,刘庄村,H1,410101199001011234,王五\n",
    )
    .unwrap();
    let e = read(&[p]).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, Error::MissingColumn { .. }));
    assert!(
        msg.contains("人员表")
            && msg.contains("户类型")
            && msg.contains("第 2 行")
            && msg.contains("证件号码、姓名"),
        "{msg}"
    );
}

#[test]
fn bad_number_in_roster_is_warning_with_place() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.csv");
    std::fs::write(
        &p,
        "县,乡,村,户编号,证件号码,户类型,人均纯收入（元）\n睢县,白庙乡,刘庄村,H1,410101199001011234,脱贫户,12.5万\n",
    )
    .unwrap();
    let ds = read(std::slice::from_ref(&p)).unwrap();
    assert_eq!(ds.bad_values.len(), 1);
    assert_eq!(ds.bad_values[0].row, 2);
    assert_eq!(ds.bad_values[0].column, "人均纯收入（元）");
    assert_eq!(ds.roster.households[0].income, None);
}

#[test]
fn summary_tables_rates_and_bad_figures() {
    let dir = tempfile::tempdir().unwrap();
    let ok = dir.path().join("汇总.csv");
    std::fs::write(
        &ok,
        "商丘市汇总\n县(市、区),贷款余额户数,脱贫户和监测户数,备注\n永城市,2441,10000,\n夏邑县,100,\"1,000\",\n全市,2541,11000,\n",
    )
    .unwrap();
    let ds = read(std::slice::from_ref(&ok)).unwrap();
    assert_eq!(ds.sources[0].kind, TableKind::Summary);
    assert_eq!(ds.summary.len(), 2);
    assert_eq!(ds.summary_totals.len(), 1);
    assert_eq!(
        ds.summary[1].values,
        vec![
            ("loan_balance_households".to_string(), Decimal::new(100, 0)),
            ("covered_households".to_string(), Decimal::new(1000, 0))
        ]
    );
    assert!(ds.notes.iter().any(|n| n.contains("备注")));

    let rate = dir.path().join("rate.csv");
    std::fs::write(&rate, "县(市、区),户贷率,脱贫户数\n永城市,24.41%,10\n").unwrap();
    let e = read(&[rate]).unwrap_err().to_string();
    assert!(e.contains("户贷率") && e.contains("分子"), "{e}");

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "县(市、区),贷款余额户数\n永城市,约2400\n").unwrap();
    let e = read(&[bad]).unwrap_err();
    assert!(matches!(e, Error::BadValue { .. }));
    assert!(e.to_string().contains("第 2 行") && e.to_string().contains("贷款余额户数"));
}

#[test]
fn persons_merge_across_roster_files_monitoring_row_wins() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("脱贫人口.csv");
    let b = dir.path().join("监测对象.csv");
    std::fs::write(&a, "县,乡,村,户编号,证件号码,户类型,与户主关系\n睢县,白庙乡,刘庄村,H1,410101199001011234,脱贫户,户主\n睢县,白庙乡,刘庄村,H2,410101199001011250,脱贫户,户主\n").unwrap();
    std::fs::write(&b, "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别\n睢县,白庙乡,刘庄村,H1,410101199001011234,脱贫户,户主,脱贫不稳定户\n").unwrap();
    let ds = read(&[a, b]).unwrap();
    assert_eq!(ds.roster.persons.len(), 2);
    assert_eq!(ds.roster.merged_persons, 1);
    assert_eq!(
        ds.roster.households[0].category,
        Some(MonitorCategory::Unstable)
    );
    assert_eq!(ds.roster.households[0].members, 1);
    assert!(ds.notes.iter().any(|n| n.contains("合并")));
}

/// A read that only counts files no person until a second roster table begins: three
/// tables, a number twice in the first, merges into persons of the first and the second,
/// build the same persons and households as a read that files every person.
#[test]
fn a_counting_read_merges_three_tables_as_a_full_read() {
    let dir = tempfile::tempdir().unwrap();
    let head = "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别\n";
    let row = |hh: &str, id: &str, relation: &str, category: &str| {
        format!("睢县,白庙乡,刘庄村,{hh},{id},脱贫户,{relation},{category}\n")
    };
    let (x, y, z) = (
        "410101199001011234",
        "410101199001011250",
        "41010119900101127X",
    );
    let tables = [
        [
            row("H1", x, "户主", ""),
            row("H1", x, "之子", ""),
            row("H2", y, "户主", ""),
        ],
        [
            row("H3", x, "户主", "边缘易致贫户"),
            row("H4", z, "户主", ""),
            row("H2", y, "户主", ""),
        ],
        [
            row("H5", z, "户主", "突发严重困难户"),
            row("H1", y, "之女", ""),
            row("H6", "410101199001011293", "户主", ""),
        ],
    ];
    let paths: Vec<PathBuf> = tables
        .iter()
        .enumerate()
        .map(|(i, rows)| {
            let p = dir.path().join(format!("名单{i}.csv"));
            std::fs::write(&p, format!("{head}{}", rows.concat())).unwrap();
            p
        })
        .collect();
    let ds = read(&paths).unwrap();
    assert_eq!(ds.roster.duplicate_ids.len(), 1);
    assert_eq!(ds.roster.merged_persons, 4);
    assert_eq!(ds.roster.facts.len(), 5);
}

#[test]
fn id_stored_as_number_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["县", "乡", "村", "户编号", "证件号码", "户类型"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["睢县", "白庙乡", "刘庄村", "H1"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_number(1, 4, 4.10123199001011e17).unwrap();
    ws.write_string(1, 5, "脱贫户").unwrap();
    wb.save(&p).unwrap();
    let ds = read(&[p]).unwrap();
    assert!(ds.roster.persons[0].id_was_number);
    assert_eq!(ds.roster.ids.get(0), None);
}

#[test]
fn configured_aliases_and_region_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.csv");
    std::fs::write(&p, "所在县,乡,村,户编号,证件号码,户类型\n商丘市梁园区,李庄乡,李庄村,H1,410101199001011234,脱贫户\n").unwrap();
    let mut opts = ReadOptions::default();
    opts.aliases
        .insert("县(市、区、旗)".into(), vec!["所在县".into()]);
    opts.region_aliases
        .insert("商丘市梁园区".into(), "梁园区".into());
    let ds = read_both_ways(&[p], &opts).unwrap();
    assert_eq!(
        ds.regions.path(ds.roster.households[0].village),
        "梁园区/李庄乡/李庄村"
    );
}

/// The same small export as `.ods` (written by hand) and `.xls` (converted from it with
/// LibreOffice): both are read whole by calamine and must read alike.
#[test]
fn ods_and_xls_fixtures_read_like_an_export() {
    for ext in ["ods", "xls"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../fixtures/监测对象信息_示例.{ext}"));
        check_small_export(read(&[path]).unwrap());
    }
}

fn check_small_export(ds: Dataset) {
    assert_eq!(ds.sources[0].sheet.as_deref(), Some("监测对象信息"));
    assert_eq!(ds.sources[0].header_row, 3);
    assert_eq!(ds.roster.households.len(), 2);
    assert_eq!(ds.roster.persons.len(), 3);
    assert_eq!(ds.total_rows.len(), 1);
    let h = &ds.roster.households[0];
    assert_eq!(h.category, Some(MonitorCategory::Marginal));
    assert_eq!(h.identified, NaiveDate::from_ymd_opt(2021, 3, 31));
    assert_eq!(h.income, Some(Decimal::new(8200, 0)));
}

fn csv(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn county_opts(name: &str) -> ReadOptions {
    ReadOptions {
        region_name: Some(name.into()),
        ..ReadOptions::default()
    }
}

/// A county as the configured region: its own 县 cells are data, not totals; other
/// counties' rows are left out in every table, and a note counts them.
#[test]
fn a_county_region_keeps_its_rows_and_leaves_out_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let roster = csv(
        dir.path(),
        "人员.csv",
        "县,乡,村,户编号,证件号码,户类型\n\
         夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户\n\
         虞城县,城关镇,西关村,H2,410101199001011242,脱贫户\n\
         夏邑县,,,合计,,\n",
    );
    let loans = csv(
        dir.path(),
        "贷款.csv",
        "户编号,县(市、区、旗),乡(镇),贷款余额（元）\nH1,夏邑县,城关镇,5000\nH2,虞城县,城关镇,3000\n",
    );
    let summary = csv(
        dir.path(),
        "汇总.csv",
        "县,乡镇,持证人数\n夏邑县,城关镇,3\n虞城县,城关镇,4\n夏邑县,,3\n",
    );
    let ds = read_both_ways(&[roster, loans, summary], &county_opts("夏邑县")).unwrap();
    assert_eq!(ds.roster.households.len(), 1);
    assert_eq!(&*ds.roster.households[0].id, "H1");
    assert_eq!(ds.loans.len(), 1);
    assert_eq!(ds.summary.len(), 1);
    assert_eq!(
        ds.summary_totals.len(),
        1,
        "the 夏邑县 row of the 汇总 is its total"
    );
    assert_eq!(
        ds.out_of_scope,
        [
            (TableKind::Roster, 1),
            (TableKind::Loans, 1),
            (TableKind::Summary, 1)
        ]
    );
    assert!(
        ds.notes
            .iter()
            .any(|n| n.contains("只统计夏邑县") && n.contains("人员表 1 行")),
        "{:?}",
        ds.notes
    );
    // A city as the region leaves nothing out.
    let ds = read_both_ways(&ds_paths(&dir), &county_opts("商丘市")).unwrap();
    assert_eq!(ds.roster.households.len(), 2);
    assert!(ds.out_of_scope.is_empty());
}

fn ds_paths(dir: &tempfile::TempDir) -> Vec<PathBuf> {
    ["人员.csv", "贷款.csv"]
        .iter()
        .map(|n| dir.path().join(n))
        .collect()
}

/// A total word in a key column or the first non-empty cell makes a total; a row with blank
/// keys is a total only without a record's own data.
#[test]
fn totals_in_key_columns_and_blank_keys() {
    let dir = tempfile::tempdir().unwrap();
    let projects = csv(
        dir.path(),
        "项目.csv",
        "项目编号,项目名称,县(市、区、旗),是否纳入年度实施计划,衔接资金（万元）\n\
         P1,道路,夏邑县,是,10\n\
         小计,,夏邑县,,10\n\
         ,,,,10\n\
         ,水渠,夏邑县,是,5\n\
         P2,全县农村公路提升工程,夏邑县,是,3\n",
    );
    let ds = read(&[projects]).unwrap();
    assert_eq!(ds.projects.len(), 2, "{:?}", ds.projects);
    assert_eq!(ds.total_rows.len(), 2);
    assert_eq!(
        ds.bad_values.len(),
        1,
        "a project without 项目编号 is a finding"
    );
    assert_eq!(ds.bad_values[0].column, "项目编号");

    let roster = csv(
        dir.path(),
        "人员.csv",
        "序号,县,乡,村,户编号,证件号码,户类型,姓名\n\
         1,夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户,张一\n\
         ,全县合计,,,,,,\n\
         2,夏邑县,城关镇,东关村,,410101199001011242,脱贫户,张二\n",
    );
    let ds = read(&[roster]).unwrap();
    assert_eq!(ds.roster.persons.len(), 1);
    assert_eq!(ds.total_rows.len(), 1);
    assert_eq!(ds.bad_values.len(), 1);
    assert_eq!(ds.bad_values[0].column, "户编号");
}

/// Member rows with a blank 县, 乡 or 村 take their household's region, also when the
/// household comes later in the table.
#[test]
fn blank_region_cells_take_the_households_region() {
    let dir = tempfile::tempdir().unwrap();
    let roster = csv(
        dir.path(),
        "人员.csv",
        "县,乡,村,户编号,证件号码,户类型,与户主关系\n\
         ,,,H1,410101199001011242,脱贫户,之子\n\
         夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户,户主\n\
         夏邑县,,东关村,H1,410101199001011250,脱贫户,配偶\n\
         夏邑县,,,H9,410101199001011269,脱贫户,户主\n",
    );
    let ds = read(&[roster]).unwrap();
    assert_eq!(ds.roster.households.len(), 1);
    assert_eq!(ds.roster.households[0].members, 3);
    assert_eq!(ds.bad_values.len(), 1, "H9 has no region anywhere");
    assert!(
        ds.notes.iter().any(|n| n.contains("2 行的县、乡或村为空")),
        "{:?}",
        ds.notes
    );
}

/// Without 出生日期 and 性别 columns, both come from an 18-digit 证件号码.
#[test]
fn birth_and_sex_from_the_id_number() {
    let dir = tempfile::tempdir().unwrap();
    let roster = csv(
        dir.path(),
        "人员.csv",
        "县,乡,村,户编号,证件号码,户类型\n夏邑县,城关镇,东关村,H1,11010519491231002X,脱贫户\n",
    );
    let ds = read(&[roster]).unwrap();
    let p = &ds.roster.persons[0];
    assert_eq!(p.birth, NaiveDate::from_ymd_opt(1949, 12, 31));
    assert_eq!(p.sex, Some(crate::model::Sex::Female));
    assert!(ds.roster.has_column("出生日期") && ds.roster.has_column("性别"));
    assert!(ds.notes.iter().any(|n| n.contains("按18位证件号码推算")));
}

/// Aliases from real exports.
#[test]
fn aliases_of_real_exports() {
    let dir = tempfile::tempdir().unwrap();
    let roster = csv(
        dir.path(),
        "脱贫人口.csv",
        "县,乡,村,户编号,人口编号,证件号码,户类型,致贫原因1,危房户,公益性岗位类型,是否享受低保,人联系电话,失学或辍学原因\n\
         夏邑县,城关镇,东关村,H1,1,410101199001011234,普通农户,因病,是,村级,是,13812345678,\n",
    );
    let ds = read(&[roster]).unwrap();
    for c in [
        "人编号",
        "致贫/返贫风险1",
        "是否危房户",
        "公益性岗位",
        "享受低保政策情况",
        "家庭成员联系电话",
        "义务教育阶段未上学原因",
    ] {
        assert!(ds.roster.has_column(c), "{c}: {:?}", ds.roster.columns);
    }
    let h = &ds.roster.households[0];
    assert_eq!(h.kind, Some(HouseholdType::General));
    assert!(!h.kind_unrecognised);
    assert_eq!(h.unsafe_housing, Some(true));
    assert!(ds.roster.facts[0].welfare_post);
}

/// Two-row headers: a merged group cell over generic sub-headers, and merged groups over
/// measure names; the region column is merged down over both rows.
#[test]
fn two_row_headers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("乡镇汇总.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(
        0,
        0,
        0,
        6,
        "夏邑县巩固拓展脱贫攻坚成果汇总表（数据截至2021年11月30日）",
        &f,
    )
    .unwrap();
    ws.merge_range(1, 0, 2, 0, "乡镇", &f).unwrap();
    ws.merge_range(1, 1, 1, 2, "脱贫户", &f).unwrap();
    ws.merge_range(1, 3, 1, 4, "监测对象", &f).unwrap();
    ws.merge_range(1, 5, 1, 6, "小额信贷", &f).unwrap();
    for (c, t) in [
        "户数",
        "人数",
        "户数",
        "人数",
        "贷款余额户数",
        "脱贫户和监测户数",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16 + 1, *t).unwrap();
    }
    for (r, row) in [
        ["城关镇", "10", "30", "2", "5", "3", "12"],
        ["合计", "10", "30", "2", "5", "3", "12"],
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(3 + r as u32, 0, row[0]).unwrap();
        for (c, v) in row.iter().enumerate().skip(1) {
            ws.write_number(3 + r as u32, c as u16, v.parse::<f64>().unwrap())
                .unwrap();
        }
    }
    wb.save(&path).unwrap();
    let ds = read(std::slice::from_ref(&path)).unwrap();
    assert_eq!(ds.sources[0].kind, TableKind::Summary);
    assert_eq!(ds.sources[0].header_row, 3);
    let ids: Vec<&str> = ds.summary[0]
        .values
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "tuopin_households",
            "tuopin_persons",
            "monitored_households",
            "monitored_persons",
            "loan_balance_households",
            "covered_households"
        ]
    );
    assert_eq!(ds.summary_totals.len(), 1);
    let stated = stated_date(&ds).unwrap();
    assert_eq!(stated.date, NaiveDate::from_ymd_opt(2021, 11, 30).unwrap());
}

/// The strongest wording of the title rows gives the data date; several inputs that
/// disagree give a sentence.
#[test]
fn data_dates_in_title_rows() {
    let dir = tempfile::tempdir().unwrap();
    let head =
        "县,乡,村,户编号,证件号码,户类型\n夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户\n";
    let a = csv(
        dir.path(),
        "a.csv",
        &format!("导出时间：2021-12-03 09:30:00,数据截至：2021年11月30日\n{head}"),
    );
    let b = csv(
        dir.path(),
        "b.csv",
        &format!("小额信贷台账（截至2021年10月31日）\n{head}"),
    );
    let c = csv(dir.path(), "c.csv", &format!("数据截至：,20211031\n{head}"));
    let ds = read(&[a.clone(), b.clone()]).unwrap();
    let s = stated_date(&ds).unwrap();
    assert_eq!(s.date.to_string(), "2021-11-30");
    assert!(
        s.from.contains("a.csv") && s.from.contains("数据截至"),
        "{}",
        s.from
    );
    let note = s.disagreement.unwrap();
    assert!(
        note.contains("b.csv") && note.contains("2021-10-31"),
        "{note}"
    );
    let ds = read(&[c]).unwrap();
    assert_eq!(stated_date(&ds).unwrap().date.to_string(), "2021-10-31");
    let ds = read(&[b]).unwrap();
    assert_eq!(
        ds.sources[0].data_date.as_ref().unwrap().kind,
        crate::model::DataDateKind::AsOf
    );
    let plain = csv(dir.path(), "p.csv", head);
    assert!(stated_date(&read(&[plain]).unwrap()).is_none());
}

/// With a county as the region, the towns of a 目标 or 汇总 without a 县 column are that
/// county's towns: the same units as the roster's.
#[test]
fn towns_without_a_county_column_belong_to_the_configured_county() {
    let dir = tempfile::tempdir().unwrap();
    let targets = csv(dir.path(), "目标.csv", "乡镇,务工就业目标人数\n城关镇,4\n");
    let roster = csv(
        dir.path(),
        "人员.csv",
        "县,乡,村,户编号,证件号码,户类型\n夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户\n",
    );
    let ds = read_both_ways(&[targets, roster], &county_opts("夏邑县")).unwrap();
    let town = ds
        .regions
        .ancestor_at(ds.roster.households[0].village, crate::region::Level::Town);
    assert_eq!(Some(ds.targets[0].region), town);
    assert_eq!(ds.regions.at_level(crate::region::Level::Town).len(), 1);
}
