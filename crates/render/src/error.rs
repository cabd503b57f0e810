//! The renderers' error type: a template that does not fit the report, a writer that failed,
//! a font that is missing.

use std::path::PathBuf;

/// Everything that stops a report from becoming bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A template override or font file could not be read.
    #[error("无法读取文件 {}：{}", path.display(), gonggu_core::error::io_reason(source))]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A template (minijinja or Typst) failed.
    #[error("模板错误：{0}")]
    Template(String),
    /// Rendering an output failed.
    #[error("生成{what}失败：{message}")]
    Render {
        /// What was being rendered (通报表、PDF …).
        what: &'static str,
        /// The cause.
        message: String,
    },
    /// No installed font covers some characters of a PDF.
    #[error(
        "没有找到能显示以下字符的字体：{chars}。请安装中文字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），或用 --font-dir 指定字体目录。"
    )]
    MissingGlyphs {
        /// The characters without a glyph.
        chars: String,
    },
    /// The report could not be built from its inputs (raised by `gonggu-core`).
    #[error(transparent)]
    Core(#[from] gonggu_core::Error),
}

/// Result alias of the renderers.
pub type Result<T, E = Error> = std::result::Result<T, E>;
