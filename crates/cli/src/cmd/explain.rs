//! `gonggu explain`: the records behind one figure — on the terminal (the figure and the
//! first rows) or as a workbook (`--out 名单.xlsx`, the whole list).

use std::process::ExitCode;

use anyhow::{Result, bail};
use gonggu_core::catalog::ReportKind;
use gonggu_core::explain::{self, Explanation, Query};
use gonggu_core::region::Level;
use unicode_width::UnicodeWidthStr;

use crate::args::{CommonArgs, ExplainArgs};
use crate::common::note;
use crate::resolve::ReportPlan;
use crate::write::Outputs;

/// Rows shown on the terminal.
const SHOWN: usize = 20;
/// Widest cell on the terminal (display columns; twice that for the place and the region,
/// no limit for the reason); longer text ends in `…`.
const CELL_WIDTH: usize = 24;

pub fn run(a: &ExplainArgs) -> Result<ExitCode> {
    if let Some(out) = &a.out
        && !out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        bail!(
            "名单只能写成 Excel 文件：--out 请写以 .xlsx 结尾的文件名（而不是 {}）",
            out.display()
        );
    }
    let common = CommonArgs {
        inputs: a.inputs.clone(),
        as_of: a.as_of,
        previous: Vec::new(),
        previous_as_of: None,
        config: a.config.clone(),
        catalog: a.catalog.clone(),
        strict: a.strict,
        reveal_pii: a.reveal_pii,
    };
    let level = a.level.map(Level::from);
    let plan = ReportPlan::new(
        &common,
        level.unwrap_or(Level::County),
        ReportKind::Compute,
        &[],
    )?
    // The persons behind a figure are listed with their names.
    .keeping_texts();
    let (ds, settings) = plan.read()?;
    let query = Query {
        indicator: a.indicator.clone(),
        region: a.region.clone(),
        level,
        region_aliases: plan.config.region_aliases.clone(),
    };
    let e = explain::explain(&ds, &plan.catalog, &settings, &query, plan.pii)?;
    for n in &e.report_notes {
        note(n);
    }
    if let Some(l) = level.filter(|l| !e.total && *l != e.level) {
        note(&format!(
            "「{}」是{}，按{}的数字列出（不是 --level {} 的单位）。",
            e.region_path,
            e.level.unit_word(),
            e.level.unit_word(),
            l.id()
        ));
    }
    for line in e.header_lines() {
        println!("{line}");
    }
    match &a.out {
        Some(path) => {
            let bytes = gonggu_render::explain::explain_workbook(&e)?;
            let mut out = Outputs::default();
            out.add(path.clone(), bytes);
            out.write(&plan.reads())?;
        }
        None => print_table(&e),
    }
    Ok(ExitCode::SUCCESS)
}

/// The first rows as an aligned table (wide characters take two columns).
fn print_table(e: &Explanation) {
    if e.rows.is_empty() {
        println!("（名单为空）");
        return;
    }
    println!();
    if e.rows.len() > SHOWN {
        println!(
            "前 {SHOWN} 行（共 {} 行；加 --out 名单.xlsx 写出全部）：",
            e.rows.len()
        );
    }
    // 来源文件, 工作表 and 行号 in one column; a part every row is in goes without saying.
    let skip = ["来源文件", "工作表", "行号"];
    let constant = |c: usize| {
        e.columns.get(c).is_some_and(|h| h.starts_with("计入"))
            && e.rows
                .iter()
                .all(|r| r.cells.get(c).is_some_and(|v| v.text() == "是"))
    };
    let keep: Vec<usize> = (0..e.columns.len())
        .filter(|c| {
            e.columns
                .get(*c)
                .is_some_and(|h| !skip.contains(&h.as_str()))
        })
        .filter(|c| !constant(*c))
        .collect();
    let mut heads: Vec<String> = Vec::new();
    for (i, c) in keep.iter().enumerate() {
        if i == 1 {
            heads.push("来源".into());
        }
        heads.push(e.columns.get(*c).cloned().unwrap_or_default());
    }
    let count = heads.len();
    let lines: Vec<Vec<String>> = e
        .rows
        .iter()
        .take(SHOWN)
        .map(|row| {
            let mut cells = Vec::new();
            for (i, c) in keep.iter().enumerate() {
                if i == 1 {
                    let sheet = row
                        .sheet
                        .as_ref()
                        .map(|s| format!("「{s}」"))
                        .unwrap_or_default();
                    cells.push(format!("{}{sheet}第{}行", row.file, row.row));
                }
                cells.push(row.cells.get(*c).map(|v| v.text()).unwrap_or_default());
            }
            cells
                .into_iter()
                .enumerate()
                .map(|(i, c)| match i {
                    // The place and the region, then the fields; the reason (last) whole.
                    0..=2 => clip(&c, 2 * CELL_WIDTH),
                    _ if i + 1 == count => c,
                    _ => clip(&c, CELL_WIDTH),
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = heads
        .iter()
        .enumerate()
        .map(|(i, h)| {
            lines
                .iter()
                .filter_map(|l| l.get(i))
                .map(|c| c.width())
                .chain(std::iter::once(h.width()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let print = |cells: &[String]| {
        let line: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.width()))))
            .collect();
        println!("{}", line.join("  ").trim_end());
    };
    print(&heads);
    for l in &lines {
        print(l);
    }
}

/// A cell cut to `max` display columns.
fn clip(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for ch in text.chars() {
        if out.width() + ch.to_string().width() > max.saturating_sub(1) {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}
