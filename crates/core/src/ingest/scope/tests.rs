//! Tests of `scope`.

use super::*;

#[test]
fn totals_are_words_not_prefixes() {
    for t in [
        "合计",
        "总计",
        "小计",
        "合 计",
        "全市",
        "全县（区）",
        "全乡合计",
        "小计:",
    ] {
        assert!(is_total_label(t), "{t}");
    }
    for t in [
        "全椒县",
        "全州县",
        "城关镇",
        "合肥市",
        "",
        "全县农村道路",
        "小计划",
    ] {
        assert!(!is_total_label(t), "{t}");
    }
}

#[test]
fn a_county_region_keeps_its_own_rows() {
    let places = Places::new(Some("夏邑县"), None, &Default::default()).unwrap();
    let mut s = CountyScope::new(Some("夏邑县"), &places).unwrap();
    assert!(s.contains("夏邑县", &places));
    assert!(s.contains("商丘市夏邑县", &places));
    assert!(s.contains("夏邑", &places));
    assert!(!s.contains("虞城县", &places));
    let city = Places::new(Some("商丘市"), None, &Default::default()).unwrap();
    assert!(CountyScope::new(Some("商丘市"), &city).is_none());
    let zone = Places::new(Some("示范区"), None, &Default::default()).unwrap();
    assert!(CountyScope::new(Some("示范区"), &zone).is_some());
    assert!(CountyScope::new(None, &city).is_none());
}

#[test]
fn parent_rows() {
    let id = |t: &str| t.to_string();
    assert!(names_parent("夏邑县", "夏邑县", id));
    assert!(names_parent("夏邑县合计", "夏邑县", id));
    assert!(!names_parent("夏邑县城关镇", "夏邑县", id));
    assert!(names_parent("商丘市夏邑县", "夏邑县", |_| {
        "夏邑县".to_string()
    }));
}
