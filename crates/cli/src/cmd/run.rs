//! `gonggu run [YYYY-MM]`: the month from `[run]` of gonggu.toml in one command — check,
//! compute (JSON), notice, brief, evaluation and the month's 变动名单, through the same
//! library calls as the single commands, then the figures into the history (`gonggu.db`).
//!
//! As-of is the month's last day. Last month's figures come from `[run] previous` files when
//! configured and present, else from the history, else from last month's input folder. All
//! documents are rendered in memory first; the month's record is staged in one database
//! transaction, the files are written all or nothing, and only then is the record committed:
//! a failed step leaves the output folder and the history as they were.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use gonggu_core::catalog::ReportKind;
use gonggu_core::changes::{ChangeKind, month_changes};
use gonggu_core::compute::{Report, compare_year_start};
use gonggu_core::config::run::{self, Month};
use gonggu_core::history::{self, History, RunInfo};
use gonggu_core::model::Dataset;
use gonggu_core::pipeline;
use gonggu_core::region::Level;
use gonggu_core::validate::{self, CheckParams};
use gonggu_render::package::{self, DocFormats, IndicatorFormat, PdfOptions};
use gonggu_render::quality::ListOptions;

use crate::args::{CommonArgs, RunArgs};
use crate::cmd::evaluate::has_records;
use crate::common::{Texts, note, read_dataset};
use crate::resolve::{self, ReportPlan};
use crate::write::Outputs;

/// Runs one step; its failure names the step. Debug builds fail the step named by
/// `GONGGU_TEST_FAIL_STEP`, so the tests can break a run between steps.
fn step<T>(label: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    #[cfg(debug_assertions)]
    if std::env::var("GONGGU_TEST_FAIL_STEP").is_ok_and(|s| s == label) {
        bail!(
            "「{label}」这一步失败：测试用的强制失败（GONGGU_TEST_FAIL_STEP）。本月没有写出任何文件，历史库未改动。"
        );
    }
    f().with_context(|| format!("「{label}」这一步失败，本月没有写出任何文件，历史库未改动"))
}

/// Months in the brief's trend chart (this one and up to eleven recorded before it).
const TREND_MONTHS: usize = 12;

/// Where last month's figures come from.
enum Previous {
    None,
    Recorded(Box<Report>),
    Files(Vec<PathBuf>),
}

pub fn run(a: &RunArgs) -> Result<ExitCode> {
    let loaded = resolve::config(a.config.as_deref())?;
    let Some(config_path) = loaded.path.clone() else {
        bail!(
            "当前目录没有 gonggu.toml：请先运行 gonggu init，在其中的 [run] 写明每月输入文件的位置，或用 --config 指定配置文件"
        );
    };
    let cfg = &loaded.config.run;
    let base = config_path.parent().unwrap_or(Path::new("")).to_path_buf();
    let level = match cfg.level.as_deref().unwrap_or("county") {
        "county" => Level::County,
        "town" => Level::Town,
        other => bail!(
            "{}：[run] level 的值「{other}」无效，请写 county（按县排名）或 town（按乡镇排名）",
            config_path.display()
        ),
    };
    let documents = cfg.documents()?;
    let (pdf, docx) = cfg.formats()?;
    let patterns = cfg.input_patterns();
    let month = match a.month {
        Some(m) => m,
        None => run::latest_month(&base, &patterns)?.with_context(|| {
            format!("没有找到任何月份的输入文件（[run] inputs：{}）。请把当月导出的文件放进对应的文件夹，或在命令中写明月份", patterns.join("，"))
        })?,
    };
    let expand =
        |ps: &[String], m: Month| -> Vec<String> { ps.iter().map(|p| m.expand(p)).collect() };
    let files = |ps: &[String]| -> Result<Vec<PathBuf>> {
        Ok(run::find(&base, ps)?.into_iter().map(|(p, _)| p).collect())
    };
    let inputs = files(&expand(&patterns, month))?;
    if inputs.is_empty() {
        bail!(
            "{month} 没有输入文件：按 [run] inputs 查找 {}，一个也没有找到",
            expand(&patterns, month).join("，")
        );
    }
    let out_dir = base.join(month.expand(cfg.out_pattern()));
    let as_of = month.last_day();
    eprintln!(
        "gonggu run {month}：统计截止日期 {as_of}，读取 {} 个文件",
        inputs.len()
    );

    let common = CommonArgs {
        inputs: inputs.clone(),
        as_of: Some(as_of),
        previous: Vec::new(),
        previous_as_of: None,
        config: Some(config_path.clone()),
        catalog: None,
        strict: a.read.strict,
        reveal_pii: a.read.reveal_pii,
    };
    let plan = ReportPlan::new(&common, level, ReportKind::Compute, &[])?.keeping_texts();
    let (ds, _) = step("读取输入", || plan.read())?;
    step("读取输入", || Ok(pipeline::require_data(&ds)?))?;

    // Last month: configured files win, then the history, then last month's folder.
    let db_path = base.join(history::FILE_NAME);
    warn_if_network_share(&db_path);
    // Opened only when it exists: a run that fails never leaves a new database behind.
    let existing = if db_path.is_file() {
        Some(History::open(&db_path)?)
    } else {
        None
    };
    let last = month.previous();
    let configured = files(&expand(&cfg.previous, month))?;
    let folder = files(&expand(&patterns, last))?;
    let previous = if !configured.is_empty() {
        Previous::Files(configured)
    } else if let Some(r) = match &existing {
        Some(db) => db.report(last, level)?,
        None => None,
    } {
        Previous::Recorded(Box::new(r))
    } else if !folder.is_empty() {
        Previous::Files(folder.clone())
    } else {
        Previous::None
    };
    let prev_files = match &previous {
        Previous::Files(f) => f.clone(),
        _ => folder,
    };
    let prev_ds: Option<Dataset> = if prev_files.is_empty() {
        None
    } else {
        Some(step("读取上月数据", || {
            read_dataset(
                &prev_files,
                &plan.config,
                a.read.strict,
                plan.pii,
                Texts::Skip,
            )
        })?)
    };
    // 年初: the last recorded month of the previous year (较年初 beside 较上月).
    let year_start: Option<(Month, Report)> = match &existing {
        Some(db) => {
            let start = db
                .months()?
                .into_iter()
                .filter(|r| r.level == level.id() && r.month.year < month.year)
                .map(|r| r.month)
                .max();
            match start {
                Some(m) => db.report(m, level)?.map(|r| (m, r)),
                None => None,
            }
        }
        None => None,
    };
    let report_for = |kind: ReportKind| -> Result<Report> {
        let s = pipeline::Settings::new(level, as_of, &plan.config, &plan.catalog, kind, &[])?;
        let prev = match (&previous, &prev_ds) {
            (Previous::Recorded(r), _) => Some((**r).clone()),
            (Previous::Files(_), Some(p)) => Some(
                pipeline::build(p, &plan.catalog, &s.at(last.last_day()), None)
                    .context("上月数据")?,
            ),
            _ => None,
        };
        let mut report = pipeline::build(&ds, &plan.catalog, &s, prev.as_ref())?;
        if let Some((m, base)) = &year_start {
            compare_year_start(&mut report, base, &m.label());
        }
        Ok(report)
    };

    let compute = step("指标计算", || report_for(ReportKind::Compute))?;
    for n in &compute.notes {
        note(n);
    }
    let wants = |d: &str| documents.contains(&d);
    let mut out = Outputs::default();
    let prefix = package::period_prefix(&compute);
    let check = step("数据质量核查", || {
        let params = CheckParams::defaults(as_of)?.with_config(&plan.config);
        Ok(validate::run_checks(&ds, &params)?)
    })?;
    if wants("check") {
        let (key, key_note) = resolve::check_key(&plan.config);
        if let Some(n) = key_note {
            note(&n);
        }
        let opts = ListOptions {
            pii: plan.pii,
            ..ListOptions::new(&key)
        };
        let lists = step("数据质量核查", || {
            Ok(package::check_lists(
                &ds,
                &check,
                &opts,
                Path::new(&format!("{prefix}数据质量核查清单.xlsx")),
            )?)
        })?;
        out.add_package(&out_dir, lists);
    }
    if wants("json") {
        let json = step("指标数据", || {
            Ok(package::indicators(&compute, IndicatorFormat::Json)?)
        })?;
        out.add(out_dir.join(format!("{prefix}指标.json")), json);
    }
    let needs_fonts = ["notice", "brief", "evaluate"].iter().any(|d| wants(d));
    let fonts = if needs_fonts {
        Some(resolve::fonts(&plan.config, &a.fonts)?)
    } else {
        None
    };
    let formats = DocFormats { pdf, docx };
    let mut first = None;
    if let Some(fonts) = &fonts {
        let pdf = PdfOptions {
            fonts,
            emit_typst: false,
        };
        if wants("notice") {
            let files = step("通报", || {
                let r = report_for(ReportKind::Notice)?;
                Ok(package::notice(&r, &ds, &plan.config, pdf, true, formats)?)
            })?;
            first = files
                .files
                .iter()
                .find(|f| {
                    f.path
                        .extension()
                        .is_some_and(|e| e == "pdf" || e == "docx")
                })
                .map(|f| out_dir.join(&f.path));
            out.add_package(&out_dir, files);
        }
        if wants("brief") {
            let files = step("简报", || {
                let mut r = report_for(ReportKind::Brief)?;
                if let Some(db) = &existing {
                    r.trend = db.trend(&r, month, TREND_MONTHS)?;
                }
                let name = package::brief_file_name(&r);
                Ok(package::brief(
                    &r,
                    &plan.config,
                    pdf,
                    Path::new(&name),
                    formats,
                )?)
            })?;
            out.add_package(&out_dir, files);
        }
        if wants("evaluate") {
            let files = step("后评估", || {
                let r = report_for(ReportKind::Evaluate)?;
                let quality = has_records(&ds).then_some(&check);
                Ok(package::evaluation(
                    &r,
                    &ds,
                    quality,
                    &plan.config,
                    pdf,
                    formats,
                )?)
            })?;
            out.add_package(&out_dir, files);
        }
    }
    let order: Vec<String> = compute.rows.iter().map(|r| r.region.clone()).collect();
    let changes = month_changes(
        &ds,
        prev_ds.as_ref(),
        month,
        &compute.parent,
        &order,
        plan.pii,
    );
    if wants("changes") {
        let bytes = step("变动名单", || {
            Ok(gonggu_render::changes::changes_workbook(&changes)?)
        })?;
        out.add(
            out_dir.join(format!("{prefix}监测对象变动名单.xlsx")),
            bytes,
        );
    }

    // Record, write, commit: the files and the record land together or not at all.
    let info = RunInfo {
        month,
        catalog_fingerprint: history::fingerprint(
            format!("{:?}{:?}", plan.catalog.indicators, plan.catalog.params).as_bytes(),
        ),
        inputs: inputs
            .iter()
            .map(|p| {
                let fp = std::fs::read(p)
                    .map(|b| history::fingerprint(&b))
                    .unwrap_or_default();
                (relative(p, &base), fp)
            })
            .collect(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let created = existing.is_none();
    let mut db = match existing {
        Some(db) => db,
        None => step("记入历史库", || Ok(History::open(&db_path)?))?,
    };
    let pending = step("记入历史库", || Ok(db.record(&info, &compute)?))?;
    let written = match step("写出文件", || out.write_quietly(&plan.reads())) {
        Ok(w) => w,
        Err(e) => {
            drop(pending);
            drop(db);
            if created {
                let _ = std::fs::remove_file(&db_path);
            }
            return Err(e);
        }
    };
    pending
        .commit()
        .context("「记入历史库」这一步失败：文稿已写出，但本月未记入历史库；请重新运行本月")?;

    summary(&Summary {
        month,
        inputs: &inputs,
        base: &base,
        previous: &previous,
        last,
        overview: validate::overview_lines(&check).into_iter().next(),
        findings: check.findings.len(),
        changes: [
            ChangeKind::Identified,
            ChangeKind::Eliminated,
            ChangeKind::Left,
        ]
        .map(|k| changes.count(k)),
        compared: changes.compared,
        written: &written,
        out_dir: &out_dir,
        units: compute.rows.iter().filter(|r| r.has_data).count(),
        indicators: compute.indicators.len(),
        db: &db_path,
        first: first.as_deref(),
    });
    Ok(ExitCode::SUCCESS)
}

/// A path as the user sees it, relative to the folder of gonggu.toml.
fn relative(p: &Path, base: &Path) -> String {
    p.strip_prefix(base).unwrap_or(p).display().to_string()
}

/// SQLite's locks are unreliable on a network share: say so, suggest a local folder.
fn warn_if_network_share(db: &Path) {
    let absolute = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    if let Some(share) = history::network_share(&absolute, &mounts) {
        note(&format!(
            "历史库 {} 位于{share}上。SQLite 数据库在网络共享上可能因加锁不可靠而损坏：建议把 gonggu.toml、数据和 gonggu.db 放在本机磁盘的文件夹中，需要共享时复制文稿。",
            absolute.display()
        ));
    }
}

struct Summary<'a> {
    month: Month,
    inputs: &'a [PathBuf],
    base: &'a Path,
    previous: &'a Previous,
    last: Month,
    overview: Option<String>,
    findings: usize,
    changes: [usize; 3],
    compared: bool,
    written: &'a [PathBuf],
    out_dir: &'a Path,
    units: usize,
    indicators: usize,
    db: &'a Path,
    first: Option<&'a Path>,
}

/// One summary at the end: what was read, the findings, the documents, what to open.
fn summary(s: &Summary) {
    let mut lines = vec![String::new(), format!("{} 月度运行完成。", s.month)];
    let names: Vec<String> = s.inputs.iter().map(|p| relative(p, s.base)).collect();
    lines.push(format!(
        "读取：{} 个文件（{}）",
        names.len(),
        names.join("、")
    ));
    lines.push(match s.previous {
        Previous::Recorded(_) => format!("上月对比：取自历史库中 {} 的记录", s.last),
        Previous::Files(f) => format!("上月对比：取自上月文件（{} 个）", f.len()),
        Previous::None => format!("上月对比：无（历史库中没有 {}，也没有上月文件）", s.last),
    });
    lines.push(match &s.overview {
        Some(o) if s.findings > 0 => {
            format!("数据质量核查：{o}请核实（见核查清单；不影响本月文稿）")
        }
        _ => "数据质量核查：未发现疑似问题".to_string(),
    });
    let [new, eliminated, left] = s.changes;
    let left = if s.compared {
        format!("{left} 户")
    } else {
        "未比对（无上月文件）".into()
    };
    lines.push(format!(
        "本月变动：新识别 {new} 户，风险消除 {eliminated} 户，退出监测 {left}"
    ));
    lines.push(format!(
        "已写出 {} 个文件到 {}：",
        s.written.len(),
        s.out_dir.display()
    ));
    for p in s.written {
        lines.push(format!(
            "  {}",
            p.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
    }
    lines.push(format!(
        "历史库：已记录 {}（{} 个地区，{} 项指标和度量）到 {}",
        s.month,
        s.units,
        s.indicators,
        s.db.display()
    ));
    if let Some(f) = s.first {
        lines.push(format!("请先打开：{}", f.display()));
    }
    eprintln!("{}", lines.join("\n"));
}
