//! The notice (通报) as WordprocessingML, from the data of `notice.typ` (`doc` keys, body
//! blocks, attachments): GB/T 9704-2012 as a Word user sets it up — A4, margins 37/35/28/26 mm,
//! a line grid of 22 lines (28.95 pt), 三号 仿宋_GB2312 body condensed by ¼ pt so that 28
//! characters fill a line, red 发文机关标志 and rule, 二号 小标宋 title, tables with repeated
//! header rows, attachments on their own pages (landscape sections for wide tables), 版记,
//! and `— n —` page numbers (odd pages right, even pages left).
//!
//! Why a line grid and not a line-and-character grid (`linesAndChars`): LibreOffice gives a
//! character wider than its grid cell two cells, so the 15.79 pt cells of a 28-character grid
//! spread 16 pt text to 14–18 characters a line; condensed text on a line grid gives 28 in
//! Word, WPS and LibreOffice alike.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::{
    DocxFonts, NS_A, NS_C, NS_R, NS_W, NS_WP, Part, Xml, core_properties, package, render_error,
};
use crate::error::Result;

/// Twips (1/20 pt) in a millimetre.
fn mm(v: f64) -> i64 {
    (v * 1440.0 / 25.4).round() as i64
}

const PAGE_W: i64 = 11906; // 210 mm
const PAGE_H: i64 = 16838; // 297 mm
/// 版心 width, 156 mm.
const TEXT_W: i64 = 8844;
/// Landscape text width: 297 mm less 37 + 35 mm.
const TEXT_W_LANDSCAPE: i64 = 12756;
/// One grid character: 156 mm / 28.
pub(super) const CHAR: i64 = 316;
/// Line pitch 28.95 pt: 22 lines in 225 mm.
pub(super) const LINE: i64 = 579;
const RED: &str = "E60012";
/// The brief's page: A4 with 20 mm sides and 16 mm top and bottom, as `brief.typ`.
const BRIEF_TEXT_W: i64 = 9638; // 170 mm
/// The brief's accent colour (headings, figures, the rule under the title), as `brief.typ`.
pub(super) const ACCENT: &str = "204E8A";
/// The brief's grey (card names, byline, legend), as `brief.typ`'s `muted`.
pub(super) const MUTED: &str = "5F5F5F";

/// Which pages and styles a document has.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Page {
    /// GB/T 9704: the notice and the evaluation (三号 仿宋 on a 22-line grid, `— n —` at the
    /// outer edge).
    Official,
    /// The briefing's plain A4 pages (11.5 pt 仿宋, no grid, `— n —` centred).
    Brief,
}

const SONG: &str = "宋体";

/// Fonts of the font table with the family Word or WPS substitutes when one is missing.
fn font_list(f: &DocxFonts) -> [(&str, &str); 8] {
    [
        (&f.body, "仿宋"),
        ("仿宋", "FangSong"),
        (&f.title, "华文中宋"),
        ("华文中宋", "宋体"),
        (&f.heading, "SimHei"),
        (&f.kai, "楷体"),
        ("楷体", "KaiTi"),
        (SONG, "SimSun"),
    ]
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn key(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(text_of)
}

pub(super) fn flag(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

pub(super) fn list<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Width of a text in grid characters: full-width 1, ASCII ½.
fn width_chars(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

/// A run of text and its formatting.
#[derive(Default, Clone, Copy)]
pub(super) struct Run<'a> {
    pub(super) text: &'a str,
    pub(super) font: Option<&'a str>,
    /// Size in half-points.
    pub(super) size: Option<i64>,
    pub(super) bold: bool,
    pub(super) color: Option<&'a str>,
    /// Character scale in percent (a long 发文机关标志 is condensed, not shrunk).
    pub(super) scale: Option<i64>,
}

impl<'a> Run<'a> {
    pub(super) fn plain(text: &'a str) -> Self {
        Run {
            text,
            ..Run::default()
        }
    }
    pub(super) fn font(text: &'a str, font: &'a str) -> Self {
        Run {
            text,
            font: Some(font),
            ..Run::default()
        }
    }
}

/// Paragraph properties used here (written in schema order).
#[derive(Default, Clone)]
pub(super) struct Para<'a> {
    pub(super) style: Option<&'a str>,
    pub(super) keep_next: bool,
    pub(super) page_break_before: bool,
    /// A rule under the paragraph in this colour (the red rule under the 发文字号).
    pub(super) rule: Option<&'a str>,
    /// No extra space between Chinese and Latin letters or digits (`autoSpaceDE/DN` off),
    /// as in the PDF: `2021年11月30日`, not `2021 年 11 月 30 日` (Word adds ¼ em by
    /// default, which also costs the 28-character line its last characters).
    pub(super) tight: bool,
    /// `Some(false)`: off the document grid (tables, header lines).
    pub(super) snap: Option<bool>,
    pub(super) before: Option<i64>,
    pub(super) after: Option<i64>,
    /// Exact line height in twips; `Some(0)`: single (auto).
    pub(super) line: Option<i64>,
    pub(super) left: Option<i64>,
    pub(super) right: Option<i64>,
    pub(super) first_line: Option<i64>,
    pub(super) hanging: Option<i64>,
    pub(super) jc: Option<&'a str>,
}

fn ppr(x: &mut Xml, p: &Para<'_>, sect: Option<&Section>) {
    x.start("w:pPr", &[]);
    if let Some(s) = p.style {
        x.empty("w:pStyle", &[("w:val", s)]);
    }
    if p.keep_next {
        x.empty("w:keepNext", &[]);
    }
    if p.page_break_before {
        x.empty("w:pageBreakBefore", &[]);
    }
    if let Some(colour) = p.rule {
        x.start("w:pBdr", &[]);
        x.empty(
            "w:bottom",
            &[
                ("w:val", "single"),
                ("w:sz", "10"),
                ("w:space", "11"),
                ("w:color", colour),
            ],
        );
        x.end("w:pBdr");
    }
    if p.tight {
        x.empty("w:autoSpaceDE", &[("w:val", "0")]);
        x.empty("w:autoSpaceDN", &[("w:val", "0")]);
    }
    if let Some(snap) = p.snap {
        x.empty("w:snapToGrid", &[("w:val", if snap { "1" } else { "0" })]);
    }
    if p.before.is_some() || p.after.is_some() || p.line.is_some() {
        let before = p.before.map(|v| v.to_string());
        let after = p.after.map(|v| v.to_string());
        let line = p.line.map(|v| if v == 0 { 240 } else { v }.to_string());
        let mut attrs = Vec::new();
        if let Some(b) = &before {
            attrs.push(("w:before", b.as_str()));
        }
        if let Some(a) = &after {
            attrs.push(("w:after", a.as_str()));
        }
        if let Some(l) = &line {
            attrs.push(("w:line", l.as_str()));
            attrs.push((
                "w:lineRule",
                if p.line == Some(0) { "auto" } else { "exact" },
            ));
        }
        x.empty("w:spacing", &attrs);
    }
    if p.left.is_some() || p.right.is_some() || p.first_line.is_some() || p.hanging.is_some() {
        let v: Vec<(&str, String)> = [
            ("w:left", p.left),
            ("w:right", p.right),
            ("w:firstLine", p.first_line),
            ("w:hanging", p.hanging),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v.to_string())))
        .collect();
        let attrs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
        x.empty("w:ind", &attrs);
    }
    if let Some(jc) = p.jc {
        x.empty("w:jc", &[("w:val", jc)]);
    }
    if let Some(s) = sect {
        s.write(x);
    }
    x.end("w:pPr");
}

/// `w:pPr` of a paragraph the caller writes itself (one holding a drawing).
pub(super) fn ppr_of(x: &mut Xml, p: &Para<'_>) {
    ppr(x, p, None);
}

fn rfonts(x: &mut Xml, font: &str) {
    x.empty(
        "w:rFonts",
        &[
            ("w:ascii", font),
            ("w:hAnsi", font),
            ("w:eastAsia", font),
            ("w:cs", font),
        ],
    );
}

fn run(x: &mut Xml, r: &Run<'_>) {
    x.start("w:r", &[]);
    let size = r.size.map(|s| s.to_string());
    let scale = r.scale.map(|s| s.to_string());
    if r.font.is_some() || r.bold || r.color.is_some() || size.is_some() || scale.is_some() {
        x.start("w:rPr", &[]);
        if let Some(f) = r.font {
            rfonts(x, f);
        }
        if r.bold {
            x.empty("w:b", &[]).empty("w:bCs", &[]);
        }
        if let Some(c) = r.color {
            x.empty("w:color", &[("w:val", c)]);
        }
        if let Some(s) = &scale {
            x.empty("w:w", &[("w:val", s)]);
        }
        if let Some(s) = &size {
            x.empty("w:sz", &[("w:val", s)])
                .empty("w:szCs", &[("w:val", s)]);
        }
        x.end("w:rPr");
    }
    // A "\n" in the data breaks the line, as it does in the PDF.
    for (i, line) in r.text.split('\n').enumerate() {
        if i > 0 {
            x.empty("w:br", &[]);
        }
        if !line.is_empty() {
            x.leaf("w:t", &[("xml:space", "preserve")], line);
        }
    }
    x.end("w:r");
}

pub(super) fn para(x: &mut Xml, p: &Para<'_>, runs: &[Run<'_>]) {
    x.start("w:p", &[]);
    ppr(x, p, None);
    for r in runs {
        run(x, r);
    }
    x.end("w:p");
}

/// A section's page: portrait or landscape, with the two footers and the grid.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Section {
    landscape: bool,
    page: Page,
    /// Starts on the next even page (a blank page before it when needed), not the next page.
    even: bool,
}

impl Section {
    fn write(&self, x: &mut Xml) {
        x.start("w:sectPr", &[]);
        let (odd, even) = if self.landscape {
            ("rIdFooterLandscapeOdd", "rIdFooterLandscapeEven")
        } else {
            ("rIdFooterOdd", "rIdFooterEven")
        };
        x.empty("w:footerReference", &[("w:type", "default"), ("r:id", odd)]);
        x.empty("w:footerReference", &[("w:type", "even"), ("r:id", even)]);
        let start = if self.even { "evenPage" } else { "nextPage" };
        x.empty("w:type", &[("w:val", start)]);
        let (w, h) = (PAGE_W.to_string(), PAGE_H.to_string());
        if self.page == Page::Brief {
            x.empty("w:pgSz", &[("w:w", &w), ("w:h", &h)]);
            let (tb, lr, footer) = (mm(16.0).to_string(), mm(20.0).to_string(), mm(8.0));
            x.empty(
                "w:pgMar",
                &[
                    ("w:top", &tb),
                    ("w:right", &lr),
                    ("w:bottom", &tb),
                    ("w:left", &lr),
                    ("w:header", &footer.to_string()),
                    ("w:footer", &footer.to_string()),
                    ("w:gutter", "0"),
                ],
            );
            x.empty("w:cols", &[("w:space", "425")]);
            x.empty("w:docGrid", &[("w:type", "default")]);
            x.end("w:sectPr");
            return;
        }
        // GB/T 9704 margins; a landscape page keeps them on the same edges of the sheet.
        let (top, bottom, left, right) = (mm(37.0), mm(35.0), mm(28.0), mm(26.0));
        let footer = mm(35.0 - 7.0 - 5.0).to_string();
        if self.landscape {
            x.empty(
                "w:pgSz",
                &[("w:w", &h), ("w:h", &w), ("w:orient", "landscape")],
            );
            let (t, b, l, r) = (
                left.to_string(),
                right.to_string(),
                top.to_string(),
                bottom.to_string(),
            );
            x.empty(
                "w:pgMar",
                &[
                    ("w:top", &t),
                    ("w:right", &r),
                    ("w:bottom", &b),
                    ("w:left", &l),
                    ("w:header", "851"),
                    ("w:footer", "567"),
                    ("w:gutter", "0"),
                ],
            );
        } else {
            x.empty("w:pgSz", &[("w:w", &w), ("w:h", &h)]);
            let (t, b, l, r) = (
                top.to_string(),
                bottom.to_string(),
                left.to_string(),
                right.to_string(),
            );
            x.empty(
                "w:pgMar",
                &[
                    ("w:top", &t),
                    ("w:right", &r),
                    ("w:bottom", &b),
                    ("w:left", &l),
                    ("w:header", "851"),
                    ("w:footer", &footer),
                    ("w:gutter", "0"),
                ],
            );
        }
        x.empty("w:cols", &[("w:space", "425")]);
        let pitch = LINE.to_string();
        // Landscape sections hold tables only: no line grid there (LibreOffice would snap
        // every table line to it).
        let kind = if self.landscape { "default" } else { "lines" };
        x.empty("w:docGrid", &[("w:type", kind), ("w:linePitch", &pitch)]);
        x.end("w:sectPr");
    }
}

/// `word/document.xml` being written: the current section's orientation.
pub(super) struct Body {
    pub(super) x: Xml,
    section: Section,
    /// The font families of the text roles.
    pub(super) fonts: DocxFonts,
}

impl Body {
    /// `w:document` and `w:body` opened, on a portrait GB/T 9704 page.
    pub(super) fn start(fonts: &DocxFonts) -> Self {
        Body::start_on(Page::Official, fonts)
    }

    /// `w:document` and `w:body` opened, on a portrait `page`.
    pub(super) fn start_on(page: Page, fonts: &DocxFonts) -> Self {
        let mut b = Body {
            fonts: fonts.clone(),
            x: Xml::new(),
            section: Section {
                landscape: false,
                page,
                even: false,
            },
        };
        b.x.start(
            "w:document",
            &[
                ("xmlns:w", NS_W),
                ("xmlns:r", NS_R),
                ("xmlns:wp", NS_WP),
                ("xmlns:a", NS_A),
                ("xmlns:c", NS_C),
            ],
        );
        b.x.start("w:body", &[]);
        b
    }

    /// The last section's properties written and the document closed.
    pub(super) fn finish(mut self) -> Result<Vec<u8>> {
        let section = self.section;
        section.write(&mut self.x);
        self.x.end("w:body");
        self.x.end("w:document");
        self.x.finish()
    }

    /// Ends the current section with an empty paragraph and starts one `landscape` or not,
    /// on a new page.
    pub(super) fn new_section(&mut self, landscape: bool) {
        self.next_section(landscape, false);
    }

    /// [`Body::new_section`], on the next even page when `even`.
    fn next_section(&mut self, landscape: bool, even: bool) {
        self.x.start("w:p", &[]);
        // One point high, so that it never makes a page of its own.
        let p = Para {
            snap: Some(false),
            line: Some(20),
            ..Para::default()
        };
        ppr(&mut self.x, &p, Some(&self.section));
        self.x.end("w:p");
        self.section = Section {
            landscape,
            page: self.section.page,
            even,
        };
    }

    /// An empty single-spaced line off the grid: between two tables, which word processors
    /// would otherwise join into one.
    pub(super) fn spacer(&mut self) {
        let p = Para {
            snap: Some(false),
            line: Some(0),
            ..Para::default()
        };
        para(&mut self.x, &p, &[]);
    }

    /// Whether the current section is landscape.
    pub(super) fn landscape(&self) -> bool {
        self.section.landscape
    }

    /// The text block's width on the current page, in twips.
    pub(super) fn text_width(&self) -> i64 {
        match (self.section.page, self.section.landscape) {
            (Page::Brief, _) => BRIEF_TEXT_W,
            (Page::Official, true) => TEXT_W_LANDSCAPE,
            (Page::Official, false) => TEXT_W,
        }
    }
}

fn indented<'a>() -> Para<'a> {
    Para {
        style: Some("BodyText"),
        ..Para::default()
    }
}

/// A body block: paragraph, heading, table or page break.
pub(super) fn block(b: &mut Body, v: &Value, keep_next: bool) -> Result<()> {
    let kind = key(v, "type").unwrap_or_else(|| "paragraph".to_owned());
    let text = key(v, "text").unwrap_or_default();
    match kind.as_str() {
        "paragraph" => {
            let lead = key(v, "lead");
            let p = Para {
                keep_next: keep_next || flag(v, "keep_with_next"),
                ..indented()
            };
            let mut runs = Vec::new();
            if let Some(lead) = &lead {
                runs.push(Run::font(lead, &b.fonts.kai));
            }
            runs.push(Run::plain(&text));
            para(&mut b.x, &p, &runs);
        }
        "heading" => {
            let level = v.get("level").and_then(Value::as_u64).unwrap_or(1);
            let style = match level {
                1 => "Heading1",
                2 => "Heading2",
                _ => "Heading3",
            };
            let p = Para {
                style: Some(style),
                keep_next: true,
                ..Para::default()
            };
            para(&mut b.x, &p, &[Run::plain(&text)]);
        }
        "table" => {
            let landscape = flag(v, "landscape");
            let back = b.section.landscape;
            if landscape && !back {
                b.new_section(true);
            }
            table(b, v);
            if landscape && !back {
                b.new_section(false);
            }
        }
        "list" => {
            // A numbered list (the sources): the number 2 characters in, long items wrap
            // under their own text.
            let items = list(v, "items");
            for (i, item) in items.iter().enumerate() {
                let text = format!("{}. {}", i + 1, text_of(item).unwrap_or_default());
                let p = Para {
                    keep_next: keep_next && i + 1 == items.len(),
                    left: Some(4 * CHAR),
                    hanging: Some(2 * CHAR),
                    ..Para::default()
                };
                para(&mut b.x, &p, &[Run::plain(&text)]);
            }
        }
        "trend" => {
            // Word gets the figures the PDF draws: one table per indicator, the months as
            // columns, the total last.
            block(
                b,
                &json!({"type": "heading", "level": 2, "text": key(v, "title").unwrap_or_default()}),
                true,
            )?;
            let months: Vec<Value> = list(v, "months").to_vec();
            for chart in list(v, "charts") {
                let mut header = vec![Value::from("单位")];
                header.extend(months.iter().cloned());
                let row = |l: &Value| {
                    let mut cells = vec![Value::from(key(l, "label").unwrap_or_default())];
                    cells.extend(list(l, "displays").iter().cloned());
                    Value::from(cells)
                };
                let lines = list(chart, "lines");
                let mut widths = vec![1.6];
                widths.extend(months.iter().map(|_| 1.0));
                let t = json!({
                    "type": "table",
                    "caption": key(chart, "title").unwrap_or_default(),
                    "columns": widths,
                    "header": [header],
                    "rows": lines.iter().filter(|l| !flag(l, "total")).map(row).collect::<Vec<_>>(),
                    "total": lines.iter().find(|l| flag(l, "total")).map(row),
                    "font_size": 10.5,
                    "unbreakable": true,
                });
                block(b, &t, false)?;
            }
        }
        "pagebreak" => {
            b.x.start("w:p", &[]).start("w:r", &[]);
            b.x.empty("w:br", &[("w:type", "page")]);
            b.x.end("w:r").end("w:p");
        }
        other => {
            return Err(render_error(format!(
                "正文块类型「{other}」未知：应为 paragraph、heading、table、list、trend 或 pagebreak"
            )));
        }
    }
    Ok(())
}

fn cell_span(c: &Value, k: &str) -> usize {
    c.get(k)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(1)
        .max(1)
}

/// 红 / 黄 shading as in the PDF.
fn warning_fill(c: &Value) -> Option<&'static str> {
    match c.get("warning").and_then(Value::as_str) {
        Some("红") => Some("FFC7CE"),
        Some("黄") => Some("FFEB9C"),
        _ => None,
    }
}

/// A row's kind: header rows repeat on every page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Header,
    Body,
    Total,
}

/// A table block (keys of `official.typ`'s `ranking-table`) as caption, note, Word table and
/// footnote.
fn table(b: &mut Body, t: &Value) {
    let header = list(t, "header");
    let rows = list(t, "rows");
    let total = t.get("total").and_then(Value::as_array);
    let size_pt = t.get("font_size").and_then(Value::as_f64).unwrap_or(10.5);
    let size = (size_pt * 2.0).round() as i64;
    let inset = t.get("row_inset").and_then(Value::as_f64).unwrap_or(0.55);
    let unbreakable = flag(t, "unbreakable");
    let has_footnote = key(t, "footnote").is_some();
    let width = b.text_width();

    if let Some(caption) = key(t, "caption") {
        let p = Para {
            keep_next: true,
            snap: Some(false),
            line: Some(0),
            after: Some(120),
            jc: Some("center"),
            ..Para::default()
        };
        let r = Run {
            size: Some(36),
            ..Run::font(&caption, &b.fonts.title)
        };
        para(&mut b.x, &p, &[r]);
    }
    if let Some(note) = key(t, "note") {
        let p = Para {
            keep_next: true,
            snap: Some(false),
            line: Some(0),
            after: Some(60),
            jc: Some("right"),
            ..Para::default()
        };
        let r = Run {
            size: Some(24),
            ..Run::plain(&note)
        };
        para(&mut b.x, &p, &[r]);
    }

    // Grid columns: the relative widths, or the first row's spans (first column double).
    let span_sum = |row: &Value| -> usize {
        row.as_array().map_or(1, |cells| {
            cells.iter().map(|c| cell_span(c, "colspan")).sum()
        })
    };
    let mut weights: Vec<f64> = list(t, "columns")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    if weights.is_empty() {
        let n = header.first().or(rows.first()).map_or(1, span_sum);
        weights = std::iter::once(2.0)
            .chain(std::iter::repeat_n(1.0, n.saturating_sub(1)))
            .collect();
    }
    let sum: f64 = weights.iter().sum::<f64>().max(f64::EPSILON);
    let widths: Vec<i64> = weights
        .iter()
        .map(|w| (w / sum * width as f64).floor() as i64)
        .collect();
    let ncols = widths.len();

    let fonts = &b.fonts;
    let x = &mut b.x;
    x.start("w:tbl", &[]);
    x.start("w:tblPr", &[]);
    let w = width.to_string();
    x.empty("w:tblW", &[("w:w", &w), ("w:type", "dxa")]);
    x.empty("w:jc", &[("w:val", "center")]);
    borders(x, "single", "000000");
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    // The PDF's row inset, less the part a word processor's single line (about 1.3 em for
    // CJK fonts, against the PDF's 1 em box) already gives: rows as high as in the PDF.
    let pad = (((inset - 0.25).max(0.05) * size_pt * 20.0).round() as i64).to_string();
    x.start("w:tblCellMar", &[]);
    x.empty("w:top", &[("w:w", &pad), ("w:type", "dxa")]);
    x.empty("w:left", &[("w:w", "40"), ("w:type", "dxa")]);
    x.empty("w:bottom", &[("w:w", &pad), ("w:type", "dxa")]);
    x.empty("w:right", &[("w:w", "40"), ("w:type", "dxa")]);
    x.end("w:tblCellMar");
    x.end("w:tblPr");
    x.start("w:tblGrid", &[]);
    for w in &widths {
        x.empty("w:gridCol", &[("w:w", &w.to_string())]);
    }
    x.end("w:tblGrid");

    let all: Vec<(RowKind, &[Value])> = header
        .iter()
        .filter_map(Value::as_array)
        .map(|r| (RowKind::Header, r.as_slice()))
        .chain(
            rows.iter()
                .filter_map(Value::as_array)
                .map(|r| (RowKind::Body, r.as_slice())),
        )
        .chain(
            total
                .filter(|r| !r.is_empty())
                .map(|r| (RowKind::Total, r.as_slice())),
        )
        .collect();
    // Cells still covered by a cell spanning rows above: (rows left, its column span).
    let mut pending: Vec<(usize, usize)> = vec![(0, 1); ncols];
    let last = all.len().saturating_sub(1);
    for (ri, (kind, cells)) in all.iter().enumerate() {
        x.start("w:tr", &[]);
        x.start("w:trPr", &[]);
        x.empty("w:cantSplit", &[]);
        if *kind == RowKind::Header {
            x.empty("w:tblHeader", &[]);
        }
        x.end("w:trPr");
        // A short table stays on one page with its footnote.
        let keep = *kind == RowKind::Header || (unbreakable && (ri < last || has_footnote));
        let mut col = 0;
        let mut cells = cells.iter();
        loop {
            // Continuations of cells merged from the rows above.
            while col < ncols && pending[col].0 > 0 {
                let (left, span) = pending[col];
                pending[col].0 = left - 1;
                let w: i64 = widths[col..(col + span).min(ncols)].iter().sum();
                cell(x, w, span, Some("continue"), None, &[], keep);
                col += span;
            }
            let Some(c) = cells.next() else { break };
            if col >= ncols {
                break;
            }
            let span = cell_span(c, "colspan").min(ncols - col);
            let rows_down = cell_span(c, "rowspan");
            let merge = if rows_down > 1 {
                pending[col] = (rows_down - 1, span);
                Some("restart")
            } else {
                None
            };
            let text = text_of(c).or_else(|| key(c, "text")).unwrap_or_default();
            let strong = *kind == RowKind::Total || flag(c, "strong");
            let font = if *kind == RowKind::Header {
                fonts.heading.as_str()
            } else {
                SONG
            };
            let w: i64 = widths[col..col + span].iter().sum();
            let r = Run {
                text: &text,
                font: Some(font),
                size: Some(size),
                bold: strong,
                ..Run::default()
            };
            cell(x, w, span, merge, warning_fill(c), &[r], keep);
            col += span;
        }
        // A row shorter than the grid is filled with empty cells (Word wants full rows).
        while col < ncols {
            cell(x, widths[col], 1, None, None, &[], keep);
            col += 1;
        }
        x.end("w:tr");
    }
    x.end("w:tbl");

    if let Some(footnote) = key(t, "footnote") {
        let p = Para {
            snap: Some(false),
            line: Some(0),
            before: Some(60),
            ..Para::default()
        };
        let r = Run {
            size: Some(21),
            ..Run::plain(&footnote)
        };
        para(x, &p, &[r]);
    }
}

/// `w:tblBorders`: every edge and inside line `kind` (`single`, `none`) in `colour`, ½ pt.
pub(super) fn borders(x: &mut Xml, kind: &str, colour: &str) {
    x.start("w:tblBorders", &[]);
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        x.empty(
            side,
            &[
                ("w:val", kind),
                ("w:sz", "4"),
                ("w:space", "0"),
                ("w:color", colour),
            ],
        );
    }
    x.end("w:tblBorders");
}

/// A cell's properties: width, column span, vertical merge, shading, vertical alignment.
pub(super) fn tc_pr(
    x: &mut Xml,
    width: i64,
    span: usize,
    merge: Option<&str>,
    fill: Option<&str>,
    valign: &str,
) {
    x.start("w:tcPr", &[]);
    x.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
    if span > 1 {
        x.empty("w:gridSpan", &[("w:val", &span.to_string())]);
    }
    if let Some(m) = merge {
        x.empty("w:vMerge", &[("w:val", m)]);
    }
    if let Some(f) = fill {
        x.empty(
            "w:shd",
            &[("w:val", "clear"), ("w:color", "auto"), ("w:fill", f)],
        );
    }
    x.empty("w:vAlign", &[("w:val", valign)]);
    x.end("w:tcPr");
}

fn cell(
    x: &mut Xml,
    width: i64,
    span: usize,
    merge: Option<&str>,
    fill: Option<&str>,
    runs: &[Run<'_>],
    keep_next: bool,
) {
    x.start("w:tc", &[]);
    tc_pr(x, width, span, merge, fill, "center");
    // Off the line grid also directly: LibreOffice snaps table lines to the 28.95 pt grid
    // when only the style says otherwise.
    let p = Para {
        style: Some("TableText"),
        keep_next,
        snap: Some(false),
        line: Some(0),
        ..Para::default()
    };
    para(x, &p, runs);
    x.end("w:tc");
}

/// 发文机关标志 (red, 小标宋, condensed when long) and 发文字号 with the red rule.
fn red_header(x: &mut Xml, font: &str, mark: Option<&str>, number: Option<&str>) {
    if let Some(mark) = mark {
        let n = mark.chars().count().max(1) as f64;
        let fit = 442.2 / n;
        let size = fit.clamp(26.0, 42.0);
        let squeeze = (fit / size).min(1.0);
        let p = Para {
            snap: Some(false),
            line: Some(0),
            before: Some(mm(35.0)),
            jc: Some("center"),
            rule: number.is_none().then_some(RED),
            after: number.is_none().then_some(2 * LINE),
            ..Para::default()
        };
        let r = Run {
            text: mark,
            font: Some(font),
            size: Some((size * 2.0).round() as i64),
            color: Some(RED),
            scale: (squeeze < 1.0).then(|| (squeeze * 100.0).floor() as i64),
            ..Run::default()
        };
        para(x, &p, &[r]);
    }
    if let Some(number) = number {
        let p = Para {
            snap: Some(false),
            line: Some(0),
            before: Some(if mark.is_some() {
                2 * LINE - 320
            } else {
                mm(35.0)
            }),
            after: Some(2 * LINE),
            jc: Some("center"),
            rule: Some(RED),
            ..Para::default()
        };
        para(x, &p, &[Run::plain(number)]);
    }
}

/// 发文机关署名 and 成文日期: the date 右空四字, the office centred over it.
pub(super) fn signature(x: &mut Xml, office: Option<&str>, date: Option<&str>) {
    let date_w = date.map_or(0.0, width_chars);
    if let Some(office) = office {
        let right = if date.is_some() {
            (4.0 + (date_w - width_chars(office)) / 2.0).max(0.0)
        } else {
            4.0
        };
        let p = Para {
            keep_next: date.is_some(),
            before: Some(LINE),
            right: Some((right * CHAR as f64).round() as i64),
            jc: Some("right"),
            ..Para::default()
        };
        para(x, &p, &[Run::plain(office)]);
    }
    if let Some(date) = date {
        let p = Para {
            before: office.is_none().then_some(LINE),
            right: Some(4 * CHAR),
            jc: Some("right"),
            ..Para::default()
        };
        para(x, &p, &[Run::plain(date)]);
    }
}

/// 版记: 抄送 and 印发机关 / 印发日期 between rules, 4号.
fn imprint(x: &mut Xml, cc: Option<&str>, by: Option<&str>, on: Option<&str>) {
    if cc.is_none() && by.is_none() && on.is_none() {
        return;
    }
    // 印发机关 takes what the 印发日期 (“2021年12月11日印发”, 4号) leaves.
    let half = TEXT_W - 3800;
    x.start("w:tbl", &[]);
    x.start("w:tblPr", &[]);
    // At the foot of the last page (GB/T 9704 §8.3): a floating table at the bottom of the
    // text block. Placed from the page's left edge (28 mm), not centred in the margins:
    // LibreOffice floats a table as wide as the text block only when it is placed against
    // the page (else it leaves it inline where it stands, at the top of the page). And
    // lifted by the footer's line (4号, 17 pt): LibreOffice counts the footer into the area
    // it aligns the table's foot with; Word aligns it with the margin and only keeps text
    // that far below it (there is none).
    let left = mm(28.0).to_string();
    x.empty(
        "w:tblpPr",
        &[
            ("w:leftFromText", "0"),
            ("w:rightFromText", "0"),
            ("w:bottomFromText", "340"),
            ("w:vertAnchor", "margin"),
            ("w:horzAnchor", "page"),
            ("w:tblpX", &left),
            ("w:tblpYSpec", "bottom"),
        ],
    );
    x.empty("w:tblW", &[("w:w", &TEXT_W.to_string()), ("w:type", "dxa")]);
    x.start("w:tblBorders", &[]);
    x.empty(
        "w:top",
        &[
            ("w:val", "single"),
            ("w:sz", "8"),
            ("w:space", "0"),
            ("w:color", "000000"),
        ],
    );
    x.empty(
        "w:bottom",
        &[
            ("w:val", "single"),
            ("w:sz", "8"),
            ("w:space", "0"),
            ("w:color", "000000"),
        ],
    );
    x.empty(
        "w:insideH",
        &[
            ("w:val", "single"),
            ("w:sz", "6"),
            ("w:space", "0"),
            ("w:color", "000000"),
        ],
    );
    x.end("w:tblBorders");
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    x.end("w:tblPr");
    x.start("w:tblGrid", &[]);
    x.empty("w:gridCol", &[("w:w", &half.to_string())]);
    x.empty("w:gridCol", &[("w:w", &(TEXT_W - half).to_string())]);
    x.end("w:tblGrid");
    // A long 印发机关 is set smaller (down to 五号) rather than broken, as in the PDF.
    let office_size = by.map_or(28, |office| {
        let room_pt = (half - 280 - 220) as f64 / 20.0;
        let fit = room_pt / width_chars(office).max(1.0);
        ((fit.clamp(10.5, 14.0)) * 2.0).floor() as i64
    });
    let line =
        |x: &mut Xml, width: i64, span: usize, text: &str, jc: &str, p: Para<'_>, size: i64| {
            x.start("w:tc", &[]);
            x.start("w:tcPr", &[]);
            x.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
            if span > 1 {
                x.empty("w:gridSpan", &[("w:val", &span.to_string())]);
            }
            x.end("w:tcPr");
            let p = Para { jc: Some(jc), ..p };
            para(
                x,
                &p,
                &[Run {
                    size: Some(size),
                    ..Run::plain(text)
                }],
            );
            x.end("w:tc");
        };
    let base = Para {
        keep_next: true,
        snap: Some(false),
        line: Some(0),
        before: Some(100),
        after: Some(100),
        ..Para::default()
    };
    if let Some(cc) = cc {
        x.start("w:tr", &[]);
        x.start("w:trPr", &[])
            .empty("w:cantSplit", &[])
            .end("w:trPr");
        let cc = format!("抄送：{cc}");
        line(
            x,
            TEXT_W,
            2,
            &cc,
            "left",
            Para {
                left: Some(280 + 840),
                hanging: Some(840),
                ..base.clone()
            },
            28,
        );
        x.end("w:tr");
    }
    x.start("w:tr", &[]);
    x.start("w:trPr", &[])
        .empty("w:cantSplit", &[])
        .end("w:trPr");
    line(
        x,
        half,
        1,
        by.unwrap_or(""),
        "left",
        Para {
            left: Some(280),
            ..base.clone()
        },
        office_size,
    );
    let on = on.map(|d| format!("{d}印发")).unwrap_or_default();
    line(
        x,
        TEXT_W - half,
        1,
        &on,
        "right",
        Para {
            right: Some(280),
            keep_next: false,
            ..base
        },
        28,
    );
    x.end("w:tr");
    x.end("w:tbl");
}

/// `word/document.xml` of the notice.
fn document(data: &Value, fonts: &DocxFonts) -> Result<Vec<u8>> {
    let doc = data.get("doc").cloned().unwrap_or(Value::Null);
    let get = |k: &str| key(&doc, k).filter(|s| !s.is_empty());
    let mut b = Body::start(fonts);

    let (mark, number) = (get("issuer_mark"), get("number"));
    let header = mark.is_some() || number.is_some();
    if header {
        red_header(&mut b.x, &b.fonts.title, mark.as_deref(), number.as_deref());
    }
    if let Some(title) = get("title") {
        let p = Para {
            style: Some("Title"),
            before: Some(if header { 0 } else { LINE }),
            ..Para::default()
        };
        para(&mut b.x, &p, &[Run::plain(&title)]);
    }
    if let Some(r) = get("recipients") {
        para(&mut b.x, &Para::default(), &[Run::plain(&r)]);
    }
    let body = list(data, "body");
    let atts = list(data, "attachments");
    let signed = get("signature").is_some() || get("date").is_some();
    for (i, v) in body.iter().enumerate() {
        // The last paragraph stays with the 附件说明 and the signature.
        let last = i + 1 == body.len();
        block(&mut b, v, last && (signed || !atts.is_empty()))?;
    }

    // 附件说明: one blank line under the body, numbered when there are several.
    let mentions: Vec<String> = atts.iter().filter_map(|a| key(a, "mention")).collect();
    for (i, m) in mentions.iter().enumerate() {
        let keep = signed || i + 1 < mentions.len();
        if mentions.len() == 1 {
            let p = Para {
                keep_next: keep,
                before: Some(LINE),
                ..indented()
            };
            para(&mut b.x, &p, &[Run::plain(&format!("附件：{m}"))]);
        } else {
            let text = if i == 0 {
                format!("附件：{}.{m}", i + 1)
            } else {
                format!("{}.{m}", i + 1)
            };
            let p = Para {
                keep_next: keep,
                before: (i == 0).then_some(LINE),
                left: Some(5 * CHAR),
                hanging: (i == 0).then_some(3 * CHAR),
                first_line: (i > 0).then_some(0),
                ..Para::default()
            };
            para(&mut b.x, &p, &[Run::plain(&text)]);
        }
    }
    if signed {
        signature(
            &mut b.x,
            get("signature").as_deref(),
            get("date").as_deref(),
        );
    }

    for att in atts {
        let landscape = flag(att, "landscape");
        let new_page = if landscape != b.section.landscape {
            b.new_section(landscape);
            false
        } else {
            true
        };
        let label = key(att, "label").unwrap_or_default();
        let p = Para {
            keep_next: true,
            page_break_before: new_page,
            ..Para::default()
        };
        para(&mut b.x, &p, &[Run::font(&label, &b.fonts.heading)]);
        let blocks = list(att, "blocks");
        for (i, v) in blocks.iter().enumerate() {
            block(&mut b, v, false)?;
            if i + 1 == blocks.len() {
                break;
            }
            b.spacer();
        }
    }

    let (cc, by, on) = (get("cc"), get("printed_by"), get("printed_on"));
    if cc.is_some() || by.is_some() || on.is_some() {
        // GB/T 9704 §8.3: the 版记 is at the foot of the last page, the back of a sheet (an
        // even page). After landscape attachments it needs a portrait page of its own anyway:
        // that section starts on an even page (Word, WPS and LibreOffice add the blank page
        // before it when the attachments end on an even page). After portrait text it stays
        // at the foot of the page the text ends on: whether that page is even only the word
        // processor's pagination knows, and forcing a page would cost a sheet whenever it is.
        if b.section.landscape {
            b.next_section(false, true);
        }
        // One blank line between what comes before and the 版记.
        para(
            &mut b.x,
            &Para {
                snap: Some(false),
                ..Para::default()
            },
            &[],
        );
        imprint(&mut b.x, cc.as_deref(), by.as_deref(), on.as_deref());
        para(
            &mut b.x,
            &Para {
                snap: Some(false),
                line: Some(0),
                ..Para::default()
            },
            &[],
        );
    }
    b.finish()
}

/// A footer with `— PAGE —`: on GB/T 9704 pages 4号 宋体, a character in from the outer
/// edge; on the brief's pages centred.
fn footer(page: Page, odd: bool) -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.start("w:ftr", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
    let p = match page {
        Page::Official => Para {
            style: Some("Footer"),
            left: (!odd).then_some(280),
            right: odd.then_some(280),
            jc: Some(if odd { "right" } else { "left" }),
            ..Para::default()
        },
        Page::Brief => Para {
            style: Some("Footer"),
            jc: Some("center"),
            ..Para::default()
        },
    };
    page_number(&mut x, &p);
    x.end("w:ftr");
    x.finish()
}

/// `— PAGE —` as a paragraph `p`.
fn page_number(x: &mut Xml, p: &Para<'_>) {
    x.start("w:p", &[]);
    ppr(x, p, None);
    let dash = |x: &mut Xml, t: &str| run(x, &Run::plain(t));
    dash(x, "— ");
    x.start("w:r", &[])
        .empty("w:fldChar", &[("w:fldCharType", "begin")])
        .end("w:r");
    x.start("w:r", &[]);
    x.leaf("w:instrText", &[("xml:space", "preserve")], " PAGE ");
    x.end("w:r");
    x.start("w:r", &[])
        .empty("w:fldChar", &[("w:fldCharType", "separate")])
        .end("w:r");
    dash(x, "1");
    x.start("w:r", &[])
        .empty("w:fldChar", &[("w:fldCharType", "end")])
        .end("w:r");
    dash(x, " —");
    x.end("w:p");
}

/// The footer of a landscape page: the page number turned with the page, as in the PDF
/// (GB/T 9704 §10). Held portrait, the sheet's foot is the landscape page's left edge on
/// an odd page and its right edge on an even one; the number stands there, 7 mm outside
/// the text block, a character from the foot's outer end, and reads upright with the sheet
/// held portrait: a one-cell table placed on the page, its text running top to bottom
/// (`tbRl`, odd) or bottom to top (`btLr`, even). Word, WPS and LibreOffice turn table
/// text so; a rotated text box would need DrawingML shapes LibreOffice places less
/// faithfully.
fn landscape_footer(odd: bool) -> Result<Vec<u8>> {
    // The cell: one 4号 line thick, long enough for `— 123 —`.
    let (thick, long) = (400, 1700);
    // Along the edge: ending a character (4号, 4.9 mm) before the text block's end (26 mm
    // from the sheet's right edge, the landscape page's foot).
    let y = mm(210.0 - 26.0 - 4.9) - long;
    let x_pos = if odd {
        mm(37.0 - 7.0) - thick
    } else {
        mm(297.0 - 35.0 + 7.0)
    };
    let (w, h, xs, ys) = (
        thick.to_string(),
        long.to_string(),
        x_pos.to_string(),
        y.to_string(),
    );
    let mut x = Xml::new();
    x.start("w:ftr", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
    x.start("w:tbl", &[]);
    x.start("w:tblPr", &[]);
    x.empty(
        "w:tblpPr",
        &[
            ("w:leftFromText", "0"),
            ("w:rightFromText", "0"),
            ("w:vertAnchor", "page"),
            ("w:horzAnchor", "page"),
            ("w:tblpX", &xs),
            ("w:tblpY", &ys),
        ],
    );
    x.empty("w:tblW", &[("w:w", &w), ("w:type", "dxa")]);
    borders(&mut x, "none", "auto");
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    x.start("w:tblCellMar", &[]);
    for side in ["w:top", "w:left", "w:bottom", "w:right"] {
        x.empty(side, &[("w:w", "0"), ("w:type", "dxa")]);
    }
    x.end("w:tblCellMar");
    x.end("w:tblPr");
    x.start("w:tblGrid", &[]).empty("w:gridCol", &[("w:w", &w)]);
    x.end("w:tblGrid");
    x.start("w:tr", &[]).start("w:trPr", &[]);
    x.empty("w:trHeight", &[("w:val", &h), ("w:hRule", "exact")]);
    x.end("w:trPr");
    x.start("w:tc", &[]).start("w:tcPr", &[]);
    x.empty("w:tcW", &[("w:w", &w), ("w:type", "dxa")]);
    let direction = if odd { "tbRl" } else { "btLr" };
    x.empty("w:textDirection", &[("w:val", direction)]);
    x.empty("w:vAlign", &[("w:val", "center")]);
    x.end("w:tcPr");
    // The number's end at the foot's end: the line's end for top-to-bottom text, its
    // start for bottom-to-top.
    let p = Para {
        style: Some("Footer"),
        jc: Some(if odd { "right" } else { "left" }),
        ..Para::default()
    };
    page_number(&mut x, &p);
    x.end("w:tc").end("w:tr").end("w:tbl");
    // A footer ends with a paragraph.
    para(
        &mut x,
        &Para {
            style: Some("Footer"),
            ..Para::default()
        },
        &[],
    );
    x.end("w:ftr");
    x.finish()
}

/// A paragraph style.
struct Style<'a> {
    id: &'a str,
    name: &'a str,
    font: Option<&'a str>,
    size: Option<i64>,
    bold: bool,
    color: Option<&'a str>,
    para: Para<'a>,
}

impl<'a> Style<'a> {
    fn new(id: &'a str, name: &'a str, font: Option<&'a str>, size: Option<i64>) -> Self {
        Style {
            id,
            name,
            font,
            size,
            bold: false,
            color: None,
            para: Para::default(),
        }
    }
}

/// The sizes (half-points) and spacing (twips) that differ between the two kinds of page.
struct Metrics {
    body: i64,
    line: i64,
    indent: i64,
    title: i64,
    title_after: i64,
    footer: i64,
}

impl Page {
    fn metrics(self) -> Metrics {
        match self {
            Page::Official => Metrics {
                body: 32,
                line: LINE,
                indent: 2 * CHAR,
                title: 44,
                title_after: LINE,
                footer: 28,
            },
            // brief.typ: 11.5 pt text with 0.62 em leading (18.6 pt a line), 19 pt title,
            // 9 pt page numbers.
            Page::Brief => Metrics {
                body: 23,
                line: 372,
                indent: 460,
                title: 38,
                title_after: 0,
                footer: 18,
            },
        }
    }
}

fn styles(page: Page, fonts: &DocxFonts) -> Result<Vec<u8>> {
    let m = page.metrics();
    let body_size = m.body.to_string();
    let mut x = Xml::new();
    x.start("w:styles", &[("xmlns:w", NS_W)]);
    x.start("w:docDefaults", &[]);
    x.start("w:rPrDefault", &[]).start("w:rPr", &[]);
    rfonts(&mut x, &fonts.body);
    if page == Page::Official {
        // Condensed by ¼ pt: a 16 pt character then fits the 15.79 pt cell of the
        // 28-character grid, also in LibreOffice (which gives a character wider than its
        // cell two cells).
        x.empty("w:spacing", &[("w:val", "-5")]);
    }
    x.empty("w:kern", &[("w:val", "0")]);
    x.empty("w:sz", &[("w:val", &body_size)])
        .empty("w:szCs", &[("w:val", &body_size)]);
    x.empty(
        "w:lang",
        &[
            ("w:val", "en-US"),
            ("w:eastAsia", "zh-CN"),
            ("w:bidi", "ar-SA"),
        ],
    );
    x.end("w:rPr").end("w:rPrDefault");
    x.start("w:pPrDefault", &[]);
    ppr(
        &mut x,
        &Para {
            line: Some(m.line),
            tight: true,
            jc: Some("both"),
            ..Para::default()
        },
        None,
    );
    x.end("w:pPrDefault");
    x.end("w:docDefaults");
    let body_indent = Para {
        first_line: Some(m.indent),
        ..Para::default()
    };
    let brief = page == Page::Brief;
    let heading = |id, name, font, size| Style {
        para: Para {
            keep_next: true,
            // The brief's headings stand apart from the text, as in brief.typ.
            before: brief.then_some(180),
            after: brief.then_some(80),
            ..body_indent.clone()
        },
        ..Style::new(id, name, font, size)
    };
    let off_grid = Para {
        snap: Some(false),
        line: Some(0),
        ..Para::default()
    };
    let list = [
        // The size also here, not only in the defaults: LibreOffice takes the grid's
        // character width from the Normal style's size (12 pt when it has none).
        Style::new("Normal", "Normal", Some(&fonts.body), Some(m.body)),
        Style {
            para: body_indent.clone(),
            ..Style::new("BodyText", "公文正文", None, None)
        },
        Style {
            bold: brief,
            para: Para {
                jc: Some("center"),
                after: Some(m.title_after),
                keep_next: true,
                // A 19 pt title does not fit the brief's 18.6 pt lines.
                line: brief.then_some(0),
                ..Para::default()
            },
            ..Style::new("Title", "Title", Some(&fonts.title), Some(m.title))
        },
        Style {
            color: brief.then_some(ACCENT),
            ..heading(
                "Heading1",
                "heading 1",
                Some(&fonts.heading),
                brief.then_some(25),
            )
        },
        Style {
            bold: brief,
            ..heading(
                "Heading2",
                "heading 2",
                Some(&fonts.kai),
                brief.then_some(24),
            )
        },
        heading("Heading3", "heading 3", None, None),
        Style {
            para: Para {
                jc: Some("center"),
                ..off_grid.clone()
            },
            ..Style::new("TableText", "表格文字", Some(SONG), Some(21))
        },
        Style {
            para: off_grid,
            color: brief.then_some(MUTED),
            ..Style::new("Footer", "footer", Some(SONG), Some(m.footer))
        },
    ];
    for s in list {
        let mut attrs = vec![("w:type", "paragraph"), ("w:styleId", s.id)];
        if s.id == "Normal" {
            attrs.push(("w:default", "1"));
        }
        x.start("w:style", &attrs);
        x.empty("w:name", &[("w:val", s.name)]);
        if s.id != "Normal" {
            x.empty("w:basedOn", &[("w:val", "Normal")]);
        }
        x.empty("w:qFormat", &[]);
        ppr(&mut x, &s.para, None);
        if s.font.is_some() || s.size.is_some() || s.bold || s.color.is_some() {
            x.start("w:rPr", &[]);
            if let Some(f) = s.font {
                rfonts(&mut x, f);
            }
            if s.bold {
                x.empty("w:b", &[]).empty("w:bCs", &[]);
            }
            if let Some(c) = s.color {
                x.empty("w:color", &[("w:val", c)]);
            }
            if let Some(sz) = s.size.map(|v| v.to_string()) {
                x.empty("w:sz", &[("w:val", &sz)])
                    .empty("w:szCs", &[("w:val", &sz)]);
            }
            x.end("w:rPr");
        }
        x.end("w:style");
    }
    x.end("w:styles");
    x.finish()
}

fn settings() -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.start("w:settings", &[("xmlns:w", NS_W)]);
    // (In schema order: Word refuses settings out of order.)
    x.empty("w:defaultTabStop", &[("w:val", "420")]);
    // Odd pages number on the right, even pages on the left.
    x.empty("w:evenAndOddHeaders", &[]);
    x.empty(
        "w:characterSpacingControl",
        &[("w:val", "compressPunctuation")],
    );
    x.start("w:compat", &[]);
    x.empty("w:doNotExpandShiftReturn", &[]);
    x.end("w:compat");
    x.end("w:settings");
    x.finish()
}

fn font_table(fonts: &DocxFonts) -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.start("w:fonts", &[("xmlns:w", NS_W)]);
    let list = font_list(fonts);
    for (i, (name, alt)) in list.iter().enumerate() {
        // A configured family may be one of the fallbacks: each font once.
        if list[..i].iter().any(|(n, _)| n == name) {
            continue;
        }
        x.start("w:font", &[("w:name", name)]);
        x.empty("w:altName", &[("w:val", alt)]);
        x.empty("w:charset", &[("w:val", "86")]);
        x.empty(
            "w:family",
            &[(
                "w:val",
                if *name == fonts.heading {
                    "modern"
                } else {
                    "roman"
                },
            )],
        );
        x.empty("w:pitch", &[("w:val", "variable")]);
        x.end("w:font");
    }
    x.end("w:fonts");
    x.finish()
}

fn relationships(rels: &[(&str, &str, &str)]) -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.start(
        "Relationships",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/relationships",
        )],
    );
    for (id, kind, target) in rels {
        let kind = format!("http://schemas.openxmlformats.org/{kind}");
        x.empty(
            "Relationship",
            &[("Id", id), ("Type", &kind), ("Target", target)],
        );
    }
    x.end("Relationships");
    x.finish()
}

/// The relationship id of the `n`th chart (from 1).
pub(super) fn chart_rel_id(n: usize) -> String {
    format!("rIdChart{n}")
}

const OFFICE_REL: &str = "officeDocument/2006/relationships";

/// The notice's `.docx` bytes from the notice data (`doc`, `body`, `attachments`) in
/// `fonts`, dated `date` (core properties and zip entries).
pub(crate) fn notice(data: &Value, fonts: &DocxFonts, date: NaiveDate) -> Result<Vec<u8>> {
    word_package(data, document(data, fonts)?, fonts, date)
}

/// The `.docx` around `word/document.xml`: the GB/T 9704 styles, settings, font table and
/// `— n —` footers, with `doc.title` and `doc.signature` as title and creator, dated `date`.
pub(super) fn word_package(
    data: &Value,
    document: Vec<u8>,
    fonts: &DocxFonts,
    date: NaiveDate,
) -> Result<Vec<u8>> {
    word_package_on(Page::Official, data, document, Vec::new(), fonts, date)
}

/// [`word_package`] on `page`, with `charts` (`c:chartSpace` parts and their workbooks) as
/// `word/charts/chart{n}.xml` and `word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx`,
/// related to the document as `rIdChart{n}` (n from 1).
pub(super) fn word_package_on(
    page: Page,
    data: &Value,
    document: Vec<u8>,
    charts: Vec<(Vec<u8>, Vec<u8>)>,
    fonts: &DocxFonts,
    date: NaiveDate,
) -> Result<Vec<u8>> {
    let doc = data.get("doc").cloned().unwrap_or(Value::Null);
    let title = key(&doc, "title").unwrap_or_default().replace('\n', "");
    let creator = key(&doc, "signature").unwrap_or_default();
    let chart_rels: Vec<(String, String, String)> = (1..=charts.len())
        .map(|n| {
            (
                chart_rel_id(n),
                format!("{OFFICE_REL}/chart"),
                format!("charts/chart{n}.xml"),
            )
        })
        .collect();
    let mut rels: Vec<(&str, String, &str)> = vec![
        ("rIdStyles", format!("{OFFICE_REL}/styles"), "styles.xml"),
        (
            "rIdSettings",
            format!("{OFFICE_REL}/settings"),
            "settings.xml",
        ),
        (
            "rIdFonts",
            format!("{OFFICE_REL}/fontTable"),
            "fontTable.xml",
        ),
    ];
    // The footers: odd and even pages, and on GB/T 9704 pages those of landscape pages.
    let mut footers = vec![
        ("rIdFooterOdd", footer(page, true)?),
        ("rIdFooterEven", footer(page, false)?),
    ];
    if page == Page::Official {
        footers.push(("rIdFooterLandscapeOdd", landscape_footer(true)?));
        footers.push(("rIdFooterLandscapeEven", landscape_footer(false)?));
    }
    let footer_files: Vec<String> = (1..=footers.len())
        .map(|n| format!("footer{n}.xml"))
        .collect();
    for ((id, _), file) in footers.iter().zip(&footer_files) {
        rels.push((id, format!("{OFFICE_REL}/footer"), file));
    }
    rels.extend(
        chart_rels
            .iter()
            .map(|(id, kind, target)| (id.as_str(), kind.clone(), target.as_str())),
    );
    let rels: Vec<(&str, &str, &str)> = rels.iter().map(|(a, b, c)| (*a, b.as_str(), *c)).collect();
    let mut parts = vec![
        Part {
            path: "_rels/.rels".into(),
            content_type: None,
            bytes: relationships(&[
                (
                    "rId1",
                    &format!("{OFFICE_REL}/officeDocument"),
                    "word/document.xml",
                ),
                (
                    "rId2",
                    "package/2006/relationships/metadata/core-properties",
                    "docProps/core.xml",
                ),
            ])?,
        },
        Part {
            path: "docProps/core.xml".into(),
            content_type: Some("application/vnd.openxmlformats-package.core-properties+xml"),
            bytes: core_properties(&title, &creator, date)?,
        },
        Part {
            path: "word/_rels/document.xml.rels".into(),
            content_type: None,
            bytes: relationships(&rels)?,
        },
        Part {
            path: "word/document.xml".into(),
            content_type: Some(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
            bytes: document,
        },
        Part {
            path: "word/styles.xml".into(),
            content_type: Some(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
            ),
            bytes: styles(page, fonts)?,
        },
        Part {
            path: "word/settings.xml".into(),
            content_type: Some(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
            ),
            bytes: settings()?,
        },
        Part {
            path: "word/fontTable.xml".into(),
            content_type: Some(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
            ),
            bytes: font_table(fonts)?,
        },
    ];
    parts.extend(
        footers
            .into_iter()
            .zip(&footer_files)
            .map(|((_, bytes), file)| Part {
                path: format!("word/{file}"),
                content_type: Some(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
                ),
                bytes,
            }),
    );
    for (i, (chart, workbook)) in charts.into_iter().enumerate() {
        let n = i + 1;
        let embedded = format!("Microsoft_Excel_Worksheet{n}.xlsx");
        parts.push(Part {
            path: format!("word/charts/chart{n}.xml"),
            content_type: Some("application/vnd.openxmlformats-officedocument.drawingml.chart+xml"),
            bytes: chart,
        });
        parts.push(Part {
            path: format!("word/charts/_rels/chart{n}.xml.rels"),
            content_type: None,
            bytes: relationships(&[(
                super::chart::WORKBOOK_REL,
                &format!("{OFFICE_REL}/package"),
                &format!("../embeddings/{embedded}"),
            )])?,
        });
        parts.push(Part {
            path: format!("word/embeddings/{embedded}"),
            content_type: Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            bytes: workbook,
        });
    }
    package(parts, date)
}
