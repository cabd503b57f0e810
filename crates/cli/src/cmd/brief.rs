//! `gonggu brief`: the 1–2 page leadership briefing as PDF and Word document (`--format
//! pdf,docx`; `简报.pdf` → `简报.docx` beside it).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use gonggu_core::catalog::ReportKind;
use gonggu_render::package::{self, PdfOptions};

use crate::args::BriefArgs;
use crate::resolve::{self, ReportPlan};
use crate::write::Outputs;

pub fn run(a: &BriefArgs) -> Result<ExitCode> {
    let level = a.level.into();
    let plan = ReportPlan::new(&a.common, level, ReportKind::Brief, &[])?;
    let p = plan.prepare()?;
    let fonts = resolve::fonts(&plan.config, &a.pdf.fonts)?;
    let pdf = PdfOptions {
        fonts: &fonts,
        emit_typst: a.pdf.emit_typst,
    };
    let (dir, name) = match (a.out.parent(), a.out.file_name()) {
        (Some(dir), Some(name)) => (dir, Path::new(name)),
        _ => (Path::new(""), a.out.as_path()),
    };
    let formats = resolve::doc_formats(&a.formats);
    let files = package::brief(&p.report, &plan.config, pdf, name, formats)?;
    let mut out = Outputs::default();
    out.add_package(dir, files);
    out.write(&plan.reads())?;
    Ok(ExitCode::SUCCESS)
}
