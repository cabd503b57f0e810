//! `gonggu compute`: indicators as JSON, CSV or XLSX.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use gonggu_core::catalog::ReportKind;
use gonggu_render::package::{self, IndicatorFormat};

use crate::args::{ComputeArgs, FormatArg};
use crate::resolve::ReportPlan;
use crate::write::Outputs;

pub fn run(a: &ComputeArgs) -> Result<ExitCode> {
    if a.format == FormatArg::Xlsx && a.out.is_none() {
        bail!("--format xlsx 需要用 --out 指定输出文件");
    }
    let plan = ReportPlan::new(
        &a.common,
        a.level.into(),
        ReportKind::Compute,
        &a.indicators,
    )?;
    let p = plan.prepare()?;
    let format = match a.format {
        FormatArg::Json => IndicatorFormat::Json,
        FormatArg::Csv => IndicatorFormat::Csv,
        FormatArg::Xlsx => IndicatorFormat::Xlsx,
    };
    let bytes = package::indicators(&p.report, format)?;
    match &a.out {
        Some(path) => {
            let mut out = Outputs::default();
            out.add(path.clone(), bytes);
            out.write(&plan.reads())?;
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
