//! Turns recognised rows into typed records: persons merged by 证件号码 and grouped into
//! households, projects, loans, 汇总 and 目标 rows.

use rustc_hash::FxHashSet;

use rust_decimal::Decimal;

use crate::division::Classifier;
use crate::error::{Error, Place, Result};
use crate::model::{
    Assistance, AssistanceSet, BadValue, Dataset, Household, HouseholdInfoRow, IdIndex, IdKey,
    IdNumber, Loan, Person, PersonFacts, PlannedWorker, Project, RiskSet, RowRef, SourceInfo,
    SummaryRow, TableKind, TargetRow, VillageInfo, WorkPlace, WorkSpell,
};
use crate::region::{Level, RegionId};

use super::ReadOptions;
use super::schema::{Col, ColumnMap};
use super::scope::{CountyScope, is_total_label, names_parent};
use super::source::{CellKind, RawCell, RowBuf};
use super::value::{self, Unparseable};
use super::vocab;

const MEASURE_COLS: [(Col, Assistance); 14] = [
    (Col::MIndustry, Assistance::Industry),
    (Col::MEmployment, Assistance::Employment),
    (Col::MWelfarePost, Assistance::WelfarePost),
    (Col::MHealth, Assistance::Health),
    (Col::MEducation, Assistance::Education),
    (Col::MCompulsoryEducation, Assistance::CompulsoryEducation),
    (Col::MHousing, Assistance::Housing),
    (Col::MWater, Assistance::Water),
    (Col::MSocialSecurity, Assistance::SocialSecurity),
    (Col::MSocial, Assistance::Social),
    (Col::MFinance, Assistance::Finance),
    (Col::MRelocation, Assistance::Relocation),
    (Col::MLivingConditions, Assistance::LivingConditions),
    (Col::MInfrastructure, Assistance::Infrastructure),
];

const RISK_COLS: [Col; 5] = [Col::Risk1, Col::Risk2, Col::Risk3, Col::Risk4, Col::Risk5];

static EMPTY: RawCell = RawCell {
    kind: CellKind::Empty,
    text: String::new(),
    number: 0.0,
};

/// One row of a recognised table, with the helpers that parse its cells and record the
/// values that fail.
pub struct RowCtx<'a> {
    pub(crate) row: &'a RowBuf,
    pub(crate) map: &'a ColumnMap,
    pub(crate) source: u32,
    pub(crate) excel_row: u32,
}

impl RowCtx<'_> {
    fn cell(&self, col: Col) -> &RawCell {
        self.map
            .get(col)
            .and_then(|i| self.row.get(i))
            .unwrap_or(&EMPTY)
    }

    fn text(&self, col: Col) -> &str {
        self.cell(col).as_text()
    }

    fn at(&self) -> RowRef {
        RowRef {
            source: self.source,
            row: self.excel_row,
        }
    }
}

/// What became of one row of a record table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowOutcome {
    /// Read into the dataset.
    Counted,
    /// A total row, a row of another county, or a row that could not be used (its problem
    /// is recorded).
    Skipped,
    /// A member row with a blank region cell whose household has not been seen yet: to be
    /// read again at the end of the table.
    Deferred,
}

/// The key columns of a record table: a total word in one of them makes a total row.
fn key_columns(kind: TableKind) -> &'static [Col] {
    match kind {
        TableKind::Roster => &[Col::HouseholdId, Col::IdNumber],
        TableKind::Projects => &[Col::ProjectId],
        TableKind::Loans => &[Col::HouseholdId],
        TableKind::WorkSpells | TableKind::PlannedWork => &[Col::IdNumber],
        TableKind::Villages => &[Col::Village],
        TableKind::HouseholdInfo => &[Col::HouseholdId],
        TableKind::Summary | TableKind::Targets => &[],
    }
}

/// Columns that make a row with blank keys a record (a finding), not a total: a person's,
/// a project's or a loan's own data.
fn record_columns(kind: TableKind) -> &'static [Col] {
    match kind {
        TableKind::Roster => &[
            Col::Name,
            Col::Relation,
            Col::Sex,
            Col::Birth,
            Col::PersonNo,
        ],
        TableKind::Projects => &[
            Col::ProjectName,
            Col::ProjectStatus,
            Col::StartDate,
            Col::EndDate,
        ],
        TableKind::Loans => &[Col::IssueDate, Col::DueDate, Col::LoanStatus],
        TableKind::WorkSpells => &[Col::HouseholdId, Col::Working, Col::SpellStart],
        TableKind::PlannedWork => &[Col::HouseholdId, Col::PlansWork],
        TableKind::Villages => &[Col::Exited, Col::CollectiveIncome],
        TableKind::HouseholdInfo => &[Col::IdNumber, Col::HouseholdType],
        TableKind::Summary | TableKind::Targets => &[],
    }
}

/// Where the columns of a 汇总 or 目标 table are.
#[derive(Debug)]
pub(crate) struct FiguresLayout {
    /// Region columns (outermost first) and their levels.
    pub(crate) regions: Vec<(usize, Level)>,
    /// Figure columns: (index, header as written, key: measure id or normalised header).
    pub(crate) values: Vec<(usize, String, String)>,
    /// A 目标 table (else a 汇总).
    pub(crate) targets: bool,
    /// The column headed 县 (not 地区 or 单位): where a county scope looks.
    pub(crate) county_col: Option<usize>,
}

fn id_hash(key: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(key)
}

/// Per-household state that is not part of the model.
struct HouseholdState {
    attrs_from_head: bool,
    attrs_monitored_source: bool,
}

/// Households by 户编号, holding household indices and 32 bits of the 户编号's hash (8
/// bytes a slot): the 户编号 itself is kept once, in [`Household::id`], compared on a hash
/// match; the table grows without reading any 户编号 again.
struct HouseholdIndex {
    table: hashbrown::HashTable<(u32, u32)>,
    hash: fn(&str) -> u64,
    /// The household found or added last: a household's rows come together, so most
    /// rows find theirs here without hashing.
    last: Option<u32>,
}

impl Default for HouseholdIndex {
    fn default() -> Self {
        HouseholdIndex {
            table: hashbrown::HashTable::new(),
            hash: id_hash,
            last: None,
        }
    }
}

/// The table hash of a kept 32-bit hash: spread over 64 bits (the table takes its tags
/// from the top bits).
fn spread(h: u32) -> u64 {
    u64::from(h).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl HouseholdIndex {
    /// The 32 bits of the hash of `key` that are kept.
    fn short_hash(&self, key: &str) -> u32 {
        (self.hash)(key) as u32
    }

    /// The household with 户编号 `key`; `id_of` gives a household's 户编号 by index.
    fn get<'a>(&mut self, key: &str, id_of: impl Fn(u32) -> Option<&'a str>) -> Option<u32> {
        if let Some(last) = self.last
            && id_of(last) == Some(key)
        {
            return Some(last);
        }
        let h = self.short_hash(key);
        let found = self
            .table
            .find(spread(h), |&(i, hi)| hi == h && id_of(i) == Some(key))
            .map(|&(i, _)| i);
        self.last = found.or(self.last);
        found
    }

    /// Records household `h` with 户编号 `key`, not yet known.
    fn insert(&mut self, key: &str, h: u32) {
        let short = self.short_hash(key);
        self.table
            .insert_unique(spread(short), (h, short), |&(_, s)| spread(s));
        self.last = Some(h);
    }
}

/// A household's 户编号 by index, for [`HouseholdIndex`].
fn household_id<'a>(households: &'a [Household]) -> impl Fn(u32) -> Option<&'a str> {
    move |h| households.get(h as usize).map(|hh| &*hh.id)
}

/// Accumulates the dataset while tables are read.
pub struct Builder<'o> {
    pub(crate) ds: Dataset,
    pub(crate) opts: &'o ReadOptions,
    /// The file being read is a filled gonggu 填报 template: every figure must be there.
    pub(crate) template: bool,
    // Fx hashing: keys come from the bureau's own files, and these maps see every row.
    households: HouseholdIndex,
    hh_state: Vec<HouseholdState>,
    /// Persons by 证件号码 as written, for merging roster tables and finding a number
    /// twice in one. A read that only counts needs no finding, so it files no person
    /// until a second roster table begins (`None` till then).
    persons_by_id: Option<IdIndex>,
    /// The roster table read last.
    roster_source: Option<u32>,
    last_region: Option<(String, String, String, RegionId)>,
    /// Places 务工所在地 addresses against each household's county (SPEC §3.1).
    work_places: Classifier,
    /// Places the 务工所在县 of work spells against their row's 县.
    spell_places: Classifier,
    /// The configured county, when the region is one: other counties' rows are left out.
    scope: Option<CountyScope>,
    /// 户编号 (hashed) of roster rows left out as another county's.
    out_households: FxHashSet<u64>,
    /// The configured county's node in the region tree: where the towns of a 汇总 or 目标
    /// without a 县 column belong.
    scope_node: Option<RegionId>,
    /// Member rows whose blank region cells were taken from their household.
    pub(crate) filled_regions: u64,
    /// The roster table being read has no 出生日期 / 性别 column: they come from the
    /// 证件号码 (SPEC §3.1).
    birth_from_id: bool,
    sex_from_id: bool,
    /// Columns derived from the 证件号码 in some roster table (for the note).
    pub(crate) derived: std::collections::BTreeSet<&'static str>,
}

impl<'o> Builder<'o> {
    pub(crate) fn new(opts: &'o ReadOptions, work_places: Classifier) -> Self {
        let scope = CountyScope::new(opts.region_name.as_deref(), work_places.places());
        let spell_places = Classifier::new(work_places.places().clone());
        Builder {
            spell_places,
            scope,
            out_households: FxHashSet::default(),
            scope_node: None,
            filled_regions: 0,
            birth_from_id: false,
            sex_from_id: false,
            derived: Default::default(),
            ds: Dataset::default(),
            opts,
            template: false,
            households: HouseholdIndex::default(),
            hh_state: Vec::new(),
            persons_by_id: (!opts.skip_texts).then(|| IdIndex::new(false)),
            roster_source: None,
            last_region: None,
            work_places,
        }
    }

    /// The dataset, with the distinct 务工所在地 values, and the notes about them.
    pub(crate) fn finish(self) -> (Dataset, Vec<String>) {
        let mut ds = self.ds;
        let spells = ds.has(TableKind::WorkSpells);
        let (entries, notes) = self.work_places.finish_with(spells);
        ds.roster.work_places = entries;
        // The notes speak of 务工所在地; what the spells' places come to is said by the
        // measures that use them.
        let (spell_entries, _) = self.spell_places.finish();
        ds.spell_places = spell_entries;
        (ds, notes)
    }

    pub(crate) fn progress(&self) -> Option<&'o (dyn Fn(u64) + Send + Sync)> {
        self.opts.progress.as_deref()
    }

    pub(crate) fn add_source(&mut self, info: SourceInfo) -> u32 {
        self.ds.sources.push(info);
        (self.ds.sources.len() - 1) as u32
    }

    fn place(&self, source: u32, row: u32, column: &str) -> Place {
        let s = self.ds.sources.get(source as usize);
        Place {
            file: s.map(|s| s.file.clone()).unwrap_or_default(),
            sheet: s.and_then(|s| s.sheet.clone()),
            row: Some(row),
            column: Some(column.to_string()),
        }
    }

    fn header_of(&self, r: &RowCtx<'_>, col: Col) -> String {
        r.map
            .get(col)
            .and_then(|i| {
                self.ds
                    .sources
                    .get(r.source as usize)
                    .and_then(|s| s.headers.get(i).cloned())
            })
            .unwrap_or_else(|| col.canonical().to_string())
    }

    /// Records a value that could not be parsed; fatal with `--strict`.
    fn bad(&mut self, r: &RowCtx<'_>, col: Col, expected: &'static str) -> Result<()> {
        let column = self.header_of(r, col);
        let value = self.opts.pii.quote(&column, r.text(col));
        if self.opts.strict {
            return Err(Error::BadValue {
                place: self.place(r.source, r.excel_row, &column),
                value,
                expected: expected.to_string(),
            });
        }
        self.ds.bad_values.push(BadValue {
            source: r.source,
            row: r.excel_row,
            column,
            value,
            expected,
            canonical: col.canonical(),
        });
        Ok(())
    }

    fn date(&mut self, r: &RowCtx<'_>, col: Col) -> Result<Option<chrono::NaiveDate>> {
        match value::parse_date(r.cell(col)) {
            Ok(v) => Ok(v),
            Err(Unparseable) => self.bad(r, col, "日期").map(|_| None),
        }
    }

    fn decimal(&mut self, r: &RowCtx<'_>, col: Col) -> Result<Option<Decimal>> {
        match value::parse_decimal(r.cell(col)) {
            Ok(v) => Ok(v),
            Err(Unparseable) => self.bad(r, col, "数字").map(|_| None),
        }
    }

    fn flag(&mut self, r: &RowCtx<'_>, col: Col) -> Result<Option<bool>> {
        match value::parse_bool(r.cell(col)) {
            Ok(v) => Ok(v),
            Err(Unparseable) => self.bad(r, col, "是/否").map(|_| None),
        }
    }

    fn alias<'a>(&'a self, name: &'a str) -> &'a str {
        self.opts.region_alias(name)
    }

    /// Prepares for the rows of a roster table: without a 出生日期 or 性别 column, they come
    /// from the 证件号码, and the rules that need them run.
    pub(crate) fn derive_from_id(&mut self, map: &ColumnMap) {
        let id = map.has(Col::IdNumber);
        self.birth_from_id = id && !map.has(Col::Birth);
        self.sex_from_id = id && !map.has(Col::Sex);
        for (derive, col) in [
            (self.birth_from_id, Col::Birth),
            (self.sex_from_id, Col::Sex),
        ] {
            if derive {
                self.derived.insert(col.canonical());
                self.ds.roster.columns.insert(col.canonical());
            }
        }
    }

    /// The configured county, when the region is one (its rows alone count).
    pub(crate) fn scope_county(&self) -> Option<&str> {
        self.scope.as_ref().map(|s| s.name.as_str())
    }

    /// Whether a 县 cell lies outside the configured county (never, without one).
    fn out_of_scope(&mut self, county_cell: &str) -> bool {
        let county_cell = county_cell.trim();
        if county_cell.is_empty() || self.scope.is_none() {
            return false;
        }
        let opts = self.opts;
        let cell = opts.region_alias(county_cell);
        match &mut self.scope {
            Some(scope) => !scope.contains(cell, self.work_places.places()),
            None => false,
        }
    }

    fn leave_out(&mut self, kind: TableKind) {
        match self.ds.out_of_scope.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.ds.out_of_scope.push((kind, 1)),
        }
    }

    /// Reads one row of a roster or ledger: a total row (a total word in its first
    /// non-empty cell or a key column, or blank keys without a record's own data) is set
    /// aside, another county's row left out, and any other row read.
    pub(crate) fn record_row(&mut self, r: &RowCtx<'_>, kind: TableKind) -> Result<RowOutcome> {
        let first = r
            .row
            .cells()
            .iter()
            .map(RawCell::as_text)
            .find(|t| !t.is_empty())
            .unwrap_or("");
        let keys = key_columns(kind);
        let blank_keys = keys.iter().all(|k| r.text(*k).is_empty());
        let total = is_total_label(first)
            || keys.iter().any(|k| is_total_label(r.text(*k)))
            || (blank_keys && record_columns(kind).iter().all(|c| r.text(*c).is_empty()));
        if total {
            self.ds.total_rows.push(r.at());
            return Ok(RowOutcome::Skipped);
        }
        if self.out_of_scope(r.text(Col::County)) {
            self.leave_out(kind);
            if kind == TableKind::Roster {
                self.out_households
                    .insert(id_hash(r.text(Col::HouseholdId)));
            }
            return Ok(RowOutcome::Skipped);
        }
        match kind {
            TableKind::Roster => self.roster_row(r, false),
            TableKind::Projects => self.project_row(r),
            TableKind::WorkSpells => self.spell_row(r),
            TableKind::PlannedWork => self.planned_row(r),
            TableKind::Villages => self.village_row(r),
            TableKind::HouseholdInfo => self.household_info_row(r),
            _ => self.loan_row(r),
        }
    }

    /// The 证件号码 of a row of the other exports, as the join key (`None` when it is not
    /// one: a value Excel turned into a number is reported).
    fn person_key(&mut self, r: &RowCtx<'_>) -> Result<Option<IdNumber>> {
        let cell = r.cell(Col::IdNumber);
        let text = cell.as_text();
        if cell.kind == CellKind::Number || (text.contains(['E', 'e']) && text.contains('+')) {
            self.bad(r, Col::IdNumber, "文本格式的证件号码")?;
            return Ok(None);
        }
        Ok(IdNumber::new(text))
    }

    /// The village (or town, county) a row of the other exports names.
    fn row_region(&mut self, r: &RowCtx<'_>) -> Result<Option<RegionId>> {
        let (county, town, village) =
            (r.text(Col::County), r.text(Col::Town), r.text(Col::Village));
        if county.is_empty() {
            self.bad(r, Col::County, "县(市、区)名称")?;
            return Ok(None);
        }
        Ok(self.region(county, town, village))
    }

    /// Reads one work spell of 已外出务工信息.
    pub(crate) fn spell_row(&mut self, r: &RowCtx<'_>) -> Result<RowOutcome> {
        let Some(region) = self.row_region(r)? else {
            return Ok(RowOutcome::Skipped);
        };
        let id = self.person_key(r)?;
        let working = self.flag(r, Col::Working)?;
        let start = self.date(r, Col::SpellStart)?;
        let end = self.date(r, Col::SpellEnd)?;
        let opts = self.opts;
        let county = opts.region_alias(r.text(Col::County));
        let place_entry = self.spell_places.classify(county, r.text(Col::WorkCounty));
        // A spell of work with no place (blank, 无) has no known destination.
        let place = place_entry
            .and_then(|e| self.spell_places.entries().get(e as usize))
            .map_or(WorkPlace::Unknown, |e| e.place);
        let spell = WorkSpell {
            at: r.at(),
            id,
            household_id: r.text(Col::HouseholdId).into(),
            region,
            working,
            start,
            end,
            place_entry,
            place,
            monthly_wage: self.decimal(r, Col::MonthlyWage)?,
        };
        self.ds.work_spells.push(spell);
        Ok(RowOutcome::Counted)
    }

    /// Reads one row of 计划外出务工信息.
    pub(crate) fn planned_row(&mut self, r: &RowCtx<'_>) -> Result<RowOutcome> {
        let Some(region) = self.row_region(r)? else {
            return Ok(RowOutcome::Skipped);
        };
        let row = PlannedWorker {
            at: r.at(),
            id: self.person_key(r)?,
            region,
            plans: self.flag(r, Col::PlansWork)?,
        };
        self.ds.planned_work.push(row);
        Ok(RowOutcome::Counted)
    }

    /// Reads one row of 行政村信息.
    pub(crate) fn village_row(&mut self, r: &RowCtx<'_>) -> Result<RowOutcome> {
        let Some(region) = self.row_region(r)? else {
            return Ok(RowOutcome::Skipped);
        };
        let row = VillageInfo {
            at: r.at(),
            region,
            exited: self.flag(r, Col::Exited)?,
            collective_income: self.decimal(r, Col::CollectiveIncome)?,
            households: self.decimal(r, Col::VillageHouseholds)?,
            population: self.decimal(r, Col::VillagePopulation)?,
        };
        self.ds.villages.push(row);
        Ok(RowOutcome::Counted)
    }

    /// Reads one row of 户信息.
    pub(crate) fn household_info_row(&mut self, r: &RowCtx<'_>) -> Result<RowOutcome> {
        let Some(region) = self.row_region(r)? else {
            return Ok(RowOutcome::Skipped);
        };
        let hh = r.text(Col::HouseholdId);
        if hh.is_empty() {
            self.bad(r, Col::HouseholdId, "户编号")?;
            return Ok(RowOutcome::Skipped);
        }
        let kind = match vocab::household_type(r.text(Col::HouseholdType)) {
            Ok(k) => k,
            Err(Unparseable) => {
                self.bad(r, Col::HouseholdType, "户类型（脱贫户/普通农户）")?;
                None
            }
        };
        let row = HouseholdInfoRow {
            at: r.at(),
            household_id: hh.into(),
            region,
            kind,
        };
        self.ds.household_info.push(row);
        Ok(RowOutcome::Counted)
    }

    /// Interns a region path; empty trailing parts stop the path one level up.
    pub(crate) fn region(&mut self, county: &str, town: &str, village: &str) -> Option<RegionId> {
        if let Some((c, t, v, id)) = &self.last_region
            && c == county
            && t == town
            && v == village
        {
            return Some(*id);
        }
        if county.is_empty() {
            return None;
        }
        let county_name = self.alias(county).to_string();
        let regions = &mut self.ds.regions;
        let mut id = regions.intern(None, Level::County, &county_name);
        // Only rows of the configured county get here when one is configured.
        if self.scope.is_some() && self.scope_node.is_none() {
            self.scope_node = Some(id);
        }
        if !town.is_empty() {
            id = regions.intern(Some(id), Level::Town, town);
            if !village.is_empty() {
                id = regions.intern(Some(id), Level::Village, village);
            }
        }
        self.last_region = Some((
            county.to_string(),
            town.to_string(),
            village.to_string(),
            id,
        ));
        Some(id)
    }

    /// The county (or town, when 乡(镇) is given) of a ledger row.
    fn region_or_bad(&mut self, r: &RowCtx<'_>) -> Result<Option<RegionId>> {
        // Borrowed from the row, not from `self`: no allocation per row.
        let county = r.text(Col::County);
        let town = r.text(Col::Town);
        if county.is_empty() {
            self.bad(r, Col::County, "县(市、区)名称")?;
            return Ok(None);
        }
        Ok(self.region(county, town, ""))
    }

    /// The village of a roster row. A member row with a blank region cell takes its
    /// household's village; when the household has not been seen yet the row is deferred
    /// (`retry` is false) or, read again at the end of the table, left out as another
    /// county's or reported as a bad value.
    fn roster_village(
        &mut self,
        r: &RowCtx<'_>,
        retry: bool,
    ) -> Result<Result<RegionId, RowOutcome>> {
        let hh_key = r.text(Col::HouseholdId);
        let (county, town, village) =
            (r.text(Col::County), r.text(Col::Town), r.text(Col::Village));
        if !county.is_empty() && !town.is_empty() && !village.is_empty() {
            return Ok(self
                .region(county, town, village)
                .ok_or(RowOutcome::Skipped));
        }
        if let Some(h) = self
            .households
            .get(hh_key, household_id(&self.ds.roster.households))
            .and_then(|h| self.ds.roster.households.get(h as usize))
        {
            self.filled_regions += 1;
            return Ok(Ok(h.village));
        }
        if !retry {
            return Ok(Err(RowOutcome::Deferred));
        }
        if self.scope.is_some() && self.out_households.contains(&id_hash(hh_key)) {
            self.leave_out(TableKind::Roster);
            return Ok(Err(RowOutcome::Skipped));
        }
        let col = if county.is_empty() {
            Col::County
        } else if town.is_empty() {
            Col::Town
        } else {
            Col::Village
        };
        self.bad(r, col, "地区名称")?;
        Ok(Err(RowOutcome::Skipped))
    }

    /// Reads one roster row (`retry`: a deferred row read again at the end of its table).
    pub(crate) fn roster_row(&mut self, r: &RowCtx<'_>, retry: bool) -> Result<RowOutcome> {
        let hh_key = r.text(Col::HouseholdId);
        if hh_key.is_empty() {
            self.bad(r, Col::HouseholdId, "户编号")?;
            return Ok(RowOutcome::Skipped);
        }
        let village = match self.roster_village(r, retry)? {
            Ok(v) => v,
            Err(outcome) => return Ok(outcome),
        };
        let at = r.at();
        let is_head = r.text(Col::Relation) == "户主";
        let category = vocab::category(r.text(Col::Category));

        // 证件号码: text, or a number Excel mangled.
        let id_cell = r.cell(Col::IdNumber);
        let (id, id_was_number) = match id_cell.kind {
            CellKind::Number => (None, true),
            _ => {
                let t = id_cell.as_text();
                let sci = t.contains(['E', 'e']) && t.contains('+');
                if sci {
                    (None, true)
                } else {
                    (IdNumber::new(t), false)
                }
            }
        };

        // Merge across roster tables (SPEC §3.1): one person per 证件号码.
        let mut replace: Option<u32> = None;
        if self.roster_source != Some(r.source) {
            if self.roster_source.is_some() && self.persons_by_id.is_none() {
                // A second table: the persons read so far are filed, the first of two
                // with one number (as a read that files every person files them).
                self.persons_by_id = Some(IdIndex::of_all(&self.ds.roster.ids, false));
            }
            self.roster_source = Some(r.source);
        }
        let roster = &self.ds.roster;
        // The key's hash, when the number is new: filed below without probing again.
        let mut file_under: Option<u64> = None;
        let found = id.zip(self.persons_by_id.as_ref()).and_then(|(id, index)| {
            let key = IdKey::of(&id);
            let hash = key.hash();
            let found = index.find_hashed(&roster.ids, key, hash);
            file_under = found.is_none().then_some(hash);
            found
        });
        if let Some(pidx) = found
            && let Some(old) = roster.facts.get(pidx as usize).copied()
        {
            if old.at.source == r.source {
                // A finding for the check; a read that only counts does not look for them.
                if !self.opts.skip_texts {
                    self.ds.roster.duplicate_ids.push((old.at, at));
                }
            } else {
                let old_monitored = roster
                    .households
                    .get(old.household as usize)
                    .is_some_and(Household::is_monitored);
                self.ds.roster.merged_persons += 1;
                if category.is_some() && !old_monitored {
                    replace = Some(pidx);
                } else {
                    return Ok(RowOutcome::Counted);
                }
            }
        }

        let hidx = self.household_for(r, hh_key, village, is_head, category.is_some())?;

        // The household's county as the region tree names it (after [region_aliases]).
        let opts = self.opts;
        let county = opts.region_alias(r.text(Col::County));
        let work_entry = self.work_places.classify(county, r.text(Col::WorkPlace));
        let work = work_entry
            .and_then(|e| self.work_places.entries().get(e as usize))
            .map_or(WorkPlace::NotWorking, |e| e.place);
        let from_id = || {
            id.as_ref()
                .and_then(|i| crate::validate::idcard::birth_and_sex(i.as_str()))
        };
        let sex = if self.sex_from_id {
            from_id().map(|(_, s)| s)
        } else {
            match vocab::sex(r.text(Col::Sex)) {
                Ok(s) => s,
                Err(Unparseable) => {
                    self.bad(r, Col::Sex, "性别")?;
                    None
                }
            }
        };
        let birth = if self.birth_from_id {
            from_id().map(|(b, _)| b)
        } else {
            self.date(r, Col::Birth)?
        };
        let labor = vocab::labor(r.text(Col::Labor));
        let certified = self.flag(r, Col::Certified)?;
        let welfare_post = !vocab::is_nothing(r.text(Col::WelfarePost));
        // Read whether kept or not: a value that cannot be read is reported either way.
        let monthly_wage = self.decimal(r, Col::MonthlyWage)?;
        let basic_medical = self.flag(r, Col::BasicMedical)?;
        let serious_illness_insurance = self.flag(r, Col::SeriousIllnessInsurance)?;
        let facts = PersonFacts {
            household: hidx,
            at,
            labor,
            work,
            certified,
            welfare_post,
            is_head,
        };
        // A read that only counts (a province's notice) keeps the facts alone: names,
        // phones and the rest only appear in findings and lists.
        let keep = !self.opts.skip_texts;
        let person = if keep {
            let name = r.text(Col::Name);
            let phone = r.text(Col::Phone);
            Some(Person {
                id_was_number,
                name: (!name.is_empty()).then(|| name.into()),
                relation_recorded: !r.text(Col::Relation).is_empty(),
                sex,
                birth,
                health: vocab::health(r.text(Col::Health)),
                school: vocab::school(r.text(Col::School)),
                work_entry,
                monthly_wage,
                basic_medical,
                serious_illness_insurance,
                dibao: vocab::dibao(r.text(Col::Dibao)),
                tekun: vocab::tekun(r.text(Col::Tekun)),
                phone: (!phone.is_empty()).then(|| phone.into()),
            })
        } else {
            None
        };
        let roster = &mut self.ds.roster;
        let pidx = match replace {
            Some(pidx) => {
                let i = pidx as usize;
                if let Some(slot) = roster.facts.get_mut(i) {
                    if let Some(h) = roster.households.get_mut(slot.household as usize) {
                        h.members = h.members.saturating_sub(1);
                        if slot.is_head {
                            h.heads = h.heads.saturating_sub(1);
                        }
                    }
                    *slot = facts;
                }
                roster.ids.set(i, id);
                if let (Some(slot), Some(person)) = (roster.persons.get_mut(i), person) {
                    *slot = person;
                }
                pidx
            }
            None => {
                let pidx = roster.facts.len() as u32;
                roster.facts.push(facts);
                roster.ids.push(id);
                roster.persons.extend(person);
                if let (Some(hash), Some(index)) = (file_under, self.persons_by_id.as_mut()) {
                    index.insert_unique(&roster.ids, pidx, hash);
                }
                pidx
            }
        };
        if let Some(h) = self.ds.roster.households.get_mut(hidx as usize) {
            h.members += 1;
            if is_head {
                h.heads += 1;
            }
        }
        if keep {
            let roster = &mut self.ds.roster;
            let persons = roster.facts.len();
            for (k, col) in super::schema::TEXT_COLS.iter().enumerate() {
                if r.map.get(*col).is_some() {
                    roster.texts.set(k, pidx, persons, r.text(*col));
                }
            }
        }
        Ok(RowOutcome::Counted)
    }

    /// Finds or creates the household of a roster row and applies the row's household
    /// attributes when it is the 户主 row (or the first row, or carries monitoring data the
    /// household lacked).
    fn household_for(
        &mut self,
        r: &RowCtx<'_>,
        key: &str,
        village: RegionId,
        is_head: bool,
        monitored: bool,
    ) -> Result<u32> {
        let existing = self
            .households
            .get(key, household_id(&self.ds.roster.households));
        let hidx = match existing {
            Some(h) => h,
            None => {
                let h = self.ds.roster.households.len() as u32;
                self.households.insert(key, h);
                self.hh_state.push(HouseholdState {
                    attrs_from_head: false,
                    attrs_monitored_source: false,
                });
                self.ds.roster.households.push(Household {
                    id: key.into(),
                    village,
                    at: r.at(),
                    kind: None,
                    kind_unrecognised: false,
                    category: None,
                    category_text: None,
                    identified: None,
                    eliminated: None,
                    eliminated_on: None,
                    elimination_method: None,
                    risks: RiskSet::default(),
                    has_risk1: false,
                    income: None,
                    size_recorded: None,
                    assistance: AssistanceSet::default(),
                    assistance_text: false,
                    unsafe_housing: None,
                    safe_water: None,
                    members: 0,
                    heads: 0,
                });
                h
            }
        };
        // Measures and 帮扶措施 count from any row of the household.
        let mut measures = AssistanceSet::default();
        for (col, m) in MEASURE_COLS {
            if !vocab::is_nothing(r.text(col)) {
                measures.insert(m);
            }
        }
        let assistance_text = !vocab::is_nothing(r.text(Col::MeasuresText));
        if let Some(h) = self.ds.roster.households.get_mut(hidx as usize) {
            h.assistance.0 |= measures.0;
            h.assistance_text |= assistance_text;
        }

        let state = self
            .hh_state
            .get(hidx as usize)
            .map(|s| (s.attrs_from_head, s.attrs_monitored_source))
            .unwrap_or((false, false));
        let (from_head, from_monitored) = state;
        let take = existing.is_none()
            || (is_head && !from_head)
            || (monitored && !from_monitored && (is_head || !from_head));
        if take {
            self.apply_household_attrs(r, hidx)?;
            if let Some(s) = self.hh_state.get_mut(hidx as usize) {
                s.attrs_from_head |= is_head;
                s.attrs_monitored_source |= monitored;
            }
        }
        Ok(hidx)
    }

    fn apply_household_attrs(&mut self, r: &RowCtx<'_>, hidx: u32) -> Result<()> {
        let kind_text = r.text(Col::HouseholdType);
        let (kind, kind_unrecognised) = match vocab::household_type(kind_text) {
            Ok(k) => (k, false),
            Err(Unparseable) => (None, true),
        };
        let cat_text = r.text(Col::Category);
        let category = vocab::category(cat_text);
        let identified = self.date(r, Col::Identified)?;
        let eliminated = self.flag(r, Col::Eliminated)?;
        let eliminated_on = self.date(r, Col::EliminatedOn)?;
        let mut risks = RiskSet::default();
        for col in RISK_COLS {
            if let Some(risk) = vocab::risk(r.text(col)) {
                risks.insert(risk);
            }
        }
        let has_risk1 = !vocab::is_nothing(r.text(Col::Risk1));
        let income = self.decimal(r, Col::Income)?;
        let size_recorded = match self.decimal(r, Col::Size)? {
            Some(v) if v >= Decimal::ZERO && v.fract().is_zero() => {
                u32::try_from(v.mantissa() / 10i128.pow(v.scale())).ok()
            }
            Some(_) => {
                self.bad(r, Col::Size, "整数")?;
                None
            }
            None => None,
        };
        let unsafe_housing = self.flag(r, Col::UnsafeHousing)?;
        let safe_water = self.flag(r, Col::SafeWater)?;
        let method = vocab::elimination_method(r.text(Col::EliminationMethod));
        let at = r.at();
        if let Some(h) = self.ds.roster.households.get_mut(hidx as usize) {
            h.at = at;
            h.kind = kind;
            h.kind_unrecognised = kind_unrecognised;
            h.category = category;
            h.category_text = (!cat_text.is_empty() && category.is_some()).then(|| cat_text.into());
            h.identified = identified;
            h.eliminated = eliminated;
            h.eliminated_on = eliminated_on;
            h.elimination_method = method;
            h.risks = risks;
            h.has_risk1 = has_risk1;
            h.income = income;
            h.size_recorded = size_recorded;
            h.unsafe_housing = unsafe_housing;
            h.safe_water = safe_water;
        }
        Ok(())
    }

    /// Reads one project row.
    pub(crate) fn project_row(&mut self, r: &RowCtx<'_>) -> Result<RowOutcome> {
        let Some(region) = self.region_or_bad(r)? else {
            return Ok(RowOutcome::Skipped);
        };
        let id = r.text(Col::ProjectId);
        if id.is_empty() {
            self.bad(r, Col::ProjectId, "项目编号")?;
            return Ok(RowOutcome::Skipped);
        }
        let id: Box<str> = id.into();
        let name = r.text(Col::ProjectName);
        let name = (!name.is_empty()).then(|| name.into());
        let planned = self.flag(r, Col::Planned)?.unwrap_or(false);
        let status = match vocab::project_status(r.text(Col::ProjectStatus)) {
            Ok(s) => s,
            Err(Unparseable) => {
                self.bad(r, Col::ProjectStatus, "项目状态（未开工/已开工/已完工）")?;
                None
            }
        };
        let year = match value::parse_year(r.cell(Col::ProjectYear)) {
            Ok(y) => y,
            Err(Unparseable) => {
                self.bad(r, Col::ProjectYear, "年度")?;
                None
            }
        };
        let project = Project {
            at: r.at(),
            id,
            name,
            region,
            has_town: !r.text(Col::Town).is_empty(),
            kind: vocab::project_type(r.text(Col::ProjectType)),
            year,
            planned,
            funds: self.decimal(r, Col::Funds)?,
            spent: self.decimal(r, Col::Spent)?,
            started_on: self.date(r, Col::StartDate)?,
            completed_on: self.date(r, Col::EndDate)?,
            status,
        };
        self.ds.projects.push(project);
        Ok(RowOutcome::Counted)
    }

    /// Reads one loan row.
    pub(crate) fn loan_row(&mut self, r: &RowCtx<'_>) -> Result<RowOutcome> {
        let Some(region) = self.region_or_bad(r)? else {
            return Ok(RowOutcome::Skipped);
        };
        let hh = r.text(Col::HouseholdId);
        if hh.is_empty() {
            self.bad(r, Col::HouseholdId, "户编号")?;
            return Ok(RowOutcome::Skipped);
        }
        let household_id: Box<str> = hh.into();
        let status = match vocab::loan_status(r.text(Col::LoanStatus)) {
            Ok(s) => s,
            Err(Unparseable) => {
                self.bad(r, Col::LoanStatus, "贷款状态")?;
                None
            }
        };
        let loan = Loan {
            at: r.at(),
            household_id,
            region,
            issued_on: self.date(r, Col::IssueDate)?,
            due_on: self.date(r, Col::DueDate)?,
            amount: self.decimal(r, Col::LoanAmount)?,
            balance: self.decimal(r, Col::LoanBalance)?,
            status,
        };
        self.ds.loans.push(loan);
        Ok(RowOutcome::Counted)
    }

    /// Reads one 汇总 or 目标 row. A row whose region cells hold a total word, or whose
    /// innermost region cell names the parent (`夏邑县`, `夏邑县合计`), is a total; a row of
    /// another county than the configured one is left out. Every figure in a 汇总 is
    /// published, so an unparseable one is fatal. Returns whether the row was read as a unit.
    pub(crate) fn figures_row(
        &mut self,
        row: &RowBuf,
        source: u32,
        excel_row: u32,
        layout: &FiguresLayout,
    ) -> Result<bool> {
        let region_cols = &layout.regions;
        let targets = layout.targets;
        let at = RowRef {
            source,
            row: excel_row,
        };
        let cell_text = |i: usize| row.get(i).map_or("", RawCell::as_text);
        let innermost = region_cols
            .iter()
            .rev()
            .map(|(i, _)| cell_text(*i))
            .find(|t| !t.is_empty())
            .unwrap_or("");
        let parent = self.opts.region_name.as_deref().unwrap_or("");
        let total = region_cols
            .iter()
            .any(|(i, _)| is_total_label(cell_text(*i)))
            || names_parent(innermost, parent, |t| self.alias(t).to_string());
        let mut values = Vec::new();
        for (i, header, key) in &layout.values {
            let cell = row.get(*i).unwrap_or(&EMPTY);
            let parsed = if targets && cell.kind == CellKind::Text && cell.as_text().ends_with('%')
            {
                value::parse_decimal_text(cell.as_text().trim_end_matches('%'))
                    .map(|v| v.map(|v| v / Decimal::ONE_HUNDRED))
            } else {
                value::parse_decimal(cell)
            };
            match parsed {
                Ok(Some(v)) => values.push((key.clone(), v)),
                // A template's total row may be left blank: gonggu recomputes it.
                Ok(None) if self.template && !targets && !total => {
                    return Err(Error::BadValue {
                        place: self.place(source, excel_row, header),
                        value: String::new(),
                        expected: "数字：填报表中的每一格都要填写，没有的填 0".into(),
                    });
                }
                Ok(None) => {}
                Err(Unparseable) => {
                    return Err(Error::BadValue {
                        place: self.place(source, excel_row, header),
                        value: self.opts.pii.quote(header, cell.as_text()),
                        expected: "数字（汇总表中的每个数都会被发布，不能有无法识别的值）".into(),
                    });
                }
            }
        }
        if total {
            if !targets {
                self.ds.summary_totals.push((at, values));
            }
            self.ds.total_rows.push(at);
            return Ok(false);
        }
        if let Some(c) = layout.county_col
            && !names_parent(cell_text(c), parent, |t| self.alias(t).to_string())
            && self.out_of_scope(cell_text(c))
        {
            self.leave_out(if targets {
                TableKind::Targets
            } else {
                TableKind::Summary
            });
            return Ok(false);
        }
        // Build the region path from the region columns present. Towns without a 县 column
        // belong to the configured county, when the region is one.
        let mut parent: Option<RegionId> = None;
        if region_cols
            .first()
            .is_some_and(|(_, level)| *level == Level::Town)
            && let Some(name) = self.scope.as_ref().map(|s| s.name.clone())
        {
            let node = match self.scope_node {
                Some(n) => n,
                None => self.ds.regions.intern(None, Level::County, &name),
            };
            self.scope_node = Some(node);
            parent = Some(node);
        }
        let mut id: Option<RegionId> = None;
        for (i, level) in region_cols {
            let name = row.get(*i).map(|c| c.as_text()).unwrap_or("");
            if name.is_empty() {
                continue;
            }
            let name = self.alias(name).to_string();
            let node = self.ds.regions.intern(parent, *level, &name);
            parent = Some(node);
            id = Some(node);
        }
        let Some(region) = id else {
            let header = region_cols
                .first()
                .and_then(|(i, _)| {
                    self.ds
                        .sources
                        .get(source as usize)?
                        .headers
                        .get(*i)
                        .cloned()
                })
                .unwrap_or_default();
            return Err(Error::BadValue {
                place: self.place(source, excel_row, &header),
                value: String::new(),
                expected: "地区名称".into(),
            });
        };
        if targets {
            self.ds.targets.push(TargetRow { at, region, values });
        } else {
            self.ds.summary.push(SummaryRow { at, region, values });
        }
        Ok(true)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod index_tests {
    use super::*;

    /// Two 户编号 with one hash are told apart by their text.
    #[test]
    fn households_whose_ids_share_a_hash_stay_apart() {
        let mut index = HouseholdIndex {
            hash: |_| 7,
            ..HouseholdIndex::default()
        };
        let mut ids: Vec<&str> = Vec::new();
        for (i, id) in ["H1", "H2", "H3"].into_iter().enumerate() {
            let id_of = |h: u32| ids.get(h as usize).copied();
            assert_eq!(index.get(id, id_of), None);
            index.insert(id, i as u32);
            ids.push(id);
        }
        let id_of = |h: u32| ids.get(h as usize).copied();
        for (i, id) in ["H1", "H2", "H3"].into_iter().enumerate() {
            assert_eq!(index.get(id, id_of), Some(i as u32));
        }
        assert_eq!(index.get("H4", id_of), None);
        assert_eq!(index.table.len(), 3);
    }

    /// A table grown well past its first size finds every household (it grows on the kept
    /// hashes alone).
    #[test]
    fn a_grown_index_finds_every_household() {
        let mut index = HouseholdIndex::default();
        let ids: Vec<String> = (0..20_000).map(|i| format!("4114811002{i:07}")).collect();
        for (i, id) in ids.iter().enumerate() {
            let id_of = |h: u32| ids.get(h as usize).map(String::as_str);
            assert_eq!(index.get(id, id_of), None);
            index.insert(id, i as u32);
        }
        let id_of = |h: u32| ids.get(h as usize).map(String::as_str);
        for (i, id) in ids.iter().enumerate().rev() {
            assert_eq!(index.get(id, id_of), Some(i as u32));
        }
    }
}
