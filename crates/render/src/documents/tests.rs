//! Tests of the three documents. They read the PDFs as a reader would: text with
//! `pdftotext`, page size and count with `pdfinfo` (poppler-utils; skipped with a note when
//! missing, as is everything that needs a Chinese font when none is installed).
//!
//! `GONGGU_PDF_OUT=DIR` writes the PDFs there, to look at them
//! (`pdftoppm -png -r 60 DIR/notice.pdf DIR/notice`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::*;
use crate::pdf::tests::{has_tool, poppler};
use crate::pdf::{FontOptions, FontRoles};
use gonggu_core::catalog::Catalog;
use gonggu_core::compute::{ReportInput, UnitInput, WarningConfig, build_report};
use gonggu_core::measures::Tally;
use gonggu_core::region::Level;

static FONTS: LazyLock<Fonts> =
    LazyLock::new(|| Fonts::load(&FontOptions::default()).expect("system fonts"));

fn cjk_fonts() -> Option<&'static Fonts> {
    if FONTS.has_cjk() {
        Some(&FONTS)
    } else {
        eprintln!("注意：本机没有中文字体（apt-get install fonts-noto-cjk），跳过此测试");
        None
    }
}

fn roles() -> ResolvedRoles {
    FontRoles::default().resolve(&FONTS)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) const SHANGQIU: [&str; 10] = [
    "永城市",
    "夏邑县",
    "虞城县",
    "示范区",
    "梁园区",
    "睢阳区",
    "宁陵县",
    "柘城县",
    "睢县",
    "民权县",
];

/// Per county: covered households, loan households (商丘's 户贷率 of 2021-12-11),
/// planned / started projects (虞城县 98.81%), monitored / assisted households, funds
/// allocated / spent / industry, labour / certified / employed, income records.
#[derive(Clone, Copy)]
struct County {
    covered: i64,
    loans: i64,
    planned: i64,
    started: i64,
    monitored: i64,
    assisted: i64,
    allocated: i64,
    spent: i64,
    industry: i64,
    labour: i64,
    certified: i64,
    employed: i64,
    income_persons: i64,
    income_sum: i64,
}

fn counties(previous: bool) -> Vec<County> {
    // 户贷率 as 商丘's table: 24.41, 18.28, 21.54, 17.66, 19.66, 19.91, 20.53, 26.94, 21.91, 22.86.
    let loans = [2441, 1828, 2154, 1766, 1966, 1991, 2053, 2694, 2191, 2286];
    // A month earlier 梁园区 ranked 4th (now 8th: 退位4) and 睢县 8th (now 4th: 进位4).
    let loans_before = [2400, 1800, 2100, 1700, 2200, 1980, 2030, 2650, 1950, 2250];
    let planned = [84, 168, 84, 42, 21, 63, 105, 126, 147, 84];
    let assisted = [993, 999, 1000, 1000, 980, 903, 1000, 961, 987, 798];
    let industry = [61, 65, 58, 70, 62, 60, 66, 59, 63, 64];
    let certified = [45, 41, 39, 48, 42, 40, 52, 44, 38, 47];
    (0..10)
        .map(|i| County {
            covered: 10000,
            loans: if previous { loans_before[i] } else { loans[i] },
            planned: planned[i],
            started: if i == 2 { planned[i] - 1 } else { planned[i] },
            monitored: 1000,
            assisted: assisted[i],
            allocated: 1000,
            spent: 700 + 25 * i as i64 - if previous { 80 } else { 0 },
            industry: industry[i] * 10,
            labour: 1000,
            certified: certified[i] * 10,
            employed: 820 + 7 * i as i64,
            income_persons: 3000,
            income_sum: 3000 * (9800 + 150 * i as i64),
        })
        .collect()
}

fn tally(c: &County) -> Tally {
    let mut t = Tally::default();
    for (id, v) in [
        ("covered_households", c.covered),
        ("loan_balance_households", c.loans),
        ("planned_projects", c.planned),
        ("started_projects", c.started),
        ("completed_projects", c.started * 9 / 10),
        ("monitored_households", c.monitored),
        ("assisted_monitored_households", c.assisted),
        ("eliminated_households", c.monitored * 37 / 100),
        ("funds_allocated", c.allocated),
        ("funds_spent", c.spent),
        ("funds_industry", c.industry),
        ("labor_persons", c.labour),
        ("certified_persons", c.certified),
        ("employed_persons", c.employed),
        ("income_persons", c.income_persons),
        ("income_persons_sum", c.income_sum),
        // 基本情况 counts (read only through `Report::basics`).
        ("tuopin_households", c.covered * 4),
        ("tuopin_persons", c.covered * 13),
        ("monitored_persons", c.monitored * 3),
        ("unstable_households", c.monitored * 4 / 10),
        ("unstable_persons", c.monitored * 12 / 10),
        ("marginal_households", c.monitored * 5 / 10),
        ("marginal_persons", c.monitored * 15 / 10),
        ("sudden_households", c.monitored / 10),
        ("sudden_persons", c.monitored * 3 / 10),
        ("eliminated_persons", c.monitored * 111 / 100),
    ] {
        t.add(id, Decimal::from(v));
    }
    t
}

pub(crate) const NOTICE_SELECTION: [&str; 9] = [
    "loan_household_rate",
    "project_start_rate",
    "assisted_share",
    "fund_spend_progress",
    "industry_fund_share",
    "certificate_rate",
    "employment_rate",
    "per_capita_income",
    "monitored_households",
];

fn build(
    names: &[&str],
    selection: &[&str],
    as_of: NaiveDate,
    previous: Option<&Report>,
) -> Report {
    let catalog = Catalog::builtin().unwrap();
    let data = counties(previous.is_none() && as_of.month() == 10);
    let units: Vec<UnitInput> = names
        .iter()
        .zip(&data)
        .map(|(name, c)| UnitInput {
            key: format!("商丘市/{name}"),
            label: (*name).to_owned(),
            tally: tally(c),
            targets: BTreeMap::new(),
            has_data: true,
        })
        .collect();
    let mut total = Tally::default();
    for u in &units {
        total.absorb(&u.tally);
    }
    build_report(ReportInput {
        catalog: &catalog,
        selection: selection.iter().map(|s| (*s).to_owned()).collect(),
        level: Level::County,
        parent: "商丘市".to_owned(),
        as_of,
        units,
        total,
        params: BTreeMap::new(),
        warning: WarningConfig::default(),
        previous,
    })
    .unwrap()
}

/// 商丘-like report of 2021-11-30 compared with 2021-10-31.
pub(crate) fn report_with(names: &[&str], selection: &[&str]) -> Report {
    let prev = build(names, selection, date(2021, 10, 31), None);
    build(names, selection, date(2021, 11, 30), Some(&prev))
}

pub(crate) fn report() -> Report {
    report_with(&SHANGQIU, &NOTICE_SELECTION)
}

pub(crate) fn meta() -> DocumentMeta {
    DocumentMeta {
        issuing_office: "商丘市巩固拓展脱贫攻坚成果领导小组办公室".to_owned(),
        document_number: "商巩固办〔2021〕45号".to_owned(),
        recipients: vec!["各县（市、区）巩固拓展脱贫攻坚成果领导小组办公室".to_owned()],
        signature: String::new(),
        issue_date: date(2021, 12, 11),
        cc: vec!["市委办公室".to_owned(), "市政府办公室".to_owned()],
        printer: String::new(),
        table_title: "商丘市巩固拓展脱贫攻坚成果主要指标通报表".to_owned(),
        block_size: 3,
        templates_dir: None,
        docx_fonts: crate::docx::DocxFonts::default(),
    }
}

/// The text without whitespace (Chinese lines break anywhere), and the text laid out
/// (`-layout`, a table row on one line).
fn pdf_text(pdf: &[u8]) -> Option<(String, String)> {
    if !has_tool("pdftotext") {
        return None;
    }
    let plain = poppler("pdftotext", &["-enc", "UTF-8", "-q"], pdf, &["-"]);
    let layout = poppler(
        "pdftotext",
        &["-enc", "UTF-8", "-q", "-layout"],
        pdf,
        &["-"],
    );
    Some((
        plain.chars().filter(|c| !c.is_whitespace()).collect(),
        layout,
    ))
}

fn assert_contains(text: &str, needle: &str) {
    let needle: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        text.contains(&needle),
        "PDF text lacks 「{needle}」; text was:\n{text}"
    );
}

/// Asserts that some line of the laid-out text holds `words` in this order.
fn assert_row(layout: &str, words: &[&str]) {
    let found = layout.lines().any(|line| {
        let mut rest = line;
        words.iter().all(|w| match rest.find(w) {
            Some(at) => {
                rest = &rest[at + w.len()..];
                true
            }
            None => false,
        })
    });
    assert!(
        found,
        "no line holds {words:?} in order; text was:\n{layout}"
    );
}

fn assert_a4(pdf: &[u8]) -> String {
    let info = poppler("pdfinfo", &[], pdf, &[]);
    assert!(
        info.contains("595.276 x 841.89 pts (A4)"),
        "pdfinfo:\n{info}"
    );
    info
}

fn save(name: &str, pdf: &RenderedPdf) {
    if let Some(dir) = std::env::var_os("GONGGU_PDF_OUT") {
        std::fs::write(Path::new(&dir).join(name), &pdf.bytes).unwrap();
    }
}

fn cell<'r>(r: &'r Report, region: &str, id: &str) -> &'r gonggu_core::compute::Cell {
    r.rows
        .iter()
        .find(|x| x.region == region)
        .unwrap()
        .cell(id)
        .unwrap()
}

// ---------------------------------------------------------------- facts and prose

#[test]
fn facts_name_best_last_red_and_moves() {
    let r = report();
    let ctx = facts::prose_context(&r, &meta(), &[], &[]);
    let loan = ctx
        .indicators
        .iter()
        .find(|f| f.id == "loan_household_rate")
        .unwrap();
    assert_eq!(loan.best, ["柘城县"]);
    assert_eq!(loan.best_value, "26.94%");
    assert_eq!(loan.last, ["示范区"]);
    assert_eq!(loan.last_value, "17.66%");
    assert!(loan.change.is_some());
    // 虞城县 starts 83 of 84 projects: the only one below the 100% target; nine tie at 1.
    let start = ctx
        .indicators
        .iter()
        .find(|f| f.id == "project_start_rate")
        .unwrap();
    assert_eq!(start.best.len(), 9);
    assert_eq!(start.last, ["虞城县"]);
    assert_eq!(start.red.len(), 1);
    assert_eq!(start.red[0].region, "虞城县");
    assert_eq!(start.red[0].value, "98.81%");
    assert_eq!(start.red[0].target, "≥100.00%");
    // Moves of two places or more, both ways, match the cells.
    for f in &ctx.indicators {
        for m in f.up.iter().chain(&f.down) {
            let c = cell(&r, &m.region, &f.id);
            assert_eq!((c.previous_rank, c.rank), (Some(m.from), Some(m.to)));
            assert!(m.places >= 2);
        }
    }
    let loan = ctx
        .indicators
        .iter()
        .find(|f| f.id == "loan_household_rate")
        .unwrap();
    let moves = |list: &[facts::Move]| -> Vec<(String, u32, u32, u32)> {
        list.iter()
            .map(|m| (m.region.clone(), m.places, m.from, m.to))
            .collect()
    };
    assert_eq!(moves(&loan.up), [("睢县".to_owned(), 4, 8, 4)]);
    assert_eq!(moves(&loan.down), [("梁园区".to_owned(), 4, 4, 8)]);
    assert_eq!(ctx.moved_up.len(), 1);
    // The count indicator is not ranked and has no best/last.
    let count = ctx
        .indicators
        .iter()
        .find(|f| f.id == "monitored_households")
        .unwrap();
    assert!(!count.ranked && count.best.is_empty());
    assert_eq!(count.total_text, "10000户");
    let income = ctx
        .indicators
        .iter()
        .find(|f| f.id == "per_capita_income")
        .unwrap();
    assert_eq!(income.short_name, "脱贫人口人均纯收入");
    assert_eq!(ctx.scope, "全市");
    assert_eq!(ctx.unit_name, "县（市、区）");
}

#[test]
fn notice_prose_reports_figures_ranks_and_targets() {
    let r = report();
    let b = notice_bundle(&r, &meta(), &roles()).unwrap();
    let data = data_json(&b);
    let title = data["doc"]["title"].as_str().unwrap();
    assert_eq!(
        title,
        "关于商丘市2021年11月\n巩固拓展脱贫攻坚成果主要指标情况的通报"
    );
    // A paragraph's run-in heading (`lead`, 楷体) and its text read as one.
    let body: Vec<String> = data["body"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| {
            let text = b["text"].as_str()?;
            Some(format!("{}{text}", b["lead"].as_str().unwrap_or("")))
        })
        .collect();
    let all = body.join("\n");
    for needle in [
        "一、总体情况",
        "二、各项指标排名情况",
        "三、存在的问题",
        "四、下步要求",
        "（一）总贷款余额户贷率。全市为21.37%，较上期提高0.31个百分点。",
        "进位明显的有：睢县（由第8名升至第4名）",
        "退位明显的有：梁园区（由第4名降至第8名）",
        "梁园区总贷款余额户贷率下降4位",
        "有2项未达到目标（纳入年度实施计划项目开工率、已享受帮扶政策户数占监测户比例）",
        "柘城县第1名（26.94%），示范区末位（17.66%）",
        "低于目标的有1个县（市、区）：虞城县（98.81%）",
        // Nine of ten tie: the one that does not is named instead.
        "除虞城县（98.81%）外，其余9个县（市、区）均为100.00%，并列第1名。",
        "与上期（2021年10月31日）相比，2项指标向好、其余持平；",
    ] {
        assert!(all.contains(needle), "prose lacks 「{needle}」:\n{all}");
    }
    // No empty paragraphs, no template syntax left over.
    assert!(body.iter().all(|t| !t.trim().is_empty()));
    assert!(
        !all.contains("{{") && !all.contains("{%") && !all.contains("[["),
        "{all}"
    );
    // The tables are an attachment, in blocks of three, official order, total unranked.
    // Without 基本情况 counts (a report without them) it is the only attachment.
    assert_eq!(data["attachments"].as_array().unwrap().len(), 1);
    let att = &data["attachments"][0];
    assert_eq!(att["label"], "附件");
    assert_eq!(att["mention"], "商丘市巩固拓展脱贫攻坚成果主要指标通报表");
    let blocks = att["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 3);
    let first = &blocks[0];
    assert_eq!(first["rows"][0][0]["text"], "永城市");
    assert_eq!(first["rows"][9][0]["text"], "民权县");
    assert_eq!(first["total"][0]["text"], "商丘市");
    assert_eq!(first["total"][2]["text"], "", "total row has no rank");
    assert_eq!(
        first["landscape"], true,
        "13 columns with the previous period"
    );
    // 虞城县's start rate is shaded red.
    let yucheng = &first["rows"][2];
    assert_eq!(yucheng[5]["text"], "98.81%");
    assert_eq!(yucheng[5]["warning"], "红");
    assert_eq!(yucheng[6]["text"], "10");
}

fn data_json(b: &TypstBundle) -> serde_json::Value {
    let (_, bytes) = b.files.iter().find(|(p, _)| p == "/data.json").unwrap();
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn override_template_with_unknown_variable_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("prose")).unwrap();
    std::fs::write(
        dir.path().join("prose/notice.j2"),
        "{% block title %}通报{% endblock %}\n{% block body %}\n截至{{ as_of }}，\n{{ no_such_key }}\n{% endblock %}\n",
    )
    .unwrap();
    let mut m = meta();
    m.templates_dir = Some(dir.path().to_path_buf());
    let err = notice_bundle(&report(), &m, &roles()).unwrap_err();
    let Error::Template(message) = &err else {
        panic!("expected Error::Template, got {err:?}");
    };
    assert!(message.contains("notice.j2"), "{message}");
    assert!(message.contains("第 4 行"), "{message}");
    assert!(message.contains("未定义"), "{message}");

    // An attribute misspelt on an indicator fails too (strict, not an empty string).
    std::fs::write(
        dir.path().join("prose/notice.j2"),
        "{% block body %}{% for i in indicators %}{{ i.totl }}{% endfor %}{% endblock %}",
    )
    .unwrap();
    let err = notice_bundle(&report(), &m, &roles()).unwrap_err();
    assert!(
        matches!(&err, Error::Template(msg) if msg.contains("notice.j2")),
        "{err}"
    );

    // An unknown part name is refused with the list of known ones.
    std::fs::write(dir.path().join("prose/notice.j2"), "正文\n[[charts]]\n").unwrap();
    let err = notice_bundle(&report(), &m, &roles()).unwrap_err();
    assert!(
        matches!(&err, Error::Template(msg) if msg.contains("[[tables]]")),
        "{err}"
    );
}

#[test]
fn override_template_without_blocks_is_all_body_and_may_inline_tables() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("prose")).unwrap();
    std::fs::write(
        dir.path().join("prose/notice.j2"),
        "{{ parent }}共{{ unit_count }}个{{ unit_name }}。\n\n[[tables]]\n\n以上。\n",
    )
    .unwrap();
    let mut m = meta();
    m.templates_dir = Some(dir.path().to_path_buf());
    let data = data_json(&notice_bundle(&report(), &m, &roles()).unwrap());
    assert_eq!(
        data["doc"]["title"],
        "关于商丘市2021年11月巩固拓展脱贫攻坚成果主要指标情况的通报"
    );
    assert!(data["attachments"].as_array().unwrap().is_empty());
    let kinds: Vec<&str> = data["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["paragraph", "table", "table", "table", "paragraph"]);
    assert_eq!(data["body"][0]["text"], "商丘市共10个县（市、区）。");
}

#[test]
fn without_previous_period_the_table_is_the_shangqiu_form() {
    let r = build(&SHANGQIU, &NOTICE_SELECTION, date(2021, 11, 30), None);
    let data = data_json(&notice_bundle(&r, &meta(), &roles()).unwrap());
    let first = &data["attachments"][0]["blocks"][0];
    let header = first["header"].as_array().unwrap();
    assert_eq!(header.len(), 1);
    let head: Vec<&str> = header[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().or_else(|| c["text"].as_str()).unwrap())
        .collect();
    assert_eq!(
        head,
        [
            "县（市、区）",
            "总贷款余额户贷率",
            "排名",
            "纳入年度实施计划项目开工率",
            "排名",
            "已享受帮扶政策户数占监测户比例",
            "排名"
        ]
    );
    assert_eq!(first["landscape"], false);
    assert_eq!(data["attachments"][0]["landscape"], false);
    let prose: String = data["body"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["text"].as_str())
        .collect();
    assert!(
        !prose.contains("较上期") && !prose.contains("与上期"),
        "{prose}"
    );
}

// ---------------------------------------------------------------- PDFs

#[test]
fn notice_pdf() {
    let Some(fonts) = cjk_fonts() else { return };
    let r = report();
    let m = meta();
    let start = Instant::now();
    let bundle = notice_bundle(&r, &m, &roles()).unwrap();
    let built = start.elapsed();
    let pdf = render_bundle(&bundle, m.issue_date, fonts).unwrap();
    eprintln!(
        "[timing] notice: bundle {built:.2?}, render {:.2?} ({} pages, {} bytes)",
        start.elapsed() - built,
        pdf.pages,
        pdf.bytes.len()
    );
    save("notice.pdf", &pdf);
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
    let Some((text, layout)) = pdf_text(&pdf.bytes) else {
        return;
    };
    for needle in [
        "商丘市巩固拓展脱贫攻坚成果领导小组办公室文件",
        "商巩固办〔2021〕45号",
        "关于商丘市2021年11月巩固拓展脱贫攻坚成果主要指标情况的通报",
        "各县（市、区）巩固拓展脱贫攻坚成果领导小组办公室：",
        "附件：商丘市巩固拓展脱贫攻坚成果主要指标通报表",
        "商丘市巩固拓展脱贫攻坚成果主要指标通报表",
        "2021年12月11日",
        "抄送：市委办公室，市政府办公室。",
        "2021年12月11日印发",
    ] {
        assert_contains(&text, needle);
    }
    for region in SHANGQIU {
        assert_contains(&text, region);
    }
    // Figures and ranks as the report has them, on the region's table row.
    let c = cell(&r, "柘城县", "loan_household_rate");
    assert_row(
        &layout,
        &["柘城县", &c.display, "1", c.rank_move.as_deref().unwrap()],
    );
    assert_row(&layout, &["虞城县", "21.54%", "5"]);
    assert_row(&layout, &["虞城县", "98.81%", "10"]);
    let total = r.total.cell("loan_household_rate").unwrap();
    assert_row(&layout, &["商丘市", &total.display]);
    if has_tool("pdfinfo") {
        assert_a4(&pdf.bytes);
    }
}

#[test]
fn brief_pdf_fits_two_pages() {
    let Some(fonts) = cjk_fonts() else { return };
    let selection = [
        "monitored_households",
        "assisted_share",
        "fund_spend_progress",
        "project_start_rate",
        "loan_household_rate",
        "industry_fund_share",
        "certificate_rate",
        "per_capita_income",
    ];
    let r = report_with(&SHANGQIU, &selection);
    assert_eq!(r.indicators.len(), 8);
    let m = meta();
    let bundle = brief_bundle(&r, &m, &roles()).unwrap();
    let start = Instant::now();
    let pdf = render_bundle(&bundle, m.issue_date, fonts).unwrap();
    eprintln!(
        "[timing] brief: render {:.2?} ({} pages)",
        start.elapsed(),
        pdf.pages
    );
    save("brief.pdf", &pdf);
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
    assert!(pdf.pages <= 2, "brief has {} pages", pdf.pages);
    let data = data_json(&bundle);
    let charts = data["body"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "charts")
        .unwrap();
    assert_eq!(
        charts["charts"].as_array().unwrap().len(),
        6,
        "at most six charts"
    );
    let Some((text, layout)) = pdf_text(&pdf.bytes) else {
        return;
    };
    assert_contains(
        &text,
        "商丘市巩固拓展脱贫攻坚成果主要指标简报（截至2021年11月30日）",
    );
    for region in SHANGQIU {
        assert_contains(&text, region);
    }
    let total = r.total.cell("loan_household_rate").unwrap();
    assert_contains(&text, &total.display);
    assert_contains(&text, "柘城县（26.94%）");
    assert_contains(&text, "虞城县");
    // The ranking table's row: the long name is set in two balanced lines.
    let row = layout.lines().any(|l| {
        (l.contains("纳入年度实施") || l.contains("计划项目开工率")) && l.contains("虞城县")
    });
    assert!(row, "no ranking row for 开工率 naming 虞城县:\n{layout}");
    if has_tool("pdfinfo") {
        let info = assert_a4(&pdf.bytes);
        let pages = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
        let n: usize = pages.trim_start_matches("Pages:").trim().parse().unwrap();
        assert!(n <= 2, "{info}");
    }
}

#[test]
fn evaluation_pdf() {
    let Some(fonts) = cjk_fonts() else { return };
    let selection = [
        "assisted_share",
        "project_start_rate",
        "fund_spend_progress",
        "industry_fund_share",
        "certificate_rate",
        "per_capita_income",
        "loan_household_rate",
    ];
    let r = report_with(&SHANGQIU, &selection);
    let m = meta();
    let quality = vec![
        QualityLine {
            code: "ID-CHECKSUM".to_owned(),
            title: "证件号码校验位错误".to_owned(),
            severity: "错误".to_owned(),
            count: 12,
        },
        QualityLine {
            code: "INCOME-BELOW-LINE".to_owned(),
            title: "人均纯收入低于监测收入线且未纳入监测".to_owned(),
            severity: "警告".to_owned(),
            count: 3,
        },
    ];
    let sources = vec![
        "人员表.xlsx（工作表 Sheet1）".to_owned(),
        "项目库.xlsx（工作表 2021年项目）".to_owned(),
    ];
    let bundle = evaluation_bundle(&r, &m, &quality, &sources, &roles()).unwrap();
    let start = Instant::now();
    let pdf = render_bundle(&bundle, m.issue_date, fonts).unwrap();
    eprintln!(
        "[timing] evaluation: render {:.2?} ({} pages)",
        start.elapsed(),
        pdf.pages
    );
    save("evaluate.pdf", &pdf);
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
    let Some((text, layout)) = pdf_text(&pdf.bytes) else {
        return;
    };
    for needle in [
        "商丘市巩固拓展脱贫攻坚成果后评估指标达标情况",
        "数据截至2021年11月30日",
        "人员表.xlsx（工作表Sheet1）",
        "项目库.xlsx（工作表2021年项目）",
        "ID-CHECKSUM",
        "证件号码校验位错误",
        "共发现疑似问题15条",
        "≥60.0%",
    ] {
        assert_contains(&text, needle);
    }
    for region in SHANGQIU {
        assert_contains(&text, region);
    }
    // 虞城县's start rate, its status, and its count of missed targets.
    assert_row(&layout, &["虞城县", "98.81%", "未达标"]);
    let status = facts::prose_context(&r, &m, &quality, &sources);
    let yucheng = status
        .regions
        .iter()
        .find(|s| s.region == "虞城县")
        .unwrap();
    assert_row(
        &layout,
        &[
            "虞城县",
            &yucheng.met.to_string(),
            &yucheng.unmet.to_string(),
        ],
    );
    if has_tool("pdfinfo") {
        assert_a4(&pdf.bytes);
    }

    // Without findings a sentence says so and no table is drawn.
    let bundle = evaluation_bundle(&r, &m, &[], &[], &roles()).unwrap();
    let data = data_json(&bundle);
    let all = serde_json::to_string(&data["body"]).unwrap();
    assert!(all.contains("未发现疑似问题"), "{all}");
    assert!(!all.contains("规则代码"), "{all}");
}

#[test]
fn markup_in_region_names_prints_literally() {
    let Some(fonts) = cjk_fonts() else { return };
    let mut names = SHANGQIU;
    names[3] = "#read(\"/etc/passwd\")";
    names[5] = "*粗体* $x$";
    let r = report_with(&names, &NOTICE_SELECTION[..4]);
    let m = meta();
    let pdf = render_bundle(
        &notice_bundle(&r, &m, &roles()).unwrap(),
        m.issue_date,
        fonts,
    )
    .unwrap();
    save("notice-markup.pdf", &pdf);
    let Some((text, _)) = pdf_text(&pdf.bytes) else {
        return;
    };
    assert_contains(&text, "#read(\"/etc/passwd\")");
    assert_contains(&text, "*粗体*$x$");
    assert!(!text.contains("root:"), "file contents leaked:\n{text}");
}

#[test]
fn same_input_gives_same_bytes() {
    let Some(fonts) = cjk_fonts() else { return };
    let r = report();
    let m = meta();
    let a = render_bundle(
        &notice_bundle(&r, &m, &roles()).unwrap(),
        m.issue_date,
        fonts,
    )
    .unwrap();
    let b = render_bundle(
        &notice_bundle(&r, &m, &roles()).unwrap(),
        m.issue_date,
        fonts,
    )
    .unwrap();
    assert!(a.bytes == b.bytes, "two renders differ");
    assert_eq!(
        notice_bundle(&r, &m, &roles()).unwrap(),
        notice_bundle(&r, &m, &roles()).unwrap()
    );
}

#[test]
fn bundle_holds_main_data_and_library() {
    let b = brief_bundle(&report(), &meta(), &roles()).unwrap();
    assert_eq!(b.main_name, "brief.typ");
    assert!(b.main.contains("/lib/official.typ") && b.main.contains("/data.json"));
    let paths: Vec<&str> = b.files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/lib/official.typ", "/data.json"]);
    let data = data_json(&b);
    assert!(data["fonts"]["body"].is_array());
    // Overridden layouts are taken from templates_dir/typst/.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("typst")).unwrap();
    std::fs::write(dir.path().join("typst/brief.typ"), "// 自定义\n").unwrap();
    let mut m = meta();
    m.templates_dir = Some(dir.path().to_path_buf());
    assert_eq!(
        brief_bundle(&report(), &m, &roles()).unwrap().main,
        "// 自定义\n"
    );
}

#[test]
fn documents_build_without_previous_period_and_with_a_unit_without_data() {
    let catalog = Catalog::builtin().unwrap();
    let data = counties(false);
    let units: Vec<UnitInput> = SHANGQIU
        .iter()
        .zip(&data)
        .enumerate()
        .map(|(i, (name, c))| UnitInput {
            key: format!("商丘市/{name}"),
            label: (*name).to_owned(),
            tally: if i == 9 { Tally::default() } else { tally(c) },
            targets: BTreeMap::new(),
            has_data: i != 9,
        })
        .collect();
    let mut total = Tally::default();
    for u in &units {
        total.absorb(&u.tally);
    }
    let r = build_report(ReportInput {
        catalog: &catalog,
        selection: NOTICE_SELECTION.iter().map(|s| (*s).to_owned()).collect(),
        level: Level::County,
        parent: "商丘市".to_owned(),
        as_of: date(2021, 11, 30),
        units,
        total,
        params: BTreeMap::new(),
        warning: WarningConfig::default(),
        previous: None,
    })
    .unwrap();
    let m = meta();
    let notice = data_json(&notice_bundle(&r, &m, &roles()).unwrap());
    let text = serde_json::to_string(&notice).unwrap();
    assert!(
        text.contains("民权县") && !text.contains("较上期"),
        "{text}"
    );
    // 民权县 has no data: a dash, no rank, and the computation's note under the table.
    let first = &notice["attachments"][0]["blocks"][0];
    assert_eq!(first["rows"][9][1]["text"], "—");
    assert_eq!(first["rows"][9][2]["text"], "");
    assert!(text.contains("没有数据"), "{text}");
    brief_bundle(&r, &m, &roles()).unwrap();
    let eval = data_json(&evaluation_bundle(&r, &m, &[], &[], &roles()).unwrap());
    let prose: Vec<&str> = eval["body"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["text"].as_str())
        .collect();
    assert!(prose.iter().all(|t| !t.contains("[[")), "{prose:?}");
    assert!(
        prose.iter().any(|t| t.contains("未发现疑似问题")),
        "{prose:?}"
    );
    if let Some(fonts) = cjk_fonts() {
        let pdf = render_bundle(
            &brief_bundle(&r, &m, &roles()).unwrap(),
            m.issue_date,
            fonts,
        )
        .unwrap();
        assert!(pdf.pages <= 2, "{} pages", pdf.pages);
    }
}

/// A town-level briefing of a whole city (dozens of towns) keeps its charts short: the best
/// and the last six of each, with a gap between, so the briefing stays within two pages.
#[test]
fn brief_charts_of_many_units_show_best_and_last() {
    let catalog = Catalog::builtin().unwrap();
    let units: Vec<UnitInput> = (0..40)
        .map(|i| {
            let mut t = Tally::default();
            t.add("covered_households", Decimal::from(1000));
            t.add("loan_balance_households", Decimal::from(100 + 5 * i));
            UnitInput {
                key: format!("某县/乡镇{i}"),
                label: format!("乡镇{i}"),
                tally: t,
                targets: BTreeMap::new(),
                has_data: true,
            }
        })
        .collect();
    let mut total = Tally::default();
    for u in &units {
        total.absorb(&u.tally);
    }
    let r = build_report(ReportInput {
        catalog: &catalog,
        selection: vec!["loan_household_rate".into()],
        level: Level::Town,
        parent: "某县".into(),
        as_of: date(2021, 11, 30),
        units,
        total,
        params: BTreeMap::new(),
        warning: WarningConfig::default(),
        previous: None,
    })
    .unwrap();
    let bundle = brief_bundle(&r, &meta(), &roles()).unwrap();
    let (_, data) = bundle
        .files
        .iter()
        .find(|(p, _)| p == "/data.json")
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(data).unwrap();
    let text = v.to_string();
    let charts = v["body"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "charts")
        .unwrap_or_else(|| panic!("no charts block in {text}"));
    let bars = charts["charts"][0]["bars"].as_array().unwrap();
    let labels: Vec<&str> = bars.iter().map(|b| b["label"].as_str().unwrap()).collect();
    assert_eq!(labels.len(), 13, "{labels:?}");
    assert_eq!(labels[0], "乡镇39", "best first");
    assert_eq!(labels[6], "……");
    assert_eq!(labels[12], "乡镇0", "last one shown");
}

#[test]
fn notes_in_documents_carry_no_tool_talk() {
    use super::facts::for_readers;
    let cases = [
        (
            "有 5 个值无法识别，已按缺失处理（gonggu check 会逐条列出；--strict 可使其报错）。",
            Some("有 5 个值无法识别，已按缺失处理。"),
        ),
        (
            "有 4 人的务工所在地无法判断去向（县内、省内县外或省外），计入务工去向不明人数；gonggu check 的 WK02 逐条列出。",
            Some("有 4 人的务工所在地无法判断去向（县内、省内县外或省外），计入务工去向不明人数。"),
        ),
        (
            "配置的地区是夏邑县（gonggu.toml 的 [region] name），只统计夏邑县的数据：其他县(市、区)的行未计入（人员表 3 行）。",
            Some(
                "配置的地区是夏邑县，只统计夏邑县的数据：其他县(市、区)的行未计入（人员表 3 行）。",
            ),
        ),
        (
            "小额信贷台账中有 3 笔有余额的贷款，其户编号不在人员表中，未计入贷款余额户数。",
            Some("小额信贷台账中有 3 笔有余额的贷款，其户编号不在人员表中，未计入贷款余额户数。"),
        ),
        ("请运行 gonggu check --list-rules 查看。", None),
    ];
    for (note, want) in cases {
        assert_eq!(for_readers(note).as_deref(), want, "{note}");
    }
}

#[test]
fn run_in_second_level_headings_are_split_off() {
    use super::run_in_heading;
    assert_eq!(
        run_in_heading("（三）持证率。全市为37.0%。"),
        (Some("（三）持证率。"), "全市为37.0%。")
    );
    assert_eq!(
        run_in_heading("（说明）不是标题。"),
        (None, "（说明）不是标题。")
    );
    assert_eq!(
        run_in_heading("截至2021年11月30日。"),
        (None, "截至2021年11月30日。")
    );
}

#[test]
fn brief_closes_with_the_trend_of_the_recorded_months() {
    use gonggu_core::compute::{Trend, TrendLine, TrendSeries};
    let mut r = report();
    assert!(r.indicator("loan_household_rate").is_some());
    let d = |t: &str| Some(Decimal::from_str_exact(t).unwrap());
    r.trend = Some(Trend {
        months: vec!["2021年9月".into(), "2021年10月".into(), "2021年11月".into()],
        series: vec![TrendSeries {
            indicator: "loan_household_rate".into(),
            lines: vec![
                TrendLine {
                    label: "商丘市".into(),
                    total: true,
                    values: vec![d("0.20"), d("0.25"), d("0.30")],
                    displays: vec!["20.00%".into(), "25.00%".into(), "30.00%".into()],
                },
                TrendLine {
                    label: "永城市".into(),
                    total: false,
                    values: vec![d("0.10"), None, d("0.15")],
                    displays: vec!["10.00%".into(), "—".into(), "15.00%".into()],
                },
            ],
        }],
    });
    let m = meta();
    let bundle = brief_bundle(&r, &m, &roles()).unwrap();
    let data = data_json(&bundle);
    let trend = data["body"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "trend")
        .expect("a trend block");
    assert_eq!(trend["title"], "近3个月走势");
    assert_eq!(trend["months"], serde_json::json!(["9月", "10月", "11月"]));
    let chart = &trend["charts"][0];
    // 10 … 30 (%), a tenth of the range (2) added on each side: 8 … 32.
    assert_eq!(chart["top"], "32.00%");
    assert_eq!(chart["bottom"], "8.00%");
    let points = |k: usize| -> Vec<Option<f64>> {
        chart["lines"][k]["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_f64())
            .collect()
    };
    let near = |got: Vec<Option<f64>>, want: [Option<f64>; 3]| {
        for (g, w) in got.iter().zip(want) {
            match (g, w) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{got:?}"),
                (None, None) => {}
                _ => panic!("{got:?} ≠ {want:?}"),
            }
        }
    };
    near(
        points(0),
        [Some(12.0 / 24.0), Some(17.0 / 24.0), Some(22.0 / 24.0)],
    );
    near(points(1), [Some(2.0 / 24.0), None, Some(7.0 / 24.0)]);
    assert_eq!(chart["lines"][1]["last"], "15.00%");
    // Without a trend, or with one month only, no block.
    r.trend.as_mut().unwrap().months.truncate(1);
    let none = data_json(&brief_bundle(&r, &m, &roles()).unwrap());
    assert!(
        !none["body"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["type"] == "trend")
    );
    let Some(fonts) = cjk_fonts() else { return };
    let pdf = render_bundle(&bundle, m.issue_date, fonts).unwrap();
    save("brief-trend.pdf", &pdf);
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
    if let Some((plain, _)) = pdf_text(&pdf.bytes) {
        assert_contains(&plain, "近3个月走势");
        assert_contains(&plain, "永城市15.00%");
    }
}
