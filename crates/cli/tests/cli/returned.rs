//! The check list as a loop with the towns (issue 20): this month's list goes out, the towns
//! fill in 核实情况 and 说明 and send it back, and next month's check reads their answers:
//! resolved, still present (answers carried over), new, and 属实已整改 answers the data
//! contradicts.

use super::*;

use calamine::{Reader, open_workbook_auto};

const HEAD: &str = "县,乡,村,户编号,证件号码,姓名,户类型,与户主关系,人数,户联系电话,是否参加城乡居民基本医疗保险\n";
const CONFIG: &str = "[check]\nkey = \"本局测试密钥\"\n";

/// A roster of one-person households: (town, household, 人数, 医保). 人数 other than 1 is
/// HH02; 医保 否 is IN01.
fn roster(dir: &Path, name: &str, rows: &[(&str, &str, u32, &str)]) -> PathBuf {
    let mut text = String::from(HEAD);
    for (i, (town, hh, count, insured)) in rows.iter().enumerate() {
        let seq = hh.trim_start_matches('H').parse::<u32>().unwrap();
        text.push_str(&format!(
            "夏邑县,{town},一村,{hh},{},户主{i},脱贫户,户主,{count},1381234567{seq},{insured}\n",
            id("19700101", seq)
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Month 1: 城关镇 H1 (HH02), H2 (IN01); 会亭镇 H3 (IN01), H4 (HH02).
const MONTH1: [(&str, &str, u32, &str); 4] = [
    ("城关镇", "H1", 2, "是"),
    ("城关镇", "H2", 1, "否"),
    ("会亭镇", "H3", 1, "否"),
    ("会亭镇", "H4", 3, "是"),
];
/// Month 2: H1 fixed (人数 1); H2 still 否 although answered 已整改; H3 (不属实) and H4
/// (整改中) unchanged; H5 new in 会亭镇 (IN01).
const MONTH2: [(&str, &str, u32, &str); 5] = [
    ("城关镇", "H1", 1, "是"),
    ("城关镇", "H2", 1, "否"),
    ("会亭镇", "H3", 1, "否"),
    ("会亭镇", "H4", 3, "是"),
    ("会亭镇", "H5", 1, "否"),
];

fn check(dir: &Path, args: &[&str]) -> Output {
    run(gonggu().current_dir(dir).arg("check").args(args))
}

/// The rows of sheet `name` as text.
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("{name}: {e}; sheets {:?}", wb.sheet_names()));
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// What a town does: fills in 核实情况 and 说明 per 户编号 and saves the workbook. `sheets`:
/// the sheets it sends back (its own, or the whole workbook it was sent).
fn fill(list: &Path, sheets: &[&str], answers: &[(&str, &str, &str)], out: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for name in sheets {
        let rows = sheet(list, name);
        let ws = wb.add_worksheet().set_name(*name).unwrap();
        let header = rows.get(1).cloned().unwrap_or_default();
        let at = |h: &str| header.iter().position(|c| c == h);
        for (r, row) in rows.iter().enumerate() {
            let mut row = row.clone();
            if let (Some(hh), Some(answer), Some(note)) = (at("户编号"), at("核实情况"), at("说明"))
                && let Some((_, a, n)) = answers.iter().find(|(h, _, _)| row[hh] == *h)
            {
                row[answer] = a.to_string();
                row[note] = n.to_string();
            }
            for (c, text) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, text).unwrap();
            }
        }
    }
    wb.save(out).unwrap();
}

/// Every sheet of a workbook, by name.
fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names()
}

/// 核查编号 per 户编号 of a town's sheet.
fn numbers(list: &Path, town: &str) -> Vec<(String, String)> {
    let rows = sheet(list, town);
    let header = &rows[1];
    let (n, hh) = (col(header, "核查编号"), col(header, "户编号"));
    rows[2..]
        .iter()
        .map(|r| (r[hh].clone(), r[n].clone()))
        .collect()
}

/// A county with a key in gonggu.toml, May's roster and its check list `5月核查清单.xlsx`.
fn may(d: &Path) -> Output {
    std::fs::write(d.join("gonggu.toml"), CONFIG).unwrap();
    roster(d, "5月.csv", &MONTH1);
    let o = check(
        d,
        &[
            "5月.csv",
            "--as-of",
            "2024-05-31",
            "--out",
            "5月核查清单.xlsx",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    o
}

#[test]
fn a_filled_list_comes_back_and_next_month_tells_resolved_still_and_new() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = may(d);
    assert!(
        stdout(&o).contains("HH02 家庭人口数与成员行数不符（警告）：2 条"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("IN01 未参加基本医疗保险（警告）：2 条"),
        "{}",
        stdout(&o)
    );
    // A key is configured: no note about guessable numbers.
    assert!(!stderr(&o).contains("[check] key"), "{}", stderr(&o));
    let list1 = d.join("5月核查清单.xlsx");
    let may_cg = numbers(&list1, "城关镇");
    assert_eq!(
        may_cg.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>(),
        ["H1", "H2"]
    );

    std::fs::create_dir(d.join("上期核查清单")).unwrap();
    // 城关镇 sends back its own sheet; 会亭镇 the whole workbook, blank but for its sheet
    // (so 城关镇's findings come back twice, once blank, and that copy is read first).
    fill(
        &list1,
        &["城关镇"],
        &[
            ("H1", "属实已整改", "人数已改为1"),
            ("H2", "属实已整改", "已参保"),
        ],
        &d.join("上期核查清单/城关镇.xlsx"),
    );
    let all = sheet_names(&list1);
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    assert_eq!(all, ["汇总", "规则", "城关镇", "会亭镇"]);
    fill(
        &list1,
        &all,
        &[
            ("H3", "不属实", "在外地参加医保"),
            ("H4", "属实整改中", "正在补录成员"),
        ],
        &d.join("上期核查清单/会亭镇.xlsx"),
    );

    roster(d, "6月.csv", &MONTH2);
    let o = check(
        d,
        &[
            "6月.csv",
            "--as-of",
            "2024-06-30",
            "--returned",
            "上期核查清单",
            "--out",
            "6月核查清单.xlsx",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("对照上期核查清单（4 条）：已解决 1 条，仍存在 3 条（带入上期核实情况 3 条），新增 1 条。"),
        "{out}"
    );
    assert!(
        out.contains("其中 1 条上期填报“属实已整改”，本期数据中仍有此问题（城关镇 1 条）"),
        "{out}"
    );
    let list2 = d.join("6月核查清单.xlsx");

    // The same household keeps its number; the answers are carried over.
    let june_cg = numbers(&list2, "城关镇");
    assert_eq!(june_cg, vec![may_cg[1].clone()]);
    let ht = sheet(&list2, "会亭镇");
    let header = &ht[1];
    let (hh, answer, note) = (
        col(header, "户编号"),
        col(header, "核实情况"),
        col(header, "说明"),
    );
    let carried: Vec<(&str, &str, &str)> = ht[2..]
        .iter()
        .map(|r| (r[hh].as_str(), r[answer].as_str(), r[note].as_str()))
        .collect();
    assert_eq!(
        carried,
        [
            ("H3", "不属实", "在外地参加医保"),
            ("H4", "属实整改中", "正在补录成员"),
            ("H5", "", ""),
        ]
    );

    // Per town and rule.
    let track = sheet(&list2, "上期对照");
    let lines: Vec<String> = track[4..]
        .iter()
        .map(|r| r[..2].join("/") + "：" + &r[3..7].join(","))
        .collect();
    assert_eq!(
        lines,
        [
            "城关镇/IN01：0,1,0,1",
            "会亭镇/IN01：0,1,1,0",
            "会亭镇/HH02：0,1,0,0",
            "城关镇/HH02：1,0,0,0",
            "合计/：1,3,1,1",
        ]
    );
    // The answer the data contradicts, for the bureau.
    let fix = sheet(&list2, "整改核对");
    assert_eq!(fix.len(), 5, "{fix:?}");
    assert_eq!(fix[4][0], may_cg[1].1);
    assert_eq!(fix[4][7], "属实已整改");
    assert!(
        fix[4][9].contains("城关镇.xlsx") && fix[4][9].contains("第 4 行"),
        "{:?}",
        fix[4]
    );
    // Inputs untouched, no personal data in the new list.
    let text = xlsx_text(&list2);
    assert!(!text.contains(&id("19700101", 2)), "{text}");
}

#[test]
fn a_returned_list_with_a_bad_answer_names_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    may(d);
    fill(
        &d.join("5月核查清单.xlsx"),
        &["会亭镇"],
        &[("H4", "改好了", "")],
        &d.join("会亭镇.xlsx"),
    );
    let o = check(
        d,
        &[
            "5月.csv",
            "--as-of",
            "2024-05-31",
            "--returned",
            "会亭镇.xlsx",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("会亭镇.xlsx，工作表「会亭镇」，第 4 行，列「核实情况」")
            && err.contains("改好了")
            && err.contains("属实已整改、属实整改中或不属实"),
        "{err}"
    );
    // A file that is no check list.
    let o = check(d, &["5月.csv", "--returned", "5月.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是 CSV 文本"), "{}", stderr(&o));
}

#[test]
fn without_a_key_the_numbers_are_guessable_and_the_user_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    roster(d, "5月.csv", &MONTH1);
    let run_once = |out: &str| {
        let o = check(d, &["5月.csv", "--as-of", "2024-05-31", "--out", out]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        o
    };
    let o = run_once("a.xlsx");
    let err = stderr(&o);
    assert!(
        err.contains("没有设置核查编号的密钥（[check] key）") && err.contains("key = \""),
        "{err}"
    );
    run_once("b.xlsx");
    // Built-in key: still the same numbers run after run.
    assert_eq!(
        numbers(&d.join("a.xlsx"), "会亭镇"),
        numbers(&d.join("b.xlsx"), "会亭镇")
    );

    // `gonggu init` writes a random key: two files, two keys, each read back.
    let key_of = |name: &str| {
        let o = run(gonggu().current_dir(d).args(["init", "--out", name]));
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = std::fs::read_to_string(d.join(name)).unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("key = \""))
            .map(|k| k.trim_end_matches('"').to_string())
            .unwrap_or_else(|| panic!("no key in {text}"))
    };
    let (k1, k2) = (key_of("1.toml"), key_of("2.toml"));
    assert_eq!(k1.len(), 64);
    assert_ne!(k1, k2);
}

#[test]
fn split_by_county_writes_one_workbook_per_county_beside_out() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("gonggu.toml"), CONFIG).unwrap();
    let path = roster(d, "5月.csv", &MONTH1);
    let text =
        std::fs::read_to_string(&path)
            .unwrap()
            .replacen("夏邑县,会亭镇", "虞城县,会亭镇", 2);
    std::fs::write(&path, text).unwrap();
    std::fs::create_dir(d.join("输出")).unwrap();
    let o = check(
        d,
        &[
            "5月.csv",
            "--out",
            "输出/核查清单.xlsx",
            "--split",
            "county",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(d.join("输出"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["核查清单-夏邑县.xlsx", "核查清单-虞城县.xlsx"]);
    let summary = sheet(&d.join("输出/核查清单-虞城县.xlsx"), "汇总");
    assert!(
        summary.iter().any(|r| r[0] == "虞城县" && r[1] == "会亭镇"),
        "{summary:?}"
    );
    assert!(!summary.iter().any(|r| r[1] == "城关镇"), "{summary:?}");
}

#[test]
fn a_key_set_later_still_matches_built_in_numbers_and_a_changed_key_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    roster(d, "5月.csv", &MONTH1);
    let with = |extra: &[&str]| {
        let mut args = vec!["5月.csv", "--as-of", "2024-05-31"];
        args.extend_from_slice(extra);
        let o = check(d, &args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        o
    };
    // Last month without a key; then the bureau adds one: the numbers still match.
    with(&["--out", "a.xlsx"]);
    fill(
        &d.join("a.xlsx"),
        &["会亭镇"],
        &[],
        &d.join("会亭镇-a.xlsx"),
    );
    std::fs::write(d.join("gonggu.toml"), CONFIG).unwrap();
    let o = with(&["--returned", "会亭镇-a.xlsx", "--out", "b.xlsx"]);
    assert!(
        stdout(&o).contains("已解决 0 条，仍存在 2 条（带入上期核实情况 0 条），新增 2 条"),
        "{}",
        stdout(&o)
    );
    assert!(!stderr(&o).contains("另一个密钥"), "{}", stderr(&o));
    // The key is changed: nothing matches, and the user is told why.
    fill(
        &d.join("b.xlsx"),
        &["会亭镇"],
        &[],
        &d.join("会亭镇-b.xlsx"),
    );
    std::fs::write(d.join("gonggu.toml"), "[check]\nkey = \"换了的密钥\"\n").unwrap();
    let o = with(&["--returned", "会亭镇-b.xlsx"]);
    assert!(
        stdout(&o).contains("已解决 2 条，仍存在 0 条"),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("像是用另一个密钥生成的"),
        "{}",
        stderr(&o)
    );
}
