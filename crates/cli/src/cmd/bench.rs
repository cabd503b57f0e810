//! `gonggu bench`: generates a demo roster of the asked size once (or reuses the one in
//! `--dir`), then measures in a fresh child process (so that peak memory is the work's own):
//! first the raw baseline of the same file (the csv crate's byte records, or calamine's
//! streaming cells), then gonggu reading and computing or checking it. It prints each
//! part's wall and CPU time, gonggu's time as a multiple of the baseline (the issue's
//! goals are stated so), rows/s and peak RSS per household. `bench resolve` places distinct
//! 务工所在地 addresses and prints how many per second; `bench notice` times `gonggu notice`
//! end to end. Benchmarks are commands, not tests.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use gonggu_core::catalog::{Catalog, ReportKind};
use gonggu_core::config::Config;
use gonggu_core::ingest::baseline::raw_read;
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::pipeline::{self, Settings};
use gonggu_core::region::Level;
use gonggu_demo::{self as demo, DemoFormat, DemoOptions};

use crate::args::{BenchArgs, BenchWhat, DemoFormatArg};
use crate::write::write_one;

mod national;
mod notice;

const CHILD_ENV: &str = "GONGGU_BENCH_CHILD";

fn roster_name(format: DemoFormatArg) -> &'static str {
    match format {
        DemoFormatArg::Csv => "监测对象信息.csv",
        DemoFormatArg::Xlsx => "监测对象信息.xlsx",
    }
}

/// A value's name on the command line (`compute`, `xlsx`).
fn flag_value(v: &impl ValueEnum) -> String {
    v.to_possible_value()
        .map(|p| p.get_name().to_string())
        .unwrap_or_default()
}

/// The households generated: as asked, else 10 000 (a national run: 2 000 000 a copy).
fn households(a: &BenchArgs) -> usize {
    a.households.unwrap_or(if a.what == BenchWhat::National {
        2_000_000
    } else {
        10_000
    })
}

pub fn run(a: &BenchArgs) -> Result<ExitCode> {
    if a.what == BenchWhat::Resolve {
        return resolve();
    }
    if a.per_rule && a.what != BenchWhat::Check {
        bail!("--per-rule 只用于 bench check");
    }
    if a.what == BenchWhat::National {
        national::check_args(a)?;
    }
    let dir = a.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!(
            "gonggu-bench-{}-{}",
            households(a),
            flag_value(&a.format)
        ))
    });
    let roster = dir.join(roster_name(a.format));
    if std::env::var_os(CHILD_ENV).is_some() {
        return match a.what {
            BenchWhat::National => national::measure(a),
            _ => measure(a, &roster),
        };
    }
    if !roster.exists() {
        generate(a, &dir)?;
    }
    if a.what == BenchWhat::Notice {
        return notice::measure(&dir);
    }
    let size = std::fs::metadata(&roster)
        .with_context(|| format!("读取 {}", roster.display()))?
        .len();
    eprintln!(
        "数据：{}（{:.1} MB）",
        roster.display(),
        size as f64 / 1_048_576.0
    );
    // The measuring process is told exactly what to measure, the folder always: passing
    // this command line through would name --dir twice when the user gave it.
    let mut child = Command::new(std::env::current_exe()?);
    child
        .arg("bench")
        .arg(flag_value(&a.what))
        .arg("--households")
        .arg(households(a).to_string())
        .arg("--format")
        .arg(flag_value(&a.format))
        .arg("--dir")
        .arg(&dir)
        .env(CHILD_ENV, "1");
    if a.per_rule {
        child.arg("--per-rule");
    }
    if a.what == BenchWhat::National {
        child.arg("--copies").arg(a.copies.to_string());
        return national::stream(a, &roster, child);
    }
    let status = child.status()?;
    if !status.success() {
        bail!("测量进程失败：{status}");
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(a: &BenchArgs, dir: &Path) -> Result<()> {
    let t = Instant::now();
    eprintln!("正在生成 {} 户的示例数据……", households(a));
    let format = match a.format {
        DemoFormatArg::Csv => DemoFormat::Csv,
        DemoFormatArg::Xlsx => DemoFormat::Xlsx,
    };
    let opts = DemoOptions {
        households: households(a),
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

/// Peak resident set size of this process (VmHWM), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// CPU time (user + system) of this process so far, all its threads, in seconds: utime
/// and stime of /proc/self/stat, in clock ticks of 1/100 s.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name, in parentheses, may hold spaces: count fields after it. The
    // first is field 3 (state); utime is field 14, stime 15.
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace();
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// Wall and CPU time of a part of the measurement.
#[derive(Clone, Copy)]
struct Span {
    wall: f64,
    cpu: Option<f64>,
}

impl Span {
    fn of<T>(work: impl FnOnce() -> Result<T>) -> Result<(T, Span)> {
        let cpu = cpu_seconds();
        let t = Instant::now();
        let out = work()?;
        let wall = t.elapsed().as_secs_f64();
        let cpu = cpu.zip(cpu_seconds()).map(|(a, b)| b - a);
        Ok((out, Span { wall, cpu }))
    }

    fn then(self, next: Span) -> Span {
        Span {
            wall: self.wall + next.wall,
            cpu: self.cpu.zip(next.cpu).map(|(a, b)| a + b),
        }
    }

    /// `CPU 2.05 s（1.0 核）`: how many cores were busy on average.
    fn cpu_text(&self) -> String {
        match self.cpu {
            Some(c) => format!("CPU {c:.2} s（平均 {:.2} 核）", c / self.wall),
            None => "CPU 时间不可得（没有 /proc/self/stat）".to_string(),
        }
    }
}

/// The raw read of the roster, twice: the first brings the file into the page cache (as
/// it is for gonggu's read after it), the second is reported. Its line, and its wall time.
fn baseline(roster: &Path, format: DemoFormatArg) -> Result<(String, f64)> {
    let (_, cold) = Span::of(|| Ok(raw_read(roster)?))?;
    let (count, warm) = Span::of(|| Ok(raw_read(roster)?))?;
    let how = match format {
        DemoFormatArg::Csv => "csv 库逐条解析（ByteRecord，不解码、不转换）",
        DemoFormatArg::Xlsx => "calamine 流式读取单元格（worksheet_cells_reader，不转换）",
    };
    let line = format!(
        "基线：{how}，{} 行、{} 个单元格 {:.3} s = {:.0} 行/s；{}。第一遍（{:.3} s）只为让文件进入页缓存，计的是第二遍",
        count.rows,
        count.cells,
        warm.wall,
        count.rows as f64 / warm.wall,
        warm.cpu_text(),
        cold.wall
    );
    Ok((line, warm.wall))
}

/// The as-of date of the generated data.
fn as_of() -> chrono::NaiveDate {
    DemoOptions::default().as_of
}

/// Every indicator of the built-in catalog at `level`, as `gonggu compute` computes them.
fn compute(
    ds: &gonggu_core::model::Dataset,
    catalog: &Catalog,
    level: Level,
    as_of: chrono::NaiveDate,
) -> Result<gonggu_core::compute::Report> {
    let s = Settings::new(
        level,
        as_of,
        &Config::default(),
        catalog,
        ReportKind::Compute,
        &[],
    )?;
    Ok(pipeline::build(ds, catalog, &s, None)?)
}

/// `8.72 s = 4.15× 基线`.
fn versus(wall: f64, base: f64) -> String {
    format!("{wall:.3} s = {:.2}× 基线", wall / base)
}

fn measure(a: &BenchArgs, roster: &PathBuf) -> Result<ExitCode> {
    let (base_line, base) = baseline(roster, a.format)?;
    println!("{base_line}");
    let what = a.what;
    // As the commands read: only checking keeps the text-only columns.
    let opts = ReadOptions {
        skip_texts: what != BenchWhat::Check,
        ..ReadOptions::default()
    };
    let (ds, read) = Span::of(|| {
        read_inputs(std::slice::from_ref(roster), &opts)
            .with_context(|| format!("读取 {}", roster.display()))
    })?;
    let rows = ds.sources.iter().map(|s| s.rows).sum::<u64>();
    let households = ds.roster.households.len();
    println!(
        "gonggu 读取：{rows} 行（{} 人，{households} 户）{:.3} s = {:.0} 行/s；读取 = {}",
        ds.roster.facts.len(),
        read.wall,
        rows as f64 / read.wall,
        versus(read.wall, base)
    );
    let as_of = as_of();
    let mut work = read;
    match what {
        // `resolve` reads no roster and returns before the child process, `notice` too
        // (it times whole `gonggu notice` processes), `national` is measured by its own.
        BenchWhat::Read | BenchWhat::Resolve | BenchWhat::Notice | BenchWhat::National => {}
        BenchWhat::Compute => {
            let catalog = Catalog::builtin()?;
            let mut levels = Vec::new();
            for (level, label) in [(Level::County, "县级"), (Level::Town, "乡镇级")] {
                let (_, span) = Span::of(|| compute(&ds, &catalog, level, as_of))?;
                work = work.then(span);
                levels.push((label, span));
            }
            let each: Vec<String> = levels
                .iter()
                .map(|(label, s)| format!("{label} {:.3} s", s.wall))
                .collect();
            let totals: Vec<String> = levels
                .iter()
                .map(|(label, s)| {
                    format!("读取 + {label}计算 {}", versus(read.wall + s.wall, base))
                })
                .collect();
            println!("gonggu 计算（全部指标）：{}", each.join("，"));
            println!("gonggu compute（一个层级）：{}", totals.join("；"));
        }
        BenchWhat::Check => {
            let params = gonggu_core::validate::CheckParams::defaults(as_of)?;
            let (all, check) = Span::of(|| Ok(gonggu_core::validate::run_checks(&ds, &params)?))?;
            work = work.then(check);
            println!(
                "gonggu 核查（{} 条规则）：{} 条疑似问题 {:.3} s；读取 + 核查 {}，{:.0} 行/s",
                all.rules.len(),
                all.findings.len(),
                check.wall,
                versus(work.wall, base),
                rows as f64 / work.wall
            );
            if a.per_rule {
                println!("{}", per_rule(&ds, &params, &all)?);
            }
        }
    }
    println!(
        "gonggu 部分合计：墙钟 {:.3} s，{}",
        work.wall,
        work.cpu_text()
    );
    if let Some(bytes) = peak_rss() {
        println!(
            "峰值内存（VmHWM，整个测量进程，含基线那两遍；基线的内存有界：csv 只留一条记录，calamine 只留共享字符串表和一个单元格）：{:.0} MB = {:.0} 字节/户",
            bytes as f64 / 1_048_576.0,
            bytes as f64 / households.max(1) as f64
        );
    }
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
            RuleTable::Person => ds.roster.facts.len(),
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
        "逐条规则（每条规则单独运行，减去不运行任何规则的空跑 {base:.3} s；合计 {total:.3} s）："
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
