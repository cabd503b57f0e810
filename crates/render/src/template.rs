//! The 填报 workbook: a fill-in form a city sends its counties (or a county its towns), whose
//! filled copies `gonggu` reads back as 汇总 inputs.
//!
//! Sheet `填报`: a title, the header (`县（市、区）` or `乡镇`, then one column per measure by its
//! Chinese name — counts and amounts, never rates), one row per unit. Only the figure cells
//! are unlocked; each has a data validation (whole numbers ≥ 0 for counts, amounts ≥ 0 with
//! at most two decimals, a numerator never above its denominator) with a Chinese message.
//! Sheet `填报说明` says what each column counts and the as-of date. A hidden sheet
//! [`MARKER_SHEET`] identifies the workbook as a gonggu template, so that an empty figure in
//! a filled copy is an error, not a silent gap.

use chrono::NaiveDate;
use gonggu_core::measures::MeasureDef;
use gonggu_core::text::date_zh;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula, Workbook,
    Worksheet, XlsxError, utility::column_number_to_name,
};

use crate::error::{Error, Result};

/// Name of the hidden sheet that marks a gonggu 填报 template.
pub const MARKER_SHEET: &str = gonggu_core::ingest::TEMPLATE_MARKER_SHEET;

/// One figure column of the form.
#[derive(Debug, Clone)]
pub struct TemplateColumn {
    /// The measure (its Chinese name heads the column).
    pub measure: &'static MeasureDef,
    /// The column (index into the columns) this one may never exceed: a numerator's
    /// denominator.
    pub at_most: Option<usize>,
}

/// What the form asks for.
#[derive(Debug, Clone)]
pub struct TemplateSpec {
    /// `{地区}巩固拓展脱贫攻坚成果主要指标填报表`.
    pub title: String,
    /// The as-of date the figures are to be counted at.
    pub as_of: NaiveDate,
    /// `县（市、区）` or `乡镇`: the header of the unit column.
    pub unit_header: String,
    /// The units, one row each, in official order.
    pub units: Vec<String>,
    /// The figure columns.
    pub columns: Vec<TemplateColumn>,
    /// Figures already filled in (unit × column), for a form prefilled with known values.
    pub values: Option<Vec<Vec<Option<Decimal>>>>,
}

fn err(e: XlsxError) -> Error {
    Error::Render {
        what: "填报表",
        message: e.to_string(),
    }
}

/// Whether a measure is an amount (万元 / 元) rather than a count.
fn is_amount(m: &MeasureDef) -> bool {
    m.unit.contains('元')
}

/// The header row (Excel row 2) and the first data row (row 3), 0-based.
const HEADER_ROW: u32 = 1;
const FIRST_ROW: u32 = 2;

/// Writes the 填报 workbook.
///
/// # Errors
/// [`Error::Render`] when the workbook cannot be assembled (e.g. more columns than a sheet
/// holds).
pub fn template_workbook(spec: &TemplateSpec) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    form(wb.add_worksheet(), spec).map_err(err)?;
    instructions(wb.add_worksheet(), spec).map_err(err)?;
    let marker = wb.add_worksheet();
    marker.set_name(MARKER_SHEET).map_err(err)?;
    marker.write_string(0, 0, "gonggu 填报模板").map_err(err)?;
    marker
        .write_string(1, 0, format!("截至 {}", spec.as_of.format("%Y-%m-%d")))
        .map_err(err)?;
    marker.set_hidden(true);
    wb.save_to_buffer().map_err(err)
}

fn form(ws: &mut Worksheet, spec: &TemplateSpec) -> Result<(), XlsxError> {
    ws.set_name("填报")?;
    let last_col = spec.columns.len() as u16;
    let border = FormatBorder::Thin;
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_font_name("宋体")
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let head = Format::new()
        .set_bold()
        .set_font_name("宋体")
        .set_text_wrap()
        .set_border(border)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#D9E1F2");
    let unit = Format::new().set_font_name("宋体").set_border(border);
    let count = Format::new()
        .set_font_name("宋体")
        .set_border(border)
        .set_num_format("0")
        .set_unlocked()
        .set_background_color("#FFF2CC");
    let amount = count.clone().set_num_format("0.00");
    let heading = format!("{}（截至{}）", spec.title, date_zh(spec.as_of));
    if last_col > 0 {
        ws.merge_range(0, 0, 0, last_col, &heading, &title)?;
    } else {
        ws.write_string_with_format(0, 0, &heading, &title)?;
    }
    ws.set_row_height(0, 30)?;
    ws.set_row_height(HEADER_ROW, 45)?;
    ws.write_string_with_format(HEADER_ROW, 0, &spec.unit_header, &head)?;
    ws.set_column_width(0, 16)?;
    for (i, c) in spec.columns.iter().enumerate() {
        let col = i as u16 + 1;
        ws.write_string_with_format(HEADER_ROW, col, c.measure.name, &head)?;
        ws.set_column_width(col, 14)?;
    }
    let last_row = FIRST_ROW + spec.units.len().saturating_sub(1) as u32;
    for (r, name) in spec.units.iter().enumerate() {
        let row = FIRST_ROW + r as u32;
        ws.set_row_height(row, 20)?;
        ws.write_string_with_format(row, 0, name, &unit)?;
        for (i, c) in spec.columns.iter().enumerate() {
            let col = i as u16 + 1;
            let f = if is_amount(c.measure) {
                &amount
            } else {
                &count
            };
            let value = spec
                .values
                .as_ref()
                .and_then(|v| v.get(r))
                .and_then(|row| row.get(i))
                .copied()
                .flatten();
            match value {
                Some(v) => {
                    ws.write_number_with_format(row, col, crate::xlsx::style::to_f64(v), f)?;
                }
                None => {
                    ws.write_blank(row, col, f)?;
                }
            }
        }
    }
    if !spec.units.is_empty() {
        for (i, c) in spec.columns.iter().enumerate() {
            let col = i as u16 + 1;
            let dv = validation(c, col, &spec.columns)?;
            ws.add_data_validation(FIRST_ROW, col, last_row, col, &dv)?;
        }
    }
    ws.set_freeze_panes(FIRST_ROW, 1)?;
    // Printed for signing off: A4 landscape, one page wide, the header on every page.
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, HEADER_ROW)?;
    ws.protect();
    Ok(())
}

/// The validation of one figure column, written for its first cell (Excel moves the
/// relative references down the column).
fn validation(
    c: &TemplateColumn,
    col: u16,
    columns: &[TemplateColumn],
) -> Result<DataValidation, XlsxError> {
    let cell = format!("{}{}", column_number_to_name(col), FIRST_ROW + 1);
    let mut rule = if is_amount(c.measure) {
        format!("AND(ISNUMBER({cell}),{cell}>=0,ROUND({cell},2)={cell}")
    } else {
        format!("AND(ISNUMBER({cell}),{cell}>=0,INT({cell})={cell}")
    };
    let mut message = if is_amount(c.measure) {
        format!(
            "请填写{}：不小于 0 的金额（{}），最多两位小数。",
            c.measure.name, c.measure.unit
        )
    } else {
        format!(
            "请填写{}：不小于 0 的整数（{}），不要填比率或百分数。",
            c.measure.name, c.measure.unit
        )
    };
    if let Some(d) = c.at_most.and_then(|d| columns.get(d).map(|m| (d, m))) {
        let other = format!("{}{}", column_number_to_name(d.0 as u16 + 1), FIRST_ROW + 1);
        rule.push_str(&format!(",{cell}<={other}"));
        message.push_str(&format!("不能大于「{}」。", d.1.measure.name));
    }
    rule.push(')');
    DataValidation::new()
        .allow_custom(Formula::new(format!("={rule}")))
        .ignore_blank(true)
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("填报有误")?
        .set_error_message(&message)?
        .set_input_title(c.measure.name)?
        .set_input_message(&message)
}

fn instructions(ws: &mut Worksheet, spec: &TemplateSpec) -> Result<(), XlsxError> {
    ws.set_name("填报说明")?;
    let head = Format::new()
        .set_bold()
        .set_font_name("宋体")
        .set_border(FormatBorder::Thin)
        .set_background_color("#D9E1F2");
    let body = Format::new()
        .set_font_name("宋体")
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    ws.write_string(0, 0, format!("{}：填报说明", spec.title))?;
    ws.write_string(
        1,
        0,
        format!(
            "统计截止日期：{}。在“填报”表的黄色格中填写各单位的数字（户数、人数、个数填整数，金额按所列单位最多两位小数），不要填比率；不要改动表头和单位名称，不要增删行列。",
            date_zh(spec.as_of)
        ),
    )?;
    for (c, h) in ["列名", "单位", "统计口径"].iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &head)?;
    }
    for (i, c) in spec.columns.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_string_with_format(row, 0, c.measure.name, &body)?;
        ws.write_string_with_format(row, 1, c.measure.unit, &body)?;
        let mut text = c.measure.definition.to_string();
        if let Some(d) = c.at_most.and_then(|d| spec.columns.get(d)) {
            text.push_str(&format!("（不大于「{}」）", d.measure.name));
        }
        ws.write_string_with_format(row, 2, &text, &body)?;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 8)?;
    ws.set_column_width(2, 70)?;
    Ok(())
}

#[cfg(test)]
mod tests;
