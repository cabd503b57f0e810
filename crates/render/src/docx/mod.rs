//! Editable Word documents (`.docx`, WordprocessingML) of the documents that staff change
//! before signing: the notice (通报), the briefing (简报) and the post-evaluation report
//! (后评估达标情况), each from the same data as its PDF. `notice.rs` holds the page setup
//! (GB/T 9704, or the brief's plain A4), styles, blocks, tables and package all use;
//! `evaluation.rs` and `brief.rs` only lay out their own parts; `chart.rs` writes the
//! brief's charts as native Word charts (DrawingML `c:chartSpace` parts).
//!
//! The XML is written with a small typed writer over `quick-xml` ([`Xml`]): elements and
//! attributes are events, text and attribute values are escaped by the writer, so a region
//! named `<w:p>` prints as those characters. The package (`[Content_Types].xml`, relations,
//! core properties, styles, settings, font table, footers, `word/document.xml`) is zipped with
//! a fixed timestamp: the same report gives the same bytes.
//!
//! `docx-rs` was tried and not used: it numbers paragraph and footer ids from process-wide
//! counters (two renderings of one report in one process differ), and it has no repeating
//! table header row (`w:tblHeader`) nor a document grid with a character pitch.

#![allow(clippy::result_large_err)]

mod brief;
mod chart;
mod evaluation;
mod notice;

use std::io::{Cursor, Write};

use chrono::{Datelike, NaiveDate};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::error::{Error, Result};

pub(crate) use brief::brief;
pub(crate) use evaluation::evaluation;
pub(crate) use notice::notice;

/// The font families a Word document names for its text roles. By default the names of
/// GB/T 9704 as Word users know them; `[fonts]` in `gonggu.toml` (the families tried first
/// for the PDF) puts the office's own first (`body = ["方正仿宋_GBK"]`), and the font table
/// keeps the defaults' fallbacks (仿宋 → FangSong, 华文中宋 → 宋体, 楷体 → KaiTi) for
/// machines without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxFonts {
    /// 标题 (and the 发文机关标志): 方正小标宋简体.
    pub title: String,
    /// 正文: 仿宋_GB2312.
    pub body: String,
    /// 一级标题: 黑体.
    pub heading: String,
    /// 二级标题 and run-in leads: 楷体_GB2312.
    pub kai: String,
}

impl Default for DocxFonts {
    fn default() -> Self {
        DocxFonts {
            title: "方正小标宋简体".to_owned(),
            body: "仿宋_GB2312".to_owned(),
            heading: "黑体".to_owned(),
            kai: "楷体_GB2312".to_owned(),
        }
    }
}

/// WordprocessingML main namespace.
pub(crate) const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// Relationships namespace (`r:id`).
pub(crate) const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// WordprocessingML drawing namespace (`wp:inline`).
pub(crate) const NS_WP: &str =
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
/// DrawingML main namespace (`a:graphic`, text and colour properties).
pub(crate) const NS_A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
/// DrawingML chart namespace (`c:chartSpace`, `c:chart`).
pub(crate) const NS_C: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";

fn render_error(message: impl std::fmt::Display) -> Error {
    Error::Render {
        what: "Word 文档",
        message: message.to_string(),
    }
}

/// A typed XML writer: start, empty and end tags with attributes, escaped text. The first
/// write error is kept and returned by [`Xml::finish`] (writing to memory does not fail).
pub(crate) struct Xml {
    w: Writer<Vec<u8>>,
    err: Option<std::io::Error>,
}

/// Characters XML 1.0 cannot carry (control characters other than tab and newline) are
/// dropped; everything else is written as text.
fn xml_chars(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if text.chars().any(bad) {
        text.chars().filter(|c| !bad(*c)).collect::<String>().into()
    } else {
        text.into()
    }
}

impl Xml {
    /// A document with the XML declaration written.
    pub(crate) fn new() -> Self {
        let mut x = Xml {
            w: Writer::new(Vec::new()),
            err: None,
        };
        x.event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        x
    }

    fn event(&mut self, e: Event<'_>) {
        if self.err.is_none()
            && let Err(err) = self.w.write_event(e)
        {
            self.err = Some(err);
        }
    }

    fn tag<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (k, v) in attrs {
            let v = xml_chars(v);
            start.push_attribute((*k, v.as_ref()));
        }
        start
    }

    /// `<name attrs…>`.
    pub(crate) fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.event(Event::Start(Self::tag(name, attrs)));
        self
    }

    /// `<name attrs…/>`.
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.event(Event::Empty(Self::tag(name, attrs)));
        self
    }

    /// `</name>`.
    pub(crate) fn end(&mut self, name: &str) -> &mut Self {
        self.event(Event::End(BytesEnd::new(name)));
        self
    }

    /// Escaped text.
    pub(crate) fn text(&mut self, text: &str) -> &mut Self {
        let text = xml_chars(text);
        self.event(Event::Text(BytesText::new(&text)));
        self
    }

    /// `<name attrs…>text</name>`.
    pub(crate) fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.start(name, attrs).text(text).end(name)
    }

    /// The bytes, or the first write error.
    pub(crate) fn finish(self) -> Result<Vec<u8>> {
        match self.err {
            Some(err) => Err(render_error(err)),
            None => Ok(self.w.into_inner()),
        }
    }
}

/// One part of the package: its path in the zip and its content type (`None`: covered by a
/// default extension type).
pub(crate) struct Part {
    pub(crate) path: String,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) bytes: Vec<u8>,
}

/// `[Content_Types].xml` for the parts.
fn content_types(parts: &[Part]) -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.start(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    x.empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    );
    x.empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    );
    for part in parts {
        if let Some(ct) = part.content_type {
            let name = format!("/{}", part.path);
            x.empty("Override", &[("PartName", &name), ("ContentType", ct)]);
        }
    }
    x.end("Types");
    x.finish()
}

/// `docProps/core.xml`: title and creator, created and modified on `date` (never the clock).
pub(crate) fn core_properties(title: &str, creator: &str, date: NaiveDate) -> Result<Vec<u8>> {
    let stamp = format!("{}T00:00:00Z", date.format("%Y-%m-%d"));
    let mut x = Xml::new();
    x.start(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    x.leaf("dc:title", &[], title);
    x.leaf("dc:creator", &[], creator);
    x.leaf("dc:language", &[], "zh-CN");
    x.leaf("dcterms:created", &[("xsi:type", "dcterms:W3CDTF")], &stamp);
    x.leaf(
        "dcterms:modified",
        &[("xsi:type", "dcterms:W3CDTF")],
        &stamp,
    );
    x.end("cp:coreProperties");
    x.finish()
}

/// The zip: `[Content_Types].xml` first, then the parts in order, every entry stamped with
/// `date` at midnight.
pub(crate) fn package(parts: Vec<Part>, date: NaiveDate) -> Result<Vec<u8>> {
    let stamp = zip::DateTime::from_date_and_time(
        u16::try_from(date.year().clamp(1980, 2107)).unwrap_or(1980),
        u8::try_from(date.month()).unwrap_or(1),
        u8::try_from(date.day()).unwrap_or(1),
        0,
        0,
        0,
    )
    .map_err(render_error)?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    let types = content_types(&parts)?;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let entries = std::iter::once(("[Content_Types].xml", &types))
        .chain(parts.iter().map(|p| (p.path.as_str(), &p.bytes)));
    for (path, bytes) in entries {
        zip.start_file(path, options).map_err(render_error)?;
        zip.write_all(bytes).map_err(render_error)?;
    }
    Ok(zip.finish().map_err(render_error)?.into_inner())
}

#[cfg(test)]
mod tests;
