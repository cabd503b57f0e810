//! Tests of `prose`.

use super::*;

#[test]
fn numerals_and_abbreviations() {
    let got: Vec<String> = [1, 9, 10, 11, 20, 23, 100].map(cn_numeral).to_vec();
    assert_eq!(got, ["一", "九", "十", "十一", "二十", "二十三", "100"]);
    let names = |n: usize| (1..=n).map(|i| format!("县{i}")).collect::<Vec<_>>();
    assert_eq!(abbrev(names(3), None), "县1、县2、县3");
    assert_eq!(abbrev(names(9), None), "县1、县2、县3等9个");
    assert_eq!(abbrev(names(9), Some(1)), "县1等9个");
}

#[test]
fn body_is_split_into_paragraphs_headings_and_inserts() {
    let p = PARAGRAPH;
    let text = format!(
        "{p}\n引言第一行\n第二行\n{p}\n{p}# 一、总体情况\n正文 A\n\nB\n{p}[[tables]]\n## （一）小节\n{p}  \n末段\n"
    );
    let blocks = parse_body(&text, &["tables"]).unwrap();
    assert_eq!(
        blocks,
        vec![
            ProseBlock::Paragraph("引言第一行第二行".into()),
            ProseBlock::Heading(1, "一、总体情况".into()),
            // An empty line (a false condition) does not break a paragraph.
            ProseBlock::Paragraph("正文 A B".into()),
            ProseBlock::Insert("tables".into()),
            ProseBlock::Heading(2, "（一）小节".into()),
            ProseBlock::Paragraph("末段".into()),
        ]
    );
    let err = parse_body("[[charts]]", &["tables"]).unwrap_err();
    assert!(
        err.contains("[[charts]]") && err.contains("[[tables]]"),
        "{err}"
    );
}

#[test]
fn blank_template_lines_break_paragraphs_even_after_block_tags() {
    let src = "{% block body %}\n{% for x in items %}\n第{{ x }}段{% if x == 2 %}（二）{% endif %}\n\n{% endfor %}\n{% if false %}\n不出现\n{% endif %}\n{# 注释\n\n里的空行 #}\n# 标题{% if true %}甲{% endif %}\n末段\n{% endblock %}\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("prose")).unwrap();
    std::fs::write(dir.path().join("prose/notice.j2"), src).unwrap();
    let ctx = serde_json::json!({ "items": [1, 2, 3] });
    let prose = render("notice.j2", Some(dir.path()), &ctx, &[]).unwrap();
    assert_eq!(prose.title, None);
    assert_eq!(
        prose.blocks,
        vec![
            ProseBlock::Paragraph("第1段".into()),
            ProseBlock::Paragraph("第2段（二）".into()),
            ProseBlock::Paragraph("第3段".into()),
            ProseBlock::Heading(1, "标题甲".into()),
            ProseBlock::Paragraph("末段".into()),
        ]
    );
}

#[test]
fn values_from_the_data_stay_on_their_line() {
    let env = environment();
    let out = env
        .render_str(
            "{{ name }}位列第一。",
            minijinja::context! { name => "甲镇\n\n# 伪造标题\r\n[[tables]]" },
        )
        .unwrap();
    assert_eq!(out, "甲镇  # 伪造标题  [[tables]]位列第一。");
    let blocks = parse_body(&format!("{PARAGRAPH}\n{out}\n"), &["tables"]).unwrap();
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    assert!(matches!(blocks[0], ProseBlock::Paragraph(_)));
}
