//! Type-checks a parsed expression against the fields of its table and compiles it into a
//! tree of closures. Field names, parameter values, vocabulary words and list literals are
//! all resolved here, once; a row only runs the closures.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::fields::{self, Field, Row, RuleTable, Ty, Val};
use super::lang::{Expr, ExprKind, Op, SyntaxError};

/// A compiled expression.
pub(crate) type Eval = Box<dyn for<'r> Fn(&Row<'r>) -> Val<'r> + Send + Sync>;

/// A parameter value (`[params]` of a rule file, `[check.params]` of gonggu.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// A number.
    Num(Decimal),
    /// A text.
    Text(String),
    /// 是/否.
    Bool(bool),
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Param::Num(n) => write!(f, "{}", n.normalize()),
            Param::Text(t) => f.write_str(t),
            Param::Bool(b) => f.write_str(if *b { "是" } else { "否" }),
        }
    }
}

/// A row's cell as `blank()` sees it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// The row's table lacks the column.
    Absent,
    /// Filled, but not readable as the column's type.
    Unreadable,
    Read,
}

type Probe = Box<dyn Fn(&Row<'_>) -> Cell + Send + Sync>;

/// How a member aggregate folds its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fold {
    /// Counts members for whom the condition is true (`any`, `count`).
    True,
    /// Counts members for whom the condition is not true (`all`).
    NotTrue,
}

/// A per-household accumulator: a person condition counted over the household's members.
pub(crate) struct Slot {
    pub fold: Fold,
    pub pred: Eval,
}

pub(crate) struct Compiled {
    pub ty: Ty,
    pub eval: Eval,
}

/// What compiling needs and what it collects.
pub(crate) struct Ctx<'c> {
    pub table: RuleTable,
    pub params: &'c BTreeMap<String, Param>,
    pub as_of: NaiveDate,
    /// Member aggregates of household rules (shared by all rules of a run).
    pub slots: &'c mut Vec<Slot>,
    /// Every field read.
    pub fields: &'c mut Vec<&'static Field>,
    /// The dataset compiled for (`None`: every column present).
    pub ds: Option<&'c crate::model::Dataset>,
}

fn err(at: usize, message: String) -> SyntaxError {
    SyntaxError { at, message }
}

fn constant(ty: Ty, v: Val<'static>) -> Compiled {
    Compiled {
        ty,
        eval: Box::new(move |_| v.clone()),
    }
}

/// The name `截止日期`: the as-of date of the run.
pub(crate) const AS_OF: &str = "截止日期";

impl Ctx<'_> {
    pub(crate) fn compile(&mut self, e: &Expr) -> Result<Compiled, SyntaxError> {
        Ok(match &e.kind {
            ExprKind::Num(n) => constant(Ty::Num, Val::Num(*n)),
            ExprKind::Str(s) => constant(Ty::Text, Val::Text(Cow::Owned(s.clone()))),
            ExprKind::Bool(b) => constant(Ty::Bool, Val::Bool(*b)),
            ExprKind::Null => constant(Ty::Null, Val::Null),
            ExprKind::List(_) => {
                return Err(err(e.at, "列表 [...] 只能写在 in 或 has_any 之后".into()));
            }
            ExprKind::Name(name) => self.name(name, e.at)?,
            ExprKind::Call(name, args) => self.call(name, args, e.at)?,
            ExprKind::Not(inner) => {
                let c = self.boolean(inner)?;
                Compiled {
                    ty: Ty::Bool,
                    eval: Box::new(move |r| match (c.eval)(r) {
                        Val::Bool(b) => Val::Bool(!b),
                        _ => Val::Null,
                    }),
                }
            }
            ExprKind::Neg(inner) => {
                let c = self.number(inner)?;
                Compiled {
                    ty: Ty::Num,
                    eval: Box::new(move |r| match (c.eval)(r) {
                        Val::Num(n) => Val::Num(-n),
                        _ => Val::Null,
                    }),
                }
            }
            ExprKind::Bin(op, l, r) => self.binary(*op, l, r, e.at)?,
        })
    }

    fn name(&mut self, name: &str, at: usize) -> Result<Compiled, SyntaxError> {
        if let Some(p) = self.params.get(name) {
            return Ok(match p {
                Param::Num(n) => constant(Ty::Num, Val::Num(*n)),
                Param::Text(t) => constant(Ty::Text, Val::Text(Cow::Owned(t.clone()))),
                Param::Bool(b) => constant(Ty::Bool, Val::Bool(*b)),
            });
        }
        if name == AS_OF {
            return Ok(constant(Ty::Date, Val::Date(self.as_of)));
        }
        let Some(f) = fields::find(self.table, name) else {
            let known: Vec<&str> = fields::all()
                .iter()
                .filter(|f| f.table == self.table)
                .map(|f| f.name)
                .collect();
            return Err(err(
                at,
                format!(
                    "「{name}」不是{}表的字段，也不是参数（可用字段：{}）",
                    self.table.label(),
                    known.join("、")
                ),
            ));
        };
        if !self.fields.iter().any(|g| std::ptr::eq(*g, f)) {
            self.fields.push(f);
        }
        let get = f.get;
        Ok(Compiled {
            ty: f.ty,
            eval: Box::new(get),
        })
    }

    /// What a row's cell of the column an expression names is: absent (per row for the
    /// text columns, as one roster table may lack one; once for typed fields), filled but
    /// unreadable, or read; anything that is not a column is read.
    fn presence(&mut self, e: &Expr) -> Result<Probe, SyntaxError> {
        let ExprKind::Name(n) = &e.kind else {
            return Ok(Box::new(|_| Cell::Read));
        };
        let Some(f) = fields::find(self.table, n) else {
            return Ok(Box::new(|_| Cell::Read));
        };
        if let Some(k) = fields::text_column(f) {
            return Ok(Box::new(move |r| {
                if fields::has_text(r, k) {
                    Cell::Read
                } else {
                    Cell::Absent
                }
            }));
        }
        let present = match (self.ds, f.table.kind()) {
            (Some(ds), Some(kind)) => f.needs.iter().all(|c| ds.has_column(kind, c)),
            _ => true,
        };
        Ok(Box::new(move |r| {
            if !present {
                Cell::Absent
            } else if fields::unreadable(r, f) {
                Cell::Unreadable
            } else {
                Cell::Read
            }
        }))
    }

    fn typed(&mut self, e: &Expr, want: Ty, what: &str) -> Result<Compiled, SyntaxError> {
        let c = self.compile(e)?;
        if c.ty == want || c.ty == Ty::Null {
            Ok(c)
        } else {
            Err(err(
                e.at,
                format!("{what}应为{}，这里是{}", want.name(), c.ty.name()),
            ))
        }
    }

    fn boolean(&mut self, e: &Expr) -> Result<Compiled, SyntaxError> {
        self.typed(e, Ty::Bool, "条件")
    }

    fn number(&mut self, e: &Expr) -> Result<Compiled, SyntaxError> {
        self.typed(e, Ty::Num, "这里")
    }

    fn call(&mut self, name: &str, args: &[Expr], at: usize) -> Result<Compiled, SyntaxError> {
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(err(
                    at,
                    format!("{name}() 需要 {n} 个参数，这里有 {} 个", args.len()),
                ))
            }
        };
        let one = || {
            args.first()
                .ok_or_else(|| err(at, format!("{name}() 缺少参数")))
        };
        Ok(match name {
            "present" | "blank" => {
                arity(1)?;
                let arg = one()?;
                let want = name == "present";
                // A column the row's table lacks is neither blank nor present.
                let has = self.presence(arg)?;
                let c = self.compile(arg)?;
                Compiled {
                    ty: Ty::Bool,
                    eval: Box::new(move |r| match has(r) {
                        Cell::Absent => Val::Null,
                        Cell::Unreadable => Val::Bool(want),
                        Cell::Read => Val::Bool(filled(&(c.eval)(r)) == want),
                    }),
                }
            }
            "blanks" => {
                if args.is_empty() {
                    return Err(err(at, "blanks() 至少需要一个列名".into()));
                }
                let mut cols = Vec::with_capacity(args.len());
                for a in args {
                    let ExprKind::Name(n) = &a.kind else {
                        return Err(err(a.at, "blanks() 的参数应为列名".into()));
                    };
                    let has = self.presence(a)?;
                    let c = self.compile(a)?;
                    cols.push((n.clone(), has, c));
                }
                Compiled {
                    ty: Ty::Text,
                    eval: Box::new(move |r| {
                        let mut out = String::new();
                        for (n, has, c) in &cols {
                            if has(r) == Cell::Read && !filled(&(c.eval)(r)) {
                                if !out.is_empty() {
                                    out.push('、');
                                }
                                out.push_str(n);
                            }
                        }
                        if out.is_empty() {
                            Val::Null
                        } else {
                            Val::Text(Cow::Owned(out))
                        }
                    }),
                }
            }
            "yes" | "no" => {
                arity(1)?;
                let c = self.compile(one()?)?;
                let want = name == "yes";
                // Never null: a blank or absent cell is neither 是 nor 否.
                Compiled {
                    ty: Ty::Bool,
                    eval: Box::new(move |r| {
                        Val::Bool(match (c.eval)(r) {
                            Val::Bool(b) => b == want,
                            Val::Text(t) => t.trim() == if want { "是" } else { "否" },
                            _ => false,
                        })
                    }),
                }
            }
            "num" => {
                arity(1)?;
                let c = self.compile(one()?)?;
                if !matches!(c.ty, Ty::Text | Ty::Num | Ty::Null) {
                    return Err(err(
                        at,
                        format!("num() 的参数应为文本，这里是{}", c.ty.name()),
                    ));
                }
                Compiled {
                    ty: Ty::Num,
                    eval: Box::new(move |r| match (c.eval)(r) {
                        Val::Num(n) => Val::Num(n),
                        Val::Text(t) => parse_number(&t).map_or(Val::Null, Val::Num),
                        _ => Val::Null,
                    }),
                }
            }
            "substr" => {
                arity(3)?;
                let t = self.typed(&args[0], Ty::Text, "substr() 的第一个参数")?;
                let from = self.typed(&args[1], Ty::Num, "substr() 的第二个参数")?;
                let len = self.typed(&args[2], Ty::Num, "substr() 的第三个参数")?;
                Compiled {
                    ty: Ty::Text,
                    eval: Box::new(move |r| {
                        let (Val::Text(t), Val::Num(f), Val::Num(n)) =
                            ((t.eval)(r), (from.eval)(r), (len.eval)(r))
                        else {
                            return Val::Null;
                        };
                        let (Ok(f), Ok(n)) = (
                            usize::try_from(f.trunc().mantissa()),
                            usize::try_from(n.trunc().mantissa()),
                        ) else {
                            return Val::Null;
                        };
                        let part: String = t.chars().skip(f.saturating_sub(1)).take(n).collect();
                        Val::Text(Cow::Owned(part))
                    }),
                }
            }
            "contains" => {
                arity(2)?;
                let a = self.typed(&args[0], Ty::Text, "contains() 的第一个参数")?;
                let ExprKind::Str(word) = &args[1].kind else {
                    return Err(err(
                        args[1].at,
                        "contains() 的第二个参数应为带引号的文字".into(),
                    ));
                };
                let word = word.clone();
                Compiled {
                    ty: Ty::Bool,
                    eval: Box::new(move |r| match (a.eval)(r) {
                        Val::Text(t) => Val::Bool(t.contains(word.as_str())),
                        _ => Val::Null,
                    }),
                }
            }
            "len" => {
                arity(1)?;
                let c = self.typed(one()?, Ty::Text, "len() 的参数")?;
                Compiled {
                    ty: Ty::Num,
                    eval: Box::new(move |r| match (c.eval)(r) {
                        Val::Text(t) => Val::Num(Decimal::from(t.chars().count() as u64)),
                        _ => Val::Null,
                    }),
                }
            }
            "is_mobile" => {
                arity(1)?;
                let c = self.typed(one()?, Ty::Text, "is_mobile() 的参数")?;
                Compiled {
                    ty: Ty::Bool,
                    eval: Box::new(move |r| match (c.eval)(r) {
                        Val::Text(t) => Val::Bool(fields::is_mobile(&t)),
                        _ => Val::Null,
                    }),
                }
            }
            "add_months" => {
                arity(2)?;
                let d = self.typed(&args[0], Ty::Date, "add_months() 的第一个参数")?;
                let n = self.typed(&args[1], Ty::Num, "add_months() 的第二个参数")?;
                Compiled {
                    ty: Ty::Date,
                    eval: Box::new(move |r| match ((d.eval)(r), (n.eval)(r)) {
                        (Val::Date(d), Val::Num(n)) => u32::try_from(n.trunc().mantissa())
                            .ok()
                            .and_then(|n| d.checked_add_months(Months::new(n)))
                            .map_or(Val::Null, Val::Date),
                        _ => Val::Null,
                    }),
                }
            }
            "month" | "year" => {
                arity(1)?;
                let d = self.typed(one()?, Ty::Date, &format!("{name}() 的参数"))?;
                let month = name == "month";
                Compiled {
                    ty: Ty::Num,
                    eval: Box::new(move |r| match (d.eval)(r) {
                        Val::Date(d) if month => {
                            Val::Num(Decimal::from(d.year() * 100 + d.month() as i32))
                        }
                        Val::Date(d) => Val::Num(Decimal::from(d.year())),
                        _ => Val::Null,
                    }),
                }
            }
            "between" => {
                arity(3)?;
                let x = self.compile(&args[0])?;
                let lo = self.compile(&args[1])?;
                let hi = self.compile(&args[2])?;
                for (c, a) in [(&lo, &args[1]), (&hi, &args[2])] {
                    if !comparable(x.ty, c.ty) {
                        return Err(err(
                            a.at,
                            format!("不能比较{}和{}", x.ty.name(), c.ty.name()),
                        ));
                    }
                }
                Compiled {
                    ty: Ty::Bool,
                    eval: Box::new(move |r| {
                        let v = (x.eval)(r);
                        match (order(&(lo.eval)(r), &v), order(&v, &(hi.eval)(r))) {
                            (Some(a), Some(b)) => Val::Bool(a.is_le() && b.is_le()),
                            _ => Val::Null,
                        }
                    }),
                }
            }
            "if" => {
                arity(3)?;
                let c = self.boolean(&args[0])?;
                let a = self.compile(&args[1])?;
                let b = self.compile(&args[2])?;
                let ty = match (a.ty, b.ty) {
                    (x, Ty::Null) => x,
                    (Ty::Null, y) => y,
                    (x, y) if x == y => x,
                    (x, y) => {
                        return Err(err(
                            args[2].at,
                            format!("if() 的两个结果类型不同：{}和{}", x.name(), y.name()),
                        ));
                    }
                };
                Compiled {
                    ty,
                    eval: Box::new(move |r| {
                        if (c.eval)(r).is_true() {
                            (a.eval)(r)
                        } else {
                            (b.eval)(r)
                        }
                    }),
                }
            }
            "any" | "all" | "count" => {
                arity(1)?;
                if self.table != RuleTable::Household {
                    return Err(err(
                        at,
                        format!("{name}() 汇总一户的成员，只能用在户规则中"),
                    ));
                }
                let mut inner = Ctx {
                    table: RuleTable::Person,
                    params: self.params,
                    as_of: self.as_of,
                    slots: &mut *self.slots,
                    fields: &mut *self.fields,
                    ds: self.ds,
                };
                let pred = inner.boolean(one()?)?;
                let fold = if name == "all" {
                    Fold::NotTrue
                } else {
                    Fold::True
                };
                self.slots.push(Slot {
                    fold,
                    pred: pred.eval,
                });
                let k = self.slots.len() - 1;
                let count = name == "count";
                let any = name == "any";
                Compiled {
                    ty: if count { Ty::Num } else { Ty::Bool },
                    eval: Box::new(move |r| {
                        let n = r.acc.get(k).copied().unwrap_or(0);
                        if count {
                            Val::Num(Decimal::from(n))
                        } else {
                            Val::Bool((n > 0) == any)
                        }
                    }),
                }
            }
            _ => {
                return Err(err(
                    at,
                    format!(
                        "没有函数 {name}()（可用：present、blank、blanks、yes、no、num、contains、substr、len、is_mobile、add_months、month、year、between、if、any、all、count）"
                    ),
                ));
            }
        })
    }

    fn binary(&mut self, op: Op, l: &Expr, r: &Expr, at: usize) -> Result<Compiled, SyntaxError> {
        match op {
            Op::And | Op::Or => {
                let a = self.boolean(l)?;
                let b = self.boolean(r)?;
                let and = op == Op::And;
                Ok(Compiled {
                    ty: Ty::Bool,
                    eval: Box::new(move |row| {
                        let x = (a.eval)(row);
                        // Short-circuit: false and …, true or ….
                        if x == Val::Bool(!and) {
                            return x;
                        }
                        match (x, (b.eval)(row)) {
                            (_, y @ Val::Bool(v)) if v != and => y,
                            (Val::Bool(_), y @ Val::Bool(_)) => y,
                            _ => Val::Null,
                        }
                    }),
                })
            }
            Op::Add | Op::Sub | Op::Mul | Op::Div => {
                let a = self.number(l)?;
                let b = self.number(r)?;
                Ok(Compiled {
                    ty: Ty::Num,
                    eval: Box::new(move |row| match ((a.eval)(row), (b.eval)(row)) {
                        (Val::Num(x), Val::Num(y)) => match op {
                            Op::Add => x.checked_add(y),
                            Op::Sub => x.checked_sub(y),
                            Op::Mul => x.checked_mul(y),
                            _ => x.checked_div(y),
                        }
                        .map_or(Val::Null, Val::Num),
                        _ => Val::Null,
                    }),
                })
            }
            Op::In | Op::NotIn => self.membership(l, r, op == Op::NotIn),
            Op::Has | Op::HasAny => self.has(l, r, op == Op::HasAny),
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => self.comparison(op, l, r, at),
        }
    }

    /// A word of `vocab`, or an error naming the words.
    fn word(vocab: &[&str], e: &Expr, of: &str) -> Result<u8, SyntaxError> {
        let ExprKind::Str(s) = &e.kind else {
            return Err(err(e.at, format!("这里应为{of}的一个取值（加引号）")));
        };
        vocab
            .iter()
            .position(|w| w == s)
            .and_then(|i| u8::try_from(i).ok())
            .ok_or_else(|| {
                err(
                    e.at,
                    format!("「{s}」不是{of}的取值（可用：{}）", vocab.join("、")),
                )
            })
    }

    fn comparison(
        &mut self,
        op: Op,
        l: &Expr,
        r: &Expr,
        at: usize,
    ) -> Result<Compiled, SyntaxError> {
        let a = self.compile(l)?;
        let b = self.compile(r)?;
        // A vocabulary field against a word: compare codes.
        let (a, b, word) = match (a.ty, &r.kind, b.ty, &l.kind) {
            (Ty::Enum(v), ExprKind::Str(_), _, _) => (a, b, Some((v, l, r))),
            (_, _, Ty::Enum(v), ExprKind::Str(_)) => (b, a, Some((v, r, l))),
            _ => (a, b, None),
        };
        if let Some((vocab, field_side, word_side)) = word {
            if !matches!(op, Op::Eq | Op::Ne) {
                return Err(err(at, "取值只能用 == 或 != 比较".into()));
            }
            let code = Self::word(vocab, word_side, &describe_expr(field_side))?;
            let eq = op == Op::Eq;
            return Ok(Compiled {
                ty: Ty::Bool,
                eval: Box::new(move |row| match (a.eval)(row) {
                    Val::Enum(c) => Val::Bool((c == code) == eq),
                    _ => Val::Null,
                }),
            });
        }
        // `x == null` and `x != null` test blankness and are never null themselves.
        if a.ty == Ty::Null || b.ty == Ty::Null {
            if !matches!(op, Op::Eq | Op::Ne) {
                return Err(err(at, "空值只能用 == 或 != 比较".into()));
            }
            let x = if a.ty == Ty::Null { b } else { a };
            let eq = op == Op::Eq;
            return Ok(Compiled {
                ty: Ty::Bool,
                eval: Box::new(move |row| Val::Bool(((x.eval)(row) == Val::Null) == eq)),
            });
        }
        if !comparable(a.ty, b.ty) {
            return Err(err(at, format!("不能比较{}和{}", a.ty.name(), b.ty.name())));
        }
        if matches!(a.ty, Ty::Bool | Ty::Enum(_) | Ty::Set(_)) && !matches!(op, Op::Eq | Op::Ne) {
            return Err(err(at, format!("{}只能用 == 或 != 比较", a.ty.name())));
        }
        Ok(Compiled {
            ty: Ty::Bool,
            eval: Box::new(move |row| match order(&(a.eval)(row), &(b.eval)(row)) {
                None => Val::Null,
                Some(o) => Val::Bool(match op {
                    Op::Eq => o.is_eq(),
                    Op::Ne => o.is_ne(),
                    Op::Lt => o.is_lt(),
                    Op::Le => o.is_le(),
                    Op::Gt => o.is_gt(),
                    _ => o.is_ge(),
                }),
            }),
        })
    }

    fn list(r: &Expr) -> Result<&[Expr], SyntaxError> {
        match &r.kind {
            ExprKind::List(items) => Ok(items),
            _ => Err(err(r.at, "这里应为列表 [...]".into())),
        }
    }

    fn membership(&mut self, l: &Expr, r: &Expr, negate: bool) -> Result<Compiled, SyntaxError> {
        let items = Self::list(r)?;
        let x = self.compile(l)?;
        if let Ty::Enum(vocab) = x.ty {
            let of = describe_expr(l);
            let mut mask = 0u32;
            for item in items {
                mask |= 1 << Self::word(vocab, item, &of)?;
            }
            return Ok(Compiled {
                ty: Ty::Bool,
                eval: Box::new(move |row| match (x.eval)(row) {
                    Val::Enum(c) => Val::Bool((mask >> c & 1 == 1) != negate),
                    _ => Val::Null,
                }),
            });
        }
        let mut values = Vec::with_capacity(items.len());
        for item in items {
            let c = self.compile(item)?;
            if !comparable(x.ty, c.ty) {
                return Err(err(item.at, format!("列表中的值应为{}", x.ty.name())));
            }
            values.push(c);
        }
        Ok(Compiled {
            ty: Ty::Bool,
            eval: Box::new(move |row| {
                let v = (x.eval)(row);
                if v == Val::Null {
                    return Val::Null;
                }
                let found = values
                    .iter()
                    .any(|c| order(&v, &(c.eval)(row)).is_some_and(Ordering::is_eq));
                Val::Bool(found != negate)
            }),
        })
    }

    fn has(&mut self, l: &Expr, r: &Expr, any: bool) -> Result<Compiled, SyntaxError> {
        let s = self.compile(l)?;
        let Ty::Set(vocab) = s.ty else {
            return Err(err(l.at, "has / has_any 的左边应为多选字段".into()));
        };
        let of = describe_expr(l);
        let mask = if any {
            let mut m = 0u32;
            for item in Self::list(r)? {
                m |= 1 << Self::word(vocab, item, &of)?;
            }
            m
        } else {
            1 << Self::word(vocab, r, &of)?
        };
        Ok(Compiled {
            ty: Ty::Bool,
            eval: Box::new(move |row| match (s.eval)(row) {
                Val::Set(bits) => Val::Bool(bits & mask != 0),
                _ => Val::Null,
            }),
        })
    }
}

/// Whether a value counts as filled in: not null, not blank text.
fn filled(v: &Val<'_>) -> bool {
    match v {
        Val::Null => false,
        Val::Text(t) => !t.trim().is_empty(),
        _ => true,
    }
}

/// A number as the exports write it: `1,234.5`, `1234元`, `202304.0`.
fn parse_number(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let t = t.strip_suffix('元').unwrap_or(t).replace([',', '，'], "");
    t.parse::<Decimal>().ok().or_else(|| {
        t.parse::<f64>()
            .ok()
            .and_then(|f| Decimal::try_from(f).ok())
    })
}

fn describe_expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        _ => "该值".to_string(),
    }
}

fn comparable(a: Ty, b: Ty) -> bool {
    match (a, b) {
        (Ty::Null, _) | (_, Ty::Null) => true,
        (Ty::Enum(x), Ty::Enum(y)) | (Ty::Set(x), Ty::Set(y)) => std::ptr::eq(x, y),
        (x, y) => x == y,
    }
}

/// Orders two values of one type; `None` when either is null.
fn order(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => Some(x.cmp(y)),
        (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
        (Val::Date(x), Val::Date(y)) => Some(x.cmp(y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        (Val::Enum(x), Val::Enum(y)) => Some(x.cmp(y)),
        (Val::Set(x), Val::Set(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// How a value is written in a message or a value cell. `fmt`: `年月` (dates as `2024年6月`),
/// `日期` (`2024年6月30日`), or empty.
pub(crate) fn display(v: &Val<'_>, ty: Ty, fmt: &str) -> String {
    match v {
        Val::Null => "空".to_string(),
        Val::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Val::Num(n) => n.normalize().to_string(),
        Val::Text(t) => t.to_string(),
        Val::Date(d) => match fmt {
            "年月" => crate::text::month_zh(*d),
            "日期" => crate::text::date_zh(*d),
            _ => d.to_string(),
        },
        Val::Enum(c) => match ty {
            Ty::Enum(words) => words
                .get(usize::from(*c))
                .copied()
                .unwrap_or("")
                .to_string(),
            _ => String::new(),
        },
        Val::Set(bits) => match ty {
            Ty::Set(words) => words
                .iter()
                .enumerate()
                .filter(|(i, _)| bits >> i & 1 == 1)
                .map(|(_, w)| *w)
                .collect::<Vec<_>>()
                .join("、"),
            _ => String::new(),
        },
    }
}

/// A message or label with `{expression}` and `{expression:格式}` placeholders.
pub(crate) struct Template {
    parts: Vec<Part>,
}

enum Part {
    Text(String),
    Value {
        c: Compiled,
        fmt: String,
        personal: Option<&'static str>,
    },
}

impl Template {
    /// Compiles a template; positions in errors count characters of the whole template.
    pub(crate) fn compile(text: &str, ctx: &mut Ctx<'_>) -> Result<Template, SyntaxError> {
        let chars: Vec<char> = text.chars().collect();
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            match c {
                '{' if chars.get(i + 1) == Some(&'{') => {
                    lit.push('{');
                    i += 2;
                }
                '}' if chars.get(i + 1) == Some(&'}') => {
                    lit.push('}');
                    i += 2;
                }
                '{' => {
                    let start = i + 1;
                    let Some(len) = chars[start..].iter().position(|&c| c == '}') else {
                        return Err(err(i + 1, "占位符 { 没有结束".into()));
                    };
                    let inner: String = chars[start..start + len].iter().collect();
                    let (expr, fmt) = match inner.rsplit_once(':') {
                        Some((e, f)) if matches!(f.trim(), "年月" | "日期") => {
                            (e.to_string(), f.trim().to_string())
                        }
                        _ => (inner.clone(), String::new()),
                    };
                    let parsed =
                        super::lang::parse(&expr).map_err(|e| err(e.at + start, e.message))?;
                    let personal = match &parsed.kind {
                        ExprKind::Name(n) => fields::find(ctx.table, n)
                            .filter(|f| f.personal)
                            .map(|f| f.name),
                        _ => None,
                    };
                    let c = ctx
                        .compile(&parsed)
                        .map_err(|e| err(e.at + start, e.message))?;
                    if !lit.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut lit)));
                    }
                    parts.push(Part::Value { c, fmt, personal });
                    i = start + len + 1;
                }
                '}' => return Err(err(i + 1, "多余的 }（字面的 } 请写 }}）".into())),
                c => {
                    lit.push(c);
                    i += 1;
                }
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Text(lit));
        }
        Ok(Template { parts })
    }

    /// The text for one row; personal data is masked.
    pub(crate) fn render(&self, row: &Row<'_>) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Value { c, fmt, personal } => {
                    let text = display(&(c.eval)(row), c.ty, fmt);
                    match personal {
                        Some(column) => {
                            out.push_str(&crate::mask::Pii::Masked.quote(column, &text))
                        }
                        None => out.push_str(&text),
                    }
                }
            }
        }
        out
    }

    /// Whether the template is one placeholder whose value is null for this row.
    pub(crate) fn is_null(&self, row: &Row<'_>) -> bool {
        matches!(self.parts.as_slice(), [Part::Value { c, .. }] if (c.eval)(row) == Val::Null)
    }
}
