//! Cell value parsing (`ingest::value`) and header normalisation on any text and any
//! float: no panic, and what parses round-trips.
#![no_main]

use arbitrary::Arbitrary;
use chrono::Datelike;
use gonggu_core::ingest::normalize_header;
use gonggu_core::ingest::value::{
    date_from_serial, decimal_from_f64, parse_bool_text, parse_date_text, parse_decimal_text,
};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    text: &'a str,
    float: f64,
}

fuzz_target!(|input: Input<'_>| {
    let t = input.text;
    let _ = parse_bool_text(t);

    if let Ok(Some(d)) = parse_decimal_text(t) {
        assert_eq!(
            parse_decimal_text(&d.to_string()),
            Ok(Some(d)),
            "{t:?} → {d} does not read back"
        );
    }

    if let Ok(Some(d)) = parse_date_text(t) {
        assert!((1900..=2200).contains(&d.year()), "{t:?} → {d}");
        for form in [
            d.format("%Y-%m-%d").to_string(),
            d.format("%Y年%-m月%-d日").to_string(),
        ] {
            assert_eq!(
                parse_date_text(&form),
                Ok(Some(d)),
                "{t:?} → {d} → {form:?}"
            );
        }
    }

    if let Some(d) = date_from_serial(input.float) {
        assert!((1899..=9999).contains(&d.year()), "{} → {d}", input.float);
    }
    if let Some(d) = decimal_from_f64(input.float) {
        assert_eq!(parse_decimal_text(&d.to_string()), Ok(Some(d)));
    }

    let n = normalize_header(t);
    assert_eq!(
        normalize_header(&n),
        n,
        "normalize_header is not idempotent on {t:?}"
    );
});
