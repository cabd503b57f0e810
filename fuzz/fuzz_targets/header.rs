//! Header detection: a table whose header row mixes known column names (in any of the
//! spellings exports use: full- or half-width brackets, spaces, line breaks), free text,
//! duplicates and title rows above it, read as a CSV. gonggu finds the header or says why
//! not; never a panic.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

/// Column names and aliases of SPEC §3 (some), and words of other tables.
const NAMES: &[&str] = &[
    "县(市、区、旗)",
    "县",
    "县区",
    "县(市、区)",
    "乡(镇)",
    "乡",
    "乡镇",
    "镇",
    "行政村",
    "村",
    "户编号",
    "证件号码",
    "身份证号",
    "身份证号码",
    "户类型",
    "姓名",
    "与户主关系",
    "人数",
    "家庭人口数",
    "监测对象类别",
    "识别监测时间",
    "风险是否消除",
    "消除监测时间",
    "致贫/返贫风险1",
    "人均纯收入（元）",
    "人均纯收入",
    "劳动技能",
    "务工所在地",
    "是否持证",
    "公益性岗位",
    "帮扶措施",
    "产业帮扶",
    "公益岗位帮扶",
    "项目编号",
    "项目名称",
    "项目类型",
    "项目年度",
    "是否纳入年度实施计划",
    "衔接资金（万元）",
    "已支出衔接资金（万元）",
    "开工日期",
    "完工日期",
    "项目状态",
    "放款日期",
    "到期日期",
    "贷款金额（元）",
    "贷款余额（元）",
    "贷款状态",
    "地区",
    "户贷率",
    "脱贫户和监测户数",
    "贷款余额户数",
    "合计",
    "全县",
    "目标",
];

#[derive(Arbitrary, Debug)]
enum Column<'a> {
    Known { name: u8, spelling: u8 },
    Free(&'a str),
}

#[derive(Arbitrary, Debug)]
struct Table<'a> {
    titles: Vec<&'a str>,
    header: Vec<Column<'a>>,
    rows: Vec<Vec<&'a str>>,
    strict: bool,
}

fn spell(name: &str, how: u8) -> String {
    let mut s = match how % 4 {
        0 => name.to_string(),
        1 => name.replace('(', "（").replace(')', "）"),
        2 => name.replace('（', "(").replace('）', ")"),
        _ => name.chars().flat_map(|c| [c, ' ']).collect(),
    };
    if how & 4 != 0 {
        s.insert(0, ' ');
    }
    if how & 8 != 0 {
        let mid = s
            .char_indices()
            .nth(s.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        s.insert(mid, '\n');
    }
    if how & 16 != 0 {
        s.push('\u{3000}');
    }
    s
}

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fuzz_target!(|t: Table<'_>| {
    let mut csv = String::new();
    for title in t.titles.iter().take(3) {
        csv.push_str(&field(title));
        csv.push('\n');
    }
    let header: Vec<String> = t
        .header
        .iter()
        .take(60)
        .map(|c| match c {
            Column::Known { name, spelling } => {
                spell(NAMES[*name as usize % NAMES.len()], *spelling)
            }
            Column::Free(s) => s.to_string(),
        })
        .collect();
    csv.push_str(
        &header
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    csv.push('\n');
    for row in t.rows.iter().take(20) {
        csv.push_str(
            &row.iter()
                .take(60)
                .map(|c| field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        csv.push('\n');
    }
    gonggu_fuzz::read_as("csv", csv.as_bytes(), t.strict);
});
