//! The household's own place and the destination of a 务工所在地 (SPEC §3.1).
//!
//! [`Places`] holds what the configuration says about where the data come from: the region
//! (`[region] name`, pinned by `[region] code`) and the names the table lacks
//! (`[region_codes]`, e.g. 商丘's 示范区). [`Places::home`] finds a household's county from
//! its 县 cell; [`Places::classify`] compares an address with it. [`Classifier`] does both
//! for a whole roster, once per distinct county and address.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use super::{DivisionId, DivisionTable, Place, Resolution, ZoneLookup};
use crate::error::{Error, Result};
use crate::ingest::vocab;
use crate::model::{WorkPlace, WorkPlaceEntry, WorkPlaceProblem};

/// A `[region_codes]` name whose code is a province or prefecture: a county-level unit of
/// its own inside it (a functional zone).
#[derive(Debug, Clone)]
struct Zone {
    name: String,
    parent: DivisionId,
}

/// The configured context of a roster: its region and the extra names of `[region_codes]`.
#[derive(Debug, Clone)]
pub struct Places {
    table: &'static DivisionTable,
    zones: Vec<Zone>,
    named: HashMap<Box<str>, Vec<Place>>,
    max_chars: usize,
    scope: Option<Place>,
    region_problem: Option<String>,
}

impl ZoneLookup for Places {
    fn named(&self, form: &str) -> &[Place] {
        self.named.get(form).map(Vec::as_slice).unwrap_or(&[])
    }

    fn parent(&self, zone: u32) -> Option<DivisionId> {
        self.zones.get(zone as usize).map(|z| z.parent)
    }

    fn max_chars(&self) -> usize {
        self.max_chars
    }
}

/// A code from the configuration: a unit of the table that is a place (not 市辖区).
fn configured_code(table: &DivisionTable, code: &str, what: &str) -> Result<DivisionId> {
    table
        .by_code(code)
        .filter(|id| !table.get(*id).grouping)
        .ok_or_else(|| {
            Error::Config(format!(
                "{what}「{code}」不在行政区划表中（应为 6 位代码，如 411400）"
            ))
        })
}

/// A household's own place, found from its 县 cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    /// The 县 cell as written.
    pub written: String,
    /// Its county-level place, when the cell could be placed.
    pub county: Option<Place>,
    /// Its province: the county's, else the configured region's.
    pub province: Option<DivisionId>,
    /// When the cell names several counties: their full names.
    pub candidates: Vec<String>,
}

impl Default for Places {
    fn default() -> Self {
        Places {
            table: DivisionTable::builtin(),
            zones: Vec::new(),
            named: HashMap::new(),
            max_chars: 0,
            scope: None,
            region_problem: None,
        }
    }
}

impl Places {
    /// The context of a roster.
    ///
    /// # Parameters
    /// - `region_name`: `[region] name` (`商丘市`), looked up in the table unless
    ///   `region_code` is given;
    /// - `region_code`: `[region] code` (`411400`), which pins the region;
    /// - `region_codes`: `[region_codes]`, name → code, for names the table lacks. A county
    ///   code makes the name another name of that county; a prefecture or province code makes
    ///   it a county-level unit of its own inside that prefecture or province.
    ///
    /// A region name that cannot be placed is not an error: households whose 县 cell
    /// cannot be placed either get a note, and their addresses in the same province count
    /// as destination unknown.
    ///
    /// # Errors
    /// [`Error::Config`] when `region_code` or a code of `region_codes` is not a code of the
    /// table (six digits, or two or four for a province or prefecture).
    ///
    /// # Examples
    /// ```
    /// use std::collections::BTreeMap;
    /// use gonggu_core::division::Places;
    /// let codes = BTreeMap::from([("示范区".to_string(), "411400".to_string())]);
    /// let places = Places::new(Some("商丘市"), None, &codes).unwrap();
    /// assert!(places.home("示范区").county.is_some());
    /// let bad = BTreeMap::from([("示范区".to_string(), "411499".to_string())]);
    /// assert!(Places::new(Some("商丘市"), None, &bad).is_err());
    /// ```
    pub fn new(
        region_name: Option<&str>,
        region_code: Option<&str>,
        region_codes: &BTreeMap<String, String>,
    ) -> Result<Places> {
        let table = DivisionTable::builtin();
        let mut places = Places::default();
        for (name, code) in region_codes {
            let name = name.trim();
            let id = configured_code(table, code, &format!("[region_codes] 中「{name}」的代码"))?;
            let place = if table.is_county_like(id) {
                Place::Unit(id)
            } else {
                places.zones.push(Zone {
                    name: name.to_string(),
                    parent: id,
                });
                Place::Zone(places.zones.len() as u32 - 1)
            };
            places.named.insert(name.into(), vec![place]);
            places.max_chars = places.max_chars.max(name.chars().count());
        }
        if let Some(code) = region_code.map(str::trim).filter(|c| !c.is_empty()) {
            let id = configured_code(table, code, "[region] code")?;
            places.scope = Some(Place::Unit(id));
        } else if let Some(name) = region_name.map(str::trim).filter(|n| !n.is_empty()) {
            match places.resolve(name) {
                Resolution::Place(p) => places.scope = Some(p),
                Resolution::Ambiguous(c) => {
                    places.region_problem = Some(format!(
                        "配置的地区名称「{name}」在行政区划表中有多处同名（{}），可在 gonggu.toml 的 [region] code 中指定其代码。",
                        places.labels(&c).join("、")
                    ));
                }
                _ => {
                    places.region_problem = Some(format!(
                        "配置的地区名称「{name}」在行政区划表中找不到，可在 gonggu.toml 的 [region] code 中指定其代码。"
                    ));
                }
            }
        }
        Ok(places)
    }

    /// The configured region as placed in the table (`None` when not configured or not
    /// found).
    pub fn scope(&self) -> Option<Place> {
        self.scope
    }

    /// [`DivisionTable::resolve`] that also knows the names of `[region_codes]`.
    pub fn resolve(&self, text: &str) -> Resolution {
        self.table.resolve_with(text, self).0
    }

    /// The full name of a place (`河南省商丘市梁园区`, `河南省商丘市示范区`).
    pub fn label(&self, place: Place) -> String {
        match place {
            Place::Unit(u) => self.table.label(u),
            Place::Zone(z) => match self.zones.get(z as usize) {
                Some(zone) => format!("{}{}", self.table.label(zone.parent), zone.name),
                None => String::new(),
            },
        }
    }

    fn labels(&self, places: &[Place]) -> Vec<String> {
        places.iter().map(|p| self.label(*p)).collect()
    }

    fn province(&self, place: Place) -> Option<DivisionId> {
        match place {
            Place::Unit(u) => Some(self.table.province_of(u)),
            Place::Zone(z) => self.parent(z).map(|p| self.table.province_of(p)),
        }
    }

    /// Whether a place is county-level: a county, a prefecture not divided into counties
    /// (东莞市), or a zone of `[region_codes]`.
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::division::Places;
    /// let county = Places::new(Some("夏邑县"), None, &Default::default()).unwrap();
    /// assert!(county.county_like(county.scope().unwrap()));
    /// let city = Places::new(Some("商丘市"), None, &Default::default()).unwrap();
    /// assert!(!city.county_like(city.scope().unwrap()));
    /// ```
    pub fn county_like(&self, place: Place) -> bool {
        match place {
            Place::Unit(u) => self.table.is_county_like(u),
            Place::Zone(_) => true,
        }
    }

    fn within(&self, a: Place, b: Place) -> bool {
        self.table.place_within(a, b, self)
    }

    /// A household's own place from its 县 cell: a `[region_codes]` name, else the county
    /// the cell names inside the configured region (or, failing that, anywhere, when only
    /// one county has that name).
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::division::Places;
    /// let places = Places::new(Some("商丘市"), None, &Default::default()).unwrap();
    /// assert!(places.home("夏邑县").county.is_some());
    /// let zone = places.home("示范区"); // not in GB/T 2260, no [region_codes]
    /// assert!(zone.county.is_none());
    /// assert!(zone.province.is_some()); // 河南, from the region
    /// ```
    pub fn home(&self, county: &str) -> Home {
        let written = county.trim();
        let scope_province = self.scope.and_then(|s| self.province(s));
        let mut home = Home {
            written: written.to_string(),
            county: None,
            province: scope_province,
            candidates: Vec::new(),
        };
        let cands: Vec<Place> = match self.resolve(written) {
            Resolution::Place(p) => vec![p],
            Resolution::Ambiguous(v) => v,
            Resolution::Abroad | Resolution::NotAPlace => Vec::new(),
        };
        let counties: Vec<Place> = cands.into_iter().filter(|p| self.county_like(*p)).collect();
        let inside: Vec<Place> = match self.scope {
            Some(s) => counties
                .iter()
                .copied()
                .filter(|p| self.within(*p, s))
                .collect(),
            None => counties.clone(),
        };
        let pick = match (inside.as_slice(), counties.as_slice()) {
            ([one], _) => Some(*one),
            ([], [one]) => Some(*one),
            _ => None,
        };
        match pick {
            Some(p) => {
                home.county = Some(p);
                home.province = self.province(p);
            }
            None if counties.len() > 1 => home.candidates = self.labels(&counties),
            None => {}
        }
        home
    }

    /// The destination of a 务工所在地 for a household at `home` (SPEC §3.1): blank, `否`
    /// or `无` → not working; an address in the same county → 县内, in the same province →
    /// 省内县外, in another province or outside the mainland → 省外; a category word
    /// (`省外务工`, `县外省内务工`, `乡镇内务工`) keeps its meaning; anything else is working
    /// with destination unknown, and the problem says why.
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::division::Places;
    /// use gonggu_core::model::{WorkPlace, WorkPlaceProblem};
    /// let places = Places::new(Some("商丘市"), None, &Default::default()).unwrap();
    /// let home = places.home("夏邑县");
    /// assert_eq!(places.classify(&home, "河南省商丘市夏邑县会亭镇").0, WorkPlace::InCounty);
    /// assert_eq!(places.classify(&home, "河南省郑州市金水区").0, WorkPlace::InProvince);
    /// assert_eq!(places.classify(&home, "江苏省苏州市昆山市").0, WorkPlace::OutProvince);
    /// assert_eq!(places.classify(&home, "县外省内务工").0, WorkPlace::InProvince);
    /// let (class, problem) = places.classify(&home, "鼓楼区");
    /// assert_eq!(class, WorkPlace::Unknown);
    /// assert!(matches!(problem, Some(WorkPlaceProblem::Ambiguous(c)) if c.len() == 4));
    /// assert_eq!(places.classify(&home, "否").0, WorkPlace::NotWorking);
    /// ```
    pub fn classify(&self, home: &Home, text: &str) -> (WorkPlace, Option<WorkPlaceProblem>) {
        let text = text.trim();
        if vocab::is_nothing(text) {
            return (WorkPlace::NotWorking, None);
        }
        let (resolution, consumed) = self.table.resolve_with(text, self);
        let definite = match resolution {
            Resolution::Abroad => Ok(WorkPlace::OutProvince),
            Resolution::Place(p) => self.destination(home, p),
            Resolution::Ambiguous(c) => Err(WorkPlaceProblem::Ambiguous(self.labels(&c))),
            Resolution::NotAPlace => Err(WorkPlaceProblem::NotAPlace),
        };
        match definite {
            Ok(class) => (class, None),
            // What follows the place may still say it (`河南省内县外务工`).
            Err(problem) => match vocab::work_category(text.get(consumed..).unwrap_or("")) {
                Some(class) => (class, None),
                None => (WorkPlace::Unknown, Some(problem)),
            },
        }
    }

    fn destination(
        &self,
        home: &Home,
        p: Place,
    ) -> std::result::Result<WorkPlace, WorkPlaceProblem> {
        let unknown_home = || WorkPlaceProblem::HomeUnknown(home.written.clone());
        let Some(home_province) = home.province else {
            return Err(unknown_home());
        };
        if self.province(p) != Some(home_province) {
            return Ok(WorkPlace::OutProvince);
        }
        let Some(own) = home.county else {
            return Err(unknown_home());
        };
        if self.county_like(p) {
            Ok(if own == p {
                WorkPlace::InCounty
            } else {
                WorkPlace::InProvince
            })
        } else if self.within(own, p) {
            Err(WorkPlaceProblem::Coarse(self.label(p)))
        } else {
            Ok(WorkPlace::InProvince)
        }
    }
}

/// Per-county state of a [`Classifier`].
#[derive(Debug)]
struct HomeState {
    home: Home,
    seen: FxHashMap<Box<str>, u32>,
    unknown_home_persons: u64,
}

/// Classifies the 务工所在地 of a whole roster: each household county is placed once, each
/// distinct address once per county (real rosters repeat a few thousand addresses), and
/// every distinct result is kept once as a [`WorkPlaceEntry`].
///
/// # Examples
/// ```
/// use gonggu_core::division::{Classifier, Places};
/// use gonggu_core::model::WorkPlace;
/// let mut c = Classifier::new(Places::new(Some("商丘市"), None, &Default::default()).unwrap());
/// let a = c.classify("夏邑县", "浙江省宁波市北仑区").unwrap();
/// let b = c.classify("夏邑县", "浙江省宁波市北仑区").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(c.entries()[a as usize].place, WorkPlace::OutProvince);
/// assert_eq!(c.classify("夏邑县", ""), None);
/// ```
#[derive(Debug)]
pub struct Classifier {
    places: Places,
    homes: FxHashMap<Box<str>, u32>,
    states: Vec<HomeState>,
    entries: Vec<WorkPlaceEntry>,
    unknown_persons: u64,
}

impl Classifier {
    /// A classifier for one configured context.
    pub fn new(places: Places) -> Classifier {
        Classifier {
            places,
            homes: FxHashMap::default(),
            states: Vec::new(),
            entries: Vec::new(),
            unknown_persons: 0,
        }
    }

    /// The context it classifies in.
    pub fn places(&self) -> &Places {
        &self.places
    }

    /// Classifies one person's 务工所在地 for a household whose 县 cell is `county`: the
    /// index of its entry in [`entries`](Self::entries), or `None` when blank, `否`, `无`
    /// (not working).
    pub fn classify(&mut self, county: &str, text: &str) -> Option<u32> {
        let text = text.trim();
        if vocab::is_nothing(text) {
            return None;
        }
        let h = match self.homes.get(county) {
            Some(&h) => h,
            None => {
                let h = self.states.len() as u32;
                self.states.push(HomeState {
                    home: self.places.home(county),
                    seen: FxHashMap::default(),
                    unknown_home_persons: 0,
                });
                self.homes.insert(county.into(), h);
                h
            }
        };
        let state = self.states.get_mut(h as usize)?;
        let entry = match state.seen.get(text) {
            Some(&e) => e,
            None => {
                let (place, problem) = self.places.classify(&state.home, text);
                let e = self.entries.len() as u32;
                self.entries.push(WorkPlaceEntry {
                    text: text.into(),
                    place,
                    problem,
                });
                state.seen.insert(text.into(), e);
                e
            }
        };
        if let Some(found) = self.entries.get(entry as usize)
            && found.place == WorkPlace::Unknown
        {
            self.unknown_persons += 1;
            if matches!(found.problem, Some(WorkPlaceProblem::HomeUnknown(_))) {
                state.unknown_home_persons += 1;
            }
        }
        Some(entry)
    }

    /// The distinct classified values so far.
    pub fn entries(&self) -> &[WorkPlaceEntry] {
        &self.entries
    }

    /// The entries, and notes for the user (Chinese) about counties that could not be
    /// placed and persons whose destination is unknown.
    pub fn finish(self) -> (Vec<WorkPlaceEntry>, Vec<String>) {
        self.finish_with(false)
    }

    /// Like [`finish`](Self::finish); with `only_checked` (an 已外出务工信息 export gives
    /// the month's destinations), the roster's 务工所在地 are only cross-checked, and the
    /// note about the unplaceable ones says so instead of counting them as 去向不明.
    pub fn finish_with(self, only_checked: bool) -> (Vec<WorkPlaceEntry>, Vec<String>) {
        let mut notes = Vec::new();
        let mut any_home = false;
        for s in self.states.iter().filter(|s| s.unknown_home_persons > 0) {
            any_home = true;
            let why = if s.home.candidates.is_empty() {
                "在行政区划表中找不到".to_string()
            } else {
                format!(
                    "在行政区划表中有多处同名（{}）",
                    s.home.candidates.join("、")
                )
            };
            notes.push(format!(
                "县(市、区)「{}」{why}，其在本省务工的 {} 人无法判断是否县外，按务工去向不明统计；可在 gonggu.toml 的 [region_codes] 中为它指定代码（如 \"{}\" = \"411400\"：所在市或所属县的代码）。",
                s.home.written, s.unknown_home_persons, s.home.written
            ));
        }
        if any_home && let Some(p) = &self.places.region_problem {
            notes.push(p.clone());
        }
        if self.unknown_persons > 0 && only_checked {
            notes.push(format!(
                "人员表中有 {} 人的务工所在地无法判断去向（县内、省内县外或省外）；本月去向按已外出务工信息统计，这些值只作核对；gonggu check 的 WK02 逐条列出。",
                self.unknown_persons
            ));
        } else if self.unknown_persons > 0 {
            notes.push(format!(
                "有 {} 人的务工所在地无法判断去向（县内、省内县外或省外），计入务工去向不明人数；gonggu check 的 WK02 逐条列出。",
                self.unknown_persons
            ));
        }
        (self.entries, notes)
    }
}
