//! `gonggu check`.

use std::process::ExitCode;

use anyhow::{Result, bail};

pub fn run(_a: &crate::args::CheckArgs) -> Result<ExitCode> {
    bail!("gonggu check 尚在开发中")
}
