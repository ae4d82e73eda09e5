//! Loading the desired state: files → statements, in dependency order, with
//! their source positions and rename annotations. PostgreSQL itself then
//! elaborates them (see `elaborate`).

mod analyze;
mod annotations;
mod source;
mod split;
pub mod steps;
mod yaml;

pub use analyze::{Analysis, Created, StatementKind, DEFAULT_SCHEMA};
pub use annotations::{ColumnHint, Rename, RenameTarget};
pub use source::{FileText, Locator, SourceFile, Span};
pub use split::{tokenize_statement, Tok};

/// How desired SQL is read, wherever the server reads it: loaded into the
/// scratch database, and run by an apply (which runs the files' own
/// statements where it can). A statement means one thing whatever server
/// reads it: an unqualified name is in `public` (as the files' analysis
/// takes it, [`DEFAULT_SCHEMA`]), `'03/04/2024'` is March 4th (DateStyle
/// MDY), a timestamptz without a zone is UTC, a backslash is a backslash,
/// `'{a,NULL}'` holds a NULL and `x = NULL` is never true. Left to each
/// server's settings (a database's `search_path`, TimeZone,
/// `array_nulls`, `transform_null_equals`), the target read some
/// statements otherwise than the scratch database, and an apply never
/// converged. (The files' own `SET` statements are not run; see
/// `analyze::is_skippable`.)
pub const SESSION_SETTINGS: &str = "SET search_path = public; SET standard_conforming_strings = on; \
     SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC'; \
     SET array_nulls = on; SET transform_null_equals = off";

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, SourceSpan};

/// An error in the desired-state files, pointing at file, line and column.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{location}: {message}")]
pub struct SourceError {
    pub message: String,
    /// `path:line:col`.
    pub location: String,
    #[source_code]
    pub src: FileText,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl SourceError {
    pub fn at(
        file: &SourceFile,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> SourceError {
        SourceError {
            message: message.into(),
            location: file.describe(span.start),
            src: file.named_source(),
            span: span.source_span(),
            label: label.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> SourceError {
        self.help = Some(help.into());
        self
    }
}

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("no desired-state files (*.sql, *.yaml, *.yml) found in {0}")]
    NoFiles(String),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Source(Box<SourceError>),
}

impl LoadError {
    pub fn syntax(file: &SourceFile, file_id: usize, offset: usize, message: String) -> LoadError {
        let span = file.char_at(file_id, offset);
        LoadError::Source(Box::new(SourceError::at(file, span, message, "here")))
    }
}

impl From<SourceError> for LoadError {
    fn from(e: SourceError) -> Self {
        LoadError::Source(Box::new(e))
    }
}

/// One statement of the desired state.
#[derive(Debug, Clone)]
pub struct Statement {
    pub span: Span,
    /// The exact source text, without the final semicolon.
    pub text: String,
    pub analysis: Analysis,
    /// False for SQL generated from YAML: `text` is then not in the file,
    /// and `span` is the YAML object it came from.
    pub verbatim: bool,
    /// `CREATE ... IF NOT EXISTS`: declaring the object again is allowed.
    pub creates_if_missing: bool,
}

impl Statement {
    /// The significant tokens of `text`, positioned so that `start -
    /// span.start` is an offset in `text`. Tokenized again on each call:
    /// kept for every statement, tokens would outweigh the text twentyfold.
    pub fn tokens(&self) -> Vec<Tok> {
        split::tokenize_statement(&self.text, self.span.start)
    }
}

/// The desired state as statements, before PostgreSQL elaborates it.
#[derive(Debug)]
pub struct SourceSet {
    pub files: Vec<SourceFile>,
    /// In the order they will run.
    pub statements: Vec<Statement>,
    pub renames: Vec<Rename>,
    /// `@using` / `@backfill` annotations on columns.
    pub hints: Vec<ColumnHint>,
    /// Pre and post steps from `steps/` directories.
    pub data_steps: Vec<steps::DataStep>,
    /// Non-fatal findings, e.g. an annotation next to nothing renameable.
    pub warnings: Vec<SourceError>,
}

impl SourceSet {
    /// A set with no files, e.g. the live model standing in as a target.
    pub fn empty() -> SourceSet {
        SourceSet {
            files: Vec::new(),
            statements: Vec::new(),
            renames: Vec::new(),
            hints: Vec::new(),
            data_steps: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn file(&self, span: &Span) -> &SourceFile {
        &self.files[span.file]
    }

    pub fn error_at(&self, span: Span, message: impl Into<String>, label: impl Into<String>) -> SourceError {
        SourceError::at(self.file(&span), span, message, label)
    }
}

/// Reads `paths` (files, or directories searched recursively) into a
/// `SourceSet`.
pub fn load(paths: &[PathBuf]) -> Result<SourceSet, LoadError> {
    analyse(read(paths)?, paths)
}

/// The desired-state files in `paths` (files, or directories searched
/// recursively), read but not yet split: what the model cache's key is
/// made of (`cache::ModelCache::digest`).
pub fn read(paths: &[PathBuf]) -> Result<Vec<SourceFile>, LoadError> {
    let mut files = Vec::new();
    for path in paths {
        collect_files(path, &mut files)?;
    }
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(LoadError::NoFiles(shown.join(", ")));
    }
    files
        .iter()
        .map(|p| SourceFile::read(p).map_err(|source| LoadError::Read { path: p.clone(), source }))
        .collect()
}

/// Splits and analyses `files` (read from `paths` by [`read`]) and reads
/// the data steps next to them.
pub fn analyse(files: Vec<SourceFile>, paths: &[PathBuf]) -> Result<SourceSet, LoadError> {
    let mut set = from_sources(files)?;
    set.data_steps = steps::load_steps(paths)?;
    Ok(set)
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let read_err = |source| LoadError::Read { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(read_err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(read_err)?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            if steps::is_steps_dir(&entry) {
                continue; // pre/post steps, not desired state
            }
            collect_files(&entry, out)?;
        } else if is_desired_state_file(&entry) {
            out.push(entry);
        }
    }
    Ok(())
}

pub fn is_desired_state_file(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("sql" | "yaml" | "yml"))
}

/// Builds a `SourceSet` from files already in memory.
pub fn from_sources(files: Vec<SourceFile>) -> Result<SourceSet, LoadError> {
    let mut statements = Vec::new();
    let mut mentioned = Vec::new();
    let mut mentions = analyze::Mentions::default();
    let mut renames = Vec::new();
    let mut hints = Vec::new();
    let mut warnings = Vec::new();
    for result in split_files(&files) {
        let file = result?;
        let numbers = mentions.merge(file.mentions);
        for (statement, local) in file.statements {
            statements.push(statement);
            mentioned.push(analyze::renumbered(&local, &numbers));
        }
        renames.extend(file.renames);
        hints.extend(file.hints);
        warnings.extend(file.warnings);
    }
    check_duplicates(&files, &statements)?;
    let analyses: Vec<Analysis> = statements.iter().map(|s| s.analysis.clone()).collect();
    let order = analyze::order(&analyses, &mentions, &mentioned);
    let mut slots: Vec<Option<Statement>> = statements.into_iter().map(Some).collect();
    let statements = order.into_iter().filter_map(|i| slots[i].take()).collect();
    Ok(SourceSet { files, statements, renames, hints, data_steps: Vec::new(), warnings })
}

/// Each file split and analysed on its own, on as many threads as there are cores (at
/// 10,000 tables, splitting and analysing the files was a second of a
/// warm `plan` with one core busy), the results in file order: the first
/// error reported is the first file's.
fn split_files(files: &[SourceFile]) -> Vec<Result<FileResult, LoadError>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(files.len());
    if workers <= 1 {
        return files.iter().enumerate().map(|(id, file)| split_file(id, file)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<FileResult, LoadError>>>> =
        files.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let id = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(file) = files.get(id) else { break };
                let result = split_file(id, file);
                *results[id].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
            });
        }
    });
    results
        .into_iter()
        .map(|slot| {
            let result = slot.into_inner().unwrap_or_else(|e| e.into_inner());
            result.expect("every file is read")
        })
        .collect()
}

fn split_file(id: usize, file: &SourceFile) -> Result<FileResult, LoadError> {
    if !is_yaml(&file.path) {
        return sql_file(id, file);
    }
    let translation = yaml::translate(id, file)?;
    let mut mentions = analyze::Mentions::default();
    let statements =
        translation.statements.into_iter().map(|g| generated_statement(g, &mut mentions)).collect();
    Ok(FileResult {
        statements,
        renames: translation.renames,
        hints: translation.hints,
        warnings: Vec::new(),
        mentions,
    })
}

/// The name of the psql meta-command a statement is (`\restrict KEY`
/// is `restrict`).
fn meta_command(tokens: &[split::Tok]) -> Option<&str> {
    match &tokens.get(1)?.token {
        sqlparser::tokenizer::Token::Word(w) => Some(w.value.as_str()),
        _ => None,
    }
}

pub fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// One file's statements, each with the numbers of the names it mentions
/// in the file's own [`analyze::Mentions`].
struct FileResult {
    statements: Vec<(Statement, Vec<u32>)>,
    renames: Vec<Rename>,
    hints: Vec<ColumnHint>,
    warnings: Vec<SourceError>,
    mentions: analyze::Mentions,
}

fn sql_file(id: usize, file: &SourceFile) -> Result<FileResult, LoadError> {
    let mut mentions = analyze::Mentions::default();
    let split = split::split(id, file)?;
    let mut file_statements = Vec::new();
    let mut data_warnings = Vec::new();
    for raw in split.statements {
        if analyze::changes_name_resolution(&raw.tokens) {
            return Err(SourceError::at(
                file,
                raw.span,
                "this statement changes how names are resolved",
                "here",
            )
            .with_help("write schema-qualified names (app.table) instead of SET search_path")
            .into());
        }
        if raw.tokens.first().is_some_and(|t| t.token == sqlparser::tokenizer::Token::Backslash) {
            match meta_command(&raw.tokens) {
                // pg_dump (since 13.22, 14.19, 15.14, 16.10, 17.6) guards
                // its script with these; they change nothing in the schema.
                Some("restrict" | "unrestrict") => continue,
                Some("i" | "ir" | "include" | "include_relative") => {
                    return Err(SourceError::at(
                        file,
                        raw.span,
                        "psql meta-commands are not supported",
                        "here",
                    )
                    .with_help("list every file with --schema instead of \\i")
                    .into())
                }
                _ => {
                    return Err(SourceError::at(
                        file,
                        raw.span,
                        "psql meta-commands are not supported",
                        "here",
                    )
                    .with_help("desired-state files hold SQL statements only: remove the psql command")
                    .into())
                }
            }
        }
        if analyze::is_skippable(&raw.tokens) {
            continue;
        }
        if let Some(keyword) = analyze::writes_data(&raw.tokens) {
            let message = format!("{keyword} writes data, and the desired state is the schema only: not run");
            data_warnings.push(
                SourceError::at(file, raw.span, message, "not run")
                    .with_help("data changes go in a step file (steps/*.sql, `-- @step: before|after`)"),
            );
            continue;
        }
        if let Some(what) = analyze::acts_on_server(&raw.tokens) {
            let message = format!("{what} acts on the whole server, not on a database's schema: not run");
            data_warnings.push(
                SourceError::at(file, raw.span, message, "not run").with_help(
                    "databases, roles, tablespaces and server settings are managed outside pgrecon",
                ),
            );
            continue;
        }
        let text = file.text[raw.span.start..raw.span.end].to_string();
        let analysis = analyze::analyze(&text);
        file_statements.push((raw, analysis, text));
    }
    let views: Vec<annotations::StatementView> = file_statements
        .iter()
        .map(|(raw, analysis, _)| annotations::StatementView { raw, analysis })
        .collect();
    let (renames, mut problems) = annotations::find_renames(file, &split.comments, &views);
    let (hints, hint_problems) = annotations::find_column_hints(file, &split.comments, &views);
    problems.extend(hint_problems);
    let mut warnings: Vec<SourceError> =
        problems.into_iter().map(|p| SourceError::at(file, p.span, p.message, "this annotation")).collect();
    warnings.extend(data_warnings);
    let statements = file_statements
        .into_iter()
        .map(|(raw, analysis, text)| {
            let statement = Statement {
                span: raw.span,
                text,
                analysis,
                verbatim: true,
                creates_if_missing: creates_if_missing(&raw.tokens),
            };
            (statement, mentions.of(&raw.tokens))
        })
        .collect();
    Ok(FileResult { statements, renames, hints, warnings, mentions })
}

/// `IF NOT EXISTS` near the start of a statement.
fn creates_if_missing(tokens: &[Tok]) -> bool {
    tokens.iter().take(8).any(|t| t.is_keyword(sqlparser::keywords::Keyword::EXISTS))
}

/// A statement generated from YAML: analysed from its own text, placed at
/// the YAML object.
fn generated_statement(g: yaml::Generated, mentions: &mut analyze::Mentions) -> (Statement, Vec<u32>) {
    let tokens = split::tokenize_statement(&g.sql, g.span.start);
    let statement = Statement {
        span: g.span,
        analysis: analyze::analyze(&g.sql),
        text: g.sql,
        verbatim: false,
        creates_if_missing: creates_if_missing(&tokens),
    };
    (statement, mentions.of(&tokens))
}

/// Two statements creating the same relation (or trigger) is an error that
/// names both places, before anything runs.
#[allow(clippy::result_large_err)] // becomes a boxed LoadError at once
fn check_duplicates(files: &[SourceFile], statements: &[Statement]) -> Result<(), SourceError> {
    let mut seen: HashMap<&Created, &Statement> = HashMap::new();
    for s in statements {
        for c in &s.analysis.creates {
            if matches!(c, Created::Function(_) | Created::Extension(_)) || s.creates_if_missing {
                continue; // overloads and IF NOT EXISTS are legitimate
            }
            if let Some(first) = seen.insert(c, s) {
                let name = match c {
                    Created::Relation(n) => n.to_string(),
                    Created::Schema(n) => n.clone(),
                    Created::Trigger { table, name } => format!("trigger {name} on {table}"),
                    _ => String::new(),
                };
                let file = &files[s.span.file];
                let first = files[first.span.file].describe(first.span.start);
                let err =
                    SourceError::at(file, s.span, format!("{name} is declared twice"), "declared again here")
                        .with_help(format!("first declared at {first}; keep one of the two"));
                return Err(err);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(name: &str, text: &str) -> SourceFile {
        SourceFile::new(PathBuf::from(name), text.to_string())
    }

    /// Files are read on several threads, each numbering its names on its
    /// own: what one file creates must still come before what another
    /// file's statements need, across files read apart.
    #[test]
    fn statements_are_ordered_across_files_read_apart() {
        let files = vec![
            sql("1_orders.sql", "CREATE TABLE app.orders (id int, s app.status, c app.customers_ref);"),
            sql("2_refs.sql", "CREATE DOMAIN app.customers_ref AS int;"),
            sql("3_noise.sql", "CREATE TABLE other.t (id int);"),
            sql("4_types.sql", "CREATE TYPE app.status AS ENUM ('new');"),
            sql("5_schemas.sql", "CREATE SCHEMA app; CREATE SCHEMA other;"),
        ];
        let set = from_sources(files).expect("loads");
        let position = |needle: &str| {
            set.statements.iter().position(|s| s.text.contains(needle)).unwrap_or_else(|| panic!("{needle}"))
        };
        assert!(position("CREATE SCHEMA app") < position("CREATE TYPE app.status"));
        assert!(position("CREATE TYPE app.status") < position("CREATE TABLE app.orders"));
        assert!(position("CREATE DOMAIN app.customers_ref") < position("CREATE TABLE app.orders"));
        assert!(position("CREATE SCHEMA other") < position("CREATE TABLE other.t"));
    }

    /// With several bad files, the error is the first file's, whichever
    /// thread reads it.
    #[test]
    fn the_first_bad_file_is_the_one_reported() {
        for _ in 0..20 {
            let files = vec![
                sql("a.sql", "CREATE SCHEMA app;"),
                sql("b.sql", "CREATE TABLE app.t (id int);\nSET search_path = app;"),
                sql("c.sql", "\\i other.sql"),
                sql("d.sql", "SET search_path = x;"),
            ];
            let error = from_sources(files).expect_err("b.sql changes name resolution").to_string();
            assert!(error.starts_with("b.sql:2:1"), "{error}");
        }
    }
}
