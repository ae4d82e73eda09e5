//! The YAML form of the desired state. It declares the same things as SQL
//! (see `schema.yaml` at the project root for every key); each object
//! becomes one SQL statement that is elaborated like a statement from a
//! `.sql` file. Expressions, types, queries and function bodies are SQL
//! text, used as written.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::analyze::{StatementKind, DEFAULT_SCHEMA};
use super::annotations::{Rename, RenameTarget};
use super::source::{Locator, SourceFile, Span};
use super::{LoadError, SourceError};
use crate::catalog::QualName;
use crate::quote::{ident, literal};
use crate::sql_scan::split_top_level;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Project settings (read by `config`), not part of the desired state.
    #[serde(default, rename = "config")]
    _config: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    pub schemas: Vec<Spanned<YSchema>>,
    #[serde(default)]
    pub extensions: Vec<Spanned<YExtension>>,
    #[serde(default)]
    pub enums: Vec<Spanned<YEnum>>,
    #[serde(default)]
    pub domains: Vec<Spanned<YDomain>>,
    #[serde(default)]
    pub types: Vec<Spanned<YComposite>>,
    #[serde(default)]
    pub sequences: Vec<Spanned<YSequence>>,
    #[serde(default)]
    pub functions: Vec<Spanned<YFunction>>,
    #[serde(default)]
    pub tables: Vec<Spanned<YTable>>,
    #[serde(default)]
    pub views: Vec<Spanned<YView>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YSchema {
    pub name: String,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YExtension {
    pub name: String,
    pub schema: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum YEnumValue {
    Plain(String),
    Detailed { value: String, renamed_from: Option<String> },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YEnum {
    pub name: String,
    pub schema: Option<String>,
    pub values: Vec<YEnumValue>,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YCheck {
    pub name: Option<String>,
    /// The boolean expression, without `CHECK (...)` around it.
    pub expression: String,
    #[serde(default)]
    pub no_inherit: bool,
    #[serde(default)]
    pub not_valid: bool,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YDomain {
    pub name: String,
    pub schema: Option<String>,
    #[serde(rename = "type")]
    pub type_name: String,
    pub collation: Option<String>,
    pub default: Option<String>,
    #[serde(default)]
    pub not_null: bool,
    /// The NOT NULL constraint's name (PostgreSQL 17 keeps one); implies
    /// `not_null`. Without it the server names it `domain_not_null`.
    pub not_null_constraint: Option<String>,
    #[serde(default)]
    pub checks: Vec<YCheck>,
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YAttribute {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub collation: Option<String>,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YComposite {
    pub name: String,
    pub schema: Option<String>,
    pub attributes: Vec<YAttribute>,
    pub comment: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YSequenceOptions {
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    #[serde(default)]
    pub cycle: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YSequence {
    pub name: String,
    pub schema: Option<String>,
    #[serde(flatten)]
    pub options: YSequenceOptions,
    /// `table.column` of the same schema.
    pub owned_by: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YFunction {
    pub name: String,
    pub schema: Option<String>,
    /// As in SQL, e.g. `a integer, b text DEFAULT 'x'`.
    #[serde(default)]
    pub arguments: String,
    /// Omitted for a procedure.
    pub returns: Option<String>,
    #[serde(default)]
    pub procedure: bool,
    pub language: String,
    /// `immutable`, `stable` or `volatile`.
    pub volatility: Option<String>,
    #[serde(default)]
    pub strict: bool,
    #[serde(default)]
    pub security_definer: bool,
    /// `SET name = value` settings.
    #[serde(default)]
    pub set: BTreeMap<String, String>,
    pub body: String,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum YIdentity {
    /// `always` or `by default`.
    Kind(String),
    Detailed {
        generated: String,
        #[serde(flatten)]
        options: YSequenceOptions,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default)]
    pub not_null: bool,
    /// The NOT NULL constraint's name (PostgreSQL 18 keeps one); implies
    /// `not_null`. Without it the server names it `table_column_not_null`.
    pub not_null_constraint: Option<String>,
    pub default: Option<String>,
    pub identity: Option<YIdentity>,
    /// Expression of a `GENERATED ALWAYS AS (...) STORED` column.
    pub generated: Option<String>,
    pub collation: Option<String>,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
    /// How a type change converts values (`USING`), e.g. `payload::jsonb`.
    pub using: Option<String>,
    /// How existing rows get a value when the column is added NOT NULL.
    pub backfill: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum YKey {
    Columns(Vec<String>),
    Named { name: Option<String>, columns: Vec<String>, comment: Option<String> },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YUnique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    #[serde(default)]
    pub nulls_not_distinct: bool,
    #[serde(default)]
    pub deferrable: bool,
    #[serde(default)]
    pub initially_deferred: bool,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YReference {
    pub table: String,
    pub schema: Option<String>,
    #[serde(default)]
    pub columns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub references: YReference,
    /// `cascade`, `restrict`, `set null`, `set default`, `no action`.
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
    /// `full` or `simple`.
    #[serde(rename = "match")]
    pub match_type: Option<String>,
    #[serde(default)]
    pub deferrable: bool,
    #[serde(default)]
    pub initially_deferred: bool,
    #[serde(default)]
    pub not_valid: bool,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YExclude {
    pub name: Option<String>,
    #[serde(default = "default_gist")]
    pub using: String,
    /// `element WITH operator` items, e.g. `room WITH =`.
    pub elements: Vec<String>,
    #[serde(rename = "where")]
    pub predicate: Option<String>,
    pub comment: Option<String>,
}

fn default_gist() -> String {
    "gist".into()
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum YIndexKey {
    Column(String),
    Detailed {
        column: Option<String>,
        expression: Option<String>,
        opclass: Option<String>,
        collation: Option<String>,
        /// `asc` or `desc`.
        order: Option<String>,
        /// `first` or `last`.
        nulls: Option<String>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YIndex {
    pub name: String,
    pub columns: Vec<YIndexKey>,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub nulls_not_distinct: bool,
    pub method: Option<String>,
    #[serde(rename = "where")]
    pub predicate: Option<String>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub with: BTreeMap<String, String>,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YTrigger {
    pub name: String,
    /// `before`, `after` or `instead of`.
    pub timing: String,
    /// `insert`, `update`, `delete`, `truncate`.
    pub events: Vec<String>,
    #[serde(default)]
    pub update_of: Vec<String>,
    /// `row` (default) or `statement`.
    pub for_each: Option<String>,
    pub when: Option<String>,
    pub function: String,
    pub function_schema: Option<String>,
    #[serde(default)]
    pub arguments: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YTable {
    pub name: String,
    pub schema: Option<String>,
    #[serde(default)]
    pub unlogged: bool,
    pub columns: Vec<YColumn>,
    pub primary_key: Option<YKey>,
    #[serde(default)]
    pub unique: Vec<YUnique>,
    #[serde(default)]
    pub foreign_keys: Vec<YForeignKey>,
    #[serde(default)]
    pub checks: Vec<YCheck>,
    #[serde(default)]
    pub exclude: Vec<YExclude>,
    #[serde(default)]
    pub indexes: Vec<YIndex>,
    #[serde(default)]
    pub triggers: Vec<YTrigger>,
    #[serde(default)]
    pub with: BTreeMap<String, String>,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YView {
    pub name: String,
    pub schema: Option<String>,
    #[serde(default)]
    pub materialized: bool,
    pub query: String,
    #[serde(default)]
    pub with: BTreeMap<String, String>,
    #[serde(default)]
    pub indexes: Vec<YIndex>,
    pub comment: Option<String>,
    #[serde(default)]
    pub column_comments: BTreeMap<String, String>,
    pub renamed_from: Option<String>,
}

/// One generated statement, placed at the YAML object it came from.
pub struct Generated {
    pub sql: String,
    pub span: Span,
}

/// What a YAML file declares, as SQL statements and renames.
pub struct Translation {
    pub statements: Vec<Generated>,
    pub renames: Vec<Rename>,
    pub hints: Vec<crate::load::ColumnHint>,
}

#[allow(clippy::result_large_err)] // errors are rare and rendered at once
pub fn parse(file: &SourceFile) -> Result<Document, SourceError> {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(&file.text, options).map_err(|e| yaml_error(file, &e))
}

fn yaml_error(file: &SourceFile, e: &serde_saphyr::Error) -> SourceError {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let message = clean_message(&e.to_string());
    let span = file.char_at(0, file.offset(line, column));
    let mut err = SourceError::at(file, span, message.clone(), label_for(&message));
    err.help = suggestion(&message);
    err
}

/// serde_saphyr's message without its own position prefix
/// (`error: line 4 column 5: ...`) and without Rust type names.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or("invalid YAML").trim();
    let mut text = first.strip_prefix("error: ").unwrap_or(first);
    if let Some(rest) = text.strip_prefix("line ") {
        if let Some((_, after)) = rest.split_once(": ") {
            text = after;
        }
    }
    let friendly = [
        (
            "untagged enum YIdentity",
            "`identity`: expected `always`, `by default`, or a map with `generated` and sequence options",
        ),
        (
            "untagged enum YIndexKey",
            "index key: expected a column name or a map with `column` or `expression`",
        ),
        ("untagged enum YKey", "`primary_key`: expected a list of columns or a map with `columns`"),
        (
            "untagged enum YEnumValue",
            "enum value: expected a string or a map with `value` and `renamed_from`",
        ),
    ];
    for (rust, readable) in friendly {
        if text.contains(rust) {
            return readable.to_string();
        }
    }
    text.to_string()
}

fn label_for(message: &str) -> String {
    if message.starts_with("unknown field") {
        "unknown key".into()
    } else {
        "here".into()
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": the closest
/// expected key.
fn suggestion(message: &str) -> Option<String> {
    let unknown = message.split("unknown field `").nth(1)?.split('`').next()?;
    let list = message.split("expected one of ").nth(1).or_else(|| message.split("expected ").nth(1))?;
    let expected: Vec<&str> =
        list.split(',').map(|k| k.trim().trim_matches('`')).filter(|k| !k.is_empty()).collect();
    let best = expected.iter().min_by_key(|e| edit_distance(unknown, e))?;
    if edit_distance(unknown, best) <= best.len().max(unknown.len()) / 2 {
        Some(format!("did you mean `{best}`?"))
    } else {
        Some(format!("known keys here: {}", expected.join(", ")))
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            prev = current;
        }
    }
    row[b.len()]
}

pub fn translate(file_id: usize, file: &SourceFile) -> Result<Translation, LoadError> {
    let doc = parse(file)?;
    let mut t = Translator {
        file_id,
        file,
        locator: file.locator(),
        out: Translation { statements: Vec::new(), renames: Vec::new(), hints: Vec::new() },
    };
    t.document(&doc);
    Ok(t.out)
}

struct Translator<'a> {
    file_id: usize,
    file: &'a SourceFile,
    /// Objects of one kind come in file order: one long line (JSON) is
    /// then read once, not once per object.
    locator: Locator<'a>,
    out: Translation,
}

fn schema_of(schema: &Option<String>) -> String {
    schema.clone().unwrap_or_else(|| DEFAULT_SCHEMA.to_string())
}

fn comment_sql(kind: &str, target: &str, text: &Option<String>) -> Option<String> {
    text.as_ref().map(|c| format!("COMMENT ON {kind} {target} IS {}", literal(c)))
}

impl Translator<'_> {
    /// The object's first line, from where the object starts.
    fn span_of<T>(&mut self, s: &Spanned<T>) -> Span {
        let start = self.locator.offset(s.referenced.line(), s.referenced.column());
        let end = self.file.line_end(start);
        Span { file: self.file_id, start, end: end.max(start + 1).min(self.file.text.len()) }
    }

    fn emit(&mut self, span: Span, sql: impl Into<String>) {
        self.out.statements.push(Generated { sql: sql.into(), span });
    }

    fn emit_all(&mut self, span: Span, sql: impl IntoIterator<Item = String>) {
        for s in sql {
            self.emit(span, s);
        }
    }

    fn rename(&mut self, span: Span, target: RenameTarget, from: &Option<String>, schema: &str) {
        if let Some(from) = from {
            let from = match from.split_once('.') {
                Some((s, n)) => QualName::new(s, n),
                None => QualName::new(schema, from.clone()),
            };
            self.out.renames.push(Rename { target, from, span, replaces: false }.truncated());
        }
    }

    fn document(&mut self, doc: &Document) {
        for s in &doc.schemas {
            let span = self.span_of(s);
            let name = ident(&s.value.name);
            self.emit(span, format!("CREATE SCHEMA {name}"));
            self.emit_all(span, comment_sql("SCHEMA", &name, &s.value.comment));
            if let Some(from) = &s.value.renamed_from {
                let target = RenameTarget::Schema(s.value.name.clone());
                self.out.renames.push(
                    Rename { target, from: QualName::new("", from.clone()), span, replaces: false }
                        .truncated(),
                );
            }
        }
        for e in &doc.extensions {
            self.extension(e);
        }
        for e in &doc.enums {
            self.enum_type(e);
        }
        for d in &doc.domains {
            self.domain(d);
        }
        for c in &doc.types {
            self.composite(c);
        }
        for s in &doc.sequences {
            self.sequence(s);
        }
        for f in &doc.functions {
            self.function(f);
        }
        for t in &doc.tables {
            self.table(t);
        }
        for v in &doc.views {
            self.view(v);
        }
    }

    fn extension(&mut self, e: &Spanned<YExtension>) {
        let span = self.span_of(e);
        let e = &e.value;
        let schema = e.schema.as_ref().map(|s| format!(" WITH SCHEMA {}", ident(s))).unwrap_or_default();
        self.emit(span, format!("CREATE EXTENSION IF NOT EXISTS {}{schema}", ident(&e.name)));
        self.emit_all(span, comment_sql("EXTENSION", &ident(&e.name), &e.comment));
    }

    fn enum_type(&mut self, e: &Spanned<YEnum>) {
        let span = self.span_of(e);
        let e = &e.value;
        let schema = schema_of(&e.schema);
        let name = QualName::new(schema.clone(), e.name.clone());
        let mut labels = Vec::new();
        for v in &e.values {
            let (value, from) = match v {
                YEnumValue::Plain(v) => (v, &None),
                YEnumValue::Detailed { value, renamed_from } => (value, renamed_from),
            };
            labels.push(literal(value));
            let target = RenameTarget::EnumValue { type_name: name.clone(), value: value.clone() };
            self.rename(span, target, from, "");
        }
        self.emit(span, format!("CREATE TYPE {name} AS ENUM ({})", labels.join(", ")));
        self.emit_all(span, comment_sql("TYPE", &name.to_string(), &e.comment));
        let target = RenameTarget::Relation { kind: StatementKind::CreateType, name };
        self.rename(span, target, &e.renamed_from, &schema);
    }

    fn domain(&mut self, d: &Spanned<YDomain>) {
        let span = self.span_of(d);
        let d = &d.value;
        let name = QualName::new(schema_of(&d.schema), d.name.clone());
        let mut sql = format!("CREATE DOMAIN {name} AS {}", d.type_name);
        if let Some(c) = &d.collation {
            sql += &format!(" COLLATE {}", collation_sql(c));
        }
        if let Some(v) = &d.default {
            sql += &format!(" DEFAULT {v}");
        }
        if let Some(n) = &d.not_null_constraint {
            sql += &format!(" CONSTRAINT {} NOT NULL", ident(n));
        } else if d.not_null {
            sql += " NOT NULL";
        }
        for c in d.checks.iter().filter(|c| !c.not_valid) {
            sql += &format!(" {}", check_clause(c));
        }
        self.emit(span, sql);
        for c in d.checks.iter().filter(|c| c.not_valid) {
            self.emit(span, format!("ALTER DOMAIN {name} ADD {} NOT VALID", check_clause(c)));
        }
        self.emit_all(span, comment_sql("DOMAIN", &name.to_string(), &d.comment));
    }

    fn composite(&mut self, c: &Spanned<YComposite>) {
        let span = self.span_of(c);
        let c = &c.value;
        let name = QualName::new(schema_of(&c.schema), c.name.clone());
        let attrs: Vec<String> = c
            .attributes
            .iter()
            .map(|a| {
                let collate = a
                    .collation
                    .as_ref()
                    .map(|c| format!(" COLLATE {}", collation_sql(c)))
                    .unwrap_or_default();
                format!("{} {}{collate}", ident(&a.name), a.type_name)
            })
            .collect();
        self.emit(span, format!("CREATE TYPE {name} AS ({})", attrs.join(", ")));
        self.emit_all(span, comment_sql("TYPE", &name.to_string(), &c.comment));
        for a in &c.attributes {
            self.emit_all(span, comment_sql("COLUMN", &format!("{name}.{}", ident(&a.name)), &a.comment));
            let target = RenameTarget::Attribute { type_name: name.clone(), attribute: a.name.clone() };
            self.rename(span, target, &a.renamed_from, "");
        }
    }

    fn sequence(&mut self, s: &Spanned<YSequence>) {
        let span = self.span_of(s);
        let s = &s.value;
        let schema = schema_of(&s.schema);
        let name = QualName::new(schema.clone(), s.name.clone());
        let mut sql = format!("CREATE SEQUENCE {name}");
        if let Some(t) = &s.options.type_name {
            sql += &format!(" AS {t}");
        }
        sql += &sequence_clauses(&s.options);
        self.emit(span, sql);
        if let Some((table, column)) = s.owned_by.as_deref().and_then(|o| o.split_once('.')) {
            let owner = QualName::new(schema, table);
            self.emit(span, format!("ALTER SEQUENCE {name} OWNED BY {owner}.{}", ident(column)));
        }
        self.emit_all(span, comment_sql("SEQUENCE", &name.to_string(), &s.comment));
    }

    fn function(&mut self, f: &Spanned<YFunction>) {
        let span = self.span_of(f);
        let f = &f.value;
        let schema = schema_of(&f.schema);
        let name = QualName::new(schema.clone(), f.name.clone());
        let kind = if f.procedure { "PROCEDURE" } else { "FUNCTION" };
        let mut sql = format!("CREATE {kind} {name}({})", f.arguments);
        if let Some(r) = &f.returns {
            sql += &format!(" RETURNS {r}");
        }
        sql += &format!(" LANGUAGE {}", ident(&f.language.to_lowercase()));
        if let Some(v) = &f.volatility {
            sql += &format!(" {}", v.to_uppercase());
        }
        if f.strict {
            sql += " STRICT";
        }
        if f.security_definer {
            sql += " SECURITY DEFINER";
        }
        for (k, v) in &f.set {
            sql += &format!(" SET {} = {}", ident(k), setting_value(k, v));
        }
        sql += &format!(" AS {}", dollar_quote(&f.body));
        self.emit(span, sql);
        let signature = format!("{name}({})", without_defaults(&f.arguments));
        self.emit_all(span, comment_sql(kind, &signature, &f.comment));
        self.rename(span, RenameTarget::Function(name), &f.renamed_from, &schema);
    }

    fn table(&mut self, t: &Spanned<YTable>) {
        let span = self.span_of(t);
        let t = &t.value;
        let schema = schema_of(&t.schema);
        let name = QualName::new(schema.clone(), t.name.clone());
        let mut elements: Vec<String> = t.columns.iter().map(column_sql).collect();
        elements.extend(table_constraints(t));
        let unlogged = if t.unlogged { "UNLOGGED " } else { "" };
        let mut sql = format!("CREATE {unlogged}TABLE {name} (\n    {}\n)", elements.join(",\n    "));
        if !t.with.is_empty() {
            sql += &format!(" WITH ({})", with_list(&t.with));
        }
        self.emit(span, sql);
        for fk in &t.foreign_keys {
            let not_valid = if fk.not_valid { " NOT VALID" } else { "" };
            self.emit(span, format!("ALTER TABLE {name} ADD {}{not_valid}", foreign_key_clause(fk, &schema)));
        }
        for c in t.checks.iter().filter(|c| c.not_valid) {
            self.emit(span, format!("ALTER TABLE {name} ADD {} NOT VALID", check_clause(c)));
        }
        self.table_comments(span, &name, t);
        for i in &t.indexes {
            self.index(span, &name, i);
        }
        for tr in &t.triggers {
            self.trigger(span, &name, tr);
        }
        self.table_renames(span, &name, t);
    }

    fn table_comments(&mut self, span: Span, name: &QualName, t: &YTable) {
        self.emit_all(span, comment_sql("TABLE", &name.to_string(), &t.comment));
        for c in &t.columns {
            self.emit_all(span, comment_sql("COLUMN", &format!("{name}.{}", ident(&c.name)), &c.comment));
        }
        let mut constraint_comments: Vec<(&Option<String>, &Option<String>)> = Vec::new();
        if let Some(YKey::Named { name, comment, .. }) = &t.primary_key {
            constraint_comments.push((name, comment));
        }
        constraint_comments.extend(t.unique.iter().map(|u| (&u.name, &u.comment)));
        constraint_comments.extend(t.foreign_keys.iter().map(|f| (&f.name, &f.comment)));
        constraint_comments.extend(t.checks.iter().map(|c| (&c.name, &c.comment)));
        constraint_comments.extend(t.exclude.iter().map(|e| (&e.name, &e.comment)));
        for (cname, comment) in constraint_comments {
            if let (Some(cname), Some(_)) = (cname, comment) {
                self.emit_all(
                    span,
                    comment_sql("CONSTRAINT", &format!("{} ON {name}", ident(cname)), comment),
                );
            }
        }
    }

    fn table_renames(&mut self, span: Span, name: &QualName, t: &YTable) {
        let schema = name.schema.clone();
        let target = RenameTarget::Relation { kind: StatementKind::CreateTable, name: name.clone() };
        self.rename(span, target, &t.renamed_from, &schema);
        for c in &t.columns {
            let target = RenameTarget::Column { table: name.clone(), column: c.name.clone() };
            self.rename(span, target, &c.renamed_from, "");
            if c.using.is_some() || c.backfill.is_some() {
                self.out.hints.push(crate::load::ColumnHint {
                    table: name.clone(),
                    column: c.name.clone(),
                    using: c.using.clone(),
                    backfill: c.backfill.clone(),
                    span,
                });
            }
        }
        let named = t
            .unique
            .iter()
            .map(|u| (&u.name, &u.renamed_from))
            .chain(t.foreign_keys.iter().map(|f| (&f.name, &f.renamed_from)))
            .chain(t.checks.iter().map(|c| (&c.name, &c.renamed_from)));
        let mut renames = Vec::new();
        for (cname, from) in named {
            if let Some(cname) = cname {
                renames.push((
                    RenameTarget::Constraint { table: name.clone(), name: cname.clone() },
                    from.clone(),
                ));
            }
        }
        for (target, from) in renames {
            self.rename(span, target, &from, "");
        }
    }

    fn index(&mut self, span: Span, table: &QualName, i: &YIndex) {
        let unique = if i.unique { "UNIQUE " } else { "" };
        let method =
            i.method.as_ref().map(|m| format!(" USING {}", ident(&m.to_lowercase()))).unwrap_or_default();
        let keys: Vec<String> = i.columns.iter().map(index_key).collect();
        let mut sql =
            format!("CREATE {unique}INDEX {} ON {table}{method} ({})", ident(&i.name), keys.join(", "));
        if !i.include.is_empty() {
            let cols: Vec<String> = i.include.iter().map(|c| ident(c)).collect();
            sql += &format!(" INCLUDE ({})", cols.join(", "));
        }
        if i.nulls_not_distinct {
            sql += " NULLS NOT DISTINCT";
        }
        if !i.with.is_empty() {
            sql += &format!(" WITH ({})", with_list(&i.with));
        }
        if let Some(p) = &i.predicate {
            sql += &format!(" WHERE {p}");
        }
        self.emit(span, sql);
        let index_name = QualName::new(table.schema.clone(), i.name.clone());
        self.emit_all(span, comment_sql("INDEX", &index_name.to_string(), &i.comment));
        let target = RenameTarget::Relation { kind: StatementKind::CreateIndex, name: index_name };
        self.rename(span, target, &i.renamed_from, &table.schema);
    }

    fn trigger(&mut self, span: Span, table: &QualName, t: &YTrigger) {
        let events: Vec<String> = t
            .events
            .iter()
            .map(|e| {
                let e = e.to_uppercase();
                if e == "UPDATE" && !t.update_of.is_empty() {
                    let cols: Vec<String> = t.update_of.iter().map(|c| ident(c)).collect();
                    format!("UPDATE OF {}", cols.join(", "))
                } else {
                    e
                }
            })
            .collect();
        let level = t.for_each.as_deref().unwrap_or("row").to_uppercase();
        let when = t.when.as_ref().map(|w| format!(" WHEN ({w})")).unwrap_or_default();
        let function = QualName::new(schema_of(&t.function_schema), t.function.clone());
        let args: Vec<String> = t.arguments.iter().map(|a| literal(a)).collect();
        self.emit(
            span,
            format!(
                "CREATE TRIGGER {} {} {} ON {table} FOR EACH {level}{when} EXECUTE FUNCTION {function}({})",
                ident(&t.name),
                t.timing.to_uppercase(),
                events.join(" OR "),
                args.join(", ")
            ),
        );
        self.emit_all(span, comment_sql("TRIGGER", &format!("{} ON {table}", ident(&t.name)), &t.comment));
    }

    fn view(&mut self, v: &Spanned<YView>) {
        let span = self.span_of(v);
        let v = &v.value;
        let schema = schema_of(&v.schema);
        let name = QualName::new(schema.clone(), v.name.clone());
        let kind = if v.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
        let with = if v.with.is_empty() { String::new() } else { format!(" WITH ({})", with_list(&v.with)) };
        self.emit(
            span,
            format!("CREATE {kind} {name}{with} AS {}", v.query.trim_end().trim_end_matches(';')),
        );
        self.emit_all(span, comment_sql(kind, &name.to_string(), &v.comment));
        for (column, text) in &v.column_comments {
            self.emit_all(
                span,
                comment_sql("COLUMN", &format!("{name}.{}", ident(column)), &Some(text.clone())),
            );
        }
        for i in &v.indexes {
            self.index(span, &name, i);
        }
        let target = RenameTarget::Relation { kind: StatementKind::CreateView, name };
        self.rename(span, target, &v.renamed_from, &schema);
    }
}

/// An argument list as a signature: `a int DEFAULT 1, b text` → `a int, b text`.
fn without_defaults(arguments: &str) -> String {
    split_top_level(arguments)
        .iter()
        .map(|a| {
            // Matched byte-wise without case: upper-casing the text first
            // changes byte lengths ("ﬀ" → "FF"), shifting the offset.
            let default = a.as_bytes().windows(9).position(|w| w.eq_ignore_ascii_case(b" DEFAULT "));
            let cut = default.or_else(|| a.find('=')).unwrap_or(a.len());
            a[..cut].trim().to_string()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_clause(c: &YCheck) -> String {
    let name = c.name.as_ref().map(|n| format!("CONSTRAINT {} ", ident(n))).unwrap_or_default();
    let no_inherit = if c.no_inherit { " NO INHERIT" } else { "" };
    format!("{name}CHECK ({}){no_inherit}", c.expression)
}

fn sequence_clauses(o: &YSequenceOptions) -> String {
    let mut sql = String::new();
    let pairs = [
        ("INCREMENT BY", o.increment),
        ("MINVALUE", o.min_value),
        ("MAXVALUE", o.max_value),
        ("START WITH", o.start),
        ("CACHE", o.cache),
    ];
    for (word, value) in pairs {
        if let Some(v) = value {
            sql += &format!(" {word} {v}");
        }
    }
    if o.cycle {
        sql += " CYCLE";
    }
    sql
}

fn column_sql(c: &YColumn) -> String {
    let mut sql = format!("{} {}", ident(&c.name), c.type_name);
    if let Some(coll) = &c.collation {
        sql += &format!(" COLLATE {}", collation_sql(coll));
    }
    if let Some(g) = &c.generated {
        sql += &format!(" GENERATED ALWAYS AS ({g}) STORED");
    }
    if let Some(d) = &c.default {
        sql += &format!(" DEFAULT {d}");
    }
    match &c.identity {
        Some(YIdentity::Kind(kind)) => sql += &format!(" GENERATED {} AS IDENTITY", kind.to_uppercase()),
        Some(YIdentity::Detailed { generated, options }) => {
            let opts = sequence_clauses(options);
            let opts = if opts.trim().is_empty() { String::new() } else { format!(" ({})", opts.trim()) };
            sql += &format!(" GENERATED {} AS IDENTITY{opts}", generated.to_uppercase());
        }
        None => {}
    }
    if let Some(name) = &c.not_null_constraint {
        sql += &format!(" CONSTRAINT {} NOT NULL", ident(name));
    } else if c.not_null {
        sql += " NOT NULL";
    }
    sql
}

fn constraint_prefix(name: &Option<String>) -> String {
    name.as_ref().map(|n| format!("CONSTRAINT {} ", ident(n))).unwrap_or_default()
}

fn column_list(cols: &[String]) -> String {
    cols.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ")
}

fn table_constraints(t: &YTable) -> Vec<String> {
    let mut out = Vec::new();
    match &t.primary_key {
        Some(YKey::Columns(cols)) => out.push(format!("PRIMARY KEY ({})", column_list(cols))),
        Some(YKey::Named { name, columns, .. }) => {
            out.push(format!("{}PRIMARY KEY ({})", constraint_prefix(name), column_list(columns)))
        }
        None => {}
    }
    for u in &t.unique {
        let nnd = if u.nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" };
        let mut clause = format!("{}UNIQUE{nnd} ({})", constraint_prefix(&u.name), column_list(&u.columns));
        if u.deferrable {
            clause += " DEFERRABLE";
        }
        if u.initially_deferred {
            clause += " INITIALLY DEFERRED";
        }
        out.push(clause);
    }
    out.extend(t.checks.iter().filter(|c| !c.not_valid).map(check_clause));
    for e in &t.exclude {
        let predicate = e.predicate.as_ref().map(|p| format!(" WHERE ({p})")).unwrap_or_default();
        out.push(format!(
            "{}EXCLUDE USING {} ({}){predicate}",
            constraint_prefix(&e.name),
            ident(&e.using.to_lowercase()),
            e.elements.join(", ")
        ));
    }
    out
}

fn foreign_key_clause(fk: &YForeignKey, schema: &str) -> String {
    let target = QualName::new(
        fk.references.schema.clone().unwrap_or_else(|| schema.to_string()),
        fk.references.table.clone(),
    );
    let target_cols = if fk.references.columns.is_empty() {
        String::new()
    } else {
        format!(" ({})", column_list(&fk.references.columns))
    };
    let mut sql = format!(
        "{}FOREIGN KEY ({}) REFERENCES {target}{target_cols}",
        constraint_prefix(&fk.name),
        column_list(&fk.columns)
    );
    if let Some(m) = &fk.match_type {
        sql += &format!(" MATCH {}", m.to_uppercase());
    }
    if let Some(a) = &fk.on_update {
        sql += &format!(" ON UPDATE {}", a.to_uppercase());
    }
    if let Some(a) = &fk.on_delete {
        sql += &format!(" ON DELETE {}", a.to_uppercase());
    }
    if fk.deferrable {
        sql += " DEFERRABLE";
    }
    if fk.initially_deferred {
        sql += " INITIALLY DEFERRED";
    }
    sql
}

fn index_key(k: &YIndexKey) -> String {
    match k {
        YIndexKey::Column(c) => ident(c),
        YIndexKey::Detailed { column, expression, opclass, collation, order, nulls } => {
            let mut sql = match (column, expression) {
                (Some(c), _) => ident(c),
                (None, Some(e)) => format!("({e})"),
                (None, None) => String::new(),
            };
            if let Some(c) = collation {
                sql += &format!(" COLLATE {}", collation_sql(c));
            }
            if let Some(o) = opclass {
                sql += &format!(" {o}");
            }
            if let Some(o) = order {
                sql += &format!(" {}", o.to_uppercase());
            }
            if let Some(n) = nulls {
                sql += &format!(" NULLS {}", n.to_uppercase());
            }
            sql
        }
    }
}

/// `C` → `"C"`; `pg_catalog.C` → `pg_catalog."C"`.
fn collation_sql(name: &str) -> String {
    name.split('.').map(ident).collect::<Vec<_>>().join(".")
}

fn with_list(with: &BTreeMap<String, String>) -> String {
    with.iter().map(|(k, v)| format!("{} = {v}", ident(k))).collect::<Vec<_>>().join(", ")
}

/// The body dollar-quoted on lines of its own (`AS $body$\n...\n$body$`),
/// the way SQL files and pg_dump write function bodies, with a tag that
/// does not occur in the body.
fn dollar_quote(body: &str) -> String {
    let mut tag = String::from("body");
    while body.contains(&format!("${tag}$")) {
        tag.push('_');
    }
    // The body exactly as written: a dump's body, taken back, is then
    // the function's source to the character.
    format!("${tag}${body}${tag}$")
}

/// A function setting's value as SQL: a string literal (`'64MB'`,
/// `'Europe/Paris'`), or for the settings that are lists of names
/// (`search_path: "\"$user\", public"`), one literal per element, the way
/// pg_dump writes them (one literal would be one name holding a comma).
fn setting_value(name: &str, value: &str) -> String {
    const LISTS: [&str; 5] = [
        "search_path",
        "temp_tablespaces",
        "local_preload_libraries",
        "session_preload_libraries",
        "shared_preload_libraries",
    ];
    // Already a literal, as written before values were quoted for the user.
    let quoted = value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'');
    if quoted {
        return value.to_string();
    }
    if !LISTS.contains(&name.to_ascii_lowercase().as_str()) {
        return literal(value);
    }
    let mut elements = Vec::new();
    let (mut current, mut quoted) = (String::new(), false);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => elements.push(std::mem::take(&mut current)),
            c if c.is_whitespace() && !quoted => {}
            c => current.push(c),
        }
    }
    elements.push(current);
    elements.iter().map(|e| literal(e)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_key() {
        let m = "unknown field `colums`, expected one of `name`, `schema`, `columns`, `indexes`";
        assert_eq!(suggestion(m).as_deref(), Some("did you mean `columns`?"));
    }

    #[test]
    fn function_settings_are_literals_and_lists_of_names_one_per_element() {
        assert_eq!(setting_value("work_mem", "64MB"), "'64MB'");
        assert_eq!(setting_value("work_mem", "'8MB'"), "'8MB'");
        assert_eq!(setting_value("timezone", "Europe/Paris"), "'Europe/Paris'");
        assert_eq!(setting_value("search_path", "pg_catalog, public"), "'pg_catalog', 'public'");
        assert_eq!(setting_value("search_path", "\"$user\", \"My \"\"S\"\"\""), "'$user', 'My \"S\"'");
    }
}
