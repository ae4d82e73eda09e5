//! For comparison: migra (Python, schemainspect) diffing two built
//! databases. Optional: installed from PyPI into a venv under target/bench
//! on first use; without python3, pip or the network the comparison is
//! skipped with the reason.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::report::{megabytes, secs, thousands, SizeResult};
use crate::run::{self, median_wall, Measured, Runs};

/// The size migra is compared at.
pub const TABLES: usize = 2_000;

#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Migra {
    Measured { tables: usize, runs: usize, seconds: f64, peak_mb: Option<f64> },
    Skipped { reason: String },
}

impl Migra {
    pub fn describe(&self, sizes: &[SizeResult]) -> String {
        match self {
            Migra::Measured { tables, runs, seconds, peak_mb } => {
                let ours = sizes.iter().find(|s| s.tables == *tables).map_or(String::new(), |s| {
                    format!(
                        "; pgrecon: plan cold {:.2} s (elaborating the files included), {}",
                        s.plan_cold_s,
                        megabytes(s.peak_mb)
                    )
                });
                format!(
                    "migra at {} tables (two built databases, median of {runs}): {seconds:.2} s, {}{ours}",
                    thousands(*tables),
                    megabytes(*peak_mb)
                )
            }
            Migra::Skipped { reason } => format!("migra: skipped ({reason})"),
        }
    }
}

/// Times `migra --unsafe FROM TO` (exit 2: it found the changes).
pub fn compare(bench_dir: &Path, from_url: &str, to_url: &str, runs: Runs) -> Migra {
    let migra = match install(bench_dir) {
        Ok(migra) => migra,
        Err(reason) => return Migra::Skipped { reason },
    };
    let log = run::log_path(bench_dir, "migra");
    let measured: Result<Vec<Measured>, String> = runs
        .repeat(|_| {
            let mut cmd = Command::new(&migra);
            cmd.args(["--unsafe", &sqlalchemy(from_url), &sqlalchemy(to_url)]);
            match run::measured(&mut cmd, &log) {
                Ok(m) if m.code == 2 => Ok(m),
                Ok(m) => Err(format!("migra exited with {}, see {}", m.code, log.display())),
                Err(e) => Err(format!("cannot run migra: {e}")),
            }
        })
        .into_iter()
        .collect();
    match measured {
        Ok(measured) => Migra::Measured {
            tables: TABLES,
            runs: measured.len(),
            seconds: secs(median_wall(&measured)),
            peak_mb: run::peak_mb(&measured),
        },
        Err(reason) => Migra::Skipped { reason },
    }
}

/// SQLAlchemy wants its own scheme, naming the driver.
fn sqlalchemy(url: &str) -> String {
    url.replacen("postgres://", "postgresql+psycopg2://", 1)
}

/// The venv's migra, installing it when missing. SQLAlchemy is kept below
/// 2.0, which migra's last release predates.
fn install(bench_dir: &Path) -> Result<PathBuf, String> {
    let venv = bench_dir.join("venv");
    let migra = venv.join("bin/migra");
    if migra.exists() {
        return Ok(migra);
    }
    let log = run::log_path(bench_dir, "migra-install");
    let mut create = Command::new("python3");
    create.args(["-m", "venv"]).arg(&venv);
    let mut pip = Command::new(venv.join("bin/pip"));
    pip.args(["install", "--disable-pip-version-check", "--retries", "1", "--timeout", "20"]);
    pip.args(["migra", "psycopg2-binary", "sqlalchemy<2"]);
    for step in [&mut create, &mut pip] {
        match run::measured(step, &log) {
            Ok(m) if m.code == 0 => {}
            Ok(m) => return Err(format!("installing migra failed (exit {}), see {}", m.code, log.display())),
            Err(e) => return Err(format!("cannot install migra: {e}")),
        }
    }
    Ok(migra)
}
