//! Tests of `titles`.

use super::*;

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

#[test]
fn dates_after_a_wording() {
    for (text, want) in [
        ("：2021年11月30日", d(2021, 11, 30)),
        ("2021年11月30号）", d(2021, 11, 30)),
        (" 2021-12-01 09:30:00    数据截至", d(2021, 12, 1)),
        ("2021/11/30", d(2021, 11, 30)),
        ("20211130", d(2021, 11, 30)),
        ("2021年11月", d(2021, 11, 30)),
        ("为2021.11.30，单位：户", d(2021, 11, 30)),
    ] {
        assert_eq!(date_at_start(text), want, "{text}");
    }
    for text in ["", "：", "本月", "2021年", "12345"] {
        assert_eq!(date_at_start(text), None, "{text}");
    }
}
