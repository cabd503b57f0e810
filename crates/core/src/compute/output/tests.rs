//! Tests of `output`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::catalog::Catalog;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn display_strings() {
    let c = Catalog::builtin().unwrap();
    let f = |id: &str, v: &str| format_value(c.get(id).unwrap(), Some(dec(v)));
    assert_eq!(f("loan_household_rate", "0.2441"), "24.41%");
    assert_eq!(f("project_start_rate", "0.98805"), "98.81%");
    assert_eq!(f("project_start_rate", "0.988"), "98.80%");
    assert_eq!(f("project_start_rate", "1"), "100.00%");
    assert_eq!(f("assisted_share", "1"), "100.0%");
    assert_eq!(f("assisted_share", "0.993"), "99.3%");
    assert_eq!(f("employment_target_completion", "1.0738"), "107.38%");
    assert_eq!(f("per_capita_income", "10409"), "10409");
    assert_eq!(f("per_capita_income", "10408.5"), "10409");
    assert_eq!(f("tuopin_households", "7232"), "7232");
    assert_eq!(f("funds_allocated", "1234.5"), "1234.50");
    assert_eq!(f("loan_household_rate", "0"), "0.00%");
    assert_eq!(format_value(c.get("tuopin_households").unwrap(), None), "—");
}

#[test]
fn change_words() {
    let c = Catalog::builtin().unwrap();
    let f = |id: &str, v: Option<&str>| format_change(c.get(id).unwrap(), v.map(dec));
    assert_eq!(f("loan_household_rate", Some("1.25")), "提高1.25个百分点");
    assert_eq!(f("loan_household_rate", Some("-0.5")), "下降0.50个百分点");
    assert_eq!(f("assisted_share", Some("0")), "持平");
    assert_eq!(f("employed_persons", Some("12")), "增加12人");
    assert_eq!(f("tuopin_households", Some("-3")), "减少3户");
    assert_eq!(f("started_projects", Some("2")), "增加2个");
    assert_eq!(f("per_capita_income", Some("120")), "增加120元");
    assert_eq!(f("funds_spent", Some("12.5")), "增加12.50万元");
    assert_eq!(f("employed_persons", None), "—");
}

#[test]
fn json_numbers() {
    let j = |s: &str| {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::new(&mut out);
        ser_num(&dec(s), &mut ser).unwrap();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(j("2441"), "2441");
    assert_eq!(j("2441.00"), "2441");
    assert_eq!(j("1.0000"), "1");
    assert_eq!(j("0.2441"), "0.2441");
    assert_eq!(j("0.9881"), "0.9881");
    assert_eq!(j("1.25"), "1.25");
    assert_eq!(j("-0.50"), "-0.5");
    assert_eq!(j("123456789.12"), "123456789.12");
    assert_eq!(j("0.0001"), "0.0001");
}

#[test]
fn fixed_never_negative_zero() {
    assert_eq!(fixed(dec("-0.001"), 2), "0.00");
    assert_eq!(fixed(dec("0.005"), 2), "0.01");
    assert_eq!(fixed(dec("-0.005"), 2), "-0.01");
    assert_eq!(fixed(dec("7"), 0), "7");
}

#[test]
fn csv_fields_that_look_like_formulas_are_quoted_for_spreadsheets() {
    let field = |t: &str| {
        let mut s = String::new();
        super::csv_field(&mut s, t);
        s
    };
    assert_eq!(field("=cmd|' /C calc'!A0村"), "'=cmd|' /C calc'!A0村");
    assert_eq!(field("+1+1村"), "'+1+1村");
    assert_eq!(field("@SUM(1,1)村"), "\"'@SUM(1,1)村\"");
    assert_eq!(field("\t村"), "'\t村");
    assert_eq!(field("-1.25"), "-1.25");
    assert_eq!(field("+3"), "+3");
    assert_eq!(field("-0.50%"), "-0.50%");
    assert_eq!(field("夏邑县"), "夏邑县");
}
