//! Introspection: read a live database into the catalog model.
//!
//! All queries see one snapshot (a `REPEATABLE READ READ ONLY` transaction,
//! and with a helper connection a second transaction importing the same
//! snapshot), so the picture is consistent even while someone else changes
//! the schema, and they are sent together (tokio-postgres pipelines them),
//! so the cost is a handful of round trips whatever the size of the
//! database.

mod build;
mod deparse;
mod queries;

pub use queries::Version;

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use tokio::sync::mpsc::Sender;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Row, Statement};

use crate::catalog::Catalog;

/// What one introspection cost, for tests and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntrospectStats {
    /// Statements sent to the server, transaction control included.
    pub statements: usize,
    /// Waiting for the catalog queries' results.
    pub query_time: std::time::Duration,
    /// Turning the rows into the model.
    pub build_time: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("reading the catalog failed: {0}")]
    Query(#[from] tokio_postgres::Error),
    #[error(
        "reading the catalog failed: {0}. Reading a view's definition locks the view and the relations it \
         reads until the read ends; with this many views, raise the server's max_locks_per_transaction (as \
         pg_dump would need)"
    )]
    TooManyLocks(tokio_postgres::Error),
    #[error("PostgreSQL {0} is not supported (pgrecon reads PostgreSQL 13 to 18)")]
    UnsupportedVersion(String),
    #[error(
        "reading the catalog failed: for {0}s other sessions kept tables locked or kept changing the \
         schema while it was read (an apply or other DDL in progress?); try again when they have finished"
    )]
    Busy(u64),
}

/// Reads every user object of the connected database.
pub async fn introspect(client: &mut Client) -> Result<(Catalog, IntrospectStats), IntrospectError> {
    introspect_client(client).await
}

/// Another model's tables, indexes and dependency identities, for a read
/// to share rather than hold a second equal copy of (the desired model
/// next to the live one is mostly the same objects: at 10,000 tables with
/// 5% changed, some 60 MB of tables and indexes and 25 MB of identities).
#[derive(Debug, Default)]
pub struct Reuse {
    tables: std::collections::BTreeMap<crate::catalog::QualName, std::sync::Arc<crate::catalog::Table>>,
    indexes: std::collections::BTreeMap<crate::catalog::QualName, std::sync::Arc<crate::catalog::Index>>,
    identities: crate::FastSet<std::sync::Arc<crate::catalog::ObjectId>>,
}

impl Reuse {
    pub fn of(catalog: &Catalog) -> Reuse {
        Reuse {
            tables: catalog.tables.clone(),
            indexes: catalog.indexes.clone(),
            identities: catalog.dependencies.identities().cloned().collect(),
        }
    }
}

/// Where one read finds the [`Reuse`] of another model: the first of two
/// reads to have its model offers it, the other takes it when it starts
/// sharing. A model on its way (a cached one being decoded) is promised
/// first: a read that starts sharing meanwhile waits for it rather than
/// hold a second copy of everything (at 10,000 tables a warm `plan` peaked
/// 60 MB higher).
#[derive(Debug, Default)]
pub struct ReuseSlot {
    state: std::sync::Mutex<Offer>,
    settled: std::sync::Condvar,
}

#[derive(Debug, Default)]
enum Offer {
    #[default]
    None,
    Promised,
    Offered(std::sync::Arc<Reuse>),
}

impl ReuseSlot {
    /// A slot holding `catalog`'s objects already.
    pub fn offering(catalog: &Catalog) -> std::sync::Arc<ReuseSlot> {
        let slot = ReuseSlot::default();
        slot.offer(catalog);
        std::sync::Arc::new(slot)
    }

    /// Another read's objects are coming: until they are offered (or the
    /// promise is dropped), a read sharing from this slot waits.
    pub fn promise(&self) -> Promise<'_> {
        let mut state = self.lock();
        if matches!(*state, Offer::None) {
            *state = Offer::Promised;
        }
        Promise(self)
    }

    /// Offers `catalog`'s objects, unless some are offered already.
    pub fn offer(&self, catalog: &Catalog) {
        let mut state = self.lock();
        if !matches!(*state, Offer::Offered(_)) {
            *state = Offer::Offered(std::sync::Arc::new(Reuse::of(catalog)));
            self.settled.notify_all();
        }
    }

    /// What is offered, once a promise is kept or dropped. Blocks: for the
    /// builder's thread, never the runtime's.
    fn wait(&self) -> Option<std::sync::Arc<Reuse>> {
        let mut state = self.lock();
        while matches!(*state, Offer::Promised) {
            state = self.settled.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        match &*state {
            Offer::Offered(reuse) => Some(reuse.clone()),
            _ => None,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Offer> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A promise to offer; dropped unkept (the model did not come: a damaged
/// cache entry, an error, a panic), it releases whoever waits.
pub struct Promise<'a>(&'a ReuseSlot);

impl Drop for Promise<'_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        if matches!(*state, Offer::Promised) {
            *state = Offer::None;
            self.0.settled.notify_all();
        }
    }
}

/// [`introspect`] for a shared client: the transaction is opened with plain
/// statements, so the client need not be borrowed mutably.
///
/// The catalog rows come from the transaction's snapshot, but the server's
/// deparsers (`pg_get_expr`, `pg_get_indexdef`, `format_type`, ...) read the
/// catalog as last committed when they run. A change committed while the
/// catalog is read (typically an apply whose lock a deparser waited for)
/// would give a model mixing two schemas. So a lock is never waited for
/// long inside the snapshot (`lock_timeout`), and after reading: if no
/// transaction has ended since the snapshot was taken, nothing can differ
/// from it; otherwise the catalog's fingerprint as committed now must equal
/// the snapshot's. If a lock was not free or something changed, the catalog
/// is read again with a fresh snapshot, after a pause that grows, for up to
/// two minutes.
pub async fn introspect_client(client: &Client) -> Result<(Catalog, IntrospectStats), IntrospectError> {
    read_with_retries(client, None, None).await
}

/// [`introspect_client`] with a second connection to the same database
/// (`None` reads on `client` alone), sharing the tables, indexes and
/// identities that come out equal with those offered in `reuse` by the
/// time the read starts sharing (see [`ReuseSlot`]). Half the catalog queries run
/// on the helper, in the same snapshot (`pg_export_snapshot`), so the
/// server answers them on two cores: the server's work is most of a large
/// catalog's read. When the snapshot cannot be shared (the helper is
/// connected elsewhere, say through a pooler to another server) or the
/// helper's connection is lost, the catalog is read on `client` alone.
pub async fn introspect_with(
    client: &Client,
    helper: Option<&Client>,
    reuse: Option<std::sync::Arc<ReuseSlot>>,
) -> Result<(Catalog, IntrospectStats), IntrospectError> {
    read_with_retries(client, helper, reuse).await
}

/// An object listed from the snapshot was dropped by another session
/// before a `pg_get_*def` (which reads the live catalog caches) reached
/// it: the read is tried again, as a lock conflict is.
fn dropped_while_read(e: &tokio_postgres::Error) -> bool {
    let Some(db) = e.as_db_error() else { return false };
    let message = db.message();
    db.code() == &SqlState::INTERNAL_ERROR
        && (message.starts_with("could not open relation with OID")
            || message.starts_with("cache lookup failed"))
}

/// Errors a read meets when others change the schema meanwhile: it is
/// tried again.
fn retried(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) || dropped_while_read(e)
}

/// The server's lock table is full (not memory itself exhausted).
fn lock_table_full(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::OUT_OF_MEMORY)
        && e.as_db_error().is_some_and(|db| db.message().starts_with("out of shared memory"))
}

async fn read_with_retries(
    client: &Client,
    mut helper: Option<&Client>,
    reuse: Option<std::sync::Arc<ReuseSlot>>,
) -> Result<(Catalog, IntrospectStats), IntrospectError> {
    let started = Instant::now();
    let mut pause = FIRST_PAUSE;
    let mut views_in_batches = false;
    loop {
        client.batch_execute(&begin_snapshot(None)).await?;
        let mut views = None;
        if let Some(h) = helper {
            let shared = if views_in_batches {
                match share_snapshot_after_views(client, h).await {
                    Ok(read) => read.map(|rows| views = Some(rows)).is_some(),
                    // A lock not free or a view dropped meanwhile: read
                    // again, as when the catalog queries meet them.
                    Err(IntrospectError::Query(e)) if retried(&e) => {
                        client.batch_execute("ROLLBACK").await?;
                        let _ = h.batch_execute("ROLLBACK").await;
                        if started.elapsed() + pause > BUSY_LIMIT {
                            return Err(IntrospectError::Busy(started.elapsed().as_secs()));
                        }
                        tokio::time::sleep(pause).await;
                        pause = (pause * 2).min(MAX_PAUSE);
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            } else {
                share_snapshot(client, h).await?
            };
            if !shared {
                client.batch_execute("ROLLBACK").await?;
                helper = None;
                continue;
            }
        }
        let mut result = read_catalog(client, helper, reuse.clone(), views).await;
        let mut in_snapshot = None;
        if result.is_ok() {
            match settled(client).await {
                Ok(f) => in_snapshot = f,
                Err(e) => result = Err(e),
            }
        }
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        client.batch_execute(end).await?;
        if let Some(h) = helper {
            // The helper is optional: a helper that cannot end its
            // (read-only) transaction has lost its connection, which the
            // next step notices.
            let _ = h.batch_execute(end).await;
        }
        match (result, in_snapshot) {
            (Ok(read), None) => return Ok(read),
            (Ok(read), Some(f)) if f == fingerprint(client).await? => return Ok(read),
            (Ok(_), _) => {}
            (Err(IntrospectError::Query(e)), _) if retried(&e) => {}
            // The lock table is full: reading the views' definitions locks
            // each view and what it reads until the transaction ends.
            (Err(IntrospectError::Query(e)), _) if lock_table_full(&e) => {
                if views_in_batches || helper.is_none() {
                    return Err(IntrospectError::TooManyLocks(e));
                }
                views_in_batches = true;
                continue;
            }
            // `client` just ended its transaction, so a lost connection was
            // the helper's: read again without it.
            (Err(IntrospectError::Query(e)), _) if helper.is_some() && e.as_db_error().is_none() => {
                helper = None;
                continue;
            }
            (Err(e), _) => return Err(e),
        }
        if started.elapsed() + pause > BUSY_LIMIT {
            return Err(IntrospectError::Busy(started.elapsed().as_secs()));
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

/// Opens the read-only snapshot transaction; with `snapshot`, one that
/// imports another session's snapshot (which must be the transaction's
/// first statement after BEGIN).
fn begin_snapshot(snapshot: Option<&str>) -> String {
    let import = snapshot
        .map(|id| format!("SET TRANSACTION SNAPSHOT {}; ", crate::quote::literal(id)))
        .unwrap_or_default();
    format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; {import}SET LOCAL lock_timeout = '{}ms'",
        LOCK_TIMEOUT.as_millis()
    )
}

/// Opens on `helper` a transaction seeing exactly `client`'s snapshot.
/// False when that cannot be: the server cannot export the snapshot (the
/// export's error aborted `client`'s transaction), or the helper cannot
/// import it or has lost its connection. `client`'s transaction must then
/// be rolled back and the catalog read without the helper.
async fn share_snapshot(client: &Client, helper: &Client) -> Result<bool, IntrospectError> {
    let exported = match client.query_one("SELECT pg_catalog.pg_export_snapshot()", &[]).await {
        Ok(row) => row.get::<_, String>(0),
        Err(e) if e.as_db_error().is_some() => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    if helper.batch_execute(&begin_snapshot(Some(&exported))).await.is_ok() {
        return Ok(true);
    }
    let _ = helper.batch_execute("ROLLBACK").await;
    Ok(false)
}

/// [`share_snapshot`], the views' definitions read first on `helper`, in
/// batches of [`VIEW_BATCH`] (fewer when even that many is too many),
/// each in a transaction of its own that sees
/// the same snapshot: `pg_get_viewdef` keeps its locks until the
/// transaction ends, which a lock table sized for ordinary work cannot
/// hold for tens of thousands of views. `None` when the snapshot cannot
/// be shared.
async fn share_snapshot_after_views(
    client: &Client,
    helper: &Client,
) -> Result<Option<Vec<Row>>, IntrospectError> {
    let exported = match client.query_one("SELECT pg_catalog.pg_export_snapshot()", &[]).await {
        Ok(row) => row.get::<_, String>(0),
        Err(e) if e.as_db_error().is_some() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let batch = helper.prepare(&queries::view_definitions_after()).await?;
    let mut rows: Vec<Row> = Vec::new();
    let mut size = VIEW_BATCH;
    loop {
        let begin = format!("{}; SELECT {DEPARSE_SETTINGS}", begin_snapshot(Some(&exported)));
        if helper.batch_execute(&begin).await.is_err() {
            let _ = helper.batch_execute("ROLLBACK").await;
            return Ok(None);
        }
        let last: u32 = rows.last().map_or(0, |r| r.get(1));
        let read = helper.query(&batch, &[&last, &size]).await;
        helper.batch_execute(if read.is_ok() { "COMMIT" } else { "ROLLBACK" }).await?;
        let read = match read {
            // Views that read many relations each: fewer at a time.
            Err(e) if lock_table_full(&e) && size > 1 => {
                size /= 2;
                continue;
            }
            Err(e) if lock_table_full(&e) => return Err(IntrospectError::TooManyLocks(e)),
            read => read?,
        };
        let full = read.len() as i64 == size;
        // Back towards the full batch: one heavy batch need not slow the rest.
        size = (size * 2).min(VIEW_BATCH);
        rows.extend(read);
        if !full {
            break;
        }
    }
    if helper.batch_execute(&begin_snapshot(Some(&exported))).await.is_ok() {
        return Ok(Some(rows));
    }
    let _ = helper.batch_execute("ROLLBACK").await;
    Ok(None)
}

/// Views per transaction when their definitions are read in batches.
const VIEW_BATCH: i64 = 1000;

/// Inside the snapshot, after reading: `None` when no transaction has ended
/// since it was taken (the usual case, one cheap query), else the
/// snapshot's fingerprint, to compare with the one committed now.
async fn settled(client: &Client) -> Result<Option<String>, IntrospectError> {
    let quiet: bool = client.query_one(queries::nothing_ended_since_snapshot().as_str(), &[]).await?.get(0);
    if quiet {
        return Ok(None);
    }
    fingerprint(client).await.map(Some)
}

async fn fingerprint(client: &Client) -> Result<String, IntrospectError> {
    Ok(client.query_one(queries::catalog_fingerprint().as_str(), &[]).await?.get(0))
}

/// How long a catalog query waits for one lock before the read starts over.
const LOCK_TIMEOUT: Duration = Duration::from_millis(100);
const FIRST_PAUSE: Duration = Duration::from_millis(50);
const MAX_PAUSE: Duration = Duration::from_secs(1);
/// When introspection gives up: longer than an apply segment usually holds
/// its locks, short enough for a cron job to report rather than hang.
const BUSY_LIMIT: Duration = Duration::from_secs(120);

async fn read_catalog(
    client: &Client,
    helper: Option<&Client>,
    reuse: Option<std::sync::Arc<ReuseSlot>>,
    views: Option<Vec<Row>>,
) -> Result<(Catalog, IntrospectStats), IntrospectError> {
    let helper_settings = async {
        match helper {
            Some(h) => server_version(h).await.map(Some),
            None => Ok(None),
        }
    };
    let (version, _) = futures_util::future::try_join(server_version(client), helper_settings).await?;
    let sql = catalog_queries(version);
    let connection = |lane: Lane| match (lane, helper) {
        (Lane::Helper, Some(h)) => h,
        _ => client,
    };
    let started = Instant::now();
    // All queries are sent at once (pipelined). Their rows are handed, in
    // chunks, to a thread that builds the model from them in query order
    // while the later queries' answers still arrive. Each query has its
    // own small channel: the rows of a query the builder has not reached
    // wait in the server's socket, not in memory.
    //
    // That needs each connection to answer in the builder's order: a query
    // answered early would fill its channel and stall its connection
    // before the one the builder waits for. So every statement is prepared
    // first (a prepare may take extra round trips, to look up a type), and
    // only then are the queries sent, one request each, in order:
    // `try_join_all` polls its futures in order and each sends its request
    // at its first poll. With a helper, each connection's queries are in
    // the builder's order too, so the query the builder waits for is
    // always the one its connection is answering or will answer next.
    let prepares = sql.iter().map(|q| connection(q.lane).prepare(&q.sql));
    let statements = futures_util::future::try_join_all(prepares).await?;
    let (senders, receivers): (Vec<_>, Vec<_>) =
        sql.iter().map(|_| tokio::sync::mpsc::channel::<Vec<Row>>(CHUNKS_AHEAD)).unzip();
    let queries = receivers.into_iter().map(build::QueryRows);
    let builder = tokio::task::spawn_blocking(move || build::build_streamed(queries, reuse));
    // Views read already (in batches, see `share_snapshot_after_views`)
    // are handed over as they are.
    let mut views = views;
    let reads = statements.iter().zip(&sql).zip(senders).map(|((statement, q), chunks)| {
        let read_already = if q.views { views.take() } else { None };
        async move {
            match read_already {
                Some(rows) => {
                    let _ = chunks.send(rows).await;
                    Ok(())
                }
                None => read_rows(connection(q.lane), statement, q.delivery, chunks).await,
            }
        }
    });
    futures_util::future::try_join_all(reads).await?;
    let query_time = started.elapsed();
    let catalog = builder.await.ok().flatten().expect("the builder receives every result");
    // BEGIN, the version/search_path query, the catalog queries, COMMIT;
    // with a helper, the export and the helper's own three.
    let shared = if helper.is_some() { 4 } else { 0 };
    let stats = IntrospectStats {
        statements: 3 + shared + sql.len(),
        query_time,
        build_time: started.elapsed() - query_time,
    };
    Ok((catalog, stats))
}

/// Rows per chunk handed to the builder, and chunks one query may have
/// waiting for it.
const CHUNK_ROWS: usize = 1024;
const CHUNKS_AHEAD: usize = 4;

/// Runs one catalog query, sending its rows on in chunks, or in one when
/// the builder takes them whole.
async fn read_rows(
    client: &Client,
    statement: &Statement,
    delivery: Delivery,
    chunks: Sender<Vec<Row>>,
) -> Result<(), IntrospectError> {
    let rows = client.query_raw(statement, std::iter::empty::<i32>()).await?;
    futures_util::pin_mut!(rows);
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    while let Some(row) = rows.try_next().await? {
        chunk.push(row);
        if chunk.len() == CHUNK_ROWS && delivery == Delivery::Streamed {
            // Fails only when the builder stopped, which it does not before
            // the last result.
            let _ = chunks.send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_ROWS))).await;
        }
    }
    if !chunk.is_empty() {
        let _ = chunks.send(chunk).await;
    }
    Ok(())
}

/// The settings the server's deparsers print by, for the rest of the
/// transaction: `search_path` empty, so every name comes out
/// schema-qualified, and the styles of constants fixed, as pg_dump fixes
/// them. A date in a default or a CHECK prints as the session's DateStyle
/// has it (`'31/01/2024'::date` under `SQL, DMY`), a timestamptz in the
/// session's TimeZone, an interval as its IntervalStyle: a live server
/// configured otherwise than the scratch one would show every such
/// definition changed, and never converge. Strings print with
/// `standard_conforming_strings` on (off doubles every backslash), the
/// way every statement pgrecon runs reads them (see `apply`); texts
/// parsed again here (`plan::normalize`) read as in the scratch database
/// (`array_nulls`, `transform_null_equals`: see `load::SESSION_SETTINGS`).
pub const DEPARSE_SETTINGS: &str = "pg_catalog.set_config('search_path', '', true), \
     pg_catalog.set_config('DateStyle', 'ISO, MDY', true), \
     pg_catalog.set_config('IntervalStyle', 'postgres', true), \
     pg_catalog.set_config('TimeZone', 'UTC', true), \
     pg_catalog.set_config('extra_float_digits', '3', true), \
     pg_catalog.set_config('bytea_output', 'hex', true), \
     pg_catalog.set_config('lc_monetary', 'C', true), \
     pg_catalog.set_config('standard_conforming_strings', 'on', true), \
     pg_catalog.set_config('quote_all_identifiers', 'off', true), \
     pg_catalog.set_config('array_nulls', 'on', true), \
     pg_catalog.set_config('transform_null_equals', 'off', true)";

/// The server version; also sets [`DEPARSE_SETTINGS`] for the transaction,
/// turns JIT off (compiling these one-off queries costs more than it
/// saves), gives sorts and hashes of large catalogs room in memory, and
/// runs each query in its own backend: a parallel worker starts with empty
/// catalog caches and fills them again, which at 10,000 tables cost a third
/// as much CPU as the two connections' own work and saved no time.
async fn server_version(client: &Client) -> Result<Version, IntrospectError> {
    let sql = format!(
        "SELECT pg_catalog.current_setting('server_version_num')::int, \
                pg_catalog.current_setting('server_version'), {DEPARSE_SETTINGS}, \
                pg_catalog.set_config('jit', 'off', true), \
                pg_catalog.set_config('work_mem', '64MB', true), \
                pg_catalog.set_config('max_parallel_workers_per_gather', '0', true)"
    );
    let row = client.query_one(sql.as_str(), &[]).await?;
    let version = Version(row.get(0));
    if !(13..=18).contains(&version.major()) {
        return Err(IntrospectError::UnsupportedVersion(row.get(1)));
    }
    Ok(version)
}

/// Which connection a query runs on when there is a helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lane {
    Main,
    Helper,
}

/// How a query's rows reach the builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delivery {
    /// In chunks, as the builder takes them: the query's connection waits
    /// while the builder is behind, so the rows never pile up in memory.
    Streamed,
    /// All at once, held until the builder needs them: for the few small
    /// rows that cost the server most, so their connection goes on to
    /// its next query rather than wait for the builder.
    Whole,
}

struct CatalogQuery {
    sql: String,
    lane: Lane,
    delivery: Delivery,
    /// The views' definitions (see `share_snapshot_after_views`).
    views: bool,
}

/// The catalog queries, in the order [`build::build_streamed`] uses them:
/// the lookups its definitions need first, then the objects.
///
/// The helper's part is mostly the server's deparsing (the definitions,
/// delivered whole, then constraints, dependencies and the unmanaged
/// kinds), about as much server work at 10,000 tables as the main
/// connection's rows. Each connection's streamed queries are in the
/// builder's order, so the query the builder waits for is always one its
/// connection is answering or will answer next (no stall).
fn catalog_queries(version: Version) -> Vec<CatalogQuery> {
    use Delivery::{Streamed, Whole};
    use Lane::{Helper, Main};
    let query = |sql: String, lane, delivery| CatalogQuery { sql, lane, delivery, views: false };
    vec![
        query(queries::opclasses(), Main, Streamed),
        query(queries::type_facts(version), Main, Streamed),
        query(queries::binary_casts(), Main, Streamed),
        query(queries::collations(), Main, Streamed),
        query(queries::schemas(), Main, Streamed),
        query(queries::extensions(), Main, Streamed),
        CatalogQuery { views: true, ..query(queries::view_definitions(), Helper, Whole) },
        query(queries::relations(), Main, Streamed),
        query(queries::types(version), Main, Streamed),
        query(queries::sequences(), Main, Streamed),
        query(queries::columns(version), Main, Streamed),
        query(queries::expression_definitions(version), Helper, Whole),
        query(queries::constraints(version), Helper, Streamed),
        query(queries::indexes(version), Main, Streamed),
        query(queries::functions(), Main, Streamed),
        query(queries::triggers(), Main, Streamed),
        query(queries::rewrite_rules(), Main, Streamed),
        query(queries::dependencies(), Helper, Streamed),
        query(queries::unmanaged(), Helper, Streamed),
    ]
}
