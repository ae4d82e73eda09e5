//! Telling a real change from a different spelling. PostgreSQL's deparse is
//! not a fixpoint: a CHECK written `status IN ('a','b')` on varchar prints
//! as `= ANY ((ARRAY[...])::text[])`, and a database built from that printed
//! text prints it differently again. When a live definition's text differs
//! from the desired one, the live text is run through the scratch database
//! (where the desired state lives) and deparsed there; if it then reads like
//! the desired definition, the two are the same and nothing is planned.
//!
//! Everything happens in one transaction that is rolled back.

use tokio_postgres::Client;

use crate::catalog::*;
use crate::diff::{index_body, Change};
use crate::elaborate::{ElaborateError, Session};
use crate::quote::ident;

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NormalizeError {
    #[error(transparent)]
    Scratch(#[from] ElaborateError),
    #[error("{}", crate::connect::describe(.0))]
    Query(#[from] tokio_postgres::Error),
}

/// Removes the changes whose live and desired definitions deparse the same.
/// Answers recorded by earlier runs (see `cache`) are reused; the scratch
/// database is only needed for new ones.
pub async fn drop_equivalent(
    session: &mut Session,
    live: &Catalog,
    changes: Vec<Change>,
) -> Result<Vec<Change>, NormalizeError> {
    let desired = &session.desired.catalog;
    let candidates: Vec<(usize, String)> = changes
        .iter()
        .enumerate()
        .filter(|(_, c)| is_candidate(c, live, desired))
        .filter_map(|(i, c)| Some((i, memo_key(live, desired, c)?)))
        .collect();
    let unknown: Vec<&(usize, String)> =
        candidates.iter().filter(|(_, key)| session.known_equivalence(key).is_none()).collect();
    if !unknown.is_empty() {
        session.ensure_scratch().await?;
        let scratch = session.scratch().expect("ensured above");
        let answers = judge(scratch, live, &session.desired.catalog, &changes, &unknown).await?;
        for (key, same) in answers {
            session.record_equivalence(key, same);
        }
    }
    let equivalent: Vec<usize> = candidates
        .iter()
        .filter(|(_, key)| session.known_equivalence(key) == Some(true))
        .map(|(i, _)| *i)
        .collect();
    Ok(changes.into_iter().enumerate().filter(|(i, _)| !equivalent.contains(i)).map(|(_, c)| c).collect())
}

/// [`drop_equivalent`] on any database holding the tables the changes
/// name, with nothing remembered: for checking, after a saved plan or its
/// reverse ran, that the database reads as the model it should have. A
/// definition PostgreSQL printed is created again from that text (the
/// `IN` list of a varchar CHECK re-reads as another spelling), so the
/// texts differ though the schema is the one expected. Everything is
/// probed on temporary copies, in a transaction rolled back.
pub async fn drop_equivalent_on(
    client: &Client,
    live: &Catalog,
    desired: &Catalog,
    changes: Vec<Change>,
) -> Result<Vec<Change>, tokio_postgres::Error> {
    let candidates: Vec<(usize, String)> = changes
        .iter()
        .enumerate()
        .filter(|(_, c)| is_candidate(c, live, desired))
        .map(|(i, _)| (i, String::new()))
        .collect();
    let probes: Vec<&(usize, String)> = candidates.iter().collect();
    let answers = judge(client, live, desired, &changes, &probes).await?;
    let equivalent: Vec<usize> =
        candidates.iter().zip(answers).filter(|(_, (_, same))| *same).map(|((i, _), _)| *i).collect();
    Ok(changes.into_iter().enumerate().filter(|(i, _)| !equivalent.contains(i)).map(|(_, c)| c).collect())
}

/// The change with both texts: the answer depends on nothing else (the
/// desired state is fixed by the cache key).
fn memo_key(live: &Catalog, desired: &Catalog, change: &Change) -> Option<String> {
    let (_, l, d) = texts(live, desired, change)?;
    Some(format!("{change:?}\n{l}\n{d}"))
}

/// Round-trips each candidate in one transaction that is rolled back.
async fn judge(
    scratch: &Client,
    live: &Catalog,
    desired: &Catalog,
    changes: &[Change],
    candidates: &[&(usize, String)],
) -> Result<Vec<(String, bool)>, tokio_postgres::Error> {
    // Printed back by the settings the models' texts were read by.
    let settings = crate::introspect::DEPARSE_SETTINGS;
    scratch.batch_execute(&format!("BEGIN; SELECT {settings}")).await?;
    let mut answers = Vec::new();
    for (n, (i, key)) in candidates.iter().enumerate() {
        scratch.batch_execute("SAVEPOINT pgrecon_normalize").await?;
        // An error means the live text does not even apply here: a real change.
        let same = same_after_round_trip(scratch, live, desired, &changes[*i], n).await.unwrap_or_default();
        scratch.batch_execute("ROLLBACK TO SAVEPOINT pgrecon_normalize").await?;
        answers.push((key.clone(), same));
    }
    scratch.batch_execute("ROLLBACK").await?;
    Ok(answers)
}

fn is_candidate(change: &Change, live: &Catalog, desired: &Catalog) -> bool {
    match change {
        Change::Replace(ObjectId::Constraint { table, name }) => {
            let kind =
                |c: &Catalog| c.tables.get(table).and_then(|t| t.constraints.get(name)).map(|c| c.kind);
            kind(live).is_some() && kind(live) == kind(desired)
        }
        Change::Replace(ObjectId::ColumnDefault { .. }) => true,
        // An INVALID index (a failed concurrent build) is rebuilt whatever it says.
        Change::Replace(ObjectId::Index { name }) => live.indexes.get(name).is_some_and(|i| i.valid),
        Change::Redefine(ObjectId::View { name }) | Change::Replace(ObjectId::View { name }) => {
            matches!((live.views.get(name), desired.views.get(name)),
                (Some(l), Some(d)) if l.materialized == d.materialized && l.options == d.options && l.columns == d.columns)
        }
        _ => false,
    }
}

/// What one definition is, for deparsing it again in the scratch database.
enum Probe<'a> {
    Constraint { table: &'a QualName, name: &'a str },
    Default { table: &'a QualName, column: &'a str },
    Index { table: QualName, unique: bool },
    View,
}

/// Live and desired texts are the same if the live text deparses to the
/// desired one, or both deparse to the same text (the desired text may
/// itself be a deparse that is not a fixpoint, as in an adopted dump).
async fn same_after_round_trip(
    scratch: &Client,
    live: &Catalog,
    desired: &Catalog,
    change: &Change,
    n: usize,
) -> Result<bool, tokio_postgres::Error> {
    let Some((probe, l, d)) = texts(live, desired, change) else { return Ok(false) };
    let live_again = round_trip(scratch, &probe, &l, n * 2).await?;
    if live_again == d {
        return Ok(true);
    }
    Ok(live_again == round_trip(scratch, &probe, &d, n * 2 + 1).await?)
}

fn texts<'a>(live: &Catalog, desired: &Catalog, change: &'a Change) -> Option<(Probe<'a>, String, String)> {
    Some(match change {
        Change::Replace(ObjectId::Constraint { table, name }) => {
            let def = |c: &Catalog| c.tables.get(table)?.constraints.get(name).map(|c| c.definition.clone());
            (Probe::Constraint { table, name }, def(live)?, def(desired)?)
        }
        Change::Replace(ObjectId::ColumnDefault { table, column }) => {
            let expr = |c: &Catalog| c.tables.get(table)?.column(column)?.default.clone();
            (Probe::Default { table, column }, expr(live)?, expr(desired)?)
        }
        Change::Replace(ObjectId::Index { name }) => {
            let (l, d) = (live.indexes.get(name)?, desired.indexes.get(name)?);
            // The texts compared leave out `UNIQUE` (the probe says it).
            if l.table != d.table || l.unique != d.unique {
                return None;
            }
            let probe = Probe::Index { table: d.table.clone(), unique: l.unique };
            (probe, index_method_on(&l.definition).to_string(), index_method_on(&d.definition).to_string())
        }
        Change::Redefine(ObjectId::View { name }) | Change::Replace(ObjectId::View { name }) => {
            (Probe::View, live.views.get(name)?.query.clone(), desired.views.get(name)?.query.clone())
        }
        _ => return None,
    })
}

/// `text` created in the scratch database and printed back by PostgreSQL.
async fn round_trip(
    scratch: &Client,
    probe: &Probe<'_>,
    text: &str,
    n: usize,
) -> Result<String, tokio_postgres::Error> {
    let temp = format!("pg_temp.pgrecon_normalize_{n}");
    let one = |sql: &'static str, a: String, b: String| async move {
        let row = scratch.query_one(sql, &[&a, &b]).await?;
        Ok::<String, tokio_postgres::Error>(row.get(0))
    };
    match probe {
        Probe::Constraint { table, name } => {
            scratch.batch_execute(&format!("CREATE TEMP TABLE pgrecon_normalize_{n} (LIKE {table})")).await?;
            scratch
                .batch_execute(&format!("ALTER TABLE {temp} ADD CONSTRAINT {} {text}", ident(name)))
                .await?;
            one(
                "SELECT pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint \
                 WHERE conrelid = $1::text::pg_catalog.regclass AND conname = $2::text",
                temp,
                name.to_string(),
            )
            .await
        }
        Probe::Default { table, column } => {
            scratch.batch_execute(&format!("CREATE TEMP TABLE pgrecon_normalize_{n} (LIKE {table})")).await?;
            scratch
                .batch_execute(&format!(
                    "ALTER TABLE {temp} ALTER COLUMN {} SET DEFAULT {text}",
                    ident(column)
                ))
                .await?;
            one(
                "SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d \
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
                 WHERE d.adrelid = $1::text::pg_catalog.regclass AND a.attname = $2::text",
                temp,
                column.to_string(),
            )
            .await
        }
        // On an empty copy of the table: no lock on the table itself, no
        // build over its rows.
        Probe::Index { table, unique } => {
            scratch.batch_execute(&format!("CREATE TEMP TABLE pgrecon_normalize_{n} (LIKE {table})")).await?;
            let unique = if *unique { "UNIQUE " } else { "" };
            scratch
                .batch_execute(&format!("CREATE {unique}INDEX pgrecon_normalize_{n}_index ON {temp} {text}"))
                .await?;
            let def = one(
                "SELECT pg_catalog.pg_get_indexdef($1::text::pg_catalog.regclass), $2",
                format!("{temp}_index"),
                String::new(),
            )
            .await?;
            Ok(index_method_on(&def).to_string())
        }
        Probe::View => {
            let query = text.trim_end().trim_end_matches(';');
            scratch.batch_execute(&format!("CREATE TEMP VIEW pgrecon_normalize_{n} AS {query}")).await?;
            one("SELECT pg_catalog.pg_get_viewdef($1::text::pg_catalog.regclass), $2", temp, String::new())
                .await
        }
    }
}

/// An index definition from `USING` on: what it is, whichever table it is on.
fn index_method_on(definition: &str) -> &str {
    let body = index_body(definition);
    crate::sql_scan::find_top_level(body, "USING ", 0).map_or(body, |i| &body[i..])
}
