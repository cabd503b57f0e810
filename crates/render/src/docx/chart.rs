//! Native Word bar charts (DrawingML `c:chartSpace` parts) from the brief's chart data, the
//! same `charts` block `brief.typ` draws: one horizontal bar per unit, best first, red /
//! yellow bars below / near the target, the value at the end of each bar in the indicator's
//! format (`0.00%`). Each chart carries its data twice, as Word's own charts do: cached in
//! the chart part (what Word, WPS and LibreOffice draw) and in an embedded workbook
//! (`word/embeddings/`, what Word and WPS open on 编辑数据), both written here from the
//! same numbers.
//!
//! The PDF's dashed target line has no native counterpart in a bar chart (it would take a
//! second chart type over the bars); the target is in the subtitle above each chart.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use serde_json::Value;

use super::notice::{chart_rel_id, key, list};
use super::{NS_A, NS_C, NS_R, Xml, render_error};
use crate::error::Result;

/// The embedded workbook's sheet, as Word names it.
const SHEET: &str = "Sheet1";
/// The chart part's relationship to its workbook.
pub(super) const WORKBOOK_REL: &str = "rIdWorkbook";

/// The workbook a chart's data lives in for editing: `单位` and the indicator in row 1,
/// then a row per bar (the gap row `……` without a number), the numbers in the indicator's
/// format; created on `date` (deterministic bytes).
pub(super) fn chart_workbook(chart: &Value, date: NaiveDate) -> Result<Vec<u8>> {
    let build = || -> std::result::Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut wb = Workbook::new();
        let created = ExcelDateTime::from_ymd(
            u16::try_from(date.year()).unwrap_or(1900),
            u8::try_from(date.month()).unwrap_or(1),
            u8::try_from(date.day()).unwrap_or(1),
        )?;
        wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let sheet = wb.add_worksheet().set_name(SHEET)?;
        let number = Format::new().set_num_format(
            key(chart, "format")
                .unwrap_or_else(|| "General".to_owned())
                .as_str(),
        );
        sheet.write_string(0, 0, "单位")?;
        sheet.write_string(0, 1, key(chart, "title").unwrap_or_default())?;
        sheet.set_column_width(0, 12)?;
        sheet.set_column_width(1, 16)?;
        for (i, b) in list(chart, "bars").iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            sheet.write_string(row, 0, key(b, "label").unwrap_or_default())?;
            if let Some(v) = b.get("number").and_then(Value::as_f64) {
                sheet.write_number_with_format(row, 1, v, &number)?;
            }
        }
        wb.save_to_buffer()
    };
    build().map_err(render_error)
}

/// EMU (1/36000 mm) in a millimetre.
pub(super) const EMU_MM: i64 = 36_000;

/// `brief.typ`'s bar colours: normal, 红 (below target), 黄 (near it).
fn bar_colour(warning: Option<&str>) -> &'static str {
    match warning {
        Some("红") => "D64840",
        Some("黄") => "ECB028",
        _ => "5480B8",
    }
}

/// `a:solidFill` of an sRGB colour.
fn fill(x: &mut Xml, rgb: &str) {
    x.start("a:solidFill", &[]);
    x.empty("a:srgbClr", &[("val", rgb)]);
    x.end("a:solidFill");
}

/// `c:txPr`: text at `size` hundredths of a point in 宋体 (East Asian and Latin), grey.
fn text_props(x: &mut Xml, size: &str) {
    x.start("c:txPr", &[]);
    x.empty("a:bodyPr", &[]);
    x.empty("a:lstStyle", &[]);
    x.start("a:p", &[]).start("a:pPr", &[]);
    x.start("a:defRPr", &[("sz", size), ("b", "0")]);
    fill(x, "191919");
    x.empty("a:latin", &[("typeface", "宋体")]);
    x.empty("a:ea", &[("typeface", "宋体")]);
    x.end("a:defRPr");
    x.end("a:pPr");
    x.empty("a:endParaRPr", &[("lang", "zh-CN")]);
    x.end("a:p");
    x.end("c:txPr");
}

/// `<name val="v"/>`.
fn val(x: &mut Xml, name: &str, v: &str) {
    x.empty(name, &[("val", v)]);
}

/// The common head of the category and the value axis.
struct Axis<'a> {
    tag: &'a str,
    id: &'a str,
    /// From the top (`maxMin`), for categories best first.
    reversed: bool,
    /// The scale's maximum (the minimum is 0).
    max: Option<&'a str>,
    deleted: bool,
    pos: &'a str,
    format: &'a str,
}

impl Axis<'_> {
    /// The axis opened and written up to its tick labels, without tick marks.
    fn start(&self, x: &mut Xml) {
        x.start(self.tag, &[]);
        val(x, "c:axId", self.id);
        x.start("c:scaling", &[]);
        let orientation = if self.reversed { "maxMin" } else { "minMax" };
        val(x, "c:orientation", orientation);
        if let Some(max) = self.max {
            val(x, "c:max", max);
            val(x, "c:min", "0");
        }
        x.end("c:scaling");
        val(x, "c:delete", if self.deleted { "1" } else { "0" });
        val(x, "c:axPos", self.pos);
        let format = [("formatCode", self.format), ("sourceLinked", "0")];
        x.empty("c:numFmt", &format);
        val(x, "c:majorTickMark", "none");
        val(x, "c:minorTickMark", "none");
        val(x, "c:tickLblPos", "nextTo");
    }
}

/// How many bars a chart has (its height follows).
pub(super) fn bar_count(chart: &Value) -> usize {
    list(chart, "bars").len()
}

/// The `c:chartSpace` part of one chart block (`title`, `bars` with `label`, `number`,
/// `warning`; `format`; `target_number`).
pub(super) fn chart_space(chart: &Value) -> Result<Vec<u8>> {
    let bars = list(chart, "bars");
    let format = key(chart, "format").unwrap_or_else(|| "General".to_owned());
    let number = |b: &Value| b.get("number").and_then(Value::as_f64);
    // Room after the longest bar for its value, as in the PDF (12 mm of a chart's width).
    let top = bars
        .iter()
        .filter_map(number)
        .chain(chart.get("target_number").and_then(Value::as_f64))
        .fold(0.0_f64, f64::max);
    let max = if top > 0.0 { top * 1.22 } else { 1.0 };
    let count = bars.len().to_string();

    let mut x = Xml::new();
    x.start(
        "c:chartSpace",
        &[("xmlns:c", NS_C), ("xmlns:a", NS_A), ("xmlns:r", NS_R)],
    );
    val(&mut x, "c:date1904", "0");
    val(&mut x, "c:lang", "zh-CN");
    val(&mut x, "c:roundedCorners", "0");
    x.start("c:chart", &[]);
    // The title and subtitle are paragraphs above the chart (editable text).
    val(&mut x, "c:autoTitleDeleted", "1");
    x.start("c:plotArea", &[]);
    x.empty("c:layout", &[]);
    x.start("c:barChart", &[]);
    val(&mut x, "c:barDir", "bar");
    val(&mut x, "c:grouping", "clustered");
    val(&mut x, "c:varyColors", "0");
    x.start("c:ser", &[]);
    val(&mut x, "c:idx", "0");
    val(&mut x, "c:order", "0");
    let last = bars.len() + 1;
    x.start("c:tx", &[]).start("c:strRef", &[]);
    x.leaf("c:f", &[], &format!("{SHEET}!$B$1"));
    x.start("c:strCache", &[]);
    val(&mut x, "c:ptCount", "1");
    x.start("c:pt", &[("idx", "0")]);
    x.leaf("c:v", &[], &key(chart, "title").unwrap_or_default());
    x.end("c:pt");
    x.end("c:strCache").end("c:strRef").end("c:tx");
    x.start("c:spPr", &[]);
    fill(&mut x, bar_colour(None));
    x.end("c:spPr");
    val(&mut x, "c:invertIfNegative", "0");
    for (i, b) in bars.iter().enumerate() {
        let warning = key(b, "warning");
        if warning.is_none() {
            continue;
        }
        x.start("c:dPt", &[]);
        val(&mut x, "c:idx", &i.to_string());
        val(&mut x, "c:invertIfNegative", "0");
        val(&mut x, "c:bubble3D", "0");
        x.start("c:spPr", &[]);
        fill(&mut x, bar_colour(warning.as_deref()));
        x.end("c:spPr");
        x.end("c:dPt");
    }
    x.start("c:dLbls", &[]);
    x.empty(
        "c:numFmt",
        &[("formatCode", &format), ("sourceLinked", "0")],
    );
    x.start("c:spPr", &[]);
    x.empty("a:noFill", &[]);
    x.start("a:ln", &[]).empty("a:noFill", &[]).end("a:ln");
    x.end("c:spPr");
    text_props(&mut x, "700");
    val(&mut x, "c:dLblPos", "outEnd");
    for flag in [
        "c:showLegendKey",
        "c:showVal",
        "c:showCatName",
        "c:showSerName",
        "c:showPercent",
        "c:showBubbleSize",
    ] {
        val(&mut x, flag, if flag == "c:showVal" { "1" } else { "0" });
    }
    x.end("c:dLbls");
    x.start("c:cat", &[]).start("c:strRef", &[]);
    x.leaf("c:f", &[], &format!("{SHEET}!$A$2:$A${last}"));
    x.start("c:strCache", &[]);
    val(&mut x, "c:ptCount", &count);
    for (i, b) in bars.iter().enumerate() {
        x.start("c:pt", &[("idx", &i.to_string())]);
        x.leaf("c:v", &[], &key(b, "label").unwrap_or_default());
        x.end("c:pt");
    }
    x.end("c:strCache").end("c:strRef").end("c:cat");
    x.start("c:val", &[]).start("c:numRef", &[]);
    x.leaf("c:f", &[], &format!("{SHEET}!$B$2:$B${last}"));
    x.start("c:numCache", &[]);
    x.leaf("c:formatCode", &[], &format);
    val(&mut x, "c:ptCount", &count);
    for (i, b) in bars.iter().enumerate() {
        // The gap row (`……`) between the best and the last has no value.
        if let Some(v) = number(b) {
            x.start("c:pt", &[("idx", &i.to_string())]);
            x.leaf("c:v", &[], &v.to_string());
            x.end("c:pt");
        }
    }
    x.end("c:numCache").end("c:numRef").end("c:val");
    x.end("c:ser");
    val(&mut x, "c:gapWidth", "45");
    val(&mut x, "c:axId", "1");
    val(&mut x, "c:axId", "2");
    x.end("c:barChart");

    // Units down the left, the first at the top.
    let cat = Axis {
        tag: "c:catAx",
        id: "1",
        reversed: true,
        max: None,
        deleted: false,
        pos: "l",
        format: "General",
    };
    cat.start(&mut x);
    x.start("c:spPr", &[]).start("a:ln", &[("w", "7620")]);
    fill(&mut x, "787878");
    x.end("a:ln").end("c:spPr");
    text_props(&mut x, "750");
    val(&mut x, "c:crossAx", "2");
    val(&mut x, "c:crosses", "autoZero");
    val(&mut x, "c:auto", "1");
    val(&mut x, "c:lblAlgn", "ctr");
    val(&mut x, "c:lblOffset", "100");
    val(&mut x, "c:noMultiLvlLbl", "0");
    x.end("c:catAx");

    // No value axis drawn (the values are on the bars), as in the PDF; it fixes the scale.
    let max = max.to_string();
    let value = Axis {
        tag: "c:valAx",
        id: "2",
        reversed: false,
        max: Some(&max),
        deleted: true,
        pos: "b",
        format: &format,
    };
    value.start(&mut x);
    val(&mut x, "c:crossAx", "1");
    val(&mut x, "c:crosses", "autoZero");
    val(&mut x, "c:crossBetween", "between");
    x.end("c:valAx");
    x.end("c:plotArea");
    val(&mut x, "c:plotVisOnly", "1");
    val(&mut x, "c:dispBlanksAs", "gap");
    x.end("c:chart");
    // No frame around the chart.
    x.start("c:spPr", &[]);
    x.empty("a:noFill", &[]);
    x.start("a:ln", &[]).empty("a:noFill", &[]).end("a:ln");
    x.end("c:spPr");
    text_props(&mut x, "750");
    x.start("c:externalData", &[("r:id", WORKBOOK_REL)]);
    val(&mut x, "c:autoUpdate", "0");
    x.end("c:externalData");
    x.end("c:chartSpace");
    x.finish()
}

/// A run holding chart `n` (from 1) inline, `width` × `height` EMU.
pub(super) fn inline(x: &mut Xml, n: usize, width: i64, height: i64) {
    let (cx, cy) = (width.to_string(), height.to_string());
    let id = n.to_string();
    let name = format!("图表 {n}");
    let rel = chart_rel_id(n);
    x.start("w:r", &[]).start("w:drawing", &[]);
    x.start(
        "wp:inline",
        &[
            ("distT", "0"),
            ("distB", "0"),
            ("distL", "0"),
            ("distR", "0"),
        ],
    );
    x.empty("wp:extent", &[("cx", &cx), ("cy", &cy)]);
    x.empty(
        "wp:effectExtent",
        &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")],
    );
    x.empty("wp:docPr", &[("id", &id), ("name", &name)]);
    x.empty("wp:cNvGraphicFramePr", &[]);
    x.start("a:graphic", &[]);
    x.start(
        "a:graphicData",
        &[(
            "uri",
            "http://schemas.openxmlformats.org/drawingml/2006/chart",
        )],
    );
    x.empty("c:chart", &[("r:id", &rel)]);
    x.end("a:graphicData");
    x.end("a:graphic");
    x.end("wp:inline");
    x.end("w:drawing").end("w:r");
}
