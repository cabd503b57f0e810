//! `gonggu evaluate`: the post-evaluation package (workbook + PDF).

use std::process::ExitCode;

use anyhow::{Result, bail};
use gonggu_core::model::TableKind;
use gonggu_core::region::Level;
use gonggu_core::validate::CheckReport;
use gonggu_render::documents::{self, QualityLine};
use gonggu_render::xlsx::{QualitySummary, WorkbookOptions, evaluation_workbook};

use crate::args::EvaluateArgs;
use crate::common::{
    Outputs, document_meta, font_roles, load_fonts, period_prefix, prepare, source_note,
};

fn quality_rows(report: &CheckReport) -> Vec<(String, String, String, u64)> {
    report
        .rules
        .iter()
        .filter(|r| report.ran(&r.code))
        .map(|r| {
            (
                r.code.clone(),
                r.title.clone(),
                r.severity.label().to_string(),
                report.count(&r.code) as u64,
            )
        })
        .collect()
}

pub fn run(a: &EvaluateArgs) -> Result<ExitCode> {
    let level: Level = a.level.into();
    if level == Level::Village {
        bail!("后评估按县（--level county）或乡镇（--level town）");
    }
    let p = prepare(&a.common, level, "evaluate", &[])?;
    let title = format!("{}巩固拓展脱贫攻坚成果后评估指标达标情况", p.report.parent);
    let quality = if p.dataset.has(TableKind::Roster)
        || p.dataset.has(TableKind::Projects)
        || p.dataset.has(TableKind::Loans)
    {
        let params = crate::cmd::check::params(&p.config, p.report.as_of)?;
        Some(crate::cmd::check::run_all(&p.dataset, &params)?)
    } else {
        None
    };
    let summary = quality.as_ref().map(|q| QualitySummary {
        rows: quality_rows(q),
        skipped: q
            .skipped
            .iter()
            .map(|(code, missing)| format!("{code}：缺少{}", missing.join("、")))
            .collect(),
    });
    let source = source_note(&p.dataset, p.report.as_of);
    let wopts = WorkbookOptions {
        title: title.clone(),
        block_size: p.config.reports.block_size.unwrap_or(3),
        charts: false,
        source_note: source.clone(),
        notes: Vec::new(),
    };
    let xlsx = evaluation_workbook(&p.report, summary.as_ref(), &wopts)?;
    let lines: Vec<QualityLine> = summary
        .as_ref()
        .map(|s| {
            s.rows
                .iter()
                .map(|(code, title, severity, count)| QualityLine {
                    code: code.clone(),
                    title: title.clone(),
                    severity: severity.clone(),
                    count: *count,
                })
                .collect()
        })
        .unwrap_or_default();
    let sources: Vec<String> = p
        .dataset
        .sources
        .iter()
        .map(|s| match &s.sheet {
            Some(sheet) => format!(
                "{}（工作表「{sheet}」，{}，{} 行）",
                s.file,
                s.kind.label(),
                s.rows
            ),
            None => format!("{}（{}，{} 行）", s.file, s.kind.label(), s.rows),
        })
        .collect();
    let fonts = load_fonts(&a.pdf.font_dir, &p.config)?;
    let roles = font_roles(&p.config).resolve(&fonts);
    let meta = document_meta(&p.config, &p.report, &title);
    let bundle = documents::evaluation_bundle(&p.report, &meta, &lines, &sources, &roles)?;
    let pdf = documents::render_bundle(&bundle, p.report.as_of, &fonts)?;
    let prefix = period_prefix(&p.report);
    let mut out = Outputs::default();
    out.add(a.out.join(format!("{prefix}后评估指标达标情况.xlsx")), xlsx);
    out.add(
        a.out.join(format!("{prefix}后评估指标达标情况.pdf")),
        pdf.bytes,
    );
    if a.pdf.emit_typst {
        crate::cmd::emit_typst(&mut out, &a.out.join("typst-后评估"), &bundle);
    }
    out.write(&a.common.inputs)?;
    Ok(ExitCode::SUCCESS)
}
