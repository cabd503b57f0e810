//! `gonggu demo`: a synthetic city modelled on 商丘 (ten county-level units), written as the
//! national system exports it, plus every report gonggu makes from it.
//!
//! Layout of `--out DIR`:
//! - `gonggu.toml`: the configuration the reports use (region name, official order, header);
//! - `输入/`: this month's exports (the system's 监测对象信息, 已外出务工信息, 计划外出务工信息
//!   and 行政村信息; projects, loans, targets), a 汇总 computed from them, and `manifest.json`
//!   listing the planted data-quality defects;
//! - `上月输入/`: last month's exports, for the period comparison;
//! - `输出/`: 通报表 + 通报 PDF, 简报, 后评估 workbook + PDF, 核查清单, indicators as JSON.
//!
//! With `--months N` (N > 1) it writes instead N consecutive months of the same city's
//! exports, `数据/2021-09/` … `数据/2021-11/`, and a `gonggu.toml` with a `[run]` section
//! matching them: the folder is ready for `gonggu run`, which makes the documents.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use gonggu_core::catalog::{Catalog, ReportKind};
use gonggu_core::compute::Report;
use gonggu_core::config::Config;
use gonggu_core::mask::Pii;
use gonggu_core::model::Dataset;
use gonggu_core::pipeline::{self, Settings};
use gonggu_core::region::Level;
use gonggu_core::text::end_of_previous_month;
use gonggu_core::validate::{self, CheckParams};
use gonggu_demo::{self as demo, DemoFormat, DemoOptions};
use gonggu_render::package::{self, DocFormats, IndicatorFormat, PdfOptions};
use gonggu_render::quality::ListOptions;

use crate::args::{DemoArgs, DemoFormatArg};
use crate::common::{Texts, note, read_both};
use crate::resolve;
use crate::write::Outputs;

/// What to generate, from the flags.
fn options(a: &DemoArgs, format: DemoFormat, as_of: chrono::NaiveDate) -> DemoOptions {
    DemoOptions {
        households: a.households,
        seed: a.seed,
        as_of,
        format,
        ..DemoOptions::default()
    }
}

/// The demo's reports rank counties.
const LEVEL: Level = Level::County;

/// Writes the generated exports into `dir` (a scratch folder the readers read from) and
/// queues them for `dest`; returns the scratch paths of the tables.
fn stage_inputs(
    data: &demo::DemoData,
    format: DemoFormat,
    dir: &Path,
    dest: &Path,
    out: &mut Outputs,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut tables = Vec::new();
    for f in demo::write_inputs(data, format)? {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.bytes)
            .with_context(|| format!("无法写出临时文件 {}", path.display()))?;
        if !f.name.ends_with(".json") {
            tables.push(path);
        }
        out.add(dest.join(&f.name), f.bytes);
    }
    Ok(tables)
}

/// This month's and last month's data, and how reports are built from them.
struct Month<'a> {
    config: &'a Config,
    catalog: &'a Catalog,
    dataset: Dataset,
    previous: Dataset,
}

impl Month<'_> {
    fn settings(&self, kind: ReportKind) -> Result<Settings> {
        let as_of = self.config.as_of_date().context("示例配置缺少 as_of")?;
        Ok(Settings::new(
            LEVEL,
            as_of,
            self.config,
            self.catalog,
            kind,
            &[],
        )?)
    }

    /// The report of `kind`, compared with last month when `compare`.
    fn report(&self, kind: ReportKind, compare: bool) -> Result<Report> {
        let s = self.settings(kind)?;
        let previous = if compare {
            let at = s.at(end_of_previous_month(s.as_of));
            Some(pipeline::build(&self.previous, self.catalog, &at, None)?)
        } else {
            None
        };
        Ok(pipeline::build(
            &self.dataset,
            self.catalog,
            &s,
            previous.as_ref(),
        )?)
    }
}

pub fn run(a: &DemoArgs) -> Result<ExitCode> {
    let format = match a.format {
        DemoFormatArg::Xlsx => DemoFormat::Xlsx,
        DemoFormatArg::Csv => DemoFormat::Csv,
    };
    if a.months > 1 {
        return months(a, format);
    }
    let this_dir = a.out.join("输入");
    let prev_dir = a.out.join("上月输入");
    let out_dir = a.out.join("输出");
    let config = Config::parse(demo::CONFIG, "gonggu.toml")?;
    let as_of = config.as_of_date().context("示例配置缺少 as_of")?;
    // Without a Chinese font no PDF can be made: say so before anything is written.
    let fonts = resolve::fonts(&config, &a.fonts)?;
    if !fonts.has_cjk() {
        anyhow::bail!(
            "没有找到中文字体，示例的通报、简报和后评估 PDF 无法生成，未写出任何文件。请安装中文字体后重新运行：Debian/Ubuntu 执行 apt-get install fonts-noto-cjk；或用 --font-dir 指定字体目录。"
        );
    }

    eprintln!("正在生成示例数据（{} 户）……", a.households);
    let opts = options(a, format, as_of);
    let data = demo::generate(&opts);
    // Everything is written at the end, all or nothing; the readers read the exports from a
    // scratch folder meanwhile (documents name files by their base names only).
    let scratch = tempfile::tempdir().context("无法创建临时目录")?;
    let mut out = Outputs::default();
    out.add(a.out.join("gonggu.toml"), demo::CONFIG.as_bytes().to_vec());
    let inputs = stage_inputs(
        &data,
        format,
        &scratch.path().join("输入"),
        &this_dir,
        &mut out,
    )?;
    // Last month: the same city before this month's eliminations, project progress,
    // spending and loans.
    let previous = stage_inputs(
        &data.previous_month(),
        format,
        &scratch.path().join("上月输入"),
        &prev_dir,
        &mut out,
    )?;

    let catalog = Catalog::builtin()?;
    let (dataset, earlier) =
        read_both(&inputs, &previous, &config, false, Pii::Masked, Texts::Keep);
    let month = Month {
        config: &config,
        catalog: &catalog,
        dataset: dataset?,
        previous: earlier?,
    };
    let ds = &month.dataset;

    // A 汇总 of this month's figures, as a county would report them upward.
    let parent = config.region.name.as_deref().unwrap_or("合计");
    let line = month.settings(ReportKind::Compute)?.monitoring_line;
    let summary = demo::summary::summary_workbook(ds, LEVEL, as_of, line, parent)?;
    out.add(this_dir.join("汇总（由明细生成）.xlsx"), summary);

    let compute = month.report(ReportKind::Compute, true)?;
    for n in &compute.notes {
        note(n);
    }
    out.add(
        out_dir.join("指标（县级）.json"),
        package::indicators(&compute, IndicatorFormat::Json)?,
    );

    let params = CheckParams::defaults(as_of)?.with_config(&config);
    let check = validate::run_checks(ds, &params)?;
    // The count only: the rule-by-rule list is in the check list itself.
    if let Some(first) = validate::overview_lines(&check).first() {
        eprintln!("数据质量核查：{first}");
    }
    let lists = Path::new("数据质量核查清单.xlsx");
    out.add_package(
        &out_dir,
        package::check_lists(
            ds,
            &check,
            &ListOptions::new(&resolve::check_key(&config).0),
            lists,
        )?,
    );

    let pdf = |emit_typst| PdfOptions {
        fonts: &fonts,
        emit_typst,
    };
    let notice = month.report(ReportKind::Notice, true)?;
    out.add_package(
        &out_dir,
        package::notice(&notice, ds, &config, pdf(true), true, DocFormats::default())?,
    );
    let brief = month.report(ReportKind::Brief, true)?;
    let brief_name = package::brief_file_name(&brief);
    out.add_package(
        &out_dir,
        package::brief(
            &brief,
            &config,
            pdf(false),
            Path::new(&brief_name),
            DocFormats::default(),
        )?,
    );
    let evaluation = month.report(ReportKind::Evaluate, false)?;
    out.add_package(
        &out_dir,
        package::evaluation(
            &evaluation,
            ds,
            Some(&check),
            &config,
            pdf(false),
            DocFormats::default(),
        )?,
    );
    let notice_pdf = format!("{}主要指标通报.pdf", package::period_prefix(&notice));
    let written = out.write_quietly(&[])?;
    eprintln!(
        "已写出 {} 个文件：示例数据在 {} 和 {}，报告在 {}。",
        written.len(),
        this_dir.display(),
        prev_dir.display(),
        out_dir.display()
    );
    eprintln!(
        "\n示例完成。先打开 {}：这是按公文格式排好的月通报（同名 .docx 是可以修改的 Word 版）；同一目录中还有排名表、领导简报、后评估材料和数据质量核查清单。",
        out_dir.join(notice_pdf).display()
    );
    eprintln!(
        "\n这些报告由以下命令生成（在 {} 中运行；换成本单位的导出文件即可）：",
        a.out.display()
    );
    for line in [
        "gonggu check 输入/监测对象信息.xlsx 输入/已外出务工信息.xlsx --out 输出/数据质量核查清单.xlsx",
        "gonggu notice 输入/*.xlsx --level county --out 输出 --previous 上月输入/*.xlsx --charts",
        "gonggu brief 输入/*.xlsx --level county --out 输出/领导简报.pdf --previous 上月输入/*.xlsx",
        "gonggu evaluate 输入/*.xlsx --level county --out 输出",
        "gonggu compute 输入/*.xlsx --level county --format json --out 输出/指标.json",
    ] {
        eprintln!("  {line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `--months N`: N months of inputs in the `[run]` layout and the configuration; no reports
/// (`gonggu run` makes them).
fn months(a: &DemoArgs, format: DemoFormat) -> Result<ExitCode> {
    let config = Config::parse(demo::CONFIG, "gonggu.toml")?;
    let as_of = config.as_of_date().context("示例配置缺少 as_of")?;
    eprintln!(
        "正在生成示例数据（{} 户，{} 个月）……",
        a.households, a.months
    );
    let opts = options(a, format, as_of);
    let months = demo::generate(&opts).months(a.months);
    let mut out = Outputs::default();
    out.add(
        a.out.join("gonggu.toml"),
        demo::months_config().into_bytes(),
    );
    let mut folders = Vec::new();
    for data in &months {
        let folder = demo::month_folder(data);
        for f in demo::write_inputs(data, format)? {
            out.add(a.out.join(&folder).join(&f.name), f.bytes);
        }
        folders.push(folder);
    }
    let written = out.write_quietly(&[])?;
    eprintln!(
        "已写出 {} 个文件：{} 个月的导出数据在 {}（{}），配置在 {}。",
        written.len(),
        months.len(),
        a.out.join("数据").display(),
        folders.join("、"),
        a.out.join("gonggu.toml").display()
    );
    eprintln!(
        "\n下一步：在 {} 中逐月运行（每月一条命令，生成当月全部文稿并记入历史库 gonggu.db）：",
        a.out.display()
    );
    for data in &months {
        let m = data.options.as_of;
        eprintln!("  gonggu run {}", m.format("%Y-%m"));
    }
    Ok(ExitCode::SUCCESS)
}
