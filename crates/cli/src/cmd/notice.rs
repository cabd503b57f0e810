//! `gonggu notice`: the ranking workbook (通报表) and the official notice as PDF and Word
//! document (`--format pdf,docx`).

use std::process::ExitCode;

use anyhow::Result;
use gonggu_core::catalog::ReportKind;
use gonggu_render::package::{self, PdfOptions};

use crate::args::NoticeArgs;
use crate::resolve::{self, ReportPlan};
use crate::write::Outputs;

pub fn run(a: &NoticeArgs) -> Result<ExitCode> {
    let level = a.level.into();
    let plan = ReportPlan::new(&a.common, level, ReportKind::Notice, &[])?;
    let p = plan.prepare()?;
    let fonts = resolve::fonts(&plan.config, &a.pdf.fonts)?;
    let pdf = PdfOptions {
        fonts: &fonts,
        emit_typst: a.pdf.emit_typst,
    };
    let formats = resolve::doc_formats(&a.formats);
    let files = package::notice(&p.report, &p.dataset, &plan.config, pdf, a.charts, formats)?;
    let mut out = Outputs::default();
    out.add_package(&a.out, files);
    out.write(&plan.reads())?;
    Ok(ExitCode::SUCCESS)
}
