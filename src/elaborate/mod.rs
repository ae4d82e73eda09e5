//! Elaboration: PostgreSQL itself turns the desired statements into a
//! catalog, in a scratch database, and introspection reads it back into the
//! same model as the live database. Parse-only tools never converge, because
//! PostgreSQL rewrites expressions, types and view queries; this way both
//! sides of a comparison were written by PostgreSQL.
//!
//! Statements run in batches (one round trip per batch, each batch its own
//! implicit transaction so no batch holds too many locks). A statement that
//! fails because something it needs does not exist yet is retried after the
//! others, so files may come in any order.

mod scratch;

pub use scratch::{ScratchDatabase, ScratchServer};

use std::sync::Arc;

use miette::Diagnostic;
use tokio_postgres::error::{DbError, ErrorPosition, SqlState};

use crate::cache::{CachedModel, ModelCache};
use crate::catalog::{Catalog, QualName};
use crate::cluster::ClusterError;
use crate::connect::{describe, ConnectError, Target};
use crate::introspect::{IntrospectError, ReuseSlot};
use crate::load::{Created, SourceError, SourceSet, Statement};

/// The desired state: the model PostgreSQL elaborated, and the sources it
/// came from (statements with positions, rename annotations).
#[derive(Debug)]
pub struct DesiredState {
    pub catalog: Catalog,
    pub sources: SourceSet,
}

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ElaborateError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Source(Box<SourceError>),
    #[error("cannot create a scratch database on {server}: {reason}")]
    #[diagnostic(help(
        "pgrecon elaborates the desired state in a temporary database; give a role with CREATEDB, or point --dev-url at a server where it may create one"
    ))]
    CreateScratch { server: String, reason: String },
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    #[error("the scratch database failed: {0}")]
    Server(String),
    #[error(
        "the scratch server (--dev-url) runs PostgreSQL {scratch}, the target PostgreSQL {target}: \
         definitions printed by one major version differ from the other's, so the plan would never converge"
    )]
    #[diagnostic(help(
        "point --dev-url at a server of the target's major version, or leave it out to use the target's server"
    ))]
    VersionMismatch { scratch: i32, target: i32 },
}

impl From<SourceError> for ElaborateError {
    fn from(e: SourceError) -> Self {
        ElaborateError::Source(Box::new(e))
    }
}

/// How many statements go to the server in one round trip.
const BATCH: usize = 200;

/// Elaborates `sources` in a scratch database on `server`, which is always
/// dropped afterwards (also on error and on Ctrl-C).
pub async fn elaborate(sources: SourceSet, server: &ScratchServer) -> Result<DesiredState, ElaborateError> {
    Ok(elaborate_session(sources, server, &Arc::default()).await?.close().await)
}

/// The desired state, with the scratch database that holds it for
/// comparing expressions the way PostgreSQL deparses them (see
/// `plan::normalize`). With a cache hit there is no scratch database until a
/// comparison needs one ([`Session::ensure_scratch`]). `close` drops the
/// scratch database and records new answers in the cache.
pub struct Session {
    pub desired: DesiredState,
    scratch: Option<ScratchDatabase>,
    server: ScratchServer,
    cache: Option<CacheSlot>,
    /// Normalization answers of this run, for a run without a cache (with
    /// one they are in its entry).
    answers: std::collections::BTreeMap<String, bool>,
}

/// The cache entry a session came from or filled.
struct CacheSlot {
    cache: ModelCache,
    key: String,
    entry: CachedModel,
    changed: bool,
}

impl Session {
    /// Creates the scratch database and loads the desired state into it,
    /// unless that is done already.
    pub async fn ensure_scratch(&mut self) -> Result<(), ElaborateError> {
        if self.scratch.is_none() {
            let mut scratch = ScratchDatabase::create(&self.server).await?;
            if let Err(e) = load(&self.desired.sources, &mut scratch).await {
                scratch.remove().await;
                return Err(e);
            }
            self.scratch = Some(scratch);
        }
        Ok(())
    }

    /// A connection to the scratch database, once [`ensure_scratch`](Self::ensure_scratch) ran.
    pub fn scratch(&self) -> Option<&tokio_postgres::Client> {
        self.scratch.as_ref().map(|s| &s.client)
    }

    /// Whether the scratch database was needed in this run.
    pub fn used_scratch(&self) -> bool {
        self.scratch.is_some()
    }

    /// A normalization answer an earlier run recorded.
    pub fn known_equivalence(&self, key: &str) -> Option<bool> {
        match &self.cache {
            Some(slot) => slot.entry.equivalences.get(key).copied(),
            None => self.answers.get(key).copied(),
        }
    }

    pub fn record_equivalence(&mut self, key: String, equivalent: bool) {
        match &mut self.cache {
            Some(slot) => slot.changed |= slot.entry.equivalences.insert(key, equivalent) != Some(equivalent),
            None => {
                self.answers.insert(key, equivalent);
            }
        }
    }

    pub async fn close(self) -> DesiredState {
        if let Some(scratch) = self.scratch {
            scratch.remove().await;
        }
        if let Some(slot) = self.cache.filter(|s| s.changed) {
            slot.store();
        }
        self.desired
    }
}

impl CacheSlot {
    fn store(&self) {
        if let Err(e) = self.cache.store(&self.key, &self.entry) {
            crate::say!("warning: could not write the model cache in {}: {e}", self.cache.dir().display());
        }
    }
}

/// Elaborates in a scratch database kept open. The model read back shares
/// the tables and indexes of a model offered in `reuse` (the live one,
/// read meanwhile) that come out equal.
pub async fn elaborate_session(
    sources: SourceSet,
    server: &ScratchServer,
    reuse: &Arc<ReuseSlot>,
) -> Result<Session, ElaborateError> {
    let mut scratch = ScratchDatabase::create(server).await?;
    match load_and_read(&sources, &mut scratch, reuse).await {
        Ok(catalog) => Ok(Session {
            desired: DesiredState { catalog, sources },
            scratch: Some(scratch),
            server: server.clone(),
            cache: None,
            answers: Default::default(),
        }),
        Err(e) => {
            scratch.remove().await;
            Err(e)
        }
    }
}

/// A look in the model cache, made from the files' digest alone (see
/// [`ModelCache::digest`]): before the files are split, so that a cached
/// model is decoded while they are.
pub struct CacheLookup {
    cache: ModelCache,
    key: String,
    entry: Option<CachedModel>,
}

/// Looks for the model of the files of `digest` elaborated on `server`'s
/// version: an entry stands in for the scratch database
/// ([`session_from`]). `None` for a throwaway local cluster, which costs
/// more to start than the elaboration the cache would save. A model found
/// is offered in `reuse` (promised while it is decoded).
pub async fn look_up(
    digest: String,
    server: &ScratchServer,
    cache: &ModelCache,
    reuse: &Arc<ReuseSlot>,
) -> Result<Option<CacheLookup>, ElaborateError> {
    let ScratchServer::Server(target) = server else { return Ok(None) };
    let key = ModelCache::key(&digest, server_version_num(target).await?);
    // Parsing an entry takes a while at 10,000 tables: off the runtime's
    // thread, so work awaited alongside (splitting the files, a live
    // catalog read) goes on, and shares the model's objects once they are
    // there.
    let reader = cache.clone();
    let wanted = key.clone();
    let _promise = reuse.promise();
    let entry = tokio::task::spawn_blocking(move || reader.load(&wanted)).await.ok().flatten();
    if let Some(entry) = &entry {
        reuse.offer(&entry.catalog);
    }
    Ok(Some(CacheLookup { cache: cache.clone(), key, entry }))
}

/// The session of `sources` after `lookup`: the cached model, or one
/// elaborated afresh (and stored, when the lookup missed).
pub async fn session_from(
    lookup: Option<CacheLookup>,
    sources: SourceSet,
    server: &ScratchServer,
    reuse: &Arc<ReuseSlot>,
) -> Result<Session, ElaborateError> {
    let Some(CacheLookup { cache, key, entry }) = lookup else {
        return elaborate_session(sources, server, reuse).await;
    };
    if let Some(entry) = entry {
        let desired = DesiredState { catalog: entry.catalog.clone(), sources };
        let slot = CacheSlot { cache, key, entry, changed: false };
        return Ok(Session {
            desired,
            scratch: None,
            server: server.clone(),
            cache: Some(slot),
            answers: Default::default(),
        });
    }
    let mut session = elaborate_session(sources, server, reuse).await?;
    let entry = CachedModel { catalog: session.desired.catalog.clone(), equivalences: Default::default() };
    let slot = CacheSlot { cache, key, entry, changed: true };
    slot.store();
    session.cache = Some(CacheSlot { changed: false, ..slot });
    Ok(session)
}

/// Refuses a scratch server of another major version than the target's:
/// the same definition elaborated there reads otherwise (a view's query,
/// say) than the target prints it, and every apply would leave a change.
pub async fn check_major_versions(server: &ScratchServer, target: &Target) -> Result<(), ElaborateError> {
    let ScratchServer::Server(scratch) = server else { return Ok(()) };
    if scratch.redacted() == target.redacted() {
        return Ok(());
    }
    let (scratch, target) = tokio::try_join!(server_version_num(scratch), server_version_num(target))?;
    let (scratch, target) = (scratch / 10000, target / 10000);
    if scratch != target {
        return Err(ElaborateError::VersionMismatch { scratch, target });
    }
    Ok(())
}

async fn server_version_num(target: &Target) -> Result<i32, ElaborateError> {
    let client = target.connect().await?;
    let row = client
        .query_one("SELECT pg_catalog.current_setting('server_version_num')::int", &[])
        .await
        .map_err(server_error)?;
    Ok(row.get(0))
}

async fn load_and_read(
    sources: &SourceSet,
    scratch: &mut ScratchDatabase,
    reuse: &Arc<ReuseSlot>,
) -> Result<Catalog, ElaborateError> {
    load(sources, scratch).await?;
    let helper = scratch.helper().await;
    let (catalog, _) =
        crate::introspect::introspect_with(&scratch.client, helper.as_ref(), Some(reuse.clone())).await?;
    Ok(catalog)
}

async fn load(sources: &SourceSet, scratch: &mut ScratchDatabase) -> Result<(), ElaborateError> {
    scratch
        .client
        .batch_execute(&format!(
            "SET check_function_bodies = off; SET client_min_messages = warning; {}",
            crate::load::SESSION_SETTINGS
        ))
        .await
        .map_err(server_error)?;
    run_statements(sources, &scratch.client).await?;
    check_function_bodies(sources, &scratch.client).await
}

/// Function bodies, checked once everything exists, as psql checks each
/// at its `CREATE` (bodies are loaded unchecked, so that one may name what
/// a later file creates): a PL/pgSQL syntax error or a SQL function over a
/// missing table is an error at its place in the files, not at the first
/// call in production.
async fn check_function_bodies(
    sources: &SourceSet,
    client: &tokio_postgres::Client,
) -> Result<(), ElaborateError> {
    let functions = client
        .query(
            "SELECT n.nspname, p.proname, p.prosrc, \
               format('SELECT %s(%s)', l.lanvalidator::pg_catalog.regproc, p.oid) AS validate \
             FROM pg_catalog.pg_proc p \
             JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
             JOIN pg_catalog.pg_language l ON l.oid = p.prolang \
             WHERE l.lanname IN ('sql', 'plpgsql') \
               AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_' \
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass \
                 AND e.objid = p.oid AND e.deptype = 'e')",
            &[],
        )
        .await
        .map_err(server_error)?;
    if functions.is_empty() {
        return Ok(());
    }
    client.batch_execute("SET check_function_bodies = on").await.map_err(server_error)?;
    let checks = functions.iter().map(|f| client.simple_query(f.get::<_, &str>("validate")));
    let results = futures_util::future::join_all(checks).await;
    client.batch_execute("SET check_function_bodies = off").await.map_err(server_error)?;
    for (f, result) in functions.iter().zip(results) {
        let Err(e) = result else { continue };
        let error = e.as_db_error().cloned().ok_or_else(|| server_error(e))?;
        let name = QualName::new(f.get::<_, String>("nspname"), f.get::<_, String>("proname"));
        let creates =
            |s: &&Statement| s.analysis.creates.iter().any(|c| *c == Created::Function(name.clone()));
        let Some(statement) = sources.statements.iter().find(creates) else {
            return Err(ElaborateError::Server(format!("function {name}: {}", error.message())));
        };
        let offset = body_offset(statement, f.get("prosrc"), &error);
        return Err(sql_error(sources, statement, &Failure { index: 0, error, offset }).into());
    }
    Ok(())
}

/// Where in `statement` (in chars) an error inside a function's body
/// points: the body's own position (PostgreSQL gives it in the body),
/// moved by where the body starts in the statement's text.
fn body_offset(statement: &Statement, body: &str, error: &DbError) -> Option<usize> {
    let Some(ErrorPosition::Internal { position, query }) = error.position() else { return None };
    if query != body || body.is_empty() {
        return None;
    }
    let start = statement.text.find(body)?;
    Some(statement.text[..start].chars().count() + (*position as usize).saturating_sub(1))
}

fn server_error(e: tokio_postgres::Error) -> ElaborateError {
    ElaborateError::Server(describe(&e))
}

/// Runs every statement, retrying those that failed for want of an object
/// until a round makes no progress.
async fn run_statements(sources: &SourceSet, client: &tokio_postgres::Client) -> Result<(), ElaborateError> {
    let mut pending: Vec<&Statement> = sources.statements.iter().collect();
    loop {
        let mut deferred = run_round(sources, client, &pending).await?;
        if deferred.is_empty() {
            return Ok(());
        }
        if deferred.len() == pending.len() {
            let (_, error) = deferred.swap_remove(0);
            return Err(error.into());
        }
        pending = deferred.into_iter().map(|(s, _)| s).collect();
    }
}

/// A statement that failed, with PostgreSQL's error and where in the
/// statement (in chars) the error points.
struct Failure {
    index: usize,
    error: DbError,
    offset: Option<usize>,
}

/// One pass over `pending`; returns the statements that failed because
/// something did not exist (yet), with their errors.
async fn run_round<'a>(
    sources: &SourceSet,
    client: &tokio_postgres::Client,
    pending: &[&'a Statement],
) -> Result<Vec<(&'a Statement, SourceError)>, ElaborateError> {
    let mut deferred = Vec::new();
    let mut rest = pending;
    while !rest.is_empty() {
        let batch = &rest[..rest.len().min(BATCH)];
        let Some(failure) = run_batch(client, batch).await? else {
            rest = &rest[batch.len()..];
            continue;
        };
        let failed = batch[failure.index];
        let error = sql_error(sources, failed, &failure);
        if is_missing_object(&failure.error) {
            deferred.push((failed, error));
        } else {
            return Err(error.into());
        }
        rest = &rest[failure.index + 1..];
    }
    Ok(deferred)
}

/// Runs a batch; on failure the batch is rolled back as a whole (it is one
/// implicit transaction), then the statements before the failing one are
/// run again.
async fn run_batch(
    client: &tokio_postgres::Client,
    batch: &[&Statement],
) -> Result<Option<Failure>, ElaborateError> {
    let error = match client.batch_execute(&batch_text(batch)).await {
        Ok(()) => return Ok(None),
        Err(e) => e.as_db_error().cloned().ok_or_else(|| server_error(e))?,
    };
    let located = match error.position() {
        Some(ErrorPosition::Original(p)) => locate(batch, *p as usize),
        _ => None,
    };
    let Some((index, offset)) = located else {
        return run_one_by_one(client, batch).await;
    };
    if index > 0 {
        client.batch_execute(&batch_text(&batch[..index])).await.map_err(server_error)?;
    }
    Ok(Some(Failure { index, error, offset: Some(offset) }))
}

/// Without a position in the error, find the failing statement by running
/// the batch one statement at a time.
async fn run_one_by_one(
    client: &tokio_postgres::Client,
    batch: &[&Statement],
) -> Result<Option<Failure>, ElaborateError> {
    for (index, s) in batch.iter().enumerate() {
        if let Err(e) = client.batch_execute(&s.text).await {
            let error = e.as_db_error().cloned().ok_or_else(|| server_error(e))?;
            let offset = match error.position() {
                Some(ErrorPosition::Original(p)) => Some((*p as usize).saturating_sub(1)),
                _ => None,
            };
            return Ok(Some(Failure { index, error, offset }));
        }
    }
    Ok(None)
}

const SEPARATOR: &str = ";\n";

fn batch_text(batch: &[&Statement]) -> String {
    let mut text = String::new();
    for s in batch {
        text.push_str(&s.text);
        text.push_str(SEPARATOR);
    }
    text
}

/// The statement of a batch that holds 1-based character `position`, and
/// the 0-based character offset of that position inside it.
fn locate(batch: &[&Statement], position: usize) -> Option<(usize, usize)> {
    let target = position.checked_sub(1)?;
    let mut start = 0;
    for (k, s) in batch.iter().enumerate() {
        let len = s.text.chars().count();
        if target < start + len + SEPARATOR.len() {
            // A position on the separator we appended means "at the end of
            // the statement" (e.g. a missing closing parenthesis).
            return Some((k, (target - start).min(len)));
        }
        start += len + SEPARATOR.len();
    }
    None
}

/// Errors that may go away once another statement has run.
fn is_missing_object(e: &DbError) -> bool {
    [
        SqlState::UNDEFINED_TABLE,
        SqlState::UNDEFINED_OBJECT,
        SqlState::UNDEFINED_FUNCTION,
        SqlState::UNDEFINED_COLUMN,
        SqlState::INVALID_SCHEMA_NAME,
        // "no unique constraint matching given keys": the unique index a
        // foreign key references may come later in the files.
        SqlState::INVALID_FOREIGN_KEY,
    ]
    .contains(e.code())
}

/// PostgreSQL's error, placed at the file, line and column it is about.
fn sql_error(sources: &SourceSet, statement: &Statement, failure: &Failure) -> SourceError {
    if !statement.verbatim {
        return generated_sql_error(sources, statement, failure);
    }
    let byte_offset = failure
        .offset
        .map(|c| statement.text.char_indices().nth(c).map_or(statement.text.len(), |(i, _)| i))
        .or_else(|| named_object_offset(statement, &failure.error));
    let start = statement.span.start + byte_offset.unwrap_or(0);
    let byte_offset = byte_offset.unwrap_or(0);
    let end = if start > statement.span.start || failure.offset.is_some() {
        start + token_len(&statement.text[byte_offset..])
    } else {
        statement.span.end.min(start + statement.text.find('\n').unwrap_or(statement.text.len()))
    };
    let span = crate::load::Span { file: statement.span.file, start, end };
    let error = &failure.error;
    let mut message = error.message().to_string();
    if let Some(detail) = error.detail() {
        message = format!("{message} ({detail})");
    }
    let at_end = byte_offset >= statement.text.len();
    let mut err = sources.error_at(span, message, if at_end { "the statement ends here" } else { "here" });
    err.help = error.hint().map(str::to_string);
    if at_end && err.help.is_none() {
        err.help = Some("is a closing parenthesis or quote missing?".into());
    }
    err
}

/// An error in SQL generated from YAML points into the YAML where the text
/// PostgreSQL complains about was written (expressions, types and queries
/// are copied verbatim), else at the YAML object; it shows the statement.
fn generated_sql_error(sources: &SourceSet, statement: &Statement, failure: &Failure) -> SourceError {
    let error = &failure.error;
    let file = sources.file(&statement.span);
    let written = failure.offset.and_then(|c| {
        let at = statement.text.char_indices().nth(c)?.0;
        let word = &statement.text[at..at + token_len(&statement.text[at..])];
        let found = file.text[statement.span.start..].find(word)?;
        Some(crate::load::Span {
            file: statement.span.file,
            start: statement.span.start + found,
            end: statement.span.start + found + word.len(),
        })
    });
    let mut err = sources.error_at(written.unwrap_or(statement.span), error.message().to_string(), "here");
    let mut help = String::new();
    if let Some(hint) = error.hint() {
        help = format!("{hint}\n");
    }
    err.help = Some(format!("{help}in the SQL generated from this YAML: {}", statement.text));
    err
}

/// Where a statement names the object an error message quotes
/// (`relation "nowhere" does not exist`), for errors without a position.
fn named_object_offset(statement: &Statement, error: &DbError) -> Option<usize> {
    let message = error.message();
    let quoted = message.split('"').nth(1)?;
    let last_part = quoted.rsplit('.').next()?;
    let token = statement.tokens().into_iter().find(|t| t.ident().as_deref() == Some(last_part))?;
    Some(token.start - statement.span.start)
}

/// Length of the word (or run of operator characters) at the start of
/// `text`, to underline it.
fn token_len(text: &str) -> usize {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '"';
    let operator = |c: char| "+-*/<>=~!@#%^&|`?".contains(c);
    let first = text.chars().next().unwrap_or(' ');
    let same_class = |c: char| if operator(first) { operator(c) } else { word(c) };
    let len = text.char_indices().find(|(_, c)| !same_class(*c)).map_or(text.len(), |(i, _)| i);
    len.max(first.len_utf8().min(text.len()))
}
