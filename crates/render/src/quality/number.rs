//! 核查编号: a stable number per finding, the same month after month, by which the towns'
//! answers are matched to the next month's findings.
//!
//! The number is the rule code and the first 50 bits of HMAC-SHA256 over (rule code,
//! 户编号, person), written in Crockford's base 32: `MN05-7K3Q9XW2PA`. The person is the ID
//! number (its first 18 characters, upper-cased), or, for a finding without a person (a
//! project), the source row. With the bureau's secret key (`[check] key`), whoever holds the
//! list cannot tell whether a given ID number is behind a number; without it, the built-in
//! key makes numbers stable but guessable from ID numbers, and the CLI says so.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use gonggu_core::ingest::returned::{NUMBER_ALPHABET, NUMBER_HASH_LEN};
use gonggu_core::model::Dataset;
use gonggu_core::validate::{CheckReport, Finding};

/// The key of the 核查编号.
#[derive(Clone)]
pub struct CheckKey {
    secret: Vec<u8>,
    builtin: bool,
}

impl std::fmt::Debug for CheckKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("CheckKey")
            .field("builtin", &self.builtin)
            .finish_non_exhaustive()
    }
}

/// The key used when the configuration has none: public, so numbers made with it can be
/// recomputed from an ID number by anyone.
const BUILTIN: &[u8] = b"gonggu check number, built-in key (not secret)";

impl CheckKey {
    /// The bureau's key (`[check] key` of gonggu.toml).
    pub fn new(secret: &str) -> CheckKey {
        CheckKey {
            secret: secret.trim().as_bytes().to_vec(),
            builtin: false,
        }
    }

    /// The built-in key, for a configuration without `[check] key`.
    pub fn builtin() -> CheckKey {
        CheckKey {
            secret: BUILTIN.to_vec(),
            builtin: true,
        }
    }

    /// Whether this is the built-in (public) key.
    pub fn is_builtin(&self) -> bool {
        self.builtin
    }

    /// The hash part (10 characters) of the number of (code, household, person).
    fn hash(&self, code: &str, household: &str, person: &str) -> String {
        // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.secret) else {
            return String::new();
        };
        for part in [code, household, person] {
            mac.update(part.as_bytes());
            // A separator no cell holds, so that ("A1", "2") and ("A", "12") differ.
            mac.update(&[0x1f]);
        }
        let digest = mac.finalize().into_bytes();
        let mut bits = 0u64;
        for b in digest.iter().take(8) {
            bits = (bits << 8) | u64::from(*b);
        }
        (0..NUMBER_HASH_LEN)
            .map(|i| {
                let v = (bits >> (64 - 5 * (i + 1))) & 0x1f;
                NUMBER_ALPHABET.get(v as usize).map_or('0', |&c| c as char)
            })
            .collect()
    }
}

/// The person part of a finding's number: the ID number's first 18 characters,
/// upper-cased; else the source row (sheet and row, not the file name, which changes
/// every month).
fn person(ds: &Dataset, f: &Finding) -> String {
    match f.id_number.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => id.chars().take(18).collect::<String>().to_uppercase(),
        _ => {
            let sheet = ds
                .sources
                .get(f.at.source as usize)
                .and_then(|s| s.sheet.clone())
                .unwrap_or_default();
            format!("{sheet}#{}", f.at.row)
        }
    }
}

/// The 核查编号 of every finding of `report`, in its order. Two findings of one rule,
/// household and person (rare) get `-2`, `-3`… after the number, in report order.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use gonggu_core::ingest::{read_inputs, ReadOptions};
/// use gonggu_core::validate::{run_checks, CheckParams};
/// use gonggu_render::quality::{check_numbers, CheckKey};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("名单.csv");
/// std::fs::write(&path, "县,乡,村,户编号,证件号码,户类型,人数\n\
///     夏邑县,城关镇,东关村,H1,410101199001011235,脱贫户,2\n").unwrap();
/// let ds = read_inputs(&[path], &ReadOptions::default()).unwrap();
/// let params = CheckParams::defaults(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()).unwrap();
/// let report = run_checks(&ds, &params).unwrap();
/// let key = CheckKey::new("本局的密钥");
/// let numbers = check_numbers(&ds, &report, &key);
/// let hh02 = numbers.iter().find(|n| n.starts_with("HH02-")).unwrap();
/// assert_eq!(hh02.len(), "HH02-".len() + 10);
/// assert!(!hh02.contains("1235"));
/// // The same key gives the same numbers; another key others.
/// assert_eq!(check_numbers(&ds, &report, &CheckKey::new("本局的密钥")), numbers);
/// assert_ne!(check_numbers(&ds, &report, &CheckKey::builtin()), numbers);
/// ```
pub fn check_numbers(ds: &Dataset, report: &CheckReport, key: &CheckKey) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    report
        .findings
        .iter()
        .map(|f| {
            let hash = key.hash(
                &f.code,
                f.household_id.as_deref().unwrap_or("").trim(),
                &person(ds, f),
            );
            let base = format!("{}-{hash}", f.code);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}-{n}") }
        })
        .collect()
}
