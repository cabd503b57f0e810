//! Regions, households and persons.
//!
//! Every household draws from its own random sub-stream (seed, county, index in county), so
//! the data of one county do not depend on how many households another county has.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate};

use super::names::{
    COUNTIES, CountySpec, FEMALE_CHARS, MALE_CHARS, SURNAMES, VILLAGE_PREFIX, VILLAGE_SUFFIX,
};
use super::rng::{Rng, mix};
use super::{
    DemoCounty, DemoData, DemoHousehold, DemoOptions, DemoPerson, DemoTown, DemoVillage,
    DibaoStatus, Education, Manifest, Post, Relation, School, Work, YearMonth,
};
use gonggu_core::model::{
    Assistance, AssistanceSet, EliminationMethod, Health, HouseholdType, LaborSkill,
    MonitorCategory, Risk, Sex,
};

/// Monitoring line (元/人·年) the clean data respect.
pub(crate) const MONITORING_LINE: i64 = 7500;

/// Age in whole years on `date`.
pub(crate) fn age_on(birth: NaiveDate, date: NaiveDate) -> i32 {
    let mut age = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// 姓名 of a person.
pub(crate) fn person_name(p: &DemoPerson) -> String {
    let mut name = String::new();
    let surname = SURNAMES
        .get(usize::from(p.surname))
        .map_or("王", |(s, _)| *s);
    name.push_str(surname);
    let table: &[&str] = match p.sex {
        Sex::Male => &MALE_CHARS,
        Sex::Female => &FEMALE_CHARS,
    };
    for g in p.given {
        if let Some(c) = table.get(usize::from(g)) {
            name.push_str(c);
        }
    }
    name
}

/// A birth date giving exactly `age` on `as_of`.
fn birth_for_age(rng: &mut Rng, as_of: NaiveDate, age: i32) -> NaiveDate {
    let year = as_of.year() - age;
    let latest = NaiveDate::from_ymd_opt(year, as_of.month(), as_of.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, as_of.month(), 28))
        .unwrap_or(as_of);
    let birth = latest - Duration::days(rng.range(0, 364));
    // The leap-day corner can shift the age by one: step into range.
    if age_on(birth, as_of) != age {
        return latest;
    }
    birth
}

/// Hands out 证件号码: area code + birth date + a 3-digit sequence whose parity gives the sex
/// + the GB 11643 check digit. Unique by construction.
#[derive(Default)]
pub(crate) struct IdAllocator {
    used: HashMap<(usize, NaiveDate, bool), u32>,
}

impl IdAllocator {
    /// A new unique number; `None` when 500 people of this sex were born on this day in this
    /// county already (the caller moves the birth date by a day).
    fn allocate(
        &mut self,
        seed: u64,
        county: usize,
        birth: NaiveDate,
        sex: Sex,
    ) -> Option<[u8; 18]> {
        let male = sex == Sex::Male;
        let n = self.used.entry((county, birth, male)).or_insert(0);
        if *n >= 500 {
            return None;
        }
        let k = mix(seed
            ^ ((county as u64) << 40)
            ^ (birth.num_days_from_ce() as u64) << 1
            ^ u64::from(male))
            % 500;
        let slot = (u64::from(*n) * 37 + k) % 500;
        *n += 1;
        let seq = slot * 2 + u64::from(male);
        let code = COUNTIES.get(county).map_or("411400", |c| c.code);
        let first17 = format!("{}{}{:03}", code, birth.format("%Y%m%d"), seq);
        let check = super::gb11643_check_digit(&first17)?;
        let mut out = [b'0'; 18];
        for (o, b) in out
            .iter_mut()
            .zip(first17.bytes().chain(std::iter::once(check as u8)))
        {
            *o = b;
        }
        Some(out)
    }

    /// Allocates, moving the birth date forward a day at a time if a day is full.
    fn allocate_near(
        &mut self,
        seed: u64,
        county: usize,
        birth: &mut NaiveDate,
        sex: Sex,
    ) -> [u8; 18] {
        loop {
            if let Some(id) = self.allocate(seed, county, *birth, sex) {
                return id;
            }
            *birth = birth.succ_opt().unwrap_or(*birth);
        }
    }
}

/// One member before attributes: relation, sex and age.
struct Seat {
    relation: Relation,
    sex: Sex,
    age: i32,
}

fn other(sex: Sex) -> Sex {
    match sex {
        Sex::Male => Sex::Female,
        Sex::Female => Sex::Male,
    }
}

fn random_sex(rng: &mut Rng) -> Sex {
    if rng.chance(0.5) {
        Sex::Male
    } else {
        Sex::Female
    }
}

fn child_relation(sex: Sex) -> Relation {
    match sex {
        Sex::Male => Relation::Son,
        Sex::Female => Relation::Daughter,
    }
}

fn grandchild_relation(sex: Sex) -> Relation {
    match sex {
        Sex::Male => Relation::Grandson,
        Sex::Female => Relation::Granddaughter,
    }
}

/// Household composition for `size` members (head first).
fn compose(rng: &mut Rng, size: usize) -> Vec<Seat> {
    let mut seats = Vec::with_capacity(size);
    if size <= 1 {
        let age = if rng.chance(0.65) {
            rng.range(60, 92)
        } else {
            rng.range(35, 59)
        } as i32;
        seats.push(Seat {
            relation: Relation::Head,
            sex: random_sex(rng),
            age,
        });
        return seats;
    }
    let head_sex = if rng.chance(0.85) {
        Sex::Male
    } else {
        Sex::Female
    };
    let template = match size {
        2 => rng.weighted(&[55, 25, 20]), // elderly couple, single parent, young couple
        3 => [3, 1, 4][rng.weighted(&[70, 15, 15])], // nuclear, single parent, with a parent
        _ => [3, 5, 4][rng.weighted(&[45, 40, 15])], // nuclear, three generations, with parents
    };
    let head_age: i32 = match template {
        0 => rng.range(55, 86) as i32,
        1 => rng.range(38, 72) as i32,
        2 => rng.range(22, 34) as i32,
        3 => rng.range(28, 58) as i32,
        4 => rng.range(28, 50) as i32,
        _ => rng.range(52, 76) as i32,
    };
    seats.push(Seat {
        relation: Relation::Head,
        sex: head_sex,
        age: head_age,
    });
    let spouse_age = |rng: &mut Rng, age: i32| (age + rng.range(-4, 4) as i32).clamp(18, 98);
    if template != 1 {
        let age = spouse_age(rng, head_age);
        seats.push(Seat {
            relation: Relation::Spouse,
            sex: other(head_sex),
            age,
        });
    }
    match template {
        4 => {
            // With parents: the head's father and/or mother, then children.
            let parent_age = (head_age + rng.range(22, 32) as i32).min(96);
            if seats.len() < size {
                seats.push(Seat {
                    relation: Relation::Mother,
                    sex: Sex::Female,
                    age: parent_age,
                });
            }
            if seats.len() < size && rng.chance(0.5) {
                let age = (parent_age + rng.range(0, 4) as i32).min(98);
                seats.push(Seat {
                    relation: Relation::Father,
                    sex: Sex::Male,
                    age,
                });
            }
        }
        5 => {
            // Three generations: a married son and grandchildren.
            let son_age = (head_age - rng.range(22, 30) as i32).max(20);
            seats.push(Seat {
                relation: Relation::Son,
                sex: Sex::Male,
                age: son_age,
            });
            if seats.len() < size {
                let age = spouse_age(rng, son_age);
                seats.push(Seat {
                    relation: Relation::DaughterInLaw,
                    sex: Sex::Female,
                    age,
                });
            }
            while seats.len() < size {
                let sex = random_sex(rng);
                let age = (son_age - rng.range(20, 30) as i32).max(0);
                let age = (age - rng.range(0, 6) as i32).max(0);
                seats.push(Seat {
                    relation: grandchild_relation(sex),
                    sex,
                    age,
                });
            }
        }
        _ => {}
    }
    while seats.len() < size {
        let sex = random_sex(rng);
        let gap = rng.range(20, 34) as i32;
        let age = if head_age - gap >= 0 {
            head_age - gap
        } else {
            rng.range(0, 5) as i32
        };
        seats.push(Seat {
            relation: child_relation(sex),
            sex,
            age,
        });
    }
    seats
}

fn health_for(rng: &mut Rng, age: i32) -> Health {
    let (d, c, s) = if age < 16 {
        (2, 1, 0)
    } else if age < 60 {
        (5, 8, 3)
    } else {
        (9, 28, 6)
    };
    let r = rng.below(100);
    if r < d {
        Health::Disabled
    } else if r < d + c {
        Health::Chronic
    } else if r < d + c + s {
        Health::Serious
    } else {
        Health::Healthy
    }
}

fn school_for(rng: &mut Rng, age: i32) -> School {
    let g = |x: i32| x.clamp(1, 9) as u8;
    match age {
        0..=2 => School::PreschoolChild,
        3..=5 => {
            if rng.chance(0.85) {
                School::Preschool
            } else {
                School::PreschoolChild
            }
        }
        6..=11 => School::Primary(g(age - 5)),
        12..=14 => School::Junior(g(age - 5)),
        15..=17 => match rng.weighted(&[50, 20, 30]) {
            0 => School::Senior(g(age - 14)),
            1 => School::Vocational(g(age - 14)),
            _ => School::None,
        },
        18..=20 => match rng.weighted(&[12, 10, 78]) {
            0 => School::College(g(age - 17)),
            1 => School::Undergraduate(g(age - 17)),
            _ => School::None,
        },
        21 => {
            if rng.chance(0.1) {
                School::Undergraduate(4)
            } else {
                School::None
            }
        }
        22..=24 => {
            if rng.chance(0.02) {
                School::Graduate
            } else {
                School::None
            }
        }
        _ => School::None,
    }
}

fn education_for(rng: &mut Rng, age: i32, school: School) -> Education {
    use Education as E;
    // 文化程度 is blank while 在校生状况 is filled (EXPORTS.md §2); a 15-year-old who left
    // school has finished 初中.
    if age < 15 || school.in_school() {
        return E::Blank;
    }
    if age < 16 {
        return E::Junior;
    }
    let (items, weights): (&[E], &[u32]) = if age <= 22 {
        // Nine years of compulsory schooling: a young adult has finished 初中 at least.
        (
            &[E::Junior, E::Senior, E::Senior, E::College, E::Bachelor],
            &[52, 22, 12, 10, 4],
        )
    } else if age <= 30 {
        (
            &[
                E::Primary,
                E::Junior,
                E::Senior,
                E::Senior,
                E::College,
                E::Bachelor,
            ],
            &[2, 50, 22, 12, 10, 4],
        )
    } else if age <= 50 {
        (
            &[E::Primary, E::Junior, E::Senior, E::Senior, E::College],
            &[20, 60, 15, 3, 2],
        )
    } else if age <= 65 {
        (
            &[E::Illiterate, E::Primary, E::Junior, E::Senior],
            &[10, 45, 38, 7],
        )
    } else {
        (&[E::Illiterate, E::Primary, E::Junior], &[45, 45, 10])
    };
    items
        .get(rng.weighted(weights))
        .copied()
        .unwrap_or(E::Junior)
}

/// 劳动技能 consistent with age, health and schooling (rules LB01–LB04).
fn labor_for(rng: &mut Rng, age: i32, health: Health, school: School) -> LaborSkill {
    use LaborSkill as L;
    let pick = |rng: &mut Rng, items: &[(L, u32)]| {
        let w: Vec<u32> = items.iter().map(|x| x.1).collect();
        items.get(rng.weighted(&w)).map_or(L::NoLabor, |x| x.0)
    };
    if age < 16 || school.in_school() {
        return L::NoLabor;
    }
    if age <= 59 {
        match health {
            Health::Healthy | Health::Other => pick(rng, &[(L::Ordinary, 72), (L::Skilled, 28)]),
            Health::Disabled => pick(rng, &[(L::Weak, 50), (L::Lost, 35), (L::Ordinary, 15)]),
            Health::Chronic => pick(rng, &[(L::Weak, 50), (L::Ordinary, 40), (L::Lost, 10)]),
            Health::Serious => pick(rng, &[(L::Lost, 55), (L::Weak, 45)]),
        }
    } else if age <= 69 {
        match health {
            Health::Healthy | Health::Other => pick(rng, &[(L::Weak, 80), (L::NoLabor, 20)]),
            _ => pick(rng, &[(L::Weak, 40), (L::Lost, 60)]),
        }
    } else {
        match health {
            Health::Healthy | Health::Other => pick(rng, &[(L::NoLabor, 85), (L::Weak, 15)]),
            _ => pick(rng, &[(L::Lost, 70), (L::NoLabor, 20), (L::Weak, 10)]),
        }
    }
}

fn round100(v: f64) -> u32 {
    ((v / 100.0).round() * 100.0).max(100.0) as u32
}

/// 务工所在地 and 务工月收入 of one labor person of county `county`: mostly an address, as
/// real exports write it, sometimes a category word.
fn work_for(
    rng: &mut Rng,
    county: usize,
    spec: &CountySpec,
    age: i32,
    labor: LaborSkill,
) -> (Work, u32) {
    let p = match labor {
        LaborSkill::Ordinary | LaborSkill::Skilled => spec.employment * 0.86,
        LaborSkill::Weak if age <= 59 => 0.30,
        LaborSkill::Weak => 0.18,
        _ => 0.0,
    };
    if !rng.chance(p) {
        return (Work::None, 0);
    }
    let weak = labor == LaborSkill::Weak;
    let class = if weak {
        rng.weighted(&[85, 15, 0])
    } else {
        rng.weighted(&[40, 25, 35])
    };
    // About one worker in six keeps a category word; the others get an address.
    let word = rng.chance(0.16);
    let pick_index = |rng: &mut Rng, n: usize| rng.below(n as u64) as u8;
    let (work, lo, hi) = match class {
        0 => (
            if word {
                [Work::Township, Work::OutsideTownship, Work::InCounty][rng.weighted(&[40, 45, 15])]
            } else {
                Work::HomeAddress(pick_index(rng, 3))
            },
            1500.0,
            3000.0,
        ),
        1 => {
            let city = super::city_destinations(county);
            let work = if word {
                [Work::InProvince, Work::InProvinceAlt][rng.weighted(&[80, 20])]
            } else if !city.is_empty() && rng.chance(0.4) {
                Work::CityAddress(rng.pick(&city))
            } else {
                Work::ProvinceAddress(pick_index(rng, super::PROVINCE_ADDRESSES.len()))
            };
            (work, 2200.0, 4000.0)
        }
        _ => (
            if word {
                [Work::OutProvince, Work::OutProvinceShort][rng.weighted(&[85, 15])]
            } else {
                Work::OutAddress(pick_index(rng, super::OUT_ADDRESSES.len()))
            },
            2800.0,
            5500.0,
        ),
    };
    let mut wage = lo + (hi - lo) * rng.unit();
    if weak {
        wage *= 0.7;
    }
    (work, round100(wage))
}

fn given_name(rng: &mut Rng, sex: Sex) -> [u8; 2] {
    let n = match sex {
        Sex::Male => MALE_CHARS.len(),
        Sex::Female => FEMALE_CHARS.len(),
    } as u64;
    let a = rng.below(n) as u8;
    if rng.chance(0.25) {
        [a, u8::MAX]
    } else {
        let mut b = rng.below(n) as u8;
        if b == a {
            b = ((u64::from(b) + 1) % n) as u8;
        }
        [a, b]
    }
}

fn surname(rng: &mut Rng) -> u8 {
    let w: Vec<u32> = SURNAMES.iter().map(|s| s.1).collect();
    rng.weighted(&w) as u8
}

fn village_name(rng: &mut Rng) -> String {
    let w: Vec<u32> = SURNAMES.iter().map(|s| s.1).collect();
    let s = SURNAMES.get(rng.weighted(&w)).map_or("王", |s| s.0);
    format!(
        "{}{}{}村",
        rng.pick(&VILLAGE_PREFIX),
        s,
        rng.pick(&VILLAGE_SUFFIX)
    )
}

/// Splits `total` by `weights` with the largest-remainder method (deterministic).
pub(crate) fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 || weights.is_empty() {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut rest = total.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable: ties go to the earlier unit.
    order.sort_by(|&a, &b| {
        let fa = exact[a] - exact[a].floor();
        let fb = exact[b] - exact[b].floor();
        fb.total_cmp(&fa)
    });
    for i in order {
        if rest == 0 {
            break;
        }
        out[i] += 1;
        rest -= 1;
    }
    out
}

/// Builds regions, households and persons.
pub(crate) fn generate_people(opts: &DemoOptions) -> DemoData {
    let seed = opts.seed;
    let mut counties = Vec::new();
    let mut towns = Vec::new();
    let mut villages = Vec::new();
    for (ci, spec) in COUNTIES.iter().enumerate() {
        counties.push(DemoCounty {
            name: spec.name.into(),
            code: spec.code.into(),
        });
        let mut rng = Rng::derive(seed, &[1, ci as u64]);
        for (ti, tname) in spec.towns.iter().enumerate() {
            let code = format!("{}{:03}", spec.code, 100 + ti);
            towns.push(DemoTown {
                county: ci,
                name: (*tname).into(),
                code: code.clone(),
            });
            let n = rng.range(8, 20);
            let mut seen = HashSet::new();
            for vi in 0..n {
                let mut name = village_name(&mut rng);
                while !seen.insert(name.clone()) {
                    name = village_name(&mut rng);
                }
                villages.push(DemoVillage {
                    town: towns.len() - 1,
                    name,
                    code: format!("{}{:03}", code, 200 + vi),
                });
            }
        }
    }

    // Households per county by size (at least one each when there are enough), then per
    // village by a random village size.
    let shares: Vec<f64> = COUNTIES.iter().map(|c| c.share).collect();
    let mut per_county = apportion(opts.households, &shares);
    if opts.households >= COUNTIES.len() {
        for i in 0..per_county.len() {
            if per_county[i] == 0 {
                per_county[i] = 1;
                if let Some(max) = (0..per_county.len()).max_by_key(|&j| per_county[j]) {
                    per_county[max] -= 1;
                }
            }
        }
    }

    let mut data = DemoData {
        options: opts.clone(),
        counties,
        towns,
        villages,
        households: Vec::with_capacity(opts.households),
        persons: Vec::with_capacity(opts.households * 3 + 16),
        projects: Vec::new(),
        loans: Vec::new(),
        targets: Vec::new(),
        manifest: Manifest::empty(),
        roster_overrides: BTreeMap::new(),
        project_overrides: BTreeMap::new(),
        spell_overrides: BTreeMap::new(),
        loan_overrides: BTreeMap::new(),
        village_overrides: BTreeMap::new(),
        planted: Default::default(),
        base_as_of: opts.as_of,
        no_spells: Default::default(),
    };

    let phone_offset = mix(seed ^ 0x5048_4F4E) % 100_000_000;
    let mut ids = IdAllocator::default();
    for (ci, spec) in COUNTIES.iter().enumerate() {
        let village_ids: Vec<usize> = (0..data.villages.len())
            .filter(|&v| {
                data.villages
                    .get(v)
                    .and_then(|v| data.towns.get(v.town))
                    .is_some_and(|t| t.county == ci)
            })
            .collect();
        let mut wrng = Rng::derive(seed, &[3, ci as u64]);
        let weights: Vec<f64> = village_ids
            .iter()
            .map(|_| wrng.range(5, 30) as f64)
            .collect();
        let counts = apportion(per_county.get(ci).copied().unwrap_or(0), &weights);
        let mut k = 0u64;
        for (&v, &n) in village_ids.iter().zip(&counts) {
            for number in 1..=n {
                let mut rng = Rng::derive(seed, &[2, ci as u64, k]);
                k += 1;
                let global = data.households.len() as u64;
                let phone_prefix = rng.pick(&PHONE_PREFIXES);
                let phone =
                    phone_prefix * 100_000_000 + (global * 73_939_133 + phone_offset) % 100_000_000;
                household(
                    &mut data,
                    &mut ids,
                    &mut rng,
                    ci,
                    spec,
                    v,
                    number as u32,
                    phone,
                );
            }
        }
    }
    data
}

const PHONE_PREFIXES: [u64; 28] = [
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158, 159,
    176, 177, 180, 181, 182, 183, 186, 187, 199,
];

/// Generates one household and its members and appends them to `data`.
#[allow(clippy::too_many_arguments)]
fn household(
    data: &mut DemoData,
    ids: &mut IdAllocator,
    rng: &mut Rng,
    county: usize,
    spec: &CountySpec,
    village: usize,
    number: u32,
    phone: u64,
) {
    let as_of = data.options.as_of;
    let last_month_end = as_of
        .with_day(1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(as_of);
    let seed = data.options.seed;
    let size = [1usize, 2, 3, 4, 5, 6, 7][rng.weighted(&[18, 24, 20, 18, 12, 6, 2])];
    let seats = compose(rng, size);
    let hh_index = data.households.len();

    // Members with their basic attributes.
    let family_surname = surname(rng);
    let hui_town = data
        .villages
        .get(village)
        .and_then(|v| data.towns.get(v.town))
        .is_some_and(|t| t.name.contains("回族"));
    let hui = rng.chance(if hui_town { 0.3 } else { 0.012 });
    let head_male = seats.first().is_some_and(|s| s.sex == Sex::Male);
    let mut members: Vec<DemoPerson> = Vec::with_capacity(size);
    for (i, seat) in seats.iter().enumerate() {
        let mut birth = birth_for_age(rng, as_of, seat.age);
        // Nobody is born in the as-of month, so that last month's data hold the same
        // persons (a month earlier keeps an infant's age at 0).
        if birth > last_month_end {
            birth -= Duration::days(31);
        }
        // The number first: a full day moves the birth date, and the age follows it.
        let id = ids.allocate_near(seed, county, &mut birth, seat.sex);
        let age = age_on(birth, as_of);
        let health = health_for(rng, age);
        let school = school_for(rng, age);
        let education = education_for(rng, age, school);
        let labor = labor_for(rng, age, health, school);
        let bloodline = matches!(
            seat.relation,
            Relation::Son
                | Relation::Daughter
                | Relation::Grandson
                | Relation::Granddaughter
                | Relation::Sibling
        ) || (seat.relation == Relation::Father && head_male)
            || (seat.relation == Relation::Head && head_male);
        let sn = if bloodline {
            family_surname
        } else {
            surname(rng)
        };
        members.push(DemoPerson {
            household: hh_index,
            member: i as u32 + 1,
            id_number: id,
            surname: sn,
            given: given_name(rng, seat.sex),
            relation: seat.relation,
            sex: seat.sex,
            hui,
            birth,
            education,
            school,
            health,
            labor,
            work: Work::None,
            monthly_wage: 0,
            work_months: 0,
            certified: if age >= 16 { Some(false) } else { None },
            welfare_post: Post::None,
            basic_medical: Some(true),
            serious_illness_insurance: Some(true),
        });
    }

    // Monitoring, more likely where illness, disability, schooling or lack of labor weigh.
    let has = |f: &dyn Fn(&DemoPerson) -> bool| members.iter().any(f);
    let serious = has(&|p| p.health == Health::Serious);
    let disabled = has(&|p| p.health == Health::Disabled);
    let chronic = has(&|p| p.health == Health::Chronic);
    let students = members
        .iter()
        .filter(|p| {
            !matches!(
                p.school,
                School::None | School::PreschoolChild | School::Preschool
            )
        })
        .count();
    let labor_count = members.iter().filter(|p| p.labor.is_labor()).count();
    let score = 1.0
        + if serious { 1.6 } else { 0.0 }
        + if disabled { 1.0 } else { 0.0 }
        + if chronic { 0.7 } else { 0.0 }
        + 0.4 * students.min(3) as f64
        + if labor_count == 0 { 1.0 } else { 0.0 };
    let monitored = rng.chance((spec.monitor_rate * score / 1.75).min(0.8));
    let (category, kind) = if monitored {
        match rng.weighted(&[40, 35, 25]) {
            0 => (Some(MonitorCategory::Unstable), HouseholdType::Tuopin),
            1 => (Some(MonitorCategory::Marginal), HouseholdType::General),
            _ => (
                Some(MonitorCategory::Sudden),
                if rng.chance(0.3) {
                    HouseholdType::Tuopin
                } else {
                    HouseholdType::General
                },
            ),
        }
    } else if rng.chance(0.92) {
        (None, HouseholdType::Tuopin)
    } else {
        (None, HouseholdType::General)
    };
    let covered = monitored || kind == HouseholdType::Tuopin;

    // Work, certificates and welfare posts.
    for p in members.iter_mut() {
        let age = age_on(p.birth, as_of);
        if p.labor.is_labor() {
            let (work, wage) = work_for(rng, county, spec, age, p.labor);
            p.work = work;
            p.monthly_wage = wage;
            let r = spec.cert_rate;
            let pc = match p.labor {
                LaborSkill::Skilled => (r * 1.6).min(0.95),
                LaborSkill::Ordinary => r * 1.0,
                _ => r * 0.28,
            };
            p.certified = Some(rng.chance(pc));
            let post_p = match p.labor {
                LaborSkill::Weak => 0.09,
                LaborSkill::Ordinary => 0.015,
                _ => 0.005,
            };
            if covered && (16..=69).contains(&age) && !p.work.outside_county() && rng.chance(post_p)
            {
                p.welfare_post =
                    [Post::Village, Post::Township, Post::County][rng.weighted(&[80, 17, 3])];
                if p.work == Work::None && rng.chance(0.5) {
                    p.work = Work::Township;
                    p.monthly_wage = rng.range(5, 9) as u32 * 100;
                }
            }
        }
    }

    // Monitoring dates.
    let as_of_m = YearMonth::of(as_of).index();
    let mut identified = None;
    let mut eliminated = None;
    let mut eliminated_on = None;
    let mut method = None;
    if monitored {
        let this_year = i64::from(as_of.month()) - 1;
        let weights: Vec<u32> = (0..=20)
            .map(|k| if k <= this_year { 10 } else { 19 })
            .collect();
        let id_m = as_of_m - rng.weighted(&weights) as i64;
        identified = Some(YearMonth::from_index(id_m));
        let can = id_m + 7 <= as_of_m;
        let elim = can && rng.chance(spec.elimination);
        eliminated = Some(elim);
        if elim {
            let m = id_m + 7 + rng.below((as_of_m - id_m - 7 + 1) as u64) as i64;
            eliminated_on = Some(YearMonth::from_index(m));
            method = Some(if rng.chance(0.85) {
                EliminationMethod::Assisted
            } else {
                EliminationMethod::Natural
            });
        }
    }
    let is_eliminated = eliminated == Some(true);

    // Risks consistent with the members (RK06, RK07).
    let mut risk1 = None;
    let mut risk2 = None;
    if monitored {
        let workers = labor_count;
        let mut cands: Vec<(Risk, u32)> = Vec::new();
        if serious || chronic {
            cands.push((Risk::Illness, 40));
        }
        if disabled {
            cands.push((Risk::Disability, 25));
        }
        if students > 0 {
            cands.push((Risk::Schooling, 14));
        }
        if workers * 2 < size {
            cands.push((Risk::LackOfLabor, 14));
        }
        if workers > 0 {
            cands.push((Risk::UnstableWork, 8));
            cands.push((Risk::IndustryFailure, 3));
        }
        cands.extend([
            (Risk::Accident, 4),
            (Risk::Disaster, 3),
            (Risk::Housing, 3),
            (Risk::Water, 1),
            (Risk::Other, 2),
        ]);
        let w: Vec<u32> = cands.iter().map(|c| c.1).collect();
        let i = rng.weighted(&w);
        risk1 = cands.get(i).map(|c| c.0);
        if rng.chance(0.3) {
            cands.remove(i);
            let w: Vec<u32> = cands.iter().map(|c| c.1).collect();
            risk2 = cands.get(rng.weighted(&w)).map(|c| c.0);
        }
    }

    // Social assistance.
    let head_age = members.first().map_or(50, |p| age_on(p.birth, as_of));
    let mut tekun = false;
    let mut dibao = DibaoStatus::None;
    if size == 1 && head_age >= 60 && labor_count == 0 && covered && rng.chance(0.35) {
        tekun = true;
    } else {
        let p = if monitored {
            0.28
        } else if kind == HouseholdType::Tuopin {
            0.10
        } else {
            0.02
        };
        if rng.chance(p) {
            dibao = if rng.chance(0.03) {
                DibaoStatus::Urban
            } else {
                DibaoStatus::Rural
            };
        }
    }

    // Measures: each risk gets a matching measure (RK01–RK05); 低保/特困 get 综合保障 (SB01).
    let mut measures = AssistanceSet::default();
    let any_worker = members.iter().any(|p| p.work != Work::None);
    let any_post = members.iter().any(|p| p.welfare_post != Post::None);
    let compulsory = members
        .iter()
        .any(|p| matches!(p.school, School::Primary(_) | School::Junior(_)));
    if monitored {
        for risk in [risk1, risk2].into_iter().flatten() {
            match risk {
                Risk::Illness => {
                    measures.insert(Assistance::Health);
                    if rng.chance(0.3) {
                        measures.insert(Assistance::Social);
                    }
                }
                Risk::Disability => {
                    if rng.chance(0.65) {
                        measures.insert(Assistance::SocialSecurity);
                    } else {
                        measures.insert(Assistance::Social);
                    }
                    if rng.chance(0.4) {
                        measures.insert(Assistance::Health);
                    }
                }
                Risk::Schooling => {
                    measures.insert(Assistance::Education);
                    if compulsory {
                        measures.insert(Assistance::CompulsoryEducation);
                    }
                }
                Risk::Housing => {
                    if rng.chance(0.85) {
                        measures.insert(Assistance::Housing);
                    } else {
                        measures.insert(Assistance::Relocation);
                    }
                }
                Risk::Water => measures.insert(Assistance::Water),
                Risk::LackOfLabor => {
                    if rng.chance(0.5) {
                        measures.insert(Assistance::Industry);
                    } else {
                        measures.insert(Assistance::Social);
                    }
                }
                Risk::UnstableWork => measures.insert(Assistance::Employment),
                Risk::IndustryFailure => {
                    measures.insert(Assistance::Industry);
                    if rng.chance(0.5) {
                        measures.insert(Assistance::Finance);
                    }
                }
                Risk::Disaster | Risk::Accident | Risk::Other => {
                    if rng.chance(0.5) {
                        measures.insert(Assistance::Social);
                    } else {
                        measures.insert(Assistance::SocialSecurity);
                    }
                }
            }
        }
        if rng.chance(0.35) {
            measures.insert(Assistance::Industry);
        }
        if any_worker && rng.chance(0.45) {
            measures.insert(Assistance::Employment);
        }
        if any_post {
            measures.insert(Assistance::WelfarePost);
        }
        if rng.chance(0.12) {
            measures.insert(Assistance::Finance);
        }
        if rng.chance(0.08) {
            measures.insert(Assistance::LivingConditions);
        }
        if rng.chance(0.05) {
            measures.insert(Assistance::Infrastructure);
        }
    }
    if tekun || dibao != DibaoStatus::None {
        measures.insert(Assistance::SocialSecurity);
    }
    let mut measure_text = AssistanceSet::default();
    for m in Assistance::ALL {
        if rng.chance(0.4) {
            measure_text.insert(m);
        }
    }

    // Income: 人均纯收入 never below the monitoring line unless monitored (MN05), and not
    // below it for eliminated households (MN09).
    let mut wage_total: i64 = 0;
    for p in &mut members {
        if p.monthly_wage > 0 {
            // Many work seasonally: 4–10 months a year.
            let months = if p.welfare_post != Post::None {
                12
            } else {
                rng.range(4, 10)
            };
            p.work_months = months as u8;
            wage_total += i64::from(p.monthly_wage) * months;
        }
    }
    let base = if !monitored {
        if kind == HouseholdType::Tuopin {
            spec.income_mean + rng.bell() * 3800.0
        } else {
            spec.income_mean + 2500.0 + rng.bell() * 4500.0
        }
    } else if is_eliminated {
        10_200.0 + rng.bell() * 2200.0
    } else {
        7_600.0 + rng.bell() * 2800.0
    };
    // Net income includes wages: never below the household's wage income per person.
    let mut pc = (base as i64).max(wage_total / size as i64 + 300).max(3000);
    if !monitored && pc < MONITORING_LINE + 100 {
        pc = MONITORING_LINE + 100 + rng.range(0, 1200);
    }
    if is_eliminated && pc < 8000 {
        pc = 8000 + rng.range(0, 1500);
    }
    let cents = if rng.chance(0.3) { rng.range(1, 99) } else { 0 };

    let (mut unsafe_housing, mut safe_water) = (false, true);
    if monitored && !is_eliminated {
        if risk1 == Some(Risk::Housing) || risk2 == Some(Risk::Housing) {
            unsafe_housing = rng.chance(0.6);
        }
        if risk1 == Some(Risk::Water) || risk2 == Some(Risk::Water) {
            safe_water = !rng.chance(0.6);
        }
    }

    // The system writes the risks EXPORTS.md §2 lists; the draws above keep their stream,
    // and the three risks it does not list are written as the nearest listed one (none of
    // them asks for a measure of its own).
    let listed = |r: Option<Risk>| {
        r.map(|r| match r {
            Risk::Accident | Risk::Other => Risk::Disaster,
            Risk::IndustryFailure => Risk::UnstableWork,
            r => r,
        })
    };
    let risk1 = listed(risk1);
    let risk2 = listed(risk2).filter(|r| Some(*r) != risk1);

    // 户主 written second in a few households (a reader must not rely on the order).
    if members.len() >= 2 && rng.chance(0.004) {
        members.swap(0, 1);
    }

    let first_person = data.persons.len();
    let n = members.len();
    data.persons.extend(members);
    data.households.push(DemoHousehold {
        village,
        number,
        first_person,
        members: n,
        size_recorded: n as u32,
        kind,
        category,
        identified,
        eliminated,
        eliminated_on,
        elimination_method: method,
        risk1,
        risk2,
        income_fen: pc * 100 + cents,
        wage_income: wage_total,
        phone,
        assistance: measures,
        measure_text,
        dibao,
        tekun,
        unsafe_housing,
        safe_water,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_sums_to_total() {
        let v = apportion(101, &[1.0, 2.0, 3.0]);
        assert_eq!(v.iter().sum::<usize>(), 101);
        assert_eq!(apportion(0, &[1.0]), vec![0]);
    }

    #[test]
    fn birth_dates_give_the_age() {
        let as_of = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap_or_default();
        let mut rng = Rng::derive(1, &[]);
        for age in 0..100 {
            let b = birth_for_age(&mut rng, as_of, age);
            assert_eq!(age_on(b, as_of), age, "{b}");
        }
    }
}
