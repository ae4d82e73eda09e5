//! Data changes that schema changes need: backfills for new NOT NULL
//! columns, `@using` conversions, and the plan-time check that catches a
//! NOT NULL column with nothing to fill it.

use crate::support::*;

fn write(label: &str, text: &str) -> String {
    let dir = cluster().dir().join(format!("data-{label}"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("schema.sql");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[tokio::test]
async fn backfill_fills_a_new_not_null_column_in_batches() {
    let db = TestDb::create("backfill").await;
    db.execute(
        "CREATE TABLE readings (id bigint PRIMARY KEY, celsius numeric NOT NULL);
         INSERT INTO readings SELECT g, g % 40 FROM generate_series(1, 100000) g;
         ANALYZE readings;",
    )
    .await;
    let schema = write(
        "backfill",
        "CREATE TABLE readings (\n  id bigint PRIMARY KEY,\n  celsius numeric NOT NULL,\n  \
         fahrenheit numeric NOT NULL -- @backfill: celsius * 9 / 5 + 32\n);",
    );
    let plan = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(text.contains("backfill with celsius * 9 / 5 + 32 (~100000 rows)"), "{text}");
    assert!(text.contains("changes data"), "{text}");

    let out = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("(10 batch(es), 100000 row(s))"), "{stdout}");
    let client = db.client().await;
    let wrong: i64 = client
        .query_one(
            "SELECT count(*) FROM readings WHERE fahrenheit IS DISTINCT FROM celsius * 9 / 5 + 32",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(wrong, 0);
    let not_null: bool = client
        .query_one("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'readings'::regclass AND attname = 'fahrenheit'", &[])
        .await
        .unwrap()
        .get(0);
    assert!(not_null);
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", &schema]).status.code(), Some(0));
}

#[tokio::test]
async fn not_null_column_without_backfill_is_caught_at_plan_time() {
    let db = TestDb::create("no_backfill").await;
    db.execute("CREATE TABLE jobs (id int PRIMARY KEY); INSERT INTO jobs SELECT generate_series(1, 500); ANALYZE jobs;").await;
    let schema = write("nobackfill", "CREATE TABLE jobs (id int PRIMARY KEY, owner text NOT NULL);");
    for command in ["plan", "apply"] {
        let out = pgrecon(
            &[command, "--db", &db.url, "--schema", &schema, "--yes"]
                [..if command == "plan" { 5 } else { 6 }],
        );
        assert_eq!(out.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("cannot add NOT NULL column public.jobs.owner without a default: table public.jobs has rows (about 500)")
                && stderr.contains("@backfill"),
            "{stderr}"
        );
    }
    assert_eq!(db.catalog().await.tables.values().next().unwrap().columns.len(), 1, "database untouched");

    // On an empty table the same column is fine.
    let empty = TestDb::create("no_backfill_empty").await;
    empty.execute("CREATE TABLE jobs (id int PRIMARY KEY);").await;
    assert!(pgrecon(&["apply", "--db", &empty.url, "--schema", &schema, "--yes"]).status.success());
}

#[tokio::test]
async fn using_converts_json_strings_to_jsonb() {
    let db = TestDb::create("using").await;
    db.execute(
        "CREATE TABLE events (id int PRIMARY KEY, payload text);
         INSERT INTO events VALUES (1, '{\"a\": 1}'), (2, 'legacy:b=2'), (3, NULL);",
    )
    .await;
    let schema = write(
        "using",
        "CREATE TABLE events (\n  id int PRIMARY KEY,\n  \
         payload jsonb -- @using: CASE WHEN payload LIKE 'legacy:%' THEN jsonb_build_object('legacy', substr(payload, 8)) ELSE payload::jsonb END\n);",
    );
    applied(&db, &schema, &[]);
    let client = db.client().await;
    let rows = client.query("SELECT id, payload::text FROM events ORDER BY id", &[]).await.unwrap();
    let values: Vec<Option<String>> = rows.iter().map(|r| r.get(1)).collect();
    assert_eq!(values, [Some("{\"a\": 1}".into()), Some("{\"legacy\": \"b=2\"}".into()), None]);
}

/// An enum value removed while rows still hold it, in a column or in an
/// array: refused at plan time, naming the value, the column and the
/// fixes; once the rows are changed, the value goes.
#[tokio::test]
async fn an_enum_value_rows_still_hold_is_refused_at_plan_time() {
    let db = TestDb::create("enum_value_used").await;
    db.execute(
        "CREATE TYPE risk AS ENUM ('low', 'medium', 'high'); \
         CREATE TABLE ev (id int PRIMARY KEY, lvl risk, seen risk[]); \
         INSERT INTO ev VALUES (1, 'medium', '{low}'), (2, 'high', '{high,medium}');",
    )
    .await;
    let schema = write(
        "enum_value_used",
        "CREATE TYPE risk AS ENUM ('low', 'high');\nCREATE TABLE ev (id int PRIMARY KEY, lvl risk, seen risk[]);\n",
    );
    let refused = |column: &str| {
        let out = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        let message =
            format!("cannot remove 'medium' from type public.risk: rows of public.ev.{column} still hold it");
        assert!(stderr.contains(&message) && stderr.contains("@using"), "{stderr}");
    };
    refused("lvl");
    db.execute("UPDATE ev SET lvl = 'high' WHERE lvl = 'medium'").await;
    refused("seen");
    db.execute("UPDATE ev SET seen = '{high}' WHERE id = 2").await;
    applied(&db, &schema, &[]);
    assert_eq!(
        db.strings("SELECT string_agg(format('%s:%s', lvl, seen), ' ' ORDER BY id) FROM ev").await,
        ["high:{low} high:{high}"]
    );
}

/// The checks of live rows refuse only what would fail: not a plan whose
/// `before` step fixes the rows, nor a column that leaves the enum for
/// text (converted by its `@using`), nor a rename chain.
#[tokio::test]
async fn live_row_checks_leave_plans_that_handle_the_rows_alone() {
    let db = TestDb::create("checks_handled").await;
    let start = "CREATE TYPE risk AS ENUM ('low', 'medium', 'high'); \
                 CREATE TABLE t (id int PRIMARY KEY, r risk, name text);";
    db.execute(&format!("{start} INSERT INTO t VALUES (1, 'medium', NULL), (2, 'low', 'b');")).await;
    let fixed_first = steps_dir(
        "checks_before_step",
        "CREATE TYPE risk AS ENUM ('low', 'high');\nCREATE TABLE t (id int PRIMARY KEY, r risk, name text NOT NULL);\n",
        &[("fix.sql", "-- @step: before\nUPDATE t SET r = 'high' WHERE r = 'medium';\nUPDATE t SET name = '?' WHERE name IS NULL;\n")],
    );
    applied(&db, &fixed_first, &[]);
    assert_eq!(
        db.strings("SELECT string_agg(format('%s:%s', r, name), ' ' ORDER BY id) FROM t").await,
        ["high:? low:b"]
    );

    let db = TestDb::create("checks_using").await;
    db.execute(&format!("{start} INSERT INTO t VALUES (1, 'medium', NULL);")).await;
    let converted = write(
        "checks_using",
        "CREATE TYPE risk AS ENUM ('low', 'medium', 'high');\n\
         CREATE TABLE t (id int PRIMARY KEY, r text,\n  name varchar(10) -- @using: coalesce(name, 'none')\n);\n",
    );
    // A conversion the user writes may cut (varchar(10)): data loss.
    applied(&db, &converted, &["--allow-data-loss"]);
    assert_eq!(db.strings("SELECT format('%s:%s', r, name) FROM t").await, ["medium:none"]);

    // A rename chain: the new `b` is the old `a`, which has no NULLs; the
    // live `b` (renamed on to `c`) has them. Not refused.
    let db = TestDb::create("checks_chain").await;
    db.execute("CREATE TABLE t (id int PRIMARY KEY, a text, b text); INSERT INTO t VALUES (1, 'x', NULL);")
        .await;
    let chain = write(
        "checks_chain",
        "CREATE TABLE t (id int PRIMARY KEY,\n  b text NOT NULL, -- @renamed-from: a\n  c text -- @renamed-from: b\n);\n",
    );
    applied(&db, &chain, &[]);
    assert_eq!(db.strings("SELECT format('%s:%s', b, c) FROM t").await, ["x:"]);
}

/// A nullable column becoming NOT NULL: without a backfill, rows with
/// NULL there refuse the plan at plan time, naming the fix (also
/// `--online`); the backfill fills only the NULLs.
#[tokio::test]
async fn backfill_fills_nulls_when_a_column_becomes_not_null() {
    let db = TestDb::create("becomes_not_null").await;
    db.execute("CREATE TABLE cameras (id int PRIMARY KEY, location text); INSERT INTO cameras VALUES (1, 'porch'), (2, NULL), (3, NULL);")
        .await;
    let bare =
        write("becomes_bare", "CREATE TABLE cameras (\n  id int PRIMARY KEY,\n  location text NOT NULL\n);");
    for extra in [&[][..], &["--online"]] {
        let out = pgrecon(&[&["plan", "--db", &db.url, "--schema", &bare][..], extra].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("cannot make column location of public.cameras NOT NULL: rows have NULL there")
                && stderr.contains("@backfill"),
            "{stderr}"
        );
    }
    let schema = write(
        "becomes",
        "CREATE TABLE cameras (\n  id int PRIMARY KEY,\n  location text NOT NULL -- @backfill: 'unknown'\n);",
    );
    applied(&db, &schema, &[]);
    let rows = db.client().await.query("SELECT location FROM cameras ORDER BY id", &[]).await.unwrap();
    let values: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(values, ["porch", "unknown", "unknown"]);
}

/// A once-only post step runs with the first apply and never again; a
/// saved plan whose step file changed since is refused as stale.
#[tokio::test]
async fn once_only_post_step_and_stale_step_files() {
    let db = TestDb::create("steps").await;
    let dir = cluster().dir().join("data-steps");
    std::fs::create_dir_all(dir.join("steps")).unwrap();
    std::fs::write(dir.join("schema.sql"), "CREATE TABLE settings (key text PRIMARY KEY, value text);")
        .unwrap();
    let step = dir.join("steps").join("001-greeting.sql");
    std::fs::write(&step, "-- @step: after\n-- @once\nINSERT INTO settings VALUES ('greeting', 'hello');\n")
        .unwrap();
    let schema = dir.to_str().unwrap();

    let plan = pgrecon(&["plan", "--db", &db.url, "--schema", schema]);
    assert!(String::from_utf8_lossy(&plan.stdout)
        .contains("~ data step 001-greeting.sql (after the schema change, once)"));
    for _ in 0..2 {
        let out = pgrecon(&["apply", "--db", &db.url, "--schema", schema, "--yes"]);
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let count: i64 = db.client().await.query_one("SELECT count(*) FROM settings", &[]).await.unwrap().get(0);
    assert_eq!(count, 1, "the once-only step ran twice");
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", schema]).status.code(), Some(0));

    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE settings (key text PRIMARY KEY, value text, note text);",
    )
    .unwrap();
    let saved = dir.join("plan.json");
    assert_eq!(
        pgrecon(&["plan", "--db", &db.url, "--schema", schema, "--out", saved.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    std::fs::write(
        &step,
        "-- @step: after\n-- @once\nINSERT INTO settings VALUES ('greeting', 'changed');\n",
    )
    .unwrap();
    let out = pgrecon(&["apply", "--db", &db.url, "--plan", saved.to_str().unwrap(), "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the plan is stale: step file(s) changed") && stderr.contains("001-greeting.sql"),
        "{stderr}"
    );
}

/// A composite type whose attributes are renamed (annotated), reordered and
/// dropped while a column holds rows: the kept values follow their
/// attributes by name, a NULL row stays NULL, and dropping an attribute's
/// values needs --allow-data-loss.
#[tokio::test]
async fn composite_attributes_follow_their_names_through_a_rebuild() {
    let db = TestDb::create("composite_reshape").await;
    db.execute(
        "CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok');
         CREATE TYPE reading AS (m mood, n int, note text);
         CREATE TABLE t (id int PRIMARY KEY, r reading, rs reading[]);
         INSERT INTO t VALUES (1, ROW('sad', 2, 'x'), ARRAY[ROW('ok', 7, 'y'), NULL]::reading[]),
             (2, NULL, NULL), (3, ROW(NULL, NULL, NULL), '{}');",
    )
    .await;
    let schema = write(
        "composite_reshape",
        "CREATE TYPE mood AS ENUM ('sad', 'ok');\n\
         CREATE TYPE reading AS (\n  n bigint,\n  mood mood -- @renamed-from: m\n);\n\
         CREATE TABLE t (id int PRIMARY KEY, r reading, rs reading[]);",
    );
    let refused = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("type public.reading → public.reading: loses attribute(s) note")
            && stderr.contains("--allow-data-loss"),
        "{stderr}"
    );
    applied(&db, &schema, &["--allow-data-loss"]);
    let rows = db
        .strings(
            "SELECT concat_ws(' ', id, coalesce(r::text, 'null'), num_nulls(r), coalesce(rs::text, 'null')) \
             FROM t ORDER BY id",
        )
        .await;
    assert_eq!(rows, ["1 (2,sad) 0 {\"(7,ok)\",NULL}", "2 null 1 null", "3 (,) 0 {}"]);
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", &schema]).status.code(), Some(0));
}

/// `serial` to identity and back: the new sequence continues where the old
/// one stopped (the next row must not take an id already used), no
/// --allow-data-loss is needed, and a rollback hands the position back.
#[tokio::test]
async fn serial_and_identity_hand_over_the_sequence_position() {
    let db = TestDb::create("handover").await;
    let serial = "CREATE TABLE orders (id serial PRIMARY KEY, item text);";
    let identity =
        "CREATE TABLE orders (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, item text);";
    db.execute(&format!("{serial} INSERT INTO orders (item) VALUES ('a'), ('b'), ('c');")).await;
    let to_identity = write("handover_identity", identity);
    let to_serial = write("handover_serial", serial);
    let plan = format!("{}.json", to_identity.trim_end_matches(".sql"));
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &to_identity, "--out", &plan]);
    assert_eq!(out.status.code(), Some(2));
    let out = pgrecon(&["apply", "--db", &db.url, "--plan", &plan, "--yes"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(next_id(&db).await, 4);
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", &to_identity]).status.code(), Some(0));

    let out = pgrecon(&["rollback", "--db", &db.url, "--plan", &plan, "--yes"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(next_id(&db).await, 5);
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", &to_serial]).status.code(), Some(0));

    for (schema, id) in [(&to_identity, 6), (&to_serial, 7)] {
        applied(&db, schema, &[]);
        assert_eq!(next_id(&db).await, id);
        assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", schema]).status.code(), Some(0));
    }
}

/// The same handover with a sequence of the column's own that is not owned
/// by it: an identity becoming `DEFAULT nextval('orders_id_seq')` (a
/// standalone sequence of the identity's name) and back, and a serial
/// becoming an identity under another name while its old sequence stays
/// (and back, the old sequence moved past the identity if behind).
#[tokio::test]
async fn a_standalone_sequence_takes_over_an_identity_position() {
    let db = TestDb::create("handover_standalone").await;
    let identity =
        "CREATE TABLE orders (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, item text);";
    let standalone = "CREATE SEQUENCE orders_id_seq AS integer;
        CREATE TABLE orders (id integer DEFAULT nextval('orders_id_seq') PRIMARY KEY, item text);";
    let renamed = "CREATE SEQUENCE orders_id_seq AS integer;
        CREATE TABLE orders (id integer GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME orders_ident_seq) PRIMARY KEY, item text);";
    db.execute(&format!("{identity} INSERT INTO orders (item) VALUES ('a'), ('b'), ('c');")).await;
    for (id, (label, schema)) in (4..).zip([
        ("standalone", standalone),
        ("identity", identity),
        ("standalone2", standalone),
        ("renamed", renamed),
        ("back", standalone),
    ]) {
        let path = write(&format!("handover_{label}"), schema);
        applied(&db, &path, &["--allow-data-loss"]);
        assert_eq!(next_id(&db).await, id, "after {label}");
        assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", &path]).status.code(), Some(0), "{label}");
    }
}

/// Runs `apply --yes` (and `flags`), which must succeed.
fn applied(db: &TestDb, schema: &str, flags: &[&str]) {
    let out = pgrecon(&[&["apply", "--db", &db.url, "--schema", schema, "--yes"][..], flags].concat());
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The id the next row of `orders` takes.
async fn next_id(db: &TestDb) -> i32 {
    let client = db.client().await;
    client.query_one("INSERT INTO orders (item) VALUES ('next') RETURNING id", &[]).await.unwrap().get(0)
}

/// A composite reordered inside another composite, under a domain and in
/// an array: every value follows its attribute's name, at every level.
#[tokio::test]
async fn nested_composites_and_domains_over_them_convert_by_name() {
    let db = TestDb::create("composite_nested").await;
    db.execute(
        "CREATE TYPE inner_t AS (a int, b int);
         CREATE TYPE outer_t AS (i inner_t, n int);
         CREATE DOMAIN pos AS inner_t CHECK ((VALUE).a >= 0);
         CREATE TABLE u (id int PRIMARY KEY, o outer_t, p pos, ps outer_t[]);
         INSERT INTO u VALUES (1, ROW(ROW(1, 2), 7), ROW(3, 4), ARRAY[ROW(ROW(5, 6), 8)::outer_t]);",
    )
    .await;
    let schema = write(
        "composite_nested",
        "CREATE TYPE inner_t AS (b int, a int);
         CREATE TYPE outer_t AS (n int, i inner_t);
         CREATE DOMAIN pos AS inner_t CHECK ((VALUE).a >= 0);
         CREATE TABLE u (id int PRIMARY KEY, o outer_t, p pos, ps outer_t[]);",
    );
    applied(&db, &schema, &[]);
    let values = db
        .strings(
            "SELECT concat_ws(' ', ((o).i).a, ((o).i).b, (o).n, (p).a, (p).b, ((ps[1]).i).a, ((ps[1]).i).b, (ps[1]).n) FROM u",
        )
        .await;
    assert_eq!(values, ["1 2 7 3 4 5 6 8"]);
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", &schema]).status.code(), Some(0));

    // An attribute retyped in place (same names, same order): the domain's
    // column goes through text.
    let widened = write(
        "composite_nested_widened",
        &std::fs::read_to_string(&schema).unwrap().replace("(b int, a int)", "(b int, a bigint)"),
    );
    applied(&db, &widened, &[]);
    assert_eq!(db.strings("SELECT concat_ws(' ', (p).a, (p).b) FROM u").await, ["3 4"]);
    assert_eq!(pgrecon(&["plan", "--db", &db.url, "--schema", &widened]).status.code(), Some(0));
}

/// A backfill batches by any primary key with an order (a uuid has no
/// max()); its row estimate counts a table never analyzed; the plan's
/// Markdown keeps `||` inside its cell, and its SQL runs in psql.
#[tokio::test]
async fn backfill_by_a_uuid_key_on_a_table_never_analyzed() {
    let start = "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);
                 INSERT INTO t (name) SELECT 'N' || g FROM generate_series(1, 25000) g;";
    let schema = write(
        "backfill_uuid",
        "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL,\n  \
         slug text NOT NULL -- @backfill: lower(name) || '-x'\n);",
    );
    let db = TestDb::create("backfill_uuid").await;
    db.execute(start).await;
    let md = pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--format", "markdown"]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("| backfill with lower(name) \\|\\| '-x' (~25000 rows) |"), "{md}");
    applied(&db, &schema, &[]);
    let filled = "SELECT count(*)::text FROM t WHERE slug = lower(name) || '-x'";
    assert_eq!(db.strings(filled).await, ["25000"]);

    let by_psql = TestDb::create("backfill_uuid_psql").await;
    by_psql.execute(start).await;
    let sql = pgrecon(&["plan", "--db", &by_psql.url, "--schema", &schema, "--format", "sql"]);
    by_psql.psql_text(&String::from_utf8_lossy(&sql.stdout));
    assert_eq!(by_psql.strings(filled).await, ["25000"]);
    assert_eq!(pgrecon(&["plan", "--db", &by_psql.url, "--schema", &schema]).status.code(), Some(0));
}

/// A rollback takes the schema back to before a once-only step ran, so the
/// step is forgotten: the change applied again fills the table again.
#[tokio::test]
async fn a_rollback_forgets_the_once_only_steps_of_its_plan() {
    let db = TestDb::create("once_rollback").await;
    db.execute("CREATE TABLE events (id int PRIMARY KEY);").await;
    let dir = cluster().dir().join("once-rollback");
    std::fs::create_dir_all(dir.join("steps")).unwrap();
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE events (id int PRIMARY KEY);\nCREATE TABLE tags (name text PRIMARY KEY);",
    )
    .unwrap();
    std::fs::write(
        dir.join("steps").join("001-tags.sql"),
        "-- @step: after\n-- @once\nINSERT INTO tags VALUES ('person'), ('car');\n",
    )
    .unwrap();
    let schema = dir.to_str().unwrap();
    let saved = dir.join("plan.json");
    let saved = saved.to_str().unwrap();
    assert_eq!(
        pgrecon(&["plan", "--db", &db.url, "--schema", schema, "--out", saved]).status.code(),
        Some(2)
    );
    let run = |args: &[&str]| {
        let out = pgrecon(args);
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{text}");
        text
    };
    run(&["apply", "--db", &db.url, "--plan", saved, "--yes"]);
    let rolled_back = run(&["rollback", "--db", &db.url, "--plan", saved, "--yes", "--allow-data-loss"]);
    assert!(
        rolled_back.contains("Once-only step(s) 001-tags.sql are no longer recorded as applied"),
        "{rolled_back}"
    );
    run(&["apply", "--db", &db.url, "--schema", schema, "--yes"]);
    let tags: i64 = db.client().await.query_one("SELECT count(*) FROM tags", &[]).await.unwrap().get(0);
    assert_eq!(tags, 2);
}

/// The pull-request comment lists the data steps a deploy would run: new
/// or changed once-only steps, and the others when the schema changes.
#[tokio::test]
async fn the_pull_request_plan_lists_its_data_steps() {
    let root = cluster().dir().join("pr-steps");
    for (branch, extra_step) in [("base", false), ("pr", true)] {
        let dir = root.join(branch);
        std::fs::create_dir_all(dir.join("steps")).unwrap();
        std::fs::write(dir.join("schema.sql"), "CREATE TABLE tags (name text PRIMARY KEY);").unwrap();
        std::fs::write(
            dir.join("steps").join("001-seed.sql"),
            "-- @step: after\n-- @once\nINSERT INTO tags VALUES ('a');\n",
        )
        .unwrap();
        if extra_step {
            std::fs::write(
                dir.join("steps").join("002-more.sql"),
                "-- @step: after\n-- @once\nINSERT INTO tags VALUES ('b');\n",
            )
            .unwrap();
        }
    }
    let (base, pr) = (root.join("base"), root.join("pr"));
    let out = pgrecon(&[
        "plan",
        "--dev-url",
        &cluster().url("postgres"),
        "--from",
        base.to_str().unwrap(),
        "--schema",
        pr.to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("002-more.sql"), "{text}");
    assert!(!text.contains("001-seed.sql"), "the base branch's step ran already: {text}");
}

/// A desired-state directory `data-{label}` with `schema` and data steps
/// (`steps/NAME` → text).
fn steps_dir(label: &str, schema: &str, steps: &[(&str, &str)]) -> String {
    let dir = cluster().dir().join(format!("data-{label}"));
    std::fs::create_dir_all(dir.join("steps")).unwrap();
    std::fs::write(dir.join("schema.sql"), schema).unwrap();
    for (name, text) in steps {
        std::fs::write(dir.join("steps").join(name), text).unwrap();
    }
    dir.to_string_lossy().into_owned()
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = pgrecon(args);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text)
}

/// A plan in one transaction leaves all or nothing: a failing CHECK rolls
/// the before-step back with it. Online, the before-step commits with the
/// CHECK added NOT VALID, and the validation fails; applied again (the
/// bad row fixed, the files the same), the before-step is not run a
/// second time, the plan says why, and the finished apply clears its
/// record.
#[tokio::test]
async fn a_before_step_is_not_run_twice_after_a_failed_apply() {
    let db = TestDb::create("before_twice").await;
    db.execute(
        "CREATE TABLE prices (id int PRIMARY KEY, amount numeric NOT NULL);
         INSERT INTO prices VALUES (1, 12.5), (2, -1);",
    )
    .await;
    let schema = steps_dir(
        "before_twice",
        "CREATE TABLE prices (id int PRIMARY KEY, amount numeric NOT NULL CHECK (amount >= 0));",
        &[("001-cents.sql", "-- @step: before\nUPDATE prices SET amount = amount * 100;\n")],
    );
    let amount = async || db.strings("SELECT amount::text FROM prices WHERE id = 1").await;
    let (code, text) = run(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("is violated by some row"), "{text}");
    assert_eq!(amount().await, ["12.5"], "one transaction: the before-step rolled back with the rest");
    let (code, text) = run(&["apply", "--db", &db.url, "--schema", &schema, "--yes", "--online"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("is violated by some row"), "{text}");
    assert_eq!(amount().await, ["1250.0"], "the before-step committed once");

    db.execute("DELETE FROM prices WHERE id = 2").await;
    // An edit elsewhere in the files does not make it due again.
    let schema_file = std::path::Path::new(&schema).join("schema.sql");
    let edited = std::fs::read_to_string(&schema_file).unwrap() + "\n-- prices are in cents now\n";
    std::fs::write(&schema_file, edited).unwrap();
    let (code, text) = run(&["plan", "--db", &db.url, "--schema", &schema]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("001-cents.sql already ran"), "{text}");
    assert!(text.contains("(the desired files have changed since): it is not run again"), "{text}");
    let (code, text) = run(&["apply", "--db", &db.url, "--schema", &schema, "--yes", "--online"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(amount().await, ["1250.0"], "the before-step ran twice");
    assert_eq!(run(&["plan", "--db", &db.url, "--schema", &schema]).0, Some(0));
    let records = db.strings("SELECT count(*)::text FROM pgrecon.unfinished_steps").await;
    assert_eq!(records, ["0"], "the finished apply cleared the record");
}

/// The schema change commits (online: its index is built outside a
/// transaction), then the after-step fails on a bad row. After the row is
/// fixed the schema is in sync, but the plan still has the after-step
/// (left pending), the apply runs it, and then nothing is left.
#[tokio::test]
async fn an_after_step_left_pending_by_a_failed_apply_runs_next_time() {
    let db = TestDb::create("after_pending").await;
    db.execute(
        "CREATE TABLE users (id int PRIMARY KEY, zip text);
         INSERT INTO users VALUES (1, '75001'), (2, 'n/a');",
    )
    .await;
    let schema = steps_dir(
        "after_pending",
        "CREATE TABLE users (id int PRIMARY KEY, zip text, zip_num int);\nCREATE INDEX users_zip_num ON users (zip_num);",
        &[("001-zip.sql", "-- @step: after\nUPDATE users SET zip_num = zip::int;\n")],
    );
    // Online, the index is built outside a transaction: the schema change
    // commits before the after-step runs.
    let (code, text) = run(&["apply", "--db", &db.url, "--schema", &schema, "--yes", "--online"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("invalid input syntax for type integer"), "{text}");
    let columns = db
        .strings(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'users' ORDER BY 1",
        )
        .await;
    assert_eq!(columns, ["id", "zip", "zip_num"], "the schema change committed");

    db.execute("UPDATE users SET zip = '00000' WHERE id = 2").await;
    let (code, text) = run(&["plan", "--db", &db.url, "--schema", &schema]);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("001-zip.sql (after the schema change; left pending by an apply that did not finish)"),
        "{text}"
    );
    let (code, text) = run(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    assert_eq!(code, Some(0), "{text}");
    let filled = db.strings("SELECT count(zip_num)::text FROM users").await;
    assert_eq!(filled, ["2"], "the after-step ran");
    assert_eq!(run(&["plan", "--db", &db.url, "--schema", &schema]).0, Some(0));
}

/// A data step with transaction control of its own (`BEGIN; … COMMIT;`)
/// would commit the schema change's steps half-way: refused when the files
/// load, pointing at the statement, and nothing runs.
#[tokio::test]
async fn a_data_step_with_its_own_commit_is_refused() {
    let db = TestDb::create("step_commit").await;
    db.execute("CREATE TABLE t (id int PRIMARY KEY, n int); INSERT INTO t VALUES (1, 1);").await;
    let schema = steps_dir(
        "step_commit",
        "CREATE TABLE t (id int PRIMARY KEY, n int, m int);",
        &[("001-bump.sql", "-- @step: before\nBEGIN;\nUPDATE t SET n = n + 1;\nCOMMIT;\n")],
    );
    let (code, text) = run(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("001-bump.sql:2:1") && text.contains("remove its transaction control"), "{text}");
    assert_eq!(db.strings("SELECT n::text FROM t").await, ["1"], "nothing ran");
}

/// The same saved plan applied again after it stopped half-way, at its
/// target schema: only the after-step left pending runs (before, the plan
/// said "Nothing to do" and the step never ran that way).
#[tokio::test]
async fn a_saved_plan_applied_again_runs_its_pending_after_step() {
    let db = TestDb::create("saved_resume").await;
    db.execute(
        "CREATE TABLE t (id int PRIMARY KEY, n int, zip text);
         INSERT INTO t VALUES (1, 1, '75001'), (2, 2, 'n/a');",
    )
    .await;
    let schema = steps_dir(
        "saved_resume",
        "CREATE TABLE t (id int PRIMARY KEY, n int, zip text, zip_num int);\n\
         CREATE UNIQUE INDEX t_n ON t (n);",
        &[
            ("001-tens.sql", "-- @step: before\nUPDATE t SET n = n * 10;\n"),
            ("002-zip.sql", "-- @step: after\nUPDATE t SET zip_num = zip::int;\n"),
        ],
    );
    let saved = std::path::Path::new(&schema).join("plan.json");
    let saved = saved.to_str().unwrap();
    let (code, text) = run(&["plan", "--db", &db.url, "--schema", &schema, "--online", "--out", saved]);
    assert_eq!(code, Some(2), "{text}");
    let apply = || run(&["apply", "--db", &db.url, "--plan", saved, "--yes"]);
    let (code, text) = apply();
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("invalid input syntax for type integer"), "{text}");

    db.execute("UPDATE t SET zip = '00000' WHERE id = 2").await;
    let (code, text) = apply();
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("after-steps of an apply of it that did not finish are left"), "{text}");
    assert_eq!(db.strings("SELECT count(zip_num)::text FROM t").await, ["2"], "the after-step ran");
    assert_eq!(
        db.strings("SELECT n::text FROM t ORDER BY id").await,
        ["10", "20"],
        "the before-step ran once"
    );
    let (code, text) = apply();
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Nothing to do"), "{text}");
    assert_eq!(run(&["plan", "--db", &db.url, "--schema", &schema]).0, Some(0));
}
