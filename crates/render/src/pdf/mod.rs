//! PDF rendering with embedded Typst.
//!
//! A PDF is made from a Typst *template* (the main source), the report data as JSON and
//! the shared layout library, compiled in a closed [`world`](self) (no file system, no
//! package downloads, a fixed date) with a [`Fonts`] set loaded once per run.
//!
//! # Template conventions
//! - The report data is the virtual file [`DATA_PATH`] (`/data.json`); a template reads it
//!   with `#let data = json("/data.json")`. Data is never spliced into markup, so a region
//!   named `#read("/etc/passwd")` prints as those characters.
//! - `data.fonts` holds the resolved font roles ([`ResolvedRoles::to_json`]: `title`,
//!   `heading`, `body`, `kai`, `song`, each a list of installed families); [`data_file`]
//!   puts them there. Templates write `text(font: data.fonts.body)`, never a font name.
//! - The GB/T 9704-2012 layout library is `/lib/official.typ` ([`library_files`]); a
//!   template imports it with `#import "/lib/official.typ": *`. It reads `fonts` from
//!   `/data.json` itself. Its functions and the JSON keys it expects are documented at
//!   the top of `crates/render/templates/typst/official.typ`.
//! - Built-in templates live in `crates/render/templates/typst/` and are embedded in the
//!   binary; a directory given as override replaces any of them by file name
//!   ([`template`], [`library_files`]).
//! - With `--emit-typst`, writing the main file, `data.json` and `lib/official.typ`
//!   into one directory lets `typst compile --root DIR DIR/notice.typ` rebuild the PDF.
//!
//! # Example
//! ```no_run
//! use chrono::NaiveDate;
//! use gonggu_render::pdf::{self, FontOptions, FontRoles, Fonts, PdfJob};
//!
//! let fonts = Fonts::load(&FontOptions::default())?;
//! let roles = FontRoles::default().resolve(&fonts);
//! let data = serde_json::json!({ "doc": { "title": "关于……的通报" }, "body": [] });
//! let mut files = pdf::library_files(None)?;
//! files.push(pdf::data_file(&data, &roles)?);
//! let main = pdf::template("document.typ", None)?;
//! let job = PdfJob {
//!     main_name: "document.typ",
//!     main: &main,
//!     files,
//!     date: NaiveDate::from_ymd_opt(2021, 12, 11).unwrap_or_default(),
//! };
//! let pdf = pdf::render_pdf(&job, &fonts)?;
//! std::fs::write("通报.pdf", &pdf.bytes).ok();
//! # Ok::<(), gonggu_render::Error>(())
//! ```

// `crate::Error` is large by design (every input error carries its `Place`); whether to box
// it is a crate-wide decision for error.rs, not for this module.
#![allow(clippy::result_large_err)]

mod fonts;
mod world;

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use typst::diag::Warned;
use typst::foundations::{Datetime, Smart};
use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

pub use fonts::{FontOptions, FontRoles, Fonts, ResolvedRoles};

use crate::error::{Error, Result};
use world::GongguWorld;

/// Virtual path of the report data every template reads.
pub const DATA_PATH: &str = "/data.json";

/// Virtual directory of the shared Typst libraries (`/lib/official.typ`).
pub const LIBRARY_DIR: &str = "/lib";

/// Built-in templates, by file name.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "official.typ",
        include_str!("../../templates/typst/official.typ"),
    ),
    (
        "document.typ",
        include_str!("../../templates/typst/document.typ"),
    ),
];

/// Library files placed under [`LIBRARY_DIR`] for every template.
const LIBRARY_NAMES: &[&str] = &["official.typ"];

/// Most characters listed in a [`Error::MissingGlyphs`] message.
const MAX_LISTED_CHARS: usize = 30;

/// One PDF to render.
#[derive(Debug, Clone)]
pub struct PdfJob<'a> {
    /// The main file's name, used in messages (`notice.typ`); it is also its virtual path
    /// (`/notice.typ`).
    pub main_name: &'a str,
    /// The main Typst source (a template, see [`template`]).
    pub main: &'a str,
    /// Further virtual files: absolute path (`/data.json`, `/lib/official.typ`) and bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// The report's date: Typst's `datetime.today()` and the PDF creation date.
    pub date: NaiveDate,
}

/// A rendered PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPdf {
    /// The PDF file's bytes; the caller writes them.
    pub bytes: Vec<u8>,
    /// Typst warnings, in Chinese, each naming the template file, line and column.
    pub warnings: Vec<String>,
    /// Number of pages.
    pub pages: usize,
}

/// Compiles a template to PDF.
///
/// Same job and fonts give the same bytes: the date comes from `job.date`, the PDF
/// identifier from the file name and date, never from the clock.
///
/// # Errors
/// - [`Error::MissingGlyphs`] when no installed font can show some characters: checked
///   before compiling when no Chinese font is installed at all, and after layout for
///   every glyph of the document (a missing glyph is never drawn as a box).
/// - [`Error::Template`] when the template does not compile; the message lists every
///   error with file name, line and column, in Chinese (Typst's own wording in addition).
///   Imports of Typst packages (`@preview/…`) and reads of files that were not handed
///   over (`read("/etc/passwd")`) are such errors.
/// - [`Error::Render`] when PDF export fails.
pub fn render_pdf(job: &PdfJob<'_>, fonts: &Fonts) -> Result<RenderedPdf> {
    precheck_fonts(job, fonts)?;
    let world = GongguWorld::new(job.main_name, job.main, &job.files, job.date, fonts)?;

    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let warnings: Vec<String> = warnings.iter().map(|w| world.describe(w)).collect();
    let document = output.map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| world.describe(e)).collect();
        Error::Template(format!(
            "Typst 模板 {} 无法编译：\n{}",
            job.main_name,
            list.join("\n")
        ))
    })?;

    let mut missing = CharList::default();
    for page in document.pages() {
        missing_glyphs(&page.frame, &mut missing);
    }
    if !missing.is_empty() {
        return Err(Error::MissingGlyphs {
            chars: missing.describe(),
        });
    }

    let timestamp = Datetime::from_ymd_hms(
        job.date.year(),
        u8::try_from(job.date.month()).unwrap_or(1),
        u8::try_from(job.date.day()).unwrap_or(1),
        0,
        0,
        0,
    )
    .map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(format!("gonggu/{}/{}", job.main_name, job.date)),
        creator: Smart::Custom(Some(format!("gonggu {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &options).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| world.describe(e)).collect();
        Error::Render {
            what: "PDF",
            message: list.join("；"),
        }
    })?;
    let pages = document.pages().len();
    // Typst memoises across compilations; keep a run that renders many PDFs from growing.
    typst::comemo::evict(10);
    Ok(RenderedPdf {
        bytes,
        warnings,
        pages,
    })
}

/// Fails before compiling when no Chinese font is installed and the inputs hold
/// characters no font covers: Typst would draw boxes, or nothing at all when the set is
/// empty.
fn precheck_fonts(job: &PdfJob<'_>, fonts: &Fonts) -> Result<()> {
    if fonts.has_cjk() {
        return Ok(());
    }
    let mut uncovered = CharList::default();
    // Data files first (they are what the document shows), then Typst sources.
    let (sources, data): (Vec<_>, Vec<_>) = job
        .files
        .iter()
        .partition(|(path, _)| path.ends_with(".typ"));
    let texts = data
        .into_iter()
        .chain(sources)
        .filter_map(|(_, bytes)| std::str::from_utf8(bytes).ok())
        .chain(std::iter::once(job.main));
    for text in texts {
        for c in text.chars() {
            if !c.is_whitespace() && !c.is_control() && !uncovered.contains(c) && !fonts.covers(c) {
                uncovered.push(c);
            }
        }
    }
    if uncovered.is_empty() {
        Ok(())
    } else {
        Err(Error::MissingGlyphs {
            chars: uncovered.describe(),
        })
    }
}

/// Collects the characters of `frame` (and its groups) that were shaped with the
/// `.notdef` glyph or that the font used does not cover.
fn missing_glyphs(frame: &Frame, out: &mut CharList) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => missing_glyphs(&group.frame, out),
            FrameItem::Text(text) => {
                let info = text.font.font().info();
                for glyph in &text.glyphs {
                    let Some(cluster) = text.text.get(glyph.range()) else {
                        continue;
                    };
                    for c in cluster.chars() {
                        if typst::text::is_default_ignorable(c) || matches!(c, ' ' | '\t' | '\n') {
                            continue;
                        }
                        let uncovered = !c.is_whitespace()
                            && !c.is_control()
                            && !info.coverage.contains(u32::from(c));
                        if glyph.id == 0 || uncovered {
                            out.push(c);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Distinct characters in order of first appearance.
#[derive(Default)]
struct CharList {
    order: Vec<char>,
    seen: BTreeSet<char>,
}

impl CharList {
    fn push(&mut self, c: char) {
        if self.seen.insert(c) {
            self.order.push(c);
        }
    }

    fn contains(&self, c: char) -> bool {
        self.seen.contains(&c)
    }

    fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// `「商」、「丘」、U+E000 …` for a message: non-ASCII characters first (they are what
    /// a missing Chinese font lacks), printable ones as themselves, others by code point.
    fn describe(&self) -> String {
        let mut chars = self.order.clone();
        chars.sort_by_key(char::is_ascii); // stable: appearance order within each group
        let mut parts: Vec<String> = chars
            .iter()
            .take(MAX_LISTED_CHARS)
            .map(|&c| {
                let private = matches!(u32::from(c), 0xE000..=0xF8FF | 0xF0000..);
                if c.is_whitespace() || c.is_control() || private {
                    format!("U+{:04X}", u32::from(c))
                } else {
                    format!("「{c}」")
                }
            })
            .collect();
        if chars.len() > MAX_LISTED_CHARS {
            parts.push(format!("等共 {} 个字符", chars.len()));
        }
        parts.join("、")
    }
}

/// The text of a Typst template: `override_dir/name` when that file exists, else the
/// built-in template of that name.
///
/// # Errors
/// [`Error::Template`] when `name` is not a plain file name or no template has that name;
/// [`Error::Io`] when the override file exists but cannot be read as UTF-8 text.
///
/// # Examples
/// ```
/// use gonggu_render::pdf::template;
/// assert!(template("official.typ", None)?.contains("GB/T 9704"));
/// assert!(template("../secret.typ", None).is_err());
/// # Ok::<(), gonggu_render::Error>(())
/// ```
pub fn template(name: &str, override_dir: Option<&Path>) -> Result<String> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(Error::Template(format!(
            "模板名「{name}」无效：只能是文件名，如 document.typ。"
        )));
    }
    if let Some(dir) = override_dir {
        let path = dir.join(name);
        if path.is_file() {
            return std::fs::read_to_string(&path).map_err(|source| Error::Io { path, source });
        }
    }
    BUILTIN_TEMPLATES
        .iter()
        .find(|(builtin, _)| *builtin == name)
        .map(|(_, text)| (*text).to_owned())
        .ok_or_else(|| {
            let known: Vec<&str> = BUILTIN_TEMPLATES.iter().map(|(n, _)| *n).collect();
            Error::Template(format!(
                "没有名为「{name}」的 Typst 模板（内置模板：{}）。",
                known.join("、")
            ))
        })
}

/// The shared Typst libraries as virtual files (`/lib/official.typ`), each taken from
/// `override_dir` when present there, else built in. Add them to [`PdfJob::files`].
///
/// # Errors
/// As [`template`].
pub fn library_files(override_dir: Option<&Path>) -> Result<Vec<(String, Vec<u8>)>> {
    LIBRARY_NAMES
        .iter()
        .map(|name| {
            let text = template(name, override_dir)?;
            Ok((format!("{LIBRARY_DIR}/{name}"), text.into_bytes()))
        })
        .collect()
}

/// The report data as the virtual file [`DATA_PATH`], with the resolved font roles put
/// under its `fonts` key. Add it to [`PdfJob::files`].
///
/// # Errors
/// [`Error::Render`] when `data` is not a JSON object.
///
/// # Examples
/// ```no_run
/// use gonggu_render::pdf::{data_file, FontOptions, FontRoles, Fonts};
/// let fonts = Fonts::load(&FontOptions::default())?;
/// let roles = FontRoles::default().resolve(&fonts);
/// let (path, bytes) = data_file(&serde_json::json!({ "doc": {} }), &roles)?;
/// assert_eq!(path, "/data.json");
/// assert!(data_file(&serde_json::json!([1, 2]), &roles).is_err());
/// # Ok::<(), gonggu_render::Error>(())
/// ```
pub fn data_file(data: &serde_json::Value, roles: &ResolvedRoles) -> Result<(String, Vec<u8>)> {
    let serde_json::Value::Object(map) = data else {
        return Err(Error::Render {
            what: "PDF",
            message: "报告数据必须是 JSON 对象（{…}）".to_owned(),
        });
    };
    let mut map = map.clone();
    map.insert("fonts".to_owned(), roles.to_json());
    let bytes = serde_json::to_vec_pretty(&serde_json::Value::Object(map)).map_err(|err| {
        Error::Render {
            what: "PDF",
            message: format!("报告数据无法写成 JSON：{err}"),
        }
    })?;
    Ok((DATA_PATH.to_owned(), bytes))
}

#[cfg(test)]
pub(crate) mod tests;
