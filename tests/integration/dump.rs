//! `pgrecon dump` round trips. PostgreSQL's deparse is not a fixpoint
//! (`col IN ('a','b')` on varchar dumps as `= ANY ((ARRAY[...])::text[])`,
//! which re-parses to a different tree), so the reference is not the
//! original database but one restored from PostgreSQL's own `pg_dump`: both
//! sides have then been through exactly one dump/restore cycle.

use crate::support::*;

/// Loads `files` into a database, dumps it with pgrecon and with pg_dump,
/// restores each dump into an empty database and compares the two.
async fn assert_dump_round_trips(label: &str, files: &[std::path::PathBuf]) {
    let source = TestDb::create(label).await;
    for f in files {
        source.psql_file(f);
    }
    let ours = dump_sql(&source.url);
    let restored = TestDb::create(&format!("{label}_ours")).await;
    restored.psql_text(&ours);

    let reference = TestDb::create(&format!("{label}_ref")).await;
    reference.psql_text(&schema_dump(&source.url));

    assert_same_text(&reference.normalized_schema(), &restored.normalized_schema(), "schemas");
    assert_eq!(reference.catalog().await, restored.catalog().await, "models after one cycle differ");
}

fn dump_sql(url: &str) -> String {
    let out = pgrecon(&["dump", "--db", url]);
    assert!(out.status.success(), "dump failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("dump is UTF-8")
}

#[tokio::test]
async fn example_schema_round_trips() {
    assert_dump_round_trips("example", &sql_files("schema")).await;
}

#[tokio::test]
async fn torture_schema_round_trips() {
    assert_dump_round_trips("torture", &sql_files("tests/fixtures/torture")).await;
}

#[tokio::test]
async fn venues_schema_round_trips() {
    assert_dump_round_trips("venues", &[project_path("examples/venues/schema.sql")]).await;
}

/// Names that need quoting, in every position a name can take.
pub const HOSTILE_NAMES: &str = r#"
CREATE SCHEMA "My Schema";
CREATE TYPE "My Schema"."user" AS ENUM ('a''b', 'c"d', 'e\f', '$$', 'semi;colon');
CREATE TABLE "My Schema"."timestamp" (
    "user" integer PRIMARY KEY,
    "select" text NOT NULL DEFAULT 'x'';DROP TABLE y;--',
    "Mixed Case" "My Schema"."user",
    "café" text,
    "日本" text,
    "new
line" text,
    "dollar$$quote" text,
    "back\slash" text,
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" integer
);
CREATE INDEX "idx ""quoted""" ON "My Schema"."timestamp" ("select", "Mixed Case");
ALTER TABLE "My Schema"."timestamp" ADD CONSTRAINT "check;me" CHECK ("user" > 0);
CREATE FUNCTION "My Schema"."Fn ""x"""("a b" integer) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
COMMENT ON TABLE "My Schema"."timestamp" IS 'it''s a table; with $$ and \ and
a newline';
"#;

#[tokio::test]
async fn identifiers_that_need_quoting_round_trip() {
    let source = TestDb::create("hostile").await;
    source.execute(HOSTILE_NAMES).await;
    let restored = TestDb::create("hostile_restored").await;
    restored.psql_text(&dump_sql(&source.url));
    assert_same_text(&source.normalized_schema(), &restored.normalized_schema(), "schemas");
    assert_eq!(source.catalog().await, restored.catalog().await);
}

#[tokio::test]
async fn dump_is_deterministic() {
    let db = TestDb::create("deterministic").await;
    for f in sql_files("tests/fixtures/torture") {
        db.psql_file(&f);
    }
    let first = dump_sql(&db.url);
    let second = dump_sql(&db.url);
    assert_eq!(first, second);
    // Ordered by dependency, grouped by table: a table's indexes follow it.
    let table = first.find("CREATE TABLE app.accounts").expect("accounts table in dump");
    let schema = first.find("CREATE SCHEMA app").expect("schema in dump");
    assert!(schema < table);
}

#[tokio::test]
async fn dump_writes_to_a_file() {
    let db = TestDb::create("dump_out").await;
    db.execute("CREATE TABLE t (id int PRIMARY KEY)").await;
    let path = std::env::temp_dir().join(format!("pgrecon-dump-{}.sql", std::process::id()));
    let out = pgrecon(&["dump", "--db", &db.url, "--out", path.to_str().unwrap()]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        text.contains(
            "CREATE TABLE public.t (\n    id integer NOT NULL,\n    CONSTRAINT t_pkey PRIMARY KEY (id)\n)"
        ),
        "{text}"
    );
}

/// Adoption: the dump of a database, used as the desired state, plans
/// nothing against that database; and a database restored from the dump
/// plans nothing against the original files. Both need expressions compared
/// after a round trip through the scratch database (`IN (...)` on varchar).
#[tokio::test]
async fn dump_used_as_desired_state_plans_nothing() {
    for fixture in ["schema", "tests/fixtures/torture"] {
        let source = TestDb::create("adopt").await;
        for f in sql_files(fixture) {
            source.psql_file(&f);
        }
        let dump_file = cluster().dir().join(format!("adopt-{}.sql", source.name));
        std::fs::write(&dump_file, dump_sql(&source.url)).unwrap();
        let dump_path = dump_file.to_str().unwrap();

        let out = pgrecon(&["plan", "--db", &source.url, "--schema", dump_path]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{fixture}: dump as desired state:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );

        let restored = TestDb::create("adopt_restored").await;
        restored.psql_file(&dump_file);
        let fixture_path = super::support::fixture(fixture);
        let out = pgrecon(&["plan", "--db", &restored.url, "--schema", &fixture_path.to_string_lossy()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{fixture}: restored dump vs files:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
