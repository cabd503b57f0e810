//! `gonggu brief`.

use std::process::ExitCode;

use anyhow::{Result, bail};

pub fn run(_a: &crate::args::BriefArgs) -> Result<ExitCode> {
    bail!("gonggu brief 尚在开发中")
}
