//! Row sources: streaming `.xlsx` cells, whole `.xls`/`.ods` sheets, and CSV in UTF-8 or
//! GB18030. Every source fills one reusable [`RowBuf`], so reading allocates per column, not
//! per cell.

use std::fs::File;
use std::io::{BufReader, Chain, Cursor, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use calamine::{Data, DataRef, Range, Reader, Xlsx};

use super::guard::xlsx::{BadCell, SheetScan};
use super::guard::{self, Format, MAX_COLUMNS, MAX_ROWS, column_letters, shielded};
use crate::error::{Error, Place, Result};

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellKind {
    /// Nothing (or only spaces).
    #[default]
    Empty,
    /// Text in [`RawCell::text`].
    Text,
    /// A number in [`RawCell::number`] (text holds its shortest form).
    Number,
    /// A boolean in [`RawCell::number`] (1 or 0).
    Bool,
    /// A date-formatted number: Excel serial in [`RawCell::number`].
    Date,
    /// An Excel error value (`#N/A`…).
    Error,
}

/// One cell of a row, reused across rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawCell {
    /// What the cell holds.
    pub kind: CellKind,
    /// Text (for numbers: their shortest text form, e.g. `4.10123e17`).
    pub text: String,
    /// Numeric payload for numbers, booleans and dates.
    pub number: f64,
}

impl RawCell {
    /// The cell as trimmed text (`""` when empty).
    pub fn as_text(&self) -> &str {
        match self.kind {
            CellKind::Empty => "",
            // Text is stored trimmed (see `set_text`), so no work per access.
            _ => &self.text,
        }
    }

    fn set_text(&mut self, s: &str) {
        self.set_trimmed(trim_fast(s));
    }

    /// Stores text that is already trimmed.
    fn set_trimmed(&mut self, s: &str) {
        self.text.clear();
        self.text.push_str(s);
        self.kind = if s.is_empty() {
            CellKind::Empty
        } else {
            CellKind::Text
        };
    }

    fn set_number(&mut self, kind: CellKind, v: f64) {
        use std::fmt::Write;
        self.kind = kind;
        self.number = v;
        self.text.clear();
        let _ = write!(self.text, "{v}");
    }
}

/// `str::trim` with a fast path for the usual case of a cell that starts and ends with an
/// ASCII non-space or a CJK character: called for every cell read.
fn trim_fast(s: &str) -> &str {
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return s;
    };
    let ascii_clean = |c: u8| c.is_ascii() && !char::from(c).is_whitespace();
    // No Unicode white space starts with a byte of 0xE4 or above (CJK and later).
    if !(ascii_clean(first) || first >= 0xE4) {
        return s.trim();
    }
    // Nor ends a character that starts 3 bytes from the end with such a byte (valid UTF-8:
    // a lead byte there is that of the last character).
    let last_lead = b.len().checked_sub(3).and_then(|i| b.get(i)).copied();
    if ascii_clean(last) || last_lead.is_some_and(|c| c >= 0xE4) {
        s
    } else {
        s.trim_end()
    }
}

/// A row being read: cells by column index.
#[derive(Debug, Default)]
pub struct RowBuf {
    cells: Vec<RawCell>,
    len: usize,
    /// The columns to read, once the header is known (empty: all). A province roster has
    /// some 170 columns of which a command reads a few dozen: the others are not decoded,
    /// trimmed or copied.
    wanted: Vec<bool>,
    /// The columns set since the row was cleared: every other cell is empty, so clearing
    /// and the blank test look at these alone (a few dozen of a roster's 180 columns).
    touched: Vec<usize>,
}

impl RowBuf {
    fn clear(&mut self) {
        for &col in &self.touched {
            if let Some(c) = self.cells.get_mut(col) {
                c.kind = CellKind::Empty;
                c.text.clear();
            }
        }
        self.touched.clear();
        self.len = 0;
    }

    fn slot(&mut self, col: usize) -> &mut RawCell {
        if self.cells.len() <= col {
            self.cells.resize_with(col + 1, RawCell::default);
        }
        if self.len <= col {
            self.len = col + 1;
        }
        self.touched.push(col);
        &mut self.cells[col]
    }

    /// The cells of the row.
    pub fn cells(&self) -> &[RawCell] {
        &self.cells[..self.len]
    }

    /// The cell at `col` (empty when beyond the row).
    pub fn get(&self, col: usize) -> Option<&RawCell> {
        self.cells().get(col)
    }

    /// Reads only the columns marked `true` from now on (columns beyond the mask are not
    /// read either).
    pub fn select(&mut self, wanted: Vec<bool>) {
        self.wanted = wanted;
    }

    /// The positions read (empty: all).
    pub fn selected(&self) -> Vec<usize> {
        let marked = self.wanted.iter().enumerate().filter(|(_, w)| **w);
        marked.map(|(i, _)| i).collect()
    }

    /// Whether column `col` is read.
    #[inline]
    fn wants(&self, col: usize) -> bool {
        self.wanted.is_empty() || self.wanted.get(col).copied().unwrap_or(false)
    }

    /// Whether every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.touched.iter().all(|&col| {
            self.cells
                .get(col)
                .is_none_or(|c| c.kind == CellKind::Empty)
        })
    }

    /// An owned copy (for the rows buffered while looking for the header).
    pub fn snapshot(&self) -> RowBuf {
        RowBuf {
            cells: self.cells().to_vec(),
            len: self.len,
            wanted: Vec::new(),
            touched: (0..self.len).collect(),
        }
    }
}

/// A source of rows for one table.
pub trait RowSource {
    /// Reads the next non-blank row into `row`; returns its Excel row number (1-based), or
    /// `None` at the end.
    ///
    /// # Errors
    /// When the file turns out to be corrupt mid-way.
    fn next_row(&mut self, row: &mut RowBuf) -> Result<Option<u32>>;

    /// Notes about what was read (cells that could not be read, formulas without a saved
    /// value), taken once the table has been read.
    fn take_notes(&mut self) -> Vec<String> {
        Vec::new()
    }

    /// Tells the source which columns will be read (the positions marked in the row's
    /// [`RowBuf::select`]), so that it can leave the others undecoded. Optional.
    fn select(&mut self, _wanted: &[usize]) {}
}

fn set_from_data_ref(cell: &mut RawCell, v: &DataRef<'_>) {
    match v {
        DataRef::Int(i) => cell.set_number(CellKind::Number, *i as f64),
        DataRef::Float(f) => cell.set_number(CellKind::Number, *f),
        DataRef::String(s) => cell.set_text(s),
        DataRef::SharedString(s) => cell.set_text(s),
        DataRef::Bool(b) => cell.set_number(CellKind::Bool, f64::from(u8::from(*b))),
        DataRef::DateTime(d) => cell.set_number(CellKind::Date, d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => cell.set_text(s),
        DataRef::Error(e) => {
            cell.kind = CellKind::Error;
            cell.text.clear();
            cell.text.push_str(&e.to_string());
        }
        DataRef::Empty => {
            cell.kind = CellKind::Empty;
            cell.text.clear();
        }
    }
}

fn set_from_data(cell: &mut RawCell, v: &Data) {
    match v {
        Data::Int(i) => cell.set_number(CellKind::Number, *i as f64),
        Data::Float(f) => cell.set_number(CellKind::Number, *f),
        Data::String(s) => cell.set_text(s),
        Data::Bool(b) => cell.set_number(CellKind::Bool, f64::from(u8::from(*b))),
        Data::DateTime(d) => cell.set_number(CellKind::Date, d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => cell.set_text(s),
        Data::Error(e) => {
            cell.kind = CellKind::Error;
            cell.text.clear();
            cell.text.push_str(&e.to_string());
        }
        Data::Empty => {
            cell.kind = CellKind::Empty;
            cell.text.clear();
        }
    }
}

/// An `.xlsx` workbook: calamine's, and the direct reader's shared strings and styles
/// when the workbook is one it reads (see [`sheet`]).
pub struct XlsxBook<RS: Read + Seek> {
    wb: Xlsx<RS>,
    direct: Option<Arc<sheet::Book>>,
}

impl<RS: Read + Seek> XlsxBook<RS> {
    /// The sheets' names, in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.wb.sheet_names()
    }
}

/// Opens an `.xlsx` workbook (shared strings, styles, sheet list) after
/// [`super::guard::inspect`]
/// checked it.
///
/// # Errors
/// [`Error::Io`] when the file cannot be opened; [`Error::Corrupt`] or
/// [`Error::Encrypted`] when calamine cannot read it.
pub fn open_xlsx(path: &Path, file: &str) -> Result<XlsxBook<BufReader<File>>> {
    open_xlsx_as(path, file, true)
}

/// [`open_xlsx`], with the direct sheet reader or (`direct: false`) calamine alone.
pub(crate) fn open_xlsx_as(
    path: &Path,
    file: &str,
    direct: bool,
) -> Result<XlsxBook<BufReader<File>>> {
    let f = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let wb = shielded(file, None, || {
        Xlsx::new(BufReader::with_capacity(1 << 16, f))
            .map_err(|e| workbook_error(file, None, &calamine::Error::Xlsx(e)))
    })?;
    let direct = if direct {
        sheet::Book::open(path)
    } else {
        None
    };
    Ok(XlsxBook { wb, direct })
}

/// A workbook read whole by calamine (`.xls`, `.ods`).
/// A reader calamine can seek in: the file, or a copy in memory (an `.ods` whose bad
/// numbers were turned into text).
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

pub struct WholeBook {
    wb: calamine::Sheets<Box<dyn ReadSeek>>,
    file: String,
}

impl WholeBook {
    /// Opens and reads the workbook at `path` as `format` (`.xls` or `.ods`),
    /// whatever its extension says.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be opened; [`Error::Corrupt`] or
    /// [`Error::Encrypted`] when calamine cannot read it.
    pub fn open(path: &Path, file: &str, format: Format) -> Result<Self> {
        // One cell whose number calamine cannot read fails a whole .ods: read a copy in
        // which such cells hold their text, reported as bad values of those cells.
        let cleaned = match format {
            Format::Ods => guard::with_bad_numbers_as_text(path, file)?,
            _ => None,
        };
        let r: Box<dyn ReadSeek> = match cleaned {
            Some(bytes) => Box::new(Cursor::new(bytes)),
            None => {
                let f = File::open(path).map_err(|source| Error::Io {
                    path: path.to_path_buf(),
                    source,
                })?;
                Box::new(BufReader::with_capacity(1 << 16, f))
            }
        };
        let wb = shielded(file, None, || {
            let wb = match format {
                Format::Xls => calamine::Xls::new(r)
                    .map(calamine::Sheets::Xls)
                    .map_err(calamine::Error::Xls),
                _ => calamine::Ods::new(r)
                    .map(calamine::Sheets::Ods)
                    .map_err(calamine::Error::Ods),
            };
            wb.map_err(|e| workbook_error(file, None, &e))
        })?;
        Ok(WholeBook {
            wb,
            file: file.to_string(),
        })
    }

    /// The sheets' names, in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.wb.sheet_names()
    }

    /// The rows of sheet `name`.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when calamine cannot read the sheet.
    pub fn sheet(&mut self, name: &str) -> Result<RangeRows> {
        let file = &self.file;
        let wb = &mut self.wb;
        shielded(file, Some(name), || {
            wb.worksheet_range(name)
                .map(RangeRows::new)
                .map_err(|e| workbook_error(file, Some(name), &e))
        })
    }
}

/// calamine's error, said in Chinese (its own words follow as a technical detail).
fn workbook_error(file: &str, sheet: Option<&str>, e: &calamine::Error) -> Error {
    use calamine::{OdsError, XlsError, XlsxError};
    let locked = matches!(
        e,
        calamine::Error::Xls(XlsError::Password)
            | calamine::Error::Xlsx(XlsxError::Password)
            | calamine::Error::Ods(OdsError::Password)
    );
    if locked {
        return Error::Encrypted {
            file: file.to_string(),
            what: "工作簿已加密".into(),
        };
    }
    let what = match e {
        calamine::Error::Io(_) => "读取文件时出错",
        calamine::Error::Xlsx(XlsxError::Xml(_) | XlsxError::XmlAttr(_))
        | calamine::Error::Ods(OdsError::Xml(_) | OdsError::XmlAttr(_)) => "其中的 XML 结构损坏",
        calamine::Error::Xlsx(XlsxError::XmlEof(_)) | calamine::Error::Ods(OdsError::Eof(_)) => {
            "其中的 XML 在结尾之前中断（文件不完整）"
        }
        calamine::Error::Xlsx(XlsxError::Zip(_)) | calamine::Error::Ods(OdsError::Zip(_)) => {
            "压缩包中的数据损坏"
        }
        calamine::Error::Xlsx(XlsxError::FileNotFound(_) | XlsxError::RelationshipNotFound)
        | calamine::Error::Ods(OdsError::FileNotFound(_)) => "缺少工作簿的组成部分",
        calamine::Error::Xls(XlsError::Cfb(_)) => "复合文档结构损坏",
        calamine::Error::Xls(_) => "工作簿数据（BIFF 记录）无法解析",
        _ => "内部结构无法解析",
    };
    Error::Corrupt {
        place: Place {
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            row: None,
            column: None,
        },
        reason: format!("{what}（技术细节：{e}）"),
    }
}

/// Streams an `.xlsx` sheet cell by cell (memory independent of the sheet's size).
///
/// Each cell's position is bounded by Excel's range before it sizes the row. When calamine
/// fails, panics or reports a position beyond the range, [`guard::xlsx::diagnose`] reads
/// the sheet to name the cell; a cell calamine refuses (a `<v>` that does not fit its type)
/// becomes an error-valued cell at its place (a bad value where a figure is expected),
/// reading goes on, and a note names it. Formula cells saved without their value read as
/// empty, and a note names them.
pub struct XlsxRows<'a, RS: Read + Seek> {
    reader: calamine::XlsxCellReader<'a, RS>,
    /// The direct reader, while the sheet is one it reads.
    direct: Option<sheet::Sheet>,
    file: String,
    sheet: String,
    path: PathBuf,
    /// A cell read ahead that belongs to the next row: (row, col, value owned as a RawCell).
    pending: Option<(u32, u32, RawCell)>,
    done: bool,
    /// What the diagnosis found, once calamine stumbled.
    diagnosis: Option<SheetScan>,
    /// `<c>` elements read so far (calamine returns one per call, or fails on it).
    ordinal: u64,
    /// The last cell read, for messages.
    last: Option<(u32, u32)>,
    /// Cells that could not be read: count, and the first few.
    bad: (u64, Vec<BadCell>),
    /// Formula cells without a saved value: count, and the first few (`C5`).
    formulas: (u64, Vec<String>),
}

impl<'a, RS: Read + Seek> XlsxRows<'a, RS> {
    /// Opens the sheet `name` of `wb` (the file at `path`) for streaming.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when the sheet cannot be opened.
    pub fn open(book: &'a mut XlsxBook<RS>, name: &str, file: &str, path: &Path) -> Result<Self> {
        let direct = book.direct.as_ref().and_then(|d| d.sheet(name));
        let wb = &mut book.wb;
        let reader = shielded(file, Some(name), || {
            wb.worksheet_cells_reader(name)
                .map_err(|e| workbook_error(file, Some(name), &calamine::Error::Xlsx(e)))
        });
        let reader = match reader {
            Ok(r) => r,
            // A sheet calamine cannot even open: say where, if the XML tells.
            Err(e) => return Err(guard::xlsx::diagnose(path, file, name).err().unwrap_or(e)),
        };
        Ok(XlsxRows {
            reader,
            direct,
            file: file.to_string(),
            sheet: name.to_string(),
            path: path.to_path_buf(),
            pending: None,
            done: false,
            diagnosis: None,
            ordinal: 0,
            last: None,
            bad: (0, Vec::new()),
            formulas: (0, Vec::new()),
        })
    }

    /// The diagnosis of this sheet, run once. `Err` when it found what is wrong.
    fn diagnosis(&mut self) -> Result<&mut SheetScan> {
        if self.diagnosis.is_none() {
            let scan = guard::xlsx::diagnose(&self.path, &self.file, &self.sheet)?;
            self.diagnosis = Some(scan);
        }
        Ok(self.diagnosis.get_or_insert_with(SheetScan::default))
    }

    /// The error to report: what the diagnosis names, else `fallback`. Reading stops.
    fn stop(&mut self, fallback: Error) -> Error {
        self.done = true;
        match self.diagnosis() {
            Err(e) => e,
            Ok(_) => fallback,
        }
    }

    /// The next cell: position and value, `None` at the end of the sheet. `wanted` marks
    /// the columns read (empty: all): the direct reader leaves others undecoded.
    fn next_cell(&mut self, wanted: &[bool]) -> Result<Option<(u32, u32, CellValue<'a>)>> {
        if let Some(direct) = &mut self.direct {
            match direct.next_cell(wanted) {
                Ok(Some(cell)) => {
                    self.ordinal += 1;
                    self.last = Some((cell.row, cell.col));
                    if cell.formula_without_value {
                        self.formula_without_value(cell.row, cell.col);
                    }
                    let value = match cell.value {
                        sheet::Value::Empty => CellValue::Read(DataRef::Empty),
                        sheet::Value::Skipped => CellValue::Skipped,
                        sheet::Value::Decoded => CellValue::Direct,
                    };
                    return Ok(Some((cell.row, cell.col, value)));
                }
                Ok(None) => return Ok(None),
                Err(sheet::Unusual) => {
                    // calamine reads on from the first cell not read directly (`ordinal`
                    // counts those read); the cells it skips were noted already.
                    let read = self.ordinal;
                    self.direct = None;
                    let formulas = std::mem::take(&mut self.formulas);
                    self.ordinal = 0;
                    for _ in 0..read {
                        if self.calamine_cell()?.is_none() {
                            break;
                        }
                    }
                    self.formulas = formulas;
                }
            }
        }
        self.calamine_cell()
    }

    /// Notes a formula cell saved without its value.
    fn formula_without_value(&mut self, r: u32, c: u32) {
        self.formulas.0 += 1;
        if self.formulas.1.len() < 10 {
            self.formulas
                .1
                .push(format!("{}{}", column_letters(c), u64::from(r) + 1));
        }
    }

    /// The next cell as calamine reads it.
    fn calamine_cell(&mut self) -> Result<Option<(u32, u32, CellValue<'a>)>> {
        let (file, sheet) = (&self.file, &self.sheet);
        let reader = &mut self.reader;
        let next = shielded(file, Some(sheet), || {
            Ok(reader.next_cell_with_formula_metadata())
        });
        let next = match next {
            Ok(n) => n,
            Err(caught) => return Err(self.stop(caught)),
        };
        let ordinal = self.ordinal;
        self.ordinal += 1;
        match next {
            Ok(None) => Ok(None),
            Ok(Some(cell)) => {
                let (r, c) = cell.pos;
                if u64::from(c) >= MAX_COLUMNS || u64::from(r) >= MAX_ROWS {
                    let e = self.broken(format!(
                        "第 {} 行第 {} 列的单元格超出了 Excel 的最大范围（XFD 列、1048576 行）",
                        u64::from(r) + 1,
                        u64::from(c) + 1
                    ));
                    return Err(self.stop(e));
                }
                self.last = Some((r, c));
                if cell.formula.is_some() && matches!(cell.value, DataRef::Empty) {
                    self.formula_without_value(r, c);
                }
                Ok(Some((r, c, CellValue::Read(cell.value))))
            }
            Err(e) => {
                let reason = format!(
                    "{}（技术细节：{e}）",
                    match &e {
                        calamine::XlsxError::Xml(_) => "工作表的 XML 结构损坏",
                        calamine::XlsxError::XmlEof(_) =>
                            "工作表的 XML 在结尾之前中断（文件不完整）",
                        calamine::XlsxError::Zip(_) | calamine::XlsxError::Io(_) =>
                            "压缩包中的数据损坏",
                        _ => "单元格无法解析",
                    }
                );
                let scan = match self.diagnosis() {
                    Ok(scan) => scan,
                    Err(located) => {
                        self.done = true;
                        return Err(located);
                    }
                };
                while scan.bad.front().is_some_and(|b| b.ordinal < ordinal) {
                    scan.bad.pop_front();
                }
                match scan.bad.pop_front() {
                    Some(b) if b.ordinal == ordinal => {
                        let (r, c) = (b.row, b.col);
                        self.last = Some((r, c));
                        self.bad.0 += 1;
                        if self.bad.1.len() < 10 {
                            self.bad.1.push(b.clone());
                        }
                        Ok(Some((r, c, CellValue::Bad(b.raw))))
                    }
                    _ => {
                        self.done = true;
                        Err(self.broken(reason))
                    }
                }
            }
        }
    }

    /// An error at the last cell read.
    fn broken(&mut self, reason: String) -> Error {
        self.done = true;
        let at = match self.last {
            Some((r, c)) => format!("在单元格 {}{} 之后", column_letters(c), u64::from(r) + 1),
            None => "在第一个单元格".to_string(),
        };
        Error::Corrupt {
            place: Place {
                file: self.file.clone(),
                sheet: Some(self.sheet.clone()),
                row: self.last.map(|(r, _)| r.saturating_add(1)),
                column: None,
            },
            reason: format!("{at}：{reason}"),
        }
    }
}

/// A cell's value: read by calamine, or refused by it (the `<v>` text), or read by the
/// direct reader (waiting in it), or not decoded (a column not read).
enum CellValue<'a> {
    Read(DataRef<'a>),
    Bad(String),
    Direct,
    Skipped,
}

impl CellValue<'_> {
    fn is_empty(&self) -> bool {
        matches!(self, CellValue::Read(DataRef::Empty))
    }
}

impl<'a, RS: Read + Seek> XlsxRows<'a, RS> {
    /// Puts `value` into `cell`.
    fn put(&mut self, value: &CellValue<'a>, cell: &mut RawCell) {
        match value {
            CellValue::Read(v) => set_from_data_ref(cell, v),
            CellValue::Bad(raw) => {
                cell.kind = CellKind::Error;
                cell.text.clear();
                cell.text.push_str(raw.trim());
            }
            CellValue::Direct => {
                if let Some(d) = &mut self.direct {
                    std::mem::swap(cell, &mut d.value);
                }
            }
            CellValue::Skipped => {}
        }
    }
}

impl<RS: Read + Seek> RowSource for XlsxRows<'_, RS> {
    fn next_row(&mut self, row: &mut RowBuf) -> Result<Option<u32>> {
        loop {
            row.clear();
            let mut current: Option<u32> = None;
            if let Some((r, c, cell)) = self.pending.take() {
                current = Some(r);
                if row.wants(c as usize) {
                    *row.slot(c as usize) = cell;
                }
            }
            while !self.done {
                let Some((r, c, value)) = self.next_cell(&row.wanted)? else {
                    self.done = true;
                    break;
                };
                if value.is_empty() {
                    continue;
                }
                let wanted = row.wants(c as usize);
                match current {
                    Some(cur) if cur != r => {
                        let mut owned = RawCell::default();
                        self.put(&value, &mut owned);
                        self.pending = Some((r, c, owned));
                        break;
                    }
                    _ => {
                        current = Some(r);
                        if wanted {
                            self.put(&value, row.slot(c as usize));
                        }
                    }
                }
            }
            match current {
                None => return Ok(None),
                Some(r) if !row.is_blank() => return Ok(Some(r + 1)),
                Some(_) => continue,
            }
        }
    }

    fn take_notes(&mut self) -> Vec<String> {
        let mut notes = Vec::new();
        let at = format!("文件 {}，工作表「{}」", self.file, self.sheet);
        if self.bad.0 > 0 {
            let cells: Vec<String> = self
                .bad
                .1
                .iter()
                .map(|b| format!("{}（应为{}）", b.reference(), b.expected))
                .collect();
            notes.push(format!(
                "{at}：有 {} 个单元格的值无法读取：{}{}；已按错误值处理（需要数字、日期或是/否的列会把它们列为无法识别的值）。",
                self.bad.0,
                cells.join("、"),
                if self.bad.0 > cells.len() as u64 { " 等" } else { "" }
            ));
        }
        let (n, cells) = std::mem::take(&mut self.formulas);
        if n > 0 {
            notes.push(format!(
                "{at}：有 {n} 个公式单元格没有保存计算结果（{}{}），已按空白处理。请用 Excel 打开该文件，确认公式已计算后保存，再重新导入。",
                cells.join("、"),
                if n > cells.len() as u64 { " 等" } else { "" }
            ));
        }
        self.bad = (0, Vec::new());
        notes
    }
}

/// Rows of a sheet read whole (`.xls`, `.ods`).
pub struct RangeRows {
    range: Range<Data>,
    next: usize,
}

impl RangeRows {
    /// Wraps a sheet read by calamine.
    pub fn new(range: Range<Data>) -> Self {
        RangeRows { range, next: 0 }
    }
}

impl RowSource for RangeRows {
    fn next_row(&mut self, row: &mut RowBuf) -> Result<Option<u32>> {
        let start = self.range.start().map(|(r, _)| r).unwrap_or(0);
        let start_col = self.range.start().map(|(_, c)| c).unwrap_or(0) as usize;
        let (height, width) = self.range.get_size();
        while self.next < height {
            let r = self.next;
            let excel_row = start + r as u32 + 1;
            self.next += 1;
            row.clear();
            for c in 0..width {
                if row.wants(start_col + c)
                    && let Some(v) = self.range.get((r, c))
                    && !matches!(v, Data::Empty)
                {
                    set_from_data(row.slot(start_col + c), v);
                }
            }
            if !row.is_blank() {
                return Ok(Some(excel_row));
            }
        }
        Ok(None)
    }
}

/// Longest line accepted in a CSV file. A roster row is a few hundred bytes; without a
/// limit one line without a newline would be held whole in memory.
const MAX_LINE: usize = 1 << 20;

/// Bytes a batch of records may hold before it is handed over (see [`CSV_BATCH`]).
const CSV_BATCH_BYTES: usize = 4 << 20;

/// Fails a read once a line grows beyond [`MAX_LINE`] bytes. Lines are short, so the
/// newlines nearest the ends of each chunk are found after a few bytes.
struct LineLimit<R> {
    inner: R,
    since_newline: usize,
}

/// The message of the error a too-long line raises (recognised in `parse_batches`).
const LINE_TOO_LONG: &str = "line too long";

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = buf.get(..n).unwrap_or_default();
        let first = chunk.iter().position(|&b| b == b'\n');
        let last = chunk.iter().rposition(|&b| b == b'\n');
        let longest = match (first, last) {
            (Some(f), Some(l)) => {
                let head = self.since_newline + f;
                self.since_newline = n - l - 1;
                head
            }
            _ => {
                self.since_newline += n;
                self.since_newline
            }
        };
        if longest > MAX_LINE {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                LINE_TOO_LONG,
            ));
        }
        Ok(n)
    }
}

type CsvInput = LineLimit<Chain<Cursor<Vec<u8>>, Box<dyn Read + Send>>>;

/// Records per batch handed from the parsing thread to the reader.
const CSV_BATCH: usize = 2048;

/// Records decoded on the parsing thread: the trimmed texts of their non-empty fields (of
/// the columns read, once the header is known), one after another.
#[derive(Default)]
struct Batch {
    text: String,
    /// Per field: its column and where its text ends in `text`; the column has
    /// [`UNDECODED`] set when the field is not UTF-8 (left to the reader, which knows
    /// whether the column is read).
    cells: Vec<(u32, u32)>,
    /// Per record: where its fields end in `cells` (a blank record has none).
    records: Vec<u32>,
}

/// Marks a field that is not valid UTF-8 in [`Batch::cells`].
const UNDECODED: u32 = 1 << 31;

impl Batch {
    fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
        self.records.clear();
    }
}

/// Rows of a CSV file, UTF-8 (with or without BOM) or GB18030 (detected).
///
/// CSV parsing, UTF-8 decoding and trimming run on a second thread, which hands over
/// batches of records, so that on a two-core machine they overlap with building records;
/// once the header is known ([`RowSource::select`]) that thread decodes only the columns
/// read. Batches are sent back and reused, so the steady state allocates nothing.
pub struct CsvRows {
    batches: std::sync::mpsc::Receiver<Result<Batch>>,
    recycle: std::sync::mpsc::SyncSender<Batch>,
    batch: Batch,
    pos: usize,
    line: u32,
    finished: bool,
    file: String,
    /// The columns to decode, set once the header is known; shared with the parser.
    columns: std::sync::Arc<std::sync::OnceLock<Vec<usize>>>,
    /// The parsing thread, joined when the rows are dropped: a reader that stops early
    /// (no header found, an error) leaves no thread behind still holding batches.
    parser: Option<std::thread::JoinHandle<()>>,
}

impl Drop for CsvRows {
    fn drop(&mut self) {
        // Close the channel first: the parser's next send fails and it returns.
        let (_, closed) = std::sync::mpsc::sync_channel(0);
        drop(std::mem::replace(&mut self.batches, closed));
        if let Some(parser) = self.parser.take() {
            let _ = parser.join();
        }
    }
}

impl CsvRows {
    /// Opens a CSV file, detects its encoding from the first 64 KiB and starts the parsing
    /// thread.
    ///
    /// Records are split by simd-csv. At the first record the csv crate might split
    /// otherwise (a quote inside an unquoted field, text after a closing quote, a lone CR),
    /// the thread reads the file again with the csv crate, which is lenient with such
    /// input, and goes on past the records already read: the rows are those the csv crate
    /// gives.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read.
    pub fn open(path: &Path, file: &str) -> Result<Self> {
        let prepared = Prepared::open(path, file)?;
        Ok(Self::start(
            Splitter::fast(prepared.input),
            Fallback::Reopen(path.to_path_buf()),
            file,
        ))
    }

    /// CSV read from `reader` (standard input, say), named `file` in messages: the
    /// encoding is detected from the first 64 KiB as for [`CsvRows::open`], and the parsing
    /// thread started.
    ///
    /// Standard input cannot be read twice: when its first 64 KiB hold a quote or a lone
    /// CR, the csv crate reads all of it; otherwise simd-csv does, and a record further on
    /// that the csv crate might split otherwise is an error naming its row.
    ///
    /// # Errors
    /// [`Error::Io`] (naming `file`) when the first bytes cannot be read.
    pub fn from_reader(reader: Box<dyn Read + Send>, file: &str) -> Result<Self> {
        let prepared = Prepared::new(reader, file)?;
        let splitter = match prepared.tricky {
            true => Splitter::reference(prepared.input),
            false => Splitter::fast(prepared.input),
        };
        Ok(Self::start(splitter, Fallback::Refuse, file))
    }

    /// Starts the parsing thread.
    fn start(splitter: Splitter, fallback: Fallback, file: &str) -> Self {
        let (tx, batches) = std::sync::mpsc::sync_channel::<Result<Batch>>(4);
        let (recycle, back) = std::sync::mpsc::sync_channel::<Batch>(8);
        let name = file.to_string();
        let columns = std::sync::Arc::new(std::sync::OnceLock::new());
        let wanted = columns.clone();
        let parser = std::thread::spawn(move || {
            parse_batches(splitter, &fallback, &name, &wanted, &tx, &back);
        });
        CsvRows {
            batches,
            recycle,
            batch: Batch::default(),
            pos: 0,
            line: 0,
            finished: false,
            file: file.to_string(),
            columns,
            parser: Some(parser),
        }
    }
}

/// A CSV input ready to be split into records: the BOM dropped, GB18030 decoded to UTF-8,
/// lines limited to [`MAX_LINE`].
struct Prepared {
    input: Box<dyn Read + Send>,
    /// The first 64 KiB hold a quote, or a CR not followed by LF.
    tricky: bool,
}

impl Prepared {
    /// The file at `path`, from its start.
    fn open(path: &Path, file: &str) -> Result<Self> {
        let f = File::open(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::new(Box::new(BufReader::with_capacity(1 << 16, f)), file)
    }

    /// Reads the first 64 KiB of `reader` to detect its encoding.
    fn new(mut reader: Box<dyn Read + Send>, file: &str) -> Result<Self> {
        let io = |source| Error::Io {
            path: PathBuf::from(file),
            source,
        };
        let mut head = vec![0u8; 1 << 16];
        let mut n = 0;
        while n < head.len() {
            let k = match reader.read(&mut head[n..]) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                k => k.map_err(io)?,
            };
            if k == 0 {
                break;
            }
            n += k;
        }
        head.truncate(n);
        let mut bom = false;
        if head.starts_with(BOM) {
            head.drain(..3);
            bom = true;
        }
        let utf8 = bom
            || match std::str::from_utf8(&head) {
                Ok(_) => true,
                // Only an incomplete character cut at the end of the sample.
                Err(e) => e.error_len().is_none(),
            };
        // No byte of a GB18030 character is a quote or a CR, so the raw bytes tell.
        let tricky = head
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'"' || (b == b'\r' && head.get(i + 1) != Some(&b'\n')));
        let input = LineLimit {
            inner: Cursor::new(head).chain(reader),
            since_newline: 0,
        };
        let input: CsvInput = input;
        // A second BOM is dropped by either parser: both see the same first read.
        let input: Box<dyn Read + Send> = if utf8 {
            Box::new(input)
        } else {
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding_rs::GB18030))
                    .build(input),
            )
        };
        Ok(Prepared { input, tricky })
    }
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// What splits a CSV text into records.
enum Splitter {
    /// simd-csv: about twice as fast as the csv crate, but it splits input with stray
    /// quotes or lone CRs otherwise, so each of its records is checked ([`ambiguous`]).
    Fast(simd_csv::ZeroCopyReader<Box<dyn Read + Send>>),
    /// The csv crate: the reference, lenient with stray quotes.
    Reference(csv::Reader<Box<dyn Read + Send>>),
}

impl Splitter {
    fn fast(input: Box<dyn Read + Send>) -> Self {
        Splitter::Fast(
            simd_csv::ZeroCopyReaderBuilder::with_capacity(1 << 16)
                .has_headers(false)
                .flexible(true)
                .from_reader(input),
        )
    }

    fn reference(input: Box<dyn Read + Send>) -> Self {
        Splitter::Reference(reference_reader(input))
    }
}

fn reference_reader(input: Box<dyn Read + Send>) -> csv::Reader<Box<dyn Read + Send>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(input)
}

/// What the parsing thread does at a record simd-csv may have split otherwise than the
/// csv crate.
enum Fallback {
    /// Reads the file again with the csv crate, past the records already sent.
    Reopen(PathBuf),
    /// Fails (standard input cannot be read twice).
    Refuse,
}

impl Fallback {
    /// The csv crate reading the input again, past its first `done` records (which both
    /// parsers split alike: each was checked).
    fn reference(&self, file: &str, done: u64) -> Result<Splitter> {
        let path = match self {
            Fallback::Reopen(path) => path,
            Fallback::Refuse => {
                return Err(Error::Unreadable {
                    file: file.to_string(),
                    reason: format!(
                        "第 {} 行的引号不成对（如 王\"五、\"abc\"def）或含有单独的回车符，无法可靠地分列；请用 WPS 或 Excel 打开后另存为 CSV 再试，或把文件的路径交给 gonggu（而不是从标准输入传入）",
                        done + 1
                    ),
                });
            }
        };
        let mut reader = reference_reader(Prepared::open(path, file)?.input);
        let mut record = csv::ByteRecord::new();
        for line in 1..=done {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => {
                    return Err(Error::Unreadable {
                        file: file.to_string(),
                        reason: "再次读取时文件变短了（读取期间文件被改动了？）".into(),
                    });
                }
                Err(e) => return Err(csv_failure(file, line, &e)),
            }
        }
        Ok(Splitter::Reference(reader))
    }
}

/// Whether simd-csv may have split this record otherwise than the csv crate: a field with a
/// quote that is not one quoted field with only doubled quotes inside (`王"五`, `"abc"def`,
/// an unclosed quote: simd-csv may swallow the rows that follow), or a CR outside quotes
/// (the csv crate ends a record at a lone CR, simd-csv only at LF; a CRLF ending is not part
/// of the record).
fn ambiguous(record: &simd_csv::ZeroCopyByteRecord<'_>) -> bool {
    if !has_quote_or_cr(record.as_slice()) {
        return false;
    }
    record.iter().any(|field| match field {
        [b'"', inner @ .., b'"'] => !doubled_only(inner),
        _ => has_quote_or_cr(field),
    })
}

/// Whether `bytes` hold a quote or a CR (called for every record: memchr's vector search).
fn has_quote_or_cr(bytes: &[u8]) -> bool {
    memchr::memchr2(b'"', b'\r', bytes).is_some()
}

/// Whether every quote in `inner` is one of a pair `""`.
fn doubled_only(inner: &[u8]) -> bool {
    let mut rest = inner;
    while let Some(i) = rest.iter().position(|&b| b == b'"') {
        if rest.get(i + 1) != Some(&b'"') {
            return false;
        }
        rest = rest.get(i + 2..).unwrap_or_default();
    }
    true
}

/// What reading one record came to.
enum Step {
    /// A record was added to the batch.
    Record,
    /// The end of the input.
    End,
    /// A record simd-csv may have split otherwise than the csv crate (not added).
    Ambiguous,
}

/// The parsing thread: fills batches until the end of the file, an error, or the reader is
/// dropped (then `send` fails and the thread ends). An error is sent after the records
/// before it, so that it stops the reader where it lies.
fn parse_batches(
    mut splitter: Splitter,
    fallback: &Fallback,
    file: &str,
    columns: &std::sync::OnceLock<Vec<usize>>,
    tx: &std::sync::mpsc::SyncSender<Result<Batch>>,
    back: &std::sync::mpsc::Receiver<Batch>,
) {
    let mut records = 0u64;
    let mut record = csv::ByteRecord::new();
    loop {
        let mut batch = back.try_recv().unwrap_or_default();
        batch.clear();
        let wanted = columns.get();
        let mut failure = None;
        let mut done = false;
        while batch.records.len() < CSV_BATCH && batch.text.len() < CSV_BATCH_BYTES {
            let line = records + batch.records.len() as u64 + 1;
            let step = match &mut splitter {
                Splitter::Fast(reader) => match reader.read_byte_record() {
                    Ok(Some(r)) if ambiguous(&r) => Ok(Step::Ambiguous),
                    Ok(Some(r)) => {
                        decode(&r, wanted, &mut batch, line, file).map(|()| Step::Record)
                    }
                    Ok(None) => Ok(Step::End),
                    Err(e) => Err(read_failure(
                        file,
                        line,
                        match e.kind() {
                            simd_csv::ErrorKind::Io(io) => Some(io),
                            _ => None,
                        },
                        &e,
                    )),
                },
                Splitter::Reference(reader) => match reader.read_byte_record(&mut record) {
                    Ok(true) => {
                        decode(&record, wanted, &mut batch, line, file).map(|()| Step::Record)
                    }
                    Ok(false) => Ok(Step::End),
                    Err(e) => Err(csv_failure(file, line, &e)),
                },
            };
            match step {
                Ok(Step::Record) => {}
                Ok(Step::End) => {
                    done = true;
                    break;
                }
                Ok(Step::Ambiguous) => match fallback.reference(file, line - 1) {
                    Ok(reference) => splitter = reference,
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                },
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        records += batch.records.len() as u64;
        if !batch.records.is_empty() && tx.send(Ok(batch)).is_err() {
            return;
        }
        if let Some(e) = failure {
            let _ = tx.send(Err(e));
            return;
        }
        if done {
            // An empty batch marks the end of the file, so that a thread that died is
            // told apart from one that finished.
            let _ = tx.send(Ok(Batch::default()));
            return;
        }
    }
}

/// The csv crate's error at record `line`, said as [`read_failure`] says it.
fn csv_failure(file: &str, line: u64, e: &csv::Error) -> Error {
    let io = match e.kind() {
        csv::ErrorKind::Io(io) => Some(io),
        _ => None,
    };
    read_failure(file, line, io, e)
}

/// A parser's error at record `line`: a line beyond [`MAX_LINE`] (raised by [`LineLimit`])
/// in Chinese, anything else in the parser's words.
fn read_failure(
    file: &str,
    line: u64,
    io: Option<&std::io::Error>,
    e: &dyn std::fmt::Display,
) -> Error {
    let reason = match io {
        Some(io) if io.to_string() == LINE_TOO_LONG => format!(
            "第 {line} 行超过 {} MB，不是正常的表格行（文件可能不是 CSV，或已损坏）",
            MAX_LINE >> 20
        ),
        _ => e.to_string(),
    };
    Error::Unreadable {
        file: file.to_string(),
        reason,
    }
}

fn undecoded(file: &str, line: u32, column: usize) -> Error {
    Error::Unreadable {
        file: file.to_string(),
        reason: format!(
            "第 {line} 行第 {} 列含有无法识别的字符编码（应为 UTF-8 或 GB18030）",
            column_letters(column as u32)
        ),
    }
}

/// One record's fields as a parser gives them.
trait Fields {
    /// How many fields the record has.
    fn count(&self) -> usize;
    /// Field `i`, its quotes taken off and doubled quotes undone.
    fn field(&self, i: usize) -> Option<std::borrow::Cow<'_, [u8]>>;
}

impl Fields for csv::ByteRecord {
    fn count(&self) -> usize {
        self.len()
    }

    fn field(&self, i: usize) -> Option<std::borrow::Cow<'_, [u8]>> {
        self.get(i).map(std::borrow::Cow::Borrowed)
    }
}

impl Fields for simd_csv::ZeroCopyByteRecord<'_> {
    fn count(&self) -> usize {
        self.len()
    }

    /// Only for a record [`ambiguous`] passed: quoted fields are then well formed.
    fn field(&self, i: usize) -> Option<std::borrow::Cow<'_, [u8]>> {
        self.unescape(i)
    }
}

/// Adds one record's fields (those of `wanted`, else all) to the batch: decoded as UTF-8,
/// trimmed, blanks left out.
fn decode(
    record: &impl Fields,
    wanted: Option<&Vec<usize>>,
    batch: &mut Batch,
    line: u64,
    file: &str,
) -> Result<()> {
    let line = u32::try_from(line).unwrap_or(u32::MAX);
    if record.count() as u64 > MAX_COLUMNS {
        return Err(Error::Corrupt {
            place: Place {
                file: file.to_string(),
                sheet: None,
                row: Some(line),
                column: None,
            },
            reason: format!(
                "这一行有 {} 列，超过了表格最多 {MAX_COLUMNS} 列（文件可能不是 CSV）",
                record.count()
            ),
        });
    }
    let mut push = |i: usize, field: &[u8]| -> Result<()> {
        if field.is_empty() {
            return Ok(());
        }
        let Ok(text) = std::str::from_utf8(field) else {
            if wanted.is_some() {
                return Err(undecoded(file, line, i));
            }
            // Before the header is known: an error only if the column is read.
            batch
                .cells
                .push((i as u32 | UNDECODED, batch.text.len() as u32));
            return Ok(());
        };
        let text = trim_fast(text);
        if !text.is_empty() {
            batch.text.push_str(text);
            batch.cells.push((i as u32, batch.text.len() as u32));
        }
        Ok(())
    };
    match wanted {
        Some(columns) => {
            for &i in columns {
                if let Some(field) = record.field(i) {
                    push(i, &field)?;
                }
            }
        }
        None => {
            for i in 0..record.count() {
                if let Some(field) = record.field(i) {
                    push(i, &field)?;
                }
            }
        }
    }
    batch.records.push(batch.cells.len() as u32);
    Ok(())
}

impl RowSource for CsvRows {
    fn next_row(&mut self, row: &mut RowBuf) -> Result<Option<u32>> {
        loop {
            if self.pos >= self.batch.records.len() {
                if self.finished {
                    return Ok(None);
                }
                let used = std::mem::take(&mut self.batch);
                let _ = self.recycle.try_send(used);
                match self.batches.recv() {
                    Ok(Ok(b)) if b.records.is_empty() => {
                        self.finished = true;
                        return Ok(None);
                    }
                    Ok(Ok(b)) => {
                        self.batch = b;
                        self.pos = 0;
                    }
                    Ok(Err(e)) => return Err(e),
                    Err(_) => {
                        return Err(Error::Unreadable {
                            file: self.file.clone(),
                            reason: "读取 CSV 的线程意外结束".into(),
                        });
                    }
                }
                continue;
            }
            let b = &self.batch;
            let first = match self.pos {
                0 => 0,
                p => b.records.get(p - 1).copied().unwrap_or(0) as usize,
            };
            let end = b.records.get(self.pos).copied().unwrap_or(0) as usize;
            self.pos += 1;
            self.line += 1;
            row.clear();
            let mut from = match first {
                0 => 0,
                f => b.cells.get(f - 1).map_or(0, |c| c.1 as usize),
            };
            for &(col, to) in b.cells.get(first..end).unwrap_or_default() {
                let (bad, col, to) = (
                    col & UNDECODED != 0,
                    (col & !UNDECODED) as usize,
                    to as usize,
                );
                // Records decoded before the header was known carry every column.
                if row.wants(col) {
                    if bad {
                        return Err(undecoded(&self.file, self.line, col));
                    }
                    row.slot(col)
                        .set_trimmed(b.text.get(from..to).unwrap_or_default());
                }
                from = to;
            }
            if !row.is_blank() {
                return Ok(Some(self.line));
            }
        }
    }

    fn select(&mut self, wanted: &[usize]) {
        let _ = self.columns.set(wanted.to_vec());
    }
}

mod sheet;

#[cfg(test)]
mod tests;
