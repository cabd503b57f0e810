//! `gonggu evaluate`.

use std::process::ExitCode;

use anyhow::{Result, bail};

pub fn run(_a: &crate::args::EvaluateArgs) -> Result<ExitCode> {
    bail!("gonggu evaluate 尚在开发中")
}
