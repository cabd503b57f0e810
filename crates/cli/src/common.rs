//! What every command shares at its edges: notes, reading inputs with a progress
//! indicator, and writing a command's files all at once, atomically.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use gonggu_core::config::Config;
use gonggu_core::ingest::{ReadOptions, read_inputs};
use gonggu_core::mask::Pii;
use gonggu_core::model::Dataset;
use gonggu_render::package::Package;
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
pub fn read_dataset(
    inputs: &[PathBuf],
    config: &Config,
    strict: bool,
    pii: Pii,
) -> Result<Dataset> {
    let bar = progress_bar("正在读取输入文件");
    let progress: Option<Box<dyn Fn(u64) + Send + Sync>> = bar.clone().map(|b| {
        Box::new(move |n: u64| b.set_message(format!("正在读取输入文件：已读 {n} 行")))
            as Box<dyn Fn(u64) + Send + Sync>
    });
    let opts = ReadOptions {
        aliases: config.aliases.clone(),
        region_aliases: config.region_aliases.clone(),
        region_name: config.region.name.clone(),
        region_code: config.region.code.clone(),
        region_codes: config.region_codes.clone(),
        strict,
        pii,
        progress,
    };
    let ds = read_inputs(inputs, &opts);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(ds?)
}

/// Files rendered in memory, written only when all rendered.
#[derive(Default)]
pub struct Outputs {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Outputs {
    /// Queues a file.
    pub fn add(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.push((path, bytes));
    }

    /// Queues the files of a package under `dir`.
    pub fn add_package(&mut self, dir: &Path, package: Package) {
        for f in package.files {
            self.add(dir.join(f.path), f.bytes);
        }
    }

    /// Refuses outputs that would overwrite an input, then writes every file atomically
    /// (temporary file in the same directory, then rename). Prints each path written.
    pub fn write(self, inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
        for (path, _) in &self.files {
            refuse_input(path, inputs)?;
        }
        let mut written = Vec::new();
        for (path, bytes) in self.files {
            write_atomic(&path, &bytes)?;
            eprintln!("已写出 {}", path.display());
            written.push(path);
        }
        Ok(written)
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Refuses an output path that equals an input path.
pub fn refuse_input(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    if inputs.iter().any(|i| same_file(out, i)) {
        bail!(
            "输出文件 {} 与输入文件相同：gonggu 从不修改输入文件，请换一个输出路径",
            out.display()
        );
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, renamed
/// over the target only when complete.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".gonggu-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .with_context(|| format!("无法在 {} 中创建临时文件", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("写入 {} 失败", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("无法写出 {}", path.display()))?;
    Ok(())
}
