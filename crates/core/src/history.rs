//! The history of monthly runs (`gonggu.db`, SQLite, beside gonggu.toml): per run its month,
//! level, as-of date, parent, catalog and input fingerprints and gonggu version; per unit
//! (and the total) every indicator and measure the inputs supported — numerator,
//! denominator, value, display and rank — so that last month's figures, trends and the
//! quarterly unit × month tables need no old export kept.
//!
//! The store lives in core, beside [`crate::compute`], because its rows are the report's own
//! typed cells and it gives a [`Report`] back for the comparison; it touches one file, as
//! [`crate::ingest`] does, and never the documents (the CLI writes those).
//!
//! Safety: every change is one `IMMEDIATE` transaction (a month re-run replaces its record
//! whole, or nothing changes); a second run at the same time waits up to
//! [`BUSY_TIMEOUT`] for the lock; the schema carries a version and is migrated forward on
//! open. SQLite's locking is unreliable on network shares: [`network_share`] tells the caller
//! when to warn.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use rust_decimal::Decimal;

use crate::compute::{Cell, Report, Row, Trend, TrendLine, TrendSeries};
use crate::config::run::Month;
use crate::error::{Error, Result};
use crate::region::Level;

/// File name of the history database, beside gonggu.toml.
pub const FILE_NAME: &str = "gonggu.db";

/// How long a run waits for another run's write to finish.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The schema, one migration per version: `MIGRATIONS[0]` makes version 1 from an empty
/// database. Never edit a released migration; append one.
const MIGRATIONS: &[&str] = &["
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    level TEXT NOT NULL,
    as_of TEXT NOT NULL,
    parent TEXT NOT NULL,
    catalog_fingerprint TEXT NOT NULL,
    inputs_fingerprint TEXT NOT NULL,
    gonggu_version TEXT NOT NULL,
    UNIQUE (month, level)
);
CREATE TABLE run_inputs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL
);
CREATE TABLE indicators (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (run_id, id)
);
CREATE TABLE figures (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    unit_key TEXT NOT NULL,
    unit TEXT NOT NULL,
    position INTEGER NOT NULL,
    is_total INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    numerator TEXT,
    denominator TEXT,
    value TEXT,
    display TEXT NOT NULL,
    rank INTEGER,
    PRIMARY KEY (run_id, unit_key, indicator)
);
"];

/// What identifies a run besides its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    /// The month.
    pub month: Month,
    /// Fingerprint of the indicator catalog used.
    pub catalog_fingerprint: String,
    /// Each input file and its fingerprint.
    pub inputs: Vec<(String, String)>,
    /// gonggu's version.
    pub version: String,
}

/// One recorded month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The month.
    pub month: Month,
    /// The level.
    pub level: String,
    /// As-of date.
    pub as_of: NaiveDate,
    /// Parent region.
    pub parent: String,
    /// Units recorded (without the total).
    pub units: usize,
    /// Indicators and measures recorded.
    pub indicators: usize,
    /// gonggu's version that recorded it.
    pub version: String,
}

/// A unit × month table of one or all indicators (display values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryTable {
    /// The months, oldest first.
    pub months: Vec<Month>,
    /// Rows: indicator name, unit name, one display per month (`None` = not recorded); the
    /// total row of each indicator last.
    pub rows: Vec<HistoryRow>,
}

/// A row of a [`HistoryTable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// Indicator's Chinese name.
    pub indicator: String,
    /// Unit (or parent, for the total).
    pub unit: String,
    /// Whether this is the total row.
    pub total: bool,
    /// One display value per month of the table.
    pub values: Vec<Option<String>>,
}

impl HistoryTable {
    /// The table as CSV with a UTF-8 BOM (Chinese Excel opens it directly); the indicator
    /// column only when the table holds more than one indicator.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = vec![0xEF, 0xBB, 0xBF];
        let mut w = csv::Writer::from_writer(&mut out);
        let _ = w.write_record(self.header());
        for r in &self.rows {
            let _ = w.write_record(self.cells(r));
        }
        let _ = w.flush();
        drop(w);
        out
    }

    /// The header row: `指标` (when the table holds more than one indicator), `地区`, then
    /// one `2021年11月` per month.
    pub fn header(&self) -> Vec<String> {
        let mut head: Vec<String> = Vec::new();
        if self.indicator_count() > 1 {
            head.push("指标".into());
        }
        head.push("地区".into());
        head.extend(self.months.iter().map(|m| m.label()));
        head
    }

    /// A row's cells under [`header`](Self::header); `—` where a month has no value.
    pub fn cells(&self, r: &HistoryRow) -> Vec<String> {
        let mut rec: Vec<String> = Vec::new();
        if self.indicator_count() > 1 {
            rec.push(r.indicator.clone());
        }
        rec.push(r.unit.clone());
        rec.extend(
            r.values
                .iter()
                .map(|v| v.clone().unwrap_or_else(|| "—".into())),
        );
        rec
    }

    /// Number of distinct indicators in the table.
    pub fn indicator_count(&self) -> usize {
        let mut names: Vec<&str> = self.rows.iter().map(|r| r.indicator.as_str()).collect();
        names.dedup();
        names.len()
    }
}

/// The history database.
pub struct History {
    conn: Connection,
    path: PathBuf,
}

fn err(path: &Path, e: rusqlite::Error) -> Error {
    let message = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            "正被另一次 gonggu 运行使用，等待后仍未释放；请等另一次运行结束后重试".into()
        }
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            "不是有效的 gonggu 历史库或已损坏（可改名备份后重新运行，历史将从头记录）".into()
        }
        Some(rusqlite::ErrorCode::DiskFull) => "磁盘已满，未能写入".into(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => {
            "无法打开或写入（请检查文件夹是否可写）".into()
        }
        _ => format!("读写失败（{e}）"),
    };
    Error::History {
        path: path.to_path_buf(),
        message,
    }
}

fn text_decimal(v: Option<String>) -> Option<Decimal> {
    v.and_then(|t| Decimal::from_str(&t).ok())
}

impl History {
    /// Opens (creating when absent) the database at `path` and migrates it to the current
    /// schema.
    ///
    /// # Errors
    /// [`Error::History`] when the file cannot be opened, is not a database, or was made by
    /// a newer gonggu (a schema version above this one's).
    pub fn open(path: &Path) -> Result<History> {
        History::open_waiting(path, BUSY_TIMEOUT)
    }

    /// [`History::open`] waiting at most `timeout` for another run's lock.
    ///
    /// # Errors
    /// As [`History::open`].
    pub fn open_waiting(path: &Path, timeout: Duration) -> Result<History> {
        let conn = Connection::open(path).map_err(|e| err(path, e))?;
        let mut h = History {
            conn,
            path: path.to_path_buf(),
        };
        h.conn
            .busy_timeout(timeout)
            .and_then(|_| h.conn.pragma_update(None, "foreign_keys", "ON"))
            .map_err(|e| err(path, e))?;
        h.migrate()?;
        Ok(h)
    }

    fn e(&self, e: rusqlite::Error) -> Error {
        err(&self.path, e)
    }

    /// The schema version of the database.
    ///
    /// # Errors
    /// [`Error::History`] when it cannot be read.
    pub fn schema_version(&self) -> Result<u32> {
        self.conn
            .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
            .optional()
            .map(|v| v.unwrap_or(0))
            .map_err(|e| self.e(e))
    }

    fn migrate(&mut self) -> Result<()> {
        // Current already: no write lock taken, so opening never waits for a run that is
        // recording (readers go on while a writer holds its reserved lock).
        let current = self
            .conn
            .query_row("SELECT version FROM schema_version", [], |r| {
                r.get::<_, u32>(0)
            })
            .ok();
        if current == Some(MIGRATIONS.len() as u32) {
            return Ok(());
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| err(&path, e))?;
        tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            .map_err(|e| err(&path, e))?;
        let version: u32 = tx
            .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
            .optional()
            .map_err(|e| err(&path, e))?
            .unwrap_or(0);
        let known = MIGRATIONS.len() as u32;
        if version > known {
            return Err(Error::History {
                path,
                message: format!(
                    "由更新版本的 gonggu 创建（结构版本 {version}，本程序只认识到 {known}），请升级 gonggu"
                ),
            });
        }
        if version == known {
            return tx.commit().map_err(|e| err(&path, e));
        }
        for m in &MIGRATIONS[version as usize..] {
            tx.execute_batch(m).map_err(|e| err(&path, e))?;
        }
        tx.execute("DELETE FROM schema_version", [])
            .and_then(|_| tx.execute("INSERT INTO schema_version VALUES (?1)", [known]))
            .map_err(|e| err(&path, e))?;
        tx.commit().map_err(|e| err(&path, e))
    }

    /// Records a month's report, replacing whatever was recorded for that month and level,
    /// in one transaction that is committed by [`Pending::commit`] (so a caller can write
    /// its documents between, and a failure there leaves the history as it was).
    ///
    /// # Errors
    /// [`Error::History`] when the database cannot be written (the transaction is rolled
    /// back).
    pub fn record(&mut self, info: &RunInfo, report: &Report) -> Result<Pending<'_>> {
        let path = self.path.clone();
        let e = |x| err(&path, x);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)?;
        let month = info.month.to_string();
        let level = report.level.id();
        tx.execute(
            "DELETE FROM runs WHERE month = ?1 AND level = ?2",
            params![month, level],
        )
        .map_err(e)?;
        let inputs_fp = fingerprint(
            info.inputs
                .iter()
                .map(|(p, f)| format!("{p}\t{f}\n"))
                .collect::<String>()
                .as_bytes(),
        );
        tx.execute(
            "INSERT INTO runs (month, level, as_of, parent, catalog_fingerprint, inputs_fingerprint, gonggu_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                month,
                level,
                report.as_of.to_string(),
                report.parent,
                info.catalog_fingerprint,
                inputs_fp,
                info.version
            ],
        )
        .map_err(e)?;
        let run = tx.last_insert_rowid();
        {
            let mut input = tx
                .prepare("INSERT INTO run_inputs VALUES (?1, ?2, ?3)")
                .map_err(e)?;
            for (p, f) in &info.inputs {
                input.execute(params![run, p, f]).map_err(e)?;
            }
            let mut ind = tx
                .prepare("INSERT INTO indicators VALUES (?1, ?2, ?3, ?4)")
                .map_err(e)?;
            for (i, d) in report.indicators.iter().enumerate() {
                ind.execute(params![run, d.id, d.name, i as i64])
                    .map_err(e)?;
            }
            let mut fig = tx
                .prepare(
                    "INSERT INTO figures VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .map_err(e)?;
            let rows = report
                .rows
                .iter()
                .filter(|r| r.has_data)
                .map(|r| (r, false))
                .chain(std::iter::once((&report.total, true)));
            for (pos, (row, total)) in rows.enumerate() {
                for (id, c) in &row.values {
                    fig.execute(params![
                        run,
                        if total { "" } else { row.key.as_str() },
                        row.region,
                        pos as i64,
                        total,
                        id,
                        c.numerator.map(|d| d.to_string()),
                        c.denominator.map(|d| d.to_string()),
                        c.value.map(|d| d.to_string()),
                        c.display,
                        c.rank,
                    ])
                    .map_err(e)?;
                }
            }
        }
        Ok(Pending { tx, path })
    }

    /// The recorded months, oldest first.
    ///
    /// # Errors
    /// [`Error::History`] when the database cannot be read.
    pub fn months(&self) -> Result<Vec<Recorded>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT r.month, r.level, r.as_of, r.parent, r.gonggu_version,
                    (SELECT COUNT(DISTINCT unit_key) FROM figures f WHERE f.run_id = r.id AND NOT f.is_total),
                    (SELECT COUNT(DISTINCT indicator) FROM figures f WHERE f.run_id = r.id)
                 FROM runs r ORDER BY r.month, r.level",
            )
            .map_err(|e| self.e(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            })
            .map_err(|e| self.e(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (month, level, as_of, parent, version, units, indicators) =
                row.map_err(|e| self.e(e))?;
            let (Ok(month), Ok(as_of)) = (Month::parse(&month), NaiveDate::from_str(&as_of)) else {
                continue;
            };
            out.push(Recorded {
                month,
                level,
                as_of,
                parent,
                units: units as usize,
                indicators: indicators as usize,
                version,
            });
        }
        Ok(out)
    }

    fn run_id(&self, month: Month, level: Level) -> Result<Option<(i64, String, String)>> {
        self.conn
            .query_row(
                "SELECT id, as_of, parent FROM runs WHERE month = ?1 AND level = ?2",
                params![month.to_string(), level.id()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.e(e))
    }

    /// The recorded report of a month at a level, for the comparison with it: every unit's
    /// cells (value, numerator, denominator, display, rank) and the total; `None` when the
    /// month is not recorded. The same rows serve as the 基本情况 counts' previous period.
    ///
    /// # Errors
    /// [`Error::History`] when the database cannot be read.
    pub fn report(&self, month: Month, level: Level) -> Result<Option<Report>> {
        let Some((run, as_of, parent)) = self.run_id(month, level)? else {
            return Ok(None);
        };
        let as_of = NaiveDate::from_str(&as_of).unwrap_or_else(|_| month.last_day());
        let mut st = self
            .conn
            .prepare(
                "SELECT unit_key, unit, is_total, indicator, numerator, denominator, value, display, rank
                 FROM figures WHERE run_id = ?1 ORDER BY position, indicator",
            )
            .map_err(|e| self.e(e))?;
        let mut rows: Vec<Row> = Vec::new();
        let mut total = Row {
            key: parent.clone(),
            region: parent.clone(),
            values: BTreeMap::new(),
            has_data: true,
        };
        let figures = st
            .query_map([run], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, Option<u32>>(8)?,
                ))
            })
            .map_err(|e| self.e(e))?;
        for f in figures {
            let (key, unit, is_total, id, num, den, value, display, rank) =
                f.map_err(|e| self.e(e))?;
            let mut cell = Cell::empty();
            cell.numerator = text_decimal(num);
            cell.denominator = text_decimal(den);
            cell.value = text_decimal(value);
            cell.display = display;
            cell.rank = rank;
            let row = if is_total {
                &mut total
            } else {
                if rows.last().is_none_or(|r| r.key != key) {
                    rows.push(Row {
                        key: key.clone(),
                        region: unit,
                        values: BTreeMap::new(),
                        has_data: true,
                    });
                }
                match rows.last_mut() {
                    Some(r) => r,
                    None => continue,
                }
            };
            row.values.insert(id, cell);
        }
        let report = Report {
            as_of,
            level,
            parent,
            indicators: Vec::new(),
            rows,
            total,
            notes: Vec::new(),
            left_out: Vec::new(),
            previous_as_of: None,
            year_start: None,
            params: BTreeMap::new(),
            param_names: BTreeMap::new(),
            basics: None,
            trend: None,
        };
        Ok(Some(Report {
            basics: Some(Box::new(report.clone())),
            ..report
        }))
    }

    /// The unit × month table of one indicator (`indicator` = its id or Chinese name) or,
    /// with `None`, of every indicator recorded: display values, units in the order of the
    /// latest month that has them, the total row last.
    ///
    /// # Errors
    /// [`Error::History`] when the database cannot be read, nothing is recorded at this
    /// level, or the indicator was never recorded (with the names that were).
    pub fn table(&self, level: Level, indicator: Option<&str>) -> Result<HistoryTable> {
        let months: Vec<Month> = self
            .months()?
            .into_iter()
            .filter(|r| r.level == level.id())
            .map(|r| r.month)
            .collect();
        if months.is_empty() {
            return Err(Error::History {
                path: self.path.clone(),
                message: format!(
                    "还没有{}级的记录：请先用 gonggu run 生成月度文稿",
                    level_word(level)
                ),
            });
        }
        // Indicators: id → name, in the latest month's order.
        let mut st = self
            .conn
            .prepare(
                "SELECT i.id, i.name FROM indicators i JOIN runs r ON r.id = i.run_id
                 WHERE r.level = ?1 ORDER BY r.month DESC, i.position",
            )
            .map_err(|e| self.e(e))?;
        let mut names: Vec<(String, String)> = Vec::new();
        for row in st
            .query_map([level.id()], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.e(e))?
        {
            let (id, name): (String, String) = row.map_err(|e| self.e(e))?;
            if !names.iter().any(|(i, _)| *i == id) {
                names.push((id, name));
            }
        }
        let chosen: Vec<(String, String)> = match indicator {
            None => names,
            Some(q) => {
                let q = q.trim();
                match names.iter().find(|(id, name)| id == q || name == q) {
                    Some(found) => vec![found.clone()],
                    None => {
                        return Err(Error::History {
                            path: self.path.clone(),
                            message: format!(
                                "没有记录过指标「{q}」（已记录的指标可用 gonggu indicators --all 查看编号，如 {}）",
                                names
                                    .iter()
                                    .take(3)
                                    .map(|(i, n)| format!("{i} {n}"))
                                    .collect::<Vec<_>>()
                                    .join("、")
                            ),
                        });
                    }
                }
            }
        };
        let mut st = self
            .conn
            .prepare(
                "SELECT r.month, f.unit_key, f.unit, f.is_total, f.display FROM figures f
                 JOIN runs r ON r.id = f.run_id
                 WHERE r.level = ?1 AND f.indicator = ?2
                 ORDER BY r.month DESC, f.position",
            )
            .map_err(|e| self.e(e))?;
        let mut rows = Vec::new();
        for (id, name) in &chosen {
            // unit key → (name, values); order of first sight, latest month first.
            let mut units: Vec<(String, String, Vec<Option<String>>)> = Vec::new();
            let mut total: Option<(String, Vec<Option<String>>)> = None;
            let found = st
                .query_map(params![level.id(), id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, bool>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                })
                .map_err(|e| self.e(e))?;
            for f in found {
                let (month, key, unit, is_total, display) = f.map_err(|e| self.e(e))?;
                let Some(col) = Month::parse(&month)
                    .ok()
                    .and_then(|m| months.iter().position(|x| *x == m))
                else {
                    continue;
                };
                let values = if is_total {
                    &mut total
                        .get_or_insert_with(|| (unit.clone(), vec![None; months.len()]))
                        .1
                } else {
                    let at = match units.iter().position(|(k, _, _)| *k == key) {
                        Some(at) => at,
                        None => {
                            units.push((key, unit, vec![None; months.len()]));
                            units.len() - 1
                        }
                    };
                    &mut units[at].2
                };
                if let Some(slot) = values.get_mut(col) {
                    *slot = Some(display);
                }
            }
            for (_, unit, values) in units {
                rows.push(HistoryRow {
                    indicator: name.clone(),
                    unit,
                    total: false,
                    values,
                });
            }
            if let Some((unit, values)) = total {
                rows.push(HistoryRow {
                    indicator: name.clone(),
                    unit,
                    total: true,
                    values,
                });
            }
        }
        Ok(HistoryTable { months, rows })
    }

    /// The trend of a report's headline indicators: the recorded months before `month` (at
    /// most `span` - 1 of them, the latest) and the report's own month; per indicator (the
    /// first [`TREND_INDICATORS`] with a total) the total and the [`TREND_UNITS`] units
    /// furthest below target (without targets, the last ranked). `None` when no earlier
    /// month is recorded.
    ///
    /// # Errors
    /// [`Error::History`] when the database cannot be read.
    pub fn trend(&self, report: &Report, month: Month, span: usize) -> Result<Option<Trend>> {
        let level = report.level.id();
        let mut earlier: Vec<(Month, i64)> = Vec::new();
        let mut st = self
            .conn
            .prepare(
                "SELECT month, id FROM runs WHERE level = ?1 AND month < ?2 ORDER BY month DESC",
            )
            .map_err(|e| self.e(e))?;
        for row in st
            .query_map(params![level, month.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(|e| self.e(e))?
        {
            let (m, id) = row.map_err(|e| self.e(e))?;
            if let Ok(m) = Month::parse(&m) {
                earlier.push((m, id));
            }
        }
        earlier.truncate(span.saturating_sub(1));
        earlier.reverse();
        if earlier.is_empty() {
            return Ok(None);
        }
        let mut months: Vec<String> = earlier.iter().map(|(m, _)| m.label()).collect();
        months.push(month.label());
        let mut fig = self
            .conn
            .prepare("SELECT value, display FROM figures WHERE run_id = ?1 AND unit_key = ?2 AND indicator = ?3")
            .map_err(|e| self.e(e))?;
        let mut series = Vec::new();
        for ind in &report.indicators {
            if series.len() == TREND_INDICATORS {
                break;
            }
            // Ranked indicators only: a count's course says little beside the bar charts.
            if ind.direction == crate::catalog::Direction::NotRanked {
                continue;
            }
            let Some(now) = report.total.cell(&ind.id).filter(|c| c.value.is_some()) else {
                continue;
            };
            let mut lines = vec![(String::new(), report.parent.clone(), true, now)];
            for row in furthest_from_target(report, &ind.id) {
                if let Some(c) = row.cell(&ind.id) {
                    lines.push((row.key.clone(), row.region.clone(), false, c));
                }
            }
            let mut out = Vec::new();
            for (key, label, total, now) in lines {
                let mut values = Vec::new();
                let mut displays = Vec::new();
                for (_, run) in &earlier {
                    let got: Option<(Option<String>, String)> = fig
                        .query_row(params![run, key, ind.id], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                        .map_err(|e| self.e(e))?;
                    let (v, d) = got.unwrap_or((None, "—".into()));
                    values.push(text_decimal(v));
                    displays.push(d);
                }
                values.push(now.value);
                displays.push(now.display.clone());
                out.push(TrendLine {
                    label,
                    total,
                    values,
                    displays,
                });
            }
            series.push(TrendSeries {
                indicator: ind.id.clone(),
                lines: out,
            });
        }
        Ok((!series.is_empty()).then_some(Trend { months, series }))
    }

    /// Row counts of the tables (runs, run_inputs, indicators, figures), for checks.
    ///
    /// # Errors
    /// [`Error::History`] when the database cannot be read.
    pub fn counts(&self) -> Result<[u64; 4]> {
        let mut out = [0u64; 4];
        for (i, t) in ["runs", "run_inputs", "indicators", "figures"]
            .iter()
            .enumerate()
        {
            out[i] = self
                .conn
                .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
                .map_err(|e| self.e(e))?;
        }
        Ok(out)
    }
}

/// Indicators in a brief's trend chart.
pub const TREND_INDICATORS: usize = 4;
/// Units beside the total in each trend.
pub const TREND_UNITS: usize = 2;

/// The units furthest below target for an indicator; without any unit below target, the
/// last ranked.
fn furthest_from_target<'r>(report: &'r Report, id: &str) -> Vec<&'r Row> {
    let mut below: Vec<(&Row, Decimal)> = report
        .rows
        .iter()
        .filter_map(|r| {
            let c = r.cell(id)?;
            match (c.target_met, c.value, c.target) {
                (Some(false), Some(v), Some(t)) => Some((r, (v - t).abs())),
                _ => None,
            }
        })
        .collect();
    if below.is_empty() {
        let mut ranked: Vec<(&Row, u32)> = report
            .rows
            .iter()
            .filter_map(|r| Some((r, r.cell(id)?.rank?)))
            .collect();
        ranked.sort_by_key(|(_, rank)| std::cmp::Reverse(*rank));
        return ranked
            .into_iter()
            .take(TREND_UNITS)
            .map(|(r, _)| r)
            .collect();
    }
    below.sort_by_key(|b| std::cmp::Reverse(b.1));
    below
        .into_iter()
        .take(TREND_UNITS)
        .map(|(r, _)| r)
        .collect()
}

fn level_word(level: Level) -> &'static str {
    match level {
        Level::County => "县",
        Level::Town => "乡镇",
        Level::Village => "村",
    }
}

/// A recorded month not yet committed: [`Pending::commit`] makes it permanent; dropping it
/// rolls it back.
pub struct Pending<'a> {
    tx: rusqlite::Transaction<'a>,
    path: PathBuf,
}

impl Pending<'_> {
    /// Commits the record.
    ///
    /// # Errors
    /// [`Error::History`] when the commit fails (then nothing was recorded).
    pub fn commit(self) -> Result<()> {
        self.tx.commit().map_err(|e| err(&self.path, e))
    }
}

/// A stable fingerprint of bytes (64-bit FNV-1a, hex): enough to tell whether an input or
/// the catalog changed between runs; not a security hash.
///
/// # Examples
/// ```
/// use gonggu_core::history::fingerprint;
/// assert_eq!(fingerprint(b""), "cbf29ce484222325");
/// assert_ne!(fingerprint(b"a"), fingerprint(b"b"));
/// ```
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Whether `path` lies on a network share, where SQLite's locking cannot be trusted: a UNC
/// path (`\\server\share\…`, `//server/share/…`), or a mount of type nfs, cifs, smbfs, smb3,
/// 9p or sshfs in `mounts` (the text of `/proc/mounts`; the longest mount point that
/// contains the path decides). Returns the share's description.
///
/// # Examples
/// ```
/// use std::path::Path;
/// use gonggu_core::history::network_share;
/// let mounts = "/dev/sda1 / ext4 rw 0 0\n//nas/data /mnt/nas cifs rw 0 0\n";
/// assert!(network_share(Path::new("/mnt/nas/扶贫/gonggu.db"), mounts).is_some());
/// assert!(network_share(Path::new("/home/tongji/gonggu.db"), mounts).is_none());
/// assert!(network_share(Path::new(r"\\server\share\gonggu.db"), "").is_some());
/// assert!(network_share(Path::new(r"\\?\UNC\server\share\gonggu.db"), "").is_some());
/// assert!(network_share(Path::new(r"\\?\C:\统计\gonggu.db"), "").is_none());
/// ```
pub fn network_share(path: &Path, mounts: &str) -> Option<String> {
    let text = path.to_string_lossy();
    // `\\?\C:\…` is a local path in Windows' long form; `\\?\UNC\server\…` is a share.
    let long_local = text.starts_with(r"\\?\") && !text.starts_with(r"\\?\UNC\");
    if !long_local && (text.starts_with(r"\\") || text.starts_with("//")) {
        return Some(format!("网络共享路径 {text}"));
    }
    const NETWORK: [&str; 8] = [
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "9p",
        "fuse.sshfs",
        "afs",
    ];
    let mut best: Option<(usize, &str, &str)> = None;
    for line in mounts.lines() {
        let mut f = line.split_whitespace();
        let (Some(source), Some(point), Some(kind)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        // /proc/mounts escapes spaces as \040.
        let point_text = point.replace("\\040", " ");
        if path.starts_with(Path::new(&point_text))
            && best.is_none_or(|(len, _, _)| point_text.len() > len)
        {
            best = Some((point_text.len(), kind, source));
        }
    }
    match best {
        Some((_, kind, source)) if NETWORK.contains(&kind) => {
            Some(format!("网络文件系统（{kind}，{source}）"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
