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
        "\u{b}x",
        "x\u{b}",
        "夏邑县\u{3000}",
        "x\u{2029}",
        "x\u{a0}",
        "𠀀",
        "x𠀀",
        "夏邑县\u{85}",
        "2021年",
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

// --- simd-csv against the csv crate -------------------------------------------------------

use super::{CsvRows, Fallback, Prepared, RowBuf, RowSource, Splitter};
use proptest::prelude::*;

/// What a reader gave: per row its number and its non-empty cells, then the error it
/// stopped at, if any.
type Read = (Vec<(u32, Vec<(usize, String)>)>, Option<String>);

/// Reads every row; with `select`, only those columns once the first row is read (as
/// `read_table` does once it has found the header).
fn read_all(mut rows: CsvRows, select: Option<&[usize]>) -> Read {
    let mut row = RowBuf::default();
    let mut out = Vec::new();
    loop {
        match rows.next_row(&mut row) {
            Ok(Some(n)) => {
                let cells = row
                    .cells()
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !c.as_text().is_empty())
                    .map(|(i, c)| (i, c.as_text().to_string()))
                    .collect();
                out.push((n, cells));
                if let Some(columns) = select
                    && row.selected().is_empty()
                {
                    let width = columns.iter().max().map_or(0, |m| m + 1);
                    row.select((0..width).map(|i| columns.contains(&i)).collect());
                    rows.select(&row.selected());
                }
            }
            Ok(None) => return (out, None),
            Err(e) => return (out, Some(e.to_string())),
        }
    }
}

const NAME: &str = "名单.csv";

/// The csv crate alone, as before simd-csv (the reference).
fn by_reference(bytes: &[u8], select: Option<&[usize]>) -> Read {
    let p = Prepared::new(Box::new(std::io::Cursor::new(bytes.to_vec())), NAME).unwrap();
    read_all(
        CsvRows::start(Splitter::reference(p.input), Fallback::Refuse, NAME),
        select,
    )
}

/// simd-csv whatever the first 64 KiB hold, failing where the csv crate might differ.
fn by_simd_only(bytes: &[u8], select: Option<&[usize]>) -> Read {
    let p = Prepared::new(Box::new(std::io::Cursor::new(bytes.to_vec())), NAME).unwrap();
    read_all(
        CsvRows::start(Splitter::fast(p.input), Fallback::Refuse, NAME),
        select,
    )
}

/// A file, as `CsvRows::open` reads it.
fn by_file(bytes: &[u8], select: Option<&[usize]>) -> Read {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(NAME);
    std::fs::write(&p, bytes).unwrap();
    read_all(CsvRows::open(&p, NAME).unwrap(), select)
}

/// Standard input, as `CsvRows::from_reader` reads it.
fn by_stdin(bytes: &[u8], select: Option<&[usize]>) -> Read {
    let input = Box::new(std::io::Cursor::new(bytes.to_vec()));
    read_all(CsvRows::from_reader(input, NAME).unwrap(), select)
}

/// The refusal of a record simd-csv may split otherwise (standard input).
fn refused(read: &Read) -> bool {
    read.1.as_deref().is_some_and(|e| e.contains("引号不成对"))
}

/// Checks every way of reading `bytes` against the csv crate; returns whether simd-csv
/// alone refused it.
fn same_everywhere(bytes: &[u8]) -> bool {
    let mut simd_refused = false;
    for select in [None, Some(&[0, 2][..])] {
        let reference = by_reference(bytes, select);
        let shown = String::from_utf8_lossy(bytes);
        assert_eq!(
            by_file(bytes, select),
            reference,
            "file {shown:?} {select:?}"
        );
        assert_eq!(
            by_stdin(bytes, select),
            reference,
            "stdin {shown:?} {select:?}"
        );
        let simd = by_simd_only(bytes, select);
        if refused(&simd) {
            simd_refused = true;
            // The rows before the refused one are the csv crate's.
            assert!(simd.0.len() <= reference.0.len(), "{shown:?}");
            assert_eq!(simd.0[..], reference.0[..simd.0.len()], "{shown:?}");
        } else {
            assert_eq!(simd, reference, "simd-csv alone {shown:?} {select:?}");
        }
    }
    simd_refused
}

fn gb18030(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

#[test]
fn tricky_csv_reads_as_the_csv_crate_reads_it() {
    let mut corpus: Vec<Vec<u8>> = [
        "县,乡,村\n睢县,白庙乡,刘庄村\n",
        "a,\"b,c\",d\n\"1,2\",3,\"4,5,6\"\n",
        "a,\"say \"\"hi\"\"\",c\n\"\"\"\",\"\"\"\"\"\",\"\"\n",
        "a,\"line1\nline2\",c\r\n\"x\r\ny\",z,\"\r\"\n",
        "a,b,c\r\nd,e,f\r\n",
        "a,b,c\r\n\r\nd,e,f\r\n\r\n",
        "a,\"b\"\r\n\n\"c\"\r\n",
        "姓名,年龄,村\n王\"五,5\",刘庄村\n李四,6,刘庄村\n",
        "a,b,c\n\"abc\"def,1,2\n3,4,5\n",
        "a,b,c\n1,\"open quote,2\n3,4,5\n6,7,8\n",
        "a,b,c\n1,\"x\"\"y,2\n3,4,5\n",
        "a,b,c\n1,\"x\"y\",2\n3,4,5\n\"z\"\n",
        "a,b,c\n1,\"\"\"\n2,3,4\n",
        "a,b,c\n1,\",2\n",
        "a,b,c\n1,\"a\"\rX\n2,3,4\n",
        "a,b,c\n1,\"a\"\r,2\n3,4,5\n",
        "a,b\rc,d\re,f",
        "a,b\rc,d\r\ne,f\r",
        "a,b\n\r\rc,d\n\r",
        "a,b\n\n\n\nc,d\n\n",
        "\n\n\r\n",
        "",
        "\u{feff}县,乡\n睢县,白庙乡\n",
        "\u{feff}\u{feff}县,乡\n睢县,白庙乡\n",
        "\u{feff}",
        "a,b,c\n1\n1,2,3,4,5,6\n,,\n",
        "a,b,c\nd,e,f",
        "a,b,c\nd,e,\"f\"",
        "a,b,c\nd,e,\"f",
        " a ,\u{3000}b\u{3000},  c\t\n \u{3000} , \"q\" ,\"  d  \"\n",
        "a,b,c\n\"a\" ,b,c\n",
        "a,b,c\n \"a\",b,c\n",
        "a,b,c\n5\",6,7\n8,9,10\n",
        "\"\n",
        "a\"",
        "\"x,y\"\u{feff}\"\r\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    corpus.push(gb18030(
        "县,乡,村\n睢县,白庙乡,\"刘庄村\"\n虞城县,\"城郊,乡\",x\n",
    ));
    corpus.push(gb18030("县,乡,村\n睢县,白\"庙乡,刘庄村\n虞城县,城郊乡,x\n"));
    // Bytes that are not UTF-8 after the first 64 KiB (decided to be UTF-8).
    let mut late = "县,乡,村\n".repeat(8000).into_bytes();
    late.extend(b"\xff\xfe,ok,\xff\n\"a\"\"b\",x,y\n");
    corpus.push(late);
    let mut refusals = 0;
    for bytes in &corpus {
        refusals += usize::from(same_everywhere(bytes));
    }
    // The malformed ones were caught by the check, not read through by chance.
    assert!(refusals >= 14, "{refusals}");
}

#[test]
fn well_formed_quoting_stays_on_simd_csv() {
    let csv = "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"x\ny\",\"\",\"\"\"\"\n";
    let simd = by_simd_only(csv.as_bytes(), None);
    assert_eq!(simd, by_reference(csv.as_bytes(), None));
    assert!(simd.1.is_none());
    assert_eq!(simd.0[0].1[2].1, "say \"hi\"");
}

/// 10 000 good rows, then `bad`, then 5 000 good rows.
fn late_stray(bad: &str) -> Vec<u8> {
    let mut csv = String::from("县,乡,村,户编号,姓名\n");
    for i in 0..10_000 {
        csv.push_str(&format!("睢县,白庙乡,刘庄村,H{i},张三\n"));
    }
    csv.push_str(bad);
    for i in 0..5_000 {
        csv.push_str(&format!("睢县,白庙乡,李庄村,K{i},李四\n"));
    }
    csv.into_bytes()
}

#[test]
fn a_stray_quote_after_ten_thousand_rows_reads_as_the_csv_crate_reads_it() {
    for bad in [
        "睢县,白庙乡,刘庄村,H10000,王\"五\n",
        "睢县,白庙乡,刘庄村,\"H10000\"x,王五\n",
        "睢县,白庙乡,刘庄村,H10000,王五\r",
    ] {
        let csv = late_stray(bad);
        for select in [None, Some(&[3, 4][..])] {
            let reference = by_reference(&csv, select);
            assert_eq!(reference.0.len(), 15_002, "{bad:?}");
            assert_eq!(by_file(&csv, select), reference, "{bad:?}");
            // Standard input cannot be read again: simd-csv stops at the row, saying so.
            let stdin = by_stdin(&csv, select);
            let e = stdin.1.clone().unwrap_or_default();
            assert!(
                e.contains(NAME) && e.contains("第 10002 行的引号不成对"),
                "{e}"
            );
            assert_eq!(stdin.0[..], reference.0[..10_001]);
        }
        // GB18030 likewise.
        let text = String::from_utf8(csv).unwrap();
        let gb = gb18030(&text);
        assert_eq!(by_file(&gb, None), by_reference(&gb, None), "{bad:?}");
    }
    // Simd-csv alone would have swallowed the rows after the stray quote into one field.
    let csv = late_stray("睢县,白庙乡,刘庄村,H10000,王\"五\n");
    let mut rows = simd_csv::ZeroCopyReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&csv[..]);
    let mut n = 0;
    while let Ok(Some(_)) = rows.read_byte_record() {
        n += 1;
    }
    assert!(n < 15_002, "{n}");
}

/// A field: plain text, or quoted text holding anything.
fn well_formed_field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c 王\u{3000}\t]{0,4}",
        "[a-c王,\"\r\n ]{0,5}".prop_map(|s| format!("\"{}\"", s.replace('"', "\"\""))),
    ]
}

fn well_formed_csv() -> impl Strategy<Value = String> {
    let record = proptest::collection::vec(well_formed_field(), 1..5);
    let line = (record, prop_oneof!["\n", "\r\n", "\n\n"]);
    (proptest::collection::vec(line, 0..6), any::<bool>()).prop_map(|(lines, last_ended)| {
        let mut s = String::new();
        let n = lines.len();
        for (i, (fields, end)) in lines.into_iter().enumerate() {
            s.push_str(&fields.join(","));
            if i + 1 < n || last_ended {
                s.push_str(&end);
            }
        }
        s
    })
}

/// Anything made of the bytes that matter to CSV.
fn any_csv() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a"),
        Just("王"),
        Just(" "),
        Just("\u{3000}"),
        Just(","),
        Just("\""),
        Just("\"\""),
        Just("\n"),
        Just("\r"),
        Just("\r\n"),
        Just("\"x,y\""),
        Just("\u{feff}"),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn well_formed_csv_reads_alike_and_stays_on_simd_csv(csv in well_formed_csv()) {
        let reference = by_reference(csv.as_bytes(), None);
        prop_assert_eq!(&by_simd_only(csv.as_bytes(), None), &reference);
        prop_assert_eq!(&by_file(csv.as_bytes(), None), &reference);
        prop_assert_eq!(&by_stdin(csv.as_bytes(), None), &reference);
    }

    #[test]
    fn any_csv_reads_as_the_csv_crate_reads_it(csv in any_csv()) {
        same_everywhere(csv.as_bytes());
    }
}

proptest! {
    /// Any text, CJK and every kind of white space included, trims as `str::trim` trims it.
    #[test]
    fn trim_fast_is_trim(s in "[ \\t\\n\\r\\x0B\\x0C\\u{85}\\u{a0}\\u{3000}\\u{2003}\\u{2029}a1年县𠀀]{0,6}") {
        prop_assert_eq!(trim_fast(&s), s.trim());
    }
}
