//! `gonggu`: the command-line front end. Parses arguments and dispatches to one module per
//! subcommand. Each command resolves its flags once ([`resolve`]), lets `gonggu-core`
//! compute and `gonggu-render` package the files, and writes them all at once.

mod args;
mod cmd;
mod common;
mod resolve;
mod write;
mod zh;

use std::process::ExitCode;

/// Exit code when `gonggu check` found suspicious records.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for errors that make the run meaningless (bad input, unwritable output).
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    write::install_interrupt_cleanup();
    let cli = zh::parse();
    match cmd::run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("错误：{err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
