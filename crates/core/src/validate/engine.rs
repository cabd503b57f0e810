//! Runs compiled rules: one pass over persons (which also feeds the households' member
//! aggregates), one over households, then projects, loans, villages, work spells, unreadable
//! cells and duplicate rows.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Dataset, RowRef};
use crate::region::RegionId;

use super::Finding;
use super::compile::{Fold, Slot};
use super::fields::{Env, Row, RuleTable};
use super::rules::CompiledCase;

/// The compiled rules of one run.
pub(crate) struct Program {
    /// (rule code, case), by table.
    pub cases: Vec<(Arc<str>, CompiledCase)>,
    pub slots: Vec<Slot>,
}

/// Where a row lies, for findings about cells and duplicate rows.
#[derive(Clone, Copy)]
struct Loc<'a> {
    region: Option<RegionId>,
    household: Option<&'a str>,
    person: Option<u32>,
}

struct Out {
    findings: Vec<Finding>,
}

impl Out {
    fn push(&mut self, code: &Arc<str>, case: &CompiledCase, row: &Row<'_>, place: Place<'_>) {
        let values = case
            .values
            .iter()
            .filter(|(_, v, optional)| !(*optional && v.is_null(row)))
            .map(|(l, v, _)| (l.render(row), v.render(row)))
            .collect();
        let message = case.message.render(row);
        self.findings.push(Finding {
            code: code.clone(),
            at: place.at,
            region: place.region,
            household_id: place.household.map(str::to_string),
            id_number: place
                .person
                .and_then(|i| row.ds.roster.ids.get(i as usize))
                .map(|id| id.as_str().to_string()),
            name: place
                .person
                .and_then(|i| row.ds.roster.persons.get(i as usize))
                .and_then(|p| p.name.as_deref())
                .map(str::to_string),
            phone: place.phone.map(str::to_string),
            values,
            message,
        });
    }
}

/// Who a finding is about.
#[derive(Clone, Copy)]
struct Place<'a> {
    at: RowRef,
    region: Option<RegionId>,
    household: Option<&'a str>,
    /// The person's index in the roster.
    person: Option<u32>,
    phone: Option<&'a str>,
}

impl<'a> Place<'a> {
    fn at(at: RowRef, region: RegionId, household: Option<&'a str>) -> Place<'a> {
        Place {
            at,
            region: Some(region),
            household,
            person: None,
            phone: None,
        }
    }
}

impl Program {
    /// Runs the cases of `table` on every item.
    fn each<'r, T>(
        &self,
        out: &mut Out,
        table: RuleTable,
        items: &'r [T],
        row: impl Fn(&'r T) -> (Row<'r>, Place<'r>),
    ) {
        if !self.has(table) {
            return;
        }
        for item in items {
            let (r, place) = row(item);
            for (code, case) in self.cases(table) {
                if (case.when)(&r).is_true() {
                    out.push(code, case, &r, place);
                }
            }
        }
    }

    fn cases(&self, table: RuleTable) -> impl Iterator<Item = &(Arc<str>, CompiledCase)> {
        self.cases.iter().filter(move |(_, c)| c.table == table)
    }

    fn has(&self, table: RuleTable) -> bool {
        self.cases(table).next().is_some()
    }

    /// Checks the persons of the households in `range`, whose member aggregates `acc` holds
    /// (`slots.len()` counters per household, from `range.start`).
    fn person_pass<'d>(
        &self,
        ds: &'d Dataset,
        base: Row<'d>,
        cases: &[&(Arc<str>, CompiledCase)],
        range: std::ops::Range<usize>,
        acc: &mut [u32],
    ) -> Vec<Finding> {
        let mut out = Out {
            findings: Vec::new(),
        };
        let k = self.slots.len();
        let households = &ds.roster.households;
        let facts = &ds.roster.facts;
        for (ix, (p, f)) in ds.roster.persons.iter().zip(facts).enumerate() {
            let hi = f.household as usize;
            if !range.contains(&hi) {
                continue;
            }
            let hh = households.get(hi);
            let row = Row {
                person: Some(p),
                household: hh.map(|h| (f.household, h)),
                person_ix: ix as u32,
                ..base
            };
            let at = (hi - range.start) * k;
            if k > 0
                && let Some(a) = acc.get_mut(at..at + k)
            {
                for (n, slot) in a.iter_mut().zip(&self.slots) {
                    let t = (slot.pred)(&row).is_true();
                    if t == (slot.fold == Fold::True) {
                        *n += 1;
                    }
                }
            }
            for (code, case) in cases {
                if (case.when)(&row).is_true() {
                    let place = Place {
                        at: f.at,
                        region: hh.map(|h| h.village),
                        household: hh.map(|h| &*h.id),
                        person: Some(ix as u32),
                        phone: p.phone.as_deref(),
                    };
                    out.push(code, case, &row, place);
                }
            }
        }
        out.findings
    }

    /// Checks the households in `range` (`acc`: the member aggregates of all households).
    fn household_pass<'d>(
        &self,
        ds: &'d Dataset,
        env: &'d Env<'d>,
        base: Row<'d>,
        cases: &[&(Arc<str>, CompiledCase)],
        range: std::ops::Range<usize>,
        acc: &[u32],
    ) -> Vec<Finding> {
        let mut out = Out {
            findings: Vec::new(),
        };
        let k = self.slots.len();
        let households = &ds.roster.households;
        for (i, h) in households
            .iter()
            .enumerate()
            .take(range.end)
            .skip(range.start)
        {
            let rep = env.reps.get(i).map_or(super::fields::NONE, |r| r.rep);
            let row = Row {
                household: Some((i as u32, h)),
                acc: acc.get(i * k..i * k + k).unwrap_or(&[]),
                person_ix: rep,
                ..base
            };
            // The person who speaks for the household, when there is one.
            let rep = Some(rep).filter(|&r| (r as usize) < ds.roster.facts.len());
            for (code, case) in cases {
                if (case.when)(&row).is_true() {
                    let place = Place {
                        at: h.at,
                        region: Some(h.village),
                        household: Some(&h.id),
                        person: rep,
                        phone: env.phone_of(ds, i),
                    };
                    out.push(code, case, &row, place);
                }
            }
        }
        out.findings
    }

    pub(crate) fn run(&self, ds: &Dataset, env: &Env<'_>) -> Vec<Finding> {
        let mut out = Out {
            findings: Vec::new(),
        };
        let k = self.slots.len();
        let households = &ds.roster.households;
        let mut acc = vec![0u32; if k == 0 { 0 } else { households.len() * k }];
        let base = Row::new(ds, env);
        // The persons and households are shared out by household ranges, one per core: each
        // thread fills the member aggregates of its own households (disjoint slices) and
        // checks their persons, then their households. Findings are sorted afterwards
        // (stably, and one row's findings come from one thread), so the shares change
        // nothing but the time.
        // Below some 50 000 persons one thread is as quick.
        let shards = crate::shards::shard_count(ds.roster.persons.len(), 50_000);
        let per = households.len().div_ceil(shards).max(1);
        let person_cases: Vec<_> = self.cases(RuleTable::Person).collect();
        if !person_cases.is_empty() || k > 0 {
            let chunks: Vec<&mut [u32]> = if k == 0 {
                (0..shards).map(|_| &mut [][..]).collect()
            } else {
                acc.chunks_mut(per * k).collect()
            };
            let shares: Vec<_> = chunks.into_iter().enumerate().collect();
            let cases = &person_cases;
            let found = crate::shards::each_on_a_thread(shares, |(n, acc)| {
                let lo = n * per;
                self.person_pass(ds, base, cases, lo..lo + per, acc)
            });
            out.findings.extend(found.into_iter().flatten());
        }
        let household_cases: Vec<_> = self.cases(RuleTable::Household).collect();
        if !household_cases.is_empty() {
            let acc = &acc;
            let cases = &household_cases;
            let ranges: Vec<_> = (0..shards)
                .map(|n| n * per..((n + 1) * per).min(households.len()))
                .collect();
            let found = crate::shards::each_on_a_thread(ranges, |range| {
                self.household_pass(ds, env, base, cases, range, acc)
            });
            out.findings.extend(found.into_iter().flatten());
        }
        self.each(&mut out, RuleTable::Project, &ds.projects, |pj| {
            (
                Row {
                    project: Some(pj),
                    ..base
                },
                Place::at(pj.at, pj.region, None),
            )
        });
        self.each(&mut out, RuleTable::Loan, &ds.loans, |l| {
            (
                Row {
                    loan: Some(l),
                    ..base
                },
                Place::at(l.at, l.region, Some(&l.household_id)),
            )
        });
        self.each(&mut out, RuleTable::Village, &ds.villages, |v| {
            (
                Row {
                    village: Some(v),
                    ..base
                },
                Place::at(v.at, v.region, None),
            )
        });
        self.each(&mut out, RuleTable::Spell, &ds.work_spells, |s| {
            (
                Row {
                    spell: Some(s),
                    ..base
                },
                Place::at(s.at, s.region, Some(&s.household_id)),
            )
        });
        let cells = self.has(RuleTable::Cell) && !ds.bad_values.is_empty();
        let dups = self.has(RuleTable::Duplicate) && !ds.roster.duplicate_ids.is_empty();
        if cells || dups {
            let mut wanted: FxHashSet<RowRef> = FxHashSet::default();
            if cells {
                wanted.extend(ds.bad_values.iter().map(|b| RowRef {
                    source: b.source,
                    row: b.row,
                }));
            }
            if dups {
                wanted.extend(ds.roster.duplicate_ids.iter().map(|(_, d)| *d));
            }
            let locs = locate(ds, &wanted);
            let place = |at: RowRef| {
                let loc = locs.get(&at).copied();
                let person = loc.and_then(|l| l.person);
                Place {
                    at,
                    region: loc.and_then(|l| l.region),
                    household: loc.and_then(|l| l.household),
                    person,
                    phone: person
                        .and_then(|i| ds.roster.persons.get(i as usize))
                        .and_then(|p| p.phone.as_deref()),
                }
            };
            if cells {
                for b in &ds.bad_values {
                    let row = Row {
                        cell: Some(b),
                        ..base
                    };
                    for (code, case) in self.cases(RuleTable::Cell) {
                        if (case.when)(&row).is_true() {
                            let at = RowRef {
                                source: b.source,
                                row: b.row,
                            };
                            out.push(code, case, &row, place(at));
                        }
                    }
                }
            }
            if dups {
                for d in &ds.roster.duplicate_ids {
                    let row = Row {
                        duplicate: Some(d),
                        ..base
                    };
                    for (code, case) in self.cases(RuleTable::Duplicate) {
                        if (case.when)(&row).is_true() {
                            out.push(code, case, &row, place(d.1));
                        }
                    }
                }
            }
        }
        out.findings
    }
}

/// Places the rows in `wanted`: one scan of persons, projects and loans.
fn locate<'a>(ds: &'a Dataset, wanted: &FxHashSet<RowRef>) -> FxHashMap<RowRef, Loc<'a>> {
    let mut map = FxHashMap::default();
    for (i, p) in ds.roster.facts.iter().enumerate() {
        if wanted.contains(&p.at) {
            let hh = ds.roster.households.get(p.household as usize);
            map.insert(
                p.at,
                Loc {
                    region: hh.map(|h| h.village),
                    household: hh.map(|h| &*h.id),
                    person: Some(i as u32),
                },
            );
        }
    }
    for pj in &ds.projects {
        if wanted.contains(&pj.at) {
            map.insert(
                pj.at,
                Loc {
                    region: Some(pj.region),
                    household: None,
                    person: None,
                },
            );
        }
    }
    for l in &ds.loans {
        if wanted.contains(&l.at) {
            map.insert(
                l.at,
                Loc {
                    region: Some(l.region),
                    household: Some(&*l.household_id),
                    person: None,
                },
            );
        }
    }
    map
}
