//! The notice's and the evaluation's DOCX read back: the parts unzipped, `word/document.xml` parsed with
//! quick-xml into a small tree, and the page setup, tables, footers and text checked as
//! Word would read them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::documents::tests::{NOTICE_SELECTION, SHANGQIU, meta, report, report_with};
use crate::documents::{DocumentMeta, brief_docx, evaluation_docx, notice_docx};
use crate::quality::QualityLine;

/// An element: name, attributes, children, and its own text.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, k: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }
    /// Every descendant named `name`, in document order.
    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.all(name, out);
        }
    }
    fn find(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        self.all(name, &mut out);
        out
    }
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    /// The text of the `w:t` elements below, concatenated.
    fn texts(&self) -> String {
        self.find("w:t").iter().map(|t| t.text.as_str()).collect()
    }
}

fn parse(xml: &[u8]) -> Node {
    let mut reader = Reader::from_reader(xml);
    let mut stack = vec![Node::default()];
    let node = |e: &quick_xml::events::BytesStart<'_>| Node {
        name: e.name().as_ref().to_owned(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    a.key.as_ref().to_owned(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    };
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            Event::Start(e) => stack.push(node(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(node(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let c = match name {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    assert_eq!(stack.len(), 1, "unbalanced XML");
    stack.pop().unwrap()
}

fn part(docx: &[u8], name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = Vec::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} missing"))
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn document(docx: &[u8]) -> Node {
    parse(&part(docx, "word/document.xml"))
}

/// Every unit's display value of every indicator is in `text`.
fn every_value(r: &gonggu_core::compute::Report, text: &str) {
    for row in &r.rows {
        for c in row.values.values() {
            assert!(
                text.contains(c.display.as_str()),
                "{} {} missing",
                row.region,
                c.display
            );
        }
    }
}

fn notice() -> Vec<u8> {
    notice_docx(&report(), &meta()).unwrap()
}

#[test]
fn page_setup_is_gb_9704() {
    let docx = notice();
    let doc = document(&docx);
    let sections = doc.find("w:sectPr");
    assert!(!sections.is_empty());
    // The body's own section (the last) is the portrait page of the notice.
    let body = doc.find("w:body")[0]
        .child("w:sectPr")
        .expect("body sectPr");
    let size = body.child("w:pgSz").unwrap();
    assert_eq!(
        (size.attr("w:w"), size.attr("w:h")),
        (Some("11906"), Some("16838"))
    );
    for s in &sections {
        let m = s.child("w:pgMar").unwrap();
        let portrait = s.child("w:pgSz").unwrap().attr("w:orient").is_none();
        let (top, bottom, left, right) = if portrait {
            ("2098", "1984", "1587", "1474")
        } else {
            // Landscape: the same edges of the sheet, turned.
            ("1587", "1474", "2098", "1984")
        };
        assert_eq!(
            [
                m.attr("w:top"),
                m.attr("w:bottom"),
                m.attr("w:left"),
                m.attr("w:right")
            ],
            [Some(top), Some(bottom), Some(left), Some(right)],
            "margins of a {} section",
            if portrait { "portrait" } else { "landscape" }
        );
        // 22 lines of 28.95 pt on a portrait page; landscape pages (tables) off the grid.
        let grid = s.child("w:docGrid").unwrap();
        assert_eq!(grid.attr("w:linePitch"), Some("579"));
        assert_eq!(
            grid.attr("w:type"),
            Some(if portrait { "lines" } else { "default" })
        );
        let refs: Vec<_> = s
            .find("w:footerReference")
            .iter()
            .map(|f| f.attr("w:type").unwrap().to_owned())
            .collect();
        assert_eq!(refs, ["default", "even"]);
    }
    // 28 characters a line: 三号 (16 pt) condensed so that 28 fit the 156 mm line.
    let styles = parse(&part(&docx, "word/styles.xml"));
    let defaults = styles.find("w:rPrDefault")[0];
    let size: f64 = defaults.find("w:sz")[0]
        .attr("w:val")
        .unwrap()
        .parse()
        .unwrap();
    let spacing: f64 = defaults.find("w:spacing")[0]
        .attr("w:val")
        .unwrap()
        .parse()
        .unwrap();
    let pitch = size / 2.0 + spacing / 20.0;
    assert_eq!(size, 32.0);
    assert_eq!(
        (156.0 / 25.4 * 72.0 / pitch).floor(),
        28.0,
        "pitch {pitch} pt"
    );
    let fonts = defaults.find("w:rFonts")[0];
    assert_eq!(fonts.attr("w:eastAsia"), Some("仿宋_GB2312"));
    let table = parse(&part(&docx, "word/fontTable.xml"));
    let alt = table
        .find("w:font")
        .into_iter()
        .find(|f| f.attr("w:name") == Some("仿宋_GB2312"))
        .and_then(|f| f.child("w:altName"))
        .and_then(|a| a.attr("w:val"));
    assert_eq!(alt, Some("仿宋"));
    // The wide ranking tables (13 columns with the previous period) are on landscape pages.
    assert!(
        sections
            .iter()
            .any(|s| s.child("w:pgSz").unwrap().attr("w:orient") == Some("landscape"))
    );
    let settings = parse(&part(&docx, "word/settings.xml"));
    assert_eq!(settings.find("w:evenAndOddHeaders").len(), 1);
}

#[test]
fn footers_carry_page_fields_odd_right_even_left() {
    let docx = notice();
    for (file, side) in [("word/footer1.xml", "right"), ("word/footer2.xml", "left")] {
        let f = parse(&part(&docx, file));
        let instr: Vec<_> = f
            .find("w:instrText")
            .iter()
            .map(|i| i.text.trim().to_owned())
            .collect();
        assert_eq!(instr, ["PAGE"], "{file}");
        assert_eq!(f.find("w:jc")[0].attr("w:val"), Some(side), "{file}");
        assert_eq!(f.texts(), "— 1 —", "{file}");
    }
}

#[test]
fn tables_repeat_header_rows_and_rows_do_not_split() {
    let docx = notice();
    let doc = document(&docx);
    let tables = doc.find("w:tbl");
    // Ranking tables (and the 版记, the last).
    assert!(tables.len() >= 2, "{} tables", tables.len());
    for (i, t) in tables.iter().enumerate() {
        let rows = t.find("w:tr");
        for r in &rows {
            assert!(
                !r.find("w:cantSplit").is_empty(),
                "table {i}: a row may split"
            );
        }
        let width: i64 = t.find("w:tblW")[0].attr("w:w").unwrap().parse().unwrap();
        assert!(width == 8844 || width == 12756, "table {i} width {width}");
        let grid: i64 = t
            .find("w:gridCol")
            .iter()
            .map(|g| g.attr("w:w").unwrap().parse::<i64>().unwrap())
            .sum();
        assert!(
            grid <= width,
            "table {i}: columns {grid} wider than {width}"
        );
        if i + 1 < tables.len() {
            assert!(
                !rows[0].find("w:tblHeader").is_empty(),
                "table {i} has no header row"
            );
            // The total row is bold.
            let last = rows.last().unwrap();
            assert!(
                !last.find("w:b").is_empty(),
                "table {i}: total row not bold"
            );
        }
    }
}

#[test]
fn same_figures_as_the_pdf_data_and_red_cells_shaded() {
    let r = report();
    let docx = notice_docx(&r, &meta()).unwrap();
    let doc = document(&docx);
    let text = doc.texts();
    for needle in [
        "商丘市巩固拓展脱贫攻坚成果领导小组办公室文件",
        "商巩固办〔2021〕45号",
        "各县（市、区）巩固拓展脱贫攻坚成果领导小组办公室：",
        "商丘市巩固拓展脱贫攻坚成果主要指标通报表",
        "2021年12月11日印发",
        "抄送：市委办公室，市政府办公室。",
    ] {
        assert!(text.contains(needle), "missing {needle}");
    }
    every_value(&r, &text);
    // The red header is red.
    let red: Vec<_> = doc
        .find("w:r")
        .into_iter()
        .filter(|run| {
            run.find("w:color")
                .iter()
                .any(|c| c.attr("w:val") == Some("E60012"))
        })
        .collect();
    assert_eq!(red.len(), 1);
    // 红/黄 cells are shaded when the report has them.
    let warnings = r
        .rows
        .iter()
        .flat_map(|row| row.values.values())
        .filter(|c| c.warning.is_some())
        .count();
    let shaded = doc.find("w:shd").len();
    assert!(
        warnings == 0 || shaded > 0,
        "{warnings} warnings, {shaded} shaded cells"
    );
}

#[test]
fn without_issuer_no_red_header() {
    let m = DocumentMeta {
        issuing_office: String::new(),
        document_number: String::new(),
        ..meta()
    };
    let doc = document(&notice_docx(&report(), &m).unwrap());
    assert!(
        doc.find("w:color")
            .iter()
            .all(|c| c.attr("w:val") != Some("E60012"))
    );
    assert!(doc.find("w:pBdr").is_empty());
}

#[test]
fn same_report_gives_same_bytes() {
    let a = notice();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = notice();
    assert!(a == b, "two renderings differ");
    let core = parse(&part(&a, "docProps/core.xml"));
    assert_eq!(core.find("dcterms:created")[0].text, "2021-12-11T00:00:00Z");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
    let f = zip.by_index(0).unwrap();
    let t = f.last_modified().unwrap();
    assert_eq!((t.year(), t.month(), t.day()), (2021, 12, 11));
}

#[test]
fn markup_in_names_prints_literally() {
    let mut names = SHANGQIU;
    names[3] = "<w:p>";
    names[5] = "{{x}} & </w:t>";
    let r = report_with(&names, &NOTICE_SELECTION[..4]);
    let doc = document(&notice_docx(&r, &meta()).unwrap());
    let text = doc.texts();
    assert!(text.contains("<w:p>"), "{text}");
    assert!(text.contains("{{x}} & </w:t>"), "{text}");
}

/// The 附件说明, the 发文机关署名 and the 成文日期 stay with the last body paragraph: each
/// paragraph from the last body paragraph to the office keeps with the next.
#[test]
fn signature_is_kept_with_the_last_paragraph() {
    let doc = document(&notice());
    let paragraphs: Vec<&Node> = doc.find("w:body")[0]
        .children
        .iter()
        .filter(|c| c.name == "w:p")
        .collect();
    let date = paragraphs
        .iter()
        .position(|p| p.texts() == "2021年12月11日")
        .expect("成文日期");
    let office = paragraphs[date - 1];
    assert_eq!(office.texts(), "商丘市巩固拓展脱贫攻坚成果领导小组办公室");
    let mention = paragraphs
        .iter()
        .position(|p| p.texts().starts_with("附件："))
        .expect("附件说明");
    for p in &paragraphs[mention - 1..date] {
        assert!(
            !p.find("w:keepNext").is_empty(),
            "not kept with next: {}",
            p.texts()
        );
    }
}

/// A report with the 基本情况 counts (their tables are wide: landscape).
fn evaluation_report() -> gonggu_core::compute::Report {
    let mut r = report_with(
        &SHANGQIU,
        &[
            "assisted_share",
            "project_start_rate",
            "certificate_rate",
            "per_capita_income",
        ],
    );
    let counts: Vec<String> = [
        "tuopin",
        "monitored",
        "unstable",
        "marginal",
        "sudden",
        "eliminated",
    ]
    .iter()
    .flat_map(|k| [format!("{k}_households"), format!("{k}_persons")])
    .collect();
    let counts: Vec<&str> = counts.iter().map(String::as_str).collect();
    r.basics = Some(Box::new(report_with(&SHANGQIU, &counts)));
    r
}

fn evaluation() -> Vec<u8> {
    let quality = vec![QualityLine {
        code: "ID-CHECKSUM".to_owned(),
        title: "证件号码校验位错误".to_owned(),
        severity: "错误".to_owned(),
        count: 12,
    }];
    let sources = vec![
        "人员表.xlsx（工作表 Sheet1）".to_owned(),
        "项目库.xlsx（工作表 2021年项目）".to_owned(),
    ];
    evaluation_docx(&evaluation_report(), &meta(), &quality, &sources).unwrap()
}

/// The sections of the body in order: (landscape, the tables' captions… as the texts of
/// the paragraphs and tables before its end).
fn sections(doc: &Node) -> Vec<(bool, String)> {
    let body = doc.find("w:body")[0];
    let mut out = Vec::new();
    let mut text = String::new();
    for c in &body.children {
        text.push_str(&c.texts());
        let sect = if c.name == "w:sectPr" {
            Some(c)
        } else {
            c.child("w:pPr").and_then(|p| p.child("w:sectPr"))
        };
        if let Some(s) = sect {
            let landscape = s.child("w:pgSz").unwrap().attr("w:orient") == Some("landscape");
            out.push((landscape, std::mem::take(&mut text)));
        }
    }
    out
}

#[test]
fn evaluation_pages_tables_and_landscape_basics() {
    let docx = evaluation();
    // `GONGGU_PDF_OUT=DIR` writes it there, to look at it.
    if let Some(dir) = std::env::var_os("GONGGU_PDF_OUT") {
        std::fs::write(std::path::Path::new(&dir).join("evaluate.docx"), &docx).unwrap();
    }
    let doc = document(&docx);
    // GB/T 9704 portrait page for the body, the same footers as the notice.
    let body = doc.find("w:body")[0].child("w:sectPr").unwrap();
    let size = body.child("w:pgSz").unwrap();
    assert_eq!(
        (size.attr("w:w"), size.attr("w:h"), size.attr("w:orient")),
        (Some("11906"), Some("16838"), None)
    );
    let m = body.child("w:pgMar").unwrap();
    assert_eq!(
        [
            m.attr("w:top"),
            m.attr("w:bottom"),
            m.attr("w:left"),
            m.attr("w:right")
        ],
        [Some("2098"), Some("1984"), Some("1587"), Some("1474")]
    );
    assert_eq!(
        body.child("w:docGrid").unwrap().attr("w:type"),
        Some("lines")
    );
    for f in ["word/footer1.xml", "word/footer2.xml"] {
        let instr = parse(&part(&docx, f)).find("w:instrText")[0].text.clone();
        assert_eq!(instr.trim(), "PAGE", "{f}");
    }
    let styles = parse(&part(&docx, "word/styles.xml"));
    assert_eq!(
        styles.find("w:rPrDefault")[0].find("w:rFonts")[0].attr("w:eastAsia"),
        Some("仿宋_GB2312")
    );

    // Every table repeats its header row, no row splits, and the width fits its page.
    let tables = doc.find("w:tbl");
    // overview, regions, details (one or more), quality, two 基本情况 tables.
    assert!(tables.len() >= 6, "{} tables", tables.len());
    for (i, t) in tables.iter().enumerate() {
        let rows = t.find("w:tr");
        assert!(
            !rows[0].find("w:tblHeader").is_empty(),
            "table {i} ({}) has no header row",
            rows[0].texts()
        );
        assert!(rows.iter().all(|r| !r.find("w:cantSplit").is_empty()));
    }

    // No two tables touch (Word and LibreOffice would join them into one).
    let children = &doc.find("w:body")[0].children;
    for pair in children.windows(2) {
        assert!(
            !(pair[0].name == "w:tbl" && pair[1].name == "w:tbl"),
            "adjacent tables: {}",
            pair[1].find("w:tr")[0].texts()
        );
    }

    // The 基本情况 tables sit in landscape sections, nothing else does.
    let sections = sections(&doc);
    let landscape: Vec<&String> = sections
        .iter()
        .filter(|(l, _)| *l)
        .map(|(_, t)| t)
        .collect();
    assert!(!landscape.is_empty(), "no landscape section: {sections:?}");
    let all: String = landscape.iter().map(|t| t.as_str()).collect();
    assert!(all.contains("脱贫人口和监测对象情况表"), "{all}");
    for (l, text) in &sections {
        if *l {
            assert!(
                !text.contains("二、总体达标情况"),
                "prose on a landscape page"
            );
        }
    }
    // The last section is portrait and ends with the signature and the date.
    let (last_landscape, last) = sections.last().unwrap();
    assert!(!last_landscape);
    assert!(
        last.ends_with("商丘市巩固拓展脱贫攻坚成果领导小组办公室2021年12月11日"),
        "{last}"
    );
}

#[test]
fn evaluation_text_title_sources_and_figures() {
    let r = evaluation_report();
    let docx = evaluation();
    let doc = document(&docx);
    let paragraphs: Vec<String> = doc.find("w:body")[0]
        .children
        .iter()
        .filter(|c| c.name == "w:p")
        .map(Node::texts)
        .collect();
    // Two-line title (a line break inside), then the as-of line.
    let title = doc.find("w:p")[0];
    assert_eq!(
        title.texts(),
        "商丘市巩固拓展脱贫攻坚成果后评估指标达标情况"
    );
    assert_eq!(title.find("w:br").len(), 1);
    assert_eq!(paragraphs[1], "（数据截至2021年11月30日）");
    // The sources as a numbered list.
    assert!(paragraphs.contains(&"1. 人员表.xlsx（工作表 Sheet1）".to_owned()));
    assert!(paragraphs.contains(&"2. 项目库.xlsx（工作表 2021年项目）".to_owned()));
    let text = doc.texts();
    for needle in [
        "一、基本情况",
        "二、总体达标情况",
        "ID-CHECKSUM",
        "证件号码校验位错误",
    ] {
        assert!(text.contains(needle), "missing {needle}");
    }
    // Every unit's value of every indicator, and no red header.
    every_value(&r, &text);
    assert!(
        doc.find("w:color")
            .iter()
            .all(|c| c.attr("w:val") != Some("E60012"))
    );
    let core = parse(&part(&docx, "docProps/core.xml"));
    assert_eq!(
        core.find("dc:title")[0].text,
        "商丘市巩固拓展脱贫攻坚成果后评估指标达标情况"
    );
}

#[test]
fn evaluation_same_bytes_and_literal_markup() {
    let a = evaluation();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(a == evaluation(), "two renderings differ");

    let mut names = SHANGQIU;
    names[3] = "<w:p>";
    names[5] = "{{x}} & </w:t>";
    let r = report_with(&names, &NOTICE_SELECTION[..4]);
    let sources = vec!["<w:tbl>&amp;.xlsx".to_owned()];
    let doc = document(&evaluation_docx(&r, &meta(), &[], &sources).unwrap());
    let text = doc.texts();
    for needle in ["<w:p>", "{{x}} & </w:t>", "<w:tbl>&amp;.xlsx"] {
        assert!(text.contains(needle), "missing {needle}");
    }
}

// The briefing.

fn brief() -> Vec<u8> {
    brief_docx(&report(), &meta()).unwrap()
}

/// `(Id, Type, Target)` of `word/_rels/document.xml.rels`.
fn document_rels(docx: &[u8]) -> Vec<(String, String, String)> {
    let rels = parse(&part(docx, "word/_rels/document.xml.rels"));
    rels.find("Relationship")
        .iter()
        .map(|r| {
            let a = |k| r.attr(k).unwrap().to_owned();
            (a("Id"), a("Type"), a("Target"))
        })
        .collect()
}

/// Every chart drawn in the document is a relationship to a `c:chartSpace` part with a
/// content type, holding a horizontal bar chart of the units best first with their values.
#[test]
fn brief_charts_are_native_word_charts_referenced_from_the_document() {
    let r = report();
    let docx = brief();
    let doc = document(&docx);
    let refs = doc.find("c:chart");
    assert!(!refs.is_empty(), "no chart in the brief");
    let rels = document_rels(&docx);
    let types = parse(&part(&docx, "[Content_Types].xml"));
    let mut ids = Vec::new();
    for (n, c) in refs.iter().enumerate() {
        let id = c.attr("r:id").unwrap();
        let (_, kind, target) = rels
            .iter()
            .find(|(i, _, _)| i == id)
            .unwrap_or_else(|| panic!("{id} has no relationship"));
        assert!(kind.ends_with("/relationships/chart"), "{kind}");
        let name = format!("word/{target}");
        let overridden = types.find("Override").iter().any(|o| {
            o.attr("PartName") == Some(&format!("/{name}"))
                && o.attr("ContentType")
                    == Some("application/vnd.openxmlformats-officedocument.drawingml.chart+xml")
        });
        assert!(overridden, "{name} has no content type");
        let chart = parse(&part(&docx, &name));
        let bar = &chart.find("c:barChart")[0];
        assert_eq!(bar.find("c:barDir")[0].attr("val"), Some("bar"));
        // The chart of an indicator: its units best first, with their numbers.
        let labels: Vec<String> = bar.find("c:cat")[0]
            .find("c:v")
            .iter()
            .map(|v| v.text.clone())
            .collect();
        let values: Vec<String> = bar.find("c:val")[0]
            .find("c:pt")
            .iter()
            .map(|p| p.find("c:v")[0].text.clone())
            .collect();
        let drawn = |ind: &gonggu_core::catalog::Indicator| {
            let ranked = r.rows_by_rank(&ind.id);
            let regions: Vec<String> = ranked.iter().map(|row| row.region.clone()).collect();
            let numbers: Vec<String> = ranked
                .iter()
                .filter_map(|row| row.cell(&ind.id).and_then(|c| c.value))
                .map(|v| crate::xlsx::style::to_f64(v).to_string())
                .collect();
            regions == labels && numbers == values
        };
        assert!(
            r.indicators.iter().any(drawn),
            "chart {name} ({n}): {labels:?} {values:?} is no indicator's ranking"
        );
        // The data to edit: the embedded workbook the chart relates to holds the same units
        // and numbers.
        let rels_name = name.replace("charts/", "charts/_rels/") + ".rels";
        let rels = parse(&part(&docx, &rels_name));
        let rel = rels.find("Relationship")[0];
        let ext = &chart.find("c:externalData")[0];
        assert_eq!(ext.attr("r:id"), rel.attr("Id"));
        assert!(
            rel.attr("Type")
                .unwrap()
                .ends_with("/relationships/package")
        );
        let embedded = rel.attr("Target").unwrap().replace("../", "word/");
        let xlsx = part(&docx, &embedded);
        use calamine::{DataType, Reader};
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
        let range = wb.worksheet_range("Sheet1").unwrap();
        let cells: Vec<(String, String)> = range
            .rows()
            .skip(1)
            .filter(|row| !row[1].is_empty())
            .map(|row| (row[0].to_string(), row[1].to_string()))
            .collect();
        let cached: Vec<(String, String)> = labels.iter().cloned().zip(values.clone()).collect();
        assert_eq!(cells, cached, "{embedded}");
        ids.push(id.to_owned());
    }
    // One part per chart; drawing ids unique.
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), refs.len());
    let mut doc_prs: Vec<&str> = doc
        .find("wp:docPr")
        .iter()
        .map(|d| d.attr("id").unwrap())
        .collect();
    doc_prs.sort();
    doc_prs.dedup();
    assert_eq!(doc_prs.len(), refs.len());
}

/// The headline figures are a bordered table of cards, one per indicator with its total;
/// the ranking table's header row repeats on every page.
#[test]
fn brief_cards_and_ranking_table() {
    let r = report();
    let doc = document(&brief());
    let tables = doc.find("w:tbl");
    let cards = tables[0];
    assert!(!cards.find("w:tblBorders")[0].find("w:top").is_empty());
    let cells: Vec<String> = cards.find("w:tc").iter().map(|c| c.texts()).collect();
    for ind in &r.indicators {
        let total = &r.total.cell(&ind.id).unwrap().display;
        assert!(
            cells.iter().any(|c| c.contains(total.as_str())),
            "no card with {total} ({}) in {cells:?}",
            ind.id
        );
    }
    let ranking = tables
        .iter()
        .find(|t| t.texts().contains("排名第一"))
        .expect("ranking table");
    let rows = ranking.find("w:tr");
    assert!(
        !rows[0].find("w:tblHeader").is_empty(),
        "header not repeated"
    );
    assert!(rows[1].find("w:tblHeader").is_empty());
    let text = doc.texts();
    assert!(text.contains("主要指标简报"), "{text}");
    assert!(text.contains("排名情况"), "{text}");
}

#[test]
fn brief_same_bytes_and_literal_markup() {
    let a = brief();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(a == brief(), "two renderings differ");
    let core = parse(&part(&a, "docProps/core.xml"));
    assert_eq!(core.find("dcterms:created")[0].text, "2021-11-30T00:00:00Z");

    let mut names = SHANGQIU;
    names[0] = "<w:p>";
    names[5] = "{{x}} & </c:v>";
    let r = report_with(&names, &NOTICE_SELECTION[..4]);
    let docx = brief_docx(&r, &meta()).unwrap();
    let text = document(&docx).texts();
    assert!(text.contains("<w:p>"), "{text}");
    let labels: Vec<String> = parse(&part(&docx, "word/charts/chart1.xml"))
        .find("c:v")
        .iter()
        .map(|v| v.text.clone())
        .collect();
    assert!(labels.iter().any(|l| l == "<w:p>"), "{labels:?}");
    assert!(labels.iter().any(|l| l == "{{x}} & </c:v>"), "{labels:?}");
}

/// The sections' start types (`nextPage`, `evenPage`) and orientations, in order.
fn section_starts(doc: &Node) -> Vec<(bool, String)> {
    doc.find("w:sectPr")
        .iter()
        .map(|s| {
            let landscape = s.child("w:pgSz").unwrap().attr("w:orient") == Some("landscape");
            let start = s.child("w:type").unwrap().attr("w:val").unwrap().to_owned();
            (landscape, start)
        })
        .collect()
}

/// GB/T 9704 §8.3: the 版记 is a table floating at the foot of the page, as wide as the
/// text block; after landscape attachments its page is a section of its own that starts on
/// an even page. After portrait text no page is forced.
#[test]
fn imprint_at_the_foot_of_an_even_last_page() {
    let doc = document(&notice());
    let imprint = *doc.find("w:tbl").last().unwrap();
    assert!(imprint.texts().contains("印发"));
    let pos = imprint.find("w:tblpPr")[0];
    assert_eq!(pos.attr("w:tblpYSpec"), Some("bottom"));
    assert_eq!(pos.attr("w:vertAnchor"), Some("margin"));
    assert_eq!(pos.attr("w:horzAnchor"), Some("page"));
    assert_eq!(pos.attr("w:tblpX"), Some("1587"));
    assert_eq!(imprint.find("w:tblW")[0].attr("w:w"), Some("8844"));
    let starts = section_starts(&doc);
    assert!(
        starts.iter().any(|(landscape, _)| *landscape),
        "the test notice has no landscape attachment: {starts:?}"
    );
    let (last, before) = starts.split_last().unwrap();
    assert_eq!(last, &(false, "evenPage".to_owned()), "{starts:?}");
    assert!(before.iter().all(|(_, s)| s == "nextPage"), "{starts:?}");

    // The tables in the body (a wide one on a landscape page in the text): the text ends
    // on a portrait page and the 版记 is at its foot, no page forced.
    let tpl = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tpl.path().join("prose")).unwrap();
    let prose = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/prose/notice.j2"),
    )
    .unwrap();
    std::fs::write(
        tpl.path().join("prose/notice.j2"),
        prose.replacen("{% block body %}\n", "{% block body %}\n[[tables]]\n", 1),
    )
    .unwrap();
    let m = DocumentMeta {
        templates_dir: Some(tpl.path().to_path_buf()),
        ..meta()
    };
    let r = report_with(&SHANGQIU, &NOTICE_SELECTION[..3]);
    let doc = document(&notice_docx(&r, &m).unwrap());
    let starts = section_starts(&doc);
    assert!(starts.iter().all(|(_, s)| s == "nextPage"), "{starts:?}");
    assert_eq!(starts.last(), Some(&(false, "nextPage".to_owned())));
    assert!(doc.find("w:tbl").last().unwrap().texts().contains("印发"));
}

/// Landscape pages carry their page number turned with the page, at the sheet's foot: the
/// landscape sections' footers hold a PAGE field in a cell placed on the page, its text
/// running top to bottom by the left edge (odd pages) or bottom to top by the right edge
/// (even pages); portrait sections keep the ordinary footers.
#[test]
fn landscape_pages_turn_their_page_numbers() {
    let docx = notice();
    let doc = document(&docx);
    let rels = document_rels(&docx);
    let footer_of = |s: &Node, kind: &str| -> Node {
        let id = s
            .find("w:footerReference")
            .into_iter()
            .find(|r| r.attr("w:type") == Some(kind))
            .unwrap()
            .attr("r:id")
            .unwrap()
            .to_owned();
        let (_, _, target) = rels.iter().find(|(i, _, _)| *i == id).unwrap();
        parse(&part(&docx, &format!("word/{target}")))
    };
    let mut landscape = 0;
    for s in doc.find("w:sectPr") {
        let turned = s.child("w:pgSz").unwrap().attr("w:orient") == Some("landscape");
        for (kind, direction, near_left) in [("default", "tbRl", true), ("even", "btLr", false)] {
            let f = footer_of(s, kind);
            let instr: Vec<_> = f
                .find("w:instrText")
                .iter()
                .map(|i| i.text.trim().to_owned())
                .collect();
            assert_eq!(instr, ["PAGE"]);
            let dirs: Vec<_> = f
                .find("w:textDirection")
                .iter()
                .map(|d| d.attr("w:val").unwrap().to_owned())
                .collect();
            if turned {
                assert_eq!(dirs, [direction], "{kind} footer of a landscape section");
                let pos = f.find("w:tblpPr")[0];
                assert_eq!(pos.attr("w:horzAnchor"), Some("page"));
                let x: i64 = pos.attr("w:tblpX").unwrap().parse().unwrap();
                // Outside the text block: 37 mm (2098) from the left, 35 mm from the right.
                assert_eq!(x < 2098, near_left, "{kind}: x {x}");
                assert!(near_left || x > 16838 - 1984, "{kind}: x {x}");
            } else {
                assert!(
                    dirs.is_empty(),
                    "{kind} footer of a portrait section turned"
                );
            }
        }
        landscape += usize::from(turned);
    }
    assert!(landscape > 0, "no landscape section in the test notice");
}

/// `[fonts]` names the Word documents' fonts: the styles, the red header and the font table
/// use the office's families, the font table keeps the fallbacks.
#[test]
fn configured_fonts_name_the_word_fonts() {
    let m = DocumentMeta {
        docx_fonts: crate::docx::DocxFonts {
            body: "方正仿宋_GBK".to_owned(),
            title: "方正小标宋_GBK".to_owned(),
            ..crate::docx::DocxFonts::default()
        },
        ..meta()
    };
    for docx in [
        notice_docx(&report(), &m).unwrap(),
        brief_docx(&report(), &m).unwrap(),
    ] {
        let styles = parse(&part(&docx, "word/styles.xml"));
        let default = styles.find("w:rPrDefault")[0].find("w:rFonts")[0];
        assert_eq!(default.attr("w:eastAsia"), Some("方正仿宋_GBK"));
        // No extra space between Chinese and digits, as in the PDF.
        let para = styles.find("w:pPrDefault")[0];
        for k in ["w:autoSpaceDE", "w:autoSpaceDN"] {
            assert_eq!(para.find(k)[0].attr("w:val"), Some("0"), "{k}");
        }
        let fonts = parse(&part(&docx, "word/fontTable.xml"));
        let names: Vec<&str> = fonts
            .find("w:font")
            .iter()
            .map(|f| f.attr("w:name").unwrap())
            .collect();
        for name in [
            "方正仿宋_GBK",
            "方正小标宋_GBK",
            "仿宋",
            "黑体",
            "楷体_GB2312",
        ] {
            assert!(names.contains(&name), "{name} not in {names:?}");
        }
        assert!(!names.contains(&"仿宋_GB2312"), "{names:?}");
    }
    let doc = document(&notice_docx(&report(), &m).unwrap());
    let red = doc
        .find("w:r")
        .into_iter()
        .find(|r| {
            r.find("w:color")
                .iter()
                .any(|c| c.attr("w:val") == Some("E60012"))
        })
        .unwrap();
    assert_eq!(
        red.find("w:rFonts")[0].attr("w:eastAsia"),
        Some("方正小标宋_GBK")
    );
}
