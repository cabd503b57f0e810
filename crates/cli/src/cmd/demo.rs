//! `gonggu demo`: a synthetic city modelled on 商丘 (ten county-level units), written as the
//! national system exports it, plus every report gonggu makes from it.
//!
//! Layout of `--out DIR`:
//! - `gonggu.toml`: the configuration the reports use (region name, official order, header);
//! - `输入/`: this month's exports (roster, projects, loans, targets), a 汇总 computed from
//!   them, and `manifest.json` listing the planted data-quality defects;
//! - `上月输入/`: last month's exports, for the period comparison;
//! - `输出/`: 通报表 + 通报 PDF, 简报, 后评估 workbook + PDF, 核查清单, indicators as JSON.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use gonggu_core::config::Config;
use gonggu_core::region::Level;
use gonggu_demo::{self as demo, DemoFormat, DemoOptions};
use rust_decimal::Decimal;

use crate::args::{
    BriefArgs, CheckArgs, CommonArgs, ComputeArgs, DemoArgs, DemoFormatArg, EvaluateArgs,
    FormatArg, LevelArg, NoticeArgs, PdfArgs,
};
use crate::common::{load_fonts, note, write_atomic};

const AS_OF: &str = "2021-11-30";

const CONFIG: &str = r#"# gonggu demo 使用的配置（示例数据，非真实单位）
as_of = "2021-11-30"
monitoring_line = 7500

[region]
name = "商丘市"
code = "411400"
order = ["永城市", "夏邑县", "虞城县", "示范区", "梁园区", "睢阳区", "宁陵县", "柘城县", "睢县", "民权县"]

[region_codes]
# 示范区不在行政区划表（GB/T 2260）中：作为商丘市中单独的县级单位，用于判断务工所在地。
"示范区" = "411400"

[document]
issuing_office = "商丘市巩固拓展脱贫攻坚成果领导小组办公室"
document_number = "商巩固办〔2021〕45号"
recipients = ["各县（市、区）巩固拓展脱贫攻坚成果领导小组办公室"]
issue_date = "2021-12-11"
cc = ["市委办公室", "市政府办公室"]
printer = "商丘市巩固拓展脱贫攻坚成果领导小组办公室"

[reports]
block_size = 3
"#;

fn write_inputs(data: &demo::DemoData, format: DemoFormat, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for f in demo::write_inputs(data, format)? {
        let path = dir.join(&f.name);
        write_atomic(&path, &f.bytes)?;
        if !f.name.ends_with(".json") {
            written.push(path);
        }
    }
    Ok(written)
}

fn common(inputs: &[PathBuf], previous: &[PathBuf], config: &Path) -> CommonArgs {
    CommonArgs {
        inputs: inputs.to_vec(),
        as_of: Some(AS_OF.into()),
        previous: previous.to_vec(),
        previous_as_of: None,
        config: Some(config.to_path_buf()),
        catalog: None,
        strict: false,
        reveal_pii: false,
    }
}

pub fn run(a: &DemoArgs) -> Result<ExitCode> {
    let as_of = NaiveDate::from_ymd_opt(2021, 11, 30).unwrap_or_default();
    let format = match a.format {
        DemoFormatArg::Xlsx => DemoFormat::Xlsx,
        DemoFormatArg::Csv => DemoFormat::Csv,
    };
    let this_dir = a.out.join("输入");
    let prev_dir = a.out.join("上月输入");
    let out_dir = a.out.join("输出");
    let config_path = a.out.join("gonggu.toml");
    write_atomic(&config_path, CONFIG.as_bytes())?;
    let config = Config::parse(CONFIG, "gonggu.toml")?;

    eprintln!("正在生成示例数据（{} 户）……", a.households);
    let opts = DemoOptions {
        households: a.households,
        seed: a.seed,
        as_of,
        format,
        ..DemoOptions::default()
    };
    let data = demo::generate(&opts);
    let inputs = write_inputs(&data, format, &this_dir)?;
    // Last month: the same city before this month's eliminations, project progress,
    // spending and loans.
    let previous = write_inputs(&data.previous_month(), format, &prev_dir)?;

    // A 汇总 of this month's figures, as a county would report them upward.
    let ds = crate::common::read_dataset(&inputs, &config, false)?;
    let summary = gonggu_demo::summary::summary_workbook(
        &ds,
        Level::County,
        as_of,
        config.monitoring_line.unwrap_or(Decimal::from(7500)),
        "商丘市",
    )?;
    write_atomic(&this_dir.join("汇总（由明细生成）.xlsx"), &summary)?;

    let c = |prev: &[PathBuf]| common(&inputs, prev, &config_path);
    super::compute::run(&ComputeArgs {
        common: c(&previous),
        level: LevelArg::County,
        format: FormatArg::Json,
        out: Some(out_dir.join("指标（县级）.json")),
        indicators: vec![],
    })?;
    super::check::run(&CheckArgs {
        inputs: inputs.clone(),
        out: Some(out_dir.join("数据质量核查清单.xlsx")),
        list_rules: false,
        as_of: Some(AS_OF.into()),
        config: Some(config_path.clone()),
        strict: false,
        reveal_pii: false,
    })?;

    let fonts = load_fonts(&a.font_dir, &config)?;
    if !fonts.has_cjk() {
        note(
            "没有找到中文字体，PDF 未生成。请安装中文字体后重新运行：Debian/Ubuntu 执行 apt-get install fonts-noto-cjk；或用 --font-dir 指定字体目录。",
        );
        super::compute::run(&ComputeArgs {
            common: c(&previous),
            level: LevelArg::County,
            format: FormatArg::Xlsx,
            out: Some(out_dir.join("指标（县级）.xlsx")),
            indicators: vec![],
        })?;
        return Ok(ExitCode::from(crate::EXIT_ERROR));
    }
    let pdf = || PdfArgs {
        font_dir: a.font_dir.clone(),
        emit_typst: false,
    };
    super::notice::run(&NoticeArgs {
        common: c(&previous),
        level: LevelArg::County,
        out: out_dir.clone(),
        charts: true,
        pdf: PdfArgs {
            font_dir: a.font_dir.clone(),
            emit_typst: true,
        },
    })?;
    super::brief::run(&BriefArgs {
        common: c(&previous),
        level: LevelArg::County,
        out: out_dir.join("商丘市2021年11月领导简报.pdf"),
        pdf: pdf(),
    })?;
    super::evaluate::run(&EvaluateArgs {
        common: c(&[]),
        level: LevelArg::County,
        out: out_dir.clone(),
        pdf: pdf(),
    })?;
    eprintln!(
        "示例完成：输入在 {}，报告在 {}。",
        this_dir.display(),
        out_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
