//! Targets in words (`≥60.0%`, `>防返贫监测收入标准（7500元）`), with the parameter names of
//! the catalog in use; shared by the 通报表 footnotes and the 指标说明 and 达标情况 sheets.

use gonggu_core::catalog::{Indicator, Param};
use gonggu_core::compute::Report;

/// The run's parameters with their Chinese names (from the catalog in use), for
/// [`gonggu_core::catalog::TargetSpec::describe`].
pub(super) fn params(report: &Report) -> Vec<Param> {
    report
        .params
        .iter()
        .map(|(id, v)| Param {
            id: id.clone(),
            name: report
                .param_names
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.clone()),
            default: *v,
        })
        .collect()
}

/// The target of an indicator in words (`≥60.0%`), `None` without a target.
pub(super) fn describe_target(ind: &Indicator, params: &[Param]) -> Option<String> {
    ind.target.as_ref().map(|t| t.describe(ind, params))
}

/// `名称≥60.0%` for every shown indicator with a target.
pub(super) fn target_descriptions(report: &Report) -> Vec<String> {
    let params = params(report);
    report
        .indicators
        .iter()
        .filter_map(|ind| describe_target(ind, &params).map(|t| format!("{}{t}", ind.name)))
        .collect()
}
