//! Which rows count: total rows (合计, 小计, 全县 …) and, with a county as the configured
//! region, only that county's rows (SPEC §2, §3).

use rustc_hash::FxHashMap;

use crate::division::{DivisionTable, Place, Places};

/// Words that make a row a total when they start its label (`合计`, `小计（城关镇）`).
const TOTAL_WORDS: [&str; 5] = ["合计", "总计", "小计", "共计", "总合计"];

/// Whole-area words: a row labelled `全县` or `全县合计` is a total. An explicit list, not a
/// prefix rule: 全椒县 and 全州县 are counties.
const WHOLE_AREA_WORDS: [&str; 6] = ["全市", "全县", "全区", "全省", "全镇", "全乡"];

/// What may follow a total word in a label: brackets, a colon, or nothing.
fn closes_label(rest: &str) -> bool {
    rest.is_empty() || rest.starts_with(['(', '（', '[', '【', ':', '：', '-', '—'])
}

/// Whether a cell marks a total row: `合计`, `总 计`, `小计（城关镇）`, `全县`, `全市合计`.
///
/// # Examples
/// ```
/// use gonggu_core::ingest::is_total_label;
/// assert!(is_total_label("合 计"));
/// assert!(is_total_label("小计（城关镇）"));
/// assert!(is_total_label("全县合计"));
/// assert!(!is_total_label("全椒县"));
/// assert!(!is_total_label("全县农村公路提升工程"));
/// assert!(!is_total_label("小计划"));
/// ```
pub fn is_total_label(text: &str) -> bool {
    // Called for several cells of every row: most cells cannot start a total word.
    if !text
        .trim_start()
        .starts_with(['合', '总', '小', '共', '全'])
    {
        return false;
    }
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return false;
    }
    let total_word = |s: &str| {
        TOTAL_WORDS
            .iter()
            .any(|w| s.strip_prefix(w).is_some_and(closes_label))
    };
    total_word(&t)
        || WHOLE_AREA_WORDS.iter().any(|w| {
            t.strip_prefix(w)
                .is_some_and(|rest| closes_label(rest) || total_word(rest))
        })
}

/// Whether a region cell names the parent region itself (`夏邑县`, `夏邑县合计`), after
/// `[region_aliases]` (`alias`).
pub(crate) fn names_parent(text: &str, parent: &str, alias: impl Fn(&str) -> String) -> bool {
    let t = text.trim();
    if parent.is_empty() || t.is_empty() {
        return false;
    }
    if t == parent || alias(t) == parent {
        return true;
    }
    t.strip_prefix(parent)
        .is_some_and(|rest| TOTAL_WORDS.iter().any(|w| rest.trim() == *w))
}

/// The configured region when it is one county: only its rows count.
#[derive(Debug)]
pub(crate) struct CountyScope {
    /// The configured name (`夏邑县`).
    pub(crate) name: String,
    /// Its place in the division table, when found.
    place: Option<Place>,
    /// 县 cell → whether it names the county.
    cache: FxHashMap<Box<str>, bool>,
}

impl CountyScope {
    /// The scope of a configured region name, when the name is a county: a county-level
    /// unit of the division table (`[region] code` pins it), a zone of `[region_codes]`, or
    /// a name the table lacks that ends in 县, 旗 or 区 (functional zones: 示范区, 高新区).
    /// `None` for a city, a province, or no name.
    pub(crate) fn new(name: Option<&str>, places: &Places) -> Option<CountyScope> {
        let name = name.map(str::trim).filter(|n| !n.is_empty())?;
        let county = match places.scope() {
            Some(p) => places.county_like(p).then_some(Some(p)),
            None => {
                let table = DivisionTable::builtin();
                let units = table.units_named(name);
                if units.is_empty() {
                    name.ends_with(['县', '旗', '区']).then_some(None)
                } else {
                    units
                        .iter()
                        .all(|u| table.is_county_like(*u))
                        .then_some(None)
                }
            }
        }?;
        Some(CountyScope {
            name: name.to_string(),
            place: county,
            cache: FxHashMap::default(),
        })
    }

    /// Whether a 县 cell (after `[region_aliases]`) names the county: the same name, the
    /// name with its city before it (`商丘市夏邑县`), or the same unit of the division table
    /// (`夏邑`).
    pub(crate) fn contains(&mut self, county_cell: &str, places: &Places) -> bool {
        if let Some(&known) = self.cache.get(county_cell) {
            return known;
        }
        let c = county_cell.trim();
        let same_name = c == self.name
            || (c.chars().count() >= 2 && (self.name.ends_with(c) || c.ends_with(&self.name)));
        let same_place = || self.place.is_some_and(|p| places.home(c).county == Some(p));
        let inside = same_name || same_place();
        self.cache.insert(county_cell.into(), inside);
        inside
    }
}

#[cfg(test)]
mod tests;
