//! The desired state: SQL and YAML sources elaborated in a scratch database
//! into the same model introspection gives, with precise diagnostics.

use std::path::{Path, PathBuf};

use pgrecon::catalog::{Catalog, QualName};
use pgrecon::elaborate::{elaborate, ScratchServer};
use pgrecon::load::{RenameTarget, StatementKind};

use crate::support::*;

/// Elaborates `paths` in a scratch database on the test cluster.
async fn desired(paths: &[PathBuf]) -> pgrecon::elaborate::DesiredState {
    let sources = pgrecon::load::load(paths).expect("desired state loads");
    let target = pgrecon::connect::Target::parse(&cluster().url("postgres")).unwrap();
    elaborate(sources, &ScratchServer::Server(target)).await.expect("desired state elaborates")
}

async fn desired_catalog(paths: &[PathBuf]) -> Catalog {
    desired(paths).await.catalog
}

fn temp_dir(label: &str) -> PathBuf {
    let dir = cluster().dir().join(format!("files-{label}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn example_schema_loads_in_any_file_order_and_as_one_file() {
    let files = sql_files("schema");
    let reference = desired_catalog(&[project_path("schema")]).await;
    assert!(reference.tables.len() >= 30);

    // Reversed file order: every dependency now comes after its user.
    let reversed = temp_dir("reversed");
    for (i, f) in files.iter().rev().enumerate() {
        std::fs::copy(f, reversed.join(format!("{i:02}_{}", f.file_name().unwrap().to_str().unwrap())))
            .unwrap();
    }
    assert_eq!(desired_catalog(&[reversed]).await, reference);

    // One file, statements in reverse file order.
    let one = temp_dir("one").join("all.sql");
    let text: Vec<String> = files.iter().rev().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    std::fs::write(&one, text.join("\n")).unwrap();
    assert_eq!(desired_catalog(&[one]).await, reference);
}

#[tokio::test]
async fn scratch_elaboration_equals_psql_applied_database() {
    let db = TestDb::create("psql_applied").await;
    db.psql_example_schema();
    assert_eq!(desired_catalog(&[project_path("schema")]).await, db.catalog().await);
}

#[tokio::test]
async fn torture_schema_elaborates_like_psql() {
    let db = TestDb::create("torture_psql").await;
    for f in sql_files("tests/fixtures/torture") {
        db.psql_file(&f);
    }
    assert_eq!(desired_catalog(&[fixture("tests/fixtures/torture")]).await, db.catalog().await);
}

#[tokio::test]
async fn yaml_and_sql_give_equal_models() {
    let yaml = desired_catalog(&[fixture("tests/fixtures/yaml/every_feature.yaml")]).await;
    let sql = desired_catalog(&[fixture("tests/fixtures/yaml/every_feature.sql")]).await;
    assert!(!yaml.tables.is_empty());
    assert_same_model(&sql, &yaml, "every_feature models (SQL, YAML)");

    let yaml = desired_catalog(&[project_path("examples/venues-yaml/venues.yaml")]).await;
    let sql = desired_catalog(&[project_path("examples/venues/schema.sql")]).await;
    assert_same_model(&sql, &yaml, "venues models (SQL, YAML)");
}

#[tokio::test]
async fn rename_annotations_are_read_from_sql_comments() {
    let dir = temp_dir("renames");
    let file = dir.join("renames.sql");
    std::fs::write(
        &file,
        "CREATE TYPE status AS ENUM ('ok', 'maintenance' -- @renamed-from: repair\n);\n\
         -- @renamed-from: app.zones\n\
         CREATE TABLE camera_zones (\n\
             -- @renamed-from: cam_id\n\
             camera_id int,\n\
             label text, -- @renamed from=\"Label\"\n\
             CONSTRAINT zone_label_ok CHECK (label <> '') -- @renamed-from: zones_label_check\n\
         );\n\
         CREATE INDEX zone_cam ON camera_zones (camera_id); -- @renamed-from: zones_cam\n\
         CREATE SCHEMA billing; -- @renamed-from: accounts\n\
         CREATE TYPE billing.tier AS ENUM ('free', 'pro'); -- @renamed-from: accounts.level\n\
         CREATE TABLE pairs (id int); CREATE INDEX pairs_id ON pairs (id); -- @renamed-from: pairs_key\n\
         CREATE TYPE shade AS ENUM ('light', 'dark'); -- @renamed-from: tone\n\
         CREATE TABLE boxes (\n  id int\n); -- @renamed-from: crates\n\
         CREATE TABLE checks (\n  n int,\n  CONSTRAINT n_ok CHECK (\n    n > 0\n  )); -- @renamed-from: n_check\n\
         CREATE TABLE comma_first (\n    id int\n  , a2 int -- @renamed-from: a\n  -- @renamed-from: b\n  , b2 text\n);\n\
         CREATE TABLE two_on_a_line (\n  id int, c2 int -- @renamed-from: c\n);\n",
    )
    .unwrap();
    let d = desired(&[file]).await;
    let q = |n: &str| QualName::new("public", n);
    let found: Vec<(RenameTarget, QualName)> =
        d.sources.renames.iter().map(|r| (r.target.clone(), r.from.clone())).collect();
    let expected = vec![
        (
            RenameTarget::EnumValue { type_name: q("status"), value: "maintenance".into() },
            QualName::new("", "repair"),
        ),
        (
            RenameTarget::Relation { kind: StatementKind::CreateTable, name: q("camera_zones") },
            QualName::new("app", "zones"),
        ),
        (
            RenameTarget::Column { table: q("camera_zones"), column: "camera_id".into() },
            QualName::new("", "cam_id"),
        ),
        (
            RenameTarget::Column { table: q("camera_zones"), column: "label".into() },
            QualName::new("", "Label"),
        ),
        (
            RenameTarget::Constraint { table: q("camera_zones"), name: "zone_label_ok".into() },
            QualName::new("", "zones_label_check"),
        ),
        (RenameTarget::Relation { kind: StatementKind::CreateIndex, name: q("zone_cam") }, q("zones_cam")),
        (RenameTarget::Schema("billing".into()), QualName::new("", "accounts")),
        // Two parts cannot be an enum value's old name: the type's.
        (
            RenameTarget::Relation {
                kind: StatementKind::CreateType,
                name: QualName::new("billing", "tier"),
            },
            QualName::new("accounts", "level"),
        ),
        // After two statements on a line: the last one's.
        (RenameTarget::Relation { kind: StatementKind::CreateIndex, name: q("pairs_id") }, q("pairs_key")),
        // After the whole statement: the type's, not its last value's.
        (RenameTarget::Relation { kind: StatementKind::CreateType, name: q("shade") }, q("tone")),
        // After the closing parenthesis of a statement over several lines.
        (RenameTarget::Relation { kind: StatementKind::CreateTable, name: q("boxes") }, q("crates")),
        // After the parenthesis closing the last element, not the statement.
        (RenameTarget::Constraint { table: q("checks"), name: "n_ok".into() }, QualName::new("", "n_check")),
        // Comma-first: the element after the line's leading comma.
        (RenameTarget::Column { table: q("comma_first"), column: "a2".into() }, QualName::new("", "a")),
        (RenameTarget::Column { table: q("comma_first"), column: "b2".into() }, QualName::new("", "b")),
        // Two elements on a line: the last one begun on it.
        (RenameTarget::Column { table: q("two_on_a_line"), column: "c2".into() }, QualName::new("", "c")),
    ];
    assert_eq!(found, expected);
}

/// Runs `validate` on fixture files from their directory, so diagnostics
/// show short, stable paths.
fn validate(dir: &Path, files: &[&str]) -> std::process::Output {
    let mut args = vec!["validate".to_string(), "--dev-url".to_string(), cluster().url("postgres")];
    for f in files {
        args.push("--schema".into());
        args.push(f.to_string());
    }
    std::process::Command::new(env!("CARGO_BIN_EXE_pgrecon"))
        .args(&args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run pgrecon")
}

fn diagnostic(files: &[&str]) -> String {
    let out = validate(&project_path("tests/fixtures/malformed"), files);
    assert_eq!(out.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let location = format!("{}:", files.last().unwrap());
    assert!(stderr.contains(&location), "no file:line:col in {stderr}");
    stderr
}

#[test]
fn malformed_inputs_point_at_file_line_and_column() {
    insta::assert_snapshot!("column_type_typo", diagnostic(&["column_type_typo.sql"]));
    insta::assert_snapshot!("missing_paren", diagnostic(&["missing_paren.sql"]));
    insta::assert_snapshot!("fk_to_nowhere", diagnostic(&["fk_to_nowhere.sql"]));
    insta::assert_snapshot!("duplicate_table", diagnostic(&["duplicate_a.sql", "duplicate_b.sql"]));
    insta::assert_snapshot!("invalid_yaml", diagnostic(&["invalid.yaml"]));
    insta::assert_snapshot!("unknown_yaml_key", diagnostic(&["unknown_key.yaml"]));
    insta::assert_snapshot!("bad_sql_in_yaml", diagnostic(&["bad_sql_in.yaml"]));
    insta::assert_snapshot!("function_body_syntax", diagnostic(&["function_body_syntax.sql"]));
    insta::assert_snapshot!("function_body_missing_table", diagnostic(&["function_body_missing_table.sql"]));
    insta::assert_snapshot!("multibyte_line", diagnostic(&["multibyte_line.sql"]));
}

#[tokio::test]
async fn scratch_database_is_dropped_after_a_failed_run() {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_pgrecon"))
        .args(["validate", "--dev-url", &cluster().url("postgres"), "--schema", "fk_to_nowhere.sql"])
        .current_dir(project_path("tests/fixtures/malformed"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let admin = client_for(&cluster().url("postgres")).await;
    let pattern = format!("pgrecon_scratch_{pid}_%");
    let left: i64 = admin
        .query_one("SELECT count(*) FROM pg_database WHERE datname LIKE $1", &[&pattern])
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "scratch database left behind");
}

#[tokio::test]
async fn ignore_rules_leave_objects_alone_on_both_sides() {
    let dir = temp_dir("ignore");
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE kept (id int); CREATE TABLE alembic_version (v text);\n\
         CREATE POLICY own ON alembic_version USING (v <> '');",
    )
    .unwrap();
    std::fs::write(
        dir.join("schema.yaml"),
        "config:\n  schema: [schema.sql]\n  ignore:\n    tables: [alembic_*]\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pgrecon"))
        .args(["validate", "--json", "--dev-url", &cluster().url("postgres")])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let model: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tables: Vec<&str> =
        model["tables"].as_array().unwrap().iter().map(|t| t["name"]["name"].as_str().unwrap()).collect();
    assert_eq!(tables, ["kept"]);
    // What uses an ignored table's column is no concern of a plan either.
    assert!(model.get("used_by_unmanaged").is_none(), "{}", model["used_by_unmanaged"]);
}

/// The YAML form documented in the project's schema.yaml elaborates.
#[tokio::test]
async fn schema_yaml_example_elaborates() {
    let text = std::fs::read_to_string(project_path("schema.yaml")).unwrap();
    let start = text.find("# --- YAML form example ---").expect("example block");
    let end = text.find("# --- end ---").expect("end of example block");
    let yaml: Vec<&str> = text[start..end]
        .lines()
        .skip(1)
        .map(|l| l.strip_prefix("# ").unwrap_or(l.trim_start_matches('#')))
        .collect();
    let mut yaml = yaml.join("\n");
    if cluster().server_major() < 15 {
        // The example shows UNIQUE NULLS NOT DISTINCT, which needs 15.
        yaml = yaml.replace(", nulls_not_distinct: true", "");
    }
    let file = temp_dir("yaml_example").join("example.yaml");
    std::fs::write(&file, yaml).unwrap();
    let d = desired(&[file]).await;
    let jobs = &d.catalog.tables[&QualName::new("public", "jobs")];
    assert!(jobs.column("search").unwrap().generated.is_some());
    assert_eq!(d.catalog.indexes.len(), 4);
    assert_eq!(d.sources.renames.len(), 6, "{:?}", d.sources.renames);
}

/// Ctrl-C while the desired state loads: the scratch database is dropped.
#[tokio::test]
async fn scratch_database_is_dropped_on_ctrl_c() {
    let file = temp_dir("ctrl_c").join("slow.sql");
    std::fs::write(&file, "CREATE TABLE a (id int);\nSELECT pg_sleep(30);\n").unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_pgrecon"))
        .args(["validate", "--dev-url", &cluster().url("postgres"), "--schema", file.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let admin = client_for(&cluster().url("postgres")).await;
    let pattern = format!("pgrecon_scratch_{pid}_%");
    let count = async || -> i64 {
        admin
            .query_one("SELECT count(*) FROM pg_database WHERE datname LIKE $1", &[&pattern])
            .await
            .unwrap()
            .get(0)
    };
    let waited = std::time::Instant::now();
    while count().await == 0 && waited.elapsed().as_secs() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(count().await, 1, "the scratch database should exist while loading");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    // SAFETY: sending a signal to our own child process.
    unsafe { libc_kill(pid as i32, 2) };
    let out = child.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(waited.elapsed().as_secs() < 25, "did not stop on Ctrl-C");
    assert_eq!(count().await, 0, "scratch database left behind after Ctrl-C");
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

/// The desired model shares the live model's tables, column lists, indexes
/// and dependency identities that come out equal (one copy in memory) and
/// only those: a changed table is its own, and sharing changes no value.
#[tokio::test]
async fn desired_model_shares_the_equal_objects_of_an_offered_live_model() {
    let db = TestDb::create("reuse_live").await;
    db.psql_example_schema();
    let live = db.catalog().await;
    let mut names = live.tables.keys();
    // One table gains a column, another only a constraint: its column
    // list is still shared, the table is not.
    let changed = names.next().expect("the example schema has tables").clone();
    let constrained = names.next().expect("the example schema has two tables").clone();
    let dir = temp_dir("reuse");
    for f in sql_files("schema") {
        std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        dir.join("zz_extra.sql"),
        format!(
            "ALTER TABLE {changed} ADD COLUMN extra_note text;\n\
             ALTER TABLE {constrained} ADD CONSTRAINT zz_extra_check CHECK (true);"
        ),
    )
    .unwrap();

    let slot = pgrecon::introspect::ReuseSlot::offering(&live);
    let sources = pgrecon::load::load(std::slice::from_ref(&dir)).unwrap();
    let target = pgrecon::connect::Target::parse(&cluster().url("postgres")).unwrap();
    let session = pgrecon::elaborate::elaborate_session(sources, &ScratchServer::Server(target), &slot)
        .await
        .expect("desired state elaborates");
    let shared = session.close().await.catalog;

    assert_eq!(shared, desired_catalog(&[dir]).await, "sharing changes no value");
    for (name, table) in &shared.tables {
        let same = std::sync::Arc::ptr_eq(table, &live.tables[name]);
        assert_eq!(same, *name != changed && *name != constrained, "table {name} shared: {same}");
        let same_columns = std::sync::Arc::ptr_eq(&table.columns, &live.tables[name].columns);
        assert_eq!(same_columns, *name != changed, "columns of {name} shared: {same_columns}");
    }
    assert!(shared.tables[&changed].column("extra_note").is_some());
    assert!(shared.tables[&constrained].constraints.contains_key("zz_extra_check"));
    assert!(!shared.indexes.is_empty());
    for (name, index) in &shared.indexes {
        assert!(std::sync::Arc::ptr_eq(index, &live.indexes[name]), "index {name} not shared");
    }
    let live_ids: std::collections::HashMap<&pgrecon::catalog::ObjectId, &std::sync::Arc<_>> =
        live.dependencies.identities().map(|id| (&**id, id)).collect();
    let mut shared_ids = 0;
    for id in shared.dependencies.identities() {
        if let Some(live_id) = live_ids.get(&**id) {
            assert!(std::sync::Arc::ptr_eq(id, live_id), "identity {id:?} not shared");
            shared_ids += 1;
        }
    }
    assert!(shared_ids > 0, "the example schema's edges name objects of both models");
}

/// Data statements in the desired files are not run, and say so.
#[test]
fn data_statements_in_the_desired_files_are_named_not_run() {
    let dir = temp_dir("data_statements");
    std::fs::write(dir.join("schema.sql"), "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n").unwrap();
    let out = validate(&dir, &["schema.sql"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "schema.sql:2:1: INSERT writes data, and the desired state is the schema only: not run"
        ),
        "{stderr}"
    );
}

/// Statements that act on the whole server would run on the target's
/// server (the scratch database is there): they are named, never run.
#[tokio::test]
async fn server_wide_statements_in_the_desired_files_are_named_not_run() {
    let victim = TestDb::create("server_wide_victim").await;
    let dir = temp_dir("server_wide");
    std::fs::write(
        dir.join("schema.sql"),
        format!(
            "CREATE TABLE a (id int);\nDROP DATABASE {};\nCREATE ROLE pgrecon_never_created;\nALTER SYSTEM SET work_mem = '77kB';\n",
            victim.name
        ),
    )
    .unwrap();
    let out = validate(&dir, &["schema.sql"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "schema.sql:2:1: DROP DATABASE acts on the whole server, not on a database's schema: not run"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("schema.sql:3:1: CREATE ROLE acts on the whole server"), "{stderr}");
    assert!(stderr.contains("schema.sql:4:1: ALTER SYSTEM acts on the whole server"), "{stderr}");
    let client = victim.client().await;
    let roles: i64 = client
        .query_one("SELECT count(*) FROM pg_roles WHERE rolname = 'pgrecon_never_created'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(roles, 0);
    let auto_conf: i64 = client
        .query_one("SELECT count(*) FROM pg_file_settings WHERE name = 'work_mem' AND setting = '77kB'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(auto_conf, 0);
}

/// A foreign key whose referenced columns are unique through a unique
/// index (not a constraint) loads whatever the file order: the index may
/// come in a later file.
#[tokio::test]
async fn a_foreign_key_loads_before_the_unique_index_it_references() {
    let dir = temp_dir("fk-unique-index");
    std::fs::write(
        dir.join("a.sql"),
        "CREATE TABLE child (id int, o bigint);\n\
         ALTER TABLE child ADD CONSTRAINT child_o_fk FOREIGN KEY (o) REFERENCES parent (o);\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.sql"),
        "CREATE TABLE parent (o bigint);\nCREATE UNIQUE INDEX parent_o ON parent (o);\n",
    )
    .unwrap();
    let catalog = desired_catalog(&[dir]).await;
    let child = &catalog.tables[&QualName::new("public", "child")];
    assert!(child.constraints.contains_key("child_o_fk"), "{:?}", child.constraints.keys());
}

/// pg_dump's `\restrict KEY` / `\unrestrict KEY` guard lines are passed
/// over: a current pg_dump script is a desired state as it is. Other psql
/// commands are refused at their own line.
#[tokio::test]
async fn pg_dump_restrict_lines_are_passed_over_and_other_psql_commands_refused() {
    let dir = temp_dir("restrict");
    let dump = dir.join("dump.sql");
    std::fs::write(
        &dump,
        "--\n-- PostgreSQL database dump\n--\n\n\\restrict Fya1t3ADTBEzwndXrUj42Qgw\n\n\
         SET statement_timeout = 0;\nCREATE TABLE public.t (id integer);\n\n\\unrestrict Fya1t3ADTBEzwndXrUj42Qgw\n",
    )
    .unwrap();
    let catalog = desired_catalog(&[dump]).await;
    assert!(catalog.tables.contains_key(&QualName::new("public", "t")));

    std::fs::write(
        dir.join("other.sql"),
        "CREATE TABLE public.u (id integer);\n\\set x 1\nCREATE TABLE public.v (id integer);\n",
    )
    .unwrap();
    let out = validate(&dir, &["other.sql"]);
    let shown = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("other.sql:2:1: psql meta-commands are not supported"), "{shown}");
    assert!(!shown.contains("╭─▶"), "the error spans only the command's line: {shown}");
}
