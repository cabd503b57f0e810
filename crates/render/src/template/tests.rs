//! Tests of `template`: the 商丘 figures typed into the form give the published notice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Read;

use chrono::NaiveDate;
use gonggu_core::catalog::Catalog;
use gonggu_core::compute::{Report, WarningConfig};
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::pipeline::{Settings, build};
use gonggu_core::region::Level;
use rust_decimal::Decimal;

use super::*;
use crate::package::template_spec;

const ORDER: [&str; 10] = [
    "永城市",
    "夏邑县",
    "虞城县",
    "示范区",
    "梁园区",
    "睢阳区",
    "宁陵县",
    "柘城县",
    "睢县",
    "民权县",
];
const INDICATORS: [&str; 3] = [
    "loan_household_rate",
    "project_start_rate",
    "assisted_share",
];

fn fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/商丘市_汇总.csv")
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 11, 30).unwrap()
}

fn report(paths: &[std::path::PathBuf]) -> Report {
    let ds = read_inputs(paths, &ReadOptions::default()).unwrap();
    let catalog = Catalog::builtin().unwrap();
    let s = Settings {
        level: Level::County,
        as_of: as_of(),
        region_name: Some("商丘市".into()),
        order: ORDER.iter().map(|s| s.to_string()).collect(),
        monitoring_line: Decimal::from(7500),
        collective_income_line: Decimal::from(5),
        selection: INDICATORS.iter().map(|s| s.to_string()).collect(),
        warning: WarningConfig::default(),
        target_overrides: BTreeMap::new(),
    };
    build(&ds, &catalog, &s, None).unwrap()
}

fn spec() -> TemplateSpec {
    let selection: Vec<String> = INDICATORS.iter().map(|s| s.to_string()).collect();
    let units = ORDER.iter().map(|s| s.to_string()).collect();
    template_spec(
        "商丘市",
        &Catalog::builtin().unwrap(),
        &selection,
        Level::County,
        as_of(),
        units,
    )
    .unwrap()
}

/// The 商丘 汇总 figures, typed into the template by unit and column name.
fn filled() -> TemplateSpec {
    let ds = read_inputs(&[fixture()], &ReadOptions::default()).unwrap();
    let mut spec = spec();
    let values = spec
        .units
        .iter()
        .map(|unit| {
            let row = ds
                .summary
                .iter()
                .find(|r| ds.regions.name(r.region) == unit)
                .unwrap();
            spec.columns
                .iter()
                .map(|c| {
                    row.values
                        .iter()
                        .find(|(id, _)| id == c.measure.id)
                        .map(|(_, v)| *v)
                })
                .collect()
        })
        .collect();
    spec.values = Some(values);
    spec
}

#[test]
fn the_filled_form_gives_the_published_notice() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("填报表（已填）.xlsx");
    std::fs::write(&form, template_workbook(&filled()).unwrap()).unwrap();
    let from_form = report(&[form]);
    let from_csv = report(&[fixture()]);
    let json = |r: &Report| serde_json::to_value(r).unwrap();
    assert_eq!(json(&from_form)["rows"], json(&from_csv)["rows"]);
    let total = from_form.total.cell("loan_household_rate").unwrap();
    assert_eq!(total.display, "21.64%");
    let yucheng = &from_form.rows[2];
    assert_eq!(yucheng.region, "虞城县");
    let start = yucheng.cell("project_start_rate").unwrap();
    assert_eq!((start.display.as_str(), start.rank), ("98.81%", Some(10)));
}

#[test]
fn columns_are_counts_with_validations_and_the_form_is_marked() {
    let spec = spec();
    let names: Vec<&str> = spec.columns.iter().map(|c| c.measure.name).collect();
    assert_eq!(
        names,
        [
            "贷款余额户数",
            "脱贫户和监测户数",
            "已开工项目数",
            "纳入年度实施计划项目数",
            "已享受帮扶政策监测户数",
            "监测户数"
        ]
    );
    let bytes = template_workbook(&spec).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let sheet = read("xl/worksheets/sheet1.xml");
    assert_eq!(sheet.matches("<dataValidation ").count(), 6, "{sheet}");
    // Whole numbers ≥ 0, and 贷款余额户数 never above 脱贫户和监测户数.
    assert!(
        sheet.contains("<formula1>AND(ISNUMBER(B3),B3&gt;=0,INT(B3)=B3,B3&lt;=C3)</formula1>"),
        "{sheet}"
    );
    assert!(sheet.contains("<sheetProtection"), "{sheet}");
    let book = read("xl/workbook.xml");
    assert!(
        book.contains(&format!("name=\"{MARKER_SHEET}\"")) && book.contains("state=\"hidden\""),
        "{book}"
    );
}

#[test]
fn an_empty_cell_of_a_filled_form_and_a_unit_reported_twice_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = filled();
    if let Some(v) = spec.values.as_mut() {
        v[1][0] = None; // 夏邑县's 贷款余额户数 left empty
    }
    let form = dir.path().join("夏邑.xlsx");
    std::fs::write(&form, template_workbook(&spec).unwrap()).unwrap();
    let err = read_inputs(&[form], &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("夏邑.xlsx") && err.contains("第 4 行") && err.contains("贷款余额户数"),
        "{err}"
    );
    assert!(err.contains("每一格都要填写"), "{err}");

    let a = dir.path().join("甲.xlsx");
    let b = dir.path().join("乙.xlsx");
    let bytes = template_workbook(&filled()).unwrap();
    std::fs::write(&a, &bytes).unwrap();
    std::fs::write(&b, &bytes).unwrap();
    let err = read_inputs(&[a, b], &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("甲.xlsx") && err.contains("乙.xlsx") && err.contains("永城市"),
        "{err}"
    );
}
