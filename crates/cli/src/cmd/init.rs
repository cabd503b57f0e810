//! `gonggu init`: writes a commented gonggu.toml.

use std::process::ExitCode;

use anyhow::{Result, bail};
use gonggu_core::config::TEMPLATE;

use crate::args::InitArgs;
use crate::write::write_one;

pub fn run(a: &InitArgs) -> Result<ExitCode> {
    if a.out.exists() && !a.force {
        bail!("{} 已存在；如要覆盖请加 --force", a.out.display());
    }
    write_one(&a.out, TEMPLATE.as_bytes().to_vec(), &[])?;
    eprintln!(
        "已写出 {}，请按本单位情况修改其中的地区名称、排列顺序和发文信息。",
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
