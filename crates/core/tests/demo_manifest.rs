//! The demo's planted defects against the real rule engine, and the demo roster read back
//! through the real readers: what the generator says it wrote is what gonggu finds.

use gonggu_core::demo::{self, DemoFormat, DemoOptions};
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::validate::{CheckParams, run_checks};

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
        let ds = read_inputs(&inputs, &ReadOptions::default()).unwrap();
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
                    .filter(|f| f.code == rule.code)
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
    let ds = read_inputs(&inputs, &ReadOptions::default()).unwrap();
    assert_eq!(ds.roster.households.len(), data.households.len());
    assert_eq!(ds.roster.persons.len(), data.persons.len());
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
