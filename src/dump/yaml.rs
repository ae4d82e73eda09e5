//! `dump --format yaml`: the live schema in the YAML form of the desired
//! state (see `load::yaml` and the project's schema.yaml). Objects the YAML
//! form cannot express (constraint triggers, transition tables, SQL-standard
//! function bodies, ...) make the dump fail with their names: use the SQL
//! layout for those databases.

use crate::catalog::*;
use crate::quote::ident;
use crate::sql_scan::{find_top_level, matching_paren, split_top_level};

/// A YAML value; strings are written JSON-quoted, which YAML reads as
/// plain strings (never as booleans or numbers).
enum Y {
    Str(String),
    Bool(bool),
    Int(i64),
    List(Vec<Y>),
    Map(Vec<(&'static str, Y)>),
}

fn s(v: impl Into<String>) -> Y {
    Y::Str(v.into())
}

impl Y {
    fn scalar(&self) -> Option<String> {
        match self {
            Y::Str(v) => Some(serde_json::to_string(v).expect("strings serialize")),
            Y::Bool(b) => Some(b.to_string()),
            Y::Int(n) => Some(n.to_string()),
            Y::List(items) if items.is_empty() => Some("[]".into()),
            Y::Map(entries) if entries.is_empty() => Some("{}".into()),
            _ => None,
        }
    }
}

fn write_map(entries: &[(&'static str, Y)], indent: usize, out: &mut String) {
    for (k, v) in entries {
        out.push_str(&" ".repeat(indent));
        let key = if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            k.to_string()
        } else {
            serde_json::to_string(k).expect("keys serialize")
        };
        out.push_str(&key);
        out.push(':');
        match (v.scalar(), v) {
            (Some(text), _) => out.push_str(&format!(" {text}\n")),
            (None, Y::List(items)) => {
                out.push('\n');
                write_list(items, indent + 2, out);
            }
            (None, Y::Map(inner)) => {
                out.push('\n');
                write_map(inner, indent + 2, out);
            }
            (None, _) => unreachable!("only collections are not scalars"),
        }
    }
}

fn write_list(items: &[Y], indent: usize, out: &mut String) {
    let dash = format!("{}- ", " ".repeat(indent));
    for item in items {
        match (item.scalar(), item) {
            (Some(text), _) => out.push_str(&format!("{dash}{text}\n")),
            (None, Y::Map(entries)) => {
                // The map's first key goes on the dash's line.
                let mut inner = String::new();
                write_map(entries, indent + 2, &mut inner);
                out.push_str(&dash);
                out.push_str(&inner[indent + 2..]);
            }
            (None, Y::List(inner)) => {
                out.push_str(&format!("{dash}\n"));
                write_list(inner, indent + 2, out);
            }
            (None, _) => unreachable!("only collections are not scalars"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the YAML form cannot express {}: dump with --format sql instead", .0.join("; "))]
pub struct NotExpressible(pub Vec<String>);

struct Builder<'a> {
    catalog: &'a Catalog,
    problems: Vec<String>,
}

pub fn render(catalog: &Catalog) -> Result<String, NotExpressible> {
    let mut b = Builder { catalog, problems: Vec::new() };
    let mut doc = Vec::new();
    let schemas: Vec<Y> = catalog.schemas.values().filter_map(|x| b.schema(x)).collect();
    push_list(&mut doc, "schemas", schemas);
    push_list(&mut doc, "extensions", catalog.extensions.values().map(extension).collect());
    push_list(&mut doc, "enums", catalog.enums.values().map(enum_type).collect());
    push_list(&mut doc, "domains", catalog.domains.values().map(domain).collect());
    push_list(&mut doc, "types", catalog.composites.values().map(composite).collect());
    push_list(&mut doc, "sequences", catalog.sequences.values().map(sequence).collect());
    let functions: Vec<Y> = catalog.functions.values().filter_map(|f| b.function(f)).collect();
    push_list(&mut doc, "functions", functions);
    let tables: Vec<Y> = catalog.tables.values().map(|t| b.table(t)).collect();
    push_list(&mut doc, "tables", tables);
    let views: Vec<Y> = catalog.views.values().map(|v| b.view(v)).collect();
    push_list(&mut doc, "views", views);
    for r in catalog.ranges.values() {
        b.problems.push(format!("range type {} (the YAML form has no ranges)", r.name));
    }
    if !b.problems.is_empty() {
        return Err(NotExpressible(b.problems));
    }
    let mut out = String::from("# Schema dump written by pgrecon in the YAML form (see schema.yaml).\n");
    write_map(&doc, 0, &mut out);
    Ok(out)
}

fn push_list(doc: &mut Vec<(&'static str, Y)>, key: &'static str, items: Vec<Y>) {
    if !items.is_empty() {
        doc.push((key, Y::List(items)));
    }
}

fn opt(m: &mut Vec<(&'static str, Y)>, key: &'static str, v: &Option<String>) {
    if let Some(v) = v {
        m.push((key, s(v.clone())));
    }
}

fn flag(m: &mut Vec<(&'static str, Y)>, key: &'static str, v: bool) {
    if v {
        m.push((key, Y::Bool(true)));
    }
}

fn named(name: &QualName) -> Vec<(&'static str, Y)> {
    let mut m = vec![("name", s(name.name.to_string()))];
    if &*name.schema != "public" {
        m.push(("schema", s(name.schema.to_string())));
    }
    m
}

/// `pg_catalog."C"` → `pg_catalog.C` (the YAML form quotes each part itself).
fn unquoted(name: &str) -> String {
    name.split('.').map(|p| p.trim_matches('"').replace("\"\"", "\"")).collect::<Vec<_>>().join(".")
}

/// `CHECK ((a > 0)) NO INHERIT NOT VALID` → `(a > 0)`.
fn check_expression(definition: &str) -> String {
    let open = definition.find('(').unwrap_or(0);
    let close = matching_paren(definition, open).unwrap_or(definition.len() - 1);
    definition[open + 1..close].to_string()
}

fn extension(e: &Extension) -> Y {
    let mut m = vec![("name", s(e.name.clone())), ("schema", s(e.schema.clone()))];
    opt(&mut m, "comment", &e.comment);
    Y::Map(m)
}

fn enum_type(e: &EnumType) -> Y {
    let mut m = named(&e.name);
    m.push(("values", Y::List(e.values.iter().map(|v| s(v.clone())).collect())));
    opt(&mut m, "comment", &e.comment);
    Y::Map(m)
}

fn domain(d: &Domain) -> Y {
    let mut m = named(&d.name);
    m.push(("type", s(d.base_type.clone())));
    opt(&mut m, "collation", &d.collation.as_deref().map(unquoted));
    opt(&mut m, "default", &d.default);
    flag(&mut m, "not_null", d.not_null);
    opt(&mut m, "not_null_constraint", &crate::ddl::explicit_domain_not_null_name(d).map(str::to_string));
    let checks: Vec<Y> = d
        .constraints
        .values()
        .map(|c| {
            let mut cm =
                vec![("name", s(c.name.clone())), ("expression", s(check_expression(&c.definition)))];
            flag(&mut cm, "not_valid", !c.validated);
            Y::Map(cm)
        })
        .collect();
    if !checks.is_empty() {
        m.push(("checks", Y::List(checks)));
    }
    opt(&mut m, "comment", &d.comment);
    Y::Map(m)
}

fn composite(c: &CompositeType) -> Y {
    let mut m = named(&c.name);
    let attrs = c
        .attributes
        .iter()
        .map(|a| {
            let mut am = vec![("name", s(a.name.clone())), ("type", s(a.type_name.clone()))];
            opt(&mut am, "collation", &a.collation.as_deref().map(unquoted));
            opt(&mut am, "comment", &a.comment);
            Y::Map(am)
        })
        .collect();
    m.push(("attributes", Y::List(attrs)));
    opt(&mut m, "comment", &c.comment);
    Y::Map(m)
}

fn sequence_fields(m: &mut Vec<(&'static str, Y)>, o: &SequenceOptions) {
    m.push(("type", s(o.data_type.clone())));
    m.push(("start", Y::Int(o.start)));
    m.push(("increment", Y::Int(o.increment)));
    m.push(("min_value", Y::Int(o.min_value)));
    m.push(("max_value", Y::Int(o.max_value)));
    m.push(("cache", Y::Int(o.cache)));
    flag(m, "cycle", o.cycle);
}

fn sequence(q: &Sequence) -> Y {
    let mut m = named(&q.name);
    sequence_fields(&mut m, &q.options);
    if let Some((t, c)) = &q.owned_by {
        m.push(("owned_by", s(format!("{}.{c}", t.name))));
    }
    opt(&mut m, "comment", &q.comment);
    Y::Map(m)
}

fn action(code: char) -> Option<&'static str> {
    match code {
        'r' => Some("restrict"),
        'c' => Some("cascade"),
        'n' => Some("set null"),
        'd' => Some("set default"),
        _ => None,
    }
}

impl Builder<'_> {
    fn schema(&mut self, x: &Schema) -> Option<Y> {
        if x.name == "public" {
            if x.comment.as_deref() != Some("standard public schema") {
                self.problems.push("a changed comment on schema public".into());
            }
            return None;
        }
        let mut m = vec![("name", s(x.name.clone()))];
        opt(&mut m, "comment", &x.comment);
        Some(Y::Map(m))
    }

    fn function(&mut self, f: &Function) -> Option<Y> {
        let Some(body) = function_body(&f.definition) else {
            self.problems.push(format!("the body of {} (SQL-standard body)", f.id));
            return None;
        };
        if f.leakproof || f.parallel != 'u' {
            self.problems.push(format!("LEAKPROOF/PARALLEL of {}", f.id));
        }
        // Printed only when not the default.
        let header = f.definition.split("\nAS ").next().unwrap_or_default();
        if header.lines().skip(1).any(|l| l.contains(" COST ") || l.contains(" ROWS ")) {
            self.problems.push(format!("COST/ROWS of {}", f.id));
        }
        let mut m = named(&f.id.name);
        if !f.arguments.is_empty() {
            m.push(("arguments", s(f.arguments.clone())));
        }
        match (&f.returns, f.kind) {
            (_, RoutineKind::Procedure) => m.push(("procedure", Y::Bool(true))),
            (Some(r), _) => m.push(("returns", s(r.clone()))),
            (None, _) => {}
        }
        m.push(("language", s(f.language.clone())));
        match f.volatility {
            'i' => m.push(("volatility", s("immutable"))),
            's' => m.push(("volatility", s("stable"))),
            _ => {}
        }
        flag(&mut m, "strict", f.strict);
        flag(&mut m, "security_definer", f.security_definer);
        let mut settings = Vec::new();
        for c in &f.config {
            if let Some((k, v)) = c.split_once('=') {
                settings.push((k.to_string(), v.to_string()));
            }
        }
        if !settings.is_empty() {
            m.push(("set", Y::Map(settings.into_iter().map(|(k, v)| (leak(k), s(v))).collect())));
        }
        m.push(("body", s(body)));
        opt(&mut m, "comment", &f.comment);
        Some(Y::Map(m))
    }

    fn table(&mut self, t: &Table) -> Y {
        let mut m = named(&t.name);
        flag(&mut m, "unlogged", t.unlogged);
        m.push(("columns", Y::List(t.columns.iter().map(|c| self.column(t, c)).collect())));
        let cons: Vec<&Constraint> = t.constraints.values().map(|c| &**c).collect();
        if let Some(pk) = cons.iter().find(|c| c.kind == ConstraintKind::PrimaryKey) {
            let mut pm = vec![("name", s(pk.name.clone())), ("columns", cols(&pk.columns))];
            opt(&mut pm, "comment", &pk.comment);
            m.push(("primary_key", Y::Map(pm)));
        }
        let list = |kind| cons.iter().filter(move |c| c.kind == kind);
        let unique: Vec<Y> = list(ConstraintKind::Unique).map(|c| unique(c)).collect();
        push_list(&mut m, "unique", unique);
        for c in list(ConstraintKind::ForeignKey) {
            if c.definition.contains(" SET NULL (") || c.definition.contains(" SET DEFAULT (") {
                self.problems.push(format!("the column list of ON DELETE SET NULL/DEFAULT of {}", c.name));
            }
        }
        let fks: Vec<Y> = list(ConstraintKind::ForeignKey).map(|c| foreign_key(c)).collect();
        push_list(&mut m, "foreign_keys", fks);
        let checks: Vec<Y> = list(ConstraintKind::Check).map(|c| check(c)).collect();
        push_list(&mut m, "checks", checks);
        let excludes: Vec<Y> = list(ConstraintKind::Exclude).map(|c| exclude(c)).collect();
        push_list(&mut m, "exclude", excludes);
        let indexes: Vec<Y> = self
            .catalog
            .indexes
            .values()
            .filter(|i| i.table == t.name)
            .map(|i| self.index(i, Some(t)))
            .collect();
        push_list(&mut m, "indexes", indexes);
        let triggers: Vec<Y> = self
            .catalog
            .triggers
            .values()
            .filter(|x| x.table == t.name)
            .filter_map(|x| self.trigger(x))
            .collect();
        push_list(&mut m, "triggers", triggers);
        if !t.options.is_empty() {
            m.push(("with", options(&t.options)));
        }
        opt(&mut m, "comment", &t.comment);
        Y::Map(m)
    }

    fn column(&mut self, t: &Table, c: &Column) -> Y {
        let mut m = vec![("name", s(c.name.clone())), ("type", s(c.type_name.clone()))];
        flag(&mut m, "not_null", c.not_null && c.identity.is_none());
        let not_null_name = crate::ddl::explicit_not_null_name(t, c).map(str::to_string);
        opt(&mut m, "not_null_constraint", &not_null_name);
        opt(&mut m, "default", &c.default);
        if let Some(i) = &c.identity {
            if *i.sequence.name != format!("{}_{}_seq", t.name.name, c.name) {
                self.problems.push(format!(
                    "the identity sequence name {} of {}.{}",
                    i.sequence,
                    t.name,
                    ident(&c.name)
                ));
            }
            let mut im = vec![("generated", s(if i.always { "always" } else { "by default" }))];
            sequence_fields(&mut im, &i.options);
            im.retain(|(k, _)| *k != "type");
            m.push(("identity", Y::Map(im)));
        }
        opt(&mut m, "generated", &c.generated);
        if c.generated_virtual {
            self.problems.push(format!("the VIRTUAL generation of {}.{}", t.name, ident(&c.name)));
        }
        opt(&mut m, "collation", &c.collation.as_deref().map(unquoted));
        opt(&mut m, "comment", &c.comment);
        Y::Map(m)
    }

    fn index(&mut self, i: &Index, table: Option<&Table>) -> Y {
        let with_parameters = |o: &String| i.definition.contains(&format!("{o} ("));
        if i.key.iter().filter_map(|k| k.opclass.as_ref()).any(with_parameters) {
            self.problems.push(format!("operator class parameters of index {}", i.name));
        }
        let mut m = vec![("name", s(i.name.name.to_string()))];
        let keys = i
            .key
            .iter()
            .map(|k| {
                let is_column = table
                    .is_some_and(|t| t.columns.iter().any(|c| ident(&c.name) == k.expression))
                    || self
                        .catalog
                        .views
                        .get(&i.table)
                        .is_some_and(|v| v.columns.iter().any(|c| ident(c) == k.expression));
                let mut km = Vec::new();
                if is_column {
                    km.push(("column", s(k.expression.trim_matches('"').replace("\"\"", "\""))));
                } else {
                    km.push(("expression", s(k.expression.clone())));
                }
                opt(&mut km, "opclass", &k.opclass);
                opt(&mut km, "collation", &k.collation.as_deref().map(unquoted));
                if k.descending {
                    km.push(("order", s("desc")));
                }
                if k.nulls_first != k.descending {
                    km.push(("nulls", s(if k.nulls_first { "first" } else { "last" })));
                }
                Y::Map(km)
            })
            .collect();
        m.push(("columns", Y::List(keys)));
        flag(&mut m, "unique", i.unique);
        flag(&mut m, "nulls_not_distinct", i.nulls_not_distinct);
        if i.method != "btree" {
            m.push(("method", s(i.method.clone())));
        }
        opt(&mut m, "where", &i.predicate);
        if !i.include.is_empty() {
            m.push((
                "include",
                Y::List(i.include.iter().map(|c| s(c.trim_matches('"').to_string())).collect()),
            ));
        }
        if !i.options.is_empty() {
            m.push(("with", options(&i.options)));
        }
        opt(&mut m, "comment", &i.comment);
        Y::Map(m)
    }

    fn trigger(&mut self, t: &Trigger) -> Option<Y> {
        if t.constraint || t.definition.contains(" REFERENCING ") || t.enabled != 'O' {
            self.problems.push(format!(
                "trigger {} on {} (constraint trigger, transition tables or enable state)",
                ident(&t.name),
                t.table
            ));
            return None;
        }
        let timing = match t.timing {
            TriggerTiming::Before => "before",
            TriggerTiming::After => "after",
            TriggerTiming::InsteadOf => "instead of",
        };
        let events = t.events.iter().map(|e| s(format!("{e:?}").to_lowercase())).collect();
        let mut m = vec![("name", s(t.name.clone())), ("timing", s(timing)), ("events", Y::List(events))];
        if !t.update_columns.is_empty() {
            m.push(("update_of", Y::List(t.update_columns.iter().map(|c| s(c.clone())).collect())));
        }
        if !t.for_each_row {
            m.push(("for_each", s("statement")));
        }
        opt(&mut m, "when", &t.when);
        m.push(("function", s(t.function.name.to_string())));
        if &*t.function.schema != "public" {
            m.push(("function_schema", s(t.function.schema.to_string())));
        }
        if !t.arguments.is_empty() {
            m.push(("arguments", Y::List(t.arguments.iter().map(|a| s(a.clone())).collect())));
        }
        opt(&mut m, "comment", &t.comment);
        Some(Y::Map(m))
    }

    fn view(&mut self, v: &View) -> Y {
        let mut m = named(&v.name);
        flag(&mut m, "materialized", v.materialized);
        m.push(("query", s(v.query.trim_end_matches(';').to_string())));
        if !v.options.is_empty() {
            m.push(("with", options(&v.options)));
        }
        let indexes: Vec<Y> = self
            .catalog
            .indexes
            .values()
            .filter(|i| i.table == v.name)
            .map(|i| self.index(i, None))
            .collect();
        push_list(&mut m, "indexes", indexes);
        opt(&mut m, "comment", &v.comment);
        if !v.column_comments.is_empty() {
            m.push((
                "column_comments",
                Y::Map(v.column_comments.iter().map(|(k, c)| (leak(k.clone()), s(c.clone()))).collect()),
            ));
        }
        Y::Map(m)
    }
}

/// Map keys of this writer are `&'static str`; the few dynamic ones
/// (settings, view columns) are leaked, which is fine for a one-shot dump.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn cols(columns: &[String]) -> Y {
    Y::List(columns.iter().map(|c| s(c.clone())).collect())
}

fn options(opts: &[String]) -> Y {
    Y::Map(
        opts.iter()
            .filter_map(|o| o.split_once('='))
            .map(|(k, v)| (leak(k.to_string()), s(v.to_string())))
            .collect(),
    )
}

fn unique(c: &Constraint) -> Y {
    let mut m = vec![("name", s(c.name.clone())), ("columns", cols(&c.columns))];
    flag(&mut m, "nulls_not_distinct", c.definition.contains("NULLS NOT DISTINCT"));
    flag(&mut m, "deferrable", c.deferrable);
    flag(&mut m, "initially_deferred", c.initially_deferred);
    opt(&mut m, "comment", &c.comment);
    Y::Map(m)
}

fn foreign_key(c: &Constraint) -> Y {
    let fk = c.foreign_key.as_ref().expect("foreign keys carry their target");
    let mut r = vec![("table", s(fk.table.name.to_string()))];
    if &*fk.table.schema != "public" {
        r.push(("schema", s(fk.table.schema.to_string())));
    }
    r.push(("columns", cols(&fk.columns)));
    let mut m = vec![("name", s(c.name.clone())), ("columns", cols(&c.columns)), ("references", Y::Map(r))];
    if let Some(a) = action(fk.on_delete) {
        m.push(("on_delete", s(a)));
    }
    if let Some(a) = action(fk.on_update) {
        m.push(("on_update", s(a)));
    }
    if fk.match_type == 'f' {
        m.push(("match", s("full")));
    }
    flag(&mut m, "deferrable", c.deferrable);
    flag(&mut m, "initially_deferred", c.initially_deferred);
    flag(&mut m, "not_valid", !c.validated);
    opt(&mut m, "comment", &c.comment);
    Y::Map(m)
}

fn check(c: &Constraint) -> Y {
    let mut m = vec![("name", s(c.name.clone())), ("expression", s(check_expression(&c.definition)))];
    flag(&mut m, "no_inherit", c.no_inherit);
    flag(&mut m, "not_valid", !c.validated);
    opt(&mut m, "comment", &c.comment);
    Y::Map(m)
}

/// `EXCLUDE USING gist (a WITH =, b WITH &&) WHERE ((x IS NOT NULL))`.
fn exclude(c: &Constraint) -> Y {
    let d = &c.definition;
    let using =
        d.split("USING ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap_or("gist").to_string();
    let open = d.find('(').unwrap_or(0);
    let close = matching_paren(d, open).unwrap_or(d.len() - 1);
    let elements = split_top_level(&d[open + 1..close]);
    let mut m = vec![
        ("name", s(c.name.clone())),
        ("using", s(using)),
        ("elements", Y::List(elements.into_iter().map(s).collect())),
    ];
    if let Some(w) = find_top_level(d, " WHERE (", close) {
        let open = w + " WHERE ".len();
        let end = matching_paren(d, open).unwrap_or(d.len() - 1);
        m.push(("where", s(d[open + 1..end].to_string())));
    }
    opt(&mut m, "comment", &c.comment);
    Y::Map(m)
}

/// The body between `pg_get_functiondef`'s dollar quotes, as the YAML form
/// will write it back (it puts the body on lines of its own).
fn function_body(definition: &str) -> Option<String> {
    let start = definition.find("AS $")?;
    let tag_end = definition[start + 4..].find('$')? + start + 4;
    let tag = &definition[start + 3..=tag_end];
    let body_start = tag_end + 1;
    let body_end = definition[body_start..].rfind(tag)? + body_start;
    let body = &definition[body_start..body_end];
    Some(body.to_string())
}
