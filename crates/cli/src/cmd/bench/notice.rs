//! `gonggu bench notice`: the month's notice as a user makes it. Every input file in the
//! folder (the roster and the ledgers the generator writes) goes to `gonggu notice`, run
//! as its own process three times at each level — ranking counties, then towns — and each
//! run's wall time is printed from start to exit: reading, computing, the workbook, the
//! PDF and the Word document, and writing them.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use gonggu_core::catalog::Catalog;
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::region::Level;

use super::{as_of, compute};

/// Runs at each level.
const RUNS: usize = 3;

/// The input files of the folder, by name.
fn inputs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("读取 {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "xlsx" | "csv"))
        })
        .collect();
    files.sort();
    Ok(files)
}

pub(super) fn measure(dir: &Path) -> Result<ExitCode> {
    let files = inputs(dir)?;
    let names: Vec<String> = files
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    println!("输入：{} 个文件（{}）", files.len(), names.join("、"));
    let ds = read_inputs(&files, &ReadOptions::default()).context("读取输入")?;
    let catalog = Catalog::builtin()?;
    let out = tempfile::tempdir()?;
    let exe = std::env::current_exe()?;
    for (level, flag, unit, goal) in [
        (Level::County, "county", "县", 1.0),
        (Level::Town, "town", "乡镇", 2.0),
    ] {
        let units = compute(&ds, &catalog, level, as_of())?.rows.len();
        let mut times = Vec::new();
        for run in 0..RUNS {
            let to = out.path().join(format!("{flag}-{run}"));
            let t = Instant::now();
            let status = Command::new(&exe)
                .arg("notice")
                .args(&files)
                .args(["--level", flag, "--as-of"])
                .arg(as_of().to_string())
                .arg("--out")
                .arg(&to)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?;
            let wall = t.elapsed().as_secs_f64();
            if !status.success() {
                bail!("gonggu notice --level {flag} 失败：{status}");
            }
            times.push(wall);
        }
        let written = std::fs::read_dir(out.path().join(format!("{flag}-0")))?.count();
        let each: Vec<String> = times.iter().map(|t| format!("{t:.2} s")).collect();
        let best = times.iter().copied().fold(f64::INFINITY, f64::min);
        let worst = times.iter().copied().fold(0.0, f64::max);
        println!(
            "gonggu notice --level {flag}（{units} 个{unit}排名，写出 {written} 个文件：通报表 XLSX、PDF、DOCX）：{}；{best:.2}–{worst:.2} s（目标 < {goal:.0} s）",
            each.join("、")
        );
    }
    Ok(ExitCode::SUCCESS)
}
