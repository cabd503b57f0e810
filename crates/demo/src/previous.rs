//! The same city one month earlier, for the period comparison of the demo reports: what
//! happened in the as-of month had not happened yet. Eliminations dated in the as-of month
//! are undone, households identified in it were identified a month earlier (so last month's
//! data do not date an identification after their own as-of date, rule MN10), work spells
//! begun in it had not begun (their persons were not working yet: the roster's 务工所在地
//! is blank, and they may appear in 计划外出务工信息), projects started or completed in it
//! are not yet started or completed, loans issued in it do not exist, and spending is
//! lower. Nobody is born in the as-of month (the generator dates no birth after the end of
//! the month before), so both months hold the same persons in the same rows.

use chrono::Datelike;

use super::{DemoData, YearMonth};
use gonggu_core::model::ProjectStatus;

impl DemoData {
    /// This city as it stood at the end of the month before the as-of month.
    ///
    /// Planted data-quality defects are kept (they were there last month too, at the same
    /// rows), so the manifest's defects still apply; its counts are last month's.
    pub fn previous_month(&self) -> DemoData {
        let mut prev = self.clone();
        let as_of = self.options.as_of;
        let Some(first) = chrono::NaiveDate::from_ymd_opt(as_of.year(), as_of.month(), 1) else {
            return prev;
        };
        let Some(prev_end) = first.pred_opt() else {
            return prev;
        };
        prev.options.as_of = prev_end;
        let this_month = YearMonth::of(as_of);
        let last_month = YearMonth::of(prev_end);
        for h in &mut prev.households {
            if h.eliminated == Some(true) && h.eliminated_on == Some(this_month) {
                h.eliminated = Some(false);
                h.eliminated_on = None;
                h.elimination_method = None;
            }
            // Planted defects keep their dates (an elimination date, or an identification
            // after the as-of month).
            if h.identified == Some(this_month) && h.eliminated_on.is_none() {
                h.identified = Some(last_month);
            }
        }
        for p in &mut prev.projects {
            if p.completed_on.is_some_and(|d| d > prev_end) {
                p.completed_on = None;
                if p.status == ProjectStatus::Completed {
                    p.status = ProjectStatus::Started;
                }
            }
            if p.started_on.is_some_and(|d| d > prev_end) {
                p.started_on = None;
                p.status = ProjectStatus::NotStarted;
            }
            // About a tenth of the year's spending happened in the as-of month.
            p.spent -= p.spent / 10;
        }
        prev.loans.retain(|l| l.issued_on <= prev_end);
        // The work spells follow the as-of date by themselves (drawn for the base month,
        // viewed at `options.as_of`); the counts are rebuilt for it.
        prev.manifest = super::plant::build_manifest(&prev, &prev.planted, prev.options.format);
        prev
    }
}
