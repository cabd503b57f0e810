//! Tests of the PDF renderer. They check what a reader of the PDF would check: text
//! extracted with `pdftotext`, page size with `pdfinfo`, embedded fonts with `pdffonts`
//! (poppler-utils; each such check is skipped with a note when the tool is missing).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::sync::LazyLock;
use std::time::Instant;

use chrono::NaiveDate;

use super::*;

/// System fonts, loaded once for all tests (as the CLI loads them once per run).
static SYSTEM_FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let start = Instant::now();
    let fonts = Fonts::load(&FontOptions::default()).expect("system fonts");
    eprintln!(
        "[timing] loading system fonts: {:.2?} ({} families)",
        start.elapsed(),
        fonts.families().len()
    );
    fonts
});

const SAMPLE: &str = include_str!("../../templates/typst/samples/notice.json");

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 12, 11).unwrap()
}

/// The system fonts, or `None` (with a note) on a machine without any Chinese font.
fn cjk_fonts() -> Option<&'static Fonts> {
    let fonts = &*SYSTEM_FONTS;
    if fonts.has_cjk() {
        Some(fonts)
    } else {
        eprintln!("注意：本机没有中文字体（apt-get install fonts-noto-cjk），跳过此测试");
        None
    }
}

/// A job for `main` with the built-in library and `data` (fonts resolved from `fonts`).
fn job_files(data: &serde_json::Value, fonts: &Fonts) -> Vec<(String, Vec<u8>)> {
    let roles = FontRoles::default().resolve(fonts);
    let mut files = library_files(None).unwrap();
    files.push(data_file(data, &roles).unwrap());
    files
}

fn render_document(data: &serde_json::Value, fonts: &Fonts) -> Result<RenderedPdf> {
    let main = template("document.typ", None).unwrap();
    let job = PdfJob {
        main_name: "document.typ",
        main: &main,
        files: job_files(data, fonts),
        date: date(),
    };
    render_pdf(&job, fonts)
}

fn render_main(main: &str, fonts: &Fonts) -> Result<RenderedPdf> {
    let job = PdfJob {
        main_name: "notice.typ",
        main,
        files: job_files(&serde_json::json!({}), fonts),
        date: date(),
    };
    render_pdf(&job, fonts)
}

fn sample() -> serde_json::Value {
    serde_json::from_str(SAMPLE).unwrap()
}

pub(crate) fn has_tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found {
        eprintln!("注意：没有安装 {name}（poppler-utils），跳过这项检查");
    }
    found
}

/// Runs a poppler tool on the PDF and returns its standard output.
pub(crate) fn poppler(tool: &str, args: &[&str], pdf: &[u8], after: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(after)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The PDF's text without any whitespace (line breaks fall anywhere in Chinese text).
fn pdf_text(pdf: &[u8]) -> Option<String> {
    if !has_tool("pdftotext") {
        return None;
    }
    let text = poppler("pdftotext", &["-enc", "UTF-8", "-q"], pdf, &["-"]);
    Some(
        text.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>(),
    )
}

fn assert_contains(haystack: &str, needle: &str) {
    let needle: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        haystack.contains(&needle),
        "PDF text lacks 「{needle}」; text was:\n{haystack}"
    );
}

#[test]
fn renders_sample_notice() {
    let Some(fonts) = cjk_fonts() else { return };
    let data = sample();
    let start = Instant::now();
    let pdf = render_document(&data, fonts).unwrap();
    eprintln!(
        "[timing] rendering the sample notice ({} pages, {} bytes): {:.2?}",
        pdf.pages,
        pdf.bytes.len(),
        start.elapsed()
    );
    if let Some(dir) = std::env::var_os("GONGGU_PDF_OUT") {
        std::fs::write(Path::new(&dir).join("sample-notice.pdf"), &pdf.bytes).unwrap();
    }
    assert!(pdf.warnings.is_empty(), "warnings: {:?}", pdf.warnings);
    // GB/T 9704: the 版记 ends the document on an even page (the back of a sheet).
    assert!(
        pdf.pages == 2 || pdf.pages == 4,
        "expected 2 or 4 pages, got {}",
        pdf.pages
    );
    if has_tool("pdftotext") {
        let last = pdf.pages.to_string();
        let text = poppler("pdftotext", &["-f", &last, "-l", &last], &pdf.bytes, &["-"]);
        assert!(text.contains("印发"), "版记 on the last page: {text}");
    }

    if let Some(text) = pdf_text(&pdf.bytes) {
        for needle in [
            "商丘市乡村振兴局办公室文件",
            "商乡振办〔2021〕45号",
            "关于2021年11月份全市巩固拓展脱贫攻坚成果主要指标完成情况的通报",
            "各县（市、区）乡村振兴局，示范区乡村振兴办：",
            "商丘市巩固拓展脱贫攻坚成果主要指标通报表",
            "永城市",
            "夏邑县",
            "虞城县",
            "示范区",
            "梁园区",
            "睢阳区",
            "宁陵县",
            "柘城县",
            "睢县",
            "民权县",
            "24.41%",
            "26.87%",
            "98.81%",
            "21.64%",
            "99.87%",
            "2021年12月11日",
            "抄送：市委农办，市农业农村局，市财政局，市人社局。",
            "2021年12月11日印发",
            "—1—",
            "—2—",
        ] {
            assert_contains(&text, needle);
        }
    }
    if has_tool("pdfinfo") {
        let info = poppler("pdfinfo", &[], &pdf.bytes, &[]);
        // A4 = 595.28 × 841.89 pt; poppler prints three decimals (595.276).
        assert!(
            info.contains("595.276 x 841.89 pts (A4)"),
            "pdfinfo:\n{info}"
        );
        assert!(
            info.contains("2021"),
            "creation date from the job date:\n{info}"
        );
    }
    if has_tool("pdffonts") {
        let fonts_out = poppler("pdffonts", &[], &pdf.bytes, &[]);
        // Columns: name type encoding emb sub uni object ID; every font must be embedded.
        let rows: Vec<&str> = fonts_out.lines().skip(2).collect();
        assert!(!rows.is_empty(), "no fonts:\n{fonts_out}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let emb = cols.get(cols.len().saturating_sub(5)).copied();
            assert_eq!(emb, Some("yes"), "font not embedded: {row}\n{fonts_out}");
        }
        assert!(
            fonts_out.contains("CJK"),
            "a CJK font is used:\n{fonts_out}"
        );
    }
}

#[test]
fn body_grid_is_22_lines_of_28_characters() {
    let Some(fonts) = cjk_fonts() else { return };
    let main = "#import \"/lib/official.typ\": *\n#show: setup\n#recipients(\"国\" * 700)\n";
    let pdf = render_main(main, fonts).unwrap();
    assert_eq!(pdf.pages, 2);
    if !has_tool("pdftotext") {
        return;
    }
    let text = poppler(
        "pdftotext",
        &["-enc", "UTF-8", "-q", "-f", "1", "-l", "1"],
        &pdf.bytes,
        &["-"],
    );
    let lines: Vec<usize> = text
        .lines()
        .filter(|l| l.contains('国'))
        .map(|l| l.trim().chars().count())
        .collect();
    assert_eq!(lines, vec![28; 22], "page 1:\n{text}");
    assert!(text.contains("— 1 —"), "page number with spaces:\n{text}");
}

#[test]
fn a_line_break_in_the_title_is_kept() {
    // GB/T 9704 wants titles broken where the words allow; the data chooses the break.
    let Some(fonts) = cjk_fonts() else { return };
    let mut data = sample();
    data["doc"]["title"] =
        serde_json::json!("关于2021年11月份全市巩固拓展\n脱贫攻坚成果主要指标完成情况的通报");
    let pdf = render_document(&data, fonts).unwrap();
    if !has_tool("pdftotext") {
        return;
    }
    let text = poppler(
        "pdftotext",
        &["-enc", "UTF-8", "-q", "-f", "1", "-l", "1"],
        &pdf.bytes,
        &["-"],
    );
    assert!(
        text.contains("\n关于2021年11月份全市巩固拓展\n脱贫攻坚成果主要指标完成情况的通报\n"),
        "{text}"
    );
}

#[test]
fn same_input_gives_same_bytes() {
    let Some(fonts) = cjk_fonts() else { return };
    let a = render_document(&sample(), fonts).unwrap();
    let b = render_document(&sample(), fonts).unwrap();
    assert_eq!(a.pages, b.pages);
    assert!(a.bytes == b.bytes, "two renders of the same input differ");
}

#[test]
fn markup_in_data_prints_literally() {
    let Some(fonts) = cjk_fonts() else { return };
    let mut data = sample();
    let evil = r#"#read("/etc/passwd")"#;
    let stars = "*粗体* $x$";
    data["doc"]["recipients"] = serde_json::json!(format!("{stars}]"));
    let body = data["body"].as_array_mut().unwrap();
    body.push(serde_json::json!({"type": "paragraph", "text": format!("{evil}、{stars}、#set text(red)")}));
    let table = body.iter_mut().find(|b| b["type"] == "table").unwrap();
    table["rows"][0][0] = serde_json::json!(evil);
    table["rows"][1][0] = serde_json::json!(stars);
    let pdf = render_document(&data, fonts).unwrap();
    if let Some(text) = pdf_text(&pdf.bytes) {
        assert_contains(&text, evil);
        assert_contains(&text, stars);
        assert_contains(&text, "*粗体*$x$]");
        assert_contains(&text, "#settext(red)");
        assert!(
            !text.contains("root:"),
            "a file of the machine was read:\n{text}"
        );
    }
}

#[test]
fn templates_cannot_read_the_file_system() {
    let Some(fonts) = cjk_fonts() else { return };
    let err = render_main(
        "#set text(font: \"Noto Serif CJK SC\")\n#read(\"/etc/passwd\")\n",
        fonts,
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::Template(_)), "{msg}");
    assert!(msg.contains("notice.typ 第 2 行"), "{msg}");
    assert!(msg.contains("找不到文件 /etc/passwd"), "{msg}");
}

#[test]
fn package_imports_are_refused() {
    let Some(fonts) = cjk_fonts() else { return };
    let err = render_main("#import \"@preview/cetz:0.3.4\": canvas\n", fonts).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::Template(_)), "{msg}");
    assert!(msg.contains("不下载 Typst 包"), "{msg}");
    assert!(msg.contains("notice.typ 第 1 行"), "{msg}");
}

#[test]
fn compile_errors_name_file_and_line() {
    let Some(fonts) = cjk_fonts() else { return };
    let main = "#import \"/lib/official.typ\": *\n#show: setup\n\n#para(no-such-thing)\n";
    let err = render_main(main, fonts).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("模板错误：Typst 模板 notice.typ 无法编译"),
        "{msg}"
    );
    assert!(
        msg.contains("notice.typ 第 4 行第 7 列：错误：未定义的变量 no-such-thing"),
        "{msg}"
    );

    // An error inside the library names the library file and the call site.
    let main = "#import \"/lib/official.typ\": *\n#ranking-table((rows: 5))\n";
    let msg = render_main(main, fonts).unwrap_err().to_string();
    assert!(msg.contains("/lib/official.typ 第"), "{msg}");
    assert!(msg.contains("notice.typ 第 2 行"), "{msg}");
}

#[test]
fn warnings_are_returned_with_place() {
    let Some(fonts) = cjk_fonts() else { return };
    let main = "#set text(font: (\"没有这个字体\", \"Noto Serif CJK SC\"))\n通报\n";
    let pdf = render_main(main, fonts).unwrap();
    assert_eq!(pdf.pages, 1);
    assert_eq!(pdf.warnings.len(), 1, "{:?}", pdf.warnings);
    let warning = pdf.warnings.first().unwrap();
    assert!(warning.starts_with("notice.typ 第 1 行"), "{warning}");
    assert!(warning.contains("警告"), "{warning}");
}

#[test]
fn today_is_the_job_date() {
    let Some(fonts) = cjk_fonts() else { return };
    let main = "#set text(font: \"Noto Serif CJK SC\")\n#datetime.today().display()\n";
    let pdf = render_main(main, fonts).unwrap();
    if let Some(text) = pdf_text(&pdf.bytes) {
        assert_eq!(text, "2021-12-11");
    }
}

#[test]
fn no_fonts_at_all_is_missing_glyphs() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = Fonts::load(&FontOptions {
        extra_dirs: vec![dir.path().to_owned()],
        system: false,
    })
    .unwrap();
    assert!(fonts.is_empty());
    assert!(fonts.families().is_empty());
    let roles = FontRoles::default().resolve(&fonts);
    assert!(roles.body.is_empty());
    let err = render_document(&sample(), &fonts).unwrap_err();
    let Error::MissingGlyphs { chars } = &err else {
        panic!("expected MissingGlyphs, got {err}")
    };
    assert!(
        chars.starts_with("「为」、「进」"),
        "data characters come first: {chars}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("apt-get install fonts-noto-cjk") && msg.contains("--font-dir"),
        "{msg}"
    );
}

#[test]
fn latin_fonts_only_is_missing_glyphs() {
    let dejavu = Path::new("/usr/share/fonts/truetype/dejavu");
    if !dejavu.is_dir() {
        eprintln!("注意：没有 {}，跳过此测试", dejavu.display());
        return;
    }
    let fonts = Fonts::load(&FontOptions {
        extra_dirs: vec![dejavu.to_owned()],
        system: false,
    })
    .unwrap();
    assert!(!fonts.is_empty() && !fonts.has_cjk());
    let err = render_document(&sample(), &fonts).unwrap_err();
    let Error::MissingGlyphs { chars } = &err else {
        panic!("expected MissingGlyphs, got {err}")
    };
    assert!(chars.contains("「为」"), "{chars}");
    assert!(
        !chars.contains("「a」"),
        "DejaVu covers Latin letters: {chars}"
    );
}

#[test]
fn uncovered_character_is_missing_glyphs_not_tofu() {
    let Some(fonts) = cjk_fonts() else { return };
    let mut data = sample();
    data["body"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"type": "paragraph", "text": "私用区字符\u{F0000}与\u{F0001}"}));
    let err = render_document(&data, fonts).unwrap_err();
    let Error::MissingGlyphs { chars } = &err else {
        panic!("expected MissingGlyphs, got {err}")
    };
    assert_eq!(chars, "U+F0000、U+F0001");
}

#[test]
fn missing_font_dir_is_an_io_error() {
    let err = Fonts::load(&FontOptions {
        extra_dirs: vec!["/no/such/font/dir".into()],
        system: false,
    })
    .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert!(err.to_string().contains("/no/such/font/dir"), "{err}");
}

#[test]
fn roles_resolve_to_installed_families() {
    let Some(fonts) = cjk_fonts() else { return };
    let families = fonts.families();
    let roles = FontRoles::default().resolve(fonts);
    for (role, list) in [
        ("title", &roles.title),
        ("heading", &roles.heading),
        ("body", &roles.body),
        ("kai", &roles.kai),
        ("song", &roles.song),
    ] {
        assert!(!list.is_empty(), "role {role} resolved to nothing");
        for family in list {
            assert!(
                families.contains(family),
                "{role}: {family} is not installed"
            );
        }
    }
    if families.iter().any(|f| f == "Noto Sans CJK SC") {
        assert_eq!(
            roles.heading.first().map(String::as_str),
            Some("Noto Sans CJK SC")
        );
    }
    // A role none of whose families exists falls back to an installed CJK family.
    let custom = FontRoles {
        kai: vec!["不存在的楷体".into()],
        ..FontRoles::default()
    };
    let resolved = custom.resolve(fonts);
    assert!(!resolved.kai.is_empty());
    assert!(
        resolved
            .kai
            .iter()
            .all(|f| fonts.cjk_families().contains(f))
    );
    let json = resolved.to_json();
    assert_eq!(json["body"], serde_json::json!(resolved.body));
}

#[test]
fn landscape_tables_get_landscape_pages() {
    let Some(fonts) = cjk_fonts() else { return };
    let mut data = sample();
    let body = data["body"].as_array_mut().unwrap();
    let table = body.iter_mut().find(|b| b["type"] == "table").unwrap();
    table["landscape"] = serde_json::json!(true);
    let pdf = render_document(&data, fonts).unwrap();
    if let Some(dir) = std::env::var_os("GONGGU_PDF_OUT") {
        std::fs::write(Path::new(&dir).join("landscape.pdf"), &pdf.bytes).unwrap();
    }
    if has_tool("pdfinfo") {
        let last = pdf.pages.to_string();
        let info = poppler("pdfinfo", &["-f", "1", "-l", &last], &pdf.bytes, &[]);
        assert!(
            info.contains("841.89 x 595.276 pts"),
            "no landscape page:\n{info}"
        );
        assert!(
            info.contains("595.276 x 841.89 pts"),
            "no portrait page:\n{info}"
        );
    }
}

#[test]
fn templates_come_from_the_override_dir_first() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        template("document.typ", Some(dir.path()))
            .unwrap()
            .contains("official-document")
    );
    std::fs::write(dir.path().join("document.typ"), "自定义").unwrap();
    assert_eq!(
        template("document.typ", Some(dir.path())).unwrap(),
        "自定义"
    );
    std::fs::write(dir.path().join("official.typ"), "// mine").unwrap();
    let libs = library_files(Some(dir.path())).unwrap();
    assert_eq!(
        libs,
        vec![("/lib/official.typ".to_owned(), b"// mine".to_vec())]
    );

    let err = template("nope.typ", None).unwrap_err().to_string();
    assert!(
        err.contains("nope.typ") && err.contains("document.typ"),
        "{err}"
    );
    assert!(template("../document.typ", Some(dir.path())).is_err());
    assert!(template("a/b.typ", None).is_err());
}

#[test]
fn data_file_adds_fonts_and_requires_an_object() {
    let Some(fonts) = cjk_fonts() else { return };
    let roles = FontRoles::default().resolve(fonts);
    let (path, bytes) = data_file(&serde_json::json!({"doc": {"title": "标题"}}), &roles).unwrap();
    assert_eq!(path, DATA_PATH);
    let back: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(back["doc"]["title"], "标题");
    assert_eq!(back["fonts"], roles.to_json());
    assert!(matches!(
        data_file(&serde_json::json!("x"), &roles),
        Err(Error::Render { what: "PDF", .. })
    ));
}
