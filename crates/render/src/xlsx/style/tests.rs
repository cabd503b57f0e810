//! Tests of `style`.
#![allow(clippy::unwrap_used)]

use super::*;
use gonggu_core::catalog::Catalog;

#[test]
fn number_formats_follow_decimals() {
    let c = Catalog::builtin().unwrap();
    let f = |id: &str| value_format(c.get(id).unwrap());
    assert_eq!(f("loan_household_rate"), "0.00%");
    assert_eq!(f("assisted_share"), "0.0%");
    assert_eq!(f("per_capita_income"), "0");
    assert_eq!(f("tuopin_households"), "0");
    assert_eq!(f("funds_allocated"), "0.00");
    assert_eq!(
        change_format(c.get("loan_household_rate").unwrap()),
        "+0.00;-0.00;0.00"
    );
    assert_eq!(measure_format(Decimal::new(12345, 2)), "0.00");
    assert_eq!(measure_format(Decimal::from(7232)), "0");
}

#[test]
fn chinese_counts_double() {
    assert_eq!(text_width("永城市"), 6.0);
    assert_eq!(text_width("98.81%"), 6.0);
    assert_eq!(text_width("县(市、区)"), 10.0);
    assert_eq!(lines_in("已享受帮扶政策户数占监测户比例", 16.0), 2);
}
