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
    /// Runs a materialized view's query to fill it, for as long as its
    /// tables are big.
    Populates,
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
            Hazard::Populates => "runs the view's query (long-running on big tables)",
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
        if step.sql.iter().any(|st| st.trim_start().to_uppercase().starts_with("UPDATE ")) {
            h.push(Hazard::DataChange);
        }
        let fills_matview = step.sql.iter().any(|st| {
            let st = st.to_uppercase();
            (st.contains("CREATE MATERIALIZED VIEW") && !st.trim_end().ends_with("WITH NO DATA"))
                || st.contains("REFRESH MATERIALIZED VIEW")
        });
        if fills_matview {
            h.push(Hazard::Populates);
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
    // DROP INDEX CONCURRENTLY (and ALTER INDEX RENAME, PostgreSQL 12 and
    // later) take a SHARE UPDATE EXCLUSIVE lock: reads and writes go on.
    let drops_index_locked = step.sql.iter().any(|st| {
        let st = st.to_uppercase();
        st.contains("DROP INDEX") && !st.contains("DROP INDEX CONCURRENTLY")
    });
    let alters_table = sql.contains("ALTER TABLE") || sql.starts_with("DROP TABLE") || drops_index_locked;
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

/// Type changes PostgreSQL makes without rewriting the table (its
/// length-coercion "support" functions and binary-coercible casts): a
/// longer varchar or bit varying, varchar ↔ text, more precision for a
/// numeric of the same scale or for a timestamp, time or interval, cidr →
/// inet, xml → text, and timestamp ↔ timestamptz (apply runs with TimeZone
/// UTC, where PostgreSQL skips the rewrite).
fn is_binary_coercible(step: &Step) -> bool {
    let summary = &step.summary;
    // Another collation on the same type keeps the stored bytes.
    if summary.contains(": collation ") {
        return true;
    }
    summary
        .split_once("type ")
        .and_then(|(_, rest)| rest.split_once(" → "))
        .is_some_and(|(from, to)| stored_alike(from, to))
}

/// Whether a column's type changes only in its modifiers, in a way that
/// keeps its stored bytes (`varchar(10)` → `varchar(20)`, `numeric(10,2)`
/// → `numeric(12,2)`): PostgreSQL then keeps the indexes over it and
/// trusts the foreign keys through it, and what it deparses and parses
/// again of them reads as a fresh build's.
pub(super) fn modifiers_widen(from: &str, to: &str) -> bool {
    from != to && modifiers(from).0 == modifiers(to).0 && stored_alike(from, to)
}

/// Whether a column's type goes from `varchar` (of any length) to `text`:
/// the stored bytes stay, and PostgreSQL keeps the indexes over it.
pub(super) fn varchar_to_text(from: &str, to: &str) -> bool {
    modifiers(from).0 == "character varying" && to == "text"
}

/// Whether a column's type changes within the integers (`integer` →
/// `bigint`, or back): PostgreSQL rewrites the table, builds the indexes
/// over it again from their definitions (which read as a fresh build's
/// when they are on plain columns) and keeps the keys and the foreign keys
/// through it, checking those again.
pub(super) fn integer_changes(from: &str, to: &str) -> bool {
    let width = |t: &str| match t {
        "smallint" => Some(2),
        "integer" => Some(4),
        "bigint" => Some(8),
        _ => None,
    };
    matches!((width(from), width(to)), (Some(a), Some(b)) if b != a)
}

/// Whether a column of type `from` keeps its stored bytes as type `to`.
fn stored_alike(from: &str, to: &str) -> bool {
    let ((from, old), (to, new)) = (modifiers(from), modifiers(to));
    let widens = |default: Option<u32>| match (old.as_slice(), new.as_slice()) {
        (_, []) if default.is_none() => true,
        ([a], [b]) => b >= a,
        ([], [b]) => default.is_some_and(|d| *b >= d),
        ([a], []) => default.is_some_and(|d| d >= *a),
        ([], []) => true,
        _ => false,
    };
    match (from.as_str(), to.as_str()) {
        ("character varying" | "bit varying", t) if t == from => widens(None),
        ("numeric", "numeric") => match (old.as_slice(), new.as_slice()) {
            (_, []) => true,
            ([p, s], [q, t]) => q >= p && s == t,
            _ => false,
        },
        (
            "timestamp without time zone"
            | "timestamp with time zone"
            | "time without time zone"
            | "time with time zone"
            | "interval",
            t,
        ) if t == from => widens(Some(6)),
        ("xml", "text") => true,
        ("character varying", "text") => true,
        ("text", "character varying") => new.is_empty(),
        ("cidr", "inet") => true,
        ("timestamp without time zone", "timestamp with time zone")
        | ("timestamp with time zone", "timestamp without time zone") => old == new,
        _ => false,
    }
}

/// A type as `format_type` prints it, split into its name and its
/// modifiers: `timestamp(3) without time zone` → (`timestamp without time
/// zone`, [3]), `numeric(10,2)` → (`numeric`, [10, 2]).
fn modifiers(type_name: &str) -> (String, Vec<u32>) {
    let Some((head, rest)) = type_name.split_once('(') else { return (type_name.to_string(), Vec::new()) };
    let Some((inside, tail)) = rest.split_once(')') else { return (type_name.to_string(), Vec::new()) };
    let numbers: Option<Vec<u32>> = inside.split(',').map(|n| n.trim().parse().ok()).collect();
    match numbers {
        Some(numbers) => (format!("{head}{tail}"), numbers),
        None => (type_name.to_string(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::stored_alike;

    #[test]
    fn in_place_type_changes_are_told_from_rewrites() {
        let in_place = [
            ("character varying(10)", "character varying(20)"),
            ("character varying(10)", "character varying"),
            ("character varying(10)", "text"),
            ("text", "character varying"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("numeric(10,2)", "numeric"),
            ("bit varying(8)", "bit varying(16)"),
            ("timestamp(3) without time zone", "timestamp(6) without time zone"),
            ("timestamp(3) with time zone", "timestamp with time zone"),
            ("timestamp with time zone", "timestamp without time zone"),
            ("cidr", "inet"),
            ("interval(3)", "interval"),
            ("xml", "text"),
        ];
        for (from, to) in in_place {
            assert!(stored_alike(from, to), "{from} → {to} is done in place");
        }
        let rewrites = [
            ("character varying(20)", "character varying(10)"),
            ("text", "character varying(10)"),
            ("numeric(10,2)", "numeric(12,3)"),
            ("numeric(12,2)", "numeric(10,2)"),
            ("numeric", "numeric(10,2)"),
            ("timestamp without time zone", "timestamp(3) without time zone"),
            ("timestamp(3) without time zone", "timestamp(6) with time zone"),
            ("inet", "cidr"),
            ("integer", "bigint"),
        ];
        for (from, to) in rewrites {
            assert!(!stored_alike(from, to), "{from} → {to} rewrites");
        }
    }
}
