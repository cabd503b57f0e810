//! The demo generator's error type.

/// Writing the demo's input files failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A workbook, CSV or manifest could not be assembled.
    #[error("生成{what}失败：{message}")]
    Render {
        /// What was being written (示例数据, 汇总表 …).
        what: &'static str,
        /// The cause.
        message: String,
    },
}

/// Result alias of the demo generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;
