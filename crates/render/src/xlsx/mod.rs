//! XLSX workbooks: the ranking workbook (通报表), the evaluation workbook (后评估) and the
//! plain table of `gonggu compute --format xlsx`. Each function takes a computed
//! [`Report`] and returns the bytes of the file; the caller writes them.
//!
//! Every value cell stores the rounded value ([`gonggu_core::compute::Cell::value`]) with the
//! indicator's number format (`0.00%`, `0.0%`, `0`), so what Excel shows is exactly what was
//! ranked and checked against the target; a missing value is `—`. The bytes are
//! deterministic: the document's creation date is the report's as-of date, never the clock.
//!
//! Sheets of the ranking workbook ([`ranking_workbook`]):
//! - `通报表`: merged title, `截至…` date line, then blocks of `block_size` indicators, each
//!   with two header rows (the unit word `县（市、区）` merged over both; each indicator's name
//!   merged over its columns `数值 | 排名`, plus `较上期 | 名次变化` when the report compares
//!   with a previous period), every region in official order and the total row (bold, no
//!   rank); below-target values filled light red (红) or light yellow (黄); footnotes with
//!   the reading rules, targets, data source and notes. A4 landscape, one page wide,
//!   page breaks so long region lists continue on the next page under a repeated header.
//! - `计算明细`: one row per region × indicator with numerator and denominator.
//! - `指标说明`: definitions, formulas, targets, data sources, as-of date.
//! - `图表` (with [`WorkbookOptions::charts`]): a native column chart per ranked indicator.

mod ranking;
mod sheets;
pub(crate) mod style;
mod table;
mod targets;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use chrono::Datelike;

use crate::error::{Error, Result};
use crate::quality::QualityOverview;
use gonggu_core::compute::Report;

/// How the ranking and evaluation workbooks are titled, split and annotated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbookOptions {
    /// Title of the table (`商丘市巩固拓展脱贫攻坚成果主要指标通报表`); empty: built from the
    /// report's parent (`{地区}巩固拓展脱贫攻坚成果主要指标通报表`, or `…指标达标情况` for the
    /// evaluation workbook).
    pub title: String,
    /// Indicators per block of the 通报表 (default 3); further indicators continue in blocks
    /// below, each on a new page. 0 counts as 1.
    pub block_size: usize,
    /// Add the sheet `图表` with a native column chart per ranked indicator.
    pub charts: bool,
    /// Data source footnote (`全国防返贫监测信息系统，2021年11月30日导出`); `数据来源：` is
    /// prefixed unless present. Empty: no such line.
    pub source_note: String,
    /// Extra footnotes, one line each.
    pub notes: Vec<String>,
}

impl Default for WorkbookOptions {
    fn default() -> Self {
        WorkbookOptions {
            title: String::new(),
            block_size: 3,
            charts: false,
            source_note: String::new(),
            notes: Vec::new(),
        }
    }
}

/// The ranking workbook (通报表) of a report: sheets `通报表`, `计算明细`, `指标说明` and,
/// with `opts.charts`, `图表`. See the [module documentation](self) for the layout.
///
/// # Errors
/// [`Error::Render`] (`生成通报表失败`) when the XLSX writer refuses the content, e.g. a
/// region name longer than Excel's 32,767 characters per cell.
///
/// # Examples
/// ```
/// use std::collections::BTreeMap;
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// use gonggu_core::catalog::Catalog;
/// use gonggu_core::compute::{build_report, ReportInput, UnitInput, WarningConfig};
/// use gonggu_core::measures::Tally;
/// use gonggu_core::region::Level;
/// use gonggu_render::xlsx::{ranking_workbook, WorkbookOptions};
///
/// let tally = |started: i64, planned: i64| {
///     let mut t = Tally::default();
///     t.add("started_projects", Decimal::from(started));
///     t.add("planned_projects", Decimal::from(planned));
///     t
/// };
/// let unit = |name: &str, t: Tally| UnitInput {
///     key: name.into(), label: name.into(), tally: t, targets: BTreeMap::new(), has_data: true,
/// };
/// let catalog = Catalog::builtin().unwrap();
/// let report = build_report(ReportInput {
///     catalog: &catalog,
///     selection: vec!["project_start_rate".into()],
///     level: Level::County,
///     parent: "商丘市".into(),
///     as_of: NaiveDate::from_ymd_opt(2021, 11, 30).unwrap(),
///     units: vec![unit("永城市", tally(84, 84)), unit("虞城县", tally(83, 84))],
///     total: tally(167, 168),
///     params: BTreeMap::new(),
///     warning: WarningConfig::default(),
///     previous: None,
/// })
/// .unwrap();
/// let bytes = ranking_workbook(&report, &WorkbookOptions::default()).unwrap();
/// assert_eq!(&bytes[..2], b"PK"); // an xlsx file is a zip archive
/// assert_eq!(bytes, ranking_workbook(&report, &WorkbookOptions::default()).unwrap());
/// ```
pub fn ranking_workbook(report: &Report, opts: &WorkbookOptions) -> Result<Vec<u8>> {
    const WHAT: &str = "通报表";
    let mut wb = workbook(report, &ranking::title_of(report, opts)).map_err(err(WHAT))?;
    build_ranking(&mut wb, report, opts).map_err(err(WHAT))?;
    wb.save_to_buffer().map_err(err(WHAT))
}

fn build_ranking(
    wb: &mut Workbook,
    report: &Report,
    opts: &WorkbookOptions,
) -> Result<(), XlsxError> {
    ranking::write_notice(wb.add_worksheet().set_name("通报表")?, report, opts)?;
    sheets::write_details(wb.add_worksheet().set_name("计算明细")?, report)?;
    sheets::write_definitions(wb.add_worksheet().set_name("指标说明")?, report)?;
    if opts.charts {
        sheets::write_charts(wb.add_worksheet().set_name("图表")?, report)?;
    }
    Ok(())
}

/// The evaluation workbook (后评估, `gonggu evaluate`): sheets `达标情况` (per indicator a
/// block with each region's value, rank, target, 达标/未达标 and warning), `汇总` (per
/// region the number of indicators 达标, 未达标 and 无数据), `数据质量` (only when `quality`
/// is given), `计算明细` and `指标说明` as in [`ranking_workbook`], and `图表` with
/// `opts.charts`. `opts.block_size` is not used.
///
/// # Errors
/// [`Error::Render`] (`生成后评估表失败`) when the XLSX writer refuses the content.
///
/// # Examples
/// See [`ranking_workbook`] for building a report; then
/// `evaluation_workbook(&report, Some(&QualityOverview::default()), &WorkbookOptions::default())`.
pub fn evaluation_workbook(
    report: &Report,
    quality: Option<&QualityOverview>,
    opts: &WorkbookOptions,
) -> Result<Vec<u8>> {
    const WHAT: &str = "后评估表";
    let title = if opts.title.trim().is_empty() {
        format!("{}巩固拓展脱贫攻坚成果指标达标情况", report.parent)
    } else {
        opts.title.trim().to_string()
    };
    let mut wb = workbook(report, &title).map_err(err(WHAT))?;
    build_evaluation(&mut wb, report, quality, opts, &title).map_err(err(WHAT))?;
    wb.save_to_buffer().map_err(err(WHAT))
}

fn build_evaluation(
    wb: &mut Workbook,
    report: &Report,
    quality: Option<&QualityOverview>,
    opts: &WorkbookOptions,
    title: &str,
) -> Result<(), XlsxError> {
    sheets::write_attainment(wb.add_worksheet().set_name("达标情况")?, report, title)?;
    sheets::write_target_overview(wb.add_worksheet().set_name("汇总")?, report)?;
    if let Some(q) = quality {
        sheets::write_quality(wb.add_worksheet().set_name("数据质量")?, report, q)?;
    }
    sheets::write_details(wb.add_worksheet().set_name("计算明细")?, report)?;
    sheets::write_definitions(wb.add_worksheet().set_name("指标说明")?, report)?;
    if opts.charts {
        sheets::write_charts(wb.add_worksheet().set_name("图表")?, report)?;
    }
    Ok(())
}

/// The plain table of `gonggu compute --format xlsx`: one sheet `计算结果` with one header
/// row (the unit word, then per indicator `名称`, `名称排名` and, with a previous period,
/// `名称较上期(个百分点)` and `名称名次变化`, as in the CSV output), one row per region in
/// official order and the total last (no rank); numbers with the indicator's number format.
///
/// # Errors
/// [`Error::Render`] (`生成计算结果表失败`) when the XLSX writer refuses the content.
///
/// # Examples
/// See [`ranking_workbook`]; `plain_workbook(&report)` is called the same way.
pub fn plain_workbook(report: &Report) -> Result<Vec<u8>> {
    const WHAT: &str = "计算结果表";
    let title = format!("{}指标计算结果", report.parent);
    let mut wb = workbook(report, &title).map_err(err(WHAT))?;
    build_plain(&mut wb, report).map_err(err(WHAT))?;
    wb.save_to_buffer().map_err(err(WHAT))
}

fn build_plain(wb: &mut Workbook, report: &Report) -> Result<(), XlsxError> {
    ranking::write_plain(wb.add_worksheet().set_name("计算结果")?, report)
}

/// A workbook with 宋体 11 as its default font and document properties whose creation date
/// is the report's as-of date (deterministic bytes).
fn workbook(report: &Report, title: &str) -> Result<Workbook, XlsxError> {
    dated_workbook(title, report.as_of, Some(&ranking::as_of_line(report)))
}

/// A new workbook in the house style (宋体 11) whose properties carry the title, author
/// `gonggu` and a creation date taken from `date` (never the clock: same input, same bytes).
pub(crate) fn dated_workbook(
    title: &str,
    date: chrono::NaiveDate,
    subject: Option<&str>,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_default_format(&style::default_format(), 18, 72)?;
    let created = ExcelDateTime::from_ymd(
        u16::try_from(date.year()).unwrap_or(1900),
        date.month() as u8,
        date.day() as u8,
    )?;
    let mut props = DocProperties::new()
        .set_title(title)
        .set_author("gonggu")
        .set_creation_datetime(&created);
    if let Some(s) = subject {
        props = props.set_subject(s);
    }
    wb.set_properties(&props);
    Ok(wb)
}

/// Print setup of a landscape list (A4, one page wide, `— 1 —`).
pub(crate) fn landscape_setup(ws: &mut rust_xlsxwriter::Worksheet) {
    table::page_setup(ws, true);
}

/// Maps a writer error to [`Error::Render`] naming the workbook.
fn err(what: &'static str) -> impl Fn(XlsxError) -> Error {
    move |e| Error::Render {
        what,
        message: e.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
