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
    read_inputs(paths, &ReadOptions::default())
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
    assert!(b.eliminated);
    assert_eq!(b.income, Some(Decimal::new(12000, 0)));
    assert_eq!(ds.roster.persons[0].work, WorkPlace::InCounty);
    assert_eq!(ds.roster.persons[1].work, WorkPlace::OutProvince);
    assert_eq!(ds.roster.persons[2].work, WorkPlace::InProvince);
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
    let err = read_inputs(&[path], &strict).unwrap_err().to_string();
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
    assert_eq!(ds.roster.persons[0].id, None);
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
    let ds = read_inputs(&[p], &opts).unwrap();
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
