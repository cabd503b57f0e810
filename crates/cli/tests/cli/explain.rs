//! `gonggu explain` (issue 23): the records behind a figure of the demo city add up to the
//! numerator and denominator `gonggu compute` reports for the same unit; the list read back
//! from its workbook, and on the terminal; no personal data in full; a 汇总 has no records.

use super::*;

/// The demo's inputs (records, targets and the 汇总 made from them), relative to the demo
/// folder, as a user lists them.
const INPUTS: [&str; 5] = [
    "输入/监测对象信息.xlsx",
    "输入/衔接资金项目.xlsx",
    "输入/小额信贷.xlsx",
    "输入/目标.xlsx",
    "输入/汇总（由明细生成）.xlsx",
];

/// The cell of one indicator for one region in `gonggu compute --format json`.
fn computed(id: &str, level: &str, region: &str) -> serde_json::Value {
    let o = run(gonggu()
        .current_dir(demo_dir())
        .arg("compute")
        .args(INPUTS)
        .args([
            "--level",
            level,
            "--config",
            "gonggu.toml",
            "--indicators",
            id,
        ]));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    json_row(&v, region)["values"][id].clone()
}

/// Runs `gonggu explain` in the demo folder.
fn explain(args: &[&str]) -> Output {
    run(gonggu()
        .current_dir(demo_dir())
        .arg("explain")
        .args(INPUTS)
        .args(["--config", "gonggu.toml"])
        .args(args))
}

/// The sheet `名单` of a list workbook: the header row and the data rows (up to 合计).
fn list_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range("名单").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let header = rows
        .iter()
        .position(|r| r[0] == "序号")
        .expect("header row");
    let end = rows.iter().position(|r| r[0] == "合计").expect("total row");
    (rows[header].clone(), rows[header + 1..end].to_vec())
}

fn column(head: &[String], name: &str) -> usize {
    head.iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {head:?}"))
}

/// Rows whose column `name` reads 是.
fn yes(head: &[String], rows: &[Vec<String>], name: &str) -> f64 {
    let c = column(head, name);
    rows.iter().filter(|r| r[c] == "是").count() as f64
}

/// The sum of an amount column.
fn sum(head: &[String], rows: &[Vec<String>], name: &str) -> f64 {
    let c = column(head, name);
    rows.iter()
        .map(|r| r[c].parse::<f64>().unwrap_or(0.0))
        .sum()
}

/// For 户贷率, 开工率 (of a town named by its path), 已享受帮扶政策户数占监测户比例,
/// 衔接资金支出进度 (of the city) and 监测户数: the list's rows in the numerator and the
/// denominator (or its amounts) are the figures `compute` prints for the same unit.
#[test]
fn lists_add_up_to_the_computed_figures() {
    let out = tempfile::tempdir().unwrap();
    let cases = [
        ("loan_household_rate", "county", "永城市", "永城市"),
        (
            "project_start_rate",
            "town",
            "虞城县/城关镇",
            "虞城县城关镇",
        ),
        (
            "已享受帮扶政策户数占监测户比例",
            "county",
            "睢阳区",
            "睢阳区",
        ),
        ("fund_spend_progress", "county", "商丘市", "商丘市"),
        ("monitored_households", "county", "夏邑县", "夏邑县"),
    ];
    for (indicator, level, region, label) in cases {
        let path = out.path().join(format!("{}.xlsx", label));
        let o = run(gonggu()
            .current_dir(demo_dir())
            .arg("explain")
            .args(INPUTS)
            .args(["--config", "gonggu.toml", "--indicator", indicator])
            .args(["--region", region, "--level", level, "--out"])
            .arg(&path));
        assert!(o.status.success(), "{indicator}: {}", stderr(&o));
        let (head, rows) = list_rows(&path);
        let id = match indicator {
            "已享受帮扶政策户数占监测户比例" => "assisted_share",
            other => other,
        };
        let cell = computed(id, level, label);
        let numerator = cell["numerator"].as_f64().unwrap();
        let what = format!("{indicator} {region}");
        match id {
            "fund_spend_progress" => {
                let spent = sum(&head, &rows, "已支出衔接资金（万元）");
                let funds = sum(&head, &rows, "衔接资金（万元）");
                assert!(
                    (spent - numerator).abs() < 1e-6,
                    "{what}: {spent} vs {cell}"
                );
                let denominator = cell["denominator"].as_f64().unwrap();
                assert!(
                    (funds - denominator).abs() < 1e-6,
                    "{what}: {funds} vs {cell}"
                );
                assert!(rows.len() > 100, "{what}: the whole city's projects");
            }
            "monitored_households" => {
                assert_eq!(rows.len() as f64, numerator, "{what}");
                assert_eq!(yes(&head, &rows, "计入分子"), numerator, "{what}");
            }
            _ => {
                let denominator = cell["denominator"].as_f64().unwrap();
                assert_eq!(rows.len() as f64, denominator, "{what}");
                assert_eq!(yes(&head, &rows, "计入分母"), denominator, "{what}");
                assert_eq!(yes(&head, &rows, "计入分子"), numerator, "{what}");
                // Every row left out of the numerator says why.
                let reason = column(&head, "未计入原因");
                let n = column(&head, "计入分子");
                for r in &rows {
                    assert_eq!(r[n] == "否", !r[reason].is_empty(), "{what}: {r:?}");
                }
            }
        }
        // Where each record is: the file, its sheet and a data row.
        let (f, s, l) = (
            column(&head, "来源文件"),
            column(&head, "工作表"),
            column(&head, "行号"),
        );
        for r in &rows {
            assert!(
                r[f].ends_with(".xlsx") && !r[f].contains('/'),
                "{what}: {r:?}"
            );
            assert!(!r[s].is_empty(), "{what}: {r:?}");
            assert!(r[l].parse::<u32>().unwrap() >= 2, "{what}: {r:?}");
        }
    }
}

/// Reasons read as the bureau says them, and each row is where it says it is.
#[test]
fn reasons_are_plain_chinese_and_rows_point_at_the_record() {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("户贷率.xlsx");
    let o = explain(&[
        "--indicator",
        "loan_household_rate",
        "--region",
        "夏邑县",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (head, rows) = list_rows(&path);
    let reason = column(&head, "未计入原因");
    let reasons: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r[reason].as_str()).collect();
    assert!(
        reasons
            .iter()
            .all(|r| r.is_empty() || r.starts_with("无贷款余额")),
        "{reasons:?}"
    );
    assert!(
        reasons.contains("无贷款余额（台账中无此户）"),
        "{reasons:?}"
    );
    // The first row's 户编号 is on the row of the roster it names.
    let first = &rows[0];
    let roster = demo_dir().join("输入/监测对象信息.xlsx");
    let text = xlsx_text(&roster);
    let line = text
        .lines()
        .nth(first[column(&head, "行号")].parse::<usize>().unwrap() - 1)
        .unwrap();
    assert!(line.contains(&first[column(&head, "户编号")]), "{line}");
    assert!(line.contains("夏邑县"), "{line}");
}

/// Without `--out`: the figure with its numerator and denominator named and counted, then
/// at most 20 rows as an aligned table.
#[test]
fn terminal_shows_the_figure_and_the_first_rows() {
    let o = explain(&["--indicator", "总贷款余额户贷率", "--region", "永城市"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let cell = computed("loan_household_rate", "county", "永城市");
    let figure = format!(
        "数值：{} ＝ 贷款余额户数 {} 户 ÷ 脱贫户和监测户数 {} 户",
        cell["display"].as_str().unwrap(),
        cell["numerator"],
        cell["denominator"]
    );
    assert!(text.contains(&figure), "{figure}\n{text}");
    assert!(text.contains("地区：永城市") && text.contains("统计截止日期：2021年11月30日"));
    let lines: Vec<&str> = text.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.starts_with("序号"))
        .expect("table");
    let table = &lines[head..];
    assert_eq!(table.len(), 21, "{text}");
    assert!(
        table[1].starts_with("1 ") && table[20].starts_with("20 "),
        "{text}"
    );
    // Aligned: the column 户编号 starts at the same display column on every line.
    use unicode_width::UnicodeWidthStr;
    let at = |l: &str| {
        let i = l.find("户编号").or_else(|| l.find("4114")).unwrap();
        l[..i].width()
    };
    assert!(table.iter().all(|l| at(l) == at(table[0])), "{text}");
}

/// No full 证件号码, name or phone in the list, on screen or in the workbook (the demo's
/// own check); `--reveal-pii` shows them.
#[test]
fn lists_mask_personal_data() {
    let (ids, names, phones) = demo_personal_data();
    let out = tempfile::tempdir().unwrap();
    let mut texts = Vec::new();
    for (indicator, region) in [
        ("loan_household_rate", "商丘市"),
        ("labor_persons", "永城市"),
        ("assisted_share", "商丘市"),
    ] {
        let path = out.path().join(format!("{indicator}.xlsx"));
        let o = explain(&[
            "--indicator",
            indicator,
            "--region",
            region,
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        texts.push(stdout(&o) + &stderr(&o));
        texts.push(xlsx_text(&path));
        let screen = explain(&["--indicator", indicator, "--region", region]);
        texts.push(stdout(&screen) + &stderr(&screen));
    }
    let all = texts.join("\n");
    assert!(all.contains("***********"), "masked IDs are listed");
    for id in &ids {
        assert!(!all.contains(id.as_str()), "full ID number listed");
    }
    for n in &names {
        assert!(!all.contains(n.as_str()), "full name 「{n}」 listed");
    }
    for p in &phones {
        assert!(!all.contains(p.as_str()), "full phone listed");
    }
    let revealed = explain(&[
        "--indicator",
        "labor_persons",
        "--region",
        "永城市",
        "--reveal-pii",
    ]);
    let shown = stdout(&revealed);
    assert!(ids.iter().any(|id| shown.contains(id.as_str())), "{shown}");
}

/// From a 汇总 alone there are no records: the error names the inputs that would give them.
#[test]
fn an_aggregate_input_has_no_records() {
    let o = run(gonggu()
        .current_dir(demo_dir())
        .args([
            "explain",
            "输入/汇总（由明细生成）.xlsx",
            "--config",
            "gonggu.toml",
        ])
        .args(["--indicator", "loan_household_rate", "--region", "永城市"]));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.starts_with("错误：无法列出「总贷款余额户贷率」的名单")
            && e.contains("汇总（由明细生成）.xlsx")
            && e.contains("小额信贷台账")
            && e.contains("人员表"),
        "{e}"
    );
    assert!(!e.contains("panicked"), "{e}");
}

/// An unknown indicator or region, or a name shared by several towns, lists the candidates.
#[test]
fn unknown_names_list_the_candidates() {
    for (args, needles) in [
        (
            ["--indicator", "户贷率", "--region", "永城市"],
            &["总贷款余额户贷率（loan_household_rate）"][..],
        ),
        (
            ["--indicator", "loan_household_rate", "--region", "永城"],
            &["没有地区「永城」", "永城市"][..],
        ),
        (
            ["--indicator", "project_start_rate", "--region", "城关镇"],
            &["夏邑县/城关镇", "虞城县/城关镇"][..],
        ),
    ] {
        let o = explain(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        for n in needles {
            assert!(stderr(&o).contains(n), "{args:?}: {}", stderr(&o));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let o = explain(&[
        "--indicator",
        "loan_household_rate",
        "--region",
        "永城市",
        "--out",
        dir.path().join("名单.csv").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".xlsx"), "{}", stderr(&o));
    assert!(files_under(dir.path()).is_empty());
}
