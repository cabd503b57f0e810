//! `gonggu demo`.

use std::process::ExitCode;

use anyhow::{Result, bail};

pub fn run(_a: &crate::args::DemoArgs) -> Result<ExitCode> {
    bail!("gonggu demo 尚在开发中")
}
