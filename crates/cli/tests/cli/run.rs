//! `gonggu run` and `gonggu history` (issue 22): three months of the demo city, one command
//! each; the third month compared with the second from the history alone; the 变动名单 checked
//! against the generator; the unit × month table; a re-run that replaces its month; runs
//! broken between steps that leave the folder and the database as they were.

use super::*;
use gonggu_core::history::History;

const HOUSEHOLDS: usize = 1500;

fn run_month(dir: &Path, month: Option<&str>) -> Output {
    let mut c = gonggu();
    c.current_dir(dir).arg("run").args(month);
    run(&mut c)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn cell<'a>(v: &'a serde_json::Value, region: &str, id: &str) -> &'a serde_json::Value {
    &json_row(v, region)["values"][id]
}

/// Every file below `dir` with its bytes (the output folder and gonggu.db).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .filter(|p| !p.starts_with(dir.join("数据")))
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

fn counts(dir: &Path) -> [u64; 4] {
    History::open(&dir.join("gonggu.db"))
        .unwrap()
        .counts()
        .unwrap()
}

/// Rows of a sheet below its header row (the row whose first cell is `序号` / `县（市、区）`).
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r[0] == "序号" || r[0] == "县（市、区）" || r[0] == "地区")
        .unwrap();
    rows[header..].to_vec()
}

#[test]
fn three_months_one_command_each_with_a_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = run(gonggu()
        .args(["demo", "--months", "3", "--households"])
        .arg(HOUSEHOLDS.to_string())
        .arg("--out")
        .arg(dir));
    assert!(o.status.success(), "{}", stderr(&o));
    for m in ["2021-09", "2021-10", "2021-11"] {
        assert!(
            dir.join("数据").join(m).join("监测对象信息.xlsx").is_file(),
            "{m}"
        );
    }
    assert!(stderr(&o).contains("gonggu run 2021-11"), "{}", stderr(&o));

    // Month three before anything else, broken between steps: nothing written, no record.
    let before = snapshot(dir);
    for broken in ["简报", "写出文件"] {
        let o = run(gonggu()
            .current_dir(dir)
            .env("GONGGU_TEST_FAIL_STEP", broken)
            .args(["run", "2021-11"]));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains(&format!("「{broken}」这一步失败")), "{e}");
        assert!(
            !dir.join("输出").exists(),
            "{broken}: {:?}",
            files_under(dir)
        );
        assert!(!dir.join("gonggu.db").exists(), "{broken}");
        assert!(snapshot(dir) == before, "{broken} changed files");
    }

    // September and October by name, November as the latest month with inputs.
    for month in [Some("2021-09"), Some("2021-10"), None] {
        let o = run_month(dir, month);
        assert!(o.status.success(), "{month:?}: {}", stderr(&o));
    }
    let out = |m: &str| dir.join("输出").join(m);
    let nov = json(&out("2021年11月").join("商丘市2021年11月指标.json"));
    let oct = json(&out("2021年10月").join("商丘市2021年10月指标.json"));
    assert_eq!(nov["as_of"], "2021-11-30");
    assert_eq!(oct["as_of"], "2021-10-31");
    // No --previous, no previous files named: last month came from the history.
    let o = run_month(dir, Some("2021-11"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("上月对比：取自历史库中 2021-10 的记录"),
        "{}",
        stderr(&o)
    );
    // The change is November's value minus October's, in percentage points, 2 decimals.
    let mut compared = 0;
    for region in ["永城市", "夏邑县", "商丘市"] {
        for id in ["loan_household_rate", "assisted_share"] {
            let (now, then) = (cell(&nov, region, id), cell(&oct, region, id));
            let (Some(a), Some(b)) = (now["value"].as_f64(), then["value"].as_f64()) else {
                continue;
            };
            let want = ((a - b) * 10000.0).round() / 100.0;
            let got = now["change"].as_f64().unwrap_or(f64::NAN);
            assert!((got - want).abs() < 1e-9, "{region} {id}: {got} ≠ {want}");
            if region != "商丘市" {
                assert_eq!(now["previous_rank"], then["rank"], "{region} {id}");
            }
            compared += 1;
        }
    }
    assert!(compared >= 3, "no indicator compared");
    // The notice's tables carry the comparison columns.
    let notice = out("2021年11月").join("商丘市2021年11月主要指标通报.pdf");
    let text = pdf_text(&notice).expect("pdftotext");
    assert!(text.contains("较上月") || text.contains("持平"), "{text}");

    // The brief closes with a three-point trend from the history and this month.
    let brief = out("2021年11月").join("商丘市2021年11月领导简报.pdf");
    let text = pdf_text(&brief).expect("pdftotext");
    let trend = text
        .split("近3个月走势")
        .nth(1)
        .unwrap_or_else(|| panic!("no trend: {text}"));
    for m in ["9月", "10月", "11月"] {
        assert!(trend.contains(m), "{m}: {trend}");
    }
    let total = cell(&nov, "商丘市", "assisted_share")["display"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        trend.contains(&format!("商丘市 {total}")),
        "{total}: {trend}"
    );
    // The Word brief has the same trend as figures: the months and the total's last value.
    let docx = docx_text(&brief.with_extension("docx"));
    let trend = docx
        .split("近3个月走势")
        .nth(1)
        .unwrap_or_else(|| panic!("no trend in the DOCX: {docx}"));
    for m in ["9月", "10月", "11月", total.as_str()] {
        assert!(trend.contains(m), "{m}: {trend}");
    }

    // The 变动名单 against the generator: households identified / eliminated in November.
    let data = gonggu_demo::generate(&gonggu_demo::DemoOptions {
        households: HOUSEHOLDS,
        seed: 2021,
        ..gonggu_demo::DemoOptions::default()
    })
    .months(3);
    let month = gonggu_demo::YearMonth {
        year: 2021,
        month: 11,
    };
    let last = &data[2];
    let new: Vec<String> = (0..last.households.len())
        .filter(|&i| {
            last.households[i].is_monitored() && last.households[i].identified == Some(month)
        })
        .map(|i| last.household_id(i))
        .collect();
    let eliminated: Vec<String> = (0..last.households.len())
        .filter(|&i| {
            let h = &last.households[i];
            h.is_monitored() && h.eliminated == Some(true) && h.eliminated_on == Some(month)
        })
        .map(|i| last.household_id(i))
        .collect();
    assert!(!new.is_empty() && !eliminated.is_empty());
    let list = out("2021年11月").join("商丘市2021年11月监测对象变动名单.xlsx");
    let ids = |sheet: &str| -> Vec<String> {
        let mut v: Vec<String> = sheet_rows(&list, sheet)
            .into_iter()
            .skip(1)
            .map(|r| r[4].clone())
            .filter(|s| !s.is_empty())
            .collect();
        v.sort();
        v
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(ids("新识别监测户"), sorted(new.clone()));
    assert_eq!(ids("风险消除户"), sorted(eliminated.clone()));
    assert!(ids("退出监测户").is_empty());
    let summary = sheet_rows(&list, "按乡镇汇总");
    let total = summary.last().unwrap();
    assert_eq!(total[0], "合计");
    assert_eq!(total[2], new.len().to_string());
    assert_eq!(total[3], eliminated.len().to_string());
    // Personal data masked: no 18-character 证件号码 in full, names cut to the surname.
    let text = xlsx_text(&list);
    for (i, h) in last.households.iter().enumerate() {
        if new.contains(&last.household_id(i)) {
            let p = h.first_person;
            assert!(!text.contains(last.persons[p].id_text()), "ID in full");
            assert!(!text.contains(&last.persons[p].name()), "name in full");
        }
    }

    // The history: three months; the unit × month table in CSV and XLSX.
    let o = run(gonggu().current_dir(dir).arg("history"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("已记录 3 个月"), "{}", stdout(&o));
    let o = run(gonggu().current_dir(dir).args([
        "history",
        "--indicator",
        "loan_household_rate",
        "--format",
        "csv",
        "--out",
        "户贷率.csv",
    ]));
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(dir.join("户贷率.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "\u{feff}地区,2021年9月,2021年10月,2021年11月");
    assert_eq!(lines.len(), 1 + 10 + 1, "{csv}");
    let sep = json(&out("2021年09月").join("商丘市2021年9月指标.json"));
    let displays = |region: &str| {
        [&sep, &oct, &nov]
            .map(|v| {
                cell(v, region, "loan_household_rate")["display"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .join(",")
    };
    assert_eq!(lines[1], format!("永城市,{}", displays("永城市")));
    assert_eq!(lines[11], format!("商丘市,{}", displays("商丘市")));
    let o = run(gonggu().current_dir(dir).args([
        "history",
        "--indicator",
        "总贷款余额户贷率",
        "--out",
        "户贷率.xlsx",
    ]));
    assert!(o.status.success(), "{}", stderr(&o));
    let table = sheet_rows(&dir.join("户贷率.xlsx"), "逐月");
    assert_eq!(table[0], ["地区", "2021年9月", "2021年10月", "2021年11月"]);
    assert_eq!(table.last().unwrap()[0], "商丘市");

    // A re-run of October replaces it: the same number of rows in every table.
    let rows = counts(dir);
    assert_eq!(rows[0], 3);
    let o = run_month(dir, Some("2021-10"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(counts(dir), rows);

    // Broken again between steps: the folder and the database byte for byte as before.
    let before = snapshot(dir);
    for broken in ["后评估", "写出文件"] {
        let o = run(gonggu()
            .current_dir(dir)
            .env("GONGGU_TEST_FAIL_STEP", broken)
            .args(["run", "2021-10"]));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(snapshot(dir) == before, "{broken} changed files");
    }
}

#[test]
fn a_month_without_inputs_or_config_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |month: Option<&str>, says: &str| {
        let o = run_month(dir.path(), month);
        assert_eq!(o.status.code(), Some(2), "{month:?}");
        assert!(stderr(&o).contains(says), "{month:?}: {}", stderr(&o));
    };
    refused(None, "请先运行 gonggu init");
    assert!(
        run(gonggu().current_dir(dir.path()).arg("init"))
            .status
            .success()
    );
    refused(None, "没有找到任何月份的输入文件");
    refused(Some("2021-11"), "2021-11 没有输入文件");
    refused(Some("2021-13"), "不是月份");
    assert!(!dir.path().join("gonggu.db").exists());
}

/// 较年初 beside 较上期: with December of the previous year recorded, the notice's ranking
/// table gets a 较年初 column whose total equals this month's total less December's.
#[test]
fn the_notice_compares_with_the_start_of_the_year_from_the_history() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = run(gonggu()
        .args(["demo", "--months", "12", "--households", "400", "--out"])
        .arg(dir));
    assert!(o.status.success(), "{}", stderr(&o));
    // December 2020 recorded, then November 2021 (October from its folder, not recorded).
    for month in ["2020-12", "2021-11"] {
        let o = run_month(dir, Some(month));
        assert!(o.status.success(), "{month}: {}", stderr(&o));
    }
    let figures = |m: &str| json(&dir.join("输出").join(m).join(format!("商丘市{m}指标.json")));
    let (dec, nov) = (figures("2020年12月"), figures("2021年11月"));
    let id = "loan_household_rate";
    let value = |v: &serde_json::Value| v["total"]["values"][id]["value"].as_f64().unwrap();
    let points = (value(&nov) - value(&dec)) * 100.0;
    let want = if points >= 0.005 {
        format!("+{points:.2}")
    } else {
        format!("{points:.2}")
    };
    let notice = dir
        .join("输出/2021年11月")
        .join("商丘市2021年11月主要指标通报.pdf");
    let text = pdf_text(&notice).expect("pdftotext");
    assert!(text.contains("较年初"), "{text}");
    assert!(
        text.contains("与2020年12月"),
        "the footnote names the month: {text}"
    );
    let total = nov["total"]["values"][id]["display"]
        .as_str()
        .unwrap()
        .to_string();
    // The total row: its value, 较上期, then 较年初.
    let layout = run(Command::new("pdftotext")
        .arg("-layout")
        .arg(&notice)
        .arg("-"));
    let layout = String::from_utf8_lossy(&layout.stdout);
    let line = layout
        .lines()
        .find(|l| l.trim_start().starts_with("商丘市") && l.contains(&total))
        .unwrap_or_else(|| panic!("no total row with {total}: {layout}"));
    assert!(line.contains(&want), "较年初 {want} not in: {line}");
    // The XLSX ranking table has the column too.
    let book = xlsx_text(
        &dir.join("输出/2021年11月")
            .join("商丘市2021年11月主要指标通报表.xlsx"),
    );
    assert!(book.contains("较年初"), "{book}");
}
