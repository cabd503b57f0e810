//! A CSV roster piped in as `-` counts exactly like the same file named on the command line.

use std::io::Write;
use std::process::Stdio;

use super::*;

/// A small demo's roster in CSV, written once.
fn roster_csv() -> &'static Path {
    static DIR: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, roster) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let o = run(gonggu()
            .args(["demo", "--households", "300", "--format", "csv", "--out"])
            .arg(dir.path()));
        assert!(o.status.success(), "demo failed:\n{}", stderr(&o));
        let roster = dir.path().join("输入/监测对象信息.csv");
        assert!(
            roster.is_file(),
            "no roster in {:?}",
            files_under(dir.path())
        );
        (dir, roster)
    });
    roster
}

const OPTIONS: [&str; 6] = [
    "--level",
    "county",
    "--format",
    "json",
    "--as-of",
    "2021-11-30",
];

/// Runs `gonggu <args>` with `input` on standard input.
fn piped(args: &[&str], input: &[u8]) -> Output {
    let mut child = gonggu()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written from another thread: gonggu may answer before it has read everything.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    o
}

fn json_of_file() -> serde_json::Value {
    let o = run(gonggu().arg("compute").arg(roster_csv()).args(OPTIONS));
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn json_of_stdin(bytes: &[u8]) -> serde_json::Value {
    let mut args = vec!["compute", "-"];
    args.extend(OPTIONS);
    let o = piped(&args, bytes);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn compute_from_standard_input_equals_compute_from_the_file() {
    let bytes = std::fs::read(roster_csv()).unwrap();
    let from_file = json_of_file();
    assert!(
        from_file["indicators"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "{from_file}"
    );
    let from_stdin = json_of_stdin(&bytes);
    assert_eq!(
        from_stdin, from_file,
        "stdin:\n{from_stdin:#}\nfile:\n{from_file:#}"
    );
}

/// Exports from the national system are often GB18030: detected on standard input too.
#[test]
fn gb18030_on_standard_input() {
    let text = std::fs::read_to_string(roster_csv()).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let (gb, _, lossy) = encoding_rs::GB18030.encode(text);
    assert!(!lossy);
    assert!(std::str::from_utf8(&gb).is_err(), "the sample is not UTF-8");
    assert_eq!(json_of_stdin(&gb), json_of_file());
}

/// Standard input is read once: `-` twice, or for both periods, is refused before
/// anything is read; an empty pipe is said to be empty.
#[test]
fn standard_input_twice_or_empty() {
    let bytes = std::fs::read(roster_csv()).unwrap();
    let o = piped(&["compute", "-", "-", "--level", "county"], &bytes);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("只能读取一次"), "{}", stderr(&o));

    let o = piped(
        &["compute", "-", "--previous", "-", "--level", "county"],
        &bytes,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("只能读取一次") && stderr(&o).contains("--previous"),
        "{}",
        stderr(&o)
    );

    let o = piped(&["compute", "-", "--level", "county"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("标准输入") && stderr(&o).contains("空的"),
        "{}",
        stderr(&o)
    );
}

/// `check -` reads the piped roster as `check <file>` does.
#[test]
fn check_from_standard_input() {
    let bytes = std::fs::read(roster_csv()).unwrap();
    let args = ["check", "--as-of", "2021-11-30"];
    let file = run(gonggu().args(args).arg(roster_csv()));
    let mut with_dash = args.to_vec();
    with_dash.push("-");
    let stdin = piped(&with_dash, &bytes);
    assert_eq!(
        stdin.status.code(),
        file.status.code(),
        "{}",
        stderr(&stdin)
    );
    assert_eq!(stdout(&stdin), stdout(&file));
}
