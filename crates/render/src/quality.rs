//! The data-quality workbook (核查清单, SPEC §5.5): a summary sheet `汇总` (rule × town
//! counts, then the rules that were not run) and one sheet per town with its findings, ready
//! to be sent back to the town's clerk. Personal data is masked with [`Pii`].
//!
//! Findings of projects and loans without a town go to a sheet named after the county
//! (`夏邑县（县级）`); rows that could not be placed at all go to `未定位地区`. Above
//! [`MAX_TOWNS_PER_WORKBOOK`] towns, one workbook per county is produced.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::error::{Error, Result};
use gonggu_core::mask::Pii;
use gonggu_core::model::Dataset;
use gonggu_core::region::{Level, RegionId};
use gonggu_core::text::date_zh;
use gonggu_core::validate::{CheckReport, Finding};

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

const COLUMNS: [&str; 12] = [
    "规则代码",
    "问题说明",
    "严重程度",
    "县",
    "乡镇",
    "村",
    "户编号",
    "证件号码",
    "姓名",
    "联系电话",
    "问题值",
    "来源",
];

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

/// One column of the overview and, when it has findings, one sheet.
struct Unit {
    bucket: Bucket,
    label: String,
}

fn render_err(e: XlsxError) -> Error {
    Error::Render {
        what: "核查清单",
        message: e.to_string(),
    }
}

/// Renders the 核查清单: one workbook, or one per county above
/// [`MAX_TOWNS_PER_WORKBOOK`] towns.
///
/// Returns (name, bytes) pairs: the name is empty for a single workbook, else the county's
/// name (or `未定位地区` for rows that could not be placed); the caller builds file names from
/// it. The bytes are deterministic: the creation date is the report's as-of date.
///
/// # Parameters
/// - `ds`: the dataset checked (regions and source names);
/// - `report`: the outcome of [`gonggu_core::validate::run_checks`];
/// - `pii`: [`Pii::Masked`] (default) masks 证件号码, 姓名 and 联系电话; [`Pii::Revealed`]
///   shows them (`--reveal-pii`).
///
/// # Errors
/// [`Error::Render`] when the workbook cannot be built (e.g. an as-of date outside Excel's
/// range).
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::ingest::{read_inputs, ReadOptions};
/// use gonggu_core::mask::Pii;
/// use gonggu_render::quality::quality_workbooks;
/// use gonggu_core::validate::{run_checks, CheckParams};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("名单.csv");
/// std::fs::write(&path, "县,乡,村,户编号,证件号码,户类型\n\
///     夏邑县,城关镇,东关村,H1,410101199001011235,脱贫户\n").unwrap();
/// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
/// let params = CheckParams::defaults(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()).unwrap();
/// let report = run_checks(&ds, &params).unwrap();
/// let books = quality_workbooks(&ds, &report, Pii::Masked).unwrap();
/// assert_eq!(books.len(), 1);
/// assert_eq!(books[0].0, "");
/// assert!(books[0].1.starts_with(b"PK"));
/// ```
pub fn quality_workbooks(
    ds: &Dataset,
    report: &CheckReport,
    pii: Pii,
) -> Result<Vec<(String, Vec<u8>)>> {
    let regions = &ds.regions;
    let counties = regions.at_level(Level::County);
    let towns = regions.at_level(Level::Town);

    // Town labels: the name, prefixed with the county where two counties share it.
    let mut name_count: HashMap<&str, usize> = HashMap::new();
    for &t in &towns {
        *name_count.entry(regions.name(t)).or_insert(0) += 1;
    }
    let town_label = |t: RegionId| {
        let name = regions.name(t);
        match regions.node(t).parent {
            Some(p) if name_count.get(name).copied().unwrap_or(0) > 1 => {
                format!("{}{}", regions.name(p), name)
            }
            _ => name.to_string(),
        }
    };

    let mut by_bucket: HashMap<Bucket, Vec<&Finding>> = HashMap::new();
    for f in &report.findings {
        by_bucket
            .entry(bucket_of(ds, f.region))
            .or_default()
            .push(f);
    }

    // Units per county: its towns, then its county-level findings.
    let mut per_county: Vec<(RegionId, Vec<Unit>)> =
        counties.iter().map(|&c| (c, Vec::new())).collect();
    let county_pos: HashMap<RegionId, usize> =
        counties.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    for &t in &towns {
        let pos = regions
            .node(t)
            .parent
            .and_then(|p| county_pos.get(&p).copied());
        if let Some((_, units)) = pos.and_then(|i| per_county.get_mut(i)) {
            units.push(Unit {
                bucket: Bucket::Town(t),
                label: town_label(t),
            });
        }
    }
    for (c, units) in &mut per_county {
        if by_bucket.contains_key(&Bucket::County(*c)) {
            units.push(Unit {
                bucket: Bucket::County(*c),
                label: format!("{}（县级）", regions.name(*c)),
            });
        }
    }
    let unplaced = by_bucket.contains_key(&Bucket::Unplaced).then(|| Unit {
        bucket: Bucket::Unplaced,
        label: "未定位地区".to_string(),
    });

    let book = |title_region: Option<&str>, units: &[Unit]| {
        build_workbook(ds, report, pii, title_region, units, &by_bucket)
    };
    let mut out = Vec::new();
    if towns.len() > MAX_TOWNS_PER_WORKBOOK {
        for (c, units) in &per_county {
            let name = regions.name(*c);
            out.push((name.to_string(), book(Some(name), units)?));
        }
        if let Some(u) = unplaced {
            out.push((u.label.clone(), book(None, std::slice::from_ref(&u))?));
        }
    } else {
        let title_region = match counties.as_slice() {
            [only] => Some(regions.name(*only)),
            _ => None,
        };
        let mut units: Vec<Unit> = per_county.into_iter().flat_map(|(_, u)| u).collect();
        units.extend(unplaced);
        out.push((String::new(), book(title_region, &units)?));
    }
    Ok(out)
}

struct Formats {
    title: Format,
    note: Format,
    header: Format,
    cell: Format,
    number: Format,
    section: Format,
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
            note: Format::new(),
            header: border(
                Format::new()
                    .set_bold()
                    .set_background_color(0xD9E1F2)
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_text_wrap(),
            ),
            cell: border(Format::new()),
            number: border(Format::new().set_align(FormatAlign::Center)),
            section: Format::new().set_bold(),
        }
    }
}

/// A4 landscape, one page wide: the lists are printed and signed off in the towns.
fn print_setup(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
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

fn build_workbook(
    ds: &Dataset,
    report: &CheckReport,
    pii: Pii,
    title_region: Option<&str>,
    units: &[Unit],
    by_bucket: &HashMap<Bucket, Vec<&Finding>>,
) -> Result<Vec<u8>> {
    let as_of = report.params.as_of;
    let mut wb = Workbook::new();
    let created = {
        let y = u16::try_from(as_of.year()).unwrap_or(1900);
        ExcelDateTime::from_ymd(y, as_of.month() as u8, as_of.day() as u8).map_err(render_err)?
    };
    let title = format!("{}数据质量核查清单", title_region.unwrap_or(""));
    wb.set_properties(
        &DocProperties::new()
            .set_title(&title)
            .set_author("gonggu")
            .set_creation_datetime(&created),
    );
    let fmt = Formats::new();
    let mut names = SheetNames::default();
    let date = date_zh(as_of);

    let overview = wb.add_worksheet();
    let overview_name = names.claim("汇总");
    overview.set_name(&overview_name).map_err(render_err)?;
    write_overview(
        overview,
        report,
        pii,
        units,
        by_bucket,
        title_region,
        &date,
        &fmt,
    )
    .map_err(render_err)?;

    for unit in units {
        let Some(findings) = by_bucket.get(&unit.bucket) else {
            continue;
        };
        let chunk_rows = EXCEL_ROWS - HEAD_ROWS;
        let parts = findings.len().div_ceil(chunk_rows).max(1);
        for (i, chunk) in findings.chunks(chunk_rows).enumerate() {
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
                findings.len()
            );
            write_findings(ws, ds, report, pii, &heading, chunk, &fmt).map_err(render_err)?;
        }
    }
    wb.save_to_buffer().map_err(render_err)
}

#[allow(clippy::too_many_arguments)]
fn write_overview(
    ws: &mut Worksheet,
    report: &CheckReport,
    pii: Pii,
    units: &[Unit],
    by_bucket: &HashMap<Bucket, Vec<&Finding>>,
    title_region: Option<&str>,
    date: &str,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let ran: Vec<_> = report
        .rules
        .iter()
        .filter(|r| report.ran(&r.code))
        .collect();
    let rule_row: HashMap<&str, usize> = ran
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.as_str(), i))
        .collect();
    // counts[rule][unit]
    let mut counts = vec![vec![0u64; units.len()]; ran.len()];
    for (u, unit) in units.iter().enumerate() {
        for f in by_bucket
            .get(&unit.bucket)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            if let Some(row) = rule_row.get(&*f.code).and_then(|&r| counts.get_mut(r))
                && let Some(n) = row.get_mut(u)
            {
                *n += 1;
            }
        }
    }
    let first_unit_col = 4u16;
    let last_col = match units.len() {
        0 => first_unit_col - 1,
        n => first_unit_col + (n - 1) as u16,
    };
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        &format!("{}数据质量核查汇总", title_region.unwrap_or("")),
        &fmt.title,
    )?;
    ws.set_row_height(0, 24)?;
    let masked = match pii {
        Pii::Masked => "证件号码、姓名、联系电话已脱敏",
        Pii::Revealed => "注意：本表含未脱敏的个人信息（--reveal-pii），请妥善保管",
    };
    let p = &report.params;
    ws.write_string_with_format(
        1,
        0,
        match p.number("monitoring_line") {
            Some(line) => format!(
                "截至{date}；监测线 {} 元；共 {} 条问题；{masked}。",
                line.normalize(),
                report.findings.len()
            ),
            None => format!(
                "截至{date}；共 {} 条问题；{masked}。",
                report.findings.len()
            ),
        },
        &fmt.note,
    )?;
    let head_row = 3u32;
    let mut widths = vec![8usize, 10, 8, 6];
    for (c, h) in ["规则代码", "规则名称", "严重程度", "合计"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(head_row, c as u16, *h, &fmt.header)?;
    }
    for (u, unit) in units.iter().enumerate() {
        ws.write_string_with_format(
            head_row,
            first_unit_col + u as u16,
            &unit.label,
            &fmt.header,
        )?;
        widths.push(text_width(&unit.label).min(16));
    }
    let mut row = head_row + 1;
    let mut totals = vec![0u64; units.len()];
    for (r, rule) in ran.iter().enumerate() {
        let line = counts.get(r).map(Vec::as_slice).unwrap_or(&[]);
        let total: u64 = line.iter().sum();
        ws.write_string_with_format(row, 0, &rule.code, &fmt.cell)?;
        ws.write_string_with_format(row, 1, &rule.title, &fmt.cell)?;
        ws.write_string_with_format(row, 2, rule.severity.label(), &fmt.number)?;
        ws.write_number_with_format(row, 3, total as f64, &fmt.number)?;
        if let Some(w) = widths.get_mut(1) {
            *w = (*w).max(text_width(&rule.title));
        }
        for (u, n) in line.iter().enumerate() {
            ws.write_number_with_format(row, first_unit_col + u as u16, *n as f64, &fmt.number)?;
            if let Some(t) = totals.get_mut(u) {
                *t += n;
            }
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, "合计", &fmt.header)?;
    ws.write_string_with_format(row, 1, "", &fmt.header)?;
    ws.write_string_with_format(row, 2, "", &fmt.header)?;
    ws.write_number_with_format(row, 3, totals.iter().sum::<u64>() as f64, &fmt.header)?;
    for (u, n) in totals.iter().enumerate() {
        ws.write_number_with_format(row, first_unit_col + u as u16, *n as f64, &fmt.header)?;
    }
    row += 2;

    if !report.skipped.is_empty() {
        ws.write_string_with_format(
            row,
            0,
            "未执行的规则（输入中缺少所需的列或表）",
            &fmt.section,
        )?;
        row += 1;
        // The missing columns are long: they span the town columns.
        let merge_to = last_col.max(3 + 6);
        for (c, h) in ["规则代码", "规则名称", "严重程度"].iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &fmt.header)?;
        }
        ws.merge_range(row, 3, row, merge_to, "缺少的列或表", &fmt.header)?;
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
            ws.merge_range(row, 3, row, merge_to, &missing.join("、"), &fmt.cell)?;
            row += 1;
        }
        row += 1;
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
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, width(*w))?;
    }
    ws.set_freeze_panes(head_row + 1, first_unit_col)?;
    print_setup(ws)?;
    Ok(())
}

fn write_findings(
    ws: &mut Worksheet,
    ds: &Dataset,
    report: &CheckReport,
    pii: Pii,
    heading: &str,
    findings: &[&Finding],
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let last_col = (COLUMNS.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last_col, heading, &fmt.title)?;
    ws.set_row_height(0, 24)?;
    let mut widths: Vec<usize> = COLUMNS.iter().map(|h| text_width(h)).collect();
    for (c, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &fmt.header)?;
    }
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
    let mut row = HEAD_ROWS as u32;
    for f in findings {
        let values: Vec<String> = f.values.iter().map(|(c, v)| format!("{c}：{v}")).collect();
        let cells: [String; 12] = [
            f.code.to_string(),
            f.message.clone(),
            severity.get(&*f.code).copied().unwrap_or("").to_string(),
            name_at(f.region, Level::County).to_string(),
            name_at(f.region, Level::Town).to_string(),
            name_at(f.region, Level::Village).to_string(),
            f.household_id.clone().unwrap_or_default(),
            f.id_number
                .as_deref()
                .map(|v| pii.id(v))
                .unwrap_or_default(),
            f.name.as_deref().map(|v| pii.name(v)).unwrap_or_default(),
            f.phone.as_deref().map(|v| pii.phone(v)).unwrap_or_default(),
            values.join("；"),
            ds.describe_short(f.at),
        ];
        for (c, text) in cells.iter().enumerate() {
            let format = if c == 0 || c == 2 {
                &fmt.number
            } else {
                &fmt.cell
            };
            ws.write_string_with_format(row, c as u16, text, format)?;
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(text_width(text));
            }
        }
        row += 1;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, width(*w))?;
    }
    ws.set_freeze_panes(HEAD_ROWS as u32, 0)?;
    print_setup(ws)?;
    ws.set_repeat_rows(0, (HEAD_ROWS - 1) as u32)?;
    let last_row = (row.max(HEAD_ROWS as u32 + 1)) - 1;
    ws.autofilter(1, 0, last_row, last_col)?;
    Ok(())
}

#[cfg(test)]
mod tests;
