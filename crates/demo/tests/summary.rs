//! The 汇总 the demo writes, read back in aggregate mode, gives the report that the records
//! give in record mode (SPEC §3.4: identical measures, identical results).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gonggu_core::catalog::Catalog;
use gonggu_core::compute::{Report, WarningConfig};
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::pipeline::{Settings, build};
use gonggu_core::region::Level;
use gonggu_demo::summary::summary_workbook;
use gonggu_demo::{DemoFormat, DemoOptions, generate, write_inputs};
use rust_decimal::Decimal;

fn settings(level: Level, as_of: NaiveDate) -> Settings {
    Settings {
        level,
        as_of,
        region_name: Some("商丘市".into()),
        order: vec![],
        monitoring_line: Decimal::from(7500),
        selection: Catalog::builtin().unwrap().selection("compute"),
        warning: WarningConfig::default(),
        target_overrides: BTreeMap::new(),
    }
}

#[test]
fn record_mode_equals_aggregate_mode() {
    let opts = DemoOptions {
        households: 600,
        format: DemoFormat::Csv,
        ..DemoOptions::default()
    };
    let data = generate(&opts);
    let dir = tempfile::tempdir().unwrap();
    let mut records = Vec::new();
    for f in write_inputs(&data, DemoFormat::Csv).unwrap() {
        // 目标 supplies targets, not counted measures; the 汇总 leaves them out as well.
        if f.name.ends_with(".json") || f.name.starts_with("目标") {
            continue;
        }
        let p = dir.path().join(&f.name);
        std::fs::write(&p, &f.bytes).unwrap();
        records.push(p);
    }
    let catalog = Catalog::builtin().unwrap();
    let ds = read_inputs(&records, &ReadOptions::default()).unwrap();
    for level in [Level::County, Level::Town] {
        let s = settings(level, data.options.as_of);
        let from_records = build(&ds, &catalog, &s, None).unwrap();
        let bytes = summary_workbook(&ds, level, s.as_of, s.monitoring_line, "商丘市").unwrap();
        let summary = dir.path().join(format!("汇总{}.xlsx", level.id()));
        std::fs::write(&summary, bytes).unwrap();
        let ds2 = read_inputs(&[summary], &ReadOptions::default()).unwrap();
        let from_summary = build(&ds2, &catalog, &s, None).unwrap();
        let json = |r: &Report| serde_json::to_value(r).unwrap();
        let (a, b) = (json(&from_records), json(&from_summary));
        assert!(
            from_records.indicators.len() >= 10,
            "{:?}",
            from_records.notes
        );
        assert!(!a["rows"].as_array().unwrap().is_empty());
        assert!(
            a["rows"] == b["rows"],
            "{level:?}: rows differ\nrecords: {}\nsummary: {}",
            a["rows"],
            b["rows"]
        );
        if level == Level::County {
            assert!(a["total"] == b["total"], "county total differs");
        }
    }
}
