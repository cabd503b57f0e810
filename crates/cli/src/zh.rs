//! The command line in Chinese: clap's help layout, headings and flags, and its errors
//! translated by kind, so that a county's staff never meet an English sentence.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use crate::args::Cli;

/// Help layout: what the command does, how to call it, its inputs and options, examples.
const HELP: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// Help layout of the top level, which lists the commands.
const TOP_HELP: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}\n\n每个命令的说明：gonggu <命令> --help{after-help}";

/// The clap command with Chinese help, headings and flags.
pub fn command() -> Command {
    let cmd = Cli::command()
        .help_template(TOP_HELP)
        .override_usage("gonggu <命令> [选项]")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号"),
        );
    localize(cmd)
}

/// Chinese help flag and headings, defaults and value lists left to the help texts (which
/// say them in Chinese), for a command and all its subcommands.
fn localize(cmd: Command) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let mut cmd = cmd
        .help_template(HELP)
        .disable_help_flag(true)
        .mut_args(|a| {
            let a = if a.get_action().takes_values() {
                a.hide_default_value(true)
                    .hide_possible_values(true)
                    .hide_env(true)
            } else {
                a
            };
            if a.is_positional() {
                a.help_heading("输入")
            } else {
                a.help_heading("选项")
            }
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示本帮助")
                .help_heading("选项"),
        );
    for name in names {
        cmd = cmd.mut_subcommand(name, localize);
    }
    cmd
}

/// Parses the command line; prints help, version or a Chinese error and exits when that
/// is what the user gets.
pub fn parse() -> Cli {
    parse_from(std::env::args_os())
}

fn parse_from(args: impl IntoIterator<Item = OsString>) -> Cli {
    let mut cmd = command();
    let parsed = cmd
        .try_get_matches_from_mut(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => cli,
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                let _ = e.print();
                std::process::exit(0);
            }
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
                let _ = cmd.print_help();
                std::process::exit(2);
            }
            _ => {
                eprintln!("{}", message(&e));
                std::process::exit(2);
            }
        },
    }
}

fn context(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
        Some(ContextValue::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// A clap error in Chinese: what is wrong, the usage line, where to read more.
pub fn message(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).join("、");
    let value = context(e, ContextKind::InvalidValue).join("、");
    let valid = context(e, ContextKind::ValidValue).join("、");
    let suggested_arg = context(e, ContextKind::SuggestedArg).join("、");
    let suggested_cmd = context(e, ContextKind::SuggestedSubcommand).join("、");
    let mut text = match e.kind() {
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::UnknownArgument => format!("不认识的参数「{arg}」"),
        ErrorKind::InvalidSubcommand => format!(
            "没有「{}」这个命令",
            context(e, ContextKind::InvalidSubcommand).join("")
        ),
        ErrorKind::InvalidValue if !valid.is_empty() => {
            format!("参数 {arg} 的值「{value}」无效，可选的值：{valid}")
        }
        ErrorKind::InvalidValue => format!("参数 {arg} 需要一个值"),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| format!("：{s}"))
                .unwrap_or_default();
            format!("参数 {arg} 的值「{value}」无效{why}")
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与其他参数同时使用"),
        ErrorKind::NoEquals => format!("参数 {arg} 的值要用等号写出"),
        ErrorKind::InvalidUtf8 => "命令行中有无法识别的字符（请使用 UTF-8 编码）".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    if !suggested_arg.is_empty() {
        text.push_str(&format!("，是不是想写「{suggested_arg}」？"));
    } else if !suggested_cmd.is_empty() {
        text.push_str(&format!("，是不是想用「{suggested_cmd}」？"));
    }
    let usage = context(e, ContextKind::Usage)
        .join("")
        .replace("Usage: ", "")
        .trim()
        .to_string();
    let mut out = format!("错误：{text}");
    if !usage.is_empty() {
        out.push_str(&format!("\n用法：{usage}"));
    }
    let command = usage
        .split_whitespace()
        .take(2)
        .filter(|w| !w.starts_with(['<', '[', '-']))
        .collect::<Vec<_>>()
        .join(" ");
    let command = if command.is_empty() {
        "gonggu".to_string()
    } else {
        command
    };
    out.push_str(&format!("\n查看帮助：{command} --help"));
    out
}

#[cfg(test)]
mod tests;
