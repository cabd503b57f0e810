//! Guards before calamine: what a file is, and whether what it claims fits its size.
//!
//! calamine trusts what a workbook says about itself: a sector chain, a dimension, a
//! repeat count, a string length. A damaged or hostile file can make it panic, loop, or ask
//! for gigabytes, and a failed allocation aborts the process before any error can be
//! shown. So every file is first
//! 1. **sniffed** from its first bytes ([`inspect`]): a web page or Excel 2003 XML saved as
//!    `.xls`, a workbook named `.csv`, a Word document, a PDF, a password-protected
//!    workbook each get a Chinese message saying what the file is and what to do; a
//!    workbook whose extension names the wrong workbook format is read as what it is;
//! 2. **checked** against its size: the compound file's sector chains ([`cfb`]) and the
//!    `.xls` records' dimensions, strings and cell ranges ([`biff`]); the zip entries'
//!    declared sizes ([`archive`]); the `.ods` repeat counts ([`ods`]); the `.xlsx` shared
//!    strings ([`xlsx`]). What calamine would allocate must stay within
//!    [`memory_budget`], proportional to the file's length. An `.xlsx` sheet is streamed,
//!    so its cells are bounded as they are read, and [`xlsx::diagnose`] explains what
//!    calamine stumbles on;
//! 3. read by calamine inside [`shielded`], which turns a panic (the last resort, for what
//!    the checks do not foresee) into [`Error::Corrupt`].

mod archive;
pub(crate) mod biff;
pub(crate) mod cfb;
mod ods;
pub(crate) use ods::with_bad_numbers_as_text;
pub(crate) mod xlsx;

#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use crate::error::{Error, Place, Result};

/// The reader a file needs, decided from its content (and its extension for text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Office Open XML workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel 97–2003 workbook in a compound file.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Text (CSV).
    Csv,
}

impl Format {
    fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
        }
    }
}

/// What [`inspect`] found.
#[derive(Debug)]
pub(crate) struct Inspected {
    /// The reader to use.
    pub(crate) format: Format,
    /// A note for the user (e.g. an `.xls` that is really an `.xlsx`).
    pub(crate) note: Option<String>,
}

/// The most memory reading a file may take: 64 MiB, plus 256 bytes per byte of file, at
/// most 2 GiB. A real export of a county's roster needs a few hundred bytes per cell and
/// takes at least ten bytes per cell on disk; a file that claims more is refused before
/// calamine allocates it.
pub(crate) fn memory_budget(len: u64) -> u64 {
    (64u64 << 20)
        .saturating_add(len.saturating_mul(256))
        .min(2u64 << 30)
}

/// Excel's limits.
pub(crate) const MAX_ROWS: u64 = 1_048_576;
/// Columns A..XFD.
pub(crate) const MAX_COLUMNS: u64 = 16_384;

/// Column letters of a 0-based column index (`0` → `A`, `16383` → `XFD`).
pub(crate) fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let d = ((n - 1) % 26) as u8;
        out.push(b'A' + d);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn size_text(len: u64) -> String {
    if len >= 1 << 20 {
        format!("{:.1} MB", len as f64 / 1_048_576.0)
    } else if len >= 1 << 10 {
        format!("{:.1} KB", len as f64 / 1024.0)
    } else {
        format!("{len} 字节")
    }
}

fn place(file: &str, sheet: Option<&str>, row: Option<u32>) -> Place {
    Place {
        file: file.to_string(),
        sheet: sheet.map(str::to_string),
        row,
        column: None,
    }
}

fn corrupt(file: &str, sheet: Option<&str>, row: Option<u32>, reason: impl Into<String>) -> Error {
    Error::Corrupt {
        place: place(file, sheet, row),
        reason: reason.into(),
    }
}

fn too_big(file: &str, sheet: Option<&str>, claim: &str, len: u64) -> Error {
    corrupt(
        file,
        sheet,
        None,
        format!(
            "{claim}，读取它需要的内存远超文件大小（{}）所能容纳的内容",
            size_text(len)
        ),
    )
}

fn kind(file: &str, message: impl Into<String>) -> Error {
    Error::FileKind {
        file: file.to_string(),
        message: message.into(),
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Compound,
    Zip,
    Html,
    Mht,
    SpreadsheetXml,
    OtherXml,
    Pdf,
    Archive(&'static str),
    Utf16,
    Binary,
    Text,
}

fn sniff(head: &[u8]) -> Content {
    if head.starts_with(&cfb::MAGIC) {
        return Content::Compound;
    }
    if head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"PK\x05\x06")
        || head.starts_with(b"PK\x07\x08")
    {
        return Content::Zip;
    }
    if head.starts_with(b"%PDF") {
        return Content::Pdf;
    }
    for (magic, name) in [
        (&b"Rar!"[..], "RAR"),
        (&b"7z\xBC\xAF\x27\x1C"[..], "7z"),
        (&b"\x1F\x8B"[..], "gzip"),
    ] {
        if head.starts_with(magic) {
            return Content::Archive(name);
        }
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Content::Utf16;
    }
    let text = head.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(head);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let text = text.get(start..).unwrap_or_default();
    let lower: Vec<u8> = text.iter().take(2048).map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if lower.starts_with(b"mime-version:") {
        return Content::Mht;
    }
    if lower.starts_with(b"<") {
        if has(b"urn:schemas-microsoft-com:office:spreadsheet") && !has(b"<html") {
            return Content::SpreadsheetXml;
        }
        if has(b"<html")
            || has(b"<!doctype html")
            || has(b"<table")
            || has(b"<head")
            || has(b"<meta")
        {
            return Content::Html;
        }
        if lower.starts_with(b"<?xml") {
            return Content::OtherXml;
        }
    }
    // Text has no NUL, few control characters, and decodes as UTF-8 or GB18030 (the
    // head may end inside a character); a binary file does not.
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
        .count();
    if head.contains(&0) || control * 20 > head.len() || !decodes(head) {
        return Content::Binary;
    }
    Content::Text
}

/// Whether `head` (the first bytes of a file, perhaps cut inside a character) is UTF-8
/// or GB18030 text.
fn decodes(head: &[u8]) -> bool {
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(head);
    // A full head may end inside a character (at most 3 of its bytes are there).
    let cut = if head.len() >= HEAD - 3 { 3 } else { 0 };
    (0..=cut).any(|k| {
        let part = head.get(..head.len().saturating_sub(k)).unwrap_or(head);
        std::str::from_utf8(part).is_ok()
            || encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(part)
                .is_some()
    })
}

/// The binary workbook format has no guards here (its records size calamine's buffers
/// and ranges as they claim): it is refused with the way out.
const XLSB: &str = "这是 Excel 二进制工作簿（xlsb 格式），gonggu 不读取这种格式。请用 Excel 打开它，再「另存为」Excel 工作簿（.xlsx）后重新导入。";

/// Bytes read to tell what a file is.
const HEAD: usize = 8192;

/// The first attribute named `key` (as written, prefix included), raw.
pub(crate) fn xml_attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.into_owned())
}

fn read_head(path: &Path, n: usize) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let mut head = Vec::with_capacity(n);
    f.take(n as u64).read_to_end(&mut head).map_err(io)?;
    Ok(head)
}

/// Decides how to read `path` (named `file` in messages, with lower-case extension `ext`
/// and length `len`) and checks it against its size before calamine opens it.
///
/// # Errors
/// - [`Error::FileKind`] when the file is not a spreadsheet of any kind we read, or is a
///   workbook named `.csv`;
/// - [`Error::Encrypted`] for a password-protected workbook;
/// - [`Error::Corrupt`] when its structure is broken or claims more than its size allows;
/// - [`Error::Io`] when it cannot be read.
pub(crate) fn inspect(path: &Path, file: &str, ext: &str, len: u64) -> Result<Inspected> {
    let head = read_head(path, HEAD)?;
    let content = sniff(&head);
    let named = match ext {
        "csv" | "txt" => Format::Csv,
        "xlsx" | "xlsm" => Format::Xlsx,
        "xlsb" => return Err(kind(file, XLSB)),
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        _ => {
            return Err(Error::Unreadable {
                file: file.to_string(),
                reason: format!("不支持的文件类型「.{ext}」，请提供 xlsx、xlsm、xls、ods 或 csv"),
            });
        }
    };
    let budget = memory_budget(len);
    let format = match content {
        Content::Text if named == Format::Csv => Format::Csv,
        Content::Text => {
            return Err(kind(
                file,
                format!(
                    "这是一个文本文件（可能是逗号或制表符分隔的数据），不是 {} 工作簿，只是扩展名为 .{ext}。如果它是逗号分隔的，请把扩展名改为 .csv；否则请用 Excel 打开它，再「另存为」Excel 工作簿（.xlsx）后重新导入。",
                    named.label()
                ),
            ));
        }
        Content::Utf16 => {
            return Err(kind(
                file,
                "这是 UTF-16 编码的文本（Excel 的「Unicode 文本」格式），gonggu 读取 UTF-8 或 GB18030 编码的 CSV。请用 Excel 打开它，再「另存为」「CSV UTF-8（逗号分隔）」或 Excel 工作簿（.xlsx）后重新导入。",
            ));
        }
        Content::Html | Content::Mht => {
            return Err(kind(
                file,
                format!(
                    "这是网页文件（{}），只是扩展名为 .{ext}，不是真正的 Excel 工作簿（有些系统这样导出表格）。请用 Excel 打开它，再「另存为」Excel 工作簿（.xlsx）后重新导入。",
                    if content == Content::Mht {
                        "MHT 单个文件网页"
                    } else {
                        "HTML"
                    }
                ),
            ));
        }
        Content::SpreadsheetXml => {
            return Err(kind(
                file,
                format!(
                    "这是 Excel 2003 XML 表格，只是扩展名为 .{ext}。请用 Excel 打开它，再「另存为」Excel 工作簿（.xlsx）后重新导入。"
                ),
            ));
        }
        Content::OtherXml => {
            return Err(kind(
                file,
                format!(
                    "这是一个 XML 文件，不是 Excel 工作簿或 CSV（扩展名为 .{ext}）。请用 Excel 打开它，再「另存为」Excel 工作簿（.xlsx）后重新导入。"
                ),
            ));
        }
        Content::Pdf => {
            return Err(kind(
                file,
                "这是 PDF 文件，不是表格。请从系统导出 Excel（xlsx/xls）或 CSV 格式的数据。",
            ));
        }
        Content::Archive(name) => {
            return Err(kind(
                file,
                format!(
                    "这是 {name} 压缩包，不是表格。请先解压，再导入其中的 xlsx、xls、ods 或 csv 文件。"
                ),
            ));
        }
        Content::Binary => {
            return Err(kind(
                file,
                format!(
                    "无法识别的文件格式：开头的字节既不是 xlsx、xls、ods 工作簿，也不是文本（CSV）。请确认文件完整，并从系统重新导出{}。",
                    if named == Format::Csv { " CSV" } else { "" }
                ),
            ));
        }
        Content::Compound => {
            if named == Format::Csv {
                return Err(kind(
                    file,
                    "这是 Excel 97-2003 工作簿（xls 格式），不是 CSV 文本，只是扩展名为 .csv。请把扩展名改为 .xls 再导入，或用 Excel 打开后「另存为」CSV。",
                ));
            }
            check_compound(path, file, len, budget)?;
            Format::Xls
        }
        Content::Zip => {
            let zip = archive::inspect(path, file, len, budget)?;
            let format = match zip {
                archive::Kind::Xlsx => Format::Xlsx,
                archive::Kind::Xlsb => return Err(kind(file, XLSB)),
                archive::Kind::Ods => Format::Ods,
                archive::Kind::Other(what) => return Err(kind(file, what)),
            };
            if named == Format::Csv {
                return Err(kind(
                    file,
                    format!(
                        "这是 Excel 工作簿（{} 格式，一个压缩包），不是 CSV 文本，只是扩展名为 .csv。请把扩展名改为 .{} 再导入，或用 Excel 打开后「另存为」CSV。",
                        format.label(),
                        format.label()
                    ),
                ));
            }
            format
        }
    };
    let note = (format != named).then(|| {
        format!(
            "文件 {file} 的扩展名是 .{ext}，实际是 {} 格式，已按 {} 读取。",
            format.label(),
            format.label()
        )
    });
    match format {
        Format::Xlsx => xlsx::check_claims(path, file, len)?,
        Format::Ods => ods::scan(path, file, len, budget)?,
        _ => {}
    }
    Ok(Inspected { format, note })
}

/// A compound file: encrypted OOXML, an `.xls`, or another Office document.
fn check_compound(path: &Path, file: &str, len: u64, budget: u64) -> Result<()> {
    let data = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let c = cfb::Compound::parse(&data).map_err(|r| corrupt(file, None, None, r))?;
    if c.has("EncryptionInfo") || c.has("EncryptedPackage") {
        return Err(Error::Encrypted {
            file: file.to_string(),
            what: "加密的 Excel 工作簿".into(),
        });
    }
    let stream = match (c.find("Workbook"), c.find("Book")) {
        (Some(e), _) | (None, Some(e)) => c.stream(e).map_err(|r| corrupt(file, None, None, r))?,
        (None, None) => {
            let what = if c.has("WordDocument") {
                "这是 Word 文档（doc 格式）"
            } else if c.has("PowerPoint Document") {
                "这是 PowerPoint 演示文稿（ppt 格式）"
            } else {
                "这是一个 Office 复合文档，但其中没有 Excel 工作簿数据"
            };
            return Err(kind(
                file,
                format!("{what}，不是表格。请导入 xlsx、xls、ods 或 csv 格式的数据。"),
            ));
        }
    };
    match biff::scan(&stream, budget) {
        Ok(_) => Ok(()),
        Err(biff::Problem::Encrypted) => Err(Error::Encrypted {
            file: file.to_string(),
            what: "加密的 xls 工作簿".into(),
        }),
        Err(biff::Problem::Corrupt { sheet, reason }) => {
            Err(corrupt(file, sheet.as_deref(), None, reason))
        }
        Err(biff::Problem::TooBig { sheet, claim }) => {
            Err(too_big(file, Some(&sheet), &claim, len))
        }
    }
}

thread_local! {
    static SHIELDED: Cell<u32> = const { Cell::new(0) };
}

/// Whether this thread is inside [`shielded`]: a panic here is caught and becomes
/// [`Error::Corrupt`], so a panic hook should stay quiet.
pub fn reading_foreign_file() -> bool {
    SHIELDED.with(|s| s.get() > 0)
}

struct Depth;

impl Depth {
    fn enter() -> Depth {
        SHIELDED.with(|s| s.set(s.get() + 1));
        Depth
    }
}

impl Drop for Depth {
    fn drop(&mut self) {
        SHIELDED.with(|s| s.set(s.get().saturating_sub(1)));
    }
}

/// Runs a call into calamine (or anything reading a file's bytes); a panic becomes
/// [`Error::Corrupt`] at `file` / `sheet`.
///
/// The guards above keep calamine's allocations bounded; this is the last resort for
/// the inconsistencies they do not foresee. calamine's state after a panic is not trusted:
/// callers drop the reader with the error.
pub(crate) fn shielded<T>(
    file: &str,
    sheet: Option<&str>,
    f: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let depth = Depth::enter();
    let out = catch_unwind(AssertUnwindSafe(f));
    drop(depth);
    out.unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(corrupt(
            file,
            sheet,
            None,
            format!("读取时发现内部结构前后矛盾（技术细节：{detail}）"),
        ))
    })
}
