//! Ordering steps by dependency: one petgraph graph over all steps, with
//! edges from both models' dependencies (`pg_depend` of the live database
//! and of the scratch database) and the rules of DDL:
//!
//! - create what an object needs before the object (desired dependencies);
//! - drop an object before what it depends on (live dependencies), and
//!   before changing what it depends on;
//! - drop an old object before creating a new one under the same name;
//! - renames first, in the order `rename_order` found, so every later
//!   step speaks the new names.
//!
//! Ties are broken by rank (the order a reader expects: renames, drops,
//! alterations, creations) and then by the step's text, so the same inputs
//! always give the same plan.

use std::collections::HashMap;

use crate::catalog::{Catalog, ObjectId};
use crate::order::{self, CycleError, Node};

use super::{Action, Step};

pub fn order(steps: Vec<Step>, live: &Catalog, desired: &Catalog) -> Result<Vec<Step>, CycleError> {
    let edges = edges(&steps, live, desired);
    let nodes: Vec<Node<String, (u8, String, usize)>> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| Node { group: group(s), key: (s.deps.rank, s.summary.clone(), i) })
        .collect();
    let sorted = order::order(&nodes, &edges).map_err(|e| {
        let mut members: Vec<String> = e.nodes.iter().map(|&i| steps[i].summary.clone()).collect();
        members.sort();
        CycleError { members, nodes: e.nodes }
    })?;
    let mut slots: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    Ok(sorted.into_iter().filter_map(|i| slots[i].take()).collect())
}

/// Steps on the same table stay together.
fn group(s: &Step) -> String {
    let ids = s.deps.produces.iter().chain(&s.deps.alters).chain(&s.deps.destroys);
    ids.filter_map(|id| match id {
        ObjectId::Table { name } => Some(name.to_string()),
        other => other.owning_relation().map(|t| t.to_string()),
    })
    .next()
    .unwrap_or_else(|| s.summary.clone())
}

#[derive(Default)]
struct Index<'a> {
    producers: HashMap<&'a ObjectId, Vec<usize>>,
    destroyers: HashMap<&'a ObjectId, Vec<usize>>,
    alterers: HashMap<&'a ObjectId, Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(steps: &'a [Step]) -> Self {
        let mut ix = Index::default();
        for (i, s) in steps.iter().enumerate() {
            for id in &s.deps.produces {
                ix.producers.entry(id).or_default().push(i);
            }
            for id in &s.deps.destroys {
                ix.destroyers.entry(id).or_default().push(i);
            }
            for id in &s.deps.alters {
                ix.alterers.entry(id).or_default().push(i);
            }
        }
        ix
    }

    fn get<'m>(map: &'m HashMap<&'a ObjectId, Vec<usize>>, id: &ObjectId) -> &'m [usize] {
        map.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    fn makers(&self, id: &ObjectId) -> impl Iterator<Item = usize> + '_ {
        Self::get(&self.producers, id).iter().chain(Self::get(&self.alterers, id)).copied()
    }
}

fn edges(steps: &[Step], live: &Catalog, desired: &Catalog) -> Vec<(usize, usize)> {
    let ix = Index::new(steps);
    let mut edges = Vec::new();
    let mut pairs = |a: Vec<usize>, b: Vec<usize>| {
        for &x in &a {
            for &y in &b {
                if x != y {
                    edges.push((x, y));
                }
            }
        }
    };
    // What an object needs is made first. Only edges between objects that
    // steps make can matter, so the lookups start from those objects.
    for from in ix.producers.keys().chain(ix.alterers.keys()) {
        let after: Vec<usize> = ix.makers(from).collect();
        for to in desired.dependencies_of(from) {
            pairs(ix.makers(to).collect(), after.clone());
        }
    }
    // Dependents go before what they depend on, and before it changes.
    // A step that drops and recreates an object by itself (an index
    // swapped online) does not need what it depends on to wait.
    for from in ix.destroyers.keys() {
        let dependents: Vec<usize> = Index::get(&ix.destroyers, from)
            .iter()
            .copied()
            .filter(|&i| !steps[i].deps.produces.contains(from))
            .collect();
        for to in live.dependencies_of(from) {
            let mut targets: Vec<usize> = Index::get(&ix.destroyers, to).to_vec();
            // A value added to an enum, or a rename (an enum value's
            // included), changes nothing its dependents rely on: they need
            // not be dropped before it (renames run first of all, a value
            // added may too, see `rename_stages`).
            let changes_shape = |&&i: &&usize| {
                steps[i].deps.adds_enum_values.is_none() && steps[i].deps.rename_stage.is_none()
            };
            targets.extend(Index::get(&ix.alterers, to).iter().filter(changes_shape));
            pairs(dependents.clone(), targets);
        }
    }
    // A dependent dropped and created again is created after what it
    // depended on is dropped: the new one must not take the old one as
    // its support again (a foreign key re-added while the unique index it
    // used, made not unique, is still there would pick it, and the index's
    // drop would then fail).
    for from in ix.destroyers.keys() {
        let remade: Vec<usize> =
            ix.makers(from).filter(|&i| !steps[i].deps.destroys.contains(from)).collect();
        if remade.is_empty() {
            continue;
        }
        for to in live.dependencies_of(from) {
            pairs(Index::get(&ix.destroyers, to).to_vec(), remade.clone());
        }
    }
    // A dependent changed in place lets go of what it used before that is
    // dropped (e.g. a default that stops using a sequence). One that is
    // dropped and created again is changed after, as the new object (a
    // foreign key validated online once its key is back).
    for from in ix.alterers.keys().filter(|id| !ix.destroyers.contains_key(*id)) {
        for to in live.dependencies_of(from) {
            pairs(Index::get(&ix.alterers, from).to_vec(), Index::get(&ix.destroyers, to).to_vec());
        }
    }
    for (i, s) in steps.iter().enumerate() {
        for id in &s.deps.lets_go {
            pairs(vec![i], Index::get(&ix.destroyers, id).to_vec());
        }
        for id in &s.deps.produces {
            pairs(Index::get(&ix.destroyers, id).to_vec(), vec![i]);
        }
        for id in &s.deps.requires {
            pairs(ix.makers(id).collect(), vec![i]);
        }
    }
    // Renames are ordered among themselves by the walk over the names
    // alone: an edge from what they depend on would contradict it (a
    // composite type renamed needs its attribute's domain, renamed onto
    // the composite's old name), and so would one from a step that runs
    // after every rename (a domain's constraint renamed the way a fresh
    // build names it).
    let buckets = rename_stages(steps);
    let is_rename = |i: usize| steps[i].deps.rename_stage.is_some();
    let after_renames: std::collections::HashSet<usize> =
        buckets.last().into_iter().flatten().copied().collect();
    edges.retain(|&(x, y)| !(is_rename(y) && (is_rename(x) || after_renames.contains(&x))));
    let mut non_empty = buckets.into_iter().filter(|b| !b.is_empty());
    if let Some(mut before) = non_empty.next() {
        for after in non_empty {
            edges.extend(
                before.iter().flat_map(|&x| after.iter().filter(move |&&y| x != y).map(move |&y| (x, y))),
            );
            before = after;
        }
    }
    edges
}

/// Renames run first, stage by stage (see `RenameStage`), so every later
/// step speaks the new names. A schema that objects move into is created
/// after the schema renames (it may take a renamed schema's name) and
/// before the moves. Consecutive stages are chained: the order follows.
fn rename_stages(steps: &[Step]) -> Vec<Vec<usize>> {
    use super::steps::RenameStage::*;
    let of = |wanted: Option<super::steps::RenameStage>| -> Vec<usize> {
        (0..steps.len()).filter(|&i| steps[i].deps.rename_stage == wanted).collect()
    };
    if steps.iter().all(|s| s.deps.rename_stage.is_none()) {
        return Vec::new();
    }
    let creates_schema = |s: &Step| {
        s.action == Action::Create && s.deps.produces.iter().any(|id| matches!(id, ObjectId::Schema { .. }))
    };
    let (schemas_created, others): (Vec<usize>, Vec<usize>) =
        of(None).into_iter().partition(|&i| creates_schema(&steps[i]));
    // Values added to an enum that keeps its name go first of all: when
    // they must commit by themselves (see `settle_enum_commits`), nothing
    // else commits with them.
    // (A value renamed in the enum counts: a new value may be placed next
    // to it.)
    let renamed: Vec<&ObjectId> = steps
        .iter()
        .filter(|s| s.deps.rename_stage.is_some())
        .flat_map(|s| s.deps.produces.iter().chain(&s.deps.alters))
        .collect();
    let keeps_name = |i: &usize| {
        steps[*i].deps.adds_enum_values.as_ref().is_some_and(|(name, _)| {
            !renamed.iter().any(|id| match id {
                ObjectId::Type { name: n } => n == name,
                ObjectId::Schema { name: n } => **n == *name.schema,
                _ => false,
            })
        })
    };
    let (enum_values, others): (Vec<usize>, Vec<usize>) = others.into_iter().partition(keeps_name);
    let mut names: Vec<(usize, usize)> = (0..steps.len())
        .filter_map(|i| match steps[i].deps.rename_stage {
            Some(Names(n)) => Some((n, i)),
            _ => None,
        })
        .collect();
    names.sort();
    // Schema renames one after the other, in the order the renames list
    // them: a chain's last link first.
    let mut buckets = vec![enum_values];
    buckets.extend(of(Some(Schema)).into_iter().map(|i| vec![i]));
    buckets.extend([schemas_created, of(Some(Function))]);
    buckets.extend(names.into_iter().map(|(_, i)| vec![i]));
    buckets.push(others);
    buckets
}
