//! Regression tests for what fuzzing found: every file in `fixtures/hostile/` is refused
//! with a Chinese error naming it, and the guards refuse it before calamine can panic on
//! it (a panic caught inside calamine is the last resort, not the plan).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use gonggu_core::ingest::{ReadOptions, read_inputs, reading_foreign_file};

static CAUGHT: AtomicUsize = AtomicUsize::new(0);

/// What each file's error must say, beyond its name.
const EXPECTED: &[(&str, &[&str])] = &[
    // Fuzzing (xls target): a MulRk record whose last column precedes its first made
    // calamine subtract with overflow (xls.rs:987).
    ("xls-mulrk-inverted-columns.xls", &["已损坏", "MulRk"]),
    // Fuzzing (xlsx target): `<dimension ref="A9:M6"/>` made calamine subtract with
    // overflow (xlsx/mod.rs:3048) when opening the sheet.
    ("xlsx-dimension-inverted.xlsx", &["dimension", "A9:M6"]),
];

fn hostile() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/hostile");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_hostile_file_is_refused_before_calamine_panics() {
    std::panic::set_hook(Box::new(|info| {
        if reading_foreign_file() {
            CAUGHT.fetch_add(1, Ordering::SeqCst);
        }
        eprintln!("{info}");
    }));
    let files = hostile();
    assert!(!files.is_empty());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let before = CAUGHT.load(Ordering::SeqCst);
        let e = read_inputs(std::slice::from_ref(&path), &ReadOptions::default()).expect_err(&name);
        let text = e.to_string();
        assert!(text.contains(&name), "{name}: {text}");
        assert_eq!(
            CAUGHT.load(Ordering::SeqCst),
            before,
            "{name}: calamine panicked: {text}"
        );
        if let Some((_, needles)) = EXPECTED.iter().find(|(f, _)| *f == name) {
            for n in *needles {
                assert!(text.contains(n), "{name}: missing 「{n}」 in {text}");
            }
        }
    }
}
