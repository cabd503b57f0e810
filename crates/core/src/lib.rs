//! gonggu-core: from monitoring-system exports to ranked indicator reports.
//!
//! The pipeline, one module a step:
//! 1. [`ingest`] reads `.xlsx/.xlsm/.xls/.ods/.csv` exports, finds the header row (or two
//!    rows: a merged group over sub-headers) under the title rows and the data date they
//!    state, matches column names and aliases, sets total rows aside, keeps only the
//!    configured county's rows when the region is one county, parses values, and produces a
//!    typed [`model::Dataset`] (persons merged by 证件号码 and grouped into households,
//!    projects, loans, 汇总 and 目标 rows) plus the values it could not parse.
//!    Each 务工所在地 is placed by [`division`] (the GB/T 2260 division table and an address
//!    resolver) against the household's own county: 县内, 省内县外, 省外 or 去向不明.
//! 2. [`validate`] runs the data-quality rules over the dataset (`gonggu check`).
//! 3. [`measures`] counts the measures of SPEC §4.1 for every unit of a level, from records or
//!    from a 汇总.
//! 4. [`catalog`] holds the indicator definitions (TOML, editable) and [`compute`] turns
//!    measures into indicators: recomputed totals, 四舍五入, competition ranking, targets,
//!    changes against the previous period.
//! 5. [`pipeline`] resolves a dataset and the settings into a [`compute::Report`], the value
//!    every document is drawn from.
//! 6. [`explain`] lists the records behind one figure of that report, with the rules
//!    [`measures`] counts by ([`measures::records`]): which are in its numerator and
//!    denominator, and why the others are not.
//!
//! 7. [`changes`] lists the month's newly identified, eliminated and leaving households, and
//!    [`history`] keeps every month's figures in SQLite (`gonggu.db`) for comparisons and
//!    trends (`gonggu run`, `gonggu history`).
//!
//! Turning a report into bytes (XLSX, PDF) is `gonggu-render`'s job, and writing files the
//! CLI's: this crate neither writes workbooks nor knows Typst.
#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used)]
// Errors are cold and carry their place (file, sheet, row, column) inline on purpose.
#![allow(clippy::result_large_err)]

pub mod catalog;
pub mod changes;
pub mod compute;
pub mod config;
pub mod division;
pub mod error;
pub mod explain;
pub mod history;
pub mod ingest;
pub mod mask;
pub mod measures;
pub mod model;
pub mod pipeline;
pub mod region;
mod shards;
pub mod text;
pub mod validate;

pub use error::{Error, Result};
