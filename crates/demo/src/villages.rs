//! 行政村信息 (EXPORTS.md §1.5): one row per village of the city, with figures that agree
//! with the roster where they overlap (a village counts at least the households, persons,
//! 低保 and 特困 of the roster; the roster holds only part of a village's households).

use super::names::COUNTIES;
use super::rng::Rng;
use super::{DemoData, DibaoStatus};
use gonggu_core::model::{Health, HouseholdType};

/// Stream tag of this module.
const VILLAGES: u64 = 22;

/// Header of `行政村信息` (row 3 of the XLSX, line 1 of the CSV): the columns of EXPORTS.md
/// §1.5, whose order is not documented, 村级集体经济收入（万元） among the first.
pub const VILLAGE_HEADER: [&str; 23] = [
    "县",
    "乡",
    "村",
    "是否出列",
    "总户数",
    "总人口数",
    "村级集体经济收入（万元）",
    "农民人均纯收入（元）",
    "低保户数",
    "低保人口数",
    "特困供养人口数",
    "残疾人口数",
    "危房户数",
    "未实现饮水安全户数",
    "参加城乡居民基本养老保险人数",
    "村小学（个数）",
    "行政村卫生室个数",
    "行政村执业（助理）医师（人）",
    "行政村公共卫生厕所个数",
    "行政村生产生活垃圾集中堆放点个数（个）",
    "行政村文化（图书）室个数 （个）",
    "是否通客运班车",
    "到乡镇是否通沥青（水泥）路",
];

/// Column indexes of the village table.
#[allow(dead_code)]
pub(crate) mod vcol {
    pub const EXITED: usize = 3;
    pub const HOUSEHOLDS: usize = 4;
    pub const PERSONS: usize = 5;
    pub const COLLECTIVE_INCOME: usize = 6;
}

/// 村级集体经济收入 a village should reach (万元; the measure villages_over_collective_line).
pub const COLLECTIVE_LINE: i64 = 5;

/// One row of `行政村信息`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VillageRow {
    /// 是否出列: a former poverty village.
    pub exited: bool,
    pub households: u32,
    pub persons: u32,
    /// 村级集体经济收入 in units of 0.01 万元 (100 元).
    pub collective_income: i64,
    pub income_per_capita: u32,
    pub dibao_households: u32,
    pub dibao_persons: u32,
    pub tekun_persons: u32,
    pub disabled_persons: u32,
    pub unsafe_housing: u32,
    pub unsafe_water: u32,
    pub pensioners: u32,
    pub schools: u32,
    pub clinics: u32,
    pub doctors: u32,
    pub toilets: u32,
    pub waste_points: u32,
    pub libraries: u32,
    pub bus: bool,
    pub road: bool,
}

/// What the roster holds of each village: households, persons, 低保 households and persons,
/// 特困 persons, disabled persons, unsafe houses, households without safe water.
pub(crate) fn roster_counts(data: &DemoData) -> Vec<[u32; 8]> {
    let mut out = vec![[0u32; 8]; data.villages.len()];
    for hh in &data.households {
        let Some(c) = out.get_mut(hh.village) else {
            continue;
        };
        let members = data.persons.get(hh.person_range()).unwrap_or(&[]);
        let n = members.len() as u32;
        c[0] += 1;
        c[1] += n;
        if hh.dibao != DibaoStatus::None {
            c[2] += 1;
            c[3] += n;
        }
        if hh.tekun {
            c[4] += n;
        }
        c[5] += members
            .iter()
            .filter(|p| p.health == Health::Disabled)
            .count() as u32;
        c[6] += u32::from(hh.unsafe_housing);
        c[7] += u32::from(!hh.safe_water);
    }
    out
}

/// The rows of every village, in village order.
pub(crate) fn village_rows(data: &DemoData) -> Vec<VillageRow> {
    let roster = roster_counts(data);
    let mut tuopin = vec![0u32; data.villages.len()];
    for hh in &data.households {
        if hh.kind == HouseholdType::Tuopin
            && let Some(t) = tuopin.get_mut(hh.village)
        {
            *t += 1;
        }
    }
    data.villages
        .iter()
        .enumerate()
        .map(|(v, village)| {
            let mut rng = Rng::derive(data.options.seed, &[VILLAGES, v as u64]);
            let r = roster.get(v).copied().unwrap_or_default();
            let county = data
                .towns
                .get(village.town)
                .and_then(|t| COUNTIES.get(t.county));
            let share = f64::from(tuopin.get(v).copied().unwrap_or(0)) / f64::from(r[0].max(1));
            // Former poverty villages: more often where the roster's 脱贫户 are many.
            let exited = rng.chance(if r[0] >= 25 && share > 0.85 {
                0.45
            } else {
                0.2
            });
            let households = r[0] + rng.range(120, 520) as u32;
            let persons = (households * rng.range(32, 39) as u32 / 10).max(r[1]);
            // Most villages reach the 5 万元 line; a few are below it (never exactly on it).
            let collective_income = if rng.chance(0.12) {
                rng.range(80, 495)
            } else if exited {
                rng.range(510, 6_000)
            } else {
                rng.range(505, 3_500)
            };
            let mean = county.map_or(12_000.0, |c| c.income_mean) + 2_500.0;
            // 低保 households outside the roster, with one to three persons each.
            let extra_dibao = rng.range(0, 3) as u32;
            VillageRow {
                exited,
                households,
                persons,
                collective_income,
                income_per_capita: (mean + rng.bell() * 1_500.0) as u32 / 10 * 10,
                dibao_households: r[2] + extra_dibao,
                dibao_persons: r[3] + extra_dibao * rng.range(1, 3) as u32,
                tekun_persons: r[4] + rng.range(0, 2) as u32,
                disabled_persons: r[5] + rng.range(3, 25) as u32,
                unsafe_housing: r[6],
                unsafe_water: r[7],
                pensioners: persons * rng.range(50, 62) as u32 / 100,
                schools: u32::from(rng.chance(0.55)),
                clinics: 1,
                doctors: rng.range(1, 3) as u32,
                toilets: rng.range(1, 3) as u32,
                waste_points: rng.range(1, 6) as u32,
                libraries: 1,
                bus: rng.chance(0.85),
                road: true,
            }
        })
        .collect()
}

/// `row` as 行政村信息 writes it for village `v`: the planted blank or negative cells
/// ([`DemoData::village_overrides`]) replace 是否出列 and 村级集体经济收入 (a blank counts as
/// not exited and as no income), so that the manifest's village figures are what gonggu
/// reads.
pub(crate) fn as_written(data: &DemoData, v: usize, row: &mut VillageRow) {
    use super::DemoCell;
    for ((_, c), cell) in data.village_overrides.range((v, 0)..=(v, usize::MAX)) {
        match (*c, cell) {
            (vcol::EXITED, DemoCell::Empty) => row.exited = false,
            (vcol::COLLECTIVE_INCOME, DemoCell::Empty) => row.collective_income = 0,
            (vcol::COLLECTIVE_INCOME, DemoCell::Text(t)) => {
                if let Ok(x) = t.parse::<f64>() {
                    row.collective_income = (x * 100.0).round() as i64;
                }
            }
            _ => {}
        }
    }
}
