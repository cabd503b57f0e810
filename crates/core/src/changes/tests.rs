//! Tests of the 变动名单: what counts as new, eliminated and left, in which order, masked.

use super::*;
use crate::ingest::{ReadOptions, read_inputs};

const HEAD: &str = "县,乡,村,户编号,证件号码,姓名,与户主关系,户类型,监测对象类别,识别监测时间,风险是否消除,消除监测时间,风险消除方式\n";

fn read(dir: &Path, name: &str, rows: &str) -> Dataset {
    let path = dir.join(name);
    std::fs::write(&path, format!("{HEAD}{rows}")).unwrap();
    read_inputs(&[path], &ReadOptions::default()).unwrap()
}

use std::path::Path;

#[test]
fn new_eliminated_and_left_households_of_the_month() {
    let dir = tempfile::tempdir().unwrap();
    let before = read(
        dir.path(),
        "十月.csv",
        "夏邑县,城关镇,东关村,H1,411426199001010011,张三丰,户主,普通农户,边缘易致贫户,2020-01,否,,\n\
         夏邑县,城关镇,东关村,H3,411426199001010038,李四,户主,普通农户,突发严重困难户,2020-03,否,,\n\
         永城市,城关镇,西关村,H4,411481199001010012,王五,户主,脱贫户,脱贫不稳定户,2020-05,否,,\n",
    );
    let now = read(
        dir.path(),
        "十一月.csv",
        // H1 eliminated in November; H2 new in November; H3 gone; H4 still monitored;
        // H5 new in October (not this month).
        "夏邑县,城关镇,东关村,H1,411426199001010011,张三丰,户主,普通农户,边缘易致贫户,2020-01,是,2021-11-15,帮扶消除\n\
         夏邑县,城关镇,东关村,H1,411426201001010015,张小丰,之子,普通农户,边缘易致贫户,2020-01,是,2021-11-15,帮扶消除\n\
         夏邑县,城关镇,南关村,H2,411426199101010018,赵六,户主,普通农户,突发严重困难户,2021-11,否,,\n\
         永城市,城关镇,西关村,H4,411481199001010012,王五,户主,脱贫户,脱贫不稳定户,2020-05,否,,\n\
         永城市,城关镇,西关村,H5,411481199201010014,钱七,户主,普通农户,边缘易致贫户,2021-10,否,,\n",
    );
    let nov = Month::parse("2021-11").unwrap();
    // Official order: 永城市 before 夏邑县.
    let order = vec!["永城市".to_string(), "夏邑县".to_string()];
    let c = month_changes(&now, Some(&before), nov, "商丘市", &order, Pii::Masked);
    let got: Vec<(ChangeKind, &str, &str, &str, u32)> = c
        .rows
        .iter()
        .map(|r| {
            (
                r.kind,
                r.household.as_str(),
                r.head.as_str(),
                r.village.as_str(),
                r.members,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (ChangeKind::Identified, "H2", "赵*", "南关村", 1),
            (ChangeKind::Eliminated, "H1", "张*", "东关村", 2),
            (ChangeKind::Left, "H3", "李*", "东关村", 1),
        ]
    );
    assert_eq!(c.rows[0].head_id, "411***********0018");
    assert_eq!(c.rows[0].category, "突发严重困难户");
    assert_eq!(c.rows[1].method, "帮扶消除");
    assert_eq!(c.rows[1].date, NaiveDate::from_ymd_opt(2021, 11, 15));
    assert!(c.compared);
    assert_eq!(
        c.by_town(),
        [(("夏邑县".to_string(), "城关镇".to_string()), [1, 1, 1])]
    );
    // Revealed on request; without last month nobody has left.
    let open = month_changes(&now, None, nov, "商丘市", &order, Pii::Revealed);
    assert_eq!(open.rows.len(), 2);
    assert_eq!(open.rows[0].head, "赵六");
    assert!(!open.compared);
    // October: only H5 (in this roster) was identified then.
    let oct = month_changes(
        &now,
        None,
        Month::parse("2021-10").unwrap(),
        "商丘市",
        &order,
        Pii::Masked,
    );
    assert_eq!(oct.rows.len(), 1);
    assert_eq!(oct.rows[0].household, "H5");
    assert_eq!(oct.by_town()[0].0.0, "永城市");
}
