//! The leadership briefing (简报) as WordprocessingML, from the data of `brief.typ` (`doc`
//! keys, body blocks, labels): the brief's plain A4 pages (not GB/T 9704: it is a one- or
//! two-page note for leaders, as its PDF), the title with the byline and a rule, the prose
//! with its headings, the headline figures as a table of cards, the ranking and 基本情况
//! tables as the notice writes them, and the charts as native Word bar charts two to a row
//! (see `chart.rs`), each under its title and subtitle.

use chrono::NaiveDate;
use serde_json::Value;

use super::chart::{self, EMU_MM};
use super::notice::{
    ACCENT, Body, MUTED, Page, Para, Run, block, borders, flag, key, list, para, tc_pr,
    word_package_on,
};
use super::{DocxFonts, Xml, render_error};
use crate::error::Result;

/// `brief.typ`'s red (a figure or status below target).
const RED: &str = "C82828";
/// `brief.typ`'s card ground and border.
const CARD_FILL: &str = "F7F7F7";
const CARD_BORDER: &str = "C8C8C8";
/// EMU in a twip.
const EMU_TWIP: i64 = 635;

/// The brief's `.docx` bytes from its data (`doc`, `body`, `labels`) in `fonts`, dated
/// `date` (core properties and zip entries).
pub(crate) fn brief(data: &Value, fonts: &DocxFonts, date: NaiveDate) -> Result<Vec<u8>> {
    let mut charts = Vec::new();
    let document = document(data, fonts, &mut charts)?;
    let charts = charts
        .iter()
        .map(|c| Ok((chart::chart_space(c)?, chart::chart_workbook(c, date)?)))
        .collect::<Result<Vec<_>>>()?;
    word_package_on(Page::Brief, data, document, charts, fonts, date)
}

/// A paragraph off any grid, single-spaced (text of several sizes, charts).
fn loose<'a>() -> Para<'a> {
    Para {
        snap: Some(false),
        line: Some(0),
        jc: Some("left"),
        ..Para::default()
    }
}

/// `word/document.xml` of the brief; the charts' data are pushed to `charts` in order.
fn document(data: &Value, fonts: &DocxFonts, charts: &mut Vec<Value>) -> Result<Vec<u8>> {
    let doc = data.get("doc").cloned().unwrap_or(Value::Null);
    let get = |k: &str| key(&doc, k).filter(|s| !s.is_empty());
    let labels = data.get("labels").cloned().unwrap_or(Value::Null);
    let legend = key(&labels, "legend_native").or_else(|| key(&labels, "legend"));
    let mut b = Body::start_on(Page::Brief, fonts);

    // Title, byline, and the accent rule under them.
    let byline = get("byline");
    if let Some(title) = get("title") {
        let p = Para {
            style: Some("Title"),
            after: Some(if byline.is_some() { 60 } else { 200 }),
            rule: byline.is_none().then_some(ACCENT),
            ..Para::default()
        };
        para(&mut b.x, &p, &[Run::plain(&title)]);
    }
    if let Some(byline) = &byline {
        let p = Para {
            keep_next: true,
            after: Some(200),
            rule: Some(ACCENT),
            jc: Some("center"),
            ..loose()
        };
        let r = Run {
            size: Some(22),
            color: Some(MUTED),
            ..Run::font(byline, &b.fonts.kai)
        };
        para(&mut b.x, &p, &[r]);
    }

    for v in list(data, "body") {
        match key(v, "type").as_deref() {
            Some("headline") => cards(&mut b, v),
            Some("charts") => chart_grid(&mut b, v, legend.as_deref(), charts)?,
            // The tables break across pages with their header repeated, as in the PDF: kept
            // whole, the ranking table would leave half a page empty and the brief run to a
            // third page.
            Some("table") if flag(v, "unbreakable") => {
                let mut t = v.clone();
                if let Some(o) = t.as_object_mut() {
                    o.remove("unbreakable");
                }
                block(&mut b, &t, false)?;
            }
            _ => block(&mut b, v, false)?,
        }
    }
    b.finish()
}

/// The figure cards: `columns` to a row, each with the name, the figure (red when below
/// target) and its unit, the change and the target status, rows at least as high as the
/// PDF's cards so that the figures of a row line up.
fn cards(b: &mut Body, v: &Value) {
    let cards = list(v, "cards");
    if cards.is_empty() {
        return;
    }
    let n = v
        .get("columns")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(4)
        .clamp(1, 6);
    let width = b.text_width();
    let w = width / n as i64;
    let fonts = &b.fonts;
    let x = &mut b.x;
    x.start("w:tbl", &[]);
    x.start("w:tblPr", &[]);
    x.empty("w:tblW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
    x.empty("w:jc", &[("w:val", "center")]);
    borders(x, "single", CARD_BORDER);
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    x.start("w:tblCellMar", &[]);
    for (side, pad) in [
        ("w:top", "60"),
        ("w:left", "120"),
        ("w:bottom", "60"),
        ("w:right", "120"),
    ] {
        x.empty(side, &[("w:w", pad), ("w:type", "dxa")]);
    }
    x.end("w:tblCellMar");
    x.end("w:tblPr");
    x.start("w:tblGrid", &[]);
    for _ in 0..n {
        x.empty("w:gridCol", &[("w:w", &w.to_string())]);
    }
    x.end("w:tblGrid");
    for row in cards.chunks(n) {
        x.start("w:tr", &[]);
        x.start("w:trPr", &[]);
        x.empty("w:cantSplit", &[]);
        // 25.5 mm, as the PDF's cards.
        x.empty("w:trHeight", &[("w:val", "1446"), ("w:hRule", "atLeast")]);
        x.end("w:trPr");
        for c in row {
            x.start("w:tc", &[]);
            tc_pr(x, w, 1, None, Some(CARD_FILL), "top");
            card(x, c, &fonts.heading);
            x.end("w:tc");
        }
        // A short last row is filled with empty cells (Word wants full rows).
        for _ in row.len()..n {
            empty_cell(x, w);
        }
        x.end("w:tr");
    }
    x.end("w:tbl");
    // Word processors join a table to the next one without a paragraph between.
    para(x, &loose(), &[]);
}

/// An empty cell `width` wide (a short last row of cards or charts).
fn empty_cell(x: &mut Xml, width: i64) {
    x.start("w:tc", &[]);
    tc_pr(x, width, 1, None, None, "top");
    para(x, &loose(), &[]);
    x.end("w:tc");
}

/// 7.5 pt text in `color`.
fn small<'a>(text: &'a str, color: &'a str) -> Run<'a> {
    Run {
        size: Some(15),
        color: Some(color),
        ..Run::plain(text)
    }
}

/// One card's paragraphs (names and figures in `heading`).
fn card(x: &mut Xml, c: &Value, heading: &str) {
    let warn = key(c, "warning").is_some_and(|w| w == "红");
    let name = key(c, "name").unwrap_or_default();
    para(
        x,
        &Para {
            after: Some(60),
            ..loose()
        },
        &[Run {
            size: Some(17),
            color: Some(MUTED),
            ..Run::font(&name, heading)
        }],
    );
    let value = key(c, "value").unwrap_or_default();
    let unit = key(c, "unit")
        .filter(|u| !u.is_empty())
        .map(|u| format!(" {u}"));
    let mut runs = vec![Run {
        size: Some(34),
        color: Some(if warn { RED } else { ACCENT }),
        ..Run::font(&value, heading)
    }];
    if let Some(unit) = &unit {
        runs.push(Run {
            size: Some(18),
            ..small(unit, MUTED)
        });
    }
    para(
        x,
        &Para {
            after: Some(60),
            ..loose()
        },
        &runs,
    );
    if let Some(change) = key(c, "change") {
        para(x, &loose(), &[small(&change, MUTED)]);
    }
    if let Some(status) = key(c, "status") {
        let colour = if warn { RED } else { MUTED };
        para(x, &loose(), &[small(&status, colour)]);
    }
}

/// The charts two to a row in a borderless table, each with its title and subtitle above
/// it, then the legend. Each chart's data is pushed to `charts`.
fn chart_grid(
    b: &mut Body,
    v: &Value,
    legend: Option<&str>,
    charts: &mut Vec<Value>,
) -> Result<()> {
    let list = list(v, "charts");
    if list.is_empty() {
        return Ok(());
    }
    let width = b.text_width();
    let half = width / 2;
    let fonts = &b.fonts;
    let x = &mut b.x;
    x.start("w:tbl", &[]);
    x.start("w:tblPr", &[]);
    x.empty("w:tblW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
    x.empty("w:jc", &[("w:val", "center")]);
    borders(x, "none", "auto");
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    x.end("w:tblPr");
    x.start("w:tblGrid", &[]);
    x.empty("w:gridCol", &[("w:w", &half.to_string())]);
    x.empty("w:gridCol", &[("w:w", &half.to_string())]);
    x.end("w:tblGrid");
    for pair in list.chunks(2) {
        x.start("w:tr", &[]);
        x.start("w:trPr", &[])
            .empty("w:cantSplit", &[])
            .end("w:trPr");
        for c in pair {
            x.start("w:tc", &[]);
            tc_pr(x, half, 1, None, None, "top");
            let title = key(c, "title").unwrap_or_default();
            // Not kept with the next paragraph: in a table cell that keeps the row with the
            // next row, and all the rows with the heading above (cantSplit is enough).
            let p = loose();
            para(
                x,
                &p,
                &[Run {
                    size: Some(19),
                    ..Run::font(&title, &fonts.heading)
                }],
            );
            if let Some(subtitle) = key(c, "subtitle") {
                let r = Run {
                    size: Some(15),
                    color: Some(MUTED),
                    ..Run::plain(&subtitle)
                };
                para(x, &p, &[r]);
            }
            charts.push(c.clone());
            let n = charts.len();
            // The cell's width less its margins; 4.3 mm a bar as in the PDF, and 5 mm for
            // the plot area's insets.
            let cx = (half - 2 * 108) * EMU_TWIP;
            let bars = i64::try_from(chart::bar_count(c)).map_err(render_error)?;
            let cy = (50 + 43 * bars.max(1)) * EMU_MM / 10;
            x.start("w:p", &[]);
            super::notice::ppr_of(x, &loose());
            chart::inline(x, n, cx, cy);
            x.end("w:p");
            x.end("w:tc");
        }
        if pair.len() == 1 {
            empty_cell(x, half);
        }
        x.end("w:tr");
    }
    x.end("w:tbl");
    if let Some(legend) = legend {
        let r = Run {
            size: Some(16),
            color: Some(MUTED),
            ..Run::plain(legend)
        };
        let p = Para {
            before: Some(60),
            after: Some(120),
            ..loose()
        };
        para(x, &p, &[r]);
    }
    Ok(())
}
