//! Tests of `explain`: the list workbook read back.

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

use super::*;
use gonggu_core::catalog::{Catalog, ReportKind};
use gonggu_core::config::Config;
use gonggu_core::explain::{Query, explain};
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::mask::Pii;
use gonggu_core::pipeline::Settings;
use gonggu_core::region::Level;

fn list(indicator: &str) -> Explanation {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("项目.csv");
    std::fs::write(
        &path,
        "项目编号,项目名称,县,乡,项目年度,是否纳入年度实施计划,衔接资金（万元）,已支出衔接资金（万元）,项目状态\n\
         P1,东关村大棚,夏邑县,城关镇,2021,是,100,80,已完工\n\
         P2,张庄村道路,夏邑县,会亭镇,2021,是,50.5,10,未开工\n",
    )
    .unwrap();
    let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
    let catalog = Catalog::builtin().unwrap();
    let as_of = NaiveDate::from_ymd_opt(2021, 11, 30).unwrap();
    let settings = Settings::new(
        Level::County,
        as_of,
        &Config::default(),
        &catalog,
        ReportKind::Compute,
        &[],
    )
    .unwrap();
    let query = Query {
        indicator: indicator.into(),
        region: "夏邑县".into(),
        ..Default::default()
    };
    explain(&ds, &catalog, &settings, &query, Pii::Masked).unwrap()
}

fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("名单").unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Title, the lines saying what the list is, the table, its 合计 row: the amounts add up
/// to the numerator and the denominator.
#[test]
fn list_has_title_explanation_table_and_totals() {
    let e = list("fund_spend_progress");
    let rows = cells(&explain_workbook(&e).unwrap());
    assert_eq!(rows[0][0], "夏邑县衔接资金支出进度名单");
    assert!(
        rows[4][0]
            .starts_with("数值：59.80% ＝ 已支出衔接资金（万元） 90 ÷ 衔接资金（万元） 150.5"),
        "{:?}",
        rows[4]
    );
    let header = rows.iter().position(|r| r[0] == "序号").unwrap();
    let col = |name: &str| rows[header].iter().position(|c| c == name).unwrap();
    assert_eq!(rows[header + 1][col("项目编号")], "P1");
    assert_eq!(rows[header + 1][col("来源文件")], "项目.csv");
    assert_eq!(rows[header + 2][col("行号")], "3");
    let total = rows.iter().position(|r| r[0] == "合计").unwrap();
    assert_eq!(total, header + 3);
    assert_eq!(rows[total][col("已支出衔接资金（万元）")], "90");
    assert_eq!(rows[total][col("衔接资金（万元）")], "150.5");
}

/// The header is frozen and filtered, the page A4 landscape one page wide.
#[test]
fn list_is_filtered_frozen_and_printable() {
    let bytes = explain_workbook(&list("project_start_rate")).unwrap();
    let rows = cells(&bytes);
    let header = rows.iter().position(|r| r[0] == "序号").unwrap() + 1;
    // A project list holds no personal data: no line about masking.
    assert!(rows.iter().all(|r| !r[0].contains("脱敏")), "{rows:?}");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(
        sheet.contains(&format!("<autoFilter ref=\"A{header}:O{}\"", header + 2)),
        "{sheet}"
    );
    assert!(
        sheet.contains("state=\"frozen\"")
            && sheet.contains(&format!("topLeftCell=\"A{}\"", header + 1)),
        "{sheet}"
    );
    assert!(
        sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"landscape\""),
        "{sheet}"
    );
    assert!(sheet.contains("fitToHeight=\"0\""), "{sheet}");
    let p2 = rows.iter().find(|r| r.iter().any(|c| c == "P2")).unwrap();
    assert_eq!(p2.last().unwrap(), "未开工");
}
