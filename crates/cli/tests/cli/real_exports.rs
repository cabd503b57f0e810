//! Real exports as a county bureau has them (issue 13): a county as the configured region,
//! total and subtotal rows, the national system's vocabularies and column names, two-row
//! headers, dates as clerks type them, the data date in title rows, and reports that refuse
//! to present what the data cannot support. Every file is synthetic.

use super::*;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const XIAYI: &str = "[region]\nname = \"夏邑县\"\n";

/// Runs `compute` in `dir` (where its gonggu.toml is) and returns the JSON and the notes.
fn compute(dir: &Path, args: &[&str]) -> (serde_json::Value, String) {
    let o = run(gonggu().current_dir(dir).arg("compute").args(args));
    assert!(o.status.success(), "{}", stderr(&o));
    (serde_json::from_slice(&o.stdout).unwrap(), stderr(&o))
}

/// Runs `check` in `dir` and returns its exit code, the overview and the notes.
fn check(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = run(gonggu().current_dir(dir).arg("check").args(args));
    (o.status.code(), stdout(&o), stderr(&o))
}

fn regions(v: &serde_json::Value) -> Vec<String> {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["region"].as_str().unwrap().to_string())
        .collect()
}

/// The displayed value of an indicator in a row (`None` for the total row's name).
fn shown(v: &serde_json::Value, region: &str, indicator: &str) -> String {
    let row = json_row(v, region);
    row["values"][indicator]["display"]
        .as_str()
        .unwrap_or_else(|| panic!("no {indicator} in {region}: {v}"))
        .to_string()
}

/// Writes an .xlsx sheet: merged ranges `(first_row, first_col, last_row, last_col, text)`
/// and cells `(row, col, text)`; numbers are written as numbers, except those with a leading
/// zero or more digits than Excel keeps (证件号码 stay text, as the system exports them).
fn xlsx(path: &Path, merged: &[(u32, u16, u32, u16, &str)], cells: &[(u32, u16, &str)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let f = rust_xlsxwriter::Format::new();
    for (r0, c0, r1, c1, t) in merged {
        ws.merge_range(*r0, *c0, *r1, *c1, t, &f).unwrap();
    }
    for (r, c, t) in cells {
        match t.parse::<f64>() {
            Ok(n) if (!t.starts_with('0') || *t == "0") && t.len() <= 15 => {
                ws.write_number(*r, *c, n).unwrap()
            }
            _ => ws.write_string(*r, *c, *t).unwrap(),
        };
    }
    wb.save(path).unwrap();
}

/// Cells of a table, row by row from `first_row`, as `xlsx` takes them.
fn table(first_row: u32, rows: &[&[&str]]) -> Vec<(u32, u16, String)> {
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, t) in row.iter().enumerate() {
            if !t.is_empty() {
                out.push((first_row + r as u32, c as u16, t.to_string()));
            }
        }
    }
    out
}

fn as_refs(cells: &[(u32, u16, String)]) -> Vec<(u32, u16, &str)> {
    cells.iter().map(|(r, c, t)| (*r, *c, t.as_str())).collect()
}

mod scope {
    use super::*;

    /// `name = "夏邑县"` on the county's own roster: its 县 cells are data, not totals (the
    /// old reader took all 9206 rows for totals and reported a clean county).
    #[test]
    fn a_county_config_on_a_county_roster_counts_the_county() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "gonggu.toml", XIAYI);
        write(
            dir.path(),
            "监测对象信息.csv",
            &format!(
                "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别\n\
                 夏邑县,城关镇,东关村,X1,{},脱贫户,户主,\n\
                 夏邑县,城关镇,东关村,X1,{},脱贫户,配偶,\n\
                 夏邑县,会亭镇,北村,X2,{},普通农户,之子,边缘易致贫户\n\
                 夏邑县,,,合计,,,,\n",
                id("19700101", 1),
                id("19720101", 2),
                id("19900101", 3),
            ),
        );
        // The county's own 目标 names its towns only.
        write(
            dir.path(),
            "目标.csv",
            "乡镇,务工就业目标人数\n城关镇,4\n会亭镇,6\n夏邑县,10\n",
        );
        let (v, err) = compute(
            dir.path(),
            &[
                "监测对象信息.csv",
                "目标.csv",
                "--level",
                "town",
                "--as-of",
                "2021-11-30",
                "--indicators",
                "covered_households,tuopin_persons,monitored_households,employment_target_persons",
            ],
        );
        assert_eq!(v["parent"], "夏邑县");
        assert_eq!(regions(&v), ["城关镇", "会亭镇"]);
        assert_eq!(shown(&v, "会亭镇", "employment_target_persons"), "6");
        assert_eq!(shown(&v, "夏邑县", "employment_target_persons"), "10");
        assert_eq!(shown(&v, "夏邑县", "covered_households"), "2");
        assert_eq!(shown(&v, "夏邑县", "tuopin_persons"), "2");
        assert_eq!(shown(&v, "会亭镇", "monitored_households"), "1");
        assert!(err.contains("跳过合计行 2 行"), "{err}");
        assert!(!err.contains("只统计"), "nothing left out: {err}");

        // check sees the county's records: X2 has no 户主.
        let (code, out, _) = check(dir.path(), &["监测对象信息.csv", "--as-of", "2021-11-30"]);
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("HH01 户主人数不为1（错误）：1 条"), "{out}");
    }

    /// `name = "夏邑县"` on a city-wide export: only 夏邑县's rows count, in the roster, the
    /// loan and project ledgers, the 目标 and the 汇总, and a note says how many were left.
    #[test]
    fn a_county_config_on_a_city_wide_export_counts_only_that_county() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "gonggu.toml", XIAYI);
        write(
            d,
            "监测对象信息.csv",
            &format!(
                "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别,劳动技能,务工所在地\n\
                 夏邑县,城关镇,东关村,X1,{},脱贫户,户主,,普通劳动力,江苏省苏州市昆山市\n\
                 夏邑县,城关镇,东关村,X1,{},脱贫户,配偶,,普通劳动力,\n\
                 夏邑县,会亭镇,北村,X2,{},普通农户,户主,边缘易致贫户,普通劳动力,夏邑县会亭镇\n\
                 虞城县,城关镇,西关村,Y1,{},脱贫户,户主,,普通劳动力,上海市\n\
                 虞城县,利民镇,南村,Y2,{},脱贫户,户主,,普通劳动力,\n",
                id("19700101", 1),
                id("19720101", 2),
                id("19800101", 3),
                id("19700101", 4),
                id("19700101", 5),
            ),
        );
        write(
            d,
            "小额信贷.csv",
            "户编号,县(市、区、旗),乡(镇),贷款余额（元）\nX1,夏邑县,城关镇,30000\nY1,虞城县,城关镇,20000\nY2,虞城县,利民镇,20000\n合计,,,70000\n",
        );
        write(
            d,
            "衔接资金项目.csv",
            "项目编号,县(市、区、旗),乡(镇),是否纳入年度实施计划,衔接资金（万元）,项目状态,项目年度\n\
             XP1,夏邑县,城关镇,是,100,已开工,2021\n\
             XP2,夏邑县,会亭镇,是,50,未开工,2021\n\
             YP1,虞城县,利民镇,是,80,已开工,2021\n\
             小计,,,,230,,\n",
        );
        write(
            d,
            "目标.csv",
            "县,乡镇,务工就业目标人数\n夏邑县,城关镇,1\n夏邑县,会亭镇,2\n虞城县,城关镇,5\n虞城县,利民镇,5\n",
        );
        // The roster has no 是否持证: the 汇总 supplies 持证人数.
        write(
            d,
            "乡镇汇总.csv",
            "县,乡镇,持证人数\n夏邑县,城关镇,1\n夏邑县,会亭镇,1\n虞城县,城关镇,9\n夏邑县,,2\n",
        );
        let inputs = [
            "监测对象信息.csv",
            "小额信贷.csv",
            "衔接资金项目.csv",
            "目标.csv",
            "乡镇汇总.csv",
        ];
        let mut args = inputs.to_vec();
        args.extend([
            "--level",
            "town",
            "--as-of",
            "2021-11-30",
            "--indicators",
            "covered_households,loan_household_rate,project_start_rate,employment_target_completion,certificate_rate",
        ]);
        let (v, err) = compute(d, &args);
        assert_eq!(v["parent"], "夏邑县");
        assert_eq!(regions(&v), ["城关镇", "会亭镇"], "no town of 虞城县");
        let total = |i: &str| shown(&v, "夏邑县", i);
        assert_eq!(total("covered_households"), "2");
        assert_eq!(total("loan_household_rate"), "50.00%"); // X1 of X1, X2
        assert_eq!(total("project_start_rate"), "50.00%"); // XP1 of XP1, XP2
        assert_eq!(total("employment_target_completion"), "33.33%"); // 1 of 1 + 2
        assert_eq!(
            shown(&v, "城关镇", "employment_target_completion"),
            "100.00%"
        );
        assert_eq!(total("certificate_rate"), "66.7%"); // 2 of 3 workers
        assert_eq!(shown(&v, "城关镇", "certificate_rate"), "50.0%");
        assert!(
            err.contains(
                "只统计夏邑县的数据：其他县(市、区)的行未计入（人员表 2 行，小额信贷表 2 行，项目表 1 行，目标表 2 行，汇总表 1 行）"
            ),
            "{err}"
        );
        assert!(
            !err.contains("汇总表合计行"),
            "the 夏邑县 row checks out: {err}"
        );

        // check lists 夏邑县's records only: Y2 has no loan problem, X2 no 户主 problem.
        let (_, out, err) = check(d, &["监测对象信息.csv", "--as-of", "2021-11-30"]);
        assert!(err.contains("只统计夏邑县"), "{err}");
        assert!(out.contains("未发现问题"), "{out}");
    }
}

mod totals {
    use super::*;

    /// A 小计 or 合计 in 项目编号 or 户编号 is a total row, never a project or a loan (the
    /// old reader counted the 小计 row as a project: 开工率 100% → 98.75%).
    #[test]
    fn ledger_subtotal_rows_are_not_records() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut ledger = String::from(
            "序号,项目编号,项目名称,县(市、区、旗),乡(镇),是否纳入年度实施计划,衔接资金（万元）,项目状态\n",
        );
        for i in 1..=4 {
            ledger.push_str(&format!("{i},P{i},道路{i},全椒县,城关镇,是,10,已开工\n"));
        }
        ledger.push_str(",小计,,全椒县,城关镇,,40,\n,合计,,,,,40,\n,,,全县,,,40,\n");
        write(d, "衔接资金项目.csv", &ledger);
        write(
            d,
            "小额信贷.csv",
            "户编号,县(市、区、旗),贷款余额（元）\nH1,全椒县,5000\n合计,全椒县,5000\n",
        );
        let (v, err) = compute(
            d,
            &[
                "衔接资金项目.csv",
                "小额信贷.csv",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
                "--indicators",
                "project_start_rate,planned_projects,loan_balance_amount",
            ],
        );
        // 全椒县 is a county, not a whole-area word.
        assert_eq!(regions(&v), ["全椒县"]);
        assert_eq!(shown(&v, "全椒县", "project_start_rate"), "100.00%");
        assert_eq!(shown(&v, "全椒县", "planned_projects"), "4");
        assert_eq!(shown(&v, "全椒县", "loan_balance_amount"), "0.50");
        assert!(err.contains("跳过合计行 4 行"), "{err}");
    }

    /// A roster row with a blank 户编号 but a person's data is a finding, not a total.
    #[test]
    fn a_blank_key_with_person_data_is_a_finding() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "人员.csv",
            &format!(
                "县,乡,村,户编号,证件号码,姓名,户类型,与户主关系\n\
                 夏邑县,城关镇,东关村,H1,{},张一,脱贫户,户主\n\
                 夏邑县,城关镇,东关村,,{},张二,脱贫户,配偶\n",
                id("19700101", 1),
                id("19700101", 2)
            ),
        );
        let list = dir.path().join("核查清单.xlsx");
        let (code, out, err) = check(
            dir.path(),
            &[
                "人员.csv",
                "--as-of",
                "2021-11-30",
                "--out",
                list.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("VL01 数值或日期无法识别（警告）：1 条"),
            "{out}"
        );
        assert!(!err.contains("跳过合计行"), "{err}");
        assert!(xlsx_text(&list).contains("VL01"));
    }
}

mod headers {
    use super::*;

    fn town_summary(dir: &Path, merged: &[(u32, u16, u32, u16, &str)], subs: &[&str]) -> PathBuf {
        let path = dir.join("乡镇汇总.xlsx");
        let mut cells = vec![];
        for (c, t) in subs.iter().enumerate() {
            if !t.is_empty() {
                cells.push((2u32, c as u16, t.to_string()));
            }
        }
        cells.extend(table(
            3,
            &[
                &["城关镇", "10", "30", "2", "5"],
                &["会亭镇", "20", "50", "3", "8"],
                &["合计", "30", "80", "5", "13"],
            ],
        ));
        xlsx(&path, merged, &as_refs(&cells));
        path
    }

    /// `脱贫户` and `监测对象` merged over `户数 | 人数` (the old reader found no header).
    #[test]
    fn a_group_over_generic_sub_headers() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "gonggu.toml", XIAYI);
        town_summary(
            dir.path(),
            &[
                (0, 0, 0, 4, "夏邑县乡镇巩固成果指标汇总表"),
                (1, 0, 2, 0, "乡镇"),
                (1, 1, 1, 2, "脱贫户"),
                (1, 3, 1, 4, "监测对象"),
            ],
            &["", "户数", "人数", "户数", "人数"],
        );
        let (v, err) = compute(
            dir.path(),
            &[
                "乡镇汇总.xlsx",
                "--level",
                "town",
                "--as-of",
                "2021-11-30",
                "--indicators",
                "tuopin_households,tuopin_persons,monitored_households,monitored_persons",
            ],
        );
        assert_eq!(regions(&v), ["城关镇", "会亭镇"]);
        let row = |r: &str| -> Vec<String> {
            [
                "tuopin_households",
                "tuopin_persons",
                "monitored_households",
                "monitored_persons",
            ]
            .iter()
            .map(|i| shown(&v, r, i))
            .collect()
        };
        assert_eq!(row("会亭镇"), ["20", "50", "3", "8"]);
        assert_eq!(row("夏邑县"), ["30", "80", "5", "13"]);
        assert!(!err.contains("汇总表合计行"), "the 合计 row agrees: {err}");
    }

    /// Merged groups over gonggu's own measure names.
    #[test]
    fn groups_over_measure_names() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "gonggu.toml", XIAYI);
        let path = dir.path().join("乡镇汇总.xlsx");
        let mut cells = table(
            1,
            &[&[
                "",
                "贷款余额户数",
                "脱贫户和监测户数",
                "已开工项目数",
                "纳入年度实施计划项目数",
            ]],
        );
        cells.extend(table(
            2,
            &[
                &["城关镇", "10", "40", "2", "5"],
                &["会亭镇", "20", "50", "3", "3"],
            ],
        ));
        xlsx(
            &path,
            &[
                (0, 0, 1, 0, "乡镇"),
                (0, 1, 0, 2, "小额信贷"),
                (0, 3, 0, 4, "衔接资金项目"),
            ],
            &as_refs(&cells),
        );
        let (v, _) = compute(
            dir.path(),
            &[
                "乡镇汇总.xlsx",
                "--level",
                "town",
                "--as-of",
                "2021-11-30",
                "--indicators",
                "loan_household_rate,project_start_rate",
            ],
        );
        assert_eq!(shown(&v, "城关镇", "loan_household_rate"), "25.00%");
        assert_eq!(shown(&v, "会亭镇", "project_start_rate"), "100.00%");
        assert_eq!(shown(&v, "夏邑县", "loan_household_rate"), "33.33%");
        assert_eq!(shown(&v, "夏邑县", "project_start_rate"), "62.50%");
    }
}

mod vocabularies {
    use super::*;

    /// 普通农户, the aliases of real exports and dates as clerks type them.
    #[test]
    fn vocabularies_aliases_and_dates_of_real_exports() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "脱贫人口.csv",
            &format!(
                "县,乡,村,户编号,人口编号,证件号码,户类型,与户主关系,易返贫致贫户(监测对象)类型,风险识别时间,致贫原因1,危房户,公益性岗位类型,是否享受低保,人联系电话,产业帮扶\n\
                 夏邑县,城关镇,东关村,H1,1,{},普通农户,户主,边缘易致贫户,2021年3月5号,因病,否,,否,13812345678,是\n\
                 夏邑县,城关镇,东关村,H2,1,{},普通农户,户主,突发严重困难户,2021.3.5,因病,否,村级,否,13812345679,是\n\
                 夏邑县,城关镇,东关村,H3,1,{},脱贫户,户主,脱贫不稳定户,21.3.5,因残,否,,否,13812345670,是\n",
                id("19700101", 1),
                id("19700101", 2),
                id("19700101", 3)
            ),
        );
        let (v, err) = compute(
            dir.path(),
            &[
                "脱贫人口.csv",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
                "--indicators",
                "new_monitored_households,welfare_post_persons,tuopin_households",
            ],
        );
        assert_eq!(shown(&v, "夏邑县", "new_monitored_households"), "3");
        assert_eq!(shown(&v, "夏邑县", "welfare_post_persons"), "1");
        assert_eq!(shown(&v, "夏邑县", "tuopin_households"), "1");
        assert!(!err.contains("无法识别"), "{err}");

        let (_, out, _) = check(dir.path(), &["脱贫人口.csv", "--as-of", "2021-11-30"]);
        for quiet in ["HH03", "VL01", "MN07"] {
            assert!(!out.contains(quiet), "{quiet}: {out}");
        }
    }

    /// Without a 出生日期 column the age rules run on the birth date in the 证件号码.
    #[test]
    fn age_rules_run_on_the_birth_date_in_the_id_number() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "人员.csv",
            &format!(
                "县,乡,村,户编号,证件号码,户类型,与户主关系,劳动技能\n\
                 夏邑县,城关镇,东关村,H1,{},脱贫户,户主,普通劳动力\n\
                 夏邑县,城关镇,东关村,H1,{},脱贫户,之子,普通劳动力\n",
                id("19800101", 1),
                id("20120101", 2)
            ),
        );
        let (code, out, err) = check(dir.path(), &["人员.csv", "--as-of", "2021-11-30"]);
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("LB01") && out.contains("：1 条"), "{out}");
        assert!(!out.contains("缺少「出生日期」列"), "{out}");
        assert!(err.contains("已按18位证件号码推算"), "{err}");
    }

    /// A member row with a blank 乡 and 村 takes its household's region: no false
    /// "no 户主" or "人数 ≠ rows".
    #[test]
    fn member_rows_with_blank_regions_stay_in_their_household() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "人员.csv",
            &format!(
                "县,乡,村,户编号,证件号码,户类型,与户主关系,人数\n\
                 夏邑县,,,H1,{},脱贫户,配偶,2\n\
                 夏邑县,城关镇,东关村,H1,{},脱贫户,户主,2\n",
                id("19800101", 1),
                id("19800101", 2)
            ),
        );
        let (code, out, err) = check(dir.path(), &["人员.csv", "--as-of", "2021-11-30"]);
        assert_eq!(code, Some(0), "{out}");
        assert!(err.contains("1 行的县、乡或村为空"), "{err}");
        let (v, _) = compute(
            dir.path(),
            &[
                "人员.csv",
                "--level",
                "town",
                "--as-of",
                "2021-11-30",
                "--indicators",
                "tuopin_persons",
            ],
        );
        assert_eq!(shown(&v, "城关镇", "tuopin_persons"), "2");
    }

    /// MN10: 识别监测时间 after the as-of date.
    #[test]
    fn identification_after_the_as_of_date_is_a_finding() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "人员.csv",
            &format!(
                "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别,识别监测时间\n\
                 夏邑县,城关镇,东关村,H1,{},脱贫户,户主,边缘易致贫户,202112\n\
                 夏邑县,城关镇,东关村,H2,{},脱贫户,户主,边缘易致贫户,202111\n",
                id("19800101", 1),
                id("19800101", 2)
            ),
        );
        let (code, out, _) = check(dir.path(), &["人员.csv", "--as-of", "2021-11-30"]);
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("MN10 识别时间晚于统计截止日期（错误）：1 条"),
            "{out}"
        );
    }
}

mod as_of {
    use super::*;

    /// A roster as the national system exports it: title rows, then the header on row 3.
    fn export(path: &Path, date_line: &str, rows: &[&[&str]]) {
        let head: &[&str] = &[
            "县",
            "乡",
            "村",
            "户编号",
            "证件号码",
            "户类型",
            "与户主关系",
            "监测对象类别",
            "识别监测时间",
            "劳动技能",
        ];
        let mut all = vec![head];
        all.extend_from_slice(rows);
        let cells = table(2, &all);
        xlsx(
            path,
            &[
                (0, 0, 0, 9, "全国防返贫监测信息系统 监测对象信息"),
                (1, 0, 1, 9, date_line),
            ],
            &as_refs(&cells),
        );
    }

    /// Without --as-of or a configured date, the date in the title rows (数据截至 before
    /// 导出时间) is the as-of date, for compute and for check; last month's inputs use
    /// their own; inputs that disagree get a note.
    #[test]
    fn the_as_of_date_comes_from_the_title_rows() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (head_id, child_id) = (id("19800101", 1), id("20051215", 2));
        let now: &[&[&str]] = &[
            &[
                "夏邑县",
                "城关镇",
                "东关村",
                "H1",
                &head_id,
                "脱贫户",
                "户主",
                "边缘易致贫户",
                "2021年3月5号",
                "普通劳动力",
            ],
            // 15 on 2021-11-30, an adult today: LB01 only with the title's date.
            &[
                "夏邑县",
                "城关镇",
                "东关村",
                "H1",
                &child_id,
                "脱贫户",
                "之子",
                "边缘易致贫户",
                "2021年3月5号",
                "普通劳动力",
            ],
        ];
        export(
            &d.join("监测对象信息.xlsx"),
            "导出时间：2021-12-03 09:30:00    数据截至：2021年11月30日",
            now,
        );
        std::fs::create_dir(d.join("上月")).unwrap();
        export(
            &d.join("上月/监测对象信息.xlsx"),
            "导出时间：2021-11-02 10:00:00    数据截至：2021年10月31日",
            &now[..1],
        );
        let (v, err) = compute(
            d,
            &[
                "监测对象信息.xlsx",
                "--level",
                "county",
                "--indicators",
                "new_monitored_households,covered_persons",
                "--previous",
                "上月/监测对象信息.xlsx",
            ],
        );
        assert_eq!(v["as_of"], "2021-11-30");
        assert_eq!(shown(&v, "夏邑县", "new_monitored_households"), "1");
        assert_eq!(v["total"]["values"]["covered_persons"]["change"], 1);
        assert!(
            err.contains("未指定统计截止日期（--as-of 或配置文件 as_of），采用监测对象信息.xlsx 工作表「Sheet1」标题中的「数据截至」：2021-11-30"),
            "{err}"
        );
        assert!(
            err.contains("上期数据的统计截止日期采用上月/监测对象信息.xlsx 工作表「Sheet1」标题中的「数据截至」：2021-10-31"),
            "{err}"
        );

        let (code, out, _) = check(d, &["监测对象信息.xlsx"]);
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("LB01"), "{out}");

        // A ledger stating another date: a note; the roster's 数据截至 still wins.
        write(
            d,
            "小额信贷.csv",
            "夏邑县小额信贷台账（截至2021年10月31日）\n户编号,县(市、区、旗),贷款余额（元）\nH1,夏邑县,5000\n",
        );
        let (v, err) = compute(
            d,
            &[
                "监测对象信息.xlsx",
                "小额信贷.csv",
                "--level",
                "county",
                "--indicators",
                "loan_household_rate",
            ],
        );
        assert_eq!(v["as_of"], "2021-11-30");
        assert!(
            err.contains("输入文件标题中的数据日期不一致：小额信贷.csv 标题中的「截至」为 2021-10-31；按 2021-11-30 计算"),
            "{err}"
        );
        // A flag wins, with a note that the data say otherwise.
        let (v, err) = compute(
            d,
            &[
                "监测对象信息.xlsx",
                "--level",
                "county",
                "--as-of",
                "2021-12-31",
                "--indicators",
                "covered_persons",
            ],
        );
        assert_eq!(v["as_of"], "2021-12-31");
        assert!(
            err.contains("与指定的统计截止日期 2021-12-31 不同"),
            "{err}"
        );
    }
}

mod honest {
    use super::*;

    fn fails(dir: &Path, args: &[&str], needles: &[&str]) {
        let o = run(gonggu().current_dir(dir).args(args));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        for n in needles {
            assert!(err.contains(n), "missing 「{n}」 in:\n{err}");
        }
    }

    /// A header-only export is an error, for every command, and nothing is written.
    #[test]
    fn a_header_only_export_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "监测对象信息.csv", "县,乡,村,户编号,证件号码,户类型\n");
        let needles = [
            "没有可统计的数据行",
            "文件 监测对象信息.csv：人员表只有表头",
        ];
        fails(
            d,
            &[
                "compute",
                "监测对象信息.csv",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
            ],
            &needles,
        );
        fails(
            d,
            &["check", "监测对象信息.csv", "--as-of", "2021-11-30"],
            &needles,
        );
        fails(
            d,
            &[
                "notice",
                "监测对象信息.csv",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
                "--out",
                "通报",
            ],
            &needles,
        );
        assert!(!d.join("通报").exists());
    }

    /// A brief from only a 目标 table is an error, not "全市共统计0项主要指标".
    #[test]
    fn a_brief_from_only_targets_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "目标.csv", "县(市、区),务工就业目标人数\n夏邑县,100\n");
        fails(
            d,
            &[
                "brief",
                "目标.csv",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
                "--out",
                "简报.pdf",
            ],
            &["没有可统计的数据行", "文件 目标.csv：目标表只提供目标值"],
        );
        assert!(!d.join("简报.pdf").exists());
        // Data, but no selected indicator it supports: also an error.
        write(
            d,
            "监测对象信息.csv",
            &format!(
                "县,乡,村,户编号,证件号码,户类型\n夏邑县,城关镇,东关村,H1,{},脱贫户\n",
                id("19800101", 1)
            ),
        );
        fails(
            d,
            &[
                "compute",
                "监测对象信息.csv",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
                "--indicators",
                "project_start_rate",
            ],
            &["没有可以报告的指标", "未提供项目表"],
        );
    }

    /// A renamed optional column: its indicators are left out with a note naming the column
    /// and the names gonggu accepts (the old reader showed 风险消除占比 0.0%).
    #[test]
    fn an_unrecognised_optional_column_is_named_not_zero() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(
            d,
            "监测对象信息.csv",
            &format!(
                "县,乡,村,户编号,证件号码,户类型,监测对象类别,风险消除与否,劳动技能,产业帮扶\n\
                 夏邑县,城关镇,东关村,H1,{},脱贫户,边缘易致贫户,是,普通劳动力,是\n\
                 夏邑县,城关镇,东关村,H2,{},脱贫户,边缘易致贫户,否,普通劳动力,是\n",
                id("19800101", 1),
                id("19800101", 2)
            ),
        );
        let (v, err) = compute(
            d,
            &[
                "监测对象信息.csv",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
                "--indicators",
                "elimination_rate,assisted_share,certificate_rate",
            ],
        );
        let ids: Vec<&str> = v["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["assisted_share"]);
        assert!(
            err.contains("人员表中没有可识别的「风险是否消除」列（可用列名：风险是否消除、风险是否已消除），略去指标：风险消除占比"),
            "{err}"
        );
        assert!(
            err.contains("人员表中没有可识别的「是否持证」列（可用列名：是否持证、技能证书），略去指标：持证率"),
            "{err}"
        );
        assert!(!err.contains("未提供人员表"), "{err}");
        // An alias in gonggu.toml makes it count.
        write(
            d,
            "gonggu.toml",
            "[aliases]\n\"风险是否消除\" = [\"风险消除与否\"]\n",
        );
        let (v, _) = compute(
            d,
            &[
                "监测对象信息.csv",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
                "--indicators",
                "elimination_rate",
            ],
        );
        assert_eq!(shown(&v, "夏邑县", "elimination_rate"), "50.0%");
    }
}

/// The system's other exports beside the roster (issue 14): （务工月监测）已外出务工信息 with
/// its title rows and `YYYY年MM月` months, and （自定义）行政村信息.
mod other_exports {
    use super::*;

    fn inputs(dir: &Path) {
        write(dir, "gonggu.toml", XIAYI);
        let (a, b, c) = (id("19700101", 1), id("19720101", 2), id("19900101", 3));
        write(
            dir,
            "监测对象信息.csv",
            &format!(
                "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别,劳动技能,务工所在地\n\
                 夏邑县,城关镇,东关村,X1,{a},脱贫户,户主,,普通劳动力,夏邑县城关镇\n\
                 夏邑县,城关镇,东关村,X1,{b},脱贫户,配偶,,普通劳动力,江苏省苏州市昆山市\n\
                 夏邑县,会亭镇,北村,X2,{c},普通农户,户主,边缘易致贫户,普通劳动力,\n"
            ),
        );
        let header = [
            "县",
            "乡",
            "行政村",
            "户编号",
            "证件号码",
            "户类型",
            "监测对象类别",
            "是否已务工",
            "务工所在县",
            "就业渠道",
            "开始时间",
            "结束时间",
            "务工月收入",
            "务工企业名称",
        ];
        let rows: Vec<Vec<String>> = [
            [&a, "是", "夏邑县", "2021年03月", "", "3000"],
            [&b, "是", "昆山市", "2020年03月", "2021年08月", "5000"],
            [&b, "是", "郑州市金水区", "2021年09月", "", "4500"],
            [&c, "是", "昆山市", "2021年12月", "", "5200"],
        ]
        .iter()
        .map(|[id, working, county, start, end, wage]| {
            let (town, village, hh, kind) = if *id == c {
                ("会亭镇", "北村", "X2", "普通农户")
            } else {
                ("城关镇", "东关村", "X1", "脱贫户")
            };
            [
                "夏邑县",
                town,
                village,
                hh,
                id,
                kind,
                "",
                working,
                county,
                "劳务输出",
                start,
                end,
                wage,
                "某某公司",
            ]
            .map(str::to_string)
            .to_vec()
        })
        .collect();
        let mut all: Vec<Vec<&str>> = vec![header.to_vec()];
        all.extend(rows.iter().map(|r| r.iter().map(String::as_str).collect()));
        let refs: Vec<&[&str]> = all.iter().map(Vec::as_slice).collect();
        let cells = table(2, &refs);
        xlsx(
            &dir.join("已外出务工信息.xlsx"),
            &[
                (0, 0, 0, 13, "（务工月监测）已外出务工信息"),
                (1, 0, 1, 13, "数据截至2021年11月30日"),
            ],
            &as_refs(&cells),
        );
        let villages = table(
            2,
            &[
                &[
                    "县",
                    "乡",
                    "村",
                    "是否出列",
                    "总户数",
                    "村级集体经济收入（万元）",
                ],
                &["夏邑县", "城关镇", "东关村", "是", "420", "6.5"],
                &["夏邑县", "城关镇", "西关村", "否", "380", "3"],
                &["夏邑县", "会亭镇", "北村", "是", "300", "5.2"],
            ],
        );
        xlsx(
            &dir.join("行政村信息.xlsx"),
            &[(0, 0, 0, 5, "（自定义）行政村信息"), (1, 0, 1, 5, "")],
            &as_refs(&villages),
        );
    }

    const FILES: [&str; 3] = ["监测对象信息.csv", "已外出务工信息.xlsx", "行政村信息.xlsx"];

    #[test]
    fn work_spells_and_villages_give_their_indicators() {
        let dir = tempfile::tempdir().unwrap();
        inputs(dir.path());
        let mut args = FILES.to_vec();
        args.extend(["--level", "town", "--as-of", "2021-11-30"]);
        let (v, err) = compute(dir.path(), &args);
        // 城关镇: the current spells pay 3000 and 4500 (the ended 5000 one does not count).
        assert_eq!(shown(&v, "城关镇", "outbound_monthly_income"), "3750");
        // 会亭镇's only spell begins in December: nobody works away this month.
        assert_eq!(
            shown(&v, "城关镇", "collective_income_village_share"),
            "50.0%"
        );
        assert_eq!(
            shown(&v, "会亭镇", "collective_income_village_share"),
            "100.0%"
        );
        assert_eq!(
            shown(&v, "夏邑县", "collective_income_village_share"),
            "66.7%"
        );
        // Employment comes from the spells: 2 working in 城关镇, none in 会亭镇.
        assert_eq!(shown(&v, "城关镇", "employed_persons"), "2");
        assert_eq!(shown(&v, "会亭镇", "employed_persons"), "0");
        assert!(err.contains("务工就业人数按已外出务工信息"), "{err}");
    }

    #[test]
    fn the_roster_is_checked_against_the_spells() {
        let dir = tempfile::tempdir().unwrap();
        inputs(dir.path());
        let mut args = FILES.to_vec();
        args.extend(["--as-of", "2021-11-30"]);
        let (code, out, err) = check(dir.path(), &args);
        assert_eq!(code, Some(1), "{out}{err}");
        // The spouse: 昆山 in the roster, 郑州市金水区 this month.
        assert!(
            out.contains("WK04 务工所在地与已外出务工信息不一致（警告）：1 条"),
            "{out}{err}"
        );
        // Without the spells export the rule says what it needs.
        let (_, out, _) = check(dir.path(), &["监测对象信息.csv", "--as-of", "2021-11-30"]);
        assert!(
            out.contains("WK04") && out.contains("已外出务工信息表"),
            "{out}"
        );
    }
}
