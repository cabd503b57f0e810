//! Command-line arguments (clap derive types only).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use gonggu_core::config::parse_date_setting;

/// A date flag (`2021-11-30`, `2021年11月30日`, `202111` …), with a Chinese error.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    parse_date_setting(text, "命令行", "日期").map_err(|e| e.to_string())
}

/// `1`/`0` (also `true`/`false`, `是`/`否`).
fn parse_switch(text: &str) -> Result<bool, String> {
    match text.trim() {
        "1" | "true" | "是" | "yes" => Ok(true),
        "0" | "false" | "否" | "no" => Ok(false),
        other => Err(format!("「{other}」不是开关值，请写 1 或 0")),
    }
}

/// 巩固（gonggu）：把防返贫监测系统、项目台账和小额信贷台账的导出数据，
/// 一条命令变成月通报排名表、领导简报、后评估材料和数据质量核查清单。
#[derive(Debug, Parser)]
#[command(
    name = "gonggu",
    version,
    about = "巩固（gonggu）：把防返贫监测系统、项目台账和小额信贷台账的导出数据，一条命令变成月通报排名表、领导简报、后评估材料和数据质量核查清单。",
    long_about = None
)]
pub struct Cli {
    /// 要执行的命令
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands (SPEC §7).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 生成一套合成的示例数据（仿商丘市 10 个县区）及全部报告
    #[command(
        override_usage = "gonggu demo --out <目录> [选项]",
        after_help = "示例：\n  gonggu demo --out 示例\n  gonggu demo --months 3 --out 示例"
    )]
    Demo(DemoArgs),
    /// 数据质量核查：列出疑似问题数据，按乡镇分表（证件号码等已脱敏）
    #[command(
        override_usage = "gonggu check <输入文件>... [--out 核查清单.xlsx] [选项]",
        after_help = "退出码：0 未发现问题，1 发现疑似问题，2 输入有错无法核查。\n\n示例：\n  gonggu check 数据/监测对象信息.xlsx --out 输出/数据质量核查清单.xlsx\n  gonggu check 数据/监测对象信息.xlsx --returned 上期核查清单 --out 输出/数据质量核查清单.xlsx --split county"
    )]
    Check(CheckArgs),
    /// 计算指标并输出 JSON / CSV / XLSX
    #[command(
        override_usage = "gonggu compute <输入文件>... --level <层级> [--format json|csv|xlsx] [--out <文件>] [选项]",
        after_help = "示例：\n  gonggu compute 数据/*.xlsx --level town --format csv --out 输出/指标.csv"
    )]
    Compute(ComputeArgs),
    /// 月通报：排名表（XLSX）和公文格式通报（PDF）
    #[command(
        override_usage = "gonggu notice <输入文件>... --level <层级> --out <目录> [选项]",
        after_help = "示例：\n  gonggu notice 数据/*.xlsx --level county --out 输出 --previous 上月数据/*.xlsx"
    )]
    Notice(NoticeArgs),
    /// 领导简报（PDF，1–2 页）
    #[command(
        override_usage = "gonggu brief <输入文件>... --level <层级> --out <文件.pdf> [选项]",
        after_help = "示例：\n  gonggu brief 数据/*.xlsx --level county --out 输出/领导简报.pdf"
    )]
    Brief(BriefArgs),
    /// 后评估材料：各指标对照目标的达标情况（XLSX + PDF + Word 版 DOCX）
    #[command(
        override_usage = "gonggu evaluate <输入文件>... --level <层级> --out <目录> [选项]",
        after_help = "示例：\n  gonggu evaluate 数据/*.xlsx --level county --out 输出"
    )]
    Evaluate(EvaluateArgs),
    /// 查看名单：列出某地区某个指标的分子、分母由哪些户、人、项目或贷款构成，未计入的说明原因
    #[command(
        override_usage = "gonggu explain <输入文件>... --indicator <指标> --region <地区> [--level <层级>] [--out <名单.xlsx>] [选项]",
        after_help = "示例：\n  gonggu explain 输入/*.xlsx --indicator 总贷款余额户贷率 --region 永城市\n  gonggu explain 输入/*.xlsx --indicator project_start_rate --region 夏邑县/城关镇 --out 名单.xlsx"
    )]
    Explain(ExplainArgs),
    /// 列出核查规则：代码、严重程度、读取的表、说明、所需的列，以及来自本县规则文件的规则
    #[command(
        override_usage = "gonggu rules [--config <文件>] [--fields]",
        after_help = "规则写在 rules.toml（内置）和 gonggu.toml 中 [check] rules 指定的本县规则文件里。\n\n示例：\n  gonggu rules\n  gonggu rules --fields"
    )]
    Rules(RulesArgs),
    /// 列出指标目录
    #[command(
        override_usage = "gonggu indicators [--all] [--catalog <文件>]",
        after_help = "示例：\n  gonggu indicators --all"
    )]
    Indicators(IndicatorsArgs),
    /// 一条命令做完一个月：按 gonggu.toml 的 [run] 读取当月文件，生成核查清单、通报、简报、后评估、指标数据和变动名单，并记入历史库
    #[command(
        override_usage = "gonggu run [年-月] [选项]",
        after_help = "不写月份时取有输入文件的最近一个月；统计截止日期为该月最后一天。\n上月对比取历史库 gonggu.db 中的上月记录（没有时取上月文件夹中的文件）。\n\n示例：\n  gonggu run 2021-11\n  gonggu run"
    )]
    Run(RunArgs),
    /// 历史库：列出已记录的月份，或导出某指标各地区逐月的表（CSV / XLSX）
    #[command(
        override_usage = "gonggu history [--indicator <指标>] [--format csv|xlsx] [--out <文件>] [选项]",
        after_help = "示例：\n  gonggu history\n  gonggu history --indicator loan_household_rate --format csv --out 户贷率逐月.csv\n  gonggu history --format xlsx --out 全部指标逐月.xlsx"
    )]
    History(HistoryArgs),
    /// 在当前目录写出带说明的 gonggu.toml
    #[command(
        override_usage = "gonggu init [--out <文件>] [--force]",
        after_help = "示例：\n  gonggu init"
    )]
    Init(InitArgs),
    /// 填报表：生成发给各县（乡镇）填写数字的 Excel 表，收回后可直接作为汇总表输入
    #[command(
        override_usage = "gonggu template --level <层级> --out <文件.xlsx> [选项]",
        after_help = "示例：\n  gonggu template --level county --out 填报表.xlsx\n  gonggu compute 收回/*.xlsx --level county"
    )]
    Template(TemplateArgs),
    /// 性能测试：生成数据（已有则复用），在新进程中先测 csv 库或 calamine 原始解析同一文件的基线，再测 gonggu 读取和计算（核查）的耗时、与基线之比、CPU 时间（用了几个核）和峰值内存（每户字节数）
    #[command(
        hide = true,
        override_usage = "gonggu bench <read|compute|check|resolve|notice|national> [--households <户数>] [--format csv|xlsx] [--dir <目录>] [--per-rule]"
    )]
    Bench(BenchArgs),
}

/// The level of the documents: counties or towns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocLevelArg {
    /// 按县（市、区）排名
    County,
    /// 按乡镇排名
    Town,
}

/// 统计层级.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    /// 按县（市、区）排名
    County,
    /// 按乡镇排名
    Town,
    /// 按行政村排名
    Village,
}

/// Options shared by every command that computes indicators.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// 输入文件（xlsx/xlsm/xls/ods/csv），可多个：人员表、项目台账、小额信贷台账、汇总表、目标表；写「-」则从标准输入读取一个 CSV（如 zcat 监测对象信息.csv.gz | gonggu compute - …）
    #[arg(required = true, value_name = "输入文件")]
    pub inputs: Vec<PathBuf>,
    /// 统计截止日期，如 2021-11-30（默认取配置文件中的日期，否则为今天）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// 上期数据文件，用于计算较上期变化和名次进退
    #[arg(long, num_args = 1.., value_name = "输入文件")]
    pub previous: Vec<PathBuf>,
    /// 上期截止日期（默认为本期截止日期上一个月的最后一天）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub previous_as_of: Option<NaiveDate>,
    /// 配置文件（默认读取当前目录的 gonggu.toml，如有）
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
    /// 指标目录文件（替换内置目录）
    #[arg(long, value_name = "文件")]
    pub catalog: Option<PathBuf>,
    /// 严格模式：任何无法识别的值都报错退出
    #[arg(long)]
    pub strict: bool,
    /// 在输出和提示信息中显示完整的证件号码、姓名和电话（默认脱敏）
    #[arg(long)]
    pub reveal_pii: bool,
}

/// `gonggu demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// 输出目录
    #[arg(long, value_name = "目录")]
    pub out: PathBuf,
    /// 户数（默认 20000）
    #[arg(long, default_value_t = 20_000)]
    pub households: usize,
    /// 人员表格式：xlsx（默认）或 csv（大规模数据请用 csv）
    #[arg(long, value_enum, default_value_t = DemoFormatArg::Xlsx)]
    pub format: DemoFormatArg,
    /// 随机种子（默认 2021；相同种子生成相同数据）
    #[arg(long, default_value_t = 2021)]
    pub seed: u64,
    /// 连续月数（默认 1）：大于 1 时按月写出同一批农户连续几个月的导出数据（数据/年-月/）和带 [run] 的
    /// gonggu.toml，之后在该目录运行 gonggu run 即可逐月生成文稿
    #[arg(long, default_value_t = 1, value_name = "月数")]
    pub months: usize,
    /// 字体选项
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Where fonts come from.
#[derive(Debug, Args)]
pub struct FontArgs {
    /// 额外的字体目录
    #[arg(long, value_name = "目录")]
    pub font_dir: Vec<PathBuf>,
    /// 是否使用系统已安装的字体：1（默认）或 0（只用 --font-dir 和配置中的字体目录；也可设环境变量 GONGGU_SYSTEM_FONTS=0）
    #[arg(
        long,
        env = "GONGGU_SYSTEM_FONTS",
        action = clap::ArgAction::Set,
        value_name = "1|0",
        default_value = "1",
        value_parser = parse_switch
    )]
    pub system_fonts: bool,
}

/// Roster format of the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoFormatArg {
    /// Excel 工作簿
    Xlsx,
    /// CSV（UTF-8）
    Csv,
}

/// `gonggu check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 输入文件；写「-」则从标准输入读取一个 CSV
    #[arg(value_name = "输入文件", required_unless_present = "list_rules")]
    pub inputs: Vec<PathBuf>,
    /// 核查清单输出文件（.xlsx）
    #[arg(long, value_name = "文件")]
    pub out: Option<PathBuf>,
    /// 列出全部核查规则（同 gonggu rules）
    #[arg(long)]
    pub list_rules: bool,
    /// 统计截止日期（用于计算年龄等）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// 配置文件
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
    /// 乡镇填好发回的上期核查清单（可写多个文件，或一个文件夹）：报告已解决、仍存在和新增的问题，并把核实情况和说明带入本期清单
    #[arg(long, value_name = "文件或文件夹", num_args = 1..)]
    pub returned: Vec<PathBuf>,
    /// 分开写出：county 为每县一个工作簿（核查清单-夏邑县.xlsx …，写在 --out 旁边）
    #[arg(long, value_name = "方式", requires = "out")]
    pub split: Option<SplitArg>,
    /// 读取选项
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How inputs are read and personal data shown (`check`, `run`).
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// 严格模式：任何无法识别的值都报错退出
    #[arg(long)]
    pub strict: bool,
    /// 显示完整的证件号码、姓名和电话（默认脱敏）
    #[arg(long)]
    pub reveal_pii: bool,
}

/// How `check --split` divides the check list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitArg {
    /// 每县一个工作簿
    County,
}

/// `gonggu rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// 配置文件（其中 [check] rules 指定本县规则文件）
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
    /// 列出规则条件中可用的字段（按表）
    #[arg(long)]
    pub fields: bool,
}

/// Output format of `compute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// JSON
    Json,
    /// CSV（带 BOM，Excel 可直接打开）
    Csv,
    /// Excel 工作簿（需 --out）
    Xlsx,
}

/// `gonggu compute`.
#[derive(Debug, Args)]
pub struct ComputeArgs {
    /// 共同参数
    #[command(flatten)]
    pub common: CommonArgs,
    /// 统计层级：county（县）、town（乡镇）或 village（行政村）
    #[arg(long, value_enum, value_name = "层级")]
    pub level: LevelArg,
    /// 输出格式：json（默认）、csv 或 xlsx
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    pub format: FormatArg,
    /// 输出文件（默认写到标准输出）
    #[arg(long, value_name = "文件")]
    pub out: Option<PathBuf>,
    /// 只输出这些指标（逗号分隔的指标 id；all 为指标目录中的全部指标和数据能算出的全部度量，即默认）
    #[arg(long, value_delimiter = ',', value_name = "指标,…")]
    pub indicators: Vec<String>,
}

/// Options of the PDF-producing commands.
#[derive(Debug, Args)]
pub struct PdfArgs {
    /// 字体选项
    #[command(flatten)]
    pub fonts: FontArgs,
    /// 同时写出 .typ 排版源文件和 .json 数据，可用 typst-cli 修改后重新编译
    #[arg(long)]
    pub emit_typst: bool,
}

/// `gonggu notice`.
#[derive(Debug, Args)]
pub struct NoticeArgs {
    /// 共同参数
    #[command(flatten)]
    pub common: CommonArgs,
    /// 统计层级：county（按县排名）或 town（按乡镇排名）
    #[arg(long, value_enum, value_name = "层级")]
    pub level: DocLevelArg,
    /// 输出目录
    #[arg(long, value_name = "目录")]
    pub out: PathBuf,
    /// 在排名表中附加各指标的柱状图
    #[arg(long)]
    pub charts: bool,
    /// 格式选项
    #[command(flatten)]
    pub formats: DocFormatArgs,
    /// PDF 选项
    #[command(flatten)]
    pub pdf: PdfArgs,
}

/// `--format pdf,docx` of the documents staff edit before signing (notice, brief,
/// evaluation).
#[derive(Debug, Args)]
pub struct DocFormatArgs {
    /// 文稿的格式，逗号分隔：pdf（版式文件）、docx（可编辑的 Word 文档）；默认两种都写
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        num_args = 1..,
        default_values_t = [DocFormatArg::Pdf, DocFormatArg::Docx],
        value_name = "格式,…"
    )]
    pub format: Vec<DocFormatArg>,
}

/// A form of a document (`--format pdf,docx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormatArg {
    /// PDF（按 GB/T 9704 排好的版式文件）
    Pdf,
    /// Word 文档（.docx，签发前可修改）
    Docx,
}

/// `gonggu brief`.
#[derive(Debug, Args)]
pub struct BriefArgs {
    /// 共同参数
    #[command(flatten)]
    pub common: CommonArgs,
    /// 统计层级：county（按县排名）或 town（按乡镇排名）
    #[arg(long, value_enum, value_name = "层级")]
    pub level: DocLevelArg,
    /// 输出的 PDF 文件（Word 文档写在同一目录，同名 .docx）
    #[arg(long, value_name = "文件.pdf")]
    pub out: PathBuf,
    /// 格式选项
    #[command(flatten)]
    pub formats: DocFormatArgs,
    /// PDF 选项
    #[command(flatten)]
    pub pdf: PdfArgs,
}

/// `gonggu evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// 共同参数
    #[command(flatten)]
    pub common: CommonArgs,
    /// 统计层级：county（按县排名）或 town（按乡镇排名）
    #[arg(long, value_enum, value_name = "层级")]
    pub level: DocLevelArg,
    /// 输出目录
    #[arg(long, value_name = "目录")]
    pub out: PathBuf,
    /// 格式选项
    #[command(flatten)]
    pub formats: DocFormatArgs,
    /// PDF 选项
    #[command(flatten)]
    pub pdf: PdfArgs,
}

/// `gonggu explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// 输入文件（xlsx/xlsm/xls/ods/csv），可多个：人员表、项目台账、小额信贷台账等明细表；写「-」则从标准输入读取一个 CSV
    #[arg(required = true, value_name = "输入文件")]
    pub inputs: Vec<PathBuf>,
    /// 指标：编号（如 loan_household_rate）或中文名称（如 总贷款余额户贷率）；每个指标分量也可以
    #[arg(long, value_name = "指标")]
    pub indicator: String,
    /// 地区：名称（如 永城市），重名时写路径（如 夏邑县/城关镇）；写本级地区名称（如 商丘市）为合计
    #[arg(long, value_name = "地区")]
    pub region: String,
    /// 层级：county（县）、town（乡镇）或 village（行政村）；默认按地区所在的层级
    #[arg(long, value_enum, value_name = "层级")]
    pub level: Option<LevelArg>,
    /// 名单输出文件（.xlsx）；不写则在屏幕上显示前 20 行
    #[arg(long, value_name = "名单.xlsx")]
    pub out: Option<PathBuf>,
    /// 统计截止日期，如 2021-11-30（默认取配置文件中的日期，否则为输入文件标题中的数据日期或今天）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// 配置文件（默认读取当前目录的 gonggu.toml，如有）
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
    /// 指标目录文件（替换内置目录）
    #[arg(long, value_name = "文件")]
    pub catalog: Option<PathBuf>,
    /// 严格模式：任何无法识别的值都报错退出
    #[arg(long)]
    pub strict: bool,
    /// 在名单中显示完整的证件号码、姓名和电话（默认脱敏）
    #[arg(long)]
    pub reveal_pii: bool,
}

/// `gonggu indicators`.
#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    /// 指标目录文件（替换内置目录）
    #[arg(long, value_name = "文件")]
    pub catalog: Option<PathBuf>,
    /// 同时列出全部计数指标（每个指标分量）
    #[arg(long)]
    pub all: bool,
}

/// `gonggu template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// 填报单位：county（各县、市、区填写）或 town（各乡镇填写）
    #[arg(long, value_enum, value_name = "层级")]
    pub level: DocLevelArg,
    /// 写出的 Excel 文件
    #[arg(long, value_name = "文件.xlsx")]
    pub out: PathBuf,
    /// 只收集这些指标所需的数字（逗号分隔的指标 id；默认为通报的指标）
    #[arg(long, value_delimiter = ',', value_name = "指标,…")]
    pub indicators: Vec<String>,
    /// 统计截止日期（默认取配置文件中的日期，否则为今天）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// 配置文件（默认读取当前目录的 gonggu.toml，如有）
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
    /// 指标目录文件（替换内置目录）
    #[arg(long, value_name = "文件")]
    pub catalog: Option<PathBuf>,
}

/// A month on the command line (`2021-11`, `2021年11月` …), with a Chinese error.
fn parse_month(text: &str) -> Result<gonggu_core::config::run::Month, String> {
    gonggu_core::config::run::Month::parse(text).map_err(|e| e.to_string())
}

/// `gonggu run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// 月份，如 2021-11（默认：有输入文件的最近一个月）
    #[arg(value_name = "年-月", value_parser = parse_month)]
    pub month: Option<gonggu_core::config::run::Month>,
    /// 配置文件（默认读取当前目录的 gonggu.toml）；输入、输出和历史库的相对路径都从它所在的目录算起
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
    /// 读取选项
    #[command(flatten)]
    pub read: ReadArgs,
    /// 字体选项
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Format of a `gonggu history` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormatArg {
    /// CSV（带 BOM，Excel 可直接打开）
    Csv,
    /// Excel 工作簿
    Xlsx,
}

/// `gonggu history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// 指标：编号（如 loan_household_rate）或中文名称；不写则导出全部指标
    #[arg(long, value_name = "指标")]
    pub indicator: Option<String>,
    /// 表格格式：csv 或 xlsx（默认按 --out 的扩展名，否则 csv）
    #[arg(long, value_enum)]
    pub format: Option<TableFormatArg>,
    /// 输出文件（不写则 CSV 显示在屏幕上）
    #[arg(long, value_name = "文件")]
    pub out: Option<PathBuf>,
    /// 层级：county 或 town（默认取 [run] level）
    #[arg(long, value_enum, value_name = "层级")]
    pub level: Option<DocLevelArg>,
    /// 配置文件（默认读取当前目录的 gonggu.toml）；历史库 gonggu.db 在它旁边
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
}

/// `gonggu init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// 写出的文件（默认 gonggu.toml）
    #[arg(long, default_value = "gonggu.toml", value_name = "文件")]
    pub out: PathBuf,
    /// 覆盖已有文件
    #[arg(long)]
    pub force: bool,
}

/// `gonggu bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// 测什么：read（只读取）、compute（读取并计算全部指标）、check（读取并核查）、resolve（解析务工所在地）、notice（完整生成月通报）、national（全国规模）
    #[arg(value_enum)]
    pub what: BenchWhat,
    /// 户数（默认 10000；national 默认 2000000，即每份的户数。省级约 2000000 户、700 万人）
    #[arg(long)]
    pub households: Option<usize>,
    /// 数据格式
    #[arg(long, value_enum, default_value_t = DemoFormatArg::Csv)]
    pub format: DemoFormatArg,
    /// 生成数据的目录（默认临时目录）：其中已有人员表则直接复用，没有则先生成到这里
    #[arg(long, value_name = "目录")]
    pub dir: Option<PathBuf>,
    /// 只用于 bench check：另外逐条测出每条核查规则单独运行的耗时（每行纳秒数）。每条规则要把全部数据再核查三遍，省级规模要很久
    #[arg(long)]
    pub per_rule: bool,
    /// 只用于 bench national：人员表复制几份（每份的户编号、证件号码和县名各不相同）
    #[arg(long, default_value_t = 15)]
    pub copies: u32,
}

/// What `bench` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BenchWhat {
    /// 读取人员表
    Read,
    /// 读取并按县、乡镇计算全部指标
    Compute,
    /// 读取并运行全部核查规则
    Check,
    /// 解析务工所在地地址（全国各县的不同写法，每条不同），给出每秒解析条数
    Resolve,
    /// 月通报：把目录中的全部输入文件交给 gonggu notice，按县、按乡镇排名各完整运行三次（读取、计算、写出通报表、PDF 和 Word），给出每次的墙钟时间。县级用户的数据用 --format xlsx
    Notice,
    /// 全国规模：把生成的人员表（--households 户，默认 2000000）改写户编号、证件号码和县名后复制 --copies 份（默认 15 份，约 3000 万户、1 亿人），经管道流式送入 gonggu，按县计算全部指标
    National,
}
