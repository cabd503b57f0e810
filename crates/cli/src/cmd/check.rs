//! `gonggu check`: data-quality screening. Exit code 0 when clean, 1 when suspicious
//! records were found, 2 when the input could not be checked at all. With `--returned`, the
//! lists the towns sent back are compared with this month's findings and their answers
//! carried over.

use std::process::ExitCode;

use anyhow::Result;
use gonggu_core::ingest::returned::read_returned;
use gonggu_core::validate::{self, CheckParams};
use gonggu_render::package;
use gonggu_render::quality::{ListOptions, Tracking};

use crate::EXIT_FINDINGS;
use crate::args::{CheckArgs, SplitArg};
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
    let returned = resolve::returned_files(&a.returned)?;
    let (key, key_note) = resolve::check_key(config);
    if let Some(n) = key_note.filter(|_| a.out.is_some() || !returned.is_empty()) {
        note(&n);
    }
    let tracking = if returned.is_empty() {
        None
    } else {
        let back = read_returned(&returned, pii)?;
        for n in &back.notes {
            note(n);
        }
        let t = Tracking::new(&ds, &report, &key, &back);
        for line in t.summary_lines() {
            println!("{line}");
        }
        if t.other_key {
            note(
                "上期清单的核查编号与本期没有一条对应，而其中多数问题的规则和户编号本期仍有：核查编号像是用另一个密钥生成的。如果上期以来改动过 gonggu.toml 的 [check] key，请改回上期的密钥再核查。",
            );
        }
        Some(t)
    };
    if let Some(path) = &a.out {
        let opts = ListOptions {
            pii,
            key: &key,
            split: a.split == Some(SplitArg::County),
            tracking: tracking.as_ref(),
        };
        let lists = package::check_lists(&ds, &report, &opts, path)?;
        let mut reads = a.inputs.clone();
        reads.extend(loaded.path.iter().cloned());
        reads.extend(returned.iter().cloned());
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
