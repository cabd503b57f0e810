//! Zip containers (`.xlsx`, `.xlsb`, `.ods`): what the archive holds, and whether its
//! entries' declared sizes fit the file.
//!
//! The zip reader stops an entry at its declared uncompressed size, so checking the
//! declarations bounds what calamine can inflate: each entry at most
//! [`RATIO`] × its compressed size (plus 1 MiB, for small entries that compress well), all
//! of them together at most [`RATIO`] × the file (plus 16 MiB) and [`MAX_TOTAL`]; entries
//! that calamine holds whole in memory (shared strings, `content.xml` of an `.ods`, …) at
//! most the memory budget. A zip bomb is refused before anything is inflated.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::{corrupt, size_text, too_big};
use crate::error::{Error, Result};

/// Highest compression ratio accepted. Spreadsheet XML compresses 10–30×; deflate's
/// own limit is about 1030×.
pub(crate) const RATIO: u64 = 200;
/// Most bytes all entries together may inflate to (a full 1,048,576-row sheet is a few
/// GiB of XML).
pub(crate) const MAX_TOTAL: u64 = 8 << 30;

/// What a zip file holds.
#[derive(Debug)]
pub(crate) enum Kind {
    /// An Office Open XML workbook.
    Xlsx,
    /// A binary Office Open XML workbook.
    Xlsb,
    /// An OpenDocument spreadsheet.
    Ods,
    /// Something else: what it is and what to do, in Chinese.
    Other(&'static str),
}

/// Refuses an end-of-central-directory that claims more entries than the file can hold,
/// before the zip reader reserves room for them.
fn check_directory(f: &mut File, len: u64) -> std::io::Result<Option<String>> {
    let tail_len = len.min(65_557 + 20);
    f.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    f.by_ref().take(tail_len).read_to_end(&mut tail)?;
    let max_entries = len / 46;
    for i in (0..tail.len().saturating_sub(21)).rev() {
        if tail.get(i..i + 4) != Some(b"PK\x05\x06") {
            continue;
        }
        // The ZIP64 locator sits right before the end record.
        let Some(loc) = i.checked_sub(20).and_then(|l| tail.get(l..l + 20)) else {
            continue;
        };
        if loc.get(..4) != Some(b"PK\x06\x07") {
            continue;
        }
        let mut off = [0u8; 8];
        off.copy_from_slice(loc.get(8..16).unwrap_or(&[0; 8]));
        let off = u64::from_le_bytes(off);
        if off.saturating_add(56) > len {
            return Ok(Some("ZIP64 目录记录的位置超出了文件末尾".into()));
        }
        f.seek(SeekFrom::Start(off))?;
        let mut rec = [0u8; 56];
        f.read_exact(&mut rec)?;
        if rec.get(..4) != Some(b"PK\x06\x06") {
            continue;
        }
        let mut n = [0u8; 8];
        n.copy_from_slice(rec.get(32..40).unwrap_or(&[0; 8]));
        let entries = u64::from_le_bytes(n);
        if entries > max_entries {
            return Ok(Some(format!(
                "压缩包目录声明有 {entries} 个条目，{} 的文件装不下这么多",
                size_text(len)
            )));
        }
    }
    Ok(None)
}

/// Lists the archive, checks the declared sizes and tells what it holds.
///
/// # Errors
/// [`Error::Corrupt`] when the zip directory cannot be read or an entry's declared size
/// is out of proportion; [`Error::Encrypted`] when entries are encrypted.
pub(crate) fn inspect(path: &Path, file: &str, len: u64, budget: u64) -> Result<Kind> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = File::open(path).map_err(io)?;
    if let Some(reason) = check_directory(&mut f, len).map_err(io)? {
        return Err(corrupt(file, None, None, reason));
    }
    f.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut zip = zip::ZipArchive::new(BufReader::new(f)).map_err(|e| {
        corrupt(
            file,
            None,
            None,
            format!("无法读取压缩包目录，文件可能不完整（技术细节：{e}）"),
        )
    })?;
    let mut total = 0u64;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let e = zip.by_index_raw(i).map_err(|e| {
            corrupt(
                file,
                None,
                None,
                format!("压缩包的第 {} 个条目无法读取（技术细节：{e}）", i + 1),
            )
        })?;
        let name = e.name().map(|n| n.into_owned()).unwrap_or_default();
        if e.encrypted() {
            return Err(Error::Encrypted {
                file: file.to_string(),
                what: format!("压缩包中的「{name}」已加密"),
            });
        }
        let size = e.size();
        let packed = e.compressed_size();
        if size > (1 << 20) + RATIO.saturating_mul(packed) {
            return Err(too_big(
                file,
                None,
                &format!(
                    "压缩包中的「{name}」声明解压后有 {}，是压缩后大小（{}）的 {} 倍",
                    size_text(size),
                    size_text(packed),
                    size / packed.max(1)
                ),
                len,
            ));
        }
        let whole = matches!(
            name.as_str(),
            "xl/sharedStrings.xml"
                | "xl/workbook.xml"
                | "xl/styles.xml"
                | "content.xml"
                | "styles.xml"
        ) || name.ends_with(".rels");
        if whole && size > budget {
            return Err(too_big(
                file,
                None,
                &format!("压缩包中的「{name}」声明解压后有 {}", size_text(size)),
                len,
            ));
        }
        total = total.saturating_add(size);
        names.push(name);
    }
    if total > (16 << 20) + RATIO.saturating_mul(len) || total > MAX_TOTAL {
        return Err(too_big(
            file,
            None,
            &format!("压缩包中的文件声明解压后共有 {}", size_text(total)),
            len,
        ));
    }
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") {
        return Ok(Kind::Xlsx);
    }
    if has("xl/workbook.bin") {
        return Ok(Kind::Xlsb);
    }
    if has("mimetype") || has("content.xml") {
        let mut mime = Vec::new();
        if let Ok(m) = zip.by_name("mimetype") {
            let _ = m.take(256).read_to_end(&mut mime);
        }
        let mime = String::from_utf8_lossy(&mime);
        if mime.trim().is_empty() || mime.contains("opendocument.spreadsheet") {
            if has("content.xml") {
                return Ok(Kind::Ods);
            }
            return Err(corrupt(
                file,
                None,
                None,
                "ODS 文件中缺少表格内容（content.xml）",
            ));
        }
        if mime.contains("opendocument.text") {
            return Ok(Kind::Other(
                "这是 OpenDocument 文字文档（odt），不是表格。请导入 xlsx、xls、ods 或 csv 格式的数据。",
            ));
        }
        return Ok(Kind::Other(
            "这是 OpenDocument 文档，但不是电子表格，不是表格。请导入 xlsx、xls、ods 或 csv 格式的数据。",
        ));
    }
    if has("word/document.xml") {
        return Ok(Kind::Other(
            "这是 Word 文档（docx 格式），不是表格。请导入 xlsx、xls、ods 或 csv 格式的数据。",
        ));
    }
    if has("ppt/presentation.xml") {
        return Ok(Kind::Other(
            "这是 PowerPoint 演示文稿（pptx 格式），不是表格。请导入 xlsx、xls、ods 或 csv 格式的数据。",
        ));
    }
    if has("[Content_Types].xml") {
        return Err(corrupt(
            file,
            None,
            None,
            "这是 Office 文件的压缩包，但其中缺少工作簿（xl/workbook.xml）",
        ));
    }
    Ok(Kind::Other(
        "这是一个普通的 zip 压缩包，不是 Excel 工作簿。请先解压，再导入其中的 xlsx、xls、ods 或 csv 文件。",
    ))
}
