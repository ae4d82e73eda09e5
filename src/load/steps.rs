//! Pre and post steps: SQL files under a `steps/` directory of the desired
//! state, run before or after the schema change. A file says when it runs
//! in its leading comments:
//!
//! ```sql
//! -- @step: after                 (or before; default after)
//! -- @once                        (run once ever; recorded in pgrecon.applied_steps)
//! -- @when-changed: public.alerts (only when the plan touches this object)
//! UPDATE alerts SET ...;
//! ```
//!
//! Without `@once`, a step runs with every plan that changes the schema.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::LoadError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    Before,
    After,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DataStep {
    /// The file name, e.g. `2026-11-backfill-alert-kind.sql`: its identity
    /// in `pgrecon.applied_steps`.
    pub name: String,
    pub path: PathBuf,
    pub sql: String,
    pub sha256: String,
    pub when: When,
    pub once: bool,
    pub when_changed: Option<String>,
}

/// The `steps/` directories of the desired-state paths.
pub fn step_dirs(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().map(|p| p.join("steps")).filter(|d| d.is_dir()).collect()
}

pub fn is_steps_dir(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "steps")
}

pub fn load_steps(paths: &[PathBuf]) -> Result<Vec<DataStep>, LoadError> {
    let mut steps = Vec::new();
    for dir in step_dirs(paths) {
        let read_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| LoadError::Read { path, source }
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(read_err(&dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        for path in files {
            let sql = std::fs::read_to_string(&path).map_err(read_err(&path))?;
            refuse_transaction_control(&path, &sql)?;
            steps.push(parse(&path, sql));
        }
    }
    Ok(steps)
}

/// A data step runs inside the transaction pgrecon gives it (with the
/// schema change's first or last steps): a `COMMIT` of its own would commit
/// them half-way, and a `BEGIN` warn and do nothing. Refused, pointing at
/// the statement.
fn refuse_transaction_control(path: &Path, sql: &str) -> Result<(), LoadError> {
    use sqlparser::keywords::Keyword;
    let file = super::SourceFile::new(path.to_path_buf(), sql.to_string());
    let split = super::split::split(0, &file)?;
    let control = [
        Keyword::BEGIN,
        Keyword::START,
        Keyword::COMMIT,
        Keyword::END,
        Keyword::ROLLBACK,
        Keyword::ABORT,
        Keyword::SAVEPOINT,
        Keyword::RELEASE,
    ];
    for statement in &split.statements {
        let Some(first) = statement.tokens.first() else { continue };
        if first.keyword().is_some_and(|k| control.contains(&k)) {
            return Err(LoadError::syntax(
                &file,
                0,
                first.start,
                "a data step runs inside pgrecon's transaction (with the schema change it goes with): \
                 remove its transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT)"
                    .into(),
            ));
        }
    }
    Ok(())
}

fn parse(path: &Path, sql: String) -> DataStep {
    let mut step = DataStep {
        name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        path: path.to_path_buf(),
        sha256: crate::plan::file::sha256(sql.as_bytes()),
        sql: String::new(),
        when: When::After,
        once: false,
        when_changed: None,
    };
    for line in sql.lines().map(str::trim).take_while(|l| l.starts_with("--") || l.is_empty()) {
        let text = line.trim_start_matches('-').trim();
        if let Some(when) = text.strip_prefix("@step:") {
            step.when = if when.trim() == "before" { When::Before } else { When::After };
        } else if text == "@once" {
            step.once = true;
        } else if let Some(object) = text.strip_prefix("@when-changed:") {
            step.when_changed = Some(object.trim().to_string());
        }
    }
    step.sql = sql;
    step
}
