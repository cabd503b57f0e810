//! `gonggu notice`.

use std::process::ExitCode;

use anyhow::{Result, bail};

pub fn run(_a: &crate::args::NoticeArgs) -> Result<ExitCode> {
    bail!("gonggu notice 尚在开发中")
}
