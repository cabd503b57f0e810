//! A 汇总 workbook built from records: one row per unit, one column per measure, as a county
//! would report its figures upward. `gonggu demo` writes one so that aggregate mode can be
//! tried (and tested) on the same data as record mode.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook};

use crate::error::{Error, Result};
use gonggu_core::measures::{self, MEASURES, MeasureSource};
use gonggu_core::model::Dataset;
use gonggu_core::region::Level;
use gonggu_core::text::date_zh;

fn err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Render {
        what: "汇总表",
        message: e.to_string(),
    }
}

/// Writes the measures of every unit of `level` (counted from the records of `ds`) as a
/// 汇总 workbook: a title row, the header (`县(市、区)` or `乡镇`, then the Chinese measure
/// names), one row per unit and a 合计 row. Measures from the 目标 table are left out.
///
/// # Errors
/// [`Error::Render`] when the workbook cannot be assembled.
pub fn summary_workbook(
    ds: &Dataset,
    level: Level,
    as_of: NaiveDate,
    monitoring_line: Decimal,
    parent: &str,
) -> Result<Vec<u8>> {
    let tallies = measures::tally_records(ds, level, as_of, monitoring_line);
    let columns: Vec<&measures::MeasureDef> = MEASURES
        .iter()
        .filter(|m| m.source != MeasureSource::Targets && tallies.total.get(m.id).is_some())
        .collect();
    let mut wb = Workbook::new();
    let mut props = rust_xlsxwriter::DocProperties::new();
    if let Some(dt) = as_of.and_hms_opt(0, 0, 0) {
        props = props.set_creation_datetime(
            &rust_xlsxwriter::ExcelDateTime::from_timestamp(dt.and_utc().timestamp())
                .map_err(err)?,
        );
    }
    wb.set_properties(&props);
    let ws = wb.add_worksheet();
    ws.set_name("汇总").map_err(err)?;
    let bold = Format::new().set_bold();
    let title = format!(
        "{parent}巩固拓展脱贫攻坚成果指标分量汇总（截至{}）",
        date_zh(as_of)
    );
    ws.write_string_with_format(0, 0, &title, &bold)
        .map_err(err)?;
    let unit_word = match level {
        Level::County => "县(市、区)",
        Level::Town => "乡镇",
        Level::Village => "行政村",
    };
    ws.write_string_with_format(1, 0, unit_word, &bold)
        .map_err(err)?;
    for (c, m) in columns.iter().enumerate() {
        ws.write_string_with_format(1, (c + 1) as u16, m.name, &bold)
            .map_err(err)?;
    }
    let mut row = 2u32;
    let write_row = |ws: &mut rust_xlsxwriter::Worksheet,
                     row: u32,
                     label: &str,
                     t: &measures::Tally|
     -> Result<()> {
        ws.write_string(row, 0, label).map_err(err)?;
        for (c, m) in columns.iter().enumerate() {
            let v = t.get(m.id).unwrap_or_default();
            ws.write_number(row, (c + 1) as u16, decimal_to_f64(v))
                .map_err(err)?;
        }
        Ok(())
    };
    for (id, tally) in &tallies.units {
        write_row(ws, row, &ds.regions.label(*id), tally)?;
        row += 1;
    }
    write_row(ws, row, "合计", &tallies.total)?;
    ws.set_column_width(0, 14).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

fn decimal_to_f64(v: Decimal) -> f64 {
    v.to_string().parse().unwrap_or(0.0)
}
