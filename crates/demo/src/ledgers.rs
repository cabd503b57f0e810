//! 衔接资金 projects, microcredit loans and per-county targets.

use chrono::{Datelike, Duration, NaiveDate};

use super::names::{COUNTIES, COUNTY_ITEMS, INDUSTRY_ITEMS, INFRA_ITEMS, RURAL_ITEMS};
use super::rng::Rng;
use super::{DemoData, DemoLoan, DemoProject, DemoTarget};
use gonggu_core::model::{LoanStatus, ProjectStatus, ProjectType};

/// Adds `years` calendar years (29 February becomes 28 February).
pub(crate) fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    let y = date.year() + years;
    NaiveDate::from_ymd_opt(y, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, date.month(), 28))
        .unwrap_or(date)
}

/// Builds projects and loans.
pub(crate) fn generate_ledgers(data: &mut DemoData) {
    generate_projects(data);
    generate_loans(data);
}

fn generate_projects(data: &mut DemoData) {
    let seed = data.options.seed;
    let as_of = data.options.as_of;
    let year = as_of.year();
    let year_start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of);
    for (ci, spec) in COUNTIES.iter().enumerate() {
        let mut rng = Rng::derive(seed, &[4, ci as u64]);
        let towns: Vec<usize> = (0..data.towns.len())
            .filter(|&t| data.towns.get(t).is_some_and(|t| t.county == ci))
            .collect();
        let mut list: Vec<DemoProject> = Vec::new();
        for i in 0..spec.projects {
            let county_level = i < 2;
            let (kind, town, name) = if county_level {
                let (item, t) = COUNTY_ITEMS[rng.below(COUNTY_ITEMS.len() as u64) as usize];
                let kind = if t == 0 {
                    ProjectType::Employment
                } else {
                    ProjectType::Other
                };
                (kind, None, format!("{}{}年{}", spec.name, year, item))
            } else {
                let town = rng.pick(&towns);
                let villages: Vec<usize> = (0..data.villages.len())
                    .filter(|&v| data.villages.get(v).is_some_and(|v| v.town == town))
                    .collect();
                let village = data
                    .villages
                    .get(rng.pick(&villages))
                    .map_or("", |v| v.name.as_str());
                let town_name = data.towns.get(town).map_or("", |t| t.name.as_str());
                let kind = [
                    ProjectType::Industry,
                    ProjectType::Infrastructure,
                    ProjectType::RuralConstruction,
                    ProjectType::Employment,
                    ProjectType::Other,
                ][rng.weighted(&[45, 30, 12, 8, 5])];
                let item = match kind {
                    ProjectType::Industry => rng.pick(&INDUSTRY_ITEMS),
                    ProjectType::Infrastructure => rng.pick(&INFRA_ITEMS),
                    ProjectType::RuralConstruction => rng.pick(&RURAL_ITEMS),
                    ProjectType::Employment => "就业帮扶车间项目",
                    ProjectType::Other => "村集体经济发展项目",
                };
                (
                    kind,
                    Some(town),
                    format!("{}{}{}{}", spec.name, town_name, village, item),
                )
            };
            let funds = match kind {
                ProjectType::Industry => rng.range(8_000, 60_000),
                ProjectType::Infrastructure => rng.range(3_000, 30_000),
                ProjectType::RuralConstruction => rng.range(2_000, 15_000),
                ProjectType::Employment => rng.range(1_000, 8_000),
                ProjectType::Other => rng.range(1_000, 6_000),
            };
            list.push(DemoProject {
                id: String::new(),
                name,
                county: ci,
                town,
                kind,
                year,
                planned: true,
                funds,
                spent: 0,
                started_on: None,
                completed_on: None,
                status: ProjectStatus::Started,
                dates_as_text: rng.chance(0.4),
            });
        }
        // Industry share of the county's funds.
        let ind: i64 = list
            .iter()
            .filter(|p| p.kind == ProjectType::Industry)
            .map(|p| p.funds)
            .sum();
        let oth: i64 = list
            .iter()
            .filter(|p| p.kind != ProjectType::Industry)
            .map(|p| p.funds)
            .sum();
        if ind > 0 && oth > 0 {
            let s = spec.industry_share;
            let k = s * oth as f64 / ((1.0 - s) * ind as f64);
            for p in list.iter_mut().filter(|p| p.kind == ProjectType::Industry) {
                p.funds = ((p.funds as f64 * k).round() as i64).max(500);
            }
        }
        // A previous-year project and a project outside the annual plan in some counties.
        let n = list.len();
        let mut special = vec![false; n];
        if rng.chance(0.5) && n > 4 {
            let i = rng.range(2, n as i64 - 1) as usize;
            special[i] = true;
            if let Some(p) = list.get_mut(i) {
                p.year = year - 1;
                let start = NaiveDate::from_ymd_opt(year - 1, 4, 1).unwrap_or(as_of)
                    + Duration::days(rng.range(0, 120));
                p.started_on = Some(start);
                p.completed_on = Some(start + Duration::days(rng.range(60, 150)));
                p.status = ProjectStatus::Completed;
                p.spent = p.funds;
            }
        }
        if rng.chance(0.5) && n > 4 {
            let i = rng.range(2, n as i64 - 1) as usize;
            if !special[i] {
                special[i] = true;
                if let Some(p) = list.get_mut(i) {
                    p.planned = false;
                    p.status = ProjectStatus::NotStarted;
                }
            }
        }
        // Statuses of the planned projects of the year.
        let planned: Vec<usize> = (0..n).filter(|&i| !special[i]).collect();
        let not_started = spec.not_started.min(planned.len());
        let completed = ((planned.len() - not_started) as f64 * spec.completion).round() as usize;
        let mut order = planned.clone();
        // Deterministic shuffle so that statuses are not in ledger order.
        for i in (1..order.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            order.swap(i, j);
        }
        let latest_start = (as_of - Duration::days(45)).max(year_start);
        let span = (latest_start - year_start).num_days().max(1);
        for (rank, &i) in order.iter().enumerate() {
            let Some(p) = list.get_mut(i) else { continue };
            if rank < not_started {
                p.status = ProjectStatus::NotStarted;
                continue;
            }
            let start = year_start + Duration::days(45 + rng.range(0, (span - 45).max(0)));
            let start = start.min(latest_start);
            p.started_on = Some(start);
            let f = if rank < not_started + completed {
                let room = (as_of - start).num_days().max(1);
                let end = start + Duration::days(rng.range(room.min(30), room.min(200)));
                p.completed_on = Some(end.min(as_of));
                p.status = ProjectStatus::Completed;
                (spec.spend + 0.12 + rng.bell() * 0.1).clamp(0.3, 1.0)
            } else {
                p.status = ProjectStatus::Started;
                (spec.spend - 0.2 + rng.bell() * 0.25).clamp(0.02, 0.95)
            };
            p.spent = ((p.funds as f64 * f).round() as i64).min(p.funds);
        }
        // Ledger order: county-level projects first, then by town.
        list.sort_by_key(|p| p.town.map_or(0, |t| t + 1));
        for (k, p) in list.iter_mut().enumerate() {
            p.id = format!("XM{}{}{:03}", year, spec.code, k + 1);
        }
        data.projects.extend(list);
    }
}

fn generate_loans(data: &mut DemoData) {
    let seed = data.options.seed;
    let as_of = data.options.as_of;
    let amounts = [10_000, 20_000, 30_000, 40_000, 50_000];
    let amount_w = [10, 20, 25, 10, 35];
    for h in 0..data.households.len() {
        let Some(hh) = data.households.get(h) else {
            continue;
        };
        if !hh.is_covered() {
            continue;
        }
        let county = data.county_of(h);
        let town = data.villages.get(hh.village).map_or(0, |v| v.town);
        let spec = COUNTIES.get(county).copied().unwrap_or(COUNTIES[0]);
        let mut rng = Rng::derive(seed, &[5, h as u64]);
        let id = data.household_id(h);
        let mut push = |issued: NaiveDate, due: NaiveDate, amount: i64, balance: i64, status| {
            data.loans.push(DemoLoan {
                household_id: id.clone(),
                household: Some(h),
                county,
                town,
                issued_on: issued,
                due_on: due,
                amount,
                balance,
                status,
            });
        };
        if rng.chance(0.07) {
            let issued = as_of - Duration::days(rng.range(3 * 365 + 30, 5 * 365));
            let amount = amounts[rng.weighted(&amount_w)];
            push(issued, add_years(issued, 3), amount, 0, LoanStatus::Settled);
        }
        if rng.chance(spec.loan_rate) {
            let amount = amounts[rng.weighted(&amount_w)];
            let status = [
                LoanStatus::Normal,
                LoanStatus::Overdue,
                LoanStatus::Extended,
                LoanStatus::Renewed,
            ][rng.weighted(&[88, 2, 5, 5])];
            let (issued, due) = match status {
                LoanStatus::Overdue => {
                    let issued = as_of - Duration::days(3 * 365 + rng.range(10, 200));
                    (issued, add_years(issued, 3))
                }
                LoanStatus::Extended => {
                    let issued = as_of - Duration::days(3 * 365 - rng.range(-200, 10));
                    (issued, add_years(issued, 4))
                }
                _ => {
                    let issued = as_of - Duration::days(rng.range(20, 3 * 365 - 30));
                    let due = if rng.chance(0.2) {
                        add_years(issued, 1)
                    } else {
                        add_years(issued, 3)
                    };
                    if due <= as_of {
                        (issued, add_years(issued, 3))
                    } else {
                        (issued, due)
                    }
                }
            };
            let balance = if status == LoanStatus::Normal && rng.chance(0.3) {
                amount - rng.range(1, amount / 1000 - 1) * 1000
            } else {
                amount
            };
            push(issued, due, amount, balance, status);
        }
    }
}

/// Per-county 务工就业目标人数 from the final data (≈ 90–110% of the generated 脱贫人口务工
/// 就业人数).
pub(crate) fn generate_targets(data: &mut DemoData) {
    let mut employed = vec![0u64; data.counties.len()];
    for (h, hh) in data.households.iter().enumerate() {
        if !hh.is_tuopin() {
            continue;
        }
        let c = data.county_of(h);
        let n = data.persons.get(hh.person_range()).map_or(0, |ps| {
            ps.iter().filter(|p| p.work != super::Work::None).count()
        });
        if let Some(e) = employed.get_mut(c) {
            *e += n as u64;
        }
    }
    data.targets = employed
        .iter()
        .enumerate()
        .map(|(c, &e)| DemoTarget {
            county: c,
            employment_target: ((e as f64 * COUNTIES.get(c).map_or(1.0, |s| s.target_factor))
                .round() as u64)
                .max(1),
            tuopin_employed: e,
        })
        .collect();
}
