//! Tests of `measures::records`: the rules and the reasons a record is left out.

use super::*;
use crate::ingest::{ReadOptions, read_inputs};
use crate::measures::{MEASURES, MeasureSource};

/// Every measure but the 目标 one is counted by exactly one rule, over records of its own
/// table, and a rule never names a test twice.
#[test]
fn every_measure_from_records_has_one_rule_of_its_table() {
    for m in MEASURES {
        let rules: Vec<&Rule> = RULES.iter().filter(|r| r.measure == m.id).collect();
        if m.source == MeasureSource::Targets {
            assert!(rules.is_empty(), "{}", m.id);
            continue;
        }
        assert_eq!(rules.len(), 1, "{}", m.id);
        let kinds: &[RecordKind] = match m.source {
            MeasureSource::Roster => &[RecordKind::Household, RecordKind::Person],
            MeasureSource::Loans => &[RecordKind::Loan, RecordKind::LoanHousehold],
            MeasureSource::Projects => &[RecordKind::Project],
            MeasureSource::WorkSpells => &[RecordKind::WorkSpell],
            MeasureSource::PlannedWork => &[RecordKind::PlannedWorker],
            MeasureSource::Villages => &[RecordKind::Village],
            MeasureSource::Targets => &[],
        };
        let r = rules[0];
        assert!(kinds.contains(&r.kind), "{}: {:?}", m.id, r.kind);
        assert_eq!(r.mask().count_ones() as usize, r.tests.len(), "{}", m.id);
        assert_eq!(
            m.unit == "户",
            matches!(r.kind, RecordKind::Household | RecordKind::LoanHousehold),
            "{}",
            m.id
        );
    }
    assert!(
        RULES
            .iter()
            .all(|r| super::super::by_id(r.measure).is_some())
    );
    assert_eq!(Test::ALL.len(), Test::OverLine as usize + 1);
    for (i, t) in Test::ALL.iter().enumerate() {
        assert_eq!(*t as usize, i);
    }
}

fn dataset(files: &[(&str, &str)]) -> Dataset {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<std::path::PathBuf> = files
        .iter()
        .map(|(name, text)| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    read_inputs(&paths, &ReadOptions::default()).unwrap()
}

fn params() -> TallyParams {
    TallyParams {
        as_of: NaiveDate::from_ymd_opt(2021, 11, 30).unwrap(),
        monitoring_line: 7500.into(),
        collective_income_line: 5.into(),
    }
}

/// A record that fails a rule is told why: the first test of the rule it fails.
#[test]
fn the_first_failing_test_is_the_reason() {
    let ds = dataset(&[(
        "人员.csv",
        "县,乡,村,户编号,证件号码,户类型,监测对象类别,与户主关系,劳动技能,是否持证\n\
         夏邑县,城关镇,东关村,H1,411426199001010011,脱贫户,,户主,丧失劳动力,否\n\
         夏邑县,城关镇,东关村,H1,411426199201010022,脱贫户,,配偶,普通劳动力,否\n\
         夏邑县,城关镇,东关村,H2,411426198501010033,普通农户,,户主,普通劳动力,是\n",
    )]);
    let records = Records::new(&ds, &params());
    let labor = rule("labor_persons").unwrap();
    let certified = rule("certified_persons").unwrap();
    let verdicts: Vec<(Verdict, Verdict)> = (0..records.len(RecordKind::Person))
        .map(|i| {
            let s = records.subject(RecordKind::Person, i).unwrap();
            (
                records.membership(s, labor),
                records.membership(s, certified),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            (
                Verdict::Out("劳动技能为丧失劳动力，不是劳动力"),
                Verdict::Out("劳动技能为丧失劳动力，不是劳动力")
            ),
            (Verdict::In, Verdict::Out("未持证")),
            (
                Verdict::Out("既不是脱贫户也不是监测户"),
                Verdict::Out("既不是脱贫户也不是监测户")
            ),
        ]
    );
}

/// Loans are grouped by 户编号 in 户编号 order, each group with its loans in ledger order
/// and the roster household of that number.
#[test]
fn loans_are_grouped_by_household_number() {
    let ds = dataset(&[
        (
            "人员.csv",
            "县,乡,村,户编号,证件号码,户类型\n夏邑县,城关镇,东关村,H2,411426199001010011,脱贫户\n",
        ),
        (
            "小额信贷.csv",
            "户编号,县,乡,贷款余额（元）,贷款状态\nH2,夏邑县,城关镇,0,正常\nH1,夏邑县,城关镇,5000,逾期\nH2,夏邑县,城关镇,3000,正常\n",
        ),
    ]);
    let records = Records::new(&ds, &params());
    let groups = records.loan_households();
    let ids: Vec<&str> = groups
        .iter()
        .map(|g| records.loan_household_id(g))
        .collect();
    assert_eq!(ids, ["H1", "H2"]);
    assert_eq!(records.loans_of(&groups[1]), [0, 2]);
    assert_eq!(groups[1].balance, Decimal::from(3000));
    assert!(groups[1].household.is_some() && groups[0].household.is_none());
    let rule = rule("loan_balance_households").unwrap();
    let s = |i| records.subject(RecordKind::LoanHousehold, i).unwrap();
    assert_eq!(
        records.membership(s(0), rule),
        Verdict::Out("户编号不在人员表中")
    );
    assert_eq!(records.membership(s(1), rule), Verdict::In);
}

/// Grouping the records on several threads counts what one thread counts, in every unit
/// and the total, sums included; members of a household apart and villages interleaved.
#[test]
fn shards_count_what_one_thread_counts() {
    let mut text = String::from(
        "县,乡,村,户编号,证件号码,户类型,监测对象类别,风险是否消除,与户主关系,劳动技能,务工所在地,是否持证,公益性岗位,人均纯收入（元）\n",
    );
    let kinds = ["脱贫户", "一般农户", "脱贫户", ""];
    let categories = ["", "边缘易致贫户", "脱贫不稳定户", "突发严重困难户", ""];
    let labor = [
        "普通劳动力",
        "无劳动力",
        "技能劳动力",
        "弱劳动力或半劳动力",
        "",
    ];
    let work = ["", "县内务工", "广东省深圳市", "省内县外", "某地", ""];
    for i in 0..3_001u32 {
        // Each household's second member comes 1 000 rows later.
        let hh = if i % 2 == 0 {
            i / 2
        } else {
            (i / 2 + 500) % 1500
        };
        let k = hh as usize;
        let relation = if i % 2 == 0 { "户主" } else { "之子" };
        text.push_str(&format!(
            "夏邑县,镇{},村{},H{hh},{:06}19900101{:04},{},{},{},{relation},{},{},{},{},{}\n",
            hh % 7,
            hh % 40,
            410101 + i % 3,
            i,
            kinds[k % kinds.len()],
            categories[k % categories.len()],
            if hh % 3 == 0 { "是" } else { "否" },
            labor[i as usize % labor.len()],
            work[i as usize % work.len()],
            if i % 4 == 0 { "是" } else { "否" },
            if i % 9 == 0 { "村级" } else { "" },
            if hh % 11 == 0 {
                String::new()
            } else {
                format!("{}.5", 5000 + hh * 7)
            },
        ));
    }
    let ds = dataset(&[("名单.csv", &text)]);
    for level in [crate::region::Level::Town, crate::region::Level::Village] {
        let run = |shards: usize| {
            crate::shards::SHARDS.store(shards, std::sync::atomic::Ordering::Relaxed);
            let t = crate::measures::tally_with(&ds, level, &params());
            crate::shards::SHARDS.store(0, std::sync::atomic::Ordering::Relaxed);
            format!("{t:?}")
        };
        let one = run(1);
        assert!(one.contains("tuopin_persons"), "{one}");
        for shards in [2, 3, 7] {
            assert_eq!(run(shards), one, "{shards} shards, {level:?}");
        }
    }
}
