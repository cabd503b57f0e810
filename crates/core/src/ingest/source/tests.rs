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

fn read_csv(bytes: &[u8]) -> crate::error::Result<crate::model::Dataset> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("名单.csv");
    std::fs::write(&p, bytes).unwrap();
    crate::ingest::read_inputs(&[p], &crate::ingest::ReadOptions::default())
}

const CSV_HEADER: &str = "县,乡,村,户编号,证件号码,户类型,姓名\n";

#[test]
fn a_line_without_end_is_refused_not_held() {
    let mut csv = CSV_HEADER.as_bytes().to_vec();
    csv.extend(std::iter::repeat_n(b'x', 3 << 20));
    let e = read_csv(&csv).unwrap_err().to_string();
    assert!(
        e.contains("名单.csv") && e.contains("第 2 行超过 1 MB"),
        "{e}"
    );
}

#[test]
fn a_row_of_twenty_thousand_columns_is_refused() {
    let mut csv = CSV_HEADER.to_string();
    csv.push_str(&"a,".repeat(20_000));
    csv.push('\n');
    let e = read_csv(csv.as_bytes()).unwrap_err().to_string();
    assert!(
        e.contains("名单.csv") && e.contains("第 2 行") && e.contains("20001 列"),
        "{e}"
    );
}

#[test]
fn long_rows_hand_batches_over_early_and_all_rows_arrive() {
    // 3000 rows of about 3 KB: more than one batch by bytes, fewer by count.
    let mut csv = CSV_HEADER.to_string();
    let name = "王".repeat(1000);
    for i in 0..3000 {
        csv.push_str(&format!(
            "睢县,白庙乡,刘庄村,H{i},11010519491231002X,脱贫户,{name}\n"
        ));
    }
    let ds = read_csv(csv.as_bytes()).unwrap();
    assert_eq!(ds.roster.households.len(), 3000);
}
