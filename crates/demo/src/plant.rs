//! Planted defects and the manifest that lists them.
//!
//! Each defect is planted in its own household (project, loan) chosen in a seeded shuffled
//! order. After the mutation the household is audited with [`super::audit`]: unless exactly
//! the intended finding(s) appear, the mutation is undone and the next household is tried.
//! So every planted defect triggers exactly its rule and no other.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration};

use super::audit;
#[cfg(test)]
use super::audit::At;
use super::rng::Rng;
use super::rows::{self, ROSTER_HEADER, col, pcol};
use super::{
    CountyCounts, DemoCell, DemoData, DemoFormat, DemoLoan, DemoPerson, Destinations, DibaoStatus,
    Manifest, ManifestCounts, PlantedDefect, Post, Relation, RulePlan, School, UNPLACED, Work,
    YearMonth, villages, work,
};
use gonggu_core::model::{
    Assistance, EliminationMethod, Health, LaborSkill, LoanStatus, MonitorCategory, ProjectStatus,
    Risk, WorkPlace,
};

mod more;

/// The manifest's note for a rule the generator plants no defect for (yet).
pub(crate) const NOT_PLANTED: &str = "示例数据没有为这条规则植入缺陷（生成的数据也不会触发它）";

/// Where a planted finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A roster row: household and position of the member within it.
    Person { household: usize, position: usize },
    /// A household (its first row).
    Household(usize),
    /// A project row.
    Project(usize),
    /// A loan row.
    Loan(usize),
    /// A row of 已外出务工信息: the person's household and position, and the spell's index
    /// among the person's spells.
    Spell {
        household: usize,
        position: usize,
        index: usize,
    },
    /// A row of 行政村信息.
    Village(usize),
}

/// One planted finding.
#[derive(Debug, Clone)]
pub(crate) struct Plant {
    pub description: String,
    pub at: Target,
    pub related: Vec<Target>,
    /// Header of the cell for value-scope findings.
    pub column: Option<&'static str>,
    pub value: Option<String>,
}

impl Plant {
    fn new(at: Target, description: String) -> Plant {
        Plant {
            description,
            at,
            related: Vec::new(),
            column: None,
            value: None,
        }
    }

    fn cell(at: Target, description: String, column: &'static str, value: &str) -> Plant {
        Plant {
            description,
            at,
            related: Vec::new(),
            column: Some(column),
            value: Some(value.to_string()),
        }
    }
}

/// What was planted, by rule code.
#[derive(Debug, Clone, Default)]
pub(crate) struct Planted {
    pub defects: BTreeMap<&'static str, Vec<Plant>>,
    pub shortfalls: BTreeMap<&'static str, usize>,
}

/// Saved state of one household, to undo a rejected mutation.
struct Snapshot {
    household: usize,
    record: super::DemoHousehold,
    persons: Vec<DemoPerson>,
    overrides: Vec<((usize, usize, usize), DemoCell)>,
}

impl Snapshot {
    fn take(data: &DemoData, h: usize) -> Option<Snapshot> {
        let record = data.households.get(h)?.clone();
        let persons = data.persons.get(record.person_range())?.to_vec();
        let overrides = data
            .roster_overrides
            .range((h, 0, 0)..=(h, usize::MAX, usize::MAX))
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        Some(Snapshot {
            household: h,
            record,
            persons,
            overrides,
        })
    }

    fn restore(self, data: &mut DemoData) {
        let h = self.household;
        let range = self.record.person_range();
        if let Some(slot) = data.persons.get_mut(range) {
            slot.clone_from_slice(&self.persons);
        }
        if let Some(slot) = data.households.get_mut(h) {
            *slot = self.record;
        }
        let keys: Vec<_> = data
            .roster_overrides
            .range((h, 0, 0)..=(h, usize::MAX, usize::MAX))
            .map(|(k, _)| *k)
            .collect();
        for k in keys {
            data.roster_overrides.remove(&k);
        }
        data.roster_overrides.extend(self.overrides);
    }
}

type Mutation<'m> = dyn FnMut(&mut DemoData, usize, &mut Rng) -> Option<Plant> + 'm;

struct Planter<'a> {
    data: &'a mut DemoData,
    order: Vec<usize>,
    cursor: usize,
    used: Vec<bool>,
    rng: Rng,
    planted: Planted,
}

fn shuffled(n: usize, rng: &mut Rng) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
    v
}

fn age(data: &DemoData, p: &DemoPerson) -> i32 {
    p.age_on(data.options.as_of)
}

/// Position of the first member satisfying `pred` (given the person and age).
fn member(data: &DemoData, h: usize, pred: impl Fn(&DemoPerson, i32) -> bool) -> Option<usize> {
    let hh = data.households.get(h)?;
    data.persons
        .get(hh.person_range())?
        .iter()
        .position(|p| pred(p, age(data, p)))
}

fn person_mut(data: &mut DemoData, h: usize, position: usize) -> Option<&mut DemoPerson> {
    let i = data.households.get(h)?.first_person + position;
    data.persons.get_mut(i)
}

fn has_risk(hh: &super::DemoHousehold, r: Risk) -> bool {
    hh.risk1 == Some(r) || hh.risk2 == Some(r)
}

fn remove_measures(hh: &mut super::DemoHousehold, ms: &[Assistance]) {
    for m in ms {
        hh.assistance.0 &= !m.bit();
    }
    if hh.assistance.is_empty() {
        hh.assistance.insert(Assistance::Industry);
    }
}

/// Whether a person has no work spells at all (the plants that write a 证件号码 the spells
/// cannot match choose such persons: WK04 joins by 证件号码).
fn no_spells(d: &DemoData, p: &DemoPerson) -> bool {
    super::work::person_spells(d, p).is_empty()
}

/// Whether a working person worked last month too (the planted work defects must be in
/// last month's data as well).
fn stays(d: &DemoData, p: &DemoPerson) -> bool {
    !d.starts_this_month(p)
}

fn money(v: i64) -> String {
    rows::hundredths(v, false)
}

impl Planter<'_> {
    /// Plants one household-level defect: tries households in shuffled order until the
    /// mutation applies and the household shows exactly `expected` findings of `code`.
    fn plant(&mut self, code: &'static str, expected: usize, mutate: &mut Mutation<'_>) -> bool {
        let n = self.order.len();
        for step in 0..n {
            let Some(&h) = self.order.get((self.cursor + step) % n) else {
                break;
            };
            if self.used.get(h).copied().unwrap_or(true) {
                continue;
            }
            let Some(snap) = Snapshot::take(self.data, h) else {
                continue;
            };
            if let Some(plant) = mutate(self.data, h, &mut self.rng) {
                let found = audit::audit_household(self.data, h);
                if found.len() == expected && found.iter().all(|f| f.code == code) {
                    if let Some(u) = self.used.get_mut(h) {
                        *u = true;
                    }
                    self.cursor = (self.cursor + step + 1) % n;
                    self.planted.defects.entry(code).or_default().push(plant);
                    return true;
                }
            }
            snap.restore(self.data);
        }
        false
    }

    /// Plants `count` defects with mutations `variant(k)`; records a shortfall if fewer fit.
    fn plant_n(
        &mut self,
        code: &'static str,
        count: usize,
        mut variant: impl FnMut(usize) -> Box<Mutation<'static>>,
    ) {
        let mut missing = 0;
        for k in 0..count {
            let mut m = variant(k);
            if !self.plant(code, 1, m.as_mut()) {
                missing += 1;
            }
        }
        if missing > 0 {
            *self.planted.shortfalls.entry(code).or_default() += missing;
        }
    }

    fn mark(&mut self, h: usize) {
        if let Some(u) = self.used.get_mut(h) {
            *u = true;
        }
    }

    fn free(&self, h: usize) -> bool {
        !self.used.get(h).copied().unwrap_or(true)
    }

    /// ID02: a member of household A copied into the next household B of the same village.
    fn plant_duplicate_id(&mut self) -> bool {
        let n = self.order.len();
        for step in 0..n {
            let Some(&a) = self.order.get((self.cursor + step) % n) else {
                break;
            };
            let b = a + 1;
            if !self.free(a) || !self.free(b) {
                continue;
            }
            let (Some(ha), Some(hb)) = (self.data.households.get(a), self.data.households.get(b))
            else {
                continue;
            };
            if ha.village != hb.village || hb.members >= 7 {
                continue;
            }
            // Someone not working: the copy has no spells, and neither of the two rows says
            // the person works (WK04 joins the spells by 证件号码).
            let Some(pos) = member(self.data, a, |p, _| {
                p.relation != Relation::Head && p.work == Work::None
            }) else {
                continue;
            };
            let Some(source) = self.data.persons.get(ha.first_person + pos).cloned() else {
                continue;
            };
            let insert_at = hb.first_person + hb.members;
            let member_no = self
                .data
                .persons
                .get(hb.person_range())
                .and_then(|ps| ps.iter().map(|p| p.member).max())
                .unwrap_or(0)
                + 1;
            let mut copy = source;
            copy.household = b;
            copy.member = member_no;
            copy.relation = Relation::Other;
            self.data.persons.insert(insert_at, copy);
            self.data.no_spells.insert((b, member_no));
            if let Some(hb) = self.data.households.get_mut(b) {
                hb.members += 1;
                hb.size_recorded += 1;
            }
            for hh in self.data.households.iter_mut().skip(b + 1) {
                hh.first_person += 1;
            }
            let clean = audit::audit_household(self.data, a).is_empty()
                && audit::audit_household(self.data, b).is_empty();
            if !clean {
                // Undo the insertion.
                self.data.persons.remove(insert_at);
                self.data.no_spells.remove(&(b, member_no));
                if let Some(hb) = self.data.households.get_mut(b) {
                    hb.members -= 1;
                    hb.size_recorded -= 1;
                }
                for hh in self.data.households.iter_mut().skip(b + 1) {
                    hh.first_person -= 1;
                }
                continue;
            }
            self.mark(a);
            self.mark(b);
            self.cursor = (self.cursor + step + 1) % n;
            let first = Target::Person {
                household: a,
                position: pos,
            };
            let dup_pos = self.data.households.get(b).map_or(0, |h| h.members - 1);
            let mut plant = Plant::new(
                Target::Person {
                    household: b,
                    position: dup_pos,
                },
                format!(
                    "同一人在两户重复录入（户编号 {} 的成员又出现在户编号 {}，户籍迁出未注销）",
                    self.data.household_id(a),
                    self.data.household_id(b)
                ),
            );
            plant.related.push(first);
            self.planted.defects.entry("ID02").or_default().push(plant);
            return true;
        }
        false
    }

    /// PH02: household B of the same village gets household A's phone number.
    fn plant_shared_phone(&mut self) -> bool {
        let n = self.order.len();
        for step in 0..n {
            let Some(&a) = self.order.get((self.cursor + step) % n) else {
                break;
            };
            let b = a + 1;
            if !self.free(a) || !self.free(b) {
                continue;
            }
            let (Some(ha), Some(hb)) = (self.data.households.get(a), self.data.households.get(b))
            else {
                continue;
            };
            if ha.village != hb.village {
                continue;
            }
            let phone = ha.phone;
            let old = hb.phone;
            if let Some(hb) = self.data.households.get_mut(b) {
                hb.phone = phone;
            }
            if !audit::audit_household(self.data, b).is_empty() {
                if let Some(hb) = self.data.households.get_mut(b) {
                    hb.phone = old;
                }
                continue;
            }
            self.mark(a);
            self.mark(b);
            self.cursor = (self.cursor + step + 1) % n;
            let (ida, idb) = (self.data.household_id(a), self.data.household_id(b));
            let list = self.planted.defects.entry("PH02").or_default();
            let mut pa = Plant::new(
                Target::Household(a),
                format!("与户编号 {idb} 共用联系电话（同村亲属代留号码）"),
            );
            pa.related.push(Target::Household(b));
            let mut pb = Plant::new(Target::Household(b), format!("与户编号 {ida} 共用联系电话"));
            pb.related.push(Target::Household(a));
            list.push(pa);
            list.push(pb);
            return true;
        }
        false
    }
}

/// Plants every defect and returns what was planted.
pub(crate) fn plant_all(data: &mut DemoData) -> Planted {
    let mut rng = Rng::derive(data.options.seed, &[6]);
    let order = shuffled(data.households.len(), &mut rng);
    let used = vec![false; data.households.len()];
    let mut pl = Planter {
        data,
        order,
        cursor: 0,
        used,
        rng,
        planted: Planted::default(),
    };

    // ID02 first: it inserts a row (later plants refer to rows by household and position,
    // so the order only matters for clarity).
    for _ in 0..2 {
        if !pl.plant_duplicate_id() {
            *pl.planted.shortfalls.entry("ID02").or_default() += 1;
        }
    }
    plant_roster(&mut pl);
    more::plant_new_roster(&mut pl);
    more::plant_late_subsidies(&mut pl);
    for _ in 0..2 {
        if !pl.plant_shared_phone() {
            *pl.planted.shortfalls.entry("PH02").or_default() += 2;
        }
    }
    plant_projects(&mut pl);
    plant_loans(&mut pl);
    more::plant_spells(&mut pl);
    more::plant_villages(&mut pl);
    pl.planted
}

fn boxed<F>(f: F) -> Box<Mutation<'static>>
where
    F: FnMut(&mut DemoData, usize, &mut Rng) -> Option<Plant> + 'static,
{
    Box::new(f)
}

#[allow(clippy::too_many_lines)]
fn plant_roster(pl: &mut Planter<'_>) {
    // ID01: check digit ×2, impossible birth date, 17 characters.
    pl.plant_n("ID01", 4, |k| {
        boxed(move |d, h, rng| {
            let pos = member(d, h, |p, _| no_spells(d, p))?;
            let id = person_mut(d, h, pos)?.id_text().to_string();
            let first17 = id.get(..17)?.to_string();
            let (new, desc) = match k {
                0 | 1 => {
                    let last = id.get(17..)?.to_string();
                    let mut c = char::from(b'0' + rng.below(10) as u8);
                    if c.to_string() == last {
                        c = if c == '9' {
                            '0'
                        } else {
                            char::from(c as u8 + 1)
                        };
                    }
                    (
                        format!("{first17}{c}"),
                        format!("证件号码校验位错误（末位应为 {last}，写成 {c}）"),
                    )
                }
                2 => {
                    let y = id.get(6..10)?;
                    let f = format!("{}{}0230{}", id.get(..6)?, y, id.get(14..17)?);
                    let c = super::gb11643_check_digit(&f)?;
                    (
                        format!("{f}{c}"),
                        format!("证件号码中的出生日期不存在（{y}0230）"),
                    )
                }
                _ => (first17, "证件号码只有17位（漏录末位）".to_string()),
            };
            d.roster_overrides
                .insert((h, pos, col::ID), DemoCell::Text(new));
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                desc,
            ))
        })
    });
    // ID03: the number stored as a number (xlsx numeric cell; CSV text 4.11426E+17).
    pl.plant_n("ID03", 2, |_| {
        boxed(|d, h, _| {
            let pos = member(d, h, |p, _| {
                p.id_number[17].is_ascii_digit() && no_spells(d, p)
            })?;
            let v: f64 = person_mut(d, h, pos)?.id_text().parse().ok()?;
            d.roster_overrides
                .insert((h, pos, col::ID), DemoCell::Number(v));
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!(
                    "证件号码被 Excel 存为数字（显示为 {}），后几位已丢失",
                    rows::number_text(v)
                ),
            ))
        })
    });
    // HH01: two heads ×2, no head ×1.
    pl.plant_n("HH01", 3, |k| {
        boxed(move |d, h, _| {
            if k < 2 {
                let pos = member(d, h, |p, _| p.relation == Relation::Spouse)?;
                person_mut(d, h, pos)?.relation = Relation::Head;
                Some(Plant::new(
                    Target::Household(h),
                    "一户有两个户主（配偶也填为户主）".into(),
                ))
            } else {
                let pos = member(d, h, |p, _| p.relation == Relation::Head)?;
                // Written as 其他, not left blank: a blank is BL01's finding.
                person_mut(d, h, pos)?.relation = Relation::Other;
                Some(Plant::new(
                    Target::Household(h),
                    "一户没有户主（户主行的与户主关系写成了“其他”）".into(),
                ))
            }
        })
    });
    // HH02: 人数 differs from the rows.
    pl.plant_n("HH02", 3, |k| {
        boxed(move |d, h, _| {
            let hh = d.households.get_mut(h)?;
            let n = hh.members as u32;
            hh.size_recorded = if k == 1 && n >= 3 { n - 1 } else { n + 1 };
            Some(Plant::new(
                Target::Household(h),
                format!("人数写为 {}，实际成员 {} 行", hh.size_recorded, n),
            ))
        })
    });
    // HH03: a 户类型 outside the vocabulary, on an unmonitored 普通农户 (so that it counts
    // in no class and triggers nothing else).
    pl.plant_n("HH03", 2, |k| {
        boxed(move |d, h, _| {
            let hh = d.households.get(h)?;
            if hh.kind != gonggu_core::model::HouseholdType::General || hh.category.is_some() {
                return None;
            }
            let text = ["低收入户", "其他户"][k % 2];
            d.roster_overrides
                .insert((h, usize::MAX, col::KIND), DemoCell::Text(text.into()));
            Some(Plant::new(
                Target::Household(h),
                format!("户类型写为“{text}”，不是脱贫户或普通农户"),
            ))
        })
    });
    // MN01: a category outside the three.
    pl.plant_n("MN01", 2, |k| {
        boxed(move |d, h, _| {
            let hh = d.households.get(h)?;
            if !matches!(
                hh.category,
                Some(MonitorCategory::Marginal | MonitorCategory::Sudden)
            ) {
                return None;
            }
            let text = ["监测户", "一般监测户"][k % 2];
            d.roster_overrides
                .insert((h, usize::MAX, col::CATEGORY), DemoCell::Text(text.into()));
            Some(Plant::new(
                Target::Household(h),
                format!("监测对象类别写为“{text}”，不是三类监测对象之一"),
            ))
        })
    });
    // MN02: eliminated without a date.
    pl.plant_n("MN02", 2, |_| {
        boxed(|d, h, _| {
            let hh = d.households.get_mut(h)?;
            hh.eliminated_on?;
            hh.eliminated_on = None;
            Some(Plant::new(
                Target::Household(h),
                "风险已消除，但消除监测时间为空".into(),
            ))
        })
    });
    // MN03: eliminated 2–5 months after identification.
    pl.plant_n("MN03", 3, |_| {
        boxed(|d, h, rng| {
            let hh = d.households.get_mut(h)?;
            hh.eliminated_on?;
            let id = hh.identified?;
            let gap = rng.range(2, 5);
            let e = YearMonth::from_index(id.index() + gap);
            hh.eliminated_on = Some(e);
            Some(Plant::new(
                Target::Household(h),
                format!(
                    "识别监测时间 {}，消除监测时间 {}，相隔 {} 个月，不足6个月",
                    id.text(),
                    e.text(),
                    gap
                ),
            ))
        })
    });
    // MN04: eliminated before identification.
    pl.plant_n("MN04", 2, |_| {
        boxed(|d, h, rng| {
            let hh = d.households.get_mut(h)?;
            hh.eliminated_on?;
            let id = hh.identified?;
            let e = YearMonth::from_index(id.index() - rng.range(1, 3));
            hh.eliminated_on = Some(e);
            Some(Plant::new(
                Target::Household(h),
                format!("消除监测时间 {} 早于识别监测时间 {}", e.text(), id.text()),
            ))
        })
    });
    // MN10: identified after the as-of month (a monitored household not yet eliminated, so
    // that no elimination rule sees the later date).
    pl.plant_n("MN10", 2, |_| {
        boxed(|d, h, rng| {
            let as_of = YearMonth::of(d.options.as_of);
            let hh = d.households.get_mut(h)?;
            hh.identified?;
            if hh.eliminated_on.is_some() || hh.eliminated == Some(true) {
                return None;
            }
            let later = YearMonth::from_index(as_of.index() + rng.range(1, 3));
            hh.identified = Some(later);
            Some(Plant::new(
                Target::Household(h),
                format!(
                    "识别监测时间 {} 晚于统计截止日期 {}",
                    later.text(),
                    d.options.as_of
                ),
            ))
        })
    });
    // MN05: income below the line, not monitored.
    pl.plant_n("MN05", 3, |_| {
        boxed(|d, h, rng| {
            let hh = d.households.get_mut(h)?;
            if hh.is_monitored() {
                return None;
            }
            hh.income_fen = rng.range(6800, 7400) * 100;
            Some(Plant::new(
                Target::Household(h),
                format!(
                    "人均纯收入 {} 元，低于监测线 7500 元，未纳入监测（{}）",
                    hh.income_fen / 100,
                    rows::kind_label(hh.kind)
                ),
            ))
        })
    });
    // MN06: monitored, nothing in place (risk set to one without a required measure).
    pl.plant_n("MN06", 2, |_| {
        boxed(|d, h, _| {
            let labor = member(d, h, |p, _| p.labor.is_labor()).is_some();
            // A post holder would then lack 公益岗位帮扶 (WP08).
            if member(d, h, |p, _| p.welfare_post != Post::None).is_some() {
                return None;
            }
            let hh = d.households.get_mut(h)?;
            if !hh.is_monitored() || hh.eliminated != Some(false) {
                return None;
            }
            if hh.dibao != DibaoStatus::None || hh.tekun {
                return None;
            }
            hh.risk1 = Some(if labor {
                Risk::UnstableWork
            } else {
                Risk::Disaster
            });
            hh.risk2 = None;
            hh.assistance = Default::default();
            Some(Plant::new(
                Target::Household(h),
                "监测户的帮扶措施及14项帮扶列均为空".into(),
            ))
        })
    });
    // MN07: monitored without risk.
    pl.plant_n("MN07", 2, |_| {
        boxed(|d, h, _| {
            let hh = d.households.get_mut(h)?;
            if !hh.is_monitored() {
                return None;
            }
            hh.risk1 = None;
            hh.risk2 = None;
            Some(Plant::new(
                Target::Household(h),
                "监测户的致贫/返贫风险1为空".into(),
            ))
        })
    });
    // MN08: 脱贫不稳定户 recorded as 普通农户.
    pl.plant_n("MN08", 2, |_| {
        boxed(|d, h, _| {
            let hh = d.households.get_mut(h)?;
            if hh.category != Some(MonitorCategory::Unstable) {
                return None;
            }
            hh.kind = gonggu_core::model::HouseholdType::General;
            Some(Plant::new(
                Target::Household(h),
                "脱贫不稳定户的户类型写为普通农户".into(),
            ))
        })
    });
    // MN09: 帮扶消除 with income below the line.
    pl.plant_n("MN09", 2, |_| {
        boxed(|d, h, rng| {
            let hh = d.households.get_mut(h)?;
            if hh.elimination_method != Some(EliminationMethod::Assisted) {
                return None;
            }
            hh.income_fen = rng.range(7000, 7400) * 100;
            Some(Plant::new(
                Target::Household(h),
                format!(
                    "风险消除方式为帮扶消除，人均纯收入 {} 元仍低于监测线",
                    hh.income_fen / 100
                ),
            ))
        })
    });
    // HS01: unsafe housing / water, not monitored.
    pl.plant_n("HS01", 2, |k| {
        boxed(move |d, h, _| {
            let hh = d.households.get_mut(h)?;
            if hh.is_monitored() {
                return None;
            }
            let desc = if k == 0 {
                hh.unsafe_housing = true;
                "是危房户，但未纳入监测"
            } else {
                hh.safe_water = false;
                "未解决安全饮用水，但未纳入监测"
            };
            Some(Plant::new(Target::Household(h), desc.into()))
        })
    });
    // WK01: a welfare post held while working outside the county.
    pl.plant_n("WK01", 3, |k| {
        boxed(move |d, h, rng| {
            let pos = member(d, h, |p, _| p.welfare_post != Post::None && stays(d, p))?;
            let p = person_mut(d, h, pos)?;
            if p.work_months == 0 {
                p.work_months = 12;
            }
            // An address in 河南, one in another province, and a category word.
            p.work = [
                Work::ProvinceAddress(0),
                Work::OutAddress(0),
                Work::OutProvince,
            ][k % 3];
            if p.monthly_wage < 1000 {
                p.monthly_wage = rng.range(30, 60) as u32 * 100;
            }
            let (work, post) = (p.work, p.welfare_post);
            let (county, town, _) = d.region_path(h);
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!(
                    "{}公益性岗位人员，务工所在地为{}",
                    post.label(),
                    work.text(county, town)
                ),
            ))
        })
    });
    // WK02: a destination nobody can place (a district name four cities share, words that
    // are no place, only the own province): working, destination unknown.
    pl.plant_n("WK02", UNPLACED.len(), |k| {
        boxed(move |d, h, _| {
            let pos = member(d, h, |p, _| {
                p.work != Work::None && p.welfare_post == Post::None && stays(d, p)
            })?;
            let i = (k % UNPLACED.len()) as u8;
            person_mut(d, h, pos)?.work = Work::Unplaced(i);
            let text = UNPLACED.get(usize::from(i)).copied().unwrap_or("");
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!("务工所在地写为“{text}”，无法判断县内、省内县外或省外"),
            ))
        })
    });
    // WK03: monthly wage out of range, in the roster only (the spell keeps the wage).
    pl.plant_n("WK03", 3, |k| {
        boxed(move |d, h, _| {
            let pos = member(d, h, |p, _| p.work != Work::None && stays(d, p))?;
            let wage = [60, 35_000, 80][k % 3];
            d.roster_overrides
                .insert((h, pos, col::WAGE), DemoCell::Text(wage.to_string()));
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!("务工月收入 {wage} 元，不在100–30000元之间"),
            ))
        })
    });
    // WK04: the roster's 务工所在地 says another class than the person's work spell in the
    // as-of month (the spell is the truth: the employment figures do not change).
    pl.plant_n("WK04", 4, |k| {
        boxed(move |d, h, _| {
            let meant = [
                WorkPlace::InCounty,
                WorkPlace::OutProvince,
                WorkPlace::NotWorking,
                WorkPlace::InProvince,
            ][k % 4];
            let pos = member(d, h, |p, _| {
                d.has_spells(p)
                    && p.work.class() == meant
                    && p.welfare_post == Post::None
                    && (meant != WorkPlace::NotWorking || p.labor.is_labor())
                    && stays(d, p)
            })?;
            let (county, town, _) = d.region_path(h);
            let written = match k % 4 {
                0 => Work::OutAddress(0),
                1 => Work::HomeAddress(1),
                2 => Work::ProvinceAddress(2),
                _ => Work::None,
            }
            .text(county, town);
            let spell = match meant {
                WorkPlace::NotWorking => "当月没有务工记录".to_string(),
                class => format!("当月务工（{}）", class.label()),
            };
            let roster = if written.is_empty() {
                "务工所在地为空".to_string()
            } else {
                format!("务工所在地写为“{written}”")
            };
            let cell = if written.is_empty() {
                DemoCell::Empty
            } else {
                DemoCell::Text(written)
            };
            if k % 4 == 3 {
                // A roster not updated since before the work began says nothing of it.
                for c in std::iter::once(col::WAGE).chain(col::WORK_DETAILS) {
                    d.roster_overrides.insert((h, pos, c), DemoCell::Empty);
                }
            }
            d.roster_overrides.insert((h, pos, col::WORK), cell);
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!("{roster}，已外出务工信息中{spell}（人员表未随务工记录更新）"),
            ))
        })
    });
    // LB01: under 16 with labor.
    pl.plant_n("LB01", 3, |_| {
        boxed(|d, h, _| {
            let pos = member(d, h, |_, a| (12..=15).contains(&a))?;
            let as_of = d.options.as_of;
            let p = person_mut(d, h, pos)?;
            p.labor = LaborSkill::Weak;
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!("{}岁，劳动技能为弱劳动力或半劳动力", p.age_on(as_of)),
            ))
        })
    });
    // LB02: student of 16+ with labor (not in a household at risk for 缺劳动力, RK08).
    pl.plant_n("LB02", 3, |_| {
        boxed(|d, h, _| {
            if has_risk(d.households.get(h)?, Risk::LackOfLabor) {
                return None;
            }
            let pos = member(d, h, |p, a| a >= 16 && p.school.in_school())?;
            let as_of = d.options.as_of;
            let p = person_mut(d, h, pos)?;
            p.labor = LaborSkill::Ordinary;
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!(
                    "{}岁在校生（{}），劳动技能为普通劳动力",
                    p.age_on(as_of),
                    p.school.label()
                ),
            ))
        })
    });
    // LB03: 60+ with full labor (not in a household at risk for 缺劳动力, RK08).
    pl.plant_n("LB03", 3, |_| {
        boxed(|d, h, _| {
            if has_risk(d.households.get(h)?, Risk::LackOfLabor) {
                return None;
            }
            let pos = member(d, h, |_, a| (60..=69).contains(&a))?;
            let as_of = d.options.as_of;
            let p = person_mut(d, h, pos)?;
            p.labor = LaborSkill::Ordinary;
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!("{}岁，劳动技能为普通劳动力", p.age_on(as_of)),
            ))
        })
    });
    // LB04: healthy working-age non-student recorded as weak / no labor.
    pl.plant_n("LB04", 3, |k| {
        boxed(move |d, h, _| {
            let pos = member(d, h, |p, a| {
                (16..=59).contains(&a)
                    && p.health == Health::Healthy
                    && !p.school.in_school()
                    && matches!(p.labor, LaborSkill::Ordinary | LaborSkill::Skilled)
            })?;
            let as_of = d.options.as_of;
            let p = person_mut(d, h, pos)?;
            p.labor = if k == 2 {
                LaborSkill::NoLabor
            } else {
                LaborSkill::Weak
            };
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!(
                    "{}岁，健康，非在校生，劳动技能为{}",
                    p.age_on(as_of),
                    rows::labor_label(p.labor)
                ),
            ))
        })
    });
    // WP01: welfare post at 70+.
    pl.plant_n("WP01", 2, |_| {
        boxed(|d, h, _| {
            let pos = member(d, h, |p, a| {
                (70..=85).contains(&a) && !p.work.outside_county()
            })?;
            let as_of = d.options.as_of;
            let p = person_mut(d, h, pos)?;
            p.welfare_post = Post::Village;
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!("{}岁，在村级公益性岗位", p.age_on(as_of)),
            ))
        })
    });
    // ED01: grade not matching age.
    pl.plant_n("ED01", 3, |k| {
        boxed(move |d, h, _| {
            let as_of = d.options.as_of;
            let pos = if k == 1 {
                member(d, h, |p, a| {
                    (3..=5).contains(&a) && p.school == School::Preschool
                })?
            } else {
                member(d, h, |p, a| {
                    (7..=10).contains(&a) && matches!(p.school, School::Primary(_))
                })?
            };
            let p = person_mut(d, h, pos)?;
            p.school = if k == 1 {
                School::Primary(2)
            } else {
                School::Junior(8)
            };
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!("{}岁，在校生状况为{}", p.age_on(as_of), p.school.label()),
            ))
        })
    });
    // RK01–RK05: a risk without its measure.
    let rk: [(&'static str, Risk, &'static [Assistance], &'static str); 5] = [
        (
            "RK01",
            Risk::Illness,
            &[Assistance::Health, Assistance::Social],
            "健康帮扶、社会帮扶",
        ),
        (
            "RK02",
            Risk::Schooling,
            &[
                Assistance::CompulsoryEducation,
                Assistance::Education,
                Assistance::Social,
            ],
            "义务教育保障、教育帮扶、社会帮扶",
        ),
        (
            "RK03",
            Risk::Disability,
            &[Assistance::SocialSecurity, Assistance::Social],
            "综合保障、社会帮扶",
        ),
        (
            "RK04",
            Risk::Housing,
            &[Assistance::Housing, Assistance::Relocation],
            "住房安全保障、搬迁",
        ),
        ("RK05", Risk::Water, &[Assistance::Water], "饮水安全保障"),
    ];
    for (code, risk, measures, names) in rk {
        let mut missing = 0;
        for _ in 0..2 {
            let mut natural = boxed(move |d, h, _| {
                let hh = d.households.get_mut(h)?;
                if !hh.is_monitored() || !has_risk(hh, risk) {
                    return None;
                }
                remove_measures(hh, measures);
                Some(Plant::new(
                    Target::Household(h),
                    format!("风险含{}，但{}均为空", risk.label(), names),
                ))
            });
            if pl.plant(code, 1, natural.as_mut()) {
                continue;
            }
            // Housing and water risks are rare: give one to a monitored household.
            let mut forced = boxed(move |d, h, _| {
                if !matches!(risk, Risk::Housing | Risk::Water) {
                    return None;
                }
                let hh = d.households.get_mut(h)?;
                if !hh.is_monitored() || hh.eliminated != Some(false) {
                    return None;
                }
                hh.risk1 = Some(risk);
                hh.risk2 = None;
                remove_measures(hh, measures);
                Some(Plant::new(
                    Target::Household(h),
                    format!("风险为{}，但{}均为空", risk.label(), names),
                ))
            });
            if !pl.plant(code, 1, forced.as_mut()) {
                missing += 1;
            }
        }
        if missing > 0 {
            *pl.planted.shortfalls.entry(code).or_default() += missing;
        }
    }
    // RK06: 因残 with nobody disabled; RK07: 因病 with nobody ill.
    pl.plant_n("RK06", 2, |_| {
        boxed(|d, h, _| {
            let hh = d.households.get(h)?;
            if !hh.is_monitored() || !has_risk(hh, Risk::Disability) {
                return None;
            }
            let range = hh.person_range();
            for p in d.persons.get_mut(range)? {
                if p.health == Health::Disabled {
                    p.health = Health::Chronic;
                }
            }
            Some(Plant::new(
                Target::Household(h),
                "风险含因残，但家庭成员健康状况均不是残疾（残疾人误填为长期慢性病）".into(),
            ))
        })
    });
    pl.plant_n("RK07", 2, |_| {
        boxed(|d, h, _| {
            let hh = d.households.get(h)?;
            if !hh.is_monitored() || !has_risk(hh, Risk::Illness) {
                return None;
            }
            let range = hh.person_range();
            for p in d.persons.get_mut(range)? {
                if matches!(p.health, Health::Chronic | Health::Serious) {
                    p.health = Health::Disabled;
                }
            }
            Some(Plant::new(
                Target::Household(h),
                "风险含因病，但家庭成员健康状况均不是长期慢性病或患大病（误填为残疾）".into(),
            ))
        })
    });
    // SB01: 低保 without 综合保障.
    pl.plant_n("SB01", 2, |_| {
        boxed(|d, h, _| {
            let hh = d.households.get_mut(h)?;
            if hh.dibao == DibaoStatus::None || hh.is_monitored() {
                return None;
            }
            hh.assistance.0 &= !Assistance::SocialSecurity.bit();
            Some(Plant::new(
                Target::Household(h),
                format!("享受{}，但综合保障为空", hh.dibao.label()),
            ))
        })
    });
    // IN01 / IN02.
    // Two more IN01 rows, each with a finding of a later rule (RE04 and IN08, or IN06).
    more::plant_uninsured_pairs(pl);
    pl.plant_n("IN01", 2, |_| {
        boxed(|d, h, _| {
            let pos = member(d, h, |_, _| true)?;
            let p = person_mut(d, h, pos)?;
            p.basic_medical = Some(false);
            p.serious_illness_insurance = None;
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                "未参加城乡居民基本医疗保险（大病保险随之为空）".into(),
            ))
        })
    });
    pl.plant_n("IN02", 3, |_| {
        boxed(|d, h, _| {
            let pos = member(d, h, |_, _| true)?;
            person_mut(d, h, pos)?.serious_illness_insurance = Some(false);
            Some(Plant::new(
                Target::Person {
                    household: h,
                    position: pos,
                },
                "未参加大病保险".into(),
            ))
        })
    });
    // PH01: not a mobile number.
    pl.plant_n("PH01", 3, |k| {
        boxed(move |d, h, _| {
            let phone = d.households.get(h)?.phone;
            let text = match k {
                0 => format!("0370-{:07}", phone % 10_000_000),
                1 => format!("{}", phone / 10),
                _ => format!("12{:09}", phone % 1_000_000_000),
            };
            d.roster_overrides
                .insert((h, usize::MAX, col::PHONE), DemoCell::Text(text.clone()));
            Some(Plant::new(
                Target::Household(h),
                format!("户联系电话为 {text}，不是11位手机号"),
            ))
        })
    });
    // VL01 in the roster: a household value in a one-person household (one cell), a birth
    // date, two wages.
    pl.plant_n("VL01", 4, |k| {
        boxed(move |d, h, _| {
            let (pos, column, text) = match k {
                0 => {
                    if d.households.get(h)?.members != 1 {
                        return None;
                    }
                    (0, col::INCOME, "12.5万".to_string())
                }
                1 => {
                    let pos = member(d, h, |_, a| (25..=50).contains(&a))?;
                    let y = audit::year_of(person_mut(d, h, pos)?.birth);
                    (pos, col::BIRTH, format!("{y}0231"))
                }
                _ => {
                    let pos = member(d, h, |p, _| p.work != Work::None && stays(d, p))?;
                    (pos, col::WAGE, ["三千", "3千元"][k % 2].to_string())
                }
            };
            let header = ROSTER_HEADER.get(column).copied().unwrap_or("");
            d.roster_overrides
                .insert((h, pos, column), DemoCell::Text(text.clone()));
            Some(Plant::cell(
                Target::Person {
                    household: h,
                    position: pos,
                },
                format!("{header}写为“{text}”，无法识别"),
                header,
                &text,
            ))
        })
    });
}

fn plant_projects(pl: &mut Planter<'_>) {
    let mut rng = Rng::derive(pl.data.options.seed, &[7]);
    let order = shuffled(pl.data.projects.len(), &mut rng);
    let mut used = vec![false; pl.data.projects.len()];
    let year = pl.data.options.as_of.format("%Y").to_string();
    // (code, count, applies, mutate)
    type Apply = fn(&mut DemoData, usize, &mut Rng, &str, usize) -> Option<Plant>;
    let plans: [(&'static str, usize, Apply); 9] = [
        ("PJ01", 3, |d, i, rng, _, _| {
            let p = d.projects.get_mut(i)?;
            if !p.planned || p.status == ProjectStatus::NotStarted || p.spent <= 0 {
                return None;
            }
            p.spent = p.funds + rng.range(50, 500);
            Some(Plant::new(
                Target::Project(i),
                format!(
                    "已支出 {} 万元，超过衔接资金 {} 万元",
                    money(p.spent),
                    money(p.funds)
                ),
            ))
        }),
        ("PJ02", 2, |d, i, rng, _, _| {
            let p = d.projects.get_mut(i)?;
            let start = p.started_on?;
            p.completed_on?;
            let end = start - Duration::days(rng.range(10, 60));
            p.completed_on = Some(end);
            Some(Plant::new(
                Target::Project(i),
                format!("完工日期 {end} 早于开工日期 {start}"),
            ))
        }),
        ("VL01", 1, |d, i, _, year, _| {
            let p = d.projects.get(i)?;
            if p.status != ProjectStatus::Started {
                return None;
            }
            let text = format!("{year}.13.05");
            d.project_overrides
                .insert((i, pcol::STARTED), DemoCell::Text(text.clone()));
            Some(Plant::cell(
                Target::Project(i),
                format!("开工日期写为“{text}”，无法识别"),
                "开工日期",
                &text,
            ))
        }),
        ("VL02", 2, |d, i, rng, _, _| {
            let p = d.projects.get_mut(i)?;
            if p.status != ProjectStatus::Started {
                return None;
            }
            p.spent = -rng.range(100, 2000);
            let text = money(p.spent);
            Some(Plant::cell(
                Target::Project(i),
                format!("已支出衔接资金为负数（{text} 万元，冲红未调整）"),
                "已支出衔接资金（万元）",
                &text,
            ))
        }),
        // The rules after LN02 (the audit sees no finding in these rows).
        ("PJ03", 2, |d, i, _, _, _| {
            let first = d.options.as_of.with_day(1)?;
            let p = d.projects.get_mut(i)?;
            if p.status != ProjectStatus::Completed || p.completed_on.is_none_or(|c| c >= first) {
                return None;
            }
            p.completed_on = None;
            Some(Plant::new(
                Target::Project(i),
                "项目状态为已完工，完工日期为空".into(),
            ))
        }),
        ("PJ04", 2, |d, i, _, _, _| {
            let p = d.projects.get_mut(i)?;
            if p.status != ProjectStatus::NotStarted || p.spent != 0 || p.funds <= 500 {
                return None;
            }
            p.spent = 500;
            Some(Plant::new(
                Target::Project(i),
                "项目未开工，已支出衔接资金 5 万元".into(),
            ))
        }),
        ("PJ05", 2, |d, i, _, _, _| {
            let p = d.projects.get(i)?;
            if p.status != ProjectStatus::Started {
                return None;
            }
            let later = d.options.as_of + Duration::days(45);
            d.project_overrides
                .insert((i, pcol::STARTED), DemoCell::Date(later));
            Some(Plant::new(
                Target::Project(i),
                format!("开工日期 {later} 晚于统计截止日期"),
            ))
        }),
        ("PJ06", 2, |d, i, _, year, _| {
            d.projects.get(i)?;
            let next: i32 = year.parse().ok()?;
            d.project_overrides
                .insert((i, pcol::YEAR), DemoCell::Number(f64::from(next + 1)));
            Some(Plant::new(
                Target::Project(i),
                format!("项目年度 {} 晚于统计年度", next + 1),
            ))
        }),
        ("PJ07", 2, |d, i, _, _, _| {
            let p = d.projects.get(i)?;
            if p.status != ProjectStatus::NotStarted || p.spent != 0 {
                return None;
            }
            d.project_overrides
                .insert((i, pcol::FUNDS), DemoCell::Number(0.0));
            Some(Plant::new(
                Target::Project(i),
                "衔接资金为 0（资金未下达却已列入项目库）".into(),
            ))
        }),
    ];
    for (code, count, apply) in plans {
        let mut missing = 0;
        for k in 0..count {
            let mut done = false;
            for &i in &order {
                if used.get(i).copied().unwrap_or(true) {
                    continue;
                }
                let Some(saved) = pl.data.projects.get(i).cloned() else {
                    continue;
                };
                let saved_over: Vec<_> = pl
                    .data
                    .project_overrides
                    .range((i, 0)..=(i, usize::MAX))
                    .map(|(k, v)| (*k, v.clone()))
                    .collect();
                if let Some(plant) = apply(pl.data, i, &mut pl.rng, &year, k) {
                    let f = audit::audit_project(pl.data, i);
                    let expected = usize::from(audit::RULES.contains(&code));
                    if f.len() == expected && f.iter().all(|x| x.code == code) {
                        if let Some(u) = used.get_mut(i) {
                            *u = true;
                        }
                        pl.planted.defects.entry(code).or_default().push(plant);
                        done = true;
                        break;
                    }
                }
                if let Some(p) = pl.data.projects.get_mut(i) {
                    *p = saved;
                }
                let keys: Vec<_> = pl
                    .data
                    .project_overrides
                    .range((i, 0)..=(i, usize::MAX))
                    .map(|(k, _)| *k)
                    .collect();
                for key in keys {
                    pl.data.project_overrides.remove(&key);
                }
                pl.data.project_overrides.extend(saved_over);
            }
            if !done {
                missing += 1;
            }
        }
        if missing > 0 {
            *pl.planted.shortfalls.entry(code).or_default() += missing;
        }
    }
}

fn plant_loans(pl: &mut Planter<'_>) {
    let mut rng = Rng::derive(pl.data.options.seed, &[8]);
    // LN02 first: inserting loans shifts the rows after them.
    let known = audit::known_households(pl.data);
    let mut inserted = Vec::new();
    for k in 0..3 {
        if pl.data.loans.is_empty() {
            break;
        }
        let at = rng.below(pl.data.loans.len() as u64) as usize;
        let Some(model) = pl.data.loans.get(at).cloned() else {
            continue;
        };
        let prefix: String = model.household_id.chars().take(12).collect();
        let mut id = format!("{prefix}9{:04}", rng.below(10_000));
        while known.contains(&id) {
            id = format!("{prefix}9{:04}", rng.below(10_000));
        }
        let as_of = pl.data.options.as_of;
        // Issued within the last year, due in three (LN05), so not yet due.
        let issued_on = as_of - Duration::days(300 + k);
        let due_on = super::ledgers::add_years(issued_on, 3);
        let loan = DemoLoan {
            household_id: id.clone(),
            household: None,
            status: LoanStatus::Normal,
            balance: model.amount,
            issued_on,
            due_on,
            ..model
        };
        pl.data.loans.insert(at + 1, loan);
        // Rows of earlier inserts after this position move down by one.
        for r in inserted.iter_mut() {
            if *r > at {
                *r += 1;
            }
        }
        inserted.push(at + 1);
    }
    for &r in &inserted {
        let id = pl
            .data
            .loans
            .get(r)
            .map_or(String::new(), |l| l.household_id.clone());
        pl.planted
            .defects
            .entry("LN02")
            .or_default()
            .push(Plant::new(
                Target::Loan(r),
                format!("户编号 {id} 在人员表中不存在（已销户或录入错误）"),
            ));
    }
    if inserted.len() < 3 {
        *pl.planted.shortfalls.entry("LN02").or_default() += 3 - inserted.len();
    }
    let skip: HashSet<usize> = inserted.iter().copied().collect();
    let order = shuffled(pl.data.loans.len(), &mut rng);
    let known = audit::known_households(pl.data);
    let mut used = vec![false; pl.data.loans.len()];
    for &r in &skip {
        if let Some(u) = used.get_mut(r) {
            *u = true;
        }
    }
    type Apply =
        fn(&mut DemoLoan, chrono::NaiveDate) -> Option<(String, Option<(&'static str, String)>)>;
    let as_of = pl.data.options.as_of;
    let plans: [(&'static str, usize, Apply); 6] = [
        ("LN01", 2, |l, _| {
            if l.balance <= 0 || l.status == LoanStatus::Settled {
                return None;
            }
            l.balance = l.amount + 10_000;
            Some((
                format!("贷款余额 {} 元大于贷款金额 {} 元", l.balance, l.amount),
                None,
            ))
        }),
        ("VL02", 1, |l, _| {
            if l.status != LoanStatus::Settled {
                return None;
            }
            l.balance = -300;
            Some((
                "已结清贷款的贷款余额为负数（-300 元，多还款未冲销）".into(),
                Some(("贷款余额（元）", "-300".into())),
            ))
        }),
        // The rules after LN02 (the audit sees no finding in these rows).
        ("LN03", 2, |l, _| {
            if l.status != LoanStatus::Settled || l.balance != 0 {
                return None;
            }
            l.due_on = l.issued_on - Duration::days(30);
            Some((
                format!("到期日期 {} 早于放款日期 {}", l.due_on, l.issued_on),
                None,
            ))
        }),
        ("LN04", 2, |l, _| {
            if l.status != LoanStatus::Settled || l.balance != 0 {
                return None;
            }
            l.amount = 80_000;
            Some(("贷款金额 80000 元，超过单户上限 50000 元".into(), None))
        }),
        ("LN05", 2, |l, as_of| {
            if l.status != LoanStatus::Normal || l.due_on <= as_of {
                return None;
            }
            l.due_on = super::ledgers::add_years(l.issued_on, 4);
            Some((
                format!("放款日期 {}，到期日期 {}，期限4年", l.issued_on, l.due_on),
                None,
            ))
        }),
        ("LN07", 2, |l, as_of| {
            let due = as_of - Duration::days(60);
            if l.status != LoanStatus::Normal || l.balance <= 0 || l.issued_on >= due {
                return None;
            }
            l.due_on = due;
            Some((
                format!(
                    "到期日期 {due} 已过，仍有贷款余额 {} 元，状态仍为正常",
                    l.balance
                ),
                None,
            ))
        }),
    ];
    // LN06: 放款日期 written after the as-of date (a cell: the loan stays in last month's
    // data, which keep the loans issued by then).
    let mut ln06 = 0;
    for &i in &order {
        if ln06 == 2 {
            break;
        }
        let Some(l) = pl.data.loans.get(i) else {
            continue;
        };
        let later = as_of + Duration::days(20);
        if used.get(i).copied().unwrap_or(true)
            || l.status != LoanStatus::Normal
            || l.due_on <= later + Duration::days(60)
            || l.due_on > super::ledgers::add_years(later, 3)
        {
            continue;
        }
        pl.data
            .loan_overrides
            .insert((i, rows::lcol::ISSUED), DemoCell::Date(later));
        if !audit::audit_loan(pl.data, i, &known).is_empty() {
            pl.data.loan_overrides.remove(&(i, rows::lcol::ISSUED));
            continue;
        }
        if let Some(u) = used.get_mut(i) {
            *u = true;
        }
        ln06 += 1;
        pl.planted
            .defects
            .entry("LN06")
            .or_default()
            .push(Plant::new(
                Target::Loan(i),
                format!("放款日期写为 {later}，晚于统计截止日期"),
            ));
    }
    if ln06 < 2 {
        *pl.planted.shortfalls.entry("LN06").or_default() += 2 - ln06;
    }
    for (code, count, apply) in plans {
        for _ in 0..count {
            let mut done = false;
            for &i in &order {
                if used.get(i).copied().unwrap_or(true) {
                    continue;
                }
                let Some(saved) = pl.data.loans.get(i).cloned() else {
                    continue;
                };
                let applied = pl.data.loans.get_mut(i).and_then(|l| apply(l, as_of));
                if let Some((desc, cell)) = applied {
                    let f = audit::audit_loan(pl.data, i, &known);
                    let expected = usize::from(audit::RULES.contains(&code));
                    if f.len() == expected && f.iter().all(|x| x.code == code) {
                        if let Some(u) = used.get_mut(i) {
                            *u = true;
                        }
                        let plant = match cell {
                            Some((column, value)) => {
                                Plant::cell(Target::Loan(i), desc, column, &value)
                            }
                            None => Plant::new(Target::Loan(i), desc),
                        };
                        pl.planted.defects.entry(code).or_default().push(plant);
                        done = true;
                        break;
                    }
                }
                if let Some(l) = pl.data.loans.get_mut(i) {
                    *l = saved;
                }
            }
            if !done {
                *pl.planted.shortfalls.entry(code).or_default() += 1;
            }
        }
    }
}

/// For the persons with planted spell defects: the number of 已外出务工信息 rows before
/// their first one.
fn spell_rows_before(data: &DemoData, planted: &Planted) -> HashMap<(usize, usize), u64> {
    let wanted: HashSet<(usize, usize)> = planted
        .defects
        .values()
        .flatten()
        .filter_map(|p| match p.at {
            Target::Spell {
                household,
                position,
                ..
            } => Some((household, position)),
            _ => None,
        })
        .collect();
    let mut out = HashMap::new();
    if wanted.is_empty() {
        return out;
    }
    let mut rows = 0u64;
    for (h, hh) in data.households.iter().enumerate() {
        for (position, p) in data
            .persons
            .get(hh.person_range())
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if wanted.contains(&(h, position)) {
                out.insert((h, position), rows);
                if out.len() == wanted.len() {
                    return out;
                }
            }
            rows += work::person_spells(data, p).len() as u64;
        }
    }
    out
}

/// The manifest for the final data.
pub(crate) fn build_manifest(data: &DemoData, planted: &Planted, format: DemoFormat) -> Manifest {
    let roster_file = format!("监测对象信息.{}", format.extension());
    let first_row = match format {
        DemoFormat::Xlsx => 4,
        DemoFormat::Csv => 2,
    };
    let sheet = |name: &str| (format == DemoFormat::Xlsx).then(|| name.to_string());
    let spell_rows = spell_rows_before(data, planted);
    let locate = |t: Target| -> (String, Option<String>, u64) {
        match t {
            Target::Person {
                household,
                position,
            } => {
                let p = data.households.get(household).map_or(0, |h| h.first_person) + position;
                let (sheet, row) = data.roster_location(p, format);
                (roster_file.clone(), sheet, row)
            }
            Target::Household(h) => {
                let p = data.households.get(h).map_or(0, |h| h.first_person);
                let (sheet, row) = data.roster_location(p, format);
                (roster_file.clone(), sheet, row)
            }
            Target::Project(i) => (
                "衔接资金项目.xlsx".into(),
                Some("衔接资金项目".into()),
                i as u64 + 3,
            ),
            Target::Loan(i) => (
                "小额信贷.xlsx".into(),
                Some("小额信贷".into()),
                i as u64 + 3,
            ),
            Target::Spell {
                household,
                position,
                index,
            } => (
                format!("已外出务工信息.{}", format.extension()),
                sheet("已外出务工信息"),
                spell_rows.get(&(household, position)).copied().unwrap_or(0)
                    + index as u64
                    + first_row,
            ),
            Target::Village(v) => (
                format!("行政村信息.{}", format.extension()),
                sheet("行政村信息"),
                v as u64 + first_row,
            ),
        }
    };
    let mut rules = BTreeMap::new();
    // Every rule of the built-in rule file (a defect in it fails the tests, not the demo).
    let rule_list = gonggu_core::validate::list_rules().unwrap_or_default();
    for rule in &rule_list {
        let (code, scope) = (rule.code.as_str(), rule.scope.key());
        let plants = planted.defects.get(code).map(Vec::as_slice).unwrap_or(&[]);
        let defects: Vec<PlantedDefect> = plants
            .iter()
            .map(|pl| {
                let (file, sheet, row) = locate(pl.at);
                let household_id = match pl.at {
                    Target::Person { household, .. }
                    | Target::Household(household)
                    | Target::Spell { household, .. } => Some(data.household_id(household)),
                    Target::Loan(i) => data.loans.get(i).map(|l| l.household_id.clone()),
                    Target::Project(_) | Target::Village(_) => None,
                };
                let person_id = match pl.at {
                    Target::Person {
                        household,
                        position,
                    }
                    | Target::Spell {
                        household,
                        position,
                        ..
                    } => Some(data.person_id(
                        data.households.get(household).map_or(0, |h| h.first_person) + position,
                    )),
                    _ => None,
                };
                let project_id = match pl.at {
                    Target::Project(i) => data.projects.get(i).map(|p| p.id.clone()),
                    _ => None,
                };
                PlantedDefect {
                    description: pl.description.clone(),
                    file,
                    sheet,
                    row,
                    column: pl.column.map(str::to_string),
                    value: pl.value.clone(),
                    household_id,
                    person_id,
                    project_id,
                    related_rows: pl.related.iter().map(|&t| locate(t).2).collect(),
                }
            })
            .collect();
        let note = planted
            .shortfalls
            .get(code)
            .map(|n| format!("数据量太小，少植入 {n} 条（没有找到合适的记录）"));
        let note = if data.options.plant_defects {
            note.or_else(|| defects.is_empty().then(|| NOT_PLANTED.to_string()))
        } else {
            Some("未植入缺陷（plant_defects = false）".into())
        };
        rules.insert(
            code.to_string(),
            RulePlan {
                scope: scope.to_string(),
                count: defects.len(),
                note,
                defects,
            },
        );
    }

    let monitored = data.households.iter().filter(|h| h.is_monitored()).count();
    let mut counties: Vec<CountyCounts> = data
        .counties
        .iter()
        .map(|c| CountyCounts {
            name: c.name.clone(),
            households: 0,
            persons: 0,
            monitored_households: 0,
            projects: 0,
            loans: 0,
            employment: Destinations::default(),
            tuopin_employment: Destinations::default(),
            monitored_employment: Destinations::default(),
            outbound_workers: 0,
            outbound_income_persons: 0,
            outbound_income_sum: 0,
            planned_outbound_workers: 0,
            villages: 0,
            exited_villages: 0,
            collective_income_sum: String::new(),
            villages_over_collective_line: 0,
        })
        .collect();
    let month = YearMonth::of(data.options.as_of).index();
    for (h, hh) in data.households.iter().enumerate() {
        if let Some(c) = counties.get_mut(data.county_of(h)) {
            c.households += 1;
            c.persons += hh.members;
            c.monitored_households += usize::from(hh.is_monitored());
            // Destinations as the generator meant them, never as gonggu reads them.
            for p in data.persons.get(hh.person_range()).unwrap_or(&[]) {
                let place = data.work_in_view(p).class();
                if hh.is_covered() {
                    c.employment.add(place);
                }
                if hh.is_tuopin() {
                    c.tuopin_employment.add(place);
                }
                if hh.is_monitored() {
                    c.monitored_employment.add(place);
                }
                // The spells and plans as drawn, never as written.
                let spells = work::person_spells(data, p);
                if let Some(s) = spells.iter().find(|s| work::covers(s, month)) {
                    c.outbound_workers += 1;
                    if let Some(w) = s.wage {
                        c.outbound_income_persons += 1;
                        c.outbound_income_sum += u64::from(w);
                    }
                }
                if work::person_plan(data, p).is_some_and(|plan| plan.planned) {
                    c.planned_outbound_workers += 1;
                }
            }
        }
    }
    let mut collective = vec![0i64; counties.len()];
    for (v, (village, mut row)) in data
        .villages
        .iter()
        .zip(villages::village_rows(data))
        .enumerate()
    {
        villages::as_written(data, v, &mut row);
        let county = data.towns.get(village.town).map_or(0, |t| t.county);
        if let (Some(c), Some(sum)) = (counties.get_mut(county), collective.get_mut(county)) {
            c.villages += 1;
            c.exited_villages += usize::from(row.exited);
            *sum += row.collective_income;
            c.villages_over_collective_line +=
                usize::from(row.collective_income >= villages::COLLECTIVE_LINE * 100);
        }
    }
    for (c, sum) in counties.iter_mut().zip(collective) {
        c.collective_income_sum = rows::hundredths(sum, false);
    }
    for p in &data.projects {
        if let Some(c) = counties.get_mut(p.county) {
            c.projects += 1;
        }
    }
    for l in &data.loans {
        if let Some(c) = counties.get_mut(l.county) {
            c.loans += 1;
        }
    }

    let semantics: BTreeMap<String, String> = [
        ("person", "每个有问题的人员行计 1 条；row 为该人员所在行"),
        ("household", "每户计 1 条；row 为该户第一行（户级字段在每个成员行重复）"),
        ("project", "每个项目行计 1 条"),
        ("loan", "每笔贷款行计 1 条"),
        (
            "value",
            "每个无法识别或为负数的单元格计 1 条；户级字段的错误值只植入单人户，因此也只有 1 个单元格",
        ),
        (
            "ID02",
            "同一证件号码第二次及以后出现的行各计 1 条，第一次出现的行不计；related_rows 为第一次出现的行",
        ),
        ("PH02", "共用同一联系电话的每一户各计 1 条；related_rows 为另一户的第一行"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();

    let notes = vec![
        format!(
            "年龄按数据截至日 {} 计算（整周岁）；用其他日期检查，年龄相关规则的结果会不同。",
            data.options.as_of
        ),
        "ID03：XLSX 中该证件号码是数值单元格（CSV 中为文本 4.11426E+17 之类），应只报 ID03，不再报 ID01。".into(),
        "MN04：消除时间早于识别时间的户只报 MN04；MN03（不足6个月）只适用于消除时间不早于识别时间的情形。未植入的户消除与识别至少相隔7个月。".into(),
        "MN01：类别写错的户仍按监测户处理（类别非空）。".into(),
        "IN01：植入行的是否参加大病保险为空（未参保），空值不计 IN02。".into(),
        "一处缺陷同时触发两条规则时两条都列出：IN01 的 4 行中 2 行同时计 IN08、其户计 RE04，另 2 户计 IN06；MN10 的 2 户（2024年识别）同时计 TW01；WP09 的在校生（无劳动力）同时计 WP05。".into(),
        "VL01：出生日期无法识别的人员缺年龄，年龄相关规则（LB01–LB04、WP01、ED01）对其不检查。".into(),
        "在校生状况对非在校生为空；学龄前儿童不算在校生。".into(),
        "享受低保政策情况取值：农村低保、城市低保、未享受；享受特困供养政策情况取值：农村特困、不享受。".into(),
        "公益性岗位取值：村级、乡级、县级或空；务工所在地多为地址，少数写为乡镇内务工、乡外县内务工、县内务工、省内县外务工、县外省内务工、省外务工、省外。".into(),
        "已外出务工信息：每段务工一行；务工就业人数及去向按覆盖统计截止月份的是否已务工为是的记录（开始时间不晚于该月、结束时间为空或不早于该月）及其务工所在县计算，counties 中的 employment 与 outbound_workers 即按此计算。".into(),
        "监测对象信息第 A–FU 列按全国系统（自定义）监测对象信息导出的已知列位排列，未知列位的表头留空；FU 之后的人数、是否持证、务工月收入是 gonggu 的规则和指标需要、导出中没有记载的列。".into(),
        "所有 row 为表格中看到的行号（XLSX：第1–2行为标题、第3行为表头；CSV：第1行为表头）。".into(),
    ];

    Manifest {
        description: "gonggu 示例数据（模拟商丘市）：植入的数据质量问题清单。每条 defects 恰好对应 gonggu check 应报告的一条问题；未列出的记录不应触发任何规则。".into(),
        seed: data.options.seed,
        as_of: data.options.as_of.to_string(),
        format,
        plant_defects: data.options.plant_defects,
        monitoring_line: super::people::MONITORING_LINE as u32,
        counts: ManifestCounts {
            counties: data.counties.len(),
            towns: data.towns.len(),
            villages: data.villages.len(),
            households: data.households.len(),
            persons: data.persons.len(),
            monitored_households: monitored,
            projects: data.projects.len(),
            loans: data.loans.len(),
        },
        counties,
        files: vec![
            roster_file,
            format!("已外出务工信息.{}", format.extension()),
            format!("计划外出务工信息.{}", format.extension()),
            format!("行政村信息.{}", format.extension()),
            "衔接资金项目.xlsx".into(),
            "小额信贷.xlsx".into(),
            "目标.xlsx".into(),
            "manifest.json".into(),
        ],
        count_semantics: semantics,
        notes,
        rules,
    }
}

impl Manifest {
    /// An empty manifest (replaced at the end of [`super::generate`]).
    pub(crate) fn empty() -> Manifest {
        Manifest {
            description: String::new(),
            seed: 0,
            as_of: String::new(),
            format: DemoFormat::Xlsx,
            plant_defects: false,
            monitoring_line: 0,
            counts: ManifestCounts {
                counties: 0,
                towns: 0,
                villages: 0,
                households: 0,
                persons: 0,
                monitored_households: 0,
                projects: 0,
                loans: 0,
            },
            counties: Vec::new(),
            files: Vec::new(),
            count_semantics: BTreeMap::new(),
            notes: Vec::new(),
            rules: BTreeMap::new(),
        }
    }
}

/// Converts an audit finding to (code, file-independent row key) for comparisons in tests.
#[cfg(test)]
pub(crate) fn finding_row(data: &DemoData, at: At) -> (String, u64, Option<String>) {
    let format = data.options.format;
    let person_row = |p: usize| data.roster_location(p, format).1;
    match at {
        At::Person(p) => ("roster".into(), person_row(p), None),
        At::Household(h) => (
            "roster".into(),
            person_row(data.households.get(h).map_or(0, |h| h.first_person)),
            None,
        ),
        At::RosterCell(p, c) => (
            "roster".into(),
            person_row(p),
            ROSTER_HEADER.get(c).map(|s| s.to_string()),
        ),
        At::Project(i) => ("project".into(), i as u64 + 3, None),
        At::ProjectCell(i, c) => (
            "project".into(),
            i as u64 + 3,
            rows::PROJECT_HEADER.get(c).map(|s| s.to_string()),
        ),
        At::Loan(i) => ("loan".into(), i as u64 + 3, None),
        At::LoanCell(i, c) => (
            "loan".into(),
            i as u64 + 3,
            rows::LOAN_HEADER.get(c).map(|s| s.to_string()),
        ),
    }
}
