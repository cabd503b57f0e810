//! gonggu-render: a report in, bytes out.
//!
//! `gonggu-core` turns exports into a [`gonggu_core::compute::Report`] (and `gonggu check`'s
//! findings into a [`gonggu_core::validate::CheckReport`]); this crate lays them out:
//! 1. [`xlsx`] writes the workbooks: the 通报表 modelled on 商丘's notice (blocks of
//!    indicators, page breaks, highlights, print setup), 计算明细, 指标说明, charts, the
//!    evaluation and plain workbooks.
//! 2. [`quality`] writes the 核查清单: an overview sheet (a row per town), one sheet per town with a
//!    stable 核查编号 and the columns the towns fill in, personal data masked; and compares
//!    this month's findings with the lists the towns sent back.
//! 3. [`documents`] fills the minijinja prose templates with the figures and assembles the
//!    notice (GB/T 9704), the leadership brief and the evaluation report as Typst sources
//!    whose data travel as JSON, never spliced into markup.
//! 4. [`pdf`] compiles them with the embedded Typst engine, with fonts found on the system or
//!    in `--font-dir`; a character no font covers is an error, never tofu.
//!
//! 4a. [`docx`] writes the notice, the brief and the post-evaluation report again as
//!    editable Word documents from the same data (GB/T 9704 page setup; the brief on its own
//!    A4 pages with native Word charts), for the office to change before signing.
//! 5. [`template`] writes the 填报 form a city sends its counties, read back as a 汇总.
//! 6. [`explain`] writes the list of records behind one figure (`gonggu explain --out`).
//! 6a. [`changes`] writes the month's 变动名单 (`gonggu run`).
//! 7. [`package`] puts them together per command: titles, file names, dates, source notes —
//!    the named files a command writes.
//!
//! Every renderer returns bytes; the caller writes them (atomically). Templates live in this
//! crate's `templates/` folder, are built into the binary, and can be replaced from a
//! directory by file name.
#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used)]
// Errors are cold and carry their cause inline on purpose.
#![allow(clippy::result_large_err)]

pub mod changes;
pub mod documents;
pub mod docx;
pub mod error;
pub mod explain;
pub mod package;
pub mod pdf;
pub mod quality;
pub mod template;
pub mod xlsx;

pub use error::{Error, Result};
