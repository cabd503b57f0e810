//! The check lists the towns send back (`gonggu check --returned`): the 核查清单 written by
//! a previous `gonggu check`, with the towns' answers in 核实情况 and 说明.
//!
//! Every sheet whose header (searched among the first [`super::HEADER_SEARCH_ROWS`] rows,
//! as for the exports) holds 核查编号 and 核实情况 is read; other sheets (汇总, 整改核对)
//! are passed over. Rows without a 核查编号 are passed over too (a town may add notes
//! below the list). A 核查编号 that is not one, or an answer outside the drop-down, is an
//! error naming file, sheet, row and column: the bureau sends the list back to the town
//! rather than guess.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::guard::Format;
use super::source::{self, RowBuf, RowSource, WholeBook, XlsxRows};
use crate::error::{Error, Place, Result};
use crate::mask::Pii;
use crate::text::normalize_header;

/// The characters of the hash part of a 核查编号: digits and capitals without I, L, O, U
/// (Crockford's base 32), so that none is mistaken for another when read aloud or typed.
pub const NUMBER_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in the hash part of a 核查编号.
pub const NUMBER_HASH_LEN: usize = 10;

/// Column names of the check list that the towns fill in or that identify a finding.
pub const NUMBER_COLUMN: &str = "核查编号";
/// The drop-down column.
pub const ANSWER_COLUMN: &str = "核实情况";
/// The free-text column.
pub const NOTE_COLUMN: &str = "说明";

/// A town's answer to one finding (the drop-down of 核实情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Answer {
    /// 属实已整改: the data was wrong and has been corrected.
    Fixed,
    /// 属实整改中: the data is wrong and is being corrected.
    Fixing,
    /// 不属实: the data is right; the finding does not hold.
    NotTrue,
}

impl Answer {
    /// The answers in drop-down order.
    pub const ALL: [Answer; 3] = [Answer::Fixed, Answer::Fixing, Answer::NotTrue];

    /// The text of the drop-down.
    pub fn label(self) -> &'static str {
        match self {
            Answer::Fixed => "属实已整改",
            Answer::Fixing => "属实整改中",
            Answer::NotTrue => "不属实",
        }
    }

    /// An answer as typed: the drop-down text, or its short form (`已整改`, `整改中`).
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::ingest::returned::Answer;
    /// assert_eq!(Answer::parse(" 属实已整改 "), Some(Answer::Fixed));
    /// assert_eq!(Answer::parse("整改中"), Some(Answer::Fixing));
    /// assert_eq!(Answer::parse("不知道"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Answer> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        match t.as_str() {
            "属实已整改" | "已整改" => Some(Answer::Fixed),
            "属实整改中" | "整改中" | "属实未整改" => Some(Answer::Fixing),
            "不属实" => Some(Answer::NotTrue),
            _ => None,
        }
    }
}

/// One finding of a returned list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedRow {
    /// File, sheet and Excel row.
    pub place: Place,
    /// 核查编号 as written (`MN05-7K3Q9XW2PA`).
    pub number: String,
    /// The rule code the number starts with (`MN05`).
    pub code: String,
    /// The 乡镇 cell, else the sheet's name.
    pub town: String,
    /// The 户编号 cell (may be empty).
    pub household: String,
    /// 核实情况, when filled in.
    pub answer: Option<Answer>,
    /// 说明 (trimmed; may be empty).
    pub note: String,
}

/// Everything read from the returned lists.
#[derive(Debug, Clone, Default)]
pub struct Returned {
    /// The findings, in file, sheet and row order; each 核查编号 once (the copy that was
    /// filled in, where the same list came back several times).
    pub rows: Vec<ReturnedRow>,
    /// Notes for the user (a 核查编号 answered twice, differently).
    pub notes: Vec<String>,
}

/// The rule code of a 核查编号, when the text is one: `{code}-{10 characters of
/// [`NUMBER_ALPHABET`]}`, with `-{n}` after it for the n-th finding of the same rule,
/// household and person.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::returned::number_code;
/// assert_eq!(number_code("MN05-7K3Q9XW2PA"), Some("MN05"));
/// assert_eq!(number_code("ID-CHECKSUM-7K3Q9XW2PA-2"), Some("ID-CHECKSUM"));
/// assert_eq!(number_code("MN05-7K3Q9"), None);
/// assert_eq!(number_code("410101199001011235"), None);
/// ```
pub fn number_code(number: &str) -> Option<&str> {
    let base = match number.rsplit_once('-') {
        Some((head, n))
            if !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            head
        }
        _ => number,
    };
    let (code, hash) = base.rsplit_once('-')?;
    let hash_ok =
        hash.len() == NUMBER_HASH_LEN && hash.bytes().all(|b| NUMBER_ALPHABET.contains(&b));
    (hash_ok && !code.trim().is_empty()).then_some(code)
}

/// Reads the check lists the towns sent back.
///
/// `pii` masks personal data quoted in errors (a town may have typed an ID number into the
/// wrong cell).
///
/// # Errors
/// - the errors of reading any workbook ([`Error::Io`], [`Error::Corrupt`],
///   [`Error::Encrypted`], [`Error::FileKind`] — a CSV among them too);
/// - [`Error::NoHeader`] when no sheet of a file has a 核查编号 and a 核实情况 column,
///   [`Error::MissingColumn`] when a sheet has the first but not the second;
/// - [`Error::BadValue`] naming file, sheet, row and column for a 核查编号 that is not one,
///   or a 核实情况 outside the drop-down.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::returned::{read_returned, Answer};
/// use gonggu_core::mask::Pii;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("城关镇.xlsx");
/// let mut wb = rust_xlsxwriter::Workbook::new();
/// let ws = wb.add_worksheet().set_name("城关镇").unwrap();
/// for (c, h) in ["核查编号", "乡镇", "核实情况", "说明"].iter().enumerate() {
///     ws.write_string(1, c as u16, *h).unwrap();
/// }
/// ws.write_string(2, 0, "HH02-7K3Q9XW2PA").unwrap();
/// ws.write_string(2, 1, "城关镇").unwrap();
/// ws.write_string(2, 2, "不属实").unwrap();
/// wb.save(&path).unwrap();
/// let back = read_returned(&[path.clone()], Pii::Masked).unwrap();
/// assert_eq!(back.rows[0].answer, Some(Answer::NotTrue));
/// assert_eq!(back.rows[0].place.row, Some(3));
///
/// // An answer outside the drop-down names its cell.
/// ws_answer(&path, "好了");
/// let err = read_returned(&[path], Pii::Masked).unwrap_err().to_string();
/// assert!(err.contains("第 3 行") && err.contains("核实情况") && err.contains("好了"), "{err}");
/// # fn ws_answer(path: &std::path::Path, text: &str) {
/// #     let mut wb = rust_xlsxwriter::Workbook::new();
/// #     let ws = wb.add_worksheet();
/// #     for (c, h) in ["核查编号", "核实情况"].iter().enumerate() {
/// #         ws.write_string(1, c as u16, *h).unwrap();
/// #     }
/// #     ws.write_string(2, 0, "HH02-7K3Q9XW2PA").unwrap();
/// #     ws.write_string(2, 1, text).unwrap();
/// #     wb.save(path).unwrap();
/// # }
/// ```
pub fn read_returned(paths: &[PathBuf], pii: Pii) -> Result<Returned> {
    let mut out = Returned::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    // The bureau often sends the whole workbook to every town and each fills in its own
    // sheet: the same 核查编号 then comes back several times, mostly blank. The filled-in
    // copy counts; two different answers are reported.
    let mut conflicts: Vec<String> = Vec::new();
    for path in paths {
        for row in read_file(path, pii)? {
            let Some(&i) = seen.get(&row.number) else {
                seen.insert(row.number.clone(), out.rows.len());
                out.rows.push(row);
                continue;
            };
            let Some(kept) = out.rows.get_mut(i) else {
                continue;
            };
            let filled = |r: &ReturnedRow| r.answer.is_some() || !r.note.is_empty();
            if !filled(kept) {
                *kept = row;
            } else if filled(&row) && (kept.answer != row.answer || kept.note != row.note) {
                conflicts.push(format!("{}（{}；{}）", row.number, kept.place, row.place));
            }
        }
    }
    if let Some(first) = conflicts.first() {
        out.notes.push(format!(
            "{} 个核查编号在发回的清单中填了两种不同的核实情况或说明，按先读到的一份计，如 {first}。",
            conflicts.len()
        ));
    }
    Ok(out)
}

fn read_file(path: &Path, pii: Pii) -> Result<Vec<ReturnedRow>> {
    let (file, inspected) = super::inspect_file(path)?;
    let mut sheets: Vec<SheetOutcome> = Vec::new();
    match inspected.format {
        Format::Csv => {
            return Err(Error::FileKind {
                file,
                message: "发回的核查清单应是 gonggu check 写出的工作簿（xlsx，或另存的 xls、ods），不是 CSV 文本：请直接填写并发回原工作簿。".into(),
            });
        }
        Format::Xlsx => {
            let mut wb = source::open_xlsx(path, &file)?;
            for name in wb.sheet_names() {
                let mut rows = XlsxRows::open(&mut wb, &name, &file, path)?;
                sheets.push(read_sheet(&mut rows, &file, &name, pii)?);
            }
        }
        format @ (Format::Xls | Format::Ods) => {
            let mut wb = WholeBook::open(path, &file, format)?;
            for name in wb.sheet_names() {
                let mut rows = wb.sheet(&name)?;
                sheets.push(read_sheet(&mut rows, &file, &name, pii)?);
            }
        }
    }
    let mut rows = Vec::new();
    let mut lacking = None;
    let mut any = false;
    for s in sheets {
        match s {
            SheetOutcome::Read(r) => {
                any = true;
                rows.extend(r);
            }
            SheetOutcome::NoAnswerColumn(err) => {
                lacking.get_or_insert(err);
            }
            SheetOutcome::Other => {}
        }
    }
    if any {
        return Ok(rows);
    }
    Err(lacking.unwrap_or(Error::NoHeader {
        place: Place {
            file,
            ..Place::default()
        },
        hint: "没有一张工作表含「核查编号」和「核实情况」两列：这不是 gonggu check 写出的核查清单，或表头被改动了。".into(),
    }))
}

enum SheetOutcome {
    Read(Vec<ReturnedRow>),
    /// A 核查编号 column without 核实情况: the error, if no other sheet is a list.
    NoAnswerColumn(Error),
    Other,
}

struct Columns {
    number: usize,
    answer: usize,
    note: Option<usize>,
    town: Option<usize>,
    household: Option<usize>,
}

/// The columns of a header row, when it has 核查编号; `Err(())` when it has 核查编号 but not
/// 核实情况.
fn find_columns(names: &[String]) -> Option<Result<Columns, ()>> {
    let pos = |want: &[&str]| names.iter().position(|n| want.contains(&n.as_str()));
    let number = pos(&[NUMBER_COLUMN])?;
    let Some(answer) = pos(&[ANSWER_COLUMN]) else {
        return Some(Err(()));
    };
    Some(Ok(Columns {
        number,
        answer,
        note: pos(&[NOTE_COLUMN]),
        town: pos(&["乡镇", "乡", "乡(镇)", "乡镇(街道)"]),
        household: pos(&["户编号"]),
    }))
}

fn read_sheet(rows: &mut dyn RowSource, file: &str, sheet: &str, pii: Pii) -> Result<SheetOutcome> {
    let place = |row: Option<u32>, column: Option<&str>| Place {
        file: file.to_string(),
        sheet: Some(sheet.to_string()),
        row,
        column: column.map(str::to_string),
    };
    let mut buf = RowBuf::default();
    let mut cols = None;
    for _ in 0..super::HEADER_SEARCH_ROWS {
        let Some(row_no) = rows.next_row(&mut buf)? else {
            return Ok(SheetOutcome::Other);
        };
        let names: Vec<String> = buf
            .cells()
            .iter()
            .map(|c| normalize_header(c.as_text()))
            .collect();
        match find_columns(&names) {
            Some(Ok(found)) => {
                cols = Some(found);
                break;
            }
            Some(Err(())) => {
                let found: Vec<&str> = names
                    .iter()
                    .map(String::as_str)
                    .filter(|n| !n.is_empty())
                    .collect();
                return Ok(SheetOutcome::NoAnswerColumn(Error::MissingColumn {
                    place: place(Some(row_no), None),
                    table: "核查清单",
                    column: ANSWER_COLUMN.into(),
                    found: found.join("、"),
                }));
            }
            None => {}
        }
    }
    let Some(cols) = cols else {
        return Ok(SheetOutcome::Other);
    };
    let mut out = Vec::new();
    while let Some(row_no) = rows.next_row(&mut buf)? {
        let text = |c: Option<usize>| {
            c.and_then(|c| buf.get(c))
                .map_or("", |cell| cell.as_text())
                .trim()
                .to_string()
        };
        let number = text(Some(cols.number));
        if number.is_empty() {
            continue;
        }
        let Some(code) = number_code(&number).map(str::to_string) else {
            return Err(Error::BadValue {
                place: place(Some(row_no), Some(NUMBER_COLUMN)),
                value: pii.quote(NUMBER_COLUMN, &number),
                expected: "核查编号（如 MN05-7K3Q9XW2PA；请勿改动本列）".into(),
            });
        };
        let answer_text = text(Some(cols.answer));
        let answer = if answer_text.is_empty() {
            None
        } else {
            match Answer::parse(&answer_text) {
                Some(a) => Some(a),
                None => {
                    return Err(Error::BadValue {
                        place: place(Some(row_no), Some(ANSWER_COLUMN)),
                        value: pii.quote(ANSWER_COLUMN, &answer_text),
                        expected: "核实情况（属实已整改、属实整改中或不属实，请从下拉列表中选择）"
                            .into(),
                    });
                }
            }
        };
        let town = match text(cols.town) {
            t if t.is_empty() => sheet.to_string(),
            t => t,
        };
        out.push(ReturnedRow {
            place: place(Some(row_no), None),
            number,
            code,
            town,
            household: text(cols.household),
            answer,
            note: text(cols.note),
        });
    }
    Ok(SheetOutcome::Read(out))
}
