//! `gonggu evaluate`: the post-evaluation package (workbook, and the report as PDF and Word
//! document: `--format pdf,docx`).

use std::process::ExitCode;

use anyhow::Result;
use gonggu_core::catalog::ReportKind;
use gonggu_core::model::{Dataset, TableKind};
use gonggu_core::validate::{CheckParams, run_checks};
use gonggu_render::package::{self, PdfOptions};

use crate::args::EvaluateArgs;
use crate::resolve::{self, ReportPlan};
use crate::write::Outputs;

/// Whether the inputs hold records (roster, projects, loans) whose quality the evaluation
/// reports; a 汇总 alone has none.
pub fn has_records(ds: &Dataset) -> bool {
    [TableKind::Roster, TableKind::Projects, TableKind::Loans]
        .iter()
        .any(|&k| ds.has(k))
}

pub fn run(a: &EvaluateArgs) -> Result<ExitCode> {
    let level = a.level.into();
    let plan = ReportPlan::new(&a.common, level, ReportKind::Evaluate, &[])?;
    let p = plan.prepare()?;
    let quality = if has_records(&p.dataset) {
        let params = CheckParams::defaults(p.report.as_of)?.with_config(&plan.config);
        Some(run_checks(&p.dataset, &params)?)
    } else {
        None
    };
    let fonts = resolve::fonts(&plan.config, &a.pdf.fonts)?;
    let pdf = PdfOptions {
        fonts: &fonts,
        emit_typst: a.pdf.emit_typst,
    };
    let formats = resolve::doc_formats(&a.formats);
    let files = package::evaluation(
        &p.report,
        &p.dataset,
        quality.as_ref(),
        &plan.config,
        pdf,
        formats,
    )?;
    let mut out = Outputs::default();
    out.add_package(&a.out, files);
    out.write(&plan.reads())?;
    Ok(ExitCode::SUCCESS)
}
