//! The rule condition language: a small expression grammar over named fields.
//!
//! ```text
//! expr    := or
//! or      := and (("or" | "或") and)*
//! and     := not (("and" | "且") not)*
//! not     := ("not" | "非") not | compare
//! compare := sum (op sum)?        op: == != < <= > >= in "not in" has has_any
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | primary
//! primary := number | 'text' | "text" | true | false | null | [list]
//!          | name "(" args ")" | name | `any name` | "(" expr ")"
//! ```
//!
//! Names are Chinese or ASCII words (`年龄`, `人均纯收入`, `monitoring_line`); a column name
//! with other characters is written between backticks (`` `致贫/返贫风险1` ``).
//!
//! The grammar is small and fixed, so the parser is a hand-written recursive descent of
//! about 250 lines rather than a parser-generator crate: it counts positions in characters
//! (what a user sees in a Chinese expression), needs no build step, and its error messages
//! are Chinese. Parsing happens once per rule and run; rows only ever see compiled closures
//! (see `compile.rs`).

use rust_decimal::Decimal;

/// A parse error: message and 1-based character position in the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub at: usize,
    pub message: String,
}

/// An expression node with its 1-based character position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expr {
    pub at: usize,
    pub kind: ExprKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExprKind {
    Num(Decimal),
    Str(String),
    Bool(bool),
    Null,
    List(Vec<Expr>),
    Name(String),
    Call(String, Vec<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Has,
    HasAny,
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Decimal),
    Str(String),
    Word(String),
    /// A backtick-quoted name: never a keyword.
    Quoted(String),
    Sym(&'static str),
    End,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '（' || c == '）'
}

fn lex(text: &str) -> Result<Vec<(usize, Tok)>, SyntaxError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |at: usize, message: String| SyntaxError {
        at: at + 1,
        message,
    };
    while let Some(&c) = chars.get(i) {
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_digit() || *c == '.')
            {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            let n = s
                .parse::<Decimal>()
                .map_err(|_| err(start, format!("「{s}」不是数字")))?;
            out.push((start + 1, Tok::Num(n)));
            continue;
        }
        if matches!(c, '\'' | '"' | '「' | '`') {
            let close = match c {
                '「' => '」',
                other => other,
            };
            i += 1;
            let from = i;
            while chars.get(i).is_some_and(|&d| d != close) {
                i += 1;
            }
            if i >= chars.len() {
                return Err(err(start, format!("引号 {c} 没有结束")));
            }
            let s: String = chars[from..i].iter().collect();
            i += 1;
            out.push((
                start + 1,
                if c == '`' {
                    Tok::Quoted(s)
                } else {
                    Tok::Str(s)
                },
            ));
            continue;
        }
        if is_word_char(c) {
            while chars.get(i).copied().is_some_and(is_word_char) {
                i += 1;
            }
            out.push((start + 1, Tok::Word(chars[start..i].iter().collect())));
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let sym = ["==", "!=", "<=", ">="]
            .into_iter()
            .find(|s| *s == two)
            .or_else(|| {
                ["<", ">", "(", ")", "[", "]", ",", "+", "-", "*", "/", "="]
                    .into_iter()
                    .find(|s| s.starts_with(c))
            });
        match sym {
            Some("=") => return Err(err(start, "比较相等请写 ==".into())),
            Some(s) => {
                i += s.chars().count();
                out.push((start + 1, Tok::Sym(s)));
            }
            None => return Err(err(start, format!("无法识别的字符「{c}」"))),
        }
    }
    out.push((chars.len() + 1, Tok::End));
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
}

/// Parses a condition or value expression.
pub(crate) fn parse(text: &str) -> Result<Expr, SyntaxError> {
    let mut p = Parser {
        toks: lex(text)?,
        pos: 0,
    };
    let e = p.or()?;
    match p.peek() {
        Tok::End => Ok(e),
        t => Err(p.error(format!("多余的「{}」", describe(t)))),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => n.to_string(),
        Tok::Str(s) => format!("'{s}'"),
        Tok::Word(w) => w.clone(),
        Tok::Quoted(w) => format!("`{w}`"),
        Tok::Sym(s) => (*s).to_string(),
        Tok::End => "结尾".to_string(),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map_or(&Tok::End, |(_, t)| t)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(0, |(a, _)| *a)
    }

    fn error(&self, message: String) -> SyntaxError {
        SyntaxError {
            at: self.at(),
            message,
        }
    }

    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn is_word(&self, words: &[&str]) -> bool {
        matches!(self.peek(), Tok::Word(w) if words.contains(&w.as_str()))
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Sym(t) if *t == s)
    }

    fn expect(&mut self, s: &str) -> Result<(), SyntaxError> {
        if self.is_sym(s) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!(
                "这里应为「{s}」，却是「{}」",
                describe(self.peek())
            )))
        }
    }

    fn bin(op: Op, at: usize, l: Expr, r: Expr) -> Expr {
        Expr {
            at,
            kind: ExprKind::Bin(op, Box::new(l), Box::new(r)),
        }
    }

    fn or(&mut self) -> Result<Expr, SyntaxError> {
        let mut l = self.and()?;
        while self.is_word(&["or", "或"]) {
            let at = self.at();
            self.pos += 1;
            let r = self.and()?;
            l = Self::bin(Op::Or, at, l, r);
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Expr, SyntaxError> {
        let mut l = self.not()?;
        while self.is_word(&["and", "且"]) {
            let at = self.at();
            self.pos += 1;
            let r = self.not()?;
            l = Self::bin(Op::And, at, l, r);
        }
        Ok(l)
    }

    fn not(&mut self) -> Result<Expr, SyntaxError> {
        if self.is_word(&["not", "非"]) {
            let at = self.at();
            self.pos += 1;
            let e = self.not()?;
            return Ok(Expr {
                at,
                kind: ExprKind::Not(Box::new(e)),
            });
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Expr, SyntaxError> {
        let l = self.sum()?;
        let at = self.at();
        let op = match self.peek() {
            Tok::Sym("==") => Op::Eq,
            Tok::Sym("!=") => Op::Ne,
            Tok::Sym("<") => Op::Lt,
            Tok::Sym("<=") => Op::Le,
            Tok::Sym(">") => Op::Gt,
            Tok::Sym(">=") => Op::Ge,
            Tok::Word(w) if w == "in" => Op::In,
            Tok::Word(w) if w == "has" => Op::Has,
            Tok::Word(w) if w == "has_any" => Op::HasAny,
            Tok::Word(w)
                if w == "not"
                    && matches!(self.toks.get(self.pos + 1), Some((_, Tok::Word(n))) if n == "in") =>
            {
                self.pos += 1;
                Op::NotIn
            }
            _ => return Ok(l),
        };
        self.pos += 1;
        let r = self.sum()?;
        if matches!(self.peek(), Tok::Sym("==" | "!=" | "<" | "<=" | ">" | ">=")) {
            return Err(self.error("比较不能连写，请用 and 连接两个比较".into()));
        }
        Ok(Self::bin(op, at, l, r))
    }

    fn sum(&mut self) -> Result<Expr, SyntaxError> {
        let mut l = self.product()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("+") => Op::Add,
                Tok::Sym("-") => Op::Sub,
                _ => return Ok(l),
            };
            let at = self.at();
            self.pos += 1;
            let r = self.product()?;
            l = Self::bin(op, at, l, r);
        }
    }

    fn product(&mut self) -> Result<Expr, SyntaxError> {
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("*") => Op::Mul,
                Tok::Sym("/") => Op::Div,
                _ => return Ok(l),
            };
            let at = self.at();
            self.pos += 1;
            let r = self.unary()?;
            l = Self::bin(op, at, l, r);
        }
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        if self.is_sym("-") {
            let at = self.at();
            self.pos += 1;
            let e = self.unary()?;
            return Ok(Expr {
                at,
                kind: ExprKind::Neg(Box::new(e)),
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let kind = match self.bump() {
            Tok::Num(n) => ExprKind::Num(n),
            Tok::Str(s) => ExprKind::Str(s),
            Tok::Quoted(w) => ExprKind::Name(w),
            Tok::Word(w) => match w.as_str() {
                "true" | "是" => ExprKind::Bool(true),
                "false" | "否" => ExprKind::Bool(false),
                "null" | "空" => ExprKind::Null,
                "and" | "or" | "not" | "in" | "has" | "has_any" | "且" | "或" | "非" => {
                    self.pos -= 1;
                    return Err(self.error(format!("「{w}」前面缺少内容")));
                }
                _ if self.is_sym("(") => {
                    self.pos += 1;
                    let mut args = Vec::new();
                    if !self.is_sym(")") {
                        loop {
                            args.push(self.or()?);
                            if self.is_sym(",") {
                                self.pos += 1;
                            } else {
                                break;
                            }
                        }
                    }
                    self.expect(")")?;
                    ExprKind::Call(w, args)
                }
                _ => ExprKind::Name(w),
            },
            Tok::Sym("(") => {
                let e = self.or()?;
                self.expect(")")?;
                return Ok(e);
            }
            Tok::Sym("[") => {
                let mut items = Vec::new();
                if !self.is_sym("]") {
                    loop {
                        items.push(self.or()?);
                        if self.is_sym(",") {
                            self.pos += 1;
                        } else {
                            break;
                        }
                    }
                }
                self.expect("]")?;
                ExprKind::List(items)
            }
            t => {
                self.pos -= 1;
                return Err(self.error(format!("这里缺少值，却是「{}」", describe(&t))));
            }
        };
        Ok(Expr { at, kind })
    }
}
