//! Which renames a plan makes: the ones the desired state annotates
//! (`-- @renamed-from`), and the ones that follow from them: an index or
//! constraint whose definition is identical but whose name differs (e.g.
//! `zones_pkey` → `camera_zones_pkey` once `zones` is `camera_zones`), and a
//! table's owned sequence (`zones_id_seq` → `camera_zones_id_seq`), and a
//! column's NOT NULL constraint (`zones_cam_not_null` →
//! `camera_zones_camera_not_null` on PostgreSQL 18).

use std::collections::HashMap;

use crate::catalog::*;
use crate::load::{Rename, RenameTarget, StatementKind};
use crate::quote;

use super::rename_live::rename_objects;
use super::rewrite::NameMap;

/// One rename, named as it is before (`from`) and after (`to`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameStep {
    Schema {
        from: String,
        to: String,
    },
    /// Relations, types and functions: `from` is the name when the step
    /// runs, after any schema rename; a `to` in another schema moves it.
    Table {
        from: QualName,
        to: QualName,
    },
    View {
        from: QualName,
        to: QualName,
        materialized: bool,
    },
    Sequence {
        from: QualName,
        to: QualName,
    },
    Index {
        from: QualName,
        to: QualName,
    },
    Type {
        from: QualName,
        to: QualName,
    },
    Function {
        from: FunctionId,
        to: QualName,
    },
    /// `table` is the table's new name.
    Column {
        table: QualName,
        from: String,
        to: String,
    },
    Constraint {
        table: QualName,
        from: String,
        to: String,
    },
    /// The NOT NULL constraint of a column (PostgreSQL 18); `table` and
    /// `column` are the new names.
    NotNull {
        table: QualName,
        column: String,
        from: String,
        to: String,
    },
    EnumValue {
        type_name: QualName,
        from: String,
        to: String,
    },
    /// `type_name` is the composite type's new name.
    Attribute {
        type_name: QualName,
        from: String,
        to: String,
    },
    /// An object in the way of a rename (a relation or type of another
    /// kind the files drop; in a reverse plan, a new object under a renamed
    /// one's old name, inside tables and types too), renamed to a free
    /// aside name (`name__pgrecon_old`, numbered when taken) before the
    /// renames that take its name, and dropped with the other drops: a
    /// table's indexes and sequences are set aside with it, as their
    /// names may be taken too.
    Aside(Box<RenameStep>),
}

impl RenameStep {
    /// A schema's old and new names, set aside or not.
    pub fn schema_names(&self) -> Option<(String, String)> {
        match self {
            RenameStep::Schema { from, to } => Some((from.clone(), to.clone())),
            RenameStep::Aside(inner) => inner.schema_names(),
            _ => None,
        }
    }
}

/// A swap the annotations ask for and the plan leaves out: from the names
/// alone it cannot be told from one that ran already. Changes to the
/// swapped objects in the same plan are evidence that it has not run, and
/// would put their values in the wrong place (a type converted, an enum
/// rebuilt in the swapped order), so the planner refuses them.
#[derive(Debug, Clone)]
pub struct UnplannedSwap {
    /// The annotated object and the old name, for messages.
    pub what: String,
    pub from: String,
    pub swapped: Swapped,
}

#[derive(Debug, Clone)]
pub enum Swapped {
    /// Columns or constraints: changes to these objects.
    Objects(Vec<ObjectId>),
    /// Relations and types, and the types whose enum values or attributes
    /// swap: changes to them or to anything on them.
    Subjects(Vec<QualName>),
}

/// The renames, and annotations that named nothing on the live side.
pub struct Resolved {
    pub steps: Vec<RenameStep>,
    pub names: NameMap,
    /// Constraint renames, (new table, old name) → new name.
    pub constraints: std::collections::BTreeMap<(QualName, String), String>,
    pub warnings: Vec<String>,
    pub unplanned_swaps: Vec<UnplannedSwap>,
    /// Live names in `names` that only follow a renamed schema or a moved
    /// table: an annotation may still take them elsewhere.
    followers: std::collections::HashSet<QualName>,
    /// The names of keys' indexes and identity sequences (relations the
    /// model keeps inside their tables), once a move asks.
    inner_relations: Option<std::collections::HashSet<QualName>>,
}

pub fn resolve(live: &Catalog, desired: &Catalog, annotations: &[Rename]) -> Resolved {
    let mut r = Resolved {
        steps: Vec::new(),
        names: NameMap::default(),
        constraints: Default::default(),
        warnings: Vec::new(),
        unplanned_swaps: Vec::new(),
        followers: Default::default(),
        inner_relations: None,
    };
    // Schemas first, then relations and types: the objects of a renamed
    // schema follow it unless annotated otherwise, and column and value
    // renames are relative to the renamed tables and types.
    let level = |a: &&Rename| match a.target {
        RenameTarget::Schema(_) => 0,
        RenameTarget::Relation { .. } | RenameTarget::Function(_) => 1,
        _ => 2,
    };
    let mut ordered: Vec<&Rename> = annotations.iter().collect();
    ordered.sort_by_key(level);
    for a in &ordered {
        resolve_one(live, desired, a, &ordered, &mut r);
    }
    implicit_renames(live, desired, &ordered, &mut r);
    order_schema_renames(&mut r.steps);
    r
}

/// Schema renames in an order that frees each name before it is taken
/// (`b` → `c` before `a` → `b`); they run in this order, before the other
/// renames. The other steps keep their places.
fn order_schema_renames(steps: &mut [RenameStep]) {
    let places: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].schema_names().is_some()).collect();
    let mut pending: Vec<RenameStep> = places.iter().map(|&i| steps[i].clone()).collect();
    let names = |s: &RenameStep| s.schema_names().expect("only schema renames are pending");
    let mut ordered = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        // One whose new name no other pending rename still holds; in a
        // cycle (not planned, see `resolve_schema`), the first.
        let free = (0..pending.len()).find(|&k| {
            let (_, to) = names(&pending[k]);
            !pending.iter().any(|p| names(p).0 == to)
        });
        ordered.push(pending.remove(free.unwrap_or(0)));
    }
    for (place, step) in places.into_iter().zip(ordered) {
        steps[place] = step;
    }
}

/// Both names are in the database and the rename is not planned. The
/// rename ran already, and the old name is in use again, when the files
/// want the old name: nothing is said. Otherwise it is said, so the drop
/// and create that follow are no surprise: for a swap (see
/// [`UnplannedSwap`]), or for a name a dropped object still holds.
fn both_names_held(
    r: &mut Resolved,
    what: String,
    from: &str,
    chain: Chain,
    old_wanted: bool,
    swapped: impl FnOnce() -> Swapped,
) {
    if chain == Chain::Swap {
        r.warnings.push(format!(
            "rename annotation on {what}: the annotations swap names ({from} and the new name both exist in \
             the database and each is renamed onto the other); pgrecon does not plan swaps, since one that \
             ran already looks the same: if it has not run, swap in three deploys (one name onto a free \
             name, the other onto the first, the first onto the second); if it has, remove the annotations"
        ));
        let swapped = swapped();
        if !matches!(&swapped, Swapped::Subjects(names) if names.is_empty()) {
            r.unplanned_swaps.push(UnplannedSwap { what, from: from.to_string(), swapped });
        }
    } else if !old_wanted {
        r.warnings.push(format!(
            "rename annotation on {what}: both {from} and the new name exist in the database; renaming \
             onto a name that is taken is not supported (rename in two deploys, or drop the other first)"
        ));
    }
}

fn warn(r: &mut Resolved, what: String, from: &str) {
    r.warnings.push(format!(
        "rename annotation on {what}: {from} does not exist in the database (nothing to rename)"
    ));
}

/// An old name two annotations claim: the first one in file order renames
/// it, the others are warned about (their objects are created).
fn claimed_twice(r: &mut Resolved, a: &Rename) -> bool {
    let n = &r.names;
    let live = in_live_schema(n, &a.from);
    let followed = r.followers.contains(&live);
    let earlier = match &a.target {
        RenameTarget::Schema(_) => n.schemas.get(&*a.from.name).cloned(),
        RenameTarget::Relation { .. } if !followed => {
            n.relations.get(&live).or_else(|| n.types.get(&live)).map(|q| q.to_string())
        }
        // Another overload of the name may still be renamed elsewhere.
        RenameTarget::Function(_) if !followed && !n.kept_overloads.iter().any(|k| k.name == live) => {
            n.functions.get(&live).map(|q| q.to_string())
        }
        RenameTarget::Relation { .. } | RenameTarget::Function(_) => None,
        RenameTarget::Column { table, .. } => {
            n.columns.get(&(table.clone(), a.from.name.to_string())).cloned()
        }
        RenameTarget::Constraint { table, .. } => {
            r.constraints.get(&(table.clone(), a.from.name.to_string())).cloned()
        }
        RenameTarget::Attribute { type_name, .. } => {
            n.attributes.get(&(type_name.clone(), a.from.name.to_string())).cloned()
        }
        RenameTarget::EnumValue { type_name, .. } => {
            n.enum_values.get(&(type_name.clone(), a.from.name.to_string())).cloned()
        }
    };
    let Some(earlier) = earlier else { return false };
    let from = match &a.target {
        RenameTarget::Schema(_) => a.from.name.to_string(),
        RenameTarget::Relation { .. } | RenameTarget::Function(_) => a.from.to_string(),
        _ => a.from.name.to_string(),
    };
    r.warnings.push(format!(
        "rename annotation on {}: {from} is already renamed to {earlier} by another annotation",
        target_name(&a.target)
    ));
    true
}

fn target_name(target: &RenameTarget) -> String {
    match target {
        RenameTarget::Schema(name) => format!("schema {name}"),
        RenameTarget::Relation { name, .. } | RenameTarget::Function(name) => name.to_string(),
        RenameTarget::Column { table, column } => format!("column {table}.{column}"),
        RenameTarget::Constraint { table, name } => format!("constraint {name} on {table}"),
        RenameTarget::EnumValue { type_name, value } => format!("enum value {value} of {type_name}"),
        RenameTarget::Attribute { type_name, attribute } => format!("attribute {type_name}.{attribute}"),
    }
}

fn resolve_one(live: &Catalog, desired: &Catalog, a: &Rename, all: &[&Rename], r: &mut Resolved) {
    if claimed_twice(r, a) {
        return;
    }
    match &a.target {
        RenameTarget::Schema(name) => resolve_schema(live, desired, a, name, all, r),
        RenameTarget::Relation { kind, name } => {
            let from = in_live_schema(&r.names, &a.from);
            let relation = RelationRename { kind: *kind, name, from: &from, replaces: a.replaces };
            resolve_relation(live, desired, relation, all, r)
        }
        RenameTarget::Function(name) => {
            let from = in_live_schema(&r.names, &a.from);
            // Overloads an earlier annotation renamed are taken.
            let earlier = r.names.functions.contains_key(&from) && !r.followers.contains(&from);
            let olds: Vec<FunctionId> = live
                .functions
                .keys()
                .filter(|f| f.name == from && !(earlier && r.names.overloads.contains_key(*f)))
                .cloned()
                .collect();
            let has = |c: &Catalog, n: &QualName, args: &str| {
                c.functions.contains_key(&FunctionId { name: n.clone(), args: args.to_string() })
            };
            let live_has_name = live.functions.keys().any(|f| &f.name == name);
            if olds.is_empty() {
                if !live_has_name {
                    warn(r, format!("function {name}"), &a.from.to_string());
                }
                return; // renamed already
            }
            // An overload of the old name is renamed when the files have it
            // under the new name only, and the database not yet; the other
            // overloads keep their name. A single one is renamed while its
            // arguments change too, unless the new name is taken.
            let desired_from = after_schema_renames(&r.names, &from);
            let single = olds.len() == 1;
            let (olds, kept): (Vec<FunctionId>, Vec<FunctionId>) = olds.into_iter().partition(|old| {
                let args = r.names.rewrite_schemas(&old.args);
                let moved = has(desired, name, &args) || (single && !live_has_name);
                moved && !has(desired, &desired_from, &args) && !has(live, name, &args)
            });
            if olds.is_empty() {
                return; // renamed already, or another overload is meant
            }
            if earlier {
                r.names.kept_overloads.retain(|k| !olds.contains(k));
            } else {
                r.names.kept_overloads.extend(kept);
            }
            for old in olds {
                let current = FunctionId {
                    name: after_schema_renames(&r.names, &old.name),
                    args: r.names.rewrite_schemas(&old.args),
                };
                r.steps.push(RenameStep::Function { from: current, to: name.clone() });
                r.names.overloads.insert(old, name.clone());
            }
            if !earlier {
                r.followers.remove(&from);
                r.names.functions.insert(from, name.clone());
            }
        }
        RenameTarget::Column { .. }
        | RenameTarget::Constraint { .. }
        | RenameTarget::EnumValue { .. }
        | RenameTarget::Attribute { .. } => resolve_inside_target(live, desired, a, all, r),
    }
}

/// Where a rename inside a table or type takes place.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Space {
    Column,
    Constraint,
    EnumValue,
    Attribute,
}

/// A rename target inside a table or type: its space, the table or type
/// (new name), and the new name there.
fn inside_target(target: &RenameTarget) -> Option<(Space, &QualName, &String)> {
    match target {
        RenameTarget::Column { table, column } => Some((Space::Column, table, column)),
        RenameTarget::Constraint { table, name } => Some((Space::Constraint, table, name)),
        RenameTarget::EnumValue { type_name, value } => Some((Space::EnumValue, type_name, value)),
        RenameTarget::Attribute { type_name, attribute } => Some((Space::Attribute, type_name, attribute)),
        _ => None,
    }
}

/// The names of `space` in table or type `container` of catalog `c`.
fn names_in(c: &Catalog, space: Space, container: &QualName) -> Option<std::collections::HashSet<String>> {
    Some(match space {
        Space::Column => c.tables.get(container)?.columns.iter().map(|col| col.name.clone()).collect(),
        Space::Constraint => c.tables.get(container)?.constraints.keys().cloned().collect(),
        Space::EnumValue => c.enums.get(container)?.values.iter().cloned().collect(),
        Space::Attribute => {
            c.composites.get(container)?.attributes.iter().map(|at| at.name.clone()).collect()
        }
    })
}

/// An annotation renaming a column, constraint, enum value or attribute.
fn resolve_inside_target(live: &Catalog, desired: &Catalog, a: &Rename, all: &[&Rename], r: &mut Resolved) {
    let Some((space, container, to)) = inside_target(&a.target) else { return };
    let live_container = match space {
        Space::Column | Space::Constraint => r.names.live_relation(container),
        Space::EnumValue | Space::Attribute => r.names.live_type(container),
    };
    let Some(held) = names_in(live, space, &live_container) else { return };
    let wanted = names_in(desired, space, container).unwrap_or_default();
    let swapped = |from: &str, to: &str| {
        let column = |column: &str| ObjectId::Column { table: container.clone(), column: column.to_string() };
        let default =
            |column: &str| ObjectId::ColumnDefault { table: container.clone(), column: column.to_string() };
        let constraint =
            |name: &str| ObjectId::Constraint { table: container.clone(), name: name.to_string() };
        match space {
            // A default moving with the names says the swap has not run.
            Space::Column => Swapped::Objects(vec![column(from), column(to), default(from), default(to)]),
            Space::Constraint => Swapped::Objects(vec![constraint(from), constraint(to)]),
            Space::EnumValue | Space::Attribute => Swapped::Subjects(vec![container.clone()]),
        }
    };
    let names = InsideNames {
        what: target_name(&a.target),
        has: &|n| held.contains(n),
        wanted: &|n| wanted.contains(n),
        swapped: &swapped,
        next: &|n| {
            renamed_on_inside(all, n, |t| {
                inside_target(t).filter(|(s, c, _)| *s == space && *c == container).map(|(_, _, to)| to)
            })
        },
    };
    let step = |from: &str, to: &str| {
        let (from, to) = (from.to_string(), to.to_string());
        match space {
            Space::Column => RenameStep::Column { table: container.clone(), from, to },
            Space::Constraint => RenameStep::Constraint { table: container.clone(), from, to },
            Space::EnumValue => RenameStep::EnumValue { type_name: container.clone(), from, to },
            Space::Attribute => RenameStep::Attribute { type_name: container.clone(), from, to },
        }
    };
    let Some(aside) = resolve_inside(a, to, &names, r, step) else { return };
    let mut record = |old: &str, new: String| {
        let key = (container.clone(), old.to_string());
        match space {
            Space::Column => r.names.columns.insert(key, new),
            Space::Constraint => r.constraints.insert(key, new),
            Space::EnumValue => r.names.enum_values.insert(key, new),
            Space::Attribute => r.names.attributes.insert(key, new),
        };
    };
    if let Some(aside) = aside {
        record(to, aside);
    }
    record(&a.from.name, to.clone());
    // A key's index takes the name among the schema's relations.
    let key = desired.tables.get(container).and_then(|d| d.constraints.get(to));
    if space == Space::Constraint && key.is_some_and(|c| c.kind.has_index()) {
        let index = QualName::new(container.schema.clone(), to.as_str());
        set_aside_occupant(live, &index, Needs { relation: true, row_type: false }, all, r);
    }
}

/// The names inside one table or type, for a rename there (column,
/// constraint, attribute, enum value).
struct InsideNames<'a> {
    /// The renamed object, for warnings: `column public.t.b`.
    what: String,
    /// Whether the database's table or type has a name.
    has: &'a dyn Fn(&str) -> bool,
    /// Whether the desired one has it.
    wanted: &'a dyn Fn(&str) -> bool,
    /// The name an annotation renames a name to, in the same table or type.
    next: &'a dyn Fn(&str) -> Option<String>,
    /// What a swap of two names would change.
    swapped: &'a dyn Fn(&str, &str) -> Swapped,
}

/// Plans annotation `a`'s rename inside a table or type onto `to`, when
/// the new name is free, or held by something renamed on in turn (a
/// chain: `b ← a`, `c ← b`, ordered by the walk over the names), or
/// held by something the desired state does not want there while the
/// rename is known to be due (a reverse plan: the column the forward
/// plan added under a renamed column's old name). That holder is set
/// aside first and dropped with the other drops: its aside name is
/// returned, for the caller to record. `None`: nothing planned (renamed
/// already, nothing to rename, or a name taken another way: warned).
fn resolve_inside(
    a: &Rename,
    to: &str,
    names: &InsideNames<'_>,
    r: &mut Resolved,
    step: impl Fn(&str, &str) -> RenameStep,
) -> Option<Option<String>> {
    let from = &*a.from.name;
    let mut aside = None;
    if (names.has)(to) {
        if from == to || !(names.has)(from) {
            return None; // renamed already
        }
        let chain =
            follow_chain(to.to_string(), &from.to_string(), |n: &String| (names.next)(n), |n| (names.has)(n));
        // A reverse plan's renames are all due (the forward plan ran them):
        // what holds the name is renamed on by another, wherever that
        // chain ends (a name taken there is set aside in turn), or is set
        // aside itself.
        let chained = chain == Chain::EndsFree || (a.replaces && chain != Chain::Stops);
        let due = a.replaces;
        if !chained && !due {
            let swapped = || (names.swapped)(from, to);
            both_names_held(r, names.what.clone(), from, chain, (names.wanted)(from), swapped);
            return None;
        }
        if !chained {
            let name = aside_name(to, |n| (names.has)(n) || (names.wanted)(n));
            r.steps.push(RenameStep::Aside(Box::new(step(to, &name))));
            aside = Some(name);
        }
    } else if !(names.has)(from) {
        warn(r, names.what.clone(), from);
        return None;
    }
    r.steps.push(step(from, to));
    Some(aside)
}

/// The new name an annotation in `all` gives the old name `from`, among
/// the ones `in_same` accepts (those of one table or type: it returns
/// their new name).
fn renamed_on_inside<'a>(
    all: &[&'a Rename],
    from: &str,
    in_same: impl Fn(&'a RenameTarget) -> Option<&'a String>,
) -> Option<String> {
    all.iter().find_map(|a| match in_same(&a.target) {
        Some(to) if *a.from.name == *from && to != from => Some(to.clone()),
        _ => None,
    })
}

/// A schema renamed: the steps rename it, and the objects in it follow
/// (their annotations, resolved after this, can take them elsewhere).
fn resolve_schema(
    live: &Catalog,
    desired: &Catalog,
    a: &Rename,
    name: &str,
    all: &[&Rename],
    r: &mut Resolved,
) {
    let from = &*a.from.name;
    let exists = |n: &String| live.schemas.contains_key(n.as_str());
    if live.schemas.contains_key(name) {
        // A chain (`b` ← `a`, `c` ← `b`) runs, its last link first (see
        // `order_schema_renames`); else renamed already. A reverse plan's
        // renames are all due: the schema holding the name (a new one the
        // forward plan made under the old name) is renamed on, or set
        // aside and dropped.
        let both = name != from && live.schemas.contains_key(from);
        let next = |n: &String| {
            all.iter().find_map(|a| match &a.target {
                RenameTarget::Schema(to) if *a.from.name == **n && to != n => Some(to.clone()),
                _ => None,
            })
        };
        let chain = follow_chain(name.to_string(), &from.to_string(), next, exists);
        let chained = both && (chain == Chain::EndsFree || (a.replaces && chain != Chain::Stops));
        let due = both && a.replaces;
        if !chained && !due {
            if both {
                // A schema swap is only warned about: a change to something
                // in either schema says nothing about whether it ran.
                let wanted = desired.schemas.contains_key(from);
                both_names_held(r, format!("schema {name}"), from, chain, wanted, || {
                    Swapped::Subjects(Vec::new())
                });
            }
            return;
        }
        if !chained {
            let aside = aside_name(name, |n| {
                exists(&n.to_string())
                    || desired.schemas.contains_key(n)
                    || r.names.schemas.values().any(|v| v == n)
            });
            rename_schema(live, name, &aside, true, r);
        }
    } else if !live.schemas.contains_key(from) {
        return warn(r, format!("schema {name}"), from);
    }
    rename_schema(live, from, name, false, r);
}

/// Renames schema `from` to `to` (`aside`: out of the way of another
/// rename, to be dropped), the objects in it following.
fn rename_schema(live: &Catalog, from: &str, to: &str, aside: bool, r: &mut Resolved) {
    let step = RenameStep::Schema { from: from.to_string(), to: to.to_string() };
    r.steps.push(if aside { RenameStep::Aside(Box::new(step)) } else { step });
    r.names.schemas.insert(from.to_string(), to.to_string());
    let in_schema = |q: &&QualName| &*q.schema == from;
    let moved = |q: &QualName| (q.clone(), QualName::new(to.to_string(), q.name.clone()));
    let relations: Vec<_> = (live.tables.keys().chain(live.views.keys()))
        .chain(live.sequences.keys().chain(live.indexes.keys()))
        .chain(live.tables.values().flat_map(|t| identity_sequences(t)))
        .filter(in_schema)
        .map(moved)
        .collect();
    let types: Vec<_> = (live.enums.keys().chain(live.domains.keys()).chain(live.composites.keys()))
        .chain(live.ranges.keys())
        .filter(in_schema)
        .map(moved)
        .collect();
    let functions: Vec<_> = live.functions.keys().map(|f| &f.name).filter(in_schema).map(moved).collect();
    r.followers.extend(relations.iter().chain(&types).chain(&functions).map(|(old, _)| old.clone()));
    r.names.relations.extend(relations);
    r.names.types.extend(types);
    r.names.functions.extend(functions);
}

/// An annotation's old name as the database has it: `billing.users` in a
/// file that renames schema `accounts` to `billing` is `accounts.users`.
fn in_live_schema(names: &NameMap, from: &QualName) -> QualName {
    match names.schemas.iter().find(|(_, new)| **new == *from.schema) {
        Some((old, _)) => QualName::new(old.clone(), from.name.clone()),
        None => from.clone(),
    }
}

/// A live name as it is once the schema renames have run.
fn after_schema_renames(names: &NameMap, live: &QualName) -> QualName {
    match names.schemas.get(&*live.schema) {
        Some(new) => QualName::new(new.clone(), live.name.clone()),
        None => live.clone(),
    }
}

/// One annotation on a relation or type, its old name as the database has it.
struct RelationRename<'a> {
    kind: StatementKind,
    name: &'a QualName,
    from: &'a QualName,
    replaces: bool,
}

fn resolve_relation(
    live: &Catalog,
    desired: &Catalog,
    rename: RelationRename<'_>,
    all: &[&Rename],
    r: &mut Resolved,
) {
    let RelationRename { kind, name, from, replaces } = rename;
    // Of the desired object's own kind: an enum renamed onto a domain's
    // name is no swap with the domain even if the domain is renamed onto
    // the enum's (after the renames, each name has the other kind).
    let exists = |c: &Catalog, n: &QualName| match kind {
        StatementKind::CreateTable => c.tables.contains_key(n),
        StatementKind::CreateView => c.views.contains_key(n),
        StatementKind::CreateIndex => c.indexes.contains_key(n),
        StatementKind::CreateSequence => c.sequences.contains_key(n),
        _ if desired.enums.contains_key(name) => c.enums.contains_key(n),
        _ if desired.domains.contains_key(name) => c.domains.contains_key(n),
        _ if desired.composites.contains_key(name) => c.composites.contains_key(n),
        _ if desired.ranges.contains_key(name) => c.ranges.contains_key(n),
        _ => {
            c.enums.contains_key(n)
                || c.domains.contains_key(n)
                || c.composites.contains_key(n)
                || c.ranges.contains_key(n)
        }
    };
    if exists(live, name) {
        // Both names in the database: from the files alone, the rename may
        // have run already and the old name be in use again. One in a chain
        // (what holds the name is renamed on in turn) runs after that
        // rename. A reverse plan's renames are all due (the forward plan ran
        // them): what holds the name is renamed on by another, or set aside.
        let both = from != name && exists(live, from);
        let due = both && replaces;
        let chain = renamed_on(name, from, all, &r.names, &|q| exists(live, q));
        let chained = both && chain == Chain::EndsFree;
        if !due && !chained {
            if both {
                let swapped = || Swapped::Subjects(vec![name.clone(), from.clone()]);
                both_names_held(
                    r,
                    name.to_string(),
                    &from.to_string(),
                    chain,
                    exists(desired, from),
                    swapped,
                );
            }
            return;
        }
    } else if !exists(live, from) {
        return warn(r, name.to_string(), &from.to_string());
    }
    let needs = match kind {
        StatementKind::CreateTable | StatementKind::CreateView => Needs { relation: true, row_type: true },
        StatementKind::CreateIndex | StatementKind::CreateSequence => {
            Needs { relation: true, row_type: false }
        }
        _ => Needs { relation: desired.composites.contains_key(name), row_type: true },
    };
    set_aside_occupant(live, name, needs, all, r);
    let (current, to) = (after_schema_renames(&r.names, from), name.clone());
    let step = match kind {
        StatementKind::CreateTable => RenameStep::Table { from: current.clone(), to: to.clone() },
        StatementKind::CreateView => {
            let materialized = desired.views.get(&to).is_some_and(|v| v.materialized);
            RenameStep::View { from: current.clone(), to: to.clone(), materialized }
        }
        StatementKind::CreateIndex => RenameStep::Index { from: current.clone(), to: to.clone() },
        StatementKind::CreateSequence => RenameStep::Sequence { from: current.clone(), to: to.clone() },
        _ => RenameStep::Type { from: current.clone(), to: to.clone() },
    };
    r.steps.push(step);
    follow_range_with_multirange(live, desired, from, &to, r);
    if kind == StatementKind::CreateTable && current.schema != to.schema {
        follow_table_to_schema(live, desired, from, &to, all, r);
    }
    r.followers.remove(from);
    match kind {
        StatementKind::CreateType | StatementKind::CreateDomain => r.names.types.insert(from.clone(), to),
        _ => r.names.relations.insert(from.clone(), to),
    };
}

/// Where the names reached by renaming `name` on lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chain {
    /// On to a name that is free: the chain can run, its last link first.
    EndsFree,
    /// On to a name that is taken: in a reverse plan, by an object set
    /// aside in turn (the new one under a renamed object's old name).
    EndsTaken,
    /// Nowhere: `name` is not renamed on.
    Stops,
    /// Back to the rename's old name: a swap, which cannot be told from
    /// one that ran already (both names are there before and after).
    Swap,
}

/// Where an annotation renaming `name` on leads (`exists` says which
/// names are taken), for the rename of `from` onto `name`.
fn renamed_on(
    name: &QualName,
    from: &QualName,
    all: &[&Rename],
    names: &NameMap,
    exists: &dyn Fn(&QualName) -> bool,
) -> Chain {
    let next = |q: &QualName| {
        all.iter().find_map(|a| match &a.target {
            RenameTarget::Relation { name: to, .. } if in_live_schema(names, &a.from) == *q && to != q => {
                Some(to.clone())
            }
            _ => None,
        })
    };
    follow_chain(name.clone(), from, next, |q| exists(q))
}

/// Follows the renames from `name` (`next` gives the name an annotation
/// renames one to) for a rename of `from` onto `name`.
fn follow_chain<N: Clone + Eq + std::hash::Hash>(
    name: N,
    from: &N,
    next: impl Fn(&N) -> Option<N>,
    exists: impl Fn(&N) -> bool,
) -> Chain {
    let mut at = name.clone();
    let mut seen = std::collections::HashSet::new();
    while seen.insert(at.clone()) {
        match next(&at) {
            None if at == name => return Chain::Stops,
            None if exists(&at) => return Chain::EndsTaken,
            None => return Chain::EndsFree,
            Some(to) if to == *from => return Chain::Swap,
            Some(to) => at = to,
        }
    }
    Chain::EndsTaken // a cycle the rename is not part of
}

/// A range renamed or moved: `ALTER TYPE` leaves its multirange behind,
/// under the old name (`oldr_multirange`), where a fresh build has the
/// new one (`newr_multirange`); renamed too, unless the files name it
/// otherwise or the name is taken.
fn follow_range_with_multirange(
    live: &Catalog,
    desired: &Catalog,
    from: &QualName,
    to: &QualName,
    r: &mut Resolved,
) {
    let live_multirange = live.ranges.get(from).and_then(|l| l.multirange.as_ref());
    let desired_multirange = desired.ranges.get(to).and_then(|d| d.multirange.as_ref());
    let (Some(old), Some(new)) = (live_multirange, desired_multirange) else { return };
    let taken = live.enums.contains_key(new)
        || live.domains.contains_key(new)
        || live.composites.contains_key(new)
        || live.ranges.contains_key(new)
        || live.ranges.values().any(|l| l.multirange.as_ref() == Some(new));
    if old == new || taken {
        return;
    }
    r.steps.push(RenameStep::Type { from: after_schema_renames(&r.names, old), to: new.clone() });
    r.followers.remove(old);
    r.names.types.insert(old.clone(), new.clone());
}

/// A relation that holds `name` (tables, views, sequences and indexes
/// share one namespace per schema), is not renamed elsewhere and so is
/// not wanted under it (the desired object there is the renamed one), is
/// set aside before the rename and dropped later: with its indexes and
/// sequences, whose names the renamed object's may take. Without this
/// the rename would fail (`relation "t" already exists`).
fn set_aside_occupant(live: &Catalog, name: &QualName, needs: Needs, all: &[&Rename], r: &mut Resolved) {
    let occupant = in_live_schema(&r.names, name);
    if renamed_elsewhere(live, r, all, &occupant) {
        return;
    }
    if needs.row_type || (needs.relation && live.composites.contains_key(&occupant)) {
        set_aside_type(live, &occupant, r);
    }
    let renamed_elsewhere = |q: &QualName| renamed_elsewhere(live, r, all, q);
    let Some(kind) = relation_kind(live, &occupant) else { return };
    let has_row_type = matches!(kind, RelationKind::Table | RelationKind::View { .. });
    let in_the_way = needs.relation || (needs.row_type && has_row_type);
    if !in_the_way {
        return;
    }
    let owned = |s: &&Sequence| s.owned_by.as_ref().is_some_and(|(t, _)| *t == occupant);
    let indexes =
        live.indexes.values().filter(|i| i.table == occupant).map(|i| (RelationKind::Index, &i.name));
    let sequences = live.sequences.values().filter(owned).map(|s| (RelationKind::Sequence, &s.name));
    let table = live.tables.get(&occupant);
    let identities = table.into_iter().flat_map(|t| identity_sequences(t));
    // A key's index is named after its constraint, in the table's schema.
    let key_indexes = table
        .into_iter()
        .flat_map(|t| t.constraints.values())
        .filter(|c| c.kind.has_index())
        .map(|c| QualName::new(occupant.schema.clone(), c.name.as_str()));
    let mut family: Vec<(RelationKind, QualName)> = std::iter::once((kind, &occupant))
        .chain(indexes)
        .chain(sequences)
        .chain(identities.map(|s| (RelationKind::Sequence, s)))
        .filter(|(_, q)| *q == &occupant || !renamed_elsewhere(q))
        .map(|(k, q)| (k, q.clone()))
        .collect();
    family.extend(key_indexes.map(|q| (RelationKind::Index, q)));
    for (kind, member) in family {
        let current = after_schema_renames(&r.names, &member);
        let aside = free_aside(live, r, &current);
        let step = match kind {
            RelationKind::Table => RenameStep::Table { from: current, to: aside.clone() },
            RelationKind::View { materialized } => {
                RenameStep::View { from: current, to: aside.clone(), materialized }
            }
            RelationKind::Sequence => RenameStep::Sequence { from: current, to: aside.clone() },
            RelationKind::Index => RenameStep::Index { from: current, to: aside.clone() },
        };
        r.steps.push(RenameStep::Aside(Box::new(step)));
        r.followers.remove(&member);
        r.names.relations.insert(member, aside);
    }
}

/// `name__pgrecon_old`, numbered (`__pgrecon_old1`, ...) while `taken`.
fn aside_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    (0..)
        .map(|n| match n {
            0 => quote::suffixed(name, ASIDE_SUFFIX),
            n => quote::suffixed(name, &format!("{ASIDE_SUFFIX}{n}")),
        })
        .find(|candidate| !taken(candidate))
        .expect("some numbered name is free")
}

/// The aside name of relation or type `current` (its name when the step
/// runs): free among the schema's relations and types, as the database
/// has them and as the renames planned so far leave them.
fn free_aside(live: &Catalog, r: &Resolved, current: &QualName) -> QualName {
    let name = aside_name(&current.name, |n| {
        let q = QualName::new(current.schema.clone(), n);
        let held = live.tables.contains_key(&q)
            || live.views.contains_key(&q)
            || live.sequences.contains_key(&q)
            || live.indexes.contains_key(&q)
            || live.contains(&ObjectId::Type { name: q.clone() });
        let claimed = r.names.relations.values().chain(r.names.types.values()).any(|v| *v == q);
        held || claimed
    });
    QualName::new(current.schema.clone(), name)
}

/// Whether a relation or type `q` (live name) is renamed by an annotation
/// or a rename already planned, not only following its schema.
fn renamed_elsewhere(live: &Catalog, r: &Resolved, all: &[&Rename], q: &QualName) -> bool {
    let annotated = |q: &QualName| {
        all.iter().any(|a| {
            matches!(a.target, RenameTarget::Relation { .. }) && in_live_schema(&r.names, &a.from) == *q
        })
    };
    let planned = r.names.relations.contains_key(q) || r.names.types.contains_key(q);
    annotated(q) || (planned && !r.followers.contains(q)) || moves_with_its_table(live, r, all, q)
}

/// Whether `q` is an index or sequence of a table an annotation moves to
/// another schema: it goes along (`ALTER TABLE … SET SCHEMA`), and its
/// name here is free, whichever rename the resolution meets first.
fn moves_with_its_table(live: &Catalog, r: &Resolved, all: &[&Rename], q: &QualName) -> bool {
    let index_table = live.indexes.get(q).map(|i| i.table.clone());
    let Some(table) = index_table.or_else(|| sequence_owner(live, q).map(|(t, _)| t)) else { return false };
    table_renamed_to(all, r, &table)
        .is_some_and(|to| to.schema != after_schema_renames(&r.names, &table).schema)
}

/// The column a sequence belongs to: the one owning it, or whose identity
/// it is.
fn sequence_owner(live: &Catalog, sequence: &QualName) -> Option<(QualName, String)> {
    let owned = live.sequences.get(sequence).and_then(|s| s.owned_by.clone());
    owned.or_else(|| identity_owner(live, sequence))
}

/// Where an annotation renames or moves live table `table`.
fn table_renamed_to<'a>(all: &[&'a Rename], r: &Resolved, table: &QualName) -> Option<&'a QualName> {
    all.iter().find_map(|a| match &a.target {
        RenameTarget::Relation { kind: StatementKind::CreateTable, name }
            if in_live_schema(&r.names, &a.from) == *table =>
        {
            Some(name)
        }
        _ => None,
    })
}

/// The names a renamed object takes: a relation's in its schema's
/// `pg_class` (tables, views, sequences, indexes, composite types, a key's
/// index), a type's in `pg_type` (types, and the row types of tables,
/// views and composite types).
#[derive(Clone, Copy)]
struct Needs {
    relation: bool,
    row_type: bool,
}

/// A type (enum, domain, range, composite) holding `occupant`, the rename
/// onto it due: set aside and dropped later, as a relation is.
fn set_aside_type(live: &Catalog, occupant: &QualName, r: &mut Resolved) {
    let is_type = live.enums.contains_key(occupant)
        || live.domains.contains_key(occupant)
        || live.ranges.contains_key(occupant)
        || live.composites.contains_key(occupant);
    if !is_type {
        return;
    }
    let current = after_schema_renames(&r.names, occupant);
    let aside = free_aside(live, r, &current);
    r.steps.push(RenameStep::Aside(Box::new(RenameStep::Type { from: current, to: aside.clone() })));
    r.followers.remove(occupant);
    r.names.types.insert(occupant.clone(), aside);
}

#[derive(Clone, Copy)]
enum RelationKind {
    Table,
    View { materialized: bool },
    Sequence,
    Index,
}

/// The kind of the relation named `name` in `live`, if any.
fn relation_kind(live: &Catalog, name: &QualName) -> Option<RelationKind> {
    if live.tables.contains_key(name) {
        Some(RelationKind::Table)
    } else if let Some(v) = live.views.get(name) {
        Some(RelationKind::View { materialized: v.materialized })
    } else if live.sequences.contains_key(name) {
        Some(RelationKind::Sequence)
    } else if live.indexes.contains_key(name) {
        Some(RelationKind::Index)
    } else {
        None
    }
}

/// `ALTER TABLE … SET SCHEMA` takes the table's indexes and owned
/// sequences along, keeping their names. One whose name is taken where the
/// table goes (another table moving there has an index or a sequence of
/// that name, or the schema has one) would make the move fail: it is
/// renamed first, where it is. A sequence takes the name the files give
/// it; an index is left to the index renames, which rename it before the
/// move.
fn follow_table_to_schema(
    live: &Catalog,
    desired: &Catalog,
    table: &QualName,
    to: &QualName,
    all: &[&Rename],
    r: &mut Resolved,
) {
    let owned = |s: &&Sequence| s.owned_by.as_ref().is_some_and(|(t, _)| t == table);
    let indexes = live.indexes.values().filter(|i| i.table == *table).map(|i| (&i.name, None));
    let sequences =
        live.sequences.values().filter(owned).map(|s| (&s.name, s.owned_by.as_ref().map(|(_, c)| c)));
    let identities = live.tables.get(table).into_iter().flat_map(|t| {
        t.columns.iter().filter_map(|c| c.identity.as_ref().map(|i| (&i.sequence, Some(&c.name))))
    });
    for (q, column) in indexes.chain(sequences).chain(identities) {
        let there = QualName::new(to.schema.clone(), q.name.clone());
        if !name_taken(live, &there, r) || rename_sequence_out_of_the_way(live, desired, &there, all, r) {
            r.followers.insert(q.clone());
            r.names.relations.insert(q.clone(), there);
            continue;
        }
        let Some(new) = column.and_then(|c| desired_sequence_of(desired, to, c)) else { continue };
        r.steps.push(RenameStep::Sequence { from: after_schema_renames(&r.names, q), to: new.clone() });
        r.names.relations.insert(q.clone(), new);
    }
}

/// A sequence holding `name` (where a moved table's sequence goes), owned
/// by a table an annotation renames (`t` → `t_old` while `app.t` moves in
/// as `t`), is renamed first to the name the files give it there
/// (`t_old_id_seq`), as a fresh build names it; `false` when it is not
/// such a sequence, or that name is taken too.
fn rename_sequence_out_of_the_way(
    live: &Catalog,
    desired: &Catalog,
    name: &QualName,
    all: &[&Rename],
    r: &mut Resolved,
) -> bool {
    if r.names.relations.contains_key(name) {
        return false; // renamed or moved already
    }
    let Some((table, column)) = sequence_owner(live, name) else { return false };
    let renamed_table = table_renamed_to(all, r, &table).filter(|to| **to != table);
    let Some(new) = renamed_table.and_then(|t| desired_sequence_of(desired, t, &column)) else {
        return false;
    };
    if new == *name || name_taken(live, &new, r) {
        return false;
    }
    r.steps.push(RenameStep::Sequence { from: after_schema_renames(&r.names, name), to: new.clone() });
    r.names.relations.insert(name.clone(), new);
    true
}

/// The column whose identity `sequence` is.
fn identity_owner(live: &Catalog, sequence: &QualName) -> Option<(QualName, String)> {
    live.tables.values().find_map(|t| {
        let column =
            t.columns.iter().find(|c| c.identity.as_ref().is_some_and(|i| i.sequence == *sequence))?;
        Some((t.name.clone(), column.name.clone()))
    })
}

/// Whether a relation holds `name` in the database, or a rename or move
/// already planned takes it.
fn name_taken(live: &Catalog, name: &QualName, r: &mut Resolved) -> bool {
    let inner = r.inner_relations.get_or_insert_with(|| live.relations_inside_tables().collect());
    inner.contains(name) || live.lists_relation(name) || r.names.relations.values().any(|v| v == name)
}

/// The sequence the files give column `column` of table `table`: its
/// identity's, or one owned by it.
fn desired_sequence_of(desired: &Catalog, table: &QualName, column: &str) -> Option<QualName> {
    let identity = desired.tables.get(table)?.column(column)?.identity.as_ref().map(|i| i.sequence.clone());
    identity.or_else(|| {
        let owner = Some((table.clone(), column.to_string()));
        desired.sequences.values().find(|s| s.owned_by == owner).map(|s| s.name.clone())
    })
}

/// The sequences behind a table's identity columns (not in the model's
/// sequences: PostgreSQL manages them with the column).
fn identity_sequences(table: &Table) -> impl Iterator<Item = &QualName> {
    table.columns.iter().filter_map(|c| c.identity.as_ref().map(|i| &i.sequence))
}

/// Indexes and constraints whose definitions match but whose names differ,
/// and owned sequences that follow their table: renamed rather than rebuilt,
/// the way a fresh build would name them.
fn implicit_renames(live: &Catalog, desired: &Catalog, all: &[&Rename], r: &mut Resolved) {
    let renamed = rename_objects(live, &r.names, &r.constraints);
    let mut taken_names = Vec::new();
    for (name, t) in &desired.tables {
        let Some(lt) = renamed.tables.get(name) else { continue };
        // A constraint the files have as it is stays; any other may take
        // another's name, in chains too (`t_b_key` → `t_c_key` while
        // `t_a_key` → `t_b_key`, once columns `a`, `b` are `b`, `c`).
        let unchanged = |n: &str| {
            let (l, d) = (lt.constraints.get(n), t.constraints.get(n));
            l.zip(d).is_some_and(|(l, d)| l.kind == d.kind && l.definition == d.definition)
        };
        let mut planned: Vec<(&String, &String, bool)> = Vec::new();
        for (cname, c) in &t.constraints {
            if unchanged(cname) {
                continue;
            }
            // Each live constraint is renamed once: two equal desired ones
            // (`CHECK (x)` written twice) take one and create the other.
            let claimed = |l: &Constraint| {
                r.constraints.contains_key(&(name.clone(), l.name.clone()))
                    || planned.iter().any(|(from, _, _)| **from == l.name)
            };
            let same = lt.constraints.values().find(|l| {
                l.name != *cname
                    && !unchanged(&l.name)
                    && l.kind == c.kind
                    && l.definition == c.definition
                    && !claimed(l)
            });
            if let Some(l) = same {
                planned.push((&l.name, cname, c.kind.has_index()));
            }
        }
        // A name a live constraint keeps (it is dropped or changed, not
        // renamed on) is not free: that rename is left out, repeatedly, as
        // leaving one out may keep another's target held.
        loop {
            let before = planned.len();
            let moving: std::collections::HashSet<&String> =
                planned.iter().map(|(from, _, _)| *from).collect();
            planned.retain(|(_, to, _)| !lt.constraints.contains_key(*to) || moving.contains(to));
            if planned.len() == before {
                break;
            }
        }
        for (from, to, has_index) in planned {
            r.steps.push(RenameStep::Constraint { table: name.clone(), from: from.clone(), to: to.clone() });
            r.constraints.insert((name.clone(), from.clone()), to.clone());
            if has_index {
                taken_names.push(QualName::new(name.schema.clone(), to.as_str()));
            }
        }
    }
    // PostgreSQL 18 names a NOT NULL constraint after the table and column
    // when it is made and never again: after a rename of either, the live
    // name is the old one while a fresh build has the new one.
    for (name, t) in &desired.tables {
        let Some(lt) = renamed.tables.get(name) else { continue };
        for c in t.columns.iter() {
            let live = lt.column(&c.name).and_then(|l| l.not_null_name.as_ref());
            let (Some(from), Some(to)) = (live, c.not_null_name.as_ref()) else { continue };
            if from == to || t.constraints.contains_key(from) {
                continue;
            }
            r.steps.push(RenameStep::NotNull {
                table: name.clone(),
                column: c.name.clone(),
                from: from.clone(),
                to: to.clone(),
            });
            r.constraints.insert((name.clone(), from.clone()), to.clone());
        }
    }
    taken_names.extend(implicit_index_renames(&renamed, desired, r));
    taken_names.extend(implicit_sequence_renames(&renamed, desired, r));
    // A relation of another kind the files drop may hold a name these take
    // (an index `u_pkey` where `t_pkey` goes once `t` is `u`).
    for name in taken_names {
        set_aside_occupant(live, &name, Needs { relation: true, row_type: false }, all, r);
    }
}

/// A desired index missing from the database takes the name of a live one
/// on the same table with the same definition that the desired state does
/// not name. Candidates are grouped by table first: a plan with many new
/// indexes would otherwise compare each with every live index.
fn implicit_index_renames(renamed: &Catalog, desired: &Catalog, r: &mut Resolved) -> Vec<QualName> {
    // A live index the files name as another table's (its table renamed
    // out of the way, a new one under the old name), or with another
    // definition, is free to take another's name, in chains too (`i` →
    // `i_old` while `j` → `i`).
    let moves_away = |l: &Index| {
        desired.indexes.get(&l.name).is_none_or(|d| d.table != l.table || super::indexes_differ(d, l))
    };
    let mut unclaimed: HashMap<&QualName, Vec<(&Index, &str)>> = HashMap::new();
    // An INVALID index (a failed concurrent build, such as an online
    // rebuild's `_pgrecon_new` left by a failed apply) is never renamed
    // into place: it is dropped, and the valid one kept until its
    // replacement is built.
    for l in renamed.indexes.values().filter(|l| moves_away(l) && l.valid) {
        unclaimed.entry(&l.table).or_default().push((l, super::index_body(&l.definition)));
    }
    let mut targets: std::collections::HashSet<QualName> = r.names.relations.values().cloned().collect();
    let mut claimed: std::collections::HashSet<&QualName> = Default::default();
    let mut planned = Vec::new();
    for (name, i) in &desired.indexes {
        if targets.contains(name) || renamed.indexes.get(name).is_some_and(|l| !moves_away(l)) {
            continue;
        }
        let body = super::index_body(&i.definition);
        let candidates = unclaimed.get(&i.table).map_or(&[][..], Vec::as_slice);
        let fits = |(l, live_body): &&(&Index, &str)| {
            *live_body == body && l.unique == i.unique && !claimed.contains(&l.name)
        };
        if let Some((l, _)) = candidates.iter().find(fits) {
            // `l.name` is where a schema rename or a table's move took it.
            claimed.insert(&l.name);
            targets.insert(name.clone());
            planned.push((r.names.live_relation(&l.name), l.name.clone(), name.clone()));
        }
    }
    // Recorded once all are found: the live name of one index must not be
    // read through another's rename (`i` → `i_old` while `j` takes `i`).
    let mut taken = Vec::new();
    for (live, from, to) in planned {
        r.steps.push(RenameStep::Index { from, to: to.clone() });
        r.names.relations.insert(live, to.clone());
        taken.push(to);
    }
    taken
}

/// A desired owned sequence missing from the database takes the name of a
/// live one owned by the same column, with the same options, that the
/// desired state does not name, or names as another column's (a table
/// renamed out of the way and a new one under its name, both `serial`:
/// the old sequence, its position with it, follows the old table).
fn implicit_sequence_renames(renamed: &Catalog, desired: &Catalog, r: &mut Resolved) -> Vec<QualName> {
    let moves_away = |l: &Sequence| match desired.sequences.get(&l.name) {
        None => true,
        Some(d) => l.owned_by.is_some() && d.owned_by != l.owned_by,
    };
    let mut unclaimed: HashMap<&(QualName, String), Vec<&Sequence>> = HashMap::new();
    for l in renamed.sequences.values().filter(|l| moves_away(l)) {
        if let Some(owner) = &l.owned_by {
            unclaimed.entry(owner).or_default().push(l);
        }
    }
    // Renames already planned (annotations, a reverse plan's) stand.
    let renamed_already = |l: &Sequence| {
        let live = r.names.live_relation(&l.name);
        live != l.name && !r.followers.contains(&live)
    };
    let targets: std::collections::HashSet<&QualName> = r.names.relations.values().collect();
    let mut claimed: std::collections::HashSet<&QualName> = Default::default();
    let mut planned: Vec<(QualName, QualName, QualName)> = Vec::new();
    for (name, s) in &desired.sequences {
        let Some(owner) = &s.owned_by else { continue };
        let stays = |l: &Sequence| !moves_away(l) || renamed_already(l);
        if targets.contains(name) || renamed.sequences.get(name).is_some_and(stays) {
            continue;
        }
        let candidates = unclaimed.get(owner).map_or(&[][..], Vec::as_slice);
        let fits = |l: &&&Sequence| {
            l.options == s.options && l.name != *name && !renamed_already(l) && !claimed.contains(&l.name)
        };
        if let Some(l) = candidates.iter().find(fits) {
            claimed.insert(&l.name);
            planned.push((r.names.live_relation(&l.name), l.name.clone(), name.clone()));
        }
    }
    let mut taken = Vec::new();
    for (live, from, to) in planned {
        r.names.relations.insert(live, to.clone());
        r.steps.push(RenameStep::Sequence { from, to: to.clone() });
        taken.push(to);
    }
    taken
}
