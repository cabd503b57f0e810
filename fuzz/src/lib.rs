//! What the fuzz targets share: reading bytes as an input file through the public
//! `gonggu_core::ingest::read_inputs`, and a panic hook that tells a caught panic (inside a
//! workbook library, where gonggu turns it into an error) from one that escapes.

use std::path::PathBuf;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

use gonggu_core::ingest::{ReadOptions, read_inputs, reading_foreign_file};

/// Panics caught inside calamine since the start (printed by `GONGGU_FUZZ_VERBOSE=1`).
pub static CAUGHT: AtomicU64 = AtomicU64::new(0);

static HOOK: Once = Once::new();

/// Installs the hook once. A panic outside a shielded call aborts (libFuzzer reports a
/// crash); one inside is gonggu's last resort working as designed and is counted, unless
/// `GONGGU_FUZZ_STRICT=1` asks to stop on those too (to find what the guards miss).
pub fn hook() {
    HOOK.call_once(|| {
        let strict = std::env::var_os("GONGGU_FUZZ_STRICT").is_some();
        let verbose = std::env::var_os("GONGGU_FUZZ_VERBOSE").is_some();
        std::panic::set_hook(Box::new(move |info| {
            if reading_foreign_file() && !strict {
                CAUGHT.fetch_add(1, Ordering::Relaxed);
                if verbose {
                    eprintln!("caught inside calamine: {info}");
                }
                return;
            }
            eprintln!("{info}");
            std::process::abort();
        }));
    });
}

fn scratch(ext: &str) -> PathBuf {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("gonggu-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir.join(format!("输入.{ext}"))
}

/// Writes `data` to a scratch file named `输入.<ext>` and reads it as gonggu would. Any
/// `Err` is fine; a panic that escapes, an abort, a timeout or running out of memory is a
/// finding.
pub fn read_as(ext: &str, data: &[u8], strict: bool) {
    hook();
    let path = scratch(ext);
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let opts = ReadOptions {
        strict,
        ..ReadOptions::default()
    };
    let r = read_inputs(std::slice::from_ref(&path), &opts);
    if let Err(e) = r {
        // Every message is Chinese and names the file.
        let text = e.to_string();
        assert!(text.contains("输入"), "error without the file name: {text}");
    }
}
