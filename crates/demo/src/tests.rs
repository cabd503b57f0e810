//! Tests of the demo generator: what a user of the demo (and the author of `gonggu check`)
//! would verify.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use super::audit::{self, audit_all};
use super::plant::{RULES, finding_row};
use super::rows::col;
use super::*;
use gonggu_core::model::{Assistance, Health, LaborSkill};

const OFFICIAL_ORDER: [&str; 10] = [
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

fn opts(households: usize, plant: bool, format: DemoFormat) -> DemoOptions {
    DemoOptions {
        households,
        plant_defects: plant,
        format,
        ..DemoOptions::default()
    }
}

fn sheet(bytes: &[u8], name: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx opens");
    wb.worksheet_range(name).expect("sheet exists")
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(v) => super::rows::number_text(*v),
        Data::Int(v) => v.to_string(),
        other => other.to_string(),
    }
}

fn file<'a>(files: &'a [DemoFile], name: &str) -> &'a [u8] {
    &files
        .iter()
        .find(|f| f.name == name)
        .expect("file written")
        .bytes
}

#[test]
fn check_digit_of_a_known_valid_id() {
    assert_eq!(gb11643_check_digit("11010519491231002"), Some('X'));
    assert!(!audit::id_invalid("11010519491231002X"));
    assert!(audit::id_invalid("110105194912310021"));
    assert!(audit::id_invalid("11010519490231002X"));
    assert!(audit::id_invalid("11010519491231002"));
    assert!(audit::id_invalid("999999194912310021"));
}

#[test]
fn same_seed_same_bytes_other_seed_other_data() {
    for format in [DemoFormat::Xlsx, DemoFormat::Csv] {
        let a = write_inputs(&generate(&opts(1500, true, format)), format).expect("a");
        let b = write_inputs(&generate(&opts(1500, true, format)), format).expect("b");
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.name, y.name);
            assert!(x.bytes == y.bytes, "{} differs between two runs", x.name);
        }
    }
    let c = generate(&DemoOptions {
        seed: 7,
        ..opts(1500, true, DemoFormat::Csv)
    });
    let d = generate(&opts(1500, true, DemoFormat::Csv));
    assert_ne!(c.persons, d.persons);
}

#[test]
fn sizes_and_shares_are_plausible() {
    let data = generate(&opts(20_000, false, DemoFormat::Csv));
    let n = data.households.len();
    assert_eq!(n, 20_000);
    let persons = data.persons.len() as f64;
    let mean = persons / n as f64;
    assert!((2.8..=3.3).contains(&mean), "mean household size {mean}");
    let monitored: Vec<&DemoHousehold> = data
        .households
        .iter()
        .filter(|h| h.is_monitored())
        .collect();
    let share = monitored.len() as f64 / n as f64;
    assert!((0.08..=0.12).contains(&share), "monitored share {share}");
    let eliminated = monitored
        .iter()
        .filter(|h| h.eliminated == Some(true))
        .count() as f64
        / monitored.len() as f64;
    assert!(
        (0.33..=0.42).contains(&eliminated),
        "eliminated share {eliminated}"
    );
    let year = data.options.as_of.year();
    let new = monitored
        .iter()
        .filter(|h| h.identified.is_some_and(|m| m.year == year))
        .count();
    assert!(
        new > monitored.len() / 5 && new < monitored.len() / 2,
        "new monitored {new}"
    );
    let tuopin = data
        .households
        .iter()
        .filter(|h| h.kind == HouseholdType::Tuopin)
        .count();
    assert!(tuopin as f64 / n as f64 > 0.8);
    // Labor: employment 55–65%, certificates about 40%.
    let labor: Vec<&DemoPerson> = data
        .persons
        .iter()
        .filter(|p| p.labor.is_labor() && data.households[p.household].is_covered())
        .collect();
    let employed =
        labor.iter().filter(|p| p.work != Work::None).count() as f64 / labor.len() as f64;
    assert!((0.55..=0.65).contains(&employed), "employment {employed}");
    let cert =
        labor.iter().filter(|p| p.certified == Some(true)).count() as f64 / labor.len() as f64;
    assert!((0.35..=0.45).contains(&cert), "certificates {cert}");
    let posts = data
        .persons
        .iter()
        .filter(|p| p.welfare_post != Post::None)
        .count() as f64
        / labor.len() as f64;
    assert!((0.01..=0.06).contains(&posts), "welfare posts {posts}");
    // 脱贫户 income mostly 9000–16000.
    let incomes: Vec<i64> = data
        .households
        .iter()
        .filter(|h| h.kind == HouseholdType::Tuopin && !h.is_monitored())
        .map(|h| h.income_fen / 100)
        .collect();
    let inside = incomes
        .iter()
        .filter(|&&v| (9000..=16000).contains(&v))
        .count() as f64;
    assert!(
        inside / incomes.len() as f64 > 0.7,
        "incomes inside 9000–16000: {inside}"
    );
    // Loans for 15–30% of covered households; projects 30–80 per county.
    let covered = data.households.iter().filter(|h| h.is_covered()).count() as f64;
    let with_balance: HashSet<usize> = data
        .loans
        .iter()
        .filter(|l| l.balance > 0)
        .filter_map(|l| l.household)
        .collect();
    let rate = with_balance.len() as f64 / covered;
    assert!((0.15..=0.30).contains(&rate), "loan rate {rate}");
    for c in 0..10 {
        let n = data.projects.iter().filter(|p| p.county == c).count();
        assert!((30..=80).contains(&n));
    }
    // Targets 90–110% of the employed 脱贫人口.
    for t in &data.targets {
        let r = t.employment_target as f64 / t.tuopin_employed as f64;
        assert!((0.9..=1.1).contains(&r), "target ratio {r}");
    }
}

#[test]
fn regions_counties_in_official_order_towns_repeat() {
    let data = generate(&opts(3000, true, DemoFormat::Csv));
    let names: Vec<&str> = data.counties.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, OFFICIAL_ORDER);
    let mut first_seen = Vec::new();
    for h in 0..data.households.len() {
        let c = data.region_path(h).0;
        if !first_seen.contains(&c) {
            first_seen.push(c);
        }
    }
    assert_eq!(first_seen, OFFICIAL_ORDER, "first appearance in the roster");
    let chengguan: HashSet<usize> = data
        .towns
        .iter()
        .filter(|t| t.name == "城关镇")
        .map(|t| t.county)
        .collect();
    assert!(chengguan.len() >= 3, "城关镇 in several counties");
    for c in 0..10 {
        let towns: Vec<usize> = (0..data.towns.len())
            .filter(|&t| data.towns[t].county == c)
            .collect();
        assert!((5..=12).contains(&towns.len()));
        for t in towns {
            let v = data.villages.iter().filter(|v| v.town == t).count();
            assert!((8..=20).contains(&v));
        }
    }
}

#[test]
fn ids_phones_and_birth_dates_are_valid_and_consistent() {
    let data = generate(&opts(3000, false, DemoFormat::Csv));
    let mut ids = HashSet::new();
    for p in &data.persons {
        let id = p.id_text();
        assert!(!audit::id_invalid(id), "{id}");
        assert!(ids.insert(id.to_string()), "duplicate {id}");
        assert_eq!(&id[6..14], p.birth.format("%Y%m%d").to_string());
        let odd = id.as_bytes()[16] % 2 == 1;
        assert_eq!(odd, p.sex == gonggu_core::model::Sex::Male);
        let code = &data.counties[data.county_of(p.household)].code;
        assert!(id.starts_with(code.as_str()) && code.starts_with("4114"));
    }
    let mut phones = HashSet::new();
    for h in &data.households {
        let s = h.phone.to_string();
        assert!(s.len() == 11 && s.starts_with('1') && (b'3'..=b'9').contains(&s.as_bytes()[1]));
        assert!(phones.insert(h.phone));
    }
}

/// A handful of rules checked directly on the typed data, independently of the audit.
#[test]
fn unplanted_data_respect_the_rules() {
    let data = generate(&opts(6000, false, DemoFormat::Csv));
    let as_of = data.options.as_of;
    for (i, h) in data.households.iter().enumerate() {
        let members = &data.persons[h.person_range()];
        assert_eq!(
            members
                .iter()
                .filter(|p| p.relation == Relation::Head)
                .count(),
            1
        );
        assert_eq!(h.size_recorded as usize, members.len());
        if !h.is_monitored() {
            assert!(
                h.income_fen >= 7500 * 100,
                "household {i} below the line unmonitored"
            );
            assert!(!h.unsafe_housing && h.safe_water);
            continue;
        }
        assert!(h.risk1.is_some(), "monitored without risk");
        assert!(!h.assistance.is_empty(), "monitored without measure");
        let m = |x: Assistance| h.assistance.contains(x);
        for r in [h.risk1, h.risk2].into_iter().flatten() {
            let ok = match r {
                Risk::Illness => m(Assistance::Health) || m(Assistance::Social),
                Risk::Schooling => {
                    m(Assistance::CompulsoryEducation)
                        || m(Assistance::Education)
                        || m(Assistance::Social)
                }
                Risk::Disability => m(Assistance::SocialSecurity) || m(Assistance::Social),
                Risk::Housing => m(Assistance::Housing) || m(Assistance::Relocation),
                Risk::Water => m(Assistance::Water),
                _ => true,
            };
            assert!(ok, "risk {} without its measure", r.label());
        }
        if h.category == Some(MonitorCategory::Unstable) {
            assert_eq!(h.kind, HouseholdType::Tuopin);
        }
        if h.eliminated == Some(true) {
            let gap = h.eliminated_on.expect("date").index() - h.identified.expect("date").index();
            assert!(gap >= 7);
            assert!(h.income_fen >= 7500 * 100);
        }
        if h.dibao != DibaoStatus::None || h.tekun {
            assert!(m(Assistance::SocialSecurity));
        }
    }
    for p in &data.persons {
        let age = p.age_on(as_of);
        if age < 16 || p.school.in_school() {
            assert_eq!(p.labor, LaborSkill::NoLabor);
        }
        if age >= 60 {
            assert!(!matches!(
                p.labor,
                LaborSkill::Ordinary | LaborSkill::Skilled
            ));
        }
        if (16..=59).contains(&age) && p.health == Health::Healthy && !p.school.in_school() {
            assert!(matches!(
                p.labor,
                LaborSkill::Ordinary | LaborSkill::Skilled
            ));
        }
        if p.welfare_post != Post::None {
            assert!((16..=69).contains(&age) && !p.work.outside_county());
        }
        if p.work != Work::None {
            assert!((100..=30_000).contains(&p.monthly_wage));
        }
        assert_eq!(p.basic_medical, Some(true));
    }
    for pr in &data.projects {
        assert!(pr.spent <= pr.funds && pr.spent >= 0);
        if let (Some(s), Some(c)) = (pr.started_on, pr.completed_on) {
            assert!(c >= s);
        }
    }
    for l in &data.loans {
        assert!(l.balance <= l.amount && l.balance >= 0 && l.household.is_some());
        assert!((10_000..=50_000).contains(&l.amount));
    }
    // And the full audit of the written cells finds nothing at all.
    let found = audit_all(&data);
    assert!(
        found.is_empty(),
        "unplanted data trigger rules: {:?}",
        &found[..found.len().min(10)]
    );
}

type Key = (String, String, u64, Option<String>);

fn manifest_keys(data: &DemoData, manifest: &Manifest) -> BTreeMap<Key, usize> {
    let mut out = BTreeMap::new();
    for (code, plan) in &manifest.rules {
        assert_eq!(plan.count, plan.defects.len(), "{code}");
        for d in &plan.defects {
            let table = if d.file.starts_with("监测对象信息") {
                "roster"
            } else if d.file.starts_with("衔接资金") {
                "project"
            } else {
                "loan"
            };
            let column = if plan.scope == "value" {
                d.column.clone()
            } else {
                None
            };
            *out.entry((code.clone(), table.to_string(), d.row, column))
                .or_default() += 1;
        }
    }
    let _ = data;
    out
}

#[test]
fn manifest_lists_exactly_what_the_rules_find() {
    for format in [DemoFormat::Xlsx, DemoFormat::Csv] {
        let data = generate(&opts(4000, true, format));
        let mut found: BTreeMap<Key, usize> = BTreeMap::new();
        for f in audit_all(&data) {
            let (table, row, column) = finding_row(&data, f.at);
            *found
                .entry((f.code.to_string(), table, row, column))
                .or_default() += 1;
        }
        let listed = manifest_keys(&data, &data.manifest);
        assert_eq!(found, listed, "audit findings vs manifest ({format:?})");
        // Every rule planted 2–6 times at this size.
        for (code, plan) in &data.manifest.rules {
            assert!((2..=6).contains(&plan.count), "{code}: {}", plan.count);
            assert!(plan.note.is_none(), "{code}: {:?}", plan.note);
            for d in &plan.defects {
                assert!(!d.description.is_empty());
                match plan.scope.as_str() {
                    "project" => assert!(d.project_id.is_some()),
                    "person" => assert!(d.person_id.is_some() && d.household_id.is_some()),
                    "household" | "loan" => assert!(d.household_id.is_some()),
                    _ => assert!(d.column.is_some() && d.value.is_some()),
                }
            }
        }
    }
}

#[test]
fn manifest_covers_every_rule_and_counts_match() {
    let text = gonggu_core::validate::RULES_TOML;
    let value: toml::Value = toml::from_str(text).expect("rules.toml parses");
    let rules = value.get("rule").and_then(|r| r.as_array()).expect("rules");
    let from_file: BTreeMap<String, String> = rules
        .iter()
        .map(|r| {
            (
                r.get("code")
                    .and_then(|c| c.as_str())
                    .unwrap_or("")
                    .to_string(),
                r.get("scope")
                    .and_then(|c| c.as_str())
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    let ours: BTreeMap<String, String> = RULES
        .iter()
        .map(|(c, s)| (c.to_string(), s.to_string()))
        .collect();
    assert_eq!(
        ours, from_file,
        "plant::RULES must list every rule of rules.toml"
    );

    let data = generate(&opts(2500, true, DemoFormat::Xlsx));
    let m = &data.manifest;
    assert_eq!(m.rules.len(), from_file.len());
    assert_eq!(m.counts.households, data.households.len());
    assert_eq!(m.counts.persons, data.persons.len());
    assert_eq!(m.counts.projects, data.projects.len());
    assert_eq!(m.counts.loans, data.loans.len());
    assert_eq!(
        m.counties.iter().map(|c| c.households).sum::<usize>(),
        m.counts.households
    );
    assert_eq!(
        m.counties.iter().map(|c| c.persons).sum::<usize>(),
        m.counts.persons
    );
    assert_eq!(
        m.counties.iter().map(|c| c.loans).sum::<usize>(),
        m.counts.loans
    );
    let ids: HashSet<String> = (0..data.households.len())
        .map(|h| data.household_id(h))
        .collect();
    assert_eq!(ids.len(), data.households.len(), "户编号 unique");
    // The JSON file is the manifest.
    let files = write_inputs(&data, DemoFormat::Xlsx).expect("written");
    let json: serde_json::Value =
        serde_json::from_slice(file(&files, "manifest.json")).expect("json");
    assert_eq!(json["counts"]["persons"], data.persons.len());
    assert_eq!(json["rules"]["PJ01"]["count"], m.rules["PJ01"].count);
    // Unplanted: every rule present with count 0.
    let clean = generate(&opts(500, false, DemoFormat::Xlsx));
    assert!(clean.manifest.rules.values().all(|r| r.count == 0));
}

#[test]
fn xlsx_reads_back_with_header_on_row_3() {
    let data = generate(&opts(800, true, DemoFormat::Xlsx));
    let files = write_inputs(&data, DemoFormat::Xlsx).expect("written");
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "监测对象信息.xlsx",
            "已外出务工信息.xlsx",
            "计划外出务工信息.xlsx",
            "行政村信息.xlsx",
            "衔接资金项目.xlsx",
            "小额信贷.xlsx",
            "目标.xlsx",
            "manifest.json"
        ]
    );
    assert_eq!(names, data.manifest.files);
    let range = sheet(file(&files, "监测对象信息.xlsx"), "监测对象信息");
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), data.persons.len() + 3);
    assert!(cell_text(&rows[0][0]).starts_with("全国防返贫监测信息系统"));
    assert!(cell_text(&rows[1][0]).contains("数据截至：2021年11月30日"));
    let header: Vec<String> = rows[2].iter().map(cell_text).collect();
    assert_eq!(header, ROSTER_HEADER);
    // Every data cell is what roster_row says, and text (except the planted ID03 numbers).
    let mut numbers = 0;
    for (i, r) in rows[3..].iter().enumerate() {
        let expected = data.roster_row(i);
        for (c, (got, want)) in r.iter().zip(&expected).enumerate() {
            if matches!(got, Data::Float(_)) {
                numbers += 1;
                assert_eq!(c, col::ID);
            }
            assert_eq!(
                cell_text(got),
                want.text(),
                "row {} column {}",
                i + 4,
                ROSTER_HEADER[c]
            );
        }
    }
    assert_eq!(numbers, data.manifest.rules["ID03"].count);

    let projects = sheet(file(&files, "衔接资金项目.xlsx"), "衔接资金项目");
    let prow: Vec<&[Data]> = projects.rows().collect();
    let header: Vec<String> = prow[1].iter().map(cell_text).collect();
    assert_eq!(header, PROJECT_HEADER);
    assert_eq!(prow.len(), data.projects.len() + 2);
    // Some dates are Excel dates, some text.
    let dates: Vec<&Data> = prow[2..].iter().map(|r| &r[9]).collect();
    assert!(dates.iter().any(|d| matches!(d, Data::DateTime(_))));
    assert!(
        dates
            .iter()
            .any(|d| matches!(d, Data::String(s) if s.contains('/')))
    );
    assert!(
        prow[2..].iter().any(|r| matches!(r[3], Data::Empty)),
        "county-level projects"
    );

    let loans = sheet(file(&files, "小额信贷.xlsx"), "小额信贷");
    let lrow: Vec<&[Data]> = loans.rows().collect();
    assert_eq!(
        lrow[1].iter().map(cell_text).collect::<Vec<_>>(),
        LOAN_HEADER
    );
    assert_eq!(lrow.len(), data.loans.len() + 2);

    let targets = sheet(file(&files, "目标.xlsx"), "目标");
    let trow: Vec<&[Data]> = targets.rows().collect();
    assert_eq!(
        trow[0].iter().map(cell_text).collect::<Vec<_>>(),
        TARGET_HEADER
    );
    let counties: Vec<String> = trow[1..].iter().map(|r| cell_text(&r[0])).collect();
    assert_eq!(counties, OFFICIAL_ORDER);
}

#[test]
fn csv_has_bom_header_first_and_matches_rows() {
    let data = generate(&opts(600, true, DemoFormat::Csv));
    let files = write_inputs(&data, DemoFormat::Csv).expect("written");
    let bytes = file(&files, "监测对象信息.csv");
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header, ROSTER_HEADER);
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(records.len(), data.persons.len());
    for (i, rec) in records.iter().enumerate() {
        let want: Vec<String> = data.roster_row(i).iter().map(DemoCell::text).collect();
        let got: Vec<String> = rec.iter().map(String::from).collect();
        assert_eq!(got, want, "line {}", i + 2);
    }
    // The ID03 plant reads like Excel's CSV: 4.11426E+17.
    let id03 = &data.manifest.rules["ID03"].defects;
    for d in id03 {
        let line = (d.row - 2) as usize;
        assert!(records[line][col::ID].contains("E+17"));
    }
    // The roster rows of the manifest are CSV lines; for XLSX they are 2 further down.
    let xlsx = data.manifest_for(DemoFormat::Xlsx);
    let a = &data.manifest.rules["MN05"].defects[0];
    let b = &xlsx.rules["MN05"].defects[0];
    assert_eq!(a.row + 2, b.row);
}

#[test]
fn plants_are_in_the_written_cells() {
    let data = generate(&opts(4000, true, DemoFormat::Xlsx));
    let m = &data.manifest;
    let row_of = |r: u64| (r - 4) as usize;
    // VL01 of 人均纯收入 is a single cell of a one-person household.
    let income = m.rules["VL01"]
        .defects
        .iter()
        .find(|d| d.column.as_deref() == Some("人均纯收入（元）"))
        .expect("income plant");
    let p = row_of(income.row);
    assert_eq!(data.roster_row(p)[col::INCOME].text(), "12.5万");
    assert_eq!(data.households[data.persons[p].household].members, 1);
    // ID02: the later row repeats the earlier one's number.
    for d in &m.rules["ID02"].defects {
        let later = data.roster_row(row_of(d.row))[col::ID].text();
        let earlier = data.roster_row(row_of(d.related_rows[0]))[col::ID].text();
        assert_eq!(later, earlier);
        assert!(d.related_rows[0] < d.row);
    }
    // 户主 written second somewhere (the reader must not rely on order).
    let second = data
        .households
        .iter()
        .any(|h| h.members >= 2 && data.persons[h.first_person + 1].relation == Relation::Head);
    assert!(second);
    // LN02 loans name households that do not exist.
    let known: HashSet<String> = (0..data.households.len())
        .map(|h| data.household_id(h))
        .collect();
    for d in &m.rules["LN02"].defects {
        assert!(!known.contains(d.household_id.as_deref().unwrap_or("")));
    }
}

#[test]
fn county_rankings_differ() {
    let data = generate(&opts(20_000, true, DemoFormat::Csv));
    let mut loan_rate = HashMap::new();
    for c in 0..10 {
        let covered: HashSet<usize> = (0..data.households.len())
            .filter(|&h| data.county_of(h) == c && data.households[h].is_covered())
            .collect();
        let with: HashSet<usize> = data
            .loans
            .iter()
            .filter(|l| l.balance > 0)
            .filter_map(|l| l.household)
            .filter(|h| covered.contains(h))
            .collect();
        loan_rate.insert(c, (with.len() * 10_000 / covered.len().max(1)) as i64);
        let planned: Vec<&DemoProject> = data
            .projects
            .iter()
            .filter(|p| p.county == c && p.planned && p.year == 2021)
            .collect();
        let started = planned.iter().filter(|p| p.started_on.is_some()).count();
        let rate = started as f64 / planned.len() as f64;
        assert!(rate >= 0.95, "start rate {rate}");
        let funds: i64 = planned.iter().map(|p| p.funds).sum();
        let spent: i64 = planned.iter().map(|p| p.spent).sum();
        let progress = spent as f64 / funds as f64;
        assert!((0.35..=0.95).contains(&progress), "spend {progress}");
        let industry: i64 = planned
            .iter()
            .filter(|p| p.kind == gonggu_core::model::ProjectType::Industry)
            .map(|p| p.funds)
            .sum();
        let share = industry as f64 / funds as f64;
        assert!((0.45..=0.70).contains(&share), "industry share {share}");
    }
    let distinct: HashSet<i64> = loan_rate.values().copied().collect();
    assert!(
        distinct.len() >= 8,
        "county loan rates differ: {loan_rate:?}"
    );
    let full: usize = (0..10)
        .filter(|&c| {
            data.projects
                .iter()
                .filter(|p| p.county == c && p.planned && p.year == 2021)
                .all(|p| p.started_on.is_some())
        })
        .count();
    assert!(full >= 5, "several counties at 100% start rate");
}

/// Timing: `GONGGU_DEMO_HOUSEHOLDS=2000000 cargo test -p gonggu-core --lib demo::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore = "timing, run by hand"]
fn timing() {
    let households: usize = std::env::var("GONGGU_DEMO_HOUSEHOLDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let format = if households > 300_000 {
        DemoFormat::Csv
    } else {
        DemoFormat::Xlsx
    };
    let t = std::time::Instant::now();
    let data = generate(&opts(households, true, format));
    let g = t.elapsed();
    let t = std::time::Instant::now();
    let files = write_inputs(&data, format).expect("written");
    let w = t.elapsed();
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    println!(
        "{households} households, {} persons, {format:?}: generate {:.2}s, write_inputs {:.2}s, {} MB",
        data.persons.len(),
        g.as_secs_f64(),
        w.as_secs_f64(),
        bytes / 1_000_000
    );
}

/// Per-county figures, for tuning: `cargo test -p gonggu-core --lib demo::tests::stats -- --ignored --nocapture`.
#[test]
#[ignore = "prints figures"]
fn stats() {
    let data = generate(&opts(20_000, true, DemoFormat::Csv));
    println!("county  hh  mon%  elim%  new%  emp%  cert%  post%  loan%  spend%  ind%  start%  inc");
    for c in 0..10 {
        let hs: Vec<usize> = (0..data.households.len())
            .filter(|&h| data.county_of(h) == c)
            .collect();
        let mon: Vec<usize> = hs
            .iter()
            .copied()
            .filter(|&h| data.households[h].is_monitored())
            .collect();
        let elim = mon
            .iter()
            .filter(|&&h| data.households[h].eliminated == Some(true))
            .count();
        let new = mon
            .iter()
            .filter(|&&h| {
                data.households[h]
                    .identified
                    .is_some_and(|m| m.year == 2021)
            })
            .count();
        let covered: HashSet<usize> = hs
            .iter()
            .copied()
            .filter(|&h| data.households[h].is_covered())
            .collect();
        let labor: Vec<&DemoPerson> = data
            .persons
            .iter()
            .filter(|p| covered.contains(&p.household) && p.labor.is_labor())
            .collect();
        let emp = labor.iter().filter(|p| p.work != Work::None).count();
        let cert = labor.iter().filter(|p| p.certified == Some(true)).count();
        let post = labor
            .iter()
            .filter(|p| p.welfare_post != Post::None)
            .count();
        let with: HashSet<usize> = data
            .loans
            .iter()
            .filter(|l| l.balance > 0)
            .filter_map(|l| l.household)
            .filter(|h| covered.contains(h))
            .collect();
        let planned: Vec<&DemoProject> = data
            .projects
            .iter()
            .filter(|p| p.county == c && p.planned && p.year == 2021)
            .collect();
        let funds: i64 = planned.iter().map(|p| p.funds).sum();
        let spent: i64 = planned.iter().map(|p| p.spent).sum();
        let ind: i64 = planned
            .iter()
            .filter(|p| p.kind == gonggu_core::model::ProjectType::Industry)
            .map(|p| p.funds)
            .sum();
        let started = planned.iter().filter(|p| p.started_on.is_some()).count();
        let tp: Vec<usize> = hs
            .iter()
            .copied()
            .filter(|&h| data.households[h].is_tuopin())
            .collect();
        let (mut n, mut s) = (0i64, 0i64);
        for &h in &tp {
            let m = data.households[h].members as i64;
            n += m;
            s += m * data.households[h].income_fen / 100;
        }
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        println!(
            "{} {} {:.1} {:.1} {:.1} {:.1} {:.1} {:.1} {:.2} {:.1} {:.1} {:.1} {}",
            data.counties[c].name,
            hs.len(),
            pct(mon.len(), hs.len()),
            pct(elim, mon.len()),
            pct(new, mon.len()),
            pct(emp, labor.len()),
            pct(cert, labor.len()),
            pct(post, labor.len()),
            pct(with.len(), covered.len()),
            100.0 * spent as f64 / funds as f64,
            100.0 * ind as f64 / funds as f64,
            pct(started, planned.len()),
            s / n.max(1)
        );
    }
    let sizes: Vec<usize> = (1..=8)
        .map(|k| data.households.iter().filter(|h| h.members == k).count())
        .collect();
    println!(
        "sizes {sizes:?} mean {:.2}",
        data.persons.len() as f64 / data.households.len() as f64
    );
    let risks: BTreeMap<&str, usize> =
        data.households
            .iter()
            .filter_map(|h| h.risk1)
            .fold(BTreeMap::new(), |mut m, r| {
                *m.entry(r.label()).or_default() += 1;
                m
            });
    println!("risk1 {risks:?}");
    let cats: BTreeMap<String, usize> =
        data.households
            .iter()
            .filter_map(|h| h.category)
            .fold(BTreeMap::new(), |mut m, r| {
                *m.entry(format!("{r:?}")).or_default() += 1;
                m
            });
    println!("categories {cats:?}");
}

/// Writes the demo files to `GONGGU_DEMO_OUT` for inspection.
#[test]
#[ignore = "writes files"]
fn dump() {
    let Ok(dir) = std::env::var("GONGGU_DEMO_OUT") else {
        return;
    };
    let households = std::env::var("GONGGU_DEMO_HOUSEHOLDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    for format in [DemoFormat::Xlsx, DemoFormat::Csv] {
        let data = generate(&opts(households, true, format));
        for f in write_inputs(&data, format).expect("written") {
            std::fs::write(std::path::Path::new(&dir).join(&f.name), &f.bytes).expect("write");
        }
    }
}

#[test]
#[ignore = "timing, run by hand"]
fn timing_parts() {
    let households: usize = std::env::var("GONGGU_DEMO_HOUSEHOLDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let data = generate(&opts(households, true, DemoFormat::Csv));
    let t = std::time::Instant::now();
    write_roster_csv(&data, std::io::sink()).expect("csv");
    println!("csv to sink {:.2}s", t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    let n: usize = (0..data.households.len())
        .map(|h| super::rows::household_rows(&data, h).len())
        .sum();
    println!("render only {:.2}s ({n})", t.elapsed().as_secs_f64());
}

#[test]
fn tiny_and_empty_datasets_do_not_fail() {
    for n in [0, 1, 5, 60] {
        let data = generate(&opts(n, true, DemoFormat::Xlsx));
        assert_eq!(data.households.len(), n);
        let files = write_inputs(&data, DemoFormat::Xlsx).expect("written");
        assert_eq!(files.len(), 8);
        let manifest = &data.manifest;
        // Whatever could be planted is listed; shortfalls are explained.
        for plan in manifest.rules.values() {
            assert_eq!(plan.count, plan.defects.len());
        }
        if n == 0 {
            assert!(manifest.rules["HH01"].note.is_some());
        }
        let found = audit_all(&data).len();
        let listed: usize = manifest.rules.values().map(|r| r.count).sum();
        assert_eq!(found, listed, "{n} households");
    }
}

#[test]
fn roster_sheets_split_between_households() {
    let data = generate(&opts(200, false, DemoFormat::Xlsx));
    let sheets = super::write::roster_sheets(&data, 50);
    assert!(sheets.len() > 1);
    assert_eq!(sheets.first().map(|r| r.start), Some(0));
    assert_eq!(sheets.last().map(|r| r.end), Some(data.persons.len()));
    for w in sheets.windows(2) {
        assert_eq!(w[0].end, w[1].start);
        assert!(w[0].len() <= 50);
        // A sheet starts at a household's first row.
        assert!(data.households.iter().any(|h| h.first_person == w[1].start));
    }
}

#[test]
#[ignore = "timing, run by hand"]
fn timing_generate_parts() {
    let households: usize = std::env::var("GONGGU_DEMO_HOUSEHOLDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let o = opts(households, true, DemoFormat::Csv);
    let t = std::time::Instant::now();
    let mut data = super::people::generate_people(&o);
    println!("people {:.2}s", t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    super::ledgers::generate_ledgers(&mut data);
    println!("ledgers {:.2}s", t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    let planted = super::plant::plant_all(&mut data);
    println!("plant {:.2}s", t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    super::ledgers::generate_targets(&mut data);
    let _ = super::plant::build_manifest(&data, &planted, DemoFormat::Csv);
    println!("targets+manifest {:.2}s", t.elapsed().as_secs_f64());
}
