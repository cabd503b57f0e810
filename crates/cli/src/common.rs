//! What every command shares at its edges: notes, reading inputs with a progress
//! indicator. Writing is [`crate::write`]'s.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use gonggu_core::config::Config;
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::mask::Pii;
use gonggu_core::model::Dataset;
use indicatif::{ProgressBar, ProgressStyle};

/// Prints a note for the user on standard error.
pub fn note(text: &str) {
    eprintln!("提示：{text}");
}

fn progress_bar(label: &str) -> Option<ProgressBar> {
    // Only for a person watching: not when output is piped or redirected, not in CI.
    let interactive = std::io::stderr().is_terminal()
        && std::io::stdout().is_terminal()
        && std::env::var_os("CI").is_none();
    if !interactive {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]") {
        bar.set_style(style);
    }
    bar.set_message(label.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

/// Reads input files into a dataset, with a progress spinner on a terminal.
/// Whether a read keeps the roster's text-only columns (民族, 住房面积…), names and phones:
/// only the check rules and the lists of persons read them, and keeping them costs a
/// province roster much of its read time and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// The run checks the data.
    Keep,
    /// The run only counts.
    Skip,
}

pub fn read_dataset(
    inputs: &[PathBuf],
    config: &Config,
    strict: bool,
    pii: Pii,
    texts: Texts,
) -> Result<Dataset> {
    let bar = progress_bar("正在读取输入文件");
    let progress: Option<Box<dyn Fn(u64) + Send + Sync>> = bar.clone().map(|b| {
        Box::new(move |n: u64| b.set_message(format!("正在读取输入文件：已读 {n} 行")))
            as Box<dyn Fn(u64) + Send + Sync>
    });
    let opts = ReadOptions {
        progress,
        ..read_options(config, strict, pii, texts)
    };
    let ds = read_inputs(inputs, &opts);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(ds?)
}

fn read_options(config: &Config, strict: bool, pii: Pii, texts: Texts) -> ReadOptions {
    ReadOptions {
        aliases: config.aliases.clone(),
        region_aliases: config.region_aliases.clone(),
        region_name: config.region.name.clone(),
        region_code: config.region.code.clone(),
        region_codes: config.region_codes.clone(),
        strict,
        pii,
        progress: None,
        skip_texts: texts == Texts::Skip,
    }
}

/// Reads this period's inputs (as [`read_dataset`], with its progress bar) and last
/// period's at the same time, on a second thread: two workbooks take the time of one on a
/// two-core machine. Last period's read only counts (no texts).
pub fn read_both(
    inputs: &[PathBuf],
    previous: &[PathBuf],
    config: &Config,
    strict: bool,
    pii: Pii,
    texts: Texts,
) -> (Result<Dataset>, Result<Dataset>) {
    std::thread::scope(|s| {
        let earlier = s.spawn(|| {
            read_inputs(previous, &read_options(config, strict, pii, Texts::Skip))
                .map_err(anyhow::Error::from)
        });
        let now = read_dataset(inputs, config, strict, pii, texts);
        let earlier = earlier
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("读取上期数据的线程意外结束")));
        (now, earlier)
    })
}
