//! OpenDocument spreadsheets: repeat counts and what they expand to.
//!
//! calamine reads an `.ods` whole: each `table:number-columns-repeated` cell is cloned
//! that many times, each sheet's rows between the first and last non-empty one are
//! expanded `table:number-rows-repeated` times into one dense range (cloned again when a
//! sheet is handed out), and `<text:s text:c="n"/>` becomes n spaces. [`scan`] streams
//! `content.xml` the way calamine walks it and adds those costs up, so that a 1 KB file
//! cannot ask for gigabytes. Content repeated beyond Excel's limits (1,048,576 rows,
//! 16,384 columns) is refused outright: calamine would cut it silently. It also finds a
//! sheet or annotation left open at the end of the file, where calamine would loop for
//! ever.

use std::io::BufReader;
use std::mem::size_of;
use std::path::Path;

use calamine::Data;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{MAX_COLUMNS, MAX_ROWS, corrupt, too_big, xml_attr as attr};
use crate::error::{Error, Result};

type Xml<'a> = Reader<BufReader<zip::read::ZipFile<'a, BufReader<std::fs::File>>>>;

/// Stops the scan where calamine fails too (its own error is then reported).
struct Stop;

enum Fail {
    Stop,
    Error(Error),
}

impl From<Stop> for Fail {
    fn from(_: Stop) -> Self {
        Fail::Stop
    }
}

/// Malformed XML in `content.xml`: calamine fails on it too, but cannot say where.
fn broken(ctx: &Ctx<'_>, row: u64, e: &quick_xml::Error) -> Error {
    corrupt(
        ctx.file,
        Some(&ctx.sheet),
        u32::try_from(row).ok(),
        format!("表格内容（content.xml）的 XML 结构在这一行损坏（技术细节：{e}）"),
    )
}

fn number(v: Option<String>) -> Result<u64, Stop> {
    match v {
        None => Ok(1),
        Some(v) => v.trim().parse::<u64>().map_err(|_| Stop),
    }
}

/// A cell as calamine reads it: whether it holds something, and the bytes of its value
/// and formula text.
struct CellCost {
    filled: bool,
    value: u64,
    formula: u64,
}

struct Ctx<'f> {
    file: &'f str,
    sheet: String,
    len: u64,
}

/// Reads a cell's attributes and, for a text cell, its content, as calamine's
/// `get_datatype` does; otherwise skips to the cell's end as calamine does.
fn cell(
    xml: &mut Xml<'_>,
    e: &BytesStart<'_>,
    buf: &mut Vec<u8>,
    ctx: &Ctx<'_>,
    row: u64,
) -> Result<CellCost, Fail> {
    let mut set = false;
    let mut string = false;
    let mut error = false;
    let mut value = 0u64;
    let mut formula = 0u64;
    let mut empty_string_value = false;
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|_| Stop)?;
        match a.key.as_ref() {
            "office:value" if !set => set = true,
            "office:string-value" | "office:date-value" | "office:time-value" if !set => {
                value = a.value.len() as u64;
                empty_string_value = a.key.as_ref() == "office:string-value" && a.value.is_empty();
                set = true;
            }
            "office:boolean-value" if !set => set = true,
            "office:value-type" if !set => string = a.value == "string",
            "calcext:value-type" => error = a.value == "error",
            "table:formula" => formula = a.value.len() as u64,
            _ => {}
        }
    }
    let filled = set || string || formula > 0;
    if (!set && string) || (error && empty_string_value) {
        let end = e.name().as_ref().to_string();
        loop {
            buf.clear();
            match xml.read_event_into(buf) {
                Ok(Event::Text(t)) => value += t.len() as u64,
                Ok(Event::GeneralRef(_)) => value += 4,
                Ok(Event::End(x)) if x.name().as_ref() == end.as_str() => break,
                Ok(Event::End(x))
                    if matches!(
                        x.name().as_ref(),
                        "table:table-cell" | "table:covered-table-cell"
                    ) =>
                {
                    break;
                }
                Ok(Event::Start(x)) if x.name().as_ref() == "office:annotation" => loop {
                    buf.clear();
                    match xml.read_event_into(buf) {
                        Ok(Event::End(y)) if y.name().as_ref() == "office:annotation" => break,
                        Ok(Event::Eof) => {
                            return Err(Fail::Error(corrupt(
                                ctx.file,
                                Some(&ctx.sheet),
                                u32::try_from(row).ok(),
                                "单元格的批注（office:annotation）直到文件末尾都没有结束（content.xml 不完整）",
                            )));
                        }
                        Err(e) => return Err(Fail::Error(broken(ctx, row, &e))),
                        _ => {}
                    }
                },
                Ok(Event::Start(x)) => match x.name().as_ref() {
                    "text:p" | "text:tab" | "text:line-break" => value += 1,
                    "text:s" => value += number(attr(&x, "text:c"))?,
                    _ => {}
                },
                Ok(Event::Eof) => return Err(Fail::Stop),
                Err(e) => return Err(Fail::Error(broken(ctx, row, &e))),
                _ => {}
            }
        }
    } else {
        buf.clear();
        if let Err(e) = xml.read_to_end_into(e.name(), buf) {
            return Err(Fail::Error(broken(ctx, row, &e)));
        }
    }
    Ok(CellCost {
        filled,
        value,
        formula,
    })
}

/// Running costs of one sheet.
#[derive(Default)]
struct Sheet {
    /// Rows so far (after calamine's cap).
    rows: u64,
    /// Cells pushed while reading rows (every column up to the last filled one).
    pushed: u64,
    /// Text bytes cloned while reading rows.
    heap: u64,
    /// Rows expanded between the first and last filled row.
    expanded_rows: u64,
    /// Empty rows after the last filled row, expanded if another filled row follows.
    pending_rows: u64,
    /// Text bytes cloned by row repeats.
    expanded_heap: u64,
    cols: Option<(u64, u64)>,
}

impl Sheet {
    fn bytes(&self) -> u64 {
        let data = size_of::<Data>() as u64;
        let string = size_of::<String>() as u64;
        let width = self.cols.map_or(0, |(a, b)| b + 1 - a);
        self.pushed
            .saturating_mul(data + string)
            .saturating_add(self.heap)
            .saturating_add(
                self.expanded_rows
                    .saturating_mul(width)
                    .saturating_mul(2 * data + string),
            )
            .saturating_add(self.expanded_heap)
    }

    fn cells(&self) -> u64 {
        let width = self.cols.map_or(0, |(a, b)| b + 1 - a);
        self.expanded_rows.saturating_mul(width)
    }
}

/// Reads one row as calamine's `read_row` does and adds its costs to `s`.
fn row(xml: &mut Xml<'_>, e: &BytesStart<'_>, s: &mut Sheet, ctx: &Ctx<'_>) -> Result<(), Fail> {
    let repeats = number(attr(e, "table:number-rows-repeated"))?;
    let excel_row = s.rows + 1;
    let capped = repeats.min(MAX_ROWS.saturating_sub(s.rows));
    let mut buf = Vec::new();
    let mut cell_buf = Vec::new();
    let (mut cur, mut pending) = (0u64, 0u64);
    let mut filled: Option<(u64, u64)> = None;
    let (mut value, mut formula) = (0u64, 0u64);
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(c))
                if matches!(
                    c.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                let c = c.into_owned();
                let reps = number(attr(&c, "table:number-columns-repeated"))?;
                let cost = cell(xml, &c, &mut cell_buf, ctx, excel_row)?;
                cur += pending.min(MAX_COLUMNS.saturating_sub(cur));
                pending = 0;
                let cap = reps.min(MAX_COLUMNS.saturating_sub(cur));
                if !cost.filled {
                    pending = cap;
                    continue;
                }
                if cap < reps {
                    return Err(Fail::Error(corrupt(
                        ctx.file,
                        Some(&ctx.sheet),
                        u32::try_from(excel_row).ok(),
                        format!(
                            "第 {} 列的单元格声明向右重复 {reps} 次（table:number-columns-repeated），超出了工作表最多 {MAX_COLUMNS} 列（XFD）",
                            cur + 1
                        ),
                    )));
                }
                if cap > 0 {
                    let (a, _) = filled.unwrap_or((cur, cur));
                    filled = Some((a, cur + cap - 1));
                }
                cur += cap;
                value = value.saturating_add(cap.saturating_mul(cost.value));
                formula = formula.saturating_add(cap.saturating_mul(cost.formula));
            }
            Ok(Event::End(x)) if x.name().as_ref() == "table:table-row" => break,
            Err(e) => return Err(Fail::Error(broken(ctx, excel_row, &e))),
            _ => return Err(Fail::Stop),
        }
    }
    s.rows = s.rows.saturating_add(capped);
    s.pushed = s.pushed.saturating_add(cur);
    s.heap = s.heap.saturating_add(value + formula);
    match filled {
        None => {
            if s.cols.is_some() {
                s.pending_rows = s.pending_rows.saturating_add(capped);
            }
        }
        Some((a, b)) => {
            if capped < repeats {
                return Err(Fail::Error(corrupt(
                    ctx.file,
                    Some(&ctx.sheet),
                    u32::try_from(excel_row).ok(),
                    format!(
                        "这一行声明重复 {repeats} 次（table:number-rows-repeated），超出了工作表最多 {MAX_ROWS} 行"
                    ),
                )));
            }
            s.cols = Some(s.cols.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
            s.expanded_rows = s
                .expanded_rows
                .saturating_add(std::mem::take(&mut s.pending_rows))
                .saturating_add(capped);
            s.expanded_heap = s
                .expanded_heap
                .saturating_add(capped.saturating_mul(2 * value + formula));
        }
    }
    Ok(())
}

/// Streams `content.xml` and refuses a file whose sheets expand beyond `budget` bytes
/// or repeat content beyond Excel's limits.
///
/// # Errors
/// [`Error::Corrupt`] naming the sheet (and row) where the claim lies.
pub(crate) fn scan(path: &Path, file: &str, len: u64, budget: u64) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(f)) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut xml = Reader::from_reader(BufReader::new(content));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut total = 0u64;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let e = match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == "table:table" => e.into_owned(),
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => continue,
        };
        let Some(name) = attr(&e, "table:name") else {
            continue;
        };
        let ctx = Ctx {
            file,
            sheet: name,
            len,
        };
        let mut sheet = Sheet::default();
        let done = loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(r)) if r.name().as_ref() == "table:table-row" => {
                    let r = r.into_owned();
                    match row(&mut xml, &r, &mut sheet, &ctx) {
                        Ok(()) => {}
                        Err(Fail::Stop) => break true,
                        Err(Fail::Error(e)) => return Err(e),
                    }
                    if total.saturating_add(sheet.bytes()) > budget {
                        break false;
                    }
                }
                Ok(Event::End(x)) if x.name().as_ref() == "table:table" => break false,
                Ok(Event::Eof) => {
                    return Err(corrupt(
                        file,
                        Some(&ctx.sheet),
                        None,
                        "工作表直到文件末尾都没有结束（content.xml 不完整）",
                    ));
                }
                Err(e) => return Err(broken(&ctx, sheet.rows + 1, &e)),
                _ => {}
            }
        };
        total = total.saturating_add(sheet.bytes());
        if total > budget {
            return Err(too_big(
                file,
                Some(&ctx.sheet),
                &format!(
                    "展开重复的行和列（table:number-rows-repeated、number-columns-repeated）后约有 {} 个单元格、{} MB 内容",
                    sheet.cells().max(sheet.pushed),
                    sheet.bytes() >> 20
                ),
                ctx.len,
            ));
        }
        if done {
            return Ok(());
        }
    }
}

/// Whether a table cell's `office:value` is something calamine cannot read as a number
/// (it fails the whole workbook on one such cell).
fn bad_number(e: &BytesStart<'_>) -> bool {
    matches!(
        e.name().as_ref(),
        "table:table-cell" | "table:covered-table-cell"
    ) && attr(e, "office:value").is_some_and(|v| v.trim().parse::<f64>().is_err())
}

/// The cell with its unreadable `office:value` dropped and its type made `string`: calamine
/// then reads the text the cell shows, which gonggu reports as a bad value of that cell.
fn as_text_cell(e: &BytesStart<'_>) -> BytesStart<'static> {
    let name = String::from_utf8_lossy(e.name().as_ref().as_bytes()).into_owned();
    let mut out = BytesStart::new(name);
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.as_ref();
        if key != "office:value" && key != "office:value-type" && key != "calcext:value-type" {
            out.push_attribute(a);
        }
    }
    out.push_attribute(("office:value-type", "string"));
    out
}

/// A copy of the workbook at `path` in which every cell whose `office:value` is not a
/// number reads as the text it shows, so that one bad cell is a bad value of that cell
/// (a warning naming it, an error with `--strict`), not a bad file. `None` when the
/// workbook has no such cell (or is not a readable zip: calamine says so then). The file
/// itself is never changed.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Corrupt`] when `content.xml` is
/// malformed where a cell would be rewritten.
pub(crate) fn with_bad_numbers_as_text(path: &Path, file: &str) -> Result<Option<Vec<u8>>> {
    use std::io::{Cursor, Write};
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(f)) else {
        return Ok(None);
    };
    let rewritten = {
        let Ok(content) = zip.by_name("content.xml") else {
            return Ok(None);
        };
        let mut xml = Reader::from_reader(BufReader::new(content));
        xml.config_mut().trim_text(false);
        xml.config_mut().check_end_names = false;
        let mut out = quick_xml::Writer::new(Vec::new());
        let mut buf = Vec::new();
        let mut changed = false;
        let bad = |e: quick_xml::Error| {
            corrupt(
                file,
                None,
                None,
                format!("表格内容（content.xml）的 XML 结构损坏（技术细节：{e}）"),
            )
        };
        loop {
            buf.clear();
            let event = xml.read_event_into(&mut buf).map_err(bad)?;
            let event = match event {
                Event::Eof => break,
                Event::Start(e) if bad_number(&e) => {
                    changed = true;
                    Event::Start(as_text_cell(&e))
                }
                Event::Empty(e) if bad_number(&e) => {
                    changed = true;
                    Event::Empty(as_text_cell(&e))
                }
                other => other,
            };
            out.write_event(event)
                .map_err(|e| bad(quick_xml::Error::Io(std::sync::Arc::new(e))))?;
        }
        if !changed {
            return Ok(None);
        }
        out.into_inner()
    };
    // The same package with the new content.xml; every other part copied as it is.
    let mut copy = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let zip_err = |e: zip::result::ZipError| {
        corrupt(file, None, None, format!("无法重写工作簿（技术细节：{e}）"))
    };
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(zip_err)?;
        if entry.name().map_err(zip_err)? == "content.xml" {
            drop(entry);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            copy.start_file("content.xml", options).map_err(zip_err)?;
            copy.write_all(&rewritten).map_err(io)?;
        } else {
            copy.raw_copy_file(entry).map_err(zip_err)?;
        }
    }
    Ok(Some(copy.finish().map_err(zip_err)?.into_inner()))
}
