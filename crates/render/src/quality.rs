//! The data-quality workbook (核查清单, SPEC §5.5), made to be printed on A4 landscape, sent
//! to the towns, filled in and sent back:
//!
//! - `汇总`: one row per town, counts per severity and per rule group, a total;
//! - `规则`: every rule with its count, the rules not run and those switched off;
//! - with last month's returned lists (`--returned`), `上期对照` (per town and rule:
//!   resolved, still present, new) and `整改核对` (answered 属实已整改, still present);
//! - one sheet per town with its findings: a stable 核查编号 ([`check_numbers`]), the
//!   offending values as in the file, and the towns' columns 核实情况 (a drop-down) and
//!   说明, carried over from last month for findings still present.
//!
//! Personal data is masked with [`Pii`]. Findings of projects and loans without a town go to
//! a sheet named after the county (`夏邑县（县级）`); rows that could not be placed at all go
//! to `未定位地区`. With [`ListOptions::split`], or above [`MAX_TOWNS_PER_WORKBOOK`] towns,
//! one workbook per county is produced.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;

use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::error::{Error, Result};
use gonggu_core::error::Place;
use gonggu_core::ingest::returned::{ANSWER_COLUMN, Answer, NOTE_COLUMN, NUMBER_COLUMN};
use gonggu_core::mask::Pii;
use gonggu_core::model::Dataset;
use gonggu_core::region::{Level, RegionId};
use gonggu_core::text::date_zh;
use gonggu_core::validate::{CheckReport, Finding, Severity};

mod number;
mod track;

pub use number::{CheckKey, check_numbers};
pub use track::{Contradiction, TrackLine, Tracking};
use track::{Labels, UNPLACED, county_label};

/// Findings of one data-quality rule, for the evaluation's data-quality section.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QualityLine {
    /// Rule code (`ID-CHECKSUM`).
    pub code: String,
    /// Rule title in Chinese (`证件号码校验位错误`).
    pub title: String,
    /// Severity in Chinese (`错误`, `警告`, `提示`).
    pub severity: String,
    /// Number of findings.
    pub count: u64,
}

/// What `gonggu check` found, in brief: the evaluation's 数据质量 sheet and section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QualityOverview {
    /// One line per rule that ran, in the order to show.
    pub rows: Vec<QualityLine>,
    /// Rules that were not run, each with the reason (`ID010 …：缺少出生日期`).
    pub skipped: Vec<String>,
}

impl QualityOverview {
    /// The overview of a check: every rule that ran with its count, and the skipped rules
    /// with the columns they lack.
    pub fn from_check(report: &CheckReport) -> QualityOverview {
        QualityOverview {
            rows: report
                .rules
                .iter()
                .filter(|r| report.ran(&r.code))
                .map(|r| QualityLine {
                    code: r.code.clone(),
                    title: r.title.clone(),
                    severity: r.severity.label().to_string(),
                    count: report.count(&r.code) as u64,
                })
                .collect(),
            skipped: report
                .skipped
                .iter()
                .map(|(code, missing)| format!("{code}：缺少{}", missing.join("、")))
                .collect(),
        }
    }
}

/// Above this many towns, [`quality_workbooks`] writes one workbook per county.
pub const MAX_TOWNS_PER_WORKBOOK: usize = 200;

/// Excel's limit of rows per sheet; longer lists continue on a further sheet.
const EXCEL_ROWS: usize = 1_048_576;
/// Rows above the data on a findings sheet (title, header).
const HEAD_ROWS: usize = 2;

/// The columns of a town's sheet: (header, narrowest width, widest width) in Excel's
/// character units. Wider text wraps: at their widest the columns fill an A4 landscape
/// page at about 90 %.
const COLUMNS: [(&str, usize, usize); 13] = [
    (NUMBER_COLUMN, 10, 16),
    ("问题说明", 14, 21),
    ("严重程度", 5, 5),
    ("乡镇", 6, 8),
    ("村", 6, 9),
    ("户编号", 8, 12),
    ("证件号码", 8, 19),
    ("姓名", 5, 7),
    ("联系电话", 6, 12),
    ("问题值", 14, 22),
    ("来源", 10, 15),
    (ANSWER_COLUMN, 11, 11),
    (NOTE_COLUMN, 14, 14),
];
/// Position of 核实情况 among [`COLUMNS`] (说明 follows it).
const ANSWER_COL: u16 = 11;
/// Height of one line of text in points (11-point type, CJK included).
const LINE_HEIGHT: f64 = 14.5;

/// How the 核查清单 is made.
#[derive(Debug, Clone)]
pub struct ListOptions<'a> {
    /// [`Pii::Masked`] (default) masks 证件号码, 姓名, 联系电话 and personal values;
    /// [`Pii::Revealed`] shows them (`--reveal-pii`).
    pub pii: Pii,
    /// The key of the 核查编号.
    pub key: &'a CheckKey,
    /// One workbook per county (`--split county`), whatever the number of towns.
    pub split: bool,
    /// The comparison with last month's returned lists (`--returned`): answers carried
    /// over, and the 上期对照 and 整改核对 sheets.
    pub tracking: Option<&'a Tracking>,
}

impl<'a> ListOptions<'a> {
    /// Masked, one workbook, no tracking.
    pub fn new(key: &'a CheckKey) -> ListOptions<'a> {
        ListOptions {
            pii: Pii::Masked,
            key,
            split: false,
            tracking: None,
        }
    }
}

/// Which sheet a finding belongs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Bucket {
    Town(RegionId),
    County(RegionId),
    Unplaced,
}

fn bucket_of(ds: &Dataset, region: Option<RegionId>) -> Bucket {
    let Some(r) = region else {
        return Bucket::Unplaced;
    };
    if let Some(t) = ds.regions.ancestor_at(r, Level::Town) {
        return Bucket::Town(t);
    }
    match ds.regions.ancestor_at(r, Level::County) {
        Some(c) => Bucket::County(c),
        None => Bucket::Unplaced,
    }
}

/// One row of the overview and, when it has findings, one sheet.
struct Unit {
    bucket: Bucket,
    /// The sheet's name (the town, prefixed with its county where two share the name).
    label: String,
    /// The county's name (empty for 未定位地区).
    county: String,
    /// The name as in the 乡镇 column and the tracking lines.
    town: String,
}

fn render_err(e: XlsxError) -> Error {
    Error::Render {
        what: "核查清单",
        message: e.to_string(),
    }
}

/// The rule group of a code: its leading letters (`MN05` → `MN`).
fn group_of(code: &str) -> &str {
    let n = code
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphabetic())
        .map_or(code.len(), |(i, _)| i);
    match code.get(..n) {
        Some(g) if !g.is_empty() => g,
        _ => code,
    }
}

/// A finding with its 核查编号 and its place in the report.
struct Row<'r> {
    index: usize,
    finding: &'r Finding,
    number: &'r str,
}

/// Renders the 核查清单: one workbook, or one per county (asked for with
/// [`ListOptions::split`], or above [`MAX_TOWNS_PER_WORKBOOK`] towns).
///
/// Returns (name, bytes) pairs: the name is empty for a single workbook, else the county's
/// name (or `未定位地区` for rows that could not be placed); the caller builds file names from
/// it. The bytes are deterministic: the creation date is the report's as-of date.
///
/// # Errors
/// [`Error::Render`] when the workbook cannot be built (e.g. an as-of date outside Excel's
/// range).
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::ingest::{read_inputs, ReadOptions};
/// use gonggu_render::quality::{quality_workbooks, CheckKey, ListOptions};
/// use gonggu_core::validate::{run_checks, CheckParams};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("名单.csv");
/// std::fs::write(&path, "县,乡,村,户编号,证件号码,户类型\n\
///     夏邑县,城关镇,东关村,H1,410101199001011235,脱贫户\n").unwrap();
/// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
/// let params = CheckParams::defaults(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()).unwrap();
/// let report = run_checks(&ds, &params).unwrap();
/// let key = CheckKey::new("本局的密钥");
/// let books = quality_workbooks(&ds, &report, &ListOptions::new(&key)).unwrap();
/// assert_eq!(books.len(), 1);
/// assert_eq!(books[0].0, "");
/// assert!(books[0].1.starts_with(b"PK"));
/// ```
pub fn quality_workbooks(
    ds: &Dataset,
    report: &CheckReport,
    opts: &ListOptions<'_>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let regions = &ds.regions;
    let counties = regions.at_level(Level::County);
    let towns = regions.at_level(Level::Town);

    let labels = Labels::new(ds);
    let numbers = check_numbers(ds, report, opts.key);
    let mut by_bucket: HashMap<Bucket, Vec<Row<'_>>> = HashMap::new();
    for (index, (finding, number)) in report.findings.iter().zip(&numbers).enumerate() {
        by_bucket
            .entry(bucket_of(ds, finding.region))
            .or_default()
            .push(Row {
                index,
                finding,
                number,
            });
    }

    // Units per county: its towns, then its county-level findings.
    let mut per_county: Vec<(RegionId, Vec<Unit>)> =
        counties.iter().map(|&c| (c, Vec::new())).collect();
    let county_pos: HashMap<RegionId, usize> =
        counties.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    for &t in &towns {
        let parent = regions.node(t).parent;
        let pos = parent.and_then(|p| county_pos.get(&p).copied());
        if let Some((_, units)) = pos.and_then(|i| per_county.get_mut(i)) {
            units.push(Unit {
                bucket: Bucket::Town(t),
                label: labels.town(t).to_string(),
                county: parent.map_or("", |p| regions.name(p)).to_string(),
                town: regions.name(t).to_string(),
            });
        }
    }
    for (c, units) in &mut per_county {
        if by_bucket.contains_key(&Bucket::County(*c)) {
            let label = county_label(regions.name(*c));
            units.push(Unit {
                bucket: Bucket::County(*c),
                town: label.clone(),
                label,
                county: regions.name(*c).to_string(),
            });
        }
    }
    let unplaced = by_bucket.contains_key(&Bucket::Unplaced).then(|| Unit {
        bucket: Bucket::Unplaced,
        label: UNPLACED.to_string(),
        county: String::new(),
        town: UNPLACED.to_string(),
    });

    let book = |title_region: Option<&str>, units: &[Unit], whole: bool| {
        build_workbook(&Book {
            ds,
            report,
            opts,
            title_region,
            units,
            by_bucket: &by_bucket,
            whole,
        })
    };
    let mut out = Vec::new();
    if opts.split || towns.len() > MAX_TOWNS_PER_WORKBOOK {
        for (c, units) in &per_county {
            let name = regions.name(*c);
            out.push((name.to_string(), book(Some(name), units, false)?));
        }
        if let Some(u) = unplaced {
            out.push((
                u.label.clone(),
                book(None, std::slice::from_ref(&u), false)?,
            ));
        }
    } else {
        let title_region = match counties.as_slice() {
            [only] => Some(regions.name(*only)),
            _ => None,
        };
        let mut units: Vec<Unit> = per_county.into_iter().flat_map(|(_, u)| u).collect();
        units.extend(unplaced);
        out.push((String::new(), book(title_region, &units, true)?));
    }
    Ok(out)
}

/// What one workbook is made of.
struct Book<'b, 'r> {
    ds: &'b Dataset,
    report: &'b CheckReport,
    opts: &'b ListOptions<'b>,
    title_region: Option<&'b str>,
    units: &'b [Unit],
    by_bucket: &'b HashMap<Bucket, Vec<Row<'r>>>,
    /// Whether this workbook holds every unit (else tracking lines are filtered to its
    /// towns).
    whole: bool,
}

impl Book<'_, '_> {
    fn rows(&self, bucket: Bucket) -> &[Row<'_>] {
        self.by_bucket
            .get(&bucket)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

struct Formats {
    title: Format,
    note: Format,
    header: Format,
    cell: Format,
    number: Format,
    section: Format,
    input: Format,
}

impl Formats {
    fn new() -> Formats {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            note: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            header: border(
                Format::new()
                    .set_bold()
                    .set_background_color(0xD9E1F2)
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_text_wrap(),
            ),
            cell: border(
                Format::new()
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
            ),
            number: border(
                Format::new()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter),
            ),
            section: Format::new().set_bold(),
            // The towns' columns: unlocked, pale yellow, so they are found at a glance.
            input: border(
                Format::new()
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter)
                    .set_background_color(0xFFF9E5)
                    .set_unlocked(),
            ),
        }
    }
}

/// A4 landscape, one page wide and as many long as needed, narrow margins, the sheet's
/// subject and date in the page header and page numbers in the footer: the lists are
/// printed and signed off in the towns.
fn print_setup(ws: &mut Worksheet, subject: &str, date: &str) {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.25, 0.25, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    // `&` starts a code in Excel's header language.
    let subject = subject.replace('&', "&&");
    ws.set_header(format!("&L{subject}&R截至{date}"));
    ws.set_footer("&C第 &P 页，共 &N 页");
}

/// Display width of text in Excel's character units: CJK characters take two.
fn text_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn width(max_chars: usize) -> f64 {
    (max_chars + 2).clamp(6, 60) as f64
}
/// Tracks sheet names of one workbook: unique (case-insensitively, as Excel compares
/// them), at most 31 characters, without `[]:*?/\` and not starting or ending with `'`.
#[derive(Default)]
pub(crate) struct SheetNames {
    used: HashSet<String>,
}

impl SheetNames {
    /// A valid, unused sheet name made from `base` (a suffix `（2）`… de-duplicates).
    pub(crate) fn claim(&mut self, base: &str) -> String {
        let clean: String = base
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
            .collect();
        let clean = clean.trim_matches('\'').trim();
        let clean = if clean.is_empty() { "工作表" } else { clean };
        let take = |n: usize| -> String { clean.chars().take(n).collect() };
        let first = take(31);
        let reserved = |name: &str| name.eq_ignore_ascii_case("history");
        if !reserved(&first) && self.used.insert(first.to_lowercase()) {
            return first;
        }
        let mut n = 2usize;
        loop {
            let suffix = format!("（{n}）");
            let name = format!("{}{suffix}", take(31 - suffix.chars().count()));
            if self.used.insert(name.to_lowercase()) {
                return name;
            }
            n += 1;
        }
    }
}

fn build_workbook(b: &Book<'_, '_>) -> Result<Vec<u8>> {
    let as_of = b.report.params.as_of;
    let mut wb = Workbook::new();
    let created = {
        let y = u16::try_from(as_of.year()).unwrap_or(1900);
        ExcelDateTime::from_ymd(y, as_of.month() as u8, as_of.day() as u8).map_err(render_err)?
    };
    let region = b.title_region.unwrap_or("");
    let title = format!("{region}数据质量核查清单");
    wb.set_properties(
        &DocProperties::new()
            .set_title(&title)
            .set_author("gonggu")
            .set_creation_datetime(&created),
    );
    let fmt = Formats::new();
    let mut names = SheetNames::default();
    let date = date_zh(as_of);

    let ws = wb.add_worksheet();
    ws.set_name(names.claim("汇总")).map_err(render_err)?;
    write_overview(ws, b, &date, &fmt).map_err(render_err)?;

    let ws = wb.add_worksheet();
    ws.set_name(names.claim("规则")).map_err(render_err)?;
    write_rules(ws, b, &date, &fmt).map_err(render_err)?;

    if let Some(t) = b.opts.tracking {
        let towns: HashSet<&str> = b.units.iter().map(|u| u.label.as_str()).collect();
        let labels = Labels::new(b.ds);
        let mine = |town: &str| b.whole || towns.contains(town);
        let lines: Vec<&TrackLine> = t.lines.iter().filter(|l| mine(&l.town)).collect();
        let ws = wb.add_worksheet();
        ws.set_name(names.claim("上期对照")).map_err(render_err)?;
        write_tracking(ws, b, &lines, &date, &fmt).map_err(render_err)?;
        let findings = &b.report.findings;
        let contradictions: Vec<&Contradiction> = t
            .contradictions
            .iter()
            .filter(|c| {
                findings
                    .get(c.finding)
                    .is_some_and(|f| mine(&labels.of(b.ds, f.region)))
            })
            .collect();
        if !contradictions.is_empty() {
            let ws = wb.add_worksheet();
            ws.set_name(names.claim("整改核对")).map_err(render_err)?;
            write_contradictions(ws, b, &contradictions, &date, &fmt).map_err(render_err)?;
        }
    }

    for unit in b.units {
        let rows = b.rows(unit.bucket);
        if rows.is_empty() {
            continue;
        }
        let chunk_rows = EXCEL_ROWS - HEAD_ROWS;
        let parts = rows.len().div_ceil(chunk_rows).max(1);
        for (i, chunk) in rows.chunks(chunk_rows).enumerate() {
            let base = if parts > 1 {
                format!("{}（续{}）", unit.label, i + 1)
            } else {
                unit.label.clone()
            };
            let ws = wb.add_worksheet();
            ws.set_name(names.claim(&base)).map_err(render_err)?;
            let heading = format!(
                "{}数据质量核查清单（截至{date}，共 {} 条）",
                unit.label,
                rows.len()
            );
            write_findings(ws, b, &unit.label, &heading, chunk, &date, &fmt).map_err(render_err)?;
        }
    }
    wb.save_to_buffer().map_err(render_err)
}

/// Title (row 0) and a wrapped note (row 1) over `cols` columns.
fn heading_rows(
    ws: &mut Worksheet,
    title: &str,
    note: &str,
    cols: u16,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let last = cols.saturating_sub(1);
    if last == 0 {
        ws.write_string_with_format(0, 0, title, &fmt.title)?;
        ws.write_string_with_format(1, 0, note, &fmt.note)?;
    } else {
        ws.merge_range(0, 0, 0, last, title, &fmt.title)?;
        ws.merge_range(1, 0, 1, last, note, &fmt.note)?;
    }
    ws.set_row_height(0, 24)?;
    ws.set_row_height(1, 30)?;
    Ok(())
}

fn masked_note(pii: Pii) -> &'static str {
    match pii {
        Pii::Masked => "证件号码、姓名、联系电话已脱敏",
        Pii::Revealed => "注意：本表含未脱敏的个人信息（--reveal-pii），请妥善保管",
    }
}

/// Writes a header row and sets each column's width from the widest of its header and
/// `cells` (clamped to 6..60).
fn header_row(
    ws: &mut Worksheet,
    row: u32,
    headers: &[&str],
    widths: &[usize],
    fmt: &Formats,
) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &fmt.header)?;
        let w = widths.get(c).copied().unwrap_or(0).max(text_width(h));
        ws.set_column_width(c as u16, width(w))?;
    }
    Ok(())
}

/// A 合计 row of a table of `cols` columns: the label, blank cells, then `totals` in the
/// last columns.
fn total_row(
    ws: &mut Worksheet,
    row: u32,
    cols: u16,
    totals: &[u64],
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let first = cols.saturating_sub(totals.len() as u16);
    ws.write_string_with_format(row, 0, "合计", &fmt.header)?;
    for c in 1..first {
        ws.write_string_with_format(row, c, "", &fmt.header)?;
    }
    for (i, n) in totals.iter().enumerate() {
        ws.write_number_with_format(row, first + i as u16, *n as f64, &fmt.header)?;
    }
    Ok(())
}

/// Freezes the panes below the header row `head` (and left of column `cols`), sets up
/// printing and repeats the header on every page.
fn finish_table(
    ws: &mut Worksheet,
    head: u32,
    cols: u16,
    subject: &str,
    date: &str,
) -> Result<(), XlsxError> {
    ws.set_freeze_panes(head + 1, cols)?;
    print_setup(ws, subject, date);
    ws.set_repeat_rows(head, head)?;
    Ok(())
}

/// The 汇总 sheet: one row per town (county-level and unplaced findings last), with counts
/// per severity and per rule group.
fn write_overview(
    ws: &mut Worksheet,
    b: &Book<'_, '_>,
    date: &str,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let report = b.report;
    let ran: Vec<_> = report
        .rules
        .iter()
        .filter(|r| report.ran(&r.code))
        .collect();
    let mut groups: Vec<&str> = Vec::new();
    for r in &ran {
        let g = group_of(&r.code);
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    let severities = [Severity::Error, Severity::Warning, Severity::Info];
    let severity_of: HashMap<&str, Severity> = report
        .rules
        .iter()
        .map(|r| (r.code.as_str(), r.severity))
        .collect();
    let mut headers: Vec<&str> = vec!["县", "乡镇"];
    headers.extend(severities.iter().map(|s| s.label()));
    headers.extend(groups.iter().copied());
    headers.push("合计");
    let cols = headers.len() as u16;

    let total: usize = b.units.iter().map(|u| b.rows(u.bucket).len()).sum();
    let p = &report.params;
    let masked = masked_note(b.opts.pii);
    let line = p
        .number("monitoring_line")
        .map(|l| format!("监测线 {} 元；", l.normalize()))
        .unwrap_or_default();
    heading_rows(
        ws,
        &format!("{}数据质量核查汇总", b.title_region.unwrap_or("")),
        &format!(
            "截至{date}；{line}共 {total} 条问题；{masked}。按严重程度和规则分组（规则代码的字母，如 MN 即 MN01…）计数，各规则见「规则」表。"
        ),
        cols,
        fmt,
    )?;
    let head = 3u32;
    let mut widths: Vec<usize> = headers.iter().map(|h| text_width(h).max(4)).collect();
    let mut row = head + 1;
    let mut totals = vec![0u64; headers.len()];
    for unit in b.units {
        let mut counts = vec![0u64; headers.len()];
        for r in b.rows(unit.bucket) {
            let code = &*r.finding.code;
            if let Some(s) = severity_of.get(code)
                && let Some(i) = severities.iter().position(|x| x == s)
                && let Some(n) = counts.get_mut(2 + i)
            {
                *n += 1;
            }
            if let Some(i) = groups.iter().position(|g| *g == group_of(code))
                && let Some(n) = counts.get_mut(2 + severities.len() + i)
            {
                *n += 1;
            }
            if let Some(n) = counts.last_mut() {
                *n += 1;
            }
        }
        let town = match unit.bucket {
            Bucket::Town(_) => unit.town.as_str(),
            _ => unit.label.as_str(),
        };
        ws.write_string_with_format(row, 0, &unit.county, &fmt.cell)?;
        ws.write_string_with_format(row, 1, town, &fmt.cell)?;
        for (c, w) in [&unit.county, town].iter().enumerate() {
            if let Some(x) = widths.get_mut(c) {
                *x = (*x).max(text_width(w).min(16));
            }
        }
        for (c, n) in counts.iter().enumerate().skip(2) {
            ws.write_number_with_format(row, c as u16, *n as f64, &fmt.number)?;
            if let Some(t) = totals.get_mut(c) {
                *t += n;
            }
        }
        row += 1;
    }
    total_row(ws, row, cols, totals.get(2..).unwrap_or(&[]), fmt)?;
    header_row(ws, head, &headers, &widths, fmt)?;
    let subject = format!("{}数据质量核查汇总", b.title_region.unwrap_or(""));
    finish_table(ws, head, 2, &subject, date)
}

/// The 规则 sheet: every rule that ran with its count, then the rules not run and those
/// switched off.
fn write_rules(
    ws: &mut Worksheet,
    b: &Book<'_, '_>,
    date: &str,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let report = b.report;
    let headers = ["规则代码", "规则名称", "严重程度", "问题数"];
    heading_rows(
        ws,
        "核查规则及问题数",
        &format!("截至{date}；本表所列问题数为本工作簿中的条数。"),
        headers.len() as u16,
        fmt,
    )?;
    let mut count: HashMap<&str, u64> = HashMap::new();
    for u in b.units {
        for r in b.rows(u.bucket) {
            *count.entry(&*r.finding.code).or_insert(0) += 1;
        }
    }
    let head = 3u32;
    let mut widths = vec![8usize, 24, 8, 6];
    let mut row = head + 1;
    for rule in report.rules.iter().filter(|r| report.ran(&r.code)) {
        ws.write_string_with_format(row, 0, &rule.code, &fmt.cell)?;
        ws.write_string_with_format(row, 1, &rule.title, &fmt.cell)?;
        ws.write_string_with_format(row, 2, rule.severity.label(), &fmt.number)?;
        let n = count.get(rule.code.as_str()).copied().unwrap_or(0);
        ws.write_number_with_format(row, 3, n as f64, &fmt.number)?;
        if let Some(w) = widths.get_mut(1) {
            *w = (*w).max(text_width(&rule.title).min(50));
        }
        row += 1;
    }
    total_row(
        ws,
        row,
        headers.len() as u16,
        &[count.values().sum::<u64>()],
        fmt,
    )?;
    row += 2;
    if !report.skipped.is_empty() {
        ws.write_string_with_format(
            row,
            0,
            "未执行的规则（输入中缺少所需的列或表）",
            &fmt.section,
        )?;
        row += 1;
        for (c, h) in ["规则代码", "规则名称", "严重程度", "缺少的列或表"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(row, c as u16, *h, &fmt.header)?;
        }
        row += 1;
        for (code, missing) in &report.skipped {
            let rule = report.rule(code);
            ws.write_string_with_format(row, 0, code, &fmt.cell)?;
            ws.write_string_with_format(row, 1, rule.map_or("", |r| r.title.as_str()), &fmt.cell)?;
            ws.write_string_with_format(
                row,
                2,
                rule.map_or("", |r| r.severity.label()),
                &fmt.number,
            )?;
            ws.write_string_with_format(row, 3, missing.join("、"), &fmt.cell)?;
            row += 1;
        }
        row += 1;
        if let Some(w) = widths.get_mut(3) {
            *w = 30;
        }
    }
    if !report.disabled.is_empty() {
        ws.write_string_with_format(row, 0, "已按配置关闭的规则", &fmt.section)?;
        row += 1;
        for code in &report.disabled {
            let rule = report.rule(code);
            ws.write_string_with_format(row, 0, code, &fmt.cell)?;
            ws.write_string_with_format(row, 1, rule.map_or("", |r| r.title.as_str()), &fmt.cell)?;
            row += 1;
        }
    }
    header_row(ws, head, &headers, &widths, fmt)?;
    finish_table(ws, head, 0, "核查规则及问题数", date)
}

/// The 上期对照 sheet: per town and rule, what became of last month's findings.
fn write_tracking(
    ws: &mut Worksheet,
    b: &Book<'_, '_>,
    lines: &[&TrackLine],
    date: &str,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let headers = [
        "乡镇",
        "规则代码",
        "规则名称",
        "已解决",
        "仍存在",
        "新增",
        "称已整改但仍存在",
    ];
    heading_rows(
        ws,
        "与上期核查清单对照",
        &format!(
            "截至{date}。已解决：上期清单中有、本期未再发现；仍存在：上期清单中有、本期仍发现（已带入上期的核实情况和说明）；新增：本期新发现；称已整改但仍存在：见「整改核对」表。"
        ),
        headers.len() as u16,
        fmt,
    )?;
    let head = 3u32;
    let mut widths = vec![10usize, 8, 24, 6, 6, 6, 10];
    let mut row = head + 1;
    let mut sums = [0u64; 4];
    for l in lines {
        let title = b.report.rule(&l.code).map_or("", |r| r.title.as_str());
        ws.write_string_with_format(row, 0, &l.town, &fmt.cell)?;
        ws.write_string_with_format(row, 1, &l.code, &fmt.cell)?;
        ws.write_string_with_format(row, 2, title, &fmt.cell)?;
        for (i, n) in [l.resolved, l.still, l.new, l.contradicted]
            .iter()
            .enumerate()
        {
            ws.write_number_with_format(row, 3 + i as u16, *n as f64, &fmt.number)?;
            if let Some(s) = sums.get_mut(i) {
                *s += n;
            }
        }
        for (c, t) in [(0, &l.town), (2, &title.to_string())] {
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(text_width(t).min(40));
            }
        }
        row += 1;
    }
    total_row(ws, row, headers.len() as u16, &sums, fmt)?;
    header_row(ws, head, &headers, &widths, fmt)?;
    finish_table(ws, head, 0, "与上期核查清单对照", date)
}

/// The 整改核对 sheet: findings still present that the town answered 属实已整改.
fn write_contradictions(
    ws: &mut Worksheet,
    b: &Book<'_, '_>,
    list: &[&Contradiction],
    date: &str,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    // 上期核实情况, not 核实情况: this sheet is no town's list when the workbook comes back.
    let headers = [
        NUMBER_COLUMN,
        "乡镇",
        "村",
        "户编号",
        "姓名",
        "问题说明",
        "本期问题值",
        "上期核实情况",
        "上期说明",
        "上期清单位置",
    ];
    heading_rows(
        ws,
        "整改核对：上期填报“属实已整改”、本期数据中仍有的问题",
        &format!(
            "截至{date}；共 {} 条；{}。请核对是否确已整改、系统数据是否已更新。",
            list.len(),
            masked_note(b.opts.pii)
        ),
        headers.len() as u16,
        fmt,
    )?;
    let regions = &b.ds.regions;
    let name_at = |r: Option<RegionId>, level: Level| -> &str {
        r.and_then(|r| regions.ancestor_at(r, level))
            .map_or("", |id| regions.name(id))
    };
    let numbers: HashMap<usize, &str> = b
        .units
        .iter()
        .flat_map(|u| b.rows(u.bucket))
        .map(|r| (r.index, r.number))
        .collect();
    let pii = b.opts.pii;
    let texts: Vec<[String; 10]> = list
        .iter()
        .filter_map(|c| {
            let f = b.report.findings.get(c.finding)?;
            let back = &c.returned;
            let place = Place {
                file: gonggu_core::text::base_name(&back.place.file),
                ..back.place.clone()
            };
            Some([
                numbers.get(&c.finding).copied().unwrap_or("").to_string(),
                name_at(f.region, Level::Town).to_string(),
                name_at(f.region, Level::Village).to_string(),
                f.household_id.clone().unwrap_or_default(),
                f.name.as_deref().map(|v| pii.name(v)).unwrap_or_default(),
                f.message.clone(),
                values_text(f, pii),
                back.answer.map_or("", |a| a.label()).to_string(),
                back.note.clone(),
                place.to_string(),
            ])
        })
        .collect();
    let caps = [16usize, 8, 9, 12, 7, 22, 22, 10, 18, 22];
    let widths: Vec<f64> = caps
        .iter()
        .enumerate()
        .map(|(c, max)| {
            let head = headers.get(c).map_or(4, |h| text_width(h).min(*max));
            let longest = texts
                .iter()
                .filter_map(|t| t.get(c))
                .map(|t| text_width(t))
                .max()
                .unwrap_or(0);
            longest.clamp(head.max(4), *max) as f64 + 1.0
        })
        .collect();
    let head = 3u32;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(head, c as u16, *h, &fmt.header)?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (row, cells) in (head + 1..).zip(&texts) {
        for (i, text) in cells.iter().enumerate() {
            ws.write_string_with_format(row, i as u16, text, &fmt.cell)?;
        }
        fit_height(ws, row, cells, &widths)?;
    }
    finish_table(ws, head, 0, "整改核对", date)
}

/// Where a finding comes from, short enough for a narrow column: the file's base name,
/// the sheet unless it is named like the file, the row (`监测对象信息.xlsx，第 4945 行`).
fn source_text(ds: &Dataset, f: &Finding) -> String {
    let Some(src) = ds.sources.get(f.at.source as usize) else {
        return ds.describe_short(f.at);
    };
    let file = gonggu_core::text::base_name(&src.file);
    let stem = std::path::Path::new(&file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match src.sheet.as_deref() {
        Some(sheet) if sheet != stem => format!("{file}「{sheet}」，第 {} 行", f.at.row),
        _ => format!("{file}，第 {} 行", f.at.row),
    }
}

/// The offending values as in the file, personal ones masked: `务工所在地：…；务工去向：省外`.
/// The 证件号码 rules (ID…) quote no value, the number being the value: it is shown here
/// too (masked), so that no 问题值 cell is empty.
fn values_text(f: &Finding, pii: Pii) -> String {
    if f.values.is_empty()
        && group_of(&f.code) == "ID"
        && let Some(id) = f.id_number.as_deref()
    {
        return format!("证件号码：{}", pii.id(id));
    }
    let values: Vec<String> = f
        .values
        .iter()
        .map(|(c, v)| {
            let v = if v.trim().is_empty() {
                "（空）".to_string()
            } else {
                pii.quote(c, v)
            };
            format!("{c}：{v}")
        })
        .collect();
    values.join("；")
}

/// Lines a text takes in a column of `width` characters when wrapped.
fn lines(text: &str, width: f64) -> usize {
    let per_line = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|l| ((text_width(l) as f64) / per_line).ceil().max(1.0) as usize)
        .sum()
}

/// Sets a row's height to the most lines any of its wrapped cells takes: LibreOffice
/// does not grow rows to wrapped text by itself, and Excel only when the row is edited.
fn fit_height(
    ws: &mut Worksheet,
    row: u32,
    cells: &[String],
    widths: &[f64],
) -> Result<(), XlsxError> {
    let n = lines_max(cells, widths);
    if n > 1 {
        ws.set_row_height(row, n as f64 * LINE_HEIGHT + 2.0)?;
    }
    Ok(())
}

fn write_findings(
    ws: &mut Worksheet,
    b: &Book<'_, '_>,
    subject: &str,
    heading: &str,
    rows: &[Row<'_>],
    date: &str,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let (ds, report, pii) = (b.ds, b.report, b.opts.pii);
    let last_col = (COLUMNS.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last_col, heading, &fmt.title)?;
    ws.set_row_height(0, 24)?;
    let severity: HashMap<&str, &str> = report
        .rules
        .iter()
        .map(|r| (r.code.as_str(), r.severity.label()))
        .collect();
    let regions = &ds.regions;
    let name_at = |r: Option<RegionId>, level: Level| -> &str {
        r.and_then(|r| regions.ancestor_at(r, level))
            .map_or("", |id| regions.name(id))
    };
    let texts: Vec<[String; 13]> = rows
        .iter()
        .map(|r| {
            let f = r.finding;
            let (answer, note) = b
                .opts
                .tracking
                .and_then(|t| t.carried(r.index))
                .map_or(("", ""), |(a, n)| (a.map_or("", |a| a.label()), n));
            [
                r.number.to_string(),
                f.message.clone(),
                severity.get(&*f.code).copied().unwrap_or("").to_string(),
                name_at(f.region, Level::Town).to_string(),
                name_at(f.region, Level::Village).to_string(),
                f.household_id.clone().unwrap_or_default(),
                f.id_number
                    .as_deref()
                    .map(|v| pii.id(v))
                    .unwrap_or_default(),
                f.name.as_deref().map(|v| pii.name(v)).unwrap_or_default(),
                f.phone.as_deref().map(|v| pii.phone(v)).unwrap_or_default(),
                values_text(f, pii),
                source_text(ds, f),
                answer.to_string(),
                note.to_string(),
            ]
        })
        .collect();
    // Each column as wide as its longest text, between its narrowest and widest.
    let widths: Vec<f64> = COLUMNS
        .iter()
        .enumerate()
        .map(|(c, (_, min, max))| {
            let longest = texts
                .iter()
                .filter_map(|t| t.get(c))
                .map(|t| text_width(t))
                .max()
                .unwrap_or(0);
            longest.clamp(*min, *max) as f64 + 1.0
        })
        .collect();
    for (c, (h, _, _)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &fmt.header)?;
    }
    let header: Vec<String> = COLUMNS.iter().map(|(h, _, _)| h.to_string()).collect();
    ws.set_row_height(1, lines_max(&header, &widths) as f64 * LINE_HEIGHT + 4.0)?;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let mut row = HEAD_ROWS as u32;
    for cells in &texts {
        for (c, text) in cells.iter().enumerate() {
            let format = match c {
                2 => &fmt.number,
                _ if c >= ANSWER_COL as usize => &fmt.input,
                _ => &fmt.cell,
            };
            ws.write_string_with_format(row, c as u16, text, format)?;
        }
        fit_height(ws, row, cells, &widths)?;
        row += 1;
    }
    let last_row = (row.max(HEAD_ROWS as u32 + 1)) - 1;
    let answers: Vec<&str> = Answer::ALL.iter().map(|a| a.label()).collect();
    let validation = DataValidation::new()
        .allow_list_strings(&answers)?
        .set_input_title(ANSWER_COLUMN)?
        .set_input_message(
            "请从下拉列表中选择：属实已整改、属实整改中或不属实；情况写在“说明”列。",
        )?
        .set_error_title(ANSWER_COLUMN)?
        .set_error_message("只能选择：属实已整改、属实整改中、不属实。")?;
    ws.add_data_validation(
        HEAD_ROWS as u32,
        ANSWER_COL,
        last_row,
        ANSWER_COL,
        &validation,
    )?;
    ws.set_freeze_panes(HEAD_ROWS as u32, 1)?;
    // Protected without a password, so that a 核查编号 is not changed by mistake (the
    // answers are matched by it); 核实情况 and 说明 stay open, and filtering, widening
    // columns and rows still work.
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        use_autofilter: true,
        ..ProtectionOptions::default()
    });
    print_setup(ws, &format!("{subject}数据质量核查清单"), date);
    ws.set_repeat_rows(1, 1)?;
    ws.autofilter(1, 0, last_row, last_col)?;
    Ok(())
}

fn lines_max(cells: &[String], widths: &[f64]) -> usize {
    cells
        .iter()
        .zip(widths)
        .map(|(t, w)| lines(t, *w))
        .max()
        .unwrap_or(1)
}

#[cfg(test)]
mod tests;
