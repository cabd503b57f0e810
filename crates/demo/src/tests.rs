//! Tests of the demo generator: what a user of the demo (and the author of `gonggu check`)
//! would verify.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use super::audit::{self, audit_all};
use super::plant::finding_row;
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
        // The audit reads the first 45 rules only.
        if !super::audit::RULES.contains(&code.as_str()) {
            continue;
        }
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
            if plan.note.as_deref() == Some(super::plant::NOT_PLANTED) {
                assert_eq!(plan.count, 0, "{code}");
                continue;
            }
            assert!((2..=6).contains(&plan.count), "{code}: {}", plan.count);
            assert!(plan.note.is_none(), "{code}: {:?}", plan.note);
            for d in &plan.defects {
                assert!(!d.description.is_empty());
                match plan.scope.as_str() {
                    "project" => assert!(d.project_id.is_some()),
                    "person" => assert!(d.person_id.is_some() && d.household_id.is_some()),
                    "household" | "loan" | "spell" => assert!(d.household_id.is_some()),
                    "village" => assert!(d.file.starts_with("行政村信息")),
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
        // The audit reads the first 45 rules only.
        let listed: usize = manifest
            .rules
            .iter()
            .filter(|(code, _)| super::audit::RULES.contains(&code.as_str()))
            .map(|(_, r)| r.count)
            .sum();
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

// ---------------------------------------------------------------------------------------
// The national system's dialect (EXPORTS.md, issue 14). The lists below are copied from
// EXPORTS.md by hand, not taken from the generator: a header or value the generator changes
// makes these tests fail.

/// EXPORTS.md §1.1: the columns whose letter is known.
const KNOWN_LETTERS: [(&str, &str); 11] = [
    ("E", "户编号"),
    ("M", "监测对象类别"),
    ("AO", "在校生状况"),
    ("AP", "劳动技能"),
    ("AV", "享受低保政策情况"),
    ("BI", "享受特困供养政策情况"),
    ("CH", "整户无劳动能力兜底保障户"),
    ("DE", "风险是否已消除"),
    ("DF", "识别监测时间"),
    ("ET", "健康帮扶"),
    ("EZ", "教育帮扶"),
];

/// EXPORTS.md §1.1: FI–FU, in order.
const FI_FU: [&str; 13] = [
    "风险消除后是否义务教育阶段适龄儿童少年失学辍学",
    "风险消除后是否住房损毁",
    "风险消除后是否有家庭成员未参加城乡居民（职工）基本医疗保险",
    "风险消除后是否饮水设施损毁",
    "风险消除后工资性收入",
    "风险消除后财产性收入",
    "风险消除后转移性收入",
    "风险消除后生产经营性收入",
    "风险消除后生产经营性支出",
    "风险消除后家庭纯收入",
    "风险消除后家庭人均纯收入",
    "风险消除后理赔收入",
    "风险消除后合规自付支出",
];

/// EXPORTS.md §1.1: the person-level columns.
const PERSON_LEVEL: [&str; 24] = [
    "证件号码",
    "证件类型",
    "性别",
    "出生日期",
    "与户主关系",
    "民族",
    "文化程度",
    "在校生状况",
    "劳动技能",
    "健康状况",
    "义务教育阶段未上学原因",
    "务工所在地",
    "就业渠道（易地搬迁后扶使用）",
    "公益性岗位",
    "公益性岗位(月数)",
    "家庭成员联系电话",
    "享受低保政策情况",
    "享受特困供养政策情况",
    "是否参加城乡居民基本医疗保险",
    "是否参加城镇职工基本医疗保险",
    "是否参加大病保险",
    "是否参加城乡居民基本养老保险",
    "是否参加城镇职工基本养老保险",
    "是否接受医疗救助",
];

/// EXPORTS.md §1.1: the household-level columns (致贫/返贫风险1…5 spelt out), without the
/// measures.
const HOUSEHOLD_LEVEL: [&str; 40] = [
    "县",
    "乡",
    "村",
    "户编号",
    "户类型",
    "监测对象类别",
    "户联系电话",
    "人均纯收入（元）",
    "工资性收入",
    "生产经营性收入",
    "转移性收入",
    "合规自付支出",
    "特困人员救助供养金",
    "耕地面积（亩）",
    "林地面积（亩）",
    "退耕还林面积（亩）",
    "林果面积（亩）",
    "牧草地面积",
    "水面面积",
    "与村主干路距离",
    "入户道路是否硬化",
    "住房面积",
    "是否危房户",
    "是否解决安全饮用水",
    "是否通生活用电",
    "是否有卫生厕所",
    "是否义务教育阶段适龄儿童少年失学辍学",
    "是否有家庭成员未参加城乡居民（职工）基本医疗保险",
    "致贫/返贫风险1",
    "致贫/返贫风险2",
    "致贫/返贫风险3",
    "致贫/返贫风险4",
    "致贫/返贫风险5",
    "风险是否已消除",
    "识别监测时间",
    "消除监测时间",
    "风险消除方式",
    "整户无劳动能力兜底保障户",
    "信息采集人",
    "信息采集人联系电话",
];

/// EXPORTS.md §1.1: the measure columns (公益岗位帮扶 / 公益性岗位帮扶: either, once).
const MEASURE_COLUMNS: [&str; 15] = [
    "产业帮扶",
    "就业帮扶",
    "公益性岗位帮扶其他备注",
    "健康帮扶",
    "教育帮扶",
    "住房安全保障",
    "饮水安全保障",
    "综合保障",
    "义务教育保障",
    "社会帮扶",
    "金融帮扶",
    "搬迁",
    "生产生活条件改善",
    "基础设施建设",
    "实施开发式帮扶措施情况",
];

/// EXPORTS.md §1.1: what S4 adds.
const S4_COLUMNS: [&str; 5] = [
    "姓名",
    "务工企业名称",
    "务工时间（月）",
    "财产性收入",
    "是否兜底保障户",
];

/// Columns other exports of the system have (EXPORTS.md §4's lists and §1.2): what may fill
/// the positions whose column is unknown.
const OTHER_EXPORT_COLUMNS: [&str; 40] = [
    "序号",
    "省",
    "市",
    "自然村",
    "人编号",
    "人口编号",
    "人数",
    "首次识别时间",
    "人员识别时间",
    "数据日期",
    "年度",
    "成员联系电话",
    "人联系电话",
    "政治面貌",
    "是否享受低保",
    "是否参加新型农村合作医疗（城乡居民基本医疗保险）",
    "失学或辍学原因",
    "是否会讲普通话",
    "是否参加商业补充医疗保险",
    "是否国外务工",
    "产业分类",
    "是否接受大病医疗救助",
    "是否接受其他健康扶贫",
    "公益性岗位类型",
    "就业渠道",
    "残疾类别",
    "户主姓名",
    "户主证件号码",
    "是否特困供养人员",
    "残疾证办证年度",
    "识别标准",
    "致贫原因1",
    "危房户",
    "人均纯收入",
    "风险识别时间",
    "风险消除时间",
    "易返贫致贫户(监测对象)类型",
    "风险是否消除",
    "卫生厕所是否能正常使用",
    "是否参加城镇职工基本养老保险",
];

/// What gonggu needs that §1.1 lacks, after FU.
const AFTER_FU: [&str; 3] = ["人数", "是否持证", "务工月收入"];

/// Column index (0-based) of a spreadsheet column letter (`A` → 0, `FU` → 176).
fn letter_index(letters: &str) -> usize {
    letters
        .bytes()
        .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1))
        - 1
}

/// Everything wrong with a roster header against EXPORTS.md §1.1 (empty when right).
fn roster_header_problems(header: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let at = |i: usize| header.get(i).map_or("", String::as_str);
    for (letter, name) in KNOWN_LETTERS {
        if at(letter_index(letter)) != name {
            problems.push(format!(
                "{letter} should be {name}, is {}",
                at(letter_index(letter))
            ));
        }
    }
    for (k, name) in FI_FU.iter().enumerate() {
        let i = letter_index("FI") + k;
        if at(i) != *name {
            problems.push(format!("column {} should be {name}, is {}", i + 1, at(i)));
        }
    }
    let count = |name: &str| header.iter().filter(|h| h.as_str() == name).count();
    let mut required: Vec<&str> = PERSON_LEVEL.to_vec();
    required.extend(HOUSEHOLD_LEVEL);
    required.extend(MEASURE_COLUMNS);
    required.extend(S4_COLUMNS);
    required.extend(FI_FU);
    for name in &required {
        if count(name) != 1 {
            problems.push(format!("{name} written {} times", count(name)));
        }
    }
    if count("公益岗位帮扶") + count("公益性岗位帮扶") != 1 {
        problems.push("公益岗位帮扶 / 公益性岗位帮扶 not exactly once".into());
    }
    let fu = letter_index("FU");
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            if i > fu {
                problems.push(format!("blank header after FU at {}", i + 1));
            }
            continue;
        }
        if count(h) != 1 {
            problems.push(format!("{h} written {} times", count(h)));
        }
        let known = required.contains(&h.as_str()) || h == "公益岗位帮扶" || h == "公益性岗位帮扶";
        if i > fu {
            if !AFTER_FU.contains(&h.as_str()) {
                problems.push(format!("{h} after FU is not a column gonggu needs"));
            }
        } else if !known && !OTHER_EXPORT_COLUMNS.contains(&h.as_str()) {
            problems.push(format!(
                "{h} (column {}) is no column of the system's exports",
                i + 1
            ));
        }
    }
    if header.len() != fu + 1 + AFTER_FU.len() {
        problems.push(format!("{} columns", header.len()));
    }
    problems
}

#[test]
fn the_header_test_can_fail() {
    let good: Vec<String> = ROSTER_HEADER.iter().map(|s| s.to_string()).collect();
    assert!(roster_header_problems(&good).is_empty());
    let mut moved = good.clone();
    moved.swap(letter_index("AO"), letter_index("AP"));
    assert_eq!(roster_header_problems(&moved).len(), 2, "AO/AP swapped");
    let mut invented = good.clone();
    invented[letter_index("Z")] = "家庭年收入".into();
    assert_eq!(
        roster_header_problems(&invented).len(),
        1,
        "invented column"
    );
    let mut twice = good;
    twice[letter_index("Z")] = "户编号".into();
    assert!(!roster_header_problems(&twice).is_empty(), "户编号 twice");
}

/// EXPORTS.md §2, the vocabularies as written.
fn vocabulary(column: &str) -> Option<Vec<&'static str>> {
    let risks = vec![
        "",
        "因病",
        "因残",
        "因学",
        "因安全住房",
        "因安全饮水",
        "缺劳动力",
        "因务工就业不稳",
        "务工就业不稳",
        "因自然灾害",
    ];
    Some(match column {
        "户类型" => vec!["脱贫户", "普通农户"],
        "监测对象类别" => vec!["", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"],
        "与户主关系" => vec![
            "户主",
            "配偶",
            "之子",
            "之女",
            "之儿媳",
            "之女婿",
            "之孙子",
            "之孙女",
            "之外孙子",
            "之外孙女",
            "之父",
            "之母",
            "之岳父",
            "之岳母",
            "之公公",
            "之婆婆",
            "之祖父",
            "之祖母",
            "之外祖父",
            "之外祖母",
            "之兄弟姐妹",
            "之曾孙子",
            "之曾孙女",
            "之侄儿",
            "之侄女",
            "之兄弟媳妇",
            "之叔伯",
            "其他",
        ],
        "劳动技能" => vec![
            "普通劳动力",
            "技能劳动力",
            "弱劳动力或半劳动力",
            "丧失劳动力",
            "无劳动力",
        ],
        "在校生状况" => vec![
            "",
            "学龄前儿童",
            "学前教育",
            "小学",
            "七年级",
            "八年级",
            "九年级",
            "普通高中一年级",
            "普通高中二年级",
            "普通高中三年级",
            "中职一年级",
            "中职二年级",
            "中职三年级",
            "高职高专一年级",
            "高职高专二年级",
            "高职高专三年级",
            "技师学院一年级",
            "技师学院二年级",
            "技师学院三年级",
            "技师学院四年级",
            "本科一年级",
            "本科二年级",
            "本科三年级",
            "本科四年级",
            "本科五年级",
            "硕士研究生及以上",
        ],
        "文化程度" => vec![
            "",
            "文盲或半文盲",
            "小学",
            "初中",
            "高中",
            "大专",
            "本科及以上",
        ],
        "健康状况" => vec!["健康", "残疾", "长期慢性病"],
        "性别" => vec!["1", "2"],
        "享受低保政策情况" => vec!["城市低保", "农村低保", "未享受", ""],
        "享受特困供养政策情况" => vec!["城市特困", "农村特困", "不享受", ""],
        "风险是否已消除" => vec!["是", "否", ""],
        "风险消除方式" => vec!["", "帮扶消除", "自然消除"],
        "政治面貌" => vec!["中共党员", "中共预备党员", "共青团员", "群众"],
        "实施开发式帮扶措施情况" => vec!["", "是", "尚未实施"],
        c if c.starts_with("致贫/返贫风险") => risks,
        c if c.starts_with("是否")
            || c.starts_with("风险消除后是否")
            || c.ends_with("是否硬化")
            || c.ends_with("是否能正常使用")
            || c == "整户无劳动能力兜底保障户" =>
        {
            vec!["是", "否", ""]
        }
        _ => return None,
    })
}

/// Every cell of the roster's vocabulary columns outside its EXPORTS.md §2 list, except the
/// cells planted for a rule that needs an invalid value (HH03 户类型, MN01 监测对象类别,
/// HH01 a blank 与户主关系), and formats: months `YYYYMM`, 出生日期 `YYYYMMDD`, 文化程度
/// blank while 在校生状况 is filled.
fn vocabulary_problems(
    header: &[String],
    rows: &[Vec<String>],
    manifest: &Manifest,
) -> Vec<String> {
    let planted = |rule: &str| -> HashSet<String> {
        manifest.rules[rule]
            .defects
            .iter()
            .filter_map(|d| d.household_id.clone())
            .collect()
    };
    let exempt: HashMap<&str, (HashSet<String>, Option<&str>)> = [
        ("户类型", (planted("HH03"), None)),
        ("监测对象类别", (planted("MN01"), None)),
        ("与户主关系", (planted("HH01"), Some(""))),
    ]
    .into_iter()
    .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (hid, school, education) = (col("户编号"), col("在校生状况"), col("文化程度"));
    // The defects planted for the rules after the first 45 are values out of the system's
    // vocabulary or combinations the system would refuse: their households are not checked.
    let new_rules = new_rule_households(manifest);
    let rows: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| !new_rules.contains(&r[hid]))
        .collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (c, name) in header.iter().enumerate() {
        let Some(list) = vocabulary(name) else {
            continue;
        };
        checked += 1;
        for (r, row) in rows.iter().enumerate() {
            let v = row[c].as_str();
            if list.contains(&v) {
                continue;
            }
            let allowed = exempt
                .get(name.as_str())
                .is_some_and(|(hs, only)| hs.contains(&row[hid]) && only.is_none_or(|o| o == v));
            if !allowed {
                problems.push(format!("row {r}: {name} = {v:?}"));
            }
        }
    }
    assert!(checked >= 40, "vocabulary columns checked: {checked}");
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    for (r, row) in rows.iter().enumerate() {
        for m in [
            "识别监测时间",
            "消除监测时间",
            "首次识别时间",
            "人员识别时间",
        ] {
            let v = &row[col(m)];
            if !v.is_empty() && !digits(v, 6) {
                problems.push(format!("row {r}: {m} = {v}"));
            }
        }
        if !digits(&row[col("出生日期")], 8) {
            problems.push(format!("row {r}: 出生日期 = {}", row[col("出生日期")]));
        }
        if !row[school].is_empty() && !row[education].is_empty() {
            problems.push(format!(
                "row {r}: 文化程度 beside 在校生状况 {}",
                row[school]
            ));
        }
    }
    problems
}

/// The households where defects of the rules after the first 45 (those the audit does not
/// read) are planted.
fn new_rule_households(manifest: &Manifest) -> HashSet<String> {
    manifest
        .rules
        .iter()
        .filter(|(code, _)| !super::audit::RULES.contains(&code.as_str()))
        .flat_map(|(_, plan)| plan.defects.iter().filter_map(|d| d.household_id.clone()))
        .collect()
}

/// The header and rows of a written CSV file (BOM stripped).
fn csv_table(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The header (row 3) and data rows of a written XLSX export, checking the title rows and
/// that every cell is text.
fn xlsx_table(bytes: &[u8], sheet_name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let range = sheet(bytes, sheet_name);
    let rows: Vec<&[Data]> = range.rows().collect();
    assert!(cell_text(&rows[0][0]).starts_with("全国防返贫监测信息系统"));
    assert!(cell_text(&rows[1][0]).contains("数据截至"));
    let width = rows[2].len();
    let header = rows[2].iter().map(cell_text).collect();
    let data = rows[3..]
        .iter()
        .map(|r| {
            (0..width)
                .map(|c| match r.get(c) {
                    Some(Data::String(s)) => s.clone(),
                    None | Some(Data::Empty) => String::new(),
                    Some(other) => panic!("{sheet_name}: a cell that is not text: {other:?}"),
                })
                .collect()
        })
        .collect();
    (header, data)
}

#[test]
fn roster_speaks_the_systems_dialect() {
    let data = generate(&opts(3000, true, DemoFormat::Csv));
    let files = write_inputs(&data, DemoFormat::Csv).expect("written");
    let (header, rows) = csv_table(file(&files, "监测对象信息.csv"));
    let problems = roster_header_problems(&header);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(rows.len(), data.persons.len());
    let problems = vocabulary_problems(&header, &rows, &data.manifest);
    assert!(
        problems.is_empty(),
        "{:#?}",
        &problems[..problems.len().min(20)]
    );
    // The planted exceptions are there (so the exemptions above are not idle).
    let kinds: HashSet<&str> = rows.iter().map(|r| r[col::KIND].as_str()).collect();
    assert!(
        kinds.contains("低收入户") || kinds.contains("其他户"),
        "{kinds:?}"
    );

    // The same through the XLSX, where the header is on row 3 and every cell is text (but
    // the planted ID03 numbers, which the roster test above checks).
    let data = generate(&opts(800, true, DemoFormat::Xlsx));
    let files = write_inputs(&data, DemoFormat::Xlsx).expect("written");
    let range = sheet(file(&files, "监测对象信息.xlsx"), "监测对象信息");
    let header: Vec<String> = range.rows().nth(2).unwrap().iter().map(cell_text).collect();
    let problems = roster_header_problems(&header);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// What each household's columns say agrees with its members and its other columns.
#[test]
fn roster_columns_agree_with_each_other() {
    let data = generate(&opts(3000, true, DemoFormat::Csv));
    let files = write_inputs(&data, DemoFormat::Csv).expect("written");
    let (header, rows) = csv_table(file(&files, "监测对象信息.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let fen = |s: &str| -> Option<i64> {
        let v: f64 = s.parse().ok()?;
        Some((v * 100.0).round() as i64)
    };
    let phone =
        |s: &str| s.len() == 11 && s.starts_with('1') && s.bytes().all(|b| b.is_ascii_digit());
    let mut by_household: BTreeMap<&str, Vec<&Vec<String>>> = BTreeMap::new();
    for r in &rows {
        by_household
            .entry(r[col("户编号")].as_str())
            .or_default()
            .push(r);
    }
    let (mut eliminated, mut no_labor, mut identities) = (0, 0, 0);
    // The households planted for the rules after the first 45 break these agreements on
    // purpose.
    let new_rules = new_rule_households(&data.manifest);
    for (id, members) in &by_household {
        if new_rules.contains(*id) {
            continue;
        }
        let first = members[0];
        // 家庭纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性 − 合规自付支出.
        let parts: Option<Vec<i64>> = [
            "人均纯收入（元）",
            "工资性收入",
            "生产经营性收入",
            "财产性收入",
            "转移性收入",
            "合规自付支出",
        ]
        .iter()
        .map(|c| fen(&first[col(c)]))
        .collect();
        if let Some([pc, wage, prod, prop, transfer, pay]) = parts.as_deref() {
            identities += 1;
            assert_eq!(
                pc * members.len() as i64,
                wage + prod + prop + transfer - pay,
                "{}",
                first[col("户编号")]
            );
            assert!([*prod, *prop, *transfer, *pay].iter().all(|v| *v >= 0));
        }
        // FI–FU filled exactly for eliminated households, adding up the same way.
        let after: Vec<&str> = FI_FU.iter().map(|c| first[col(c)].as_str()).collect();
        if first[col("风险是否已消除")] == "是" {
            eliminated += 1;
            assert!(after.iter().all(|v| !v.is_empty()), "{after:?}");
            let f = |i: usize| fen(after[i]).unwrap();
            assert_eq!(f(9), f(4) + f(5) + f(6) + f(7) - f(8) + f(11) - f(12));
            assert_eq!(f(10), fen(&first[col("人均纯收入（元）")]).unwrap());
        } else {
            assert!(after.iter().all(|v| v.is_empty()), "{after:?}");
        }
        // 整户无劳动能力兜底保障户 only when nobody has labour.
        if first[col("整户无劳动能力兜底保障户")] == "是" {
            no_labor += 1;
            assert!(
                members
                    .iter()
                    .all(|m| matches!(m[col("劳动技能")].as_str(), "丧失劳动力" | "无劳动力"))
            );
            assert_eq!(first[col("是否兜底保障户")], "是");
        }
        // 特困人员救助供养金 only with 特困供养 in 综合保障 (a check of the fuping rules).
        if fen(&first[col("特困人员救助供养金")]).unwrap_or(0) > 0 {
            assert_eq!(first[col("综合保障")], "特困供养");
        }
        // 户主姓名 and 户主证件号码 are the 户主 row's.
        if let Some(head) = members.iter().find(|m| m[col("与户主关系")] == "户主") {
            assert_eq!(first[col("户主姓名")], head[col("姓名")]);
        }
        assert!(phone(&first[col("信息采集人联系电话")]));
        assert!(!first[col("信息采集人")].is_empty());
        for m in members {
            let p = &m[col("家庭成员联系电话")];
            assert!(p.is_empty() || phone(p), "{p}");
            assert!(fen(&m[col("耕地面积（亩）")]).is_some());
        }
    }
    assert!(eliminated > 50 && no_labor > 5 && identities > 2500);
}

/// Every county-level name the spells write is placed by gonggu's own classifier as meant,
/// with the demo's `[region_codes]` (示范区), exactly as `read_options()` gives them.
#[test]
fn spell_counties_are_placed_as_meant() {
    use gonggu_core::division::{Classifier, Places};
    use gonggu_core::model::WorkPlace as W;
    let codes = REGION_CODES
        .iter()
        .map(|(n, c)| (n.to_string(), c.to_string()))
        .collect();
    let mut classifier = Classifier::new(Places::new(Some("商丘市"), None, &codes).unwrap());
    let mut class = |county: &str, text: &str| {
        classifier
            .classify(county, text)
            .map_or(W::NotWorking, |e| classifier.entries()[e as usize].place)
    };
    for home in OFFICIAL_ORDER {
        assert_eq!(class(home, home), W::InCounty, "{home}");
        for other in OFFICIAL_ORDER.iter().filter(|o| **o != home) {
            assert_eq!(class(home, other), W::InProvince, "{home} {other}");
        }
        for c in PROVINCE_COUNTIES.iter().chain(&HENAN_COUNTIES) {
            assert_eq!(class(home, c), W::InProvince, "{home} {c}");
        }
        for c in OUT_COUNTIES.iter().chain(&ELSEWHERE_COUNTIES) {
            assert_eq!(class(home, c), W::OutProvince, "{home} {c}");
        }
        for c in UNPLACED_COUNTIES {
            assert_eq!(class(home, c), W::Unknown, "{home} {c}");
        }
    }
    // And every spell written: its 务工所在县 against its 县 is the destination meant.
    let data = generate(&opts(3000, true, DemoFormat::Csv));
    let mut spells = 0;
    for p in &data.persons {
        let meant = work::person_spells(&data, p);
        let written = work::spell_rows(&data, p);
        assert_eq!(meant.len(), written.len());
        for (k, (s, row)) in meant.iter().zip(&written).enumerate() {
            // The rows planted for WK05–WK11 are written otherwise on purpose.
            let key = (p.household, p.member, k);
            let planted = data
                .spell_overrides
                .range((key.0, key.1, key.2, 0)..=(key.0, key.1, key.2, usize::MAX))
                .next()
                .is_some();
            if s.working && !planted {
                spells += 1;
                let got = class(&row[0].text(), &row[work::scol::PLACE].text());
                assert_eq!(got, s.class, "{:?}", row);
            }
        }
    }
    assert!(spells > 3000, "{spells}");
}

/// Every covered person meant to be working in the as-of month has exactly one spell
/// covering it; others have none; spells of a person do not overlap; some persons have
/// several, some only ended ones, a few a 是否已务工 否 row.
#[test]
fn spells_cover_exactly_the_workers() {
    let data = generate(&opts(4000, true, DemoFormat::Csv));
    let month = YearMonth::of(data.options.as_of).index();
    let (mut several, mut ended_only, mut no_rows, mut workers, mut started_now) = (0, 0, 0, 0, 0);
    for p in &data.persons {
        let spells = work::person_spells(&data, p);
        let covering = spells.iter().filter(|s| work::covers(s, month)).count();
        let working = data.has_spells(p) && data.work_in_view(p) != Work::None;
        assert_eq!(covering, usize::from(working), "{}", p.id_text());
        if !data.has_spells(p) {
            assert!(spells.is_empty());
            continue;
        }
        workers += usize::from(working);
        several += usize::from(spells.len() >= 3);
        ended_only += usize::from(!working && spells.iter().any(|s| s.working));
        no_rows += spells.iter().filter(|s| !s.working).count();
        for s in &spells {
            if s.working && !work::covers(s, month) {
                // Ended spells end before the month before the as-of month.
                assert!(s.end.unwrap().index() <= month - 2);
            } else if s.working {
                assert_eq!(s.end, None);
                assert_eq!(s.class, data.work_in_view(p).class());
                started_now += usize::from(s.start.unwrap().index() == month);
            }
        }
        for w in spells.windows(2) {
            if let (Some(a), Some(b)) = (w[0].end, w[1].start) {
                assert!(a < b, "overlap {}", p.id_text());
            }
        }
    }
    assert!(workers > 2000, "{workers}");
    assert!(
        several > 20 && ended_only > 50 && no_rows > 10,
        "{several} {ended_only} {no_rows}"
    );
    assert!(started_now > 20, "{started_now}");
}

/// The manifest's new counts are what the written files hold, read literally.
#[test]
fn manifest_counts_the_other_exports() {
    let data = generate(&opts(3000, true, DemoFormat::Csv));
    let files = write_inputs(&data, DemoFormat::Csv).expect("written");
    let (header, spells) = csv_table(file(&files, "已外出务工信息.csv"));
    assert_eq!(header, SPELL_HEADER);
    let (_, plans) = csv_table(file(&files, "计划外出务工信息.csv"));
    let (vheader, villages) = csv_table(file(&files, "行政村信息.csv"));
    let month = |s: &str| {
        (!s.is_empty()).then(|| {
            let (y, m) = s.trim_end_matches('月').split_once('年').unwrap();
            y.parse::<i64>().unwrap() * 12 + m.parse::<i64>().unwrap() - 1
        })
    };
    let now = YearMonth::of(data.options.as_of).index();
    #[derive(Default, Debug, PartialEq)]
    struct Counts {
        workers: usize,
        income_persons: usize,
        income_sum: u64,
        planned: usize,
        villages: usize,
        exited: usize,
        collective: i64,
        over: usize,
    }
    let mut got: BTreeMap<String, Counts> = BTreeMap::new();
    let mut seen = HashSet::new();
    for r in &spells {
        let covering = r[7] == "是"
            && month(&r[12]).is_some_and(|s| s <= now)
            && month(&r[13]).is_none_or(|e| e >= now);
        if covering {
            assert!(
                seen.insert(r[4].clone()),
                "two covering spells for {}",
                r[4]
            );
            let c = got.entry(r[0].clone()).or_default();
            c.workers += 1;
            if !r[14].is_empty() {
                c.income_persons += 1;
                c.income_sum += r[14].parse::<u64>().unwrap();
            }
        }
    }
    for r in &plans {
        assert!(r[6] == "是" || r[6] == "否");
        if r[6] == "是" {
            got.entry(r[0].clone()).or_default().planned += 1;
        }
    }
    let income = vheader
        .iter()
        .position(|h| h == "村级集体经济收入（万元）")
        .unwrap();
    for r in &villages {
        let c = got.entry(r[0].clone()).or_default();
        c.villages += 1;
        c.exited += usize::from(r[3] == "是");
        // Blank or negative where VG02 and VG03 are planted.
        let v = if r[income].is_empty() {
            0
        } else {
            let (a, b) = r[income].split_once('.').unwrap();
            assert_eq!(b.len(), 2, "{}", r[income]);
            let cents =
                a.trim_start_matches('-').parse::<i64>().unwrap() * 100 + b.parse::<i64>().unwrap();
            if a.starts_with('-') { -cents } else { cents }
        };
        c.collective += v;
        c.over += usize::from(v >= 500);
    }
    assert_eq!(villages.len(), data.villages.len());
    let (mut below, mut exited) = (0, 0);
    for county in &data.manifest.counties {
        let g = &got[&county.name];
        let (a, b) = county.collective_income_sum.split_once('.').unwrap();
        let want = Counts {
            workers: county.outbound_workers,
            income_persons: county.outbound_income_persons,
            income_sum: county.outbound_income_sum,
            planned: county.planned_outbound_workers,
            villages: county.villages,
            exited: county.exited_villages,
            collective: a.parse::<i64>().unwrap() * 100 + b.parse::<i64>().unwrap(),
            over: county.villages_over_collective_line,
        };
        assert_eq!(*g, want, "{}", county.name);
        // Every worker the generator means is in the spells.
        assert_eq!(
            county.outbound_workers, county.employment.employed,
            "{}",
            county.name
        );
        assert!(county.outbound_income_persons < county.outbound_workers);
        assert!(county.planned_outbound_workers > 0);
        below += county.villages - county.villages_over_collective_line;
        exited += county.exited_villages;
    }
    // Some villages below the 5 万元 line, most above; some former poverty villages.
    let total: usize = data.manifest.counties.iter().map(|c| c.villages).sum();
    assert!(below > 0 && below < total / 4, "{below} of {total}");
    assert!(exited > total / 10, "{exited} of {total}");
    // A village counts at least the roster's households and persons.
    let households = vheader.iter().position(|h| h == "总户数").unwrap();
    let persons = vheader.iter().position(|h| h == "总人口数").unwrap();
    // (but where VG04 and VG05 are planted).
    let planted: HashSet<usize> = data
        .planted
        .defects
        .values()
        .flatten()
        .filter_map(|p| match p.at {
            plant::Target::Village(v) => Some(v),
            _ => None,
        })
        .collect();
    for (v, r) in villages.iter().enumerate() {
        if planted.contains(&v) {
            continue;
        }
        let hh: Vec<&DemoHousehold> = data.households.iter().filter(|h| h.village == v).collect();
        let n: usize = hh.iter().map(|h| h.members).sum();
        assert!(r[households].parse::<usize>().unwrap() >= hh.len());
        assert!(r[persons].parse::<usize>().unwrap() >= n);
    }
}

/// The other exports' headers are EXPORTS.md's (§1.3 with 开始时间 in column M, §1.4, §1.5),
/// on row 3 of the XLSX below the two title rows, every cell text, values in §2's words.
#[test]
fn other_exports_have_the_systems_columns() {
    let spells_1_3 = [
        "县",
        "乡",
        "行政村",
        "户编号",
        "证件号码",
        "户类型",
        "监测对象类别",
        "是否已务工",
        "务工所在县",
        "就业渠道",
        "开始时间",
        "结束时间",
        "务工月收入",
        "务工企业名称",
        "所属行业",
        "是否点对点输送",
        "年度交通费补助",
    ];
    let plans_1_4 = [
        "县",
        "乡",
        "行政村",
        "户编号",
        "证件号码",
        "户类型",
        "是否计划务工",
        "就业服务需求",
        "计划务工所在县",
    ];
    let villages_1_5 = [
        "县",
        "乡",
        "村",
        "是否出列",
        "总户数",
        "总人口数",
        "低保户数",
        "低保人口数",
        "特困供养人口数",
        "残疾人口数",
        "危房户数",
        "未实现饮水安全户数",
        "村级集体经济收入（万元）",
        "村小学（个数）",
        "参加城乡居民基本养老保险人数",
        "是否通客运班车",
        "行政村卫生室个数",
        "行政村公共卫生厕所个数",
        "行政村执业（助理）医师（人）",
        "行政村生产生活垃圾集中堆放点个数（个）",
        "行政村文化（图书）室个数 （个）",
        "到乡镇是否通沥青（水泥）路",
        "农民人均纯收入（元）",
    ];
    let set = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<HashSet<_>>();
    let data = generate(&opts(1500, true, DemoFormat::Xlsx));
    let files = write_inputs(&data, DemoFormat::Xlsx).expect("written");

    let (header, spells) = xlsx_table(file(&files, "已外出务工信息.xlsx"), "已外出务工信息");
    assert_eq!(header.len(), spells_1_3.len());
    assert_eq!(
        set(&header.iter().map(String::as_str).collect::<Vec<_>>()),
        set(&spells_1_3)
    );
    assert_eq!(header[letter_index("M")], "开始时间");
    let ym = |s: &str| {
        let b = s.as_bytes();
        s.chars().count() == 8
            && s.ends_with('月')
            && b[..4].iter().all(u8::is_ascii_digit)
            && s[4..7] == *"年"
    };
    // The rows planted for the rules on these tables are written otherwise on purpose.
    let planted_rows = |file: &str| -> HashSet<usize> {
        data.manifest
            .rules
            .values()
            .flat_map(|plan| &plan.defects)
            .filter(|d| d.file.starts_with(file))
            .map(|d| d.row as usize - 4)
            .collect()
    };
    let planted_spells = planted_rows("已外出务工信息");
    for (i, r) in spells.iter().enumerate() {
        if planted_spells.contains(&i) {
            continue;
        }
        assert!(["脱贫户", "普通农户"].contains(&r[5].as_str()), "{r:?}");
        assert!(
            ["", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"].contains(&r[6].as_str())
                || r[6].contains("监测户")
        );
        assert!(r[7] == "是" || r[7] == "否", "{r:?}");
        if r[7] == "是" {
            assert!(ym(&r[12]), "{r:?}");
            assert!(r[13].is_empty() || ym(&r[13]), "{r:?}");
            assert!(r[15] == "是" || r[15] == "否");
        } else {
            assert!(r[8].is_empty() && r[12].is_empty() && r[13].is_empty());
        }
        assert!(r[16].bytes().all(|b| b.is_ascii_digit()), "{r:?}");
    }
    assert!(spells.iter().any(|r| r[7] == "否"));
    assert!(spells.iter().any(|r| !r[13].is_empty()));

    let (header, plans) = xlsx_table(file(&files, "计划外出务工信息.xlsx"), "计划外出务工信息");
    assert_eq!(header, plans_1_4);
    assert!(plans.iter().all(|r| r[6] == "是" || r[6] == "否"));
    assert!(plans.iter().any(|r| r[6] == "否") && plans.iter().any(|r| r[6] == "是"));

    let (header, villages) = xlsx_table(file(&files, "行政村信息.xlsx"), "行政村信息");
    assert_eq!(
        set(&header.iter().map(String::as_str).collect::<Vec<_>>()),
        set(&villages_1_5)
    );
    assert_eq!(header.len(), villages_1_5.len());
    assert_eq!(villages.len(), data.villages.len());
    // The same 县/乡/村 names as the roster.
    let roster_villages: HashSet<(&str, &str, &str)> = (0..data.households.len())
        .map(|h| data.region_path(h))
        .collect();
    let listed: HashSet<(&str, &str, &str)> = villages
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str()))
        .collect();
    assert!(roster_villages.is_subset(&listed));
    let planted_villages = planted_rows("行政村信息");
    assert!(
        villages
            .iter()
            .enumerate()
            .all(|(i, r)| planted_villages.contains(&i) || r[3] == "是" || r[3] == "否")
    );
}

/// Last month: nobody identified, born or starting to work after its as-of date; the
/// spells begun this month are absent and their persons not yet working; the planted
/// defects are all still there; its exports are all written.
#[test]
fn previous_month_is_consistent_with_this_month() {
    let data = generate(&opts(4000, true, DemoFormat::Csv));
    let prev = data.previous_month();
    let end = prev.options.as_of;
    let prev_month = YearMonth::of(end).index();
    let mn10: HashSet<usize> = data.planted.defects["MN10"]
        .iter()
        .filter_map(|p| match p.at {
            plant::Target::Household(h) => Some(h),
            _ => None,
        })
        .collect();
    for (h, hh) in prev.households.iter().enumerate() {
        if !mn10.contains(&h) {
            assert!(hh.identified.is_none_or(|m| m.index() <= prev_month));
        }
    }
    let mut starters = 0;
    for (this, p) in data.persons.iter().zip(&prev.persons) {
        assert!(p.birth <= end);
        for s in work::person_spells(&prev, p) {
            assert!(s.start.is_none_or(|m| m.index() <= prev_month));
            assert!(s.end.is_none_or(|m| m.index() <= prev_month));
        }
        if data.starts_this_month(this) && this.work != Work::None {
            starters += 1;
            assert_eq!(prev.work_in_view(p), Work::None);
            let row = prev.roster_row(
                prev.persons
                    .iter()
                    .position(|q| std::ptr::eq(q, p))
                    .unwrap(),
            );
            assert_eq!(row[col::WORK], DemoCell::Empty);
        }
    }
    assert!(starters > 20, "{starters}");
    // Last month has fewer workers, and its planted defects are this month's.
    let (now, before) = (&data.manifest.counties, &prev.manifest.counties);
    let sum = |c: &[CountyCounts]| c.iter().map(|c| c.outbound_workers).sum::<usize>();
    assert!(sum(before) < sum(now));
    let found = |d: &DemoData| {
        let mut keys = BTreeMap::new();
        for f in audit_all(d) {
            *keys.entry((f.code, finding_row(d, f.at))).or_insert(0) += 1;
        }
        keys
    };
    let (a, b) = (found(&data), found(&prev));
    let wk: Vec<_> = a.keys().filter(|k| k.0.starts_with("WK")).collect();
    assert_eq!(
        wk,
        b.keys()
            .filter(|k| k.0.starts_with("WK"))
            .collect::<Vec<_>>()
    );
    let names: Vec<String> = write_inputs(&prev, DemoFormat::Csv)
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, prev.manifest.files);
    assert!(names.iter().any(|n| n == "已外出务工信息.csv"));
}
