//! `gonggu bench notice`: the month's notice as a user makes it. Every input file in the
//! folder (the roster and the ledgers the generator writes) goes to `gonggu notice`, run
//! as its own process three times for each of: the city ranking its counties, the city
//! ranking all its towns, and the first county ranking its own towns (a `gonggu.toml`
//! naming it, as a county bureau's has). Each run's wall time is printed from start to
//! exit: reading, computing, the workbook, the PDF and the Word document, writing them.

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
    let counties = compute(&ds, &catalog, Level::County, as_of())?.rows;
    let towns = compute(&ds, &catalog, Level::Town, as_of())?.rows;
    let first = counties
        .iter()
        .find(|r| r.has_data)
        .context("数据中没有县")?;
    // Town keys are `county/town`.
    let its_towns = towns
        .iter()
        .filter(|r| r.key.split('/').next() == Some(first.key.as_str()))
        .count();
    let county_config = out.path().join("gonggu.toml");
    std::fs::write(
        &county_config,
        format!("[region]\nname = \"{}\"\n", first.region.replace('"', "")),
    )?;
    let runs = [
        (
            "county",
            None,
            format!("市排县，{} 个县", counties.len()),
            None,
        ),
        (
            "town",
            None,
            format!("市排乡镇，{} 个乡镇", towns.len()),
            Some(2.0),
        ),
        (
            "town",
            Some(&county_config),
            format!("{}排乡镇，{its_towns} 个乡镇", first.region),
            Some(1.0),
        ),
    ];
    for (i, (flag, config, what, goal)) in runs.iter().enumerate() {
        let mut times = Vec::new();
        for run in 0..RUNS {
            let to = out.path().join(format!("{i}-{run}"));
            let mut cmd = Command::new(&exe);
            cmd.arg("notice")
                .args(&files)
                .args(["--level", flag, "--as-of"])
                .arg(as_of().to_string())
                .arg("--out")
                .arg(&to);
            if let Some(c) = config {
                cmd.arg("--config").arg(c);
            }
            let t = Instant::now();
            let status = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status()?;
            let wall = t.elapsed().as_secs_f64();
            if !status.success() {
                bail!("gonggu notice --level {flag} 失败：{status}");
            }
            times.push(wall);
        }
        let written = std::fs::read_dir(out.path().join(format!("{i}-0")))?.count();
        let each: Vec<String> = times.iter().map(|t| format!("{t:.2} s")).collect();
        let best = times.iter().copied().fold(f64::INFINITY, f64::min);
        let worst = times.iter().copied().fold(0.0, f64::max);
        let goal = goal.map_or(String::new(), |g| format!("（目标 < {g:.0} s）"));
        println!(
            "gonggu notice --level {flag}（{what}，写出 {written} 个文件：通报表 XLSX、PDF、DOCX）：{}；{best:.2}–{worst:.2} s{goal}",
            each.join("、")
        );
    }
    Ok(ExitCode::SUCCESS)
}
