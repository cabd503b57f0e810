//! Prose from minijinja templates (`crates/render/templates/prose/*.j2`), turned into the body
//! blocks the Typst layouts read.
//!
//! A template has a `{% block title %}` (the document title; its lines become line breaks
//! of the title) and a `{% block body %}`. A template without any block is all body and
//! keeps the built-in title. In the body:
//! - a blank line *in the template* separates paragraphs; lines that render empty (a
//!   false `{% if %}`) never do, and the lines of a paragraph are joined (Chinese text has
//!   no spaces at line ends). Blank lines are marked before rendering ([`PARAGRAPH`]),
//!   because `trim_blocks` would otherwise swallow a blank line that follows a line ending
//!   in `{% endif %}`;
//! - a line `# 一、总体情况` is a first-level heading (`## ` second, `### ` third level);
//! - a line `[[charts]]` places a part the layout draws (tables, charts), by name.
//!
//! The output is plain text that goes into JSON, never into Typst markup. Undefined
//! variables are errors ([`UndefinedBehavior::Strict`]), so a misspelt key fails loudly
//! instead of printing nothing.

use std::path::Path;

use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use crate::error::{Error, Result};

/// Built-in prose templates, by file name.
const BUILTIN: &[(&str, &str)] = &[
    ("notice.j2", include_str!("../../templates/prose/notice.j2")),
    ("brief.j2", include_str!("../../templates/prose/brief.j2")),
    (
        "evaluate.j2",
        include_str!("../../templates/prose/evaluate.j2"),
    ),
];

/// Marks a paragraph break in the template source (U+2029 PARAGRAPH SEPARATOR).
const PARAGRAPH: char = '\u{2029}';

/// One block of prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProseBlock {
    /// A paragraph.
    Paragraph(String),
    /// A heading of level 1–3.
    Heading(u8, String),
    /// A part drawn by the layout (`[[tables]]`).
    Insert(String),
}

/// A rendered prose template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prose {
    /// The title from `{% block title %}`, lines joined with `\n`; none without that block.
    pub title: Option<String>,
    /// The body.
    pub blocks: Vec<ProseBlock>,
}

/// The source of a prose template and where it came from (for messages).
fn source(name: &str, templates_dir: Option<&Path>) -> Result<(String, String)> {
    if let Some(dir) = templates_dir {
        let path = dir.join("prose").join(name);
        if path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            return Ok((text, path.display().to_string()));
        }
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| ((*text).to_owned(), "内置模板".to_owned()))
        .ok_or_else(|| Error::Template(format!("没有名为「{name}」的文字模板。")))
}

/// A minijinja error as [`Error::Template`], naming the template, its origin and line.
fn template_error(name: &str, origin: &str, err: &minijinja::Error) -> Error {
    let what = match err.kind() {
        ErrorKind::UndefinedError => {
            "使用了未定义的变量或属性（变量名见 crates/render/templates/prose/README.md）"
        }
        ErrorKind::SyntaxError => "模板语法错误",
        ErrorKind::UnknownFilter => "使用了未知的过滤器",
        ErrorKind::UnknownFunction => "使用了未知的函数",
        ErrorKind::InvalidOperation => "无效的操作",
        ErrorKind::MissingArgument | ErrorKind::TooManyArguments => "参数个数不对",
        _ => "无法渲染",
    };
    let line = err.line().map(|l| format!("第 {l} 行")).unwrap_or_default();
    Error::Template(format!("文字模板 {name}（{origin}）{line}{what}：{err}"))
}

/// `1` → `一`, `12` → `十二`, `21` → `二十一`; other numbers as digits.
fn cn_numeral(n: i64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |d: i64| {
        usize::try_from(d)
            .ok()
            .and_then(|i| DIGITS.get(i))
            .copied()
            .unwrap_or("")
    };
    match n {
        1..=9 => digit(n).to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { digit(n - 10) }),
        20..=99 => format!(
            "{}十{}",
            digit(n / 10),
            if n % 10 == 0 { "" } else { digit(n % 10) }
        ),
        _ => n.to_string(),
    }
}

/// Names joined with `、`; more than `n` (default 3) as `甲、乙、丙等9个`.
fn abbrev(names: Vec<String>, n: Option<usize>) -> String {
    let n = n.unwrap_or(3).max(1);
    if names.len() <= n {
        names.join("、")
    } else {
        let head: Vec<&str> = names.iter().take(n).map(String::as_str).collect();
        format!("{}等{}个", head.join("、"), names.len())
    }
}

/// The environment every prose template is rendered in.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.add_filter("cn", cn_numeral);
    env.add_filter("abbrev", abbrev);
    // Every value printed into prose stays on its line: a name from the data holding a
    // line break (`甲镇\n\n# 标题`) must not start a paragraph or a heading.
    env.set_formatter(|out, _state, value| {
        let text = value.to_string();
        let flat: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        out.write_str(&flat).map_err(minijinja::Error::from)
    });
    env
}

/// Renders the prose template `name` (`notice.j2`) with `ctx`; `inserts` are the part
/// names its body may place.
///
/// # Errors
/// [`Error::Template`] naming the template when it does not parse, uses an undefined
/// variable, or places an unknown part; [`Error::Io`] when an override cannot be read.
pub(crate) fn render<C: Serialize>(
    name: &str,
    templates_dir: Option<&Path>,
    ctx: &C,
    inserts: &[&str],
) -> Result<Prose> {
    let (text, origin) = source(name, templates_dir)?;
    let text = mark_paragraphs(&text);
    let env = environment();
    let tmpl = env
        .template_from_named_str(name, &text)
        .map_err(|e| template_error(name, &origin, &e))?;
    let mut captured = tmpl
        .render_captured(ctx)
        .map_err(|e| template_error(name, &origin, &e))?;
    let block = |captured: &mut minijinja::Captured<'_>, block: &str| -> Result<Option<String>> {
        match captured.with_state_mut(|state| state.render_block(block)) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == ErrorKind::UnknownBlock => Ok(None),
            Err(e) => Err(template_error(name, &origin, &e)),
        }
    };
    let title = block(&mut captured, "title")?;
    let body = match block(&mut captured, "body")? {
        Some(body) => body,
        None if title.is_none() => captured.output().to_owned(),
        None => {
            return Err(Error::Template(format!(
                "文字模板 {name}（{origin}）有 {{% block title %}} 却没有 {{% block body %}}：正文须写在 body 块中。"
            )));
        }
    };
    let title = title
        .map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|t| !t.is_empty());
    Ok(Prose {
        title,
        blocks: parse_body(&body, inserts).map_err(|message| {
            Error::Template(format!("文字模板 {name}（{origin}）：{message}"))
        })?,
    })
}

/// Marks the template's paragraph structure so that it survives rendering: a blank line
/// outside any tag becomes a [`PARAGRAPH`] line, and a heading or `[[part]]` line is
/// enclosed in marks (`trim_blocks` joins a line ending in a block tag with the next one).
fn mark_paragraphs(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + 64);
    // The closing delimiter while inside a `{{ }}`, `{% %}` or `{# #}` tag.
    let mut inside: Option<&str> = None;
    for line in src.split_inclusive('\n') {
        let t = line.trim_start();
        let own_line =
            inside.is_none() && ["# ", "## ", "### ", "[["].iter().any(|m| t.starts_with(m));
        if (inside.is_none() && t.trim().is_empty()) || own_line {
            out.push(PARAGRAPH);
        }
        let after = scan_tags(line, inside);
        match line.strip_suffix('\n') {
            // A heading ends its paragraph even when a block tag ends its line.
            Some(body) if own_line && after.is_none() => {
                out.push_str(body);
                out.push(PARAGRAPH);
                out.push('\n');
            }
            _ => out.push_str(line),
        }
        inside = after;
    }
    out
}

/// The tag state at the end of `line`, given the state at its start.
fn scan_tags<'a>(line: &str, mut inside: Option<&'a str>) -> Option<&'a str> {
    let mut rest = line;
    loop {
        match inside {
            Some(close) => match rest.find(close) {
                Some(at) => {
                    rest = &rest[at + close.len()..];
                    inside = None;
                }
                None => return inside,
            },
            None => {
                let next = [("{{", "}}"), ("{%", "%}"), ("{#", "#}")]
                    .iter()
                    .filter_map(|(open, close)| rest.find(open).map(|at| (at, *open, *close)))
                    .min_by_key(|(at, _, _)| *at);
                match next {
                    Some((at, open, close)) => {
                        rest = &rest[at + open.len()..];
                        inside = Some(close);
                    }
                    None => return None,
                }
            }
        }
    }
}

/// Splits rendered text into paragraphs (at [`PARAGRAPH`] marks), headings and inserts.
fn parse_body(text: &str, inserts: &[&str]) -> std::result::Result<Vec<ProseBlock>, String> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, blocks: &mut Vec<ProseBlock>| {
        if !para.is_empty() {
            blocks.push(ProseBlock::Paragraph(join_lines(para)));
            para.clear();
        }
    };
    for segment in text.split(PARAGRAPH) {
        for line in segment.lines() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let heading = [("### ", 3), ("## ", 2), ("# ", 1)]
                .iter()
                .find_map(|(mark, level)| {
                    line.strip_prefix(mark).map(|rest| (*level, rest.trim()))
                });
            if let Some((level, rest)) = heading {
                flush(&mut para, &mut blocks);
                blocks.push(ProseBlock::Heading(level, rest.to_owned()));
                continue;
            }
            if let Some(part) = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
                let part = part.trim();
                if !inserts.contains(&part) {
                    return Err(format!(
                        "未知的插入位置「[[{part}]]」；本文档可用：{}",
                        inserts
                            .iter()
                            .map(|i| format!("[[{i}]]"))
                            .collect::<Vec<_>>()
                            .join("、")
                    ));
                }
                flush(&mut para, &mut blocks);
                blocks.push(ProseBlock::Insert(part.to_owned()));
                continue;
            }
            para.push(line);
        }
        flush(&mut para, &mut blocks);
    }
    Ok(blocks)
}

/// Joins the lines of a paragraph: nothing between Chinese text, a space between two
/// Latin words.
fn join_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    for line in lines {
        let latin_end = out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let latin_start = line
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if latin_end && latin_start {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests;
