//! XLSX workbooks.
