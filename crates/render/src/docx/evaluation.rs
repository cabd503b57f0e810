//! The post-evaluation report (后评估指标达标情况) as WordprocessingML, from the data of
//! `evaluate.typ` (`doc` keys and body blocks): the notice's GB/T 9704 pages, styles, tables
//! and footers without the red header and 主送 — a title of two lines, the as-of subtitle in
//! 楷体, the prose with its headings, the sources as a numbered list, the tables (the wide
//! 基本情况 tables on landscape pages), and the 编制单位 and date at the end.

use chrono::NaiveDate;
use serde_json::Value;

use super::DocxFonts;
use super::notice::{Body, LINE, Para, Run, block, flag, key, list, para, signature, word_package};
use crate::error::Result;

/// The evaluation's `.docx` bytes from its data (`doc`, `body`) in `fonts`, dated `date`
/// (core properties and zip entries).
pub(crate) fn evaluation(data: &Value, fonts: &DocxFonts, date: NaiveDate) -> Result<Vec<u8>> {
    word_package(data, document(data, fonts)?, fonts, date)
}

fn is_landscape_table(v: &Value) -> bool {
    key(v, "type").as_deref() == Some("table") && flag(v, "landscape")
}

/// `word/document.xml` of the evaluation.
fn document(data: &Value, fonts: &DocxFonts) -> Result<Vec<u8>> {
    let doc = data.get("doc").cloned().unwrap_or(Value::Null);
    let get = |k: &str| key(&doc, k).filter(|s| !s.is_empty());
    let mut b = Body::start(fonts);
    let subtitle = get("subtitle");
    if let Some(title) = get("title") {
        let p = Para {
            style: Some("Title"),
            before: Some(LINE),
            after: subtitle.is_some().then_some(0),
            ..Para::default()
        };
        para(&mut b.x, &p, &[Run::plain(&title)]);
    }
    if let Some(subtitle) = &subtitle {
        let p = Para {
            keep_next: true,
            after: Some(LINE),
            jc: Some("center"),
            ..Para::default()
        };
        para(&mut b.x, &p, &[Run::font(subtitle, &b.fonts.kai)]);
    }
    let (office, date) = (get("signature"), get("date"));
    let signed = office.is_some() || date.is_some();
    let body = list(data, "body");
    let mut after_table = false;
    for (i, v) in body.iter().enumerate() {
        // Wide tables on landscape pages: a run of them shares one landscape section.
        let landscape = is_landscape_table(v);
        let is_table = key(v, "type").as_deref() == Some("table");
        if landscape != b.landscape() {
            b.new_section(landscape);
        } else if is_table && after_table {
            // Between two tables, a blank line (word processors join adjacent tables).
            b.spacer();
        }
        // The last paragraph stays with the signature.
        block(&mut b, v, signed && i + 1 == body.len())?;
        after_table = is_table;
    }
    if signed {
        if b.landscape() {
            b.new_section(false);
        }
        signature(&mut b.x, office.as_deref(), date.as_deref());
    }
    b.finish()
}
