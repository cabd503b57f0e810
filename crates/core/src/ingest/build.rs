//! Turns recognised rows into typed records: persons merged by 证件号码 and grouped into
//! households, projects, loans, 汇总 and 目标 rows.

use rustc_hash::FxHashMap;

use rust_decimal::Decimal;

use crate::division::Classifier;
use crate::error::{Error, Place, Result};
use crate::model::{
    Assistance, AssistanceSet, BadValue, Dataset, Household, IdNumber, Loan, Person, Project,
    RiskSet, RowRef, SourceInfo, SummaryRow, TargetRow, WorkPlace,
};
use crate::region::{Level, RegionId};

use super::ReadOptions;
use super::schema::{Col, ColumnMap};
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

/// Per-household state that is not part of the model.
struct HouseholdState {
    attrs_from_head: bool,
    attrs_monitored_source: bool,
}

/// Accumulates the dataset while tables are read.
pub struct Builder<'o> {
    pub(crate) ds: Dataset,
    pub(crate) opts: &'o ReadOptions,
    /// The file being read is a filled gonggu 填报 template: every figure must be there.
    pub(crate) template: bool,
    // Fx hashing: keys come from the bureau's own files, and these maps see every row.
    households: FxHashMap<Box<str>, u32>,
    hh_state: Vec<HouseholdState>,
    persons_by_id: FxHashMap<IdNumber, (u32, u32)>,
    last_region: Option<(String, String, String, RegionId)>,
    /// Places 务工所在地 addresses against each household's county (SPEC §3.1).
    work_places: Classifier,
}

impl<'o> Builder<'o> {
    pub(crate) fn new(opts: &'o ReadOptions, work_places: Classifier) -> Self {
        Builder {
            ds: Dataset::default(),
            opts,
            template: false,
            households: FxHashMap::default(),
            hh_state: Vec::new(),
            persons_by_id: FxHashMap::default(),
            last_region: None,
            work_places,
        }
    }

    /// The dataset, with the distinct 务工所在地 values, and the notes about them.
    pub(crate) fn finish(self) -> (Dataset, Vec<String>) {
        let mut ds = self.ds;
        let (entries, notes) = self.work_places.finish();
        ds.roster.work_places = entries;
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
        self.opts
            .region_aliases
            .get(name)
            .map(String::as_str)
            .unwrap_or(name)
    }

    /// Whether a first-region-cell value marks a totals row.
    pub(crate) fn is_total_label(&self, text: &str) -> bool {
        let t = text.trim();
        matches!(t, "合计" | "总计" | "小计" | "总 计" | "合 计")
            || ["全市", "全县", "全区", "全省", "全镇", "全乡", "全部"]
                .iter()
                .any(|p| t.starts_with(p))
            || self
                .opts
                .region_name
                .as_deref()
                .is_some_and(|p| !p.is_empty() && (t == p || self.alias(t) == p))
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

    fn region_or_bad(&mut self, r: &RowCtx<'_>, with_village: bool) -> Result<Option<RegionId>> {
        // Borrowed from the row, not from `self`: no allocation per row.
        let county = r.text(Col::County);
        let town = r.text(Col::Town);
        let village = if with_village {
            r.text(Col::Village)
        } else {
            ""
        };
        if county.is_empty() {
            self.bad(r, Col::County, "县(市、区)名称")?;
            return Ok(None);
        }
        if with_village && (town.is_empty() || village.is_empty()) {
            let col = if town.is_empty() {
                Col::Town
            } else {
                Col::Village
            };
            self.bad(r, col, "地区名称")?;
            return Ok(None);
        }
        Ok(self.region(county, town, village))
    }

    /// Reads one roster row.
    pub(crate) fn roster_row(&mut self, r: &RowCtx<'_>) -> Result<()> {
        let Some(village) = self.region_or_bad(r, true)? else {
            return Ok(());
        };
        let hh_key = r.text(Col::HouseholdId);
        if hh_key.is_empty() {
            return self.bad(r, Col::HouseholdId, "户编号");
        }
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
        if let Some(id) = id
            && let Some(&(pidx, psrc)) = self.persons_by_id.get(&id)
        {
            if psrc == r.source {
                self.ds.roster.duplicate_ids.push((
                    self.ds
                        .roster
                        .persons
                        .get(pidx as usize)
                        .map(|p| p.at)
                        .unwrap_or_default(),
                    at,
                ));
            } else {
                self.ds.roster.merged_persons += 1;
                let old_monitored = self
                    .ds
                    .roster
                    .persons
                    .get(pidx as usize)
                    .and_then(|p| self.ds.roster.households.get(p.household as usize))
                    .is_some_and(Household::is_monitored);
                if category.is_some() && !old_monitored {
                    replace = Some(pidx);
                } else {
                    return Ok(());
                }
            }
        }

        let hidx = self.household_for(r, hh_key, village, is_head, category.is_some())?;

        // The household's county as the region tree names it (after [region_aliases]).
        let opts = self.opts;
        let county = r.text(Col::County);
        let county = opts
            .region_aliases
            .get(county)
            .map_or(county, String::as_str);
        let work_entry = self.work_places.classify(county, r.text(Col::WorkPlace));
        let work = work_entry
            .and_then(|e| self.work_places.entries().get(e as usize))
            .map_or(WorkPlace::NotWorking, |e| e.place);
        let sex = match vocab::sex(r.text(Col::Sex)) {
            Ok(s) => s,
            Err(Unparseable) => {
                self.bad(r, Col::Sex, "性别")?;
                None
            }
        };
        let name = r.text(Col::Name);
        let phone = r.text(Col::Phone);
        let person = Person {
            household: hidx,
            at,
            id,
            id_was_number,
            name: (!name.is_empty()).then(|| name.into()),
            is_head,
            relation_recorded: !r.text(Col::Relation).is_empty(),
            sex,
            birth: self.date(r, Col::Birth)?,
            health: vocab::health(r.text(Col::Health)),
            school: vocab::school(r.text(Col::School)),
            labor: vocab::labor(r.text(Col::Labor)),
            work,
            work_entry,
            monthly_wage: self.decimal(r, Col::MonthlyWage)?,
            certified: self.flag(r, Col::Certified)?,
            welfare_post: !vocab::is_nothing(r.text(Col::WelfarePost)),
            basic_medical: self.flag(r, Col::BasicMedical)?,
            serious_illness_insurance: self.flag(r, Col::SeriousIllnessInsurance)?,
            dibao: vocab::dibao(r.text(Col::Dibao)),
            tekun: vocab::tekun(r.text(Col::Tekun)),
            phone: (!phone.is_empty()).then(|| phone.into()),
        };
        let roster = &mut self.ds.roster;
        match replace {
            Some(pidx) => {
                if let Some(slot) = roster.persons.get_mut(pidx as usize) {
                    let old_hh = slot.household;
                    if let Some(h) = roster.households.get_mut(old_hh as usize) {
                        h.members = h.members.saturating_sub(1);
                        if slot.is_head {
                            h.heads = h.heads.saturating_sub(1);
                        }
                    }
                    *slot = person;
                }
            }
            None => {
                let pidx = roster.persons.len() as u32;
                roster.persons.push(person);
                if let Some(id) = id {
                    self.persons_by_id.entry(id).or_insert((pidx, r.source));
                }
            }
        }
        if let Some(h) = self.ds.roster.households.get_mut(hidx as usize) {
            h.members += 1;
            if is_head {
                h.heads += 1;
            }
        }
        Ok(())
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
        let existing = self.households.get(key).copied();
        let hidx = match existing {
            Some(h) => h,
            None => {
                let h = self.ds.roster.households.len() as u32;
                self.households.insert(key.into(), h);
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
                    eliminated: false,
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
        let kind_text = r.text(Col::HouseholdType).to_string();
        let (kind, kind_unrecognised) = match vocab::household_type(&kind_text) {
            Ok(k) => (k, false),
            Err(Unparseable) => (None, true),
        };
        let cat_text = r.text(Col::Category).to_string();
        let category = vocab::category(&cat_text);
        let identified = self.date(r, Col::Identified)?;
        let eliminated = self.flag(r, Col::Eliminated)?.unwrap_or(false);
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
    pub(crate) fn project_row(&mut self, r: &RowCtx<'_>) -> Result<()> {
        let Some(region) = self.region_or_bad(r, false)? else {
            return Ok(());
        };
        let id = r.text(Col::ProjectId);
        if id.is_empty() {
            return self.bad(r, Col::ProjectId, "项目编号");
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
        Ok(())
    }

    /// Reads one loan row.
    pub(crate) fn loan_row(&mut self, r: &RowCtx<'_>) -> Result<()> {
        let Some(region) = self.region_or_bad(r, false)? else {
            return Ok(());
        };
        let hh = r.text(Col::HouseholdId);
        if hh.is_empty() {
            return self.bad(r, Col::HouseholdId, "户编号");
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
        Ok(())
    }

    /// Reads one 汇总 or 目标 row: `regions` are the region-column values (outermost first),
    /// `values` the (column index, normalised name) of the figure columns. Every figure in a
    /// 汇总 is published, so an unparseable one is fatal.
    pub(crate) fn figures_row(
        &mut self,
        row: &RowBuf,
        source: u32,
        excel_row: u32,
        region_cols: &[(usize, Level)],
        value_cols: &[(usize, String, String)],
        targets: bool,
    ) -> Result<()> {
        let first = region_cols
            .first()
            .and_then(|(i, _)| row.get(*i))
            .map(|c| c.as_text().to_string())
            .unwrap_or_default();
        let at = RowRef {
            source,
            row: excel_row,
        };
        let mut values = Vec::new();
        for (i, header, key) in value_cols {
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
                Ok(None) if self.template && !targets && !self.is_total_label(&first) => {
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
        if self.is_total_label(&first) {
            if !targets {
                self.ds.summary_totals.push((at, values));
            }
            self.ds.total_rows.push(at);
            return Ok(());
        }
        // Build the region path from the region columns present.
        let mut parent: Option<RegionId> = None;
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
        Ok(())
    }
}
