//! The command contract of `plan` and `apply`: exit codes, refusals,
//! output formats.

use crate::support::*;

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn schema_dir(label: &str) -> std::path::PathBuf {
    cluster().dir().join(format!("cli-{label}"))
}

/// With stderr closed (`pgrecon plan 2>&1 >/dev/null | head -1` once head
/// has its line) an error still exits 1, not with a panic's 101.
#[tokio::test]
async fn an_error_exits_1_when_stderr_is_closed() {
    let db = TestDb::create("closed_stderr").await;
    let schema =
        write(&schema_dir("closed-stderr"), "schema.sql", "CREATE TABLE t (id int REFERENCES nope (id));");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_pgrecon"))
        .args(["plan", "--db", &db.url, "--dev-url", &cluster().url("postgres"), "--schema", &schema])
        .args(["--no-cache"])
        .stdout(std::process::Stdio::null())
        .stderr(writer)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}

#[tokio::test]
async fn plan_exit_codes_are_0_2_1() {
    let db = TestDb::create("exit_codes").await;
    let dir = schema_dir("exit");
    let schema = write(&dir, "schema.sql", "CREATE TABLE t (id int PRIMARY KEY, name text);");

    let changes = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    assert_eq!(changes.status.code(), Some(2), "{}", String::from_utf8_lossy(&changes.stderr));
    assert!(String::from_utf8_lossy(&changes.stdout).contains("+ table public.t"));

    let applied = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    assert_eq!(applied.status.code(), Some(0), "{}", String::from_utf8_lossy(&applied.stderr));

    let in_sync = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    assert_eq!(in_sync.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&in_sync.stdout).contains("No changes"));

    let broken = write(&dir, "broken.sql", "CREATE TABLE t (id int PRIMARY KEY, name textt);");
    let error = pgrecon(&["plan", "--db", &db.url, "--schema", &broken]);
    assert_eq!(error.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&error.stderr).contains("type \"textt\" does not exist"));
}

#[tokio::test]
async fn apply_refuses_without_yes_when_not_on_a_terminal() {
    let db = TestDb::create("no_yes").await;
    let schema = write(&schema_dir("noyes"), "schema.sql", "CREATE TABLE t (id int);");
    let out = pgrecon(&["apply", "--db", &db.url, "--schema", &schema]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refusing to apply without confirmation"), "{stderr}");
    assert!(db.catalog().await.tables.is_empty(), "nothing may be applied");
}

#[tokio::test]
async fn data_loss_needs_allow_data_loss() {
    let db = TestDb::create("data_loss").await;
    db.execute("CREATE TABLE t (id int, gone text); INSERT INTO t VALUES (1, 'x');").await;
    let schema = write(&schema_dir("loss"), "schema.sql", "CREATE TABLE t (id int);");
    let refused = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("pass --allow-data-loss") && stderr.contains("- column public.t.gone"),
        "{stderr}"
    );
    assert_eq!(db.catalog().await.tables.values().next().unwrap().columns.len(), 2, "nothing applied");

    let allowed = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes", "--allow-data-loss"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", String::from_utf8_lossy(&allowed.stderr));
}

/// Values changed one level down are data loss too: numbers in an array
/// rounded to fewer digits, a plain column made generated (its values
/// replaced by computed ones); each is refused without
/// `--allow-data-loss`. Text shortened (`text` → `varchar(3)`, in an
/// array, through a domain) is converted by assignment, which cuts
/// nothing; a value too long refuses the plan, the rows as they were.
#[tokio::test]
async fn narrowing_inside_arrays_and_domains_and_columns_made_generated_are_data_loss() {
    let db = TestDb::create("loss_inside").await;
    db.execute(
        "CREATE DOMAIN short AS varchar(3); \
         CREATE TABLE t (id int PRIMARY KEY, labels text[], xs numeric[], code text, x int, y int); \
         INSERT INTO t VALUES (1, '{abcdef}', '{1.26}', 'abcdef', 5, 7);",
    )
    .await;
    let values = "SELECT format('%s|%s|%s|%s', labels, xs, code, y) FROM t";
    let before = db.strings(values).await;
    let start = "CREATE DOMAIN short AS varchar(3);\n";
    let schema = |n: usize, columns: &str| {
        let text = format!("{start}CREATE TABLE t (id int PRIMARY KEY, {columns});\n");
        write(&schema_dir(&format!("loss_inside_{n}")), "schema.sql", &text)
    };
    let lossy = [
        ("labels text[], xs numeric(6,1)[], code text, x int, y int", "xs"),
        ("labels text[], xs numeric[], code text, x int, y int GENERATED ALWAYS AS (x * 2) STORED", "y"),
    ];
    for (n, (columns, changed)) in lossy.iter().enumerate() {
        let refused = pgrecon(&["apply", "--db", &db.url, "--schema", &schema(n, columns), "--yes"]);
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{changed}: {stderr}");
        assert!(
            stderr.contains("pass --allow-data-loss") && stderr.contains(&format!("public.t.{changed}")),
            "{stderr}"
        );
    }
    let shortened = [
        ("labels varchar(3)[], xs numeric[], code text, x int, y int", "labels"),
        ("labels text[], xs numeric[], code short, x int, y int", "code"),
    ];
    for (n, (columns, changed)) in shortened.iter().enumerate() {
        let failed = pgrecon(&["apply", "--db", &db.url, "--schema", &schema(10 + n, columns), "--yes"]);
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert_eq!(failed.status.code(), Some(1), "{columns}: {stderr}");
        let refusal = format!("cannot shorten column {changed} of public.t to 3: rows have longer values");
        assert!(stderr.contains(&refusal), "{stderr}");
    }
    assert_eq!(db.strings(values).await, before, "a refused or failed plan changed values");
    db.execute("UPDATE t SET labels = '{abc}', code = 'abc'").await;
    let fits = schema(20, "labels varchar(3)[], xs numeric[], code short, x int, y bigint");
    let out = pgrecon(&["apply", "--db", &db.url, "--schema", &fits, "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(db.strings(values).await, ["{abc}|{1.26}|abc|7"]);

    // Bits are shortened the same way; text made blank-padded (`char(n)`)
    // loses its trailing spaces when read back: data loss.
    db.execute("CREATE TABLE bits (id int PRIMARY KEY, v bit varying(8), c text); INSERT INTO bits VALUES (1, B'10110', 'x ');")
        .await;
    let table = "CREATE TABLE t (id int PRIMARY KEY, labels varchar(3)[], xs numeric[], code short, x int, y bigint);\n";
    for (n, (columns, expected)) in [
        ("v bit varying(3), c text", "cannot shorten column v of public.bits to 3"),
        ("v bit varying(8), c char(5)", "pass --allow-data-loss"),
    ]
    .iter()
    .enumerate()
    {
        let text = format!("{start}{table}CREATE TABLE bits (id int PRIMARY KEY, {columns});\n");
        let path = write(&schema_dir(&format!("loss_inside_bits_{n}")), "schema.sql", &text);
        let out = pgrecon(&["apply", "--db", &db.url, "--schema", &path, "--yes"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{columns}: {stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
    assert_eq!(db.strings("SELECT format('%s|%s|', v, c) FROM bits").await, ["10110|x |"]);
}

#[tokio::test]
async fn plan_formats() {
    let db = TestDb::create("formats").await;
    let dir = schema_dir("formats");
    let schema = write(
        &dir,
        "schema.sql",
        "CREATE TYPE s AS ENUM ('a', 'b'); CREATE TABLE t (id int, v s DEFAULT 'a');",
    );
    let sql = pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--format", "sql"]);
    let text = String::from_utf8_lossy(&sql.stdout);
    assert!(
        text.starts_with(
            "\\set ON_ERROR_STOP on\nSET check_function_bodies = off;\nSET lock_timeout = '5s';\nSET search_path = public;\n"
        ),
        "{text}"
    );
    assert!(text.contains(";\n\nBEGIN;\n") && text.trim_end().ends_with("COMMIT;"), "{text}");

    let json = pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("plan JSON parses");
    assert_eq!(doc["format_version"], 3);
    assert_eq!(doc["changes"], true);
    let steps = doc["plan"]["steps"].as_array().unwrap();
    let kinds: Vec<&str> = steps.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["type", "table"]);
    assert!(steps[1]["sql"][0].as_str().unwrap().starts_with("CREATE TABLE public.t"));
    let reverse: Vec<&str> =
        doc["reverse"]["steps"].as_array().unwrap().iter().map(|s| s["summary"].as_str().unwrap()).collect();
    assert_eq!(reverse, ["- table public.t", "- type public.s"]);
    assert_eq!(doc["source_fingerprint"].as_str().unwrap().len(), 64);

    let out = dir.join("plan.sql");
    let written = pgrecon(&[
        "plan",
        "--db",
        &db.url,
        "--schema",
        &schema,
        "--format",
        "sql",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(written.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(out).unwrap(), text);
}

#[tokio::test]
async fn rename_annotation_for_nothing_is_a_warning() {
    let db = TestDb::create("stale_rename").await;
    db.execute("CREATE TABLE cameras (id int);").await;
    let schema =
        write(&schema_dir("stale"), "schema.sql", "CREATE TABLE cameras (id int); -- @renamed-from: cams\n");
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    // cameras exists already: the annotation is simply satisfied.
    assert_eq!(out.status.code(), Some(0));
    let schema = write(
        &schema_dir("stale2"),
        "schema.sql",
        "CREATE TABLE zones (id int); -- @renamed-from: nothing_here\n",
    );
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("warning: rename annotation on public.zones: public.nothing_here does not exist"),
        "{stdout}"
    );
    // SQL on standard output, or a plan written to a file: the warning is
    // on standard error, where the reviewer sees it.
    let plan_file = cluster().dir().join("stale2-plan.json");
    for args in [vec!["--format", "sql"], vec!["--out", plan_file.to_str().unwrap()]] {
        let out = pgrecon(&[&["plan", "--db", &db.url, "--schema", &schema][..], &args[..]].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("warning: rename annotation on public.zones"), "{args:?}: {stderr}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("warning:"), "{args:?}");
    }
}

/// A `--dev-url` server of the target's major version elaborates the plan;
/// one of another major version is refused before anything is read, since
/// its definitions (a view's query) would never read like the target's.
/// The second half runs where the suite's server is not the machine's
/// default one (`make test-versions`).
#[tokio::test]
async fn a_dev_server_of_another_major_version_is_refused() {
    let db = TestDb::create("dev_major").await;
    let schema = write(
        &schema_dir("dev-major"),
        "schema.sql",
        "CREATE TABLE t (id int PRIMARY KEY); CREATE VIEW v AS SELECT id FROM t;",
    );
    let same = cluster().url("postgres");
    let plan = pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--dev-url", &same]);
    assert_eq!(plan.status.code(), Some(2), "{}", String::from_utf8_lossy(&plan.stderr));

    let default = pgrecon::cluster::find_bindir_from(None).ok().filter(|b| b != cluster().bindir());
    let Some(other) = default.and_then(|bindir| pgrecon::cluster::ScratchCluster::start_from(bindir).ok())
    else {
        eprintln!("skipped the other half: no server of another major version on this machine");
        return;
    };
    if other.server_major() == cluster().server_major() {
        eprintln!("skipped the other half: the machine's default server is this suite's major version");
        return;
    }
    let other_url = other.url("postgres");
    let plan = pgrecon(&["plan", "--db", &db.url, "--schema", &schema, "--dev-url", &other_url]);
    let stderr = String::from_utf8_lossy(&plan.stderr);
    assert_eq!(plan.status.code(), Some(1), "{stderr}");
    let expected = format!(
        "the scratch server (--dev-url) runs PostgreSQL {}, the target PostgreSQL {}",
        other.server_major(),
        cluster().server_major()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

/// Objects of kinds pgrecon does not manage are named by `plan` (and
/// `apply`, `drift`): those in the desired files are not created, which
/// explains a step that needs one failing; those in the database are left
/// alone.
#[tokio::test]
async fn plan_names_what_it_does_not_manage() {
    let db = TestDb::create("unmanaged").await;
    db.execute("CREATE TABLE docs (id int); CREATE POLICY own_docs ON docs USING (true);").await;
    let schema = write(
        &schema_dir("unmanaged"),
        "schema.sql",
        "CREATE TABLE docs (id int, body text); CREATE TABLE keyed (id int CONSTRAINT keyed_pkey PRIMARY KEY);
         CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int);
         ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN body SET (n_distinct = 100);",
    );
    db.execute("ALTER TABLE docs ADD COLUMN body text").await;
    let space = format!("space_{}", db.name);
    let location = cluster().make_server_dir(&space).unwrap();
    db.execute(&format!("CREATE TABLESPACE {space} LOCATION '{}'", location.display())).await;
    db.execute(&format!(
        "CREATE TABLE keyed (id int CONSTRAINT keyed_pkey PRIMARY KEY USING INDEX TABLESPACE {space})"
    ))
    .await;
    let plan = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    let stderr = String::from_utf8_lossy(&plan.stderr);
    assert_eq!(plan.status.code(), Some(0), "{stderr}");
    for expected in [
        "warning: not managed by pgrecon (aggregate, in the desired files, not applied): public.total(integer)",
        "warning: not managed by pgrecon (policy, left alone): own_docs on public.docs",
        "warning: not managed by pgrecon (tablespace, left alone): public.keyed_pkey",
        "warning: not managed by pgrecon (column storage, in the desired files, not applied): public.docs.body",
        "warning: not managed by pgrecon (column options, in the desired files, not applied): public.docs.body",
    ] {
        assert!(stderr.contains(expected), "{expected:?} missing from:\n{stderr}");
    }
}

/// Storage parameters are a set: the same ones written in another order
/// are no change (an index rebuilt for it would lock its table).
#[tokio::test]
async fn storage_parameters_in_another_order_are_no_change() {
    let db = TestDb::create("reloptions_order").await;
    db.execute(
        "CREATE TABLE c (id int PRIMARY KEY, label text) WITH (fillfactor=50, autovacuum_enabled=false);
         CREATE INDEX c_label ON c (label) WITH (fillfactor=70, deduplicate_items=off);
         CREATE INDEX c_lower ON c (lower(label)) WITH (fillfactor=60, deduplicate_items=on);",
    )
    .await;
    let reordered =
        "CREATE TABLE c (id int PRIMARY KEY, label text) WITH (autovacuum_enabled=false, fillfactor=50);
         CREATE INDEX c_label ON c (label) WITH (deduplicate_items=off, fillfactor=70);
         CREATE INDEX c_lower ON c (lower(label)) WITH (deduplicate_items=on, fillfactor=60);";
    let schema = write(&schema_dir("reloptions_order"), "schema.sql", reordered);
    for cache in [&[][..], &["--no-cache"][..]] {
        let out = pgrecon(&[&["plan", "--db", &db.url, "--schema", &schema][..], cache].concat());
        assert_eq!(out.status.code(), Some(0), "{cache:?}: {}", String::from_utf8_lossy(&out.stdout));
    }
    // A parameter that does change still does.
    let changed = write(&schema_dir("reloptions_order"), "changed.sql", &reordered.replace("=70", "=80"));
    let out = pgrecon(&["plan", "--db", &db.url, "--schema", &changed]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("index public.c_label"));
}

/// Objects of the files that pgrecon does not manage (row level security,
/// a policy) and the database lacks are never applied: an empty plan then
/// says so instead of claiming the database matches the files.
#[tokio::test]
async fn an_empty_plan_says_when_unmanaged_objects_of_the_files_are_missing() {
    let db = TestDb::create("unmanaged_missing").await;
    let schema = write(
        &schema_dir("unmanaged-missing"),
        "schema.sql",
        "CREATE TABLE secrets (id int, owner text);\n\
         ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;\n\
         CREATE POLICY own ON secrets USING (owner = current_user);",
    );
    // The plan's reverse (dropping the table) is not refused for the
    // files' policy: only a plan to run is checked.
    let planned = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    assert_eq!(planned.status.code(), Some(2), "{}", String::from_utf8_lossy(&planned.stderr));
    let applied = pgrecon(&["apply", "--db", &db.url, "--schema", &schema, "--yes"]);
    let stdout = String::from_utf8_lossy(&applied.stdout);
    assert_eq!(applied.status.code(), Some(0), "{}", String::from_utf8_lossy(&applied.stderr));
    assert!(
        stdout.contains("Applied, but 2 object(s) of the desired files are of kinds pgrecon does not manage"),
        "{stdout}"
    );
    assert!(!stdout.contains("the database matches the desired state"), "{stdout}");

    let again = pgrecon(&["plan", "--db", &db.url, "--schema", &schema]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert_eq!(again.status.code(), Some(0));
    assert!(stdout.contains("No changes to what pgrecon manages, but 2 object(s)"), "{stdout}");
    assert!(String::from_utf8_lossy(&again.stderr).contains("policy, in the desired files, not applied"));
}
