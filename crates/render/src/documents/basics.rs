//! The 基本情况 part of the documents: the headline counts a bureau reports first —
//! 脱贫户 and 脱贫人口, the three categories of 监测对象 (户 and 人), 风险消除, 务工就业 by
//! destination for 脱贫人口 and 监测对象, 公益性岗位 — as phrases for the prose templates
//! ([`BasicsFacts`]) and as tables by unit ([`basics_tables`]), from [`Report::basics`].
//!
//! Only the counts the inputs support are there (the core leaves out the others), so a
//! phrase or a column is simply absent when, say, the roster has no 监测对象类别 column:
//! never a 0 that was not counted.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

use gonggu_core::compute::{Cell, DASH, Report, Row};

/// One group of columns of a counts table: its heading and (sub-heading, measure) pairs.
type Group = (&'static str, &'static [(&'static str, &'static str)]);

/// The first table: 脱贫 and 监测 households and persons, by category.
const FAMILIES: &[Group] = &[
    (
        "脱贫户",
        &[("户数", "tuopin_households"), ("人数", "tuopin_persons")],
    ),
    (
        "监测对象",
        &[
            ("户数", "monitored_households"),
            ("人数", "monitored_persons"),
        ],
    ),
    (
        "脱贫不稳定户",
        &[
            ("户数", "unstable_households"),
            ("人数", "unstable_persons"),
        ],
    ),
    (
        "边缘易致贫户",
        &[
            ("户数", "marginal_households"),
            ("人数", "marginal_persons"),
        ],
    ),
    (
        "突发严重困难户",
        &[("户数", "sudden_households"), ("人数", "sudden_persons")],
    ),
    (
        "风险已消除",
        &[
            ("户数", "eliminated_households"),
            ("人数", "eliminated_persons"),
        ],
    ),
];

/// The second table: 务工就业 by destination and 公益性岗位.
const WORK: &[Group] = &[
    (
        "脱贫人口务工就业",
        &[
            ("合计", "tuopin_employed_persons"),
            ("县内", "tuopin_employed_in_county"),
            ("省内县外", "tuopin_employed_in_province"),
            ("省外", "tuopin_employed_out_province"),
            ("去向不明", "tuopin_employed_unknown"),
        ],
    ),
    (
        "监测对象务工就业",
        &[
            ("合计", "monitored_employed_persons"),
            ("县内", "monitored_employed_in_county"),
            ("省内县外", "monitored_employed_in_province"),
            ("省外", "monitored_employed_out_province"),
            ("去向不明", "monitored_employed_unknown"),
        ],
    ),
    (
        "公益性岗位",
        &[
            ("合计", "welfare_post_persons"),
            ("脱贫人口", "tuopin_welfare_post_persons"),
            ("监测对象", "monitored_welfare_post_persons"),
        ],
    ),
];

/// The compact table of the brief: one column per headline count.
const COMPACT: &[(&str, &str)] = &[
    ("脱贫人口", "tuopin_persons"),
    ("监测户数", "monitored_households"),
    ("监测对象\n人数", "monitored_persons"),
    ("风险已消除\n户数", "eliminated_households"),
    ("脱贫人口\n务工", "tuopin_employed_persons"),
    ("监测对象\n务工", "monitored_employed_persons"),
    ("公益性\n岗位", "welfare_post_persons"),
];

/// The headline counts as phrases (`脱贫户7232户28537人`) for the prose templates; every
/// part is absent when the inputs do not give it.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct BasicsFacts {
    /// `脱贫户7232户28537人`.
    pub tuopin: Option<String>,
    /// `监测对象951户2878人`.
    pub monitored: Option<String>,
    /// The categories with any household: `脱贫不稳定户39户119人` …
    pub categories: Vec<String>,
    /// `风险已消除312户1020人`.
    pub eliminated: Option<String>,
    /// `脱贫人口务工就业3862人` with its destinations (`县内2611人` …).
    pub tuopin_work: Option<Breakdown>,
    /// The same for 监测对象.
    pub monitored_work: Option<Breakdown>,
    /// `公益性岗位安置1989人` with `脱贫人口中1892人`, `监测对象中97人` (a member of a
    /// 脱贫不稳定户 is in both).
    pub posts: Option<Breakdown>,
    /// The changes since the previous period that are not nil (`监测对象增加12户40人`);
    /// empty without a previous period.
    pub changes: Vec<String>,
    /// Whether a previous period was compared (so "no change" can be said as such).
    pub has_previous: bool,
}

/// A count and its parts, as phrases.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Breakdown {
    /// `脱贫人口务工就业3862人`.
    pub total: String,
    /// `县内2611人` …; parts of zero are left out.
    pub parts: Vec<String>,
}

fn count(row: &Row, id: &str) -> Option<Decimal> {
    row.cell(id).and_then(|c| c.value)
}

fn change(row: &Row, id: &str) -> Option<Decimal> {
    row.cell(id).and_then(|c| c.change)
}

/// `7232户28537人` (or only the households, or only the persons, as available).
fn pair(row: &Row, households: &str, persons: &str) -> Option<String> {
    match (count(row, households), count(row, persons)) {
        (Some(h), Some(p)) => Some(format!("{h}户{p}人")),
        (Some(h), None) => Some(format!("{h}户")),
        (None, Some(p)) => Some(format!("{p}人")),
        (None, None) => None,
    }
}

fn breakdown(row: &Row, label: &str, total: &str, parts: &[(&str, &str)]) -> Option<Breakdown> {
    let n = count(row, total)?;
    Some(Breakdown {
        total: format!("{label}{n}人"),
        parts: parts
            .iter()
            .filter_map(|(name, id)| {
                count(row, id)
                    .filter(|v| !v.is_zero())
                    .map(|v| format!("{name}{v}人"))
            })
            .collect(),
    })
}

/// Workers of the class `prefix` (`tuopin_employed`) by destination.
fn work(row: &Row, label: &str, prefix: &str) -> Option<Breakdown> {
    let ids = [
        ("县内", format!("{prefix}_in_county")),
        ("省内县外", format!("{prefix}_in_province")),
        ("省外", format!("{prefix}_out_province")),
        ("去向不明", format!("{prefix}_unknown")),
    ];
    let parts: Vec<(&str, &str)> = ids.iter().map(|(n, id)| (*n, id.as_str())).collect();
    breakdown(row, label, &format!("{prefix}_persons"), &parts)
}

/// `增加12户40人`, `减少3户`, `户数增加1户、人数减少2人`; `None` when nothing changed.
fn pair_change(row: &Row, households: &str, persons: &str) -> Option<String> {
    let word = |d: Decimal| {
        if d.is_sign_positive() {
            "增加"
        } else {
            "减少"
        }
    };
    let h = change(row, households).filter(|d| !d.is_zero());
    let p = change(row, persons).filter(|d| !d.is_zero());
    match (h, p) {
        (Some(h), Some(p)) if h.is_sign_positive() == p.is_sign_positive() => {
            Some(format!("{}{}户{}人", word(h), h.abs(), p.abs()))
        }
        (Some(h), Some(p)) => Some(format!(
            "户数{}{}户、人数{}{}人",
            word(h),
            h.abs(),
            word(p),
            p.abs()
        )),
        (Some(h), None) => Some(format!("{}{}户", word(h), h.abs())),
        (None, Some(p)) => Some(format!("{}{}人", word(p), p.abs())),
        (None, None) => None,
    }
}

/// The facts of the 基本情况 paragraph, from the parent's row of [`Report::basics`].
pub(crate) fn facts(report: &Report) -> Option<BasicsFacts> {
    let basics = report.basics.as_deref()?;
    let t = &basics.total;
    let categories = [
        ("脱贫不稳定户", "unstable_households", "unstable_persons"),
        ("边缘易致贫户", "marginal_households", "marginal_persons"),
        ("突发严重困难户", "sudden_households", "sudden_persons"),
    ]
    .iter()
    .filter(|(_, h, _)| count(t, h).is_some_and(|v| !v.is_zero()))
    .filter_map(|(name, h, p)| pair(t, h, p).map(|x| format!("{name}{x}")))
    .collect();
    let mut changes = Vec::new();
    for (label, h, p) in [
        ("脱贫户", "tuopin_households", "tuopin_persons"),
        ("监测对象", "monitored_households", "monitored_persons"),
        (
            "风险已消除的",
            "eliminated_households",
            "eliminated_persons",
        ),
    ] {
        if let Some(c) = pair_change(t, h, p) {
            changes.push(format!("{label}{c}"));
        }
    }
    for (label, id) in [
        ("脱贫人口务工就业", "tuopin_employed_persons"),
        ("监测对象务工就业", "monitored_employed_persons"),
        ("公益性岗位安置", "welfare_post_persons"),
    ] {
        if let Some(c) = change(t, id).filter(|d| !d.is_zero()) {
            let word = if c.is_sign_positive() {
                "增加"
            } else {
                "减少"
            };
            changes.push(format!("{label}{word}{}人", c.abs()));
        }
    }
    Some(BasicsFacts {
        tuopin: pair(t, "tuopin_households", "tuopin_persons").map(|x| format!("脱贫户{x}")),
        monitored: pair(t, "monitored_households", "monitored_persons")
            .map(|x| format!("监测对象{x}")),
        categories,
        eliminated: pair(t, "eliminated_households", "eliminated_persons")
            .map(|x| format!("风险已消除{x}")),
        tuopin_work: work(t, "脱贫人口务工就业", "tuopin_employed"),
        monitored_work: work(t, "监测对象务工就业", "monitored_employed"),
        // A member of a 脱贫不稳定户 is both: the parts are not a partition of the total.
        posts: breakdown(
            t,
            "公益性岗位安置",
            "welfare_post_persons",
            &[
                ("脱贫人口中", "tuopin_welfare_post_persons"),
                ("监测对象中", "monitored_welfare_post_persons"),
            ],
        ),
        changes,
        has_previous: basics.previous_as_of.is_some(),
    })
}

fn display(c: Option<&Cell>) -> String {
    c.map_or_else(|| DASH.to_string(), |c| c.display.clone())
}

/// `+5`, `-3`, `0`; `—` without a previous value.
fn signed(c: Option<&Cell>) -> String {
    match c.and_then(|c| c.change) {
        Some(d) if d.is_sign_positive() && !d.is_zero() => format!("+{d}"),
        Some(d) => d.to_string(),
        None => DASH.to_string(),
    }
}

/// The groups of `groups` with the columns `basics` has; a destination column that is
/// zero everywhere (去向不明 in most counties) is left out.
fn present(
    basics: &Report,
    groups: &[Group],
) -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    let has = |id: &str| basics.indicator(id).is_some();
    let nonzero = |id: &str| {
        basics
            .total
            .cell(id)
            .and_then(|c| c.value)
            .is_some_and(|v| !v.is_zero())
    };
    groups
        .iter()
        .map(|(name, cols)| {
            let cols: Vec<(&str, &str)> = cols
                .iter()
                .copied()
                .filter(|(sub, id)| has(id) && (*sub != "去向不明" || nonzero(id)))
                .collect();
            (*name, cols)
        })
        .filter(|(_, cols)| !cols.is_empty())
        .collect()
}

/// One counts table: two header rows (group over 户数 / 人数 …), a row per unit, the
/// total and, with a previous period, the total's change.
fn table(basics: &Report, caption: &str, groups: &[Group], note: &str) -> Option<Value> {
    let groups = present(basics, groups);
    if groups.is_empty() {
        return None;
    }
    let unit_word = super::facts::unit_name(basics.level);
    let mut head1 = vec![json!({ "text": unit_word, "rowspan": 2 })];
    let mut head2 = Vec::new();
    let mut ids = Vec::new();
    for (name, cols) in &groups {
        head1.push(json!({ "text": name, "colspan": cols.len() }));
        for (sub, id) in cols {
            head2.push(Value::from(*sub));
            ids.push(*id);
        }
    }
    let row = |r: &Row| -> Value {
        let mut cells = vec![Value::from(r.region.as_str())];
        cells.extend(ids.iter().map(|id| Value::from(display(r.cell(id)))));
        Value::from(cells)
    };
    let mut rows: Vec<Value> = basics.rows.iter().map(row).collect();
    let mut total: Vec<Value> = vec![Value::from(basics.total.region.as_str())];
    total.extend(
        ids.iter()
            .map(|id| Value::from(display(basics.total.cell(id)))),
    );
    let mut footnote = vec![note.to_string()];
    if basics.previous_as_of.is_some() {
        // The total's change, under the total row (bold like it).
        let mut changes = vec![json!({ "text": "较上期增减", "strong": true })];
        changes.extend(
            ids.iter()
                .map(|id| json!({ "text": signed(basics.total.cell(id)), "strong": true })),
        );
        // The total stays bold as the last body row.
        let strong: Vec<Value> = total
            .iter()
            .map(|t| json!({ "text": t, "strong": true }))
            .collect();
        rows.push(Value::from(strong));
        total = changes;
        footnote.push("“较上期增减”为合计数与上期之差（户或人）。".to_string());
    }
    let mut widths = vec![1.7];
    widths.extend(ids.iter().map(|_| 1.0));
    Some(json!({
        "type": "table",
        "caption": caption,
        "note": super::tables::as_of_note(basics),
        "columns": widths,
        "header": [head1, head2],
        "rows": rows,
        "total": total,
        "footnote": footnote.join(""),
        "font_size": 10.5,
        "landscape": ids.len() + 1 > super::tables::PORTRAIT_MAX_COLUMNS,
        "unbreakable": basics.rows.len() <= super::tables::KEEP_TOGETHER_ROWS,
    }))
}

/// The two counts tables by unit (脱贫和监测对象; 务工就业和公益性岗位), titled with
/// `parent`; empty without [`Report::basics`].
pub(crate) fn basics_tables(report: &Report, title: &str) -> Vec<Value> {
    let Some(basics) = report.basics.as_deref() else {
        return Vec::new();
    };
    let totals = "合计行为各单位之和，由明细重新计算。";
    [
        table(
            basics,
            &format!("{title}脱贫人口和监测对象情况表"),
            FAMILIES,
            &format!("注：监测对象按监测对象类别统计，含风险已消除的。{totals}"),
        ),
        table(
            basics,
            &format!("{title}务工就业和公益性岗位情况表"),
            WORK,
            &format!("注：务工就业按务工去向统计，各项之和等于合计。{totals}"),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The brief's compact counts table: one column per headline count, a row per unit.
pub(crate) fn compact_table(report: &Report) -> Option<Value> {
    let basics = report.basics.as_deref()?;
    let cols: Vec<(&str, &str)> = COMPACT
        .iter()
        .copied()
        .filter(|(_, id)| basics.indicator(id).is_some())
        .collect();
    if cols.is_empty() {
        return None;
    }
    let unit_word = super::facts::unit_name(basics.level);
    let mut header = vec![Value::from(unit_word)];
    header.extend(cols.iter().map(|(h, _)| Value::from(*h)));
    let row = |r: &Row| -> Vec<Value> {
        let mut cells = vec![Value::from(r.region.as_str())];
        cells.extend(cols.iter().map(|(_, id)| Value::from(display(r.cell(id)))));
        cells
    };
    let mut widths = vec![1.6];
    widths.extend(cols.iter().map(|_| 1.0));
    Some(json!({
        "type": "table",
        "columns": widths,
        "header": [header],
        "rows": basics.rows.iter().map(row).collect::<Vec<_>>(),
        "total": row(&basics.total),
        "font_size": 8.5,
        "row_inset": 0.22,
    }))
}
