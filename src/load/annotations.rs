//! Rename annotations in SQL comments:
//!
//! ```sql
//! CREATE TABLE camera_zones (          -- @renamed-from: zones
//!     -- @renamed-from: cam_id
//!     camera_id int,
//!     CONSTRAINT zones_ok CHECK (...)  -- @renamed-from: zones_check
//! );
//! CREATE TYPE status AS ENUM ('ok', 'maintenance' -- @renamed-from: repair
//! );
//! ```
//!
//! An annotation at the end of a line names the construct that line starts
//! (for enum values: the value just before it); an annotation on a line of
//! its own names the construct that follows. psqldef's spelling
//! `@renamed from=old_name` is accepted too.

use crate::quote::truncated;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::analyze::{Analysis, Created, StatementKind};
use super::source::{SourceFile, Span};
use super::split::{Comment, RawStatement, Tok};
use crate::catalog::QualName;

/// What a rename annotation renames, named as in the desired state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameTarget {
    /// A schema: everything in it follows.
    Schema(String),
    /// A table, view, index, sequence or type: what the statement creates.
    Relation {
        kind: StatementKind,
        name: QualName,
    },
    Function(QualName),
    Column {
        table: QualName,
        column: String,
    },
    Constraint {
        table: QualName,
        name: String,
    },
    EnumValue {
        type_name: QualName,
        value: String,
    },
    /// An attribute of a composite type.
    Attribute {
        type_name: QualName,
        attribute: String,
    },
}

impl Rename {
    /// The names as the server keeps them: a name longer than 63 bytes in
    /// the files is the cut one in the database.
    pub fn truncated(self) -> Rename {
        let q = |n: QualName| QualName::new(truncated(&n.schema), truncated(&n.name));
        let s = |n: String| truncated(&n).to_string();
        let target = match self.target {
            RenameTarget::Schema(n) => RenameTarget::Schema(s(n)),
            RenameTarget::Relation { kind, name } => RenameTarget::Relation { kind, name: q(name) },
            RenameTarget::Function(n) => RenameTarget::Function(q(n)),
            RenameTarget::Column { table, column } => {
                RenameTarget::Column { table: q(table), column: s(column) }
            }
            RenameTarget::Constraint { table, name } => {
                RenameTarget::Constraint { table: q(table), name: s(name) }
            }
            RenameTarget::EnumValue { type_name, value } => {
                RenameTarget::EnumValue { type_name: q(type_name), value }
            }
            RenameTarget::Attribute { type_name, attribute } => {
                RenameTarget::Attribute { type_name: q(type_name), attribute: s(attribute) }
            }
        };
        Rename { target, from: q(self.from), ..self }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub target: RenameTarget,
    /// The old name; for relations and functions possibly schema-qualified
    /// (defaults to the new name's schema).
    pub from: QualName,
    pub span: Span,
    /// The rename is known to be due (a reverse plan undoing one that
    /// ran): an object of the same kind under the new name is in the
    /// way and is replaced (set aside, then dropped), where an annotation
    /// in the files would only warn (the rename may have run already).
    pub replaces: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationProblem {
    pub message: String,
    pub span: Span,
}

/// The old name in an annotation comment, if the comment is one.
fn annotation_name(comment: &str) -> Option<&str> {
    let text = comment.trim();
    let rest = text
        .strip_prefix("@renamed-from:")
        .or_else(|| text.strip_prefix("@renamed-from"))
        .or_else(|| text.strip_prefix("@renamed from="))
        .or_else(|| text.strip_prefix("@renamed from ="))?;
    Some(rest.trim())
}

/// `a.b`, `"Quoted Name"`, `app."Zones"`: split on dots outside quotes,
/// unquoted parts folded to lower case.
fn parse_name(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        let part = if chars.peek() == Some(&'"') {
            chars.next();
            let mut p = String::new();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        p.push('"');
                    }
                    '"' => break,
                    c => p.push(c),
                }
            }
            p
        } else {
            let p: String =
                std::iter::from_fn(|| chars.next_if(|c| *c != '.' && !c.is_whitespace())).collect();
            if p.is_empty() {
                return None;
            }
            p.to_lowercase()
        };
        parts.push(part);
        match chars.next() {
            Some('.') => continue,
            None => return Some(parts),
            Some(c) if c.is_whitespace() => return Some(parts),
            Some(_) => return None,
        }
    }
}

/// An enum value's old label as an annotation gives it: a string literal
/// (`'it''s'`), a quoted name (`"Two Words"`), or the text as written.
/// Labels are not names: unquoted, they keep their case and spaces.
fn enum_label(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(body) = text.strip_prefix('\'') {
        let body = body.strip_suffix('\'')?;
        let quotes_paired = !body.replace("''", "").contains('\'');
        return quotes_paired.then(|| body.replace("''", "'"));
    }
    if text.starts_with('"') {
        return parse_name(text).filter(|p| p.len() == 1).and_then(|mut p| p.pop());
    }
    Some(text.to_string())
}

pub struct StatementView<'a> {
    pub raw: &'a RawStatement,
    pub analysis: &'a Analysis,
}

pub fn find_renames(
    file: &SourceFile,
    comments: &[Comment],
    statements: &[StatementView<'_>],
) -> (Vec<Rename>, Vec<AnnotationProblem>) {
    let mut renames = Vec::new();
    let mut problems = Vec::new();
    for c in comments {
        let Some(name_text) = annotation_name(&c.text) else {
            continue;
        };
        let span =
            Span { file: statements.first().map_or(0, |s| s.raw.span.file), start: c.start, end: c.end };
        let problem = |message: String| AnnotationProblem { message, span };
        // A string literal is an enum label, one part whatever it holds
        // (`'1.0'`).
        let literal = name_text.trim_start().starts_with('\'').then(|| vec![name_text.trim().to_string()]);
        let Some(from) = literal.or_else(|| parse_name(name_text)).filter(|p| (1..=2).contains(&p.len()))
        else {
            problems
                .push(problem(format!("cannot read the name in rename annotation \"{}\"", c.text.trim())));
            continue;
        };
        let found = anchor(file, c, statements).and_then(|(s, i, eol)| {
            let st = &statements[s];
            match target(file, st, i, eol, c)? {
                // An enum value's old name has one part: `-- @renamed-from:
                // app.status` after a one-line CREATE TYPE names the type.
                RenameTarget::EnumValue { .. } if from.len() == 2 => {
                    statement_target(&st.raw.tokens, st.analysis)
                }
                other => Some(other),
            }
        });
        match found {
            Some(target) => {
                let from = match (from.as_slice(), &target) {
                    ([_, _], RenameTarget::Schema(_)) => {
                        problems.push(problem(format!(
                            "a schema's old name is one name, not \"{}\"",
                            name_text.trim()
                        )));
                        continue;
                    }
                    ([schema, name], _) => QualName::new(schema.clone(), name.clone()),
                    ([name], RenameTarget::Relation { name: new, .. } | RenameTarget::Function(new)) => {
                        QualName::new(new.schema.clone(), name.clone())
                    }
                    ([_], RenameTarget::EnumValue { .. }) => match enum_label(name_text) {
                        Some(label) => QualName::new(String::new(), label),
                        None => {
                            problems.push(problem(format!(
                                "cannot read the label in rename annotation \"{}\"",
                                c.text.trim()
                            )));
                            continue;
                        }
                    },
                    ([name], _) => QualName::new(String::new(), name.clone()),
                    _ => unreachable!("checked above"),
                };
                renames.push(Rename { target, from, span, replaces: false }.truncated());
            }
            None => problems.push(problem(
                "rename annotation is not next to a schema, table, column, constraint, index, type, view, function or enum value"
                    .to_string(),
            )),
        }
    }
    (renames, problems)
}

/// What a column annotation says about data: `@using: <expression>` (how a
/// type change converts values) or `@backfill: <expression>` (how a new
/// NOT NULL column gets values in existing rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnHint {
    pub table: QualName,
    pub column: String,
    pub using: Option<String>,
    pub backfill: Option<String>,
    pub span: Span,
}

fn hint_text<'a>(comment: &'a str, key: &str) -> Option<&'a str> {
    let value = comment.trim().strip_prefix(key)?;
    // A comment after the expression (`-- @using: length(c) -- why`) is the
    // writer's, not SQL: in the statement it would hide what follows.
    let value = crate::sql_scan::find_top_level(value, "--", 0).map_or(value, |end| &value[..end]);
    Some(value.trim()).filter(|t| !t.is_empty())
}

/// `-- @using:` and `-- @backfill:` annotations, placed like rename
/// annotations (end of a column's line, or the line before it).
pub fn find_column_hints(
    file: &SourceFile,
    comments: &[Comment],
    statements: &[StatementView<'_>],
) -> (Vec<ColumnHint>, Vec<AnnotationProblem>) {
    let mut hints = Vec::new();
    let mut problems = Vec::new();
    for c in comments {
        let using = hint_text(&c.text, "@using:");
        let backfill = hint_text(&c.text, "@backfill:");
        if using.is_none() && backfill.is_none() {
            continue;
        }
        let span =
            Span { file: statements.first().map_or(0, |s| s.raw.span.file), start: c.start, end: c.end };
        let anchored = anchor(file, c, statements).map(|(s, i, eol)| match (eol, i) {
            (true, 0) => (s, last_element_token(&statements[s], c).unwrap_or(0), eol),
            _ => (s, i, eol),
        });
        match anchored.and_then(|(s, i, eol)| target(file, &statements[s], i, eol, c)) {
            Some(RenameTarget::Column { table, column }) => hints.push(ColumnHint {
                table,
                column,
                using: using.map(str::to_string),
                backfill: backfill.map(str::to_string),
                span,
            }),
            _ => problems.push(AnnotationProblem {
                message: "@using and @backfill annotations belong next to a column".into(),
                span,
            }),
        }
    }
    (hints, problems)
}

/// The statement and token an annotation belongs to, and whether it is an
/// end-of-line annotation.
fn anchor(file: &SourceFile, c: &Comment, statements: &[StatementView<'_>]) -> Option<(usize, usize, bool)> {
    // End of line: the first token of the comment's line, before it.
    let on_line = first_token_from(statements, file.line_start(c.start))
        .filter(|&(s, i)| statements[s].raw.tokens[i].start < c.start);
    if let Some((s, i)) = on_line {
        // Statements begun on the line after that one: the annotation
        // follows the last (`CREATE TABLE x (...); CREATE INDEX i ON x (a);
        // -- @renamed-from: j` renames the index).
        let begun_before = |k: &usize| statements[*k].raw.tokens.first().is_some_and(|t| t.start < c.start);
        let last = (s + 1..statements.len()).take_while(begun_before).last();
        return Some(last.map_or((s, i, true), |k| (k, 0, true)));
    }
    // Own line: the first token after the comment.
    first_token_from(statements, c.end + 1).map(|(s, i)| (s, i, false))
}

/// A column hint at the end of a line that begins its statement (a
/// one-line `CREATE TABLE t (a int, b int NOT NULL -- @backfill: …`) is
/// about the element just before it, when the statement goes on after
/// the comment: the last token before the comment, a trailing comma
/// aside.
fn last_element_token(st: &StatementView<'_>, c: &Comment) -> Option<usize> {
    let tokens = &st.raw.tokens;
    let after = tokens.partition_point(|t| t.start < c.start);
    if after == 0 || after == tokens.len() {
        return None;
    }
    let last = after - 1;
    match tokens[last].token {
        Token::Comma => last.checked_sub(1),
        _ => Some(last),
    }
}

/// The first token starting at or after `offset`, as statement and token
/// index. Statements and their tokens are in file order, so both searches
/// are binary: a file may hold thousands of annotations and statements.
fn first_token_from(statements: &[StatementView<'_>], offset: usize) -> Option<(usize, usize)> {
    let s = statements.partition_point(|st| st.raw.tokens.last().is_none_or(|t| t.start < offset));
    let i = statements.get(s)?.raw.tokens.partition_point(|t| t.start < offset);
    Some((s, i))
}

fn target(
    file: &SourceFile,
    st: &StatementView<'_>,
    i: usize,
    end_of_line: bool,
    c: &Comment,
) -> Option<RenameTarget> {
    let tokens = &st.raw.tokens;
    let a = st.analysis;
    // Comma-first style (`  , a2 int -- @renamed-from: a`, or the comment
    // on the line before): the element after the line's leading comma.
    let leading_comma = tokens.get(i).is_some_and(|t| t.token == Token::Comma);
    let i = if leading_comma && i + 1 < tokens.len() { i + 1 } else { i };
    // After the whole statement, on a line of its own or its closing
    // parenthesis's (`CREATE TYPE d AS ENUM ('p', 'q'); -- @renamed-from:
    // c`, or `); -- @renamed-from: c` ending a CREATE TABLE): the
    // statement's, not its last element's.
    let after_statement = tokens.last().is_some_and(|t| t.end <= c.start);
    // The line begins the statement, or with the parenthesis closing it
    // (not one closing a last element over several lines: `  ));`).
    let depth_after = |i: usize| {
        tokens[..=i].iter().fold(0i32, |d, t| match t.token {
            Token::LParen => d + 1,
            Token::RParen => d - 1,
            _ => d,
        })
    };
    let closes_statement =
        |i: usize| tokens.get(i).is_some_and(|t| t.token == Token::RParen) && depth_after(i) == 0;
    let line_is_the_end = i == 0 || closes_statement(i);
    if end_of_line && after_statement && line_is_the_end {
        return statement_target(tokens, a);
    }
    if a.kind == StatementKind::CreateType {
        if let Some(value) = enum_value(file, tokens, i, end_of_line, c) {
            let Some(Created::Relation(type_name)) = a.creates.first() else {
                return None;
            };
            return Some(RenameTarget::EnumValue { type_name: type_name.clone(), value });
        }
    }
    if i == 0 {
        return statement_target(tokens, a);
    }
    // At the end of a line holding several elements (`id int, c int --
    // @using: …`): the last one begun on it, as for statements.
    let i = if end_of_line { last_element_token(st, c).filter(|&k| k > i).unwrap_or(i) } else { i };
    if a.kind == StatementKind::CreateType {
        let Some(Created::Relation(type_name)) = a.creates.first() else {
            return None;
        };
        return match table_element_target(tokens, i, type_name)? {
            RenameTarget::Column { table, column } => {
                Some(RenameTarget::Attribute { type_name: table, attribute: column })
            }
            _ => None,
        };
    }
    if a.kind == StatementKind::CreateTable {
        let Some(Created::Relation(table)) = a.creates.first() else {
            return None;
        };
        return table_element_target(tokens, i, table);
    }
    None
}

fn statement_target(tokens: &[Tok], a: &Analysis) -> Option<RenameTarget> {
    match (a.kind, a.creates.first()) {
        (StatementKind::AlterTable, _) => {
            let k = tokens.iter().position(|t| t.is_keyword(Keyword::CONSTRAINT))?;
            let name = tokens.get(k + 1)?.ident()?;
            Some(RenameTarget::Constraint { table: a.table.clone()?, name })
        }
        (StatementKind::CreateFunction, Some(Created::Function(name))) => {
            Some(RenameTarget::Function(name.clone()))
        }
        (StatementKind::CreateSchema, Some(Created::Schema(name))) => {
            Some(RenameTarget::Schema(name.clone()))
        }
        (kind, Some(Created::Relation(name))) => Some(RenameTarget::Relation { kind, name: name.clone() }),
        _ => None,
    }
}

/// The column or named constraint of a CREATE TABLE (or the attribute of a
/// CREATE TYPE ... AS) that token `i` is in.
fn table_element_target(tokens: &[Tok], i: usize, table: &QualName) -> Option<RenameTarget> {
    let open = tokens.iter().position(|t| t.token == Token::LParen)?;
    let mut depth = 0;
    let mut element_start = None;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => {
                depth += 1;
                if depth == 1 {
                    element_start = Some(k + 1);
                }
            }
            Token::RParen => depth -= 1,
            Token::Comma if depth == 1 => element_start = Some(k + 1),
            _ => {}
        }
        if k == i {
            break;
        }
    }
    let start = element_start.filter(|&s| s <= i)?;
    let first = tokens.get(start)?;
    if first.is_keyword(Keyword::CONSTRAINT) {
        let name = tokens.get(start + 1)?.ident()?;
        return Some(RenameTarget::Constraint { table: table.clone(), name });
    }
    let starts_constraint = matches!(
        first.keyword(),
        Some(
            Keyword::PRIMARY
                | Keyword::UNIQUE
                | Keyword::CHECK
                | Keyword::FOREIGN
                | Keyword::EXCLUDE
                | Keyword::LIKE
        )
    );
    if starts_constraint {
        return None; // an unnamed constraint has no name to carry over
    }
    Some(RenameTarget::Column { table: table.clone(), column: first.ident()? })
}

/// For `'value' -- @renamed-from: old` the value just before the comment on
/// its line; for an annotation on its own line, the value after it.
fn enum_value(file: &SourceFile, tokens: &[Tok], i: usize, end_of_line: bool, c: &Comment) -> Option<String> {
    let literal = |t: &Tok| match &t.token {
        Token::SingleQuotedString(s) => Some(s.clone()),
        _ => None,
    };
    if end_of_line {
        let line_start = file.line_start(c.start);
        tokens.iter().rev().filter(|t| t.end <= c.start && t.start >= line_start).find_map(literal)
    } else {
        tokens.get(i).and_then(literal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_spellings_and_quoted_names() {
        assert_eq!(annotation_name(" @renamed-from: zones\n"), Some("zones"));
        assert_eq!(annotation_name("@renamed from=\"user accounts\""), Some("\"user accounts\""));
        assert_eq!(annotation_name(" just a comment"), None);
        assert_eq!(parse_name("app.Zones"), Some(vec!["app".into(), "zones".into()]));
        assert_eq!(parse_name("\"user accounts\""), Some(vec!["user accounts".into()]));
        assert_eq!(parse_name("app.\"We\"\"ird\""), Some(vec!["app".into(), "We\"ird".into()]));
    }

    #[test]
    fn a_comment_after_a_hint_is_not_part_of_it() {
        assert_eq!(hint_text(" @using: length(c) -- counted in bytes", "@using:"), Some("length(c)"));
        assert_eq!(hint_text(" @backfill: 'a--b' ", "@backfill:"), Some("'a--b'"));
        assert_eq!(hint_text(" @using: -- nothing", "@using:"), None);
    }

    #[test]
    fn enum_labels_are_read_as_literals_quoted_names_or_as_written() {
        assert_eq!(enum_label(" 'it''s' "), Some("it's".into()));
        assert_eq!(enum_label("'x'"), Some("x".into()));
        assert_eq!(enum_label("\"Two Words\""), Some("Two Words".into()));
        assert_eq!(enum_label("Two Words"), Some("Two Words".into()));
        assert_eq!(enum_label("'it's'"), None);
        assert_eq!(enum_label("'open"), None);
    }

    /// Column hints at the end of a line: on a one-line CREATE TABLE the
    /// element before the comment, on its own line the line's column.
    #[test]
    fn end_of_line_column_hints_find_their_column() {
        let dir = std::env::temp_dir().join(format!("pgrecon-hints-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("schema.sql");
        std::fs::write(
            &path,
            "CREATE TABLE a (id int PRIMARY KEY, flag boolean NOT NULL -- @backfill: true\n);\n\
             CREATE TABLE b (id int PRIMARY KEY, n int NOT NULL, -- @backfill: 1\n m int);\n\
             CREATE TABLE c (\n  id int PRIMARY KEY,\n  k int NOT NULL, -- @backfill: 2\n  j int\n);\n",
        )
        .unwrap();
        let sources = crate::load::load(&[path]).unwrap();
        let hints: Vec<(String, String)> =
            sources.hints.iter().map(|h| (h.table.name.to_string(), h.column.clone())).collect();
        assert_eq!(hints, [("a".into(), "flag".into()), ("b".into(), "n".into()), ("c".into(), "k".into())]);
        assert!(sources.warnings.is_empty(), "{:?}", sources.warnings);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
