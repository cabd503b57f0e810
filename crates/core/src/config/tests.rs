//! Tests of `config`.

use super::*;

#[test]
fn init_template_parses() {
    let c = Config::parse(TEMPLATE, "gonggu.toml").unwrap();
    assert_eq!(c.region.name.as_deref(), Some("商丘市"));
    assert_eq!(c.region.order.len(), 10);
    assert_eq!(c.monitoring_line, Some(Decimal::new(7500, 0)));
    assert_eq!(
        c.region_aliases.get("商丘市梁园区").map(String::as_str),
        Some("梁园区")
    );
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
    assert_eq!(p.monitoring_line, Decimal::new(7300, 0));
    assert_eq!(p.wage_min, Decimal::new(400, 0));
    assert_eq!(p.wage_max, Decimal::new(30000, 0));
    assert_eq!(p.min_months_before_elimination, 3);
    assert_eq!(p.disabled, vec!["PH01".to_string()]);
}

#[test]
fn bad_date_is_named() {
    let e = Config::parse("as_of = \"2021-13-01\"\n", "g.toml").unwrap_err();
    assert!(e.to_string().contains("as_of"), "{e}");
}
