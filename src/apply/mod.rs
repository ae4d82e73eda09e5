//! Executing a plan: each segment in one transaction (a failing segment
//! rolls back whole), every statement under `lock_timeout` so no table is
//! locked for long behind a busy session, a segment that hit the lock
//! timeout retried with backoff, steps timed, and a session-level advisory
//! lock so two applies to one database never interleave.

use std::time::{Duration, Instant};

use tokio_postgres::error::SqlState;
use tokio_postgres::Client;

use crate::connect::describe;
use crate::plan::{Plan, Step};

#[derive(Debug, Clone)]
pub struct StepReport {
    pub summary: String,
    pub duration: Duration,
}

#[derive(Debug, Default)]
pub struct ApplyReport {
    pub steps: Vec<StepReport>,
    pub segments: usize,
    /// Lock-timeout retries, as lines for the report.
    pub retries: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("the plan drops data ({}); pass --allow-data-loss to apply it", .0.join("; "))]
    DataLoss(Vec<String>),
    #[error(
        "step {step} failed: {summary}: {message}\n  statement: {statement}\n  \
         {applied} of {segments} transaction segment(s) were committed before it; {outcome}"
    )]
    Step {
        step: usize,
        summary: String,
        statement: String,
        message: String,
        applied: usize,
        segments: usize,
        outcome: Outcome,
    },
    #[error(
        "interrupted{during}: {applied} of {segments} transaction segment(s) were committed before it{outcome}; \
         run `pgrecon plan` to see what is left"
    )]
    Interrupted { during: String, applied: usize, segments: usize, outcome: String },
    #[error("another pgrecon apply holds the lock on this database; gave up after {waited:?}{holder}")]
    Locked { waited: Duration, holder: String },
    #[error("the database connection failed: {0}")]
    Connection(String),
}

/// What became of the segment a step failed in, so a failure never reads
/// as "nothing happened" when something stayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Its transaction rolled back: nothing of it stays.
    RolledBack,
    /// The connection was lost at COMMIT: the server may have committed.
    CommitUnknown,
    /// It ran outside a transaction: what its statements did before the
    /// failure stays.
    NonTransactional,
    /// A backfill: this many batches committed, each by itself.
    Batches(usize),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::RolledBack => f.write_str("its transaction was rolled back"),
            Outcome::CommitUnknown => f.write_str(
                "the connection was lost at COMMIT, so its transaction may have committed: \
                 run `pgrecon plan` to see what is left",
            ),
            Outcome::NonTransactional => f.write_str(
                "it ran outside a transaction, so what it did before failing stays \
                 (an interrupted concurrent index build leaves an invalid index, which the next apply rebuilds)",
            ),
            Outcome::Batches(n) => write!(
                f,
                "its batches commit one by one: {n} batch(es) committed before it and stay; applying again fills the rest"
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ApplyOptions {
    pub allow_data_loss: bool,
    /// `lock_timeout` for every statement.
    pub lock_timeout: Duration,
    /// `statement_timeout` for every statement but index builds.
    pub statement_timeout: Duration,
    /// `statement_timeout` for index builds.
    pub index_timeout: Duration,
    /// How often a segment that hit the lock timeout is tried again.
    pub lock_retries: u32,
    /// How long to wait for another apply to finish.
    pub wait_for_other_apply: Duration,
    /// Where to send the cancel request when an interrupt stops the apply
    /// (see [`crate::interrupt`]): the database's own connection settings,
    /// TLS included. Without it the running statement finishes first.
    pub cancel_via: Option<crate::connect::Target>,
    /// Each committed transaction is reported on stderr as it commits, so
    /// the log of a job killed half-way shows how far it got.
    pub progress: bool,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            allow_data_loss: false,
            lock_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(15 * 60),
            index_timeout: Duration::from_secs(4 * 3600),
            lock_retries: 3,
            wait_for_other_apply: Duration::from_secs(60),
            cancel_via: None,
            progress: false,
        }
    }
}

/// The advisory lock key all pgrecon applies take ("pgrecon" in ASCII).
pub const ADVISORY_LOCK_KEY: i64 = 0x70_67_72_65_63_6f_6e;

/// Names resolve as they did when the desired state was elaborated
/// (default `search_path`), literals read as they did there
/// ([`crate::load::SESSION_SETTINGS`]: with the server's own
/// `standard_conforming_strings = off`, `'C:\temp'` would hold a tab), and
/// function bodies may refer to objects created later in the plan.
fn session_setup(o: &ApplyOptions) -> String {
    format!(
        "SET check_function_bodies = off; SET client_min_messages = warning; {}; \
         SET lock_timeout = '{}ms'; SET statement_timeout = '{}ms'",
        crate::load::SESSION_SETTINGS,
        o.lock_timeout.as_millis(),
        o.statement_timeout.as_millis()
    )
}

pub async fn apply(client: &Client, plan: &Plan, options: &ApplyOptions) -> Result<ApplyReport, ApplyError> {
    let lossy: Vec<String> = plan.data_loss_steps().map(|s| s.summary.clone()).collect();
    if !lossy.is_empty() && !options.allow_data_loss {
        return Err(ApplyError::DataLoss(lossy));
    }
    let connection = |e: tokio_postgres::Error| ApplyError::Connection(describe(&e));
    client.batch_execute(&session_setup(options)).await.map_err(connection)?;
    take_advisory_lock(client, options.wait_for_other_apply).await?;
    let _graceful = crate::interrupt::graceful();
    // On an interrupt the running statement is cancelled: it fails, its
    // transaction rolls back, and `run_segments` stops and says so.
    let cancel = async {
        crate::interrupt::signalled().await;
        if let Some(target) = &options.cancel_via {
            if let Err(e) = target.cancel(&client.cancel_token()).await {
                crate::say!("warning: could not cancel the running statement: {e}");
            }
        }
        std::future::pending::<()>().await
    };
    let result = tokio::select! {
        r = run_segments(client, plan, options) => r,
        _ = cancel => unreachable!("the cancel branch never ends"),
    };
    let _ = client.query("SELECT pg_catalog.pg_advisory_unlock($1)", &[&ADVISORY_LOCK_KEY]).await;
    result
}

/// Takes the lock every apply holds while it runs, before the database is
/// read for planning or for a saved plan's check: a second apply waits and
/// then plans against (or checks) what the first left, instead of running
/// the same steps again. Held until the session ends; [`apply`] takes it
/// again (advisory locks nest within a session).
pub async fn hold_apply_lock(client: &Client, wait: Duration) -> Result<(), ApplyError> {
    take_advisory_lock(client, wait).await
}

/// Waits (bounded) for another apply to release the lock.
async fn take_advisory_lock(client: &Client, wait: Duration) -> Result<(), ApplyError> {
    let started = Instant::now();
    loop {
        let row = client
            .query_one("SELECT pg_catalog.pg_try_advisory_lock($1)", &[&ADVISORY_LOCK_KEY])
            .await
            .map_err(|e| ApplyError::Connection(describe(&e)))?;
        if row.get::<_, bool>(0) {
            return Ok(());
        }
        if started.elapsed() >= wait {
            return Err(ApplyError::Locked { waited: wait, holder: lock_holder(client).await });
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Who holds the apply lock, for the error. An apply through a
/// transaction-pooling proxy leaves its session-level lock on a pooled
/// server connection, where it stays after pgrecon has gone; the error
/// says how to tell and what to do.
async fn lock_holder(client: &Client) -> String {
    let sql = format!(
        "SELECT a.pid, COALESCE(a.application_name, ''), COALESCE(a.state, ''), \
                COALESCE(pg_catalog.to_char(a.state_change, 'YYYY-MM-DD HH24:MI:SS TZ'), '') \
         FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.database = \
               (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) \
           AND l.classid = {} AND l.objid = {} AND l.objsubid = 1 LIMIT 1",
        ADVISORY_LOCK_KEY >> 32,
        ADVISORY_LOCK_KEY & 0xffff_ffff
    );
    let Ok(Some(row)) = client.query_opt(&sql, &[]).await else { return String::new() };
    let (pid, application, state, since): (i32, String, String, String) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    let mut text =
        format!(" (held by session {pid}, application_name '{application}', {state} since {since})");
    if state.starts_with("idle") {
        text.push_str(&format!(
            ". If no apply is running, the lock was left on a pooled server connection: pgrecon needs a \
             session of its own (a direct connection or session pooling, not PgBouncer's transaction \
             pooling); end that session with SELECT pg_terminate_backend({pid})"
        ));
    }
    text
}

async fn run_segments(
    client: &Client,
    plan: &Plan,
    options: &ApplyOptions,
) -> Result<ApplyReport, ApplyError> {
    let segments = plan.segments();
    let mut report = ApplyReport::default();
    let mut first_step = 0;
    for (k, segment) in segments.iter().enumerate() {
        let mut attempt = 0;
        loop {
            if crate::interrupt::interrupted() {
                return Err(interrupted(None, k, segments.len()));
            }
            match run_segment(client, segment, first_step, options).await {
                Ok(done) => {
                    report.steps.extend(done);
                    break;
                }
                Err(f) if crate::interrupt::interrupted() => {
                    return Err(interrupted(Some(&f), k, segments.len()));
                }
                Err(f) if f.lock_timeout && attempt < options.lock_retries => {
                    attempt += 1;
                    let pause = Duration::from_secs(1 << attempt);
                    report.retries.push(format!(
                        "step {} ({}) waited longer than lock_timeout; retrying its transaction in {pause:?} (attempt {attempt} of {})",
                        f.step, f.summary, options.lock_retries
                    ));
                    crate::say!("{}", report.retries.last().unwrap());
                    // An interrupt ends the wait (and the loop then stops).
                    tokio::select! {
                        _ = tokio::time::sleep(pause) => {}
                        _ = crate::interrupt::signalled() => {}
                    }
                }
                Err(f) => {
                    return Err(ApplyError::Step {
                        step: f.step,
                        summary: f.summary,
                        statement: f.statement,
                        message: f.message,
                        applied: k,
                        segments: segments.len(),
                        outcome: f.outcome,
                    })
                }
            }
        }
        first_step += segment.len();
        report.segments += 1;
        if options.progress {
            crate::say!(
                "committed {} of {} transaction(s) (through step {first_step} of {})",
                k + 1,
                segments.len(),
                plan.steps.len()
            );
        }
    }
    Ok(report)
}

/// The error of an apply stopped by an interrupt: before segment `applied`
/// began, or (`failure`) in it, its statement cancelled.
fn interrupted(failure: Option<&Failure>, applied: usize, segments: usize) -> ApplyError {
    let (during, outcome) = match failure {
        Some(f) => (format!(" during step {} ({})", f.step, f.summary), format!("; {}", f.outcome)),
        None => (String::new(), String::new()),
    };
    ApplyError::Interrupted { during, applied, segments, outcome }
}

struct Failure {
    step: usize,
    summary: String,
    statement: String,
    message: String,
    lock_timeout: bool,
    outcome: Outcome,
}

/// A step stopped by an interrupt between two statements (or batches).
fn stopped(step: usize, summary: &str, sql: &str, outcome: Outcome) -> Failure {
    Failure {
        step,
        summary: summary.to_string(),
        statement: sql.to_string(),
        message: "interrupted".into(),
        lock_timeout: false,
        outcome,
    }
}

fn is_index_build(sql: &str) -> bool {
    let upper = sql.trim_start().to_uppercase();
    upper.starts_with("CREATE INDEX") || upper.starts_with("CREATE UNIQUE INDEX")
}

async fn run_segment(
    client: &Client,
    steps: &[Step],
    first_step: usize,
    options: &ApplyOptions,
) -> Result<Vec<StepReport>, Failure> {
    let fail = |n: usize, summary: &str, sql: &str, e: &tokio_postgres::Error, outcome: Outcome| Failure {
        step: n,
        summary: summary.to_string(),
        statement: sql.to_string(),
        message: crate::connect::describe_in_full(e),
        lock_timeout: e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE),
        outcome,
    };
    if let [step] = steps {
        if let Some(backfill) = &step.backfill {
            let started = Instant::now();
            let mut batches = Vec::new();
            run_backfill(client, backfill, &mut batches).await.map_err(|e| {
                fail(first_step + 1, &step.summary, &step.sql[0], &e, Outcome::Batches(batches.len()))
            })?;
            if crate::interrupt::interrupted() {
                let outcome = Outcome::Batches(batches.len());
                return Err(stopped(first_step + 1, &step.summary, &step.sql[0], outcome));
            }
            let summary = format!(
                "{} ({} batch(es), {} row(s))",
                step.summary,
                batches.len(),
                batches.iter().sum::<u64>()
            );
            return Ok(vec![StepReport { summary, duration: started.elapsed() }]);
        }
        if step.transaction == crate::plan::Transaction::NonTransactional {
            let started = Instant::now();
            for sql in &step.sql {
                if crate::interrupt::interrupted() {
                    return Err(stopped(first_step + 1, &step.summary, sql, Outcome::NonTransactional));
                }
                let run = async {
                    if is_index_build(sql) {
                        drop_failed_build(client, step, sql).await?;
                    }
                    execute_alone(client, sql, options).await
                };
                run.await
                    .map_err(|e| fail(first_step + 1, &step.summary, sql, &e, Outcome::NonTransactional))?;
            }
            return Ok(vec![StepReport { summary: step.summary.clone(), duration: started.elapsed() }]);
        }
    }
    client
        .batch_execute("BEGIN")
        .await
        .map_err(|e| fail(first_step + 1, "BEGIN", "BEGIN", &e, Outcome::RolledBack))?;
    let mut done = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let number = first_step + i + 1;
        let started = Instant::now();
        for sql in &step.sql {
            if crate::interrupt::interrupted() {
                let _ = client.batch_execute("ROLLBACK").await;
                return Err(stopped(number, &step.summary, sql, Outcome::RolledBack));
            }
            if let Err(e) = execute(client, sql, options).await {
                let _ = client.batch_execute("ROLLBACK").await;
                return Err(fail(number, &step.summary, sql, &e, Outcome::RolledBack));
            }
        }
        done.push(StepReport { summary: step.summary.clone(), duration: started.elapsed() });
    }
    client.batch_execute("COMMIT").await.map_err(|e| {
        // The server answered: it rolled back. No answer: nobody knows.
        let outcome = if e.as_db_error().is_some() { Outcome::RolledBack } else { Outcome::CommitUnknown };
        fail(first_step + steps.len(), "COMMIT", "COMMIT", &e, outcome)
    })?;
    Ok(done)
}

/// Index builds get their own, longer statement timeout.
async fn execute(client: &Client, sql: &str, options: &ApplyOptions) -> Result<(), tokio_postgres::Error> {
    if !is_index_build(sql) {
        return client.batch_execute(sql).await;
    }
    client
        .batch_execute(&format!("SET LOCAL statement_timeout = '{}ms'", options.index_timeout.as_millis()))
        .await?;
    let result = client.batch_execute(sql).await;
    if result.is_ok() {
        client
            .batch_execute(&format!(
                "SET LOCAL statement_timeout = '{}ms'",
                options.statement_timeout.as_millis()
            ))
            .await?;
    }
    result
}

/// A statement outside any transaction (`CREATE INDEX CONCURRENTLY`): the
/// session's statement timeout is raised for index builds and restored.
/// A concurrent index build that fails (a lock timeout while it waits for
/// older transactions, a statement timeout, a killed run) leaves its index
/// behind, INVALID, under the name `sql` builds. It is dropped before the
/// build (and so before each retry): dropping it right after the failure
/// would wait for the same transactions the build waited for.
async fn drop_failed_build(client: &Client, step: &Step, sql: &str) -> Result<(), tokio_postgres::Error> {
    let built = step.deps.produces.iter().filter_map(|id| match id {
        crate::catalog::ObjectId::Index { name } => Some(name),
        _ => None,
    });
    // An online swap builds the new index under a temporary name first.
    let candidates = built.flat_map(|n| [n.clone(), crate::plan::online_temporary_name(n)]);
    for name in candidates {
        // The user's spelling may differ in case; the test only picks which
        // of the step's own names this statement builds.
        let builds = format!("index concurrently {} ", crate::quote::ident(&name.name)).to_lowercase();
        if !sql.to_lowercase().contains(&builds) {
            continue;
        }
        let qualified = name.to_string();
        let invalid = client
            .query_opt(
                "SELECT 1 FROM pg_catalog.pg_index \
                 WHERE indexrelid = pg_catalog.to_regclass($1) AND NOT indisvalid",
                &[&qualified],
            )
            .await?;
        if invalid.is_some() {
            client.batch_execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {qualified}")).await?;
        }
    }
    Ok(())
}

async fn execute_alone(
    client: &Client,
    sql: &str,
    options: &ApplyOptions,
) -> Result<(), tokio_postgres::Error> {
    if !is_index_build(sql) {
        return client.batch_execute(sql).await;
    }
    client
        .batch_execute(&format!("SET statement_timeout = '{}ms'", options.index_timeout.as_millis()))
        .await?;
    let result = client.batch_execute(sql).await;
    client
        .batch_execute(&format!("SET statement_timeout = '{}ms'", options.statement_timeout.as_millis()))
        .await?;
    result
}

/// Fills a column batch by batch in primary-key order; each batch is one
/// short transaction of its own, so no lock is held for the whole update.
/// Pushes the rows updated per batch onto `batches`, so a failure still
/// tells how many committed.
async fn run_backfill(
    client: &Client,
    b: &crate::plan::Backfill,
    batches: &mut Vec<u64>,
) -> Result<(), tokio_postgres::Error> {
    use crate::quote::{ident, literal};
    let (table, key, column) = (&b.table, ident(&b.key), ident(&b.column));
    let mut last: Option<String> = None;
    // Between batches an interrupt simply stops: each batch committed whole.
    while !crate::interrupt::interrupted() {
        let after = last
            .as_ref()
            .map(|l| format!("WHERE {key} > {}::{}", literal(l), b.key_type))
            .unwrap_or_default();
        // The batch's last key, by ordering rather than max(): a uuid key
        // (the usual one of many apps) has an order but no max(). Ordered
        // by the qualified key, not the text column the query outputs.
        let next_sql = format!(
            "SELECT batch.k::text FROM (SELECT {key} AS k FROM {table} {after} ORDER BY {key} LIMIT {}) batch \
             ORDER BY batch.k DESC LIMIT 1",
            b.batch_size
        );
        let next: Option<String> = client.query_opt(&next_sql, &[]).await?.map(|row| row.get(0));
        let Some(next) = next else { return Ok(()) };
        let lower =
            last.as_ref().map(|l| format!("{key} > {}::{} AND ", literal(l), b.key_type)).unwrap_or_default();
        let nulls = if b.only_nulls { format!(" AND {column} IS NULL") } else { String::new() };
        let update = format!(
            "UPDATE {table} SET {column} = ({}) WHERE {lower}{key} <= {}::{}{nulls}",
            b.expression,
            literal(&next),
            b.key_type
        );
        batches.push(client.execute(&update, &[]).await?);
        last = Some(next);
    }
    Ok(())
}
