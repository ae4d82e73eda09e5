//! Splitting a SQL file into statements with sqlparser's tokenizer, which
//! knows PostgreSQL's quoting (dollar quotes, `E''` strings, quoted names)
//! and reports positions. Comments are kept for annotations.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use super::source::{SourceFile, Span};
use super::LoadError;

/// A significant token (no whitespace, no comments) with its byte range.
#[derive(Debug, Clone)]
pub struct Tok {
    pub token: Token,
    pub start: usize,
    pub end: usize,
}

impl Tok {
    /// The keyword, for unquoted words.
    pub fn keyword(&self) -> Option<Keyword> {
        match &self.token {
            Token::Word(w) if w.quote_style.is_none() => Some(w.keyword),
            _ => None,
        }
    }

    pub fn is_keyword(&self, k: Keyword) -> bool {
        self.keyword() == Some(k)
    }

    /// The identifier this token names, folded as PostgreSQL folds it.
    pub fn ident(&self) -> Option<String> {
        match &self.token {
            Token::Word(w) if w.quote_style == Some('"') => Some(w.value.clone()),
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_lowercase()),
            _ => None,
        }
    }
}

/// A comment with its byte range.
#[derive(Debug, Clone)]
pub struct Comment {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One statement of a file.
#[derive(Debug, Clone)]
pub struct RawStatement {
    pub span: Span,
    pub tokens: Vec<Tok>,
}

pub struct SplitFile {
    pub statements: Vec<RawStatement>,
    pub comments: Vec<Comment>,
}

pub fn split(file_id: usize, file: &SourceFile) -> Result<SplitFile, LoadError> {
    let dialect = PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, &file.text).tokenize_with_location().map_err(|e| {
        LoadError::syntax(file, file_id, file.offset(e.location.line, e.location.column), e.message)
    })?;
    let mut splitter = Splitter::default();
    let mut locator = file.locator();
    for t in tokens {
        let start = locator.offset(t.span.start.line, t.span.start.column);
        let end = locator.offset(t.span.end.line, t.span.end.column);
        match t.token {
            Token::Whitespace(Whitespace::SingleLineComment { comment, .. }) => {
                splitter.comments.push(Comment { text: comment, start, end });
            }
            Token::Whitespace(Whitespace::MultiLineComment(comment)) => {
                splitter.comments.push(Comment { text: comment, start, end });
            }
            Token::Whitespace(_) | Token::EOF => {}
            Token::SemiColon if splitter.atomic_depth == 0 => splitter.finish(file_id),
            token => splitter.push(Tok { token, start, end }),
        }
    }
    splitter.finish(file_id);
    Ok(SplitFile { statements: splitter.statements, comments: splitter.comments })
}

/// The significant tokens of one statement's text (as [`split`] gives
/// them), positioned as if the text started at byte `base`. Statements do
/// not keep their tokens: at 10,000 tables they weigh twenty times the text,
/// and only the few statements a plan shows are read again.
pub fn tokenize_statement(text: &str, base: usize) -> Vec<Tok> {
    let scratch = SourceFile::new(std::path::PathBuf::new(), text.to_string());
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, text).tokenize_with_location() else {
        return Vec::new();
    };
    let mut locator = scratch.locator();
    let mut out = Vec::new();
    for t in tokens {
        if matches!(t.token, Token::Whitespace(_) | Token::EOF) {
            continue;
        }
        let start = base + locator.offset(t.span.start.line, t.span.start.column);
        let end = base + locator.offset(t.span.end.line, t.span.end.column);
        out.push(Tok { token: t.token, start, end });
    }
    out
}

#[derive(Default)]
struct Splitter {
    current: Vec<Tok>,
    statements: Vec<RawStatement>,
    comments: Vec<Comment>,
    /// Inside `BEGIN ATOMIC ... END` (SQL-standard function bodies), where
    /// semicolons separate the body's statements, not ours. CASE ... END
    /// nests inside.
    atomic_depth: u32,
}

impl Splitter {
    fn push(&mut self, tok: Tok) {
        let previous = self.current.last().and_then(Tok::keyword);
        match tok.keyword() {
            Some(Keyword::ATOMIC) if previous == Some(Keyword::BEGIN) => self.atomic_depth += 1,
            Some(Keyword::CASE) if self.atomic_depth > 0 => self.atomic_depth += 1,
            Some(Keyword::END) if self.atomic_depth > 0 => self.atomic_depth -= 1,
            _ => {}
        }
        self.current.push(tok);
    }

    fn finish(&mut self, file: usize) {
        if self.current.is_empty() {
            return;
        }
        let tokens = std::mem::take(&mut self.current);
        let span = Span { file, start: tokens[0].start, end: tokens[tokens.len() - 1].end };
        self.statements.push(RawStatement { span, tokens });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<String> {
        let file = SourceFile::new("t.sql".into(), sql.to_string());
        split(0, &file)
            .unwrap()
            .statements
            .iter()
            .map(|s| file.text[s.span.start..s.span.end].to_string())
            .collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes_and_atomic_bodies() {
        let sql = "CREATE TABLE a (x text DEFAULT ';');\n\
                   CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\n\
                   CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;\n\
                   -- trailing comment";
        let t = texts(sql);
        assert_eq!(t.len(), 3, "{t:?}");
        assert!(t[2].ends_with("SELECT 2; END"), "{}", t[2]);
    }

    #[test]
    fn a_statement_tokenized_again_has_the_positions_split_gave() {
        let sql = "SELECT 1;\nCREATE TABLE \"日本\" (x int DEFAULT 'é', y text);";
        let file = SourceFile::new("t.sql".into(), sql.to_string());
        let split = split(0, &file).unwrap();
        let raw = &split.statements[1];
        let again = tokenize_statement(&file.text[raw.span.start..raw.span.end], raw.span.start);
        let positions =
            |toks: &[Tok]| toks.iter().map(|t| (t.start, t.end, t.token.clone())).collect::<Vec<_>>();
        assert_eq!(positions(&again), positions(&raw.tokens));
    }

    #[test]
    fn positions_are_bytes_even_after_multibyte_characters() {
        let sql = "COMMENT ON TABLE t IS 'café';\nCREATE TABLE \"日本\" (x int);";
        assert_eq!(texts(sql)[1], "CREATE TABLE \"日本\" (x int)");
    }
}
