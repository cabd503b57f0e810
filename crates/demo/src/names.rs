//! Names and parameters of the synthetic city (modelled on 商丘市): counties in official
//! order with their towns, and the parts used to make village and person names.
//!
//! Town names follow the real towns of each county closely enough to look familiar; 城关镇
//! deliberately occurs in several counties (region units are keyed by path, SPEC §2).

/// Per-county parameters. The differences between counties make rankings interesting while
/// keeping every ratio plausible.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CountySpec {
    /// Name as exported.
    pub name: &'static str,
    /// 6-digit administrative code (used in 证件号码, 户编号).
    pub code: &'static str,
    /// Share of the city's households.
    pub share: f64,
    /// Share of households that are monitored.
    pub monitor_rate: f64,
    /// Probability that a monitored household old enough to be eliminated is eliminated.
    pub elimination: f64,
    /// Share of covered households with a loan balance (商丘's real 户贷率, 2021-12).
    pub loan_rate: f64,
    /// Target certificate rate among labor.
    pub cert_rate: f64,
    /// Propensity of labor to work.
    pub employment: f64,
    /// Mean 人均纯收入 of unmonitored 脱贫户 (元).
    pub income_mean: f64,
    /// Spending progress of 衔接资金.
    pub spend: f64,
    /// Share of 衔接资金 in 产业发展 projects.
    pub industry_share: f64,
    /// Planned projects of the as-of year not yet started.
    pub not_started: usize,
    /// Share of planned projects completed.
    pub completion: f64,
    /// Number of projects.
    pub projects: usize,
    /// 务工就业目标人数 as a multiple of the employed 脱贫人口.
    pub target_factor: f64,
    /// Towns.
    pub towns: &'static [&'static str],
}

/// The ten county-level units of the city, in official order.
pub(crate) const COUNTIES: [CountySpec; 10] = [
    CountySpec {
        name: "永城市",
        code: "411481",
        share: 0.14,
        monitor_rate: 0.09,
        elimination: 0.55,
        loan_rate: 0.2441,
        cert_rate: 0.43,
        employment: 0.80,
        income_mean: 10900.0,
        spend: 0.72,
        industry_share: 0.62,
        not_started: 0,
        completion: 0.85,
        projects: 70,
        target_factor: 0.95,
        towns: &[
            "演集镇",
            "城厢乡",
            "侯岭乡",
            "黄口乡",
            "酂城镇",
            "薛湖镇",
            "芒山镇",
            "马桥镇",
            "陈集镇",
            "顺和镇",
            "蒋口镇",
            "龙岗镇",
        ],
    },
    CountySpec {
        name: "夏邑县",
        code: "411426",
        share: 0.15,
        monitor_rate: 0.10,
        elimination: 0.50,
        loan_rate: 0.1828,
        cert_rate: 0.41,
        employment: 0.85,
        income_mean: 10300.0,
        spend: 0.65,
        industry_share: 0.65,
        not_started: 0,
        completion: 0.78,
        projects: 80,
        target_factor: 0.93,
        towns: &[
            "城关镇",
            "会亭镇",
            "济阳镇",
            "李集镇",
            "车站镇",
            "杨集镇",
            "韩道口镇",
            "太平镇",
            "罗庄镇",
            "火店镇",
            "北岭镇",
            "马头镇",
        ],
    },
    CountySpec {
        name: "虞城县",
        code: "411425",
        share: 0.13,
        monitor_rate: 0.11,
        elimination: 0.45,
        loan_rate: 0.2154,
        cert_rate: 0.38,
        employment: 0.76,
        income_mean: 10000.0,
        spend: 0.58,
        industry_share: 0.58,
        not_started: 1,
        completion: 0.70,
        projects: 66,
        target_factor: 1.02,
        towns: &[
            "城关镇",
            "利民镇",
            "木兰镇",
            "杜集镇",
            "谷熟镇",
            "大杨集镇",
            "贾寨镇",
            "张集镇",
            "站集镇",
            "稍岗镇",
            "田庙乡",
        ],
    },
    CountySpec {
        name: "示范区",
        code: "411471",
        share: 0.04,
        monitor_rate: 0.08,
        elimination: 0.60,
        loan_rate: 0.1766,
        cert_rate: 0.36,
        employment: 0.70,
        income_mean: 11500.0,
        spend: 0.80,
        industry_share: 0.52,
        not_started: 0,
        completion: 0.88,
        projects: 32,
        target_factor: 1.08,
        towns: &["王楼乡", "观堂镇", "水池铺乡", "刘口乡", "平台镇"],
    },
    CountySpec {
        name: "梁园区",
        code: "411402",
        share: 0.06,
        monitor_rate: 0.09,
        elimination: 0.48,
        loan_rate: 0.1966,
        cert_rate: 0.40,
        employment: 0.72,
        income_mean: 11100.0,
        spend: 0.45,
        industry_share: 0.55,
        not_started: 0,
        completion: 0.66,
        projects: 38,
        target_factor: 0.98,
        towns: &["谢集镇", "双八镇", "孙福集乡", "周集乡", "李庄乡", "张阁镇"],
    },
    CountySpec {
        name: "睢阳区",
        code: "411403",
        share: 0.08,
        monitor_rate: 0.12,
        elimination: 0.40,
        loan_rate: 0.1991,
        cert_rate: 0.35,
        employment: 0.74,
        income_mean: 9500.0,
        spend: 0.52,
        industry_share: 0.50,
        not_started: 0,
        completion: 0.72,
        projects: 45,
        target_factor: 1.05,
        towns: &[
            "坞墙镇",
            "冯桥镇",
            "高辛镇",
            "郭村镇",
            "宋集镇",
            "路河镇",
            "李口镇",
            "毛堌堆镇",
        ],
    },
    CountySpec {
        name: "宁陵县",
        code: "411423",
        share: 0.09,
        monitor_rate: 0.10,
        elimination: 0.52,
        loan_rate: 0.2053,
        cert_rate: 0.42,
        employment: 0.78,
        income_mean: 10100.0,
        spend: 0.61,
        industry_share: 0.60,
        not_started: 0,
        completion: 0.80,
        projects: 50,
        target_factor: 0.97,
        towns: &[
            "城关回族镇",
            "张弓镇",
            "柳河镇",
            "逻岗镇",
            "石桥镇",
            "黄岗镇",
            "华堡镇",
            "阳驿乡",
        ],
    },
    CountySpec {
        name: "柘城县",
        code: "411424",
        share: 0.11,
        monitor_rate: 0.11,
        elimination: 0.47,
        loan_rate: 0.2694,
        cert_rate: 0.44,
        employment: 0.82,
        income_mean: 10600.0,
        spend: 0.80,
        industry_share: 0.63,
        not_started: 0,
        completion: 0.82,
        projects: 60,
        target_factor: 0.92,
        towns: &[
            "城关镇",
            "陈青集镇",
            "起台镇",
            "胡襄镇",
            "慈圣镇",
            "安平镇",
            "远襄镇",
            "岗王镇",
            "伯岗乡",
            "牛城乡",
        ],
    },
    CountySpec {
        name: "睢县",
        code: "411422",
        share: 0.10,
        monitor_rate: 0.10,
        elimination: 0.50,
        loan_rate: 0.2191,
        cert_rate: 0.39,
        employment: 0.77,
        income_mean: 9900.0,
        spend: 0.69,
        industry_share: 0.57,
        not_started: 2,
        completion: 0.74,
        projects: 55,
        target_factor: 1.01,
        towns: &[
            "城关镇",
            "西陵寺镇",
            "蓼堤镇",
            "潮庄镇",
            "长岗镇",
            "平岗镇",
            "周堂镇",
            "尚屯镇",
            "河集乡",
        ],
    },
    CountySpec {
        name: "民权县",
        code: "411421",
        share: 0.10,
        monitor_rate: 0.12,
        elimination: 0.42,
        loan_rate: 0.2286,
        cert_rate: 0.37,
        employment: 0.75,
        income_mean: 9700.0,
        spend: 0.42,
        industry_share: 0.61,
        not_started: 0,
        completion: 0.68,
        projects: 56,
        target_factor: 1.06,
        towns: &[
            "城关镇",
            "人和镇",
            "龙塘镇",
            "北关镇",
            "程庄镇",
            "王庄寨镇",
            "孙六镇",
            "白云寺镇",
            "双塔镇",
            "花园乡",
        ],
    },
];

/// The city the counties belong to.
pub(crate) const CITY: &str = "商丘市";

/// Common surnames of eastern 河南, most frequent first, with relative weights.
pub(crate) const SURNAMES: [(&str, u32); 48] = [
    ("王", 90),
    ("李", 85),
    ("张", 80),
    ("刘", 60),
    ("陈", 40),
    ("杨", 35),
    ("赵", 30),
    ("孙", 28),
    ("郭", 26),
    ("马", 25),
    ("朱", 24),
    ("胡", 22),
    ("徐", 20),
    ("高", 20),
    ("吕", 16),
    ("宋", 16),
    ("魏", 14),
    ("侯", 12),
    ("任", 12),
    ("程", 12),
    ("贾", 11),
    ("田", 11),
    ("孟", 10),
    ("石", 10),
    ("闫", 10),
    ("袁", 9),
    ("曹", 9),
    ("许", 9),
    ("丁", 8),
    ("常", 8),
    ("邓", 7),
    ("吴", 7),
    ("黄", 7),
    ("周", 7),
    ("韩", 7),
    ("牛", 6),
    ("姚", 6),
    ("申", 5),
    ("焦", 5),
    ("彭", 5),
    ("蔡", 5),
    ("司", 4),
    ("岳", 4),
    ("苗", 4),
    ("谢", 4),
    ("董", 4),
    ("范", 4),
    ("葛", 3),
];

/// Characters of given names for men.
pub(crate) const MALE_CHARS: [&str; 48] = [
    "伟", "强", "军", "勇", "建", "国", "明", "志", "海", "磊", "涛", "斌", "刚", "杰", "鹏", "辉",
    "超", "波", "华", "林", "亮", "龙", "成", "峰", "俊", "平", "东", "文", "宏", "新", "永", "全",
    "德", "金", "保", "长", "卫", "民", "庆", "春", "振", "学", "福", "喜", "浩", "宇", "博", "子",
];

/// Characters of given names for women.
pub(crate) const FEMALE_CHARS: [&str; 44] = [
    "芳", "娟", "敏", "静", "丽", "艳", "霞", "秀", "兰", "英", "玲", "梅", "凤", "燕", "萍", "红",
    "娜", "琳", "婷", "雪", "慧", "巧", "桂", "荣", "翠", "玉", "莲", "花", "云", "珍", "香", "爱",
    "春", "素", "金", "小", "欣", "怡", "雨", "佳", "梦", "晴", "悦", "可",
];

/// Prefixes of village names (empty = none).
pub(crate) const VILLAGE_PREFIX: [&str; 14] = [
    "", "", "", "", "", "前", "后", "东", "西", "南", "北", "大", "小", "新",
];

/// Suffixes of village names (before 村).
pub(crate) const VILLAGE_SUFFIX: [&str; 20] = [
    "庄", "楼", "寨", "集", "庙", "桥", "营", "屯", "店", "口", "湖", "岗", "堂", "园", "洼", "坊",
    "堤", "阁", "圈", "台",
];

/// Items of 产业发展 project names.
pub(crate) const INDUSTRY_ITEMS: [&str; 10] = [
    "食用菌大棚建设项目",
    "蔬菜种植基地建设项目",
    "肉牛养殖场建设项目",
    "扶贫车间建设项目",
    "农产品冷库建设项目",
    "光伏电站提升项目",
    "农产品加工厂房建设项目",
    "特色林果种植项目",
    "西瓜育苗基地项目",
    "小杂粮加工项目",
];

/// Items of 基础设施 project names.
pub(crate) const INFRA_ITEMS: [&str; 6] = [
    "道路硬化项目",
    "生产桥建设项目",
    "农田水利设施项目",
    "排水沟渠整治项目",
    "安全饮水巩固提升项目",
    "机井配套项目",
];

/// Items of 乡村建设 project names.
pub(crate) const RURAL_ITEMS: [&str; 4] = [
    "人居环境整治项目",
    "村内道路亮化项目",
    "文化广场建设项目",
    "村卫生室提升项目",
];

/// County-level projects (no 乡(镇)): name item and type (0 就业帮扶, 1 其他).
pub(crate) const COUNTY_ITEMS: [(&str, u8); 4] = [
    ("雨露计划职业教育补助项目", 0),
    ("脱贫劳动力外出务工交通补助项目", 0),
    ("扶贫小额信贷贴息项目", 1),
    ("防贫保险项目", 1),
];
