//! One module per subcommand.

mod bench;
mod brief;
mod check;
mod compute;
mod demo;
mod evaluate;
mod explain;
mod history;
mod indicators;
mod init;
mod notice;
mod rules;
mod run;
mod template;

use std::process::ExitCode;

use anyhow::Result;

use crate::args::Command;

/// Runs one subcommand.
pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Demo(a) => demo::run(&a),
        Command::Check(a) => check::run(&a),
        Command::Compute(a) => compute::run(&a),
        Command::Notice(a) => notice::run(&a),
        Command::Brief(a) => brief::run(&a),
        Command::Evaluate(a) => evaluate::run(&a),
        Command::Explain(a) => explain::run(&a),
        Command::Rules(a) => rules::run(&a),
        Command::Indicators(a) => indicators::run(&a),
        Command::Run(a) => run::run(&a),
        Command::History(a) => history::run(&a),
        Command::Init(a) => init::run(&a),
        Command::Template(a) => template::run(&a),
        Command::Bench(a) => bench::run(&a),
    }
}
