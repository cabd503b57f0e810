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

/// A CSV row lends its batch to the row it is read into; a read into another row would skip
/// the rest of the batch, so it is refused rather than done.
#[test]
fn a_lent_batch_must_come_back() {
    use super::{CsvRows, RowBuf, RowSource};
    let text = format!(
        "{CSV_HEADER}睢县,白庙乡,刘庄村,H1,410101199001011234,脱贫户,王五\n睢县,白庙乡,刘庄村,H1,410101199001011250,脱贫户,王六\n"
    );
    let mut rows = CsvRows::from_reader(Box::new(std::io::Cursor::new(text)), "名单.csv").unwrap();
    let mut row = RowBuf::default();
    assert_eq!(rows.next_row(&mut row).unwrap(), Some(1));
    assert_eq!(row.get(0).map(|c| c.as_text()), Some("县"));
    assert_eq!(rows.next_row(&mut row).unwrap(), Some(2));
    assert_eq!(row.get(6).map(|c| c.as_text()), Some("王五"));
    // A snapshot owns its cells; the row keeps the batch.
    let kept = row.snapshot();
    let mut other = RowBuf::default();
    let e = rows.next_row(&mut other).unwrap_err().to_string();
    assert!(e.contains("没有交还"), "{e}");
    assert_eq!(kept.get(6).map(|c| c.as_text()), Some("王五"));
    assert_eq!(rows.next_row(&mut row).unwrap(), Some(3));
    assert_eq!(row.get(6).map(|c| c.as_text()), Some("王六"));
    assert_eq!(rows.next_row(&mut row).unwrap(), None);
}
