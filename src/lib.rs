//! pgrecon: a declarative schema-state reconciler for PostgreSQL.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! `connect` → `introspect` → `catalog` (the model) → `dump` / later `diff`,
//! `plan`, `apply`, `report`. `ddl` writes SQL for model objects, `order`
//! sorts by dependency, `quote` is the only place names become SQL.

/// `eprintln!` that never panics: with stderr closed (`2>&1 | head -1` in
/// a CI script) a message must neither turn an error's exit code 1 into a
/// crash nor stop an apply half-way.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod apply;
pub mod cache;
pub mod catalog;
pub mod cluster;
pub mod config;
pub mod connect;
pub mod ddl;
pub mod diff;
pub mod dump;
pub mod elaborate;
pub mod interrupt;
pub mod introspect;
pub mod load;
pub mod order;
pub mod plan;
pub mod quote;
pub mod report;
pub mod sql_scan;

/// The hash for maps keyed by catalog numbers and names, which come from
/// the catalog and the user's own files: SipHash's resistance to chosen
/// inputs buys nothing there, and every dependency edge is hashed.
pub(crate) type FastHash = foldhash::fast::RandomState;
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, FastHash>;
pub(crate) type FastSet<T> = std::collections::HashSet<T, FastHash>;
