//! `gonggu rules`: the rules in force (built in and the county's own file), or the fields
//! their conditions can read.

use std::process::ExitCode;

use anyhow::Result;
use gonggu_core::validate::{self, CheckParams, RuleTable};

use crate::args::RulesArgs;
use crate::resolve;

pub fn run(a: &RulesArgs) -> Result<ExitCode> {
    if a.fields {
        let fields = validate::field_list();
        for table in RuleTable::ALL {
            println!("{}（table = \"{}\"）", table.label(), table.key());
            for (_, name, ty, doc) in fields.iter().filter(|f| f.0 == table) {
                println!("  {name}  [{ty}] {doc}");
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let loaded = resolve::config(a.config.as_deref())?;
    // The as-of date only dates findings; listing needs none (and prints no note about it).
    let as_of = loaded.config.as_of_date().unwrap_or(chrono::NaiveDate::MIN);
    let params = CheckParams::defaults(as_of)?.with_config(&loaded.config);
    let rules = validate::rules_for(&params)?;
    let own = rules.iter().filter(|r| r.origin.is_some()).count();
    println!(
        "共 {} 条核查规则（内置 {} 条，本县规则文件 {own} 条）。",
        rules.len(),
        rules.len() - own
    );
    for r in &rules {
        let tables: Vec<&str> = r.tables().iter().map(|t| t.label()).collect();
        println!(
            "{}  [{}] {}（{}）",
            r.code,
            r.severity.label(),
            r.title,
            tables.join("、")
        );
        println!("      {}", r.detail);
        let mut needs: Vec<String> = r.needs.clone();
        needs.extend(r.needs_any_text());
        needs.extend(r.needs_tables.iter().cloned());
        if !needs.is_empty() {
            println!("      需要：{}", needs.join("、"));
        }
        if let Some(origin) = &r.origin {
            println!("      来自：{origin}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
