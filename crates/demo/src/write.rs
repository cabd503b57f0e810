//! Writers: XLSX and CSV bytes of the demo inputs, plus `manifest.json`.

use std::io::Write;
use std::ops::Range;

use chrono::{Datelike, Duration, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

use super::names::CITY;
use super::rows::{self, LOAN_HEADER, PROJECT_HEADER, ROSTER_HEADER, TARGET_HEADER};
use super::{DemoCell, DemoData, DemoFile, DemoFormat};
use crate::error::{Error, Result};
use gonggu_core::text::date_zh;

/// Data rows per roster sheet: an XLSX sheet holds 1,048,576 rows, three of them titles
/// and header.
pub(crate) const ROSTER_ROWS_PER_SHEET: usize = 1_048_576 - 3;

fn render_error(message: impl std::fmt::Display) -> Error {
    Error::Render {
        what: "示例数据",
        message: message.to_string(),
    }
}

/// Person ranges of the roster sheets (a household never straddles two sheets).
pub(crate) fn roster_sheets(data: &DemoData, per_sheet: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for hh in &data.households {
        if hh.first_person + hh.members - start > per_sheet {
            out.push(start..hh.first_person);
            start = hh.first_person;
        }
    }
    out.push(start..data.persons.len());
    out
}

/// Name of roster sheet `i` (0-based): `监测对象信息`, `监测对象信息2`, ….
pub(crate) fn roster_sheet_name(i: usize) -> String {
    if i == 0 {
        "监测对象信息".to_string()
    } else {
        format!("监测对象信息{}", i + 1)
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(render_error)
}

/// Fixed document properties so that the same data give the same bytes.
fn properties(data: &DemoData, title: &str) -> Result<DocProperties> {
    let created = excel_date(data.options.as_of + Duration::days(1))?
        .and_hms(9, 30, 0)
        .map_err(render_error)?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author("gonggu 示例数据")
        .set_creation_datetime(&created))
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &DemoCell,
    date_fmt: &Format,
    num_fmt: &Format,
) -> Result<()> {
    match cell {
        DemoCell::Empty => Ok(()),
        DemoCell::Text(s) => ws.write_string(row, col, s).map(|_| ()),
        DemoCell::Number(v) => ws
            .write_number_with_format(row, col, *v, num_fmt)
            .map(|_| ()),
        DemoCell::Date(d) => ws
            .write_datetime_with_format(row, col, &excel_date(*d)?, date_fmt)
            .map(|_| ()),
    }
    .map_err(render_error)
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_background_color(rust_xlsxwriter::Color::RGB(0xDDEBF7))
}

fn title_format() -> Format {
    Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center)
}

/// `监测对象信息.xlsx` as the national system exports it.
fn roster_xlsx(data: &DemoData) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties(data, "监测对象信息")?);
    let title = format!("全国防返贫监测信息系统 监测对象信息（{CITY}）");
    let exported = data.options.as_of + Duration::days(1);
    let subtitle = format!(
        "导出时间：{} 09:30:00    数据截至：{}",
        exported.format("%Y-%m-%d"),
        date_zh(data.options.as_of)
    );
    let (tf, hf) = (title_format(), header_format());
    let last = (ROSTER_HEADER.len() - 1) as u16;
    for (si, range) in roster_sheets(data, ROSTER_ROWS_PER_SHEET)
        .into_iter()
        .enumerate()
    {
        let ws = wb
            .add_worksheet_with_constant_memory()
            .map_err(render_error)?;
        ws.set_name(roster_sheet_name(si)).map_err(render_error)?;
        for (c, h) in ROSTER_HEADER.iter().enumerate() {
            let width = match *h {
                "证件号码" | "人编号" | "户编号" => 21.0,
                "帮扶措施" => 30.0,
                "户联系电话" => 13.0,
                _ => (h.chars().count() as f64 * 2.0 + 2.0).clamp(6.0, 16.0),
            };
            ws.set_column_width(c as u16, width).map_err(render_error)?;
        }
        ws.set_freeze_panes(3, 0).map_err(render_error)?;
        ws.merge_range(0, 0, 0, last, &title, &tf)
            .map_err(render_error)?;
        ws.merge_range(1, 0, 1, last, &subtitle, &Format::new())
            .map_err(render_error)?;
        for (c, h) in ROSTER_HEADER.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &hf)
                .map_err(render_error)?;
        }
        let mut r = 3u32;
        let first_h = data
            .persons
            .get(range.start)
            .map_or(usize::MAX, |p| p.household);
        let mut h = first_h;
        let mut buf = rows::RosterBuf::default();
        while let Some(hh) = data.households.get(h) {
            if hh.first_person >= range.end {
                break;
            }
            buf.fill(data, h);
            for (i, row) in buf.rows.iter().take(buf.len).enumerate() {
                for (c, text) in row.iter().enumerate() {
                    let number = buf.numbers.iter().find(|(nr, nc, _)| *nr == i && *nc == c);
                    if let Some(&(_, _, v)) = number {
                        ws.write_number(r, c as u16, v).map_err(render_error)?;
                    } else if !text.is_empty() {
                        ws.write_string(r, c as u16, text).map_err(render_error)?;
                    }
                }
                r += 1;
            }
            h += 1;
        }
    }
    wb.save_to_buffer().map_err(render_error)
}

/// Streams the roster as UTF-8 CSV with BOM (header on line 1) to `w`.
///
/// This is what [`write_inputs`] produces for [`DemoFormat::Csv`]; use it directly to write
/// province-scale data without holding the whole file in memory.
///
/// # Errors
/// [`Error::Render`] when writing to `w` fails.
///
/// # Examples
/// ```
/// use gonggu_demo::{generate, write_roster_csv, DemoOptions};
/// let data = generate(&DemoOptions { households: 50, plant_defects: false, ..DemoOptions::default() });
/// let mut out = Vec::new();
/// write_roster_csv(&data, &mut out).unwrap();
/// assert!(out.starts_with("\u{feff}县,乡,村,户编号".as_bytes()));
/// ```
pub fn write_roster_csv<W: Write>(data: &DemoData, mut w: W) -> Result<()> {
    w.write_all("\u{feff}".as_bytes()).map_err(render_error)?;
    let mut csv = csv::WriterBuilder::new().from_writer(w);
    csv.write_record(ROSTER_HEADER).map_err(render_error)?;
    let mut buf = rows::RosterBuf::default();
    for h in 0..data.households.len() {
        buf.fill(data, h);
        for row in buf.rows.iter().take(buf.len) {
            csv.write_record(row).map_err(render_error)?;
        }
    }
    csv.flush().map_err(render_error)?;
    Ok(())
}

/// Layout of a small ledger workbook.
struct Ledger<'a> {
    sheet: &'a str,
    /// Merged title row above the header, if any.
    title: Option<&'a str>,
    header: &'a [&'a str],
    widths: &'a [f64],
    date_format: &'a str,
    number_format: &'a str,
}

/// A small ledger workbook: optional merged title row, header, rows.
fn ledger_xlsx(
    data: &DemoData,
    layout: &Ledger<'_>,
    rows: impl Iterator<Item = Vec<DemoCell>>,
) -> Result<Vec<u8>> {
    let Ledger {
        sheet,
        title,
        header,
        widths,
        date_format,
        number_format,
    } = *layout;
    let mut wb = Workbook::new();
    wb.set_properties(&properties(data, sheet)?);
    let ws = wb
        .add_worksheet_with_constant_memory()
        .map_err(render_error)?;
    ws.set_name(sheet).map_err(render_error)?;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(render_error)?;
    }
    let mut r = 0u32;
    if let Some(t) = title {
        ws.merge_range(0, 0, 0, (header.len() - 1) as u16, t, &title_format())
            .map_err(render_error)?;
        r = 1;
    }
    ws.set_freeze_panes(r + 1, 0).map_err(render_error)?;
    let hf = header_format();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &hf)
            .map_err(render_error)?;
    }
    r += 1;
    let date_fmt = Format::new().set_num_format(date_format);
    let num_fmt = Format::new().set_num_format(number_format);
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            write_cell(ws, r, c as u16, cell, &date_fmt, &num_fmt)?;
        }
        r += 1;
    }
    wb.save_to_buffer().map_err(render_error)
}

/// Renders every demo input file and `manifest.json`, in this order: the roster
/// (`监测对象信息.xlsx` or `.csv`), `衔接资金项目.xlsx`, `小额信贷.xlsx`, `目标.xlsx`,
/// `manifest.json` (row numbers in it refer to the roster in `format`).
///
/// The same data give the same bytes (document dates are taken from the as-of date).
///
/// # Errors
/// [`Error::Render`] (`生成示例数据失败`) when a workbook cannot be built.
///
/// # Examples
/// ```
/// use gonggu_demo::{generate, write_inputs, DemoFormat, DemoOptions};
/// let data = generate(&DemoOptions { households: 100, ..DemoOptions::default() });
/// let names: Vec<String> = write_inputs(&data, DemoFormat::Xlsx)
///     .unwrap()
///     .into_iter()
///     .map(|f| f.name)
///     .collect();
/// assert_eq!(names[0], "监测对象信息.xlsx");
/// assert_eq!(names.len(), 5);
/// ```
pub fn write_inputs(data: &DemoData, format: DemoFormat) -> Result<Vec<DemoFile>> {
    let mut files = Vec::new();
    let roster = match format {
        DemoFormat::Xlsx => roster_xlsx(data)?,
        DemoFormat::Csv => {
            let mut out = Vec::with_capacity(data.persons.len() * 400 + 1024);
            write_roster_csv(data, &mut out)?;
            out
        }
    };
    files.push(DemoFile {
        name: format!("监测对象信息.{}", format.extension()),
        bytes: roster,
    });

    let year = data.options.as_of.year();
    let title = format!("{CITY}{year}年度财政衔接推进乡村振兴补助资金项目台账");
    files.push(DemoFile {
        name: "衔接资金项目.xlsx".into(),
        bytes: ledger_xlsx(
            data,
            &Ledger {
                sheet: "衔接资金项目",
                title: Some(&title),
                header: &PROJECT_HEADER,
                widths: &[
                    18.0, 48.0, 12.0, 12.0, 10.0, 9.0, 12.0, 12.0, 14.0, 12.0, 12.0, 9.0,
                ],
                date_format: "yyyy/m/d",
                number_format: "0.00",
            },
            (0..data.projects.len()).map(|i| data.project_row(i)),
        )?,
    });
    let title = format!(
        "{CITY}脱贫人口小额信贷台账（截至{}）",
        date_zh(data.options.as_of)
    );
    files.push(DemoFile {
        name: "小额信贷.xlsx".into(),
        bytes: ledger_xlsx(
            data,
            &Ledger {
                sheet: "小额信贷",
                title: Some(&title),
                header: &LOAN_HEADER,
                widths: &[21.0, 12.0, 12.0, 12.0, 12.0, 14.0, 14.0, 9.0],
                date_format: "yyyy-mm-dd",
                number_format: "0",
            },
            (0..data.loans.len()).map(|i| data.loan_row(i)),
        )?,
    });
    files.push(DemoFile {
        name: "目标.xlsx".into(),
        bytes: ledger_xlsx(
            data,
            &Ledger {
                sheet: "目标",
                title: None,
                header: &TARGET_HEADER,
                widths: &[12.0, 18.0],
                date_format: "yyyy-mm-dd",
                number_format: "0",
            },
            data.targets.iter().map(|t| {
                vec![
                    DemoCell::Text(
                        data.counties
                            .get(t.county)
                            .map_or(String::new(), |c| c.name.clone()),
                    ),
                    DemoCell::Number(t.employment_target as f64),
                ]
            }),
        )?,
    });
    let manifest = data.manifest_for(format);
    let json = serde_json::to_vec_pretty(&manifest).map_err(render_error)?;
    files.push(DemoFile {
        name: "manifest.json".into(),
        bytes: json,
    });
    Ok(files)
}
