//! Faults and concurrency during `apply`, complementing `safety`: the
//! apply's connection terminated inside a transactional segment and inside
//! a non-transactional one, `drift` reading while an apply's transaction is
//! open, and failures after some segments committed. In every case the
//! outcome is all-or-nothing per transactional segment, nothing
//! half-applied is reported as success, and applying again converges.
//!
//! The apply is held at a known point by an advisory lock the test holds:
//! an after-step (`steps/`) waits for it inside the last transaction, so the
//! test can act while that transaction is open, without racing a timer.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use pgrecon::plan::file::PlanFile;

use crate::support::*;

/// The advisory lock the after-step waits for.
const GATE: i64 = 4242;

/// A desired-state directory: `schema.sql` with `tables` new tables (plus
/// what `extra` declares) and an after-step that waits at the gate.
fn desired_dir(label: &str, tables: usize, extra: &str) -> PathBuf {
    let dir = cluster().dir().join(format!("faults-{label}"));
    std::fs::create_dir_all(dir.join("steps")).unwrap();
    let mut sql = String::from(extra);
    for i in 0..tables {
        sql += &format!("CREATE TABLE t{i} (id int PRIMARY KEY, v text);\n");
    }
    std::fs::write(dir.join("schema.sql"), sql).unwrap();
    std::fs::write(
        dir.join("steps").join("900-gate.sql"),
        format!("-- @step: after\nSELECT pg_catalog.pg_advisory_xact_lock({GATE});\n"),
    )
    .unwrap();
    dir
}

/// A running `pgrecon`, its output going to files: a pipe nobody reads
/// could fill and stall it.
struct Running {
    child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
}

fn spawn_pgrecon(label: &str, args: &[&str]) -> Running {
    let dir = cluster().dir().join(format!("faults-{label}-output"));
    std::fs::create_dir_all(&dir).unwrap();
    let (stdout, stderr) = (dir.join("apply.stdout"), dir.join("apply.stderr"));
    let child = Command::new(env!("CARGO_BIN_EXE_pgrecon"))
        .args(args)
        .env_remove("DATABASE_URL")
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .expect("run pgrecon");
    Running { child, stdout, stderr }
}

impl Running {
    fn finish(mut self) -> Output {
        let status = self.child.wait().unwrap();
        Output {
            status,
            stdout: std::fs::read(&self.stdout).unwrap(),
            stderr: std::fs::read(&self.stderr).unwrap(),
        }
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

/// A test that fails half-way leaves no apply waiting at the gate.
impl Drop for Running {
    fn drop(&mut self) {
        if self.is_running() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The pid of the backend that `condition` (over `pg_stat_activity a` and
/// `pg_locks l`) finds in `db`; fails if `apply` ends first.
async fn wait_for_backend(db: &TestDb, apply: &mut Running, condition: &str) -> i32 {
    let admin = client_for(&cluster().url("postgres")).await;
    let query = format!(
        "SELECT a.pid FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid \
         WHERE a.datname = $1 AND ({condition}) LIMIT 1"
    );
    let started = Instant::now();
    loop {
        if let Some(row) = admin.query_opt(&query, &[&db.name]).await.unwrap() {
            return row.get(0);
        }
        assert!(apply.is_running(), "apply ended before reaching {condition}");
        assert!(started.elapsed() < Duration::from_secs(120), "apply never reached: {condition}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waiting at the gate: the after-step, the last of its transaction.
const AT_GATE: &str = "l.locktype = 'advisory' AND NOT l.granted AND l.objid = 4242";

async fn terminate(pid: i32) {
    let admin = client_for(&cluster().url("postgres")).await;
    let done: bool = admin.query_one("SELECT pg_terminate_backend($1)", &[&pid]).await.unwrap().get(0);
    assert!(done, "backend {pid} not terminated");
}

/// A session holding the gate shut until dropped or opened.
async fn close_gate(db: &TestDb) -> tokio_postgres::Client {
    let holder = db.client().await;
    holder.query("SELECT pg_advisory_lock($1)", &[&GATE]).await.unwrap();
    holder
}

/// A failed apply: exit 1, says it failed, never that it succeeded.
#[track_caller]
fn assert_failed(out: &Output, expected: &[&str]) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "stdout: {stdout}\nstderr: {stderr}");
    for success in ["now matches", "now has the plan's target schema", "transaction(s).\n"] {
        assert!(!stdout.contains(success), "a failed apply reported success ({success:?}):\n{stdout}");
    }
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    stderr
}

/// The client either reads the server's FATAL message or finds the socket
/// closed first.
#[track_caller]
fn assert_connection_lost(stderr: &str) {
    assert!(
        stderr.contains("terminating connection due to administrator command")
            || stderr.contains("connection closed"),
        "the error should say the connection was lost:\n{stderr}"
    );
}

/// `k` from "k of n transaction segment(s) were committed".
fn committed_segments(stderr: &str) -> usize {
    let (before, _) = stderr
        .split_once(" transaction segment(s) were committed")
        .expect("the error counts committed segments");
    let words: Vec<&str> = before.split_whitespace().collect();
    words[words.len() - 3].parse().expect("a segment count")
}

/// The statements of the first `k` segments of a saved plan, as a script.
fn first_segments_sql(plan: &Path, k: usize) -> String {
    let file = PlanFile::read(plan).unwrap();
    let mut sql = String::from("SET check_function_bodies = off;\n");
    for segment in &file.plan.segments()[..k] {
        for statement in segment.iter().flat_map(|s| &s.sql) {
            sql += statement;
            sql += ";\n";
        }
    }
    sql
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The apply's connection is terminated (`pg_terminate_backend`) in its
/// last transaction, after an earlier segment (a before-step with an enum value)
/// committed: exit 1, an error that says so, the database exactly at the
/// end of the committed segments, and a second apply converges.
#[tokio::test]
async fn connection_terminated_mid_apply_leaves_whole_segments() {
    let start = "CREATE TYPE mood AS ENUM ('calm'); CREATE TABLE apply_log (note text);";
    let db = TestDb::create("terminated").await;
    db.execute(start).await;
    let extra = "CREATE TYPE mood AS ENUM ('calm', 'tense'); CREATE TABLE apply_log (note text);\n";
    let dir = desired_dir("terminated", 200, extra);
    std::fs::write(
        dir.join("steps").join("100-log.sql"),
        "-- @step: before\nINSERT INTO apply_log VALUES ('before');\n",
    )
    .unwrap();
    let plan = dir.join("plan.json");
    let (schema, plan_path) = (dir.to_str().unwrap(), plan.to_str().unwrap());
    let planned = pgrecon(&["plan", "--db", &db.url, "--schema", schema, "--out", plan_path]);
    assert_eq!(planned.status.code(), Some(2), "{}", String::from_utf8_lossy(&planned.stderr));
    let segments = PlanFile::read(&plan).unwrap().plan.segments().len();
    assert!(segments >= 2, "the plan should have several segments, has {segments}");

    let gate = close_gate(&db).await;
    let mut apply = spawn_pgrecon(
        "terminated",
        &["apply", "--db", &db.url, "--plan", plan_path, "--yes", "--lock-timeout", "120s"],
    );
    let pid = wait_for_backend(&db, &mut apply, AT_GATE).await;
    terminate(pid).await;
    let stderr = assert_failed(&apply.finish(), &["failed", "its transaction was rolled back"]);
    assert_connection_lost(&stderr);
    assert_eq!(committed_segments(&stderr), segments - 1, "{stderr}");

    // Exactly the committed segments: the start plus their statements.
    let expected = TestDb::create("terminated_expected").await;
    expected.execute(start).await;
    expected.psql_text(&first_segments_sql(&plan, segments - 1));
    assert_same_text(
        &expected.normalized_schema(),
        &db.normalized_schema(),
        "schema after the terminated apply",
    );
    let tables = db.catalog().await.tables.len();
    assert_eq!(tables, 1, "none of the last segment's 200 tables may exist");
    let log: i64 = db.client().await.query_one("SELECT count(*) FROM apply_log", &[]).await.unwrap().get(0);
    assert_eq!(log, 1, "the before-step's segment committed");

    // The saved plan no longer fits; a fresh apply converges.
    gate.query("SELECT pg_advisory_unlock($1)", &[&GATE]).await.unwrap();
    assert_failed(
        &pgrecon(&["apply", "--db", &db.url, "--plan", plan_path, "--yes"]),
        &["refusing: the database does not have the schema the plan was made from"],
    );
    ok(&pgrecon(&["apply", "--db", &db.url, "--schema", schema, "--yes"]));
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", schema]).status.code(), Some(0));
    let fresh = TestDb::create("terminated_fresh").await;
    fresh.build_fresh(&[dir.join("schema.sql")]).unwrap();
    assert_same_text(&fresh.normalized_schema(), &db.normalized_schema(), "converged vs fresh build");
}

/// Terminated in a non-transactional step (`CREATE INDEX CONCURRENTLY`
/// waiting for a writer): the error says the step ran outside a
/// transaction, the half-built index is left INVALID, and the next apply
/// rebuilds it.
#[tokio::test]
async fn connection_terminated_in_a_concurrent_index_build() {
    let db = TestDb::create("terminated_online").await;
    db.execute("CREATE TABLE events (id int PRIMARY KEY, kind text); INSERT INTO events SELECT g, 'k' || g % 5 FROM generate_series(1, 1000) g;").await;
    let dir = cluster().dir().join("faults-online");
    std::fs::create_dir_all(&dir).unwrap();
    let desired =
        "CREATE TABLE events (id int PRIMARY KEY, kind text); CREATE INDEX events_kind ON events (kind);";
    std::fs::write(dir.join("schema.sql"), desired).unwrap();
    let schema = dir.join("schema.sql");
    let schema = schema.to_str().unwrap();

    // An open writing transaction: the concurrent build waits for it.
    let mut writer = db.client().await;
    let tx = writer.transaction().await.unwrap();
    tx.batch_execute("INSERT INTO events VALUES (0, 'k0')").await.unwrap();
    let mut apply = spawn_pgrecon(
        "online",
        &["apply", "--db", &db.url, "--schema", schema, "--online", "--yes", "--lock-timeout", "120s"],
    );
    let building = "a.query LIKE 'CREATE INDEX CONCURRENTLY%' AND a.wait_event_type = 'Lock'";
    let pid = wait_for_backend(&db, &mut apply, building).await;
    terminate(pid).await;
    let stderr = assert_failed(&apply.finish(), &["failed", "it ran outside a transaction"]);
    assert_connection_lost(&stderr);
    tx.rollback().await.unwrap();
    let client = db.client().await;
    let valid: Option<bool> = client
        .query_opt("SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_kind'::regclass", &[])
        .await
        .unwrap()
        .map(|r| r.get(0));
    assert_eq!(valid, Some(false), "the interrupted build leaves an invalid index");

    ok(&pgrecon(&["apply", "--db", &db.url, "--schema", schema, "--online", "--yes"]));
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", schema]).status.code(), Some(0));
    let fresh = TestDb::create("terminated_online_fresh").await;
    fresh.execute(desired).await;
    assert_same_text(&fresh.normalized_schema(), &db.normalized_schema(), "converged vs fresh build");
}

/// The findings of `drift --format json`.
fn drift_items(out: &Output) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("drift JSON: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    json["items"].as_array().unwrap().clone()
}

fn drift_json(db: &TestDb, schema: &str) -> Output {
    pgrecon(&["drift", "--db", &db.url, "--schema", schema, "--format", "json"])
}

/// `drift` while an apply's transaction (200 new tables) is open, held at
/// the gate, reports exactly the before state; after the commit, nothing.
#[tokio::test]
async fn drift_during_an_apply_sees_the_before_state_until_the_commit() {
    let db = TestDb::create("drift_during").await;
    let dir = desired_dir("drift-during", 200, "");
    let schema = dir.to_str().unwrap();
    let before = drift_items(&drift_json(&db, schema));
    assert_eq!(before.iter().filter(|i| i["finding"] == "missing" && i["kind"] == "table").count(), 200);

    let gate = close_gate(&db).await;
    let mut apply = spawn_pgrecon(
        "drift-during",
        &["apply", "--db", &db.url, "--schema", schema, "--yes", "--lock-timeout", "120s"],
    );
    wait_for_backend(&db, &mut apply, AT_GATE).await;
    let during = drift_json(&db, schema);
    assert!(apply.is_running(), "the apply must still be open while drift reads");
    assert_eq!(drift_items(&during), before, "drift saw part of an open transaction");

    gate.query("SELECT pg_advisory_unlock($1)", &[&GATE]).await.unwrap();
    ok(&apply.finish());
    let after = drift_json(&db, schema);
    assert_eq!(after.status.code(), Some(0), "{}", String::from_utf8_lossy(&after.stdout));
}

/// An apply that changes an existing table holds its ACCESS EXCLUSIVE lock
/// until COMMIT; a `drift` started meanwhile (against the start schema)
/// needs a lock on that table. After the commit it must still report the
/// before state (no drift) or the after state as a whole.
///
/// Rows come from the transaction's snapshot (column `v`), while
/// `pg_get_constraintdef`/`pg_get_indexdef` read the current catalog
/// (`w > 0`, `btree (w)`): had introspection waited for the lock inside its
/// snapshot, it would mix the two. It waits `lock_timeout` at most, then
/// starts again with a fresh snapshot once the lock is free.
#[tokio::test]
async fn drift_waiting_for_an_apply_lock_sees_before_or_after_never_a_mix() {
    let db = TestDb::create("drift_blocked").await;
    let start =
        "CREATE TABLE zones (id int PRIMARY KEY, v int CHECK (v > 0));\nCREATE INDEX zones_v ON zones (v);\n";
    db.execute(start).await;
    let start_dir = cluster().dir().join("faults-drift-blocked-start");
    std::fs::create_dir_all(&start_dir).unwrap();
    std::fs::write(start_dir.join("schema.sql"), start).unwrap();
    let start_schema = start_dir.to_str().unwrap().to_string();
    let renamed = "CREATE TABLE zones (id int PRIMARY KEY,\n w int CHECK (w > 0) -- @renamed-from: v\n);\n\
                   CREATE INDEX zones_v ON zones (w);\n";
    let dir = desired_dir("drift-blocked", 0, renamed);
    let schema = dir.to_str().unwrap();
    assert_eq!(drift_json(&db, &start_schema).status.code(), Some(0));

    let gate = close_gate(&db).await;
    let mut apply = spawn_pgrecon(
        "drift-blocked",
        &["apply", "--db", &db.url, "--schema", schema, "--yes", "--lock-timeout", "120s"],
    );
    wait_for_backend(&db, &mut apply, AT_GATE).await;
    let drift = {
        let (url, schema) = (db.url.clone(), start_schema.clone());
        std::thread::spawn(move || pgrecon(&["drift", "--db", &url, "--schema", &schema, "--format", "json"]))
    };
    wait_for_backend(&db, &mut apply, "l.locktype = 'relation' AND NOT l.granted").await;
    gate.query("SELECT pg_advisory_unlock($1)", &[&GATE]).await.unwrap();
    ok(&apply.finish());
    let during = drift_items(&drift.join().unwrap());
    let after = drift_items(&drift_json(&db, &start_schema));
    assert!(
        during.is_empty() || during == after,
        "a mix of before and after: {during:#?}\nafter: {after:#?}"
    );
}

/// A step failing after earlier segments committed: exit 1, the error
/// counts the committed segments and names the failing step, the plan
/// afterwards shows exactly what is left, and nothing says "applied".
#[tokio::test]
async fn a_failure_after_committed_segments_is_never_reported_as_success() {
    let db = TestDb::create("late_failure").await;
    db.execute(
        "CREATE TYPE mood AS ENUM ('calm'); CREATE TABLE apply_log (note text);
         CREATE TABLE readings (id int PRIMARY KEY, v int); INSERT INTO readings VALUES (1, -1);",
    )
    .await;
    let dir = cluster().dir().join("faults-late");
    std::fs::create_dir_all(dir.join("steps")).unwrap();
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TYPE mood AS ENUM ('calm', 'tense'); CREATE TABLE apply_log (note text);
         CREATE TABLE readings (id int PRIMARY KEY, v int CHECK (v >= 0));
         CREATE TABLE notes (id int PRIMARY KEY);",
    )
    .unwrap();
    std::fs::write(
        dir.join("steps").join("001-mark.sql"),
        "-- @step: before\nINSERT INTO apply_log VALUES ('before');\n",
    )
    .unwrap();
    let schema = dir.to_str().unwrap();
    let stderr = assert_failed(
        &pgrecon(&["apply", "--db", &db.url, "--schema", schema, "--yes"]),
        &["is violated by some row", "its transaction was rolled back"],
    );
    assert!(committed_segments(&stderr) >= 1, "the before-step committed: {stderr}");
    let client = db.client().await;
    let log: i64 = client.query_one("SELECT count(*) FROM apply_log", &[]).await.unwrap().get(0);
    assert_eq!(log, 1, "the committed segment stays");
    let notes: bool = client.query_one("SELECT to_regclass('notes') IS NOT NULL", &[]).await.unwrap().get(0);
    assert!(!notes, "the failing segment's other steps were rolled back");
    let again = pgrecon(&["plan", "--db", &db.url, "--schema", schema]);
    assert_eq!(again.status.code(), Some(2), "what was rolled back is still to do");
}

/// A backfill that fails half-way: its batches commit one by one, so the
/// error says how many committed instead of claiming a rollback; after the
/// data is fixed, applying again finishes the column.
#[tokio::test]
async fn a_backfill_failing_half_way_says_what_committed() {
    let db = TestDb::create("backfill_fault").await;
    db.execute(
        "CREATE TABLE readings (id bigint PRIMARY KEY, divisor int NOT NULL);
         INSERT INTO readings SELECT g, CASE WHEN g = 25000 THEN 0 ELSE 1 END FROM generate_series(1, 30000) g;",
    )
    .await;
    let dir = cluster().dir().join("faults-backfill");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE readings (id bigint PRIMARY KEY, divisor int NOT NULL,\n\
         ratio int NOT NULL -- @backfill: 100 / divisor\n);",
    )
    .unwrap();
    let schema = dir.to_str().unwrap();
    assert_failed(
        &pgrecon(&["apply", "--db", &db.url, "--schema", schema, "--yes"]),
        &["division by zero", "2 batch(es) committed before it"],
    );
    let client = db.client().await;
    let filled: i64 = client.query_one("SELECT count(ratio) FROM readings", &[]).await.unwrap().get(0);
    assert_eq!(filled, 20000, "two batches of 10,000 rows stayed");

    client.batch_execute("UPDATE readings SET divisor = 1 WHERE divisor = 0").await.unwrap();
    ok(&pgrecon(&["apply", "--db", &db.url, "--schema", schema, "--yes"]));
    let nulls: i64 =
        client.query_one("SELECT count(*) FROM readings WHERE ratio IS NULL", &[]).await.unwrap().get(0);
    assert_eq!(nulls, 0);
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", schema]).status.code(), Some(0));
}

/// Sends `signal` (a `kill` name: INT, TERM) to a running pgrecon.
fn send_signal(run: &Running, signal: &str) {
    let status = Command::new("kill").arg(format!("-{signal}")).arg(run.child.id().to_string()).status();
    assert!(status.unwrap().success(), "kill -{signal} failed");
}

/// Ctrl-C while the last transaction waits (at the gate, which stays
/// shut): the waiting statement is cancelled at once, its transaction
/// rolls back, the error says it was interrupted and how many segments
/// committed, and no session of the apply is left behind.
#[tokio::test]
async fn an_interrupted_apply_cancels_its_statement_and_rolls_back() {
    let start = "CREATE TYPE mood AS ENUM ('calm'); CREATE TABLE apply_log (note text);";
    let db = TestDb::create("interrupted").await;
    db.execute(start).await;
    let extra = "CREATE TYPE mood AS ENUM ('calm', 'tense'); CREATE TABLE apply_log (note text);\n";
    let dir = desired_dir("interrupted", 50, extra);
    let schema = dir.to_str().unwrap();

    let gate = close_gate(&db).await;
    let mut apply = spawn_pgrecon(
        "interrupted",
        &["apply", "--db", &db.url, "--schema", schema, "--yes", "--lock-timeout", "120s"],
    );
    wait_for_backend(&db, &mut apply, AT_GATE).await;
    let interrupted_at = Instant::now();
    send_signal(&apply, "INT");
    let out = apply.finish();
    assert!(interrupted_at.elapsed() < Duration::from_secs(20), "the apply did not stop promptly");
    let stderr = assert_failed(&out, &["interrupted during step", "its transaction was rolled back"]);
    let committed = committed_segments(&stderr);
    assert!(committed >= 1, "the enum value's segment committed before: {stderr}");
    assert!(stderr.contains("committed 1 of"), "progress lines show each commit: {stderr}");

    let tables = db.catalog().await.tables.len();
    assert_eq!(tables, 1, "none of the interrupted segment's 50 tables may exist");
    let admin = client_for(&cluster().url("postgres")).await;
    let waiting: i64 = admin
        .query_one(
            &format!("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = {GATE} AND NOT granted"),
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(waiting, 0, "the cancelled statement no longer waits at the gate");

    gate.query("SELECT pg_advisory_unlock($1)", &[&GATE]).await.unwrap();
    ok(&pgrecon(&["apply", "--db", &db.url, "--schema", schema, "--yes"]));
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", schema]).status.code(), Some(0));
}

/// A CI job cancelled (SIGTERM) while the desired state is elaborated in
/// a scratch database on the target's server: the scratch database is
/// dropped before pgrecon exits, with 130.
#[tokio::test]
async fn a_terminated_plan_drops_its_scratch_database() {
    let db = TestDb::create("terminated_plan").await;
    let dir = cluster().dir().join("faults-terminated-plan");
    std::fs::create_dir_all(&dir).unwrap();
    let mut sql = String::new();
    for i in 0..1500 {
        sql += &format!("CREATE TABLE t{i} (id int PRIMARY KEY, v text CHECK (v <> ''));\n");
    }
    std::fs::write(dir.join("schema.sql"), sql).unwrap();
    let mut plan = spawn_pgrecon(
        "terminated-plan",
        &["plan", "--db", &db.url, "--schema", dir.to_str().unwrap(), "--no-cache"],
    );
    let scratch = format!("pgrecon_scratch_{}_%", plan.child.id());
    let admin = client_for(&cluster().url("postgres")).await;
    let count = async |pattern: &str| -> i64 {
        let sql = "SELECT count(*) FROM pg_database WHERE datname LIKE $1";
        admin.query_one(sql, &[&pattern]).await.unwrap().get(0)
    };
    let started = Instant::now();
    while count(&scratch).await == 0 {
        assert!(plan.is_running(), "the plan ended before its scratch database was seen");
        assert!(started.elapsed() < Duration::from_secs(60), "no scratch database appeared");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    send_signal(&plan, "TERM");
    let out = plan.finish();
    assert_eq!(out.status.code(), Some(130), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(&scratch).await, 0, "the scratch database was left behind");
}

/// An enum value no other step uses is added in the plan's transaction, so
/// a later failure rolls it back too; one a default uses commits first,
/// alone, and nothing else commits with it (the dropped index stays).
#[tokio::test]
async fn an_added_enum_value_commits_early_only_when_used_and_alone() {
    let start = "CREATE TYPE mood AS ENUM ('a');
        CREATE TABLE t (id int PRIMARY KEY, m mood, x int); CREATE INDEX t_x ON t (x);
        CREATE TABLE u (id int PRIMARY KEY, v int); INSERT INTO u VALUES (1, -1);";
    let failing = "CREATE TABLE u (id int PRIMARY KEY, v int CHECK (v > 0));";
    let values = async |db: &TestDb| db.strings("SELECT unnest(enum_range(NULL::mood))::text").await;
    let index_kept =
        async |db: &TestDb| db.strings("SELECT (to_regclass('t_x') IS NOT NULL)::text").await == ["true"];
    for (label, column) in [("enum_unused", "m mood"), ("enum_used", "m mood DEFAULT 'b'")] {
        let db = TestDb::create(label).await;
        db.execute(start).await;
        let dir = cluster().dir().join(format!("faults-{label}"));
        std::fs::create_dir_all(&dir).unwrap();
        let desired = format!(
            "CREATE TYPE mood AS ENUM ('a', 'b');\nCREATE TABLE t (id int PRIMARY KEY, {column}, x int);\n{failing}\n"
        );
        std::fs::write(dir.join("schema.sql"), desired).unwrap();
        let stderr = assert_failed(
            &pgrecon(&["apply", "--db", &db.url, "--schema", dir.to_str().unwrap(), "--yes"]),
            &["is violated by some row", "its transaction was rolled back"],
        );
        assert!(index_kept(&db).await, "{label}: the index drop rolled back");
        if label == "enum_unused" {
            assert_eq!(committed_segments(&stderr), 0, "{stderr}");
            assert_eq!(values(&db).await, ["a"], "the unused value rolled back with the rest");
        } else {
            assert_eq!(committed_segments(&stderr), 1, "{stderr}");
            assert_eq!(values(&db).await, ["a", "b"], "the used value committed before its use");
        }
    }
}
