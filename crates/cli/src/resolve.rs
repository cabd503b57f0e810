//! The one resolve step: flags and `gonggu.toml` become what a command runs with — the
//! configuration, the catalog, the report settings, the previous period and the paths it
//! reads — once, before any work (ripgrep's `LowArgs` → `HiArgs`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use gonggu_core::catalog::{Catalog, ReportKind};
use gonggu_core::compute::Report;
use gonggu_core::config::Config;
use gonggu_core::error::io_reason;
use gonggu_core::ingest::{is_stdin, stated_date};
use gonggu_core::mask::Pii;
use gonggu_core::model::Dataset;
use gonggu_core::pipeline::{self, Settings};
use gonggu_core::region::Level;
use gonggu_core::text::end_of_previous_month;
use gonggu_render::package::DocFormats;
use gonggu_render::pdf::Fonts;
use gonggu_render::quality::CheckKey;

use crate::args::{CommonArgs, DocFormatArg, DocFormatArgs, DocLevelArg, FontArgs, LevelArg};
use crate::common::{Texts, note, read_both, read_dataset};

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

/// The as-of date (SPEC §7): `--as-of`, else `as_of` of the config, else the data date the
/// inputs' title rows state (数据截至 / 数据日期, then 截至, then 导出时间), else today. A
/// note says which, and when the inputs state another date than the one used. `ds` is
/// `None` for a command that reads no data (`template`).
pub fn as_of(flag: Option<NaiveDate>, config: &Config, ds: Option<&Dataset>) -> NaiveDate {
    let stated = ds.and_then(stated_date);
    if let Some(d) = flag.or_else(|| config.as_of_date()) {
        if let Some(s) = stated.filter(|s| s.date != d) {
            note(&format!(
                "{}为 {}，与指定的统计截止日期 {d} 不同；按 {d} 计算。",
                s.from, s.date
            ));
        }
        return d;
    }
    if let Some(s) = stated {
        note(&format!(
            "未指定统计截止日期（--as-of 或配置文件 as_of），采用{}：{}。",
            s.from, s.date
        ));
        if let Some(d) = &s.disagreement {
            note(d);
        }
        return s.date;
    }
    let today = chrono::Local::now().date_naive();
    let titles = if ds.is_some() {
        "输入文件的标题中也没有数据日期，"
    } else {
        ""
    };
    note(&format!(
        "未指定统计截止日期（--as-of 或配置文件 as_of），{titles}按今天 {} 计算。",
        today.format("%Y-%m-%d")
    ));
    today
}

/// The previous period's as-of date: `--previous-as-of`, else the data date its own inputs'
/// title rows state, else the last day of the month before `as_of`.
fn previous_as_of(flag: Option<NaiveDate>, ds: &Dataset, as_of: NaiveDate) -> NaiveDate {
    if let Some(d) = flag {
        return d;
    }
    match stated_date(ds) {
        Some(s) => {
            note(&format!(
                "上期数据的统计截止日期采用{}：{}。",
                s.from, s.date
            ));
            if let Some(d) = &s.disagreement {
                note(&format!("上期数据：{d}"));
            }
            s.date
        }
        None => end_of_previous_month(as_of),
    }
}

/// Personal data in outputs and messages: masked unless `--reveal-pii`.
pub fn pii(reveal: bool) -> Pii {
    if reveal { Pii::Revealed } else { Pii::Masked }
}

/// The forms `--format pdf,docx` asks for.
pub fn doc_formats(args: &DocFormatArgs) -> DocFormats {
    DocFormats {
        pdf: args.format.contains(&DocFormatArg::Pdf),
        docx: args.format.contains(&DocFormatArg::Docx),
    }
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
    /// Settings of this period's report; its as-of date is settled by [`prepare`](Self::prepare)
    /// when neither `--as-of` nor the config gives one.
    pub settings: Settings,
    /// `--as-of`.
    as_of_flag: Option<NaiveDate>,
    /// This period's inputs.
    pub inputs: Vec<PathBuf>,
    /// Last period's inputs and `--previous-as-of`, when given.
    pub previous: Option<(Vec<PathBuf>, Option<NaiveDate>)>,
    /// `--strict`.
    pub strict: bool,
    /// Personal data in messages: masked unless `--reveal-pii`.
    pub pii: Pii,
    /// Whether this period's read keeps the text-only columns the check rules read.
    pub texts: Texts,
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
        if common.inputs.iter().any(|p| is_stdin(p)) && common.previous.iter().any(|p| is_stdin(p))
        {
            bail!(
                "本期数据和上期数据（--previous）都写了「-」（标准输入），而标准输入只能读取一次。请把其中一期保存为文件后再运行"
            );
        }
        let LoadedConfig { config, path } = config(common.config.as_deref())?;
        let (catalog, catalog_path) = catalog(common.catalog.as_deref(), &config)?;
        // A provisional date: the data may state the real one (see `prepare`).
        let provisional = common
            .as_of
            .or_else(|| config.as_of_date())
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let settings = Settings::new(level, provisional, &config, &catalog, kind, explicit)?;
        let previous = if common.previous.is_empty() {
            if common.previous_as_of.is_some() {
                bail!("给出了 --previous-as-of，但没有给出上期数据文件（--previous）");
            }
            None
        } else {
            Some((common.previous.clone(), common.previous_as_of))
        };
        Ok(ReportPlan {
            config,
            catalog,
            settings,
            as_of_flag: common.as_of,
            inputs: common.inputs.clone(),
            previous,
            strict: common.strict,
            pii: pii(common.reveal_pii),
            // The evaluation report carries a data-quality section; `gonggu run` checks.
            texts: if kind == ReportKind::Evaluate {
                Texts::Keep
            } else {
                Texts::Skip
            },
            other_reads: path.into_iter().chain(catalog_path).collect(),
        })
    }

    /// Keeps the text-only roster columns, names and phones (a run that also checks the
    /// data or lists persons).
    pub fn keeping_texts(mut self) -> ReportPlan {
        self.texts = Texts::Keep;
        self
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

    /// Reads this period's inputs and settles the as-of date: the dataset and the settings
    /// to count it with.
    pub fn read(&self) -> Result<(Dataset, Settings)> {
        let dataset = read_dataset(
            &self.inputs,
            &self.config,
            self.strict,
            self.pii,
            self.texts,
        )?;
        Ok(self.settle(dataset))
    }

    /// The settings to count a dataset with, at its as-of date.
    fn settle(&self, dataset: Dataset) -> (Dataset, Settings) {
        let as_of = as_of(self.as_of_flag, &self.config, Some(&dataset));
        let settings = self.settings.at(as_of);
        (dataset, settings)
    }

    /// Reads the inputs (and last period's), settles the as-of dates and builds the report.
    pub fn prepare(&self) -> Result<Prepared> {
        let (read, earlier) = match &self.previous {
            Some((inputs, _)) => {
                let (now, earlier) = read_both(
                    &self.inputs,
                    inputs,
                    &self.config,
                    self.strict,
                    self.pii,
                    self.texts,
                );
                (now.map(|ds| self.settle(ds)), Some(earlier))
            }
            None => (self.read(), None),
        };
        let (dataset, settings) = read?;
        let as_of = settings.as_of;
        let previous = match (&self.previous, earlier) {
            (Some((_, flag)), Some(earlier)) => {
                let ds = earlier.context("读取上期数据失败")?;
                let prev_as_of = previous_as_of(*flag, &ds, as_of);
                Some(
                    pipeline::build(&ds, &self.catalog, &settings.at(prev_as_of), None)
                        .context("上期数据")?,
                )
            }
            _ => None,
        };
        let report = pipeline::build(&dataset, &self.catalog, &settings, previous.as_ref())?;
        for n in &report.notes {
            note(n);
        }
        Ok(Prepared { dataset, report })
    }
}

/// An input that cannot be read is an error before any work, worded alike in every
/// command: missing, a folder, not readable.
/// `-` is standard input, read as CSV: it must be piped in, and can be read once.
pub fn check_inputs_exist(inputs: &[PathBuf]) -> Result<()> {
    if inputs.iter().filter(|p| is_stdin(p)).count() > 1 {
        bail!("输入文件中「-」（标准输入）出现了不止一次，而标准输入只能读取一次。请只写一个「-」");
    }
    for p in inputs {
        if is_stdin(p) {
            if std::io::stdin().is_terminal() {
                bail!(
                    "输入文件「-」表示从标准输入读取 CSV，但标准输入没有接上数据。请用管道传入，如：zcat 监测对象信息.csv.gz | gonggu compute - --level county"
                );
            }
            continue;
        }
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

/// The key of the 核查编号: `[check] key`, else the built-in one, with the note to show
/// then (numbers can be worked out from ID numbers; a random key to put in gonggu.toml).
pub fn check_key(config: &Config) -> (CheckKey, Option<String>) {
    if let Some(k) = config.check.key.as_deref() {
        return (CheckKey::new(k), None);
    }
    let suggestion = match random_key() {
        Ok(k) => format!("建议在 gonggu.toml 的 [check] 下加入下面这一行（随机生成；保存后不要改动，也不要外传）：\n  key = \"{k}\"\n加入后，上期用内置密钥生成的编号仍能对应。"),
        Err(_) => "建议在 gonggu.toml 的 [check] 下加入 key = \"一串只有本局知道的随机字符\"（保存后不要改动）。".to_string(),
    };
    let note = format!(
        "gonggu.toml 中没有设置核查编号的密钥（[check] key）：核查编号暂用内置密钥生成，每月不变，但知道证件号码的人可以推算出编号。{suggestion}"
    );
    (CheckKey::builtin(), Some(note))
}

/// A random key for `[check] key`: 32 bytes from the operating system, as hex.
///
/// # Errors
/// When the operating system gives no random bytes.
pub fn random_key() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("无法生成随机密钥：{e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The files of `--returned`: each file as given; for a folder, its workbooks (`.xlsx`,
/// `.xls`, `.ods`, not Office's `~$` lock files), by name. Windows' shells do not expand
/// `上期核查清单/*.xlsx`, so a folder is the easy way there.
///
/// # Errors
/// A path that does not exist or cannot be read, or a folder without workbooks.
pub fn returned_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if !p.is_dir() {
            if let Err(e) = std::fs::File::open(p) {
                bail!("无法读取上期核查清单 {}：{}", p.display(), io_reason(&e));
            }
            out.push(p.clone());
            continue;
        }
        let entries = std::fs::read_dir(p)
            .map_err(|e| anyhow!("无法读取文件夹 {}：{}", p.display(), io_reason(&e)))?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| {
                let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
                let ext = f
                    .extension()
                    .map(|e| e.to_string_lossy().to_ascii_lowercase());
                f.is_file()
                    && name.is_some_and(|n| !n.starts_with("~$") && !n.starts_with('.'))
                    && ext.is_some_and(|e| matches!(e.as_str(), "xlsx" | "xls" | "ods"))
            })
            .collect();
        if found.is_empty() {
            bail!(
                "文件夹 {} 中没有工作簿（.xlsx、.xls 或 .ods）：请放入乡镇发回的核查清单",
                p.display()
            );
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}
