//! What a step risks on a live database, so a reviewer sees it in every
//! plan format: data loss, table rewrites, ACCESS EXCLUSIVE locks, index
//! builds and validation scans on existing tables, irreversible reverses.
//! Lock levels follow PostgreSQL's documentation of each command
//! ("Explicit Locking", and the Notes of ALTER TABLE / CREATE INDEX).

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, ObjectId};

use super::{Action, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    /// Drops data: refused without `--allow-data-loss`.
    DataLoss,
    /// Rewrites the whole table (and its indexes).
    Rewrite,
    /// Takes an ACCESS EXCLUSIVE lock on an existing table until its
    /// transaction commits: reads and writes wait.
    AccessExclusiveLock,
    /// Builds an index on an existing table (a SHARE lock blocks writes while it runs).
    IndexBuild,
    /// Scans an existing table to validate a constraint or NOT NULL.
    ValidationScan,
    /// Cannot run inside a transaction.
    NonTransactional,
    /// Its reverse cannot restore what it removes.
    Irreversible,
    /// Changes data in existing rows (a backfill), for as long as the table is big.
    DataChange,
}

impl Hazard {
    pub fn label(self) -> &'static str {
        match self {
            Hazard::DataLoss => "data loss",
            Hazard::Rewrite => "table rewrite",
            Hazard::AccessExclusiveLock => "access exclusive lock",
            Hazard::IndexBuild => "index build",
            Hazard::ValidationScan => "validation scan",
            Hazard::NonTransactional => "non-transactional",
            Hazard::Irreversible => "irreversible",
            Hazard::DataChange => "changes data (long-running on big tables)",
        }
    }
}

/// Fills in each step's hazards; `live` is the live model after renames
/// (objects not in it are being created, and creating is harmless).
pub fn assess(steps: &mut [Step], live: &Catalog) {
    for step in steps.iter_mut() {
        let mut h = Vec::new();
        if step.data_loss {
            h.push(Hazard::DataLoss);
        }
        if step.transaction == super::Transaction::NonTransactional {
            h.push(Hazard::NonTransactional);
        }
        if step.backfill.is_some() {
            h.push(Hazard::DataChange);
            h.push(Hazard::NonTransactional);
        }
        let table = existing_table(step, live);
        if table.is_some() && step.backfill.is_none() {
            h.extend(table_hazards(step));
        }
        h.sort();
        h.dedup();
        step.hazards = h;
    }
}

/// The existing table a step touches, if any.
fn existing_table(step: &Step, live: &Catalog) -> Option<String> {
    let ids = step
        .deps
        .alters
        .iter()
        .chain(&step.deps.destroys)
        .chain(&step.deps.produces)
        .chain(&step.deps.requires);
    ids.filter_map(|id| match id {
        ObjectId::Table { name } => Some(name),
        ObjectId::Index { name } => live.indexes.get(name).map(|i| &i.table),
        other => other.owning_relation(),
    })
    .find(|t| live.tables.contains_key(*t))
    .map(|t| t.to_string())
}

fn table_hazards(step: &Step) -> Vec<Hazard> {
    let sql = step.sql.join("\n").to_uppercase();
    let mut h = Vec::new();
    let alters_table =
        sql.contains("ALTER TABLE") || sql.starts_with("DROP TABLE") || sql.contains("DROP INDEX");
    let only_validates = sql.contains("VALIDATE CONSTRAINT") && !sql.contains("ADD CONSTRAINT");
    if alters_table && !only_validates && !sql.contains("COMMENT ON") {
        h.push(Hazard::AccessExclusiveLock);
    }
    if sql.contains(" TYPE ") && sql.contains("ALTER COLUMN") && !is_binary_coercible(step) {
        h.push(Hazard::Rewrite);
    }
    // A stored generated column is computed for every row; a virtual one
    // (PostgreSQL 18) when read.
    let stored_generated = sql.contains("GENERATED ALWAYS AS (") && sql.contains(") STORED");
    if sql.contains("SET LOGGED") || sql.contains("SET UNLOGGED") || stored_generated {
        h.push(Hazard::Rewrite);
    }
    if sql.contains("CREATE INDEX")
        || sql.contains("CREATE UNIQUE INDEX")
        || sql.starts_with("REINDEX")
        || (sql.contains("ADD CONSTRAINT")
            && (sql.contains("PRIMARY KEY") || sql.contains(" UNIQUE") || sql.contains("EXCLUDE")))
    {
        h.push(Hazard::IndexBuild);
        if step.action == Action::Create && sql.starts_with("CREATE") {
            h.retain(|x| *x != Hazard::AccessExclusiveLock);
        }
    }
    let adds_checked = sql.contains("ADD CONSTRAINT")
        && (sql.contains("CHECK") || sql.contains("FOREIGN KEY"))
        && !sql.contains("NOT VALID");
    // PostgreSQL 18's named form of SET NOT NULL: `ADD CONSTRAINT n NOT NULL col`.
    let adds_not_null = sql.lines().any(|l| {
        l.contains("ADD CONSTRAINT")
            && l.contains(" NOT NULL ")
            && !l.contains("CHECK")
            && !l.contains("NOT VALID")
    });
    if adds_checked || adds_not_null || sql.contains("SET NOT NULL") || only_validates {
        h.push(Hazard::ValidationScan);
    }
    h
}

/// Type changes PostgreSQL makes without rewriting: a longer varchar, or
/// varchar to text.
fn is_binary_coercible(step: &Step) -> bool {
    let summary = &step.summary;
    // Another collation on the same type keeps the stored bytes.
    if summary.contains(": collation ") {
        return true;
    }
    let Some((from, to)) = summary.split_once("type ").and_then(|(_, rest)| rest.split_once(" → ")) else {
        return false;
    };
    let len = |t: &str| {
        t.strip_prefix("character varying(")
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|n| n.parse::<u32>().ok())
    };
    match (len(from), to) {
        (_, "text") if from.starts_with("character varying") => true,
        (Some(a), to) => len(to).is_some_and(|b| b >= a) || to == "character varying",
        _ => false,
    }
}
