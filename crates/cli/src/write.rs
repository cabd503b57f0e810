//! Writing a command's files: all of them or none.
//!
//! Every file is first written in full to a temporary file beside its target (`.gonggu-*.tmp`,
//! created with the permissions an ordinary file gets: 0666 minus the umask), and only when
//! every one of them is complete are they renamed to their names. An error before that point
//! leaves nothing behind; so does Ctrl-C or a SIGTERM, whose handler removes the temporaries
//! still on disk. Nothing is written over a file the command reads.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Result, anyhow, bail};
use gonggu_core::error::io_reason;
use gonggu_render::package::Package;
use tempfile::NamedTempFile;

/// Temporary files and created folders of the write in progress, for the signal handler.
static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn track(path: &Path) {
    if let Ok(mut live) = IN_PROGRESS.lock() {
        live.push(path.to_path_buf());
    }
}

fn untrack_all() {
    if let Ok(mut live) = IN_PROGRESS.lock() {
        live.clear();
    }
}

/// Removes what a write left half-done: temporaries, then folders it created (if empty).
fn remove_in_progress() {
    if let Ok(mut live) = IN_PROGRESS.lock() {
        for p in live.drain(..).rev() {
            if p.is_dir() {
                let _ = std::fs::remove_dir(&p);
            } else {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}

/// On Ctrl-C or SIGTERM: remove the temporaries of a write in progress and exit 130, so
/// an interrupted command leaves nothing behind.
pub fn install_interrupt_cleanup() {
    let _ = ctrlc::set_handler(|| {
        remove_in_progress();
        eprintln!("已中断：本次没有写出任何文件。");
        std::process::exit(130);
    });
}

/// The files of one command, rendered in memory, written only when all are ready.
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

    /// Writes every queued file, all or none: refuses any that would replace a file the
    /// command reads (`reads`, compared after resolving links) or a folder, writes each to
    /// a temporary beside its target, then renames them all. Prints each path written.
    ///
    /// # Errors
    /// A refused path, a folder that cannot be created, a disk that is full: then no
    /// queued file has been written.
    pub fn write(self, reads: &[PathBuf]) -> Result<Vec<PathBuf>> {
        let written = self.write_quietly(reads)?;
        for p in &written {
            eprintln!("已写出 {}", p.display());
        }
        Ok(written)
    }

    /// [`Outputs::write`] without printing the paths (the caller says what was written).
    ///
    /// # Errors
    /// As [`Outputs::write`].
    pub fn write_quietly(self, reads: &[PathBuf]) -> Result<Vec<PathBuf>> {
        let reads: Vec<PathBuf> = reads
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        let mut seen = BTreeSet::new();
        for (path, _) in &self.files {
            refuse(path, &reads)?;
            if !seen.insert(path.clone()) {
                bail!(
                    "同一次运行要写出两个同名文件 {}，请检查地区名称",
                    path.display()
                );
            }
        }
        let staged = stage(&self.files);
        let staged = match staged {
            Ok(s) => s,
            Err(e) => {
                remove_in_progress();
                return Err(e);
            }
        };
        let mut written = Vec::new();
        for (tmp, path) in staged {
            if let Err(e) = tmp.persist(&path) {
                // Undo what this run already put in place; the rest are still temporaries.
                for p in &written {
                    let _ = std::fs::remove_file(p);
                }
                remove_in_progress();
                bail!("无法写出 {}：{}", path.display(), io_reason(&e.error));
            }
            written.push(path);
        }
        untrack_all();
        Ok(written)
    }
}

/// Writes every file to a temporary beside its target.
fn stage(files: &[(PathBuf, Vec<u8>)]) -> Result<Vec<(NamedTempFile, PathBuf)>> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        create_dirs(&dir)?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".gonggu-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Created with 0666 and so reduced by the umask, as any program's new file is.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut tmp = builder
            .tempfile_in(&dir)
            .map_err(|e| anyhow!("无法在 {} 中写文件：{}", dir.display(), io_reason(&e)))?;
        track(tmp.path());
        tmp.write_all(bytes)
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| anyhow!("写入 {} 失败：{}", path.display(), io_reason(&e)))?;
        staged.push((tmp, path.clone()));
    }
    Ok(staged)
}

/// Creates a folder and its missing parents, remembering each one created so that a
/// failed or interrupted write can remove them again.
fn create_dirs(dir: &Path) -> Result<()> {
    let mut missing = Vec::new();
    let mut d = Some(dir);
    while let Some(p) = d {
        if p.as_os_str().is_empty() || p.exists() {
            break;
        }
        missing.push(p.to_path_buf());
        d = p.parent();
    }
    for p in missing.into_iter().rev() {
        std::fs::create_dir(&p)
            .map_err(|e| anyhow!("无法创建目录 {}：{}", p.display(), io_reason(&e)))?;
        track(&p);
    }
    if !dir.as_os_str().is_empty() && !dir.is_dir() {
        bail!("{} 不是目录，无法在其中写出文件", dir.display());
    }
    Ok(())
}

/// Refuses an output that is a folder or a file the command reads.
fn refuse(out: &Path, reads: &[PathBuf]) -> Result<()> {
    if out.is_dir() {
        bail!("输出路径 {} 是一个目录，请换一个文件名", out.display());
    }
    if let Ok(canonical) = std::fs::canonicalize(out)
        && reads.contains(&canonical)
    {
        bail!(
            "输出文件 {} 是本次读取的文件：gonggu 从不修改输入、配置或指标目录文件，请换一个输出路径",
            out.display()
        );
    }
    Ok(())
}

/// Writes one file, atomically (for commands that write a single file).
///
/// # Errors
/// As [`Outputs::write`].
pub fn write_one(path: &Path, bytes: Vec<u8>, reads: &[PathBuf]) -> Result<()> {
    let mut out = Outputs::default();
    out.add(path.to_path_buf(), bytes);
    out.write(reads).map(|_| ())
}
