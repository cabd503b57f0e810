//! The demo's planted defects against the real rule engine, and the demo roster read back
//! through the real readers: what the generator says it wrote is what gonggu finds.

use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::measures::{EMPLOYMENT, tally_records};
use gonggu_core::region::Level;
use gonggu_core::validate::{CheckParams, run_checks};
use gonggu_demo::{self as demo, DemoFormat, DemoOptions};

fn demo_on_disk(
    format: DemoFormat,
    households: usize,
) -> (demo::DemoData, tempfile::TempDir, Vec<std::path::PathBuf>) {
    let opts = DemoOptions {
        households,
        format,
        ..DemoOptions::default()
    };
    let data = demo::generate(&opts);
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    for f in demo::write_inputs(&data, format).unwrap() {
        let p = dir.path().join(&f.name);
        std::fs::write(&p, &f.bytes).unwrap();
        if !f.name.ends_with(".json") {
            inputs.push(p);
        }
    }
    (data, dir, inputs)
}

#[test]
fn check_finds_exactly_the_planted_defects() {
    for format in [DemoFormat::Xlsx, DemoFormat::Csv] {
        let (data, _dir, inputs) = demo_on_disk(format, 3000);
        let ds = read_inputs(&inputs, &demo::read_options()).unwrap();
        let params = CheckParams::defaults(data.options.as_of).unwrap();
        let report = run_checks(&ds, &params).unwrap();
        let manifest = data.manifest_for(format);
        let mut mismatches = Vec::new();
        for rule in &report.rules {
            let planned = manifest.rules.get(&rule.code).map(|r| r.count).unwrap_or(0);
            let found = report.count(&rule.code);
            if planned != found {
                let sample: Vec<String> = report
                    .findings
                    .iter()
                    .filter(|f| *f.code == *rule.code)
                    .take(4)
                    .map(|f| format!("{} {}", ds.describe(f.at), f.message))
                    .collect();
                mismatches.push(format!(
                    "{}: manifest {planned}, found {found} {sample:?}",
                    rule.code
                ));
            }
        }
        assert!(
            mismatches.is_empty(),
            "{format:?}:\n{}",
            mismatches.join("\n")
        );
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    }
}

#[test]
fn demo_roster_reads_back_to_the_generated_households_and_persons() {
    let (data, _dir, inputs) = demo_on_disk(DemoFormat::Xlsx, 2000);
    let ds = read_inputs(&inputs, &demo::read_options()).unwrap();
    assert_eq!(ds.roster.households.len(), data.households.len());
    assert_eq!(ds.roster.persons.len(), data.persons.len());
    assert_eq!(ds.roster.facts.len(), data.persons.len());
    assert_eq!(ds.roster.merged_persons, 0);
    for (i, h) in ds.roster.households.iter().enumerate() {
        assert_eq!(&*h.id, data.household_id(i));
        let (c, t, v) = data.region_path(i);
        assert_eq!(ds.regions.path(h.village), format!("{c}/{t}/{v}"));
    }
    assert_eq!(ds.projects.len(), data.projects.len());
    assert_eq!(ds.loans.len(), data.loans.len());
    assert_eq!(
        ds.regions
            .at_level(gonggu_core::region::Level::County)
            .len(),
        10
    );
}

/// A read that only counts (`skip_texts`: no text-only columns, names or phones, and the
/// other columns not decoded at all) builds the same records as a full read, in CSV and
/// in XLSX: no column a typed field needs is left out of the columns read.
#[test]
fn counting_reads_build_the_same_records() {
    for format in [DemoFormat::Csv, DemoFormat::Xlsx] {
        let (_, _dir, inputs) = demo_on_disk(format, 1500);
        let full = read_inputs(&inputs, &demo::read_options()).unwrap();
        let counting = gonggu_core::ingest::ReadOptions {
            skip_texts: true,
            ..demo::read_options()
        };
        let lean = read_inputs(&inputs, &counting).unwrap();
        // The lean read keeps no person details, only each person's facts and number: the
        // same as the full read's.
        assert!(full.roster.persons.iter().any(|p| p.name.is_some()));
        assert_eq!(full.roster.persons.len(), full.roster.facts.len());
        assert!(lean.roster.persons.is_empty());
        assert_eq!(lean.roster.facts, full.roster.facts, "{format:?}");
        let ids = |ds: &gonggu_core::model::Dataset| -> Vec<Option<String>> {
            (0..ds.roster.ids.len())
                .map(|i| ds.roster.ids.get(i).map(|id| id.as_str().to_string()))
                .collect()
        };
        assert_eq!(ids(&lean), ids(&full), "{format:?}");
        assert_eq!(
            format!("{:?}", full.roster.households),
            format!("{:?}", lean.roster.households),
            "{format:?}"
        );
        assert_eq!(full.bad_values.len(), lean.bad_values.len(), "{format:?}");
        assert_eq!(
            (
                &full.projects.len(),
                &full.loans.len(),
                &full.work_spells.len()
            ),
            (
                &lean.projects.len(),
                &lean.loans.len(),
                &lean.work_spells.len()
            )
        );
    }
}

/// SPEC §3.4: aggregate mode gives the same indicators as record mode for the same measures,
/// on the demo city (a 汇总 written from the demo's records, then read back).
#[test]
fn record_mode_equals_aggregate_mode_on_demo_data() {
    use gonggu_core::catalog::{Catalog, ReportKind};
    use gonggu_core::pipeline::{Settings, build};
    use rust_decimal::Decimal;

    let (data, dir, inputs) = demo_on_disk(DemoFormat::Xlsx, 3000);
    let ds = read_inputs(&inputs, &demo::read_options()).unwrap();
    let catalog = Catalog::builtin().unwrap();
    let mut selection = catalog.selection(ReportKind::Compute);
    selection.extend(
        gonggu_core::measures::MEASURES
            .iter()
            .map(|m| m.id.to_string()),
    );
    for level in [Level::County, Level::Town] {
        let s = Settings {
            level,
            as_of: data.options.as_of,
            region_name: Some("商丘市".into()),
            order: vec![],
            monitoring_line: Decimal::from(7500),
            collective_income_line: Decimal::from(5),
            selection: selection.clone(),
            basics: Vec::new(),
            warning: Default::default(),
            target_overrides: Default::default(),
        };
        // Targets come from 目标 in both modes; everything else from records or the 汇总.
        let targets: Vec<_> = inputs
            .iter()
            .filter(|p| p.to_string_lossy().contains("目标"))
            .cloned()
            .collect();
        let from_records = build(&ds, &catalog, &s, None).unwrap();
        let summary = dir.path().join(format!("汇总-{}.xlsx", level.id()));
        std::fs::write(
            &summary,
            gonggu_demo::summary::summary_workbook(
                &ds,
                level,
                s.as_of,
                s.monitoring_line,
                "商丘市",
            )
            .unwrap(),
        )
        .unwrap();
        let mut agg_inputs = vec![summary];
        agg_inputs.extend(targets);
        let ds2 = read_inputs(&agg_inputs, &ReadOptions::default()).unwrap();
        let from_summary = build(&ds2, &catalog, &s, None).unwrap();
        let a = serde_json::to_value(&from_records).unwrap();
        let b = serde_json::to_value(&from_summary).unwrap();
        assert!(a["indicators"].as_array().unwrap().len() > 50);
        assert!(a["rows"] == b["rows"], "{level:?}: rows differ");
        if level == Level::County {
            assert!(a["total"] == b["total"], "county totals differ");
        }
    }
}

/// The demo writes addresses in 务工所在地; what gonggu counts per destination must be what
/// the generator meant (the manifest), and the four destinations add up to 务工就业人数.
#[test]
fn employment_by_destination_matches_the_manifest() {
    let (data, _dir, inputs) = demo_on_disk(DemoFormat::Csv, 3000);
    let manifest = data.manifest_for(DemoFormat::Csv);
    let ds = read_inputs(&inputs, &demo::read_options()).unwrap();
    let tallies = tally_records(
        &ds,
        Level::County,
        data.options.as_of,
        rust_decimal::Decimal::from(7500),
    );
    let mut mismatches = Vec::new();
    let mut kinds = [0usize; 5];
    for county in &manifest.counties {
        let (_, tally) = tallies
            .units
            .iter()
            .find(|(id, _)| ds.regions.name(*id) == county.name)
            .unwrap_or_else(|| panic!("no unit {}", county.name));
        let groups = [
            county.employment,
            county.tuopin_employment,
            county.monitored_employment,
        ];
        for (ids, meant) in EMPLOYMENT.iter().zip(groups) {
            let meant = meant.as_array();
            let found = ids.map(|id| usize::try_from(tally.get(id).unwrap().mantissa()).unwrap());
            if found != meant {
                mismatches.push(format!(
                    "{} {}: manifest {meant:?}, gonggu {found:?}",
                    county.name, ids[0]
                ));
            }
            assert_eq!(
                found[0],
                found[1..].iter().sum::<usize>(),
                "{} {}",
                county.name,
                ids[0]
            );
        }
        for (k, v) in kinds.iter_mut().zip(county.employment.as_array()) {
            *k += v;
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // Every destination occurs, unknown only where WK02 was planted.
    assert!(kinds[1..4].iter().all(|&k| k > 100), "{kinds:?}");
    assert!(kinds[4] <= manifest.rules["WK02"].count, "{kinds:?}");
    // Most workers have an address, a few a category word.
    let words = ds
        .roster
        .work_places
        .iter()
        .filter(|w| w.text.ends_with("务工") || &*w.text == "省外")
        .count();
    assert!(
        words < ds.roster.work_places.len() / 4,
        "{words} of {}",
        ds.roster.work_places.len()
    );
}

/// The other exports (已外出务工信息, 计划外出务工信息, 行政村信息) read by gonggu give the
/// counts the manifest states from the generator's intent, per county (persons in the
/// county of their household), in both formats.
#[test]
fn other_exports_measures_match_the_manifest() {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    for format in [DemoFormat::Xlsx, DemoFormat::Csv] {
        let (data, _dir, inputs) = demo_on_disk(format, 2500);
        let manifest = data.manifest_for(format);
        let ds = read_inputs(&inputs, &demo::read_options()).unwrap();
        let tallies = tally_records(
            &ds,
            Level::County,
            data.options.as_of,
            rust_decimal::Decimal::from(7500),
        );
        let mut mismatches = Vec::new();
        for county in &manifest.counties {
            let (_, tally) = tallies
                .units
                .iter()
                .find(|(id, _)| ds.regions.name(*id) == county.name)
                .unwrap_or_else(|| panic!("no unit {}", county.name));
            let meant: [(&str, Decimal); 8] = [
                ("outbound_workers", county.outbound_workers.into()),
                (
                    "outbound_income_persons",
                    county.outbound_income_persons.into(),
                ),
                ("outbound_income_sum", county.outbound_income_sum.into()),
                (
                    "planned_outbound_workers",
                    county.planned_outbound_workers.into(),
                ),
                ("villages", county.villages.into()),
                ("exited_villages", county.exited_villages.into()),
                (
                    "collective_income_sum",
                    Decimal::from_str(&county.collective_income_sum).unwrap(),
                ),
                (
                    "villages_over_collective_line",
                    county.villages_over_collective_line.into(),
                ),
            ];
            for (id, want) in meant {
                let got = tally.get(id);
                if got != Some(want) {
                    mismatches.push(format!(
                        "{} {id}: manifest {want}, gonggu {got:?}",
                        county.name
                    ));
                }
            }
        }
        assert!(
            mismatches.is_empty(),
            "{format:?}:\n{}",
            mismatches.join("\n")
        );
        // Every measure of the other exports is available (no column unrecognised).
        for id in [
            "outbound_workers",
            "outbound_income_sum",
            "planned_outbound_workers",
            "villages",
            "villages_over_collective_line",
        ] {
            assert!(
                !tallies.missing.contains_key(id),
                "{id}: {:?}",
                tallies.missing.get(id)
            );
        }
    }
}
