//! What every command shares: configuration, as-of date, reading inputs with a progress
//! indicator, building reports, and writing outputs atomically.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use gonggu_core::catalog::Catalog;
use gonggu_core::compute::{Report, WarningConfig};
use gonggu_core::config::{Config, parse_date_setting};
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::model::Dataset;
use gonggu_core::pipeline::{self, Settings};
use gonggu_core::region::Level;
use indicatif::{ProgressBar, ProgressStyle};
use rust_decimal::Decimal;

use crate::args::{CommonArgs, LevelArg};

/// Default monitoring line when neither config nor catalog says otherwise (元).
pub const DEFAULT_MONITORING_LINE: i64 = 7500;

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Level {
        match l {
            LevelArg::County => Level::County,
            LevelArg::Town => Level::Town,
            LevelArg::Village => Level::Village,
        }
    }
}

/// Prints a note for the user on standard error.
pub fn note(text: &str) {
    eprintln!("提示：{text}");
}

/// Loads `--config`, else `./gonggu.toml` when present, else defaults.
pub fn load_config(path: Option<&Path>) -> Result<Config> {
    match path {
        Some(p) => Ok(Config::load(p)?),
        None => {
            let default = Path::new("gonggu.toml");
            if default.is_file() {
                Ok(Config::load(default)?)
            } else {
                Ok(Config::default())
            }
        }
    }
}

/// The as-of date: flag, config, else today (with a note).
pub fn resolve_as_of(flag: Option<&str>, config: &Config) -> Result<NaiveDate> {
    if let Some(f) = flag {
        return Ok(parse_date_setting(f, "命令行", "--as-of")?);
    }
    if let Some(d) = config.as_of_date() {
        return Ok(d);
    }
    let today = chrono::Local::now().date_naive();
    note(&format!(
        "未指定统计截止日期（--as-of 或配置文件 as_of），按今天 {} 计算。",
        today.format("%Y-%m-%d")
    ));
    Ok(today)
}

/// The last day of the month before `d`.
pub fn end_of_previous_month(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(d)
}

fn progress_bar(label: &str) -> Option<ProgressBar> {
    // Only for a person watching: not when output is piped or redirected, not in CI.
    let interactive = std::io::stderr().is_terminal()
        && std::io::stdout().is_terminal()
        && std::env::var_os("CI").is_none();
    if !interactive {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]") {
        bar.set_style(style);
    }
    bar.set_message(label.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

/// Reads input files into a dataset, with a progress spinner on a terminal.
pub fn read_dataset(inputs: &[PathBuf], config: &Config, strict: bool) -> Result<Dataset> {
    let bar = progress_bar("正在读取输入文件");
    let progress: Option<Box<dyn Fn(u64) + Send + Sync>> = bar.clone().map(|b| {
        Box::new(move |n: u64| b.set_message(format!("正在读取输入文件：已读 {n} 行")))
            as Box<dyn Fn(u64) + Send + Sync>
    });
    let opts = ReadOptions {
        aliases: config.aliases.clone(),
        region_aliases: config.region_aliases.clone(),
        region_name: config.region.name.clone(),
        region_code: config.region.code.clone(),
        region_codes: config.region_codes.clone(),
        strict,
        progress,
    };
    let ds = read_inputs(inputs, &opts);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(ds?)
}

/// The indicator catalog: `--catalog`, config `catalog`, else built in.
pub fn load_catalog(flag: Option<&Path>, config: &Config) -> Result<Catalog> {
    let path = flag
        .map(Path::to_path_buf)
        .or_else(|| config.catalog.clone());
    match path {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("无法读取指标目录文件 {}", p.display()))?;
            Ok(Catalog::from_toml(&text, &p.display().to_string())?)
        }
        None => Ok(Catalog::builtin()?),
    }
}

/// Everything a computing command resolved from flags and config.
pub struct Prepared {
    /// Configuration.
    pub config: Config,
    /// Current period's data.
    pub dataset: Dataset,
    /// The report (with previous period folded in when given).
    pub report: Report,
}

/// Reads, computes and compares: the shared front half of compute/notice/brief/evaluate.
pub fn prepare(
    common: &CommonArgs,
    level: Level,
    report_kind: &str,
    explicit: &[String],
) -> Result<Prepared> {
    let config = load_config(common.config.as_deref())?;
    let catalog = load_catalog(common.catalog.as_deref(), &config)?;
    let as_of = resolve_as_of(common.as_of.as_deref(), &config)?;
    let configured = match report_kind {
        "notice" => config.reports.notice.clone(),
        "brief" => config.reports.brief.clone(),
        "evaluate" => config.reports.evaluate.clone(),
        _ => config.reports.compute.clone(),
    };
    let selection = if !explicit.is_empty() {
        explicit.to_vec()
    } else {
        configured.unwrap_or_else(|| catalog.selection(report_kind))
    };
    let monitoring_line = config
        .monitoring_line
        .or_else(|| catalog.param_defaults().get("monitoring_line").copied())
        .unwrap_or(Decimal::from(DEFAULT_MONITORING_LINE));
    let mut warning = WarningConfig::default();
    if let Some(p) = config.warning.yellow_margin_points {
        warning.yellow_points = p;
    }
    let settings = |as_of| Settings {
        level,
        as_of,
        region_name: config.region.name.clone(),
        order: config.region.order.clone(),
        monitoring_line,
        selection: selection.clone(),
        warning: warning.clone(),
        target_overrides: config.targets.clone(),
    };
    check_inputs_exist(&common.inputs)?;
    let previous = if common.previous.is_empty() {
        if common.previous_as_of.is_some() {
            bail!("给出了 --previous-as-of，但没有给出上期数据文件（--previous）");
        }
        None
    } else {
        check_inputs_exist(&common.previous)?;
        let prev_as_of = match &common.previous_as_of {
            Some(d) => parse_date_setting(d, "命令行", "--previous-as-of")?,
            None => end_of_previous_month(as_of),
        };
        let prev_ds =
            read_dataset(&common.previous, &config, common.strict).context("读取上期数据失败")?;
        Some(pipeline::build(
            &prev_ds,
            &catalog,
            &settings(prev_as_of),
            None,
        )?)
    };
    let dataset = read_dataset(&common.inputs, &config, common.strict)?;
    let report = pipeline::build(&dataset, &catalog, &settings(as_of), previous.as_ref())?;
    for n in &report.notes {
        note(n);
    }
    // Reports carry aggregates only; --reveal-pii has nothing to reveal here.
    Ok(Prepared {
        config,
        dataset,
        report,
    })
}

fn check_inputs_exist(inputs: &[PathBuf]) -> Result<()> {
    for p in inputs {
        if !p.exists() {
            bail!("输入文件不存在：{}", p.display());
        }
    }
    Ok(())
}

/// Files rendered in memory, written only when all rendered.
#[derive(Default)]
pub struct Outputs {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Outputs {
    /// Queues a file.
    pub fn add(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.push((path, bytes));
    }

    /// Refuses outputs that would overwrite an input, then writes every file atomically
    /// (temporary file in the same directory, then rename). Prints each path written.
    pub fn write(self, inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
        for (path, _) in &self.files {
            refuse_input(path, inputs)?;
        }
        let mut written = Vec::new();
        for (path, bytes) in self.files {
            write_atomic(&path, &bytes)?;
            eprintln!("已写出 {}", path.display());
            written.push(path);
        }
        Ok(written)
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Refuses an output path that equals an input path.
pub fn refuse_input(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    if inputs.iter().any(|i| same_file(out, i)) {
        bail!(
            "输出文件 {} 与输入文件相同：gonggu 从不修改输入文件，请换一个输出路径",
            out.display()
        );
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, renamed
/// over the target only when complete.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".gonggu-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .with_context(|| format!("无法在 {} 中创建临时文件", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("写入 {} 失败", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("无法写出 {}", path.display()))?;
    Ok(())
}

/// Loads fonts from the system, `[fonts] dirs` and `--font-dir`.
pub fn load_fonts(font_dirs: &[PathBuf], config: &Config) -> Result<gonggu_render::pdf::Fonts> {
    let mut extra_dirs = font_dirs.to_vec();
    extra_dirs.extend(config.fonts.dirs.iter().cloned());
    // GONGGU_SYSTEM_FONTS=0 ignores installed fonts (only --font-dir and [fonts] dirs):
    // how a machine without Chinese fonts behaves, for tests and for checking a font dir.
    let system = std::env::var("GONGGU_SYSTEM_FONTS").map_or(true, |v| v != "0");
    Ok(gonggu_render::pdf::Fonts::load(
        &gonggu_render::pdf::FontOptions { extra_dirs, system },
    )?)
}

/// Font roles: defaults, overridden by `[fonts]`.
pub fn font_roles(config: &Config) -> gonggu_render::pdf::FontRoles {
    let mut roles = gonggu_render::pdf::FontRoles::default();
    let f = &config.fonts;
    for (slot, over) in [
        (&mut roles.title, &f.title),
        (&mut roles.body, &f.body),
        (&mut roles.heading, &f.heading),
        (&mut roles.kai, &f.kai),
    ] {
        if let Some(list) = over {
            let mut merged = list.clone();
            merged.extend(slot.iter().cloned());
            *slot = merged;
        }
    }
    roles
}

/// The parent as a title word: nothing when it is only the fallback `合计`.
fn region_word(parent: &str) -> &str {
    if parent == "合计" { "" } else { parent }
}

/// `{地区}巩固拓展脱贫攻坚成果主要指标通报表`, or the configured title.
pub fn table_title(config: &Config, parent: &str) -> String {
    config
        .document
        .title
        .clone()
        .unwrap_or_else(|| "{地区}巩固拓展脱贫攻坚成果主要指标通报表".into())
        .replace("{地区}", region_word(parent))
}

/// The official-document parts of a notice from `[document]`, with sensible defaults.
pub fn document_meta(
    config: &Config,
    report: &Report,
    table_title: &str,
) -> gonggu_render::documents::DocumentMeta {
    let d = &config.document;
    let office = d
        .issuing_office
        .clone()
        .unwrap_or_else(|| format!("{}巩固拓展脱贫攻坚成果领导小组办公室", report.parent));
    gonggu_render::documents::DocumentMeta {
        issuing_office: office.clone(),
        document_number: d.document_number.clone().unwrap_or_default(),
        recipients: d.recipients.clone(),
        signature: d.signature.clone().unwrap_or_else(|| office.clone()),
        issue_date: config.issue_date().unwrap_or(report.as_of),
        cc: d.cc.clone(),
        printer: d.printer.clone().unwrap_or(office),
        table_title: table_title.to_string(),
        block_size: config.reports.block_size.unwrap_or(3),
        templates_dir: config.templates.clone(),
    }
}

/// `商丘市2021年11月`: the period prefix of output file names.
pub fn period_prefix(report: &Report) -> String {
    format!(
        "{}{}年{}月",
        region_word(&report.parent),
        report.as_of.year(),
        report.as_of.month()
    )
}

/// The data-source footnote: which tables were read, and the as-of date.
pub fn source_note(ds: &Dataset, as_of: NaiveDate) -> String {
    let mut files: Vec<String> = Vec::new();
    for s in &ds.sources {
        let name = Path::new(&s.file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| s.file.clone());
        let label = format!("{}（{}）", name, s.kind.label());
        if !files.contains(&label) {
            files.push(label);
        }
    }
    format!(
        "{}；统计截止 {}",
        files.join("、"),
        as_of.format("%Y年%-m月%-d日")
    )
}
