//! Several consecutive months of the same city, for `gonggu demo --months N` and the
//! monthly workflow (`gonggu run`). The last month is the generated city; each earlier month
//! is the one after it seen a month before ([`DemoData::previous_month`]), and, so that a
//! month's newly identified households are new, those identified in the later month (and not
//! part of a planted defect) were not yet monitored. The same households, persons and birth
//! dates run through every month; only what happened in a month is undone before it.

use super::{DemoData, YearMonth};

/// The `gonggu.toml` of a several-month demo: the demo's configuration without a fixed
/// as-of or issue date (each month's run dates itself), and a `[run]` section whose
/// patterns match the folders written (`数据/2021-11/…`).
pub fn months_config() -> String {
    let mut text: String = super::CONFIG
        .lines()
        .filter(|l| !l.starts_with("as_of") && !l.starts_with("issue_date"))
        .map(|l| format!("{l}\n"))
        .collect();
    text.push_str(RUN_SECTION);
    text
}

const RUN_SECTION: &str = "
[run]
# gonggu run [年-月]：读取 数据/年-月/ 中的导出文件，写出当月全部文稿并记入历史库 gonggu.db。
level = \"county\"
inputs = [\"数据/{年}-{月}/*.xlsx\", \"数据/{年}-{月}/*.csv\"]
out = \"输出/{年}年{月}月\"
documents = [\"check\", \"notice\", \"brief\", \"evaluate\", \"json\", \"changes\"]
";

/// The folder of a month's inputs in a several-month demo (`数据/2021-11`).
pub fn month_folder(data: &DemoData) -> String {
    let m = YearMonth::of(data.options.as_of);
    format!("数据/{:04}-{:02}", m.year, m.month)
}

impl DemoData {
    /// `n` consecutive months ending with this one, oldest first (`n` = 0 is taken as 1).
    ///
    /// # Examples
    /// ```
    /// use gonggu_demo::{generate, DemoOptions};
    /// let data = generate(&DemoOptions { households: 300, ..DemoOptions::default() });
    /// let months = data.months(3);
    /// let dates: Vec<String> = months.iter().map(|m| m.options.as_of.to_string()).collect();
    /// assert_eq!(dates, ["2021-09-30", "2021-10-31", "2021-11-30"]);
    /// assert_eq!(months[0].persons.len(), data.persons.len());
    /// ```
    pub fn months(&self, n: usize) -> Vec<DemoData> {
        let mut out = vec![self.clone()];
        while out.len() < n {
            let Some(later) = out.last() else { break };
            let later_month = YearMonth::of(later.options.as_of);
            let mut earlier = later.previous_month();
            for (h, l) in earlier.households.iter_mut().zip(&later.households) {
                // `previous_month` moved these identifications a month back; here they had
                // not happened at all. A planted date defect keeps its dates.
                if l.identified == Some(later_month) && l.eliminated_on.is_none() {
                    h.category = None;
                    h.identified = None;
                    h.eliminated = None;
                    h.elimination_method = None;
                }
            }
            earlier.manifest =
                super::plant::build_manifest(&earlier, &earlier.planted, earlier.options.format);
            out.push(earlier);
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DemoOptions, generate};

    #[test]
    fn months_evolve_the_same_households() {
        let data = generate(&DemoOptions {
            households: 2000,
            ..DemoOptions::default()
        });
        let months = data.months(3);
        assert_eq!(months.len(), 3);
        assert_eq!(months[2].households, data.households);
        for pair in months.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            let month = YearMonth::of(after.options.as_of);
            assert_eq!(before.persons, after.persons);
            let new: Vec<usize> = (0..after.households.len())
                .filter(|&i| {
                    let h = &after.households[i];
                    h.identified == Some(month) && h.eliminated_on.is_none()
                })
                .collect();
            let eliminated: Vec<usize> = (0..after.households.len())
                .filter(|&i| after.households[i].eliminated_on == Some(month))
                .collect();
            // A few of each every month, as in a real county.
            assert!(!new.is_empty() && !eliminated.is_empty(), "{month:?}");
            for i in new {
                assert!(
                    !before.households[i].is_monitored(),
                    "{i} was new in {month:?}"
                );
            }
            for i in eliminated {
                let b = &before.households[i];
                assert!(b.is_monitored() && b.eliminated != Some(true), "{i}");
            }
        }
        assert_eq!(data.months(0).len(), 1);
    }

    #[test]
    fn the_config_runs_the_month_folders() {
        let c = months_config();
        assert!(!c.contains("as_of") && !c.contains("issue_date"));
        assert!(c.contains("inputs = [\"数据/{年}-{月}/*.xlsx\""));
        let data = generate(&DemoOptions {
            households: 50,
            ..DemoOptions::default()
        });
        assert_eq!(month_folder(&data), "数据/2021-11");
    }
}
