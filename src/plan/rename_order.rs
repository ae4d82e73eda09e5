//! The order renames and moves run in, found by walking the names as
//! PostgreSQL holds them while they run: a relation's name in its schema
//! (`pg_class`), a type's (`pg_type`, where tables, views and composite
//! types have their row type too), a column's or a constraint's in its
//! table, an attribute's or an enum value's in its type. A rename or move
//! runs as soon as every name it takes is free; one whose names wait on
//! each other (two names swapped, a table moving where its index's name is
//! taken while the index's new name is taken where it is) goes through a
//! temporary name.
//!
//! One walk instead of rules per case: chains (`b` → `c`, `a` → `b`),
//! swaps, renames across kinds (a table taking the name a key's index
//! frees) and moves with their indexes and sequences in either direction
//! all come out of it. Indexes, keys and sequences cannot change schema by
//! themselves: `ALTER TABLE … SET SCHEMA` takes them along, so they are
//! renamed where their table is, before or after its move.
//!
//! Schemas and functions are renamed before (see `steps::RenameStage`):
//! the names here are those after the schema renames.

use std::collections::HashMap;

use crate::catalog::{Catalog, ObjectId, QualName};
use crate::diff::RenameStep;
use crate::quote::{ident, literal, suffixed};

use super::steps::{constructors_follow, new_step, RenameStage};
use super::{Action, Step};

/// The suffix of a temporary name (`orders__pgrecon_tmp`), which never
/// outlives the plan's renames.
const DETOUR_SUFFIX: &str = "__pgrecon_tmp";

/// The steps for `renames` (schema and function renames excepted), in the
/// order they must run: each step's stage is its place in that order.
pub fn rename_steps(renames: &[RenameStep], renamed: &Catalog) -> Vec<Step> {
    let mut walk = Walk::new(renames, renamed);
    walk.run();
    walk.into_steps(renamed)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Table,
    View,
    MaterializedView,
    Sequence,
    Index,
    /// An enum, a range or a multirange.
    Type,
    Composite,
    Domain,
    /// A constraint with an index (a primary key, unique or exclusion
    /// constraint): its name is its index's.
    Key,
    Constraint,
    NotNull,
    Column,
    Attribute,
    EnumValue,
}

impl Kind {
    /// Lives inside a table or a type (its parent), not in a schema.
    fn is_inside(self) -> bool {
        matches!(
            self,
            Kind::Key | Kind::Constraint | Kind::NotNull | Kind::Column | Kind::Attribute | Kind::EnumValue
        )
    }

    /// Goes where its table goes: never `SET SCHEMA` of its own.
    fn moves_with_parent(self) -> bool {
        matches!(self, Kind::Index | Kind::Sequence | Kind::Key)
    }

    fn sql(self) -> &'static str {
        match self {
            Kind::Table => "TABLE",
            Kind::View => "VIEW",
            Kind::MaterializedView => "MATERIALIZED VIEW",
            Kind::Sequence => "SEQUENCE",
            Kind::Index => "INDEX",
            Kind::Type | Kind::Composite | Kind::Attribute | Kind::EnumValue => "TYPE",
            Kind::Domain => "DOMAIN",
            Kind::Key | Kind::Constraint | Kind::NotNull | Kind::Column => "TABLE",
        }
    }
}

/// A name in one of PostgreSQL's namespaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Slot {
    Relation(String, String),
    Type(String, String),
    /// A name inside the table or type of that (final) name.
    Inside(Space, QualName, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Space {
    Column,
    Constraint,
    Attribute,
    EnumValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holder {
    /// An object no rename touches.
    Fixed,
    Mover(usize),
}

#[derive(Debug, Clone)]
enum Parent {
    Mover(usize),
    Fixed(QualName),
}

/// An object whose name or schema changes, or that moves with its table.
#[derive(Debug)]
struct Mover<'r> {
    kind: Kind,
    /// Where it is now: for objects inside a table or a type, the schema
    /// of their parent (a key's index is in its table's schema).
    schema: String,
    name: String,
    goal: QualName,
    /// The table or type it is inside of, or moves with.
    parent: Option<Parent>,
    /// For inside objects: the parent's final name, which names the
    /// namespace they are in (it stays the same while the parent moves).
    container: Option<QualName>,
    /// Indexes, keys and sequences that `SET SCHEMA` takes along.
    followers: Vec<usize>,
    /// The rename it carries out (`None` for an index or a sequence only
    /// moved along with its table).
    step: Option<&'r RenameStep>,
    /// Sent to a temporary name already (once at most).
    detoured: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Rename { to: String },
    Move { to: String },
}

struct Done {
    mover: usize,
    detour: bool,
    op: Op,
    /// The object as it was named before.
    before: String,
    sql: String,
}

struct Walk<'r> {
    movers: Vec<Mover<'r>>,
    held: HashMap<Slot, Holder>,
    /// Movers in the order they are tried.
    order: Vec<usize>,
    done: Vec<Done>,
}

impl<'r> Walk<'r> {
    fn new(renames: &'r [RenameStep], renamed: &Catalog) -> Self {
        let mut walk = Walk { movers: Vec::new(), held: HashMap::new(), order: Vec::new(), done: Vec::new() };
        for r in renames {
            if let Some(m) = mover_of(r, r, renamed) {
                walk.movers.push(m);
            }
        }
        if walk.movers.is_empty() {
            return walk;
        }
        walk.find_parents();
        walk.add_followers(renamed);
        walk.hold_names(renamed);
        walk.order = walk.try_order();
        walk
    }

    /// Objects inside a table or a type know it (by its final name), as a
    /// mover when it is renamed or moved too.
    fn find_parents(&mut self) {
        let holders: HashMap<QualName, usize> = self
            .movers
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.kind.is_inside() && !m.kind.moves_with_parent())
            .map(|(i, m)| (m.goal.clone(), i))
            .collect();
        for i in 0..self.movers.len() {
            let Some(container) = self.movers[i].container.clone() else { continue };
            let parent = match holders.get(&container) {
                Some(&p) => {
                    if self.movers[i].kind.moves_with_parent() {
                        self.movers[i].schema = self.movers[p].schema.clone();
                    }
                    Parent::Mover(p)
                }
                None => Parent::Fixed(container),
            };
            self.movers[i].parent = Some(parent);
        }
    }

    /// A table or materialized view moving to another schema takes its
    /// indexes, keys and sequences along: each becomes a follower, a mover
    /// of its own when no rename names it.
    fn add_followers(&mut self, renamed: &Catalog) {
        let moving: Vec<usize> = (0..self.movers.len())
            .filter(|&i| {
                let m = &self.movers[i];
                matches!(m.kind, Kind::Table | Kind::MaterializedView) && *m.schema != *m.goal.schema
            })
            .collect();
        if moving.is_empty() {
            return;
        }
        let mut indexes: HashMap<&QualName, Vec<&QualName>> = HashMap::new();
        for index in renamed.indexes.values() {
            indexes.entry(&index.table).or_default().push(&index.name);
        }
        let mut owned: HashMap<&QualName, Vec<&QualName>> = HashMap::new();
        for s in renamed.sequences.values() {
            if let Some((table, _)) = &s.owned_by {
                owned.entry(table).or_default().push(&s.name);
            }
        }
        let relations: HashMap<QualName, usize> = (0..self.movers.len())
            .filter(|&i| matches!(self.movers[i].kind, Kind::Index | Kind::Sequence))
            .map(|i| (self.movers[i].goal.clone(), i))
            .collect();
        let keys: HashMap<(QualName, String), usize> = (0..self.movers.len())
            .filter(|&i| self.movers[i].kind == Kind::Key)
            .filter_map(|i| {
                let m = &self.movers[i];
                Some(((m.container.clone()?, m.goal.name.to_string()), i))
            })
            .collect();
        for p in moving {
            let table = self.movers[p].goal.clone();
            let mut members: Vec<(Kind, QualName)> = Vec::new();
            let on_table = indexes.get(&table).into_iter().flatten();
            members.extend(on_table.map(|&q| (Kind::Index, q.clone())));
            let of_table = owned.get(&table).into_iter().flatten();
            members.extend(of_table.map(|&q| (Kind::Sequence, q.clone())));
            if let Some(t) = renamed.tables.get(&table) {
                let identities = t.columns.iter().filter_map(|c| c.identity.as_ref());
                members.extend(identities.map(|i| (Kind::Sequence, i.sequence.clone())));
                let with_index = t.constraints.values().filter(|c| c.kind.has_index());
                members.extend(
                    with_index.map(|c| (Kind::Key, QualName::new(table.schema.clone(), c.name.as_str()))),
                );
            }
            for (kind, goal) in members {
                let existing = match kind {
                    Kind::Key => keys.get(&(table.clone(), goal.name.to_string())),
                    _ => relations.get(&goal),
                };
                let f = match existing {
                    Some(&f) => f,
                    None => {
                        self.movers.push(Mover {
                            kind,
                            schema: self.movers[p].schema.clone(),
                            name: goal.name.to_string(),
                            container: (kind == Kind::Key).then(|| table.clone()),
                            goal,
                            parent: None,
                            followers: Vec::new(),
                            step: None,
                            detoured: false,
                        });
                        self.movers.len() - 1
                    }
                };
                // Where its table is, whatever schema the rename names
                // (a rename found after the move names the new one).
                self.movers[f].schema = self.movers[p].schema.clone();
                self.movers[f].parent = Some(Parent::Mover(p));
                self.movers[p].followers.push(f);
            }
        }
    }

    /// Who holds each name when the renames start: every object of the
    /// model where it is (the renamed model has the movers where they end,
    /// so those names are freed and their starting ones taken).
    fn hold_names(&mut self, renamed: &Catalog) {
        let mut hold = |slot: Slot| {
            self.held.insert(slot, Holder::Fixed);
        };
        let rel = |q: &QualName| Slot::Relation(q.schema.to_string(), q.name.to_string());
        let ty = |q: &QualName| Slot::Type(q.schema.to_string(), q.name.to_string());
        for q in renamed.tables.keys().chain(renamed.views.keys()).chain(renamed.composites.keys()) {
            hold(rel(q));
            hold(ty(q));
        }
        for q in renamed.sequences.keys().chain(renamed.indexes.keys()) {
            hold(rel(q));
        }
        for q in renamed.relations_inside_tables() {
            hold(rel(&q));
        }
        for q in renamed.enums.keys().chain(renamed.domains.keys()).chain(renamed.ranges.keys()) {
            hold(ty(q));
        }
        for q in renamed.ranges.values().filter_map(|r| r.multirange.as_ref()) {
            hold(ty(q));
        }
        let containers: Vec<QualName> = self.movers.iter().filter_map(|m| m.container.clone()).collect();
        for c in containers {
            let inside = |space: Space, name: &str| Slot::Inside(space, c.clone(), name.to_string());
            if let Some(t) = renamed.tables.get(&c) {
                for column in t.columns.iter() {
                    hold(inside(Space::Column, &column.name));
                    if let Some(n) = &column.not_null_name {
                        hold(inside(Space::Constraint, n));
                    }
                }
                for name in t.constraints.keys() {
                    hold(inside(Space::Constraint, name));
                }
            }
            for a in renamed.composites.get(&c).into_iter().flat_map(|t| &t.attributes) {
                hold(inside(Space::Attribute, &a.name));
            }
            for v in renamed.enums.get(&c).into_iter().flat_map(|e| &e.values) {
                hold(inside(Space::EnumValue, v));
            }
        }
        for i in 0..self.movers.len() {
            let m = &self.movers[i];
            for slot in self.slots(i, &m.goal.schema, &m.goal.name) {
                if self.held.get(&slot) == Some(&Holder::Fixed) {
                    self.held.remove(&slot);
                }
            }
        }
        for i in 0..self.movers.len() {
            self.occupy(i);
        }
    }

    /// Objects set aside first (they free the names others take), then
    /// the indexes, keys and sequences of moving tables (renamed where they
    /// are, a name taken where they go may be free here), then relations
    /// and types, then what is inside them.
    fn try_order(&self) -> Vec<usize> {
        let rank = |m: &Mover| match m.step {
            Some(RenameStep::Aside(_)) => 0,
            _ if m.kind.moves_with_parent() && matches!(m.parent, Some(Parent::Mover(_))) => 1,
            _ if !m.kind.is_inside() => 2,
            _ if m.kind == Kind::Key => 3,
            _ => 4,
        };
        let mut order: Vec<usize> = (0..self.movers.len()).collect();
        order.sort_by_key(|&i| rank(&self.movers[i]));
        order
    }

    /// The names mover `i` holds when named `name` in `schema`.
    fn slots(&self, i: usize, schema: &str, name: &str) -> Vec<Slot> {
        let m = &self.movers[i];
        let relation = || Slot::Relation(schema.to_string(), name.to_string());
        let ty = || Slot::Type(schema.to_string(), name.to_string());
        let inside = |space: Space| {
            let container = m.container.clone().unwrap_or_else(|| m.goal.clone());
            Slot::Inside(space, container, name.to_string())
        };
        match m.kind {
            Kind::Table | Kind::View | Kind::MaterializedView | Kind::Composite => vec![relation(), ty()],
            Kind::Sequence | Kind::Index => vec![relation()],
            Kind::Type | Kind::Domain => vec![ty()],
            Kind::Key => vec![relation(), inside(Space::Constraint)],
            Kind::Constraint | Kind::NotNull => vec![inside(Space::Constraint)],
            Kind::Column => vec![inside(Space::Column)],
            Kind::Attribute => vec![inside(Space::Attribute)],
            Kind::EnumValue => vec![inside(Space::EnumValue)],
        }
    }

    fn current_slots(&self, i: usize) -> Vec<Slot> {
        let m = &self.movers[i];
        self.slots(i, &m.schema, &m.name)
    }

    fn occupy(&mut self, i: usize) {
        for slot in self.current_slots(i) {
            self.held.insert(slot, Holder::Mover(i));
        }
    }

    fn release(&mut self, i: usize) {
        for slot in self.current_slots(i) {
            if self.held.get(&slot) == Some(&Holder::Mover(i)) {
                self.held.remove(&slot);
            }
        }
    }

    fn finished(&self, i: usize) -> bool {
        let m = &self.movers[i];
        *m.schema == *m.goal.schema && *m.name == *m.goal.name
    }

    /// What mover `i` still has to do, the preferred first: a move (its
    /// old name is usually free where it goes), then a rename.
    fn wanted(&self, i: usize) -> Vec<Op> {
        let m = &self.movers[i];
        let mut ops = Vec::new();
        let moves_itself = !(m.kind.moves_with_parent() && matches!(m.parent, Some(Parent::Mover(_))));
        let elsewhere = *m.schema != *m.goal.schema;
        if elsewhere && moves_itself && !m.kind.is_inside() {
            ops.push(Op::Move { to: m.goal.schema.to_string() });
        }
        // Sent to a temporary name so that a move could take place, it
        // takes its own name only where it goes: taken back where it is,
        // it would stand in the move's way again.
        let waits_for_its_move = m.detoured && elsewhere;
        if *m.name != *m.goal.name && !waits_for_its_move {
            ops.push(Op::Rename { to: m.goal.name.to_string() });
        }
        ops
    }

    /// The names `op` of mover `i` takes that another object holds, with
    /// the mover each name is for (`i`, or a follower a move takes along).
    fn blockers(&self, i: usize, op: &Op) -> Vec<(Holder, usize)> {
        let mut needed: Vec<(Slot, usize)> = Vec::new();
        match op {
            Op::Rename { to } => {
                let m = &self.movers[i];
                needed.extend(self.slots(i, &m.schema, to).into_iter().map(|s| (s, i)));
            }
            Op::Move { to } => {
                needed.extend(self.slots(i, to, &self.movers[i].name).into_iter().map(|s| (s, i)));
                for &f in &self.movers[i].followers {
                    let there = self.slots(f, to, &self.movers[f].name);
                    let relations = there.into_iter().filter(|s| matches!(s, Slot::Relation(..)));
                    needed.extend(relations.map(|s| (s, f)));
                }
            }
        }
        needed
            .into_iter()
            .filter_map(|(slot, of)| {
                let holder = *self.held.get(&slot)?;
                (holder != Holder::Mover(of)).then_some((holder, of))
            })
            .collect()
    }

    /// Passes over the movers in order, each doing what it can; when a
    /// pass does nothing, a detour. A pass costs one look per mover, so a
    /// thousand tables moved with a schema take a few passes, not a
    /// thousand.
    fn run(&mut self) {
        loop {
            if self.pass() {
                continue;
            }
            if self.order.iter().all(|&i| self.finished(i)) {
                return;
            }
            let Some(i) = self.detour_candidate() else { break };
            let to = self.detour_name(i);
            self.movers[i].detoured = true;
            self.perform(i, Op::Rename { to }, true);
        }
        // Names that cannot be freed (an object no rename touches holds
        // one): the remaining steps in order, for PostgreSQL to judge.
        for i in self.order.clone() {
            for op in self.wanted(i) {
                self.perform(i, op, false);
            }
        }
    }

    /// Whether any mover could do something.
    fn pass(&mut self) -> bool {
        let mut progress = false;
        for k in 0..self.order.len() {
            let i = self.order[k];
            while let Some(op) = self.wanted(i).into_iter().find(|op| self.blockers(i, op).is_empty()) {
                self.perform(i, op, false);
                progress = true;
            }
        }
        progress
    }

    /// When every remaining step waits: a mover that still has to go
    /// elsewhere and holds a name another needs goes to a temporary name
    /// (one already where it ends would take its name straight back). Else
    /// a mover whose move is blocked where it goes (by any holder), or its
    /// follower whose name is: it moves under a temporary name and takes
    /// its own there.
    fn detour_candidate(&self) -> Option<usize> {
        let waiting = || self.order.iter().copied().filter(|&i| !self.finished(i));
        let blocked = |i: usize| self.wanted(i).into_iter().flat_map(move |op| self.blockers(i, &op));
        let free_to_go = |j: usize| !self.movers[j].detoured;
        let by_mover = waiting().flat_map(blocked).find_map(|(holder, _)| match holder {
            Holder::Mover(j) if free_to_go(j) && !self.finished(j) => Some(j),
            _ => None,
        });
        let blocked_where_it_goes = |i: usize| {
            self.wanted(i)
                .into_iter()
                .filter(|op| matches!(op, Op::Move { .. }))
                .flat_map(move |op| self.blockers(i, &op))
                .map(|(_, of)| of)
                .filter(|&of| free_to_go(of))
        };
        by_mover.or_else(|| waiting().flat_map(blocked_where_it_goes).next())
    }

    /// `name__pgrecon_tmp`, numbered if taken.
    fn detour_name(&self, i: usize) -> String {
        let m = &self.movers[i];
        (0..)
            .map(|n| {
                let suffix = if n == 0 { DETOUR_SUFFIX.to_string() } else { format!("{DETOUR_SUFFIX}{n}") };
                suffixed(&m.name, &suffix)
            })
            .find(|name| self.slots(i, &m.schema, name).iter().all(|s| !self.held.contains_key(s)))
            .expect("some numbered name is free")
    }

    fn perform(&mut self, i: usize, op: Op, detour: bool) {
        let sql = self.sql(i, &op);
        let before = self.shown_name(i);
        let followers = self.movers[i].followers.clone();
        self.release(i);
        for &f in &followers {
            self.release(f);
        }
        match &op {
            Op::Rename { to } => self.movers[i].name.clone_from(to),
            Op::Move { to } => {
                for &f in &followers {
                    self.movers[f].schema.clone_from(to);
                }
                self.movers[i].schema.clone_from(to);
            }
        }
        self.occupy(i);
        for &f in &followers {
            self.occupy(f);
        }
        self.done.push(Done { mover: i, detour, op, before, sql });
    }

    fn parent_name(&self, i: usize) -> QualName {
        match &self.movers[i].parent {
            Some(Parent::Mover(p)) => {
                let p = &self.movers[*p];
                QualName::new(p.schema.as_str(), p.name.as_str())
            }
            Some(Parent::Fixed(q)) => q.clone(),
            None => self.movers[i].goal.clone(),
        }
    }

    fn sql(&self, i: usize, op: &Op) -> String {
        let m = &self.movers[i];
        let here = QualName::new(m.schema.as_str(), m.name.as_str());
        let kind = m.kind.sql();
        let Op::Rename { to } = op else {
            return format!("ALTER {kind} {here} SET SCHEMA {}", ident(&m.goal.schema));
        };
        // What is inside a table or a type is renamed through it.
        let inside = match m.kind {
            Kind::Key | Kind::Constraint | Kind::NotNull => Some("CONSTRAINT"),
            Kind::Column => Some("COLUMN"),
            Kind::Attribute => Some("ATTRIBUTE"),
            Kind::EnumValue => Some("VALUE"),
            _ => None,
        };
        let name = |n: &str| if m.kind == Kind::EnumValue { literal(n) } else { ident(n) };
        match inside {
            Some(what) => format!(
                "ALTER {kind} {} RENAME {what} {} TO {}",
                self.parent_name(i),
                name(&m.name),
                name(to)
            ),
            None => format!("ALTER {kind} {here} RENAME TO {}", ident(to)),
        }
    }

    /// One step per run of consecutive statements of a mover.
    fn into_steps(self, renamed: &Catalog) -> Vec<Step> {
        let mut steps: Vec<Step> = Vec::new();
        let mut last: Option<(usize, bool)> = None;
        for (n, done) in self.done.iter().enumerate() {
            let continues = last == Some((done.mover, false)) && !done.detour;
            if continues {
                let step = steps.last_mut().expect("a step to continue");
                step.sql.push(done.sql.clone());
            } else {
                let mut step = self.step_for(done);
                step.deps.rename_stage = Some(RenameStage::Names(n));
                steps.push(step);
            }
            let step = steps.last_mut().expect("the step just made");
            if matches!(done.op, Op::Move { .. }) {
                let schema = ObjectId::Schema { name: self.movers[done.mover].goal.schema.to_string() };
                if !step.deps.requires.contains(&schema) {
                    step.deps.requires.push(schema);
                }
            }
            last = Some((done.mover, done.detour));
        }
        self.follow_constructors(&mut steps, renamed);
        steps
    }

    /// A renamed or moved range or multirange takes its constructors along,
    /// once it has its final name (see `constructors_follow`).
    fn follow_constructors(&self, steps: &mut [Step], renamed: &Catalog) {
        let is_range = |q: &QualName| {
            renamed.ranges.contains_key(q)
                || renamed.ranges.values().any(|r| r.multirange.as_ref() == Some(q))
        };
        for (i, m) in self.movers.iter().enumerate() {
            if m.kind != Kind::Type || !is_range(&m.goal) {
                continue;
            }
            let last = self.done.iter().enumerate().rev().find(|(_, d)| d.mover == i);
            let Some((n, _)) = last else { continue };
            let stage = Some(RenameStage::Names(self.step_start(n)));
            if let Some(step) = steps.iter_mut().find(|s| s.deps.rename_stage == stage) {
                step.sql.push(constructors_follow(&m.goal));
            }
        }
    }

    /// The index (in `done`) of the statement that began the step holding
    /// statement `n`.
    fn step_start(&self, n: usize) -> usize {
        let mut start = n;
        while start > 0 {
            let (here, before) = (&self.done[start], &self.done[start - 1]);
            if here.detour || before.detour || here.mover != before.mover {
                break;
            }
            start -= 1;
        }
        start
    }

    fn step_for(&self, done: &Done) -> Step {
        let m = &self.movers[done.mover];
        match (m.step, done.detour) {
            (Some(r), false) => {
                let mut step = described(r);
                step.sql.push(done.sql.clone());
                step
            }
            _ => {
                let from = &done.before;
                let id = self.id_of(done.mover);
                let to = match &done.op {
                    Op::Rename { to } => to.clone(),
                    Op::Move { .. } => m.goal.name.to_string(),
                };
                let step =
                    new_step(Action::Rename, &id, format!("{from} → {}", ident(&to)), vec![done.sql.clone()]);
                match done.detour {
                    true => step.detail("a temporary name, so that other renames can take this one"),
                    false => step.detail("back from its temporary name"),
                }
            }
        }
    }

    /// How the object is shown before a detour: its name then.
    fn shown_name(&self, i: usize) -> String {
        let m = &self.movers[i];
        match m.kind.is_inside() {
            true => format!("{}.{}", self.parent_name(i), ident(&m.name)),
            false => QualName::new(m.schema.as_str(), m.name.as_str()).to_string(),
        }
    }

    fn id_of(&self, i: usize) -> ObjectId {
        let m = &self.movers[i];
        let container = || m.container.clone().unwrap_or_else(|| m.goal.clone());
        match m.kind {
            Kind::Table => ObjectId::Table { name: m.goal.clone() },
            Kind::View | Kind::MaterializedView => ObjectId::View { name: m.goal.clone() },
            Kind::Sequence => ObjectId::Sequence { name: m.goal.clone() },
            Kind::Index => ObjectId::Index { name: m.goal.clone() },
            Kind::Type | Kind::Composite | Kind::Domain | Kind::Attribute | Kind::EnumValue => {
                ObjectId::Type { name: container() }
            }
            Kind::Key | Kind::Constraint | Kind::NotNull => {
                ObjectId::Constraint { table: container(), name: m.goal.name.to_string() }
            }
            Kind::Column => ObjectId::Column { table: container(), column: m.goal.name.to_string() },
        }
    }
}

/// The mover for rename `r` (`outer` is `r`, or the `Aside` holding it):
/// where it starts and where it ends.
fn mover_of<'r>(outer: &'r RenameStep, r: &'r RenameStep, renamed: &Catalog) -> Option<Mover<'r>> {
    let relation = |kind: Kind, from: &QualName, to: &QualName| Mover {
        kind,
        schema: from.schema.to_string(),
        name: from.name.to_string(),
        goal: to.clone(),
        parent: None,
        container: None,
        followers: Vec::new(),
        step: Some(outer),
        detoured: false,
    };
    let inside = |kind: Kind, container: &QualName, from: &str, to: &str| Mover {
        kind,
        schema: container.schema.to_string(),
        name: from.to_string(),
        goal: QualName::new(container.schema.clone(), to),
        parent: None,
        container: Some(container.clone()),
        followers: Vec::new(),
        step: Some(outer),
        detoured: false,
    };
    Some(match r {
        RenameStep::Schema { .. } | RenameStep::Function { .. } => return None,
        RenameStep::Aside(inner) => return mover_of(outer, inner, renamed),
        RenameStep::Table { from, to } => relation(Kind::Table, from, to),
        RenameStep::View { from, to, materialized } => {
            let kind = if *materialized { Kind::MaterializedView } else { Kind::View };
            relation(kind, from, to)
        }
        RenameStep::Sequence { from, to } => relation(Kind::Sequence, from, to),
        RenameStep::Index { from, to } => relation(Kind::Index, from, to),
        RenameStep::Type { from, to } => {
            let kind = if renamed.domains.contains_key(to) {
                Kind::Domain
            } else if renamed.composites.contains_key(to) {
                Kind::Composite
            } else {
                Kind::Type
            };
            relation(kind, from, to)
        }
        RenameStep::Constraint { table, from, to } => {
            let key = renamed
                .tables
                .get(table)
                .and_then(|t| t.constraints.get(to))
                .is_some_and(|c| c.kind.has_index());
            inside(if key { Kind::Key } else { Kind::Constraint }, table, from, to)
        }
        RenameStep::NotNull { table, from, to, .. } => inside(Kind::NotNull, table, from, to),
        RenameStep::Column { table, from, to } => inside(Kind::Column, table, from, to),
        RenameStep::Attribute { type_name, from, to } => inside(Kind::Attribute, type_name, from, to),
        RenameStep::EnumValue { type_name, from, to } => inside(Kind::EnumValue, type_name, from, to),
    })
}

/// The step for rename `r` as the user asked for it: `> table a → b`.
fn described(r: &RenameStep) -> Step {
    let step = |id: ObjectId, object: String| new_step(Action::Rename, &id, object, Vec::new());
    match r {
        RenameStep::Aside(inner) => described(inner).detail("in the way of a rename, dropped further on"),
        RenameStep::Table { from, to } => {
            step(ObjectId::Table { name: to.clone() }, format!("{from} → {to}"))
        }
        RenameStep::View { from, to, materialized } => {
            let mut s = step(ObjectId::View { name: to.clone() }, format!("{from} → {to}"));
            if *materialized {
                s.kind = "materialized view".to_string();
                s.summary = format!("> materialized view {}", s.object);
            }
            s
        }
        RenameStep::Sequence { from, to } => {
            step(ObjectId::Sequence { name: to.clone() }, format!("{from} → {to}"))
        }
        RenameStep::Index { from, to } => {
            step(ObjectId::Index { name: to.clone() }, format!("{from} → {to}"))
        }
        // Marked as changing the type: a value added to it waits for
        // its new name (see `graph::rename_stages`).
        RenameStep::Type { from, to } => {
            let id = ObjectId::Type { name: to.clone() };
            step(id.clone(), format!("{from} → {to}")).alters([id])
        }
        RenameStep::Constraint { table, from, to } => step(
            ObjectId::Constraint { table: table.clone(), name: to.clone() },
            format!("{} → {} on {table}", ident(from), ident(to)),
        ),
        RenameStep::NotNull { table, column, from, to } => step(
            ObjectId::Constraint { table: table.clone(), name: to.clone() },
            format!("{} → {} on {table}", ident(from), ident(to)),
        )
        .detail(format!("NOT NULL of {}", ident(column))),
        RenameStep::Column { table, from, to } => step(
            ObjectId::Column { table: table.clone(), column: to.clone() },
            format!("{table}.{} → {}", ident(from), ident(to)),
        ),
        RenameStep::Attribute { type_name, from, to } => step(
            ObjectId::Type { name: type_name.clone() },
            format!("{type_name}.{} → {}", ident(from), ident(to)),
        ),
        RenameStep::EnumValue { type_name, from, to } => {
            let id = ObjectId::Type { name: type_name.clone() };
            step(id.clone(), format!("{type_name} value {} → {}", literal(from), literal(to))).alters([id])
        }
        RenameStep::Schema { .. } | RenameStep::Function { .. } => {
            unreachable!("schemas and functions are renamed before the walk")
        }
    }
}
