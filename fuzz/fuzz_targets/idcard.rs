//! 证件号码 checks: no panic on any text, and the GB 11643 check character agrees with
//! the full check on numbers built to be valid.
#![no_main]

use arbitrary::Arbitrary;
use chrono::NaiveDate;
use gonggu_core::mask::mask_id;
use gonggu_core::validate::idcard::{IdProblem, check_char, id_number_problem};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    text: &'a str,
    as_of_days: u16,
    region: u32,
    birth_days: u16,
    seq: u16,
    suffix: Option<u16>,
}

fuzz_target!(|input: Input<'_>| {
    let base = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    let as_of = base + chrono::Duration::days(i64::from(input.as_of_days));
    let _ = id_number_problem(input.text, as_of);
    let _ = check_char(input.text);
    let _ = mask_id(input.text);

    // A number built valid: region, a birth date not after as_of, a sequence, the check.
    let birth =
        base + chrono::Duration::days(i64::from(input.birth_days % (input.as_of_days.max(1))));
    let first17 = format!(
        "{:06}{}{:03}",
        input.region % 1_000_000,
        birth.format("%Y%m%d"),
        input.seq % 1000
    );
    if first17.starts_with("999999") {
        return;
    }
    let Some(check) = check_char(&first17) else {
        panic!("no check character for 17 digits {first17}");
    };
    let mut id = format!("{first17}{check}");
    if let Some(s) = input.suffix {
        // A 残疾人证 number: the ID number and two or four more digits.
        id.push_str(&format!("{:02}", s % 100));
    }
    assert_eq!(id_number_problem(&id, as_of), None, "{id} on {as_of}");
    let wrong = if check == '0' { '1' } else { '0' };
    let bad = format!("{first17}{wrong}");
    assert_eq!(
        id_number_problem(&bad, as_of),
        Some(IdProblem::CheckDigit),
        "{bad}"
    );
});
