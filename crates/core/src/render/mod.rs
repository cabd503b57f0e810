//! Renderers: report in, bytes out.

pub mod pdf;
pub mod quality;
pub mod summary;
pub mod xlsx;
