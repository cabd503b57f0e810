//! The library's error type. Every error that comes from input names its place.

use std::fmt;
use std::path::PathBuf;

/// Where in the input something was found: file, sheet, Excel row, column header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    /// File name as given.
    pub file: String,
    /// Sheet name (`None` for CSV).
    pub sheet: Option<String>,
    /// 1-based Excel row number.
    pub row: Option<u32>,
    /// Column header as written.
    pub column: Option<String>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "文件 {}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, "，工作表「{sheet}」")?;
        }
        if let Some(row) = self.row {
            write!(f, "，第 {row} 行")?;
        }
        if let Some(col) = &self.column {
            write!(f, "，列「{col}」")?;
        }
        Ok(())
    }
}

/// Everything that makes a run meaningless. Problems inside the data are not errors: they
/// are findings (see [`crate::model::BadValue`] and [`crate::validate`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened or read.
    #[error("无法读取文件 {}：{}", path.display(), io_reason(source))]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file is not a readable workbook or CSV (corrupt zip, wrong format).
    #[error("文件 {file} 无法解析（{reason}）。请确认它是 xlsx、xls、ods 或 csv 文件，且未损坏。")]
    Unreadable {
        /// File name.
        file: String,
        /// What the reader said.
        reason: String,
    },
    /// A file is not what its name says (a web page saved as `.xls`, a workbook named
    /// `.csv`, a Word document…), or is no spreadsheet at all. The message says what the
    /// file is and what to do with it.
    #[error("文件 {file}：{message}")]
    FileKind {
        /// File name.
        file: String,
        /// What the file is and what to do, in Chinese.
        message: String,
    },
    /// A workbook is password-protected (encrypted): gonggu cannot read it.
    #[error(
        "文件 {file} 设置了打开密码（{what}），gonggu 无法读取。请在 Excel 中打开它，去掉密码后另存（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码后确定），再重新导入。"
    )]
    Encrypted {
        /// File name.
        file: String,
        /// Which kind of protection was found.
        what: String,
    },
    /// A workbook's inner structure is broken or claims more than the file holds
    /// (truncated, damaged in transfer, or written by faulty software). Found before the
    /// workbook library reads it, so that a bad file cannot exhaust memory.
    #[error(
        "{place}：文件已损坏，{reason}。请从系统重新导出，或用 Excel 打开后另存为 .xlsx 再试。"
    )]
    Corrupt {
        /// File, and the sheet and row when known.
        place: Place,
        /// What is wrong, in Chinese (with the cell when known).
        reason: String,
    },
    /// A file or sheet holds no data at all.
    #[error("文件 {file} 是空的，没有可读取的数据。")]
    Empty {
        /// File name.
        file: String,
    },
    /// No sheet of a file has a header row gonggu recognises.
    #[error("{place}：前 10 行中没有找到可识别的表头。{hint}")]
    NoHeader {
        /// File (and sheet).
        place: Place,
        /// What was seen, to help the user.
        hint: String,
    },
    /// A required column is missing.
    #[error("{place}：{table}缺少必需的列「{column}」。找到的表头：{found}")]
    MissingColumn {
        /// File and sheet.
        place: Place,
        /// Table kind label (人员表…).
        table: &'static str,
        /// Canonical column name.
        column: String,
        /// The headers that were found, joined.
        found: String,
    },
    /// A value that must be valid is not (a figure in a 汇总, or any value with `--strict`).
    #[error("{place}：值「{value}」不是有效的{expected}。")]
    BadValue {
        /// File, sheet, row and column.
        place: Place,
        /// The text found.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// Input tables that contradict how they may be used (e.g. a rate column in a 汇总).
    #[error("{place}：{message}")]
    Input {
        /// Where.
        place: Place,
        /// Chinese explanation with the fix.
        message: String,
    },
    /// The inputs hold no data row: only headers, totals, targets, or rows of other
    /// counties than the configured one. A report of zeros would be a false report.
    #[error("输入中没有可统计的数据行：{0}")]
    NoData(String),
    /// Not one selected indicator can be computed from the inputs (each reason is given).
    #[error("没有可以报告的指标：{0}")]
    NoIndicators(String),
    /// The configuration file or a flag is invalid.
    #[error("配置错误：{0}")]
    Config(String),
    /// The indicator catalog is invalid.
    #[error("指标目录错误：{0}")]
    Catalog(String),
    /// The records behind a figure cannot be listed: an unknown indicator or region (with
    /// the closest names), or a figure that no record table of the inputs gives (a 汇总
    /// holds numbers only; the message names the inputs that would give the records).
    #[error("{0}")]
    Explain(String),
    /// The history database (`gonggu.db`) cannot be opened, read or written: locked by
    /// another run for too long, made by a newer gonggu, damaged, or on a full disk.
    #[error("历史库 {}：{message}", path.display())]
    History {
        /// The database file.
        path: PathBuf,
        /// What went wrong, in Chinese.
        message: String,
    },
}

/// What went wrong with a file, in the user's words (the system's own text is English).
///
/// # Examples
/// ```
/// use gonggu_core::error::io_reason;
/// let e = std::io::Error::from(std::io::ErrorKind::NotFound);
/// assert_eq!(io_reason(&e), "文件不存在");
/// ```
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件不存在".into(),
        K::PermissionDenied => "没有权限（请检查文件是否被其他程序占用或设为只读）".into(),
        K::IsADirectory => "这是一个文件夹，不是文件".into(),
        K::NotADirectory => "路径中有一段不是文件夹".into(),
        K::AlreadyExists => "已存在同名文件".into(),
        K::StorageFull => "磁盘已满".into(),
        K::ReadOnlyFilesystem => "所在磁盘是只读的".into(),
        K::InvalidData => "内容无法识别".into(),
        K::UnexpectedEof => "文件不完整（可能未下载完或已损坏）".into(),
        _ => format!("系统错误（{}）", e.kind()),
    }
}

/// Result alias of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
