//! `gonggu bench`.

use std::process::ExitCode;

use anyhow::{Result, bail};

pub fn run(_a: &crate::args::BenchArgs) -> Result<ExitCode> {
    bail!("gonggu bench 尚在开发中")
}
