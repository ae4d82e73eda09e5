//! Introspection: read a live database into the catalog model.
//!
//! All queries run inside one `REPEATABLE READ READ ONLY` transaction, so the
//! picture is consistent even while someone else changes the schema, and
//! they are sent together (tokio-postgres pipelines them), so the cost is a
//! handful of round trips whatever the size of the database.

mod build;
mod deparse;
mod queries;

pub use queries::Version;

use std::time::Instant;

use futures_util::future::try_join_all;
use tokio_postgres::{Client, Row};

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
    #[error("PostgreSQL {0} is not supported (pgrecon reads PostgreSQL 13 to 18)")]
    UnsupportedVersion(String),
}

/// Reads every user object of the connected database.
pub async fn introspect(client: &mut Client) -> Result<(Catalog, IntrospectStats), IntrospectError> {
    introspect_client(client).await
}

/// [`introspect`] for a shared client: the transaction is opened with plain
/// statements, so the client need not be borrowed mutably.
pub async fn introspect_client(client: &Client) -> Result<(Catalog, IntrospectStats), IntrospectError> {
    client.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
    let result = read_catalog(client).await;
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    client.batch_execute(end).await?;
    result
}

async fn read_catalog(client: &Client) -> Result<(Catalog, IntrospectStats), IntrospectError> {
    let version = server_version(client).await?;
    let sql = catalog_queries(version);
    let started = Instant::now();
    let results = try_join_all(sql.iter().map(|q| client.query(q.as_str(), &[]))).await?;
    let query_time = started.elapsed();
    let catalog = build::Rows::from_results(results).into_catalog();
    let stats = IntrospectStats {
        // BEGIN, the version/search_path query, the catalog queries, COMMIT.
        statements: 3 + sql.len(),
        query_time,
        build_time: started.elapsed() - query_time,
    };
    Ok((catalog, stats))
}

/// The server version; also empties `search_path` for the transaction so
/// every name PostgreSQL prints comes out schema-qualified, turns JIT off
/// (compiling these one-off queries costs more than it saves) and gives
/// sorts and hashes of large catalogs room in memory.
async fn server_version(client: &Client) -> Result<Version, IntrospectError> {
    let row = client
        .query_one(
            "SELECT pg_catalog.current_setting('server_version_num')::int, \
                    pg_catalog.current_setting('server_version'), \
                    pg_catalog.set_config('search_path', '', true), \
                    pg_catalog.set_config('jit', 'off', true), \
                    pg_catalog.set_config('work_mem', '64MB', true)",
            &[],
        )
        .await?;
    let version = Version(row.get(0));
    if !(13..=18).contains(&version.major()) {
        return Err(IntrospectError::UnsupportedVersion(row.get(1)));
    }
    Ok(version)
}

/// The catalog queries, in the order [`build::Rows::from_results`] expects.
fn catalog_queries(version: Version) -> Vec<String> {
    vec![
        queries::schemas(),
        queries::extensions(),
        queries::types(),
        queries::relations(),
        queries::columns(version),
        queries::sequences(),
        queries::constraints(version),
        queries::indexes(version),
        queries::functions(),
        queries::triggers(),
        queries::rewrite_rules(),
        queries::dependencies(),
        queries::unmanaged(),
        queries::opclasses(),
        queries::type_facts(version),
        queries::binary_casts(),
        queries::collations(),
    ]
}

pub(crate) type QueryResults = Vec<Vec<Row>>;
