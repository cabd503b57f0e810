//! Tests of `source`.

use super::trim_fast;

#[test]
fn trim_fast_agrees_with_trim() {
    for s in [
        "",
        " ",
        "abc",
        " abc ",
        "夏邑县",
        "夏邑县 ",
        "\u{3000}夏邑县\u{3000}",
        "\u{a0}x",
        "x\u{a0}",
        "\t1\n",
        "城关镇\u{2003}",
        "1 ",
    ] {
        assert_eq!(trim_fast(s), s.trim(), "{s:?}");
    }
}
