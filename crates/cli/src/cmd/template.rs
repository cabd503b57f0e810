//! `gonggu template`: the 填报 workbook a city sends its counties (a county its towns).

use std::process::ExitCode;

use anyhow::{Result, bail};
use gonggu_core::catalog::ReportKind;
use gonggu_core::config::Config;
use gonggu_core::division::{DivisionLevel, DivisionTable};
use gonggu_core::region::Level;
use gonggu_render::package;

use crate::args::TemplateArgs;
use crate::resolve;
use crate::write::write_one;

/// The units that fill the form: `[region] order`, else (county level) the county-level
/// units of the configured city in GB/T 2260.
fn units(config: &Config, level: Level) -> Result<Vec<String>> {
    if !config.region.order.is_empty() {
        return Ok(config.region.order.clone());
    }
    let ask = "请在 gonggu.toml 的 [region] order 中按官方顺序写出填报单位的名称";
    if level != Level::County {
        bail!("不知道要列出哪些乡镇：{ask}。");
    }
    let table = DivisionTable::builtin();
    let city = match (&config.region.code, &config.region.name) {
        (Some(code), _) => table.by_code(code),
        (None, Some(name)) => {
            let cities: Vec<_> = table
                .units_named(name)
                .iter()
                .copied()
                .filter(|id| table.get(*id).level == DivisionLevel::City)
                .collect();
            (cities.len() == 1).then(|| cities[0])
        }
        (None, None) => None,
    };
    let Some(city) = city else {
        bail!(
            "不知道要列出哪些县（市、区）：{ask}，或在 [region] 中写明本市的名称（name）或代码（code）。"
        );
    };
    let names: Vec<String> = table
        .counties_of(city)
        .into_iter()
        .map(|id| table.get(id).name.to_string())
        .collect();
    if names.is_empty() {
        bail!("行政区划表中 {} 下没有县级单位：{ask}。", table.label(city));
    }
    Ok(names)
}

pub fn run(a: &TemplateArgs) -> Result<ExitCode> {
    let loaded = resolve::config(a.config.as_deref())?;
    let config = &loaded.config;
    let (catalog, catalog_path) = resolve::catalog(a.catalog.as_deref(), config)?;
    let as_of = resolve::as_of(a.as_of, config, None);
    let level: Level = a.level.into();
    let selection = if a.indicators.is_empty() {
        config
            .reports
            .selection(ReportKind::Notice)
            .cloned()
            .unwrap_or_else(|| catalog.selection(ReportKind::Notice))
    } else {
        a.indicators.clone()
    };
    let units = units(config, level)?;
    let parent = config.region.name.clone().unwrap_or_default();
    let bytes = package::template(&parent, &catalog, &selection, level, as_of, units)?;
    let reads: Vec<_> = loaded.path.into_iter().chain(catalog_path).collect();
    write_one(&a.out, bytes, &reads)?;
    eprintln!(
        "已写出 {}：发给各单位在黄色格中填写数字，收回后可直接作为输入，如 gonggu compute 收回的文件/*.xlsx --level {}。",
        a.out.display(),
        level.id()
    );
    Ok(ExitCode::SUCCESS)
}
