//! `gonggu check`: data-quality screening. Exit code 0 when clean, 1 when suspicious
//! records were found, 2 when the input could not be checked at all.

use std::process::ExitCode;

use anyhow::Result;
use gonggu_core::mask::Pii;
use gonggu_core::model::Dataset;
use gonggu_core::validate::{self, CheckParams, CheckReport};
use gonggu_render::quality::quality_workbooks;

use crate::EXIT_FINDINGS;
use crate::args::CheckArgs;
use crate::common::{Outputs, load_config, read_dataset, resolve_as_of};

/// Check parameters: rule defaults, overridden by `gonggu.toml`.
pub fn params(
    config: &gonggu_core::config::Config,
    as_of: chrono::NaiveDate,
) -> Result<CheckParams> {
    Ok(CheckParams::defaults(as_of)?.with_config(config))
}

/// Runs every rule on a dataset (for `gonggu evaluate` and the bench).
pub fn run_all(ds: &Dataset, params: &CheckParams) -> Result<CheckReport> {
    Ok(validate::run_checks(ds, params)?)
}

/// The number of findings on a dataset with default parameters (bench).
pub fn bench_checks(ds: &Dataset) -> Result<usize> {
    let as_of = chrono::NaiveDate::from_ymd_opt(2021, 11, 30).unwrap_or_default();
    Ok(run_all(ds, &CheckParams::defaults(as_of)?)?.findings.len())
}

pub fn run(a: &CheckArgs) -> Result<ExitCode> {
    if a.list_rules {
        for r in validate::list_rules()? {
            println!("{}  [{}] {}", r.code, r.severity.label(), r.title);
            println!("      {}", r.detail);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let config = load_config(a.config.as_deref())?;
    let as_of = resolve_as_of(a.as_of.as_deref(), &config)?;
    let ds = read_dataset(&a.inputs, &config, a.strict)?;
    let report = run_all(&ds, &params(&config, as_of)?)?;
    let pii = if a.reveal_pii {
        Pii::Revealed
    } else {
        Pii::Masked
    };
    for line in validate::summary_lines(&report) {
        println!("{line}");
    }
    if let Some(out) = &a.out {
        let books = quality_workbooks(&ds, &report, pii)?;
        let mut outputs = Outputs::default();
        for (suffix, bytes) in books {
            let path = if suffix.is_empty() {
                out.clone()
            } else {
                let stem = out
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "核查清单".into());
                out.with_file_name(format!("{stem}_{suffix}.xlsx"))
            };
            outputs.add(path, bytes);
        }
        outputs.write(&a.inputs)?;
    }
    if report.findings.is_empty() {
        println!("未发现疑似问题。");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("共发现 {} 条疑似问题，请核实。", report.findings.len());
        Ok(ExitCode::from(EXIT_FINDINGS))
    }
}
