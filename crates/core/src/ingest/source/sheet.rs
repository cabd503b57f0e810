//! A direct reader for the sheet XML that exporters, Excel and WPS write.
//!
//! calamine's cell reader costs about 450 ns a cell, through a general XML parser: a
//! county roster (2 M cells) takes a second. This reader takes the common subset of
//! SpreadsheetML directly: one thread inflates the sheet and cuts it into pieces at `</row>`
//! (checking the UTF-8 on the way), the reading thread scans each piece with `memchr` and
//! decodes only the columns a command reads.
//!
//! It gives exactly what calamine gives: the same positions (rows and cells without `r`
//! counted as calamine counts them), the same values (shared and inline strings, rich text
//! without its phonetic runs, entities, ASCII trimming unless `xml:space="preserve"`,
//! numbers as dates when their style's format is a date or time, booleans, errors) and the
//! same formula cells without a saved value. Anything else — a namespace prefix, another
//! encoding, a comment or CDATA, a `_xHHHH_` escape, a carriage return, a number or
//! shared-string index written unusually, a value calamine would refuse, cells out of order
//! — is [`Unusual`]: the caller hands the rest of the sheet to calamine, which skips the
//! `<c>` elements already read (each call reads one) and goes on as it always did.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use memchr::{memchr, memmem};

use super::{CellKind, RawCell};
use crate::ingest::guard::xlsx as parts;

/// Something this reader leaves to calamine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unusual;

type Step<T> = std::result::Result<T, Unusual>;

/// Sheet XML handed over at a time (cut at the last `</row>` after this many bytes).
const PIECE: usize = 1 << 20;
/// A piece without any `</row>` may grow to this before the sheet goes to calamine.
const MAX_PIECE: usize = 64 << 20;
/// calamine keeps the shared strings of every workbook it opens, and this reader its own
/// copy: beyond this much shared-string XML (a county's roster has some 9 MB) the workbook
/// is left to calamine, so that memory does not double.
const MAX_SHARED: u64 = 128 << 20;

/// What the whole workbook contributes to its cells.
#[derive(Debug)]
pub(crate) struct Book {
    path: PathBuf,
    strings: Vec<String>,
    /// Per cell style (`s`): whether its number format is a date or a time.
    dates: Vec<bool>,
    sheets: Vec<(String, String)>,
}

impl Book {
    /// Reads the shared strings and styles of the `.xlsx` at `path`; `None` when either is
    /// unusual (calamine reads the workbook then).
    pub(crate) fn open(path: &Path) -> Option<Arc<Book>> {
        let p = parts::parts(path, MAX_SHARED)?;
        let strings = match &p.shared {
            Some(xml) => shared_strings(xml).ok()?,
            None => Vec::new(),
        };
        let dates = match &p.styles {
            Some(xml) => date_styles(xml).ok()?,
            None => Vec::new(),
        };
        Some(Arc::new(Book {
            path: path.to_path_buf(),
            strings,
            dates,
            sheets: p.sheets,
        }))
    }

    /// Starts reading sheet `name`; `None` when the workbook does not list it as calamine
    /// does.
    pub(crate) fn sheet(self: &Arc<Self>, name: &str) -> Option<Sheet> {
        let part = self.sheets.iter().find(|(n, _)| n == name)?.1.clone();
        let (tx, rx) = sync_channel(2);
        let path = self.path.clone();
        let worker = std::thread::Builder::new()
            .name("xlsx-inflate".into())
            .spawn(move || inflate(&path, &part, &tx))
            .ok()?;
        Some(Sheet {
            book: Arc::clone(self),
            pieces: rx,
            worker: Some(worker),
            text: String::new(),
            at: 0,
            state: State::Head,
            row: 0,
            col: 0,
            last: None,
            in_row: false,
            value: RawCell::default(),
            scratch: String::new(),
        })
    }
}

/// A piece of sheet XML, the end, or the reason to stop.
enum Piece {
    Xml(String),
    End,
    Unusual,
}

/// The inflating thread: sends the sheet in pieces that end with `</row>` (the last one
/// with whatever follows), each checked to be UTF-8.
fn inflate(path: &Path, part: &str, tx: &SyncSender<Piece>) {
    let sent = (|| -> Step<bool> {
        let f = File::open(path).map_err(|_| Unusual)?;
        let mut zip = zip::ZipArchive::new(BufReader::new(f)).map_err(|_| Unusual)?;
        let entry = parts::entry_name(&zip, part).ok_or(Unusual)?;
        let mut xml = zip.by_name(&entry).map_err(|_| Unusual)?;
        let mut carry: Vec<u8> = Vec::new();
        loop {
            let mut buf = std::mem::take(&mut carry);
            let want = buf.len() + PIECE;
            let mut eof = false;
            while buf.len() < want {
                let n = (&mut xml)
                    .take((want - buf.len()) as u64)
                    .read_to_end(&mut buf)
                    .map_err(|_| Unusual)?;
                if n == 0 {
                    eof = true;
                    break;
                }
            }
            if !eof {
                match memmem::rfind(&buf, b"</row>") {
                    Some(i) => carry = buf.split_off(i + b"</row>".len()),
                    None if buf.len() < MAX_PIECE => {
                        carry = buf;
                        continue;
                    }
                    None => return Err(Unusual),
                }
            }
            let text = String::from_utf8(buf).map_err(|_| Unusual)?;
            if tx.send(Piece::Xml(text)).is_err() {
                return Ok(false);
            }
            if eof {
                return Ok(true);
            }
        }
    })();
    let _ = tx.send(match sent {
        Ok(_) => Piece::End,
        Err(Unusual) => Piece::Unusual,
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before `<sheetData>`.
    Head,
    /// Among the rows.
    Rows,
    /// After `</sheetData>`.
    Done,
}

/// A cell as read: its value waits in [`Sheet::value`] when it was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value {
    /// calamine's `DataRef::Empty`.
    Empty,
    /// Not decoded: the column is not read (not empty, as far as rows are concerned).
    Skipped,
    /// Decoded into [`Sheet::value`].
    Decoded,
}

/// One cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cell {
    /// 0-based row.
    pub(crate) row: u32,
    /// 0-based column.
    pub(crate) col: u32,
    /// What it holds.
    pub(crate) value: Value,
    /// A formula cell whose value was not saved.
    pub(crate) formula_without_value: bool,
}

/// A sheet being read directly.
pub(crate) struct Sheet {
    book: Arc<Book>,
    pieces: Receiver<Piece>,
    worker: Option<JoinHandle<()>>,
    text: String,
    at: usize,
    state: State,
    /// calamine's row and column counters, for rows and cells without `r`.
    row: u32,
    col: u32,
    /// The last cell's position: cells must come in order.
    last: Option<(u32, u32)>,
    /// Inside a `<row>`: rows must nest properly (quick-xml fails on an end tag with
    /// nothing open).
    in_row: bool,
    /// The last decoded value.
    pub(crate) value: RawCell,
    /// Text being decoded.
    scratch: String,
}

impl Drop for Sheet {
    fn drop(&mut self) {
        // Dropping the receiver stops the worker at its next send.
        let (_, rx) = sync_channel(0);
        drop(std::mem::replace(&mut self.pieces, rx));
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// A tag: `<name attrs>`, `<name attrs/>` or `</name>`.
struct Tag<'t> {
    name: &'t str,
    attrs: &'t str,
    kind: TagKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Start,
    /// Self-closing: read as a start and an end (calamine expands empty elements).
    Empty,
    End,
}

/// Reads the tag at `at` (a `<`); returns it and the position after it. Declarations,
/// comments, CDATA and processing instructions are unusual; a prefixed name (`x:c`) is
/// returned as it is, for the caller to refuse where calamine would match its local name.
fn tag(text: &str, at: usize) -> Step<(Tag<'_>, usize)> {
    let b = text.as_bytes();
    let mut i = at + 1;
    let end_tag = b.get(i) == Some(&b'/');
    if end_tag {
        i += 1;
    }
    let name_start = i;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':') {
            i += 1;
        } else {
            break;
        }
    }
    if i == name_start {
        return Err(Unusual);
    }
    let name = text.get(name_start..i).ok_or(Unusual)?;
    // The name ends at white space, `>` or `/>` (quick-xml reads `<c/r="A1">` as an
    // element named `c/r="A1"`).
    match (b.get(i), b.get(i + 1)) {
        (Some(b' ' | b'\t' | b'\n' | b'\r' | b'>'), _) | (Some(b'/'), Some(b'>')) => {}
        _ => return Err(Unusual),
    }
    // The attributes run to the `>` outside quotes; a `<` outside quotes breaks the tag.
    let attrs_start = i;
    loop {
        let rest = b.get(i..).ok_or(Unusual)?;
        let k = memchr::memchr3(b'>', b'"', b'\'', rest).ok_or(Unusual)?;
        if memchr(b'<', rest.get(..k).ok_or(Unusual)?).is_some() {
            return Err(Unusual);
        }
        i += k;
        match b.get(i) {
            Some(b'>') => break,
            Some(&q) => {
                let len = memchr(q, b.get(i + 1..).ok_or(Unusual)?).ok_or(Unusual)?;
                i += len + 2;
            }
            None => return Err(Unusual),
        }
    }
    let self_closing = i > attrs_start && b.get(i - 1) == Some(&b'/');
    let attrs_end = if self_closing { i - 1 } else { i };
    let attrs = text.get(attrs_start..attrs_end).ok_or(Unusual)?;
    let kind = match (end_tag, self_closing) {
        (true, false) if attrs.trim().is_empty() => TagKind::End,
        (true, _) => return Err(Unusual),
        (false, true) => TagKind::Empty,
        (false, false) => TagKind::Start,
    };
    Ok((Tag { name, attrs, kind }, i + 1))
}

/// The attributes of a tag, as (name, raw value) pairs.
struct Attrs<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Iterator for Attrs<'t> {
    type Item = Step<(&'t str, &'t str)>;

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.text.as_bytes();
        let skip_space = |i: &mut usize| {
            while b.get(*i).is_some_and(u8::is_ascii_whitespace) {
                *i += 1;
            }
        };
        let mut i = self.at;
        skip_space(&mut i);
        if i >= b.len() {
            return None;
        }
        let pair = (|| {
            let name_start = i;
            while b
                .get(i)
                .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'=')
            {
                i += 1;
            }
            let name = self.text.get(name_start..i).ok_or(Unusual)?;
            skip_space(&mut i);
            if b.get(i) != Some(&b'=') {
                return Err(Unusual);
            }
            i += 1;
            skip_space(&mut i);
            let q = *b.get(i).ok_or(Unusual)?;
            if q != b'"' && q != b'\'' {
                return Err(Unusual);
            }
            let value_start = i + 1;
            let len = memchr(q, b.get(value_start..).ok_or(Unusual)?).ok_or(Unusual)?;
            i = value_start + len + 1;
            let value = self
                .text
                .get(value_start..value_start + len)
                .ok_or(Unusual)?;
            Ok((name, value))
        })();
        // After a malformed attribute, stop.
        self.at = if pair.is_ok() { i } else { b.len() };
        Some(pair)
    }
}

fn attrs(text: &str) -> Attrs<'_> {
    Attrs { text, at: 0 }
}

/// The raw value of attribute `key` (exact name, as calamine matches `r`, `s`, `t`).
fn attr<'t>(text: &'t str, key: &str) -> Step<Option<&'t str>> {
    for pair in attrs(text) {
        let (name, value) = pair?;
        if name == key {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// The next `<` from `at`. The text before it is skipped, as calamine skips it, but a `&`
/// in it (a reference calamine's parser would check) is unusual.
fn next_tag(text: &str, at: usize) -> Step<usize> {
    let rest = text.as_bytes().get(at..).ok_or(Unusual)?;
    match memchr::memchr2(b'<', b'&', rest) {
        Some(i) if rest.get(i) == Some(&b'<') => Ok(at + i),
        _ => Err(Unusual),
    }
}

/// The character data of the element whose start tag ended at `at`, up to its end tag
/// `name` (nothing else inside), and the position after that end tag.
fn element_text<'t>(text: &'t str, at: usize, name: &str) -> Step<(&'t str, usize)> {
    let lt = at + memchr(b'<', text.as_bytes().get(at..).ok_or(Unusual)?).ok_or(Unusual)?;
    let raw = text.get(at..lt).ok_or(Unusual)?;
    let (end, next) = tag(text, lt)?;
    if end.kind != TagKind::End || end.name != name {
        return Err(Unusual);
    }
    Ok((raw, next))
}

/// The text of a `<t>` run: entities decoded into `scratch`, trimmed of ASCII white space
/// unless the run preserves space.
fn run_text<'s>(raw: &str, preserve: bool, scratch: &'s mut String) -> Step<&'s str> {
    scratch.clear();
    chars(raw, scratch)?;
    Ok(if preserve {
        scratch
    } else {
        scratch.trim_matches([' ', '\t', '\r', '\n'])
    })
}

/// Character data: entities decoded; a carriage return (which XML would normalise) or a
/// `_xHHHH_` escape (which calamine decodes) is unusual.
fn chars(raw: &str, out: &mut String) -> Step<()> {
    if raw.contains('\r') {
        return Err(Unusual);
    }
    let start = out.len();
    if raw.contains('&') {
        let text = quick_xml::escape::unescape(raw).map_err(|_| Unusual)?;
        out.push_str(&text);
    } else {
        out.push_str(raw);
    }
    if out.get(start..).is_some_and(|s| s.contains("_x")) {
        return Err(Unusual);
    }
    Ok(())
}

/// A number as exporters write it (`-12`, `3.5`, `4.1e17`): parsed alike by calamine and
/// by `str::parse`.
fn plain_number(v: &str) -> Step<f64> {
    let b = v.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - s
    };
    if digits(&mut i) == 0 {
        return Err(Unusual);
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        digits(&mut i);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return Err(Unusual);
        }
    }
    if i != b.len() {
        return Err(Unusual);
    }
    v.parse().map_err(|_| Unusual)
}

/// A small index written as plain digits.
fn index(v: &str) -> Step<usize> {
    if v.is_empty() || v.len() > 9 || !v.bytes().all(|c| c.is_ascii_digit()) {
        return Err(Unusual);
    }
    v.parse().map_err(|_| Unusual)
}

/// A cell reference (`AB12`) or a row number (`12`, `letters: false`): 0-based.
fn reference(r: &str, letters: bool) -> Step<(u32, u32)> {
    let b = r.as_bytes();
    let mut i = 0;
    let mut col: u64 = 0;
    while let Some(&c) = b.get(i).filter(|c| c.is_ascii_alphabetic()) {
        col = col * 26 + u64::from(c.to_ascii_uppercase() - b'A') + 1;
        if col > 16_384 {
            return Err(Unusual);
        }
        i += 1;
    }
    if letters == (col == 0) {
        return Err(Unusual);
    }
    let digits = b.get(i..).ok_or(Unusual)?;
    if digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(Unusual);
    }
    let row: u32 = r.get(i..).ok_or(Unusual)?.parse().map_err(|_| Unusual)?;
    if row == 0 || row > 1_048_576 {
        return Err(Unusual);
    }
    let col = u32::try_from(col.saturating_sub(1)).map_err(|_| Unusual)?;
    Ok((row - 1, col))
}

/// The text of a string item (`<si>` or `<is>`) from `at` (after its start tag) to its end
/// tag `closing`: the `<t>` runs outside phonetic runs, each trimmed of ASCII white space
/// unless it preserves space. `out: None` checks without building it. Returns the position
/// after the end tag.
fn string_item(
    text: &str,
    mut at: usize,
    closing: &str,
    mut out: Option<&mut String>,
) -> Step<usize> {
    let mut phonetic = false;
    let mut run = String::new();
    // Elements open inside the item: quick-xml fails on an end tag with nothing open, so
    // one more end than starts is unusual.
    let mut depth = 0u32;
    loop {
        let lt = next_tag(text, at)?;
        let (t, next) = tag(text, lt)?;
        at = next;
        let closes = t.kind == TagKind::End && t.name == closing;
        let known = matches!(
            t.name,
            "r" | "rPr"
                | "rPh"
                | "t"
                | "rFont"
                | "charset"
                | "family"
                | "b"
                | "i"
                | "strike"
                | "outline"
                | "shadow"
                | "condense"
                | "extend"
                | "color"
                | "sz"
                | "u"
                | "vertAlign"
                | "scheme"
                | "phoneticPr"
        );
        if !(closes || known) {
            return Err(Unusual);
        }
        match t.kind {
            TagKind::End if t.name == closing => return Ok(at),
            TagKind::End => {
                depth = depth.checked_sub(1).ok_or(Unusual)?;
                if t.name == "rPh" {
                    phonetic = false;
                }
            }
            TagKind::Empty => {}
            TagKind::Start if t.name == "t" && !phonetic => {
                let preserve = attr(t.attrs, "xml:space")? == Some("preserve");
                let (raw, next) = element_text(text, at, "t")?;
                at = next;
                let run = run_text(raw, preserve, &mut run)?;
                if let Some(out) = out.as_deref_mut() {
                    out.push_str(run);
                }
            }
            TagKind::Start => {
                depth += 1;
                if t.name == "rPh" {
                    phonetic = true;
                }
            }
        }
    }
}

/// Where the `r`, `s` and `t` attributes of a cell's start tag are in the text.
#[derive(Debug, Default, Clone, Copy)]
struct CellAttrs {
    r: Option<(usize, usize)>,
    s: Option<(usize, usize)>,
    t: Option<(usize, usize)>,
}

impl CellAttrs {
    /// The attributes `attrs` (a slice of `text`) of a start tag, whatever their form.
    fn of(text: &str, attrs: &str) -> Step<CellAttrs> {
        let mut found = CellAttrs::default();
        for pair in self::attrs(attrs) {
            let (slot, v) = match pair? {
                ("r", v) => (&mut found.r, v),
                ("s", v) => (&mut found.s, v),
                ("t", v) => (&mut found.t, v),
                _ => continue,
            };
            let from = (v.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
            // calamine would take one of the two.
            if slot.replace((from, from + v.len())).is_some() {
                return Err(Unusual);
            }
        }
        Ok(found)
    }
}

/// The start tag of a cell at `at` when it is written as exporters and Excel write it
/// (`<c r="A1" s="3" t="s">` or `…/>`: only `r`, `s` and `t`, double quotes, single
/// spaces): its attributes, the position after it, and whether it closes itself. `None`
/// for any other form, which [`tag`] reads.
fn plain_cell_start(b: &[u8], at: usize) -> Option<(CellAttrs, usize, bool)> {
    if b.get(at..at + 3)? != b"<c " {
        return None;
    }
    let mut found = CellAttrs::default();
    let mut i = at + 3;
    loop {
        let key = *b.get(i)?;
        if b.get(i + 1..i + 3)? != b"=\"" {
            return None;
        }
        let from = i + 3;
        let len = memchr(b'"', b.get(from..)?)?;
        let slot = match key {
            b'r' => &mut found.r,
            b's' => &mut found.s,
            b't' => &mut found.t,
            _ => return None,
        };
        if slot.replace((from, from + len)).is_some() {
            return None;
        }
        i = from + len + 1;
        match (b.get(i)?, b.get(i + 1)) {
            (b' ', _) => i += 1,
            (b'>', _) => return Some((found, i + 1, false)),
            (b'/', Some(b'>')) => return Some((found, i + 2, true)),
            _ => return None,
        }
    }
}

/// What a cell holds, as found in its XML (the last child winning, as in calamine).
enum Content<'t> {
    None,
    /// The raw text of `<v>`.
    V(&'t str),
    /// An `<is>` element, its content from this position.
    Is(usize),
    /// `<is/>`.
    IsEmpty,
    /// `<is><t>…</t></is>`: the raw text, and whether it preserves space.
    IsText(&'t str, bool),
}

/// The content of the cell at `at` (after its start tag) when it has one of the usual
/// shapes, and the position after `</c>`.
fn literal_content(text: &str, at: usize) -> Option<(Content<'_>, usize)> {
    let rest = text.get(at..)?;
    let (body, shape) = if let Some(body) = rest.strip_prefix("<v>") {
        (body, 0)
    } else if let Some(body) = rest.strip_prefix("<is><t>") {
        (body, 1)
    } else if let Some(body) = rest.strip_prefix("<is><t xml:space=\"preserve\">") {
        (body, 2)
    } else {
        return None;
    };
    let len = memchr(b'<', body.as_bytes())?;
    let raw = body.get(..len)?;
    let tail = body.get(len..)?;
    let close = if shape == 0 {
        "</v></c>"
    } else {
        "</t></is></c>"
    };
    if !tail.starts_with(close) {
        return None;
    }
    let next = text.len() - tail.len() + close.len();
    let found = match shape {
        0 => Content::V(raw),
        _ => Content::IsText(raw, shape == 2),
    };
    Some((found, next))
}

/// The shared strings, as calamine lists them (every `<si>`, in order).
fn shared_strings(xml: &str) -> Step<Vec<String>> {
    let mut strings = Vec::new();
    let mut at = start_of(xml, "sst")?;
    loop {
        let (t, next) = tag(xml, next_tag(xml, at)?)?;
        at = next;
        match (t.kind, t.name) {
            (TagKind::Start, "si") => {
                let mut s = String::new();
                at = string_item(xml, at, "si", Some(&mut s))?;
                strings.push(s);
            }
            (TagKind::Empty, "si") => strings.push(String::new()),
            (TagKind::End, "sst") => return Ok(strings),
            (_, name) if name == "extLst" || name == "ext" || name.contains(':') => {}
            _ => return Err(Unusual),
        }
    }
}

/// The position after the start tag of the document element `root`, past a UTF-8
/// declaration; a prefixed root or another encoding is unusual.
fn start_of(xml: &str, root: &str) -> Step<usize> {
    let mut at = usize::from(xml.starts_with('\u{feff}')) * 3;
    if xml.get(at..).is_some_and(|s| s.starts_with("<?xml")) {
        let end =
            at + memmem::find(xml.as_bytes().get(at..).ok_or(Unusual)?, b"?>").ok_or(Unusual)?;
        let decl = xml.get(at + 5..end).ok_or(Unusual)?;
        if let Some(enc) = attr(decl, "encoding")?
            && !enc.eq_ignore_ascii_case("utf-8")
        {
            return Err(Unusual);
        }
        at = end + 2;
    }
    let lt = next_tag(xml, at)?;
    let (t, next) = tag(xml, lt)?;
    if t.kind != TagKind::Start || t.name != root {
        return Err(Unusual);
    }
    Ok(next)
}

/// Per cell style (`<xf>` of `<cellXfs>`), whether its number format shows a date or a time.
fn date_styles(xml: &str) -> Step<Vec<bool>> {
    let mut custom: Vec<(String, bool)> = Vec::new();
    let mut dates = Vec::new();
    let mut at = start_of(xml, "styleSheet")?;
    let (mut in_formats, mut in_xfs) = (false, false);
    while memchr(b'<', xml.as_bytes().get(at..).ok_or(Unusual)?).is_some() {
        let (t, next) = tag(xml, next_tag(xml, at)?)?;
        at = next;
        match (t.kind, t.name) {
            (TagKind::Start, "numFmts") => in_formats = true,
            (TagKind::End, "numFmts") => in_formats = false,
            (TagKind::Start | TagKind::Empty, "numFmt") if in_formats => {
                if let (Some(id), Some(code)) =
                    (attr(t.attrs, "numFmtId")?, attr(t.attrs, "formatCode")?)
                {
                    let code = quick_xml::escape::unescape(code).map_err(|_| Unusual)?;
                    let date = format_is_date(&code);
                    match custom.iter_mut().find(|(i, _)| i == id) {
                        Some(slot) => slot.1 = date,
                        None => custom.push((id.to_string(), date)),
                    }
                }
            }
            (TagKind::Start, "cellXfs") => in_xfs = true,
            (TagKind::End, "cellXfs") => in_xfs = false,
            (TagKind::Start | TagKind::Empty, "xf") if in_xfs => {
                let date = match attr(t.attrs, "numFmtId")? {
                    None => false,
                    Some(id) => match custom.iter().find(|(i, _)| i == id) {
                        Some((_, date)) => *date,
                        None => builtin_is_date(id),
                    },
                };
                dates.push(date);
            }
            _ => {}
        }
    }
    Ok(dates)
}

/// Excel's built-in formats that show a date or a time (ids 14–22, 45–47 and the East
/// Asian 27–36 and 50–58), written as calamine matches them.
fn builtin_is_date(id: &str) -> bool {
    matches!(
        id,
        "14" | "15"
            | "16"
            | "17"
            | "18"
            | "19"
            | "20"
            | "21"
            | "22"
            | "27"
            | "28"
            | "29"
            | "30"
            | "31"
            | "32"
            | "33"
            | "34"
            | "35"
            | "36"
            | "45"
            | "46"
            | "47"
            | "50"
            | "51"
            | "52"
            | "53"
            | "54"
            | "55"
            | "56"
            | "57"
            | "58"
    )
}

/// Whether a custom format code shows a date or a time, by the rule calamine applies: in
/// the first section, outside quotes, brackets and escaped characters, a `d m h y s`
/// (or an `AM/PM` marker) makes it a date; `[h]`, `[mm]`, `[ss]` make it a duration.
fn format_is_date(code: &str) -> bool {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut elapsed = false;
    let mut am = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if matches!(c, '_' | '\\' | '*') {
            escaped = true;
        } else if quoted {
            quoted = c != '"';
        } else if c == '"' {
            quoted = true;
        } else if c == ';' {
            return false;
        } else if c == '[' {
            brackets = brackets.saturating_add(1);
        } else if c == ']' && brackets == 1 && elapsed {
            return true;
        } else if c == ']' {
            brackets = brackets.saturating_sub(1);
        } else if brackets == 0 && !am && matches!(c, 'a' | 'A') {
            am = true;
        } else if brackets == 0
            && if am {
                matches!(c, 'p' | 'm' | '/' | 'P' | 'M')
            } else {
                matches!(c, 'd' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S')
            }
        {
            return true;
        } else if !(elapsed && c.eq_ignore_ascii_case(&prev)) {
            elapsed = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
        }
        prev = c;
    }
    false
}

impl Sheet {
    /// The next piece of XML into `self.text`; `false` at the end.
    fn next_piece(&mut self) -> Step<bool> {
        match self.pieces.recv() {
            Ok(Piece::Xml(t)) => {
                self.text = t;
                self.at = 0;
                Ok(true)
            }
            Ok(Piece::End) => Ok(false),
            Ok(Piece::Unusual) | Err(_) => Err(Unusual),
        }
    }

    /// The next cell (`None` at the end of the sheet). `wanted` marks the columns decoded
    /// (empty: all); other cells come back [`Value::Skipped`] unless empty.
    pub(crate) fn next_cell(&mut self, wanted: &[bool]) -> Step<Option<Cell>> {
        if self.state == State::Head {
            if !self.next_piece()? {
                return Err(Unusual);
            }
            self.at = start_of(&self.text, "worksheet")?;
            let found = memmem::find(
                self.text.as_bytes().get(self.at..).ok_or(Unusual)?,
                b"<sheetData",
            )
            .ok_or(Unusual)?;
            let (t, next) = tag(&self.text, self.at + found)?;
            if t.name != "sheetData" {
                return Err(Unusual);
            }
            self.at = next;
            self.state = if t.kind == TagKind::Empty {
                State::Done
            } else {
                State::Rows
            };
        }
        while self.state == State::Rows {
            let rest = self.text.as_bytes().get(self.at..).ok_or(Unusual)?;
            let lt = match memchr::memchr2(b'<', b'&', rest) {
                Some(i) if rest.get(i) == Some(&b'<') => i,
                Some(_) => return Err(Unusual),
                None => {
                    if !self.next_piece()? {
                        return Err(Unusual);
                    }
                    continue;
                }
            };
            let pos = self.at + lt;
            if self.in_row
                && let Some((attrs, next, empty)) = plain_cell_start(self.text.as_bytes(), pos)
            {
                return self.cell(attrs, next, empty, wanted).map(Some);
            }
            let (t, next) = tag(&self.text, pos)?;
            let (kind, name, attrs) = (t.kind, t.name, t.attrs);
            match (kind, name) {
                (TagKind::Start | TagKind::Empty, "row") if !self.in_row => {
                    if let Some(r) = attr(attrs, "r")? {
                        self.row = reference(r, false)?.0;
                    }
                    if kind == TagKind::Empty {
                        self.row = self.row.saturating_add(1);
                        self.col = 0;
                    } else {
                        self.in_row = true;
                    }
                    self.at = next;
                }
                (TagKind::End, "row") if self.in_row => {
                    self.in_row = false;
                    self.row = self.row.saturating_add(1);
                    self.col = 0;
                    self.at = next;
                }
                (TagKind::End, "sheetData") if !self.in_row => {
                    self.state = State::Done;
                    self.at = next;
                }
                (TagKind::Start | TagKind::Empty, "c") if self.in_row => {
                    let attrs = CellAttrs::of(&self.text, attrs)?;
                    let cell = self.cell(attrs, next, kind == TagKind::Empty, wanted)?;
                    return Ok(Some(cell));
                }
                _ => return Err(Unusual),
            }
        }
        Ok(None)
    }

    /// Reads the cell whose start tag has its attributes at `spans.0` and ends at `spans.1`.
    fn cell(&mut self, attrs: CellAttrs, after: usize, empty: bool, wanted: &[bool]) -> Step<Cell> {
        let text = std::mem::take(&mut self.text);
        let read = self.cell_in(&text, attrs, after, empty, wanted);
        self.text = text;
        let (cell, at) = read?;
        self.at = at;
        Ok(cell)
    }

    fn cell_in(
        &mut self,
        text: &str,
        attrs: CellAttrs,
        mut at: usize,
        empty: bool,
        wanted: &[bool],
    ) -> Step<(Cell, usize)> {
        let value_of = |span: Option<(usize, usize)>| -> Step<Option<&str>> {
            span.map(|(a, b)| text.get(a..b).ok_or(Unusual)).transpose()
        };
        let (r, s, typ) = (value_of(attrs.r)?, value_of(attrs.s)?, value_of(attrs.t)?);
        let (row, col) = match r {
            Some(r) => reference(r, true)?,
            None => (self.row, self.col),
        };
        if self.last.is_some_and(|last| last >= (row, col)) {
            return Err(Unusual);
        }
        self.last = Some((row, col));
        self.col = col.saturating_add(1);
        let date = match s {
            Some(s) => self.book.dates.get(index(s)?).copied().unwrap_or(false),
            None => false,
        };
        let wants = wanted.is_empty() || wanted.get(col as usize).copied().unwrap_or(false);
        let mut formula = false;
        let mut content = Content::None;
        // The shapes exporters and Excel write, recognised literally.
        let shortcut = if empty {
            None
        } else {
            literal_content(text, at)
        };
        if let Some((found, next)) = shortcut {
            at = next;
            content = found;
        } else if !empty {
            loop {
                let lt = next_tag(text, at)?;
                let (child, next) = tag(text, lt)?;
                at = next;
                match (child.kind, child.name) {
                    (TagKind::End, "c") => break,
                    (TagKind::Start | TagKind::Empty, "f") => {
                        formula = true;
                        if attr(child.attrs, "t")? == Some("shared") {
                            index(attr(child.attrs, "si")?.ok_or(Unusual)?)?;
                            if let Some(range) = attr(child.attrs, "ref")? {
                                let mut ends = range.split(':').map(|p| reference(p, true));
                                let first = ends.next().ok_or(Unusual)??;
                                let last = ends.next().transpose()?.unwrap_or(first);
                                if ends.next().is_some() || last.0 < first.0 || last.1 < first.1 {
                                    return Err(Unusual);
                                }
                            }
                        }
                        if child.kind == TagKind::Start {
                            let (formula, next) = element_text(text, at, "f")?;
                            if formula.contains('&') {
                                quick_xml::escape::unescape(formula).map_err(|_| Unusual)?;
                            }
                            at = next;
                        }
                    }
                    (TagKind::Start, "v") if child.attrs.trim().is_empty() => {
                        let (raw, next) = element_text(text, at, "v")?;
                        at = next;
                        content = Content::V(raw);
                    }
                    (TagKind::Empty, "v") if child.attrs.trim().is_empty() => {
                        content = Content::V("");
                    }
                    (TagKind::Start, "is") => {
                        content = Content::Is(at);
                        at = string_item(text, at, "is", None)?;
                    }
                    (TagKind::Empty, "is") => content = Content::IsEmpty,
                    _ => return Err(Unusual),
                }
            }
        }
        // Decode only a column that is read; for the others, check what calamine would
        // refuse without building the value (whether it is empty is known either way).
        let (v, scratch) = (&mut self.value, &mut self.scratch);
        let value = match content {
            Content::None => Value::Empty,
            Content::IsEmpty => {
                if wants {
                    v.set_text("");
                }
                Value::Decoded
            }
            Content::IsText(raw, preserve) => {
                let run = run_text(raw, preserve, scratch)?;
                if wants {
                    v.set_text(run);
                }
                Value::Decoded
            }
            Content::Is(from) => {
                if wants {
                    scratch.clear();
                    string_item(text, from, "is", Some(scratch))?;
                    v.set_text(scratch);
                }
                Value::Decoded
            }
            Content::V(raw) => match typ {
                Some("inlineStr" | "is") if raw.contains('&') => return Err(Unusual),
                Some("inlineStr" | "is") => Value::Empty,
                Some("n") | None => {
                    if raw.is_empty() {
                        Value::Empty
                    } else {
                        let n = plain_number(raw)?;
                        if wants {
                            let kind = if date {
                                CellKind::Date
                            } else {
                                CellKind::Number
                            };
                            v.set_number(kind, n);
                        }
                        Value::Decoded
                    }
                }
                Some("s") => {
                    if raw.is_empty() {
                        Value::Empty
                    } else {
                        let s = self.book.strings.get(index(raw)?).ok_or(Unusual)?;
                        if wants {
                            v.set_text(s);
                        }
                        Value::Decoded
                    }
                }
                Some("b") => match raw.trim() {
                    "" => Value::Empty,
                    b => {
                        let truth = if b == "0" || b.eq_ignore_ascii_case("false") {
                            0.0
                        } else if b == "1" || b.eq_ignore_ascii_case("true") {
                            1.0
                        } else {
                            return Err(Unusual);
                        };
                        if wants {
                            v.set_number(CellKind::Bool, truth);
                        }
                        Value::Decoded
                    }
                },
                Some("e") => {
                    const ERRORS: [&str; 7] = [
                        "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!",
                    ];
                    if !ERRORS.contains(&raw) {
                        return Err(Unusual);
                    }
                    if wants {
                        v.kind = CellKind::Error;
                        v.text.clear();
                        v.text.push_str(raw);
                    }
                    Value::Decoded
                }
                Some("str" | "d") => {
                    scratch.clear();
                    chars(raw, scratch)?;
                    if wants {
                        v.set_text(scratch);
                    }
                    Value::Decoded
                }
                Some(_) => return Err(Unusual),
            },
        };
        let value = match value {
            Value::Decoded if !wants => Value::Skipped,
            other => other,
        };
        let cell = Cell {
            row,
            col,
            value,
            formula_without_value: formula && value == Value::Empty,
        };
        Ok((cell, at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_that_show_dates_are_told_from_numbers() {
        for code in [
            "yyyy/m/d",
            "yyyy\"年\"m\"月\"d\"日\"",
            "m/d/yy h:mm",
            "[h]:mm:ss",
            "h:mm AM/PM",
            "H:MM:SS;@",
            "[mm]:ss",
        ] {
            assert!(format_is_date(code), "{code}");
        }
        for code in [
            "0.00",
            "#,##0",
            "0%",
            "@",
            "General",
            "\"日期\"0",
            "0;\"yyyy\"",
            "[Red]0.0",
            "_(* #,##0_)",
            "#,##0\\ [$\\u20bd-46D]",
            // A weekday alone (aaaa) is not a date to calamine either.
            "[$-804]aaaa",
        ] {
            assert!(!format_is_date(code), "{code}");
        }
    }

    #[test]
    fn references_and_rows() {
        assert_eq!(reference("A1", true), Ok((0, 0)));
        assert_eq!(reference("xfd1048576", true), Ok((1_048_575, 16_383)));
        assert_eq!(reference("XFE1", true), Err(Unusual));
        assert_eq!(reference("A0", true), Err(Unusual));
        assert_eq!(reference("A1048577", true), Err(Unusual));
        assert_eq!(reference("12", false), Ok((11, 0)));
        assert_eq!(reference("12", true), Err(Unusual));
        assert_eq!(reference("A1", false), Err(Unusual));
        assert_eq!(reference("A-1", true), Err(Unusual));
    }

    #[test]
    fn numbers_written_plainly_are_read_others_are_left_to_calamine() {
        assert_eq!(plain_number("-12"), Ok(-12.0));
        assert_eq!(plain_number("3.5"), Ok(3.5));
        assert_eq!(plain_number("4.10123e17"), Ok(4.10123e17));
        assert_eq!(plain_number("1."), Ok(1.0));
        for odd in [
            "", "+1", ".5", "1e", " 1", "1 ", "inf", "NaN", "0x10", "1,000",
        ] {
            assert_eq!(plain_number(odd), Err(Unusual), "{odd:?}");
        }
    }

    #[test]
    fn rich_text_drops_phonetic_runs_and_trims_each_run() {
        let xml = "<si><r><rPr><b/><sz val=\"11\"/></rPr><t> 张</t></r><r><t xml:space=\"preserve\"> 三 </t></r><rPh sb=\"0\" eb=\"1\"><t>ZHANG</t></rPh></si>";
        let mut s = String::new();
        let end = string_item(xml, 4, "si", Some(&mut s));
        assert_eq!(end, Ok(xml.len()));
        assert_eq!(s, "张 三 ");
        let mut s = String::new();
        assert_eq!(
            string_item("<si><t>A&amp;B &#x4E00;</t></si>", 4, "si", Some(&mut s)).map(|_| ()),
            Ok(())
        );
        assert_eq!(s, "A&B 一");
        for odd in [
            "<si><t><![CDATA[x]]></t></si>",
            "<si><!-- x --><t>x</t></si>",
            "<si><x:t>x</x:t></si>",
            "<si><t>a_x000D_b</t></si>",
            "<si><t>a\r\nb</t></si>",
            "<si><t>&bogus;</t></si>",
        ] {
            let mut s = String::new();
            assert_eq!(
                string_item(odd, 4, "si", Some(&mut s)).map(|_| ()),
                Err(Unusual),
                "{odd}"
            );
        }
    }

    #[test]
    fn attributes_in_either_quotes() {
        assert_eq!(attr(" r=\"A1\" s='3' t = \"s\"", "s"), Ok(Some("3")));
        assert_eq!(attr(" r=\"A1\" s='3' t = \"s\"", "t"), Ok(Some("s")));
        assert_eq!(attr(" r=\"A1\"", "x"), Ok(None));
        assert_eq!(attr(" r=A1", "r"), Err(Unusual));
    }
}
