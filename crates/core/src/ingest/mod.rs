//! Reading exports: the only code that touches calamine and csv.
//!
//! Rows come from `source`: `.xlsx` sheets through gonggu's own reader of the sheet XML
//! (`source/sheet.rs`, exactly what calamine reads, handing calamine whatever it does not
//! know), `.xls` and `.ods` through calamine, CSV through simd-csv with the csv crate as its
//! reference, each checked first by `guard` for what would crash or exhaust a reader.
//!
//! Each file may hold several tables (one per sheet). For every sheet the header row is
//! searched among the first 10 rows (exports put title rows above it, and may spread a header
//! over two rows: a merged group cell over sub-headers), the title rows are read for the date
//! of the data (`titles`), columns are matched by canonical name or alias, the table kind is
//! recognised from its headers (or, for 目标, from the sheet or file name), total rows and,
//! with a county as the region, other counties' rows are set aside (`scope`), and rows are
//! turned into typed records by [`build`]. Several files or sheets of one kind are
//! concatenated.

pub mod baseline;
pub(crate) mod build;
pub(crate) mod guard;
pub mod returned;
pub(crate) mod schema;
mod scope;
pub(crate) mod source;
mod titles;
pub mod value;
pub mod vocab;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Place, Result};
use crate::model::{Dataset, SourceInfo, TableKind};
use crate::region::Level;

use build::{Builder, FiguresLayout, RowCtx, RowOutcome};
use guard::Format;
use schema::{HeaderMatcher, guess_record_header, region_header_level};
use source::{CsvRows, RowBuf, RowSource, WholeBook, XlsxRows};

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
    /// Do not keep the text-only roster columns (民族, 住房面积…) that only check rules
    /// read, nor names and phone numbers (which only findings and lists show): for runs
    /// that compute indicators and list nobody.
    pub skip_texts: bool,
}

impl ReadOptions {
    /// The official name of a region name variant (`[region_aliases]`), else the name.
    pub(crate) fn region_alias<'a>(&'a self, name: &'a str) -> &'a str {
        self.region_aliases.get(name).map_or(name, String::as_str)
    }
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
            .field("skip_texts", &self.skip_texts)
            .finish_non_exhaustive()
    }
}

pub use crate::text::normalize_header;
pub use guard::reading_foreign_file;
pub use scope::is_total_label;
pub use titles::{StatedDate, stated_date};

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
///   division table;
/// - [`Error::Input`] when `-` (standard input, read as CSV) is given more than once.
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
    refuse_stdin_twice(paths)?;
    for path in paths {
        read_file(path, &matcher, &mut builder, &mut rows_read)?;
    }
    let county = builder.scope_county().map(str::to_string);
    let filled = builder.filled_regions;
    let derived: Vec<&str> = builder.derived.iter().copied().collect();
    let (mut ds, work_notes) = builder.finish();
    if let Some(county) = county
        && !ds.out_of_scope.is_empty()
    {
        let parts: Vec<String> = ds
            .out_of_scope
            .iter()
            .map(|(kind, n)| format!("{} {n} 行", kind.label()))
            .collect();
        ds.notes.push(format!(
            "配置的地区是{county}（gonggu.toml 的 [region] name），只统计{county}的数据：其他县(市、区)的行未计入（{}）。",
            parts.join("，")
        ));
    }
    if filled > 0 {
        ds.notes.push(format!(
            "人员表中有 {filled} 行的县、乡或村为空，已按同一户编号的其他成员所在地区计入。"
        ));
    }
    if !derived.is_empty() {
        ds.notes.push(format!(
            "人员表没有「{}」列，已按18位证件号码推算（年龄相关的核查规则照常执行）。",
            derived.join("」「")
        ));
    }
    refuse_units_reported_twice(&ds)?;
    let merged = ds.roster.merged_persons;
    if merged > 0 {
        ds.notes.push(format!(
            "{merged} 人同时出现在多张人员表中，已按证件号码合并（以含监测信息的记录为准）。"
        ));
    }
    if !ds.total_rows.is_empty() {
        ds.notes.push(format!(
            "跳过合计行 {} 行（合计按明细重新计算）。",
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

/// The input path that stands for standard input: a CSV roster piped in
/// (`zcat 监测对象信息.csv.gz | gonggu compute -`).
pub const STDIN_PATH: &str = "-";

/// How standard input is named in messages and in [`SourceInfo::file`].
pub const STDIN_NAME: &str = "标准输入";

/// Whether `path` is `-`, standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN_PATH
}

/// Standard input can be read once: `-` given twice is an error.
fn refuse_stdin_twice(paths: &[PathBuf]) -> Result<()> {
    if paths.iter().filter(|p| is_stdin(p)).count() > 1 {
        return Err(Error::Input {
            place: Place {
                file: STDIN_NAME.to_string(),
                ..Place::default()
            },
            message: "输入文件中「-」（标准输入）出现了不止一次，而标准输入只能读取一次。请只写一个「-」。".into(),
        });
    }
    Ok(())
}

enum Outcome {
    Read,
    Blank,
    Unrecognised(String),
}

/// A file about to be read: its name as shown, and what it is. Before calamine sees the
/// file: a folder, an empty file, and a workbook whose claims do not fit its size are
/// refused.
pub(crate) fn inspect_file(path: &Path) -> Result<(String, guard::Inspected)> {
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
    let inspected = guard::inspect(path, &file, &ext, meta.len())?;
    Ok((file, inspected))
}

fn read_file(
    path: &Path,
    matcher: &HeaderMatcher,
    b: &mut Builder<'_>,
    rows_read: &mut u64,
) -> Result<()> {
    if is_stdin(path) {
        return read_stdin(matcher, b, rows_read);
    }
    let (file, inspected) = inspect_file(path)?;
    let stem_says_targets = path
        .file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.contains("目标"));
    b.ds.notes.extend(inspected.note);
    let mut outcomes: Vec<(Option<String>, Outcome)> = Vec::new();
    match inspected.format {
        Format::Csv => {
            b.template = false;
            let mut rows = CsvRows::open(path, &file)?;
            let ctx = TableCtx {
                file: &file,
                sheet: None,
                targets_hint: stem_says_targets,
            };
            outcomes.push((None, read_table(&mut rows, &ctx, matcher, b, rows_read)?));
        }
        Format::Xlsx => {
            let mut wb = source::open_xlsx(path, &file)?;
            b.template = wb.sheet_names().iter().any(|n| n == TEMPLATE_MARKER_SHEET);
            for name in wb.sheet_names() {
                let mut rows = XlsxRows::open(&mut wb, &name, &file, path)?;
                let ctx = TableCtx {
                    file: &file,
                    sheet: Some(&name),
                    targets_hint: stem_says_targets || name.contains("目标"),
                };
                let o = read_table(&mut rows, &ctx, matcher, b, rows_read)?;
                b.ds.notes.extend(rows.take_notes());
                outcomes.push((Some(name.clone()), o));
            }
        }
        format @ (Format::Xls | Format::Ods) => {
            let mut wb = WholeBook::open(path, &file, format)?;
            b.template = wb.sheet_names().iter().any(|n| n == TEMPLATE_MARKER_SHEET);
            for name in wb.sheet_names() {
                let mut rows = wb.sheet(&name)?;
                let ctx = TableCtx {
                    file: &file,
                    sheet: Some(&name),
                    targets_hint: stem_says_targets || name.contains("目标"),
                };
                let o = read_table(&mut rows, &ctx, matcher, b, rows_read)?;
                outcomes.push((Some(name.clone()), o));
            }
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

/// A CSV table piped in on standard input (no file to inspect beforehand, no name to hint
/// at 目标).
fn read_stdin(matcher: &HeaderMatcher, b: &mut Builder<'_>, rows_read: &mut u64) -> Result<()> {
    b.template = false;
    let mut rows = CsvRows::from_reader(Box::new(std::io::stdin()), STDIN_NAME)?;
    let ctx = TableCtx {
        file: STDIN_NAME,
        sheet: None,
        targets_hint: false,
    };
    match read_table(&mut rows, &ctx, matcher, b, rows_read)? {
        Outcome::Read => Ok(()),
        Outcome::Blank => Err(Error::Empty {
            file: STDIN_NAME.to_string(),
        }),
        Outcome::Unrecognised(hint) => Err(Error::NoHeader {
            place: Place {
                file: STDIN_NAME.to_string(),
                ..Place::default()
            },
            hint,
        }),
    }
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

/// Looks at candidate column names for a 汇总 or 目标 table: leading region columns and at
/// least one figure column. The score is the number of region columns plus, for a 汇总, the
/// columns naming a measure (for a 目标, every named column: its columns may name
/// indicators, which ingest does not know).
fn guess_figures(names: &[String], targets_hint: bool) -> Option<(Recognised, usize)> {
    let mut regions = Vec::new();
    let mut others = 0;
    let mut measures = 0;
    for (i, t) in names.iter().enumerate() {
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
    let n = regions.len();
    if targets_hint {
        return Some((
            Recognised::Figures {
                targets: true,
                regions,
            },
            n + others,
        ));
    }
    (measures > 0).then_some((
        Recognised::Figures {
            targets: false,
            regions,
        },
        n + measures,
    ))
}

/// What one candidate header (one row, or two rows combined) is.
enum Assessed {
    Found(Recognised, usize),
    Incomplete(schema::HeaderGuess),
    Nothing,
}

fn assess(names: &[String], matcher: &HeaderMatcher, targets_hint: bool) -> Assessed {
    if let Some(g) = guess_record_header(names, matcher) {
        if g.missing.is_empty() {
            let score = g.score;
            return Assessed::Found(Recognised::Record(g), score);
        }
        // A 汇总 header names measures such as 衔接资金（万元）, which a project
        // ledger also has: a region column first makes it a 汇总.
        if let Some((f, score)) = guess_figures(names, targets_hint) {
            return Assessed::Found(f, score);
        }
        return Assessed::Incomplete(g);
    }
    match guess_figures(names, targets_hint) {
        Some((f, score)) => Assessed::Found(f, score),
        None => Assessed::Nothing,
    }
}

/// The header found among the first rows of a table.
struct Header {
    /// Index in the buffered rows of its first row.
    first: usize,
    /// One row, or two (a merged group row over sub-headers).
    rows: usize,
    /// The column names.
    names: Vec<String>,
    recognised: Recognised,
}

/// The best header candidate that lacks required columns (for the error naming them).
struct Incomplete {
    /// Index in the buffered rows of its (last) row.
    row: usize,
    names: Vec<String>,
    guess: schema::HeaderGuess,
}

/// Finds the header among the buffered first rows: the first row (or pair of rows read as
/// a two-row header) recognised as a table. A pair is taken only when it recognises more
/// columns than either of its rows alone, so a title row above a one-row header never
/// joins it.
fn find_header(
    texts: &[Vec<String>],
    matcher: &HeaderMatcher,
    targets_hint: bool,
) -> Result<Header, Option<Incomplete>> {
    let known = |name: &str| {
        matcher.column(name).is_some()
            || crate::measures::by_name(name).is_some()
            || region_header_level(name).is_some()
    };
    let score = |a: &Assessed| match a {
        Assessed::Found(_, s) => Some(*s),
        _ => None,
    };
    let mut best_incomplete: Option<Incomplete> = None;
    let mut keep_incomplete = |row: usize, names: &[String], a: Assessed| {
        if let Assessed::Incomplete(guess) = a
            && best_incomplete
                .as_ref()
                .is_none_or(|b| guess.score > b.guess.score)
        {
            best_incomplete = Some(Incomplete {
                row,
                names: names.to_vec(),
                guess,
            });
        }
    };
    for (i, row) in texts.iter().enumerate() {
        let single = assess(row, matcher, targets_hint);
        if let Some(sub) = texts.get(i + 1) {
            let names = schema::combine_header_rows(row, sub, &known);
            let pair = assess(&names, matcher, targets_hint);
            let next = assess(sub, matcher, targets_hint);
            let beats = |other: Option<usize>| match (score(&pair), other) {
                (Some(p), Some(o)) => p > o,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if beats(score(&single)) && beats(score(&next)) {
                if let Assessed::Found(recognised, _) = pair {
                    return Ok(Header {
                        first: i,
                        rows: 2,
                        names,
                        recognised,
                    });
                }
            } else {
                keep_incomplete(i + 1, &names, pair);
            }
        }
        match single {
            Assessed::Found(recognised, _) => {
                return Ok(Header {
                    first: i,
                    rows: 1,
                    names: row.clone(),
                    recognised,
                });
            }
            other => keep_incomplete(i, row, other),
        }
    }
    Err(best_incomplete)
}

/// The error or note when no header was found: the required columns an almost-header lacks,
/// else what the first rows hold.
fn not_found(
    head: &[(u32, RowBuf)],
    incomplete: Option<Incomplete>,
    masked: bool,
    place: &dyn Fn(Option<u32>) -> Place,
) -> Result<Outcome> {
    if let Some(Incomplete { row, names, guess }) = incomplete {
        let found: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|t| !t.is_empty())
            .collect();
        let column = guess
            .missing
            .iter()
            .map(|c| c.canonical())
            .collect::<Vec<_>>()
            .join("」「");
        return Err(Error::MissingColumn {
            place: place(head.get(row).map(|(r, _)| *r)),
            table: guess.kind.label(),
            column,
            found: found.join("、"),
        });
    }
    // A row holding an ID or a phone number is a data row: its cells (names among them)
    // are not quoted unless personal data is revealed.
    let mut first: Vec<String> = Vec::new();
    for (row_no, r) in head {
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
    Ok(Outcome::Unrecognised(format!(
        "前几行的内容是：{}。人员表需要「县」「乡」「村」「户编号」「证件号码」「户类型」等列；汇总表第一列应为「县(市、区)」或「乡镇」。",
        first.join("、")
    )))
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
    let texts: Vec<Vec<String>> = head
        .iter()
        .map(|(_, row)| {
            row.cells()
                .iter()
                .map(|c| c.as_text().to_string())
                .collect()
        })
        .collect();
    let place = |row: Option<u32>| Place {
        file: ctx.file.to_string(),
        sheet: ctx.sheet.map(str::to_string),
        row,
        column: None,
    };
    let header = match find_header(&texts, matcher, ctx.targets_hint) {
        Ok(header) => header,
        Err(incomplete) => {
            let masked = b.opts.pii == crate::mask::Pii::Masked;
            return not_found(&head, incomplete, masked, &place);
        }
    };
    let Header {
        first: hi,
        rows: header_rows,
        names: headers,
        recognised,
    } = header;
    let data_from = hi + header_rows;
    let header_row = head.get(data_from - 1).map(|(r, _)| *r).unwrap_or_default();
    let kind = match &recognised {
        Recognised::Record(g) => g.kind,
        Recognised::Figures { targets: true, .. } => TableKind::Targets,
        Recognised::Figures { .. } => TableKind::Summary,
    };
    let data_date = titles::data_date(head.iter().take(hi).map(|(_, row)| row));
    let source = b.add_source(SourceInfo {
        file: ctx.file.to_string(),
        sheet: ctx.sheet.map(str::to_string),
        kind,
        header_row,
        headers: headers.clone(),
        rows: 0,
        data_date,
    });
    let rest = head.get(data_from..).unwrap_or_default();
    let mut count = 0u64;
    let twice = match &recognised {
        Recognised::Record(g) => g
            .duplicates
            .first()
            .map(|(c, a, b)| (*a, *b, c.canonical().to_string())),
        Recognised::Figures { .. } => None,
    };
    if let Some((a, b, canonical)) = twice {
        return Err(duplicate_columns(
            &headers,
            a,
            b,
            &canonical,
            place(Some(header_row)),
        ));
    }
    match recognised {
        Recognised::Record(g) => {
            let columns = match kind {
                TableKind::Roster => Some(&mut b.ds.roster.columns),
                TableKind::Projects => Some(&mut b.ds.project_columns),
                TableKind::Loans => Some(&mut b.ds.loan_columns),
                TableKind::Summary | TableKind::Targets => None,
                other => Some(b.ds.other_columns.entry(other).or_default()),
            };
            if let Some(columns) = columns {
                columns.extend(g.map.columns().map(schema::Col::canonical));
            }
            if kind == TableKind::Roster {
                b.derive_from_id(&g.map);
            }
            let mut deferred: Vec<(u32, RowBuf)> = Vec::new();
            let mut handle = |b: &mut Builder<'_>, row: &RowBuf, excel_row: u32| -> Result<u64> {
                let r = RowCtx {
                    row,
                    map: &g.map,
                    source,
                    excel_row,
                };
                Ok(match b.record_row(&r, kind)? {
                    RowOutcome::Counted => 1,
                    RowOutcome::Skipped => 0,
                    RowOutcome::Deferred => {
                        deferred.push((excel_row, row.snapshot()));
                        0
                    }
                })
            };
            buf.select(g.map.wanted(kind == TableKind::Roster && b.opts.skip_texts));
            src.select(&buf.selected());
            for (r, row) in rest {
                count += handle(b, row, *r)?;
            }
            let progress = b.progress();
            while let Some(r) = src.next_row(&mut buf)? {
                count += handle(b, &buf, r)?;
                if count.is_multiple_of(8192)
                    && let Some(p) = progress
                {
                    p(*rows_read + count);
                }
            }
            // Member rows whose household came later in the table.
            for (excel_row, row) in &deferred {
                let r = RowCtx {
                    row,
                    map: &g.map,
                    source,
                    excel_row: *excel_row,
                };
                if b.roster_row(&r, true)? == RowOutcome::Counted {
                    count += 1;
                }
            }
        }
        Recognised::Figures { targets, regions } => {
            let region_idx: Vec<usize> = regions.iter().map(|(i, _)| *i).collect();
            let mut values = Vec::new();
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
                                        ..place(Some(header_row))
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
                if let Some((j, _, _)) = values.iter().find(|(_, _, k)| *k == key) {
                    return Err(duplicate_columns(
                        &headers,
                        *j,
                        i,
                        h,
                        place(Some(header_row)),
                    ));
                }
                values.push((i, h.clone(), key));
            }
            // Only a column headed 县 holds counties: 地区 or 单位 may hold towns.
            let county_col = regions
                .iter()
                .find(|(i, level)| {
                    *level == Level::County
                        && headers
                            .get(*i)
                            .is_some_and(|h| normalize_header(h).starts_with('县'))
                })
                .map(|(i, _)| *i);
            let layout = FiguresLayout {
                regions,
                values,
                targets,
                county_col,
            };
            for (r, row) in rest {
                count += u64::from(b.figures_row(row, source, *r, &layout)?);
            }
            while let Some(r) = src.next_row(&mut buf)? {
                count += u64::from(b.figures_row(&buf, source, r, &layout)?);
            }
        }
    }
    *rows_read += count;
    if let Some(s) = b.ds.sources.get_mut(source as usize) {
        s.rows = count;
    }
    Ok(Outcome::Read)
}

/// Two headers that name one column: gonggu would have to guess which one holds the data.
fn duplicate_columns(
    headers: &[String],
    a: usize,
    b: usize,
    canonical: &str,
    place: Place,
) -> Error {
    let name = |i: usize| {
        format!(
            "第 {} 列「{}」",
            guard::column_letters(i as u32),
            headers.get(i).map_or("", String::as_str)
        )
    };
    Error::Input {
        place,
        message: format!(
            "表头中{}和{}都对应「{canonical}」，无法确定该用哪一列。请删除或改名其中一列后重新导入。",
            name(a),
            name(b)
        ),
    }
}

#[cfg(test)]
mod tests;
