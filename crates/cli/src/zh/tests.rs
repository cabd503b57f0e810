//! Tests of `zh`.

use super::*;

#[test]
fn the_command_is_well_formed() {
    command().debug_assert();
}

#[test]
fn errors_are_chinese_with_usage_and_help() {
    let err = |args: &[&str]| {
        let mut all = vec!["gonggu"];
        all.extend_from_slice(args);
        command()
            .try_get_matches_from(all)
            .map(|_| ())
            .map_err(|e| message(&e))
            .unwrap_err()
    };
    let m = err(&["notice", "a.xlsx", "--out", "o"]);
    assert!(m.starts_with("错误：缺少必需的参数：--level <层级>"), "{m}");
    assert!(
        m.contains("用法：gonggu notice") && m.contains("查看帮助：gonggu notice --help"),
        "{m}"
    );
    let m = err(&["notice", "a.xlsx", "--out", "o", "--level", "village"]);
    assert!(m.contains("「village」无效，可选的值：county、town"), "{m}");
    let m = err(&["compute", "a.xlsx", "--level", "town", "--levle"]);
    assert!(m.contains("不认识的参数「--levle」"), "{m}");
    let m = err(&["notcie"]);
    assert!(
        m.contains("没有「notcie」这个命令") && m.contains("notice"),
        "{m}"
    );
    let m = err(&[
        "compute",
        "a.xlsx",
        "--level",
        "town",
        "--as-of",
        "2021-02-30",
    ]);
    assert!(
        m.contains("「2021-02-30」无效：") && m.contains("不是有效日期"),
        "{m}"
    );
}
