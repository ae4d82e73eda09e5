//! Steps that meet objects pgrecon does not manage. PostgreSQL refuses a
//! step that creates something using an object the database lacks (a view
//! over a partitioned table that only the files have), drops something an
//! unmanaged object uses (a function a policy calls), or changes the type
//! of a column one reads. Found when planning, instead of at step 88 of 96
//! of an apply.

use crate::catalog::{Catalog, ObjectId, QualName, Unmanaged};
use crate::diff::RenameStep;

use super::{PlanError, Step};

/// Refuses the plan when one of its steps cannot run for an object
/// pgrecon does not manage; `live` is under the plan's renames. Unmanaged
/// objects are known by name: when the plan renames things, one the
/// database has may bear a name it will have after the renames, so what a
/// step needs is not looked for then (PostgreSQL judges at apply).
pub fn check(
    steps: &[Step],
    live: &Catalog,
    desired: &Catalog,
    renames: &[RenameStep],
) -> Result<(), PlanError> {
    let mut problems = names_held(steps, live, renames);
    for step in steps {
        for id in step.deps.produces.iter().filter(|_| renames.is_empty()) {
            for other in related(&desired.uses_unmanaged, id) {
                if live.unmanaged.binary_search(other).is_err() {
                    problems.push(format!(
                        "{} uses {} {}, which pgrecon does not manage and the database does not have",
                        step.summary, other.kind, other.name
                    ));
                }
            }
        }
        // A table dropped whole takes what depends on it automatically
        // (its policies) and what reads its own columns with it.
        let dropped_table = |table: &crate::catalog::QualName| {
            step.deps.destroys.contains(&ObjectId::Table { name: table.clone() })
        };
        let part_of_dropped_table =
            |id: &&ObjectId| matches!(id, ObjectId::Column { table, .. } if dropped_table(table));
        let changed = step.deps.destroys.iter().chain(step.deps.alters.iter().filter(|_| changes_type(step)));
        for id in changed.filter(|id| !part_of_dropped_table(id)) {
            for other in related(&live.used_by_unmanaged, id) {
                problems.push(format!(
                    "{}: {} {} uses it, and pgrecon does not manage that",
                    step.summary, other.kind, other.name
                ));
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    problems.dedup();
    Err(PlanError::Unmanaged { problems: problems.join("; ") })
}

/// Unmanaged relations, in a schema's `pg_class` and (their row types) in
/// its `pg_type`.
const RELATION_KINDS: [&str; 4] =
    ["partitioned table", "foreign table", "partition", "inheritance child table"];

/// Relations and types created or renamed onto a name an unmanaged
/// relation holds: PostgreSQL would refuse the step, and pgrecon cannot
/// set the holder aside (it is not among what the files describe). Not
/// looked for when a schema is renamed: the holders' names would change.
fn names_held(steps: &[Step], live: &Catalog, renames: &[RenameStep]) -> Vec<String> {
    if renames.iter().any(|r| r.schema_names().is_some()) {
        return Vec::new();
    }
    let holders: std::collections::HashMap<&str, &Unmanaged> = live
        .unmanaged
        .iter()
        .filter(|u| RELATION_KINDS.contains(&u.kind.as_str()))
        .map(|u| (u.name.as_str(), u))
        .collect();
    if holders.is_empty() {
        return Vec::new();
    }
    let held = |name: &QualName| holders.get(name.to_string().as_str()).copied();
    let mut problems = Vec::new();
    for step in steps {
        let taken = step.deps.produces.iter().filter_map(|id| match id {
            ObjectId::Table { name }
            | ObjectId::View { name }
            | ObjectId::Sequence { name }
            | ObjectId::Index { name }
            | ObjectId::Type { name } => Some(name),
            _ => None,
        });
        for u in taken.filter_map(held) {
            problems.push(format!(
                "{}: {} {} holds the name, and pgrecon does not manage that",
                step.summary, u.kind, u.name
            ));
        }
    }
    for rename in renames {
        let to = match rename {
            RenameStep::Table { to, .. }
            | RenameStep::View { to, .. }
            | RenameStep::Sequence { to, .. }
            | RenameStep::Index { to, .. }
            | RenameStep::Type { to, .. } => to,
            _ => continue,
        };
        if let Some(u) = held(to) {
            problems.push(format!(
                "a rename onto {to}: {} {} holds the name, and pgrecon does not manage that",
                u.kind, u.name
            ));
        }
    }
    problems
}

/// The unmanaged objects `list` (sorted) pairs with `id`.
fn related<'a>(list: &'a [(ObjectId, Unmanaged)], id: &'a ObjectId) -> impl Iterator<Item = &'a Unmanaged> {
    let start = list.partition_point(|(x, _)| x < id);
    list[start..].iter().take_while(move |(x, _)| x == id).map(|(_, other)| other)
}

/// Whether the step changes a column's type or collation, which
/// PostgreSQL refuses under a policy or a rule reading the column.
fn changes_type(step: &Step) -> bool {
    step.sql.iter().any(|sql| sql.contains(" ALTER COLUMN ") && sql.contains(" TYPE "))
}
