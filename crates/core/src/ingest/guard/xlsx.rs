//! `.xlsx` workbooks: the shared-string count before calamine reads them, and a sheet's
//! cells when calamine stumbles on one.
//!
//! calamine reserves as many shared strings as `uniqueCount` claims, and subtracts the
//! corners of a sheet's `<dimension>`: [`check_claims`] compares the claim with the part's
//! size and checks each dimension (it comes before the cells) first. It streams a sheet without allocating by
//! what cells claim, so the sheet itself is not scanned up front (a second pass over the
//! XML would cost about as much as reading it); the reader bounds each cell's position and,
//! when calamine fails, panics or reports a position beyond Excel's range, [`diagnose`]
//! reads the sheet's XML as calamine does and
//! - names the cell reference beyond XFD / row 1,048,576, or malformed, or the place where
//!   the XML breaks (the last cell before the damage);
//! - lists, in document order, the cells calamine refuses (a `<v>` that is not a number,
//!   boolean or error of its type, a shared string that does not exist), so that the reader
//!   can resume after each one and report it as a bad cell, not a bad file.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{
    MAX_COLUMNS, MAX_ROWS, column_letters, corrupt, memory_budget, too_big, xml_attr as attr,
};
use crate::error::{Error, Result};

/// Bad cells listed per sheet before the sheet is refused as a whole.
const MAX_BAD_CELLS: usize = 10_000;
/// Formula cells without a value named in the note (the rest are counted).
const NAMED_FORMULAS: usize = 10;

/// A cell calamine will refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadCell {
    /// Ordinal of the cell among the sheet's `<c>` elements (0-based).
    pub(crate) ordinal: u64,
    /// 0-based row.
    pub(crate) row: u32,
    /// 0-based column.
    pub(crate) col: u32,
    /// The text of its `<v>` (at most 64 characters).
    pub(crate) raw: String,
    /// What the cell's type required, in Chinese.
    pub(crate) expected: &'static str,
}

impl BadCell {
    /// `C5`.
    pub(crate) fn reference(&self) -> String {
        format!("{}{}", column_letters(self.col), u64::from(self.row) + 1)
    }
}

/// What the diagnosis found in one sheet.
#[derive(Debug, Default)]
pub(crate) struct SheetScan {
    /// Cells calamine refuses, in document order.
    pub(crate) bad: VecDeque<BadCell>,
    /// The first few formula cells without a saved value (`C5`).
    pub(crate) formulas_without_value: Vec<String>,
    /// How many formula cells have no saved value.
    pub(crate) formulas_without_value_count: u64,
}

pub(crate) type Zip = zip::ZipArchive<BufReader<File>>;

fn configure<R>(xml: &mut Reader<R>) {
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
}

/// An attribute by local name (`r:id` → `id`).
fn attr_local(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.into_owned())
}

/// The entry `name`, matched as calamine does (exactly, else ignoring ASCII case).
pub(crate) fn entry_name(zip: &Zip, name: &str) -> Option<String> {
    if zip.index_for_name(name).is_some() {
        return Some(name.to_string());
    }
    zip.file_names()
        .flatten()
        .find(|n| n.eq_ignore_ascii_case(name))
        .map(|n| n.into_owned())
}

/// A small part read whole (its declared size was checked by the archive guard).
fn read_part(zip: &mut Zip, name: &str, limit: u64) -> Option<String> {
    let name = entry_name(zip, name)?;
    let f = zip.by_name(&name).ok()?;
    let mut s = Vec::new();
    f.take(limit).read_to_end(&mut s).ok()?;
    Some(String::from_utf8_lossy(&s).into_owned())
}

/// `(xl/, workbook.xml)` from the package relationships.
fn workbook_path(zip: &mut Zip, limit: u64) -> (String, String) {
    let default = ("xl/".to_string(), "workbook.xml".to_string());
    let Some(rels) = read_part(zip, "_rels/.rels", limit) else {
        return default;
    };
    let mut xml = Reader::from_str(&rels);
    loop {
        match xml.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let officedoc =
                    attr(&e, "Type").is_some_and(|t| t.ends_with("/relationships/officeDocument"));
                if let (true, Some(t)) = (officedoc, attr(&e, "Target")) {
                    let (dir, name) = match t.rfind('/') {
                        Some(i) => t.split_at(i + 1),
                        None => ("", t.as_str()),
                    };
                    let name = if name.is_empty() {
                        "workbook.xml"
                    } else {
                        name
                    };
                    return (
                        dir.strip_prefix('/').unwrap_or(dir).to_string(),
                        name.to_string(),
                    );
                }
            }
            Ok(Event::Eof) | Err(_) => return default,
            _ => {}
        }
    }
}

/// Sheet names and their part paths, as calamine resolves them.
fn sheet_paths(zip: &mut Zip, xl: &str, book: &str, limit: u64) -> Vec<(String, String)> {
    let mut rels: HashMap<String, String> = HashMap::new();
    if let Some(text) = read_part(zip, &format!("{xl}_rels/{book}.rels"), limit) {
        let mut xml = Reader::from_str(&text);
        loop {
            match xml.read_event() {
                Ok(Event::Start(e) | Event::Empty(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    if let (Some(id), Some(t)) = (attr(&e, "Id"), attr(&e, "Target")) {
                        rels.insert(id, t);
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    let Some(text) = read_part(zip, &format!("{xl}{book}"), limit) else {
        return out;
    };
    let mut xml = Reader::from_str(&text);
    loop {
        match xml.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                let name = attr(&e, "name").map(|n| unescape(&n)).unwrap_or_default();
                let Some(target) = attr_local(&e, "id").and_then(|id| rels.get(&id)) else {
                    continue;
                };
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("{xl}{target}"),
                };
                out.push((name, path));
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn unescape(s: &str) -> String {
    quick_xml::escape::unescape(s).map_or_else(|_| s.to_string(), |c| c.into_owned())
}

/// Counts the shared strings (`claims_only`: stops after checking the `uniqueCount`
/// calamine reserves room for).
fn shared_strings(
    zip: &mut Zip,
    xl: &str,
    file: &str,
    len: u64,
    claims_only: bool,
) -> Result<Option<u64>> {
    let Some(name) = entry_name(zip, &format!("{xl}sharedStrings.xml")) else {
        return Ok(None);
    };
    let Ok(part) = zip.by_name(&name) else {
        return Ok(None);
    };
    let declared = part.size();
    let mut xml = Reader::from_reader(BufReader::new(part));
    configure(&mut xml);
    let mut buf = Vec::new();
    let mut count = 0u64;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "sst" => {
                let claim = attr(&e, "uniqueCount").and_then(|c| c.trim().parse::<u64>().ok());
                if let Some(n) = claim {
                    // Each <si> takes at least 9 bytes of XML; each string 24 bytes of memory.
                    if n > declared / 4 + 1024 || n.saturating_mul(24) > memory_budget(len) {
                        return Err(too_big(
                            file,
                            None,
                            &format!(
                                "共享字符串表声明有 {n} 个字符串（uniqueCount），而它的内容只有 {declared} 字节"
                            ),
                            len,
                        ));
                    }
                }
                if claims_only {
                    return Ok(None);
                }
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "si" => count += 1,
            Ok(Event::Eof) | Err(_) => return Ok(Some(count)),
            _ => {}
        }
    }
}

/// Parses `A1` the way calamine does, without overflow: `(row, col)` 0-based, or why not.
pub(crate) fn parse_ref(r: &str) -> Result<(u64, u64), &'static str> {
    let b = r.as_bytes();
    let mut i = 0;
    let mut col = 0u64;
    let mut row = 0u64;
    let mut letters = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'A'..=b'Z' | b'a'..=b'z' => {
                col = col
                    .saturating_mul(26)
                    .saturating_add(u64::from(c.to_ascii_uppercase() - b'A') + 1);
                letters += 1;
            }
            b'0'..=b'9' => break,
            _ => return Err("含有字母和数字以外的字符"),
        }
        i += 1;
    }
    let mut digits = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                row = row.saturating_mul(10).saturating_add(u64::from(c - b'0'));
                digits += 1;
            }
            _ => return Err("含有字母和数字以外的字符"),
        }
        i += 1;
    }
    if letters == 0 {
        return Err("缺少列字母");
    }
    if digits == 0 || row == 0 {
        return Err("缺少行号");
    }
    if col > MAX_COLUMNS {
        return Err("列超出了 Excel 的最大列 XFD（第 16384 列）");
    }
    if row > MAX_ROWS {
        return Err("行号超出了 Excel 的最大行 1048576");
    }
    Ok((row - 1, col - 1))
}

/// A cell's `t` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellType {
    /// No `t` (a number, or text calamine keeps as text).
    Absent,
    Shared,
    Bool,
    Error,
    Number,
    /// `str`, `d`, `inlineStr`: calamine takes any text.
    Text,
    Inline,
    /// Anything else: calamine refuses the cell.
    Unknown,
}

impl CellType {
    fn of(t: &str) -> CellType {
        match t {
            "s" => CellType::Shared,
            "b" => CellType::Bool,
            "e" => CellType::Error,
            "n" => CellType::Number,
            "str" | "d" => CellType::Text,
            "inlineStr" | "is" => CellType::Inline,
            _ => CellType::Unknown,
        }
    }
}

/// Whether calamine reads `<v>` text `v` of a cell of type `t` without error; if not, what
/// the type required.
fn value_problem(t: CellType, v: &str, strings: Option<u64>) -> Option<&'static str> {
    match t {
        CellType::Shared => {
            if v.is_empty() {
                return None;
            }
            let idx = v.parse::<u64>().unwrap_or(0);
            (idx >= strings.unwrap_or(0)).then_some("共享字符串表中存在的编号")
        }
        CellType::Bool => {
            let v = v.trim();
            let ok = v.is_empty()
                || v == "0"
                || v == "1"
                || v.eq_ignore_ascii_case("true")
                || v.eq_ignore_ascii_case("false");
            (!ok).then_some("是/否（TRUE/FALSE）")
        }
        CellType::Error => v
            .parse::<calamine::CellErrorType>()
            .is_err()
            .then_some("Excel 错误值（如 #N/A）"),
        // calamine's float parser accepts what Rust's does (and `inf`, `nan`).
        CellType::Number => (!v.is_empty() && v.parse::<f64>().is_err()).then_some("数字"),
        CellType::Absent | CellType::Text | CellType::Inline => None,
        CellType::Unknown => Some("已知的单元格类型"),
    }
}

/// The cell being read.
struct CellState {
    ordinal: u64,
    row: u64,
    col: u64,
    t: CellType,
    formula: bool,
    /// Whether a `<v>` was seen (its text is in the scanner's buffer).
    value: bool,
    inline: bool,
    /// A child element calamine does not expect (it fails on it).
    unexpected: bool,
}

fn scan_sheet(
    zip: &mut Zip,
    name: &str,
    path: &str,
    strings: Option<u64>,
    file: &str,
) -> Result<SheetScan> {
    let mut out = SheetScan::default();
    let Some(entry) = entry_name(zip, path) else {
        return Ok(out);
    };
    let Ok(part) = zip.by_name(&entry) else {
        return Ok(out);
    };
    let mut xml = Reader::from_reader(BufReader::new(part));
    configure(&mut xml);
    let sheet = Some(name);
    let mut buf = Vec::new();
    let mut skip = Vec::new();
    let mut value = String::new();
    let (mut row, mut col) = (0u64, 0u64);
    let mut ordinal = 0u64;
    let mut cell: Option<CellState> = None;
    let mut in_v = false;
    let mut last: Option<(u64, u64)> = None;
    let mut in_data = false;
    loop {
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => return Err(broken(file, sheet, last, &e)),
        };
        match event {
            Event::Eof => return Ok(out),
            Event::Start(e) if !in_data => match e.local_name().as_ref() {
                "sheetData" => in_data = true,
                "dimension" => check_dimension(&e, file, sheet)?,
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "sheetData" && cell.is_none() => {
                return Ok(out);
            }
            Event::Start(e) if cell.is_none() => match e.local_name().as_ref() {
                "row" => {
                    if let Some(r) = attr(&e, "r") {
                        let n = r
                            .trim()
                            .parse::<u64>()
                            .ok()
                            .filter(|n| (1..=MAX_ROWS).contains(n));
                        let Some(n) = n else {
                            return Err(corrupt(
                                file,
                                sheet,
                                None,
                                format!("行号「{}」无效（应为 1 到 {MAX_ROWS}）", short(&r)),
                            ));
                        };
                        row = n - 1;
                    }
                }
                "c" => {
                    // One pass over the attributes, without copying them: every cell
                    // of the sheet comes through here.
                    let mut at: Option<(u64, u64)> = None;
                    let mut t = CellType::Absent;
                    for a in e.attributes().with_checks(false).flatten() {
                        match a.key.as_ref() {
                            "r" => {
                                let reference = a.value.trim();
                                at = Some(parse_ref(reference).map_err(|why| {
                                    corrupt(
                                        file,
                                        sheet,
                                        None,
                                        format!("单元格引用「{}」无效：{why}", short(reference)),
                                    )
                                })?);
                            }
                            "t" => t = CellType::of(&a.value),
                            _ => {}
                        }
                    }
                    let (r, c) = at.unwrap_or((row, col));
                    if c >= MAX_COLUMNS || r >= MAX_ROWS {
                        return Err(corrupt(
                            file,
                            sheet,
                            u32::try_from(r + 1).ok(),
                            format!(
                                "第 {} 个单元格超出了 Excel 的最大范围（XFD 列、1048576 行）",
                                c + 1
                            ),
                        ));
                    }
                    col = c;
                    value.clear();
                    cell = Some(CellState {
                        ordinal,
                        row: r,
                        col: c,
                        t,
                        formula: false,
                        value: false,
                        inline: false,
                        unexpected: false,
                    });
                    ordinal += 1;
                }
                _ => {}
            },
            Event::End(e) if cell.is_none() && e.local_name().as_ref() == "row" => {
                row += 1;
                col = 0;
            }
            Event::End(_) if cell.is_none() => {}
            Event::Start(e) => {
                let Some(c) = cell.as_mut() else { continue };
                match e.local_name().as_ref() {
                    _ if in_v => {}
                    "v" => {
                        in_v = true;
                        c.value = true;
                    }
                    local @ ("f" | "is") => {
                        if local == "f" {
                            c.formula = true;
                        } else {
                            c.inline = true;
                        }
                        // calamine reads these whole; their children are not cells' children.
                        skip.clear();
                        if let Err(err) = xml.read_to_end_into(e.name(), &mut skip) {
                            return Err(broken(file, sheet, last, &err));
                        }
                    }
                    _ => c.unexpected = true,
                }
            }
            Event::Text(t) if in_v && value.len() < 256 => value.push_str(t.as_ref()),
            Event::Text(_) => {}
            Event::End(e) if e.local_name().as_ref() == "v" => in_v = false,
            Event::End(e) if e.local_name().as_ref() == "c" => {
                in_v = false;
                let Some(c) = cell.take() else { continue };
                col = c.col + 1;
                last = Some((c.row, c.col));
                let v = value.as_str();
                let problem = if c.unexpected {
                    Some("单元格值（v、f 或 is 元素）")
                } else if c.value {
                    value_problem(c.t, v, strings)
                } else {
                    None
                };
                if let Some(expected) = problem {
                    if out.bad.len() >= MAX_BAD_CELLS {
                        return Err(corrupt(
                            file,
                            sheet,
                            None,
                            format!("有超过 {MAX_BAD_CELLS} 个单元格的值无法读取"),
                        ));
                    }
                    out.bad.push_back(BadCell {
                        ordinal: c.ordinal,
                        row: c.row as u32,
                        col: c.col as u32,
                        raw: v.chars().take(64).collect(),
                        expected,
                    });
                }
                if c.formula && v.is_empty() && !c.inline {
                    out.formulas_without_value_count += 1;
                    if out.formulas_without_value.len() < NAMED_FORMULAS {
                        out.formulas_without_value.push(format!(
                            "{}{}",
                            column_letters(c.col as u32),
                            c.row + 1
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Malformed XML: the sheet and the last cell read before it.
fn broken(
    file: &str,
    sheet: Option<&str>,
    last: Option<(u64, u64)>,
    e: &quick_xml::Error,
) -> Error {
    let at = match last {
        Some((r, c)) => format!("单元格 {}{} 之后", column_letters(c as u32), r + 1),
        None => "第一个单元格之前".to_string(),
    };
    corrupt(
        file,
        sheet,
        last.and_then(|(r, _)| u32::try_from(r + 1).ok()),
        format!("工作表的 XML 结构在{at}损坏（技术细节：{e}）"),
    )
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(32).collect();
    if s.chars().count() > 32 {
        out.push('…');
    }
    out
}

/// The `<dimension ref>` of a sheet: references within Excel's range, first before last
/// (calamine subtracts them).
fn check_dimension(e: &BytesStart<'_>, file: &str, sheet: Option<&str>) -> Result<()> {
    let d = attr(e, "ref").unwrap_or_default();
    let bad = |why: &str| {
        corrupt(
            file,
            sheet,
            None,
            format!("工作表的范围声明（dimension）「{}」无效：{why}", short(&d)),
        )
    };
    let parts = d
        .split(':')
        .map(|p| parse_ref(p.trim()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad)?;
    if let [(r0, c0), (r1, c1)] = parts.as_slice()
        && (r1 < r0 || c1 < c0)
    {
        return Err(bad("末尾的单元格在开头之前"));
    }
    Ok(())
}

/// Reads a sheet's XML up to `<sheetData>` (a few hundred bytes) and checks its
/// dimension, which calamine parses when it opens the sheet.
fn check_sheet_head(zip: &mut Zip, name: &str, path: &str, file: &str) -> Result<()> {
    let Some(entry) = entry_name(zip, path) else {
        return Ok(());
    };
    let Ok(part) = zip.by_name(&entry) else {
        return Ok(());
    };
    let mut xml = Reader::from_reader(BufReader::new(part));
    configure(&mut xml);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "dimension" => check_dimension(&e, file, Some(name))?,
                "sheetData" => return Ok(()),
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
    }
}

/// What a direct sheet reader needs from a workbook, as calamine finds it: the shared
/// strings and styles parts (strict UTF-8), and each sheet's name and part path.
pub(crate) struct Parts {
    /// `sharedStrings.xml`, when there is one.
    pub(crate) shared: Option<String>,
    /// `styles.xml`, when there is one.
    pub(crate) styles: Option<String>,
    /// Sheet names and part paths, in workbook order.
    pub(crate) sheets: Vec<(String, String)>,
}

/// The [`Parts`] of the `.xlsx` at `path`; `None` when any of them cannot be read as is or
/// holds more than `max_part` bytes (calamine then reads the workbook).
pub(crate) fn parts(path: &Path, max_part: u64) -> Option<Parts> {
    let len = std::fs::metadata(path).ok()?.len();
    let mut zip = open(path).ok()??;
    let limit = memory_budget(len);
    let (xl, book) = workbook_path(&mut zip, limit);
    let mut strict = |name: &str| -> Option<Option<String>> {
        let Some(entry) = entry_name(&zip, name) else {
            return Some(None);
        };
        let part = zip.by_name(&entry).ok()?;
        let most = limit.min(max_part);
        let mut bytes = Vec::new();
        part.take(most.saturating_add(1))
            .read_to_end(&mut bytes)
            .ok()?;
        if bytes.len() as u64 > most {
            return None;
        }
        String::from_utf8(bytes).ok().map(Some)
    };
    let shared = strict(&format!("{xl}sharedStrings.xml"))?;
    let styles = strict(&format!("{xl}styles.xml"))?;
    let sheets = sheet_paths(&mut zip, &xl, &book, limit);
    Some(Parts {
        shared,
        styles,
        sheets,
    })
}

pub(crate) fn open(path: &Path) -> Result<Option<Zip>> {
    let f = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(zip::ZipArchive::new(BufReader::new(f)).ok())
}

/// Checks what the workbook claims before calamine opens it: the shared-string count, and
/// each sheet's dimension.
///
/// # Errors
/// [`Error::Corrupt`] when `uniqueCount` is out of proportion to the part's size, or a
/// dimension is malformed, beyond Excel's range or inverted.
pub(crate) fn check_claims(path: &Path, file: &str, len: u64) -> Result<()> {
    let Some(mut zip) = open(path)? else {
        return Ok(());
    };
    let limit = memory_budget(len);
    let (xl, book) = workbook_path(&mut zip, limit);
    shared_strings(&mut zip, &xl, file, len, true)?;
    for (name, path) in sheet_paths(&mut zip, &xl, &book, limit) {
        check_sheet_head(&mut zip, &name, &path, file)?;
    }
    Ok(())
}

/// Reads sheet `sheet` of the `.xlsx` at `path` as calamine does, to say what it stumbled
/// on (see the module documentation).
///
/// # Errors
/// [`Error::Corrupt`] for a cell reference beyond Excel's range or malformed, broken sheet
/// XML, or more than 10,000 unreadable cells.
pub(crate) fn diagnose(path: &Path, file: &str, sheet: &str) -> Result<SheetScan> {
    let len = std::fs::metadata(path).map_or(0, |m| m.len());
    let Some(mut zip) = open(path)? else {
        return Ok(SheetScan::default());
    };
    let limit = memory_budget(len);
    let (xl, book) = workbook_path(&mut zip, limit);
    let strings = shared_strings(&mut zip, &xl, file, len, false)?;
    let part = sheet_paths(&mut zip, &xl, &book, limit)
        .into_iter()
        .find(|(name, _)| name == sheet);
    match part {
        Some((name, part)) => scan_sheet(&mut zip, &name, &part, strings, file),
        None => Ok(SheetScan::default()),
    }
}
