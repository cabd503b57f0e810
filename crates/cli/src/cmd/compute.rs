//! `gonggu compute`: indicators as JSON, CSV or XLSX.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use gonggu_core::compute;

use crate::args::{ComputeArgs, FormatArg};
use crate::common::{Outputs, prepare};

pub fn run(a: &ComputeArgs) -> Result<ExitCode> {
    if a.format == FormatArg::Xlsx && a.out.is_none() {
        bail!("--format xlsx 需要用 --out 指定输出文件");
    }
    let p = prepare(&a.common, a.level.into(), "compute", &a.indicators)?;
    let bytes = match a.format {
        FormatArg::Json => {
            let mut s = compute::to_json(&p.report);
            s.push('\n');
            s.into_bytes()
        }
        FormatArg::Csv => compute::to_csv(&p.report),
        FormatArg::Xlsx => gonggu_render::xlsx::plain_workbook(&p.report)?,
    };
    match &a.out {
        Some(path) => {
            let mut out = Outputs::default();
            out.add(path.clone(), bytes);
            out.write(&a.common.inputs)?;
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
