//! `gonggu bench`: generates a demo roster of the asked size once, then measures reading,
//! computing or checking it in a fresh child process (so that peak memory is the work's
//! own) and prints rows/s and peak RSS. `bench resolve` places distinct 务工所在地 addresses
//! and prints how many per second. Benchmarks are commands, not tests.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use gonggu_core::catalog::{Catalog, ReportKind};
use gonggu_core::config::Config;
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::pipeline::{self, Settings};
use gonggu_core::region::Level;
use gonggu_demo::{self as demo, DemoFormat, DemoOptions};

use crate::args::{BenchArgs, BenchWhat, DemoFormatArg};
use crate::write::write_one;

const CHILD_ENV: &str = "GONGGU_BENCH_CHILD";

fn roster_name(format: DemoFormatArg) -> &'static str {
    match format {
        DemoFormatArg::Csv => "监测对象信息.csv",
        DemoFormatArg::Xlsx => "监测对象信息.xlsx",
    }
}

pub fn run(a: &BenchArgs) -> Result<ExitCode> {
    if a.what == BenchWhat::Resolve {
        return resolve();
    }
    let dir = a.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!(
            "gonggu-bench-{}-{}",
            a.households,
            match a.format {
                DemoFormatArg::Csv => "csv",
                DemoFormatArg::Xlsx => "xlsx",
            }
        ))
    });
    let roster = dir.join(roster_name(a.format));
    if std::env::var_os(CHILD_ENV).is_some() {
        return measure(a.what, &roster);
    }
    if !roster.exists() {
        generate(a, &dir)?;
    }
    let size = std::fs::metadata(&roster)?.len();
    eprintln!(
        "数据：{}（{:.1} MB）",
        roster.display(),
        size as f64 / 1_048_576.0
    );
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe);
    child.args(std::env::args_os().skip(1)).env(CHILD_ENV, "1");
    // The measuring process reads the same data: pass the folder unless it was given.
    if a.dir.is_none() {
        child.arg("--dir").arg(&dir);
    }
    let status = child.status()?;
    if !status.success() {
        bail!("测量进程失败：{status}");
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(a: &BenchArgs, dir: &Path) -> Result<()> {
    let t = Instant::now();
    eprintln!("正在生成 {} 户的示例数据……", a.households);
    let format = match a.format {
        DemoFormatArg::Csv => DemoFormat::Csv,
        DemoFormatArg::Xlsx => DemoFormat::Xlsx,
    };
    let opts = DemoOptions {
        households: a.households,
        format,
        ..DemoOptions::default()
    };
    let data = demo::generate(&opts);
    for f in demo::write_inputs(&data, format)? {
        write_one(&dir.join(&f.name), f.bytes.clone(), &[])?;
    }
    eprintln!("生成用时 {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

/// Peak resident set size of this process (VmHWM), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn measure(what: BenchWhat, roster: &PathBuf) -> Result<ExitCode> {
    let t = Instant::now();
    // As the commands read: only checking keeps the text-only columns.
    let opts = ReadOptions {
        skip_texts: what != BenchWhat::Check,
        ..ReadOptions::default()
    };
    let ds = read_inputs(std::slice::from_ref(roster), &opts)
        .with_context(|| format!("读取 {}", roster.display()))?;
    let read_s = t.elapsed().as_secs_f64();
    let rows = ds.sources.iter().map(|s| s.rows).sum::<u64>();
    let mut report = format!(
        "read: {rows} rows ({} persons, {} households) in {read_s:.2} s = {:.0} rows/s",
        ds.roster.persons.len(),
        ds.roster.households.len(),
        rows as f64 / read_s
    );
    match what {
        // `resolve` reads no roster and returns before the child process.
        BenchWhat::Read | BenchWhat::Resolve => {}
        BenchWhat::Compute => {
            let catalog = Catalog::builtin()?;
            let as_of = chrono::NaiveDate::from_ymd_opt(2021, 11, 30).unwrap_or_default();
            let t2 = Instant::now();
            for level in [Level::County, Level::Town] {
                let s = Settings::new(
                    level,
                    as_of,
                    &Config::default(),
                    &catalog,
                    ReportKind::Compute,
                    &[],
                )?;
                pipeline::build(&ds, &catalog, &s, None)?;
            }
            let c = t2.elapsed().as_secs_f64();
            report.push_str(&format!(
                "\ncompute (county + town, all indicators): {c:.2} s; read + compute {:.2} s = {:.2}× read alone",
                read_s + c,
                (read_s + c) / read_s
            ));
        }
        BenchWhat::Check => {
            let as_of = chrono::NaiveDate::from_ymd_opt(2021, 11, 30).unwrap_or_default();
            let params = gonggu_core::validate::CheckParams::defaults(as_of)?;
            let t2 = Instant::now();
            let all = gonggu_core::validate::run_checks(&ds, &params)?;
            let c = t2.elapsed().as_secs_f64();
            report.push_str(&format!(
                "\ncheck ({} rules): {} findings in {c:.2} s; read + check {:.2} s = {:.0} rows/s",
                all.rules.len(),
                all.findings.len(),
                read_s + c,
                rows as f64 / (read_s + c)
            ));
            report.push_str(&per_rule(&ds, &params, &all)?);
        }
    }
    if let Some(mb) = peak_rss_mb() {
        report.push_str(&format!("\npeak RSS: {mb:.0} MB"));
    }
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

/// The cost of each rule alone: a run with every other rule switched off, less a run with
/// all switched off (the passes themselves), per row of the tables the rule reads.
fn per_rule(
    ds: &gonggu_core::model::Dataset,
    params: &gonggu_core::validate::CheckParams,
    all: &gonggu_core::validate::CheckReport,
) -> Result<String> {
    use gonggu_core::validate::{RuleTable, run_checks};
    let codes: Vec<String> = all.rules.iter().map(|r| r.code.clone()).collect();
    let time = |on: Option<&str>| -> Result<f64> {
        let mut p = params.clone();
        p.disabled = codes
            .iter()
            .filter(|c| Some(c.as_str()) != on)
            .cloned()
            .collect();
        // Best of three: the machine is shared.
        let mut best = f64::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            run_checks(ds, &p)?;
            best = best.min(t.elapsed().as_secs_f64());
        }
        Ok(best)
    };
    let base = time(None)?;
    let rows_of = |t: RuleTable| -> usize {
        match t {
            RuleTable::Person => ds.roster.persons.len(),
            RuleTable::Household => ds.roster.households.len(),
            RuleTable::Project => ds.projects.len(),
            RuleTable::Loan => ds.loans.len(),
            RuleTable::Village => ds.villages.len(),
            RuleTable::Spell => ds.work_spells.len(),
            RuleTable::Cell => ds.bad_values.len(),
            RuleTable::Duplicate => ds.roster.duplicate_ids.len(),
        }
    };
    let mut lines = Vec::new();
    let mut total = 0.0;
    for r in &all.rules {
        if !all.ran(&r.code) {
            continue;
        }
        let rows: usize = r.tables().into_iter().map(rows_of).sum();
        let cost = (time(Some(&r.code))? - base).max(0.0);
        total += cost;
        let per_row = if rows == 0 {
            0.0
        } else {
            cost * 1e9 / rows as f64
        };
        let tables: Vec<&str> = r.tables().iter().map(|t| t.label()).collect();
        lines.push((
            per_row,
            format!(
                "  {} {:>7.1} ns/行 × {rows} 行（{}）",
                r.code,
                per_row,
                tables.join("、")
            ),
        ));
    }
    lines.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out = format!(
        "\nper rule (each rule alone, less the bare passes {base:.3} s; sum {total:.3} s):"
    );
    for (_, l) in lines {
        out.push('\n');
        out.push_str(&l);
    }
    Ok(out)
}

/// Distinct addresses across the whole division table, in the wordings rosters use: the
/// full name with a town, province short form + county, city + county short form, the
/// county alone with a street; plus ambiguous names and words that are no place.
fn addresses() -> Vec<String> {
    use gonggu_core::division::{DivisionLevel, DivisionTable};
    let t = DivisionTable::builtin();
    let short = |id| {
        let d = t.get(id);
        d.short_forms.first().map_or(d.name, String::as_str)
    };
    let mut out = Vec::new();
    for (id, d) in t.iter().filter(|(_, d)| d.level == DivisionLevel::County) {
        let province = t.province_of(id);
        let city = d.parent.map_or(d.name, |c| t.get(c).name);
        for k in 0..8 {
            out.push(match k % 4 {
                0 => format!("{}第{k}镇", t.label(id)),
                1 => format!("{}{}{k}号", short(province), d.name),
                2 => format!("{city}{}工业园{k}区", short(id)),
                _ => format!("{}第{k}街道", d.name),
            });
        }
    }
    for k in 0..2000 {
        out.push(format!("鼓楼区{k}号"));
        out.push(format!("外出务工{k}"));
    }
    out
}

fn resolve() -> Result<ExitCode> {
    use gonggu_core::division::{Classifier, Places};
    let t = Instant::now();
    let places = Places::new(Some("商丘市"), None, &Default::default())?;
    let setup = t.elapsed().as_secs_f64();
    let addresses = addresses();
    let mut classifier = Classifier::new(places);
    let t = Instant::now();
    for a in &addresses {
        classifier.classify("夏邑县", a);
    }
    let first = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for a in &addresses {
        classifier.classify("夏邑县", a);
    }
    let again = t.elapsed().as_secs_f64();
    let n = addresses.len();
    println!(
        "resolve: division table parsed in {setup:.3} s; {n} distinct addresses in {first:.3} s = {:.0} addresses/s; the same again (cached) {:.0} lookups/s",
        n as f64 / first,
        n as f64 / again
    );
    Ok(ExitCode::SUCCESS)
}
