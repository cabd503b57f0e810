//! The list of `gonggu explain --out 名单.xlsx`: the records behind one figure.
//!
//! One sheet `名单`: a merged title (`永城市总贷款余额户贷率名单`), the lines that say what the
//! list is ([`Explanation::header_lines`]: indicator and formula, region, as-of date, the
//! figure as numerator ÷ denominator, what a row is and why rows are not in the numerator),
//! then the table — one row per record with its file, sheet and Excel row, region, the
//! fields that decide it, whether it is in the numerator and denominator (or its amount) and
//! why not — with a frozen header, an autofilter, and a 合计 row below. A4 landscape, one page
//! wide, the header repeated on every page. A list longer than a sheet continues on `名单（2）`.

use rust_decimal::Decimal;
use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet, XlsxError};

use crate::error::{Error, Result};
use crate::xlsx::style;
use gonggu_core::explain::{Explanation, Value};

/// Data rows per sheet: Excel holds 1,048,576 rows; the rest of the list continues on the
/// next sheet.
const ROWS_PER_SHEET: usize = 1_000_000;

/// The workbook of one list. See the [module documentation](self) for the layout.
///
/// # Errors
/// [`Error::Render`] (`生成名单失败`) when the XLSX writer refuses the content.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::catalog::{Catalog, ReportKind};
/// use gonggu_core::config::Config;
/// use gonggu_core::explain::{explain, Query};
/// use gonggu_core::ingest::{read_inputs, ReadOptions};
/// use gonggu_core::mask::Pii;
/// use gonggu_core::pipeline::Settings;
/// use gonggu_core::region::Level;
/// use gonggu_render::explain::explain_workbook;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("监测对象信息.csv");
/// std::fs::write(&path, "县,乡,村,户编号,证件号码,户类型,监测对象类别\n\
///     夏邑县,城关镇,东关村,H1,411426199001010011,普通农户,边缘易致贫户\n").unwrap();
/// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
/// let catalog = Catalog::builtin().unwrap();
/// let as_of = NaiveDate::from_ymd_opt(2021, 11, 30).unwrap();
/// let settings = Settings::new(Level::County, as_of, &Config::default(), &catalog, ReportKind::Compute, &[]).unwrap();
/// let query = Query { indicator: "监测户数".into(), region: "夏邑县".into(), ..Default::default() };
/// let e = explain(&ds, &catalog, &settings, &query, Pii::Masked).unwrap();
/// let bytes = explain_workbook(&e).unwrap();
/// assert_eq!(&bytes[..2], b"PK");
/// assert_eq!(bytes, explain_workbook(&e).unwrap());
/// ```
pub fn explain_workbook(e: &Explanation) -> Result<Vec<u8>> {
    build(e).map_err(|err| Error::Render {
        what: "名单",
        message: err.to_string(),
    })
}

fn build(e: &Explanation) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::xlsx::dated_workbook(&e.title(), e.as_of, None)?;
    let widths = widths(e);
    let chunks: Vec<&[gonggu_core::explain::ExplainRow]> = if e.rows.is_empty() {
        vec![&[]]
    } else {
        e.rows.chunks(ROWS_PER_SHEET).collect()
    };
    let last = chunks.len() - 1;
    for (n, rows) in chunks.into_iter().enumerate() {
        let name = if n == 0 {
            "名单".to_string()
        } else {
            format!("名单（{}）", n + 1)
        };
        let ws = wb.add_worksheet().set_name(name)?;
        write_sheet(ws, e, rows, &widths, n == last)?;
    }
    wb.save_to_buffer()
}

/// Column widths in Excel units: the widest of the head and the cells, within 6–40.
fn widths(e: &Explanation) -> Vec<f64> {
    e.columns
        .iter()
        .enumerate()
        .map(|(c, head)| {
            let cells = e
                .rows
                .iter()
                .take(2000)
                .filter_map(|r| r.cells.get(c))
                .map(|v| style::text_width(&v.text()))
                .fold(0.0, f64::max);
            (style::text_width(head).min(16.0).max(cells) + 2.0).clamp(6.0, 40.0)
        })
        .collect()
}

fn write_sheet(
    ws: &mut Worksheet,
    e: &Explanation,
    rows: &[gonggu_core::explain::ExplainRow],
    widths: &[f64],
    with_total: bool,
) -> Result<(), XlsxError> {
    let last_col = e.columns.len().saturating_sub(1) as ColNum;
    let total_width: f64 = widths.iter().sum();
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as ColNum, *w)?;
    }
    ws.merge_range(0, 0, 0, last_col, &e.title(), &style::title())?;
    ws.set_row_height(0, style::TITLE_HEIGHT)?;
    let mut r: RowNum = 1;
    let note = style::note();
    for line in e.header_lines() {
        ws.merge_range(r, 0, r, last_col, &line, &note)?;
        let lines = style::lines_in(&line, total_width.min(200.0));
        ws.set_row_height(r, lines as f64 * style::LINE_HEIGHT + 4.0)?;
        r += 1;
    }
    r += 1;
    let header = r;
    let head = style::head();
    for (c, name) in e.columns.iter().enumerate() {
        ws.write_string_with_format(header, c as ColNum, name, &head)?;
    }
    let tallest = e
        .columns
        .iter()
        .zip(widths)
        .map(|(name, w)| style::lines_in(name, *w))
        .max()
        .unwrap_or(1);
    ws.set_row_height(
        header,
        (tallest as f64 * style::LINE_HEIGHT + 8.0).max(style::ROW_HEIGHT),
    )?;
    let text = style::text_left();
    let centred = style::text(false);
    let number = style::text(false).set_num_format("General");
    for row in rows {
        r += 1;
        for (c, v) in row.cells.iter().enumerate() {
            write_value(ws, r, c as ColNum, v, &text, &centred, &number)?;
        }
    }
    let data_end = r;
    ws.autofilter(header, 0, data_end.max(header), last_col)?;
    ws.set_freeze_panes(header + 1, 0)?;
    ws.set_repeat_rows(header, header)?;
    if with_total {
        write_total(ws, e, data_end + 1)?;
    }
    crate::xlsx::landscape_setup(ws);
    Ok(())
}

fn write_value(
    ws: &mut Worksheet,
    r: RowNum,
    c: ColNum,
    v: &Value,
    text: &Format,
    centred: &Format,
    number: &Format,
) -> Result<(), XlsxError> {
    match v {
        Value::Text(t) if t == "是" || t == "否" => {
            ws.write_string_with_format(r, c, t, centred)?;
        }
        Value::Text(t) => {
            ws.write_string_with_format(r, c, t, text)?;
        }
        Value::Number(n) => {
            ws.write_number_with_format(r, c, style::to_f64(*n), number)?;
        }
        Value::Empty => {
            ws.write_blank(r, c, text)?;
        }
    }
    Ok(())
}

/// The 合计 row: the number of rows in each part (`是`) and the sum of each amount column.
fn write_total(ws: &mut Worksheet, e: &Explanation, r: RowNum) -> Result<(), XlsxError> {
    let bold = style::text(true);
    let number = style::text(true).set_num_format("General");
    ws.write_string_with_format(r, 0, "合计", &bold)?;
    for (c, name) in e.columns.iter().enumerate().skip(1) {
        let amount = e.amount_columns.get(c).copied().unwrap_or(false);
        let part = name.starts_with("计入");
        if !amount && !part {
            ws.write_blank(r, c as ColNum, &bold)?;
            continue;
        }
        let cells = e.rows.iter().filter_map(|row| row.cells.get(c));
        let v: Decimal = if part {
            Decimal::from(cells.filter(|v| v.text() == "是").count())
        } else {
            cells
                .filter_map(|v| match v {
                    Value::Number(n) => Some(*n),
                    _ => None,
                })
                .sum()
        };
        ws.write_number_with_format(r, c as ColNum, style::to_f64(v), &number)?;
    }
    ws.set_row_height(r, style::ROW_HEIGHT)?;
    Ok(())
}

#[cfg(test)]
mod tests;
