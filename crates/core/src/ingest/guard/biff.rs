//! The BIFF record stream inside an `.xls` (its `Workbook` stream).
//!
//! calamine reads every sheet of an `.xls` whole when the workbook is opened, and sizes
//! what it allocates by what records claim: a `Dimensions` record reserves rows × columns
//! cells, the cells' bounding box becomes one dense range (cloned once more when a sheet is
//! handed out), a `Label` reserves as many characters as it declares, each `LabelSst` copies
//! a shared string. [`scan`] walks the records the way calamine will and adds up what those
//! claims cost in memory, so that [`super`] can refuse a file that asks for more than its
//! size allows. It also finds `FilePass` (a password-protected workbook).

use std::mem::size_of;

use calamine::{Cell, Data};

/// What is wrong with the stream: a Chinese reason and the sheet, when known.
#[derive(Debug)]
pub(crate) enum Problem {
    /// The workbook is encrypted (`FilePass`).
    Encrypted,
    /// The records are inconsistent.
    Corrupt {
        /// Sheet name, when the problem is inside a sheet.
        sheet: Option<String>,
        /// Chinese reason.
        reason: String,
    },
    /// The sheets claim more memory than the budget allows.
    TooBig {
        /// The sheet whose claim crossed the budget.
        sheet: String,
        /// Chinese description of the claim.
        claim: String,
    },
}

fn corrupt(sheet: Option<&str>, reason: impl Into<String>) -> Problem {
    Problem::Corrupt {
        sheet: sheet.map(str::to_string),
        reason: reason.into(),
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// One record with the `Continue` records that follow it (as calamine groups them).
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: std::collections::VecDeque<&'a [u8]>,
}

impl<'a> Record<'a> {
    fn continue_record(&mut self) -> bool {
        match self.cont.pop_front() {
            Some(d) => {
                self.data = d;
                true
            }
            None => false,
        }
    }

    fn skip(&mut self, mut len: usize) -> Result<(), ()> {
        while len > 0 {
            if self.data.is_empty() && !self.continue_record() {
                return Err(());
            }
            let l = len.min(self.data.len());
            self.data = self.data.get(l..).unwrap_or_default();
            len -= l;
        }
        Ok(())
    }
}

/// Records of a stream; an `Err` carries the byte offset where a record is cut short.
struct Records<'a> {
    stream: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, usize>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.stream.is_empty() {
            return None;
        }
        let (Some(typ), Some(len)) = (u16_at(self.stream, 0), u16_at(self.stream, 2)) else {
            self.stream = &[];
            return Some(Err(self.at));
        };
        let Some(data) = self.stream.get(4..4 + len as usize) else {
            self.stream = &[];
            return Some(Err(self.at));
        };
        self.stream = self.stream.get(4 + len as usize..).unwrap_or_default();
        self.at += 4 + len as usize;
        let mut cont = std::collections::VecDeque::new();
        while self.stream.len() > 4 && u16_at(self.stream, 0) == Some(0x003C) {
            let l = u16_at(self.stream, 2).unwrap_or(0) as usize;
            let Some(d) = self.stream.get(4..4 + l) else {
                self.stream = &[];
                return Some(Err(self.at));
            };
            cont.push_back(d);
            self.stream = self.stream.get(4 + l..).unwrap_or_default();
            self.at += 4 + l;
        }
        Some(Ok(Record { typ, data, cont }))
    }
}

fn records(stream: &[u8]) -> Records<'_> {
    Records { stream, at: 0 }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Biff {
    Old,
    Eight,
}

/// A rectangle of cell positions.
#[derive(Default)]
struct Area {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Area {
    fn add(&mut self, row: u32, col: u32) {
        self.rows = Some(
            self.rows
                .map_or((row, row), |(a, b)| (a.min(row), b.max(row))),
        );
        self.cols = Some(
            self.cols
                .map_or((col, col), |(a, b)| (a.min(col), b.max(col))),
        );
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => {
                (u64::from(r1 - r0) + 1).saturating_mul(u64::from(c1 - c0) + 1)
            }
            _ => 0,
        }
    }

    fn describe(&self) -> String {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => format!(
                "{}{}:{}{}",
                super::column_letters(c0),
                u64::from(r0) + 1,
                super::column_letters(c1),
                u64::from(r1) + 1
            ),
            _ => String::new(),
        }
    }
}

/// Upper bound of the UTF-8 bytes a string of `cch` characters decodes to.
fn text_bytes(cch: u64, utf16: bool) -> u64 {
    // UTF-16 units take at most 3 UTF-8 bytes; a legacy code page reads the two bytes of
    // each unit separately, at most 3 UTF-8 bytes each.
    if utf16 { 3 * cch } else { 6 * cch }
}

/// The bytes a `XLUnicodeRichExtendedString` of the SST will decode to, read as calamine
/// reads it (characters may continue in the next `Continue` record, which starts with a
/// new flags byte).
fn rich_string(r: &mut Record<'_>, utf16: bool) -> Result<u64, ()> {
    if r.data.is_empty() {
        return Ok(0);
    }
    let (Some(cch), Some(&flags)) = (u16_at(r.data, 0), r.data.get(2)) else {
        return Err(());
    };
    r.data = r.data.get(3..).ok_or(())?;
    let mut high = flags & 0x1 != 0;
    let mut runs = 0usize;
    let mut ext = 0usize;
    if flags & 0x8 != 0 {
        runs = u16_at(r.data, 0).ok_or(())? as usize;
        r.data = r.data.get(2..).ok_or(())?;
    }
    if flags & 0x4 != 0 {
        ext = u32_at(r.data, 0).ok_or(())? as i32 as usize;
        r.data = r.data.get(4..).ok_or(())?;
    }
    let mut left = cch as usize;
    while left > 0 {
        let (l, used) = if high {
            let l = (r.data.len() / 2).min(left);
            (l, 2 * l)
        } else {
            let l = r.data.len().min(left);
            (l, l)
        };
        r.data = r.data.get(used..).ok_or(())?;
        left -= l;
        if left > 0 {
            if !r.continue_record() {
                return Err(());
            }
            high = r.data.first().ok_or(())? & 0x1 != 0;
            r.data = r.data.get(1..).ok_or(())?;
        }
    }
    r.skip(runs.saturating_mul(4))?;
    r.skip(ext)?;
    Ok(text_bytes(u64::from(cch), utf16))
}

/// The decoded size of every string of an SST record; `Err` where calamine fails too.
fn sst(r: &mut Record<'_>, utf16: bool) -> Result<Vec<u64>, ()> {
    r.data = r.data.get(8..).ok_or(())?;
    let mut out = Vec::new();
    while !r.data.is_empty() || r.continue_record() {
        out.push(rich_string(r, utf16)?);
    }
    Ok(out)
}

/// A `XLUnicodeString` (Label, RString, String): calamine reserves `cch` characters before
/// decoding what is there.
fn unicode_string(d: &[u8], biff: Biff, utf16: bool) -> u64 {
    let cch = u64::from(u16_at(d, 0).unwrap_or(0));
    let present = d
        .len()
        .saturating_sub(if biff == Biff::Eight { 3 } else { 2 }) as u64;
    cch.max(text_bytes(cch.min(present), utf16))
}

/// A sheet's name from its `BoundSheet8` record (for messages only).
fn sheet_name(d: &[u8], biff: Biff, index: usize) -> String {
    let cch = d.get(6).copied().unwrap_or(0) as usize;
    let name = match biff {
        Biff::Eight => {
            let high = d.get(7).is_some_and(|f| f & 1 != 0);
            let chars = d.get(8..).unwrap_or_default();
            if high {
                let b = chars.get(..2 * cch).unwrap_or(chars);
                encoding_rs::UTF_16LE.decode(b).0.into_owned()
            } else {
                chars
                    .iter()
                    .take(cch)
                    .map(|&b| char::from(b))
                    .collect::<String>()
            }
        }
        Biff::Old => {
            let b = d.get(7..).unwrap_or_default();
            let b = b.get(..cch).unwrap_or(b);
            encoding_rs::GB18030.decode(b).0.into_owned()
        }
    };
    let name: String = name.chars().filter(|c| *c != '\0').collect();
    if name.is_empty() {
        format!("第 {} 个工作表", index + 1)
    } else {
        name
    }
}

/// What reading a workbook will hold in memory, as the records claim it.
#[derive(Debug, Default)]
pub(crate) struct Claim {
    /// Bytes.
    pub(crate) bytes: u64,
}

/// Walks the `Workbook` stream: globals, then every sheet from its offset, and adds up
/// what calamine will allocate. Returns the claim, or where it crossed `budget`.
///
/// # Errors
/// [`Problem::Encrypted`] for `FilePass`; [`Problem::Corrupt`] for records cut short,
/// sheet offsets outside the stream and inverted dimensions; [`Problem::TooBig`] when the
/// claims cross `budget` bytes.
pub(crate) fn scan(stream: &[u8], budget: u64) -> Result<Claim, Problem> {
    let cell = size_of::<Cell<Data>>() as u64;
    let data = size_of::<Data>() as u64;
    let string = size_of::<String>() as u64;
    let fcell = size_of::<Cell<String>>() as u64;

    // The stream itself, and the sectors calamine keeps, both about its size.
    let mut claim = Claim {
        bytes: 2 * stream.len() as u64,
    };
    let mut biff = Biff::Eight;
    let mut utf16 = true;
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut sst_lens: Vec<u64> = Vec::new();
    for rec in records(stream) {
        let mut r = rec.map_err(|at| {
            corrupt(
                None,
                format!("工作簿数据在第 {at} 字节处的记录被截断（文件不完整）"),
            )
        })?;
        match r.typ {
            0x002F => return Err(Problem::Encrypted),
            0x0042 => utf16 = u16_at(r.data, 0) == Some(1200),
            0x0809 => {
                let v = u16_at(r.data, 0)
                    .ok_or_else(|| corrupt(None, "工作簿的开始记录（BOF）太短"))?;
                biff = match v {
                    0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => Biff::Old,
                    0 if u16_at(r.data, 2) == Some(0x1000) => Biff::Old,
                    _ => Biff::Eight,
                };
            }
            0x0085 => {
                let pos = u32_at(r.data, 0)
                    .filter(|_| r.data.len() >= 6)
                    .ok_or_else(|| corrupt(None, "工作表目录记录（BoundSheet）太短"))?;
                sheets.push((pos as usize, sheet_name(r.data, biff, sheets.len())));
            }
            0x00FC => {
                // Where the SST cannot be read calamine fails too; the costs stay zero.
                sst_lens = sst(&mut r, utf16).unwrap_or_default();
                claim.bytes += sst_lens.iter().map(|l| l + string).sum::<u64>();
            }
            0x000A => break,
            _ => {}
        }
    }

    for (pos, name) in &sheets {
        let sheet = Some(name.as_str());
        let sh = stream.get(*pos..).ok_or_else(|| {
            corrupt(
                sheet,
                format!(
                    "工作表数据的位置（第 {pos} 字节）超出了工作簿数据流（共 {} 字节）",
                    stream.len()
                ),
            )
        })?;
        let mut cells = Area::default();
        let mut formulas = Area::default();
        let mut count = 0u64;
        let mut fcount = 0u64;
        let mut heap = 0u64;
        let mut reserve = 0u64;
        let mut fmla_pos = (0u32, 0u32);
        let mut seen_bof = false;
        let mut depth = 0usize;
        for rec in records(sh) {
            let Ok(r) = rec else {
                return Err(corrupt(sheet, "工作表中的记录被截断（文件不完整）"));
            };
            if depth > 0 {
                match r.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let d = r.data;
            let pos = || Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)));
            match r.typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                }
                0x0200 => {
                    let (rf, rl, cf, cl) = match d.len() {
                        10 => (
                            u32::from(u16_at(d, 0).unwrap_or(0)),
                            u32::from(u16_at(d, 2).unwrap_or(0)),
                            u32::from(u16_at(d, 4).unwrap_or(0)),
                            u32::from(u16_at(d, 6).unwrap_or(0)),
                        ),
                        14 | 16 => (
                            u32_at(d, 0).unwrap_or(0),
                            u32_at(d, 4).unwrap_or(0),
                            u32::from(u16_at(d, 8).unwrap_or(0)),
                            u32::from(u16_at(d, 10).unwrap_or(0)),
                        ),
                        // calamine stops at this record with an error.
                        _ => break,
                    };
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    if rl >= 1 && cl >= 1 {
                        let (rows, cols) =
                            match ((rl - 1).checked_sub(rf), (cl - 1).checked_sub(cf)) {
                                (Some(r), Some(c)) => (u64::from(r) + 1, u64::from(c) + 1),
                                _ => {
                                    return Err(corrupt(
                                        sheet,
                                        format!(
                                            "工作表的范围记录（Dimensions）首行 {} 在末行 {} 之后",
                                            u64::from(rf) + 1,
                                            rl
                                        ),
                                    ));
                                }
                            };
                        reserve = reserve.max(rows.saturating_mul(cols));
                        if reserve.saturating_mul(cell) > budget {
                            return Err(Problem::TooBig {
                                sheet: name.clone(),
                                claim: format!(
                                    "声明的范围是 {rows} 行 × {cols} 列（{}:{}{}）",
                                    format_args!(
                                        "{}{}",
                                        super::column_letters(cf),
                                        u64::from(rf) + 1
                                    ),
                                    super::column_letters(cl - 1),
                                    rl
                                ),
                            });
                        }
                    }
                }
                0x0203 | 0x0205 | 0x027E | 0x00FD | 0x0204 | 0x00D6 => {
                    let min = match r.typ {
                        0x0203 => 14,
                        0x0205 => 8,
                        0x027E | 0x00FD => 10,
                        _ => 6,
                    };
                    // Too short: calamine stops with an error.
                    let Some((row, col)) = pos().filter(|_| d.len() >= min) else {
                        break;
                    };
                    cells.add(row, col);
                    count += 1;
                    heap += match r.typ {
                        0x0204 | 0x00D6 => {
                            unicode_string(d.get(6..).unwrap_or_default(), biff, utf16)
                        }
                        0x00FD => u32_at(d, 6)
                            .and_then(|i| sst_lens.get(i as usize))
                            .copied()
                            .unwrap_or(0),
                        _ => 0,
                    };
                }
                0x0207 => {
                    cells.add(fmla_pos.0, fmla_pos.1);
                    count += 1;
                    heap += unicode_string(d, biff, utf16);
                }
                0x00BD => {
                    let (Some((row, first)), Some(last)) =
                        (pos(), d.len().checked_sub(2).and_then(|e| u16_at(d, e)))
                    else {
                        break;
                    };
                    let last = u32::from(last);
                    if last < first {
                        return Err(corrupt(
                            sheet,
                            format!(
                                "第 {} 行的数字记录（MulRk）末列 {} 在首列 {} 之前",
                                row + 1,
                                super::column_letters(last),
                                super::column_letters(first)
                            ),
                        ));
                    }
                    let n = u64::from(last - first) + 1;
                    if d.len() as u64 != 6 + 6 * n {
                        break;
                    }
                    cells.add(row, first);
                    cells.add(row, last);
                    count += n;
                }
                0x0006 => {
                    let Some(p) = pos().filter(|_| d.len() >= 20) else {
                        break;
                    };
                    fmla_pos = p;
                    cells.add(p.0, p.1);
                    formulas.add(p.0, p.1);
                    count += 1;
                    fcount += 1;
                    // Formula text: a name or a sheet's name per few bytes of tokens.
                    heap += 128 + 160 * (d.len() as u64 - 20);
                }
                0x000A => break,
                _ => {}
            }
        }
        // The cells vector (at most twice its length once grown, at least what was
        // reserved), the dense range and its copy, the formulas likewise, and the text.
        let area = cells.cells();
        let sheet_bytes = cell.saturating_mul(reserve.max(2 * count))
            + area.saturating_mul(2 * data)
            + fcell.saturating_mul(2 * fcount)
            + formulas.cells().saturating_mul(2 * string)
            + 2 * heap;
        claim.bytes = claim.bytes.saturating_add(sheet_bytes);
        if claim.bytes > budget {
            let claim_text = if area.saturating_mul(2 * data) * 2 > sheet_bytes {
                format!(
                    "单元格分布在 {}（{} 个单元格的范围），而实际只有 {count} 个单元格",
                    cells.describe(),
                    area
                )
            } else {
                format!("{count} 个单元格的内容需要约 {} MB 内存", sheet_bytes >> 20)
            };
            return Err(Problem::TooBig {
                sheet: name.clone(),
                claim: claim_text,
            });
        }
    }
    Ok(claim)
}
