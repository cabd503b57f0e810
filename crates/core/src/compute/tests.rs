//! Tests of the rules of SPEC §4.3 and the JSON/CSV shape of §7.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::catalog::Catalog;
use crate::measures::Tally;
use crate::region::Level;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn tally(pairs: &[(&str, i64)]) -> Tally {
    let mut t = Tally::default();
    for (id, v) in pairs {
        t.add(id, Decimal::from(*v));
    }
    t
}

fn unit(label: &str, t: Tally) -> UnitInput {
    UnitInput {
        key: format!("商丘市/{label}"),
        label: label.to_string(),
        tally: t,
        targets: BTreeMap::new(),
        has_data: true,
    }
}

fn sum(units: &[UnitInput]) -> Tally {
    let mut t = Tally::default();
    for u in units {
        t.absorb(&u.tally);
    }
    t
}

fn input<'a>(catalog: &'a Catalog, sel: &[&str], units: Vec<UnitInput>) -> ReportInput<'a> {
    ReportInput {
        catalog,
        selection: sel.iter().map(|s| s.to_string()).collect(),
        level: Level::County,
        parent: "商丘市".to_string(),
        as_of: date(2021, 12, 11),
        total: sum(&units),
        units,
        params: BTreeMap::new(),
        warning: WarningConfig::default(),
        previous: None,
    }
}

fn cell<'r>(r: &'r Report, region: &str, id: &str) -> &'r Cell {
    let row = if r.total.region == region && !r.rows.iter().any(|x| x.region == region) {
        &r.total
    } else {
        r.rows.iter().find(|x| x.region == region).unwrap()
    };
    row.cell(id).unwrap()
}

fn ranks(r: &Report, id: &str) -> Vec<Option<u32>> {
    r.rows
        .iter()
        .map(|row| row.cell(id).unwrap().rank)
        .collect()
}

fn displays(r: &Report, id: &str) -> Vec<String> {
    r.rows
        .iter()
        .map(|row| row.cell(id).unwrap().display.clone())
        .collect()
}

const SHANGQIU: [&str; 10] = [
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
];

fn projects(started: i64, planned: i64) -> Tally {
    tally(&[
        ("started_projects", started),
        ("planned_projects", planned),
        ("completed_projects", started / 2),
        ("funds_allocated", 100),
        ("funds_spent", 40),
        ("funds_industry", 60),
    ])
}

#[test]
fn shangqiu_start_rate_nine_at_100_rank_1_one_at_98_81_ranks_10() {
    let c = Catalog::builtin().unwrap();
    let planned = [84, 168, 84, 42, 21, 63, 105, 126, 147, 84];
    let units: Vec<UnitInput> = SHANGQIU
        .iter()
        .zip(planned)
        .map(|(name, p)| {
            let started = if *name == "虞城县" { p - 1 } else { p };
            unit(name, projects(started, p))
        })
        .collect();
    let r = build_report(input(&c, &["project_start_rate"], units)).unwrap();
    // Rows stay in official order.
    let names: Vec<&str> = r.rows.iter().map(|x| x.region.as_str()).collect();
    assert_eq!(names, SHANGQIU);
    assert_eq!(
        displays(&r, "project_start_rate"),
        vec![
            "100.00%", "100.00%", "98.81%", "100.00%", "100.00%", "100.00%", "100.00%", "100.00%",
            "100.00%", "100.00%"
        ]
    );
    assert_eq!(
        ranks(&r, "project_start_rate"),
        vec![
            Some(1),
            Some(1),
            Some(10),
            Some(1),
            Some(1),
            Some(1),
            Some(1),
            Some(1),
            Some(1),
            Some(1)
        ]
    );
    let yc = cell(&r, "虞城县", "project_start_rate");
    assert_eq!(yc.value, Some(dec("0.9881")));
    assert_eq!(
        (yc.numerator, yc.denominator),
        (Some(dec("83")), Some(dec("84")))
    );
    // Target 100%: 虞城县 not met (红); 100% met with no warning.
    assert_eq!(
        (yc.target, yc.target_met, yc.warning),
        (Some(dec("1")), Some(false), Some(Warning::Red))
    );
    let yongcheng = cell(&r, "永城市", "project_start_rate");
    assert_eq!(
        (yongcheng.target_met, yongcheng.warning),
        (Some(true), None)
    );
    // The total row is never ranked.
    assert_eq!(cell(&r, "商丘市", "project_start_rate").rank, None);
}

#[test]
fn assisted_share_ties_on_displayed_value() {
    let c = Catalog::builtin().unwrap();
    // (assisted, monitored): three at 100.0%, then 99.9%, then lower values.
    let data = [
        (500, 500),
        (999, 1000),
        (300, 300),
        (1996, 2000), // 99.8%
        (1200, 1200),
        (1998, 2000),  // 99.9%
        (990, 1000),   // 99.0%
        (9995, 10000), // 99.95% → 100.0% displayed
        (950, 1000),
        (970, 1000),
    ];
    let units: Vec<UnitInput> = SHANGQIU
        .iter()
        .zip(data)
        .map(|(name, (a, m))| {
            unit(
                name,
                tally(&[
                    ("assisted_monitored_households", a),
                    ("monitored_households", m),
                ]),
            )
        })
        .collect();
    let r = build_report(input(&c, &["assisted_share"], units)).unwrap();
    assert_eq!(
        displays(&r, "assisted_share"),
        vec![
            "100.0%", "99.9%", "100.0%", "99.8%", "100.0%", "99.9%", "99.0%", "100.0%", "95.0%",
            "97.0%"
        ]
    );
    assert_eq!(
        ranks(&r, "assisted_share"),
        vec![
            Some(1),
            Some(5),
            Some(1),
            Some(7),
            Some(1),
            Some(5),
            Some(8),
            Some(1),
            Some(10),
            Some(9)
        ]
    );
}

#[test]
fn shangqiu_three_at_100_rank_1_and_99_9_ranks_4() {
    let c = Catalog::builtin().unwrap();
    let data = [(100, 100), (200, 200), (999, 1000), (50, 50), (980, 1000)];
    let units: Vec<UnitInput> = SHANGQIU
        .iter()
        .zip(data)
        .map(|(name, (a, m))| {
            unit(
                name,
                tally(&[
                    ("assisted_monitored_households", a),
                    ("monitored_households", m),
                ]),
            )
        })
        .collect();
    let r = build_report(input(&c, &["assisted_share"], units)).unwrap();
    assert_eq!(
        ranks(&r, "assisted_share"),
        vec![Some(1), Some(1), Some(4), Some(1), Some(5)]
    );
    assert_eq!(cell(&r, "虞城县", "assisted_share").display, "99.9%");
    // 99.9% meets nothing of a 100% target: 红.
    assert_eq!(
        cell(&r, "虞城县", "assisted_share").warning,
        Some(Warning::Red)
    );
}

#[test]
fn rounding_is_half_away_from_zero_on_exact_quotient() {
    let c = Catalog::builtin().unwrap();
    // 19761 / 20000 = 0.98805 exactly: 四舍五入 gives 98.81% (banker's rounding would give 98.80%).
    let units = vec![
        unit(
            "永城市",
            tally(&[("started_projects", 19761), ("planned_projects", 20000)]),
        ),
        unit(
            "夏邑县",
            tally(&[("started_projects", 19761), ("planned_projects", 20001)]),
        ),
    ];
    let r = build_report(input(&c, &["project_start_rate"], units)).unwrap();
    let a = cell(&r, "永城市", "project_start_rate");
    assert_eq!(
        (a.value, a.display.as_str()),
        (Some(dec("0.9881")), "98.81%")
    );
    // 19761/20001 = 0.988000599… → 98.80% with its trailing zero.
    let b = cell(&r, "夏邑县", "project_start_rate");
    assert_eq!(
        (b.value, b.display.as_str()),
        (Some(dec("0.9880")), "98.80%")
    );
}

#[test]
fn zero_denominator_gives_no_value_and_no_rank() {
    let c = Catalog::builtin().unwrap();
    let units = vec![
        unit(
            "永城市",
            tally(&[("started_projects", 0), ("planned_projects", 0)]),
        ),
        unit(
            "夏邑县",
            tally(&[("started_projects", 3), ("planned_projects", 4)]),
        ),
        unit(
            "虞城县",
            tally(&[("started_projects", 1), ("planned_projects", 4)]),
        ),
    ];
    let r = build_report(input(&c, &["project_start_rate"], units)).unwrap();
    let z = cell(&r, "永城市", "project_start_rate");
    assert_eq!(z.value, None);
    assert_eq!(z.display, "—");
    assert_eq!(z.rank, None);
    assert_eq!(z.target_met, None);
    assert_eq!(z.warning, None);
    assert_eq!(
        (z.numerator, z.denominator),
        (Some(dec("0")), Some(dec("0")))
    );
    assert_eq!(
        ranks(&r, "project_start_rate"),
        vec![None, Some(1), Some(2)]
    );
}

#[test]
fn total_is_sum_of_numerators_over_sum_of_denominators() {
    let c = Catalog::builtin().unwrap();
    // Unit rates 50.00% and 10.00%: their mean is 30.00%, the true total 2/12 = 16.67%.
    let units = vec![
        unit(
            "永城市",
            tally(&[("loan_balance_households", 1), ("covered_households", 2)]),
        ),
        unit(
            "夏邑县",
            tally(&[("loan_balance_households", 1), ("covered_households", 10)]),
        ),
    ];
    let r = build_report(input(&c, &["loan_household_rate"], units)).unwrap();
    let t = &r.total;
    assert_eq!(t.region, "商丘市");
    let tc = t.cell("loan_household_rate").unwrap();
    assert_eq!(tc.value, Some(dec("0.1667")));
    assert_eq!(tc.display, "16.67%");
    assert_eq!(
        (tc.numerator, tc.denominator),
        (Some(dec("2")), Some(dec("12")))
    );
    assert_eq!(tc.rank, None);
}

#[test]
fn total_comes_from_parent_tally_not_units() {
    // Projects without a town count in the county total only (SPEC §3.2).
    let c = Catalog::builtin().unwrap();
    let units = vec![
        unit(
            "城关镇",
            tally(&[("planned_projects", 3), ("started_projects", 3)]),
        ),
        unit(
            "会亭镇",
            tally(&[("planned_projects", 2), ("started_projects", 1)]),
        ),
    ];
    let mut inp = input(&c, &["project_start_rate", "planned_projects"], units);
    inp.total = tally(&[("planned_projects", 8), ("started_projects", 6)]);
    let r = build_report(inp).unwrap();
    assert_eq!(
        r.total.cell("project_start_rate").unwrap().display,
        "75.00%"
    );
    assert_eq!(
        r.total.cell("planned_projects").unwrap().value,
        Some(dec("8"))
    );
}

#[test]
fn count_indicators_are_not_ranked_and_display_plainly() {
    let c = Catalog::builtin().unwrap();
    let units = vec![
        unit("永城市", tally(&[("tuopin_households", 7232)])),
        unit("夏邑县", tally(&[("tuopin_households", 12345)])),
    ];
    let r = build_report(input(&c, &["tuopin_households"], units)).unwrap();
    assert_eq!(displays(&r, "tuopin_households"), vec!["7232", "12345"]);
    assert_eq!(ranks(&r, "tuopin_households"), vec![None, None]);
    let t = r.total.cell("tuopin_households").unwrap();
    assert_eq!(
        (t.value, t.numerator, t.denominator),
        (Some(dec("19577")), Some(dec("19577")), None)
    );
    assert_eq!(t.display, "19577");
}

#[test]
fn lower_better_ranks_ascending() {
    let text = r#"
[[indicator]]
id = "overdue_rate"
name = "逾期率"
kind = "ratio"
numerator = "overdue_households"
denominator = "loan_balance_households"
decimals = 2
direction = "lower"
target = { max = "1%" }
"#;
    let c = Catalog::builtin()
        .unwrap()
        .overlay_toml(text, "x.toml")
        .unwrap();
    let units = vec![
        unit(
            "永城市",
            tally(&[("overdue_households", 5), ("loan_balance_households", 1000)]),
        ),
        unit(
            "夏邑县",
            tally(&[
                ("overdue_households", 20),
                ("loan_balance_households", 1000),
            ]),
        ),
        unit(
            "虞城县",
            tally(&[("overdue_households", 1), ("loan_balance_households", 1000)]),
        ),
    ];
    let r = build_report(input(&c, &["overdue_rate"], units)).unwrap();
    assert_eq!(ranks(&r, "overdue_rate"), vec![Some(2), Some(3), Some(1)]);
    // ≤1%: 0.50% met (by 0.5 points: 黄), 2.00% 红, 0.10% met (0.9 points: 黄).
    let w: Vec<_> = r
        .rows
        .iter()
        .map(|x| x.cell("overdue_rate").unwrap().warning)
        .collect();
    assert_eq!(
        w,
        vec![
            Some(Warning::Yellow),
            Some(Warning::Red),
            Some(Warning::Yellow)
        ]
    );
}

#[test]
fn indicator_without_source_table_is_left_out_with_note() {
    let c = Catalog::builtin().unwrap();
    let units = vec![
        unit(
            "永城市",
            tally(&[
                ("assisted_monitored_households", 9),
                ("monitored_households", 10),
            ]),
        ),
        unit(
            "夏邑县",
            tally(&[
                ("assisted_monitored_households", 5),
                ("monitored_households", 5),
            ]),
        ),
    ];
    let r = build_report(input(
        &c,
        &[
            "project_start_rate",
            "assisted_share",
            "project_completion_rate",
            "employment_target_completion",
        ],
        units,
    ))
    .unwrap();
    let ids: Vec<&str> = r.indicators.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, vec!["assisted_share"]);
    assert!(r.rows.iter().all(|row| row.values.len() == 1));
    assert_eq!(r.total.values.len(), 1);
    assert_eq!(
        r.notes,
        vec![
            "未提供项目表（缺少：已开工项目数、纳入年度实施计划项目数、已完工项目数），略去指标：纳入年度实施计划项目开工率、项目完工率",
            "未提供人员表（缺少：脱贫人口务工就业人数、务工就业目标人数），略去指标：务工就业目标完成率",
        ]
    );
}

#[test]
fn missing_measure_for_one_unit_gives_dash_in_that_cell() {
    let c = Catalog::builtin().unwrap();
    let units = vec![
        unit(
            "永城市",
            tally(&[
                ("tuopin_employed_persons", 10738),
                ("employment_target_persons", 10000),
            ]),
        ),
        unit("夏邑县", tally(&[("tuopin_employed_persons", 5000)])),
    ];
    let r = build_report(input(&c, &["employment_target_completion"], units)).unwrap();
    assert_eq!(r.indicators.len(), 1);
    assert_eq!(
        displays(&r, "employment_target_completion"),
        vec!["107.38%", "—"]
    );
    assert_eq!(
        ranks(&r, "employment_target_completion"),
        vec![Some(1), None]
    );
    let x = cell(&r, "夏邑县", "employment_target_completion");
    assert_eq!(
        (x.numerator, x.denominator, x.target_met),
        (Some(dec("5000")), None, None)
    );
    // 107.38% against 100%: met; ≥100% is complete, never 黄.
    let y = cell(&r, "永城市", "employment_target_completion");
    assert_eq!((y.target_met, y.warning), (Some(true), None));
}

#[test]
fn fixed_targets_and_warnings() {
    let c = Catalog::builtin().unwrap();
    let f = |ind: i64, all: i64| tally(&[("funds_industry", ind), ("funds_allocated", all)]);
    let units = vec![
        unit("永城市", f(596, 1000)),   // 59.6%: 红
        unit("夏邑县", f(610, 1000)),   // 61.0%: met by 1.0 point: 黄
        unit("虞城县", f(620, 1000)),   // 62.0%: met by exactly 2 points: none
        unit("示范区", f(650, 1000)),   // 65.0%: none
        unit("梁园区", f(5995, 10000)), // 59.95% → 60.0% displayed: met, 黄
    ];
    let r = build_report(input(&c, &["industry_fund_share"], units)).unwrap();
    let got: Vec<_> = r
        .rows
        .iter()
        .map(|x| {
            let c = x.cell("industry_fund_share").unwrap();
            (c.target, c.target_met, c.warning)
        })
        .collect();
    let t = Some(dec("0.6"));
    assert_eq!(
        got,
        vec![
            (t, Some(false), Some(Warning::Red)),
            (t, Some(true), Some(Warning::Yellow)),
            (t, Some(true), None),
            (t, Some(true), None),
            (t, Some(true), Some(Warning::Yellow)),
        ]
    );
    // The total gets a target status too: (596+610+620+650+5995)/14000 = 60.5%.
    let tc = r.total.cell("industry_fund_share").unwrap();
    assert_eq!(tc.display, "60.5%");
    assert_eq!(
        (tc.target_met, tc.warning),
        (Some(true), Some(Warning::Yellow))
    );
}

#[test]
fn yellow_margin_is_configurable() {
    let c = Catalog::builtin().unwrap();
    let units = vec![unit(
        "永城市",
        tally(&[("certified_persons", 430), ("labor_persons", 1000)]),
    )];
    let mut inp = input(&c, &["certificate_rate"], units.clone());
    let r = build_report(inp.clone()).unwrap();
    assert_eq!(cell(&r, "永城市", "certificate_rate").warning, None); // 43.0% vs 40%: 3 points
    inp.warning = WarningConfig {
        yellow_points: dec("5"),
    };
    let r = build_report(inp).unwrap();
    assert_eq!(
        cell(&r, "永城市", "certificate_rate").warning,
        Some(Warning::Yellow)
    );
}

#[test]
fn target_uses_rounded_value() {
    let c = Catalog::builtin().unwrap();
    // 3995/10000 = 39.95% → shown 40.0%: meets ≥40%.
    let units = vec![
        unit(
            "永城市",
            tally(&[("certified_persons", 3995), ("labor_persons", 10000)]),
        ),
        unit(
            "夏邑县",
            tally(&[("certified_persons", 3994), ("labor_persons", 10000)]),
        ),
    ];
    let r = build_report(input(&c, &["certificate_rate"], units)).unwrap();
    let a = cell(&r, "永城市", "certificate_rate");
    assert_eq!((a.display.as_str(), a.target_met), ("40.0%", Some(true)));
    let b = cell(&r, "夏邑县", "certificate_rate");
    assert_eq!((b.display.as_str(), b.target_met), ("39.9%", Some(false)));
}

#[test]
fn param_target_above_monitoring_line() {
    let c = Catalog::builtin().unwrap();
    let inc = |sum: i64, n: i64| tally(&[("income_persons_sum", sum), ("income_persons", n)]);
    let units = vec![
        unit("永城市", inc(7500 * 3, 3)), // exactly the line: not above
        unit("夏邑县", inc(7501 * 2, 2)),
        unit("虞城县", inc(20819, 2)), // 10409.5 → 10410
    ];
    let mut inp = input(&c, &["per_capita_income"], units);
    let r = build_report(inp.clone()).unwrap();
    let met: Vec<_> = r
        .rows
        .iter()
        .map(|x| x.cell("per_capita_income").unwrap().target_met)
        .collect();
    assert_eq!(met, vec![Some(false), Some(true), Some(true)]);
    assert_eq!(cell(&r, "虞城县", "per_capita_income").display, "10410");
    assert_eq!(
        cell(&r, "虞城县", "per_capita_income").target,
        Some(dec("7500"))
    );
    // No 黄 for per-capita values, even 1 元 above the line.
    assert_eq!(cell(&r, "夏邑县", "per_capita_income").warning, None);
    assert_eq!(
        cell(&r, "永城市", "per_capita_income").warning,
        Some(Warning::Red)
    );
    assert_eq!(r.params.get("monitoring_line"), Some(&dec("7500")));
    // A run can change the line.
    inp.params
        .insert("monitoring_line".to_string(), dec("8000"));
    let r = build_report(inp).unwrap();
    assert_eq!(
        cell(&r, "夏邑县", "per_capita_income").target,
        Some(dec("8000"))
    );
    assert_eq!(
        cell(&r, "夏邑县", "per_capita_income").target_met,
        Some(false)
    );
}

#[test]
fn fund_progress_target_follows_as_of_date() {
    let c = Catalog::builtin().unwrap();
    let units = vec![unit(
        "永城市",
        tally(&[("funds_spent", 4202), ("funds_allocated", 10000)]),
    )];
    let at = |d: NaiveDate| {
        let mut inp = input(&c, &["fund_spend_progress"], units.clone());
        inp.as_of = d;
        let r = build_report(inp).unwrap();
        let x = cell(&r, "永城市", "fund_spend_progress").clone();
        (x.target, x.target_met, x.warning)
    };
    // May: time-elapsed 5/12 = 41.67%; 42.02% met by 0.35 points → 黄.
    assert_eq!(
        at(date(2023, 5, 31)),
        (Some(dec("0.4167")), Some(true), Some(Warning::Yellow))
    );
    assert_eq!(at(date(2023, 3, 31)), (Some(dec("0.25")), Some(true), None));
    assert_eq!(
        at(date(2023, 6, 30)),
        (Some(dec("0.5")), Some(false), Some(Warning::Red))
    );
    assert_eq!(
        at(date(2023, 10, 31)),
        (Some(dec("0.75")), Some(false), Some(Warning::Red))
    );
    assert_eq!(
        at(date(2023, 12, 31)),
        (Some(dec("1")), Some(false), Some(Warning::Red))
    );
}

#[test]
fn per_unit_targets_override_catalog() {
    let c = Catalog::builtin().unwrap();
    let mut a = unit(
        "永城市",
        tally(&[("certified_persons", 45), ("labor_persons", 100)]),
    );
    a.targets.insert("certificate_rate".to_string(), dec("0.5"));
    let b = unit(
        "夏邑县",
        tally(&[("certified_persons", 45), ("labor_persons", 100)]),
    );
    // An indicator without a catalog target gets one from the 目标 table.
    let mut d = unit(
        "虞城县",
        tally(&[("certified_persons", 45), ("labor_persons", 100)]),
    );
    d.targets.insert("employment_rate".to_string(), dec("0.9"));
    for u in [&mut a, &mut d] {
        u.tally.add("employed_persons", dec("80"));
    }
    let mut units = vec![a, b, d];
    units[1].tally.add("employed_persons", dec("95"));
    let inp = input(&c, &["certificate_rate", "employment_rate"], units);
    let r = build_report(inp).unwrap();
    let x = cell(&r, "永城市", "certificate_rate");
    assert_eq!((x.target, x.target_met), (Some(dec("0.5")), Some(false)));
    let y = cell(&r, "夏邑县", "certificate_rate");
    assert_eq!((y.target, y.target_met), (Some(dec("0.4")), Some(true)));
    let z = cell(&r, "虞城县", "employment_rate");
    assert_eq!(
        (z.target, z.target_met, z.warning),
        (Some(dec("0.9")), Some(false), Some(Warning::Red))
    );
    let w = cell(&r, "夏邑县", "employment_rate");
    assert_eq!((w.target, w.target_met), (None, None));
    // The total uses the catalog target only.
    assert_eq!(
        r.total.cell("certificate_rate").unwrap().target,
        Some(dec("0.4"))
    );
    assert_eq!(r.total.cell("employment_rate").unwrap().target, None);
}

#[test]
fn regions_without_data_show_dash() {
    let c = Catalog::builtin().unwrap();
    let mut empty = unit("示范区", Tally::default());
    empty.has_data = false;
    let units = vec![
        unit(
            "永城市",
            tally(&[("certified_persons", 40), ("labor_persons", 100)]),
        ),
        empty,
        unit(
            "夏邑县",
            tally(&[("certified_persons", 50), ("labor_persons", 100)]),
        ),
    ];
    let r = build_report(input(&c, &["certificate_rate"], units)).unwrap();
    assert_eq!(
        displays(&r, "certificate_rate"),
        vec!["40.0%", "—", "50.0%"]
    );
    assert_eq!(ranks(&r, "certificate_rate"), vec![Some(2), None, Some(1)]);
    assert!(!r.rows[1].has_data);
    assert_eq!(r.rows[1].region, "示范区");
    assert_eq!(r.notes, vec!["以下县（市、区）没有数据，显示为“—”：示范区"]);
}

#[test]
fn single_unit_gets_a_note() {
    let c = Catalog::builtin().unwrap();
    let units = vec![unit("夏邑县", tally(&[("tuopin_households", 10)]))];
    let r = build_report(input(&c, &["tuopin_households"], units)).unwrap();
    assert_eq!(r.rows.len(), 1);
    assert_eq!(
        r.notes,
        vec!["本级只有一个县（市、区）（夏邑县），可改按乡镇统计排名。"]
    );
}

#[test]
fn unknown_selected_indicator_is_an_error_and_duplicates_collapse() {
    let c = Catalog::builtin().unwrap();
    let units = vec![unit("永城市", tally(&[("tuopin_households", 10)]))];
    let e = build_report(input(&c, &["nope"], units.clone()))
        .unwrap_err()
        .to_string();
    assert!(e.contains("所选指标「nope」不在指标目录中"), "{e}");
    let r = build_report(input(
        &c,
        &["tuopin_households", "tuopin_households"],
        units,
    ))
    .unwrap();
    assert_eq!(r.indicators.len(), 1);
}

fn loan_units(data: &[(&str, i64, i64)]) -> Vec<UnitInput> {
    data.iter()
        .map(|(n, l, c)| {
            unit(
                n,
                tally(&[
                    ("loan_balance_households", *l),
                    ("covered_households", *c),
                    ("employed_persons", *l),
                ]),
            )
        })
        .collect()
}

#[test]
fn period_comparison_changes_and_rank_moves() {
    let c = Catalog::builtin().unwrap();
    let sel = ["loan_household_rate", "employed_persons"];
    let prev = build_report({
        let mut i = input(
            &c,
            &sel,
            loan_units(&[
                ("永城市", 2316, 10000),
                ("夏邑县", 300, 1000),
                ("虞城县", 240, 1000),
            ]),
        );
        i.as_of = date(2021, 11, 30);
        i
    })
    .unwrap();
    assert_eq!(
        ranks(&prev, "loan_household_rate"),
        vec![Some(3), Some(1), Some(2)]
    );
    let mut now_units = loan_units(&[
        ("永城市", 2441, 10000),
        ("夏邑县", 240, 1000),
        ("虞城县", 200, 1000),
    ]);
    // Display name changed; the key still matches.
    now_units[2].label = "虞城".to_string();
    let mut inp = input(&c, &sel, now_units);
    inp.previous = Some(&prev);
    let r = build_report(inp).unwrap();
    assert_eq!(r.previous_as_of, Some(date(2021, 11, 30)));
    assert_eq!(
        ranks(&r, "loan_household_rate"),
        vec![Some(1), Some(2), Some(3)]
    );
    let y = cell(&r, "永城市", "loan_household_rate");
    // 24.41% − 23.16% = 1.25 个百分点.
    assert_eq!(y.change, Some(dec("1.25")));
    assert_eq!(
        (y.previous_rank, y.rank_move.as_deref()),
        (Some(3), Some("↑2"))
    );
    assert_eq!(
        format_change(r.indicator("loan_household_rate").unwrap(), y.change),
        "提高1.25个百分点"
    );
    let x = cell(&r, "夏邑县", "loan_household_rate");
    assert_eq!(x.change, Some(dec("-6")));
    assert_eq!(x.rank_move.as_deref(), Some("↓1"));
    let u = cell(&r, "虞城", "loan_household_rate");
    assert_eq!(u.change, Some(dec("-4")));
    assert_eq!(u.rank_move.as_deref(), Some("↓1"));
    // Counts change in their unit; not ranked → no rank move.
    let e = cell(&r, "永城市", "employed_persons");
    assert_eq!(
        (e.change, e.previous_rank, e.rank_move.clone()),
        (Some(dec("125")), None, None)
    );
    // The total changes too.
    let t = r.total.cell("loan_household_rate").unwrap();
    // 2856/12000 = 23.80% → 2881/12000 = 24.01%.
    assert_eq!(t.change, Some(dec("0.21")));
    assert_eq!(t.rank_move, None);
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn period_comparison_steady_rank_and_unmatched_unit() {
    let c = Catalog::builtin().unwrap();
    let sel = ["loan_household_rate"];
    let prev = build_report(input(
        &c,
        &sel,
        loan_units(&[("永城市", 1, 10), ("夏邑县", 2, 10)]),
    ))
    .unwrap();
    let mut units = loan_units(&[("永城市", 1, 10), ("夏邑县", 3, 10), ("新区", 1, 2)]);
    // Matched by label when keys differ (e.g. an older export without paths).
    units[0].key = String::new();
    let mut inp = input(&c, &sel, units);
    inp.previous = Some(&prev);
    let r = build_report(inp).unwrap();
    let a = cell(&r, "永城市", "loan_household_rate");
    assert_eq!(
        (a.previous_rank, a.rank_move.as_deref()),
        (Some(2), Some("↓1"))
    );
    let b = cell(&r, "夏邑县", "loan_household_rate");
    assert_eq!(
        (b.change, b.rank_move.as_deref()),
        (Some(dec("10")), Some("↓1"))
    );
    let n = cell(&r, "新区", "loan_household_rate");
    assert_eq!(
        (n.change, n.previous_rank, n.rank_move.clone()),
        (None, None, None)
    );
    assert_eq!(
        r.notes,
        vec!["上期（2021-12-11）数据中没有：新区，不计算变化。"]
    );
    let steady = build_report({
        let mut i = input(
            &c,
            &sel,
            loan_units(&[("永城市", 1, 10), ("夏邑县", 2, 10)]),
        );
        i.previous = Some(&prev);
        i
    })
    .unwrap();
    assert_eq!(
        cell(&steady, "永城市", "loan_household_rate")
            .rank_move
            .as_deref(),
        Some("持平")
    );
    assert_eq!(
        format_change(
            steady.indicator("loan_household_rate").unwrap(),
            cell(&steady, "永城市", "loan_household_rate").change
        ),
        "持平"
    );
}

fn sample_report() -> Report {
    let c = Catalog::builtin().unwrap();
    let units = vec![
        unit(
            "永城市",
            tally(&[
                ("loan_balance_households", 2441),
                ("covered_households", 10000),
                ("tuopin_households", 7232),
            ]),
        ),
        unit(
            "夏邑县",
            tally(&[
                ("loan_balance_households", 3000),
                ("covered_households", 0),
                ("tuopin_households", 100),
            ]),
        ),
    ];
    build_report(input(
        &c,
        &["loan_household_rate", "tuopin_households"],
        units,
    ))
    .unwrap()
}

#[test]
fn json_has_exactly_the_spec_shape() {
    let r = sample_report();
    let text = to_json(&r);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys = |x: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = x.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&v),
        vec!["as_of", "indicators", "level", "parent", "rows", "total"]
    );
    assert_eq!(v["as_of"], "2021-12-11");
    assert_eq!(v["level"], "county");
    assert_eq!(v["parent"], "商丘市");
    assert_eq!(
        v["indicators"],
        serde_json::json!([
            {"id": "loan_household_rate", "name": "总贷款余额户贷率", "kind": "ratio", "decimals": 2},
            {"id": "tuopin_households", "name": "脱贫户数", "kind": "count", "decimals": 0}
        ])
    );
    let row = &v["rows"][0];
    assert_eq!(keys(row), vec!["region", "values"]);
    assert_eq!(row["region"], "永城市");
    let cell = &row["values"]["loan_household_rate"];
    assert_eq!(
        *cell,
        serde_json::json!({"value": 0.2441, "numerator": 2441, "denominator": 10000,
            "display": "24.41%", "rank": 1, "target": null, "target_met": null,
            "warning": null, "change": null, "previous_rank": null, "rank_move": null})
    );
    // Integral numbers print as integers, fractions as decimals, missing as null.
    assert!(text.contains("\"numerator\": 2441,"), "{text}");
    assert!(text.contains("\"value\": 0.2441,"), "{text}");
    assert!(!text.contains("2441.0"), "{text}");
    let zero = &v["rows"][1]["values"]["loan_household_rate"];
    assert_eq!(zero["value"], serde_json::Value::Null);
    assert_eq!(zero["display"], "—");
    assert_eq!(zero["rank"], serde_json::Value::Null);
    assert_eq!(keys(zero).len(), 11);
    let count = &v["rows"][0]["values"]["tuopin_households"];
    assert_eq!(count["value"], 7232);
    assert_eq!(count["denominator"], serde_json::Value::Null);
    assert_eq!(count["display"], "7232");
    let total = &v["total"];
    assert_eq!(total["region"], "商丘市");
    assert_eq!(total["values"]["loan_household_rate"]["display"], "54.41%");
    assert_eq!(total["values"]["tuopin_households"]["value"], 7332);
}

#[test]
fn json_warning_and_rank_move_strings() {
    let c = Catalog::builtin().unwrap();
    let sel = ["certificate_rate"];
    let t = |a: i64| tally(&[("certified_persons", a), ("labor_persons", 100)]);
    let prev = build_report(input(
        &c,
        &sel,
        vec![unit("永城市", t(41)), unit("夏邑县", t(39))],
    ))
    .unwrap();
    let mut inp = input(&c, &sel, vec![unit("永城市", t(39)), unit("夏邑县", t(41))]);
    inp.previous = Some(&prev);
    let r = build_report(inp).unwrap();
    let v: serde_json::Value = serde_json::from_str(&to_json(&r)).unwrap();
    let a = &v["rows"][0]["values"]["certificate_rate"];
    assert_eq!(a["warning"], "红");
    assert_eq!(a["target_met"], false);
    assert_eq!(a["target"], 0.4);
    assert_eq!(a["change"], -2);
    assert_eq!(a["rank_move"], "↓1");
    let b = &v["rows"][1]["values"]["certificate_rate"];
    assert_eq!(b["warning"], "黄");
    assert_eq!(b["rank_move"], "↑1");
    assert_eq!(b["previous_rank"], 2);
}

#[test]
fn csv_layout() {
    let r = sample_report();
    let bytes = to_csv(&r);
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines,
        vec![
            "地区,总贷款余额户贷率,总贷款余额户贷率排名,脱贫户数,脱贫户数排名",
            "永城市,24.41%,1,7232,—",
            "夏邑县,—,—,100,—",
            "商丘市,54.41%,,7332,",
            "",
        ]
    );
}

#[test]
fn csv_with_previous_period_and_quoting() {
    let c = Catalog::builtin().unwrap();
    let sel = ["loan_household_rate"];
    let prev = build_report(input(
        &c,
        &sel,
        loan_units(&[("永城市", 1, 10), ("夏邑县,新", 2, 10)]),
    ))
    .unwrap();
    let mut inp = input(
        &c,
        &sel,
        loan_units(&[("永城市", 3, 10), ("夏邑县,新", 2, 10)]),
    );
    inp.previous = Some(&prev);
    let r = build_report(inp).unwrap();
    let text = String::from_utf8(to_csv(&r)).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines,
        vec![
            "地区,总贷款余额户贷率,总贷款余额户贷率排名,总贷款余额户贷率较上期（个百分点）,总贷款余额户贷率名次变化",
            "永城市,30.00%,1,20.00,↑1",
            "\"夏邑县,新\",20.00%,2,0.00,↓1",
            "商丘市,25.00%,,10.00,",
            "",
        ]
    );
}

#[test]
fn rows_by_rank_sorts_without_touching_rows() {
    let c = Catalog::builtin().unwrap();
    let r = build_report(input(
        &c,
        &["loan_household_rate"],
        loan_units(&[
            ("永城市", 1, 10),
            ("夏邑县", 3, 10),
            ("虞城县", 0, 0),
            ("示范区", 2, 10),
        ]),
    ))
    .unwrap();
    let sorted: Vec<&str> = r
        .rows_by_rank("loan_household_rate")
        .iter()
        .map(|x| x.region.as_str())
        .collect();
    assert_eq!(sorted, vec!["夏邑县", "示范区", "永城市", "虞城县"]);
    assert_eq!(r.rows[0].region, "永城市");
}

proptest! {
    #[test]
    fn total_counts_equal_sum_over_units(
        data in proptest::collection::vec((0i64..5000, 0i64..5000, 1i64..5000), 1..25)
    ) {
        let c = Catalog::builtin().unwrap();
        let units: Vec<UnitInput> = data
            .iter()
            .enumerate()
            .map(|(i, (tp, lb, cov))| {
                let mut u = unit(&format!("县{i}"), tally(&[
                    ("tuopin_households", *tp),
                    ("loan_balance_households", *lb),
                    ("covered_households", *cov),
                ]));
                u.key = format!("k{i}");
                u
            })
            .collect();
        let r = build_report(input(&c, &["tuopin_households", "loan_household_rate"], units)).unwrap();
        let sum_rows: Decimal = r.rows.iter().map(|x| x.cell("tuopin_households").unwrap().value.unwrap()).sum();
        let expected: i64 = data.iter().map(|d| d.0).sum();
        prop_assert_eq!(sum_rows, Decimal::from(expected));
        prop_assert_eq!(r.total.cell("tuopin_households").unwrap().value, Some(Decimal::from(expected)));
        // The total rate is Σ numerators / Σ denominators, rounded.
        let num: i64 = data.iter().map(|d| d.1).sum();
        let den: i64 = data.iter().map(|d| d.2).sum();
        let want = (Decimal::from(num) / Decimal::from(den))
            .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(r.total.cell("loan_household_rate").unwrap().value, Some(want));
        // Ranks are a valid competition ranking of the displayed values.
        let vals: Vec<Decimal> = r.rows.iter().map(|x| x.cell("loan_household_rate").unwrap().value.unwrap()).collect();
        for (row, v) in r.rows.iter().zip(&vals) {
            let better = vals.iter().filter(|w| *w > v).count() as u32;
            prop_assert_eq!(row.cell("loan_household_rate").unwrap().rank, Some(better + 1));
        }
    }
}
