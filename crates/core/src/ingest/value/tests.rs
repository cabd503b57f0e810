//! Tests of `value`.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn dates_in_every_written_form() {
    for (text, want) in [
        ("2023-06-30", d(2023, 6, 30)),
        ("2023/6/30", d(2023, 6, 30)),
        ("2023年6月30日", d(2023, 6, 30)),
        ("2023年06月", d(2023, 6, 30)),
        ("202306", d(2023, 6, 30)),
        ("20230630", d(2023, 6, 30)),
        ("2023.06", d(2023, 6, 30)),
        ("2024.02", d(2024, 2, 29)),
        ("2023-06-30 00:00:00", d(2023, 6, 30)),
        ("2021年3月5号", d(2021, 3, 5)),
        ("2021.3.5", d(2021, 3, 5)),
        ("21.3.5", d(2021, 3, 5)),
        ("21年3月", d(2021, 3, 31)),
        ("2021/03/05", d(2021, 3, 5)),
    ] {
        assert_eq!(parse_date_text(text), Ok(Some(want)), "{text}");
    }
    for bad in [
        "2023-02-30",
        "abc",
        "30/06/2023",
        "2023年",
        "1234567",
        "5.3.2021",
        "123.4.5",
        "2021.3.555",
    ] {
        assert!(parse_date_text(bad).is_err(), "{bad}");
    }
}

#[test]
fn numbers_in_date_columns() {
    let num = |v: f64| RawCell {
        kind: CellKind::Number,
        text: String::new(),
        number: v,
    };
    assert_eq!(parse_date(&num(202306.0)), Ok(Some(d(2023, 6, 30))));
    assert_eq!(parse_date(&num(20230615.0)), Ok(Some(d(2023, 6, 15))));
    assert_eq!(parse_date(&num(45107.0)), Ok(Some(d(2023, 6, 30))));
    assert_eq!(parse_date(&num(44530.0)), Ok(Some(d(2021, 11, 30))));
}

#[test]
fn excel_serial_epoch() {
    assert_eq!(date_from_serial(1.0), Some(d(1900, 1, 1)));
    assert_eq!(date_from_serial(61.0), Some(d(1900, 3, 1)));
    assert_eq!(date_from_serial(0.0), None);
}

#[test]
fn booleans_and_numbers() {
    assert_eq!(parse_bool_text("√"), Ok(Some(true)));
    assert_eq!(parse_bool_text("N"), Ok(Some(false)));
    assert!(parse_bool_text("也许").is_err());
    assert_eq!(parse_decimal_text("1,234"), Ok(Some(Decimal::new(1234, 0))));
    assert_eq!(parse_decimal_text("-5"), Ok(Some(Decimal::new(-5, 0))));
    assert!(parse_decimal_text("N/A").is_err());
    assert_eq!(decimal_from_f64(0.1), Some(Decimal::new(1, 1)));
    assert_eq!(decimal_from_f64(12.35), Some(Decimal::new(1235, 2)));
}
