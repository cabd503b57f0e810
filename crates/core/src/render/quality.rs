//! The data-quality workbook (核查清单).
