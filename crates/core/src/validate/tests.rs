//! Rule tests on small CSV files laid out like the exports: every rule fires on one fixture
//! and stays quiet on another.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::idcard::{IdProblem, check_char, id_number_problem};
use super::*;
use crate::ingest::{ReadOptions, read_inputs};

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()
}

fn params() -> CheckParams {
    CheckParams::defaults(as_of()).unwrap()
}

/// A valid 18-digit ID number, distinct for each `n` < 1000 (born 1980-01-01).
pub(crate) fn valid_id(n: u32) -> String {
    let first17 = format!("41010119800101{:03}", n % 1000);
    format!("{first17}{}", check_char(&first17).unwrap())
}

/// Replaces `@` fields with fresh valid ID numbers, `@+digits` with a fresh ID followed by
/// the digits, and `@name` fields with one number per name.
struct Ids {
    next: u32,
    named: HashMap<String, String>,
}

impl Ids {
    fn new() -> Ids {
        Ids {
            next: 1,
            named: HashMap::new(),
        }
    }

    fn fill(&mut self, row: &str) -> String {
        row.split(',')
            .map(|f| {
                if f == "@" {
                    self.next += 1;
                    valid_id(self.next)
                } else if let Some(digits) = f.strip_prefix("@+") {
                    // A 残疾人证 number: a valid ID followed by digits.
                    self.next += 1;
                    format!("{}{digits}", valid_id(self.next))
                } else if let Some(name) = f.strip_prefix('@') {
                    self.next += 1;
                    let id = valid_id(self.next);
                    self.named.entry(name.to_string()).or_insert(id).clone()
                } else {
                    f.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Writes the files and reads them. A roster (`head`, `rows`) gets the region columns
/// `县,乡,村` = 夏邑县,城关镇,东关村 prepended; `extra` files are written as given.
fn dataset(head: &str, rows: &[&str], extra: &[(&str, &str)]) -> Dataset {
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = Vec::new();
    if !head.is_empty() {
        let mut ids = Ids::new();
        let mut text = format!("县,乡,村,{head}\n");
        for r in rows {
            text.push_str(&format!("夏邑县,城关镇,东关村,{}\n", ids.fill(r)));
        }
        let p = dir.path().join("人员.csv");
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    for (name, text) in extra {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    read_inputs(&paths, &ReadOptions::default()).unwrap()
}

fn show(report: &CheckReport) -> String {
    report
        .findings
        .iter()
        .map(|f| format!("{} {:?} {} {:?}", f.code, f.at, f.message, f.values))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) struct Case {
    pub(super) code: &'static str,
    pub(super) head: &'static str,
    pub(super) fire: &'static [&'static str],
    pub(super) fire_files: &'static [(&'static str, &'static str)],
    pub(super) n: usize,
    pub(super) quiet: &'static [&'static str],
    pub(super) quiet_files: &'static [(&'static str, &'static str)],
}

pub(super) const NONE: Case = Case {
    code: "",
    head: "",
    fire: &[],
    fire_files: &[],
    n: 1,
    quiet: &[],
    quiet_files: &[],
};

const B: &str = "户编号,证件号码,户类型";

macro_rules! head {
    ($($extra:literal),*) => { concat!("户编号,证件号码,户类型" $(, ",", $extra)*) };
}

const CASES: &[Case] = &[
    Case {
        code: "ID01",
        head: B,
        fire: &[
            "H1,999999198001010011,脱贫户",
            "H2,410101198013010011,脱贫户",
            "H3,410101198001010012,脱贫户",
            "H4,41010119800101001,脱贫户",
            "H5,,脱贫户",
        ],
        n: 5,
        quiet: &["H1,@,脱贫户", "H2,@+6312,脱贫户", "H3,@+63,脱贫户"],
        ..NONE
    },
    Case {
        code: "ID02",
        head: B,
        fire: &["H1,@a,脱贫户", "H1,@a,脱贫户", "H2,@a,脱贫户"],
        n: 2,
        quiet: &["H1,@a,脱贫户", "H1,@b,脱贫户"],
        ..NONE
    },
    Case {
        code: "ID03",
        head: B,
        fire: &["H1,4.10101E+17,脱贫户"],
        quiet: &["H1,@,脱贫户"],
        ..NONE
    },
    Case {
        code: "HH01",
        head: head!("与户主关系"),
        fire: &["H1,@,脱贫户,之子", "H2,@,脱贫户,户主", "H2,@,脱贫户,户主"],
        n: 2,
        quiet: &["H1,@,脱贫户,户主", "H1,@,脱贫户,之子"],
        ..NONE
    },
    Case {
        code: "HH02",
        head: head!("人数"),
        fire: &["H1,@,脱贫户,3", "H1,@,脱贫户,3"],
        quiet: &["H1,@,脱贫户,2", "H1,@,脱贫户,2", "H2,@,脱贫户,"],
        ..NONE
    },
    Case {
        code: "HH03",
        head: B,
        fire: &["H1,@,低保户", "H2,@,"],
        n: 2,
        quiet: &["H1,@,一般农户", "H2,@,脱贫户", "H3,@,非脱贫户"],
        ..NONE
    },
    Case {
        code: "MN01",
        head: head!("监测对象类别"),
        fire: &["H1,@,脱贫户,重点监测户"],
        quiet: &["H1,@,脱贫户,边缘易致贫户", "H2,@,一般农户,"],
        ..NONE
    },
    Case {
        code: "MN02",
        head: head!("风险是否消除", "消除监测时间"),
        fire: &["H1,@,脱贫户,是,"],
        quiet: &["H1,@,脱贫户,是,202306", "H2,@,脱贫户,否,"],
        ..NONE
    },
    Case {
        code: "MN03",
        head: head!("识别监测时间", "消除监测时间"),
        fire: &[
            "H1,@,脱贫户,202301,202306",
            "H2,@,脱贫户,2023-08-31,2024-02-28",
        ],
        n: 2,
        quiet: &[
            "H1,@,脱贫户,202301,202307",
            "H2,@,脱贫户,202308,202402",
            "H3,@,脱贫户,202306,202301",
            "H4,@,脱贫户,202306,",
        ],
        ..NONE
    },
    Case {
        code: "MN04",
        head: head!("识别监测时间", "消除监测时间"),
        fire: &["H1,@,脱贫户,202306,202301"],
        quiet: &["H1,@,脱贫户,202301,202302", "H2,@,脱贫户,202301,202301"],
        ..NONE
    },
    Case {
        code: "MN05",
        head: head!("监测对象类别", "人均纯收入（元）"),
        fire: &["H1,@,一般农户,,5000", "H2,@,脱贫户,,7499.99"],
        n: 2,
        quiet: &[
            "H1,@,一般农户,边缘易致贫户,5000",
            "H2,@,一般农户,,7500",
            "H3,@,脱贫户,,",
        ],
        ..NONE
    },
    Case {
        code: "MN06",
        head: head!("监测对象类别", "产业帮扶"),
        fire: &["H1,@,一般农户,边缘易致贫户,"],
        quiet: &["H1,@,一般农户,边缘易致贫户,是", "H2,@,一般农户,,"],
        ..NONE
    },
    Case {
        code: "MN07",
        head: head!("监测对象类别", "致贫/返贫风险1"),
        fire: &["H1,@,一般农户,边缘易致贫户,"],
        quiet: &["H1,@,一般农户,边缘易致贫户,因病", "H2,@,一般农户,,"],
        ..NONE
    },
    Case {
        code: "MN08",
        head: head!("监测对象类别"),
        fire: &["H1,@,一般农户,脱贫不稳定户"],
        quiet: &["H1,@,脱贫户,脱贫不稳定户", "H2,@,一般农户,边缘易致贫户"],
        ..NONE
    },
    Case {
        code: "MN09",
        head: head!("风险消除方式", "人均纯收入（元）"),
        fire: &["H1,@,脱贫户,帮扶消除,6000"],
        quiet: &["H1,@,脱贫户,帮扶消除,9000", "H2,@,脱贫户,自然消除,6000"],
        ..NONE
    },
    Case {
        code: "MN10",
        head: head!("识别监测时间"),
        fire: &["H1,@,脱贫户,202407", "H2,@,脱贫户,2025-01-05"],
        n: 2,
        quiet: &["H1,@,脱贫户,202406", "H2,@,脱贫户,20240630", "H3,@,脱贫户,"],
        ..NONE
    },
    Case {
        code: "HS01",
        head: head!("监测对象类别", "是否危房户", "是否解决安全饮用水"),
        fire: &["H1,@,脱贫户,,是,是", "H2,@,脱贫户,,否,否"],
        n: 2,
        quiet: &["H1,@,脱贫户,,否,是", "H2,@,脱贫户,边缘易致贫户,是,否"],
        ..NONE
    },
    Case {
        code: "WK01",
        head: head!("务工所在地", "公益性岗位"),
        fire: &[
            "H1,@,脱贫户,省外务工,村级",
            "H2,@,脱贫户,县外省内务工,是",
            "H3,@,脱贫户,江苏省苏州市昆山市,是",
        ],
        n: 3,
        quiet: &[
            "H1,@,脱贫户,乡外县内务工,村级",
            "H2,@,脱贫户,省外务工,否",
            "H3,@,脱贫户,夏邑县会亭镇,是",
        ],
        ..NONE
    },
    Case {
        code: "WK02",
        head: head!("务工所在地"),
        fire: &[
            "H1,@,脱贫户,外出务工",
            "H2,@,脱贫户,鼓楼区",
            "H3,@,脱贫户,商丘市",
        ],
        n: 3,
        quiet: &[
            "H1,@,脱贫户,省外务工",
            "H2,@,脱贫户,",
            "H3,@,脱贫户,无",
            "H4,@,脱贫户,广东",
            "H5,@,脱贫户,河南省郑州市金水区",
            "H6,@,脱贫户,夏邑县城关镇",
        ],
        ..NONE
    },
    Case {
        code: "WK03",
        head: head!("务工所在地", "务工月收入"),
        fire: &[
            "H1,@,脱贫户,省外务工,50",
            "H2,@,脱贫户,省外务工,40000",
            "H3,@,脱贫户,省外务工,0",
        ],
        n: 3,
        quiet: &[
            "H1,@,脱贫户,省外务工,3000",
            "H2,@,脱贫户,,0",
            "H3,@,脱贫户,,",
        ],
        ..NONE
    },
    Case {
        code: "WK04",
        head: head!("务工所在地"),
        fire: &[
            // The spell says 县内.
            "H1,411426199001010011,脱贫户,省外务工",
            // The spell says 省外; the roster says not working.
            "H2,411426199001010022,脱贫户,",
            // No spell this month.
            "H3,411426199001010033,脱贫户,县内务工",
        ],
        fire_files: &[(
            "已外出务工信息.csv",
            "县,乡,行政村,证件号码,是否已务工,务工所在县,开始时间,结束时间\n\
             夏邑县,城关镇,东关村,411426199001010011,是,夏邑县,2024年01月,\n\
             夏邑县,城关镇,东关村,411426199001010022,是,昆山市,2023年03月,\n\
             夏邑县,城关镇,东关村,411426199001010033,是,夏邑县,2023年03月,2024年05月\n",
        )],
        n: 3,
        quiet: &[
            "H1,411426199001010011,脱贫户,江苏省苏州市昆山市",
            "H2,411426199001010022,脱贫户,",
            // 去向不明 on one side: not compared.
            "H3,411426199001010033,脱贫户,外地",
            // Not covered.
            "H4,411426199001010044,普通农户,省外务工",
        ],
        quiet_files: &[(
            "已外出务工信息.csv",
            "县,乡,行政村,证件号码,是否已务工,务工所在县,开始时间,结束时间\n\
             夏邑县,城关镇,东关村,411426199001010011,是,昆山市,2024年01月,\n\
             夏邑县,城关镇,东关村,411426199001010022,是,昆山市,2023年03月,2024年05月\n\
             夏邑县,城关镇,东关村,411426199001010033,是,夏邑县,2024年01月,\n",
        )],
    },
    Case {
        code: "LB01",
        head: head!("出生日期", "劳动技能"),
        fire: &[
            "H1,@,脱贫户,20150101,普通劳动力",
            "H2,@,脱贫户,20080701,弱劳动力或半劳动力",
        ],
        n: 2,
        quiet: &[
            "H1,@,脱贫户,20150101,无劳动力",
            "H2,@,脱贫户,20080630,普通劳动力",
        ],
        ..NONE
    },
    Case {
        code: "LB02",
        head: head!("出生日期", "在校生状况", "劳动技能"),
        fire: &["H1,@,脱贫户,20050101,普通高中三年级,普通劳动力"],
        quiet: &[
            "H1,@,脱贫户,20050101,普通高中三年级,无劳动力",
            "H2,@,脱贫户,20000101,非在校生,普通劳动力",
        ],
        ..NONE
    },
    Case {
        code: "LB03",
        head: head!("出生日期", "劳动技能"),
        fire: &[
            "H1,@,脱贫户,19500101,技能劳动力",
            "H2,@,脱贫户,19640630,普通劳动力",
        ],
        n: 2,
        quiet: &[
            "H1,@,脱贫户,19500101,丧失劳动力",
            "H2,@,脱贫户,19640701,普通劳动力",
        ],
        ..NONE
    },
    Case {
        code: "LB04",
        head: head!("出生日期", "健康状况", "劳动技能"),
        fire: &["H1,@,脱贫户,19900101,健康,无劳动力"],
        quiet: &[
            "H1,@,脱贫户,19900101,长期慢性病,弱劳动力或半劳动力",
            "H2,@,脱贫户,19500101,健康,无劳动力",
            "H3,@,脱贫户,19900101,健康,普通劳动力",
        ],
        ..NONE
    },
    Case {
        code: "WP01",
        head: head!("出生日期", "公益性岗位"),
        fire: &["H1,@,脱贫户,19500101,是", "H2,@,脱贫户,20100101,村级"],
        n: 2,
        quiet: &["H1,@,脱贫户,19700101,是", "H2,@,脱贫户,19500101,否"],
        ..NONE
    },
    Case {
        code: "ED01",
        head: head!("出生日期", "在校生状况"),
        fire: &["H1,@,脱贫户,20000101,小学", "H2,@,脱贫户,20150101,学前教育"],
        n: 2,
        quiet: &[
            "H1,@,脱贫户,20150101,小学",
            "H2,@,脱贫户,20000101,非在校生",
            "H3,@,脱贫户,20050101,本科",
        ],
        ..NONE
    },
    Case {
        code: "RK01",
        head: head!("致贫/返贫风险1", "健康帮扶"),
        fire: &["H1,@,脱贫户,因病,"],
        quiet: &["H1,@,脱贫户,因病,是", "H2,@,脱贫户,因学,"],
        ..NONE
    },
    Case {
        code: "RK02",
        head: head!("致贫/返贫风险1", "教育帮扶"),
        fire: &["H1,@,脱贫户,因学,"],
        quiet: &["H1,@,脱贫户,因学,是", "H2,@,脱贫户,因病,"],
        ..NONE
    },
    Case {
        code: "RK03",
        head: head!("致贫/返贫风险1", "综合保障"),
        fire: &["H1,@,脱贫户,因残,"],
        quiet: &["H1,@,脱贫户,因残,是", "H2,@,脱贫户,因病,"],
        ..NONE
    },
    Case {
        code: "RK04",
        head: head!("致贫/返贫风险1", "住房安全保障"),
        fire: &["H1,@,脱贫户,因安全住房,"],
        quiet: &["H1,@,脱贫户,因安全住房,是", "H2,@,脱贫户,因病,"],
        ..NONE
    },
    Case {
        code: "RK05",
        head: head!("致贫/返贫风险1", "饮水安全保障"),
        fire: &["H1,@,脱贫户,因安全饮水,"],
        quiet: &["H1,@,脱贫户,因安全饮水,已落实", "H2,@,脱贫户,因病,"],
        ..NONE
    },
    Case {
        code: "RK06",
        head: head!("致贫/返贫风险1", "健康状况"),
        fire: &["H1,@,脱贫户,因残,健康"],
        quiet: &["H1,@,脱贫户,因残,健康", "H1,@,脱贫户,,残疾"],
        ..NONE
    },
    Case {
        code: "RK07",
        head: head!("致贫/返贫风险1", "健康状况"),
        fire: &["H1,@,脱贫户,因病,健康"],
        quiet: &["H1,@,脱贫户,因病,患大病", "H2,@,脱贫户,因残,健康"],
        ..NONE
    },
    Case {
        code: "SB01",
        head: head!("享受低保政策情况", "综合保障"),
        fire: &["H1,@,脱贫户,农村低保,"],
        quiet: &["H1,@,脱贫户,农村低保,是", "H2,@,脱贫户,未享受,"],
        ..NONE
    },
    Case {
        code: "IN01",
        head: head!("是否参加城乡居民基本医疗保险"),
        fire: &["H1,@,脱贫户,否"],
        quiet: &["H1,@,脱贫户,是", "H2,@,脱贫户,"],
        ..NONE
    },
    Case {
        code: "IN02",
        head: head!("是否参加大病保险"),
        fire: &["H1,@,脱贫户,否"],
        quiet: &["H1,@,脱贫户,是"],
        ..NONE
    },
    Case {
        code: "PH01",
        head: head!("户联系电话"),
        fire: &["H1,@,脱贫户,1381234123", "H2,@,脱贫户,12812341234"],
        n: 2,
        quiet: &["H1,@,脱贫户,13812341234", "H2,@,脱贫户,"],
        ..NONE
    },
    Case {
        code: "PH02",
        head: head!("户联系电话"),
        fire: &[
            "H1,@,脱贫户,13812341234",
            "H2,@,脱贫户,13812341234",
            "H3,@,脱贫户,13912341234",
        ],
        n: 2,
        quiet: &[
            "H1,@,脱贫户,13812341234",
            "H1,@,脱贫户,13812341234",
            "H2,@,脱贫户,13912341234",
            "H3,@,脱贫户,0",
            "H4,@,脱贫户,0",
        ],
        ..NONE
    },
    Case {
        code: "VL01",
        head: head!("人均纯收入（元）", "识别监测时间"),
        fire: &["H1,@,脱贫户,九千,2023年13月"],
        n: 2,
        quiet: &["H1,@,脱贫户,9000,2023年12月"],
        ..NONE
    },
    Case {
        code: "VL02",
        head: head!("人均纯收入（元）", "务工月收入"),
        fire: &["H1,@,脱贫户,-5,-100"],
        fire_files: &[
            (
                "项目.csv",
                "项目编号,县,是否纳入年度实施计划,衔接资金（万元）,已支出衔接资金（万元）\nP1,夏邑县,是,-1,0\n",
            ),
            (
                "贷款.csv",
                "户编号,县,贷款金额（元）,贷款余额（元）\nH1,夏邑县,5000,-5\n",
            ),
        ],
        n: 4,
        quiet: &["H1,@,脱贫户,0,0"],
        quiet_files: &[
            (
                "项目.csv",
                "项目编号,县,是否纳入年度实施计划,衔接资金（万元）,已支出衔接资金（万元）\nP1,夏邑县,是,1,0\n",
            ),
            (
                "贷款.csv",
                "户编号,县,贷款金额（元）,贷款余额（元）\nH1,夏邑县,5000,0\n",
            ),
        ],
    },
    Case {
        code: "PJ01",
        fire_files: &[(
            "项目.csv",
            "项目编号,项目名称,县,乡,是否纳入年度实施计划,衔接资金（万元）,已支出衔接资金（万元）\nP1,道路硬化,夏邑县,城关镇,是,100,120.5\n",
        )],
        quiet_files: &[(
            "项目.csv",
            "项目编号,项目名称,县,乡,是否纳入年度实施计划,衔接资金（万元）,已支出衔接资金（万元）\nP1,道路硬化,夏邑县,城关镇,是,100,100\nP2,桥,夏邑县,城关镇,是,100,\n",
        )],
        ..NONE
    },
    Case {
        code: "PJ02",
        fire_files: &[(
            "项目.csv",
            "项目编号,县,是否纳入年度实施计划,衔接资金（万元）,开工日期,完工日期\nP1,夏邑县,是,100,2024-03-01,2024-02-01\n",
        )],
        quiet_files: &[(
            "项目.csv",
            "项目编号,县,是否纳入年度实施计划,衔接资金（万元）,开工日期,完工日期\nP1,夏邑县,是,100,2024-03-01,2024-03-01\nP2,夏邑县,是,100,2024-03-01,\n",
        )],
        ..NONE
    },
    Case {
        code: "LN01",
        fire_files: &[(
            "贷款.csv",
            "户编号,县,乡,贷款金额（元）,贷款余额（元）\nH1,夏邑县,城关镇,50000,60000\n",
        )],
        quiet_files: &[(
            "贷款.csv",
            "户编号,县,乡,贷款金额（元）,贷款余额（元）\nH1,夏邑县,城关镇,50000,50000\nH2,夏邑县,城关镇,,60000\n",
        )],
        ..NONE
    },
    Case {
        code: "LN02",
        head: B,
        fire: &["H1,@,脱贫户"],
        fire_files: &[(
            "贷款.csv",
            "户编号,县,贷款余额（元）\nH9,夏邑县,1000\nH1,夏邑县,1000\n",
        )],
        quiet: &["H1,@,脱贫户"],
        quiet_files: &[("贷款.csv", "户编号,县,贷款余额（元）\nH1,夏邑县,1000\n")],
        ..NONE
    },
];

#[test]
fn every_rule_fires_and_stays_quiet() {
    let rules = list_rules().unwrap();
    let mut tested: Vec<&str> = Vec::new();
    for case in CASES.iter().chain(super::cases_more::CASES) {
        assert!(
            rules.iter().any(|r| r.code == case.code),
            "{} not in rules.toml",
            case.code
        );
        for (fire, rows, files) in [
            (true, case.fire, case.fire_files),
            (false, case.quiet, case.quiet_files),
        ] {
            let ds = dataset(case.head, rows, files);
            let report = run_checks(&ds, &params()).unwrap();
            assert!(
                report.ran(case.code),
                "{} did not run ({}): skipped {:?}",
                case.code,
                if fire { "fire" } else { "quiet" },
                report.skipped
            );
            let want = if fire { case.n } else { 0 };
            assert_eq!(
                report.count(case.code),
                want,
                "{} on the {} fixture; findings:\n{}",
                case.code,
                if fire { "firing" } else { "quiet" },
                show(&report)
            );
            // Every finding names a rule of the list and has a message.
            for f in &report.findings {
                assert!(report.rule(&f.code).is_some());
                assert!(!f.message.is_empty());
            }
        }
        tested.push(case.code);
    }
    let untested: Vec<&str> = rules
        .iter()
        .map(|r| r.code.as_str())
        .filter(|c| !tested.contains(c))
        .collect();
    assert!(
        untested.is_empty(),
        "rules without a test case: {untested:?}"
    );
}

#[test]
fn rule_file_is_complete_and_params_have_defaults() {
    let rules = list_rules().unwrap();
    assert!(rules.len() >= 150, "{} rules", rules.len());
    let p = params();
    assert_eq!(p.number("monitoring_line"), Some(Decimal::new(7500, 0)));
    assert_eq!(
        p.number("min_months_before_elimination"),
        Some(Decimal::from(6))
    );
    assert_eq!(
        (p.number("wage_min"), p.number("wage_max")),
        (Some(Decimal::new(100, 0)), Some(Decimal::new(30000, 0)))
    );
    let parse = |text: &str| rules::parse(text, "rules.toml", false);
    // A rule without a condition, a repeated code or an unknown column is refused.
    let extra = format!(
        "{RULES_TOML}\n[[rule]]\ncode = \"ZZ01\"\nseverity = \"提示\"\nscope = \"person\"\ntitle = \"x\"\ndetail = \"x\"\n"
    );
    assert!(parse(&extra).unwrap_err().to_string().contains("ZZ01"));
    let twice = RULES_TOML.replace("code = \"LN02\"", "code = \"LN01\"");
    assert!(parse(&twice).unwrap_err().to_string().contains("重复"));
    let bad_col = RULES_TOML.replace("needs = [\"人数\"]", "needs = [\"家庭人数合计\"]");
    assert!(
        parse(&bad_col)
            .unwrap_err()
            .to_string()
            .contains("家庭人数合计")
    );
}

#[test]
fn id_numbers_gb11643_and_disability_cards() {
    let on = as_of();
    // GB 11643 example number.
    assert_eq!(check_char("11010519491231002"), Some('X'));
    assert_eq!(id_number_problem("11010519491231002X", on), None);
    assert_eq!(id_number_problem("11010519491231002x", on), None);
    assert_eq!(
        id_number_problem("110105194912310021", on),
        Some(IdProblem::CheckDigit)
    );
    let v = valid_id(7);
    assert_eq!(id_number_problem(&v, on), None);
    // 残疾人证: ID + category and level digits.
    assert_eq!(id_number_problem(&format!("{v}63"), on), None);
    assert_eq!(id_number_problem(&format!("{v}6302"), on), None);
    assert_eq!(
        id_number_problem(&format!("{v}6A"), on),
        Some(IdProblem::Characters)
    );
    assert_eq!(
        id_number_problem(&format!("{v}6"), on),
        Some(IdProblem::Length(19))
    );
    assert_eq!(
        id_number_problem("11010519491231002163", on),
        Some(IdProblem::CheckDigit),
        "a 残疾人证 number needs a valid ID inside"
    );
    // Birth dates that do not exist, or lie after the as-of date.
    for first17 in [
        "41010119800230001",
        "41010119801301001",
        "41010120250101001",
        "41010118000101001",
    ] {
        let id = format!("{first17}{}", check_char(first17).unwrap());
        assert_eq!(
            id_number_problem(&id, on),
            Some(IdProblem::BirthDate),
            "{first17}"
        );
    }
    assert_eq!(
        id_number_problem("999999198001010011", on),
        Some(IdProblem::Placeholder)
    );
    assert_eq!(
        id_number_problem("410101800101001", on),
        Some(IdProblem::Length(15))
    );
    assert_eq!(id_number_problem("", on), Some(IdProblem::Empty));
    assert_eq!(
        id_number_problem("41010119800101001Ｘ", on),
        Some(IdProblem::Characters)
    );
    assert_eq!(
        id_number_problem("4101011980010100X1", on),
        Some(IdProblem::Characters)
    );
    // Messages never contain digits of the number.
    for p in [
        IdProblem::CheckDigit,
        IdProblem::BirthDate,
        IdProblem::Placeholder,
    ] {
        assert!(!p.message().contains("1980"));
    }
}

#[test]
fn rules_without_their_columns_or_tables_are_skipped_and_named() {
    let ds = dataset(head!("监测对象类别"), &["H1,@,脱贫户,边缘易致贫户"], &[]);
    let report = run_checks(&ds, &params()).unwrap();
    let skipped: HashMap<&str, &Vec<String>> = report
        .skipped
        .iter()
        .map(|(c, m)| (c.as_str(), m))
        .collect();
    assert_eq!(
        skipped["MN03"],
        &vec!["识别监测时间".to_string(), "消除监测时间".to_string()]
    );
    assert_eq!(skipped["PJ01"], &vec!["项目表".to_string()]);
    assert_eq!(skipped["LN01"], &vec!["小额信贷表".to_string()]);
    // Monitored without any measure column: MN06 cannot tell, so it is skipped.
    assert_eq!(
        skipped["MN06"],
        &vec!["帮扶措施列或任一帮扶列（产业帮扶、就业帮扶等）".to_string()]
    );
    let rk01 = report.skipped.iter().find(|(c, _)| c == "RK01").unwrap();
    assert_eq!(
        rk01.1,
        vec![
            "致贫/返贫风险1".to_string(),
            "健康帮扶或社会帮扶".to_string()
        ]
    );
    assert_eq!(report.count("MN06"), 0);
    assert!(report.ran("ID01") && report.ran("MN01") && report.ran("VL01"));
    let lines = overview_lines(&report);
    assert!(
        lines
            .iter()
            .any(|l| l == "  MN03 风险消除过快：缺少「识别监测时间」列、「消除监测时间」列"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "  PJ01 已支出超过衔接资金：缺少项目表"),
        "{lines:#?}"
    );

    // A loan ledger without a roster: LN02 cannot check anything.
    let ds = dataset(
        "",
        &[],
        &[("贷款.csv", "户编号,县,贷款余额（元）\nH9,夏邑县,1000\n")],
    );
    let report = run_checks(&ds, &params()).unwrap();
    assert!(
        report
            .skipped
            .contains(&("LN02".into(), vec!["人员表".into()]))
    );
    assert!(
        report
            .skipped
            .contains(&("LN01".into(), vec!["贷款金额（元）".into()]))
    );
    assert!(
        report
            .skipped
            .contains(&("ID01".into(), vec!["人员表".into()]))
    );
}

#[test]
fn disabled_rules_do_not_run_and_unknown_codes_are_refused() {
    let ds = dataset(B, &["H1,999999198001010011,脱贫户"], &[]);
    let mut p = params();
    assert_eq!(run_checks(&ds, &p).unwrap().count("ID01"), 1);
    p.disabled = vec!["ID01".into()];
    let report = run_checks(&ds, &p).unwrap();
    assert_eq!(report.count("ID01"), 0);
    assert_eq!(report.disabled, vec!["ID01".to_string()]);
    assert!(!report.ran("ID01"));
    assert!(
        overview_lines(&report)
            .iter()
            .any(|l| l == "已按配置关闭：ID01 证件号码无效")
    );
    p.disabled = vec!["ID9".into()];
    let e = run_checks(&ds, &p).unwrap_err().to_string();
    assert!(e.contains("ID9") && e.contains("gonggu rules"), "{e}");
}

#[test]
fn thresholds_come_from_params() {
    let ds = dataset(
        head!(
            "识别监测时间",
            "消除监测时间",
            "人均纯收入（元）",
            "务工月收入",
            "监测对象类别"
        ),
        &["H1,@,脱贫户,202301,202305,7400,80,"],
        &[],
    );
    let report = run_checks(&ds, &params()).unwrap();
    assert_eq!(
        (
            report.count("MN03"),
            report.count("MN05"),
            report.count("WK03")
        ),
        (1, 1, 1)
    );
    let mut p = params();
    p.params
        .insert("min_months_before_elimination".into(), Param::Num(3.into()));
    p.params
        .insert("monitoring_line".into(), Param::Num(Decimal::new(7300, 0)));
    p.params
        .insert("wage_min".into(), Param::Num(Decimal::new(50, 0)));
    let report = run_checks(&ds, &p).unwrap();
    assert_eq!(
        (
            report.count("MN03"),
            report.count("MN05"),
            report.count("WK03")
        ),
        (0, 0, 0),
        "{}",
        show(&report)
    );
}

/// TW01's cut-off follows the as-of date: before September a subsidy is for this year,
/// whose cut-off is last December; from September on it may be next year's.
#[test]
fn the_subsidy_window_moves_with_the_as_of_date() {
    let ds = dataset(
        head!("健康帮扶", "识别监测时间"),
        &["H1,@,脱贫户,城乡居民基本医疗保险个人缴费补贴,202403"],
        &[],
    );
    let count = |as_of: NaiveDate, cutoff: Option<i64>| {
        let mut p = CheckParams::defaults(as_of).unwrap();
        if let Some(m) = cutoff {
            p.params
                .insert("medical_subsidy_cutoff_month".into(), Param::Num(m.into()));
        }
        let report = run_checks(&ds, &p).unwrap();
        (report.count("TW01"), show(&report))
    };
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let (n, shown) = count(day(2024, 6, 30), None);
    assert_eq!(n, 1);
    assert!(shown.contains("2023年12月"), "{shown}");
    assert_eq!(count(day(2024, 9, 30), None).0, 0, "the 2025 subsidy");
    assert_eq!(
        count(day(2025, 3, 31), None).0,
        0,
        "2024-03 is before 2024-12"
    );
    assert_eq!(count(day(2024, 6, 30), Some(6)).0, 1);
    assert_eq!(
        count(day(2025, 6, 30), Some(3)).0,
        0,
        "on the cut-off month"
    );
}

/// A blank 风险是否消除 is neither 是 nor 否: RE09 does not fire on it, BL09 names it.
#[test]
fn a_blank_elimination_flag_is_blank() {
    let ds = dataset(
        head!(
            "监测对象类别",
            "识别监测时间",
            "风险是否消除",
            "风险消除后家庭人均纯收入"
        ),
        &[
            "H1,@,脱贫户,脱贫不稳定户,202101,,9000",
            "H2,@,脱贫户,脱贫不稳定户,202101,否,9000",
        ],
        &[],
    );
    let report = run_checks(&ds, &params()).unwrap();
    let shown = show(&report);
    assert_eq!(report.count("RE09"), 1, "{shown}");
    assert_eq!(report.count("BL09"), 1, "{shown}");
    assert!(shown.contains("风险是否消除"), "{shown}");
}

#[test]
fn findings_carry_place_and_personal_data_and_are_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let a = valid_id(1);
    let b = valid_id(2);
    let text = format!(
        "县,乡,村,户编号,证件号码,姓名,户类型,与户主关系,人数,户联系电话,人均纯收入（元）\n\
         虞城县,城关镇,西村,H9,{a},李四,脱贫户,户主,2,13812341234,abc\n\
         夏邑县,城关镇,东关村,H2,{b},张三,脱贫户,户主,1,13912341234,9000\n\
         夏邑县,城关镇,东关村,H2,{b},张五,脱贫户,之子,1,13912341234,9000\n\
         夏邑县,城关镇,东关村,H1,,王六,脱贫户,户主,1,13712341234,9000\n"
    );
    let p = dir.path().join("名单.csv");
    std::fs::write(&p, text).unwrap();
    let ds = read_inputs(&[p], &ReadOptions::default()).unwrap();
    let report = run_checks(&ds, &params()).unwrap();
    let order: Vec<(&str, Option<&str>, u32)> = report
        .findings
        .iter()
        .map(|f| (&*f.code, f.household_id.as_deref(), f.at.row))
        .collect();
    // 虞城县 appears first in the file, so it sorts first; within 夏邑县 H1 before H2; within
    // H2 by row, then rule order.
    assert_eq!(
        order,
        vec![
            ("HH02", Some("H9"), 2),
            ("VL01", Some("H9"), 2),
            ("ID01", Some("H1"), 5),
            ("HH02", Some("H2"), 3),
            ("ID02", Some("H2"), 4),
        ],
        "{}",
        show(&report)
    );
    let vl = &report.findings[1];
    assert_eq!(ds.regions.path(vl.region.unwrap()), "虞城县/城关镇/西村");
    assert_eq!(vl.id_number.as_deref(), Some(a.as_str()));
    assert_eq!(vl.name.as_deref(), Some("李四"));
    assert_eq!(
        vl.values,
        vec![("人均纯收入（元）".to_string(), "abc".to_string())]
    );
    let dup = &report.findings[4];
    assert!(dup.message.contains("第 3 行"), "{}", dup.message);
    assert_eq!(dup.name.as_deref(), Some("张五"));
    // Household findings carry the head's identity and the household phone.
    let hh = &report.findings[3];
    assert_eq!(
        (hh.name.as_deref(), hh.phone.as_deref()),
        (Some("张三"), Some("13912341234"))
    );
    // Messages and values never carry the ID number.
    for f in &report.findings {
        assert!(!f.message.contains(&a) && !f.message.contains(&b));
        assert!(f.values.iter().all(|(_, v)| !v.contains(&a[..14])));
    }
    let lines = overview_lines(&report);
    assert_eq!(
        lines[0], "共发现 5 条问题：错误 2 条，警告 3 条，提示 0 条。",
        "{lines:#?}"
    );
    assert!(lines.contains(&"  HH02 家庭人口数与成员行数不符（警告）：2 条".to_string()));
}

#[test]
fn a_county_scale_roster_is_checked_in_one_pass() {
    // Not a timing test: a sanity check that many households sharing phones and many loans
    // stay linear (hash maps), with exact counts.
    let mut text = String::from("县,乡,村,户编号,证件号码,户类型,户联系电话\n");
    for i in 0..20_000u32 {
        let phone = format!("138{:08}", i / 2);
        text.push_str(&format!(
            "夏邑县,镇{},村{},H{i},{},脱贫户,{phone}\n",
            i % 20,
            i % 200,
            valid_id(i)
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("名单.csv");
    std::fs::write(&p, text).unwrap();
    let ds = read_inputs(&[p], &ReadOptions::default()).unwrap();
    let report = run_checks(&ds, &params()).unwrap();
    assert_eq!(report.count("PH02"), 20_000);
    // valid_id repeats every 1000: 19 duplicates of each of 1000 numbers.
    assert_eq!(report.count("ID02"), 19_000);
}

/// Checking in household shares on several threads finds the same, in the same order, as
/// one thread: members listed apart from their households, member aggregates, household
/// and person rules.
#[test]
fn shards_find_what_one_thread_finds() {
    let mut text =
        String::from("县,乡,村,户编号,证件号码,户类型,与户主关系,劳动技能,户联系电话,就业帮扶\n");
    for i in 0..3_000u32 {
        // Each household's second member comes 1 000 rows later.
        let hh = if i % 2 == 0 {
            i / 2
        } else {
            (i / 2 + 500) % 1500
        };
        let relation = if i % 2 == 0 { "户主" } else { "之子" };
        let labor = if i % 3 == 0 {
            "无劳动力"
        } else {
            "普通劳动力"
        };
        text.push_str(&format!(
            "夏邑县,镇{},村{},H{hh},{},脱贫户,{relation},{labor},138{:08},技能培训\n",
            hh % 7,
            hh % 40,
            valid_id(i),
            hh / 3
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("名单.csv");
    std::fs::write(&p, text).unwrap();
    let ds = read_inputs(&[p], &ReadOptions::default()).unwrap();
    let run = |shards: usize| {
        crate::shards::SHARDS.store(shards, std::sync::atomic::Ordering::Relaxed);
        let report = run_checks(&ds, &params()).unwrap();
        crate::shards::SHARDS.store(0, std::sync::atomic::Ordering::Relaxed);
        format!("{:?}", report.findings)
    };
    let one = run(1);
    // Member aggregates decide some findings: 就业帮扶 without a labourer.
    assert!(one.contains("\"WP06\""), "{one}");
    for shards in [2, 3, 7] {
        assert_eq!(run(shards), one, "{shards} shards");
    }
}

#[test]
fn wk02_shows_the_value_and_the_candidates() {
    let ds = dataset(
        head!("务工所在地", "公益性岗位"),
        &[
            "H1,@,脱贫户,鼓楼区,",
            "H2,@,脱贫户,在外打工,",
            "H3,@,脱贫户,江苏省苏州市昆山市,村级",
        ],
        &[],
    );
    let report = run_checks(&ds, &params()).unwrap();
    let wk02: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| &*f.code == "WK02")
        .collect();
    assert_eq!(wk02.len(), 2, "{}", show(&report));
    let gulou = wk02[0];
    assert_eq!(
        gulou.values[0],
        ("务工所在地".to_string(), "鼓楼区".to_string())
    );
    assert_eq!(gulou.values[1].0, "可能的地区");
    assert!(
        gulou.values[1].1.contains("江苏省南京市鼓楼区")
            && gulou.values[1].1.contains("河南省开封市鼓楼区"),
        "{:?}",
        gulou.values
    );
    assert!(gulou.message.contains("同名"), "{}", gulou.message);
    assert_eq!(
        wk02[1].values,
        [("务工所在地".to_string(), "在外打工".to_string())]
    );
    // WK01 shows the address too.
    let wk01: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| &*f.code == "WK01")
        .collect();
    assert_eq!(wk01.len(), 1);
    assert_eq!(wk01[0].values[0].1, "江苏省苏州市昆山市");
    assert!(wk01[0].message.contains("省外"), "{}", wk01[0].message);
}

/// Runs the built-in rules plus `extra` (a county's own rule file) on a roster.
fn with_rules(extra: &str, head: &str, rows: &[&str]) -> Result<CheckReport> {
    let ds = dataset(head, rows, &[]);
    let mut p = params();
    p.user_rules = Some(UserRules {
        origin: "本县规则.toml".into(),
        text: extra.into(),
    });
    run_checks(&ds, &p)
}

fn rule(code: &str, scope: &str, when: &str, message: &str) -> String {
    format!(
        "[[rule]]\ncode = \"{code}\"\nseverity = \"提示\"\nscope = \"{scope}\"\ntitle = \"t\"\ndetail = \"d\"\nwhen = \"{when}\"\nmessage = \"{message}\"\n"
    )
}

#[test]
fn blank_cells_neither_fire_nor_silence_a_rule() {
    // 人均纯收入 blank on H2: `< 5000` and `not (< 5000)` are both not true there.
    let head = head!("人均纯收入（元）");
    let rows = ["H1,@,脱贫户,4000", "H2,@,脱贫户,", "H3,@,脱贫户,6000"];
    let text = rule("XA01", "household", "人均纯收入 < 5000", "低 {人均纯收入}")
        + &rule(
            "XA02",
            "household",
            "not (人均纯收入 < 5000)",
            "不低 {人均纯收入}",
        )
        + &rule("XA03", "household", "blank(人均纯收入)", "空 {人均纯收入}");
    let r = with_rules(&text, head, &rows).unwrap();
    let msgs = |c: &str| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| &*f.code == c)
            .map(|f| f.message.clone())
            .collect()
    };
    assert_eq!(msgs("XA01"), ["低 4000"]);
    assert_eq!(msgs("XA02"), ["不低 6000"]);
    assert_eq!(msgs("XA03"), ["空 空"]);
}

#[test]
fn member_aggregates_count_each_household_once() {
    // H1: two members, one 残疾; H2: two healthy members; H3: one 患大病.
    let head = head!("健康状况");
    let rows = [
        "H1,@,脱贫户,残疾",
        "H1,@,脱贫户,健康",
        "H2,@,脱贫户,健康",
        "H2,@,脱贫户,健康",
        "H3,@,脱贫户,患大病",
    ];
    let text = rule(
        "XB01",
        "household",
        "any(健康状况 == '残疾')",
        "{户编号} 有残疾",
    ) + &rule(
        "XB02",
        "household",
        "all(健康状况 == '健康')",
        "{户编号} 全健康",
    ) + &rule(
        "XB03",
        "household",
        "count(健康状况 != '健康') == 成员行数 - 0",
        "{户编号} 无健康 {count(健康状况 != '健康')}",
    );
    let r = with_rules(&text, head, &rows).unwrap();
    let of = |c: &str| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| &*f.code == c)
            .map(|f| f.message.clone())
            .collect()
    };
    assert_eq!(of("XB01"), ["H1 有残疾"]);
    assert_eq!(of("XB02"), ["H2 全健康"]);
    assert_eq!(of("XB03"), ["H3 无健康 1"]);
}

#[test]
fn lists_sets_functions_and_personal_data_in_messages() {
    let head = head!("姓名", "劳动技能", "出生日期", "户联系电话");
    let rows = [
        "H1,@,脱贫户,张三丰,技能劳动力,19900101,1381234123",
        "H2,@,脱贫户,李四,无劳动力,20200101,13812341234",
    ];
    let text = rule(
        "XC01",
        "person",
        "劳动技能 not in ['无劳动力', '丧失劳动力'] and if(年龄 > 30, true, false)",
        "{姓名}：{劳动技能}，{年龄} 岁，{{原样}}",
    ) + &rule(
        "XC02",
        "household",
        "not is_mobile(户联系电话) and len(户联系电话) == 10",
        "电话 {户联系电话} 有 {len(户联系电话)} 位；截至 {截止日期:日期}",
    );
    let r = with_rules(&text, head, &rows).unwrap();
    let one = |c: &str| {
        let f: Vec<&Finding> = r.findings.iter().filter(|f| &*f.code == c).collect();
        assert_eq!(f.len(), 1, "{c}: {}", show(&r));
        f[0].message.clone()
    };
    // Names and phones are masked in messages; literal braces are written doubled.
    assert_eq!(one("XC01"), "张*：技能劳动力，34 岁，{原样}");
    let m = one("XC02");
    assert!(m.contains("有 10 位；截至 2024年6月30日"), "{m}");
    assert!(!m.contains("1381234123"), "{m}");
}

#[test]
fn rule_file_errors_name_the_rule_and_the_position() {
    let head = head!("劳动技能");
    let err = |when: &str| {
        with_rules(
            &rule("XD01", "person", when, "m"),
            head,
            &["H1,@,脱贫户,无劳动力"],
        )
        .unwrap_err()
        .to_string()
    };
    let e = err("劳动技能 in ['无劳动力', '壮劳力']");
    assert!(
        e.contains("第 18 个字符") && e.contains("「壮劳力」不是劳动技能的取值"),
        "{e}"
    );
    let e = err("(年龄 > 16");
    assert!(e.contains("第 9 个字符") && e.contains("应为「)」"), "{e}");
    let e = err("年龄 > '16'");
    assert!(e.contains("不能比较数值和文本"), "{e}");
    let e = err("any(年龄 > 16)");
    assert!(e.contains("只能用在户规则中"), "{e}");
    let e = err("'因病' has 致贫风险");
    assert!(e.contains("多选"), "{e}");
    // An unknown parameter in gonggu.toml is named.
    let ds = dataset(head, &["H1,@,脱贫户,无劳动力"], &[]);
    let mut p = params();
    p.params
        .insert("monitoring_lin".into(), Param::Num(7000.into()));
    let e = run_checks(&ds, &p).unwrap_err().to_string();
    assert!(e.contains("monitoring_lin") && e.contains("不存在"), "{e}");
    // A message placeholder that does not parse.
    let e = with_rules(
        &rule("XD02", "person", "true", "值 {劳动技能 ==}"),
        head,
        &["H1,@,脱贫户,无劳动力"],
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("规则 XD02 的提示文字（message）"), "{e}");
}
