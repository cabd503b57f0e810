//! `gonggu`: the command-line front end. Parses arguments and dispatches to one module per
//! subcommand. Each command resolves its flags once ([`resolve`]), lets `gonggu-core`
//! compute and `gonggu-render` package the files, and writes them all at once.

mod args;
mod cmd;
mod common;
mod resolve;
mod write;
mod zh;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// Exit code when `gonggu check` found suspicious records.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for errors that make the run meaningless (bad input, unwritable output).
pub const EXIT_ERROR: u8 = 2;

/// Set by the panic hook: whatever else happens, the run failed.
static PANICKED: AtomicBool = AtomicBool::new(false);

/// A panic is a bug of gonggu, never the user's data: say so in Chinese, with the place in
/// the code for the maintainers, and never Rust's English backtrace hint. Panics inside a
/// workbook library are caught by `gonggu-core` and become an error naming the file, so
/// the hook stays quiet for them.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if gonggu_core::ingest::reading_foreign_file() {
            return;
        }
        PANICKED.store(true, Ordering::SeqCst);
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        // `gonggu rules | head`: the reader went away; stop quietly like other tools.
        if what.contains("failed printing to stdout") && what.contains("Broken pipe") {
            std::process::exit(0);
        }
        eprintln!(
            "错误：gonggu 内部错误，运行已中止（位置 {at}：{what}）。这是 gonggu 的缺陷，不是数据的问题；请把所用命令和输入文件（注意保护个人信息）发给维护者。"
        );
    }));
}

fn main() -> ExitCode {
    install_panic_hook();
    write::install_interrupt_cleanup();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let cli = zh::parse();
        // Lets the tests check the hook (debug builds only).
        #[cfg(debug_assertions)]
        if std::env::var_os("GONGGU_TEST_PANIC").is_some() {
            panic!("GONGGU_TEST_PANIC");
        }
        cmd::run(cli.command)
    }));
    let code = match outcome {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            eprintln!("错误：{err:#}");
            ExitCode::from(EXIT_ERROR)
        }
        // The hook has said what happened.
        Err(_) => ExitCode::from(EXIT_ERROR),
    };
    if PANICKED.load(Ordering::SeqCst) {
        return ExitCode::from(EXIT_ERROR);
    }
    code
}
