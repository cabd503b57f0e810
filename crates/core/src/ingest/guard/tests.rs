//! Tests of the guards: hostile files are refused with a located Chinese error before
//! calamine reads them; sound files pass. The workbooks are built here, byte by byte, so
//! that each test changes exactly the claim it is about.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::xlsx::SheetScan;
use super::{Content, column_letters, memory_budget, sniff};
use crate::error::Error;
use crate::ingest::{ReadOptions, read_inputs};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

fn read_bytes(name: &str, bytes: &[u8]) -> crate::error::Result<crate::model::Dataset> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    read_inputs(&[p], &ReadOptions::default())
}

/// The error's message, checked to be a located [`Error::Corrupt`] naming `name`.
fn corrupt(r: crate::error::Result<crate::model::Dataset>, name: &str) -> String {
    let e = r.unwrap_err();
    assert!(matches!(e, Error::Corrupt { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains(name), "{text}");
    text
}

// ---------------------------------------------------------------------------------------
// Building compound files and BIFF records.

const END: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

/// A compound file (512-byte sectors): the FAT in sector 0, the directory in sector 1,
/// then each stream (at least 4096 bytes, so none lives in the mini stream).
fn compound(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut fat = vec![0xFFFF_FFFDu32, END];
    let mut data = Vec::new();
    let mut entries = vec![("Root Entry", 5u8, END, 0u32)];
    for (name, bytes) in streams {
        let mut b = bytes.clone();
        b.resize(b.len().max(4096).div_ceil(512) * 512, 0);
        let first = fat.len() as u32;
        let n = b.len() / 512;
        for i in 0..n as u32 {
            fat.push(if i + 1 == n as u32 {
                END
            } else {
                first + i + 1
            });
        }
        entries.push((name, 2, first, bytes.len().max(4096) as u32));
        data.extend(b);
    }
    assert!(fat.len() <= 128);
    fat.resize(128, FREE);
    let mut out = vec![0u8; 512];
    out[..8].copy_from_slice(&super::cfb::MAGIC);
    out[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    out[26..28].copy_from_slice(&3u16.to_le_bytes());
    out[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    out[30..32].copy_from_slice(&9u16.to_le_bytes());
    out[32..34].copy_from_slice(&6u16.to_le_bytes());
    out[44..48].copy_from_slice(&1u32.to_le_bytes());
    out[48..52].copy_from_slice(&1u32.to_le_bytes());
    out[56..60].copy_from_slice(&4096u32.to_le_bytes());
    out[60..64].copy_from_slice(&END.to_le_bytes());
    out[68..72].copy_from_slice(&END.to_le_bytes());
    for i in 0..109 {
        let v = if i == 0 { 0 } else { FREE };
        out[76 + 4 * i..80 + 4 * i].copy_from_slice(&v.to_le_bytes());
    }
    for v in &fat {
        out.extend(v.to_le_bytes());
    }
    let mut dir = vec![0u8; 512];
    for (i, (name, kind, start, len)) in entries.iter().enumerate() {
        let e = &mut dir[128 * i..128 * (i + 1)];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (j, u) in units.iter().enumerate() {
            e[2 * j..2 * j + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&((units.len() as u16 + 1) * 2).to_le_bytes());
        e[66] = *kind;
        for at in [68, 72, 76] {
            e[at..at + 4].copy_from_slice(&FREE.to_le_bytes());
        }
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&len.to_le_bytes());
    }
    out.extend(dir);
    out.extend(data);
    out
}

fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

fn bof(sheet: bool) -> Vec<u8> {
    let mut d = vec![0u8; 16];
    d[..2].copy_from_slice(&0x0600u16.to_le_bytes());
    d[2..4].copy_from_slice(&(if sheet { 0x10u16 } else { 0x05 }).to_le_bytes());
    rec(0x0809, &d)
}

/// A BIFF8 `Label` cell in UTF-16.
fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut d = Vec::new();
    d.extend(row.to_le_bytes());
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend((units.len() as u16).to_le_bytes());
    d.push(1);
    for u in units {
        d.extend(u.to_le_bytes());
    }
    rec(0x0204, &d)
}

fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend(row.to_le_bytes());
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(v.to_le_bytes());
    rec(0x0203, &d)
}

/// A workbook stream: globals (with `globals_extra`), one sheet 「名单」 holding `cells`.
fn workbook(globals_extra: &[u8], cells: &[u8]) -> Vec<u8> {
    let name: Vec<u16> = "名单".encode_utf16().collect();
    let sheet_rec_len = 4 + 8 + 2 * name.len();
    let globals_len = bof(false).len() + globals_extra.len() + sheet_rec_len + 4;
    let mut bs = (globals_len as u32).to_le_bytes().to_vec();
    bs.extend([0, 0, name.len() as u8, 1]);
    for u in &name {
        bs.extend(u.to_le_bytes());
    }
    let mut w = bof(false);
    w.extend(globals_extra);
    w.extend(rec(0x0085, &bs));
    w.extend(rec(0x000A, &[]));
    assert_eq!(w.len(), globals_len);
    w.extend(bof(true));
    w.extend(cells);
    w.extend(rec(0x000A, &[]));
    w
}

fn roster_cells() -> Vec<u8> {
    let header = ["县", "乡", "村", "户编号", "证件号码", "户类型"];
    let row = [
        "睢县",
        "白庙乡",
        "刘庄村",
        "H1",
        "11010519491231002X",
        "脱贫户",
    ];
    let mut c = Vec::new();
    for (i, h) in header.iter().enumerate() {
        c.extend(label(0, i as u16, h));
    }
    for (i, v) in row.iter().enumerate() {
        c.extend(label(1, i as u16, v));
    }
    c
}

fn xls(globals_extra: &[u8], cells: &[u8]) -> Vec<u8> {
    compound(&[("Workbook", workbook(globals_extra, cells))])
}

// ---------------------------------------------------------------------------------------
// Sniffing and helpers.

#[test]
fn sniff_tells_what_a_file_is() {
    let cases: [(&[u8], Content); 12] = [
        (&super::cfb::MAGIC, Content::Compound),
        (b"PK\x03\x04rest", Content::Zip),
        (b"\xef\xbb\xbf  <html><body><table>", Content::Html),
        (b"<table border=1><tr><td>\xe5\x8e\xbf</td></tr></table>", Content::Html),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", Content::Mht),
        (
            b"<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">",
            Content::SpreadsheetXml,
        ),
        (b"%PDF-1.7", Content::Pdf),
        (b"Rar!\x1a\x07", Content::Archive("RAR")),
        (b"\xff\xfe\x3f\x53", Content::Utf16),
        ("县,乡,村\n睢县,白庙乡,刘庄村\n".as_bytes(), Content::Text),
        (b"\xcf\xd8,\xcf\xe7\n", Content::Text),
        (b"\x00\x01\x02\x03binary", Content::Binary),
    ];
    for (head, want) in cases {
        assert_eq!(sniff(head), want, "{head:?}");
    }
    // One byte that is half a GB18030 character is no text.
    assert_eq!(sniff(b"\xd0"), Content::Binary);
}

#[test]
fn column_letters_and_references() {
    for (i, s) in [
        (0, "A"),
        (25, "Z"),
        (26, "AA"),
        (701, "ZZ"),
        (702, "AAA"),
        (16383, "XFD"),
    ] {
        assert_eq!(column_letters(i), s);
    }
    use super::xlsx::parse_ref;
    assert_eq!(parse_ref("A1"), Ok((0, 0)));
    assert_eq!(parse_ref("xfd1048576"), Ok((1_048_575, 16_383)));
    for bad in [
        "XFE1",
        "ZZZZZZZZ5",
        "A1048577",
        "A0",
        "5",
        "A",
        "A1B",
        "A-1",
        "",
    ] {
        assert!(parse_ref(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_budget_grows_with_the_file_and_stops_at_two_gib() {
    assert_eq!(memory_budget(0), 64 << 20);
    assert!(memory_budget(1 << 20) > memory_budget(1 << 10));
    assert_eq!(memory_budget(u64::MAX), 2 << 30);
}

// ---------------------------------------------------------------------------------------
// .xls: the compound file and the BIFF records.

#[test]
fn a_crafted_xls_reads() {
    // The builders make a workbook calamine reads: the refusals below are the claims'.
    let ds = read_bytes("名单.xls", &xls(&[], &roster_cells())).unwrap();
    assert_eq!(ds.roster.households.len(), 1);
    let fixture = read_inputs(&[fixture("监测对象信息_示例.xls")], &ReadOptions::default());
    assert!(fixture.is_ok(), "{fixture:?}");
}

#[test]
fn a_directory_chain_that_loops_is_refused() {
    let mut b = xls(&[], &roster_cells());
    // FAT entry of the directory sector (1) points back to itself.
    b[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
    let text = corrupt(read_bytes("环.xls", &b), "环.xls");
    assert!(text.contains("目录") && text.contains("循环"), "{text}");
}

#[test]
fn a_stream_chain_that_loops_or_leaves_the_file_is_refused() {
    let base = xls(&[], &roster_cells());
    // The Workbook stream starts at sector 2: make its second sector point back to it.
    let mut b = base.clone();
    b[512 + 4 * 3..512 + 4 * 4].copy_from_slice(&2u32.to_le_bytes());
    let text = corrupt(read_bytes("环.xls", &b), "环.xls");
    assert!(text.contains("Workbook") && text.contains("循环"), "{text}");

    let mut b = base;
    b[512 + 4 * 3..512 + 4 * 4].copy_from_slice(&100_000u32.to_le_bytes());
    let text = corrupt(read_bytes("外.xls", &b), "外.xls");
    assert!(
        text.contains("100000") && text.contains("超出了文件末尾"),
        "{text}"
    );
}

#[test]
fn a_fat_sector_listed_twice_is_refused() {
    let mut b = xls(&[], &roster_cells());
    // DIFAT entries 0 and 1 both name sector 0: calamine would read the FAT twice.
    b[80..84].copy_from_slice(&0u32.to_le_bytes());
    let text = corrupt(read_bytes("重.xls", &b), "重.xls");
    assert!(text.contains("多次"), "{text}");
}

#[test]
fn dimensions_claiming_billions_of_cells_are_refused() {
    let mut d = Vec::new();
    d.extend(0u32.to_le_bytes());
    d.extend(0x4000_0000u32.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(200u16.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    let mut cells = rec(0x0200, &d);
    cells.extend(roster_cells());
    let text = corrupt(read_bytes("范围.xls", &xls(&[], &cells)), "范围.xls");
    assert!(
        text.contains("工作表「名单」") && text.contains("1073741824 行"),
        "{text}"
    );

    // First row after the last: refused, not wrapped round.
    let mut d = Vec::new();
    d.extend(10u32.to_le_bytes());
    d.extend(5u32.to_le_bytes());
    d.extend([0, 0, 6, 0, 0, 0]);
    let mut cells = rec(0x0200, &d);
    cells.extend(roster_cells());
    let text = corrupt(read_bytes("倒.xls", &xls(&[], &cells)), "倒.xls");
    assert!(text.contains("首行"), "{text}");
}

#[test]
fn cells_far_apart_are_refused_as_a_huge_range() {
    let mut cells = roster_cells();
    cells.extend(number(65535, 255, 1.0));
    let text = corrupt(read_bytes("稀疏.xls", &xls(&[], &cells)), "稀疏.xls");
    assert!(text.contains("A1:IV65536"), "{text}");
}

#[test]
fn labels_claiming_more_characters_than_they_hold_are_refused() {
    let mut cells = roster_cells();
    for i in 0..3000u16 {
        // cch 65535 with one character present: calamine reserves the 65535.
        let mut d = Vec::new();
        d.extend((i + 2).to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(65535u16.to_le_bytes());
        d.push(0);
        d.push(b'x');
        cells.extend(rec(0x0204, &d));
    }
    let text = corrupt(read_bytes("长串.xls", &xls(&[], &cells)), "长串.xls");
    assert!(text.contains("内存"), "{text}");
}

#[test]
fn file_pass_is_a_password() {
    let e = read_bytes("密.xls", &xls(&rec(0x002F, &[1, 0, 1, 0]), &roster_cells())).unwrap_err();
    assert!(matches!(e, Error::Encrypted { .. }), "{e:?}");
    assert!(e.to_string().contains("去掉密码"), "{e}");
}

#[test]
fn a_sheet_offset_beyond_the_stream_is_refused() {
    let mut w = workbook(&[], &roster_cells());
    // BoundSheet8's lbPlyPos, right after the globals' BOF record (20 bytes) and its header.
    w[24..28].copy_from_slice(&9_999_999u32.to_le_bytes());
    let text = corrupt(
        read_bytes("位置.xls", &compound(&[("Workbook", w)])),
        "位置.xls",
    );
    assert!(
        text.contains("工作表「名单」") && text.contains("9999999"),
        "{text}"
    );
}

#[test]
fn encrypted_ooxml_and_word_documents_are_named() {
    let b = compound(&[
        ("EncryptionInfo", vec![4, 0, 4, 0]),
        ("EncryptedPackage", vec![0; 10]),
    ]);
    let e = read_bytes("加密.xlsx", &b).unwrap_err();
    assert!(matches!(e, Error::Encrypted { .. }), "{e:?}");

    let b = compound(&[("WordDocument", vec![0; 10])]);
    let e = read_bytes("文档.xls", &b).unwrap_err();
    assert!(e.to_string().contains("Word 文档"), "{e}");
}

// ---------------------------------------------------------------------------------------
// .ods and .xlsx.

fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn ods(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        (
            "META-INF/manifest.xml",
            "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>",
        ),
        ("content.xml", &content),
    ])
}

const ODS_HEADER: &str = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>县</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>乡</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>村</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>户编号</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>证件号码</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>户类型</text:p></table:table-cell></table:table-row>"#;

#[test]
fn an_ods_left_open_is_refused_not_a_hang() {
    // calamine loops for ever on a sheet, or an annotation, that never ends.
    let b = ods(&format!(r#"<table:table table:name="名单">{ODS_HEADER}"#));
    let text = corrupt(read_bytes("未完.ods", &b), "未完.ods");
    assert!(text.contains("名单") && text.contains("没有结束"), "{text}");

    let b = ods(&format!(
        r#"<table:table table:name="名单">{ODS_HEADER}<table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>批注"#
    ));
    let text = corrupt(read_bytes("批注.ods", &b), "批注.ods");
    assert!(text.contains("批注"), "{text}");
}

#[test]
fn ods_spaces_and_column_repeats_are_counted() {
    // <text:s text:c="n"/> becomes n spaces in calamine.
    let b = ods(&format!(
        r#"<table:table table:name="名单">{ODS_HEADER}<table:table-row><table:table-cell office:value-type="string"><text:p>睢<text:s text:c="3000000000"/>县</text:p></table:table-cell></table:table-row></table:table>"#
    ));
    let text = corrupt(read_bytes("空格.ods", &b), "空格.ods");
    assert!(text.contains("内存"), "{text}");

    let b = ods(&format!(
        r#"<table:table table:name="名单">{ODS_HEADER}<table:table-row><table:table-cell table:number-columns-repeated="20000" office:value-type="string"><text:p>睢县</text:p></table:table-cell></table:table-row></table:table>"#
    ));
    let text = corrupt(read_bytes("列.ods", &b), "列.ods");
    assert!(text.contains("20000") && text.contains("16384"), "{text}");

    // The filler LibreOffice writes below the data (empty rows up to the sheet's end) is
    // fine.
    let b = ods(&format!(
        r#"<table:table table:name="名单">{ODS_HEADER}<table:table-row><table:table-cell office:value-type="string"><text:p>睢县</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>白庙乡</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>刘庄村</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>H1</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>11010519491231002X</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>脱贫户</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#
    ));
    let ds = read_bytes("正常.ods", &b).unwrap();
    assert_eq!(ds.roster.households.len(), 1);
}

fn xlsx(sheet: &str, shared: Option<&str>) -> Vec<u8> {
    let mut parts = vec![
        (
            "[Content_Types].xml",
            "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
        ),
        (
            "_rels/.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    if let Some(s) = shared {
        parts.push(("xl/sharedStrings.xml", s));
    }
    zip_of(&parts)
}

#[test]
fn xlsx_claims_are_checked() {
    let sheet = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B0"/><sheetData/></worksheet>"#;
    let text = corrupt(read_bytes("范围.xlsx", &xlsx(sheet, None)), "范围.xlsx");
    assert!(
        text.contains("dimension") && text.contains("名单") && text.contains("A1:B0"),
        "{text}"
    );

    let sheet = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#;
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4000000000"><si><t>县</t></si></sst>"#;
    let text = corrupt(
        read_bytes("字符串.xlsx", &xlsx(sheet, Some(sst))),
        "字符串.xlsx",
    );
    assert!(text.contains("4000000000"), "{text}");

    let sheet = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2000000"><c t="inlineStr"><is><t>县</t></is></c></row></sheetData></worksheet>"#;
    let text = corrupt(read_bytes("行.xlsx", &xlsx(sheet, None)), "行.xlsx");
    assert!(text.contains("2000000"), "{text}");
}

#[test]
fn the_scan_lists_bad_cells_and_formulas_in_document_order() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("格.xlsx");
    let sheet = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>7</v></c><c r="C1" t="b"><v>yes</v></c><c r="D1" t="e"><v>#N/A</v></c><c r="E1"><v>abc</v></c><c r="F1" t="n"><v>1e5</v></c><c r="G1" t="n"><v>一</v></c><c r="H1"><f>A1</f></c><c r="I1" t="inlineStr"><is><r><t>x</t></r></is></c><c r="J1" t="zz"><v>1</v></c></row></sheetData></worksheet>"#;
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="1"><si><t>县</t></si></sst>"#;
    std::fs::write(&p, xlsx(sheet, Some(sst))).unwrap();
    let SheetScan {
        bad,
        formulas_without_value,
        formulas_without_value_count,
    } = super::xlsx::diagnose(&p, "格.xlsx", "名单").unwrap();
    let found: Vec<(u64, String)> = bad.iter().map(|b| (b.ordinal, b.reference())).collect();
    assert_eq!(
        found,
        [
            (1, "B1".to_string()),
            (2, "C1".into()),
            (6, "G1".into()),
            (9, "J1".into())
        ]
    );
    assert_eq!(formulas_without_value, ["H1"]);
    assert_eq!(formulas_without_value_count, 1);
}

#[test]
fn broken_ods_xml_names_the_sheet_and_row() {
    let b = ods(&format!(
        r#"<table:table table:name="名单">{ODS_HEADER}<table:table-row><table:table-cell office:value-type="string"><text:p>睢县</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1><text:p>1</text:p></table:table-cell></table:table-row></table:table>"#
    ));
    let text = corrupt(read_bytes("坏.ods", &b), "坏.ods");
    assert!(
        text.contains("工作表「名单」") && text.contains("第 2 行"),
        "{text}"
    );
}

#[test]
fn xlsb_is_refused_with_the_way_out() {
    let b = zip_of(&[
        ("[Content_Types].xml", "<Types/>"),
        ("xl/workbook.bin", "\u{83}\u{1}"),
    ]);
    for name in ["二进制.xlsb", "二进制.xlsx"] {
        let e = read_bytes(name, &b).unwrap_err();
        assert!(matches!(e, Error::FileKind { .. }), "{e:?}");
        assert!(
            e.to_string().contains("xlsb") && e.to_string().contains("另存为"),
            "{e}"
        );
    }
}
