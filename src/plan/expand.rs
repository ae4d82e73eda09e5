//! Rebuilding what depends on something that changes shape. Dropping a
//! column, replacing a function, converting a column to another type or
//! rebuilding an enum needs the objects that depend on it (views, indexes,
//! constraints, triggers, defaults) out of the way first; they are dropped
//! and created again from the desired state. Recreating from the desired
//! text matters: PostgreSQL's own `ALTER COLUMN ... TYPE` re-parses
//! dependent CHECKs and indexes from their deparsed text, which does not
//! give what a fresh build gives.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::FastHash;

use crate::catalog::*;
use crate::diff::{Change, ColumnChange};

pub fn expand(live: &Catalog, desired: &Catalog, changes: Vec<Change>) -> Vec<Change> {
    let mut set: BTreeSet<Change> = changes.into_iter().collect();
    let mut work: Vec<ObjectId> = set.iter().flat_map(|c| roots(live, c)).collect();
    if work.is_empty() {
        return set.into_iter().collect();
    }
    let roots_of_changes = work.clone();
    let dependents = reverse_dependencies(live, &roots_of_changes);
    let kept_changes = kept_type_changes(live, desired, &set);
    let mut seen: BTreeSet<ObjectId> = BTreeSet::new();
    while let Some(root) = work.pop() {
        if !seen.insert(root.clone()) {
            continue;
        }
        let root_is_type = matches!(root, ObjectId::Type { .. });
        for &d in dependents.get(&root).into_iter().flatten() {
            if kept_changes.get(&root).is_some_and(|w| kept_through_type_change(live, d, *w)) {
                continue;
            }
            if let Some(next) = rebuild(live, desired, &mut set, d, root_is_type) {
                // A view's dependents depend on its columns.
                if matches!(next, ObjectId::View { .. }) {
                    work.extend(with_parts(live, &next));
                }
                work.push(next);
            }
        }
    }
    set.into_iter().collect()
}

/// How a column's type changes, for what PostgreSQL keeps over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeptThrough {
    /// The stored bytes stay (`varchar(10)` → `varchar(20)` or `text`,
    /// `numeric(10,2)` → `numeric(12,2)`): PostgreSQL keeps the indexes
    /// that are still valid as they are, operator classes included.
    InPlace,
    /// The table is rewritten (`integer` → `bigint`): the indexes are built
    /// again from their definitions, which an operator class of the old
    /// type would not fit.
    Rewritten,
}

/// The columns whose type only widens, or changes within the integers
/// (see `hazards::modifiers_widen`,
/// `hazards::varchar_to_text` and `hazards::integer_changes`), their
/// collation unchanged, and that are not generated.
fn kept_type_changes(
    live: &Catalog,
    desired: &Catalog,
    set: &BTreeSet<Change>,
) -> HashMap<ObjectId, KeptThrough> {
    use super::hazards::{integer_changes, modifiers_widen, varchar_to_text};
    set.iter()
        .filter_map(|c| match c {
            Change::AlterColumn { table, column, what: ColumnChange::Type } => Some((table, column)),
            _ => None,
        })
        .filter_map(|(table, column)| {
            let l = live.tables.get(table).and_then(|t| t.column(column))?;
            let d = desired.tables.get(table).and_then(|t| t.column(column))?;
            // A generated column is added again, not altered: what is over
            // it is built again with it.
            if l.generated.is_some() || d.generated.is_some() || l.collation != d.collation {
                return None;
            }
            let (from, to) = (&l.type_name, &d.type_name);
            let change = if modifiers_widen(from, to) || varchar_to_text(from, to) {
                KeptThrough::InPlace
            } else if integer_changes(from, to) {
                KeptThrough::Rewritten
            } else {
                return None;
            };
            Some((ObjectId::Column { table: table.clone(), column: column.clone() }, change))
        })
        .collect()
}

/// What PostgreSQL keeps (or builds again as it was) when a column under
/// it changes type that way: an index on plain columns (no expression, predicate or
/// collation of its own: nothing it would parse again differently; an
/// operator class only where the bytes stay), a primary key, a unique
/// constraint and a foreign key. Anything else (a CHECK, an expression
/// index) is created again from the files.
fn kept_through_type_change(live: &Catalog, d: &ObjectId, change: KeptThrough) -> bool {
    match d {
        ObjectId::Index { name } => live.indexes.get(name).is_some_and(|i| {
            i.predicate.is_none()
                && i.key.iter().all(|k| {
                    // `lower(email)` prints without parentheses of its own:
                    // any '(' is an expression (or a quoted name: rebuilt,
                    // the safe side).
                    !k.expression.contains('(')
                        && (k.opclass.is_none() || change == KeptThrough::InPlace)
                        && k.collation.is_none()
                })
        }),
        ObjectId::Constraint { table, name } => {
            live.tables.get(table).and_then(|t| t.constraints.get(name)).is_some_and(|c| {
                matches!(
                    c.kind,
                    ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::ForeignKey
                )
            })
        }
        _ => false,
    }
}

/// `to` → the objects that depend on it, for every `to` the walk from
/// `roots` can reach. A full reverse index of a 10,000-table model costs
/// more than the rest of the plan, so the reachable objects are found
/// first, in passes over the edges (as many as the longest chain of
/// dependents) that look at an edge's ids only when its base name is one
/// of theirs.
fn reverse_dependencies<'a>(
    live: &'a Catalog,
    roots: &'a [ObjectId],
) -> HashMap<&'a ObjectId, Vec<&'a ObjectId>> {
    // Checked for every edge in every pass: a hash made for short keys.
    let mut reachable: HashSet<&ObjectId, FastHash> = roots.iter().collect();
    let mut names: HashSet<&str, FastHash> = roots.iter().map(ObjectId::base_name).collect();
    // A view reached is rebuilt, and with it its columns, which the views
    // over it depend on (`pg_depend` names the column, not the view).
    let mut views: HashSet<&QualName, FastHash> = HashSet::default();
    fn reached(
        d: &Edge<'_>,
        reachable: &HashSet<&ObjectId, FastHash>,
        views: &HashSet<&QualName, FastHash>,
    ) -> bool {
        reachable.contains(d.to) || matches!(d.to, ObjectId::Column { table, .. } if views.contains(table))
    }
    let mut pending = true;
    while pending {
        pending = false;
        for d in &live.dependencies {
            if names.contains(d.to.base_name()) && reached(&d, &reachable, &views) && reachable.insert(d.from)
            {
                names.insert(d.from.base_name());
                if let ObjectId::View { name } = d.from {
                    views.insert(name);
                }
                pending = true;
            }
        }
    }
    let mut map: HashMap<&ObjectId, Vec<&ObjectId>> = HashMap::new();
    for d in &live.dependencies {
        if names.contains(d.to.base_name()) && reached(&d, &reachable, &views) {
            map.entry(d.to).or_default().push(d.from);
        }
    }
    map
}

/// What a change takes away from under its dependents.
pub fn roots(live: &Catalog, change: &Change) -> Vec<ObjectId> {
    match change {
        Change::Replace(id) | Change::Drop(id) => with_parts(live, id),
        Change::AlterColumn { table, column, what: ColumnChange::Type } => {
            vec![ObjectId::Column { table: table.clone(), column: column.clone() }]
        }
        Change::RebuildEnum { name } | Change::RebuildType { name } => {
            vec![ObjectId::Type { name: name.clone() }]
        }
        _ => Vec::new(),
    }
}

/// A table stands for its columns and constraints too.
pub fn with_parts(live: &Catalog, id: &ObjectId) -> Vec<ObjectId> {
    let mut ids = vec![id.clone()];
    if let ObjectId::Table { name } = id {
        if let Some(t) = live.tables.get(name) {
            ids.extend(
                t.columns.iter().map(|c| ObjectId::Column { table: name.clone(), column: c.name.clone() }),
            );
            ids.extend(
                t.constraints.keys().map(|c| ObjectId::Constraint { table: name.clone(), name: c.clone() }),
            );
        }
    }
    if let ObjectId::View { name } = id {
        if let Some(v) = live.views.get(name) {
            ids.extend(v.columns.iter().map(|c| ObjectId::Column { table: name.clone(), column: c.clone() }));
        }
    }
    ids
}

fn dropped(set: &BTreeSet<Change>, id: &ObjectId) -> bool {
    set.contains(&Change::Drop(id.clone())) || set.contains(&Change::Replace(id.clone()))
}

fn table_dropped(set: &BTreeSet<Change>, id: &ObjectId) -> bool {
    id.owning_relation().is_some_and(|t| {
        set.contains(&Change::Drop(ObjectId::Table { name: t.clone() }))
            || set.contains(&Change::Drop(ObjectId::View { name: t.clone() }))
    })
}

/// Puts dependent `d` out of the way of a change; returns it when its own
/// dependents must move too.
fn rebuild(
    live: &Catalog,
    desired: &Catalog,
    set: &mut BTreeSet<Change>,
    d: &ObjectId,
    root_is_type: bool,
) -> Option<ObjectId> {
    if dropped(set, d) || table_dropped(set, d) {
        return None;
    }
    match d {
        ObjectId::Column { table, column } if root_is_type => {
            // A column of a type being rebuilt is converted, not dropped.
            if desired.tables.get(table).is_some_and(|t| t.column(column).is_some()) {
                set.insert(Change::AlterColumn {
                    table: table.clone(),
                    column: column.clone(),
                    what: ColumnChange::Type,
                });
                return Some(d.clone());
            }
            None
        }
        ObjectId::Column { table, column } => {
            // A generated column computed from what changes.
            let generated =
                live.tables.get(table).and_then(|t| t.column(column)).is_some_and(|c| c.generated.is_some());
            generated.then(|| replace(desired, set, d)).flatten()
        }
        ObjectId::ColumnDefault { table, column } => {
            // A generation expression dropped (`DROP EXPRESSION`) is gone
            // before the change; there is no default to drop.
            let what = ColumnChange::DropExpression;
            if set.contains(&Change::AlterColumn { table: table.clone(), column: column.clone(), what }) {
                return None;
            }
            let desired_column = desired.tables.get(table).and_then(|t| t.column(column));
            if desired_column.is_some_and(|c| c.generated.is_some()) {
                let col = ObjectId::Column { table: table.clone(), column: column.clone() };
                return replace(desired, set, &col);
            }
            set.remove(&Change::Create(d.clone()));
            set.insert(Change::Drop(d.clone()));
            if desired_column.is_some_and(|c| c.default.is_some()) {
                set.insert(Change::Create(d.clone()));
            }
            None
        }
        // A domain, composite type or range over a type being rebuilt is
        // rebuilt too, so that its columns are converted while the old one
        // stands.
        ObjectId::Type { name } if rebuildable(live, desired, name) => {
            // Created from its desired definition: its alterations are moot.
            set.retain(|c| {
                !concerns(c, d)
                    && !matches!(c, Change::AlterDomain { name: n } | Change::AlterComposite { name: n } if n == name)
            });
            set.insert(Change::RebuildType { name: name.clone() });
            Some(d.clone())
        }
        ObjectId::Table { .. }
        | ObjectId::Schema { .. }
        | ObjectId::Extension { .. }
        | ObjectId::Sequence { .. } => None,
        _ => replace(desired, set, d),
    }
}

/// A domain, a composite type or a range in both models: what
/// `Change::RebuildType` rebuilds (a range over an enum being rebuilt is
/// rebuilt over the new enum, its columns converted).
fn rebuildable(live: &Catalog, desired: &Catalog, name: &QualName) -> bool {
    let domain = live.domains.contains_key(name) && desired.domains.contains_key(name);
    let composite = live.composites.contains_key(name) && desired.composites.contains_key(name);
    let range = live.ranges.contains_key(name) && desired.ranges.contains_key(name);
    domain || composite || range
}

/// Drop `d` now and create it again from the desired state (if it is still
/// wanted). Changes already planned for it are folded into the rebuild.
fn replace(desired: &Catalog, set: &mut BTreeSet<Change>, d: &ObjectId) -> Option<ObjectId> {
    set.retain(|c| !concerns(c, d));
    if desired.contains(d) {
        set.insert(Change::Replace(d.clone()));
    } else {
        set.insert(Change::Drop(d.clone()));
    }
    Some(d.clone())
}

/// Changes made moot by rebuilding `d` (its comments, in-place
/// redefinitions, a column's alterations: it comes back as desired).
fn concerns(c: &Change, d: &ObjectId) -> bool {
    match c {
        Change::Redefine(id) | Change::Create(id) => id == d,
        Change::AlterColumn { table, column, .. } => {
            *d == ObjectId::Column { table: table.clone(), column: column.clone() }
        }
        Change::Comment { target, .. } => target == d,
        Change::SetTriggerEnabled { table, name } => {
            *d == ObjectId::Trigger { table: table.clone(), name: name.clone() }
        }
        Change::ValidateConstraint { table, name } => {
            *d == ObjectId::Constraint { table: table.clone(), name: name.clone() }
        }
        _ => false,
    }
}
