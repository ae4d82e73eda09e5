//! `dump`: SQL that recreates a catalog, ordered by dependency.
//!
//! One item per object (its statements and comments together); items that
//! belong to one table stay together. The output is deterministic: the same
//! catalog always gives the same bytes.

use std::collections::HashMap;

mod yaml;

pub use yaml::{render as render_yaml, NotExpressible};

use crate::catalog::*;
use crate::ddl;
use crate::order::{self, CycleError, Node};

/// What a dump item creates. Most items create one catalog object; a
/// sequence's `OWNED BY` is its own item because it needs the table, while the
/// table's default needs the sequence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum ItemKey {
    Object(ObjectId),
    SequenceOwner(QualName),
}

struct Item {
    key: ItemKey,
    statements: Vec<String>,
}

/// Sort rank among ready items: the order a reader expects to meet kinds in.
fn rank(key: &ItemKey) -> u8 {
    match key {
        ItemKey::Object(id) => match id {
            ObjectId::Schema { .. } => 0,
            ObjectId::Extension { .. } => 1,
            ObjectId::Type { .. } => 2,
            ObjectId::Function { .. } => 3,
            ObjectId::Sequence { .. } => 4,
            ObjectId::Table { .. } => 5,
            ObjectId::Column { .. } | ObjectId::ColumnDefault { .. } => 5,
            ObjectId::Constraint { .. } => 6,
            ObjectId::Index { .. } => 7,
            ObjectId::View { .. } => 8,
            ObjectId::Trigger { .. } => 9,
        },
        ItemKey::SequenceOwner(_) => 10,
    }
}

/// Items of one table (its constraints, indexes, triggers) share a group.
fn group(key: &ItemKey, catalog: &Catalog) -> String {
    let relation = match key {
        ItemKey::Object(ObjectId::Table { name } | ObjectId::View { name }) => Some(name.clone()),
        ItemKey::Object(ObjectId::Index { name }) => catalog.indexes.get(name).map(|i| i.table.clone()),
        ItemKey::Object(id) => id.owning_relation().cloned(),
        ItemKey::SequenceOwner(name) => {
            catalog.sequences.get(name).and_then(|s| s.owned_by.clone()).map(|o| o.0)
        }
    };
    match relation {
        Some(r) => r.to_string(),
        None => format!("{key:?}"),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    #[error(transparent)]
    Cycle(#[from] CycleError),
}

/// The whole dump as one SQL script.
pub fn render(catalog: &Catalog) -> Result<String, DumpError> {
    let items = items(catalog);
    let sorted = sort(catalog, &items)?;
    let mut out = String::from(HEADER);
    for i in sorted {
        out.push('\n');
        for statement in &items[i].statements {
            out.push_str(statement);
            out.push_str(";\n");
        }
    }
    Ok(out)
}

/// The dump as a directory a team would keep in git: one file per table
/// (with its constraints, indexes, triggers, owned sequences and comments),
/// one per view, and files for schemas and extensions, types, sequences and
/// functions. pgrecon reads the files in any order.
pub fn render_split(catalog: &Catalog) -> Result<Vec<(String, String)>, DumpError> {
    let items = items(catalog);
    let sorted = sort(catalog, &items)?;
    let mut files: Vec<(String, String)> = Vec::new();
    for i in sorted {
        let name = file_for(&items[i].key, catalog);
        let position = match files.iter().position(|(n, _)| *n == name) {
            Some(p) => p,
            None => {
                files.push((name, String::from(HEADER)));
                files.len() - 1
            }
        };
        let text = &mut files[position].1;
        text.push('\n');
        for statement in &items[i].statements {
            text.push_str(statement);
            text.push_str(";\n");
        }
    }
    files.sort();
    Ok(files)
}

fn file_for(key: &ItemKey, catalog: &Catalog) -> String {
    let relation_file =
        |dir: &str, name: &QualName| format!("{dir}/{}.{}.sql", safe(&name.schema), safe(&name.name));
    let table_of = |name: &QualName| {
        if catalog.views.contains_key(name) {
            relation_file("views", name)
        } else {
            relation_file("tables", name)
        }
    };
    match key {
        ItemKey::Object(ObjectId::Schema { .. } | ObjectId::Extension { .. }) => {
            "00_schemas_extensions.sql".into()
        }
        ItemKey::Object(ObjectId::Type { .. }) => "01_types.sql".into(),
        ItemKey::Object(ObjectId::Function { .. }) => "03_functions.sql".into(),
        ItemKey::Object(ObjectId::Sequence { name }) | ItemKey::SequenceOwner(name) => {
            match catalog.sequences.get(name).and_then(|s| s.owned_by.as_ref()) {
                Some((table, _)) => table_of(table),
                None => "02_sequences.sql".into(),
            }
        }
        ItemKey::Object(ObjectId::Index { name }) => match catalog.indexes.get(name) {
            Some(i) => table_of(&i.table),
            None => "04_other.sql".into(),
        },
        ItemKey::Object(ObjectId::Table { name } | ObjectId::View { name }) => table_of(name),
        ItemKey::Object(id) => id.owning_relation().map_or_else(|| "04_other.sql".into(), table_of),
    }
}

/// A file name from an identifier: anything unusual becomes `_`.
fn safe(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect()
}

const HEADER: &str = "-- Schema dump written by pgrecon.\n\
SET check_function_bodies = false;\n\
SET client_min_messages = warning;\n";

fn items(c: &Catalog) -> Vec<Item> {
    let mut items = Vec::new();
    let mut push = |key: ItemKey, statements: Vec<String>| {
        if !statements.is_empty() {
            items.push(Item { key, statements });
        }
    };
    let obj = ItemKey::Object;
    for s in c.schemas.values() {
        push(obj(ObjectId::Schema { name: s.name.clone() }), ddl::create_schema(s));
    }
    for e in c.extensions.values() {
        push(obj(ObjectId::Extension { name: e.name.clone() }), ddl::create_extension(e));
    }
    for e in c.enums.values() {
        push(obj(ObjectId::Type { name: e.name.clone() }), ddl::create_enum(e));
    }
    for d in c.domains.values() {
        push(obj(ObjectId::Type { name: d.name.clone() }), ddl::create_domain(d));
    }
    for t in c.composites.values() {
        push(obj(ObjectId::Type { name: t.name.clone() }), ddl::create_composite(t));
    }
    for r in c.ranges.values() {
        push(obj(ObjectId::Type { name: r.name.clone() }), ddl::create_range(r));
    }
    for s in c.sequences.values() {
        push(obj(ObjectId::Sequence { name: s.name.clone() }), ddl::create_sequence(s));
        if let Some(owned) = ddl::sequence_owned_by(s) {
            push(ItemKey::SequenceOwner(s.name.clone()), vec![owned]);
        }
    }
    for f in c.functions.values() {
        push(obj(ObjectId::Function { id: f.id.clone() }), ddl::create_function(f));
    }
    for t in c.tables.values() {
        push(obj(ObjectId::Table { name: t.name.clone() }), ddl::create_table(t));
        for con in t.constraints.values().filter(|con| !ddl::is_inline_constraint(con)) {
            let id = ObjectId::Constraint { table: t.name.clone(), name: con.name.clone() };
            push(obj(id), ddl::add_constraint(t, con));
        }
    }
    for i in c.indexes.values() {
        push(obj(ObjectId::Index { name: i.name.clone() }), ddl::create_index(i));
    }
    for v in c.views.values() {
        push(obj(ObjectId::View { name: v.name.clone() }), ddl::create_view(v));
    }
    for t in c.triggers.values() {
        let id = ObjectId::Trigger { table: t.table.clone(), name: t.name.clone() };
        push(obj(id), ddl::create_trigger(t));
    }
    items
}

fn sort(catalog: &Catalog, items: &[Item]) -> Result<Vec<usize>, CycleError> {
    let index: HashMap<&ItemKey, usize> = items.iter().enumerate().map(|(i, item)| (&item.key, i)).collect();
    let item_of = |id: &ObjectId| index.get(&creator(catalog, id)).copied();
    let mut edges: Vec<(usize, usize)> =
        catalog.dependencies.iter().filter_map(|d| Some((item_of(d.to)?, item_of(d.from)?))).collect();
    for s in catalog.sequences.values() {
        let owner = ItemKey::SequenceOwner(s.name.clone());
        if let (Some(&o), Some((table, _))) = (index.get(&owner), &s.owned_by) {
            let table = ObjectId::Table { name: table.clone() };
            edges.extend(item_of(&table).map(|t| (t, o)));
            edges.extend(item_of(&ObjectId::Sequence { name: s.name.clone() }).map(|seq| (seq, o)));
        }
    }
    let nodes: Vec<Node<String, (u8, String)>> = items
        .iter()
        .map(|item| Node {
            group: group(&item.key, catalog),
            key: (rank(&item.key), format!("{:?}", item.key)),
        })
        .collect();
    order::order(&nodes, &edges).map_err(|e| {
        let describe = |key: &ItemKey| match key {
            ItemKey::Object(id) => format!("{} {id}", id.kind_name()),
            ItemKey::SequenceOwner(name) => format!("owner of sequence {name}"),
        };
        let mut members: Vec<String> = e.nodes.iter().map(|&i| describe(&items[i].key)).collect();
        members.sort();
        CycleError { members, nodes: e.nodes }
    })
}

/// The item that creates `id`: a column is created by its table or view, an
/// inline constraint by its table.
fn creator(catalog: &Catalog, id: &ObjectId) -> ItemKey {
    let relation = |name: &QualName| {
        if catalog.views.contains_key(name) {
            ObjectId::View { name: name.clone() }
        } else {
            ObjectId::Table { name: name.clone() }
        }
    };
    let created_by = match id {
        ObjectId::Column { table, .. } | ObjectId::ColumnDefault { table, .. } => relation(table),
        ObjectId::Constraint { table, name } => {
            let inline = catalog
                .tables
                .get(table)
                .and_then(|t| t.constraints.get(name))
                .is_none_or(|c| ddl::is_inline_constraint(c));
            if inline {
                relation(table)
            } else {
                id.clone()
            }
        }
        other => other.clone(),
    };
    ItemKey::Object(created_by)
}
