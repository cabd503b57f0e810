//! End-to-end tests: run the `gonggu` binary as a bureau's staff would and check what they
//! would check. One test binary, one module per topic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gonggu() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gonggu"));
    c.env("CI", "true");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

/// A valid 18-digit 证件号码 (GB 11643 check character) born on `birth` (`20051215`).
fn id(birth: &str, seq: u32) -> String {
    let first17 = format!("411423{birth}{seq:03}");
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(weights)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = char::from(b"10X98765432"[(sum % 11) as usize]);
    format!("{first17}{check}")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("gonggu runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every cell of every sheet, as text.
fn xlsx_text(path: &Path) -> String {
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).unwrap();
    let mut text = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                text.push_str(&c.to_string());
                text.push('\t');
            }
            text.push('\n');
        }
    }
    text
}

/// The XML parts of a `.docx`, unzipped and concatenated (its text is in there), and the
/// cells of the workbooks embedded in it (a chart's data).
fn docx_text(path: &Path) -> String {
    use calamine::Reader;
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        if entry.name().unwrap().ends_with(".xlsx") {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            for name in wb.sheet_names() {
                for row in wb.worksheet_range(&name).unwrap().rows() {
                    for c in row {
                        text.push_str(&c.to_string());
                        text.push('\t');
                    }
                    text.push('\n');
                }
            }
        } else {
            entry.read_to_string(&mut text).unwrap();
        }
    }
    assert!(
        text.contains("<w:body>"),
        "no document in {}",
        path.display()
    );
    text
}

/// The row of a region in `gonggu compute --format json` output: the total when `region`
/// is the parent's name.
fn json_row<'a>(v: &'a serde_json::Value, region: &str) -> &'a serde_json::Value {
    if v["total"]["region"] == region {
        return &v["total"];
    }
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region"] == region)
        .unwrap_or_else(|| panic!("no row {region}: {v}"))
}

/// A PDF's text by `pdftotext` (`None` when it is not installed or fails).
fn pdf_text(path: &Path) -> Option<String> {
    let o = Command::new("pdftotext").arg(path).arg("-").output().ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// Every file below `dir` (none when it does not exist), sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// One small demo run shared by the tests (it renders every report).
fn demo_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let o = run(gonggu()
            .args(["demo", "--households", "600", "--out"])
            .arg(dir.path()));
        assert!(o.status.success(), "demo failed:\n{}", stderr(&o));
        dir
    })
    .path()
}

/// The demo roster's 证件号码, names (not also a place name) and phone numbers: none may
/// appear in full in any output.
fn demo_personal_data() -> (Vec<String>, Vec<String>, Vec<String>) {
    let roster = demo_dir().join("输入/监测对象信息.xlsx");
    let ds = gonggu_core::ingest::read_inputs(
        std::slice::from_ref(&roster),
        &gonggu_core::ingest::ReadOptions::default(),
    )
    .unwrap();
    let region_names: String = ds
        .regions
        .ids()
        .map(|id| ds.regions.name(id).to_string())
        .collect::<Vec<_>>()
        .join("|");
    let ids: Vec<String> = (0..ds.roster.ids.len())
        .filter_map(|i| ds.roster.ids.get(i).map(|i| i.as_str().to_string()))
        .filter(|i| i.len() >= 15)
        .collect();
    let names: Vec<String> = ds
        .roster
        .persons
        .iter()
        .filter_map(|p| p.name.as_deref().map(str::to_string))
        .filter(|n| n.chars().count() >= 2 && !region_names.contains(n.as_str()))
        .collect();
    let phones: Vec<String> = ds
        .roster
        .persons
        .iter()
        .filter_map(|p| p.phone.as_deref().map(str::to_string))
        .filter(|p| p.len() >= 11)
        .collect();
    assert!(ids.len() > 1000 && names.len() > 1000 && phones.len() > 100);
    (ids, names, phones)
}

const SHANGQIU_CONFIG: &str = "[region]\nname = \"商丘市\"\norder = [\"永城市\", \"夏邑县\", \"虞城县\", \"示范区\", \"梁园区\", \"睢阳区\", \"宁陵县\", \"柘城县\", \"睢县\", \"民权县\"]\n";

mod compute {
    use super::*;

    fn shangqiu_json(dir: &Path) -> serde_json::Value {
        let cfg = dir.join("gonggu.toml");
        std::fs::write(&cfg, SHANGQIU_CONFIG).unwrap();
        let o = run(gonggu()
            .arg("compute")
            .arg(fixture("商丘市_汇总.csv"))
            .args(["--level", "county", "--as-of", "2021-11-30", "--config"])
            .arg(&cfg)
            .args([
                "--indicators",
                "loan_household_rate,project_start_rate,assisted_share",
            ]));
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    }

    /// Without `--indicators`, compute reports every indicator and every measure the inputs
    /// support; `all` says the same; a measure the inputs lack is left out without a note,
    /// a defined indicator with a note naming what is missing.
    #[test]
    fn by_default_every_supported_indicator_and_measure() {
        let dir = tempfile::tempdir().unwrap();
        let roster = dir.path().join("人员.csv");
        std::fs::write(
            &roster,
            "县,乡,村,户编号,证件号码,户类型,监测对象类别,劳动技能,务工所在地\n\
             夏邑县,城关镇,东关村,H1,411426199001010011,脱贫户,脱贫不稳定户,普通劳动力,省外务工\n\
             夏邑县,会亭镇,北村,H2,411426198501010033,普通农户,,普通劳动力,\n",
        )
        .unwrap();
        let ids = |args: &[&str]| -> (Vec<String>, String) {
            let o = run(gonggu()
                .arg("compute")
                .arg(&roster)
                .args(["--level", "town", "--as-of", "2021-11-30"])
                .args(args));
            assert!(o.status.success(), "{}", stderr(&o));
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            let ids = v["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string())
                .collect();
            (ids, stderr(&o))
        };
        let (default, notes) = ids(&[]);
        for id in [
            "employment_rate",
            "unstable_households",
            "unstable_persons",
            "employed_out_province",
            "monitored_employed_persons",
        ] {
            assert!(default.iter().any(|i| i == id), "{id}: {default:?}");
        }
        for id in ["planned_projects", "loan_balance_amount", "villages"] {
            assert!(!default.iter().any(|i| i == id), "{id}: {default:?}");
        }
        // The ledgers' indicators are left out with a reason; their measures silently.
        assert!(notes.contains("略去指标：总贷款余额户贷率"), "{notes}");
        assert!(!notes.contains("纳入年度实施计划项目数"), "{notes}");
        assert_eq!(ids(&["--indicators", "all"]).0, default);
        assert_eq!(
            ids(&["--indicators", "unstable_households"]).0,
            ["unstable_households"]
        );
    }

    /// The 商丘 notice of 2021-12-11, recomputed from a 汇总 of numerators and denominators:
    /// the same displayed rates, the same ranks, and a total that is not the mean of rates.
    #[test]
    fn shangqiu_ranks_and_totals_match_the_published_notice() {
        let dir = tempfile::tempdir().unwrap();
        let v = shangqiu_json(dir.path());
        assert_eq!(v["parent"], "商丘市");
        assert_eq!(v["level"], "county");
        let rows = v["rows"].as_array().unwrap();
        let names: Vec<&str> = rows.iter().map(|r| r["region"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "永城市",
                "夏邑县",
                "虞城县",
                "示范区",
                "梁园区",
                "睢阳区",
                "宁陵县",
                "柘城县",
                "睢县",
                "民权县"
            ]
        );
        let col = |id: &str, field: &str| -> Vec<String> {
            rows.iter()
                .map(|r| {
                    r["values"][id][field]
                        .to_string()
                        .trim_matches('"')
                        .to_string()
                })
                .collect()
        };
        assert_eq!(
            col("loan_household_rate", "display"),
            [
                "24.41%", "18.28%", "21.54%", "17.66%", "19.66%", "19.91%", "20.53%", "26.94%",
                "21.91%", "22.86%"
            ]
        );
        assert_eq!(
            col("loan_household_rate", "rank"),
            ["2", "9", "5", "10", "8", "7", "6", "1", "4", "3"]
        );
        assert_eq!(
            col("project_start_rate", "rank"),
            ["1", "1", "10", "1", "1", "1", "1", "1", "1", "1"]
        );
        assert_eq!(col("project_start_rate", "display")[2], "98.81%");
        assert_eq!(
            col("assisted_share", "rank"),
            ["5", "4", "1", "1", "7", "9", "1", "8", "6", "10"]
        );
        let total = &v["total"]["values"];
        assert_eq!(v["total"]["region"], "商丘市");
        // Σ numerators / Σ denominators: 21.64%, not the mean of the ten rates (21.37%).
        assert_eq!(total["loan_household_rate"]["display"], "21.64%");
        assert_eq!(total["loan_household_rate"]["numerator"], 46680);
        assert_eq!(total["loan_household_rate"]["denominator"], 215716);
        assert_eq!(
            total["loan_household_rate"]["rank"],
            serde_json::Value::Null
        );
        assert_eq!(total["project_start_rate"]["display"], "99.74%");
    }

    /// Every field of SPEC §7 is present (null when empty), and nothing else.
    #[test]
    fn json_has_the_spec_shape() {
        let dir = tempfile::tempdir().unwrap();
        let v = shangqiu_json(dir.path());
        let keys = |o: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = o.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(
            keys(&v),
            ["as_of", "indicators", "level", "parent", "rows", "total"]
        );
        assert_eq!(
            keys(&v["indicators"][0]),
            ["decimals", "id", "kind", "name"]
        );
        assert_eq!(keys(&v["rows"][0]), ["region", "values"]);
        assert_eq!(
            keys(&v["rows"][0]["values"]["loan_household_rate"]),
            [
                "change",
                "denominator",
                "display",
                "numerator",
                "previous_rank",
                "rank",
                "rank_move",
                "target",
                "target_met",
                "value",
                "warning"
            ]
        );
        assert_eq!(
            v["rows"][0]["values"]["loan_household_rate"]["value"],
            0.2441
        );
        assert_eq!(v["as_of"], "2021-11-30");
    }

    #[test]
    fn csv_has_bom_and_one_row_per_region() {
        let o = run(gonggu()
            .arg("compute")
            .arg(fixture("商丘市_汇总.csv"))
            .args([
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
                "--format",
                "csv",
            ]));
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(o.stdout.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = stdout(&o);
        assert_eq!(
            text.lines().count(),
            12,
            "header + 10 counties + total:\n{text}"
        );
        assert!(text.contains("民权县"));
    }

    #[test]
    fn previous_period_gives_changes_and_rank_moves() {
        let dir = tempfile::tempdir().unwrap();
        // Last month 夏邑县 had fewer households with loans.
        let prev = dir.path().join("上月汇总.csv");
        let text = std::fs::read_to_string(fixture("商丘市_汇总.csv"))
            .unwrap()
            .replace("夏邑县,3628,", "夏邑县,5628,");
        std::fs::write(&prev, text).unwrap();
        let o = run(gonggu()
            .arg("compute")
            .arg(fixture("商丘市_汇总.csv"))
            .args(["--level", "county", "--as-of", "2021-11-30", "--previous"])
            .arg(&prev)
            .args(["--indicators", "loan_household_rate"]));
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let xiayi = &v["rows"][1]["values"]["loan_household_rate"];
        assert_eq!(xiayi["previous_rank"], 1);
        assert_eq!(xiayi["rank_move"], "↓8");
        // 18.28% now, 28.36% last month: −10.08 个百分点.
        assert_eq!(xiayi["change"], -10.08);
        let yongcheng = &v["rows"][0]["values"]["loan_household_rate"];
        assert_eq!(yongcheng["rank_move"], "↑1");
    }
}

mod notice {
    use super::*;

    /// The 商丘 table recomputed from the 汇总 fixture: the workbook's cells hold the rounded
    /// values that were ranked, with the ranks of the published notice; the PDF carries the
    /// document number, every county and the figures.
    #[test]
    fn shangqiu_notice_workbook_and_pdf() {
        use calamine::{Data, Reader, open_workbook_auto};
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("gonggu.toml");
        std::fs::write(
            &cfg,
            format!(
                "{SHANGQIU_CONFIG}\n[document]\ndocument_number = \"商巩固办〔2021〕45号\"\n\n[reports]\nnotice = [\"loan_household_rate\", \"project_start_rate\", \"assisted_share\"]\n"
            ),
        )
        .unwrap();
        let out = dir.path().join("通报");
        let o = run(gonggu()
            .arg("notice")
            .arg(fixture("商丘市_汇总.csv"))
            .args(["--level", "county", "--as-of", "2021-11-30", "--config"])
            .arg(&cfg)
            .arg("--out")
            .arg(&out));
        assert!(o.status.success(), "{}", stderr(&o));
        let xlsx = out.join("商丘市2021年11月主要指标通报表.xlsx");
        let mut wb = open_workbook_auto(&xlsx).unwrap();
        let range = wb.worksheet_range("通报表").unwrap();
        let title = range.rows().next().unwrap()[0].to_string();
        assert_eq!(title, "商丘市巩固拓展脱贫攻坚成果主要指标通报表");
        let row = |name: &str| -> Vec<Data> {
            range
                .rows()
                .find(|r| r[0] == Data::String(name.into()))
                .unwrap_or_else(|| panic!("row {name}"))
                .to_vec()
        };
        let num = |d: &Data| match d {
            Data::Float(f) => *f,
            Data::Int(i) => *i as f64,
            other => panic!("not a number: {other:?}"),
        };
        let yucheng = row("虞城县");
        let values: Vec<f64> = yucheng[1..7].iter().map(num).collect();
        assert_eq!(values, [0.2154, 5.0, 0.9881, 10.0, 1.0, 1.0]);
        let total = row("商丘市");
        assert_eq!(num(&total[1]), 0.2164);
        assert_eq!(total[2], Data::Empty, "no rank in the total row");
        let pdf = out.join("商丘市2021年11月主要指标通报.pdf");
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
        if let Ok(t) = Command::new("pdftotext").arg(&pdf).arg("-").output()
            && t.status.success()
        {
            let text = String::from_utf8_lossy(&t.stdout);
            for needle in [
                "商巩固办〔2021〕45号",
                "永城市",
                "民权县",
                "21.64%",
                "98.81%",
            ] {
                assert!(text.contains(needle), "{needle} not in the PDF");
            }
        }
    }
}

mod fonts {
    use super::*;

    /// Without any Chinese font a PDF is an error naming the package to install, never tofu,
    /// and nothing is half-written.
    #[test]
    fn no_cjk_font_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("通报");
        let o = run(gonggu()
            .env("GONGGU_SYSTEM_FONTS", "0")
            .arg("notice")
            .arg(fixture("商丘市_汇总.csv"))
            .args(["--level", "county", "--as-of", "2021-11-30", "--out"])
            .arg(&out));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("apt-get install fonts-noto-cjk"), "{err}");
        assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
    }

    #[test]
    fn demo_without_cjk_font_says_which_package_to_install_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let o = run(gonggu()
            .env("GONGGU_SYSTEM_FONTS", "0")
            .args(["demo", "--households", "200", "--out"])
            .arg(dir.path()));
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("apt-get install fonts-noto-cjk"),
            "{}",
            stderr(&o)
        );
        // All or nothing: no inputs, no workbooks, no temporaries.
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }
}

mod errors {
    use super::*;

    fn fails_with(args: &[&str], files: &[(&str, &[u8])], needles: &[&str]) {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let o = run(gonggu().current_dir(dir.path()).args(args));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        for n in needles {
            assert!(err.contains(n), "missing 「{n}」 in:\n{err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }

    #[test]
    fn missing_input_file() {
        fails_with(
            &["compute", "没有这个文件.xlsx", "--level", "county"],
            &[],
            &["错误", "没有这个文件.xlsx"],
        );
    }

    #[test]
    fn corrupt_workbook() {
        fails_with(
            &[
                "compute",
                "坏.xlsx",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
            ],
            &[("坏.xlsx", b"PK\x03\x04 broken")],
            &["坏.xlsx", "已损坏"],
        );
    }

    #[test]
    fn missing_required_column() {
        fails_with(
            &[
                "compute",
                "r.csv",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
            ],
            &[(
                "r.csv",
                "县,乡,村,户编号,证件号码\n睢县,白庙乡,刘庄村,H1,410101199001011234\n".as_bytes(),
            )],
            &["r.csv", "户类型", "证件号码"],
        );
    }

    #[test]
    fn two_headers_for_one_column_name_both() {
        fails_with(
            &["compute", "r.csv", "--level", "county", "--as-of", "2021-11-30"],
            &[(
                "r.csv",
                "县,乡,村,户编号,证件号码,户类型,身份证号\n睢县,白庙乡,刘庄村,H1,410101199001011234,脱贫户,410101199001011234\n".as_bytes(),
            )],
            &["r.csv", "第 1 行", "第 E 列「证件号码」", "第 G 列「身份证号」", "删除或改名"],
        );
        fails_with(
            &[
                "compute",
                "h.csv",
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
            ],
            &[(
                "h.csv",
                "县(市、区),贷款余额户数,脱贫户和监测户数,贷款余额户数\n睢县,10,100,12\n"
                    .as_bytes(),
            )],
            &[
                "h.csv",
                "第 B 列「贷款余额户数」",
                "第 D 列「贷款余额户数」",
            ],
        );
    }

    #[test]
    fn strict_bad_value_names_row_and_column() {
        fails_with(
            &["compute", "r.csv", "--level", "county", "--as-of", "2021-11-30", "--strict"],
            &[("r.csv", "县,乡,村,户编号,证件号码,户类型,人均纯收入（元）\n睢县,白庙乡,刘庄村,H1,410101199001011234,脱贫户,一万\n".as_bytes())],
            &["r.csv", "第 2 行", "人均纯收入（元）", "一万"],
        );
    }

    #[test]
    fn output_may_not_overwrite_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("汇总.csv");
        std::fs::copy(fixture("商丘市_汇总.csv"), &input).unwrap();
        let before = std::fs::read(&input).unwrap();
        let o = run(gonggu()
            .arg("compute")
            .arg(&input)
            .args([
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
                "--format",
                "csv",
                "--out",
            ])
            .arg(&input));
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("是本次读取的文件"), "{}", stderr(&o));
        assert_eq!(std::fs::read(&input).unwrap(), before, "input untouched");
    }

    #[test]
    fn bad_as_of_date() {
        fails_with(
            &[
                "compute",
                "x.csv",
                "--level",
                "county",
                "--as-of",
                "2021-02-30",
            ],
            &[("x.csv", b"a\n")],
            &["--as-of", "2021-02-30"],
        );
    }
}

mod setup {
    use super::*;

    #[test]
    fn init_writes_a_config_that_compute_accepts() {
        let dir = tempfile::tempdir().unwrap();
        let o = run(gonggu().current_dir(dir.path()).arg("init"));
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(dir.path().join("gonggu.toml")).unwrap();
        assert!(text.contains("[region]") && text.contains("document_number"));
        let again = run(gonggu().current_dir(dir.path()).arg("init"));
        assert_eq!(again.status.code(), Some(2), "refuses to overwrite");
        // A user fills in the region's name, as the placeholder asks.
        let filled = text.replace("（请填写本级地区名称）", "商丘市");
        assert_ne!(filled, text);
        std::fs::write(dir.path().join("gonggu.toml"), filled).unwrap();
        let o = run(gonggu()
            .current_dir(dir.path())
            .arg("compute")
            .arg(fixture("商丘市_汇总.csv"))
            .args(["--level", "county", "--indicators", "loan_household_rate"]));
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(
            v["parent"], "商丘市",
            "gonggu.toml in the working directory is read"
        );
        // The placeholder config has no as_of: the fixture's title says 截至2021年11月30日.
        assert_eq!(v["as_of"], "2021-11-30");
        assert!(
            stderr(&o).contains("标题中的「截至」：2021-11-30"),
            "the as-of date from the title row is announced: {}",
            stderr(&o)
        );
    }

    #[test]
    fn indicators_lists_the_catalog() {
        let o = run(gonggu().arg("indicators"));
        assert!(o.status.success());
        let text = stdout(&o);
        for id in [
            "loan_household_rate",
            "fund_spend_progress",
            "per_capita_income",
            "持证率",
        ] {
            assert!(text.contains(id), "{id}");
        }
    }

    #[test]
    fn help_is_chinese() {
        let o = run(gonggu().arg("--help"));
        let text = stdout(&o);
        assert!(text.contains("月通报") && text.contains("核查"), "{text}");
    }
}

mod demo {
    use super::*;

    /// The table rows of a PDF's layout text: lines that open with a region name followed
    /// only by figures (values, ranks, changes, moves, 达标 / 未达标), as `name v1 v2 …`.
    fn figure_rows(layout: &str, regions: &[&str]) -> std::collections::BTreeSet<String> {
        let figure = |t: &str| {
            t == "—"
                || t == "持平"
                || t == "达标"
                || t == "未达标"
                || t.chars()
                    .all(|c| c.is_ascii_digit() || "%.+-↑↓,".contains(c))
        };
        layout
            .lines()
            .filter_map(|line| {
                let tokens: Vec<&str> = line.split_whitespace().collect();
                let (first, rest) = tokens.split_first()?;
                (regions.contains(first) && rest.len() >= 2 && rest.iter().all(|t| figure(t)))
                    .then(|| tokens.join(" "))
            })
            .collect()
    }

    /// `--format` chooses the forms of the notice and of the evaluation: `docx` alone
    /// writes no PDF, `pdf` alone no DOCX; the workbook is always written.
    #[test]
    fn notice_format_chooses_pdf_or_docx() {
        let demo = demo_dir();
        let commands = [
            ("notice", "主要指标通报表", "主要指标通报"),
            ("evaluate", "后评估指标达标情况", "后评估指标达标情况"),
        ];
        for (command, workbook, document) in commands {
            for (format, pdf, docx) in [("docx", false, true), ("pdf", true, false)] {
                let out = tempfile::tempdir().unwrap();
                let o = run(gonggu()
                    .arg(command)
                    .arg(demo.join("输入/监测对象信息.xlsx"))
                    .args(["--level", "county", "--format", format, "--config"])
                    .arg(demo.join("gonggu.toml"))
                    .arg("--out")
                    .arg(out.path()));
                assert!(o.status.success(), "{}", stderr(&o));
                let has =
                    |name: String| out.path().join(format!("商丘市2021年11月{name}")).exists();
                let what = format!("{command} --format {format}");
                assert!(has(format!("{workbook}.xlsx")), "{what}");
                assert_eq!(has(format!("{document}.pdf")), pdf, "{what}");
                assert_eq!(has(format!("{document}.docx")), docx, "{what}");
            }
        }
        // The brief: `--out 简报.pdf` writes `简报.docx` beside it.
        for (format, pdf, docx) in [("pdf,docx", true, true), ("docx", false, true)] {
            let out = tempfile::tempdir().unwrap();
            let o = run(gonggu()
                .arg("brief")
                .arg(demo.join("输入/监测对象信息.xlsx"))
                .args(["--level", "county", "--format", format, "--config"])
                .arg(demo.join("gonggu.toml"))
                .arg("--out")
                .arg(out.path().join("简报.pdf")));
            assert!(o.status.success(), "{}", stderr(&o));
            assert_eq!(out.path().join("简报.pdf").exists(), pdf, "brief {format}");
            assert_eq!(
                out.path().join("简报.docx").exists(),
                docx,
                "brief {format}"
            );
        }
        let o = run(gonggu()
            .arg("notice")
            .arg(demo.join("输入/监测对象信息.xlsx"))
            .args(["--level", "county", "--format", "odt", "--out"])
            .arg(demo.join("不写")));
        assert!(!o.status.success());
    }

    /// The layout text (`pdftotext -layout`) of a PDF; `None` without pdftotext.
    fn layout(path: &Path) -> Option<String> {
        let o = Command::new("pdftotext")
            .arg("-layout")
            .arg(path)
            .arg("-")
            .output()
            .ok()?;
        o.status
            .success()
            .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
    }

    /// The demo's `{name}.docx` converted by LibreOffice (`soffice --headless --convert-to
    /// pdf`) and the `{name}.pdf` gonggu compiles, as layout texts; `None` (with a note) when
    /// soffice or pdftotext is missing.
    fn word_and_typst(name: &str) -> Option<(String, String)> {
        let dir = demo_dir();
        let docx = dir.join(format!("输出/{name}.docx"));
        let pdf = dir.join(format!("输出/{name}.pdf"));
        let soffice = Command::new("soffice").arg("--version").output();
        if !soffice.is_ok_and(|o| o.status.success()) {
            eprintln!("注意：没有 soffice（apt-get install libreoffice-writer-nogui），跳过此测试");
            return None;
        }
        let Some(from_typst) = layout(&pdf) else {
            eprintln!("注意：没有 pdftotext（apt-get install poppler-utils），跳过此测试");
            return None;
        };
        let tmp = tempfile::tempdir().unwrap();
        let converted = libreoffice_pdf(&docx, tmp.path());
        let from_word = layout(&converted).expect("pdftotext of the converted DOCX");
        Some((from_word, from_typst))
    }

    /// `docx` converted to PDF by LibreOffice into `dir` (soffice must be there).
    fn libreoffice_pdf(docx: &Path, dir: &Path) -> PathBuf {
        // Its own profile, so that parallel runs do not share (and lock) one.
        let profile = format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        );
        let o = run(Command::new("soffice")
            .arg(profile)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir)
            .arg(docx));
        assert!(o.status.success(), "soffice: {}", stderr(&o));
        dir.join(docx.with_extension("pdf").file_name().unwrap())
    }

    /// GB/T 9704 §8.3 in the demo notice's PDF: the 版记 is on the last page, which is even
    /// (here the text ends on a page without room for it, so a blank page comes between).
    #[test]
    fn demo_pdf_imprint_on_an_even_last_page() {
        let pdf = demo_dir().join("输出/商丘市2021年11月主要指标通报.pdf");
        let Some(text) = pdf_text(&pdf) else {
            eprintln!("注意：没有 pdftotext，跳过此测试");
            return;
        };
        // One chunk per page (a blank page is an empty one); nothing after the last.
        let mut pages: Vec<&str> = text.split('\u{c}').collect();
        if pages.last().is_some_and(|p| p.trim().is_empty()) {
            pages.pop();
        }
        let at = pages
            .iter()
            .rposition(|p| p.contains("印发"))
            .unwrap_or_else(|| panic!("no 印发: {text}"));
        assert_eq!(at + 1, pages.len(), "the 版记 is not on the last page");
        assert_eq!(pages.len() % 2, 0, "the 版记 is on page {}", pages.len());
        // GB/T 9704 §7.5: a blank page before the 版记 page leaves both unnumbered; else the
        // 版记 page has its number.
        let last = pages[at];
        let numbered = |p: &str| p.contains(&format!("— {} —", pages.len()));
        let blank_before = pages
            .get(at.wrapping_sub(1))
            .is_some_and(|p| p.trim().is_empty());
        assert_eq!(numbered(last), !blank_before, "{last}");
    }

    /// GB/T 9704 §8.3, as LibreOffice lays out the demo notice's DOCX: the 版记 is on the
    /// last page, at its foot (its 印发 line within the text block's last fifth, above the
    /// page number), and that page is even (LibreOffice's PDF leaves out the blank page it
    /// adds before an even-page section, so the page's number is read, not counted).
    #[test]
    fn demo_docx_imprint_at_the_foot_of_an_even_last_page() {
        let docx = demo_dir().join("输出/商丘市2021年11月主要指标通报.docx");
        let tools = [("soffice", "--version"), ("pdftotext", "-v")]
            .iter()
            .all(|(t, v)| Command::new(t).arg(v).output().is_ok());
        if !tools {
            eprintln!("注意：没有 soffice 或 pdftotext，跳过此测试");
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let pdf = libreoffice_pdf(&docx, tmp.path());
        let o = run(Command::new("pdftotext").arg("-bbox").arg(&pdf).arg("-"));
        let html = String::from_utf8_lossy(&o.stdout).into_owned();
        let last = html.rsplit("<page ").next().unwrap();
        let attr = |tag: &str, k: &str| -> f64 {
            let at = tag.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            tag[at..].split('"').next().unwrap().parse().unwrap()
        };
        let height = attr(last, "height");
        // (yMin, yMax, text) of the words of the last page.
        let words: Vec<(f64, f64, &str)> = last
            .split("<word ")
            .skip(1)
            .map(|w| {
                let text = w.split('>').nth(1).unwrap().split('<').next().unwrap();
                (attr(w, "yMin"), attr(w, "yMax"), text)
            })
            .collect();
        let printed = words
            .iter()
            .find(|(_, _, t)| t.ends_with("印发"))
            .unwrap_or_else(|| panic!("no 印发 on the last page: {words:?}"));
        // The text block ends 35 mm above the sheet's foot.
        let block_foot = height - 35.0 / 25.4 * 72.0;
        assert!(
            printed.1 > block_foot - 0.2 * (block_foot - 37.0 / 25.4 * 72.0)
                && printed.1 < block_foot + 2.0,
            "印发 line at {printed:?}, the text block ends at {block_foot}"
        );
        let number: u32 = words
            .iter()
            .filter(|(y, _, _)| *y > block_foot)
            .find_map(|(_, _, t)| t.parse().ok())
            .unwrap_or_else(|| panic!("no page number under the text block: {words:?}"));
        assert_eq!(number % 2, 0, "the 版记 is on page {number}");
    }

    /// The demo's units and their parent (`永城市` … `商丘市`), from its `指标（县级）.json`.
    fn demo_regions() -> Vec<String> {
        let path = demo_dir().join("输出/指标（县级）.json");
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let rows = json["rows"].as_array().unwrap().iter();
        rows.chain([&json["total"]])
            .map(|r| r["region"].as_str().unwrap().to_owned())
            .collect()
    }

    /// The demo's `{name}.docx`, converted by LibreOffice, shows the same table rows (every
    /// region's figures, ranks, 达标 / 未达标) as the PDF gonggu compiles — at least
    /// `min_rows` of them — and the `needles`. Skipped when soffice or pdftotext is missing.
    fn docx_rows_are_the_pdfs(name: &str, min_rows: usize, needles: &[&str]) {
        let Some((from_word, from_typst)) = word_and_typst(name) else {
            return;
        };
        let regions = demo_regions();
        let regions: Vec<&str> = regions.iter().map(String::as_str).collect();
        let (a, b) = (
            figure_rows(&from_typst, &regions),
            figure_rows(&from_word, &regions),
        );
        assert!(
            a.len() >= min_rows,
            "few table rows in the PDF:\n{from_typst}"
        );
        assert_eq!(a, b, "PDF rows (left) and DOCX rows (right) differ");
        let flat: String = from_word.split_whitespace().collect();
        for needle in needles {
            assert!(
                flat.contains(needle),
                "{needle} not in the converted DOCX:\n{from_word}"
            );
        }
    }

    /// The notice: every region's figures and ranks; the header, the 版记 and the 附件.
    #[test]
    fn demo_docx_has_the_figures_and_ranks_of_the_pdf() {
        docx_rows_are_the_pdfs(
            "商丘市2021年11月主要指标通报",
            11,
            &["主要指标情况的通报", "印发", "附件"],
        );
    }

    /// The post-evaluation report: the rows of the 基本情况, regions and details tables
    /// (several per unit); the title, the as-of line, the sources and the quality part.
    #[test]
    fn demo_evaluation_docx_has_the_figures_of_the_pdf() {
        docx_rows_are_the_pdfs(
            "商丘市2021年11月后评估指标达标情况",
            33,
            &[
                "后评估指标达标情况",
                "数据截至2021年11月30日",
                "1.",
                "监测对象信息.xlsx",
                "四、数据质量情况",
            ],
        );
    }

    /// The figures of a layout text (`2090`, `37.2%`, `7.03`), counted, page numbers
    /// (`— 2 —` lines) left out.
    fn figures(text: &str) -> std::collections::BTreeMap<String, usize> {
        let mut out = std::collections::BTreeMap::new();
        for line in text.lines() {
            let t = line.trim();
            if t.starts_with('—') && t.ends_with('—') {
                continue;
            }
            let mut token = String::new();
            let mut chars = t.chars().peekable();
            while let Some(c) = chars.next() {
                let decimal_point =
                    c == '.' && !token.is_empty() && chars.peek().is_some_and(char::is_ascii_digit);
                if c.is_ascii_digit() || decimal_point {
                    token.push(c);
                    continue;
                }
                if !token.is_empty() {
                    if c == '%' {
                        token.push(c);
                    }
                    *out.entry(std::mem::take(&mut token)).or_default() += 1;
                }
            }
            if !token.is_empty() {
                *out.entry(token).or_default() += 1;
            }
        }
        out
    }

    /// The brief: LibreOffice's conversion of the demo's brief DOCX carries every figure of
    /// the brief PDF as often — the headline cards, the tables and the values of the native
    /// charts (which LibreOffice draws from the chart parts) — and its headings.
    #[test]
    fn demo_brief_docx_has_the_figures_of_the_pdf() {
        let Some((from_word, from_typst)) = word_and_typst("商丘市2021年11月领导简报")
        else {
            return;
        };
        let (a, b) = (figures(&from_typst), figures(&from_word));
        assert!(a.len() > 60, "few figures in the PDF:\n{from_typst}");
        assert_eq!(
            a, b,
            "figures of the PDF (left) and of the DOCX (right) differ"
        );
        // The headline cards, before the first heading: the same figures, one or more a card.
        let head = |t: &str| figures(t.split("一、").next().unwrap_or(""));
        let (a, b) = (head(&from_typst), head(&from_word));
        assert!(
            a.values().sum::<usize>() >= 9,
            "no cards in the PDF:\n{from_typst}"
        );
        assert_eq!(
            a, b,
            "headline figures of the PDF (left) and of the DOCX (right) differ"
        );
        let flat: String = from_word.split_whitespace().collect();
        for needle in ["主要指标简报", "排名情况", "需要关注的问题", "风险消除占比"]
        {
            assert!(
                flat.contains(needle),
                "{needle} not in the converted DOCX:\n{from_word}"
            );
        }
    }

    #[test]
    fn demo_writes_inputs_and_every_report() {
        let dir = demo_dir();
        let names: Vec<String> = files_under(dir)
            .iter()
            .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
            .collect();
        for expected in [
            "gonggu.toml",
            "输入/监测对象信息.xlsx",
            "输入/已外出务工信息.xlsx",
            "输入/计划外出务工信息.xlsx",
            "输入/行政村信息.xlsx",
            "输入/衔接资金项目.xlsx",
            "输入/小额信贷.xlsx",
            "输入/目标.xlsx",
            "输入/manifest.json",
            "输入/汇总（由明细生成）.xlsx",
            "上月输入/监测对象信息.xlsx",
            "上月输入/已外出务工信息.xlsx",
            "上月输入/计划外出务工信息.xlsx",
            "上月输入/行政村信息.xlsx",
            "输出/指标（县级）.json",
            "输出/数据质量核查清单.xlsx",
            "输出/商丘市2021年11月主要指标通报表.xlsx",
            "输出/商丘市2021年11月主要指标通报.pdf",
            "输出/商丘市2021年11月主要指标通报.docx",
            "输出/商丘市2021年11月领导简报.pdf",
            "输出/商丘市2021年11月领导简报.docx",
            "输出/商丘市2021年11月后评估指标达标情况.xlsx",
            "输出/商丘市2021年11月后评估指标达标情况.pdf",
            "输出/商丘市2021年11月后评估指标达标情况.docx",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "missing {expected}; have {names:?}"
            );
        }
        // The notice lists the ten counties in official order and the city total.
        let text = xlsx_text(&dir.join("输出/商丘市2021年11月主要指标通报表.xlsx"));
        let pos: Vec<usize> = [
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
            "商丘市",
        ]
        .iter()
        .map(|n| {
            text.find(&format!("\n{n}\t"))
                .unwrap_or_else(|| panic!("{n} not a row"))
        })
        .collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "official order");
        // Last month is the same city before this month's eliminations and spending.
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("输出/指标（县级）.json")).unwrap())
                .unwrap();
        for id in ["elimination_rate", "fund_spend_progress"] {
            let change = v["total"]["values"][id]["change"].as_f64().unwrap();
            assert!(change > 0.0, "{id} rose since last month: {change}");
        }
        if let Some(pdf) = pdf_text(&dir.join("输出/商丘市2021年11月主要指标通报.pdf"))
        {
            assert!(
                pdf.contains("商巩固办〔2021〕45号") && pdf.contains("民权县"),
                "{pdf}"
            );
        }
    }

    /// The demo's work spells (已外出务工信息) place each worker in a county; with the demo's
    /// gonggu.toml (示范区 in [region_codes]) gonggu counts each destination as the generator
    /// meant it, and the other exports give the manifest's counts.
    #[test]
    fn demo_destinations_match_the_manifest() {
        let dir = demo_dir();
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("输入/manifest.json")).unwrap())
                .unwrap();
        let ids = [
            ("employed", "employed_persons"),
            ("in_county", "employed_in_county"),
            ("in_province", "employed_in_province"),
            ("out_province", "employed_out_province"),
            ("unknown", "employed_unknown_destination"),
        ];
        let others = [
            "outbound_workers",
            "outbound_income_persons",
            "outbound_income_sum",
            "planned_outbound_workers",
            "villages",
            "exited_villages",
            "collective_income_sum",
            "villages_over_collective_line",
        ];
        let mut all: Vec<&str> = ids.iter().map(|(_, id)| *id).collect();
        all.extend(others);
        let o = run(gonggu()
            .current_dir(dir)
            .args([
                "compute",
                "输入/监测对象信息.xlsx",
                "输入/已外出务工信息.xlsx",
            ])
            .args(["输入/计划外出务工信息.xlsx", "输入/行政村信息.xlsx"])
            .args([
                "--level",
                "county",
                "--config",
                "gonggu.toml",
                "--indicators",
            ])
            .arg(all.join(",")));
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        for county in manifest["counties"].as_array().unwrap() {
            let name = county["name"].as_str().unwrap();
            let row = v["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["region"] == name)
                .unwrap();
            for (key, id) in ids {
                assert_eq!(
                    row["values"][id]["value"], county["employment"][key],
                    "{name} {id}"
                );
            }
            for id in others {
                let got = row["values"][id]["value"].as_f64().unwrap();
                let want = match &county[id] {
                    serde_json::Value::String(s) => s.parse::<f64>().unwrap(),
                    n => n.as_f64().unwrap(),
                };
                assert_eq!(format!("{got:.2}"), format!("{want:.2}"), "{name} {id}");
            }
        }
        assert!(!stderr(&o).contains("行政区划表中找不到"), "{}", stderr(&o));
    }

    /// The notice, brief and evaluation open with 基本情况: the headline counts, as the
    /// generator meant them, in the paragraph and in the counts tables by county.
    #[test]
    fn documents_open_with_the_headline_counts_of_the_manifest() {
        let dir = demo_dir();
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("输入/manifest.json")).unwrap())
                .unwrap();
        let data: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("输出/typst-通报/data.json")).unwrap())
                .unwrap();
        let atts = data["attachments"].as_array().unwrap();
        assert_eq!(atts.len(), 2, "{atts:?}");
        assert_eq!(
            (&atts[0]["label"], &atts[1]["label"]),
            (&"附件1".into(), &"附件2".into())
        );
        let text = |c: &serde_json::Value| {
            c.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| c["text"].as_str().unwrap().to_string())
        };
        // The column of `sub` under the group `group` (two header rows, groups spanning).
        let column = |table: &serde_json::Value, group: &str, sub: &str| -> usize {
            let (mut at, mut sub_at) = (1usize, 0usize);
            for g in table["header"][0].as_array().unwrap().iter().skip(1) {
                let span = g["colspan"].as_u64().unwrap() as usize;
                if text(g) == group {
                    let subs = &table["header"][1].as_array().unwrap()[sub_at..sub_at + span];
                    let i = subs.iter().position(|s| text(s) == sub).unwrap();
                    return at + i;
                }
                at += span;
                sub_at += span;
            }
            panic!("no {group}/{sub}");
        };
        let blocks = atts[0]["blocks"].as_array().unwrap();
        let (families, work) = (&blocks[0], &blocks[1]);
        for county in manifest["counties"].as_array().unwrap() {
            let name = county["name"].as_str().unwrap();
            let row = |t: &serde_json::Value| -> Vec<String> {
                t["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_array().unwrap().iter().map(text).collect::<Vec<_>>())
                    .find(|r| r[0] == name)
                    .unwrap_or_else(|| panic!("no row {name}"))
            };
            let (f, w) = (row(families), row(work));
            assert_eq!(
                f[column(families, "监测对象", "户数")],
                county["monitored_households"].to_string(),
                "{name}"
            );
            for (group, key) in [
                ("脱贫人口务工就业", "tuopin_employment"),
                ("监测对象务工就业", "monitored_employment"),
            ] {
                for (sub, part) in [
                    ("合计", "employed"),
                    ("县内", "in_county"),
                    ("省内县外", "in_province"),
                    ("省外", "out_province"),
                ] {
                    assert_eq!(
                        w[column(work, group, sub)],
                        county[key][part].to_string(),
                        "{name} {group} {sub}"
                    );
                }
            }
        }
        // The brief stays a brief: two pages at most.
        if let Ok(o) = Command::new("pdfinfo")
            .arg(dir.join("输出/商丘市2021年11月领导简报.pdf"))
            .output()
        {
            let info = String::from_utf8_lossy(&o.stdout).into_owned();
            let pages: u32 = info
                .lines()
                .find_map(|l| l.strip_prefix("Pages:"))
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0);
            assert!((1..=2).contains(&pages), "the brief has {pages} pages");
        }
        // The paragraph: the city's monitored households, in every document.
        let phrase = format!("监测对象{}户", manifest["counts"]["monitored_households"]);
        for pdf in ["主要指标通报.pdf", "领导简报.pdf", "后评估指标达标情况.pdf"]
        {
            if let Some(t) = pdf_text(&dir.join(format!("输出/商丘市2021年11月{pdf}"))) {
                let flat: String = t.split_whitespace().collect();
                assert!(
                    flat.contains("基本情况") && flat.contains(&phrase),
                    "{pdf}: {flat}"
                );
                // Official documents speak to their readers, not to gonggu's user.
                for tool in ["gonggu", "--strict", ".toml"] {
                    assert!(!flat.contains(tool), "{tool} in {pdf}: {flat}");
                }
            }
        }
    }

    /// `gonggu check` on the demo's roster and work spells finds as many findings of each
    /// rule as the manifest plants, WK04 (务工所在地 against the spells) included.
    #[test]
    fn demo_check_with_the_spells_finds_the_planted_work_defects() {
        let dir = demo_dir();
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("输入/manifest.json")).unwrap())
                .unwrap();
        let o = run(gonggu()
            .current_dir(dir)
            .args([
                "check",
                "输入/监测对象信息.xlsx",
                "输入/已外出务工信息.xlsx",
            ])
            .args(["--config", "gonggu.toml"]));
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let text = stdout(&o);
        for code in ["WK01", "WK02", "WK03", "WK04", "ID01", "HH03", "MN01"] {
            let count = manifest["rules"][code]["count"].as_u64().unwrap();
            assert!(count > 0, "{code} planted");
            let line = text
                .lines()
                .find(|l| l.trim_start().starts_with(code))
                .unwrap_or_else(|| panic!("{code} not reported:\n{text}"));
            assert!(line.ends_with(&format!("：{count} 条")), "{line}");
        }
    }

    /// EXPORTS.md §1.1, written out here (not taken from the generator): the columns of the
    /// system's （自定义）监测对象信息 and the letters known.
    const LETTERS: [(&str, &str); 11] = [
        ("E", "户编号"),
        ("M", "监测对象类别"),
        ("AO", "在校生状况"),
        ("AP", "劳动技能"),
        ("AV", "享受低保政策情况"),
        ("BI", "享受特困供养政策情况"),
        ("CH", "整户无劳动能力兜底保障户"),
        ("DE", "风险是否已消除"),
        ("DF", "识别监测时间"),
        ("ET", "健康帮扶"),
        ("EZ", "教育帮扶"),
    ];
    const FI_FU: [&str; 13] = [
        "风险消除后是否义务教育阶段适龄儿童少年失学辍学",
        "风险消除后是否住房损毁",
        "风险消除后是否有家庭成员未参加城乡居民（职工）基本医疗保险",
        "风险消除后是否饮水设施损毁",
        "风险消除后工资性收入",
        "风险消除后财产性收入",
        "风险消除后转移性收入",
        "风险消除后生产经营性收入",
        "风险消除后生产经营性支出",
        "风险消除后家庭纯收入",
        "风险消除后家庭人均纯收入",
        "风险消除后理赔收入",
        "风险消除后合规自付支出",
    ];
    const SECTION_1_1: &str = "证件号码 证件类型 性别 出生日期 与户主关系 民族 文化程度 在校生状况 \
        劳动技能 健康状况 义务教育阶段未上学原因 务工所在地 就业渠道（易地搬迁后扶使用） 公益性岗位 \
        公益性岗位(月数) 家庭成员联系电话 享受低保政策情况 享受特困供养政策情况 \
        是否参加城乡居民基本医疗保险 是否参加城镇职工基本医疗保险 是否参加大病保险 \
        是否参加城乡居民基本养老保险 是否参加城镇职工基本养老保险 是否接受医疗救助 \
        县 乡 村 户编号 户类型 监测对象类别 户联系电话 人均纯收入（元） 工资性收入 生产经营性收入 \
        转移性收入 合规自付支出 特困人员救助供养金 耕地面积（亩） 林地面积（亩） 退耕还林面积（亩） \
        林果面积（亩） 牧草地面积 水面面积 与村主干路距离 入户道路是否硬化 住房面积 是否危房户 \
        是否解决安全饮用水 是否通生活用电 是否有卫生厕所 是否义务教育阶段适龄儿童少年失学辍学 \
        是否有家庭成员未参加城乡居民（职工）基本医疗保险 致贫/返贫风险1 致贫/返贫风险2 \
        致贫/返贫风险3 致贫/返贫风险4 致贫/返贫风险5 风险是否已消除 识别监测时间 消除监测时间 \
        风险消除方式 整户无劳动能力兜底保障户 信息采集人 信息采集人联系电话 产业帮扶 就业帮扶 \
        公益性岗位帮扶其他备注 健康帮扶 教育帮扶 住房安全保障 饮水安全保障 综合保障 义务教育保障 \
        社会帮扶 金融帮扶 搬迁 生产生活条件改善 基础设施建设 实施开发式帮扶措施情况 \
        姓名 务工企业名称 务工时间（月） 财产性收入 是否兜底保障户";

    fn column(letters: &str) -> usize {
        letters
            .bytes()
            .fold(0, |n, b| n * 26 + usize::from(b - b'A' + 1))
            - 1
    }

    /// The roster `gonggu demo` writes has the system's header on row 3: every §1.1 column
    /// once, at its letter where known, FI–FU in order; and its vocabulary columns hold the
    /// words of EXPORTS.md §2 (but the cells planted for HH01, HH03 and MN01).
    #[test]
    fn demo_roster_is_the_systems_custom_export() {
        use calamine::{Reader, open_workbook_auto};
        let dir = demo_dir();
        let mut wb = open_workbook_auto(dir.join("输入/监测对象信息.xlsx")).unwrap();
        let range = wb.worksheet_range("监测对象信息").unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let header = &rows[2];
        for (letter, name) in LETTERS {
            assert_eq!(header[column(letter)], name, "column {letter}");
        }
        for (k, name) in FI_FU.iter().enumerate() {
            assert_eq!(header[column("FI") + k], *name);
        }
        for name in SECTION_1_1.split_whitespace().chain(FI_FU) {
            let n = header.iter().filter(|h| h.as_str() == name).count();
            assert_eq!(n, 1, "{name}");
        }
        let welfare = header
            .iter()
            .filter(|h| *h == "公益岗位帮扶" || *h == "公益性岗位帮扶")
            .count();
        assert_eq!(welfare, 1);
        let after_fu: Vec<&str> = header[column("FU") + 1..]
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(after_fu, ["人数", "是否持证", "务工月收入"]);

        // EXPORTS.md §2.
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("输入/manifest.json")).unwrap())
                .unwrap();
        let planted = |rule: &str| -> Vec<String> {
            manifest["rules"][rule]["defects"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["household_id"].as_str().unwrap().to_string())
                .collect()
        };
        let risks = "因病 因残 因学 因安全住房 因安全饮水 缺劳动力 因务工就业不稳 因自然灾害";
        let lists: [(&str, &str, bool, &str); 10] = [
            ("户类型", "脱贫户 普通农户", false, "HH03"),
            (
                "监测对象类别",
                "脱贫不稳定户 边缘易致贫户 突发严重困难户",
                true,
                "MN01",
            ),
            (
                "与户主关系",
                "户主 配偶 之子 之女 之儿媳 之女婿 之孙子 之孙女 之外孙子 之外孙女 之父 之母 \
                 之岳父 之岳母 之公公 之婆婆 之祖父 之祖母 之外祖父 之外祖母 之兄弟姐妹 之曾孙子 \
                 之曾孙女 之侄儿 之侄女 之兄弟媳妇 之叔伯 其他",
                false,
                "HH01",
            ),
            (
                "劳动技能",
                "普通劳动力 技能劳动力 弱劳动力或半劳动力 丧失劳动力 无劳动力",
                false,
                "",
            ),
            (
                "在校生状况",
                "学龄前儿童 学前教育 小学 七年级 八年级 九年级 普通高中一年级 普通高中二年级 \
                 普通高中三年级 中职一年级 中职二年级 中职三年级 高职高专一年级 高职高专二年级 \
                 高职高专三年级 本科一年级 本科二年级 本科三年级 本科四年级 本科五年级 \
                 硕士研究生及以上",
                true,
                "",
            ),
            (
                "文化程度",
                "文盲或半文盲 小学 初中 高中 大专 本科及以上",
                true,
                "",
            ),
            ("健康状况", "健康 残疾 长期慢性病", false, ""),
            ("性别", "1 2", false, ""),
            ("享受特困供养政策情况", "城市特困 农村特困 不享受", true, ""),
            ("享受低保政策情况", "城市低保 农村低保 未享受", true, ""),
        ];
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        let hid = at("户编号");
        // The households planted for the rules after LN02 hold blank or out-of-vocabulary
        // values on purpose (BL01–BL16, ED02–ED11, HH09 …).
        let codes: Vec<String> = gonggu_core::validate::list_rules()
            .unwrap()
            .iter()
            .map(|r| r.code.to_string())
            .collect();
        let first_new = codes.iter().position(|c| c == "LN02").unwrap() + 1;
        let later: std::collections::HashSet<String> = codes[first_new..]
            .iter()
            .flat_map(|code| {
                manifest["rules"][code.as_str()]["defects"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|d| d["household_id"].as_str().map(str::to_string))
            })
            .collect();
        assert!(!later.is_empty());
        let mut checked = 0;
        for (name, words, blank, rule) in lists
            .into_iter()
            .chain(
                [
                    "致贫/返贫风险1",
                    "致贫/返贫风险2",
                    "致贫/返贫风险3",
                    "致贫/返贫风险4",
                    "致贫/返贫风险5",
                ]
                .map(|n| (n, risks, true, "")),
            )
            .chain([
                ("风险是否已消除", "是 否", true, ""),
                ("风险消除方式", "帮扶消除 自然消除", true, ""),
            ])
        {
            let exempt = if rule.is_empty() {
                Vec::new()
            } else {
                planted(rule)
            };
            let c = at(name);
            for r in &rows[3..] {
                let v = r.get(c).map_or("", String::as_str);
                let ok = words.split_whitespace().any(|w| w == v) || (blank && v.is_empty());
                assert!(
                    ok || exempt.contains(&r[hid]) || later.contains(&r[hid]),
                    "{name} = {v:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
        // 文化程度 is blank while 在校生状况 is filled.
        for r in rows[3..].iter().filter(|r| !later.contains(&r[hid])) {
            assert!(r[at("在校生状况")].is_empty() || r[at("文化程度")].is_empty());
        }
    }

    /// GB/T 9704 read back from the PDF (`pdftotext -bbox`): on every page of the demo
    /// notice every word but the page number lies inside the text block (156 × 225 mm at
    /// 28/26 mm left/right, 37/35 mm top/bottom; turned for landscape pages), so no
    /// punctuation hangs into a margin; the 发文机关署名 shares its page with body text.
    #[test]
    fn notice_text_stays_in_the_block_and_the_signature_is_not_alone() {
        let dir = demo_dir();
        let pdf = dir.join("输出/商丘市2021年11月主要指标通报.pdf");
        let Ok(o) = Command::new("pdftotext")
            .arg("-bbox")
            .arg(&pdf)
            .arg("-")
            .output()
        else {
            return;
        };
        let html = String::from_utf8_lossy(&o.stdout).into_owned();
        let attr = |tag: &str, name: &str| -> f64 {
            let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            tag[at..].split('"').next().unwrap().parse().unwrap()
        };
        let mm = 72.0 / 25.4;
        let mut signature_page_words = None;
        let mut previous_blank = false;
        for (n, page) in html.split("<page ").skip(1).enumerate() {
            let (w, h) = (attr(page, "width"), attr(page, "height"));
            // (left, right, top, bottom) margins in mm.
            let (l, r, t, b) = if w < h {
                (28.0, 26.0, 37.0, 35.0)
            } else {
                (37.0, 35.0, 28.0, 26.0)
            };
            let words: Vec<(String, [f64; 4])> = page
                .split("<word ")
                .skip(1)
                .map(|wd| {
                    let text = wd.split('>').nth(1).unwrap().split('<').next().unwrap();
                    let bbox = ["xMin", "yMin", "xMax", "yMax"].map(|k| attr(wd, k));
                    (text.to_string(), bbox)
                })
                .collect();
            let page_no = (n + 1).to_string();
            let mut numbered = false;
            for (text, [x0, y0, x1, y1]) in &words {
                // The page number (— 3 —) sits 7 mm outside the block, by design: under it
                // on a portrait page, beside it on a landscape one (the foot of the sheet
                // turned back to portrait).
                let outside = if w < h {
                    *y0 > h - b * mm
                } else {
                    *x1 < l * mm || *x0 > w - r * mm
                };
                if outside && (text == "—" || *text == page_no) {
                    numbered |= *text == page_no;
                    continue;
                }
                let tol = 0.6;
                assert!(
                    *x0 >= l * mm - tol
                        && *x1 <= w - r * mm + tol
                        && *y0 >= t * mm - tol
                        && *y1 <= h - b * mm + tol,
                    "page {}: 「{text}」 at {x0:.1},{y0:.1}–{x1:.1},{y1:.1} leaves the text block",
                    n + 1
                );
            }
            // GB/T 9704 §7.5: a blank page before the 版记 page, and the 版记 page after it,
            // carry no number; every other page does.
            let blank = words.is_empty();
            let unnumbered = blank || previous_blank;
            previous_blank = blank;
            assert_eq!(
                numbered,
                !unnumbered,
                "page {}: numbered {numbered}, blank {blank}",
                n + 1
            );
            if words.iter().any(|(t, _)| t == "2021年12月11日")
                && words.iter().any(|(t, _)| t.ends_with("领导小组办公室"))
                && signature_page_words.is_none()
            {
                signature_page_words = Some(words.len());
            }
        }
        let words = signature_page_words.expect("a page with the signature");
        // The office, the date, the page number — and body text.
        assert!(
            words > 8,
            "the signature stands alone on its page ({words} words)"
        );
    }

    /// No output of any command carries a full 证件号码 or a full name from the input.
    #[test]
    fn no_personal_data_in_any_output() {
        let dir = demo_dir();
        let (ids, names, _) = demo_personal_data();

        // Outputs of the demo, plus compute and check run on their own.
        let extra = tempfile::tempdir().unwrap();
        let inputs: Vec<PathBuf> = [
            "监测对象信息.xlsx",
            "衔接资金项目.xlsx",
            "小额信贷.xlsx",
            "目标.xlsx",
        ]
        .iter()
        .map(|f| dir.join("输入").join(f))
        .collect();
        let check = run(gonggu()
            .arg("check")
            .args(&inputs)
            .args(["--as-of", "2021-11-30", "--out"])
            .arg(extra.path().join("核查.xlsx")));
        assert_eq!(
            check.status.code(),
            Some(1),
            "findings exist: {}",
            stderr(&check)
        );
        let csv = run(gonggu().arg("compute").args(&inputs).args([
            "--level",
            "town",
            "--as-of",
            "2021-11-30",
            "--format",
            "csv",
        ]));
        assert!(csv.status.success());
        let mut texts = vec![
            ("check stdout".to_string(), stdout(&check) + &stderr(&check)),
            ("compute csv".to_string(), stdout(&csv)),
        ];
        let mut outputs = files_under(&dir.join("输出"));
        outputs.extend(files_under(extra.path()));
        for p in outputs {
            let text = match p.extension().and_then(|e| e.to_str()) {
                Some("xlsx") => xlsx_text(&p),
                Some("docx") => docx_text(&p),
                Some("pdf") => match pdf_text(&p) {
                    Some(t) => t,
                    None => continue,
                },
                _ => String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned(),
            };
            texts.push((p.display().to_string(), text));
        }
        for (what, text) in &texts {
            for id in &ids {
                assert!(!text.contains(id.as_str()), "full ID number in {what}");
            }
            for n in &names {
                assert!(!text.contains(n.as_str()), "full name 「{n}」 in {what}");
            }
        }
        // The masked forms are there, so the scan looked at the right content.
        let check_book = &texts
            .iter()
            .find(|(w, _)| w.ends_with("核查.xlsx"))
            .unwrap()
            .1;
        assert!(
            check_book.contains("***********"),
            "masked IDs in the check list"
        );
    }
}

mod settings {
    use super::*;

    const ROSTER: &str = "县,乡,村,户编号,证件号码,户类型,与户主关系,人均纯收入（元）\n\
        夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户,户主,9000\n\
        虞城县,城关镇,西关村,H2,410101199001011237,脱贫户,户主,6000\n";

    /// A user's `[aliases]` entry reaches the loan rules: with the alias the ledger's
    /// `放款金额` column is 贷款金额（元） and LN01 runs; without it LN01 is skipped.
    #[test]
    fn user_alias_reaches_a_loan_rule() {
        let dir = tempfile::tempdir().unwrap();
        let loans = dir.path().join("小额信贷.csv");
        std::fs::write(
            &loans,
            "户编号,县(市、区、旗),放款金额,贷款余额（元）\nH1,夏邑县,20000,30000\n",
        )
        .unwrap();
        let line = "LN01 贷款余额大于贷款金额（错误）：1 条";
        for (config, expect) in [
            ("[aliases]\n\"贷款金额（元）\" = [\"放款金额\"]\n", true),
            ("", false),
        ] {
            let cfg = dir.path().join("gonggu.toml");
            std::fs::write(&cfg, config).unwrap();
            let o = run(gonggu()
                .arg("check")
                .arg(&loans)
                .args(["--as-of", "2021-11-30", "--config"])
                .arg(&cfg));
            assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
            assert_eq!(
                stdout(&o).contains(line),
                expect,
                "{config}\n{}",
                stdout(&o)
            );
        }
    }

    /// A parameter renamed in the user's catalog is what the workbook calls it.
    #[test]
    fn catalog_parameter_name_reaches_the_workbook() {
        let dir = tempfile::tempdir().unwrap();
        let roster = dir.path().join("人员.csv");
        std::fs::write(&roster, ROSTER).unwrap();
        let builtin = gonggu_core::catalog::Catalog::builtin_toml();
        let renamed = builtin.replace("name = \"防返贫监测收入标准\"", "name = \"本县监测收入线\"");
        assert_ne!(renamed, builtin);
        let catalog = dir.path().join("指标.toml");
        std::fs::write(&catalog, renamed).unwrap();
        let out = dir.path().join("out");
        let o = run(gonggu()
            .arg("notice")
            .arg(&roster)
            .args(["--level", "county", "--as-of", "2021-11-30", "--catalog"])
            .arg(&catalog)
            .arg("--out")
            .arg(&out));
        assert!(o.status.success(), "{}", stderr(&o));
        let xlsx = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .unwrap();
        let text = xlsx_text(&xlsx);
        assert!(text.contains("本县监测收入线"), "{text}");
        assert!(!text.contains("防返贫监测收入标准"), "{text}");
    }
}

mod messages {
    use super::*;

    const ID: &str = "410101199001011234";
    const OTHER_ID: &str = "410101199203046789";

    fn roster(dir: &Path) -> PathBuf {
        let p = dir.join("人员.csv");
        std::fs::write(
            &p,
            format!(
                "县,乡,村,户编号,证件号码,户类型,与户主关系,出生日期\n\
                 夏邑县,城关镇,东关村,H1,{ID},脱贫户,户主,{OTHER_ID}\n"
            ),
        )
        .unwrap();
        p
    }

    /// An ID typed into 出生日期 is quoted masked in the check list and in a --strict error,
    /// and in full only with --reveal-pii.
    #[test]
    fn a_misplaced_id_is_masked_in_messages_and_lists() {
        let dir = tempfile::tempdir().unwrap();
        let input = roster(dir.path());
        let list = dir.path().join("核查清单.xlsx");
        let o = run(gonggu()
            .arg("check")
            .arg(&input)
            .args(["--as-of", "2021-11-30", "--out"])
            .arg(&list));
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let text = xlsx_text(&list);
        assert!(text.contains("410***********6789"), "{text}");
        for shown in [text, stdout(&o), stderr(&o)] {
            assert!(!shown.contains(OTHER_ID) && !shown.contains(ID), "{shown}");
        }

        let strict = |reveal: bool| {
            let mut c = gonggu();
            c.arg("compute").arg(&input).args([
                "--level",
                "county",
                "--as-of",
                "2021-11-30",
                "--strict",
            ]);
            if reveal {
                c.arg("--reveal-pii");
            }
            run(&mut c)
        };
        let o = strict(false);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("410***********6789"), "{}", stderr(&o));
        assert!(!stderr(&o).contains(OTHER_ID), "{}", stderr(&o));
        let o = strict(true);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(OTHER_ID), "{}", stderr(&o));
    }
}

/// 务工所在地 holding addresses, as real exports write it (SPEC §3.1).
mod destinations {
    use super::*;

    const ROSTER: &str = "县,乡,村,户编号,证件号码,户类型,与户主关系,劳动技能,务工所在地,公益性岗位
夏邑县,会亭镇,北村,H1,410101199001011301,脱贫户,户主,普通劳动力,夏邑县会亭镇,
夏邑县,会亭镇,北村,H1,410101199001011302,脱贫户,之子,普通劳动力,江苏省苏州市昆山市玉山镇,
夏邑县,会亭镇,北村,H1,410101199001011303,脱贫户,之女,普通劳动力,河南省郑州市金水区,
夏邑县,城关镇,东关村,H2,410101199001011304,脱贫户,户主,普通劳动力,鼓楼区,
夏邑县,城关镇,东关村,H2,410101199001011305,脱贫户,配偶,普通劳动力,上海市浦东新区,村级
示范区,平台镇,南村,H3,410101199001011306,脱贫户,户主,普通劳动力,商丘市示范区平台镇,
示范区,平台镇,南村,H3,410101199001011307,脱贫户,配偶,普通劳动力,河南省济源市,
示范区,平台镇,南村,H3,410101199001011308,脱贫户,之子,普通劳动力,新疆,
";
    const IDS: [&str; 5] = [
        "employed_persons",
        "employed_in_county",
        "employed_in_province",
        "employed_out_province",
        "employed_unknown_destination",
    ];

    fn compute(dir: &Path, config: &str) -> (serde_json::Value, String) {
        std::fs::write(dir.join("监测对象信息.csv"), ROSTER).unwrap();
        std::fs::write(dir.join("gonggu.toml"), config).unwrap();
        let o = run(gonggu()
            .current_dir(dir)
            .args(["compute", "监测对象信息.csv", "--level", "county"])
            .args(["--as-of", "2021-11-30", "--indicators", &IDS.join(",")]));
        assert!(o.status.success(), "{}", stderr(&o));
        (serde_json::from_slice(&o.stdout).unwrap(), stderr(&o))
    }

    fn counts(v: &serde_json::Value, region: &str) -> Vec<i64> {
        let row = json_row(v, region);
        IDS.iter()
            .map(|id| row["values"][id]["value"].as_i64().unwrap_or(-1))
            .collect()
    }

    #[test]
    fn addresses_counted_by_destination_and_the_zone_needs_region_codes() {
        let dir = tempfile::tempdir().unwrap();
        let config = "[region]\nname = \"商丘市\"\n\n[region_codes]\n\"示范区\" = \"411400\"\n";
        let (v, err) = compute(dir.path(), config);
        // [all, 县内, 省内县外, 省外, 去向不明]
        assert_eq!(counts(&v, "夏邑县"), [5, 1, 1, 2, 1], "{v}");
        assert_eq!(counts(&v, "示范区"), [3, 1, 1, 1, 0], "{v}");
        assert_eq!(counts(&v, "商丘市"), [8, 2, 2, 3, 1], "{v}");
        assert!(err.contains("有 1 人的务工所在地无法判断去向"), "{err}");

        // Without [region_codes] the zone's addresses in 河南 are unknown, never guessed,
        // and the note says what to configure.
        let (v, err) = compute(dir.path(), "[region]\nname = \"商丘市\"\n");
        assert_eq!(counts(&v, "示范区"), [3, 0, 0, 1, 2], "{v}");
        assert!(
            err.contains("「示范区」在行政区划表中找不到") && err.contains("[region_codes]"),
            "{err}"
        );
        for region in ["夏邑县", "示范区", "商丘市"] {
            let c = counts(&v, region);
            assert_eq!(c[0], c[1..].iter().sum::<i64>(), "{region}: {c:?}");
        }
    }

    #[test]
    fn check_shows_the_address_and_the_candidates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("监测对象信息.csv"), ROSTER).unwrap();
        std::fs::write(
            dir.path().join("gonggu.toml"),
            "[region]\nname = \"商丘市\"\n\n[region_codes]\n\"示范区\" = \"411400\"\n",
        )
        .unwrap();
        let o = run(gonggu()
            .current_dir(dir.path())
            .args(["check", "监测对象信息.csv", "--as-of", "2021-11-30"])
            .args(["--out", "核查清单.xlsx"]));
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        use calamine::{Reader, open_workbook_auto};
        let mut wb = open_workbook_auto(dir.path().join("核查清单.xlsx")).unwrap();
        let mut wk = Vec::new();
        for name in wb.sheet_names() {
            for row in wb.worksheet_range(&name).unwrap().rows() {
                let line: Vec<String> = row.iter().map(|c| c.to_string()).collect();
                if line.iter().any(|c| c.starts_with("WK0")) {
                    wk.push(line.join("|"));
                }
            }
        }
        // Finding rows name their source row; the summary sheet counts per rule.
        let wk02: Vec<&String> = wk
            .iter()
            .filter(|l| l.contains("WK02") && l.contains("第 "))
            .collect();
        assert_eq!(wk02.len(), 1, "{wk:#?}");
        assert!(
            wk02[0].contains("务工所在地：鼓楼区")
                && wk02[0].contains("江苏省南京市鼓楼区")
                && wk02[0].contains("河南省开封市鼓楼区"),
            "{}",
            wk02[0]
        );
        // WK01: a welfare post held while working in 上海: the address is shown.
        assert!(
            wk.iter()
                .any(|l| l.contains("WK01") && l.contains("上海市浦东新区")),
            "{wk:#?}"
        );
    }

    #[test]
    fn an_unknown_region_code_is_a_configuration_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("监测对象信息.csv"), ROSTER).unwrap();
        std::fs::write(
            dir.path().join("gonggu.toml"),
            "[region]\nname = \"商丘市\"\n\n[region_codes]\n\"示范区\" = \"411499\"\n",
        )
        .unwrap();
        let o = run(gonggu().current_dir(dir.path()).args([
            "compute",
            "监测对象信息.csv",
            "--level",
            "county",
        ]));
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(
            err.contains("gonggu.toml") && err.contains("411499") && err.contains("示范区"),
            "{err}"
        );
    }
}

/// Nothing overwritten, nothing outside --out, nothing half-written, nothing leaked.
mod safety {
    use super::*;

    fn temporaries(dir: &Path) -> Vec<PathBuf> {
        files_under(dir)
            .into_iter()
            .filter(|p| p.to_string_lossy().contains(".gonggu-"))
            .collect()
    }

    fn roster_in(dir: &Path, county: &str) -> PathBuf {
        let p = dir.join("人员.csv");
        // 风险是否消除 gives the notice an indicator to report (风险消除占比).
        let mut w =
            String::from("县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别,风险是否消除\n");
        for (i, town) in ["甲镇", "乙镇"].iter().enumerate() {
            w.push_str(&format!(
                "\"{county}\",{town},一村,H{i},41010119900101123{i},脱贫户,户主,边缘易致贫户,否\n"
            ));
        }
        std::fs::write(&p, w).unwrap();
        p
    }

    /// A county named like a path cannot steer where files go.
    #[test]
    fn names_from_cells_never_leave_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let escape = dir.path().join("escape");
        for county in ["../../逃逸".to_string(), escape.display().to_string()] {
            let work = tempfile::tempdir_in(dir.path()).unwrap();
            let roster = roster_in(work.path(), &county);
            let out = work.path().join("out");
            let o = run(gonggu()
                .arg("notice")
                .arg(&roster)
                .args(["--level", "town", "--as-of", "2021-11-30", "--out"])
                .arg(&out));
            assert!(o.status.success(), "{}", stderr(&o));
            let written = files_under(work.path());
            assert_eq!(written.len(), 4, "{written:?}"); // the roster, the xlsx, the pdf, the docx
            for f in written.iter().filter(|p| **p != roster) {
                assert!(
                    f.starts_with(&out),
                    "{} outside {}",
                    f.display(),
                    out.display()
                );
                assert_eq!(f.parent(), Some(out.as_path()), "{}", f.display());
            }
            assert!(!escape.exists());
        }
    }

    /// --out equal to the --config or a --previous file is refused; both stay as they were.
    #[test]
    fn files_a_command_reads_are_never_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("汇总.csv");
        std::fs::copy(fixture("商丘市_汇总.csv"), &input).unwrap();
        let previous = dir.path().join("上月.csv");
        std::fs::copy(fixture("商丘市_汇总.csv"), &previous).unwrap();
        let config = dir.path().join("gonggu.toml");
        std::fs::write(&config, SHANGQIU_CONFIG).unwrap();
        for target in [&config, &previous] {
            let before = std::fs::read(target).unwrap();
            let o = run(gonggu()
                .arg("compute")
                .arg(&input)
                .args(["--level", "county", "--as-of", "2021-11-30", "--config"])
                .arg(&config)
                .arg("--previous")
                .arg(&previous)
                .args(["--format", "json", "--out"])
                .arg(target));
            assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
            assert!(stderr(&o).contains("是本次读取的文件"), "{}", stderr(&o));
            assert_eq!(std::fs::read(target).unwrap(), before);
        }
    }

    /// When one file cannot be written (a folder stands at its name), none is.
    #[test]
    fn one_file_failing_leaves_none() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let pdf = out.join("商丘市2021年11月主要指标通报.pdf");
        std::fs::create_dir_all(&pdf).unwrap();
        let config = dir.path().join("gonggu.toml");
        std::fs::write(&config, SHANGQIU_CONFIG).unwrap();
        let o = run(gonggu()
            .arg("notice")
            .arg(fixture("商丘市_汇总.csv"))
            .args(["--level", "county", "--as-of", "2021-11-30", "--config"])
            .arg(&config)
            .arg("--out")
            .arg(&out));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("是一个目录"), "{}", stderr(&o));
        assert_eq!(files_under(&out), Vec::<PathBuf>::new());
    }

    /// Files are created as any program's are (0666 less the umask), not private 0600.
    #[cfg(unix)]
    #[test]
    fn files_get_ordinary_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("指标.json");
        let o = run(Command::new("sh").arg("-c").arg(format!(
            "umask 022; exec \"{}\" compute \"{}\" --level county --as-of 2021-11-30 --out \"{}\"",
            env!("CARGO_BIN_EXE_gonggu"),
            fixture("商丘市_汇总.csv").display(),
            out.display()
        )));
        assert!(o.status.success(), "{}", stderr(&o));
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    /// A cell a spreadsheet would run as a formula is written as text.
    #[test]
    fn csv_output_defuses_formulas() {
        let dir = tempfile::tempdir().unwrap();
        let roster = roster_in(dir.path(), "=cmd|' /C calc'!A0");
        let o = run(gonggu().arg("compute").arg(&roster).args([
            "--level",
            "county",
            "--as-of",
            "2021-11-30",
            "--format",
            "csv",
        ]));
        assert!(o.status.success(), "{}", stderr(&o));
        let csv = stdout(&o);
        assert!(csv.contains("\n'=cmd|' /C calc'!A0,"), "{csv}");
        assert!(!csv.contains("\n=cmd"), "{csv}");
    }

    /// Killed at any moment, `notice` leaves all of its files or none; after a SIGTERM no
    /// temporary is left either.
    #[cfg(unix)]
    #[test]
    fn killed_notices_leave_all_or_nothing() {
        let demo = demo_dir();
        let inputs: Vec<PathBuf> = ["监测对象信息.xlsx", "衔接资金项目.xlsx", "小额信贷.xlsx"]
            .iter()
            .map(|n| demo.join("输入").join(n))
            .collect();
        let finals = [
            "商丘市2021年11月主要指标通报表.xlsx",
            "商丘市2021年11月主要指标通报.pdf",
            "商丘市2021年11月主要指标通报.docx",
        ];
        let notice = |out: &Path| {
            let mut c = gonggu();
            c.arg("notice")
                .args(&inputs)
                .args(["--level", "county", "--config"])
                .arg(demo.join("gonggu.toml"))
                .arg("--out")
                .arg(out)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null());
            c
        };
        // How long one run takes here, so the signals fall across the whole run.
        let started = std::time::Instant::now();
        let probe = tempfile::tempdir().unwrap();
        assert!(notice(probe.path()).status().unwrap().success());
        let span = started.elapsed().as_millis() as u64 + 1;
        let mut complete = 0;
        for i in 0..12u64 {
            let out = tempfile::tempdir().unwrap();
            let mut child = notice(out.path()).spawn().unwrap();
            // Spread over 0 to 150% of a run.
            std::thread::sleep(std::time::Duration::from_millis(
                span * ((i * 7) % 12) * 3 / 22,
            ));
            let term = i % 2 == 0;
            if term {
                let _ = Command::new("kill")
                    .args(["-TERM", &child.id().to_string()])
                    .status();
            } else {
                let _ = child.kill();
            }
            let _ = child.wait();
            let present: Vec<bool> = finals.iter().map(|f| out.path().join(f).exists()).collect();
            assert!(
                present.iter().all(|p| *p) || present.iter().all(|p| !*p),
                "run {i}: partial output {:?}",
                files_under(out.path())
            );
            if present.iter().all(|p| *p) {
                complete += 1;
            }
            if term {
                assert_eq!(temporaries(out.path()), Vec::<PathBuf>::new(), "run {i}");
            }
        }
        eprintln!("{complete} of 12 killed runs had finished before the signal");
    }

    /// A roster without its header row: the error shows what it found, but not the data
    /// row's ID, name or phone.
    #[test]
    fn a_roster_without_header_is_not_echoed() {
        let dir = tempfile::tempdir().unwrap();
        let roster = dir.path().join("人员.csv");
        std::fs::write(
            &roster,
            "夏邑县,城关镇,东关村,H1,410101199001011234,王小明,13812345678,脱贫户\n",
        )
        .unwrap();
        let o = run(gonggu()
            .arg("check")
            .arg(&roster)
            .args(["--as-of", "2021-11-30"]));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("人员.csv") && err.contains("第 1 行"), "{err}");
        for secret in ["410101199001011234", "王小明", "13812345678"] {
            assert!(!err.contains(secret), "{secret} in {err}");
        }
    }

    /// Personal data typed into the wrong columns (an ID in 出生日期, a phone in 识别监测时间)
    /// appears in no output and no message.
    #[test]
    fn misplaced_personal_data_appears_nowhere() {
        let dir = tempfile::tempdir().unwrap();
        let id = "410101199001011234";
        let stray_id = "410101198802028765";
        let phone = "13812345678";
        let roster = dir.path().join("人员.csv");
        std::fs::write(
            &roster,
            format!(
                "县,乡,村,户编号,证件号码,姓名,户类型,与户主关系,监测对象类别,出生日期,识别监测时间,户联系电话,风险是否消除\n\
                 夏邑县,城关镇,东关村,H1,{id},王小明,脱贫户,户主,边缘易致贫户,{stray_id},{phone},{phone},否\n\
                 夏邑县,会亭镇,北村,H2,410101199203041111,李四,脱贫户,户主,,19920304,,,\n"
            ),
        )
        .unwrap();
        let out = dir.path().join("out");
        let mut messages = String::new();
        let runs: Vec<Vec<String>> = vec![
            vec![
                "check".into(),
                "--out".into(),
                out.join("核查清单.xlsx").display().to_string(),
            ],
            vec![
                "notice".into(),
                "--level".into(),
                "town".into(),
                "--out".into(),
                out.display().to_string(),
            ],
            vec![
                "evaluate".into(),
                "--level".into(),
                "town".into(),
                "--out".into(),
                out.display().to_string(),
            ],
            vec![
                "compute".into(),
                "--level".into(),
                "village".into(),
                "--format".into(),
                "csv".into(),
            ],
            vec![
                "compute".into(),
                "--level".into(),
                "town".into(),
                "--strict".into(),
            ],
        ];
        for args in &runs {
            let o = run(gonggu()
                .arg(&args[0])
                .arg(&roster)
                .args(["--as-of", "2021-11-30"])
                .args(&args[1..]));
            assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
            messages.push_str(&stdout(&o));
            messages.push_str(&stderr(&o));
        }
        let mut shown = messages;
        let files = files_under(&out);
        // The check list, the notice (xlsx, pdf) and the evaluation (xlsx, pdf).
        assert!(files.len() >= 5, "{files:?}");
        for f in files {
            let text = match f.extension().and_then(|e| e.to_str()) {
                Some("xlsx") => xlsx_text(&f),
                Some("pdf") => Command::new("pdftotext")
                    .arg(&f)
                    .arg("-")
                    .output()
                    .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                    .unwrap_or_default(),
                _ => String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned(),
            };
            shown.push_str(&text);
        }
        assert!(
            shown.contains("410***********8765"),
            "the stray ID is quoted masked"
        );
        for secret in [id, stray_id, phone, "王小明"] {
            assert!(!shown.contains(secret), "{secret} shown in:\n{shown}");
        }
    }
}

/// The command line speaks Chinese: help, usage and errors (issue: county staff read no
/// English).
mod language {
    use super::*;

    const COMMANDS: [&str; 9] = [
        "demo",
        "check",
        "compute",
        "notice",
        "brief",
        "evaluate",
        "explain",
        "indicators",
        "init",
    ];

    fn is_cjk(c: char) -> bool {
        ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c)
    }

    /// A line reads as English when, flags, placeholders, paths and command names aside,
    /// it holds two or more English words and no Chinese.
    fn english_words(line: &str) -> Vec<String> {
        line.split_whitespace()
            .filter(|t| {
                !t.starts_with('-')
                    && !t.contains(['/', '.', '<', '[', '=', '|', '*', '，'])
                    && !COMMANDS.contains(t)
                    && *t != "gonggu"
            })
            .map(|t| {
                t.trim_matches(|c: char| !c.is_ascii_alphabetic())
                    .to_string()
            })
            .filter(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()))
            .collect()
    }

    fn assert_chinese(what: &str, text: &str) {
        for banned in [
            "error:",
            "Usage:",
            "For more information",
            "possible values",
            "[default",
            "[env",
            "os error",
        ] {
            assert!(!text.contains(banned), "{what}: 「{banned}」 in\n{text}");
        }
        for line in text.lines() {
            let words = english_words(line);
            assert!(
                line.chars().any(is_cjk) || words.len() < 2,
                "{what}: English line 「{line}」"
            );
        }
    }

    #[test]
    fn help_usage_and_errors_are_chinese() {
        let dir = tempfile::tempdir().unwrap();
        let mut cases: Vec<(String, Vec<&str>)> = vec![
            ("top help".into(), vec!["--help"]),
            ("no command".into(), vec![]),
            ("unknown command".into(), vec!["notcie"]),
        ];
        for c in COMMANDS {
            cases.push((format!("{c} --help"), vec![c, "--help"]));
            cases.push((format!("{c} --nope"), vec![c, "--nope"]));
        }
        for c in [
            "check", "compute", "notice", "brief", "evaluate", "explain", "demo",
        ] {
            cases.push((format!("{c} missing argument"), vec![c]));
        }
        for c in ["compute", "notice", "brief", "evaluate"] {
            cases.push((
                format!("{c} bad level"),
                vec![c, "x.csv", "--level", "province", "--out", "o"],
            ));
        }
        cases.push((
            "notice village".into(),
            vec!["notice", "x.csv", "--level", "village", "--out", "o"],
        ));
        for (what, args) in &cases {
            let o = run(gonggu().current_dir(dir.path()).args(args));
            let text = format!("{}{}", stdout(&o), stderr(&o));
            assert!(!text.trim().is_empty(), "{what}: nothing printed");
            assert_chinese(what, &text);
            if !args.contains(&"--help") {
                assert_eq!(o.status.code(), Some(2), "{what}: {text}");
            }
        }
    }

    /// A missing input and a folder given as input read the same in every command.
    #[test]
    fn unreadable_inputs_are_worded_alike_in_every_command() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("数据")).unwrap();
        for input in ["没有这个文件.xlsx", "数据"] {
            let mut seen = std::collections::BTreeSet::new();
            for c in ["check", "compute", "notice", "brief", "evaluate"] {
                let mut args = vec![c, input, "--as-of", "2021-11-30"];
                if c != "check" {
                    args.extend(["--level", "county"]);
                }
                if matches!(c, "notice" | "evaluate") {
                    args.extend(["--out", "o"]);
                }
                if c == "brief" {
                    args.extend(["--out", "o.pdf"]);
                }
                let o = run(gonggu().current_dir(dir.path()).args(&args));
                assert_eq!(o.status.code(), Some(2), "{c}: {}", stderr(&o));
                assert_chinese(c, &stderr(&o));
                seen.insert(stderr(&o));
            }
            assert_eq!(seen.len(), 1, "{input}: {seen:?}");
            let only = seen.into_iter().next().unwrap_or_default();
            assert!(only.starts_with("错误：无法读取输入文件"), "{only}");
        }
    }

    /// `gonggu init` writes placeholders: a notice made without editing it names no place
    /// it was not given and prints no placeholder.
    #[test]
    fn init_then_notice_names_no_other_place() {
        let dir = tempfile::tempdir().unwrap();
        let o = run(gonggu().current_dir(dir.path()).arg("init"));
        assert!(o.status.success(), "{}", stderr(&o));
        let config = std::fs::read_to_string(dir.path().join("gonggu.toml")).unwrap();
        assert!(
            !config.contains("商丘市巩固") && !config.contains("商乡振办"),
            "{config}"
        );
        std::fs::write(
            dir.path().join("人员.csv"),
            // 风险是否消除 gives the notice an indicator to report (风险消除占比).
            "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别,风险是否消除\n\
             夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户,户主,边缘易致贫户,否\n\
             夏邑县,会亭镇,北村,H2,410101199203041111,脱贫户,户主,,\n",
        )
        .unwrap();
        let o = run(gonggu().current_dir(dir.path()).args([
            "notice",
            "人员.csv",
            "--level",
            "town",
            "--as-of",
            "2021-11-30",
            "--out",
            "输出",
        ]));
        assert!(o.status.success(), "{}", stderr(&o));
        let mut shown = stderr(&o);
        for f in files_under(&dir.path().join("输出")) {
            shown.push_str(&match f.extension().and_then(|e| e.to_str()) {
                Some("xlsx") => xlsx_text(&f),
                _ => Command::new("pdftotext")
                    .arg(&f)
                    .arg("-")
                    .output()
                    .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                    .unwrap_or_default(),
            });
        }
        assert!(shown.contains("夏邑县"), "{shown}");
        for absent in ["商丘", "请填写"] {
            assert!(!shown.contains(absent), "{absent} in:\n{shown}");
        }
    }

    /// A city's ranking of towns says which county each town is in.
    #[test]
    fn a_city_town_ranking_has_a_county_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("gonggu.toml"),
            "[region]\nname = \"商丘市\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("人员.csv"),
            "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别,风险是否消除\n\
             夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户,户主,边缘易致贫户,否\n\
             虞城县,利民镇,北村,H2,410101199203041111,脱贫户,户主,边缘易致贫户,是\n",
        )
        .unwrap();
        let o = run(gonggu().current_dir(dir.path()).args([
            "notice",
            "人员.csv",
            "--level",
            "town",
            "--as-of",
            "2021-11-30",
            "--out",
            "输出",
            "--emit-typst",
        ]));
        assert!(o.status.success(), "{}", stderr(&o));
        let data: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("输出/typst-通报/data.json")).unwrap(),
        )
        .unwrap();
        let atts = data["attachments"].as_array().unwrap();
        let table = &atts.last().unwrap()["blocks"][0];
        assert_eq!(table["header"][0][0]["text"], "县（市、区）", "{table}");
        assert_eq!(table["header"][0][1]["text"], "乡镇", "{table}");
        let rows: Vec<(String, String)> = table["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let t = |c: &serde_json::Value| c["text"].as_str().unwrap().to_string();
                (t(&r[0]), t(&r[1]))
            })
            .collect();
        let want = [("夏邑县", "城关镇"), ("虞城县", "利民镇")];
        assert_eq!(rows, want.map(|(c, t)| (c.to_string(), t.to_string())));
        // The ranking workbook too.
        let book = files_under(&dir.path().join("输出"))
            .into_iter()
            .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .unwrap();
        let text = xlsx_text(&book);
        assert!(text.contains("\n县（市、区）\t乡镇\t"), "{text}");
        for (c, t) in want {
            assert!(text.contains(&format!("\n{c}\t{t}\t")), "{c} {t}: {text}");
        }
    }

    /// Without a configured region and counties of two cities, there is no place to name:
    /// the notice has no red header and no signature, the title names no place, and the
    /// terminal says what to configure — never "合计" as an office or a place.
    #[test]
    fn without_a_region_the_notice_names_no_office_and_no_place() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("人员.csv"),
            "县,乡,村,户编号,证件号码,户类型,与户主关系,监测对象类别,风险是否消除\n\
             夏邑县,城关镇,东关村,H1,410101199001011234,脱贫户,户主,边缘易致贫户,否\n\
             鹿邑县,城关镇,北村,H2,410101199203041111,脱贫户,户主,边缘易致贫户,是\n",
        )
        .unwrap();
        let o = run(gonggu().current_dir(dir.path()).args([
            "notice",
            "人员.csv",
            "--level",
            "county",
            "--as-of",
            "2021-11-30",
            "--out",
            "输出",
            "--emit-typst",
        ]));
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains("[region] name"), "{}", stderr(&o));
        let data: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("输出/typst-通报/data.json")).unwrap(),
        )
        .unwrap();
        let doc = &data["doc"];
        assert!(doc["issuer_mark"].is_null(), "{doc}");
        assert!(doc["signature"].is_null(), "{doc}");
        assert_eq!(
            doc["title"],
            "关于2021年11月\n巩固拓展脱贫攻坚成果主要指标情况的通报"
        );
        let body = data["body"].to_string();
        assert!(!body.contains("合计") && body.contains("总体"), "{body}");
    }
}

/// `gonggu template`: the 填报 form, and its copies read back as 汇总.
mod template {
    use super::*;

    fn sheet_rows(path: &Path) -> Vec<Vec<String>> {
        use calamine::{Reader, open_workbook_auto};
        let mut wb = open_workbook_auto(path).unwrap();
        let range = wb.worksheet_range("填报").unwrap();
        range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn counties_of_the_configured_city_come_from_the_division_table() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("gonggu.toml"),
            "[region]\nname = \"商丘市\"\n",
        )
        .unwrap();
        let o = run(gonggu().current_dir(dir.path()).args([
            "template",
            "--level",
            "county",
            "--as-of",
            "2021-11-30",
            "--out",
            "填报表.xlsx",
        ]));
        assert!(o.status.success(), "{}", stderr(&o));
        let form = dir.path().join("填报表.xlsx");
        let rows = sheet_rows(&form);
        assert!(rows[0][0].contains("商丘市") && rows[0][0].contains("2021年11月30日"));
        assert_eq!(rows[1][0], "县（市、区）");
        assert!(rows[1].iter().any(|h| h == "贷款余额户数"), "{:?}", rows[1]);
        assert!(!rows[1].iter().any(|h| h.ends_with('率')), "{:?}", rows[1]);
        let units: Vec<&str> = rows[2..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            units,
            [
                "梁园区",
                "睢阳区",
                "民权县",
                "睢县",
                "宁陵县",
                "柘城县",
                "虞城县",
                "夏邑县",
                "永城市"
            ]
        );
        // Sent back unfilled, the form is refused cell by cell, never read as zeros.
        let o = run(gonggu().current_dir(dir.path()).args([
            "compute",
            "填报表.xlsx",
            "--level",
            "county",
        ]));
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("第 3 行") && stderr(&o).contains("每一格都要填写"),
            "{}",
            stderr(&o)
        );
    }

    #[test]
    fn without_an_order_or_a_city_it_asks_for_the_order() {
        let dir = tempfile::tempdir().unwrap();
        let o = run(gonggu().current_dir(dir.path()).args([
            "template",
            "--level",
            "town",
            "--out",
            "填报表.xlsx",
        ]));
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("[region] order"), "{}", stderr(&o));
        assert!(!dir.path().join("填报表.xlsx").exists());
    }
}

/// Real exports as a county has them (issue 13).
#[path = "cli/real_exports.rs"]
mod real_exports;

/// The records behind a figure (issue 23).
#[path = "cli/explain.rs"]
mod explain;

/// The month in one command, with a memory (issue 22).
#[path = "cli/run.rs"]
mod run;

/// Files that are damaged, disguised or hostile (issue 15): each is refused with a Chinese
/// error naming the file, exit 2, no panic, within 1 GB of address space.
mod hostile {
    use super::*;
    use std::io::Write;
    use std::time::{Duration, Instant};

    const ROSTER_HEADER: &str = "县(市、区、旗),乡(镇),行政村,户编号,证件号码,户类型";
    const ROSTER_ROW: [&str; 6] = [
        "睢县",
        "白庙乡",
        "刘庄村",
        "H1",
        "11010519491231002X",
        "脱贫户",
    ];

    /// `gonggu compute <file>` under `prlimit --as` of 1 GiB (when util-linux has it): a
    /// file that makes the reader ask for gigabytes aborts instead of swapping, and the
    /// test sees it. Returns the output and the wall time (printed, never asserted).
    fn compute_limited(dir: &Path, file: &str, extra: &[&str]) -> (Output, Duration) {
        let bin = env!("CARGO_BIN_EXE_gonggu");
        let limited = Command::new("prlimit").arg("--version").output().is_ok();
        let mut c = if limited {
            let mut c = Command::new("prlimit");
            c.args(["--as=1073741824", "--"]).arg(bin);
            c
        } else {
            Command::new(bin)
        };
        c.env("CI", "true")
            .current_dir(dir)
            .args([
                "compute",
                file,
                "--level",
                "county",
                "--as-of",
                "2024-06-30",
            ])
            .args(extra);
        let start = Instant::now();
        let o = run(&mut c);
        let took = start.elapsed();
        eprintln!(
            "{file}: exit {:?} in {:.0} ms{}: {}",
            o.status.code(),
            took.as_secs_f64() * 1000.0,
            if limited { " (prlimit --as=1GiB)" } else { "" },
            stderr(&o).lines().next().unwrap_or("")
        );
        (o, took)
    }

    /// Exit 2, a Chinese error naming the file and containing every needle, no panic.
    fn refused(o: &Output, file: &str, needles: &[&str]) -> String {
        let err = stderr(o);
        assert_eq!(o.status.code(), Some(2), "{file}: {err}");
        assert!(err.starts_with("错误："), "{file}: {err}");
        assert!(err.contains(file), "{file}: {err}");
        for n in needles {
            assert!(err.contains(n), "{file}: missing 「{n}」 in:\n{err}");
        }
        for english in ["panicked", "RUST_BACKTRACE", "memory allocation"] {
            assert!(!err.contains(english), "{file}: {err}");
        }
        err
    }

    fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(text.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// A one-sheet workbook whose sheet XML is `sheet_data` (the inside of `<sheetData>`).
    fn xlsx_with(sheet_data: &str) -> Vec<u8> {
        let sheet = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
        );
        zip_of(&[
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="监测对象" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            ("xl/worksheets/sheet1.xml", &sheet),
        ])
    }

    /// Inline-string cells of one row.
    fn xlsx_row(r: u32, cells: &[&str]) -> String {
        let mut s = format!(r#"<row r="{r}">"#);
        for (i, v) in cells.iter().enumerate() {
            let col = char::from(b'A' + i as u8);
            s.push_str(&format!(
                r#"<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>"#
            ));
        }
        s.push_str("</row>");
        s
    }

    fn roster_rows() -> String {
        let header: Vec<&str> = ROSTER_HEADER.split(',').collect();
        xlsx_row(1, &header) + &xlsx_row(2, &ROSTER_ROW)
    }

    fn ods_with(rows: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="监测对象">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        zip_of(&[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            (
                "META-INF/manifest.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#,
            ),
            ("content.xml", &content),
        ])
    }

    fn ods_row(cells: &[&str], repeated: Option<&str>) -> String {
        let mut s = match repeated {
            Some(n) => format!(r#"<table:table-row table:number-rows-repeated="{n}">"#),
            None => "<table:table-row>".to_string(),
        };
        for v in cells {
            s.push_str(&format!(
                r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
            ));
        }
        s.push_str("</table:table-row>");
        s
    }

    #[test]
    fn truncated_xls_is_refused_at_every_length() {
        let bytes = std::fs::read(fixture("监测对象信息_示例.xls")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        // Every 97th length, and the lengths the issue's mutation run found panicking.
        let mut lengths: Vec<usize> = (1..bytes.len()).step_by(97).collect();
        lengths.extend([8, 512, 526, 1024, 1536, 4096, bytes.len() - 1]);
        let mut slowest = Duration::ZERO;
        for n in lengths {
            let name = format!("截断{n}.xls");
            std::fs::write(dir.path().join(&name), &bytes[..n]).unwrap();
            let (o, took) = compute_limited(dir.path(), &name, &[]);
            refused(&o, &name, &[]);
            slowest = slowest.max(took);
        }
        eprintln!(
            "slowest truncation: {:.0} ms",
            slowest.as_secs_f64() * 1000.0
        );
    }

    #[test]
    fn bit_flipped_xls_never_panics() {
        let bytes = std::fs::read(fixture("监测对象信息_示例.xls")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut refused_count = 0;
        let mut total = 0;
        // Header, FAT, directory and the BIFF records: every 53rd byte, two flips each.
        for at in (0..bytes.len()).step_by(53) {
            for mask in [0x80u8, 0x01] {
                let mut b = bytes.clone();
                b[at] ^= mask;
                let name = format!("翻转{at}_{mask}.xls");
                std::fs::write(dir.path().join(&name), &b).unwrap();
                let (o, _) = compute_limited(dir.path(), &name, &[]);
                total += 1;
                let err = stderr(&o);
                assert!(
                    matches!(o.status.code(), Some(0..=2)),
                    "{name}: {:?} {err}",
                    o.status
                );
                assert!(
                    !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
                    "{name}: {err}"
                );
                if o.status.code() == Some(2) {
                    refused(&o, &name, &[]);
                    refused_count += 1;
                }
            }
        }
        eprintln!("{refused_count} of {total} bit-flipped files refused, the rest read");
    }

    #[test]
    fn column_beyond_xfd_is_a_bad_file_naming_the_cell() {
        let dir = tempfile::tempdir().unwrap();
        for reference in ["ZZZZZZZZ5", "ZZZZZZ5", "XFE5"] {
            let name = format!("列{reference}.xlsx");
            let data = roster_rows()
                + &format!(
                    r#"<row r="5"><c r="{reference}" t="inlineStr"><is><t>x</t></is></c></row>"#
                );
            std::fs::write(dir.path().join(&name), xlsx_with(&data)).unwrap();
            let (o, _) = compute_limited(dir.path(), &name, &[]);
            refused(&o, &name, &["已损坏", "监测对象", reference, "XFD"]);
        }
    }

    #[test]
    fn ods_rows_repeated_four_billion_times_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let header: Vec<&str> = ROSTER_HEADER.split(',').collect();
        let repeated = |n: &str| ods_row(&header, None) + &ods_row(&ROSTER_ROW, Some(n));
        std::fs::write(
            dir.path().join("重复.ods"),
            ods_with(&repeated("4294967296")),
        )
        .unwrap();
        let (o, _) = compute_limited(dir.path(), "重复.ods", &[]);
        refused(
            &o,
            "重复.ods",
            &["监测对象", "第 2 行", "4294967296", "1048576"],
        );

        // Within Excel's rows but far beyond what 1 KB can hold: 1,048,575 rows × 6 cells.
        std::fs::write(dir.path().join("展开.ods"), ods_with(&repeated("1048575"))).unwrap();
        let (o, _) = compute_limited(dir.path(), "展开.ods", &[]);
        refused(&o, "展开.ods", &["监测对象", "重复", "内存"]);
    }

    #[test]
    fn a_web_page_saved_as_xls_says_to_save_as_xlsx() {
        let dir = tempfile::tempdir().unwrap();
        let html = format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><table><tr><td>{}</td></tr></table></body></html>",
            ROSTER_HEADER.replace(',', "</td><td>")
        );
        std::fs::write(dir.path().join("网页.xls"), html).unwrap();
        let (o, _) = compute_limited(dir.path(), "网页.xls", &[]);
        refused(&o, "网页.xls", &["网页文件", "另存为", ".xlsx"]);
    }

    #[test]
    fn a_workbook_named_csv_is_named_not_dumped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("名单.csv"), xlsx_with(&roster_rows())).unwrap();
        let (o, _) = compute_limited(dir.path(), "名单.csv", &[]);
        let err = refused(&o, "名单.csv", &["xlsx", "不是 CSV", "扩展名"]);
        assert!(!err.contains("PK") && !err.contains('\u{FFFD}'), "{err}");

        // An .xls that is an .xlsx is read as what it is, with a note.
        std::fs::write(dir.path().join("名单.xls"), xlsx_with(&roster_rows())).unwrap();
        let (o, _) = compute_limited(dir.path(), "名单.xls", &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stderr(&o).contains("实际是 xlsx 格式"), "{}", stderr(&o));
    }

    #[test]
    fn a_password_protected_workbook_says_to_remove_the_password() {
        // Excel saves a password-protected .xlsx as a compound file holding
        // EncryptionInfo and EncryptedPackage streams.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("加密.xlsx");
        let mut c = cfb::create(&path).unwrap();
        c.create_stream("EncryptionInfo")
            .unwrap()
            .write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0])
            .unwrap();
        c.create_stream("EncryptedPackage")
            .unwrap()
            .write_all(&[0u8; 5000])
            .unwrap();
        c.flush().unwrap();
        drop(c);
        let (o, _) = compute_limited(dir.path(), "加密.xlsx", &[]);
        refused(&o, "加密.xlsx", &["密码", "去掉密码后另存"]);
    }

    #[test]
    fn a_zip_bomb_is_refused_before_inflating() {
        // 200 MB of one letter deflate to about 200 KB: a 1000:1 entry.
        let dir = tempfile::tempdir().unwrap();
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/workbook.xml", opts).unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..200 {
            w.write_all(&chunk).unwrap();
        }
        let bytes = w.finish().unwrap().into_inner();
        std::fs::write(dir.path().join("炸弹.xlsx"), bytes).unwrap();
        let (o, _) = compute_limited(dir.path(), "炸弹.xlsx", &[]);
        refused(&o, "炸弹.xlsx", &["xl/workbook.xml", "倍"]);
    }

    #[test]
    fn broken_sheet_xml_names_the_sheet_and_the_last_cell() {
        let dir = tempfile::tempdir().unwrap();
        let data = roster_rows()
            + r#"<row r="3"><c r="A3" t="inlineStr"><is><t>睢县</t></is></c><c r="B3"#;
        std::fs::write(dir.path().join("坏表.xlsx"), xlsx_with(&data)).unwrap();
        let (o, _) = compute_limited(dir.path(), "坏表.xlsx", &[]);
        refused(&o, "坏表.xlsx", &["工作表「监测对象」", "A3"]);
    }

    #[test]
    fn one_bad_cell_is_a_bad_value_not_a_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        let header: Vec<&str> = ROSTER_HEADER
            .split(',')
            .chain(["人均纯收入（元）"])
            .collect();
        let data = xlsx_row(1, &header)
            + r#"<row r="2"><c r="A2" t="inlineStr"><is><t>睢县</t></is></c><c r="B2" t="inlineStr"><is><t>白庙乡</t></is></c><c r="C2" t="inlineStr"><is><t>刘庄村</t></is></c><c r="D2" t="inlineStr"><is><t>H1</t></is></c><c r="E2" t="inlineStr"><is><t>11010519491231002X</t></is></c><c r="F2" t="inlineStr"><is><t>脱贫户</t></is></c><c r="G2" t="n"><v>一万</v></c></row>"#
            + r#"<row r="3"><c r="A3" t="inlineStr"><is><t>睢县</t></is></c><c r="G3"><f>SUM(G1:G2)</f></c></row>"#;
        std::fs::write(dir.path().join("坏格.xlsx"), xlsx_with(&data)).unwrap();
        let (o, _) = compute_limited(dir.path(), "坏格.xlsx", &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("G2（应为数字）"), "{err}");
        assert!(err.contains("公式") && err.contains("G3"), "{err}");

        let (o, _) = compute_limited(dir.path(), "坏格.xlsx", &["--strict"]);
        refused(&o, "坏格.xlsx", &["第 2 行", "人均纯收入（元）", "一万"]);

        // The same in an .ods, which calamine reads whole and fails on one bad number: the
        // cell reads as the text it shows, a bad value of that cell.
        let cell = |t: &str| {
            format!(
                r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
            )
        };
        let row =
            |cells: &[String]| format!("<table:table-row>{}</table:table-row>", cells.concat());
        let head: Vec<String> = header.iter().map(|h| cell(h)).collect();
        let mut data: Vec<String> = ROSTER_ROW.iter().map(|t| cell(t)).collect();
        data.push(r#"<table:table-cell office:value-type="float" office:value="一万"><text:p>一万</text:p></table:table-cell>"#.to_string());
        let mut good: Vec<String> = [
            "睢县",
            "白庙乡",
            "刘庄村",
            "H2",
            "110105194912310021",
            "脱贫户",
        ]
        .iter()
        .map(|t| cell(t))
        .collect();
        good.push(r#"<table:table-cell office:value-type="float" office:value="8000"><text:p>8000</text:p></table:table-cell>"#.to_string());
        let ods = ods_with(&(row(&head) + &row(&data) + &row(&good)));
        std::fs::write(dir.path().join("坏格.ods"), ods).unwrap();
        let (o, _) = compute_limited(dir.path(), "坏格.ods", &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stderr(&o).contains("有 1 个值无法识别"), "{}", stderr(&o));
        let (o, _) = compute_limited(dir.path(), "坏格.ods", &["--strict"]);
        refused(
            &o,
            "坏格.ods",
            &["工作表「监测对象」", "第 2 行", "人均纯收入（元）", "一万"],
        );
    }

    /// The inputs fuzzing found (`fixtures/hostile/`), through the binary.
    #[test]
    fn fuzz_findings_exit_2() {
        let dir = fixture("hostile");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let (o, _) = compute_limited(&dir, &name, &[]);
            refused(&o, &name, &["已损坏"]);
        }
    }

    #[test]
    fn a_panic_is_reported_in_chinese_with_exit_2() {
        let o = run(gonggu()
            .env("GONGGU_TEST_PANIC", "1")
            .args(["compute", "x.csv", "--level", "county"]));
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(err.contains("内部错误") && err.contains("维护者"), "{err}");
        assert!(
            !err.contains("RUST_BACKTRACE") && !err.contains("panicked"),
            "{err}"
        );
    }
}

#[path = "cli/rules.rs"]
mod rules;

/// The check list as a loop with the towns (issue 20).
#[path = "cli/returned.rs"]
mod returned;

/// `gonggu compute -`: a CSV roster piped in on standard input (issue 25).
#[path = "cli/stdin.rs"]
mod stdin;

/// `gonggu bench`: baselines, costs and `--dir` (issue 25).
#[path = "cli/bench.rs"]
mod bench;
