//! Planted defects for the rules after LN02 in `rules.toml` (blank fields, education, risk
//! elimination, social assistance, welfare posts, insurance, risks, income, family relations,
//! certificates, work).
//!
//! The old audit ([`super::audit`]) does not read these rules: each mutation must leave the
//! household without any old finding (it is undone otherwise), and the records are chosen so
//! that no other new rule sees them (the demo_manifest test runs the real engine and holds
//! the generator to it). Most mutations are cell overrides, so the typed model (and every
//! indicator computed from it) stays as drawn.

use chrono::Duration;

use super::super::layout::find;
use super::super::rng::Rng;
use super::super::rows::{self, col};
use super::super::villages::{self, vcol};
use super::super::work::{self, Spell, scol};
use super::super::{DemoCell, DemoData, DemoHousehold, DemoPerson, DibaoStatus, Post, Relation};
use super::super::{School, YearMonth, detail, gb11643_check_digit};
use super::{
    Plant, Planter, Target, age, audit, boxed, has_risk, member, no_spells, shuffled, stays,
};
use gonggu_core::model::{Assistance, Health, LaborSkill, Risk, Sex, WorkPlace};

/// Row position meaning "every row of the household" (a household column).
const ALL: usize = usize::MAX;

/// Roster columns the plants write besides those of [`col`].
mod c {
    use super::find;

    pub const HOUSE_AREA: usize = find("住房面积");
    pub const FARMLAND: usize = find("耕地面积（亩）");
    pub const TOILET: usize = find("是否有卫生厕所");
    pub const PROPERTY: usize = find("财产性收入");
    pub const TRANSFER: usize = find("转移性收入");
    pub const SELF_PAY: usize = find("合规自付支出");
    pub const TEKUN_ALLOWANCE: usize = find("特困人员救助供养金");
    pub const SAFETY_NET: usize = find("是否兜底保障户");
    pub const NO_LABOR_NET: usize = find("整户无劳动能力兜底保障户");
    pub const DROPOUT: usize = find("是否义务教育阶段适龄儿童少年失学辍学");
    pub const UNINSURED: usize = find("是否有家庭成员未参加城乡居民（职工）基本医疗保险");
    pub const DEVELOPMENTAL: usize = find("实施开发式帮扶措施情况");
    pub const DISABILITY_KIND: usize = find("残疾类别");
    pub const DISABILITY_YEAR: usize = find("残疾证办证年度");
    pub const OUT_OF_SCHOOL: usize = find("义务教育阶段未上学原因");
    pub const POST_MONTHS: usize = find("公益性岗位(月数)");
    pub const WORKER_MEDICAL: usize = find("是否参加城镇职工基本医疗保险");
    pub const PENSION: usize = find("是否参加城乡居民基本养老保险");
    pub const WORKER_PENSION: usize = find("是否参加城镇职工基本养老保险");
    pub const WORK_MONTHS: usize = find("务工时间（月）");
    pub const AFTER_DROPOUT: usize = find("风险消除后是否义务教育阶段适龄儿童少年失学辍学");
    pub const AFTER_HOUSING: usize = find("风险消除后是否住房损毁");
    pub const AFTER_UNINSURED: usize =
        find("风险消除后是否有家庭成员未参加城乡居民（职工）基本医疗保险");
    pub const AFTER_WATER: usize = find("风险消除后是否饮水设施损毁");
    pub const AFTER_PROPERTY: usize = find("风险消除后财产性收入");
    pub const AFTER_TOTAL: usize = find("风险消除后家庭纯收入");
    pub const AFTER_INCOME: usize = find("风险消除后家庭人均纯收入");
    pub const AFTER_CLAIMS: usize = find("风险消除后理赔收入");
}

const EMPLOYMENT: usize = col::MEASURES[1];
const WELFARE_POST: usize = col::MEASURES[2];
const SOCIAL_SECURITY: usize = col::MEASURES[8];

/// Writes `text` (blank when empty) into a roster cell; `pos` [`ALL`] for every row.
fn set(d: &mut DemoData, h: usize, pos: usize, column: usize, text: &str) {
    let cell = if text.is_empty() {
        DemoCell::Empty
    } else {
        DemoCell::Text(text.to_string())
    };
    d.roster_overrides.insert((h, pos, column), cell);
}

/// The text of a roster cell as written.
fn shown(d: &DemoData, h: usize, pos: usize, column: usize) -> String {
    rows::household_rows(d, h)
        .get(pos)
        .and_then(|r| r.get(column))
        .map_or(String::new(), |cell| cell.text().trim().to_string())
}

fn person(h: usize, pos: usize, description: String) -> Option<Plant> {
    Some(Plant::new(
        Target::Person {
            household: h,
            position: pos,
        },
        description,
    ))
}

fn household(h: usize, description: &str) -> Option<Plant> {
    Some(Plant::new(Target::Household(h), description.to_string()))
}

fn members(d: &DemoData, h: usize) -> &[DemoPerson] {
    d.households
        .get(h)
        .and_then(|hh| d.persons.get(hh.person_range()))
        .unwrap_or(&[])
}

/// An ordinary household nobody assists: not monitored, not 脱贫户, no 低保 or 特困.
fn plain(d: &DemoData, h: usize) -> Option<&DemoHousehold> {
    let hh = d.households.get(h)?;
    (hh.kind == gonggu_core::model::HouseholdType::General
        && !hh.is_monitored()
        && hh.dibao == DibaoStatus::None
        && !hh.tekun)
        .then_some(hh)
}

/// A monitored household whose risk was eliminated before the as-of month (so that last
/// month's data have the same elimination).
fn settled(d: &DemoData, h: usize) -> Option<&DemoHousehold> {
    let hh = d.households.get(h)?;
    let month = YearMonth::of(d.options.as_of).index();
    (hh.is_monitored()
        && hh.eliminated == Some(true)
        && hh.eliminated_on.is_some_and(|m| m.index() < month))
    .then_some(hh)
}

/// A monitored household whose risk is not eliminated.
fn open(d: &DemoData, h: usize) -> Option<&DemoHousehold> {
    let hh = d.households.get(h)?;
    (hh.is_monitored() && hh.eliminated == Some(false)).then_some(hh)
}

fn any_member(d: &DemoData, h: usize, pred: impl Fn(&DemoPerson, i32) -> bool) -> bool {
    member(d, h, pred).is_some()
}

fn full_labor(l: LaborSkill) -> bool {
    matches!(l, LaborSkill::Ordinary | LaborSkill::Skilled)
}

/// The 18-digit number with `tail` appended: a 残疾人证号 (category and grade).
fn disability_number(d: &DemoData, h: usize, pos: usize, tail: &str) -> Option<String> {
    let p = members(d, h).get(pos)?;
    Some(format!("{}{tail}", p.id_text()))
}

type Apply = fn(&mut DemoData, usize, usize) -> Option<Plant>;

impl Planter<'_> {
    /// Plants `count` defects of a rule the old audit does not read: the household must show
    /// no old finding after the mutation.
    fn plant_new(&mut self, code: &'static str, count: usize, apply: Apply) {
        let mut missing = 0;
        for k in 0..count {
            let mut m = boxed(move |d, h, _| apply(d, h, k));
            if !self.plant(code, 0, m.as_mut()) {
                missing += 1;
            }
        }
        if missing > 0 {
            *self.planted.shortfalls.entry(code).or_default() += missing;
        }
    }
}

/// Copies the plants of `from` planted from index `first` on to rule `to` (the same row
/// shows both findings), with another description.
fn echo(pl: &mut Planter<'_>, from: &str, first: usize, to: &'static str, description: &str) {
    let copies: Vec<Plant> = pl
        .planted
        .defects
        .get(from)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .skip(first)
        .map(|p| Plant {
            description: description.to_string(),
            ..p.clone()
        })
        .collect();
    pl.planted.defects.entry(to).or_default().extend(copies);
}

/// A member who is insured recorded as not (IN01, an old rule) in a way that also shows a
/// rule after LN02: RE04, IN08 (an eliminated household, 大病保险 still 是) or IN06 (the
/// household column still 否). The old audit sees the IN01 finding only.
pub(super) fn plant_uninsured_pairs(pl: &mut Planter<'_>) {
    for k in 0..4 {
        let before = pl.planted.defects.get("IN01").map_or(0, Vec::len);
        let mut m = boxed(move |d, h, _| {
            let hh = d.households.get(h)?;
            let month = YearMonth::of(d.options.as_of).index();
            let eliminated = hh.eliminated == Some(true);
            if k < 2 && !(eliminated && hh.eliminated_on.is_some_and(|m| m.index() < month)) {
                return None;
            }
            if k >= 2 && eliminated {
                return None;
            }
            let pos = member(d, h, |p, _| p.basic_medical == Some(true))?;
            let p = super::person_mut(d, h, pos)?;
            p.basic_medical = Some(false);
            let description = if k < 2 {
                p.serious_illness_insurance = Some(true);
                // Insured when the risk was eliminated.
                set(d, h, ALL, c::AFTER_UNINSURED, "否");
                "风险消除后断保：未参加城乡居民基本医疗保险（大病保险仍填为是）"
            } else {
                p.serious_illness_insurance = None;
                set(d, h, ALL, c::UNINSURED, "否");
                "未参加城乡居民基本医疗保险（户的是否有家庭成员未参保仍为否）"
            };
            person(h, pos, description.into())
        });
        if !pl.plant("IN01", 1, m.as_mut()) {
            *pl.planted.shortfalls.entry("IN01").or_default() += 1;
            continue;
        }
        let Some(at) = pl
            .planted
            .defects
            .get("IN01")
            .and_then(|v| v.get(before))
            .map(|p| p.at)
        else {
            continue;
        };
        let Target::Person { household: h, .. } = at else {
            continue;
        };
        let mut also = |code: &'static str, at: Target, description: &str| {
            pl.planted
                .defects
                .entry(code)
                .or_default()
                .push(Plant::new(at, description.to_string()));
        };
        if k < 2 {
            also("IN08", at, "参加大病保险，却未参加城乡居民基本医疗保险");
            also(
                "RE04",
                Target::Household(h),
                "风险已消除，仍有家庭成员未参加基本医疗保险",
            );
        } else {
            also(
                "IN06",
                Target::Household(h),
                "有成员未参加基本医疗保险，户的是否有家庭成员未参保却为否",
            );
        }
    }
}

/// TW01 needs an identification after the insurance year's cut-off, which at the demo's
/// as-of date (November, in the next year's enrolment) is the as-of year's December: it is
/// planted beside MN10 (identified after the as-of date), in households of its own.
pub(super) fn plant_late_subsidies(pl: &mut Planter<'_>) {
    let before = pl.planted.defects.get("MN10").map_or(0, Vec::len);
    for _ in 0..2 {
        let mut m = boxed(|d, h, _| {
            let hh = d.households.get_mut(h)?;
            if hh.identified.is_none() || hh.eliminated_on.is_some() || hh.eliminated == Some(true)
            {
                return None;
            }
            let later = YearMonth {
                year: 2024,
                month: 3,
            };
            hh.identified = Some(later);
            set(
                d,
                h,
                ALL,
                col::MEASURES[3],
                "城乡居民基本医疗保险个人缴费补贴",
            );
            Some(Plant::new(
                Target::Household(h),
                format!(
                    "识别监测时间 {} 晚于统计截止日期 {}（又享受了医保个人缴费补贴）",
                    later.text(),
                    d.options.as_of
                ),
            ))
        });
        if !pl.plant("MN10", 1, m.as_mut()) {
            *pl.planted.shortfalls.entry("MN10").or_default() += 1;
        }
    }
    echo(
        pl,
        "MN10",
        before,
        "TW01",
        "2024年3月识别的监测户享受医保个人缴费补贴（晚于本参保年度的认定截止月）",
    );
}

/// Plants the defects of the rules after LN02 in the roster.
pub(super) fn plant_new_roster(pl: &mut Planter<'_>) {
    for (code, count, apply) in blank_fields()
        .into_iter()
        .chain(education())
        .chain(elimination())
        .chain(assistance())
        .chain(posts_and_insurance())
        .chain(risks_and_income())
        .chain(family_and_certificates())
    {
        pl.plant_new(code, count, apply);
    }
    // A student of 16 or more has no labour (LB02), so a post shows WP05 as well.
    echo(
        pl,
        "WP09",
        0,
        "WP05",
        "在校生在公益性岗位，劳动技能为无劳动力",
    );
}

fn blank_fields() -> Vec<(&'static str, usize, Apply)> {
    vec![
        ("BL01", 2, |d, h, k| {
            plain(d, h)?;
            let pos = member(d, h, |_, a| a >= 18)?;
            let (column, name) = if k == 0 {
                (col::ETHNICITY, "民族")
            } else {
                (col::ID_KIND, "证件类型")
            };
            set(d, h, pos, column, "");
            person(h, pos, format!("{name}为空"))
        }),
        ("BL02", 2, |d, h, k| {
            plain(d, h)?;
            if k == 0 {
                let pos = member(d, h, |p, a| {
                    (20..=59).contains(&a) && p.health == Health::Healthy
                })?;
                set(d, h, pos, col::HEALTH, "");
                person(h, pos, "健康状况为空".into())
            } else {
                let pos = member(d, h, |_, a| (8..=15).contains(&a))?;
                set(d, h, pos, col::LABOR, "");
                person(h, pos, "劳动技能为空".into())
            }
        }),
        ("BL03", 2, |d, h, k| {
            plain(d, h)?;
            let pos = member(d, h, |p, _| {
                p.basic_medical == Some(true) && p.serious_illness_insurance == Some(true)
            })?;
            if k == 0 {
                set(d, h, pos, col::MEDICAL, "");
                person(h, pos, "是否参加城乡居民基本医疗保险为空".into())
            } else {
                set(d, h, pos, col::SERIOUS, "");
                person(
                    h,
                    pos,
                    "已参加城乡居民基本医疗保险，是否参加大病保险为空".into(),
                )
            }
        }),
        ("BL04", 2, |d, h, k| {
            plain(d, h)?;
            let pos = member(d, h, |_, _| true)?;
            let (column, name) = if k == 0 {
                (col::DIBAO, "享受低保政策情况")
            } else {
                (col::TEKUN, "享受特困供养政策情况")
            };
            set(d, h, pos, column, "");
            person(h, pos, format!("{name}为空"))
        }),
        ("BL05", 2, |d, h, k| {
            plain(d, h)?;
            if k == 0 {
                set(d, h, ALL, col::SIZE, "");
                household(h, "人数为空")
            } else {
                set(d, h, ALL, col::INCOME, "");
                household(h, "人均纯收入为空")
            }
        }),
        ("BL06", 2, |d, h, k| {
            plain(d, h)?;
            if k == 0 {
                set(d, h, ALL, c::PROPERTY, "");
                household(h, "财产性收入为空（应填 0）")
            } else {
                set(d, h, ALL, c::TRANSFER, "");
                household(h, "转移性收入为空")
            }
        }),
        ("BL07", 2, |d, h, k| {
            plain(d, h)?;
            if k == 0 {
                set(d, h, ALL, c::HOUSE_AREA, "");
                household(h, "住房面积为空")
            } else {
                set(d, h, ALL, col::UNSAFE_HOUSING, "");
                household(h, "是否危房户为空")
            }
        }),
        ("BL08", 2, |d, h, k| {
            plain(d, h)?;
            if k == 0 {
                set(d, h, ALL, c::FARMLAND, "");
                household(h, "耕地面积为空")
            } else {
                set(d, h, ALL, c::TOILET, "");
                household(h, "是否有卫生厕所为空")
            }
        }),
        ("BL09", 2, |d, h, _| {
            // A blank 风险是否已消除 reads as 否 (no elimination date): only the date is
            // planted.
            let hh = open(d, h)?;
            let category = hh.category.map_or("", rows::category_label);
            set(d, h, ALL, col::IDENTIFIED, "");
            household(h, &format!("监测户（{category}）的识别监测时间为空"))
        }),
        ("BL10", 2, |d, h, k| {
            settled(d, h)?;
            if k == 0 {
                set(d, h, ALL, c::AFTER_CLAIMS, "");
                household(h, "风险已消除，风险消除后理赔收入为空")
            } else {
                set(d, h, ALL, c::AFTER_PROPERTY, "");
                household(h, "风险已消除，风险消除后财产性收入为空")
            }
        }),
        ("BL11", 2, |d, h, _| {
            settled(d, h)?;
            set(d, h, ALL, col::METHOD, "");
            household(h, "风险已消除，风险消除方式为空")
        }),
        ("BL12", 2, |d, h, _| {
            d.households.get(h).filter(|hh| hh.is_monitored())?;
            set(d, h, ALL, c::DEVELOPMENTAL, "");
            household(h, "监测户的实施开发式帮扶措施情况为空")
        }),
        ("BL13", 2, |d, h, k| {
            let pos = member(d, h, |p, _| p.health == Health::Disabled)?;
            if k == 0 {
                set(d, h, pos, c::DISABILITY_YEAR, "");
                person(h, pos, "健康状况为残疾，残疾证办证年度为空".into())
            } else {
                set(d, h, pos, c::DISABILITY_KIND, "");
                person(h, pos, "健康状况为残疾，残疾类别为空".into())
            }
        }),
        ("BL14", 2, |d, h, _| {
            let pos = member(d, h, |p, _| p.welfare_post != Post::None)?;
            set(d, h, pos, c::POST_MONTHS, "");
            person(h, pos, "在公益性岗位，公益性岗位(月数)为空".into())
        }),
        ("BL15", 2, |d, h, k| {
            plain(d, h)?;
            if k == 0 {
                set(d, h, ALL, c::NO_LABOR_NET, "");
                household(h, "整户无劳动能力兜底保障户为空")
            } else {
                set(d, h, ALL, c::SAFETY_NET, "");
                household(h, "是否兜底保障户为空")
            }
        }),
        ("BL16", 2, |d, h, k| {
            plain(d, h)?;
            if k == 0 {
                set(d, h, ALL, c::DROPOUT, "");
                household(h, "是否义务教育阶段适龄儿童少年失学辍学为空")
            } else {
                set(d, h, ALL, c::UNINSURED, "");
                household(h, "是否有家庭成员未参加城乡居民（职工）基本医疗保险为空")
            }
        }),
    ]
}

/// No member in school and no 因学 risk (the education plants must not touch RK10).
fn schooling_free(d: &DemoData, h: usize) -> Option<()> {
    let hh = d.households.get(h)?;
    (!has_risk(hh, Risk::Schooling)).then_some(())
}

fn education() -> Vec<(&'static str, usize, Apply)> {
    vec![
        ("ED02", 2, |d, h, _| {
            schooling_free(d, h)?;
            let pos = member(d, h, |p, a| (8..=14).contains(&a) && p.school.in_school())?;
            set(d, h, pos, col::SCHOOL, "");
            set(d, h, pos, col::EDUCATION, "小学");
            let a = age(d, members(d, h).get(pos)?);
            person(
                h,
                pos,
                format!("{a}岁，在校生状况为空（不在校），未填义务教育阶段未上学原因"),
            )
        }),
        ("ED03", 2, |d, h, _| {
            let pos = member(d, h, |p, a| (10..=14).contains(&a) && p.school.in_school())?;
            set(d, h, pos, col::EDUCATION, "小学");
            person(
                h,
                pos,
                "在校生的文化程度填为小学（在校生应只填在校生状况）".into(),
            )
        }),
        ("ED04", 2, |d, h, _| {
            let pos = member(d, h, |p, a| (30..=59).contains(&a) && !p.school.in_school())?;
            set(d, h, pos, col::EDUCATION, "");
            let a = age(d, members(d, h).get(pos)?);
            person(h, pos, format!("{a}岁，文化程度和在校生状况都为空"))
        }),
        ("ED05", 2, |d, h, _| {
            let pos = member(d, h, |p, a| (17..=22).contains(&a) && !p.school.in_school())?;
            set(d, h, pos, col::EDUCATION, "小学");
            let a = age(d, members(d, h).get(pos)?);
            person(h, pos, format!("{a}岁，不在校，文化程度为小学"))
        }),
        ("ED06", 2, |d, h, _| {
            let pos = member(d, h, |p, a| {
                (17..=40).contains(&a) && !p.school.in_school() && p.health == Health::Healthy
            })?;
            set(d, h, pos, c::OUT_OF_SCHOOL, "因病");
            person(
                h,
                pos,
                "健康状况为健康，义务教育阶段未上学原因为因病".into(),
            )
        }),
        ("ED07", 2, |d, h, _| {
            let pos = member(d, h, |p, a| {
                (18..=22).contains(&a)
                    && !p.school.in_school()
                    && p.welfare_post == Post::None
                    && d.work_in_view(p).class() != WorkPlace::NotWorking
                    && d.has_spells(p)
                    && stays(d, p)
            })?;
            // Somebody else keeps the household's labour (SA05, WP06, RK11 count it).
            let others = members(d, h)
                .iter()
                .enumerate()
                .any(|(i, p)| i != pos && p.labor.is_labor());
            others.then_some(())?;
            set(d, h, pos, col::SCHOOL, &School::College(1).label());
            set(d, h, pos, col::EDUCATION, "");
            set(d, h, pos, col::LABOR, "无劳动力");
            person(
                h,
                pos,
                "在校生状况为高职高专在读，务工所在地却填了务工地址".into(),
            )
        }),
        ("ED08", 2, |d, h, _| {
            plain(d, h)?;
            any_member(d, h, |_, a| (6..=16).contains(&a)).then_some(())?;
            set(d, h, ALL, c::DROPOUT, "是");
            household(h, "有适龄儿童少年失学辍学，但未纳入监测")
        }),
        ("ED09", 2, |d, h, _| {
            open(d, h)?;
            (!any_member(d, h, |_, a| (6..=16).contains(&a))).then_some(())?;
            set(d, h, ALL, c::DROPOUT, "是");
            household(h, "是否失学辍学为是，但家中没有6–16岁成员")
        }),
        ("ED10", 2, |d, h, _| {
            schooling_free(d, h)?;
            let pos = member(d, h, |p, a| (8..=14).contains(&a) && p.school.in_school())?;
            set(d, h, pos, col::SCHOOL, "非在校生");
            set(d, h, pos, c::OUT_OF_SCHOOL, "其他");
            household(h, "有义务教育适龄的非在校生，是否失学辍学却为否")
        }),
        ("ED11", 2, |d, h, _| {
            let pos = member(d, h, |p, a| (8..=14).contains(&a) && p.school.in_school())?;
            set(d, h, pos, c::OUT_OF_SCHOOL, "其他");
            person(h, pos, "在校生却填了义务教育阶段未上学原因（其他）".into())
        }),
    ]
}

fn elimination() -> Vec<(&'static str, usize, Apply)> {
    vec![
        ("RE01", 2, |d, h, _| {
            settled(d, h)?;
            set(d, h, ALL, col::UNSAFE_HOUSING, "是");
            household(h, "风险已消除，仍是危房户")
        }),
        ("RE02", 2, |d, h, _| {
            settled(d, h)?;
            set(d, h, ALL, col::SAFE_WATER, "否");
            household(h, "风险已消除，仍未解决安全饮用水")
        }),
        ("RE03", 2, |d, h, _| {
            settled(d, h)?;
            any_member(d, h, |_, a| (6..=16).contains(&a)).then_some(())?;
            set(d, h, ALL, c::DROPOUT, "是");
            household(h, "风险已消除，仍有适龄儿童少年失学辍学")
        }),
        ("RE05", 2, |d, h, _| {
            settled(d, h)?;
            set(d, h, ALL, c::AFTER_HOUSING, "是");
            household(h, "风险消除后住房损毁（应重新识别风险）")
        }),
        ("RE06", 2, |d, h, _| {
            settled(d, h)?;
            set(d, h, ALL, c::AFTER_WATER, "是");
            household(h, "风险消除后饮水设施损毁")
        }),
        ("RE07", 2, |d, h, _| {
            settled(d, h)?;
            set(d, h, ALL, c::AFTER_DROPOUT, "是");
            household(h, "风险消除后有义务教育阶段适龄儿童少年失学辍学")
        }),
        ("RE08", 2, |d, h, _| {
            settled(d, h)?;
            set(d, h, ALL, c::AFTER_UNINSURED, "是");
            household(h, "风险消除后有家庭成员未参加基本医疗保险")
        }),
        ("RE09", 2, |d, h, _| {
            let income = open(d, h)?.income_fen;
            set(d, h, ALL, c::AFTER_INCOME, &rows::hundredths(income, true));
            household(h, "风险未消除，却填了风险消除后家庭人均纯收入")
        }),
        ("RE10", 2, |d, h, _| {
            settled(d, h)?;
            set(d, h, ALL, col::METHOD, "自然消除");
            set(d, h, ALL, col::INCOME, "7200");
            household(h, "风险消除方式为自然消除，人均纯收入 7200 元低于监测线")
        }),
        ("RE11", 2, |d, h, _| {
            settled(d, h)?;
            let total: f64 = shown(d, h, 0, c::AFTER_TOTAL).parse().ok()?;
            let written = total + 5000.0;
            set(d, h, ALL, c::AFTER_TOTAL, &rows::number_text(written));
            household(
                h,
                &format!(
                    "风险消除后家庭纯收入 {} 元，与人均纯收入乘人数相差 5000 元",
                    rows::number_text(written)
                ),
            )
        }),
    ]
}

fn assistance() -> Vec<(&'static str, usize, Apply)> {
    vec![
        ("SA01", 2, |d, h, _| {
            let hh = d.households.get(h)?;
            if hh.dibao == DibaoStatus::None
                || hh.tekun
                || !hh.assistance.contains(Assistance::SocialSecurity)
            {
                return None;
            }
            set(d, h, ALL, col::DIBAO, DibaoStatus::None.label());
            household(h, "综合保障为低保，但成员的享受低保政策情况均为未享受")
        }),
        ("SA02", 2, |d, h, _| {
            let hh = d.households.get(h)?;
            if !hh.tekun || !hh.assistance.contains(Assistance::SocialSecurity) {
                return None;
            }
            set(d, h, ALL, col::TEKUN, "不享受");
            set(d, h, ALL, c::TEKUN_ALLOWANCE, "0");
            household(
                h,
                "综合保障为特困供养，但成员的享受特困供养政策情况均为不享受",
            )
        }),
        ("SA03", 2, |d, h, _| {
            let hh = d.households.get(h)?;
            if hh.tekun
                || hh.dibao != DibaoStatus::None
                || !hh.assistance.contains(Assistance::SocialSecurity)
                || any_member(d, h, |p, _| p.health == Health::Disabled)
            {
                return None;
            }
            set(d, h, ALL, SOCIAL_SECURITY, "残疾人补贴");
            household(h, "综合保障为残疾人补贴，但家中没有残疾人")
        }),
        ("SA04", 2, |d, h, _| {
            // One member recorded as 特困 in a household that is not (the allowance written,
            // so that only the person's record is wrong).
            let hh = d.households.get(h)?;
            if hh.tekun || hh.dibao != DibaoStatus::None {
                return None;
            }
            let pos = member(d, h, |p, a| {
                (18..=59).contains(&a) && !p.school.in_school() && p.health == Health::Healthy
            })?;
            set(d, h, pos, col::TEKUN, "农村特困");
            set(d, h, ALL, c::TEKUN_ALLOWANCE, "8000");
            let a = age(d, members(d, h).get(pos)?);
            person(h, pos, format!("{a}岁，健康，非在校生，享受特困供养"))
        }),
        ("SA05", 2, |d, h, _| {
            let hh = d.households.get(h)?;
            if !detail::HouseholdDetail::no_labor_safety_net(d, hh) {
                return None;
            }
            set(d, h, ALL, c::NO_LABOR_NET, "否");
            household(
                h,
                "全家无劳动能力且享受低保或特困，整户无劳动能力兜底保障户却为否",
            )
        }),
        ("SA06", 2, |d, h, _| {
            plain(d, h)?;
            any_member(d, h, |p, _| full_labor(p.labor)).then_some(())?;
            set(d, h, ALL, c::NO_LABOR_NET, "是");
            household(h, "整户无劳动能力兜底保障户为是，但家中有普通或技能劳动力")
        }),
        ("SA07", 2, |d, h, _| {
            plain(d, h)?;
            set(d, h, ALL, c::TEKUN_ALLOWANCE, "8000");
            household(h, "特困人员救助供养金 8000 元，但没有成员享受特困供养")
        }),
        ("SA08", 2, |d, h, _| {
            d.households.get(h).filter(|hh| hh.tekun)?;
            set(d, h, ALL, c::TEKUN_ALLOWANCE, "0");
            household(h, "有成员享受特困供养，特困人员救助供养金为 0")
        }),
        ("SA09", 2, |d, h, _| {
            let hh = d.households.get(h)?;
            if hh.dibao == DibaoStatus::None || hh.tekun {
                return None;
            }
            let pos = member(d, h, |_, a| !(18..60).contains(&a))?;
            set(d, h, pos, col::TEKUN, "农村特困");
            set(d, h, ALL, c::TEKUN_ALLOWANCE, "8000");
            person(h, pos, "同时享受低保和特困供养".into())
        }),
    ]
}

fn posts_and_insurance() -> Vec<(&'static str, usize, Apply)> {
    vec![
        ("WP02", 2, |d, h, _| {
            let pos = member(d, h, |p, _| p.welfare_post != Post::None)?;
            set(d, h, pos, c::POST_MONTHS, "0");
            person(h, pos, "在公益性岗位，公益性岗位(月数)为 0".into())
        }),
        ("WP03", 2, |d, h, _| {
            let pos = member(d, h, |p, _| p.welfare_post != Post::None)?;
            set(d, h, pos, c::POST_MONTHS, "13");
            person(h, pos, "公益性岗位(月数)为 13，超过12个月".into())
        }),
        ("WP04", 2, |d, h, _| {
            let pos = member(d, h, |p, a| {
                (30..=60).contains(&a) && p.welfare_post == Post::None
            })?;
            set(d, h, pos, c::POST_MONTHS, "6");
            person(h, pos, "不在公益性岗位，公益性岗位(月数)却为 6".into())
        }),
        ("WP05", 2, |d, h, _| {
            let pos = member(d, h, |p, a| {
                p.welfare_post != Post::None
                    && (16..=69).contains(&a)
                    && (a >= 60 || p.health != Health::Healthy)
            })?;
            let others = members(d, h)
                .iter()
                .enumerate()
                .any(|(i, p)| i != pos && full_labor(p.labor));
            others.then_some(())?;
            set(d, h, pos, col::LABOR, "丧失劳动力");
            let a = age(d, members(d, h).get(pos)?);
            person(h, pos, format!("{a}岁，丧失劳动力，在公益性岗位"))
        }),
        ("WP06", 2, |d, h, _| {
            plain(d, h)?;
            (!any_member(d, h, |p, _| p.labor.is_labor())).then_some(())?;
            set(d, h, ALL, EMPLOYMENT, "技能培训");
            household(h, "有就业帮扶（技能培训），但家中没有劳动力")
        }),
        ("WP07", 2, |d, h, _| {
            plain(d, h)?;
            (!any_member(d, h, |p, _| p.welfare_post != Post::None)).then_some(())?;
            set(d, h, ALL, WELFARE_POST, "是");
            household(h, "有公益岗位帮扶，但没有成员在公益性岗位")
        }),
        ("WP08", 2, |d, h, _| {
            let hh = d.households.get(h)?;
            let developing = [
                Assistance::Industry,
                Assistance::Employment,
                Assistance::Finance,
            ]
            .into_iter()
            .any(|m| hh.assistance.contains(m));
            if !hh.is_monitored() || !hh.assistance.contains(Assistance::WelfarePost) || !developing
            {
                return None;
            }
            member(d, h, |p, a| {
                p.welfare_post != Post::None && (16..=69).contains(&a)
            })?;
            set(d, h, ALL, WELFARE_POST, "");
            household(h, "监测户有成员在公益性岗位，公益岗位帮扶却为空")
        }),
        ("WP09", 2, |d, h, _| {
            plain(d, h)?;
            let pos = member(d, h, |p, a| {
                (16..=22).contains(&a) && p.school.in_school() && p.labor == LaborSkill::NoLabor
            })?;
            set(d, h, pos, col::POST, Post::Village.label());
            set(d, h, pos, c::POST_MONTHS, "6");
            person(h, pos, "在校生在村级公益性岗位".into())
        }),
        ("IN03", 2, |d, h, _| {
            let pos = member(d, h, |p, _| p.basic_medical == Some(true))?;
            set(d, h, pos, c::WORKER_MEDICAL, "是");
            person(
                h,
                pos,
                "同时参加城乡居民基本医疗保险和城镇职工基本医疗保险".into(),
            )
        }),
        ("IN04", 2, |d, h, _| {
            let pos = member(d, h, |p, a| a >= 16 && !p.school.in_school())?;
            set(d, h, pos, c::WORKER_PENSION, "是");
            person(
                h,
                pos,
                "同时参加城乡居民基本养老保险和城镇职工基本养老保险".into(),
            )
        }),
        ("IN05", 2, |d, h, _| {
            let pos = member(d, h, |p, a| (16..=59).contains(&a) && !p.school.in_school())?;
            set(d, h, pos, c::PENSION, "否");
            let a = age(d, members(d, h).get(pos)?);
            person(h, pos, format!("{a}岁，非在校生，未参加任何基本养老保险"))
        }),
        ("IN07", 2, |d, h, _| {
            plain(d, h)?;
            members(d, h)
                .iter()
                .all(|p| p.basic_medical == Some(true))
                .then_some(())?;
            set(d, h, ALL, c::UNINSURED, "是");
            household(h, "是否有家庭成员未参加基本医疗保险为是，但成员均已参保")
        }),
    ]
}

fn risks_and_income() -> Vec<(&'static str, usize, Apply)> {
    vec![
        ("RK08", 2, |d, h, _| {
            let hh = open(d, h)?;
            if hh.risk2.is_some() || hh.risk1 == Some(Risk::LackOfLabor) {
                return None;
            }
            let ms = members(d, h);
            let labor = ms.iter().filter(|p| full_labor(p.labor)).count();
            (labor * 2 > ms.len()).then_some(())?;
            set(d, h, ALL, col::RISK2, Risk::LackOfLabor.label());
            household(h, "风险含缺劳动力，但家中过半成员是普通或技能劳动力")
        }),
        ("RK09", 2, |d, h, _| {
            let hh = d.households.get(h)?;
            if !hh.is_monitored() || !has_risk(hh, Risk::Illness) {
                return None;
            }
            set(d, h, ALL, c::SELF_PAY, "0");
            household(h, "风险含因病，合规自付支出为 0")
        }),
        ("RK10", 2, |d, h, _| {
            let hh = open(d, h)?;
            if hh.risk2.is_some() || hh.risk1 == Some(Risk::Schooling) {
                return None;
            }
            (!any_member(d, h, |p, _| p.school.in_school())).then_some(())?;
            set(d, h, ALL, col::RISK2, Risk::Schooling.label());
            household(h, "风险含因学，但家中没有在校生")
        }),
        ("RK11", 2, |d, h, _| {
            let hh = open(d, h)?;
            if hh.risk2.is_some() || hh.risk1 == Some(Risk::UnstableWork) {
                return None;
            }
            (!any_member(d, h, |p, _| p.labor.is_labor())).then_some(())?;
            set(d, h, ALL, col::RISK2, Risk::UnstableWork.label());
            household(h, "风险含因务工就业不稳，但家中没有劳动力")
        }),
        ("RK12", 2, |d, h, _| {
            plain(d, h)?;
            set(d, h, ALL, col::RISK1, Risk::Accident.label());
            household(h, "不是监测户，致贫/返贫风险1却填了因意外事故")
        }),
        ("DV01", 2, |d, h, _| {
            d.households.get(h).filter(|hh| hh.is_monitored())?;
            if shown(d, h, 0, c::DEVELOPMENTAL) != "尚未实施" {
                return None;
            }
            set(d, h, ALL, c::DEVELOPMENTAL, "是");
            household(
                h,
                "实施开发式帮扶措施情况为是，但产业、就业、公益岗位、金融帮扶均为空",
            )
        }),
        ("IC01", 2, |d, h, _| {
            (plain(d, h)?.wage_income > 0).then_some(())?;
            set(d, h, ALL, col::WAGE_INCOME, "50");
            household(h, "工资性收入 50 元，不足 100 元（疑为按万元或月填写）")
        }),
        ("IC02", 2, |d, h, _| {
            open(d, h)?;
            set(d, h, ALL, col::INCOME, "0");
            household(h, "人均纯收入为 0")
        }),
        ("IC03", 2, |d, h, _| {
            plain(d, h)?;
            set(d, h, ALL, col::INCOME, "120000");
            household(h, "人均纯收入 120000 元，超过 100000 元")
        }),
        ("TW02", 2, |d, h, _| {
            let vocational = any_member(d, h, |p, _| {
                matches!(
                    p.school,
                    School::Vocational(_) | School::College(_) | School::Undergraduate(_)
                )
            });
            if vocational || !d.households.get(h)?.is_covered() {
                return None;
            }
            set(d, h, ALL, col::MEASURES[4], "雨露计划");
            household(h, "教育帮扶为雨露计划，但家中没有中职或高职在校生")
        }),
        ("IC04", 2, |d, h, k| {
            plain(d, h)?;
            if k == 0 {
                set(d, h, ALL, c::PROPERTY, "-500");
                household(h, "财产性收入为 -500 元")
            } else {
                set(d, h, ALL, c::TRANSFER, "-300");
                household(h, "转移性收入为 -300 元")
            }
        }),
    ]
}

fn sex_text(s: Sex) -> &'static str {
    if s == Sex::Male { "1" } else { "2" }
}

fn other_sex(s: Sex) -> Sex {
    if s == Sex::Male {
        Sex::Female
    } else {
        Sex::Male
    }
}

fn family_and_certificates() -> Vec<(&'static str, usize, Apply)> {
    vec![
        ("HH04", 2, |d, h, _| {
            let pos = member(d, h, |p, _| {
                p.relation == Relation::Spouse && no_spells(d, p)
            })?;
            let p = members(d, h).get(pos)?;
            let id = p.id_text();
            let digit = id.as_bytes().get(16)?.checked_sub(b'0')?;
            let flipped = if digit.is_multiple_of(2) {
                digit + 1
            } else {
                digit - 1
            };
            let first17 = format!("{}{}", id.get(..16)?, flipped);
            let number = format!("{first17}{}", gb11643_check_digit(&first17)?);
            let sex = other_sex(p.sex);
            set(d, h, pos, col::ID, &number);
            set(d, h, pos, col::SEX, sex_text(sex));
            household(h, "户主与配偶性别相同（配偶的性别和证件号码都录错了）")
        }),
        ("HH05", 2, |d, h, _| {
            let head = members(d, h)
                .iter()
                .find(|p| p.relation == Relation::Head)?;
            let head_sex = head.sex;
            member(d, h, |p, _| p.relation == Relation::Spouse)?;
            let pos = member(d, h, |p, a| {
                a >= 18
                    && p.sex != head_sex
                    && !matches!(p.relation, Relation::Head | Relation::Spouse)
            })?;
            set(d, h, pos, col::RELATION, "配偶");
            household(h, "一户有两个配偶（儿媳的与户主关系填为配偶）")
        }),
        ("HH06", 2, |d, h, _| {
            let ms = members(d, h);
            let head_pos = ms.iter().position(|p| p.relation == Relation::Head)?;
            let head = ms.get(head_pos)?;
            if age(d, head) < 30 {
                return None;
            }
            let head_sex = head.sex;
            let pos = member(d, h, |p, a| {
                a < 16
                    && p.sex == head_sex
                    && matches!(p.relation, Relation::Son | Relation::Daughter)
            })?;
            set(d, h, pos, col::RELATION, "户主");
            let parent = if head_sex == Sex::Male {
                "之父"
            } else {
                "之母"
            };
            set(d, h, head_pos, col::RELATION, parent);
            let a = age(d, members(d, h).get(pos)?);
            person(
                h,
                pos,
                format!("{a}岁的子女录为户主（户主与子女的关系填反）"),
            )
        }),
        ("HH07", 2, |d, h, _| {
            let pos = member(d, h, |p, a| {
                (18..=29).contains(&a) && matches!(p.relation, Relation::Son | Relation::Daughter)
            })?;
            let p = members(d, h).get(pos)?;
            let text = if p.sex == Sex::Male {
                "之父"
            } else {
                "之母"
            };
            let a = age(d, p);
            set(d, h, pos, col::RELATION, text);
            person(h, pos, format!("{a}岁，与户主关系为{text}"))
        }),
        ("HH08", 2, |d, h, _| {
            let pos = member(d, h, |p, a| {
                a > 50 && !matches!(p.relation, Relation::Head | Relation::Spouse)
            })?;
            let p = members(d, h).get(pos)?;
            let text = if p.sex == Sex::Male {
                "之孙子"
            } else {
                "之孙女"
            };
            let a = age(d, p);
            set(d, h, pos, col::RELATION, text);
            person(h, pos, format!("{a}岁，与户主关系为{text}"))
        }),
        ("HH09", 2, |d, h, _| {
            let pos = member(d, h, |p, _| {
                matches!(p.relation, Relation::Son | Relation::Daughter)
            })?;
            let text = if members(d, h).get(pos)?.relation == Relation::Son {
                "儿子"
            } else {
                "女儿"
            };
            set(d, h, pos, col::RELATION, text);
            person(h, pos, format!("与户主关系写为“{text}”，不是规范取值"))
        }),
        ("HH10", 2, |d, h, _| {
            let pos = member(d, h, |p, _| {
                matches!(p.relation, Relation::Son | Relation::Daughter)
            })?;
            let sex = other_sex(members(d, h).get(pos)?.sex);
            set(d, h, pos, col::SEX, sex_text(sex));
            person(h, pos, "性别与证件号码不符".into())
        }),
        ("HH11", 2, |d, h, _| {
            let as_of = d.options.as_of;
            let pos = member(d, h, |_, a| (30..=50).contains(&a))?;
            let p = members(d, h).get(pos)?;
            let birth = p.birth + Duration::days(40);
            if super::super::people::age_on(birth, as_of) != p.age_on(as_of) {
                return None;
            }
            let text = birth.format("%Y%m%d").to_string();
            set(d, h, pos, col::BIRTH, &text);
            person(h, pos, format!("出生日期写为 {text}，与证件号码中的不符"))
        }),
        ("ID04", 2, |d, h, _| {
            let pos = member(d, h, |p, a| {
                a >= 18 && p.health == Health::Healthy && no_spells(d, p)
            })?;
            let number = disability_number(d, h, pos, "21")?;
            set(d, h, pos, col::ID_KIND, "残疾人证");
            set(d, h, pos, col::ID, &number);
            person(h, pos, "证件类型为残疾人证，健康状况为健康".into())
        }),
        ("ID05", 2, |d, h, _| {
            let pos = member(d, h, |p, _| p.health == Health::Disabled)?;
            set(d, h, pos, col::ID_KIND, "残疾人证");
            person(h, pos, "证件类型为残疾人证，证件号码只有18位".into())
        }),
        ("ID06", 2, |d, h, _| {
            let pos = member(d, h, |p, _| p.health == Health::Disabled && no_spells(d, p))?;
            let number = disability_number(d, h, pos, "21")?;
            set(d, h, pos, col::ID, &number);
            person(
                h,
                pos,
                "证件号码为20位残疾人证号，证件类型却为居民身份证".into(),
            )
        }),
        ("ID07", 2, |d, h, _| {
            // The labour written may make 缺劳动力 (RK08) wrong.
            if has_risk(d.households.get(h)?, Risk::LackOfLabor) {
                return None;
            }
            let pos = member(d, h, |p, a| {
                p.health == Health::Disabled && (20..=59).contains(&a) && no_spells(d, p)
            })?;
            let number = disability_number(d, h, pos, "41")?;
            set(d, h, pos, col::ID_KIND, "残疾人证");
            set(d, h, pos, col::ID, &number);
            set(d, h, pos, col::LABOR, "普通劳动力");
            person(
                h,
                pos,
                "一级肢体残疾（残疾人证号末两位41），劳动技能为普通劳动力".into(),
            )
        }),
        ("WK12", 2, |d, h, _| {
            let pos = member(d, h, |p, a| {
                (20..=50).contains(&a)
                    && d.work_in_view(p).class() == WorkPlace::NotWorking
                    && no_spells(d, p)
            })?;
            set(d, h, pos, col::WAGE, "3000");
            person(
                h,
                pos,
                "务工所在地为空（未务工），务工月收入却为 3000 元".into(),
            )
        }),
        ("WK15", 2, |d, h, _| {
            // An ordinary household (no work spells are kept for it, WK04 does not apply): a
            // pupil of 15 who left school for work.
            plain(d, h)?;
            let pos = member(d, h, |p, a| a == 15 && p.school.in_school())?;
            set(d, h, pos, col::SCHOOL, "");
            set(d, h, pos, col::EDUCATION, "初中");
            set(d, h, pos, col::WORK, "县内务工");
            person(h, pos, "15岁，务工所在地为县内务工（辍学务工）".into())
        }),
        ("WK13", 2, |d, h, _| {
            let pos = member(d, h, |p, _| {
                d.work_in_view(p).class() != WorkPlace::NotWorking && stays(d, p)
            })?;
            set(d, h, pos, c::WORK_MONTHS, "13");
            person(h, pos, "务工时间为 13 个月，超过12个月".into())
        }),
        ("WK14", 2, |d, h, _| {
            let pos = member(d, h, |p, _| {
                matches!(
                    d.work_in_view(p).class(),
                    WorkPlace::InCounty | WorkPlace::InProvince | WorkPlace::OutProvince
                ) && stays(d, p)
            })?;
            set(d, h, pos, c::WORK_MONTHS, "0");
            person(h, pos, "已务工，务工时间（月）为 0".into())
        }),
    ]
}

/// What a spell plant writes: cells (column, value) and the description.
type SpellApply = fn(&DemoData, &DemoPerson, &Spell) -> Option<(Vec<(usize, DemoCell)>, String)>;

fn month_cell(m: YearMonth) -> DemoCell {
    DemoCell::Text(work::month_text(m))
}

/// An earlier spell: worked, ended at least two months before the as-of month (so that it
/// counts in no month the reports look at, and last month's data have it too).
fn ended(d: &DemoData, s: &Spell) -> bool {
    let month = YearMonth::of(d.options.as_of).index();
    s.working && s.start.is_some() && s.end.is_some_and(|e| e.index() < month - 1)
}

fn spell_plans() -> [(&'static str, SpellApply); 7] {
    [
        ("WK05", |d, _, s| {
            ended(d, s).then_some(())?;
            Some((
                vec![(scol::START, DemoCell::Empty)],
                "已务工，开始时间为空".into(),
            ))
        }),
        ("WK06", |d, _, s| {
            ended(d, s).then_some(())?;
            let start = s.start?;
            let end = YearMonth::from_index(start.index() - 2);
            Some((
                vec![(scol::END, month_cell(end))],
                format!("结束时间 {} 早于开始时间 {}", end.text(), start.text()),
            ))
        }),
        ("WK07", |d, _, s| {
            if s.working {
                return None;
            }
            let later = YearMonth::from_index(YearMonth::of(d.options.as_of).index() + 2);
            Some((
                vec![(scol::START, month_cell(later))],
                format!("开始时间 {} 晚于统计截止月份", later.text()),
            ))
        }),
        ("WK08", |d, _, s| {
            ended(d, s).then_some(())?;
            Some((
                vec![(scol::WAGE, DemoCell::Text("50".into()))],
                "务工月收入 50 元，不在100–30000元之间".into(),
            ))
        }),
        ("WK09", |d, _, s| {
            ended(d, s).then_some(())?;
            Some((
                vec![(scol::PLACE, DemoCell::Empty)],
                "已务工，务工所在县为空".into(),
            ))
        }),
        ("WK10", |d, p, s| {
            ended(d, s).then_some(())?;
            // The same person under a number the roster does not know (sequence code 999).
            let id = p.id_text();
            let first17 = format!("{}999", id.get(..14)?);
            let number = format!("{first17}{}", gb11643_check_digit(&first17)?);
            (number != id).then_some(())?;
            Some((
                vec![(scol::ID, DemoCell::Text(number))],
                "务工记录的证件号码在人员表中不存在（录错了顺序码）".into(),
            ))
        }),
        ("WK11", |_, _, s| {
            if s.working {
                return None;
            }
            Some((
                vec![(scol::WAGE, DemoCell::Text("2500".into()))],
                "是否已务工为否，务工月收入却为 2500 元".into(),
            ))
        }),
    ]
}

/// Plants the defects of the rules on 已外出务工信息 (WK05–WK11): two rows each, of persons
/// in households nothing else is planted in.
pub(super) fn plant_spells(pl: &mut Planter<'_>) {
    let mut rng = Rng::derive(pl.data.options.seed, &[9]);
    let order = shuffled(pl.data.persons.len(), &mut rng);
    for (code, apply) in spell_plans() {
        let mut planted = 0;
        for &i in &order {
            if planted == 2 {
                break;
            }
            let Some(p) = pl.data.persons.get(i).cloned() else {
                continue;
            };
            let h = p.household;
            if !pl.free(h) {
                continue;
            }
            let spells = work::person_spells(pl.data, &p);
            let Some((index, (cells, description))) = spells
                .iter()
                .enumerate()
                .find_map(|(k, s)| Some((k, apply(pl.data, &p, s)?)))
            else {
                continue;
            };
            let keys: Vec<_> = cells
                .iter()
                .map(|(c, _)| (h, p.member, index, *c))
                .collect();
            for (key, (_, cell)) in keys.iter().zip(cells) {
                pl.data.spell_overrides.insert(*key, cell);
            }
            if !audit::audit_household(pl.data, h).is_empty() {
                for key in keys {
                    pl.data.spell_overrides.remove(&key);
                }
                continue;
            }
            let first = pl.data.households.get(h).map_or(0, |hh| hh.first_person);
            pl.mark(h);
            planted += 1;
            pl.planted.defects.entry(code).or_default().push(Plant::new(
                Target::Spell {
                    household: h,
                    position: i - first,
                    index,
                },
                description,
            ));
        }
        if planted < 2 {
            *pl.planted.shortfalls.entry(code).or_default() += 2 - planted;
        }
    }
}

/// What a village plant writes, given the village's written row and what the roster holds
/// of it (households, persons): cells and the description.
type VillageApply = fn(&villages::VillageRow, [u32; 2]) -> Option<(Vec<(usize, String)>, String)>;

fn village_plans() -> [(&'static str, VillageApply); 6] {
    [
        ("VG01", |r, roster| {
            let persons = r.households.checked_sub(1)?;
            (persons >= roster[1]).then_some(())?;
            Some((
                vec![(vcol::PERSONS, persons.to_string())],
                format!("总户数 {} 大于总人口数 {persons}", r.households),
            ))
        }),
        ("VG02", |_, _| {
            Some((
                vec![(vcol::COLLECTIVE_INCOME, "-3.50".into())],
                "村级集体经济收入为 -3.50 万元".into(),
            ))
        }),
        ("VG03", |_, _| {
            Some((
                vec![(vcol::COLLECTIVE_INCOME, String::new())],
                "村级集体经济收入为空".into(),
            ))
        }),
        ("VG04", |r, roster| {
            let households = roster[0].checked_sub(1)?;
            (households >= 1 && households <= r.persons).then_some(())?;
            Some((
                vec![(vcol::HOUSEHOLDS, households.to_string())],
                format!("总户数 {households}，少于人员表中该村的 {} 户", roster[0]),
            ))
        }),
        ("VG05", |_, roster| {
            let persons = roster[1].checked_sub(1)?;
            (roster[0] >= 1 && persons >= roster[0]).then_some(())?;
            Some((
                vec![
                    (vcol::HOUSEHOLDS, roster[0].to_string()),
                    (vcol::PERSONS, persons.to_string()),
                ],
                format!("总人口数 {persons}，少于人员表中该村的 {} 人", roster[1]),
            ))
        }),
        ("VG06", |_, _| {
            Some((vec![(vcol::EXITED, String::new())], "是否出列为空".into()))
        }),
    ]
}

/// Plants the defects of the rules on 行政村信息 (VG01–VG06): two villages each.
pub(super) fn plant_villages(pl: &mut Planter<'_>) {
    let mut rng = Rng::derive(pl.data.options.seed, &[10]);
    let rows = villages::village_rows(pl.data);
    let roster = villages::roster_counts(pl.data);
    let order = shuffled(rows.len(), &mut rng);
    let mut used = vec![false; rows.len()];
    for (code, apply) in village_plans() {
        let mut planted = 0;
        for &v in &order {
            if planted == 2 {
                break;
            }
            let (Some(row), Some(r), Some(false)) =
                (rows.get(v), roster.get(v), used.get(v).copied())
            else {
                continue;
            };
            // Villages the roster holds households of (VG04 and VG05 compare with them).
            if r[0] == 0 {
                continue;
            }
            let Some((cells, description)) = apply(row, [r[0], r[1]]) else {
                continue;
            };
            for (c, text) in cells {
                let cell = if text.is_empty() {
                    DemoCell::Empty
                } else {
                    DemoCell::Text(text)
                };
                pl.data.village_overrides.insert((v, c), cell);
            }
            if let Some(u) = used.get_mut(v) {
                *u = true;
            }
            planted += 1;
            pl.planted
                .defects
                .entry(code)
                .or_default()
                .push(Plant::new(Target::Village(v), description));
        }
        if planted < 2 {
            *pl.planted.shortfalls.entry(code).or_default() += 2 - planted;
        }
    }
}
