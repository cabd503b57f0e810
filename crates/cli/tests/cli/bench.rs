//! `gonggu bench` with `--dir`: generates the roster there when it is missing, reuses it
//! when present, and prints the raw baseline beside gonggu's own times.

use super::*;

#[test]
fn bench_with_dir_generates_once_then_reuses_and_prints_the_baseline() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("数据");
    let bench = || {
        run(gonggu()
            .args([
                "bench",
                "compute",
                "--households",
                "300",
                "--format",
                "csv",
                "--dir",
            ])
            .arg(&dir))
    };
    let first = bench();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("正在生成 300 户"),
        "{}",
        stderr(&first)
    );
    assert!(dir.join("监测对象信息.csv").is_file());

    let again = bench();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!stderr(&again).contains("正在生成"), "{}", stderr(&again));
    let out = stdout(&again);
    for expected in [
        "基线：csv 库逐条解析",
        "gonggu 读取：",
        "300 户",
        "读取 + 县级计算",
        "× 基线",
        "核）",
        "字节/户",
    ] {
        assert!(out.contains(expected), "no 「{expected}」 in:\n{out}");
    }
    // The per-rule costs are for `bench check` only, and only when asked.
    assert!(!out.contains("逐条规则"), "{out}");
    let o = run(gonggu()
        .args([
            "bench",
            "compute",
            "--households",
            "300",
            "--per-rule",
            "--dir",
        ])
        .arg(&dir));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--per-rule 只用于 bench check"),
        "{}",
        stderr(&o)
    );
}

/// `bench national` feeds rewritten copies of the generated roster through standard input:
/// each copy's households and counties are the child's own.
#[test]
fn bench_national_streams_distinct_copies() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("数据");
    let national = |copies: &str| {
        let args = [
            "bench",
            "national",
            "--households",
            "300",
            "--copies",
            copies,
        ];
        run(gonggu().args(args).arg("--dir").arg(&dir))
    };
    let o = national("3");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // The generated city has 10 counties; three copies make 30, and 900 households.
    for expected in ["（3 份，流式）", "900 户", "30 个县", "行/s", "字节/户"] {
        assert!(out.contains(expected), "no 「{expected}」 in:\n{out}");
    }
    let bad = national("40");
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("--copies"), "{}", stderr(&bad));
    // Refused before any data is generated.
    let fresh = tmp.path().join("未生成");
    let o = run(gonggu()
        .args(["bench", "national", "--copies", "0", "--dir"])
        .arg(&fresh));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--copies"), "{}", stderr(&o));
    assert!(!fresh.exists());
}

/// `bench notice` runs `gonggu notice` end to end (city by counties, city by towns, one
/// county by its towns) on every generated file and prints each run's time.
#[test]
fn bench_notice_times_the_whole_notice_at_both_levels() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("数据");
    let o = run(gonggu()
        .args([
            "bench",
            "notice",
            "--households",
            "300",
            "--format",
            "xlsx",
            "--dir",
        ])
        .arg(&dir));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("监测对象信息.xlsx") && out.contains("小额信贷.xlsx"),
        "{out}"
    );
    // The city ranking its counties, then its towns, then one county ranking its own.
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("gonggu notice"))
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    for (line, what) in
        lines
            .iter()
            .zip(["--level county（市排县", "--level town（市排乡镇", "排乡镇"])
    {
        assert!(line.contains(what), "{line}");
        assert!(line.contains("写出 3 个文件"), "{line}");
        assert_eq!(line.matches(" s、").count(), 2, "three runs: {line}");
    }
    assert!(
        lines[2].contains("（目标 < 1 s）") && !lines[2].contains("（市排"),
        "{}",
        lines[2]
    );
    // Nothing is left in the data folder but the inputs.
    assert!(!dir.join("county-0").exists());
}
