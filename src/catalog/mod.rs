//! The catalog model: one set of types that both the live database and the
//! desired state are read into, so the two are compared model to model.
//!
//! Invariants:
//! - No OIDs or other per-database accidents: introspecting two databases with
//!   the same schema gives equal models.
//! - Definitions that PostgreSQL deparses (`pg_get_*def`, `pg_get_expr`,
//!   `format_type`) are stored as PostgreSQL printed them, with every name
//!   schema-qualified (introspection runs with an empty `search_path`).
//! - Structured fields sit next to the deparsed text: planners reason with
//!   the fields and create objects from the text.
//! - Maps are `BTreeMap`s so every walk over the model is deterministic.

mod deps;
mod id;
mod keyed;

pub use deps::{Dependencies, Dependency, Edge, EdgesBuilder};
pub use id::{FunctionId, ObjectId, QualName, SharingNames, ASIDE_SUFFIX};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Tables and indexes are behind `Arc`s, and the dependency edges share
/// their storage (see `deps`): the renamed copy of a live model
/// (`diff::rename_catalog`) shares them and replaces only what a rename
/// reaches, where a deep copy would cost more than the whole diff at
/// 10,000 tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    #[serde(with = "keyed")]
    pub schemas: BTreeMap<String, Schema>,
    #[serde(with = "keyed")]
    pub extensions: BTreeMap<String, Extension>,
    #[serde(with = "keyed")]
    pub enums: BTreeMap<QualName, EnumType>,
    #[serde(with = "keyed")]
    pub domains: BTreeMap<QualName, Domain>,
    #[serde(with = "keyed")]
    pub composites: BTreeMap<QualName, CompositeType>,
    #[serde(default, with = "keyed")]
    pub ranges: BTreeMap<QualName, RangeType>,
    #[serde(with = "keyed")]
    pub sequences: BTreeMap<QualName, Sequence>,
    #[serde(with = "keyed")]
    pub tables: BTreeMap<QualName, Arc<Table>>,
    #[serde(with = "keyed")]
    pub views: BTreeMap<QualName, View>,
    #[serde(with = "keyed")]
    pub indexes: BTreeMap<QualName, Arc<Index>>,
    #[serde(with = "keyed")]
    pub triggers: BTreeMap<(QualName, String), Trigger>,
    #[serde(with = "keyed")]
    pub functions: BTreeMap<FunctionId, Function>,
    /// `from` depends on `to` (from `pg_depend`, translated to identities).
    pub dependencies: Dependencies,
    /// Objects present in the database that pgrecon does not manage.
    pub unmanaged: Vec<Unmanaged>,
    /// Managed objects that use one pgrecon does not manage (a view over a
    /// partitioned table, a column of a collation made by CREATE COLLATION).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uses_unmanaged: Vec<(ObjectId, Unmanaged)>,
    /// Managed objects that one pgrecon does not manage uses (a column a
    /// policy reads).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub used_by_unmanaged: Vec<(ObjectId, Unmanaged)>,
}

impl Catalog {
    /// Whether a table, view, sequence or index of the model is named
    /// `name` (keys' indexes and identities' sequences, kept inside their
    /// tables, are in [`Catalog::relations_inside_tables`]).
    pub fn lists_relation(&self, name: &QualName) -> bool {
        self.tables.contains_key(name)
            || self.views.contains_key(name)
            || self.sequences.contains_key(name)
            || self.indexes.contains_key(name)
    }

    /// The relations the model keeps inside tables: each key's index (named
    /// as the key, in its table's schema) and each identity's sequence.
    pub fn relations_inside_tables(&self) -> impl Iterator<Item = QualName> + '_ {
        self.tables.values().flat_map(|t| {
            let keys = t.constraints.values().filter(|c| c.kind.has_index());
            let keys = keys.map(|c| QualName::new(t.name.schema.clone(), c.name.as_str()));
            let identities = t.columns.iter().filter_map(|c| c.identity.as_ref().map(|i| i.sequence.clone()));
            keys.chain(identities)
        })
    }

    /// The unmanaged objects of this model that `other` does not have (both
    /// lists sorted, as introspection leaves them): those of the desired
    /// files that the database lacks.
    pub fn unmanaged_missing_from<'a>(
        &'a self,
        other: &'a Catalog,
    ) -> impl Iterator<Item = &'a Unmanaged> + 'a {
        self.unmanaged.iter().filter(|u| other.unmanaged.binary_search(u).is_err())
    }

    /// What `from` depends on directly: a binary search, so planners look
    /// up the few objects they change instead of walking every edge.
    pub fn dependencies_of<'a>(&'a self, from: &ObjectId) -> impl Iterator<Item = &'a ObjectId> + 'a {
        self.dependencies.of(from)
    }

    /// Whether the object is in this catalog.
    pub fn contains(&self, id: &ObjectId) -> bool {
        let c = self;
        match id {
            ObjectId::Schema { name } => c.schemas.contains_key(name),
            ObjectId::Extension { name } => c.extensions.contains_key(name),
            ObjectId::Type { name } => {
                c.enums.contains_key(name)
                    || c.domains.contains_key(name)
                    || c.composites.contains_key(name)
                    || c.ranges.contains_key(name)
            }
            ObjectId::Sequence { name } => c.sequences.contains_key(name),
            ObjectId::Table { name } => c.tables.contains_key(name),
            // Views have columns too (what indexes on materialized views use).
            ObjectId::Column { table, column } => {
                c.tables.get(table).is_some_and(|t| t.column(column).is_some())
                    || c.views.get(table).is_some_and(|v| v.columns.contains(column))
            }
            ObjectId::ColumnDefault { table, column } => c
                .tables
                .get(table)
                .and_then(|t| t.column(column))
                .is_some_and(|c| c.default.is_some() || c.generated.is_some()),
            ObjectId::Constraint { table, name } => {
                c.tables.get(table).is_some_and(|t| t.constraints.contains_key(name))
            }
            ObjectId::Index { name } => c.indexes.contains_key(name),
            ObjectId::Trigger { table, name } => c.triggers.contains_key(&(table.clone(), name.clone())),
            ObjectId::View { name } => c.views.contains_key(name),
            ObjectId::Function { id } => c.functions.contains_key(id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub name: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    pub schema: String,
    pub version: String,
    /// Its objects can move to another schema (`ALTER EXTENSION ... SET
    /// SCHEMA`) rather than the extension be dropped and created again.
    #[serde(default)]
    pub relocatable: bool,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    pub name: QualName,
    /// Labels in their sort order.
    pub values: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    pub name: QualName,
    /// `format_type()` of the base type, typmod included.
    pub base_type: String,
    pub collation: Option<String>,
    pub default: Option<String>,
    pub not_null: bool,
    /// The name of the NOT NULL constraint (PostgreSQL 17 keeps one); `None`
    /// before 17 or when the domain allows NULL. Like a column's, it stays
    /// when the domain is renamed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_null_name: Option<String>,
    #[serde(with = "keyed")]
    pub constraints: BTreeMap<String, DomainConstraint>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainConstraint {
    pub name: String,
    /// `pg_get_constraintdef()`: `CHECK (...)`, with `NOT VALID` if so.
    pub definition: String,
    pub validated: bool,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositeType {
    pub name: QualName,
    pub attributes: Vec<CompositeAttribute>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositeAttribute {
    pub name: String,
    pub type_name: String,
    pub collation: Option<String>,
    pub comment: Option<String>,
}

/// A range type: what `CREATE TYPE ... AS RANGE (...)` takes, as the
/// server prints it (`subtype = double precision, subtype_diff = float8mi`:
/// the subtype, and the operator class, collation, canonical and
/// difference functions where they are not the defaults), and the name of
/// its multirange type (PostgreSQL 14 and later), created with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeType {
    pub name: QualName,
    pub options: String,
    pub multirange: Option<QualName>,
    pub comment: Option<String>,
}

impl CompositeType {
    pub fn attribute(&self, name: &str) -> Option<&CompositeAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: QualName,
    pub options: SequenceOptions,
    /// `OWNED BY table.column`: dropped together with that column.
    pub owned_by: Option<(QualName, String)>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: QualName,
    /// In `attnum` order. Shared: a model read next to an equal one shares
    /// the other's columns (`introspect::Reuse`), most of a table's size.
    pub columns: Arc<Vec<Column>>,
    #[serde(with = "keyed")]
    /// Boxed values: a B-tree node holds eleven entries however few a
    /// table has, which unboxed cost 2.5 KB per table.
    pub constraints: BTreeMap<String, Box<Constraint>>,
    pub unlogged: bool,
    /// Storage parameters (`reloptions`), e.g. `fillfactor=70`.
    pub options: Vec<String>,
    pub comment: Option<String>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Gives back the room decoding left in its lists: serde grows a list
    /// by doubling when its length is not known up front (as in JSON), so
    /// ten columns take the room of sixteen.
    pub fn shrink_to_fit(&mut self) {
        if let Some(columns) = Arc::get_mut(&mut self.columns) {
            columns.shrink_to_fit();
        }
        for constraint in self.constraints.values_mut() {
            constraint.columns.shrink_to_fit();
            if let Some(fk) = &mut constraint.foreign_key {
                fk.columns.shrink_to_fit();
            }
        }
        self.options.shrink_to_fit();
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// `format_type(atttypid, atttypmod)`: typmod and array bounds included.
    pub type_name: String,
    /// Only when it differs from the type's default collation.
    pub collation: Option<String>,
    pub not_null: bool,
    /// The name of the NOT NULL constraint (PostgreSQL 18 keeps one in
    /// `pg_constraint`); `None` before 18 or when the column is nullable.
    /// A rename of the table or column leaves it as it was, while a fresh
    /// build names it after the new names, so it is compared and renamed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_null_name: Option<String>,
    pub default: Option<String>,
    /// Boxed: rare, and three times the size of the rest of a column.
    pub identity: Option<Box<Identity>>,
    /// Expression of a `GENERATED ALWAYS AS (...)` column.
    pub generated: Option<String>,
    /// A generated column computed when read (PostgreSQL 18's `VIRTUAL`),
    /// not stored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generated_virtual: bool,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `ALWAYS` rather than `BY DEFAULT`.
    pub always: bool,
    pub sequence: QualName,
    pub options: SequenceOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    Exclude,
}

impl ConstraintKind {
    /// A primary key, unique or exclusion constraint: it has an index of
    /// its name, in its table's schema (a relation name, taken or freed
    /// with it).
    pub fn has_index(self) -> bool {
        matches!(self, ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclude)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    pub name: String,
    pub kind: ConstraintKind,
    /// `pg_get_constraintdef()`, e.g. `FOREIGN KEY (a) REFERENCES s.t(id) ON DELETE CASCADE`.
    pub definition: String,
    pub columns: Vec<String>,
    pub foreign_key: Option<ForeignKey>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub validated: bool,
    pub no_inherit: bool,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub table: QualName,
    pub columns: Vec<String>,
    /// `pg_constraint.confmatchtype`: `s` simple, `f` full, `p` partial.
    pub match_type: char,
    /// `a` no action, `r` restrict, `c` cascade, `n` set null, `d` set default.
    pub on_update: char,
    pub on_delete: char,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: QualName,
    /// The table or materialized view it indexes.
    pub table: QualName,
    pub unique: bool,
    pub nulls_not_distinct: bool,
    pub method: String,
    pub key: Vec<IndexKey>,
    /// `INCLUDE (...)` columns.
    pub include: Vec<String>,
    pub predicate: Option<String>,
    pub options: Vec<String>,
    /// `pg_get_indexdef()`: the whole `CREATE INDEX` statement.
    pub definition: String,
    /// False for an index left INVALID by a failed concurrent build.
    pub valid: bool,
    pub comment: Option<String>,
}

impl Index {
    /// See [`Table::shrink_to_fit`]: a one-key index decoded holds room
    /// for four keys.
    pub fn shrink_to_fit(&mut self) {
        self.key.shrink_to_fit();
        self.include.shrink_to_fit();
        self.options.shrink_to_fit();
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    /// A column name (quoted as needed) or an expression: a function call
    /// as `pg_get_indexdef` prints it (`lower(email)`), anything else
    /// parenthesised.
    pub expression: String,
    /// The operator class when it is not the type's default.
    pub opclass: Option<String>,
    /// The collation when it is not the key's own.
    pub collation: Option<String>,
    pub descending: bool,
    pub nulls_first: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    Before,
    After,
    InsteadOf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEvent {
    Insert,
    Update,
    Delete,
    Truncate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub table: QualName,
    pub name: String,
    pub timing: TriggerTiming,
    pub events: Vec<TriggerEvent>,
    /// `UPDATE OF col, ...`.
    pub update_columns: Vec<String>,
    pub for_each_row: bool,
    pub when: Option<String>,
    pub function: QualName,
    pub arguments: Vec<String>,
    /// A `CONSTRAINT TRIGGER`.
    pub constraint: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// `pg_trigger.tgenabled`: `O` origin (default), `D` disabled, `R` replica, `A` always.
    pub enabled: char,
    /// `pg_get_triggerdef()`: the whole `CREATE TRIGGER` statement.
    pub definition: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutineKind {
    Function,
    Procedure,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub id: FunctionId,
    pub kind: RoutineKind,
    /// `pg_get_function_arguments()`: names, modes and defaults.
    pub arguments: String,
    /// `pg_get_function_result()`; `None` for procedures.
    pub returns: Option<String>,
    pub language: String,
    /// `i` immutable, `s` stable, `v` volatile.
    pub volatility: char,
    pub strict: bool,
    pub security_definer: bool,
    pub leakproof: bool,
    /// `s` safe, `r` restricted, `u` unsafe.
    pub parallel: char,
    /// `SET name = value` settings, e.g. `search_path=pg_catalog, public`.
    pub config: Vec<String>,
    /// `pg_get_functiondef()`: the whole `CREATE OR REPLACE` statement.
    pub definition: String,
    pub comment: Option<String>,
}

impl Function {
    /// Whether each argument has a default.
    pub fn defaults(&self) -> impl Iterator<Item = bool> + '_ {
        self.arguments.split(", ").map(|a| a.contains(" DEFAULT "))
    }

    /// The argument list without `DEFAULT` clauses: what must stay the same
    /// for `CREATE OR REPLACE` to work.
    pub fn arguments_without_defaults(&self) -> String {
        self.arguments
            .split(", ")
            .map(|a| a.split(" DEFAULT ").next().unwrap_or(a))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: QualName,
    pub materialized: bool,
    /// `pg_get_viewdef()`: the query, columns aliased to the view's names.
    pub query: String,
    pub columns: Vec<String>,
    /// `reloptions`, e.g. `security_barrier=true`, `check_option=local`.
    pub options: Vec<String>,
    pub column_comments: BTreeMap<String, String>,
    pub comment: Option<String>,
}

/// Something in the database that pgrecon does not manage yet. It is listed,
/// never silently skipped, so nobody believes a schema is fully managed when
/// part of it is not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unmanaged {
    /// E.g. `policy`, `foreign table`, `rule`, `aggregate`.
    pub kind: String,
    /// A readable, quoted name.
    pub name: String,
}
