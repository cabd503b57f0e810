//! Writers: XLSX and CSV bytes of the demo inputs, plus `manifest.json`.

use std::io::Write;
use std::ops::Range;

use chrono::{Datelike, Duration, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

use super::names::CITY;
use super::rows::{self, LOAN_HEADER, PROJECT_HEADER, ROSTER_HEADER, TARGET_HEADER};
use super::villages::{VILLAGE_HEADER, village_rows};
use super::work::{PLAN_HEADER, SPELL_HEADER, plan_row, spell_rows};
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

/// Title and subtitle rows of an export of the national system.
fn titles(data: &DemoData, export: &str) -> (String, String) {
    let title = format!("全国防返贫监测信息系统 {export}（{CITY}）");
    let exported = data.options.as_of + Duration::days(1);
    let subtitle = format!(
        "导出时间：{} 09:30:00    数据截至：{}",
        exported.format("%Y-%m-%d"),
        date_zh(data.options.as_of)
    );
    (title, subtitle)
}

/// Column width for a header of an export.
fn export_width(h: &str) -> f64 {
    match h {
        "证件号码" | "人编号" | "户编号" | "户主证件号码" => 21.0,
        "户联系电话" | "家庭成员联系电话" | "信息采集人联系电话" => 13.0,
        "务工企业名称" => 24.0,
        "" => 4.0,
        _ => (h.chars().count() as f64 * 2.0 + 2.0).clamp(6.0, 16.0),
    }
}

/// Writes the title rows and the header (row 3) of an export sheet.
fn export_head(ws: &mut Worksheet, header: &[&str], title: &str, subtitle: &str) -> Result<()> {
    let (tf, hf) = (title_format(), header_format());
    let last = (header.len() - 1) as u16;
    for (c, h) in header.iter().enumerate() {
        ws.set_column_width(c as u16, export_width(h))
            .map_err(render_error)?;
    }
    ws.set_freeze_panes(3, 0).map_err(render_error)?;
    ws.merge_range(0, 0, 0, last, title, &tf)
        .map_err(render_error)?;
    ws.merge_range(1, 0, 1, last, subtitle, &Format::new())
        .map_err(render_error)?;
    for (c, h) in header.iter().enumerate() {
        if h.is_empty() {
            // A column nobody has documented: a blank, styled header cell.
            ws.write_blank(2, c as u16, &hf).map_err(render_error)?;
        } else {
            ws.write_string_with_format(2, c as u16, *h, &hf)
                .map_err(render_error)?;
        }
    }
    Ok(())
}

/// An export of the national system as XLSX: two title rows, the header on row 3, every
/// cell text; further sheets (`名称2` …) when the rows exceed one sheet.
fn export_xlsx(
    data: &DemoData,
    export: &str,
    sheet: &str,
    header: &[&str],
    rows: impl Iterator<Item = Vec<DemoCell>>,
) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties(data, sheet)?);
    let (title, subtitle) = titles(data, export);
    let mut rows = rows.peekable();
    let mut index = 0;
    loop {
        let ws = wb
            .add_worksheet_with_constant_memory()
            .map_err(render_error)?;
        let name = if index == 0 {
            sheet.to_string()
        } else {
            format!("{sheet}{}", index + 1)
        };
        ws.set_name(name).map_err(render_error)?;
        export_head(ws, header, &title, &subtitle)?;
        let mut r = 3u32;
        while (r as usize) < ROSTER_ROWS_PER_SHEET + 3 {
            let Some(row) = rows.next() else { break };
            for (c, cell) in row.iter().enumerate() {
                let text = cell.text();
                if !text.is_empty() {
                    ws.write_string(r, c as u16, &text).map_err(render_error)?;
                }
            }
            r += 1;
        }
        index += 1;
        if rows.peek().is_none() {
            break;
        }
    }
    wb.save_to_buffer().map_err(render_error)
}

/// An export as UTF-8 CSV with BOM, header on line 1.
fn export_csv(header: &[&str], rows: impl Iterator<Item = Vec<DemoCell>>) -> Result<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut csv = csv::WriterBuilder::new().from_writer(&mut out);
        csv.write_record(header).map_err(render_error)?;
        for row in rows {
            csv.write_record(row.iter().map(DemoCell::text))
                .map_err(render_error)?;
        }
        csv.flush().map_err(render_error)?;
    }
    Ok(out)
}

/// The rows of `已外出务工信息`: the spells of every person, in roster order.
fn all_spell_rows(data: &DemoData) -> impl Iterator<Item = Vec<DemoCell>> + '_ {
    data.persons.iter().flat_map(|p| spell_rows(data, p))
}

/// The rows of `计划外出务工信息`, in roster order.
fn all_plan_rows(data: &DemoData) -> impl Iterator<Item = Vec<DemoCell>> + '_ {
    data.persons.iter().filter_map(|p| plan_row(data, p))
}

/// The rows of `行政村信息`, in village order.
fn all_village_rows(data: &DemoData) -> Vec<Vec<DemoCell>> {
    let text = DemoCell::Text;
    data.villages
        .iter()
        .enumerate()
        .zip(village_rows(data))
        .map(|((i, v), r)| {
            let town = data.towns.get(v.town);
            let county = town.and_then(|t| data.counties.get(t.county));
            let mut row = vec![
                text(county.map_or(String::new(), |c| c.name.clone())),
                text(town.map_or(String::new(), |t| t.name.clone())),
                text(v.name.clone()),
                text(rows::yes_no(r.exited).into()),
                text(r.households.to_string()),
                text(r.persons.to_string()),
                text(rows::hundredths(r.collective_income, false)),
                text(r.income_per_capita.to_string()),
            ];
            row.extend(
                [
                    r.dibao_households,
                    r.dibao_persons,
                    r.tekun_persons,
                    r.disabled_persons,
                    r.unsafe_housing,
                    r.unsafe_water,
                    r.pensioners,
                    r.schools,
                    r.clinics,
                    r.doctors,
                    r.toilets,
                    r.waste_points,
                    r.libraries,
                ]
                .map(|n| text(n.to_string())),
            );
            row.push(text(rows::yes_no(r.bus).into()));
            row.push(text(rows::yes_no(r.road).into()));
            // Planted defects.
            for ((_, c), cell) in data.village_overrides.range((i, 0)..=(i, usize::MAX)) {
                if let Some(slot) = row.get_mut(*c) {
                    *slot = cell.clone();
                }
            }
            row
        })
        .collect()
}

/// `监测对象信息.xlsx` as the national system exports it.
fn roster_xlsx(data: &DemoData) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties(data, "监测对象信息")?);
    let (title, subtitle) = titles(data, "监测对象信息");
    for (si, range) in roster_sheets(data, ROSTER_ROWS_PER_SHEET)
        .into_iter()
        .enumerate()
    {
        let ws = wb
            .add_worksheet_with_constant_memory()
            .map_err(render_error)?;
        ws.set_name(roster_sheet_name(si)).map_err(render_error)?;
        export_head(ws, &ROSTER_HEADER, &title, &subtitle)?;
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
/// assert!(out.starts_with("\u{feff}序号,县,乡,村,户编号".as_bytes()));
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

/// Renders every demo input file and `manifest.json`, in this order: the exports of the
/// national system in `format` (`监测对象信息`, `已外出务工信息`, `计划外出务工信息`,
/// `行政村信息`: `.xlsx` with two title rows and the header on row 3, or `.csv` with BOM and
/// the header on line 1), `衔接资金项目.xlsx`, `小额信贷.xlsx`, `目标.xlsx`, `manifest.json`
/// (row numbers in it refer to the roster in `format`).
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
/// assert_eq!(names[1], "已外出务工信息.xlsx");
/// assert_eq!(names.len(), 8);
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
    let ext = format.extension();
    let (spells, plans, villages) = match format {
        DemoFormat::Xlsx => (
            export_xlsx(
                data,
                "（务工月监测）已外出务工信息",
                "已外出务工信息",
                &SPELL_HEADER,
                all_spell_rows(data),
            )?,
            export_xlsx(
                data,
                "计划外出务工信息",
                "计划外出务工信息",
                &PLAN_HEADER,
                all_plan_rows(data),
            )?,
            export_xlsx(
                data,
                "（自定义）行政村信息",
                "行政村信息",
                &VILLAGE_HEADER,
                all_village_rows(data).into_iter(),
            )?,
        ),
        DemoFormat::Csv => (
            export_csv(&SPELL_HEADER, all_spell_rows(data))?,
            export_csv(&PLAN_HEADER, all_plan_rows(data))?,
            export_csv(&VILLAGE_HEADER, all_village_rows(data).into_iter())?,
        ),
    };
    for (name, bytes) in [
        ("已外出务工信息", spells),
        ("计划外出务工信息", plans),
        ("行政村信息", villages),
    ] {
        files.push(DemoFile {
            name: format!("{name}.{ext}"),
            bytes,
        });
    }

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
