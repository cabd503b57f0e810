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

// ---------------------------------------------------------------------------------------
// The direct `.xlsx` sheet reader gives what calamine gives.

mod direct_xlsx {
    use std::io::Write;
    use std::path::Path;

    use proptest::prelude::*;

    use super::super::{CellKind, RawCell, RowBuf, RowSource, XlsxRows, open_xlsx_as};

    const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// Styles: 0 general, 1 a built-in date (14), 2 a custom date, 3 a custom number, 4 a
    /// custom format with a quoted `d`.
    fn styles() -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{NS}" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="0.00_ "/><numFmt numFmtId="166" formatCode="&quot;d&quot;0"/></numFmts><fonts count="1" x14ac:knownFonts="1"><font><sz val="11"/></font></fonts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"><alignment horizontal="center"/></xf><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs><dxfs count="1"><dxf><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></dxf></dxfs><extLst><ext uri="{{x}}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerStyles defaultSlicerStyle="SlicerStyleLight1"/></ext></extLst></styleSheet>"#
        )
    }

    fn shared() -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{NS}" count="6" uniqueCount="6"><si><t>户编号</t></si><si><t xml:space="preserve"> 睢县 </t></si><si><r><rPr><b/><sz val="11"/><rFont val="宋体"/></rPr><t>张</t></r><r><t>三</t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh><phoneticPr fontId="1"/></si><si><t>A&amp;B</t></si><si/><si><t>  </t></si></sst>"#
        )
    }

    fn book(dir: &Path, sheet_data: &str, head: &str) -> std::path::PathBuf {
        let sheet = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{head}{sheet_data}<pageMargins left="0.7"/></worksheet>"#
        );
        let parts = [
            (
                "[Content_Types].xml",
                "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
                    .to_string(),
            ),
            (
                "_rels/.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
            ),
            (
                "xl/workbook.xml",
                format!(r#"<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_string(),
            ),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", shared()),
            ("xl/styles.xml", styles()),
        ];
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in &parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(text.as_bytes()).unwrap();
        }
        let path = dir.join("名单.xlsx");
        std::fs::write(&path, w.finish().unwrap().into_inner()).unwrap();
        path
    }

    /// Rows as read (number and cells), the notes, or the error; and whether the direct
    /// reader read the whole sheet.
    type Read = (Result<(Vec<(u32, Vec<Seen>)>, Vec<String>), String>, bool);

    /// A cell as a command sees it: its kind, its text, and its number when it has one.
    type Seen = (CellKind, String, Option<f64>);

    fn seen(c: &RawCell) -> Seen {
        let number = matches!(c.kind, CellKind::Number | CellKind::Bool | CellKind::Date)
            .then_some(c.number);
        (c.kind, c.as_text().to_string(), number)
    }

    /// Reads sheet 名单; from the second row on, only the columns in `mask` (as a command
    /// does once it found the header).
    fn read(path: &Path, direct: bool, mask: &[bool]) -> Read {
        read_sheet(path, "名单", direct, mask)
    }

    fn read_sheet(path: &Path, sheet: &str, direct: bool, mask: &[bool]) -> Read {
        let mut wb = open_xlsx_as(path, "名单.xlsx", direct).unwrap();
        let mut rows = match XlsxRows::open(&mut wb, sheet, "名单.xlsx", path) {
            Ok(rows) => rows,
            Err(e) => return (Err(e.to_string()), false),
        };
        let mut buf = RowBuf::default();
        let mut out = Vec::new();
        let result = loop {
            match rows.next_row(&mut buf) {
                Ok(Some(r)) => {
                    out.push((r, buf.cells().iter().map(seen).collect()));
                    if out.len() == 1 && !mask.is_empty() {
                        buf.select(mask.to_vec());
                    }
                }
                Ok(None) => break Ok((out, rows.take_notes())),
                Err(e) => break Err(e.to_string()),
            }
        };
        (result, rows.direct.is_some())
    }

    /// Reads both ways and asserts the same result; returns whether the direct reader
    /// read it all.
    fn same(sheet_data: &str, mask: &[bool]) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let path = book(dir.path(), sheet_data, "<dimension ref=\"A1:H9\"/>");
        let (calamine, _) = read(&path, false, mask);
        let (direct, whole) = read(&path, true, mask);
        assert_eq!(direct, calamine, "{sheet_data}");
        whole
    }

    #[test]
    fn what_exporters_and_excel_write_is_read_directly_and_alike() {
        let sheet = r#"<sheetData><row r="1" spans="1:6" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>证件号码</t></is></c><c r="C1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>H1</t></is></c><c r="B2" s="1"><v>44500</v></c><c r="C2" s="2"><v>44501.5</v></c><c r="D2" s="3"><v>-3.25</v></c><c r="E2" s="4"><v>7</v></c><c r="F2" t="b"><v>1</v></c><c r="G2" t="e"><v>#N/A</v></c><c r="H2" t="s"><v>3</v></c></row>
<row r="3"><c r="A3" t="str"><f>A2&amp;"x"</f><v>H1x</v></c><c r="B3"><f>1+1</f></c><c r="C3" t="s"><f t="shared" ref="C3:C4" si="0">A1</f><v>4</v></c><c r="D3" t="inlineStr"><is><r><t>李</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 四 </t></r></is></c><c r="E3" t="s"><v>5</v></c><c r="F3" s="9"><v>12</v></c><c r="G3"><v>4.10123e17</v></c><c r="H3" t="d"><v>2021-11-30T00:00:00</v></c></row>
<row r="5"><c r="C5"><f t="shared" si="0"/></c></row>
<row><c t="inlineStr"><is><t>无 r 的行</t></is></c><c/><c t="n"><v>3</v></c></row>
<row r="8"/><row r="9"><c r="A9" t="inlineStr"><is><t>回车&#13;换行&#10;</t></is></c><c r="B9" s="1"/><c r="C9" t="s"><v></v></c><c r="D9" t="str"><v></v></c><c r="E9"><v/></c></row>
</sheetData>"#;
        assert!(same(sheet, &[]), "read directly throughout");
        assert!(same(
            sheet,
            &[true, false, true, false, false, true, false, true]
        ));
    }

    #[test]
    fn rust_xlsxwriter_books_are_read_directly_and_alike() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("名单.xlsx");
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        let money = Format::new().set_num_format("#,##0.00");
        for constant_memory in [false, true] {
            let ws = if constant_memory {
                wb.add_worksheet_with_constant_memory().unwrap()
            } else {
                wb.add_worksheet()
            };
            ws.set_name(if constant_memory { "流式" } else { "共享" })
                .unwrap();
            for (c, h) in [
                "户编号",
                "姓名",
                "证件号码",
                "识别日期",
                "收入",
                "是否",
                "公式",
            ]
            .iter()
            .enumerate()
            {
                ws.write_string(0, c as u16, *h).unwrap();
            }
            for r in 1..300u32 {
                ws.write_string(r, 0, format!("H{r:06}")).unwrap();
                ws.write_string(
                    r,
                    1,
                    if r % 7 == 0 {
                        " 张 三 "
                    } else {
                        "李四&<王>\"五\"\n"
                    },
                )
                .unwrap();
                ws.write_string(r, 2, format!("41142219{:02}0101{r:04}", 50 + r % 40))
                    .unwrap();
                let d =
                    ExcelDateTime::from_ymd(2021, 1 + (r % 12) as u8, 1 + (r % 28) as u8).unwrap();
                ws.write_datetime_with_format(r, 3, &d, &date).unwrap();
                ws.write_number_with_format(r, 4, f64::from(r) * 1234.5, &money)
                    .unwrap();
                ws.write_boolean(r, 5, r % 2 == 0).unwrap();
                ws.write_formula(r, 6, Formula::new("=E2*2").set_result("42"))
                    .unwrap();
            }
        }
        wb.save(&path).unwrap();
        for sheet in ["共享", "流式"] {
            for mask in [vec![], vec![true, false, true, true, false, true, true]] {
                let (calamine, _) = read_sheet(&path, sheet, false, &mask);
                let (direct, whole) = read_sheet(&path, sheet, true, &mask);
                assert!(whole, "{sheet}: read directly throughout");
                assert_eq!(direct, calamine, "{sheet}");
                let rows = direct.unwrap().0;
                assert_eq!(rows.len(), 300, "{sheet}");
                assert!(
                    rows.iter()
                        .any(|(_, cells)| cells.get(3).is_some_and(|c| c.0 == CellKind::Date))
                );
            }
        }
    }

    #[test]
    fn number_formats_make_dates_as_calamine_decides() {
        use rust_xlsxwriter::{Format, Workbook};
        let codes = [
            "yyyy/m/d",
            "yyyy\"年\"m\"月\"",
            "[$-804]aaaa",
            "[h]:mm:ss",
            "[mm]:ss",
            "h:mm AM/PM",
            "0.00",
            "#,##0",
            "0%",
            "@",
            "\"d\"0",
            "0;\"yyyy\"",
            "[Red]0.0",
            "_(* #,##0_)",
            "mm:ss.0",
            "d-mmm",
            "General",
            "0.00E+00",
            "[$-F800]dddd, mmmm dd, yyyy",
            "hh\"时\"",
            "[<=9999999]###-####;(###) ###-####",
            "a/p",
            "AM",
            "\\d0",
            "*d0",
            "_d0",
            "[s]",
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("名单.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("名单").unwrap();
        for (c, code) in codes.iter().enumerate() {
            let f = Format::new().set_num_format(*code);
            ws.write_number_with_format(0, c as u16, 44500.25, &f)
                .unwrap();
        }
        for (c, id) in [
            14u16, 22, 27, 36, 45, 46, 47, 50, 58, 1, 2, 9, 37, 44, 48, 49,
        ]
        .iter()
        .enumerate()
        {
            let f = Format::new().set_num_format_index(*id as u8);
            ws.write_number_with_format(1, c as u16, 44500.25, &f)
                .unwrap();
        }
        wb.save(&path).unwrap();
        let (calamine, _) = read(&path, false, &[]);
        let (direct, whole) = read(&path, true, &[]);
        assert!(whole);
        assert_eq!(direct, calamine);
        let rows = direct.unwrap().0;
        let kinds =
            |r: usize| -> Vec<bool> { rows[r].1.iter().map(|c| c.0 == CellKind::Date).collect() };
        assert!(kinds(0).contains(&true) && kinds(0).contains(&false));
        assert!(kinds(1).contains(&true) && kinds(1).contains(&false));
    }

    #[test]
    fn parts_beyond_the_bound_leave_the_workbook_to_calamine() {
        let dir = tempfile::tempdir().unwrap();
        let path = book(dir.path(), "<sheetData/>", "");
        // The bound is on each part; the largest decides.
        let largest = shared().len().max(styles().len()) as u64;
        let within = crate::ingest::guard::xlsx::parts(&path, largest).unwrap();
        assert_eq!(within.shared.as_deref(), Some(shared().as_str()));
        assert_eq!(within.sheets.len(), 1);
        assert!(crate::ingest::guard::xlsx::parts(&path, largest - 1).is_none());
    }

    #[test]
    fn anything_unusual_is_left_to_calamine_from_where_it_starts() {
        for odd in [
            r#"<c r="B2"><v> 5</v></c>"#,
            r#"<c r="B2"><v>+5</v></c>"#,
            r#"<c r="B2" t="s"><v>99</v></c>"#,
            r#"<c r="B2" t="s"><v>x</v></c>"#,
            r#"<c r="B2" t="b"><v>yes</v></c>"#,
            r#"<c r="B2" t="e"><v>#BOGUS!</v></c>"#,
            r#"<c r="B2" t="q"><v>1</v></c>"#,
            r#"<c r="B2" t="inlineStr"><is><t>a_x000D_b</t></is></c>"#,
            r#"<c r="B2" t="inlineStr"><is><t><![CDATA[x]]></t></is></c>"#,
            "<c r=\"B2\" t=\"inlineStr\"><is><t>a\r\nb</t></is></c>",
            r#"<!-- note --><c r="B2"><v>1</v></c>"#,
            r#"<c r="A2"><v>1</v></c>"#,
            r#"<c r="XFE2"><v>1</v></c>"#,
            r#"<c r="B2"><extLst/></c>"#,
            r#"<c r="B2" s="x"><v>1</v></c>"#,
            r#"<c r="B2"><f t="shared">A1</f></c>"#,
            r#"<c r="B2"><v>1</v></c><c r="A3"><v>2</v></c><c r="A3"><v>3</v></c>"#,
        ] {
            let sheet = format!(
                r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row><row r="2"><c r="A2" t="s"><v>0</v></c>{odd}<c r="H2"><v>8</v></c></row><row r="4"><c r="A4"><v>4</v></c></row></sheetData>"#
            );
            assert!(!same(&sheet, &[]), "{odd}");
            assert!(!same(&sheet, &[true, true]), "{odd}");
        }
    }

    #[test]
    fn broken_sheets_fail_alike() {
        for sheet in [
            r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2"#,
            r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row>"#,
            r#"<sheetData><row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1"><v>x</v></c></row></sheetData>"#,
            // What the damaged-sheet proptest found: a bare `&` between cells, a name
            // running into its attributes, more row ends than starts.
            r#"<sheetData><row><c r="A1"><v>1</v></c>&</row><row><c><v>2</v></c></row></sheetData>"#,
            r#"<sheetData><row><c r="A1"><v>1</v></c><c/r="B1"><v>2</v></c><c><v>3</v></c></row></sheetData>"#,
            r#"<sheetData><row><c r="A1"><v>1</v></c></row></row>row r="4"><c><v>2</v></c></row><row><c><v>3</v></c></row></sheetData>"#,
        ] {
            same(sheet, &[]);
        }
    }

    /// A cell of some kind at column `col` (with or without `r`).
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            "[甲乙 a&<>_x]{0,6}".prop_map(|t| {
                let t = t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
                format!(r#" t="inlineStr"><is><t>{t}</t></is></c>"#)
            }),
            "[甲 a]{0,4}".prop_map(|t| format!(r#" t="inlineStr"><is><t xml:space="preserve">{t}</t></is></c>"#)),
            (0..8u32).prop_map(|i| format!(r#" t="s"><v>{i}</v></c>"#)),
            (-1e6..1e6f64, 0..6u32).prop_map(|(v, s)| format!(r#" s="{s}"><v>{v}</v></c>"#)),
            (0..100_000u32, 0..6u32).prop_map(|(v, s)| format!(r#" s="{s}"><v>{v}</v></c>"#)),
            prop_oneof![Just("0"), Just("1"), Just("true"), Just(" 1"), Just("")]
                .prop_map(|b| format!(r#" t="b"><v>{b}</v></c>"#)),
            prop_oneof![Just("#N/A"), Just("#REF!"), Just("")]
                .prop_map(|e| format!(r#" t="e"><v>{e}</v></c>"#)),
            "[0-9a-z ]{0,4}".prop_map(|t| format!(r#" t="str"><f>X</f><v>{t}</v></c>"#)),
            Just("><f>SUM(A1)</f></c>".to_string()),
            Just("/>".to_string()),
            Just(" s=\"1\"/>".to_string()),
            Just("><v/></c>".to_string()),
            Just(r#" t="inlineStr"><is><r><t>张</t></r><rPh><t>Z</t></rPh><r><t xml:space="preserve"> 三</t></r></is></c>"#.to_string()),
        ]
    }

    /// Rows of cells; positions mostly in order, sometimes written, sometimes not.
    fn sheet_data() -> impl Strategy<Value = String> {
        let row = (
            proptest::collection::vec((cell(), any::<bool>(), 0..3u32), 0..6),
            0..4u32,
            any::<bool>(),
        );
        proptest::collection::vec(row, 0..8).prop_map(|rows| {
            let mut xml = String::from("<sheetData>");
            let mut r = 0u32;
            for (cells, gap, with_r) in rows {
                r += gap;
                if with_r {
                    xml.push_str(&format!("<row r=\"{}\">", r + 1));
                } else {
                    xml.push_str("<row>");
                }
                let mut c = 0u32;
                for (body, with_ref, skip) in cells {
                    c += skip;
                    if with_ref {
                        let letter = char::from(b'A' + (c % 26) as u8);
                        xml.push_str(&format!("<c r=\"{letter}{}\"{body}", r + 1));
                    } else {
                        xml.push_str(&format!("<c{body}"));
                    }
                    c += 1;
                }
                xml.push_str("</row>");
                r += 1;
            }
            xml.push_str("</sheetData>");
            xml
        })
    }

    /// A sheet with a few bytes replaced, inserted or removed.
    fn mutated() -> impl Strategy<Value = String> {
        let edit = (
            any::<proptest::sample::Index>(),
            0..3u8,
            prop_oneof![
                Just("<"),
                Just(">"),
                Just("/"),
                Just("\""),
                Just("="),
                Just("&"),
                Just(" "),
                Just("c"),
                Just("v"),
                Just("r"),
                Just("t"),
                Just("1"),
                Just("A"),
                Just("甲"),
                Just("<c r=\"B1\">"),
                Just("</c>"),
                Just("<v>"),
                Just("</row>"),
                Just("\r"),
                Just("<!--"),
                Just("-->"),
                Just("<![CDATA["),
                Just("]]>"),
                Just("<?"),
                Just("x:"),
                Just("'"),
                Just("_x000D_"),
                Just("\n"),
                Just("&amp;"),
                Just("&#"),
                Just(";"),
                Just("<row r=\"3\">"),
                Just("<is>"),
                Just("</t>"),
                Just("t=\"s\""),
                Just(" s=\"2\""),
            ],
        );
        (sheet_data(), proptest::collection::vec(edit, 1..4)).prop_map(|(data, edits)| {
            let mut chars: Vec<char> = data.chars().collect();
            for (at, how, with) in edits {
                if chars.is_empty() {
                    break;
                }
                let i = at.index(chars.len());
                match how {
                    0 => {
                        chars.remove(i);
                    }
                    1 => chars.splice(i..i, with.chars()).for_each(drop),
                    _ => chars.splice(i..=i, with.chars()).for_each(drop),
                }
            }
            chars.into_iter().collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn damaged_sheets_read_or_fail_as_calamine_reads_them(
            data in mutated(),
            mask in proptest::collection::vec(any::<bool>(), 0..8),
        ) {
            same(&data, &mask);
        }

        #[test]
        fn any_sheet_reads_as_calamine_reads_it(
            data in sheet_data(),
            mask in proptest::collection::vec(any::<bool>(), 0..8),
        ) {
            same(&data, &mask);
        }
    }
}
