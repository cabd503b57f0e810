//! Tests of `catalog`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn err_of(text: &str) -> String {
    Catalog::from_toml(text, "自定义.toml")
        .unwrap_err()
        .to_string()
}

#[test]
fn builtin_has_spec_indicators_with_decimals() {
    let c = Catalog::builtin().unwrap();
    let expected = [
        ("loan_household_rate", 2),
        ("project_start_rate", 2),
        ("project_completion_rate", 2),
        ("assisted_share", 1),
        ("elimination_rate", 1),
        ("fund_spend_progress", 2),
        ("industry_fund_share", 1),
        ("certificate_rate", 1),
        ("employment_rate", 1),
        ("employment_target_completion", 2),
        ("per_capita_income", 0),
    ];
    for (id, dp) in expected {
        let ind = c.get(id).unwrap_or_else(|| panic!("缺少 {id}"));
        assert_eq!(ind.decimals, dp, "{id}");
        assert_eq!(ind.direction, Direction::HigherBetter, "{id}");
        assert!(!ind.generated);
    }
    let lhr = c.get("loan_household_rate").unwrap();
    assert_eq!(lhr.name, "总贷款余额户贷率");
    assert_eq!(lhr.kind, Kind::Ratio);
    assert_eq!(lhr.numerator, "loan_balance_households");
    assert_eq!(lhr.denominator.as_deref(), Some("covered_households"));
    assert_eq!(lhr.unit, "%");
    assert_eq!(c.get("fund_spend_progress").unwrap().kind, Kind::Progress);
    let pci = c.get("per_capita_income").unwrap();
    assert_eq!(pci.kind, Kind::PerCapita);
    assert_eq!(pci.unit, "元");
    assert_eq!(c.origin, "内置指标目录");
}

#[test]
fn builtin_targets() {
    let c = Catalog::builtin().unwrap();
    let params = c.param_defaults();
    let as_of = date(2023, 12, 11);
    let t = |id: &str| {
        let spec = c.get(id).unwrap().target.clone().unwrap();
        (spec.comparison, spec.resolve(as_of, &params).unwrap())
    };
    assert_eq!(t("project_start_rate"), (Comparison::AtLeast, dec("1")));
    assert_eq!(t("assisted_share"), (Comparison::AtLeast, dec("1")));
    assert_eq!(t("industry_fund_share"), (Comparison::AtLeast, dec("0.6")));
    assert_eq!(t("certificate_rate"), (Comparison::AtLeast, dec("0.4")));
    assert_eq!(
        t("employment_target_completion"),
        (Comparison::AtLeast, dec("1"))
    );
    assert_eq!(t("per_capita_income"), (Comparison::Above, dec("7500")));
    assert_eq!(t("fund_spend_progress"), (Comparison::AtLeast, dec("0.75")));
    for id in [
        "loan_household_rate",
        "project_completion_rate",
        "elimination_rate",
        "employment_rate",
    ] {
        assert!(c.get(id).unwrap().target.is_none(), "{id}");
    }
    // The monitoring line is a parameter: a run may change it.
    let mut p = params.clone();
    p.insert("monitoring_line".into(), dec("7800"));
    let spec = c.get("per_capita_income").unwrap().target.clone().unwrap();
    assert_eq!(spec.resolve(as_of, &p), Some(dec("7800")));
    assert_eq!(spec.resolve(as_of, &BTreeMap::new()), None);
}

#[test]
fn fund_schedule_by_as_of_date() {
    let c = Catalog::builtin().unwrap();
    let spec = c
        .get("fund_spend_progress")
        .unwrap()
        .target
        .clone()
        .unwrap();
    let none = BTreeMap::new();
    let r = |m, d| spec.resolve(date(2023, m, d), &none).unwrap();
    assert_eq!(r(1, 31), dec("1") / dec("12"));
    assert_eq!(r(5, 31), dec("5") / dec("12"));
    assert_eq!(r(6, 29), dec("0.5")); // 6/12 elapsed
    assert_eq!(r(6, 30), dec("0.5"));
    assert_eq!(r(9, 29), dec("0.5"));
    assert_eq!(r(9, 30), dec("0.75"));
    assert_eq!(r(12, 30), dec("0.75"));
    assert_eq!(r(12, 31), dec("1"));
    // 2 of 12 months elapsed in February, not 0.
    assert_eq!(r(2, 28).round_dp(4), dec("0.1667"));
}

#[test]
fn every_measure_is_a_count_indicator() {
    let c = Catalog::builtin().unwrap();
    for m in measures::MEASURES {
        let ind = c.get(m.id).unwrap_or_else(|| panic!("缺少 {}", m.id));
        assert_eq!(ind.name, m.name);
        assert_eq!(ind.kind, Kind::Count);
        assert_eq!(ind.direction, Direction::NotRanked);
        assert!(ind.generated);
        let dp = if m.unit == "万元" { 2 } else { 0 };
        assert_eq!(ind.decimals, dp, "{}", m.id);
    }
    assert_eq!(c.get("funds_allocated").unwrap().decimals, 2);
    assert_eq!(c.get("tuopin_households").unwrap().unit, "户");
}

#[test]
fn toml_can_redefine_a_measure_indicator() {
    let text = r#"
[[indicator]]
id = "below_line_unmonitored_households"
direction = "lower"
target = { max = 0 }
"#;
    let c = Catalog::from_toml(text, "x.toml").unwrap();
    let ind = c.get("below_line_unmonitored_households").unwrap();
    assert_eq!(ind.name, "疑似应纳未纳户数");
    assert_eq!(ind.kind, Kind::Count);
    assert_eq!(ind.direction, Direction::LowerBetter);
    assert!(!ind.generated);
    assert_eq!(
        c.indicators
            .iter()
            .filter(|i| i.id == "below_line_unmonitored_households")
            .count(),
        1
    );
}

#[test]
fn user_adds_ratio_indicator_in_toml_only() {
    let extra = r#"
[[indicator]]
id = "welfare_post_share"
name = "公益性岗位安置占劳动力比例"
kind = "ratio"
numerator = "welfare_post_persons"
denominator = "劳动力人数"
decimals = 1
direction = "higher"
target = { min = "5%" }

[selection]
notice = ["assisted_share", "welfare_post_share"]
"#;
    let base = Catalog::builtin().unwrap();
    let c = base.overlay_toml(extra, "我的目录.toml").unwrap();
    let ind = c.get("welfare_post_share").unwrap();
    assert_eq!(ind.name, "公益性岗位安置占劳动力比例");
    assert_eq!(ind.denominator.as_deref(), Some("labor_persons"));
    assert_eq!(ind.formula, "公益性岗位安置人数 ÷ 劳动力人数 × 100%");
    assert_eq!(ind.source, "人员表");
    let spec = ind.target.clone().unwrap();
    assert_eq!(spec.comparison, Comparison::AtLeast);
    assert_eq!(spec.threshold, Threshold::Fixed(dec("0.05")));
    assert_eq!(
        c.selection(ReportKind::Notice),
        vec!["assisted_share", "welfare_post_share"]
    );
    // Untouched parts of the base remain.
    assert_eq!(
        c.selection(ReportKind::Brief),
        base.selection(ReportKind::Brief)
    );
    assert!(c.get("per_capita_income").is_some());
    assert_eq!(c.indicators.len(), base.indicators.len() + 1);
    // The same entry in a standalone file works too.
    let alone = Catalog::from_toml(extra.split("[selection]").next().unwrap(), "a.toml").unwrap();
    assert_eq!(
        alone.selection(ReportKind::Notice),
        vec!["welfare_post_share"]
    );
}

#[test]
fn overlay_replaces_same_id() {
    let base = Catalog::builtin().unwrap();
    let c = base
        .overlay_toml(
            r#"
[[indicator]]
id = "certificate_rate"
name = "技能证书持证率"
kind = "ratio"
numerator = "certified_persons"
denominator = "labor_persons"
decimals = 2
target = { min = 0.45 }
"#,
            "新.toml",
        )
        .unwrap();
    let ind = c.get("certificate_rate").unwrap();
    assert_eq!(ind.name, "技能证书持证率");
    assert_eq!(ind.decimals, 2);
    assert_eq!(c.indicators.len(), base.indicators.len());
    // Position kept.
    let pos = |cat: &Catalog| {
        cat.indicators
            .iter()
            .position(|i| i.id == "certificate_rate")
    };
    assert_eq!(pos(&c), pos(&base));
}

#[test]
fn selection_defaults() {
    let c = Catalog::builtin().unwrap();
    let notice = c.selection(ReportKind::Notice);
    assert_eq!(notice.len(), 11);
    assert_eq!(
        notice.first().map(String::as_str),
        Some("loan_household_rate")
    );
    // compute: every indicator and every measure the inputs support.
    assert_eq!(c.selection(ReportKind::Compute), [ALL]);
    for r in [
        ReportKind::Notice,
        ReportKind::Brief,
        ReportKind::Evaluate,
        ReportKind::Basics,
    ] {
        assert!(!c.selection(r).is_empty(), "{r:?}");
        for id in c.selection(r) {
            assert!(c.get(&id).is_some(), "{r:?}: {id}");
        }
    }
    let bare = Catalog::from_toml(
        "[[indicator]]\nid = \"a\"\nname = \"甲\"\nnumerator = \"tuopin_households\"\n",
        "b.toml",
    )
    .unwrap();
    assert_eq!(bare.selection(ReportKind::Notice), vec!["a"]);
    // Without its own list, no 基本情况.
    assert!(bare.selection(ReportKind::Basics).is_empty());
}

#[test]
fn error_unknown_measure_names_file_and_entry() {
    let e = err_of(
        "[[indicator]]\nid = \"x_rate\"\nname = \"某率\"\nkind = \"ratio\"\nnumerator = \"foo\"\ndenominator = \"labor_persons\"\n",
    );
    assert!(e.starts_with("指标目录错误：自定义.toml："), "{e}");
    assert!(e.contains("指标「x_rate」"), "{e}");
    assert!(e.contains("分子「foo」不是已知的度量"), "{e}");
    let e = err_of(
        "[[indicator]]\nid = \"x_rate\"\nname = \"某率\"\nkind = \"ratio\"\nnumerator = \"labor_persons\"\ndenominator = \"bar\"\n",
    );
    assert!(e.contains("分母「bar」"), "{e}");
}

#[test]
fn error_duplicate_id() {
    let one = "[[indicator]]\nid = \"dup\"\nname = \"甲\"\nnumerator = \"tuopin_households\"\n";
    let e = err_of(&format!("{one}{one}"));
    assert!(
        e.contains("指标编号「dup」重复定义（第 2 个 [[indicator]]）"),
        "{e}"
    );
}

#[test]
fn error_bad_kind_direction_and_missing_denominator() {
    let base = "[[indicator]]\nid = \"r\"\nname = \"率\"\nnumerator = \"eliminated_households\"\n";
    let e = err_of(&format!(
        "{base}kind = \"rate\"\ndenominator = \"monitored_households\"\n"
    ));
    assert!(e.contains("类型 kind「rate」无效"), "{e}");
    let e = err_of(&format!(
        "{base}kind = \"ratio\"\ndenominator = \"monitored_households\"\ndirection = \"up\"\n"
    ));
    assert!(e.contains("排名方向 direction「up」无效"), "{e}");
    let e = err_of(&format!("{base}kind = \"ratio\"\n"));
    assert!(e.contains("比率指标（ratio）必须有分母"), "{e}");
    let e = err_of(&format!(
        "{base}kind = \"count\"\ndenominator = \"monitored_households\"\n"
    ));
    assert!(e.contains("不应有分母"), "{e}");
}

#[test]
fn error_other_mistakes() {
    let base = "[[indicator]]\nid = \"r\"\nname = \"率\"\nkind = \"ratio\"\nnumerator = \"eliminated_households\"\ndenominator = \"monitored_households\"\n";
    assert!(err_of(&format!("{base}denominater = \"x\"\n")).contains("未知的字段「denominater」"));
    assert!(err_of(&format!("{base}decimals = 9\n")).contains("decimals"));
    assert!(
        err_of(&format!("{base}target = {{ least = 1 }}\n")).contains("未知的目标写法「least」")
    );
    assert!(err_of(&format!("{base}target = {{ min = \"abc\" }}\n")).contains("「min」应为数值"));
    assert!(
        err_of(&format!("{base}target = {{ above_param = \"line\" }}\n"))
            .contains("未声明的参数「line」")
    );
    assert!(
        err_of(&format!(
            "{base}target = {{ schedule = [{{ from = \"13-01\", min = 1 }}] }}\n"
        ))
        .contains("不是有效的月-日")
    );
    assert!(
        err_of("[selection]\nnotice = [\"nope\"]\n")
            .contains("「notice」中的指标「nope」不在指标目录中")
    );
    assert!(
        err_of("[[indicator]]\nname = \"无编号\"\n").contains("第 1 个 [[indicator]] 缺少指标编号")
    );
    assert!(err_of("this is = not toml =").contains("不是有效的 TOML"));
    assert!(err_of("[indicators]\n").contains("未知的顶层项「indicators」"));
}

#[test]
fn target_syntax_variants() {
    let base = "[[indicator]]\nid = \"r\"\nname = \"率\"\nkind = \"ratio\"\nnumerator = \"overdue_households\"\ndenominator = \"loan_balance_households\"\n";
    let spec = |t: &str| {
        Catalog::from_toml(
            &format!("[params]\nline = 3\n{base}target = {t}\n"),
            "t.toml",
        )
        .unwrap()
        .get("r")
        .unwrap()
        .target
        .clone()
        .unwrap()
    };
    assert_eq!(spec("{ below = 0.02 }").comparison, Comparison::Below);
    assert_eq!(
        spec("{ max = \"2.5%\" }").threshold,
        Threshold::Fixed(dec("0.025"))
    );
    assert_eq!(
        spec("{ max_param = \"line\" }").threshold,
        Threshold::Param("line".into())
    );
    let s = spec(
        "{ schedule = [{ from = \"12-31\", max = 0.01 }, { from = \"06-30\", max = 0.02 }], before = 0.05 }",
    );
    assert_eq!(s.comparison, Comparison::AtMost);
    let none = BTreeMap::new();
    assert_eq!(s.resolve(date(2023, 3, 31), &none), Some(dec("0.05")));
    assert_eq!(s.resolve(date(2023, 7, 31), &none), Some(dec("0.02")));
    assert_eq!(s.resolve(date(2023, 12, 31), &none), Some(dec("0.01")));
    let s = spec("{ schedule = [{ from = \"06-30\", min = 0.5 }] }");
    assert_eq!(s.resolve(date(2023, 3, 31), &none), None);
}

#[test]
fn describe_targets() {
    let c = Catalog::builtin().unwrap();
    let d = |id: &str| {
        let ind = c.get(id).unwrap();
        ind.target.as_ref().unwrap().describe(ind, &c.params)
    };
    assert_eq!(d("industry_fund_share"), "≥60%");
    assert_eq!(d("per_capita_income"), ">防返贫监测收入标准（默认7500元）");
    assert_eq!(
        d("fund_spend_progress"),
        "≥时序进度（截止月份÷12）；6月30日起≥50%；9月30日起≥75%；12月31日起≥100%"
    );
}

#[test]
fn rounding_and_value_of() {
    let c = Catalog::builtin().unwrap();
    let psr = c.get("project_start_rate").unwrap();
    assert_eq!(psr.value_scale(), 4);
    assert_eq!(psr.round(dec("0.98805")), dec("0.9881"));
    assert_eq!(psr.round(dec("0.98804999")), dec("0.9880"));
    assert_eq!(
        psr.value_of(dec("83"), Some(dec("84"))),
        Some(dec("0.9881"))
    );
    assert_eq!(psr.value_of(dec("0"), Some(dec("0"))), None);
    assert_eq!(psr.value_of(dec("3"), None), None);
    let pci = c.get("per_capita_income").unwrap();
    assert_eq!(
        pci.value_of(dec("20819"), Some(dec("2"))),
        Some(dec("10410"))
    );
    let cnt = c.get("funds_allocated").unwrap();
    assert_eq!(cnt.value_of(dec("12.345"), None), Some(dec("12.35")));
}
