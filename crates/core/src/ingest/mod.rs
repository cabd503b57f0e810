//! Reading exports: the only code that touches calamine and csv.
//!
//! Each file may hold several tables (one per sheet). For every sheet the header row is
//! searched among the first 10 rows (exports put title rows above it), columns are matched by
//! canonical name or alias, the table kind is recognised from its headers (or, for 目标, from
//! the sheet or file name), and rows are turned into typed records by [`build`]. Several files
//! or sheets of one kind are concatenated.

pub(crate) mod build;
pub(crate) mod schema;
pub(crate) mod source;
pub mod value;
pub mod vocab;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx};

use crate::error::{Error, Place, Result};
use crate::model::{Dataset, SourceInfo, TableKind};
use crate::region::Level;

use build::{Builder, RowCtx};
use schema::{HeaderMatcher, guess_record_header, region_header_level};
use source::{CsvRows, RangeRows, RowBuf, RowSource, XlsxRows};

/// How many rows from the top of a sheet may hold the header.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// Options for reading inputs.
#[derive(Default)]
pub struct ReadOptions {
    /// Extra column aliases: canonical (or any known) name → aliases (`[aliases]`).
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Region name variants → official name (`商丘市梁园区` → `梁园区`).
    pub region_aliases: BTreeMap<String, String>,
    /// The parent region's name (rows naming it are totals; also where 县 cells are looked
    /// up in the division table to place 务工所在地 addresses).
    pub region_name: Option<String>,
    /// `[region] code`: the parent region's division code (`411400`), pinning it in the
    /// division table.
    pub region_code: Option<String>,
    /// `[region_codes]`: 县 names the division table lacks (functional zones such as
    /// 示范区) → the code of their county, or of the prefecture they lie in.
    pub region_codes: BTreeMap<String, String>,
    /// Unparseable values are fatal instead of warnings.
    pub strict: bool,
    /// Personal data in quoted values (warnings, errors): masked unless revealed.
    pub pii: crate::mask::Pii,
    /// Called with the number of data rows read so far (every few thousand rows).
    pub progress: Option<Box<dyn Fn(u64) + Send + Sync>>,
}

impl std::fmt::Debug for ReadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadOptions")
            .field("aliases", &self.aliases)
            .field("region_aliases", &self.region_aliases)
            .field("region_name", &self.region_name)
            .field("region_code", &self.region_code)
            .field("region_codes", &self.region_codes)
            .field("strict", &self.strict)
            .field("pii", &self.pii)
            .finish_non_exhaustive()
    }
}

pub use crate::text::normalize_header;

/// Name of the hidden sheet that marks a gonggu 填报 template (`gonggu template`): in a
/// workbook that has it, every figure cell must be filled.
pub const TEMPLATE_MARKER_SHEET: &str = "gonggu模板";

/// A unit whose figures come in two 汇总 rows (two filled templates, say) cannot be
/// counted: an error naming both places.
fn refuse_units_reported_twice(ds: &Dataset) -> Result<()> {
    let mut seen: std::collections::HashMap<crate::region::RegionId, crate::model::RowRef> =
        std::collections::HashMap::new();
    for row in &ds.summary {
        if let Some(first) = seen.insert(row.region, row.at) {
            let place = ds
                .sources
                .get(row.at.source as usize)
                .map(|s| Place {
                    file: s.file.clone(),
                    sheet: s.sheet.clone(),
                    row: Some(row.at.row),
                    column: None,
                })
                .unwrap_or_default();
            return Err(Error::Input {
                place,
                message: format!(
                    "「{}」的数字填报了两次，另一次在{}。请只保留一份。",
                    ds.regions.name(row.region),
                    ds.describe(first)
                ),
            });
        }
    }
    Ok(())
}

/// Reads every input file into one dataset.
///
/// # Errors
/// - [`Error::Io`] when a file cannot be opened, [`Error::Empty`] when it holds nothing,
///   [`Error::Unreadable`] when it is not a workbook or CSV (e.g. a corrupt zip);
/// - [`Error::NoHeader`] when no sheet of a file has a recognisable header row;
/// - [`Error::MissingColumn`] when a table lacks a required column;
/// - [`Error::BadValue`] for an unparseable figure in a 汇总, or any unparseable value with
///   `strict`;
/// - [`Error::Config`] when `region_code` or a code of `region_codes` is not in the
///   division table.
///
/// Unparseable values in rosters and ledgers are not errors: they are collected in
/// [`Dataset::bad_values`] and treated as missing.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::{read_inputs, ReadOptions};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("名单.csv");
/// std::fs::write(&path, "县,乡,村,户编号,证件号码,户类型\n夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户\n").unwrap();
/// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
/// assert_eq!(ds.roster.households.len(), 1);
///
/// let bad = dir.path().join("坏.csv");
/// std::fs::write(&bad, "").unwrap();
/// assert!(read_inputs(&[bad], &ReadOptions::default()).is_err());
/// ```
pub fn read_inputs(paths: &[PathBuf], opts: &ReadOptions) -> Result<Dataset> {
    let matcher = HeaderMatcher::new(&opts.aliases).map_err(Error::Config)?;
    let places = crate::division::Places::new(
        opts.region_name.as_deref(),
        opts.region_code.as_deref(),
        &opts.region_codes,
    )?;
    let mut builder = Builder::new(opts, crate::division::Classifier::new(places));
    let mut rows_read = 0u64;
    for path in paths {
        read_file(path, &matcher, &mut builder, &mut rows_read)?;
    }
    let (mut ds, work_notes) = builder.finish();
    refuse_units_reported_twice(&ds)?;
    let merged = ds.roster.merged_persons;
    if merged > 0 {
        ds.notes.push(format!(
            "{merged} 人同时出现在多张人员表中，已按证件号码合并（以含监测信息的记录为准）。"
        ));
    }
    if !ds.total_rows.is_empty() {
        ds.notes.push(format!(
            "跳过合计行 {} 行（合计由 gonggu 重新计算）。",
            ds.total_rows.len()
        ));
    }
    if !ds.bad_values.is_empty() {
        ds.notes.push(format!(
            "有 {} 个值无法识别，已按缺失处理（gonggu check 会逐条列出；--strict 可使其报错）。",
            ds.bad_values.len()
        ));
    }
    ds.notes.extend(work_notes);
    Ok(ds)
}

fn display_name(path: &Path) -> String {
    path.display().to_string()
}

enum Outcome {
    Read,
    Blank,
    Unrecognised(String),
}

fn read_file(
    path: &Path,
    matcher: &HeaderMatcher,
    b: &mut Builder<'_>,
    rows_read: &mut u64,
) -> Result<()> {
    let file = display_name(path);
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        return Err(Error::Unreadable {
            file,
            reason: "这是一个目录，不是文件".into(),
        });
    }
    if meta.len() == 0 {
        return Err(Error::Empty { file });
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let stem_says_targets = path
        .file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.contains("目标"));
    let unreadable = |e: &dyn std::fmt::Display| Error::Unreadable {
        file: file.clone(),
        reason: e.to_string(),
    };
    let mut outcomes: Vec<(Option<String>, Outcome)> = Vec::new();
    match ext.as_str() {
        "csv" | "txt" => {
            b.template = false;
            let mut rows = CsvRows::open(path, &file)?;
            let ctx = TableCtx {
                file: &file,
                sheet: None,
                targets_hint: stem_says_targets,
            };
            outcomes.push((None, read_table(&mut rows, &ctx, matcher, b, rows_read)?));
        }
        "xlsx" | "xlsm" => {
            let f = File::open(path).map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
            let mut wb: Xlsx<_> =
                Xlsx::new(BufReader::with_capacity(1 << 16, f)).map_err(|e| unreadable(&e))?;
            b.template = wb.sheet_names().iter().any(|n| n == TEMPLATE_MARKER_SHEET);
            for name in wb.sheet_names() {
                let mut rows = XlsxRows::open(&mut wb, &name, &file)?;
                let ctx = TableCtx {
                    file: &file,
                    sheet: Some(&name),
                    targets_hint: stem_says_targets || name.contains("目标"),
                };
                let o = read_table(&mut rows, &ctx, matcher, b, rows_read)?;
                outcomes.push((Some(name.clone()), o));
            }
        }
        "xls" | "ods" | "xlsb" => {
            let mut wb = calamine::open_workbook_auto(path).map_err(|e| unreadable(&e))?;
            b.template = wb.sheet_names().iter().any(|n| n == TEMPLATE_MARKER_SHEET);
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).map_err(|e| unreadable(&e))?;
                let mut rows = RangeRows::new(range);
                let ctx = TableCtx {
                    file: &file,
                    sheet: Some(&name),
                    targets_hint: stem_says_targets || name.contains("目标"),
                };
                let o = read_table(&mut rows, &ctx, matcher, b, rows_read)?;
                outcomes.push((Some(name.clone()), o));
            }
        }
        _ => {
            return Err(Error::Unreadable {
                file,
                reason: format!("不支持的文件类型「.{ext}」，请提供 xlsx、xlsm、xls、ods 或 csv"),
            });
        }
    }
    if outcomes.iter().any(|(_, o)| matches!(o, Outcome::Read)) {
        return Ok(());
    }
    if outcomes.iter().all(|(_, o)| matches!(o, Outcome::Blank)) {
        return Err(Error::Empty { file });
    }
    let (sheet, hint) = outcomes
        .into_iter()
        .find_map(|(s, o)| match o {
            Outcome::Unrecognised(h) => Some((s, h)),
            _ => None,
        })
        .unwrap_or((None, String::new()));
    Err(Error::NoHeader {
        place: Place {
            file,
            sheet,
            row: None,
            column: None,
        },
        hint,
    })
}

struct TableCtx<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    targets_hint: bool,
}

enum Recognised {
    Record(schema::HeaderGuess),
    Figures {
        targets: bool,
        regions: Vec<(usize, Level)>,
    },
}

/// Looks at one candidate header row for a 汇总 or 目标 table: leading region columns and
/// at least one figure column.
fn guess_figures(row: &RowBuf, targets_hint: bool) -> Option<Recognised> {
    let mut regions = Vec::new();
    let mut others = 0;
    let mut measures = 0;
    for (i, cell) in row.cells().iter().enumerate() {
        let t = cell.as_text();
        if t.is_empty() {
            continue;
        }
        match region_header_level(t) {
            Some(level) if others == 0 => regions.push((i, level)),
            _ => {
                others += 1;
                if crate::measures::by_name(t).is_some() {
                    measures += 1;
                }
            }
        }
    }
    if regions.is_empty() || others == 0 {
        return None;
    }
    if targets_hint {
        return Some(Recognised::Figures {
            targets: true,
            regions,
        });
    }
    (measures > 0).then_some(Recognised::Figures {
        targets: false,
        regions,
    })
}

fn read_table(
    src: &mut dyn RowSource,
    ctx: &TableCtx<'_>,
    matcher: &HeaderMatcher,
    b: &mut Builder<'_>,
    rows_read: &mut u64,
) -> Result<Outcome> {
    let mut head: Vec<(u32, RowBuf)> = Vec::new();
    let mut buf = RowBuf::default();
    while head.len() < HEADER_SEARCH_ROWS {
        match src.next_row(&mut buf)? {
            Some(r) => head.push((r, buf.snapshot())),
            None => break,
        }
    }
    if head.is_empty() {
        return Ok(Outcome::Blank);
    }
    let mut found: Option<(usize, Recognised)> = None;
    let mut best_incomplete: Option<(usize, schema::HeaderGuess)> = None;
    for (i, (_, row)) in head.iter().enumerate() {
        if let Some(g) = guess_record_header(row, matcher) {
            if g.missing.is_empty() {
                found = Some((i, Recognised::Record(g)));
                break;
            }
            // A 汇总 header names measures such as 衔接资金（万元）, which a project
            // ledger also has: a region column first makes it a 汇总.
            if let Some(f) = guess_figures(row, ctx.targets_hint) {
                found = Some((i, f));
                break;
            }
            if best_incomplete
                .as_ref()
                .is_none_or(|(_, b)| g.score > b.score)
            {
                best_incomplete = Some((i, g));
            }
            continue;
        }
        if let Some(f) = guess_figures(row, ctx.targets_hint) {
            found = Some((i, f));
            break;
        }
    }
    let place = |row: Option<u32>| Place {
        file: ctx.file.to_string(),
        sheet: ctx.sheet.map(str::to_string),
        row,
        column: None,
    };
    let Some((hi, recognised)) = found else {
        if let Some((i, g)) = best_incomplete {
            let (row_no, row) = &head[i];
            let found: Vec<&str> = row
                .cells()
                .iter()
                .map(|c| c.as_text())
                .filter(|t| !t.is_empty())
                .collect();
            let column = g
                .missing
                .iter()
                .map(|c| c.canonical())
                .collect::<Vec<_>>()
                .join("」「");
            return Err(Error::MissingColumn {
                place: place(Some(*row_no)),
                table: g.kind.label(),
                column,
                found: found.join("、"),
            });
        }
        // A row holding an ID or a phone number is a data row: its cells (names among
        // them) are not quoted unless personal data is revealed.
        let masked = b.opts.pii == crate::mask::Pii::Masked;
        let mut first: Vec<String> = Vec::new();
        for (row_no, r) in head.iter() {
            let cells: Vec<&str> = r
                .cells()
                .iter()
                .map(|c| c.as_text())
                .filter(|t| !t.is_empty())
                .collect();
            if masked && cells.iter().any(|t| crate::mask::looks_personal(t)) {
                first.push(format!(
                    "（第 {row_no} 行像是一行数据，含证件号码或电话，不予显示）"
                ));
            } else {
                first.extend(cells.iter().map(|t| t.to_string()));
            }
            if first.len() >= 8 {
                break;
            }
        }
        first.truncate(8);
        return Ok(Outcome::Unrecognised(format!(
            "前几行的内容是：{}。人员表需要「县」「乡」「村」「户编号」「证件号码」「户类型」等列；汇总表第一列应为「县(市、区)」或「乡镇」。",
            first.join("、")
        )));
    };
    let (header_row, header) = &head[hi];
    let headers: Vec<String> = header
        .cells()
        .iter()
        .map(|c| c.as_text().to_string())
        .collect();
    let kind = match &recognised {
        Recognised::Record(g) => g.kind,
        Recognised::Figures { targets: true, .. } => TableKind::Targets,
        Recognised::Figures { .. } => TableKind::Summary,
    };
    let source = b.add_source(SourceInfo {
        file: ctx.file.to_string(),
        sheet: ctx.sheet.map(str::to_string),
        kind,
        header_row: *header_row,
        headers: headers.clone(),
        rows: 0,
    });
    let mut count = 0u64;
    match recognised {
        Recognised::Record(g) => {
            match kind {
                TableKind::Roster => {
                    for c in g.map.columns() {
                        b.ds.roster.columns.insert(c.canonical());
                    }
                }
                TableKind::Projects => {
                    for c in g.map.columns() {
                        b.ds.project_columns.insert(c.canonical());
                    }
                }
                TableKind::Loans => {
                    for c in g.map.columns() {
                        b.ds.loan_columns.insert(c.canonical());
                    }
                }
                _ => {}
            }
            let county_pos = g.map.get(schema::Col::County);
            let handle = |b: &mut Builder<'_>, row: &RowBuf, excel_row: u32| -> Result<bool> {
                let first = county_pos
                    .and_then(|i| row.get(i))
                    .map(|c| c.as_text())
                    .unwrap_or("");
                if b.is_total_label(first) {
                    b.ds.total_rows.push(crate::model::RowRef {
                        source,
                        row: excel_row,
                    });
                    return Ok(false);
                }
                let r = RowCtx {
                    row,
                    map: &g.map,
                    source,
                    excel_row,
                };
                match kind {
                    TableKind::Roster => b.roster_row(&r)?,
                    TableKind::Projects => b.project_row(&r)?,
                    _ => b.loan_row(&r)?,
                }
                Ok(true)
            };
            for (r, row) in &head[hi + 1..] {
                count += u64::from(handle(b, row, *r)?);
            }
            let progress = b.progress();
            while let Some(r) = src.next_row(&mut buf)? {
                count += u64::from(handle(b, &buf, r)?);
                if count.is_multiple_of(8192)
                    && let Some(p) = progress
                {
                    p(*rows_read + count);
                }
            }
        }
        Recognised::Figures { targets, regions } => {
            let region_idx: Vec<usize> = regions.iter().map(|(i, _)| *i).collect();
            let mut value_cols = Vec::new();
            for (i, h) in headers.iter().enumerate() {
                if h.is_empty() || region_idx.contains(&i) {
                    continue;
                }
                let key = if targets {
                    normalize_header(h)
                } else {
                    match crate::measures::by_name(h) {
                        Some(m) => m.id.to_string(),
                        None => {
                            let n = normalize_header(h);
                            if ["率", "占比", "比例", "进度", "比重"]
                                .iter()
                                .any(|s| n.ends_with(s))
                            {
                                return Err(Error::Input {
                                    place: Place {
                                        column: Some(h.clone()),
                                        ..place(Some(*header_row))
                                    },
                                    message: format!(
                                        "汇总表中的「{h}」是比率，比率不能直接合计。请改为提供它的分子列和分母列（例如「贷款余额户数」和「脱贫户和监测户数」），gonggu 会重新计算比率和合计。"
                                    ),
                                });
                            }
                            b.ds.notes.push(format!(
                                "{}：汇总表中的列「{h}」不是已知的指标分量，已忽略。",
                                place(None)
                            ));
                            continue;
                        }
                    }
                };
                value_cols.push((i, h.clone(), key));
            }
            for (r, row) in &head[hi + 1..] {
                count += 1;
                b.figures_row(row, source, *r, &regions, &value_cols, targets)?;
            }
            while let Some(r) = src.next_row(&mut buf)? {
                count += 1;
                b.figures_row(&buf, source, r, &regions, &value_cols, targets)?;
            }
        }
    }
    *rows_read += count;
    if let Some(s) = b.ds.sources.get_mut(source as usize) {
        s.rows = count;
    }
    Ok(Outcome::Read)
}

#[cfg(test)]
mod tests;
