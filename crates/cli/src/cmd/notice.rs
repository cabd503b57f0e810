//! `gonggu notice`: the ranking workbook (通报表) and the official notice PDF.

use std::process::ExitCode;

use anyhow::{Result, bail};
use gonggu_core::region::Level;
use gonggu_render::documents;
use gonggu_render::xlsx::{WorkbookOptions, ranking_workbook};

use crate::args::NoticeArgs;
use crate::common::{
    Outputs, document_meta, font_roles, load_fonts, period_prefix, prepare, source_note,
    table_title,
};

pub fn run(a: &NoticeArgs) -> Result<ExitCode> {
    let level: Level = a.level.into();
    if level == Level::Village {
        bail!(
            "通报按县（--level county）或乡镇（--level town）排名；村级请用 gonggu compute --level village"
        );
    }
    let p = prepare(&a.common, level, "notice", &[])?;
    let title = table_title(&p.config, &p.report.parent);
    let wopts = WorkbookOptions {
        title: title.clone(),
        block_size: p.config.reports.block_size.unwrap_or(3),
        charts: a.charts,
        source_note: source_note(&p.dataset, p.report.as_of),
        notes: Vec::new(),
    };
    let xlsx = ranking_workbook(&p.report, &wopts)?;
    let fonts = load_fonts(&a.pdf.font_dir, &p.config)?;
    let roles = font_roles(&p.config).resolve(&fonts);
    let meta = document_meta(&p.config, &p.report, &title);
    let bundle = documents::notice_bundle(&p.report, &meta, &roles)?;
    let pdf = documents::render_bundle(&bundle, meta.issue_date, &fonts)?;
    let prefix = period_prefix(&p.report);
    let mut out = Outputs::default();
    out.add(a.out.join(format!("{prefix}主要指标通报表.xlsx")), xlsx);
    out.add(a.out.join(format!("{prefix}主要指标通报.pdf")), pdf.bytes);
    if a.pdf.emit_typst {
        crate::cmd::emit_typst(&mut out, &a.out.join("typst-通报"), &bundle);
    }
    out.write(&a.common.inputs)?;
    Ok(ExitCode::SUCCESS)
}
