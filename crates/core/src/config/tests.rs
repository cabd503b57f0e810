//! Tests of `config`.

use super::*;

#[test]
fn init_template_parses_to_nothing_set() {
    let c = Config::parse(TEMPLATE, "gonggu.toml").unwrap();
    // Placeholders count as not set: no region, office or number of anyone else.
    assert_eq!(c.region.name, None);
    assert!(c.region.order.is_empty());
    assert_eq!(c.document.issuing_office, None);
    assert_eq!(c.document.document_number, None);
    assert_eq!(c.document.printer, None);
    assert!(c.document.recipients.is_empty() && c.document.cc.is_empty());
    assert_eq!(c.monitoring_line, None);
    assert!(c.region_aliases.is_empty());
    // Filled in, the same file configures the county.
    let filled = TEMPLATE
        .replace("（请填写本级地区名称）", "夏邑县")
        .replace(
            "（请填写发文机关）",
            "夏邑县巩固拓展脱贫攻坚成果领导小组办公室",
        );
    let c = Config::parse(&filled, "gonggu.toml").unwrap();
    assert_eq!(c.region.name.as_deref(), Some("夏邑县"));
    assert!(c.document.issuing_office.is_some());
}

#[test]
fn check_settings_reach_the_rule_parameters() {
    let c = Config::parse(
        "monitoring_line = 7300\n[check]\nwage_min = 400\nmin_months_before_elimination = 3\ndisabled = [\"PH01\"]\n",
        "g.toml",
    )
    .unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
    let p = crate::validate::CheckParams::defaults(as_of)
        .unwrap()
        .with_config(&c);
    assert_eq!(p.number("monitoring_line"), Some(Decimal::new(7300, 0)));
    assert_eq!(p.number("wage_min"), Some(Decimal::new(400, 0)));
    assert_eq!(p.number("wage_max"), Some(Decimal::new(30000, 0)));
    assert_eq!(
        p.number("min_months_before_elimination"),
        Some(Decimal::from(3))
    );
    assert_eq!(p.disabled, vec!["PH01".to_string()]);
}

#[test]
fn bad_date_is_named() {
    let e = Config::parse("as_of = \"2021-13-01\"\n", "g.toml").unwrap_err();
    assert!(e.to_string().contains("as_of"), "{e}");
}
