//! `gonggu bench national`: the whole country on this machine. The generated roster (one
//! province, 2 M households) is written out `--copies` times through a pipe into a child
//! gonggu reading standard input, as `zcat … | gonggu compute -` would feed it; each copy
//! gets its own 户编号, 证件号码 (valid check digits) and county names, so that the child
//! sees some 30 M distinct households, 100 M persons and 150 counties. The child reads and
//! computes every indicator by county and prints its own wall and CPU time, rows/s and
//! peak memory per household: the feeding process is not counted in its memory.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, Result, bail};
use gonggu_core::catalog::Catalog;
use gonggu_core::ingest::{ReadOptions, STDIN_PATH, read_inputs};
use gonggu_core::region::Level;

use super::{Span, peak_rss};
use crate::args::{BenchArgs, DemoFormatArg};

/// The province codes the copies' 户编号 and 证件号码 begin with: the first is the
/// generated one's own (河南, 41).
const PROVINCES: [&[u8; 2]; 31] = [
    b"41", b"11", b"12", b"13", b"14", b"15", b"21", b"22", b"23", b"31", b"32", b"33", b"34",
    b"35", b"36", b"37", b"42", b"43", b"44", b"45", b"46", b"50", b"51", b"52", b"53", b"54",
    b"61", b"62", b"63", b"64", b"65",
];

/// Where the columns a copy rewrites are.
struct Columns {
    county: Option<usize>,
    /// 户编号 and 人编号: the province digits replaced.
    codes: Vec<usize>,
    /// 证件号码 and 户主证件号码: the province digits replaced and the check digit
    /// computed again.
    ids: Vec<usize>,
    last: usize,
}

impl Columns {
    fn of(header: &[u8]) -> Result<Columns> {
        let header = std::str::from_utf8(header).context("样本人员表的表头不是 UTF-8")?;
        let names: Vec<&str> = header.trim_end().split(',').collect();
        let at = |name: &str| names.iter().position(|n| *n == name);
        let county = at("县");
        let codes: Vec<usize> = ["户编号", "人编号"].into_iter().filter_map(at).collect();
        let ids: Vec<usize> = ["证件号码", "户主证件号码"]
            .into_iter()
            .filter_map(at)
            .collect();
        if county.is_none() || !codes.contains(&at("户编号").unwrap_or(usize::MAX)) {
            bail!("样本人员表没有县或户编号列");
        }
        let last = county
            .into_iter()
            .chain(codes.iter().copied())
            .chain(ids.iter().copied())
            .max()
            .unwrap_or(0);
        Ok(Columns {
            county,
            codes,
            ids,
            last,
        })
    }
}

/// The check digit of the first 17 digits of a 证件号码 (GB 11643).
fn check_digit(digits: &[u8]) -> u8 {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d.saturating_sub(b'0')) * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// Writes `line` (a data row with its newline) as copy `copy`.
fn rewrite(line: &[u8], copy: usize, cols: &Columns, out: &mut Vec<u8>) -> Result<()> {
    let province = PROVINCES.get(copy).copied().unwrap_or(b"41");
    let mut start = 0;
    for i in 0..=cols.last {
        let end = line
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| b == b','))
            .map_or(line.len(), |p| start + p);
        let field = line.get(start..end).unwrap_or_default();
        if field.contains(&b'"') {
            bail!("样本人员表的字段含引号，无法逐行改写");
        }
        let mut owned = field.to_vec();
        if Some(i) == cols.county && copy > 0 {
            owned.extend_from_slice((copy + 1).to_string().as_bytes());
        }
        let digits = owned.len() >= 2 && owned[..2].iter().all(u8::is_ascii_digit);
        if digits && (cols.codes.contains(&i) || cols.ids.contains(&i)) {
            owned[..2].copy_from_slice(province);
        }
        if digits && cols.ids.contains(&i) && owned.len() == 18 {
            let check = check_digit(&owned[..17]);
            owned[17] = check;
        }
        out.extend_from_slice(&owned);
        if end >= line.len() {
            return Ok(());
        }
        out.push(b',');
        start = end + 1;
    }
    out.extend_from_slice(line.get(start..).unwrap_or_default());
    Ok(())
}

/// Feeds `copies` rewritten copies of `tile` to `out`; the data rows written.
fn feed(tile: &Path, copies: usize, out: impl Write) -> Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut rows = 0u64;
    let mut line = Vec::new();
    let mut buf = Vec::new();
    let mut cols: Option<Columns> = None;
    for copy in 0..copies {
        let f = std::fs::File::open(tile).with_context(|| format!("读取 {}", tile.display()))?;
        let mut r = BufReader::with_capacity(1 << 20, f);
        line.clear();
        r.read_until(b'\n', &mut line)?;
        if copy == 0 {
            out.write_all(&line)?;
            let header = line.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&line);
            cols = Some(Columns::of(header)?);
        }
        let Some(cols) = cols.as_ref() else {
            bail!("样本人员表没有表头");
        };
        loop {
            line.clear();
            if r.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            buf.clear();
            rewrite(&line, copy, cols, &mut buf)?;
            if out.write_all(&buf).is_err() {
                // The child stopped reading: it says why.
                return Ok(rows);
            }
            rows += 1;
        }
    }
    out.flush().ok();
    Ok(rows)
}

/// Refuses what `bench national` cannot do, before any data is generated.
pub(super) fn check_args(a: &BenchArgs) -> Result<()> {
    if a.format != DemoFormatArg::Csv {
        bail!("bench national 只用 CSV（流式送入）");
    }
    if a.copies == 0 || a.copies as usize > PROVINCES.len() {
        bail!("--copies 应在 1 到 {} 之间", PROVINCES.len());
    }
    Ok(())
}

/// The parent: starts the child reading standard input and feeds it the copies.
pub(super) fn stream(a: &BenchArgs, tile: &Path, mut child: Command) -> Result<ExitCode> {
    let copies = a.copies as usize;
    eprintln!("把 {} 复制 {copies} 份，经管道送入 gonggu", tile.display());
    let mut proc = child.stdin(Stdio::piped()).spawn()?;
    let Some(stdin) = proc.stdin.take() else {
        bail!("无法向测量进程送数据");
    };
    let fed = feed(tile, copies, stdin);
    let status = proc.wait()?;
    let rows = fed?;
    eprintln!("送出 {rows} 行");
    if !status.success() {
        bail!("测量进程失败：{status}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The child: reads the roster from standard input and computes every indicator by county.
pub(super) fn measure(a: &BenchArgs) -> Result<ExitCode> {
    let opts = ReadOptions {
        skip_texts: true,
        ..ReadOptions::default()
    };
    let stdin = [PathBuf::from(STDIN_PATH)];
    let (ds, read) = Span::of(|| read_inputs(&stdin, &opts).context("读取标准输入"))?;
    let rows = ds.sources.iter().map(|s| s.rows).sum::<u64>();
    let households = ds.roster.households.len();
    println!(
        "gonggu 读取（{} 份，流式）：{rows} 行（{} 人，{households} 户）{:.1} s = {:.0} 行/s，{}",
        a.copies,
        ds.roster.facts.len(),
        read.wall,
        rows as f64 / read.wall,
        read.cpu_text()
    );
    let catalog = Catalog::builtin()?;
    let (report, compute) =
        Span::of(|| super::compute(&ds, &catalog, Level::County, super::as_of()))?;
    let all = read.then(compute);
    println!(
        "gonggu 按县计算全部指标：{} 个县，{:.1} s；读取 + 计算 {:.1} s（{:.1} 分钟，目标 < 10 分钟），{:.0} 行/s，{}",
        report.rows.len(),
        compute.wall,
        all.wall,
        all.wall / 60.0,
        rows as f64 / all.wall,
        all.cpu_text()
    );
    if let Some(bytes) = peak_rss() {
        println!(
            "峰值内存（VmHWM，测量进程；送数据的进程另计）：{:.2} GB（目标 < 9 GB）= {:.0} 字节/户",
            bytes as f64 / (1u64 << 30) as f64,
            bytes as f64 / households.max(1) as f64
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_get_their_own_numbers_and_counties() {
        let header = "序号,县,乡,村,户编号,户主证件号码,人编号,证件号码\n";
        let cols = Columns::of(header.as_bytes()).unwrap();
        let row = "1,永城市,演集镇,彭圈村,41148110020000001,411481195912060250,4114811002000000101,411481195912060250,尾\n";
        let mut out = Vec::new();
        rewrite(row.as_bytes(), 0, &cols, &mut out).unwrap();
        assert_eq!(String::from_utf8(out.clone()).unwrap(), row);
        out.clear();
        rewrite(row.as_bytes(), 2, &cols, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let fields: Vec<&str> = text.trim_end().split(',').collect();
        assert_eq!(fields[1], "永城市3");
        assert_eq!(fields[4], "12148110020000001");
        assert_eq!(fields[6], "1214811002000000101");
        assert!(fields[7].starts_with("12148119591206025"));
        assert_eq!(
            fields[7].as_bytes()[17],
            check_digit(&fields[7].as_bytes()[..17])
        );
        assert_eq!(fields[8], "尾");
        // The original's check digit is valid, so the rule is the standard one.
        assert_eq!(check_digit(b"41148119591206025"), b'0');
    }
}
