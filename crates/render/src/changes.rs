//! The month's 变动名单 (`gonggu run`): a sheet `按乡镇汇总` (county, town, how many households
//! were newly identified, had their risk eliminated or left monitoring, and a 合计 row),
//! then one sheet per kind listing the households by county, town and village. Personal data
//! arrive masked from [`gonggu_core::changes`]. A4 landscape, one page wide, header repeated.

use chrono::Datelike;
use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError};

use crate::error::{Error, Result};
use crate::xlsx::style;
use gonggu_core::changes::{Change, ChangeKind, MonthChanges};
use gonggu_core::history::HistoryTable;

/// The title of the list (`商丘市2021年11月监测对象变动名单`).
pub fn changes_title(c: &MonthChanges) -> String {
    format!(
        "{}{}年{}月监测对象变动名单",
        c.parent, c.month.year, c.month.month
    )
}

/// The workbook of a month's 变动名单. See the [module documentation](self).
///
/// # Errors
/// [`Error::Render`] (`生成变动名单失败`) when the XLSX writer refuses the content.
///
/// # Examples
/// ```
/// use gonggu_core::changes::MonthChanges;
/// use gonggu_core::config::run::Month;
/// use gonggu_render::changes::changes_workbook;
/// let c = MonthChanges { month: Month::parse("2021-11").unwrap(), parent: "商丘市".into(), rows: vec![], compared: false, order: vec![] };
/// let bytes = changes_workbook(&c).unwrap();
/// assert_eq!(&bytes[..2], b"PK");
/// assert_eq!(bytes, changes_workbook(&c).unwrap());
/// ```
pub fn changes_workbook(c: &MonthChanges) -> Result<Vec<u8>> {
    build(c).map_err(|err| Error::Render {
        what: "变动名单",
        message: err.to_string(),
    })
}

fn build(c: &MonthChanges) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::xlsx::dated_workbook(&changes_title(c), c.month.last_day(), None)?;
    summary(wb.add_worksheet().set_name("按乡镇汇总")?, c)?;
    for kind in ChangeKind::ALL {
        let rows: Vec<&Change> = c.rows.iter().filter(|r| r.kind == kind).collect();
        list(wb.add_worksheet().set_name(kind.label())?, c, kind, &rows)?;
    }
    wb.save_to_buffer()
}

fn page_setup(ws: &mut Worksheet, header: RowNum) {
    crate::xlsx::landscape_setup(ws);
    let _ = ws.set_repeat_rows(header, header);
    let _ = ws.set_freeze_panes(header + 1, 0);
}

/// Title, note lines and the header row; returns the header's row.
fn head(
    ws: &mut Worksheet,
    title: &str,
    notes: &[String],
    columns: &[&str],
    widths: &[f64],
) -> Result<RowNum, XlsxError> {
    let last = columns.len().saturating_sub(1) as ColNum;
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as ColNum, *w)?;
    }
    ws.merge_range(0, 0, 0, last, title, &style::title())?;
    ws.set_row_height(0, style::TITLE_HEIGHT)?;
    let mut r: RowNum = 1;
    for n in notes {
        ws.merge_range(r, 0, r, last, n, &style::note())?;
        ws.set_row_height(r, style::ROW_HEIGHT)?;
        r += 1;
    }
    let h = style::head();
    for (i, name) in columns.iter().enumerate() {
        ws.write_string_with_format(r, i as ColNum, *name, &h)?;
    }
    ws.set_row_height(r, style::ROW_HEIGHT)?;
    Ok(r)
}

fn notes(c: &MonthChanges) -> Vec<String> {
    let mut out = vec![format!(
        "统计期间：{}年{}月1日至{}日。证件号码、姓名已脱敏。",
        c.month.year,
        c.month.month,
        c.month.last_day().day()
    )];
    if !c.compared {
        out.push("未找到上月数据，无法列出退出监测户。".into());
    }
    out
}

fn summary(ws: &mut Worksheet, c: &MonthChanges) -> Result<(), XlsxError> {
    let columns = [
        "县（市、区）",
        "乡镇",
        "新识别监测户",
        "风险消除户",
        "退出监测户",
    ];
    let widths = [16.0, 16.0, 14.0, 14.0, 14.0];
    let header = head(ws, &changes_title(c), &notes(c), &columns, &widths)?;
    let text = style::text(false);
    let mut r = header;
    let mut total = [0usize; 3];
    for ((county, town), counts) in c.by_town() {
        r += 1;
        ws.write_string_with_format(r, 0, &county, &text)?;
        ws.write_string_with_format(r, 1, &town, &text)?;
        for (i, n) in counts.iter().enumerate() {
            ws.write_number_with_format(r, 2 + i as ColNum, *n as f64, &text)?;
            total[i] += n;
        }
    }
    r += 1;
    let bold = style::text(true);
    ws.write_string_with_format(r, 0, "合计", &bold)?;
    ws.write_blank(r, 1, &bold)?;
    for (i, n) in total.iter().enumerate() {
        ws.write_number_with_format(r, 2 + i as ColNum, *n as f64, &bold)?;
    }
    page_setup(ws, header);
    Ok(())
}

fn list(
    ws: &mut Worksheet,
    c: &MonthChanges,
    kind: ChangeKind,
    rows: &[&Change],
) -> Result<(), XlsxError> {
    let date = match kind {
        ChangeKind::Identified => "识别监测时间",
        ChangeKind::Eliminated => "消除监测时间",
        ChangeKind::Left => "变动时间",
    };
    let columns = [
        "序号",
        "县（市、区）",
        "乡镇",
        "村",
        "户编号",
        "户主姓名",
        "户主证件号码",
        "人数",
        "监测对象类别",
        date,
        "风险消除方式",
    ];
    let widths = [
        6.0, 12.0, 12.0, 12.0, 22.0, 10.0, 22.0, 6.0, 14.0, 14.0, 12.0,
    ];
    let title = format!("{}（{}）", changes_title(c), kind.label());
    let mut lines = notes(c);
    if kind == ChangeKind::Left && c.compared {
        lines.push("上月为监测对象、本月不再是监测对象或已不在名单中的户。".into());
    }
    let header = head(ws, &title, &lines, &columns, &widths)?;
    let text = style::text(false);
    let mut r = header;
    for (n, row) in rows.iter().enumerate() {
        r += 1;
        let cells = [
            (n + 1).to_string(),
            row.county.clone(),
            row.town.clone(),
            row.village.clone(),
            row.household.clone(),
            row.head.clone(),
            row.head_id.clone(),
            row.members.to_string(),
            row.category.clone(),
            row.date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            row.method.clone(),
        ];
        for (i, v) in cells.iter().enumerate() {
            if i == 0 || i == 7 {
                ws.write_number_with_format(
                    r,
                    i as ColNum,
                    v.parse::<f64>().unwrap_or(0.0),
                    &text,
                )?;
            } else {
                ws.write_string_with_format(r, i as ColNum, v, &text)?;
            }
        }
    }
    if rows.is_empty() {
        r += 1;
        let last = columns.len() as ColNum - 1;
        ws.merge_range(r, 0, r, last, "本月无。", &text)?;
    }
    let _ = ws.autofilter(header, 0, r.max(header), columns.len() as ColNum - 1);
    page_setup(ws, header);
    Ok(())
}

/// A `gonggu history` table as a workbook: one sheet `逐月`, a column per month, the total
/// row of each indicator in bold.
///
/// # Errors
/// [`Error::Render`] (`生成逐月表失败`) when the XLSX writer refuses the content.
pub fn history_workbook(t: &HistoryTable) -> Result<Vec<u8>> {
    history_build(t).map_err(|err| Error::Render {
        what: "逐月表",
        message: err.to_string(),
    })
}

fn history_build(t: &HistoryTable) -> Result<Vec<u8>, XlsxError> {
    let many = t.indicator_count() > 1;
    let title = match (many, t.rows.first()) {
        (false, Some(r)) => format!("{}逐月情况", r.indicator),
        _ => "各项指标逐月情况".to_string(),
    };
    let date = t.months.last().map(|m| m.last_day()).unwrap_or_default();
    let mut wb = crate::xlsx::dated_workbook(&title, date, None)?;
    let ws = wb.add_worksheet().set_name("逐月")?;
    let columns = t.header();
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut widths = vec![16.0; names.len()];
    if many {
        widths[0] = 30.0;
    }
    let header = head(ws, &title, &[], &names, &widths)?;
    let mut r = header;
    for row in &t.rows {
        r += 1;
        let f = style::text(row.total);
        for (i, v) in t.cells(row).iter().enumerate() {
            ws.write_string_with_format(r, i as ColNum, v, &f)?;
        }
    }
    crate::xlsx::landscape_setup(ws);
    ws.set_repeat_rows(header, header)?;
    ws.set_freeze_panes(header + 1, 0)?;
    wb.save_to_buffer()
}
