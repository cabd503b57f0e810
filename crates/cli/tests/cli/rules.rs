//! Rules as data (issue 18): a county changes a built-in condition or adds its own rule in a
//! TOML file named by gonggu.toml, and `gonggu check` and `gonggu rules` follow it; a
//! malformed rule is a Chinese error naming the file, the rule and the position.

use super::*;

/// A folder with a small roster (as of 2024-06-30) and a gonggu.toml naming `本县规则.toml`.
/// Persons: 62 岁 普通劳动力 (LB03 fires at 60, not at 65), 40 岁 健康 普通劳动力, 17 岁 初中.
fn county(rules: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        (
            "H1",
            id("19620101", 11),
            "户主",
            "健康",
            "普通劳动力",
            "非在校生",
        ),
        (
            "H1",
            id("19840101", 21),
            "之子",
            "健康",
            "普通劳动力",
            "非在校生",
        ),
        ("H2", id("20070101", 31), "户主", "健康", "无劳动力", "初中"),
    ];
    let mut text = String::from(
        "县,乡,村,户编号,证件号码,与户主关系,户类型,健康状况,劳动技能,在校生状况,出生日期\n",
    );
    for (h, id, rel, health, labor, school) in rows {
        let birth = &id[6..14];
        text.push_str(&format!(
            "夏邑县,城关镇,东关村,{h},{id},{rel},脱贫户,{health},{labor},{school},{birth}\n"
        ));
    }
    std::fs::write(dir.path().join("名单.csv"), text).unwrap();
    std::fs::write(
        dir.path().join("gonggu.toml"),
        "as_of = \"2024-06-30\"\n[check]\nrules = \"本县规则.toml\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("本县规则.toml"), rules).unwrap();
    dir
}

fn check(dir: &Path) -> Output {
    run(gonggu()
        .current_dir(dir)
        .args(["check", "名单.csv", "--config", "gonggu.toml"]))
}

#[test]
fn the_built_in_rules_fire_without_a_county_file() {
    let dir = county("");
    let o = check(dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("LB03 60岁及以上为普通或技能劳动力（提示）：1 条"),
        "{out}"
    );
}

#[test]
fn a_county_file_changes_a_built_in_condition_and_the_findings_follow() {
    // The same code replaces the built-in LB03: 65 instead of 60, with the age a parameter.
    let dir = county(
        "[params]\nold_age = 65\n\n[[rule]]\ncode = \"LB03\"\nseverity = \"警告\"\nscope = \"person\"\n\
         title = \"65岁及以上为普通或技能劳动力\"\ndetail = \"本县口径：65周岁及以上\"\n\
         when = \"年龄 >= old_age and 劳动技能 in ['普通劳动力', '技能劳动力']\"\n\
         message = \"{年龄} 岁，劳动技能为{劳动技能}\"\nvalues = [\"年龄\", \"劳动技能\"]\n",
    );
    let o = check(dir.path());
    let out = stdout(&o);
    assert!(!out.contains("LB03"), "{out}");
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    // gonggu.toml's [check.params] wins over the county file's default: back to firing.
    std::fs::write(
        dir.path().join("gonggu.toml"),
        "as_of = \"2024-06-30\"\n[check]\nrules = \"本县规则.toml\"\n[check.params]\nold_age = 62\n",
    )
    .unwrap();
    let out = stdout(&check(dir.path()));
    assert!(
        out.contains("LB03 65岁及以上为普通或技能劳动力（警告）：1 条"),
        "{out}"
    );
    let listed = stdout(&run(gonggu().current_dir(dir.path()).args([
        "rules",
        "--config",
        "gonggu.toml",
    ])));
    // The replaced rule is counted once, as the county's.
    let empty = tempfile::tempdir().unwrap();
    let builtin = stdout(&run(gonggu().current_dir(empty.path()).arg("rules")));
    let n: usize = builtin
        .split_once("（内置 ")
        .and_then(|(_, rest)| rest.split_once(' '))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or(0);
    assert!(n >= 150, "{builtin}");
    let want = format!("共 {n} 条核查规则（内置 {} 条，本县规则文件 1 条）", n - 1);
    assert!(listed.contains(&want), "{want}\n{listed}");
    assert!(
        listed.contains("来自：") && listed.contains("本县规则.toml"),
        "{listed}"
    );
}

#[test]
fn a_county_rule_fires_end_to_end_into_the_check_list() {
    let dir = county(
        "[[rule]]\ncode = \"XY01\"\nseverity = \"提示\"\nscope = \"person\"\n\
         title = \"16–17岁仍在读初中\"\ndetail = \"本县自定：16–17周岁、在校生状况为初中\"\n\
         when = \"between(年龄, 16, 17) and 在校生状况 == '初中'\"\n\
         message = \"{年龄} 岁，仍在读{在校生状况}\"\nvalues = [\"年龄\", \"在校生状况\"]\n",
    );
    let o = run(gonggu().current_dir(dir.path()).args([
        "check",
        "名单.csv",
        "--config",
        "gonggu.toml",
        "--out",
        "核查清单.xlsx",
    ]));
    let out = stdout(&o);
    assert!(
        out.contains("XY01 16–17岁仍在读初中（提示）：1 条"),
        "{out}{}",
        stderr(&o)
    );
    let book = xlsx_text(&dir.path().join("核查清单.xlsx"));
    assert!(
        book.contains("XY01") && book.contains("17 岁，仍在读初中"),
        "{book}"
    );
    // The ID number of that person is in the list only masked.
    assert!(!book.contains(&id("20070101", 31)));
}

#[test]
fn a_malformed_rule_names_the_file_the_rule_and_the_position() {
    let cases = [
        // Unknown field: position of the name.
        (
            "年龄 >= 16 and 劳力 == '无劳动力'",
            "第 14 个字符",
            "「劳力」不是人员表的字段",
        ),
        // A word not in the vocabulary.
        (
            "劳动技能 == '无劳力'",
            "第 9 个字符",
            "「无劳力」不是劳动技能的取值",
        ),
        // Syntax: a single =.
        ("年龄 = 16", "第 4 个字符", "比较相等请写 =="),
        // Types.
        ("年龄 and 在校", "第 1 个字符", "条件应为是/否，这里是数值"),
    ];
    for (when, at, what) in cases {
        let dir = county(&format!(
            "[[rule]]\ncode = \"XY02\"\nseverity = \"提示\"\nscope = \"person\"\ntitle = \"t\"\n\
             detail = \"d\"\nwhen = \"{when}\"\nmessage = \"m\"\n"
        ));
        let o = check(dir.path());
        assert_eq!(o.status.code(), Some(2), "{when}: {}", stdout(&o));
        let err = stderr(&o);
        for part in ["本县规则.toml", "规则 XY02", "条件（when）", at, what] {
            assert!(err.contains(part), "{when}: missing {part} in {err}");
        }
        // `gonggu rules` refuses the file the same way.
        let o = run(gonggu()
            .current_dir(dir.path())
            .args(["rules", "--config", "gonggu.toml"]));
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("规则 XY02"), "{}", stderr(&o));
    }
}
