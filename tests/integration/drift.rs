//! `drift` for the nightly cron, plans between two sets of files for pull
//! requests, and `dump` for adopting an existing database.

use crate::support::*;

fn schema_arg() -> String {
    project_path("schema").to_string_lossy().into_owned()
}

async fn example_db(label: &str) -> TestDb {
    let db = TestDb::create(label).await;
    db.psql_example_schema();
    db
}

#[tokio::test]
async fn drift_names_every_hand_change() {
    let db = example_db("drift").await;
    let clean = pgrecon(&["drift", "--db", &db.url, "--schema", &schema_arg()]);
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));
    assert!(String::from_utf8_lossy(&clean.stdout).starts_with("no drift"));

    db.execute(
        "ALTER TABLE cameras ADD COLUMN firmware text;
         DROP INDEX idx_events_search_vector;
         ALTER TABLE alerts ALTER COLUMN status SET DEFAULT 'delivered';
         CREATE TABLE scratch_notes (id int);
         CREATE TYPE mood AS ENUM ('calm', 'alarmed');",
    )
    .await;
    let out = pgrecon(&["drift", "--db", &db.url, "--schema", &schema_arg()]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("drift: 1 missing, 3 unexpected, 1 changed"), "{text}");
    for expected in [
        "index public.idx_events_search_vector",
        "column public.cameras.firmware",
        "table public.scratch_notes",
        "type public.mood",
        "column public.alerts.status: default",
        "+status public.alert_status DEFAULT 'delivered'::public.alert_status NOT NULL;",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }

    let json = pgrecon(&["drift", "--db", &db.url, "--schema", &schema_arg(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("drift JSON parses");
    assert_eq!(doc["format_version"], 1);
    assert_eq!(doc["drift"], true);
    let found: Vec<(String, String)> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["finding"].as_str().unwrap().to_string(), i["name"].as_str().unwrap().to_string()))
        .collect();
    assert!(found.contains(&("unexpected".into(), "public.mood".into())), "{found:?}");
    assert!(found.contains(&("missing".into(), "public.idx_events_search_vector".into())));

    let md = pgrecon(&["drift", "--db", &db.url, "--schema", &schema_arg(), "--format", "markdown"]);
    let markdown = String::from_utf8_lossy(&md.stdout)
        .replace(&pgrecon::connect::Target::parse(&db.url).unwrap().redacted(), "[database]");
    insta::assert_snapshot!("drift_markdown", markdown);
}

#[tokio::test]
async fn drift_is_an_error_when_it_cannot_look() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/nowhere");
    let out = pgrecon(&["drift", "--db", &url, "--schema", &schema_arg()]);
    assert_eq!(out.status.code(), Some(1));

    let db = example_db("drift_bad_files").await;
    let bad = project_path("tests/fixtures/malformed/column_type_typo.sql");
    let out = pgrecon(&["drift", "--db", &db.url, "--schema", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[tokio::test]
async fn plan_between_files_equals_plan_against_a_database() {
    let dir = project_path("tests/scenarios/table--rename-with-pk-fk-serial");
    let (a, b) = (dir.join("a.sql"), dir.join("b.sql"));
    let offline = pgrecon(&[
        "plan",
        "--from",
        a.to_str().unwrap(),
        "--schema",
        b.to_str().unwrap(),
        "--dev-url",
        &cluster().url("postgres"),
        "--format",
        "sql",
    ]);
    assert_eq!(offline.status.code(), Some(2), "{}", String::from_utf8_lossy(&offline.stderr));

    let db = TestDb::create("from_files").await;
    db.build_fresh(std::slice::from_ref(&a)).unwrap();
    let online = pgrecon(&["plan", "--db", &db.url, "--schema", b.to_str().unwrap(), "--format", "sql"]);
    assert_eq!(online.status.code(), Some(2));
    assert_same_text(
        &String::from_utf8_lossy(&online.stdout),
        &String::from_utf8_lossy(&offline.stdout),
        "plans",
    );
}

#[tokio::test]
async fn adopted_dump_shows_no_drift_in_both_layouts() {
    for fixture in ["schema", "tests/fixtures/torture"] {
        let db = TestDb::create("adopt_drift").await;
        for f in sql_files(fixture) {
            db.psql_file(&f);
        }
        let dir = cluster().dir().join(format!("adopt-{}", db.name));
        let single = dir.join("schema.sql");
        std::fs::create_dir_all(&dir).unwrap();
        let out = pgrecon(&["dump", "--db", &db.url, "--out", single.to_str().unwrap()]);
        assert!(out.status.success());
        let split = dir.join("split");
        let out = pgrecon(&["dump", "--db", &db.url, "--out", split.to_str().unwrap(), "--split"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(split.join("tables").is_dir());
        for layout in [&single, &split] {
            let out = pgrecon(&["drift", "--db", &db.url, "--schema", layout.to_str().unwrap()]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{fixture} {}:\n{}{}",
                layout.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// `dump --format yaml` gives the YAML form, which drifts nothing against
/// its database; what YAML cannot express is named, and nothing written.
#[tokio::test]
async fn yaml_dump_round_trips_through_drift() {
    for (fixture, files) in
        [("schema", sql_files("schema")), ("venues", vec![project_path("examples/venues/schema.sql")])]
    {
        let db = TestDb::create("yaml_dump").await;
        for f in &files {
            db.psql_file(f);
        }
        let out_file = cluster().dir().join(format!("{}.yaml", db.name));
        let out =
            pgrecon(&["dump", "--db", &db.url, "--format", "yaml", "--out", out_file.to_str().unwrap()]);
        assert!(out.status.success(), "{fixture}: {}", String::from_utf8_lossy(&out.stderr));
        let drift = pgrecon(&["drift", "--db", &db.url, "--schema", out_file.to_str().unwrap()]);
        assert_eq!(
            drift.status.code(),
            Some(0),
            "{fixture}:\n{}{}",
            String::from_utf8_lossy(&drift.stdout),
            String::from_utf8_lossy(&drift.stderr)
        );
    }
    // Settings in the order written (not the YAML map's), a body kept to
    // the character, storage parameters in another order.
    let db = TestDb::create("yaml_functions").await;
    db.execute(
        "CREATE FUNCTION report() RETURNS int LANGUAGE sql SET work_mem = '64MB' \
           SET timezone = 'Europe/Paris' SET search_path = pg_catalog, public, \"$user\" AS $$ SELECT 1 $$;
         CREATE TABLE c (id int PRIMARY KEY, label text);
         CREATE INDEX c_label ON c (label) WITH (fillfactor = 70, deduplicate_items = off);",
    )
    .await;
    let out_file = cluster().dir().join(format!("{}.yaml", db.name));
    let out = pgrecon(&["dump", "--db", &db.url, "--format", "yaml", "--out", out_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for cache in [&[][..], &["--no-cache"][..]] {
        let args = [&["drift", "--db", &db.url, "--schema", out_file.to_str().unwrap()][..], cache].concat();
        let drift = pgrecon(&args);
        assert_eq!(drift.status.code(), Some(0), "{}", String::from_utf8_lossy(&drift.stdout));
    }

    // What it cannot express is named rather than lost.
    let db = TestDb::create("yaml_inexpressible").await;
    // A SET NULL column list needs PostgreSQL 15.
    let column_list = cluster().server_major() >= 15;
    let set_null = if column_list { "ON DELETE SET NULL (a)" } else { "" };
    db.execute(&format!(
        "CREATE EXTENSION IF NOT EXISTS pg_trgm;
         CREATE FUNCTION f1(x int) RETURNS int LANGUAGE sql IMMUTABLE COST 500 AS 'SELECT x';
         CREATE TABLE h (id int PRIMARY KEY, a int, b int, UNIQUE (a, b));
         CREATE TABLE c (id int PRIMARY KEY, a int, b int, label text,
           CONSTRAINT c_ab FOREIGN KEY (a, b) REFERENCES h (a, b) {set_null});
         CREATE INDEX c_label ON c USING gist (label gist_trgm_ops (siglen = 32));"
    ))
    .await;
    let out = pgrecon(&["dump", "--db", &db.url, "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut expected = vec!["COST/ROWS of public.f1", "parameters of index public.c_label"];
    if column_list {
        expected.push("ON DELETE SET NULL/DEFAULT of c_ab");
    }
    for what in expected {
        assert!(stderr.contains(what), "{what}: {stderr}");
    }

    let db = TestDb::create("yaml_torture").await;
    for f in sql_files("tests/fixtures/torture") {
        db.psql_file(&f);
    }
    let out = pgrecon(&["dump", "--db", &db.url, "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the YAML form cannot express") && stderr.contains("constraint trigger"),
        "{stderr}"
    );
}

fn write_schema(label: &str, sql: &str) -> String {
    let dir = cluster().dir().join(label);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("schema.sql");
    std::fs::write(&path, sql).unwrap();
    path.to_string_lossy().into_owned()
}

const SMALL_SCHEMA: &str = "CREATE TABLE accounts (id int PRIMARY KEY, status text DEFAULT 'new' NOT NULL);";

/// `drift --db A --db B --db C` (or `--db-list`): one elaboration, one
/// line per database, an unreachable database reported without hiding the
/// others' results.
#[tokio::test]
async fn drift_checks_several_databases_in_one_run() {
    let schema = write_schema("fleet", SMALL_SCHEMA);
    let in_sync = TestDb::create("fleet_in_sync").await;
    in_sync.execute(SMALL_SCHEMA).await;
    let drifted = TestDb::create("fleet_drifted").await;
    drifted.execute(SMALL_SCHEMA).await;
    drifted.execute("ALTER TABLE accounts ADD COLUMN note text").await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let down = format!("postgres://postgres@127.0.0.1:{port}/nowhere");

    let out = pgrecon(&["drift", "--db", &in_sync.url, "--db", &drifted.url, "--schema", &schema]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().take(2).collect();
    assert!(lines[0].contains("fleet_in_sync") && lines[0].contains("no drift"), "{text}");
    assert!(lines[1].contains("fleet_drifted") && lines[1].contains("1 unexpected"), "{text}");
    assert!(text.contains("column public.accounts.note"), "details of the drifted database:\n{text}");

    let list = cluster().dir().join("fleet").join("databases.txt");
    std::fs::write(&list, format!("# nightly\n{}\n\n{}\n{down}\n", in_sync.url, drifted.url)).unwrap();
    let out =
        pgrecon(&["drift", "--db-list", list.to_str().unwrap(), "--schema", &schema, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "an unreachable database is an error");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("fleet JSON parses");
    let statuses: Vec<&str> =
        doc["databases"].as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["in_sync", "drift", "error"]);
    assert_eq!(doc["drift"], true);
    assert_eq!(doc["databases"][1]["items"][0]["name"], "public.accounts.note");
}

/// Elaborate once, compare many times: with the model cached, `drift` and
/// `plan` need no scratch database — shown with a role that may not create
/// one. Changed files, `--no-cache` and a damaged entry all elaborate again.
#[tokio::test]
async fn a_cached_model_skips_the_scratch_database() {
    let db = TestDb::create("cache").await;
    db.execute(SMALL_SCHEMA).await;
    db.execute("CREATE ROLE cache_reader LOGIN PASSWORD 'reader-pw' NOCREATEDB").await;
    let reader = format!("postgres://cache_reader:reader-pw@127.0.0.1:{}/{}", cluster().port(), db.name);
    let schema = write_schema("cache", SMALL_SCHEMA);
    let cache_dir = cluster().dir().join("cache-test-entries");
    let cache = [("PGRECON_CACHE_DIR", cache_dir.to_str().unwrap())];
    let run = |url: &str, extra: &[&str]| {
        let mut args = vec!["drift", "--db", url, "--schema", &schema];
        args.extend_from_slice(extra);
        pgrecon_with_env(&args, &cache)
    };
    let refused = |out: &std::process::Output| {
        out.status.code() == Some(1)
            && String::from_utf8_lossy(&out.stderr).contains("permission denied to create database")
    };

    assert!(refused(&run(&reader, &[])), "nothing cached yet: the reader needs a scratch database");
    assert_eq!(run(&db.url, &[]).status.code(), Some(0), "the owner elaborates and fills the cache");
    let warm = run(&reader, &[]);
    assert_eq!(warm.status.code(), Some(0), "{}", String::from_utf8_lossy(&warm.stderr));
    assert!(refused(&run(&reader, &["--no-cache"])));

    // A hand change that needs normalizing: the owner's run records the
    // answer, after which the reader gets the same report without a scratch database.
    db.execute("ALTER TABLE accounts ALTER COLUMN status SET DEFAULT 'old'").await;
    assert!(refused(&run(&reader, &[])));
    assert_eq!(run(&db.url, &[]).status.code(), Some(2));
    let drift = run(&reader, &[]);
    assert_eq!(drift.status.code(), Some(2), "{}", String::from_utf8_lossy(&drift.stderr));
    assert!(String::from_utf8_lossy(&drift.stdout).contains("column public.accounts.status: default"));

    // Damaged entries are discarded, not trusted.
    for entry in std::fs::read_dir(&cache_dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("accounts", "accountz")).unwrap();
    }
    assert!(refused(&run(&reader, &[])), "a damaged entry is a miss");

    // Another desired state is another key.
    assert_eq!(run(&db.url, &[]).status.code(), Some(2));
    let changed = write_schema("cache", &format!("{SMALL_SCHEMA}\nCREATE TABLE extra (id int);"));
    assert_eq!(changed, schema);
    assert!(refused(&run(&reader, &[])), "changed files are elaborated again");
}

/// PostgreSQL 18 keeps a name for each NOT NULL (17 for domains), and a
/// rename of the table, column or domain leaves it as it was: such a
/// database dumps (SQL, split, YAML)
/// to files that drift nothing, and against files that build the default
/// names, the stale names are drift, renamed by `apply`.
#[tokio::test]
async fn not_null_constraint_names_drift_and_survive_dumps() {
    let major = cluster().server_major();
    if major < 18 {
        eprintln!("skipped: NOT NULL constraints have names from PostgreSQL 18 (this server is {major})");
        return;
    }
    let db = TestDb::create("not_null_names").await;
    db.execute(
        "CREATE DOMAIN code AS text NOT NULL; ALTER DOMAIN code RENAME TO zone_code;
         CREATE TABLE zones (id int PRIMARY KEY, cam text NOT NULL, \
           label text CONSTRAINT \"zone label required\" NOT NULL, code zone_code);
         ALTER TABLE zones RENAME TO camera_zones; ALTER TABLE camera_zones RENAME cam TO camera;",
    )
    .await;
    let dir = cluster().dir().join(format!("dumps-{}", db.name));
    std::fs::create_dir_all(&dir).unwrap();
    let (sql, split, yaml) = (dir.join("schema.sql"), dir.join("split"), dir.join("schema.yaml"));
    let (sql, split, yaml) = (sql.to_str().unwrap(), split.to_str().unwrap(), yaml.to_str().unwrap());
    for args in [vec!["--out", sql], vec!["--out", split, "--split"], vec!["--format", "yaml", "--out", yaml]]
    {
        let out = pgrecon(&[&["dump", "--db", &db.url][..], &args].concat());
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let target = args[args.iter().position(|a| *a == "--out").unwrap() + 1];
        let drift = pgrecon(&["drift", "--db", &db.url, "--schema", target]);
        assert_eq!(
            drift.status.code(),
            Some(0),
            "{args:?}:\n{}{}",
            String::from_utf8_lossy(&drift.stdout),
            String::from_utf8_lossy(&drift.stderr)
        );
    }
    assert!(std::fs::read_to_string(sql).unwrap().contains("CONSTRAINT zones_cam_not_null NOT NULL"));

    let fresh = write_schema(
        "not-null-fresh",
        "CREATE DOMAIN zone_code AS text NOT NULL;
         CREATE TABLE camera_zones (id int PRIMARY KEY, camera text NOT NULL, \
           label text CONSTRAINT \"zone label required\" NOT NULL, code zone_code);",
    );
    let drift = pgrecon(&["drift", "--db", &db.url, "--schema", &fresh]);
    let stdout = String::from_utf8_lossy(&drift.stdout);
    assert_eq!(drift.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("zones_cam_not_null") && stdout.contains("zones_id_not_null"), "{stdout}");
    assert!(stdout.contains("type public.zone_code"), "the domain's NOT NULL is named after code: {stdout}");
    assert!(!stdout.contains("zone label required"), "a name of the file's own is no drift: {stdout}");
    let apply = pgrecon(&["apply", "--db", &db.url, "--schema", &fresh, "--yes"]);
    assert!(apply.status.success(), "{}", String::from_utf8_lossy(&apply.stderr));
    assert_eq!(pgrecon(&["drift", "--db", &db.url, "--schema", &fresh]).status.code(), Some(0));
    let names = db
        .strings(
            "SELECT conname::text FROM pg_constraint WHERE contype = 'n' \
             AND (conrelid = 'camera_zones'::regclass OR contypid = 'zone_code'::regtype) ORDER BY 1",
        )
        .await;
    assert_eq!(
        names,
        [
            "camera_zones_camera_not_null",
            "camera_zones_id_not_null",
            "zone label required",
            "zone_code_not_null"
        ]
    );
}

/// A live server set to other date, time and number styles than the
/// scratch one prints the same definitions, and reads the files' literals
/// as pgrecon does: its defaults, CHECKs and index predicates show no
/// drift after an apply, or after psql ran the plan's SQL, and their values
/// are the files' values.
#[tokio::test]
async fn the_live_servers_styles_do_not_change_definitions() {
    let schema = write_schema(
        "styles",
        "CREATE TABLE readings (
             id int PRIMARY KEY,
             taken date NOT NULL DEFAULT '2024-01-31',
             span interval DEFAULT '1 day 02:00',
             since timestamptz DEFAULT '2024-01-31 12:00+00',
             ratio float8 DEFAULT 0.3333333333333333,
             folder text DEFAULT 'C:\\temp\\new',
             magic bytea DEFAULT '\\x00ff',
             local_noon timestamptz DEFAULT '2024-02-01 12:00',
             due date DEFAULT '03/04/2024',
             CONSTRAINT readings_recent CHECK (taken > '2000-01-02' AND since > '2000-01-02 00:00+00'));
         CREATE INDEX readings_late ON readings (taken) WHERE taken > '2020-12-25';
         CREATE SCHEMA app;
         CREATE TABLE tagged (id int PRIMARY KEY, tags text[] DEFAULT '{a,NULL}', n int CHECK (n = NULL OR n > 0));
         CREATE VIEW recent AS SELECT id, taken FROM readings;
         CREATE FUNCTION reading_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM readings';",
    );
    let applied = styled_db("styles_apply").await;
    let apply = pgrecon(&["apply", "--db", &applied.url, "--schema", &schema, "--yes"]);
    assert!(apply.status.success(), "{}", String::from_utf8_lossy(&apply.stderr));

    let by_psql = styled_db("styles_psql").await;
    let plan = pgrecon(&["plan", "--db", &by_psql.url, "--schema", &schema, "--format", "sql"]);
    assert_eq!(plan.status.code(), Some(2), "{}", String::from_utf8_lossy(&plan.stderr));
    by_psql.psql_text(&String::from_utf8_lossy(&plan.stdout));

    for db in [&applied, &by_psql] {
        let drift = pgrecon(&["drift", "--db", &db.url, "--schema", &schema]);
        assert_eq!(drift.status.code(), Some(0), "{}: {}", db.name, String::from_utf8_lossy(&drift.stdout));
        db.execute("INSERT INTO readings (id) VALUES (1)").await;
        let kept: bool = db
            .client()
            .await
            .query_one(
                "SELECT taken = DATE '2024-01-31' AND span = INTERVAL '26 hours' \
                   AND since = TIMESTAMPTZ '2024-01-31 12:00+00' AND ratio = 1::float8 / 3 \
                   AND folder = E'C:\\\\temp\\\\new' AND magic = pg_catalog.decode('00ff', 'hex') \
                   AND local_noon = TIMESTAMPTZ '2024-02-01 12:00+00' AND due = DATE '2024-03-04' FROM readings",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert!(kept, "{}: the defaults' values changed on the way", db.name);
        db.execute("INSERT INTO public.tagged (id) VALUES (1)").await;
        let placed: bool = db
            .client()
            .await
            .query_one(
                "SELECT to_regclass('public.recent') IS NOT NULL AND to_regclass('app.recent') IS NULL \
                   AND to_regprocedure('public.reading_count()') IS NOT NULL \
                   AND (SELECT tags[2] IS NULL FROM public.tagged)",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert!(placed, "{}: unqualified names went elsewhere than public, or NULL became 'NULL'", db.name);
    }
}

/// A database whose sessions print and read literals unlike the default.
async fn styled_db(label: &str) -> TestDb {
    let db = TestDb::create(label).await;
    let name = pgrecon::quote::ident(&db.name);
    db.execute(&format!(
        "ALTER DATABASE {name} SET DateStyle = 'SQL, DMY'; ALTER DATABASE {name} SET IntervalStyle = 'iso_8601';
         ALTER DATABASE {name} SET TimeZone = 'Asia/Kolkata'; ALTER DATABASE {name} SET extra_float_digits = -3;
         ALTER DATABASE {name} SET standard_conforming_strings = off; ALTER DATABASE {name} SET bytea_output = 'escape';
         ALTER DATABASE {name} SET quote_all_identifiers = on; ALTER DATABASE {name} SET search_path = app, public;
         ALTER DATABASE {name} SET array_nulls = off; ALTER DATABASE {name} SET transform_null_equals = on;"
    ))
    .await;
    db
}

/// A policy added by hand is not drift (pgrecon does not manage policies),
/// but the nightly report still names it, in every format.
#[tokio::test]
async fn unmanaged_objects_added_by_hand_are_named_in_every_report() {
    let db = example_db("drift_unmanaged").await;
    db.execute(
        "ALTER TABLE cameras ENABLE ROW LEVEL SECURITY; CREATE POLICY own_rows ON cameras USING (true);",
    )
    .await;
    for format in ["human", "json", "markdown"] {
        let out = pgrecon(&["drift", "--db", &db.url, "--schema", &schema_arg(), "--format", format]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{format}: {text}");
        assert!(text.contains("own_rows on public.cameras"), "{format}: {text}");
    }
}

/// A pending rename onto the name of an object the files drop: drift
/// names that object as the database has it, never by the name it is set
/// aside under while a plan runs.
#[tokio::test]
async fn drift_names_an_object_in_the_way_of_a_rename_as_it_is() {
    let db = TestDb::create("drift_aside").await;
    db.execute(
        "CREATE TABLE events_v2 (id int PRIMARY KEY, kind text);
         CREATE VIEW events AS SELECT id, kind FROM events_v2;
         CREATE VIEW recent_kinds AS SELECT DISTINCT kind FROM events;",
    )
    .await;
    let schema = write_schema(
        "drift_aside",
        "CREATE TABLE events (id int PRIMARY KEY, kind text); -- @renamed-from: events_v2
         CREATE VIEW recent_kinds AS SELECT DISTINCT kind FROM events;",
    );
    let out = pgrecon(&["drift", "--db", &db.url, "--schema", &schema]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("Unexpected (in the database, not declared):\n  view public.events\n"), "{text}");
    assert!(text.contains("table public.events: still named public.events_v2 (pending rename)"), "{text}");
    // It reads the view, not the table: the same text, another object.
    assert!(text.contains("view public.recent_kinds: definition"), "{text}");
    assert!(!text.contains("pgrecon_old"), "{text}");
}
