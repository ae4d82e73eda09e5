//! The user's own text for desired objects, so the planner creates them
//! from the same words a fresh build of the files would use. PostgreSQL's
//! deparse is not a fixpoint (`col IN ('a','b')` on varchar comes back as
//! `= ANY ((ARRAY[...])::text[])`), so only the original text gives exactly
//! the catalog a fresh build gives.
//!
//! Whole statements are kept for objects created by a statement of their
//! own (indexes, views, functions, triggers, types, sequences); fragments of
//! `CREATE TABLE` / `ALTER TABLE` statements for column defaults, generated
//! expressions and constraints. Where no source is found the planner uses
//! PostgreSQL's deparsed definition.

use std::collections::HashMap;

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use crate::catalog::{Catalog, ConstraintKind, QualName};
use crate::load::{Created, SourceSet, Statement, StatementKind, Tok};

#[derive(Debug, Default)]
pub struct SourceIndex {
    relations: HashMap<QualName, String>,
    functions: HashMap<QualName, Vec<String>>,
    triggers: HashMap<(QualName, String), String>,
    constraints: HashMap<(QualName, String), String>,
    defaults: HashMap<(QualName, String), String>,
    generated: HashMap<(QualName, String), String>,
}

impl SourceIndex {
    /// The statement that created an index, view, type, domain or sequence.
    pub fn relation(&self, name: &QualName) -> Option<&str> {
        self.relations.get(name).map(String::as_str)
    }

    /// The statement that created a function, when its name is not overloaded.
    pub fn function(&self, name: &QualName) -> Option<&str> {
        match self.functions.get(name).map(Vec::as_slice) {
            Some([only]) => Some(only),
            _ => None,
        }
    }

    pub fn trigger(&self, table: &QualName, name: &str) -> Option<&str> {
        self.triggers.get(&(table.clone(), name.to_string())).map(String::as_str)
    }

    /// A constraint's definition as written (`CHECK (...)`, `UNIQUE (...)`).
    pub fn constraint(&self, table: &QualName, name: &str) -> Option<&str> {
        self.constraints.get(&(table.clone(), name.to_string())).map(String::as_str)
    }

    pub fn default(&self, table: &QualName, column: &str) -> Option<&str> {
        self.defaults.get(&(table.clone(), column.to_string())).map(String::as_str)
    }

    pub fn generated(&self, table: &QualName, column: &str) -> Option<&str> {
        self.generated.get(&(table.clone(), column.to_string())).map(String::as_str)
    }

    /// The texts of the statements about the objects `wanted` accepts
    /// (by relation, type or function name; sub-objects by their table):
    /// a plan that changes a few tables of thousands reads only theirs.
    pub fn build(sources: &SourceSet, desired: &Catalog, wanted: impl Fn(&QualName) -> bool) -> SourceIndex {
        let mut index = <SourceIndex as Default>::default();
        let mut altered = std::collections::HashSet::new();
        for s in sources.statements.iter().filter(|s| s.verbatim) {
            if let Some(name) = altered_object(s) {
                altered.insert(name);
            } else if subject(s).is_none_or(&wanted) {
                index.statement(s, desired);
            }
        }
        // A later `ALTER FUNCTION … SET search_path`, `ALTER VIEW … SET
        // (security_barrier)`, `ALTER INDEX … SET (fillfactor)` changes what
        // the CREATE made: only the deparsed definition has both.
        index.relations.retain(|name, _| !altered.contains(name));
        index.functions.retain(|name, _| !altered.contains(name));
        // Overloads are counted in the model: a CREATE FUNCTION sqlparser
        // cannot read is not among the statements, and the one text found
        // would be taken for the other overload's.
        index.functions.retain(|name, _| overloads(desired, name) == 1);
        index
    }
}

/// How many functions of this name the desired model has.
fn overloads(desired: &Catalog, name: &QualName) -> usize {
    let first = crate::catalog::FunctionId { name: name.clone(), args: String::new() };
    desired.functions.range(first..).take_while(|(id, _)| id.name == *name).count()
}

/// The function, view, index or domain an `ALTER` statement changes.
fn altered_object(s: &Statement) -> Option<QualName> {
    if s.analysis.kind != StatementKind::Other {
        return None;
    }
    let toks = s.tokens();
    if !toks.first()?.is_keyword(Keyword::ALTER) {
        return None;
    }
    let kind_words = match toks.get(1)?.keyword()? {
        Keyword::FUNCTION | Keyword::PROCEDURE | Keyword::VIEW | Keyword::INDEX | Keyword::DOMAIN => 1,
        Keyword::MATERIALIZED if toks.get(2)?.is_keyword(Keyword::VIEW) => 2,
        _ => return None,
    };
    let mut at = 1 + kind_words;
    if toks.get(at)?.is_keyword(Keyword::IF) {
        at += 2; // IF EXISTS
    }
    let first = toks.get(at)?.ident()?;
    match (toks.get(at + 1).map(|t| &t.token), toks.get(at + 2).and_then(Tok::ident)) {
        (Some(Token::Period), Some(name)) => Some(QualName::new(first, name)),
        _ => Some(QualName::new("public", first)),
    }
}

/// `SELECT *`, `SELECT t.*`, `SELECT a, *`: a star where a column could be
/// (not `count(*)`).
fn selects_star(tokens: &[Tok]) -> bool {
    tokens.windows(2).any(|w| {
        w[1].token == Token::Mul
            && (matches!(w[0].token, Token::Comma | Token::Period)
                || w[0].is_keyword(Keyword::SELECT)
                || w[0].is_keyword(Keyword::DISTINCT)
                || w[0].is_keyword(Keyword::ALL))
    })
}

/// The object a statement is about, as [`SourceIndex::build`] filters.
fn subject(s: &Statement) -> Option<&QualName> {
    let a = &s.analysis;
    match (a.kind, a.creates.first()) {
        (StatementKind::AlterTable, _) => a.table.as_ref(),
        (_, Some(Created::Relation(name))) | (_, Some(Created::Function(name))) => Some(name),
        (_, Some(Created::Trigger { table, .. })) => Some(table),
        _ => None,
    }
}

impl SourceIndex {
    fn statement(&mut self, s: &Statement, desired: &Catalog) {
        let a = &s.analysis;
        match (a.kind, a.creates.first()) {
            (StatementKind::CreateTable, Some(Created::Relation(table))) => {
                self.create_table(s, table, desired)
            }
            (StatementKind::AlterTable, _) => {
                if let Some(table) = &a.table {
                    self.alter_table(s, table, desired);
                }
            }
            (StatementKind::CreateFunction, Some(Created::Function(name))) => {
                self.functions.entry(name.clone()).or_default().push(s.text.clone());
            }
            (StatementKind::CreateTrigger, Some(Created::Trigger { table, name })) => {
                self.triggers.insert((table.clone(), name.clone()), s.text.clone());
            }
            // `SELECT *` is expanded when the view is made: from the text, a
            // view would take columns the files add to the table after it.
            (StatementKind::CreateView, Some(Created::Relation(_))) if selects_star(&s.tokens()) => {}
            (_, Some(Created::Relation(name))) => {
                self.relations.insert(name.clone(), s.text.clone());
            }
            _ => {}
        }
    }

    fn create_table(&mut self, s: &Statement, table: &QualName, desired: &Catalog) {
        let tokens = s.tokens();
        let Some(open) = tokens.iter().position(|t| t.token == Token::LParen) else { return };
        let mut known = DesiredConstraints::new(table, desired);
        for element in elements(&tokens, open) {
            self.element(s, table, element, &mut known);
        }
    }

    /// `ALTER TABLE t ADD [COLUMN] ...`, `ADD CONSTRAINT`, `ALTER COLUMN c SET DEFAULT`.
    fn alter_table(&mut self, s: &Statement, table: &QualName, desired: &Catalog) {
        let toks = &s.tokens();
        let mut known = DesiredConstraints::new(table, desired);
        for (i, t) in toks.iter().enumerate() {
            if t.is_keyword(Keyword::ADD) {
                let start = if toks.get(i + 1).is_some_and(|n| n.is_keyword(Keyword::COLUMN)) {
                    i + 2
                } else {
                    i + 1
                };
                let end = top_level_end(toks, start);
                self.element(s, table, &toks[start..end], &mut known);
            } else if t.is_keyword(Keyword::SET)
                && toks.get(i + 1).is_some_and(|n| n.is_keyword(Keyword::DEFAULT))
            {
                // `ALTER [COLUMN] c SET DEFAULT`: COLUMN is optional.
                let column = (0..i).rev().find(|&k| toks[k].is_keyword(Keyword::ALTER)).and_then(|k| {
                    let c = if toks[k + 1].is_keyword(Keyword::COLUMN) { k + 2 } else { k + 1 };
                    toks.get(c).and_then(Tok::ident)
                });
                if let Some(column) = column {
                    let end = top_level_end(toks, i + 2);
                    if let Some(text) = span_text(s, &toks[i + 2..end]) {
                        if known.matches_default(&column, &text) {
                            self.defaults.insert((table.clone(), column), text);
                        }
                    }
                }
            }
        }
    }

    /// One element of a column/constraint list.
    fn element(&mut self, s: &Statement, table: &QualName, element: &[Tok], known: &mut DesiredConstraints) {
        let Some(first) = element.first() else { return };
        if first.is_keyword(Keyword::CONSTRAINT) {
            let clause = element.get(2..).unwrap_or(&[]);
            if let (Some(name), Some(text)) = (element.get(1).and_then(Tok::ident), span_text(s, clause)) {
                self.constraint_fragment(table, name, clause, text, known);
            }
            return;
        }
        if first.is_keyword(Keyword::CHECK) {
            if let (Some(name), Some(text)) = (known.next(element), span_text(s, element)) {
                self.constraint_fragment(table, name, element, text, known);
            }
            return;
        }
        let starts_other_constraint = matches!(
            first.keyword(),
            Some(Keyword::PRIMARY | Keyword::UNIQUE | Keyword::FOREIGN | Keyword::EXCLUDE | Keyword::LIKE)
        );
        if !starts_other_constraint {
            if let Some(column) = first.ident() {
                self.column(s, table, &column, element, known);
            }
        }
    }

    fn column(
        &mut self,
        s: &Statement,
        table: &QualName,
        column: &str,
        element: &[Tok],
        known: &mut DesiredConstraints,
    ) {
        let key = (table.clone(), column.to_string());
        let mut i = 1;
        while i < element.len() {
            let t = &element[i];
            if t.is_keyword(Keyword::DEFAULT) {
                let end = clause_end(element, i + 1);
                if let Some(text) = span_text(s, &element[i + 1..end]) {
                    if known.matches_default(column, &text) {
                        self.defaults.insert(key.clone(), text);
                    }
                }
                i = end;
                continue;
            }
            if t.is_keyword(Keyword::GENERATED)
                && element.get(i + 2).is_some_and(|a| a.is_keyword(Keyword::AS))
            {
                if let Some(open) = element[i..].iter().position(|x| x.token == Token::LParen).map(|p| p + i)
                {
                    let close = matching(element, open);
                    if let Some(text) = span_text(s, &element[open + 1..close]) {
                        if known.matches_generated(column, &text) {
                            self.generated.insert(key.clone(), text);
                        }
                    }
                    i = close + 1;
                    continue;
                }
            }
            if t.is_keyword(Keyword::CHECK) {
                let named = (i >= 2 && element[i - 2].is_keyword(Keyword::CONSTRAINT))
                    .then(|| element[i - 1].ident())
                    .flatten();
                let end = clause_end(element, i + 1);
                let clause = &element[i..end];
                let name = named.or_else(|| known.next_for_column(column));
                if let (Some(name), Some(text)) = (name, span_text(s, clause)) {
                    self.constraint_fragment(table, name, clause, text, known);
                }
                i = end;
                continue;
            }
            i += 1;
        }
    }

    /// Keeps a constraint's text when the desired table has a constraint of
    /// that name and kind: PostgreSQL folds `UNIQUE (c)` next to `PRIMARY
    /// KEY (c)` into the primary key, named like the UNIQUE, whose words
    /// would then create the wrong constraint.
    fn constraint_fragment(
        &mut self,
        table: &QualName,
        name: String,
        clause: &[Tok],
        text: String,
        known: &DesiredConstraints,
    ) {
        let written = match clause.first().and_then(Tok::keyword) {
            Some(Keyword::CHECK) => ConstraintKind::Check,
            Some(Keyword::PRIMARY) => ConstraintKind::PrimaryKey,
            Some(Keyword::UNIQUE) => ConstraintKind::Unique,
            Some(Keyword::FOREIGN) => ConstraintKind::ForeignKey,
            Some(Keyword::EXCLUDE) => ConstraintKind::Exclude,
            _ => return,
        };
        if known.kinds.get(&name) != Some(&written) {
            return;
        }
        // `UNIQUE USING INDEX idx` names an index the constraint takes over
        // (and renames): the model's definition lists the columns.
        let keywords: Vec<Option<Keyword>> = clause.iter().map(Tok::keyword).collect();
        if keywords.windows(2).any(|w| w == [Some(Keyword::USING), Some(Keyword::INDEX)]) {
            return;
        }
        // The name of an unnamed CHECK is a guess (see `DesiredConstraints`):
        // a wrong one would create another constraint's expression.
        if written == ConstraintKind::Check && !known.matches_check(&name, &text) {
            return;
        }
        self.constraints.insert((table.clone(), name), text);
    }
}

/// The exact source text covering `tokens`.
fn span_text(s: &Statement, tokens: &[Tok]) -> Option<String> {
    let (first, last) = (tokens.first()?, tokens.last()?);
    let base = s.span.start;
    s.text.get(first.start - base..last.end - base).map(str::to_string)
}

/// Token ranges of the comma-separated elements inside the parentheses
/// that open at `open`.
fn elements(tokens: &[Tok], open: usize) -> Vec<&[Tok]> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = open + 1;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => {
                depth -= 1;
                if depth == 0 {
                    out.push(&tokens[start..k]);
                    break;
                }
            }
            Token::Comma if depth == 1 => {
                out.push(&tokens[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    out
}

fn matching(tokens: &[Tok], open: usize) -> usize {
    let mut depth = 0;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    tokens.len().saturating_sub(1)
}

/// End of an `ALTER TABLE` action: the next top-level comma.
fn top_level_end(tokens: &[Tok], start: usize) -> usize {
    let mut depth = 0;
    for (k, t) in tokens.iter().enumerate().skip(start) {
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth -= 1,
            Token::Comma if depth == 0 => return k,
            _ => {}
        }
    }
    tokens.len()
}

/// End of a column clause (a default expression, a CHECK): the next
/// top-level keyword that starts another clause.
fn clause_end(tokens: &[Tok], start: usize) -> usize {
    let mut depth = 0;
    for (k, t) in tokens.iter().enumerate().skip(start) {
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth -= 1,
            _ if depth == 0 && k > start => {
                let starts_clause = matches!(
                    t.keyword(),
                    Some(
                        Keyword::NOT
                            | Keyword::NULL
                            | Keyword::CONSTRAINT
                            | Keyword::CHECK
                            | Keyword::DEFAULT
                            | Keyword::UNIQUE
                            | Keyword::PRIMARY
                            | Keyword::REFERENCES
                            | Keyword::GENERATED
                            | Keyword::COLLATE
                    )
                );
                // `NOT` inside an expression (`DEFAULT NOT false`) also ends
                // the clause; the fragment is then incomplete, and a default
                // like that is rare enough not to matter.
                if starts_clause {
                    return k;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// The desired table's constraints: their kinds, and the names PostgreSQL
/// gives unnamed CHECK constraints (`table_column_check` when the expression
/// uses exactly one column or is a column's own constraint, else
/// `table_check`, with a number added on repeats).
struct DesiredConstraints {
    table: QualName,
    model: Option<std::sync::Arc<crate::catalog::Table>>,
    columns: Vec<String>,
    used: HashMap<String, usize>,
    existing: Vec<String>,
    /// The desired table's constraints, by name.
    kinds: HashMap<String, ConstraintKind>,
}

impl DesiredConstraints {
    fn new(table: &QualName, desired: &Catalog) -> DesiredConstraints {
        let t = desired.tables.get(table);
        DesiredConstraints {
            table: table.clone(),
            model: t.cloned(),
            columns: t.map(|t| t.columns.iter().map(|c| c.name.clone()).collect()).unwrap_or_default(),
            used: HashMap::new(),
            existing: t
                .map(|t| {
                    t.constraints
                        .values()
                        .filter(|c| c.kind == ConstraintKind::Check)
                        .map(|c| c.name.clone())
                        .collect()
                })
                .unwrap_or_default(),
            kinds: t
                .map(|t| t.constraints.values().map(|c| (c.name.clone(), c.kind)).collect())
                .unwrap_or_default(),
        }
    }

    /// Whether `text` can be the desired CHECK `name`, as PostgreSQL prints it.
    fn matches_check(&self, name: &str, text: &str) -> bool {
        let model = self.model.as_ref().and_then(|t| t.constraints.get(name));
        model.is_some_and(|c| same_words(text, &c.definition, &self.columns))
    }

    fn matches_default(&self, column: &str, text: &str) -> bool {
        let model = self.model.as_ref().and_then(|t| t.column(column)).and_then(|c| c.default.as_deref());
        model.is_some_and(|d| same_words(text, d, &self.columns))
    }

    fn matches_generated(&self, column: &str, text: &str) -> bool {
        let model = self.model.as_ref().and_then(|t| t.column(column)).and_then(|c| c.generated.as_deref());
        model.is_some_and(|g| same_words(text, g, &self.columns))
    }

    fn next(&mut self, element: &[Tok]) -> Option<String> {
        let mut referenced: Vec<String> =
            element.iter().filter_map(Tok::ident).filter(|w| self.columns.contains(w)).collect();
        referenced.dedup();
        let base = match referenced.as_slice() {
            [only] => format!("{}_{only}_check", self.table.name),
            _ => format!("{}_check", self.table.name),
        };
        self.numbered(base)
    }

    fn next_for_column(&mut self, column: &str) -> Option<String> {
        self.numbered(format!("{}_{column}_check", self.table.name))
    }

    fn numbered(&mut self, base: String) -> Option<String> {
        let n = self.used.entry(base.clone()).or_insert(0);
        let name = if *n == 0 { base.clone() } else { format!("{base}{n}") };
        *n += 1;
        self.existing.contains(&name).then_some(name)
    }
}

/// Whether a fragment of the files and PostgreSQL's deparse name the same
/// columns and literals. The deparse adds casts and parentheses and spells
/// `IN (...)` as `= ANY (ARRAY[...])`, but keeps those; the fragment of
/// another constraint or column names other ones.
fn same_words(text: &str, deparsed: &str, columns: &[String]) -> bool {
    let words = |text: &str| -> std::collections::BTreeSet<String> {
        let word = |t: Tok| match t.token {
            Token::Word(_) => {
                t.ident().filter(|name| columns.contains(name)).map(|name| format!("column {name}"))
            }
            Token::Number(n, _) => Some(format!("number {n}")),
            Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => Some(format!("string {s}")),
            _ => None,
        };
        crate::load::tokenize_statement(text, 0).into_iter().filter_map(word).collect()
    };
    words(text) == words(deparsed)
}

#[cfg(test)]
mod tests {
    use super::same_words;

    #[test]
    fn a_fragment_matches_its_own_deparse_only() {
        let columns = ["a".to_string(), "b".to_string(), "status".to_string()];
        assert!(same_words(
            "CHECK (status IN ('new', 'done'))",
            "CHECK (((status)::text = ANY ((ARRAY['new'::character varying, 'done'::character varying])::text[])))",
            &columns
        ));
        assert!(same_words("CHECK (b > a)", "CHECK ((b > a))", &columns));
        assert!(!same_words("CHECK (b < 100)", "CHECK ((b > a))", &columns));
        assert!(!same_words("CHECK (a < 10)", "CHECK ((a > 0))", &columns));
        assert!(!same_words("7", "1", &columns));
        assert!(same_words("now()", "now()", &columns));
    }
}
