//! Safe apply in CD: saved plans and stale-plan refusal, rollback, faults,
//! concurrency, lock timeouts.

use std::time::Duration;

use crate::support::*;
use pgrecon::plan::file::PlanFile;

fn write(label: &str, name: &str, text: &str) -> String {
    let dir = cluster().dir().join(format!("safety-{label}"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn ok(out: &std::process::Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const START: &str = "CREATE TABLE zones (id serial PRIMARY KEY, name text NOT NULL);";
const END: &str = "CREATE TABLE camera_zones ( -- @renamed-from: zones\n id serial PRIMARY KEY,\n label text NOT NULL -- @renamed-from: name\n);\n\
                   CREATE INDEX camera_zones_label ON camera_zones (label);";

#[tokio::test]
async fn saved_plan_applies_and_rolls_back_keeping_rows() {
    let db = TestDb::create("saved").await;
    db.execute(&format!("{START} INSERT INTO zones (name) SELECT 'z' || g FROM generate_series(1, 50) g;"))
        .await;
    let original = db.normalized_schema();
    let schema = write("saved", "schema.sql", END);
    let plan = write("saved", "rename.json", "");
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--out", &plan]);
    assert_eq!(out.status.code(), Some(2));

    ok(&pgrecon(&["apply", "--db", &db.url, "--plan", &plan, "--yes"]));
    let client = db.client().await;
    let rows: i64 = client
        .query_one("SELECT count(*) FROM camera_zones WHERE label LIKE 'z%'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 50);

    ok(&pgrecon(&["rollback", "--db", &db.url, "--plan", &plan, "--yes"]));
    let rows: i64 =
        client.query_one("SELECT count(*) FROM zones WHERE name LIKE 'z%'", &[]).await.unwrap().get(0);
    assert_eq!(rows, 50);
    assert_same_text(&original, &db.normalized_schema(), "schema after rollback");

    // Twice is nothing to do, not a refusal: the database is where the
    // command would take it.
    let again = ok(&pgrecon(&["rollback", "--db", &db.url, "--plan", &plan, "--yes"]));
    assert!(again.contains("Nothing to do: the database already has the plan's source schema"), "{again}");
    ok(&pgrecon(&["apply", "--db", &db.url, "--plan", &plan, "--yes"]));
    let again = ok(&pgrecon(&["apply", "--db", &db.url, "--plan", &plan, "--yes"]));
    assert!(again.contains("Nothing to do: the database already has the plan's target schema"), "{again}");
}

/// A reverse step recreates a CHECK from the text PostgreSQL printed, which
/// PostgreSQL prints back differently (`varchar IN (...)`): the rollback
/// still counts as back at the source schema, and planning the original
/// files finds nothing to do, with or without the cache.
#[tokio::test]
async fn rollback_sees_through_a_check_printed_differently() {
    let db = TestDb::create("rollback_in").await;
    let start = "CREATE TABLE jobs (id int PRIMARY KEY, status varchar(20) NOT NULL \
                 CHECK (status IN ('pending', 'running', 'completed')));";
    db.execute(start).await;
    let original = write("rollback_in", "a.sql", start);
    let schema = write("rollback_in", "b.sql", &start.replace("'completed'", "'completed', 'cancelled'"));
    let plan = write("rollback_in", "plan.json", "");
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--out", &plan]);
    assert_eq!(out.status.code(), Some(2));
    ok(&pgrecon(&["apply", "--db", &db.url, "--plan", &plan, "--yes"]));
    let out = ok(&pgrecon(&["rollback", "--db", &db.url, "--plan", &plan, "--yes"]));
    assert!(out.contains("Rolled back"), "{out}");
    for cache in [&[][..], &["--no-cache"][..]] {
        let args = [&["plan", "--db", &db.url, "--schema", &original][..], cache].concat();
        let out = pgrecon(&args);
        assert_eq!(out.status.code(), Some(0), "{cache:?}: {}", String::from_utf8_lossy(&out.stdout));
    }
}

#[tokio::test]
async fn stale_plan_is_refused_naming_the_change() {
    let db = TestDb::create("stale").await;
    db.execute(START).await;
    let schema = write("stale", "schema.sql", END);
    let plan = write("stale", "plan.json", "");
    assert_eq!(
        pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--out", &plan]).status.code(),
        Some(2)
    );
    db.execute("ALTER TABLE zones ADD COLUMN added_by_hand int").await;
    let out = pgrecon(&["apply", "--db", &db.url, "--plan", &plan, "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refusing") && stderr.contains("added_by_hand"), "{stderr}");
    assert!(
        db.catalog().await.tables.contains_key(&pgrecon::catalog::QualName::new("public", "zones")),
        "nothing applied"
    );
}

#[tokio::test]
async fn saved_plans_are_deterministic() {
    let db = TestDb::create("deterministic_plan").await;
    db.execute(START).await;
    let schema = write("det", "schema.sql", END);
    let (a, b) = (write("det", "a.json", ""), write("det", "b.json", ""));
    pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--out", &a]);
    pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--out", &b]);
    let strip = |p: &str| -> String {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .filter(|l| !l.contains("\"created_at\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&a), strip(&b));
}

#[tokio::test]
async fn a_failing_step_leaves_the_database_as_before() {
    let db = TestDb::create("fault").await;
    db.execute("CREATE TABLE t (id int, v int); INSERT INTO t VALUES (1, -5);").await;
    let before = db.normalized_schema();
    let schema = write(
        "fault",
        "schema.sql",
        "CREATE TABLE t (id int, v int CHECK (v > 0), w text); CREATE TABLE u (id int);",
    );
    let out = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is violated by some row"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_same_text(&before, &db.normalized_schema(), "schema after a failed apply");
}

#[tokio::test]
async fn concurrent_applies_do_not_interleave() {
    let db = TestDb::create("concurrent").await;
    let schema = write("concurrent", "schema.sql", "CREATE TABLE a (id int); CREATE TABLE b (id int);");
    // Hold pgrecon's advisory lock from another session: apply waits, then gives up.
    let holder = db.client().await;
    holder.query("SELECT pg_advisory_lock($1)", &[&pgrecon::apply::ADVISORY_LOCK_KEY]).await.unwrap();
    let out = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes", "--wait", "1s"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("another pgrecon apply holds the lock"), "{stderr}");
    // An idle session that is not pgrecon's: as a lock leaked to a pooled
    // server connection looks, and the error says what to do.
    let pid: i32 = holder.query_one("SELECT pg_backend_pid()", &[]).await.unwrap().get(0);
    assert!(stderr.contains(&format!("held by session {pid}")), "{stderr}");
    assert!(stderr.contains(&format!("pg_terminate_backend({pid})")), "{stderr}");
    assert!(db.catalog().await.tables.is_empty());
    holder.query("SELECT pg_advisory_unlock($1)", &[&pgrecon::apply::ADVISORY_LOCK_KEY]).await.unwrap();

    // Two applies at once: both succeed (one waits), the result is correct.
    let (url, s) = (db.url.clone(), schema.clone());
    let first = std::thread::spawn(move || pgrecon(&["apply", "--db", &url, "--schema", &s, "--yes"]));
    let second = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    let first = first.join().unwrap();
    assert!(first.status.success() || second.status.success());
    let plan = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    assert_eq!(plan.status.code(), Some(0), "database not converged after concurrent applies");
}

#[tokio::test]
async fn lock_timeout_retries_until_the_other_session_ends() {
    let db = TestDb::create("lock_timeout").await;
    db.execute("CREATE TABLE busy (id int);").await;
    let schema = write("locks", "schema.sql", "CREATE TABLE busy (id int, note text);");
    let mut other = db.client().await;
    let tx = other.transaction().await.unwrap();
    tx.batch_execute("LOCK TABLE busy IN ACCESS SHARE MODE").await.unwrap();
    let url = db.url.clone();
    let apply = std::thread::spawn(move || {
        pgrecon(&[
            "apply",
            "--db",
            &url,
            "--schema",
            &schema,
            "--yes",
            "--lock-timeout",
            "300ms",
            "--lock-retries",
            "5",
        ])
    });
    tokio::time::sleep(Duration::from_millis(2500)).await;
    tx.rollback().await.unwrap();
    let out = apply.join().unwrap();
    let stdout = ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("waited longer than lock_timeout; retrying"), "{stderr}");
    assert!(stdout.contains("matches the desired state"), "{stdout}");
}

#[tokio::test]
async fn killed_apply_then_apply_again_converges() {
    let db = TestDb::create("killed").await;
    let mut sql = String::new();
    for i in 0..300 {
        sql += &format!("CREATE TABLE t{i} (id int PRIMARY KEY, v text); CREATE INDEX t{i}_v ON t{i} (v);\n");
    }
    let schema = write("killed", "schema.sql", &sql);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pgrecon"))
        .args(["apply", "--db", &db.url, "--schema", &schema, "--yes"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let tables = db.catalog().await.tables.len();
    assert!(tables == 0 || tables == 300, "a transaction segment was half applied: {tables} tables");
    ok(&pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]));
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", &schema]).status.code(), Some(0));
}

/// `--online`: indexes concurrently, constraints NOT VALID then validated,
/// NOT NULL through a validated CHECK; a table held by another session's
/// transaction makes a step wait out lock_timeout, retry, then succeed.
#[tokio::test]
async fn online_ddl_converges_and_retries_behind_a_long_transaction() {
    let db = TestDb::create("online").await;
    db.execute(
        "CREATE TABLE events (id int PRIMARY KEY, kind text, score int);
         CREATE INDEX events_kind ON events (kind);
         INSERT INTO events SELECT g, 'k' || (g % 7), g FROM generate_series(1, 2000) g;",
    )
    .await;
    let desired = "CREATE TABLE events (id int PRIMARY KEY, kind text NOT NULL, score int CHECK (score > 0));
         CREATE INDEX events_kind ON events (kind, score);
         CREATE INDEX events_score ON events (score DESC);";
    let schema = write("online", "schema.sql", desired);
    let plan = pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--online", "--format", "sql"]);
    let sql = String::from_utf8_lossy(&plan.stdout);
    for expected in [
        "CREATE INDEX CONCURRENTLY events_score",
        "CREATE INDEX CONCURRENTLY events_kind_pgrecon_new",
        "DROP INDEX CONCURRENTLY public.events_kind",
        "CHECK (score > 0) NOT VALID",
        "VALIDATE CONSTRAINT events_score_check",
        "CHECK (kind IS NOT NULL) NOT VALID",
    ] {
        assert!(sql.contains(expected), "missing {expected:?} in:\n{sql}");
    }
    // Its reverse (what `rollback` runs) is online too.
    let json = pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--online", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("plan JSON parses");
    let reverse: Vec<&str> = doc["reverse"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["sql"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()))
        .collect();
    let reverse = reverse.join("\n");
    for expected in
        ["DROP INDEX CONCURRENTLY public.events_score", "CREATE INDEX CONCURRENTLY events_kind_pgrecon_new"]
    {
        assert!(reverse.contains(expected), "missing {expected:?} in the reverse:\n{reverse}");
    }

    let mut other = db.client().await;
    let tx = other.transaction().await.unwrap();
    tx.batch_execute("LOCK TABLE events IN ACCESS SHARE MODE").await.unwrap();
    let url = db.url.clone();
    let s = schema.clone();
    let apply = std::thread::spawn(move || {
        pgrecon(&[
            "apply",
            "--db",
            &url,
            "--schema",
            &s,
            "--online",
            "--yes",
            "--lock-timeout",
            "300ms",
            "--lock-retries",
            "5",
        ])
    });
    tokio::time::sleep(Duration::from_millis(2500)).await;
    tx.rollback().await.unwrap();
    let out = apply.join().unwrap();
    ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("retrying"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let fresh = TestDb::create("online_fresh").await;
    fresh.execute(desired).await;
    assert_same_text(&fresh.normalized_schema(), &db.normalized_schema(), "online apply vs fresh build");
    let rows: i64 = db.client().await.query_one("SELECT count(*) FROM events", &[]).await.unwrap().get(0);
    assert_eq!(rows, 2000);
}

/// A concurrent build that failed leaves an INVALID index; the next run
/// sees it and builds it again.
#[tokio::test]
async fn invalid_index_from_a_failed_concurrent_build_is_rebuilt() {
    let db = TestDb::create("invalid_index").await;
    db.execute("CREATE TABLE t (id int PRIMARY KEY, code text); INSERT INTO t VALUES (1, 'a'), (2, 'a');")
        .await;
    let client = db.client().await;
    let failed = client.batch_execute("CREATE UNIQUE INDEX CONCURRENTLY t_code ON t (code)").await;
    assert!(failed.is_err(), "duplicates make the build fail");
    let valid: bool = client
        .query_one("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_code'::regclass", &[])
        .await
        .unwrap()
        .get(0);
    assert!(!valid);
    client.batch_execute("UPDATE t SET code = 'b' WHERE id = 2").await.unwrap();

    let schema = write(
        "invalid",
        "schema.sql",
        "CREATE TABLE t (id int PRIMARY KEY, code text); CREATE UNIQUE INDEX t_code ON t (code);",
    );
    let plan = pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--online"]);
    assert_eq!(plan.status.code(), Some(2), "the invalid index must show up");
    ok(&pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--online", "--yes"]));
    let valid: bool = client
        .query_one("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_code'::regclass", &[])
        .await
        .unwrap()
        .get(0);
    assert!(valid);
}

/// An online rebuild that failed (an index made UNIQUE over duplicates)
/// leaves its INVALID `_pgrecon_new` beside the valid index. A retry must
/// not rename the INVALID one into place and drop the valid one: each
/// failed retry would leave the table with less. The leftover is dropped,
/// the valid index kept until its replacement is built.
#[tokio::test]
async fn a_failed_online_rebuild_leftover_is_not_renamed_into_place() {
    let db = TestDb::create("online_leftover").await;
    db.execute(
        "CREATE TABLE t (a int, b int); CREATE INDEX ix ON t (a); INSERT INTO t VALUES (1, 1), (1, 2);",
    )
    .await;
    let schema = write(
        "online_leftover",
        "schema.sql",
        "CREATE TABLE t (a int, b int);\nCREATE UNIQUE INDEX ix ON t (a);\n",
    );
    let valid_ix = "SELECT string_agg(c.relname || ':' || i.indisvalid, ' ' ORDER BY c.relname) \
                    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 't'::regclass";
    for attempt in 1..=2 {
        let out = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--online", "--yes"]);
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "attempt {attempt}: duplicates make the build fail: {text}");
        assert!(!text.contains("ix_pgrecon_new → public.ix"), "attempt {attempt}: {text}");
        let indexes = db.strings(valid_ix).await;
        assert!(indexes[0].starts_with("ix:true"), "attempt {attempt}: the valid index is gone: {indexes:?}");
    }
    db.execute("DELETE FROM t WHERE b = 2").await;
    ok(&pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--online", "--yes"]));
    assert_eq!(db.strings(valid_ix).await, ["ix:true"]);
}

/// A concurrent build waits for transactions older than it; waiting past
/// lock_timeout makes it fail and leaves its index INVALID under the same
/// name. The retry must build it again, not fail with "already exists".
#[tokio::test]
async fn a_concurrent_build_retried_after_a_lock_timeout_converges() {
    let db = TestDb::create("cic_retry").await;
    db.execute(
        "CREATE TABLE events (id int PRIMARY KEY, score int);
         INSERT INTO events SELECT g, g FROM generate_series(1, 1000) g;",
    )
    .await;
    let desired =
        "CREATE TABLE events (id int PRIMARY KEY, score int);\nCREATE INDEX events_score ON events (score);";
    let schema = write("cic_retry", "schema.sql", desired);

    // An open snapshot: the build waits for it once the index is built.
    let mut other = db.client().await;
    let tx = other
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .start()
        .await
        .unwrap();
    tx.query("SELECT count(*) FROM events", &[]).await.unwrap();
    let url = db.url.clone();
    let apply = std::thread::spawn(move || {
        let args = ["apply", "--db", &url, "--schema", &schema, "--online", "--yes"];
        pgrecon(&[&args[..], &["--lock-timeout", "300ms", "--lock-retries", "5"]].concat())
    });
    tokio::time::sleep(Duration::from_millis(2500)).await;
    tx.rollback().await.unwrap();
    let out = apply.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    ok(&out);
    assert!(stderr.contains("retrying"), "the build should have timed out at least once:\n{stderr}");

    let fresh = TestDb::create("cic_retry_fresh").await;
    fresh.execute(desired).await;
    assert_same_text(&fresh.normalized_schema(), &db.normalized_schema(), "retried build vs fresh build");
}

/// An extension the desired state leaves out is dropped, and its member
/// tables with it: that is data loss, refused without the flag.
#[tokio::test]
async fn dropping_an_extension_with_member_tables_is_data_loss() {
    let db = TestDb::create("extension_tables").await;
    db.execute(
        "CREATE EXTENSION hstore; CREATE TABLE jobs (id int); ALTER EXTENSION hstore ADD TABLE jobs; \
         INSERT INTO jobs VALUES (1), (2); CREATE TABLE keep (id int);",
    )
    .await;
    let schema = write("extension_tables", "schema.sql", "CREATE TABLE keep (id int);");
    let out = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the plan drops data"), "{stderr}");
    assert!(stderr.contains("- extension hstore (with its tables public.jobs)"), "{stderr}");
    let rows: i64 = db.client().await.query_one("SELECT count(*) FROM jobs", &[]).await.unwrap().get(0);
    assert_eq!(rows, 2);
}

/// A rename chain (`b ← a`, `c ← b`) renames `b` away before `a` takes its
/// name, rows kept; a swap (`b ← a`, `a ← b`) would need a name in between
/// and is not planned: pgrecon says so instead of silently dropping `a`.
#[tokio::test]
async fn a_rename_chain_is_ordered_and_a_swap_is_named() {
    let db = TestDb::create("rename_taken").await;
    db.execute("CREATE TABLE a (id int); CREATE TABLE b (id int); INSERT INTO a VALUES (1); INSERT INTO b VALUES (2);")
        .await;
    let chain = write(
        "rename_chain",
        "schema.sql",
        "-- @renamed-from: a\nCREATE TABLE b (id int);\n-- @renamed-from: b\nCREATE TABLE c (id int);\n",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &chain]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(2), "{text}");
    let (b_to_c, a_to_b) =
        (text.find("> table public.b → public.c"), text.find("> table public.a → public.b"));
    assert!(b_to_c.is_some() && a_to_b.is_some() && b_to_c < a_to_b, "{text}");

    let swap = write(
        "rename_swap",
        "schema.sql",
        "-- @renamed-from: a\nCREATE TABLE b (id int);\n-- @renamed-from: b\nCREATE TABLE a (id int);\n",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &swap]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains("rename annotation on public.b: the annotations swap names (public.a and"),
        "{text}"
    );

    ok(&pgrecon(&["apply", "--db", &db.url, "--schema", &chain, "--yes"]));
    let rows = db.strings("SELECT (SELECT string_agg(id::text, ',') FROM b) || '/' || (SELECT string_agg(id::text, ',') FROM c)").await;
    assert_eq!(rows, ["1/2"], "a's row is in b, b's in c");
    // Once run, the chain's last link (`c ← b`) finds both names again:
    // `b` is the renamed `a`, wanted, so nothing is said.
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &chain]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");

    // Inside a type too: a swap of attributes is named, not ignored. Alike
    // and in place, nothing else changes: the plan goes on, warned.
    db.execute("CREATE TYPE pt AS (p int, q int)").await;
    let swap = write(
        "attribute_swap",
        "schema.sql",
        "CREATE TABLE b (id int);\nCREATE TABLE c (id int);\n\
         CREATE TYPE pt AS (\n  p int, -- @renamed-from: q\n  q int -- @renamed-from: p\n);\n",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &swap]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains("rename annotation on attribute public.pt.p: the annotations swap names"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(0), "{text}");
    // A comment changed on a swapped column is no evidence either way.
    db.execute("CREATE TABLE w (id int, a int, b int)").await;
    let commented = write(
        "column_swap_commented",
        "schema.sql",
        "CREATE TABLE b (id int);\nCREATE TABLE c (id int);\nCREATE TYPE pt AS (p int, q int);\n\
         CREATE TABLE w (id int,\n  a int, -- @renamed-from: b\n  b int -- @renamed-from: a\n);\n\
         COMMENT ON COLUMN w.a IS 'swapped last week';\n",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &commented]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("~ column public.w.a: comment"), "{text}");
    // In the other order the type would be rebuilt: the swap has not run,
    // and the plan is refused.
    let swap = write(
        "attribute_swap_reordered",
        "schema.sql",
        "CREATE TABLE b (id int);\nCREATE TABLE c (id int);\n\
         CREATE TYPE pt AS (\n  q int, -- @renamed-from: p\n  p int -- @renamed-from: q\n);\n",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &swap]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("the rename annotations swap attribute public.pt.q and p"), "{text}");
}

/// A swap the plan leaves out, while the plan changes what it swaps (a
/// column's type, an enum's order), has not run: applied, the plan would
/// convert each column's values in place and rebuild the enum keeping
/// each row's old label, putting values under the wrong names. The plan
/// is refused, naming the swap and the change; nothing runs.
#[tokio::test]
async fn a_swap_left_out_is_refused_when_the_plan_changes_what_it_swaps() {
    let db = TestDb::create("swap_changed").await;
    db.execute(
        "CREATE TABLE t (id int PRIMARY KEY, a int, b text); INSERT INTO t VALUES (1, 1, '2'); \
         CREATE TYPE st AS ENUM ('x', 'y'); CREATE TABLE u (s st); INSERT INTO u VALUES ('x'); \
         CREATE TABLE d (a int DEFAULT 1, b int DEFAULT 2); INSERT INTO d VALUES (10, 20);",
    )
    .await;
    let d = "CREATE TABLE d (a int DEFAULT 1, b int DEFAULT 2);\n";
    let before = db.normalized_schema();
    let columns = write(
        "swap_changed_columns",
        "schema.sql",
        &format!(
            "CREATE TABLE t (id int PRIMARY KEY,\n  b int, -- @renamed-from: a\n  a text -- @renamed-from: b\n);\n\
             CREATE TYPE st AS ENUM ('x', 'y'); CREATE TABLE u (s st);\n{d}"
        ),
    );
    let labels = write(
        "swap_changed_labels",
        "schema.sql",
        &format!(
            "CREATE TABLE t (id int PRIMARY KEY, a int, b text);\n\
             CREATE TYPE st AS ENUM (\n  'y', -- @renamed-from: x\n  'x' -- @renamed-from: y\n);\n\
             CREATE TABLE u (s st);\n{d}"
        ),
    );
    // Defaults moving with the names say the same.
    let defaults = write(
        "swap_changed_defaults",
        "schema.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a int, b text);\n\
         CREATE TYPE st AS ENUM ('x', 'y'); CREATE TABLE u (s st);\n\
         CREATE TABLE d (\n  a int DEFAULT 2, -- @renamed-from: b\n  b int DEFAULT 1 -- @renamed-from: a\n);\n",
    );
    let cases = [
        (&columns, "column public.t.b and a"),
        (&labels, "enum value y of public.st and x"),
        (&defaults, "column public.d.a and b"),
    ];
    for (schema, named) in cases {
        for command in [&["plan"][..], &["apply", "--yes", "--allow-data-loss"]] {
            let out = pgrecon(&[command, &["--db", &db.url, "--schema", schema]].concat());
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{command:?}: {stderr}");
            assert!(stderr.contains(&format!("the rename annotations swap {named}")), "{stderr}");
            assert!(stderr.contains("this plan also changes them"), "{stderr}");
        }
    }
    assert_eq!(db.normalized_schema(), before, "a refused plan changed the database");
    assert_eq!(db.strings("SELECT format('%s/%s/%s', a, b, (SELECT s FROM u)) FROM t").await, ["1/2/x"]);
}

/// An index a table is clustered on, or whose rows identify the table's
/// rows to logical replication, would take that with it when dropped or
/// rebuilt (made not unique, given a predicate): the plan is refused,
/// naming both, instead of breaking UPDATEs on a published table.
#[tokio::test]
async fn rebuilding_an_index_that_is_a_replica_identity_or_cluster_key_is_refused() {
    let db = TestDb::create("replident").await;
    db.execute(
        "CREATE TABLE t (id int NOT NULL, a int NOT NULL); CREATE UNIQUE INDEX t_id ON t (id); \
         ALTER TABLE t REPLICA IDENTITY USING INDEX t_id; CREATE INDEX t_a ON t (a); ALTER TABLE t CLUSTER ON t_a;",
    )
    .await;
    let schema = write(
        "replident",
        "schema.sql",
        "CREATE TABLE t (id int NOT NULL, a int NOT NULL);\nCREATE INDEX t_id ON t (id);\n\
         CREATE INDEX t_a ON t (a) WHERE a > 0;\n",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("replica identity public.t uses it"), "{stderr}");
    assert!(stderr.contains("CLUSTER on index public.t_a uses it"), "{stderr}");
}

/// A column added with a volatile default or as an identity rewrites the
/// table (each row its own value); a stable default does not.
#[tokio::test]
async fn adding_a_column_with_a_volatile_default_is_a_rewrite() {
    let db = TestDb::create("volatile_default").await;
    db.execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1);").await;
    let schema = write(
        "volatile_default",
        "schema.sql",
        "CREATE TABLE t (id int PRIMARY KEY, token uuid NOT NULL DEFAULT gen_random_uuid(), \
         n bigint GENERATED BY DEFAULT AS IDENTITY, at timestamptz DEFAULT now());",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    let hazards_of = |column: &str| {
        text.lines()
            .find(|l| l.contains(&format!("+ column public.t.{column}")))
            .unwrap_or_else(|| panic!("no step for {column}: {text}"))
            .to_string()
    };
    assert!(hazards_of("token").contains("table rewrite"), "{text}");
    assert!(hazards_of("n").contains("table rewrite"), "{text}");
    assert!(!hazards_of("at").contains("table rewrite"), "{text}");
}

/// Privileges are left alone, also on a view or function the plan drops
/// and creates again: the role that could read the view still can, after
/// the apply and after its rollback.
#[tokio::test]
async fn privileges_survive_a_view_and_function_created_again() {
    let db = TestDb::create("privileges_kept").await;
    db.execute(
        "DO $$ BEGIN CREATE ROLE pgrecon_test_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$; \
         CREATE TABLE t (id int PRIMARY KEY, a int, b int); \
         CREATE VIEW v AS SELECT id, a, b FROM t; GRANT SELECT ON v TO pgrecon_test_reader; \
         CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT 1'; \
         REVOKE ALL ON FUNCTION f(int) FROM PUBLIC; GRANT EXECUTE ON FUNCTION f(int) TO pgrecon_test_reader;",
    )
    .await;
    let schema = write(
        "privileges_kept",
        "schema.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a int, b int);\nCREATE VIEW v AS SELECT id, a FROM t;\n\
         CREATE FUNCTION f(y int) RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
    );
    let plan = write("privileges_kept", "plan.json", "");
    assert_eq!(
        pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--out", &plan]).status.code(),
        Some(2)
    );
    let client = db.client().await;
    let privileges = || async {
        let row = client
            .query_one(
                "SELECT has_table_privilege('pgrecon_test_reader', 'v', 'SELECT'), \
                        has_function_privilege('pgrecon_test_reader', 'f(int)', 'EXECUTE'), \
                        has_function_privilege('public', 'f(int)', 'EXECUTE')",
                &[],
            )
            .await
            .unwrap();
        (row.get::<_, bool>(0), row.get::<_, bool>(1), row.get::<_, bool>(2))
    };
    ok(&pgrecon(&["apply", "--db", &db.url, "--plan", &plan, "--yes"]));
    assert_eq!(privileges().await, (true, true, false), "after apply");
    ok(&pgrecon(&["rollback", "--db", &db.url, "--plan", &plan, "--yes"]));
    assert_eq!(privileges().await, (true, true, false), "after rollback");
}

/// An index over an immutable function's results is rebuilt when the
/// function's body changes: queries through it answer as a fresh build's.
#[tokio::test]
async fn an_expression_index_is_rebuilt_when_its_function_changes() {
    let db = TestDb::create("reindex_function").await;
    let body = |threshold: u32| {
        format!(
            "CREATE TABLE t (id int PRIMARY KEY, score int);\n\
             CREATE FUNCTION bucket(s int) RETURNS text LANGUAGE sql IMMUTABLE \
             AS $$ SELECT CASE WHEN s >= {threshold} THEN 'critical' ELSE 'normal' END $$;\n\
             CREATE INDEX t_bucket ON t (bucket(score));\n"
        )
    };
    db.execute(&format!("{} INSERT INTO t SELECT g, g % 100 FROM generate_series(1, 1000) g;", body(85)))
        .await;
    let schema = write("reindex_function", "schema.sql", &body(90));
    ok(&pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]));
    let client = db.client().await;
    client.batch_execute("SET enable_seqscan = off").await.unwrap();
    let critical: i64 = client
        .query_one("SELECT count(*) FROM t WHERE bucket(score) = 'critical'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(critical, 100);
}

/// The same for what else keeps an immutable function's results: a stored
/// generated column is computed again, and a CHECK is checked again, so a
/// row the new body rejects fails the apply instead of staying behind a
/// constraint marked valid.
#[tokio::test]
async fn generated_columns_and_checks_follow_their_function() {
    let db = TestDb::create("refresh_function").await;
    let body = |factor: u32, limit: u32| {
        format!(
            "CREATE FUNCTION dbl(x int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT x * {factor} $$;\n\
             CREATE FUNCTION lim() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT {limit} $$;\n\
             CREATE TABLE t (id int PRIMARY KEY, v int CHECK (v <= lim()), g int GENERATED ALWAYS AS (dbl(v)) STORED);\n"
        )
    };
    db.execute(&format!("{} INSERT INTO t (id, v) VALUES (1, 10), (2, 60);", body(2, 100))).await;
    let schema = write("refresh_function", "schema.sql", &body(3, 50));
    let out = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("violates check constraint \"t_v_check\""), "{stderr}");

    db.execute("DELETE FROM t WHERE v > 50").await;
    ok(&pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]));
    assert_eq!(db.strings("SELECT g::text FROM t").await, ["30"], "computed with the new body");
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", &schema]).status.code(), Some(0));
}

/// A saved plan speaks its server's major version: applied to another, it
/// is refused before anything runs.
#[tokio::test]
async fn a_saved_plan_is_refused_on_another_major_version() {
    let db = TestDb::create("plan_other_major").await;
    db.execute(START).await;
    let schema = write("plan_other_major", "schema.sql", END);
    let plan = write("plan_other_major", "plan.json", "");
    assert_eq!(
        pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--out", &plan]).status.code(),
        Some(2)
    );
    // As if made on another server: the file is written again, sealed.
    let mut file = PlanFile::read(std::path::Path::new(&plan)).unwrap();
    let major = file.server_major.expect("the plan records its server's major version");
    assert!(major >= 13, "{major}");
    file.server_major = Some(99);
    std::fs::write(&plan, file.to_json()).unwrap();
    let out = pgrecon(&["apply", "--db", &db.url, "--plan", &plan, "--yes"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the plan was made against PostgreSQL 99, and this server runs PostgreSQL"),
        "{stderr}"
    );
    let still: i64 = db.client().await.query_one("SELECT count(*) FROM zones", &[]).await.unwrap().get(0);
    assert_eq!(still, 0);
}

/// A saved plan edited after review (a DROP appended to a step, its
/// data-loss flag left false) is refused before anything runs; the file
/// as written applies.
#[tokio::test]
async fn an_edited_plan_file_is_refused() {
    let db = TestDb::create("plan_edited").await;
    db.execute(START).await;
    db.execute("CREATE TABLE keep_me (id int PRIMARY KEY); INSERT INTO keep_me VALUES (1);").await;
    let schema =
        write("plan_edited", "schema.sql", &format!("{END}\nCREATE TABLE keep_me (id int PRIMARY KEY);"));
    let plan = write("plan_edited", "plan.json", "");
    assert_eq!(
        pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--out", &plan]).status.code(),
        Some(2)
    );
    let original = std::fs::read_to_string(&plan).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&original).unwrap();
    let sql = json["plan"]["steps"][0]["sql"].as_array_mut().expect("a step's statements");
    sql.push(serde_json::json!("DROP TABLE public.keep_me"));
    std::fs::write(&plan, serde_json::to_string_pretty(&json).unwrap()).unwrap();

    let out = pgrecon(&["apply", "--db", &db.url, "--plan", &plan, "--yes"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("was changed after pgrecon wrote it"), "{stderr}");
    let kept: i64 = db.client().await.query_one("SELECT count(*) FROM keep_me", &[]).await.unwrap().get(0);
    assert_eq!(kept, 1, "nothing of the edited plan ran");

    std::fs::write(&plan, original).unwrap();
    let out = pgrecon(&["apply", "--db", &db.url, "--plan", &plan, "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", &schema]).status.code(), Some(0));
}

/// A plan whose steps PostgreSQL would refuse for an object pgrecon does
/// not manage is refused when planning, naming both, and the database is
/// left alone: a view over a partitioned table only the files have; a
/// column type changed under a policy; a function dropped under a policy.
#[tokio::test]
async fn steps_blocked_by_unmanaged_objects_are_refused_at_plan_time() {
    let db = TestDb::create("unmanaged_blocks").await;
    let before = db.normalized_schema();
    let partitioned = write(
        "unmanaged",
        "partitioned.sql",
        "CREATE TABLE payment (id int, amount numeric, paid date) PARTITION BY RANGE (paid);\n\
         CREATE VIEW payment_total AS SELECT sum(amount) AS total FROM payment;\n\
         CREATE TABLE plain (id int); -- @renamed-from: gone",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &partitioned]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "+ view public.payment_total uses partitioned table public.payment, which pgrecon does not manage \
             and the database does not have"
        ),
        "{stderr}"
    );
    // The renames' warnings are not lost with the plan: they often say why.
    assert!(
        stderr
            .contains("after these warnings: rename annotation on public.plain: public.gone does not exist"),
        "{stderr}"
    );
    let out = pgrecon(&["apply", "--db", &db.url, "--schema", &partitioned, "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert_same_text(&before, &db.normalized_schema(), "schema after a refused apply");

    // Made by hand first, the partitioned table lets the view be planned.
    db.execute("CREATE TABLE payment (id int, amount numeric, paid date) PARTITION BY RANGE (paid);").await;
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &partitioned]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));

    // Its name is taken: a table renamed or created onto it is refused.
    db.execute("CREATE TABLE ledger (id int);").await;
    let onto = write(
        "unmanaged",
        "onto.sql",
        "CREATE TABLE payment (id int); -- @renamed-from: ledger\nCREATE TABLE plain (id int);",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &onto]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "a rename onto public.payment: partitioned table public.payment holds the name, \
             and pgrecon does not manage that"
        ),
        "{stderr}"
    );
    db.execute("DROP TABLE ledger;").await;

    db.execute(
        "CREATE FUNCTION my_org() RETURNS int LANGUAGE sql STABLE AS 'SELECT 1';\n\
         CREATE TABLE docs (id int, owner text, org int);\n\
         CREATE POLICY own_docs ON docs USING (owner = current_user AND org = my_org());",
    )
    .await;
    let retyped = write(
        "unmanaged",
        "retyped.sql",
        "CREATE FUNCTION my_org() RETURNS int LANGUAGE sql STABLE AS 'SELECT 1';\n\
         CREATE TABLE docs (id int, owner varchar(64), org int);",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &retyped]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "~ column public.docs.owner: type text → character varying(64): policy own_docs on public.docs uses it"
        ),
        "{stderr}"
    );
    // A saved plan applies on a database with a hand-made policy: the
    // policy is no part of the schema the plan leads to.
    let widened = write(
        "unmanaged",
        "widened.sql",
        "CREATE FUNCTION my_org() RETURNS int LANGUAGE sql STABLE AS 'SELECT 1';\n\
         CREATE TABLE docs (id int, owner text, org int, title text);",
    );
    let saved = write("unmanaged", "saved.json", "");
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &widened, "--out", &saved]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    ok(&pgrecon(&["apply", "--db", &db.url, "--plan", &saved, "--yes"]));

    // A table dropped whole takes its policies (an automatic dependency)
    // and what reads its columns with it: not refused.
    db.execute("CREATE TABLE audit (id int, tenant int); CREATE POLICY p ON audit USING (tenant = 1);").await;
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &widened]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("- table public.audit"));
    let out = pgrecon(&["apply", "--db", &db.url, "--schema", &widened, "--yes", "--allow-data-loss"]);
    ok(&out);

    let dropped = write("unmanaged", "dropped.sql", "CREATE TABLE docs (id int, owner text, org int);");
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &dropped]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("- function public.my_org(): policy own_docs on public.docs uses it"),
        "{stderr}"
    );
}

/// A column dropped and added again (its generated expression changed)
/// keeps its own privileges: pgrecon does not manage them (and says so),
/// but a deploy must not take a reader's SELECT on it away.
#[tokio::test]
async fn a_rebuilt_column_keeps_its_own_privileges() {
    let db = TestDb::create("column_grants").await;
    db.execute(
        "DO $$ BEGIN CREATE ROLE pgrecon_column_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n\
         CREATE TABLE articles (id int, body text, \
           search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED);\n\
         GRANT SELECT (id, search) ON articles TO pgrecon_column_reader;",
    )
    .await;
    let schema = write(
        "column-grants",
        "schema.sql",
        "CREATE TABLE articles (id int, body text, \
           search tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED);",
    );
    let out = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    let stdout = ok(&out);
    assert!(stdout.contains("+ column public.articles.search"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("privileges on column"), "named as not managed");
    let client = db.client().await;
    let granted: Vec<String> = client
        .query(
            "SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = 'articles'::regclass \
             AND NOT a.attisdropped AND has_column_privilege('pgrecon_column_reader', a.attrelid, a.attnum, 'SELECT') \
             ORDER BY a.attnum",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(granted, ["id", "search"]);
}
