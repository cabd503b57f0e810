//! `gonggu history`: the recorded months of `gonggu.db`, or a unit × month table of one
//! indicator (or all) as CSV (UTF-8 BOM) or XLSX, for the quarterly review.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use gonggu_core::history::{self, History};
use gonggu_core::region::Level;

use crate::args::{HistoryArgs, TableFormatArg};
use crate::resolve;
use crate::write::write_one;

pub fn run(a: &HistoryArgs) -> Result<ExitCode> {
    let loaded = resolve::config(a.config.as_deref())?;
    let base = loaded
        .path
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    let db_path = base.join(history::FILE_NAME);
    if !db_path.is_file() {
        bail!(
            "没有历史库 {}：先在 gonggu.toml 所在的目录运行 gonggu run，每月的结果会记在这里",
            db_path.display()
        );
    }
    let db = History::open(&db_path)?;
    let level = match (a.level, loaded.config.run.level.as_deref()) {
        (Some(l), _) => l.into(),
        (None, Some("town")) => Level::Town,
        _ => Level::County,
    };
    let format = a.format.or_else(|| {
        a.out
            .as_deref()
            .and_then(Path::extension)
            .filter(|e| e.eq_ignore_ascii_case("xlsx"))
            .map(|_| TableFormatArg::Xlsx)
    });
    if a.indicator.is_none() && format.is_none() && a.out.is_none() {
        let months = db.months()?;
        println!("历史库 {}：已记录 {} 个月", db_path.display(), months.len());
        for m in months {
            println!(
                "  {}  {}级  {}  截至 {}  {} 个地区 × {} 项指标和度量  （gonggu {}）",
                m.month,
                if m.level == "town" { "乡镇" } else { "县" },
                m.parent,
                m.as_of,
                m.units,
                m.indicators,
                m.version
            );
        }
        println!("导出逐月表：gonggu history --indicator <指标> --format csv|xlsx --out <文件>");
        return Ok(ExitCode::SUCCESS);
    }
    let table = db.table(level, a.indicator.as_deref())?;
    let bytes = match format.unwrap_or(TableFormatArg::Csv) {
        TableFormatArg::Csv => table.to_csv(),
        TableFormatArg::Xlsx => {
            if a.out.is_none() {
                bail!("--format xlsx 需要用 --out 指定输出文件");
            }
            gonggu_render::changes::history_workbook(&table)?
        }
    };
    match &a.out {
        Some(path) => {
            let reads: Vec<_> = loaded
                .path
                .iter()
                .cloned()
                .chain([db_path.clone()])
                .collect();
            write_one(path, bytes, &reads)?;
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
