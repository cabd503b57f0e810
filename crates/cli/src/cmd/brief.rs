//! `gonggu brief`: the 1–2 page leadership briefing (PDF).

use std::process::ExitCode;

use anyhow::{Result, bail};
use gonggu_core::region::Level;
use gonggu_render::documents;

use crate::args::BriefArgs;
use crate::common::{Outputs, document_meta, font_roles, load_fonts, prepare, table_title};

pub fn run(a: &BriefArgs) -> Result<ExitCode> {
    let level: Level = a.level.into();
    if level == Level::Village {
        bail!("简报按县（--level county）或乡镇（--level town）比较");
    }
    let p = prepare(&a.common, level, "brief", &[])?;
    let title = table_title(&p.config, &p.report.parent);
    let fonts = load_fonts(&a.pdf.font_dir, &p.config)?;
    let roles = font_roles(&p.config).resolve(&fonts);
    let meta = document_meta(&p.config, &p.report, &title);
    let bundle = documents::brief_bundle(&p.report, &meta, &roles)?;
    let pdf = documents::render_bundle(&bundle, p.report.as_of, &fonts)?;
    let mut out = Outputs::default();
    out.add(a.out.clone(), pdf.bytes);
    if a.pdf.emit_typst {
        let dir = a.out.with_extension("typst");
        crate::cmd::emit_typst(&mut out, &dir, &bundle);
    }
    out.write(&a.common.inputs)?;
    Ok(ExitCode::SUCCESS)
}
