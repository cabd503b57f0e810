//! The one resolve step: flags and `gonggu.toml` become what a command runs with — the
//! configuration, the catalog, the report settings, the previous period and the paths it
//! reads — once, before any work (ripgrep's `LowArgs` → `HiArgs`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use gonggu_core::catalog::{Catalog, ReportKind};
use gonggu_core::compute::Report;
use gonggu_core::config::Config;
use gonggu_core::error::io_reason;
use gonggu_core::mask::Pii;
use gonggu_core::model::Dataset;
use gonggu_core::pipeline::{self, Settings};
use gonggu_core::region::Level;
use gonggu_core::text::end_of_previous_month;
use gonggu_render::pdf::Fonts;

use crate::args::{CommonArgs, DocLevelArg, FontArgs, LevelArg};
use crate::common::{note, read_dataset};

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Level {
        match l {
            LevelArg::County => Level::County,
            LevelArg::Town => Level::Town,
            LevelArg::Village => Level::Village,
        }
    }
}

impl From<DocLevelArg> for Level {
    fn from(l: DocLevelArg) -> Level {
        match l {
            DocLevelArg::County => Level::County,
            DocLevelArg::Town => Level::Town,
        }
    }
}

/// A loaded configuration and the file it came from (`--config`, else `./gonggu.toml`
/// when present, else none: defaults).
pub struct LoadedConfig {
    /// The configuration.
    pub config: Config,
    /// Its file, if one was read.
    pub path: Option<PathBuf>,
}

/// Loads `--config`, else `./gonggu.toml` when present, else defaults.
pub fn config(path: Option<&Path>) -> Result<LoadedConfig> {
    let path = match path {
        Some(p) => Some(p.to_path_buf()),
        None => Some(PathBuf::from("gonggu.toml")).filter(|p| p.is_file()),
    };
    let config = match &path {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    Ok(LoadedConfig { config, path })
}

/// The indicator catalog: `--catalog`, else `catalog` of the config, else built in; with
/// the file it came from.
pub fn catalog(flag: Option<&Path>, config: &Config) -> Result<(Catalog, Option<PathBuf>)> {
    let path = flag
        .map(Path::to_path_buf)
        .or_else(|| config.catalog.clone());
    match path {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| anyhow!("无法读取指标目录文件 {}：{}", p.display(), io_reason(&e)))?;
            Ok((
                Catalog::from_toml(&text, &p.display().to_string())?,
                Some(p),
            ))
        }
        None => Ok((Catalog::builtin()?, None)),
    }
}

/// The as-of date: flag, config, else today (with a note).
pub fn as_of(flag: Option<NaiveDate>, config: &Config) -> NaiveDate {
    if let Some(d) = flag.or_else(|| config.as_of_date()) {
        return d;
    }
    let today = chrono::Local::now().date_naive();
    note(&format!(
        "未指定统计截止日期（--as-of 或配置文件 as_of），按今天 {} 计算。",
        today.format("%Y-%m-%d")
    ));
    today
}

/// Personal data in outputs and messages: masked unless `--reveal-pii`.
pub fn pii(reveal: bool) -> Pii {
    if reveal { Pii::Revealed } else { Pii::Masked }
}

/// Fonts from the system (unless `--system-fonts 0` / `GONGGU_SYSTEM_FONTS=0`), `[fonts]
/// dirs` and `--font-dir`.
pub fn fonts(config: &Config, args: &FontArgs) -> Result<Fonts> {
    Ok(gonggu_render::package::load_fonts(
        config,
        &args.font_dir,
        args.system_fonts,
    )?)
}

/// Everything a report command (compute, notice, brief, evaluate) runs with.
pub struct ReportPlan {
    /// The configuration.
    pub config: Config,
    /// The indicator catalog in use.
    pub catalog: Catalog,
    /// Settings of this period's report.
    pub settings: Settings,
    /// This period's inputs.
    pub inputs: Vec<PathBuf>,
    /// Last period's inputs and as-of date, when given.
    pub previous: Option<(Vec<PathBuf>, NaiveDate)>,
    /// `--strict`.
    pub strict: bool,
    /// Personal data in messages: masked unless `--reveal-pii`.
    pub pii: Pii,
    /// Every file the command reads besides the inputs (config, catalog): never an output.
    pub other_reads: Vec<PathBuf>,
}

/// What a report command computed.
pub struct Prepared {
    /// This period's data.
    pub dataset: Dataset,
    /// The report (with the previous period folded in when given).
    pub report: Report,
}

impl ReportPlan {
    /// Resolves the common flags of a report command.
    pub fn new(
        common: &CommonArgs,
        level: Level,
        kind: ReportKind,
        explicit: &[String],
    ) -> Result<ReportPlan> {
        check_inputs_exist(&common.inputs)?;
        check_inputs_exist(&common.previous)?;
        let LoadedConfig { config, path } = config(common.config.as_deref())?;
        let (catalog, catalog_path) = catalog(common.catalog.as_deref(), &config)?;
        let as_of = as_of(common.as_of, &config);
        let settings = Settings::new(level, as_of, &config, &catalog, kind, explicit)?;
        let previous = if common.previous.is_empty() {
            if common.previous_as_of.is_some() {
                bail!("给出了 --previous-as-of，但没有给出上期数据文件（--previous）");
            }
            None
        } else {
            let prev_as_of = common
                .previous_as_of
                .unwrap_or_else(|| end_of_previous_month(as_of));
            Some((common.previous.clone(), prev_as_of))
        };
        Ok(ReportPlan {
            config,
            catalog,
            settings,
            inputs: common.inputs.clone(),
            previous,
            strict: common.strict,
            pii: pii(common.reveal_pii),
            other_reads: path.into_iter().chain(catalog_path).collect(),
        })
    }

    /// Every path the command reads: never to be overwritten by an output.
    pub fn reads(&self) -> Vec<PathBuf> {
        let mut all = self.inputs.clone();
        if let Some((prev, _)) = &self.previous {
            all.extend(prev.iter().cloned());
        }
        all.extend(self.other_reads.iter().cloned());
        all
    }

    /// Reads the inputs (and last period's) and builds the report.
    pub fn prepare(&self) -> Result<Prepared> {
        let previous = match &self.previous {
            Some((inputs, prev_as_of)) => {
                let ds = read_dataset(inputs, &self.config, self.strict, self.pii)
                    .context("读取上期数据失败")?;
                Some(pipeline::build(
                    &ds,
                    &self.catalog,
                    &self.settings.at(*prev_as_of),
                    None,
                )?)
            }
            None => None,
        };
        let dataset = read_dataset(&self.inputs, &self.config, self.strict, self.pii)?;
        let report = pipeline::build(&dataset, &self.catalog, &self.settings, previous.as_ref())?;
        for n in &report.notes {
            note(n);
        }
        Ok(Prepared { dataset, report })
    }
}

/// An input that cannot be read is an error before any work, worded alike in every
/// command: missing, a folder, not readable.
pub fn check_inputs_exist(inputs: &[PathBuf]) -> Result<()> {
    for p in inputs {
        if p.is_dir() {
            bail!(
                "无法读取输入文件 {}：这是一个文件夹，不是文件（请写出其中的文件，如 {}/*.xlsx）",
                p.display(),
                p.display()
            );
        }
        if let Err(e) = std::fs::File::open(p) {
            bail!("无法读取输入文件 {}：{}", p.display(), io_reason(&e));
        }
    }
    Ok(())
}
