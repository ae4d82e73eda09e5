//! What each statement creates (from sqlparser's AST) and which names it
//! mentions (from its tokens), to order the statements by dependency.
//!
//! sqlparser does not read every valid PostgreSQL statement; a statement it
//! rejects still loads (PostgreSQL decides what is valid), it just brings no
//! ordering facts of its own, and the elaborator's retry of statements that
//! failed with "does not exist" covers it.

use std::collections::HashMap;

use sqlparser::ast::{ObjectName, ObjectNamePart, SchemaName, Statement as Ast};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::split::Tok;
use crate::catalog::QualName;

/// The schema unqualified names resolve to (the default `search_path`).
pub const DEFAULT_SCHEMA: &str = "public";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    CreateTable,
    CreateIndex,
    CreateView,
    CreateFunction,
    CreateTrigger,
    CreateType,
    CreateDomain,
    CreateSequence,
    CreateSchema,
    CreateExtension,
    AlterTable,
    /// Anything else PostgreSQL accepts (COMMENT ON, ALTER SEQUENCE, ...).
    Other,
}

/// A name a statement creates, in the namespace it occupies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Created {
    /// Tables, views, sequences, indexes and types share a namespace per schema
    /// (a type and a table of the same name conflict too).
    Relation(QualName),
    Function(QualName),
    Schema(String),
    Extension(String),
    Trigger {
        table: QualName,
        name: String,
    },
}

#[derive(Debug, Clone)]
pub struct Analysis {
    pub kind: StatementKind,
    pub creates: Vec<Created>,
    /// For CREATE INDEX / CREATE TRIGGER / ALTER TABLE: the table acted on.
    pub table: Option<QualName>,
}

fn ident_value(part: &ObjectNamePart) -> Option<String> {
    let ident = part.as_ident()?;
    Some(match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    })
}

pub fn qualname(name: &ObjectName) -> Option<QualName> {
    let parts: Vec<String> = name.0.iter().map(ident_value).collect::<Option<_>>()?;
    match parts.as_slice() {
        [name] => Some(QualName::new(DEFAULT_SCHEMA, name.clone())),
        [schema, name] => Some(QualName::new(schema.clone(), name.clone())),
        _ => None,
    }
}

pub fn analyze(text: &str) -> Analysis {
    let unknown = Analysis { kind: StatementKind::Other, creates: Vec::new(), table: None };
    match parse_one(text) {
        Some(ast) => from_ast(&ast).unwrap_or(unknown),
        None => created_by_head(text).unwrap_or(unknown),
    }
}

/// A `CREATE TABLE`, `DOMAIN`, `TYPE` or `SEQUENCE` sqlparser cannot read
/// whole (a clause newer than it, such as `ON DELETE SET NULL (col)`, or
/// one it lacks, such as a domain's `NOT NULL`): still that object, named
/// by the statement's head, so that its rename annotations and ordering
/// facts hold.
fn created_by_head(text: &str) -> Option<Analysis> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).try_with_sql(text).ok()?;
    parser.parse_keyword(Keyword::CREATE).then_some(())?;
    let _ = parser.parse_one_of_keywords(&[Keyword::UNLOGGED, Keyword::TEMP, Keyword::TEMPORARY]);
    let kind = match parser.parse_one_of_keywords(&[
        Keyword::TABLE,
        Keyword::DOMAIN,
        Keyword::TYPE,
        Keyword::SEQUENCE,
    ])? {
        Keyword::TABLE => StatementKind::CreateTable,
        Keyword::DOMAIN => StatementKind::CreateDomain,
        Keyword::TYPE => StatementKind::CreateType,
        _ => StatementKind::CreateSequence,
    };
    let _ = parser.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = qualname(&parser.parse_object_name(false).ok()?)?;
    if kind == StatementKind::CreateTable {
        parser.consume_token(&Token::LParen).then_some(())?;
    }
    Some(Analysis { kind, creates: vec![Created::Relation(name)], table: None })
}

/// Parses exactly one statement; `None` when sqlparser cannot read it or
/// stops before its end (which `parse_statement` can do without an error).
fn parse_one(text: &str) -> Option<Ast> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).try_with_sql(text).ok()?;
    let statement = parser.parse_statement().ok()?;
    let _ = parser.consume_token(&Token::SemiColon);
    (parser.peek_token().token == Token::EOF).then_some(statement)
}

fn from_ast(ast: &Ast) -> Option<Analysis> {
    use StatementKind as K;
    let rel = |n: &ObjectName| qualname(n).map(Created::Relation);
    let (kind, creates, table) = match ast {
        Ast::CreateTable(t) => (K::CreateTable, rel(&t.name), None),
        Ast::CreateView(v) => (K::CreateView, rel(&v.name), None),
        Ast::CreateIndex(i) => (
            K::CreateIndex,
            i.name.as_ref().and_then(|n| {
                // An index lives in its table's schema.
                let table = qualname(&i.table_name)?;
                let name = qualname(n)?;
                Some(Created::Relation(QualName::new(table.schema, name.name)))
            }),
            qualname(&i.table_name),
        ),
        Ast::CreateFunction(f) => (K::CreateFunction, qualname(&f.name).map(Created::Function), None),
        Ast::CreateProcedure { name, .. } => (K::CreateFunction, qualname(name).map(Created::Function), None),
        Ast::CreateTrigger(t) => {
            let table = qualname(&t.table_name);
            let name = t.name.0.last().and_then(ident_value);
            let created = table.clone().zip(name).map(|(table, name)| Created::Trigger { table, name });
            (K::CreateTrigger, created, table)
        }
        Ast::CreateType { name, .. } => (K::CreateType, rel(name), None),
        Ast::CreateDomain(d) => (K::CreateDomain, rel(&d.name), None),
        Ast::CreateSequence { name, .. } => (K::CreateSequence, rel(name), None),
        Ast::CreateSchema { schema_name, .. } => {
            let name = match schema_name {
                SchemaName::Simple(n) | SchemaName::NamedAuthorization(n, _) => {
                    n.0.last().and_then(ident_value)
                }
                SchemaName::UnnamedAuthorization(_) => None,
            };
            (K::CreateSchema, name.map(Created::Schema), None)
        }
        Ast::CreateExtension(e) => {
            let name = match e.name.quote_style {
                Some(_) => e.name.value.clone(),
                None => e.name.value.to_lowercase(),
            };
            (K::CreateExtension, Some(Created::Extension(name)), None)
        }
        Ast::AlterTable(a) => (K::AlterTable, None, qualname(&a.name)),
        _ => return None,
    };
    Some(Analysis { kind, creates: creates.into_iter().collect(), table })
}

/// Every name the tokens could refer to: `a`, `a.b` (schema.object or
/// table.column), each as the relation or function it might be.
pub fn mentioned_names(tokens: &[Tok]) -> Vec<QualName> {
    let mut names = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(first) = tokens[i].ident() else {
            i += 1;
            continue;
        };
        let dotted = tokens.get(i + 1).is_some_and(|t| t.token == Token::Period);
        match (dotted, tokens.get(i + 2).and_then(Tok::ident)) {
            (true, Some(second)) => {
                names.push(QualName::new(first.clone(), second));
                names.push(QualName::new(DEFAULT_SCHEMA, first));
                i += 3;
            }
            _ => {
                names.push(QualName::new(DEFAULT_SCHEMA, first));
                i += 1;
            }
        }
    }
    names
}

/// The names statements mention, each stored once: between splitting a
/// file and ordering every statement, a statement keeps the numbers of the
/// names it mentions rather than its tokens.
#[derive(Default)]
pub struct Mentions {
    numbers: HashMap<QualName, u32>,
    names: Vec<QualName>,
}

impl Mentions {
    /// The distinct names `tokens` mention, as numbers.
    pub fn of(&mut self, tokens: &[Tok]) -> Vec<u32> {
        let mut numbers: Vec<u32> = mentioned_names(tokens).into_iter().map(|n| self.number(n)).collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }

    /// Takes in the names of `other`, numbered on their own (another
    /// file's): returns the number here of each of `other`'s numbers.
    pub fn merge(&mut self, other: Mentions) -> Vec<u32> {
        other.names.into_iter().map(|name| self.number(name)).collect()
    }

    fn number(&mut self, name: QualName) -> u32 {
        if let Some(&n) = self.numbers.get(&name) {
            return n;
        }
        let n = self.names.len() as u32;
        self.names.push(name.clone());
        self.numbers.insert(name, n);
        n
    }
}

/// `numbers` (of the names a statement mentions) as [`Mentions::merge`]
/// renumbered them, sorted and distinct.
pub fn renumbered(numbers: &[u32], merged: &[u32]) -> Vec<u32> {
    let mut renumbered: Vec<u32> = numbers.iter().map(|&n| merged[n as usize]).collect();
    renumbered.sort_unstable();
    renumbered
}

/// Order statements so that each comes after the statements creating the
/// names it mentions (`mentioned[i]`, numbers of `mentions`); ties and
/// cycles keep file order.
pub fn order(analyses: &[Analysis], mentions: &Mentions, mentioned: &[Vec<u32>]) -> Vec<usize> {
    let mut creators: HashMap<QualName, usize> = HashMap::new();
    for (i, a) in analyses.iter().enumerate() {
        for c in &a.creates {
            let name = match c {
                Created::Relation(n) | Created::Function(n) => n.clone(),
                Created::Schema(s) | Created::Extension(s) => QualName::new(DEFAULT_SCHEMA, s.clone()),
                Created::Trigger { .. } => continue,
            };
            creators.entry(name).or_insert(i);
        }
    }
    // A qualified name also depends on its schema's CREATE SCHEMA.
    let creators_of: Vec<[Option<usize>; 2]> = mentions
        .names
        .iter()
        .map(|name| {
            let schema = QualName::new(DEFAULT_SCHEMA, name.schema.clone());
            [creators.get(name).copied(), creators.get(&schema).copied()]
        })
        .collect();
    let mut edges = Vec::new();
    for (i, numbers) in mentioned.iter().enumerate() {
        for &n in numbers {
            for creator in creators_of[n as usize].into_iter().flatten() {
                if creator != i {
                    edges.push((creator, i));
                }
            }
        }
    }
    let nodes: Vec<crate::order::Node<(), usize>> =
        (0..analyses.len()).map(|i| crate::order::Node { group: (), key: i }).collect();
    crate::order::order(&nodes, &edges).unwrap_or_else(|_| (0..analyses.len()).collect())
}

/// Statements pgrecon does not run: transaction control (pgrecon manages
/// transactions itself) and session settings that pg_dump writes.
pub fn is_skippable(tokens: &[Tok]) -> bool {
    let first = tokens.first().and_then(Tok::keyword);
    let second = tokens.get(1).and_then(Tok::keyword);
    matches!(
        first,
        Some(Keyword::BEGIN | Keyword::COMMIT | Keyword::ROLLBACK | Keyword::END | Keyword::START)
    ) && !matches!(second, Some(Keyword::ATOMIC))
        || matches!(first, Some(Keyword::SET | Keyword::RESET)) && !changes_name_resolution(tokens)
        || is_set_config_call(tokens)
}

/// A statement that writes rows (`INSERT`, `UPDATE`, ...): the desired
/// state is a schema, so it is not run; the keyword, to name it.
pub fn writes_data(tokens: &[Tok]) -> Option<&'static str> {
    match tokens.first().and_then(Tok::keyword)? {
        Keyword::INSERT => Some("INSERT"),
        Keyword::UPDATE => Some("UPDATE"),
        Keyword::DELETE => Some("DELETE"),
        Keyword::MERGE => Some("MERGE"),
        Keyword::COPY => Some("COPY"),
        Keyword::TRUNCATE => Some("TRUNCATE"),
        _ => None,
    }
}

/// A statement that acts on the whole server (`DROP DATABASE`, `ALTER
/// ROLE`, `ALTER SYSTEM`, a role granted to another, ...): the scratch
/// database shares the target's server, so it must never run there; the
/// words that name it.
pub fn acts_on_server(tokens: &[Tok]) -> Option<String> {
    let word = |t: &Tok| t.keyword().and_then(|_| t.ident());
    let at = |i: usize| tokens.get(i).and_then(word);
    let server_object = |w: Option<String>, next: Option<String>| match w.as_deref() {
        Some("database" | "role" | "group" | "tablespace" | "system" | "subscription") => true,
        // CREATE USER MAPPING belongs to a foreign server in this database.
        Some("user") => next.as_deref() != Some("mapping"),
        _ => false,
    };
    let words =
        |n: usize| tokens.iter().take(n).map(|t| t.token.to_string().to_uppercase()).collect::<Vec<_>>();
    match at(0)?.as_str() {
        "create" | "alter" | "drop" if server_object(at(1), at(2)) => Some(words(2).join(" ")),
        // COMMENT ON ROLE, SECURITY LABEL [FOR provider] ON DATABASE.
        "comment" | "security" => {
            let on = (1..6).find(|&i| at(i).as_deref() == Some("on"))?;
            let kind = at(on + 1);
            (kind.as_deref() != Some("system") && server_object(kind, None)).then(|| words(on + 2).join(" "))
        }
        // GRANT role TO role: membership, kept by the server, not the database.
        "grant" | "revoke" if !tokens.iter().any(|t| t.is_keyword(Keyword::ON)) => Some(words(1).join(" ")),
        _ => None,
    }
}

/// `SET search_path` (and role changes) would make unqualified names mean
/// different things in the scratch database and in the target.
pub fn changes_name_resolution(tokens: &[Tok]) -> bool {
    let words: Vec<String> = tokens.iter().take(4).filter_map(Tok::ident).collect();
    matches!(tokens.first().and_then(Tok::keyword), Some(Keyword::SET | Keyword::RESET))
        && words.iter().any(|w| w == "search_path" || w == "role" || w == "authorization")
}

/// `SELECT pg_catalog.set_config('search_path', '', false);` from pg_dump.
fn is_set_config_call(tokens: &[Tok]) -> bool {
    tokens.first().is_some_and(|t| t.is_keyword(Keyword::SELECT))
        && tokens.iter().take(5).any(|t| t.ident().as_deref() == Some("set_config"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_acting_on_the_server_are_named() {
        let on_server = |sql: &str| acts_on_server(&crate::load::split::tokenize_statement(sql, 0));
        assert_eq!(on_server("DROP DATABASE other_app").as_deref(), Some("DROP DATABASE"));
        assert_eq!(on_server("ALTER ROLE app CONNECTION LIMIT 0").as_deref(), Some("ALTER ROLE"));
        assert_eq!(on_server("ALTER SYSTEM SET work_mem = '77kB'").as_deref(), Some("ALTER SYSTEM"));
        assert_eq!(on_server("CREATE USER reporting").as_deref(), Some("CREATE USER"));
        assert!(on_server("COMMENT ON ROLE app IS 'x'").is_some());
        assert!(on_server("GRANT reporting TO app").is_some());
        assert_eq!(on_server("CREATE USER MAPPING FOR app SERVER s"), None);
        assert_eq!(on_server("GRANT SELECT ON t TO app"), None);
        assert_eq!(on_server("CREATE TABLE database (id int)"), None);
        assert_eq!(on_server("COMMENT ON TABLE t IS 'the system'"), None);
        assert_eq!(on_server("COMMENT ON TABLE database IS 'x'"), None);
    }

    #[test]
    fn reads_what_statements_create() {
        let a = analyze("CREATE TABLE app.\"Zones\" (id int)");
        assert_eq!(a.creates, [Created::Relation(QualName::new("app", "Zones"))]);
        let a = analyze("CREATE INDEX idx ON app.t (x)");
        assert_eq!(a.creates, [Created::Relation(QualName::new("app", "idx"))]);
        assert_eq!(a.kind, StatementKind::CreateIndex);
    }

    #[test]
    fn a_table_sqlparser_cannot_read_whole_is_still_a_table() {
        let a = analyze(
            "CREATE UNLOGGED TABLE IF NOT EXISTS app.c (pid int, \
             FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL (pid) NONSENSE)",
        );
        assert_eq!(a.kind, StatementKind::CreateTable);
        assert_eq!(a.creates, [Created::Relation(QualName::new("app", "c"))]);
    }

    #[test]
    fn a_domain_or_sequence_sqlparser_cannot_read_is_named_by_its_head() {
        for (sql, kind, name) in [
            (
                "CREATE DOMAIN app.email AS text NOT NULL CHECK (VALUE LIKE '%@%')",
                StatementKind::CreateDomain,
                "email",
            ),
            ("CREATE DOMAIN f2 int NULL", StatementKind::CreateDomain, "f2"),
            (
                "CREATE SEQUENCE app.s INCREMENT BY 2 OWNED BY NONE NONSENSE",
                StatementKind::CreateSequence,
                "s",
            ),
        ] {
            let a = analyze(sql);
            assert_eq!(a.kind, kind, "{sql}");
            let schema = if sql.contains("app.") { "app" } else { "public" };
            assert_eq!(a.creates, [Created::Relation(QualName::new(schema, name))], "{sql}");
        }
    }

    #[test]
    fn unreadable_statements_are_other() {
        let a = analyze("ALTER SEQUENCE s INCREMENT BY 2 CACHE 10 OWNED BY NONE NONSENSE");
        assert_eq!(a.kind, StatementKind::Other);
    }
}
