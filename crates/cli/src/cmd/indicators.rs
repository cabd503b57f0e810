//! `gonggu indicators`: the catalog as a table.

use std::process::ExitCode;

use anyhow::Result;
use gonggu_core::measures;

use crate::args::IndicatorsArgs;
use crate::resolve;

pub fn run(a: &IndicatorsArgs) -> Result<ExitCode> {
    let config = resolve::config(None)?.config;
    let (catalog, _) = resolve::catalog(a.catalog.as_deref(), &config)?;
    let params = catalog.params.clone();
    println!("指标目录（{}）", catalog.origin);
    println!();
    for ind in &catalog.indicators {
        if ind.generated && !a.all {
            continue;
        }
        let name = |id: &str| {
            measures::by_id(id)
                .map(|m| m.name)
                .unwrap_or(id)
                .to_string()
        };
        let formula = match &ind.denominator {
            Some(d) => format!("{} ÷ {}", name(&ind.numerator), name(d)),
            None => name(&ind.numerator),
        };
        let target = ind
            .target
            .as_ref()
            .map(|t| t.describe(ind, &params))
            .unwrap_or_else(|| "—".into());
        println!("{}  {}", ind.id, ind.name);
        println!(
            "    类型：{}  公式：{}  小数位：{}  排名：{}  目标：{}",
            ind.kind.label(),
            formula,
            ind.decimals,
            ind.direction.label(),
            target
        );
    }
    if !a.all {
        println!();
        println!(
            "另有 {} 个计数指标（每个指标分量），用 --all 列出。",
            catalog.indicators.iter().filter(|i| i.generated).count()
        );
    }
    Ok(ExitCode::SUCCESS)
}
