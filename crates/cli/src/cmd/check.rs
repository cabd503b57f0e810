//! `gonggu check`: data-quality screening. Exit code 0 when clean, 1 when suspicious
//! records were found, 2 when the input could not be checked at all.

use std::process::ExitCode;

use anyhow::Result;
use gonggu_core::validate::{self, CheckParams};
use gonggu_render::package;

use crate::EXIT_FINDINGS;
use crate::args::CheckArgs;
use crate::common::{Texts, note, read_dataset};
use crate::resolve;
use crate::write::Outputs;

pub fn run(a: &CheckArgs) -> Result<ExitCode> {
    if a.list_rules {
        return super::rules::run(&crate::args::RulesArgs {
            config: a.config.clone(),
            fields: false,
        });
    }
    resolve::check_inputs_exist(&a.inputs)?;
    let loaded = resolve::config(a.config.as_deref())?;
    let config = &loaded.config;
    let pii = resolve::pii(a.read.reveal_pii);
    let ds = read_dataset(&a.inputs, config, a.read.strict, pii, Texts::Keep)?;
    for n in &ds.notes {
        note(n);
    }
    gonggu_core::pipeline::require_data(&ds)?;
    let as_of = resolve::as_of(a.as_of, config, Some(&ds));
    let params = CheckParams::defaults(as_of)?.with_config(config);
    let report = validate::run_checks(&ds, &params)?;
    for line in validate::overview_lines(&report) {
        println!("{line}");
    }
    if let Some(path) = &a.out {
        let lists = package::check_lists(&ds, &report, pii, path)?;
        let mut reads = a.inputs.clone();
        reads.extend(loaded.path.iter().cloned());
        let mut outputs = Outputs::default();
        outputs.add_package(std::path::Path::new(""), lists);
        outputs.write(&reads)?;
    }
    if report.findings.is_empty() {
        println!("未发现疑似问题。");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("共发现 {} 条疑似问题，请核实。", report.findings.len());
        Ok(ExitCode::from(EXIT_FINDINGS))
    }
}
