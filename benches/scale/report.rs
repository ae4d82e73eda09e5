//! The figures: a table on the terminal with the targets marked,
//! and JSON under target/bench/ so runs can be compared.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::migra::Migra;

/// Everything measured at one size. Times in seconds; a `*_runs` field is
/// how many runs the figure before it is the median of.
#[derive(Debug, Clone, Serialize)]
pub struct SizeResult {
    pub tables: usize,
    pub introspection_s: f64,
    pub catalog_statements: usize,
    pub load_s: f64,
    pub elaboration_s: f64,
    pub elaboration_runs: usize,
    pub diff_s: f64,
    /// `plan::plan` less the diff: SQL for each change, and its ordering.
    pub ordering_s: f64,
    pub diff_ordering_s: f64,
    pub plan_steps: usize,
    /// In-process stages timed by hand: a call was too slow for criterion.
    pub hand_timed: Vec<&'static str>,
    pub plan_cold_s: f64,
    pub plan_cold_runs: usize,
    pub floor_load_s: f64,
    pub floor_dump_s: f64,
    pub floor_s: f64,
    pub floor_runs: usize,
    pub plan_floor_ratio: f64,
    pub drift_warm_s: f64,
    pub drift_warm_runs: usize,
    /// False when the binary wrote no cache, so "warm" drift was cold.
    pub drift_cache_filled: bool,
    /// None without /usr/bin/time to measure it.
    pub peak_mb: Option<f64>,
}

/// A line of the table, with the in-process stages its figure comes from.
struct Row {
    label: &'static str,
    cell: fn(&SizeResult) -> String,
    stages: &'static [&'static str],
}

const fn row(label: &'static str, cell: fn(&SizeResult) -> String) -> Row {
    Row { label, cell, stages: &[] }
}

const ROWS: &[Row] = &[
    Row { stages: &["introspection"], ..row("introspection", |r| seconds(r.introspection_s)) },
    row("catalog statements", |r| r.catalog_statements.to_string()),
    Row { stages: &["load"], ..row("load files", |r| seconds(r.load_s)) },
    row("elaboration", |r| seconds(r.elaboration_s)),
    Row { stages: &["diff"], ..row("diff", |r| seconds(r.diff_s)) },
    Row { stages: &["diff", "diff_ordering"], ..row("ordering (plan - diff)", ordering_cell) },
    Row { stages: &["diff_ordering"], ..row("diff+ordering", |r| seconds(r.diff_ordering_s)) },
    row("plan steps", |r| r.plan_steps.to_string()),
    row("plan cold", |r| seconds(r.plan_cold_s)),
    row("floor (psql load+dump)", |r| seconds(r.floor_s)),
    row("plan / floor", |r| format!("{:.2}x", r.plan_floor_ratio)),
    row("drift warm", drift_cell),
    row("peak MB (plan)", |r| r.peak_mb.map_or("n/a".into(), |mb| format!("{mb:.0}"))),
];

/// A difference of two medians: below the noise when the plan measured no
/// slower than the diff alone.
fn ordering_cell(r: &SizeResult) -> String {
    if r.ordering_s > 0.0 {
        seconds(r.ordering_s)
    } else {
        "~0".to_string()
    }
}

fn drift_cell(r: &SizeResult) -> String {
    let cold = if r.drift_cache_filled { "" } else { " (no cache)" };
    format!("{}{cold}", seconds(r.drift_warm_s))
}

/// A goal from the issue: `row` at `tables` tables must satisfy `pass`.
struct Target {
    row: &'static str,
    tables: usize,
    goal: &'static str,
    value: fn(&SizeResult) -> Option<f64>,
    pass: fn(f64) -> bool,
}

const TARGETS: &[Target] = &[
    Target {
        row: "introspection",
        tables: 10_000,
        goal: "< 0.5 s",
        value: |r| Some(r.introspection_s),
        pass: |v| v < 0.5,
    },
    Target {
        row: "plan / floor",
        tables: 10_000,
        goal: "<= 1.2x",
        value: |r| Some(r.plan_floor_ratio),
        pass: |v| v <= 1.2,
    },
    Target {
        row: "drift warm",
        tables: 2_000,
        goal: "< 1 s",
        value: |r| Some(r.drift_warm_s),
        pass: |v| v < 1.0,
    },
    Target {
        row: "diff+ordering",
        tables: 10_000,
        goal: "< 200 ms",
        value: |r| Some(r.diff_ordering_s),
        pass: |v| v < 0.2,
    },
    Target {
        row: "peak MB (plan)",
        tables: 10_000,
        goal: "< 200 MB",
        value: |r| r.peak_mb,
        pass: |v| v < 200.0,
    },
];

/// A target's outcome, for the JSON.
#[derive(Serialize)]
struct Outcome {
    figure: &'static str,
    tables: usize,
    goal: &'static str,
    /// None when that size was not measured.
    value: Option<f64>,
    pass: Option<bool>,
}

#[derive(Serialize)]
pub struct Report {
    pub generated_at: String,
    pub commit: Option<String>,
    pub postgres: String,
    pub cpus: usize,
    /// Whether the binary took `--no-cache` (else "cold" plans may have used
    /// no cache anyway: the binary had none).
    pub plan_no_cache_flag: bool,
    pub sizes: Vec<SizeResult>,
    pub migra: Option<Migra>,
    targets: Vec<Outcome>,
}

impl Report {
    pub fn new(
        postgres: String,
        plan_no_cache_flag: bool,
        sizes: Vec<SizeResult>,
        migra: Option<Migra>,
    ) -> Report {
        let targets = TARGETS.iter().map(|t| outcome(t, &sizes)).collect();
        Report {
            generated_at: pgrecon::plan::file::now_utc(),
            commit: git_commit(),
            postgres,
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            plan_no_cache_flag,
            sizes,
            migra,
            targets,
        }
    }

    /// The table: one column per size, targets marked where they apply.
    pub fn table(&self) -> String {
        let label_width = ROWS.iter().map(|r| r.label.len()).max().unwrap_or(0);
        let cells: Vec<Vec<String>> =
            ROWS.iter().map(|row| self.sizes.iter().map(|s| marked(row, s)).collect()).collect();
        let width = cells.iter().flatten().map(|c| c.chars().count()).chain([8]).max().unwrap_or(8) + 2;
        let mut out = format!("{:label_width$}", "tables");
        for s in &self.sizes {
            let _ = write!(out, "{:>width$}", thousands(s.tables));
        }
        out.push('\n');
        for (row, cells) in ROWS.iter().zip(&cells) {
            let _ = write!(out, "{:label_width$}", row.label);
            for c in cells {
                let _ = write!(out, "{c:>width$}");
            }
            out.push('\n');
        }
        out.push_str(&self.footer());
        out
    }

    fn footer(&self) -> String {
        let mut out = String::from("\ntargets:\n");
        for o in &self.targets {
            let (mark, value) = match (o.pass, o.value) {
                (Some(pass), Some(v)) => (if pass { "pass" } else { "FAIL" }, format!("{v:.3}")),
                _ => ("----", "not measured".to_string()),
            };
            let _ = writeln!(
                out,
                "  [{mark}] {} at {} tables {}: {value}",
                o.figure,
                thousands(o.tables),
                o.goal
            );
        }
        if let Some(m) = &self.migra {
            let _ = writeln!(out, "\n{}", m.describe(&self.sizes));
        }
        if self.sizes.iter().any(|s| !s.hand_timed.is_empty()) {
            out.push_str(
                "\n* timed by hand (median of up to 3 calls): one call took too long for criterion\n",
            );
        }
        if !self.plan_no_cache_flag {
            out.push_str("\nnote: this pgrecon has no --no-cache; plans ran without it\n");
        }
        out
    }

    /// Writes `scale.json` and a timestamped copy into `dir`; returns both.
    pub fn write_json(&self, dir: &Path) -> std::io::Result<[PathBuf; 2]> {
        let json = serde_json::to_string_pretty(self).expect("the report serializes") + "\n";
        let latest = dir.join("scale.json");
        let stamped = dir.join(format!("scale-{}.json", self.generated_at.replace(':', "")));
        std::fs::write(&latest, &json)?;
        std::fs::write(&stamped, &json)?;
        Ok([latest, stamped])
    }
}

fn outcome(t: &Target, sizes: &[SizeResult]) -> Outcome {
    let value = sizes.iter().find(|s| s.tables == t.tables).and_then(t.value);
    Outcome { figure: t.row, tables: t.tables, goal: t.goal, value, pass: value.map(t.pass) }
}

/// The cell, with a pass/fail mark when a target applies to it, and `*`
/// when a stage behind it was timed by hand.
fn marked(row: &Row, s: &SizeResult) -> String {
    let mut cell = (row.cell)(s);
    if row.stages.iter().any(|stage| s.hand_timed.contains(stage)) {
        cell.push('*');
    }
    match TARGETS.iter().find(|t| t.row == row.label && t.tables == s.tables) {
        Some(t) => match (t.value)(s).map(t.pass) {
            Some(true) => format!("{cell} ✓"),
            Some(false) => format!("{cell} ✗"),
            None => cell,
        },
        None => cell,
    }
}

pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn seconds(s: f64) -> String {
    if s < 1.0 {
        format!("{:.1} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}

pub fn megabytes(mb: Option<f64>) -> String {
    mb.map_or("peak memory n/a".into(), |mb| format!("{mb:.0} MB"))
}

pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn git_commit() -> Option<String> {
    let out = std::process::Command::new("git").args(["rev-parse", "--short", "HEAD"]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
