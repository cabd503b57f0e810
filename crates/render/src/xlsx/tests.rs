//! Workbooks written, read back with calamine and checked cell by cell; print settings and
//! number formats checked in the XML inside the zip.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::quality::QualityLine;
use gonggu_core::catalog::Catalog;
use gonggu_core::compute::{Report, ReportInput, UnitInput, WarningConfig, build_report};
use gonggu_core::measures::Tally;
use gonggu_core::region::Level;

const SHANGQIU: [&str; 10] = [
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

/// Seven indicators: five ratios/progress, one per-capita, one count (not ranked).
const SEVEN: [&str; 7] = [
    "loan_household_rate",
    "project_start_rate",
    "assisted_share",
    "fund_spend_progress",
    "industry_fund_share",
    "per_capita_income",
    "tuopin_households",
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn tally(pairs: &[(&str, i64)]) -> Tally {
    let mut t = Tally::default();
    for (id, v) in pairs {
        t.add(id, Decimal::from(*v));
    }
    t
}

/// The measures of county `i`; `shift` changes the loans a little for a second period.
fn county(i: usize, shift: i64) -> Tally {
    // 户贷率 of the 商丘 notice ×100 (per 10000 covered households).
    let loans = [2441, 1828, 2154, 1766, 1966, 1991, 2053, 2694, 2191, 2286];
    let planned = [84, 168, 84, 42, 21, 63, 105, 126, 147, 84];
    // (assisted, monitored): 99.3% … as in the notice.
    let assisted = [
        (993, 1000),
        (999, 1000),
        (300, 300),
        (500, 500),
        (980, 1000),
        (903, 1000),
        (1200, 1200),
        (961, 1000),
        (987, 1000),
        (798, 1000),
    ];
    let k = i as i64;
    let started = if i == 2 { planned[i] - 1 } else { planned[i] };
    tally(&[
        (
            "loan_balance_households",
            loans[i] + shift * (k % 3 - 1) * 40,
        ),
        ("covered_households", 10000),
        ("started_projects", started),
        ("planned_projects", planned[i]),
        ("completed_projects", started / 2),
        ("assisted_monitored_households", assisted[i].0),
        ("monitored_households", assisted[i].1),
        ("funds_allocated", 1000 + 100 * k),
        ("funds_spent", 700 + 40 * k),
        ("funds_industry", 550 + 70 * k),
        ("income_persons", 1000),
        ("income_persons_sum", 10_409_000 + 150_000 * (k - 5)),
        ("tuopin_households", 7232 + 100 * k),
    ])
}

fn unit(label: &str, t: Tally, has_data: bool) -> UnitInput {
    UnitInput {
        key: format!("商丘市/{label}"),
        label: label.to_string(),
        tally: t,
        targets: BTreeMap::new(),
        has_data,
    }
}

fn report_with(
    sel: &[&str],
    units: Vec<UnitInput>,
    as_of: NaiveDate,
    previous: Option<&Report>,
) -> Report {
    let catalog = Catalog::builtin().unwrap();
    let mut total = Tally::default();
    for u in &units {
        total.absorb(&u.tally);
    }
    build_report(ReportInput {
        catalog: &catalog,
        selection: sel.iter().map(|s| s.to_string()).collect(),
        level: Level::County,
        parent: "商丘市".to_string(),
        as_of,
        units,
        total,
        params: BTreeMap::new(),
        warning: WarningConfig::default(),
        previous,
    })
    .unwrap()
}

/// The 商丘-like report: ten counties in official order, `sel` indicators.
fn shangqiu(sel: &[&str], shift: i64, as_of: NaiveDate, previous: Option<&Report>) -> Report {
    let units = SHANGQIU
        .iter()
        .enumerate()
        .map(|(i, n)| unit(n, county(i, shift), true))
        .collect();
    report_with(sel, units, as_of, previous)
}

fn november() -> Report {
    shangqiu(&SEVEN, 0, date(2021, 11, 30), None)
}

fn with_previous() -> Report {
    let october = shangqiu(&SEVEN[..3], 1, date(2021, 10, 31), None);
    shangqiu(&SEVEN[..3], 0, date(2021, 11, 30), Some(&october))
}

fn opts(title: &str) -> WorkbookOptions {
    WorkbookOptions {
        title: title.to_string(),
        source_note: "全国防返贫监测信息系统、衔接资金项目库、小额信贷台账".to_string(),
        notes: vec!["本表由gonggu生成。".to_string()],
        ..WorkbookOptions::default()
    }
}

const TITLE: &str = "商丘市巩固拓展脱贫攻坚成果主要指标通报表";

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap()
}

fn sheet(bytes: &[u8], name: &str) -> Range<Data> {
    open(bytes).worksheet_range(name).unwrap()
}

/// A cell as text: strings as they are, numbers in shortest form, empty as "".
fn at(r: &Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(other) => format!("{other:?}"),
    }
}

fn num(r: &Range<Data>, row: u32, col: u32) -> f64 {
    match r.get_value((row, col)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

/// Rows whose column `col` holds exactly `text`.
fn rows_with(r: &Range<Data>, col: u32, text: &str) -> Vec<u32> {
    let (start, end) = (r.start().unwrap(), r.end().unwrap());
    (start.0..=end.0)
        .filter(|&row| at(r, row, col) == text)
        .collect()
}

/// The column of a header text in a row.
fn col_of(r: &Range<Data>, row: u32, text: &str) -> u32 {
    let end = r.end().unwrap().1;
    (0..=end)
        .find(|&c| at(r, row, c) == text)
        .unwrap_or_else(|| panic!("no header {text:?} in row {row}"))
}

fn sheet_names(bytes: &[u8]) -> Vec<String> {
    open(bytes).sheet_names()
}

// ---------------------------------------------------------------------------
// 通报表
// ---------------------------------------------------------------------------

#[test]
fn notice_title_date_header_and_region_order() {
    let report = shangqiu(&SEVEN[..3], 0, date(2021, 11, 30), None);
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    assert_eq!(sheet_names(&bytes), ["通报表", "计算明细", "指标说明"]);
    let r = sheet(&bytes, "通报表");
    assert_eq!(at(&r, 0, 0), TITLE);
    assert_eq!(at(&r, 1, 0), "截至2021年11月30日");
    // Two header rows: the unit word, names over 数值 | 排名.
    assert_eq!(at(&r, 2, 0), "县（市、区）");
    let heads: Vec<String> = (1..7).map(|c| at(&r, 2, c)).collect();
    assert_eq!(
        heads,
        [
            "总贷款余额户贷率",
            "",
            "纳入年度实施计划项目开工率",
            "",
            "已享受帮扶政策户数占监测户比例",
            ""
        ]
    );
    let labels: Vec<String> = (1..7).map(|c| at(&r, 3, c)).collect();
    assert_eq!(labels, ["数值", "排名", "数值", "排名", "数值", "排名"]);
    // Regions in official order, the total last.
    let names: Vec<String> = (4..15).map(|row| at(&r, row, 0)).collect();
    let mut expected: Vec<&str> = SHANGQIU.to_vec();
    expected.push("商丘市");
    assert_eq!(names, expected);
}

#[test]
fn notice_stores_rounded_values_and_ranks_total_without_rank() {
    let report = shangqiu(&SEVEN[..3], 0, date(2021, 11, 30), None);
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    let r = sheet(&bytes, "通报表");
    // 永城市 户贷率 24.41% rank 2; 柘城县 26.94% rank 1.
    assert_eq!(num(&r, 4, 1), 0.2441);
    assert_eq!(num(&r, 4, 2), 2.0);
    assert_eq!(num(&r, 11, 2), 1.0);
    // 虞城县 83/84 = 0.988095… stored rounded as 0.9881, rank 10; nine at 100% rank 1.
    assert_eq!(num(&r, 6, 3), 0.9881);
    assert_eq!(num(&r, 6, 4), 10.0);
    assert_eq!(num(&r, 4, 4), 1.0);
    // 已享受帮扶 99.3% rank 5 (three at 100%, then 99.9%, 99.3%…).
    assert_eq!(num(&r, 4, 5), 0.993);
    assert_eq!(num(&r, 4, 6), 5.0);
    // Total: recomputed value, no rank.
    let total = 14;
    assert_eq!(at(&r, total, 0), "商丘市");
    let expect = report
        .total
        .cell("loan_household_rate")
        .unwrap()
        .value
        .unwrap();
    assert_eq!(
        num(&r, total, 1),
        expect.to_string().parse::<f64>().unwrap()
    );
    for c in [2, 4, 6] {
        assert_eq!(at(&r, total, c), "", "total row has no rank in column {c}");
    }
}

#[test]
fn notice_shows_dash_for_a_county_without_data() {
    let units = SHANGQIU
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if *n == "示范区" {
                unit(n, Tally::default(), false)
            } else {
                unit(n, county(i, 0), true)
            }
        })
        .collect();
    let report = report_with(&SEVEN[..3], units, date(2021, 11, 30), None);
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    let r = sheet(&bytes, "通报表");
    let row = rows_with(&r, 0, "示范区")[0];
    for c in 1..7 {
        assert_eq!(at(&r, row, c), "—", "示范区 column {c}");
    }
    // The note of the report appears among the footnotes.
    let notes: Vec<String> = (15..30).map(|row| at(&r, row, 0)).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("没有数据") && n.contains("示范区")),
        "{notes:?}"
    );
    // 计算明细 too.
    let d = sheet(&bytes, "计算明细");
    let rows = rows_with(&d, 0, "示范区");
    assert_eq!(rows.len(), 3);
    assert_eq!(at(&d, rows[0], 6), "—");
    assert_eq!(at(&d, rows[0], 8), "—");
}

#[test]
fn notice_merges_title_date_and_headers() {
    let report = shangqiu(&SEVEN[..3], 0, date(2021, 11, 30), None);
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    let mut wb = open(&bytes);
    let merges: Vec<((u32, u32), (u32, u32))> = wb
        .merge_cells_by_sheet_name("通报表")
        .unwrap()
        .into_iter()
        .map(|d| (d.start, d.end))
        .collect();
    for m in [
        ((0, 0), (0, 6)), // title
        ((1, 0), (1, 6)), // date line
        ((2, 0), (3, 0)), // unit word over both header rows
        ((2, 1), (2, 2)), // 总贷款余额户贷率 over 数值 | 排名
        ((2, 3), (2, 4)),
        ((2, 5), (2, 6)),
    ] {
        assert!(merges.contains(&m), "missing merge {m:?} in {merges:?}");
    }
}

#[test]
fn notice_number_formats_fonts_and_warning_fills() {
    let report = november();
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    let styles = zip_text(&bytes, "xl/styles.xml");
    for f in ["0.00%", "0.0%"] {
        assert!(
            styles.contains(&format!("formatCode=\"{f}\"")),
            "{f} in styles.xml"
        );
    }
    assert!(styles.contains("宋体") && styles.contains("方正小标宋简体"));
    let mut wb = open(&bytes);
    let st = wb.worksheet_style("通报表").unwrap();
    let fmt = |row: u32, col: u32| {
        st.get((row, col))
            .and_then(|s| s.number_format.clone())
            .map(|n| n.format_code)
            .unwrap_or_default()
    };
    assert_eq!(fmt(4, 1), "0.00%"); // 户贷率
    assert_eq!(fmt(4, 5), "0.0%"); // 已享受帮扶 (1 decimal)
    // Title font and bold total row.
    let title_font = st.get((0, 0)).unwrap().font.clone().unwrap();
    assert_eq!(title_font.name.as_deref(), Some("方正小标宋简体"));
    assert!(title_font.is_bold());
    assert!(st.get((14, 0)).unwrap().font.as_ref().unwrap().is_bold());
    // 虞城县 98.81% < 100% target: light red; 永城市 99.3% < 100%: red as well;
    // 永城市 100% start rate: no fill.
    let fill = |row: u32, col: u32| {
        st.get((row, col))
            .and_then(|s| s.fill.clone())
            .filter(|f| f.is_visible())
            .and_then(|f| f.get_color())
            .map(|c| (c.red, c.green, c.blue))
    };
    assert_eq!(fill(6, 3), Some((0xFF, 0xC7, 0xCE)));
    assert_eq!(fill(4, 5), Some((0xFF, 0xC7, 0xCE)));
    assert_eq!(fill(4, 3), None);
    // Legend line with the targets.
    let r = sheet(&bytes, "通报表");
    let notes: Vec<String> = (0..80).map(|row| at(&r, row, 0)).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("浅红色") && n.contains("纳入年度实施计划项目开工率≥100%"))
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("数据来源：全国防返贫监测信息系统"))
    );
    assert!(notes.iter().any(|n| n.contains("本表由gonggu生成")));
}

#[test]
fn notice_yellow_when_met_by_less_than_two_points() {
    // 产业发展资金占比 target ≥ 60%: 61.0% is met but within 2 points → 黄.
    let mut units: Vec<UnitInput> = SHANGQIU
        .iter()
        .enumerate()
        .map(|(i, n)| unit(n, county(i, 0), true))
        .collect();
    let t = &mut units[0].tally;
    t.0.insert("funds_industry".into(), Decimal::from(610));
    t.0.insert("funds_allocated".into(), Decimal::from(1000));
    let report = report_with(&["industry_fund_share"], units, date(2021, 11, 30), None);
    assert_eq!(
        report.rows[0].cell("industry_fund_share").unwrap().warning,
        Some(gonggu_core::compute::Warning::Yellow)
    );
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    let st = open(&bytes).worksheet_style("通报表").unwrap();
    let color = st
        .get((4, 1))
        .unwrap()
        .fill
        .clone()
        .unwrap()
        .get_color()
        .unwrap();
    assert_eq!((color.red, color.green, color.blue), (0xFF, 0xEB, 0x9C));
}

#[test]
fn notice_print_setup_landscape_one_page_wide_repeated_header() {
    let report = shangqiu(&SEVEN[..3], 0, date(2021, 11, 30), None);
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    let xml = zip_text(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("orientation=\"landscape\""), "{xml}");
    assert!(xml.contains("paperSize=\"9\""));
    assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"));
    assert!(xml.contains("fitToHeight=\"0\""));
    // fitToWidth defaults to 1 and is written only when it differs; fitToPage + height 0
    // is "one page wide, as many tall as needed".
    assert!(!xml.contains("fitToWidth=\"0\""));
    assert!(
        xml.contains("<pane xSplit=\"1\" ySplit=\"4\""),
        "frozen header"
    );
    assert!(xml.contains("<col min=\"1\" max=\"1\""));
    let workbook = zip_text(&bytes, "xl/workbook.xml");
    assert!(
        workbook.contains("_xlnm.Print_Titles") && workbook.contains("通报表!$3:$4"),
        "{workbook}"
    );
}

#[test]
fn seven_indicators_with_block_size_three_make_three_blocks() {
    let report = november();
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    let r = sheet(&bytes, "通报表");
    let heads = rows_with(&r, 0, "县（市、区）");
    assert_eq!(heads.len(), 3, "one header per block: {heads:?}");
    // Each block lists all ten counties and the total.
    for (b, &h) in heads.iter().enumerate() {
        let names: Vec<String> = (h + 2..h + 13).map(|row| at(&r, row, 0)).collect();
        assert_eq!(
            names.first().map(String::as_str),
            Some("永城市"),
            "block {b}"
        );
        assert_eq!(
            names.last().map(String::as_str),
            Some("商丘市"),
            "block {b}"
        );
    }
    // Blocks: 3, 3 and 1 indicators, in catalog order.
    let names_in = |h: u32| -> Vec<String> {
        (1..8)
            .map(|c| at(&r, h, c))
            .filter(|s| !s.is_empty())
            .collect()
    };
    assert_eq!(
        names_in(heads[0]),
        [
            "总贷款余额户贷率",
            "纳入年度实施计划项目开工率",
            "已享受帮扶政策户数占监测户比例"
        ]
    );
    assert_eq!(
        names_in(heads[1]),
        [
            "衔接资金支出进度",
            "产业发展资金占比",
            "脱贫人口人均纯收入\n（元）"
        ]
    );
    // 脱贫户数 is a count, not ranked: no rank column.
    assert_eq!(names_in(heads[2]), ["脱贫户数"]);
    assert_eq!(at(&r, heads[2] + 2, 1), "7232");
    // A blank row between blocks, and a page break before each later block.
    assert_eq!(heads[1], heads[0] + 2 + 11 + 1);
    let xml = zip_text(&bytes, "xl/worksheets/sheet1.xml");
    for h in &heads[1..] {
        assert!(
            xml.contains(&format!("<brk id=\"{h}\"")),
            "break before row {h}"
        );
    }
    // With several blocks, print titles would repeat block 1's header: not set.
    let workbook = zip_text(&bytes, "xl/workbook.xml");
    assert!(!workbook.contains("通报表!$3"), "{workbook}");
    assert!(workbook.contains("计算明细!$1:$1"), "{workbook}");
    // Per-capita income as an integer.
    let st = open(&bytes).worksheet_style("通报表").unwrap();
    let code = st
        .get((heads[1] + 2, 5))
        .unwrap()
        .number_format
        .clone()
        .unwrap();
    assert_eq!(code.format_code, "0");
}

#[test]
fn long_region_lists_continue_on_the_next_page_with_the_header() {
    let towns: Vec<String> = (1..=45).map(|i| format!("第{i}镇")).collect();
    let units: Vec<UnitInput> = towns
        .iter()
        .enumerate()
        .map(|(i, n)| unit(n, county(i % 10, 0), true))
        .collect();
    // One block: header once, page breaks, print titles repeat it.
    let one = report_with(&SEVEN[..3], units.clone(), date(2021, 11, 30), None);
    let bytes = ranking_workbook(&one, &opts("")).unwrap();
    let r = sheet(&bytes, "通报表");
    assert_eq!(at(&r, 0, 0), TITLE, "default title from the parent");
    assert_eq!(rows_with(&r, 0, "县（市、区）").len(), 1);
    let xml = zip_text(&bytes, "xl/worksheets/sheet1.xml");
    let breaks = xml.matches("<brk id=").count();
    assert!(breaks >= 1, "page breaks in a 45-row list");
    assert!(zip_text(&bytes, "xl/workbook.xml").contains("_xlnm.Print_Titles"));
    // Two blocks: each page of each block starts with its own header.
    let two = report_with(&SEVEN[..5], units, date(2021, 11, 30), None);
    let bytes = ranking_workbook(&two, &opts("")).unwrap();
    let r = sheet(&bytes, "通报表");
    let heads = rows_with(&r, 0, "县（市、区）");
    assert!(heads.len() >= 4, "{heads:?}");
    let xml = zip_text(&bytes, "xl/worksheets/sheet1.xml");
    for h in &heads[1..] {
        assert!(
            xml.contains(&format!("<brk id=\"{h}\"")),
            "break before header row {h}"
        );
    }
    // Every town appears once per block, the total never alone on a page.
    assert_eq!(rows_with(&r, 0, "第45镇").len(), 2);
    for &h in &heads {
        assert_ne!(at(&r, h + 2, 0), "商丘市");
    }
}

#[test]
fn previous_period_adds_change_and_rank_move() {
    let report = with_previous();
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    let r = sheet(&bytes, "通报表");
    let labels: Vec<String> = (1..5).map(|c| at(&r, 3, c)).collect();
    assert_eq!(labels, ["数值", "排名", "较上期\n（个百分点）", "名次变化"]);
    // Merges widen to four columns per indicator.
    let merges: Vec<((u32, u32), (u32, u32))> = open(&bytes)
        .merge_cells_by_sheet_name("通报表")
        .unwrap()
        .into_iter()
        .map(|d| (d.start, d.end))
        .collect();
    assert!(merges.contains(&((2, 1), (2, 4))), "{merges:?}");
    for (i, name) in SHANGQIU.iter().enumerate() {
        let row = 4 + i as u32;
        let cell = report.rows[i].cell("loan_household_rate").unwrap();
        assert_eq!(at(&r, row, 0), *name);
        let change: f64 = cell.change.unwrap().to_string().parse().unwrap();
        assert_eq!(num(&r, row, 3), change, "{name} change");
        assert_eq!(
            at(&r, row, 4),
            cell.rank_move.clone().unwrap(),
            "{name} move"
        );
    }
    // Some county moved: the loans shifted by ±0.40 points.
    let moves: Vec<String> = (4..14).map(|row| at(&r, row, 4)).collect();
    assert!(moves.iter().any(|m| m.starts_with('↑')), "{moves:?}");
    assert!(moves.iter().any(|m| m == "持平"), "{moves:?}");
    // The change is shown with a sign.
    let st = open(&bytes).worksheet_style("通报表").unwrap();
    let code = st.get((4, 3)).unwrap().number_format.clone().unwrap();
    assert_eq!(code.format_code, "+0.00;-0.00;0.00");
    // Total row: change shown, no rank, no move.
    assert_eq!(at(&r, 14, 0), "商丘市");
    assert_eq!(
        (at(&r, 14, 2), at(&r, 14, 4)),
        (String::new(), String::new())
    );
    assert!(!at(&r, 14, 3).is_empty());
    let notes: Vec<String> = (15..40).map(|row| at(&r, row, 0)).collect();
    assert!(
        notes.iter().any(|n| n.contains("2021年10月31日")),
        "{notes:?}"
    );
}

#[test]
fn details_sheet_has_numerators_denominators_and_status() {
    let report = november();
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    let d = sheet(&bytes, "计算明细");
    let heads: Vec<String> = (0..12).map(|c| at(&d, 0, c)).collect();
    assert_eq!(
        heads,
        [
            "地区",
            "指标",
            "分子",
            "分子值",
            "分母",
            "分母值",
            "值",
            "显示值",
            "排名",
            "目标",
            "是否达标",
            "预警"
        ]
    );
    // 11 rows (10 counties + total) × 7 indicators, then, after a blank row, how to list
    // the records behind each figure.
    assert_eq!(d.end().unwrap().0, 79);
    assert_eq!(at(&d, 77, 0), "商丘市");
    assert_eq!(at(&d, 78, 0), "");
    let note = at(&d, 79, 0);
    assert!(
        note.starts_with("查看名单")
            && note.contains(
                "gonggu explain 输入文件… --level county --indicator loan_household_rate --region 永城市"
            ),
        "{note}"
    );
    // Regions in order, each with its indicators in order, the total last.
    assert_eq!(at(&d, 1, 0), "永城市");
    assert_eq!(at(&d, 1, 1), "总贷款余额户贷率");
    assert_eq!(at(&d, 8, 0), "夏邑县");
    assert_eq!(at(&d, 71, 0), "商丘市");
    // 虞城县 开工率: 83 ÷ 84 → 0.9881, 98.81%, rank 10, target 100%, 未达标, 红.
    let row = (1..=77)
        .find(|&r| at(&d, r, 0) == "虞城县" && at(&d, r, 1) == "纳入年度实施计划项目开工率")
        .unwrap();
    let got: Vec<String> = (2..12).map(|c| at(&d, row, c)).collect();
    assert_eq!(
        got,
        [
            "已开工项目数",
            "83",
            "纳入年度实施计划项目数",
            "84",
            "0.9881",
            "98.81%",
            "10",
            "1",
            "未达标",
            "红"
        ]
    );
    // A count: no denominator, not ranked, no target.
    let row = (1..=77)
        .find(|&r| at(&d, r, 0) == "永城市" && at(&d, r, 1) == "脱贫户数")
        .unwrap();
    let got: Vec<String> = (2..12).map(|c| at(&d, row, c)).collect();
    assert_eq!(
        got,
        [
            "脱贫户数",
            "7232",
            "—",
            "—",
            "7232",
            "7232",
            "—",
            "—",
            "—",
            ""
        ]
    );
    // The total row is never ranked.
    assert_eq!(at(&d, 71, 8), "—");
}

#[test]
fn definitions_sheet_explains_each_indicator() {
    let report = november();
    let bytes = ranking_workbook(&report, &opts(TITLE)).unwrap();
    let s = sheet(&bytes, "指标说明");
    assert_eq!(at(&s, 0, 0), "编号");
    let row = rows_with(&s, 0, "loan_household_rate")[0];
    assert_eq!(at(&s, row, 1), "总贷款余额户贷率");
    assert!(at(&s, row, 3).starts_with("贷款余额户数 ÷ 脱贫户和监测户数"));
    assert!(at(&s, row, 4).starts_with("贷款余额户数："));
    let h = |name: &str| col_of(&s, 0, name);
    assert_eq!(at(&s, row, h("排名方向")), "越高越好");
    assert_eq!(at(&s, row, h("目标")), "未设目标");
    assert_eq!(at(&s, row, h("统计截止日期")), "2021年11月30日");
    assert!(at(&s, row, h("数据来源")).contains("小额信贷台账"));
    // A dated schedule: the rule in words, the threshold that applies on 11-30.
    let row = rows_with(&s, 0, "fund_spend_progress")[0];
    assert!(
        at(&s, row, h("目标")).contains("9月30日起≥75%"),
        "{}",
        at(&s, row, h("目标"))
    );
    assert_eq!(num(&s, row, h("本期目标值")), 0.75);
    // A parameter target.
    let row = rows_with(&s, 0, "per_capita_income")[0];
    assert!(at(&s, row, h("目标")).contains("防返贫监测收入标准"));
    assert_eq!(num(&s, row, h("本期目标值")), 7500.0);
}

#[test]
fn charts_sheet_with_native_column_charts() {
    let report = november();
    let plain = ranking_workbook(&report, &opts(TITLE)).unwrap();
    assert!(
        !zip_names(&plain)
            .iter()
            .any(|n| n.starts_with("xl/charts/"))
    );
    let o = WorkbookOptions {
        charts: true,
        ..opts(TITLE)
    };
    let bytes = ranking_workbook(&report, &o).unwrap();
    assert_eq!(
        sheet_names(&bytes),
        ["通报表", "计算明细", "指标说明", "图表"]
    );
    let charts: Vec<String> = zip_names(&bytes)
        .into_iter()
        .filter(|n| n.starts_with("xl/charts/chart"))
        .collect();
    assert_eq!(charts.len(), 6, "one per ranked indicator: {charts:?}");
    let chart = zip_text(&bytes, "xl/charts/chart1.xml");
    assert!(chart.contains("<c:barDir val=\"col\"/>"));
    assert!(chart.contains("图表!$A$2:$A$11"), "{chart}");
    let c = sheet(&bytes, "图表");
    assert_eq!(at(&c, 1, 0), "永城市");
    assert_eq!(num(&c, 1, 1), 0.2441);

    // Printed, no chart is cut by a page break: every break lies outside every chart's
    // rows (anchors in the drawing, 0-based rows; breaks in the sheet, after that row).
    let rows_of = |xml: &str, open: &str| -> Vec<u32> {
        xml.split(open)
            .skip(1)
            .map(|t| {
                let t = t.split("<xdr:row>").nth(1).unwrap();
                t.split('<').next().unwrap().parse().unwrap()
            })
            .collect()
    };
    let drawing = zip_text(&bytes, "xl/drawings/drawing1.xml");
    let (from, to) = (
        rows_of(&drawing, "<xdr:from>"),
        rows_of(&drawing, "<xdr:to>"),
    );
    assert_eq!(from.len(), 6, "{drawing}");
    let sheet_xml = zip_names(&bytes)
        .into_iter()
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .map(|n| zip_text(&bytes, &n))
        .find(|x| x.contains("<drawing "))
        .unwrap();
    let breaks: Vec<u32> = sheet_xml
        .split("<brk id=\"")
        .skip(1)
        .map(|t| t.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert!(breaks.len() >= 2, "{sheet_xml}");
    for (f, t) in from.iter().zip(&to) {
        for b in &breaks {
            assert!(
                !(f < b && b <= t),
                "a break after row {b} cuts the chart on rows {f}–{t}"
            );
        }
    }
    // The value axis reaches above the highest bar, so labels stand clear of it.
    assert!(chart.contains("<c:max val="), "{chart}");
}

#[test]
fn same_report_same_bytes_and_creation_date_from_as_of() {
    let report = with_previous();
    let o = WorkbookOptions {
        charts: true,
        ..opts(TITLE)
    };
    let a = ranking_workbook(&report, &o).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = ranking_workbook(&report, &o).unwrap();
    assert!(a == b, "ranking workbook bytes differ between runs");
    let core = zip_text(&a, "docProps/core.xml");
    assert!(core.contains("2021-11-30T00:00:00Z"), "{core}");
    assert_eq!(
        plain_workbook(&report).unwrap(),
        plain_workbook(&report).unwrap()
    );
    let q = quality();
    assert_eq!(
        evaluation_workbook(&report, Some(&q), &o).unwrap(),
        evaluation_workbook(&report, Some(&q), &o).unwrap()
    );
}

// ---------------------------------------------------------------------------
// Plain and evaluation workbooks
// ---------------------------------------------------------------------------

#[test]
fn plain_workbook_one_sheet_like_the_csv() {
    let report = with_previous();
    let bytes = plain_workbook(&report).unwrap();
    assert_eq!(sheet_names(&bytes), ["计算结果"]);
    let r = sheet(&bytes, "计算结果");
    let heads: Vec<String> = (0..5).map(|c| at(&r, 0, c)).collect();
    assert_eq!(
        heads,
        [
            "县（市、区）",
            "总贷款余额户贷率",
            "总贷款余额户贷率排名",
            "总贷款余额户贷率较上期（个百分点）",
            "总贷款余额户贷率名次变化"
        ]
    );
    assert_eq!(at(&r, 1, 0), "永城市");
    assert_eq!(num(&r, 1, 1), 0.2441);
    assert_eq!(at(&r, 11, 0), "商丘市");
    assert_eq!(at(&r, 11, 2), "");
    assert_eq!(r.end().unwrap().0, 11);
    let xml = zip_text(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("<autoFilter ref=\"A1:M11\""), "{xml}");
}

fn quality() -> QualityOverview {
    QualityOverview {
        rows: vec![
            QualityLine {
                code: "ID001".into(),
                title: "证件号码校验位错误".into(),
                severity: "错误".into(),
                count: 12,
            },
            QualityLine {
                code: "HH003".into(),
                title: "户内无户主或有多个户主".into(),
                severity: "警告".into(),
                count: 3,
            },
        ],
        skipped: vec!["INC001 疑似应纳未纳：缺少列「人均纯收入（元）」".into()],
    }
}

#[test]
fn evaluation_workbook_attainment_summary_and_quality() {
    let report = november();
    let bytes = evaluation_workbook(&report, Some(&quality()), &opts("")).unwrap();
    assert_eq!(
        sheet_names(&bytes),
        ["达标情况", "汇总", "数据质量", "计算明细", "指标说明"]
    );
    let a = sheet(&bytes, "达标情况");
    assert_eq!(at(&a, 0, 0), "商丘市巩固拓展脱贫攻坚成果指标达标情况");
    assert_eq!(at(&a, 1, 0), "截至2021年11月30日");
    // Block of 开工率: caption with the target, then 虞城县 未达标 红.
    let cap = (0..200)
        .find(|&row| at(&a, row, 0).contains("纳入年度实施计划项目开工率"))
        .unwrap();
    assert!(at(&a, cap, 0).contains("目标≥100%"), "{}", at(&a, cap, 0));
    assert_eq!(at(&a, cap + 1, 4), "是否达标");
    let yc = cap + 2 + 2;
    assert_eq!(at(&a, yc, 0), "虞城县");
    assert_eq!(num(&a, yc, 1), 0.9881);
    assert_eq!(num(&a, yc, 3), 1.0);
    assert_eq!(
        (at(&a, yc, 4), at(&a, yc, 5)),
        ("未达标".into(), "红".into())
    );
    assert_eq!(at(&a, cap + 2, 4), "达标");
    // Indicators without a target say so.
    assert!((0..200).any(|row| at(&a, row, 0).contains("总贷款余额户贷率（未设目标）")));

    // 汇总: per region, indicators with a target (开工率, 帮扶, 支出进度, 产业, 收入 = 5).
    let s = sheet(&bytes, "汇总");
    let head = rows_with(&s, 0, "县（市、区）")[0];
    let heads: Vec<String> = (0..6).map(|c| at(&s, head, c)).collect();
    assert_eq!(
        heads,
        [
            "县（市、区）",
            "考核指标数",
            "达标",
            "未达标",
            "无数据",
            "未达标指标"
        ]
    );
    let yc = rows_with(&s, 0, "虞城县")[0];
    assert_eq!(num(&s, yc, 1), 5.0);
    let (met, missed, none) = (num(&s, yc, 2), num(&s, yc, 3), num(&s, yc, 4));
    assert_eq!(met + missed + none, 5.0);
    assert!(at(&s, yc, 5).contains("纳入年度实施计划项目开工率"));
    let expected_missed = report.rows[2]
        .values
        .values()
        .filter(|c| c.target_met == Some(false))
        .count() as f64;
    assert_eq!(missed, expected_missed);
    assert_eq!(at(&s, head + 11, 0), "商丘市");

    // 数据质量.
    let q = sheet(&bytes, "数据质量");
    let head = rows_with(&q, 0, "规则编号")[0];
    assert_eq!(at(&q, head + 1, 0), "ID001");
    assert_eq!(num(&q, head + 1, 3), 12.0);
    assert_eq!(at(&q, head + 3, 0), "合计");
    assert_eq!(num(&q, head + 3, 3), 15.0);
    assert!((0..40).any(|row| at(&q, row, 0).contains("INC001")));

    // Without a quality summary: no such sheet.
    let bytes = evaluation_workbook(&report, None, &opts("")).unwrap();
    assert!(!sheet_names(&bytes).contains(&"数据质量".to_string()));
}

#[test]
fn evaluation_counts_no_data_for_a_county_without_data() {
    let units = SHANGQIU
        .iter()
        .enumerate()
        .map(|(i, n)| unit(n, county(i, 0), *n != "睢县"))
        .collect();
    let report = report_with(&SEVEN, units, date(2021, 11, 30), None);
    let bytes = evaluation_workbook(&report, None, &opts("")).unwrap();
    let s = sheet(&bytes, "汇总");
    let row = rows_with(&s, 0, "睢县")[0];
    assert_eq!(
        (
            num(&s, row, 1),
            num(&s, row, 2),
            num(&s, row, 3),
            num(&s, row, 4)
        ),
        (5.0, 0.0, 0.0, 5.0)
    );
    let a = sheet(&bytes, "达标情况");
    let rows = rows_with(&a, 0, "睢县");
    assert!(rows.iter().any(|&r| at(&a, r, 4) == "无数据"));
    assert!(rows.iter().all(|&r| at(&a, r, 1) == "—"));
}

#[test]
fn render_errors_are_chinese_and_name_the_workbook() {
    let mut report = shangqiu(&SEVEN[..1], 0, date(2021, 11, 30), None);
    report.rows[0].region = "长".repeat(40_000); // beyond Excel's 32,767 characters
    let err = ranking_workbook(&report, &opts(TITLE))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("生成通报表失败"), "{err}");
}

// ---------------------------------------------------------------------------
// Reading the XML inside the zip (no zip crate among our dependencies): the central
// directory gives each entry's place, and a small inflater decodes it.
// ---------------------------------------------------------------------------

fn u16_at(b: &[u8], i: usize) -> usize {
    usize::from(u16::from_le_bytes([b[i], b[i + 1]]))
}

fn u32_at(b: &[u8], i: usize) -> usize {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize
}

/// (name, method, compressed size, local header offset) of every entry.
fn zip_entries(b: &[u8]) -> Vec<(String, usize, usize, usize)> {
    let eocd = (0..b.len() - 21)
        .rev()
        .find(|&i| u32_at(b, i) == 0x0605_4b50)
        .expect("end of central directory");
    let count = u16_at(b, eocd + 10);
    let mut p = u32_at(b, eocd + 16);
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(b, p), 0x0201_4b50);
        let (method, csize) = (u16_at(b, p + 10), u32_at(b, p + 20));
        let (n, e, c) = (u16_at(b, p + 28), u16_at(b, p + 30), u16_at(b, p + 32));
        let name = String::from_utf8(b[p + 46..p + 46 + n].to_vec()).unwrap();
        out.push((name, method, csize, u32_at(b, p + 42)));
        p += 46 + n + e + c;
    }
    out
}

fn zip_names(b: &[u8]) -> Vec<String> {
    zip_entries(b).into_iter().map(|e| e.0).collect()
}

fn zip_text(b: &[u8], name: &str) -> String {
    let (_, method, csize, off) = zip_entries(b)
        .into_iter()
        .find(|e| e.0 == name)
        .unwrap_or_else(|| panic!("{name} not in the zip"));
    let data = off + 30 + u16_at(b, off + 26) + u16_at(b, off + 28);
    let raw = &b[data..data + csize];
    let bytes = match method {
        0 => raw.to_vec(),
        8 => inflate(raw),
        m => panic!("compression method {m}"),
    };
    String::from_utf8(bytes).unwrap()
}

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u32,
    n: u32,
}

impl Bits<'_> {
    fn get(&mut self, need: u32) -> u32 {
        while self.n < need {
            self.buf |= u32::from(self.data[self.pos]) << self.n;
            self.pos += 1;
            self.n += 8;
        }
        let v = self.buf & ((1u32 << need) - 1);
        self.buf = if need == 32 { 0 } else { self.buf >> need };
        self.n -= need;
        v
    }
}

/// Canonical Huffman code: counts per length and symbols in code order.
struct Huff {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huff {
    fn new(lengths: &[u8]) -> Huff {
        let mut counts = [0u16; 16];
        for &l in lengths {
            counts[usize::from(l)] += 1;
        }
        counts[0] = 0;
        let mut offs = [0u16; 16];
        for l in 1..16 {
            offs[l] = offs[l - 1] + counts[l - 1];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (s, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbols[usize::from(offs[usize::from(l)])] = s as u16;
                offs[usize::from(l)] += 1;
            }
        }
        Huff { counts, symbols }
    }

    fn decode(&self, bits: &mut Bits<'_>) -> usize {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= bits.get(1) as i32;
            let count = i32::from(self.counts[len]);
            if code - first < count {
                return usize::from(self.symbols[(index + code - first) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        panic!("bad huffman code");
    }
}

const LBASE: [usize; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEXT: [u32; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DBASE: [usize; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DEXT: [u32; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Raw DEFLATE (RFC 1951) decoder, enough for the XML parts of an xlsx.
fn inflate(data: &[u8]) -> Vec<u8> {
    let mut bits = Bits {
        data,
        pos: 0,
        buf: 0,
        n: 0,
    };
    let mut out: Vec<u8> = Vec::new();
    loop {
        let last = bits.get(1);
        match bits.get(2) {
            0 => {
                bits.buf = 0;
                bits.n = 0;
                let len = u16_at(data, bits.pos);
                bits.pos += 4;
                out.extend_from_slice(&data[bits.pos..bits.pos + len]);
                bits.pos += len;
            }
            kind => {
                let (lit, dist) = if kind == 1 {
                    let mut l = [8u8; 288];
                    l[144..256].fill(9);
                    l[256..280].fill(7);
                    (Huff::new(&l), Huff::new(&[5u8; 30]))
                } else {
                    let hlit = bits.get(5) as usize + 257;
                    let hdist = bits.get(5) as usize + 1;
                    let hclen = bits.get(4) as usize + 4;
                    const ORDER: [usize; 19] = [
                        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
                    ];
                    let mut cl = [0u8; 19];
                    for &o in ORDER.iter().take(hclen) {
                        cl[o] = bits.get(3) as u8;
                    }
                    let clh = Huff::new(&cl);
                    let mut lens: Vec<u8> = Vec::new();
                    while lens.len() < hlit + hdist {
                        match clh.decode(&mut bits) {
                            s @ 0..=15 => lens.push(s as u8),
                            16 => {
                                let prev = *lens.last().unwrap();
                                let n = 3 + bits.get(2);
                                lens.extend(std::iter::repeat_n(prev, n as usize));
                            }
                            17 => {
                                let n = 3 + bits.get(3);
                                lens.extend(std::iter::repeat_n(0, n as usize));
                            }
                            _ => {
                                let n = 11 + bits.get(7);
                                lens.extend(std::iter::repeat_n(0, n as usize));
                            }
                        }
                    }
                    (Huff::new(&lens[..hlit]), Huff::new(&lens[hlit..]))
                };
                loop {
                    let sym = lit.decode(&mut bits);
                    if sym < 256 {
                        out.push(sym as u8);
                    } else if sym == 256 {
                        break;
                    } else {
                        let i = sym - 257;
                        let len = LBASE[i] + bits.get(LEXT[i]) as usize;
                        let d = dist.decode(&mut bits);
                        let back = DBASE[d] + bits.get(DEXT[d]) as usize;
                        let start = out.len() - back;
                        for k in 0..len {
                            out.push(out[start + k]);
                        }
                    }
                }
            }
        }
        if last == 1 {
            return out;
        }
    }
}

/// Writes sample workbooks for a visual check (LibreOffice → PDF → PNG):
/// `GONGGU_XLSX_SAMPLES=/tmp/xlsx cargo test -p gonggu-core --lib render::xlsx -- --ignored`.
#[test]
#[ignore = "writes files for a visual check"]
fn write_samples_for_visual_check() {
    let dir = std::path::PathBuf::from(
        std::env::var("GONGGU_XLSX_SAMPLES").unwrap_or_else(|_| "/tmp/gonggu-xlsx".into()),
    );
    std::fs::create_dir_all(&dir).unwrap();
    let o = WorkbookOptions {
        charts: true,
        ..opts(TITLE)
    };
    let write = |name: &str, bytes: Vec<u8>| std::fs::write(dir.join(name), bytes).unwrap();
    write("notice7.xlsx", ranking_workbook(&november(), &o).unwrap());
    write(
        "notice_prev.xlsx",
        ranking_workbook(&with_previous(), &o).unwrap(),
    );
    let towns: Vec<UnitInput> = (1..=45)
        .map(|i| unit(&format!("第{i}镇"), county(i % 10, 0), true))
        .collect();
    let long = report_with(&SEVEN[..5], towns, date(2021, 11, 30), None);
    write("notice_long.xlsx", ranking_workbook(&long, &o).unwrap());
    write(
        "evaluate.xlsx",
        evaluation_workbook(&november(), Some(&quality()), &o).unwrap(),
    );
    write("plain.xlsx", plain_workbook(&with_previous()).unwrap());
}
