//! The three PDF documents: the official notice (通报, GB/T 9704-2012), the leadership
//! briefing (简报) and the post-evaluation report (后评估达标情况).
//!
//! Each document is made in two steps, so that `--emit-typst` can write what is compiled:
//! 1. a `*_bundle` function builds a [`TypstBundle`] from the [`Report`]: the Typst main
//!    file (`crates/render/templates/typst/notice.typ`, `brief.typ`, `evaluate.typ`), the shared
//!    layout library (`/lib/official.typ`) and `/data.json` with every figure, name and
//!    sentence of the document;
//! 2. [`render_bundle`] compiles the bundle to PDF bytes with the embedded Typst.
//!
//! The sentences come from minijinja templates (`crates/render/templates/prose/notice.j2`,
//! `brief.j2`, `evaluate.j2`) filled with facts read off the report: per indicator the
//! total, the units ranked first and last (ties together), units below target (红) or
//! just above it (黄), and with a previous period the total's change and units that moved
//! two places or more (进位 / 退位). The keys are listed in
//! `crates/render/templates/prose/README.md`. Undefined keys are errors.
//!
//! Templates are data: any of them is replaced by a file of the same name under
//! [`DocumentMeta::templates_dir`] — prose in `prose/` (`prose/notice.j2`), layouts and
//! the library in `typst/` (`typst/notice.typ`, `typst/official.typ`).
//!
//! Names and figures reach Typst only as JSON strings, so a region named
//! `#read("/etc/passwd")` prints as those characters. The documents carry aggregates
//! only: no names, ID numbers or phone numbers of persons.
//!
//! # Example
//! ```no_run
//! # use gonggu_core::compute::Report;
//! # fn report() -> Report { unimplemented!() }
//! use chrono::NaiveDate;
//! use gonggu_render::documents::{notice_bundle, render_bundle, DocumentMeta};
//! use gonggu_render::pdf::{FontOptions, FontRoles, Fonts};
//!
//! let report: Report = report(); // from gonggu_core::compute::build_report
//! let fonts = Fonts::load(&FontOptions::default())?;
//! let roles = FontRoles::default().resolve(&fonts);
//! let meta = DocumentMeta {
//!     issuing_office: "商丘市巩固拓展脱贫攻坚成果领导小组办公室".into(),
//!     document_number: "商乡振办〔2021〕45号".into(),
//!     recipients: vec!["各县（市、区）巩固拓展脱贫攻坚成果领导小组办公室".into()],
//!     issue_date: NaiveDate::from_ymd_opt(2021, 12, 11).unwrap_or_default(),
//!     ..DocumentMeta::default()
//! };
//! let bundle = notice_bundle(&report, &meta, &roles)?;
//! let pdf = render_bundle(&bundle, meta.issue_date, &fonts)?;
//! std::fs::write("通报.pdf", &pdf.bytes).ok();
//! # Ok::<(), gonggu_render::Error>(())
//! ```

// `crate::Error` is large by design (every input error carries its `Place`).
#![allow(clippy::result_large_err)]

mod basics;
mod facts;
mod prose;
mod tables;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::pdf::{self, Fonts, PdfJob, RenderedPdf, ResolvedRoles};
use crate::quality::QualityLine;
use facts::ProseContext;
use gonggu_core::compute::Report;
use gonggu_core::text::date_zh;
use prose::{Prose, ProseBlock};

/// Built-in Typst layouts of the documents, by file name.
const BUILTIN_LAYOUTS: &[(&str, &str)] = &[
    (
        "notice.typ",
        include_str!("../../templates/typst/notice.typ"),
    ),
    ("brief.typ", include_str!("../../templates/typst/brief.typ")),
    (
        "evaluate.typ",
        include_str!("../../templates/typst/evaluate.typ"),
    ),
];

/// Indicators per table block when [`DocumentMeta::block_size`] is 0.
const DEFAULT_BLOCK_SIZE: usize = 3;

/// The official-document parts of the documents (from `[document]` in `gonggu.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentMeta {
    /// 发文机关 (`商丘市巩固拓展脱贫攻坚成果领导小组办公室`). The notice's red header is this
    /// name followed by `文件` (unless it already ends so).
    pub issuing_office: String,
    /// 发文字号 (`商乡振办〔2021〕45号`); empty: none printed.
    pub document_number: String,
    /// 主送机关, each without punctuation; printed joined with `，` and ended with `：`.
    pub recipients: Vec<String>,
    /// 发文机关署名; empty: the issuing office.
    pub signature: String,
    /// 成文日期 (also the 印发日期 of the 版记).
    pub issue_date: NaiveDate,
    /// 抄送机关; empty: no 抄送 line.
    pub cc: Vec<String>,
    /// 印发机关; empty: the issuing office.
    pub printer: String,
    /// Title of the ranking table (`商丘市巩固拓展脱贫攻坚成果主要指标通报表`); empty:
    /// `{地区}巩固拓展脱贫攻坚成果主要指标通报表`.
    pub table_title: String,
    /// Indicators per table block (3 like the 商丘 table); 0 means 3.
    pub block_size: usize,
    /// Directory whose files replace built-in templates: `prose/*.j2`, `typst/*.typ`.
    pub templates_dir: Option<PathBuf>,
    /// Font families the Word documents name (the PDF finds its fonts by role).
    pub docx_fonts: crate::docx::DocxFonts,
}

/// What Typst compiles for one document; `--emit-typst` writes it out.
///
/// `files` holds absolute virtual paths (`/data.json`, `/lib/official.typ`). Written into
/// a directory `DIR` (`DIR/notice.typ`, `DIR/data.json`, `DIR/lib/official.typ`), the
/// bundle compiles with `typst compile --root DIR DIR/notice.typ`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypstBundle {
    /// File name of the main source (`notice.typ`).
    pub main_name: String,
    /// The main Typst source.
    pub main: String,
    /// The other files: `/data.json` and the libraries under `/lib/`.
    pub files: Vec<(String, Vec<u8>)>,
}

/// The ranking table's title: [`DocumentMeta::table_title`] or the default.
fn table_title(report: &Report, meta: &DocumentMeta) -> String {
    if meta.table_title.trim().is_empty() {
        format!(
            "{}巩固拓展脱贫攻坚成果主要指标通报表",
            crate::package::region_word(&report.parent)
        )
    } else {
        meta.table_title.trim().to_owned()
    }
}

fn or_office(value: &str, meta: &DocumentMeta) -> String {
    if value.trim().is_empty() {
        meta.issuing_office.trim().to_owned()
    } else {
        value.trim().to_owned()
    }
}

fn non_empty(s: String) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::from(s)
    }
}

/// The `doc` keys of `official.typ` from the meta data and a title.
fn doc_keys(meta: &DocumentMeta, title: &str) -> Value {
    let office = meta.issuing_office.trim();
    let mark = if office.is_empty() || office.ends_with("文件") {
        office.to_owned()
    } else {
        format!("{office}文件")
    };
    let list = |items: &[String]| -> Vec<String> {
        items
            .iter()
            .map(|s| {
                s.trim()
                    .trim_end_matches(['，', '。', '：', ',', ':'])
                    .to_owned()
            })
            .filter(|s| !s.is_empty())
            .collect()
    };
    let recipients = list(&meta.recipients);
    let cc = list(&meta.cc);
    json!({
        "issuer_mark": non_empty(mark),
        "number": non_empty(meta.document_number.trim().to_owned()),
        "title": title,
        "recipients": if recipients.is_empty() { Value::Null } else { Value::from(format!("{}：", recipients.join("，"))) },
        "signature": non_empty(or_office(&meta.signature, meta)),
        "date": date_zh(meta.issue_date),
        "cc": if cc.is_empty() { Value::Null } else { Value::from(format!("{}。", cc.join("，"))) },
        "printed_by": non_empty(or_office(&meta.printer, meta)),
        "printed_on": date_zh(meta.issue_date),
    })
}

/// Prose blocks as body blocks; `insert` supplies the blocks of a `[[part]]`.
fn body_blocks(prose: &Prose, mut insert: impl FnMut(&str) -> Vec<Value>) -> Vec<Value> {
    let mut out = Vec::new();
    let mut blocks = prose.blocks.iter().peekable();
    while let Some(block) = blocks.next() {
        match block {
            ProseBlock::Paragraph(text) => {
                // A paragraph that introduces a table or chart stays on its page.
                let keep = matches!(blocks.peek(), Some(ProseBlock::Insert(_)));
                let (lead, text) = run_in_heading(text);
                out.push(json!({
                    "type": "paragraph",
                    "lead": lead,
                    "text": text,
                    "keep_with_next": keep,
                }));
            }
            ProseBlock::Heading(level, text) => {
                out.push(json!({ "type": "heading", "level": level, "text": text }));
            }
            ProseBlock::Insert(name) => out.extend(insert(name)),
        }
    }
    out
}

/// Splits a paragraph that opens with a run-in second-level heading — `（一）` … up to
/// the first `。` within 40 characters — into that heading and the rest (GB/T 9704 sets the
/// heading in 楷体); other paragraphs have no heading.
fn run_in_heading(text: &str) -> (Option<&str>, &str) {
    let numbered = text.strip_prefix('（').and_then(|rest| {
        let close = rest.find('）')?;
        let numeral = &rest[..close];
        (!numeral.is_empty() && numeral.chars().all(|c| "一二三四五六七八九十".contains(c)))
            .then_some(())
    });
    if numbered.is_none() {
        return (None, text);
    }
    match text.char_indices().take(40).find(|(_, c)| *c == '。') {
        Some((i, c)) => {
            let end = i + c.len_utf8();
            (Some(&text[..end]), &text[end..])
        }
        None => (None, text),
    }
}

/// A layout: `templates_dir/typst/name` when present, else built in.
fn layout(name: &str, templates_dir: Option<&Path>) -> Result<String> {
    if let Some(dir) = templates_dir {
        let path = dir.join("typst").join(name);
        if path.is_file() {
            return std::fs::read_to_string(&path).map_err(|source| Error::Io { path, source });
        }
    }
    BUILTIN_LAYOUTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| (*text).to_owned())
        .ok_or_else(|| Error::Template(format!("没有名为「{name}」的 Typst 版式。")))
}

fn bundle(
    name: &str,
    data: &Value,
    meta: &DocumentMeta,
    roles: &ResolvedRoles,
) -> Result<TypstBundle> {
    let dir = meta.templates_dir.as_deref();
    let library_dir = dir.map(|d| d.join("typst"));
    let mut files = pdf::library_files(library_dir.as_deref())?;
    files.push(pdf::data_file(data, roles)?);
    Ok(TypstBundle {
        main_name: name.to_owned(),
        main: layout(name, dir)?,
        files,
    })
}

fn context(
    report: &Report,
    meta: &DocumentMeta,
    quality: &[QualityLine],
    sources: &[String],
) -> ProseContext {
    facts::prose_context(report, meta, quality, sources)
}

/// The notice (通报) in GB/T 9704-2012 form: red header with 发文字号, title, 主送机关,
/// the prose of `prose/notice.j2` (总体情况, 各项指标排名, 存在的问题, 下步要求), the
/// ranking tables as 附件 (blocks of [`DocumentMeta::block_size`] indicators, units in
/// official order, total row bold and unranked, 红/黄 cells shaded, landscape when a block
/// has more than nine columns), 落款 with 成文日期, and the 版记.
///
/// A line `[[tables]]` in the prose template puts the tables into the body instead of an
/// attachment.
///
/// # Errors
/// [`Error::Template`] naming the template when the prose template fails (syntax, an
/// undefined key, an unknown `[[part]]`) or an override cannot be found; [`Error::Io`]
/// when an override file cannot be read; [`Error::Render`] when the data cannot be
/// written as JSON.
pub fn notice_bundle(
    report: &Report,
    meta: &DocumentMeta,
    roles: &ResolvedRoles,
) -> Result<TypstBundle> {
    let data = notice_data(report, meta)?;
    bundle("notice.typ", &data, meta, roles)
}

/// The notice as an editable Word document (`.docx`) with the GB/T 9704 page setup: the
/// same title, prose, tables and 版记 as [`notice_bundle`] (both read one block list), dated
/// on the 成文日期 so that the same report gives the same bytes.
///
/// # Errors
/// As [`notice_bundle`] for the prose template; [`Error::Render`] when the document cannot
/// be written.
pub fn notice_docx(report: &Report, meta: &DocumentMeta) -> Result<Vec<u8>> {
    let data = notice_data(report, meta)?;
    crate::docx::notice(&data, &meta.docx_fonts, meta.issue_date)
}

/// The notice's data: `doc` keys, body blocks and attachments (the keys of `notice.typ`),
/// read by the Typst layout and the DOCX writer alike.
fn notice_data(report: &Report, meta: &DocumentMeta) -> Result<Value> {
    let ctx = context(report, meta, &[], &[]);
    let prose = prose::render(
        "notice.j2",
        meta.templates_dir.as_deref(),
        &ctx,
        &["tables", "basics"],
    )?;
    let title = prose.title.clone().unwrap_or_else(|| {
        format!(
            "关于{}{}巩固拓展脱贫攻坚成果主要指标情况的通报",
            ctx.parent, ctx.period
        )
    });
    let caption = table_title(report, meta);
    let tables = tables::ranking_tables(report, meta, &caption);
    let region = crate::package::region_word(&report.parent);
    let counts = basics::basics_tables(report, &format!("{region}{}", ctx.period));
    let counts_caption = format!("{region}{}巩固拓展脱贫攻坚成果基本情况统计表", ctx.period);
    let inline = |part: &str| {
        prose
            .blocks
            .iter()
            .any(|b| matches!(b, ProseBlock::Insert(name) if name == part))
    };
    let body = body_blocks(&prose, |name| match name {
        "basics" => counts.clone(),
        _ => tables.clone(),
    });
    // The parts not placed in the body are 附件, numbered when there are two.
    let mut parts: Vec<(String, Vec<Value>)> = Vec::new();
    if !counts.is_empty() && !inline("basics") {
        parts.push((counts_caption, counts.clone()));
    }
    if !inline("tables") {
        parts.push((caption, tables.clone()));
    }
    let numbered = parts.len() > 1;
    let attachments: Vec<Value> = parts
        .into_iter()
        .enumerate()
        .map(|(i, (mention, blocks))| {
            json!({
                "label": if numbered { format!("附件{}", i + 1) } else { "附件".to_string() },
                "mention": mention,
                "landscape": blocks.iter().any(|t| t["landscape"] == Value::Bool(true)),
                "blocks": blocks,
            })
        })
        .collect();
    Ok(json!({
        "doc": doc_keys(meta, &title),
        "body": body,
        "attachments": attachments,
    }))
}

/// The leadership briefing (简报), one or two plain A4 pages: title with the as-of date,
/// a grid of headline figures (each indicator's total, its change and target status), the
/// prose of `prose/brief.j2`, a table of the first and last units and the units below
/// target per ranked indicator, and small bar charts (at most six, one per ranked
/// indicator, bars best first, the target as a dashed line); with a trend in the report
/// (`gonggu run` and its history), small line charts of the headline indicators over the
/// recorded months close it.
///
/// The prose template places the parts with `[[headline]]`, `[[ranking]]` and
/// `[[charts]]`.
///
/// # Errors
/// As [`notice_bundle`].
pub fn brief_bundle(
    report: &Report,
    meta: &DocumentMeta,
    roles: &ResolvedRoles,
) -> Result<TypstBundle> {
    let data = brief_data(report, meta)?;
    bundle("brief.typ", &data, meta, roles)
}

/// The briefing as an editable Word document (`.docx`) on the brief's own A4 pages: the same
/// title, prose, figure cards (a table of cards), ranking table and charts (native Word bar
/// charts drawn from the same numbers) as [`brief_bundle`] (both read one block list), dated
/// on the as-of date so that the same report gives the same bytes.
///
/// # Errors
/// As [`brief_bundle`] for the prose template; [`Error::Render`] when the document cannot
/// be written.
pub fn brief_docx(report: &Report, meta: &DocumentMeta) -> Result<Vec<u8>> {
    let data = brief_data(report, meta)?;
    crate::docx::brief(&data, &meta.docx_fonts, report.as_of)
}

/// The briefing's data: `doc` keys (title, byline), body blocks and labels (the keys of
/// `brief.typ`), read by the Typst layout and the DOCX writer alike.
fn brief_data(report: &Report, meta: &DocumentMeta) -> Result<Value> {
    let ctx = context(report, meta, &[], &[]);
    let prose = prose::render(
        "brief.j2",
        meta.templates_dir.as_deref(),
        &ctx,
        &["headline", "ranking", "charts", "basics"],
    )?;
    let title = prose.title.clone().unwrap_or_else(|| {
        format!(
            "{}巩固拓展脱贫攻坚成果主要指标简报\n（截至{}）",
            ctx.parent, ctx.as_of
        )
    });
    let mut body = body_blocks(&prose, |name| match name {
        "headline" => vec![tables::headline(report, &ctx)],
        "ranking" => vec![tables::brief_ranking(&ctx)],
        "basics" => basics::compact_table(report).into_iter().collect(),
        _ => vec![tables::charts(report, &ctx)],
    });
    // With a history (`gonggu run`), the headline indicators' course closes the brief.
    body.extend(tables::trend(report));
    let byline: Vec<String> = [
        meta.issuing_office.trim().to_owned(),
        date_zh(meta.issue_date),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();
    Ok(json!({
        "doc": {
            "title": title,
            "byline": byline.join("　　"),
        },
        "body": body,
        "labels": {
            "legend": "条形按名次排列；红色为未达到目标，黄色为接近目标，红色虚线为目标值。",
            // Under the DOCX's native charts, which draw no target line.
            "legend_native": "条形按名次排列；红色为未达到目标，黄色为接近目标；目标值见各图标题下一行。",
        },
    }))
}

/// The post-evaluation report (后评估指标达标情况): title, as-of date, the input files
/// and sheets (`sources`), a table of every indicator with its target, the parent's value
/// and how many units meet it, a table of 达标 / 未达标 counts per unit, every unit's
/// value and status per indicator, and the data-quality findings (`quality`; a sentence
/// when there are none), with the prose of `prose/evaluate.j2`.
///
/// The prose template places the parts with `[[sources]]`, `[[overview]]`,
/// `[[regions]]`, `[[details]]` and `[[quality]]`.
///
/// # Errors
/// As [`notice_bundle`].
pub fn evaluation_bundle(
    report: &Report,
    meta: &DocumentMeta,
    quality: &[QualityLine],
    sources: &[String],
    roles: &ResolvedRoles,
) -> Result<TypstBundle> {
    let data = evaluation_data(report, meta, quality, sources)?;
    bundle("evaluate.typ", &data, meta, roles)
}

/// The post-evaluation report as an editable Word document (`.docx`) on GB/T 9704 pages
/// (without the red header): the same title, prose, sources list and tables as
/// [`evaluation_bundle`] (both read one block list), the 基本情况 tables on landscape pages,
/// dated on `meta.issue_date` so that the same report gives the same bytes.
///
/// # Errors
/// As [`evaluation_bundle`] for the prose template; [`Error::Render`] when the document
/// cannot be written.
pub fn evaluation_docx(
    report: &Report,
    meta: &DocumentMeta,
    quality: &[QualityLine],
    sources: &[String],
) -> Result<Vec<u8>> {
    let data = evaluation_data(report, meta, quality, sources)?;
    crate::docx::evaluation(&data, &meta.docx_fonts, meta.issue_date)
}

/// The post-evaluation report's data: `doc` keys (title, subtitle, signature, date) and body
/// blocks (the keys of `evaluate.typ`), read by the Typst layout and the DOCX writer alike.
fn evaluation_data(
    report: &Report,
    meta: &DocumentMeta,
    quality: &[QualityLine],
    sources: &[String],
) -> Result<Value> {
    let ctx = context(report, meta, quality, sources);
    let prose = prose::render(
        "evaluate.j2",
        meta.templates_dir.as_deref(),
        &ctx,
        &[
            "sources", "overview", "regions", "details", "quality", "basics",
        ],
    )?;
    let title = prose
        .title
        .clone()
        .unwrap_or_else(|| format!("{}巩固拓展脱贫攻坚成果后评估指标达标情况", ctx.parent));
    let body = body_blocks(&prose, |name| match name {
        "sources" => vec![json!({ "type": "list", "items": ctx.sources })],
        "basics" => basics::basics_tables(
            report,
            &format!(
                "{}{}",
                crate::package::region_word(&report.parent),
                ctx.period
            ),
        ),
        "overview" => vec![tables::evaluation_overview(report, &ctx)],
        "regions" => vec![tables::evaluation_regions(&ctx)],
        "details" => tables::evaluation_details(report, meta, &ctx),
        _ => tables::evaluation_quality(&ctx).into_iter().collect(),
    });
    Ok(json!({
        "doc": {
            "title": title,
            "subtitle": format!("（{}）", tables::as_of_note(report)),
            "signature": non_empty(or_office(&meta.signature, meta)),
            "date": date_zh(meta.issue_date),
        },
        "body": body,
    }))
}

/// Compiles a bundle to PDF. `date` is the document's date (Typst's `today` and the PDF
/// creation date; use the issue date or the as-of date, never the clock, so that the same
/// input gives the same bytes).
///
/// # Errors
/// As [`pdf::render_pdf`]: [`Error::Template`] when an (overridden) layout does not
/// compile, [`Error::MissingGlyphs`] when no installed font has some character,
/// [`Error::Render`] when PDF export fails.
pub fn render_bundle(bundle: &TypstBundle, date: NaiveDate, fonts: &Fonts) -> Result<RenderedPdf> {
    let job = PdfJob {
        main_name: &bundle.main_name,
        main: &bundle.main,
        files: bundle.files.clone(),
        date,
    };
    pdf::render_pdf(&job, fonts)
}

/// Block size actually used.
fn block_size(meta: &DocumentMeta) -> usize {
    if meta.block_size == 0 {
        DEFAULT_BLOCK_SIZE
    } else {
        meta.block_size
    }
}

#[cfg(test)]
pub(crate) mod tests;
