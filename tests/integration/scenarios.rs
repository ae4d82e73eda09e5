//! The scenario corpus (`tests/scenarios/<area>--<case>/`): each scenario
//! is a start and an end schema, run in both directions. For each direction:
//! load the start schema and its seed with psql, plan and apply the end
//! schema, then check that the schema equals a fresh build of the end files
//! (normalized pg_dump), that a second plan is empty, and that the rows of
//! the tables the scenario names survived, with the values it names.

use std::path::{Path, PathBuf};

use futures_util::stream::{self, StreamExt};
use pgrecon::apply::ApplyOptions;
use pgrecon::elaborate::{elaborate_session, ScratchServer};
use serde::Deserialize;

use crate::support::*;

#[derive(Deserialize)]
struct Scenario {
    #[allow(dead_code)]
    about: String,
    forward: Direction,
    backward: Direction,
    /// The oldest PostgreSQL major the scenario's syntax runs on; older
    /// servers (`make test-versions`) skip it, saying so.
    #[serde(default)]
    min_server: Option<u32>,
    /// An extension the server must be able to create (`vector`: `make
    /// test-pgvector`); servers without it skip the scenario, saying so.
    #[serde(default)]
    needs_extension: Option<String>,
    /// Planned with `--online` (both directions).
    #[serde(default)]
    online: bool,
}

#[derive(Deserialize)]
struct Direction {
    allow_data_loss: bool,
    #[serde(default)]
    keep: Vec<String>,
    /// Step summaries the plan must not have (`"- function"`: renamed,
    /// not dropped and created again, which would lose its privileges).
    #[serde(default)]
    not_in_plan: Vec<String>,
    /// Values that must survive: a query on the start schema and one on
    /// the end schema that give the same rows, before and after the apply
    /// (and the start query again after the rollback).
    #[serde(default)]
    same: Vec<SameValues>,
}

#[derive(Deserialize)]
struct SameValues {
    start: String,
    end: String,
}

fn scenario_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(project_path("tests/scenarios"))
        .expect("tests/scenarios")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("scenario.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[tokio::test]
async fn scenarios_converge_in_both_directions() {
    let mut dirs = scenario_dirs();
    assert!(dirs.len() >= 40, "only {} scenarios", dirs.len());
    // While working on a few: PGRECON_SCENARIOS=part-of-a-name,another.
    if let Ok(only) = std::env::var("PGRECON_SCENARIOS") {
        dirs.retain(|d| only.split(',').any(|part| d.to_string_lossy().contains(part)));
    }
    let runs: Vec<(PathBuf, bool)> =
        dirs.iter().flat_map(|d| [(d.clone(), true), (d.clone(), false)]).collect();
    let results: Vec<Result<(), String>> = stream::iter(runs)
        .map(|(dir, forward)| async move { run_direction(&dir, forward).await })
        .buffer_unordered(4)
        .collect()
        .await;
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(
        failures.is_empty(),
        "{} of {} scenario runs failed:\n\n{}",
        failures.len(),
        dirs.len() * 2,
        failures.join("\n\n")
    );
}

async fn run_direction(dir: &Path, forward: bool) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let label = format!("{name} ({})", if forward { "forward" } else { "backward" });
    run(dir, &name, forward).await.map_err(|e| format!("{label}: {e}"))
}

async fn run(dir: &Path, name: &str, forward: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(dir.join("scenario.yaml")).map_err(|e| e.to_string())?;
    let scenario: Scenario = serde_saphyr::from_str(&text).map_err(|e| format!("scenario.yaml: {e}"))?;
    let major = cluster().server_major();
    if scenario.min_server.is_some_and(|min| major < min) {
        let min = scenario.min_server.unwrap_or_default();
        eprintln!("skipped scenario {name}: needs PostgreSQL {min} (this server is {major})");
        return Ok(());
    }
    if let Some(extension) = &scenario.needs_extension {
        if !extension_available(extension).await {
            eprintln!("skipped scenario {name}: needs the {extension} extension (`make test-pgvector`)");
            return Ok(());
        }
    }
    let (start, end, seed, direction) = if forward {
        ("a.sql", "b.sql", "seed_a.sql", &scenario.forward)
    } else {
        ("b.sql", "a.sql", "seed_b.sql", &scenario.backward)
    };
    let db_label: String = name.chars().filter(|c| c.is_alphanumeric()).take(30).collect();
    let db = TestDb::create(&format!("s{db_label}{}", if forward { "f" } else { "b" })).await;
    db.build_fresh(&[dir.join(start)])?;
    if dir.join(seed).is_file() {
        db.try_psql_file(&dir.join(seed))?;
    }
    let before = row_counts(&db, &direction.keep, true).await?;
    let values_before = values(&db, &direction.same, true).await?;
    let original_dump = schema_dump(&db.url);

    let sources = pgrecon::load::load(&[dir.join(end)]).map_err(|e| format!("load: {e}"))?;
    let target = pgrecon::connect::Target::parse(&db.url).unwrap();
    // Planned as `pgrecon plan` plans: definitions that read differently
    // are compared again in the scratch database (`plan::normalize`), so a
    // change that comparison wrongly drops shows here too.
    let server = ScratchServer::Server(target);
    let mut session = elaborate_session(sources, &server, &Default::default())
        .await
        .map_err(|e| format!("elaborate: {e}"))?;
    let client = db.client().await;
    let original = pgrecon::introspect::introspect_client(&client).await.map_err(|e| e.to_string())?.0;
    let plan_options = pgrecon::plan::PlanOptions { online: scenario.online };
    let planned = pgrecon::plan::plan_in_session(&original, &mut session, plan_options).await;
    let desired = session.close().await;
    let plan = planned.map_err(|e| format!("plan: {e}"))?;
    for unwanted in &direction.not_in_plan {
        if let Some(s) = plan.steps.iter().find(|s| s.summary.contains(unwanted.as_str())) {
            return Err(format!("the plan has a step it must not have ({unwanted:?}): {}", s.summary));
        }
    }
    if !direction.allow_data_loss {
        if let Some(s) = plan.data_loss_steps().next() {
            return Err(format!("plan drops data where the scenario keeps it: {}", s.summary));
        }
    }
    let options = ApplyOptions { allow_data_loss: direction.allow_data_loss, ..Default::default() };
    pgrecon::apply::apply(&client, &plan, &options)
        .await
        .map_err(|e| format!("apply: {e}\nplan:\n{}", pgrecon::report::sql(&plan)))?;

    let fresh = TestDb::create(&format!("f{db_label}{}", if forward { "f" } else { "b" })).await;
    fresh.build_fresh(&[dir.join(end)])?;
    let (expected, actual) = (fresh.normalized_schema(), db.normalized_schema());
    if expected != actual {
        let diff = similar::TextDiff::from_lines(&expected, &actual)
            .unified_diff()
            .context_radius(2)
            .header("fresh build", "after apply")
            .to_string();
        return Err(format!(
            "schema differs from a fresh build:\n{diff}\nplan:\n{}",
            pgrecon::report::sql(&plan)
        ));
    }
    let live = pgrecon::introspect::introspect_client(&client).await.map_err(|e| e.to_string())?.0;
    let again = pgrecon::plan::plan(&live, &desired).map_err(|e| format!("second plan: {e}"))?;
    if !again.is_empty() {
        return Err(format!("second plan is not empty:\n{}", pgrecon::report::sql(&again)));
    }
    if !again.warnings.is_empty() {
        return Err(format!("second plan warns: {:?}", again.warnings));
    }
    let after = row_counts(&db, &direction.keep, false).await?;
    if before != after {
        return Err(format!("rows not kept: before {before:?}, after {after:?}"));
    }
    let values_after = values(&db, &direction.same, false).await?;
    if values_before != values_after {
        return Err(format!("values not kept: before {values_before:?}, after {values_after:?}"));
    }
    if pgrecon::plan::file::fingerprint(&live) != pgrecon::plan::file::fingerprint(&desired.catalog) {
        return Err("the applied database does not have the desired state's fingerprint".into());
    }
    let kept = Kept { rows: &before, values: &values_before };
    rollback(&db, &original_dump, &original, &desired, &plan, plan_options, direction, kept, &db_label).await
}

async fn extension_available(name: &str) -> bool {
    let admin = client_for(&cluster().url("postgres")).await;
    let sql = "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = $1)";
    admin.query_one(sql, &[&name]).await.expect("pg_available_extensions").get(0)
}

/// The plan's reverse, applied: the schema is the original one again (both
/// compared after one dump/restore cycle, as PostgreSQL's deparse needs)
/// and the kept tables still have their rows.
#[allow(clippy::too_many_arguments)]
async fn rollback(
    db: &TestDb,
    original_dump: &str,
    original: &pgrecon::catalog::Catalog,
    desired: &pgrecon::elaborate::DesiredState,
    plan: &pgrecon::plan::Plan,
    options: pgrecon::plan::PlanOptions,
    direction: &Direction,
    before: Kept<'_>,
    label: &str,
) -> Result<(), String> {
    let reverse =
        pgrecon::plan::reverse(original, desired, plan, options).map_err(|e| format!("reverse plan: {e}"))?;
    let client = db.client().await;
    let options = ApplyOptions { allow_data_loss: true, ..Default::default() };
    pgrecon::apply::apply(&client, &reverse, &options)
        .await
        .map_err(|e| format!("rollback: {e}\nreverse plan:\n{}", pgrecon::report::sql(&reverse)))?;
    let expected = TestDb::create(&format!("re{label}")).await;
    expected.try_psql_text(original_dump)?;
    let actual = TestDb::create(&format!("ra{label}")).await;
    actual.try_psql_text(&schema_dump(&db.url))?;
    let (e, a) = (expected.normalized_schema(), actual.normalized_schema());
    if e != a {
        let diff = similar::TextDiff::from_lines(&e, &a)
            .unified_diff()
            .context_radius(2)
            .header("original", "after rollback")
            .to_string();
        return Err(format!(
            "rollback did not restore the schema:\n{diff}\nreverse plan:\n{}",
            pgrecon::report::sql(&reverse)
        ));
    }
    let restored = row_counts(db, &direction.keep, true).await?;
    if restored != before.rows {
        return Err(format!("rollback lost rows: before {:?}, after rollback {restored:?}", before.rows));
    }
    let restored = values(db, &direction.same, true).await?;
    if restored != before.values {
        return Err(format!("rollback lost values: before {:?}, after rollback {restored:?}", before.values));
    }
    Ok(())
}

/// What the start schema held before the apply.
#[derive(Clone, Copy)]
struct Kept<'a> {
    rows: &'a [i64],
    values: &'a [Vec<String>],
}

/// The rows of each `same` query (the start or the end one), as text.
async fn values(db: &TestDb, same: &[SameValues], start: bool) -> Result<Vec<Vec<String>>, String> {
    let client = db.client().await;
    let mut all = Vec::new();
    for s in same {
        let sql = if start { &s.start } else { &s.end };
        let messages = client
            .simple_query(sql)
            .await
            .map_err(|e| format!("{sql}: {}", pgrecon::connect::describe(&e)))?;
        let rows = messages.iter().filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => {
                Some((0..row.len()).map(|i| row.get(i).unwrap_or("NULL")).collect::<Vec<_>>().join("|"))
            }
            _ => None,
        });
        all.push(rows.collect());
    }
    Ok(all)
}

/// Row counts of the `keep` tables (`start:end` pairs), by start or end name.
async fn row_counts(db: &TestDb, keep: &[String], start: bool) -> Result<Vec<i64>, String> {
    let client = db.client().await;
    let mut counts = Vec::new();
    for pair in keep {
        let (a, b) = pair.split_once(':').unwrap_or((pair, pair));
        let table = if start { a } else { b };
        let row = client
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .map_err(|e| format!("count {table}: {}", pgrecon::connect::describe(&e)))?;
        counts.push(row.get(0));
    }
    Ok(counts)
}
