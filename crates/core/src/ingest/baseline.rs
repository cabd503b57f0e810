//! The raw reads gonggu's own reading is measured against (`gonggu bench`): the csv crate's
//! byte-record parse of a CSV, calamine's streaming cell reader over an `.xlsx`. Neither
//! decodes, trims nor types a value; both keep one record or cell at a time, so memory stays
//! bounded whatever the file's size.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::Reader;

use crate::error::{Error, Result};

/// What a raw read saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RawCount {
    /// Records (CSV) or rows holding at least one cell (`.xlsx`, every sheet), header
    /// and title rows included.
    pub rows: u64,
    /// Fields (CSV) or cells (`.xlsx`) read.
    pub cells: u64,
}

/// Reads the file at `path` raw: a `.xlsx` (by extension) with calamine's streaming cell
/// reader, every sheet; anything else as CSV with the csv crate's byte records (no header
/// row, rows of any length), without decoding.
///
/// # Errors
/// [`Error::Io`] when the file cannot be opened; [`Error::Unreadable`] when the csv crate
/// or calamine fails on it.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::baseline::raw_read;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("名单.csv");
/// std::fs::write(&path, "县,户编号\n夏邑县,H1\n夏邑县,H2\n").unwrap();
/// let n = raw_read(&path).unwrap();
/// assert_eq!((n.rows, n.cells), (3, 6));
///
/// let bad = dir.path().join("坏.xlsx");
/// std::fs::write(&bad, "not a workbook").unwrap();
/// assert!(raw_read(&bad).is_err());
/// ```
pub fn raw_read(path: &Path) -> Result<RawCount> {
    let file = path.display().to_string();
    let unreadable = |reason: String| Error::Unreadable {
        file: file.clone(),
        reason,
    };
    let f = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let mut count = RawCount::default();
    if !xlsx {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(f);
        let mut record = csv::ByteRecord::new();
        while reader
            .read_byte_record(&mut record)
            .map_err(|e| unreadable(e.to_string()))?
        {
            count.rows += 1;
            count.cells += record.len() as u64;
        }
        return Ok(count);
    }
    let mut wb = calamine::Xlsx::new(BufReader::with_capacity(1 << 16, f))
        .map_err(|e| unreadable(e.to_string()))?;
    for name in wb.sheet_names() {
        let mut cells = wb
            .worksheet_cells_reader(&name)
            .map_err(|e| unreadable(e.to_string()))?;
        let mut last_row = None;
        while let Some(cell) = cells.next_cell().map_err(|e| unreadable(e.to_string()))? {
            count.cells += 1;
            let (row, _) = cell.get_position();
            if last_row != Some(row) {
                last_row = Some(row);
                count.rows += 1;
            }
        }
    }
    Ok(count)
}
