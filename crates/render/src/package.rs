//! The document package: a report, the office's settings (`gonggu.toml`) and the fonts in,
//! the named files of one command out. Titles, file names, the PDF date policy, the source
//! notes and the data-quality overview are decided here once, for every command, the demo
//! and the monthly run.
//!
//! Paths in a [`Package`] are relative to the command's output folder; the caller writes
//! them (all or nothing).

use std::path::{Path, PathBuf};

use chrono::Datelike;
use gonggu_core::compute::{self, Report};
use gonggu_core::config::Config;
use gonggu_core::model::Dataset;
use gonggu_core::text::{base_name, date_zh};
use gonggu_core::validate::CheckReport;

use crate::documents::{self, DocumentMeta, TypstBundle};
use crate::error::Result;
use crate::pdf::{FontOptions, FontRoles, Fonts, ResolvedRoles};
use crate::quality::{ListOptions, QualityOverview, quality_workbooks};
use crate::xlsx::{self, WorkbookOptions};

/// One file of a package: where it goes (relative to the output folder) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path (`商丘市2021年11月主要指标通报表.xlsx`, `typst-通报/notice.typ`).
    pub path: PathBuf,
    /// Content.
    pub bytes: Vec<u8>,
}

/// The files one command writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Package {
    /// In the order they are announced to the user.
    pub files: Vec<OutputFile>,
}

impl Package {
    fn add(&mut self, path: impl Into<PathBuf>, bytes: Vec<u8>) {
        self.files.push(OutputFile {
            path: path.into(),
            bytes,
        });
    }

    /// Adds the Typst source and its data (and library files) of a PDF under `dir`, so a
    /// user can edit and recompile with `typst compile --root DIR DIR/<main>`.
    fn add_typst(&mut self, dir: &Path, bundle: &TypstBundle) {
        self.add(
            dir.join(&bundle.main_name),
            bundle.main.clone().into_bytes(),
        );
        for (path, bytes) in &bundle.files {
            self.add(dir.join(path.trim_start_matches('/')), bytes.clone());
        }
    }

    /// Appends another package's files.
    pub fn extend(&mut self, other: Package) {
        self.files.extend(other.files);
    }
}

/// How the PDF documents are made.
#[derive(Debug, Clone, Copy)]
pub struct PdfOptions<'a> {
    /// Fonts found on the system and in the configured folders.
    pub fonts: &'a Fonts,
    /// Also write the Typst sources beside the PDF (`--emit-typst`).
    pub emit_typst: bool,
}

/// Which forms of an editable document to write (`--format pdf,docx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocFormats {
    /// The PDF (GB/T 9704, compiled with Typst).
    pub pdf: bool,
    /// The Word document (`.docx`) staff edit before signing.
    pub docx: bool,
}

impl Default for DocFormats {
    /// Both.
    fn default() -> Self {
        DocFormats {
            pdf: true,
            docx: true,
        }
    }
}

/// Fonts from the system (unless `system` is false), `[fonts] dirs` and `extra_dirs`
/// (`--font-dir`).
///
/// # Errors
/// [`crate::Error::Io`] when a font folder cannot be read.
pub fn load_fonts(config: &Config, extra_dirs: &[PathBuf], system: bool) -> Result<Fonts> {
    let mut dirs = extra_dirs.to_vec();
    dirs.extend(config.fonts.dirs.iter().cloned());
    Fonts::load(&FontOptions {
        extra_dirs: dirs,
        system,
    })
}

/// Font roles: the defaults, with the families of `[fonts]` tried first.
pub fn font_roles(config: &Config) -> FontRoles {
    let mut roles = FontRoles::default();
    let f = &config.fonts;
    for (slot, over) in [
        (&mut roles.title, &f.title),
        (&mut roles.body, &f.body),
        (&mut roles.heading, &f.heading),
        (&mut roles.kai, &f.kai),
    ] {
        if let Some(list) = over {
            let mut merged = list.clone();
            merged.extend(slot.iter().cloned());
            *slot = merged;
        }
    }
    roles
}

/// The parent as a title word: nothing when it is only the fallback `合计`.
pub(crate) fn region_word(parent: &str) -> &str {
    if parent == "合计" { "" } else { parent }
}

/// `{地区}巩固拓展脱贫攻坚成果主要指标通报表`, or `[document] title` with `{地区}` filled.
pub fn table_title(config: &Config, parent: &str) -> String {
    config
        .document
        .title
        .as_deref()
        .unwrap_or("{地区}巩固拓展脱贫攻坚成果主要指标通报表")
        .replace("{地区}", region_word(parent))
}

/// `{地区}巩固拓展脱贫攻坚成果后评估指标达标情况`.
pub fn evaluation_title(report: &Report) -> String {
    format!(
        "{}巩固拓展脱贫攻坚成果后评估指标达标情况",
        region_word(&report.parent)
    )
}

/// `商丘市2021年11月`: the period prefix of output file names.
pub fn period_prefix(report: &Report) -> String {
    let region = region_word(&report.parent);
    let region = if region.is_empty() {
        String::new()
    } else {
        file_name_part(region)
    };
    format!(
        "{region}{}年{}月",
        report.as_of.year(),
        report.as_of.month()
    )
}

/// `商丘市2021年11月领导简报.pdf`: the brief's file name when none is given.
pub fn brief_file_name(report: &Report) -> String {
    format!("{}领导简报.pdf", period_prefix(report))
}

/// The official-document parts of the documents from `[document]`, with the defaults an
/// office expects: the issuing office is `{地区}巩固拓展脱贫攻坚成果领导小组办公室`, the
/// signature and printer are the issuing office, the 成文日期 is the as-of date.
pub fn document_meta(config: &Config, report: &Report, table_title: &str) -> DocumentMeta {
    let d = &config.document;
    // Without a configured (or inferred) region there is no office to name: the notice then
    // has no 发文机关标志 and no signature rather than a "合计…办公室".
    let region = region_word(&report.parent);
    let office = d.issuing_office.clone().unwrap_or_else(|| {
        if region.is_empty() {
            String::new()
        } else {
            format!("{region}巩固拓展脱贫攻坚成果领导小组办公室")
        }
    });
    DocumentMeta {
        issuing_office: office.clone(),
        document_number: d.document_number.clone().unwrap_or_default(),
        recipients: d.recipients.clone(),
        signature: d.signature.clone().unwrap_or_else(|| office.clone()),
        issue_date: config.issue_date().unwrap_or(report.as_of),
        cc: d.cc.clone(),
        printer: d.printer.clone().unwrap_or(office),
        table_title: table_title.to_string(),
        block_size: config.reports.block_size(),
        templates_dir: config.templates.clone(),
        docx_fonts: docx_fonts(config),
    }
}

/// The Word documents' font families: the first of each `[fonts]` list, else GB/T 9704's.
pub fn docx_fonts(config: &Config) -> crate::docx::DocxFonts {
    let f = &config.fonts;
    let mut fonts = crate::docx::DocxFonts::default();
    for (slot, over) in [
        (&mut fonts.title, &f.title),
        (&mut fonts.body, &f.body),
        (&mut fonts.heading, &f.heading),
        (&mut fonts.kai, &f.kai),
    ] {
        if let Some(first) = over
            .as_ref()
            .and_then(|l| l.first())
            .filter(|s| !s.trim().is_empty())
        {
            *slot = first.trim().to_owned();
        }
    }
    fonts
}

/// The data-source footnote: which tables were read (file names), and the as-of date.
pub fn source_note(ds: &Dataset, report: &Report) -> String {
    let mut files: Vec<String> = Vec::new();
    for s in &ds.sources {
        let label = format!("{}（{}）", base_name(&s.file), s.kind.label());
        if !files.contains(&label) {
            files.push(label);
        }
    }
    format!("{}；统计截止 {}", files.join("、"), date_zh(report.as_of))
}

/// Every table read, with its sheet and row count, for the evaluation's sources section.
fn source_list(ds: &Dataset) -> Vec<String> {
    ds.sources
        .iter()
        .map(|s| {
            let file = base_name(&s.file);
            match &s.sheet {
                Some(sheet) => format!(
                    "{file}（工作表「{sheet}」，{}，{} 行）",
                    s.kind.label(),
                    s.rows
                ),
                None => format!("{file}（{}，{} 行）", s.kind.label(), s.rows),
            }
        })
        .collect()
}

/// Text from the data (a region's name) made safe as part of a file name on Windows and
/// Linux alike: no folder separators or `..`, no control characters, none of `<>:"|?*`, no
/// trailing dot or space, not a reserved device name (CON, NUL, COM1 …), at most 60
/// characters. Anything replaced becomes `_`.
///
/// # Examples
/// ```
/// use gonggu_render::package::file_name_part;
/// assert_eq!(file_name_part("夏邑县"), "夏邑县");
/// assert_eq!(file_name_part("../../逃逸"), "_.._.._逃逸");
/// assert_eq!(file_name_part("/etc/cron.d"), "_etc_cron.d");
/// assert_eq!(file_name_part("CON"), "_CON");
/// assert_eq!(file_name_part("甲镇\n乙 ."), "甲镇_乙");
/// ```
pub fn file_name_part(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| match c {
            '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(60)
        .collect();
    while out.ends_with('.') || out.ends_with(' ') {
        out.pop();
    }
    // A leading `..` (or `.`) would be a hidden or parent name once joined.
    if out.starts_with('.') {
        out.insert(0, '_');
    }
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.ends_with(|c: char| c.is_ascii_digit()));
    if reserved {
        out.insert(0, '_');
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// The date a PDF carries in its metadata: a notice is dated when it is issued, the brief
/// and the evaluation when their data end.
#[derive(Debug, Clone, Copy)]
enum PdfDate {
    Issue,
    AsOf,
}

/// One PDF document: its metadata from the config, its Typst bundle from `build`, and the
/// compiled bytes.
fn document(
    report: &Report,
    config: &Config,
    pdf: PdfOptions<'_>,
    title: &str,
    date: PdfDate,
    build: impl FnOnce(&DocumentMeta, &ResolvedRoles) -> Result<TypstBundle>,
) -> Result<(TypstBundle, Vec<u8>)> {
    let roles = font_roles(config).resolve(pdf.fonts);
    let meta = document_meta(config, report, title);
    let bundle = build(&meta, &roles)?;
    let date = match date {
        PdfDate::Issue => meta.issue_date,
        PdfDate::AsOf => report.as_of,
    };
    let rendered = documents::render_bundle(&bundle, date, pdf.fonts)?;
    Ok((bundle, rendered.bytes))
}

fn workbook_options(
    config: &Config,
    ds: &Dataset,
    report: &Report,
    title: String,
) -> WorkbookOptions {
    WorkbookOptions {
        title,
        block_size: config.reports.block_size(),
        charts: false,
        source_note: source_note(ds, report),
        notes: Vec::new(),
    }
}

/// `gonggu notice`: the ranking workbook (通报表, with charts when asked), the notice
/// PDF (GB/T 9704) and the same notice as a Word document (`.docx`) to edit before signing,
/// as `formats` chooses; both dated on the 成文日期.
///
/// # Errors
/// Rendering errors of the workbook, the templates, the PDF (a missing glyph included) or
/// the Word document.
pub fn notice(
    report: &Report,
    ds: &Dataset,
    config: &Config,
    pdf: PdfOptions<'_>,
    charts: bool,
    formats: DocFormats,
) -> Result<Package> {
    let title = table_title(config, &report.parent);
    let wopts = WorkbookOptions {
        charts,
        ..workbook_options(config, ds, report, title.clone())
    };
    let prefix = period_prefix(report);
    let mut out = Package::default();
    out.add(
        format!("{prefix}主要指标通报表.xlsx"),
        xlsx::ranking_workbook(report, &wopts)?,
    );
    let mut typst = None;
    if formats.pdf {
        let (bundle, bytes) = document(
            report,
            config,
            pdf,
            &title,
            PdfDate::Issue,
            |meta, roles| documents::notice_bundle(report, meta, roles),
        )?;
        out.add(format!("{prefix}主要指标通报.pdf"), bytes);
        typst = pdf.emit_typst.then_some(bundle);
    }
    if formats.docx {
        let meta = document_meta(config, report, &title);
        out.add(
            format!("{prefix}主要指标通报.docx"),
            documents::notice_docx(report, &meta)?,
        );
    }
    if let Some(bundle) = typst {
        out.add_typst(Path::new("typst-通报"), &bundle);
    }
    Ok(out)
}

/// `gonggu brief`: the leadership brief as `file_name` (PDF) and beside it as a Word
/// document (`简报.pdf` → `简报.docx`), as `formats` chooses, both dated on the as-of date;
/// the PDF's Typst sources go to `{file stem}.typst/`.
///
/// # Errors
/// Rendering errors of the templates, the PDF or the Word document.
pub fn brief(
    report: &Report,
    config: &Config,
    pdf: PdfOptions<'_>,
    file_name: &Path,
    formats: DocFormats,
) -> Result<Package> {
    let title = table_title(config, &report.parent);
    let mut out = Package::default();
    if formats.pdf {
        let (bundle, bytes) =
            document(report, config, pdf, &title, PdfDate::AsOf, |meta, roles| {
                documents::brief_bundle(report, meta, roles)
            })?;
        out.add(file_name, bytes);
        if pdf.emit_typst {
            out.add_typst(&file_name.with_extension("typst"), &bundle);
        }
    }
    if formats.docx {
        let meta = document_meta(config, report, &title);
        out.add(
            file_name.with_extension("docx"),
            documents::brief_docx(report, &meta)?,
        );
    }
    Ok(out)
}

/// `gonggu evaluate`: the post-evaluation workbook, and the report as PDF and as a Word
/// document (`.docx`) as `formats` chooses, with the data-quality overview of `quality`
/// (none when no record table was given). The PDF is dated on the as-of date, the DOCX on
/// the issue date (its signature's date).
///
/// # Errors
/// Rendering errors of the workbook, the templates, the PDF or the Word document.
pub fn evaluation(
    report: &Report,
    ds: &Dataset,
    quality: Option<&CheckReport>,
    config: &Config,
    pdf: PdfOptions<'_>,
    formats: DocFormats,
) -> Result<Package> {
    let title = evaluation_title(report);
    let overview = quality.map(QualityOverview::from_check);
    let wopts = workbook_options(config, ds, report, title.clone());
    let xlsx = xlsx::evaluation_workbook(report, overview.as_ref(), &wopts)?;
    let lines = overview.map(|o| o.rows).unwrap_or_default();
    let sources = source_list(ds);
    let prefix = period_prefix(report);
    let name = "后评估指标达标情况";
    let mut out = Package::default();
    out.add(format!("{prefix}{name}.xlsx"), xlsx);
    if formats.pdf {
        let (bundle, bytes) =
            document(report, config, pdf, &title, PdfDate::AsOf, |meta, roles| {
                documents::evaluation_bundle(report, meta, &lines, &sources, roles)
            })?;
        out.add(format!("{prefix}{name}.pdf"), bytes);
        if pdf.emit_typst {
            out.add_typst(Path::new("typst-后评估"), &bundle);
        }
    }
    if formats.docx {
        let meta = document_meta(config, report, &title);
        out.add(
            format!("{prefix}{name}.docx"),
            documents::evaluation_docx(report, &meta, &lines, &sources)?,
        );
    }
    Ok(out)
}

/// `gonggu check --out FILE`: the 核查清单 as `file_name`, or, one workbook per county
/// (asked for, or above [`crate::quality::MAX_TOWNS_PER_WORKBOOK`] towns), `{stem}-{县}.xlsx`
/// beside it.
///
/// # Errors
/// Rendering errors of the workbooks.
pub fn check_lists(
    ds: &Dataset,
    report: &CheckReport,
    opts: &ListOptions<'_>,
    file_name: &Path,
) -> Result<Package> {
    let mut out = Package::default();
    for (suffix, bytes) in quality_workbooks(ds, report, opts)? {
        let path = if suffix.is_empty() {
            file_name.to_path_buf()
        } else {
            let stem = file_name
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "核查清单".into());
            file_name.with_file_name(format!("{stem}-{}.xlsx", file_name_part(&suffix)))
        };
        out.add(path, bytes);
    }
    Ok(out)
}

/// The machine-readable forms of a report (`gonggu compute --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorFormat {
    /// JSON of SPEC §7.
    Json,
    /// CSV with a UTF-8 BOM.
    Csv,
    /// A plain workbook.
    Xlsx,
}

/// A report as JSON, CSV or a plain workbook.
///
/// # Errors
/// Rendering errors of the workbook.
pub fn indicators(report: &Report, format: IndicatorFormat) -> Result<Vec<u8>> {
    Ok(match format {
        IndicatorFormat::Json => {
            let mut s = compute::to_json(report);
            s.push('\n');
            s.into_bytes()
        }
        IndicatorFormat::Csv => compute::to_csv(report),
        IndicatorFormat::Xlsx => xlsx::plain_workbook(report)?,
    })
}

/// `gonggu template`: the 填报 form for `units`, one column per measure the `selection`
/// needs (numerators before their denominators; a measure that only comes from 目标 is
/// left out). A share's numerator may never exceed its denominator.
///
/// # Errors
/// [`crate::Error::Core`] for an unknown indicator id; rendering errors of the workbook.
pub fn template(
    report_parent: &str,
    catalog: &gonggu_core::catalog::Catalog,
    selection: &[String],
    level: gonggu_core::region::Level,
    as_of: chrono::NaiveDate,
    units: Vec<String>,
) -> Result<Vec<u8>> {
    let spec = template_spec(report_parent, catalog, selection, level, as_of, units)?;
    crate::template::template_workbook(&spec)
}

/// The form [`template`] writes, before it becomes a workbook.
///
/// # Errors
/// [`crate::Error::Core`] for an unknown indicator id.
pub fn template_spec(
    report_parent: &str,
    catalog: &gonggu_core::catalog::Catalog,
    selection: &[String],
    level: gonggu_core::region::Level,
    as_of: chrono::NaiveDate,
    units: Vec<String>,
) -> Result<crate::template::TemplateSpec> {
    use crate::template::{TemplateColumn, TemplateSpec};
    use gonggu_core::catalog::Kind;
    use gonggu_core::measures::{self, MeasureSource};

    let mut columns: Vec<TemplateColumn> = Vec::new();
    let mut bounds: Vec<(&str, &str)> = Vec::new();
    for id in selection {
        let ind = catalog.get(id).ok_or_else(|| {
            gonggu_core::Error::Catalog(format!(
                "指标目录中没有指标「{id}」（见 gonggu indicators）"
            ))
        })?;
        for m in ind.measures() {
            let Some(def) = measures::by_id(m) else {
                continue;
            };
            if def.source == MeasureSource::Targets || columns.iter().any(|c| c.measure.id == m) {
                continue;
            }
            columns.push(TemplateColumn {
                measure: def,
                at_most: None,
            });
        }
        if let (Kind::Ratio | Kind::Progress, Some(d)) = (ind.kind, &ind.denominator) {
            bounds.push((ind.numerator.as_str(), d.as_str()));
        }
    }
    for (num, den) in bounds {
        let den_col = columns.iter().position(|c| c.measure.id == den);
        if let Some(c) = columns.iter_mut().find(|c| c.measure.id == num) {
            c.at_most = den_col;
        }
    }
    let spec = TemplateSpec {
        title: format!(
            "{}巩固拓展脱贫攻坚成果主要指标填报表",
            region_word(report_parent)
        ),
        as_of,
        unit_header: level.unit_word().into(),
        units,
        columns,
        values: None,
    };
    Ok(spec)
}
