//! `gonggu init`: writes a commented gonggu.toml.

use std::process::ExitCode;

use anyhow::{Result, bail};
use gonggu_core::config::template_with_key;

use crate::args::InitArgs;
use crate::resolve;
use crate::write::write_one;

pub fn run(a: &InitArgs) -> Result<ExitCode> {
    if a.out.exists() && !a.force {
        bail!("{} 已存在；如要覆盖请加 --force", a.out.display());
    }
    // A random key of the 核查编号, so that the numbers stay the same month after month
    // and cannot be worked out from ID numbers.
    let text = template_with_key(&resolve::random_key()?);
    write_one(&a.out, text.into_bytes(), &[])?;
    eprintln!(
        "已写出 {}，请按本单位情况修改其中的地区名称、排列顺序和发文信息。其中 [check] key 是随机生成的核查编号密钥，请保留、不要改动或外传。",
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
