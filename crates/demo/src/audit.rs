//! A literal reading of `crates/core/templates/rules.toml` over the cells exactly as written.
//!
//! The generator uses it to prove that every planted defect triggers its rule and no other
//! (a mutation that also trips another rule is undone and another household is tried), and
//! the tests use it to prove that unplanted data trigger nothing and that the manifest
//! matches the data. It reads rendered cells, not the typed records, so that what it checks
//! is what `gonggu check` will see.

#[cfg(test)]
use std::collections::HashMap;
use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::rows::{col, is_head_label, lcol, pcol, post_held};
use super::{DemoCell, DemoData, YearMonth};
use gonggu_core::model::Assistance;

/// Where a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum At {
    /// A roster row (person index).
    Person(usize),
    /// A household (index).
    Household(usize),
    /// A project row.
    Project(usize),
    /// A loan row.
    Loan(usize),
    /// A roster cell (person index, column).
    RosterCell(usize, usize),
    /// A project cell (project index, column).
    ProjectCell(usize, usize),
    /// A loan cell (loan index, column).
    LoanCell(usize, usize),
}

/// One finding: rule code and place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Finding {
    pub code: &'static str,
    pub at: At,
}

/// The rules this audit reads (the first 45 of `rules.toml`); the rules after them are held
/// to the real engine by the demo_manifest test only.
pub(crate) const RULES: [&str; 45] = [
    "ID01", "ID02", "ID03", "HH01", "HH02", "HH03", "MN01", "MN02", "MN03", "MN04", "MN05", "MN06",
    "MN07", "MN08", "MN09", "MN10", "HS01", "WK01", "WK02", "WK03", "WK04", "LB01", "LB02", "LB03",
    "LB04", "WP01", "ED01", "RK01", "RK02", "RK03", "RK04", "RK05", "RK06", "RK07", "SB01", "IN01",
    "IN02", "PH01", "PH02", "VL01", "VL02", "PJ01", "PJ02", "LN01", "LN02",
];

const LINE: f64 = 7500.0;
const MIN_MONTHS: i64 = 6;

fn text(c: &DemoCell) -> String {
    c.text().trim().to_string()
}

/// Number: blank → `Ok(None)`; thousands separators and a trailing 元 are accepted.
pub(crate) fn parse_number(c: &DemoCell) -> Result<Option<f64>, ()> {
    match c {
        DemoCell::Empty => Ok(None),
        DemoCell::Number(v) => Ok(Some(*v)),
        DemoCell::Date(_) => Err(()),
        DemoCell::Text(s) => {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            let s = s.strip_suffix('元').unwrap_or(s).replace(',', "");
            s.parse::<f64>().map(Some).map_err(|_| ())
        }
    }
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// Date: Excel date cells, `YYYYMMDD`, `YYYYMM` (last day), `YYYY-MM-DD`, `YYYY/M/D`,
/// `YYYY年M月D日`, `YYYY年M月`, `YYYY.MM`.
pub(crate) fn parse_date(c: &DemoCell) -> Result<Option<NaiveDate>, ()> {
    let s = match c {
        DemoCell::Empty => return Ok(None),
        DemoCell::Date(d) => return Ok(Some(*d)),
        DemoCell::Number(v) => number_date(*v)?,
        DemoCell::Text(s) => s.trim().to_string(),
    };
    if s.is_empty() {
        return Ok(None);
    }
    let digits = s.chars().all(|c| c.is_ascii_digit());
    let num = |a: &str| a.parse::<u32>().map_err(|_| ());
    if digits && s.len() == 8 {
        let (y, m, d) = (num(&s[..4])?, num(&s[4..6])?, num(&s[6..])?);
        return NaiveDate::from_ymd_opt(y as i32, m, d).map(Some).ok_or(());
    }
    if digits && s.len() == 6 {
        let (y, m) = (num(&s[..4])?, num(&s[4..])?);
        return last_day(y as i32, m).map(Some).ok_or(());
    }
    let t = s.replace(['年', '月'], "-").replace('日', "");
    let t = t.replace(['/', '.'], "-");
    let parts: Vec<&str> = t.split('-').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, m, d] => NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?)
            .map(Some)
            .ok_or(()),
        [y, m] if y.len() == 4 => last_day(num(y)? as i32, num(m)?).map(Some).ok_or(()),
        _ => Err(()),
    }
}

fn number_date(v: f64) -> Result<String, ()> {
    if v.fract() == 0.0 && (100_000.0..100_000_000.0).contains(&v) {
        // In a date column a 6- or 8-digit number is YYYYMM / YYYYMMDD.
        return Ok(format!("{}", v as i64));
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or(())?;
    let d = base + chrono::Duration::days(v.floor() as i64);
    Ok(d.format("%Y-%m-%d").to_string())
}

/// 是/否 (also Y/N, 1/0, √).
pub(crate) fn parse_yes_no(c: &DemoCell) -> Result<Option<bool>, ()> {
    match text(c).as_str() {
        "" => Ok(None),
        "是" | "Y" | "y" | "1" | "√" => Ok(Some(true)),
        "否" | "N" | "n" | "0" => Ok(Some(false)),
        _ => Err(()),
    }
}

/// Whether an ID text is invalid under ID01 (length, date, check digit, 999999).
pub(crate) fn id_invalid(s: &str) -> bool {
    let s = s.trim();
    if s.starts_with("999999") || !matches!(s.len(), 18 | 20 | 22) || !s.is_ascii() {
        return true;
    }
    let first17 = &s[..17];
    if !first17.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let date = &s[6..14];
    let ok_date = date
        .get(..4)
        .and_then(|y| y.parse::<i32>().ok())
        .and_then(|y| {
            let m = date.get(4..6)?.parse::<u32>().ok()?;
            let d = date.get(6..8)?.parse::<u32>().ok()?;
            NaiveDate::from_ymd_opt(y, m, d)
        });
    if ok_date.is_none() {
        return true;
    }
    let check = s[17..18].to_ascii_uppercase();
    super::gb11643_check_digit(first17).map(|c| c.to_string()) != Some(check)
}

/// Whether an ID cell is a number Excel stored (ID03).
pub(crate) fn id_was_number(c: &DemoCell) -> bool {
    match c {
        DemoCell::Number(_) => true,
        DemoCell::Text(s) => {
            let s = s.trim();
            s.contains("E+") && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

/// Class of a 务工所在地 (SPEC §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WorkClass {
    No,
    InCounty,
    InProvince,
    OutProvince,
    Unknown,
}

/// The class the generator meant by a 务工所在地 written for a household of `county` and
/// `town`: the value is looked up among everything the generator writes (its own list of
/// addresses and words, with the destination it intended), never placed by gonggu's
/// resolver. A value the generator does not write is unknown.
pub(crate) fn work_class(s: &str, county: &str, town: &str) -> WorkClass {
    use gonggu_core::model::WorkPlace as W;
    let s = s.trim();
    if s.is_empty() || s == "否" || s == "无" {
        return WorkClass::No;
    }
    let Some(ci) = super::names::COUNTIES.iter().position(|c| c.name == county) else {
        return WorkClass::Unknown;
    };
    let meant = super::Work::all_for(ci)
        .into_iter()
        .find(|w| w.text(county, town) == s);
    match meant.map(super::Work::class) {
        Some(W::InCounty) => WorkClass::InCounty,
        Some(W::InProvince) => WorkClass::InProvince,
        Some(W::OutProvince) => WorkClass::OutProvince,
        Some(W::NotWorking) => WorkClass::No,
        Some(W::Unknown) | None => WorkClass::Unknown,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Preschool,
    Primary,
    Junior,
    Senior,
    Higher,
    Graduate,
    Other,
}

/// Stage of a 在校生状况 text; `None` = not in school (blank, 学龄前儿童, 非在校生).
fn stage(s: &str) -> Option<Stage> {
    let s = s.trim();
    if s.is_empty() || s == "学龄前儿童" || s == "非在校生" {
        return None;
    }
    Some(if s == "学前教育" {
        Stage::Preschool
    } else if s.starts_with("小学") {
        Stage::Primary
    } else if s.contains("初中")
        || s.starts_with('七')
        || s.starts_with('八')
        || s.starts_with('九')
    {
        Stage::Junior
    } else if s.contains("高中") || s.contains("中职") {
        Stage::Senior
    } else if s.contains("硕士") || s.contains("研究生") {
        Stage::Graduate
    } else if s.contains("高职") || s.contains("本科") || s.contains("大专") || s.contains("技师")
    {
        Stage::Higher
    } else {
        Stage::Other
    })
}

fn measure_in_place(c: &DemoCell) -> bool {
    let s = text(c);
    !(s.is_empty() || s == "否" || s == "无")
}

/// Typed roster columns checked by VL01, with their kind.
const ROSTER_TYPED: [(usize, Kind); 13] = [
    (col::SIZE, Kind::Number),
    (col::BIRTH, Kind::Date),
    (col::WAGE, Kind::Number),
    (col::CERTIFIED, Kind::YesNo),
    (col::MEDICAL, Kind::YesNo),
    (col::SERIOUS, Kind::YesNo),
    (col::UNSAFE_HOUSING, Kind::YesNo),
    (col::SAFE_WATER, Kind::YesNo),
    (col::INCOME, Kind::Number),
    (col::WAGE_INCOME, Kind::Number),
    (col::IDENTIFIED, Kind::Date),
    (col::ELIMINATED, Kind::YesNo),
    (col::ELIMINATED_ON, Kind::Date),
];

#[derive(Debug, Clone, Copy)]
enum Kind {
    Number,
    Date,
    YesNo,
}

fn unparseable(c: &DemoCell, kind: Kind) -> bool {
    match kind {
        Kind::Number => parse_number(c).is_err(),
        Kind::Date => parse_date(c).is_err(),
        Kind::YesNo => parse_yes_no(c).is_err(),
    }
}

fn cell(row: &[DemoCell], c: usize) -> &DemoCell {
    row.get(c).unwrap_or(&DemoCell::Empty)
}

/// Findings of one household (all roster rules except the cross-household ID02 and PH02).
pub(crate) fn audit_household(data: &DemoData, h: usize) -> Vec<Finding> {
    let Some(hh) = data.households.get(h) else {
        return Vec::new();
    };
    let rows: Vec<(usize, Vec<DemoCell>)> = super::rows::household_rows(data, h)
        .into_iter()
        .enumerate()
        .map(|(i, r)| (hh.first_person + i, r))
        .collect();
    let mut out = audit_rows(data.options.as_of, h, &rows);
    let spells: Vec<Vec<DemoCell>> = data
        .persons
        .get(hh.person_range())
        .unwrap_or(&[])
        .iter()
        .flat_map(|p| super::work::spell_rows(data, p))
        .collect();
    out.extend(audit_spells(data.options.as_of, &rows, &spells));
    out
}

/// Class of a 务工所在县 of the spells for a household of `county`: the own county's name
/// is 县内, the generator's names of other counties of 河南 省内县外 and of counties
/// elsewhere 省外; anything else (the planted bare names several cities share) is unknown.
pub(crate) fn spell_class(s: &str, county: &str) -> WorkClass {
    let s = s.trim();
    if s.is_empty() {
        return WorkClass::Unknown;
    }
    if s == county {
        return WorkClass::InCounty;
    }
    let named = |l: &[&str]| l.contains(&s);
    if super::names::COUNTIES.iter().any(|c| c.name == s)
        || named(&super::work::PROVINCE_COUNTIES)
        || named(&super::work::HENAN_COUNTIES)
    {
        WorkClass::InProvince
    } else if named(&super::work::OUT_COUNTIES) || named(&super::work::ELSEWHERE_COUNTIES) {
        WorkClass::OutProvince
    } else {
        WorkClass::Unknown
    }
}

/// The class the spells give a person (by 证件号码) in the month of `as_of`: the 务工所在县
/// of a 是否已务工 是 spell that began by then and had not ended before, else not working.
pub(crate) fn spells_class(
    spells: &[Vec<DemoCell>],
    id: &str,
    county: &str,
    as_of: NaiveDate,
) -> WorkClass {
    use super::work::scol;
    let month = YearMonth::of(as_of);
    let covering = spells.iter().find(|r| {
        text(cell(r, scol::ID)) == id
            && text(cell(r, scol::WORKING)) == "是"
            && parse_date(cell(r, scol::START))
                .ok()
                .flatten()
                .is_some_and(|d| YearMonth::of(d) <= month)
            && parse_date(cell(r, scol::END))
                .is_ok_and(|e| e.is_none_or(|d| YearMonth::of(d) >= month))
    });
    match covering {
        Some(r) => spell_class(&text(cell(r, scol::PLACE)), county),
        None => WorkClass::No,
    }
}

/// WK04 over one household's roster rows and the spells of its persons: for a person of a
/// covered household (户类型 脱贫户 or 监测对象类别 filled), the class of the roster's
/// 务工所在地 differs from the class the spells give; no finding when either is unknown.
fn audit_spells(
    as_of: NaiveDate,
    rows: &[(usize, Vec<DemoCell>)],
    spells: &[Vec<DemoCell>],
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (p, row) in rows {
        let covered =
            text(cell(row, col::KIND)) == "脱贫户" || !text(cell(row, col::CATEGORY)).is_empty();
        if !covered {
            continue;
        }
        let county = text(cell(row, col::COUNTY));
        let roster = work_class(
            &text(cell(row, col::WORK)),
            &county,
            &text(cell(row, col::TOWN)),
        );
        let spell = spells_class(spells, &text(cell(row, col::ID)), &county, as_of);
        if roster != WorkClass::Unknown && spell != WorkClass::Unknown && roster != spell {
            out.push(Finding {
                code: "WK04",
                at: At::Person(*p),
            });
        }
    }
    out
}

fn audit_rows(as_of: NaiveDate, h: usize, rows: &[(usize, Vec<DemoCell>)]) -> Vec<Finding> {
    let mut out = Vec::new();
    macro_rules! push {
        ($code:expr, $at:expr) => {
            out.push(Finding {
                code: $code,
                at: $at,
            })
        };
    }

    // Person rules.
    for (p, row) in rows {
        let p = *p;
        for (c, kind) in ROSTER_TYPED {
            if unparseable(cell(row, c), kind) {
                push!("VL01", At::RosterCell(p, c));
            }
        }
        for c in [col::INCOME, col::WAGE] {
            if parse_number(cell(row, c))
                .ok()
                .flatten()
                .is_some_and(|v| v < 0.0)
            {
                push!("VL02", At::RosterCell(p, c));
            }
        }
        let id = cell(row, col::ID);
        if id_was_number(id) {
            push!("ID03", At::Person(p));
        } else if id_invalid(&text(id)) {
            push!("ID01", At::Person(p));
        }
        let age = parse_date(cell(row, col::BIRTH))
            .ok()
            .flatten()
            .map(|b| super::people::age_on(b, as_of));
        let labor = text(cell(row, col::LABOR));
        let health = text(cell(row, col::HEALTH));
        let school = stage(&text(cell(row, col::SCHOOL)));
        let post = post_held(&text(cell(row, col::POST)));
        let work = work_class(
            &text(cell(row, col::WORK)),
            &text(cell(row, col::COUNTY)),
            &text(cell(row, col::TOWN)),
        );
        if matches!(work, WorkClass::InProvince | WorkClass::OutProvince) && post {
            push!("WK01", At::Person(p));
        }
        if work == WorkClass::Unknown {
            push!("WK02", At::Person(p));
        }
        if parse_number(cell(row, col::WAGE))
            .ok()
            .flatten()
            .is_some_and(|v| !(100.0..=30000.0).contains(&v))
        {
            push!("WK03", At::Person(p));
        }
        if let Some(age) = age {
            if age < 16 && !labor.is_empty() && labor != "无劳动力" {
                push!("LB01", At::Person(p));
            }
            if age >= 16 && school.is_some() && !labor.is_empty() && labor != "无劳动力" {
                push!("LB02", At::Person(p));
            }
            if age >= 60 && (labor == "普通劳动力" || labor == "技能劳动力") {
                push!("LB03", At::Person(p));
            }
            if (16..=59).contains(&age)
                && health == "健康"
                && school.is_none()
                && (labor == "弱劳动力或半劳动力" || labor == "无劳动力")
            {
                push!("LB04", At::Person(p));
            }
            if post && !(16..70).contains(&age) {
                push!("WP01", At::Person(p));
            }
            let bad_grade = match school {
                Some(Stage::Preschool) => age >= 7,
                Some(Stage::Primary) => !(6..=14).contains(&age),
                Some(Stage::Junior) => !(12..=17).contains(&age),
                Some(Stage::Senior) => !(15..=20).contains(&age),
                Some(Stage::Higher) => age < 18,
                Some(Stage::Graduate) => age < 20,
                Some(Stage::Other) | None => false,
            };
            if bad_grade {
                push!("ED01", At::Person(p));
            }
        }
        if parse_yes_no(cell(row, col::MEDICAL)) == Ok(Some(false)) {
            push!("IN01", At::Person(p));
        }
        if parse_yes_no(cell(row, col::SERIOUS)) == Ok(Some(false)) {
            push!("IN02", At::Person(p));
        }
    }

    // Household rules: attributes from the 户主 row, else the first row.
    let Some((_, first)) = rows
        .iter()
        .find(|(_, r)| is_head_label(&text(cell(r, col::RELATION))))
        .or(rows.first())
    else {
        return out;
    };
    let at = At::Household(h);
    let heads = rows
        .iter()
        .filter(|(_, r)| is_head_label(&text(cell(r, col::RELATION))))
        .count();
    if heads != 1 {
        push!("HH01", at);
    }
    if parse_number(cell(first, col::SIZE))
        .ok()
        .flatten()
        .is_some_and(|n| n != rows.len() as f64)
    {
        push!("HH02", at);
    }
    if !matches!(
        text(cell(first, col::KIND)).as_str(),
        "脱贫户" | "普通农户" | "一般农户" | "非脱贫户"
    ) {
        push!("HH03", at);
    }
    let category = text(cell(first, col::CATEGORY));
    let monitored = !category.is_empty();
    if monitored
        && !matches!(
            category.as_str(),
            "脱贫不稳定户" | "边缘易致贫户" | "突发严重困难户"
        )
    {
        push!("MN01", at);
    }
    let eliminated = parse_yes_no(cell(first, col::ELIMINATED)).ok().flatten();
    let ident = parse_date(cell(first, col::IDENTIFIED)).ok().flatten();
    let elim_on = parse_date(cell(first, col::ELIMINATED_ON)).ok().flatten();
    if eliminated == Some(true) && text(cell(first, col::ELIMINATED_ON)).is_empty() {
        push!("MN02", at);
    }
    if let (Some(i), Some(e)) = (ident, elim_on) {
        let diff = YearMonth::of(e).index() - YearMonth::of(i).index();
        if e >= i && diff < MIN_MONTHS {
            push!("MN03", at);
        }
        if e < i {
            push!("MN04", at);
        }
    }
    if ident.is_some_and(|i| YearMonth::of(i).index() > YearMonth::of(as_of).index()) {
        push!("MN10", at);
    }
    let income = parse_number(cell(first, col::INCOME)).ok().flatten();
    if !monitored && income.is_some_and(|v| v < LINE) {
        push!("MN05", at);
    }
    let measure = |m: Assistance| {
        let c = col::MEASURES.get(m as usize).copied().unwrap_or(usize::MAX);
        rows.iter().any(|(_, r)| measure_in_place(cell(r, c)))
    };
    let any_measure = Assistance::ALL.iter().any(|&m| measure(m));
    if monitored && !any_measure {
        push!("MN06", at);
    }
    let risk1 = text(cell(first, col::RISK1));
    if monitored && risk1.is_empty() {
        push!("MN07", at);
    }
    if category == "脱贫不稳定户" && text(cell(first, col::KIND)) != "脱贫户" {
        push!("MN08", at);
    }
    if text(cell(first, col::METHOD)) == "帮扶消除" && income.is_some_and(|v| v < LINE) {
        push!("MN09", at);
    }
    let unsafe_housing = parse_yes_no(cell(first, col::UNSAFE_HOUSING))
        .ok()
        .flatten();
    let safe_water = parse_yes_no(cell(first, col::SAFE_WATER)).ok().flatten();
    if !monitored && (unsafe_housing == Some(true) || safe_water == Some(false)) {
        push!("HS01", at);
    }
    let risks = [risk1, text(cell(first, col::RISK2))];
    let has_risk = |r: &str| risks.iter().any(|x| x == r);
    if has_risk("因病") && !(measure(Assistance::Health) || measure(Assistance::Social)) {
        push!("RK01", at);
    }
    if has_risk("因学")
        && !(measure(Assistance::CompulsoryEducation)
            || measure(Assistance::Education)
            || measure(Assistance::Social))
    {
        push!("RK02", at);
    }
    if has_risk("因残") && !(measure(Assistance::SocialSecurity) || measure(Assistance::Social)) {
        push!("RK03", at);
    }
    if has_risk("因安全住房") && !(measure(Assistance::Housing) || measure(Assistance::Relocation))
    {
        push!("RK04", at);
    }
    if has_risk("因安全饮水") && !measure(Assistance::Water) {
        push!("RK05", at);
    }
    let health_any =
        |f: &dyn Fn(&str) -> bool| rows.iter().any(|(_, r)| f(&text(cell(r, col::HEALTH))));
    if has_risk("因残") && !health_any(&|s| s == "残疾") {
        push!("RK06", at);
    }
    if has_risk("因病") && !health_any(&|s| s == "长期慢性病" || s == "患大病") {
        push!("RK07", at);
    }
    let assisted_social = rows.iter().any(|(_, r)| {
        matches!(text(cell(r, col::DIBAO)).as_str(), "城市低保" | "农村低保")
            || matches!(text(cell(r, col::TEKUN)).as_str(), "城市特困" | "农村特困")
    });
    if assisted_social && !measure(Assistance::SocialSecurity) {
        push!("SB01", at);
    }
    let phone = text(cell(first, col::PHONE));
    let b = phone.as_bytes();
    let mobile = b.len() == 11
        && b.first() == Some(&b'1')
        && b.get(1).is_some_and(|c| (b'3'..=b'9').contains(c))
        && b.iter().all(u8::is_ascii_digit);
    if !mobile {
        push!("PH01", at);
    }
    out
}

/// ID02 and PH02: rules across households.
#[cfg(test)]
pub(crate) fn audit_cross(data: &DemoData) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: HashSet<String> = HashSet::with_capacity(data.persons.len());
    for p in 0..data.persons.len() {
        let row = data.roster_row(p);
        let id = cell(&row, col::ID);
        if id_was_number(id) {
            continue;
        }
        let t = text(id);
        if !t.is_empty() && !seen.insert(t) {
            out.push(Finding {
                code: "ID02",
                at: At::Person(p),
            });
        }
    }
    let mut phones: HashMap<String, Vec<usize>> = HashMap::new();
    for (h, hh) in data.households.iter().enumerate() {
        if hh.members == 0 {
            continue;
        }
        let row = data.roster_row(hh.first_person);
        let t = text(cell(&row, col::PHONE));
        if !t.is_empty() {
            phones.entry(t).or_default().push(h);
        }
    }
    for hs in phones.values().filter(|hs| hs.len() > 1) {
        for &h in hs {
            out.push(Finding {
                code: "PH02",
                at: At::Household(h),
            });
        }
    }
    out
}

/// Findings of one project row.
pub(crate) fn audit_project(data: &DemoData, i: usize) -> Vec<Finding> {
    let row = data.project_row(i);
    let mut out = Vec::new();
    for (c, kind) in [
        (pcol::YEAR, Kind::Number),
        (pcol::PLANNED, Kind::YesNo),
        (pcol::FUNDS, Kind::Number),
        (pcol::SPENT, Kind::Number),
        (pcol::STARTED, Kind::Date),
        (pcol::COMPLETED, Kind::Date),
    ] {
        if unparseable(cell(&row, c), kind) {
            out.push(Finding {
                code: "VL01",
                at: At::ProjectCell(i, c),
            });
        }
    }
    let funds = parse_number(cell(&row, pcol::FUNDS)).ok().flatten();
    let spent = parse_number(cell(&row, pcol::SPENT)).ok().flatten();
    for (c, v) in [(pcol::FUNDS, funds), (pcol::SPENT, spent)] {
        if v.is_some_and(|v| v < 0.0) {
            out.push(Finding {
                code: "VL02",
                at: At::ProjectCell(i, c),
            });
        }
    }
    if let (Some(f), Some(s)) = (funds, spent)
        && s > f
    {
        out.push(Finding {
            code: "PJ01",
            at: At::Project(i),
        });
    }
    let started = parse_date(cell(&row, pcol::STARTED)).ok().flatten();
    let completed = parse_date(cell(&row, pcol::COMPLETED)).ok().flatten();
    if let (Some(s), Some(c)) = (started, completed)
        && c < s
    {
        out.push(Finding {
            code: "PJ02",
            at: At::Project(i),
        });
    }
    out
}

/// Findings of one loan row (`known` = 户编号 of the roster).
pub(crate) fn audit_loan(data: &DemoData, i: usize, known: &HashSet<String>) -> Vec<Finding> {
    let row = data.loan_row(i);
    let mut out = Vec::new();
    for (c, kind) in [
        (lcol::ISSUED, Kind::Date),
        (lcol::DUE, Kind::Date),
        (lcol::AMOUNT, Kind::Number),
        (lcol::BALANCE, Kind::Number),
    ] {
        if unparseable(cell(&row, c), kind) {
            out.push(Finding {
                code: "VL01",
                at: At::LoanCell(i, c),
            });
        }
    }
    let amount = parse_number(cell(&row, lcol::AMOUNT)).ok().flatten();
    let balance = parse_number(cell(&row, lcol::BALANCE)).ok().flatten();
    for (c, v) in [(lcol::AMOUNT, amount), (lcol::BALANCE, balance)] {
        if v.is_some_and(|v| v < 0.0) {
            out.push(Finding {
                code: "VL02",
                at: At::LoanCell(i, c),
            });
        }
    }
    if let (Some(a), Some(b)) = (amount, balance)
        && b > a
    {
        out.push(Finding {
            code: "LN01",
            at: At::Loan(i),
        });
    }
    if !known.contains(&text(cell(&row, lcol::HOUSEHOLD_ID))) {
        out.push(Finding {
            code: "LN02",
            at: At::Loan(i),
        });
    }
    out
}

/// The 户编号 of every household.
pub(crate) fn known_households(data: &DemoData) -> HashSet<String> {
    (0..data.households.len())
        .map(|h| data.household_id(h))
        .collect()
}

/// Every finding of the whole dataset, sorted.
#[cfg(test)]
pub(crate) fn audit_all(data: &DemoData) -> Vec<Finding> {
    let mut out = Vec::new();
    for h in 0..data.households.len() {
        out.extend(audit_household(data, h));
    }
    out.extend(audit_cross(data));
    for i in 0..data.projects.len() {
        out.extend(audit_project(data, i));
    }
    let known = known_households(data);
    for i in 0..data.loans.len() {
        out.extend(audit_loan(data, i, &known));
    }
    out.sort();
    out
}

/// Year of a date (used by plants that write impossible dates).
pub(crate) fn year_of(d: NaiveDate) -> i32 {
    d.year()
}
