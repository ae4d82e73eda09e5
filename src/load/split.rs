//! Splitting a SQL file into statements with sqlparser's tokenizer, which
//! knows PostgreSQL's quoting (dollar quotes, `E''` strings, quoted names)
//! and reports positions. Comments are kept for annotations.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use super::source::{SourceFile, Span};
use super::LoadError;
use crate::sql_scan;

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
    split_sized(file_id, file, PIECE_BYTES)
}

/// About how much text is tokenized at once.
const PIECE_BYTES: usize = 128 * 1024;

/// sqlparser hands back a whole text's tokens at once, some fifteen times
/// the text in memory: a large file is tokenized a piece at a time, cut
/// after semicolons outside quotes and comments. The tokenizer has the last
/// word: a piece must end with the semicolon it was cut after. Should one
/// not (or not tokenize at all), the scan misread the text and the whole
/// file is tokenized at once, which also gives an error its true position.
fn split_sized(file_id: usize, file: &SourceFile, size: usize) -> Result<SplitFile, LoadError> {
    let pieces = pieces(&file.text, size);
    if pieces.len() > 1 {
        if let Ok(Some(split)) = split_pieces(file_id, file, &pieces) {
            return Ok(split);
        }
    }
    let whole = split_pieces(file_id, file, std::slice::from_ref(&(0..file.text.len())))?;
    Ok(whole.expect("the last piece is not checked for its cut"))
}

/// The file's statements and comments from its pieces tokenized in turn;
/// `None` when a piece but the last does not end with the semicolon it
/// was cut after.
fn split_pieces(
    file_id: usize,
    file: &SourceFile,
    pieces: &[std::ops::Range<usize>],
) -> Result<Option<SplitFile>, LoadError> {
    let dialect = PostgreSqlDialect {};
    let mut splitter = Splitter::default();
    let mut locator = file.locator();
    for (k, piece) in pieces.iter().enumerate() {
        // Locations in a piece count from its start: moved to the file's
        // lines and columns before conversion to byte offsets.
        let (first_line, first_column) = file.line_col(piece.start);
        let (first_line, first_column) = (first_line as u64, first_column as u64);
        let in_file = |line: u64, column: u64| {
            if line == 1 {
                (first_line, first_column + column - 1)
            } else {
                (first_line + line - 1, column)
            }
        };
        let text = &file.text[piece.clone()];
        let tokens = Tokenizer::new(&dialect, text).tokenize_with_location().map_err(|e| {
            let (line, column) = in_file(e.location.line, e.location.column);
            LoadError::syntax(file, file_id, file.offset(line, column), e.message)
        })?;
        let mut ends_with_cut = false;
        for t in tokens {
            let (line, column) = in_file(t.span.start.line, t.span.start.column);
            let start = locator.offset(line, column);
            let (line, column) = in_file(t.span.end.line, t.span.end.column);
            let end = locator.offset(line, column);
            ends_with_cut = t.token == Token::SemiColon && end == piece.end;
            splitter.take(file_id, t.token, start, end);
        }
        if !ends_with_cut && k + 1 < pieces.len() {
            return Ok(None);
        }
    }
    splitter.finish(file_id);
    Ok(Some(SplitFile { statements: splitter.statements, comments: splitter.comments }))
}

/// Byte ranges covering `text`, each ending just after a semicolon outside
/// quotes, dollar quotes and comments once it holds at least `size` bytes.
/// Only where tokenizing may start afresh: the tokenizer itself decides
/// what the text means.
fn pieces(text: &str, size: usize) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        i = match bytes[i] {
            // sqlparser ends these at a carriage return too.
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                bytes[i..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(bytes.len(), |n| i + n + 1)
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => past_block_comment(bytes, i),
            b'\'' | b'"' => sql_scan::skip_quoted(bytes, i),
            b'$' => past_dollar_quoted(bytes, i),
            b';' => {
                if i + 1 - start >= size {
                    pieces.push(start..i + 1);
                    start = i + 1;
                }
                i + 1
            }
            _ => i + 1,
        };
    }
    if start < bytes.len() {
        pieces.push(start..bytes.len());
    }
    pieces
}

/// Past a `/* ... */` comment, which nests in PostgreSQL.
fn past_block_comment(bytes: &[u8], start: usize) -> usize {
    let (mut depth, mut i) = (0, start);
    while i < bytes.len() {
        if bytes[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// Past `$tag$ ... $tag$` when a dollar quote opens at `start`; else just
/// past the `$` (a parameter, or part of a name).
fn past_dollar_quoted(bytes: &[u8], start: usize) -> usize {
    let word = sql_scan::is_word_byte;
    if start > 0 && (word(bytes[start - 1]) || bytes[start - 1] == b'$') {
        return start + 1;
    }
    let tag_end =
        start + 1 + bytes[start + 1..].iter().position(|&b| !word(b)).unwrap_or(bytes.len() - start - 1);
    let opens_tag =
        bytes.get(tag_end) == Some(&b'$') && !bytes.get(start + 1).is_some_and(u8::is_ascii_digit);
    if !opens_tag {
        return start + 1;
    }
    let tag = &bytes[start..=tag_end];
    let body = tag_end + 1;
    bytes[body..].windows(tag.len()).position(|w| w == tag).map_or(bytes.len(), |n| body + n + tag.len())
}

/// The significant tokens of one statement's text (as [`split`] gives
/// them), positioned as if the text started at byte `base`. Statements do
/// not keep their tokens: at 10,000 tables they weigh twenty times the text,
/// and only the few statements a plan shows are read again.
pub fn tokenize_statement(text: &str, base: usize) -> Vec<Tok> {
    let scratch = SourceFile::new(std::path::PathBuf::new(), text.to_string());
    let Ok(split) = split(0, &scratch) else {
        return Vec::new();
    };
    let moved = |t: Tok| Tok { start: t.start + base, end: t.end + base, ..t };
    split.statements.into_iter().flat_map(|s| s.tokens).map(moved).collect()
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
    /// In a psql meta-command (`\restrict KEY`), which ends at the end of
    /// its line, not at a semicolon.
    meta_command: bool,
}

impl Splitter {
    fn take(&mut self, file_id: usize, token: Token, start: usize, end: usize) {
        if self.meta_command {
            match token {
                Token::Whitespace(Whitespace::Newline) | Token::EOF => {
                    self.meta_command = false;
                    self.finish(file_id);
                }
                Token::Whitespace(_) => {}
                token => self.current.push(Tok { token, start, end }),
            }
            return;
        }
        if token == Token::Backslash && self.current.is_empty() {
            self.meta_command = true;
        }
        match token {
            Token::Whitespace(Whitespace::SingleLineComment { comment, .. }) => {
                self.comments.push(Comment { text: comment, start, end });
            }
            Token::Whitespace(Whitespace::MultiLineComment(comment)) => {
                self.comments.push(Comment { text: comment, start, end });
            }
            Token::Whitespace(_) | Token::EOF => {}
            Token::SemiColon if self.atomic_depth == 0 => self.finish(file_id),
            token => self.push(Tok { token, start, end }),
        }
    }

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
    fn a_psql_meta_command_ends_with_its_line() {
        let t = texts("\\restrict Fya1t3ADT\n\nSET statement_timeout = 0;\nCREATE TABLE a (x int);\n\\unrestrict Fya1t3ADT\n");
        assert_eq!(
            t,
            [
                "\\restrict Fya1t3ADT",
                "SET statement_timeout = 0",
                "CREATE TABLE a (x int)",
                "\\unrestrict Fya1t3ADT"
            ]
        );
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

    /// Every SQL file of the repository splits into the same statements,
    /// comments and tokens whether tokenized whole or in small pieces.
    #[test]
    fn pieces_split_like_the_whole_file() {
        let mut files = Vec::new();
        for dir in ["schema", "examples", "tests/fixtures"] {
            collect_sql(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
        }
        let tricky = "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$ SELECT 'a;b' $body$;\n\
                      -- a comment; with a semicolon\nCREATE TABLE \"x;y\" (a text DEFAULT E'it\\'s;');\n\
                      /* nested /* ; */ ; */ SELECT $1, a$b FROM t; SELECT $$;$$;\n\
                      SELECT 1 WHERE 'a' LIKE'\\';\n-- don't; x\nSELECT 2;\r-- cr; comment\rSELECT 3;\n-- c\rSELECT 'a\n;b';";
        files.push(SourceFile::new("tricky.sql".into(), tricky.to_string()));
        assert!(files.len() > 3, "fixtures found: {}", files.len());
        let shape = |s: SplitFile| {
            let statements: Vec<_> = s
                .statements
                .iter()
                .map(|r| {
                    (r.span, r.tokens.iter().map(|t| (t.start, t.end, t.token.clone())).collect::<Vec<_>>())
                })
                .collect();
            let comments: Vec<_> = s.comments.iter().map(|c| (c.start, c.end, c.text.clone())).collect();
            (statements, comments)
        };
        for file in &files {
            let Ok(whole) = split_sized(0, file, usize::MAX) else {
                continue; // a malformed fixture
            };
            let in_pieces = split_sized(0, file, 1).expect("tokenizes in pieces as it does whole");
            assert!(shape(whole) == shape(in_pieces), "{} splits differently in pieces", file.path.display());
            // The pieces themselves, not the fallback, for these files.
            let pieces = pieces(&file.text, 1);
            assert!(
                split_pieces(0, file, &pieces).unwrap().is_some(),
                "{}: a cut fell where the tokenizer does not end a statement",
                file.path.display()
            );
        }
    }

    /// A cut the scan got wrong is caught even where the tokenizer accepts
    /// both pieces: here inside a line comment, which would make the rest
    /// of the comment SQL.
    #[test]
    fn a_piece_must_end_with_the_semicolon_it_was_cut_after() {
        let sql = "SELECT 1; -- a; b\nSELECT 2;";
        let file = SourceFile::new("t.sql".into(), sql.to_string());
        let cut = sql.find("a;").unwrap() + 2;
        assert!(split_pieces(0, &file, &[0..cut, cut..sql.len()]).unwrap().is_none());
        let right = sql.find(';').unwrap() + 1;
        assert!(split_pieces(0, &file, &[0..right, right..sql.len()]).unwrap().is_some());
    }

    fn collect_sql(dir: &std::path::Path, out: &mut Vec<SourceFile>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect_sql(&path, out);
            } else if path.extension().is_some_and(|e| e == "sql") {
                out.push(SourceFile::read(&path).unwrap());
            }
        }
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
