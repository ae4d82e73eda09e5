//! The whole pipeline on random schema pairs: a generated schema A, and B
//! derived from it by random edits (columns added, dropped, retyped, new
//! defaults, indexes, constraints, enum values added, removed, reordered,
//! tables and views added and dropped, comments). For each pair: build A
//! with psql, `pgrecon apply` the files of B, then the database must equal
//! B built fresh (normalized pg_dump, column order aside) and a second
//! `pgrecon plan` must find nothing to do.
//!
//! `PGRECON_SOAK_CASES` sets the number of pairs (default 12; `make soak`
//! runs 300). A failure prints both SQL texts, ready to become a scenario
//! under `tests/scenarios/`.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;
use std::time::Instant;

use pgrecon::quote::literal;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};

use crate::support::*;

// ---------------------------------------------------------------------------
// The model of a generated schema. Names are simple lower-case words, unique
// across schemas (t3, v1, e0), so references need no schema.

#[derive(Debug, Clone, PartialEq)]
enum Type {
    Int,
    BigInt,
    Text,
    Varchar(u16),
    Numeric(u8, u8),
    Boolean,
    Timestamptz,
    Jsonb,
    Uuid,
    Enum(String),
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    ty: Type,
    not_null: bool,
    /// Which default of the type's few (see `default_sql`).
    default: Option<u8>,
    /// `Some(true)`: GENERATED ALWAYS; `Some(false)`: BY DEFAULT.
    identity: Option<bool>,
    comment: Option<String>,
}

#[derive(Debug, Clone)]
struct Check {
    name: String,
    column: String,
    /// Which condition of the column type's few (see `condition_sql`).
    variant: u8,
}

#[derive(Debug, Clone)]
struct Unique {
    name: String,
    columns: Vec<String>,
}

#[derive(Debug, Clone)]
struct ForeignKey {
    name: String,
    column: String,
    /// A table with a single-column primary key.
    target: String,
    cascade: bool,
}

#[derive(Debug, Clone)]
struct IndexDef {
    name: String,
    /// Column and descending.
    keys: Vec<(String, bool)>,
    unique: bool,
    /// Partial index: a condition on this column.
    predicate: Option<(String, u8)>,
    comment: Option<String>,
}

#[derive(Debug, Clone)]
struct Table {
    name: String,
    /// `public` or `app`.
    schema: &'static str,
    columns: Vec<Column>,
    primary_key: Option<String>,
    uniques: Vec<Unique>,
    checks: Vec<Check>,
    foreign_keys: Vec<ForeignKey>,
    indexes: Vec<IndexDef>,
    comment: Option<String>,
}

#[derive(Debug, Clone)]
struct View {
    name: String,
    table: String,
    columns: Vec<String>,
    filter: Option<(String, u8)>,
    comment: Option<String>,
}

#[derive(Debug, Clone)]
struct Enum {
    name: String,
    values: Vec<String>,
    comment: Option<String>,
}

#[derive(Debug, Clone)]
struct Schema {
    /// Whether schema `app` exists (its tables go with it).
    app: bool,
    enums: Vec<Enum>,
    tables: Vec<Table>,
    views: Vec<View>,
}

impl Schema {
    fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

impl Table {
    fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

// ---------------------------------------------------------------------------
// Rendering: the SQL file of a schema, in an order psql accepts

/// Defaults, per type; `v` picks one.
fn default_sql(ty: &Type, v: u8, schema: &Schema) -> String {
    let v = usize::from(v);
    match ty {
        Type::Int | Type::BigInt => ["0", "1", "-7", "42"][v % 4].to_string(),
        Type::Numeric(..) => ["0", "1.5", "-2.25"][v % 3].to_string(),
        Type::Text | Type::Varchar(_) => ["''", "'x'", "'it''s'", "'ü'"][v % 4].to_string(),
        Type::Boolean => ["true", "false"][v % 2].to_string(),
        Type::Timestamptz => ["now()", "'2020-01-01 00:00:00+00'::timestamptz"][v % 2].to_string(),
        Type::Jsonb => ["'{}'::jsonb", "'[]'::jsonb"][v % 2].to_string(),
        Type::Uuid => {
            ["gen_random_uuid()", "'00000000-0000-0000-0000-000000000000'::uuid"][v % 2].to_string()
        }
        Type::Enum(e) => literal(enum_value(schema, e, v)),
    }
}

/// Conditions on a column, per type (CHECKs, partial indexes, view filters).
fn condition_sql(column: &str, ty: &Type, v: u8, schema: &Schema) -> String {
    let v = usize::from(v);
    let c = column;
    match ty {
        Type::Int | Type::BigInt | Type::Numeric(..) => {
            [format!("{c} > 0"), format!("{c} <> 7"), format!("{c} BETWEEN -5 AND 1000")][v % 3].clone()
        }
        Type::Text | Type::Varchar(_) => {
            [format!("length({c}) < 100"), format!("{c} <> ''"), format!("{c} IN ('a', 'b')")][v % 3].clone()
        }
        Type::Boolean => [format!("{c} IS NOT NULL"), format!("{c} <> false")][v % 2].clone(),
        Type::Timestamptz => format!("{c} > '2000-01-01 00:00:00+00'"),
        Type::Jsonb => [format!("jsonb_typeof({c}) <> 'null'"), format!("{c} ? 'k'")][v % 2].clone(),
        Type::Uuid => format!("{c} <> '00000000-0000-0000-0000-000000000000'"),
        Type::Enum(e) => format!("{c} <> {}", literal(enum_value(schema, e, v))),
    }
}

fn enum_value<'a>(schema: &'a Schema, name: &str, v: usize) -> &'a str {
    let values = &schema.enums.iter().find(|e| e.name == name).expect("repaired").values;
    &values[v % values.len()]
}

/// Enums are in `public`: a type moving between schemas would be a drop
/// and a create, which no assignment cast bridges.
fn type_sql(ty: &Type) -> String {
    match ty {
        Type::Int => "integer".into(),
        Type::BigInt => "bigint".into(),
        Type::Text => "text".into(),
        Type::Varchar(n) => format!("varchar({n})"),
        Type::Numeric(p, s) => format!("numeric({p},{s})"),
        Type::Boolean => "boolean".into(),
        Type::Timestamptz => "timestamptz".into(),
        Type::Jsonb => "jsonb".into(),
        Type::Uuid => "uuid".into(),
        Type::Enum(e) => format!("public.{e}"),
    }
}

fn comment_sql(kind: &str, target: &str, comment: &Option<String>) -> Option<String> {
    comment.as_ref().map(|c| format!("COMMENT ON {kind} {target} IS {};\n", literal(c)))
}

fn render(schema: &Schema) -> String {
    let mut sql = String::new();
    let mut comments = String::new();
    if schema.app {
        sql += "CREATE SCHEMA app;\n";
    }
    for e in &schema.enums {
        let name = format!("public.{}", e.name);
        let values: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
        sql += &format!("CREATE TYPE {name} AS ENUM ({});\n", values.join(", "));
        comments.extend(comment_sql("TYPE", &name, &e.comment));
    }
    for t in &schema.tables {
        sql += &table_sql(t, schema);
        comments += &table_comments(t);
    }
    for t in &schema.tables {
        for fk in &t.foreign_keys {
            let target = schema.table(&fk.target).expect("repaired");
            let cascade = if fk.cascade { " ON DELETE CASCADE" } else { "" };
            sql += &format!(
                "ALTER TABLE {}.{} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}.{} ({}){cascade};\n",
                t.schema,
                t.name,
                fk.name,
                fk.column,
                target.schema,
                target.name,
                target.primary_key.as_ref().expect("repaired")
            );
        }
        for i in &t.indexes {
            sql += &index_sql(t, i, schema);
            comments.extend(comment_sql("INDEX", &format!("{}.{}", t.schema, i.name), &i.comment));
        }
    }
    for v in &schema.views {
        let table = schema.table(&v.table).expect("repaired");
        let name = format!("{}.{}", table.schema, v.name);
        let filter = v.filter.as_ref().map_or(String::new(), |(c, variant)| {
            format!(" WHERE {}", condition_sql(c, &table.column(c).expect("repaired").ty, *variant, schema))
        });
        sql += &format!(
            "CREATE VIEW {name} AS SELECT {} FROM {}.{}{filter};\n",
            v.columns.join(", "),
            table.schema,
            table.name
        );
        comments.extend(comment_sql("VIEW", &name, &v.comment));
    }
    sql + &comments
}

fn table_sql(t: &Table, schema: &Schema) -> String {
    let mut elements: Vec<String> = t.columns.iter().map(|c| column_sql(c, schema)).collect();
    if let Some(pk) = &t.primary_key {
        elements.push(format!("PRIMARY KEY ({pk})"));
    }
    for u in &t.uniques {
        elements.push(format!("CONSTRAINT {} UNIQUE ({})", u.name, u.columns.join(", ")));
    }
    for c in &t.checks {
        let ty = &t.column(&c.column).expect("repaired").ty;
        elements.push(format!(
            "CONSTRAINT {} CHECK ({})",
            c.name,
            condition_sql(&c.column, ty, c.variant, schema)
        ));
    }
    format!("CREATE TABLE {}.{} (\n    {}\n);\n", t.schema, t.name, elements.join(",\n    "))
}

fn column_sql(c: &Column, schema: &Schema) -> String {
    let mut sql = format!("{} {}", c.name, type_sql(&c.ty));
    if let Some(always) = c.identity {
        sql += if always { " GENERATED ALWAYS AS IDENTITY" } else { " GENERATED BY DEFAULT AS IDENTITY" };
    }
    if let Some(v) = c.default {
        sql += &format!(" DEFAULT {}", default_sql(&c.ty, v, schema));
    }
    if c.not_null {
        sql += " NOT NULL";
    }
    sql
}

fn index_sql(t: &Table, i: &IndexDef, schema: &Schema) -> String {
    let unique = if i.unique { "UNIQUE " } else { "" };
    let keys: Vec<String> =
        i.keys.iter().map(|(c, desc)| if *desc { format!("{c} DESC") } else { c.clone() }).collect();
    let predicate = i.predicate.as_ref().map_or(String::new(), |(c, v)| {
        format!(" WHERE {}", condition_sql(c, &t.column(c).expect("repaired").ty, *v, schema))
    });
    format!("CREATE {unique}INDEX {} ON {}.{} ({}){predicate};\n", i.name, t.schema, t.name, keys.join(", "))
}

fn table_comments(t: &Table) -> String {
    let name = format!("{}.{}", t.schema, t.name);
    let mut sql = String::new();
    sql.extend(comment_sql("TABLE", &name, &t.comment));
    for c in &t.columns {
        sql.extend(comment_sql("COLUMN", &format!("{name}.{}", c.name), &c.comment));
    }
    sql
}

// ---------------------------------------------------------------------------
// Validity: what PostgreSQL requires, restored after generation and edits
// by dropping or adjusting whatever lost its footing

fn repair(s: &mut Schema) {
    if !s.app {
        s.tables.retain(|t| t.schema != "app");
    }
    for e in &mut s.enums {
        dedup_by(&mut e.values, |s| s);
        if e.values.is_empty() {
            e.values.push("a".into());
        }
    }
    let enums: BTreeSet<String> = s.enums.iter().map(|e| e.name.clone()).collect();
    for t in &mut s.tables {
        repair_table(t, &enums);
    }
    let keys: Vec<(String, Option<Type>)> = s
        .tables
        .iter()
        .map(|t| (t.name.clone(), t.primary_key.as_ref().map(|pk| t.column(pk).unwrap().ty.clone())))
        .collect();
    for t in &mut s.tables {
        let types: Vec<(String, Type)> = t.columns.iter().map(|c| (c.name.clone(), c.ty.clone())).collect();
        t.foreign_keys.retain(|fk| {
            let source = types.iter().find(|(c, _)| *c == fk.column).map(|(_, ty)| ty);
            let target = keys.iter().find(|(name, _)| *name == fk.target).and_then(|(_, ty)| ty.as_ref());
            matches!((source, target), (Some(a), Some(b)) if comparable(a, b))
        });
    }
    let tables = s.tables.clone();
    s.views.retain_mut(|v| {
        let Some(t) = tables.iter().find(|t| t.name == v.table) else { return false };
        v.columns.retain(|c| t.column(c).is_some());
        dedup_by(&mut v.columns, |s| s);
        v.filter = v.filter.take().filter(|(c, _)| t.column(c).is_some());
        !v.columns.is_empty()
    });
}

fn repair_table(t: &mut Table, enums: &BTreeSet<String>) {
    dedup_by(&mut t.columns, |c| &c.name);
    for c in &mut t.columns {
        if matches!(&c.ty, Type::Enum(e) if !enums.contains(e)) {
            c.ty = Type::Text;
        }
        if !matches!(c.ty, Type::Int | Type::BigInt) {
            c.identity = None;
        }
        if c.identity.is_some() {
            c.default = None;
        }
    }
    let columns: Vec<Column> = t.columns.clone();
    let has = |name: &String| columns.iter().any(|c| c.name == *name);
    t.primary_key = t.primary_key.take().filter(has);
    for u in &mut t.uniques {
        u.columns.retain(has);
        dedup_by(&mut u.columns, |s| s);
    }
    t.uniques.retain(|u| !u.columns.is_empty());
    let mut seen = BTreeSet::new();
    t.uniques.retain(|u| seen.insert(u.columns.clone()));
    t.checks.retain(|c| has(&c.column));
    for i in &mut t.indexes {
        i.keys.retain(|(c, _)| has(c));
        dedup_by(&mut i.keys, |k| &k.0);
        i.predicate = i.predicate.take().filter(|(c, _)| has(c));
    }
    t.indexes.retain(|i| !i.keys.is_empty());
}

/// Foreign keys need an equality operator between the two types.
fn comparable(a: &Type, b: &Type) -> bool {
    a == b || matches!((a, b), (Type::Int | Type::BigInt, Type::Int | Type::BigInt))
}

fn dedup_by<T>(items: &mut Vec<T>, name: impl Fn(&T) -> &String) {
    let mut seen = BTreeSet::new();
    items.retain(|i| seen.insert(name(i).clone()));
}

// ---------------------------------------------------------------------------
// Generating A: names drawn from small pools, so that references (keys,
// indexes, foreign keys, views) often hit something; `repair` drops those
// that miss

const ENUM_VALUES: &[&str] = &["new", "active", "done", "failed", "archived", "on hold", "it's", "ü"];
const COMMENTS: &[&str] = &["a comment", "it's quoted", "ünïcode", "another"];

fn column_name() -> impl Strategy<Value = String> {
    (0..6u8).prop_map(|i| format!("c{i}"))
}

fn comment() -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.25, prop::sample::select(COMMENTS).prop_map(str::to_string))
}

fn variant() -> impl Strategy<Value = u8> {
    0..6u8
}

fn column_type() -> impl Strategy<Value = Type> {
    prop_oneof![
        3 => Just(Type::Int),
        2 => Just(Type::BigInt),
        3 => Just(Type::Text),
        2 => (1..200u16).prop_map(Type::Varchar),
        2 => (5..13u8).prop_flat_map(|p| (Just(p), 0..=p.min(4))).prop_map(|(p, s)| Type::Numeric(p, s)),
        1 => Just(Type::Boolean),
        1 => Just(Type::Timestamptz),
        1 => Just(Type::Jsonb),
        1 => Just(Type::Uuid),
        2 => (0..3u8).prop_map(|i| Type::Enum(format!("e{i}"))),
    ]
}

/// Generated parts are unnamed; the part that holds them names them by
/// position (plain `vec` strategies, which shrink by dropping elements).
fn column() -> impl Strategy<Value = Column> {
    (
        column_type(),
        prop::bool::weighted(0.3),
        prop::option::weighted(0.3, variant()),
        prop::option::weighted(0.15, any::<bool>()),
        comment(),
    )
        .prop_map(|(ty, not_null, default, identity, comment)| Column {
            name: String::new(),
            ty,
            not_null,
            default,
            identity,
            comment,
        })
}

fn index_def() -> impl Strategy<Value = IndexDef> {
    (
        prop::collection::vec((column_name(), prop::bool::weighted(0.3)), 1..3),
        prop::bool::weighted(0.3),
        prop::option::weighted(0.3, (column_name(), variant())),
        comment(),
    )
        .prop_map(|(keys, unique, predicate, comment)| IndexDef {
            name: String::new(),
            keys,
            unique,
            predicate,
            comment,
        })
}

/// A table named `""`, its constraints and indexes `_u0`, `_i0`, ...:
/// `renamed_table` puts the table's name in front.
fn table() -> impl Strategy<Value = Table> {
    (
        prop::collection::vec(column(), 1..6),
        prop::option::weighted(0.7, column_name()),
        prop::collection::vec(prop::collection::vec(column_name(), 1..3), 0..2),
        prop::collection::vec((column_name(), variant()), 0..2),
        prop::collection::vec((column_name(), 0..6u8, any::<bool>()), 0..2),
        prop::collection::vec(index_def(), 0..3),
        prop::bool::weighted(0.2),
        comment(),
    )
        .prop_map(|(columns, primary_key, uniques, checks, fks, indexes, in_app, comment)| Table {
            name: String::new(),
            schema: if in_app { "app" } else { "public" },
            columns: numbered(columns, "c", |c, name| c.name = name),
            primary_key,
            uniques: numbered_from(uniques, "_u", |columns, name| Unique { name, columns }),
            checks: numbered_from(checks, "_ck", |(column, variant), name| Check { name, column, variant }),
            foreign_keys: numbered_from(fks, "_fk", |(column, target, cascade), name| ForeignKey {
                name,
                column,
                target: format!("t{target}"),
                cascade,
            }),
            indexes: numbered(indexes, "_i", |i, name| i.name = name),
            comment,
        })
}

/// Names the items `{prefix}0`, `{prefix}1`, ...
fn numbered<T>(mut items: Vec<T>, prefix: &str, name: impl Fn(&mut T, String)) -> Vec<T> {
    for (i, item) in items.iter_mut().enumerate() {
        name(item, format!("{prefix}{i}"));
    }
    items
}

fn numbered_from<S, T>(items: Vec<S>, prefix: &str, build: impl Fn(S, String) -> T) -> Vec<T> {
    items.into_iter().enumerate().map(|(i, item)| build(item, format!("{prefix}{i}"))).collect()
}

fn enum_type() -> impl Strategy<Value = Enum> {
    (prop::collection::vec(prop::sample::select(ENUM_VALUES), 1..5), comment()).prop_map(
        |(values, comment)| Enum {
            name: String::new(),
            values: values.into_iter().map(str::to_string).collect(),
            comment,
        },
    )
}

fn view() -> impl Strategy<Value = View> {
    (
        0..6u8,
        prop::collection::vec(column_name(), 1..4),
        prop::option::weighted(0.4, (column_name(), variant())),
        comment(),
    )
        .prop_map(|(table, columns, filter, comment)| View {
            name: String::new(),
            table: format!("t{table}"),
            columns,
            filter,
            comment,
        })
}

fn schema() -> impl Strategy<Value = Schema> {
    (
        any::<bool>(),
        prop::collection::vec(enum_type(), 0..3),
        prop::collection::vec(table(), 1..5),
        prop::collection::vec(view(), 0..3),
    )
        .prop_map(|(app, enums, tables, views)| {
            let mut s = Schema {
                app,
                enums: numbered(enums, "e", |e, name| e.name = name),
                tables: tables.iter().enumerate().map(|(i, t)| renamed_table(t, &format!("t{i}"))).collect(),
                views: numbered(views, "v", |v, name| v.name = name),
            };
            repair(&mut s);
            s
        })
}

// ---------------------------------------------------------------------------
// Deriving B: edits of A. `Index`es pick among what exists when the edit
// applies; an edit with nothing to act on does nothing.

#[derive(Debug, Clone)]
enum Edit {
    AddColumn(Index, Column),
    DropColumn(Index, Index),
    /// To a type PostgreSQL converts to by assignment (see `retypes`).
    Retype(Index, Index, Index),
    ToggleNotNull(Index, Index),
    SetDefault(Index, Index, Option<u8>),
    SetIdentity(Index, Index, Option<bool>),
    SetPrimaryKey(Index, Option<Index>),
    AddIndex(Index, IndexDef),
    DropIndex(Index, Index),
    AddUnique(Index, Vec<Index>),
    DropUnique(Index, Index),
    AddCheck(Index, Index, u8),
    DropCheck(Index, Index),
    AddForeignKey(Index, Index, Index, bool),
    DropForeignKey(Index, Index),
    AddEnumValue(Index, Index, &'static str),
    RemoveEnumValue(Index, Index),
    ReorderEnum(Index, Index),
    AddEnum(Enum),
    DropEnum(Index),
    AddTable(Table),
    DropTable(Index),
    AddView(View),
    DropView(Index),
    ToggleViewFilter(Index, Index, u8),
    SetComment(Index, Index, Option<String>),
    ToggleApp,
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = any::<Index>;
    prop_oneof![
        3 => (i(), column()).prop_map(|(t, c)| Edit::AddColumn(t, c)),
        2 => (i(), i()).prop_map(|(t, c)| Edit::DropColumn(t, c)),
        4 => (i(), i(), i()).prop_map(|(t, c, ty)| Edit::Retype(t, c, ty)),
        2 => (i(), i()).prop_map(|(t, c)| Edit::ToggleNotNull(t, c)),
        2 => (i(), i(), prop::option::of(variant())).prop_map(|(t, c, d)| Edit::SetDefault(t, c, d)),
        1 => (i(), i(), prop::option::of(any::<bool>())).prop_map(|(t, c, k)| Edit::SetIdentity(t, c, k)),
        1 => (i(), prop::option::of(i())).prop_map(|(t, c)| Edit::SetPrimaryKey(t, c)),
        2 => (i(), index_def()).prop_map(|(t, x)| Edit::AddIndex(t, x)),
        2 => (i(), i()).prop_map(|(t, x)| Edit::DropIndex(t, x)),
        1 => (i(), prop::collection::vec(i(), 1..3)).prop_map(|(t, c)| Edit::AddUnique(t, c)),
        1 => (i(), i()).prop_map(|(t, u)| Edit::DropUnique(t, u)),
        1 => (i(), i(), variant()).prop_map(|(t, c, v)| Edit::AddCheck(t, c, v)),
        1 => (i(), i()).prop_map(|(t, c)| Edit::DropCheck(t, c)),
        1 => (i(), i(), i(), any::<bool>()).prop_map(|(t, c, r, k)| Edit::AddForeignKey(t, c, r, k)),
        1 => (i(), i()).prop_map(|(t, f)| Edit::DropForeignKey(t, f)),
        2 => (i(), i(), prop::sample::select(ENUM_VALUES)).prop_map(|(e, at, v)| Edit::AddEnumValue(e, at, v)),
        1 => (i(), i()).prop_map(|(e, v)| Edit::RemoveEnumValue(e, v)),
        1 => (i(), i()).prop_map(|(e, v)| Edit::ReorderEnum(e, v)),
        1 => enum_type().prop_map(Edit::AddEnum),
        1 => i().prop_map(Edit::DropEnum),
        1 => table().prop_map(Edit::AddTable),
        1 => i().prop_map(Edit::DropTable),
        1 => view().prop_map(Edit::AddView),
        1 => i().prop_map(Edit::DropView),
        1 => (i(), i(), variant()).prop_map(|(v, c, x)| Edit::ToggleViewFilter(v, c, x)),
        2 => (i(), i(), comment()).prop_map(|(o, c, x)| Edit::SetComment(o, c, x)),
        1 => Just(Edit::ToggleApp),
    ]
}

/// Types a column of `ty` converts to with an assignment cast (what
/// `ALTER COLUMN ... TYPE` does without `USING`).
fn retypes(ty: &Type) -> Vec<Type> {
    let mut to = vec![Type::Text, Type::Varchar(255)];
    match ty {
        Type::Int => to.extend([Type::BigInt, Type::Numeric(12, 2)]),
        Type::BigInt => to.extend([Type::Int, Type::Numeric(12, 0)]),
        Type::Numeric(p, s) => {
            to.extend([Type::Int, Type::BigInt, Type::Numeric(*p + 2, *s), Type::Numeric(*p, 0)])
        }
        Type::Varchar(n) => to.push(Type::Varchar(n / 2 + 1)),
        _ => {}
    }
    to.retain(|t| t != ty);
    to
}

/// A fresh name: `prefix` and the first number not taken. Added columns
/// and tables get prefixes A never uses: a name of A dropped and added
/// again with another type would be a type change without a cast.
fn fresh(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    (0..).map(|i| format!("{prefix}{i}")).find(|n| !taken(n)).unwrap()
}

fn pick<'a, T>(items: &'a mut [T], i: &Index) -> Option<&'a mut T> {
    if items.is_empty() {
        None
    } else {
        let k = i.index(items.len());
        items.get_mut(k)
    }
}

fn remove<T>(items: &mut Vec<T>, i: &Index) {
    if !items.is_empty() {
        items.remove(i.index(items.len()));
    }
}

fn apply_edit(s: &mut Schema, edit: &Edit) {
    let enum_names: Vec<String> = s.enums.iter().map(|e| e.name.clone()).collect();
    let table_names: Vec<String> = s.tables.iter().map(|t| t.name.clone()).collect();
    match edit {
        Edit::AddColumn(t, c) => {
            if let Some(t) = pick(&mut s.tables, t) {
                let name = fresh("n", |n| t.column(n).is_some());
                t.columns.push(Column { name, ..c.clone() });
            }
        }
        Edit::DropColumn(t, c) => {
            if let Some(t) = pick(&mut s.tables, t) {
                remove(&mut t.columns, c);
            }
        }
        Edit::Retype(t, c, ty) => {
            if let Some(c) = pick(&mut s.tables, t).and_then(|t| pick(&mut t.columns, c)) {
                let to = retypes(&c.ty);
                c.ty = to[ty.index(to.len())].clone();
            }
        }
        Edit::ToggleNotNull(t, c) => {
            if let Some(c) = pick(&mut s.tables, t).and_then(|t| pick(&mut t.columns, c)) {
                c.not_null = !c.not_null;
            }
        }
        Edit::SetDefault(t, c, d) => {
            if let Some(c) = pick(&mut s.tables, t).and_then(|t| pick(&mut t.columns, c)) {
                c.default = *d;
            }
        }
        Edit::SetIdentity(t, c, k) => {
            if let Some(c) = pick(&mut s.tables, t).and_then(|t| pick(&mut t.columns, c)) {
                c.identity = *k;
            }
        }
        Edit::SetPrimaryKey(t, c) => {
            if let Some(t) = pick(&mut s.tables, t) {
                let names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
                t.primary_key =
                    c.as_ref().filter(|_| !names.is_empty()).map(|c| names[c.index(names.len())].clone());
            }
        }
        Edit::AddIndex(t, x) => {
            if let Some(t) = pick(&mut s.tables, t) {
                let prefix = format!("{}_i", t.name);
                let name = fresh(&prefix, |n| t.indexes.iter().any(|i| i.name == n));
                t.indexes.push(IndexDef { name, ..x.clone() });
            }
        }
        Edit::DropIndex(t, x) => {
            if let Some(t) = pick(&mut s.tables, t) {
                remove(&mut t.indexes, x);
            }
        }
        Edit::AddUnique(t, cols) => {
            if let Some(t) = pick(&mut s.tables, t).filter(|t| !t.columns.is_empty()) {
                let columns = cols.iter().map(|c| t.columns[c.index(t.columns.len())].name.clone()).collect();
                let name = fresh(&format!("{}_u", t.name), |n| t.uniques.iter().any(|u| u.name == n));
                t.uniques.push(Unique { name, columns });
            }
        }
        Edit::DropUnique(t, u) => {
            if let Some(t) = pick(&mut s.tables, t) {
                remove(&mut t.uniques, u);
            }
        }
        Edit::AddCheck(t, c, variant) => {
            if let Some(t) = pick(&mut s.tables, t).filter(|t| !t.columns.is_empty()) {
                let column = t.columns[c.index(t.columns.len())].name.clone();
                let name = fresh(&format!("{}_ck", t.name), |n| t.checks.iter().any(|k| k.name == n));
                t.checks.push(Check { name, column, variant: *variant });
            }
        }
        Edit::DropCheck(t, c) => {
            if let Some(t) = pick(&mut s.tables, t) {
                remove(&mut t.checks, c);
            }
        }
        Edit::AddForeignKey(t, c, target, cascade) => {
            if let Some(t) = pick(&mut s.tables, t).filter(|t| !t.columns.is_empty()) {
                let column = t.columns[c.index(t.columns.len())].name.clone();
                let target = table_names[target.index(table_names.len())].clone();
                let name = fresh(&format!("{}_fk", t.name), |n| t.foreign_keys.iter().any(|f| f.name == n));
                t.foreign_keys.push(ForeignKey { name, column, target, cascade: *cascade });
            }
        }
        Edit::DropForeignKey(t, f) => {
            if let Some(t) = pick(&mut s.tables, t) {
                remove(&mut t.foreign_keys, f);
            }
        }
        Edit::AddEnumValue(e, at, value) => {
            if let Some(e) = pick(&mut s.enums, e) {
                let at = at.index(e.values.len() + 1);
                e.values.insert(at, value.to_string());
            }
        }
        Edit::RemoveEnumValue(e, v) => {
            if let Some(e) = pick(&mut s.enums, e) {
                remove(&mut e.values, v);
            }
        }
        Edit::ReorderEnum(e, v) => {
            if let Some(e) = pick(&mut s.enums, e) {
                // One value moved to the end: a reorder PostgreSQL's
                // ADD VALUE cannot express.
                let value = e.values.remove(v.index(e.values.len()));
                e.values.push(value);
            }
        }
        Edit::AddEnum(e) => {
            let name = fresh("e", |n| enum_names.iter().any(|e| e == n));
            s.enums.push(Enum { name, ..e.clone() });
        }
        Edit::DropEnum(e) => remove(&mut s.enums, e),
        Edit::AddTable(t) => {
            let name = fresh("tn", |n| table_names.iter().any(|t| t == n));
            s.tables.push(renamed_table(t, &name));
        }
        Edit::DropTable(t) => remove(&mut s.tables, t),
        Edit::AddView(v) => {
            let name = fresh("v", |n| s.views.iter().any(|v| v.name == n));
            s.views.push(View { name, ..v.clone() });
        }
        Edit::DropView(v) => remove(&mut s.views, v),
        Edit::ToggleViewFilter(v, c, variant) => {
            if let Some(v) = pick(&mut s.views, v) {
                let column = v.columns[c.index(v.columns.len())].clone();
                v.filter = if v.filter.is_some() { None } else { Some((column, *variant)) };
            }
        }
        Edit::SetComment(o, c, text) => set_comment(s, o, c, text.clone()),
        Edit::ToggleApp => s.app = !s.app,
    }
}

/// A generated table (named `""`) under a name, its constraints' and
/// indexes' names prefixed with it.
fn renamed_table(t: &Table, name: &str) -> Table {
    let rename = |n: &str| format!("{name}{n}");
    let mut t = t.clone();
    t.uniques.iter_mut().for_each(|u| u.name = rename(&u.name));
    t.checks.iter_mut().for_each(|c| c.name = rename(&c.name));
    t.foreign_keys.iter_mut().for_each(|f| f.name = rename(&f.name));
    t.indexes.iter_mut().for_each(|i| i.name = rename(&i.name));
    t.name = name.to_string();
    t
}

/// The comment of a table, one of its columns, a view or an enum.
fn set_comment(s: &mut Schema, object: &Index, column: &Index, text: Option<String>) {
    let count = s.tables.len() + s.views.len() + s.enums.len();
    if count == 0 {
        return;
    }
    let k = object.index(count);
    if k < s.tables.len() {
        let t = &mut s.tables[k];
        match pick(&mut t.columns, column) {
            Some(c) if column.index(2) == 0 => c.comment = text,
            _ => t.comment = text,
        }
    } else if k < s.tables.len() + s.views.len() {
        s.views[k - s.tables.len()].comment = text;
    } else {
        s.enums[k - s.tables.len() - s.views.len()].comment = text;
    }
}

/// A and B, shown as the SQL files they are.
#[derive(Clone)]
struct Pair {
    a: Schema,
    b: Schema,
}

impl fmt::Debug for Pair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n-- a.sql\n{}\n-- b.sql\n{}", render(&self.a), render(&self.b))
    }
}

fn pair() -> impl Strategy<Value = Pair> {
    (schema(), prop::collection::vec(edit(), 2..14)).prop_map(|(a, edits)| {
        let mut b = a.clone();
        for e in &edits {
            apply_edit(&mut b, e);
        }
        repair(&mut b);
        Pair { a, b }
    })
}

// ---------------------------------------------------------------------------
// The property

fn cases() -> u32 {
    std::env::var("PGRECON_SOAK_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(12)
}

#[test]
fn random_schema_pairs_converge() {
    // Each case costs seconds of databases: shrinking stops after five
    // minutes with the smallest pair found so far.
    let config =
        Config { cases: cases(), failure_persistence: None, max_shrink_time: 300_000, ..Config::default() };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut runner = TestRunner::new(config);
    let count = std::cell::Cell::new(0);
    let result = runner.run(&pair(), |pair| {
        let n = count.get() + 1;
        count.set(n);
        let started = Instant::now();
        let outcome = runtime.block_on(converges(&pair));
        let summary = outcome.as_deref().unwrap_or("FAILED");
        eprintln!("pair {n} in {:.1?}: {summary}", started.elapsed());
        outcome.map(drop).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Applies B's files over A and checks the result; `Ok` is the plan's
/// first line.
async fn converges(pair: &Pair) -> Result<String, String> {
    let (a, b) = (render(&pair.a), render(&pair.b));
    let dir = files_dir();
    let b_file = dir.join("b.sql");
    std::fs::write(&b_file, &b).unwrap();
    let live = TestDb::create("prop_live").await;
    let fresh = TestDb::create("prop_fresh").await;
    let result = check(&live, &fresh, &a, &b, &b_file);
    drop_database(&live).await;
    drop_database(&fresh).await;
    std::fs::remove_dir_all(&dir).unwrap();
    result
}

fn check(
    live: &TestDb,
    fresh: &TestDb,
    a: &str,
    b: &str,
    b_file: &std::path::Path,
) -> Result<String, String> {
    live.try_psql_text(a).map_err(|e| format!("generated A is not valid SQL: {e}"))?;
    fresh.try_psql_text(b).map_err(|e| format!("generated B is not valid SQL: {e}"))?;
    let schema = b_file.to_str().unwrap();
    let apply = pgrecon(&["apply", "--db", &live.url, "--schema", schema, "--yes", "--allow-data-loss"]);
    if !apply.status.success() {
        return Err(format!("apply failed:\n{}{}", stdout(&apply), stderr(&apply)));
    }
    let (expected, actual) = (fresh.normalized_schema(), live.normalized_schema());
    if expected != actual {
        let diff = similar::TextDiff::from_lines(&expected, &actual)
            .unified_diff()
            .context_radius(2)
            .header("fresh build of B", "A after apply")
            .to_string();
        return Err(format!(
            "schema differs from a fresh build:\n{diff}\napply printed:\n{}",
            stdout(&apply)
        ));
    }
    let plan = pgrecon(&["plan", "--db", &live.url, "--schema", schema, "--format", "sql"]);
    if plan.status.code() != Some(0) {
        return Err(format!("second plan is not empty:\n{}{}", stdout(&plan), stderr(&plan)));
    }
    Ok(stdout(&apply).lines().next().unwrap_or_default().to_string())
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn files_dir() -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = cluster().dir().join(format!("property-{n}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Hundreds of cases would otherwise leave hundreds of databases behind.
async fn drop_database(db: &TestDb) {
    let admin = client_for(&cluster().url("postgres")).await;
    let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pgrecon::quote::ident(&db.name));
    admin.batch_execute(&sql).await.expect("drop database");
}
