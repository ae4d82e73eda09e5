//! DDL text for model objects: the statements that create an object and the
//! comments on it. Used by `dump` and by the planner, so an object is always
//! written the same way.
//!
//! Deparsed definitions from the catalog are used verbatim; only the parts the
//! catalog keeps as structure (columns, sequence options, enum labels) are
//! assembled here, through [`crate::quote`].

mod sequence;

pub use sequence::sequence_options;

use crate::catalog::*;
use crate::quote::{ident, literal};

pub fn create_schema(schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    if schema.name != "public" {
        out.push(format!("CREATE SCHEMA {}", ident(&schema.name)));
    }
    out.extend(comment("SCHEMA", &ident(&schema.name), &schema.comment));
    out
}

pub fn create_extension(ext: &Extension) -> Vec<String> {
    let mut out = vec![format!(
        "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}",
        ident(&ext.name),
        ident(&ext.schema)
    )];
    out.extend(comment("EXTENSION", &ident(&ext.name), &ext.comment));
    out
}

pub fn create_enum(e: &EnumType) -> Vec<String> {
    let labels: Vec<String> = e.values.iter().map(|v| format!("    {}", literal(v))).collect();
    let mut out = vec![format!("CREATE TYPE {} AS ENUM (\n{}\n)", e.name, labels.join(",\n"))];
    out.extend(comment("TYPE", &e.name.to_string(), &e.comment));
    out
}

pub fn create_domain(d: &Domain) -> Vec<String> {
    let mut create = format!("CREATE DOMAIN {} AS {}", d.name, d.base_type);
    if let Some(c) = &d.collation {
        create += &format!(" COLLATE {c}");
    }
    if let Some(def) = &d.default {
        create += &format!(" DEFAULT {def}");
    }
    if d.not_null {
        match explicit_domain_not_null_name(d) {
            Some(name) => create += &format!(" CONSTRAINT {} NOT NULL", ident(name)),
            None => create += " NOT NULL",
        }
    }
    let (valid, not_valid): (Vec<_>, Vec<_>) = d.constraints.values().partition(|c| c.validated);
    for c in valid {
        create += &format!("\n    CONSTRAINT {} {}", ident(&c.name), c.definition);
    }
    let mut out = vec![create];
    for c in not_valid {
        out.push(format!("ALTER DOMAIN {} ADD CONSTRAINT {} {}", d.name, ident(&c.name), c.definition));
    }
    out.extend(comment("DOMAIN", &d.name.to_string(), &d.comment));
    for c in d.constraints.values() {
        let target = format!("{} ON DOMAIN {}", ident(&c.name), d.name);
        out.extend(comment("CONSTRAINT", &target, &c.comment));
    }
    out
}

pub fn create_composite(c: &CompositeType) -> Vec<String> {
    let attrs: Vec<String> = c
        .attributes
        .iter()
        .map(|a| {
            let collate = a.collation.as_ref().map(|c| format!(" COLLATE {c}")).unwrap_or_default();
            format!("    {} {}{}", ident(&a.name), a.type_name, collate)
        })
        .collect();
    let mut out = vec![format!("CREATE TYPE {} AS (\n{}\n)", c.name, attrs.join(",\n"))];
    out.extend(comment("TYPE", &c.name.to_string(), &c.comment));
    for a in &c.attributes {
        let target = format!("{}.{}", c.name, ident(&a.name));
        out.extend(comment("COLUMN", &target, &a.comment));
    }
    out
}

pub fn create_range(r: &RangeType) -> Vec<String> {
    let multirange =
        r.multirange.as_ref().map(|m| format!(", multirange_type_name = {m}")).unwrap_or_default();
    let mut out = vec![format!("CREATE TYPE {} AS RANGE ({}{multirange})", r.name, r.options)];
    out.extend(comment("TYPE", &r.name.to_string(), &r.comment));
    out
}

pub fn create_sequence(s: &Sequence) -> Vec<String> {
    let mut create = format!("CREATE SEQUENCE {}", s.name);
    if s.options.data_type != "bigint" {
        create += &format!(" AS {}", s.options.data_type);
    }
    for clause in sequence_options(&s.options) {
        create += &format!("\n    {clause}");
    }
    let mut out = vec![create];
    out.extend(comment("SEQUENCE", &s.name.to_string(), &s.comment));
    out
}

pub fn sequence_owned_by(s: &Sequence) -> Option<String> {
    let (table, column) = s.owned_by.as_ref()?;
    Some(format!("ALTER SEQUENCE {} OWNED BY {}.{}", s.name, table, ident(column)))
}

/// Whether a constraint can be declared inside `CREATE TABLE`. Foreign keys
/// are added afterwards so tables can reference each other in any order, and
/// NOT VALID constraints must be added with `ALTER TABLE` to stay NOT VALID.
pub fn is_inline_constraint(c: &Constraint) -> bool {
    c.kind != ConstraintKind::ForeignKey && c.validated
}

/// The user's own text for parts of a table, where the planner has it
/// (see `plan::sources`); PostgreSQL's deparsed text is used otherwise.
pub trait Fragments {
    fn constraint(&self, name: &str) -> Option<String>;
    fn default(&self, column: &str) -> Option<String>;
    fn generated(&self, column: &str) -> Option<String>;
}

/// Deparsed text only (dumps of a live database have no other).
pub struct NoFragments;

impl Fragments for NoFragments {
    fn constraint(&self, _: &str) -> Option<String> {
        None
    }
    fn default(&self, _: &str) -> Option<String> {
        None
    }
    fn generated(&self, _: &str) -> Option<String> {
        None
    }
}

pub fn create_table(t: &Table) -> Vec<String> {
    create_table_with(t, &NoFragments)
}

pub fn create_table_with(t: &Table, fragments: &dyn Fragments) -> Vec<String> {
    let mut lines: Vec<String> =
        t.columns.iter().map(|c| format!("    {}", column_definition_with(t, c, fragments))).collect();
    for c in t.constraints.values().filter(|c| is_inline_constraint(c)) {
        let text = fragments.constraint(&c.name).unwrap_or_else(|| c.definition.clone());
        lines.push(format!("    CONSTRAINT {} {text}", ident(&c.name)));
    }
    let unlogged = if t.unlogged { "UNLOGGED " } else { "" };
    let mut create = format!("CREATE {unlogged}TABLE {} (\n{}\n)", t.name, lines.join(",\n"));
    if !t.options.is_empty() {
        create += &format!(" WITH ({})", t.options.join(", "));
    }
    let mut out = vec![create];
    out.extend(table_comments(t));
    for c in t.constraints.values().filter(|c| is_inline_constraint(c)) {
        out.extend(constraint_comment(t, c));
    }
    out
}

fn table_comments(t: &Table) -> Vec<String> {
    let mut out: Vec<String> = comment("TABLE", &t.name.to_string(), &t.comment).into_iter().collect();
    for c in t.columns.iter() {
        let target = format!("{}.{}", t.name, ident(&c.name));
        out.extend(comment("COLUMN", &target, &c.comment));
    }
    out
}

/// `name type [COLLATE] [DEFAULT | GENERATED ...] [NOT NULL]`.
pub fn column_definition(t: &Table, c: &Column) -> String {
    column_definition_with(t, c, &NoFragments)
}

pub fn column_definition_with(t: &Table, c: &Column, fragments: &dyn Fragments) -> String {
    let mut def = format!("{} {}", ident(&c.name), c.type_name);
    if let Some(coll) = &c.collation {
        def += &format!(" COLLATE {coll}");
    }
    if let Some(expr) = &c.generated {
        let expr = fragments.generated(&c.name).unwrap_or_else(|| expr.clone());
        let kind = if c.generated_virtual { "VIRTUAL" } else { "STORED" };
        def += &format!(" GENERATED ALWAYS AS ({expr}) {kind}");
    }
    if let Some(expr) = &c.default {
        let expr = fragments.default(&c.name).unwrap_or_else(|| expr.clone());
        def += &format!(" DEFAULT {expr}");
    }
    if let Some(identity) = &c.identity {
        def += &format!(" {}", identity_clause(t, c, identity));
    }
    if c.not_null {
        match explicit_not_null_name(t, c) {
            Some(name) => def += &format!(" CONSTRAINT {} NOT NULL", ident(name)),
            None => def += " NOT NULL",
        }
    }
    def
}

/// The NOT NULL constraint's name when the server would not choose it by
/// itself: PostgreSQL 18 names one `table_column_not_null`. pg_dump's rule
/// (the untruncated name), so both print the same words; a name the server
/// truncated is printed, which restores it all the same.
pub fn explicit_not_null_name<'c>(t: &Table, c: &'c Column) -> Option<&'c str> {
    c.not_null_name.as_deref().filter(|n| *n != default_not_null_name(&t.name, &c.name))
}

pub fn default_not_null_name(table: &QualName, column: &str) -> String {
    format!("{}_{column}_not_null", table.name)
}

/// [`explicit_not_null_name`] of a domain (PostgreSQL 17): the server
/// names it `domain_not_null`.
pub fn explicit_domain_not_null_name(d: &Domain) -> Option<&str> {
    d.not_null_name.as_deref().filter(|n| *n != format!("{}_not_null", d.name.name))
}

fn identity_clause(t: &Table, c: &Column, identity: &Identity) -> String {
    let kind = if identity.always { "ALWAYS" } else { "BY DEFAULT" };
    let mut options = Vec::new();
    if identity.sequence != default_identity_sequence(t, c) {
        options.push(format!("SEQUENCE NAME {}", identity.sequence));
    }
    options.extend(sequence_options(&identity.options));
    if options.is_empty() {
        format!("GENERATED {kind} AS IDENTITY")
    } else {
        format!("GENERATED {kind} AS IDENTITY ({})", options.join(" "))
    }
}

/// The name PostgreSQL gives an identity or serial sequence when none is
/// given: `table_column_seq` in the table's schema (when it fits in 63 bytes).
fn default_identity_sequence(t: &Table, c: &Column) -> QualName {
    QualName::new(t.name.schema.clone(), format!("{}_{}_seq", t.name.name, c.name))
}

pub fn add_constraint(t: &Table, c: &Constraint) -> Vec<String> {
    let mut out = vec![format!("ALTER TABLE {} ADD CONSTRAINT {} {}", t.name, ident(&c.name), c.definition)];
    out.extend(constraint_comment(t, c));
    out
}

fn constraint_comment(t: &Table, c: &Constraint) -> Option<String> {
    comment("CONSTRAINT", &format!("{} ON {}", ident(&c.name), t.name), &c.comment)
}

pub fn create_index(i: &Index) -> Vec<String> {
    let mut out = vec![i.definition.clone()];
    out.extend(comment("INDEX", &i.name.to_string(), &i.comment));
    out
}

pub fn create_view(v: &View) -> Vec<String> {
    let kind = if v.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
    let with = if v.options.is_empty() { String::new() } else { format!(" WITH ({})", v.options.join(", ")) };
    let query = v.query.trim_end().trim_end_matches(';');
    let mut out = vec![format!("CREATE {kind} {}{with} AS\n{query}", v.name)];
    out.extend(comment(kind, &v.name.to_string(), &v.comment));
    for (column, text) in &v.column_comments {
        let target = format!("{}.{}", v.name, ident(column));
        out.extend(comment("COLUMN", &target, &Some(text.clone())));
    }
    out
}

pub fn create_function(f: &Function) -> Vec<String> {
    let mut out = vec![f.definition.trim_end().to_string()];
    let kind = match f.kind {
        RoutineKind::Function => "FUNCTION",
        RoutineKind::Procedure => "PROCEDURE",
    };
    out.extend(comment(kind, &f.id.to_string(), &f.comment));
    out
}

pub fn create_trigger(t: &Trigger) -> Vec<String> {
    let mut out = vec![t.definition.clone()];
    let state = match t.enabled {
        'D' => Some("DISABLE"),
        'R' => Some("ENABLE REPLICA"),
        'A' => Some("ENABLE ALWAYS"),
        _ => None,
    };
    if let Some(state) = state {
        out.push(format!("ALTER TABLE {} {state} TRIGGER {}", t.table, ident(&t.name)));
    }
    out.extend(comment("TRIGGER", &format!("{} ON {}", ident(&t.name), t.table), &t.comment));
    out
}

/// `COMMENT ON <kind> <target> IS '<text>'`, when there is a comment.
pub fn comment(kind: &str, target: &str, text: &Option<String>) -> Option<String> {
    text.as_ref().map(|t| format!("COMMENT ON {kind} {target} IS {}", literal(t)))
}

/// The full definition of one object as DDL (with its comments), for showing
/// how two versions of it differ. `None` when the catalog lacks it.
pub fn object_definition(c: &Catalog, id: &ObjectId) -> Option<String> {
    let statements = match id {
        ObjectId::Schema { name } => create_schema(c.schemas.get(name)?),
        ObjectId::Extension { name } => create_extension(c.extensions.get(name)?),
        ObjectId::Type { name } => match (c.enums.get(name), c.domains.get(name), c.composites.get(name)) {
            (Some(e), _, _) => create_enum(e),
            (_, Some(d), _) => create_domain(d),
            (_, _, Some(t)) => create_composite(t),
            _ => create_range(c.ranges.get(name)?),
        },
        ObjectId::Sequence { name } => create_sequence(c.sequences.get(name)?),
        ObjectId::Table { name } => create_table(c.tables.get(name)?),
        ObjectId::Column { table, column } | ObjectId::ColumnDefault { table, column } => {
            let t = c.tables.get(table)?;
            let col = t.column(column)?;
            let mut out = vec![column_definition(t, col)];
            out.extend(comment("COLUMN", &format!("{}.{}", t.name, ident(column)), &col.comment));
            out
        }
        ObjectId::Constraint { table, name } => {
            let t = c.tables.get(table)?;
            add_constraint(t, t.constraints.get(name)?)
        }
        ObjectId::Index { name } => create_index(c.indexes.get(name)?),
        ObjectId::Trigger { table, name } => create_trigger(c.triggers.get(&(table.clone(), name.clone()))?),
        ObjectId::View { name } => create_view(c.views.get(name)?),
        ObjectId::Function { id } => create_function(c.functions.get(id)?),
    };
    Some(statements.iter().map(|s| format!("{s};\n")).collect())
}
