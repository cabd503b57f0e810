//! Renderers: report in, bytes out.

pub mod documents;
pub mod pdf;
pub mod quality;
pub mod summary;
pub mod xlsx;
