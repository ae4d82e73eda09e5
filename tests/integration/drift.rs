//! `drift` for the nightly cron, plans between two sets of files for pull
//! requests, and `dump` for adopting an existing database.

use crate::support::*;

fn schema_arg() -> String {
    project_path("schema").to_string_lossy().into_owned()
}

async fn example_db(label: &str) -> TestDb {
    let db = TestDb::create(label).await;
    for f in sql_files("schema") {
        db.psql_file(&f);
    }
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
