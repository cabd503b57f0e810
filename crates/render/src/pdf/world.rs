//! The Typst [`World`] of gonggu: one main source held in memory, a few virtual files
//! (report data, layout library) given as bytes, the standard library, a loaded font set
//! and a fixed date. No real file system, no package downloads: a template sees exactly
//! what the caller handed over, and the same inputs always give the same document.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{LazyLock, OnceLock};

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult, PackageError, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{DiagSpan, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};

use super::fonts::Fonts;
use crate::error::{Error, Result};

/// The standard library is the same for every document; build it once.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// A file of the virtual file system.
struct VirtualFile {
    bytes: Bytes,
    /// Parsed on first use; a data file that is never imported is never parsed.
    source: OnceLock<FileResult<Source>>,
}

/// The compilation environment of one PDF.
pub(crate) struct GongguWorld<'a> {
    fonts: &'a Fonts,
    main: FileId,
    /// The main file's name as the user knows it (`notice.typ`), for messages.
    main_name: String,
    files: HashMap<FileId, VirtualFile>,
    today: Option<Datetime>,
}

/// The id of a path in the project root (`/data.json`, `/lib/official.typ`).
fn project_id(path: &str) -> Result<FileId> {
    let vpath = VirtualPath::new(path).map_err(|err| {
        Error::Template(format!(
            "虚拟文件路径「{path}」无效（{err}）。路径应形如 /data.json。"
        ))
    })?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// Converts a date to Typst's date type.
pub(crate) fn typst_date(date: NaiveDate) -> Option<Datetime> {
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    Datetime::from_ymd(date.year(), month, day)
}

impl<'a> GongguWorld<'a> {
    /// A world whose main source is `main` (reported as `main_name`), with `files` at their
    /// absolute virtual paths and `today()` = `date`.
    pub(crate) fn new(
        main_name: &str,
        main: &str,
        files: &[(String, Vec<u8>)],
        date: NaiveDate,
        fonts: &'a Fonts,
    ) -> Result<Self> {
        let file_name = main_name.rsplit(['/', '\\']).next().unwrap_or(main_name);
        let main_id = project_id(&format!("/{file_name}"))?;
        let mut map = HashMap::new();
        for (path, bytes) in files {
            let id = project_id(path)?;
            map.insert(
                id,
                VirtualFile {
                    bytes: Bytes::new(bytes.clone()),
                    source: OnceLock::new(),
                },
            );
        }
        // The main source is given as a string and takes the place of any file of that name.
        let source = Source::new(main_id, main.to_owned());
        let cell = OnceLock::new();
        let _ = cell.set(Ok(source));
        map.insert(
            main_id,
            VirtualFile {
                bytes: Bytes::from_string(main.to_owned()),
                source: cell,
            },
        );
        Ok(GongguWorld {
            fonts,
            main: main_id,
            main_name: main_name.to_owned(),
            files: map,
            today: typst_date(date),
        })
    }

    fn lookup(&self, id: FileId) -> FileResult<&VirtualFile> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Package(PackageError::Other(Some(
                format!(
                    "gonggu 不下载 Typst 包，不能导入 {spec}；请改用内置的 /lib/official.typ，或把所需代码复制进模板"
                )
                .into(),
            ))));
        }
        self.files
            .get(&id)
            .ok_or_else(|| FileError::NotFound(PathBuf::from(id.vpath().get_with_slash())))
    }

    /// The name of a file for messages: the main file by the name the user gave it, other
    /// virtual files by their path.
    fn display_name(&self, id: FileId) -> String {
        if id == self.main {
            self.main_name.clone()
        } else {
            id.vpath().get_with_slash().to_string()
        }
    }

    /// `文件 第 L 行第 C 列` for a diagnostic span (1-based), or the main file's name when the
    /// span points nowhere.
    fn place(&self, span: DiagSpan) -> String {
        let Some(id) = span.id() else {
            return self.main_name.clone();
        };
        let name = self.display_name(id);
        let Some(range) = self.range(span) else {
            return name;
        };
        let Ok(file) = self.lookup(id) else {
            return name;
        };
        let bytes = file.bytes.as_slice();
        let before = bytes.get(..range.start).unwrap_or(bytes);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
            .chars()
            .count()
            + 1;
        format!("{name} 第 {line} 行第 {column} 列")
    }

    /// A diagnostic in Chinese: place, kind, Typst's message (with the commonest messages
    /// explained), hints and the call trace.
    pub(crate) fn describe(&self, diag: &SourceDiagnostic) -> String {
        let kind = match diag.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let mut out = format!(
            "{}：{kind}：{}",
            self.place(diag.span),
            explain(&diag.message)
        );
        for hint in &diag.hints {
            out.push_str(&format!("（提示：{}）", hint.v));
        }
        for point in &diag.trace {
            out.push_str(&format!(
                "\n  位于 {}（{}）",
                self.place(point.span.into()),
                point.v
            ));
        }
        out
    }
}

/// Adds a Chinese explanation to Typst messages a template author is likely to meet.
fn explain(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("file not found (searched at ") {
        let path = rest.strip_suffix(')').unwrap_or(rest);
        return format!(
            "找不到文件 {path}（模板只能读取随报告提供的虚拟文件，如 /data.json、/lib/official.typ）"
        );
    }
    if let Some(name) = message.strip_prefix("unknown variable: ") {
        return format!("未定义的变量 {name}（{message}）");
    }
    if message.starts_with("dictionary does not contain key") {
        return format!("数据中缺少这个键（{message}）");
    }
    message.to_owned()
}

impl World for GongguWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let file = self.lookup(id)?;
        file.source
            .get_or_init(|| {
                let text = std::str::from_utf8(file.bytes.as_slice())?;
                // Typst sources may start with a byte-order mark when saved by Windows editors.
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                Ok(Source::new(id, text.to_owned()))
            })
            .clone()
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        Ok(self.lookup(id)?.bytes.clone())
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // The report's date, whatever the clock says: output must be reproducible.
        self.today
    }
}
