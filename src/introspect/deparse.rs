//! Index and key-constraint definitions assembled from catalog numbers,
//! word for word as `pg_get_indexdef` and `pg_get_constraintdef` print them
//! (src/backend/utils/adt/ruleutils.c).
//!
//! Why not ask the server: on a fresh backend each of those calls fills the
//! catalog caches for its index (and scans `pg_opclass` to find the default
//! operator class of every key), tens of microseconds per call — most of the
//! time of introspecting a 10,000-table database. Everything they print for
//! a key made of columns is in `pg_index`, `pg_constraint` and a few small
//! catalogs that are read once. Expressions and predicates still come from
//! the server (they need its deparser). A test compares every assembled
//! definition with the server's for a corpus of index and key shapes.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use tokio_postgres::Row;

use crate::quote;

/// A column as index and constraint definitions need it.
pub(super) struct Attribute {
    pub name: String,
    pub type_oid: u32,
    pub collation: u32,
}

struct OpClass {
    method: u32,
    name: String,
    schema: String,
    is_default: bool,
    input_type: u32,
}

#[derive(Clone, Copy)]
struct TypeFacts {
    typtype: char,
    category: char,
    preferred: bool,
    base_type: u32,
    is_composite: bool,
    is_array: bool,
    is_composite_array: bool,
}

/// The small catalogs read once per introspection.
#[derive(Default)]
pub(super) struct Lookups {
    opclasses: HashMap<u32, OpClass>,
    types: HashMap<u32, TypeFacts>,
    binary_casts: HashSet<(u32, u32)>,
    collations: HashMap<u32, (String, String)>,
    /// `default_opclass` answers by (type, method): a schema has few distinct pairs.
    defaults: RefCell<HashMap<(u32, u32), Option<u32>>>,
}

// Pseudo-type OIDs from pg_type.dat; fixed across majors.
const ANY: u32 = 2276;
const ANYELEMENT: u32 = 2283;
const ANYARRAY: u32 = 2277;
const ANYNONARRAY: u32 = 2776;
const ANYENUM: u32 = 3500;
const ANYRANGE: u32 = 3831;
const ANYMULTIRANGE: u32 = 4537;
const ANYCOMPATIBLE: u32 = 5077;
const ANYCOMPATIBLEARRAY: u32 = 5078;
const ANYCOMPATIBLENONARRAY: u32 = 5079;
const ANYCOMPATIBLERANGE: u32 = 5080;
const ANYCOMPATIBLEMULTIRANGE: u32 = 4538;
const RECORD: u32 = 2249;
const RECORD_ARRAY: u32 = 2287;

const INDOPTION_DESC: i16 = 1;
const INDOPTION_NULLS_FIRST: i16 = 2;

fn first_char(row: &Row, column: &str) -> char {
    row.get::<_, String>(column).chars().next().unwrap_or('\0')
}

impl Lookups {
    pub(super) fn from_rows(opclasses: &[Row], types: &[Row], casts: &[Row], collations: &[Row]) -> Self {
        let opclasses = opclasses
            .iter()
            .map(|r| {
                let class = OpClass {
                    method: r.get("opcmethod"),
                    name: r.get("opcname"),
                    schema: r.get("nspname"),
                    is_default: r.get("opcdefault"),
                    input_type: r.get("opcintype"),
                };
                (r.get("oid"), class)
            })
            .collect();
        let types = types
            .iter()
            .map(|r| {
                let facts = TypeFacts {
                    typtype: first_char(r, "typtype"),
                    category: first_char(r, "typcategory"),
                    preferred: r.get("typispreferred"),
                    base_type: r.get("typbasetype"),
                    is_composite: r.get("is_composite"),
                    is_array: r.get("is_array"),
                    is_composite_array: r.get("is_composite_array"),
                };
                (r.get("oid"), facts)
            })
            .collect();
        let binary_casts = casts.iter().map(|r| (r.get("castsource"), r.get("casttarget"))).collect();
        let collations =
            collations.iter().map(|r| (r.get("oid"), (r.get("nspname"), r.get("collname")))).collect();
        Lookups { opclasses, types, binary_casts, collations, defaults: RefCell::default() }
    }

    /// `schema.name` of an operator class, always qualified (the model's form).
    pub(super) fn opclass_qualified(&self, oid: u32) -> Option<String> {
        self.opclasses.get(&oid).map(|o| quote::qualified(&o.schema, &o.name))
    }

    pub(super) fn opclass_is_default(&self, oid: u32) -> bool {
        self.opclasses.get(&oid).is_some_and(|o| o.is_default)
    }

    /// `schema.name` of a collation, always qualified (the model's form).
    pub(super) fn collation_qualified(&self, oid: u32) -> Option<String> {
        self.collations.get(&oid).map(|(schema, name)| quote::qualified(schema, name))
    }

    /// Names in `pg_catalog` print bare: the introspection runs with an empty
    /// `search_path`, where only `pg_catalog` is visible.
    fn visible_name(schema: &str, name: &str) -> String {
        if schema == "pg_catalog" {
            quote::ident(name)
        } else {
            quote::qualified(schema, name)
        }
    }

    fn opclass_printed(&self, oid: u32) -> String {
        self.opclasses.get(&oid).map_or_else(|| oid.to_string(), |o| Self::visible_name(&o.schema, &o.name))
    }

    fn collation_printed(&self, oid: u32) -> String {
        self.collations.get(&oid).map_or_else(|| oid.to_string(), |(s, n)| Self::visible_name(s, n))
    }

    fn base_type(&self, mut oid: u32) -> u32 {
        // Domains over domains: follow the chain (bounded against cycles).
        for _ in 0..32 {
            match self.types.get(&oid) {
                Some(t) if t.typtype == 'd' => oid = t.base_type,
                _ => break,
            }
        }
        oid
    }

    /// `IsBinaryCoercible(source, target)` for a source that is not a domain.
    fn binary_coercible(&self, source: u32, target: u32) -> bool {
        if source == target || matches!(target, ANY | ANYELEMENT | ANYCOMPATIBLE) {
            return true;
        }
        let Some(t) = self.types.get(&source) else {
            return self.binary_casts.contains(&(source, target));
        };
        match target {
            ANYARRAY | ANYCOMPATIBLEARRAY if t.is_array => true,
            ANYNONARRAY | ANYCOMPATIBLENONARRAY if !t.is_array => true,
            ANYENUM if t.typtype == 'e' => true,
            ANYRANGE | ANYCOMPATIBLERANGE if t.typtype == 'r' => true,
            ANYMULTIRANGE | ANYCOMPATIBLEMULTIRANGE if t.typtype == 'm' => true,
            RECORD if t.is_composite => true,
            RECORD_ARRAY if t.is_composite_array => true,
            _ => self.binary_casts.contains(&(source, target)),
        }
    }

    /// `GetDefaultOpClass(type, method)` (src/backend/commands/indexcmds.c):
    /// the default class for the type itself, else the only default class
    /// (preferring the category's preferred type) it is binary-coercible to.
    fn default_opclass(&self, type_oid: u32, method: u32) -> Option<u32> {
        if let Some(known) = self.defaults.borrow().get(&(type_oid, method)) {
            return *known;
        }
        let found = self.find_default_opclass(type_oid, method);
        self.defaults.borrow_mut().insert((type_oid, method), found);
        found
    }

    fn find_default_opclass(&self, type_oid: u32, method: u32) -> Option<u32> {
        let base = self.base_type(type_oid);
        let category = self.types.get(&base).map(|t| t.category);
        let (mut exact, mut preferred, mut compatible) = (Vec::new(), Vec::new(), Vec::new());
        for (&oid, class) in &self.opclasses {
            if class.method != method || !class.is_default {
                continue;
            }
            if class.input_type == base {
                exact.push(oid);
            } else if self.binary_coercible(base, class.input_type) {
                let input = self.types.get(&class.input_type);
                if input.is_some_and(|i| i.preferred && Some(i.category) == category) {
                    preferred.push(oid);
                } else {
                    compatible.push(oid);
                }
            }
        }
        match (exact.as_slice(), preferred.as_slice(), compatible.as_slice()) {
            ([one], _, _) => Some(*one),
            ([], [one], _) => Some(*one),
            ([], [], [one]) => Some(*one),
            _ => None,
        }
    }

    /// Whether a definition names the key's operator class: when it has
    /// options, or is not the default for the column's type.
    fn opclass_shown(&self, opclass: u32, column: &Attribute, method: u32, has_options: bool) -> bool {
        has_options || self.default_opclass(column.type_oid, method) != Some(opclass)
    }
}

/// The catalog facts of one index whose keys are all columns.
pub(super) struct IndexShape<'a> {
    pub name: &'a str,
    pub table: &'a str,
    pub unique: bool,
    pub only: bool,
    pub method: u32,
    pub method_name: &'a str,
    pub key_count: usize,
    pub columns: Vec<&'a Attribute>,
    pub opclasses: &'a [u32],
    pub collations: &'a [u32],
    pub options: &'a [i16],
    /// `reloptions` entries of the operator class of key k, if any.
    pub opclass_options: &'a HashMap<usize, Vec<String>>,
    pub nulls_not_distinct: bool,
    pub reloptions: &'a [String],
    pub predicate: Option<&'a str>,
}

impl IndexShape<'_> {
    /// What `pg_get_indexdef(oid)` prints.
    pub(super) fn definition(&self, lookups: &Lookups) -> String {
        let mut sql = format!(
            "CREATE {}INDEX {} ON {}{} USING {} (",
            if self.unique { "UNIQUE " } else { "" },
            quote::ident(self.name),
            if self.only { "ONLY " } else { "" },
            self.table,
            quote::ident(self.method_name),
        );
        for (k, column) in self.columns.iter().enumerate() {
            if k == self.key_count {
                sql.push_str(") INCLUDE (");
            } else if k > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&quote::ident(&column.name));
            if k < self.key_count {
                self.key_decoration(k, column, lookups, &mut sql);
            }
        }
        sql.push(')');
        if self.nulls_not_distinct {
            sql.push_str(" NULLS NOT DISTINCT");
        }
        if !self.reloptions.is_empty() {
            sql.push_str(&format!(" WITH ({})", flatten_reloptions(self.reloptions)));
        }
        if let Some(predicate) = self.predicate {
            sql.push_str(&format!(" WHERE {predicate}"));
        }
        sql
    }

    fn key_decoration(&self, k: usize, column: &Attribute, lookups: &Lookups, sql: &mut String) {
        let collation = self.collations.get(k).copied().unwrap_or(0);
        if collation != 0 && collation != column.collation {
            sql.push_str(&format!(" COLLATE {}", lookups.collation_printed(collation)));
        }
        let opclass = self.opclasses.get(k).copied().unwrap_or(0);
        let options = self.opclass_options.get(&k);
        if lookups.opclass_shown(opclass, column, self.method, options.is_some()) {
            sql.push_str(&format!(" {}", lookups.opclass_printed(opclass)));
        }
        if let Some(options) = options {
            sql.push_str(&format!(" ({})", flatten_reloptions(options)));
        }
        // Only ordered methods (btree) store these bits.
        let option = self.options.get(k).copied().unwrap_or(0);
        if option & INDOPTION_DESC != 0 {
            sql.push_str(" DESC");
            if option & INDOPTION_NULLS_FIRST == 0 {
                sql.push_str(" NULLS LAST");
            }
        } else if option & INDOPTION_NULLS_FIRST != 0 {
            sql.push_str(" NULLS FIRST");
        }
    }

    /// Whether the model lists this key's operator class: the same rule as
    /// the definition.
    pub(super) fn key_opclass(&self, k: usize, lookups: &Lookups) -> Option<String> {
        let opclass = self.opclasses.get(k).copied()?;
        let shown = lookups.opclass_shown(
            opclass,
            self.columns[k],
            self.method,
            self.opclass_options.contains_key(&k),
        );
        shown.then(|| lookups.opclass_qualified(opclass)).flatten()
    }
}

/// `flatten_reloptions`: `name=value, ...`, the value bare when it is an
/// identifier that needs no quotes, else a string literal.
fn flatten_reloptions(options: &[String]) -> String {
    options
        .iter()
        .map(|option| match option.split_once('=') {
            Some((name, value)) if quote::ident(value) == value => format!("{name}={value}"),
            Some((name, value)) => format!("{name}='{}'", value.replace('\'', "''")),
            None => option.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The catalog facts of a PRIMARY KEY, UNIQUE or FOREIGN KEY constraint.
pub(super) enum KeyShape<'a> {
    PrimaryKey { columns: Vec<&'a str>, include: Vec<&'a str> },
    Unique { columns: Vec<&'a str>, include: Vec<&'a str>, nulls_not_distinct: bool },
    ForeignKey(ForeignKeyShape<'a>),
}

pub(super) struct ForeignKeyShape<'a> {
    pub columns: Vec<&'a str>,
    pub table: String,
    pub ref_columns: Vec<&'a str>,
    pub match_type: char,
    pub on_update: char,
    pub on_delete: char,
    pub set_columns: Option<Vec<&'a str>>,
}

/// The trailing words every constraint kind shares.
pub(super) struct ConstraintFlags {
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub validated: bool,
}

/// What `pg_get_constraintdef(oid)` prints for a key constraint.
pub(super) fn constraint_definition(shape: &KeyShape, flags: &ConstraintFlags) -> String {
    let mut sql = match shape {
        KeyShape::PrimaryKey { columns, include } => {
            format!("PRIMARY KEY ({}){}", column_list(columns), include_list(include))
        }
        KeyShape::Unique { columns, include, nulls_not_distinct } => format!(
            "UNIQUE {}({}){}",
            if *nulls_not_distinct { "NULLS NOT DISTINCT " } else { "" },
            column_list(columns),
            include_list(include)
        ),
        KeyShape::ForeignKey(fk) => foreign_key_definition(fk),
    };
    if flags.deferrable {
        sql.push_str(" DEFERRABLE");
    }
    if flags.initially_deferred {
        sql.push_str(" INITIALLY DEFERRED");
    }
    if !flags.validated {
        sql.push_str(" NOT VALID");
    }
    sql
}

fn foreign_key_definition(fk: &ForeignKeyShape) -> String {
    let mut sql = format!(
        "FOREIGN KEY ({}) REFERENCES {}({})",
        column_list(&fk.columns),
        fk.table,
        column_list(&fk.ref_columns)
    );
    sql.push_str(match fk.match_type {
        'f' => " MATCH FULL",
        'p' => " MATCH PARTIAL",
        _ => "",
    });
    if let Some(action) = referential_action(fk.on_update) {
        sql.push_str(&format!(" ON UPDATE {action}"));
    }
    if let Some(action) = referential_action(fk.on_delete) {
        sql.push_str(&format!(" ON DELETE {action}"));
    }
    if let Some(columns) = &fk.set_columns {
        sql.push_str(&format!(" ({})", column_list(columns)));
    }
    sql
}

fn referential_action(code: char) -> Option<&'static str> {
    match code {
        'r' => Some("RESTRICT"),
        'c' => Some("CASCADE"),
        'n' => Some("SET NULL"),
        'd' => Some("SET DEFAULT"),
        _ => None,
    }
}

fn column_list(columns: &[&str]) -> String {
    columns.iter().map(|c| quote::ident(c)).collect::<Vec<_>>().join(", ")
}

fn include_list(columns: &[&str]) -> String {
    if columns.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", column_list(columns))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reloption_values_are_quoted_unless_plain_identifiers() {
        let options = ["fillfactor=70".to_string(), "fastupdate=off".to_string(), "x=a'b".to_string()];
        assert_eq!(flatten_reloptions(&options), "fillfactor='70', fastupdate=off, x='a''b'");
    }

    #[test]
    fn foreign_key_words_follow_the_server() {
        let fk = ForeignKeyShape {
            columns: vec!["a", "B"],
            table: "s.t".into(),
            ref_columns: vec!["x", "y"],
            match_type: 'f',
            on_update: 'a',
            on_delete: 'n',
            set_columns: Some(vec!["a"]),
        };
        let flags = ConstraintFlags { deferrable: true, initially_deferred: true, validated: false };
        assert_eq!(
            constraint_definition(&KeyShape::ForeignKey(fk), &flags),
            "FOREIGN KEY (a, \"B\") REFERENCES s.t(x, y) MATCH FULL ON DELETE SET NULL (a) \
             DEFERRABLE INITIALLY DEFERRED NOT VALID"
        );
    }
}
